#!/usr/bin/env bash
# Instructions per request of `kontrat mock` and of the bare axum ceiling
# (benches/bare_axum.rs), counted by callgrind: unlike req/s, the count does not move with
# whatever else the machine is doing, so it shows what a change to the mock costs or saves.
# Issue #4's speed goal is in req/s (benches/mock.sh); this is the tool to find where the
# time goes.
#
# For each scenario of benches/mock.sh (refresh: valid JSON body → 200; logout:
# `Prefer: code=401` → 401) and each server: start it under callgrind, answer one warm-up
# request, zero the counters, load it with wrk (1 thread, 4 connections: valgrind
# serialises the server's threads, so it is the bottleneck), stop it, and divide the
# instructions counted by the requests answered.
#
#   bash benches/mock-callgrind.sh               # 8 s per server and scenario
#   DURATION=4s bash benches/mock-callgrind.sh
#
# Prints instructions per request and bare/mock (the share of bare's speed the mock would
# reach if instructions were all that mattered). The callgrind files are kept in
# target/bench-cache/callgrind/ for `callgrind_annotate --inclusive=yes FILE`.
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${DURATION:-8s}
port=${PORT:-4171}
out=target/bench-cache/callgrind
mkdir -p "$out"
command -v valgrind >/dev/null || { apt-get update -qq && apt-get install -y -qq valgrind >/dev/null; }
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
command -v curl >/dev/null || { apt-get update -qq && apt-get install -y -qq curl >/dev/null; }
cargo build -q --release --bin kontrat --example bare-axum
target=${CARGO_TARGET_DIR:-target}/release

token=3f8c1e0a9b7d4c2e8f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c
script=$(mktemp)
server=
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  rm -f "$script"
}
trap cleanup EXIT

declare -A per_request=()
for scenario in refresh logout; do
  case $scenario in
    refresh)
      path=/api/v1/auth/refresh
      printf '%s\n' 'wrk.method = "POST"' 'wrk.headers["Content-Type"] = "application/json"' \
        "wrk.body = '{\"refreshToken\":\"$token\"}'" >"$script" ;;
    logout)
      path=/api/v1/auth/logout
      printf '%s\n' 'wrk.method = "POST"' 'wrk.headers["Prefer"] = "code=401"' >"$script" ;;
  esac
  for which in mock bare; do
    file="$out/$which.$scenario.out"
    rm -f "$file"
    case $which in
      mock) cmd=("$target/kontrat" mock --quiet --no-watch --port "$port") ;;
      bare) cmd=("$target/examples/bare-axum" "$port") ;;
    esac
    valgrind --tool=callgrind --callgrind-out-file="$file" "${cmd[@]}" >/dev/null 2>"$out/$which.log" &
    server=$!
    for _ in $(seq 200); do
      curl -s -o /dev/null "http://127.0.0.1:$port/" && break
      kill -0 "$server" 2>/dev/null || { echo "error: $which exited:" >&2; cat "$out/$which.log" >&2; exit 1; }
      sleep 0.1
    done
    callgrind_control -z "$server" >/dev/null 2>&1
    requests=$(wrk -t1 -c4 -d"$duration" -s "$script" "http://127.0.0.1:$port$path" \
      | awk '/requests in/ {print $1}')
    kill -TERM "$server"
    wait "$server" 2>/dev/null || true
    server=
    total=$(callgrind_annotate "$file" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
    per_request[$which.$scenario]=$(( total / requests ))
    printf '%-8s %-5s %8d requests  %7d instructions/request\n' "$scenario" "$which" "$requests" "${per_request[$which.$scenario]}"
  done
  awk -v b="${per_request[bare.$scenario]}" -v m="${per_request[mock.$scenario]}" -v s="$scenario" \
    'BEGIN {printf "%-8s bare/mock %.2f\n", s, b / m}'
done
