//! Model schemas → self-contained JSON Schema (draft 2020-12) documents for validators.
//!
//! OpenAPI 3.0 schemas are not JSON Schema (`nullable`, boolean `exclusiveMinimum`,
//! `readOnly` fields that are "required" only in responses): this module is the one place
//! that translates, so the mock server, the verifier and the tests validate the same way.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::{Map, Value, json};

use super::{AdditionalProperties, Contract, Schema, SchemaKind};

/// Who sends the value being validated; decides how `readOnly`/`writeOnly` apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Client → server: `readOnly` properties are not required.
    Request,
    /// Server → client: `writeOnly` properties are not required.
    Response,
}

/// A complete JSON Schema document for `schema`, with every component it reaches under `$defs`.
pub fn document(contract: &Contract, schema: &Schema, direction: Direction) -> Value {
    let mut root = convert(schema, direction);
    let mut defs = BTreeMap::new();
    let mut pending: Vec<String> = refs_of(schema);
    let mut seen = BTreeSet::new();
    while let Some(name) = pending.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        if let Some(s) = contract.schemas.get(&name) {
            pending.extend(refs_of(s));
            defs.insert(name, convert(s, direction));
        }
    }
    if let Value::Object(map) = &mut root {
        map.insert(
            "$schema".into(),
            json!("https://json-schema.org/draft/2020-12/schema"),
        );
        if !defs.is_empty() {
            map.insert("$defs".into(), Value::Object(defs.into_iter().collect()));
        }
    }
    root
}

/// A validator for `schema` as `direction`'s receiver judges it (formats checked): the one
/// way the linter, the mock, the verifier and the generators compile schemas. An error
/// when the validator cannot compile the schema (a regular expression it does not
/// support, say): callers skip validation there rather than fail.
pub fn validator(
    contract: &Contract,
    schema: &Schema,
    direction: Direction,
) -> Result<jsonschema::Validator, String> {
    jsonschema::options()
        .should_validate_formats(true)
        .build(&document(contract, schema, direction))
        .map_err(|e| e.to_string())
}

/// Validators compiled once per schema and direction, for callers that judge many values
/// one by one.
#[derive(Default)]
pub struct ValidatorCache {
    compiled: HashMap<(String, Direction), Option<jsonschema::Validator>>,
}

impl ValidatorCache {
    /// The validator of `schema`, `None` when it cannot be compiled (see [`validator`]).
    pub fn get(
        &mut self,
        contract: &Contract,
        schema: &Schema,
        direction: Direction,
    ) -> Option<&jsonschema::Validator> {
        self.compiled
            .entry((cache_key(schema), direction))
            .or_insert_with(|| validator(contract, schema, direction).ok())
            .as_ref()
    }
}

/// Validators for many schemas known up front, each distinct one compiled once, in
/// parallel on the worker pool; then shared read-only by parallel work.
pub struct ValidatorSet {
    direction: Direction,
    compiled: HashMap<String, Option<jsonschema::Validator>>,
}

impl ValidatorSet {
    /// Compiles the validators of `schemas`.
    pub fn compile<'s>(
        contract: &Contract,
        schemas: impl IntoIterator<Item = &'s Schema>,
        direction: Direction,
    ) -> Self {
        let mut distinct: BTreeMap<String, &Schema> = BTreeMap::new();
        for schema in schemas {
            distinct.entry(cache_key(schema)).or_insert(schema);
        }
        let distinct: Vec<(String, &Schema)> = distinct.into_iter().collect();
        let one = |(key, schema): &(String, &Schema)| {
            (key.clone(), validator(contract, schema, direction).ok())
        };
        let compiled = crate::pool::run(|| {
            use rayon::prelude::*;
            distinct.par_iter().map(one).collect()
        })
        .unwrap_or_else(|| distinct.iter().map(one).collect());
        Self {
            direction,
            compiled,
        }
    }

    /// The validator of `schema` when it was compiled (`None` when it could not be, or
    /// was not among the schemas given, or `direction` differs).
    pub fn get(&self, schema: &Schema, direction: Direction) -> Option<&jsonschema::Validator> {
        if direction != self.direction {
            return None;
        }
        self.compiled.get(&cache_key(schema))?.as_ref()
    }
}

/// What identifies a schema's validator: a `$ref` converts to the reference and its
/// nullability, nothing else, so it is keyed by the component it names (big specs point
/// many responses at the same few components); any other schema by its pointer.
fn cache_key(schema: &Schema) -> String {
    match &schema.kind {
        SchemaKind::Ref(name) => format!("$ref {name} {}", schema.nullable),
        _ => schema.pointer.clone(),
    }
}

/// Names of the component schemas `schema` refers to directly or through its parts.
pub fn refs_of(schema: &Schema) -> Vec<String> {
    let mut out = Vec::new();
    collect_refs(schema, &mut out);
    out
}

fn collect_refs(schema: &Schema, out: &mut Vec<String>) {
    match &schema.kind {
        SchemaKind::Ref(name) => out.push(name.clone()),
        SchemaKind::Array(a) => collect_refs(&a.items, out),
        SchemaKind::Object(o) => {
            for p in &o.properties {
                collect_refs(&p.schema, out);
            }
            if let AdditionalProperties::Schema(s) = &o.additional {
                collect_refs(s, out);
            }
        }
        SchemaKind::AllOf(parts)
        | SchemaKind::OneOf {
            variants: parts, ..
        }
        | SchemaKind::AnyOf {
            variants: parts, ..
        } => {
            for p in parts {
                collect_refs(p, out);
            }
        }
        SchemaKind::Not(s) => collect_refs(s, out),
        _ => {}
    }
}

/// Percent-free JSON pointer escaping for `$defs` keys.
fn def_ref(name: &str) -> String {
    format!("#/$defs/{}", name.replace('~', "~0").replace('/', "~1"))
}

fn convert(schema: &Schema, direction: Direction) -> Value {
    let mut m = Map::new();
    let typed = |m: &mut Map<String, Value>, t: &str| {
        if schema.type_implied {
            // No `type` was written: `properties`/`items` constrain only values of that
            // type, any other value is valid (JSON Schema's meaning, not code generation's).
            return;
        }
        if schema.nullable {
            m.insert("type".into(), json!([t, "null"]));
        } else {
            m.insert("type".into(), json!(t));
        }
    };
    let with_null_enum = |values: Vec<Value>| -> Value {
        let mut values = values;
        if schema.nullable {
            values.push(Value::Null);
        }
        Value::Array(values)
    };
    match &schema.kind {
        SchemaKind::Ref(name) => {
            m.insert("$ref".into(), json!(def_ref(name)));
            return nullable_wrap(Value::Object(m), schema.nullable);
        }
        SchemaKind::Any => return json!({}),
        SchemaKind::Null => return json!({"type": "null"}),
        SchemaKind::Boolean => typed(&mut m, "boolean"),
        SchemaKind::Integer(i) => {
            typed(&mut m, "integer");
            bound(
                &mut m,
                "minimum",
                "exclusiveMinimum",
                i.minimum.map(Value::from),
                i.exclusive_minimum,
            );
            bound(
                &mut m,
                "maximum",
                "exclusiveMaximum",
                i.maximum.map(Value::from),
                i.exclusive_maximum,
            );
            if let Some(x) = i.multiple_of {
                m.insert("multipleOf".into(), json!(x));
            }
            if !i.enumeration.is_empty() {
                m.insert(
                    "enum".into(),
                    with_null_enum(i.enumeration.iter().map(|v| json!(v)).collect()),
                );
            }
            if let Some(f) = &i.format {
                m.insert("format".into(), json!(f));
                format_bounds(&mut m, f);
            }
        }
        SchemaKind::Number(n) => {
            typed(&mut m, "number");
            bound(
                &mut m,
                "minimum",
                "exclusiveMinimum",
                n.minimum.map(Value::from),
                n.exclusive_minimum,
            );
            bound(
                &mut m,
                "maximum",
                "exclusiveMaximum",
                n.maximum.map(Value::from),
                n.exclusive_maximum,
            );
            if let Some(x) = n.multiple_of {
                m.insert("multipleOf".into(), json!(x));
            }
            if !n.enumeration.is_empty() {
                m.insert(
                    "enum".into(),
                    with_null_enum(n.enumeration.iter().map(|v| json!(v)).collect()),
                );
            }
        }
        SchemaKind::String(s) => {
            typed(&mut m, "string");
            if let Some(x) = s.min_length {
                m.insert("minLength".into(), json!(x));
            }
            if let Some(x) = s.max_length {
                m.insert("maxLength".into(), json!(x));
            }
            if let Some(x) = &s.pattern {
                m.insert("pattern".into(), json!(x));
            }
            if let Some(f) = &s.format {
                m.insert("format".into(), json!(f));
            }
            if !s.enumeration.is_empty() {
                m.insert(
                    "enum".into(),
                    with_null_enum(s.enumeration.iter().map(|v| json!(v)).collect()),
                );
            }
        }
        SchemaKind::Array(a) => {
            typed(&mut m, "array");
            m.insert("items".into(), convert(&a.items, direction));
            if let Some(x) = a.min_items {
                m.insert("minItems".into(), json!(x));
            }
            if let Some(x) = a.max_items {
                m.insert("maxItems".into(), json!(x));
            }
            if a.unique_items {
                m.insert("uniqueItems".into(), json!(true));
            }
        }
        SchemaKind::Object(o) => {
            typed(&mut m, "object");
            let mut props = Map::new();
            let mut required = Vec::new();
            for p in &o.properties {
                props.insert(p.name.clone(), convert(&p.schema, direction));
                let skip = match direction {
                    Direction::Request => p.schema.read_only,
                    Direction::Response => p.schema.write_only,
                };
                if p.required && !skip {
                    required.push(json!(p.name));
                }
            }
            if matches!(o.additional, AdditionalProperties::Forbidden) {
                // `required` names a property `properties` does not declare, and extra
                // properties are forbidden: no value could be valid. The name says the
                // author meant such a property; allow it (any value) rather than refuse all.
                for name in &o.required_elsewhere {
                    props.entry(name.clone()).or_insert_with(|| json!({}));
                }
            }
            if !props.is_empty() {
                m.insert("properties".into(), Value::Object(props));
            }
            required.extend(o.required_elsewhere.iter().map(|r| json!(r)));
            if !required.is_empty() {
                m.insert("required".into(), Value::Array(required));
            }
            match &o.additional {
                AdditionalProperties::Forbidden => {
                    m.insert("additionalProperties".into(), json!(false));
                }
                AdditionalProperties::Schema(s) => {
                    m.insert("additionalProperties".into(), convert(s, direction));
                }
                AdditionalProperties::Unspecified | AdditionalProperties::Any => {}
            }
            if let Some(x) = o.min_properties {
                m.insert("minProperties".into(), json!(x));
            }
            if let Some(x) = o.max_properties {
                m.insert("maxProperties".into(), json!(x));
            }
        }
        SchemaKind::AllOf(parts) => {
            m.insert(
                "allOf".into(),
                parts.iter().map(|p| convert(p, direction)).collect(),
            );
            return nullable_wrap(Value::Object(m), schema.nullable);
        }
        SchemaKind::OneOf {
            variants,
            discriminator: Some(d),
        }
        | SchemaKind::AnyOf {
            variants,
            discriminator: Some(d),
        } if variants.iter().all(|v| v.ref_name().is_some()) => {
            // The discriminator picks the branch: a value is valid when its tag names a
            // branch and that branch accepts it, even where branches overlap (OpenAPI's
            // meaning; plain `oneOf` would refuse a value two branches accept).
            let branches: Vec<Value> = variants
                .iter()
                .map(|v| {
                    let tags = d.tags_for(v.ref_name().unwrap_or_default());
                    json!({"allOf": [
                        {"required": [d.property], "properties": {d.property.clone(): {"enum": tags}}},
                        convert(v, direction),
                    ]})
                })
                .collect();
            m.insert("anyOf".into(), Value::Array(branches));
            return nullable_wrap(Value::Object(m), schema.nullable);
        }
        SchemaKind::OneOf { variants, .. } => {
            m.insert(
                "oneOf".into(),
                variants.iter().map(|p| convert(p, direction)).collect(),
            );
            return nullable_wrap(Value::Object(m), schema.nullable);
        }
        SchemaKind::AnyOf { variants, .. } => {
            m.insert(
                "anyOf".into(),
                variants.iter().map(|p| convert(p, direction)).collect(),
            );
            return nullable_wrap(Value::Object(m), schema.nullable);
        }
        SchemaKind::Not(inner) => {
            m.insert("not".into(), convert(inner, direction));
            return nullable_wrap(Value::Object(m), schema.nullable);
        }
    }
    Value::Object(m)
}

/// The range a sized integer `format` implies: JSON Schema integers are unbounded, and
/// validators ignore `int32`/`int64`, yet a value outside them breaks every typed client.
/// Added beside the schema's own bounds (the stricter one wins, as both apply).
fn format_bounds(m: &mut Map<String, Value>, format: &str) {
    let (low, high): (i64, i64) = match format {
        "int32" => (i32::MIN.into(), i32::MAX.into()),
        "int64" => (i64::MIN, i64::MAX),
        _ => return,
    };
    let own = |m: &Map<String, Value>, key: &str| m.get(key).and_then(Value::as_i64);
    if own(m, "minimum").is_none_or(|v| v < low) {
        m.insert("minimum".into(), json!(low));
    }
    if own(m, "maximum").is_none_or(|v| v > high) {
        m.insert("maximum".into(), json!(high));
    }
}

fn bound(
    m: &mut Map<String, Value>,
    inclusive: &str,
    exclusive: &str,
    value: Option<Value>,
    is_exclusive: bool,
) {
    if let Some(v) = value {
        m.insert(if is_exclusive { exclusive } else { inclusive }.into(), v);
    }
}

fn nullable_wrap(inner: Value, nullable: bool) -> Value {
    if nullable {
        json!({"anyOf": [inner, {"type": "null"}]})
    } else {
        inner
    }
}
