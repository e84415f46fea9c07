// The mock's control API, as the dashboard uses it (same origin, JSON).

const BASE = "/__kontrat";

async function call(method, path, body) {
  const init = { method, headers: { accept: "application/json" } };
  if (body !== undefined) {
    init.headers["content-type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch(BASE + path, init);
  if (!response.ok && response.status !== 404) {
    let detail = `${response.status}`;
    try {
      detail = (await response.json()).detail ?? detail;
    } catch {
      // Not a problem document: the status says enough.
    }
    throw new Error(`${method} ${BASE}${path}: ${detail}`);
  }
  if (response.status === 204 || response.status === 404) return null;
  return response.json();
}

/** The contract as the dashboard shows it: a plain fetch, so the page's preload of the
 * same URL (which starts with the page, not after the scripts) answers the first one. */
export async function contract() {
  const response = await fetch(`${BASE}/contract`);
  if (!response.ok) throw new Error(`GET ${BASE}/contract: ${response.status}`);
  return response.json();
}
/** Forces `operation` to answer `forced` ({status, example}). */
export const force = (operation, forced) => call("PUT", `/force/${encodeURIComponent(operation)}`, forced);
/** Back to normal answers for `operation`. */
export const unforce = (operation) => call("DELETE", `/force/${encodeURIComponent(operation)}`);
/** Back to normal answers everywhere. */
export const unforceAll = () => call("DELETE", "/force");
/** Forgets the recorded requests. */
export const clearRequests = () => call("DELETE", "/requests");
/** One recorded request by its number, or null when no longer kept. */
export const request = (seq) => call("GET", `/requests/${encodeURIComponent(seq)}`);

/**
 * Follows the mock's server-sent events; `on` maps event names (request, cleared, forced,
 * contract) to handlers of their parsed data, and `onState(text)` hears the connection's
 * state. EventSource reconnects by itself and resumes from the last request seen.
 */
export function follow(on, onState) {
  const source = new EventSource(`${BASE}/events`);
  for (const [name, handler] of Object.entries(on)) {
    source.addEventListener(name, (event) => {
      let data;
      try {
        data = JSON.parse(event.data);
      } catch {
        return;
      }
      handler(data);
    });
  }
  source.addEventListener("open", () => onState("live"));
  source.addEventListener("error", () => onState(source.readyState === EventSource.CLOSED ? "disconnected" : "reconnecting"));
  return source;
}
