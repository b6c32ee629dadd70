# Every rule of smtp-explain suppress, on an mbox written here.
. golden/lib.sh
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
d() { dsn "$1" "$2" "$3" "$4" "$5" > "$tmp/m$n.eml"; n=$((n + 1)); }
n=100
# Hard: no such user, once, is enough.
d "Mon, 3 Mar 2025 09:00:00 +0000" hard@example.org failed 5.1.1 "550 5.1.1 no such user"
# Soft: mailbox full three times over eight days: listed (defaults 3 and 7).
d "Mon, 3 Mar 2025 09:00:00 +0000" full3@example.org failed 5.2.2 "552 5.2.2 mailbox full"
d "Thu, 6 Mar 2025 09:00:00 +0000" full3@example.org failed 5.2.2 "552 5.2.2 mailbox full"
d "Tue, 11 Mar 2025 09:00:00 +0000" full3@example.org failed 5.2.2 "552 5.2.2 mailbox full"
# Soft twice only: not listed.
d "Mon, 3 Mar 2025 09:00:00 +0000" full2@example.org failed 5.2.2 "552 5.2.2 mailbox full"
d "Tue, 11 Mar 2025 09:00:00 +0000" full2@example.org failed 5.2.2 "552 5.2.2 mailbox full"
# Soft three times within a day: not listed.
d "Mon, 3 Mar 2025 09:00:00 +0000" burst@example.org failed 5.2.2 "552 5.2.2 mailbox full"
d "Mon, 3 Mar 2025 10:00:00 +0000" burst@example.org failed 5.2.2 "552 5.2.2 mailbox full"
d "Mon, 3 Mar 2025 11:00:00 +0000" burst@example.org failed 5.2.2 "552 5.2.2 mailbox full"
# The sender's fault (block list, authentication): never.
d "Mon, 3 Mar 2025 09:00:00 +0000" blocked@example.org failed 5.7.1 "554 5.7.1 Service unavailable; client host blocked using a DNS block list"
d "Mon, 3 Mar 2025 09:00:00 +0000" auth@example.org failed 5.7.26 "550 5.7.26 unauthenticated email is not accepted: DMARC"
# A delay notice does not count.
d "Mon, 3 Mar 2025 09:00:00 +0000" slow@example.org delayed 4.4.1 "421 4.4.1 connection timed out"
# Hard, then delivered later: not listed.
d "Mon, 3 Mar 2025 09:00:00 +0000" back@example.org failed 5.1.1 "550 5.1.1 no such user"
d "Wed, 5 Mar 2025 09:00:00 +0000" back@example.org delivered 2.0.0 "250 2.0.0 ok"
# Delivered, then hard: listed.
d "Mon, 3 Mar 2025 09:00:00 +0000" gone@example.org delivered 2.0.0 "250 2.0.0 ok"
d "Wed, 5 Mar 2025 09:00:00 +0000" gone@example.org failed 5.1.1 "550 5.1.1 no such user"
mkmbox "$tmp"/m*.eml > "$tmp/box"
echo "== map"
"$CLI" suppress "$tmp/box" 2>&1
echo "== soft after 2 over 1 day"
"$CLI" suppress --soft-count 2 --soft-days 1 -f csv "$tmp/box" 2>/dev/null
echo "== merge is idempotent, in every format"
for f in map csv json; do
    "$CLI" suppress -f $f "$tmp/box" > "$tmp/l1" 2>/dev/null
    "$CLI" suppress -f $f --merge "$tmp/l1" "$tmp/box" > "$tmp/l2" 2>/dev/null
    "$CLI" suppress -f $f --merge "$tmp/l2" -o "$tmp/l2" "$tmp/box" 2>/dev/null
    cmp "$tmp/l1" "$tmp/l2" && echo "$f: same after merging twice"
done
echo "== merge keeps what the list had, a later delivery removes it"
printf '%s\n' 'address,kind,reason,status,failures,first,last' \
    'old@example.org,hard,userunknown,5.1.1,1,2024-01-01T00:00:00Z,2024-01-01T00:00:00Z' \
    'back@example.org,hard,userunknown,5.1.1,1,2025-03-01T00:00:00Z,2025-03-01T00:00:00Z' > "$tmp/list.csv"
"$CLI" suppress -f csv --merge "$tmp/list.csv" "$tmp/box" 2>/dev/null
echo "== a map line written by hand is kept"
printf 'hand@example.org\tREJECT written by hand\n' > "$tmp/hand"
"$CLI" suppress --merge "$tmp/hand" "$tmp/box" 2>/dev/null | grep hand@
