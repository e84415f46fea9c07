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
    state: Mutex<State>,
}

/// What [`Journal::since`] found.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Since {
    /// The journal's epoch: how many times it was cleared.
    pub epoch: u64,
    /// The last number given in this epoch.
    pub last: u64,
    /// The entries asked for.
    pub entries: Vec<Entry>,
}

#[derive(Debug, Default)]
struct State {
    /// The last sequence number given.
    seq: u64,
    /// How many times the journal was cleared: numbering starts again at each clear, so a
    /// reader that remembers a number must also remember the epoch it belongs to.
    epoch: u64,
    entries: VecDeque<Entry>,
}

impl Journal {
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            capacity,
            state: Mutex::new(State::default()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Records an entry, numbering it; returns its number (0 when nothing is kept).
    pub(crate) fn push(&self, mut entry: Entry) -> u64 {
        if self.capacity == 0 {
            return 0;
        }
        let mut state = self.lock();
        state.seq += 1;
        entry.seq = state.seq;
        if state.entries.len() == self.capacity {
            state.entries.pop_front();
        }
        state.entries.push_back(entry);
        state.seq
    }

    /// The newest `limit` entries (of `operation`, if given), oldest first.
    pub(crate) fn recent(&self, limit: usize, operation: Option<&str>) -> Vec<Entry> {
        let state = self.lock();
        let mut out: Vec<Entry> = state
            .entries
            .iter()
            .rev()
            .filter(|e| operation.is_none_or(|o| e.operation.as_deref() == Some(o)))
            .take(limit)
            .cloned()
            .collect();
        out.reverse();
        out
    }

    /// The entry numbered `seq`, if still kept.
    pub(crate) fn get(&self, seq: u64) -> Option<Entry> {
        let state = self.lock();
        // Numbers are consecutive within an epoch: the entry's index follows from the first.
        let first = state.entries.front()?.seq;
        let index = usize::try_from(seq.checked_sub(first)?).ok()?;
        state.entries.get(index).filter(|e| e.seq == seq).cloned()
    }

    /// The entries after number `seq` (at most `limit`, the newest), oldest first.
    pub(crate) fn since(&self, seq: u64, limit: usize) -> Since {
        let state = self.lock();
        let mut out: Vec<Entry> = state
            .entries
            .iter()
            .rev()
            .take_while(|e| e.seq > seq)
            .take(limit)
            .cloned()
            .collect();
        out.reverse();
        Since {
            epoch: state.epoch,
            last: state.seq,
            entries: out,
        }
    }

    pub(crate) fn clear(&self) {
        let mut state = self.lock();
        state.seq = 0;
        state.epoch += 1;
        state.entries.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(path: &str) -> Entry {
        Entry {
            seq: 0,
            at: String::new(),
            method: "GET".into(),
            path: path.into(),
            query: None,
            operation: None,
            status: 200,
            example: None,
            reason: String::new(),
            problems: Vec::new(),
            seed: None,
            micros: 0,
        }
    }

    #[test]
    fn entries_are_found_by_number_and_after_a_number() {
        let journal = Journal::new(3);
        for p in ["/a", "/b", "/c", "/d"] {
            journal.push(entry(p));
        }
        assert_eq!(journal.get(1), None, "dropped from the ring");
        assert_eq!(journal.get(3).map(|e| e.path), Some("/c".into()));
        assert_eq!(journal.get(5), None);
        let after = journal.since(2, 10);
        assert_eq!((after.epoch, after.last), (0, 4));
        let paths: Vec<_> = after.entries.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(paths, ["/c", "/d"]);
        assert_eq!(
            journal.since(0, 1).entries[0].path,
            "/d",
            "the newest when limited"
        );
        journal.clear();
        assert_eq!(
            journal.since(0, 10),
            Since {
                epoch: 1,
                last: 0,
                entries: Vec::new()
            }
        );
        assert_eq!(journal.push(entry("/e")), 1, "numbering starts again");
    }
}
