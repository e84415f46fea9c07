#!/usr/bin/env bash
# Generation benchmark on GitHub's REST API description (npm @octokit/openapi: 1,223
# operations, OpenAPI 3.0.3, 13 MB), side by side with OpenAPI Generator's `rust` client
# generator in the same run (PyPI openapi-generator-cli bundles its jar; needs Java 17).
# Reports wall time and peak RSS of each, and their ratio. With --compile it also times
# `cargo check --all-features` of kontrat's crate, from scratch and after touching lib.rs.
#
#   bash benches/github.sh [--compile] [--no-openapi-generator]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
compile=0; reference=1
for a in "$@"; do
  case "$a" in
    --compile) compile=1 ;;
    --no-openapi-generator) reference=0 ;;
  esac
done
cache="$root/target/bench-cache"; mkdir -p "$cache"
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }

spec="$cache/package/generated/api.github.com.json"
if [ ! -f "$spec" ]; then
  (cd "$cache" && npm pack -q @octokit/openapi@23.0.2 >/dev/null && tar xzf octokit-openapi-23.0.2.tgz)
fi
cargo build -q --release --bin kontrat
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT

measure() { # label command... → "seconds KB" (median of 3 runs by time)
  local best=""
  for _ in 1 2 3; do
    /usr/bin/time -f "%e %M" -o "$out/t" "$@" >/dev/null 2>&1
    best+="$(cat "$out/t")"$'\n'
  done
  printf '%s' "$best" | sort -n | sed -n 2p
}

read -r k_s k_kb < <(measure target/release/kontrat generate --spec "$spec" --out "$out/kontrat" --name github-api)
echo "kontrat generate:        ${k_s} s, $(( k_kb / 1024 )) MB peak RSS ($(du -sh "$out/kontrat/src" | cut -f1) of Rust)"

# Linear scaling: GitHub's description cut to 25 %, 50 % and 75 % of its paths (every
# component kept, so only what operations reach is generated), then whole. Time per
# operation should stay flat as the spec grows.
echo "scaling (median of 3; components kept, paths sliced):"
printf '  %-8s %10s %10s %10s %12s\n' share operations "time ms" "MB RSS" "ms/operation"
for pct in 25 50 75 100; do
  sliced="$out/github-$pct.json"
  python3 - "$spec" "$sliced" "$pct" <<'PY'
import json, sys
spec = json.load(open(sys.argv[1]))
paths = list(spec["paths"].items())
keep = len(paths) * int(sys.argv[3]) // 100
spec["paths"] = dict(paths[:keep])
json.dump(spec, open(sys.argv[2], "w"))
PY
  ops=$(python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); print(sum(1 for p in s["paths"].values() for m in p if m in ("get","put","post","delete","options","head","patch","trace")))' "$sliced")
  read -r s_s s_kb < <(measure target/release/kontrat generate --spec "$sliced" --out "$out/slice" --name github-api)
  awk -v p="$pct" -v o="$ops" -v t="$s_s" -v kb="$s_kb" \
    'BEGIN {printf "  %-8s %10d %10.0f %10d %12.3f\n", p "%", o, t * 1000, kb / 1024, t * 1000 / o}'
done

if [ "$reference" = 1 ]; then
  command -v openapi-generator-cli >/dev/null || pip install -q openapi-generator-cli
  /usr/bin/time -f "%e %M" -o "$out/t" openapi-generator-cli generate -g rust -i "$spec" -o "$out/oag" \
    --skip-validate-spec >/dev/null 2>&1 || true
  read -r o_s o_kb < "$out/t"
  echo "openapi-generator rust:  ${o_s} s, $(( o_kb / 1024 )) MB peak RSS"
  awk -v k="$k_s" -v o="$o_s" -v kk="$k_kb" -v ok="$o_kb" \
    'BEGIN {printf "ratio: kontrat is %.1fx faster and uses %.1fx less memory\n", o/k, ok/kk}'
fi

if [ "$compile" = 1 ]; then
  ws="$out/ws"; mkdir -p "$ws"; cp -r "$out/kontrat" "$ws/github"
  printf '[workspace]\nmembers = ["github"]\nresolver = "2"\n' > "$ws/Cargo.toml"
  cp Cargo.lock "$ws/"
  export CARGO_TARGET_DIR="$root/target/bench-compile"
  s=$(date +%s%N); (cd "$ws" && cargo check -q --all-features); e=$(date +%s%N)
  echo "cargo check from scratch (dependencies too): $(( (e - s) / 1000000 )) ms"
  incremental() { # dir features... → ms of `cargo check` after touching src/lib.rs
    (cd "$1" && cargo check -q "${@:2}") >/dev/null 2>&1
    touch "$1/src/lib.rs"
    local s e; s=$(date +%s%N); (cd "$1" && cargo check -q "${@:2}"); e=$(date +%s%N)
    echo $(( (e - s) / 1000000 ))
  }
  k_all=$(incremental "$ws/github" --all-features)
  k_default=$(incremental "$ws/github")
  echo "cargo check after touching lib.rs:    ${k_all} ms all features, ${k_default} ms default features (client)"
  if [ "$reference" = 1 ] && [ -f "$out/oag/Cargo.toml" ]; then
    # OpenAPI Generator's crate in its own workspace (its own lock file), same target dir.
    printf '\n[workspace]\n' >> "$out/oag/Cargo.toml"
    o_inc=$(incremental "$out/oag")
    echo "openapi-generator crate, after touching lib.rs: ${o_inc} ms"
    awk -v k="$k_all" -v d="$k_default" -v o="$o_inc" \
      'BEGIN {printf "incremental check ratio to openapi-generator: %.2f (all features), %.2f (default)\n", k/o, d/o}'
  fi
fi
