#!/usr/bin/env bash
# `kontrat verify` in CI: against the example auth service (examples/auth-service, a real
# implementation on the generated stubs) and against the mock. Both must conform. Then a
# refresh → rotate → logout session through `kontrat proxy` in front of a fresh example
# service: no violation, exit 0.
# Servers are started here on free ports and stopped on exit.
#
#   bash .ci/verify.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build -q -p kontrat -p auth-service
kontrat=target/debug/kontrat
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_for() { for _ in $(seq 200); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.05; done; echo "nothing listens on $1" >&2; return 1; }
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
trap 'echo "auth-service log:"; cat target/auth-service.log 2>/dev/null || true' ERR

# The example service, with a known seed refresh token to obtain an access token.
port=$(free_port)
seed_refresh=ci-seed-refresh-token-0123456789abcdef
log=target/auth-service.log
mkdir -p target
target/debug/auth-service --port "$port" --seed-refresh-token "$seed_refresh" >"$log" 2>&1 &
pids+=($!)
wait_for "$port"
export VERIFY_TOKEN
VERIFY_TOKEN=$(python3 - "$port" "$seed_refresh" <<'PY'
import json, sys, urllib.request
port, token = sys.argv[1], sys.argv[2]
req = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/auth/refresh",
    data=json.dumps({"refreshToken": token}).encode(), headers={"content-type": "application/json"})
print(json.load(urllib.request.urlopen(req))["data"]["accessToken"])
PY
)
mkdir -p target
echo "--- verify: examples/auth-service"
"$kontrat" verify --target "http://127.0.0.1:$port" --token-env VERIFY_TOKEN --junit target/verify-auth-service.xml

# The mock.
port=$(free_port)
"$kontrat" mock --port "$port" --quiet &
pids+=($!)
wait_for "$port"
echo "--- verify: kontrat mock"
VERIFY_TOKEN=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl \
  "$kontrat" verify --target "http://127.0.0.1:$port" --token-env VERIFY_TOKEN --junit target/verify-mock.xml

# A session through the proxy, in front of a service of its own (fresh seed session).
port=$(free_port)
seed_refresh=ci-proxy-seed-refresh-token-0123456789
target/debug/auth-service --port "$port" --seed-refresh-token "$seed_refresh" >>"$log" 2>&1 &
pids+=($!)
wait_for "$port"
echo "--- proxy: a session through kontrat proxy in front of examples/auth-service"
SEED_REFRESH=$seed_refresh "$kontrat" proxy --target "http://127.0.0.1:$port" --port 0 \
  --junit target/proxy-auth-service.xml -- python3 -c '
import json, os, urllib.error, urllib.request
base = os.environ["KONTRAT_PROXY_URL"] + "/api/v1/auth"
def post(path, body=None, token=None):
    headers = {"content-type": "application/json"} if body is not None else {}
    if token:
        headers["authorization"] = "Bearer " + token
    data = json.dumps(body).encode() if body is not None else None
    try:
        with urllib.request.urlopen(urllib.request.Request(base + path, data=data, headers=headers, method="POST")) as r:
            return r.status, json.load(r)
    except urllib.error.HTTPError as e:
        return e.code, json.load(e)
status, first = post("/refresh", {"refreshToken": os.environ["SEED_REFRESH"]})
assert status == 200, status
status, second = post("/refresh", {"refreshToken": first["data"]["refreshToken"]})
assert status == 200, status
status, _ = post("/refresh", {"refreshToken": os.environ["SEED_REFRESH"]})
assert status == 401, status
status, _ = post("/logout", token=second["data"]["accessToken"])
assert status == 401, status
print("session through the proxy: 200, 200, 401 (replayed token), 401 (session ended)")
'
