//! The generated client against wiremock on 127.0.0.1.

use auth_api::examples;
use auth_api::{
    Client, Error, LogoutError, RefreshTokenError, RefreshTokenRequest, RevokeRefreshTokenError,
    RevokeRefreshTokenRequest, Server, TokenType,
};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::fixtures::{
    ACCESS_TOKEN, ERROR_STATUSES, NEW_REFRESH_TOKEN, REFRESH_TOKEN, assert_example_error,
    error_example, example_timestamp,
};

const LOGOUT: &str = "/api/v1/auth/logout";
const REFRESH: &str = "/api/v1/auth/refresh";
const REVOKE: &str = "/api/v1/auth/revoke";

fn refresh_request() -> RefreshTokenRequest {
    RefreshTokenRequest {
        refresh_token: REFRESH_TOKEN.to_owned(),
    }
}

fn revoke_request() -> RevokeRefreshTokenRequest {
    RevokeRefreshTokenRequest {
        refresh_token: NEW_REFRESH_TOKEN.to_owned(),
    }
}

/// Replaces every mock of `server` by one answering `POST route` with `status` and `body`.
async fn answer(server: &MockServer, route: &str, status: u16, body: &str) {
    server.reset().await;
    Mock::given(method("POST"))
        .and(path(route))
        .respond_with(ResponseTemplate::new(status).set_body_raw(body, "application/json"))
        .expect(1)
        .mount(server)
        .await;
}

fn client(server: &MockServer) -> Client {
    Client::new(server.uri()).with_bearer_token(ACCESS_TOKEN)
}

/// The only request `server` received.
async fn single_request(server: &MockServer) -> wiremock::Request {
    let mut requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1, "{requests:?}");
    requests.remove(0)
}

// ── Every operation × every documented status ────────────────────────────────────────────

#[tokio::test]
async fn logout_decodes_every_documented_status() {
    let server = MockServer::start().await;
    let client = client(&server);

    answer(&server, LOGOUT, 200, examples::logout::OK).await;
    let value = client.logout().await.unwrap();
    assert_eq!(value.status(), 200);
    assert_eq!(value.raw_body().as_ref(), examples::logout::OK.as_bytes());
    assert_eq!(value.headers()["content-type"], "application/json");
    assert!(value.is_success);
    assert_eq!(value.status_code, 200);
    assert!(value.errors.is_empty());
    assert_eq!(value.timestamp, example_timestamp());
    assert_eq!(value.data().sessions_ended, 3);
    assert_eq!(value.into_data().sessions_ended, 3);

    for (status, message) in ERROR_STATUSES {
        answer(&server, LOGOUT, status, error_example(status)).await;
        let Error::Documented(value) = client.logout().await.unwrap_err() else {
            panic!("{status}: not a documented error");
        };
        assert_eq!(value.status(), status);
        assert_eq!(value.raw_body().as_ref(), error_example(status).as_bytes());
        let envelope = match (status, value.into_inner()) {
            (400, LogoutError::BadRequest(envelope))
            | (401, LogoutError::Unauthorized(envelope))
            | (403, LogoutError::Forbidden(envelope))
            | (404, LogoutError::NotFound(envelope))
            | (409, LogoutError::Conflict(envelope)) => envelope,
            (status, other) => panic!("{status}: wrong variant {other:?}"),
        };
        assert_example_error(&envelope, status, message);
    }
}

#[tokio::test]
async fn refresh_token_decodes_every_documented_status() {
    let server = MockServer::start().await;
    let client = client(&server);

    answer(&server, REFRESH, 200, examples::refresh_token::OK).await;
    let value = client.refresh_token(&refresh_request()).await.unwrap();
    assert_eq!(value.status(), 200);
    assert_eq!(
        value.raw_body().as_ref(),
        examples::refresh_token::OK.as_bytes()
    );
    assert!(value.is_success);
    assert_eq!(value.status_code, 200);
    assert!(value.errors.is_empty());
    assert_eq!(value.timestamp, example_timestamp());
    let pair = value.into_data();
    assert_eq!(pair.access_token, ACCESS_TOKEN);
    assert_eq!(pair.refresh_token, NEW_REFRESH_TOKEN);
    assert_eq!(pair.expires_in, 900);
    assert_eq!(pair.token_type, TokenType::Bearer);

    for (status, message) in ERROR_STATUSES {
        answer(&server, REFRESH, status, error_example(status)).await;
        let error = client.refresh_token(&refresh_request()).await.unwrap_err();
        assert_eq!(error.status().map(|status| status.as_u16()), Some(status));
        let Error::Documented(value) = error else {
            panic!("{status}: not a documented error");
        };
        assert_eq!(value.status(), status);
        let envelope = match (status, value.into_inner()) {
            (400, RefreshTokenError::BadRequest(envelope))
            | (401, RefreshTokenError::Unauthorized(envelope))
            | (403, RefreshTokenError::Forbidden(envelope))
            | (404, RefreshTokenError::NotFound(envelope))
            | (409, RefreshTokenError::Conflict(envelope)) => envelope,
            (status, other) => panic!("{status}: wrong variant {other:?}"),
        };
        assert_example_error(&envelope, status, message);
    }
}

#[tokio::test]
async fn revoke_refresh_token_decodes_every_documented_status() {
    let server = MockServer::start().await;
    let client = client(&server);

    answer(&server, REVOKE, 200, examples::revoke_refresh_token::OK).await;
    let value = client
        .revoke_refresh_token(&revoke_request())
        .await
        .unwrap();
    assert_eq!(value.status(), 200);
    assert!(value.is_success);
    assert_eq!(value.status_code, 200);
    assert!(value.errors.is_empty());
    assert_eq!(value.timestamp, example_timestamp());
    let () = value.into_data();

    for (status, message) in ERROR_STATUSES {
        answer(&server, REVOKE, status, error_example(status)).await;
        let Error::Documented(value) = client
            .revoke_refresh_token(&revoke_request())
            .await
            .unwrap_err()
        else {
            panic!("{status}: not a documented error");
        };
        assert_eq!(value.status(), status);
        let envelope = match (status, value.into_inner()) {
            (400, RevokeRefreshTokenError::BadRequest(envelope))
            | (401, RevokeRefreshTokenError::Unauthorized(envelope))
            | (403, RevokeRefreshTokenError::Forbidden(envelope))
            | (404, RevokeRefreshTokenError::NotFound(envelope))
            | (409, RevokeRefreshTokenError::Conflict(envelope)) => envelope,
            (status, other) => panic!("{status}: wrong variant {other:?}"),
        };
        assert_example_error(&envelope, status, message);
    }
}

// ── What goes on the wire ────────────────────────────────────────────────────────────────

#[tokio::test]
async fn secured_operations_send_the_exact_bearer_header() {
    let server = MockServer::start().await;
    for token in [
        ACCESS_TOKEN.to_owned(),
        format!("Bearer {ACCESS_TOKEN}"),
        format!("bearer {ACCESS_TOKEN}"),
        format!("  Bearer {ACCESS_TOKEN}\n"),
    ] {
        let client = Client::new(server.uri()).with_bearer_token(token.as_str());

        answer(&server, LOGOUT, 200, examples::logout::OK).await;
        client.logout().await.unwrap();
        let request = single_request(&server).await;
        let values: Vec<_> = request.headers.get_all("authorization").iter().collect();
        assert_eq!(
            values,
            [format!("Bearer {ACCESS_TOKEN}").as_str()],
            "{token:?}"
        );

        answer(&server, REVOKE, 200, examples::revoke_refresh_token::OK).await;
        client
            .revoke_refresh_token(&revoke_request())
            .await
            .unwrap();
        let request = single_request(&server).await;
        let values: Vec<_> = request.headers.get_all("authorization").iter().collect();
        assert_eq!(
            values,
            [format!("Bearer {ACCESS_TOKEN}").as_str()],
            "{token:?}"
        );
    }
}

#[tokio::test]
async fn requests_have_the_documented_method_path_and_body() {
    let server = MockServer::start().await;
    let client = client(&server);

    answer(&server, REFRESH, 200, examples::refresh_token::OK).await;
    client.refresh_token(&refresh_request()).await.unwrap();
    let request = single_request(&server).await;
    assert_eq!(request.method, "POST");
    assert_eq!(request.url.path(), REFRESH);
    assert_eq!(request.url.query(), None);
    assert!(
        request.headers.get("authorization").is_none(),
        "refresh is not secured: {:?}",
        request.headers
    );
    assert_eq!(request.headers["content-type"], "application/json");
    assert_eq!(request.headers["accept"], "application/json");
    let body: serde_json::Value = request.body_json().unwrap();
    assert_eq!(
        body,
        serde_json::from_str::<serde_json::Value>(examples::refresh_token::REQUEST).unwrap()
    );

    answer(&server, REVOKE, 200, examples::revoke_refresh_token::OK).await;
    client
        .revoke_refresh_token(&revoke_request())
        .await
        .unwrap();
    let request = single_request(&server).await;
    assert_eq!(request.method, "POST");
    assert_eq!(request.url.path(), REVOKE);
    assert_eq!(request.headers["content-type"], "application/json");
    let body: serde_json::Value = request.body_json().unwrap();
    assert_eq!(
        body,
        serde_json::from_str::<serde_json::Value>(examples::revoke_refresh_token::REQUEST).unwrap()
    );

    answer(&server, LOGOUT, 200, examples::logout::OK).await;
    client.logout().await.unwrap();
    let request = single_request(&server).await;
    assert_eq!(request.method, "POST");
    assert_eq!(request.url.path(), LOGOUT);
    assert!(request.body.is_empty());
}

#[tokio::test]
async fn a_secured_operation_without_a_token_sends_no_authorization() {
    let server = MockServer::start().await;
    answer(&server, LOGOUT, 401, examples::logout::UNAUTHORIZED).await;
    let error = Client::new(server.uri()).logout().await.unwrap_err();
    assert!(matches!(
        error.documented(),
        Some(LogoutError::Unauthorized(_))
    ));
    let request = single_request(&server).await;
    assert!(request.headers.get("authorization").is_none());
}

#[tokio::test]
async fn base_url_trailing_slashes_are_tolerated() {
    let server = MockServer::start().await;
    let client = Client::new(format!("{}//", server.uri()));
    assert_eq!(client.base_url(), server.uri());
    answer(&server, REFRESH, 200, examples::refresh_token::OK).await;
    client.refresh_token(&refresh_request()).await.unwrap();
    assert_eq!(single_request(&server).await.url.path(), REFRESH);
}

#[test]
fn documented_servers() {
    assert_eq!(
        Client::for_server(Server::Production).base_url(),
        "https://api.example.com"
    );
    assert_eq!(
        Client::for_server(Server::Development).base_url(),
        "https://dev-api.example.com"
    );
    assert_eq!(Server::ALL, [Server::Production, Server::Development]);
    assert_eq!(Server::Development.description(), "Development");
}

// ── Failures that are not documented responses ───────────────────────────────────────────

#[tokio::test]
async fn undocumented_statuses_keep_the_raw_response() {
    let server = MockServer::start().await;
    let client = client(&server);
    for (status, body, content_type) in [
        (500, "upstream exploded".as_bytes(), "text/plain"),
        (
            418,
            examples::refresh_token::CONFLICT.as_bytes(),
            "application/json",
        ),
        (
            201,
            examples::refresh_token::OK.as_bytes(),
            "application/json",
        ),
        (302, b"".as_slice(), "text/html"),
    ] {
        server.reset().await;
        Mock::given(method("POST"))
            .and(path(REFRESH))
            .respond_with(
                ResponseTemplate::new(status)
                    .insert_header("x-request-id", "req-42")
                    .set_body_raw(body, content_type),
            )
            .mount(&server)
            .await;
        let error = client.refresh_token(&refresh_request()).await.unwrap_err();
        assert_eq!(error.status().unwrap().as_u16(), status);
        assert_eq!(error.raw().unwrap().body.as_ref(), body);
        assert!(error.to_string().contains(&status.to_string()), "{error}");
        let Error::Undocumented(raw) = error else {
            panic!("{status}: {error:?}");
        };
        assert_eq!(raw.status.as_u16(), status);
        assert_eq!(raw.headers["x-request-id"], "req-42");
        assert_eq!(raw.headers["content-type"], content_type);
        assert_eq!(raw.body.as_ref(), body);
    }
}

#[tokio::test]
async fn undecodable_bodies_of_documented_statuses_are_invalid_body() {
    let server = MockServer::start().await;
    let client = client(&server);
    let wrong_shape = r#"{"isSuccess":false,"statusCode":409,"data":null,"errors":"nope","timestamp":"2026-01-15T10:30:00.000Z"}"#;
    let bad_timestamp = r#"{"isSuccess":true,"statusCode":200,"data":{"sessionsEnded":3},"errors":[],"timestamp":"yesterday"}"#;
    let data_not_null = r#"{"isSuccess":false,"statusCode":404,"data":{},"errors":[],"timestamp":"2026-01-15T10:30:00.000Z"}"#;
    for (status, body) in [
        (200, "<html>garbage</html>"),
        (200, ""),
        (200, bad_timestamp),
        (200, r#"{"isSuccess":true}"#),
        (400, "not json"),
        (401, ""),
        (404, data_not_null),
        (409, wrong_shape),
    ] {
        answer(&server, LOGOUT, status, body).await;
        let error = client.logout().await.unwrap_err();
        assert!(error.to_string().contains("does not match"), "{error}");
        let Error::InvalidBody { raw, source } = error else {
            panic!("{status} {body:?}: {error:?}");
        };
        assert_eq!(raw.status.as_u16(), status);
        assert_eq!(raw.body.as_ref(), body.as_bytes());
        assert_eq!(raw.headers["content-type"], "application/json");
        assert!(!source.to_string().is_empty());
    }
}

#[tokio::test]
async fn connection_failures_are_transport_errors() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let client = Client::new(format!("http://{address}")).with_bearer_token(ACCESS_TOKEN);
    let error = client.logout().await.unwrap_err();
    assert!(error.status().is_none());
    assert!(error.raw().is_none());
    assert!(std::error::Error::source(&error).is_some());
    assert!(error.to_string().starts_with("transport error"), "{error}");
    let Error::Transport(source) = error else {
        panic!("{error:?}");
    };
    assert!(source.is_connect(), "{source:?}");

    let invalid = Client::new("not a url")
        .refresh_token(&refresh_request())
        .await;
    assert!(matches!(invalid, Err(Error::Transport(_))), "{invalid:?}");
}

// ── Decoding details ─────────────────────────────────────────────────────────────────────

#[tokio::test]
async fn undocumented_enum_values_and_other_offsets_decode() {
    let server = MockServer::start().await;
    let body = examples::refresh_token::OK
        .replace(r#""tokenType": "Bearer""#, r#""tokenType": "MAC""#)
        .replace(
            "2026-01-15T10:30:00.000Z",
            "2026-01-15T13:30:00.123456+03:00",
        );
    answer(&server, REFRESH, 200, &body).await;
    let pair = client(&server)
        .refresh_token(&refresh_request())
        .await
        .unwrap();
    assert_eq!(
        pair.timestamp,
        example_timestamp() + chrono::Duration::microseconds(123_456)
    );
    let pair = pair.into_data();
    assert_eq!(pair.token_type, TokenType::Unknown("MAC".to_owned()));
    assert_eq!(pair.token_type.as_str(), "MAC");
    // An undocumented value is never sent.
    assert!(serde_json::to_string(&pair).is_err());
}

#[tokio::test]
async fn errors_display_the_status_and_the_envelope_errors() {
    let server = MockServer::start().await;
    answer(
        &server,
        REVOKE,
        409,
        examples::revoke_refresh_token::CONFLICT,
    )
    .await;
    let error = client(&server)
        .revoke_refresh_token(&revoke_request())
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "error response 409 Conflict: Resource already exists or cannot be changed in its current state"
    );
    assert!(std::error::Error::source(&error).is_none());
    let documented = error.into_documented().unwrap();
    assert_eq!(documented.status(), 409);
    assert_eq!(
        documented.errors(),
        ["Resource already exists or cannot be changed in its current state"]
    );

    // `?` into the usual boxed error.
    async fn call(client: &Client) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        client.logout().await?;
        Ok(())
    }
    answer(&server, LOGOUT, 403, examples::logout::FORBIDDEN).await;
    let boxed = call(&client(&server)).await.unwrap_err();
    assert_eq!(
        boxed.to_string(),
        "error response 403 Forbidden: Insufficient permissions"
    );
}

#[test]
fn client_debug_does_not_show_the_token() {
    let client = Client::new("http://127.0.0.1:1").with_bearer_token(ACCESS_TOKEN);
    let debug = format!("{client:?}");
    assert!(!debug.contains(ACCESS_TOKEN), "{debug}");
    assert!(!debug.contains("eyJ"), "{debug}");
    assert!(debug.contains("<redacted>"), "{debug}");
    assert!(debug.contains("127.0.0.1:1"), "{debug}");
}

#[test]
fn errors_are_send_sync_static_std_errors() {
    fn assert_error<E: std::error::Error + Send + Sync + 'static>() {}
    assert_error::<Error<LogoutError>>();
    assert_error::<Error<RefreshTokenError>>();
    assert_error::<Error<RevokeRefreshTokenError>>();
    // Small enough to return by value without clippy::result_large_err.
    assert!(std::mem::size_of::<Error<RefreshTokenError>>() <= 128);
}
