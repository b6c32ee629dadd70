#!/bin/sh
# explain-body.sh BUILD_DIR - the explanation in the report's text
# (explain_body), through a real Postfix with the milter.
#
# Three reports reach the sink: a remote DSN sent over SMTP, Postfix's
# own bounce (the next hop refuses with 5xx) and Postfix's own delay
# notice (the next hop answers 4xx; delay_warning_time is 1 s). Each
# must carry the block at the top of its text, in the language the map
# chose (German for alice, English for carol), with the timing the
# report gives. Python's email package and our reader must read the same
# delivery-status fields before and after. A report with a
# DKIM-Signature must come through byte for byte in its body.
#
# Needs root and postfix (python3 for the email-package check). Prints
# "N passed, M failed"; exits non-zero when anything failed.

[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=$(cd "${1:-build}" && pwd)
CLI="$BUILD/smtp-explain"
MILTER="$BUILD/smtp-explain-milter"
PATH="$PATH:/usr/sbin:/sbin"
export PATH

. "$HERE/lib.sh"

t_preflight "explain_body tests"
t_init
trap t_cleanup EXIT
trap 'exit 1' INT TERM

check() {
    local name=$1
    shift
    if "$@"; then t_pass "$name"; else t_fail "$name" "${T_WHY:-failed}"; fi
    T_WHY=
}

# The shipped configuration with the block on and a language map.
sed -e 's/^\( *explain_body\) = false;/\1 = true;/' \
    -e 's/^\( *explain_lang_map\) = \[\];/\1 = ["alice@sender.test=de"];/' \
    "$HERE/../../etc/smtp-explain.conf" >"$T/milter.conf"
chmod 644 "$T/milter.conf"

# eb_pf_start PORT OK BAD SOFT - Postfix with both milter lists; slow.test
# answers 4xx and is retried every few seconds, with a delay notice.
eb_pf_start() {
    local port=$1 ok=$2 bad=$3 soft=$4 cf="$T/postfix"
    mkdir -p "$cf" "$T/queue" "$T/data"
    chown postfix "$T/data"
    { t_main_cf_base mx.test test
    cat <<EOF
relay_domains = sender.test
relay_recipient_maps = inline:{ alice@sender.test=ok, carol@sender.test=ok }
transport_maps = inline:{ sender.test=smtp:[127.0.0.1]:$ok, bad.test=smtp:[127.0.0.1]:$bad, slow.test=smtp:[127.0.0.1]:$soft }
queue_run_delay = 1s
minimal_backoff_time = 1s
maximal_backoff_time = 2s
delay_warning_time = 1s
smtpd_milters = { $T_MILTER_PF, default_action=accept }
non_smtpd_milters = { $T_MILTER_PF, default_action=accept }
internal_mail_filter_classes = bounce
EOF
    } >"$cf/main.cf"
    t_postfix_run "$cf" "$port"
}

SMTPD=$(t_free_port)
MPORT=$(t_free_port)
SINK_OK=$(t_free_port)
SINK_BAD=$(t_free_port)
SINK_SOFT=$(t_free_port)

if ! t_milter_start "$BUILD" "$T/milter.conf" "$MPORT"; then
    t_fail "milter starts" "$(tail -5 "$T/milter.log")"
elif ! t_sink ok "$SINK_OK" || ! t_sink bad "$SINK_BAD" -f RCPT \
    || ! t_sink soft "$SINK_SOFT" -r RCPT; then
    t_fail "smtp-sink starts" "see $T/*.log"
elif ! eb_pf_start "$SMTPD" "$SINK_OK" "$SINK_BAD" "$SINK_SOFT"; then
    t_fail "Postfix starts" "$(cat "$T/postfix-check.log" "$T/postfix-start.log")"
else
    # 1. a remote DSN for alice (German), then one signed, for carol.
    t_smtp "$SMTPD" "" alice@sender.test \
        <"$HERE/fixtures/remote-dsn-userunknown.eml" >/dev/null
    { printf 'DKIM-Signature: v=1; a=rsa-sha256; d=remote.test; s=s1; h=from;\r\n\tbh=x; b=y\r\n'
      sed 's/dsn\.7f3a9c21@/dsn.signed@/' "$HERE/fixtures/remote-dsn-userunknown.eml"; } |
        t_smtp "$SMTPD" "" carol@sender.test >/dev/null
    # 2. Postfix's own bounce and 3. its delay notice, for carol (English).
    printf 'From: carol@sender.test\nTo: nobody@bad.test\nSubject: hard\n\nHello.\n' |
        t_smtp "$SMTPD" carol@sender.test nobody@bad.test >/dev/null
    printf 'From: carol@sender.test\nTo: later@slow.test\nSubject: soft\n\nHello.\n' |
        t_smtp "$SMTPD" carol@sender.test later@slow.test >/dev/null

    # The remote DSN: block in German words, rest byte for byte.
    if t_delivered "dsn.7f3a9c21@mx1.remote.test"; then
        remote=$T_MSG
        check "remote DSN: the block opens the text part" \
            grep -q '^\[smtp-explain\] Warum diese Nachricht' "$remote"
        check "remote DSN: the language is in the header" \
            grep -q 'lang=de' "$T_MSG.head"
        # Everything from the delivery-status part on, as it was sent
        # (smtp-sink's dump ends with one more empty line).
        same_tail() {
            diff <(sed -n '/^Content-Type: message\/delivery-status/,$p' \
                       "$HERE/fixtures/remote-dsn-userunknown.eml" | tr -d '\r') \
                 <(sed -n '/^Content-Type: message\/delivery-status/,$p' "$remote" |
                   tr -d '\r' | sed '${/^$/d;}')
        }
        check "remote DSN: delivery-status part and original byte for byte" same_tail
        same_findings() {
            [ "$("$CLI" parse --json "$HERE/fixtures/remote-dsn-userunknown.eml" |
                  sed 's/"file":"[^"]*",//')" = \
              "$("$CLI" parse --json "$remote" | sed 's/"file":"[^"]*",//')" ]
        }
        check "remote DSN: our reader finds the same" same_findings
        if command -v python3 >/dev/null 2>&1; then
            py_fields() {
                python3 - "$1" <<'EOF'
import email, sys
from email import policy
m = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=policy.default)
for part in m.walk():
    if part.get_content_type() == 'message/delivery-status':
        for block in part.get_payload():
            print(sorted((k.lower(), str(v)) for k, v in block.items()))
EOF
            }
            same_python() {
                local a b
                a=$(py_fields "$HERE/fixtures/remote-dsn-userunknown.eml")
                b=$(py_fields "$remote")
                [ -n "$a" ] && [ "$a" = "$b" ]
            }
            check "remote DSN: Python's email package reads the same fields" same_python
            py_text() {
                python3 - "$1" <<'EOF'
import email, sys
from email import policy
m = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=policy.default)
print(m.get_body(preferencelist=('plain',)).get_content())
EOF
            }
            reader_text() {
                py_text "$remote" | head -n 1 | grep -q '^\[smtp-explain\] Warum'
            }
            check "remote DSN: the text a mail reader shows starts with the block" \
                reader_text
            reader_timing() {
                py_text "$remote" | tr '\n' ' ' | tr -s ' ' |
                    grep -q 'aufgehört, es zu versuchen (letzter Versuch: Tue, 10 Mar 2026 09:14:02 +0100)'
            }
            check "remote DSN: the timing from Last-Attempt-Date, decoded" reader_timing
        fi
    else
        t_fail "remote DSN delivered" "$T_WHY"
    fi

    if t_delivered "dsn.signed@mx1.remote.test"; then
        signed_same() {
            diff <(awk 'p; /^\r?$/ { p = 1 }' "$HERE/fixtures/remote-dsn-userunknown.eml" | tr -d '\r') \
                 <(awk 'p; /^\r?$/ { p = 1 }' "$T_MSG" | tr -d '\r' | sed '${/^$/d;}') >/dev/null
        }
        check "signed DSN: body unchanged" signed_same
        check "signed DSN: the log says why" \
            t_log_has "$T/milter.log" 'body="signed (DKIM-Signature)"'
    else
        t_fail "signed DSN delivered" "$T_WHY"
    fi

    if t_delivered "nobody@bad.test"; then
        check "Postfix bounce: the block, in English" \
            grep -q '^\[smtp-explain\] Why this message came back' "$T_MSG"
        check "Postfix bounce: the sender is told it stopped" \
            grep -q 'The sending server has stopped trying' "$T_MSG"
        check "Postfix bounce: still read as the same DSN" \
            bash -c '"$0" parse --json "$1" | grep -q "\"recipient\":\"nobody@bad.test\",.*\"action\":\"failed\""' \
            "$CLI" "$T_MSG"
    else
        t_fail "Postfix bounce delivered" "$T_WHY"
    fi

    if t_delivered "later@slow.test"; then
        check "delay notice: keeps trying until a date" \
            grep -q 'The sending server keeps trying until ' "$T_MSG"
    else
        t_fail "delay notice delivered" "$T_WHY"
    fi
fi

echo "$T_PASSED passed, $T_FAILED failed"
[ "$T_FAILED" -eq 0 ]
