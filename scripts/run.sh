#!/usr/bin/env bash
# One command to run the service on the embedded default (SQLite under ./data, in-process cache):
# installs what is missing, builds a release binary and starts it with ./.env if present.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
build_dir=$(scripts/build.sh release -DFF_BUILD_TESTS=OFF)
exec "$build_dir/src/pjsip-service" "$@"
