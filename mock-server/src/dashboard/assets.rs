//! The dashboard's files, compiled into the binary, and the headers they are served with.
//!
//! The page's Content-Security-Policy allows scripts and styles from the mock only and
//! enforces Trusted Types, so assigning a string to `innerHTML` throws: text from the
//! spec can reach the page only as text, whatever a future change of the scripts does.

use axum::extract::Path;
use axum::response::{IntoResponse, Response};
use http::{HeaderMap, HeaderValue, StatusCode, header};

/// One file of the dashboard.
struct Asset {
    name: &'static str,
    content_type: &'static str,
    body: &'static str,
    /// A hash of `body`, for `ETag`.
    hash: u64,
}

macro_rules! asset {
    ($name:literal, $type:expr) => {{
        const BODY: &str = include_str!(concat!("../../dashboard/", $name));
        Asset {
            name: $name,
            content_type: $type,
            body: BODY,
            hash: fnv1a(BODY.as_bytes()),
        }
    }};
}

const JS: &str = "text/javascript; charset=utf-8";

/// The page, then the files it loads.
const PAGE: Asset = asset!("index.html", "text/html; charset=utf-8");
const ASSETS: &[Asset] = &[
    asset!("style.css", "text/css; charset=utf-8"),
    asset!("app.js", JS),
    asset!("api.js", JS),
    asset!("dom.js", JS),
    asset!("markdown.js", JS),
    asset!("reference.js", JS),
    asset!("playground.js", JS),
    asset!("forced.js", JS),
    asset!("log.js", JS),
    asset!("curl.js", JS),
    asset!("request.js", JS),
];

/// What the page may load and run: itself, and requests to any http(s) server (the
/// playground calls the servers the spec lists, which a reload can change).
const POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
    connect-src 'self' http: https:; img-src 'self' data:; base-uri 'none'; \
    form-action 'none'; frame-ancestors 'none'; require-trusted-types-for 'script'; \
    trusted-types 'none'";

/// FNV-1a, 64 bits: computed at compile time, good enough to tell versions apart.
const fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut i = 0;
    while i < bytes.len() {
        hash ^= bytes[i] as u64;
        hash = hash.wrapping_mul(0x0100_0000_01b3);
        i += 1;
    }
    hash
}

/// The dashboard page.
pub(crate) fn page(request: &HeaderMap) -> Response {
    let mut response = serve(&PAGE, request);
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(POLICY),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

/// `GET /__kontrat/ui/{file}`.
pub(crate) async fn asset(Path(file): Path<String>, request: HeaderMap) -> Response {
    match ASSETS.iter().find(|a| a.name == file) {
        Some(asset) => serve(asset, &request),
        None => (
            StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "no such dashboard file",
        )
            .into_response(),
    }
}

/// `asset`, or 304 when the client has this version. `no-cache`: a browser asks again
/// each time (cheap, local) so a new binary's page is never mixed with old scripts.
fn serve(asset: &Asset, request: &HeaderMap) -> Response {
    let etag = format!("\"{:016x}\"", asset.hash);
    let fresh = request
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|tag| tag.trim() == etag || tag.trim() == "*");
    let mut response = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static(asset.content_type),
            )],
            asset.body,
        )
            .into_response()
    };
    let headers = response.headers_mut();
    if let Ok(tag) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, tag);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_module_the_scripts_import_is_served() {
        for asset in ASSETS.iter().chain(std::iter::once(&PAGE)) {
            for line in asset.body.lines() {
                let line = line.trim();
                let Some(from) = line
                    .strip_prefix("import ")
                    .and_then(|l| l.split(" from ").nth(1))
                else {
                    continue;
                };
                let target = from.trim_matches(|c| c == '"' || c == ';' || c == '\'');
                let name = target.trim_start_matches("./");
                assert!(
                    ASSETS.iter().any(|a| a.name == name),
                    "{} imports {target}, which is not served",
                    asset.name
                );
            }
        }
    }

    #[test]
    fn the_page_loads_only_served_files() {
        for src in PAGE.body.split("/__kontrat/ui/").skip(1) {
            let name = src.split('"').next().unwrap_or_default();
            assert!(ASSETS.iter().any(|a| a.name == name), "{name}");
        }
    }
}
