//! `kontrat mock`: serve a spec with `kontrat-mock` until Ctrl-C or SIGTERM.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use clap::Args;
use kontrat_mock::{Config, CorsPolicy, Mock};

use crate::{print_diagnostics, read_spec};

#[derive(Args, Debug)]
pub(crate) struct MockArgs {
    /// OpenAPI 3.0/3.1 spec, YAML or JSON [default: the embedded spec/auth.yaml]
    #[arg(long, value_name = "FILE")]
    spec: Option<PathBuf>,
    /// Address to listen on
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// Port to listen on (0: any free port, printed at start)
    #[arg(long, default_value_t = 4010)]
    port: u16,
    /// Latency added to every answer, in milliseconds (`Prefer: delay=` overrides it)
    #[arg(long, value_name = "MS", default_value_t = 0)]
    delay: u64,
    /// Only this browser origin may call the mock (repeatable) [default: any origin]
    #[arg(long, value_name = "ORIGIN")]
    cors_origin: Vec<String>,
    /// Send no CORS headers at all
    #[arg(long, conflicts_with = "cors_origin")]
    no_cors: bool,
    /// Serve examples verbatim (envelope `statusCode` and `timestamp` as written in the spec)
    #[arg(long)]
    static_examples: bool,
    /// Seed of `Prefer: dynamic=true` bodies (the same seed replays the same bodies)
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Largest request body accepted, in bytes (larger: 413)
    #[arg(long, value_name = "BYTES", default_value_t = 1024 * 1024)]
    body_limit: usize,
    /// Do not reload the spec file when it changes
    #[arg(long)]
    no_watch: bool,
    /// One log line per request is printed; this prints only warnings and errors
    #[arg(long, short)]
    quiet: bool,
}

pub(crate) fn run(args: &MockArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let _flush_on_return = crate::logging::init(if args.quiet { "warn" } else { "info" });
    let (file, text) = read_spec(args.spec.as_deref())?;
    let (contract, diagnostics) = match kontrat_generator::load_contract_str(&file, &text) {
        Ok(ok) => ok,
        Err(diagnostics) => {
            print_diagnostics(&diagnostics, true);
            eprintln!(
                "error: {file} has {} error(s); not serving it",
                diagnostics.errors().count()
            );
            return Ok(ExitCode::from(2));
        }
    };
    print_diagnostics(&diagnostics, false);
    let cors = if args.no_cors {
        CorsPolicy::Off
    } else if args.cors_origin.is_empty() {
        CorsPolicy::AnyOrigin
    } else {
        CorsPolicy::Origins(args.cors_origin.clone())
    };
    let config = Config {
        static_examples: args.static_examples,
        delay: Duration::from_millis(args.delay),
        cors,
        seed: args.seed,
        body_limit: args.body_limit,
        ..Config::default()
    };
    let header_timeout = config.header_timeout;
    let (title, version, operations) = (
        contract.title.clone(),
        contract.version.clone(),
        contract.operations.len(),
    );
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async move {
        let addr: SocketAddr = format!("{}:{}", bracket(&args.host), args.port)
            .parse()
            .with_context(|| format!("`{}` is not an IP address", args.host))?;
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("cannot listen on {addr}"))?;
        let local = listener.local_addr()?;
        let mock = Mock::new(contract, config);
        if let (Some(path), false) = (&args.spec, args.no_watch) {
            kontrat_mock::watch(mock.clone(), path.clone(), Duration::from_millis(300));
        }
        eprintln!(
            "kontrat mock: {title} {version} ({operations} operations) from {file} on http://{local} (ready in {:.1?}; dashboard at http://{local}/__kontrat/ in a browser, control API there too)",
            started.elapsed()
        );
        let streams = mock.clone();
        let shutdown = async move {
            shutdown_signal().await;
            eprintln!("kontrat mock: shutting down (finishing requests in flight)");
            // Open dashboards hold event streams: end them, or shutdown waits for its grace.
            streams.close_event_streams();
        };
        kontrat_mock::serve(listener, mock.service(), header_timeout, Duration::from_secs(5), shutdown)
            .await
            .context("serving stopped")?;
        eprintln!("kontrat mock: stopped");
        Ok::<_, anyhow::Error>(ExitCode::SUCCESS)
    })
}

pub(crate) fn bracket(host: &str) -> String {
    if host.contains(':') && !host.starts_with('[') {
        format!("[{host}]")
    } else {
        host.to_owned()
    }
}

/// Resolves on Ctrl-C or SIGTERM.
pub(crate) async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
}
