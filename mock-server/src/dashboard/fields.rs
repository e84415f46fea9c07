//! Schemas as the dashboard lists them: one line per type ("string", "16–4096
//! characters"), and the fields of an object body.

use kontrat_generator::model::{Contract, Schema, SchemaKind};
use serde_json::{Value, json};

/// How deep `allOf` parts and references are followed to gather an object's fields.
const MAX_DEPTH: usize = 16;

/// A schema's type in a few words (`string (date-time)`, `array of TokenPair`, `TokenPair`).
pub(crate) fn type_text(contract: &Contract, schema: &Schema) -> String {
    type_at(contract, schema, 0)
}

fn type_at(contract: &Contract, schema: &Schema, depth: usize) -> String {
    let base = match &schema.kind {
        SchemaKind::Ref(name) => {
            let target = contract.resolve(schema);
            match &target.kind {
                SchemaKind::Object(_) | SchemaKind::AllOf(_) | SchemaKind::Ref(_) => name.clone(),
                _ if depth < MAX_DEPTH => type_at(contract, target, depth + 1),
                _ => name.clone(),
            }
        }
        SchemaKind::Any => "any".into(),
        SchemaKind::Null => "null".into(),
        SchemaKind::Boolean => "boolean".into(),
        SchemaKind::Integer(i) => with_format("integer", i.format.as_deref()),
        SchemaKind::Number(n) => with_format("number", n.format.as_deref()),
        SchemaKind::String(s) => with_format("string", s.format.as_deref()),
        SchemaKind::Array(a) if depth < MAX_DEPTH => {
            format!("array of {}", type_at(contract, &a.items, depth + 1))
        }
        SchemaKind::Array(_) => "array".into(),
        SchemaKind::Object(_) | SchemaKind::AllOf(_) => "object".into(),
        SchemaKind::OneOf { variants, .. } | SchemaKind::AnyOf { variants, .. }
            if depth < MAX_DEPTH =>
        {
            let names: Vec<String> = variants
                .iter()
                .map(|v| type_at(contract, v, depth + 1))
                .collect();
            format!("one of {}", names.join(" | "))
        }
        SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } => "one of several".into(),
        SchemaKind::Not(_) => "any but one shape".into(),
    };
    if schema.nullable && !matches!(schema.kind, SchemaKind::Null) {
        format!("{base} or null")
    } else {
        base
    }
}

fn with_format(name: &str, format: Option<&str>) -> String {
    match format {
        Some(f) => format!("{name} ({f})"),
        None => name.to_owned(),
    }
}

/// A schema's constraints in a few words (`16–4096 characters`, `≥ 1`, `one of: Bearer`),
/// empty when it has none.
pub(crate) fn rules_text(contract: &Contract, schema: &Schema) -> String {
    let schema = contract.resolve(schema);
    let mut rules: Vec<String> = Vec::new();
    match &schema.kind {
        SchemaKind::Integer(i) => {
            bound(&mut rules, i.minimum, i.exclusive_minimum, "≥", ">");
            bound(&mut rules, i.maximum, i.exclusive_maximum, "≤", "<");
            if let Some(m) = i.multiple_of {
                rules.push(format!("multiple of {m}"));
            }
            enumeration(&mut rules, &i.enumeration);
        }
        SchemaKind::Number(n) => {
            bound(&mut rules, n.minimum, n.exclusive_minimum, "≥", ">");
            bound(&mut rules, n.maximum, n.exclusive_maximum, "≤", "<");
            if let Some(m) = n.multiple_of {
                rules.push(format!("multiple of {m}"));
            }
            enumeration(&mut rules, &n.enumeration);
        }
        SchemaKind::String(s) => {
            range(&mut rules, s.min_length, s.max_length, "characters");
            if let Some(p) = &s.pattern {
                rules.push(format!("matches {p}"));
            }
            enumeration(&mut rules, &s.enumeration);
        }
        SchemaKind::Array(a) => {
            range(&mut rules, a.min_items, a.max_items, "items");
            if a.unique_items {
                rules.push("unique items".into());
            }
        }
        _ => {}
    }
    if schema.read_only {
        rules.push("read-only".into());
    }
    if schema.write_only {
        rules.push("write-only".into());
    }
    rules.join(", ")
}

fn bound<T: std::fmt::Display>(
    rules: &mut Vec<String>,
    value: Option<T>,
    exclusive: bool,
    inclusive_sign: &str,
    exclusive_sign: &str,
) {
    if let Some(v) = value {
        let sign = if exclusive {
            exclusive_sign
        } else {
            inclusive_sign
        };
        rules.push(format!("{sign} {v}"));
    }
}

fn range(rules: &mut Vec<String>, min: Option<usize>, max: Option<usize>, unit: &str) {
    match (min, max) {
        (Some(a), Some(b)) if a == b => rules.push(format!("exactly {a} {unit}")),
        (Some(a), Some(b)) => rules.push(format!("{a}–{b} {unit}")),
        (Some(a), None) => rules.push(format!("at least {a} {unit}")),
        (None, Some(b)) => rules.push(format!("at most {b} {unit}")),
        (None, None) => {}
    }
}

fn enumeration<T: std::fmt::Display>(rules: &mut Vec<String>, values: &[T]) {
    if !values.is_empty() {
        let list: Vec<String> = values.iter().map(ToString::to_string).collect();
        rules.push(format!("one of: {}", list.join(", ")));
    }
}

/// The fields of an object schema (through references and `allOf` parts, later parts
/// refining earlier ones), each `{name, type, rules, required, description}`; empty for
/// anything else.
pub(crate) fn fields(
    contract: &Contract,
    schema: &Schema,
    describe: &dyn Fn(&str) -> Vec<Value>,
) -> Vec<Value> {
    let mut found: Vec<(String, &Schema, bool)> = Vec::new();
    gather(contract, schema, 0, &mut found);
    found
        .into_iter()
        .map(|(name, s, required)| {
            let description = s
                .description
                .as_deref()
                .or_else(|| contract.resolve(s).description.as_deref())
                .map(describe)
                .unwrap_or_default();
            json!({
                "name": name,
                "type": type_text(contract, s),
                "rules": rules_text(contract, s),
                "required": required,
                "description": description,
            })
        })
        .collect()
}

fn gather<'a>(
    contract: &'a Contract,
    schema: &'a Schema,
    depth: usize,
    found: &mut Vec<(String, &'a Schema, bool)>,
) {
    if depth > MAX_DEPTH {
        return;
    }
    let schema = contract.resolve(schema);
    match &schema.kind {
        SchemaKind::Object(object) => {
            for p in &object.properties {
                match found.iter_mut().find(|(n, _, _)| *n == p.name) {
                    Some(slot) => {
                        slot.1 = &p.schema;
                        slot.2 |= p.required;
                    }
                    None => found.push((p.name.clone(), &p.schema, p.required)),
                }
            }
            for name in &object.required_elsewhere {
                if let Some(slot) = found.iter_mut().find(|(n, _, _)| n == name) {
                    slot.2 = true;
                }
            }
        }
        SchemaKind::AllOf(parts) => {
            for part in parts {
                gather(contract, part, depth + 1, found);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn auth() -> Contract {
        let text = include_str!("../../../spec/auth.yaml");
        kontrat_generator::load_contract_str("auth.yaml", text)
            .map(|(c, _)| c)
            .unwrap_or_else(|d| panic!("{d}"))
    }

    #[test]
    fn an_envelope_lists_its_merged_fields() {
        let contract = auth();
        let envelope = contract.schemas.get("TokenPairEnvelope").unwrap();
        let list = fields(&contract, envelope, &|_| Vec::new());
        let names: Vec<&str> = list.iter().filter_map(|f| f["name"].as_str()).collect();
        assert_eq!(
            names,
            ["isSuccess", "statusCode", "data", "errors", "timestamp"]
        );
        assert_eq!(list[2]["type"], "TokenPair");
        assert_eq!(list[1]["rules"], "≥ 100, ≤ 599");
        assert_eq!(list[4]["type"], "string (date-time)");
        assert_eq!(list[3]["type"], "array of string");
        assert!(list.iter().all(|f| f["required"] == true));
    }

    #[test]
    fn string_rules_read_as_words() {
        let contract = auth();
        let pair = contract.schemas.get("TokenPair").unwrap();
        let list = fields(&contract, pair, &|_| Vec::new());
        assert_eq!(list[1]["rules"], "16–4096 characters");
        assert_eq!(list[3]["rules"], "one of: Bearer");
    }
}
