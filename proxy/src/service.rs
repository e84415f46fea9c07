//! The proxy as one tower service: its control API, CORS preflights when CORS is its own,
//! and every other request forwarded.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::response::Response;
use tower::ServiceExt as _;

use crate::{Proxy, exchange};

/// The proxy's HTTP service ([`Proxy::service`]): answers every request, never fails.
///
/// Cheap to clone; clones share the proxy.
#[derive(Clone)]
pub struct ProxyService {
    proxy: Proxy,
    /// `/__kontrat/…`, state applied.
    control: axum::Router,
}

impl ProxyService {
    pub(crate) fn new(proxy: Proxy) -> Self {
        let control = crate::control::router().with_state(proxy.clone());
        Self { proxy, control }
    }
}

impl std::fmt::Debug for ProxyService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProxyService").finish_non_exhaustive()
    }
}

impl<B> tower::Service<http::Request<B>> for ProxyService
where
    B: axum::body::HttpBody<Data = bytes::Bytes> + Send + 'static,
    B::Error: Into<axum::BoxError>,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: http::Request<B>) -> Self::Future {
        let request = request.map(axum::body::Body::new);
        let proxy = self.proxy.clone();
        if is_control(request.uri().path()) {
            let control = self.control.clone();
            return Box::pin(async move {
                match control.oneshot(request).await {
                    Ok(response) => Ok(response),
                    Err(never) => match never {},
                }
            });
        }
        let own_preflight = proxy.shared.config.cors.is_some()
            && kontrat_mock::is_preflight(request.method(), request.headers());
        Box::pin(async move {
            if own_preflight {
                // Answered from the contract, as the mock answers it.
                return match proxy.shared.mock.service().oneshot(request).await {
                    Ok(response) => Ok(response),
                    Err(never) => match never {},
                };
            }
            Ok(exchange::exchange(&proxy, request).await)
        })
    }
}

/// `/__kontrat` and below; `/__kontratX` is a path like any other.
fn is_control(path: &str) -> bool {
    path.strip_prefix("/__kontrat")
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}
