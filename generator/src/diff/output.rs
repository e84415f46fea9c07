//! The report for people: changes grouped by operation, each with whom it breaks.

use std::fmt;

use super::{Change, Report};

impl Change {
    /// `breaks clients`, `breaks servers`, `breaks both` or `compatible`.
    pub fn verdict(&self) -> &'static str {
        match (self.breaking_for.client, self.breaking_for.server) {
            (true, true) => "breaks both",
            (true, false) => "breaks clients",
            (false, true) => "breaks servers",
            (false, false) => "compatible",
        }
    }
}

impl fmt::Display for Report {
    /// One block per operation (`POST /a (id)`), one line per change: the verdict, the
    /// kind's code and where, then the message indented below.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let width = self
            .changes
            .iter()
            .map(|c| c.kind.code().len())
            .max()
            .unwrap_or(0);
        let mut current: Option<String> = None;
        for c in &self.changes {
            let heading = match &c.operation {
                Some(op) => format!("{} {} ({})", op.method, op.path, op.id),
                None => "(contract)".to_owned(),
            };
            if current.as_deref() != Some(heading.as_str()) {
                if current.is_some() {
                    writeln!(f)?;
                }
                writeln!(f, "{heading}")?;
                current = Some(heading);
            }
            let line = format!(
                "  {:<14}  {:<width$}  {}",
                c.verdict(),
                c.kind.code(),
                c.location
            );
            writeln!(f, "{}", line.trim_end())?;
            writeln!(f, "  {:<14}  {}", "", c.message)?;
        }
        Ok(())
    }
}

/// `{"old", "new", "changes": [{kind, operation: {id, method, path}, where, old_pointer,
/// new_pointer, breaking_for: {client, server}, message}], "summary": {changes,
/// breaking_for_clients, breaking_for_servers}}`.
pub fn to_json(report: &Report, old: &str, new: &str) -> serde_json::Value {
    serde_json::json!({
        "old": old,
        "new": new,
        "changes": report.changes,
        "summary": {
            "changes": report.changes.len(),
            "breaking_for_clients": report.breaking_for_clients().count(),
            "breaking_for_servers": report.breaking_for_servers().count(),
        },
    })
}
