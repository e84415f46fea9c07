#!/usr/bin/env node
// The `kontrat` command from npm: finds the package holding this platform's prebuilt
// binary (one of this package's optionalDependencies, which npm installs only where its
// os/cpu/libc match) and runs it with the same arguments, passing signals to it and its
// exit status back.
"use strict";

const { spawn } = require("node:child_process");
const path = require("node:path");
const manifest = require("../package.json");

/** This machine as the platform packages name it: `linux-x64-gnu`, `darwin-arm64`, … */
function platformKey() {
  const base = `${process.platform}-${process.arch}`;
  if (process.platform !== "linux") return base;
  // Node built against glibc reports its version; on musl (Alpine) the field is absent.
  const report = typeof process.report?.getReport === "function" ? process.report.getReport() : {};
  return `${base}-${report.header?.glibcVersionRuntime ? "gnu" : "musl"}`;
}

function fail(lines) {
  process.stderr.write(lines.map((l) => `kontrat: ${l}\n`).join(""));
  process.exit(1);
}

function binaryPath() {
  const key = platformKey();
  const name = `@kontrat/cli-${key}`;
  const supported = Object.keys(manifest.optionalDependencies ?? {}).map((n) => n.replace("@kontrat/cli-", ""));
  if (!supported.includes(key)) {
    fail([
      `no prebuilt binary for this platform (${key}).`,
      `Prebuilt: ${supported.join(", ")}.`,
      "Build it from source instead: cargo install --locked kontrat (needs a Rust toolchain).",
    ]);
  }
  let dir;
  try {
    dir = path.dirname(require.resolve(`${name}/package.json`));
  } catch {
    fail([
      `the package with this platform's binary (${name}) is not installed.`,
      "It is an optional dependency of kontrat: reinstall without --no-optional / --omit=optional,",
      `or add it yourself: npm install ${name}@${manifest.version}`,
    ]);
  }
  return path.join(dir, "bin", process.platform === "win32" ? "kontrat.exe" : "kontrat");
}

const child = spawn(binaryPath(), process.argv.slice(2), { stdio: "inherit" });
const forwarded = ["SIGINT", "SIGTERM", "SIGHUP"];
const forward = (signal) => {
  if (child.exitCode === null && child.signalCode === null) child.kill(signal);
};
for (const signal of forwarded) process.on(signal, forward);
child.on("error", (e) => fail([`could not start ${e.path ?? "the binary"}: ${e.message}`]));
child.on("exit", (code, signal) => {
  for (const s of forwarded) process.off(s, forward);
  if (signal) {
    // Die of the same signal, so a shell or CI sees what the binary saw.
    process.kill(process.pid, signal);
    return;
  }
  process.exit(code ?? 1);
});
