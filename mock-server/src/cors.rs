//! CORS for browsers: preflights answered from the contract, every answer decorated.
//!
//! Why not tower-http's `CorsLayer`: it answers *every* `OPTIONS` request as a preflight,
//! which would hide operations a spec documents on `OPTIONS` and the 405 for those it does
//! not; and the methods a preflight allows should be the path's documented ones.

use axum::extract::Request;
use axum::response::{IntoResponse, Response};
use http::{HeaderMap, HeaderValue, Method, StatusCode, header};

use crate::Mock;

/// Which origins may call the mock from a browser.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum CorsPolicy {
    /// Any origin, mirrored (credentials allowed, so never `*`).
    #[default]
    AnyOrigin,
    /// Only these origins (e.g. `http://localhost:5173`).
    Origins(Vec<String>),
    /// No CORS headers at all.
    Off,
}

impl CorsPolicy {
    /// Adds to `response` the CORS headers the mock gives an actual (not preflight)
    /// request with `request_headers` under this policy (nothing when it is `Off`).
    pub fn decorate_answer(&self, request_headers: &HeaderMap, response: &mut Response) {
        if *self == CorsPolicy::Off {
            return;
        }
        let allowed = request_headers
            .get(header::ORIGIN)
            .filter(|o| self.allows(o))
            .cloned();
        decorate(response, allowed);
    }

    fn allows(&self, origin: &HeaderValue) -> bool {
        match self {
            CorsPolicy::AnyOrigin => true,
            CorsPolicy::Origins(list) => list.iter().any(|o| o.as_bytes() == origin.as_bytes()),
            CorsPolicy::Off => false,
        }
    }
}

/// What CORS makes of a request.
pub(crate) enum Cors {
    /// A preflight, answered here.
    Preflight(Response),
    /// An actual request: decorate its answer with [`decorate`].
    Actual {
        /// The request's `Origin` when the policy allows it.
        allowed: Option<HeaderValue>,
    },
    /// CORS is off.
    Off,
}

/// Answers a preflight, or says how to decorate the answer of an actual request.
pub(crate) fn classify(mock: &Mock, request: &Request) -> Cors {
    let policy = &mock.shared.config.cors;
    if *policy == CorsPolicy::Off {
        return Cors::Off;
    }
    let origin = request.headers().get(header::ORIGIN).cloned();
    let preflight = is_preflight(request.method(), request.headers());
    let allowed = origin.filter(|o| policy.allows(o));
    if preflight {
        let mut response = StatusCode::NO_CONTENT.into_response();
        let headers = response.headers_mut();
        vary(headers, true);
        if let Some(origin) = allowed {
            let methods = mock.methods_of(request.uri().path());
            let methods = if methods.is_empty() {
                // An undocumented path: let the real request through to its 404 answer,
                // which a browser can read, rather than fail it as a CORS error.
                request
                    .headers()
                    .get(header::ACCESS_CONTROL_REQUEST_METHOD)
                    .cloned()
                    .unwrap_or(HeaderValue::from_static("GET"))
            } else {
                HeaderValue::from_str(&methods.join(", "))
                    .unwrap_or(HeaderValue::from_static("GET"))
            };
            headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            headers.insert(
                header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
                HeaderValue::from_static("true"),
            );
            headers.insert(header::ACCESS_CONTROL_ALLOW_METHODS, methods);
            if let Some(asked) = request
                .headers()
                .get(header::ACCESS_CONTROL_REQUEST_HEADERS)
            {
                headers.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, asked.clone());
            }
            headers.insert(
                header::ACCESS_CONTROL_MAX_AGE,
                HeaderValue::from_static("600"),
            );
        }
        mock.record_preflight(request, response.status());
        return Cors::Preflight(response);
    }
    Cors::Actual { allowed }
}

/// True for a CORS preflight: `OPTIONS` with `Origin` and `Access-Control-Request-Method`.
pub fn is_preflight(method: &Method, headers: &HeaderMap) -> bool {
    method == Method::OPTIONS
        && headers.contains_key(header::ORIGIN)
        && headers.contains_key(header::ACCESS_CONTROL_REQUEST_METHOD)
}

/// Adds the CORS headers of an actual request's answer (`allowed`: its permitted origin).
pub(crate) fn decorate(response: &mut Response, allowed: Option<HeaderValue>) {
    let headers = response.headers_mut();
    vary(headers, false);
    if let Some(origin) = allowed {
        let exposed: Vec<&str> = headers
            .keys()
            .map(|k| k.as_str())
            .filter(|k| !SAFELISTED.contains(k) && !k.starts_with("access-control-"))
            .collect();
        if let Ok(expose) = HeaderValue::from_str(&exposed.join(", "))
            && !exposed.is_empty()
        {
            headers.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, expose);
        }
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
            HeaderValue::from_static("true"),
        );
    }
}

/// Response headers a browser shows scripts without being told.
const SAFELISTED: &[&str] = &[
    "cache-control",
    "content-language",
    "content-length",
    "content-type",
    "expires",
    "last-modified",
    "pragma",
    "vary",
];

fn vary(headers: &mut HeaderMap, preflight: bool) {
    let value = if preflight {
        "Origin, Access-Control-Request-Method, Access-Control-Request-Headers"
    } else {
        "Origin"
    };
    headers.append(header::VARY, HeaderValue::from_static(value));
}
