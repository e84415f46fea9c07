#!/usr/bin/env bash
# The dashboard's size budget (issue #16): the files compiled into the binary for
# /__kontrat/ (mock-server/dashboard/) weigh under 150 KB compressed (gzip -9, each file as
# a browser would fetch it). Prints each file's size, raw and compressed.
set -euo pipefail
cd "$(dirname "$0")/.."
budget=$((150 * 1024))
total=0
raw_total=0
printf '%-16s %8s %8s\n' file bytes gzip-9
for file in mock-server/dashboard/*; do
  raw=$(wc -c <"$file")
  packed=$(gzip -9 -c "$file" | wc -c)
  total=$((total + packed))
  raw_total=$((raw_total + raw))
  printf '%-16s %8d %8d\n' "$(basename "$file")" "$raw" "$packed"
done
printf '%-16s %8d %8d (budget %d)\n' total "$raw_total" "$total" "$budget"
if [ "$total" -ge "$budget" ]; then
  echo "error: the dashboard's files weigh $total bytes compressed, over the budget of $budget" >&2
  exit 1
fi
