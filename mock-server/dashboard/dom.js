// Building elements without ever parsing markup: every string becomes a text node or an
// attribute value, so text from the spec cannot turn into elements or scripts.

/** Properties set as properties (live state), not as attributes. */
const PROPERTIES = new Set(["value", "checked", "disabled", "hidden", "open", "selected"]);

/**
 * An element: `h("button", { type: "button", onclick: f }, "Send")`. Children are nodes,
 * strings (as text), arrays of them, or null/false (skipped).
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") el.className = value;
    else if (key === "text") el.textContent = String(value);
    else if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
    else if (PROPERTIES.has(key)) el[key] = value;
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  append(el, children);
  return el;
}

/** Appends children as `h` takes them. */
export function append(el, children) {
  for (const child of [children].flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

let counter = 0;
/** An id unique in the page, for label/aria wiring. */
export function uid(prefix) {
  counter += 1;
  return `${prefix}-${counter}`;
}

/** A value as indented JSON text. */
export function pretty(value) {
  return JSON.stringify(value, null, 2) ?? "";
}

/** Announces `message` to screen readers through the page's polite status region. */
export function announce(message) {
  const region = document.getElementById("notice");
  if (!region) return;
  region.textContent = "";
  // A separate task, so the same message twice is announced twice.
  setTimeout(() => {
    region.textContent = message;
  }, 50);
}

/** The class of a status code's colour: s2xx, s3xx, s4xx, s5xx. */
export function statusClass(status) {
  const first = String(status).charAt(0);
  return /[1-5]/.test(first) ? `status s${first}xx` : "status";
}

/** A copy button for the text of `source` (an element). */
export function copyButton(source, label) {
  const button = h("button", { type: "button", class: "copy", "aria-label": label }, "Copy");
  button.addEventListener("click", async () => {
    const text = source.textContent ?? "";
    try {
      await navigator.clipboard.writeText(text);
      button.textContent = "Copied";
    } catch {
      // No clipboard (an insecure origin): select the text for Ctrl+C instead.
      const range = document.createRange();
      range.selectNodeContents(source);
      const selection = getSelection();
      selection?.removeAllRanges();
      selection?.addRange(range);
      button.textContent = "Selected";
    }
    setTimeout(() => {
      button.textContent = "Copy";
    }, 1500);
  });
  return button;
}
