#!/bin/sh
# run.sh BUILD_DIR - integration tests of smtp-explain-milter.
#
# 1. the daemon's own checks: -n, -t (test mode), refusing root;
# 2. miltertest scripts against the running milter: negotiation, the
#    SMFIP_RCPT_REJ macros, header removal, added headers, exact
#    reject/tempfail replies;
# 3. a private Postfix on loopback with the milter in smtpd_milters and
#    non_smtpd_milters, smtp-sink as the next hop: remote reports,
#    Postfix's own bounces, defer/reject replies at the SMTP client,
#    Subject rewriting, forged headers, the session (harvest) rule,
#    reload on SIGUSR1;
# 4. faults.sh, with its own Postfix: the milter killed, stopped past
#    Postfix's timeouts and reloaded under load; unwritable paths and a
#    full disk; privileges and file modes; its counts join these;
# 5. startup.sh: attacks on the start as root with -u: planted links at
#    the pid file and socket paths, SIGUSR1 during start-up, a second
#    instance, -u root; its counts join these too;
# 6. hostile.sh, with its own Postfix: 1 MB reports built to make a
#    reader slow are answered within a 10 s content timeout with forged
#    headers removed; a spent budget is marked and logged;
# 7. filters.sh, with its own Postfix: the documented Sieve and procmail
#    examples, run by sieve-test and procmail, file hostile reports by
#    what the milter found, never by what the remote server wrote;
# 8. explain-body.sh, with its own Postfix: the explanation in the text
#    of a remote DSN, a Postfix bounce and a delay notice, in the mapped
#    language; the DSN read the same (our reader, Python's email); a
#    signed report left alone; the block as mutt and w3m show it;
# 9. explain-dkim.sh, with its own Postfix and OpenDKIM signer and
#    verifier: a signed report still passes a verifier after the milter
#    unless explain_body_signed, and passes one before it either way;
# 10. sieve-reject.sh, with Dovecot's LDA and its own Postfix: a Sieve
#    reject and a vacation reply as Pigeonhole writes them, read by the
#    command and passed through the milter.
#
# Needs root (Postfix) and the packages postfix and miltertest; as root
# they are installed when missing, otherwise the tests are skipped.
# Prints "N passed, M failed"; exits non-zero when anything failed.

[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=$(cd "${1:-build}" && pwd)
FIX="$HERE/fixtures"
MILTER="$BUILD/smtp-explain-milter"
PATH="$PATH:/usr/sbin:/sbin"
export PATH

. "$HERE/lib.sh"

# ---------------------------------------------------------------- setup

t_preflight "integration tests"

t_init
trap t_cleanup EXIT
trap 'exit 1' INT TERM

# The test policy, plus a socket group Postfix can use and a metrics
# file the milter (running as nobody) can write.
mkdir -p "$T/stats"
chown nobody "$T/stats"
sed -e 's/^settings = {/settings = {\n    socket_group = "postfix";/' \
    -e "s|^settings = {|settings = {\n    stats_file = \"$T/stats/metrics.prom\";\n    stats_interval = 1;|" \
    "$HERE/policy.conf" >"$T/milter.conf"
chmod 644 "$T/milter.conf"

# check NAME COMMAND... - one test from a command's exit status.
# has FILE TEXT [WHY] - fixed-string search with a reason on failure.
has() {
    grep -qF -- "$2" "$1" 2>/dev/null && return 0
    T_WHY="${3:-\"$2\" not in $(basename "$1")}"
    return 1
}

hasnt() {
    grep -qF -- "$2" "$1" 2>/dev/null || return 0
    T_WHY="${3:-\"$2\" found in $(basename "$1")}"
    return 1
}

# ---------------------------------------------------------------- daemon

echo "== daemon checks"

test_check_ok() {
    "$MILTER" -n -c "$T/milter.conf" >"$T/n.out" 2>&1 && has "$T/n.out" "config OK"
}
check "-n accepts the test configuration" test_check_ok

test_check_bad() {
    printf 'settings = {\n    on_error = "maybe";\n};\n' >"$T/bad.conf"
    if "$MILTER" -n -c "$T/bad.conf" >"$T/nbad.out" 2>&1; then
        T_WHY="exit 0 on a bad file"
        return 1
    fi
    has "$T/nbad.out" "$T/bad.conf:2:"
}
check "-n reports file:line and exits 1" test_check_bad

test_check_socket() {
    ! "$MILTER" -n -c "$T/milter.conf" -p inet:127.0.0.1:9999 >"$T/nsock.out" 2>&1 &&
        has "$T/nsock.out" "Postfix's notation"
}
check "-n refuses a socket in Postfix syntax" test_check_socket

test_root() {
    ! "$MILTER" -f -c "$T/milter.conf" -p "unix:$T/root.sock" >"$T/root.out" 2>&1 &&
        has "$T/root.out" "refusing to run as root"
}
check "refuses to run as root without a user" test_root

test_mode_forged() {
    "$MILTER" -c "$T/milter.conf" -t "$FIX/remote-dsn-forged.eml" >"$T/t1.out" 2>"$T/t1.err" || return 1
    # Postfix renumbers after a delete: the highest index must go first.
    local order
    order=$(grep -o 'CHGHEADER X-SMTP-Explain\[[0-9]\]: (delete)' "$T/t1.out" | tr -d '\n')
    if [ "$order" != "CHGHEADER X-SMTP-Explain[2]: (delete)CHGHEADER X-SMTP-Explain[1]: (delete)" ]; then
        T_WHY="deletes not highest first: $order"
        return 1
    fi
    has "$T/t1.out" "### ADDHEADER X-SMTP-Explain: mx.test;" &&
        has "$T/t1.out" "status=5.1.1" && has "$T/t1.out" "### RESULT continue"
}
check "-t prints deletes (highest first) and the added header" test_mode_forged

test_mode_reject() {
    "$MILTER" -c "$T/milter.conf" -t "$FIX/remote-dsn-reject.eml" >"$T/t2.out" 2>/dev/null || return 1
    has "$T/t2.out" "### REPLY 554 5.7.1 Reports about reject.test are refused, 100%% sure" &&
        has "$T/t2.out" "### RESULT reject" && hasnt "$T/t2.out" "ADDHEADER"
}
check "-t prints the reject reply" test_mode_reject

test_mode_internal() {
    SMTP_EXPLAIN_TEST_INTERNAL=1 SMTP_EXPLAIN_TEST_SENDER="<>" \
        "$MILTER" -c "$T/milter.conf" -t "$FIX/remote-dsn-reject.eml" >"$T/t3.out" 2>"$T/t3.err" || return 1
    has "$T/t3.out" "### RESULT continue" && has "$T/t3.out" "### ADDHEADER" &&
        has "$T/t3.err" "downgraded=yes"
}
check "-t: an internal bounce is annotated, not rejected" test_mode_internal

test_mode_session_optin() {
    # Opt-in: rejected recipients become headers (below the harvest rule).
    sed 's/^settings = {/settings = {\n    annotate_session_rejects = true;/' \
        "$T/milter.conf" >"$T/optin.conf"
    SMTP_EXPLAIN_TEST_REJECTED="x1@sender.test 5.1.1 Recipient address rejected: User unknown|x2@sender.test 4.7.1 Greylisted, try later" \
        "$MILTER" -c "$T/optin.conf" -t "$FIX/plain.eml" >"$T/t4.out" 2>/dev/null || return 1
    has "$T/t4.out" "kind=session" && has "$T/t4.out" "rcpt=x1@sender.test" &&
        has "$T/t4.out" "status=4.7.1" && has "$T/t4.out" "### RESULT continue" || return 1
    # Default (off): the same input adds nothing.
    SMTP_EXPLAIN_TEST_REJECTED="x1@sender.test 5.1.1 Recipient address rejected: User unknown" \
        "$MILTER" -c "$T/milter.conf" -t "$FIX/plain.eml" >"$T/t5.out" 2>/dev/null || return 1
    hasnt "$T/t5.out" "ADDHEADER"
}
check "-t: session rejects become headers only with annotate_session_rejects" test_mode_session_optin

# ---------------------------------------------------------------- miltertest

echo "== miltertest"
# The whole daemon run goes under valgrind when it is there.
if command -v valgrind >/dev/null 2>&1 && [ "${SMTP_EXPLAIN_VALGRIND:-1}" != 0 ]; then
    T_WRAP="valgrind -q --vgdb=no --leak-check=full --show-leak-kinds=definite,indirect"
    T_WRAP="$T_WRAP --errors-for-leak-kinds=definite,indirect --error-exitcode=99"
    T_WRAP="$T_WRAP --log-file=$T/valgrind.log"
fi
if ! t_milter_start "$BUILD" "$T/milter.conf"; then
    t_fail "milter starts" "see $T/milter.log"
    cat "$T/milter.log"
    echo "$T_PASSED passed, $T_FAILED failed"
    exit 1
fi
t_pass "milter starts and drops root"

test_socket_perms() {
    local perms
    perms=$(stat -c '%a %U %G' "$T/sock/milter.sock")
    [ "$perms" = "660 nobody postfix" ] && return 0
    T_WHY="socket is $perms"
    return 1
}
check "unix socket mode 0660, group postfix" test_socket_perms

test_not_root() {
    local uid
    uid=$(awk '/^Uid:/ { print $2 }' "/proc/$T_MILTER_PID/status")
    [ "$uid" = "$(id -u nobody)" ] && return 0
    T_WHY="running as uid $uid"
    return 1
}
check "daemon runs as nobody" test_not_root

for script in negotiate annotate replies rcptrej internal fastpath rewrite quarantine abort; do
    test_lua() {
        miltertest -D "socket=unix:$T/sock/milter.sock" -D "dir=$HERE/milter" \
            -s "$HERE/milter/$script.lua" >"$T/mt-$script.out" 2>&1 && return 0
        T_WHY=$(tail -n 3 "$T/mt-$script.out" | tr '\n' ' ')
        return 1
    }
    check "miltertest $script.lua" test_lua
done

test_tcp() {
    local port log="$T/milter.log"
    port=$(t_free_port) || return 1
    # A second milter on TCP, to the side of the main one.
    "$MILTER" -f -u nobody -c "$T/milter.conf" -p "inet:$port@127.0.0.1" \
	2>"$T/milter-tcp.log" &
    local pid=$!
    t_remember "$pid"
    t_wait 20 t_log_has "$T/milter-tcp.log" "starting:" || { T_WHY="TCP milter did not start"; return 1; }
    miltertest -D "socket=inet:$port@127.0.0.1" -D "dir=$HERE/milter" \
	-s "$HERE/milter/replies.lua" >"$T/mt-tcp.out" 2>&1 || { T_WHY="replies.lua over TCP failed"; return 1; }
    miltertest -D "socket=inet:$port@127.0.0.1" -D "dir=$HERE/milter" \
	-s "$HERE/milter/negotiate-tcp.lua" >"$T/mt-tcp-neg.out" 2>&1 || {
	T_WHY="negotiate-tcp.lua failed: $(tail -n 2 "$T/mt-tcp-neg.out" | tr '\n' ' ')"; return 1; }
    kill "$pid"
    has "$T/milter-tcp.log" "TCP_NODELAY set on the listening socket"
}
check "inet socket: TCP_NODELAY set, replies over TCP, steps for TCP" test_tcp

test_abort_logged() {
    t_wait 10 t_log_has "$T/milter.log" "rcpt=<abort-probe3@sender.test>" || {
        T_WHY="no log line for the aborted session"
        return 1
    }
    grep -F "abort-probe3@sender.test" "$T/milter.log" >"$T/abort.line"
    has "$T/abort.line" "session aborted" && has "$T/abort.line" "rejected=3" &&
        has "$T/abort.line" "rule=harvest"
}
check "rejections of a session without EOM are logged at abort" test_abort_logged

# ---------------------------------------------------------------- Postfix

echo "== Postfix"
SMTPD=$(t_free_port)
SINK_OK=$(t_free_port)
SINK_BAD=$(t_free_port)
if ! t_sink ok "$SINK_OK" || ! t_sink bad "$SINK_BAD" -f RCPT; then
    t_fail "smtp-sink starts" "see $T/*.log"
elif ! t_postfix_start "$SMTPD" "$SINK_OK" "$SINK_BAD"; then
    t_fail "Postfix starts" "$(cat "$T"/postfix-*.log "$T/postfix.log" 2>/dev/null | tail -n 5)"
else
    t_pass "private Postfix on 127.0.0.1:$SMTPD"
fi

test_pf_remote() {
    t_smtp "$SMTPD" "" alice@sender.test <"$FIX/remote-dsn-userunknown.eml" >"$T/s1.out"
    has "$T/s1.out" "END 250" "not queued: $(cat "$T/s1.out" | tr '\n' ' ')" &&
        t_delivered "dsn.7f3a9c21@mx1.remote.test" || return 1
    has "$T_MSG.head" "X-SMTP-Explain: mx.test;" && has "$T_MSG.head" "kind=dsn" &&
        has "$T_MSG.head" "rcpt=bob@remote.test" && has "$T_MSG.head" "code=550" &&
        has "$T_MSG.head" "status=5.1.1" && has "$T_MSG.head" "class=permanent" &&
        has "$T_MSG.head" "reason=userunknown" &&
        has "$T_MSG.head" "remote-mta=mailstore.remote.test"
}
check "remote DSN over SMTP is delivered with X-SMTP-Explain" test_pf_remote

test_pf_internal() {
    printf 'From: alice@sender.test\nTo: nobody@bad.test\nSubject: to a dead end\nMessage-Id: <dead.end.1@sender.test>\n\nhello\n' |
        t_smtp "$SMTPD" alice@sender.test nobody@bad.test >"$T/s2.out"
    has "$T/s2.out" "END 250" || return 1
    # Postfix bounces it to alice; the bounce must come annotated.
    t_delivered "rcpt=nobody@bad.test" || return 1
    has "$T_MSG" "Subject: Undelivered Mail Returned to Sender" &&
        has "$T_MSG" "dead.end.1@sender.test" && has "$T_MSG.head" "X-SMTP-Explain:" &&
        has "$T_MSG.head" "kind=dsn" && has "$T_MSG.head" "class=permanent" &&
        has "$T/milter.log" "internal=yes"
}
check "Postfix's own bounce is annotated via non_smtpd_milters" test_pf_internal

test_pf_internal_downgrade() {
    printf 'From: alice@sender.test\nTo: ivan@reject.test\nSubject: refused twice\nMessage-Id: <refused.twice@sender.test>\n\nhello\n' |
        t_smtp "$SMTPD" alice@sender.test ivan@reject.test >"$T/s3.out"
    has "$T/s3.out" "END 250" || return 1
    t_delivered "rcpt=ivan@reject.test" || return 1
    t_wait 10 t_log_has "$T/milter.log" "rcpt=<ivan@reject.test>" || return 1
    grep -F "rcpt=<ivan@reject.test>" "$T/milter.log" >"$T/down.line"
    has "$T/down.line" "downgraded=yes" && has "$T/down.line" "internal=yes"
}
check "reject rule on Postfix's own bounce is downgraded to annotate" test_pf_internal_downgrade

test_pf_defer() {
    t_smtp "$SMTPD" "" alice@sender.test <"$FIX/remote-dsn-defer.eml" >"$T/s4.out"
    has "$T/s4.out" "END 450 4.7.0 Reports about defer.test wait" \
        "client saw: $(grep END "$T/s4.out")"
}
check "defer rule: the SMTP client gets the configured 4xx" test_pf_defer

test_pf_reject() {
    t_smtp "$SMTPD" "" alice@sender.test <"$FIX/remote-dsn-reject.eml" >"$T/s5.out"
    has "$T/s5.out" "END 554 5.7.1 Reports about reject.test are refused, 100% sure" \
        "client saw: $(grep END "$T/s5.out")"
}
check "reject rule: the SMTP client gets the configured 5xx" test_pf_reject

test_pf_rewrite() {
    t_smtp "$SMTPD" "" alice@sender.test <"$FIX/remote-dsn-mailboxfull.eml" >"$T/s6.out"
    has "$T/s6.out" "END 250" || return 1
    t_delivered "ndr.7d1e3b@outlook.partner.test" || return 1
    has "$T_MSG.head" "Subject: [mailbox full] Undeliverable: Project plan" &&
        has "$T_MSG.head" "reason=mailboxfull" &&
        [ "$(grep -c '^Subject:' "$T_MSG.head")" = 1 ] || { T_WHY="${T_WHY:-two Subjects}"; return 1; }
}
check "rewrite rule changes the Subject" test_pf_rewrite

test_pf_forged() {
    t_smtp "$SMTPD" "" carol@sender.test <"$FIX/remote-dsn-forged.eml" >"$T/s7.out"
    has "$T/s7.out" "END 250" || return 1
    t_delivered "20260311140211.4F2C1A0B9@mail.partner.test" || return 1
    hasnt "$T_MSG" "forged-by-sender" && hasnt "$T_MSG" "forged-again" &&
        [ "$(grep -c '^X-SMTP-Explain:' "$T_MSG.head")" = 1 ] &&
        has "$T_MSG.head" "rcpt=frank@partner.test"
}
check "forged X-SMTP-Explain headers are removed" test_pf_forged

test_pf_harvest() {
    t_smtp "$SMTPD" "spam@harvester.test" nobody1@sender.test nobody2@sender.test \
        alice@sender.test nobody3@sender.test <"$FIX/plain.eml" >"$T/s8.out"
    [ "$(grep -c '^RCPT 550 5.1.1' "$T/s8.out")" = 3 ] || {
        T_WHY="Postfix did not reject 3 recipients: $(grep RCPT "$T/s8.out" | tr '\n' ' ')"
        return 1
    }
    has "$T/s8.out" "END 451 4.7.1 Too many unknown recipients (3), try again later" \
        "client saw: $(grep END "$T/s8.out")"
}
check "3 unknown recipients in a session: defer (harvest guard)" test_pf_harvest

test_pf_plain() {
    t_smtp "$SMTPD" "carol@client.test" alice@sender.test <"$FIX/plain.eml" >"$T/s9.out"
    has "$T/s9.out" "END 250" || return 1
    t_delivered "lunch.friday@client.test" || return 1
    hasnt "$T_MSG" "X-SMTP-Explain"
}
check "ordinary mail passes untouched" test_pf_plain

# ---------------------------------------------------------------- reload

echo "== reload"
test_reload_bad() {
    cp "$T/milter.conf" "$T/milter.conf.good"
    printf 'settings = {\n    max_headers = "many";\n};\n' >"$T/milter.conf"
    kill -USR1 "$T_MILTER_PID"
    t_wait 10 t_log_has "$T/milter.log" "reload failed" || { T_WHY="no reload failure logged"; return 1; }
    has "$T/milter.log" "$T/milter.conf:2:" || return 1
    # Still the old rules: the defer reply is unchanged.
    t_smtp "$SMTPD" "" alice@sender.test <"$FIX/remote-dsn-defer.eml" >"$T/r1.out"
    has "$T/r1.out" "END 450 4.7.0 Reports about defer.test wait"
}
check "SIGUSR1 with a bad file keeps the running config, logs file:line" test_reload_bad

test_reload_good() {
    sed 's/Reports about defer.test wait/Reloaded rule says wait/' \
        "$T/milter.conf.good" >"$T/milter.conf"
    kill -USR1 "$T_MILTER_PID"
    t_wait 10 t_log_has "$T/milter.log" "configuration reloaded" || { T_WHY="no reload logged"; return 1; }
    t_smtp "$SMTPD" "" alice@sender.test <"$FIX/remote-dsn-defer.eml" >"$T/r2.out"
    has "$T/r2.out" "END 450 4.7.0 Reloaded rule says wait" "client saw: $(grep END "$T/r2.out")"
}
check "SIGUSR1 with a good file takes effect" test_reload_good

test_alive() {
    kill -0 "$T_MILTER_PID" 2>/dev/null || { T_WHY="milter died"; return 1; }
    hasnt "$T/milter.log" "fatal:" && hasnt "$T/postfix.log" "milter-reject: END-OF-MESSAGE from localhost[127.0.0.1]: 4.3.5"
}
check "milter alive, no fatal errors, no milter config errors in Postfix" test_alive

test_metrics() {
    # Written every second; the Postfix tests above must show in it.
    t_wait 10 t_log_has "$T/stats/metrics.prom" 'reason="mailboxfull"' || {
        T_WHY="no metrics file, or no mailboxfull finding in it"
        return 1
    }
    has "$T/stats/metrics.prom" "smtp_explain_messages_total" &&
        has "$T/stats/metrics.prom" 'action="defer"' &&
        has "$T/stats/metrics.prom" 'action="reject"'
}
check "metrics file written every stats_interval" test_metrics

test_stop() {
    t_milter_stop
    [ "$T_MILTER_STATUS" = 0 ] || { T_WHY="exit status $T_MILTER_STATUS"; return 1; }
    t_wait 5 t_log_has "$T/milter.log" "stopped" || { T_WHY="no stop logged"; return 1; }
    if [ -n "${T_WRAP:-}" ] && [ -s "$T/valgrind.log" ]; then
        T_WHY="valgrind: $(grep -m 3 -E 'lost|Invalid|uninit' "$T/valgrind.log" | tr '\n' ' ')"
        return 1
    fi
    return 0
}
check "SIGTERM stops the milter cleanly${T_WRAP:+ (valgrind: no errors, no leaks)}" test_stop

# ---------------------------------------------------------------- done here

if [ "$T_FAILED" -gt 0 ]; then
    echo "--- milter log"
    tail -n 30 "$T/milter.log"
    echo "--- postfix log"
    tail -n 30 "$T/postfix.log" 2>/dev/null
fi

# ---------------------------------------------------------------- faults, start-up

# suite NAME SCRIPT - run a script of its own (it starts its own daemons)
# and add its "N passed, M failed" to ours.
suite() {
    local out line failed
    echo "== $1 ($(basename "$2"))"
    out=$(mktemp "${TMPDIR:-/tmp}/smtp-explain-suite.XXXXXX") || exit 1
    bash "$2" "$BUILD" | tee "$out"
    line=$(grep -E '^(SKIP|[0-9]+ passed, [0-9]+ failed$)' "$out" | tail -n 1)
    rm -f "$out"
    case $line in
    SKIP*)
        ;;
    *" passed, "*" failed")
        failed=${line#* passed, }
        T_PASSED=$((T_PASSED + ${line%% passed*}))
        T_FAILED=$((T_FAILED + ${failed%% failed}))
        ;;
    *)
        t_fail "$(basename "$2")" "ended without its summary line"
        ;;
    esac
}

# They start their own Postfix and milters: ours stop first.
t_cleanup
suite faults "$HERE/faults.sh"
suite start-up "$HERE/startup.sh"
suite "hostile inputs" "$HERE/hostile.sh"
suite filters "$HERE/filters.sh"
suite "explanation in the text" "$HERE/explain-body.sh"
suite "explanation and DKIM" "$HERE/explain-dkim.sh"
suite "Sieve reject and vacation" "$HERE/sieve-reject.sh"

echo "$T_PASSED passed, $T_FAILED failed"
[ "$T_FAILED" -eq 0 ]
