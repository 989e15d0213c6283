#!/usr/bin/env bash
# Builds the Debian package pjsip-service_<version>_<arch>.deb (version: CMakeLists.txt's project VERSION) with
# CPack's DEB generator from the install rules in cmake/packaging.cmake. Progress goes to stderr; the last
# line on stdout is the .deb's path.
# Usage: scripts/package.sh [BUILD_DIR]
#   no BUILD_DIR: a release build of its own in build/package (tests off), then the package;
#   BUILD_DIR:    packages that existing build's binary (built already, e.g. by the test command): the dir keeps
#                 its own options, only what is out of date is built again. A sanitizer build is refused.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

fail() {
    echo "package.sh: $*" >&2
    exit 1
}

(($# <= 1)) || fail "usage: scripts/package.sh [BUILD_DIR]"
if (($# == 0)); then
    # Build tools, libraries and web/node_modules (the Socket.IO client bundle the package ships); quick
    # when everything is there. An existing build dir (the test command's) has them already.
    scripts/install-deps.sh >&2
    if ! command -v dpkg-shlibdeps >/dev/null; then
        echo "Installing dpkg-dev (dpkg-shlibdeps)" >&2
        sudo_cmd=()
        ((EUID != 0)) && sudo_cmd=(sudo)
        "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive \
            apt-get install -y -qq --no-install-recommends dpkg-dev >&2
    fi
fi
# dpkg-shlibdeps declares the libraries the binary needs (Depends:).
command -v dpkg-shlibdeps >/dev/null || fail "dpkg-shlibdeps is missing: apt-get install dpkg-dev"
[[ -f web/index.html ]] || fail "web/index.html is missing: run this from a complete checkout"
[[ -f web/node_modules/socket.io-client/dist/socket.io.js ]] ||
    fail "web/node_modules/socket.io-client/dist is missing: run 'npm ci' in web/ (scripts/install-deps.sh does)"

if (($# == 0)); then
    build_dir=$root/build/package
    cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DFF_BUILD_TESTS=OFF -DFF_SANITIZE=OFF \
        -DFF_WARNINGS_AS_ERRORS=OFF >&2
else
    build_dir=$(cd "$1" 2>/dev/null && pwd) || fail "no build directory at $1"
    [[ -f "$build_dir/CMakeCache.txt" ]] || fail "$build_dir is not a configured CMake build directory"
    if grep -q '^FF_SANITIZE:BOOL=ON$' "$build_dir/CMakeCache.txt"; then
        fail "$build_dir is a sanitizer build: package a release build (scripts/package.sh with no argument)"
    fi
    # A build configured before the install rules existed gets them; otherwise the build below re-runs
    # CMake by itself if the rules changed.
    [[ -f "$build_dir/CPackConfig.cmake" ]] || cmake -S . -B "$build_dir" >&2
fi

# Only the binary (and what it links): the package holds nothing else that is compiled.
cmake --build "$build_dir" --target pjsip-service >&2

out_dir=$build_dir/deb
rm -f "$out_dir"/*.deb
(cd "$build_dir" && cpack -G DEB -B "$out_dir") >&2

shopt -s nullglob
packages=("$out_dir"/*.deb)
((${#packages[@]} == 1)) || fail "expected one .deb in $out_dir, found ${#packages[@]}"
echo "${packages[0]}"
