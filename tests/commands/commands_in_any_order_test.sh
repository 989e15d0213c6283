#!/usr/bin/env bash
# The README's two commands share build/release: the run command configures it without tests, the test
# command with them. Whatever one cached, the other must get the options it needs. Configures a build dir of
# its own both ways, in both orders, and checks what ctest finds each time.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
export FF_BUILD_ROOT=$root FF_CONFIGURE_ONLY=1

configure_as_run() { scripts/build.sh release -DFF_BUILD_TESTS=OFF >/dev/null; }
configure_as_test() { scripts/build.sh release -DFF_WARNINGS_AS_ERRORS=ON >/dev/null; }
tests_found() { ctest --test-dir "$root/release" -N | sed -nE 's/^Total Tests: ([0-9]+)$/\1/p'; }
cached() { sed -nE "s/^$1:BOOL=(.*)$/\1/p" "$root/release/CMakeCache.txt"; }

fail() { echo "FAILED: $*"; exit 1; }

configure_as_run
[[ "$(cached FF_BUILD_TESTS)" == OFF ]] || fail "the run command's configure left FF_BUILD_TESTS=$(cached FF_BUILD_TESTS)"
configure_as_test
found=$(tests_found)
echo "after the run command's configure, the test command's finds ${found} tests"
((found > 0)) || fail "the test command found no tests after the run command's configure"
[[ "$(cached FF_BUILD_TESTS)" == ON ]] || fail "FF_BUILD_TESTS stayed $(cached FF_BUILD_TESTS)"
configure_as_run
[[ "$(cached FF_BUILD_TESTS)" == OFF ]] || fail "the run command's configure kept the test command's FF_BUILD_TESTS"
[[ "$(cached FF_WARNINGS_AS_ERRORS)" == OFF || "${CI:-}" == true ]] ||
    fail "the run command's configure kept the test command's FF_WARNINGS_AS_ERRORS"
echo "the run command's configure after the test command's: FF_BUILD_TESTS=OFF"
echo "ok: the two commands configure build/release the same way in either order"
