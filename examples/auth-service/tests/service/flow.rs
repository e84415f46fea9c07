//! The token life cycle in-process (`tower::ServiceExt::oneshot`); every answer is checked
//! against the contract by [`Harness::send`].

use std::io::Write;
use std::sync::{Arc, LazyLock, Mutex};
use std::time::Duration;

use auth_service::Config;
use axum::body::Body;
use axum::http::{Method, Request, header};
use serde_json::json;

use crate::support::{Harness, Op, SECRET, claims, now, sign};

const UNKNOWN_REFRESH_TOKEN: &str = "0000000000000000000000000000000000000000000000ff";

fn assert_refresh_token_shape(token: &str) {
    assert_eq!(token.len(), 48, "{token}");
    assert!(
        token
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)),
        "{token}"
    );
}

#[tokio::test]
async fn the_documented_flow() {
    let h = Harness::new();
    let s1 = h.service.seed_session("demo");
    let s2 = h.service.seed_session("demo");
    let s3 = h.service.seed_session("demo");
    let _s4 = h.service.seed_session("demo");
    let bob = h.service.seed_session("bob");

    // Refresh with the seed token: a new pair.
    let reply = h.refresh(&s1).await;
    assert_eq!(reply.status, 200);
    let data = &reply.body["data"];
    assert_eq!(data["expiresIn"], 900);
    assert_eq!(data["tokenType"], "Bearer");
    let (access, refresh) = reply.pair();
    assert_refresh_token_shape(&refresh);
    assert_ne!(refresh, s1);
    let claims = claims(&access);
    assert_eq!(claims["sub"], "demo");
    assert!(claims["sid"].as_str().is_some_and(|sid| !sid.is_empty()));
    let iat = claims["iat"].as_u64().unwrap();
    assert_eq!(claims["exp"].as_u64().unwrap() - iat, 900);
    assert!(iat.abs_diff(now()) <= 5);

    // The old refresh token stops working.
    let reply = h.refresh(&s1).await;
    assert_eq!(reply.status, 401);
    assert!(reply.reason().contains("already used"), "{}", reply.body);

    // Another session of the same user.
    let (access, refresh) = h.refresh(&s2).await.pair();

    // Revoke: another user's token, an unknown one, one of ours twice.
    let reply = h.revoke(&access, &bob).await;
    assert_eq!(reply.status, 403);
    assert_eq!(reply.reason(), "the refresh token belongs to another user");
    let reply = h.revoke(&access, UNKNOWN_REFRESH_TOKEN).await;
    assert_eq!(reply.status, 404);
    assert_eq!(
        reply.errors(),
        ["Resource not found", "no such refresh token"]
    );
    assert_eq!(h.revoke(&access, &s3).await.status, 200);
    let reply = h.revoke(&access, &s3).await;
    assert_eq!(reply.status, 409);
    assert_eq!(reply.reason(), "the refresh token is already revoked");

    // Log out: the sessions still alive end (s2 and s4; s1 ended at the replay, s3 when
    // its token was revoked).
    let reply = h.logout(&access).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body["data"], json!({ "sessionsEnded": 2 }));
    assert_eq!(h.service.alive_sessions("demo"), 0);

    // Afterwards the access token and the refresh token of the session are refused.
    let reply = h.logout(&access).await;
    assert_eq!(reply.status, 401);
    assert_eq!(
        reply.reason(),
        "the session of this access token ended at logout"
    );
    assert_eq!(h.revoke(&access, &bob).await.status, 401);
    let reply = h.refresh(&refresh).await;
    assert_eq!(reply.status, 401);
    assert_eq!(
        reply.reason(),
        "the refresh token's session ended at logout"
    );

    // Another user is not affected.
    assert_eq!(h.service.alive_sessions("bob"), 1);
    assert_eq!(h.refresh(&bob).await.status, 200);
}

#[tokio::test]
async fn refresh_rotates_and_a_replayed_token_ends_its_session() {
    let h = Harness::new();
    let seed = h.service.seed_session("demo");
    let (other_access, _) = h.login("demo").await;

    let (a1, r1) = h.refresh(&seed).await.pair();
    let (a2, r2) = h.refresh(&r1).await.pair();
    let (a3, r3) = h.refresh(&r2).await.pair();
    assert_ne!(r1, r2);
    assert_ne!(r2, r3);
    assert_eq!(claims(&a1)["sid"], claims(&a3)["sid"], "one session");
    assert_ne!(claims(&a1)["sid"], claims(&other_access)["sid"]);

    // Every access token of a live session works (an unknown token to revoke: 404, so
    // authentication passed).
    for access in [&a1, &a2, &a3] {
        assert_eq!(h.revoke(access, UNKNOWN_REFRESH_TOKEN).await.status, 404);
    }

    // A replay of r1 (already exchanged): 401, and the session ends.
    let reply = h.refresh(&r1).await;
    assert_eq!(reply.status, 401);
    assert_eq!(
        reply.reason(),
        "the refresh token was already used; its session has been ended as a precaution"
    );
    let reply = h.refresh(&r3).await;
    assert_eq!(
        reply.status, 401,
        "the current token of the session ended too"
    );
    for access in [&a1, &a3] {
        let reply = h.logout(access).await;
        assert_eq!(reply.status, 401);
        assert!(
            reply
                .reason()
                .contains("used refresh token was presented again")
        );
    }

    // The user's other session is alive.
    assert_eq!(h.service.alive_sessions("demo"), 1);
    assert_eq!(
        h.revoke(&other_access, UNKNOWN_REFRESH_TOKEN).await.status,
        404
    );

    // Unknown tokens: 401 as well (a refresh token is a credential).
    let reply = h.refresh(UNKNOWN_REFRESH_TOKEN).await;
    assert_eq!(reply.status, 401);
    assert_eq!(reply.reason(), "unknown refresh token");
}

#[tokio::test]
async fn logout_ends_every_session_of_the_caller_and_no_other() {
    let h = Harness::new();
    let mut sessions = Vec::new();
    for _ in 0..3 {
        sessions.push(h.login("demo").await);
    }
    let unused_seed = h.service.seed_session("demo");
    let (bob_access, bob_refresh) = h.login("bob").await;

    let reply = h.logout(&sessions[1].0).await;
    assert_eq!(reply.body["data"]["sessionsEnded"], 4);

    for (access, refresh) in &sessions {
        assert_eq!(h.logout(access).await.status, 401);
        assert_eq!(h.refresh(refresh).await.status, 401);
    }
    assert_eq!(h.refresh(&unused_seed).await.status, 401);

    let (bob_access, _) = {
        let reply = h.refresh(&bob_refresh).await;
        assert_eq!(reply.status, 200);
        drop(bob_access);
        reply.pair()
    };
    let reply = h.logout(&bob_access).await;
    assert_eq!(reply.body["data"]["sessionsEnded"], 1);
}

#[tokio::test]
async fn revoke_answers_by_owner_and_state() {
    let h = Harness::new();
    let seed = h.service.seed_session("demo");
    let (access, current) = h.refresh(&seed).await.pair();
    let (other_access, other_refresh) = h.login("demo").await;
    let (bob_access, bob_refresh) = h.login("bob").await;

    // Another user's token is 403 whatever its state, so nothing leaks about it.
    assert_eq!(h.revoke(&access, &bob_refresh).await.status, 403);
    assert_eq!(h.revoke(&bob_access, &seed).await.status, 403);

    // A token of ours that was exchanged already: 409.
    let reply = h.revoke(&access, &seed).await;
    assert_eq!(reply.status, 409);
    assert_eq!(
        reply.reason(),
        "the refresh token was already exchanged for a new one and no longer works"
    );

    // Revoking the current token of another session of ours ends that session (RFC 7009).
    assert_eq!(h.revoke(&access, &other_refresh).await.status, 200);
    let reply = h.refresh(&other_refresh).await;
    assert_eq!(reply.status, 401);
    assert_eq!(reply.reason(), "the refresh token has been revoked");
    let reply = h.logout(&other_access).await;
    assert_eq!(reply.status, 401);
    assert_eq!(
        reply.reason(),
        "the session of this access token was revoked"
    );
    assert_eq!(h.service.alive_sessions("demo"), 1);

    // Revoking our own current token ends our own session too.
    assert_eq!(h.revoke(&access, &current).await.status, 200);
    assert_eq!(h.logout(&access).await.status, 401);
    assert_eq!(h.service.alive_sessions("demo"), 0);
    assert_eq!(h.service.alive_sessions("bob"), 1);
}

#[tokio::test]
async fn an_expired_access_token_is_refused() {
    let h = Harness::new();
    let (access, _) = h.login("demo").await;
    let mut claims = claims(&access);

    // The same claims, expired a second ago: refused, though the session is alive.
    let now = now();
    claims["iat"] = json!(now - 901);
    claims["exp"] = json!(now - 1);
    let reply = h.logout(&sign(&claims, SECRET)).await;
    assert_eq!(reply.status, 401);
    assert_eq!(reply.reason(), "the access token has expired");
    assert_eq!(
        reply.headers[header::WWW_AUTHENTICATE],
        r#"Bearer error="invalid_token""#
    );

    // Control: the same claims still valid are accepted.
    claims["exp"] = json!(now + 60);
    assert_eq!(
        h.revoke(&sign(&claims, SECRET), UNKNOWN_REFRESH_TOKEN)
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn the_access_token_lifetime_is_configurable() {
    let mut config = Config::with_secret(SECRET.to_vec());
    config.access_token_ttl = Duration::from_secs(60);
    let h = Harness::with_config(config);
    let seed = h.service.seed_session("demo");
    let reply = h.refresh(&seed).await;
    assert_eq!(reply.body["data"]["expiresIn"], 60);
    let claims = claims(&reply.pair().0);
    assert_eq!(
        claims["exp"].as_u64().unwrap() - claims["iat"].as_u64().unwrap(),
        60
    );
}

#[tokio::test]
async fn forged_and_malformed_access_tokens_are_refused() {
    let h = Harness::new();
    let (access, _) = h.login("demo").await;
    let claims = claims(&access);
    let payload = access.split('.').nth(1).unwrap();
    // {"alg":"none","typ":"JWT"}
    let unsigned = format!("eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.{payload}.");
    let hs384 = jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS384),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(SECRET),
    )
    .unwrap();
    let mut no_sid = claims.clone();
    no_sid.as_object_mut().unwrap().remove("sid");
    let mut unknown_sid = claims.clone();
    unknown_sid["sid"] = json!("0123456789abcdef0123456789abcdef");
    let mut other_user = claims.clone();
    other_user["sub"] = json!("mallory");

    let cases = [
        (
            sign(&claims, b"another key, same claims, 32 bytes+"),
            "the access token's signature is not valid",
        ),
        // jsonwebtoken does not even parse `alg: none`.
        (unsigned, "the bearer token is not a valid access token"),
        (hs384, "the access token is not signed with HS256"),
        (
            "not-a-jwt".to_owned(),
            "the bearer token is not a valid access token",
        ),
        (
            sign(&no_sid, SECRET),
            "the bearer token is not a valid access token",
        ),
        (
            sign(&unknown_sid, SECRET),
            "the session of this access token does not exist",
        ),
        (
            sign(&other_user, SECRET),
            "the session of this access token does not exist",
        ),
    ];
    for (token, reason) in cases {
        let reply = h.logout(&token).await;
        assert_eq!(reply.status, 401, "{reason}");
        assert_eq!(reply.reason(), reason);
    }
    // None of that ended the real session.
    assert_eq!(h.service.alive_sessions("demo"), 1);
}

#[tokio::test]
async fn the_generated_router_still_answers_bad_requests() {
    let h = Harness::new();
    let (access, _) = h.login("demo").await;

    let reply = h.call(Op::Logout, None, None).await;
    assert_eq!(reply.status, 401);
    assert_eq!(reply.headers[header::WWW_AUTHENTICATE], "Bearer");
    let reply = h.refresh("too-short").await;
    assert_eq!(reply.status, 400);
    assert_eq!(
        reply.errors(),
        [
            "Validation failed",
            "refreshToken: must be at least 16 characters"
        ]
    );
    let reply = h
        .call(
            Op::Revoke,
            Some(&access),
            Some(json!({ "refreshToken": UNKNOWN_REFRESH_TOKEN, "extra": 1 })),
        )
        .await;
    assert_eq!(reply.status, 400);
    let request = Request::builder()
        .method(Method::POST)
        .uri(Op::Refresh.path())
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("{not json"))
        .unwrap();
    assert_eq!(h.send(Op::Refresh, request).await.status, 400);
    let request = Request::builder()
        .method(Method::POST)
        .uri(Op::Logout.path())
        .header(header::AUTHORIZATION, "Basic ZGVtbzpkZW1v")
        .body(Body::empty())
        .unwrap();
    assert_eq!(h.send(Op::Logout, request).await.status, 401);
}

#[tokio::test]
async fn every_status_the_service_can_answer_is_reached_and_validates() {
    let h = Harness::new();
    let seed = h.service.seed_session("demo");
    let bob = h.service.seed_session("bob");
    let (access, refresh) = h.refresh(&seed).await.pair();
    h.refresh(&seed).await; // 401: replay, ends that session
    let (access, _) = {
        drop((access, refresh));
        h.login("demo").await
    };
    h.refresh("short").await; // 400
    h.revoke(&access, &bob).await; // 403
    h.revoke(&access, UNKNOWN_REFRESH_TOKEN).await; // 404
    let (_, victim) = h.login("demo").await;
    h.revoke(&access, &victim).await; // 200
    h.revoke(&access, &victim).await; // 409
    h.revoke(&access, "short").await; // 400
    h.logout(&access).await; // 200
    h.logout(&access).await; // 401
    h.revoke(&access, &victim).await; // 401

    // logout has no input to be invalid and no resource to miss or conflict with; refresh
    // answers every bad refresh token with 401. Those documented statuses never occur.
    let expected = [
        (Op::Logout, 200),
        (Op::Logout, 401),
        (Op::Refresh, 200),
        (Op::Refresh, 400),
        (Op::Refresh, 401),
        (Op::Revoke, 200),
        (Op::Revoke, 400),
        (Op::Revoke, 401),
        (Op::Revoke, 403),
        (Op::Revoke, 404),
        (Op::Revoke, 409),
    ];
    assert_eq!(h.seen(), expected.into_iter().collect());
}

/// A `tracing` writer into a shared buffer.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn logs_never_contain_tokens() {
    // A global subscriber: a thread-local one (`set_default`) misses events when other
    // tests, running at the same time without one, make tracing cache "no interest" for
    // the service's callsites. Logs of the other tests land in the buffer too, which only
    // widens the check.
    static CAPTURED: LazyLock<Captured> = LazyLock::new(|| {
        let captured = Captured::default();
        let writer = captured.clone();
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .init();
        captured
    });
    let captured = &*CAPTURED;

    let h = Harness::new();
    let mut tokens = Vec::new();
    let seed = h.service.seed_session("demo");
    let (access, refresh) = h.refresh(&seed).await.pair();
    let (other_access, other_refresh) = h.login("demo").await;
    h.revoke(&access, &other_refresh).await;
    h.revoke(&access, &other_refresh).await;
    h.logout(&other_access).await;
    h.refresh(&seed).await;
    h.logout(&access).await;
    tokens.extend([seed, access, refresh, other_access, other_refresh]);

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    for expected in [
        "session seeded",
        "rotated",
        "revoked",
        "status=409",
        "status=401",
    ] {
        assert!(logs.contains(expected), "{expected} not logged:\n{logs}");
    }
    for token in &tokens {
        assert!(
            !logs.contains(token.as_str()),
            "a token was logged:\n{logs}"
        );
        // Not even the signature or payload of an access token.
        for part in token.split('.').filter(|part| part.len() >= 16) {
            assert!(!logs.contains(part), "part of a token was logged:\n{logs}");
        }
    }
    let debug = format!("{:?}", h.service);
    assert!(tokens.iter().all(|token| !debug.contains(token.as_str())));
}

#[tokio::test]
async fn cors_is_off_by_default_and_answers_allowed_origins_when_on() {
    use auth_service::{AuthService, CorsOrigins, app, with_cors};
    use tower::ServiceExt;

    const ORIGIN: &str = "http://localhost:5173";
    let preflight = |origin: &str| {
        Request::builder()
            .method(Method::OPTIONS)
            .uri(Op::Refresh.path())
            .header(header::ORIGIN, origin)
            .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
            .header(header::ACCESS_CONTROL_REQUEST_HEADERS, "content-type")
            .body(Body::empty())
            .unwrap()
    };
    let service = AuthService::new(Config::with_secret(SECRET.to_vec()));

    // Off: a preflight is just an OPTIONS the contract does not have.
    let response = app(service.clone())
        .oneshot(preflight(ORIGIN))
        .await
        .unwrap();
    assert_eq!(response.status(), 405);
    assert!(
        !response
            .headers()
            .contains_key(header::ACCESS_CONTROL_ALLOW_ORIGIN)
    );

    let cors = with_cors(
        app(service.clone()),
        CorsOrigins::List(vec![ORIGIN.to_owned()]),
    );
    let response = cors.clone().oneshot(preflight(ORIGIN)).await.unwrap();
    assert_eq!(response.status(), 204);
    let headers = response.headers();
    assert_eq!(headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], ORIGIN);
    assert_eq!(headers[header::ACCESS_CONTROL_ALLOW_METHODS], "POST");
    assert_eq!(
        headers[header::ACCESS_CONTROL_ALLOW_HEADERS],
        "authorization, content-type"
    );

    // Another origin gets no CORS headers.
    let response = cors
        .clone()
        .oneshot(preflight("http://evil.example"))
        .await
        .unwrap();
    assert!(
        !response
            .headers()
            .contains_key(header::ACCESS_CONTROL_ALLOW_ORIGIN)
    );

    // A real call from the allowed origin: the service's answer, with CORS headers.
    let seed = service.seed_session("demo");
    let request = Request::builder()
        .method(Method::POST)
        .uri(Op::Refresh.path())
        .header(header::ORIGIN, ORIGIN)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(json!({ "refreshToken": seed }).to_string()))
        .unwrap();
    let response = cors.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()[header::ACCESS_CONTROL_ALLOW_ORIGIN],
        ORIGIN
    );

    // `Any` echoes whatever origin asks.
    let any = with_cors(app(service), CorsOrigins::Any);
    let response = any
        .oneshot(preflight("http://127.0.0.1:3000"))
        .await
        .unwrap();
    assert_eq!(
        response.headers()[header::ACCESS_CONTROL_ALLOW_ORIGIN],
        "http://127.0.0.1:3000"
    );
}
