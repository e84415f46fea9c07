//! The `kontrat` binary as users type it: exit codes, atomic writes, the drift check.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn kontrat(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kontrat"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("kontrat runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn generate_without_arguments_writes_the_embedded_spec_crate_and_check_passes() {
    let dir = tempfile::tempdir().unwrap();
    let out = kontrat(&["generate"], dir.path());
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("generated generated/auth-api (9 files, 3 operations"));
    // Byte for byte what is committed.
    for file in [
        "Cargo.toml",
        "src/lib.rs",
        "src/types.rs",
        "src/client.rs",
        "src/server.rs",
        "src/mock.rs",
    ] {
        let written = std::fs::read(dir.path().join("generated/auth-api").join(file)).unwrap();
        let committed = std::fs::read(workspace().join("generated/auth-api").join(file)).unwrap();
        assert!(
            written == committed,
            "{file} differs from the committed crate"
        );
    }
    let check = kontrat(&["check"], dir.path());
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stdout));
}

#[test]
fn check_lists_drift_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    assert!(
        kontrat(&["generate", "--out", "api"], dir.path())
            .status
            .success()
    );
    std::fs::write(dir.path().join("api/src/types.rs"), "// edited by hand\n").unwrap();
    std::fs::remove_file(dir.path().join("api/src/mock.rs")).unwrap();
    std::fs::write(dir.path().join("api/src/notes.rs"), "").unwrap();
    let check = kontrat(&["check", "--out", "api"], dir.path());
    assert_eq!(check.status.code(), Some(1));
    let stdout = text(&check.stdout);
    assert!(stdout.contains("changed   src/types.rs"), "{stdout}");
    assert!(stdout.contains("missing   src/mock.rs"), "{stdout}");
    assert!(stdout.contains("extra     src/notes.rs"), "{stdout}");
    assert!(
        stdout.contains("run `kontrat generate --out api`"),
        "{stdout}"
    );
}

#[test]
fn a_bad_spec_exits_2_with_located_diagnostics_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    assert!(
        kontrat(&["generate", "--out", "api"], dir.path())
            .status
            .success()
    );
    let before = std::fs::read(dir.path().join("api/src/types.rs")).unwrap();
    let spec = dir.path().join("broken.yaml");
    std::fs::write(
        &spec,
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: a\n      responses:\n        '200':\n          $ref: '#/components/responses/Missing'\n  /b:\n    get:\n      operationId: a\n      responses: {'200': {description: ok}}\n",
    )
    .unwrap();
    let out = kontrat(
        &["generate", "--spec", "broken.yaml", "--out", "api"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("broken.yaml:9:"),
        "line of the unresolved $ref: {stderr}"
    );
    assert!(stderr.contains("unresolved-ref"), "{stderr}");
    assert!(
        stderr.contains("duplicate-operation-id"),
        "all problems, not the first: {stderr}"
    );
    assert!(stderr.contains("hint:"), "{stderr}");
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert_eq!(
        std::fs::read(dir.path().join("api/src/types.rs")).unwrap(),
        before
    );

    let yaml = dir.path().join("syntax.yaml");
    std::fs::write(&yaml, "openapi: 3.0.3\ninfo:\n  title: [unclosed\n").unwrap();
    let out = kontrat(&["check", "--spec", "syntax.yaml"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("syntax.yaml:"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn usage_errors_exit_2_and_help_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(kontrat(&["frobnicate"], dir.path()).status.code(), Some(2));
    assert_eq!(
        kontrat(&["generate", "--no-such-flag"], dir.path())
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        kontrat(&["generate", "--spec", "missing.yaml"], dir.path())
            .status
            .code(),
        Some(2)
    );
    for sub in [
        &["--help"][..],
        &["generate", "--help"],
        &["check", "--help"],
    ] {
        let out = kontrat(sub, dir.path());
        assert_eq!(out.status.code(), Some(0), "{sub:?}");
        assert!(
            text(&out.stdout).contains("--spec") || sub == ["--help"],
            "{sub:?}"
        );
    }
}

#[test]
fn mock_serves_the_embedded_spec_and_stops_cleanly_on_sigterm() {
    use std::io::{BufRead, BufReader, Read, Write};
    let mut child = Command::new(env!("CARGO_BIN_EXE_kontrat"))
        .args(["mock", "--port", "0"])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("kontrat mock starts");
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut banner = String::new();
    stderr.read_line(&mut banner).unwrap();
    let addr = banner
        .split("on http://")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("no address in {banner:?}"))
        .to_owned();
    assert!(banner.contains("Auth API"), "{banner}");

    let mut stream = std::net::TcpStream::connect(&addr).unwrap();
    stream
        .write_all(b"POST /api/v1/auth/logout HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut reply = String::new();
    stream.read_to_string(&mut reply).unwrap();
    assert!(reply.starts_with("HTTP/1.1 401"), "{reply}");
    assert!(reply.contains("\"statusCode\":401"), "{reply}");

    // SIGTERM: graceful shutdown, exit 0.
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    let mut rest = String::new();
    stderr.read_to_string(&mut rest).unwrap();
    assert_eq!(status.code(), Some(0), "{rest}");
    assert!(
        rest.contains("POST /api/v1/auth/logout → logout → 401"),
        "one log line per request: {rest}"
    );
    assert!(rest.contains("kontrat mock: stopped"), "{rest}");
}

#[test]
fn mock_refuses_a_bad_spec_with_exit_2_and_located_errors() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bad.yaml"),
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200': {$ref: '#/components/responses/Nope'}\n",
    )
    .unwrap();
    let out = kontrat(&["mock", "--spec", "bad.yaml", "--port", "0"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("bad.yaml:7:"), "{err}");
    assert!(err.contains("not serving it"), "{err}");
    let help = kontrat(&["mock", "--help"], dir.path());
    assert!(help.status.success());
    assert!(text(&help.stdout).contains("--cors-origin"));
}

#[test]
fn verify_refuses_production_plans_on_dry_run_and_reports_to_junit() {
    let dir = tempfile::tempdir().unwrap();
    let refused = kontrat(
        &["verify", "--target", "https://api.example.com/"],
        dir.path(),
    );
    assert_eq!(refused.status.code(), Some(2));
    assert!(text(&refused.stderr).contains("is the spec's production server (Production)"));

    // Nothing listens here: a dry run still succeeds, a real run fails with a JUnit report.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let target = format!("http://127.0.0.1:{port}");
    let dry = kontrat(&["verify", "--target", &target, "--dry-run"], dir.path());
    assert_eq!(dry.status.code(), Some(0));
    let plan = text(&dry.stdout);
    assert!(plan.contains("nothing sent"), "{plan}");
    assert!(
        plan.contains("revokeRefreshToken [no credentials] POST /api/v1/auth/revoke (expects 401)"),
        "{plan}"
    );

    let run = kontrat(
        &[
            "verify",
            "--target",
            &target,
            "--token",
            "secret-token-value",
            "--junit",
            "out/verify.xml",
            "--timeout",
            "2",
        ],
        dir.path(),
    );
    assert_eq!(run.status.code(), Some(1), "{}", text(&run.stdout));
    let junit = std::fs::read_to_string(dir.path().join("out/verify.xml")).unwrap();
    assert!(
        junit.contains("<testsuite name=\"kontrat verify: Auth API\""),
        "{junit}"
    );
    assert!(junit.contains("request failed"), "{junit}");
    assert!(
        !text(&run.stdout).contains("secret-token-value") && !junit.contains("secret-token-value"),
        "the token is never printed"
    );
}
