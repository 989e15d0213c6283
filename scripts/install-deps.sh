#!/usr/bin/env bash
# Installs what the service and its tests need on Debian 12: apt packages that are missing, then npm packages.
# Idempotent and non-interactive. Usage: scripts/install-deps.sh [--tests]
set -euo pipefail
cd "$(dirname "$0")/.."

# rtpengine-daemon: the rtpengine that MEDIA=rtpengine starts (userspace, its own command line; the package's
# system service and /etc/rtpengine/rtpengine.conf are not used). The media unit tests run it too.
runtime_packages=(build-essential cmake ninja-build pkg-config nodejs npm
    libboost1.74-dev nlohmann-json3-dev libspdlog-dev libcli11-dev libsodium-dev libsqlite3-dev
    libpq-dev libhiredis-dev libssl-dev libphonenumber-dev libsofia-sip-ua-dev libsndfile1-dev libpcap-dev
    rtpengine-daemon prometheus-cpp-dev)
# prometheus: its promtool checks the /metrics text.
test_packages=(libgtest-dev libgmock-dev dpkg-dev prometheus wrk kamailio kamailio-tls-modules sip-tester sipvicious baresip-core coturn chromium
    postgresql-15 redis-server clang libclang-rt-14-dev llvm-14)

# The fuzz targets: clang with libFuzzer (libclang_rt.fuzzer in libclang-rt-14-dev, not pulled in by clang
# without recommends) and llvm-symbolizer (llvm-14) for readable stacks.
wanted=("${runtime_packages[@]}")
[[ "${1:-}" == "--tests" ]] && wanted+=("${test_packages[@]}")

missing=()
for package in "${wanted[@]}"; do
    # node and npm may come from outside Debian (nodesource, nvm): accept any working command.
    if [[ "$package" == nodejs || "$package" == npm ]] && command -v "${package/nodejs/node}" >/dev/null; then continue; fi
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done

if ((${#missing[@]})); then
    echo "Installing Debian packages: ${missing[*]}"
    sudo_cmd=()
    ((EUID != 0)) && sudo_cmd=(sudo)
    "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

npm_install() {  # exact versions from the lock file when there is one
    local folder=$1
    if [[ -f "$folder/package-lock.json" ]]; then
        (cd "$folder" && npm ci --no-audit --no-fund --loglevel=error)
    else
        (cd "$folder" && npm install --no-audit --no-fund --loglevel=error)
    fi
}

# The service serves socket.io-client's browser bundle from web/node_modules.
[[ -d web/node_modules/socket.io-client ]] || npm_install web
if [[ "${1:-}" == "--tests" && -f tests/blackbox/package.json ]]; then
    [[ -d tests/blackbox/node_modules ]] || npm_install tests/blackbox
fi
# The browser tests drive Debian's Chromium with playwright-core (which downloads no browser of its own).
if [[ "${1:-}" == "--tests" && -f tests/web/package.json ]]; then
    [[ -d tests/web/node_modules/playwright-core ]] || npm_install tests/web
fi
exit 0
