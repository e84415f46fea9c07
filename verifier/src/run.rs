//! Sending the plan and judging every answer.

use std::time::{Duration, Instant};

use kontrat_mock::Compiled;

use crate::excerpt::{body_excerpt, offending_parts};
use crate::plan::{Expect, Place, Probe, credentials};
use crate::report::{Report, Violation, coverage};
use crate::{Options, plan};

/// Sends the plan to `options.target` in order and judges every answer with the
/// contract's validators. Never panics on what the target sends.
pub async fn verify(compiled: &Compiled, options: &Options) -> Report {
    let started = Instant::now();
    let probes = plan(compiled, options.plan, options.only.as_deref());
    let mut report = Report {
        target: options.target.clone(),
        title: compiled.contract.title.clone(),
        seed: options.plan.seed,
        sent: 0,
        not_sent: 0,
        violations: Vec::new(),
        coverage: coverage(compiled),
        probes: Vec::new(),
        elapsed: Duration::ZERO,
    };
    let client = match reqwest::Client::builder()
        .timeout(options.request_timeout)
        .redirect(reqwest::redirect::Policy::none())
        .build()
    {
        Ok(c) => c,
        Err(e) => {
            report.violations.push(Violation::transport(
                None,
                format!("cannot build an HTTP client: {e}"),
            ));
            return report;
        }
    };
    let base = options.target.trim_end_matches('/');
    for probe in probes {
        let remaining = options.overall_timeout.saturating_sub(started.elapsed());
        if remaining.is_zero() {
            report.not_sent += 1;
            report.probes.push((probe, None));
            continue;
        }
        let op = &compiled.contract.operations[probe.operation];
        let mut url = format!("{base}{}", probe.path);
        let mut request_headers = probe.headers.clone();
        if probe.with_credentials
            && let Some(token) = &options.token
        {
            for (place, name, value) in credentials(&compiled.contract, op, token.expose()) {
                match place {
                    Place::Header => request_headers.push((name, value)),
                    Place::Cookie => {
                        request_headers.push(("cookie".into(), format!("{name}={value}")))
                    }
                    Place::Query => {
                        let sep = if url.contains('?') { '&' } else { '?' };
                        url.push(sep);
                        url.push_str(&format!("{name}={value}"));
                    }
                }
            }
        }
        let method =
            reqwest::Method::from_bytes(probe.method.as_bytes()).unwrap_or(reqwest::Method::GET);
        let mut builder = client.request(method, &url);
        for (name, value) in &request_headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        if let Some((content_type, bytes)) = &probe.body {
            builder = builder
                .header("content-type", content_type.as_str())
                .body(bytes.clone());
        }
        report.sent += 1;
        let outcome = tokio::time::timeout(remaining, async {
            let response = builder.send().await?;
            let status = response.status().as_u16();
            let content_type = response
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            let bytes = response.bytes().await?;
            Ok::<_, reqwest::Error>((status, content_type, bytes))
        })
        .await;
        let (status, content_type, bytes) = match outcome {
            Err(_) => {
                report.violations.push(Violation::transport(
                    Some(&probe),
                    "the overall --timeout ran out during this request".into(),
                ));
                report.probes.push((probe, None));
                continue;
            }
            Ok(Err(e)) => {
                let why = if e.is_timeout() {
                    format!(
                        "no answer within {} s",
                        options.request_timeout.as_secs_f32()
                    )
                } else {
                    format!("request failed: {}", error_chain(&e))
                };
                report
                    .violations
                    .push(Violation::transport(Some(&probe), why));
                report.probes.push((probe, None));
                continue;
            }
            Ok(Ok(x)) => x,
        };
        let mut problems = compiled.response_problems(
            probe.operation,
            status,
            content_type.as_deref(),
            Some(&bytes),
        );
        match probe.expect {
            Expect::Status(s) if s != status => {
                problems.insert(0, format!("expected {s}, got {status}"))
            }
            Expect::ClientError if !(400..500).contains(&status) => {
                problems.insert(0, format!("expected a documented 4xx, got {status}"))
            }
            _ => {}
        }
        if let Some(c) = report.coverage.iter_mut().find(|c| {
            c.operation == probe.operation_id
                && op
                    .response_for(status)
                    .is_some_and(|r| r.status.to_string() == c.status)
        }) {
            c.observed += 1;
        }
        if !problems.is_empty() {
            report.violations.push(Violation {
                operation: probe.operation_id.clone(),
                probe: probe.kind.to_string(),
                request: describe(&probe, &request_headers),
                expected: match probe.expect {
                    Expect::Status(s) => format!("{s} in its documented shape"),
                    Expect::ClientError => "a documented 4xx in its documented shape".into(),
                    Expect::Documented => "a documented status in its documented shape".into(),
                },
                got: format!(
                    "{status} {}{}",
                    content_type.as_deref().unwrap_or("(no content type)"),
                    body_excerpt(&bytes)
                ),
                offending: offending_parts(&problems, &bytes),
                problems,
            });
        }
        report.probes.push((probe, Some(status)));
    }
    report.elapsed = started.elapsed();
    report
}

/// A replayable description of the request, credentials masked.
fn describe(probe: &Probe, headers: &[(String, String)]) -> String {
    let mut out = format!("{} {}", probe.method, probe.path);
    for (name, value) in headers {
        let secret = name.eq_ignore_ascii_case("authorization")
            || name.eq_ignore_ascii_case("cookie")
            || !probe.headers.iter().any(|(n, _)| n == name);
        let shown = if secret {
            match value.split_once(' ') {
                Some((scheme, _)) if name.eq_ignore_ascii_case("authorization") => {
                    format!("{scheme} $TOKEN")
                }
                _ => "$TOKEN".into(),
            }
        } else {
            value.clone()
        };
        out.push_str(&format!("\n  {name}: {shown}"));
    }
    if let Some((content_type, bytes)) = &probe.body {
        out.push_str(&format!(
            "\n  content-type: {content_type}\n  body: {}",
            String::from_utf8_lossy(bytes)
        ));
    }
    out
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}
