//! The auth contract served in-process: every operation × documented status, every kind
//! of bad request, Prefer, CORS, undocumented paths and methods.

use std::time::Duration;

use axum::body::Body;
use http::{Request, StatusCode};
use kontrat_generator::model::ResponseStatus;
use kontrat_mock::{Config, CorsPolicy};
use serde_json::{Value, json};

use crate::fixtures::*;

const LOGOUT: &str = "/api/v1/auth/logout";
const REFRESH: &str = "/api/v1/auth/refresh";
const REVOKE: &str = "/api/v1/auth/revoke";
const TOKEN: &str = "3f8c1e0a9b7d4c2e8f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c";

fn valid_request(op: &str) -> Request<Body> {
    match op {
        "logout" => post(LOGOUT)
            .header("authorization", format!("Bearer {JWT}"))
            .body(Body::empty())
            .unwrap(),
        "refreshToken" => post(REFRESH)
            .header("content-type", "application/json")
            .body(json_body(&json!({ "refreshToken": TOKEN })))
            .unwrap(),
        "revokeRefreshToken" => post(REVOKE)
            .header("authorization", format!("Bearer {JWT}"))
            .header("content-type", "application/json")
            .body(json_body(&json!({ "refreshToken": TOKEN })))
            .unwrap(),
        other => panic!("no such operation {other}"),
    }
}

#[tokio::test]
async fn every_operation_answers_every_documented_status_in_its_documented_shape() {
    let contract = auth_contract();
    let mock = auth_mock(Config::default());
    let mut answered = 0;
    for op in &contract.operations {
        for r in &op.responses {
            let ResponseStatus::Code(code) = r.status else {
                panic!("the auth spec documents exact codes only");
            };
            let mut request = valid_request(&op.id);
            request
                .headers_mut()
                .insert("prefer", format!("code={code}").parse().unwrap());
            let reply = send(&mock, request).await;
            assert_eq!(reply.status.as_u16(), code, "{} Prefer: code={code}", op.id);
            assert_documented(&contract, &op.id, &reply);
            assert_live_envelope(&reply);
            answered += 1;
        }
    }
    assert_eq!(answered, 3 * 6, "3 operations × 200/400/401/403/404/409");
}

#[tokio::test]
async fn valid_requests_get_the_lowest_documented_2xx_with_its_example() {
    let contract = auth_contract();
    let mock = auth_mock(Config::default());
    for op in ["logout", "refreshToken", "revokeRefreshToken"] {
        let reply = send(&mock, valid_request(op)).await;
        assert_eq!(reply.status, StatusCode::OK, "{op}: {:?}", reply.bytes);
        assert_documented(&contract, op, &reply);
        assert_live_envelope(&reply);
        let documented = contract
            .operation(op)
            .unwrap()
            .response_for(200)
            .unwrap()
            .json()
            .unwrap()
            .1;
        let example = &documented.default_example().unwrap().value;
        assert_eq!(
            reply.json()["data"],
            example["data"],
            "{op} serves its example's data"
        );
    }
}

#[tokio::test]
async fn static_examples_are_served_verbatim() {
    let contract = auth_contract();
    let mock = auth_mock(Config {
        static_examples: true,
        ..Config::default()
    });
    let reply = send(&mock, valid_request("logout")).await;
    let documented = contract
        .operation("logout")
        .unwrap()
        .response_for(200)
        .unwrap()
        .json()
        .unwrap()
        .1;
    assert_eq!(reply.json(), documented.default_example().unwrap().value);
}

/// Each bad request, the status it must get, and a phrase its `errors` must contain.
#[tokio::test]
async fn bad_requests_get_the_documented_400_or_401_naming_the_problem() {
    let contract = auth_contract();
    let mock = auth_mock(Config::default());
    let json = |v: Value| json_body(&v);
    let cases: Vec<(&str, &str, Request<Body>, u16, &str)> = vec![
        (
            "logout",
            "no credentials",
            post(LOGOUT).body(Body::empty()).unwrap(),
            401,
            "missing Authorization header",
        ),
        (
            "logout",
            "wrong scheme",
            post(LOGOUT)
                .header("authorization", "Basic dXNlcjpwdw==")
                .body(Body::empty())
                .unwrap(),
            401,
            "unsupported authorization scheme `Basic`",
        ),
        (
            "logout",
            "empty token",
            post(LOGOUT)
                .header("authorization", "Bearer ")
                .body(Body::empty())
                .unwrap(),
            401,
            "token is empty",
        ),
        (
            "logout",
            "not a JWT",
            post(LOGOUT)
                .header("authorization", "Bearer undefined")
                .body(Body::empty())
                .unwrap(),
            401,
            "the bearer token is not a JWT",
        ),
        (
            "revokeRefreshToken",
            "credentials before body",
            post(REVOKE)
                .header("content-type", "application/json")
                .body(json(json!({})))
                .unwrap(),
            401,
            "missing Authorization header",
        ),
        (
            "refreshToken",
            "no body",
            post(REFRESH).body(Body::empty()).unwrap(),
            400,
            "body: required",
        ),
        (
            "refreshToken",
            "wrong content type",
            post(REFRESH)
                .header("content-type", "text/plain")
                .body(Body::from("x"))
                .unwrap(),
            400,
            "unsupported Content-Type `text/plain`",
        ),
        (
            "refreshToken",
            "malformed JSON",
            post(REFRESH)
                .header("content-type", "application/json")
                .body(Body::from("{\"refreshToken\":"))
                .unwrap(),
            400,
            "malformed JSON at line 1",
        ),
        (
            "refreshToken",
            "missing field",
            post(REFRESH)
                .header("content-type", "application/json")
                .body(json(json!({})))
                .unwrap(),
            400,
            "\"refreshToken\" is a required property",
        ),
        (
            "refreshToken",
            "wrong type",
            post(REFRESH)
                .header("content-type", "application/json")
                .body(json(json!({"refreshToken": 7})))
                .unwrap(),
            400,
            "body/refreshToken: value is not of type \"string\"",
        ),
        (
            "refreshToken",
            "too short",
            post(REFRESH)
                .header("content-type", "application/json")
                .body(json(json!({"refreshToken": "short"})))
                .unwrap(),
            400,
            "body/refreshToken: value is shorter than",
        ),
        (
            "refreshToken",
            "unknown field",
            post(REFRESH)
                .header("content-type", "application/json")
                .body(json(json!({"refreshToken": TOKEN, "admin": true})))
                .unwrap(),
            400,
            "'admin' was unexpected",
        ),
        (
            "refreshToken",
            "not an object",
            post(REFRESH)
                .header("content-type", "application/json")
                .body(json(json!([TOKEN])))
                .unwrap(),
            400,
            "body: value is not of type \"object\"",
        ),
    ];
    for (op, what, request, status, phrase) in cases {
        let reply = send(&mock, request).await;
        assert_eq!(
            reply.status.as_u16(),
            status,
            "{op} {what}: {:?}",
            reply.bytes
        );
        assert_documented(&contract, op, &reply);
        assert_live_envelope(&reply);
        let errors = reply.errors();
        let documented = if status == 401 {
            "Authentication required"
        } else {
            "Validation failed"
        };
        assert_eq!(
            errors[0], documented,
            "{op} {what}: the documented message comes first"
        );
        assert!(
            errors.iter().any(|e| e.contains(phrase)),
            "{op} {what}: {errors:?} lacks `{phrase}`"
        );
        if status == 401 {
            assert_eq!(reply.header("www-authenticate"), Some("Bearer"));
        }
    }
}

#[tokio::test]
async fn problems_are_all_reported_and_no_value_is_echoed() {
    let mock = auth_mock(Config::default());
    let secret = "s3cr3t-but-too-long-".repeat(300);
    let reply = send(
        &mock,
        post(REFRESH)
            .header("content-type", "application/json")
            .body(json_body(&json!({ "refreshToken": secret, "extra": 1 })))
            .unwrap(),
    )
    .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    let errors = reply.errors();
    assert_eq!(
        errors.len(),
        3,
        "documented message + two problems: {errors:?}"
    );
    assert!(
        !String::from_utf8_lossy(&reply.bytes).contains("s3cr3t"),
        "the token is echoed"
    );
    let journal = serde_json::to_string(&mock.recent(10)).unwrap();
    assert!(
        !journal.contains("s3cr3t"),
        "the token is recorded: {journal}"
    );
}

#[tokio::test]
async fn unknown_paths_wrong_methods_and_large_bodies_keep_the_envelope() {
    let contract = auth_contract();
    let mock = auth_mock(Config {
        body_limit: 1024,
        ..Config::default()
    });
    let reply = send(
        &mock,
        post("/api/v1/auth/logot").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_live_envelope(&reply);
    let errors = reply.errors();
    assert_eq!(
        errors[0], "Resource not found",
        "the documented 404 message: {errors:?}"
    );
    assert!(
        errors[1].contains("closest: POST /api/v1/auth/logout"),
        "{errors:?}"
    );
    // The 404 of any operation documents this shape: the answer fits it.
    assert_documented(&contract, "logout", &reply);

    let get = Request::builder().uri(LOGOUT).body(Body::empty()).unwrap();
    let reply = send(&mock, get).await;
    assert_eq!(reply.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(reply.header("allow"), Some("POST"));
    assert_live_envelope(&reply);

    let options = Request::builder()
        .method("OPTIONS")
        .uri(LOGOUT)
        .body(Body::empty())
        .unwrap();
    let reply = send(&mock, options).await;
    assert_eq!(
        reply.status,
        StatusCode::METHOD_NOT_ALLOWED,
        "a plain OPTIONS is not a preflight"
    );

    let big = post(REFRESH)
        .header("content-type", "application/json")
        .body(Body::from(vec![b' '; 4096]))
        .unwrap();
    let reply = send(&mock, big).await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_live_envelope(&reply);
}

#[tokio::test]
async fn prefer_selects_status_example_and_seeded_dynamic_bodies() {
    let contract = auth_contract();
    let mock = auth_mock(Config::default());
    // Prefer wins over validation: a frontend can see a 409 without a valid request.
    let reply = send(&mock, post_preferring(REVOKE, "code=409")).await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    assert_documented(&contract, "revokeRefreshToken", &reply);

    // An undocumented status or example is a mistake of the caller, said in the 400.
    let reply = send(&mock, post_preferring(LOGOUT, "code=418")).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(
        reply.errors()[1].contains("documents no 418"),
        "{:?}",
        reply.errors()
    );
    let reply = send(&mock, post_preferring(LOGOUT, "example=nope")).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    let reply = send(&mock, post_preferring(LOGOUT, "code=abc")).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(reply.errors()[1].contains("code=abc"));

    // Dynamic bodies: valid, different per seed, the same for the same seed.
    let draw = |seed: u64| {
        let mut r = valid_request("refreshToken");
        r.headers_mut().insert(
            "prefer",
            format!("dynamic=true, seed={seed}").parse().unwrap(),
        );
        r
    };
    let mut bodies = Vec::new();
    for seed in 0..25 {
        let reply = send(&mock, draw(seed)).await;
        assert_eq!(reply.status, StatusCode::OK);
        assert_documented(&contract, "refreshToken", &reply);
        assert_live_envelope(&reply);
        let mut body = reply.json();
        body["timestamp"] = Value::Null;
        bodies.push(body);
    }
    let again = {
        let mut b = send(&mock, draw(3)).await.json();
        b["timestamp"] = Value::Null;
        b
    };
    assert_eq!(again, bodies[3], "the same seed gives the same body");
    bodies.sort_by_key(|b| b.to_string());
    bodies.dedup();
    assert!(bodies.len() > 20, "seeds give different bodies");
    let entry = mock.recent(1).pop().unwrap();
    assert_eq!(entry.seed, Some(3), "the journal tells the seed to replay");
}

#[tokio::test(start_paused = true)]
async fn delays_are_injected() {
    let mock = auth_mock(Config {
        delay: Duration::from_millis(300),
        ..Config::default()
    });
    let started = tokio::time::Instant::now();
    send(&mock, valid_request("logout")).await;
    assert!(started.elapsed() >= Duration::from_millis(300));
    let started = tokio::time::Instant::now();
    let mut r = valid_request("logout");
    r.headers_mut()
        .insert("prefer", "delay=1500".parse().unwrap());
    send(&mock, r).await;
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(1500) && waited < Duration::from_millis(1800),
        "{waited:?}"
    );
}

#[tokio::test]
async fn cors_preflights_allow_the_documented_methods_and_answers_are_readable() {
    let mock = auth_mock(Config::default());
    let preflight = Request::builder()
        .method("OPTIONS")
        .uri(REVOKE)
        .header("origin", "http://localhost:5173")
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "authorization, content-type",
        )
        .body(Body::empty())
        .unwrap();
    let reply = send(&mock, preflight).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT);
    assert_eq!(
        reply.header("access-control-allow-origin"),
        Some("http://localhost:5173")
    );
    assert_eq!(
        reply.header("access-control-allow-credentials"),
        Some("true")
    );
    assert_eq!(reply.header("access-control-allow-methods"), Some("POST"));
    assert_eq!(
        reply.header("access-control-allow-headers"),
        Some("authorization, content-type")
    );

    let mut actual = post(LOGOUT)
        .header("origin", "http://localhost:5173")
        .body(Body::empty())
        .unwrap();
    actual
        .headers_mut()
        .insert("prefer", "code=401".parse().unwrap());
    let reply = send(&mock, actual).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        reply.header("access-control-allow-origin"),
        Some("http://localhost:5173")
    );
    assert!(
        reply
            .header("access-control-expose-headers")
            .unwrap()
            .contains("www-authenticate")
    );

    let restricted = auth_mock(Config {
        cors: CorsPolicy::Origins(vec!["https://app.example.com".into()]),
        ..Config::default()
    });
    let other = post(LOGOUT)
        .header("origin", "https://evil.example")
        .body(Body::empty())
        .unwrap();
    let reply = send(&restricted, other).await;
    assert_eq!(reply.header("access-control-allow-origin"), None);
    let mine = post(LOGOUT)
        .header("origin", "https://app.example.com")
        .body(Body::empty())
        .unwrap();
    let reply = send(&restricted, mine).await;
    assert_eq!(
        reply.header("access-control-allow-origin"),
        Some("https://app.example.com")
    );

    let off = auth_mock(Config {
        cors: CorsPolicy::Off,
        ..Config::default()
    });
    let reply = send(
        &off,
        post(LOGOUT)
            .header("origin", "http://x")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert!(
        reply
            .headers
            .keys()
            .all(|k| !k.as_str().starts_with("access-control"))
    );
}
