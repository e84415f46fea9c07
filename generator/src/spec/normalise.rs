//! OpenAPI 3.1 → 3.0 shape, on the raw JSON tree, before typed deserialisation.
//!
//! `openapiv3` models OpenAPI 3.0. OpenAPI 3.1 schemas are full JSON Schema
//! 2020-12 (`type: [string, "null"]`, `const`, numeric `exclusiveMinimum`,
//! `$ref` with siblings, boolean schemas, …) which `openapiv3` either rejects
//! or silently misreads. Version labels are unreliable (plenty of "3.0"
//! documents use 3.1 idioms and the other way round), so every rewrite here
//! applies to every document; each is a no-op on plain 3.0 input.
//!
//! Rewrites keep the meaning whenever 3.0 can express it; where it cannot
//! (a type union), the schema is widened and a warning says so.

use serde_json::{Map, Value, json};

use crate::diagnostics::Diagnostic;

/// The default `jsonSchemaDialect` of OpenAPI 3.1.
const OAS_31_DIALECT: &str = "https://spec.openapis.org/oas/3.1/dialect/base";

/// Document-level rewrites: drops `webhooks` and `jsonSchemaDialect`, and
/// supplies the `paths` object 3.1 allows to be absent.
pub(crate) fn document(
    root: &mut Map<String, Value>,
    declared_version: &str,
    diags: &mut Vec<Diagnostic>,
) {
    if let Some(webhooks) = root.shift_remove("webhooks") {
        let count = webhooks.as_object().map_or(0, Map::len);
        diags.push(
            Diagnostic::note(
                "webhooks-ignored",
                "#/webhooks",
                format!("{count} webhook(s) ignored: kontrat generates code for `paths` only"),
            )
            .with_hint(
                "describe webhook payloads under `components/schemas` to get types for them",
            ),
        );
    }
    if let Some(dialect) = root.shift_remove("jsonSchemaDialect")
        && dialect.as_str() != Some(OAS_31_DIALECT)
    {
        diags.push(
            Diagnostic::note(
                "json-schema-dialect-ignored",
                "#/jsonSchemaDialect",
                format!("`jsonSchemaDialect` {dialect} ignored; schemas are read as the OpenAPI 3.1 base dialect"),
            )
            .with_hint("remove `jsonSchemaDialect` unless it names the OpenAPI base dialect"),
        );
    }
    if !root.contains_key("paths") {
        if declared_version.starts_with("3.0") {
            diags.push(
                Diagnostic::warning(
                    "missing-paths",
                    "#",
                    "OpenAPI 3.0 requires `paths`; treated as empty",
                )
                .with_hint("add `paths: {}` or the API's operations"),
            );
        }
        root.insert("paths".to_owned(), Value::Object(Map::new()));
    }
}

/// `callbacks: {onEvent: {$ref: '#/components/callbacks/…'}}` on an operation is valid
/// OpenAPI, but `openapiv3` reads an operation's callbacks as inline Callback Objects only:
/// each reference that resolves (through a chain of references, within the document) is
/// replaced by a copy of its target. A broken reference becomes an empty callback: the
/// `$ref` check has already reported it, and the typed reader would only repeat it.
/// kontrat generates nothing for callbacks, so this only keeps the typed reader from
/// rejecting the document.
pub(crate) fn callback_refs(root: &mut Value) {
    const METHODS: [&str; 8] = [
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    let mut sites: Vec<(String, String, String, String)> = Vec::new();
    if let Some(Value::Object(paths)) = root.get("paths") {
        for (path, item) in paths {
            let Some(item) = item.as_object() else {
                continue;
            };
            for (method, op) in item {
                if !METHODS.contains(&method.as_str()) {
                    continue;
                }
                let Some(Value::Object(callbacks)) = op.get("callbacks") else {
                    continue;
                };
                for (name, callback) in callbacks {
                    if let Some(Value::String(reference)) = callback.get("$ref") {
                        sites.push((
                            path.clone(),
                            method.clone(),
                            name.clone(),
                            reference.clone(),
                        ));
                    }
                }
            }
        }
    }
    for (path, method, name, reference) in sites {
        let target = follow_refs(root, &reference).unwrap_or_else(|| Value::Object(Map::new()));
        if let Some(slot) = root
            .get_mut("paths")
            .and_then(|p| p.get_mut(&path))
            .and_then(|i| i.get_mut(&method))
            .and_then(|o| o.get_mut("callbacks"))
            .and_then(|c| c.get_mut(&name))
        {
            *slot = target;
        }
    }
}

/// The node a local reference leads to, through at most 32 more references.
fn follow_refs(root: &Value, reference: &str) -> Option<Value> {
    let mut current = reference.to_owned();
    for _ in 0..32 {
        let segments = super::pointer::ref_segments(&current)?;
        let node = super::pointer::lookup(root, &segments)?;
        match node.get("$ref") {
            Some(Value::String(next)) => current = next.clone(),
            _ => return node.is_object().then(|| node.clone()),
        }
    }
    None
}

/// Rewrites one schema node in place. Returns true when a `$ref` with
/// siblings was wrapped into `allOf: [{$ref}]` (the walk then finds the
/// reference at `<pointer>/allOf/0`).
pub(crate) fn schema(pointer: &str, node: &mut Value, diags: &mut Vec<Diagnostic>) -> bool {
    // Boolean schemas (JSON Schema): `true` accepts anything, `false` nothing.
    if let Value::Bool(accept) = node {
        *node = if *accept {
            json!({})
        } else {
            json!({ "not": {} })
        };
        return false;
    }
    let Value::Object(map) = node else {
        return false;
    };
    for key in ["$schema", "$id", "$comment"] {
        if map.contains_key(key) {
            map.shift_remove(key);
        }
    }
    keyword_types(pointer, map, diags);
    let wrapped = wrap_ref_siblings(map);
    type_union(pointer, map, diags);
    if let Some(value) = map.shift_remove("const") {
        if value.is_null() {
            map.insert("nullable".to_owned(), Value::Bool(true));
        }
        map.insert("enum".to_owned(), Value::Array(vec![value]));
    }
    if matches!(map.get("examples"), Some(Value::Array(_)))
        && let Some(Value::Array(examples)) = map.shift_remove("examples")
        && !map.contains_key("example")
        && let Some(first) = examples.into_iter().next()
    {
        map.insert("example".to_owned(), first);
    }
    exclusive_bound(map, "exclusiveMinimum", "minimum", |new, old| new >= old);
    exclusive_bound(map, "exclusiveMaximum", "maximum", |new, old| new <= old);
    null_branches(map);
    content_encoding(map);
    tuples(pointer, map, diags);
    integer_bounds(map);
    wrapped
}

/// `{$ref, nullable: true, …}` → `{allOf: [{$ref}], nullable: true, …}`.
///
/// Siblings that only document the reference (`description`, `summary`,
/// extensions) are what OpenAPI 3.1 allows on a Reference Object: the node
/// stays a plain reference (the raw tree keeps the description for readers).
fn wrap_ref_siblings(map: &mut Map<String, Value>) -> bool {
    if map.len() < 2 || !matches!(map.get("$ref"), Some(Value::String(_))) {
        return false;
    }
    let documentation_only = map
        .keys()
        .all(|k| matches!(k.as_str(), "$ref" | "description" | "summary") || k.starts_with("x-"));
    if documentation_only {
        return false;
    }
    if map.get("allOf").is_some_and(|v| !v.is_array()) {
        // An invalid `allOf` would be lost by merging; leave it for the shape check.
        return false;
    }
    let Some(reference) = map.shift_remove("$ref") else {
        return false;
    };
    let mut all_of = vec![json!({ "$ref": reference })];
    if let Some(Value::Array(existing)) = map.shift_remove("allOf") {
        all_of.extend(existing);
    }
    map.shift_insert(0, "allOf".to_owned(), Value::Array(all_of));
    true
}

/// `type: [X, "null"]` → `type: X, nullable: true`; `type: "null"` → `nullable` + `enum: [null]`;
/// several non-null types → `number` for `[integer, number]`, else no `type` and a warning.
fn type_union(pointer: &str, map: &mut Map<String, Value>, diags: &mut Vec<Diagnostic>) {
    let types: Vec<String> = match map.get("type") {
        Some(Value::String(t)) if t == "null" => vec![t.clone()],
        Some(Value::Array(items)) if items.iter().all(Value::is_string) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        _ => return,
    };
    let nullable = types.iter().any(|t| t == "null");
    let mut others: Vec<String> = Vec::new();
    for t in types.into_iter().filter(|t| t != "null") {
        if !others.contains(&t) {
            others.push(t);
        }
    }
    if others.len() == 2 && others.iter().all(|t| t == "integer" || t == "number") {
        others = vec!["number".to_owned()];
    }
    match others.as_slice() {
        [] => {
            map.shift_remove("type");
            map.insert("nullable".to_owned(), Value::Bool(true));
            map.insert("enum".to_owned(), json!([null]));
        }
        [single] => {
            map.insert("type".to_owned(), Value::String(single.clone()));
            if nullable {
                map.insert("nullable".to_owned(), Value::Bool(true));
            }
        }
        several => {
            diags.push(
                Diagnostic::warning(
                    "type-union",
                    format!("{pointer}/type"),
                    format!(
                        "schema allows several types ({}); it is read as an untyped value",
                        several.join(", ")
                    ),
                )
                .with_hint(
                    "use `oneOf` with one schema per type if the distinction matters to clients",
                ),
            );
            map.shift_remove("type");
            if nullable {
                map.insert("nullable".to_owned(), Value::Bool(true));
            }
        }
    }
}

/// Schema keywords holding the wrong kind of JSON value (`pattern: 0`, `maxLength: "10"`,
/// `type: {…}`): tolerable sloppiness, so the value is coerced when its meaning is plain (a
/// number written as a string, a number for a title) and the keyword ignored otherwise,
/// each with a warning. Without this, the typed reader rejects the whole document.
fn keyword_types(pointer: &str, map: &mut Map<String, Value>, diags: &mut Vec<Diagnostic>) {
    #[derive(Clone, Copy)]
    enum Expect {
        /// Text; a number or boolean reads as its text (`title`, `description`).
        Text,
        /// A string, else meaningless (`format`, `pattern`).
        Str,
        Bool,
        /// A non-negative integer (`maxLength`, …).
        Count,
        Number,
        /// A type name or a list of them.
        Type,
        /// A list of property names.
        Names,
        List,
    }
    const KEYWORDS: [(&str, Expect); 21] = [
        ("title", Expect::Text),
        ("description", Expect::Text),
        ("format", Expect::Str),
        ("pattern", Expect::Str),
        ("nullable", Expect::Bool),
        ("readOnly", Expect::Bool),
        ("writeOnly", Expect::Bool),
        ("deprecated", Expect::Bool),
        ("uniqueItems", Expect::Bool),
        ("minLength", Expect::Count),
        ("maxLength", Expect::Count),
        ("minItems", Expect::Count),
        ("maxItems", Expect::Count),
        ("minProperties", Expect::Count),
        ("maxProperties", Expect::Count),
        ("minimum", Expect::Number),
        ("maximum", Expect::Number),
        ("multipleOf", Expect::Number),
        ("type", Expect::Type),
        ("required", Expect::Names),
        ("enum", Expect::List),
    ];
    for (key, expect) in KEYWORDS {
        let Some(value) = map.get(key) else {
            continue;
        };
        let fits = match expect {
            Expect::Text | Expect::Str => value.is_string(),
            Expect::Bool => value.is_boolean(),
            Expect::Count => value.as_f64().is_some_and(|n| n >= 0.0 && n.fract() == 0.0),
            Expect::Number => value.is_number(),
            Expect::Type => value.is_string() || value.is_array(),
            Expect::Names => value
                .as_array()
                .is_some_and(|names| names.iter().all(Value::is_string)),
            Expect::List => value.is_array(),
        };
        if fits {
            continue;
        }
        let coerced: Option<Value> = match (expect, value) {
            (Expect::Text, Value::Number(_) | Value::Bool(_)) => {
                Some(Value::String(value.to_string()))
            }
            (Expect::Bool, Value::String(s)) => match s.trim() {
                "true" => Some(Value::Bool(true)),
                "false" => Some(Value::Bool(false)),
                _ => None,
            },
            (Expect::Count, Value::String(s)) => s.trim().parse::<u64>().ok().map(Value::from),
            (Expect::Number, Value::String(s)) => s
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|n| n.is_finite())
                .and_then(|n| {
                    if n.fract() == 0.0 && n.abs() < 9.0e15 {
                        Some(Value::from(n as i64))
                    } else {
                        serde_json::Number::from_f64(n).map(Value::Number)
                    }
                }),
            (Expect::Names, Value::Array(names)) => Some(Value::Array(
                names.iter().filter(|n| n.is_string()).cloned().collect(),
            )),
            _ => None,
        };
        let what = match expect {
            Expect::Text | Expect::Str => "a string",
            Expect::Bool => "a boolean",
            Expect::Count => "a non-negative integer",
            Expect::Number => "a number",
            Expect::Type => "a type name such as \"string\"",
            Expect::Names => "a list of property names",
            Expect::List => "a list",
        };
        let found = describe_value(value);
        let (message, hint) = match &coerced {
            Some(new) => (
                format!("`{key}` holds {found} where {what} is expected; read as {new}"),
                format!("write `{key}: {new}`"),
            ),
            None if key == "required" && value.is_boolean() => (
                format!(
                    "`required: {value}` inside a schema is ignored: a schema lists its required properties by name"
                ),
                "list the property in its parent's `required: [...]` instead".to_owned(),
            ),
            None => (
                format!("`{key}` holds {found} where {what} is expected; the keyword is ignored"),
                format!("fix or remove `{key}` (it must be {what})"),
            ),
        };
        diags.push(
            Diagnostic::warning("invalid-keyword", format!("{pointer}/{key}"), message)
                .with_hint(hint),
        );
        match coerced {
            Some(new) => {
                map.insert(key.to_owned(), new);
            }
            None => {
                map.shift_remove(key);
            }
        }
    }
}

fn describe_value(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(_) => "a string".to_owned(),
        Value::Array(_) => "a list".to_owned(),
        Value::Object(_) => "a mapping".to_owned(),
    }
}

/// Numeric `exclusiveMinimum: n` (3.1) → `minimum: n, exclusiveMinimum: true` (3.0);
/// an existing, stricter `minimum` is kept. Same for the maximum.
fn exclusive_bound(
    map: &mut Map<String, Value>,
    exclusive: &str,
    bound: &str,
    tighter: fn(f64, f64) -> bool,
) {
    let Some(Value::Number(limit)) = map.get(exclusive) else {
        return;
    };
    let limit = limit.clone();
    map.shift_remove(exclusive);
    let keep_existing = match (limit.as_f64(), map.get(bound).and_then(Value::as_f64)) {
        (Some(new), Some(old)) => !tighter(new, old),
        _ => false,
    };
    if !keep_existing {
        map.insert(bound.to_owned(), Value::Number(limit));
        map.insert(exclusive.to_owned(), Value::Bool(true));
    }
}

/// A branch that only admits `null` (3.1 `{type: "null"}` or 3.0 `{nullable: true, enum: [null]}`).
fn is_null_schema(branch: &Value) -> bool {
    let Value::Object(map) = branch else {
        return false;
    };
    let null_type = match map.get("type") {
        Some(Value::String(t)) => t == "null",
        Some(Value::Array(items)) => items.len() == 1 && items[0] == "null",
        _ => false,
    };
    let null_enum = matches!(map.get("enum"), Some(Value::Array(items)) if items.len() == 1 && items[0].is_null())
        || matches!(map.get("const"), Some(Value::Null));
    let doc = |k: &str| matches!(k, "description" | "title");
    (null_type && map.keys().all(|k| k == "type" || doc(k)))
        || (null_enum
            && map
                .keys()
                .all(|k| matches!(k.as_str(), "enum" | "const" | "nullable" | "type") || doc(k)))
}

/// `oneOf: [X, {type: "null"}]` → `allOf: [X], nullable: true` (the 3.0 idiom);
/// with several non-null branches the `oneOf` stays, minus the null branch.
fn null_branches(map: &mut Map<String, Value>) {
    for key in ["oneOf", "anyOf"] {
        let has_null = match map.get(key) {
            Some(Value::Array(items)) => items.len() >= 2 && items.iter().any(is_null_schema),
            _ => false,
        };
        if !has_null {
            continue;
        }
        let Some(Value::Array(items)) = map.shift_remove(key) else {
            continue;
        };
        let mut rest: Vec<Value> = items.into_iter().filter(|b| !is_null_schema(b)).collect();
        map.insert("nullable".to_owned(), Value::Bool(true));
        match rest.len() {
            0 => {
                map.insert("enum".to_owned(), json!([null]));
            }
            1 => {
                let only = rest.remove(0);
                match map.get_mut("allOf") {
                    Some(Value::Array(all_of)) => all_of.push(only),
                    _ => {
                        map.insert("allOf".to_owned(), Value::Array(vec![only]));
                    }
                }
            }
            _ => {
                map.insert(key.to_owned(), Value::Array(rest));
            }
        }
    }
}

/// `contentEncoding: base64` → `format: byte`; a non-textual `contentMediaType`
/// on a string → `format: binary` (how 3.1 spells file contents).
fn content_encoding(map: &mut Map<String, Value>) {
    if map.get("type").and_then(Value::as_str) != Some("string") || map.contains_key("format") {
        return;
    }
    let format = match (
        map.get("contentEncoding").and_then(Value::as_str),
        map.get("contentMediaType").and_then(Value::as_str),
    ) {
        (Some(enc), _) if enc.eq_ignore_ascii_case("base64") => "byte",
        (None, Some(media)) if !is_textual(media) => "binary",
        _ => return,
    };
    map.insert("format".to_owned(), Value::String(format.to_owned()));
}

fn is_textual(media: &str) -> bool {
    let media = media
        .split(';')
        .next()
        .unwrap_or(media)
        .trim()
        .to_ascii_lowercase();
    media.starts_with("text/")
        || media == "application/json"
        || media.ends_with("+json")
        || media == "application/xml"
        || media.ends_with("+xml")
        || media == "application/x-www-form-urlencoded"
}

/// Tuple forms: draft-4 `items: [A]` → `items: A`; longer item lists and 2020-12
/// `prefixItems` are not representable and are dropped with a warning.
fn tuples(pointer: &str, map: &mut Map<String, Value>, diags: &mut Vec<Diagnostic>) {
    if let Some(Value::Array(list)) = map.get("items") {
        if list.len() == 1 {
            if let Some(Value::Array(mut list)) = map.shift_remove("items") {
                let only = list.remove(0);
                map.insert("items".to_owned(), only);
            }
        } else {
            map.shift_remove("items");
            diags.push(tuple_warning(format!("{pointer}/items")));
        }
    }
    if map.contains_key("prefixItems") {
        if matches!(map.get("items"), Some(Value::Bool(false))) {
            map.shift_remove("items");
        }
        diags.push(tuple_warning(format!("{pointer}/prefixItems")));
    }
}

fn tuple_warning(pointer: String) -> Diagnostic {
    Diagnostic::warning(
        "tuple-items",
        pointer,
        "tuple item lists are not supported; only the common `items` schema types the array",
    )
    .with_hint("use `items` with one schema (a `oneOf` if the positions differ)")
}

/// `type: integer` with `minimum: 1.0` → `minimum: 1` (openapiv3 would fall back to an untyped schema).
fn integer_bounds(map: &mut Map<String, Value>) {
    if map.get("type").and_then(Value::as_str) != Some("integer") {
        return;
    }
    for key in ["minimum", "maximum", "multipleOf"] {
        if let Some(value) = map.get_mut(key) {
            integral(value);
        }
    }
    if let Some(Value::Array(items)) = map.get_mut("enum") {
        items.iter_mut().for_each(integral);
    }
}

fn integral(value: &mut Value) {
    if let Value::Number(n) = value
        && !n.is_i64()
        && !n.is_u64()
        && let Some(f) = n.as_f64()
        && f.fract() == 0.0
        && f.abs() < 9.0e15
    {
        *value = Value::Number((f as i64).into());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(v: Value) -> (Value, Vec<Diagnostic>) {
        let mut v = v;
        let mut d = Vec::new();
        schema("#/s", &mut v, &mut d);
        (v, d)
    }

    #[test]
    fn type_arrays() {
        assert_eq!(
            norm(json!({"type": ["string", "null"]})).0,
            json!({"type": "string", "nullable": true})
        );
        assert_eq!(
            norm(json!({"type": ["integer"]})).0,
            json!({"type": "integer"})
        );
        assert_eq!(
            norm(json!({"type": ["integer", "number"]})).0,
            json!({"type": "number"})
        );
        let (v, d) = norm(json!({"type": ["string", "object", "null"]}));
        assert_eq!(v, json!({"nullable": true}));
        assert_eq!(d[0].code, "type-union");
        assert_eq!(d[0].pointer, "#/s/type");
        assert_eq!(
            norm(json!({"type": "null"})).0,
            json!({"nullable": true, "enum": [null]})
        );
    }

    #[test]
    fn bounds() {
        assert_eq!(
            norm(json!({"type": "number", "exclusiveMinimum": 0})).0,
            json!({"type": "number", "minimum": 0, "exclusiveMinimum": true})
        );
        assert_eq!(
            norm(json!({"type": "number", "minimum": 5, "exclusiveMinimum": 0})).0,
            json!({"type": "number", "minimum": 5})
        );
        assert_eq!(
            norm(json!({"exclusiveMaximum": 10, "maximum": 20})).0,
            json!({"maximum": 10, "exclusiveMaximum": true})
        );
        assert_eq!(
            norm(json!({"exclusiveMinimum": true, "minimum": 1})).0,
            json!({"exclusiveMinimum": true, "minimum": 1})
        );
        assert_eq!(
            norm(json!({"type": "integer", "minimum": 1.0})).0,
            json!({"type": "integer", "minimum": 1})
        );
    }

    #[test]
    fn refs_with_siblings() {
        assert_eq!(
            norm(json!({"$ref": "#/x", "nullable": true})).0,
            json!({"allOf": [{"$ref": "#/x"}], "nullable": true})
        );
        assert_eq!(
            norm(json!({"$ref": "#/x", "description": "d"})).0,
            json!({"$ref": "#/x", "description": "d"})
        );
        assert_eq!(
            norm(json!({"$ref": "#/x", "readOnly": true, "allOf": [{"$ref": "#/y"}]})).0,
            json!({"allOf": [{"$ref": "#/x"}, {"$ref": "#/y"}], "readOnly": true})
        );
    }

    #[test]
    fn null_branch() {
        assert_eq!(
            norm(json!({"oneOf": [{"$ref": "#/x"}, {"type": "null"}]})).0,
            json!({"nullable": true, "allOf": [{"$ref": "#/x"}]})
        );
        assert_eq!(
            norm(json!({"anyOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}]})).0,
            json!({"nullable": true, "anyOf": [{"type": "string"}, {"type": "integer"}]})
        );
    }

    #[test]
    fn misc() {
        assert_eq!(norm(json!({"const": "a"})).0, json!({"enum": ["a"]}));
        assert_eq!(norm(json!({"examples": [1, 2]})).0, json!({"example": 1}));
        assert_eq!(norm(json!(false)).0, json!({"not": {}}));
        assert_eq!(norm(json!(true)).0, json!({}));
        assert_eq!(
            norm(json!({"type": "string", "contentEncoding": "base64"})).0["format"],
            "byte"
        );
        assert_eq!(
            norm(json!({"type": "string", "contentMediaType": "image/png"})).0["format"],
            "binary"
        );
        assert!(
            norm(json!({"type": "string", "contentMediaType": "application/json"}))
                .0
                .get("format")
                .is_none()
        );
        assert_eq!(
            norm(json!({"items": [{"type": "string"}]})).0,
            json!({"items": {"type": "string"}})
        );
        let (v, d) = norm(json!({"prefixItems": [{}], "items": false}));
        assert_eq!(v, json!({"prefixItems": [{}]}));
        assert_eq!(d[0].code, "tuple-items");
        assert_eq!(
            norm(json!({"$schema": "x", "$id": "y", "type": "string"})).0,
            json!({"type": "string"})
        );
    }
}
