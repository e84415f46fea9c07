//! `kontrat proxy` as CI runs it: in front of a server, around a command, with exit codes.

use std::path::Path;
use std::process::{Command, Output, Stdio};

/// Sends `POST /api/v1/auth/refresh` with the body `$1` to `$KONTRAT_PROXY_URL` (bash's
/// /dev/tcp: no client needed), writes the answer to stderr and exits with `$2`.
const POST_REFRESH: &str = r#"port=${KONTRAT_PROXY_URL##*:}
exec 3<>"/dev/tcp/127.0.0.1/$port"
printf 'POST /api/v1/auth/refresh HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s' "${#1}" "$1" >&3
cat <&3 >&2
exit "$2""#;

const VALID: &str = r#"{"refreshToken":"3f8c1e0a9b7d4c2e8f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c"}"#;

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The mock, serving as the implementation, on a port of its own.
async fn target() -> String {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("spec/auth.yaml");
    let contract = kontrat_generator::load_contract(&spec).unwrap().0;
    let app = kontrat_mock::Mock::new(contract, kontrat_mock::Config::default()).router();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    url
}

/// `kontrat proxy --target TARGET --port 0 EXTRA… -- bash -c POST_REFRESH bash BODY CODE`.
async fn around(target: &str, extra: &[&str], body: &str, code: u8, cwd: &Path) -> Output {
    let mut args: Vec<String> = ["proxy", "--target", target, "--port", "0"]
        .iter()
        .chain(extra)
        .map(|s| s.to_string())
        .collect();
    args.extend(["--", "bash", "-c", POST_REFRESH, "bash", body].map(String::from));
    args.push(code.to_string());
    let cwd = cwd.to_owned();
    tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_kontrat"))
            .args(&args)
            .current_dir(cwd)
            .output()
            .unwrap()
    })
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn around_a_command_it_exits_with_the_commands_status_or_1_on_violations() {
    let target = target().await;
    let dir = tempfile::tempdir().unwrap();

    let clean = around(&target, &[], VALID, 0, dir.path()).await;
    let (out, err) = (text(&clean.stdout), text(&clean.stderr));
    assert_eq!(clean.status.code(), Some(0), "{out}\n{err}");
    assert!(
        err.contains("HTTP/1.1 200 OK"),
        "the command got its answer: {err}"
    );
    assert!(
        err.contains("#1 POST /api/v1/auth/refresh → refreshToken → 200 ok"),
        "{err}"
    );
    assert!(
        out.contains("coverage: 1/18 documented responses observed"),
        "{out}"
    );
    assert!(out.contains("refreshToken             200✓"), "{out}");
    assert!(out.contains("conforms: 0 violation(s)"), "{out}");
    assert!(!out.contains(&VALID[18..60]) && !err.contains(&VALID[18..60]));

    let failing = around(&target, &[], VALID, 3, dir.path()).await;
    assert_eq!(failing.status.code(), Some(3), "the command's own status");

    let bad = around(
        &target,
        &["--junit", "out/proxy.xml"],
        r#"{"refreshToken":"short"}"#,
        0,
        dir.path(),
    )
    .await;
    let (out, err) = (text(&bad.stdout), text(&bad.stderr));
    assert_eq!(bad.status.code(), Some(1), "{out}\n{err}");
    assert!(err.contains("#1 FAIL refreshToken [request]"), "{err}");
    assert!(
        err.contains("body/refreshToken: value is shorter than 16 characters"),
        "{err}"
    );
    assert!(
        err.contains("kontrat-violations: exchange #1"),
        "the header: {err}"
    );
    assert!(
        out.contains("#1 request refreshToken: body/refreshToken"),
        "{out}"
    );
    assert!(
        out.contains("does NOT conform: 1 violation(s) (1 request, 0 response)"),
        "{out}"
    );
    let junit = std::fs::read_to_string(dir.path().join("out/proxy.xml")).unwrap();
    assert!(
        junit.contains("<testsuite name=\"kontrat proxy: Auth API\""),
        "{junit}"
    );
    assert!(junit.contains("failures=\"1\""), "{junit}");

    let json = around(
        &target,
        &["--format", "json", "--quiet"],
        "{}",
        0,
        dir.path(),
    )
    .await;
    assert_eq!(json.status.code(), Some(1));
    let summary: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(summary["requestViolations"], 1);
    assert_eq!(summary["violations"][0]["side"], "request");
    assert!(
        !text(&json.stderr).contains("→ refreshToken → 400"),
        "--quiet: no line per request"
    );
    assert!(
        text(&json.stderr).contains("FAIL refreshToken [request]"),
        "violations still printed"
    );
}

#[test]
fn it_refuses_the_production_server_a_bad_target_and_a_missing_command() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_kontrat"))
            .args(args)
            .current_dir(dir.path())
            .output()
            .unwrap()
    };
    let refused = run(&[
        "proxy",
        "--target",
        "https://api.example.com",
        "--port",
        "0",
    ]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        text(&refused.stderr).contains("refusing to proxy"),
        "{}",
        text(&refused.stderr)
    );
    let bad = run(&["proxy", "--target", "localhost:4020", "--port", "0"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad.stderr).contains("is not an http:// or https:// URL"));
    let missing = run(&[
        "proxy",
        "--target",
        "http://127.0.0.1:9",
        "--port",
        "0",
        "--",
        "/nonexistent/command",
    ]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(text(&missing.stderr).contains("cannot run `/nonexistent/command`"));
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_command_it_reports_on_sigterm() {
    let target = target().await;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_kontrat"))
        .args(["proxy", "--target", &target, "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (url, rest) = tokio::task::spawn_blocking(move || {
        use std::io::BufRead as _;
        let mut lines = std::io::BufReader::new(stderr).lines();
        let first = lines.next().unwrap().unwrap();
        let url = first
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap()
            .to_owned();
        (url, lines)
    })
    .await
    .unwrap();
    let response = reqwest::Client::new()
        .post(format!("{url}/api/v1/auth/logout"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    assert!(response.headers().contains_key("kontrat-violations"));
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let output = tokio::task::spawn_blocking(move || {
        let log: Vec<String> = rest.map_while(Result::ok).collect();
        (child.wait_with_output().unwrap(), log.join("\n"))
    })
    .await
    .unwrap();
    let (output, log) = output;
    assert_eq!(output.status.code(), Some(1), "{log}");
    let out = text(&output.stdout);
    assert!(out.contains("kontrat proxy: 1 request(s)"), "{out}");
    assert!(out.contains("missing Authorization header"), "{out}");
    assert!(log.contains("FAIL logout [request]"), "{log}");
}
