// The mock's dashboard (/__kontrat/) in headless Chromium (Debian's package, driven by
// playwright-core): the reference, the playground, forced answers, the live log, hot reload,
// escaping, phone width, dark mode, keyboard use, and the time to interactive. Screenshots go
// to $KONTRAT_DASHBOARD_SHOTS (default ../../target/dashboard) for a person to look at.
//
// Each test file runs in its own process, beside tests that share one mock; this one starts
// its own (`$KONTRAT_BIN mock --spec <a copy of spec/auth.yaml>`), so its log is its own and
// its spec can be rewritten to exercise hot reload.
//
// Chromium: see support/browser.mjs (skipped where missing, unless KONTRAT_REQUIRE_BROWSER=1).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

import { launch, skip } from "./support/browser.mjs";
import { spawnMock } from "./support/mock.mjs";

const here = fileURLToPath(new URL(".", import.meta.url));
const root = `${here}../../`;
const bin = process.env.KONTRAT_BIN ?? `${root}target/debug/kontrat`;
const shots = process.env.KONTRAT_DASHBOARD_SHOTS ?? `${root}target/dashboard`;
const run = promisify(execFile);

/** The budget: the page is interactive this soon after navigation starts. */
const INTERACTIVE_MS = 300;

const authSpec = readFileSync(`${root}spec/auth.yaml`, "utf8");
const dir = mkdtempSync(join(tmpdir(), "kontrat-dashboard-"));
const specPath = join(dir, "auth.yaml");
const hostilePath = join(dir, "hostile.yaml");

/** A spec whose every text is markup or script; none of it may run or become elements. */
const HOSTILE = `openapi: 3.0.3
info:
  title: "<img src=x onerror=window.__pwned=1>"
  version: "1"
  description: "Intro <script>window.__pwned = 2</script> **bold** [docs](https://docs.example.com) [js](javascript:window.__pwned=3)"
servers:
  - url: https://prod.example.com
    description: Production
paths:
  /things:
    post:
      operationId: makeThing
      tags: ["<i>tag</i>"]
      summary: "<b>bold</b> summary"
      description: |-
        **Production warning:** <img src=x onerror=window.__pwned=4>

        <script>window.__pwned = 5</script>
      responses:
        '201':
          description: "<i>made</i>"
          content:
            application/json:
              example: {html: "<script>window.__pwned = 6</script>"}
`;

let mock;
let hostile;
let browser;
let site;

/** `kontrat mock` serving `spec` (watched: it reloads when the file changes). */
const startMock = (spec) => spawnMock(["--spec", spec]);

/** Another origin's page, from which "another app" calls the mock. */
function serveBlankSite() {
  const server = createServer((req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end("<!doctype html><title>another app</title><p>another app</p>");
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve({ server, url: `http://127.0.0.1:${server.address().port}` })),
  );
}

before(async () => {
  if (skip) return;
  mkdirSync(shots, { recursive: true });
  copyFileSync(`${root}spec/auth.yaml`, specPath);
  writeFileSync(hostilePath, HOSTILE);
  mock = await startMock(specPath);
  hostile = await startMock(hostilePath);
  site = await serveBlankSite();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  site?.server.close();
  mock?.stop();
  hostile?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A dashboard page, loaded and ready; collects page errors and every URL requested. */
async function openDashboard(url = mock.url, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
  const page = await context.newPage();
  page.errors = [];
  page.requested = [];
  page.on("pageerror", (e) => page.errors.push(String(e)));
  page.on("console", (m) => {
    // Chromium logs each 4xx/5xx answer as a console error; the mock's documented errors
    // are answers the tests ask for, not faults of the page.
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource: the server responded with a status of")) {
      page.errors.push(m.text());
    }
  });
  page.on("request", (r) => page.requested.push(r.url()));
  await page.goto(`${url}/__kontrat/`);
  await page.waitForSelector("body[data-ready=true]", { timeout: 10_000 });
  await page.waitForSelector("#live[data-state=live]", { timeout: 10_000 });
  return page;
}

async function control(method, path, body) {
  const response = await fetch(`${mock.url}/__kontrat${path}`, {
    method,
    headers: body ? { "content-type": "application/json" } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  return response.status === 204 ? null : response.json();
}

async function shot(page, name, fullPage = false) {
  await page.screenshot({ path: `${shots}/${name}.png`, fullPage });
}

/** Time from navigation start to the dashboard's `kontrat:interactive` mark, in ms. */
function interactiveMs(page) {
  return page.evaluate(() => performance.getEntriesByName("kontrat:interactive")[0]?.startTime ?? Infinity);
}

/** Where a load's time went: the document, each file and the contract, in ms. */
function loadBreakdown(page) {
  return page.evaluate(() => {
    const [nav] = performance.getEntriesByType("navigation");
    const round = (x) => Math.round(x * 10) / 10;
    return {
      document: round(nav.responseEnd),
      domInteractive: round(nav.domInteractive),
      resources: performance.getEntriesByType("resource").map((r) => ({
        name: r.name.replace(location.origin, ""),
        start: round(r.startTime),
        end: round(r.responseEnd),
        bytes: r.encodedBodySize,
      })),
    };
  });
}

test("time to interactive: measured over fresh loads and written to timing.json", { skip }, async (t) => {
  // A browser already running (warmed on another site), the dashboard not yet cached: what
  // a developer opening the URL gets. Seven fresh loads and a reload; the median is the
  // figure. It is written down (timing.json, and the test's diagnostics), not asserted:
  // other builds share this machine's cores, and a timing assertion would fail CI for them.
  // The budget (issue #16) is INTERACTIVE_MS; the README gives the figures measured.
  const loads = [];
  const runs = 7;
  for (let i = 0; i < runs; i += 1) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(site.url);
    await page.goto(`${mock.url}/__kontrat/`);
    await page.waitForSelector("body[data-ready=true]");
    loads.push({ interactive: await interactiveMs(page), breakdown: await loadBreakdown(page) });
    if (i === runs - 1) {
      await page.reload();
      await page.waitForSelector("body[data-ready=true]");
      loads.push({ reload: true, interactive: await interactiveMs(page), breakdown: await loadBreakdown(page) });
    }
    await context.close();
  }
  const fresh = loads.filter((l) => !l.reload).map((l) => Math.round(l.interactive)).sort((a, b) => a - b);
  const median = fresh[Math.floor(fresh.length / 2)];
  const reload = Math.round(loads.at(-1).interactive);
  const figures = { budgetMs: INTERACTIVE_MS, median, min: fresh[0], max: fresh.at(-1), reload, fresh, binary: bin, loads };
  writeFileSync(`${shots}/timing.json`, `${JSON.stringify(figures, null, 2)}\n`);
  t.diagnostic(`time to interactive: median ${median} ms of ${runs} fresh loads (${fresh.join(", ")}), reload ${reload} ms; budget ${INTERACTIVE_MS} ms`);
  // Only that the page becomes interactive at all, and its mark is where the page sets it.
  assert.ok(fresh.every(Number.isFinite), `every load set the kontrat:interactive mark: ${fresh.join(", ")}`);
});

test("the reference lists the three auth operations, their five error statuses and the Production warning", { skip }, async () => {
  const page = await openDashboard();
  assert.equal(await page.title(), "Auth API 1.0.0 · kontrat mock");
  const expected = [
    ["logout", "POST", "/api/v1/auth/logout", "Çıkış yap"],
    ["refreshToken", "POST", "/api/v1/auth/refresh", "Access token yenile"],
    ["revokeRefreshToken", "POST", "/api/v1/auth/revoke", "Refresh token iptal et"],
  ];
  assert.equal(await page.locator("article.op").count(), 3);
  for (const [id, method, path, summary] of expected) {
    const op = page.locator(`#op-${id}`);
    const heading = op.getByRole("heading", { level: 3 });
    assert.equal(await heading.textContent(), `${method} ${path} ${summary}`);
    const statuses = await op.locator("details.response > summary .status").allInnerTexts();
    assert.deepEqual(statuses, ["200", "400", "401", "403", "404", "409"], id);
    const warning = op.getByRole("note", { name: "Production warning" });
    assert.ok(await warning.isVisible(), `${id}: the warning shows`);
    assert.match(await warning.innerText(), /^⚠\s*Production uyarisi: Bu endpoint veri degistirir/);
    assert.equal(await warning.locator("strong").innerText(), "Production uyarisi:");
  }
  const logout = page.locator("#op-logout");
  assert.match(await logout.locator(".security").innerText(), /JWT-auth — HTTP bearer \(JWT\)[\s\S]*Paste the JWT access token without the Bearer prefix\./);
  assert.match(await page.locator("#op-refreshToken .security").innerText(), /Authorization: none/);

  // Each error body as documented, one click away.
  const conflict = logout.locator("details.response", { hasText: "409" });
  await conflict.locator(":scope > summary").click();
  const body = JSON.parse(await conflict.locator("pre").first().innerText());
  assert.deepEqual(body.errors, ["Resource already exists or cannot be changed in its current state"]);
  assert.equal(body.statusCode, 409);

  // A curl line for the mock and each server; the mock's one works as printed.
  const curl = await page.locator("#op-refreshToken .curl-line").allInnerTexts();
  assert.equal(curl.length, 3);
  assert.match(curl[0], /^This mock\n/);
  assert.match(curl[1], /^Production\s*production\n[\s\S]*'https:\/\/api\.example\.com\/api\/v1\/auth\/refresh'/);
  assert.match(curl[2], /^Development\n[\s\S]*'https:\/\/dev-api\.example\.com\/api\/v1\/auth\/refresh'/);
  const mockLine = await page.locator("#op-refreshToken .curl-line code").first().innerText();
  assert.equal(
    mockLine,
    `curl -X POST '${mock.url}/api/v1/auth/refresh' -H 'Content-Type: application/json' --data-raw '{"refreshToken":"3f8c1e0a9b7d4c2e8f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c"}'`,
  );
  const { stdout } = await run("sh", ["-c", `${mockLine} -s -w ' %{http_code}'`]);
  assert.match(stdout, / 200$/, stdout);
  assert.match(await page.locator("#op-logout .curl-line code").first().innerText(), /-H "Authorization: Bearer \$TOKEN"/);

  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, "reference");
  await shot(page, "reference-full", true);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("the playground sends a refresh to the mock and shows 200, and why the mock answered so", { skip }, async () => {
  const page = await openDashboard();
  await page.getByRole("button", { name: "Try Access token yenile in the playground" }).click();
  await page.waitForSelector("#pg-operation");
  assert.equal(await page.locator("#pg-operation").inputValue(), "refreshToken");
  assert.equal(await page.getByLabel("Send to").inputValue(), "0");
  const body = page.getByLabel(/^Request body/);
  assert.deepEqual(JSON.parse(await body.inputValue()), { refreshToken: "3f8c1e0a9b7d4c2e8f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c" });

  await page.getByRole("button", { name: "Send", exact: true }).click();
  const status = page.locator("[data-testid=result-status]");
  await status.waitFor();
  assert.equal(await status.innerText(), "200");
  const why = page.locator(".why");
  await why.waitFor();
  assert.match(await why.innerText(), /refreshToken: lowest documented 2xx/);
  const answer = JSON.parse(await page.locator("pre.body").innerText());
  assert.equal(answer.isSuccess, true);
  assert.equal(answer.data.tokenType, "Bearer");
  await shot(page, "playground");

  // A body that breaks the contract: the 400 and the problems the mock found.
  await body.fill('{"refreshToken": "short"}');
  await page.getByRole("button", { name: "Send", exact: true }).focus();
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.querySelector("[data-testid=result-status]")?.textContent === "400");
  const problems = await page.locator(".why .problems li").allInnerTexts();
  assert.equal(problems.length, 1);
  assert.match(problems[0], /refreshToken/);
  assert.match(await page.locator(".why").innerText(), /request breaks the contract \(1 problem\)/);
  await shot(page, "playground-invalid");
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("forcing 409 on refresh makes another page's request get 409 until reset", { skip }, async () => {
  const page = await openDashboard();
  const other = await (await browser.newContext()).newPage();
  await other.goto(site.url);
  const refreshFromOtherApp = () =>
    other.evaluate(async (mockUrl) => {
      const r = await fetch(`${mockUrl}/api/v1/auth/refresh`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ refreshToken: "3f8c1e0a9b7d4c2e8f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c" }),
      });
      return [r.status, (await r.json()).errors];
    }, mock.url);
  assert.equal((await refreshFromOtherApp())[0], 200);

  const op = page.locator("#op-refreshToken");
  const force409 = page.getByRole("button", { name: "Force 409 for refreshToken", exact: true });
  await force409.click();
  await op.locator(".badge.forced").waitFor({ state: "visible" });
  assert.equal(await op.locator(".badge.forced").innerText(), "forced 409");
  assert.equal(await force409.getAttribute("aria-pressed"), "true");
  assert.equal(await page.locator("#forced-summary").innerText(), "1 operation forced");
  assert.deepEqual(await control("GET", "/force"), { refreshToken: { status: 409 } });

  const [status, errors] = await refreshFromOtherApp();
  assert.equal(status, 409);
  assert.deepEqual(errors, ["Resource already exists or cannot be changed in its current state"]);
  await page.locator("#toc").scrollIntoViewIfNeeded();
  await op.scrollIntoViewIfNeeded();
  await shot(page, "forced");

  // A change made elsewhere (curl, another dashboard) shows here too.
  await control("PUT", "/force/logout", { status: 401 });
  await page.locator("#op-logout .badge.forced").waitFor({ state: "visible" });
  assert.equal(await page.locator("#forced-summary").innerText(), "2 operations forced");

  await page.getByRole("button", { name: "Reset forced answers" }).click();
  await op.locator(".badge.forced").waitFor({ state: "hidden" });
  assert.deepEqual(await control("GET", "/force"), {});
  assert.equal((await refreshFromOtherApp())[0], 200);
  assert.equal(await page.getByRole("button", { name: "Normal answers for refreshToken" }).getAttribute("aria-pressed"), "true");
  assert.deepEqual(page.errors, []);
  await other.context().close();
  await page.context().close();
});

test("a mutating request to Production waits for confirmation; cancelling sends nothing", { skip }, async () => {
  await control("POST", "/reset");
  const page = await openDashboard();
  const attempts = [];
  await page.context().route("https://api.example.com/**", (route) => {
    const request = route.request();
    attempts.push(`${request.method()} ${request.url()}`);
    // Answered here (preflight included): nothing leaves the machine.
    return route.fulfill({
      status: request.method() === "OPTIONS" ? 204 : 200,
      headers: {
        "access-control-allow-origin": "*",
        "access-control-allow-methods": "POST",
        "access-control-allow-headers": "authorization, content-type",
        "content-type": "application/json",
      },
      body: request.method() === "OPTIONS" ? "" : '{"from":"production"}',
    });
  });
  await page.goto(`${mock.url}/__kontrat/#/playground/logout`);
  await page.waitForSelector("body[data-ready=true]");
  await page.getByLabel("Send to", { exact: true }).selectOption({ label: "Production — https://api.example.com (production)" });
  assert.match(await page.locator("#pg-target-note").innerText(), /this operation changes real data/);
  await page.getByLabel("JWT-auth token").fill("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln");

  await page.getByRole("button", { name: "Send", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "Send to production?" });
  await dialog.waitFor();
  assert.match(await dialog.getByRole("note", { name: "Production warning" }).innerText(), /Production uyarisi: Bu endpoint veri degistirir/);
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), "Cancel", "Cancel has the focus");
  await shot(page, "production-confirm");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await dialog.waitFor({ state: "hidden" });
  assert.match(await page.locator(".result").innerText(), /Not sent/);

  // Escape cancels as well.
  await page.getByRole("button", { name: "Send", exact: true }).click();
  await dialog.waitFor();
  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "hidden" });

  await page.waitForTimeout(300);
  assert.deepEqual(attempts, [], "nothing went to production");
  assert.deepEqual(await control("GET", "/requests"), [], "the mock's log stays empty");
  assert.ok(!page.requested.some((u) => u.startsWith("https://api.example.com")), page.requested.join("\n"));
  await page.goto(`${mock.url}/__kontrat/#/log`);
  await page.waitForSelector("body[data-ready=true]");
  assert.equal(await page.locator("ol.log li").count(), 0);

  // Confirming sends it, once, with the bearer.
  await page.goto(`${mock.url}/__kontrat/#/playground/logout`);
  await page.waitForSelector("body[data-ready=true]");
  await page.getByLabel("Send to", { exact: true }).selectOption({ label: "Production — https://api.example.com (production)" });
  await page.getByLabel("JWT-auth token").fill("Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln");
  await page.getByRole("button", { name: "Send", exact: true }).click();
  await dialog.getByRole("button", { name: "Send to production" }).click();
  await page.locator("[data-testid=result-status]").waitFor();
  assert.deepEqual(attempts.filter((a) => a.startsWith("POST")), ["POST https://api.example.com/api/v1/auth/logout"]);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("a request made with curl shows in the live log with its reason and problems; filter and clear", { skip }, async () => {
  await control("POST", "/reset");
  const page = await openDashboard();
  await page.goto(`${mock.url}/__kontrat/#/log`);
  await page.waitForSelector("#log-filter");
  await run("curl", ["-s", "-o", "/dev/null", "-X", "POST", `${mock.url}/api/v1/auth/refresh`, "-H", "Content-Type: application/json", "--data-raw", '{"refreshToken":"short"}']);
  await run("curl", ["-s", "-o", "/dev/null", "-X", "POST", `${mock.url}/api/v1/auth/logout`]);
  await run("curl", ["-s", "-o", "/dev/null", `${mock.url}/api/v1/nowhere`]);
  const entries = page.locator("ol.log li.entry");
  await page.waitForFunction(() => document.querySelectorAll("ol.log li.entry").length === 3);
  const [missing, logout, refresh] = await entries.allInnerTexts();
  assert.match(refresh, /^400\s+POST\s+\/api\/v1\/auth\/refresh\s+refreshToken/);
  assert.match(refresh, /request breaks the contract \(1 problem\)/);
  assert.match(await entries.nth(2).locator(".problems li").innerText(), /refreshToken/);
  assert.match(logout, /^401\s+POST\s+\/api\/v1\/auth\/logout\s+logout[\s\S]*credentials missing or malformed/);
  assert.match(missing, /^404\s+GET\s+\/api\/v1\/nowhere\s+no operation[\s\S]*no operation documents GET \/api\/v1\/nowhere/);
  assert.equal(await page.locator("#log-count").innerText(), "3");
  await shot(page, "log");

  const filter = page.locator("#log-filter");
  await filter.selectOption("refreshToken");
  assert.equal(await entries.count(), 1);
  assert.match(await page.locator("#log-shown").innerText(), /1 of 3 requests/);
  await filter.selectOption("-");
  assert.equal(await entries.count(), 1);
  await filter.selectOption("");
  assert.equal(await entries.count(), 3);

  await page.getByRole("button", { name: "Clear the log" }).click();
  await page.waitForFunction(() => document.querySelectorAll("ol.log li.entry").length === 0);
  assert.deepEqual(await control("GET", "/requests"), []);
  await run("curl", ["-s", "-o", "/dev/null", "-X", "POST", `${mock.url}/api/v1/auth/logout`, "-H", "Prefer: code=403"]);
  await page.waitForFunction(() => document.querySelectorAll("ol.log li.entry").length === 1);
  assert.match(await entries.first().innerText(), /403[\s\S]*Prefer: code=403/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("the page follows hot reload: a changed spec refreshes it, an invalid one shows located errors", { skip }, async () => {
  const page = await openDashboard();
  writeFileSync(specPath, authSpec.replace("summary: Çıkış yap", "summary: Çıkış yap (v2)"));
  await page.waitForFunction(() => document.querySelector("#op-logout h3")?.textContent.includes("(v2)"), null, { timeout: 10_000 });

  writeFileSync(specPath, authSpec.replace("$ref: '#/components/responses/Conflict'", "$ref: '#/components/responses/Missing'"));
  const banner = page.getByRole("alert");
  await banner.waitFor({ timeout: 10_000 });
  const text = await banner.innerText();
  assert.match(text, /auth\.yaml changed but does not load; the mock still serves the previous contract/);
  assert.match(text, /auth\.yaml:\d+:\d+: error\[unresolved-ref\]: \$ref `#\/components\/responses\/Missing` does not resolve/);
  assert.ok(await page.locator("#op-logout").isVisible(), "the previous contract stays");
  await shot(page, "reload-error");

  writeFileSync(specPath, authSpec);
  await banner.waitFor({ state: "hidden", timeout: 10_000 });
  await page.waitForFunction(() => !document.querySelector("#op-logout h3")?.textContent.includes("(v2)"));
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("text from the spec renders as text: markup shows, scripts do not run, unsafe links are dropped", { skip }, async () => {
  const page = await openDashboard(hostile.url);
  const dialogs = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    d.dismiss();
  });
  assert.equal(await page.locator("main h1").innerText(), "<img src=x onerror=window.__pwned=1> 1");
  assert.equal(await page.locator("#api-title").innerText(), "<img src=x onerror=window.__pwned=1>");
  assert.match(await page.locator(".intro .md").innerText(), /^Intro <script>window.__pwned = 2<\/script> bold docs js$/);
  assert.equal(await page.locator(".intro .md strong").innerText(), "bold");
  assert.equal(await page.locator(".intro .md a").count(), 1, "only the http(s) link is a link");
  assert.equal(await page.locator(".intro .md a").getAttribute("href"), "https://docs.example.com");
  assert.equal(await page.locator(".tag h2").innerText(), "<i>tag</i>");
  assert.equal(await page.locator("#op-makeThing h3").textContent(), "POST /things <b>bold</b> summary");
  assert.equal(await page.getByRole("note", { name: "Production warning" }).locator(".md").innerText(), "Production warning: <img src=x onerror=window.__pwned=4>");
  assert.match(await page.locator("#op-makeThing > .md").innerText(), /^<script>window.__pwned = 5<\/script>$/);
  assert.match(await page.locator("#op-makeThing details.response summary").innerText(), /201\s+<i>made<\/i>/);
  assert.match(await page.locator("#op-makeThing details.response pre").first().innerText(), /"html": "<script>window.__pwned = 6<\/script>"/);

  const counts = await page.evaluate(() => ({
    scripts: document.querySelectorAll("script").length,
    imgs: document.querySelectorAll("img").length,
    italics: document.querySelectorAll("main i, main b").length,
    pwned: window.__pwned ?? null,
  }));
  assert.deepEqual(counts, { scripts: 1, imgs: 0, italics: 0, pwned: null });
  assert.deepEqual(page.errors, []);
  // The page's policy (Trusted Types) refuses markup from strings altogether.
  const assigned = await page.evaluate(() => {
    try {
      document.createElement("div").innerHTML = "<b>x</b>";
      return "assigned";
    } catch (e) {
      return e.name;
    }
  });
  assert.equal(assigned, "TypeError");
  await page.waitForTimeout(200);
  assert.deepEqual(dialogs, []);
  await shot(page, "escaping");
  await page.context().close();
});

test("at phone width nothing scrolls sideways; in dark mode text keeps its contrast; every control is labelled", { skip }, async () => {
  const phone = await openDashboard(mock.url, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  for (const view of ["reference", "playground/refreshToken", "log"]) {
    await phone.goto(`${mock.url}/__kontrat/#/${view}`);
    await phone.waitForSelector("body[data-ready=true]");
    const width = await phone.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `${view}: ${width}px wide`);
    await shot(phone, `phone-${view.split("/")[0]}`);
  }
  await phone.context().close();

  for (const colorScheme of ["light", "dark"]) {
    const page = await openDashboard(mock.url, { colorScheme });
    const report = await page.evaluate(() => {
      const rgb = (c) => c.match(/[\d.]+/g).slice(0, 3).map(Number);
      const lum = ([r, g, b]) => {
        const f = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
        return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
      };
      const contrast = (a, b) => {
        const [x, y] = [lum(rgb(a)), lum(rgb(b))].sort((p, q) => q - p);
        return (x + 0.05) / (y + 0.05);
      };
      /** The first opaque background at or above `el`. */
      const background = (el) => {
        for (let e = el; e; e = e.parentElement) {
          const c = getComputedStyle(e).backgroundColor;
          if (!/rgba\(.*,\s*0\)$/.test(c) && c !== "transparent") return c;
        }
        return getComputedStyle(document.documentElement).backgroundColor;
      };
      const samples = {};
      for (const selector of ["main p", ".hint", ".warning .md", ".method", ".status.s4xx", ".status.s2xx", ".views a[aria-current]", ".rules", "button.primary", ".badge", "code"]) {
        const el = document.querySelector(selector);
        if (el) samples[selector] = Math.round(contrast(getComputedStyle(el).color, background(el)) * 100) / 100;
      }
      return { page: lum(rgb(getComputedStyle(document.documentElement).backgroundColor)), samples };
    });
    if (colorScheme === "dark") assert.ok(report.page < 0.05, `dark background, luminance ${report.page}`);
    else assert.ok(report.page > 0.9, `light background, luminance ${report.page}`);
    for (const [selector, ratio] of Object.entries(report.samples)) {
      assert.ok(ratio >= 4.5, `${colorScheme}: ${selector} has contrast ${ratio}`);
    }
    await shot(page, `${colorScheme}-reference`);
    await page.goto(`${mock.url}/__kontrat/#/playground/logout`);
    await page.waitForSelector("#pg-operation");
    await shot(page, `${colorScheme}-playground`);

    // Every control has a name a screen reader can say.
    for (const view of ["reference", "playground/logout", "log"]) {
      await page.goto(`${mock.url}/__kontrat/#/${view}`);
      await page.waitForSelector("body[data-ready=true]");
      const unnamed = await page.evaluate(() =>
        [...document.querySelectorAll("input, select, textarea, button")]
          .filter((el) => el.offsetParent !== null)
          .filter((el) => !(el.labels?.length || el.getAttribute("aria-label") || el.textContent.trim()))
          .map((el) => el.outerHTML.slice(0, 80)),
      );
      assert.deepEqual(unnamed, [], view);
    }
    await page.context().close();
  }
});

test("the keyboard reaches every view, and a view change moves the focus to its heading", { skip }, async () => {
  const page = await openDashboard();
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.textContent), "Skip to the content");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.textContent), "Reference");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => location.hash === "#/playground");
  assert.equal(await page.evaluate(() => document.activeElement.textContent), "Playground");
  assert.equal(await page.locator('nav.views a[aria-current="page"]').innerText(), "Playground");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.id), "pg-operation", "the first control after the heading");
  await page.keyboard.press("Shift+Tab");
  assert.match(await page.evaluate(() => document.activeElement.textContent), /^Log/, "back to the views");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => location.hash === "#/log");
  assert.equal(await page.evaluate(() => document.activeElement.textContent), "Request log");
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
