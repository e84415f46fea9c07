//! Building responses: documented ones (example, generated, or carrying error messages)
//! and the few the contract cannot document (unknown path, wrong method, too large).

use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use kontrat_generator::model::json_schema::Direction;
use kontrat_generator::model::{
    MediaType, Operation, Response, ResponseStatus, example, is_json_media_type,
    media_type_essence, sample::sample,
};
use rand::SeedableRng;
use serde_json::{Value, json};

use crate::check::media_matches;
use crate::compiled::{Compiled, Prepared};

/// A response about to be sent.
#[derive(Debug, Clone)]
pub(crate) struct Answer {
    pub status: StatusCode,
    pub content_type: Option<HeaderValue>,
    pub body: Bytes,
    pub headers: Vec<(HeaderName, HeaderValue)>,
    /// The example served, if any (`""` is the single `example`).
    pub example: Option<String>,
    /// How the body was made (`example`, `generated`, `dynamic`, `errors`).
    pub source: &'static str,
}

impl Answer {
    /// An empty 500, for a decision still being made.
    pub(crate) fn placeholder() -> Self {
        Answer {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            content_type: None,
            body: Bytes::new(),
            headers: Vec::new(),
            example: None,
            source: "none",
        }
    }
}

/// What to put in a documented response's body.
#[derive(Debug, Clone)]
pub(crate) enum Body<'a> {
    /// An example: the named one, or the default.
    Example(Option<&'a str>),
    /// A value drawn from the schema with this seed.
    Dynamic(u64),
    /// The default example, carrying these messages (validation and auth failures).
    Messages(&'a [String]),
}

/// Why a documented answer could not be built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Undocumented {
    /// The operation documents nothing for the status.
    Status,
    /// The response has no example of that name; the names it has.
    Example(Vec<String>),
}

/// The documented answer of operation `op` for `status`.
pub(crate) fn documented(
    compiled: &Compiled,
    op: usize,
    status: u16,
    body: Body<'_>,
    accept: Option<&str>,
    now: &str,
) -> Result<Answer, Undocumented> {
    let operation = &compiled.contract.operations[op];
    let response = operation.response_for(status).ok_or(Undocumented::Status)?;
    let r = operation
        .responses
        .iter()
        .position(|x| std::ptr::eq(x, response))
        .ok_or(Undocumented::Status)?;
    let status_code = StatusCode::from_u16(status).map_err(|_| Undocumented::Status)?;
    let mut headers = compiled.response_headers(op, r).to_vec();
    if status == 401
        && let Some(challenge) = challenge(compiled, operation)
    {
        headers.push((http::header::WWW_AUTHENTICATE, challenge));
    }
    let Some((m, media_type, media)) = negotiate(response, accept) else {
        return Ok(Answer {
            status: status_code,
            content_type: None,
            body: Bytes::new(),
            headers,
            example: None,
            source: "no content",
        });
    };
    let json = is_json_media_type(media_type);
    let prepared = compiled.prepared(op, r, m, status);
    let pick = |name: Option<&str>| -> Result<Option<&Prepared>, Undocumented> {
        match name {
            None => Ok(prepared.first()),
            Some(n) => prepared
                .iter()
                .find(|p| p.name == n)
                .map(Some)
                .ok_or_else(|| {
                    Undocumented::Example(
                        media
                            .examples
                            .keys()
                            .filter(|k| !k.is_empty())
                            .cloned()
                            .collect(),
                    )
                }),
        }
    };
    let mut answer = Answer {
        status: status_code,
        content_type: compiled.content_type(op, r, m),
        body: Bytes::new(),
        headers,
        example: None,
        source: "example",
    };
    if !json {
        let chosen = match body {
            Body::Example(name) => pick(name)?,
            _ => pick(None)?,
        };
        answer.body = match chosen.map(|p| &p.value) {
            Some(Value::String(s)) => Bytes::from(s.clone()),
            Some(Value::Null) | None => Bytes::new(),
            Some(other) => Bytes::from(other.to_string()),
        };
        return Ok(answer);
    }
    match body {
        Body::Example(name) => {
            if let Some(p) = pick(name)? {
                answer.body = p.template.render(now);
                answer.source = match (p.valid, p.name == "generated") {
                    (false, _) => "body that does not validate (no value of the schema was found)",
                    (true, true) => "generated",
                    (true, false) => "example",
                };
                mark_invalid(&mut answer, p);
                answer.example = Some(p.name.clone());
            }
        }
        Body::Dynamic(seed) => {
            let validator = compiled.response_validator(op, r, m);
            let drawn = media.schema.as_ref().and_then(|schema| {
                let rng = &mut rand::rngs::ChaCha8Rng::seed_from_u64(seed);
                (0..16).find_map(|_| {
                    let mut v = sample(&compiled.contract, schema, Direction::Response, rng);
                    compiled.make_live(&mut v, Some(schema), status, now);
                    validator
                        .as_ref()
                        .is_none_or(|val| val.is_valid(&v))
                        .then_some(v)
                })
            });
            match drawn {
                Some(v) => {
                    answer.body = Bytes::from(serde_json::to_vec(&v).unwrap_or_default());
                    answer.source = "dynamic";
                }
                None => {
                    if let Some(p) = pick(None)? {
                        answer.body = p.template.render(now);
                        answer.example = Some(p.name.clone());
                        mark_invalid(&mut answer, p);
                    }
                }
            }
        }
        Body::Messages(messages) => {
            if let Some(p) = pick(None)? {
                let validator = compiled.response_validator(op, r, m);
                let mut v = p.value.clone();
                if with_messages(compiled, media, &mut v, messages) {
                    compiled.make_live(&mut v, media.schema.as_ref(), status, now);
                }
                if validator.as_ref().is_none_or(|val| val.is_valid(&v)) && v != p.value {
                    answer.body = Bytes::from(serde_json::to_vec(&v).unwrap_or_default());
                    answer.source = "errors";
                } else {
                    // The messages do not fit the documented shape: the example does.
                    answer.body = p.template.render(now);
                    answer.example = Some(p.name.clone());
                    mark_invalid(&mut answer, p);
                }
            }
        }
    }
    debug_assert_valid(compiled, op, r, m, &answer);
    Ok(answer)
}

/// Marks an answer whose prepared body is not valid (see [`INVALID_BODY`]).
fn mark_invalid(answer: &mut Answer, p: &Prepared) {
    if !p.valid {
        answer.headers.push((
            INVALID_BODY,
            HeaderValue::from_static("no value of the documented schema was found"),
        ));
    }
}

/// In debug builds (every test), a documented JSON answer must validate against its
/// schema unless it is marked [`INVALID_BODY`]: the contract is the law, checked at the
/// one place every documented body passes.
fn debug_assert_valid(compiled: &Compiled, op: usize, r: usize, m: usize, answer: &Answer) {
    if !cfg!(debug_assertions)
        || answer.headers.iter().any(|(k, _)| *k == INVALID_BODY)
        || answer.body.is_empty()
    {
        return;
    }
    let Some(validator) = compiled.response_validator(op, r, m) else {
        return;
    };
    if let Ok(value) = serde_json::from_slice::<Value>(&answer.body) {
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .take(3)
            .map(|e| format!("{}: {e}", e.instance_path()))
            .collect();
        debug_assert!(
            errors.is_empty(),
            "the mock was about to send a body its schema refuses ({}, response {r}): {errors:?}",
            compiled.contract.operations[op].id
        );
    }
}

/// Puts `messages` where the documented shape carries messages: the envelope's errors
/// (after the documented message), or a `message`-like text field. False when the shape
/// has no place for them.
fn with_messages(
    compiled: &Compiled,
    media: &MediaType,
    value: &mut Value,
    messages: &[String],
) -> bool {
    if messages.is_empty() {
        return false;
    }
    let is_envelope = media
        .schema
        .as_ref()
        .is_some_and(|s| compiled.contract.envelope_data(s).is_some());
    if let (true, Some(env)) = (is_envelope, &compiled.contract.envelope)
        && let Some(key) = &env.roles.errors
        && let Some(map) = value.as_object_mut()
    {
        let mut list: Vec<Value> = map
            .get(key)
            .and_then(Value::as_array)
            .and_then(|a| a.first())
            .filter(|v| v.is_string())
            .cloned()
            .into_iter()
            .collect();
        list.extend(messages.iter().map(|m| Value::String(m.clone())));
        map.insert(key.clone(), Value::Array(list));
        return true;
    }
    let Some(map) = value.as_object_mut() else {
        return false;
    };
    for key in [
        "detail",
        "message",
        "error_description",
        "errorMessage",
        "error",
        "description",
        "title",
    ] {
        if let Some(slot) = map.get_mut(key).filter(|v| v.is_string()) {
            *slot = Value::String(messages.join("; "));
            return true;
        }
    }
    false
}

/// The response media type the client accepts (JSON preferred), with its index.
fn negotiate<'a>(
    response: &'a Response,
    accept: Option<&str>,
) -> Option<(usize, &'a str, &'a MediaType)> {
    // JSON first; otherwise document (map) order. Iterators, not a sorted Vec: this runs
    // on every request.
    let ordered = || {
        let all = response
            .content
            .iter()
            .enumerate()
            .map(|(i, (k, v))| (i, k.as_str(), v));
        let json = all.clone().filter(|(_, k, _)| is_json_media_type(k));
        json.chain(all.filter(|(_, k, _)| !is_json_media_type(k)))
    };
    let accepted = |media_type: &str| match accept {
        None => true,
        Some(a) => a.split(',').any(|range| {
            let range = media_type_essence(range);
            range.is_empty() || media_matches(range, media_type)
        }),
    };
    ordered()
        .find(|(_, k, _)| accepted(k))
        .or_else(|| ordered().next())
}

/// `WWW-Authenticate` for a 401 of an operation secured by HTTP schemes.
fn challenge(compiled: &Compiled, operation: &Operation) -> Option<HeaderValue> {
    use kontrat_generator::model::SecuritySchemeKind as K;
    operation
        .security
        .iter()
        .flat_map(|alt| alt.keys())
        .filter_map(|n| compiled.contract.security_schemes.get(n))
        .find_map(|s| match &s.kind {
            K::Bearer { .. } | K::OAuth2 => Some(HeaderValue::from_static("Bearer")),
            K::Basic => Some(HeaderValue::from_static("Basic")),
            K::OtherHttp { scheme } => HeaderValue::from_str(scheme).ok(),
            K::ApiKey { .. } => None,
        })
}

/// Marks an answer whose status the contract does not document for the request (an
/// unknown path, or a refusal the operation documents no 400/401 for): the gap is the
/// spec's, and `kontrat lint` reports it; clients and test tools can tell it apart.
pub const UNDOCUMENTED_STATUS: HeaderName = HeaderName::from_static("kontrat-undocumented-status");

/// Marks a body that does not validate against its documented schema: the mock found no
/// value that does (a `oneOf` whose branches all overlap, an example contradicting an
/// unsatisfiable schema). Never sent when a valid value exists.
pub const INVALID_BODY: HeaderName = HeaderName::from_static("kontrat-invalid-body");

/// An answer the contract cannot document (unknown path, wrong method, body too large,
/// a misused `Prefer`, a refusal the operation documents no status for): in the shared
/// envelope when the spec has one, in RFC 9457 problem+json otherwise, always marked with
/// [`UNDOCUMENTED_STATUS`].
pub(crate) fn undocumented(
    compiled: &Compiled,
    status: StatusCode,
    messages: &[String],
    now: &str,
) -> Answer {
    let mut answer = undocumented_body(compiled, status, messages, now);
    let note = format!(
        "the contract documents no {} answer for this request",
        status.as_u16()
    );
    if let Ok(v) = HeaderValue::from_str(&note) {
        answer.headers.push((UNDOCUMENTED_STATUS, v));
    }
    answer
}

fn undocumented_body(
    compiled: &Compiled,
    status: StatusCode,
    messages: &[String],
    now: &str,
) -> Answer {
    let title = status.canonical_reason().unwrap_or("Error");
    if let Some((mut envelope, same_status)) = envelope_like(compiled, status.as_u16()) {
        let env = compiled.contract.envelope.as_ref();
        if let (Some(env), Value::Object(map)) = (env, &mut envelope) {
            if let Some(k) = &env.roles.errors {
                // The spec's own message for this status when it documents one.
                let head = map
                    .get(k)
                    .and_then(Value::as_array)
                    .and_then(|a| a.first())
                    .filter(|v| same_status && v.is_string())
                    .cloned()
                    .unwrap_or_else(|| Value::String(title.to_owned()));
                let mut list = vec![head];
                list.extend(messages.iter().map(|m| Value::String(m.clone())));
                map.insert(k.clone(), Value::Array(list));
            }
            if let Some(k) = &env.roles.timestamp {
                map.insert(k.clone(), Value::String(now.to_owned()));
            }
            map.insert(env.data_property.clone(), Value::Null);
        }
        return Answer {
            status,
            content_type: Some(HeaderValue::from_static("application/json")),
            body: Bytes::from(serde_json::to_vec(&envelope).unwrap_or_default()),
            headers: Vec::new(),
            example: None,
            source: "envelope",
        };
    }
    let body = json!({
        "type": "about:blank",
        "title": title,
        "status": status.as_u16(),
        "detail": messages.join("; "),
    });
    Answer {
        status,
        content_type: Some(HeaderValue::from_static("application/problem+json")),
        body: Bytes::from(serde_json::to_vec(&body).unwrap_or_default()),
        headers: Vec::new(),
        example: None,
        source: "problem+json",
    }
}

/// An error envelope of the spec for `status`: a documented error response that uses the
/// envelope (the same status if any operation documents it, then true), patched to `status`.
fn envelope_like(compiled: &Compiled, status: u16) -> Option<(Value, bool)> {
    compiled.contract.envelope.as_ref()?;
    let mut candidates: Vec<(u8, usize, usize, usize, u16)> = Vec::new();
    for (o, op) in compiled.contract.operations.iter().enumerate() {
        for (r, resp) in op.responses.iter().enumerate() {
            if resp.status.is_success() {
                continue;
            }
            let Some(m) = resp.content.iter().position(|(k, media)| {
                is_json_media_type(k)
                    && media
                        .schema
                        .as_ref()
                        .is_some_and(|s| compiled.contract.envelope_data(s).is_some())
            }) else {
                continue;
            };
            let (rank, own) = match resp.status {
                ResponseStatus::Code(c) if c == status => (0, c),
                ResponseStatus::Code(c) => (1, c),
                ResponseStatus::Range(d) => (2, d * 100),
                ResponseStatus::Default => (3, 500),
            };
            candidates.push((rank, o, r, m, own));
        }
    }
    let (rank, o, r, m, own) = candidates.into_iter().min()?;
    let mut value = compiled.prepared(o, r, m, own).first()?.value.clone();
    example::patch_envelope(&compiled.contract, &mut value, status);
    Some((value, rank == 0))
}

/// Copies an answer into an HTTP response.
pub(crate) fn into_response(answer: &Answer, extra: HeaderMap) -> axum::response::Response {
    let mut response = axum::response::Response::new(axum::body::Body::from(answer.body.clone()));
    *response.status_mut() = answer.status;
    let headers = response.headers_mut();
    if let Some(ct) = &answer.content_type {
        headers.insert(http::header::CONTENT_TYPE, ct.clone());
    }
    for (k, v) in &answer.headers {
        headers.append(k.clone(), v.clone());
    }
    headers.extend(extra);
    response
}
