#!/usr/bin/env bash
# The time to turn one minute of a call's capture into its stereo Ogg Opus recording (bench/recording_conversion/):
# builds the benchmark as Release in build-bench/ and runs it. Env: MINUTES (1), RUNS (5).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build="${FF_BENCH_BUILD_DIR:-$root/build-bench}"
[[ -f "$build/build.ninja" ]] || cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
ninja -C "$build" -j 2 recording_conversion >/dev/null
exec "$build/bench/recording_conversion"
