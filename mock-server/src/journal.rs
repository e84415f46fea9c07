//! The recent requests, newest last, for `GET /__kontrat/requests` and test assertions.
//!
//! Bounded (a ring buffer), and holding no secrets: no headers, no bodies, query values
//! of API-key parameters masked. Validation messages never echo values (see `check`).

use std::collections::VecDeque;
use std::sync::Mutex;

use serde::Serialize;

/// One request as the mock saw and answered it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Entry {
    /// Sequence number since start (or the last reset).
    pub seq: u64,
    /// When it arrived (RFC 3339, UTC).
    pub at: String,
    /// The request method.
    pub method: String,
    /// The request path.
    pub path: String,
    /// The query string, API-key values masked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    /// The matched operation's id, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    /// The status answered.
    pub status: u16,
    /// The example served, if any (`""` is the single `example`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub example: Option<String>,
    /// Why that response was chosen.
    pub reason: String,
    /// What was wrong with the request, if anything.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<String>,
    /// The seed of a dynamic body, to replay it with `Prefer: dynamic=true, seed=…`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    /// Time spent answering, in microseconds (without injected delay).
    pub micros: u64,
}

/// A bounded log of recent requests.
#[derive(Debug)]
pub(crate) struct Journal {
    capacity: usize,
    entries: Mutex<(u64, VecDeque<Entry>)>,
}

impl Journal {
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            capacity,
            entries: Mutex::new((0, VecDeque::new())),
        }
    }

    /// Records an entry, numbering it.
    pub(crate) fn push(&self, mut entry: Entry) {
        if self.capacity == 0 {
            return;
        }
        let mut guard = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        guard.0 += 1;
        entry.seq = guard.0;
        if guard.1.len() == self.capacity {
            guard.1.pop_front();
        }
        guard.1.push_back(entry);
    }

    /// The newest `limit` entries (of `operation`, if given), oldest first.
    pub(crate) fn recent(&self, limit: usize, operation: Option<&str>) -> Vec<Entry> {
        let guard = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let mut out: Vec<Entry> = guard
            .1
            .iter()
            .rev()
            .filter(|e| operation.is_none_or(|o| e.operation.as_deref() == Some(o)))
            .take(limit)
            .cloned()
            .collect();
        out.reverse();
        out
    }

    pub(crate) fn clear(&self) {
        let mut guard = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        *guard = (0, VecDeque::new());
    }
}
