//! The control API under `/__kontrat/`: what was seen, and a reset between test runs.
//!
//! | request | effect |
//! |---|---|
//! | `GET /__kontrat/` | target, contract, counts (the summary without the findings) |
//! | `GET /__kontrat/violations` | every finding kept, oldest first (`?side=request`, `response` or `transport` for one side) |
//! | `POST /__kontrat/reset` | forget findings, counts and observed responses |
//!
//! Errors here are `application/problem+json`: this API is the proxy's, not the contract's.

use axum::Json;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use http::StatusCode;
use serde::Deserialize;
use serde_json::json;

use crate::{Proxy, Side};

pub(crate) fn router() -> axum::Router<Proxy> {
    axum::Router::new()
        .route("/__kontrat", get(info))
        .route("/__kontrat/", get(info))
        .route("/__kontrat/violations", get(violations))
        .route("/__kontrat/reset", post(reset))
        .fallback(|| async {
            problem(
                StatusCode::NOT_FOUND,
                "no such control endpoint; the proxy has GET /__kontrat/, GET /__kontrat/violations and POST /__kontrat/reset",
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

async fn info(State(proxy): State<Proxy>) -> Json<serde_json::Value> {
    let mut summary = proxy.summary().to_json();
    if let Some(map) = summary.as_object_mut() {
        map.remove("violations");
    }
    Json(summary)
}

#[derive(Deserialize)]
struct ViolationsQuery {
    side: Option<String>,
}

async fn violations(
    State(proxy): State<Proxy>,
    query: Result<Query<ViolationsQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let side = match query.as_ref().map(|q| q.side.as_deref()) {
        Ok(None) => None,
        Ok(Some("request")) => Some(Side::Request),
        Ok(Some("response")) => Some(Side::Response),
        Ok(Some("transport")) => Some(Side::Transport),
        _ => {
            return problem(
                StatusCode::BAD_REQUEST,
                "query: side is request, response or transport",
            );
        }
    };
    Json(proxy.shared.ledger.findings(side)).into_response()
}

async fn reset(State(proxy): State<Proxy>) -> StatusCode {
    proxy.reset();
    tracing::info!("control: reset");
    StatusCode::NO_CONTENT
}
