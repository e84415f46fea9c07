//! Example values synthesised from schemas, for responses the spec gives no example for.
//!
//! Deterministic (the same schema always gives the same value) and valid against the
//! schema for the constructs it understands: enums, bounds, lengths, formats, required
//! properties, `allOf` merges, the first `oneOf`/`anyOf` variant (with its discriminator).

use serde_json::{Map, Value, json};

use super::json_schema::Direction;
use super::{AdditionalProperties, Contract, Schema, SchemaKind};

/// How deep synthesis follows nested schemas before it stops at the smallest valid value.
const MAX_DEPTH: usize = 12;

/// A value for `schema` as `direction`'s sender would send it.
pub fn synthesize(contract: &Contract, schema: &Schema, direction: Direction) -> Value {
    Synth {
        contract,
        direction,
        stack: Vec::new(),
    }
    .value(schema, 0)
}

/// A body for a response of `status` whose schema is `schema`: synthesised, with the shared
/// envelope's success flag and status code made to agree with `status`.
pub fn response_body(contract: &Contract, schema: &Schema, status: u16) -> Value {
    let mut value = synthesize(contract, schema, Direction::Response);
    if contract.envelope_data(schema).is_some() {
        patch_envelope(contract, &mut value, status);
    }
    value
}

/// Makes an envelope value's success flag and status code agree with `status`.
pub fn patch_envelope(contract: &Contract, value: &mut Value, status: u16) {
    let (Some(env), Value::Object(map)) = (&contract.envelope, value) else {
        return;
    };
    if let Some(k) = &env.roles.success {
        map.insert(k.clone(), json!((200..300).contains(&status)));
    }
    if let Some(k) = &env.roles.status {
        map.insert(k.clone(), json!(status));
    }
}

/// Sets the discriminator property of a `oneOf`/`anyOf` value to the tag of the variant
/// it was made from (when the variant is a named schema).
pub(crate) fn tag_variant(
    value: &mut Value,
    discriminator: Option<&super::Discriminator>,
    variant: &Schema,
) {
    let (Some(d), Value::Object(map)) = (discriminator, value) else {
        return;
    };
    if let Some(tag) = variant
        .ref_name()
        .and_then(|name| d.tags_for(name).into_iter().next())
    {
        map.insert(d.property.clone(), json!(tag));
    }
}

/// The value of an `allOf` from the values of its parts: objects merged (a part's
/// stand-in for a name it requires but does not declare never overwrites a sibling's
/// real value), or the non-object value when no part gave an object.
pub(crate) fn merge_all_of(contract: &Contract, parts: &[Schema], values: Vec<Value>) -> Value {
    let mut merged = Map::new();
    let mut other = None;
    for (part, value) in parts.iter().zip(values) {
        let Value::Object(m) = value else {
            other = Some(value);
            continue;
        };
        let elsewhere: &[String] = match &contract.resolve(part).kind {
            SchemaKind::Object(o) => &o.required_elsewhere,
            _ => &[],
        };
        for (k, v) in m {
            if !(elsewhere.contains(&k) && merged.contains_key(&k)) {
                merged.insert(k, v);
            }
        }
    }
    match other {
        Some(v) if merged.is_empty() => v,
        _ => Value::Object(merged),
    }
}

/// The schema's own `example` (else `default`) when it has the schema's JSON type: specs
/// in the wild carry `example: null` on non-nullable strings, `"tue"` for booleans and
/// the like, and a synthesised value must not copy those.
fn own_example(schema: &Schema) -> Option<&Value> {
    [schema.example.as_ref(), schema.default.as_ref()]
        .into_iter()
        .flatten()
        .find(|v| fits(schema, v))
}

/// A shallow check that `value` has the JSON type `schema` describes (and is one of its
/// enum values, if it has any).
pub fn fits(schema: &Schema, value: &Value) -> bool {
    match (&schema.kind, value) {
        (_, Value::Null) => {
            schema.nullable || matches!(schema.kind, SchemaKind::Null | SchemaKind::Any)
        }
        (SchemaKind::Boolean, v) => v.is_boolean(),
        (SchemaKind::Integer(i), v) => v
            .as_i64()
            .is_some_and(|n| i.enumeration.is_empty() || i.enumeration.contains(&n)),
        (SchemaKind::Number(_), v) => v.is_number(),
        (SchemaKind::String(st), Value::String(text)) => {
            st.enumeration.is_empty() || st.enumeration.contains(text)
        }
        (SchemaKind::String(_), _) => false,
        (SchemaKind::Array(_), v) => v.is_array(),
        (SchemaKind::Object(_), v) => v.is_object(),
        (SchemaKind::Null, _) => false,
        _ => true,
    }
}

struct Synth<'a> {
    contract: &'a Contract,
    direction: Direction,
    stack: Vec<&'a str>,
}

impl<'a> Synth<'a> {
    fn value(&mut self, schema: &'a Schema, depth: usize) -> Value {
        if let Some(v) = own_example(schema) {
            return v.clone();
        }
        if depth > MAX_DEPTH {
            return self.smallest(schema);
        }
        match &schema.kind {
            SchemaKind::Ref(name) => {
                if self.stack.contains(&name.as_str()) {
                    return self.smallest(schema);
                }
                let Some(target) = self.contract.schemas.get(name) else {
                    return Value::Null;
                };
                self.stack.push(name);
                let v = self.value(target, depth + 1);
                self.stack.pop();
                v
            }
            SchemaKind::Any | SchemaKind::Null | SchemaKind::Not(_) => Value::Null,
            SchemaKind::Boolean => json!(true),
            SchemaKind::Integer(i) => {
                if let Some(v) = i.enumeration.first() {
                    return json!(v);
                }
                let mut v = match (i.minimum, i.maximum) {
                    (Some(min), _) => min + i64::from(i.exclusive_minimum),
                    (None, Some(max)) => (max - i64::from(i.exclusive_maximum)).min(1),
                    (None, None) => 1,
                };
                if let Some(m) = i.multiple_of.filter(|m| *m > 0) {
                    v = ((v + m - 1).div_euclid(m)) * m;
                }
                json!(v)
            }
            SchemaKind::Number(n) => {
                if let Some(v) = n.enumeration.first() {
                    return json!(v);
                }
                let v = match (n.minimum, n.maximum) {
                    (Some(min), Some(max)) => (min + max) / 2.0,
                    (Some(min), None) => min + 1.0,
                    (None, Some(max)) => max - 1.0,
                    (None, None) => 1.5,
                };
                json!(v)
            }
            SchemaKind::String(s) => {
                if let Some(v) = s.enumeration.first() {
                    return json!(v);
                }
                let base = match s.format.as_deref() {
                    Some("date-time") => "2026-01-15T10:30:00.000Z",
                    Some("date") => "2026-01-15",
                    Some("time") => "10:30:00Z",
                    Some("uuid") => "3fa85f64-5717-4562-b3fc-2c963f66afa6",
                    Some("email") => "user@example.com",
                    Some("uri") | Some("url") => "https://example.com/",
                    Some("hostname") => "example.com",
                    Some("ipv4") => "192.0.2.1",
                    Some("ipv6") => "2001:db8::1",
                    Some("byte") => "ZXhhbXBsZQ==",
                    _ => "string",
                };
                let min = s.min_length.unwrap_or(0);
                if let (Some(p), None) = (&s.pattern, &s.format) {
                    // A fixed seed keeps synthesis deterministic.
                    let rng = &mut <rand::rngs::ChaCha8Rng as rand::SeedableRng>::seed_from_u64(0);
                    if let Some(v) = super::sample::pattern_string(p, min, s.max_length, rng) {
                        return json!(v);
                    }
                }
                let mut text: String = base.to_owned();
                while text.chars().count() < min {
                    text.push('x');
                }
                if let Some(max) = s.max_length {
                    text = text.chars().take(max).collect();
                }
                json!(text)
            }
            SchemaKind::Array(a) if a.min_items.unwrap_or(0) == 0 && self.recursive(&a.items) => {
                json!([])
            }
            SchemaKind::Array(a) => {
                let n = a.min_items.unwrap_or(1).max(usize::from(depth < 4));
                let n = a.max_items.map_or(n, |max| n.min(max));
                let item = self.value(&a.items, depth + 1);
                Value::Array(vec![item; n])
            }
            SchemaKind::Object(o) => {
                let mut map = Map::new();
                for p in &o.properties {
                    let skip = match self.direction {
                        Direction::Request => p.schema.read_only,
                        Direction::Response => p.schema.write_only,
                    };
                    if skip || (!p.required && (depth > 3 || self.recursive(&p.schema))) {
                        continue;
                    }
                    let v = self.value(&p.schema, depth + 1);
                    if v.is_null() && !p.required && !p.schema.nullable {
                        continue;
                    }
                    map.insert(p.name.clone(), v);
                }
                for name in &o.required_elsewhere {
                    if !map.contains_key(name) {
                        map.insert(name.clone(), json!("string"));
                    }
                }
                if let (true, AdditionalProperties::Schema(s)) = (
                    o.min_properties.is_some_and(|n| map.len() < n),
                    &o.additional,
                ) {
                    let v = self.value(s, depth + 1);
                    map.insert("key".into(), v);
                }
                Value::Object(map)
            }
            SchemaKind::AllOf(parts) => {
                let values: Vec<Value> = parts.iter().map(|p| self.value(p, depth + 1)).collect();
                merge_all_of(self.contract, parts, values)
            }
            SchemaKind::OneOf {
                variants,
                discriminator,
            }
            | SchemaKind::AnyOf {
                variants,
                discriminator,
            } => {
                let Some(first) = variants.first() else {
                    return Value::Null;
                };
                let mut v = self.value(first, depth + 1);
                tag_variant(&mut v, discriminator.as_ref(), first);
                v
            }
        }
    }

    /// True when `schema` leads straight back into a schema being synthesised.
    fn recursive(&self, schema: &Schema) -> bool {
        match &schema.kind {
            SchemaKind::Ref(name) => self.stack.contains(&name.as_str()),
            SchemaKind::Array(a) => self.recursive(&a.items),
            _ => false,
        }
    }

    /// The least value that is still plausible, used to stop recursion.
    fn smallest(&self, schema: &Schema) -> Value {
        self.smallest_at(schema, 0)
    }

    /// Required properties only, with the least value of each (bounded depth: a schema
    /// that requires itself has no finite value anyway).
    fn smallest_at(&self, schema: &Schema, depth: usize) -> Value {
        if schema.nullable || depth > MAX_DEPTH {
            return Value::Null;
        }
        let resolved = self.contract.resolve(schema);
        if let Some(v) = own_example(resolved) {
            return v.clone();
        }
        match &resolved.kind {
            SchemaKind::Array(a) => {
                let item = self.smallest_at(&a.items, depth + 1);
                Value::Array(vec![item; a.min_items.unwrap_or(0)])
            }
            SchemaKind::Object(o) => Value::Object(
                o.properties
                    .iter()
                    .filter(|p| p.required)
                    .map(|p| (p.name.clone(), self.smallest_at(&p.schema, depth + 1)))
                    .collect(),
            ),
            SchemaKind::String(s) => match s.enumeration.first() {
                Some(v) => json!(v),
                None => json!("x".repeat(s.min_length.unwrap_or(0))),
            },
            SchemaKind::Integer(i) => {
                json!(i.enumeration.first().copied().or(i.minimum).unwrap_or(0))
            }
            SchemaKind::Number(n) => {
                json!(n.enumeration.first().copied().or(n.minimum).unwrap_or(0.0))
            }
            SchemaKind::Boolean => json!(false),
            _ => Value::Null,
        }
    }
}
