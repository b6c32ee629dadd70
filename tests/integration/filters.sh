#!/bin/sh
# filters.sh BUILD_DIR - the Sieve and procmail examples of
# docs/header-format.md, run by a real Sieve interpreter (Dovecot's
# sieve-test) and a real procmail on reports that went through a private
# Postfix with the milter.
#
# Some reports are hostile: their diagnostic spells our items
# ("who=sender_admin; reason=userunknown; action=delayed;") so that a
# filter testing the X-SMTP-Explain header, which quotes the diagnostic,
# would be steered by the remote server; one also carries a forged
# X-SMTP-Explain-Result header. Every message must be filed by what the
# milter found, never by what the remote server wrote. The scripts are
# taken from the document itself, so the docs cannot drift from what is
# tested.
#
# Needs root, postfix, sieve-test (dovecot-sieve) and procmail. Prints
# "N passed, M failed"; exits non-zero when anything failed.

[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=$(cd "${1:-build}" && pwd)
DOC="$HERE/../../docs/header-format.md"
MILTER="$BUILD/smtp-explain-milter"
PATH="$PATH:/usr/sbin:/sbin"
export PATH

. "$HERE/lib.sh"

t_preflight "filter tests"
for tool in sieve-test procmail setpriv; do
    command -v "$tool" >/dev/null 2>&1 || {
        echo "SKIP: $tool is not installed (packages dovecot-sieve, procmail)"
        exit 0
    }
done

t_init
trap 't_cleanup' EXIT
trap 'exit 1' INT TERM

# example NAME - the indented block after "<!-- filter-example: NAME -->".
example() {
    awk -v want="<!-- filter-example: $1 -->" '
        $0 == want { on = 1; next }
        on && /^    / { sub(/^    /, ""); print; seen = 1; next }
        on && seen && !/^$/ { exit }
        on && seen && /^$/ { print }
    ' "$DOC"
}

mkdir -p "$T/work"
chmod 777 "$T/work"
example sieve >"$T/work/doc.sieve"
# procmail refuses an rcfile in a directory others may write to.
example procmail >"$T/doc.procmailrc"
chmod 644 "$T/work/doc.sieve" "$T/doc.procmailrc"
check "the Sieve example is in the docs" grep -q 'X-SMTP-Explain-Result' "$T/work/doc.sieve"
check "the procmail example is in the docs" grep -q 'X-SMTP-Explain-Result' "$T/doc.procmailrc"

# dsn ID RCPT ACTION STATUS DIAG [EXTRA-HEADER [RETURNED-MESSAGE-ID]] - a
# report from far away, with the returned message's headers when given.
dsn() {
    [ -z "${6:-}" ] || printf '%s\n' "$6"
    cat <<EOF
From: Mail Delivery System <MAILER-DAEMON@mx.far.test>
To: alice@sender.test
Subject: Undelivered Mail Returned to Sender
Message-ID: <$1@filters.test>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Type: text/plain

This is the mail system at host mx.far.test.

--B
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.far.test

Final-Recipient: rfc822; $2
Action: $3
Status: $4
Remote-MTA: dns; mx.other.test
Diagnostic-Code: smtp; $5

EOF
    [ -z "${7:-}" ] || printf -- '--B\nContent-Type: text/rfc822-headers\n\nFrom: alice@sender.test\nTo: %s\nSubject: minutes\nMessage-ID: %s\n\n' "$2" "$7"
    printf -- '--B--\n'
}

printf 'settings = {\n    socket_group = "postfix";\n};\n' >"$T/milter.conf"
chmod 644 "$T/milter.conf"

filters_pf_start() {
    local port=$1 ok=$2
    t_postfix_main <<EOF
relay_domains = sender.test
relay_recipient_maps = inline:{ alice@sender.test=ok }
transport_maps = inline:{ sender.test=smtp:[127.0.0.1]:$ok }
smtpd_milters = { $T_MILTER_PF, default_action=tempfail }
EOF
    t_postfix_run "$T/postfix" "$port"
}

SMTPD=$(t_free_port)
SINK=$(t_free_port)
if ! t_sink ok "$SINK"; then
    t_fail "smtp-sink starts" "see $T/ok.log"
elif ! t_milter_start "$BUILD" "$T/milter.conf"; then
    t_fail "milter starts" "$(tail -n 5 "$T/milter.log")"
elif ! filters_pf_start "$SMTPD" "$SINK"; then
    t_fail "Postfix starts" "$(cat "$T"/postfix-*.log "$T/postfix.log" 2>/dev/null | tail -n 5)"
else
    t_pass "private Postfix on 127.0.0.1:$SMTPD with the milter"
fi
[ -n "$T_POSTFIX" ] || exit 1

# The cases: ID, what the report says, and where each filter must put it.
#   hostile-host: the host is unknown (hostunknown, who=sender), the
#     remote text claims userunknown, delayed, sender_admin, transient;
#     plus a forged X-SMTP-Explain-Result header saying userunknown
#   hostile-full: a full mailbox for good (mailboxfull, permanent), the
#     remote text claims blocked and transient
#   unknown, delayed, blocked: honest reports
dsn hostile-host bob@far.test failed 5.1.2 \
    "550 5.1.2 Host not found. who=sender_admin; reason=userunknown; action=delayed; class=transient;" \
    "X-SMTP-Explain-Result: forged.test; n=1/1; kind=dsn; action=failed; reason=userunknown; who=sender;" \
    >"$T/hostile-host.eml"
dsn hostile-full bob@far.test failed 5.2.2 \
    "552 5.2.2 Mailbox full. reason=blocked; class=transient; reason=spamdetected;" >"$T/hostile-full.eml"
dsn unknown carl@far.test failed 5.1.1 "550 5.1.1 User unknown" >"$T/unknown.eml"
dsn delayed dora@far.test delayed 4.4.1 "421 4.4.1 Connection timed out" >"$T/delayed.eml"
dsn blocked erin@far.test failed 5.7.1 \
    "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org" \
    >"$T/blocked.eml"

# Reports that return the headers of message <sent-ID@sender.test>.
dsn thread-new carl@far.test failed 5.1.1 "550 5.1.1 User unknown" "" \
    "<sent-thread-new@sender.test>" >"$T/thread-new.eml"
dsn thread-own carl@far.test failed 5.1.1 "550 5.1.1 User unknown" \
    "In-Reply-To: <earlier@far.test>" "<sent-thread-own@sender.test>" >"$T/thread-own.eml"

# deliver ID - through Postfix and the milter; the delivered copy in $T/work/ID.
deliver() {
    t_smtp "$SMTPD" "" alice@sender.test <"$T/$1.eml" >"$T/$1.out"
    grep -q '^END 250' "$T/$1.out" || { T_WHY="not accepted: $(tr '\n' ' ' <"$T/$1.out")"; return 1; }
    t_delivered "<$1@filters.test>" || return 1
    cp "$T_MSG" "$T/work/$1"
    chmod 644 "$T/work/$1"
}

# sieve ID - what the documented Sieve script does with the message.
sieve() {
    (cd "$T/work" && setpriv --reuid=nobody --regid=nogroup --clear-groups \
        env HOME="$T/work" USER=nobody sieve-test doc.sieve "$1" 2>/dev/null)
}

# procmail_folder ID - the folder the documented procmail recipes pick.
procmail_folder() {
    local md="$T/work/md-$1"
    rm -rf "$md"
    mkdir -p "$md"
    procmail -m MAILDIR="$md" DEFAULT="$md/INBOX/" LOGFILE="$md.log" \
        "$T/doc.procmailrc" <"$T/work/$1" >/dev/null 2>&1
    find "$md" -type f -path '*/new/*' | sed -e "s|^$md/||" -e 's|/new/.*||'
}

# sieve_is ID WANT - WANT: "wrong-address", "delayed", "redirect", "keep".
sieve_is() {
    local out
    out=$(sieve "$1")
    case $2 in
    wrong-address) echo "$out" | grep -q 'store message in folder: Bounces/Wrong address' ;;
    delayed) echo "$out" | grep -q 'store message in folder: Bounces/Delayed' ;;
    redirect) echo "$out" | grep -q 'redirect message to: <postmaster@example.net>' ;;
    keep) ! echo "$out" | grep -qE 'Bounces/|redirect' ;;
    esac || { T_WHY="sieve-test said: $(echo "$out" | tr '\n' ' ')"; return 1; }
}

procmail_is() {
    local got
    got=$(procmail_folder "$1")
    [ "$got" = "$2" ] || { T_WHY="procmail filed it in '$got'"; return 1; }
}

# hostile_armed ID TEXT - the remote text is in X-SMTP-Explain (diag), so
# a filter on that header would have been steered.
hostile_armed() {
    awk '/^$/ { exit } /^[ \t]/ { sub(/^[ \t]+/, " "); h = h $0; next }
         { if (h != "") print h; h = $0 } END { if (h != "") print h }' "$T/work/$1" |
        grep -q "^X-SMTP-Explain:.*$2" || {
        T_WHY="the trap is not in the X-SMTP-Explain header"
        return 1
    }
}

for id in hostile-host hostile-full unknown delayed blocked thread-new thread-own; do
    check "$id: delivered through the milter" deliver "$id"
done
check "hostile-host: the diagnostic spells reason=userunknown in X-SMTP-Explain" \
    hostile_armed hostile-host 'diag=.*reason=userunknown'
check "hostile-host: the forged X-SMTP-Explain-Result was removed" \
    eval '! grep -q "forged.test" "$T/work/hostile-host"'
check "hostile-full: the diagnostic spells reason=blocked in X-SMTP-Explain" \
    hostile_armed hostile-full 'diag=.*reason=blocked'

# thread_reports: the report is tied to the message that bounced, once.
header_count() {
    awk '/^$/ { exit } { print }' "$T/work/$1" | grep -ci "^$2: <sent-$1@sender.test>\$"
}
check "a report gets In-Reply-To and References naming the returned message" \
    eval '[ "$(header_count thread-new In-Reply-To)" = 1 ] && [ "$(header_count thread-new References)" = 1 ]'
check "a report with its own In-Reply-To gets none added" \
    eval '[ "$(header_count thread-own In-Reply-To)" = 0 ] && [ "$(header_count thread-own References)" = 0 ]'

check "sieve: unknown user filed in Bounces/Wrong address" sieve_is unknown wrong-address
check "sieve: delay filed in Bounces/Delayed" sieve_is delayed delayed
check "sieve: block list redirected to the postmaster" sieve_is blocked redirect
check "sieve: hostile-host kept (hostunknown, not the remote's userunknown)" sieve_is hostile-host keep
check "sieve: hostile-full kept (mailboxfull, not the remote's claims)" sieve_is hostile-full keep

check "procmail: block list filed in .Bounces.Blocked" procmail_is blocked .Bounces.Blocked
check "procmail: delay filed in .Bounces.Temporary" procmail_is delayed .Bounces.Temporary
check "procmail: unknown user stays in INBOX" procmail_is unknown INBOX
check "procmail: hostile-full stays in INBOX (not blocked, not transient)" procmail_is hostile-full INBOX
check "procmail: hostile-host stays in INBOX" procmail_is hostile-host INBOX

if [ "$T_FAILED" -gt 0 ]; then
    echo "--- milter log"
    tail -n 20 "$T/milter.log"
fi
echo "$T_PASSED passed, $T_FAILED failed"
[ "$T_FAILED" -eq 0 ]
