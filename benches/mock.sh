#!/usr/bin/env bash
# Throughput and latency of `kontrat mock` (release build) on spec/auth.yaml, side by side
# in the same run with a bare axum server answering the same fixed bytes (the ceiling:
# benches/bare_axum.rs, validates nothing) and with Stoplight Prism (npm
# @stoplight/prism-cli) on the same spec. Issue #4, "Speed".
#
# Two scenarios, each under wrk at 50 connections on 127.0.0.1 (2 threads, --latency):
#   refresh  POST /api/v1/auth/refresh, valid JSON body   → 200 (the mock validates it)
#   logout   POST /api/v1/auth/logout, `Prefer: code=401` → the documented 401
# One curl per server and scenario checks the status and body size before any load. Runs
# are interleaved: every round runs every scenario on every server (server order rotating
# per round), so drift in the machine's load hits all three alike; the table gives medians
# over the rounds. Also measured: the mock's start-up to its first 200 (spawn → answer,
# median of STARTUP_RUNS) and its idle RSS after start-up and after the load.
#
# Goals (issue #4): mock ≥ 0.70× bare axum, ≥ 20× Prism, p99 < 5 ms, no errors, start-up
# ≤ 50 ms, idle RSS ≤ 20 MiB. wrk shares the CPUs with the server under test, so read
# ratios, not absolute figures; `uptime` is printed to show what else was running.
#
#   bash benches/mock.sh                          # 3 rounds × 3 servers × 2 scenarios × 10 s
#   DURATION=2s ROUNDS=1 bash benches/mock.sh     # smoke run
#   BASELINE_BIN=/path/to/other/kontrat bash benches/mock.sh   # this build against another
#
# BASELINE_BIN: another build of kontrat (e.g. main's, to show a branch does not slow the
# mock down), served as a fourth server "base" on the same spec and interleaved in the same
# rounds; the summary adds mock/base (req/s and CPU µs/req).
#
# Environment: DURATION (10s), ROUNDS (3), WARMUP (2s per server and scenario, 0 to skip),
# CONNECTIONS (50), THREADS (2), STARTUP_RUNS (5), PORT_BASE (4110: mock, +1 bare, +2 Prism,
# +3 base), BASELINE_BIN (unset).
# Installs wrk (apt) and Prism (npm, into target/bench-cache/prism) when missing. The raw
# wrk outputs of the last run are kept in target/bench-cache/mock-last/.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
duration=${DURATION:-10s}
rounds=${ROUNDS:-3}
warmup=${WARMUP:-2s}
conns=${CONNECTIONS:-50}
threads=${THREADS:-2}
startup_runs=${STARTUP_RUNS:-5}
port_base=${PORT_BASE:-4110}
prism_version=5.16.0
cache="$root/target/bench-cache"; mkdir -p "$cache"
last="$cache/mock-last"; rm -rf "$last"; mkdir -p "$last"

servers=(mock bare prism)
scenarios=(refresh logout)
declare -A port=([mock]=$port_base [bare]=$((port_base + 1)) [prism]=$((port_base + 2)) [base]=$((port_base + 3)))
baseline=${BASELINE_BIN:-}
if [ -n "$baseline" ]; then
  [ -x "$baseline" ] || { echo "error: BASELINE_BIN=$baseline is not an executable" >&2; exit 2; }
  servers+=(base)
fi
declare -A pid=()
declare -A expect=([refresh]=200 [logout]=401)
declare -A path=([refresh]=/api/v1/auth/refresh [logout]=/api/v1/auth/logout)
token=3f8c1e0a9b7d4c2e8f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c
refresh_body="{\"refreshToken\":\"$token\"}"

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
prism="$cache/prism/node_modules/.bin/prism"
if [ ! -x "$prism" ]; then
  npm install -q --no-audit --no-fund --prefix "$cache/prism" "@stoplight/prism-cli@$prism_version" >/dev/null
fi
echo "wrk: $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2); prism: $("$prism" --version)"
echo "mock: $kontrat ($("$kontrat" --version))"
[ -z "$baseline" ] || echo "base: $baseline ($("$baseline" --version))"

# --- helpers -----------------------------------------------------------------------------

status_of() { # server scenario [body file] → HTTP status of one request ("000": no answer)
  local url="http://127.0.0.1:${port[$1]}${path[$2]}" o=${3:-/dev/null}
  case "$2" in
    refresh) curl -s -m 5 -o "$o" -w '%{http_code}' -X POST "$url" \
               -H 'Content-Type: application/json' -d "$refresh_body" || true ;;
    logout)  curl -s -m 5 -o "$o" -w '%{http_code}' -X POST "$url" -H 'Prefer: code=401' || true ;;
  esac
}

wait_up() { # server → waits (≤ 60 s) until it answers anything on the refresh path
  local i
  for i in $(seq 600); do
    [ "$(status_of "$1" refresh)" != 000 ] && return 0
    kill -0 "${pid[$1]}" 2>/dev/null || { echo "error: $1 exited; log:" >&2; cat "$out/$1.log" >&2; exit 1; }
    sleep 0.1
  done
  echo "error: $1 does not answer on port ${port[$1]}" >&2; exit 1
}

rss_mib() { # pid → resident set size in MiB
  ps -o rss= -p "$1" | awk '{printf "%.1f", $1 / 1024}'
}

hz=$(getconf CLK_TCK)
cpu_ticks() { # pid → user + system CPU time so far, in clock ticks
  awk '{print $14 + $15}' "/proc/$1/stat"
}

median() { # numbers on stdin → their median
  sort -g | awk '{a[NR] = $1} END {if (NR == 0) print "nan"; else if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2}'
}

# wrk output → "req/s p99_ms requests non_2xx_3xx socket_errors"
parse_wrk() {
  awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0;
                     if (v ~ /m$/) return v * 60000; if (v ~ /s$/) return v * 1000; return v + 0 }
    /^ +99%/ { p99 = ms($2) }
    / requests in / { req = $1 }
    /Socket errors:/ { gsub(",", ""); sock = $4 + $6 + $8 + $10 }
    /Non-2xx or 3xx responses:/ { non2xx = $5 }
    /^Requests\/sec:/ { rps = $2 }
    END { printf "%s %s %d %d %d\n", rps, p99, req, non2xx, sock }' "$1"
}

cat >"$out/refresh.lua" <<EOF
wrk.method = "POST"
wrk.body = '$refresh_body'
wrk.headers["Content-Type"] = "application/json"
EOF
cat >"$out/logout.lua" <<'EOF'
wrk.method = "POST"
wrk.headers["Prefer"] = "code=401"
EOF

load() { # server scenario duration log
  wrk -t"$threads" -c"$conns" -d"$3" --latency -s "$out/$2.lua" \
    "http://127.0.0.1:${port[$1]}${path[$2]}" >"$4" 2>&1
}

# --- start-up to first answer -------------------------------------------------------------
# Spawn → first 200 to a valid refresh, polled from bash itself (/dev/tcp, $EPOCHREALTIME:
# no process per attempt), 0.5 ms apart.
mkfifo "$out/never"; exec 4<>"$out/never"
startup_ms() { # extra mock args... → ms from spawn to the first 200
  local p=${port[mock]} t0 t1 line req deadline
  req=$(printf 'POST /api/v1/auth/refresh HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s' \
    "${#refresh_body}" "$refresh_body")
  t0=$EPOCHREALTIME
  "$kontrat" mock --quiet --port "$p" "$@" >/dev/null 2>"$out/startup.log" &
  pid[mock]=$!
  deadline=$(awk -v t="$t0" 'BEGIN {printf "%d", t + 10}')
  while :; do
    if { exec 3<>"/dev/tcp/127.0.0.1/$p"; } 2>/dev/null; then
      printf '%s' "$req" >&3
      line=""; read -r -t 2 line <&3 || true
      exec 3<&-
      [[ $line == "HTTP/1.1 200"* ]] && break
    fi
    kill -0 "${pid[mock]}" 2>/dev/null || { echo "error: the mock exited:" >&2; cat "$out/startup.log" >&2; exit 1; }
    (( ${EPOCHREALTIME%.*} < deadline )) || { kill "${pid[mock]}"; echo "error: no 200 within 10 s (last: $line)" >&2; exit 1; }
    read -r -t 0.0005 -u 4 || true
  done
  t1=$EPOCHREALTIME
  kill "${pid[mock]}"; wait "${pid[mock]}" 2>/dev/null || true; unset 'pid[mock]'
  awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", (b - a) * 1000}'
}

echo
echo "== start-up to first 200 (median of $startup_runs)"
declare -A startup=()
for variant in embedded file; do
  args=(); [ "$variant" = file ] && args=(--spec spec/auth.yaml)
  samples=()
  for _ in $(seq "$startup_runs"); do samples+=("$(startup_ms "${args[@]}")"); done
  startup[$variant]=$(printf '%s\n' "${samples[@]}" | median)
  self=$(sed -n 's/.*(ready in \([^;]*\);.*/\1/p' "$out/startup.log")
  echo "$variant spec: ${samples[*]} ms → median ${startup[$variant]} ms (the mock's own \"ready in\": $self, last run)"
done

# --- servers --------------------------------------------------------------------------------
echo
echo "== servers"
"$kontrat" mock --quiet --port "${port[mock]}" >"$out/mock.log" 2>&1 &
pid[mock]=$!
"$bare" "${port[bare]}" >"$out/bare.log" 2>&1 &
pid[bare]=$!
"$prism" mock spec/auth.yaml -h 127.0.0.1 -p "${port[prism]}" -v silent >"$out/prism.log" 2>&1 &
pid[prism]=$!
if [ -n "$baseline" ]; then
  "$baseline" mock --quiet --port "${port[base]}" >"$out/base.log" 2>&1 &
  pid[base]=$!
fi
for s in "${servers[@]}"; do wait_up "$s"; done
sleep 1
rss_start=$(rss_mib "${pid[mock]}")
echo "mock idle RSS after start-up: $rss_start MiB"

status_ok=1
for sc in "${scenarios[@]}"; do
  for s in "${servers[@]}"; do
    code=$(status_of "$s" "$sc" "$out/body")
    size=$(wc -c <"$out/body")
    mark="ok"; [ "$code" = "${expect[$sc]}" ] || { mark="UNEXPECTED (want ${expect[$sc]})"; status_ok=0; }
    printf '%-8s %-6s → %s, %s bytes  %s\n' "$sc" "$s" "$code" "$size" "$mark"
  done
done

# --- load -----------------------------------------------------------------------------------
if [ "$warmup" != 0 ]; then
  echo
  echo "== warm-up ($warmup per server and scenario, not counted)"
  for sc in "${scenarios[@]}"; do
    for s in "${servers[@]}"; do load "$s" "$sc" "$warmup" "$last/warmup-$sc-$s.txt"; done
  done
fi

echo
echo "== load: $rounds rounds × ${#servers[@]} servers × ${#scenarios[@]} scenarios, wrk -t$threads -c$conns -d$duration"
for r in $(seq "$rounds"); do
  echo "round $r: $(uptime | sed 's/.*load/load/')"
  shift_by=$(( (r - 1) % ${#servers[@]} ))
  order=("${servers[@]:$shift_by}" "${servers[@]:0:$shift_by}")
  for sc in "${scenarios[@]}"; do
    for s in "${order[@]}"; do
      log="$last/round$r-$sc-$s.txt"
      cpu0=$(cpu_ticks "${pid[$s]}")
      load "$s" "$sc" "$duration" "$log"
      cpu1=$(cpu_ticks "${pid[$s]}")
      read -r rps p99 req non2xx sock < <(parse_wrk "$log")
      # Statuses that are not the intended one: wrk counts non-2xx/3xx answers only.
      if [ "$sc" = refresh ]; then wrong=$non2xx; else wrong=$((req - non2xx)); fi
      cpu=$(awk -v t=$((cpu1 - cpu0)) -v hz="$hz" -v n="$req" 'BEGIN {printf "%.1f", (n > 0 ? t / hz * 1e6 / n : 0)}')
      echo "$rps $p99 $req $wrong $sock $cpu" >>"$out/$sc-$s"
      printf '  %-8s %-6s %10.0f req/s  p99 %8.2f ms  %9d requests  %6.1f CPU µs/req  wrong status %d  socket errors %d\n' \
        "$sc" "$s" "$rps" "$p99" "$req" "$cpu" "$wrong" "$sock"
    done
  done
done
echo "load after: $(uptime)"
sleep 2
rss_after=$(rss_mib "${pid[mock]}")

# --- summary ----------------------------------------------------------------------------------
pass() { if awk "BEGIN {exit !($1)}"; then echo ok; else echo MISSED; fi; }
col() { awk -v c="$2" '{print $c}' "$out/$1" | median; }
sum() { awk -v c="$2" '{s += $c} END {print s + 0}' "$out/$1"; }
echo
echo "== summary (median over $rounds rounds of $duration, $conns connections, $(nproc) CPUs shared with wrk)"
printf '%-8s %-6s %12s %10s %13s %14s %14s\n' scenario server 'req/s' 'p99 ms' 'CPU µs/req' 'wrong status' 'socket errors'
for sc in "${scenarios[@]}"; do
  for s in "${servers[@]}"; do
    printf '%-8s %-6s %12.0f %10.2f %12.1f %14d %14d\n' "$sc" "$s" "$(col "$sc-$s" 1)" "$(col "$sc-$s" 2)" \
      "$(col "$sc-$s" 6)" "$(sum "$sc-$s" 4)" "$(sum "$sc-$s" 5)"
  done
done
echo "(CPU µs/req: the server process's user + system time over the run per request answered, from"
echo " /proc/PID/stat; less sensitive to other load than req/s. bare/mock of it is the ratio the"
echo " mock would reach if the server alone were the bottleneck.)"
echo
printf '%-8s %-20s %-20s %-18s %-20s %s\n' scenario 'mock/bare (≥ 0.70)' 'mock/Prism (≥ 20x)' 'mock p99 (< 5 ms)' 'mock errors (0)' 'CPU bare/mock'
for sc in "${scenarios[@]}"; do
  m=$(col "$sc-mock" 1); b=$(col "$sc-bare" 1); p=$(col "$sc-prism" 1); l=$(col "$sc-mock" 2)
  e=$(( $(sum "$sc-mock" 4) + $(sum "$sc-mock" 5) ))
  rb=$(awk -v m="$m" -v b="$b" 'BEGIN {printf "%.2f", m / b}')
  rp=$(awk -v m="$m" -v p="$p" 'BEGIN {printf "%.1f", (p > 0 ? m / p : 0)}')
  rc=$(awk -v m="$(col "$sc-mock" 6)" -v b="$(col "$sc-bare" 6)" 'BEGIN {printf "%.2f", (m > 0 ? b / m : 0)}')
  printf '%-8s %-20s %-20s %-18s %-20s %s\n' "$sc" "$rb $(pass "$rb >= 0.70")" "${rp}x $(pass "$rp >= 20")" \
    "$l ms $(pass "$l < 5")" "$e $(pass "$e == 0")" "$rc"
done
if [ -n "$baseline" ]; then
  echo
  printf '%-8s %-24s %s\n' scenario 'mock/base req/s' 'mock/base CPU µs/req'
  for sc in "${scenarios[@]}"; do
    rr=$(awk -v m="$(col "$sc-mock" 1)" -v b="$(col "$sc-base" 1)" 'BEGIN {printf "%.3f", (b > 0 ? m / b : 0)}')
    rc=$(awk -v m="$(col "$sc-mock" 6)" -v b="$(col "$sc-base" 6)" 'BEGIN {printf "%.3f", (b > 0 ? m / b : 0)}')
    printf '%-8s %-24s %s\n' "$sc" "$rr" "$rc"
  done
  echo "(mock: this build; base: $baseline. req/s above 1 and CPU below 1 favour this build.)"
fi
echo
echo "start-up to first 200: embedded spec ${startup[embedded]} ms $(pass "${startup[embedded]} <= 50"), --spec spec/auth.yaml ${startup[file]} ms $(pass "${startup[file]} <= 50") (goal ≤ 50 ms)"
echo "mock idle RSS: after start-up $rss_start MiB $(pass "$rss_start <= 20"), after the load $rss_after MiB $(pass "$rss_after <= 20") (goal ≤ 20 MiB)"
echo "idle RSS after the load, for reference: bare axum $(rss_mib "${pid[bare]}") MiB, Prism $(rss_mib "${pid[prism]}") MiB"
[ "$status_ok" = 1 ] || { echo "warning: a status checked before the load was not the intended one (see above)"; exit 1; }
