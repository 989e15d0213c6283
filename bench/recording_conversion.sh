#!/usr/bin/env bash
# The time to turn one minute of a call's capture into its stereo Ogg Opus recording (bench/recording_conversion/):
# builds the benchmark as Release in build-bench/ and runs it. Env: MINUTES (1), RUNS (5).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
run_bench_target recording_conversion
