#!/usr/bin/env bash
# The Debian package as a server gets it: its metadata and file list, the unpacked binary started from / with
# no WEB_DIR serving its pages and the Socket.IO client from the unpacked tree, the systemd unit verified, a
# SIGTERM ending it cleanly.
# Usage: tests/package/package_test.sh [PACKAGE.deb | BUILD_DIR]
#   no argument: scripts/package.sh builds a release of its own (build/package) and packages it;
#   BUILD_DIR:   scripts/package.sh packages that build's binary (no new build when it is up to date);
#   PACKAGE.deb: that package is checked as it is.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)

fail() {
    echo "FAIL: $*" >&2
    exit 1
}
ok() { echo "ok - $*"; }

work=$(mktemp -d "${TMPDIR:-/tmp}/ff-package-test-XXXXXX")
service_pid=
cleanup() {
    if [[ -n "$service_pid" ]] && kill -0 "$service_pid" 2>/dev/null; then
        kill -TERM "$service_pid" 2>/dev/null || true
        for _ in $(seq 1 100); do kill -0 "$service_pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$service_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

for tool in dpkg-deb curl node; do
    command -v "$tool" >/dev/null || fail "$tool is needed and missing"
done

# --- the package ---
if [[ $# -ge 1 && -f "$1" ]]; then
    deb=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
    echo "# checking $deb"
else
    echo "# building the package: scripts/package.sh ${1:-}"
    deb=$("$repo/scripts/package.sh" "$@" | tail -n 1) || fail "scripts/package.sh failed"
    [[ -f "$deb" ]] || fail "scripts/package.sh printed '$deb', which is no file"
    echo "# built $deb"
fi

version=$(sed -nE 's/^project\([A-Za-z_]+ VERSION ([0-9.]+).*/\1/p' "$repo/CMakeLists.txt")
arch=$(dpkg --print-architecture)
[[ -n "$version" ]] || fail "no project VERSION found in CMakeLists.txt"
[[ "$(basename "$deb")" == "pjsip-service_${version}_${arch}.deb" ]] ||
    fail "file name $(basename "$deb"), expected pjsip-service_${version}_${arch}.deb"
ok "file name $(basename "$deb")"

# --- metadata ---
field() { dpkg-deb -f "$deb" "$1"; }
[[ "$(field Package)" == pjsip-service ]] || fail "Package: '$(field Package)', expected pjsip-service"
ok "Package: pjsip-service"
[[ "$(field Version)" == "$version" ]] || fail "Version: '$(field Version)', expected $version (CMakeLists.txt)"
ok "Version: $version (CMakeLists.txt's project VERSION)"
[[ "$(field Architecture)" == "$arch" ]] || fail "Architecture: '$(field Architecture)', expected $arch"
[[ "$arch" == amd64 ]] && ok "Architecture: amd64" || ok "Architecture: $arch (this machine's; amd64 on the servers)"
depends=$(field Depends)
echo "# Depends: $depends"
for library in libsofia-sip-ua0 libc6 'libstdc\+\+6' libsqlite3-0 libpq5 libhiredis libsodium libphonenumber \
    libssl3 adduser; do
    grep -Eq "(^|, )${library}[^,]*( |,|$)" <<<"$depends" || fail "Depends names no ${library//\\/}: $depends"
done
ok "Depends names libsofia-sip-ua0, libc6, libstdc++6, libsqlite3-0, libpq5, hiredis, sodium, phonenumber, libssl3, adduser"

control=$work/control
dpkg-deb -e "$deb" "$control"
grep -qx '/etc/pjsip-service/pjsip-service.env' "$control/conffiles" ||
    fail "conffiles does not list /etc/pjsip-service/pjsip-service.env: $(cat "$control/conffiles" 2>/dev/null)"
ok "conffiles: /etc/pjsip-service/pjsip-service.env"
for script in postinst prerm postrm; do
    [[ -x "$control/$script" ]] || fail "no executable $script in the package"
    sh -n "$control/$script" || fail "$script is not valid sh"
done
grep -q 'adduser --system' "$control/postinst" || fail "postinst creates no system user"
grep -q 'purge' "$control/postrm" && grep -q 'deluser' "$control/postrm" && grep -q 'rm -rf /var/lib/pjsip-service' \
    "$control/postrm" || fail "postrm purge does not remove the user and the state directory"
ok "maintainer scripts: postinst creates the system user, postrm purge removes it and /var/lib/pjsip-service"

# --- file list ---
listing=$(dpkg-deb -c "$deb")
has_file() {  # path, optional mode
    local line
    line=$(awk -v path="./$1" '$6 == path' <<<"$listing")
    [[ -n "$line" ]] || fail "the package has no /$1"
    [[ -z "${2:-}" || "$line" == "$2 "* ]] || fail "/$1 is not $2: $line"
}
has_file usr/bin/pjsip-service -rwxr-xr-x
has_file usr/share/pjsip-service/web/index.html
has_file usr/share/pjsip-service/web/admin/settings.html
has_file usr/share/pjsip-service/web/node_modules/socket.io-client/dist/socket.io.js
has_file usr/share/pjsip-service/web/node_modules/socket.io-client/dist/socket.io.min.js
has_file etc/pjsip-service/pjsip-service.env -rw-r-----
unit_path=$(awk '$6 ~ /\/systemd\/system\/pjsip-service\.service$/ {print $6}' <<<"$listing")
[[ -n "$unit_path" ]] || fail "the package has no systemd unit pjsip-service.service"
ok "files: /usr/bin/pjsip-service, the pages (index.html, admin/settings.html), the Socket.IO client bundle," \
    "${unit_path#.}, /etc/pjsip-service/pjsip-service.env (0640)"
stray=$(awk '$6 ~ /node_modules\// && $6 !~ /node_modules\/(socket\.io-client\/(dist\/.*|LICENSE)?)?$/ {print $6}' \
    <<<"$listing" | head -5)
[[ -z "$stray" ]] || fail "node_modules beyond socket.io-client/dist in the package: $stray"
if grep -Eq '/web/(package\.json|package-lock\.json)$' <<<"$listing"; then fail "npm files among the pages"; fi
ok "of node_modules only socket.io-client/dist (and its LICENSE); no npm files"

# --- the unpacked binary, started from / without WEB_DIR ---
root=$work/root
dpkg-deb -x "$deb" "$root"
binary=$root/usr/bin/pjsip-service
data=$work/data
free_port() {
    node -e "const s = require('net').createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); });"
}
log=$work/service.log
for attempt in 1 2 3; do
    port=$(free_port)
    sip_port=$(free_port)
    echo "# starting the unpacked binary from / (attempt $attempt): HTTP 127.0.0.1:$port, SIP 127.0.0.1:$sip_port"
    # A clean environment: no WEB_DIR, no PBX (the lines wait for one), data in the test's directory.
    (cd / && exec env -i PATH=/usr/bin:/bin HOME="$work" HOST=127.0.0.1 PORT="$port" SIP_LISTEN="127.0.0.1:$sip_port" \
        DATA_DIR="$data" DATABASE_URL="sqlite:$data/calls.db" LOG_LEVEL=info \
        "$binary" --env-file /dev/null) >"$log" 2>&1 &
    service_pid=$!
    ready=
    for _ in $(seq 1 200); do  # 20 s at most
        if curl -fsS -o /dev/null "http://127.0.0.1:$port/health" 2>/dev/null; then ready=yes; break; fi
        kill -0 "$service_pid" 2>/dev/null || break
        sleep 0.1
    done
    [[ -n "$ready" ]] && break
    if kill -0 "$service_pid" 2>/dev/null; then
        fail "no answer on /health within 20 s; log:"$'\n'"$(tail -n 40 "$log")"
    fi
    wait "$service_pid" || true
    service_pid=
    grep -qi 'in use' "$log" || fail "the unpacked binary did not start; log:"$'\n'"$(tail -n 40 "$log")"
done
[[ -n "$ready" ]] || fail "lost the race for a free port three times"
ok "/health answers (the unpacked binary, started from /)"

health=$(curl -fsS "http://127.0.0.1:$port/health")
grep -q "\"version\":\"$version\"" <<<"$health" || fail "/health reports no version $version: $health"
ok "/health reports version $version"

pages=$root/usr/share/pjsip-service/web
grep -qF "pages and the Socket.IO client from $pages" "$log" ||
    fail "the log does not say the pages come from $pages; log:"$'\n'"$(tail -n 40 "$log")"
if grep -q 'no pages' "$log"; then fail "a warning about the pages: $(grep 'no pages' "$log")"; fi
ok "pages found beside the binary: $pages"

for path in / /admin/settings.html /socket.io/socket.io.js; do
    status=$(curl -sS -o "$work/body" -w '%{http_code}' "http://127.0.0.1:$port$path")
    [[ "$status" == 200 ]] || fail "GET $path answered $status"
    [[ -s "$work/body" ]] || fail "GET $path answered an empty body"
    ok "GET $path: 200"
done
cmp -s "$work/body" "$pages/node_modules/socket.io-client/dist/socket.io.js" ||
    fail "/socket.io/socket.io.js is not the packaged bundle"

[[ -f "$data/admin-token" ]] || fail "no admin token written to DATA_DIR/admin-token"
[[ "$(stat -c %a "$data/admin-token")" == 600 ]] || fail "DATA_DIR/admin-token is not mode 0600"
ok "first start wrote DATA_DIR/admin-token (0600)"

# --- the systemd unit ---
unit=$root${unit_path#.}
for setting in 'User=pjsip-service' 'EnvironmentFile=/etc/pjsip-service/pjsip-service.env' \
    'StateDirectory=pjsip-service' 'Restart=on-failure' 'NoNewPrivileges=yes' 'ProtectSystem=strict' \
    'ProtectHome=yes' 'PrivateTmp=yes' 'AmbientCapabilities=CAP_NET_BIND_SERVICE' 'ExecStart=/usr/bin/pjsip-service'; do
    grep -qx "$setting" "$unit" || fail "the unit lacks $setting"
done
stop_timeout=$(sed -nE 's/^TimeoutStopSec=([0-9]+)$/\1/p' "$unit")
[[ -n "$stop_timeout" && "$stop_timeout" -gt 10 ]] || fail "TimeoutStopSec must be above the service's drain (~10 s)"
ok "unit settings: user, environment file, state directory, restart, hardening, TimeoutStopSec=$stop_timeout"
# systemd-analyze verify with the unpacked package as the root, so that ExecStart=/usr/bin/pjsip-service is
# checked in it. The unit's default dependencies (sysinit.target ...) are this machine's: its .target units
# are copied in beside it. verify exits 0 on unknown keys and bad values (it only warns): any output fails.
verify_with_root() {  # unit name; prints what systemd-analyze says
    systemd-analyze verify --root="$root" "$1" 2>&1
}
host_units=
for dir in /usr/lib/systemd/system /lib/systemd/system; do
    [[ -f "$dir/sysinit.target" ]] && host_units=$dir && break
done
if ! command -v systemd-analyze >/dev/null; then
    echo "# SKIPPED systemd-analyze verify: systemd-analyze is not installed here"
elif [[ -z "$host_units" ]]; then
    echo "# SKIPPED systemd-analyze verify: this machine has no systemd targets (sysinit.target) to verify against"
else
    unit_dir=$root/$(dirname "${unit_path#./}")
    cp -n "$host_units"/*.target "$unit_dir"/
    # First a trivial unit: does verify work here at all?
    printf '[Service]\nType=oneshot\nExecStart=/usr/bin/pjsip-service --help\n' >"$unit_dir/ff-verify-probe.service"
    if probe=$(verify_with_root ff-verify-probe.service) && [[ -z "$probe" ]]; then
        rm -f "$unit_dir/ff-verify-probe.service"
        verify_out=$(verify_with_root pjsip-service.service) || fail "systemd-analyze verify:"$'\n'"$verify_out"
        [[ -z "$verify_out" ]] || fail "systemd-analyze verify warns:"$'\n'"$verify_out"
        ok "systemd-analyze verify --root=<unpacked package> pjsip-service.service: no complaint"
    else
        echo "# SKIPPED systemd-analyze verify: it does not work here (a trivial unit fails too):"
        sed 's/^/#   /' <<<"$probe"
    fi
fi

# --- SIGTERM ---
kill -TERM "$service_pid"
code=
for _ in $(seq 1 150); do  # 15 s at most: the drain takes a few seconds without calls
    if ! kill -0 "$service_pid" 2>/dev/null; then
        wait "$service_pid" && code=0 || code=$?
        break
    fi
    sleep 0.1
done
[[ -n "$code" ]] || fail "still running 15 s after SIGTERM"
service_pid=
[[ "$code" == 0 ]] || fail "exit $code after SIGTERM; log:"$'\n'"$(tail -n 40 "$log")"
ok "SIGTERM: drained and exited 0"
echo "package test passed: $deb"
