#!/usr/bin/env bash
# Generation time of `kontrat generate` (release build), as a ratio to the same binary's
# start-up (`kontrat --version`) measured in the same run: these machines are noisy, so
# compare ratios, not seconds. Usage: bash benches/generate.sh [SPEC] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
spec=${1:-spec/auth.yaml}
runs=${2:-30}
cargo build -q --release --bin kontrat
bin=target/release/kontrat
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

median_ms() { # command... → median wall time in ms over $runs runs
  local samples=()
  for _ in $(seq "$runs"); do
    local t0 t1
    t0=$(date +%s%N); "$@" >/dev/null 2>&1; t1=$(date +%s%N)
    samples+=($(( (t1 - t0) / 1000 )))
  done
  printf '%s\n' "${samples[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.2f", a[int((NR+1)/2)]/1000}'
}

base=$(median_ms "$bin" --version)
gen=$(median_ms "$bin" generate --spec "$spec" --out "$out/crate")
check=$(median_ms "$bin" check --spec "$spec" --out "$out/crate")
echo "spec: $spec ($runs runs each, median wall time)"
echo "start-up (kontrat --version): ${base} ms"
echo "generate:                     ${gen} ms  ($(awk -v a="$gen" -v b="$base" 'BEGIN {printf "%.1f", a/b}')x start-up)"
echo "check:                        ${check} ms  ($(awk -v a="$check" -v b="$base" 'BEGIN {printf "%.1f", a/b}')x start-up)"
