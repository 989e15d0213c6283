#!/usr/bin/env bash
# The layering check itself: on a small tree that breaks each kind of rule it must fail and name each
# crossing; on the same tree without them it must pass.
set -uo pipefail
check="$(cd "$(dirname "$0")" && pwd)/check_layering.sh"
tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT

mkdir -p "$tree"/{calls,sip,api,store,http}
echo '#include "calls/call.hpp"' >"$tree/calls/call.cpp"
echo '#include "store/store_worker.hpp"' >"$tree/api/reads.cpp"
echo '#include "calls/call.hpp"' >"$tree/sip/engine.cpp"
echo 'target_link_libraries(ff_sip PUBLIC ff_calls PkgConfig::SOFIA)' >"$tree/CMakeLists.txt"

if ! output=$("$check" "$tree"); then
    echo "the check refused a tree that follows the rules:"
    echo "$output"
    exit 1
fi

echo '#include "sip/engine.hpp"' >>"$tree/calls/call.cpp"               # the model uses a transport
echo '#include "store/sqlite/sqlite_storage.hpp"' >>"$tree/api/reads.cpp"  # REST past the storage's port
printf '#include <vector>\n#include "api/route.hpp"\n' >>"$tree/sip/engine.cpp"  # one transport uses another
echo 'target_link_libraries(ff_sip PUBLIC ff_calls ff_api)' >>"$tree/CMakeLists.txt"
mkdir "$tree/operators"                                                      # a folder with no rule

output=$("$check" "$tree")
status=$?
echo "$output"
missing=0
for expected in "calls/call.cpp:2: calls/ may not include sip/engine.hpp" \
    "api/reads.cpp:2: api/ may use store/ only through store/store_worker.hpp" \
    "sip/engine.cpp:3: sip/ may not include api/route.hpp" \
    "ff_sip may not link ff_api" \
    "src/operators: a folder with no layering rule" \
    "5 crossing(s)"; do
    if ! grep -qF "$expected" <<<"$output"; then
        echo "not reported: $expected"
        missing=$((missing + 1))
    fi
done
((status != 0)) || { echo "the check passed a tree with crossings"; exit 1; }
((missing == 0))
