//! Envelope rules: when the spec wraps its answers in a shared envelope (see
//! [`crate::model::Envelope`]), every JSON response uses it, and the examples' status and
//! success fields agree with the status they document.

use serde_json::Value;

use crate::model::ResponseStatus;
use crate::spec::pointer_escape;

use super::{Lint, describe};

pub(super) fn check(lint: &mut Lint<'_>) {
    let Some(env) = &lint.contract.envelope else {
        return;
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
                            lint.report(
                                "envelope-status-mismatch",
                                format!("{}/{}", example.pointer, pointer_escape(key)),
                                format!(
                                    "example `{key}` is {value}, but it documents the {} response of {}",
                                    r.status,
                                    describe(op)
                                ),
                                format!(
                                    "`{key}` repeats the HTTP status: write {} (or reference the response under the status it was written for)",
                                    expected(r.status)
                                ),
                            );
                        }
                    }
                    if let Some(key) = &env.roles.success
                        && let Some(Value::Bool(flag)) = map.get(key)
                        && r.status != ResponseStatus::Default
                        && *flag != r.status.is_success()
                    {
                        lint.report(
                            "envelope-success-mismatch",
                            format!("{}/{}", example.pointer, pointer_escape(key)),
                            format!(
                                "example `{key}` is {flag}, but it documents the {} response of {}",
                                r.status,
                                describe(op)
                            ),
                            format!(
                                "`{key}` is true exactly on 2xx answers: write {}",
                                r.status.is_success()
                            ),
                        );
                    }
                }
            }
        }
    }
}

fn expected(status: ResponseStatus) -> String {
    match status {
        ResponseStatus::Code(c) => c.to_string(),
        ResponseStatus::Range(d) => format!("a {d}xx status"),
        ResponseStatus::Default => "the status sent".to_owned(),
    }
}
