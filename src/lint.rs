//! `kontrat lint`: the loader's diagnostics plus the contract rules, for people and CI.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use kontrat_generator::{Diagnostics, Severity, lint};

use crate::read_spec;

#[derive(Args, Debug)]
pub(crate) struct LintArgs {
    /// OpenAPI 3.0/3.1 spec, YAML or JSON [default: the embedded spec/auth.yaml]
    #[arg(long, value_name = "FILE")]
    spec: Option<PathBuf>,
    /// Output format: located text, JSON, or SARIF 2.1.0 (GitHub code scanning)
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Exit 1 on warnings too, not only on errors
    #[arg(long, value_enum, value_name = "LEVEL")]
    deny: Option<Deny>,
    /// Do not report this rule (repeatable), e.g. `--allow component-unused`
    #[arg(long, value_name = "CODE")]
    allow: Vec<String>,
    /// List the rules with their codes and severities, and exit
    #[arg(long)]
    rules: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// `file:line:col: severity[code]: message`, the pointer and a hint
    Human,
    /// `{file, diagnostics: [...], summary}`
    Json,
    /// SARIF 2.1.0
    Sarif,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Deny {
    /// Warnings fail the run like errors
    Warnings,
}

pub(crate) fn run(args: &LintArgs) -> anyhow::Result<ExitCode> {
    if args.rules {
        for r in lint::RULES {
            println!("{:<30} {:<8} {}", r.code, r.severity.to_string(), r.summary);
        }
        return Ok(ExitCode::SUCCESS);
    }
    for code in &args.allow {
        if lint::rule(code).is_none() {
            eprintln!(
                "warning: `--allow {code}`: no lint rule has this code (`kontrat lint --rules` lists them)"
            );
        }
    }
    let (file, text) = read_spec(args.spec.as_deref())?;
    let (mut diagnostics, loaded) = match lint::lint_str(&file, &text) {
        Ok(d) => (d, true),
        Err(d) => (d, false),
    };
    diagnostics
        .items
        .retain(|d| !args.allow.iter().any(|a| a == d.code));
    print(&diagnostics, args.format);
    let errors = diagnostics.errors().count();
    let warnings = diagnostics
        .items
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .count();
    if !loaded {
        if args.format == Format::Human {
            eprintln!("error: {file} cannot be loaded ({errors} error(s)); no rule was run");
        }
        return Ok(ExitCode::from(2));
    }
    let failed = errors > 0 || (args.deny == Some(Deny::Warnings) && warnings > 0);
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn print(diagnostics: &Diagnostics, format: Format) {
    let text = match format {
        Format::Human => {
            let count = |s: Severity| diagnostics.items.iter().filter(|d| d.severity == s).count();
            let (e, w, n) = (
                count(Severity::Error),
                count(Severity::Warning),
                count(Severity::Note),
            );
            if e + w + n == 0 {
                format!("ok: {} lints clean\n", diagnostics.file)
            } else {
                format!(
                    "{diagnostics}{}: {e} error(s), {w} warning(s), {n} note(s)\n",
                    diagnostics.file
                )
            }
        }
        Format::Json => format!("{:#}\n", lint::to_json(diagnostics)),
        Format::Sarif => format!(
            "{:#}\n",
            lint::to_sarif(diagnostics, env!("CARGO_PKG_VERSION"))
        ),
    };
    print_out(&text);
}

/// Writes a report to stdout; a reader that went away (`| head`) is not an error.
pub(crate) fn print_out(text: &str) {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}
