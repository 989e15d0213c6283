# Shared by the shell benchmarks: build the release test binary and start it on a free loopback port.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

build_release() {
    "$root/scripts/install-deps.sh" --tests >/dev/null
    build_dir=$("$root/scripts/build.sh" release)
    binary="$root/$build_dir/src/pjsip-service-simulated-sip"
}

# The C++ benchmark target $1 (bench/CMakeLists.txt), built as Release in build-bench/, then run in place of
# this shell.
run_bench_target() {
    local build="${FF_BENCH_BUILD_DIR:-$root/build-bench}"
    [[ -f "$build/build.ninja" ]] || cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
    ninja -C "$build" -j 2 "$1" >/dev/null
    exec "$build/bench/$1"
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

start_service() {
    workdir=$(mktemp -d)
    port=$(free_port)
    token="bench-admin-token-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
    SIP_USERS="op0:pw0:1000:Op0,op1:pw1:1001:Op1,op2:pw2:1002:Op2,op3:pw3:1003:Op3,op4:pw4:1004:Op4" \
        HOST=127.0.0.1 PORT=$port DATA_DIR=$workdir DATABASE_URL="sqlite:$workdir/calls.db" ADMIN_TOKEN=$token \
        WEB_DIR="$root/web" LOG_LEVEL=warn "$binary" --env-file /dev/null >"$workdir/service.log" 2>&1 &
    service_pid=$!
    trap 'kill $service_pid 2>/dev/null; wait $service_pid 2>/dev/null; rm -rf "$workdir"' EXIT
    for _ in $(seq 100); do
        curl -fs "http://127.0.0.1:$port/health" >/dev/null && return 0
        kill -0 $service_pid 2>/dev/null || { cat "$workdir/service.log"; return 1; }
        sleep 0.05
    done
    echo "service did not start"; cat "$workdir/service.log"; return 1
}
