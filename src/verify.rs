//! `kontrat verify`: exercise a running implementation and report every contract violation.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context as _;
use clap::{Args, ValueEnum};
use kontrat_mock::Compiled;
use kontrat_verify::{Expect, Options, PlanOptions, Token};

#[derive(Args, Debug)]
pub(crate) struct VerifyArgs {
    /// Base URL of the running implementation, e.g. http://127.0.0.1:4020
    #[arg(long, value_name = "URL")]
    target: String,
    /// OpenAPI 3.0/3.1 spec, YAML or JSON [default: the embedded spec/auth.yaml]
    #[arg(long, value_name = "FILE")]
    spec: Option<PathBuf>,
    /// Credential for secured operations (prefer --token-env: arguments show up in `ps`)
    #[arg(long, value_name = "TOKEN", conflicts_with = "token_env")]
    token: Option<String>,
    /// Read the credential from this environment variable
    #[arg(long, value_name = "VAR")]
    token_env: Option<String>,
    /// Seed of generated requests; a failure report names it, to replay the same requests
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Valid requests generated per operation (besides the documented examples)
    #[arg(long, value_name = "N", default_value_t = 3)]
    generated: usize,
    /// Only this operation (by operationId)
    #[arg(long, value_name = "ID")]
    operation: Option<String>,
    /// Seconds to wait for each answer
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0)]
    timeout: f64,
    /// Seconds for the whole run
    #[arg(long, value_name = "SECONDS", default_value_t = 300.0)]
    overall_timeout: f64,
    /// Allow a target that is the spec's production server
    #[arg(long)]
    allow_production: bool,
    /// Print what would be sent, send nothing
    #[arg(long)]
    dry_run: bool,
    /// Also write a JUnit XML report here
    #[arg(long, value_name = "FILE")]
    junit: Option<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Human,
    Json,
}

pub(crate) fn run(args: &VerifyArgs) -> anyhow::Result<ExitCode> {
    let (file, contract) = match crate::load_contract_or_report(args.spec.as_deref())? {
        Ok(loaded) => loaded,
        Err(status) => return Ok(status),
    };
    if !args.allow_production
        && let Err(e) = kontrat_verify::production_guard(&contract, &args.target)
    {
        eprintln!("error: refusing to verify: {e}");
        return Ok(ExitCode::from(2));
    }
    if let Some(id) = &args.operation
        && contract.operation(id).is_none()
    {
        eprintln!("error: no operation `{id}` in {file}");
        return Ok(ExitCode::from(2));
    }
    let token = match (&args.token, &args.token_env) {
        (Some(t), _) => Some(Token::new(t.clone())),
        (None, Some(var)) => {
            Some(Token::new(std::env::var(var).with_context(|| {
                format!("the environment variable {var} is not set")
            })?))
        }
        (None, None) => None,
    };
    let seconds = |s: f64, what: &str| {
        Duration::try_from_secs_f64(s)
            .map_err(|_| anyhow::anyhow!("{what} must be a positive number of seconds"))
    };
    let options = Options {
        target: args.target.clone(),
        token,
        plan: PlanOptions {
            seed: args.seed,
            generated: args.generated,
        },
        only: args.operation.clone(),
        request_timeout: seconds(args.timeout, "--timeout")?,
        overall_timeout: seconds(args.overall_timeout, "--overall-timeout")?,
    };
    let compiled = Compiled::new(contract, false);
    if args.dry_run {
        let probes = kontrat_verify::plan(&compiled, options.plan, options.only.as_deref());
        println!(
            "kontrat verify --dry-run: {} request(s) to {} (seed {}), nothing sent",
            probes.len(),
            args.target,
            args.seed
        );
        for p in &probes {
            let expect = match p.expect {
                Expect::Status(s) => format!("expects {s}"),
                Expect::ClientError => "expects a documented 4xx".into(),
                Expect::Documented => "expects a documented answer".into(),
            };
            let creds = if p.with_credentials && options.token.is_some() {
                " +credentials"
            } else {
                ""
            };
            println!(
                "{} [{}] {} {}{creds} ({expect})",
                p.operation_id, p.kind, p.method, p.path
            );
            if let Some((content_type, body)) = &p.body {
                println!("    {content_type}: {}", String::from_utf8_lossy(body));
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    if options.token.is_none()
        && compiled
            .contract
            .operations
            .iter()
            .any(|o| o.requires_credentials())
    {
        eprintln!(
            "note: no --token/--token-env: secured operations will only see their 401 probes pass"
        );
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let report = runtime.block_on(kontrat_verify::verify(&compiled, &options));
    match args.format {
        Format::Human => println!("{report}"),
        Format::Json => println!("{:#}", report.to_json()),
    }
    if let Some(path) = &args.junit {
        kontrat_generator::output::write_file_atomic(path, report.to_junit().as_bytes())
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(if report.conforms() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
