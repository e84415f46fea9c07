//! One exchange: read and check the app's request, forward it, check the target's answer,
//! record what broke, pass the answer on.

use std::time::Instant;

use axum::body::Body;
use axum::response::Response;
use bytes::Bytes;
use http::{HeaderValue, StatusCode, header};
use kontrat_generator::model::is_json_media_type;
use kontrat_mock::{Refusal, RequestParts, RouteMatch};
use kontrat_verify::{Violation, body_excerpt, offending_parts};
use tower::ServiceExt as _;

use crate::body::{self, Read, ReadError};
use crate::ledger::{Finding, Side};
use crate::{MOCKED_HEADER, Proxy, Shared, VIOLATIONS_HEADER, describe, forward};

/// Longest [`VIOLATIONS_HEADER`] value, in characters.
const HEADER_CHARS: usize = 400;

/// Forwards `request` to the target and checks both sides (anything outside
/// `/__kontrat`).
pub(crate) async fn exchange(proxy: &Proxy, request: http::Request<Body>) -> Response {
    let shared: &Shared = &proxy.shared;
    let config = &shared.config;
    let compiled = &*shared.compiled;
    let started = Instant::now();
    let seq = shared.ledger.next_exchange();
    let (parts, body) = request.into_parts();
    // Preflights are the browser's, not the app's: passed through, never judged.
    let preflight = kontrat_mock::is_preflight(&parts.method, &parts.headers);
    let route = (!preflight).then(|| compiled.route(&parts.method, parts.uri.path()));
    let (op, params) = match &route {
        Some(RouteMatch::Found { operation, params }) => (Some(*operation), params.as_slice()),
        _ => (None, &[][..]),
    };
    let op_id = op.map_or("(no operation)", |i| {
        compiled.contract.operations[i].id.as_str()
    });
    let mut notes = Notes::default();

    let body = match body::read_up_to_within(body, config.check_limit, config.body_timeout).await {
        Ok(b) => b,
        Err(e) => {
            let (status, why) = match e {
                ReadError::Timeout => (
                    StatusCode::REQUEST_TIMEOUT,
                    format!(
                        "the request body did not arrive within {} s",
                        config.body_timeout.as_secs()
                    ),
                ),
                ReadError::Broken(e) => (
                    StatusCode::BAD_REQUEST,
                    format!("the request body could not be read ({e})"),
                ),
            };
            tracing::info!(
                "#{seq} {} {} → {status}: {why}",
                parts.method,
                parts.uri.path()
            );
            return own_answer(shared, &parts, status, &why);
        }
    };
    let whole: Option<Bytes> = body.whole().cloned();
    if whole.is_none() {
        shared.ledger.unchecked_body();
    }
    let describe = || describe::curl(compiled, &shared.target.url, &parts, op, whole.as_ref());

    // The app's side.
    let request_problems: Vec<String> = match &route {
        None => Vec::new(),
        Some(RouteMatch::Found { operation, .. }) => {
            let parts_checked = RequestParts {
                headers: &parts.headers,
                query: parts.uri.query(),
                path_params: params,
                body: whole.as_deref(),
            };
            match compiled.check_request(*operation, &parts_checked) {
                Ok(()) => Vec::new(),
                Err(Refusal::Unauthorized(why) | Refusal::Invalid(why)) => why,
            }
        }
        Some(unrouted) => unrouted
            .why_unrouted(&parts.method, parts.uri.path())
            .into_iter()
            .collect(),
    };
    // Kept for the target's side: an implementation that accepts such a request breaks
    // the contract too (as the verifier's negative probes expect a 4xx).
    let refused_for = request_problems.first().filter(|_| op.is_some()).cloned();
    if !request_problems.is_empty() {
        notes.push(Side::Request, &request_problems[0]);
        let expected = match op {
            Some(i) => {
                let o = &compiled.contract.operations[i];
                format!(
                    "a request as {} {} documents it (credentials, parameters, body)",
                    o.method, o.path
                )
            }
            None => "a documented path and method".to_owned(),
        };
        let content_type = parts
            .headers
            .get(header::CONTENT_TYPE)
            .map_or("(no content type)".into(), |v| {
                String::from_utf8_lossy(v.as_bytes()).into_owned()
            });
        shared.ledger.record(Finding {
            seq,
            at: now(),
            side: Side::Request,
            violation: Violation {
                operation: op_id.to_owned(),
                probe: Side::Request.as_str().to_owned(),
                request: describe(),
                expected,
                got: format!(
                    "{} {} {content_type}{}",
                    parts.method,
                    parts.uri.path(),
                    whole
                        .as_deref()
                        .map_or_else(|| ", a body too large to check".into(), body_excerpt)
                ),
                offending: whole
                    .as_deref()
                    .map(|b| offending_parts(&request_problems, b))
                    .unwrap_or_default(),
                problems: request_problems,
            },
        });
        if config.errors {
            // Answered as the mock answers it: the documented 400 or 401 (404/405 off the
            // contract), never forwarded.
            let mut response = mock_answer(shared, &parts, body.into_body(), true).await;
            notes.apply(&mut response, seq, false);
            log(
                seq,
                &parts,
                op_id,
                response.status(),
                "answered by the proxy (--errors)",
                started,
            );
            return response;
        }
    }

    // The target.
    let Some(upstream) = forward::request(&shared.target, &parts, body.into_body()) else {
        return own_answer(
            shared,
            &parts,
            StatusCode::BAD_REQUEST,
            "the request's path cannot be put after the target's URL",
        );
    };
    let read_whole = |answer: &http::response::Parts| {
        op.is_some()
            && parts.method != http::Method::HEAD
            && !encoded(answer)
            && (answer
                .headers
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(is_json_media_type)
                || op.is_some_and(|i| {
                    compiled.contract.operations[i]
                        .response_for(answer.status.as_u16())
                        .is_some_and(|r| r.content.is_empty())
                }))
    };
    let outcome = tokio::time::timeout(config.timeout, async {
        let answer = shared
            .client
            .request(upstream)
            .await
            .map_err(|e| forward::failure_text(&shared.target.url, &e))?;
        let (answer, answer_body) = answer.into_parts();
        let answer_body = Body::new(answer_body);
        let read = if read_whole(&answer) {
            body::read_up_to(answer_body, config.check_limit)
                .await
                .map_err(|e| {
                    format!(
                        "kontrat proxy: the target {} broke off its answer ({e:?})",
                        shared.target.url
                    )
                })?
        } else {
            Read::Partial {
                read: Vec::new(),
                rest: answer_body,
            }
        };
        Ok::<_, String>((answer, read))
    })
    .await;
    let (answer, answer_body) = match outcome {
        Ok(Ok(x)) => x,
        failed => {
            let (status, why) = match failed {
                Ok(Err(why)) => (StatusCode::BAD_GATEWAY, why),
                _ => (
                    StatusCode::GATEWAY_TIMEOUT,
                    format!(
                        "kontrat proxy: the target {} did not answer within {:.1} s (--timeout)",
                        shared.target.url,
                        config.timeout.as_secs_f64()
                    ),
                ),
            };
            shared.ledger.record(Finding {
                seq,
                at: now(),
                side: Side::Transport,
                violation: Violation {
                    operation: op_id.to_owned(),
                    probe: Side::Transport.as_str().to_owned(),
                    request: describe(),
                    expected: format!("an answer within {:.1} s", config.timeout.as_secs_f64()),
                    got: format!("no answer; the app got {status}"),
                    problems: vec![why.clone()],
                    offending: Vec::new(),
                },
            });
            let mut response = own_answer(shared, &parts, status, &why);
            notes.apply(&mut response, seq, false);
            log(seq, &parts, op_id, status, "transport failure", started);
            return response;
        }
    };

    // The target's side.
    let status = answer.status.as_u16();
    if let Some(i) = op {
        let content_type = answer
            .headers
            .get(header::CONTENT_TYPE)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
        let read = answer_body.whole();
        let over_limit = matches!(&answer_body, Read::Partial { read, .. } if !read.is_empty());
        if over_limit || (parts.method != http::Method::HEAD && encoded(&answer)) {
            shared.ledger.unchecked_body();
        }
        let mut problems =
            compiled.response_problems(i, status, content_type.as_deref(), read.map(|b| &b[..]));
        if let Some(why) = &refused_for
            && (200..300).contains(&status)
        {
            problems.insert(
                0,
                format!("the target accepted with {status} a request that breaks the contract ({why}); expected a documented 4xx"),
            );
        }
        let missing = status == 501 || (status == 404 && !problems.is_empty());
        if config.mock_missing
            && missing
            && let Some(bytes) = &whole
        {
            // The operation is documented but not implemented yet: the mock stands in,
            // and says so.
            shared.ledger.mocked(op_id);
            tracing::warn!(
                "#{seq} MOCKED {op_id}: the target answered {status}{}; answered as the mock would (--mock-missing)",
                problems
                    .first()
                    .map(|p| format!(" ({p})"))
                    .unwrap_or_default()
            );
            let mut response = mock_answer(shared, &parts, Body::from(bytes.clone()), false).await;
            if let Ok(v) = HeaderValue::from_str(&format!(
                "the target answered {status} (not implemented); this answer is the mock's"
            )) {
                response.headers_mut().insert(MOCKED_HEADER, v);
            }
            notes.apply(&mut response, seq, false);
            log(seq, &parts, op_id, response.status(), "mocked", started);
            return response;
        }
        let operation = &compiled.contract.operations[i];
        if let Some(documented) = operation.response_for(status)
            && let Some(r) = operation
                .responses
                .iter()
                .position(|x| std::ptr::eq(x, documented))
        {
            shared.ledger.observe(i, r);
        }
        if !problems.is_empty() {
            notes.push(Side::Response, &problems[0]);
            let documented: Vec<String> = operation
                .responses
                .iter()
                .map(|r| r.status.to_string())
                .collect();
            shared.ledger.record(Finding {
                seq,
                at: now(),
                side: Side::Response,
                violation: Violation {
                    operation: op_id.to_owned(),
                    probe: Side::Response.as_str().to_owned(),
                    request: describe(),
                    expected: format!(
                        "a documented status ({}) in its documented shape",
                        documented.join(", ")
                    ),
                    got: format!(
                        "{status} {}{}",
                        content_type.as_deref().unwrap_or("(no content type)"),
                        read.map_or_else(
                            || ", a body that was not read (streamed on)".into(),
                            |b| body_excerpt(b)
                        )
                    ),
                    offending: read
                        .map(|b| offending_parts(&problems, b))
                        .unwrap_or_default(),
                    problems,
                },
            });
        }
    }
    let mut response = Response::from_parts(answer, answer_body.into_body());
    forward::strip_hop_by_hop(response.headers_mut());
    if let Some(cors) = &config.cors {
        cors.decorate_answer(&parts.headers, &mut response);
    }
    notes.apply(&mut response, seq, config.cors.is_none());
    log(
        seq,
        &parts,
        op_id,
        response.status(),
        notes.marks(),
        started,
    );
    response
}

/// An answer made by the mock (`--errors`, `--mock-missing`), from the app's request.
async fn mock_answer(
    shared: &Shared,
    parts: &http::request::Parts,
    body: Body,
    without_prefer: bool,
) -> Response {
    let mut request = http::Request::new(body);
    *request.method_mut() = parts.method.clone();
    *request.uri_mut() = parts.uri.clone();
    *request.headers_mut() = parts.headers.clone();
    if without_prefer {
        // A refusal must be the documented one, not whatever `Prefer` asks the mock for.
        request.headers_mut().remove("prefer");
    }
    match shared.mock.service().oneshot(request).await {
        Ok(response) => response,
        Err(never) => match never {},
    }
}

/// An answer of the proxy's own (502, 504, an unreadable request), in the contract's
/// error shape, readable cross-origin.
fn own_answer(
    shared: &Shared,
    parts: &http::request::Parts,
    status: StatusCode,
    why: &str,
) -> Response {
    let mut response = shared
        .compiled
        .undocumented_response(status, &[why.to_owned()]);
    shared
        .mock
        .config()
        .cors
        .decorate_answer(&parts.headers, &mut response);
    response
}

/// A `Content-Encoding` other than identity: a body the proxy cannot read as is.
fn encoded(answer: &http::response::Parts) -> bool {
    answer
        .headers
        .get(header::CONTENT_ENCODING)
        .is_some_and(|v| !v.as_bytes().eq_ignore_ascii_case(b"identity"))
}

/// The first problem of each side, for [`VIOLATIONS_HEADER`].
#[derive(Default)]
struct Notes {
    first: Vec<(Side, String)>,
}

impl Notes {
    fn push(&mut self, side: Side, problem: &str) {
        self.first.push((side, problem.to_owned()));
    }

    fn marks(&self) -> &'static str {
        match self.first.as_slice() {
            [] => "ok",
            [(Side::Request, _)] => "REQUEST VIOLATION",
            [(Side::Response, _)] => "RESPONSE VIOLATION",
            _ => "REQUEST AND RESPONSE VIOLATIONS",
        }
    }

    /// Adds [`VIOLATIONS_HEADER`] when something broke; with `expose`, lets scripts of
    /// a page the target allows read it too.
    fn apply(&self, response: &mut Response, seq: u64, expose: bool) {
        if self.first.is_empty() {
            return;
        }
        let sides: Vec<String> = self
            .first
            .iter()
            .map(|(side, p)| format!("{}: {p}", side.as_str()))
            .collect();
        let text = format!(
            "exchange #{seq}, see GET /__kontrat/violations; {}",
            sides.join("; ")
        );
        // Header values are visible ASCII; messages may not be.
        let mut ascii: String = text
            .chars()
            .map(|c| {
                if c.is_ascii() && !c.is_ascii_control() {
                    c
                } else {
                    '?'
                }
            })
            .take(HEADER_CHARS)
            .collect();
        if text.chars().count() > HEADER_CHARS {
            ascii.push_str("...");
        }
        let headers = response.headers_mut();
        if let Ok(v) = HeaderValue::from_str(&ascii) {
            headers.insert(VIOLATIONS_HEADER, v);
        }
        if expose && headers.contains_key(header::ACCESS_CONTROL_ALLOW_ORIGIN) {
            let listed = headers
                .get(header::ACCESS_CONTROL_EXPOSE_HEADERS)
                .and_then(|v| v.to_str().ok())
                .map(|v| format!("{v}, {VIOLATIONS_HEADER}"))
                .unwrap_or_else(|| VIOLATIONS_HEADER.as_str().to_owned());
            if let Ok(v) = HeaderValue::from_str(&listed) {
                headers.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, v);
            }
        }
    }
}

fn log(
    seq: u64,
    parts: &http::request::Parts,
    op: &str,
    status: StatusCode,
    what: &str,
    started: Instant,
) {
    tracing::info!(
        "#{seq} {} {} → {op} → {} {what} ({:.1} ms)",
        parts.method,
        parts.uri.path(),
        status.as_u16(),
        started.elapsed().as_secs_f64() * 1000.0
    );
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}
