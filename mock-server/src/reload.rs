//! Hot reload: the spec file is polled, a valid change is swapped in, an invalid one is
//! reported and the running contract stays.
//!
//! Why polling and not inotify: editors save by writing a temporary file and renaming it
//! over the original, which drops a watch on the file itself; a metadata check every few
//! hundred milliseconds follows any way of saving, costs nothing measurable, and needs no
//! extra dependency.

use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use crate::Mock;

/// Watches `path` every `interval` and serves its new contract when it changes and loads
/// without errors. Runs until the returned task is aborted.
pub fn watch(mock: Mock, path: PathBuf, interval: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut seen = stamp(&path);
        loop {
            tokio::time::sleep(interval).await;
            let now = stamp(&path);
            if now == seen {
                continue;
            }
            // Let a save in progress finish before reading.
            tokio::time::sleep(Duration::from_millis(30)).await;
            seen = stamp(&path);
            let loaded = {
                let path = path.clone();
                tokio::task::spawn_blocking(move || kontrat_generator::load_contract(&path)).await
            };
            match loaded {
                Ok(Ok((contract, diagnostics))) => {
                    let n = contract.operations.len();
                    mock.replace(contract);
                    let warnings = diagnostics
                        .items
                        .iter()
                        .filter(|d| d.severity == kontrat_generator::Severity::Warning)
                        .count();
                    tracing::info!(
                        "reload: {} changed; now serving {n} operations ({warnings} warnings)",
                        path.display()
                    );
                }
                Ok(Err(diagnostics)) => {
                    tracing::error!(
                        "reload: {} changed but does not load; still serving the previous contract\n{diagnostics}",
                        path.display()
                    );
                }
                Err(e) => tracing::error!("reload: loading {} failed: {e}", path.display()),
            }
        }
    })
}

/// What tells a change: modification time and length (None while the file is missing).
fn stamp(path: &std::path::Path) -> Option<(SystemTime, u64)> {
    let m = std::fs::metadata(path).ok()?;
    Some((m.modified().ok()?, m.len()))
}
