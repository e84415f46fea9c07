// The reference: every operation grouped by tag, as the page this project started from
// shows it (description with its Production warning, security, parameters, body, each
// documented response with its example, curl lines), plus the force controls.

import { copyButton, h, pretty, statusClass, uid } from "./dom.js";
import { renderMarkdown } from "./markdown.js";
import { forceControls, forcedBadge } from "./forced.js";
import { buildRequest, exampleText } from "./request.js";
import { curlLine } from "./curl.js";

/** Operations grouped by their first tag, in order of first appearance. */
export function byTag(operations) {
  const groups = new Map();
  for (const op of operations) {
    const tag = op.tags[0] ?? "Operations";
    if (!groups.has(tag)) groups.set(tag, []);
    groups.get(tag).push(op);
  }
  return groups;
}

/** The id of an operation's section. */
export const anchor = (op) => `op-${op.id}`;

/** The reference view of `contract`; `tryIt(op)` opens the playground on an operation. */
export function renderReference(contract, tryIt) {
  const intro = h(
    "header",
    { class: "intro" },
    h("h1", {}, contract.title, " ", h("span", { class: "version" }, contract.version)),
    h("div", { class: "md" }, renderMarkdown(contract.description)),
    contract.servers.length
      ? h(
          "p",
          { class: "servers" },
          "Servers: ",
          contract.servers.map((s, i) => [
            i ? ", " : "",
            h("strong", {}, s.description ?? "server"),
            " ",
            h("code", {}, s.url),
          ]),
          ". This mock answers at ",
          h("code", {}, location.origin),
          ".",
        )
      : null,
  );
  const sections = [];
  for (const [tag, ops] of byTag(contract.operations)) {
    const headingId = uid("tag");
    sections.push(
      h(
        "section",
        { class: "tag", "aria-labelledby": headingId },
        h("h2", { id: headingId }, tag),
        ops.map((op) => operation(contract, op, tryIt)),
      ),
    );
  }
  return [intro, sections];
}

/** The table of contents beside the reference. */
export function renderToc(contract) {
  const groups = [];
  for (const [tag, ops] of byTag(contract.operations)) {
    groups.push(
      h("h2", {}, tag),
      h(
        "ul",
        {},
        ops.map((op) =>
          h(
            "li",
            {},
            h(
              "a",
              { href: `#/reference/${encodeURIComponent(op.id)}` },
              h("span", { class: `method m-${op.method.toLowerCase()}` }, op.method),
              " ",
              h("span", { class: "toc-name" }, op.summary ?? op.path),
              " ",
              forcedBadge(op.id),
            ),
          ),
        ),
      ),
    );
  }
  return groups;
}

function operation(contract, op, tryIt) {
  const titleId = `${anchor(op)}-title`;
  return h(
    "article",
    { class: "op", id: anchor(op), "aria-labelledby": titleId, tabindex: "-1" },
    h(
      "header",
      { class: "op-head" },
      h(
        "h3",
        { id: titleId },
        h("span", { class: `method m-${op.method.toLowerCase()}` }, op.method),
        " ",
        h("code", { class: "path" }, op.path),
        op.summary ? [" ", h("span", { class: "summary" }, op.summary)] : null,
      ),
      op.deprecated ? h("span", { class: "badge deprecated" }, "deprecated") : null,
      forcedBadge(op.id),
    ),
    op.warning
      ? h(
          "div",
          { class: "warning", role: "note", "aria-label": "Production warning" },
          h("span", { class: "warning-icon", "aria-hidden": "true" }, "⚠"),
          h("div", { class: "md" }, renderMarkdown([op.warning])),
        )
      : null,
    h("div", { class: "md" }, renderMarkdown(op.description)),
    security(contract, op),
    parameters(op),
    requestBody(op),
    responses(op),
    curlLines(contract, op),
    forceControls(op),
    h(
      "p",
      {},
      h("button", { type: "button", class: "primary", onclick: () => tryIt(op) }, `Try ${op.summary ?? op.id} in the playground`),
    ),
  );
}

function security(contract, op) {
  const alternatives = op.security;
  if (alternatives.length === 0) return h("p", { class: "security" }, h("strong", {}, "Authorization: "), "none");
  const optional = alternatives.some((alt) => alt.length === 0);
  return h(
    "div",
    { class: "security" },
    h("h4", {}, "Authorization", optional ? " (optional)" : ""),
    h(
      "ul",
      {},
      alternatives
        .filter((alt) => alt.length > 0)
        .map((alt) =>
          h(
            "li",
            {},
            alt.map((name) => {
              const scheme = contract.securitySchemes[name];
              return h(
                "div",
                {},
                h("code", {}, name),
                " — ",
                scheme ? scheme.label : "unknown scheme",
                scheme ? h("div", { class: "md" }, renderMarkdown(scheme.description)) : null,
              );
            }),
          ),
        ),
    ),
  );
}

function parameters(op) {
  if (op.parameters.length === 0) return null;
  return h(
    "div",
    {},
    h("h4", {}, "Parameters"),
    fieldTable(
      op.parameters.map((p) => ({
        name: p.name,
        where: p.in,
        type: p.type,
        rules: p.rules,
        required: p.required,
        description: p.description,
        example: p.example,
      })),
      true,
    ),
  );
}

function requestBody(op) {
  const body = op.requestBody;
  if (!body) return null;
  return h(
    "div",
    {},
    h("h4", {}, "Request body ", h("code", {}, body.mediaType ?? ""), body.required ? " (required)" : " (optional)"),
    h("div", { class: "md" }, renderMarkdown(body.description)),
    body.fields.length ? fieldTable(body.fields, false) : null,
    body.example !== null && body.example !== undefined
      ? h("div", { class: "example" }, h("h5", {}, "Example"), codeBlock(pretty(body.example), "Copy the request example"))
      : null,
    body.schema ? schemaDetails(body.schema) : null,
  );
}

function fieldTable(rows, withLocation) {
  return h(
    "div",
    { class: "table-wrap" },
    h(
      "table",
      { class: "fields" },
      h(
        "thead",
        {},
        h("tr", {}, h("th", { scope: "col" }, "Name"), withLocation ? h("th", { scope: "col" }, "In") : null, h("th", { scope: "col" }, "Type"), h("th", { scope: "col" }, "Description")),
      ),
      h(
        "tbody",
        {},
        rows.map((row) =>
          h(
            "tr",
            {},
            h("th", { scope: "row" }, h("code", {}, row.name), row.required ? h("span", { class: "required" }, " required") : null),
            withLocation ? h("td", {}, row.where) : null,
            h("td", {}, row.type, row.rules ? h("div", { class: "rules" }, row.rules) : null),
            h(
              "td",
              {},
              h("div", { class: "md" }, renderMarkdown(row.description)),
              row.example !== undefined && row.example !== null ? h("div", { class: "rules" }, "Example: ", h("code", {}, exampleText(row.example))) : null,
            ),
          ),
        ),
      ),
    ),
  );
}

function responses(op) {
  return h(
    "div",
    { class: "responses" },
    h("h4", {}, "Responses"),
    op.responses.map((r) =>
      h(
        "details",
        { class: "response", open: r.success },
        h(
          "summary",
          {},
          h("span", { class: statusClass(r.status) }, r.status),
          " ",
          h("span", { class: "response-description" }, plainDescription(r.description)),
        ),
        r.content.length === 0 ? h("p", { class: "hint" }, "No body.") : null,
        r.content.map((c) =>
          h(
            "div",
            { class: "content" },
            h("p", { class: "media" }, h("code", {}, c.mediaType)),
            c.examples.map((e) =>
              h(
                "div",
                { class: "example" },
                e.name || e.summary ? h("h5", {}, e.name || "Example", e.summary ? ` — ${e.summary}` : "") : null,
                codeBlock(pretty(e.value), `Copy the ${r.status} example`),
              ),
            ),
            c.schema ? schemaDetails(c.schema) : null,
          ),
        ),
      ),
    ),
  );
}

/** A response description on one line (its Markdown's text). */
function plainDescription(nodes) {
  const fragment = renderMarkdown(nodes);
  return fragment.textContent ?? "";
}

/** A closed "JSON Schema" disclosure; its text is made when first opened (most never are,
 * and there is one per body). */
function schemaDetails(schema) {
  const details = h("details", { class: "schema" }, h("summary", {}, "JSON Schema"));
  details.addEventListener(
    "toggle",
    () => {
      if (details.open && details.childElementCount === 1) details.append(h("pre", {}, h("code", {}, pretty(schema))));
    },
  );
  return details;
}

function codeBlock(text, copyLabel) {
  const code = h("code", {}, text);
  return h("div", { class: "code" }, h("pre", {}, code), copyButton(code, copyLabel));
}

function curlLines(contract, op) {
  const credentials = {};
  for (const alt of op.security) for (const name of alt) credentials[name] = contract.securitySchemes[name]?.kind === "bearer" ? "$TOKEN" : "<credentials>";
  const params = {};
  for (const p of op.parameters) params[`${p.in}:${p.name}`] = exampleText(p.example);
  const values = { params, credentials, body: op.requestBody?.example != null ? JSON.stringify(op.requestBody.example) : "" };
  const targets = [{ name: "This mock", url: location.origin }, ...contract.servers.map((s) => ({ name: s.description ?? s.url, url: s.url, production: s.production }))];
  return h(
    "div",
    { class: "curl" },
    h("h4", {}, "curl"),
    targets.map((t) => {
      const code = h("code", {}, curlLine(buildRequest(op, contract.securitySchemes, values, t.url), "$TOKEN"));
      return h(
        "div",
        { class: "curl-line" },
        h("p", { class: "curl-target" }, t.name, t.production ? h("span", { class: "badge production" }, "production") : null),
        h("div", { class: "code" }, h("pre", {}, code), copyButton(code, `Copy the curl line for ${t.name}`)),
      );
    }),
  );
}
