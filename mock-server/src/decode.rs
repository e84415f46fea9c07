//! Parameter text → the JSON values its schema may mean, by OpenAPI's `style` and `explode`.
//!
//! Text carries no types: `true` is a boolean for a boolean schema and a string for a
//! string schema; `1,2` is an array or a string. The schema decides. Where it allows
//! several shapes (a union, no `type`), every reading is returned, most specific first,
//! and the parameter is valid when one of them validates.

use std::borrow::Cow;

use kontrat_generator::model::{
    Contract, IntegerSchema, ObjectSchema, Parameter, ParameterLocation, ParameterStyle, Schema,
    SchemaKind, is_json_media_type,
};
use serde_json::{Map, Number, Value};

/// The query string, decoded once per request (`+` is a space, as forms write it).
pub(crate) type Query<'a> = [(Cow<'a, str>, Cow<'a, str>)];

/// Where a request's parameters are read from.
pub(crate) struct Sources<'a> {
    pub query: &'a Query<'a>,
    pub headers: &'a http::HeaderMap,
    pub path_params: &'a [(String, String)],
    /// Query keys that belong to another parameter or an API key (not to an exploded
    /// object's free-form properties).
    pub claimed: &'a [String],
}

/// The readings of parameter `p`: `Ok(None)` when the request does not carry it,
/// `Err` when its text cannot mean any value of its schema.
pub(crate) fn read(
    contract: &Contract,
    p: &Parameter,
    src: &Sources<'_>,
) -> Result<Option<Vec<Value>>, String> {
    let schema = contract.resolve(&p.schema);
    let shape = shape(contract, schema);
    if let Some(media_type) = &p.media_type {
        // `content` parameters carry the media type's text, not a styled serialisation.
        let Some(text) = scalar_text(p, src)? else {
            return Ok(None);
        };
        return Ok(Some(if is_json_media_type(media_type) {
            match serde_json::from_str::<Value>(&text) {
                Ok(v) => vec![v],
                Err(_) => return Err(format!("value is not {media_type} text")),
            }
        } else {
            vec![Value::String(text)]
        }));
    }
    match shape {
        Shape::Object(object) => object_readings(contract, p, object, src),
        Shape::Array(items) => {
            let Some(texts) = array_texts(p, src)? else {
                return Ok(None);
            };
            array_readings(contract, items, &texts).map(Some)
        }
        Shape::Scalar => {
            let Some(text) = scalar_text(p, src)? else {
                return Ok(None);
            };
            if text.is_empty() && p.allow_empty_value == Some(false) {
                return Err("an empty value is not allowed (allowEmptyValue: false)".into());
            }
            scalar(schema, &text).map(|v| Some(vec![v]))
        }
        Shape::Open => {
            // Unions and untyped schemas: a repeated query key is an array; otherwise the
            // text's JSON reading, then the text itself.
            if p.location == ParameterLocation::Query {
                let values: Vec<&str> = query_values(src.query, &p.name).collect();
                if values.len() > 1 {
                    let items: Vec<Value> = values.iter().map(|t| open_reading(t)).collect();
                    let strings = values.iter().map(|t| Value::String((*t).into())).collect();
                    return Ok(Some(vec![Value::Array(items), Value::Array(strings)]));
                }
            }
            let Some(text) = scalar_text(p, src)? else {
                return Ok(None);
            };
            let mut readings = Vec::new();
            if let Ok(v) = serde_json::from_str::<Value>(&text)
                && !v.is_string()
            {
                readings.push(v);
            }
            readings.push(Value::String(text));
            Ok(Some(readings))
        }
    }
}

/// What a parameter's schema lets its text be.
enum Shape<'s> {
    /// One scalar value (boolean, integer, number, string, null).
    Scalar,
    /// An array of these items.
    Array(&'s Schema),
    /// An object (its schema, for property types, when it has one).
    Object(Option<&'s ObjectSchema>),
    /// Anything: a union, or no type.
    Open,
}

fn shape<'s>(contract: &'s Contract, schema: &'s Schema) -> Shape<'s> {
    match &schema.kind {
        SchemaKind::Boolean
        | SchemaKind::Integer(_)
        | SchemaKind::Number(_)
        | SchemaKind::String(_)
        | SchemaKind::Null => Shape::Scalar,
        SchemaKind::Array(a) => Shape::Array(&a.items),
        SchemaKind::Object(o) => Shape::Object(Some(o)),
        // An `allOf` takes the shape of its parts (a `$ref` to a string with a description
        // beside it is the common case).
        SchemaKind::AllOf(parts) => {
            let shapes: Vec<Shape<'s>> = parts
                .iter()
                .map(|p| shape(contract, contract.resolve(p)))
                .collect();
            if let Some(i) = shapes.iter().position(|s| matches!(s, Shape::Object(_))) {
                match &contract.resolve(&parts[i]).kind {
                    SchemaKind::Object(o) => Shape::Object(Some(o)),
                    _ => Shape::Object(None),
                }
            } else if let Some(Shape::Array(items)) =
                shapes.iter().find(|s| matches!(s, Shape::Array(_)))
            {
                Shape::Array(items)
            } else if shapes.iter().any(|s| matches!(s, Shape::Scalar)) {
                Shape::Scalar
            } else {
                Shape::Open
            }
        }
        _ => Shape::Open,
    }
}

/// The single text of a non-array, non-object parameter, its style prefix removed.
fn scalar_text(p: &Parameter, src: &Sources<'_>) -> Result<Option<String>, String> {
    let Some(text) = raw_text(p, src) else {
        return Ok(None);
    };
    unprefix(p, &text).map(|t| Some(t.to_owned()))
}

/// The parameter's text as it arrived (several header lines joined as one list).
fn raw_text(p: &Parameter, src: &Sources<'_>) -> Option<String> {
    match p.location {
        ParameterLocation::Path => src
            .path_params
            .iter()
            .find(|(n, _)| *n == p.name)
            .map(|(_, v)| v.clone()),
        ParameterLocation::Query => query_values(src.query, &p.name).next().map(str::to_owned),
        ParameterLocation::Header => {
            let lines: Vec<&str> = src
                .headers
                .get_all(p.name.as_str())
                .iter()
                .filter_map(|v| v.to_str().ok())
                .collect();
            (!lines.is_empty()).then(|| lines.join(", "))
        }
        ParameterLocation::Cookie => cookie(src.headers, &p.name),
    }
}

/// Removes the `label` (`.`) or `matrix` (`;name=`) prefix of a path value.
fn unprefix<'t>(p: &Parameter, text: &'t str) -> Result<&'t str, String> {
    match p.style {
        ParameterStyle::Label => text
            .strip_prefix('.')
            .ok_or_else(|| "a label-style value starts with `.`".to_owned()),
        ParameterStyle::Matrix => text
            .strip_prefix(';')
            .and_then(|t| t.strip_prefix(p.name.as_str()))
            .map(|t| t.strip_prefix('=').unwrap_or(t))
            .ok_or_else(|| format!("a matrix-style value starts with `;{}=`", p.name)),
        _ => Ok(text),
    }
}

/// The item texts of an array parameter.
fn array_texts(p: &Parameter, src: &Sources<'_>) -> Result<Option<Vec<String>>, String> {
    if p.location == ParameterLocation::Query {
        let values: Vec<&str> = query_values(src.query, &p.name).collect();
        if values.is_empty() {
            return Ok(None);
        }
        let delimiter = match p.style {
            ParameterStyle::SpaceDelimited => Some(' '),
            ParameterStyle::PipeDelimited => Some('|'),
            _ if p.explode => None,
            _ => Some(','),
        };
        let mut items = Vec::new();
        for v in values {
            match delimiter {
                Some(d) if !v.is_empty() => items.extend(v.split(d).map(str::to_owned)),
                Some(_) => {}
                None => items.push(v.to_owned()),
            }
        }
        return Ok(Some(items));
    }
    let Some(text) = raw_text(p, src) else {
        return Ok(None);
    };
    if text.is_empty() {
        return Ok(Some(Vec::new()));
    }
    let items: Vec<String> = match p.style {
        ParameterStyle::Label => {
            let rest = unprefix(p, &text)?;
            let d = if p.explode { '.' } else { ',' };
            split_nonempty(rest, d)
        }
        ParameterStyle::Matrix if p.explode => {
            let prefix = format!(";{}=", p.name);
            if !text.starts_with(&prefix) {
                return Err(format!("a matrix-style value starts with `{prefix}`"));
            }
            text[1..]
                .split(';')
                .map(|part| part.strip_prefix(&prefix[1..]).unwrap_or(part).to_owned())
                .collect()
        }
        ParameterStyle::Matrix => split_nonempty(unprefix(p, &text)?, ','),
        // simple (path, header) and form (cookie): comma-separated, spaces around items
        // are list syntax in headers.
        _ => text.split(',').map(|t| t.trim().to_owned()).collect(),
    };
    Ok(Some(items))
}

fn split_nonempty(text: &str, d: char) -> Vec<String> {
    if text.is_empty() {
        Vec::new()
    } else {
        text.split(d).map(str::to_owned).collect()
    }
}

/// An array's readings: its items decoded by the item schema. An empty text is an empty
/// array, or one empty string where the items may be strings.
fn array_readings(
    contract: &Contract,
    items: &Schema,
    texts: &[String],
) -> Result<Vec<Value>, String> {
    let item = contract.resolve(items);
    let decode = |t: &str| -> Result<Vec<Value>, String> {
        match shape(contract, item) {
            Shape::Scalar => scalar(item, t).map(|v| vec![v]),
            _ => Ok(vec![open_reading(t), Value::String(t.to_owned())]),
        }
    };
    let mut first = Vec::with_capacity(texts.len());
    let mut strings = Vec::with_capacity(texts.len());
    for (i, t) in texts.iter().enumerate() {
        // The index, not the text: parameter values may be secrets.
        let readings = decode(t).map_err(|e| format!("item {i}: {e}"))?;
        first.push(readings[0].clone());
        strings.push(readings.last().cloned().unwrap_or(Value::Null));
    }
    let mut out = vec![Value::Array(first)];
    if out[0] != Value::Array(strings.clone()) {
        out.push(Value::Array(strings));
    }
    if texts.len() == 1 && texts[0].is_empty() {
        out.push(Value::Array(Vec::new()));
    }
    Ok(out)
}

/// The readings of an object parameter, by style: exploded `form` spreads properties
/// over the query (`a=1&b=2`), `deepObject` writes `name[a]=1`, the others list keys and
/// values (`a,1,b,2`, or `a=1,b=2` exploded).
fn object_readings(
    contract: &Contract,
    p: &Parameter,
    object: Option<&ObjectSchema>,
    src: &Sources<'_>,
) -> Result<Option<Vec<Value>>, String> {
    let mut pairs: Vec<(String, Vec<String>)> = Vec::new();
    let mut push = |k: &str, v: &str| match pairs.iter_mut().find(|(n, _)| n == k) {
        Some((_, values)) => values.push(v.to_owned()),
        None => pairs.push((k.to_owned(), vec![v.to_owned()])),
    };
    match (p.location, p.style) {
        (ParameterLocation::Query, ParameterStyle::DeepObject) => {
            let open = format!("{}[", p.name);
            for (k, v) in src.query {
                if let Some(rest) = k.strip_prefix(open.as_str())
                    && let Some((prop, _)) = rest.split_once(']')
                {
                    push(prop, v);
                }
            }
            if pairs.is_empty() {
                return Ok(None);
            }
        }
        (ParameterLocation::Query, ParameterStyle::Form) if p.explode => {
            let declared = |k: &str| object.is_some_and(|o| o.property(k).is_some());
            let free = object.is_none_or(|o| {
                !matches!(
                    o.additional,
                    kontrat_generator::model::AdditionalProperties::Forbidden
                )
            });
            for (k, v) in src.query {
                if declared(k) || (free && !src.claimed.iter().any(|c| c == k)) {
                    push(k, v);
                }
            }
            // An empty object writes nothing: absent and `{}` read the same.
            if pairs.is_empty() && !p.required {
                return Ok(None);
            }
        }
        _ => {
            let Some(text) = raw_text(p, src) else {
                return Ok(None);
            };
            let text = unprefix(p, &text)?.to_owned();
            let exploded = p.explode && p.location != ParameterLocation::Query;
            let separator = if p.style == ParameterStyle::Label && p.explode {
                '.'
            } else if p.style == ParameterStyle::Matrix && p.explode {
                ';'
            } else {
                ','
            };
            if exploded {
                for part in text.split(separator).filter(|t| !t.is_empty()) {
                    let (k, v) = part.split_once('=').unwrap_or((part, ""));
                    push(k, v);
                }
            } else {
                let parts: Vec<&str> = text.split(',').collect();
                if !text.is_empty() && !parts.len().is_multiple_of(2) {
                    return Err(
                        "an object value lists keys and values in pairs (`key,value,…`)".into(),
                    );
                }
                if !text.is_empty() {
                    for kv in parts.chunks(2) {
                        push(kv[0], kv[1]);
                    }
                }
            }
        }
    }
    let mut map = Map::new();
    for (k, values) in pairs {
        let property = object
            .and_then(|o| o.property(&k))
            .map(|prop| contract.resolve(&prop.schema))
            .or_else(|| match object.map(|o| &o.additional) {
                Some(kontrat_generator::model::AdditionalProperties::Schema(s)) => {
                    Some(contract.resolve(s))
                }
                _ => None,
            });
        let value = match property {
            Some(s) => match shape(contract, s) {
                Shape::Scalar => {
                    scalar(s, &values[0]).map_err(|e| format!("property `{}`: {e}", shown(&k)))?
                }
                Shape::Array(items) => {
                    let texts: Vec<String> = if values.len() > 1 {
                        values
                    } else {
                        values[0].split(',').map(str::to_owned).collect()
                    };
                    array_readings(contract, items, &texts)
                        .map_err(|e| format!("property `{}`: {e}", shown(&k)))?
                        .swap_remove(0)
                }
                _ => open_reading(&values[0]),
            },
            None => Value::String(values[0].clone()),
        };
        map.insert(k, value);
    }
    Ok(Some(vec![Value::Object(map)]))
}

/// Text as the JSON value it spells (a number, `true`, …), else as a string.
fn open_reading(text: &str) -> Value {
    serde_json::from_str::<Value>(text).unwrap_or_else(|_| Value::String(text.to_owned()))
}

/// Decodes one scalar by its schema's type.
pub(crate) fn scalar(schema: &Schema, text: &str) -> Result<Value, String> {
    match &schema.kind {
        SchemaKind::Integer(i) => integer(text, i),
        SchemaKind::Number(_) => text
            .parse::<f64>()
            .ok()
            .filter(|f| f.is_finite() && !text.eq_ignore_ascii_case("infinity"))
            .and_then(Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| "value is not a number".to_owned()),
        SchemaKind::Boolean => match text {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err("value is not `true` or `false`".to_owned()),
        },
        SchemaKind::Null if text.is_empty() || text == "null" => Ok(Value::Null),
        SchemaKind::Null => Err("value is not empty or `null`".to_owned()),
        _ => Ok(Value::String(text.to_owned())),
    }
}

/// An integer of any size (JSON Schema integers are unbounded); `int32`/`int64` bounds
/// are the validator's, except that a value past 64 bits is refused here.
fn integer(text: &str, schema: &IntegerSchema) -> Result<Value, String> {
    let negative = text.starts_with('-');
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err("value is not an integer".to_owned());
    }
    if let Ok(n) = text.parse::<i64>() {
        return Ok(Value::from(n));
    }
    if let Ok(n) = text.trim_start_matches('+').parse::<u64>() {
        return Ok(Value::from(n));
    }
    big_integer(negative, digits, schema)
}

/// An integer past 64 bits, judged exactly here (an `f64` would round it, and a rounded
/// value fails `multipleOf` it meets): it is beyond every bound the schema can state, so
/// only the direction matters; what the validator then sees is a 64-bit stand-in that
/// meets the same remaining constraints.
fn big_integer(negative: bool, digits: &str, schema: &IntegerSchema) -> Result<Value, String> {
    if let Some(format @ ("int32" | "int64")) = schema.format.as_deref() {
        return Err(format!("value is outside the {format} range"));
    }
    if !schema.enumeration.is_empty() {
        return Err("value is not one of the allowed values".to_owned());
    }
    if negative && schema.minimum.is_some() {
        return Err("value is less than the minimum".to_owned());
    }
    if !negative && schema.maximum.is_some() {
        return Err("value is greater than the maximum".to_owned());
    }
    let step = schema
        .multiple_of
        .filter(|m| *m != 0)
        .map_or(1, i64::unsigned_abs);
    let remainder = digits.bytes().fold(0u128, |r, b| {
        (r * 10 + u128::from(b - b'0')) % u128::from(step)
    });
    if remainder != 0 {
        return Err(format!("value is not a multiple of {step}"));
    }
    // The 64-bit multiple of `step` furthest in the same direction.
    Ok(if negative {
        let stand_in = i64::MIN.unsigned_abs() / step * step;
        Value::from(0i64.saturating_sub_unsigned(stand_in))
    } else {
        Value::from(u64::MAX / step * step)
    })
}

pub(crate) fn query_values<'q>(
    query: &'q Query<'q>,
    name: &'q str,
) -> impl Iterator<Item = &'q str> {
    query
        .iter()
        .filter(move |(k, _)| k == name)
        .map(|(_, v)| v.as_ref())
}

pub(crate) fn cookie(headers: &http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// A bounded, printable excerpt of client text for a message.
fn shown(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).take(40).collect()
}
