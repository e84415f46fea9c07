//! Contract rules for CI: what the loader diagnoses, plus checks that a spec is healthy.
//!
//! [`lint_str`] / [`lint_file`] load a spec, build its contract model and run every rule of
//! [`RULES`] on it. Findings are ordinary [`Diagnostic`]s: a stable code, a severity, a
//! JSON pointer located to `file:line:column` by [`Spec::locate`], and a one-line hint, so
//! they print, serialise ([`to_json`], [`to_sarif`]) and sort like the loader's own.
//!
//! The rules read the [`Contract`] (and, for unused components, the loaded document's
//! `$ref`s): the spec is never parsed a second way. One module per rule family:
//! `examples` (examples validate against their schemas), `operations` (ids, 401/400,
//! production warning), `envelope` (the shared response envelope), `responses`
//! (descriptions and content) and `components` (unused components).

mod components;
mod envelope;
mod examples;
mod operations;
mod output;
mod responses;

use std::collections::HashSet;
use std::path::Path;

use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::model::{self, Contract};
use crate::spec::{self, Spec};

pub use operations::has_production_warning;
pub use output::{to_json, to_sarif};

/// One lint rule: its stable code, default severity and what it checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// Stable kebab-case code, as in [`Diagnostic::code`].
    pub code: &'static str,
    /// The severity its findings have.
    pub severity: Severity,
    /// What it checks, in one sentence.
    pub summary: &'static str,
}

/// The contract rules [`run`] applies, plus the loader and model checks they build on
/// (those keep the loader's codes). Every code a lint run can report that is not a
/// loader diagnostic is listed here.
pub const RULES: &[Rule] = &[
    Rule {
        code: "example-invalid",
        severity: Severity::Error,
        summary: "Every request, response and parameter example validates against its schema.",
    },
    Rule {
        code: "schema-example-invalid",
        severity: Severity::Warning,
        summary: "A schema's own `example` validates against that schema.",
    },
    Rule {
        code: "operation-id-missing",
        severity: Severity::Warning,
        summary: "Every operation has an operationId (generated code and diffs are keyed by it).",
    },
    Rule {
        code: "duplicate-operation-id",
        severity: Severity::Error,
        summary: "operationIds are unique (checked by the loader).",
    },
    Rule {
        code: "undeclared-path-parameter",
        severity: Severity::Error,
        summary: "Every `{name}` of a path template is declared as a path parameter (checked by the model).",
    },
    Rule {
        code: "unused-path-parameter",
        severity: Severity::Warning,
        summary: "Every declared path parameter appears in the path template (checked by the model).",
    },
    Rule {
        code: "secured-without-401",
        severity: Severity::Warning,
        summary: "An operation that takes credentials documents the 401 it answers without them.",
    },
    Rule {
        code: "body-without-400",
        severity: Severity::Warning,
        summary: "An operation with a request body documents the 400 it answers to a bad one.",
    },
    Rule {
        code: "parameters-without-400",
        severity: Severity::Warning,
        summary: "An operation with parameters (and no body) documents the 400 it answers when they break the contract.",
    },
    Rule {
        code: "envelope-not-used",
        severity: Severity::Warning,
        summary: "When the spec has a shared response envelope, every JSON response uses it.",
    },
    Rule {
        code: "envelope-status-mismatch",
        severity: Severity::Error,
        summary: "The envelope's status field in an example equals the response's HTTP status.",
    },
    Rule {
        code: "envelope-success-mismatch",
        severity: Severity::Error,
        summary: "The envelope's success flag in an example is true exactly on 2xx responses.",
    },
    Rule {
        code: "production-warning-missing",
        severity: Severity::Warning,
        summary: "With a Production server, every mutating operation's description warns that it changes production data.",
    },
    Rule {
        code: "component-unused",
        severity: Severity::Warning,
        summary: "Every component is used (referenced from an operation, directly or through other components).",
    },
    Rule {
        code: "response-description-missing",
        severity: Severity::Warning,
        summary: "Every response has a non-empty description.",
    },
    Rule {
        code: "response-content-missing",
        severity: Severity::Warning,
        summary: "Responses that carry a body (200, 203, 206, 2XX; every non-204 answer when the spec has an envelope) document its content.",
    },
    Rule {
        code: "response-content-unexpected",
        severity: Severity::Warning,
        summary: "Responses that never carry a body (204, 205, 304, any HEAD answer) document no content.",
    },
];

/// The rule with this code, if it is one of [`RULES`].
pub fn rule(code: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.code == code)
}

/// Lints the spec file at `path`; see [`lint_str`].
pub fn lint_file(path: &Path) -> Result<Diagnostics, Diagnostics> {
    finish(spec::load_file(path)?)
}

/// Loads the spec text, builds its model and runs every rule.
///
/// `Ok` carries every finding, located and in file order: the loader's warnings and
/// notes, the model's diagnostics (its errors included: the model is built with
/// fallbacks, so the rules still run) and the rules' own. `Err` carries the loader's
/// diagnostics when the document cannot be loaded at all (syntax, unresolved `$ref`s,
/// duplicate operationIds, wrong shapes): no rule can run then.
pub fn lint_str(file: &str, text: &str) -> Result<Diagnostics, Diagnostics> {
    finish(spec::load_str(file, text)?)
}

fn finish(loaded: spec::Loaded) -> Result<Diagnostics, Diagnostics> {
    let spec::Loaded {
        spec,
        mut diagnostics,
    } = loaded;
    let contract = model::build(&spec, &mut diagnostics);
    let mut findings = run(&spec, &contract);
    if diagnostics
        .items
        .iter()
        .any(|d| d.code == "webhooks-ignored")
    {
        // The loader drops 3.1 `webhooks`: what only they use looks unused from here.
        for d in findings
            .items
            .iter_mut()
            .filter(|d| d.code == "component-unused")
        {
            d.severity = Severity::Note;
            d.message
                .push_str(" (the spec's webhooks, which kontrat ignores, may use it)");
        }
    }
    diagnostics.items.extend(findings.items);
    spec.locate(&mut diagnostics);
    dedupe(&mut diagnostics.items);
    sort(&mut diagnostics.items);
    Ok(diagnostics)
}

/// Runs every contract rule of [`RULES`] on a loaded spec and its model; the findings
/// are located and in file order (the loader's and the model's own diagnostics are not
/// repeated here).
pub fn run(spec: &Spec, contract: &Contract) -> Diagnostics {
    let mut lint = Lint {
        spec,
        contract,
        items: Vec::new(),
    };
    operations::check(&mut lint);
    responses::check(&mut lint);
    envelope::check(&mut lint);
    examples::check(&mut lint);
    components::check(&mut lint);
    let mut diagnostics = Diagnostics {
        file: spec.file.clone(),
        items: lint.items,
    };
    spec.locate(&mut diagnostics);
    dedupe(&mut diagnostics.items);
    sort(&mut diagnostics.items);
    diagnostics
}

/// What the rule modules share: the spec, its model and the findings so far.
struct Lint<'a> {
    spec: &'a Spec,
    contract: &'a Contract,
    items: Vec<Diagnostic>,
}

impl Lint<'_> {
    /// Records a finding of the rule `code` with that rule's severity.
    fn report(
        &mut self,
        code: &'static str,
        pointer: impl Into<String>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) {
        let severity = rule(code).map_or(Severity::Warning, |r| r.severity);
        let d = match severity {
            Severity::Error => Diagnostic::error(code, pointer, message),
            Severity::Warning => Diagnostic::warning(code, pointer, message),
            Severity::Note => Diagnostic::note(code, pointer, message),
        };
        self.items.push(d.with_hint(hint));
    }

    /// Where the node at `pointer` is defined: `pointer` itself, or the target of the
    /// `$ref` written there (followed through chains), so a problem of a shared
    /// component is reported once, at the component.
    fn definition(&self, pointer: &str) -> String {
        let mut at = pointer.to_owned();
        for _ in 0..16 {
            match self
                .spec
                .node(&at)
                .and_then(|n| n.get("$ref"))
                .and_then(|r| r.as_str())
            {
                Some(target) if target.starts_with("#/") => at = target.to_owned(),
                _ => break,
            }
        }
        at
    }

    /// `pointer/key` when that node exists in the document, else `pointer`.
    fn member(&self, pointer: &str, key: &str) -> String {
        let child = format!("{pointer}/{}", spec::pointer_escape(key));
        if self.spec.node(&child).is_some() {
            child
        } else {
            pointer.to_owned()
        }
    }
}

/// Shared components are reached once per use; report each problem once.
fn dedupe(items: &mut Vec<Diagnostic>) {
    let mut seen = HashSet::new();
    items.retain(|d| seen.insert((d.code, d.pointer.clone(), d.message.clone())));
}

/// File order (stable); findings without a position last.
fn sort(items: &mut [Diagnostic]) {
    items.sort_by_key(|d| {
        d.location
            .map_or((usize::MAX, usize::MAX), |l| (l.line, l.column))
    });
}

/// `GET /pets/{id}` (`getPet`), how findings name an operation.
fn describe(op: &model::Operation) -> String {
    if op.id_derived {
        format!("{} {}", op.method, op.path)
    } else {
        format!("`{}` ({} {})", op.id, op.method, op.path)
    }
}
