//! kontrat's checking proxy: forwards real traffic to an implementation and checks both
//! sides of every exchange against the contract.
//!
//! It sits between an app (a browser, an end-to-end suite) and a real implementation
//! (the target). It is transparent: method, path, query, headers (minus hop-by-hop ones)
//! and body go to the target, and its status, headers and body come back unchanged. It
//! checks with the same routes and validators as the mock and the verifier
//! ([`kontrat_mock::Compiled::check_request`], [`kontrat_mock::Compiled::response_problems`])
//! and reports with the verifier's pieces ([`kontrat_verify::Violation`],
//! [`kontrat_verify::CoverageTable`]):
//!
//! - the **request** (the app's side): a documented path and method, parameters, content
//!   type, body, credentials on secured operations;
//! - the **response** (the implementation's side): a documented status and content type,
//!   a body valid against that status's schema, the envelope's invariants.
//!
//! Every violation becomes a [`Finding`], logged at once and kept for
//! `GET /__kontrat/violations` and the [`Summary`]; the answer to the app carries a short
//! [`VIOLATIONS_HEADER`]. A target that is down or slow gets a 502 or 504 answer, reported
//! as a transport failure rather than a violation.
//!
//! Bodies up to [`Config::check_limit`] are read whole to be checked (a JSON document can
//! only be judged whole); larger ones, and answers the contract documents as non-JSON,
//! stream through. The proxy asks the target for uncompressed answers (it drops
//! `Accept-Encoding`) so that it can read them.
//!
//! [`Proxy::new`] builds one, [`Proxy::service`] is its HTTP service (run it with
//! [`kontrat_mock::serve`]), [`Proxy::summary`] is what it saw.

mod body;
mod control;
mod describe;
mod exchange;
mod forward;
mod ledger;
mod service;
mod summary;

use std::sync::Arc;
use std::time::Duration;

use kontrat_generator::model::Contract;
use kontrat_mock::{Compiled, CorsPolicy, Mock};

pub use ledger::{Finding, Side};
pub use service::ProxyService;
pub use summary::Summary;

/// The header an answer carries when its exchange broke the contract: how many
/// violations, the first problem of each side, and the exchange's number.
pub const VIOLATIONS_HEADER: http::HeaderName = http::HeaderName::from_static("kontrat-violations");

/// The header an answer carries when the mock made it because the target does not
/// implement the operation yet ([`Config::mock_missing`]).
pub const MOCKED_HEADER: http::HeaderName = http::HeaderName::from_static("kontrat-mocked");

/// How the proxy behaves.
#[derive(Debug, Clone)]
pub struct Config {
    /// Base URL of the implementation, e.g. `http://127.0.0.1:4020` (a path is a prefix
    /// put before every request path).
    pub target: String,
    /// Answer a request that breaks the contract as the mock does (the documented 400 or
    /// 401, a 404 or 405 for an undocumented path or method) instead of forwarding it.
    pub errors: bool,
    /// Answer as the mock would when the target does not implement a documented
    /// operation yet: it answers 501, or a 404 that is not the operation's documented one.
    pub mock_missing: bool,
    /// How long the target may take to answer (headers, and the body when it is read
    /// whole); then the app gets a 504.
    pub timeout: Duration,
    /// How long the app may take to send a request body.
    pub body_timeout: Duration,
    /// Bodies up to this many bytes are read whole and checked; larger ones stream
    /// through unchecked (counted in the summary).
    pub check_limit: usize,
    /// `Some`: CORS is the proxy's (preflights answered from the contract, answers
    /// decorated as the mock does). `None`: preflights and CORS headers pass through to
    /// and from the target.
    pub cors: Option<CorsPolicy>,
    /// How many findings are kept for `/__kontrat/violations` and the summary (all are
    /// counted and logged).
    pub keep_findings: usize,
}

impl Config {
    /// The defaults for `target`.
    pub fn new(target: impl Into<String>) -> Self {
        Self {
            target: target.into(),
            errors: false,
            mock_missing: false,
            timeout: Duration::from_secs(30),
            body_timeout: Duration::from_secs(30),
            check_limit: 1024 * 1024,
            cors: None,
            keep_findings: 10_000,
        }
    }
}

/// Why a proxy cannot be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ProxyError {
    /// The target is not an absolute http(s) URL.
    #[error("--target `{0}` is not an http:// or https:// URL (e.g. http://127.0.0.1:4020)")]
    Target(String),
    /// The TLS client for https targets cannot be set up.
    #[error("cannot set up TLS for the target: {0}")]
    Tls(String),
}

/// A checking proxy: the contract, the target, and what was seen so far.
///
/// Cheap to clone; clones share everything.
#[derive(Clone)]
pub struct Proxy {
    shared: Arc<Shared>,
}

struct Shared {
    config: Config,
    /// Answers the proxy makes itself (`--errors`, `--mock-missing`, preflights with
    /// `cors`), and the compiled contract every check uses.
    mock: Mock,
    compiled: Arc<Compiled>,
    target: forward::Target,
    client: forward::Client,
    ledger: ledger::Ledger,
}

impl Proxy {
    /// A proxy to `config.target` checking traffic against `contract`.
    pub fn new(contract: Contract, config: Config) -> Result<Self, ProxyError> {
        let target = forward::Target::parse(&config.target)?;
        let client = forward::client()?;
        let mock = Mock::new(
            contract,
            kontrat_mock::Config {
                // Answers of the proxy's own are readable cross-origin like the target's.
                cors: config.cors.clone().unwrap_or(CorsPolicy::AnyOrigin),
                body_limit: config.check_limit,
                journal_capacity: 0,
                ..kontrat_mock::Config::default()
            },
        );
        let compiled = mock.contract();
        let ledger = ledger::Ledger::new(&compiled, config.keep_findings);
        Ok(Self {
            shared: Arc::new(Shared {
                config,
                mock,
                compiled,
                target,
                client,
                ledger,
            }),
        })
    }

    /// The HTTP service: `/__kontrat/…` is the proxy's control API, everything else is
    /// forwarded and checked.
    pub fn service(&self) -> ProxyService {
        ProxyService::new(self.clone())
    }

    /// [`Proxy::service`] as an axum app.
    pub fn router(&self) -> axum::Router {
        axum::Router::new().fallback_service(self.service())
    }

    /// The contract being checked.
    pub fn compiled(&self) -> &Compiled {
        &self.shared.compiled
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.shared.config
    }

    /// The findings kept so far (oldest first).
    pub fn findings(&self) -> Vec<Finding> {
        self.shared.ledger.findings(None)
    }

    /// Everything seen since start (or the last reset).
    pub fn summary(&self) -> Summary {
        self.shared
            .ledger
            .summary(&self.shared.compiled, &self.shared.target.url)
    }

    /// Forgets every finding, count and observed response.
    pub fn reset(&self) {
        self.shared.ledger.reset();
    }
}

impl std::fmt::Debug for Proxy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Proxy")
            .field("target", &self.shared.target.url)
            .finish_non_exhaustive()
    }
}
