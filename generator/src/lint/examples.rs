//! Example rules: every request, response and parameter example validates against its
//! schema (`example-invalid`), and so does every schema's own `example`
//! (`schema-example-invalid`).
//!
//! Validation goes through the same JSON Schema export ([`json_schema::document`]) and
//! validator (`jsonschema`, formats checked) as the mock server, so an example the linter
//! accepts is one the mock can serve.

use std::collections::HashSet;

use jsonschema::Validator;
use serde_json::Value;

use crate::model::json_schema::{Direction, ValidatorCache};
use crate::model::{AdditionalProperties, Contract, Schema, SchemaKind, is_json_media_type};

use super::Lint;

/// Errors listed per example before "and N more".
const SHOWN: usize = 1;

pub(super) fn check(lint: &mut Lint<'_>) {
    let mut v = Validators::new(lint.contract);
    let contract = lint.contract;
    for op in &contract.operations {
        for p in &op.parameters {
            if let Some(example) = &p.example {
                let pointer = parameter_example_pointer(lint, &p.schema, example);
                let what = format!("example of {} parameter `{}`", p.location.as_str(), p.name);
                let as_text = as_parameter_text(contract, &p.schema, example);
                let value = as_text.as_ref().unwrap_or(example);
                v.example(lint, &what, value, &p.schema, Direction::Request, &pointer);
            }
        }
        let bodies = op
            .request_body
            .iter()
            .flat_map(|b| b.content.iter())
            .map(|c| (c, Direction::Request));
        let responses = op
            .responses
            .iter()
            .flat_map(|r| r.content.iter())
            .map(|c| (c, Direction::Response));
        for ((media, m), direction) in bodies.chain(responses) {
            let Some(schema) = &m.schema else {
                continue;
            };
            for example in m.examples.values() {
                if !comparable(contract, media, schema, &example.value) {
                    continue;
                }
                let what = match direction {
                    Direction::Request => format!("request example ({media})"),
                    Direction::Response => format!("response example ({media})"),
                };
                v.example(
                    lint,
                    &what,
                    &example.value,
                    schema,
                    direction,
                    &example.pointer,
                );
            }
        }
    }

    // Schemas' own examples, each schema once (inline ones are reached from operations).
    let mut seen = HashSet::new();
    let mut pending: Vec<&Schema> = contract.schemas.values().collect();
    for op in &contract.operations {
        pending.extend(op.parameters.iter().map(|p| &p.schema));
        let bodies = op.request_body.iter().flat_map(|b| b.content.values());
        let responses = op.responses.iter().flat_map(|r| r.content.values());
        pending.extend(bodies.chain(responses).filter_map(|m| m.schema.as_ref()));
        pending.extend(
            op.responses
                .iter()
                .flat_map(|r| r.headers.values())
                .map(|h| &h.schema),
        );
    }
    while let Some(schema) = pending.pop() {
        if !seen.insert(schema.pointer.as_str()) {
            continue;
        }
        if let Some(example) = &schema.example {
            v.schema_example(lint, example, schema);
        }
        match &schema.kind {
            SchemaKind::Array(a) => pending.push(&a.items),
            SchemaKind::Object(o) => {
                pending.extend(o.properties.iter().map(|p| &p.schema));
                if let AdditionalProperties::Schema(s) = &o.additional {
                    pending.push(s);
                }
            }
            SchemaKind::AllOf(parts)
            | SchemaKind::OneOf {
                variants: parts, ..
            }
            | SchemaKind::AnyOf {
                variants: parts, ..
            } => pending.extend(parts.iter()),
            SchemaKind::Not(s) => pending.push(s),
            _ => {}
        }
    }
}

/// Examples of non-JSON media types are often the serialised text (XML, CSV) of a
/// structured schema; those cannot be compared with the schema and are skipped.
fn comparable(contract: &Contract, media: &str, schema: &Schema, value: &Value) -> bool {
    is_json_media_type(media)
        || media.starts_with("*/*")
        || !value.is_string()
        || matches!(
            contract.resolve(schema).kind,
            SchemaKind::String(_) | SchemaKind::Any
        )
}

/// Parameters travel as text: `example: 13008` of a string parameter is the text
/// `13008`, not a wrong type.
fn as_parameter_text(contract: &Contract, schema: &Schema, example: &Value) -> Option<Value> {
    let is_string = matches!(contract.resolve(schema).kind, SchemaKind::String(_));
    match example {
        Value::Number(n) if is_string => Some(Value::String(n.to_string())),
        Value::Bool(b) if is_string => Some(Value::String(b.to_string())),
        _ => None,
    }
}

/// Where a parameter's example is written: `…/example`, or the `…/examples/<name>/value`
/// whose value it is. The parameter's pointer is its schema's, less `/schema` (or less
/// `/content/<media>/schema`).
fn parameter_example_pointer(lint: &Lint<'_>, schema: &Schema, example: &Value) -> String {
    let base = schema
        .pointer
        .strip_suffix("/schema")
        .unwrap_or(&schema.pointer);
    let base = match base.rfind("/content/") {
        Some(i) => &base[..i],
        None => base,
    };
    let direct = format!("{base}/example");
    if lint.spec.node(&direct).is_some() {
        return direct;
    }
    if let Some(Value::Object(named)) = lint.spec.node(&format!("{base}/examples")) {
        for (name, e) in named {
            if e.get("value") == Some(example) {
                return format!(
                    "{base}/examples/{}/value",
                    crate::spec::pointer_escape(name)
                );
            }
        }
    }
    base.to_owned()
}

/// Compiled validators by (schema pointer, direction), and the examples already checked.
struct Validators<'c> {
    contract: &'c Contract,
    compiled: ValidatorCache,
    checked: HashSet<(String, String, bool)>,
}

impl<'c> Validators<'c> {
    fn new(contract: &'c Contract) -> Self {
        Self {
            contract,
            compiled: ValidatorCache::default(),
            checked: HashSet::new(),
        }
    }

    fn get(&mut self, schema: &Schema, direction: Direction) -> Option<&Validator> {
        // A schema the validator cannot compile (a regex it does not support) is not the
        // example's fault: such examples are not checked.
        self.compiled.get(self.contract, schema, direction)
    }

    /// Problems of `value` against `schema`, as `at /path: message` lines with the
    /// instance path of the first (to locate it), or nothing when it is valid.
    fn problems(
        &mut self,
        value: &Value,
        schema: &Schema,
        direction: Direction,
    ) -> Option<(String, Vec<String>)> {
        let validator = self.get(schema, direction)?;
        if validator.is_valid(value) {
            return None;
        }
        let mut path = String::new();
        let mut lines = Vec::new();
        for (i, e) in validator.iter_errors(value).enumerate() {
            if i == 0 {
                path = e.instance_path().as_str().to_owned();
            }
            let at = e.instance_path().as_str();
            // Scalars are shown (`"tue" is not of type "boolean"`); objects and arrays
            // would flood the message and are called `value`.
            let text = match e.instance().as_ref() {
                Value::Object(_) | Value::Array(_) => e.masked().to_string(),
                Value::String(s) if s.chars().count() > 60 => e.masked().to_string(),
                _ => e.to_string(),
            };
            lines.push(if at.is_empty() {
                text
            } else {
                format!("at `{at}`: {text}")
            });
        }
        Some((path, lines))
    }

    fn example(
        &mut self,
        lint: &mut Lint<'_>,
        what: &str,
        value: &Value,
        schema: &Schema,
        direction: Direction,
        pointer: &str,
    ) {
        let key = (
            pointer.to_owned(),
            schema.pointer.clone(),
            direction == Direction::Request,
        );
        if !self.checked.insert(key) {
            return;
        }
        let Some((path, lines)) = self.problems(value, schema, direction) else {
            return;
        };
        lint.report(
            "example-invalid",
            format!("{pointer}{path}"),
            format!("the {what} does not match its schema: {}", summary(&lines)),
            "fix the example or the schema: `kontrat mock` serves examples as they are written",
        );
    }

    fn schema_example(&mut self, lint: &mut Lint<'_>, value: &Value, schema: &Schema) {
        // readOnly/writeOnly make properties required in one direction only: an example
        // valid in either direction is fine.
        let Some((path, lines)) = self.problems(value, schema, Direction::Response) else {
            return;
        };
        if self.problems(value, schema, Direction::Request).is_none() {
            return;
        }
        let pointer = lint.member(&schema.pointer, "example");
        lint.report(
            "schema-example-invalid",
            format!("{pointer}{path}"),
            format!(
                "the schema's `example` does not match the schema: {}",
                summary(&lines)
            ),
            "fix the example or the schema: documentation and generated docs show it as a valid value",
        );
    }
}

fn summary(lines: &[String]) -> String {
    let mut out = lines
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join("; ");
    if lines.len() > SHOWN {
        out.push_str(&format!(" (and {} more)", lines.len() - SHOWN));
    }
    out
}
