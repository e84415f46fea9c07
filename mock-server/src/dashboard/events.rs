//! `GET /__kontrat/events`: what the dashboard shows, as server-sent events.
//!
//! | event | data | when |
//! |---|---|---|
//! | `request` | a journal [`Entry`](crate::Entry); id `epoch.seq` | a request was answered |
//! | `cleared` | `{}` | the journal was cleared (numbering starts again) |
//! | `forced` | the forced answers by operation | on connect, and when they change |
//! | `contract` | `{reloads, reloadError}` | on connect, on a reload, on a spec that does not load |
//!
//! A new stream starts with the forced answers, the contract status and the newest
//! [`BACKLOG`] requests. A browser reconnecting sends `Last-Event-ID` and gets only what it
//! missed. Why server-sent events and not polling: a request shows the moment it is
//! answered, and an idle dashboard costs nothing. The mock only checks a counter per
//! request ([`Changes`](crate::changes::Changes)).

use std::collections::{BTreeMap, VecDeque};
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::stream::Stream;
use http::HeaderMap;

use crate::reload::ReloadFailure;
use crate::{Forced, Mock};

/// Requests a new stream starts with.
const BACKLOG: usize = 200;

pub(crate) async fn events(
    State(mock): State<Mock>,
    headers: HeaderMap,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let resume = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(parse_id);
    let feed = Feed::new(mock, resume);
    let stream = futures_util::stream::unfold(feed, |mut feed| async move {
        let event = feed.next().await?;
        Some((Ok(event), feed))
    });
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

/// `epoch.seq` → (epoch, seq).
fn parse_id(id: &str) -> Option<(u64, u64)> {
    let (epoch, seq) = id.split_once('.')?;
    Some((epoch.parse().ok()?, seq.parse().ok()?))
}

/// One client's stream: what it has been sent so far, and events ready to send.
struct Feed {
    mock: Mock,
    pending: VecDeque<Event>,
    /// The journal epoch and the last request number the client has; `None` for a new
    /// client, which gets the backlog.
    journal: Option<(u64, u64)>,
    forced: Option<Arc<BTreeMap<String, Forced>>>,
    status: Option<(u64, Option<Arc<ReloadFailure>>)>,
}

impl Feed {
    fn new(mock: Mock, resume: Option<(u64, u64)>) -> Self {
        mock.shared.changes.watch();
        Self {
            mock,
            pending: VecDeque::new(),
            journal: resume,
            forced: None,
            status: None,
        }
    }

    /// The next event, waiting for a change when there is none; `None` once the mock
    /// closes its streams.
    async fn next(&mut self) -> Option<Event> {
        loop {
            if self.mock.shared.changes.is_closed() {
                return None;
            }
            if let Some(event) = self.pending.pop_front() {
                return Some(event);
            }
            let mock = self.mock.clone();
            let notified = mock.shared.changes.notified();
            let mut notified = std::pin::pin!(notified);
            // Registered before looking, so a change made while looking still wakes us.
            notified.as_mut().enable();
            self.catch_up();
            if self.pending.is_empty() && !mock.shared.changes.is_closed() {
                notified.await;
            }
        }
    }

    /// Queues an event for everything that changed since the last look.
    fn catch_up(&mut self) {
        let forced = self.mock.shared.forced.load_full();
        if self
            .forced
            .as_ref()
            .is_none_or(|f| !Arc::ptr_eq(f, &forced))
        {
            self.push("forced", None, &*forced);
            self.forced = Some(forced);
        }

        let reloads = self
            .mock
            .shared
            .reloads
            .load(std::sync::atomic::Ordering::Relaxed);
        let failure = self.mock.reload_failure();
        let same = self.status.as_ref().is_some_and(|(r, f)| {
            *r == reloads
                && match (f, &failure) {
                    (Some(a), Some(b)) => Arc::ptr_eq(a, b),
                    (None, None) => true,
                    _ => false,
                }
        });
        if !same {
            self.push("contract", None, &self.mock.status_json());
            self.status = Some((reloads, failure));
        }

        let mock = self.mock.clone();
        let journal = &mock.shared.journal;
        let capacity = self.mock.config().journal_capacity;
        let (epoch, entries) = match self.journal {
            Some((seen_epoch, seen_seq)) => {
                let now = journal.since(seen_seq, capacity);
                // Numbers behind what the client saw: the journal was cleared, or this is
                // another mock process than the one the client left.
                if now.epoch != seen_epoch || now.last < seen_seq {
                    self.push("cleared", None, &serde_json::json!({}));
                    let fresh = journal.since(0, BACKLOG);
                    (fresh.epoch, fresh.entries)
                } else {
                    (now.epoch, now.entries)
                }
            }
            None => {
                let fresh = journal.since(0, BACKLOG);
                (fresh.epoch, fresh.entries)
            }
        };
        let mut last = match self.journal {
            Some((seen_epoch, seq)) if seen_epoch == epoch => seq,
            _ => 0,
        };
        for entry in &entries {
            last = last.max(entry.seq);
            let id = format!("{epoch}.{}", entry.seq);
            self.push("request", Some(id), entry);
        }
        self.journal = Some((epoch, last));
    }

    fn push(&mut self, name: &str, id: Option<String>, data: &impl serde::Serialize) {
        let Ok(event) = Event::default().event(name).json_data(data) else {
            return;
        };
        self.pending.push_back(match id {
            Some(id) => event.id(id),
            None => event,
        });
    }
}

impl Drop for Feed {
    fn drop(&mut self) {
        self.mock.shared.changes.unwatch();
    }
}
