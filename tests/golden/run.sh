#!/bin/sh
# Golden-file tests of the smtp-explain command: each case is a command
# line in tests/golden/cases/NAME.cmd (run from tests/, with $CLI for
# the command); its expected standard output and exit status are in
# NAME.out. SX_GOLDEN_UPDATE=1 rewrites the .out files instead.
set -u
# The command's wording follows LANG: the expected output is English.
LANG=C; LC_ALL=C; export LANG LC_ALL
cli=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/.." || exit 2
# The host id that opens the headers: the same on every host.
# parse-hostname.cmd checks the default, this host's name.
SMTP_EXPLAIN_AUTHSERV_ID=localhost
export SMTP_EXPLAIN_AUTHSERV_ID
pass=0 fail=0
for cmd in golden/cases/*.cmd; do
    name=${cmd%.cmd}
    got=$(CLI="$cli" sh "$cmd" 2>&1; echo "exit $?")
    if [ "${SX_GOLDEN_UPDATE:-0}" = 1 ]; then
        printf '%s\n' "$got" > "$name.out"
        pass=$((pass + 1))
        continue
    fi
    if printf '%s\n' "$got" | diff -u "$name.out" - > /tmp/golden.$$ 2>&1; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL golden: $name"
        head -40 /tmp/golden.$$
    fi
done
rm -f /tmp/golden.$$
echo "golden: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
