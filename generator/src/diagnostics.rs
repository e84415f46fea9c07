//! Located problems found while loading a spec or building the contract model.
//!
//! Every stage pushes into one [`Diagnostics`] store instead of stopping at the
//! first problem, so a user fixes a broken spec in one round trip.

use std::fmt;

/// How bad a [`Diagnostic`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Informational: something was ignored on purpose (e.g. 3.1 `webhooks`).
    Note,
    /// The construct was accepted with a fallback (e.g. typed as `serde_json::Value`).
    Warning,
    /// The spec cannot be used as written.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// A 1-based line and column in the spec file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

/// One problem, with where it is and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error, warning or note.
    pub severity: Severity,
    /// Stable, kebab-case identifier such as `unresolved-ref`.
    pub code: &'static str,
    /// What is wrong, in one sentence.
    pub message: String,
    /// JSON pointer (RFC 6901, `#/paths/~1pets/get`) of the offending node; `#` for the root.
    pub pointer: String,
    /// Line and column, when the position could be recovered from the source text.
    pub location: Option<Location>,
    /// What to do about it.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error at `pointer`.
    pub fn error(
        code: &'static str,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self::new(Severity::Error, code, pointer, message)
    }

    /// A warning at `pointer`.
    pub fn warning(
        code: &'static str,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self::new(Severity::Warning, code, pointer, message)
    }

    /// A note at `pointer`.
    pub fn note(
        code: &'static str,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self::new(Severity::Note, code, pointer, message)
    }

    fn new(
        severity: Severity,
        code: &'static str,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            severity,
            code,
            message: message.into(),
            pointer: pointer.into(),
            location: None,
            hint: None,
        }
    }

    /// Adds a hint saying what to do.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Sets the line and column directly (syntax errors know them before any pointer exists).
    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }
}

/// All diagnostics of one spec file, in the order they were found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics {
    /// The file name as the user gave it (or `<embedded spec/auth.yaml>`).
    pub file: String,
    /// The problems.
    pub items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// An empty store for `file`.
    pub fn new(file: impl Into<String>) -> Self {
        Self {
            file: file.into(),
            items: Vec::new(),
        }
    }

    /// Records one problem.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// True when at least one item is an error.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// Iterates over the errors only.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter().filter(|d| d.severity == Severity::Error)
    }

    /// True when nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

impl fmt::Display for Diagnostics {
    /// `file:line:col: error[code]: message`, then the pointer and the hint, one item per block.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.items {
            match d.location {
                Some(l) => write!(f, "{}:{}:{}: ", self.file, l.line, l.column)?,
                None => write!(f, "{}: ", self.file)?,
            }
            writeln!(f, "{}[{}]: {}", d.severity, d.code, d.message)?;
            writeln!(f, "  at {}", d.pointer)?;
            if let Some(h) = &d.hint {
                writeln!(f, "  hint: {h}")?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}
