//! Markdown from the spec (descriptions) as a tree the dashboard builds DOM nodes from.
//!
//! Why a tree and not HTML: the page never parses markup that came from the spec. Every
//! string lands as a text node, so a description containing `<script>` shows those
//! characters. Why pulldown-cmark: CommonMark's emphasis, code spans and escapes have
//! corner cases that a hand-written renderer gets wrong. The crate is Rust's maintained
//! CommonMark parser, and without its HTML writer it adds only the parser.
//!
//! What is kept: paragraphs, lists, emphasis, strong, inline code, code blocks, block
//! quotes, hard breaks, and links to http(s) targets (any other link keeps only its text).
//! Headings become strong paragraphs, raw HTML becomes its own text, and an image becomes
//! its alt text.
//!
//! A node is either a string (text) or `{"t": tag, "c": [nodes]}`. An `a` node also has
//! `"href"`, and an `ol` that does not start at 1 has `"start"`.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use serde_json::{Map, Value, json};

/// Nesting beyond this is flattened, so hostile input cannot make deep trees, which are
/// recursive to serialise and to render.
const MAX_DEPTH: usize = 24;

/// An element being built: its tag (`None`: its children go to its parent) and children.
struct Frame {
    tag: Option<&'static str>,
    attrs: Map<String, Value>,
    children: Vec<Value>,
}

/// The top-level blocks of `text`.
pub(crate) fn blocks(text: &str) -> Vec<Value> {
    let mut stack = vec![Frame {
        tag: None,
        attrs: Map::new(),
        children: Vec::new(),
    }];
    for event in Parser::new_ext(text, Options::empty()) {
        match event {
            Event::Start(tag) => {
                let (name, attrs) = if stack.len() > MAX_DEPTH {
                    (None, Map::new())
                } else {
                    element(&tag)
                };
                stack.push(Frame {
                    tag: name,
                    attrs,
                    children: Vec::new(),
                });
            }
            Event::End(end) => {
                if stack.len() < 2 {
                    continue;
                }
                let Some(frame) = stack.pop() else { continue };
                let parent = stack.last_mut().map(|f| &mut f.children);
                let Some(parent) = parent else { continue };
                match frame.tag {
                    Some(tag) => {
                        let mut node = Map::new();
                        node.insert("t".into(), Value::from(tag));
                        let mut children = frame.children;
                        // Raw HTML and code blocks end with their last line's newline.
                        if let Some(Value::String(last)) = children.last_mut() {
                            let kept = last.trim_end_matches('\n').len();
                            last.truncate(kept);
                        }
                        if matches!(end, TagEnd::Heading(_)) {
                            children = vec![json!({"t": "strong", "c": children})];
                        }
                        node.insert("c".into(), Value::Array(children));
                        node.extend(frame.attrs);
                        parent.push(Value::Object(node));
                    }
                    None => {
                        for child in frame.children {
                            push_child(parent, child);
                        }
                    }
                }
            }
            Event::Text(t) | Event::Html(t) | Event::InlineHtml(t) => {
                if let Some(frame) = stack.last_mut() {
                    push_child(&mut frame.children, Value::from(t.as_ref()));
                }
            }
            Event::Code(t) => {
                if let Some(frame) = stack.last_mut() {
                    frame.children.push(json!({"t": "code", "c": [t.as_ref()]}));
                }
            }
            Event::SoftBreak => {
                if let Some(frame) = stack.last_mut() {
                    push_child(&mut frame.children, Value::from(" "));
                }
            }
            Event::HardBreak => {
                if let Some(frame) = stack.last_mut() {
                    frame.children.push(json!({"t": "br", "c": []}));
                }
            }
            // Rules, footnotes, task markers, math: not in the subset (and not enabled).
            _ => {}
        }
    }
    // Unbalanced events cannot happen with pulldown-cmark; fold any open frame anyway.
    while stack.len() > 1 {
        if let Some(frame) = stack.pop()
            && let Some(parent) = stack.last_mut()
        {
            parent.children.extend(frame.children);
        }
    }
    stack.pop().map(|f| f.children).unwrap_or_default()
}

/// The tag a Markdown element becomes, and its attributes.
fn element(tag: &Tag<'_>) -> (Option<&'static str>, Map<String, Value>) {
    let mut attrs = Map::new();
    let name = match tag {
        Tag::Paragraph | Tag::Heading { .. } | Tag::HtmlBlock => Some("p"),
        Tag::BlockQuote(_) => Some("blockquote"),
        Tag::CodeBlock(_) => Some("pre"),
        Tag::List(None) => Some("ul"),
        Tag::List(Some(start)) => {
            if *start != 1 {
                attrs.insert("start".into(), Value::from(*start));
            }
            Some("ol")
        }
        Tag::Item => Some("li"),
        Tag::Emphasis => Some("em"),
        Tag::Strong => Some("strong"),
        Tag::Link { dest_url, .. } if is_web_url(dest_url) => {
            attrs.insert("href".into(), Value::from(dest_url.as_ref()));
            Some("a")
        }
        // Other links, images (their alt text is their children) and anything else:
        // the text stays, the element goes.
        _ => None,
    };
    (name, attrs)
}

/// True for an absolute `http:` or `https:` URL: no `javascript:`, `data:` or relative
/// targets, which could run script or point into the mock itself.
fn is_web_url(url: &str) -> bool {
    let lower = url
        .trim_start()
        .get(..8)
        .unwrap_or(url)
        .to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

/// Appends `child`, merging adjacent text.
fn push_child(children: &mut Vec<Value>, child: Value) {
    if let (Value::String(new), Some(Value::String(last))) = (&child, children.last_mut()) {
        last.push_str(new);
        return;
    }
    children.push(child);
}

/// The text of a node and its descendants.
pub(crate) fn plain(node: &Value) -> String {
    let mut out = String::new();
    collect_text(node, &mut out);
    out
}

fn collect_text(node: &Value, out: &mut String) {
    match node {
        Value::String(s) => out.push_str(s),
        Value::Array(nodes) => {
            for node in nodes {
                collect_text(node, out);
            }
        }
        Value::Object(map) => {
            if let Some(Value::Array(children)) = map.get("c") {
                for child in children {
                    collect_text(child, out);
                }
            }
        }
        _ => {}
    }
}

/// Splits off the block that warns about production (the auth spec's
/// `**Production uyarisi:** …`): a top-level block whose text starts with "production", or
/// whose leading bold text mentions it. The dashboard shows it as a warning, and again
/// before sending a request to a production server.
pub(crate) fn split_warning(blocks: Vec<Value>) -> (Option<Value>, Vec<Value>) {
    let position = blocks.iter().position(is_production_warning);
    match position {
        Some(i) => {
            let mut rest = blocks;
            let warning = rest.remove(i);
            (Some(warning), rest)
        }
        None => (None, blocks),
    }
}

fn is_production_warning(block: &Value) -> bool {
    let mentions = |text: &str| text.to_lowercase().contains("production");
    if plain(block)
        .trim_start()
        .to_lowercase()
        .starts_with("production")
    {
        return true;
    }
    let first = block
        .get("c")
        .and_then(Value::as_array)
        .and_then(|c| c.first());
    first.is_some_and(|f| f.get("t") == Some(&Value::from("strong")) && mentions(&plain(f)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_subset_is_kept_as_a_tree() {
        let tree = blocks(
            "Hello **bold** and *it* `code`\n\n- one\n- [two](https://x.example/a)\n\n3. three",
        );
        assert_eq!(
            Value::Array(tree),
            json!([
                {"t": "p", "c": ["Hello ", {"t": "strong", "c": ["bold"]}, " and ", {"t": "em", "c": ["it"]}, " ", {"t": "code", "c": ["code"]}]},
                {"t": "ul", "c": [
                    {"t": "li", "c": ["one"]},
                    {"t": "li", "c": [{"t": "a", "c": ["two"], "href": "https://x.example/a"}]}
                ]},
                {"t": "ol", "c": [{"t": "li", "c": ["three"]}], "start": 3}
            ])
        );
    }

    #[test]
    fn html_stays_text_and_unsafe_links_lose_their_target() {
        let tree = Value::Array(blocks(
            "<script>alert(1)</script>\n\nx <img src=x onerror=alert(1)> [click](javascript:alert(1)) [rel](/__kontrat/reset) ![alt](https://x.example/i.png)",
        ));
        let text = tree.to_string();
        assert!(!text.contains("\"href\""), "{text}");
        assert_eq!(
            tree,
            json!([
                {"t": "p", "c": ["<script>alert(1)</script>"]},
                {"t": "p", "c": ["x <img src=x onerror=alert(1)> click rel alt"]}
            ])
        );
    }

    #[test]
    fn deep_nesting_is_flattened_not_recursed() {
        let deep = format!("{}text", "> ".repeat(10_000));
        let tree = Value::Array(blocks(&deep));
        assert!(plain(&tree).contains("text"));
        fn depth(v: &Value) -> usize {
            match v {
                Value::Array(a) => 1 + a.iter().map(depth).max().unwrap_or(0),
                Value::Object(m) => m.values().map(depth).max().unwrap_or(0),
                _ => 0,
            }
        }
        assert!(depth(&tree) <= 2 * MAX_DEPTH + 4, "{}", depth(&tree));
    }

    #[test]
    fn the_production_warning_is_split_off() {
        let (warning, rest) = split_warning(blocks(
            "**Production uyarisi:** Bu endpoint veri degistirir.\n\nKullanıcının oturumları",
        ));
        assert_eq!(
            plain(&warning.unwrap()),
            "Production uyarisi: Bu endpoint veri degistirir."
        );
        assert_eq!(plain(&Value::Array(rest)), "Kullanıcının oturumları");
        let (none, kept) = split_warning(blocks("Lists the production orders."));
        assert!(none.is_none());
        assert_eq!(kept.len(), 1);
    }
}
