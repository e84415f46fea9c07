//! The `auth-service` binary: start-up banner, seeded sessions, the secret from the
//! environment, exit on SIGTERM.
#![cfg(unix)]

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use auth_api::{Client, RefreshTokenRequest};

use crate::support::{SECRET, claims};

const BINARY: &str = env!("CARGO_BIN_EXE_auth-service");
const FIXED_TOKEN: &str = "frontend-dev-seed-token-0001";

/// Kills the child if a test fails half-way.
struct Guard(Child);

impl Drop for Guard {
    fn drop(&mut self) {
        if matches!(self.0.try_wait(), Ok(None)) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

/// Reads stdout lines until the one naming the seed user `last_user`; returns them all.
fn banner(child: &mut Child, last_user: &str) -> Vec<String> {
    let stdout = child.stdout.take().unwrap();
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if sender.send(line).is_err() {
                break;
            }
        }
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut lines = Vec::new();
    let marker = format!("{last_user}: refresh token ");
    while !lines.iter().any(|line: &String| line.contains(&marker)) {
        let left = deadline.saturating_duration_since(Instant::now());
        match receiver.recv_timeout(left) {
            Ok(line) => lines.push(line),
            Err(_) => panic!("no complete start-up banner; got {lines:#?}"),
        }
    }
    lines
}

fn after<'a>(lines: &'a [String], marker: &str) -> &'a str {
    lines
        .iter()
        .find_map(|line| line.split_once(marker).map(|(_, rest)| rest.trim()))
        .unwrap_or_else(|| panic!("no line with {marker:?} in {lines:#?}"))
}

#[tokio::test]
async fn the_binary_serves_seeded_sessions_and_stops_on_sigterm() {
    let child = Command::new(BINARY)
        .args(["--port", "0", "--seed-user", "demo", "--seed-user", "bob"])
        .args(["--seed-refresh-token", FIXED_TOKEN])
        .env("AUTH_SERVICE_SECRET", std::str::from_utf8(SECRET).unwrap())
        .env("RUST_LOG", "info")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut child = Guard(child);
    let lines = banner(&mut child.0, "bob");
    let url = after(&lines, "served on ").to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    assert_eq!(after(&lines, "demo: refresh token "), FIXED_TOKEN);
    let bob = after(&lines, "bob: refresh token ").to_owned();
    assert_eq!(bob.len(), 48);
    assert!(after(&lines, "key: ").starts_with("given"));

    let client = Client::new(&url);
    for (user, token) in [("demo", FIXED_TOKEN), ("bob", bob.as_str())] {
        let request = RefreshTokenRequest {
            refresh_token: token.to_owned(),
        };
        let pair = client.refresh_token(&request).await.unwrap().into_data();
        // Signed with the key from AUTH_SERVICE_SECRET.
        assert_eq!(claims(&pair.access_token)["sub"], user);
    }

    let status = Command::new("kill")
        .args(["-TERM", &child.0.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(30);
    let exit = loop {
        if let Some(exit) = child.0.try_wait().unwrap() {
            break exit;
        }
        assert!(
            Instant::now() < deadline,
            "still running 30 s after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(exit.success(), "{exit}");
    let mut logs = String::new();
    child
        .0
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut logs)
        .unwrap();
    assert!(logs.contains("SIGTERM received"), "{logs}");
    assert!(logs.contains("rotated"), "{logs}");
    assert!(
        !logs.contains(FIXED_TOKEN) && !logs.contains(&bob),
        "{logs}"
    );
}

#[test]
fn the_binary_refuses_a_seed_token_the_contract_would_refuse() {
    let output = Command::new(BINARY)
        .args(["--port", "0", "--seed-refresh-token", "short"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("a refresh token must have 16 to 4096 characters, this one has 5"),
        "{stderr}"
    );
}
