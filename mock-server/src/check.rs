//! Checking a request against its operation: credentials, then parameters and body.
//!
//! Every problem is collected (not only the first) and described without echoing values
//! (a refresh token that fails `minLength` must not end up in a log or a response).

use http::HeaderMap;
use kontrat_generator::model::{
    Operation, ParameterLocation, Schema, SchemaKind, SecuritySchemeKind, is_json_media_type,
    media_type_essence,
};
use serde_json::{Map, Value};

use crate::compiled::Compiled;
use crate::decode;

/// Why a request breaks the contract ([`crate::Compiled::check_request`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Missing or malformed credentials on a secured operation (401).
    Unauthorized(Vec<String>),
    /// Parameters, content type or body break the contract (400).
    Invalid(Vec<String>),
}

/// The parts of a request the checks read ([`crate::Compiled::check_request`]).
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// The request's headers.
    pub headers: &'a HeaderMap,
    /// The query string, without `?`.
    pub query: Option<&'a str>,
    /// The path parameters the route matched ([`crate::RouteMatch::Found`]).
    pub path_params: &'a [(String, String)],
    /// The whole body; `None` when it was not read (too large to hold): then only its
    /// presence and content type are checked.
    pub body: Option<&'a [u8]>,
}

/// Checks credentials first (a client without them learns nothing about the body), then
/// collects every parameter and body problem.
pub(crate) fn check(
    compiled: &Compiled,
    op_index: usize,
    req: &Request<'_>,
) -> Result<(), Refusal> {
    let op = &compiled.contract.operations[op_index];
    if let Err(why) = credentials(compiled, op, req) {
        return Err(Refusal::Unauthorized(why));
    }
    let mut problems = Vec::new();
    parameters(compiled, op_index, req, &mut problems);
    body(compiled, op_index, req, &mut problems);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Refusal::Invalid(problems))
    }
}

fn credentials(compiled: &Compiled, op: &Operation, req: &Request<'_>) -> Result<(), Vec<String>> {
    if !op.requires_credentials() {
        return Ok(());
    }
    let mut why = Vec::new();
    for alternative in &op.security {
        let mut failed = None;
        for name in alternative.keys() {
            let Some(scheme) = compiled.contract.security_schemes.get(name) else {
                continue; // The loader reported the dangling name.
            };
            if let Err(e) = satisfied(&scheme.kind, req) {
                failed = Some(e);
                break;
            }
        }
        match failed {
            None => return Ok(()),
            Some(e) if !why.contains(&e) => why.push(e),
            Some(_) => {}
        }
    }
    Err(why)
}

fn satisfied(kind: &SecuritySchemeKind, req: &Request<'_>) -> Result<(), String> {
    let authorization = |scheme: &str| -> Result<(), String> {
        let mut values = req.headers.get_all(http::header::AUTHORIZATION).iter();
        let (Some(value), None) = (values.next(), values.next()) else {
            return Err(if req.headers.contains_key(http::header::AUTHORIZATION) {
                "more than one Authorization header".into()
            } else {
                format!(
                    "missing Authorization header; expected `Authorization: {scheme} <{}>`",
                    if scheme == "Bearer" {
                        "token"
                    } else {
                        "credentials"
                    }
                )
            });
        };
        let text = value
            .to_str()
            .map_err(|_| "the Authorization header is not visible ASCII text".to_owned())?;
        let (sent, credentials) = text.trim().split_once(' ').unwrap_or((text.trim(), ""));
        if !sent.eq_ignore_ascii_case(scheme) {
            // The scheme only, never the credentials.
            let shown: String = sent
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .take(20)
                .collect();
            return Err(format!(
                "unsupported authorization scheme `{shown}`; expected `{scheme}`"
            ));
        }
        if credentials.trim().is_empty() {
            return Err(if scheme == "Bearer" {
                "the bearer token is empty".to_owned()
            } else {
                format!("the {scheme} credentials are empty")
            });
        }
        Ok(())
    };
    match kind {
        SecuritySchemeKind::Bearer { format: Some(f) } if f.eq_ignore_ascii_case("jwt") => {
            authorization("Bearer")?;
            let token = req
                .headers
                .get(http::header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().split_once(' '))
                .map_or("", |(_, t)| t.trim());
            jwt_shaped(token)
        }
        SecuritySchemeKind::Bearer { .. } | SecuritySchemeKind::OAuth2 => authorization("Bearer"),
        SecuritySchemeKind::Basic => authorization("Basic"),
        SecuritySchemeKind::OtherHttp { scheme } => authorization(scheme),
        SecuritySchemeKind::ApiKey { location, name } => {
            let present = match location {
                ParameterLocation::Header => req
                    .headers
                    .get(name.as_str())
                    .is_some_and(|v| !v.as_bytes().is_empty()),
                ParameterLocation::Query => {
                    form_urlencoded::parse(req.query.unwrap_or_default().as_bytes())
                        .any(|(k, _)| k == name.as_str())
                }
                ParameterLocation::Cookie => decode::cookie(req.headers, name).is_some(),
                ParameterLocation::Path => true,
            };
            if present {
                Ok(())
            } else {
                Err(format!(
                    "missing API key `{name}` in the {}",
                    location.as_str()
                ))
            }
        }
    }
}

/// The scheme says `bearerFormat: JWT`: the token must look like one (three base64url
/// parts, the first a JSON object). The mock cannot verify signatures, but it catches the
/// classic client bugs: `Bearer undefined`, or the refresh token sent as access token.
fn jwt_shaped(token: &str) -> Result<(), String> {
    use base64::Engine as _;
    let parts: Vec<&str> = token.split('.').collect();
    let header = match parts.as_slice() {
        [header, payload, _signature] if !header.is_empty() && !payload.is_empty() => {
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(header.trim_end_matches('='))
                .ok()
                .and_then(|bytes| serde_json::from_slice::<Value>(&bytes).ok())
        }
        _ => None,
    };
    match header {
        Some(Value::Object(_)) => Ok(()),
        _ => Err("the bearer token is not a JWT (bearerFormat: JWT expects header.payload.signature, base64url)".into()),
    }
}

fn parameters(compiled: &Compiled, op_index: usize, req: &Request<'_>, problems: &mut Vec<String>) {
    let op = &compiled.contract.operations[op_index];
    if op.parameters.is_empty() {
        return;
    }
    let query: Vec<_> = form_urlencoded::parse(req.query.unwrap_or_default().as_bytes()).collect();
    let sources = decode::Sources {
        query: &query,
        headers: req.headers,
        path_params: req.path_params,
        claimed: &compiled.operations[op_index].claimed_query_keys,
    };
    for (i, p) in op.parameters.iter().enumerate() {
        let what = format!("{} parameter `{}`", p.location.as_str(), p.name);
        let readings = match decode::read(&compiled.contract, p, &sources) {
            Ok(Some(readings)) => readings,
            Ok(None) => {
                if p.required {
                    problems.push(format!("{what} is required"));
                }
                continue;
            }
            Err(e) => {
                problems.push(format!("{what}: {e}"));
                continue;
            }
        };
        let Some(v) = compiled.param_validator(op_index, i) else {
            continue;
        };
        if readings.iter().any(|r| v.is_valid(r)) {
            continue;
        }
        for e in v.iter_errors(&readings[0]).take(4) {
            problems.push(format!("{what}: {}", e.masked()));
        }
    }
}

fn body(compiled: &Compiled, op_index: usize, req: &Request<'_>, problems: &mut Vec<String>) {
    let op = &compiled.contract.operations[op_index];
    let Some(body) = &op.request_body else {
        return;
    };
    let content_type = req
        .headers
        .get(http::header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap_or("(not text)"));
    let expected = || {
        body.content
            .keys()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let sent = req.body.is_none_or(|b| !b.is_empty());
    if !sent && content_type.is_none() {
        if body.required {
            problems.push(format!("body: required; send one of: {}", expected()));
        }
        return;
    }
    let Some(content_type) = content_type else {
        problems.push(format!(
            "missing Content-Type header; expected {}",
            expected()
        ));
        return;
    };
    let Some((index, media_type)) = body
        .content
        .keys()
        .enumerate()
        .find(|(_, documented)| media_matches(documented, content_type))
    else {
        let shown: String = content_type.chars().take(80).collect();
        problems.push(format!(
            "unsupported Content-Type `{shown}`; expected {}",
            expected()
        ));
        return;
    };
    let Some(bytes) = req.body else {
        return; // Not read: the contents cannot be judged.
    };
    if bytes.is_empty() {
        if body.required {
            problems.push("body: required, but it is empty".into());
        }
        return;
    }
    let value = if is_json_media_type(media_type)
        || (media_type.contains('*') && is_json_media_type(content_type))
    {
        match serde_json::from_slice::<Value>(bytes) {
            Ok(mut v) => {
                below_i64_kept_below(&mut v);
                v
            }
            Err(e) => {
                problems.push(format!(
                    "body: malformed JSON at line {} column {} ({})",
                    e.line(),
                    e.column(),
                    match e.classify() {
                        serde_json::error::Category::Eof => "unexpected end of input",
                        serde_json::error::Category::Syntax => "syntax error",
                        serde_json::error::Category::Data => "unexpected data",
                        serde_json::error::Category::Io => "unreadable",
                    }
                ));
                return;
            }
        }
    } else if media_type_essence(media_type)
        .eq_ignore_ascii_case("application/x-www-form-urlencoded")
    {
        let media = body.content.values().nth(index);
        form(compiled, media.and_then(|m| m.schema.as_ref()), bytes)
    } else if media_type_essence(media_type).eq_ignore_ascii_case("multipart/form-data") {
        let media = body.content.values().nth(index);
        match multipart(
            compiled,
            media.and_then(|m| m.schema.as_ref()),
            content_type,
            bytes,
        ) {
            Ok(v) => v,
            Err(e) => {
                problems.push(format!("body: {e}"));
                return;
            }
        }
    } else {
        // octet-stream, text, …: the media type is checked; contents are opaque.
        return;
    };
    if let Some(v) = compiled.body_validator(op_index, index)
        && !v.is_valid(&value)
    {
        for e in v.iter_errors(&value).take(8) {
            problems.push(format!("body{}: {}", e.instance_path(), e.masked()));
        }
    }
}

/// An integer literal below `i64::MIN` is read as the nearest `f64`, which can be
/// `i64::MIN` itself and then pass an `int64` minimum it breaks: move such values one
/// step further down. (A literal of exactly `i64::MIN` is read as an `i64`, so an `f64`
/// equal to it always came from a smaller number.)
pub(crate) fn below_i64_kept_below(value: &mut Value) {
    const MIN: f64 = i64::MIN as f64;
    match value {
        Value::Number(n) if n.is_f64() && n.as_f64() == Some(MIN) => {
            if let Some(lower) = serde_json::Number::from_f64(MIN.next_down()) {
                *n = lower;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(below_i64_kept_below),
        Value::Object(map) => map.values_mut().for_each(below_i64_kept_below),
        _ => {}
    }
}

/// A `multipart/form-data` body as the JSON object its schema describes: each part by
/// its property's schema (repeated parts are an array, JSON text for objects), binary
/// parts as placeholder strings (their bytes are not the schema's business).
fn multipart(
    compiled: &Compiled,
    schema: Option<&Schema>,
    content_type: &str,
    body: &[u8],
) -> Result<Value, String> {
    let boundary = multer::parse_boundary(content_type)
        .map_err(|_| "the multipart Content-Type has no boundary".to_owned())?;
    let bytes = bytes::Bytes::copy_from_slice(body);
    let stream =
        futures_util::stream::once(std::future::ready(Ok::<_, std::convert::Infallible>(bytes)));
    let mut reader = multer::Multipart::new(stream, boundary);
    let mut parts: Vec<(String, Vec<Vec<u8>>)> = Vec::new();
    // The whole body is in memory: every poll completes at once, no runtime needed.
    let parsed = drive(async {
        while let Some(field) = reader.next_field().await? {
            let name = field.name().unwrap_or_default().to_owned();
            let data = field.bytes().await?.to_vec();
            match parts.iter_mut().find(|(n, _)| *n == name) {
                Some((_, values)) => values.push(data),
                None => parts.push((name, vec![data])),
            }
        }
        Ok::<(), multer::Error>(())
    });
    match parsed {
        Some(Ok(())) => {}
        Some(Err(e)) => return Err(format!("malformed multipart body ({e})")),
        None => return Err("malformed multipart body".to_owned()),
    }
    let object = schema
        .map(|s| compiled.contract.resolve(s))
        .and_then(|s| match &s.kind {
            SchemaKind::Object(o) => Some(o),
            _ => None,
        });
    let text_value = |s: Option<&Schema>, data: &[u8]| -> Value {
        let Some(s) = s.map(|s| compiled.contract.resolve(s)) else {
            return Value::String(String::from_utf8_lossy(data).into_owned());
        };
        let Ok(text) = std::str::from_utf8(data) else {
            return Value::String(String::new());
        };
        match &s.kind {
            SchemaKind::String(st) if matches!(st.format.as_deref(), Some("binary" | "byte")) => {
                Value::String(String::new())
            }
            SchemaKind::Object(_)
            | SchemaKind::Any
            | SchemaKind::OneOf { .. }
            | SchemaKind::AnyOf { .. } => {
                serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_owned()))
            }
            _ => decode::scalar(s, text).unwrap_or_else(|_| Value::String(text.to_owned())),
        }
    };
    let mut map = Map::new();
    for (name, values) in parts {
        let property = object
            .and_then(|o| o.property(&name))
            .map(|p| compiled.contract.resolve(&p.schema));
        let value = match property.map(|p| &p.kind) {
            Some(SchemaKind::Array(a)) => Value::Array(
                values
                    .iter()
                    .map(|d| text_value(Some(&a.items), d))
                    .collect(),
            ),
            _ => text_value(property, &values[0]),
        };
        map.insert(name, value);
    }
    Ok(Value::Object(map))
}

/// Runs a future that never waits (its input is all in memory) to completion.
fn drive<F: std::future::Future>(future: F) -> Option<F::Output> {
    let mut future = std::pin::pin!(future);
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    // A future over in-memory data is ready at once; a bounded number of polls guards
    // against one that is not.
    for _ in 0..1024 {
        if let std::task::Poll::Ready(out) = future.as_mut().poll(&mut cx) {
            return Some(out);
        }
    }
    None
}

/// A form body as the JSON object its schema describes.
fn form(compiled: &Compiled, schema: Option<&Schema>, body: &[u8]) -> Value {
    let object = schema
        .map(|s| compiled.contract.resolve(s))
        .and_then(|s| match &s.kind {
            SchemaKind::Object(o) => Some(o),
            _ => None,
        });
    let mut grouped: Map<String, Value> = Map::new();
    let mut raw: Vec<(String, Vec<String>)> = Vec::new();
    for (k, v) in form_urlencoded::parse(body) {
        match raw.iter_mut().find(|(name, _)| *name == k) {
            Some((_, values)) => values.push(v.into_owned()),
            None => raw.push((k.into_owned(), vec![v.into_owned()])),
        }
    }
    for (name, values) in raw {
        let property = object.and_then(|o| o.property(&name));
        let value = match property.map(|p| compiled.contract.resolve(&p.schema)) {
            Some(s) => match &s.kind {
                SchemaKind::Array(a) => Value::Array(
                    values
                        .iter()
                        .map(|t| {
                            let item = compiled.contract.resolve(&a.items);
                            decode::scalar(item, t).unwrap_or_else(|_| Value::String(t.clone()))
                        })
                        .collect(),
                ),
                _ => decode::scalar(s, &values[0])
                    .unwrap_or_else(|_| Value::String(values[0].clone())),
            },
            None => Value::String(values[0].clone()),
        };
        grouped.insert(name, value);
    }
    Value::Object(grouped)
}

/// True when a request's `Content-Type` is the documented media type (parameters such as
/// `charset` ignored; `*/*` and `type/*` ranges honoured).
pub(crate) fn media_matches(documented: &str, sent: &str) -> bool {
    // Case-insensitive without lowering into new strings: this runs on every request.
    let (d, s) = (media_type_essence(documented), media_type_essence(sent));
    if d == "*/*" || d.eq_ignore_ascii_case(s) {
        return true;
    }
    match d.strip_suffix("/*") {
        Some(kind) => s
            .split('/')
            .next()
            .is_some_and(|k| k.eq_ignore_ascii_case(kind)),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_types() {
        assert!(media_matches(
            "application/json",
            "application/json; charset=utf-8"
        ));
        assert!(media_matches("application/*", "application/xml"));
        assert!(media_matches("*/*", "text/plain"));
        assert!(!media_matches("application/json", "text/plain"));
    }
}
