//! The options and edges: `errors`, `mock_missing`, a target down or slow, large and
//! streamed bodies, the control API, CORS.

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::routing::post;
use http::StatusCode;
use kontrat_proxy::{MOCKED_HEADER, Side, VIOLATIONS_HEADER};
use serde_json::Value;
use tower::ServiceExt as _;

use crate::fixtures::*;

#[tokio::test]
async fn with_errors_a_bad_request_gets_the_documented_400_and_is_not_forwarded() {
    let (app, tape) = recorded(mock_app());
    let target = serve(app).await;
    let (proxy, url) = proxy_to(&target, |c| c.errors = true).await;
    let response = client()
        .post(format!("{url}/api/v1/auth/refresh"))
        .header("content-type", "application/json")
        // Prefer cannot talk the proxy out of the refusal.
        .header("prefer", "code=200")
        .body(r#"{"refreshToken":"short"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    assert!(response.headers().contains_key(VIOLATIONS_HEADER));
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["statusCode"], 400);
    assert_eq!(body["isSuccess"], false);
    assert_eq!(body["errors"][0], "Validation failed");
    assert_eq!(
        body["errors"][1],
        "body/refreshToken: value is shorter than 16 characters"
    );
    // A secured operation without credentials: the documented 401.
    let response = client()
        .post(format!("{url}/api/v1/auth/logout"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    // A valid request still goes through.
    assert_eq!(refresh(&url, &valid_refresh()).await.status(), 200);
    assert_eq!(
        tape.lock().unwrap().len(),
        1,
        "only the valid request reached the target"
    );
    assert_eq!(proxy.summary().request_violations, 2);
}

/// An implementation with only `refreshToken` (axum's bare 404 elsewhere), and a
/// `revokeRefreshToken` that answers 501.
fn half_done() -> axum::Router {
    let mock = mock_app();
    axum::Router::new()
        .route(
            "/api/v1/auth/refresh",
            post(move |request: axum::extract::Request| async move {
                mock.oneshot(request).await.unwrap()
            }),
        )
        .route(
            "/api/v1/auth/revoke",
            post(|| async { (StatusCode::NOT_IMPLEMENTED, "not yet") }),
        )
}

#[tokio::test]
async fn a_missing_operation_is_a_violation_unless_mock_missing_stands_in() {
    let target = serve(half_done()).await;
    let logout = |url: String| async move {
        client()
            .post(format!("{url}/api/v1/auth/logout"))
            .bearer_auth(JWT)
            .send()
            .await
            .unwrap()
    };

    let (proxy, url) = proxy_to(&target, |_| {}).await;
    let response = logout(url).await;
    assert_eq!(response.status(), 404, "never silently replaced");
    assert!(response.headers().contains_key(VIOLATIONS_HEADER));
    assert_eq!(proxy.summary().response_violations, 1);

    let (proxy, url) = proxy_to(&target, |c| c.mock_missing = true).await;
    let response = logout(url.clone()).await;
    assert_eq!(response.status(), 200, "the mock's answer");
    assert!(
        response.headers()[MOCKED_HEADER]
            .to_str()
            .unwrap()
            .contains("the target answered 404")
    );
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["isSuccess"], true);
    let response = client()
        .post(format!("{url}/api/v1/auth/revoke"))
        .bearer_auth(JWT)
        .json(&serde_json::json!({ "refreshToken": REFRESH }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "a 501 is not implemented either");
    assert!(response.headers().contains_key(MOCKED_HEADER));
    // An implemented operation is the target's.
    let response = refresh(&url, &valid_refresh()).await;
    assert!(!response.headers().contains_key(MOCKED_HEADER));
    let summary = proxy.summary();
    assert!(summary.conforms(), "{summary}");
    assert_eq!(summary.mocked.get("logout"), Some(&1));
    assert_eq!(summary.mocked.get("revokeRefreshToken"), Some(&1));
    assert!(summary.to_string().contains("--mock-missing"), "{summary}");
}

#[tokio::test]
async fn a_documented_404_is_the_targets_even_with_mock_missing() {
    let service = auth_service::AuthService::new(auth_service::Config::random());
    let refresh_token = service.seed_session("demo");
    let target = serve(auth_service::app(service)).await;
    let (proxy, url) = proxy_to(&target, |c| c.mock_missing = true).await;
    let pair: Value = refresh(&url, &format!(r#"{{"refreshToken":"{refresh_token}"}}"#))
        .await
        .json()
        .await
        .unwrap();
    let response = client()
        .post(format!("{url}/api/v1/auth/revoke"))
        .bearer_auth(pair["data"]["accessToken"].as_str().unwrap())
        .json(&serde_json::json!({ "refreshToken": "an-unknown-refresh-token-0000" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    assert!(!response.headers().contains_key(MOCKED_HEADER));
    let summary = proxy.summary();
    assert!(summary.conforms() && summary.mocked.is_empty(), "{summary}");
}

#[tokio::test]
async fn a_target_down_gets_a_502_and_is_a_transport_failure() {
    let (proxy, url) = proxy_to(&dead_url(), |_| {}).await;
    let response = refresh(&url, &valid_refresh()).await;
    assert_eq!(response.status(), 502);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["statusCode"], 502, "in the contract's error shape");
    assert!(
        body["errors"][1]
            .as_str()
            .unwrap()
            .starts_with("kontrat proxy: cannot connect to the target http://127.0.0.1:"),
        "{body}"
    );
    let summary = proxy.summary();
    assert_eq!(summary.transport_failures, 1);
    assert!(summary.conforms(), "not a contract violation: {summary}");
    assert_eq!(proxy.findings()[0].side, Side::Transport);
}

#[tokio::test]
async fn a_slow_target_gets_a_504_after_the_timeout() {
    let slow = axum::Router::new().route(
        "/api/v1/auth/refresh",
        post(|| async {
            tokio::time::sleep(Duration::from_secs(5)).await;
            "late"
        }),
    );
    let target = serve(slow).await;
    let (proxy, url) = proxy_to(&target, |c| c.timeout = Duration::from_millis(300)).await;
    let started = Instant::now();
    let response = refresh(&url, &valid_refresh()).await;
    assert_eq!(response.status(), 504);
    assert!(started.elapsed() < Duration::from_secs(3));
    let f = &proxy.findings()[0];
    assert_eq!(f.side, Side::Transport);
    assert!(
        f.violation.problems[0].contains("did not answer within 0.3 s"),
        "{f}"
    );
}

#[tokio::test]
async fn bodies_over_the_check_limit_stream_through_unchanged() {
    // An upstream that answers refresh with a large JSON body derived from the request.
    let echo = axum::Router::new()
        .route(
            "/api/v1/auth/refresh",
            post(|body: axum::body::Bytes| async move {
                let mut out = Vec::with_capacity(body.len() * 2);
                out.extend_from_slice(&body);
                out.extend_from_slice(&body);
                ([("content-type", "application/json")], out)
            }),
        )
        .layer(axum::extract::DefaultBodyLimit::disable());
    let (app, tape) = recorded(echo);
    let target = serve(app).await;
    let (proxy, url) = proxy_to(&target, |c| c.check_limit = 64 * 1024).await;
    let big: String = (0..3 * 1024 * 1024)
        .map(|i| (b'a' + (i % 26) as u8) as char)
        .collect();
    let sent = format!(r#"{{"refreshToken":"{big}"}}"#);
    let response = refresh(&url, &sent).await;
    assert_eq!(response.status(), 200);
    let got = response.bytes().await.unwrap();
    assert_eq!(got.len(), sent.len() * 2);
    assert!(got.starts_with(sent.as_bytes()) && got.ends_with(sent.as_bytes()));
    assert_eq!(
        tape.lock().unwrap()[0].0.body,
        sent.as_bytes(),
        "the request unchanged"
    );
    let summary = proxy.summary();
    assert_eq!(summary.unchecked_bodies, 2, "{summary}");
    assert!(
        summary.conforms(),
        "an unread body is not judged: {summary}"
    );
}

#[tokio::test]
async fn a_streamed_answer_reaches_the_app_before_it_ends() {
    let streaming = axum::Router::new().route(
        "/events",
        axum::routing::get(|| async {
            let chunks = futures_util::stream::unfold(0u8, |n| async move {
                match n {
                    0 => Some((Ok::<_, std::io::Error>("first\n"), 1)),
                    1 => {
                        tokio::time::sleep(Duration::from_millis(800)).await;
                        Some((Ok("second\n"), 2))
                    }
                    _ => None,
                }
            });
            (
                [("content-type", "text/event-stream")],
                Body::from_stream(chunks),
            )
        }),
    );
    let target = serve(streaming).await;
    let (_proxy, url) = proxy_to(&target, |_| {}).await;
    let started = Instant::now();
    let mut response = client().get(format!("{url}/events")).send().await.unwrap();
    let first = response.chunk().await.unwrap().unwrap();
    assert_eq!(&first[..], b"first\n");
    assert!(
        started.elapsed() < Duration::from_millis(600),
        "the first chunk came at once, not with the last: {:?}",
        started.elapsed()
    );
    let second = response.chunk().await.unwrap().unwrap();
    assert_eq!(&second[..], b"second\n");
}

#[tokio::test]
async fn the_control_api_lists_findings_and_resets() {
    let target = serve(mock_app()).await;
    let (proxy, url) = proxy_to(&target, |_| {}).await;
    refresh(&url, "{}").await;
    let router = proxy.router();
    let get = |uri: &str| {
        http::Request::get(uri.to_owned())
            .body(Body::empty())
            .unwrap()
    };
    let response = router
        .clone()
        .oneshot(get("/__kontrat/violations"))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let list: Value = serde_json::from_slice(
        &axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap(),
    )
    .unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
    assert_eq!(list[0]["side"], "request");
    assert_eq!(list[0]["operation"], "refreshToken");
    assert_eq!(list[0]["seq"], 1);
    assert!(
        list[0]["request"]
            .as_str()
            .unwrap()
            .starts_with("curl -X POST")
    );
    let response = router
        .clone()
        .oneshot(get("/__kontrat/violations?side=response"))
        .await
        .unwrap();
    let list = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    assert_eq!(&list[..], b"[]");
    let response = router
        .clone()
        .oneshot(get("/__kontrat/violations?side=x"))
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    let response = router.clone().oneshot(get("/__kontrat/")).await.unwrap();
    let info: Value = serde_json::from_slice(
        &axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap(),
    )
    .unwrap();
    assert_eq!(info["requestViolations"], 1);
    assert_eq!(info["exchanges"], 1);
    let reset = http::Request::post("/__kontrat/reset")
        .body(Body::empty())
        .unwrap();
    assert_eq!(router.clone().oneshot(reset).await.unwrap().status(), 204);
    assert!(proxy.findings().is_empty());
    let summary = proxy.summary();
    assert_eq!((summary.exchanges, summary.request_violations), (0, 0));
    assert!(summary.coverage.iter().all(|c| c.observed == 0));
    let response = router.oneshot(get("/__kontrat/nothing")).await.unwrap();
    assert_eq!(response.status(), 404);
}

#[tokio::test]
async fn cors_passes_through_or_is_the_proxys_own() {
    let preflight = |url: &str| {
        client()
            .request(http::Method::OPTIONS, format!("{url}/api/v1/auth/refresh"))
            .header("origin", "http://app.test")
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type")
            .send()
    };
    // Through to the target (the mock answers preflights from the contract).
    let (app, tape) = recorded(mock_app());
    let target = serve(app).await;
    let (proxy, url) = proxy_to(&target, |_| {}).await;
    let response = preflight(&url).await.unwrap();
    assert_eq!(response.status(), 204);
    assert_eq!(
        response.headers()["access-control-allow-origin"],
        "http://app.test"
    );
    assert_eq!(tape.lock().unwrap().len(), 1, "the target answered it");
    assert!(proxy.findings().is_empty(), "a preflight is never judged");
    // The violations header is readable by the page the target lets in.
    let response = client()
        .post(format!("{url}/api/v1/auth/refresh"))
        .header("origin", "http://app.test")
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    let exposed = response.headers()["access-control-expose-headers"]
        .to_str()
        .unwrap();
    assert!(exposed.contains("kontrat-violations"), "{exposed}");

    // The proxy's own, even with the target down.
    let (_, url) = proxy_to(&dead_url(), |c| {
        c.cors = Some(kontrat_mock::CorsPolicy::Origins(vec![
            "http://app.test".into(),
        ]))
    })
    .await;
    let response = preflight(&url).await.unwrap();
    assert_eq!(response.status(), 204);
    assert_eq!(response.headers()["access-control-allow-methods"], "POST");
    let response = refresh(&url, &valid_refresh()).await;
    assert_eq!(response.status(), 502);
}
