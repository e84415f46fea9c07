// The request/response machinery shared by every operation. No dependencies: global fetch.

/** Thrown by `orThrow` for every result that is not `kind: "ok"`; `result` keeps it whole. */
export class ResponseError extends Error {
  constructor(result) {
    super(
      result.kind === "network"
        ? "network failure: " + String(result.cause)
        : result.kind + " response with status " + result.status,
    );
    this.name = "ResponseError";
    this.result = result;
  }
}

/** The `data` of an `ok` result; throws a `ResponseError` for any other result. */
export function orThrow(result) {
  if (result.kind === "ok") return result.data;
  throw new ResponseError(result);
}

function isJson(mediaType) {
  const essence = mediaType.split(";")[0].trim().toLowerCase();
  return essence === "application/json" || essence.endsWith("+json");
}

function enc(value) {
  return encodeURIComponent(typeof value === "object" && value !== null ? JSON.stringify(value) : String(value));
}

function pathValue(p, value) {
  const prefix = p.style === "label" ? "." : p.style === "matrix" ? ";" + p.name + "=" : "";
  if (Array.isArray(value)) {
    const sep = p.explode ? (p.style === "label" ? "." : p.style === "matrix" ? ";" + p.name + "=" : ",") : ",";
    return prefix + value.map(enc).join(sep);
  }
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value);
    return prefix + (p.explode ? entries.map(([k, v]) => enc(k) + "=" + enc(v)) : entries.map(([k, v]) => enc(k) + "," + enc(v))).join(",");
  }
  return prefix + enc(value);
}

function queryPairs(p, value, out) {
  const name = encodeURIComponent(p.name);
  if (p.json) {
    out.push(name + "=" + encodeURIComponent(JSON.stringify(value)));
  } else if (Array.isArray(value)) {
    if (p.explode && p.style === "form") for (const v of value) out.push(name + "=" + enc(v));
    else out.push(name + "=" + value.map(enc).join(p.style === "spaceDelimited" ? "%20" : p.style === "pipeDelimited" ? "|" : ","));
  } else if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (p.style === "deepObject") for (const [k, v] of entries) out.push(name + "%5B" + encodeURIComponent(k) + "%5D=" + enc(v));
    else if (p.explode) for (const [k, v] of entries) out.push(encodeURIComponent(k) + "=" + enc(v));
    else out.push(name + "=" + entries.map(([k, v]) => enc(k) + "," + enc(v)).join(","));
  } else {
    out.push(name + "=" + enc(value));
  }
}

function headerValue(value) {
  if (Array.isArray(value)) return value.map(String).join(",");
  if (typeof value === "object" && value !== null) return JSON.stringify(value);
  return String(value);
}

async function resolve(value) {
  return typeof value === "function" ? await value() : value;
}

/** Adds the credentials of the first security alternative the client can satisfy. */
async function authorize(client, op, headers, query, cookies) {
  for (const alternative of op.security) {
    const values = [];
    let satisfied = true;
    for (const scheme of alternative) {
      const credential =
        scheme.type === "bearer" ? await resolve(client.token)
        : scheme.type === "basic" ? await resolve(client.basic)
        : scheme.type === "apiKey" ? await resolve(typeof client.apiKey === "object" && client.apiKey !== null ? client.apiKey[scheme.scheme] : client.apiKey)
        : undefined;
      if (credential === undefined || credential === null || credential === "") {
        satisfied = false;
        break;
      }
      values.push([scheme, credential]);
    }
    if (!satisfied) continue;
    for (const [scheme, credential] of values) {
      if (scheme.type === "bearer") headers.set("authorization", "Bearer " + String(credential).replace(/^Bearer\s+/i, ""));
      else if (scheme.type === "basic") headers.set("authorization", "Basic " + btoa(credential.username + ":" + credential.password));
      else if (scheme.in === "header") headers.set(scheme.name, String(credential));
      else if (scheme.in === "query") query.push(encodeURIComponent(scheme.name) + "=" + enc(credential));
      else cookies.push(scheme.name + "=" + enc(credential));
    }
    return;
  }
}

function encodeBody(body, value, headers) {
  if (body.encoding === "json") {
    headers.set("content-type", body.media);
    return JSON.stringify(value);
  }
  if (body.encoding === "form") {
    headers.set("content-type", body.media);
    const pairs = [];
    for (const [k, v] of Object.entries(value ?? {})) {
      if (v === undefined) continue;
      for (const item of Array.isArray(v) ? v : [v]) pairs.push(encodeURIComponent(k) + "=" + enc(item));
    }
    return pairs.join("&");
  }
  if (body.encoding === "multipart") {
    // fetch sets the content type with its boundary.
    const form = new FormData();
    for (const [k, v] of Object.entries(value ?? {})) {
      if (v === undefined) continue;
      for (const item of Array.isArray(v) ? v : [v]) {
        form.append(k, item instanceof Blob ? item : typeof item === "object" && item !== null ? JSON.stringify(item) : String(item));
      }
    }
    return form;
  }
  headers.set("content-type", body.media);
  return body.encoding === "text" ? String(value) : value;
}

function documented(op, status) {
  return (
    op.responses.find((r) => r.status === status) ??
    op.responses.find((r) => r.range === Math.floor(status / 100)) ??
    op.responses.find((r) => r.default)
  );
}

/** Sends one operation; resolves to its result and never rejects. */
export async function call(client, op, input) {
  const args = input ?? {};
  const timeout = client.timeoutMs;
  const controller = new AbortController();
  const signals = [controller.signal];
  if (args.signal) signals.push(args.signal);
  const signal = signals.length === 1 ? signals[0] : AbortSignal.any(signals);
  const timer = timeout === undefined ? undefined : setTimeout(() => controller.abort(new DOMException("timed out after " + timeout + " ms", "TimeoutError")), timeout);
  try {
    let path = op.path;
    const query = [];
    const cookies = [];
    const headers = new Headers();
    for (const [k, v] of Object.entries(client.headers ?? {})) headers.set(k, headerValue(v));
    for (const p of op.params) {
      const group = p.in === "path" ? args.path : p.in === "query" ? args.query : p.in === "header" ? args.headers : args.cookies;
      const value = group?.[p.name];
      if (value === undefined) continue;
      if (p.in === "path") path = path.split("{" + p.name + "}").join(pathValue(p, value));
      else if (p.in === "query") queryPairs(p, value, query);
      else if (p.in === "header") headers.set(p.name, p.json ? JSON.stringify(value) : headerValue(value));
      else cookies.push(p.name + "=" + (p.json ? encodeURIComponent(JSON.stringify(value)) : enc(value)));
    }
    const declared = new Set(op.params.filter((p) => p.in === "header").map((p) => p.name));
    for (const [k, v] of Object.entries(args.headers ?? {})) {
      if (!declared.has(k) && v !== undefined) headers.set(k, headerValue(v));
    }
    await authorize(client, op, headers, query, cookies);
    if (cookies.length > 0) headers.set("cookie", cookies.join("; "));
    if (!headers.has("accept") && op.accept) headers.set("accept", op.accept);
    const init = { method: op.method, headers, signal };
    if (op.body && args.body !== undefined) init.body = encodeBody(op.body, args.body, headers);
    if (client.credentials !== undefined) init.credentials = client.credentials;
    // A path may carry a literal query of its own (`/pics?view=full`): `&` then.
    const sep = path.includes("?") ? "&" : "?";
    const url = client.baseUrl.replace(/\/+$/, "") + path + (query.length > 0 ? sep + query.join("&") : "");
    let request = new Request(url, init);
    if (client.onRequest) request = (await client.onRequest(request)) ?? request;
    let response = await (client.fetch ?? globalThis.fetch)(request);
    if (client.onResponse) response = (await client.onResponse(response, request)) ?? response;
    return await classify(op, response, client.strictEnums === true);
  } catch (cause) {
    return { kind: "network", cause: signal.aborted ? (signal.reason ?? cause) : cause };
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}

async function classify(op, response, strictEnums) {
  const status = response.status;
  const entry = documented(op, status);
  const kind = status >= 200 && status < 300 ? "ok" : "error";
  const slot = kind === "ok" ? "data" : "error";
  if (!entry) return { kind: "undocumented", status, body: await response.text(), response };
  if (entry.content.length === 0) {
    await response.body?.cancel();
    return { kind, status, [slot]: undefined, response };
  }
  const contentType = response.headers.get("content-type") ?? "";
  const essence = contentType.split(";")[0].trim().toLowerCase();
  const media = entry.content.find((m) => (m.json ? isJson(contentType) : (m.type.endsWith("/*") ? essence.startsWith(m.type.slice(0, -1)) : essence === m.type) || m.type.startsWith("*/")));
  if (!media) {
    const body = await response.text();
    const expected = entry.content.map((m) => m.type).join(" or ");
    return { kind: "invalid-body", status, body, problems: ["content-type: expected " + expected + ", got " + (contentType || "none")], response };
  }
  if (media.binary) return { kind, status, [slot]: await response.blob(), response };
  const body = await response.text();
  if (!media.json) return { kind, status, [slot]: body, response };
  let value;
  try {
    value = JSON.parse(body);
  } catch (e) {
    return { kind: "invalid-body", status, body, problems: ["$: not JSON: " + (e instanceof Error ? e.message : String(e))], response };
  }
  if (media.check) {
    const c = { problems: [], strictEnums };
    media.check(value, "$", c);
    if (c.problems.length > 0) return { kind: "invalid-body", status, body, problems: c.problems, response };
  }
  return { kind, status, [slot]: value, response };
}
