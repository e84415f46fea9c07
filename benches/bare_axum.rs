//! The ceiling for `benches/mock.sh`: a bare axum server answering the two benchmarked
//! requests with fixed bytes, validating nothing.
//!
//! `POST /api/v1/auth/refresh` reads the body and answers 200 with the spec's example
//! envelope; `POST /api/v1/auth/logout` answers the documented 401 envelope. The bodies have
//! the same bytes and length as `kontrat mock`'s answers (only the timestamp is the
//! example's, not "now") and the headers the same names (`vary`, `www-authenticate`), so
//! the two servers put the same bytes on the wire. Multi-thread tokio runtime, `TCP_NODELAY`
//! on every connection, like the mock.
//!
//! ```sh
//! cargo run --release --example bare-axum -- 4011   # or BARE_AXUM_PORT=4011; default 4011
//! ```

use axum::Router;
use axum::body::Bytes;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::post;
use axum::serve::ListenerExt as _;

const REFRESH_200: &str = concat!(
    r#"{"isSuccess":true,"statusCode":200,"data":{"#,
    r#""accessToken":"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxIiwiaWF0IjoxNzY4NDczMDAwfQ.c2lnbmF0dXJl","#,
    r#""refreshToken":"9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f","expiresIn":900,"tokenType":"Bearer"},"#,
    r#""errors":[],"timestamp":"2026-01-15T10:30:00.000Z"}"#
);

const UNAUTHORIZED_401: &str = concat!(
    r#"{"isSuccess":false,"statusCode":401,"data":null,"#,
    r#""errors":["Authentication required"],"timestamp":"2026-01-15T10:30:00.000Z"}"#
);

async fn refresh(_body: Bytes) -> impl IntoResponse {
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::VARY, "Origin"),
        ],
        REFRESH_200,
    )
}

async fn logout() -> impl IntoResponse {
    (
        StatusCode::UNAUTHORIZED,
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::WWW_AUTHENTICATE, "Bearer"),
            (header::VARY, "Origin"),
        ],
        UNAUTHORIZED_401,
    )
}

fn main() -> std::io::Result<()> {
    let port: u16 = std::env::args()
        .nth(1)
        .or_else(|| std::env::var("BARE_AXUM_PORT").ok())
        .map_or(Ok(4011), |p| p.parse())
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(async move {
            let app = Router::new()
                .route("/api/v1/auth/refresh", post(refresh))
                .route("/api/v1/auth/logout", post(logout));
            let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
            eprintln!("bare-axum on http://{}", listener.local_addr()?);
            let listener = listener.tap_io(|tcp| {
                let _ = tcp.set_nodelay(true);
            });
            axum::serve(listener, app).await
        })
}
