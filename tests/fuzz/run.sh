#!/bin/sh
# run.sh SECONDS TARGET... - run each libFuzzer target for SECONDS,
# seeded from the project's fixtures; stop at the first finding.
set -u
secs=$1; shift
here=$(cd "$(dirname "$0")" && pwd)
status=0
for t in "$@"; do
    name=$(basename "$t")
    seeds="$here/corpus-$name"
    mkdir -p "$seeds"
    case $name in
        fuzz_reader) cp "$here"/../fixtures/dsn/*.eml "$here"/../fixtures/shapes/*.eml \
            "$here"/../fixtures/regress/* "$seeds"/ 2>/dev/null ;;
        fuzz_config) cp "$here"/../fixtures/registry/*.conf "$here"/../fixtures/config/*.conf "$here"/../../etc/*.conf "$here"/../../etc/texts/*.conf "$seeds"/ 2>/dev/null ;;
        fuzz_reply) printf '550-5.1.1 a 550 5.1.1 b' > "$seeds/multi"; printf 'smtp; 421 4.7.0 x' > "$seeds/diag" ;;
    esac
    echo "fuzz: $name for ${secs}s"
    if ! LSAN_OPTIONS="suppressions=$here/../lsan.supp" "$t" \
        -artifact_prefix="$here/../../build-fuzz/$name-" -max_total_time="$secs" -max_len=65536 -timeout=60 -rss_limit_mb=2048 \
        -print_final_stats=0 "$seeds" > "$here/../../build-fuzz/$name.log" 2>&1; then
        echo "fuzz: $name FOUND A PROBLEM:"; tail -40 "$here/../../build-fuzz/$name.log"
        status=1
    else
        grep -E '^#[0-9]+.*DONE' "$here/../../build-fuzz/$name.log" | tail -1
    fi
done
exit $status
