//! The Rust back-end: [`Contract`] → the files of a typed crate.
//!
//! [`render`] plans types ([`types::TypeSpace`]) and operations ([`operations::plan`]),
//! fills askama templates (which only format), parses and pretty-prints every Rust file.
//! The result is a `BTreeMap` of path → content: byte-for-byte the same for the same
//! contract and options.

mod builder;
mod doc;
mod format;
pub mod names;
pub mod operations;
pub mod types;
mod views;

use crate::diagnostics::Diagnostics;
use crate::model::Contract;
use crate::output::Files;

/// What [`render`] needs besides the contract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The package name of the generated crate (`auth-api`).
    pub crate_name: String,
    /// The spec's file name, for the `@generated` headers (`auth.yaml`).
    pub spec_file: String,
}

/// Why rendering failed. Each is a bug of kontrat, not of the spec: the spec's problems
/// are diagnostics, and unsupported constructs fall back with a warning.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RenderError {
    /// A template failed to render.
    #[error("template {template} failed: {source}")]
    Template {
        /// The template's name.
        template: &'static str,
        /// askama's error.
        source: askama::Error,
    },
    /// A rendered file is not valid Rust.
    #[error(
        "kontrat produced invalid Rust in {file}: {message}; the unformatted file is at {saved} (please report this with the spec)"
    )]
    InvalidRust {
        /// The file.
        file: String,
        /// syn's message.
        message: String,
        /// Where the unformatted text was saved.
        saved: String,
    },
}

/// The default crate name for a contract: its title in kebab case (`Auth API` → `auth-api`).
pub fn crate_name(contract: &Contract) -> String {
    package_name(&contract.title)
}

/// A valid Cargo package name from anything (`My API!` → `my-api`, `1st` → `api-1st`).
pub fn package_name(raw: &str) -> String {
    let snake = names::snake(raw).replace('_', "-");
    let trimmed = snake.trim_matches('-');
    if trimmed.is_empty() || trimmed.starts_with(|c: char| c.is_ascii_digit()) {
        format!("api-{trimmed}").trim_end_matches('-').to_owned()
    } else {
        trimmed.to_owned()
    }
}

/// Renders the crate for `contract`. Warnings about fallbacks are pushed to `diagnostics`.
pub fn render(
    contract: &Contract,
    options: &Options,
    diagnostics: &mut Diagnostics,
) -> Result<Files, RenderError> {
    views::render(contract, options, diagnostics)
}
