//! Envelope rules: when the spec wraps its answers in a shared envelope (see
//! [`crate::model::Envelope`]), every JSON response uses it, and the examples' status and
//! success fields agree with the status they document.

use serde_json::Value;

use crate::model::{Operation, ResponseStatus};
use crate::spec::pointer_escape;

use super::{Lint, describe};

/// One example's mismatch, reported once for all the operations that share the example.
struct Mismatch<'c> {
    code: &'static str,
    pointer: String,
    /// The message up to the operations: `example `statusCode` is 403, but it documents
    /// the 401 response of`.
    head: String,
    hint: String,
    operations: Vec<&'c Operation>,
}

pub(super) fn check(lint: &mut Lint<'_>) {
    let Some(env) = &lint.contract.envelope else {
        return;
    };
    let mut found: Vec<Mismatch<'_>> = Vec::new();
    let mut note = |code: &'static str, pointer: String, head: String, hint: String, op| match found
        .iter_mut()
        .find(|m| m.code == code && m.pointer == pointer && m.head == head)
    {
        Some(m) => m.operations.push(op),
        None => found.push(Mismatch {
            code,
            pointer,
            head,
            hint,
            operations: vec![op],
        }),
    };
    for op in &lint.contract.operations {
        for r in &op.responses {
            for (media, m) in &r.content {
                let Some(schema) = &m.schema else {
                    continue;
                };
                if !crate::model::is_json_media_type(media) {
                    continue;
                }
                if lint.contract.envelope_data(schema).is_none() {
                    lint.report(
                        "envelope-not-used",
                        schema.pointer.clone(),
                        format!(
                            "the {} response of {} ({media}) is not wrapped in the shared envelope `{}`",
                            r.status,
                            describe(op),
                            env.schema
                        ),
                        format!(
                            "use `$ref: '#/components/schemas/{}'` or a specialisation of it (`allOf: [{{$ref: …/{0}}}, {{properties: {{{}: …}}}}]`)",
                            env.schema, env.data_property
                        ),
                    );
                    continue;
                }
                for example in m.examples.values() {
                    let Value::Object(map) = &example.value else {
                        continue;
                    };
                    if let Some(key) = &env.roles.status
                        && let Some(value) = map.get(key)
                    {
                        let fits = match (r.status, value.as_u64()) {
                            (ResponseStatus::Code(c), Some(v)) => v == u64::from(c),
                            (ResponseStatus::Range(d), Some(v)) => v / 100 == u64::from(d),
                            (ResponseStatus::Default, Some(_)) => true,
                            (_, None) => true, // a wrong type is `example-invalid`'s to report
                        };
                        if !fits {
                            note(
                                "envelope-status-mismatch",
                                format!("{}/{}", example.pointer, pointer_escape(key)),
                                format!(
                                    "example `{key}` is {value}, but it documents the {} response of",
                                    r.status,
                                ),
                                format!(
                                    "`{key}` repeats the HTTP status: write {} (or reference the response under the status it was written for)",
                                    expected(r.status)
                                ),
                                op,
                            );
                        }
                    }
                    if let Some(key) = &env.roles.success
                        && let Some(Value::Bool(flag)) = map.get(key)
                        && r.status != ResponseStatus::Default
                        && *flag != r.status.is_success()
                    {
                        note(
                            "envelope-success-mismatch",
                            format!("{}/{}", example.pointer, pointer_escape(key)),
                            format!(
                                "example `{key}` is {flag}, but it documents the {} response of",
                                r.status,
                            ),
                            format!(
                                "`{key}` is true exactly on 2xx answers: write {}",
                                r.status.is_success()
                            ),
                            op,
                        );
                    }
                }
            }
        }
    }
    for m in found {
        let message = format!("{} {}", m.head, operations(&m.operations));
        lint.report(m.code, m.pointer, message, m.hint);
    }
}

/// `` `logout` (POST /logout) ``, or `` `a`, `b` and `c` `` for several.
fn operations(ops: &[&Operation]) -> String {
    match ops {
        [one] => describe(one),
        [init @ .., last] => {
            let name = |op: &Operation| format!("`{}`", op.id);
            let init: Vec<String> = init.iter().map(|op| name(op)).collect();
            format!("{} and {}", init.join(", "), name(last))
        }
        [] => String::new(),
    }
}

fn expected(status: ResponseStatus) -> String {
    match status {
        ResponseStatus::Code(c) => c.to_string(),
        ResponseStatus::Range(d) => format!("a {d}xx status"),
        ResponseStatus::Default => "the status sent".to_owned(),
    }
}
