//! The typed wiremock builders, used as a client team would: mount, call with the
//! generated client, assert.

use auth_api::examples;
use auth_api::{
    Client, Error, LogoutError, LogoutMock, RefreshTokenError, RefreshTokenMock,
    RefreshTokenRequest, RefreshTokenResponse, RevokeRefreshTokenError, RevokeRefreshTokenMock,
    RevokeRefreshTokenRequest, TokenPair, TokenType,
};
use wiremock::MockServer;

use crate::fixtures::{
    ACCESS_TOKEN, ERROR_STATUSES, NEW_REFRESH_TOKEN, REFRESH_TOKEN, assert_example_error,
    example_timestamp,
};

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

#[tokio::test]
async fn refresh_ok_serves_the_documented_example() {
    let server = MockServer::start().await;
    RefreshTokenMock::ok().expect(1).mount(&server).await;

    let value = Client::new(server.uri())
        .refresh_token(&refresh_request())
        .await
        .unwrap();
    assert_eq!(
        value.raw_body().as_ref(),
        examples::refresh_token::OK.as_bytes()
    );
    assert_eq!(value.headers()["content-type"], "application/json");
    assert_eq!(value.timestamp, example_timestamp());
    assert_eq!(
        value.into_data(),
        TokenPair {
            access_token: ACCESS_TOKEN.to_owned(),
            refresh_token: NEW_REFRESH_TOKEN.to_owned(),
            expires_in: 900,
            token_type: TokenType::Bearer,
        }
    );
    server.verify().await;
}

#[tokio::test]
async fn every_constructor_serves_its_example_verbatim() {
    let server = MockServer::start().await;
    let client = Client::new(server.uri()).with_bearer_token(ACCESS_TOKEN);

    // Success statuses.
    LogoutMock::ok().expect(1).mount(&server).await;
    RevokeRefreshTokenMock::ok().expect(1).mount(&server).await;
    let logout = client.logout().await.unwrap();
    assert_eq!(logout.raw_body().as_ref(), examples::logout::OK.as_bytes());
    assert_eq!(logout.data().sessions_ended, 3);
    let revoke = client
        .revoke_refresh_token(&revoke_request())
        .await
        .unwrap();
    assert_eq!(
        revoke.raw_body().as_ref(),
        examples::revoke_refresh_token::OK.as_bytes()
    );
    server.verify().await;

    // Error statuses, each operation.
    for (status, message) in ERROR_STATUSES {
        server.reset().await;
        let (logout_mock, logout_example) = match status {
            400 => (LogoutMock::bad_request(), examples::logout::BAD_REQUEST),
            401 => (LogoutMock::unauthorized(), examples::logout::UNAUTHORIZED),
            403 => (LogoutMock::forbidden(), examples::logout::FORBIDDEN),
            404 => (LogoutMock::not_found(), examples::logout::NOT_FOUND),
            _ => (LogoutMock::conflict(), examples::logout::CONFLICT),
        };
        let (refresh_mock, refresh_example) = match status {
            400 => (
                RefreshTokenMock::bad_request(),
                examples::refresh_token::BAD_REQUEST,
            ),
            401 => (
                RefreshTokenMock::unauthorized(),
                examples::refresh_token::UNAUTHORIZED,
            ),
            403 => (
                RefreshTokenMock::forbidden(),
                examples::refresh_token::FORBIDDEN,
            ),
            404 => (
                RefreshTokenMock::not_found(),
                examples::refresh_token::NOT_FOUND,
            ),
            _ => (
                RefreshTokenMock::conflict(),
                examples::refresh_token::CONFLICT,
            ),
        };
        let (revoke_mock, revoke_example) = match status {
            400 => (
                RevokeRefreshTokenMock::bad_request(),
                examples::revoke_refresh_token::BAD_REQUEST,
            ),
            401 => (
                RevokeRefreshTokenMock::unauthorized(),
                examples::revoke_refresh_token::UNAUTHORIZED,
            ),
            403 => (
                RevokeRefreshTokenMock::forbidden(),
                examples::revoke_refresh_token::FORBIDDEN,
            ),
            404 => (
                RevokeRefreshTokenMock::not_found(),
                examples::revoke_refresh_token::NOT_FOUND,
            ),
            _ => (
                RevokeRefreshTokenMock::conflict(),
                examples::revoke_refresh_token::CONFLICT,
            ),
        };
        logout_mock.expect(1).mount(&server).await;
        refresh_mock.expect(1).mount(&server).await;
        revoke_mock.expect(1).mount(&server).await;

        let error = client.logout().await.unwrap_err();
        assert_eq!(
            error.raw().unwrap().body.as_ref(),
            logout_example.as_bytes()
        );
        let envelope = match (status, error.into_documented().unwrap()) {
            (400, LogoutError::BadRequest(envelope))
            | (401, LogoutError::Unauthorized(envelope))
            | (403, LogoutError::Forbidden(envelope))
            | (404, LogoutError::NotFound(envelope))
            | (409, LogoutError::Conflict(envelope)) => envelope,
            (status, other) => panic!("{status}: {other:?}"),
        };
        assert_example_error(&envelope, status, message);

        let error = client.refresh_token(&refresh_request()).await.unwrap_err();
        assert_eq!(
            error.raw().unwrap().body.as_ref(),
            refresh_example.as_bytes()
        );
        let envelope = match (status, error.into_documented().unwrap()) {
            (400, RefreshTokenError::BadRequest(envelope))
            | (401, RefreshTokenError::Unauthorized(envelope))
            | (403, RefreshTokenError::Forbidden(envelope))
            | (404, RefreshTokenError::NotFound(envelope))
            | (409, RefreshTokenError::Conflict(envelope)) => envelope,
            (status, other) => panic!("{status}: {other:?}"),
        };
        assert_example_error(&envelope, status, message);

        let error = client
            .revoke_refresh_token(&revoke_request())
            .await
            .unwrap_err();
        assert_eq!(
            error.raw().unwrap().body.as_ref(),
            revoke_example.as_bytes()
        );
        let envelope = match (status, error.into_documented().unwrap()) {
            (400, RevokeRefreshTokenError::BadRequest(envelope))
            | (401, RevokeRefreshTokenError::Unauthorized(envelope))
            | (403, RevokeRefreshTokenError::Forbidden(envelope))
            | (404, RevokeRefreshTokenError::NotFound(envelope))
            | (409, RevokeRefreshTokenError::Conflict(envelope)) => envelope,
            (status, other) => panic!("{status}: {other:?}"),
        };
        assert_example_error(&envelope, status, message);
        server.verify().await;
    }
}

#[tokio::test]
async fn with_bearer_token_only_matches_that_token() {
    let server = MockServer::start().await;
    LogoutMock::ok()
        .with_bearer_token("Bearer right-token")
        .expect(1)
        .mount(&server)
        .await;

    // Another token does not match: wiremock answers its own empty 404, which is a
    // documented status with an undecodable body.
    let error = Client::new(server.uri())
        .with_bearer_token("wrong-token")
        .logout()
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::InvalidBody { raw, .. } if raw.status == 404 && raw.body.is_empty()),
        "{error:?}"
    );
    // No token at all does not match either.
    let error = Client::new(server.uri()).logout().await.unwrap_err();
    assert_eq!(error.status().unwrap(), 404);

    let ended = Client::new(server.uri())
        .with_bearer_token("right-token")
        .logout()
        .await
        .unwrap();
    assert_eq!(ended.data().sessions_ended, 3);
    server.verify().await;
}

#[tokio::test]
async fn with_body_only_matches_that_body() {
    let server = MockServer::start().await;
    let client = Client::new(server.uri()).with_bearer_token(ACCESS_TOKEN);
    RevokeRefreshTokenMock::ok()
        .with_bearer_token(ACCESS_TOKEN)
        .with_body(&revoke_request())
        .expect(1)
        .mount(&server)
        .await;
    RevokeRefreshTokenMock::not_found()
        .with_bearer_token(ACCESS_TOKEN)
        .expect(1)
        .mount(&server)
        .await;

    client
        .revoke_refresh_token(&revoke_request())
        .await
        .unwrap();
    let other = RevokeRefreshTokenRequest {
        refresh_token: REFRESH_TOKEN.to_owned(),
    };
    let error = client.revoke_refresh_token(&other).await.unwrap_err();
    assert!(
        matches!(
            error.documented(),
            Some(RevokeRefreshTokenError::NotFound(_))
        ),
        "{error:?}"
    );
    server.verify().await;
}

#[tokio::test]
async fn respond_with_serves_a_typed_response() {
    let server = MockServer::start().await;
    RefreshTokenMock::respond_with(RefreshTokenResponse::conflict(vec![
        "Resource already exists or cannot be changed in its current state".to_owned(),
        "refresh token already rotated".to_owned(),
    ]))
    .expect(1)
    .mount(&server)
    .await;
    let error = Client::new(server.uri())
        .refresh_token(&refresh_request())
        .await
        .unwrap_err();
    let Some(RefreshTokenError::Conflict(envelope)) = error.documented() else {
        panic!("{error:?}");
    };
    assert!(!envelope.is_success);
    assert_eq!(envelope.status_code, 409);
    assert_eq!(envelope.errors[1], "refresh token already rotated");
    server.verify().await;
}

#[tokio::test]
async fn respond_with_an_undocumented_value_serves_a_500() {
    let server = MockServer::start().await;
    RefreshTokenMock::respond_with(RefreshTokenResponse::ok(TokenPair {
        access_token: ACCESS_TOKEN.to_owned(),
        refresh_token: NEW_REFRESH_TOKEN.to_owned(),
        expires_in: 900,
        token_type: TokenType::Unknown("MAC".to_owned()),
    }))
    .mount(&server)
    .await;
    let error = Client::new(server.uri())
        .refresh_token(&refresh_request())
        .await
        .unwrap_err();
    let Error::Undocumented(raw) = error else {
        panic!("{error:?}");
    };
    assert_eq!(raw.status, 500);
    let body: serde_json::Value = serde_json::from_slice(&raw.body).unwrap();
    assert_eq!(body["errors"][0], "Internal server error");
    assert!(
        body["errors"][1]
            .as_str()
            .unwrap()
            .contains("not a documented value"),
        "{body}"
    );
}

#[tokio::test]
async fn mocks_match_method_and_exact_path() {
    let server = MockServer::start().await;
    RefreshTokenMock::ok().expect(0).mount(&server).await;
    let http = reqwest::Client::new();
    for (method, path) in [
        (reqwest::Method::GET, "/api/v1/auth/refresh"),
        (reqwest::Method::POST, "/api/v1/auth/refresh/"),
        (reqwest::Method::POST, "/api/v1/auth/refreshx"),
        (reqwest::Method::POST, "/api/v1/auth/revoke"),
    ] {
        let response = http
            .request(method, format!("{}{path}", server.uri()))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 404, "{path}");
    }
    server.verify().await;
}

#[tokio::test]
async fn into_mock_gives_a_plain_wiremock_mock() {
    let server = MockServer::start().await;
    let mock = LogoutMock::forbidden()
        .into_mock()
        .named("forbidden logout");
    server.register(mock).await;
    let error = Client::new(server.uri())
        .with_bearer_token(ACCESS_TOKEN)
        .logout()
        .await
        .unwrap_err();
    assert!(matches!(
        error.documented(),
        Some(LogoutError::Forbidden(_))
    ));
}
