#!/bin/sh
# startup.sh BUILD_DIR - smtp-explain-milter's start-up under attack: the
# daemon is started as root with -u nobody, and nobody owns the pid and
# socket directories (as the milter user owns them in a packaged
# install), so whatever nobody plants there is what an attacker who took
# over the milter user could plant. Each test tries the attack. No
# Postfix here: miltertest checks that a milter still answers.
#
# a. Pid file: a symbolic link (to a root file, and dangling), a hard
#    link, a FIFO, a file that holds something else: refused, nothing
#    written through them, nothing created.
# b. Socket: a racer running as nobody swaps the socket path (and the
#    temporary name it is bound under) for a symbolic link to a root
#    file the moment a socket shows there, over several restarts: the
#    file's owner, mode and content never change. A directory the user
#    cannot write is refused with its name. Started as the user, the
#    socket gets socket_group, or the start is refused.
# c. SIGUSR1 sent over and over while main() is still loading its
#    configuration (one thread, nothing created yet) and until the
#    daemon is up: it survives, starts, and the reload thread serves the
#    request that waited.
# d. A second instance with the same pid file refuses (naming the pid
#    file and the running pid) without touching the first one's socket;
#    one on a live socket refuses too; the first still answers. A stop
#    removes neither a socket nor a pid file that another put at its
#    paths. After a SIGKILL, a restart takes over the stale lock and
#    socket.
# e. -u root, -u 0, a group root, settings.user = "root": refused, with
#    nothing created.
#
# Needs root. Prints "N passed, M failed"; exits non-zero when anything
# failed. run.sh calls it and adds the counts to its own.

[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=$(cd "${1:-build}" && pwd)
MILTER="$BUILD/smtp-explain-milter"
PATH="$PATH:/usr/sbin:/sbin"
export PATH

. "$HERE/lib.sh"

t_preflight "start-up tests"

t_init
trap t_cleanup EXIT
trap 'exit 1' INT TERM

has() {
    grep -qF -- "$2" "$1" 2>/dev/null && return 0
    T_WHY="${3:-\"$2\" not in $(basename "$1"): $(tr '\n' ' ' <"$1" 2>/dev/null | cut -c1-300)}"
    return 1
}

# ---------------------------------------------------------------- helpers

NOBODY_UID=$(id -u nobody)
NOBODY_GID=$(id -g nobody)

# as_nobody COMMAND... - run as nobody, in this process (setpriv execs),
# so that $! is the command's own PID.
as_nobody() {
    setpriv --reuid="$NOBODY_UID" --regid="$NOBODY_GID" --clear-groups -- "$@"
}

# The pid and socket directories, owned by the milter user.
RUN="$T/run"
SOCK="$T/sock"
t_sockdir "$RUN"
t_sockdir "$SOCK"
CONF="$T/startup.conf"
printf 'settings = {\n    socket_group = "postfix";\n};\n' >"$CONF"
chmod 644 "$CONF"

# s_start NAME ARGS... - the milter in the foreground, as nobody, with
# ARGS; its log in $T/NAME.log, its PID in S_PID. 0 once it says it is
# up; 1 when it exits or does not come up within 20 s.
s_start() {
    local name=$1
    shift
    "$MILTER" -f -u nobody -c "$CONF" "$@" 2>"$T/$name.log" &
    S_PID=$!
    t_remember "$S_PID"
    s_up() { t_log_has "$T/$name.log" "starting:" || ! kill -0 "$S_PID" 2>/dev/null; }
    t_wait 20 s_up && t_log_has "$T/$name.log" "starting:"
}

# s_stop PID [KILL] - stop it with SIGTERM (libmilter's stop) and wait, or
# with SIGKILL, which ends it at once; its exit status in S_STATUS.
s_stop() {
    if [ "${2:-}" = KILL ]; then
        # Reaped here, so that bash does not report the death later.
        { kill -9 "$1"; wait "$1"; } 2>/dev/null
        S_STATUS=$?
    else
        kill "$1" 2>/dev/null
        t_wait 20 t_gone "$1" || kill -9 "$1" 2>/dev/null
        wait "$1" 2>/dev/null
        S_STATUS=$?
    fi
    T_PIDS=$(echo "$T_PIDS" | sed "s/ $1\b//")
}

# s_fails NAME WANT COMMAND... - exits non-zero within 20 s, WANT in its output.
s_fails() {
    local out="$T/$1.out" want=$2 rc
    shift 2
    timeout 20 "$@" >"$out" 2>&1
    rc=$?
    [ $rc != 0 ] && [ $rc != 124 ] || { T_WHY="exit status $rc"; return 1; }
    has "$out" "$want"
}

# s_answers SOCKET - a whole milter conversation works on it.
s_answers() {
    miltertest -D "socket=unix:$1" -D "dir=$HERE/milter" \
        -s "$HERE/milter/negotiate.lua" >"$T/mt.out" 2>&1 && return 0
    T_WHY="no milter answers on $1: $(tail -n 2 "$T/mt.out" | tr '\n' ' ')"
    return 1
}

# s_victim FILE - a root file nobody may touch; s_same FILE - unchanged?
s_victim() {
    printf 'root only: %s\n' "$1" >"$1"
    chmod 600 "$1"
    stat -c '%a %U %G %s %Y' "$1" >"$1.stat"
    cp "$1" "$1.orig"
}

s_same() {
    if [ "$(stat -c '%a %U %G %s %Y' "$1")" != "$(cat "$1.stat")" ]; then
        T_WHY="$1 changed: $(stat -c '%a %U %G %s' "$1"), was $(cat "$1.stat")"
        return 1
    fi
    cmp -s "$1" "$1.orig" || { T_WHY="$1: content changed"; return 1; }
}

s_absent() {
    local f
    for f in "$@"; do
        [ -e "$f" ] || [ -L "$f" ] || continue
        T_WHY="$f was created"
        return 1
    done
}

# ---------------------------------------------------------------- a. pid file

echo "== start-up: the pid file"

test_pid_symlink() {
    local v="$T/victim-pid" mode
    s_victim "$v"
    as_nobody ln -s "$v" "$RUN/link.pid"
    for mode in -f ""; do
        s_fails pid-link "$RUN/link.pid: cannot create the pid file: it is a symbolic link" \
            "$MILTER" $mode -u nobody -c "$CONF" -p "unix:$SOCK/link.sock" -P "$RUN/link.pid" ||
            return 1
    done
    s_same "$v" && s_absent "$SOCK/link.sock"
}
check "pid file: a planted symbolic link is not followed (foreground and detaching)" test_pid_symlink

test_pid_dangling() {
    as_nobody ln -s "$T/made-by-root" "$RUN/dangling.pid"
    s_fails pid-dangling "is a symbolic link" \
        "$MILTER" -f -u nobody -c "$CONF" -p "unix:$SOCK/dangling.sock" -P "$RUN/dangling.pid" &&
        s_absent "$T/made-by-root" "$SOCK/dangling.sock"
}
check "pid file: a dangling symbolic link creates nothing where it points" test_pid_dangling

test_pid_other() {
    local v="$T/victim-hard"
    s_victim "$v"
    # Root makes the hard link: with protected_hardlinks off, the user could.
    ln "$v" "$RUN/hard.pid"
    s_fails pid-hard "it has 2 links" \
        "$MILTER" -f -u nobody -c "$CONF" -p "unix:$SOCK/hard.sock" -P "$RUN/hard.pid" &&
        s_same "$v" || return 1
    as_nobody mkfifo "$RUN/fifo.pid"
    s_fails pid-fifo "$RUN/fifo.pid: cannot use the pid file: not a regular file" \
        "$MILTER" -f -u nobody -c "$CONF" -p "unix:$SOCK/fifo.sock" -P "$RUN/fifo.pid" || return 1
    s_victim "$RUN/text.pid"
    s_fails pid-text "holds something other than a process id" \
        "$MILTER" -f -u nobody -c "$CONF" -p "unix:$SOCK/text.sock" -P "$RUN/text.pid" &&
        s_same "$RUN/text.pid" && s_absent "$SOCK/hard.sock" "$SOCK/fifo.sock" "$SOCK/text.sock"
}
check "pid file: a hard link, a FIFO, a file with other content: refused, unchanged" test_pid_other

# ---------------------------------------------------------------- b. socket

echo "== start-up: the socket"

# The racer, as nobody: whenever a socket shows at the path or at its
# temporary name, put a symbolic link to the victim there (atomically: a
# link made beforehand is renamed over it), counting swaps in COUNT;
# ends by itself after SECONDS. In Perl (always there on Debian), so
# that it reacts within microseconds, not in the milliseconds a shell
# needs to fork ln: against a daemon that chmod()s and chown()s the path
# after bind(), it wins about one restart in ten here.
RACER='my ($final, $tmp, $victim, $count, $secs) = @ARGV;
my ($n, $i, $end) = (0, 0, time + $secs);
for my $p ($final, $tmp) {
    unlink "$p.x";
    symlink($victim, "$p.x");
}
while (1) {
    last if ++$i % 4096 == 0 && time > $end;
    for my $p ($final, $tmp) {
        next unless -S $p && rename("$p.x", $p);
        $n++;
        symlink($victim, "$p.x");
        if (open(my $fh, ">", $count)) {
            print $fh "$n\n";
            close($fh);
        }
    }
}'
RACE_RESTARTS=25

test_sock_race() {
    local v="$T/victim-sock" s="$SOCK/race.sock" a pid racer started=0 swaps
    command -v perl >/dev/null 2>&1 || { T_WHY="no perl for the racer"; return 1; }
    s_victim "$v"
    mkdir -p "$T/race"
    chown nobody "$T/race"
    for a in $(seq 1 $RACE_RESTARTS); do
        rm -f "$s" "$s.x"
        "$MILTER" -f -u nobody -c "$CONF" -p "unix:$s" 2>"$T/race/milter.$a.log" &
        pid=$!
        t_remember "$pid"
        as_nobody perl -e "$RACER" "$s" "$s.$pid" "$v" "$T/race/swaps.$a" 10 &
        racer=$!
        t_remember "$racer"
        race_up() { t_log_has "$T/race/milter.$a.log" "starting:" || ! kill -0 "$pid" 2>/dev/null; }
        t_wait 20 race_up
        t_log_has "$T/race/milter.$a.log" "starting:" && started=$((started + 1))
        # The start is what is raced; SIGKILL keeps the loop quick (the
        # next start replaces the dead socket).
        s_stop "$pid" KILL
        s_stop "$racer" KILL
        s_same "$v" || { T_WHY="restart $a: $T_WHY"; return 1; }
    done
    swaps=$(cat "$T"/race/swaps.* 2>/dev/null | awk '{ n += $1 } END { print n + 0 }')
    [ "$swaps" -ge 1 ] || { T_WHY="the racer never saw a socket: nothing was tried"; return 1; }
    [ "$started" -ge 1 ] || { T_WHY="no start succeeded: $(tail -n 1 "$T/race/milter.1.log")"; return 1; }
    echo "       ($RACE_RESTARTS restarts, $started came up, $swaps swaps by the racer)"
}
check "socket: a racer swapping in symbolic links over $RACE_RESTARTS restarts changes nothing" test_sock_race

test_sock_dir() {
    mkdir -p "$T/rootdir"
    chmod 755 "$T/rootdir"
    s_fails sock-dir "$T/rootdir: Permission denied (for uid $NOBODY_UID)" \
        "$MILTER" -f -u nobody -c "$CONF" -p "unix:$T/rootdir/m.sock" &&
        s_absent "$T/rootdir/m.sock"
}
check "socket: made as the user; a directory the user cannot write is named" test_sock_dir

# Started as the user itself (as systemd starts it), with socket_group a
# group it is in: the group is set on the very inode bound.
test_sock_user() {
    local pg pid
    pg=$(getent group postfix | cut -d: -f3)
    setpriv --reuid="$NOBODY_UID" --regid="$NOBODY_GID" --groups="$pg" -- \
        "$MILTER" -f -c "$CONF" -p "unix:$SOCK/user.sock" 2>"$T/user.log" &
    pid=$!
    t_remember "$pid"
    user_up() { t_log_has "$T/user.log" "starting:" || ! kill -0 "$pid" 2>/dev/null; }
    t_wait 20 user_up
    if ! t_log_has "$T/user.log" "starting:"; then
        T_WHY="did not start: $(tail -n 2 "$T/user.log" | tr '\n' ' ')"
        return 1
    fi
    s_stop "$pid" KILL
    [ "$(stat -c '%a %U %G' "$SOCK/user.sock")" = "660 nobody postfix" ] ||
        { T_WHY="socket is $(stat -c '%a %U %G' "$SOCK/user.sock")"; return 1; }
    # Not in the group: refused, and no socket left at either name.
    s_fails sock-nogroup "cannot give the socket to group postfix" \
        setpriv --reuid="$NOBODY_UID" --regid="$NOBODY_GID" --clear-groups -- \
        "$MILTER" -f -c "$CONF" -p "unix:$SOCK/nogroup.sock" &&
        s_absent "$SOCK/nogroup.sock" && [ -z "$(ls "$SOCK" | grep '^nogroup')" ] ||
        { T_WHY="${T_WHY:-a temporary socket was left}"; return 1; }
}
check "socket: started as the user, socket_group is set on the inode bound, or refused" test_sock_user

# ---------------------------------------------------------------- c. SIGUSR1

echo "== start-up: SIGUSR1 while starting"

# The configuration comes through a FIFO that this shell holds open for
# reading and writing (so that none of the milter's opens blocks). Over
# 64 KiB of comments go first: that write returns only once the milter
# reads them, so from then on it runs main() and is loading its
# configuration: one thread, no pid file, no socket yet.
test_usr1() {
    local d="$T/usr1" pid n=0 i j blk threads log="$T/usr1/milter.log"
    mkdir -p "$d"
    mkfifo "$d/conf"
    exec 5<>"$d/conf"
    # Not inheriting fd 5: its own writer would keep it from seeing the end.
    "$MILTER" -f -u nobody -c "$d/conf" -p "unix:$SOCK/usr1.sock" 2>"$log" 5>&- &
    pid=$!
    t_remember "$pid"
    if ! timeout 20 sh -c 'yes "# waiting for the rest" | head -n 8000' >&5; then
        exec 5>&-
        T_WHY="the milter did not read its configuration"
        return 1
    fi
    blk=$(awk '/^SigBlk:/ { print $2 }' "/proc/$pid/status")
    threads=$(awk '/^Threads:/ { print $2 }' "/proc/$pid/status")
    for i in $(seq 1 300); do
        kill -USR1 "$pid" 2>/dev/null && n=$((n + 1))
    done
    # Reloads read the path again: a regular file from now on.
    cp "$CONF" "$d/conf.new"
    mv "$d/conf.new" "$d/conf"
    cat "$CONF" >&5
    exec 5>&-
    # And on, in bursts, until it says it is up.
    i=0
    while [ $i -lt 400 ] && ! t_log_has "$log" "starting:" && kill -0 "$pid" 2>/dev/null; do
        for j in 1 2 3 4 5 6 7 8 9 10; do
            kill -USR1 "$pid" 2>/dev/null && n=$((n + 1))
        done
        i=$((i + 1))
    done
    [ "$threads" = 1 ] || { T_WHY="$threads threads while loading the configuration"; return 1; }
    [ $(( 0x$blk & 0x200 )) != 0 ] || { T_WHY="SIGUSR1 not blocked while loading the configuration (SigBlk $blk)"; return 1; }
    t_wait 20 t_log_has "$log" "starting:" || { T_WHY="did not start (sent $n SIGUSR1): $(tail -n 2 "$log" | tr '\n' ' ')"; return 1; }
    kill -0 "$pid" 2>/dev/null || { T_WHY="killed by SIGUSR1"; return 1; }
    t_wait 10 t_log_has "$log" "configuration reloaded" ||
        { T_WHY="the SIGUSR1 that waited was not served"; return 1; }
    s_answers "$SOCK/usr1.sock" || return 1
    s_stop "$pid"
    [ "$S_STATUS" = 0 ] || { T_WHY="exit status $S_STATUS"; return 1; }
    echo "       ($n SIGUSR1 sent between main() and the reload thread's start)"
}
check "SIGUSR1 from main()'s start until up: survives, serves the pending reload" test_usr1

# ---------------------------------------------------------------- d. one instance

echo "== start-up: one instance"

A_PID=
test_second() {
    local ino out
    s_start a -p "unix:$SOCK/a.sock" -P "$RUN/a.pid" || { T_WHY="first instance did not start: $(tail -n 2 "$T/a.log")"; return 1; }
    A_PID=$S_PID
    ino=$(stat -c %i "$SOCK/a.sock")
    [ "$(cat "$RUN/a.pid")" = "$A_PID" ] || { T_WHY="pid file holds $(cat "$RUN/a.pid"), not $A_PID"; return 1; }
    s_fails second-f "$RUN/a.pid: locked by a running instance, pid $A_PID" \
        "$MILTER" -f -u nobody -c "$CONF" -p "unix:$SOCK/b.sock" -P "$RUN/a.pid" || return 1
    s_fails second-d "$RUN/a.pid: locked by a running instance, pid $A_PID" \
        "$MILTER" -u nobody -c "$CONF" -p "unix:$SOCK/a.sock" -P "$RUN/a.pid" || return 1
    s_fails second-sock "not replacing $SOCK/a.sock: a running milter answers on it" \
        "$MILTER" -f -u nobody -c "$CONF" -p "unix:$SOCK/a.sock" -P "$RUN/c.pid" || return 1
    s_absent "$SOCK/b.sock" "$RUN/c.pid" || return 1
    [ "$(stat -c %i "$SOCK/a.sock")" = "$ino" ] || { T_WHY="the first one's socket was replaced"; return 1; }
    [ "$(cat "$RUN/a.pid")" = "$A_PID" ] || { T_WHY="the first one's pid file was changed"; return 1; }
    kill -0 "$A_PID" 2>/dev/null || { T_WHY="the first one died"; return 1; }
    s_answers "$SOCK/a.sock"
}
check "a second instance (same pid file, or same live socket) refuses; the first answers" test_second

test_not_others() {
    local d_pid ino
    [ -n "$A_PID" ] || { T_WHY="no first instance"; return 1; }
    # Another instance gets A's socket path, another file A's pid path.
    mv "$SOCK/a.sock" "$SOCK/a.sock.old"
    s_start d -p "unix:$SOCK/a.sock" -P "$RUN/d.pid" || { T_WHY="D did not start: $(tail -n 2 "$T/d.log")"; return 1; }
    d_pid=$S_PID
    ino=$(stat -c %i "$SOCK/a.sock")
    mv "$RUN/a.pid" "$RUN/a.pid.old"
    echo 99999 >"$RUN/a.pid"
    s_stop "$A_PID"
    [ "$S_STATUS" = 0 ] || { T_WHY="A: exit status $S_STATUS"; return 1; }
    [ -S "$SOCK/a.sock" ] && [ "$(stat -c %i "$SOCK/a.sock")" = "$ino" ] ||
        { T_WHY="A's stop removed D's socket"; return 1; }
    [ "$(cat "$RUN/a.pid" 2>/dev/null)" = 99999 ] || { T_WHY="A's stop removed the file now at its pid path"; return 1; }
    s_answers "$SOCK/a.sock" || return 1
    s_stop "$d_pid"
    [ "$S_STATUS" = 0 ] || { T_WHY="D: exit status $S_STATUS"; return 1; }
    s_absent "$SOCK/a.sock" "$RUN/d.pid" || { T_WHY="D left its own files: $T_WHY"; return 1; }
}
check "a stop removes its own socket and pid file, never another's at the same paths" test_not_others

test_stale() {
    local pid
    s_start e1 -p "unix:$SOCK/e.sock" -P "$RUN/e.pid" || { T_WHY="did not start"; return 1; }
    s_stop "$S_PID" KILL
    [ -S "$SOCK/e.sock" ] && [ -f "$RUN/e.pid" ] || { T_WHY="nothing stale to take over"; return 1; }
    s_start e2 -p "unix:$SOCK/e.sock" -P "$RUN/e.pid" || { T_WHY="restart refused: $(tail -n 2 "$T/e2.log" | tr '\n' ' ')"; return 1; }
    pid=$S_PID
    [ "$(cat "$RUN/e.pid")" = "$pid" ] || { T_WHY="pid file holds $(cat "$RUN/e.pid")"; return 1; }
    s_answers "$SOCK/e.sock" || return 1
    s_stop "$pid" KILL
}
check "after SIGKILL, a restart takes over the stale pid file and socket" test_stale

# ---------------------------------------------------------------- e. root

echo "== start-up: root"

test_root() {
    local u
    for u in root 0 root:postfix nobody:root "nobody:0"; do
        s_fails root "refusing to run as" \
            "$MILTER" -f -u "$u" -c "$CONF" -p "unix:$SOCK/root.sock" -P "$RUN/root.pid" ||
            { T_WHY="-u $u: $T_WHY"; return 1; }
    done
    printf 'settings = {\n    user = "root";\n};\n' >"$T/root.conf"
    s_fails root-conf "refusing to run as root" \
        "$MILTER" -f -c "$T/root.conf" -p "unix:$SOCK/root.sock" -P "$RUN/root.pid" &&
        s_absent "$SOCK/root.sock" "$RUN/root.pid"
}
check "-u root, -u 0, a root group, settings.user root: refused, nothing created" test_root

# ---------------------------------------------------------------- done

echo "$T_PASSED passed, $T_FAILED failed"
[ "$T_FAILED" -eq 0 ]
