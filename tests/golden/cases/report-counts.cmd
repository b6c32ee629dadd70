# smtp-explain report: counts by reason, class, domain, day, diagnostics.
. golden/lib.sh
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
dsn "Mon, 3 Mar 2025 09:00:00 +0000" a@example.org failed 5.1.1 "550 5.1.1 no such user" > "$tmp/1"
dsn "Mon, 3 Mar 2025 23:30:00 -0100" b@example.org failed 5.1.1 "550 5.1.1 no such user" > "$tmp/2"
dsn "Tue, 4 Mar 2025 09:00:00 +0000" c@example.com failed 5.2.2 "552 5.2.2 mailbox full" > "$tmp/3"
dsn "Tue, 4 Mar 2025 09:00:00 +0000" d@example.com delayed 4.4.1 "421 4.4.1 connection timed out" > "$tmp/4"
mkmbox "$tmp"/? fixtures/mbox/plain-1.eml > "$tmp/box"
"$CLI" report --json -n 3 "$tmp/box" | sed 's/,"by_/\n"by_/g; s/,"top_/\n"top_/; s/,"unmatched_/\n"unmatched_/'
echo
"$CLI" report -n 2 "$tmp/box"
