// The generated package in headless Chromium (Debian's package, driven by playwright-core):
// browser/index.html, served from one origin, imports generated/auth-api-ts as plain ES
// modules (no bundler) and calls `kontrat mock` on another origin: JSON bodies, bearer,
// `Prefer`, `credentials: "include"`, timeouts and aborts. This test asserts what the page
// saw and saves a screenshot ($KONTRAT_SCREENSHOT_DIR, default ../../target/browser).
//
// Chromium and the site: support/browser.mjs.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

import { launch, runPage, serveSite, skip } from "./support/browser.mjs";
import { startMock } from "./support/mock.mjs";

const here = fileURLToPath(new URL(".", import.meta.url));

let mock;
let site;
let browser;

before(async () => {
  if (skip) return;
  mock = await startMock();
  site = await serveSite();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  site?.server.close();
  mock?.stop();
});

test("the generated package runs in Chromium, cross-origin, against kontrat mock", { skip }, async () => {
  const { page, seen, pageErrors, corsErrors } = await runPage(browser, site, mock.url);
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
