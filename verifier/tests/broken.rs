//! The mock conforms; servers broken in one way each do not, and the report names how.

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{self, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use crate::fixtures::*;

#[tokio::test]
async fn the_mock_conforms() {
    let report = verify(mock_app()).await;
    assert!(report.conforms(), "{report}");
    assert!(report.sent >= 15, "{report}");
    let observed: Vec<String> = report
        .coverage
        .iter()
        .filter(|c| c.observed > 0)
        .map(|c| format!("{} {}", c.operation, c.status))
        .collect();
    for expected in [
        "logout 200",
        "logout 401",
        "refreshToken 200",
        "refreshToken 400",
        "revokeRefreshToken 400",
        "revokeRefreshToken 401",
    ] {
        assert!(
            observed.iter().any(|o| o == expected),
            "{expected} not observed: {observed:?}"
        );
    }
    let text = report.to_string();
    assert!(text.contains("conforms"), "{text}");
    assert!(!text.contains(JWT), "the token is never printed");
}

/// Rewrites JSON answers of the mock.
fn rewrite(
    app: axum::Router,
    edit: fn(StatusCode, &mut Value) -> Option<StatusCode>,
) -> axum::Router {
    app.layer(middleware::from_fn(
        move |request: Request, next: Next| async move {
            let response = next.run(request).await;
            let (mut parts, body) = response.into_parts();
            let bytes = axum::body::to_bytes(body, usize::MAX)
                .await
                .unwrap_or_default();
            let Ok(mut value) = serde_json::from_slice::<Value>(&bytes) else {
                return Response::from_parts(parts, Body::from(bytes));
            };
            if let Some(status) = edit(parts.status, &mut value) {
                parts.status = status;
            }
            parts.headers.remove(http::header::CONTENT_LENGTH);
            Response::from_parts(parts, Body::from(value.to_string()))
        },
    ))
}

async fn violations_of(app: axum::Router) -> (kontrat_verify::Report, String) {
    let report = verify(app).await;
    assert!(!report.conforms(), "a broken server passed:\n{report}");
    let text = report.to_string();
    (report, text)
}

#[tokio::test]
async fn an_undocumented_status_is_named() {
    let app = rewrite(mock_app(), |s, _| {
        (s == StatusCode::BAD_REQUEST).then_some(StatusCode::UNPROCESSABLE_ENTITY)
    });
    let (report, text) = violations_of(app).await;
    assert!(
        text.contains("status 422 is not documented (documented: 200, 400, 401, 403, 404, 409)"),
        "{text}"
    );
    assert!(
        report
            .violations
            .iter()
            .any(|v| v.probe == "malformed JSON" && v.problems[0] == "expected 400, got 422"),
        "{text}"
    );
}

#[tokio::test]
async fn a_missing_envelope_field_is_named() {
    let app = rewrite(mock_app(), |_, v| {
        v.as_object_mut().map(|m| m.remove("timestamp"));
        None
    });
    let (_, text) = violations_of(app).await;
    assert!(
        text.contains("body: \"timestamp\" is a required property"),
        "{text}"
    );
}

#[tokio::test]
async fn a_status_code_that_is_not_the_http_status_is_named() {
    let app = rewrite(mock_app(), |_, v| {
        v["statusCode"] = Value::from(200);
        None
    });
    let (_, text) = violations_of(app).await;
    assert!(
        text.contains("envelope: `statusCode` is 200, the HTTP status is 401"),
        "{text}"
    );
}

#[tokio::test]
async fn is_success_true_on_a_401_is_named() {
    let app = rewrite(mock_app(), |s, v| {
        if s == StatusCode::UNAUTHORIZED {
            v["isSuccess"] = Value::Bool(true);
        }
        None
    });
    let (report, text) = violations_of(app).await;
    assert!(
        text.contains("envelope: `isSuccess` is true on a 401 (must be false)"),
        "{text}"
    );
    assert!(
        report.violations.iter().all(|v| v.got.starts_with("401")),
        "only 401s are wrong: {text}"
    );
}

#[tokio::test]
async fn a_plain_text_400_is_named() {
    let app = mock_app().layer(middleware::from_fn(
        |request: Request, next: Next| async move {
            let response = next.run(request).await;
            if response.status() == StatusCode::BAD_REQUEST {
                return (StatusCode::BAD_REQUEST, "bad request").into_response();
            }
            response
        },
    ));
    let (_, text) = violations_of(app).await;
    assert!(text.contains("Content-Type `text/plain; charset=utf-8` is not documented for 400 (documented: application/json)"), "{text}");
}

#[tokio::test]
async fn a_500_on_malformed_json_is_named() {
    let app = mock_app().layer(middleware::from_fn(
        |request: Request, next: Next| async move {
            let (parts, body) = request.into_parts();
            let bytes: Bytes = axum::body::to_bytes(body, usize::MAX)
                .await
                .unwrap_or_default();
            if !bytes.is_empty() && serde_json::from_slice::<Value>(&bytes).is_err() {
                return (StatusCode::INTERNAL_SERVER_ERROR, "oops").into_response();
            }
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        },
    ));
    let (report, text) = violations_of(app).await;
    let malformed: Vec<_> = report
        .violations
        .iter()
        .filter(|v| v.probe == "malformed JSON")
        .collect();
    assert_eq!(
        malformed.len(),
        2,
        "refreshToken and revokeRefreshToken: {text}"
    );
    assert_eq!(malformed[0].problems[0], "expected 400, got 500");
    assert!(
        malformed[0].request.contains("body: {\""),
        "the request is shown: {}",
        malformed[0].request
    );
    let junit = report.to_junit();
    assert!(
        junit.contains("<failure message=\"expected 400, got 500"),
        "{junit}"
    );
    let json = report.to_json();
    assert_eq!(json["conforms"], false);
    assert!(json["violations"].as_array().unwrap().len() >= 2);
}

#[tokio::test]
async fn no_answer_is_a_violation_too() {
    let compiled = kontrat_mock::Compiled::new(auth_contract(), false);
    // Nothing listens on this port (bound, then dropped).
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let report =
        kontrat_verify::verify(&compiled, &options(&format!("http://127.0.0.1:{port}"))).await;
    assert!(!report.conforms());
    assert!(
        report
            .violations
            .iter()
            .all(|v| v.problems[0].starts_with("request failed")),
        "{report}"
    );
}
