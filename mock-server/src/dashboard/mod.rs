//! The dashboard at `/__kontrat/`: the contract as a live reference, a playground, forced
//! answers and the request log, in one page for frontend developers.
//!
//! The page is plain HTML, CSS and ES modules compiled into the binary ([`assets`]): no
//! CDN, no build step. It reads the contract from [`view`] and follows the mock through
//! server-sent [`events`]; everything else it does goes through the JSON control API
//! (`/__kontrat/force`, `/__kontrat/requests`). The same URL answers JSON unless the
//! client asks for HTML ([`wants_html`]), so scripts using the control API are unaffected.

mod assets;
mod events;
mod fields;
mod markdown;
mod view;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use http::{HeaderMap, HeaderValue, header};

use crate::Mock;

pub(crate) use view::ViewCache;

/// The dashboard's routes under `/__kontrat` (the page itself is [`index`]).
pub(crate) fn router() -> axum::Router<Mock> {
    axum::Router::new()
        .route("/contract", get(view::contract))
        .route("/events", get(events::events))
        .route("/ui/{file}", get(assets::asset))
}

/// `GET /__kontrat/`: the dashboard for a browser, what is served (JSON) for anyone else.
pub(crate) async fn index(State(mock): State<Mock>, headers: HeaderMap) -> Response {
    let mut response = if wants_html(&headers) {
        assets::page(&headers)
    } else {
        crate::control::info(State(mock)).await.into_response()
    };
    response
        .headers_mut()
        .append(header::VARY, HeaderValue::from_static("Accept"));
    response
}

/// True when `Accept` names `text/html` and prefers it to `application/json` (browsers'
/// navigations do; `fetch`, curl and HTTP libraries send `*/*` or ask for JSON).
pub(crate) fn wants_html(headers: &HeaderMap) -> bool {
    let mut html: Option<f32> = None;
    let mut json: Option<f32> = None;
    for value in headers.get_all(header::ACCEPT) {
        let Ok(text) = value.to_str() else { continue };
        for range in text.split(',') {
            let mut parts = range.split(';');
            let media = parts.next().unwrap_or_default().trim();
            let q = parts
                .filter_map(|p| p.split_once('='))
                .find(|(k, _)| k.trim().eq_ignore_ascii_case("q"))
                .map_or(Some(1.0), |(_, v)| v.trim().parse::<f32>().ok())
                .filter(|q| q.is_finite())
                .unwrap_or(0.0);
            if media.eq_ignore_ascii_case("text/html") {
                html = Some(html.map_or(q, |h| h.max(q)));
            } else if media.eq_ignore_ascii_case("application/json") {
                json = Some(json.map_or(q, |j| j.max(q)));
            }
        }
    }
    match (html, json) {
        (Some(h), None) => h > 0.0,
        (Some(h), Some(j)) => h > 0.0 && h > j,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(values: &[&str]) -> bool {
        let mut headers = HeaderMap::new();
        for v in values {
            headers.append(header::ACCEPT, v.parse().unwrap());
        }
        wants_html(&headers)
    }

    #[test]
    fn browsers_get_html_and_everyone_else_json() {
        // Chromium's and Firefox's navigation headers.
        assert!(accept(&[
            "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7"
        ]));
        assert!(accept(&[
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
        ]));
        assert!(accept(&["application/json;q=0.5", "TEXT/HTML"]));
        assert!(!accept(&[]));
        assert!(!accept(&["*/*"]));
        assert!(!accept(&["application/json"]));
        assert!(!accept(&["text/html;q=0"]));
        assert!(
            !accept(&["text/html, application/json"]),
            "a tie keeps JSON"
        );
        assert!(!accept(&["text/html;q=nonsense"]));
        assert!(!accept(&["text/html;q=NaN"]));
    }
}
