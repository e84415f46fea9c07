#!/usr/bin/env bash
# Schemathesis (PyPI) against the running mock on spec/auth.yaml: examples, coverage and
# fuzzing phases, positive and negative data (`--mode all`), every check. Zero failures
# is the bar. The mock is started here on a free port and stopped on exit.
#
#   bash .ci/schemathesis.sh            (after `cargo build --bin kontrat`)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=.ci/schemathesis/setup.sh
source .ci/schemathesis/setup.sh
log=$(mktemp)
port=$(free_port)
"$bin" mock --port "$port" --quiet 2>"$log" &
mock=$!
trap 'kill $mock 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  sleep 0.05
done
# A JWT-shaped token: the spec's bearer scheme says bearerFormat: JWT, and the mock checks
# the shape (schemathesis' ignored_auth check sends a malformed one and expects 401).
jwt="eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl"
st run spec/auth.yaml --url "http://127.0.0.1:$port" \
  --mode all --checks all \
  --phases examples,coverage,fuzzing \
  -H "Authorization: Bearer $jwt" \
  --max-examples 150 --seed 1 \
  --report junit --report-junit-path target/schemathesis-junit.xml
echo "mock log (warnings and errors only):"
cat "$log"
