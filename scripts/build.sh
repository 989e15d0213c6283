#!/usr/bin/env bash
# Configures and builds one variant: release (default), debug, sanitize (ASan+UBSan) or fuzz (the libFuzzer
# targets of fuzz/ only, with clang). Prints the build dir.
# Every option a variant depends on is passed on every call, so whatever an earlier configure cached in the
# same build dir (the run command's FF_BUILD_TESTS=OFF, say) never leaks into the next one.
# Usage: scripts/build.sh [release|debug|sanitize|fuzz] [extra cmake -D options] [-- target...]
# FF_BUILD_ROOT puts the build dirs elsewhere than build/; FF_CONFIGURE_ONLY=1 stops after configuring.
set -euo pipefail
cd "$(dirname "$0")/.."
variant=${1:-release}
shift || true

case "$variant" in
    # -O2 as Debian builds its packages; CMake's -O3 costs compile time for no measured gain here.
    release) options=(-DCMAKE_BUILD_TYPE=Release "-DCMAKE_CXX_FLAGS_RELEASE=-O2 -DNDEBUG" -DFF_SANITIZE=OFF) ;;
    debug) options=(-DCMAKE_BUILD_TYPE=Debug -DFF_SANITIZE=OFF) ;;
    # -Og and line tables only: the sanitizers see every fault with good stacks. Code generation for Beast's
    # templates under ASan+UBSan is most of the test command's build; -Og compiles in about 60 % of -O1's
    # time (8 against 12 minutes here), and the tests, which mostly wait on timers, phones and browsers, keep
    # their pace.
    sanitize) options=(-DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-Og -g1 -DNDEBUG"
        -DFF_SANITIZE=ON) ;;
    # clang for libFuzzer; the fuzz flags (ASan+UBSan with coverage) come from fuzz/CMakeLists.txt. Asserts on.
    fuzz) options=(-DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1" -DFF_SANITIZE=OFF
        -DFF_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++) ;;
    *) echo "unknown build variant '$variant': expected release, debug, sanitize or fuzz" >&2; exit 2 ;;
esac
[[ "$variant" == fuzz ]] || options+=(-DFF_FUZZ=OFF)
options+=(-DFF_BUILD_TESTS=ON -DFF_WARNINGS_AS_ERRORS=OFF)
[[ "${CI:-}" == "true" ]] && options+=(-DFF_WARNINGS_AS_ERRORS=ON)

extra=()
targets=()
while (($#)); do
    if [[ "$1" == "--" ]]; then shift; targets=("$@"); break; fi
    extra+=("$1")
    shift
done

build_dir="${FF_BUILD_ROOT:-build}/$variant"
cmake -S . -B "$build_dir" -G Ninja "${options[@]}" "${extra[@]}" >/dev/null
[[ "${FF_CONFIGURE_ONLY:-}" == 1 ]] && { echo "$build_dir"; exit 0; }
cmake --build "$build_dir" -j "$(nproc)" ${targets[@]:+--target "${targets[@]}"} >&2
echo "$build_dir"
