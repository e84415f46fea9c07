//! `kontrat diff OLD NEW`: classify every change between two versions of a spec.

use std::process::{Command, ExitCode};

use anyhow::{Context as _, bail};
use clap::{Args, ValueEnum};
use kontrat_generator::diff;
use kontrat_generator::model::Contract;

use crate::print_diagnostics;

#[derive(Args, Debug)]
pub(crate) struct DiffArgs {
    /// The old version: a file, or `git:REV:path` (read with `git show REV:path`)
    #[arg(value_name = "OLD")]
    old: String,
    /// The new version: a file, or `git:REV:path`
    #[arg(value_name = "NEW")]
    new: String,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Exit 0 even when something breaks (an intended major version)
    #[arg(long)]
    allow_breaking: bool,
    /// Whose breakage fails the run: clients (existing consumers), servers (existing
    /// implementations) or either
    #[arg(long, value_enum, default_value_t = FailOn::Clients)]
    fail_on: FailOn,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Changes grouped by operation, with whom each breaks
    Human,
    /// `{old, new, changes: [...], summary}`
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FailOn {
    /// Changes that break clients written against OLD
    Clients,
    /// Changes that break servers written against OLD
    Servers,
    /// Either
    Either,
}

pub(crate) fn run(args: &DiffArgs) -> anyhow::Result<ExitCode> {
    let Some(old) = load(&args.old)? else {
        return Ok(ExitCode::from(2));
    };
    let Some(new) = load(&args.new)? else {
        return Ok(ExitCode::from(2));
    };
    let report = diff::compare(&old, &new);
    let clients = report.breaking_for_clients().count();
    let servers = report.breaking_for_servers().count();
    let text = match args.format {
        Format::Human if report.is_empty() => {
            format!("no changes between {} and {}\n", args.old, args.new)
        }
        Format::Human => format!(
            "{} → {}\n\n{report}\n{} change(s): {clients} break clients, {servers} break servers\n",
            args.old,
            args.new,
            report.changes.len()
        ),
        Format::Json => format!("{:#}\n", diff::to_json(&report, &args.old, &args.new)),
    };
    crate::lint::print_out(&text);
    let failing = match args.fail_on {
        FailOn::Clients => clients,
        FailOn::Servers => servers,
        FailOn::Either => report
            .changes
            .iter()
            .filter(|c| c.breaking_for.any())
            .count(),
    };
    if failing > 0 && !args.allow_breaking {
        if args.format == Format::Human {
            eprintln!(
                "error: {failing} breaking change(s); pass --allow-breaking if this is an intended major version"
            );
        }
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// The contract of a file or `git:REV:path`; `None` (diagnostics printed) when it does
/// not load.
fn load(source: &str) -> anyhow::Result<Option<Contract>> {
    let text = match source.strip_prefix("git:") {
        Some(rest) => {
            let Some((rev, path)) = rest.split_once(':') else {
                bail!("`{source}`: write `git:REV:path`, e.g. `git:HEAD~1:spec/auth.yaml`");
            };
            if rev.is_empty() || path.is_empty() {
                bail!("`{source}`: write `git:REV:path`, e.g. `git:HEAD~1:spec/auth.yaml`");
            }
            let out = Command::new("git")
                .args(["show", &format!("{rev}:{path}")])
                .output()
                .context("cannot run git")?;
            if !out.status.success() {
                bail!(
                    "`git show {rev}:{path}` failed: {}",
                    String::from_utf8_lossy(&out.stderr).trim()
                );
            }
            String::from_utf8(out.stdout)
                .with_context(|| format!("`git show {rev}:{path}` is not UTF-8 text"))?
        }
        None => std::fs::read_to_string(source)
            .with_context(|| format!("cannot read the spec {source}"))?,
    };
    match kontrat_generator::load_contract_str(source, &text) {
        Ok((contract, _)) => Ok(Some(contract)),
        Err(diagnostics) => {
            print_diagnostics(&diagnostics, true);
            eprintln!(
                "error: {source} has {} error(s); nothing was compared",
                diagnostics.errors().count()
            );
            Ok(None)
        }
    }
}
