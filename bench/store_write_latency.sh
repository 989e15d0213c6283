#!/usr/bin/env bash
# Call-log write latency on SQLite and PostgreSQL 15 at 50 writes/s (bench/store_write/): builds the
# benchmark as Release in build-bench/ and runs it; it starts and removes its own PostgreSQL cluster.
# Env: RATE (writes/s, 50), DURATION (seconds during which calls start, 20), BACKENDS (sqlite,postgresql).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
run_bench_target store_write_latency
