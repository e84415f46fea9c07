//! A request as a replayable `curl` command, with every credential redacted.
//!
//! Credentials become `$TOKEN` (inside double quotes, so `TOKEN=… sh` replays the command),
//! cookie values and API-key query values `***`, and secret-looking JSON fields of the
//! body `***`. Only headers the contract cares about are shown: content negotiation,
//! credentials, `Prefer`, and the operation's documented header parameters.

use bytes::Bytes;
use http::header;
use kontrat_generator::model::{Operation, ParameterLocation, SecuritySchemeKind};
use kontrat_mock::Compiled;

/// Longest body a replayable request shows, in characters.
const BODY_CHARS: usize = 2000;

/// `curl -X METHOD 'target/path?query' -H … --data-raw '…'`, one option per line.
pub(crate) fn curl(
    compiled: &Compiled,
    target: &str,
    parts: &http::request::Parts,
    op: Option<usize>,
    body: Option<&Bytes>,
) -> String {
    let operation = op.map(|i| &compiled.contract.operations[i]);
    let mut url = format!("{target}{}", parts.uri.path());
    if let Some(q) = parts.uri.query() {
        url.push('?');
        url.push_str(&compiled.masked_query(q));
    }
    let mut out = format!("curl -X {} {}", parts.method, quote(&url));
    for (name, value) in &parts.headers {
        let name_text = name.as_str();
        let shown = if *name == header::AUTHORIZATION {
            let scheme: String = value
                .to_str()
                .unwrap_or_default()
                .split(' ')
                .next()
                .unwrap_or_default()
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .take(20)
                .collect();
            format!("\"{name_text}: {scheme} $TOKEN\"")
        } else if *name == header::COOKIE {
            quote(&format!("{name_text}: {}", masked_cookies(value)))
        } else if is_api_key_header(compiled, name_text) {
            format!("\"{name_text}: $TOKEN\"")
        } else if shown_as_is(operation, name) {
            quote(&format!(
                "{name_text}: {}",
                String::from_utf8_lossy(value.as_bytes())
            ))
        } else {
            continue;
        };
        out.push_str(" \\\n  -H ");
        out.push_str(&shown);
    }
    match body {
        Some(bytes) if bytes.is_empty() => {}
        Some(bytes) if std::str::from_utf8(bytes).is_err() => {
            out.push_str(&format!(
                " \\\n  --data-binary @body.bin  # {} bytes, not text",
                bytes.len()
            ));
        }
        Some(bytes) => {
            let text = kontrat_verify::masked_text(bytes);
            match text.char_indices().nth(BODY_CHARS) {
                Some((cut, _)) => out.push_str(&format!(
                    " \\\n  --data-raw {}  # cut at {BODY_CHARS} of {} characters",
                    quote(&text[..cut]),
                    text.chars().count()
                )),
                None => out.push_str(&format!(" \\\n  --data-raw {}", quote(&text))),
            }
        }
        None => {
            out.push_str(" \\\n  --data-binary @body.bin  # larger than the check limit");
        }
    }
    out
}

fn shown_as_is(operation: Option<&Operation>, name: &header::HeaderName) -> bool {
    *name == header::CONTENT_TYPE
        || *name == header::ACCEPT
        || name.as_str() == "prefer"
        || operation.is_some_and(|op| {
            op.parameters.iter().any(|p| {
                p.location == ParameterLocation::Header
                    && p.name.eq_ignore_ascii_case(name.as_str())
            })
        })
}

fn is_api_key_header(compiled: &Compiled, name: &str) -> bool {
    compiled.contract.security_schemes.values().any(|s| {
        matches!(&s.kind, SecuritySchemeKind::ApiKey { location: ParameterLocation::Header, name: n } if n.eq_ignore_ascii_case(name))
    })
}

/// `a=***; b=***`: cookie names stay (they say what was sent), values go.
fn masked_cookies(value: &http::HeaderValue) -> String {
    String::from_utf8_lossy(value.as_bytes())
        .split(';')
        .map(|pair| match pair.split_once('=') {
            Some((name, _)) => format!("{}=***", name.trim()),
            None => pair.trim().to_owned(),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// `text` in single quotes for a POSIX shell.
fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compiled() -> Compiled {
        let spec = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/auth.yaml");
        Compiled::new(kontrat_generator::load_contract(&spec).unwrap().0, false)
    }

    #[test]
    fn credentials_and_secret_fields_are_redacted() {
        let request = http::Request::builder()
            .method("POST")
            .uri("/api/v1/auth/revoke?x='1'")
            .header("authorization", "Bearer eyJ.secret.jwt")
            .header("cookie", "sid=abc; theme=dark")
            .header("content-type", "application/json")
            .header("user-agent", "test")
            .body(())
            .unwrap();
        let (parts, ()) = request.into_parts();
        let body = Bytes::from_static(br#"{"refreshToken":"0123456789abcdef0123"}"#);
        let text = curl(&compiled(), "http://t", &parts, Some(2), Some(&body));
        assert_eq!(
            text,
            "curl -X POST 'http://t/api/v1/auth/revoke?x='\\''1'\\''' \\\n  \
             -H \"authorization: Bearer $TOKEN\" \\\n  \
             -H 'cookie: sid=***; theme=***' \\\n  \
             -H 'content-type: application/json' \\\n  \
             --data-raw '{\"refreshToken\":\"***\"}'"
        );
    }
}
