#!/usr/bin/env bash
# How the Rust crate generated from GitHub's REST description (npm @octokit/openapi,
# 1,223 operations) reads at the call site, and what it costs to check — for one or more
# kontrat binaries side by side (say main's and a branch's):
#
#   bash benches/sdk-shape.sh [--compile] [--call] [KONTRAT...]
#
# Without binaries it builds and uses this checkout's. For each binary it prints the
# figures of benches/sdk_shape.py (client methods with >= 6 positional arguments, shared
# inline types named after a single operation).
#   --compile  incremental `cargo check --all-features` of each crate after touching its
#              lib.rs: runs interleaved across the crates, median of 3, wall and CPU time.
#   --call     builds and runs benches/github-call against the last binary's crate: a
#              method with required and optional parameters, through its builder and
#              `.await`, against the crate's own wiremock builder.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
compile=0; call=0; bins=()
for a in "$@"; do
  case "$a" in
    --compile) compile=1 ;;
    --call) call=1 ;;
    *) bins+=("$(realpath "$a")") ;;
  esac
done
target="${CARGO_TARGET_DIR:-$root/target}"
if [ ${#bins[@]} -eq 0 ]; then
  cargo build -q --release --bin kontrat
  bins=("$target/release/kontrat")
fi
cache="$root/target/bench-cache"; mkdir -p "$cache"
spec="$cache/package/generated/api.github.com.json"
if [ ! -f "$spec" ]; then
  (cd "$cache" && npm pack -q @octokit/openapi@23.0.2 >/dev/null && tar xzf octokit-openapi-23.0.2.tgz)
fi
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

crates=()
for i in "${!bins[@]}"; do
  crate="$work/ws/github-$i"
  "${bins[$i]}" generate --spec "$spec" --out "$crate" --name "github-api-$i" >/dev/null
  crates+=("$crate")
  echo "== ${bins[$i]}"
  python3 benches/sdk_shape.py "$crate" "$spec"
done

members=$(printf '"github-%s",' "${!bins[@]}")
if [ "$call" = 1 ]; then
  last=$(( ${#bins[@]} - 1 ))
  mkdir -p "$work/ws/github-call/src"
  sed "s/@CRATE@/github-$last/; s/@PACKAGE@/github-api-$last/" benches/github-call/Cargo.toml.in \
    > "$work/ws/github-call/Cargo.toml"
  cp benches/github-call/main.rs "$work/ws/github-call/src/main.rs"
  members+='"github-call",'
fi
printf '[workspace]\nmembers = [%s]\nresolver = "2"\n' "${members%,}" > "$work/ws/Cargo.toml"
cp Cargo.lock "$work/ws/"
export CARGO_TARGET_DIR="$target/bench-compile"

if [ "$call" = 1 ]; then
  (cd "$work/ws" && cargo run -q -p github-call)
fi

if [ "$compile" = 1 ]; then
  for crate in "${crates[@]}"; do
    (cd "$crate" && cargo check -q --all-features) >/dev/null 2>&1
  done
  # Wall time, and CPU time (user + system), which other load on the machine moves less.
  declare -A wall cpu
  for _ in 1 2 3; do
    for i in "${!crates[@]}"; do
      touch "${crates[$i]}/src/lib.rs"
      /usr/bin/time -f "%e %U %S" -o "$work/time" sh -c "cd '${crates[$i]}' && cargo check -q --all-features"
      read -r e u s < "$work/time"
      wall[$i]+="$e "
      cpu[$i]+="$(awk -v u="$u" -v s="$s" 'BEGIN {print u + s}') "
    done
  done
  median() { printf '%s\n' $1 | sort -n | sed -n 2p; }
  for i in "${!crates[@]}"; do
    echo "cargo check --all-features after touching lib.rs, ${bins[$i]}:" \
      "$(median "${wall[$i]}") s wall (${wall[$i]% }), $(median "${cpu[$i]}") s CPU (${cpu[$i]% })"
  done
fi
