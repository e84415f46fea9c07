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
    // `check` with no flags covers both committed packages: the TypeScript one too.
    let check = kontrat(&["check"], dir.path());
    assert_eq!(check.status.code(), Some(1), "{}", text(&check.stdout));
    assert!(text(&check.stdout).contains("generated/auth-api-ts differs"));
    let out = kontrat(&["generate", "--lang", "typescript"], dir.path());
    assert!(out.status.success(), "{}", text(&out.stderr));
    for entry in std::fs::read_dir(workspace().join("generated/auth-api-ts")).unwrap() {
        let name = entry.unwrap().file_name();
        let written = std::fs::read(dir.path().join("generated/auth-api-ts").join(&name)).unwrap();
        let committed =
            std::fs::read(workspace().join("generated/auth-api-ts").join(&name)).unwrap();
        assert!(
            written == committed,
            "{name:?} differs from the committed package"
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
    // The dashboard's URL, for the developer to open.
    let dashboard = format!("http://{addr}/__kontrat/");
    assert!(banner.contains(&dashboard), "{banner}");
    let mut browser = std::net::TcpStream::connect(&addr).unwrap();
    browser
        .write_all(b"GET /__kontrat/ HTTP/1.1\r\nHost: x\r\nAccept: text/html\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut page = String::new();
    browser.read_to_string(&mut page).unwrap();
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    assert!(
        page.to_ascii_lowercase()
            .contains("content-type: text/html; charset=utf-8"),
        "{page}"
    );

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

#[test]
fn lint_passes_the_embedded_spec_even_with_deny_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let out = kontrat(&["lint", "--deny", "warnings"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert_eq!(text(&out.stdout), "ok: spec/auth.yaml lints clean\n");
    let out = kontrat(
        &["lint", "--spec", "spec/auth.yaml", "--deny", "warnings"],
        &workspace(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
}

#[test]
fn lint_exit_codes_formats_and_allow() {
    let dir = tempfile::tempdir().unwrap();
    // Only warnings: operation-id-missing and body-without-400.
    std::fs::write(
        dir.path().join("warn.yaml"),
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema: {type: object}\n      responses:\n        '204': {description: done}\n",
    )
    .unwrap();
    let out = kontrat(&["lint", "--spec", "warn.yaml"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("warn.yaml:5:5: warning[operation-id-missing]: POST /a has no operationId"),
        "{stdout}"
    );
    assert!(
        stdout.contains("hint: add `operationId: post_a`"),
        "{stdout}"
    );
    assert!(
        stdout.ends_with("warn.yaml: 0 error(s), 2 warning(s), 0 note(s)\n"),
        "{stdout}"
    );
    let out = kontrat(
        &["lint", "--spec", "warn.yaml", "--deny", "warnings"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    let out = kontrat(
        &[
            "lint",
            "--spec",
            "warn.yaml",
            "--deny",
            "warnings",
            "--allow",
            "operation-id-missing",
            "--allow",
            "body-without-400",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));

    // An error finding: exit 1; JSON and SARIF on stdout.
    std::fs::write(
        dir.path().join("err.yaml"),
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: a\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {type: integer}\n              example: many\n",
    )
    .unwrap();
    let out = kontrat(&["lint", "--spec", "err.yaml"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).contains("err.yaml:13:15: error[example-invalid]"),
        "{}",
        text(&out.stdout)
    );
    let out = kontrat(
        &["lint", "--spec", "err.yaml", "--format", "json"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["summary"]["errors"], 1);
    assert_eq!(json["diagnostics"][0]["code"], "example-invalid");
    assert_eq!(json["diagnostics"][0]["line"], 13);
    let out = kontrat(
        &["lint", "--spec", "err.yaml", "--format", "sarif"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "example-invalid");
    assert_eq!(result["level"], "error");
    let physical = &result["locations"][0]["physicalLocation"];
    assert_eq!(physical["artifactLocation"]["uri"], "err.yaml");
    assert_eq!(physical["region"]["startLine"], 13);
    assert_eq!(physical["region"]["startColumn"], 15);

    // A spec that cannot load, a missing file, a bad flag: exit 2.
    std::fs::write(dir.path().join("broken.yaml"), "openapi: 3.0.3\ninfo: [\n").unwrap();
    let out = kontrat(&["lint", "--spec", "broken.yaml"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stdout).contains("broken.yaml:"),
        "{}",
        text(&out.stdout)
    );
    assert!(
        text(&out.stderr).contains("no rule was run"),
        "{}",
        text(&out.stderr)
    );
    let out = kontrat(
        &["lint", "--spec", "broken.yaml", "--format", "sarif"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(sarif["runs"][0]["results"][0]["ruleId"], "syntax");
    assert_eq!(
        kontrat(&["lint", "--spec", "missing.yaml"], dir.path())
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        kontrat(&["lint", "--deny", "notes"], dir.path())
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        kontrat(&["lint", "--format", "xml"], dir.path())
            .status
            .code(),
        Some(2)
    );
    let rules = kontrat(&["lint", "--rules"], dir.path());
    assert_eq!(rules.status.code(), Some(0));
    assert!(text(&rules.stdout).contains("envelope-status-mismatch"));
}

fn git(args: &[&str], cwd: &Path) {
    let out = Command::new("git")
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
}

#[test]
fn diff_classifies_changes_and_exits_1_when_clients_break() {
    let dir = tempfile::tempdir().unwrap();
    let auth = std::fs::read_to_string(workspace().join("spec/auth.yaml")).unwrap();
    std::fs::write(dir.path().join("v1.yaml"), &auth).unwrap();
    let out = kontrat(&["diff", "v1.yaml", "v1.yaml"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "no changes between v1.yaml and v1.yaml\n"
    );

    // An additive change breaks no client: exit 0, unless servers must not break either.
    let additive = auth.replace(
        "        tokenType:\n",
        "        scope:\n          type: string\n        tokenType:\n",
    );
    std::fs::write(dir.path().join("v2.yaml"), &additive).unwrap();
    let out = kontrat(&["diff", "v1.yaml", "v2.yaml"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("POST /api/v1/auth/refresh (refreshToken)"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "compatible      property-added  response 200 (application/json) .data.scope"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("1 change(s): 0 break clients, 0 break servers"),
        "{stdout}"
    );

    // A removed response field breaks clients: exit 1, or 0 with --allow-breaking.
    let breaking = auth.replace(
        "      required: [accessToken, refreshToken, expiresIn, tokenType]",
        "      required: [accessToken, refreshToken, expiresIn]",
    );
    std::fs::write(dir.path().join("v3.yaml"), &breaking).unwrap();
    let out = kontrat(&["diff", "v1.yaml", "v3.yaml"], dir.path());
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    assert!(
        text(&out.stdout).contains("breaks clients  property-made-optional"),
        "{}",
        text(&out.stdout)
    );
    assert!(
        text(&out.stderr).contains("--allow-breaking"),
        "{}",
        text(&out.stderr)
    );
    let out = kontrat(
        &["diff", "v1.yaml", "v3.yaml", "--allow-breaking"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0));
    // It breaks no server: --fail-on servers passes, --fail-on either fails.
    let out = kontrat(
        &["diff", "v1.yaml", "v3.yaml", "--fail-on", "servers"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0));
    let out = kontrat(
        &["diff", "v1.yaml", "v3.yaml", "--fail-on", "either"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1));

    let out = kontrat(
        &["diff", "v1.yaml", "v3.yaml", "--format", "json"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["old"], "v1.yaml");
    assert_eq!(json["summary"]["breaking_for_clients"], 1);
    let change = &json["changes"][0];
    assert_eq!(change["kind"], "property-made-optional");
    assert_eq!(change["operation"]["method"], "POST");
    assert_eq!(change["breaking_for"]["client"], true);
    assert_eq!(change["breaking_for"]["server"], false);

    // A spec that does not load, a missing file: exit 2.
    std::fs::write(dir.path().join("broken.yaml"), "openapi: 3.0.3\ninfo: [\n").unwrap();
    let out = kontrat(&["diff", "v1.yaml", "broken.yaml"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("broken.yaml:"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(
        kontrat(&["diff", "v1.yaml", "nope.yaml"], dir.path())
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        kontrat(&["diff", "v1.yaml"], dir.path()).status.code(),
        Some(2)
    );
}

#[test]
fn diff_reads_old_versions_from_git() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    git(&["init", "-q"], repo);
    git(&["config", "user.email", "ci@example.invalid"], repo);
    git(&["config", "user.name", "CI"], repo);
    std::fs::create_dir(repo.join("spec")).unwrap();
    let auth = std::fs::read_to_string(workspace().join("spec/auth.yaml")).unwrap();
    std::fs::write(repo.join("spec/auth.yaml"), &auth).unwrap();
    git(&["add", "spec/auth.yaml"], repo);
    git(&["commit", "-q", "-m", "v1"], repo);
    // The working copy adds a required header to log out.
    let changed = auth.replacen(
        "      security:\n        - JWT-auth: []\n      responses:",
        "      security:\n        - JWT-auth: []\n      parameters:\n        - {name: X-Device, in: header, required: true, schema: {type: string}}\n      responses:",
        1,
    );
    assert_ne!(changed, auth);
    std::fs::write(repo.join("spec/auth.yaml"), &changed).unwrap();

    let out = kontrat(&["diff", "git:HEAD:spec/auth.yaml", "spec/auth.yaml"], repo);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with("git:HEAD:spec/auth.yaml → spec/auth.yaml"),
        "{stdout}"
    );
    assert!(
        stdout.contains("breaks clients  required-parameter-added  header parameter X-Device"),
        "{stdout}"
    );
    git(&["commit", "-q", "-am", "v2"], repo);
    let out = kontrat(
        &[
            "diff",
            "git:HEAD~1:spec/auth.yaml",
            "git:HEAD:spec/auth.yaml",
        ],
        repo,
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let out = kontrat(
        &["diff", "git:HEAD:spec/auth.yaml", "git:HEAD:spec/auth.yaml"],
        repo,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));

    // git failures are usage errors with git's own message.
    let out = kontrat(
        &["diff", "git:no-such-rev:spec/auth.yaml", "spec/auth.yaml"],
        repo,
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("`git show no-such-rev:spec/auth.yaml` failed"),
        "{stderr}"
    );
    let out = kontrat(&["diff", "git:HEAD:missing.yaml", "spec/auth.yaml"], repo);
    assert_eq!(out.status.code(), Some(2));
    let out = kontrat(&["diff", "git:HEAD", "spec/auth.yaml"], repo);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("git:REV:path"),
        "{}",
        text(&out.stderr)
    );
}
