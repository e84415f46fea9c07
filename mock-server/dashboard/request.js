// The HTTP request an operation makes from what the playground's form holds: the URL with
// path and query parameters, headers, credentials and body. No DOM: the curl lines and the
// playground's send build from the same function.

/**
 * @param op       an operation of the contract view
 * @param schemes  the contract's security schemes by name
 * @param values   { params: {"in:name": text}, credentials: {scheme: text|{user,password}}, body: text }
 * @param base     the server's base URL (no trailing slash needed)
 * @returns        { method, url, headers: [[name, value]], body: text|null, skipped: [why] }
 */
export function buildRequest(op, schemes, values, base) {
  const skipped = [];
  const params = values.params ?? {};
  let path = op.path;
  const query = [];
  const headers = [];
  for (const p of op.parameters) {
    const raw = params[`${p.in}:${p.name}`] ?? "";
    if (raw === "" && !p.required) continue;
    if (p.in === "path") {
      path = path.split(`{${p.name}}`).join(encodeURIComponent(raw));
    } else if (p.in === "query") {
      const items = p.array ? raw.split(",").map((s) => s.trim()) : [raw];
      if (p.array && p.explode) for (const item of items) query.push([p.name, item]);
      else query.push([p.name, items.join(",")]);
    } else if (p.in === "header") {
      headers.push([p.name, raw]);
    } else {
      skipped.push(`${p.in} parameter ${p.name}: browsers do not let a page set cookies on a request`);
    }
  }

  const alternative = op.security.find((alt) => alt.length > 0) ?? [];
  for (const name of alternative) {
    const scheme = schemes[name];
    const given = values.credentials?.[name];
    if (!scheme || given === undefined || given === "") continue;
    if (scheme.kind === "bearer") {
      // The docs say to paste the token without the prefix; one pasted with it still works.
      const token = String(given).trim().replace(/^Bearer\s+/i, "");
      if (token) headers.push(["Authorization", `Bearer ${token}`]);
    } else if (scheme.kind === "basic" && typeof given === "object") {
      const pair = `${given.user ?? ""}:${given.password ?? ""}`;
      headers.push(["Authorization", `Basic ${base64(pair)}`]);
    } else if (scheme.kind === "apiKey" && scheme.in === "header") {
      headers.push([scheme.param, String(given)]);
    } else if (scheme.kind === "apiKey" && scheme.in === "query") {
      query.push([scheme.param, String(given)]);
    } else if (scheme.kind === "apiKey") {
      skipped.push(`API key ${name} goes in a cookie: browsers do not let a page set it`);
    } else {
      headers.push(["Authorization", String(given)]);
    }
  }

  let body = null;
  if (op.requestBody && (values.body ?? "") !== "") {
    body = values.body;
    headers.push(["Content-Type", op.requestBody.mediaType ?? "application/json"]);
  }
  const search = query.length ? `?${new URLSearchParams(query).toString()}` : "";
  return { method: op.method, url: joinUrl(base, path) + search, headers, body, skipped };
}

/** `base` + `path` with exactly one slash between them. */
export function joinUrl(base, path) {
  return `${String(base).replace(/\/+$/, "")}/${String(path).replace(/^\/+/, "")}`;
}

/** Base64 of a string's UTF-8 bytes. */
function base64(text) {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** The text a JSON example shows as in a form field. */
export function exampleText(value) {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.map((v) => (typeof v === "string" ? v : JSON.stringify(v))).join(",");
  return JSON.stringify(value);
}
