# Ill-formed UTF-8 in the diagnostics (overlong forms, surrogates, code
# points past U+10FFFF, stray and truncated sequences): each maximal
# ill-formed subpart is one \ufffd, and a strict reader takes every line.
tmp=$(mktemp) || exit 2
"$CLI" parse --json fixtures/dsn/bad-utf8.eml > "$tmp"
status=$?
cat "$tmp"
python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1], encoding="utf-8", errors="strict")]' "$tmp" \
    && echo "strict UTF-8 JSON: every line parsed"
rm -f "$tmp"
exit $status
