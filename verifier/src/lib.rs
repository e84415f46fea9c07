//! kontrat's verifier: exercises a running implementation and reports every way it breaks
//! the contract.
//!
//! It reuses the generator's contract model and the mock's validators
//! ([`kontrat_mock::Compiled::response_problems`]): one loader, one model, one notion of
//! "valid". [`plan`] decides what to send (documented examples, seeded valid requests,
//! negative probes), [`production_guard`] refuses the spec's Production server,
//! [`verify`] sends the plan and judges every answer, and [`Report`] renders the outcome
//! for people, for JSON consumers and as JUnit XML. Its parts ([`Violation`] blocks,
//! [`CoverageTable`], [`body_excerpt`] and [`offending_parts`]) are public for other
//! reports of the same kind (`kontrat proxy`'s).

mod excerpt;
mod plan;
mod report;
mod run;

use std::time::Duration;

use kontrat_generator::model::Contract;

pub use excerpt::{EXCERPT_CHARS, body_excerpt, mask_secrets, masked_text, offending_parts};
pub use plan::{Expect, PlanOptions, Probe, ProbeKind, plan};
pub use report::{CoverageTable, Covered, Report, Violation, coverage, xml_escape};
pub use run::verify;

/// A credential, kept out of every `Debug` and log line.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// Wraps a token (a `Bearer ` prefix is removed).
    pub fn new(token: impl Into<String>) -> Self {
        let token: String = token.into();
        match token.trim().strip_prefix("Bearer ") {
            Some(t) => Token(t.trim().to_owned()),
            None => Token(token.trim().to_owned()),
        }
    }

    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(***)")
    }
}

/// How to verify.
#[derive(Debug, Clone)]
pub struct Options {
    /// Base URL of the implementation, e.g. `http://127.0.0.1:4020`.
    pub target: String,
    /// Credentials for secured operations.
    pub token: Option<Token>,
    /// What to send.
    pub plan: PlanOptions,
    /// Only this operation (to replay a failure).
    pub only: Option<String>,
    /// Per request.
    pub request_timeout: Duration,
    /// For the whole run; requests not sent by then are reported.
    pub overall_timeout: Duration,
}

/// Why a target is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GuardError {
    /// The target is a server the spec calls Production.
    #[error(
        "{target} is the spec's production server ({description}); every operation may change real data. Use a development server, or pass --allow-production if you really mean it"
    )]
    Production {
        /// The target as given.
        target: String,
        /// The server's description.
        description: String,
    },
    /// The target is not an http(s) URL.
    #[error("{0} is not an http:// or https:// URL")]
    NotHttp(String),
}

/// Refuses a target that is one of the spec's production servers (by its `servers`
/// entry: same scheme, host, port and path prefix, case-insensitive host).
pub fn production_guard(contract: &Contract, target: &str) -> Result<(), GuardError> {
    let normal = normalise(target).ok_or_else(|| GuardError::NotHttp(target.to_owned()))?;
    for server in contract.servers.iter().filter(|s| s.is_production()) {
        let Some(prod) = normalise(&server.url) else {
            continue;
        };
        if normal == prod || normal.starts_with(&format!("{prod}/")) {
            return Err(GuardError::Production {
                target: target.to_owned(),
                description: server.description.clone().unwrap_or_default(),
            });
        }
    }
    Ok(())
}

/// `scheme://host:port/path` with default ports made explicit, lower-case host, no
/// trailing slash.
fn normalise(url: &str) -> Option<String> {
    let (scheme, rest) = url.trim().split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "http" => 80,
        "https" => 443,
        _ => return None,
    };
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    let authority = authority
        .rsplit('@')
        .next()
        .unwrap_or(authority)
        .to_ascii_lowercase();
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || authority.starts_with('[') => {
            (h.to_owned(), p.parse().ok()?)
        }
        _ => (authority.clone(), default_port),
    };
    Some(format!(
        "{scheme}://{host}:{port}{}",
        path.trim_end_matches('/')
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn production_is_refused_by_its_servers_entry() {
        let spec = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/auth.yaml");
        let contract = kontrat_generator::load_contract(&spec).unwrap().0;
        for target in [
            "https://api.example.com",
            "https://API.example.com:443/",
            "https://api.example.com/api/v1",
        ] {
            assert!(
                matches!(
                    production_guard(&contract, target),
                    Err(GuardError::Production { .. })
                ),
                "{target}"
            );
        }
        for target in [
            "https://dev-api.example.com",
            "http://127.0.0.1:4020",
            "https://api.example.com.evil",
        ] {
            assert_eq!(production_guard(&contract, target), Ok(()), "{target}");
        }
        assert!(matches!(
            production_guard(&contract, "ftp://x"),
            Err(GuardError::NotHttp(_))
        ));
        assert_eq!(format!("{:?}", Token::new("Bearer abc")), "Token(***)");
    }
}
