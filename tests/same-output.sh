#!/bin/sh
# same-output.sh OLD NEW [DIR...] - run two builds of smtp-explain over
# every message under the directories (default: the project's fixtures)
# and show where their JSON findings differ. Used to prove a refactor
# changed nothing: exit 0 when the outputs are byte-identical.
#
#   sh tests/same-output.sh /tmp/old/smtp-explain build/smtp-explain \
#       tests/fixtures "$CORPUS"
set -u
[ $# -ge 2 ] || { echo "usage: $0 OLD NEW [DIR...]" >&2; exit 2; }
old=$1 new=$2; shift 2
[ $# -gt 0 ] || set -- "$(dirname "$0")/fixtures"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
find "$@" -type f \( -name '*.eml' -o -path '*maildir*' -o -path '*/regress/*' \) \
    | LC_ALL=C sort > "$tmp/files"
n=0 diff=0
while IFS= read -r f; do
    n=$((n + 1))
    "$old" parse --json "$f" > "$tmp/a" 2>&1
    "$new" parse --json "$f" > "$tmp/b" 2>&1
    if ! cmp -s "$tmp/a" "$tmp/b"; then
        diff=$((diff + 1))
        echo "== $f"
        diff "$tmp/a" "$tmp/b" | head -20
    fi
done < "$tmp/files"
echo "same-output: $n messages, $diff differ"
[ "$diff" -eq 0 ]
