
/// The largest request body accepted, in bytes (1 MiB); larger bodies get a 413 envelope.
pub const BODY_LIMIT: usize = 1024 * 1024;

/// The first message of 405 envelopes (the spec documents no 405).
const MESSAGE_METHOD_NOT_ALLOWED: &str = "Method not allowed";
/// The first message of 413 envelopes (the spec documents no 413).
const MESSAGE_PAYLOAD_TOO_LARGE: &str = "Payload too large";
/// The first message of 500 envelopes (the spec documents no 500).
const MESSAGE_INTERNAL_SERVER_ERROR: &str = "Internal server error";

{% if bearer %}/// Why the bearer token of a secured operation was refused: a 401 envelope
/// `["Authentication required", "<why>"]` with `WWW-Authenticate: Bearer`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuthRejection {
    /// There is no `Authorization` header.
    MissingHeader,
    /// There is more than one `Authorization` header.
    MultipleHeaders,
    /// The `Authorization` header is not visible ASCII text.
    NotText,
    /// The scheme is not `Bearer` (case-insensitive), e.g. `Basic`.
    WrongScheme {
        /// The scheme sent (never the credentials).
        scheme: String,
    },
    /// The scheme is `Bearer` but the token is empty.
    EmptyToken,
}

impl AuthRejection {
    /// Always `401 Unauthorized`.
    pub fn status(&self) -> http::StatusCode {
        http::StatusCode::UNAUTHORIZED
    }

    /// The `errors` of the envelope: the documented message, then why.
    pub fn errors(&self) -> Vec<String> {
        vec![MESSAGE_UNAUTHORIZED.to_owned(), self.to_string()]
    }
}

impl std::fmt::Display for AuthRejection {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AuthRejection::MissingHeader => formatter.write_str(
                "missing Authorization header; expected `Authorization: Bearer <token>`",
            ),
            AuthRejection::MultipleHeaders => {
                formatter.write_str("more than one Authorization header")
            }
            AuthRejection::NotText => {
                formatter.write_str("the Authorization header is not visible ASCII text")
            }
            AuthRejection::WrongScheme { scheme } => write!(
                formatter,
                "unsupported authorization scheme `{scheme}`; expected `Bearer`"
            ),
            AuthRejection::EmptyToken => formatter.write_str("the bearer token is empty"),
        }
    }
}

impl std::error::Error for AuthRejection {}

impl IntoResponse for AuthRejection {
    fn into_response(self) -> Response {
        let mut response = support::error_response(self.status(), self.errors());
        response.headers_mut().insert(
            http::header::WWW_AUTHENTICATE,
            http::HeaderValue::from_static("Bearer"),
        );
        response
    }
}

/// The documented answer, so that handlers can use `?`.
impl From<AuthRejection> for Response {
    fn from(rejection: AuthRejection) -> Self {
        rejection.into_response()
    }
}

{% endif %}/// Why a request body was refused: a 400 envelope `["Validation failed", "<what>"]`,
/// except [`BodyRejection::TooLarge`] (413).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum BodyRejection {
    /// There is no `Content-Type` header.
    MissingContentType,
    /// The `Content-Type` is not `application/json`.
    UnsupportedContentType {
        /// The content type sent.
        content_type: String,
    },
    /// The `Content-Type` of a form body is missing or not
    /// `application/x-www-form-urlencoded`.
    NotFormContentType {
        /// The content type sent, if any.
        content_type: Option<String>,
    },
    /// The body is larger than [`BODY_LIMIT`] (413).
    TooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
    /// The body could not be read.
    Unreadable {
        /// Why.
        message: String,
    },
    /// The body is empty.
    Empty,
    /// The body is not JSON.
    MalformedJson {
        /// The JSON error, with line and column.
        message: String,
    },
    /// The JSON does not have the documented shape: wrong type, missing field, unknown
    /// field.
    InvalidShape {
        /// Where: the field path (`refreshToken`), or `body` for the whole body.
        path: String,
        /// What is wrong.
        message: String,
    },
{% if !multipart_types.is_empty() %}    /// The `Content-Type` of a multipart body is missing, not `multipart/form-data`, or
    /// has no boundary.
    NotMultipartContentType {
        /// The content type sent, if any.
        content_type: Option<String>,
    },
    /// The multipart body is not well-formed.
    MalformedMultipart {
        /// What the parser said.
        message: String,
    },
{% endif %}    /// The body violates constraints of the spec (see [`Validate`]).
    ConstraintViolations {
        /// One message per violation, like `refreshToken: must be at least 16 characters`.
        errors: Vec<String>,
    },
}

impl BodyRejection {
    /// `413 Payload Too Large` for [`BodyRejection::TooLarge`], `400 Bad Request` otherwise.
    pub fn status(&self) -> http::StatusCode {
        match self {
            BodyRejection::TooLarge { .. } => http::StatusCode::PAYLOAD_TOO_LARGE,
            _ => http::StatusCode::BAD_REQUEST,
        }
    }

    /// The `errors` of the envelope: the documented message, then what was wrong.
    pub fn errors(&self) -> Vec<String> {
        match self {
            BodyRejection::TooLarge { .. } => {
                vec![MESSAGE_PAYLOAD_TOO_LARGE.to_owned(), self.to_string()]
            }
            BodyRejection::ConstraintViolations { errors } => {
                let mut all = Vec::with_capacity(errors.len() + 1);
                all.push(MESSAGE_BAD_REQUEST.to_owned());
                all.extend(errors.iter().cloned());
                all
            }
            _ => vec![MESSAGE_BAD_REQUEST.to_owned(), self.to_string()],
        }
    }
}

impl std::fmt::Display for BodyRejection {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BodyRejection::MissingContentType => {
                formatter.write_str("missing Content-Type header; expected `application/json`")
            }
            BodyRejection::UnsupportedContentType { content_type } => write!(
                formatter,
                "unsupported Content-Type `{content_type}`; expected `application/json`"
            ),
            BodyRejection::NotFormContentType { content_type: None } => formatter
                .write_str("missing Content-Type header; expected `application/x-www-form-urlencoded`"),
            BodyRejection::NotFormContentType { content_type: Some(content_type) } => write!(
                formatter,
                "unsupported Content-Type `{content_type}`; expected `application/x-www-form-urlencoded`"
            ),
{% if !multipart_types.is_empty() %}            BodyRejection::NotMultipartContentType { content_type: None } => formatter
                .write_str("missing Content-Type header; expected `multipart/form-data` with a boundary"),
            BodyRejection::NotMultipartContentType { content_type: Some(content_type) } => write!(
                formatter,
                "unsupported Content-Type `{content_type}`; expected `multipart/form-data` with a boundary"
            ),
            BodyRejection::MalformedMultipart { message } => {
                write!(formatter, "body: malformed multipart/form-data: {message}")
            }
{% endif %}            BodyRejection::TooLarge { limit } => {
                write!(formatter, "the request body is larger than {limit} bytes")
            }
            BodyRejection::Unreadable { message } => {
                write!(formatter, "the request body could not be read: {message}")
            }
            BodyRejection::Empty => {
                formatter.write_str("the request body is empty; expected a JSON body")
            }
            BodyRejection::MalformedJson { message } => {
                write!(formatter, "body: malformed JSON: {message}")
            }
            BodyRejection::InvalidShape { path, message } => {
                write!(formatter, "{path}: {message}")
            }
            BodyRejection::ConstraintViolations { errors } => {
                formatter.write_str(&errors.join("; "))
            }
        }
    }
}

impl std::error::Error for BodyRejection {}

impl IntoResponse for BodyRejection {
    fn into_response(self) -> Response {
        support::error_response(self.status(), self.errors())
    }
}

/// The documented answer, so that handlers can use `?`.
impl From<BodyRejection> for Response {
    fn from(rejection: BodyRejection) -> Self {
        rejection.into_response()
    }
}

/// Why a path, query or header parameter was refused: a 400 response
/// `["<documented message>", "<what>"]`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ParameterRejection {
    /// A required parameter is missing.
    Missing {
        /// `path`, `query` or `header`.
        location: &'static str,
        /// The parameter's wire name.
        name: &'static str,
    },
    /// A parameter does not parse as its documented type.
    Invalid {
        /// `path`, `query` or `header`.
        location: &'static str,
        /// The parameter's wire name.
        name: &'static str,
        /// Why.
        message: String,
    },
}

impl ParameterRejection {
    /// Always `400 Bad Request`.
    pub fn status(&self) -> http::StatusCode {
        http::StatusCode::BAD_REQUEST
    }

    /// The error messages: the documented message, then what was wrong.
    pub fn errors(&self) -> Vec<String> {
        vec![MESSAGE_BAD_REQUEST.to_owned(), self.to_string()]
    }
}

impl std::fmt::Display for ParameterRejection {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ParameterRejection::Missing { location, name } => {
                write!(formatter, "{location} parameter `{name}` is required")
            }
            ParameterRejection::Invalid { location, name, message } => {
                write!(formatter, "{location} parameter `{name}`: {message}")
            }
        }
    }
}

impl std::error::Error for ParameterRejection {}

impl IntoResponse for ParameterRejection {
    fn into_response(self) -> Response {
        support::error_response(self.status(), self.errors())
    }
}

/// The documented answer, so that handlers can use `?`.
impl From<ParameterRejection> for Response {
    fn from(rejection: ParameterRejection) -> Self {
        rejection.into_response()
    }
}

/// A request that matches no operation.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RouteRejection {
    /// No route for the path: a 404 envelope `["Resource not found", "no route for POST /x"]`.
    NotFound {
        /// The method of the request.
        method: http::Method,
        /// The path of the request (without query).
        path: String,
    },
    /// The path exists but not with this method: a 405 envelope with an `Allow` header.
    MethodNotAllowed {
        /// The method of the request.
        method: http::Method,
        /// The path of the request (without query).
        path: String,
        /// The methods of the path, comma separated (the `Allow` header).
        allow: &'static str,
    },
}

impl RouteRejection {
    /// `404 Not Found` or `405 Method Not Allowed`.
    pub fn status(&self) -> http::StatusCode {
        match self {
            RouteRejection::NotFound { .. } => http::StatusCode::NOT_FOUND,
            RouteRejection::MethodNotAllowed { .. } => http::StatusCode::METHOD_NOT_ALLOWED,
        }
    }

    /// The `errors` of the envelope: the (documented) message, then details.
    pub fn errors(&self) -> Vec<String> {
        let first = match self {
            RouteRejection::NotFound { .. } => MESSAGE_NOT_FOUND,
            RouteRejection::MethodNotAllowed { .. } => MESSAGE_METHOD_NOT_ALLOWED,
        };
        vec![first.to_owned(), self.to_string()]
    }
}

impl std::fmt::Display for RouteRejection {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RouteRejection::NotFound { method, path } => {
                write!(formatter, "no route for {method} {path}")
            }
            RouteRejection::MethodNotAllowed {
                method,
                path,
                allow,
            } => write!(
                formatter,
                "method {method} is not allowed for {path}; allowed: {allow}"
            ),
        }
    }
}

impl std::error::Error for RouteRejection {}

impl IntoResponse for RouteRejection {
    fn into_response(self) -> Response {
        let mut response = support::error_response(self.status(), self.errors());
        if let RouteRejection::MethodNotAllowed { allow, .. } = self {
            response
                .headers_mut()
                .insert(http::header::ALLOW, http::HeaderValue::from_static(allow));
        }
        response
    }
}

/// The documented answer, so that handlers can use `?`.
impl From<RouteRejection> for Response {
    fn from(rejection: RouteRejection) -> Self {
        rejection.into_response()
    }
}

/// A response of `status` with `body` (content type and bytes); a 500 in the documented
/// error shape if the body could not be serialized (e.g. an undocumented enum value).
pub(crate) fn body_response(
    status: http::StatusCode,
    body: Result<Option<(&'static str, bytes::Bytes)>, serde_json::Error>,
) -> Response {
    match body {
        Ok(Some((content_type, bytes))) => support::bytes_response(status, content_type, bytes.into()),
        Ok(None) => {
            let mut response = Response::new(axum::body::Body::empty());
            *response.status_mut() = status;
            response
        }
        Err(_) => support::error_response(
            http::StatusCode::INTERNAL_SERVER_ERROR,
            vec![
                MESSAGE_INTERNAL_SERVER_ERROR.to_owned(),
                "the response body could not be serialized".to_owned(),
            ],
        ),
    }
}

mod support {
    //! Not every spec uses every helper.
    #![allow(dead_code)]

    use axum::body::Body;
    use axum::response::{IntoResponse, Response};
    use http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
    use http_body_util::BodyExt;
    use serde::de::DeserializeOwned;

    use super::{BodyRejection, ParameterRejection, RouteRejection, BODY_LIMIT};
{% if bearer %}    use super::AuthRejection;
{% endif %}    #[allow(unused_imports)]
    use crate::types::*;

    /// The media type of every body of the spec.
    const JSON: &str = "application/json";

    /// A response with a body of `content_type`.
    pub(super) fn bytes_response(status: StatusCode, content_type: &'static str, body: Vec<u8>) -> Response {
        let mut response = Response::new(Body::from(body));
        *response.status_mut() = status;
        response
            .headers_mut()
            .insert(http::header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        response
    }

{% if let Some(env) = envelope %}    /// An error response in the documented envelope.
    pub(super) fn error_response(status: StatusCode, errors: Vec<String>) -> Response {
        let envelope = {{ env }}::<()>::failure(status.as_u16().into(), errors);
        match serde_json::to_vec(&envelope) {
            Ok(body) => bytes_response(status, JSON, body),
            // An error envelope always serializes; keep a body anyway.
            Err(_) => bytes_response(status, JSON, b"null".to_vec()),
        }
    }
{% else %}    /// An error response as `application/problem+json` (RFC 9457): the spec documents no
    /// error shape of its own to use.
    pub(super) fn error_response(status: StatusCode, errors: Vec<String>) -> Response {
        let problem = serde_json::json!({
            "type": "about:blank",
            "title": status.canonical_reason().unwrap_or("Error"),
            "status": status.as_u16(),
            "detail": errors.join("; "),
            "errors": errors,
        });
        bytes_response(status, "application/problem+json", problem.to_string().into_bytes())
    }
{% endif %}
    /// The 404 fallback of the router.
    pub(super) async fn not_found(method: Method, uri: Uri) -> Response {
        RouteRejection::NotFound {
            method,
            path: uri.path().to_owned(),
        }
        .into_response()
    }

    /// The 405 fallback of a path whose methods are `allow`.
    pub(super) fn method_not_allowed(
        allow: &'static str,
    ) -> impl Fn(Method, Uri) -> std::future::Ready<Response> + Clone + Send + Sync + 'static {
        move |method: Method, uri: Uri| {
            std::future::ready(
                RouteRejection::MethodNotAllowed {
                    method,
                    path: uri.path().to_owned(),
                    allow,
                }
                .into_response(),
            )
        }
    }

{% if bearer %}    /// The token of `Authorization: Bearer <token>` (scheme case-insensitive).
    pub(super) fn bearer_token(headers: &HeaderMap) -> Result<BearerToken, AuthRejection> {
        let mut values = headers.get_all(http::header::AUTHORIZATION).iter();
        let value = values.next().ok_or(AuthRejection::MissingHeader)?;
        if values.next().is_some() {
            return Err(AuthRejection::MultipleHeaders);
        }
        let value = value.to_str().map_err(|_| AuthRejection::NotText)?.trim();
        let (scheme, token) = value.split_once(' ').unwrap_or((value, ""));
        if !scheme.eq_ignore_ascii_case("Bearer") {
            return Err(AuthRejection::WrongScheme {
                scheme: scheme.to_owned(),
            });
        }
        let token = token.trim();
        if token.is_empty() {
            return Err(AuthRejection::EmptyToken);
        }
        Ok(BearerToken::from_raw(token))
    }

    /// The token of an optional `Authorization: Bearer`: none when the header is absent,
    /// a rejection when it is present but malformed.
    pub(super) fn optional_bearer_token(headers: &HeaderMap) -> Result<Option<BearerToken>, AuthRejection> {
        if headers.contains_key(http::header::AUTHORIZATION) {
            bearer_token(headers).map(Some)
        } else {
            Ok(None)
        }
    }

{% endif %}    /// Checks that `headers` declare a JSON body (`application/json`, parameters allowed).
    fn json_content_type(headers: &HeaderMap) -> Result<(), BodyRejection> {
        let value = headers
            .get(http::header::CONTENT_TYPE)
            .ok_or(BodyRejection::MissingContentType)?;
        let text = String::from_utf8_lossy(value.as_bytes());
        let essence = text.split(';').next().unwrap_or_default().trim();
        let essence = essence.to_ascii_lowercase();
        if essence == JSON || essence.ends_with("+json") {
            Ok(())
        } else {
            Err(BodyRejection::UnsupportedContentType {
                content_type: text.into_owned(),
            })
        }
    }

    /// A declared `Content-Length` over the limit.
    fn declared_too_large(headers: &HeaderMap) -> bool {
        headers
            .get(http::header::CONTENT_LENGTH)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.trim().parse::<u64>().ok())
            .is_some_and(|length| length > BODY_LIMIT as u64)
    }

    /// Reads, decodes and validates a JSON body.
    pub(super) async fn json_body<T: DeserializeOwned + Validate>(
        headers: &HeaderMap,
        body: Body,
    ) -> Result<T, BodyRejection> {
        json_content_type(headers)?;
        if declared_too_large(headers) {
            return Err(BodyRejection::TooLarge { limit: BODY_LIMIT });
        }
        let bytes = match http_body_util::Limited::new(body, BODY_LIMIT).collect().await {
            Ok(collected) => collected.to_bytes(),
            Err(error) => {
                return Err(
                    if error.downcast_ref::<http_body_util::LengthLimitError>().is_some() {
                        BodyRejection::TooLarge { limit: BODY_LIMIT }
                    } else {
                        BodyRejection::Unreadable {
                            message: error.to_string(),
                        }
                    },
                )
            }
        };
        if bytes.is_empty() {
            return Err(BodyRejection::Empty);
        }
        let document: serde_json::Value =
            serde_json::from_slice(&bytes).map_err(|error| BodyRejection::MalformedJson {
                message: error.to_string(),
            })?;
        let value: T =
            serde_path_to_error::deserialize(strict::Strict(&document)).map_err(shape_error)?;
        validated(value)
    }

    /// The decoded body if it meets the spec's constraints (`Validate`), else every
    /// violation.
    fn validated<T: Validate>(value: T) -> Result<T, BodyRejection> {
        let mut errors = Vec::new();
        value.validate("", &mut errors);
        if errors.is_empty() {
            Ok(value)
        } else {
            Err(BodyRejection::ConstraintViolations { errors })
        }
    }

    /// True when an optional body is absent: no content type and no (or a zero) length.
    fn body_absent(headers: &HeaderMap) -> bool {
        !headers.contains_key(http::header::CONTENT_TYPE)
            && headers
                .get(http::header::CONTENT_LENGTH)
                .is_none_or(|v| v.as_bytes() == b"0")
    }

    /// Reads a body that may be absent: an empty body is `None`.
    pub(super) async fn optional_json_body<T: DeserializeOwned + Validate>(
        headers: &HeaderMap,
        body: Body,
    ) -> Result<Option<T>, BodyRejection> {
        if body_absent(headers) {
            return Ok(None);
        }
        json_body(headers, body).await.map(Some)
    }

    /// The raw path parameters, or the documented 400 answer.
    pub(super) async fn path_params(
        parts: &mut http::request::Parts,
    ) -> Result<axum::extract::RawPathParams, Response> {
        <axum::extract::RawPathParams as axum::extract::FromRequestParts<()>>::from_request_parts(parts, &())
            .await
            .map_err(|rejection| {
                error_response(
                    StatusCode::BAD_REQUEST,
                    vec![super::MESSAGE_BAD_REQUEST.to_owned(), rejection.body_text()],
                )
            })
    }

    /// Reads, decodes and validates an `application/x-www-form-urlencoded` body.
    pub(super) async fn form_body<T: DeserializeOwned + Validate>(
        headers: &HeaderMap,
        body: Body,
    ) -> Result<T, BodyRejection> {
        let content_type = headers
            .get(http::header::CONTENT_TYPE)
            .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned());
        let is_form = content_type.as_deref().is_some_and(|text| {
            text.split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        });
        if !is_form {
            return Err(BodyRejection::NotFormContentType { content_type });
        }
        let bytes = bytes_body(headers, body).await?;
        let value: T = serde_path_to_error::deserialize(serde_urlencoded::Deserializer::new(
            form_urlencoded::parse(&bytes),
        ))
        .map_err(|error| {
            let path = error.path().to_string();
            BodyRejection::InvalidShape {
                path: if path == "." { "body".to_owned() } else { path },
                message: error.into_inner().to_string(),
            }
        })?;
        validated(value)
    }

    /// Reads a form body that may be absent: no body and no content type is `None`.
    pub(super) async fn optional_form_body<T: DeserializeOwned + Validate>(
        headers: &HeaderMap,
        body: Body,
    ) -> Result<Option<T>, BodyRejection> {
        if body_absent(headers) {
            return Ok(None);
        }
        form_body(headers, body).await.map(Some)
    }

    /// Reads a non-JSON body as bytes (within the size limit).
    pub(super) async fn bytes_body(headers: &HeaderMap, body: Body) -> Result<bytes::Bytes, BodyRejection> {
        if declared_too_large(headers) {
            return Err(BodyRejection::TooLarge { limit: BODY_LIMIT });
        }
        match http_body_util::Limited::new(body, BODY_LIMIT).collect().await {
            Ok(collected) => Ok(collected.to_bytes()),
            Err(error) => Err(
                if error.downcast_ref::<http_body_util::LengthLimitError>().is_some() {
                    BodyRejection::TooLarge { limit: BODY_LIMIT }
                } else {
                    BodyRejection::Unreadable { message: error.to_string() }
                },
            ),
        }
    }

    /// Reads a non-JSON body that may be absent: an empty body is `None`.
    pub(super) async fn optional_bytes_body(
        headers: &HeaderMap,
        body: Body,
    ) -> Result<Option<bytes::Bytes>, BodyRejection> {
        let bytes = bytes_body(headers, body).await?;
        Ok((!bytes.is_empty()).then_some(bytes))
    }

{% if !multipart_types.is_empty() %}    /// A type read from the parts of a `multipart/form-data` body.
    pub(super) trait FromMultipart: Sized {
        /// Takes its fields out of `parts`.
        fn from_multipart(parts: Parts) -> Result<Self, BodyRejection>;
    }

    /// One part of a multipart body.
    struct Part {
        name: String,
        file_name: Option<String>,
        content_type: Option<String>,
        bytes: bytes::Bytes,
    }

    /// The parts of a multipart body, in order; reading a field takes its parts out.
    pub(super) struct Parts(Vec<Part>);

    impl Parts {
        fn take(&mut self, name: &str) -> Vec<Part> {
            let (taken, kept) = std::mem::take(&mut self.0)
                .into_iter()
                .partition(|part| part.name == name);
            self.0 = kept;
            taken
        }

        /// The first part named `name`, as a file.
        pub(super) fn file(&mut self, name: &str) -> Option<FilePart> {
            self.take(name).into_iter().next().map(file_part)
        }

        /// Every part named `name`, as files.
        pub(super) fn files(&mut self, name: &str) -> Vec<FilePart> {
            self.take(name).into_iter().map(file_part).collect()
        }

        /// The first part named `name`, its text decoded as the documented type.
        pub(super) fn text<T: DeserializeOwned>(
            &mut self,
            name: &'static str,
        ) -> Result<Option<T>, BodyRejection> {
            self.take(name).first().map(|part| part_text(name, part)).transpose()
        }

        /// Every part named `name`, each text decoded as the documented item type.
        pub(super) fn texts<T: DeserializeOwned>(
            &mut self,
            name: &'static str,
        ) -> Result<Vec<T>, BodyRejection> {
            self.take(name).iter().map(|part| part_text(name, part)).collect()
        }

        /// The first part named `name`, decoded from JSON.
        pub(super) fn json<T: DeserializeOwned>(
            &mut self,
            name: &'static str,
        ) -> Result<Option<T>, BodyRejection> {
            self.take(name)
                .first()
                .map(|part| {
                    serde_json::from_slice(&part.bytes).map_err(|error| BodyRejection::InvalidShape {
                        path: name.to_owned(),
                        message: error.to_string(),
                    })
                })
                .transpose()
        }
    }

    fn file_part(part: Part) -> FilePart {
        FilePart {
            file_name: part.file_name.unwrap_or_default(),
            content_type: part.content_type,
            bytes: part.bytes,
        }
    }

    fn part_text<T: DeserializeOwned>(name: &'static str, part: &Part) -> Result<T, BodyRejection> {
        let invalid = |message: String| BodyRejection::InvalidShape { path: name.to_owned(), message };
        let text = std::str::from_utf8(&part.bytes).map_err(|_| invalid("not UTF-8 text".to_owned()))?;
        parse_text(text).map_err(invalid)
    }

    /// A required part that may still be missing.
    pub(super) fn required_part<T>(value: Option<T>, name: &'static str) -> Result<T, BodyRejection> {
        value.ok_or_else(|| BodyRejection::InvalidShape {
            path: name.to_owned(),
            message: "missing required part".to_owned(),
        })
    }

    /// Reads a `multipart/form-data` body (within the size limit) into its type.
    pub(super) async fn multipart_body<T: FromMultipart>(headers: &HeaderMap, body: Body) -> Result<T, BodyRejection> {
        let content_type = headers
            .get(http::header::CONTENT_TYPE)
            .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned());
        let boundary = content_type.as_deref().and_then(|text| {
            let essence = text.split(';').next().unwrap_or_default().trim();
            if essence.eq_ignore_ascii_case("multipart/form-data") {
                multer::parse_boundary(text).ok()
            } else {
                None
            }
        });
        let Some(boundary) = boundary else {
            return Err(BodyRejection::NotMultipartContentType { content_type });
        };
        if declared_too_large(headers) {
            return Err(BodyRejection::TooLarge { limit: BODY_LIMIT });
        }
        let constraints = multer::Constraints::new()
            .size_limit(multer::SizeLimit::new().whole_stream(BODY_LIMIT as u64));
        let mut multipart = multer::Multipart::with_constraints(body.into_data_stream(), boundary, constraints);
        let mut parts = Vec::new();
        while let Some(field) = multipart.next_field().await.map_err(multipart_error)? {
            let name = field.name().unwrap_or_default().to_owned();
            let file_name = field.file_name().map(str::to_owned);
            let content_type = field.content_type().map(ToString::to_string);
            let bytes = field.bytes().await.map_err(multipart_error)?;
            parts.push(Part { name, file_name, content_type, bytes });
        }
        T::from_multipart(Parts(parts))
    }

    /// A multipart body that may be absent: no body and no content type is `None`.
    pub(super) async fn optional_multipart_body<T: FromMultipart>(
        headers: &HeaderMap,
        body: Body,
    ) -> Result<Option<T>, BodyRejection> {
        if body_absent(headers) {
            return Ok(None);
        }
        multipart_body(headers, body).await.map(Some)
    }

    fn multipart_error(error: multer::Error) -> BodyRejection {
        match error {
            multer::Error::StreamSizeExceeded { .. } => BodyRejection::TooLarge { limit: BODY_LIMIT },
            other => BodyRejection::MalformedMultipart { message: other.to_string() },
        }
    }

{% endif %}    /// Parses a parameter's text as its documented type: as a JSON string first, then as
    /// JSON (numbers, booleans), then comma-separated for arrays.
    fn parse_text<T: DeserializeOwned>(text: &str) -> Result<T, String> {
        if let Ok(value) = serde_json::from_value(serde_json::Value::String(text.to_owned())) {
            return Ok(value);
        }
        if let Ok(value) = serde_json::from_str(text) {
            return Ok(value);
        }
        let items: Vec<serde_json::Value> = text
            .split(',')
            .map(|item| serde_json::from_str(item).unwrap_or_else(|_| serde_json::Value::String(item.to_owned())))
            .collect();
        serde_json::from_value(serde_json::Value::Array(items)).map_err(|error| error.to_string())
    }

    /// A path parameter.
    pub(super) fn path_param<T: DeserializeOwned>(
        params: &axum::extract::RawPathParams,
        name: &'static str,
    ) -> Result<T, ParameterRejection> {
        let text = params
            .iter()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value)
            .ok_or(ParameterRejection::Missing { location: "path", name })?;
        parse_text(text).map_err(|message| ParameterRejection::Invalid { location: "path", name, message })
    }

    /// A query parameter (repeated parameters form an array).
    pub(super) fn query_param<T: DeserializeOwned>(
        query: Option<&str>,
        name: &'static str,
    ) -> Result<Option<T>, ParameterRejection> {
        let values: Vec<String> = form_urlencoded::parse(query.unwrap_or_default().as_bytes())
            .filter(|(key, _)| key == name)
            .map(|(_, value)| value.into_owned())
            .collect();
        let text = match values.len() {
            0 => return Ok(None),
            1 => values[0].clone(),
            _ => values.join(","),
        };
        parse_text(&text)
            .map(Some)
            .map_err(|message| ParameterRejection::Invalid { location: "query", name, message })
    }

    /// A header parameter.
    pub(super) fn header_param<T: DeserializeOwned>(
        headers: &HeaderMap,
        name: &'static str,
    ) -> Result<Option<T>, ParameterRejection> {
        let Some(value) = headers.get(name) else { return Ok(None) };
        let text = value.to_str().map_err(|_| ParameterRejection::Invalid {
            location: "header",
            name,
            message: "not visible ASCII text".to_owned(),
        })?;
        parse_text(text)
            .map(Some)
            .map_err(|message| ParameterRejection::Invalid { location: "header", name, message })
    }

    /// A required query parameter.
    pub(super) fn required_query_param<T: DeserializeOwned>(
        query: Option<&str>,
        name: &'static str,
    ) -> Result<T, ParameterRejection> {
        query_param(query, name)?.ok_or(ParameterRejection::Missing { location: "query", name })
    }

    /// A cookie parameter (from the `Cookie` headers; values percent-decoded).
    pub(super) fn cookie_param<T: DeserializeOwned>(
        headers: &HeaderMap,
        name: &'static str,
    ) -> Result<Option<T>, ParameterRejection> {
        let value = headers
            .get_all(http::header::COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value);
        let Some(value) = value else { return Ok(None) };
        let invalid = |message: String| ParameterRejection::Invalid { location: "cookie", name, message };
        let text = percent_encoding::percent_decode_str(value)
            .decode_utf8()
            .map_err(|_| invalid("not UTF-8 once percent-decoded".to_owned()))?;
        parse_text(&text).map(Some).map_err(invalid)
    }

    /// A required cookie parameter.
    pub(super) fn required_cookie_param<T: DeserializeOwned>(
        headers: &HeaderMap,
        name: &'static str,
    ) -> Result<T, ParameterRejection> {
        cookie_param(headers, name)?.ok_or(ParameterRejection::Missing { location: "cookie", name })
    }

    /// A required header parameter.
    pub(super) fn required_header_param<T: DeserializeOwned>(
        headers: &HeaderMap,
        name: &'static str,
    ) -> Result<T, ParameterRejection> {
        header_param(headers, name)?.ok_or(ParameterRejection::Missing { location: "header", name })
    }

    /// A shape error at a field path (`body` for the whole body).
    fn shape_error(error: serde_path_to_error::Error<serde_json::Error>) -> BodyRejection {
        let path = error.path().to_string();
        BodyRejection::InvalidShape {
            path: if path == "." { "body".to_owned() } else { path },
            message: error.into_inner().to_string(),
        }
    }

    /// Decoding from a parsed JSON document, strictly: unlike serde_json, a struct (a JSON
    /// object in the spec) is never read from a JSON array.
    mod strict {
        use serde::de::value::{MapDeserializer, SeqDeserializer};
        use serde::de::{Error as _, IntoDeserializer, Unexpected, Visitor};
        use serde::forward_to_deserialize_any;
        use serde_json::{Error, Value};

        /// A deserializer over a JSON value.
        pub(in super::super) struct Strict<'de>(pub(in super::super) &'de Value);

        fn unexpected(value: &Value) -> Unexpected<'_> {
            match value {
                Value::Null => Unexpected::Unit,
                Value::Bool(value) => Unexpected::Bool(*value),
                Value::Number(number) => {
                    if let Some(value) = number.as_u64() {
                        Unexpected::Unsigned(value)
                    } else if let Some(value) = number.as_i64() {
                        Unexpected::Signed(value)
                    } else {
                        Unexpected::Float(number.as_f64().unwrap_or(f64::NAN))
                    }
                }
                Value::String(value) => Unexpected::Str(value),
                Value::Array(_) => Unexpected::Seq,
                Value::Object(_) => Unexpected::Map,
            }
        }

        impl<'de> IntoDeserializer<'de, Error> for Strict<'de> {
            type Deserializer = Self;

            fn into_deserializer(self) -> Self {
                self
            }
        }

        impl<'de> serde::Deserializer<'de> for Strict<'de> {
            type Error = Error;

            fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
                match self.0 {
                    Value::Null => visitor.visit_unit(),
                    Value::Bool(value) => visitor.visit_bool(*value),
                    Value::Number(number) => {
                        if let Some(value) = number.as_u64() {
                            visitor.visit_u64(value)
                        } else if let Some(value) = number.as_i64() {
                            visitor.visit_i64(value)
                        } else if let Some(value) = number.as_f64() {
                            visitor.visit_f64(value)
                        } else {
                            Err(Error::custom(format!("unsupported number {number}")))
                        }
                    }
                    Value::String(value) => visitor.visit_borrowed_str(value),
                    Value::Array(items) => {
                        let mut items = SeqDeserializer::new(items.iter().map(Strict));
                        let value = visitor.visit_seq(&mut items)?;
                        items.end()?;
                        Ok(value)
                    }
                    Value::Object(entries) => {
                        let mut entries = MapDeserializer::new(
                            entries
                                .iter()
                                .map(|(key, value)| (key.as_str(), Strict(value))),
                        );
                        let value = visitor.visit_map(&mut entries)?;
                        entries.end()?;
                        Ok(value)
                    }
                }
            }

            fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
                match self.0 {
                    Value::Null => visitor.visit_none(),
                    _ => visitor.visit_some(self),
                }
            }

            fn deserialize_newtype_struct<V: Visitor<'de>>(
                self,
                _name: &'static str,
                visitor: V,
            ) -> Result<V::Value, Error> {
                visitor.visit_newtype_struct(self)
            }

            fn deserialize_struct<V: Visitor<'de>>(
                self,
                _name: &'static str,
                _fields: &'static [&'static str],
                visitor: V,
            ) -> Result<V::Value, Error> {
                match self.0 {
                    Value::Object(_) => self.deserialize_any(visitor),
                    other => Err(Error::invalid_type(unexpected(other), &visitor)),
                }
            }

            fn deserialize_enum<V: Visitor<'de>>(
                self,
                _name: &'static str,
                _variants: &'static [&'static str],
                visitor: V,
            ) -> Result<V::Value, Error> {
                match self.0 {
                    Value::String(value) => visitor.visit_enum(value.as_str().into_deserializer()),
                    Value::Object(entries) if entries.len() == 1 => visitor.visit_enum(
                        serde::de::value::MapAccessDeserializer::new(MapDeserializer::new(
                            entries
                                .iter()
                                .map(|(key, value)| (key.as_str(), Strict(value))),
                        )),
                    ),
                    other => Err(Error::invalid_type(unexpected(other), &visitor)),
                }
            }

            fn deserialize_ignored_any<V: Visitor<'de>>(
                self,
                visitor: V,
            ) -> Result<V::Value, Error> {
                visitor.visit_unit()
            }

            forward_to_deserialize_any! {
                bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
                byte_buf unit unit_struct seq tuple tuple_struct map identifier
            }
        }
    }
}
