//! `kontrat`: the command line of the contract-first toolkit.
//!
//! A thin shell over `kontrat-generator`: argument parsing, reading the embedded default
//! spec, printing diagnostics and mapping outcomes to exit codes (0 ok, 1 findings,
//! 2 usage or spec error). All decisions live in the library crates.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context as _;
use clap::{Args, Parser, Subcommand};
use kontrat_generator::{Diagnostics, Severity, output, rust};

mod diff;
mod lint;
mod mock;
mod verify;

/// Generation allocates and frees millions of small syntax-tree nodes; mimalloc does that
/// markedly faster than the system allocator (measured with benches/generate.sh).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The contract of the auth endpoints, compiled in so `kontrat` works from anywhere.
const EMBEDDED_SPEC: &str = include_str!("../spec/auth.yaml");
const EMBEDDED_NAME: &str = "spec/auth.yaml";

/// Contract-first toolkit: an OpenAPI spec → a typed Rust crate (envelope types, models,
/// async client with typed errors, axum server stubs, wiremock helpers).
#[derive(Parser, Debug)]
#[command(name = "kontrat", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Generate the Rust crate for a spec (written atomically: temp dir, then rename).
    Generate(GenerateArgs),
    /// Exit 1 and list the files when the generated crate differs from what the spec produces now.
    Check(GenerateArgs),
    /// Serve the spec as a mock server that answers only what it documents.
    Mock(mock::MockArgs),
    /// Check the spec against the contract rules (exit 1 on errors; `--deny warnings` for warnings).
    Lint(lint::LintArgs),
    /// Classify every change between two versions of a spec as breaking for clients and/or servers.
    Diff(diff::DiffArgs),
    /// Exercise a running implementation and report every way it breaks the contract.
    Verify(verify::VerifyArgs),
}

#[derive(Args, Debug)]
struct GenerateArgs {
    /// OpenAPI 3.0/3.1 spec, YAML or JSON [default: the embedded spec/auth.yaml]
    #[arg(long, value_name = "FILE")]
    spec: Option<PathBuf>,
    /// Directory of the generated crate [default: generated/<crate name>]
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Name of the generated crate [default: from the spec's title, e.g. `auth-api`]
    #[arg(long, value_name = "NAME")]
    name: Option<String>,
    /// Print warnings and notes too, not only errors
    #[arg(long, short)]
    verbose: bool,
    /// Print how long each stage took (load and model, render, write) to stderr
    #[arg(long)]
    timings: bool,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Generate(args) => generate(&args, false),
        Command::Check(args) => generate(&args, true),
        Command::Mock(args) => mock::run(&args),
        Command::Lint(args) => lint::run(&args),
        Command::Diff(args) => diff::run(&args),
        Command::Verify(args) => verify::run(&args),
    }
}

/// The spec's display name and text.
fn read_spec(spec: Option<&Path>) -> anyhow::Result<(String, String)> {
    match spec {
        None => Ok((EMBEDDED_NAME.to_owned(), EMBEDDED_SPEC.to_owned())),
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the spec {}", path.display()))?;
            Ok((path.display().to_string(), text))
        }
    }
}

fn print_diagnostics(d: &Diagnostics, verbose: bool) {
    let shown = Diagnostics {
        file: d.file.clone(),
        items: d
            .items
            .iter()
            .filter(|i| verbose || i.severity == Severity::Error)
            .cloned()
            .collect(),
    };
    if !shown.is_empty() {
        eprint!("{shown}");
    }
}

fn generate(args: &GenerateArgs, check_only: bool) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let (file, text) = read_spec(args.spec.as_deref())?;
    let (contract, warnings) = match kontrat_generator::load_contract_str(&file, &text) {
        Ok(ok) => ok,
        Err(diagnostics) => {
            print_diagnostics(&diagnostics, true);
            eprintln!(
                "error: {file} has {} error(s); nothing was written",
                diagnostics.errors().count()
            );
            return Ok(ExitCode::from(2));
        }
    };
    let loaded_at = Instant::now();
    let spec_file_name = Path::new(&file)
        .file_name()
        .map_or_else(|| file.clone(), |n| n.to_string_lossy().into_owned());
    let options = rust::Options {
        crate_name: args
            .name
            .as_deref()
            .map(rust::package_name)
            .unwrap_or_else(|| rust::crate_name(&contract)),
        spec_file: spec_file_name,
    };
    let mut diagnostics = warnings;
    let files = match rust::render(&contract, &options, &mut diagnostics) {
        Ok(files) => files,
        Err(e) => {
            print_diagnostics(&diagnostics, true);
            eprintln!("error: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    let rendered_at = Instant::now();
    print_diagnostics(&diagnostics, args.verbose);
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("generated").join(&options.crate_name));

    if check_only {
        let drift = output::drift(&out, &files)
            .with_context(|| format!("cannot read {}", out.display()))?;
        if drift.is_empty() {
            println!("ok: {} matches {file}", out.display());
            return Ok(ExitCode::SUCCESS);
        }
        println!("{} differs from what {file} produces now:", out.display());
        for d in &drift {
            println!("  {d}");
        }
        println!(
            "run `kontrat generate{}` and commit the result",
            spec_arg(args)
        );
        return Ok(ExitCode::from(1));
    }

    output::write_atomic(&out, &files)
        .with_context(|| format!("cannot write {}", out.display()))?;
    if args.timings {
        eprintln!(
            "timings: load+model {:.0?}, render+format {:.0?}, write {:.0?}",
            loaded_at - started,
            rendered_at - loaded_at,
            rendered_at.elapsed()
        );
    }
    let warnings = diagnostics
        .items
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .count();
    println!(
        "generated {} ({} files, {} operations, {} warning(s)) from {file} in {:.0?}",
        out.display(),
        files.len(),
        contract.operations.len(),
        warnings,
        started.elapsed(),
    );
    if warnings > 0 && !args.verbose {
        println!("run with --verbose to see the warnings");
    }
    Ok(ExitCode::SUCCESS)
}

fn spec_arg(args: &GenerateArgs) -> String {
    let mut s = String::new();
    if let Some(spec) = &args.spec {
        s.push_str(&format!(" --spec {}", spec.display()));
    }
    if let Some(out) = &args.out {
        s.push_str(&format!(" --out {}", out.display()));
    }
    s
}
