//! Response rules: a description on every response, content where a body is expected and
//! none where a body is impossible.

use crate::model::{Method, Operation, Response, ResponseStatus};
use crate::spec::pointer_escape;

use super::{Lint, describe};

pub(super) fn check(lint: &mut Lint<'_>) {
    let enveloped = lint.contract.envelope.is_some();
    for op in &lint.contract.operations {
        for r in &op.responses {
            let at = lint.definition(&response_pointer(op, r));
            if r.description.trim().is_empty() {
                lint.report(
                    "response-description-missing",
                    lint.member(&at, "description"),
                    format!(
                        "the {} response of {} has no description",
                        r.status,
                        describe(op)
                    ),
                    "say in `description` when this response is sent (generated docs and error variants show it)",
                );
            }
            let bodiless = never_has_body(op, r.status);
            if !r.content.is_empty() && bodiless {
                lint.report(
                    "response-content-unexpected",
                    lint.member(&at, "content"),
                    format!(
                        "the {} response of {} documents content, but {} never carries a body",
                        r.status,
                        describe(op),
                        if op.method == Method::Head {
                            "an answer to HEAD".to_owned()
                        } else {
                            format!("a {} answer", r.status)
                        }
                    ),
                    "remove `content`, or use 200 if the response has a body",
                );
            }
            if r.content.is_empty() && !bodiless && expects_body(r.status, enveloped) {
                let why = if enveloped
                    && !matches!(
                        r.status,
                        ResponseStatus::Code(200 | 203 | 206) | ResponseStatus::Range(2)
                    ) {
                    "every answer of this spec is wrapped in the shared envelope"
                } else {
                    "this status carries a body"
                };
                lint.report(
                    "response-content-missing",
                    at,
                    format!(
                        "the {} response of {} documents no content, but {why}",
                        r.status,
                        describe(op)
                    ),
                    "add `content: {application/json: {schema: …}}`, or use 204 if nothing is sent",
                );
            }
        }
    }
}

/// `#/paths/~1pets/get/responses/404`: where the operation lists the response.
pub(super) fn response_pointer(op: &Operation, r: &Response) -> String {
    format!(
        "{}/responses/{}",
        op.pointer,
        pointer_escape(&r.status.to_string())
    )
}

/// 204, 205, 304 and every answer to HEAD have no body (RFC 9110).
fn never_has_body(op: &Operation, status: ResponseStatus) -> bool {
    op.method == Method::Head || matches!(status, ResponseStatus::Code(204 | 205 | 304))
}

/// Statuses whose answers carry a body: 200, 203, 206 and `2XX` always; with a shared
/// envelope, every status but 1xx and 3xx (`default` included): the envelope wraps them.
fn expects_body(status: ResponseStatus, enveloped: bool) -> bool {
    match status {
        ResponseStatus::Code(200 | 203 | 206) | ResponseStatus::Range(2) => true,
        ResponseStatus::Code(c) if enveloped => {
            !(100..200).contains(&c) && !(300..400).contains(&c)
        }
        ResponseStatus::Range(r) if enveloped => r != 1 && r != 3,
        ResponseStatus::Default => enveloped,
        _ => false,
    }
}
