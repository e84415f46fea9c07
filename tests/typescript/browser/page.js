// Runs in the browser as is (no bundler, no build): every scenario calls `kontrat mock`
// through the generated client and records what it saw, as plain JSON in
// window.__kontrat, for browser.test.mjs to assert. Tokens are never recorded, only
// whether an Authorization header was sent and with which scheme.
import { createClient, orThrow, ResponseError } from "./auth-api/index.js";

const params = new URLSearchParams(location.search);
const mock = params.get("mock");
const dead = params.get("dead");
// A well-formed JWT (the mock checks bearerFormat: JWT) with no secret in it.
const TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl";
const REFRESH = "3f8c1e0a9b7d4c2e8f6a5b4c3d2e1f0a";

document.getElementById("page-origin").textContent = location.origin;
document.getElementById("mock-origin").textContent = mock ? new URL(mock).origin : "(none)";

/** What the client put on the wire, recorded by `onRequest`. */
let sent = [];
const onRequest = (request) => {
  const auth = request.headers.get("authorization");
  sent.push({
    method: request.method,
    path: new URL(request.url).pathname,
    authorization: auth === null ? null : `${auth.split(" ")[0]} <redacted>`,
    contentType: request.headers.get("content-type"),
    prefer: request.headers.get("prefer"),
    credentials: request.credentials,
  });
};
const base = { baseUrl: mock, onRequest };
const api = createClient({ ...base, token: async () => TOKEN });
const anonymous = createClient(base);
const withCookies = createClient({ ...base, token: () => TOKEN, credentials: "include" });

/** A call's result as JSON: kind, status and the parts of the body the test reads. */
function summary(r) {
  const out = { kind: r.kind };
  if ("status" in r) out.status = r.status;
  if (r.kind === "ok") {
    out.isSuccess = r.data.isSuccess;
    out.statusCode = r.data.statusCode;
    out.timestamp = r.data.timestamp;
    out.dataKeys = r.data.data && typeof r.data.data === "object" ? Object.keys(r.data.data).sort() : r.data.data;
  } else if (r.kind === "error") {
    out.isSuccess = r.error.isSuccess;
    out.statusCode = r.error.statusCode;
    out.errors = r.error.errors;
  } else if (r.kind === "network") {
    out.cause = r.cause instanceof Error ? r.cause.name : String(r.cause);
  } else {
    out.body = r.body.slice(0, 200);
    if (r.problems) out.problems = r.problems;
  }
  if (r.response) {
    out.contentType = r.response.headers.get("content-type");
    // Set by `kontrat proxy` when the exchange broke the contract (proxy-browser.test.mjs).
    const violations = r.response.headers.get("kontrat-violations");
    if (violations !== null) out.violations = violations;
  }
  return out;
}

const scenarios = {
  "refresh: JSON body, no bearer (public operation)": () =>
    api.refreshToken({ body: { refreshToken: REFRESH } }),
  "logout: bearer from an async token function": () => api.logout(),
  "logout without a token: 401 envelope": () => anonymous.logout(),
  "revokeRefreshToken: bearer and JSON body": () =>
    api.revokeRefreshToken({ body: { refreshToken: REFRESH } }),
  "refresh forced to 409 by Prefer": () =>
    api.refreshToken({ body: { refreshToken: REFRESH }, headers: { Prefer: "code=409" } }),
  "refresh without refreshToken: validation 400": () => api.refreshToken({ body: {} }),
  "logout with credentials: include": () => withCookies.logout(),
  "orThrow on a 409": async () => {
    try {
      await api.logout({ headers: { Prefer: "code=409" } }).then(orThrow);
      return { summary: { kind: "no throw" } };
    } catch (e) {
      return {
        summary: {
          kind: "thrown",
          isResponseError: e instanceof ResponseError,
          status: e.result?.status,
          resultKind: e.result?.kind,
        },
      };
    }
  },
  "refused connection": () =>
    createClient({ baseUrl: dead, onRequest }).refreshToken({ body: { refreshToken: REFRESH } }),
  "timeout (timeoutMs 300, mock delays 5 s)": async () => {
    const started = performance.now();
    const r = await createClient({ ...base, timeoutMs: 300 }).refreshToken({
      body: { refreshToken: REFRESH },
      headers: { Prefer: "delay=5000" },
    });
    return { summary: { ...summary(r), elapsedMs: Math.round(performance.now() - started) } };
  },
  "abort (signal, mock delays 5 s)": async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const started = performance.now();
    const r = await api.refreshToken({
      body: { refreshToken: REFRESH },
      headers: { Prefer: "delay=5000" },
      signal: controller.signal,
    });
    return { summary: { ...summary(r), elapsedMs: Math.round(performance.now() - started) } };
  },
};

const results = {};
const rows = document.getElementById("results");
for (const [name, run] of Object.entries(scenarios)) {
  sent = [];
  let outcome;
  try {
    const r = await run();
    // A scenario returns the client's result, or `{ summary }` when it measured more.
    outcome = r.summary ?? summary(r);
  } catch (e) {
    // The client never rejects: a rejection is a bug this page reports.
    outcome = { kind: "rejected", message: String(e) };
  }
  results[name] = { ...outcome, sent };
  const row = rows.insertRow();
  row.insertCell().textContent = name;
  const kind = row.insertCell();
  kind.textContent = outcome.kind;
  kind.className = outcome.kind === "rejected" ? "fail" : "pass";
  row.insertCell().textContent = outcome.status ?? "";
  const detail = row.insertCell();
  const code = document.createElement("code");
  code.textContent = JSON.stringify({ ...outcome, kind: undefined, status: undefined, sent: sent.map((s) => s.authorization ?? "no auth") });
  detail.append(code);
}
window.__kontrat = { pageOrigin: location.origin, results };
document.getElementById("status").textContent = `done: ${Object.keys(results).length} scenarios`;
