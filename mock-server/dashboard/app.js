// The dashboard's entry point: loads the contract, draws the three views (reference,
// playground, log), routes between them by the URL's hash, and follows the mock's events
// (requests, forced answers, reloads of the spec).

import { announce, h } from "./dom.js";
import * as api from "./api.js";
import { anchor, renderReference, renderToc } from "./reference.js";
import { renderPlayground } from "./playground.js";
import { addEntry, clearEntries, renderLog } from "./log.js";
import { resetForced, setForced } from "./forced.js";

const views = {
  reference: document.getElementById("view-reference"),
  playground: document.getElementById("view-playground"),
  log: document.getElementById("view-log"),
};
let contract = null;
let reloads = null;

function drawContract() {
  document.title = `${contract.title} ${contract.version} · kontrat mock`;
  document.getElementById("api-title").textContent = contract.title;
  document.getElementById("api-version").textContent = contract.version;
  views.reference.replaceChildren(...renderReference(contract, (op) => {
    location.hash = `#/playground/${encodeURIComponent(op.id)}`;
  }).flat());
  document.getElementById("toc").replaceChildren(...renderToc(contract));
  renderLog(views.log, contract.operations, (n) => {
    document.getElementById("log-count").textContent = n ? String(n) : "";
  });
  route(false);
}

/** Shows the view the hash names: #/reference[/op], #/playground[/op], #/log. */
function route(moveFocus = true) {
  const [, view = "reference", id = ""] = location.hash.split("/");
  const name = Object.hasOwn(views, view) ? view : "reference";
  const opId = decodeURIComponent(id);
  for (const [key, el] of Object.entries(views)) el.hidden = key !== name;
  for (const link of document.querySelectorAll("nav.views a")) {
    if (link.getAttribute("href") === `#/${name}`) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  document.getElementById("toc").hidden = name !== "reference";
  if (!contract) return;
  if (name === "playground") renderPlayground(views.playground, contract, opId);
  if (!moveFocus) return;
  if (name === "reference" && opId) {
    const target = document.getElementById(anchor({ id: opId }));
    target?.scrollIntoView({ block: "start" });
    target?.focus({ preventScroll: true });
  } else {
    // Focus the new view's first heading, so keyboard and screen-reader users land there.
    const heading = views[name].querySelector("h1, h2");
    if (heading) {
      heading.setAttribute("tabindex", "-1");
      heading.focus();
    }
  }
}

async function reloadContract() {
  try {
    contract = await api.contract();
    drawContract();
  } catch (error) {
    announce(`The contract could not be read: ${error.message}`);
  }
}

/** The spec's reload state: a banner with the located problems while it does not load. */
function showStatus(status) {
  const banner = document.getElementById("reload-error");
  const failure = status.reloadError;
  if (!failure) {
    banner.hidden = true;
    banner.replaceChildren();
  } else {
    banner.hidden = false;
    banner.replaceChildren(
      h("h2", {}, `${failure.file} changed but does not load; the mock still serves the previous contract`),
      h(
        "ul",
        {},
        failure.problems.map((p) =>
          h(
            "li",
            {},
            h("code", { class: "location" }, p.location),
            `: ${p.severity}[${p.code}]: ${p.message}`,
            h("div", { class: "hint" }, `at ${p.pointer}`, p.hint ? ` — hint: ${p.hint}` : ""),
          ),
        ),
      ),
    );
  }
  if (reloads !== null && status.reloads !== reloads) {
    reloadContract().then(() => announce(`The spec changed: ${contract.operations.length} operations now`));
  }
  reloads = status.reloads;
}

function connection(state) {
  const live = document.getElementById("live");
  live.textContent = state === "live" ? "Live" : state === "reconnecting" ? "Reconnecting…" : "Disconnected";
  live.dataset.state = state;
}

async function start() {
  document.getElementById("reset-forced").addEventListener("click", () => resetForced().catch((e) => announce(e.message)));
  window.addEventListener("hashchange", () => route(true));
  contract = await api.contract();
  reloads = contract.status?.reloads ?? 0;
  drawContract();
  showStatus(contract.status ?? { reloads });
  api.follow(
    {
      request: addEntry,
      cleared: clearEntries,
      forced: setForced,
      contract: showStatus,
    },
    connection,
  );
  if (location.hash) route(true);
  document.body.dataset.ready = "true";
  performance.mark("kontrat:interactive");
}

start().catch((error) => {
  const main = document.getElementById("main");
  main.replaceChildren(h("p", { role: "alert" }, `The dashboard could not start: ${error.message}`));
});
