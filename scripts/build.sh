#!/usr/bin/env bash
# Configures and builds one variant: release (default), debug or sanitize (ASan+UBSan). Prints the build dir.
# Usage: scripts/build.sh [release|debug|sanitize] [extra cmake -D options]
set -euo pipefail
cd "$(dirname "$0")/.."
variant=${1:-release}
shift || true

case "$variant" in
    release) options=(-DCMAKE_BUILD_TYPE=Release) ;;
    debug) options=(-DCMAKE_BUILD_TYPE=Debug) ;;
    sanitize) options=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DFF_SANITIZE=ON) ;;
    *) echo "unknown build variant '$variant': expected release, debug or sanitize" >&2; exit 2 ;;
esac
[[ "${CI:-}" == "true" ]] && options+=(-DFF_WARNINGS_AS_ERRORS=ON)

build_dir="build/$variant"
cmake -S . -B "$build_dir" -G Ninja "${options[@]}" "$@" >/dev/null
cmake --build "$build_dir" -j "$(nproc)" >&2
echo "$build_dir"
