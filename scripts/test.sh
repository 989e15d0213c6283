#!/usr/bin/env bash
# One command to run every test: installs what is missing, builds an ASan+UBSan variant and a release
# variant (both with warnings as errors) and runs, side by side through ctest:
#   on the sanitizer build: the unit tests (gtest), the black-box suite (the binary with a simulated SIP
#     engine, Node, socket.io-client), the SIP lab (Kamailio, baresip, SIPp, PostgreSQL, Redis) and the pages
#     (Chromium), where they also catch memory errors;
#   on the release build: the black-box suite again and the Debian package (built, unpacked and started);
#   on the fuzz build (clang, libFuzzer, ASan+UBSan): each fuzz target over its corpus and a few seconds more.
# Ends with a table of the time each part took against its share of the 25-minute budget, then one summary
# line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

budget_minutes=25
test_jobs=${FF_TEST_JOBS:-3}  # the lab and the pages mostly wait on SIP timers and browsers, not on the CPU
passed=0
failed=0
table=()   # "part|seconds|share in seconds"
suites=()  # "suite|summed seconds|tests|longest test"

# Runs "$@" as one part of the budget and records how long it took.
timed() {
    local part=$1 share=$2 start=$SECONDS status
    shift 2
    "$@"
    status=$?
    table+=("$part|$((SECONDS - start))|$share")
    return $status
}

# Adds one ctest run's results to the totals and its per-suite times (suite = the part of a test's name
# before "/": unit, blackbox, lab, web, package) to the table.
count_ctest() {
    local variant=$1 log=$2 summary
    summary=$(grep -aE "tests passed, [0-9]+ tests failed out of [0-9]+" "$log" | tail -1)
    if [[ -z "$summary" ]]; then
        echo "ctest for '$variant' gave no summary"
        failed=$((failed + 1))
        return
    fi
    local fails total
    fails=$(sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\1/' <<<"$summary")
    total=$(sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\2/' <<<"$summary")
    passed=$((passed + total - fails))
    failed=$((failed + fails))
    while IFS= read -r line; do suites+=("$variant $line"); done < <(
        grep -aE '^ *[0-9]+/[0-9]+ Test +#[0-9]+: ' "$log" |
            sed -E 's/^.*Test +#[0-9]+: ([^ ]+) .* ([0-9.]+) sec$/\1 \2/' |
            awk '{ split($1, part, "/"); suite = part[1]; sum[suite] += $2; count[suite]++;
                   if ($2 > top[suite]) { top[suite] = $2; name[suite] = $1 } }
                 END { for (s in sum) printf "%s|%d|%d|%s (%.0f s)\n", s, sum[s], count[s], name[s], top[s] }' |
            sort)
}

# Builds one variant (extra options, then targets after "--"); prints the build dir. Its time goes to the
# table; a failed build counts as one failed test.
build_variant() {
    local variant=$1 share=$2 start=$SECONDS build_dir
    shift 2
    if ! build_dir=$(scripts/build.sh "$variant" -DFF_WARNINGS_AS_ERRORS=ON "$@"); then
        echo "build '$variant' failed" >&2
        echo "build $variant|$((SECONDS - start))|$share|failed"
        return 1
    fi
    echo "build $variant|$((SECONDS - start))|$share|$build_dir"
}

# Runs the ctest labels given (all when empty) in one build dir.
test_variant() {
    local variant=$1 build_dir=$2 share=$3 labels=$4 log start=$SECONDS
    log=$(mktemp)
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        LSAN_OPTIONS="suppressions=$PWD/tests/sanitizers/lsan.supp" \
        ctest --test-dir "$build_dir" --output-on-failure -j "$test_jobs" ${labels:+-L "$labels"} 2>&1 |
        tee "$log"
    table+=("tests $variant|$((SECONDS - start))|$share")
    count_ctest "$variant" "$log"
    rm -f "$log"
}

# Beside the sanitizer tests, at the lowest priority: builds the fuzz targets and runs them (ctest label fuzz)
# with the log in $1. Prints the build's row, then the tests' row ("part|seconds|share").
fuzz_beside() {
    local log=$1 row start
    row=$(build_variant fuzz 600 | tail -1)
    echo "${row/#build fuzz|/build fuzz (beside the tests)|}"
    [[ "${row##*|}" == failed ]] && return
    start=$SECONDS
    ASAN_OPTIONS=abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        ctest --test-dir "${row##*|}" --output-on-failure -j 2 -L fuzz >"$log" 2>&1
    echo "tests fuzz (beside the tests)|$((SECONDS - start))|120"
}

# Reads build_variant's last line ("part|seconds|share|dir or failed") into the table and sets built_dir;
# false when the build failed.
record_build() {
    local part seconds share
    IFS='|' read -r part seconds share built_dir <<<"$1"
    table+=("${part:-build}|${seconds:-0}|${share:-0}")
    if [[ -z "$built_dir" || "$built_dir" == failed ]]; then
        failed=$((failed + 1))
        return 1
    fi
}

print_table() {
    local total over=() row part seconds share
    echo
    echo "Time of each part (budget ${budget_minutes} min):"
    printf '  %-34s %8s %8s\n' part took share
    for row in "${table[@]}"; do
        IFS='|' read -r part seconds share <<<"$row"
        local mark=""
        if ((seconds > share)); then mark="  <- over its share"; over+=("$part"); fi
        printf '  %-34s %5d:%02d %5d:%02d%s\n' "$part" $((seconds / 60)) $((seconds % 60)) \
            $((share / 60)) $((share % 60)) "$mark"
    done
    # The release build overlaps the sanitizer tests, so the parts add up to more than the run took.
    total=$SECONDS
    printf '  %-34s %5d:%02d %5d:00\n' "whole run (wall clock)" $((total / 60)) $((total % 60)) "$budget_minutes"
    echo "Tests by suite (their own times, summed; they run ${test_jobs} at a time):"
    printf '  %-20s %8s %6s  %s\n' suite summed tests longest
    for row in "${suites[@]}"; do
        local suite summed count longest
        IFS='|' read -r suite summed count longest <<<"$row"
        printf '  %-20s %5d:%02d %6d  %s\n' "$suite" $((summed / 60)) $((summed % 60)) "$count" "$longest"
    done
    ((${#over[@]})) && echo "Over their share: ${over[*]}"
    ((total > budget_minutes * 60)) && echo "The whole run took more than its ${budget_minutes}-minute budget"
    return 0
}

if ! timed install 120 scripts/install-deps.sh --tests; then
    print_table
    echo "0 passed, 1 failed (dependency installation)"
    exit 1
fi
# Shares in seconds. The sanitizer build serves every suite. The release build only needs the two binaries
# (its black-box run and its package prove the optimised build; the unit tests run once, under the
# sanitizers) and compiles at the lowest priority beside the sanitizer tests, which mostly wait on SIP
# timers, phones and the browser: the tests keep the CPU whenever they want it.
sanitize_row=$(build_variant sanitize 540 | tail -1)
release_rows=$(mktemp)
nice -n 19 bash -c "$(declare -f build_variant); build_variant release 660 -- pjsip-service \
    pjsip-service-simulated-sip" >"$release_rows" &
release_build=$!
fuzz_rows=$(mktemp)
fuzz_log=$(mktemp)
nice -n 19 bash -c "$(declare -f build_variant fuzz_beside); fuzz_beside $fuzz_log" >"$fuzz_rows" &
fuzz_run=$!
record_build "$sanitize_row" && test_variant sanitize "$built_dir" 360 ''
wait "$release_build"
record_build "$(tail -1 "$release_rows" | sed 's/^build release|/build release (beside the tests)|/')" &&
    test_variant release "$built_dir" 90 'blackbox|package|commands'
rm -f "$release_rows"
wait "$fuzz_run"
if record_build "$(sed -n 1p "$fuzz_rows")"; then
    cat "$fuzz_log"
    [[ -n "$(sed -n 2p "$fuzz_rows")" ]] && table+=("$(sed -n 2p "$fuzz_rows")")
    count_ctest fuzz "$fuzz_log"
fi
rm -f "$fuzz_rows" "$fuzz_log"
print_table
echo "${passed} passed, ${failed} failed"
((failed == 0))
