//! Hot reload: the spec file is polled, a valid change is swapped in, an invalid one is
//! reported and the running contract stays.
//!
//! Why polling and not inotify: editors save by writing a temporary file and renaming it
//! over the original, which drops a watch on the file itself; a metadata check every few
//! hundred milliseconds follows any way of saving, costs nothing measurable, and needs no
//! extra dependency.

use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use kontrat_generator::Diagnostics;
use serde::Serialize;

use crate::Mock;

/// Why the last change of the spec file was not served, for the dashboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ReloadFailure {
    /// The spec file.
    pub file: String,
    /// When the change was read (RFC 3339, UTC).
    pub at: String,
    /// What is wrong with it, located.
    pub problems: Vec<Problem>,
}

/// One located problem of a spec that does not load.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Problem {
    /// `file:line:column`, or the file alone when the position is unknown.
    pub location: String,
    /// `error`, `warning` or `note`.
    pub severity: String,
    /// A stable code such as `unresolved-ref`.
    pub code: String,
    /// What is wrong.
    pub message: String,
    /// JSON pointer of the offending node.
    pub pointer: String,
    /// What to do about it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

impl ReloadFailure {
    pub(crate) fn new(diagnostics: &Diagnostics) -> Self {
        let problems = diagnostics
            .items
            .iter()
            .map(|d| Problem {
                location: match d.location {
                    Some(l) => format!("{}:{}:{}", diagnostics.file, l.line, l.column),
                    None => diagnostics.file.clone(),
                },
                severity: d.severity.to_string(),
                code: d.code.to_owned(),
                message: d.message.clone(),
                pointer: d.pointer.clone(),
                hint: d.hint.clone(),
            })
            .collect();
        Self {
            file: diagnostics.file.clone(),
            at: crate::handler::now(),
            problems,
        }
    }

    /// A failure to read the file at all.
    fn unreadable(path: &std::path::Path, why: String) -> Self {
        Self {
            file: path.display().to_string(),
            at: crate::handler::now(),
            problems: vec![Problem {
                location: path.display().to_string(),
                severity: "error".into(),
                code: "unreadable".into(),
                message: why,
                pointer: "#".into(),
                hint: None,
            }],
        }
    }
}

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
                    mock.reload_failed(ReloadFailure::new(&diagnostics));
                    tracing::error!(
                        "reload: {} changed but does not load; still serving the previous contract\n{diagnostics}",
                        path.display()
                    );
                }
                Err(e) => {
                    mock.reload_failed(ReloadFailure::unreadable(&path, e.to_string()));
                    tracing::error!("reload: loading {} failed: {e}", path.display());
                }
            }
        }
    })
}

/// What tells a change: modification time and length (None while the file is missing).
fn stamp(path: &std::path::Path) -> Option<(SystemTime, u64)> {
    let m = std::fs::metadata(path).ok()?;
    Some((m.modified().ok()?, m.len()))
}
