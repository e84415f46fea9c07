//! Showing payloads in reports: bounded, with secrets masked.
//!
//! Bodies carry tokens (a refresh answer is nothing but tokens), so every excerpt of a JSON
//! body masks string values under secret-looking keys before it is cut to size.

use serde_json::Value;

/// How many characters of a body a report shows.
pub const EXCERPT_CHARS: usize = 300;

/// How many characters of one offending value a report shows.
const OFFENDING_CHARS: usize = 120;

/// Keys whose string values are secrets (matched case-insensitively, as substrings).
const SECRET_KEYS: &[&str] = &["token", "secret", "password", "apikey", "api_key"];

/// `", empty body"` or `": "` and the start of the body (JSON with secrets masked), at
/// most [`EXCERPT_CHARS`] characters: what a report's `got` line ends with.
pub fn body_excerpt(bytes: &[u8]) -> String {
    if bytes.is_empty() {
        return ", empty body".into();
    }
    format!(": {}", bounded(&masked_text(bytes), EXCERPT_CHARS))
}

/// The body as text, JSON values under secret keys replaced by `***`.
pub fn masked_text(bytes: &[u8]) -> String {
    match serde_json::from_slice::<Value>(bytes) {
        Ok(mut v) => {
            mask_secrets(&mut v);
            v.to_string()
        }
        Err(_) => String::from_utf8_lossy(bytes).into_owned(),
    }
}

/// Replaces string values under secret-looking keys (`accessToken`, `password`, …) by
/// `***`, at any depth.
pub fn mask_secrets(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                let key = k.to_ascii_lowercase();
                if v.is_string() && SECRET_KEYS.iter().any(|s| key.contains(s)) {
                    *v = Value::String("***".into());
                } else {
                    mask_secrets(v);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(mask_secrets),
        _ => {}
    }
}

/// The parts of a JSON body that `problems` point at (`body/data/expiresIn: …` →
/// `body/data/expiresIn = "900"`), secrets masked, each bounded; a problem about the whole
/// body points at nothing (the excerpt shows it). Empty when the body is not JSON.
pub fn offending_parts(problems: &[String], body: &[u8]) -> Vec<String> {
    let Ok(mut value) = serde_json::from_slice::<Value>(body) else {
        return Vec::new();
    };
    mask_secrets(&mut value);
    let mut out: Vec<String> = Vec::new();
    for problem in problems {
        let Some(pointer) = problem
            .strip_prefix("body/")
            .and_then(|rest| rest.split_once(": "))
            .map(|(pointer, _)| format!("/{pointer}"))
        else {
            continue;
        };
        let Some(part) = value.pointer(&pointer) else {
            continue;
        };
        let line = format!(
            "body{pointer} = {}",
            bounded(&part.to_string(), OFFENDING_CHARS)
        );
        if !out.contains(&line) {
            out.push(line);
        }
    }
    out
}

/// `text` cut to `limit` characters, `…` marking a cut.
fn bounded(text: &str, limit: usize) -> String {
    match text.char_indices().nth(limit) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_masked_and_parts_located() {
        let body = br#"{"data":{"accessToken":"eyJ.secret","expiresIn":"900"},"errors":[]}"#;
        let excerpt = body_excerpt(body);
        assert!(!excerpt.contains("eyJ.secret"), "{excerpt}");
        assert!(excerpt.contains(r#""accessToken":"***""#), "{excerpt}");
        let problems = vec![
            "body/data/expiresIn: \"900\" is not of type \"integer\"".to_owned(),
            "body/data/accessToken: too short".to_owned(),
            "body: \"timestamp\" is a required property".to_owned(),
        ];
        assert_eq!(
            offending_parts(&problems, body),
            [
                "body/data/expiresIn = \"900\"",
                "body/data/accessToken = \"***\""
            ]
        );
        assert_eq!(body_excerpt(b""), ", empty body");
        let long = "x".repeat(1000);
        assert_eq!(
            body_excerpt(long.as_bytes()).chars().count(),
            2 + EXCERPT_CHARS + 1
        );
    }
}
