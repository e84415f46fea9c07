// Fills the npm packages from their templates (npm/kontrat, npm/platform) and
// npm/platforms.json. Used by npm/pack.sh here and by the release workflow.
//
//   node npm/fill.mjs key                               → this machine's platform key
//   node npm/fill.mjs launcher VERSION OUT_DIR          → the `kontrat` package
//   node npm/fill.mjs platform KEY VERSION BINARY OUT_DIR → `@kontrat/cli-KEY` with BINARY
import { chmodSync, copyFileSync, cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const platforms = JSON.parse(readFileSync(join(here, "platforms.json"), "utf8"));
const packageName = (key) => `@kontrat/cli-${key}`;

function usage(message) {
  console.error(`fill.mjs: ${message}`);
  console.error("usage: fill.mjs key | launcher VERSION OUT_DIR | platform KEY VERSION BINARY OUT_DIR");
  process.exit(2);
}

function checkVersion(version) {
  if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(version ?? "")) usage(`not a version: ${version}`);
}

function thisKey() {
  const base = `${process.platform}-${process.arch}`;
  if (process.platform !== "linux") return base;
  const report = process.report.getReport();
  return `${base}-${report.header?.glibcVersionRuntime ? "gnu" : "musl"}`;
}

function launcher(version, out) {
  checkVersion(version);
  mkdirSync(out, { recursive: true });
  cpSync(join(here, "kontrat"), out, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(here, "kontrat", "package.json"), "utf8"));
  manifest.version = version;
  // Exact versions: the launcher and the binary come from the same build.
  manifest.optionalDependencies = Object.fromEntries(platforms.map((p) => [packageName(p.key), version]));
  writeFileSync(join(out, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  chmodSync(join(out, "bin", "kontrat.js"), 0o755);
}

function platform(key, version, binary, out) {
  checkVersion(version);
  const p = platforms.find((x) => x.key === key);
  if (!p) usage(`unknown platform ${key}; known: ${platforms.map((x) => x.key).join(", ")}`);
  if (!binary) usage("no binary given");
  mkdirSync(join(out, "bin"), { recursive: true });
  const exe = join(out, "bin", `kontrat${p.exe ?? ""}`);
  copyFileSync(binary, exe);
  chmodSync(exe, 0o755);
  const manifest = {
    name: packageName(key),
    version,
    description: `The prebuilt kontrat binary for ${key} (${p.target}); install \`kontrat\` instead.`,
    license: "MIT OR Apache-2.0",
    os: [p.os],
    cpu: [p.cpu],
    ...(p.libc ? { libc: [p.libc] } : {}),
    files: ["bin/"],
    preferUnplugged: true,
  };
  writeFileSync(join(out, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  const readme = readFileSync(join(here, "platform", "README.md"), "utf8")
    .replaceAll("PLATFORM", key)
    .replaceAll("TARGET", p.target);
  writeFileSync(join(out, "README.md"), readme);
}

const [command, ...args] = process.argv.slice(2);
switch (command) {
  case "key":
    console.log(thisKey());
    break;
  case "launcher":
    if (args.length !== 2) usage("launcher takes VERSION OUT_DIR");
    launcher(...args);
    break;
  case "platform":
    if (args.length !== 4) usage("platform takes KEY VERSION BINARY OUT_DIR");
    platform(...args);
    break;
  default:
    usage(`unknown command ${command ?? "(none)"}`);
}
