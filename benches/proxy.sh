#!/usr/bin/env bash
# Throughput and added latency of `kontrat proxy` (release build, spec/auth.yaml), side by
# side in the same run with wrk straight to the upstream and with Stoplight Prism's proxy
# mode in front of the same upstream. Issue #15, "Speed".
#
# Upstream: the bare axum server of benches/bare_axum.rs (fixed, contract-abiding answers),
# so the proxies are what is measured. Two scenarios, both exchanges that honour the
# contract (so both proxies check everything and report nothing):
#   refresh  POST /api/v1/auth/refresh, valid JSON body        → 200 envelope
#   logout   POST /api/v1/auth/logout, a JWT-shaped bearer   → the documented 401 envelope
#
# Throughput: wrk at CONNECTIONS connections (2 threads) to each of direct / kontrat /
# Prism, interleaved per round (order rotating), medians over the rounds. Added latency:
# wrk with 1 connection (requests one after another, no queueing) straight and through
# kontrat; the p99 difference is what the proxy adds to a request. One curl per path checks
# status and that the proxy passes the body through byte for byte before any load.
#
# Goals (issue #15): kontrat ≥ 0.5× direct req/s, ≥ 20× Prism's proxy, < 1 ms added at
# p99. wrk shares the 2 CPUs with the upstream and the proxy: read ratios, not absolutes.
#
#   bash benches/proxy.sh                          # 3 rounds × 10 s
#   DURATION=3s ROUNDS=1 bash benches/proxy.sh     # smoke run
#
# Environment: DURATION (10s), ROUNDS (3), WARMUP (2s, 0 to skip), CONNECTIONS (50),
# PORT_BASE (4130: upstream, +1 kontrat, +2 Prism). Installs wrk and curl (apt) when
# missing, and Prism from the lockfile in benches/prism (npm ci). Only 127.0.0.1 is used.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
duration=${DURATION:-10s}
rounds=${ROUNDS:-3}
warmup=${WARMUP:-2s}
conns=${CONNECTIONS:-50}
port_base=${PORT_BASE:-4130}
last="${CARGO_TARGET_DIR:-$root/target}/bench-cache/proxy-last"; rm -rf "$last"; mkdir -p "$last"

routes=(direct kontrat prism)
scenarios=(refresh logout)
declare -A port=([direct]=$port_base [kontrat]=$((port_base + 1)) [prism]=$((port_base + 2)))
declare -A pid=()
declare -A expect=([refresh]=200 [logout]=401)
declare -A path=([refresh]=/api/v1/auth/refresh [logout]=/api/v1/auth/logout)
refresh_body='{"refreshToken":"3f8c1e0a9b7d4c2e8f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c"}'
jwt=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl

out=$(mktemp -d)
cleanup() {
  local p
  for p in "${pid[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pid[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$out"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "== setup ($(date -u +%FT%TZ), $(nproc) CPUs)"
echo "load before: $(uptime)"
cargo build -q --release --bin kontrat --example bare-axum
kontrat=${CARGO_TARGET_DIR:-target}/release/kontrat
bare=${CARGO_TARGET_DIR:-target}/release/examples/bare-axum
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
command -v curl >/dev/null || { apt-get update -qq && apt-get install -y -qq curl >/dev/null; }
prism="$root/benches/prism/node_modules/.bin/prism"
if [ ! -x "$prism" ]; then
  npm ci -q --no-audit --no-fund --prefix benches/prism >/dev/null
fi
echo "wrk: $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2); prism: $("$prism" --version)"

# --- helpers -----------------------------------------------------------------------------
request() { # route scenario [body file] [header file] → HTTP status
  local url="http://127.0.0.1:${port[$1]}${path[$2]}" o=${3:-/dev/null} h=${4:-/dev/null}
  case "$2" in
    refresh) curl -s -m 5 -o "$o" -D "$h" -w '%{http_code}' -X POST "$url" \
               -H 'Content-Type: application/json' -d "$refresh_body" || true ;;
    logout)  curl -s -m 5 -o "$o" -D "$h" -w '%{http_code}' -X POST "$url" \
               -H "Authorization: Bearer $jwt" || true ;;
  esac
}

wait_up() { # route → waits (≤ 60 s) until it answers
  local i
  for i in $(seq 600); do
    [ "$(request "$1" refresh)" != 000 ] && return 0
    kill -0 "${pid[$1]}" 2>/dev/null || { echo "error: $1 exited; log:" >&2; cat "$out/$1.log" >&2; exit 1; }
    sleep 0.1
  done
  echo "error: $1 does not answer on port ${port[$1]}" >&2; exit 1
}

median() {
  sort -g | awk '{a[NR] = $1} END {if (NR == 0) print "nan"; else if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2}'
}

# wrk output → "req/s p99_ms p50_ms requests non_2xx_3xx socket_errors"
parse_wrk() {
  awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0;
                     if (v ~ /m$/) return v * 60000; if (v ~ /s$/) return v * 1000; return v + 0 }
    /^ +50%/ { p50 = ms($2) }
    /^ +99%/ { p99 = ms($2) }
    / requests in / { req = $1 }
    /Socket errors:/ { gsub(",", ""); sock = $4 + $6 + $8 + $10 }
    /Non-2xx or 3xx responses:/ { non2xx = $5 }
    /^Requests\/sec:/ { rps = $2 }
    END { printf "%s %s %s %d %d %d\n", rps, p99, p50, req, non2xx, sock }' "$1"
}

cat >"$out/refresh.lua" <<EOF2
wrk.method = "POST"
wrk.body = '$refresh_body'
wrk.headers["Content-Type"] = "application/json"
EOF2
cat >"$out/logout.lua" <<EOF2
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer $jwt"
EOF2

load() { # route scenario connections threads duration log
  wrk -t"$4" -c"$3" -d"$5" --latency -s "$out/$2.lua" \
    "http://127.0.0.1:${port[$1]}${path[$2]}" >"$6" 2>&1
}

# --- servers ------------------------------------------------------------------------------
echo
echo "== servers"
"$bare" "${port[direct]}" >"$out/direct.log" 2>&1 &
pid[direct]=$!
"$kontrat" proxy --quiet --target "http://127.0.0.1:${port[direct]}" --port "${port[kontrat]}" \
  >"$out/kontrat.out" 2>"$out/kontrat.log" &
pid[kontrat]=$!
"$prism" proxy spec/auth.yaml "http://127.0.0.1:${port[direct]}" -h 127.0.0.1 -p "${port[prism]}" \
  >"$out/prism.log" 2>&1 &
pid[prism]=$!
for r in "${routes[@]}"; do wait_up "$r"; done

status_ok=1
for sc in "${scenarios[@]}"; do
  request direct "$sc" "$out/direct.body" >/dev/null
  for r in "${routes[@]}"; do
    code=$(request "$r" "$sc" "$out/body" "$out/headers")
    mark="ok"; [ "$code" = "${expect[$sc]}" ] || { mark="UNEXPECTED (want ${expect[$sc]})"; status_ok=0; }
    if [ "$r" = kontrat ]; then
      # Same bytes as straight from the upstream, and no violation reported.
      cmp -s "$out/body" "$out/direct.body" || { mark="$mark; BODY DIFFERS from direct"; status_ok=0; }
      grep -qi '^kontrat-violations' "$out/headers" && { mark="$mark; VIOLATION: $(grep -i '^kontrat-violations' "$out/headers")"; status_ok=0; }
    fi
    printf '%-8s %-8s → %s, %s bytes  %s\n' "$sc" "$r" "$code" "$(wc -c <"$out/body")" "$mark"
  done
done

# --- load -----------------------------------------------------------------------------------
if [ "$warmup" != 0 ]; then
  echo
  echo "== warm-up ($warmup per route and scenario, not counted)"
  for sc in "${scenarios[@]}"; do
    for r in "${routes[@]}"; do load "$r" "$sc" "$conns" 2 "$warmup" "$last/warmup-$sc-$r.txt"; done
  done
fi

echo
echo "== $rounds rounds: throughput (wrk -t2 -c$conns -d$duration), then added latency (wrk -t1 -c1 -d$duration)"
for round in $(seq "$rounds"); do
  echo "round $round: $(uptime | sed 's/.*load/load/')"
  order=("${routes[@]:$(( (round - 1) % 3 ))}" "${routes[@]:0:$(( (round - 1) % 3 ))}")
  for sc in "${scenarios[@]}"; do
    for r in "${order[@]}"; do
      log="$last/round$round-$sc-$r.txt"
      load "$r" "$sc" "$conns" 2 "$duration" "$log"
      read -r rps p99 p50 req non2xx sock < <(parse_wrk "$log")
      if [ "$sc" = refresh ]; then wrong=$non2xx; else wrong=$((req - non2xx)); fi
      echo "$rps $p99 $p50 $req $wrong $sock" >>"$out/tp-$sc-$r"
      printf '  %-8s %-8s %10.0f req/s  p99 %8.2f ms  %9d requests  wrong status %d  socket errors %d\n' \
        "$sc" "$r" "$rps" "$p99" "$req" "$wrong" "$sock"
    done
    for r in direct kontrat; do
      log="$last/round$round-$sc-$r-latency.txt"
      load "$r" "$sc" 1 1 "$duration" "$log"
      read -r rps p99 p50 req non2xx sock < <(parse_wrk "$log")
      echo "$p99 $p50" >>"$out/lat-$sc-$r"
      printf '  %-8s %-8s 1 connection: p50 %6.3f ms  p99 %6.3f ms\n' "$sc" "$r" "$p50" "$p99"
    done
  done
done
echo "load after: $(uptime)"

# --- summary ----------------------------------------------------------------------------------
pass() { if awk "BEGIN {exit !($1)}"; then echo ok; else echo MISSED; fi; }
col() { awk -v c="$2" '{print $c}' "$out/$1" | median; }
sum() { awk -v c="$2" '{s += $c} END {print s + 0}' "$out/$1"; }
echo
echo "== summary (median over $rounds rounds of $duration, $(nproc) CPUs shared by wrk, upstream and proxy)"
printf '%-8s %-8s %12s %10s %14s %14s\n' scenario route 'req/s' 'p99 ms' 'wrong status' 'socket errors'
for sc in "${scenarios[@]}"; do
  for r in "${routes[@]}"; do
    printf '%-8s %-8s %12.0f %10.2f %14d %14d\n' "$sc" "$r" "$(col "tp-$sc-$r" 1)" "$(col "tp-$sc-$r" 2)" \
      "$(sum "tp-$sc-$r" 5)" "$(sum "tp-$sc-$r" 6)"
  done
done
echo
printf '%-8s %-24s %-22s %-30s %s\n' scenario 'kontrat/direct (≥ 0.5)' 'kontrat/Prism (≥ 20x)' 'added at p99, 1 conn (< 1 ms)' 'kontrat errors (0)'
for sc in "${scenarios[@]}"; do
  k=$(col "tp-$sc-kontrat" 1); d=$(col "tp-$sc-direct" 1); p=$(col "tp-$sc-prism" 1)
  rd=$(awk -v k="$k" -v d="$d" 'BEGIN {printf "%.2f", k / d}')
  rp=$(awk -v k="$k" -v p="$p" 'BEGIN {printf "%.1f", (p > 0 ? k / p : 0)}')
  added=$(awk -v k="$(col "lat-$sc-kontrat" 1)" -v d="$(col "lat-$sc-direct" 1)" 'BEGIN {printf "%.3f", k - d}')
  e=$(( $(sum "tp-$sc-kontrat" 5) + $(sum "tp-$sc-kontrat" 6) ))
  printf '%-8s %-24s %-22s %-30s %s\n' "$sc" "$rd $(pass "$rd >= 0.5")" "${rp}x $(pass "$rp >= 20")" \
    "$added ms $(pass "$added < 1")" "$e $(pass "$e == 0")"
done
echo
kill -TERM "${pid[kontrat]}"; wait "${pid[kontrat]}" 2>/dev/null || true; unset 'pid[kontrat]'
echo "kontrat proxy's own summary of the run:"
grep -E '^(kontrat proxy:|  (request|response|transport)|result:)' "$out/kontrat.out" || cat "$out/kontrat.out"
[ "$status_ok" = 1 ] || { echo "warning: a check before the load failed (see above)"; exit 1; }
