#!/usr/bin/env bash
# GET /api/calls/active with 100 active calls, keep-alive: wrk, 2 threads, 64 connections, 10 s.
source "$(dirname "$0")/lib.sh"
build_release
start_service
for i in $(seq 100); do
    curl -fs -o /dev/null -H 'Content-Type: application/json' \
        -d "{\"from\":\"+7999$(printf '%07d' "$i")\",\"extension\":\"100$((i % 5))\"}" \
        "http://127.0.0.1:$port/_simulator/inbound"
done
active=$(curl -fs -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/calls/active" | grep -o '"id"' | wc -l)
echo "active calls: $active"
wrk -t2 -c64 -d10s --latency -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/calls/active" | tee "$workdir/wrk.txt"
rps=$(awk '/Requests\/sec/ {print $2}' "$workdir/wrk.txt")
echo "RESULT rest_active_calls requests_per_second=$rps target=20000"
