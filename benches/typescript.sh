#!/usr/bin/env bash
# TypeScript generation benchmark on GitHub's REST API description (npm @octokit/openapi
# 23.0.2: 1,223 operations, OpenAPI 3.0.3, 13 MB), beside the generators frontend teams use,
# in the same run and on the same spec file, then `tsc --noEmit` on each output.
#
#   bash benches/typescript.sh [--runs N] [--no-tsc] [--no-tsc5]
#
# The reference tools are pinned in benches/typescript/package.json and its lock file
# (installed here with `npm ci`; node_modules is not committed). Each is run with its
# defaults plus the fewest options that give a fetch client:
#   kontrat             generate --lang typescript --spec SPEC --out DIR --name github-api
#                       (types, client, validators and MSW handlers, .js + .d.ts)
#   openapi-typescript  SPEC -o DIR/schema.d.ts   (types only: openapi-fetch is a separate
#                       runtime package that takes them as a type parameter)
#   @hey-api/openapi-ts -i SPEC -o DIR -c @hey-api/client-fetch   (its default plugins:
#                       types and SDK, the fetch client bundled into the output, .ts)
#   orval               -i SPEC -o DIR/api.ts --client fetch   (single mode: one .ts)
# Each is timed by /usr/bin/time: wall time (the median of N runs, 3 by default) with that
# run's peak RSS, and the median CPU time (user + sys: steadier than wall time on a shared
# machine). Runs are interleaved across tools, each into a fresh directory; the ratio is a
# tool's time over kontrat's in this run.
#
# Then each output is type-checked as a whole package by the pinned TypeScript, both the
# 7.0.2 tsc kontrat's CI uses (npm alias typescript-7) and 5.9.3 (the generators' peer):
# `tsc -p` with noEmit, skipLibCheck false, lib ES2022 + DOM + DOM.Iterable (hey-api and
# orval iterate Headers and URLSearchParams), no @types, over every file
# the tool wrote (.d.ts for kontrat and openapi-typescript, .ts for hey-api and orval),
# except kontrat's msw.d.ts, which needs msw's types (no other tool here writes MSW
# handlers). Flags: --strict always; kontrat and openapi-typescript with
# --exactOptionalPropertyTypes --noUncheckedIndexedAccess too, hey-api and orval with
# --noUncheckedIndexedAccess only (their clients do not compile with
# exactOptionalPropertyTypes); hey-api's extension-less imports need moduleResolution
# Bundler. A tool whose output has type errors is still timed; its errors are counted.
# Ratios are against openapi-typescript's output in the same run.
#
# Goals (issue #13): generation under 1 s and at least 20x faster than the fastest other
# tool; kontrat's output type-checks no slower than openapi-typescript's.
# Needs Node >= 20 (hey-api and orval declare >= 22.18 but run on 20) and npm.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
runs=3; tsc=1; tsc5=1
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift ;;
    --no-tsc) tsc=0 ;;
    --no-tsc5) tsc5=0 ;;
    *) echo "usage: bash benches/typescript.sh [--runs N] [--no-tsc] [--no-tsc5]" >&2; exit 2 ;;
  esac
  shift
done
cache="$root/target/bench-cache"; mkdir -p "$cache"
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }

spec="$cache/package/generated/api.github.com.json"
if [ ! -f "$spec" ]; then
  (cd "$cache" && npm pack -q @octokit/openapi@23.0.2 >/dev/null && tar xzf octokit-openapi-23.0.2.tgz)
fi

bench="$root/benches/typescript"
stamp="$bench/node_modules/.kontrat-bench-lock"
if ! cmp -s "$bench/package-lock.json" "$stamp" 2>/dev/null; then
  (cd "$bench" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  cp "$bench/package-lock.json" "$stamp"
fi
nm="$bench/node_modules"
version() { node -p "require('$nm/$1/package.json').version"; }

cargo build -q --release --bin kontrat
bin="${CARGO_TARGET_DIR:-$root/target}/release/kontrat"

out=$(mktemp -d); trap 'rm -rf "$out"' EXIT

# once NAME DIR command... → runs it once into a fresh DIR (the output is kept) and appends
# "wall_s peak_kb cpu_s" to $out/NAME.times; on failure writes $out/NAME.fail instead.
once() {
  local name=$1 dir=$2; shift 2
  [ -f "$out/$name.fail" ] && return 0
  rm -rf "$dir"
  local code=0
  /usr/bin/time -f "%e %M %U %S" -o "$out/time" "$@" >"$out/$name.log" 2>&1 || code=$?
  if [ "$code" != 0 ]; then
    echo "exit $code: $(grep -v '^Command exited' "$out/$name.log" | tail -5 | tr '\n' ' ' | cut -c1-400)" >"$out/$name.fail"
    return 0
  fi
  tail -1 "$out/time" | awk '{printf "%s %s %.2f\n", $1, $2, $3 + $4}' >>"$out/$name.times"
}
# median NAME → "wall_s peak_mb cpu_s": the run of median wall time, and the median CPU time.
median() {
  local n wall kb cpu
  n=$(wc -l <"$out/$1.times")
  read -r wall kb _ < <(sort -n "$out/$1.times" | sed -n "$(( (n + 1) / 2 ))p")
  cpu=$(sort -n -k3 "$out/$1.times" | sed -n "$(( (n + 1) / 2 ))p" | cut -d' ' -f3)
  echo "$wall $(( kb / 1024 )) $cpu"
}

tools=(kontrat openapi-typescript hey-api orval)
declare -A ver dir gen_s gen_mb gen_cpu gen_fail
ver[kontrat]=$("$bin" --version | awk '{print $2}')
ver[openapi-typescript]=$(version openapi-typescript)
ver[hey-api]=$(version @hey-api/openapi-ts)
ver[orval]=$(version orval)
for t in "${tools[@]}"; do dir[$t]="$out/$t"; done

run_tool() {
  case "$1" in
    kontrat) once kontrat "${dir[kontrat]}" \
      "$bin" generate --lang typescript --spec "$spec" --out "${dir[kontrat]}" --name github-api ;;
    openapi-typescript) once openapi-typescript "${dir[openapi-typescript]}" \
      "$nm/.bin/openapi-typescript" "$spec" -o "${dir[openapi-typescript]}/schema.d.ts" ;;
    hey-api) once hey-api "${dir[hey-api]}" \
      "$nm/.bin/openapi-ts" -i "$spec" -o "${dir[hey-api]}" -c @hey-api/client-fetch ;;
    orval) once orval "${dir[orval]}" \
      "$nm/.bin/orval" -i "$spec" -o "${dir[orval]}/api.ts" --client fetch ;;
  esac
}

ops=$(python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); print(sum(1 for p in s["paths"].values() for m in p if m in ("get","put","post","delete","options","head","patch","trace")))' "$spec")
echo "spec: @octokit/openapi 23.0.2 api.github.com.json ($ops operations, $(( $(stat -c %s "$spec") / 1000000 )) MB); median of $runs runs; $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
echo
# Interleaved (run 1 of every tool, then run 2, …) so a load change on a shared machine
# hits every tool alike.
for _ in $(seq 1 "$runs"); do
  for t in "${tools[@]}"; do run_tool "$t"; done
done
for t in "${tools[@]}"; do
  if [ -f "$out/$t.fail" ]; then
    gen_fail[$t]=$(cat "$out/$t.fail")
  else
    gen_fail[$t]=""
    read -r gen_s[$t] gen_mb[$t] gen_cpu[$t] < <(median "$t")
  fi
done

size() { # dir → "N files, X MB" of what the tool wrote (.js, .ts, .d.ts)
  find "$1" -type f \( -name '*.ts' -o -name '*.js' \) -printf '%s\n' 2>/dev/null |
    awk '{n++; s+=$1} END {printf "%d files, %.1f MB", n, s/1e6}'
}

echo "generation (median wall seconds, its peak RSS, median CPU seconds; ratio = tool / kontrat)"
printf '  %-20s %-9s %8s %8s %8s %8s %8s   %s\n' tool version seconds "peak MB" ratio "cpu s" "cpu x" output
fastest=""
for t in "${tools[@]}"; do
  if [ -n "${gen_fail[$t]}" ]; then
    printf '  %-20s %-9s FAILED %s\n' "$t" "${ver[$t]}" "${gen_fail[$t]}"
    continue
  fi
  ratio="-"; cratio="-"
  if [ -z "${gen_fail[kontrat]}" ]; then
    ratio=$(awk -v a="${gen_s[$t]}" -v k="${gen_s[kontrat]}" 'BEGIN {printf "%.1fx", a / k}')
    cratio=$(awk -v a="${gen_cpu[$t]}" -v k="${gen_cpu[kontrat]}" 'BEGIN {printf "%.1fx", a / k}')
  fi
  printf '  %-20s %-9s %8s %8s %8s %8s %8s   %s\n' "$t" "${ver[$t]}" "${gen_s[$t]}" "${gen_mb[$t]}" "$ratio" \
    "${gen_cpu[$t]}" "$cratio" "$(size "${dir[$t]}")"
  if [ "$t" != kontrat ] && { [ -z "$fastest" ] || awk -v a="${gen_s[$t]}" -v b="${gen_s[$fastest]}" 'BEGIN {exit !(a < b)}'; }; then
    fastest=$t
  fi
done
if [ -z "${gen_fail[kontrat]}" ]; then
  awk -v k="${gen_s[kontrat]}" 'BEGIN {printf "  goal: under 1 s: %s (%.2f s)\n", (k < 1 ? "met" : "MISSED"), k}'
  if [ -n "$fastest" ]; then
    awk -v k="${gen_s[kontrat]}" -v f="${gen_s[$fastest]}" -v n="$fastest" \
      'BEGIN {r = f / k; printf "  goal: 20x the fastest other (%s): %s (%.1fx)\n", n, (r >= 20 ? "met" : "MISSED"), r}'
  fi
fi
[ "$tsc" = 1 ] || { echo "load average at the end: $(cut -d" " -f1-3 /proc/loadavg)"; exit 0; }

# tsconfig TOOL RESOLUTION FLAG... → $out/TOOL.tsconfig.json (FLAG: a compilerOption set true)
tsconfig() {
  local t=$1 resolution=$2; shift 2
  local module=NodeNext; [ "$resolution" = Bundler ] && module=ESNext
  local include="${dir[$t]}/**/*.ts" exclude=""
  [ "$t" = kontrat ] && { include="${dir[$t]}/*.d.ts"; exclude="\"${dir[$t]}/msw.d.ts\""; }
  local extra=""; for f in "$@"; do extra+=" \"$f\": true,"; done
  cat >"$out/$t.tsconfig.json" <<JSON
{
  "compilerOptions": {
    "target": "ES2022", "module": "$module", "moduleResolution": "$resolution",
    "lib": ["ES2022", "DOM", "DOM.Iterable"], "types": [], "noEmit": true, "skipLibCheck": false,$extra
    "strict": true
  },
  "include": ["$include"],
  "exclude": [$exclude]
}
JSON
}
declare -A flags
flags[kontrat]="--strict --exactOptionalPropertyTypes --noUncheckedIndexedAccess"
flags[openapi-typescript]="--strict --exactOptionalPropertyTypes --noUncheckedIndexedAccess"
flags[hey-api]="--strict --noUncheckedIndexedAccess"
flags[orval]="--strict --noUncheckedIndexedAccess"
tsconfig kontrat NodeNext exactOptionalPropertyTypes noUncheckedIndexedAccess
tsconfig openapi-typescript NodeNext exactOptionalPropertyTypes noUncheckedIndexedAccess
tsconfig hey-api Bundler noUncheckedIndexedAccess
tsconfig orval Bundler noUncheckedIndexedAccess

checkers=("typescript-7")
[ "$tsc5" = 1 ] && checkers+=("typescript")
for c in "${checkers[@]}"; do
  for _ in $(seq 1 "$runs"); do
    for t in "${tools[@]}"; do
      [ -n "${gen_fail[$t]}" ] && continue
      # From $out, so tsc names files relative to it; errors do not stop the timing.
      (cd "$out" && /usr/bin/time -f "%e %M %U %S" -o "$out/time" node "$nm/$c/bin/tsc" -p "$t.tsconfig.json" \
        >"$out/$t.tsc.log" 2>&1) || true
      tail -1 "$out/time" | awk '{printf "%s %s %.2f\n", $1, $2, $3 + $4}' >>"$out/$t.$c.times"
    done
  done
  declare -A tsc_s=() tsc_mb=() tsc_cpu=() tsc_err=()
  for t in "${tools[@]}"; do
    [ -n "${gen_fail[$t]}" ] && continue
    read -r tsc_s[$t] tsc_mb[$t] tsc_cpu[$t] < <(median "$t.$c")
    tsc_err[$t]=$(grep -c 'error TS' "$out/$t.tsc.log" || true)
    [ "${tsc_err[$t]}" = 0 ] || cp "$out/$t.tsc.log" "$cache/$t.$c.tsc.log"
  done
  echo
  echo "tsc --noEmit, typescript $(version "$c") (median wall s, peak RSS, median CPU s; ratio = tool / openapi-typescript)"
  printf '  %-20s %8s %8s %8s %8s %8s %7s   %s\n' tool seconds "peak MB" ratio "cpu s" "cpu x" errors flags
  for t in "${tools[@]}"; do
    [ -n "${gen_fail[$t]}" ] && { printf '  %-20s (not generated)\n' "$t"; continue; }
    ratio="-"; cratio="-"
    if [ -n "${tsc_s[openapi-typescript]:-}" ]; then
      ratio=$(awk -v a="${tsc_s[$t]}" -v o="${tsc_s[openapi-typescript]}" 'BEGIN {printf "%.2f", a / o}')
      cratio=$(awk -v a="${tsc_cpu[$t]}" -v o="${tsc_cpu[openapi-typescript]}" 'BEGIN {printf "%.2f", a / o}')
    fi
    printf '  %-20s %8s %8s %8s %8s %8s %7s   %s\n' "$t" "${tsc_s[$t]}" "${tsc_mb[$t]}" "$ratio" "${tsc_cpu[$t]}" "$cratio" "${tsc_err[$t]}" "${flags[$t]}"
  done
  for t in "${tools[@]}"; do
    if [ -z "${gen_fail[$t]}" ] && [ "${tsc_err[$t]}" != 0 ]; then
      echo "  $t: ${tsc_err[$t]} error(s), first: $(grep -m1 'error TS' "$out/$t.tsc.log" | cut -c1-220) (all in target/bench-cache/$t.$c.tsc.log)"
    fi
  done
  if [ -n "${tsc_s[kontrat]:-}" ] && [ -n "${tsc_s[openapi-typescript]:-}" ]; then
    awk -v k="${tsc_s[kontrat]}" -v o="${tsc_s[openapi-typescript]}" \
      'BEGIN {printf "  goal: no slower than openapi-typescript: %s (%.2f s vs %.2f s)\n", (k <= o ? "met" : "MISSED"), k, o}'
  fi
done
echo; echo "load average at the end: $(cut -d" " -f1-3 /proc/loadavg) ($(nproc) cores)"
