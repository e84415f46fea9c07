#!/usr/bin/env bash
# Golden files must also compile: generates a crate for every fixture spec
# (generator/tests/fixtures/render) and every real-world spec of ../shared/corpus into one
# temporary workspace (one target dir, so dependencies build once), then requires
#   cargo clippy --all-targets --all-features -D warnings   (client + server + mock)
#   cargo clippy --no-default-features -D warnings          (types only)
#   rustdoc -D warnings                                     (fixtures)
#   cargo test -p fixture-behaviour                         (the petstore crate at work)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
corpus="$root/../shared/corpus"
[ -d "$corpus/openapi-3.0" ] || { echo "missing $corpus (CI lays ../shared beside the clone)"; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo build -q --bin kontrat
members=()
fixtures=()
generate() { # spec name
  local started=$(date +%s%N)
  ./target/debug/kontrat generate --spec "$1" --out "$work/$2" --name "$2" >/dev/null
  printf '  %-60s %5d ms\n' "$2" $(( ($(date +%s%N) - started) / 1000000 ))
  members+=("\"$2\"")
}
echo "generating:"
for spec in generator/tests/fixtures/render/*.yaml; do
  name="fixture-$(basename "${spec%.*}")"
  generate "$spec" "$name"
  fixtures+=("-p" "$name")
done
for spec in "$corpus"/openapi-3.0/*.json "$corpus"/openapi-3.1/*.json; do
  generate "$spec" "corpus-$(basename "${spec%.*}" | tr 'A-Z._' 'a-z--')"
done
# Behaviour tests against the petstore fixture crate (tagged unions, recursion,
# parameters, problem+json fallback).
mkdir -p "$work/fixture-behaviour"
cp -r generator/tests/fixtures/behaviour/tests "$work/fixture-behaviour/"
cp generator/tests/fixtures/behaviour/Cargo.toml.in "$work/fixture-behaviour/Cargo.toml"
members+=("\"fixture-behaviour\"")
(IFS=,; printf '[workspace]\nmembers = [%s]\nresolver = "2"\n' "${members[*]}") > "$work/Cargo.toml"
cp Cargo.lock "$work/Cargo.lock"
cd "$work"
export CARGO_TARGET_DIR="$root/target/generated-check"
cargo clippy --workspace --all-targets --all-features -- -D warnings
cargo clippy --workspace --no-default-features -- -D warnings
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --all-features -q "${fixtures[@]}"
cargo test -p fixture-behaviour
echo "generated crates compile cleanly: ${#members[@]}"
