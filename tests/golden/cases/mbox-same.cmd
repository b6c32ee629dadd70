# An mbox, a gzip'd mbox, an mbox on stdin, a Maildir and a directory of
# the same messages (every bounce fixture and non-bounces) give the
# same findings as the messages read one file each.
. golden/lib.sh
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
set -- fixtures/dsn/*.eml fixtures/shapes/*.eml fixtures/mbox/plain-*.eml
for f in "$@"; do "$CLI" parse --json "$f"; done | findings > "$tmp/each"
mkmbox "$@" > "$tmp/all.mbox"
gzip -c "$tmp/all.mbox" > "$tmp/all.mbox.gz"
mkmaildir "$tmp/md" "$@"
mkdir -p "$tmp/tree/a/b" && cp "$tmp/all.mbox" "$tmp/tree/a/b/x.mbox"
# The counts change with the fixtures: only their agreement is printed.
[ "$(grep -c '^From ' "$tmp/all.mbox")" -eq $# ] && echo "one message in the mbox per file"
[ -s "$tmp/each" ] && echo "findings one file each: some"
"$CLI" parse --json "$tmp/all.mbox" | findings | cmp - "$tmp/each" && echo "mbox: same"
"$CLI" parse --json "$tmp/all.mbox.gz" | findings | cmp - "$tmp/each" && echo "gzip: same"
"$CLI" parse --json - < "$tmp/all.mbox" | findings | cmp - "$tmp/each" && echo "stdin file: same"
cat "$tmp/all.mbox.gz" | "$CLI" parse --json - | findings | cmp - "$tmp/each" && echo "stdin gzip pipe: same"
"$CLI" parse --json "$tmp/md" | findings | cmp - "$tmp/each" && echo "Maildir: same"
"$CLI" parse --json "$tmp/tree" | wc -l | sed 's/^/directory without -R: /'
"$CLI" parse --json -R "$tmp/tree" | findings | cmp - "$tmp/each" && echo "directory -R: same"
# Each finding names its source: the mbox and the message number, the Maildir file.
"$CLI" parse --json "$tmp/all.mbox" | sed -n '1s/.*"message":\([0-9]*\).*/first finding from message \1/p'
"$CLI" parse --json "$tmp/md" | sed -n '1s/.*"file":"[^"]*\/\(cur\/[^"]*\)".*/first finding from \1/p'
