#!/bin/sh
# hostile.sh BUILD_DIR - reports built to make a reader slow, through a
# real Postfix with the milter.
#
# Each class of tests/hostile/gen.c is written at 1 MB with a forged
# X-SMTP-Explain header on top and sent as a report (null sender) to a
# private Postfix whose milter entry has default_action=tempfail and a
# content_timeout of 10 s: a milter that outlived the timeout would make
# Postfix answer 4xx, so "250 after the dot" proves the milter answered
# in time. Each message must then reach the next hop once, without the
# forged header. A second milter with a tiny analysis_work proves the
# budget path: the analysis is cut, the headers say so, the log warns,
# the forged header is gone all the same.
#
# Needs root, postfix and the build's hostile-gen. Prints "N passed, M
# failed"; exits non-zero when anything failed.

[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=$(cd "${1:-build}" && pwd)
GEN="$BUILD/hostile-gen"
MILTER="$BUILD/smtp-explain-milter"
PATH="$PATH:/usr/sbin:/sbin"
export PATH

. "$HERE/lib.sh"

t_preflight "hostile-input tests"
[ -x "$GEN" ] || { echo "SKIP: $GEN is not built"; exit 0; }

t_init
t_cleanup_keep() {
    if [ -n "${HOSTILE_KEEP:-}" ]; then
        cp -r "$T" "$T.kept" 2>/dev/null
    fi
    t_cleanup
}
# HOSTILE_KEEP=1 keeps the daemons' logs (in $T) for a look after a failure.
trap '[ -n "${HOSTILE_KEEP:-}" ] && echo "kept $T"; t_cleanup_keep' EXIT
trap 'exit 1' INT TERM

# The milter's configuration: the shipped defaults (the budget included).
printf 'settings = {\n    socket_group = "postfix";\n};\n' >"$T/milter.conf"
printf 'settings = {\n    socket_group = "postfix";\n    analysis_work = 2000;\n};\n' \
    >"$T/tiny.conf"
chmod 644 "$T/milter.conf" "$T/tiny.conf"

# hostile_pf_start PORT SINK_PORT MILTER - Postfix that waits 10 s at most.
hostile_pf_start() {
    local port=$1 ok=$2 milter=$3
    t_postfix_main <<EOF
relay_domains = sender.test
relay_recipient_maps = inline:{ alice@sender.test=ok }
transport_maps = inline:{ sender.test=smtp:[127.0.0.1]:$ok }
message_size_limit = 10240000
smtpd_milters = { $milter, default_action=tempfail, connect_timeout=10s, command_timeout=10s, content_timeout=10s }
EOF
    t_postfix_run "$T/postfix" "$port"
}

SMTPD=$(t_free_port)
SINK=$(t_free_port)
mkdir -p "$T/in"
if ! "$GEN" -d "$T/in" 1m >"$T/gen.log" 2>&1; then
    t_fail "hostile inputs written" "$(cat "$T/gen.log")"
elif ! t_sink ok "$SINK"; then
    t_fail "smtp-sink starts" "see $T/ok.log"
elif ! t_milter_start "$BUILD" "$T/milter.conf"; then
    t_fail "milter starts" "$(tail -n 5 "$T/milter.log")"
elif ! hostile_pf_start "$SMTPD" "$SINK" "$T_MILTER_PF"; then
    t_fail "Postfix starts" "$(cat "$T"/postfix-*.log "$T/postfix.log" 2>/dev/null | tail -n 5)"
else
    t_pass "private Postfix on 127.0.0.1:$SMTPD, content_timeout=10s"
fi

# send_forged FILE MARK - the message with a forged header and a
# Message-ID of its own on top, as a report; replies in $T/MARK.out.
send_forged() {
    { printf 'X-SMTP-Explain: forged-by-stranger-%s; reason=userunknown\n' "$2"
      printf 'Message-ID: <%s@hostile.test>\n' "$2"
      cat "$1"
      # A last line without its LF would swallow the end of data.
      [ -z "$(tail -c 1 "$1")" ] || echo; } | t_smtp "$SMTPD" "" alice@sender.test >"$T/$2.out"
}

# arrived MARK - answered 250 after the dot, delivered once, forged header gone.
arrived() {
    grep -q '^END 250' "$T/$1.out" || {
        T_WHY="not accepted: $(tr '\n' ' ' <"$T/$1.out")"
        return 1
    }
    t_delivered "$1@hostile.test" || return 1
    [ "$(grep -lF -- "$1@hostile.test" "$T"/ok/* | grep -vc '\.head$')" = 1 ] || {
        T_WHY="delivered more than once"
        return 1
    }
    ! grep -qF "forged-by-stranger-$1" "$T_MSG" || {
        T_WHY="the forged header reached the next hop"
        return 1
    }
}

test_class() {
    local file=$1 name start end
    name=$(basename "$file" .eml)
    start=$(date +%s%N)
    send_forged "$file" "$name"
    end=$(date +%s%N)
    # For the reader of the log, not a verdict: time is noisy here.
    echo "   $name: $(( (end - start) / 1000000 )) ms from connect to QUIT"
    arrived "$name"
}

if [ -n "$T_POSTFIX" ]; then
    # HOSTILE_ONLY=NAME runs one class (when looking into a failure).
    for f in "$T"/in/${HOSTILE_ONLY:-*}.eml; do
        check "1 MB $(basename "$f" .eml): answered in time, forged header removed" \
            test_class "$f"
    done
    check "no milter timeout in Postfix's log" \
        eval '! grep -qiE "milter.*(timeout|timed out)" "$T/postfix.log"'
fi

# ---------------------------------------------------------------- budget

test_budget_cut() {
    t_milter_stop
    rm -f "$T/milter.sock"
    t_milter_start "$BUILD" "$T/tiny.conf" || { T_WHY="milter with tiny.conf"; return 1; }
    # Serving once its socket is in place.
    t_wait 30 test -S "${T_MILTER_PF#unix:}" || { T_WHY="no socket"; return 1; }
    "$GEN" -r 64k >"$T/report.eml" || return 1
    send_forged "$T/report.eml" budget-cut
    arrived budget-cut || return 1
    grep -q '^X-SMTP-Explain: .*' "$T_MSG.head" || { T_WHY="no header added"; return 1; }
    grep -qF "cut=work" "$T_MSG.head" ||
        { T_WHY="no cut=work in the headers"; return 1; }
    t_wait 10 t_log_has "$T/milter.log" "analysis cut: the message passed analysis_work" ||
        { T_WHY="no warning in the milter's log"; return 1; }
}
[ -n "$T_POSTFIX" ] && check "budget spent: cut=work, warning logged, forged header removed" test_budget_cut

if [ "$T_FAILED" -gt 0 ]; then
    echo "--- milter log"
    tail -n 20 "$T/milter.log"
    echo "--- postfix log"
    tail -n 20 "$T/postfix.log" 2>/dev/null
fi
echo "$T_PASSED passed, $T_FAILED failed"
[ "$T_FAILED" -eq 0 ]
