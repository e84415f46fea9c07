// Headless Chromium for the browser tests (Debian's package, driven by playwright-core):
// the static site that serves browser/ and the generated package with no build step, a
// port that refuses connections, and the browser itself.
//
// Chromium: $KONTRAT_CHROMIUM, else /usr/bin/chromium. Where it is missing the tests are
// skipped, unless KONTRAT_REQUIRE_BROWSER=1 (CI sets it, and installs Chromium).
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = fileURLToPath(new URL(".", import.meta.url));
const packageDir = `${here}../../../generated/auth-api-ts/`;
export const executablePath = process.env.KONTRAT_CHROMIUM ?? "/usr/bin/chromium";
const required = process.env.KONTRAT_REQUIRE_BROWSER === "1";
/** `false`, or why the browser tests are skipped. */
export const skip = !existsSync(executablePath) && !required ? `no Chromium at ${executablePath}` : false;

/** The page and the package, as a static site would serve them (no build step). */
export function serveSite() {
  const files = {
    "/": [`${here}../browser/index.html`, "text/html; charset=utf-8"],
    "/page.js": [`${here}../browser/page.js`, "text/javascript"],
  };
  const server = createServer((req, res) => {
    const path = new URL(req.url, "http://x").pathname;
    let file = files[path];
    const m = /^\/auth-api\/([a-z-]+\.js)$/.exec(path);
    if (!file && m && existsSync(packageDir + m[1])) file = [packageDir + m[1], "text/javascript"];
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": file[1], "cache-control": "no-store" });
    res.end(readFileSync(file[0]));
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve({ server, url: `http://127.0.0.1:${server.address().port}` })),
  );
}

/** A loopback port that refuses connections (bound, then closed). */
export function closedPort() {
  const server = createServer();
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    }),
  );
}

/** Headless Chromium. */
export function launch() {
  return chromium.launch({
    executablePath,
    // Running as root needs --no-sandbox; the rest keep Chromium off the (closed) network.
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/**
 * Opens browser/index.html calling `api` (the mock, or the proxy in front of it) and
 * waits for its results; `{ page, seen, pageErrors, corsErrors }`.
 */
export async function runPage(browser, site, api) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const pageErrors = [];
  const corsErrors = [];
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  page.on("console", (m) => {
    if (/CORS|Access-Control/i.test(m.text())) corsErrors.push(m.text());
  });
  const dead = `http://127.0.0.1:${await closedPort()}`;
  await page.goto(`${site.url}/?mock=${encodeURIComponent(api)}&dead=${encodeURIComponent(dead)}`);
  await page.waitForFunction(() => window.__kontrat !== undefined, null, { timeout: 60_000 });
  const seen = await page.evaluate(() => window.__kontrat);
  return { page, seen, pageErrors, corsErrors };
}
