#!/bin/sh
# check-config.sh MILTER - the configuration check of the daemon
# (smtp-explain-milter -n) says of each file of fixtures/config/check/
# what the unit tests say the library says: ok-*.conf prints "config
# OK" and exits 0; bad-*.conf exits 1 and reports, as file:line, every
# line marked "# refused" and nothing else. Then -p and -P are judged
# like the settings they override, and -n -v prints settings that read
# back the same. Needs no daemon and no root.
set -u
[ $# -eq 1 ] || { echo "usage: $0 MILTER" >&2; exit 2; }
milter=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$(dirname "$0")" || exit 2
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

ok() { pass=$((pass + 1)); }
ko() {
    fail=$((fail + 1))
    echo "FAIL check-config: $1"
    sed 's/^/    /' "$tmp/out"
}

# The milter names the file by its absolute path (it changes directory).
for f in "$(pwd)"/fixtures/config/check/*.conf; do
    "$milter" -n -c "$f" >"$tmp/out" 2>&1
    status=$?
    case ${f##*/} in
    ok-*)
        if [ "$status" -eq 0 ] && [ "$(cat "$tmp/out")" = "config OK" ]; then
            ok
        else
            ko "$f: exit $status, want 0 and \"config OK\""
        fi ;;
    bad-*)
        grep -n '# refused' "$f" | cut -d: -f1 | sed "s|^|$f:|; s|\$|: |" \
            >"$tmp/want"
        cut -d' ' -f1 "$tmp/out" | sed 's/$/ /' >"$tmp/got"
        if [ "$status" -eq 1 ] && cmp -s "$tmp/want" "$tmp/got"; then
            ok
        else
            ko "$f: exit $status, want 1 and errors at $(tr '\n' ' ' <"$tmp/want")"
        fi ;;
    *)
        ko "$f: name it ok-*.conf or bad-*.conf" ;;
    esac
done

# expect STATUS TEXT ARGS...: the exit status, and TEXT in the output.
expect() {
    want=$1 text=$2
    shift 2
    "$milter" "$@" >"$tmp/out" 2>&1
    status=$?
    if [ "$status" -eq "$want" ] && grep -qF -- "$text" "$tmp/out"; then
        ok
    else
        ko "$*: exit $status, want $want and \"$text\""
    fi
}
conf=fixtures/config/check/ok-facility-auth.conf
expect 0 "config OK" -n -c "$conf" -p inet:8894@127.0.0.1 -P /run/x.pid
expect 1 "-p: bad socket \"inet:127.0.0.1:9999\": this is Postfix's notation; the milter listens on inet:PORT@HOST: inet:9999@127.0.0.1" \
    -n -c "$conf" -p inet:127.0.0.1:9999
expect 1 "-p: bad socket \"unix:run/x.sock\": a unix socket needs an absolute path" \
    -n -c "$conf" -p unix:run/x.sock
expect 1 "-P: \"pidfile\" must be an absolute path" -n -c "$conf" -P x.pid
expect 2 "usage:" -v -c "$conf"

# -n -v: the effective settings, which read back the same.
expect 0 "    syslog_facility = \"auth\";" -n -v -c "$conf"
grep -v '^config OK$' "$tmp/out" >"$tmp/printed.conf"
"$milter" -n -v -c "$tmp/printed.conf" >"$tmp/again" 2>&1
if cmp -s "$tmp/out" "$tmp/again"; then
    ok
else
    cp "$tmp/again" "$tmp/out"
    ko "-n -v output, read back, prints differently"
fi

echo "check-config: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
