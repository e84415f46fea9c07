//! Wire names → Rust identifiers: deterministic, keyword-safe, ASCII, collision-free.

use crate::naming::ascii_words;
use heck::{ToSnakeCase, ToUpperCamelCase};

/// Names the generated crate defines itself or uses unqualified from the prelude; no
/// schema or operation may take them.
pub(crate) const RESERVED: &[&str] = &[
    "Validate",
    "BearerToken",
    "Server",
    "Client",
    "Error",
    "RawResponse",
    "ResponseValue",
    "ResponseFuture",
    "AuthRejection",
    "BodyRejection",
    "RouteRejection",
    "T",
    "Option",
    "Result",
    "String",
    "Vec",
    "Box",
    "Some",
    "None",
    "Ok",
    "Err",
    "Default",
    "Clone",
    "Debug",
    "PartialEq",
    "Eq",
    "Hash",
    "Send",
    "Sync",
    "Sized",
    "Copy",
    "Fn",
    "Iterator",
    "Into",
    "From",
    "ToString",
    "ToOwned",
    "Drop",
    "Future",
    "SelfValue",
    // Imported by name in the generated modules (an explicit import would shadow a
    // schema of the same name brought in by `use crate::types::*`).
    "Deref",
    "Bytes",
    "HeaderMap",
    "StatusCode",
    "Method",
    "Mock",
    "MockServer",
    "Times",
    "Arc",
    "Request",
    "State",
    "IntoResponse",
    "Response",
    "Router",
    "FilePart",
];

/// Rust keywords (strict, reserved and 2018+ edition ones) that need `r#` or a suffix.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield", "union",
];

/// A `snake_case` identifier for fields, functions and modules.
pub fn snake(raw: &str) -> String {
    let mut s = ascii_words(raw).to_snake_case();
    if s.is_empty() {
        s.push_str("value");
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, '_');
    }
    if KEYWORDS.contains(&s.as_str()) {
        s.push('_');
    }
    s
}

/// An `UpperCamelCase` identifier for types and variants.
pub fn pascal(raw: &str) -> String {
    let mut s = ascii_words(raw).to_upper_camel_case();
    if s.is_empty() {
        s.push_str("Value");
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, 'V');
    }
    // `Self` is the only keyword in UpperCamelCase; a `_` suffix would trip the
    // non_camel_case_types lint once a collision suffix is added.
    if s == "Self" {
        s.push_str("Value");
    }
    s
}

pub use crate::naming::Namespace;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers() {
        assert_eq!(snake("refreshToken"), "refresh_token");
        assert_eq!(snake("type"), "type_");
        assert_eq!(snake("123abc"), "_123abc");
        assert_eq!(snake("Çıkış yap"), "cikis_yap");
        assert_eq!(snake("../../etc"), "etc");
        assert_eq!(snake("***"), "value");
        assert_eq!(pascal("token_type"), "TokenType");
        assert_eq!(pascal("self"), "SelfValue");
        assert_eq!(pascal("1st"), "V1st");
        assert_eq!(pascal("+1"), "Plus1");
        assert_eq!(pascal("-1"), "Minus1");
    }

    #[test]
    fn namespace_suffixes_in_order() {
        let mut ns = Namespace::default();
        assert_eq!(ns.claim("Pet"), "Pet");
        assert_eq!(ns.claim("Pet"), "Pet2");
        assert_eq!(ns.claim("Pet"), "Pet3");
    }
}
