// `kontrat proxy` between a page in headless Chromium and an implementation (here `kontrat
// mock`): browser/index.html, on a third origin, runs every scenario of browser.test.mjs
// through the proxy. The answers are the target's (CORS included: preflights pass through),
// the requests that break the contract carry a `kontrat-violations` header the page can
// read, and the proxy lists exactly those as request violations. Screenshot:
// $KONTRAT_SCREENSHOT_DIR (default ../../target/browser)/proxy.png.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

import { launch, runPage, serveSite, skip } from "./support/browser.mjs";
import { startMock } from "./support/mock.mjs";
import { startProxy } from "./support/proxy.mjs";

const here = fileURLToPath(new URL(".", import.meta.url));

let mock;
let proxy;
let site;
let browser;

before(async () => {
  if (skip) return;
  mock = await startMock();
  proxy = await startProxy(mock.url);
  site = await serveSite();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  site?.server.close();
  proxy?.stop();
  mock?.stop();
});

test("a page calls an implementation through kontrat proxy in Chromium", { skip }, async () => {
  const { page, seen, pageErrors, corsErrors } = await runPage(browser, site, proxy.url);
  const shots = process.env.KONTRAT_SCREENSHOT_DIR ?? `${here}../../target/browser`;
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: `${shots}/proxy.png`, fullPage: true });

  assert.deepEqual(pageErrors, []);
  assert.deepEqual(corsErrors, [], "the target's CORS answers come through the proxy");
  const r = seen.results;
  const pick = (name, ...keys) => keys.map((k) => r[name][k]);

  // The target's answers, unchanged.
  assert.deepEqual(pick("refresh: JSON body, no bearer (public operation)", "kind", "status", "isSuccess"), ["ok", 200, true]);
  assert.deepEqual(pick("logout: bearer from an async token function", "kind", "status"), ["ok", 200]);
  assert.deepEqual(pick("revokeRefreshToken: bearer and JSON body", "kind", "status"), ["ok", 200]);
  assert.deepEqual(pick("refresh forced to 409 by Prefer", "kind", "status", "statusCode"), ["error", 409, 409]);
  assert.equal(r["refused connection"].kind, "network");
  assert.equal(r["timeout (timeoutMs 300, mock delays 5 s)"].cause, "TimeoutError");

  // Contract-abiding exchanges carry no header; the two that break it do, readable here.
  for (const [name, result] of Object.entries(r)) {
    const broken = ["logout without a token: 401 envelope", "refresh without refreshToken: validation 400"];
    if (broken.includes(name)) {
      assert.match(result.violations ?? "", /^exchange #\d+, see GET \/__kontrat\/violations; request: /, name);
    } else {
      assert.equal(result.violations, undefined, `${name}: ${result.violations}`);
    }
  }
  assert.deepEqual(pick("logout without a token: 401 envelope", "kind", "status"), ["error", 401]);
  assert.match(r["refresh without refreshToken: validation 400"].violations, /refreshToken/);

  const findings = await (await fetch(`${proxy.url}/__kontrat/violations`)).json();
  assert.deepEqual(
    findings.map((f) => [f.side, f.operation]).sort(),
    [["request", "logout"], ["request", "refreshToken"]],
    JSON.stringify(findings, null, 2),
  );
  for (const f of findings) assert.ok(!f.request.includes("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0"), f.request);
  const info = await (await fetch(`${proxy.url}/__kontrat/`)).json();
  assert.equal(info.responseViolations, 0, JSON.stringify(info));
});
