#!/usr/bin/env bash
# One command to run every test: installs what is missing, builds a release and an ASan+UBSan variant (both
# with warnings as errors), runs the unit tests (gtest) and the black-box suite (real binary, Node,
# socket.io-client) on both, and the SIP lab and the pages (Kamailio, baresip, SIPp, PostgreSQL, Redis,
# Chromium) on the sanitizer build, where they also catch memory errors; running those twice would double
# the longest part of the run. Ends with one summary line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --tests || { echo "0 passed, 1 failed (dependency installation)"; exit 1; }

passed=0
failed=0
run_variant() {
    local variant=$1 labels=${2:-} build_dir log
    if ! build_dir=$(scripts/build.sh "$variant" -DFF_WARNINGS_AS_ERRORS=ON); then
        echo "build '$variant' failed"
        failed=$((failed + 1))
        return
    fi
    log=$(mktemp)
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        LSAN_OPTIONS="suppressions=$PWD/tests/sanitizers/lsan.supp" \
        ctest --test-dir "$build_dir" --output-on-failure -j 2 ${labels:+-L "$labels"} 2>&1 | tee "$log"
    local summary
    summary=$(grep -aE "tests passed, [0-9]+ tests failed out of [0-9]+" "$log" | tail -1)
    if [[ -z "$summary" ]]; then
        echo "ctest for '$variant' gave no summary"
        failed=$((failed + 1))
    else
        local total fails
        fails=$(sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\1/' <<<"$summary")
        total=$(sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\2/' <<<"$summary")
        passed=$((passed + total - fails))
        failed=$((failed + fails))
    fi
    rm -f "$log"
}

run_variant release 'unit|blackbox'
run_variant sanitize
echo "${passed} passed, ${failed} failed"
((failed == 0))
