//! The generated client against the service over a real socket (127.0.0.1, port 0); the
//! raw bytes of every answer are checked against the contract as well.

use auth_api::{
    Client, Error, LogoutError, RawResponse, RefreshTokenError, RefreshTokenRequest,
    RevokeRefreshTokenError, RevokeRefreshTokenRequest, TokenType,
};
use auth_service::{AuthService, Config, app};
use serde_json::Value;

use crate::support::{SECRET, assert_honours_contract};

fn check(operation: &str, raw: &RawResponse) {
    let body: Value = serde_json::from_slice(&raw.body).unwrap();
    assert_honours_contract(operation, raw.status.as_u16(), &raw.headers, &body);
}

fn refresh_request(token: &str) -> RefreshTokenRequest {
    RefreshTokenRequest {
        refresh_token: token.to_owned(),
    }
}

fn revoke_request(token: &str) -> RevokeRefreshTokenRequest {
    RevokeRefreshTokenRequest {
        refresh_token: token.to_owned(),
    }
}

/// The documented error of a failed call, its raw answer checked against the contract.
fn documented<E: std::fmt::Display>(operation: &str, result: Result<impl Sized, Error<E>>) -> E {
    match result {
        Err(Error::Documented(value)) => {
            check(operation, value.raw());
            value.into_inner()
        }
        Err(other) => panic!("{operation}: expected a documented error, got {other}"),
        Ok(_) => panic!("{operation}: expected a documented error, got a success"),
    }
}

#[tokio::test]
async fn the_generated_client_walks_the_flow_over_a_socket() {
    let service = AuthService::new(Config::with_secret(SECRET.to_vec()));
    let seed = service.seed_session("demo");
    let spare = service.seed_session("demo");
    let third = service.seed_session("demo");
    let bob = service.seed_session("bob");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let server = tokio::spawn(async move {
        axum::serve(listener, app(service)).await.unwrap();
    });

    let client = Client::new(&url);
    let response = client.refresh_token(&refresh_request(&seed)).await.unwrap();
    check("refreshToken", response.raw());
    let pair = response.into_data();
    assert_eq!(pair.expires_in, 900);
    assert_eq!(pair.token_type, TokenType::Bearer);

    // The seed token is spent.
    let error = documented(
        "refreshToken",
        client.refresh_token(&refresh_request(&seed)).await,
    );
    assert!(matches!(error, RefreshTokenError::Unauthorized(_)));

    // That replay ended the session; the spare session carries on.
    let pair = client
        .refresh_token(&refresh_request(&spare))
        .await
        .unwrap()
        .into_data();
    let authed = client.clone().with_bearer_token(pair.access_token.clone());

    let error = documented(
        "revokeRefreshToken",
        authed.revoke_refresh_token(&revoke_request(&bob)).await,
    );
    assert!(matches!(error, RevokeRefreshTokenError::Forbidden(_)));
    let error = documented(
        "revokeRefreshToken",
        authed
            .revoke_refresh_token(&revoke_request("ffffffffffffffffffffffff"))
            .await,
    );
    assert!(matches!(error, RevokeRefreshTokenError::NotFound(_)));
    let error = documented(
        "revokeRefreshToken",
        authed.revoke_refresh_token(&revoke_request(&spare)).await,
    );
    assert!(matches!(error, RevokeRefreshTokenError::Conflict(_)));
    let response = authed
        .revoke_refresh_token(&revoke_request(&third))
        .await
        .unwrap();
    check("revokeRefreshToken", response.raw());
    let error = documented(
        "revokeRefreshToken",
        authed.revoke_refresh_token(&revoke_request(&third)).await,
    );
    assert!(matches!(error, RevokeRefreshTokenError::Conflict(_)));

    let response = authed.logout().await.unwrap();
    check("logout", response.raw());
    assert_eq!(response.data().sessions_ended, 1);

    let error = documented("logout", authed.logout().await);
    assert!(matches!(error, LogoutError::Unauthorized(_)));
    assert_eq!(
        error.errors()[0],
        "Authentication required",
        "the documented message first"
    );
    let error = documented(
        "refreshToken",
        client
            .refresh_token(&refresh_request(&pair.refresh_token))
            .await,
    );
    assert!(matches!(error, RefreshTokenError::Unauthorized(_)));

    server.abort();
}
