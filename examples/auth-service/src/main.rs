//! `auth-service`: serves the auth contract with real, stateful behaviour (see the crate
//! docs and `examples/auth-service/README.md`).

use std::net::SocketAddr;
use std::time::Duration;

use anyhow::{Context, bail};
use auth_service::{AuthService, Config, CorsOrigins, app, with_cors};
use clap::Parser;

/// A real implementation of spec/auth.yaml: JWT access tokens, rotating refresh tokens in
/// memory. Doubles as a stateful mock for frontend development.
#[derive(Parser)]
#[command(name = "auth-service", version)]
struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// Port to listen on (0: any free port; the URL printed says which).
    #[arg(long, default_value_t = 4020)]
    port: u16,
    /// HS256 key of the access tokens (prefer the environment variable: command lines are
    /// visible to other users). Without it a random key is drawn at start-up and tokens
    /// die with the process.
    #[arg(long, env = "AUTH_SERVICE_SECRET", hide_env_values = true)]
    secret: Option<String>,
    /// A user to start a session for; its first refresh token is printed. Repeat the
    /// option for more users; repeating a name gives that user one more session.
    #[arg(long = "seed-user", value_name = "NAME", default_values_t = [String::from("demo")])]
    seed_users: Vec<String>,
    /// A fixed first refresh token (16 to 4096 characters) for the seed user at the same
    /// position, instead of a random one. Repeatable.
    #[arg(long = "seed-refresh-token", value_name = "TOKEN")]
    seed_refresh_tokens: Vec<String>,
    /// Let a browser app served from ORIGIN call the service (CORS), e.g.
    /// `http://localhost:5173`; `*` allows any origin. Repeatable. Off by default.
    #[arg(long = "cors-origin", value_name = "ORIGIN")]
    cors_origins: Vec<String>,
    /// Lifetime of access tokens, in seconds (the `expiresIn` of every pair).
    #[arg(long, value_name = "SECONDS", default_value_t = 900)]
    access_token_ttl: u64,
    /// Lifetime of each refresh token, in seconds (14 days by default).
    #[arg(long, value_name = "SECONDS", default_value_t = 14 * 24 * 60 * 60)]
    refresh_token_ttl: u64,
}

impl std::fmt::Debug for Args {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("Args")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("secret", &self.secret.as_ref().map(|_| "<redacted>"))
            .field("seed_users", &self.seed_users)
            .field("seed_refresh_tokens", &self.seed_refresh_tokens.len())
            .field("cors_origins", &self.cors_origins)
            .finish_non_exhaustive()
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    let args = Args::parse();

    let secret_given = args.secret.is_some();
    let mut config = match &args.secret {
        Some(secret) => Config::with_secret(secret.as_bytes().to_vec()),
        None => Config::random(),
    };
    config.access_token_ttl = Duration::from_secs(args.access_token_ttl);
    config.refresh_token_ttl = Duration::from_secs(args.refresh_token_ttl);
    if let Err(problem) = config.validate() {
        bail!("{problem}");
    }
    if secret_given && config.secret.len() < 32 {
        tracing::warn!(
            "the JWT secret has {} bytes; HS256 calls for at least 32",
            config.secret.len()
        );
    }
    if args.seed_refresh_tokens.len() > args.seed_users.len() {
        bail!(
            "{} --seed-refresh-token values for {} seed user(s); give one --seed-user per token",
            args.seed_refresh_tokens.len(),
            args.seed_users.len()
        );
    }

    let service = AuthService::new(config);
    let mut seeded = Vec::with_capacity(args.seed_users.len());
    for (index, user) in args.seed_users.iter().enumerate() {
        let token = match args.seed_refresh_tokens.get(index) {
            Some(token) => {
                service
                    .seed_session_with_token(user, token)
                    .with_context(|| format!("--seed-refresh-token #{}", index + 1))?;
                token.clone()
            }
            None => {
                if user.is_empty() {
                    bail!("--seed-user: the user name is empty");
                }
                service.seed_session(user)
            }
        };
        seeded.push((user.as_str(), token));
    }

    let listener = tokio::net::TcpListener::bind((args.host.as_str(), args.port))
        .await
        .with_context(|| format!("cannot listen on {}:{}", args.host, args.port))?;
    let address = listener.local_addr()?;
    let url = base_url(address);

    // The start-up banner goes to stdout (tokens included, on purpose: that is how a
    // tester gets in); request logs go to stderr and never contain tokens.
    println!("auth-service: spec/auth.yaml served on {url}");
    println!(
        "  access tokens: HS256 JWT, {} s; key: {}",
        args.access_token_ttl,
        if secret_given {
            "given (--secret / AUTH_SERVICE_SECRET)"
        } else {
            "random (tokens die with the process)"
        }
    );
    println!("  seed sessions (each refresh token works once: refreshing rotates it):");
    for (user, token) in &seeded {
        println!("    {user}: refresh token {token}");
    }
    if let Some((_, token)) = seeded.first() {
        println!(
            "  try: curl -s -X POST {url}/api/v1/auth/refresh -H 'content-type: application/json' -d '{{\"refreshToken\":\"{token}\"}}'"
        );
    }
    let cors = if args.cors_origins.iter().any(|origin| origin == "*") {
        Some(CorsOrigins::Any)
    } else if args.cors_origins.is_empty() {
        None
    } else {
        Some(CorsOrigins::List(args.cors_origins.clone()))
    };
    match &cors {
        Some(CorsOrigins::Any) => println!("  CORS: any origin"),
        Some(CorsOrigins::List(origins)) => println!("  CORS: {}", origins.join(", ")),
        None => {}
    }
    use std::io::Write as _;
    std::io::stdout().flush().ok();

    let router = match cors {
        Some(origins) => with_cors(app(service), origins),
        None => app(service),
    };
    axum::serve(listener, router)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .context("server error")?;
    tracing::info!("stopped");
    Ok(())
}

fn base_url(address: SocketAddr) -> String {
    match address {
        SocketAddr::V4(v4) => format!("http://{}:{}", v4.ip(), v4.port()),
        SocketAddr::V6(v6) => format!("http://[{}]:{}", v6.ip(), v6.port()),
    }
}

/// Resolves on SIGINT (Ctrl-C) or, on Unix, SIGTERM.
async fn shutdown_signal() {
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => tracing::info!("SIGINT received, shutting down"),
        () = terminate => tracing::info!("SIGTERM received, shutting down"),
    }
}
