//! Logging of the long-running commands (`mock`, `proxy`): one line per request on stderr.

use tracing_appender::non_blocking::WorkerGuard;

/// Logs at `level` (`KONTRAT_LOG` overrides it) to stderr. Lines are written by a thread
/// of their own, in batches, so a slow terminal or pipe holds up no request and each line
/// is not a write of its own. Not lossy: when the queue is full, requests wait rather than
/// lines disappear. The queue is allocated up front: 4,096 lines (128 KiB), not the
/// default 128,000 (4 MiB of idle RSS). Keep the guard: dropping it flushes what is queued.
pub(crate) fn init(level: &str) -> WorkerGuard {
    let (writer, guard) = tracing_appender::non_blocking::NonBlockingBuilder::default()
        .buffered_lines_limit(4096)
        .lossy(false)
        .thread_name("kontrat-log")
        .finish(std::io::BufWriter::new(std::io::stderr()));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("KONTRAT_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(level)),
        )
        .with_target(false)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(writer)
        .try_init();
    guard
}
