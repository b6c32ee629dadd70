#!/bin/sh
# bench/run.sh BUILD - the benchmarks of smtp-explain (not part of check).
#  1. core throughput against Debian's Sisimai on the same files
#  2. end to end through a private Postfix (bench/e2e.sh)
#  3. memory of the milter over a long run (bench/e2e.sh)
# Every figure is printed next to a baseline measured in the same run.
# BENCH_FILES (a directory of .eml) adds files; BENCH_REPS (default 5);
# BENCH_CORE_ONLY=1 runs the core comparison alone.
set -eu
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
reps=${BENCH_REPS:-7}
sh "$top/packaging/install-deps.sh" bench
files=$(ls "$top"/tests/fixtures/dsn/*.eml "$top"/tests/fixtures/shapes/*.eml 2>/dev/null)
if [ -n "${BENCH_FILES:-}" ]; then
    files="$files $(ls "$BENCH_FILES"/*.eml)"
fi
cc -O2 -I"$top/include" -D_GNU_SOURCE -o "$top/$build/bench-core" "$here/core.c" \
    "$top/$build/libsmtp-explain.a" $(pkg-config --libs libconfig)
echo "== 1. core throughput: read + explain + render, one thread, $reps rounds"
# Each round runs both, one second each, back to back: the machine's
# speed drifts (other guests, frequency), and a ratio taken within a
# round cancels what the two runs share. Medians of the rates and the
# median of the per-round ratios are printed.
: > "$top/$build/bench-core.txt"
: > "$top/$build/bench-sisimai.txt"
: > "$top/$build/bench-ratio.txt"
r=1
while [ "$r" -le "$reps" ]; do
    ours=$("$top/$build/bench-core" 1 1 $files | sed -n 's/.*median \([0-9]*\) messages.*/\1/p')
    theirs=$(perl "$here/sisimai.pl" 1 1 $files | sed -n 's/.*median \([0-9]*\) messages.*/\1/p')
    echo "$ours" >> "$top/$build/bench-core.txt"
    echo "$theirs" >> "$top/$build/bench-sisimai.txt"
    echo "$ours $theirs" | awk '{printf "%.1f\n", $1 / $2}' >> "$top/$build/bench-ratio.txt"
    echo "round $r: smtp-explain $ours msg/s, Sisimai $theirs msg/s, ratio $(tail -1 "$top/$build/bench-ratio.txt")x"
    r=$((r + 1))
done
median() { sort -n "$1" | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
ours=$(median "$top/$build/bench-core.txt")
theirs=$(median "$top/$build/bench-sisimai.txt")
echo "core: $(echo $files | wc -w) files; smtp-explain median $ours msg/s, Sisimai median $theirs msg/s"
echo "core: ratio of medians $(echo "$ours $theirs" | awk '{printf "%.1fx", $1 / $2}'), median of per-round ratios $(median "$top/$build/bench-ratio.txt")x (target 100x)"
if [ -f "$here/e2e.sh" ] && [ -z "${BENCH_CORE_ONLY:-}" ]; then
    sh "$here/e2e.sh" "$top/$build"
fi
