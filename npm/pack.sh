#!/usr/bin/env bash
# Builds the release binary for this machine and writes two npm tarballs into OUT_DIR:
# the launcher `kontrat` and this platform's `@kontrat/cli-<key>` holding the binary.
# Versions follow the workspace version. CI's npm test and the release workflow use it.
# KONTRAT_NPM_BINARY=PATH packs that binary instead of building one (CI packs the debug
# binary it has already built; the release workflow, binaries cross-built per target,
# with KONTRAT_NPM_PLATFORM=KEY naming their platform).
#
#   bash npm/pack.sh OUT_DIR
set -euo pipefail
out=${1:?usage: npm/pack.sh OUT_DIR}
mkdir -p "$out"
out=$(cd "$out" && pwd)
cd "$(dirname "$0")/.."
root=$(pwd)

version=$(cargo metadata --no-deps --format-version 1 --locked |
  node -e 'let s="";process.stdin.on("data",(d)=>(s+=d)).on("end",()=>console.log(JSON.parse(s).packages.find((p)=>p.name==="kontrat").version))')
if [ -n "${KONTRAT_NPM_BINARY:-}" ]; then
  binary=$KONTRAT_NPM_BINARY
else
  cargo build --release --locked --bin kontrat
  binary="${CARGO_TARGET_DIR:-$root/target}/release/kontrat"
fi
key=${KONTRAT_NPM_PLATFORM:-$(node npm/fill.mjs key)}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
node npm/fill.mjs platform "$key" "$version" "$binary" "$work/platform"
node npm/fill.mjs launcher "$version" "$work/launcher"
(cd "$work/platform" && npm pack --silent --pack-destination "$out")
(cd "$work/launcher" && npm pack --silent --pack-destination "$out")
echo "npm/pack.sh: kontrat $version for $key → $out"
ls -l "$out"
