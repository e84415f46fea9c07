//! The control API under `/__kontrat/`: force answers, read recent requests, reset.
//!
//! | request | effect |
//! |---|---|
//! | `GET /__kontrat/` | what is served: title, version, operations, reloads (a browser, `Accept: text/html`, gets the dashboard) |
//! | `GET /__kontrat/operations` | every operation with its documented statuses and examples |
//! | `PUT /__kontrat/force/{operationId}` `{"status":401,"example":…,"dynamic":…,"delayMs":…}` | answer that way until deleted (`*`: every operation documenting the status) |
//! | `GET /__kontrat/force` | the forced answers |
//! | `DELETE /__kontrat/force/{operationId}`, `DELETE /__kontrat/force` | back to normal |
//! | `GET /__kontrat/requests?limit=50&operation=logout` | recent requests, the response chosen and why |
//! | `GET /__kontrat/requests/{seq}` | one of them, by the number `Prefer: journal` answers in `Kontrat-Request-Seq` |
//! | `DELETE /__kontrat/requests` | forget them |
//! | `GET /__kontrat/contract` | the contract as the dashboard shows it, and the last reload's failure |
//! | `GET /__kontrat/events` | server-sent events: `request`, `forced`, `cleared`, `contract` |
//! | `GET /__kontrat/ui/{file}` | the dashboard's scripts and styles |
//! | `POST /__kontrat/reset` | no forced answers, no recorded requests |
//!
//! Errors here are `application/problem+json`: this API is the mock's, not the contract's.

use std::collections::BTreeMap;
use std::sync::atomic::Ordering;

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::{Forced, Mock};

pub(crate) fn router() -> axum::Router<Mock> {
    // Nested under `/__kontrat`: `/` is `/__kontrat` itself; `/__kontrat/` is added by the
    // caller.
    axum::Router::new()
        .route("/", get(crate::dashboard::index))
        .route("/operations", get(operations))
        .route("/force", get(list_forced).delete(clear_forced))
        .route("/force/{operation}", put(force).delete(unforce))
        .route("/requests", get(requests).delete(clear_requests))
        .route("/requests/{seq}", get(request_by_seq))
        .route("/reset", post(reset))
        .merge(crate::dashboard::router())
        .fallback(|| async {
            problem(
                StatusCode::NOT_FOUND,
                "no such control endpoint; see GET /__kontrat/",
            )
        })
}

fn problem(status: StatusCode, detail: &str) -> Response {
    let body = json!({
        "type": "about:blank",
        "title": status.canonical_reason().unwrap_or("Error"),
        "status": status.as_u16(),
        "detail": detail,
    });
    (
        status,
        [(http::header::CONTENT_TYPE, "application/problem+json")],
        body.to_string(),
    )
        .into_response()
}

pub(crate) async fn info(State(mock): State<Mock>) -> Json<Value> {
    let compiled = mock.contract();
    let c = &compiled.contract;
    Json(json!({
        "title": c.title,
        "version": c.version,
        "operations": c.operations.len(),
        "envelope": c.envelope.as_ref().map(|e| e.schema.clone()),
        "reloads": mock.shared.reloads.load(Ordering::Relaxed),
        "staticExamples": mock.config().static_examples,
    }))
}

async fn operations(State(mock): State<Mock>) -> Json<Value> {
    let compiled = mock.contract();
    let list: Vec<Value> = compiled
        .contract
        .operations
        .iter()
        .map(|op| {
            let responses: Vec<Value> = op
                .responses
                .iter()
                .map(|r| {
                    let examples: Vec<&str> = r
                        .content
                        .values()
                        .flat_map(|m| m.examples.keys())
                        .filter(|k| !k.is_empty())
                        .map(String::as_str)
                        .collect();
                    json!({ "status": r.status.to_string(), "description": r.description, "examples": examples })
                })
                .collect();
            json!({
                "operationId": op.id,
                "method": op.method.as_str(),
                "path": op.path,
                "secured": op.requires_credentials(),
                "responses": responses,
            })
        })
        .collect();
    Json(Value::Array(list))
}

async fn list_forced(State(mock): State<Mock>) -> Json<BTreeMap<String, Forced>> {
    Json(mock.forced())
}

async fn clear_forced(State(mock): State<Mock>) -> StatusCode {
    mock.edit_forced(BTreeMap::clear);
    StatusCode::NO_CONTENT
}

async fn force(
    State(mock): State<Mock>,
    Path(operation): Path<String>,
    body: Result<Json<Forced>, JsonRejection>,
) -> Response {
    let forced = match body {
        Ok(Json(f)) => f,
        Err(e) => return problem(StatusCode::BAD_REQUEST, &e.body_text()),
    };
    if forced == Forced::default() {
        return problem(
            StatusCode::BAD_REQUEST,
            "say what to force: status, example, dynamic or delayMs",
        );
    }
    if forced.delay_ms.is_some_and(|d| d > 60_000) {
        return problem(StatusCode::BAD_REQUEST, "delayMs is at most 60000");
    }
    let compiled = mock.contract();
    let ops: Vec<_> = if operation == "*" {
        compiled.contract.operations.iter().collect()
    } else {
        match compiled.contract.operation(&operation) {
            Some(op) => vec![op],
            None => {
                let known: Vec<&str> = compiled
                    .contract
                    .operations
                    .iter()
                    .map(|o| o.id.as_str())
                    .collect();
                return problem(
                    StatusCode::NOT_FOUND,
                    &format!(
                        "no operation `{operation}`; operations: {}",
                        known.join(", ")
                    ),
                );
            }
        }
    };
    if let Some(status) = forced.status {
        if !ops.iter().any(|op| op.response_for(status).is_some()) {
            return problem(
                StatusCode::BAD_REQUEST,
                &format!("`{operation}` documents no {status} response"),
            );
        }
        if let Some(name) = &forced.example {
            let has = ops.iter().any(|op| {
                op.response_for(status)
                    .is_some_and(|r| r.content.values().any(|m| m.examples.contains_key(name)))
            });
            if !has {
                return problem(
                    StatusCode::BAD_REQUEST,
                    &format!("the {status} response of `{operation}` has no example `{name}`"),
                );
            }
        }
    } else if let Some(name) = &forced.example {
        let has = ops.iter().any(|op| {
            op.responses
                .iter()
                .any(|r| r.content.values().any(|m| m.examples.contains_key(name)))
        });
        if !has {
            return problem(
                StatusCode::BAD_REQUEST,
                &format!("no response of `{operation}` has an example `{name}`"),
            );
        }
    }
    mock.edit_forced(|f| f.insert(operation.clone(), forced.clone()));
    tracing::info!("control: {operation} forced to {forced:?}");
    Json(json!({ "operation": operation, "forced": forced })).into_response()
}

async fn unforce(State(mock): State<Mock>, Path(operation): Path<String>) -> Response {
    let removed = mock.edit_forced(|f| f.remove(&operation));
    match removed {
        Some(_) => StatusCode::NO_CONTENT.into_response(),
        None => problem(
            StatusCode::NOT_FOUND,
            &format!("nothing is forced for `{operation}`"),
        ),
    }
}

#[derive(Deserialize)]
struct RequestsQuery {
    limit: Option<usize>,
    operation: Option<String>,
}

async fn requests(
    State(mock): State<Mock>,
    query: Result<Query<RequestsQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let Ok(Query(q)) = query else {
        return problem(
            StatusCode::BAD_REQUEST,
            "query: limit is a number, operation an operationId",
        );
    };
    let entries = mock
        .shared
        .journal
        .recent(q.limit.unwrap_or(100), q.operation.as_deref());
    Json(entries).into_response()
}

async fn clear_requests(State(mock): State<Mock>) -> StatusCode {
    mock.clear_journal();
    StatusCode::NO_CONTENT
}

async fn request_by_seq(State(mock): State<Mock>, Path(seq): Path<String>) -> Response {
    let Ok(seq) = seq.parse::<u64>() else {
        return problem(
            StatusCode::BAD_REQUEST,
            "a request's number is a whole number",
        );
    };
    match mock.shared.journal.get(seq) {
        Some(entry) => Json(entry).into_response(),
        None => problem(
            StatusCode::NOT_FOUND,
            &format!("no request numbered {seq} is remembered"),
        ),
    }
}

async fn reset(State(mock): State<Mock>) -> StatusCode {
    mock.edit_forced(BTreeMap::clear);
    mock.clear_journal();
    tracing::info!("control: reset");
    StatusCode::NO_CONTENT
}
