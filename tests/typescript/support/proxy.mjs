// `kontrat proxy` for the tests in this folder: `$KONTRAT_BIN proxy --target TARGET --port 0`
// (default ../../target/debug/kontrat), stopped with `stop()`.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));

/** Resolves to `{ url, stop }` for a proxy in front of `target`. */
export async function startProxy(target, extra = []) {
  const bin = process.env.KONTRAT_BIN ?? `${here}../../../target/debug/kontrat`;
  const child = spawn(bin, ["proxy", "--target", target, "--port", "0", "--quiet", ...extra], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let seen = "";
  const url = await new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code) => reject(new Error(`kontrat proxy exited with ${code}: ${seen}`)));
    child.stderr.on("data", (chunk) => {
      seen += chunk;
      const m = /^kontrat proxy: (http:\/\/\S+)/m.exec(seen);
      if (m) resolve(m[1]);
    });
  });
  return { url, log: () => seen, stop: () => child.kill() };
}
