// The playground: fill parameters, credentials and body (prefilled from the examples),
// pick the mock or a server from `servers`, send, and see status, headers, body and, from
// the mock, why it answered so. A mutating operation sent to a production server first
// shows the spec's own warning and waits for confirmation; cancelling sends nothing.

import { announce, copyButton, h, pretty, statusClass, uid } from "./dom.js";
import { renderMarkdown } from "./markdown.js";
import { buildRequest, exampleText } from "./request.js";
import { curlLine } from "./curl.js";
import * as api from "./api.js";

/** Form values by operation id, kept while the page lives (and across reloads). */
const saved = new Map();
/** Credentials by security scheme name, shared by every operation. */
const credentials = {};
let targetIndex = 0;

/** The places a request can go: the mock itself, then the spec's servers. */
function targets(contract) {
  return [
    { name: "This mock", url: location.origin, mock: true, production: false },
    ...contract.servers.map((s) => ({ name: s.description ?? "Server", url: s.url, mock: false, production: s.production })),
  ];
}

function valuesFor(op) {
  if (!saved.has(op.id)) {
    const params = {};
    for (const p of op.parameters) params[`${p.in}:${p.name}`] = exampleText(p.example);
    const example = op.requestBody?.example;
    const body = example === null || example === undefined ? "" : typeof example === "string" ? example : pretty(example);
    saved.set(op.id, { params, body });
  }
  return saved.get(op.id);
}

/** Renders the playground for `opId` (the first operation when unknown) into `container`. */
export function renderPlayground(container, contract, opId) {
  const ops = contract.operations;
  if (ops.length === 0) {
    container.replaceChildren(h("p", {}, "The contract has no operations."));
    return;
  }
  const op = ops.find((o) => o.id === opId) ?? ops[0];
  const places = targets(contract);
  if (targetIndex >= places.length) targetIndex = 0;
  const values = valuesFor(op);

  const opSelect = h(
    "select",
    { id: "pg-operation", onchange: () => { location.hash = `#/playground/${encodeURIComponent(opSelect.value)}`; } },
    ops.map((o) => h("option", { value: o.id, selected: o.id === op.id }, `${o.method} ${o.path}${o.summary ? ` — ${o.summary}` : ""}`)),
  );
  const targetSelect = h(
    "select",
    { id: "pg-target" },
    places.map((t, i) => h("option", { value: String(i), selected: i === targetIndex }, `${t.name} — ${t.url}${t.production ? " (production)" : ""}`)),
  );
  const targetNote = h("p", { class: "hint target-note", id: "pg-target-note" });
  const paintTarget = () => {
    const t = places[targetIndex];
    targetNote.replaceChildren();
    if (t.production) {
      targetNote.append(h("strong", {}, "Production: "), op.mutating ? "this operation changes real data; you will be asked to confirm." : "real data is read.");
    } else if (!t.mock) {
      targetNote.append("The server must allow this page's origin (CORS) for the browser to show its answer.");
    } else {
      targetNote.append("The mock answers from the contract and says why.");
    }
  };
  targetSelect.addEventListener("change", () => {
    targetIndex = Number(targetSelect.value);
    paintTarget();
    paintCurl();
  });
  paintTarget();

  const fields = [];
  const credentialFields = authorization(contract, op);
  const paramFields = op.parameters.map((p) => parameterField(p, values));
  fields.push(h("div", { class: "row" }, field("Operation", opSelect), field("Send to", targetSelect, targetNote)));
  if (credentialFields) fields.push(credentialFields);
  if (paramFields.length) fields.push(h("fieldset", {}, h("legend", {}, "Parameters"), paramFields));
  let bodyArea = null;
  if (op.requestBody) {
    bodyArea = h("textarea", { id: "pg-body", rows: "8", spellcheck: "false", autocomplete: "off", value: values.body });
    bodyArea.addEventListener("input", () => {
      values.body = bodyArea.value;
    });
    const resetBody = h(
      "button",
      {
        type: "button",
        onclick: () => {
          saved.delete(op.id);
          bodyArea.value = valuesFor(op).body;
          Object.assign(values, valuesFor(op));
          paintCurl();
        },
      },
      "Reset to the example",
    );
    fields.push(
      h(
        "div",
        { class: "field" },
        h("label", { for: "pg-body" }, `Request body (${op.requestBody.mediaType ?? "no content type"})${op.requestBody.required ? ", required" : ""}`),
        bodyArea,
        h("div", { class: "actions" }, resetBody),
      ),
    );
  }

  const sendButton = h("button", { type: "submit", class: "primary" }, "Send");
  const curlCode = h("code", { id: "pg-curl" });
  const result = h("section", { class: "result", "aria-labelledby": "pg-result-title", hidden: true });
  const form = h(
    "form",
    { class: "playground", "aria-labelledby": "pg-title", novalidate: true },
    h("h2", { id: "pg-title" }, "Playground"),
    fields,
    h("div", { class: "actions" }, sendButton),
    h("details", { class: "curl" }, h("summary", {}, "This request as curl"), h("div", { class: "code" }, h("pre", {}, curlCode), copyButton(curlCode, "Copy this request as curl"))),
  );
  function current() {
    return buildRequest(op, contract.securitySchemes, { params: values.params, credentials, body: bodyArea ? bodyArea.value : "" }, places[targetIndex].url);
  }
  function paintCurl() {
    curlCode.textContent = curlLine(current());
  }
  form.addEventListener("input", paintCurl);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const target = places[targetIndex];
    if (target.production && op.mutating && !(await confirmProduction(op, target))) {
      showResult(result, h("p", { class: "result-status", id: "pg-result-title" }, "Not sent: sending to production was cancelled."));
      announce("Not sent");
      return;
    }
    sendButton.disabled = true;
    try {
      await send(op, current(), target, result);
    } finally {
      sendButton.disabled = false;
    }
  });
  paintCurl();
  container.replaceChildren(form, result);
}

function field(label, control, ...after) {
  const id = control.id || uid("field");
  control.id = id;
  return h("div", { class: "field" }, h("label", { for: id }, label), control, after);
}

function authorization(contract, op) {
  const alternative = op.security.find((alt) => alt.length > 0);
  if (!alternative) return null;
  const optional = op.security.some((alt) => alt.length === 0);
  const inputs = alternative.map((name) => {
    const scheme = contract.securitySchemes[name];
    const hintId = uid("hint");
    const hint = h("div", { class: "hint md", id: hintId }, scheme ? renderMarkdown(scheme.description) : null, scheme ? h("p", {}, scheme.label) : null);
    if (scheme?.kind === "basic") {
      const given = typeof credentials[name] === "object" ? credentials[name] : { user: "", password: "" };
      credentials[name] = given;
      const user = h("input", { type: "text", autocomplete: "off", value: given.user, "aria-describedby": hintId, oninput: () => { given.user = user.value; } });
      const password = h("input", { type: "password", autocomplete: "off", value: given.password, oninput: () => { given.password = password.value; } });
      return [field(`${name} user`, user), field(`${name} password`, password), hint];
    }
    const label = scheme?.kind === "bearer" ? `${name} token` : `${name} value`;
    const input = h("input", {
      type: "text",
      autocomplete: "off",
      spellcheck: "false",
      class: "mono",
      value: typeof credentials[name] === "string" ? credentials[name] : "",
      placeholder: scheme?.kind === "bearer" ? "eyJhbGciOi…" : "",
      "aria-describedby": hintId,
    });
    input.addEventListener("input", () => {
      credentials[name] = input.value;
    });
    return [field(label, input), hint];
  });
  return h("fieldset", {}, h("legend", {}, optional ? "Authorization (optional)" : "Authorization"), inputs);
}

function parameterField(p, values) {
  const key = `${p.in}:${p.name}`;
  const hintId = uid("hint");
  const input = h("input", {
    type: "text",
    autocomplete: "off",
    spellcheck: "false",
    class: "mono",
    value: values.params[key] ?? "",
    required: p.required,
    "aria-describedby": hintId,
  });
  input.addEventListener("input", () => {
    values.params[key] = input.value;
  });
  return h(
    "div",
    {},
    field(`${p.name} (${p.in}${p.required ? ", required" : ""})`, input),
    h("div", { class: "hint", id: hintId }, `${p.type}${p.rules ? `, ${p.rules}` : ""}${p.array ? "; separate items with commas" : ""}`, h("div", { class: "md" }, renderMarkdown(p.description))),
  );
}

/** Asks before a mutating request goes to production; resolves true to send. */
export function confirmProduction(op, target) {
  const dialog = document.getElementById("confirm");
  return new Promise((resolve) => {
    const warningId = uid("warning");
    const cancel = h("button", { type: "button", class: "primary", onclick: () => dialog.close("cancel") }, "Cancel");
    const go = h("button", { type: "button", class: "danger", onclick: () => dialog.close("send") }, "Send to production");
    dialog.replaceChildren(
      h("h2", { id: "confirm-title" }, "Send to production?"),
      h("p", {}, h("code", {}, `${op.method} ${op.path}`), " goes to ", h("code", {}, target.url), ", the production server."),
      h(
        "div",
        { class: "warning", id: warningId, role: "note", "aria-label": "Production warning" },
        h("span", { class: "warning-icon", "aria-hidden": "true" }, "⚠"),
        h("div", { class: "md" }, op.warning ? renderMarkdown([op.warning]) : h("p", {}, "This operation changes data. Use a development server for testing.")),
      ),
      h("div", { class: "dialog-buttons" }, cancel, go),
    );
    dialog.setAttribute("aria-describedby", warningId);
    dialog.returnValue = "";
    dialog.addEventListener("close", () => resolve(dialog.returnValue === "send"), { once: true });
    dialog.showModal();
    cancel.focus();
  });
}

async function send(op, request, target, result) {
  const headers = new Headers();
  for (const [name, value] of request.headers) headers.append(name, value);
  // Asks the mock for the number of its journal entry, to show why it answered so.
  if (target.mock) headers.append("Prefer", "journal");
  const started = performance.now();
  let response;
  try {
    response = await fetch(request.url, {
      method: request.method,
      headers,
      body: request.method === "GET" || request.method === "HEAD" ? undefined : (request.body ?? undefined),
      credentials: target.mock ? "same-origin" : "omit",
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    showResult(
      result,
      h("p", { class: "result-status error", id: "pg-result-title" }, `No answer from ${target.url}: ${error.name}: ${error.message}`),
      h("p", { class: "hint" }, "The server may be unreachable from here, or it does not allow requests from this page's origin (CORS)."),
    );
    announce("No answer");
    return;
  }
  const text = await response.text();
  const elapsed = Math.round(performance.now() - started);
  let body = text;
  try {
    body = pretty(JSON.parse(text));
  } catch {
    // Not JSON: shown as sent.
  }
  const headerRows = [];
  response.headers.forEach((value, name) => headerRows.push(`${name}: ${value}`));
  let why = null;
  const seq = target.mock ? response.headers.get("kontrat-request-seq") : null;
  if (seq) {
    try {
      const entry = await api.request(seq);
      if (entry) why = explain(entry);
    } catch {
      // The journal may have been cleared meanwhile: the answer still shows.
    }
  }
  const statusLine = h(
    "p",
    { class: "result-status", id: "pg-result-title" },
    h("span", { class: statusClass(response.status), "data-testid": "result-status" }, String(response.status)),
    " ",
    response.statusText,
    h("span", { class: "hint" }, ` · ${elapsed} ms · ${request.method} ${request.url}`),
  );
  const bodyCode = h("code", {}, body);
  showResult(
    result,
    statusLine,
    why,
    request.skipped.length ? h("ul", { class: "hint" }, request.skipped.map((s) => h("li", {}, s))) : null,
    h("h3", {}, "Body"),
    body ? h("div", { class: "code" }, h("pre", { class: "body" }, bodyCode), copyButton(bodyCode, "Copy the response body")) : h("p", { class: "hint" }, "No body."),
    h("details", {}, h("summary", {}, `Headers (${headerRows.length})`), h("pre", {}, headerRows.join("\n"))),
  );
  announce(`${response.status} ${response.statusText}`);
}

/** Why the mock answered so: its reason and the problems it found. */
export function explain(entry) {
  return h(
    "div",
    { class: "why" },
    h("h3", {}, "Why the mock answered so"),
    h("p", {}, entry.operation ? h("code", {}, entry.operation) : "No operation", ": ", entry.reason, entry.example !== undefined ? ` (example ${entry.example || "from the spec"})` : ""),
    entry.problems?.length ? h("ul", { class: "problems", "aria-label": "Problems" }, entry.problems.map((p) => h("li", {}, p))) : null,
  );
}

function showResult(result, ...children) {
  result.hidden = false;
  result.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined));
}
