//! Driving the service in-process and checking every answer against the contract.

use std::collections::BTreeSet;
use std::sync::{LazyLock, Mutex};

use auth_service::{AuthService, Config, app};
use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, header};
use http_body_util::BodyExt;
use kontrat_generator::model::Contract;
use serde_json::{Value, json};
use tower::ServiceExt;

/// The JWT key of every test service.
pub const SECRET: &[u8] = b"auth-service tests: 32+ bytes of HS256 key material";

const JSON: &str = "application/json";

static CONTRACT: LazyLock<Contract> = LazyLock::new(|| {
    let path = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../spec/auth.yaml"));
    let (contract, _warnings) = kontrat_generator::load_contract(path).unwrap();
    contract
});

/// The operations of the contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Op {
    Logout,
    Refresh,
    Revoke,
}

impl Op {
    pub fn id(self) -> &'static str {
        match self {
            Op::Logout => "logout",
            Op::Refresh => "refreshToken",
            Op::Revoke => "revokeRefreshToken",
        }
    }

    pub fn path(self) -> &'static str {
        match self {
            Op::Logout => "/api/v1/auth/logout",
            Op::Refresh => "/api/v1/auth/refresh",
            Op::Revoke => "/api/v1/auth/revoke",
        }
    }
}

/// The first message of the spec's example for an error status of `operation`.
pub fn documented_message(operation: &str, status: u16) -> String {
    let op = CONTRACT.operation(operation).unwrap();
    let example = &op
        .response_for(status)
        .and_then(|response| response.content.get(JSON))
        .and_then(|media| media.default_example())
        .unwrap_or_else(|| panic!("{operation} {status}: no documented example"))
        .value;
    example["errors"][0].as_str().unwrap().to_owned()
}

/// Asserts that an answer of `operation` honours the contract: the status is documented,
/// the body is JSON and validates against that status's schema (formats included), and
/// the envelope invariants hold (`isSuccess` exactly on 2xx, `statusCode` = the status,
/// on errors `data: null` and `errors` starting with the documented message, on success
/// no errors). A 401 also carries `WWW-Authenticate`.
pub fn assert_honours_contract(operation: &str, status: u16, headers: &HeaderMap, body: &Value) {
    let what = format!("{operation} {status}: {body}");
    let schema = CONTRACT
        .response_schema(operation, status, JSON)
        .unwrap_or_else(|| panic!("undocumented answer {what}"));
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap();
    let violations: Vec<String> = validator
        .iter_errors(body)
        .map(|error| format!("{}: {error}", error.instance_path()))
        .collect();
    assert!(violations.is_empty(), "{what}: {violations:#?}");
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    assert!(
        content_type.starts_with(JSON),
        "{what}: content type {content_type:?}"
    );
    let success = (200..300).contains(&status);
    assert_eq!(body["isSuccess"], success, "{what}");
    assert_eq!(body["statusCode"], status, "{what}");
    let errors = body["errors"].as_array().unwrap();
    if success {
        assert!(errors.is_empty(), "{what}");
    } else {
        assert!(body["data"].is_null(), "{what}");
        assert!(
            errors.len() >= 2,
            "{what}: a specific message should follow"
        );
        assert_eq!(
            errors[0].as_str().unwrap(),
            documented_message(operation, status),
            "{what}"
        );
    }
    if status == 401 {
        assert!(headers.contains_key(header::WWW_AUTHENTICATE), "{what}");
    }
}

/// An answer of the service.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Reply {
    /// The `errors` of the envelope.
    pub fn errors(&self) -> Vec<&str> {
        self.body["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|error| error.as_str().unwrap())
            .collect()
    }

    /// The specific message (the one after the documented one).
    pub fn reason(&self) -> &str {
        self.errors()[1]
    }

    /// `data.accessToken` and `data.refreshToken` of a 200 of `refreshToken`.
    pub fn pair(&self) -> (String, String) {
        assert_eq!(self.status, 200, "{}", self.body);
        (
            self.body["data"]["accessToken"]
                .as_str()
                .unwrap()
                .to_owned(),
            self.body["data"]["refreshToken"]
                .as_str()
                .unwrap()
                .to_owned(),
        )
    }
}

/// A service with [`SECRET`], its app, and the (operation, status) pairs answered so far.
pub struct Harness {
    pub service: AuthService,
    app: Router,
    seen: Mutex<BTreeSet<(Op, u16)>>,
}

impl Harness {
    pub fn new() -> Self {
        Harness::with_config(Config::with_secret(SECRET.to_vec()))
    }

    pub fn with_config(config: Config) -> Self {
        let service = AuthService::new(config);
        Harness {
            app: app(service.clone()),
            service,
            seen: Mutex::new(BTreeSet::new()),
        }
    }

    /// The (operation, status) pairs answered so far.
    pub fn seen(&self) -> BTreeSet<(Op, u16)> {
        self.seen.lock().unwrap().clone()
    }

    /// Sends a request and checks the answer against the contract.
    pub async fn send(&self, op: Op, request: Request<Body>) -> Reply {
        let response = self.app.clone().oneshot(request).await.unwrap();
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let body: Value = serde_json::from_slice(&bytes).unwrap_or_else(|error| {
            panic!(
                "{} {status}: not JSON ({error}): {}",
                op.id(),
                String::from_utf8_lossy(&bytes)
            )
        });
        assert_honours_contract(op.id(), status, &headers, &body);
        self.seen.lock().unwrap().insert((op, status));
        Reply {
            status,
            headers,
            body,
        }
    }

    /// `POST` to `op` with an optional bearer token and JSON body.
    pub async fn call(&self, op: Op, bearer: Option<&str>, body: Option<Value>) -> Reply {
        let mut builder = Request::builder().method(Method::POST).uri(op.path());
        if let Some(token) = bearer {
            builder = builder.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        let body = match body {
            Some(body) => {
                builder = builder.header(header::CONTENT_TYPE, JSON);
                Body::from(body.to_string())
            }
            None => Body::empty(),
        };
        self.send(op, builder.body(body).unwrap()).await
    }

    pub async fn refresh(&self, refresh_token: &str) -> Reply {
        self.call(
            Op::Refresh,
            None,
            Some(json!({ "refreshToken": refresh_token })),
        )
        .await
    }

    pub async fn logout(&self, access_token: &str) -> Reply {
        self.call(Op::Logout, Some(access_token), None).await
    }

    pub async fn revoke(&self, access_token: &str, refresh_token: &str) -> Reply {
        self.call(
            Op::Revoke,
            Some(access_token),
            Some(json!({ "refreshToken": refresh_token })),
        )
        .await
    }

    /// A new session for `user`: its access token and refresh token (after one refresh).
    pub async fn login(&self, user: &str) -> (String, String) {
        let seed = self.service.seed_session(user);
        self.refresh(&seed).await.pair()
    }
}

/// The claims of an access token signed with [`SECRET`] (expiry not checked).
pub fn claims(access_token: &str) -> Value {
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::HS256);
    validation.validate_exp = false;
    validation.required_spec_claims.clear();
    jsonwebtoken::decode::<Value>(
        access_token,
        &jsonwebtoken::DecodingKey::from_secret(SECRET),
        &validation,
    )
    .unwrap()
    .claims
}

/// `claims` signed with `secret` (HS256).
pub fn sign(claims: &Value, secret: &[u8]) -> String {
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        claims,
        &jsonwebtoken::EncodingKey::from_secret(secret),
    )
    .unwrap()
}

/// Seconds since the Unix epoch.
pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}
