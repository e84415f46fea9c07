#!/usr/bin/env bash
# The generated TypeScript package (generated/auth-api-ts, committed; nothing is generated
# here): type tests with tsc --strict, then the Node test runner against `kontrat mock`
# and, for the MSW handlers (`auth-api/msw`), under `msw/node`; then headless Chromium
# (Debian's package, installed here when missing) loading the package with no bundler, and
# calling the mock through `kontrat proxy` (proxy-browser.test.mjs), and driving the mock's
# dashboard (dashboard.test.mjs: its own mocks, curl, screenshots in target/dashboard/).
# Needs Node >= 20 and npm; uses target/debug/kontrat (built earlier by CI; built if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
bin="${CARGO_TARGET_DIR:-$root/target}/debug/kontrat"

if [ ! -x "$bin" ]; then
  cargo build --bin kontrat
fi

if [ ! -x /usr/bin/chromium ] || ! command -v curl >/dev/null; then
  apt-get update -qq && apt-get install -y -qq chromium curl >/dev/null
fi
/usr/bin/chromium --version
# The browser test fails here, rather than skipping, when Chromium cannot start.
export KONTRAT_REQUIRE_BROWSER=1
# The dashboard test starts mocks of its own, from this binary.
export KONTRAT_BIN="$bin"

cd tests/typescript
npm ci --no-audit --no-fund
npx tsc -p .
# Users are still on TypeScript 5 (tsc 7 is the Go port): the package type-checks there too.
node node_modules/typescript5/bin/tsc -p .

log=$(mktemp)
"$bin" mock --port 0 --quiet 2>"$log" &
mock_pid=$!
trap 'kill "$mock_pid" 2>/dev/null || true; rm -f "$log"' EXIT
url=""
for _ in $(seq 1 100); do
  url=$(grep -o 'http://[^ ]*' "$log" | head -1 || true)
  [ -n "$url" ] && break
  kill -0 "$mock_pid" 2>/dev/null || { cat "$log"; echo "kontrat mock did not start"; exit 1; }
  sleep 0.1
done
[ -n "$url" ] || { cat "$log"; echo "kontrat mock printed no URL"; exit 1; }
echo "kontrat mock on $url"
# The package is linked (node_modules/auth-api); its `import "msw"` must resolve here.
# KONTRAT_BIN: the binary the proxy test starts `kontrat proxy` from.
KONTRAT_MOCK_URL="$url" KONTRAT_BIN="$bin" NODE_OPTIONS=--preserve-symlinks node --test
