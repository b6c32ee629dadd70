#!/bin/sh
# package-test.sh - build the Debian package, install it on this machine,
# run the service it installs against a private Postfix, send bounces
# through it, then purge the package and check that nothing is left.
#
# 1. "make package" (a temporary tree; tests skipped unless
#    DEB_BUILD_OPTIONS says otherwise) and "apt-get install ./the.deb";
# 2. what the package installed: programs, manual pages, the conffile,
#    the smtp-explain user with postfix in its group, the directories,
#    the systemd unit (checked with systemd-analyze verify);
# 3. the service, by the commands README.Debian gives: systemctl when
#    systemd runs; otherwise the init script ("service smtp-explain
#    start"), which leaves the pid file /run/smtp-explain/smtp-explain.pid;
#    the log where the milter says it goes (without /dev/log, the
#    settings' log_file, and the start says so);
# 4. a private Postfix on loopback (tests/integration/lib.sh) whose
#    smtpd_milters and non_smtpd_milters name the packaged socket: a
#    remote DSN and one of Postfix's own bounces arrive annotated;
#    a reload ("service smtp-explain reload") shows in the log; a stop
#    removes the socket and the pid file; the metrics file, when the
#    milter writes one, reads back with "smtp-explain stats";
# 5. a pid file directly under /run (which the user could not remove it
#    from) is refused, and nothing is created there;
# 6. "dpkg --purge" with a milter running (started again by hand, as
#    README.Debian says): it is stopped, and no files in /etc/smtp-explain,
#    no state, socket, run or log directory, no user, no group, no unit,
#    no process remain; the purge says nothing was left behind.
#
# Needs root. Refuses to run when smtp-explain is already installed (it
# would purge the admin's configuration). Prints "N passed, M failed" and
# exits non-zero when anything failed. SMTP_EXPLAIN_KEEP=1 keeps the
# temporary folder.

[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
FIX="$ROOT/tests/integration/fixtures"
PATH="$PATH:/usr/sbin:/sbin"
export PATH

PKG=smtp-explain
CONF=/etc/smtp-explain/smtp-explain.conf
SOCKDIR=/var/spool/postfix/smtp-explain
SOCK=$SOCKDIR/milter.sock
STATEDIR=/var/lib/smtp-explain
RUNDIR=/run/smtp-explain
PIDFILE=$RUNDIR/smtp-explain.pid
LOGDIR=/var/log/smtp-explain
INIT=/etc/init.d/smtp-explain
MILTER_LOG=

. "$ROOT/tests/integration/lib.sh"

if [ "$(id -u)" != 0 ]; then
    echo "SKIP package test: installing a package needs root"
    exit 0
fi
sh "$ROOT/packaging/install-deps.sh" all || exit 1

# One package test at a time on a machine: each installs the package.
exec 9>/run/lock/smtp-explain-package-test.lock || exit 1
if command -v flock >/dev/null 2>&1 && ! flock -w 600 9; then
    echo "FAIL   another package test has held the lock for 10 minutes"
    exit 1
fi

pkg_status() {
    dpkg-query -W -f='${db:Status-Abbrev}' "$PKG" 2>/dev/null | cut -c1-2
}
case $(pkg_status) in
""|un|pn) ;;
*)
    echo "FAIL   $PKG is installed here ($(pkg_status)); this test installs and"
    echo "       purges it. Remove it first: dpkg --purge $PKG"
    exit 1
    ;;
esac

START=$(date +%s)
INSTALLED=
RUNDIR_MADE=
T_MILTER_PID=
HAND_PID=

# check NAME COMMAND... - one test from a command's exit status; the
# command may set T_WHY.
check() {
    local name=$1
    shift
    T_WHY=
    if "$@"; then
        t_pass "$name"
    else
        t_fail "$name" "${T_WHY:-failed}"
    fi
}

has() {
    grep -qF -- "$2" "$1" 2>/dev/null && return 0
    T_WHY="\"$2\" not in $1"
    return 1
}

finish() {
    [ -n "$T_MILTER_PID" ] && kill "$T_MILTER_PID" 2>/dev/null
    [ -n "$HAND_PID" ] && kill "$HAND_PID" 2>/dev/null
    t_cleanup
    if [ -n "$INSTALLED" ]; then
        dpkg --purge "$PKG" >/dev/null 2>&1
    fi
    [ -n "$RUNDIR_MADE" ] && rm -rf /run/smtp-explain
}

t_init
trap finish EXIT
trap 'exit 1' INT TERM

# ---------------------------------------------------------------- build

echo "== build and install"
test_build() {
    DEB_BUILD_OPTIONS=${DEB_BUILD_OPTIONS:-nocheck} \
        make -C "$ROOT" package PKG_OUT="$T/deb" >"$T/build.log" 2>&1 || {
        T_WHY="make package failed: $(tail -n 5 "$T/build.log" | tr '\n' ' ')"
        return 1
    }
    DEB=$(ls "$T"/deb/${PKG}_*.deb 2>/dev/null | head -n 1)
    [ -n "$DEB" ] || { T_WHY="no .deb in $T/deb"; return 1; }
    [ ! -e "$ROOT/debian" ] || { T_WHY="make package left $ROOT/debian"; return 1; }
}
check "make package builds a .deb, leaves no ./debian" test_build
if [ -z "${DEB:-}" ]; then
    echo "$T_PASSED passed, $T_FAILED failed"
    exit 1
fi

test_install() {
    INSTALLED=1
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        "$DEB" >"$T/install.log" 2>&1 && return 0
    T_WHY="apt-get install failed: $(tail -n 3 "$T/install.log" | tr '\n' ' ')"
    return 1
}
check "apt-get install ./$(basename "$DEB")" test_install
if [ "$T_FAILED" -ne 0 ]; then
    cat "$T/install.log"
    echo "$T_PASSED passed, $T_FAILED failed"
    exit 1
fi

# ---------------------------------------------------------------- contents

test_programs() {
    /usr/bin/smtp-explain --version | grep -q '^smtp-explain ' &&
        /usr/sbin/smtp-explain-milter -V | grep -q '^smtp-explain-milter ' &&
        /usr/bin/smtp-explain 550 5.1.1 >"$T/explain.out" 2>&1 &&
        has "$T/explain.out" "5.1.1"
}
check "programs in /usr/bin and /usr/sbin run" test_programs

test_manuals() {
    local page f err
    for page in 1:smtp-explain 5:smtp-explain.conf 8:smtp-explain-milter; do
        f=$(man -w "${page%%:*}" "${page#*:}" 2>/dev/null) || {
            T_WHY="no manual page ${page#*:}(${page%%:*})"
            return 1
        }
        err=$(MANWIDTH=80 man --warnings -l "$f" 2>&1 >/dev/null)
        [ -z "$err" ] || { T_WHY="man -l $f: $err"; return 1; }
        if command -v mandoc >/dev/null 2>&1; then
            err=$(mandoc -T lint "$f" 2>&1) || { T_WHY="mandoc -T lint: $err"; return 1; }
        fi
    done
}
check "manual pages smtp-explain(1), .conf(5), -milter(8) render cleanly" test_manuals

test_conffile() {
    dpkg-query -W -f='${Conffiles}\n' "$PKG" | grep -q " $CONF " || {
        T_WHY="$CONF is not a conffile"
        return 1
    }
    has "$CONF" "socket = \"unix:$SOCK\";" &&
        has "$CONF" 'user = "smtp-explain";' &&
        has "$CONF" "pidfile = \"$PIDFILE\";" &&
        has "$CONF" "log_file = \"$LOGDIR/smtp-explain.log\";" &&
        /usr/sbin/smtp-explain-milter -n -c "$CONF" >"$T/n.out" 2>&1 &&
        has "$T/n.out" "config OK"
}
check "$CONF: conffile, Debian's socket, user, pid file and log file, valid" test_conffile

test_user() {
    local uid shell
    uid=$(getent passwd smtp-explain | cut -d: -f3)
    shell=$(getent passwd smtp-explain | cut -d: -f7)
    [ -n "$uid" ] || { T_WHY="no user smtp-explain"; return 1; }
    [ "$uid" -lt 1000 ] || { T_WHY="uid $uid is not a system uid"; return 1; }
    case $shell in
    */nologin|*/false) ;;
    *) T_WHY="login shell $shell"; return 1 ;;
    esac
    getent group smtp-explain >/dev/null || { T_WHY="no group smtp-explain"; return 1; }
    id -Gn postfix | tr ' ' '\n' | grep -qx smtp-explain || {
        T_WHY="postfix is not in the smtp-explain group"
        return 1
    }
}
check "system user smtp-explain; postfix in its group" test_user

test_dirs() {
    local got
    got=$(stat -c '%a %U %G' "$SOCKDIR" 2>&1)
    [ "$got" = "750 smtp-explain smtp-explain" ] || { T_WHY="$SOCKDIR: $got"; return 1; }
    got=$(stat -c '%a %U %G' "$STATEDIR" 2>&1)
    [ "$got" = "755 smtp-explain smtp-explain" ] || { T_WHY="$STATEDIR: $got"; return 1; }
    got=$(stat -c '%a %U' "$LOGDIR" 2>&1)
    [ "$got" = "750 smtp-explain" ] || { T_WHY="$LOGDIR: $got"; return 1; }
}
check "socket, state and log directories made for the user" test_dirs

test_init_script() {
    [ -x "$INIT" ] || { T_WHY="no $INIT"; return 1; }
    has "$INIT" "### BEGIN INIT INFO" && has "$INIT" "Provides:          smtp-explain" &&
        has "$INIT" "X-Start-Before:    postfix" || return 1
    sh -n "$INIT" || { T_WHY="$INIT: syntax error"; return 1; }
    ls /etc/rc2.d/S*smtp-explain >/dev/null 2>&1 || {
        T_WHY="not enabled: no /etc/rc2.d/S*smtp-explain"
        return 1
    }
    ls /etc/rc0.d/K*smtp-explain >/dev/null 2>&1 || { T_WHY="no stop link in rc0.d"; return 1; }
}
check "init script: LSB header, enabled in the runlevels (update-rc.d)" test_init_script

UNIT=$(dpkg -L "$PKG" | grep '/systemd/system/smtp-explain.service$' | head -n 1)
test_unit() {
    [ -n "$UNIT" ] || { T_WHY="no smtp-explain.service in the package"; return 1; }
    [ -e "/etc/systemd/system/multi-user.target.wants/smtp-explain.service" ] || {
        T_WHY="the service is not enabled"
        return 1
    }
    grep -qx 'Type=simple' "$UNIT" && grep -q '^ExecStart=.* -f' "$UNIT" &&
        grep -qx 'ExecReload=/bin/kill -USR1 $MAINPID' "$UNIT" || {
        T_WHY="Type, ExecStart -f or ExecReload wrong"
        return 1
    }
    command -v systemd-analyze >/dev/null 2>&1 || return 0
    # Offline, verify also complains about units it cannot reach; only
    # lines about ours count.
    systemd-analyze verify "$UNIT" >"$T/verify.out" 2>&1
    if grep -i 'smtp-explain' "$T/verify.out" >"$T/verify.ours"; then
        T_WHY=$(tr '\n' ' ' <"$T/verify.ours")
        return 1
    fi
}
check "systemd unit: enabled, Type=simple, -f, reload; systemd-analyze verify" test_unit

# ---------------------------------------------------------------- service

echo "== service"

test_start() {
    if [ -d /run/systemd/system ]; then
        systemctl start smtp-explain || { T_WHY="systemctl start failed"; return 1; }
        T_MILTER_PID=$(systemctl show -p MainPID --value smtp-explain)
        MILTER_LOG=$T/milter.log
        journalctl -u smtp-explain -f >"$MILTER_LOG" 2>&1 &
        t_remember $!
    else
        echo "no systemd: service smtp-explain start (the init script)" >"$T/start.how"
        service smtp-explain start >"$T/start.out" 2>&1 || {
            T_WHY="service smtp-explain start failed: $(tr '\n' ' ' <"$T/start.out")"
            return 1
        }
        T_MILTER_PID=$(cat "$PIDFILE" 2>/dev/null)
        [ -n "$T_MILTER_PID" ] && kill -0 "$T_MILTER_PID" 2>/dev/null || {
            T_WHY="no running pid in $PIDFILE: $(tr '\n' ' ' <"$T/start.out")"
            return 1
        }
        if [ -S /dev/log ]; then
            # The milter's lines are syslog's: the mail log, where readable.
            MILTER_LOG=/var/log/mail.log
        else
            MILTER_LOG=$LOGDIR/smtp-explain.log
            has "$T/start.out" "syslog is unreachable (/dev/log: No such file or directory): logging to $MILTER_LOG" || return 1
        fi
    fi
    t_wait 20 t_log_has "$MILTER_LOG" "starting:" || {
        T_WHY="no start line in $MILTER_LOG: $(tail -n 3 "$MILTER_LOG" 2>&1 | tr '\n' ' ')"
        return 1
    }
    [ -S "$SOCK" ] || { T_WHY="no socket $SOCK"; return 1; }
}
check "the service starts (systemctl, or the init script); its log is seen" test_start
[ -f "$T/start.how" ] && sed 's/^/       /' "$T/start.how"
if [ ! -S "$SOCK" ]; then
    sed 's/^/       | /' "${MILTER_LOG:-/dev/null}" 2>/dev/null | tail -n 10
    SKIP_SERVICE=1
fi

test_pidfile() {
    local got
    # root's when the milter starts as root; the user's under systemd.
    got=$(stat -c '%a %U' "$PIDFILE" 2>&1)
    case $got in
    "644 root"|"644 smtp-explain"|"640 smtp-explain") ;;
    *) T_WHY="$PIDFILE: $got"; return 1 ;;
    esac
    [ "$(cat "$PIDFILE")" = "$T_MILTER_PID" ] || { T_WHY="$PIDFILE does not hold $T_MILTER_PID"; return 1; }
    [ -d /run/systemd/system ] && return 0
    service smtp-explain status >"$T/status.out" 2>&1 || {
        T_WHY="service smtp-explain status: $(tr '\n' ' ' <"$T/status.out")"
        return 1
    }
    has "$T/status.out" "is running"
}
check "pid file $PIDFILE names the milter; status says it runs" test_pidfile

test_identity() {
    local uid got
    uid=$(awk '/^Uid:/ { print $2 }' "/proc/$T_MILTER_PID/status" 2>/dev/null)
    [ "$uid" = "$(id -u smtp-explain)" ] || { T_WHY="running as uid $uid"; return 1; }
    got=$(stat -c '%a %U %G' "$SOCK")
    [ "$got" = "660 smtp-explain smtp-explain" ] || { T_WHY="socket: $got"; return 1; }
}
check "runs as smtp-explain; socket 0660 smtp-explain:smtp-explain" test_identity

# ---------------------------------------------------------------- Postfix

if [ -z "${SKIP_SERVICE:-}" ]; then
    echo "== Postfix"
    SMTPD=$(t_free_port)
    SINK_OK=$(t_free_port)
    SINK_BAD=$(t_free_port)
    # Postfix outside a chroot names the socket by its whole path.
    T_MILTER_PF="unix:$SOCK"
    test_postfix() {
        t_sink ok "$SINK_OK" || { T_WHY="smtp-sink did not start"; return 1; }
        t_sink bad "$SINK_BAD" -f RCPT || { T_WHY="smtp-sink did not start"; return 1; }
        t_postfix_start "$SMTPD" "$SINK_OK" "$SINK_BAD" || {
            T_WHY=$(cat "$T"/postfix-*.log "$T/postfix.log" 2>/dev/null | tail -n 5 | tr '\n' ' ')
            return 1
        }
    }
    check "private Postfix with the packaged socket in its milters" test_postfix

    test_remote_dsn() {
        t_smtp "$SMTPD" "" alice@sender.test <"$FIX/remote-dsn-userunknown.eml" >"$T/s1.out"
        has "$T/s1.out" "END 250" || return 1
        t_delivered "dsn.7f3a9c21@mx1.remote.test" || return 1
        has "$T_MSG.head" "X-SMTP-Explain:" && has "$T_MSG.head" "status=5.1.1" &&
            has "$T_MSG.head" "reason=userunknown"
    }
    check "a remote DSN through smtpd_milters arrives annotated" test_remote_dsn

    test_own_bounce() {
        printf 'From: alice@sender.test\nTo: nobody@bad.test\nSubject: package test\nMessage-Id: <package.test.1@sender.test>\n\nhello\n' |
            t_smtp "$SMTPD" alice@sender.test nobody@bad.test >"$T/s2.out"
        has "$T/s2.out" "END 250" || return 1
        t_delivered "rcpt=nobody@bad.test" || return 1
        has "$T_MSG" "package.test.1@sender.test" && has "$T_MSG.head" "X-SMTP-Explain:" &&
            has "$T_MSG.head" "class=permanent"
    }
    check "Postfix's own bounce through non_smtpd_milters arrives annotated" test_own_bounce

    test_reload() {
        if [ -d /run/systemd/system ]; then
            systemctl reload smtp-explain
        else
            service smtp-explain reload >"$T/reload.out" 2>&1 || {
                T_WHY="service smtp-explain reload: $(tr '\n' ' ' <"$T/reload.out")"
                return 1
            }
        fi
        t_wait 10 t_log_has "$MILTER_LOG" "configuration reloaded"
    }
    check "a reload (systemctl, or the init script: SIGUSR1) shows in the log" test_reload

    test_stop() {
        if [ -d /run/systemd/system ]; then
            systemctl stop smtp-explain
        else
            service smtp-explain stop >"$T/stop.out" 2>&1 || {
                T_WHY="service smtp-explain stop: $(tr '\n' ' ' <"$T/stop.out")"
                return 1
            }
        fi
        t_wait 20 t_gone "$T_MILTER_PID" || { T_WHY="still running"; return 1; }
        T_MILTER_PID=
        [ ! -e "$SOCK" ] || { T_WHY="socket left behind"; return 1; }
        [ ! -e "$PIDFILE" ] || { T_WHY="pid file left behind"; return 1; }
        t_log_has "$MILTER_LOG" "stopped" || { T_WHY="no stop line in $MILTER_LOG"; return 1; }
    }
    check "the service stops, removes its socket and pid file, says so in the log" test_stop

    # The metrics need a milter that counts: its binary names the metrics.
    if grep -q smtp_explain_messages_total /usr/sbin/smtp-explain-milter; then
        test_stats() {
            local metrics
            metrics=$(sed -n 's/^ *stats_file = "\(.*\)";/\1/p' "$CONF")
            [ -s "$metrics" ] || { T_WHY="no metrics file $metrics"; return 1; }
            /usr/bin/smtp-explain stats >"$T/stats.out" 2>&1 || {
                T_WHY="smtp-explain stats: $(head -n 2 "$T/stats.out" | tr '\n' ' ')"
                return 1
            }
            has "$T/stats.out" "userunknown" && grep -Eq '^messages +[0-9]+: [1-9]' "$T/stats.out" || {
                T_WHY="no reports counted: $(head -n 6 "$T/stats.out" | tr '\n' ' ')"
                return 1
            }
        }
        check "metrics file written; smtp-explain stats reads it" test_stats
    else
        echo "skip   metrics: this milter does not write metrics yet"
    fi

    t_postfix_stop
else
    echo "skip   Postfix tests: the service did not start"
fi

test_pid_run() {
    local f=/run/smtp-explain-package-test.pid
    rm -f "$f"
    ! /usr/sbin/smtp-explain-milter -f -c "$CONF" -P "$f" >"$T/pidrun.out" 2>&1 || {
        T_WHY="started with $f"
        return 1
    }
    has "$T/pidrun.out" "$f: cannot use the pid file: user smtp-explain could not remove it when stopping (/run: Permission denied)" || return 1
    [ ! -e "$f" ] || { rm -f "$f"; T_WHY="$f was created"; return 1; }
}
check "a pid file directly under /run is refused: the user could not remove it" test_pid_run

# ---------------------------------------------------------------- purge

echo "== purge"
# A milter started by hand, as README.Debian says, runs during the purge.
test_hand_start() {
    install -d -o smtp-explain -g smtp-explain -m 0750 "$RUNDIR" &&
        /usr/sbin/smtp-explain-milter -c "$CONF" >"$T/hand.out" 2>&1 || {
        T_WHY="smtp-explain-milter -c $CONF: $(tr '\n' ' ' <"$T/hand.out")"
        return 1
    }
    HAND_PID=$(cat "$PIDFILE" 2>/dev/null)
    [ -n "$HAND_PID" ] && kill -0 "$HAND_PID" 2>/dev/null || { T_WHY="not running"; return 1; }
    [ -S "$SOCK" ] || { T_WHY="no socket $SOCK"; return 1; }
}
check "started by hand (smtp-explain-milter -c $CONF): detaches, pid file written" test_hand_start

# The processes of the packaged program (by its path, even deleted): other
# builds of the milter may run on this machine.
packaged_milters() {
    local p exe
    for p in /proc/[0-9]*; do
        exe=$(readlink "$p/exe" 2>/dev/null) || continue
        case $exe in
        "/usr/sbin/smtp-explain-milter"|"/usr/sbin/smtp-explain-milter (deleted)")
            printf ' %s' "${p#/proc/}" ;;
        esac
    done
}

test_purge() {
    dpkg --purge "$PKG" >"$T/purge.log" 2>&1 || {
        T_WHY="dpkg --purge failed: $(tail -n 3 "$T/purge.log" | tr '\n' ' ')"
        return 1
    }
    INSTALLED=
    case $(pkg_status) in
    ""|un|pn) ;;
    *) T_WHY="package state $(pkg_status)"; return 1 ;;
    esac
    local left= f
    for f in /etc/smtp-explain "$STATEDIR" "$SOCKDIR" /run/smtp-explain \
        /usr/bin/smtp-explain /usr/sbin/smtp-explain-milter ${UNIT:+"$UNIT"} \
        /etc/systemd/system/multi-user.target.wants/smtp-explain.service \
        /usr/lib/tmpfiles.d/smtp-explain.conf; do
        [ -e "$f" ] && left="$left $f"
    done
    [ -z "$left" ] || { T_WHY="left behind:$left"; return 1; }
    RUNDIR_MADE=
    if [ -n "$HAND_PID" ] && kill -0 "$HAND_PID" 2>/dev/null; then
        T_WHY="the milter started by hand still runs (pid $HAND_PID)"
        return 1
    fi
    HAND_PID=
    left=$(packaged_milters)
    [ -z "$left" ] || { T_WHY="/usr/sbin/smtp-explain-milter still runs: pid$left"; return 1; }
    ! grep -q "was not removed" "$T/purge.log" || { T_WHY=$(grep "was not removed" "$T/purge.log"); return 1; }
    ! getent passwd smtp-explain >/dev/null || { T_WHY="user smtp-explain left"; return 1; }
    ! getent group smtp-explain >/dev/null || { T_WHY="group smtp-explain left"; return 1; }
    ! id -Gn postfix | tr ' ' '\n' | grep -qx smtp-explain || { T_WHY="postfix still in group smtp-explain"; return 1; }
    [ ! -e "$LOGDIR" ] && [ ! -e /etc/init.d/smtp-explain ] && ! ls /etc/rc2.d/*smtp-explain >/dev/null 2>&1 || {
        T_WHY="log directory, init script or its links left"
        return 1
    }
}
check "dpkg --purge with the milter running: stopped; no files, process, user or group left" test_purge

# A process of another program runs as the user: purge cannot remove the
# user, and says so with the process; then it is stopped and the user
# removed by hand.
test_purge_busy() {
    local busy out
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        "$DEB" >"$T/install2.log" 2>&1 || { T_WHY="reinstall failed"; return 1; }
    INSTALLED=1
    setpriv --reuid=smtp-explain --regid=smtp-explain --clear-groups -- sleep 120 &
    busy=$!
    t_remember "$busy"
    dpkg --purge "$PKG" >"$T/purge2.log" 2>&1 || { T_WHY="dpkg --purge failed"; kill "$busy"; return 1; }
    INSTALLED=
    kill "$busy" 2>/dev/null
    wait "$busy" 2>/dev/null
    out=$(tr '\n' ' ' <"$T/purge2.log")
    has "$T/purge2.log" "smtp-explain: user smtp-explain was not removed: processes run as smtp-explain (pid, command): $busy sleep" &&
        has "$T/purge2.log" "smtp-explain: group smtp-explain was not removed: it is the group of user smtp-explain" || {
        T_WHY="purge said: $out"
        deluser --quiet --system smtp-explain >/dev/null 2>&1
        delgroup --quiet --system smtp-explain >/dev/null 2>&1
        return 1
    }
    ! id -Gn postfix | tr ' ' '\n' | grep -qx smtp-explain || { T_WHY="postfix still in group smtp-explain"; return 1; }
    deluser --quiet --system smtp-explain 2>/dev/null && delgroup --quiet --system smtp-explain 2>/dev/null
    getent group smtp-explain >/dev/null && delgroup --quiet --system smtp-explain
    ! getent passwd smtp-explain >/dev/null || { T_WHY="could not clean up the user"; return 1; }
}
check "purge with another process running as the user: says which, removes the rest" test_purge_busy

echo "package test took $(( $(date +%s) - START )) s"
echo "$T_PASSED passed, $T_FAILED failed"
[ "$T_FAILED" -eq 0 ]
