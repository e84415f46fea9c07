//! What the proxy saw: counts, observed responses and findings.
//!
//! Counters are atomics, so an exchange that breaks nothing takes no lock; findings, rare
//! by nature, go to a bounded list behind a mutex.

use std::collections::{BTreeMap, VecDeque};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use kontrat_mock::Compiled;
use kontrat_verify::Violation;
use serde::Serialize;

use crate::summary::Summary;

/// Which side broke the contract, or that there was no answer at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    /// The app sent a request the contract does not document.
    Request,
    /// The target answered in a way the contract does not document.
    Response,
    /// The target could not be reached or did not answer in time: not a contract
    /// violation, but no answer to check either.
    Transport,
}

impl Side {
    /// As reports name it (`request`, `response`, `transport`).
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Request => "request",
            Side::Response => "response",
            Side::Transport => "transport",
        }
    }
}

/// One violation (or transport failure) of one exchange.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Finding {
    /// The exchange's number since start (or the last reset); the
    /// [`crate::VIOLATIONS_HEADER`] of its answer names it.
    pub seq: u64,
    /// When the request arrived (RFC 3339, UTC).
    pub at: String,
    /// Which side broke the contract.
    pub side: Side,
    /// What broke, in the verifier's terms (its `probe` is the side, e.g. `response`).
    #[serde(flatten)]
    pub violation: Violation,
}

/// The block logged for a finding: the verifier's violation block, numbered.
impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "#{} {}", self.seq, self.violation)
    }
}

pub(crate) struct Ledger {
    exchanges: AtomicU64,
    request_violations: AtomicU64,
    response_violations: AtomicU64,
    transport_failures: AtomicU64,
    /// Bodies passed on without being checked (too large, compressed).
    unchecked_bodies: AtomicU64,
    /// Per operation, then per documented response: how often the target answered it.
    observed: Vec<Vec<AtomicU64>>,
    kept: Mutex<Kept>,
    capacity: usize,
}

#[derive(Default)]
struct Kept {
    findings: VecDeque<Finding>,
    /// Findings not kept for lack of room.
    dropped: u64,
    /// Answers the mock made for operations the target lacks, by operation.
    mocked: BTreeMap<String, u64>,
    started: Option<Instant>,
}

impl Ledger {
    pub(crate) fn new(compiled: &Compiled, capacity: usize) -> Self {
        Self {
            exchanges: AtomicU64::new(0),
            request_violations: AtomicU64::new(0),
            response_violations: AtomicU64::new(0),
            transport_failures: AtomicU64::new(0),
            unchecked_bodies: AtomicU64::new(0),
            observed: compiled
                .contract
                .operations
                .iter()
                .map(|op| op.responses.iter().map(|_| AtomicU64::new(0)).collect())
                .collect(),
            kept: Mutex::new(Kept {
                started: Some(Instant::now()),
                ..Kept::default()
            }),
            capacity,
        }
    }

    fn kept(&self) -> std::sync::MutexGuard<'_, Kept> {
        self.kept.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Numbers a new exchange.
    pub(crate) fn next_exchange(&self) -> u64 {
        self.exchanges.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// The target answered documented response `response` of operation `op`.
    pub(crate) fn observe(&self, op: usize, response: usize) {
        if let Some(counter) = self.observed.get(op).and_then(|r| r.get(response)) {
            counter.fetch_add(1, Ordering::Relaxed);
        }
    }

    pub(crate) fn unchecked_body(&self) {
        self.unchecked_bodies.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn mocked(&self, operation: &str) {
        *self.kept().mocked.entry(operation.to_owned()).or_default() += 1;
    }

    /// Counts, keeps (room permitting) and logs a finding.
    pub(crate) fn record(&self, finding: Finding) {
        let counter = match finding.side {
            Side::Request => &self.request_violations,
            Side::Response => &self.response_violations,
            Side::Transport => &self.transport_failures,
        };
        counter.fetch_add(1, Ordering::Relaxed);
        // Every finding is printed, whatever the log level of ordinary exchanges.
        tracing::warn!("{finding}");
        let mut kept = self.kept();
        if kept.findings.len() >= self.capacity {
            kept.dropped += 1;
        } else {
            kept.findings.push_back(finding);
        }
    }

    pub(crate) fn findings(&self, side: Option<Side>) -> Vec<Finding> {
        self.kept()
            .findings
            .iter()
            .filter(|f| side.is_none_or(|s| f.side == s))
            .cloned()
            .collect()
    }

    pub(crate) fn reset(&self) {
        let mut kept = self.kept();
        *kept = Kept {
            started: Some(Instant::now()),
            ..Kept::default()
        };
        for counter in [
            &self.exchanges,
            &self.request_violations,
            &self.response_violations,
            &self.transport_failures,
            &self.unchecked_bodies,
        ] {
            counter.store(0, Ordering::Relaxed);
        }
        self.observed
            .iter()
            .flatten()
            .for_each(|c| c.store(0, Ordering::Relaxed));
    }

    pub(crate) fn summary(&self, compiled: &Compiled, target: &str) -> Summary {
        let mut coverage = kontrat_verify::coverage(compiled);
        // `coverage` lists operations, then their responses, in the model's order: the
        // order of `observed`.
        for (c, n) in coverage.iter_mut().zip(self.observed.iter().flatten()) {
            c.observed = usize::try_from(n.load(Ordering::Relaxed)).unwrap_or(usize::MAX);
        }
        let kept = self.kept();
        let load = |c: &AtomicU64| c.load(Ordering::Relaxed);
        Summary {
            target: target.to_owned(),
            title: compiled.contract.title.clone(),
            version: compiled.contract.version.clone(),
            exchanges: load(&self.exchanges),
            request_violations: load(&self.request_violations),
            response_violations: load(&self.response_violations),
            transport_failures: load(&self.transport_failures),
            unchecked_bodies: load(&self.unchecked_bodies),
            mocked: kept.mocked.clone(),
            findings: kept.findings.iter().cloned().collect(),
            findings_not_kept: kept.dropped,
            coverage,
            elapsed: kept.started.map(|s| s.elapsed()).unwrap_or_default(),
        }
    }
}
