//! The generated server stubs, driven in-process with `tower::ServiceExt::oneshot`, and a
//! roundtrip of the generated server and client over a real socket.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use auth_api::server::{AuthRejection, BODY_LIMIT, BodyRejection};
use auth_api::{
    AuthApi, BearerToken, Client, Error, LogoutError, LogoutResponse, LogoutResult,
    RefreshTokenError, RefreshTokenRequest, RefreshTokenResponse, RevokeRefreshTokenError,
    RevokeRefreshTokenRequest, RevokeRefreshTokenResponse, TokenPair, TokenType, router,
};
use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::fixtures::{
    ACCESS_TOKEN, NEW_REFRESH_TOKEN, REFRESH_TOKEN, assert_error_json, assert_millis_timestamp,
};

const LOGOUT: &str = "/api/v1/auth/logout";
const REFRESH: &str = "/api/v1/auth/refresh";
const REVOKE: &str = "/api/v1/auth/revoke";

/// A test implementation: one valid access token, one valid refresh token, and the set of
/// revoked refresh tokens. Records every call it receives.
#[derive(Default)]
pub struct TestApi {
    calls: Mutex<Vec<String>>,
    revoked: Mutex<HashSet<String>>,
}

impl TestApi {
    fn record(&self, call: String) {
        self.calls.lock().unwrap().push(call);
    }
}

impl AuthApi for TestApi {
    async fn logout(&self, auth: BearerToken) -> LogoutResponse {
        self.record(format!("logout {}", auth.as_str()));
        if auth.as_str() != ACCESS_TOKEN {
            return LogoutResponse::unauthorized(vec![
                "Authentication required".to_owned(),
                "unknown access token".to_owned(),
            ]);
        }
        LogoutResponse::ok(LogoutResult { sessions_ended: 3 })
    }

    async fn refresh_token(&self, body: RefreshTokenRequest) -> RefreshTokenResponse {
        self.record(format!("refresh {}", body.refresh_token));
        if body.refresh_token != REFRESH_TOKEN {
            return RefreshTokenResponse::not_found(vec![
                "Resource not found".to_owned(),
                "unknown refresh token".to_owned(),
            ]);
        }
        RefreshTokenResponse::ok(TokenPair {
            access_token: ACCESS_TOKEN.to_owned(),
            refresh_token: NEW_REFRESH_TOKEN.to_owned(),
            expires_in: 900,
            token_type: TokenType::Bearer,
        })
    }

    async fn revoke_refresh_token(
        &self,
        auth: BearerToken,
        body: RevokeRefreshTokenRequest,
    ) -> RevokeRefreshTokenResponse {
        self.record(format!("revoke {} {}", auth.as_str(), body.refresh_token));
        if auth.as_str() != ACCESS_TOKEN {
            return RevokeRefreshTokenResponse::unauthorized(vec![
                "Authentication required".to_owned(),
                "unknown access token".to_owned(),
            ]);
        }
        if !self.revoked.lock().unwrap().insert(body.refresh_token) {
            return RevokeRefreshTokenResponse::conflict(vec![
                "Resource already exists or cannot be changed in its current state".to_owned(),
                "the refresh token is already revoked".to_owned(),
            ]);
        }
        RevokeRefreshTokenResponse::ok(())
    }
}

/// Forwards to a shared [`TestApi`], so that tests can look at its calls.
struct Shared(Arc<TestApi>);

impl AuthApi for Shared {
    fn logout(&self, auth: BearerToken) -> impl Future<Output = LogoutResponse> + Send {
        self.0.logout(auth)
    }

    fn refresh_token(
        &self,
        body: RefreshTokenRequest,
    ) -> impl Future<Output = RefreshTokenResponse> + Send {
        self.0.refresh_token(body)
    }

    fn revoke_refresh_token(
        &self,
        auth: BearerToken,
        body: RevokeRefreshTokenRequest,
    ) -> impl Future<Output = RevokeRefreshTokenResponse> + Send {
        self.0.revoke_refresh_token(auth, body)
    }
}

/// A router around a fresh [`TestApi`], and the API to look at its calls.
pub fn app() -> (Router, Arc<TestApi>) {
    let api = Arc::new(TestApi::default());
    (router(Shared(Arc::clone(&api))), api)
}

/// A request with optional content type and `Authorization` header.
pub fn http_request(
    method: Method,
    path: &str,
    content_type: Option<&str>,
    authorization: Option<&str>,
    body: impl Into<Body>,
) -> Request<Body> {
    let mut builder = Request::builder().method(method).uri(path);
    if let Some(content_type) = content_type {
        builder = builder.header(header::CONTENT_TYPE, content_type);
    }
    if let Some(authorization) = authorization {
        builder = builder.header(header::AUTHORIZATION, authorization);
    }
    builder.body(body.into()).unwrap()
}

/// A JSON `POST`, with `Authorization: Bearer <ACCESS_TOKEN>`.
pub fn post_json(path: &str, body: &str) -> Request<Body> {
    http_request(
        Method::POST,
        path,
        Some("application/json"),
        Some(&format!("Bearer {ACCESS_TOKEN}")),
        body.to_owned(),
    )
}

/// Sends `request` to `app`; the status, the headers and the JSON body. Every response of
/// the generated server is `application/json`.
pub async fn send(app: &Router, request: Request<Body>) -> (StatusCode, HeaderMap, Value) {
    let response = app.clone().oneshot(request).await.unwrap();
    let (parts, body) = response.into_parts();
    let bytes = body.collect().await.unwrap().to_bytes();
    assert_eq!(
        parts.headers[header::CONTENT_TYPE],
        "application/json",
        "{parts:?}"
    );
    let value = serde_json::from_slice(&bytes)
        .unwrap_or_else(|error| panic!("{error}: {}", String::from_utf8_lossy(&bytes)));
    (parts.status, parts.headers, value)
}

pub fn refresh_body(token: &str) -> String {
    json!({ "refreshToken": token }).to_string()
}

// ── Happy paths ──────────────────────────────────────────────────────────────────────────

#[tokio::test]
async fn logout_ok() {
    let (app, api) = app();
    let (status, _, body) = send(&app, post_json(LOGOUT, "")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["isSuccess"], true);
    assert_eq!(body["statusCode"], 200);
    assert_eq!(body["data"], json!({ "sessionsEnded": 3 }));
    assert_eq!(body["errors"], json!([]));
    assert_millis_timestamp(body["timestamp"].as_str().unwrap());
    assert_eq!(
        *api.calls.lock().unwrap(),
        [format!("logout {ACCESS_TOKEN}")]
    );
}

#[tokio::test]
async fn refresh_token_ok() {
    let (app, api) = app();
    let request = http_request(
        Method::POST,
        REFRESH,
        Some("application/json; charset=utf-8"),
        None,
        refresh_body(REFRESH_TOKEN),
    );
    let (status, _, body) = send(&app, request).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["isSuccess"], true);
    assert_eq!(body["statusCode"], 200);
    assert_eq!(
        body["data"],
        json!({
            "accessToken": ACCESS_TOKEN,
            "refreshToken": NEW_REFRESH_TOKEN,
            "expiresIn": 900,
            "tokenType": "Bearer",
        })
    );
    assert_eq!(body["errors"], json!([]));
    assert_millis_timestamp(body["timestamp"].as_str().unwrap());
    assert_eq!(
        *api.calls.lock().unwrap(),
        [format!("refresh {REFRESH_TOKEN}")]
    );
}

#[tokio::test]
async fn revoke_refresh_token_ok_then_conflict() {
    let (app, api) = app();
    let (status, _, body) = send(&app, post_json(REVOKE, &refresh_body(NEW_REFRESH_TOKEN))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["isSuccess"], true);
    assert_eq!(body["statusCode"], 200);
    assert!(body["data"].is_null());
    assert_eq!(body["errors"], json!([]));

    let (status, _, body) = send(&app, post_json(REVOKE, &refresh_body(NEW_REFRESH_TOKEN))).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_error_json(
        &body,
        409,
        &[
            "Resource already exists or cannot be changed in its current state",
            "the refresh token is already revoked",
        ],
    );
    assert_eq!(api.calls.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn documented_error_responses_of_the_implementation_pass_through() {
    let (app, _) = app();
    let (status, _, body) = send(&app, post_json(REFRESH, &refresh_body(NEW_REFRESH_TOKEN))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_error_json(&body, 404, &["Resource not found", "unknown refresh token"]);

    let request = http_request(
        Method::POST,
        LOGOUT,
        None,
        Some("Bearer someone-else"),
        Body::empty(),
    );
    let (status, _, body) = send(&app, request).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_error_json(
        &body,
        401,
        &["Authentication required", "unknown access token"],
    );
}

#[tokio::test]
async fn the_bearer_scheme_is_case_insensitive() {
    let (app, api) = app();
    let request = http_request(
        Method::POST,
        LOGOUT,
        None,
        Some(&format!("bearer  {ACCESS_TOKEN} ")),
        Body::empty(),
    );
    let (status, _, _) = send(&app, request).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        *api.calls.lock().unwrap(),
        [format!("logout {ACCESS_TOKEN}")]
    );
}

// ── Malformed bodies: the documented 400 envelope ────────────────────────────────────────

/// Each malformed body of refresh (and revoke), with the expected second error message.
pub fn malformed_bodies() -> Vec<(&'static str, Option<&'static str>, String, String)> {
    let long = "a".repeat(4097);
    vec![
        (
            "malformed JSON",
            Some("application/json"),
            r#"{"refreshToken": "#.to_owned(),
            "body: malformed JSON: EOF while parsing a value at line 1 column 17".to_owned(),
        ),
        (
            "not JSON at all",
            Some("application/json"),
            "refreshToken=abc".to_owned(),
            "body: malformed JSON: expected value at line 1 column 1".to_owned(),
        ),
        (
            "trailing characters",
            Some("application/json"),
            format!("{} x", refresh_body(REFRESH_TOKEN)),
            "body: malformed JSON: trailing characters at line 1 column 69".to_owned(),
        ),
        (
            "empty body",
            Some("application/json"),
            String::new(),
            "the request body is empty; expected a JSON body".to_owned(),
        ),
        (
            "missing content type",
            None,
            refresh_body(REFRESH_TOKEN),
            "missing Content-Type header; expected `application/json`".to_owned(),
        ),
        (
            "text/plain content type",
            Some("text/plain"),
            refresh_body(REFRESH_TOKEN),
            "unsupported Content-Type `text/plain`; expected `application/json`".to_owned(),
        ),
        (
            "wrong type",
            Some("application/json"),
            r#"{"refreshToken": 5}"#.to_owned(),
            "refreshToken: invalid type: integer `5`, expected a string".to_owned(),
        ),
        (
            "null field",
            Some("application/json"),
            r#"{"refreshToken": null}"#.to_owned(),
            "refreshToken: invalid type: null, expected a string".to_owned(),
        ),
        (
            "not an object",
            Some("application/json"),
            "[]".to_owned(),
            "body: invalid type: sequence, expected struct RefreshTokenRequest".to_owned(),
        ),
        (
            "missing field",
            Some("application/json"),
            "{}".to_owned(),
            "body: missing field `refreshToken`".to_owned(),
        ),
        (
            "unknown field",
            Some("application/json"),
            json!({ "refreshToken": REFRESH_TOKEN, "extra": true }).to_string(),
            "extra: unknown field `extra`, expected `refreshToken`".to_owned(),
        ),
        (
            "too short",
            Some("application/json"),
            refresh_body("short"),
            "refreshToken: must be at least 16 characters".to_owned(),
        ),
        (
            "too long",
            Some("application/json"),
            refresh_body(&long),
            "refreshToken: must be at most 4096 characters".to_owned(),
        ),
    ]
}

#[tokio::test]
async fn malformed_refresh_bodies_are_documented_400s() {
    let (app, api) = app();
    for (case, content_type, body, expected) in malformed_bodies() {
        let request = http_request(Method::POST, REFRESH, content_type, None, body);
        let (status, headers, body) = send(&app, request).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{case}: {body}");
        assert!(headers.get(header::WWW_AUTHENTICATE).is_none(), "{case}");
        assert_error_json(&body, 400, &["Validation failed", expected.as_str()]);
    }
    assert!(api.calls.lock().unwrap().is_empty());
}

#[tokio::test]
async fn malformed_revoke_bodies_are_documented_400s() {
    let (app, api) = app();
    for (case, content_type, body, expected) in malformed_bodies() {
        let expected = expected.replace("RefreshTokenRequest", "RevokeRefreshTokenRequest");
        let request = http_request(
            Method::POST,
            REVOKE,
            content_type,
            Some(&format!("Bearer {ACCESS_TOKEN}")),
            body,
        );
        let (status, _, body) = send(&app, request).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{case}: {body}");
        assert_error_json(&body, 400, &["Validation failed", expected.as_str()]);
    }
    assert!(api.calls.lock().unwrap().is_empty());
}

#[tokio::test]
async fn every_constraint_violation_is_listed() {
    let (app, _) = app();
    let request = http_request(
        Method::POST,
        REFRESH,
        Some("application/json"),
        None,
        refresh_body("ğ".repeat(15).as_str()),
    );
    let (status, _, body) = send(&app, request).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    // 15 characters (30 bytes): lengths count characters, as JSON Schema does.
    assert_error_json(
        &body,
        400,
        &[
            "Validation failed",
            "refreshToken: must be at least 16 characters",
        ],
    );
    let request = http_request(
        Method::POST,
        REFRESH,
        Some("application/json"),
        None,
        refresh_body("ğ".repeat(16).as_str()),
    );
    let (status, _, _) = send(&app, request).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "16 characters pass validation"
    );
}

#[tokio::test]
async fn oversized_bodies_are_413() {
    let (app, api) = app();
    let huge = format!(r#"{{"refreshToken": "{}"}}"#, "a".repeat(BODY_LIMIT));
    // Without Content-Length: the limit applies while reading.
    let (status, _, body) = send(
        &app,
        http_request(
            Method::POST,
            REFRESH,
            Some("application/json"),
            None,
            huge.clone(),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_error_json(
        &body,
        413,
        &[
            "Payload too large",
            "the request body is larger than 1048576 bytes",
        ],
    );
    // With a Content-Length over the limit: refused before reading.
    let mut declared = http_request(
        Method::POST,
        REVOKE,
        Some("application/json"),
        Some(&format!("Bearer {ACCESS_TOKEN}")),
        huge,
    );
    declared.headers_mut().insert(
        header::CONTENT_LENGTH,
        (BODY_LIMIT + 100).to_string().parse().unwrap(),
    );
    let (status, _, body) = send(&app, declared).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(body["statusCode"], 413);
    // Exactly at the limit is read (and then fails validation, not size).
    let at_limit = format!(r#"{{"refreshToken": "{}"}}"#, "a".repeat(BODY_LIMIT - 20));
    assert_eq!(at_limit.len(), BODY_LIMIT);
    let (status, _, body) = send(
        &app,
        http_request(
            Method::POST,
            REFRESH,
            Some("application/json"),
            None,
            at_limit,
        ),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        body["errors"][1],
        "refreshToken: must be at most 4096 characters"
    );
    assert!(api.calls.lock().unwrap().is_empty());
}

// ── Authentication: the documented 401 envelope ──────────────────────────────────────────

#[tokio::test]
async fn missing_or_malformed_bearer_tokens_are_documented_401s() {
    let (app, api) = app();
    let cases: [(Option<&str>, &str); 6] = [
        (
            None,
            "missing Authorization header; expected `Authorization: Bearer <token>`",
        ),
        (
            Some("Basic dXNlcjpwYXNzd29yZA=="),
            "unsupported authorization scheme `Basic`; expected `Bearer`",
        ),
        (Some("Bearer "), "the bearer token is empty"),
        (Some("Bearer"), "the bearer token is empty"),
        (
            Some(ACCESS_TOKEN),
            "unsupported authorization scheme `eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxIiwiaWF0IjoxNzY4NDczMDAwfQ.c2lnbmF0dXJl`; expected `Bearer`",
        ),
        (
            Some("Token abc"),
            "unsupported authorization scheme `Token`; expected `Bearer`",
        ),
    ];
    for (path, body) in [
        (LOGOUT, String::new()),
        (REVOKE, refresh_body(NEW_REFRESH_TOKEN)),
    ] {
        for (authorization, expected) in cases {
            let request = http_request(
                Method::POST,
                path,
                Some("application/json"),
                authorization,
                body.clone(),
            );
            let (status, headers, body) = send(&app, request).await;
            assert_eq!(
                status,
                StatusCode::UNAUTHORIZED,
                "{path} {authorization:?}: {body}"
            );
            assert_eq!(headers[header::WWW_AUTHENTICATE], "Bearer");
            assert_error_json(&body, 401, &["Authentication required", expected]);
        }
    }
    assert!(api.calls.lock().unwrap().is_empty());
}

#[tokio::test]
async fn non_text_and_repeated_authorization_headers_are_401s() {
    let (app, _) = app();
    let mut request = http_request(Method::POST, LOGOUT, None, None, Body::empty());
    request.headers_mut().insert(
        header::AUTHORIZATION,
        header::HeaderValue::from_bytes(b"Bearer \xff\xfe").unwrap(),
    );
    let (status, _, body) = send(&app, request).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_error_json(
        &body,
        401,
        &[
            "Authentication required",
            "the Authorization header is not visible ASCII text",
        ],
    );

    let mut request = http_request(Method::POST, LOGOUT, None, None, Body::empty());
    for _ in 0..2 {
        request.headers_mut().append(
            header::AUTHORIZATION,
            format!("Bearer {ACCESS_TOKEN}").parse().unwrap(),
        );
    }
    let (status, _, body) = send(&app, request).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_error_json(
        &body,
        401,
        &[
            "Authentication required",
            "more than one Authorization header",
        ],
    );
}

#[tokio::test]
async fn authentication_is_checked_before_the_body() {
    let (app, _) = app();
    let request = http_request(Method::POST, REVOKE, Some("text/plain"), None, "garbage");
    let (status, _, body) = send(&app, request).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["errors"][0], "Authentication required");
}

// ── Routing: 404 and 405 envelopes ───────────────────────────────────────────────────────

#[tokio::test]
async fn unknown_routes_are_404_envelopes() {
    let (app, _) = app();
    for (method, path, expected) in [
        (Method::POST, "/x", "no route for POST /x"),
        (Method::GET, "/", "no route for GET /"),
        (
            Method::POST,
            "/api/v1/auth/refresh/extra?x=1",
            "no route for POST /api/v1/auth/refresh/extra",
        ),
        (
            Method::DELETE,
            "/api/v1/auth",
            "no route for DELETE /api/v1/auth",
        ),
    ] {
        let (status, _, body) =
            send(&app, http_request(method, path, None, None, Body::empty())).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert_error_json(&body, 404, &["Resource not found", expected]);
    }
}

#[tokio::test]
async fn other_methods_are_405_envelopes_with_allow() {
    let (app, api) = app();
    for path in [LOGOUT, REFRESH, REVOKE] {
        for method in [Method::GET, Method::PUT, Method::DELETE, Method::PATCH] {
            let (status, headers, body) = send(
                &app,
                http_request(method.clone(), path, None, None, Body::empty()),
            )
            .await;
            assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
            assert_eq!(headers[header::ALLOW], "POST");
            let expected = format!("method {method} is not allowed for {path}; allowed: POST");
            assert_error_json(&body, 405, &["Method not allowed", expected.as_str()]);
        }
    }
    assert!(api.calls.lock().unwrap().is_empty());
}

// ── Responses that cannot be sent ────────────────────────────────────────────────────────

struct UndocumentedEnumApi;

impl AuthApi for UndocumentedEnumApi {
    async fn logout(&self, _auth: BearerToken) -> LogoutResponse {
        LogoutResponse::ok(LogoutResult { sessions_ended: 0 })
    }

    async fn refresh_token(&self, _body: RefreshTokenRequest) -> RefreshTokenResponse {
        RefreshTokenResponse::ok(TokenPair {
            access_token: ACCESS_TOKEN.to_owned(),
            refresh_token: NEW_REFRESH_TOKEN.to_owned(),
            expires_in: 900,
            token_type: TokenType::Unknown("MAC".to_owned()),
        })
    }

    async fn revoke_refresh_token(
        &self,
        _auth: BearerToken,
        _body: RevokeRefreshTokenRequest,
    ) -> RevokeRefreshTokenResponse {
        RevokeRefreshTokenResponse::ok(())
    }
}

#[tokio::test]
async fn undocumented_enum_values_are_never_sent() {
    let app = router(UndocumentedEnumApi);
    let request = http_request(
        Method::POST,
        REFRESH,
        Some("application/json"),
        None,
        refresh_body(REFRESH_TOKEN),
    );
    let (status, _, body) = send(&app, request).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_error_json(
        &body,
        500,
        &[
            "Internal server error",
            "the response body could not be serialized",
        ],
    );
}

#[test]
fn rejections_describe_themselves() {
    assert_eq!(AuthRejection::EmptyToken.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        AuthRejection::EmptyToken.errors(),
        ["Authentication required", "the bearer token is empty"]
    );
    let too_large = BodyRejection::TooLarge { limit: 10 };
    assert_eq!(too_large.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        too_large.to_string(),
        "the request body is larger than 10 bytes"
    );
    let violations = BodyRejection::ConstraintViolations {
        errors: vec!["a: x".to_owned(), "b: y".to_owned()],
    };
    assert_eq!(violations.errors(), ["Validation failed", "a: x", "b: y"]);
}

#[test]
fn bearer_tokens_strip_one_prefix_and_redact() {
    assert_eq!(BearerToken::new("abc").as_str(), "abc");
    assert_eq!(BearerToken::new("Bearer abc").as_str(), "abc");
    assert_eq!(BearerToken::new("bearer abc").as_str(), "abc");
    assert_eq!(BearerToken::new(" Bearer  abc \n").as_str(), "abc");
    assert_eq!(BearerToken::new("Bearer Bearer abc").as_str(), "Bearer abc");
    assert_eq!(BearerToken::new("Bearerabc").as_str(), "Bearerabc");
    assert_eq!(
        format!("{:?}", BearerToken::new("secret")),
        "BearerToken(<redacted>)"
    );
}

// ── The generated server and the generated client over a real socket ─────────────────────

#[tokio::test]
async fn roundtrip_over_a_socket() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (app, api) = app();
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let client = Client::new(format!("http://{address}/"));

    // refresh: 200 with the new pair.
    let refreshed = client
        .refresh_token(&RefreshTokenRequest {
            refresh_token: REFRESH_TOKEN.to_owned(),
        })
        .await
        .unwrap();
    assert_eq!(refreshed.status(), StatusCode::OK);
    assert_eq!(
        refreshed.headers()[header::CONTENT_TYPE],
        "application/json"
    );
    let pair = refreshed.into_data();
    assert_eq!(pair.refresh_token, NEW_REFRESH_TOKEN);
    assert_eq!(pair.token_type, TokenType::Bearer);

    // Validation happens on the server; the client decodes the 400 envelope.
    let error = client
        .refresh_token(&RefreshTokenRequest {
            refresh_token: "short".to_owned(),
        })
        .await
        .unwrap_err();
    let Some(RefreshTokenError::BadRequest(envelope)) = error.documented() else {
        panic!("{error:?}");
    };
    assert_eq!(
        envelope.errors,
        [
            "Validation failed",
            "refreshToken: must be at least 16 characters"
        ]
    );
    assert_eq!(envelope.status_code, 400);

    // logout without a token: 401 from the router.
    let error = client.logout().await.unwrap_err();
    let Some(LogoutError::Unauthorized(envelope)) = error.documented() else {
        panic!("{error:?}");
    };
    assert_eq!(envelope.errors[0], "Authentication required");

    // With the access token of the pair (pasted with its prefix, tolerated).
    let client = client.with_bearer_token(format!("Bearer {}", pair.access_token));
    let ended = client.logout().await.unwrap();
    assert_eq!(ended.data().sessions_ended, 3);
    let revoke = RevokeRefreshTokenRequest {
        refresh_token: pair.refresh_token.clone(),
    };
    client.revoke_refresh_token(&revoke).await.unwrap();
    let error = client.revoke_refresh_token(&revoke).await.unwrap_err();
    assert!(
        matches!(
            error.documented(),
            Some(RevokeRefreshTokenError::Conflict(envelope)) if envelope.errors.len() == 2
        ),
        "{error:?}"
    );

    // Statuses the router adds but the spec does not document for the operation.
    let raw = reqwest::Client::new()
        .get(format!("http://{address}{REFRESH}"))
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(raw.headers()[header::ALLOW], "POST");

    let unknown = Client::new(format!("http://{address}/nowhere"))
        .refresh_token(&RefreshTokenRequest {
            refresh_token: REFRESH_TOKEN.to_owned(),
        })
        .await
        .unwrap_err();
    // 404 is documented, and the router's 404 envelope decodes as such.
    let Some(RefreshTokenError::NotFound(envelope)) = unknown.documented() else {
        panic!("{unknown:?}");
    };
    assert_eq!(
        envelope.errors,
        [
            "Resource not found",
            "no route for POST /nowhere/api/v1/auth/refresh"
        ]
    );
    assert!(matches!(unknown, Error::Documented(_)));

    assert_eq!(api.calls.lock().unwrap().len(), 4);
    server.abort();
}
