//! Spec text → safe TypeScript/JavaScript text: comments, string literals, identifiers.
//!
//! Why one place: descriptions, names and examples come from the spec and must never
//! change the code they sit in. Comments neutralise `*/`, string literals are JSON
//! strings (which are JavaScript string literals) with the two line separators escaped,
//! and identifiers keep ASCII letters and digits only.

use heck::{ToLowerCamelCase, ToUpperCamelCase};

use crate::naming::ascii_words;

/// A JavaScript string literal for `s` (double quoted).
pub fn string(s: &str) -> String {
    // Most spec strings need no escape at all (names, paths, media types).
    if !s
        .bytes()
        .any(|b| b < 0x20 || b == b'"' || b == b'\\' || b == 0xE2)
    {
        let mut out = String::with_capacity(s.len() + 2);
        out.push('"');
        out.push_str(s);
        out.push('"');
        return out;
    }
    let json = serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_owned());
    json.replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

/// `text` made safe inside a `/* … */` comment, split into lines.
pub fn comment_lines(text: &str) -> Vec<String> {
    text.replace("\r\n", "\n")
        .split(['\n', '\r', '\u{2028}', '\u{2029}'])
        .map(|l| l.replace("*/", "*\\/").trim_end().to_owned())
        .collect()
}

/// A JSDoc block of `paragraphs` (skipping empty ones) at `indent` spaces; empty when
/// there is nothing to say.
pub fn jsdoc(paragraphs: &[String], indent: usize) -> String {
    let pad = " ".repeat(indent);
    let mut lines: Vec<String> = Vec::new();
    for p in paragraphs.iter().filter(|p| !p.trim().is_empty()) {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(comment_lines(p.trim()));
    }
    if lines.is_empty() {
        return String::new();
    }
    let mut out = format!("{pad}/**\n");
    for l in lines {
        if l.is_empty() {
            out.push_str(&format!("{pad} *\n"));
        } else {
            out.push_str(&format!("{pad} * {l}\n"));
        }
    }
    out.push_str(&format!("{pad} */\n"));
    out
}

/// True when `s` can be written as a bare property name or identifier.
pub fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
}

/// A property key: bare when possible, else a string literal.
pub fn key(name: &str) -> String {
    if is_identifier(name) {
        name.to_owned()
    } else {
        string(name)
    }
}

/// The runtime JSON path suffix for a property, as a string literal (`".name"`, `"[\"a b\"]"`).
pub fn path_suffix(name: &str) -> String {
    if is_identifier(name) {
        string(&format!(".{name}"))
    } else {
        string(&format!("[{}]", string(name)))
    }
}

/// An `UpperCamelCase` type name.
pub fn pascal(raw: &str) -> String {
    let mut s = ascii_words(raw).to_upper_camel_case();
    if s.is_empty() {
        s.push_str("Value");
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, 'T');
    }
    s
}

/// A `lowerCamelCase` value name; JavaScript's reserved words get a `_` suffix.
pub fn camel(raw: &str) -> String {
    let mut s = ascii_words(raw).to_lower_camel_case();
    if s.is_empty() {
        s.push_str("value");
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, '_');
    }
    if RESERVED.contains(&s.as_str()) {
        s.push('_');
    }
    s
}

/// JavaScript reserved words and strict-mode restricted names.
const RESERVED: &[&str] = &[
    "arguments",
    "await",
    "break",
    "case",
    "catch",
    "class",
    "const",
    "continue",
    "debugger",
    "default",
    "delete",
    "do",
    "else",
    "enum",
    "eval",
    "export",
    "extends",
    "false",
    "finally",
    "for",
    "function",
    "if",
    "implements",
    "import",
    "in",
    "instanceof",
    "interface",
    "let",
    "new",
    "null",
    "package",
    "private",
    "protected",
    "public",
    "return",
    "static",
    "super",
    "switch",
    "this",
    "throw",
    "true",
    "try",
    "typeof",
    "var",
    "void",
    "while",
    "with",
    "yield",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_text_stays_text() {
        assert_eq!(string("a\"b`c\u{2028}"), "\"a\\\"b`c\\u2028\"");
        assert_eq!(comment_lines("x */ y"), ["x *\\/ y"]);
        assert_eq!(key("a-b"), "\"a-b\"");
        assert_eq!(key("ok_1"), "ok_1");
        assert_eq!(camel("delete"), "delete_");
        assert_eq!(camel("refresh_token"), "refreshToken");
        assert_eq!(pascal("1st"), "T1st");
    }
}
