#!/bin/sh
# demo.sh BUILD_DIR - see smtp-explain-milter at work, then clean up.
#
# Starts a private Postfix on loopback with the milter on its built-in
# default configuration, sends it a bounce from a "remote" server over
# SMTP, makes Postfix bounce a message itself, and prints what was
# delivered: the messages with their X-SMTP-Explain headers and the
# explanation at the top of their text (explain_body), and the milter's
# log lines. Needs root (Postfix); installs postfix and
# miltertest when missing.

[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=$(cd "${1:-build}" && pwd)
PATH="$PATH:/usr/sbin:/sbin"
export PATH

. "$HERE/lib.sh"

t_require
if [ "$(id -u)" != 0 ]; then
    echo "the demo starts a private Postfix and needs root"
    exit 1
fi
t_init
trap t_cleanup EXIT
trap 'exit 1' INT TERM

die() {
    echo "demo: $*" >&2
    tail -n 20 "$T/milter.log" "$T/postfix.log" 2>/dev/null >&2
    exit 1
}

show() {
    printf '\n==================== %s\n' "$1"
    # Drop smtp-sink's own envelope lines (X-Client-Addr ...).
    sed -e '/^X-\(Client-Addr\|Client-Proto\|Helo-Args\|Mail-Args\|Rcpt-Args\):/d' "$2"
}

SMTPD=$(t_free_port)
MILTER_PORT=$(t_free_port)
SINK_OK=$(t_free_port)
SINK_BAD=$(t_free_port)

# The shipped configuration with one change: explain_body on, so the
# reports carry the explanation in their text too. A TCP socket needs no
# group setup for Postfix to reach it.
sed 's/^\( *explain_body\) = false;/\1 = true;/' "$HERE/../../etc/smtp-explain.conf" \
    > "$T/demo.conf" || die "cannot write the demo configuration"
t_milter_start "$BUILD" "$T/demo.conf" "$MILTER_PORT" || die "the milter did not start"
t_sink ok "$SINK_OK" || die "smtp-sink did not start"
t_sink bad "$SINK_BAD" -f RCPT || die "smtp-sink did not start"
t_postfix_start "$SMTPD" "$SINK_OK" "$SINK_BAD" || die "Postfix did not start"

echo "Postfix on 127.0.0.1:$SMTPD, milter on $T_MILTER_PF"
echo "1. a remote server's bounce arrives over SMTP (MAIL FROM:<>)"
t_smtp "$SMTPD" "" alice@sender.test <"$HERE/fixtures/remote-dsn-userunknown.eml" |
    sed 's/^/   /'
echo "2. alice writes to nobody@bad.test; the next hop refuses, Postfix bounces"
printf 'From: alice@sender.test\nTo: nobody@bad.test\nSubject: Are you there?\n\nHello.\n' |
    t_smtp "$SMTPD" alice@sender.test nobody@bad.test | sed 's/^/   /'

sink_count() {
    [ "$(ls "$T/ok" 2>/dev/null | wc -l)" -ge 2 ]
}
t_wait 30 sink_count || die "the messages did not arrive"

show "the remote bounce, as delivered" "$(t_sink_find ok dsn.7f3a9c21@mx1.remote.test)"
f=$(t_sink_find ok "rcpt=nobody@bad.test")
printf '\n==================== Postfix'"'"'s own bounce, header as delivered\n'
show_head() {
    awk '/^$/ { exit } { print }' "$1" |
        sed -e '/^X-\(Client-Addr\|Client-Proto\|Helo-Args\|Mail-Args\|Rcpt-Args\):/d'
}
show_head "$f"
printf '\n==================== Postfix'"'"'s own bounce, its text as the sender reads it\n'
awk '/^Content-Description: Notification/ { on = 1 } on && /^--/ { exit } on { print }' "$f"

printf '\n==================== the milter'"'"'s log\n'
cat "$T/milter.log"
