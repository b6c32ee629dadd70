#!/bin/sh
# faults.sh BUILD_DIR - smtp-explain-milter under faults, with a real
# Postfix on loopback (see lib.sh). Each test is bounded and stops by
# itself; every process is started here and stopped by its PID.
#
# a. SIGKILL under load: 300 reports in 10 SMTP sessions, the milter
#    killed with SIGKILL mid-run and restarted. Postfix runs with
#    milter_default_action = tempfail, so a message that meets the dead
#    milter is refused with 4xx and never queued unexplained. The load
#    client is a small SMTP client in this script: it records the reply
#    to every message and, like any SMTP client after a 4xx, sends the
#    refused ones again once the milter is back. Then: every message is
#    accepted exactly once, reaches the sink exactly once, annotated.
# b. The milter stopped (SIGSTOP) past Postfix's command and content
#    timeouts (3 s here), on two smtpd services: default_action=accept
#    lets the message through unexplained; =tempfail refuses it and
#    the message sent again after SIGCONT arrives explained. Nothing is
#    lost, nothing doubled, and the milter serves on.
# c. SIGUSR1 20 times while 100 reports are sent: all accepted at the
#    first try, delivered once, annotated by one configuration each.
# d. Unwritable paths and a full disk: pid file and socket give a
#    non-zero exit and a message with the path and the system's reason
#    (in the foreground and when detaching); an unwritable metrics file
#    is logged with its path and reason and the milter keeps serving.
# e. Least privilege: all uids and gids are the user's after the drop,
#    no capabilities; socket mode and group as configured; nothing
#    created is world-writable even under umask 000. (Refusing root
#    without -u is tested in run.sh.)
# f. settings.max_headers bounds the headers added (smtp-explain-milter
#    -t: the bound lives in the milter, not the library).
#
# Needs root. Prints "N passed, M failed"; exits non-zero when anything
# failed. run.sh calls it and adds the counts to its own.

[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=$(cd "${1:-build}" && pwd)
FIX="$HERE/fixtures"
MILTER="$BUILD/smtp-explain-milter"
PATH="$PATH:/usr/sbin:/sbin"
export PATH

. "$HERE/lib.sh"

t_preflight "fault tests"

F_MNT=
f_cleanup() {
    [ -n "$F_MNT" ] && umount "$F_MNT" 2>/dev/null
    F_MNT=
    t_cleanup
}
t_init
trap f_cleanup EXIT
trap 'exit 1' INT TERM

has() {
    grep -qF -- "$2" "$1" 2>/dev/null && return 0
    T_WHY="${3:-\"$2\" not in $(basename "$1")}"
    return 1
}

# ---------------------------------------------------------------- helpers

NOBODY_UID=$(id -u nobody)
NOBODY_GID=$(id -g nobody)
POSTFIX_GID=$(getent group postfix | cut -d: -f3)

# f_conf FILE [LINES] - a milter configuration with extra settings lines.
f_conf() {
    {
        echo 'settings = {'
        echo '    socket_group = "postfix";'
        echo '    authserv_id = "mx.test";'
        [ -n "${2:-}" ] && printf '%s\n' "$2"
        echo '};'
    } >"$1"
    chmod 644 "$1"
}

f_count() {
    local n
    n=$(grep -c -F -- "$2" "$1" 2>/dev/null)
    echo "${n:-0}"
}

f_more() {
    [ "$(f_count "$1" "$2")" -gt "$3" ]
}

# f_milter_start - the milter for Postfix; waits for a new "starting:".
f_milter_start() {
    local before
    before=$(f_count "$T/milter.log" "starting:")
    "$MILTER" -f -u nobody -c "$T/milter.conf" -p "unix:$T/sock/milter.sock" \
        2>>"$T/milter.log" &
    T_MILTER_PID=$!
    t_remember "$T_MILTER_PID"
    t_wait 30 f_more "$T/milter.log" "starting:" "$before"
}

f_alive() {
    kill -0 "$1" 2>/dev/null
}

# f_msg ID - a report about two recipients, marked with ID.
f_msg() {
    sed "s/FAULT-ID/$1/g" "$FIX/fault-dsn.eml"
}

f_open() {
    exec 3<>"/dev/tcp/127.0.0.1/$1" 2>/dev/null || return 1
    if ! t_smtp_read || [ "${T_REPLY#220}" = "$T_REPLY" ]; then
        exec 3>&-
        return 1
    fi
    t_smtp_cmd EHLO "EHLO load.test" >/dev/null
}

f_close() {
    printf 'QUIT\r\n' >&3 2>/dev/null
    t_smtp_read
    exec 3>&-
}

# f_step LABEL COMMAND ID WANT - a command on fd 3; "ID LABEL:reply" on a miss.
f_step() {
    t_smtp_cmd "$1" "$2" >/dev/null || { echo "$3 $1:(no reply)"; return 2; }
    case $T_REPLY in
    "$4"*) return 0 ;;
    esac
    echo "$3 $1:$T_REPLY"
    printf 'RSET\r\n' >&3
    t_smtp_read
    return 1
}

# f_tx ID - one transaction on the open session; prints "ID reply".
f_tx() {
    f_step MAIL "MAIL FROM:<>" "$1" 2 || return
    f_step RCPT "RCPT TO:<alice@sender.test>" "$1" 2 || return
    f_step DATA DATA "$1" 354 || return
    f_msg "$1" | sed -e 's/^\./../' -e 's/$/\r/' >&3
    printf '.\r\n' >&3
    t_smtp_read || { echo "$1 END:(no reply)"; return 2; }
    echo "$1 $T_REPLY"
    [ "${T_REPLY#2}" != "$T_REPLY" ]
}

# f_load NAME SESSIONS PER DIR - SESSIONS parallel f_session runs of PER
# messages each (ids NAMEs-i), answers in DIR/res.s; their PIDs in
# F_LOAD_PIDS (and remembered for the cleanup).
f_load() {
    local s i ids
    F_LOAD_PIDS=
    for s in $(seq 1 "$2"); do
        ids=
        for i in $(seq 1 "$3"); do ids="$ids $1$s-$i"; done
        f_session "$SMTPD" $ids >"$4/res.$s" 2>/dev/null &
        F_LOAD_PIDS="$F_LOAD_PIDS $!"
        t_remember $!
    done
}

# f_session PORT ID... - send each ID in one session; after a refusal,
# a new session (and so a new milter connection) for the next one.
f_session() {
    local port=$1 id open=0
    shift
    for id in "$@"; do
        if [ $open = 0 ]; then
            if ! f_open "$port"; then
                echo "$id CONNECT:failed"
                continue
            fi
            open=1
        fi
        f_tx "$id" || { f_close; open=0; }
    done
    [ $open = 1 ] && f_close
    return 0
}

# f_refused RESULTS - the IDs that have no 2xx reply yet.
f_refused() {
    awk '$2 ~ /^2/ { ok[$1] = 1; next } { seen[$1] = 1 }
         END { for (id in seen) if (!(id in ok)) print id }' "$1" | sort
}

# f_accepted RESULTS - how many IDs got a 2xx; f_dups: IDs with two.
f_accepted() {
    awk '$2 ~ /^2/ { n++ } END { print n + 0 }' "$1"
}

f_dups() {
    awk '$2 ~ /^2/ { c[$1]++ } END { for (id in c) if (c[id] > 1) print id }' "$1"
}

f_drained() {
    postqueue -c "$T/postfix" -p 2>/dev/null | grep -q "Mail queue is empty"
}

# f_sink_ids PREFIX - "count id" for each delivered ID starting with PREFIX.
f_sink_ids() {
    grep -h "^X-Fault-Id: $1" "$T/ok"/* 2>/dev/null | awk '{ print $2 }' |
        sort | uniq -c
}

# f_sink_file ID - the delivered file of one ID.
f_sink_file() {
    grep -l "^X-Fault-Id: $1\$" "$T/ok"/* 2>/dev/null | head -n 1
}

# f_explained FILE - X-SMTP-Explain headers in the top header block.
f_explained() {
    awk '/^$/ { exit } /^X-SMTP-Explain:/ { n++ } END { print n + 0 }' "$1"
}

# f_delivered PREFIX N - wait until N distinct IDs are at the sink.
f_have() {
    [ "$(f_sink_ids "$1" | wc -l)" -ge "$2" ]
}

# ---------------------------------------------------------------- setup

echo "== faults: setup"
f_conf "$T/milter.conf"
SMTPD=$(t_free_port)
SINK_OK=$(t_free_port)
SINK_BAD=$(t_free_port)
PORT_ACCEPT=$(t_free_port)
PORT_TEMPFAIL=$(t_free_port)
T_MILTER_PF="unix:$T/sock/milter.sock"
t_sockdir "$T/sock"
SETUP=ok
if ! t_sink ok "$SINK_OK"; then
    t_fail "smtp-sink starts" "see $T/ok.log"
    SETUP=
elif ! f_milter_start; then
    t_fail "milter starts" "$(tail -n 3 "$T/milter.log")"
    SETUP=
elif ! t_postfix_start "$SMTPD" "$SINK_OK" "$SINK_BAD"; then
    t_fail "Postfix starts" "$(cat "$T"/postfix-*.log "$T/postfix.log" 2>/dev/null | tail -n 5)"
    SETUP=
else
    # Two more smtpd services with short milter timeouts, one per action.
    # (master.cf cannot nest braces in -o: the lists live in main.cf.
    # Postfix 3.7 wants name=value without spaces inside a milter's braces.)
    for pair in "$PORT_ACCEPT accept" "$PORT_TEMPFAIL tempfail"; do
        set -- $pair
        postconf -c "$T/postfix" -e "fault_$2_milters = { unix:$T/sock/milter.sock, default_action=$2, connect_timeout=3s, command_timeout=3s, content_timeout=3s }"
        cat >>"$T/postfix/master.cf" <<EOF
127.0.0.1:$1 inet n - n - - smtpd
  -o smtpd_milters=\$fault_$2_milters
EOF
    done
    postfix -c "$T/postfix" reload >>"$T/postfix-start.log" 2>&1
    if t_wait 30 t_listening "$PORT_ACCEPT" && t_wait 30 t_listening "$PORT_TEMPFAIL"; then
        t_pass "private Postfix with tempfail (:$SMTPD), accept and tempfail at 3 s (:$PORT_ACCEPT, :$PORT_TEMPFAIL)"
    else
        t_fail "Postfix reload with the timeout services" "$(tail -n 5 "$T/postfix.log")"
        SETUP=
    fi
fi

# ---------------------------------------------------------------- a. SIGKILL

test_kill() {
    local s i ids pids= n=0 round before
    mkdir -p "$T/a"
    f_load kill 10 30 "$T/a"
    pids=$F_LOAD_PIDS
    # Mid-run: a fifth of the messages answered.
    mid() { [ "$(cat "$T"/a/res.* | wc -l)" -ge 60 ]; }
    t_wait 120 mid || { T_WHY="the load did not get going"; return 1; }
    kill -9 "$T_MILTER_PID"
    t_wait 10 t_gone "$T_MILTER_PID"
    wait "$T_MILTER_PID" 2>/dev/null
    T_PIDS=$(echo "$T_PIDS" | sed "s/ $T_MILTER_PID\b//")
    f_milter_start || { T_WHY="the milter did not restart"; return 1; }
    done_all() { local p; for p in $pids; do f_alive "$p" && return 1; done; return 0; }
    t_wait 240 done_all || { T_WHY="the load sessions did not end"; return 1; }
    cat "$T"/a/res.* >"$T/a/results"
    F_KILL_REFUSED=$(f_refused "$T/a/results" | wc -l)
    # Send the refused ones again, as a client retrying after 4xx would.
    for round in 1 2 3; do
        ids=$(f_refused "$T/a/results")
        [ -z "$ids" ] && break
        f_session "$SMTPD" $ids >>"$T/a/results"
    done
    n=$(f_accepted "$T/a/results")
    [ "$n" = 300 ] || { T_WHY="$n of 300 accepted after 3 rounds; $(f_refused "$T/a/results" | head -n 3 | tr '\n' ' ')"; return 1; }
    [ -z "$(f_dups "$T/a/results")" ] || { T_WHY="accepted twice: $(f_dups "$T/a/results" | head -n 3)"; return 1; }
    [ "$F_KILL_REFUSED" -ge 1 ] || { T_WHY="no message met the outage: the kill proved nothing"; return 1; }
    t_wait 120 f_have kill 300 || { T_WHY="$(f_sink_ids kill | wc -l) of 300 at the sink"; return 1; }
    t_wait 60 f_drained || { T_WHY="queue not empty: $(postqueue -c "$T/postfix" -p | tail -n 1)"; return 1; }
    # Exactly once each, and none slipped through unexplained.
    if f_sink_ids kill | awk '$1 != 1 { bad = 1 } END { exit !bad }'; then
        T_WHY="delivered more than once: $(f_sink_ids kill | awk '$1 != 1' | head -n 3 | tr '\n' ' ')"
        return 1
    fi
    local f unexplained=0
    for f in $(grep -l '^X-Fault-Id: kill' "$T/ok"/*); do
        [ "$(f_explained "$f")" = 2 ] || unexplained=$((unexplained + 1))
    done
    [ "$unexplained" = 0 ] || { T_WHY="$unexplained delivered without their two headers"; return 1; }
    echo "       ($F_KILL_REFUSED of 300 refused with 4xx during the outage, sent again, each delivered once)"
}

if [ -n "$SETUP" ]; then
    echo "== faults: SIGKILL under load"
    check "milter killed with SIGKILL under load: 300 accepted once, delivered once, all explained" test_kill
fi

# ---------------------------------------------------------------- b. SIGSTOP

# f_timeouts WHEN - Postfix's log lines for a milter timeout at that stage.
f_timeouts() {
    # Before DATA the stalled request is DATA, or the macros sent with it
    # when the machine is slow enough to split them, or (when Postfix
    # sends nothing for DATA) the first header: any request from then on.
    local stage='(DATA|MACRO|RCPT|HEADER|EOH|BODY|BODYEOB)'
    [ "$1" = content ] && stage='(HEADER|EOH|BODY|BODYEOB)'
    grep -cE "milter unix:$T/sock/milter.sock: can't (read|send) SMFIC_$stage .*timed out" \
        "$T/postfix.log" 2>/dev/null
}

f_timed_out() {
    [ "$(f_timeouts "$1")" -gt "$2" ]
}

# f_stalled PORT ID WHEN - one message with the milter stopped before DATA
# (command timeout) or after 354 (content timeout); prints the replies.
f_stalled() {
    local port=$1 id=$2 when=$3
    f_open "$port" || { echo "$id CONNECT:failed"; return 1; }
    f_step MAIL "MAIL FROM:<>" "$id" 2 || { f_close; return 1; }
    f_step RCPT "RCPT TO:<alice@sender.test>" "$id" 2 || { f_close; return 1; }
    [ "$when" = command ] && kill -STOP "$T_MILTER_PID"
    if f_step DATA DATA "$id" 354; then
        [ "$when" = content ] && kill -STOP "$T_MILTER_PID"
        f_msg "$id" | sed -e 's/^\./../' -e 's/$/\r/' >&3
        printf '.\r\n' >&3
        if t_smtp_read; then echo "$id $T_REPLY"; else echo "$id END:(no reply)"; fi
    fi
    f_close
    kill -CONT "$T_MILTER_PID"
}

test_stop_accept() {
    local when=$1 id="stop-accept-$1" f before
    before=$(f_timeouts "$when")
    f_stalled "$PORT_ACCEPT" "$id" "$when" >"$T/b-$id"
    grep -q "^$id 250" "$T/b-$id" || { T_WHY="client saw: $(cat "$T/b-$id")"; return 1; }
    t_wait 60 f_have "$id" 1 || { T_WHY="not delivered"; return 1; }
    f=$(f_sink_file "$id")
    [ "$(f_sink_ids "$id" | awk '{ print $1 }')" = 1 ] || { T_WHY="delivered twice"; return 1; }
    [ "$(f_explained "$f")" = 0 ] || { T_WHY="explained although the milter was stopped"; return 1; }
    t_wait 90 f_timed_out "$when" "$before" || { T_WHY="no $when timeout in Postfix's log"; return 1; }
}

test_stop_tempfail() {
    local when=$1 id="stop-tempfail-$1" f before
    before=$(f_timeouts "$when")
    f_stalled "$PORT_TEMPFAIL" "$id" "$when" >"$T/b-$id"
    grep -q "^$id [A-Z]*:*4[0-9][0-9]" "$T/b-$id" || { T_WHY="client saw: $(cat "$T/b-$id")"; return 1; }
    t_wait 90 f_timed_out "$when" "$before" || { T_WHY="no $when timeout in Postfix's log"; return 1; }
    # Sent again after SIGCONT: the milter serves on, the message arrives explained.
    f_session "$PORT_TEMPFAIL" "$id" >>"$T/b-$id"
    grep -q "^$id 250" "$T/b-$id" || { T_WHY="resend: $(tail -n 1 "$T/b-$id")"; return 1; }
    t_wait 60 f_have "$id" 1 || { T_WHY="not delivered"; return 1; }
    f=$(f_sink_file "$id")
    [ "$(f_sink_ids "$id" | awk '{ print $1 }')" = 1 ] || { T_WHY="delivered twice"; return 1; }
    [ "$(f_explained "$f")" = 2 ] || { T_WHY="not explained after the resend"; return 1; }
}

if [ -n "$SETUP" ]; then
    echo "== faults: milter stopped past Postfix's timeouts (3 s)"
    check "stopped before DATA, default_action=accept: delivered once, unexplained" test_stop_accept command
    check "stopped before DATA, default_action=tempfail: 4xx, resent, delivered once, explained" test_stop_tempfail command
    check "stopped after 354, default_action=accept: delivered once, unexplained" test_stop_accept content
    check "stopped after 354, default_action=tempfail: 4xx, resent, delivered once, explained" test_stop_tempfail content
    check "milter alive after SIGSTOP/SIGCONT" f_alive "$T_MILTER_PID"
fi

# ---------------------------------------------------------------- c. reload

test_reload_load() {
    local s i ids pids= k=0 during=0 before p f a b mixed=0
    mkdir -p "$T/c"
    f_conf "$T/reload-a.conf" '    authserv_id = "reload-a.test";'
    f_conf "$T/reload-b.conf" '    authserv_id = "reload-b.test";'
    sed -i '/authserv_id = "mx.test"/d' "$T/reload-a.conf" "$T/reload-b.conf"
    f_load reload 5 20 "$T/c"
    pids=$F_LOAD_PIDS
    running() { for p in $pids; do f_alive "$p" && return 0; done; return 1; }
    while [ $k -lt 20 ]; do
        running && during=$((during + 1))
        if [ $((k % 2)) = 0 ]; then f=a; else f=b; fi
        cp "$T/reload-$f.conf" "$T/milter.conf.new" && mv "$T/milter.conf.new" "$T/milter.conf"
        before=$(f_count "$T/milter.log" "configuration reloaded")
        kill -USR1 "$T_MILTER_PID"
        t_wait 15 f_more "$T/milter.log" "configuration reloaded" "$before" || {
            T_WHY="reload $((k + 1)) not logged"
            return 1
        }
        k=$((k + 1))
    done
    t_wait 180 eval '! running' || { T_WHY="the load sessions did not end"; return 1; }
    cat "$T"/c/res.* >"$T/c/results"
    [ "$(f_accepted "$T/c/results")" = 100 ] || {
        T_WHY="$(f_accepted "$T/c/results") of 100 accepted: $(f_refused "$T/c/results" | head -n 2 | tr '\n' ' ')"
        return 1
    }
    grep -q "reload failed" "$T/milter.log" && { T_WHY="a reload failed"; return 1; }
    t_wait 120 f_have reload 100 || { T_WHY="$(f_sink_ids reload | wc -l) of 100 at the sink"; return 1; }
    if f_sink_ids reload | awk '$1 != 1 { bad = 1 } END { exit !bad }'; then
        T_WHY="delivered more than once"
        return 1
    fi
    # One configuration per message: both headers from the same one.
    for f in $(grep -l '^X-Fault-Id: reload' "$T/ok"/*); do
        a=$(awk '/^$/ { exit } /^X-SMTP-Explain:/' "$f" | awk '{ print $2 }' | sort -u)
        [ "$(f_explained "$f")" = 2 ] && [ "$(echo "$a" | wc -l)" = 1 ] || mixed=$((mixed + 1))
    done
    [ "$mixed" = 0 ] || { T_WHY="$mixed messages without two headers of one configuration"; return 1; }
    f_alive "$T_MILTER_PID" || { T_WHY="milter died"; return 1; }
    [ "$during" -ge 1 ] || { T_WHY="no reload while the load ran"; return 1; }
    a=$(grep -l '^X-SMTP-Explain: reload-a.test' "$T/ok"/* | wc -l)
    b=$(grep -l '^X-SMTP-Explain: reload-b.test' "$T/ok"/* | wc -l)
    echo "       ($k reloads, $during during the load; $a messages by config a, $b by config b)"
}

if [ -n "$SETUP" ]; then
    echo "== faults: reload under load"
    check "20 x SIGUSR1 under load: 100 accepted first time, delivered once, one config each" test_reload_load
fi

# ---------------------------------------------------------------- d. paths

echo "== faults: unwritable paths and a full disk"
mkdir -p "$T/d/ro" "$T/d/nobody"
chmod 755 "$T/d" "$T/d/ro"
chown nobody "$T/d/nobody"
: >"$T/d/file"
f_conf "$T/d/plain.conf"
# As nobody, chown to a group it is not in would fail first: no socket_group.
sed '/socket_group/d' "$T/d/plain.conf" >"$T/d/nobody.conf"
chmod 644 "$T/d/nobody.conf"

# f_fails NAME WANT COMMAND... - exits non-zero within 20 s, WANT in its output.
f_fails() {
    local out="$T/d/$1.out" rc
    shift
    local want=$1
    shift
    timeout 20 "$@" >"$out" 2>&1
    rc=$?
    [ $rc != 0 ] && [ $rc != 124 ] || { T_WHY="exit status $rc"; return 1; }
    has "$out" "$want" "wanted \"$want\", got: $(tr '\n' ' ' <"$out")"
}

test_pid_missing() {
    f_fails pid-missing "$T/d/nodir/m.pid: cannot create the pid file: No such file or directory" \
        "$MILTER" -f -u nobody -c "$T/d/plain.conf" -p "unix:$T/d/p1.sock" -P "$T/d/nodir/m.pid" &&
        { [ ! -e "$T/d/p1.sock" ] || { T_WHY="socket left behind"; return 1; }; }
}
check "pid file in a missing directory: exit 1, path and reason" test_pid_missing

test_pid_missing_daemon() {
    # Detaching: the parent's status must be the child's verdict.
    f_fails pid-missing-d "No such file or directory" \
        "$MILTER" -u nobody -c "$T/d/plain.conf" -p "unix:$T/d/p2.sock" -P "$T/d/nodir/m.pid"
}
check "pid file in a missing directory, detaching: exit 1 on the terminal" test_pid_missing_daemon

test_pid_unwritable() {
    f_fails pid-ro "$T/d/ro/m.pid: cannot create the pid file: Permission denied" \
        runuser -u nobody -- "$MILTER" -f -c "$T/d/nobody.conf" -p "unix:$T/d/nobody/p3.sock" -P "$T/d/ro/m.pid"
}
check "pid file in an unwritable directory (as nobody): exit 1, path and reason" test_pid_unwritable

test_sock_missing() {
    f_fails sock-missing "$T/d/nodir: No such file or directory" \
        "$MILTER" -f -u nobody -c "$T/d/plain.conf" -p "unix:$T/d/nodir/s.sock"
}
check "socket in a missing directory: exit 1, directory and reason" test_sock_missing

test_sock_missing_daemon() {
    f_fails sock-missing-d "$T/d/nodir: No such file or directory" \
        "$MILTER" -u nobody -c "$T/d/plain.conf" -p "unix:$T/d/nodir/s.sock"
}
check "socket in a missing directory, detaching: exit 1 on the terminal" test_sock_missing_daemon

test_sock_unwritable() {
    f_fails sock-ro "$T/d/ro: Permission denied" \
        runuser -u nobody -- "$MILTER" -f -c "$T/d/nobody.conf" -p "unix:$T/d/ro/s.sock"
}
check "socket in an unwritable directory (as nobody): exit 1, directory and reason" test_sock_unwritable

test_sock_notdir() {
    f_fails sock-notdir "$T/d/file: Not a directory" \
        "$MILTER" -f -u nobody -c "$T/d/plain.conf" -p "unix:$T/d/file/s.sock"
}
check "socket under a regular file: exit 1, path and reason" test_sock_notdir

# f_keeps NAME CONF WANT - the milter starts, logs WANT, and still answers.
f_keeps() {
    local name=$1 conf=$2 want=$3 log="$T/d/$1.log" pid ok=0
    "$MILTER" -f -u nobody -c "$conf" -p "unix:$T/d/nobody/$name.sock" 2>"$log" &
    pid=$!
    t_remember "$pid"
    if t_wait 30 t_log_has "$log" "$want"; then
        # Still explaining mail: a whole milter conversation with a report.
        if miltertest -D "socket=unix:$T/d/nobody/$name.sock" -D "dir=$HERE/milter" \
            -s "$HERE/milter/annotate.lua" >"$T/d/$name.mt" 2>&1 && f_alive "$pid"; then
            ok=1
        else
            T_WHY="no longer answers: $(tail -n 2 "$T/d/$name.mt" | tr '\n' ' ')"
        fi
    else
        T_WHY="wanted \"$want\", got: $(tr '\n' ' ' <"$log")"
    fi
    kill "$pid" 2>/dev/null
    t_wait 20 t_gone "$pid" || kill -9 "$pid" 2>/dev/null
    T_PIDS=$(echo "$T_PIDS" | sed "s/ $pid\b//")
    [ $ok = 1 ]
}

test_stats_unwritable() {
    f_conf "$T/d/stats-ro.conf" "    stats_file = \"$T/d/ro/metrics.prom\"; stats_interval = 1;"
    f_keeps stats-ro "$T/d/stats-ro.conf" "$T/d/ro/metrics.prom: cannot write the metrics: Permission denied"
}
check "metrics file unwritable: logged with path and reason, milter keeps serving" test_stats_unwritable

# A small full file system, when this machine lets us mount one.
mkdir -p "$T/d/full"
if mount -t tmpfs -o size=16k,mode=0777 tmpfs "$T/d/full" 2>/dev/null; then
    F_MNT="$T/d/full"
    dd if=/dev/zero of="$T/d/full/filler" bs=1k count=64 2>/dev/null
    test_pid_full() {
        f_fails pid-full "$T/d/full/m.pid: cannot write the pid file: No space left on device" \
            "$MILTER" -f -u nobody -c "$T/d/plain.conf" -p "unix:$T/d/p4.sock" -P "$T/d/full/m.pid" &&
            f_fails pid-full-d "No space left on device" \
                "$MILTER" -u nobody -c "$T/d/plain.conf" -p "unix:$T/d/p5.sock" -P "$T/d/full/m.pid" &&
            { [ ! -e "$T/d/full/m.pid" ] || { T_WHY="an empty pid file left behind"; return 1; }; }
    }
    check "pid file on a full disk: exit 1 (foreground and detaching), reason given" test_pid_full
    test_stats_full() {
        f_conf "$T/d/stats-full.conf" "    stats_file = \"$T/d/full/metrics.prom\"; stats_interval = 1;"
        f_keeps stats-full "$T/d/stats-full.conf" "$T/d/full/metrics.prom: cannot write the metrics: No space left on device"
    }
    check "metrics file on a full disk: logged with reason, milter keeps serving" test_stats_full
    umount "$F_MNT" 2>/dev/null
    F_MNT=
else
    echo "skip   full-disk tests: cannot mount a tmpfs here"
fi

# ---------------------------------------------------------------- e. privileges

echo "== faults: least privilege"
mkdir -p "$T/e/run" "$T/e/stats"
chmod 755 "$T/e" "$T/e/run"
chown nobody "$T/e/run" "$T/e/stats"
f_conf "$T/e/priv.conf" "    socket_mode = \"0620\"; stats_file = \"$T/e/stats/metrics.prom\"; stats_interval = 1;"
sed -i '/socket_group = "postfix"/d' "$T/e/priv.conf"
# Started under umask 000, as user nobody and group postfix.
(umask 000; exec "$MILTER" -f -u nobody:postfix -c "$T/e/priv.conf" -p "unix:$T/e/run/m.sock" \
    -P "$T/e/run/m.pid" 2>"$T/e/milter.log") &
E_PID=$!
t_remember "$E_PID"
if t_wait 30 t_log_has "$T/e/milter.log" "starting:" && t_wait 30 test -s "$T/e/stats/metrics.prom"; then
    test_ids() {
        local uids gids groups cap
        uids=$(awk '/^Uid:/ { print $2, $3, $4, $5 }' "/proc/$E_PID/status")
        gids=$(awk '/^Gid:/ { print $2, $3, $4, $5 }' "/proc/$E_PID/status")
        groups=$(awk '/^Groups:/ { $1 = ""; print }' "/proc/$E_PID/status")
        cap=$(awk '/^CapEff:/ { print $2 }' "/proc/$E_PID/status")
        [ "$uids" = "$NOBODY_UID $NOBODY_UID $NOBODY_UID $NOBODY_UID" ] || { T_WHY="Uid: $uids"; return 1; }
        [ "$gids" = "$POSTFIX_GID $POSTFIX_GID $POSTFIX_GID $POSTFIX_GID" ] || { T_WHY="Gid: $gids"; return 1; }
        case " $groups " in *" 0 "*) T_WHY="still in group 0: $groups"; return 1 ;; esac
        [ "$(echo "$cap" | tr -d 0)" = "" ] || { T_WHY="capabilities left: $cap"; return 1; }
    }
    check "after the drop: real, effective, saved, fs uid and gid are the user's; no capabilities" test_ids
    test_sock_mode() {
        local m
        m=$(stat -c '%a %U %G' "$T/e/run/m.sock")
        [ "$m" = "620 nobody postfix" ] || { T_WHY="socket is $m"; return 1; }
    }
    check "socket_mode 0620 and the group of -u user:group on the socket" test_sock_mode
    test_no_world_writable() {
        local f m bad=
        for f in "$T/e/run/m.sock" "$T/e/run/m.pid" "$T/e/stats/metrics.prom"; do
            m=$(stat -c '%a' "$f") || { bad="$bad $f:missing"; continue; }
            [ $(( 0$m & 02 )) = 0 ] || bad="$bad $f:$m"
        done
        [ -z "$bad" ] || { T_WHY="world-writable:$bad"; return 1; }
    }
    check "under umask 000: socket, pid file and metrics file not world-writable" test_no_world_writable
else
    t_fail "milter for the privilege tests starts" "$(tail -n 3 "$T/e/milter.log")"
fi
kill "$E_PID" 2>/dev/null
t_wait 20 t_gone "$E_PID" || kill -9 "$E_PID" 2>/dev/null
T_PIDS=$(echo "$T_PIDS" | sed "s/ $E_PID\b//")

# ---------------------------------------------------------------- f. max_headers

echo "== faults: header bound"
f_many() {
    local i
    printf 'Return-Path: <>\nFrom: MAILER-DAEMON@mx.remote.test\nSubject: many\nMIME-Version: 1.0\n'
    printf 'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\n\n'
    printf -- '--B\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.remote.test\n'
    for i in $(seq 1 "$1"); do
        printf '\nFinal-Recipient: rfc822; u%d@remote.test\nAction: failed\nStatus: 5.1.1\n' "$i"
    done
    printf -- '\n--B--\n'
}

test_max_headers() {
    local max n
    f_many 40 >"$T/many.eml"
    for max in 3 20; do
        f_conf "$T/max$max.conf" "    max_headers = $max;"
        "$MILTER" -c "$T/max$max.conf" -t "$T/many.eml" >"$T/max$max.out" 2>/dev/null || { T_WHY="-t failed"; return 1; }
        n=$(grep -c '^### ADDHEADER X-SMTP-Explain:' "$T/max$max.out")
        [ "$n" = "$max" ] || { T_WHY="max_headers=$max: $n headers for 40 findings"; return 1; }
    done
    f_conf "$T/max50.conf" "    max_headers = 50;"
    "$MILTER" -c "$T/max50.conf" -t "$T/many.eml" >"$T/max50.out" 2>/dev/null
    n=$(grep -c '^### ADDHEADER X-SMTP-Explain:' "$T/max50.out")
    [ "$n" = 40 ] || { T_WHY="max_headers=50: $n headers for 40 findings"; return 1; }
}
check "max_headers bounds the headers added (3 and 20 of 40; all 40 under 50)" test_max_headers

# ---------------------------------------------------------------- done

if [ "$T_FAILED" -gt 0 ]; then
    echo "--- milter log"
    tail -n 20 "$T/milter.log"
    echo "--- postfix log"
    tail -n 20 "$T/postfix.log" 2>/dev/null
fi
echo "$T_PASSED passed, $T_FAILED failed"
[ "$T_FAILED" -eq 0 ]
