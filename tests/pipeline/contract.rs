//! Every body the crate can send validates against the spec: the documented examples,
//! every variant of every response enum, the request bodies of the client and the bodies
//! of every rejection of the server, each against the JSON Schema (2020-12) the generator
//! derives from `spec/auth.yaml` for that operation, status and media type.

use std::sync::LazyLock;

use auth_api::examples;
use auth_api::{
    Client, LogoutResponse, LogoutResult, RefreshTokenRequest, RefreshTokenResponse,
    RevokeRefreshTokenRequest, RevokeRefreshTokenResponse, TokenPair, TokenType, Validate,
};
use axum::body::Body;
use axum::http::{Method, StatusCode, header};
use kontrat_generator::model::Contract;
use serde_json::{Value, json};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::fixtures::{ACCESS_TOKEN, NEW_REFRESH_TOKEN, REFRESH_TOKEN};
use crate::server::{app, http_request, malformed_bodies, refresh_body, send};

const JSON: &str = "application/json";
const STATUSES: [u16; 6] = [200, 400, 401, 403, 404, 409];

static CONTRACT: LazyLock<Contract> = LazyLock::new(|| {
    let path = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/spec/auth.yaml"));
    let (contract, _warnings) = kontrat_generator::load_contract(path).unwrap();
    contract
});

fn response_schema(operation: &str, status: u16) -> Value {
    CONTRACT
        .response_schema(operation, status, JSON)
        .unwrap_or_else(|| panic!("no {JSON} schema for {operation} {status}"))
}

fn request_schema(operation: &str) -> Value {
    CONTRACT
        .request_schema(operation, JSON)
        .unwrap_or_else(|| panic!("no {JSON} request schema for {operation}"))
}

/// The violations of `instance` against `schema`, formats (`date-time`) included.
fn violations(schema: &Value, instance: &Value) -> Vec<String> {
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(schema)
        .unwrap_or_else(|error| panic!("invalid schema: {error}\n{schema:#}"));
    validator
        .iter_errors(instance)
        .map(|error| format!("{}: {error}", error.instance_path()))
        .collect()
}

fn assert_valid(schema: &Value, instance: &Value, what: &str) {
    let violations = violations(schema, instance);
    assert!(
        violations.is_empty(),
        "{what} does not validate: {violations:#?}\ninstance: {instance:#}\nschema: {schema:#}"
    );
}

fn assert_invalid(schema: &Value, instance: &Value, what: &str) {
    assert!(
        !violations(schema, instance).is_empty(),
        "{what} validates but should not: {instance:#}"
    );
}

fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

/// The documented examples of each operation, by status (`None`: the request example).
fn documented_examples() -> Vec<(&'static str, Option<u16>, &'static str)> {
    use auth_api::examples::{logout, refresh_token, revoke_refresh_token};
    vec![
        ("logout", Some(200), logout::OK),
        ("logout", Some(400), logout::BAD_REQUEST),
        ("logout", Some(401), logout::UNAUTHORIZED),
        ("logout", Some(403), logout::FORBIDDEN),
        ("logout", Some(404), logout::NOT_FOUND),
        ("logout", Some(409), logout::CONFLICT),
        ("refreshToken", None, refresh_token::REQUEST),
        ("refreshToken", Some(200), refresh_token::OK),
        ("refreshToken", Some(400), refresh_token::BAD_REQUEST),
        ("refreshToken", Some(401), refresh_token::UNAUTHORIZED),
        ("refreshToken", Some(403), refresh_token::FORBIDDEN),
        ("refreshToken", Some(404), refresh_token::NOT_FOUND),
        ("refreshToken", Some(409), refresh_token::CONFLICT),
        ("revokeRefreshToken", None, revoke_refresh_token::REQUEST),
        ("revokeRefreshToken", Some(200), revoke_refresh_token::OK),
        (
            "revokeRefreshToken",
            Some(400),
            revoke_refresh_token::BAD_REQUEST,
        ),
        (
            "revokeRefreshToken",
            Some(401),
            revoke_refresh_token::UNAUTHORIZED,
        ),
        (
            "revokeRefreshToken",
            Some(403),
            revoke_refresh_token::FORBIDDEN,
        ),
        (
            "revokeRefreshToken",
            Some(404),
            revoke_refresh_token::NOT_FOUND,
        ),
        (
            "revokeRefreshToken",
            Some(409),
            revoke_refresh_token::CONFLICT,
        ),
    ]
}

// ── Documented examples ──────────────────────────────────────────────────────────────────

#[test]
fn documented_examples_validate() {
    for (operation, status, example) in documented_examples() {
        let schema = match status {
            Some(status) => response_schema(operation, status),
            None => request_schema(operation),
        };
        assert_valid(
            &schema,
            &parse(example),
            &format!("{operation} {status:?} example"),
        );
    }
}

#[test]
fn embedded_examples_are_the_spec_examples() {
    for (operation, status, example) in documented_examples() {
        let op = CONTRACT
            .operation(operation)
            .unwrap_or_else(|| panic!("no operation {operation}"));
        let media = match status {
            Some(status) => op.response_for(status).and_then(|r| r.content.get(JSON)),
            None => op.request_body.as_ref().and_then(|b| b.content.get(JSON)),
        }
        .unwrap_or_else(|| panic!("{operation} {status:?}: no {JSON} content"));
        let documented = &media
            .default_example()
            .unwrap_or_else(|| panic!("{operation} {status:?}: no example"))
            .value;
        assert_eq!(&parse(example), documented, "{operation} {status:?}");
        // Byte for byte: the example rendered as pretty JSON, keys in the order of the spec.
        assert_eq!(
            example,
            serde_json::to_string_pretty(documented).unwrap(),
            "{operation} {status:?}"
        );
    }
}

#[test]
fn the_schemas_are_not_vacuous() {
    let ok = parse(examples::refresh_token::OK);
    let schema = response_schema("refreshToken", 200);
    for (pointer, replacement, what) in [
        ("/data", Value::Null, "data: null on a 200"),
        ("/data/expiresIn", json!(0), "expiresIn below minimum"),
        (
            "/data/refreshToken",
            json!("short"),
            "refreshToken too short",
        ),
        (
            "/timestamp",
            json!("yesterday"),
            "timestamp not a date-time",
        ),
        ("/statusCode", json!(600), "statusCode above maximum"),
        ("/errors", json!("none"), "errors not an array"),
    ] {
        let mut instance = ok.clone();
        *instance.pointer_mut(pointer).unwrap() = replacement;
        assert_invalid(&schema, &instance, what);
    }
    let mut error = parse(examples::logout::CONFLICT);
    error["data"] = json!({ "sessionsEnded": 1 });
    assert_invalid(&response_schema("logout", 409), &error, "data on an error");
    assert_invalid(
        &request_schema("refreshToken"),
        &json!({ "refreshToken": REFRESH_TOKEN, "extra": 1 }),
        "unknown request field",
    );
    assert_invalid(
        &request_schema("refreshToken"),
        &json!([REFRESH_TOKEN]),
        "array instead of object",
    );
}

// ── Every variant of every response enum ─────────────────────────────────────────────────

fn error_messages(status: StatusCode) -> Vec<Vec<String>> {
    vec![
        vec![],
        vec![status.canonical_reason().unwrap_or("error").to_owned()],
        vec!["first".to_owned(), "ikinci: Türkçe ğüşıöç".to_owned()],
    ]
}

/// Each response as (status, JSON body, debug text).
type Sent = Vec<(StatusCode, Value, String)>;

fn sent<R: std::fmt::Debug>(
    responses: &[R],
    status: impl Fn(&R) -> StatusCode,
    json: impl Fn(&R) -> Value,
) -> Sent {
    responses
        .iter()
        .map(|response| (status(response), json(response), format!("{response:?}")))
        .collect()
}

fn assert_responses_valid(operation: &str, responses: Sent) {
    let mut seen: Vec<u16> = Vec::new();
    for (status, body, debug) in responses {
        let status = status.as_u16();
        seen.push(status);
        assert_eq!(body["statusCode"], status, "{debug}");
        assert_eq!(body["isSuccess"], (200..300).contains(&status), "{debug}");
        assert_valid(
            &response_schema(operation, status),
            &body,
            &format!("{operation} {status} {debug}"),
        );
    }
    seen.sort_unstable();
    seen.dedup();
    assert_eq!(seen, STATUSES, "{operation}: every documented status");
}

fn token_pairs() -> Vec<TokenPair> {
    vec![
        TokenPair {
            access_token: ACCESS_TOKEN.to_owned(),
            refresh_token: NEW_REFRESH_TOKEN.to_owned(),
            expires_in: 900,
            token_type: TokenType::Bearer,
        },
        // The boundaries of the constraints.
        TokenPair {
            access_token: "a".to_owned(),
            refresh_token: "r".repeat(16),
            expires_in: 1,
            token_type: TokenType::Bearer,
        },
        TokenPair {
            access_token: "a".repeat(10_000),
            refresh_token: "ş".repeat(4096),
            expires_in: i32::MAX,
            token_type: TokenType::Bearer,
        },
    ]
}

#[test]
fn every_logout_response_validates() {
    let mut responses = Vec::new();
    for sessions_ended in [0, 3, i32::MAX] {
        let data = LogoutResult { sessions_ended };
        let mut errors = Vec::new();
        data.validate("", &mut errors);
        assert!(errors.is_empty(), "{errors:?}");
        responses.push(LogoutResponse::ok(data));
    }
    for errors in error_messages(StatusCode::BAD_REQUEST) {
        responses.push(LogoutResponse::bad_request(errors.clone()));
        responses.push(LogoutResponse::unauthorized(errors.clone()));
        responses.push(LogoutResponse::forbidden(errors.clone()));
        responses.push(LogoutResponse::not_found(errors.clone()));
        responses.push(LogoutResponse::conflict(errors));
    }
    let responses = sent(&responses, LogoutResponse::status, |r| {
        // The bytes a server sends: `body()` is what `IntoResponse` writes.
        let (_, bytes) = r.body().unwrap().expect("every auth response has a body");
        serde_json::from_slice(&bytes).unwrap()
    });
    assert_responses_valid("logout", responses);
}

#[test]
fn every_refresh_token_response_validates() {
    let mut responses = Vec::new();
    for pair in token_pairs() {
        let mut errors = Vec::new();
        pair.validate("", &mut errors);
        assert!(errors.is_empty(), "{errors:?}");
        responses.push(RefreshTokenResponse::ok(pair));
    }
    for errors in error_messages(StatusCode::CONFLICT) {
        responses.push(RefreshTokenResponse::bad_request(errors.clone()));
        responses.push(RefreshTokenResponse::unauthorized(errors.clone()));
        responses.push(RefreshTokenResponse::forbidden(errors.clone()));
        responses.push(RefreshTokenResponse::not_found(errors.clone()));
        responses.push(RefreshTokenResponse::conflict(errors));
    }
    let responses = sent(&responses, RefreshTokenResponse::status, |r| {
        // The bytes a server sends: `body()` is what `IntoResponse` writes.
        let (_, bytes) = r.body().unwrap().expect("every auth response has a body");
        serde_json::from_slice(&bytes).unwrap()
    });
    assert_responses_valid("refreshToken", responses);
}

#[test]
fn every_revoke_refresh_token_response_validates() {
    let mut responses = vec![RevokeRefreshTokenResponse::ok(())];
    for errors in error_messages(StatusCode::NOT_FOUND) {
        responses.push(RevokeRefreshTokenResponse::bad_request(errors.clone()));
        responses.push(RevokeRefreshTokenResponse::unauthorized(errors.clone()));
        responses.push(RevokeRefreshTokenResponse::forbidden(errors.clone()));
        responses.push(RevokeRefreshTokenResponse::not_found(errors.clone()));
        responses.push(RevokeRefreshTokenResponse::conflict(errors));
    }
    let responses = sent(&responses, RevokeRefreshTokenResponse::status, |r| {
        // The bytes a server sends: `body()` is what `IntoResponse` writes.
        let (_, bytes) = r.body().unwrap().expect("every auth response has a body");
        serde_json::from_slice(&bytes).unwrap()
    });
    assert_responses_valid("revokeRefreshToken", responses);
}

// ── Request bodies ───────────────────────────────────────────────────────────────────────

#[tokio::test]
async fn request_bodies_the_client_sends_validate() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(418))
        .mount(&server)
        .await;
    let client = Client::new(server.uri()).with_bearer_token(ACCESS_TOKEN);
    for token in [REFRESH_TOKEN.to_owned(), "x".repeat(16), "ğ".repeat(4096)] {
        let _ = client
            .refresh_token(&RefreshTokenRequest {
                refresh_token: token.clone(),
            })
            .await;
        let _ = client
            .revoke_refresh_token(&RevokeRefreshTokenRequest {
                refresh_token: token,
            })
            .await;
    }
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 6);
    for request in requests {
        let operation = match request.url.path() {
            "/api/v1/auth/refresh" => "refreshToken",
            "/api/v1/auth/revoke" => "revokeRefreshToken",
            other => panic!("unexpected request to {other}"),
        };
        assert_eq!(request.headers[header::CONTENT_TYPE], JSON);
        let body: Value = request.body_json().unwrap();
        assert_valid(&request_schema(operation), &body, operation);
    }
}

/// `Validate` states the same constraints as the schema: a request passes one exactly when
/// it passes the other.
#[test]
fn validate_agrees_with_the_request_schemas() {
    for length in [0, 1, 15, 16, 17, 4095, 4096, 4097] {
        for token in ["a".repeat(length), "ğ".repeat(length)] {
            let refresh = RefreshTokenRequest {
                refresh_token: token.clone(),
            };
            let revoke = RevokeRefreshTokenRequest {
                refresh_token: token,
            };
            let mut refresh_errors = Vec::new();
            refresh.validate("", &mut refresh_errors);
            let mut revoke_errors = Vec::new();
            revoke.validate("", &mut revoke_errors);
            let refresh_violations = violations(
                &request_schema("refreshToken"),
                &serde_json::to_value(&refresh).unwrap(),
            );
            let revoke_violations = violations(
                &request_schema("revokeRefreshToken"),
                &serde_json::to_value(&revoke).unwrap(),
            );
            assert_eq!(
                refresh_errors.is_empty(),
                refresh_violations.is_empty(),
                "length {length}: {refresh_errors:?} vs {refresh_violations:?}"
            );
            assert_eq!(
                revoke_errors.is_empty(),
                revoke_violations.is_empty(),
                "length {length}: {revoke_errors:?} vs {revoke_violations:?}"
            );
        }
    }
}

// ── Bodies of the server's rejections ────────────────────────────────────────────────────

#[tokio::test]
async fn every_rejection_of_the_server_validates() {
    let (app, _) = app();
    let bearer = format!("Bearer {ACCESS_TOKEN}");
    let mut checked = 0;

    // 400 from every malformed body, on both operations with a body.
    for (path, operation, authorization) in [
        ("/api/v1/auth/refresh", "refreshToken", None),
        (
            "/api/v1/auth/revoke",
            "revokeRefreshToken",
            Some(bearer.as_str()),
        ),
    ] {
        for (case, content_type, body, _) in malformed_bodies() {
            let request = http_request(Method::POST, path, content_type, authorization, body);
            let (status, _, body) = send(&app, request).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{case}");
            assert_valid(&response_schema(operation, 400), &body, case);
            checked += 1;
        }
    }

    // 401 from every malformed Authorization, on both secured operations.
    for (path, operation, body) in [
        ("/api/v1/auth/logout", "logout", String::new()),
        (
            "/api/v1/auth/revoke",
            "revokeRefreshToken",
            refresh_body(NEW_REFRESH_TOKEN),
        ),
    ] {
        for authorization in [
            None,
            Some("Basic dXNlcjpwYXNz"),
            Some("Bearer "),
            Some("Bearer"),
        ] {
            let request = http_request(Method::POST, path, Some(JSON), authorization, body.clone());
            let (status, _, body) = send(&app, request).await;
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{authorization:?}");
            assert_valid(
                &response_schema(operation, 401),
                &body,
                &format!("{operation} 401 {authorization:?}"),
            );
            checked += 1;
        }
    }

    // 404 (unknown route), 405 and 413: the statuses are not documented for an operation,
    // but the bodies are error envelopes all the same.
    let request = http_request(
        Method::POST,
        "/api/v1/auth/unknown",
        None,
        None,
        Body::empty(),
    );
    let (status, _, body) = send(&app, request).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_valid(
        &response_schema("refreshToken", 404),
        &body,
        "unknown route",
    );

    let request = http_request(
        Method::GET,
        "/api/v1/auth/refresh",
        None,
        None,
        Body::empty(),
    );
    let (status, _, body) = send(&app, request).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_valid(
        &response_schema("refreshToken", 400),
        &body,
        "405 as an ErrorEnvelope",
    );

    let huge = refresh_body(&"a".repeat(auth_api::server::BODY_LIMIT));
    let request = http_request(Method::POST, "/api/v1/auth/refresh", Some(JSON), None, huge);
    let (status, _, body) = send(&app, request).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_valid(
        &response_schema("refreshToken", 400),
        &body,
        "413 as an ErrorEnvelope",
    );

    assert_eq!(checked, 2 * malformed_bodies().len() + 8);
}

#[tokio::test]
async fn every_success_of_the_server_validates() {
    let (app, _) = app();
    let bearer = format!("Bearer {ACCESS_TOKEN}");
    for (path, operation, authorization, body) in [
        (
            "/api/v1/auth/logout",
            "logout",
            Some(bearer.as_str()),
            String::new(),
        ),
        (
            "/api/v1/auth/refresh",
            "refreshToken",
            None,
            refresh_body(REFRESH_TOKEN),
        ),
        (
            "/api/v1/auth/revoke",
            "revokeRefreshToken",
            Some(bearer.as_str()),
            refresh_body(NEW_REFRESH_TOKEN),
        ),
    ] {
        let request = http_request(Method::POST, path, Some(JSON), authorization, body);
        let (status, _, body) = send(&app, request).await;
        assert_eq!(status, StatusCode::OK, "{operation}: {body}");
        assert_valid(&response_schema(operation, 200), &body, operation);
    }
}
