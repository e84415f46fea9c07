// MSW handlers (msw >= 2, an optional peer dependency): per operation, a handler per
// documented status serving the spec's example, and handlers for the failure paths.

import { http, HttpResponse, delay as sleep } from "msw";

function escapeRegExp(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The request URLs an operation answers: `baseUrl` (default: every origin) + its path. */
function pattern(baseUrl, path) {
  const prefix =
    baseUrl === undefined ? "[a-zA-Z][a-zA-Z0-9+.-]*://[^/?#]*" : escapeRegExp(String(baseUrl).replace(/\/+$/, ""));
  // MSW matches a RegExp against the URL without its query: a literal query a spec wrote
  // into its path (`/pics?view=full`) is left out of the pattern.
  const body = path.replace(/\?.*$/, "").split(/\{[^}]*\}/).map(escapeRegExp).join("[^/?#]+");
  return new RegExp("^" + prefix + body + "(?:[?#].*)?$");
}

function handler(baseUrl, op, options, answer) {
  const method = op.method.toUpperCase();
  return http.all(
    pattern(baseUrl, op.path),
    async ({ request }) => {
      if (request.method !== method) return undefined;
      if (options.delay !== undefined) await sleep(options.delay);
      return answer();
    },
    options.once ? { once: true } : undefined,
  );
}

/** The envelope made live: its status, success flag and timestamp agree with the answer. */
function live(value, roles, status) {
  if (!roles || value === null || typeof value !== "object" || Array.isArray(value)) return value;
  if (roles.success !== undefined) value[roles.success] = status >= 200 && status < 300;
  if (roles.status !== undefined) value[roles.status] = status;
  if (roles.timestamp !== undefined) value[roles.timestamp] = new Date().toISOString();
  return value;
}

function serve(baseUrl, op, res, options) {
  return handler(baseUrl, op, options, () => {
    const status = options.status ?? res.status;
    const headers = new Headers(options.headers);
    if (res.type !== undefined && !headers.has("content-type")) headers.set("content-type", res.type);
    let body = null;
    if (options.body !== undefined) body = res.json ? JSON.stringify(options.body) : options.body;
    else if (res.example !== undefined)
      body = res.json ? JSON.stringify(live(JSON.parse(res.example), res.live, status)) : res.example;
    // fetch forbids a body on 204, 205 and 304, whatever the spec documents.
    if (status === 204 || status === 205 || status === 304) body = null;
    return new HttpResponse(body, { status, headers });
  });
}

function undocumented(baseUrl, op, status, options) {
  return handler(baseUrl, op, options, () =>
    new HttpResponse(options.body ?? "undocumented", {
      status: options.status ?? status,
      headers: { "content-type": "text/plain" },
    }),
  );
}

function malformed(baseUrl, op, status, options) {
  return handler(baseUrl, op, options, () =>
    new HttpResponse(options.body ?? "{ not json", {
      status: options.status ?? status,
      headers: { "content-type": options.contentType ?? "application/json" },
    }),
  );
}

function networkError(baseUrl, op, options) {
  return handler(baseUrl, op, options, () => HttpResponse.error());
}
