// The generated package in headless Chromium (Debian's package, driven by playwright-core):
// browser/index.html, served from one origin, imports generated/auth-api-ts as plain ES
// modules (no bundler) and calls `kontrat mock` on another origin: JSON bodies, bearer,
// `Prefer`, `credentials: "include"`, timeouts and aborts. This test asserts what the page
// saw and saves a screenshot ($KONTRAT_SCREENSHOT_DIR, default ../../target/browser).
//
// Chromium: $KONTRAT_CHROMIUM, else /usr/bin/chromium. Where it is missing the test is
// skipped, unless KONTRAT_REQUIRE_BROWSER=1 (CI sets it, and installs Chromium).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

import { startMock } from "./support/mock.mjs";

const here = fileURLToPath(new URL(".", import.meta.url));
const packageDir = `${here}../../generated/auth-api-ts/`;
const executablePath = process.env.KONTRAT_CHROMIUM ?? "/usr/bin/chromium";
const required = process.env.KONTRAT_REQUIRE_BROWSER === "1";
const skip = !existsSync(executablePath) && !required ? `no Chromium at ${executablePath}` : false;

let mock;
let site;
let browser;

/** The page and the package, as a static site would serve them (no build step). */
function serveSite() {
  const files = {
    "/": [`${here}browser/index.html`, "text/html; charset=utf-8"],
    "/page.js": [`${here}browser/page.js`, "text/javascript"],
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
function closedPort() {
  const server = createServer();
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    }),
  );
}

before(async () => {
  if (skip) return;
  mock = await startMock();
  site = await serveSite();
  browser = await chromium.launch({
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
});

after(async () => {
  await browser?.close();
  site?.server.close();
  mock?.stop();
});

test("the generated package runs in Chromium, cross-origin, against kontrat mock", { skip }, async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const pageErrors = [];
  const corsErrors = [];
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  page.on("console", (m) => {
    if (/CORS|Access-Control/i.test(m.text())) corsErrors.push(m.text());
  });
  const dead = `http://127.0.0.1:${await closedPort()}`;
  const url = `${site.url}/?mock=${encodeURIComponent(mock.url)}&dead=${encodeURIComponent(dead)}`;
  await page.goto(url);
  await page.waitForFunction(() => window.__kontrat !== undefined, null, { timeout: 60_000 });
  const seen = await page.evaluate(() => window.__kontrat);
  const shots = process.env.KONTRAT_SCREENSHOT_DIR ?? `${here}../../target/browser`;
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: `${shots}/auth-api-ts.png`, fullPage: true });

  assert.deepEqual(pageErrors, []);
  assert.deepEqual(corsErrors, [], "the mock's CORS answers let every call through");
  assert.notEqual(seen.pageOrigin, new URL(mock.url).origin, "page and mock are different origins");
  const r = seen.results;
  for (const [name, result] of Object.entries(r)) {
    assert.notEqual(result.kind, "rejected", `${name}: the client rejected: ${result.message}`);
  }

  const refresh = r["refresh: JSON body, no bearer (public operation)"];
  assert.equal(refresh.kind, "ok");
  assert.equal(refresh.status, 200);
  assert.equal(refresh.isSuccess, true);
  assert.equal(refresh.statusCode, 200);
  assert.ok(!Number.isNaN(Date.parse(refresh.timestamp)), refresh.timestamp);
  assert.deepEqual(refresh.dataKeys, ["accessToken", "expiresIn", "refreshToken", "tokenType"]);
  assert.match(refresh.contentType, /^application\/json/);
  assert.deepEqual(refresh.sent.map((s) => [s.method, s.path, s.authorization, s.contentType]), [
    ["POST", "/api/v1/auth/refresh", null, "application/json"],
  ]);

  const logout = r["logout: bearer from an async token function"];
  assert.deepEqual([logout.kind, logout.status, logout.isSuccess], ["ok", 200, true]);
  assert.deepEqual(logout.sent.map((s) => s.authorization), ["Bearer <redacted>"]);

  const anonymous = r["logout without a token: 401 envelope"];
  assert.deepEqual([anonymous.kind, anonymous.status, anonymous.statusCode], ["error", 401, 401]);
  assert.equal(anonymous.isSuccess, false);
  assert.deepEqual(anonymous.sent.map((s) => s.authorization), [null]);

  const revoke = r["revokeRefreshToken: bearer and JSON body"];
  assert.deepEqual([revoke.kind, revoke.status], ["ok", 200]);
  assert.deepEqual(revoke.sent.map((s) => [s.authorization, s.contentType]), [["Bearer <redacted>", "application/json"]]);

  const forced = r["refresh forced to 409 by Prefer"];
  assert.deepEqual([forced.kind, forced.status, forced.statusCode, forced.isSuccess], ["error", 409, 409, false]);
  assert.equal(forced.sent[0].prefer, "code=409");
  assert.ok(forced.errors.length > 0);

  const invalid = r["refresh without refreshToken: validation 400"];
  assert.deepEqual([invalid.kind, invalid.status, invalid.statusCode], ["error", 400, 400]);
  assert.ok(invalid.errors.some((e) => e.includes("refreshToken")), JSON.stringify(invalid.errors));

  const cookies = r["logout with credentials: include"];
  assert.deepEqual([cookies.kind, cookies.status], ["ok", 200]);
  assert.equal(cookies.sent[0].credentials, "include");

  assert.deepEqual(r["orThrow on a 409"], {
    kind: "thrown",
    isResponseError: true,
    status: 409,
    resultKind: "error",
    sent: [r["orThrow on a 409"].sent[0]],
  });

  const refused = r["refused connection"];
  assert.equal(refused.kind, "network");
  assert.equal(refused.cause, "TypeError", "fetch's own failure is the cause");

  const timeout = r["timeout (timeoutMs 300, mock delays 5 s)"];
  assert.equal(timeout.kind, "network");
  assert.equal(timeout.cause, "TimeoutError");
  assert.ok(timeout.elapsedMs < 3000, `gave up after ${timeout.elapsedMs} ms`);

  const aborted = r["abort (signal, mock delays 5 s)"];
  assert.equal(aborted.kind, "network");
  assert.equal(aborted.cause, "AbortError");
  assert.ok(aborted.elapsedMs < 3000, `gave up after ${aborted.elapsedMs} ms`);
});
