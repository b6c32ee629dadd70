#!/bin/sh
# run.sh SECONDS TARGET... - run each libFuzzer target for SECONDS,
# seeded from the project's fixtures; stop at the first finding.
#
# A finding is a crash, a leak, or a unit slower than FUZZ_TIMEOUT
# seconds: a reader that takes seconds on one message makes Postfix's
# milter timeout fire, so slowness is a bug like the others. Units
# slower than FUZZ_SLOW seconds are reported too (slow-unit-* files).
#
# fuzz_slow reads as the milter does (default limits, 64 KB chunks):
# it is the one that finds slowness; fuzz_reader's small limits hide
# most of it. Both are also seeded with the hostile inputs of
# tests/hostile (written by the hostile-gen program named in
# HOSTILE_GEN, at FUZZ_SEED_SIZE bytes) and with tests/fixtures/slow:
# mutations of slow inputs find the next slow input sooner.
#
# Environment (defaults in brackets):
#   FUZZ_MAX_LEN   longest input: [65536] for runs under 10 minutes,
#                  [1048576] for longer ones (make fuzz FUZZ_TIME=3600),
#                  which also try long inputs from the start
#   FUZZ_TIMEOUT   seconds a unit may take [1]
#   FUZZ_SLOW      seconds from which a unit is reported slow [1]
#   FUZZ_SEED_SIZE bytes of each hostile seed [4096]
#   HOSTILE_GEN    the hostile-gen program [none: no hostile seeds]
#
# A slow unit found is kept as a regression fixture by copying it to
# tests/fixtures/slow/: NAME.eml from fuzz_slow, NAME.bin from
# fuzz_reader (the linear suite of the unit tests replays each the way
# its fuzzer read it).
set -u
secs=$1; shift
here=$(cd "$(dirname "$0")" && pwd)
out="$here/../../build-fuzz"
# Long runs try long inputs at once (-len_control=0): the slow classes
# need size to show.
if [ "$secs" -ge 600 ]; then
    max_len=${FUZZ_MAX_LEN:-1048576}; len_control=0
else
    max_len=${FUZZ_MAX_LEN:-65536}; len_control=100
fi
timeout=${FUZZ_TIMEOUT:-1}
slow=${FUZZ_SLOW:-1}
seed_size=${FUZZ_SEED_SIZE:-4096}
status=0
for t in "$@"; do
    name=$(basename "$t")
    seeds="$here/corpus-$name"
    mkdir -p "$seeds"
    case $name in
        fuzz_annotate)
            for f in "$here"/../fixtures/dsn/*.eml "$here"/../fixtures/shapes/*.eml; do
                [ -e "$f" ] && { printf '\001'; cat "$f"; } > "$seeds/$(basename "$f")"
            done ;;
        fuzz_reader|fuzz_slow)
            cp "$here"/../fixtures/dsn/*.eml "$here"/../fixtures/shapes/*.eml "$seeds"/ 2>/dev/null
            if [ "$name" = fuzz_reader ]; then
                cp "$here"/../fixtures/regress/* "$here"/../fixtures/slow/*.bin "$seeds"/ 2>/dev/null
            else
                cp "$here"/../fixtures/slow/*.eml "$seeds"/ 2>/dev/null
            fi
            if [ -n "${HOSTILE_GEN:-}" ]; then
                "$HOSTILE_GEN" -d "$seeds" "$seed_size" || status=1
            fi ;;
        fuzz_config) cp "$here"/../fixtures/registry/*.conf "$here"/../fixtures/config/*.conf "$here"/../../etc/*.conf "$here"/../../etc/texts/*.conf "$seeds"/ 2>/dev/null ;;
        fuzz_reply) printf '550-5.1.1 a 550 5.1.1 b' > "$seeds/multi"; printf 'smtp; 421 4.7.0 x' > "$seeds/diag" ;;
    esac
    rm -f "$out/$name"-slow-unit-*
    # Each unit of the config loader builds the whole registry and its
    # automata (about 0.7 s under the sanitizers), whatever the input:
    # its limit is on the loader, not on the input's size.
    t_limit=$timeout
    [ "$name" = fuzz_config ] && [ "$t_limit" -lt 5 ] && t_limit=5
    echo "fuzz: $name for ${secs}s (inputs up to $max_len bytes, ${t_limit}s each)"
    if ! LSAN_OPTIONS="suppressions=$here/../lsan.supp" "$t" \
        -artifact_prefix="$out/$name-" -max_total_time="$secs" -max_len="$max_len" \
        -len_control="$len_control" -timeout="$t_limit" -report_slow_units="$slow" -rss_limit_mb=2048 \
        -print_final_stats=0 "$seeds" > "$out/$name.log" 2>&1; then
        echo "fuzz: $name FOUND A PROBLEM:"; tail -40 "$out/$name.log"
        if grep -q 'ERROR: libFuzzer: timeout' "$out/$name.log"; then
            case $name in fuzz_slow) ext=eml ;; *) ext=bin ;; esac
            echo "fuzz: a slow input: keep it with"
            echo "  cp $(sed -n 's/.*Test unit written to \(.*\)/\1/p' "$out/$name.log" | tail -1) tests/fixtures/slow/NAME.$ext"
        fi
        status=1
    else
        grep -E '^#[0-9]+.*DONE' "$out/$name.log" | tail -1
    fi
    ls "$out/$name"-slow-unit-* 2>/dev/null | sed 's/^/fuzz: slow unit (over '"$slow"'s): /'
done
exit $status
