#!/usr/bin/env bash
# Schemathesis (PyPI) against the mock serving each real-world spec of ../shared/corpus:
# examples, coverage and fuzzing phases, positive and negative data, every check, seeded.
# The only failures let through are the mock's documented design decisions, each listed
# with its reason in .ci/schemathesis/exclusions.py. Zero other failures is the bar.
#
#   bash .ci/schemathesis-corpus.sh [SPEC…]     (after `cargo build --bin kontrat`)
#
# Environment: MAX_EXAMPLES (default 5), OUT (reports; default target/schemathesis-corpus).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=.ci/schemathesis/setup.sh
source .ci/schemathesis/setup.sh
max_examples=${MAX_EXAMPLES:-5}
out=${OUT:-target/schemathesis-corpus}
mkdir -p "$out"
if [ $# -eq 0 ]; then
  set -- ../shared/corpus/openapi-3.0/*.json ../shared/corpus/openapi-3.1/*.json
fi
excluded=$(python3 -c 'import sys; sys.path.insert(0, ".ci/schemathesis"); import exclusions; print(",".join(exclusions.EXCLUDED_BUILTINS))')

failed=()
mock=
cleanup() { [ -n "$mock" ] && kill "$mock" 2>/dev/null || true; }
trap cleanup EXIT
for spec in "$@"; do
  name=$(basename "$spec" .json)
  port=$(free_port)
  "$bin" mock --spec "$spec" --port "$port" --quiet --no-watch 2>"$out/$name.mock.log" &
  mock=$!
  for _ in $(seq 200); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    sleep 0.05
  done
  python3 .ci/schemathesis/auth_config.py "$spec" >"$out/$name.toml"
  # shellcheck disable=SC2207
  skip=($(python3 -c 'import sys; sys.path.insert(0, ".ci/schemathesis"); import exclusions
for op in exclusions.UNLOADABLE_OPERATIONS.get(sys.argv[1], []): print("--exclude-operation-id", op)' "$name"))
  start=$(date +%s)
  set +e
  PYTHONPATH=.ci/schemathesis SCHEMATHESIS_HOOKS=exclusions \
    timeout 900 st --config-file "$out/$name.toml" run "$spec" --url "http://127.0.0.1:$port" \
    --mode all --checks all --exclude-checks "$excluded" \
    --phases examples,coverage,fuzzing "${skip[@]}" \
    --max-examples "$max_examples" --seed 1 --generation-database none --no-color \
    --report junit --report-junit-path "$out/$name.junit.xml" >"$out/$name.txt" 2>&1
  rc=$?
  set -e
  # The journal explains every refusal (the problems the mock found), for reading failures.
  curl -s "http://127.0.0.1:$port/__kontrat/requests?limit=100000" >"$out/$name.requests.json" || true
  kill "$mock" 2>/dev/null || true
  wait "$mock" 2>/dev/null || true
  mock=
  summary=$(grep -E '^=+ .* in [0-9.]+s =+$' "$out/$name.txt" | tail -1 | tr -d '=' | xargs || true)
  printf '%-62s %4ss  %s\n' "$name" "$(($(date +%s) - start))" "${summary:-no summary (exit $rc)}"
  if [ "$rc" -ne 0 ]; then
    failed+=("$name")
    grep -E '^(_{3,} .* _{3,}|- ST[0-9]+.*)$' "$out/$name.txt" | head -40 || true
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "schemathesis found contract failures of the mock on: ${failed[*]} (reports in $out/)"
  exit 1
fi
echo "schemathesis: no failures on $# specs"
