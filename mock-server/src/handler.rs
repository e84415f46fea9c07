//! The answer to one request of the contract: match, choose, check, respond, record.

use std::time::{Duration, Instant};

use axum::extract::Request;
use axum::response::Response;
use http::{HeaderMap, HeaderValue, StatusCode, header};
use http_body_util::BodyExt;
use kontrat_generator::model::{Operation, ResponseStatus};

use crate::Mock;
use crate::answer::{self, Answer, Body, Undocumented};
use crate::check::{self, Refusal};
use crate::compiled::Compiled;
use crate::journal::Entry;
use crate::prefer::Prefer;
use crate::routing::Match;

/// Now, as the envelope's timestamps are written (`2026-01-15T10:30:00.000Z`).
pub(crate) fn now() -> String {
    thread_local! {
        /// The last millisecond formatted on this thread: under load, most requests
        /// arrive in a millisecond some other request already formatted.
        static LAST: std::cell::RefCell<(i64, String)> = const {
            std::cell::RefCell::new((i64::MIN, String::new()))
        };
    }
    let now = chrono::Utc::now();
    let millis = now.timestamp_millis();
    LAST.with_borrow_mut(|(at, text)| {
        if *at != millis {
            *at = millis;
            *text = now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        }
        text.clone()
    })
}

/// The number of a request's journal entry, answered to `Prefer: journal`.
const REQUEST_SEQ: http::HeaderName = http::HeaderName::from_static("kontrat-request-seq");
const PREFERENCE_APPLIED: http::HeaderName = http::HeaderName::from_static("preference-applied");

/// What was decided for a request, for the log and the journal.
struct Decision {
    answer: Answer,
    operation: Option<String>,
    reason: String,
    problems: Vec<String>,
    seed: Option<u64>,
    delay: Duration,
    extra: HeaderMap,
}

/// Answers a request of the contract (anything outside `/__kontrat`).
pub(crate) async fn handle(mock: &Mock, request: Request) -> Response {
    let started = Instant::now();
    let (parts, body) = request.into_parts();
    let config = mock.config();
    let body = read_body(body, config.body_limit, config.body_timeout).await;
    // Decided without awaiting: the future stays small (it is moved through every layer).
    let (response, delay) = respond(mock, &parts, body, started);
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    response
}

/// The answer to a request whose body has been read, and the latency to add to it.
fn respond(
    mock: &Mock,
    parts: &http::request::Parts,
    body: Result<bytes::Bytes, BodyError>,
    started: Instant,
) -> (Response, Duration) {
    let at = now();
    // A guard, not a clone: cloning the Arc would bounce its counter between cores on
    // every request.
    let compiled = mock.shared.compiled.load();
    let prefer = Prefer::parse(&parts.headers);
    let path = parts.uri.path().to_owned();
    let config = mock.config();

    let bytes = match body {
        Ok(b) => Ok(b),
        Err(BodyError::TooLarge) => Err((
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("the body is larger than {} bytes", config.body_limit),
        )),
        Err(BodyError::Timeout) => Err((
            StatusCode::REQUEST_TIMEOUT,
            format!(
                "the body did not arrive within {} s",
                config.body_timeout.as_secs()
            ),
        )),
        Err(BodyError::Broken) => Err((
            StatusCode::BAD_REQUEST,
            "the body could not be read".to_owned(),
        )),
    };

    let mut decision = match (bytes, compiled.routes.find(&parts.method, &path)) {
        (Err((status, why)), found) => Decision {
            answer: answer::undocumented(&compiled, status, std::slice::from_ref(&why), &at),
            operation: match found {
                Match::Found { operation, .. } => {
                    Some(compiled.contract.operations[operation].id.clone())
                }
                _ => None,
            },
            reason: why,
            problems: Vec::new(),
            seed: None,
            delay: Duration::ZERO,
            extra: HeaderMap::new(),
        },
        (Ok(body), Match::Found { operation, params }) => {
            let req = check::Request {
                headers: &parts.headers,
                query: parts.uri.query(),
                path_params: &params,
                body: Some(&body),
            };
            decide(mock, &compiled, operation, &req, &prefer, &at)
        }
        (Ok(_), unrouted) => {
            let why = unrouted
                .why_unrouted(&parts.method, &path)
                .unwrap_or_default();
            let (status, extra) = match &unrouted {
                Match::MethodNotAllowed(allowed) => {
                    let list: Vec<&str> = allowed.iter().map(|m| m.as_str()).collect();
                    let mut extra = HeaderMap::new();
                    if let Ok(v) = HeaderValue::from_str(&list.join(", ")) {
                        extra.insert(header::ALLOW, v);
                    }
                    (StatusCode::METHOD_NOT_ALLOWED, extra)
                }
                _ => (StatusCode::NOT_FOUND, HeaderMap::new()),
            };
            Decision {
                answer: answer::undocumented(&compiled, status, std::slice::from_ref(&why), &at),
                operation: None,
                reason: why,
                problems: Vec::new(),
                seed: None,
                delay: Duration::ZERO,
                extra,
            }
        }
    };
    let delay = prefer.delay.unwrap_or(decision.delay.max(config.delay));
    let micros = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX);
    tracing::info!(
        "{} {} → {} → {} ({}{}) {} µs",
        parts.method,
        path,
        decision.operation.as_deref().unwrap_or("no operation"),
        decision.answer.status.as_u16(),
        decision.reason,
        match &decision.answer.example {
            Some(e) if e.is_empty() => "; example".to_owned(),
            Some(e) => format!("; example `{e}`"),
            None => format!("; {}", decision.answer.source),
        },
        micros
    );
    let seq = mock.record(Entry {
        seq: 0,
        at,
        method: parts.method.as_str().to_owned(),
        path,
        query: parts.uri.query().map(|q| compiled.masked_query(q)),
        operation: decision.operation.take(),
        status: decision.answer.status.as_u16(),
        example: decision.answer.example.clone(),
        reason: std::mem::take(&mut decision.reason),
        problems: std::mem::take(&mut decision.problems),
        seed: decision.seed,
        micros,
    });
    if prefer.journal {
        // The dashboard's playground asks, to show why the mock answered as it did.
        decision.extra.insert(REQUEST_SEQ, HeaderValue::from(seq));
        decision
            .extra
            .insert(PREFERENCE_APPLIED, HeaderValue::from_static("journal"));
    }
    (
        answer::into_response(&decision.answer, decision.extra),
        delay,
    )
}

fn decide(
    mock: &Mock,
    compiled: &Compiled,
    op_index: usize,
    req: &check::Request<'_>,
    prefer: &Prefer,
    at: &str,
) -> Decision {
    let op = &compiled.contract.operations[op_index];
    let forced = mock.forced_for(&op.id);
    let accept = req
        .headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok());
    let mut decision = Decision {
        // Replaced on every path below; cheap, unlike a real undocumented answer.
        answer: Answer::placeholder(),
        operation: Some(op.id.clone()),
        reason: String::new(),
        problems: Vec::new(),
        seed: None,
        delay: forced
            .as_ref()
            .and_then(|f| f.delay_ms)
            .map_or(Duration::ZERO, Duration::from_millis),
        extra: HeaderMap::new(),
    };
    if !prefer.invalid.is_empty() {
        decision.problems = prefer
            .invalid
            .iter()
            .map(|p| format!("{p} is not understood"))
            .collect();
        decision.reason = "the Prefer header is not understood".into();
        decision.answer = refuse(compiled, op_index, 400, &decision.problems, accept, at);
        return decision;
    }
    let forced_status = forced.as_ref().and_then(|f| f.status);
    let forced_example = forced.as_ref().and_then(|f| f.example.clone());
    let status = prefer.code.or(if prefer.example.is_some() {
        None
    } else {
        forced_status
    });
    let example = prefer.example.clone().or(if prefer.code.is_some() {
        None
    } else {
        forced_example
    });
    let dynamic = prefer
        .dynamic
        .or(forced.as_ref().and_then(|f| f.dynamic))
        .unwrap_or(false);
    let via = |what: &str| {
        if prefer.code.is_some() || prefer.example.is_some() {
            format!("Prefer: {what}")
        } else {
            format!("forced {what} via /__kontrat/force")
        }
    };
    let body = |seed: &mut Option<u64>, example: Option<&str>| -> Body<'static> {
        match (dynamic, example) {
            (true, None) => {
                let s = prefer.seed.unwrap_or_else(|| mock.next_seed());
                *seed = Some(s);
                Body::Dynamic(s)
            }
            _ => Body::Example(None),
        }
    };

    if status.is_some() || example.is_some() {
        let status = match (status, &example) {
            (Some(s), _) => Some(s),
            (None, Some(name)) => status_with_example(op, name),
            (None, None) => None,
        };
        let what = match (status, &example) {
            (Some(s), Some(e)) => format!("code={s}, example={e}"),
            (Some(s), None) => format!("code={s}"),
            (None, Some(e)) => format!("example={e}"),
            (None, None) => String::new(),
        };
        let Some(status) = status else {
            decision.problems = vec![format!(
                "no response of {} documents an example named `{}`",
                op.id,
                example.unwrap_or_default()
            )];
            decision.reason = format!("{} cannot be served", via(&what));
            decision.answer = refuse(compiled, op_index, 400, &decision.problems, accept, at);
            return decision;
        };
        let chosen = match &example {
            Some(name) => Body::Example(Some(name.as_str())),
            None => body(&mut decision.seed, None),
        };
        match answer::documented(compiled, op_index, status, chosen, accept, at) {
            Ok(a) => {
                decision.reason = via(&what);
                decision.answer = a;
            }
            Err(e) => {
                decision.problems = vec![match e {
                    Undocumented::Status => format!(
                        "{} documents no {status} response; documented: {}",
                        op.id,
                        documented_statuses(op)
                    ),
                    Undocumented::Example(names) => format!(
                        "the {status} response of {} has no example `{}`; it has: {}",
                        op.id,
                        example.unwrap_or_default(),
                        if names.is_empty() {
                            "none named".to_owned()
                        } else {
                            names.join(", ")
                        }
                    ),
                }];
                decision.reason = format!("{} cannot be served", via(&what));
                decision.answer = refuse(compiled, op_index, 400, &decision.problems, accept, at);
            }
        }
        return decision;
    }

    match check::check(compiled, op_index, req) {
        Err(Refusal::Unauthorized(why)) => {
            decision.reason = "credentials missing or malformed".into();
            decision.answer = refuse(compiled, op_index, 401, &why, accept, at);
            decision.problems = why;
        }
        Err(Refusal::Invalid(problems)) => {
            decision.reason = format!(
                "request breaks the contract ({} problem{})",
                problems.len(),
                if problems.len() == 1 { "" } else { "s" }
            );
            decision.answer = refuse(compiled, op_index, 400, &problems, accept, at);
            decision.problems = problems;
        }
        Ok(()) => {
            let (status, why) = success_status(op);
            let chosen = body(&mut decision.seed, None);
            decision.reason = if dynamic {
                format!("{why}, dynamic")
            } else {
                why
            };
            decision.answer = answer::documented(compiled, op_index, status, chosen, accept, at)
                .unwrap_or_else(|_| {
                    answer::undocumented(compiled, StatusCode::INTERNAL_SERVER_ERROR, &[], at)
                });
        }
    }
    decision
}

/// The documented answer for a refused request, or an undocumented one when the
/// operation documents nothing for `status`.
fn refuse(
    compiled: &Compiled,
    op: usize,
    status: u16,
    messages: &[String],
    accept: Option<&str>,
    at: &str,
) -> Answer {
    answer::documented(compiled, op, status, Body::Messages(messages), accept, at).unwrap_or_else(
        |_| {
            answer::undocumented(
                compiled,
                StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST),
                messages,
                at,
            )
        },
    )
}

/// The status of a successful answer: the lowest documented 2xx code, then `2XX`, then
/// whatever the operation documents first.
fn success_status(op: &Operation) -> (u16, String) {
    for r in &op.responses {
        if let ResponseStatus::Code(c) = r.status
            && (200..300).contains(&c)
        {
            return (c, "lowest documented 2xx".into());
        }
    }
    if op
        .responses
        .iter()
        .any(|r| r.status == ResponseStatus::Range(2))
    {
        return (200, "documented 2XX".into());
    }
    match op.responses.first().map(|r| r.status) {
        Some(ResponseStatus::Code(c)) => (c, "no 2xx documented; first documented status".into()),
        Some(ResponseStatus::Range(d)) => {
            (d * 100, "no 2xx documented; first documented range".into())
        }
        _ => (200, "only `default` documented".into()),
    }
}

/// The status whose response has an example named `name` (2xx first).
fn status_with_example(op: &Operation, name: &str) -> Option<u16> {
    let mut found: Vec<(bool, u16)> = op
        .responses
        .iter()
        .filter(|r| r.content.values().any(|m| m.examples.contains_key(name)))
        .map(|r| {
            let status = match r.status {
                ResponseStatus::Code(c) => c,
                ResponseStatus::Range(d) => d * 100,
                ResponseStatus::Default => 500,
            };
            (!r.status.is_success(), status)
        })
        .collect();
    found.sort();
    found.first().map(|(_, s)| *s)
}

fn documented_statuses(op: &Operation) -> String {
    op.responses
        .iter()
        .map(|r| r.status.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

enum BodyError {
    TooLarge,
    Timeout,
    Broken,
}

async fn read_body(
    body: axum::body::Body,
    limit: usize,
    timeout: Duration,
) -> Result<bytes::Bytes, BodyError> {
    let mut collect = std::pin::pin!(http_body_util::Limited::new(body, limit).collect());
    // Small bodies usually arrive with the headers: only a body still in flight gets a
    // timer (registering one per request costs measurably under load).
    let first = std::future::poll_fn(|cx| std::task::Poll::Ready(collect.as_mut().poll(cx))).await;
    let collected = match first {
        std::task::Poll::Ready(done) => done,
        std::task::Poll::Pending => match tokio::time::timeout(timeout, collect).await {
            Ok(done) => done,
            Err(_) => return Err(BodyError::Timeout),
        },
    };
    match collected {
        Ok(c) => Ok(c.to_bytes()),
        Err(e) if e.is::<http_body_util::LengthLimitError>() => Err(BodyError::TooLarge),
        Err(_) => Err(BodyError::Broken),
    }
}
