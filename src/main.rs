//! `kontrat`: the command line of the contract-first toolkit.
//!
//! A thin shell over `kontrat-generator`: argument parsing, reading the embedded default
//! spec, printing diagnostics and mapping outcomes to exit codes (0 ok, 1 findings,
//! 2 usage or spec error). All decisions live in the library crates.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context as _;
use clap::{Args, Parser, Subcommand, ValueEnum};
use kontrat_generator::{Diagnostics, Severity, output, rust, typescript};

mod diff;
mod lint;
mod logging;
mod mock;
mod proxy;
mod verify;

/// Generation allocates and frees millions of small syntax-tree nodes; mimalloc does that
/// markedly faster than the system allocator (measured with benches/generate.sh).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The contract of the auth endpoints, compiled in so `kontrat` works from anywhere.
const EMBEDDED_SPEC: &str = include_str!("../spec/auth.yaml");
const EMBEDDED_NAME: &str = "spec/auth.yaml";

/// `kontrat --version`: the version and the commit built (see build.rs).
const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (", env!("KONTRAT_COMMIT"), ")");

/// Contract-first toolkit: an OpenAPI spec → a typed Rust crate (envelope types, models,
/// async client with typed errors, axum server stubs, wiremock helpers).
#[derive(Parser, Debug)]
#[command(name = "kontrat", version = VERSION, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Generate the Rust crate (or, with `--lang typescript`, the npm package) for a spec
    /// (written atomically: temp dir, then rename).
    Generate(GenerateArgs),
    /// Exit 1 and list the files when generated code differs from what the spec produces now
    /// (without `--lang` and `--out`: both the Rust crate and the TypeScript package).
    Check(GenerateArgs),
    /// Serve the spec as a mock server that answers only what it documents.
    Mock(mock::MockArgs),
    /// Check the spec against the contract rules (exit 1 on errors; `--deny warnings` for warnings).
    Lint(lint::LintArgs),
    /// Classify every change between two versions of a spec as breaking for clients and/or servers.
    Diff(diff::DiffArgs),
    /// Exercise a running implementation and report every way it breaks the contract.
    Verify(verify::VerifyArgs),
    /// Forward real traffic to an implementation and check both sides against the contract.
    Proxy(proxy::ProxyArgs),
}

/// The back-ends `generate` and `check` know.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum Lang {
    /// A Rust crate: client, axum server stubs, wiremock helpers.
    Rust,
    /// An npm package (ES modules + `.d.ts`, no runtime dependencies): client, validators.
    Typescript,
}

#[derive(Args, Debug)]
struct GenerateArgs {
    /// Target language [default: rust; `check` without `--lang` and `--out` checks both]
    #[arg(long, value_enum)]
    lang: Option<Lang>,
    /// OpenAPI 3.0/3.1 spec, YAML or JSON [default: the embedded spec/auth.yaml]
    #[arg(long, value_name = "FILE")]
    spec: Option<PathBuf>,
    /// Directory of the generated code [default: generated/<name>, generated/<name>-ts for TypeScript]
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Name of the generated crate or npm package [default: from the spec's title, e.g. `auth-api`]
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
        Command::Proxy(args) => proxy::run(&args),
    }
}

/// The spec's display name and text.
/// The contract of `--spec` (or the embedded one) and its file name; `Err` with exit
/// status 2 once its located errors are printed.
fn load_contract_or_report(
    spec: Option<&Path>,
) -> anyhow::Result<Result<(String, kontrat_generator::model::Contract), ExitCode>> {
    let (file, text) = read_spec(spec)?;
    Ok(match kontrat_generator::load_contract_str(&file, &text) {
        Ok((contract, _)) => Ok((file, contract)),
        Err(diagnostics) => {
            print_diagnostics(&diagnostics, true);
            eprintln!(
                "error: {file} has {} error(s)",
                diagnostics.errors().count()
            );
            Err(ExitCode::from(2))
        }
    })
}

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
    let langs: &[Lang] = match (args.lang, check_only && args.out.is_none()) {
        (Some(lang), _) => &[lang][..],
        (None, true) => &[Lang::Rust, Lang::Typescript][..],
        (None, false) => &[Lang::Rust][..],
    };
    let mut diagnostics = warnings;
    let mut outcome = ExitCode::SUCCESS;
    for &lang in langs {
        let (out, files) = match render(args, lang, &contract, &spec_file_name, &mut diagnostics) {
            Ok(rendered) => rendered,
            Err(e) => {
                print_diagnostics(&diagnostics, true);
                eprintln!("error: {e}");
                return Ok(ExitCode::from(2));
            }
        };
        let rendered_at = Instant::now();
        if check_only {
            if check(args, lang, &file, &out, &files)? != ExitCode::SUCCESS {
                outcome = ExitCode::from(1);
            }
            continue;
        }
        print_diagnostics(&diagnostics, args.verbose);
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
    }
    // The process ends right after: freeing a big spec's model one node at a time took
    // tens of milliseconds (GitHub's description), which the OS does at once.
    std::mem::forget(contract);
    Ok(outcome)
}

/// Renders one back-end: where it goes and its files.
fn render(
    args: &GenerateArgs,
    lang: Lang,
    contract: &kontrat_generator::model::Contract,
    spec_file: &str,
    diagnostics: &mut Diagnostics,
) -> anyhow::Result<(PathBuf, output::Files)> {
    let name = args
        .name
        .as_deref()
        .map(rust::package_name)
        .unwrap_or_else(|| rust::crate_name(contract));
    match lang {
        Lang::Rust => {
            let options = rust::Options {
                crate_name: name,
                spec_file: spec_file.to_owned(),
            };
            let files = rust::render(contract, &options, diagnostics)?;
            let out = args
                .out
                .clone()
                .unwrap_or_else(|| PathBuf::from("generated").join(&options.crate_name));
            Ok((out, files))
        }
        Lang::Typescript => {
            let options = typescript::Options {
                package_name: name,
                spec_file: spec_file.to_owned(),
            };
            let files = typescript::render(contract, &options)?;
            let out = args.out.clone().unwrap_or_else(|| {
                PathBuf::from("generated").join(format!("{}-ts", options.package_name))
            });
            Ok((out, files))
        }
    }
}

/// Compares one back-end's output with the disk.
fn check(
    args: &GenerateArgs,
    lang: Lang,
    file: &str,
    out: &Path,
    files: &output::Files,
) -> anyhow::Result<ExitCode> {
    let drift =
        output::drift(out, files).with_context(|| format!("cannot read {}", out.display()))?;
    if drift.is_empty() {
        println!("ok: {} matches {file}", out.display());
        return Ok(ExitCode::SUCCESS);
    }
    println!("{} differs from what {file} produces now:", out.display());
    for d in &drift {
        println!("  {d}");
    }
    let lang_arg = match lang {
        Lang::Rust => "",
        Lang::Typescript => " --lang typescript",
    };
    println!(
        "run `kontrat generate{lang_arg}{}` and commit the result",
        spec_arg(args)
    );
    Ok(ExitCode::from(1))
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
