// Descriptions from the spec: the mock parses their Markdown (pulldown-cmark) into a tree of
// a few allowed tags; this builds it as DOM nodes. Strings become text nodes, unknown tags
// their text, and links keep only http(s) targets.

const TAGS = new Set(["p", "ul", "ol", "li", "strong", "em", "code", "pre", "blockquote", "br", "a"]);
const MAX_DEPTH = 64;

/** A fragment for a list of Markdown nodes (`[]` gives an empty fragment). */
export function renderMarkdown(nodes) {
  const fragment = document.createDocumentFragment();
  for (const n of Array.isArray(nodes) ? nodes : []) fragment.append(node(n, 0));
  return fragment;
}

function node(n, depth) {
  if (typeof n === "string") return document.createTextNode(n);
  if (!n || typeof n !== "object") return document.createTextNode("");
  const children = Array.isArray(n.c) ? n.c : [];
  if (!TAGS.has(n.t) || depth > MAX_DEPTH) return document.createTextNode(plainText(children));
  const el = document.createElement(n.t);
  if (n.t === "a") {
    if (typeof n.href === "string" && /^https?:\/\//i.test(n.href)) {
      el.href = n.href;
      el.rel = "noopener noreferrer";
      el.target = "_blank";
    } else {
      return document.createTextNode(plainText(children));
    }
  }
  if (n.t === "ol" && Number.isSafeInteger(n.start)) el.start = n.start;
  for (const child of children) el.append(node(child, depth + 1));
  return el;
}

/** The text of Markdown nodes. */
export function plainText(nodes) {
  const list = Array.isArray(nodes) ? nodes : [nodes];
  let out = "";
  for (const n of list) {
    if (typeof n === "string") out += n;
    else if (n && typeof n === "object") out += plainText(Array.isArray(n.c) ? n.c : []);
  }
  return out;
}
