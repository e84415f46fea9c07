//! The engine of kontrat: OpenAPI spec → located diagnostics → contract model → Rust crate.
//!
//! Data flows one way, in three stages with clear seams:
//!
//! 1. [`spec`] loads YAML or JSON (OpenAPI 3.0, and 3.1 normalised to it), resolves every
//!    `$ref` and collects *all* problems as [`Diagnostics`] with file, line:column and JSON
//!    pointer.
//! 2. [`model`] turns the document into a [`model::Contract`]: operations, parameters,
//!    bodies, responses, security, servers, examples, the shared response envelope. It says
//!    nothing about Rust, so the mock server and the verifier reuse it as is.
//! 3. [`rust`] maps the contract to Rust names and types, renders askama templates and
//!    formats the result, byte-for-byte deterministic; [`typescript`] writes the npm
//!    package. Both take the names of inline schemas from one pass over the whole
//!    contract (the `naming` module), so they agree on them.
//!
//! [`load_contract`] runs stages 1 and 2; [`rust::render`] then gives the files and
//! [`output::write_atomic`] / [`output::drift`] write or compare them. The CLI is a thin
//! shell around these.

pub mod diagnostics;
pub mod diff;
pub mod lint;
pub mod model;
pub(crate) mod naming;
pub mod output;
mod pool;
pub mod rust;
pub mod spec;
pub mod typescript;

pub use diagnostics::{Diagnostic, Diagnostics, Location, Severity};

use std::path::Path;

/// Loads a spec file and builds its contract model.
///
/// `Ok` carries the model and the warnings/notes; `Err` carries every diagnostic when
/// at least one is an error. Locations (line:column) are filled in either way.
pub fn load_contract(path: &Path) -> Result<(model::Contract, Diagnostics), Diagnostics> {
    finish(spec::load_file(path)?)
}

/// Like [`load_contract`], for text already in memory (`file` names it in diagnostics).
pub fn load_contract_str(
    file: &str,
    text: &str,
) -> Result<(model::Contract, Diagnostics), Diagnostics> {
    finish(spec::load_str(file, text)?)
}

fn finish(loaded: spec::Loaded) -> Result<(model::Contract, Diagnostics), Diagnostics> {
    let spec::Loaded {
        spec,
        mut diagnostics,
    } = loaded;
    let contract = model::build(&spec, &mut diagnostics);
    spec.locate(&mut diagnostics);
    pool::drop_later(spec);
    if diagnostics.has_errors() {
        Err(diagnostics)
    } else {
        Ok((contract, diagnostics))
    }
}
