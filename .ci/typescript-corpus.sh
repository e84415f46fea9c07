#!/usr/bin/env bash
# Every spec fixture (generator/tests/fixtures/**/*.{yaml,yml,json} that says `openapi:`)
# and every corpus spec (../shared/corpus/openapi-3.{0,1}/*.json) → a TypeScript package
# in $TS_CORPUS_DIR (default target/ts-corpus), then for each: the pinned tsc of
# tests/typescript with the strict flags on all its `.d.ts` (msw.d.ts included, against the
# tests' msw), and Node loading `index.js` and `msw.js` as they are, making a client and
# every MSW handler. Exits non-zero when any package fails; logs stay in $TS_CORPUS_DIR.
# Needs Node >= 20 and npm; uses $CARGO_TARGET_DIR/debug/kontrat (built if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
bin="${CARGO_TARGET_DIR:-$root/target}/debug/kontrat"
out="${TS_CORPUS_DIR:-$root/target/ts-corpus}"
# Fixtures that are broken on purpose (the loader's error tests).
expected_broken=("generator/tests/fixtures/loader/broken.yaml")

if [ ! -x "$bin" ]; then
  cargo build --bin kontrat
fi
(cd tests/typescript && npm ci --no-audit --no-fund)
tsc="$root/tests/typescript/node_modules/.bin/tsc"

rm -rf "$out"
mkdir -p "$out"
# `import "msw"` in msw.js / msw.d.ts resolves here.
ln -s "$root/tests/typescript/node_modules" "$out/node_modules"

specs=()
while IFS= read -r f; do
  if grep -qE '^[[:space:]]*"?openapi"?[[:space:]]*:' "$f"; then specs+=("$f"); fi
done < <(find generator/tests/fixtures -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) | sort)
for f in ../shared/corpus/openapi-3.0/*.json ../shared/corpus/openapi-3.1/*.json; do
  specs+=("$f")
done

# Node: load both entries, make a client, build every MSW handler, and call every
# operation against each documented-status handler (under msw/node): a `network` result
# there is a crash of the generated code (it never rejects; errors land in `network`).
# `invalid-body` is counted, not failed: corpus specs carry examples their schemas reject.
cat >"$out/check.mjs" <<'JS'
import { setupServer } from "msw/node";
const dir = process.argv[2];
const pkg = await import(`${dir}/pkg/index.js`);
const msw = await import(`${dir}/pkg/msw.js`);
const base = "http://corpus.test/base";
const client = pkg.createClient({ baseUrl: base });
const handlers = msw.createHandlers({ baseUrl: base });
const server = setupServer();
server.listen({ onUnhandledRequest: "error" });
const counts = {};
const crashes = [];
for (const [method, group] of Object.entries(handlers)) {
  for (const [factory, make] of Object.entries(group)) {
    const handler = make({ delay: 0 });
    if (!factory.startsWith("status")) continue;
    server.resetHandlers(handler);
    const r = await client[method]({});
    counts[r.kind] = (counts[r.kind] ?? 0) + 1;
    if (r.kind === "network" || r.kind === "undocumented") crashes.push(`${method}.${factory}: ${r.kind} ${String(r.cause ?? r.status)}`);
    if (r.kind === "invalid-body" && counts["invalid-body"] <= 3) console.error(`note ${method}.${factory}: ${r.problems.slice(0, 2).join("; ")}`);
  }
}
server.close();
console.log(Object.keys(client).length + " methods, " + JSON.stringify(counts));
if (crashes.length > 0) {
  console.error(crashes.slice(0, 10).join("\n"));
  process.exit(1);
}
JS
failed=()
checked=0
for spec in "${specs[@]}"; do
  name=$(echo "$spec" | sed 's|^\.\./shared/corpus/||; s|^generator/tests/fixtures/|fixture-|; s|[^A-Za-z0-9]\+|-|g; s|-$||' | tr 'A-Z' 'a-z')
  dir="$out/$name"
  mkdir -p "$dir"
  if ! "$bin" generate --lang typescript --spec "$spec" --out "$dir/pkg" --name "$name" >"$dir/generate.log" 2>&1; then
    if printf '%s\n' "${expected_broken[@]}" | grep -qxF "$spec"; then
      echo "skip  $spec (broken on purpose)"
      rm -rf "$dir"
      continue
    fi
    cat "$dir/generate.log"
    echo "FAIL  $spec: kontrat generate"
    failed+=("$spec")
    continue
  fi
  cat >"$dir/tsconfig.json" <<JSON
{
  "compilerOptions": {
    "target": "ES2022",
    "module": "NodeNext",
    "moduleResolution": "NodeNext",
    "lib": ["ES2022", "DOM"],
    "strict": true,
    "exactOptionalPropertyTypes": true,
    "noUncheckedIndexedAccess": true,
    "noEmit": true,
    "skipLibCheck": false,
    "types": []
  },
  "include": ["pkg/*.d.ts"]
}
JSON
  ok=1
  if ! "$tsc" -p "$dir/tsconfig.json" >"$dir/tsc.log" 2>&1; then
    head -40 "$dir/tsc.log"
    echo "FAIL  $spec: tsc ($(grep -c 'error TS' "$dir/tsc.log") errors; $dir/tsc.log)"
    ok=0
  fi
  if ! node "$out/check.mjs" "$dir" >"$dir/node.log" 2>"$dir/node.err"; then
    cat "$dir/node.err"
    echo "FAIL  $spec: node cannot load the package"
    ok=0
  fi
  checked=$((checked + 1))
  if [ "$ok" = 1 ]; then echo "ok    $spec ($(cat "$dir/node.log"))"; sed 's/^/      /' "$dir/node.err"; else failed+=("$spec"); fi
done

echo "$checked packages checked, ${#failed[@]} failed"
[ "${#failed[@]}" = 0 ]
