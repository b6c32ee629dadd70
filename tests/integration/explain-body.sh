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
# DKIM-Signature must come through byte for byte in its body. What a
# person sees: mutt's pager (in a private tmux server) shows the block
# above the report's own text; w3m shows the block of an HTML
# alternative as text, escaped once.
#
# Needs root and postfix (python3 for the email-package check; mutt,
# tmux and w3m for the rendering checks, installed when missing). Prints
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
    -e 's|^\( *help_url\) = "";|\1 = "https://help.sender.test/bounce?status=%{status}\&reason=%{reason}";|' \
    "$HERE/../../etc/smtp-explain.conf" >"$T/milter.conf"
chmod 644 "$T/milter.conf"

# eb_pf_start PORT OK BAD SOFT - Postfix with both milter lists; slow.test
# answers 4xx and is retried every few seconds, with a delay notice.
eb_pf_start() {
    local port=$1 ok=$2 bad=$3 soft=$4
    t_postfix_main <<EOF
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
    t_postfix_run "$T/postfix" "$port"
}

# eb_mbox MSG MBOX - a sink dump as a one-message mbox file.
eb_mbox() {
    { printf 'From MAILER-DAEMON Tue Mar 10 09:14:02 2026\n'
      tr -d '\r' <"$1" | sed 's/^From />From /'
      printf '\n'; } >"$2"
}

# eb_pane - the screen of the private tmux server, wrapped lines joined.
eb_pane() {
    tmux -S "$T/tmux.sock" capture-pane -p -J -t eb >"$T/pane.txt" 2>/dev/null
}

eb_pane_has() {
    eb_pane && grep -qF -- "$1" "$T/pane.txt"
}

# eb_mutt_sees MSG FIRST BELOW - open MSG in mutt's pager, in a terminal
# of 100x60 in UTF-8, with the usual header weeding; FIRST must be on
# the screen, above BELOW, and no X-SMTP-Explain header.
eb_mutt_sees() {
    local msg=$1 first=$2 below=$3 pid n1 n2
    eb_mbox "$msg" "$T/mbox"
    mkdir -p "$T/home"
    tmux -u -S "$T/tmux.sock" -f /dev/null new-session -d -s eb -x 100 -y 60 \
        "env HOME=$T/home LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=screen \
         mutt -n -F /dev/null -R -f $T/mbox -e 'set folder=$T/home' \
         -e 'set spoolfile=$T/mbox' -e 'set charset=utf-8' \
         -e 'set markers=no' -e 'set pager_index_lines=0' -e 'ignore *' \
         -e 'unignore from: date subject to'" || { T_WHY="tmux did not start"; return 1; }
    pid=$(tmux -S "$T/tmux.sock" display-message -p -t eb '#{pid}' 2>/dev/null)
    [ -n "$pid" ] && t_remember "$pid"
    if ! t_wait 20 eb_pane_has "Returned mail"; then
        T_WHY="mutt's index did not show the message: $(head -n 3 "$T/pane.txt" | tr '\n' ' ')"
    else
        tmux -S "$T/tmux.sock" send-keys -t eb Enter
        t_wait 20 eb_pane_has "$first" || T_WHY="not on mutt's screen: $first"
    fi
    cp "$T/pane.txt" "$T/mutt-screen.txt" 2>/dev/null
    tmux -S "$T/tmux.sock" kill-server 2>/dev/null
    [ -n "$pid" ] && { t_wait 10 t_gone "$pid" || kill -9 "$pid" 2>/dev/null; }
    [ -z "${T_WHY:-}" ] || return 1
    n1=$(grep -nF -- "$first" "$T/mutt-screen.txt" | head -n 1 | cut -d: -f1)
    n2=$(grep -nF -- "$below" "$T/mutt-screen.txt" | head -n 1 | cut -d: -f1)
    if [ -z "$n2" ] || [ "$n2" -le "$n1" ]; then
        T_WHY="the report's own text is not below the block on the screen"
        return 1
    fi
    if grep -q 'X-SMTP-Explain' "$T/mutt-screen.txt" || ! grep -q '^Subject: ' "$T/mutt-screen.txt"; then
        T_WHY="mutt's header weeding not in effect"
        return 1
    fi
    return 0
}

# eb_w3m_sees MSG - the text/html part of MSG, decoded, as w3m shows it:
# the block as text (its help link's "&" decoded once, no tag, no
# entity), above the report's own words.
eb_w3m_sees() {
    local n1 n2
    python3 - "$1" >"$T/part.html" <<'EOF'
import email, sys
from email import policy
m = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=policy.default)
sys.stdout.write(m.get_body(preferencelist=('html',)).get_content())
EOF
    grep -q '<div class="smtp-explain"' "$T/part.html" || { T_WHY="no block in the HTML part"; return 1; }
    w3m -dump -T text/html -cols 200 -O UTF-8 <"$T/part.html" >"$T/w3m.txt" 2>&1 || {
        T_WHY="w3m failed"; return 1; }
    n1=$(grep -n '^\[smtp-explain\] Why this message came back, in short:' "$T/w3m.txt" | head -n 1 | cut -d: -f1)
    n2=$(grep -n "Your message to dave@partner.test couldn't be delivered." "$T/w3m.txt" | head -n 1 | cut -d: -f1)
    if [ -z "$n1" ] || [ -z "$n2" ] || [ "$n2" -le "$n1" ]; then
        T_WHY="block not shown above the report's text: $(head -n 3 "$T/w3m.txt" | tr '\n' ' ')"
        return 1
    fi
    grep -qF 'https://help.sender.test/bounce?status=5.1.1&reason=userunknown' "$T/w3m.txt" || {
        T_WHY="the help link is not shown as written"; return 1; }
    grep -qF 'dave@partner.test: Recipient address does not exist' "$T/w3m.txt" || {
        T_WHY="the recipient's line is not shown"; return 1; }
    if grep -qE '<(div|pre)|&(amp|lt|gt|quot);' "$T/w3m.txt"; then
        T_WHY="raw tags or entities on the screen"
        return 1
    fi
    return 0
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
    # 4. a report with an HTML alternative, for carol.
    t_smtp "$SMTPD" "" carol@sender.test \
        <"$HERE/fixtures/remote-dsn-html.eml" >/dev/null

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

    # What a person sees: mutt's pager (header weeding, MIME, the
    # charset decoded for a UTF-8 terminal) in a private tmux server,
    # and the HTML alternative as w3m lays it out.
    if ! t_install mutt:mutt tmux:tmux w3m:w3m; then
        echo "skip   mutt, tmux or w3m missing: the rendering checks"
    else
        if [ -n "${remote:-}" ]; then
            check "mutt shows the block at the top of the text, the report below it" \
                eb_mutt_sees "$remote" \
                '[smtp-explain] Warum diese Nachricht zurückkam, kurz gesagt:' \
                'The original message was received at Tue, 10 Mar 2026'
        fi
        if t_delivered "ndr.html.5b2e@mail.partner.test"; then
            check "HTML alternative: w3m shows the block as text, the report below it" \
                eb_w3m_sees "$T_MSG"
        else
            t_fail "HTML report delivered" "$T_WHY"
        fi
    fi
fi

echo "$T_PASSED passed, $T_FAILED failed"
[ "$T_FAILED" -eq 0 ]
