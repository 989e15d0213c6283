#!/usr/bin/env bash
# Call-log write latency on SQLite and PostgreSQL 15 at 50 writes/s (bench/store_write/): builds the
# benchmark as Release in build-bench/ and runs it; it starts and removes its own PostgreSQL cluster.
# Env: RATE (writes/s, 50), DURATION (seconds during which calls start, 20), BACKENDS (sqlite,postgresql).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build="${FF_BENCH_BUILD_DIR:-$root/build-bench}"
[[ -f "$build/build.ninja" ]] || cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
ninja -C "$build" -j 2 store_write_latency >/dev/null
exec "$build/bench/store_write_latency"
