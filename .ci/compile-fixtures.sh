#!/usr/bin/env bash
# Generates a crate for each fixture spec into one temporary workspace (shared target dir,
# so dependencies build once) and requires `cargo clippy --all-features -D warnings` to pass
# for every feature combination users build: golden files must also compile.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo build -q --bin kontrat
members=()
for spec in generator/tests/fixtures/render/*.yaml generator/tests/fixtures/render/*.json; do
  [ -e "$spec" ] || continue
  name=$(basename "${spec%.*}")
  ./target/debug/kontrat generate --spec "$spec" --out "$work/$name" --name "fixture-$name"
  members+=("\"$name\"")
done
(IFS=,; printf '[workspace]\nmembers = [%s]\nresolver = "2"\n' "${members[*]}") > "$work/Cargo.toml"
cp Cargo.lock "$work/Cargo.lock"
cd "$work"
export CARGO_TARGET_DIR="$root/target/fixtures"
cargo clippy --workspace --all-targets --all-features -- -D warnings
cargo clippy --workspace --no-default-features -- -D warnings
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --all-features -q
echo "fixtures compile: ${#members[@]}"
