//! The README's tour, verbatim: a client team tests its code against the contract with the
//! generated wiremock helpers and the generated client. If this breaks, fix the README too.

use auth_api::{Client, Error, LogoutMock, RefreshTokenMock, RefreshTokenRequest};

#[tokio::test]
async fn readme_tour() -> Result<(), Box<dyn std::error::Error>> {
    // README: start
    let server = wiremock::MockServer::start().await;
    RefreshTokenMock::ok().expect(1).mount(&server).await;
    LogoutMock::unauthorized().mount(&server).await;

    let client = Client::new(server.uri());
    let request = RefreshTokenRequest {
        refresh_token: "3f8c1e0a9b7d4c2e8f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c".into(),
    };
    let pair = client.refresh_token(&request).await?.into_data();
    assert_eq!(pair.expires_in, 900);

    let client = client.with_bearer_token(pair.access_token);
    match client.logout().await {
        Err(Error::Documented(response)) => {
            assert_eq!(response.status(), 401);
            assert_eq!(response.errors(), ["Authentication required"]);
        }
        other => panic!("expected the documented 401, got {other:?}"),
    }
    // README: end
    Ok(())
}

#[test]
fn the_readme_shows_this_tour_verbatim() {
    let readme = include_str!("../../README.md");
    let source = include_str!("readme.rs");
    let start = source.find("// README: start").unwrap();
    let end = source.find("// README: end").unwrap();
    for line in source[start..end]
        .lines()
        .skip(1)
        .map(str::trim)
        .filter(|l| !l.is_empty())
    {
        assert!(
            readme.contains(line),
            "README.md lacks the line `{line}` of the tour"
        );
    }
}
