//! `kontrat proxy`: forward real traffic to an implementation, check both sides against
//! the contract with `kontrat-proxy`, and give CI an exit code.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context as _;
use clap::{Args, ValueEnum};
use kontrat_mock::CorsPolicy;
use kontrat_proxy::{Config, Proxy, Summary};

use crate::mock::{bracket, shutdown_signal};

#[derive(Args, Debug)]
pub(crate) struct ProxyArgs {
    /// Base URL of the running implementation, e.g. http://127.0.0.1:4020
    #[arg(long, value_name = "URL")]
    target: String,
    /// OpenAPI 3.0/3.1 spec, YAML or JSON [default: the embedded spec/auth.yaml]
    #[arg(long, value_name = "FILE")]
    spec: Option<PathBuf>,
    /// Address to listen on
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// Port to listen on (0: any free port, printed at start)
    #[arg(long, default_value_t = 4011)]
    port: u16,
    /// Output format of the summary
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Also write the summary as JUnit XML here
    #[arg(long, value_name = "FILE")]
    junit: Option<PathBuf>,
    /// Answer a request that breaks the contract with the spec's documented 400 (or 401)
    /// as the mock does, instead of forwarding it; it is still reported
    #[arg(long)]
    errors: bool,
    /// Answer as the mock would when the target does not implement a documented operation
    /// yet (it answers 501, or a 404 that is not the documented one); marked in the log
    /// and in a `kontrat-mocked` header
    #[arg(long)]
    mock_missing: bool,
    /// Allow a target that is the spec's production server
    #[arg(long)]
    allow_production: bool,
    /// Seconds the target may take to answer (then: 504, a transport failure)
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0)]
    timeout: f64,
    /// Answer CORS preflights from the contract and decorate answers as the mock does, for
    /// this browser origin (repeatable) [default: CORS passes through to the target]
    #[arg(long, value_name = "ORIGIN")]
    cors_origin: Vec<String>,
    /// Bodies up to this many bytes are read whole and checked; larger ones stream
    /// through unchecked
    #[arg(long, value_name = "BYTES", default_value_t = 1024 * 1024)]
    check_limit: usize,
    /// No line per request; violations and warnings are still printed
    #[arg(long, short)]
    quiet: bool,
    /// Run this command with KONTRAT_PROXY_URL set to the proxy, stop when it ends, and
    /// exit 1 if anything broke the contract, else with its exit status
    #[arg(last = true, value_name = "COMMAND")]
    command: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Human,
    Json,
}

pub(crate) fn run(args: &ProxyArgs) -> anyhow::Result<ExitCode> {
    // The mock answers some requests for the proxy (--errors, --mock-missing): its own
    // per-request lines would repeat the proxy's.
    let level = if args.quiet {
        "warn"
    } else {
        "info,kontrat_mock=warn"
    };
    let flush_logs = crate::logging::init(level);
    let (file, contract) = match crate::load_contract_or_report(args.spec.as_deref())? {
        Ok(loaded) => loaded,
        Err(status) => return Ok(status),
    };
    if !args.allow_production
        && let Err(e) = kontrat_verify::production_guard(&contract, &args.target)
    {
        eprintln!("error: refusing to proxy: {e}");
        return Ok(ExitCode::from(2));
    }
    let timeout = Duration::try_from_secs_f64(args.timeout)
        .ok()
        .filter(|t| !t.is_zero())
        .context("--timeout must be a positive number of seconds")?;
    let config = Config {
        errors: args.errors,
        mock_missing: args.mock_missing,
        timeout,
        check_limit: args.check_limit,
        cors: (!args.cors_origin.is_empty()).then(|| CorsPolicy::Origins(args.cors_origin.clone())),
        ..Config::new(args.target.clone())
    };
    let (title, version, operations) = (
        contract.title.clone(),
        contract.version.clone(),
        contract.operations.len(),
    );
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let outcome = runtime.block_on(async move {
        let proxy = match Proxy::new(contract, config) {
            Ok(p) => p,
            Err(e) => {
                eprintln!("error: {e}");
                return Ok::<_, anyhow::Error>(None);
            }
        };
        let addr: SocketAddr = format!("{}:{}", bracket(&args.host), args.port)
            .parse()
            .with_context(|| format!("`{}` is not an IP address", args.host))?;
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("cannot listen on {addr}"))?;
        let url = format!("http://{}", listener.local_addr()?);
        eprintln!(
            "kontrat proxy: {url} → {} checking {title} {version} ({operations} operations) from {file}; findings at {url}/__kontrat/violations",
            args.target
        );
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(kontrat_mock::serve(
            listener,
            proxy.service(),
            Duration::from_secs(10),
            Duration::from_secs(5),
            async {
                let _ = stopped.await;
            },
        ));
        let command_status = if args.command.is_empty() {
            shutdown_signal().await;
            eprintln!("kontrat proxy: stopping");
            None
        } else {
            Some(run_command(&args.command, &url).await?)
        };
        let _ = stop.send(());
        server
            .await
            .context("the server task failed")?
            .context("serving stopped")?;
        Ok(Some((proxy.summary(), command_status)))
    })?;
    let Some((summary, command_status)) = outcome else {
        return Ok(ExitCode::from(2));
    };
    // Every finding's block is out before the summary that counts them.
    drop(flush_logs);
    report(args, &summary)?;
    Ok(if !summary.conforms() {
        ExitCode::from(1)
    } else {
        command_status.map_or(ExitCode::SUCCESS, ExitCode::from)
    })
}

/// Runs `command` with `KONTRAT_PROXY_URL` set; its exit status (128 + the signal when a
/// signal ended it). A SIGINT or SIGTERM to the proxy is passed on to it.
async fn run_command(command: &[String], url: &str) -> anyhow::Result<u8> {
    let mut child = tokio::process::Command::new(&command[0])
        .args(&command[1..])
        .env("KONTRAT_PROXY_URL", url)
        .kill_on_drop(true)
        .spawn()
        .with_context(|| format!("cannot run `{}`", command[0]))?;
    let status = tokio::select! {
        status = child.wait() => status?,
        () = shutdown_signal() => {
            eprintln!("kontrat proxy: stopping `{}`", command[0]);
            if let Some(pid) = child.id() {
                // SIGTERM first, so that it can clean up; std offers only SIGKILL.
                let _ = std::process::Command::new("kill").args(["-TERM", &pid.to_string()]).status();
            }
            match tokio::time::timeout(Duration::from_secs(5), child.wait()).await {
                Ok(status) => status?,
                Err(_) => {
                    child.start_kill()?;
                    child.wait().await?
                }
            }
        }
    };
    Ok(exit_code(status))
}

fn exit_code(status: std::process::ExitStatus) -> u8 {
    if let Some(code) = status.code() {
        return u8::try_from(code).unwrap_or(1);
    }
    #[cfg(unix)]
    if let Some(signal) = std::os::unix::process::ExitStatusExt::signal(&status) {
        return u8::try_from(128 + signal).unwrap_or(1);
    }
    1
}

fn report(args: &ProxyArgs, summary: &Summary) -> anyhow::Result<()> {
    match args.format {
        Format::Human => println!("\n{summary}"),
        Format::Json => println!("{:#}", summary.to_json()),
    }
    if let Some(path) = &args.junit {
        kontrat_generator::output::write_file_atomic(path, summary.to_junit().as_bytes())
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}
