// The generated MSW handlers (`auth-api/msw`) under `msw/node`, with the generated client:
// every documented status of every operation, overrides, delay and each failure path.
// `auth-api` is generated/auth-api-ts linked by npm; run with NODE_OPTIONS=--preserve-symlinks
// so the package's `import "msw"` resolves to this folder's msw.
import { after, afterEach, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { setupServer } from "msw/node";

import { createClient, isErrorEnvelope } from "auth-api";
import { createHandlers } from "auth-api/msw";

const BASE = "http://api.test";
const handlers = createHandlers({ baseUrl: BASE });
const server = setupServer();
const api = createClient({ baseUrl: BASE, token: "a.b.c" });

before(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
after(() => server.close());

const inputs = {
  logout: {},
  refreshToken: { body: { refreshToken: "3f8c1e0a9b7d4c2e8f6a5b4c3d2e1f0a" } },
  revokeRefreshToken: { body: { refreshToken: "3f8c1e0a9b7d4c2e8f6a5b4c3d2e1f0a" } },
};

describe("every documented status of every operation", () => {
  for (const [op, group] of Object.entries(handlers)) {
    const statuses = Object.keys(group)
      .filter((k) => /^status\d+$/.test(k))
      .map((k) => Number(k.slice(6)));
    assert.ok(statuses.length > 0, `${op} has documented statuses`);
    for (const status of statuses) {
      test(`${op} ${status}`, async () => {
        server.use(group[`status${status}`]());
        const before = Date.now();
        const r = await api[op](inputs[op]);
        assert.equal(r.status, status);
        if (status < 300) {
          assert.equal(r.kind, "ok");
          assert.equal(r.data.isSuccess, true);
          assert.equal(r.data.statusCode, status);
          assert.ok(Date.parse(r.data.timestamp) >= before - 1000, "timestamp is now");
        } else {
          assert.equal(r.kind, "error");
          assert.equal(r.error.isSuccess, false);
          assert.equal(r.error.statusCode, status);
          assert.equal(r.error.data, null);
          assert.ok(r.error.errors.length > 0);
          assert.ok(Date.parse(r.error.timestamp) >= before - 1000, "timestamp is now");
          assert.ok(isErrorEnvelope(r.error), "a valid error envelope");
        }
      });
    }
  }
});

test("the example's data is served", async () => {
  server.use(handlers.refreshToken.status200());
  const r = await api.refreshToken(inputs.refreshToken);
  assert.equal(r.kind, "ok");
  assert.equal(r.data.data.tokenType, "Bearer");
  assert.equal(r.data.data.expiresIn, 900);
});

test("an override body is served as given", async () => {
  const body = {
    isSuccess: true,
    statusCode: 200,
    data: { accessToken: "x.y.z", refreshToken: "r".repeat(32), expiresIn: 60, tokenType: "Bearer" },
    errors: [],
    timestamp: "2030-01-01T00:00:00.000Z",
  };
  server.use(handlers.refreshToken.status200({ body }));
  const r = await api.refreshToken(inputs.refreshToken);
  assert.equal(r.kind, "ok");
  assert.deepEqual(r.data, body);
});

test("delay holds the answer back", async () => {
  server.use(handlers.logout.status200({ delay: 150 }));
  const start = Date.now();
  const r = await api.logout();
  assert.equal(r.kind, "ok");
  assert.ok(Date.now() - start >= 140, `waited ${Date.now() - start} ms`);
});

test("delay past the client's timeout is a network result", async () => {
  server.use(handlers.logout.status200({ delay: 500 }));
  const r = await createClient({ baseUrl: BASE, token: "t", timeoutMs: 50 }).logout();
  assert.equal(r.kind, "network");
});

test("once answers one request only", async () => {
  server.use(handlers.logout.status409({ once: true }), handlers.logout.status200());
  assert.equal((await api.logout()).status, 409);
  assert.equal((await api.logout()).status, 200);
});

test("undocumented status", async () => {
  server.use(handlers.refreshToken.undocumented());
  const r = await api.refreshToken(inputs.refreshToken);
  assert.equal(r.kind, "undocumented");
  assert.equal(r.status, 418);
  assert.equal(r.body, "undocumented");
  server.use(handlers.refreshToken.undocumented({ status: 502, body: "bad gateway" }));
  const r2 = await api.refreshToken(inputs.refreshToken);
  assert.equal(r2.kind, "undocumented");
  assert.equal(r2.status, 502);
  assert.equal(r2.body, "bad gateway");
});

test("malformed body: not JSON", async () => {
  server.use(handlers.refreshToken.malformed());
  const r = await api.refreshToken(inputs.refreshToken);
  assert.equal(r.kind, "invalid-body");
  assert.equal(r.status, 200);
  assert.match(r.problems[0], /^\$: not JSON/);
});

test("malformed body: wrong content type on an error status", async () => {
  server.use(handlers.logout.malformed({ status: 401, contentType: "text/html", body: "<h1>oops</h1>" }));
  const r = await api.logout();
  assert.equal(r.kind, "invalid-body");
  assert.equal(r.status, 401);
  assert.equal(r.body, "<h1>oops</h1>");
  assert.match(r.problems[0], /^content-type: expected application\/json, got text\/html/);
});

test("network error", async () => {
  server.use(handlers.revokeRefreshToken.networkError());
  const r = await api.revokeRefreshToken(inputs.revokeRefreshToken);
  assert.equal(r.kind, "network");
  assert.ok(r.cause !== undefined);
});

test("handlers match only their method, path and base URL", async () => {
  server.use(createHandlers({ baseUrl: "http://other.test" }).logout.status200(), handlers.logout.status401());
  assert.equal((await api.logout()).status, 401);
  server.resetHandlers(createHandlers().logout.status403());
  assert.equal((await api.logout()).status, 403);
});
