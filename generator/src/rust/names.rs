//! Wire names → Rust identifiers: deterministic, keyword-safe, ASCII, collision-free.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Rust keywords (strict, reserved and 2018+ edition ones) that need `r#` or a suffix.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield", "union",
];

/// Keeps ASCII letters and digits, turns everything else into word breaks, and spells
/// out a few symbols that carry meaning in names (`+1` vs `-1`).
fn ascii_words(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' => out.push(c),
            '+' => out.push_str(" plus "),
            '-' if out.is_empty() => out.push_str("minus "),
            _ => {
                // Non-ASCII letters lose their accents where a plain ASCII letter exists
                // (`ı` → `i`, `ş` → `s`), otherwise become a break.
                match fold_ascii(c) {
                    Some(a) => out.push(a),
                    None => out.push(' '),
                }
            }
        }
    }
    out
}

fn fold_ascii(c: char) -> Option<char> {
    Some(match c {
        'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' => 'a',
        'Á' | 'À' | 'Â' | 'Ä' | 'Ã' | 'Å' => 'A',
        'ç' | 'ć' | 'č' => 'c',
        'Ç' | 'Ć' | 'Č' => 'C',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'É' | 'È' | 'Ê' | 'Ë' => 'E',
        'ğ' => 'g',
        'Ğ' => 'G',
        'í' | 'ì' | 'î' | 'ï' | 'ı' => 'i',
        'Í' | 'Ì' | 'Î' | 'Ï' | 'İ' => 'I',
        'ñ' => 'n',
        'Ñ' => 'N',
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'ø' => 'o',
        'Ó' | 'Ò' | 'Ô' | 'Ö' | 'Õ' | 'Ø' => 'O',
        'ş' | 'ś' | 'š' => 's',
        'Ş' | 'Ś' | 'Š' => 'S',
        'ú' | 'ù' | 'û' | 'ü' => 'u',
        'Ú' | 'Ù' | 'Û' | 'Ü' => 'U',
        'ý' | 'ÿ' => 'y',
        'ž' | 'ź' | 'ż' => 'z',
        'Ž' | 'Ź' | 'Ż' => 'Z',
        'ß' => 's',
        _ => return None,
    })
}

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

/// Hands out names unique within one scope, suffixing `2`, `3`, … on collisions, in the
/// order requests arrive (callers iterate in a deterministic order).
#[derive(Debug, Default, Clone)]
pub struct Namespace {
    taken: BTreeSet<String>,
}

impl Namespace {
    /// A namespace with some names reserved up front.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Self {
            taken: reserved.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    /// `wanted` if free, else `wanted2`, `wanted3`, …; the result is now taken.
    pub fn claim(&mut self, wanted: &str) -> String {
        let mut candidate = wanted.to_owned();
        let mut n = 2;
        while self.taken.contains(&candidate) {
            candidate = format!("{wanted}{n}");
            n += 1;
        }
        self.taken.insert(candidate.clone());
        candidate
    }

    /// True when `name` is already taken.
    pub fn is_taken(&self, name: &str) -> bool {
        self.taken.contains(name)
    }
}

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
