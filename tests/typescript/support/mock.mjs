// `kontrat mock` for the tests in this folder: KONTRAT_MOCK_URL when set (CI starts one),
// else `$KONTRAT_BIN mock --port 0` (default ../../target/debug/kontrat), started once per
// test file and stopped with `stop()`.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));

/** Resolves to `{ url, stop }` for a running mock serving the embedded spec. */
export async function startMock() {
  if (process.env.KONTRAT_MOCK_URL) return { url: process.env.KONTRAT_MOCK_URL, stop() {} };
  return spawnMock();
}

/**
 * A new `kontrat mock --port 0 --quiet` of its own, with `args` added (`--spec FILE`, …),
 * never the shared KONTRAT_MOCK_URL: for tests that need a fresh journal or their spec.
 * Resolves to `{ url, child, stop }` once it prints its URL.
 */
export async function spawnMock(args = []) {
  const bin = process.env.KONTRAT_BIN ?? `${here}../../../target/debug/kontrat`;
  const child = spawn(bin, ["mock", "--port", "0", "--quiet", ...args], { stdio: ["ignore", "ignore", "pipe"] });
  const url = await new Promise((resolve, reject) => {
    let seen = "";
    child.on("error", reject);
    child.on("exit", (code) => reject(new Error(`kontrat mock exited with ${code}: ${seen}`)));
    child.stderr.on("data", (chunk) => {
      seen += chunk;
      const m = /on (http:\/\/[^\s]+)/.exec(seen);
      if (m) resolve(m[1]);
    });
  });
  return { url, child, stop: () => child.kill() };
}
