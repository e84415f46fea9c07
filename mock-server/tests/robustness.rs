//! Arbitrary requests never panic the mock and never get a framework default: every
//! answer of the auth mock is the envelope with `statusCode` equal to the HTTP status.

use axum::body::Body;
use http::Request;
use kontrat_mock::Config;
use proptest::prelude::*;

use crate::fixtures::*;

fn method() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("POST".to_owned()),
        Just("GET".to_owned()),
        Just("PUT".to_owned()),
        Just("OPTIONS".to_owned()),
        Just("HEAD".to_owned()),
        "[A-Z]{1,8}",
    ]
}

fn path() -> impl Strategy<Value = String> {
    let documented = prop_oneof![
        Just("/api/v1/auth/logout".to_owned()),
        Just("/api/v1/auth/refresh".to_owned()),
        Just("/api/v1/auth/revoke".to_owned()),
    ];
    prop_oneof![
        3 => documented,
        1 => "(/[a-zA-Z0-9%._~-]{0,12}){0,5}",
        1 => "/api/v1/auth/[^/?#]{0,20}",
    ]
}

fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(Vec::new()),
        Just(br#"{"refreshToken":"3f8c1e0a9b7d4c2e8f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c"}"#.to_vec()),
        "\\PC{0,64}".prop_map(String::into_bytes),
        proptest::collection::vec(any::<u8>(), 0..256),
        "\\{\"refreshToken\":(null|true|1|\"[a-z]{0,40}\"|\\[\\]|\\{\\})(,\"[a-z]{1,5}\":1)?\\}"
            .prop_map(String::into_bytes),
    ]
}

fn header_value() -> impl Strategy<Value = Option<String>> {
    proptest::option::of("[ -~]{0,40}")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_request_gets_a_live_envelope(
        method in method(),
        path in path(),
        content_type in prop_oneof![Just(Some("application/json".to_owned())), header_value()],
        authorization in prop_oneof![Just(Some(format!("Bearer {JWT}"))), header_value()],
        prefer in prop_oneof![Just(None), Just(Some("code=404".to_owned())), Just(Some("dynamic=true".to_owned())), header_value()],
        body in body(),
    ) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let mock = auth_mock(Config::default());
        let mut request = Request::builder().method(method.as_str()).uri(&path);
        for (name, value) in [("content-type", &content_type), ("authorization", &authorization), ("prefer", &prefer)] {
            if let Some(v) = value {
                request = request.header(name, v.as_str());
            }
        }
        // What `http` cannot represent never reaches the mock through hyper either.
        let Ok(request) = request.body(Body::from(body)) else {
            return Ok(());
        };
        let reply = runtime.block_on(send(&mock, request));
        prop_assert!(reply.status.as_u16() != 500, "{:?}", reply.bytes);
        if method == "HEAD" {
            return Ok(());
        }
        let value: serde_json::Value = serde_json::from_slice(&reply.bytes)
            .map_err(|e| TestCaseError::fail(format!("{} not JSON ({e}): {:?}", reply.status, reply.bytes)))?;
        prop_assert_eq!(&value["statusCode"], &serde_json::json!(reply.status.as_u16()), "{}", value);
        prop_assert_eq!(&value["isSuccess"], &serde_json::json!(reply.status.is_success()));
        prop_assert!(value["timestamp"].is_string());
    }
}
