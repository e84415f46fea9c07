// A request as one curl command line, quoted for POSIX shells.

/** `text` in single quotes, with embedded single quotes closed, escaped and reopened. */
export function shellQuote(text) {
  return `'${String(text).split("'").join(`'\\''`)}'`;
}

/**
 * The curl line of `request` (from buildRequest). `tokenPlaceholder`: a bearer token left
 * as a shell variable (`$TOKEN`), in double quotes so the shell expands it.
 */
export function curlLine(request, tokenPlaceholder) {
  const parts = ["curl", "-X", request.method, shellQuote(request.url)];
  for (const [name, value] of request.headers) {
    if (tokenPlaceholder && name === "Authorization" && value === `Bearer ${tokenPlaceholder}`) {
      parts.push("-H", `"Authorization: Bearer ${tokenPlaceholder}"`);
    } else {
      parts.push("-H", shellQuote(`${name}: ${value}`));
    }
  }
  if (request.body !== null && request.body !== undefined) parts.push("--data-raw", shellQuote(compact(request.body)));
  return parts.join(" ");
}

/** JSON text on one line; anything else unchanged. */
function compact(body) {
  try {
    return JSON.stringify(JSON.parse(body));
  } catch {
    return body;
  }
}
