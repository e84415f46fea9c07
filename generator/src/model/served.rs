//! The bodies a mock serves for a documented response: the spec's examples when they
//! validate against their schema, else a value that does.
//!
//! Why here and not in the mock: `kontrat mock` and the MSW handlers of the TypeScript
//! back-end must answer alike (the same example, the same replacement when an example
//! contradicts its schema), so the choice is made once, below both. Validation is the
//! caller's closure: the mock passes its cached validator, the generator a fresh one from
//! [`json_schema::validator`](super::json_schema::validator).

use rand::SeedableRng;
use serde_json::Value;

use super::example;
use super::json_schema::Direction;
use super::sample::sample;
use super::{Contract, Example, MediaType, Schema, SchemaKind};

/// The timestamp given to envelopes made live ahead of time: the shape of a live one, so
/// validation sees what a real answer carries (servers put the real time in).
pub const SAMPLE_TIME: &str = "2026-01-15T10:30:00.000Z";

/// Seeded draws tried when the synthesised value does not validate.
const DRAWS: u64 = 64;
/// Seeded draws per `oneOf` branch after that.
const BRANCH_DRAWS: u64 = 16;

/// One body a response can serve.
#[derive(Debug, Clone, PartialEq)]
pub struct ServedBody {
    /// The example's name (`""` for the single `example`, `generated` when synthesised).
    pub name: String,
    /// The value, made live (envelope status, success flag and [`SAMPLE_TIME`]) unless
    /// examples are served verbatim.
    pub value: Value,
    /// False when neither the example nor any synthesised value validates.
    pub valid: bool,
    /// The pointer of the spec's example this body replaces because it does not validate.
    pub replaces: Option<String>,
}

/// How examples are served.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Examples {
    /// Made live, and replaced by a valid value when they do not validate.
    Live,
    /// As written in the spec, valid or not.
    Verbatim,
}

/// The bodies `media` serves for `status`: each of its examples in order (or one
/// synthesised body when it has none). `is_valid` judges a value against the media
/// type's schema.
pub fn bodies(
    contract: &Contract,
    media: &MediaType,
    status: u16,
    examples: Examples,
    is_valid: &dyn Fn(&Value) -> bool,
) -> Vec<ServedBody> {
    let mut out: Vec<ServedBody> = media
        .examples
        .iter()
        .map(|(name, ex)| from_example(contract, media, name, ex, status, examples, is_valid))
        .collect();
    if out.is_empty() {
        out.extend(generated(contract, media, status, is_valid));
    }
    out
}

/// The first of [`bodies`]: what a mock answers when no example is asked for by name.
pub fn default_body(
    contract: &Contract,
    media: &MediaType,
    status: u16,
    examples: Examples,
    is_valid: &dyn Fn(&Value) -> bool,
) -> Option<ServedBody> {
    match media.examples.iter().next() {
        Some((name, ex)) => Some(from_example(
            contract, media, name, ex, status, examples, is_valid,
        )),
        None => generated(contract, media, status, is_valid),
    }
}

fn from_example(
    contract: &Contract,
    media: &MediaType,
    name: &str,
    ex: &Example,
    status: u16,
    examples: Examples,
    is_valid: &dyn Fn(&Value) -> bool,
) -> ServedBody {
    let schema = media.schema.as_ref();
    let mut value = ex.value.clone();
    if examples == Examples::Live {
        make_live(contract, &mut value, schema, status, SAMPLE_TIME);
    }
    let mut body = ServedBody {
        name: name.to_owned(),
        valid: is_valid(&value),
        value,
        replaces: None,
    };
    if !body.valid
        && examples == Examples::Live
        && let Some(v) = valid_value(contract, schema, status, is_valid).filter(|v| is_valid(v))
    {
        // The contract is the law: an example that contradicts its own schema is
        // replaced by a value that does not, and the caller says so.
        body.value = v;
        body.valid = true;
        body.replaces = Some(ex.pointer.clone());
    }
    body
}

fn generated(
    contract: &Contract,
    media: &MediaType,
    status: u16,
    is_valid: &dyn Fn(&Value) -> bool,
) -> Option<ServedBody> {
    let v = valid_value(contract, media.schema.as_ref(), status, is_valid)?;
    Some(ServedBody {
        name: "generated".into(),
        valid: is_valid(&v),
        value: v,
        replaces: None,
    })
}

/// A live value of `schema` for `status` that validates: the synthesised one, else the
/// first of a few seeded draws (from the whole schema, then from each `oneOf` branch on
/// its own, as a value only that branch accepts may be needed). The synthesised value
/// when none validates; `None` without a schema.
fn valid_value(
    contract: &Contract,
    schema: Option<&Schema>,
    status: u16,
    is_valid: &dyn Fn(&Value) -> bool,
) -> Option<Value> {
    let schema = schema?;
    let mut synthesised = example::response_body(contract, schema, status);
    make_live(
        contract,
        &mut synthesised,
        Some(schema),
        status,
        SAMPLE_TIME,
    );
    if is_valid(&synthesised) {
        return Some(synthesised);
    }
    let draw = |seed: u64, from: &Schema| {
        let rng = &mut rand::rngs::ChaCha8Rng::seed_from_u64(seed);
        let mut v = sample(contract, from, Direction::Response, rng);
        make_live(contract, &mut v, Some(schema), status, SAMPLE_TIME);
        is_valid(&v).then_some(v)
    };
    let branches: &[Schema] = match &contract.resolve(schema).kind {
        SchemaKind::OneOf { variants, .. } => variants,
        _ => &[],
    };
    (0..DRAWS)
        .find_map(|seed| draw(seed, schema))
        .or_else(|| {
            branches
                .iter()
                .find_map(|b| (0..BRANCH_DRAWS).find_map(|seed| draw(seed, b)))
        })
        .or(Some(synthesised))
}

/// Makes an envelope body agree with the answer it rides in: success flag and status code
/// from `status`, the timestamp `now`, no errors on a success and no data on an error.
/// Other bodies are left as they are.
pub fn make_live(
    contract: &Contract,
    value: &mut Value,
    schema: Option<&Schema>,
    status: u16,
    now: &str,
) {
    let (Some(env), Some(schema)) = (&contract.envelope, schema) else {
        return;
    };
    if contract.envelope_data(schema).is_none() {
        return;
    }
    example::patch_envelope(contract, value, status);
    let Value::Object(map) = value else {
        return;
    };
    if let Some(key) = &env.roles.timestamp {
        map.insert(key.clone(), Value::String(now.to_owned()));
    }
    // Drawn values may fill any slot; an envelope's meaning does not allow errors on a
    // success, nor data on an error (validation afterwards still has the last word).
    if (200..300).contains(&status) {
        if let Some(key) = &env.roles.errors
            && map.get(key).is_some_and(Value::is_array)
        {
            map.insert(key.clone(), Value::Array(Vec::new()));
        }
    } else if map.contains_key(&env.data_property) {
        map.insert(env.data_property.clone(), Value::Null);
    }
}
