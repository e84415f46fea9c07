//! The failure classes schemathesis found when the mock served real-world specs, one test
//! each, on `fixtures/real-world.yaml` (issue #12): unbounded and sized integers,
//! parameters decoded by schema and style, schemas read as JSON Schema reads them, checks
//! on every parameter and body path, and bodies that honour overlapping `oneOf`s.

use axum::body::Body;
use http::{Request, StatusCode};
use kontrat_generator::model::Contract;
use kontrat_generator::model::json_schema::{self, Direction};
use kontrat_mock::{Config, Mock, UNDOCUMENTED_STATUS};
use serde_json::{Value, json};

use crate::fixtures::*;

fn real_world() -> (Contract, Mock) {
    let path = workspace().join("mock-server/tests/fixtures/real-world.yaml");
    let contract = kontrat_generator::load_contract(&path).unwrap().0;
    (contract.clone(), Mock::new(contract, Config::default()))
}

async fn get(mock: &Mock, uri: &str, headers: &[(&str, &str)]) -> Reply {
    let mut request = Request::builder().uri(uri);
    for (k, v) in headers {
        request = request.header(*k, *v);
    }
    send(mock, request.body(Body::empty()).unwrap()).await
}

fn message(reply: &Reply) -> String {
    reply.json()["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// Asserts the mock accepted `uri` (200), or names what it refused.
async fn accepted(mock: &Mock, uri: &str, headers: &[(&str, &str)]) {
    let reply = get(mock, uri, headers).await;
    assert_eq!(
        reply.status,
        StatusCode::OK,
        "{uri} {headers:?} was refused: {}",
        String::from_utf8_lossy(&reply.bytes)
    );
}

/// Asserts the mock refused `uri` with the documented 400 naming `phrase`.
async fn refused(mock: &Mock, uri: &str, headers: &[(&str, &str)], phrase: &str) {
    let reply = get(mock, uri, headers).await;
    assert_eq!(
        reply.status,
        StatusCode::BAD_REQUEST,
        "{uri} {headers:?} was accepted"
    );
    let text = message(&reply);
    assert!(text.contains(phrase), "{uri}: `{text}` lacks `{phrase}`");
}

#[tokio::test]
async fn integers_are_unbounded_unless_their_format_bounds_them() {
    let (_, mock) = real_world();
    // JSON Schema integers have no size: a spec that says only `type: integer` accepts any.
    accepted(&mock, "/groups/99356946442803183616", &[]).await;
    accepted(&mock, "/groups/1?page=-73685476587458781184", &[]).await;
    accepted(
        &mock,
        "/groups/-1?offset=-2147483648&cursor=9223372036854775807",
        &[],
    )
    .await;
    // int32 and int64 bound them, whatever the schema's own bounds say.
    refused(
        &mock,
        "/groups/1?offset=-2147483649",
        &[],
        "query parameter `offset`",
    )
    .await;
    refused(
        &mock,
        "/groups/1?offset=2147483648",
        &[],
        "query parameter `offset`",
    )
    .await;
    refused(
        &mock,
        "/groups/1?cursor=9223372036854775808",
        &[],
        "query parameter `cursor`",
    )
    .await;
    refused(
        &mock,
        "/groups/1?cursor=-9223372036854775809",
        &[],
        "outside the int64 range",
    )
    .await;
    // Past 64 bits, judged exactly (an f64 would round away the multiple).
    accepted(&mock, "/groups/1?step=-27044478526200529920", &[]).await;
    accepted(&mock, "/groups/1?step=27044478526200529920", &[]).await;
    refused(
        &mock,
        "/groups/1?step=-27044478526200529921",
        &[],
        "not a multiple of 20",
    )
    .await;
    refused(&mock, "/groups/1?limit=101", &[], "query parameter `limit`").await;
    refused(&mock, "/groups/1?limit=0", &[], "query parameter `limit`").await;
    refused(
        &mock,
        "/groups/1.5",
        &[],
        "path parameter `id`: value is not an integer",
    )
    .await;
    refused(&mock, "/groups/1?page=1e3", &[], "query parameter `page`").await;
}

#[tokio::test]
async fn int64_bounds_hold_in_json_bodies_past_64_bits() {
    let (_, mock) = real_world();
    for count in ["-9223372036854775809", "9223372036854775808", "1e30"] {
        let body = format!(r#"{{"name":"n","count":{count}}}"#);
        let reply = send(
            &mock,
            post("/items")
                .header("content-type", "application/json")
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "count {count} accepted"
        );
    }
    let reply = send(
        &mock,
        post("/items")
            .header("content-type", "application/json")
            .body(Body::from(r#"{"name":"n","count":-9223372036854775808}"#))
            .unwrap(),
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED, "i64::MIN is an int64");
}

#[tokio::test]
async fn parameters_are_decoded_by_their_schema_and_style() {
    let (_, mock) = real_world();
    // A string enum of "true"/"false" gets the text, not a JSON boolean.
    accepted(&mock, "/groups/1", &[("x-feature-enabled", "true")]).await;
    refused(
        &mock,
        "/groups/1",
        &[("x-feature-enabled", "yes")],
        "header parameter `X-Feature-Enabled`",
    )
    .await;
    // Empty values are strings, unless `allowEmptyValue: false` says otherwise.
    accepted(&mock, "/groups/1?callback=", &[]).await;
    refused(&mock, "/groups/1?strict=", &[], "allowEmptyValue").await;
    // Styles: pipe-delimited and comma-separated arrays, deep objects, header lists.
    accepted(
        &mock,
        "/groups/1?ids=1|2|3&tags=a,b",
        &[("x-ids", "1, 2,3")],
    )
    .await;
    refused(
        &mock,
        "/groups/1?ids=1|two",
        &[],
        "query parameter `ids`: item 1",
    )
    .await;
    refused(
        &mock,
        "/groups/1",
        &[("x-ids", "1,x")],
        "header parameter `X-Ids`",
    )
    .await;
    accepted(
        &mock,
        "/groups/1?filter%5Bstate%5D=open&filter[size]=3",
        &[],
    )
    .await;
    refused(
        &mock,
        "/groups/1?filter[state]=ajar",
        &[],
        "query parameter `filter`",
    )
    .await;
    refused(&mock, "/groups/1?filter[size]=big", &[], "property `size`").await;
    // Unions: every reading is tried.
    accepted(&mock, "/groups/1?scope=7", &[]).await;
    accepted(&mock, "/groups/1?scope=all", &[]).await;
    refused(
        &mock,
        "/groups/1?scope=some",
        &[],
        "query parameter `scope`",
    )
    .await;
    // Label-style path arrays.
    let reply = get(&mock, "/labels/.red,blue", &[]).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT);
    let reply = get(&mock, "/labels/red,blue", &[]).await;
    assert_eq!(
        reply.status,
        StatusCode::BAD_REQUEST,
        "label style needs its dot"
    );
}

#[tokio::test]
async fn enums_bind_in_every_parameter_and_body_path() {
    let (_, mock) = real_world();
    refused(
        &mock,
        "/groups/1?include_subcategories=maybe",
        &[],
        "query parameter `include_subcategories`",
    )
    .await;
    refused(
        &mock,
        "/groups/1?migrated=yes",
        &[],
        "query parameter `migrated`",
    )
    .await;
    refused(&mock, "/groups/1?kind=robot", &[], "query parameter `kind`").await;
    accepted(
        &mock,
        "/groups/1?include_subcategories=no&migrated=false&kind=bot",
        &[],
    )
    .await;

    let form = |body: &'static str| {
        post("/items")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap()
    };
    let reply = send(&mock, form("name=n")).await;
    assert_eq!(
        reply.status,
        StatusCode::BAD_REQUEST,
        "a form without `count`"
    );
    let reply = send(&mock, form("name=n&count=2&size=xl")).await;
    assert_eq!(
        reply.status,
        StatusCode::BAD_REQUEST,
        "a form with size `xl`"
    );
    let reply = send(&mock, form("name=n&count=2&size=m")).await;
    assert_eq!(reply.status, StatusCode::CREATED);
}

#[tokio::test]
async fn schemas_mean_what_json_schema_says() {
    let (_, mock) = real_world();
    let delete = |body: &'static str| {
        Request::builder()
            .method("DELETE")
            .uri("/items")
            .header("content-type", "application/json")
            .body(Body::from(body))
            .unwrap()
    };
    // No `type`: `properties` apply to objects only; `null`, a number, a list are valid.
    for body in ["null", "3", "[1]", r#"{"ids":["a"]}"#] {
        let reply = send(&mock, delete(body)).await;
        assert_eq!(reply.status, StatusCode::NO_CONTENT, "{body} was refused");
    }
    let reply = send(&mock, delete(r#"{"ids":"a"}"#)).await;
    assert_eq!(
        reply.status,
        StatusCode::BAD_REQUEST,
        "an object still obeys"
    );
    // 3.0 `nullable` on an optional body: null is a value; a non-nullable one refuses it.
    let put = |body: &'static str| {
        Request::builder()
            .method("PUT")
            .uri("/items")
            .header("content-type", "application/json")
            .body(Body::from(body))
            .unwrap()
    };
    assert_eq!(
        send(&mock, put("null")).await.status,
        StatusCode::NO_CONTENT
    );
    let reply = send(
        &mock,
        post("/items")
            .header("content-type", "application/json")
            .body(Body::from("null"))
            .unwrap(),
    )
    .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn bodies_sent_honour_an_overlapping_one_of() {
    let (contract, mock) = real_world();
    let reply = send(
        &mock,
        post("/items")
            .header("content-type", "application/json")
            .body(json_body(&json!({"name": "n", "count": 1})))
            .unwrap(),
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED);
    assert_documented(&contract, "createItem", &reply);
    // Independently of the mock's own check: exactly one branch matches.
    let body = reply.json();
    let matching: Vec<&str> = ["SmsReport", "MessageReport"]
        .into_iter()
        .filter(|name| {
            let document =
                json_schema::document(&contract, &contract.schemas[*name], Direction::Response);
            jsonschema::validator_for(&document)
                .unwrap()
                .is_valid(&body)
        })
        .collect();
    assert_eq!(matching.len(), 1, "{body} matches {matching:?}");
}

#[tokio::test]
async fn refusals_the_operation_does_not_document_are_marked() {
    let (_, mock) = real_world();
    let reply = send(
        &mock,
        post("/unguarded")
            .header("content-type", "application/json")
            .body(Body::from(r#"{"name":1}"#))
            .unwrap(),
    )
    .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "still refused");
    let why = reply
        .header(UNDOCUMENTED_STATUS.as_str())
        .unwrap_or_default();
    assert!(why.contains("400"), "{:?}", reply.headers);
    // A documented refusal carries no mark.
    let reply = get(&mock, "/groups/1?limit=0", &[]).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(reply.header(UNDOCUMENTED_STATUS.as_str()).is_none());
    let _: Value = reply.json();
}
