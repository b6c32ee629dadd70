#!/bin/sh
# bench/mailbox.sh BUILD - the mailbox analyser's benchmarks (not part of check).
#  1. a corpus of real bounces (CORPUS, a directory of .eml files, read
#     recursively; default BENCH_CORPUS, else BENCH_FILES, else
#     ../shared/corpus beside the checkout, as bench/hostile.sh):
#     in-process (bench-core against Sisimai's make() in one Perl
#     process) and whole process (one smtp-explain parse --json run over
#     all the files against one Perl process printing Sisimai->dump of
#     each, both timed from fork to exit), in the same rounds; skipped
#     with a message when there is no such directory; beside them, in
#     the same rounds, bench-floor (bench/floor.c) only starts, and then
#     only starts and reads the files: the whole-process ratio cannot
#     be higher than Sisimai's run over the second;
#  2. memory: an mbox of MBOX_MB megabytes (default 200) written into
#     BUILD by repeating the fixtures, read by smtp-explain parse and
#     report; prints the time and the peak RSS, then removes the mbox.
# BENCH_REPS rounds (default 5).
set -eu
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
b="$top/$build"
reps=${BENCH_REPS:-5}
cli="$b/smtp-explain"
median() { sort -n "$1" | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

cc -O2 -o "$b/bench-peak" "$here/peak.c"

echo "== mailbox 1. corpus: in-process and whole-process against Sisimai"
CORPUS=${CORPUS:-${BENCH_CORPUS:-${BENCH_FILES:-$top/../shared/corpus}}}
if [ ! -d "$CORPUS" ]; then
    echo "skipped: set CORPUS to a directory of bounce messages (.eml) to run it"
elif ! perl -MSisimai -e 1 2>/dev/null; then
    echo "skipped: Sisimai is not installed (packaging/install-deps.sh bench)"
else
    find "$CORPUS" -name '*.eml' -type f | sort > "$b/bench-corpus.list"
    n=$(wc -l < "$b/bench-corpus.list")
    cc -O2 -o "$b/bench-floor" "$here/floor.c"
    cc -O2 -I"$top/include" -D_GNU_SOURCE -o "$b/bench-core" "$here/core.c" \
        "$b/libsmtp-explain.a" $(pkg-config --libs libconfig)
    : > "$b/bench-in.txt"; : > "$b/bench-whole.txt"; : > "$b/bench-floor.txt"
    r=1
    while [ "$r" -le "$reps" ]; do
        # In-process: messages per second, each side reading files held in memory.
        ours=$(xargs "$b/bench-core" 1 1 < "$b/bench-corpus.list" \
            | sed -n 's/.*median \([0-9]*\) messages.*/\1/p')
        theirs=$(xargs perl "$here/sisimai.pl" 1 1 < "$b/bench-corpus.list" \
            | sed -n 's/.*median \([0-9]*\) messages.*/\1/p')
        echo "$ours $theirs" | awk '{printf "%.1f\n", $1 / $2}' >> "$b/bench-in.txt"
        # Whole process: start, load, read every file, print JSON, exit;
        # timed by bench-peak from fork to exit (not xargs nor the shell).
        xargs "$b/bench-peak" "$cli" parse --json < "$b/bench-corpus.list" \
            > /dev/null 2> "$b/bench-w1.txt"
        xargs "$b/bench-peak" perl -MSisimai \
            -e 'print Sisimai->dump($_) // "", "\n" for @ARGV' \
            < "$b/bench-corpus.list" > /dev/null 2> "$b/bench-w2.txt"
        # The floors: a process that only starts, one that only reads.
        "$b/bench-peak" "$b/bench-floor" 2> "$b/bench-w3.txt"
        xargs "$b/bench-peak" "$b/bench-floor" < "$b/bench-corpus.list" \
            2> "$b/bench-w4.txt"
        t1=$(sed -n 's/^peak: \([0-9.]*\) s.*/\1/p' "$b/bench-w1.txt" | tail -1)
        t2=$(sed -n 's/^peak: \([0-9.]*\) s.*/\1/p' "$b/bench-w2.txt" | tail -1)
        t3=$(sed -n 's/^peak: \([0-9.]*\) s.*/\1/p' "$b/bench-w3.txt" | tail -1)
        t4=$(sed -n 's/^peak: \([0-9.]*\) s.*/\1/p' "$b/bench-w4.txt" | tail -1)
        echo "$t4 $t2" | awk '{printf "%.1f\n", $2 / $1}' >> "$b/bench-floor.txt"
        echo "$t1 $t2" | awk '{printf "%.1f\n", $2 / $1}' >> "$b/bench-whole.txt"
        echo "round $r: in-process $ours vs $theirs msg/s ($(tail -1 "$b/bench-in.txt")x);" \
            "whole process $(echo "$t1 $t2" | awk '{printf "%.4f s vs %.4f s", $1, $2}')" \
            "($(tail -1 "$b/bench-whole.txt")x); floor: start $t3 s," \
            "start and read $t4 s ($(tail -1 "$b/bench-floor.txt")x)"
        r=$((r + 1))
    done
    echo "corpus: $n files; median ratio in-process $(median "$b/bench-in.txt")x," \
        "whole process $(median "$b/bench-whole.txt")x (target 100x each);" \
        "a process that only reads the files: $(median "$b/bench-floor.txt")x"
fi

echo "== mailbox 2. memory: a large mbox, one message at a time"
mb=${MBOX_MB:-200}
box="$b/bench-large.mbox"
trap 'rm -f "$box"' EXIT
# One copy of the fixtures as an mbox, then as many copies as fill MBOX_MB.
for f in "$top"/tests/fixtures/dsn/*.eml "$top"/tests/fixtures/shapes/*.eml; do
    printf 'From MAILER-DAEMON Mon Mar  3 09:12:40 2025\n'
    sed -e 's/^\(>*From \)/>\1/' "$f"
    [ -n "$(tail -c 1 "$f")" ] && echo
    echo
done > "$box.one"
one=$(wc -c < "$box.one")
copies=$(( (mb * 1024 * 1024 + one - 1) / one ))
i=0; : > "$box"
while [ "$i" -lt "$copies" ]; do cat "$box.one"; i=$((i + 1)); done >> "$box"
rm -f "$box.one"
size=$(wc -c < "$box")
msgs=$(grep -c '^From ' "$box")
echo "mbox: $((size / 1048576)) MB, $msgs messages"
"$b/bench-peak" "$cli" parse --json "$box" > /dev/null 2> "$b/bench-peak.txt" || true
echo "parse --json: $(tail -1 "$b/bench-peak.txt")" \
    "($(awk -v s="$size" '/^peak:/ {printf "%.0f MB/s", s / 1048576 / $2}' "$b/bench-peak.txt"))"
"$b/bench-peak" "$cli" report "$box" > /dev/null 2> "$b/bench-peak.txt" || true
echo "report: $(tail -1 "$b/bench-peak.txt")"
head -c $((size / 10)) "$box" > "$box.tenth"
"$b/bench-peak" "$cli" parse --json "$box.tenth" > /dev/null 2> "$b/bench-peak.txt" || true
rm -f "$box.tenth"
echo "parse --json on a tenth of it: $(tail -1 "$b/bench-peak.txt") (flat memory: about the same peak)"
