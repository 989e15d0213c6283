#!/usr/bin/env bash
# Runs one libFuzzer target (or all of them in turn) under ASan+UBSan for SECONDS over its committed corpus
# (fuzz/corpus/TARGET/), building the fuzz variant first when needed. New inputs go to a scratch dir
# (build/fuzz/scratch/TARGET, kept between runs), never into the committed corpus; a crash is written to
# build/fuzz/findings/TARGET/. Prints the number of inputs run.
# Usage: scripts/fuzz.sh TARGET|all SECONDS [extra libFuzzer options]   (targets: the fuzz/*.cpp names)
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: scripts/fuzz.sh TARGET|all SECONDS}
seconds=${2:?usage: scripts/fuzz.sh TARGET|all SECONDS}
shift 2

targets=()
for source in fuzz/*.cpp; do targets+=("$(basename "$source" .cpp)"); done
if [[ "$target" == all ]]; then
    selected=("${targets[@]}")
elif [[ " ${targets[*]} " == *" $target "* ]]; then
    selected=("$target")
else
    echo "unknown fuzz target '$target': expected all or one of ${targets[*]}" >&2
    exit 2
fi

build_dir=$(scripts/build.sh fuzz -- "${selected[@]/#/fuzz_}")
root=$PWD
status=0
for name in "${selected[@]}"; do
    scratch=$build_dir/scratch/$name findings=$build_dir/findings/$name log=$build_dir/findings/$name.log
    mkdir -p "$scratch" "$findings"
    echo "fuzz $name: ${seconds} s over fuzz/corpus/$name"
    # The run's own directory is where libFuzzer writes a crashing input (crash-<sha1>).
    if (cd "$findings" && "$root/$build_dir/fuzz/fuzz_$name" -max_total_time="$seconds" -timeout=10 \
        -rss_limit_mb=2048 -print_final_stats=1 "$@" "$root/$scratch" "$root/fuzz/corpus/$name") \
        >"$log" 2>&1; then
        runs=$(grep -aoE '^stat::number_of_executed_units: [0-9]+' "$log" | grep -oE '[0-9]+$' || echo '?')
        echo "fuzz $name: ${runs} inputs run, no failure"
    else
        status=1
        grep -aE 'ERROR|fuzz check failed|runtime error|Test unit written' "$log" | head -5
        echo "fuzz $name: FAILED (log: $log; input in $findings)"
    fi
done
exit $status
