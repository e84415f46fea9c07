//! Reading a body whole when it is small enough to check, and passing it on either way.
//!
//! A JSON document can only be judged whole, so bodies up to the check limit are
//! collected; a larger one is passed on as what was read so far followed by the rest of
//! the stream, never held in memory.

use std::time::Duration;

use axum::body::Body;
use bytes::{Bytes, BytesMut};
use http_body_util::BodyExt as _;

/// A body, read as far as the limit allowed.
pub(crate) enum Read {
    /// The whole body.
    Whole(Bytes),
    /// More than the limit: what was read, and the rest still to stream.
    Partial {
        /// The chunks read so far.
        read: Vec<Bytes>,
        /// The rest of the stream.
        rest: Body,
    },
}

impl Read {
    /// The whole body, when it was read whole.
    pub(crate) fn whole(&self) -> Option<&Bytes> {
        match self {
            Read::Whole(b) => Some(b),
            Read::Partial { .. } => None,
        }
    }

    /// The body to pass on: the same bytes, in order.
    pub(crate) fn into_body(self) -> Body {
        match self {
            Read::Whole(b) => Body::from(b),
            Read::Partial { read, rest } => {
                let read = futures_util::stream::iter(read.into_iter().map(Ok::<_, axum::Error>));
                Body::from_stream(futures_util::StreamExt::chain(
                    read,
                    rest.into_data_stream(),
                ))
            }
        }
    }
}

/// Why a body could not be read.
#[derive(Debug)]
pub(crate) enum ReadError {
    /// It did not arrive in time.
    Timeout,
    /// The stream broke.
    Broken(String),
}

/// Reads `body` whole if it has at most `limit` bytes; stops reading past that.
pub(crate) async fn read_up_to(mut body: Body, limit: usize) -> Result<Read, ReadError> {
    let mut read: Vec<Bytes> = Vec::new();
    let mut size = 0usize;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| ReadError::Broken(e.to_string()))?;
        // Trailers are rare in APIs and have no place in the contract; data is what counts.
        let Ok(data) = frame.into_data() else {
            continue;
        };
        size += data.len();
        read.push(data);
        if size > limit {
            return Ok(Read::Partial { read, rest: body });
        }
    }
    Ok(Read::Whole(match read.len() {
        0 => Bytes::new(),
        1 => read.pop().unwrap_or_default(),
        _ => {
            let mut joined = BytesMut::with_capacity(size);
            read.iter().for_each(|b| joined.extend_from_slice(b));
            joined.freeze()
        }
    }))
}

/// [`read_up_to`], with a timer only when the body is not there at once: small bodies
/// usually arrive with the headers, and a timer per request costs measurably under load.
pub(crate) async fn read_up_to_within(
    body: Body,
    limit: usize,
    timeout: Duration,
) -> Result<Read, ReadError> {
    let mut reading = std::pin::pin!(read_up_to(body, limit));
    let first = std::future::poll_fn(|cx| std::task::Poll::Ready(reading.as_mut().poll(cx))).await;
    match first {
        std::task::Poll::Ready(done) => done,
        std::task::Poll::Pending => tokio::time::timeout(timeout, reading)
            .await
            .unwrap_or(Err(ReadError::Timeout)),
    }
}
