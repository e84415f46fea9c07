//! Waking the dashboard's event streams when something they show changes: a request was
//! recorded, a forced answer set, the journal cleared, the contract reloaded.
//!
//! Why gated by a count of watchers: every request of the contract records itself, and
//! with no dashboard open that must cost nothing measurable: one atomic load, no lock.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use tokio::sync::Notify;
use tokio::sync::futures::Notified;

/// Change notification for event streams.
#[derive(Debug, Default)]
pub(crate) struct Changes {
    notify: Notify,
    /// Open event streams. SeqCst on both sides: a stream counts itself before it reads
    /// the state, and a change is made before its maker reads the count, so either the
    /// maker sees the stream and wakes it, or the stream reads the change.
    watchers: AtomicUsize,
    closed: AtomicBool,
}

impl Changes {
    /// Says that something changed.
    pub(crate) fn changed(&self) {
        if self.watchers.load(Ordering::SeqCst) > 0 {
            self.notify.notify_waiters();
        }
    }

    /// Counts one more watcher (an open stream); [`Changes::unwatch`] when it ends.
    pub(crate) fn watch(&self) {
        self.watchers.fetch_add(1, Ordering::SeqCst);
    }

    /// Counts one watcher less.
    pub(crate) fn unwatch(&self) {
        self.watchers.fetch_sub(1, Ordering::SeqCst);
    }

    /// The next change; wakes only for changes made after this call.
    pub(crate) fn notified(&self) -> Notified<'_> {
        self.notify.notified()
    }

    /// Ends every event stream, for good (the server is shutting down).
    pub(crate) fn close(&self) {
        self.closed.store(true, Ordering::SeqCst);
        self.notify.notify_waiters();
    }

    /// True once [`Changes::close`] was called.
    pub(crate) fn is_closed(&self) -> bool {
        self.closed.load(Ordering::SeqCst)
    }
}
