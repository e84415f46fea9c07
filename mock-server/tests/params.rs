//! A spec without an envelope (`fixtures/pets.yaml`): parameters in path, query and
//! header, API keys, ranges, content negotiation, non-JSON bodies, problem+json fallbacks.

use axum::body::Body;
use http::{Request, StatusCode};
use kontrat_generator::model::Contract;
use kontrat_mock::{Config, Mock};

use crate::fixtures::*;

fn pets() -> (Contract, Mock) {
    let path = workspace().join("mock-server/tests/fixtures/pets.yaml");
    let contract = kontrat_generator::load_contract(&path).unwrap().0;
    (contract.clone(), Mock::new(contract, Config::default()))
}

fn get(uri: &str) -> http::request::Builder {
    Request::builder().uri(uri)
}

const ID: &str = "3fa85f64-5717-4562-b3fc-2c963f66afa6";

#[tokio::test]
async fn parameters_are_coerced_and_validated() {
    let (contract, mock) = pets();
    let ok = send(
        &mock,
        get("/pets?limit=10&tags=cat&tags=dog")
            .header("x-request-id", ID)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(ok.status, StatusCode::OK, "{:?}", ok.bytes);
    assert_documented(&contract, "listPets", &ok);
    assert_eq!(
        ok.header("x-total"),
        Some("2"),
        "required response headers are sent"
    );

    let bad = send(
        &mock,
        get("/pets?limit=1000&tags=bird")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_documented(&contract, "listPets", &bad);
    let message = bad.json()["message"].as_str().unwrap().to_owned();
    for phrase in [
        "query parameter `limit`: value is greater than the maximum of 100",
        "query parameter `tags`",
        "header parameter `X-Request-Id` is required",
    ] {
        assert!(message.contains(phrase), "{message} lacks {phrase}");
    }
    let bad = send(
        &mock,
        get("/pets?limit=ten")
            .header("x-request-id", "nope")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    let message = bad.json()["message"].as_str().unwrap().to_owned();
    assert!(
        message.contains("query parameter `limit`: value is not an integer"),
        "{message}"
    );
    assert!(
        message.contains("header parameter `X-Request-Id`: value is not a \"uuid\""),
        "{message}"
    );
}

#[tokio::test]
async fn api_keys_path_parameters_ranges_and_base_paths() {
    let (contract, mock) = pets();
    let no_key = send(&mock, get("/pets/7").body(Body::empty()).unwrap()).await;
    assert_eq!(no_key.status, StatusCode::UNAUTHORIZED, "4XX documents 401");
    assert_documented(&contract, "getPet", &no_key);
    assert!(
        no_key.json()["message"]
            .as_str()
            .unwrap()
            .contains("missing API key `X-Api-Key` in the header")
    );

    let bad_id = send(
        &mock,
        get("/pets/0")
            .header("x-api-key", "k")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(bad_id.status, StatusCode::BAD_REQUEST);
    assert!(
        bad_id.json()["message"]
            .as_str()
            .unwrap()
            .contains("path parameter `petId`: value is less than the minimum of 1")
    );

    let with_base = send(
        &mock,
        get("/v2/pets/7")
            .header("x-api-key", "k")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(
        with_base.status,
        StatusCode::OK,
        "the server's base path is accepted"
    );
    assert_documented(&contract, "getPet", &with_base);

    let forced = send(
        &mock,
        get("/pets/7")
            .header("prefer", "code=418")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(forced.status.as_u16(), 418, "4XX covers 418");
    assert_documented(&contract, "getPet", &forced);

    let deleted = send(
        &mock,
        Request::builder()
            .method("DELETE")
            .uri("/pets/7")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    assert!(deleted.bytes.is_empty());
}

#[tokio::test]
async fn content_is_negotiated_and_non_json_bodies_are_checked_by_media_type() {
    let (_, mock) = pets();
    let text = send(
        &mock,
        get("/pets/7")
            .header("x-api-key", "k")
            .header("accept", "text/plain")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(text.header("content-type"), Some("text/plain"));
    assert_eq!(&text.bytes[..], b"Rex the dog");

    let png = Request::builder()
        .method("PUT")
        .uri("/pets/7/photo")
        .header("content-type", "image/png")
        .body(Body::from(vec![0x89, b'P', b'N', b'G']))
        .unwrap();
    assert_eq!(send(&mock, png).await.status, StatusCode::CREATED);
    let wrong = Request::builder()
        .method("PUT")
        .uri("/pets/7/photo")
        .header("content-type", "image/gif")
        .body(Body::from("GIF89a"))
        .unwrap();
    let reply = send(&mock, wrong).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        reply.header("content-type"),
        Some("application/problem+json"),
        "putPhoto documents no 400"
    );
    assert!(
        reply.json()["detail"]
            .as_str()
            .unwrap()
            .contains("unsupported Content-Type `image/gif`")
    );
}

#[tokio::test]
async fn named_examples_and_problem_json_where_nothing_is_documented() {
    let (contract, mock) = pets();
    let none = send(
        &mock,
        get("/pets")
            .header("x-request-id", ID)
            .header("prefer", "example=none")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(none.status, StatusCode::OK);
    assert_eq!(none.json(), serde_json::json!([]));
    assert_documented(&contract, "listPets", &none);

    let lost = send(&mock, get("/cats").body(Body::empty()).unwrap()).await;
    assert_eq!(lost.status, StatusCode::NOT_FOUND);
    assert_eq!(
        lost.header("content-type"),
        Some("application/problem+json"),
        "no shared envelope"
    );
    assert!(
        lost.json()["detail"]
            .as_str()
            .unwrap()
            .contains("closest: GET /pets")
    );

    // Dynamic pets honour the schema's pattern and enum.
    for seed in 0..20 {
        let reply = send(
            &mock,
            get("/pets/7")
                .header("x-api-key", "k")
                .header("prefer", format!("dynamic=true, seed={seed}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_documented(&contract, "getPet", &reply);
    }
}
