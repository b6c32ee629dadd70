#!/bin/sh
# bench/run.sh BUILD - the benchmarks of smtp-explain (not part of check).
#  1. core throughput against Debian's Sisimai on the same files
#  2. end to end through a private Postfix (bench/e2e.sh)
#  3. memory of the milter over a long run (bench/e2e.sh)
# Every figure is printed next to a baseline measured in the same run.
# BENCH_FILES (a directory of .eml) adds files; BENCH_REPS (default 5).
set -eu
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
reps=${BENCH_REPS:-5}
sh "$top/packaging/install-deps.sh" bench
files=$(ls "$top"/tests/fixtures/dsn/*.eml "$top"/tests/fixtures/shapes/*.eml 2>/dev/null)
if [ -n "${BENCH_FILES:-}" ]; then
    files="$files $(ls "$BENCH_FILES"/*.eml)"
fi
cc -O2 -I"$top/include" -D_GNU_SOURCE -o "$top/$build/bench-core" "$here/core.c" \
    "$top/$build/libsmtp-explain.a" $(pkg-config --libs libconfig)
echo "== 1. core throughput: read + explain + render, one thread, $reps reps"
"$top/$build/bench-core" "$reps" 1 $files | tee "$top/$build/bench-core.txt"
perl "$here/sisimai.pl" "$reps" 1 $files | tee "$top/$build/bench-sisimai.txt"
ours=$(sed -n 's/.*median \([0-9]*\) messages.*/\1/p' "$top/$build/bench-core.txt")
theirs=$(sed -n 's/.*median \([0-9]*\) messages.*/\1/p' "$top/$build/bench-sisimai.txt")
echo "core: smtp-explain $ours msg/s, Sisimai $theirs msg/s, ratio $(echo "$ours $theirs" | awk '{printf "%.1fx", $1 / $2}') (target 100x)"
if [ -f "$here/e2e.sh" ]; then
    sh "$here/e2e.sh" "$top/$build"
fi
