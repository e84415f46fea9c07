// The generated client (generated/auth-api-ts) against `kontrat mock`, and against a tiny
// local server for the answers the mock never gives. Run: `node --test` in this folder.
// The mock: KONTRAT_MOCK_URL if set (CI starts it), else this file starts
// `$KONTRAT_BIN mock --port 0` (default ../../target/debug/kontrat) and stops it.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";

import {
  createClient,
  orThrow,
  ResponseError,
  servers,
  validateTokenPair,
  isErrorEnvelope,
} from "../../generated/auth-api-ts/index.js";
import { startMock } from "./support/mock.mjs";

const TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl";
const REFRESH = "3f8c1e0a9b7d4c2e8f6a5b4c3d2e1f0a";
let mockUrl;
let mock;

before(async () => {
  mock = await startMock();
  mockUrl = mock.url;
});

after(() => mock?.stop());

/** A client whose fetch records the Authorization header of every request. */
function recording(options = {}) {
  const seen = [];
  const api = createClient({
    baseUrl: mockUrl,
    token: async () => TOKEN,
    fetch: (request) => {
      seen.push(request.headers.get("authorization"));
      return fetch(request);
    },
    ...options,
  });
  return { api, seen };
}

const calls = {
  logout: (api, headers) => api.logout({ headers }),
  refreshToken: (api, headers) => api.refreshToken({ body: { refreshToken: REFRESH }, headers }),
  revokeRefreshToken: (api, headers) => api.revokeRefreshToken({ body: { refreshToken: REFRESH }, headers }),
};
const secured = { logout: true, refreshToken: false, revokeRefreshToken: true };

describe("every operation × documented status against kontrat mock", () => {
  for (const [name, send] of Object.entries(calls)) {
    for (const status of [200, 400, 401, 403, 404, 409]) {
      test(`${name} ${status}`, async () => {
        const { api, seen } = recording();
        const r = await send(api, { Prefer: `code=${status}` });
        assert.equal(r.status, status, JSON.stringify(r.kind === "invalid-body" ? r.problems : r.kind));
        if (status === 200) {
          assert.equal(r.kind, "ok");
          assert.equal(r.data.isSuccess, true);
          assert.equal(r.data.statusCode, 200);
          if (name === "refreshToken") assert.deepEqual(validateTokenPair(r.data.data), []);
          if (name === "logout") assert.equal(typeof r.data.data.sessionsEnded, "number");
          if (name === "revokeRefreshToken") assert.equal(r.data.data, null);
        } else {
          assert.equal(r.kind, "error");
          assert.equal(r.error.statusCode, status);
          assert.equal(r.error.data, null);
          assert.ok(isErrorEnvelope(r.error));
        }
        assert.ok(r.response instanceof Response);
        // The bearer token goes exactly to the secured operations.
        assert.deepEqual(seen, [secured[name] ? `Bearer ${TOKEN}` : null]);
      });
    }
  }
});

describe("requests", () => {
  test("the validation 400 lists its reasons", async () => {
    const { api } = recording();
    const r = await api.refreshToken({ body: { refreshToken: "short" } });
    assert.equal(r.kind, "error");
    assert.equal(r.status, 400);
    assert.equal(r.error.errors[0], "Validation failed");
    assert.ok(r.error.errors.some((e) => e.includes("refreshToken") && e.includes("16")), r.error.errors.join("; "));
  });

  test("a secured operation without a token gets the documented 401", async () => {
    const { api, seen } = recording({ token: () => undefined });
    const r = await api.logout();
    assert.equal(r.kind, "error");
    assert.equal(r.status, 401);
    assert.deepEqual(seen, [null]);
  });

  test("client headers, onRequest and onResponse", async () => {
    const order = [];
    const api = createClient({
      baseUrl: mockUrl,
      headers: { Prefer: "code=409" },
      onRequest: (request) => void order.push(`request ${request.method} ${new URL(request.url).pathname}`),
      onResponse: (response) => void order.push(`response ${response.status}`),
    });
    const r = await api.refreshToken({ body: { refreshToken: REFRESH } });
    assert.equal(r.status, 409);
    assert.deepEqual(order, ["request POST /api/v1/auth/refresh", "response 409"]);
  });

  test("servers are named by the spec", async () => {
    assert.equal(servers.Development, "https://dev-api.example.com");
    let url;
    const api = createClient({ server: "Development", fetch: async (request) => ((url = request.url), new Response("", { status: 418 })) });
    const r = await api.logout();
    assert.equal(url, "https://dev-api.example.com/api/v1/auth/logout");
    assert.equal(r.kind, "undocumented");
  });

  test("orThrow gives the data or throws a typed error", async () => {
    const { api } = recording();
    const envelope = await api.refreshToken({ body: { refreshToken: REFRESH } }).then(orThrow);
    assert.equal(envelope.statusCode, 200);
    await assert.rejects(
      api.refreshToken({ body: { refreshToken: REFRESH }, headers: { Prefer: "code=409" } }).then(orThrow),
      (e) => e instanceof ResponseError && e.result.kind === "error" && e.result.status === 409,
    );
  });
});

describe("answers the mock never gives", () => {
  let server;
  let base;
  before(async () => {
    server = createServer((req, res) => {
      const route = req.url.split("/").pop();
      const send = (status, type, body) => {
        res.writeHead(status, type ? { "content-type": type } : {});
        res.end(body);
      };
      if (req.url.includes("slow")) return setTimeout(() => send(200, "application/json", "{}"), 2000).unref();
      switch (req.headers["x-case"] ?? route) {
        case "teapot": return send(418, "text/plain", "I'm a teapot");
        case "html": return send(200, "text/html", "<h1>gateway</h1>");
        case "broken": return send(200, "application/json", "{not json");
        case "wrong": return send(200, "application/json", JSON.stringify({ isSuccess: true, statusCode: 200, data: { accessToken: 7, refreshToken: "x", expiresIn: 0, tokenType: "Bearer" }, errors: [], timestamp: "" }));
        case "future": return send(200, "application/json", JSON.stringify({ isSuccess: true, statusCode: 200, data: { accessToken: "a", refreshToken: "0123456789abcdef", expiresIn: 1, tokenType: "DPoP" }, errors: [], timestamp: "" }));
        default: return send(500, "text/plain", "unexpected");
      }
    });
    await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${server.address().port}`;
  });
  after(() => server.close());

  const refresh = (c, headers = {}, extra = {}) =>
    createClient({ baseUrl: base, ...extra }).refreshToken({ body: { refreshToken: REFRESH }, headers: { "x-case": c, ...headers } });

  test("undocumented status", async () => {
    const r = await refresh("teapot");
    assert.equal(r.kind, "undocumented");
    assert.equal(r.status, 418);
    assert.equal(r.body, "I'm a teapot");
  });

  test("wrong content type", async () => {
    const r = await refresh("html");
    assert.equal(r.kind, "invalid-body");
    assert.equal(r.status, 200);
    assert.match(r.problems[0], /content-type: expected application\/json, got text\/html/);
  });

  test("not JSON", async () => {
    const r = await refresh("broken");
    assert.equal(r.kind, "invalid-body");
    assert.equal(r.body, "{not json");
    assert.match(r.problems[0], /^\$: not JSON/);
  });

  test("fails its schema, each problem with its JSON path", async () => {
    const r = await refresh("wrong");
    assert.equal(r.kind, "invalid-body");
    assert.deepEqual(r.problems, [
      "$.data.accessToken: expected a string",
      "$.data.refreshToken: shorter than 16 characters",
      "$.data.expiresIn: must be at least 1",
    ]);
  });

  test("an enum value the server added later passes, unless strictEnums", async () => {
    const r = await refresh("future");
    assert.equal(r.kind, "ok");
    assert.equal(r.data.data.tokenType, "DPoP");
    const strict = await refresh("future", {}, { strictEnums: true });
    assert.equal(strict.kind, "invalid-body");
    assert.deepEqual(strict.problems, ["$.data.tokenType: expected one of Bearer"]);
  });

  test("refused connection", async () => {
    const closed = createServer();
    await new Promise((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = closed.address().port;
    await new Promise((resolve) => closed.close(resolve));
    const r = await createClient({ baseUrl: `http://127.0.0.1:${port}` }).logout();
    assert.equal(r.kind, "network");
    assert.ok(r.cause instanceof Error);
  });

  test("abort", async () => {
    const controller = new AbortController();
    const pending = createClient({ baseUrl: `${base}/slow` }).logout({ signal: controller.signal });
    setTimeout(() => controller.abort(new Error("user left the page")), 50);
    const r = await pending;
    assert.equal(r.kind, "network");
    assert.equal(r.cause.message, "user left the page");
  });

  test("timeout", async () => {
    const r = await createClient({ baseUrl: `${base}/slow`, timeoutMs: 100 }).logout();
    assert.equal(r.kind, "network");
    assert.equal(r.cause.name, "TimeoutError");
  });

  test("a throwing token function is a network result, not a rejection", async () => {
    const r = await createClient({ baseUrl: base, token: () => { throw new Error("no session"); } }).logout();
    assert.equal(r.kind, "network");
    assert.equal(r.cause.message, "no session");
  });
});
