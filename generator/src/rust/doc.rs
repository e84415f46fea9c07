//! Spec text → doc comment lines and string literals that cannot escape their place.
//!
//! Text from a spec is written by others: it only ever reaches the output as the content
//! of a Rust string literal (`#[doc = "…"]`, `"…"`), escaped by [`lit`], so no description
//! can add or change an item of the generated code.

/// A Rust string literal with the exact content `s` (Rust's `Debug` escaping is valid
/// literal syntax: quotes, backslashes and control characters are escaped).
pub fn lit(s: &str) -> String {
    format!("{s:?}")
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
    fn code_blocks_never_compile() {
        let lines = doc_lines(None, Some("Hi\n```\nfn x() {}\n```\n    indented"));
        assert_eq!(lines, ["Hi", "```text", "fn x() {}", "```", "indented"]);
    }
}
