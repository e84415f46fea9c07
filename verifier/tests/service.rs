//! The example auth service (examples/auth-service) conforms to the contract.

use kontrat_mock::Compiled;
use kontrat_verify::Token;

use crate::fixtures::*;

#[tokio::test]
async fn the_example_auth_service_conforms() {
    let service = auth_service::AuthService::new(auth_service::Config::random());
    let refresh = service.seed_session("demo");
    let url = serve(auth_service::app(service)).await;
    let pair: serde_json::Value = reqwest::Client::new()
        .post(format!("{url}/api/v1/auth/refresh"))
        .json(&serde_json::json!({ "refreshToken": refresh }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let access = pair["data"]["accessToken"].as_str().unwrap();
    let mut options = options(&url);
    options.token = Some(Token::new(access));
    let report = kontrat_verify::verify(&Compiled::new(auth_contract(), false), &options).await;
    assert!(report.conforms(), "{report}");
    let observed = |op: &str, status: &str| {
        report
            .coverage
            .iter()
            .any(|c| c.operation == op && c.status == status && c.observed > 0)
    };
    assert!(observed("logout", "200"), "{report}");
    assert!(
        observed("revokeRefreshToken", "404"),
        "an unknown refresh token: {report}"
    );
    assert!(observed("refreshToken", "401"), "{report}");
    assert!(
        !report.to_string().contains(access),
        "the token is never printed"
    );
}
