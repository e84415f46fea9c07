//! A contract made ready to serve: routes, validators and response bodies.
//!
//! Built once per (re)load and shared read-only between requests. Validators and bodies
//! are compiled on first use (`OnceLock`), so a spec with hundreds of operations starts
//! serving at once and pays only for the operations it is asked about.

use std::sync::{Arc, OnceLock};

use bytes::Bytes;
use http::{HeaderName, HeaderValue};
use jsonschema::Validator;
use kontrat_generator::model::json_schema::{self, Direction};
use kontrat_generator::model::served;
use kontrat_generator::model::{Contract, MediaType, Operation, ResponseStatus, Schema, example};
use serde_json::Value;

use crate::routing::Routes;

/// The served contract.
pub struct Compiled {
    /// The contract model, as the generator built it.
    pub contract: Contract,
    pub(crate) routes: Routes,
    pub(crate) operations: Vec<OperationPlan>,
    pub(crate) static_examples: bool,
}

pub(crate) struct OperationPlan {
    /// One validator per parameter, in `Operation::parameters` order.
    pub params: Vec<OnceLock<Option<Arc<Validator>>>>,
    /// Request body validators by media type (same order as the body's content map).
    pub bodies: Vec<OnceLock<Option<Arc<Validator>>>>,
    /// Per documented response, per media type (content map order).
    pub responses: Vec<Vec<MediaPlan>>,
    /// Per documented response, the values of its required headers.
    pub headers: Vec<OnceLock<Vec<(HeaderName, HeaderValue)>>>,
    /// Query keys that belong to a parameter or an API key, which an exploded object
    /// parameter must not take as its own free-form properties (made once, not per request).
    pub claimed_query_keys: Vec<String>,
}

pub(crate) struct MediaPlan {
    /// The media type as a header value, made once (`None` if it cannot be one).
    content_type: Option<HeaderValue>,
    validator: OnceLock<Option<Arc<Validator>>>,
    /// The bodies for a fixed status (responses documented by exact code).
    fixed: OnceLock<Vec<Prepared>>,
}

/// A response body ready to send.
#[derive(Debug, Clone)]
pub(crate) struct Prepared {
    /// The example's name (`""` for the single `example`, `generated` when synthesised).
    pub name: String,
    /// The value, with the envelope's flag and status agreeing with the status.
    pub value: Value,
    /// The serialised body, split around the live timestamp.
    pub template: Template,
    /// False when neither the example nor a synthesised value validates.
    pub valid: bool,
}

/// Serialised JSON with an optional hole for the envelope's timestamp.
#[derive(Debug, Clone)]
pub(crate) enum Template {
    Whole(Bytes),
    Timestamp { before: Bytes, after: Bytes },
}

/// Marks the timestamp's place while serialising; cannot appear in a spec's example
/// because it is replaced before the example is ever read back.
const HOLE: &str = "\u{1}kontrat-timestamp\u{1}";

impl Template {
    /// The body, with `now` in the hole.
    pub(crate) fn render(&self, now: &str) -> Bytes {
        match self {
            Template::Whole(b) => b.clone(),
            Template::Timestamp { before, after } => {
                let mut out = Vec::with_capacity(before.len() + after.len() + now.len() + 2);
                out.extend_from_slice(before);
                out.push(b'"');
                out.extend_from_slice(now.as_bytes());
                out.push(b'"');
                out.extend_from_slice(after);
                Bytes::from(out)
            }
        }
    }
}

impl Compiled {
    /// Compiles `contract`; `static_examples` serves examples verbatim (no live envelope).
    pub fn new(contract: Contract, static_examples: bool) -> Self {
        let routes = Routes::new(&contract);
        let operations = contract
            .operations
            .iter()
            .map(|op| OperationPlan {
                params: op.parameters.iter().map(|_| OnceLock::new()).collect(),
                bodies: op
                    .request_body
                    .iter()
                    .flat_map(|b| b.content.values())
                    .map(|_| OnceLock::new())
                    .collect(),
                responses: op
                    .responses
                    .iter()
                    .map(|r| {
                        r.content
                            .keys()
                            .map(|media_type| MediaPlan {
                                content_type: HeaderValue::from_str(media_type).ok(),
                                validator: OnceLock::new(),
                                fixed: OnceLock::new(),
                            })
                            .collect()
                    })
                    .collect(),
                headers: op.responses.iter().map(|_| OnceLock::new()).collect(),
                claimed_query_keys: op
                    .parameters
                    .iter()
                    .filter(|p| p.location == kontrat_generator::model::ParameterLocation::Query)
                    .map(|p| p.name.as_str())
                    .chain(contract.query_api_keys())
                    .map(str::to_owned)
                    .collect(),
            })
            .collect();
        Self {
            contract,
            routes,
            operations,
            static_examples,
        }
    }

    /// Values for the headers response `response` of operation `op` marks required
    /// (synthesised from their schemas once, not per request).
    pub(crate) fn response_headers(
        &self,
        op: usize,
        response: usize,
    ) -> &[(HeaderName, HeaderValue)] {
        self.operations[op].headers[response].get_or_init(|| {
            let mut out = Vec::new();
            for (name, header) in &self.contract.operations[op].responses[response].headers {
                let lower = name.to_ascii_lowercase();
                if !header.required || lower == "content-type" || lower == "content-length" {
                    continue;
                }
                let text = match example::synthesize(
                    &self.contract,
                    &header.schema,
                    Direction::Response,
                ) {
                    Value::String(s) => s,
                    Value::Null => continue,
                    other => other.to_string(),
                };
                if let (Ok(n), Ok(v)) = (
                    HeaderName::from_bytes(lower.as_bytes()),
                    HeaderValue::from_str(&text),
                ) {
                    out.push((n, v));
                }
            }
            out
        })
    }

    /// The validator of parameter `index` of operation `op`.
    pub(crate) fn param_validator(&self, op: usize, index: usize) -> Option<&Validator> {
        self.operations[op].params[index]
            .get_or_init(|| {
                let p = &self.contract.operations[op].parameters[index];
                validator(&self.contract, &p.schema, Direction::Request)
            })
            .as_deref()
    }

    /// The validator of request media type number `index` of operation `op`.
    pub(crate) fn body_validator(&self, op: usize, index: usize) -> Option<&Validator> {
        self.operations[op].bodies[index]
            .get_or_init(|| {
                let body = self.contract.operations[op].request_body.as_ref()?;
                let media = body.content.values().nth(index)?;
                validator(&self.contract, media.schema.as_ref()?, Direction::Request)
            })
            .as_deref()
    }

    /// The `Content-Type` of response `response`, media type number `media`, of `op`.
    pub(crate) fn content_type(
        &self,
        op: usize,
        response: usize,
        media: usize,
    ) -> Option<HeaderValue> {
        self.operations[op].responses[response][media]
            .content_type
            .clone()
    }

    /// The validator of response `response`, media type number `media`, of operation `op`.
    pub(crate) fn response_validator(
        &self,
        op: usize,
        response: usize,
        media: usize,
    ) -> Option<&Validator> {
        self.operations[op].responses[response][media]
            .validator
            .get_or_init(|| {
                let media = self.contract.operations[op].responses[response]
                    .content
                    .values()
                    .nth(media)?;
                validator(&self.contract, media.schema.as_ref()?, Direction::Response)
            })
            .as_deref()
    }

    /// The bodies of a response media type for `status`: its examples (or a synthesised
    /// value when there are none, or when they do not validate), made live.
    pub(crate) fn prepared(
        &self,
        op: usize,
        response: usize,
        media: usize,
        status: u16,
    ) -> std::borrow::Cow<'_, [Prepared]> {
        let fixed = matches!(
            self.contract.operations[op].responses[response].status,
            ResponseStatus::Code(_)
        );
        if fixed {
            let plan = &self.operations[op].responses[response][media];
            std::borrow::Cow::Borrowed(
                plan.fixed
                    .get_or_init(|| self.prepare(op, response, media, status))
                    .as_slice(),
            )
        } else {
            std::borrow::Cow::Owned(self.prepare(op, response, media, status))
        }
    }

    fn prepare(&self, op: usize, response: usize, media: usize, status: u16) -> Vec<Prepared> {
        let operation: &Operation = &self.contract.operations[op];
        let Some(m): Option<&MediaType> = operation.responses[response].content.values().nth(media)
        else {
            return Vec::new();
        };
        let validator = self.response_validator(op, response, media);
        let is_valid = |v: &Value| validator.as_ref().is_none_or(|val| val.is_valid(v));
        let examples = if self.static_examples {
            served::Examples::Verbatim
        } else {
            served::Examples::Live
        };
        let bodies = served::bodies(&self.contract, m, status, examples, &is_valid);
        for b in &bodies {
            if let Some(pointer) = &b.replaces {
                tracing::warn!(
                    "{} {}: example at {pointer} does not validate against its schema; serving a synthesised body instead",
                    operation.method,
                    operation.path,
                );
            }
        }
        if bodies.iter().any(|b| !b.valid) {
            // Said once per response (bodies are prepared once); answers carry a header.
            tracing::warn!(
                "{} {}: no value of the {status} response schema was found (a `oneOf` whose branches overlap?); its answers are marked `kontrat-invalid-body`",
                operation.method,
                operation.path,
            );
        }
        bodies
            .into_iter()
            .map(|b| self.finish(b.name, b.value, b.valid, m.schema.as_ref()))
            .collect()
    }

    fn finish(&self, name: String, value: Value, valid: bool, schema: Option<&Schema>) -> Prepared {
        let template = self.template(&value, schema);
        Prepared {
            name,
            value,
            template,
            valid,
        }
    }

    /// Serialises `value`, leaving a hole for the envelope's timestamp when it is live.
    pub(crate) fn template(&self, value: &Value, schema: Option<&Schema>) -> Template {
        let key = self.live_timestamp_key(value, schema);
        let Some(key) = key else {
            return Template::Whole(Bytes::from(serde_json::to_vec(value).unwrap_or_default()));
        };
        let mut holed = value.clone();
        holed[key] = Value::String(HOLE.into());
        let text = serde_json::to_string(&holed).unwrap_or_default();
        let quoted = serde_json::to_string(HOLE).unwrap_or_default();
        match text.split_once(&quoted) {
            Some((before, after)) => Template::Timestamp {
                before: Bytes::copy_from_slice(before.as_bytes()),
                after: Bytes::copy_from_slice(after.as_bytes()),
            },
            None => Template::Whole(Bytes::from(text)),
        }
    }

    /// The timestamp property when `value` is an envelope whose timestamp is made live.
    fn live_timestamp_key<'v>(&self, value: &'v Value, schema: Option<&Schema>) -> Option<&'v str> {
        if self.static_examples {
            return None;
        }
        let env = self.contract.envelope.as_ref()?;
        let key = env.roles.timestamp.as_deref()?;
        self.contract.envelope_data(schema?)?;
        value
            .as_object()?
            .get_key_value(key)
            .filter(|(_, v)| v.is_string())
            .map(|(k, _)| k.as_str())
    }

    /// See [`served::make_live`].
    pub(crate) fn make_live(
        &self,
        value: &mut Value,
        schema: Option<&Schema>,
        status: u16,
        now: &str,
    ) {
        served::make_live(&self.contract, value, schema, status, now);
    }
}

/// Checking what others send against the contract: the verifier judges live servers and
/// the proxy judges real traffic with the same routes and validators the mock uses.
impl Compiled {
    /// The operation that `method` and `path` (no query string) reach, as the mock routes
    /// them (literal segments before parameters, the spec's server base paths tried too).
    pub fn route(&self, method: &http::Method, path: &str) -> crate::RouteMatch {
        self.routes.find(method, path)
    }

    /// Checks a request to operation `op` as the mock does before answering it:
    /// credentials first (on secured operations), then every parameter and body problem.
    /// Messages never echo values.
    pub fn check_request(
        &self,
        op: usize,
        request: &crate::RequestParts<'_>,
    ) -> Result<(), crate::Refusal> {
        crate::check::check(self, op, request)
    }

    /// `query` with the values of API-key parameters masked (`api_key=***`), for logs.
    pub fn masked_query(&self, query: &str) -> String {
        let secret: Vec<&str> = self.contract.query_api_keys().collect();
        if secret.is_empty() {
            return query.to_owned();
        }
        query
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((k, _)) if secret.contains(&k) => format!("{k}=***"),
                _ => pair.to_owned(),
            })
            .collect::<Vec<_>>()
            .join("&")
    }

    /// An answer the contract cannot document (`status` with `messages`): the shared
    /// envelope when the spec has one, `application/problem+json` otherwise, marked with
    /// [`crate::UNDOCUMENTED_STATUS`] — what the mock sends for an unknown path.
    pub fn undocumented_response(
        &self,
        status: http::StatusCode,
        messages: &[String],
    ) -> axum::response::Response {
        let answer = crate::answer::undocumented(self, status, messages, &crate::handler::now());
        crate::answer::into_response(&answer, http::HeaderMap::new())
    }

    /// True when `value` is a valid request body of operation `op` for `media_type`
    /// (true when the contract gives no schema for it).
    pub fn request_body_is_valid(&self, op: usize, media_type: &str, value: &Value) -> bool {
        let Some(index) = self.contract.operations[op]
            .request_body
            .as_ref()
            .and_then(|b| b.content.keys().position(|k| k == media_type))
        else {
            return false;
        };
        self.body_validator(op, index)
            .is_none_or(|v| v.is_valid(value))
    }

    /// What is wrong with a response of operation `op`: an undocumented status, a content
    /// type the status does not document, a body that breaks its schema (values masked),
    /// and for a shared envelope its invariants (`isSuccess` true exactly on 2xx,
    /// `statusCode` equal to the HTTP status, `data` null and `errors` non-empty on errors,
    /// `timestamp` in RFC 3339 UTC). Empty when the response honours the contract.
    ///
    /// `body` is `None` when it was not read (streamed on, too large to hold, or a `HEAD`
    /// answer): then only the status and the content type are judged.
    pub fn response_problems(
        &self,
        op: usize,
        status: u16,
        content_type: Option<&str>,
        body: Option<&[u8]>,
    ) -> Vec<String> {
        let operation = &self.contract.operations[op];
        let Some(response) = operation.response_for(status) else {
            let documented: Vec<String> = operation
                .responses
                .iter()
                .map(|r| r.status.to_string())
                .collect();
            return vec![format!(
                "status {status} is not documented (documented: {})",
                documented.join(", ")
            )];
        };
        let r = operation
            .responses
            .iter()
            .position(|x| std::ptr::eq(x, response))
            .unwrap_or_default();
        if response.content.is_empty() {
            return match body {
                Some(body) if !body.is_empty() => vec![format!(
                    "status {status} is documented without a body, but {} bytes came back",
                    body.len()
                )],
                _ => Vec::new(),
            };
        }
        let documented = || {
            response
                .content
                .keys()
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        };
        let Some(content_type) = content_type else {
            return vec![format!("no Content-Type (documented: {})", documented())];
        };
        let Some((m, (media_type, media))) = response
            .content
            .iter()
            .enumerate()
            .find(|(_, (k, _))| crate::check::media_matches(k, content_type))
        else {
            return vec![format!(
                "Content-Type `{content_type}` is not documented for {status} (documented: {})",
                documented()
            )];
        };
        let Some(body) = body.filter(|_| kontrat_generator::model::is_json_media_type(media_type))
        else {
            return Vec::new();
        };
        let value: Value = match serde_json::from_slice(body) {
            Ok(mut v) => {
                crate::check::below_i64_kept_below(&mut v);
                v
            }
            Err(e) => return vec![format!("the body is not JSON ({e})")],
        };
        let mut problems: Vec<String> = match self.response_validator(op, r, m) {
            Some(v) if !v.is_valid(&value) => v
                .iter_errors(&value)
                .take(8)
                .map(|e| format!("body{}: {}", e.instance_path(), e.masked()))
                .collect(),
            _ => Vec::new(),
        };
        if let (Some(env), Some(schema)) = (&self.contract.envelope, &media.schema)
            && self.contract.envelope_data(schema).is_some()
        {
            problems.extend(envelope_problems(env, &value, status));
        }
        problems
    }
}

fn envelope_problems(
    env: &kontrat_generator::model::Envelope,
    value: &Value,
    status: u16,
) -> Vec<String> {
    let mut out = Vec::new();
    let success = (200..300).contains(&status);
    fn field<'a>(value: &'a Value, key: &'a Option<String>) -> Option<(&'a str, &'a Value)> {
        key.as_deref().and_then(|k| value.get(k).map(|v| (k, v)))
    }
    if let Some((k, v)) = field(value, &env.roles.success)
        && v.as_bool() != Some(success)
    {
        out.push(format!(
            "envelope: `{k}` is {v} on a {status} (must be {success})"
        ));
    }
    if let Some((k, v)) = field(value, &env.roles.status)
        && v.as_u64() != Some(u64::from(status))
    {
        out.push(format!(
            "envelope: `{k}` is {v}, the HTTP status is {status}"
        ));
    }
    if !success {
        if let Some(v) = value.get(&env.data_property)
            && !v.is_null()
        {
            out.push(format!(
                "envelope: `{}` is not null on a {status}",
                env.data_property
            ));
        }
        if let Some((k, v)) = field(value, &env.roles.errors)
            && v.as_array().is_none_or(Vec::is_empty)
        {
            out.push(format!("envelope: `{k}` is empty on a {status}"));
        }
    }
    if let Some((k, v)) = field(value, &env.roles.timestamp) {
        let utc = v
            .as_str()
            .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok().map(|d| (t, d)));
        match utc {
            Some((text, d))
                if d.offset().local_minus_utc() == 0
                    && (text.ends_with('Z') || text.ends_with("+00:00")) => {}
            _ => out.push(format!("envelope: `{k}` is not an RFC 3339 UTC time: {v}")),
        }
    }
    out
}

fn validator(contract: &Contract, schema: &Schema, direction: Direction) -> Option<Arc<Validator>> {
    match json_schema::validator(contract, schema, direction) {
        Ok(v) => Some(Arc::new(v)),
        Err(e) => {
            // The loader accepted the schema; a validator that cannot compile it (an
            // unsupported regex, say) must not take the mock down: skip validation there.
            tracing::warn!(
                "schema at {} cannot be validated ({e}); accepting any value",
                schema.pointer
            );
            None
        }
    }
}
