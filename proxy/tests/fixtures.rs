//! Servers on 127.0.0.1 port 0: upstreams, and the proxy in front of them.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::middleware::{self, Next};
use axum::response::Response;
use kontrat_mock::{Config as MockConfig, Mock};
use kontrat_proxy::{Config, Proxy};

pub const JWT: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl";
pub const REFRESH: &str = "3f8c1e0a9b7d4c2e8f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c";

pub fn auth_contract() -> kontrat_generator::model::Contract {
    let spec = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../spec/auth.yaml");
    kontrat_generator::load_contract(&spec).unwrap().0
}

/// The mock, as an upstream that honours the contract.
pub fn mock_app() -> axum::Router {
    Mock::new(auth_contract(), MockConfig::default()).router()
}

/// Serves `app` until the test ends; its base URL.
pub async fn serve(app: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    url
}

/// A proxy to `target` served on a free port: the proxy and its base URL.
pub async fn proxy_to(target: &str, edit: impl FnOnce(&mut Config)) -> (Proxy, String) {
    let mut config = Config::new(target);
    edit(&mut config);
    let proxy = Proxy::new(auth_contract(), config).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let service = proxy.service();
    tokio::spawn(kontrat_mock::serve(
        listener,
        service,
        std::time::Duration::from_secs(10),
        std::time::Duration::from_secs(1),
        std::future::pending(),
    ));
    (proxy, url)
}

/// A URL nothing listens on (bound, then dropped).
pub fn dead_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    format!("http://{}", listener.local_addr().unwrap())
}

/// One message as it crossed a wire: status (0 for requests), headers, body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
}

/// Every request an upstream received and every answer it sent, in order.
pub type Tape = Arc<Mutex<Vec<(Seen, Seen)>>>;

/// `app`, recording what it received and sent.
pub fn recorded(app: axum::Router) -> (axum::Router, Tape) {
    let tape: Tape = Arc::default();
    let t = tape.clone();
    let app = app.layer(middleware::from_fn(move |request: Request, next: Next| {
        let tape = t.clone();
        async move {
            let (parts, body) = request.into_parts();
            let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap();
            let received = Seen {
                status: 0,
                headers: headers(&parts.headers),
                body: bytes.clone(),
            };
            let response = next
                .run(Request::from_parts(parts, Body::from(bytes)))
                .await;
            let (parts, body) = response.into_parts();
            let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap();
            let sent = Seen {
                status: parts.status.as_u16(),
                headers: headers(&parts.headers),
                body: bytes.clone(),
            };
            tape.lock().unwrap().push((received, sent));
            Response::from_parts(parts, Body::from(bytes))
        }
    }));
    (app, tape)
}

pub fn headers(map: &http::HeaderMap) -> Vec<(String, String)> {
    map.iter()
        .map(|(k, v)| {
            (
                k.as_str().to_owned(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect()
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// `POST {url}/api/v1/auth/refresh` with `body` as JSON text.
pub async fn refresh(url: &str, body: &str) -> reqwest::Response {
    client()
        .post(format!("{url}/api/v1/auth/refresh"))
        .header("content-type", "application/json")
        .body(body.to_owned())
        .send()
        .await
        .unwrap()
}

pub fn valid_refresh() -> String {
    format!(r#"{{"refreshToken":"{REFRESH}"}}"#)
}
