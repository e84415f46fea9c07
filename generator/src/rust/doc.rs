//! Spec text → doc comment lines and string literals that cannot escape their place.
//!
//! Text from a spec is written by others: it only ever reaches the output as the content
//! of a Rust string literal (`"…"`, escaped by [`lit`]) or of a `///` line comment (built
//! by [`doc_comment`], which splits lines itself), so no description can add or change an
//! item of the generated code.

/// A Rust string literal with the exact content `s` (Rust's `Debug` escaping is valid
/// literal syntax: quotes, backslashes and control characters are escaped).
pub fn lit(s: &str) -> String {
    format!("{s:?}")
}

/// Doc comment lines, `/// text` each (rustdoc's ` text` convention).
///
/// A line comment ends only at a line feed, and lines are split here on `\n` and `\r`,
/// so the text stays inside its comment. What rustc refuses in a comment (a bare carriage
/// return, the bidirectional-override characters of its `text_direction_codepoint_in_comment`
/// lint) and other control characters are written as visible `\u{…}` escapes instead.
pub fn doc_comment(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .flat_map(|l| l.split(['\n', '\r']))
        .map(doc_line)
        .collect()
}

/// Inner doc comment lines (`//! text`), for a crate or module: as [`doc_comment`].
pub fn inner_doc_comment(lines: &[String]) -> Vec<String> {
    doc_comment(lines)
        .into_iter()
        .map(|l| format!("//!{}", &l[3..]))
        .collect()
}

/// One doc comment line: `///`, or `/// text` with the same escapes as [`doc_comment`].
/// `text` must hold no line break (callers split first).
pub fn doc_line(text: &str) -> String {
    if text.is_empty() {
        return "///".to_owned();
    }
    let mut out = String::with_capacity(text.len() + 4);
    out.push_str("/// ");
    for c in text.chars() {
        if needs_escape_in_comment(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}

/// Characters that must not appear raw in a generated comment.
fn needs_escape_in_comment(c: char) -> bool {
    (c.is_control() && c != '\t')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}')
}

/// Doc comment lines from a title and a description.
///
/// Code blocks without a language become `text` blocks and indentation is dropped, so
/// rustdoc never tries to compile an example written in another language as a doctest.
pub fn doc_lines(title: Option<&str>, description: Option<&str>) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(t) = title.map(str::trim).filter(|t| !t.is_empty()) {
        out.extend(t.lines().map(|l| l.trim().to_owned()));
    }
    if let Some(d) = description.map(str::trim).filter(|d| !d.is_empty()) {
        if !out.is_empty() {
            out.push(String::new());
        }
        out.extend(markdown_lines(d));
    }
    out
}

/// Adds `text` as a new paragraph.
pub fn push_paragraph(lines: &mut Vec<String>, text: &str) {
    if text.trim().is_empty() {
        return;
    }
    if !lines.is_empty() {
        lines.push(String::new());
    }
    lines.extend(markdown_lines(text.trim()));
}

fn markdown_lines(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_fence = false;
    for raw in text.lines() {
        let line = raw.trim_end();
        let trimmed = line.trim_start();
        if let Some(info) = trimmed.strip_prefix("```") {
            if !in_fence {
                let lang = info.trim();
                // Only Rust examples may stay Rust; everything else is shown, not compiled.
                out.push(if lang.is_empty() || !lang.starts_with("rust") {
                    "```text".to_owned()
                } else {
                    "```ignore".to_owned()
                });
            } else {
                out.push("```".to_owned());
            }
            in_fence = !in_fence;
            continue;
        }
        out.push(if in_fence {
            line.to_owned()
        } else {
            trimmed.to_owned()
        });
    }
    if in_fence {
        out.push("```".to_owned());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_escape_everything() {
        assert_eq!(lit("a\"b"), r#""a\"b""#);
        assert_eq!(lit("x\n}"), r#""x\n}""#);
        assert_eq!(lit("\"#"), r##""\"#""##);
    }

    #[test]
    fn doc_comments_split_lines_and_escape_what_rustc_refuses() {
        let lines = doc_comment(&[
            "a\n}\r\nfn evil() {}".to_owned(),
            String::new(),
            "x\u{202e}y\u{7}\tz".to_owned(),
        ]);
        assert_eq!(
            lines,
            [
                "/// a",
                "/// }",
                "///",
                "/// fn evil() {}",
                "///",
                "/// x\\u{202e}y\\u{7}\tz"
            ]
        );
    }

    #[test]
    fn code_blocks_never_compile() {
        let lines = doc_lines(None, Some("Hi\n```\nfn x() {}\n```\n    indented"));
        assert_eq!(lines, ["Hi", "```text", "fn x() {}", "```", "indented"]);
    }
}
