// Support (spec-independent)
// ─────────────────────────────────────────────────────────────────────────────────────────

/// The client: a base URL, a reqwest client and, for secured operations, a bearer token.
///
/// Cheap to clone (the reqwest client is reference counted). `Debug` never shows the
/// token.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    base_url: String,
{% if bearer %}    bearer_token: Option<BearerToken>,
{% endif %}}

impl Client {
    /// A client for `base_url`, e.g. `https://dev-api.example.com` (a trailing `/` is
    /// tolerated), with a default reqwest client.
    ///
    /// # Panics
    ///
    /// Like `reqwest::Client::new`, when the TLS backend cannot be initialised or the
    /// system resolver configuration cannot be loaded (an environment problem, independent
    /// of the arguments). Use [`Client::with_http_client`] to handle that yourself.
    pub fn new(base_url: impl Into<String>) -> Self {
        Client::with_http_client(base_url, reqwest::Client::new())
    }

    /// A client for one of the servers the spec documents.
    ///
    /// # Panics
    ///
    /// As [`Client::new`].
    pub fn for_server(server: Server) -> Self {
        Client::new(server.url())
    }

    /// A client for `base_url` using `http` (to set timeouts, proxies, TLS roots…).
    pub fn with_http_client(base_url: impl Into<String>, http: reqwest::Client) -> Self {
        let mut base_url: String = base_url.into();
        while base_url.ends_with('/') {
            base_url.pop();
        }
        Client {
            http,
            base_url,
{% if bearer %}            bearer_token: None,
{% endif %}        }
    }

{% if bearer %}    /// The same client, sending `Authorization: Bearer <token>` on secured operations.
    ///
    /// The token is pasted without the `Bearer` prefix; one leading `Bearer ` is
    /// tolerated (see [`BearerToken::new`]).
    #[must_use]
    pub fn with_bearer_token(mut self, token: impl Into<String>) -> Self {
        self.bearer_token = Some(BearerToken::new(token));
        self
    }

{% endif %}    /// The base URL, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The underlying reqwest client.
    pub fn http_client(&self) -> &reqwest::Client {
        &self.http
    }

    fn request(&self, method: http::Method, path: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, format!("{}{path}", self.base_url))
            .header(http::header::ACCEPT, "application/json")
    }

{% if bearer %}    /// Adds the bearer token, if any; without one the server answers 401.
    fn authorize(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match &self.bearer_token {
            Some(token) => request.bearer_auth(token.as_str()),
            None => request,
        }
    }
{% endif %}}

impl fmt::Debug for Client {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("Client")
            .field("base_url", &self.base_url)
{% if bearer %}            .field("bearer_token", &self.bearer_token)
{% endif %}
            .finish_non_exhaustive()
    }
}

/// A response as received: status, headers and the body bytes.
#[derive(Debug, Clone)]
pub struct RawResponse {
    /// The HTTP status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The body, exactly as received.
    pub body: Bytes,
}

impl RawResponse {
    /// The body as text, invalid UTF-8 replaced by `U+FFFD`.
    pub fn text_lossy(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.body)
    }
}

/// A decoded response, keeping the raw response it was decoded from.
///
/// Dereferences to the decoded value.
#[derive(Debug, Clone)]
pub struct ResponseValue<T> {
    raw: Box<RawResponse>,
    inner: T,
}

impl<T> ResponseValue<T> {
    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.raw.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.raw.headers
    }

    /// The body, exactly as received.
    pub fn raw_body(&self) -> &Bytes {
        &self.raw.body
    }

    /// The raw response.
    pub fn raw(&self) -> &RawResponse {
        &self.raw
    }

    /// The decoded value.
    pub fn into_inner(self) -> T {
        self.inner
    }

    /// The raw response and the decoded value.
    pub fn into_parts(self) -> (RawResponse, T) {
        (*self.raw, self.inner)
    }
}

{% if let Some((env, slot)) = envelope %}impl<T> ResponseValue<{{ env }}<T>> {
    /// The payload of the envelope (its data slot).
    pub fn data(&self) -> &T {
        &self.inner.{{ slot }}
    }

    /// The payload of the envelope (its data slot), dropping the rest.
    pub fn into_data(self) -> T {
        self.inner.{{ slot }}
    }
}
{% endif %}

impl<T> Deref for ResponseValue<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.inner
    }
}

/// What `.await` on a request builder runs: its `send()`, boxed (a builder's future type
/// cannot be named otherwise), so `client.operation(…).await` needs no `send()`.
pub type ResponseFuture<'a, T, E> = std::pin::Pin<
    Box<dyn std::future::Future<Output = Result<ResponseValue<T>, Error<E>>> + Send + 'a>,
>;

/// The failure of an operation; `E` is its enum of documented error responses.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// The request could not be built or sent, or the response could not be read
    /// (connection refused, timeout, invalid URL, TLS…).
    Transport(reqwest::Error),
    /// A documented error status, its body decoded.
    Documented(ResponseValue<E>),
    /// A documented status whose body does not decode as documented (empty, not JSON,
    /// wrong shape).
    InvalidBody {
        /// The response as received (boxed to keep `Error` small).
        raw: Box<RawResponse>,
        /// Why the body does not decode.
        source: serde_json::Error,
    },
    /// A status the spec does not document for this operation (the response as received,
    /// boxed to keep `Error` small).
    Undocumented(Box<RawResponse>),
}

impl<E> Error<E> {
    /// The HTTP status, if a response was received.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Transport(error) => error.status(),
            Error::Documented(value) => Some(value.status()),
            Error::InvalidBody { raw, .. } | Error::Undocumented(raw) => Some(raw.status),
        }
    }

    /// The response as received, if one was.
    pub fn raw(&self) -> Option<&RawResponse> {
        match self {
            Error::Transport(_) => None,
            Error::Documented(value) => Some(value.raw()),
            Error::InvalidBody { raw, .. } | Error::Undocumented(raw) => Some(raw),
        }
    }

    /// The documented error response, if this is one.
    pub fn documented(&self) -> Option<&E> {
        match self {
            Error::Documented(value) => Some(&**value),
            _ => None,
        }
    }

    /// The documented error response, if this is one.
    pub fn into_documented(self) -> Option<E> {
        match self {
            Error::Documented(value) => Some(value.into_inner()),
            _ => None,
        }
    }
}

impl<E: fmt::Display> fmt::Display for Error<E> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Transport(error) => write!(formatter, "transport error: {error}"),
            Error::Documented(value) => write!(formatter, "error response {}", &**value),
            Error::InvalidBody { raw, source } => write!(
                formatter,
                "response {} does not match the documented body: {source}",
                raw.status
            ),
            Error::Undocumented(raw) => {
                write!(formatter, "undocumented response status {}", raw.status)?;
                support::fmt_excerpt(formatter, raw)
            }
        }
    }
}

impl<E: fmt::Debug + fmt::Display> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(error) => Some(error),
            Error::InvalidBody { source, .. } => Some(source),
            Error::Documented(_) | Error::Undocumented(_) => None,
        }
    }
}

mod support {
    //! Not every spec uses every helper.
    #![allow(dead_code)]

    use std::fmt;

    use http::StatusCode;
    use serde::de::DeserializeOwned;

    use super::{Error, RawResponse, ResponseValue};

    /// How many characters of an undocumented body `Display` shows.
    const EXCERPT_CHARS: usize = 200;

    /// Sends the request and reads the whole response.
    pub(super) async fn execute<E>(
        request: reqwest::RequestBuilder,
    ) -> Result<Box<RawResponse>, Error<E>> {
        let response = request.send().await.map_err(Error::Transport)?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(Error::Transport)?;
        Ok(Box::new(RawResponse {
            status,
            headers,
            body,
        }))
    }

    /// Decodes a JSON body.
    pub(super) fn json<T: DeserializeOwned>(raw: &RawResponse) -> Result<T, serde_json::Error> {
        serde_json::from_slice(&raw.body)
    }

    /// A bodiless response: whatever came is kept in the raw response only.
    pub(super) fn empty(_raw: &RawResponse) -> Result<(), serde_json::Error> {
        Ok(())
    }

    /// A non-JSON body, as bytes.
    pub(super) fn bytes(raw: &RawResponse) -> Result<bytes::Bytes, serde_json::Error> {
        Ok(raw.body.clone())
    }

    /// Decodes the body of the (only) success status.
    pub(super) fn success<T, E>(
        raw: Box<RawResponse>,
        decode: fn(&RawResponse) -> Result<T, serde_json::Error>,
    ) -> Result<ResponseValue<T>, Error<E>> {
        success_variant_at(raw, decode, |_, body| body)
    }

    /// Decodes the body of one of several success statuses into its variant.
    pub(super) fn success_variant<B, S, E>(
        raw: Box<RawResponse>,
        decode: fn(&RawResponse) -> Result<B, serde_json::Error>,
        variant: impl FnOnce(B) -> S,
    ) -> Result<ResponseValue<S>, Error<E>> {
        success_variant_at(raw, decode, |_, body| variant(body))
    }

    /// [`success_variant`] for a variant that carries its status (ranges, `default`).
    pub(super) fn success_variant_at<B, S, E>(
        raw: Box<RawResponse>,
        decode: fn(&RawResponse) -> Result<B, serde_json::Error>,
        variant: impl FnOnce(StatusCode, B) -> S,
    ) -> Result<ResponseValue<S>, Error<E>> {
        match decode(&raw) {
            Ok(body) => {
                let inner = variant(raw.status, body);
                Ok(ResponseValue { raw, inner })
            }
            Err(source) => Err(Error::InvalidBody { raw, source }),
        }
    }

    /// Decodes the body of a documented error status into its variant.
    pub(super) fn failure<B, E, T>(
        raw: Box<RawResponse>,
        decode: fn(&RawResponse) -> Result<B, serde_json::Error>,
        variant: impl FnOnce(B) -> E,
    ) -> Result<ResponseValue<T>, Error<E>> {
        failure_at(raw, decode, |_, body| variant(body))
    }

    /// [`failure`] for a variant that carries its status (ranges, `default`).
    pub(super) fn failure_at<B, E, T>(
        raw: Box<RawResponse>,
        decode: fn(&RawResponse) -> Result<B, serde_json::Error>,
        variant: impl FnOnce(StatusCode, B) -> E,
    ) -> Result<ResponseValue<T>, Error<E>> {
        // Decoded as a success would be, then reported as the documented error it is.
        success_variant_at(raw, decode, variant).and_then(|documented| Err(Error::Documented(documented)))
    }

    /// A value as text: strings as they are, other scalars as JSON, arrays comma-joined.
    fn text(value: &serde_json::Value) -> String {
        match value {
            serde_json::Value::String(text) => text.clone(),
            serde_json::Value::Array(items) => items.iter().map(text).collect::<Vec<_>>().join(","),
            other => other.to_string(),
        }
    }

    /// One path segment, percent-encoded.
    pub(super) fn path_segment<T: serde::Serialize + ?Sized>(value: &T) -> String {
        let value = serde_json::to_value(value).unwrap_or_default();
        percent_encoding::utf8_percent_encode(&text(&value), SEGMENT).to_string()
    }

    /// Query pairs of one parameter (arrays exploded: `?id=1&id=2`).
    pub(super) fn query_pairs<T: serde::Serialize + ?Sized>(name: &str, value: &T) -> Vec<(String, String)> {
        match serde_json::to_value(value).unwrap_or_default() {
            serde_json::Value::Array(items) => items.iter().map(|item| (name.to_owned(), text(item))).collect(),
            serde_json::Value::Null => Vec::new(),
            other => vec![(name.to_owned(), text(&other))],
        }
    }

    /// Adds the query pairs of one parameter (arrays exploded: `?id=1&id=2`; `None` adds
    /// nothing).
    pub(super) fn query<T: serde::Serialize + ?Sized>(
        request: reqwest::RequestBuilder,
        name: &str,
        value: &T,
    ) -> reqwest::RequestBuilder {
        request.query(&query_pairs(name, value))
    }

    /// Adds a header parameter (arrays comma-joined; `None` adds nothing).
    pub(super) fn header<T: serde::Serialize + ?Sized>(
        request: reqwest::RequestBuilder,
        name: &'static str,
        value: &T,
    ) -> reqwest::RequestBuilder {
        match serde_json::to_value(value).unwrap_or_default() {
            serde_json::Value::Null => request,
            value => request.header(name, text(&value)),
        }
    }

    /// A cookie parameter's value, percent-encoded (`None` when absent).
    pub(super) fn cookie_value<T: serde::Serialize + ?Sized>(value: &T) -> Option<String> {
        match serde_json::to_value(value).unwrap_or_default() {
            serde_json::Value::Null => None,
            value => Some(percent_encoding::utf8_percent_encode(&text(&value), SEGMENT).to_string()),
        }
    }

    /// Adds the cookies that have a value, in one `Cookie` header.
    pub(super) fn cookies(
        request: reqwest::RequestBuilder,
        cookies: &[(&str, Option<String>)],
    ) -> reqwest::RequestBuilder {
        let pairs: Vec<String> = cookies
            .iter()
            .filter_map(|(name, value)| value.as_ref().map(|value| format!("{name}={value}")))
            .collect();
        if pairs.is_empty() {
            request
        } else {
            request.header(http::header::COOKIE, pairs.join("; "))
        }
    }

    /// A JSON body of `content_type`.
    pub(super) fn send_json<T: serde::Serialize + ?Sized>(
        request: reqwest::RequestBuilder,
        content_type: &'static str,
        body: &T,
    ) -> reqwest::RequestBuilder {
        request.header(http::header::CONTENT_TYPE, content_type).json(body)
    }

    /// A raw body of `content_type`.
    pub(super) fn send_bytes(
        request: reqwest::RequestBuilder,
        content_type: &'static str,
        body: &bytes::Bytes,
    ) -> reqwest::RequestBuilder {
        request.header(http::header::CONTENT_TYPE, content_type).body(body.clone())
    }

{% if multipart %}    /// The value of a multipart text part: strings as they are, other scalars as JSON.
    pub(super) fn part_text<T: serde::Serialize + ?Sized>(value: &T) -> String {
        text(&serde_json::to_value(value).unwrap_or_default())
    }

    /// A multipart file part.
    pub(super) fn file_part(
        file: &crate::types::FilePart,
    ) -> Result<reqwest::multipart::Part, reqwest::Error> {
        let part = reqwest::multipart::Part::bytes(file.bytes.to_vec()).file_name(file.file_name.clone());
        match &file.content_type {
            Some(content_type) => part.mime_str(content_type),
            None => Ok(part),
        }
    }

    /// One file part per file, all named `name`.
    pub(super) fn file_parts(
        form: reqwest::multipart::Form,
        name: &'static str,
        files: &[crate::types::FilePart],
    ) -> Result<reqwest::multipart::Form, reqwest::Error> {
        files.iter().try_fold(form, |form, file| Ok(form.part(name, file_part(file)?)))
    }

    /// One text part per item, all named `name`.
    pub(super) fn text_parts<T: serde::Serialize>(
        form: reqwest::multipart::Form,
        name: &'static str,
        items: &[T],
    ) -> reqwest::multipart::Form {
        items.iter().fold(form, |form, item| form.text(name, part_text(item)))
    }

    /// A multipart part holding JSON.
    pub(super) fn json_part<T: serde::Serialize + ?Sized>(
        value: &T,
    ) -> Result<reqwest::multipart::Part, reqwest::Error> {
        reqwest::multipart::Part::text(serde_json::to_string(value).unwrap_or_default())
            .mime_str("application/json")
    }

{% endif %}    /// Everything but RFC 3986 unreserved characters is encoded in path segments.
    const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');

    /// `409 Conflict: message; message`.
    pub(super) fn fmt_documented(
        formatter: &mut fmt::Formatter<'_>,
        status: StatusCode,
        errors: &[String],
    ) -> fmt::Result {
        if errors.is_empty() {
            write!(formatter, "{status} (no error messages)")
        } else {
            write!(formatter, "{status}: {}", errors.join("; "))
        }
    }

    /// `: <the first characters of the body>`, if there is a body.
    pub(super) fn fmt_excerpt(formatter: &mut fmt::Formatter<'_>, raw: &RawResponse) -> fmt::Result {
        let text = raw.text_lossy();
        let text = text.trim();
        if text.is_empty() {
            return Ok(());
        }
        let excerpt: String = text.chars().take(EXCERPT_CHARS).collect();
        let ellipsis = if excerpt.len() < text.len() { "…" } else { "" };
        write!(formatter, ": {excerpt}{ellipsis}")
    }
}
