//! The worker pool for the heavy parts of a run: reading a spec's paths and components,
//! and rendering and formatting the generated files.
//!
//! One rayon pool, built on first use, whose threads have [`STACK`]-sized stacks:
//! `openapiv3` reads deeply nested specs, and syn parses deeply nested generated
//! expressions, by recursion (tens of kilobytes of stack per level in debug builds).
//! Only the touched part of a thread's stack is ever committed.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::OnceLock;

/// Stack size of the pool's threads.
const STACK: usize = 64 * 1024 * 1024;

/// At most this many threads: beyond it, formatting is bound by memory bandwidth.
const MAX_THREADS: usize = 8;

fn pool() -> Option<&'static rayon::ThreadPool> {
    static POOL: OnceLock<Option<rayon::ThreadPool>> = OnceLock::new();
    POOL.get_or_init(|| {
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .clamp(1, MAX_THREADS);
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .stack_size(STACK)
            .thread_name(|i| format!("kontrat-{i}"))
            .build()
            .ok()
    })
    .as_ref()
}

/// Runs `f` on the pool, so that `rayon::join` and parallel iterators inside it run on
/// big stacks too. `None` if `f` panicked. Without a pool (no thread could be started),
/// `f` runs here.
pub(crate) fn run<R: Send>(f: impl FnOnce() -> R + Send) -> Option<R> {
    catch_unwind(AssertUnwindSafe(|| match pool() {
        Some(pool) => pool.install(f),
        None => f(),
    }))
    .ok()
}

/// Drops `value` on the pool, off the caller's critical path (a large spec's trees take
/// tens of milliseconds to free). Without a pool it is dropped here.
pub(crate) fn drop_later<T: Send + 'static>(value: T) {
    match pool() {
        Some(pool) => pool.spawn(move || drop(value)),
        None => drop(value),
    }
}
