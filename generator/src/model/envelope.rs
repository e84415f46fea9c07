//! Recognising a shared response envelope such as `{isSuccess, statusCode, data, errors, timestamp}`.
//!
//! Why this is in the model: the Rust back-end turns it into one generic `Envelope<T>`
//! instead of a struct per response, and the mock server and verifier need to know which
//! field carries the status and the messages to answer and check error envelopes. A spec
//! has a shared envelope when a component object schema `E` is specialised with
//! `allOf: [{$ref: E}, {properties: {<slot>: …}}]`, always on the same property (the data
//! slot), and responses use it at least twice.

use std::collections::BTreeMap;

use super::{AdditionalProperties, Contract, ObjectSchema, Schema, SchemaKind};

/// The shared response envelope of a contract.
#[derive(Debug, Clone, PartialEq)]
pub struct Envelope {
    /// The component schema of the generic envelope.
    pub schema: String,
    /// The property that carries the payload (the one specialisations override).
    pub data_property: String,
    /// Which properties play which role, when recognisable.
    pub roles: EnvelopeRoles,
    /// Component schemas that are specialisations, with their data schema.
    pub specialisations: BTreeMap<String, Schema>,
}

/// Properties of an envelope with a known meaning (wire names).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EnvelopeRoles {
    /// The boolean that is true exactly on 2xx.
    pub success: Option<String>,
    /// The integer that repeats the HTTP status.
    pub status: Option<String>,
    /// The array of error messages.
    pub errors: Option<String>,
    /// The date-time of the response.
    pub timestamp: Option<String>,
}

impl Envelope {
    /// The envelope's own object schema.
    pub fn object<'a>(&self, contract: &'a Contract) -> Option<&'a ObjectSchema> {
        match &contract.schemas.get(&self.schema)?.kind {
            SchemaKind::Object(o) => Some(o),
            _ => None,
        }
    }
}

impl Contract {
    /// If `schema` is the shared envelope (directly, through a named specialisation, or an
    /// inline `allOf` specialisation), the schema of its data slot.
    pub fn envelope_data(&self, schema: &Schema) -> Option<Schema> {
        let env = self.envelope.as_ref()?;
        if let Some(name) = schema.ref_name() {
            if name == env.schema {
                return env
                    .object(self)?
                    .property(&env.data_property)
                    .map(|p| p.schema.clone());
            }
            return env.specialisations.get(name).cloned();
        }
        match specialisation(self, schema) {
            Some((base, slot, data)) if base == env.schema && slot == env.data_property => {
                Some(data)
            }
            _ => None,
        }
    }
}

/// `allOf: [{$ref: base}, {properties: {slot: data}}]` → `(base, slot, data)`.
fn specialisation(contract: &Contract, schema: &Schema) -> Option<(String, String, Schema)> {
    let SchemaKind::AllOf(parts) = &schema.kind else {
        return None;
    };
    let mut base = None;
    let mut overrides: Vec<&super::Property> = Vec::new();
    for part in parts {
        match &part.kind {
            SchemaKind::Ref(name) if base.is_none() => base = Some(name.clone()),
            SchemaKind::Object(o) if matches!(o.additional, AdditionalProperties::Unspecified) => {
                overrides.extend(o.properties.iter())
            }
            _ => return None,
        }
    }
    let base = base?;
    let SchemaKind::Object(base_obj) = &contract.schemas.get(&base)?.kind else {
        return None;
    };
    let [slot] = overrides.as_slice() else {
        return None;
    };
    let base_slot = base_obj.property(&slot.name)?;
    // A slot carries a payload. Narrowing a scalar property to some of its values
    // (`status: {enum: [success], default: success}`) specialises the base like a
    // discriminator does; that is an ordinary `allOf`, not a shared envelope. (An error
    // envelope's `data: {nullable: true, enum: [null]}` is a slot: `Null`, not listed here.)
    if is_scalar(contract.resolve(&base_slot.schema))
        || is_enumerated(contract.resolve(&slot.schema))
    {
        return None;
    }
    Some((base, slot.name.clone(), slot.schema.clone()))
}

/// A boolean, number, integer or string (no payload fits in it).
fn is_scalar(schema: &Schema) -> bool {
    matches!(
        schema.kind,
        SchemaKind::Boolean
            | SchemaKind::Integer(_)
            | SchemaKind::Number(_)
            | SchemaKind::String(_)
    )
}

/// A scalar restricted to listed values (`enum`, or 3.1's `const`).
fn is_enumerated(schema: &Schema) -> bool {
    match &schema.kind {
        SchemaKind::String(s) => !s.enumeration.is_empty(),
        SchemaKind::Integer(i) => !i.enumeration.is_empty(),
        SchemaKind::Number(n) => !n.enumeration.is_empty(),
        _ => false,
    }
}

pub(super) fn detect(contract: &Contract) -> Option<Envelope> {
    // Named specialisations, grouped by (base, slot).
    let mut candidates: BTreeMap<(String, String), BTreeMap<String, Schema>> = BTreeMap::new();
    for (name, schema) in &contract.schemas {
        if let Some((base, slot, data)) = specialisation(contract, schema) {
            candidates
                .entry((base, slot))
                .or_default()
                .insert(name.clone(), data);
        }
    }
    // Inline specialisations in responses count too.
    let mut uses: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut inline_only: BTreeMap<(String, String), ()> = BTreeMap::new();
    for op in &contract.operations {
        for r in &op.responses {
            for media in r.content.values() {
                let Some(schema) = &media.schema else {
                    continue;
                };
                if let Some(name) = schema.ref_name() {
                    for ((base, slot), specs) in &candidates {
                        if name == base || specs.contains_key(name) {
                            *uses.entry((base.clone(), slot.clone())).or_default() += 1;
                        }
                    }
                } else if let Some((base, slot, _)) = specialisation(contract, schema) {
                    *uses.entry((base.clone(), slot.clone())).or_default() += 1;
                    inline_only.insert((base, slot), ());
                }
            }
        }
    }
    // The same base specialised on two different slots is not an envelope.
    let mut per_base: BTreeMap<&str, usize> = BTreeMap::new();
    for (base, _) in candidates.keys().chain(inline_only.keys()) {
        *per_base.entry(base.as_str()).or_default() += 1;
    }
    let ((base, slot), _) = uses
        .iter()
        .filter(|((base, _), n)| **n >= 2 && per_base.get(base.as_str()) == Some(&1))
        .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))?;
    let specialisations = candidates
        .get(&(base.clone(), slot.clone()))
        .cloned()
        .unwrap_or_default();
    let SchemaKind::Object(obj) = &contract.schemas.get(base)?.kind else {
        return None;
    };
    Some(Envelope {
        schema: base.clone(),
        data_property: slot.clone(),
        roles: roles(contract, obj, slot),
        specialisations,
    })
}

fn roles(contract: &Contract, obj: &ObjectSchema, slot: &str) -> EnvelopeRoles {
    let pick = |pred: &dyn Fn(&Schema) -> bool, hint: &[&str]| -> Option<String> {
        let found: Vec<&str> = obj
            .properties
            .iter()
            .filter(|p| p.name != slot && pred(contract.resolve(&p.schema)))
            .map(|p| p.name.as_str())
            .collect();
        match found.as_slice() {
            [one] => Some((*one).to_owned()),
            many => many
                .iter()
                .find(|n| hint.iter().any(|h| n.to_ascii_lowercase().contains(h)))
                .map(|n| (*n).to_owned()),
        }
    };
    EnvelopeRoles {
        success: pick(
            &|s| matches!(s.kind, SchemaKind::Boolean),
            &["success", "ok"],
        ),
        status: pick(
            &|s| matches!(s.kind, SchemaKind::Integer(_)),
            &["status", "code"],
        ),
        errors: pick(
            &|s| match &s.kind {
                SchemaKind::Array(a) => {
                    matches!(contract.resolve(&a.items).kind, SchemaKind::String(_))
                }
                _ => false,
            },
            &["error", "message"],
        ),
        timestamp: pick(
            &|s| matches!(&s.kind, SchemaKind::String(st) if st.format.as_deref() == Some("date-time")),
            &["time", "date"],
        ),
    }
}
