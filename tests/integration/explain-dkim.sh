#!/bin/sh
# explain-dkim.sh BUILD_DIR - explain_body and DKIM, with a real OpenDKIM.
#
# A remote DSN is signed first by an OpenDKIM signer (a milter on its
# own smtpd listener, the report parked at a sink), then sent again
# through three listeners of the same private Postfix, each with its
# own order of milters:
#
#   off:    smtp-explain (explain_body_signed = false), then a verifying
#           OpenDKIM: the signed report is left alone, dkim=pass;
#   on:     smtp-explain (explain_body_signed = true), then the verifier:
#           the block is written, and the verifier no longer passes it
#           (the counter-check: this test can fail);
#   before: the verifier, then smtp-explain (explain_body_signed = true):
#           the order docs/postfix.md asks for; the verdict is pass and
#           the block is there.
#
# The key is made with opendkim-genkey in the temporary folder (under a
# world-writable /tmp, so the signer is told RequireSafeKeys no) and
# given to the verifier with TestPublicKeys: no DNS. Every daemon is started
# here, on loopback, and stopped by PID.
#
# Needs root, postfix, opendkim and opendkim-tools (installed when root,
# without starting Debian's opendkim service). Prints "N passed, M
# failed"; exits non-zero when anything failed.

[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=$(cd "${1:-build}" && pwd)
MILTER="$BUILD/smtp-explain-milter"
PATH="$PATH:/usr/sbin:/sbin"
export PATH

. "$HERE/lib.sh"

t_preflight "explain_body DKIM tests"
if ! t_install opendkim:opendkim opendkim-genkey:opendkim-tools; then
    echo "SKIP explain_body DKIM tests: install the Debian packages opendkim" \
         "and opendkim-tools"
    exit 0
fi
t_init
trap t_cleanup EXIT
trap 'exit 1' INT TERM

K="$T/dkim"
mkdir -p "$K"

# ------------------------------------------------------------ the key

# The public key as one TXT value, for TestPublicKeys ("NAME VALUE").
dk_keys() {
    opendkim-genkey -D "$K" -d remote.test -s s1 >"$T/genkey.log" 2>&1 || return 1
    printf 's1._domainkey.remote.test %s\n' \
        "$(grep -o '"[^"]*"' "$K/s1.txt" | tr -d '"\n ')" >"$K/public"
    grep -q 'p=MII' "$K/public"
}

# dk_start NAME PORT LINES - an OpenDKIM in the foreground with LINES
# added to a common configuration; remembered by PID.
dk_start() {
    local name=$1 port=$2
    { printf 'Socket inet:%s@127.0.0.1\n' "$port"
      printf 'PidFile %s/%s.pid\n' "$K" "$name"
      printf 'Syslog no\nCanonicalization relaxed/simple\n'
      printf '%s\n' "$3"; } >"$K/$name.conf"
    opendkim -f -x "$K/$name.conf" >"$T/$name.log" 2>&1 &
    t_remember $!
    t_wait 20 t_listening "$port"
}

# em_start NAME PORT SIGNED - smtp-explain with explain_body on, on TCP.
em_start() {
    sed -e 's/^\( *explain_body\) = false;/\1 = true;/' \
        -e "s/^\( *explain_body_signed\) = false;/\1 = $3;/" \
        "$HERE/../../etc/smtp-explain.conf" >"$T/$1.conf"
    chmod 644 "$T/$1.conf"
    "$MILTER" -f -u nobody -c "$T/$1.conf" -p "inet:$2@127.0.0.1" \
        2>"$T/$1.log" &
    t_remember $!
    t_wait 30 t_log_has "$T/$1.log" "starting:"
}

# dk_postfix - one instance, a listener per order of milters.
dk_postfix() {
    local cf="$T/postfix" m="inet:127.0.0.1"
    t_postfix_main <<EOF
relay_domains = sender.test, hold.test
relay_recipient_maps = inline:{ dkim-off@sender.test=ok, dkim-on@sender.test=ok, dkim-before@sender.test=ok, signed@hold.test=ok }
transport_maps = inline:{ sender.test=smtp:[127.0.0.1]:$SINK_OK, hold.test=smtp:[127.0.0.1]:$SINK_HOLD }
milter_default_action = tempfail
EOF
    cat >"$cf/master.cf" <<EOF
127.0.0.1:$P_SIGN inet n - n - - smtpd -o smtpd_milters=$m:$DK_SIGN
127.0.0.1:$P_OFF inet n - n - - smtpd -o smtpd_milters=$m:$M_OFF,$m:$DK_VERIFY
127.0.0.1:$P_ON inet n - n - - smtpd -o smtpd_milters=$m:$M_ON,$m:$DK_VERIFY
127.0.0.1:$P_BEFORE inet n - n - - smtpd -o smtpd_milters=$m:$DK_VERIFY,$m:$M_ON
EOF
    t_postfix_go "$cf" "$P_SIGN" && t_wait 10 t_listening "$P_OFF" &&
        t_wait 10 t_listening "$P_ON" && t_wait 10 t_listening "$P_BEFORE"
}

t_sink_has_in() {
    [ -n "$(t_sink_find "$1" "$2")" ]
}

# The header of a dumped message, one field per line (folds joined).
dk_fields() {
    awk '/^\r?$/ { exit }
         /^[ \t]/ { sub(/^[ \t]+/, " "); h = h $0; next }
         { if (h != "") print h; h = $0 }
         END { if (h != "") print h }' "$1" | tr -d '\r'
}

# The verifier's result for remote.test in a delivered message.
dk_result() {
    dk_fields "$1" | grep '^Authentication-Results: mx.test' |
        grep -o 'dkim=[a-z]*[^;]*header\.d=remote\.test' | head -n 1
}

# Everything after the sink's own lines and its Received field: the
# message as Postfix handed it on.
dk_unwrap_sink() {
    awk 'skip == 0 { if (/^Received:/) skip = 1; next }
         skip == 1 && /^[ \t]/ { next }
         { skip = 2; print }' "$1"
}

DK_SIGN=$(t_free_port)
DK_VERIFY=$(t_free_port)
M_OFF=$(t_free_port)
M_ON=$(t_free_port)
SINK_OK=$(t_free_port)
SINK_HOLD=$(t_free_port)
P_SIGN=$(t_free_port)
P_OFF=$(t_free_port)
P_ON=$(t_free_port)
P_BEFORE=$(t_free_port)

if ! dk_keys; then
    t_fail "opendkim-genkey makes a key" "$(cat "$T/genkey.log")"
elif ! printf 's1._domainkey.remote.test remote.test:s1:%s/s1.private\n' "$K" >"$K/keytable" ||
    ! printf '* s1._domainkey.remote.test\n' >"$K/signingtable" ||
    ! dk_start signer "$DK_SIGN" "Mode s
RequireSafeKeys no
KeyTable $K/keytable
SigningTable refile:$K/signingtable"; then
    t_fail "OpenDKIM signer starts" "$(cat "$T/signer.log")"
elif ! dk_start verifier "$DK_VERIFY" "Mode v
InternalHosts 192.0.2.1
AuthservID mx.test
AlwaysAddARHeader yes
TestPublicKeys $K/public"; then
    t_fail "OpenDKIM verifier starts" "$(cat "$T/verifier.log")"
elif ! em_start milter-off "$M_OFF" false || ! em_start milter-on "$M_ON" true; then
    t_fail "milters start" "$(tail -n 3 "$T"/milter-o*.log)"
elif ! t_sink ok "$SINK_OK" || ! t_sink hold "$SINK_HOLD"; then
    t_fail "smtp-sink starts" "see $T/*.log"
elif ! dk_postfix; then
    t_fail "Postfix starts" "$(cat "$T/postfix-check.log" "$T/postfix-start.log")"
else
    t_pass "OpenDKIM signer and verifier, two milters, Postfix on loopback"

    sed 's/dsn\.7f3a9c21@/dsn.dkim@/' "$HERE/fixtures/remote-dsn-userunknown.eml" |
        t_smtp "$P_SIGN" "" signed@hold.test >"$T/s-sign.out"
    if ! t_wait 30 t_sink_has_in hold "dsn.dkim@"; then
        t_fail "the signer signs the report" "nothing reached the hold sink"
    else
        dk_unwrap_sink "$(t_sink_find hold "dsn.dkim@")" >"$T/signed.eml"
        signed_ok() {
            dk_fields "$T/signed.eml" | grep -q '^DKIM-Signature: .*d=remote\.test; s=s1;' ||
                { T_WHY="no DKIM-Signature by remote.test"; return 1; }
        }
        check "the signer signs the report" signed_ok

        t_smtp "$P_OFF" "" dkim-off@sender.test <"$T/signed.eml" >"$T/s-off.out"
        t_smtp "$P_ON" "" dkim-on@sender.test <"$T/signed.eml" >"$T/s-on.out"
        t_smtp "$P_BEFORE" "" dkim-before@sender.test <"$T/signed.eml" >"$T/s-before.out"

        if t_delivered "<dkim-off@sender.test>"; then
            off=$T_MSG
            off_pass() {
                local r
                r=$(dk_result "$off")
                case $r in
                dkim=pass*) return 0 ;;
                esac
                T_WHY="verifier after the milter says \"${r:-nothing}\""
                return 1
            }
            check "explain_body_signed off: the verifier after the milter says dkim=pass" off_pass
            off_left() {
                ! grep -q '^\[smtp-explain\]' "$off" &&
                    t_log_has "$T/milter-off.log" 'body="signed (DKIM-Signature)"' ||
                    { T_WHY="the block was written, or the log does not say why not"; return 1; }
            }
            check "explain_body_signed off: the report's text left alone, and why logged" off_left
        else
            t_fail "explain_body_signed off: delivered" "$T_WHY"
        fi

        if t_delivered "<dkim-on@sender.test>"; then
            on=$T_MSG
            on_block() {
                grep -q '^\[smtp-explain\] Why this message came back' "$on" ||
                    { T_WHY="no block in the text"; return 1; }
            }
            check "explain_body_signed on: the milter writes the block" on_block
            on_broken() {
                local r
                r=$(dk_result "$on")
                case $r in
                dkim=pass*|"")
                    T_WHY="verifier after the milter says \"${r:-nothing}\""
                    return 1 ;;
                esac
                echo "       (the verifier after the milter: $r)"
                return 0
            }
            check "explain_body_signed on: the verifier after the milter no longer passes it" on_broken
        else
            t_fail "explain_body_signed on: delivered" "$T_WHY"
        fi

        if t_delivered "<dkim-before@sender.test>"; then
            before=$T_MSG
            before_ok() {
                local r
                r=$(dk_result "$before")
                case $r in
                dkim=pass*) ;;
                *) T_WHY="verifier before the milter says \"${r:-nothing}\""; return 1 ;;
                esac
                grep -q '^\[smtp-explain\] Why this message came back' "$before" ||
                    { T_WHY="no block in the text"; return 1; }
            }
            check "verifier before the milter (docs/postfix.md): dkim=pass, and the block" before_ok
        else
            t_fail "verifier before the milter: delivered" "$T_WHY"
        fi
    fi
fi

echo "$T_PASSED passed, $T_FAILED failed"
[ "$T_FAILED" -eq 0 ]
