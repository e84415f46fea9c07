//! Shared helpers: contracts, requests, and checking answers against the contract.

use std::path::PathBuf;

use axum::body::Body;
use http::{Request, StatusCode};
use http_body_util::BodyExt;
use kontrat_generator::model::Contract;
use kontrat_mock::{Config, Mock};
use serde_json::Value;
use tower::ServiceExt;

pub fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

pub fn auth_contract() -> Contract {
    kontrat_generator::load_contract(&workspace().join("spec/auth.yaml"))
        .expect("spec/auth.yaml loads")
        .0
}

pub fn auth_mock(config: Config) -> Mock {
    Mock::new(auth_contract(), config)
}

/// A response as the tests read it.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: http::HeaderMap,
    pub bytes: bytes::Bytes,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.bytes)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.bytes)))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn errors(&self) -> Vec<String> {
        self.json()["errors"]
            .as_array()
            .expect("errors array")
            .iter()
            .map(|e| e.as_str().unwrap().to_owned())
            .collect()
    }
}

pub async fn send(mock: &Mock, request: Request<Body>) -> Reply {
    // The service `kontrat mock` serves (Mock::router wraps the same one).
    let response = mock.service().oneshot(request).await.expect("infallible");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    Reply {
        status,
        headers,
        bytes,
    }
}

pub fn post(path: &str) -> http::request::Builder {
    Request::builder().method("POST").uri(path)
}

/// A bodiless POST with a `Prefer` header.
pub fn post_preferring(path: &str, prefer: &str) -> Request<Body> {
    post(path)
        .header("prefer", prefer)
        .body(Body::empty())
        .unwrap()
}

pub fn json_body(value: &Value) -> Body {
    Body::from(serde_json::to_vec(value).unwrap())
}

/// Asserts that `reply` is what operation `op` documents for its status: a documented
/// status and content type, and a JSON body valid against that status's schema (formats
/// asserted).
pub fn assert_documented(contract: &Contract, op: &str, reply: &Reply) {
    if let Err(e) = documented(contract, op, reply) {
        panic!("{e}");
    }
}

/// What [`assert_documented`] asserts, as a result (for tests that collect failures).
pub fn documented(contract: &Contract, op: &str, reply: &Reply) -> Result<(), String> {
    let operation = contract.operation(op).ok_or(format!("no operation {op}"))?;
    let status = reply.status.as_u16();
    let response = operation
        .response_for(status)
        .ok_or_else(|| format!("{op}: {status} is not documented"))?;
    if response.content.is_empty() {
        return if reply.bytes.is_empty() {
            Ok(())
        } else {
            Err(format!("{op} {status}: a body where none is documented"))
        };
    }
    let content_type = reply.header("content-type").unwrap_or_default();
    let essence = |m: &str| {
        m.split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase()
    };
    let sent = essence(content_type);
    let Some(media) = response.content.keys().find(|m| essence(m) == sent) else {
        return Err(format!(
            "{op} {status}: content type `{content_type}` is not documented"
        ));
    };
    if !kontrat_generator::model::is_json_media_type(media) {
        return Ok(());
    }
    let Some(schema) = contract.response_schema(op, status, media) else {
        return Ok(());
    };
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap();
    let body = reply.json();
    let errors: Vec<String> = validator
        .iter_errors(&body)
        .take(3)
        .map(|e| e.to_string())
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        let shown: String = body.to_string().chars().take(300).collect();
        Err(format!(
            "{op} {status}: body breaks its schema: {errors:?}\n    {shown}"
        ))
    }
}

/// Asserts the envelope invariants of an auth answer.
pub fn assert_live_envelope(reply: &Reply) {
    let body = reply.json();
    let status = reply.status.as_u16();
    assert_eq!(body["statusCode"], status, "{body}");
    assert_eq!(body["isSuccess"], (200..300).contains(&status), "{body}");
    let at = body["timestamp"].as_str().unwrap();
    let at = chrono::DateTime::parse_from_rfc3339(at).unwrap();
    let age = chrono::Utc::now().signed_duration_since(at);
    assert!(age.num_seconds().abs() < 60, "timestamp {at} is not now");
    if status >= 400 {
        assert!(body["data"].is_null(), "{body}");
        assert!(!body["errors"].as_array().unwrap().is_empty(), "{body}");
    }
}

/// A JWT-shaped bearer token (`bearerFormat: JWT` makes the mock check the shape).
pub const JWT: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl";
