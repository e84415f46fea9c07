//! The control API: forcing answers, reading recent requests, resetting.

use axum::body::Body;
use http::{Request, StatusCode};
use kontrat_mock::Config;
use serde_json::{Value, json};

use crate::fixtures::*;

const LOGOUT: &str = "/api/v1/auth/logout";

fn control(method: &str, path: &str, body: Option<Value>) -> Request<Body> {
    let b = Request::builder()
        .method(method)
        .uri(format!("/__kontrat{path}"));
    match body {
        Some(v) => b
            .header("content-type", "application/json")
            .body(json_body(&v))
            .unwrap(),
        None => b.body(Body::empty()).unwrap(),
    }
}

fn logout() -> Request<Body> {
    post(LOGOUT)
        .header("authorization", format!("Bearer {JWT}"))
        .body(Body::empty())
        .unwrap()
}

#[tokio::test]
async fn a_forced_status_holds_until_it_is_deleted() {
    let contract = auth_contract();
    let mock = auth_mock(Config::default());
    assert_eq!(send(&mock, logout()).await.status, StatusCode::OK);

    let reply = send(
        &mock,
        control("PUT", "/force/logout", Some(json!({"status": 403}))),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.bytes);
    for _ in 0..3 {
        let reply = send(&mock, logout()).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN);
        assert_documented(&contract, "logout", &reply);
        assert_live_envelope(&reply);
    }
    // Other operations are unaffected; Prefer still wins over a forced answer.
    let mut preferred = logout();
    preferred
        .headers_mut()
        .insert("prefer", "code=409".parse().unwrap());
    assert_eq!(send(&mock, preferred).await.status, StatusCode::CONFLICT);

    let listed = send(&mock, control("GET", "/force", None)).await.json();
    assert_eq!(listed, json!({"logout": {"status": 403}}));

    let reply = send(&mock, control("DELETE", "/force/logout", None)).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT);
    assert_eq!(send(&mock, logout()).await.status, StatusCode::OK);
    let reply = send(&mock, control("DELETE", "/force/logout", None)).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn forcing_every_operation_and_reset() {
    let mock = auth_mock(Config::default());
    let reply = send(
        &mock,
        control("PUT", "/force/*", Some(json!({"status": 404}))),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    let refresh = post("/api/v1/auth/refresh").body(Body::empty()).unwrap();
    assert_eq!(send(&mock, refresh).await.status, StatusCode::NOT_FOUND);
    assert_eq!(send(&mock, logout()).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        send(&mock, control("POST", "/reset", None)).await.status,
        StatusCode::NO_CONTENT
    );
    let recent = send(&mock, control("GET", "/requests", None)).await.json();
    assert_eq!(recent, json!([]), "reset forgets requests");
    assert_eq!(
        send(&mock, logout()).await.status,
        StatusCode::OK,
        "reset ends forced answers"
    );
}

#[tokio::test]
async fn bad_control_requests_are_refused_with_problem_json() {
    let mock = auth_mock(Config::default());
    let cases = [
        (
            "/force/nope",
            json!({"status": 401}),
            StatusCode::NOT_FOUND,
            "no operation `nope`",
        ),
        (
            "/force/logout",
            json!({"status": 418}),
            StatusCode::BAD_REQUEST,
            "documents no 418",
        ),
        (
            "/force/logout",
            json!({"status": 401, "example": "x"}),
            StatusCode::BAD_REQUEST,
            "no example `x`",
        ),
        (
            "/force/logout",
            json!({}),
            StatusCode::BAD_REQUEST,
            "say what to force",
        ),
        (
            "/force/logout",
            json!({"stauts": 401}),
            StatusCode::BAD_REQUEST,
            "stauts",
        ),
    ];
    for (path, body, status, phrase) in cases {
        let reply = send(&mock, control("PUT", path, Some(body.clone()))).await;
        assert_eq!(reply.status, status, "{path} {body}");
        assert_eq!(
            reply.header("content-type"),
            Some("application/problem+json")
        );
        let detail = reply.json()["detail"].as_str().unwrap().to_owned();
        assert!(detail.contains(phrase), "{detail} lacks {phrase}");
    }
    let reply = send(&mock, control("GET", "/nothing-here", None)).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(
        send(&mock, logout()).await.status,
        StatusCode::OK,
        "nothing was forced"
    );
}

#[tokio::test]
async fn recent_requests_say_what_was_chosen_and_why() {
    let mock = auth_mock(Config::default());
    send(&mock, logout()).await;
    send(&mock, post(LOGOUT).body(Body::empty()).unwrap()).await;
    send(
        &mock,
        post("/api/v1/auth/refresh")
            .header("prefer", "code=409")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    send(&mock, post("/nowhere").body(Body::empty()).unwrap()).await;
    let all = send(&mock, control("GET", "/requests", None)).await.json();
    let rows: Vec<(Value, Value, String)> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["operation"].clone(),
                e["status"].clone(),
                e["reason"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(rows.len(), 4);
    assert_eq!(
        rows[0],
        (
            json!("logout"),
            json!(200),
            "lowest documented 2xx".to_owned()
        )
    );
    assert_eq!(rows[1].1, json!(401));
    assert_eq!(rows[1].2, "credentials missing or malformed");
    assert_eq!(
        rows[2],
        (
            json!("refreshToken"),
            json!(409),
            "Prefer: code=409".to_owned()
        )
    );
    assert_eq!(rows[3].0, Value::Null);
    assert!(
        rows[3]
            .2
            .starts_with("no operation documents POST /nowhere")
    );
    assert!(
        all[1]["problems"][0]
            .as_str()
            .unwrap()
            .contains("missing Authorization header")
    );

    let only = send(
        &mock,
        control("GET", "/requests?operation=logout&limit=1", None),
    )
    .await
    .json();
    assert_eq!(only.as_array().unwrap().len(), 1);
    assert_eq!(only[0]["status"], 401, "the newest logout");

    let ops = send(&mock, control("GET", "/operations", None))
        .await
        .json();
    let ids: Vec<&str> = ops
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["operationId"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["logout", "refreshToken", "revokeRefreshToken"]);
    let info = send(&mock, control("GET", "/", None)).await.json();
    assert_eq!(info["operations"], 3);
    assert_eq!(info["envelope"], "Envelope");
}

#[tokio::test]
async fn the_control_prefix_is_a_whole_segment() {
    let mock = auth_mock(Config::default());
    for path in ["", "/"] {
        let info = send(&mock, control("GET", path, None)).await;
        assert_eq!(info.status, StatusCode::OK, "/__kontrat{path}");
        assert_eq!(info.json()["operations"], 3, "/__kontrat{path}");
    }
    let unknown = send(&mock, control("GET", "/nope", None)).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(
        unknown.header("content-type"),
        Some("application/problem+json")
    );
    // Not under the control API: a path of the contract, answered in its 404 envelope.
    let request = Request::get("/__kontratX").body(Body::empty()).unwrap();
    let reply = send(&mock, request).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(reply.json()["isSuccess"], false);
    assert_eq!(reply.json()["statusCode"], 404);
}

#[tokio::test]
async fn the_router_nests_in_another_app_with_cors_and_control() {
    use tower::ServiceExt as _;
    let mock = auth_mock(Config::default());
    let app = axum::Router::new()
        .route("/health", axum::routing::get(|| async { "ok" }))
        .merge(mock.router());
    let call = |request: Request<Body>| {
        let app = app.clone();
        async move { app.oneshot(request).await.expect("infallible") }
    };
    let health = call(Request::get("/health").body(Body::empty()).unwrap()).await;
    assert_eq!(health.status(), StatusCode::OK);
    let mut request = logout();
    request
        .headers_mut()
        .insert("origin", "http://localhost:5173".parse().unwrap());
    let answer = call(request).await;
    assert_eq!(answer.status(), StatusCode::OK);
    assert_eq!(
        answer.headers()["access-control-allow-origin"],
        "http://localhost:5173"
    );
    let forced = call(control(
        "PUT",
        "/force/logout",
        Some(json!({"status": 401})),
    ))
    .await;
    assert_eq!(forced.status(), StatusCode::OK);
    assert_eq!(call(logout()).await.status(), StatusCode::UNAUTHORIZED);
}
