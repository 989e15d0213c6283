#!/usr/bin/env bash
# The architecture of README's "Architecture" section, checked on the sources: which folder of src/ may
# include which, and which library may link which. Prints every crossing of a forbidden boundary as
# "file:line: what" and fails when there is one.
# Usage: tests/layering/check_layering.sh [SRC_DIR]   (default: the project's src/)
set -uo pipefail
src=${1:-$(cd "$(dirname "$0")/../.." && pwd)/src}

# Folder -> the folders of ours it may use. The call model depends on nothing of ours; SIP, REST (api), the
# stream (realtime) and storage (store) never include one another, except that REST reads and writes
# through the storage's port, store/store_worker.hpp (below). app/ wires everything; testing/ is the
# test-only stand-in for sip/.
declare -A allowed=(
    [calls]=""
    [config]=""
    [http]=""
    [wire]="calls"
    [auth]="calls"
    [recordings]="calls"
    [directory]="calls config http"
    [cluster]="calls config wire"
    [store]="calls config wire auth"
    [realtime]="calls http wire auth"
    [metrics]="calls"
    [webhooks]="calls wire store http"
    [sms]="calls store http"
    [api]="calls http wire auth directory config store recordings metrics webhooks"
    [sip]="calls config directory media"
    [media]="calls"
    [app]="*"
    [testing]="*"
)
# A use allowed only through these headers: "folder>used" -> the headers it may include.
declare -A only_through=(
    ["api>store"]="store/store_worker.hpp"
)

problems=0
complain() {
    echo "$1"
    problems=$((problems + 1))
}

may_use() {  # folder used -> true when folder may use used
    local folder=$1 used=$2 rule
    [[ "$folder" == "$used" ]] && return 0
    rule=${allowed[$folder]-}
    [[ "$rule" == "*" ]] && return 0
    [[ " $rule " == *" $used "* ]]
}

for folder_path in "$src"/*/; do
    folder=$(basename "$folder_path")
    if [[ -z "${allowed[$folder]+set}" ]]; then
        complain "src/$folder: a folder with no layering rule (add one to $0 and to README's Architecture)"
        continue
    fi
    while IFS=: read -r file line include; do
        used=${include%%/*}
        [[ -d "$src/$used" ]] || continue  # a system or third-party header
        if ! may_use "$folder" "$used"; then
            complain "${file#"$src"/}:$line: $folder/ may not include $include ($folder/ may use: ${allowed[$folder]:-nothing of ours})"
        elif [[ -n "${only_through[$folder>$used]+set}" && " ${only_through[$folder>$used]} " != *" $include "* ]]; then
            complain "${file#"$src"/}:$line: $folder/ may use $used/ only through ${only_through[$folder>$used]}, not $include"
        fi
    done < <(grep -rnoE --include='*.hpp' --include='*.cpp' '^#include "[a-z_]+/[^"]+"' "$folder_path" |
        sed -E 's/^([^:]+):([0-9]+):#include "([^"]+)"$/\1:\2:\3/')
done

# The libraries: ff_<folder> links only the ff_ libraries of the folders it may use.
cmake_file="$src/CMakeLists.txt"
while IFS= read -r statement; do
    target=$(sed -E 's/^target_link_libraries\(ff_([a-z_]+) .*/\1/' <<<"$statement")
    [[ -n "${allowed[$target]+set}" ]] || continue
    for dependency in $(grep -oE '\bff_[a-z_]+' <<<"${statement#*ff_"$target"}"); do
        used=${dependency#ff_}
        [[ "$used" == warnings ]] && continue
        may_use "$target" "$used" ||
            complain "src/CMakeLists.txt: ff_$target may not link $dependency ($target/ may use: ${allowed[$target]:-nothing of ours})"
    done
done < <(tr '\n' ' ' <"$cmake_file" | grep -oE 'target_link_libraries\(ff_[a-z_]+[^)]*\)')

if ((problems)); then
    echo "layering: $problems crossing(s) of a forbidden boundary"
    exit 1
fi
echo "layering: every include and link of src/ follows the rules"
