#!/bin/sh
# bench/hostile.sh BUILD - what each class of hostile input costs (ms
# of CPU per MB), in the core and through the command, beside real
# bounces measured in the same run (bench/hostile.c).
#
# BENCH_CORPUS    a folder of real bounces (.eml, searched recursively);
#                 default: BENCH_FILES if set, else ../shared/corpus
#                 beside this checkout; without one, the project's own
#                 fixtures are the baseline
# BENCH_HOSTILE_SIZE     size of each hostile message [1m]
# BENCH_HOSTILE_TIMEOUT  seconds a run may take before it is stopped [60]
# BENCH_HOSTILE_CLASSES  only these classes (names, space-separated)
set -eu
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
corpus=${BENCH_CORPUS:-${BENCH_FILES:-$top/../shared/corpus}}
files=
if [ -d "$corpus" ]; then
    files=$(find "$corpus" -name '*.eml' -type f | sort)
fi
if [ -z "$files" ]; then
    echo "bench-hostile: no .eml under $corpus (set BENCH_CORPUS); the baseline is the project's fixtures"
    files=$(ls "$top"/tests/fixtures/dsn/*.eml "$top"/tests/fixtures/shapes/*.eml)
else
    echo "bench-hostile: baseline from $corpus"
fi
only=
for c in ${BENCH_HOSTILE_CLASSES:-}; do
    only="$only -k $c"
done
echo "== hostile inputs at ${BENCH_HOSTILE_SIZE:-1m}: core in-process and the command, CPU ms per MB"
# shellcheck disable=SC2086
"$top/$build/bench-hostile" -c "$top/$build/smtp-explain" -s "${BENCH_HOSTILE_SIZE:-1m}" \
    -t "${BENCH_HOSTILE_TIMEOUT:-60}" $only $files
