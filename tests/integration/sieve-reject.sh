#!/bin/sh
# sieve-reject.sh BUILD_DIR - refusals and replies written by a real
# delivery agent: Dovecot's LDA with Pigeonhole runs a Sieve script for
# a local user and sends what the script asks for through a sendmail
# command of the test's own, which keeps each message:
#
#   reject:   RFC 5429's reject action: a disposition notification
#             ("deleted") with the script's reason. smtp-explain parse
#             reads it as a failure for the user (engine mdn, 5.7.1
#             derived, reason filtered, the reason as diagnostic);
#   vacation: RFC 5230's vacation reply: no finding by default, one of
#             kind autoreply with --autoreplies;
#   through Postfix: the refusal sent with a null sender to a private
#             Postfix whose smtpd runs smtp-explain-milter; the
#             delivered copy's X-SMTP-Explain says reason=filtered.
#
# Dovecot runs as nobody in a temporary folder with its own
# configuration (-c): no Dovecot service, no auth process. Needs root
# (Postfix) and the packages postfix and dovecot-sieve (installed when
# root). Prints "N passed, M failed"; exits non-zero when anything
# failed.

[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=$(cd "${1:-build}" && pwd)
MILTER="$BUILD/smtp-explain-milter"
CLI="$BUILD/smtp-explain"
LDA=/usr/lib/dovecot/dovecot-lda
PATH="$PATH:/usr/sbin:/sbin"
export PATH

. "$HERE/lib.sh"

t_preflight "Sieve reject tests"
if ! t_install sieve-test:dovecot-sieve || [ ! -x "$LDA" ]; then
    echo "SKIP Sieve reject tests: install the Debian package dovecot-sieve"
    exit 0
fi
t_init
trap t_cleanup EXIT
trap 'exit 1' INT TERM

D="$T/dovecot"

# sv_setup - the agent's folder, configuration and sendmail command,
# owned by nobody, who runs the agent.
sv_setup() {
    mkdir -p "$D/home/mail" "$D/home/sieve" "$D/run" "$D/out" || return 1
    {
        echo '#!/bin/sh'
        echo '# Keeps each message the agent sends, with its arguments.'
        echo "n=\$(ls '$D/out' | wc -l)"
        echo "{ printf 'X-Test-Args: %s\\n' \"\$*\"; cat; } >'$D/out/msg.'\$n"
    } >"$D/sendmail"
    chmod 755 "$D/sendmail"
    cat >"$D/dovecot.conf" <<END
base_dir = $D/run
log_path = $D/log
info_log_path = $D/log
mail_location = maildir:$D/home/mail
postmaster_address = postmaster@mx.example.org
hostname = mx.example.org
sendmail_path = $D/sendmail
ssl = no
protocols =
protocol lda {
  mail_plugins = sieve
}
plugin {
  sieve = file:$D/home/sieve;active=$D/home/active.sieve
}
END
    chown -R nobody "$D"
}

# sv_deliver SCRIPT - run the agent for bob with a Sieve script on a
# message from alice; what it sends lands in $D/out/msg.N.
sv_deliver() {
    printf '%s\n' "$1" >"$D/home/active.sieve"
    chown nobody "$D/home/active.sieve"
    rm -f "$D/home/active.svbin"
    setpriv --reuid=nobody --regid=nogroup --clear-groups \
        env HOME="$D/home" USER=bob "$LDA" -c "$D/dovecot.conf" \
        -f alice@sender.test -a bob@example.org >"$T/lda.log" 2>&1 <<END
Return-Path: <alice@sender.test>
From: Alice <alice@sender.test>
To: bob@example.org
Subject: Quarterly numbers
Date: Sat, 05 Dec 2026 10:00:00 +0000
Message-ID: <q$RANDOM@sender.test>

Hello Bob, the numbers are attached.
END
}

# sv_last FILE - the newest message the agent sent, without the
# arguments line, into FILE; 1 when it sent none.
sv_last() {
    local f
    f=$(ls -t "$D/out"/msg.* 2>/dev/null | head -n 1)
    [ -n "$f" ] || return 1
    SV_ARGS=$(head -n 1 "$f")
    tail -n +2 "$f" >"$1"
}

check() {
    T_WHY=
    if "$2"; then t_pass "$1"; else t_fail "$1" "${T_WHY:-failed}"; fi
}

json_has() {
    grep -qF -- "$2" "$1" || { T_WHY="no $2 in: $(head -c 600 "$1")"; return 1; }
}

# ---------------------------------------------------------------- reject

test_reject_sent() {
    sv_setup || { T_WHY="cannot set up $D"; return 1; }
    sv_deliver 'require "reject";
reject "This mailbox takes no mail from outside the company.";' || {
        T_WHY="dovecot-lda: $(cat "$T/lda.log") $(tail -n 3 "$D/log" 2>/dev/null)"
        return 1
    }
    sv_last "$T/reject.eml" || { T_WHY="nothing sent: $(tail -n 3 "$D/log" 2>/dev/null)"; return 1; }
    grep -q 'report-type=disposition-notification' "$T/reject.eml" ||
        { T_WHY="not a notification: $(head -n 12 "$T/reject.eml")"; return 1; }
    case $SV_ARGS in
    *"-f <>"*) ;;
    *) T_WHY="not sent with a null sender: $SV_ARGS"; return 1 ;;
    esac
}
check "Pigeonhole's reject sends a disposition notification with a null sender" test_reject_sent

test_reject_read() {
    "$CLI" parse --json "$T/reject.eml" >"$T/reject.json" 2>&1 &&
        [ "$(wc -l <"$T/reject.json")" -eq 1 ] || {
        T_WHY="not one finding: $(cat "$T/reject.json")"; return 1; }
    json_has "$T/reject.json" '"engine":"mdn"' &&
        json_has "$T/reject.json" '"recipient":"bob@example.org"' &&
        json_has "$T/reject.json" '"action":"failed"' &&
        json_has "$T/reject.json" '"status":"5.7.1"' &&
        json_has "$T/reject.json" '"reason":"filtered"' &&
        json_has "$T/reject.json" 'takes no mail from outside the company' &&
        json_has "$T/reject.json" '"reporting_mta":"mx.example.org"'
}
check "parse reads the refusal: bob, failed, 5.7.1, filtered, the script's reason" test_reject_read

# ---------------------------------------------------------------- vacation

test_vacation() {
    sv_deliver 'require "vacation";
vacation :days 1 :subject "Away" "I am away until Monday.";' || {
        T_WHY="dovecot-lda: $(cat "$T/lda.log")"; return 1; }
    sv_last "$T/vacation.eml" && grep -qi '^Auto-Submitted: auto-replied' "$T/vacation.eml" ||
        { T_WHY="no vacation reply was sent: $(tail -n 3 "$D/log" 2>/dev/null)"; return 1; }
    "$CLI" parse --json "$T/vacation.eml" >"$T/vacation.json" 2>&1
    [ ! -s "$T/vacation.json" ] || { T_WHY="a finding by default: $(cat "$T/vacation.json")"; return 1; }
    "$CLI" parse --json --autoreplies "$T/vacation.eml" >"$T/vacation.json" 2>&1
    json_has "$T/vacation.json" '"kind":"autoreply"' &&
        json_has "$T/vacation.json" '"reason":"vacation"'
}
check "Pigeonhole's vacation reply: no finding, and an autoreply with --autoreplies" test_vacation

# ---------------------------------------------------------------- through Postfix

SMTPD=$(t_free_port)
SINK=$(t_free_port)
MPORT=$(t_free_port)

test_through_postfix() {
    [ -s "$T/reject.eml" ] || { T_WHY="no refusal from the first test"; return 1; }
    t_sink ok "$SINK" || { T_WHY="smtp-sink did not start"; return 1; }
    t_milter_start "$BUILD" "$HERE/../../etc/smtp-explain.conf" "$MPORT" ||
        { T_WHY="milter: $(tail -n 3 "$T/milter.log")"; return 1; }
    t_postfix_main <<END
relay_domains = sender.test
relay_recipient_maps = inline:{ alice@sender.test=ok }
transport_maps = inline:{ sender.test=smtp:[127.0.0.1]:$SINK }
smtpd_milters = $T_MILTER_PF
milter_default_action = tempfail
END
    t_postfix_run "$T/postfix" "$SMTPD" ||
        { T_WHY="postfix: $(cat "$T/postfix-check.log" "$T/postfix-start.log")"; return 1; }
    t_smtp "$SMTPD" "" alice@sender.test <"$T/reject.eml" >"$T/smtp.log" 2>&1
    grep -q '^END 250' "$T/smtp.log" || { T_WHY="not accepted: $(cat "$T/smtp.log")"; return 1; }
    t_delivered 'takes no mail from outside' || return 1
    tr -d '\r' <"$T_MSG.head" |
        awk '/^[ \t]/ { h = h $0; next } { if (h != "") print h; h = $0 } END { print h }' |
        grep '^X-SMTP-Explain:' >"$T/explain.head"
    grep -q 'kind=bounce' "$T/explain.head" && grep -q 'reason=filtered' "$T/explain.head" &&
        grep -q 'rcpt=bob@example.org' "$T/explain.head" ||
        { T_WHY="X-SMTP-Explain: $(cat "$T/explain.head")"; return 1; }
}
check "a private Postfix with smtp-explain-milter marks the refusal reason=filtered" test_through_postfix

echo "$T_PASSED passed, $T_FAILED failed"
[ "$T_FAILED" -eq 0 ]
