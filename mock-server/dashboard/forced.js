// Forced answers: per operation, one button per documented status and named example
// (PUT /__kontrat/force/{operationId}), badges while an operation is forced, reset all.
// The mock's `forced` events are the source of truth; every control and badge in the page
// is redrawn from them, whichever client made the change.

import { announce, h } from "./dom.js";
import * as api from "./api.js";

let current = {};

/** The forced answers now (operationId or "*" → {status, example, dynamic, delayMs}). */
export function setForced(map) {
  current = map && typeof map === "object" ? map : {};
  refreshForced();
}

/** What is forced for `operation`, or null. */
export function forcedFor(operation) {
  return current[operation] ?? current["*"] ?? null;
}

/** "409", "409 · expired", "delay 250 ms" … */
export function describeForced(forced) {
  const parts = [];
  if (forced.status !== undefined) parts.push(String(forced.status));
  if (forced.example !== undefined) parts.push(forced.example === "" ? "example" : forced.example);
  if (forced.dynamic) parts.push("dynamic");
  if (forced.delayMs !== undefined) parts.push(`delay ${forced.delayMs} ms`);
  return parts.join(" · ");
}

/** The status a response's key forces: 409 for "409", 400 for "4XX", null for "default". */
function statusNumber(key) {
  if (/^\d{3}$/.test(key)) return Number(key);
  if (/^[1-5]XX$/i.test(key)) return Number(key.charAt(0)) * 100;
  return null;
}

/** A badge showing what is forced for `operation` (hidden while nothing is). */
export function forcedBadge(operation) {
  const badge = h("span", { class: "badge forced", "data-forced-for": operation, hidden: true });
  paintBadge(badge);
  return badge;
}

function paintBadge(badge) {
  const forced = forcedFor(badge.dataset.forcedFor);
  badge.hidden = !forced;
  badge.textContent = forced ? `forced ${describeForced(forced)}` : "";
}

/** The force controls of one operation. */
export function forceControls(op) {
  const choices = [{ label: "Normal", status: null, example: null, name: `Normal answers for ${op.id}` }];
  for (const response of op.responses) {
    const status = statusNumber(response.status);
    if (status === null) continue;
    choices.push({ label: response.status, status, example: null, name: `Force ${response.status} for ${op.id}` });
    const names = new Set();
    for (const content of response.content) for (const e of content.examples) if (e.name) names.add(e.name);
    for (const name of names) {
      choices.push({ label: `${response.status} · ${name}`, status, example: name, name: `Force ${response.status} example ${name} for ${op.id}` });
    }
  }
  const buttons = choices.map((choice) =>
    h(
      "button",
      {
        type: "button",
        class: `force-choice ${choice.status === null ? "" : `s${String(choice.status).charAt(0)}xx`}`,
        "aria-label": choice.name,
        "aria-pressed": "false",
        "data-force-op": op.id,
        "data-status": choice.status ?? "",
        "data-example": choice.example ?? "",
        onclick: () => choose(op.id, choice),
      },
      choice.label,
    ),
  );
  const legend = h("legend", {}, "Force an answer");
  const fieldset = h(
    "fieldset",
    { class: "force" },
    legend,
    h("p", { class: "hint" }, "Every request to this operation gets it, from any client, until set back to Normal."),
    h("div", { class: "choices" }, buttons),
  );
  for (const b of buttons) paintChoice(b);
  return fieldset;
}

async function choose(operation, choice) {
  try {
    if (choice.status === null) {
      await api.unforce(operation);
      delete current[operation];
      announce(`${operation} answers normally`);
    } else {
      const forced = { status: choice.status };
      if (choice.example) forced.example = choice.example;
      await api.force(operation, forced);
      current[operation] = forced;
      announce(`${operation} forced to ${describeForced(forced)}`);
    }
    refreshForced();
  } catch (error) {
    announce(String(error.message ?? error));
  }
}

function paintChoice(button) {
  const forced = current[button.dataset.forceOp];
  const status = button.dataset.status;
  const example = button.dataset.example;
  const pressed = forced
    ? String(forced.status ?? "") === status && (forced.example ?? "") === example
    : status === "";
  button.setAttribute("aria-pressed", String(pressed));
}

/** Reset everything forced. */
export async function resetForced() {
  await api.unforceAll();
  setForced({});
  announce("No answers forced");
}

/** Redraws every badge, control and the header's summary. */
export function refreshForced() {
  for (const badge of document.querySelectorAll("[data-forced-for]")) paintBadge(badge);
  for (const button of document.querySelectorAll("[data-force-op]")) paintChoice(button);
  const count = Object.keys(current).length;
  const summary = document.getElementById("forced-summary");
  const reset = document.getElementById("reset-forced");
  if (summary) summary.textContent = count === 0 ? "" : count === 1 ? "1 operation forced" : `${count} operations forced`;
  if (reset) reset.hidden = count === 0;
}
