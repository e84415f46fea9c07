#!/usr/bin/env bash
# kontrat from npm, on a machine with no Rust toolchain: npm/pack.sh writes the launcher
# and this platform's binary package; a fresh project with no cargo on PATH installs both
# tarballs and runs `npx kontrat` (--version, mock answering a documented 200 and a
# forced 409, generate --lang typescript, a bad spec's exit 2, SIGTERM reaching the
# binary); then the launcher without its binary package, and on a platform with none,
# must say so in one clear message, not a stack trace.
# Uses $CARGO_TARGET_DIR/debug/kontrat (built earlier by CI; built if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
# KONTRAT_NPM_BINARY: pack that binary (the release workflow's); else the debug build.
bin=${KONTRAT_NPM_BINARY:-"${CARGO_TARGET_DIR:-$root/target}/debug/kontrat"}
[ -x "$bin" ] || cargo build --bin kontrat

work=$(mktemp -d)
mock_pid=""
cleanup() {
  [ -n "$mock_pid" ] && kill -- "-$mock_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
KONTRAT_NPM_BINARY="$bin" bash npm/pack.sh "$work/out" >/dev/null
launcher=$(ls "$work"/out/kontrat-[0-9]*.tgz)
version=$(tar -xOzf "$launcher" package/package.json | node -p 'JSON.parse(require("fs").readFileSync(0, "utf8")).version')
platform=$(ls "$work"/out/kontrat-cli-*.tgz)
echo "packed: $(basename "$launcher") $(basename "$platform") (version $version)"

# No Rust toolchain from here on: cargo's directories leave PATH.
PATH=$(printf '%s' "$PATH" | tr ':' '\n' | while read -r d; do [ -x "$d/cargo" ] || printf '%s\n' "$d"; done | paste -sd: -)
export PATH
if command -v cargo >/dev/null; then echo "cargo still on PATH"; exit 1; fi

fail() { echo "FAIL: $*"; exit 1; }

app="$work/app"
mkdir -p "$app"
cd "$app"
npm init -y >/dev/null
npm install --no-audit --no-fund "$platform" "$launcher" >/dev/null

out=$(npx kontrat --version)
[[ "$out" == "kontrat $version ("*")" ]] || fail "--version printed: $out"
echo "ok  npx kontrat --version: $out"

# Starts `$@` (a `kontrat mock --port 0`) in its own process group, sets mock_pid and url.
start_mock() {
  log="$work/mock.log"
  setsid "$@" --port 0 --quiet >/dev/null 2>"$log" &
  mock_pid=$!
  url=""
  for _ in $(seq 1 100); do
    url=$(grep -o 'http://[^ ]*' "$log" | head -1 || true)
    [ -n "$url" ] && break
    kill -0 "$mock_pid" 2>/dev/null || { cat "$log"; fail "$* exited"; }
    sleep 0.1
  done
  [ -n "$url" ] || { cat "$log"; fail "$* printed no URL"; }
}

start_mock npx kontrat mock
body='{"refreshToken":"3f8c1e0a9b7d4c2e8f6a5b4c3d2e1f0a"}'
status=$(curl -s -o "$work/r200" -w '%{http_code}' -X POST "$url/api/v1/auth/refresh" -H 'content-type: application/json' -d "$body")
[ "$status" = 200 ] || fail "refresh answered $status"
grep -q '"isSuccess":true' "$work/r200" || fail "refresh body: $(cat "$work/r200")"
status=$(curl -s -o "$work/r409" -w '%{http_code}' -X POST "$url/api/v1/auth/refresh" -H 'content-type: application/json' -H 'Prefer: code=409' -d "$body")
[ "$status" = 409 ] || fail "Prefer: code=409 answered $status"
grep -q '"statusCode":409' "$work/r409" || fail "409 body: $(cat "$work/r409")"
echo "ok  npx kontrat mock on $url: refresh 200, Prefer: code=409 → 409"
# npx itself does not pass SIGTERM on (npm's behaviour): stop its whole process group.
kill -TERM -- "-$mock_pid"
wait "$mock_pid" 2>/dev/null || true
mock_pid=""

# The launcher (what npx and package.json scripts run) passes SIGTERM to the binary.
start_mock ./node_modules/.bin/kontrat mock
launcher_pid=$mock_pid
kill -TERM "$launcher_pid"
for _ in $(seq 1 50); do
  kill -0 "$launcher_pid" 2>/dev/null || break
  sleep 0.1
done
kill -0 "$launcher_pid" 2>/dev/null && fail "the launcher outlived SIGTERM"
mock_pid=""
curl -s -o /dev/null --max-time 2 "$url/__kontrat/" && fail "the mock still answers after SIGTERM"
grep -q "stopped" "$log" || { cat "$log"; fail "the mock did not shut down cleanly"; }
echo "ok  SIGTERM to the launcher stopped the mock cleanly"

npx kontrat generate --lang typescript --out "$work/ts" >/dev/null 2>&1 || fail "generate --lang typescript"
[ -f "$work/ts/package.json" ] && [ -f "$work/ts/index.js" ] || fail "no TypeScript package in $work/ts"
node --input-type=module -e "const m = await import('$work/ts/index.js'); if (typeof m.createClient !== 'function') process.exit(1);" ||
  fail "the generated package does not load"
echo "ok  npx kontrat generate --lang typescript wrote a package that loads"

printf 'openapi: 3.0.3\ninfo: {title: x, version: "1"}\npaths:\n  /a:\n    get:\n      responses: {200: {$ref: "#/nope"}}\n' >"$work/bad.yaml"
set +e
npx kontrat generate --spec "$work/bad.yaml" --out "$work/bad" >"$work/bad.log" 2>&1
code=$?
set -e
[ "$code" = 2 ] || { cat "$work/bad.log"; fail "a bad spec exited $code, not 2"; }
grep -q "bad.yaml" "$work/bad.log" || { cat "$work/bad.log"; fail "the error does not name the file"; }
echo "ok  a bad spec exits 2 through the launcher"

# The launcher alone (its binary package not installed): one clear message.
bare="$work/bare"
mkdir -p "$bare"
cd "$bare"
npm init -y >/dev/null
npm install --no-audit --no-fund "$launcher" >/dev/null 2>&1
set +e
npx kontrat --version >"$work/bare.log" 2>&1
code=$?
set -e
[ "$code" = 1 ] || { cat "$work/bare.log"; fail "launcher without binary exited $code"; }
grep -q "is not installed" "$work/bare.log" || { cat "$work/bare.log"; fail "no clear message"; }
grep -qE '^\s+at ' "$work/bare.log" && { cat "$work/bare.log"; fail "a stack trace"; }
echo "ok  launcher without its binary package: $(head -1 "$work/bare.log")"

# A platform no package is built for.
set +e
node -e 'Object.defineProperty(process, "platform", { value: "freebsd" }); require("./node_modules/kontrat/bin/kontrat.js")' >"$work/bsd.log" 2>&1
code=$?
set -e
[ "$code" = 1 ] || { cat "$work/bsd.log"; fail "unknown platform exited $code"; }
grep -q "no prebuilt binary for this platform (freebsd-" "$work/bsd.log" || { cat "$work/bsd.log"; fail "no clear message"; }
grep -qE '^\s+at ' "$work/bsd.log" && { cat "$work/bsd.log"; fail "a stack trace"; }
echo "ok  unknown platform: $(head -1 "$work/bsd.log")"
echo "npm package: all checks passed"
