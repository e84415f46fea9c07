//! kontrat's mock server: serves a contract model over HTTP, answering only what it documents.
//!
//! The contract comes from `kontrat-generator` ([`kontrat_generator::load_contract`]); this
//! crate never reads a spec itself. [`Mock::new`] compiles the contract for serving,
//! [`Mock::service`] gives the HTTP service ([`Mock::router`] the same as an axum app, to
//! nest in another), [`serve`] runs it with timeouts and graceful shutdown, and [`watch`]
//! swaps in a changed spec file while it runs. A browser opening `/__kontrat/` gets the
//! dashboard: the contract as a reference, a playground, forced answers and the live
//! request log, from files compiled into the crate.
//!
//! What a request gets, in order:
//!
//! 1. A preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`): the CORS
//!    answer, allowing the path's documented methods ([`CorsPolicy`]).
//! 2. A path no operation documents: 404, a wrong method: 405 with `Allow`, a body over the
//!    limit: 413. In the spec's shared envelope when it has one, else `application/problem+json`.
//! 3. A forced answer (`Prefer: code=…`/`example=…`, or one set with
//!    `PUT /__kontrat/force/{operationId}`): that documented response, request unchecked.
//! 4. Missing or malformed credentials on a secured operation: the documented 401.
//! 5. Parameters, content type or body that break the contract: the documented 400, its
//!    messages naming every problem.
//! 6. Otherwise the lowest documented 2xx: its example, a body synthesised from its schema,
//!    or with `Prefer: dynamic=true` a seeded random one.
//!
//! Every JSON body sent validates against the documented schema of its status; envelope
//! fields are live (`statusCode` is the HTTP status, `timestamp` is now) unless
//! [`Config::static_examples`] is set.

mod answer;
mod changes;
mod check;
mod compiled;
mod control;
mod cors;
mod dashboard;
mod decode;
mod handler;
mod journal;
mod prefer;
mod reload;
mod routing;
mod serve;
mod service;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use arc_swap::ArcSwap;
use kontrat_generator::model::Contract;
use serde::{Deserialize, Serialize};

pub use answer::{INVALID_BODY, UNDOCUMENTED_STATUS};
pub use check::{Refusal, Request as RequestParts};
pub use compiled::Compiled;
pub use cors::{CorsPolicy, is_preflight};
pub use journal::Entry;
pub use reload::watch;
pub use routing::Match as RouteMatch;
pub use serve::{ServeError, serve};
pub use service::MockService;

/// How the mock behaves.
#[derive(Debug, Clone)]
pub struct Config {
    /// Serve examples verbatim instead of making envelope fields live.
    pub static_examples: bool,
    /// Latency added to every answer of the contract (not to the control API).
    pub delay: Duration,
    /// Browser access.
    pub cors: CorsPolicy,
    /// Seed of dynamic bodies: the n-th dynamic answer is the same in every run.
    pub seed: u64,
    /// Largest request body accepted, in bytes (larger → 413).
    pub body_limit: usize,
    /// How long a client may take to send a request's headers; also the idle timeout of
    /// a kept-alive connection.
    pub header_timeout: Duration,
    /// How long a client may take to send a request's body.
    pub body_timeout: Duration,
    /// How many requests `GET /__kontrat/requests` remembers.
    pub journal_capacity: usize,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            static_examples: false,
            delay: Duration::ZERO,
            cors: CorsPolicy::AnyOrigin,
            seed: 0,
            body_limit: 1024 * 1024,
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(30),
            journal_capacity: 1000,
        }
    }
}

/// An answer forced for an operation until reset (`PUT /__kontrat/force/{operationId}`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Forced {
    /// The documented status to answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// The named example to serve.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<String>,
    /// Serve bodies drawn from the schema.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dynamic: Option<bool>,
    /// Extra latency in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay_ms: Option<u64>,
}

/// A running mock: the served contract (swappable), its configuration and its state.
///
/// Cheap to clone; clones share everything.
#[derive(Clone)]
pub struct Mock {
    shared: Arc<Shared>,
}

struct Shared {
    compiled: ArcSwap<Compiled>,
    config: Config,
    /// Forced answers by operation id (`*`: every operation that documents the status),
    /// as requests read them: without a lock, since every request asks.
    forced: ArcSwap<BTreeMap<String, Forced>>,
    /// Held while the control API edits `forced`, so that no edit is lost to another.
    forced_edits: Mutex<()>,
    journal: journal::Journal,
    /// Wakes the dashboard's event streams.
    changes: changes::Changes,
    /// The dashboard's view of the contract, made once per contract.
    dashboard: dashboard::ViewCache,
    /// Why the spec file's last change is not served, until a change that loads.
    reload_failure: Mutex<Option<Arc<reload::ReloadFailure>>>,
    /// Dynamic answers so far, mixed into their seeds.
    draws: AtomicU64,
    reloads: AtomicU64,
}

impl Mock {
    /// Compiles `contract` for serving.
    pub fn new(contract: Contract, config: Config) -> Self {
        let compiled = Compiled::new(contract, config.static_examples);
        Self {
            shared: Arc::new(Shared {
                compiled: ArcSwap::from_pointee(compiled),
                journal: journal::Journal::new(config.journal_capacity),
                config,
                forced: ArcSwap::default(),
                forced_edits: Mutex::new(()),
                changes: changes::Changes::default(),
                dashboard: dashboard::ViewCache::default(),
                reload_failure: Mutex::new(None),
                draws: AtomicU64::new(0),
                reloads: AtomicU64::new(0),
            }),
        }
    }

    /// Serves `contract` from now on; requests in flight finish with the previous one.
    pub fn replace(&self, contract: Contract) {
        let compiled = Compiled::new(contract, self.shared.config.static_examples);
        self.shared.compiled.store(Arc::new(compiled));
        self.shared.reloads.fetch_add(1, Ordering::Relaxed);
        *self.reload_failure_slot() = None;
        self.shared.changes.changed();
    }

    /// Ends the dashboard's event streams (`/__kontrat/events`) now and refuses new ones,
    /// so that a graceful shutdown need not wait for browsers to hang up.
    pub fn close_event_streams(&self) {
        self.shared.changes.close();
    }

    /// Records that the spec file changed but does not load.
    pub(crate) fn reload_failed(&self, failure: reload::ReloadFailure) {
        *self.reload_failure_slot() = Some(Arc::new(failure));
        self.shared.changes.changed();
    }

    fn reload_failure_slot(&self) -> std::sync::MutexGuard<'_, Option<Arc<reload::ReloadFailure>>> {
        self.shared
            .reload_failure
            .lock()
            .unwrap_or_else(|e| e.into_inner())
    }

    /// The last reload failure, if the spec file's last change did not load.
    pub(crate) fn reload_failure(&self) -> Option<Arc<reload::ReloadFailure>> {
        self.reload_failure_slot().clone()
    }

    /// Reloads so far and the last failure, as the dashboard reads them.
    pub(crate) fn status_json(&self) -> serde_json::Value {
        serde_json::json!({
            "reloads": self.shared.reloads.load(Ordering::Relaxed),
            "reloadError": self.reload_failure().as_deref(),
        })
    }

    /// Records a request in the journal and tells the event streams; returns its number.
    pub(crate) fn record(&self, entry: Entry) -> u64 {
        let seq = self.shared.journal.push(entry);
        self.shared.changes.changed();
        seq
    }

    /// Forgets the recorded requests.
    pub(crate) fn clear_journal(&self) {
        self.shared.journal.clear();
        self.shared.changes.changed();
    }

    /// The contract being served.
    pub fn contract(&self) -> Arc<Compiled> {
        self.shared.compiled.load_full()
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.shared.config
    }

    /// The newest `limit` requests, oldest first.
    pub fn recent(&self, limit: usize) -> Vec<Entry> {
        self.shared.journal.recent(limit, None)
    }

    /// The HTTP service: the contract's operations, the control API under `/__kontrat/`,
    /// CORS. What [`serve`] runs.
    pub fn service(&self) -> MockService {
        MockService::new(self.clone())
    }

    /// [`Mock::service`] as an axum app (its fallback), to nest or merge into another.
    pub fn router(&self) -> axum::Router {
        axum::Router::new().fallback_service(self.service())
    }

    fn forced_for(&self, operation: &str) -> Option<Forced> {
        let forced = self.shared.forced.load();
        forced.get(operation).or_else(|| forced.get("*")).cloned()
    }

    /// The forced answers now.
    fn forced(&self) -> BTreeMap<String, Forced> {
        BTreeMap::clone(&self.shared.forced.load())
    }

    /// Edits the forced answers and publishes the result to requests.
    fn edit_forced<R>(&self, edit: impl FnOnce(&mut BTreeMap<String, Forced>) -> R) -> R {
        let _one_editor = self
            .shared
            .forced_edits
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        let mut forced = self.forced();
        let out = edit(&mut forced);
        self.shared.forced.store(Arc::new(forced));
        self.shared.changes.changed();
        out
    }

    fn methods_of(&self, path: &str) -> Vec<&'static str> {
        self.shared
            .compiled
            .load()
            .routes
            .methods_of(path)
            .into_iter()
            .map(|m| m.as_str())
            .collect()
    }

    fn next_seed(&self) -> u64 {
        let n = self.shared.draws.fetch_add(1, Ordering::Relaxed);
        // SplitMix64 step: distinct, well-spread seeds from (seed, n).
        let mut z = self
            .shared
            .config
            .seed
            .wrapping_add(n.wrapping_add(1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn record_preflight(&self, request: &axum::extract::Request, status: http::StatusCode) {
        let entry = Entry {
            seq: 0,
            at: handler::now(),
            method: "OPTIONS".into(),
            path: request.uri().path().to_owned(),
            query: None,
            operation: None,
            status: status.as_u16(),
            example: None,
            reason: "CORS preflight".into(),
            problems: Vec::new(),
            seed: None,
            micros: 0,
        };
        tracing::info!("OPTIONS {} → CORS preflight → {}", entry.path, entry.status);
        self.record(entry);
    }
}
