// The live request log: each request as the mock's events report it (operation, status,
// why that answer, validation problems), newest first, filtered by operation, clearable.

import { h, statusClass } from "./dom.js";
import * as api from "./api.js";

/** Entries kept in the page; the mock keeps its own (GET /__kontrat/requests). */
const KEEP = 500;
const entries = [];
let list = null;
let filter = "";
let counter = null;
let onCount = () => {};

/** Builds the log view into `container`; `countChanged(n)` hears the number of entries. */
export function renderLog(container, operations, countChanged) {
  onCount = countChanged;
  const select = h(
    "select",
    { id: "log-filter" },
    h("option", { value: "" }, "All requests"),
    operations.map((op) => h("option", { value: op.id }, op.id)),
    h("option", { value: "-" }, "No operation (undocumented)"),
  );
  select.value = [...select.options].some((o) => o.value === filter) ? filter : "";
  filter = select.value;
  select.addEventListener("change", () => {
    filter = select.value;
    redraw();
  });
  const clear = h(
    "button",
    {
      type: "button",
      onclick: async () => {
        await api.clearRequests();
        clearEntries();
      },
    },
    "Clear the log",
  );
  counter = h("p", { class: "hint", id: "log-shown" });
  list = h("ol", { class: "log", role: "log", "aria-label": "Requests, newest first", reversed: true });
  container.replaceChildren(
    h("h2", {}, "Request log"),
    h(
      "div",
      { class: "toolbar" },
      h("div", { class: "field inline" }, h("label", { for: "log-filter" }, "Operation"), select),
      clear,
      counter,
    ),
    list,
  );
  redraw();
}

/** A request the mock answered. */
export function addEntry(entry) {
  entries.push(entry);
  if (entries.length > KEEP) entries.shift();
  if (list && matches(entry)) {
    list.prepend(item(entry));
    while (list.childElementCount > KEEP) list.lastElementChild.remove();
  }
  paintCount();
}

/** The mock's journal was cleared. */
export function clearEntries() {
  entries.length = 0;
  redraw();
}

function matches(entry) {
  if (filter === "") return true;
  if (filter === "-") return !entry.operation;
  return entry.operation === filter;
}

function redraw() {
  if (!list) return;
  list.replaceChildren(...entries.filter(matches).reverse().map(item));
  paintCount();
}

function paintCount() {
  const shown = entries.filter(matches).length;
  const total = `${entries.length} ${entries.length === 1 ? "request" : "requests"}`;
  if (counter) counter.textContent = filter === "" ? total : `${shown} of ${total}`;
  onCount(entries.length);
}

function item(e) {
  const time = e.at.length >= 23 ? e.at.slice(11, 23) : e.at;
  return h(
    "li",
    { class: "entry", "data-seq": e.seq },
    h(
      "div",
      { class: "entry-head" },
      h("span", { class: statusClass(e.status) }, String(e.status)),
      " ",
      h("span", { class: `method m-${e.method.toLowerCase()}` }, e.method),
      " ",
      h("code", { class: "path" }, e.path + (e.query ? `?${e.query}` : "")),
      " ",
      e.operation ? h("span", { class: "op-name" }, e.operation) : h("span", { class: "op-name none" }, "no operation"),
      h("time", { datetime: e.at, class: "hint" }, time),
    ),
    h(
      "p",
      { class: "reason" },
      e.reason,
      e.example !== undefined ? ` · example ${e.example || "from the spec"}` : "",
      e.seed !== undefined ? ` · seed ${e.seed}` : "",
      h("span", { class: "hint" }, ` · ${e.micros} µs`),
    ),
    e.problems?.length ? h("ul", { class: "problems", "aria-label": "Problems" }, e.problems.map((p) => h("li", {}, p))) : null,
  );
}
