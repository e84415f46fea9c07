//! Servers that break the contract in each way the verifier knows, and an app that does:
//! each caught, on its side, with the offending payload.

use axum::body::Body;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use kontrat_proxy::{Finding, Side, VIOLATIONS_HEADER};
use serde_json::Value;

use crate::fixtures::*;

/// The mock with its JSON answers edited.
fn rewrite(edit: fn(StatusCode, &mut Value) -> Option<StatusCode>) -> axum::Router {
    mock_app().layer(middleware::from_fn(
        move |request: Request, next: Next| async move {
            let response = next.run(request).await;
            let (mut parts, body) = response.into_parts();
            let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap();
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

/// Sends one request through a proxy to `app`; the one response finding it caused.
async fn caught(app: axum::Router, body: &str) -> (Finding, reqwest::Response) {
    let target = serve(app).await;
    let (proxy, url) = proxy_to(&target, |_| {}).await;
    let response = refresh(&url, body).await;
    let findings: Vec<Finding> = proxy
        .findings()
        .into_iter()
        .filter(|f| f.side == Side::Response)
        .collect();
    assert_eq!(findings.len(), 1, "{findings:#?}");
    let summary = proxy.summary();
    assert!(!summary.conforms());
    assert_eq!(summary.response_violations, 1);
    (findings.into_iter().next().unwrap(), response)
}

#[tokio::test]
async fn an_undocumented_status_is_caught() {
    let (f, response) = caught(
        rewrite(|s, _| (s == StatusCode::BAD_REQUEST).then_some(StatusCode::UNPROCESSABLE_ENTITY)),
        "{\"refreshToken\": 1",
    )
    .await;
    assert_eq!(response.status(), 422, "the answer is passed on as it is");
    let header = response.headers()[VIOLATIONS_HEADER]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        header.contains("response: status 422 is not documented"),
        "{header}"
    );
    assert!(header.contains("request: body: malformed JSON"), "{header}");
    assert_eq!(
        f.violation.problems,
        ["status 422 is not documented (documented: 200, 400, 401, 403, 404, 409)"]
    );
    assert_eq!(f.violation.operation, "refreshToken");
}

#[tokio::test]
async fn a_wrong_status_accepting_a_bad_request_is_caught() {
    // The implementation validates nothing: a too short token gets a 200.
    let lenient = axum::Router::new().route(
        "/api/v1/auth/refresh",
        axum::routing::post(|| async {
            let mock = mock_app();
            let request = http::Request::post("/api/v1/auth/refresh")
                .header("content-type", "application/json")
                .body(Body::from(valid_refresh()))
                .unwrap();
            tower::ServiceExt::oneshot(mock, request).await.unwrap()
        }),
    );
    let (f, response) = caught(lenient, r#"{"refreshToken":"short"}"#).await;
    assert_eq!(response.status(), 200);
    assert!(
        f.violation.problems[0].starts_with("the target accepted with 200 a request that breaks the contract (body/refreshToken: value is shorter than 16 characters)"),
        "{:?}",
        f.violation.problems
    );
}

#[tokio::test]
async fn a_plain_text_error_is_caught() {
    let app = mock_app().layer(middleware::from_fn(
        |request: Request, next: Next| async move {
            let response = next.run(request).await;
            if response.status() == StatusCode::BAD_REQUEST {
                return (StatusCode::BAD_REQUEST, "bad request").into_response();
            }
            response
        },
    ));
    let (f, _) = caught(app, "{}").await;
    assert_eq!(
        f.violation.problems,
        [
            "Content-Type `text/plain; charset=utf-8` is not documented for 400 (documented: application/json)"
        ]
    );
    assert_eq!(
        f.violation.got,
        "400 text/plain; charset=utf-8, a body that was not read (streamed on)"
    );
}

#[tokio::test]
async fn an_envelope_lying_about_its_status_code_is_caught() {
    let (f, _) = caught(
        rewrite(|_, v| {
            v["statusCode"] = Value::from(201);
            None
        }),
        &valid_refresh(),
    )
    .await;
    assert_eq!(
        f.violation.problems,
        ["envelope: `statusCode` is 201, the HTTP status is 200"]
    );
}

#[tokio::test]
async fn an_envelope_lying_about_success_is_caught() {
    let (f, _) = caught(
        rewrite(|s, v| {
            if s == StatusCode::BAD_REQUEST {
                v["isSuccess"] = Value::Bool(true);
            }
            None
        }),
        "{}",
    )
    .await;
    assert_eq!(
        f.violation.problems,
        ["envelope: `isSuccess` is true on a 400 (must be false)"]
    );
}

#[tokio::test]
async fn a_body_failing_its_schema_is_caught_with_the_offending_part_and_no_token() {
    let (f, response) = caught(
        rewrite(|_, v| {
            if let Some(data) = v.get_mut("data").and_then(Value::as_object_mut) {
                data.insert("expiresIn".into(), Value::from("900"));
            }
            None
        }),
        &valid_refresh(),
    )
    .await;
    assert_eq!(response.status(), 200);
    assert!(
        f.violation.problems[0].starts_with("body/data/expiresIn: "),
        "{:?}",
        f.violation.problems
    );
    assert_eq!(f.violation.offending, ["body/data/expiresIn = \"900\""]);
    let block = f.to_string();
    assert!(block.contains("FAIL refreshToken [response]"), "{block}");
    assert!(
        block.contains("at body/data/expiresIn = \"900\""),
        "{block}"
    );
    assert!(
        block.contains("\"accessToken\":\"***\""),
        "tokens masked: {block}"
    );
    assert!(
        !block.contains(REFRESH),
        "the request's token is masked: {block}"
    );
    assert!(block.contains("curl -X POST '"), "replayable: {block}");
}

#[tokio::test]
async fn an_app_sending_a_bad_body_is_a_request_violation_and_still_forwarded() {
    let (app, tape) = recorded(mock_app());
    let target = serve(app).await;
    let (proxy, url) = proxy_to(&target, |_| {}).await;
    let response = refresh(&url, r#"{"refreshToken":"short","extra":true}"#).await;
    assert_eq!(response.status(), 400, "the target's documented 400");
    assert!(response.headers().contains_key(VIOLATIONS_HEADER));
    assert_eq!(tape.lock().unwrap().len(), 1, "forwarded");
    let findings = proxy.findings();
    assert_eq!(findings.len(), 1, "{findings:#?}");
    let f = &findings[0];
    assert_eq!(f.side, Side::Request);
    assert!(
        f.violation
            .problems
            .iter()
            .any(|p| p.contains("refreshToken") && p.contains("shorter than 16")),
        "{:?}",
        f.violation.problems
    );
    let summary = proxy.summary();
    assert_eq!(
        (summary.request_violations, summary.response_violations),
        (1, 0)
    );
    let junit = summary.to_junit();
    assert!(
        junit.contains(
            "<testcase classname=\"refreshToken\" name=\"requests sent by the app\"><failure"
        ),
        "{junit}"
    );
}
