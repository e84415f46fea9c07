//! The mock as one tower service: CORS first, then the control API or the contract.
//!
//! Why not an axum `Router` with the contract as its fallback and CORS as a `from_fn`
//! middleware (as before): per request, those cost a route lookup that always misses,
//! URL-parameter extensions, a boxed `Next` and two state clones, which came to a third of
//! the mock's own work on the auth spec (callgrind instruction counts, see
//! `benches/mock.sh`). Only `/__kontrat` requests go through a router now.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::extract::Request;
use axum::response::Response;
use tower::ServiceExt as _;

use crate::cors::{self, Cors};
use crate::{Mock, handler};

/// The mock's HTTP service ([`Mock::service`]): answers every request, never fails.
///
/// Cheap to clone; clones share the mock.
#[derive(Clone)]
pub struct MockService {
    mock: Mock,
    /// `/__kontrat/…`, state applied.
    control: axum::Router,
}

impl MockService {
    pub(crate) fn new(mock: Mock) -> Self {
        let control = axum::Router::new()
            .route("/__kontrat/", axum::routing::get(crate::dashboard::index))
            .nest("/__kontrat", crate::control::router())
            .with_state(mock.clone());
        Self { mock, control }
    }
}

impl std::fmt::Debug for MockService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockService").finish_non_exhaustive()
    }
}

impl<B> tower::Service<http::Request<B>> for MockService
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
        let mock = self.mock.clone();
        let control = is_control(request.uri().path()).then(|| self.control.clone());
        Box::pin(async move { Ok(answer(mock, control, request).await) })
    }
}

async fn answer(mock: Mock, control: Option<axum::Router>, request: Request) -> Response {
    let allowed = match cors::classify(&mock, &request) {
        Cors::Preflight(response) => return response,
        Cors::Actual { allowed } => Some(allowed),
        Cors::Off => None,
    };
    let mut response = match control {
        Some(router) => match router.oneshot(request).await {
            Ok(response) => response,
            Err(never) => match never {},
        },
        None => handler::handle(&mock, request).await,
    };
    if let Some(allowed) = allowed {
        cors::decorate(&mut response, allowed);
    }
    response
}

/// `/__kontrat` and below; `/__kontratX` is a contract path like any other.
fn is_control(path: &str) -> bool {
    path.strip_prefix("/__kontrat")
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}
