//! The proxy in front of the example auth service: a realistic session passes untouched.

use serde_json::Value;

use crate::fixtures::*;

#[tokio::test]
async fn a_refresh_rotate_logout_session_passes_byte_for_byte_with_no_violation() {
    let service = auth_service::AuthService::new(auth_service::Config::random());
    let first = service.seed_session("demo");
    let (app, tape) = recorded(auth_service::app(service));
    let target = serve(app).await;
    let (proxy, url) = proxy_to(&target, |_| {}).await;
    let http = client();

    // Refresh, rotate, replay the used token (the documented 401), log out.
    let mut received = Vec::new();
    let r = refresh(&url, &format!(r#"{{"refreshToken":"{first}"}}"#)).await;
    received.push((
        r.status().as_u16(),
        headers(r.headers()),
        r.bytes().await.unwrap(),
    ));
    let pair: Value = serde_json::from_slice(&received[0].2).unwrap();
    let second = pair["data"]["refreshToken"].as_str().unwrap().to_owned();
    let r = refresh(&url, &format!(r#"{{"refreshToken":"{second}"}}"#)).await;
    received.push((
        r.status().as_u16(),
        headers(r.headers()),
        r.bytes().await.unwrap(),
    ));
    let pair: Value = serde_json::from_slice(&received[1].2).unwrap();
    let access = pair["data"]["accessToken"].as_str().unwrap().to_owned();
    let third = pair["data"]["refreshToken"].as_str().unwrap().to_owned();
    let r = refresh(&url, &format!(r#"{{"refreshToken":"{first}"}}"#)).await;
    received.push((
        r.status().as_u16(),
        headers(r.headers()),
        r.bytes().await.unwrap(),
    ));
    let r = http
        .post(format!("{url}/api/v1/auth/logout"))
        .bearer_auth(&access)
        .send()
        .await
        .unwrap();
    received.push((
        r.status().as_u16(),
        headers(r.headers()),
        r.bytes().await.unwrap(),
    ));
    assert_eq!(
        received.iter().map(|r| r.0).collect::<Vec<_>>(),
        [200, 200, 401, 401],
        "the replayed token ended the session, so the logout is refused: {:?}",
        received
            .iter()
            .map(|r| String::from_utf8_lossy(&r.2))
            .collect::<Vec<_>>()
    );

    // Every answer is the service's, byte for byte, with the same headers.
    let tape = tape.lock().unwrap().clone();
    assert_eq!(tape.len(), 4);
    for ((_, sent), (status, headers, body)) in tape.iter().zip(&received) {
        assert_eq!(sent.status, *status);
        assert_eq!(sent.body, *body, "the body came through unchanged");
        for (name, value) in &sent.headers {
            assert!(
                headers.contains(&(name.clone(), value.clone())),
                "{name}: {value} came through"
            );
        }
        assert!(!headers.iter().any(|(n, _)| n.starts_with("kontrat-")));
    }
    // And every request is the app's: the service saw the bearer and the exact body.
    assert_eq!(tape[0].0.body, format!(r#"{{"refreshToken":"{first}"}}"#));
    assert!(
        tape[3]
            .0
            .headers
            .contains(&("authorization".into(), format!("Bearer {access}")))
    );

    let summary = proxy.summary();
    assert!(summary.conforms(), "{summary}");
    assert_eq!(summary.exchanges, 4);
    assert!(proxy.findings().is_empty());
    let observed = |op: &str, status: &str| {
        summary
            .coverage
            .iter()
            .any(|c| c.operation == op && c.status == status && c.observed > 0)
    };
    assert!(observed("refreshToken", "200") && observed("refreshToken", "401"));
    assert!(observed("logout", "401"), "{summary}");
    let text = format!("{summary}\n{}\n{}", summary.to_json(), summary.to_junit());
    for secret in [&first, &second, &third, &access] {
        assert!(!text.contains(secret.as_str()), "a token leaked: {text}");
    }
}

#[tokio::test]
async fn concurrent_clients_are_each_answered_and_counted() {
    let target = serve(mock_app()).await;
    let (proxy, url) = proxy_to(&target, |_| {}).await;
    let tasks: Vec<_> = (0..64)
        .map(|i| {
            let url = url.clone();
            tokio::spawn(async move {
                let mut statuses = Vec::new();
                for j in 0..5 {
                    let body = if (i + j) % 7 == 0 {
                        r#"{"refreshToken":"short"}"#.to_owned()
                    } else {
                        valid_refresh()
                    };
                    statuses.push(refresh(&url, &body).await.status().as_u16());
                }
                statuses
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.extend(t.await.unwrap());
    }
    let bad = (0..64)
        .flat_map(|i| (0..5).map(move |j| (i + j) % 7 == 0))
        .filter(|b| *b)
        .count();
    assert_eq!(statuses.iter().filter(|s| **s == 400).count(), bad);
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 320 - bad);
    let summary = proxy.summary();
    assert_eq!(summary.exchanges, 320);
    assert_eq!(summary.request_violations, bad as u64);
    assert_eq!(summary.response_violations, 0, "{summary}");
    let seqs: std::collections::BTreeSet<u64> = proxy.findings().iter().map(|f| f.seq).collect();
    assert_eq!(seqs.len(), bad, "every finding names its own exchange");
}
