//! Serving an app on 127.0.0.1 port 0 and verifying it.

use std::path::PathBuf;
use std::time::Duration;

use kontrat_mock::{Compiled, Config, Mock};
use kontrat_verify::{Options, PlanOptions, Report, Token};

pub const JWT: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl";

pub fn auth_contract() -> kontrat_generator::model::Contract {
    let spec = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../spec/auth.yaml");
    kontrat_generator::load_contract(&spec).unwrap().0
}

pub fn mock_app() -> axum::Router {
    Mock::new(auth_contract(), Config::default()).router()
}

/// Serves `app` until the test ends; its base URL.
pub async fn serve(app: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    url
}

pub fn options(target: &str) -> Options {
    Options {
        target: target.to_owned(),
        token: Some(Token::new(JWT)),
        plan: PlanOptions {
            seed: 0,
            generated: 2,
        },
        only: None,
        request_timeout: Duration::from_secs(5),
        overall_timeout: Duration::from_secs(60),
    }
}

pub async fn verify(app: axum::Router) -> Report {
    let url = serve(app).await;
    let compiled = Compiled::new(auth_contract(), false);
    kontrat_verify::verify(&compiled, &options(&url)).await
}
