//! Talking to the target: its URL, the HTTP client, and what a forwarded message keeps.

use std::sync::Arc;

use axum::body::Body;
use http::header::{self, HeaderMap, HeaderName};
use http::uri::{Authority, PathAndQuery, Scheme, Uri};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

use crate::ProxyError;

/// The client that forwards requests: HTTP/1.1, pooled keep-alive connections, http or
/// https (rustls with the platform's roots).
pub(crate) type Client =
    hyper_util::client::legacy::Client<hyper_rustls::HttpsConnector<HttpConnector>, Body>;

pub(crate) fn client() -> Result<Client, ProxyError> {
    let mut http = HttpConnector::new();
    http.enforce_http(false);
    http.set_nodelay(true);
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let https = hyper_rustls::HttpsConnectorBuilder::new()
        .with_provider_and_platform_verifier(provider)
        .map_err(|e| ProxyError::Tls(e.to_string()))?
        .https_or_http()
        .enable_http1()
        .wrap_connector(http);
    Ok(hyper_util::client::legacy::Client::builder(TokioExecutor::new()).build(https))
}

/// The implementation's base URL, split for building request URIs.
#[derive(Debug, Clone)]
pub(crate) struct Target {
    scheme: Scheme,
    authority: Authority,
    /// Put before every request path (no trailing slash; empty for none).
    base_path: String,
    /// As given, without a trailing slash: for messages and replayable requests.
    pub(crate) url: String,
}

impl Target {
    pub(crate) fn parse(url: &str) -> Result<Self, ProxyError> {
        let bad = || ProxyError::Target(url.to_owned());
        let uri: Uri = url.trim().parse().map_err(|_| bad())?;
        let scheme = uri.scheme().cloned().ok_or_else(bad)?;
        if scheme != Scheme::HTTP && scheme != Scheme::HTTPS {
            return Err(bad());
        }
        let authority = uri.authority().cloned().ok_or_else(bad)?;
        if uri.query().is_some() || authority.as_str().contains('@') {
            return Err(bad());
        }
        Ok(Self {
            base_path: uri.path().trim_end_matches('/').to_owned(),
            url: format!("{scheme}://{authority}{}", uri.path().trim_end_matches('/')),
            scheme,
            authority,
        })
    }

    /// The target's URI for a request to `path_and_query` on the proxy.
    pub(crate) fn uri_for(&self, path_and_query: Option<&PathAndQuery>) -> Option<Uri> {
        let pq = path_and_query.map_or("/", PathAndQuery::as_str);
        let joined = if self.base_path.is_empty() {
            PathAndQuery::try_from(pq).ok()?
        } else {
            PathAndQuery::try_from(format!("{}{pq}", self.base_path)).ok()?
        };
        Uri::builder()
            .scheme(self.scheme.clone())
            .authority(self.authority.clone())
            .path_and_query(joined)
            .build()
            .ok()
    }
}

/// Headers that belong to one connection, not to the message (RFC 9110 §7.6.1): never
/// forwarded, either way.
const HOP_BY_HOP: [HeaderName; 9] = [
    header::CONNECTION,
    HeaderName::from_static("keep-alive"),
    HeaderName::from_static("proxy-connection"),
    header::PROXY_AUTHENTICATE,
    header::PROXY_AUTHORIZATION,
    header::TE,
    header::TRAILER,
    header::TRANSFER_ENCODING,
    header::UPGRADE,
];

/// Removes hop-by-hop headers, and those the `Connection` header names.
pub(crate) fn strip_hop_by_hop(headers: &mut HeaderMap) {
    let named: Vec<HeaderName> = headers
        .get_all(header::CONNECTION)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|n| HeaderName::from_bytes(n.trim().as_bytes()).ok())
        .collect();
    for name in HOP_BY_HOP.iter().chain(&named) {
        headers.remove(name);
    }
}

/// The request to send to the target: the app's, minus hop-by-hop headers, `Host` (the
/// client sets the target's) and `Accept-Encoding` (the proxy must read the answer).
pub(crate) fn request(
    target: &Target,
    parts: &http::request::Parts,
    body: Body,
) -> Option<http::Request<Body>> {
    let mut headers = parts.headers.clone();
    strip_hop_by_hop(&mut headers);
    headers.remove(header::HOST);
    headers.remove(header::ACCEPT_ENCODING);
    let mut request = http::Request::new(body);
    *request.method_mut() = parts.method.clone();
    *request.uri_mut() = target.uri_for(parts.uri.path_and_query())?;
    *request.headers_mut() = headers;
    Some(request)
}

/// A failure to get an answer, in words for the app and the report.
pub(crate) fn failure_text(target: &str, e: &hyper_util::client::legacy::Error) -> String {
    let mut chain = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        chain.push_str(": ");
        chain.push_str(&s.to_string());
        source = s.source();
    }
    let what = if e.is_connect() {
        "cannot connect to"
    } else {
        "no complete answer from"
    };
    format!("kontrat proxy: {what} the target {target} ({chain})")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_are_absolute_http_urls_and_prefix_paths() {
        let t = Target::parse("http://127.0.0.1:4020/base/").unwrap();
        assert_eq!(t.url, "http://127.0.0.1:4020/base");
        let pq = PathAndQuery::from_static("/api/v1/auth/refresh?x=1");
        assert_eq!(
            t.uri_for(Some(&pq)).unwrap().to_string(),
            "http://127.0.0.1:4020/base/api/v1/auth/refresh?x=1"
        );
        let t = Target::parse("https://dev.example.com").unwrap();
        assert_eq!(
            t.uri_for(Some(&pq)).unwrap().to_string(),
            "https://dev.example.com/api/v1/auth/refresh?x=1"
        );
        for bad in [
            "127.0.0.1:4020",
            "ftp://x",
            "/relative",
            "http://u:p@x",
            "http://x?q",
        ] {
            assert!(Target::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn hop_by_hop_headers_and_those_connection_names_are_dropped() {
        let mut h = HeaderMap::new();
        h.insert(header::CONNECTION, "keep-alive, x-private".parse().unwrap());
        h.insert("x-private", "1".parse().unwrap());
        h.insert(header::TRANSFER_ENCODING, "chunked".parse().unwrap());
        h.insert(header::CONTENT_TYPE, "application/json".parse().unwrap());
        strip_hop_by_hop(&mut h);
        assert_eq!(h.len(), 1, "{h:?}");
    }
}
