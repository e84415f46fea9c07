//! The type space: model schemas → Rust types and type definitions.
//!
//! Decisions live here, not in templates: which schema becomes a struct, an enum, an
//! alias or a fallback; what each field is called and how serde maps it. Every name goes
//! through one [`Namespace`], and definitions are kept in a `BTreeMap` keyed by Rust name
//! so the output order never depends on hashing.

use std::collections::BTreeMap;
use std::fmt;

use crate::diagnostics::Diagnostic;
use crate::model::{AdditionalProperties, Contract, ObjectSchema, Schema, SchemaKind, is_scalar};
use crate::naming::InlineNames;

use serde_json::Value;

use super::doc::{doc_lines, lit, push_paragraph};
use super::names::{Namespace, pascal, snake};

/// A Rust type expression.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Ty {
    /// A type defined in the generated `types` module.
    Named(String),
    /// The shared envelope, specialised with its data type.
    Envelope(String, Box<Ty>),
    /// `()`: only `null`.
    Unit,
    /// `bool`.
    Bool,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `f32`.
    F32,
    /// `f64`.
    F64,
    /// `String`.
    String,
    /// `chrono::DateTime<chrono::Utc>`.
    DateTime,
    /// `chrono::NaiveDate`.
    Date,
    /// `bytes::Bytes`: a non-JSON body.
    Bytes,
    /// `serde_json::Value`: the documented fallback for what cannot be typed.
    Json,
    /// `Vec<T>`.
    Vec(Box<Ty>),
    /// `std::collections::BTreeMap<String, T>`.
    Map(Box<Ty>),
    /// `Option<T>`.
    Option(Box<Ty>),
    /// `Box<T>`: breaks recursive types.
    Boxed(Box<Ty>),
}

impl Ty {
    fn option(self) -> Ty {
        match self {
            Ty::Option(_) | Ty::Unit | Ty::Bytes => self,
            other => Ty::Option(Box::new(other)),
        }
    }

    /// True for `DateTime` (directly or in an `Option`): those fields get the millisecond
    /// RFC 3339 serde adapter.
    pub fn date_time_mode(&self) -> Option<&'static str> {
        match self {
            Ty::DateTime => Some("crate::types::rfc3339_millis"),
            Ty::Option(inner) if **inner == Ty::DateTime => {
                Some("crate::types::rfc3339_millis::option")
            }
            _ => None,
        }
    }

    /// Whether values of this type implement the generated `Validate` trait deeply.
    pub fn named(&self) -> Option<&str> {
        match self {
            Ty::Named(n) => Some(n),
            Ty::Option(i) | Ty::Boxed(i) | Ty::Vec(i) | Ty::Map(i) => i.named(),
            _ => None,
        }
    }
}

impl fmt::Display for Ty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ty::Named(n) => write!(f, "{n}"),
            Ty::Envelope(n, t) => write!(f, "{n}<{t}>"),
            Ty::Unit => f.write_str("()"),
            Ty::Bool => f.write_str("bool"),
            Ty::I32 => f.write_str("i32"),
            Ty::I64 => f.write_str("i64"),
            Ty::F32 => f.write_str("f32"),
            Ty::F64 => f.write_str("f64"),
            Ty::String => f.write_str("String"),
            Ty::DateTime => f.write_str("chrono::DateTime<chrono::Utc>"),
            Ty::Date => f.write_str("chrono::NaiveDate"),
            Ty::Json => f.write_str("serde_json::Value"),
            Ty::Bytes => f.write_str("bytes::Bytes"),
            Ty::Vec(t) => write!(f, "Vec<{t}>"),
            Ty::Map(t) => write!(f, "std::collections::BTreeMap<String, {t}>"),
            Ty::Option(t) => write!(f, "Option<{t}>"),
            Ty::Boxed(t) => write!(f, "Box<{t}>"),
        }
    }
}

/// One generated type definition.
#[derive(Debug, Clone)]
pub struct TypeDef {
    /// The Rust name.
    pub name: String,
    /// Doc comment lines.
    pub doc: Vec<String>,
    /// What it is.
    pub kind: TypeDefKind,
}

/// The shapes a [`TypeDef`] can take.
#[derive(Debug, Clone)]
pub enum TypeDefKind {
    /// A struct with named fields.
    Struct {
        /// Fields in spec order.
        fields: Vec<Field>,
        /// `additionalProperties: false`.
        deny_unknown: bool,
        /// `additionalProperties: <schema>` next to properties: a flattened map.
        extra: Option<Ty>,
    },
    /// The shared envelope, generic over its data slot.
    Envelope {
        /// Fields; the data slot's `ty` is the type parameter `T`.
        fields: Vec<Field>,
        /// Rust name of the data slot field.
        slot: String,
        /// Default for the type parameter.
        default: Ty,
    },
    /// A string enum that tolerates unknown values on decoding.
    StringEnum {
        /// Variants in spec order.
        variants: Vec<Variant>,
    },
    /// An integer enum that tolerates unknown values on decoding.
    IntegerEnum {
        /// Variants in spec order.
        variants: Vec<IntVariant>,
    },
    /// `oneOf`/`anyOf`: an untagged enum, tried in order.
    Union {
        /// Variants in spec order.
        variants: Vec<UnionVariant>,
        /// With a `discriminator`: the tag property; each variant lists its tag values.
        /// Decoding then picks the variant by tag (an unknown tag is kept, not an
        /// error) instead of trying each shape in turn.
        tag: Option<String>,
    },
    /// `type X = …;`.
    Alias(Ty),
    /// The parts of a `multipart/form-data` request body, sent by the client (no serde).
    Multipart {
        /// Parts in spec order.
        fields: Vec<MultipartField>,
    },
}

/// One part (or repeated part) of a multipart body.
#[derive(Debug, Clone)]
pub struct MultipartField {
    /// The Rust name.
    pub rust: String,
    /// The part name on the wire.
    pub wire: String,
    /// The Rust type (`FilePart`, `Vec<FilePart>` or a JSON type; `Option` when optional).
    pub ty: Ty,
    /// How it is sent.
    pub kind: PartKind,
    /// Doc comment lines.
    pub doc: Vec<String>,
}

/// How a multipart field is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartKind {
    /// A file part (`format: binary`).
    File,
    /// One file part per item.
    Files,
    /// A text part.
    Text,
    /// One text part per item.
    Texts,
    /// A JSON part (`application/json`): objects and anything else.
    Json,
}

/// A struct field.
#[derive(Debug, Clone)]
pub struct Field {
    /// The Rust name.
    pub rust: String,
    /// The wire name.
    pub wire: String,
    /// The Rust type (already `Option` where the wire value may be missing or null).
    pub ty: Ty,
    /// Doc comment lines.
    pub doc: Vec<String>,
    /// May be absent on the wire: `#[serde(default, skip_serializing_if = "Option::is_none")]`.
    pub optional: bool,
    /// Checks from the schema's constraints.
    pub checks: Vec<Check>,
    /// The schema's `default`, when the field takes it on decoding (then `ty` is not an
    /// `Option`).
    pub default: Option<FieldDefault>,
}

/// A `default` a field decodes to when the property is absent.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldDefault {
    /// A Rust expression of the field's type.
    pub expr: String,
    /// True when it equals the type's `Default` (`false`, `0`, `""`, `[]`): plain
    /// `#[serde(default)]` then, no function.
    pub trivial: bool,
}

/// One constraint check of a field, rendered into `Validate` impls.
#[derive(Debug, Clone, PartialEq)]
pub enum Check {
    /// `minLength`.
    MinLength(usize),
    /// `maxLength`.
    MaxLength(usize),
    /// `minimum` (the flag: exclusive).
    Minimum(String, bool),
    /// `maximum` (the flag: exclusive).
    Maximum(String, bool),
    /// `minItems`.
    MinItems(usize),
    /// `maxItems`.
    MaxItems(usize),
    /// The value is a generated type with its own `Validate`.
    Nested,
}

/// A variant of a string enum.
#[derive(Debug, Clone)]
pub struct Variant {
    /// The Rust name.
    pub rust: String,
    /// The wire value.
    pub wire: String,
}

/// A variant of an integer enum.
#[derive(Debug, Clone)]
pub struct IntVariant {
    /// The Rust name (`V1`, `Minus1`, or from `x-enum-varnames`).
    pub rust: String,
    /// The wire value.
    pub value: i64,
}

/// A variant of a union.
#[derive(Debug, Clone)]
pub struct UnionVariant {
    /// The Rust name.
    pub rust: String,
    /// The payload type.
    pub ty: Ty,
    /// Discriminator values selecting this variant (tagged unions only).
    pub tags: Vec<String>,
}

/// All types of one contract.
pub struct TypeSpace<'a> {
    contract: &'a Contract,
    /// Fallbacks taken, to report as warnings.
    pub warnings: Vec<Diagnostic>,
    /// Every type-level name handed out so far.
    pub names: Namespace,
    /// Component schema wire name → Rust name.
    components: BTreeMap<String, String>,
    /// Definitions by Rust name.
    pub defs: BTreeMap<String, TypeDef>,
    /// Rust name of the generic envelope, if the contract has one.
    pub envelope: Option<String>,
    /// The names of the contract's inline schemas, decided over the whole contract.
    inline_names: InlineNames,
    /// Rust name of each inline group, once claimed ([`TypeSpace::claim_inline_names`]).
    inline_rust: Vec<String>,
    /// Inline groups already defined.
    inline: BTreeMap<usize, Ty>,
    /// Inline types the naming pass did not meet, by shape (a fallback that only a bug
    /// of the walk reaches): named from their hint.
    inline_shapes: BTreeMap<String, Ty>,
}

impl<'a> TypeSpace<'a> {
    /// Names every component schema (so references resolve before definitions exist),
    /// reserving `reserved` first.
    pub fn new(contract: &'a Contract, reserved: &[&str]) -> Self {
        let mut names = Namespace::with_reserved(reserved);
        let mut components = BTreeMap::new();
        for name in contract.schemas.keys() {
            components.insert(name.clone(), names.claim(&pascal(name)));
        }
        let envelope = contract
            .envelope
            .as_ref()
            .and_then(|e| components.get(&e.schema).cloned());
        Self {
            contract,
            warnings: Vec::new(),
            names,
            components,
            defs: BTreeMap::new(),
            envelope,
            inline_names: InlineNames::new(contract),
            inline_rust: Vec::new(),
            inline: BTreeMap::new(),
            inline_shapes: BTreeMap::new(),
        }
    }

    /// Claims the Rust names of the inline types, in the naming pass's order. Called after
    /// the operations' own names are claimed, so those keep their names.
    pub fn claim_inline_names(&mut self) {
        let names: Vec<String> = self
            .inline_names
            .order()
            .map(|n| self.names.claim(&pascal(n)))
            .collect();
        self.inline_rust = names;
    }

    /// Defines every component schema.
    ///
    /// Only components reachable from an operation are emitted: a spec's unused schemas
    /// (GitHub's carries hundreds of webhook payloads) would only cost compile time.
    pub fn define_components(&mut self) {
        let contract = self.contract;
        let reachable = contract.reachable_schemas();
        for (wire, schema) in &contract.schemas {
            if !reachable.contains(wire) {
                continue;
            }
            let Some(name) = self.components.get(wire).cloned() else {
                continue;
            };
            self.define_component(wire, &name, schema);
        }
    }

    fn define_component(&mut self, wire: &str, name: &str, schema: &Schema) {
        let contract = self.contract;
        let doc = doc_lines(schema.title.as_deref(), schema.description.as_deref());
        if let Some(env) = &contract.envelope {
            if let (true, SchemaKind::Object(obj)) = (env.schema == wire, &schema.kind) {
                let mut fields = self.fields(name, obj);
                let slot = snake_field(&env.data_property, &fields);
                let mut default = Ty::Json;
                for f in &mut fields {
                    if f.wire == env.data_property {
                        default = f.ty.clone();
                        f.ty = Ty::Named("T".into());
                        f.optional = false;
                        f.checks.clear();
                        // No value of an arbitrary `T` to default to.
                        f.default = None;
                    }
                }
                let def = TypeDef {
                    name: name.to_owned(),
                    doc,
                    kind: TypeDefKind::Envelope {
                        fields,
                        slot,
                        default,
                    },
                };
                self.defs.insert(name.to_owned(), def);
                return;
            }
            if let Some(data) = env.specialisations.get(wire) {
                let data_ty = self.ty(data, &format!("{name}Data"));
                let env_name = self.envelope.clone().unwrap_or_else(|| "Envelope".into());
                let def = TypeDef {
                    name: name.to_owned(),
                    doc,
                    kind: TypeDefKind::Alias(Ty::Envelope(env_name, Box::new(data_ty))),
                };
                self.defs.insert(name.to_owned(), def);
                return;
            }
        }
        let kind = self.define_kind(name, schema);
        let kind = match kind {
            Some(kind) => kind,
            None => {
                let ty = self.ty_inner(schema, name);
                TypeDefKind::Alias(if schema.nullable { ty.option() } else { ty })
            }
        };
        self.defs.insert(
            name.to_owned(),
            TypeDef {
                name: name.to_owned(),
                doc,
                kind,
            },
        );
    }

    /// The definition a schema needs under `name`, or `None` when it is better an alias.
    fn define_kind(&mut self, name: &str, schema: &Schema) -> Option<TypeDefKind> {
        match &schema.kind {
            SchemaKind::Object(obj) if !obj.properties.is_empty() => {
                Some(self.struct_kind(name, obj))
            }
            SchemaKind::String(s) if !s.enumeration.is_empty() => Some(TypeDefKind::StringEnum {
                variants: enum_variants(&s.enumeration),
            }),
            SchemaKind::Integer(i) if !i.enumeration.is_empty() => Some(TypeDefKind::IntegerEnum {
                variants: int_variants(&i.enumeration, &i.varnames),
            }),
            SchemaKind::AllOf(parts) if parts.len() > 1 => {
                if let Some(merged) = self.contract.all_of_properties(parts) {
                    let obj = ObjectSchema {
                        properties: merged,
                        additional: AdditionalProperties::Unspecified,
                        min_properties: None,
                        max_properties: None,
                        required_elsewhere: Vec::new(),
                    };
                    Some(self.struct_kind(name, &obj))
                } else {
                    self.warnings.push(
                        Diagnostic::warning(
                            "untyped-all-of",
                            &schema.pointer,
                            "allOf mixes non-object parts; typed as serde_json::Value",
                        )
                        .with_hint("make every allOf part an object schema"),
                    );
                    None
                }
            }
            SchemaKind::OneOf {
                variants,
                discriminator,
            }
            | SchemaKind::AnyOf {
                variants,
                discriminator,
            } => {
                let non_null: Vec<&Schema> = variants
                    .iter()
                    .filter(|v| !matches!(v.kind, SchemaKind::Null))
                    .collect();
                if non_null.len() < 2 {
                    return None;
                }
                // Tagged only when every variant is a named schema the tag can name.
                let tag = discriminator
                    .as_ref()
                    .filter(|_| non_null.iter().all(|v| v.ref_name().is_some()));
                let mut names = Namespace::with_reserved(&["Unknown"]);
                let out = non_null
                    .iter()
                    .enumerate()
                    .map(|(i, v)| {
                        let hint = match &v.kind {
                            SchemaKind::Ref(n) => pascal(n),
                            _ => format!("Variant{i}"),
                        };
                        let ty = self.ty(v, &format!("{name}{hint}"));
                        let tags = match (tag, v.ref_name()) {
                            (Some(d), Some(target)) => d.tags_for(target),
                            _ => Vec::new(),
                        };
                        UnionVariant {
                            rust: names.claim(&hint),
                            ty,
                            tags,
                        }
                    })
                    .collect();
                Some(TypeDefKind::Union {
                    variants: out,
                    tag: tag.map(|d| d.property.clone()),
                })
            }
            _ => None,
        }
    }

    fn struct_kind(&mut self, name: &str, obj: &ObjectSchema) -> TypeDefKind {
        let fields = self.fields(name, obj);
        let extra = match &obj.additional {
            AdditionalProperties::Schema(s) => Some(self.ty(s, &format!("{name}Extra"))),
            _ => None,
        };
        TypeDefKind::Struct {
            fields,
            deny_unknown: matches!(obj.additional, AdditionalProperties::Forbidden),
            extra,
        }
    }

    fn fields(&mut self, owner: &str, obj: &ObjectSchema) -> Vec<Field> {
        let mut names = Namespace::default();
        let mut fields = Vec::new();
        for p in &obj.properties {
            let rust = names.claim(&snake(&p.name));
            let ty = self.ty(&p.schema, &self.inline_name(owner, &p.name));
            let resolved = self.contract.resolve(&p.schema);
            let mut doc = doc_lines(p.schema.title.as_deref(), p.schema.description.as_deref());
            // readOnly / writeOnly: required in one direction only. The same type serves
            // requests and responses, so such a property is optional in both.
            let read_only = p.schema.read_only || resolved.read_only;
            let write_only = p.schema.write_only || resolved.write_only;
            let one_way = read_only || write_only;
            if read_only {
                push_paragraph(
                    &mut doc,
                    if p.required {
                        "Read-only: required in responses, never sent by clients, so `None` in requests."
                    } else {
                        "Read-only: sent by the server only."
                    },
                );
            } else if write_only {
                push_paragraph(
                    &mut doc,
                    if p.required {
                        "Write-only: required in requests, never sent by servers, so `None` in responses."
                    } else {
                        "Write-only: sent by clients only."
                    },
                );
            }
            let required = p.required && !one_way;
            let nullable = p.schema.nullable || resolved.nullable;
            let spec_default = p.schema.default.as_ref().or(resolved.default.as_ref());
            let default = match spec_default {
                Some(value) if !required && !nullable => {
                    let taken = default_expr(self.contract, &p.schema, &ty, value);
                    let text = serde_json::to_string(value).unwrap_or_default();
                    push_paragraph(
                        &mut doc,
                        &if taken.is_some() {
                            format!("Defaults to `{}` when absent.", text.replace('`', "'"))
                        } else {
                            format!(
                                "The spec's default is `{}` (applied by the other side: absent stays `None` here).",
                                text.replace('`', "'")
                            )
                        },
                    );
                    taken
                }
                _ => None,
            };
            let ty = if default.is_none() && (!required || p.schema.nullable) {
                ty.option()
            } else {
                ty
            };
            // Left out when absent; `()` (only `null`) has no `None` to leave out.
            let optional = !required && matches!(ty, Ty::Option(_));
            let checks = checks(self.contract, &p.schema, &ty);
            fields.push(Field {
                rust,
                wire: p.name.clone(),
                ty,
                doc,
                optional,
                checks,
                default,
            });
        }
        fields
    }

    /// Defines the struct of a `multipart/form-data` body under `hint`: binary strings
    /// become file parts, scalars text parts, everything else JSON parts. `None` when the
    /// schema is not an object with properties.
    pub fn multipart(&mut self, schema: &Schema, hint: &str) -> Option<Ty> {
        let contract = self.contract;
        let resolved = contract.resolve(schema);
        let SchemaKind::Object(obj) = &resolved.kind else {
            return None;
        };
        if obj.properties.is_empty() {
            return None;
        }
        let name = self.names.claim(&pascal(hint));
        let mut names = Namespace::default();
        let mut fields = Vec::new();
        for p in &obj.properties {
            let rust = names.claim(&snake(&p.name));
            let prop = contract.resolve(&p.schema);
            let (kind, ty) = match &prop.kind {
                SchemaKind::String(s) if is_binary(s.format.as_deref()) => {
                    (PartKind::File, Ty::Named("FilePart".into()))
                }
                SchemaKind::Array(a) => match &contract.resolve(&a.items).kind {
                    SchemaKind::String(s) if is_binary(s.format.as_deref()) => (
                        PartKind::Files,
                        Ty::Vec(Box::new(Ty::Named("FilePart".into()))),
                    ),
                    k if is_scalar(k) => (
                        PartKind::Texts,
                        self.ty(&p.schema, &self.inline_name(&name, &p.name)),
                    ),
                    _ => (
                        PartKind::Json,
                        self.ty(&p.schema, &self.inline_name(&name, &p.name)),
                    ),
                },
                k if is_scalar(k) => (
                    PartKind::Text,
                    self.ty(&p.schema, &self.inline_name(&name, &p.name)),
                ),
                _ => (
                    PartKind::Json,
                    self.ty(&p.schema, &self.inline_name(&name, &p.name)),
                ),
            };
            let ty = match ty {
                Ty::Option(inner) => *inner,
                other => other,
            };
            let ty = if p.required { ty } else { ty.option() };
            fields.push(MultipartField {
                rust,
                wire: p.name.clone(),
                ty,
                kind,
                doc: doc_lines(p.schema.title.as_deref(), p.schema.description.as_deref()),
            });
        }
        let mut doc = doc_lines(resolved.title.as_deref(), resolved.description.as_deref());
        push_paragraph(
            &mut doc,
            "The parts of a `multipart/form-data` request body: files as file parts, scalars as text parts, everything else as JSON parts. The client sends it; the server stubs decode it.",
        );
        self.defs.insert(
            name.clone(),
            TypeDef {
                name: name.clone(),
                doc,
                kind: TypeDefKind::Multipart { fields },
            },
        );
        Some(Ty::Named(name))
    }

    /// A name for an inline type found under `owner.prop`: the property's own name when
    /// free (reads best), else prefixed by its owner.
    fn inline_name(&self, owner: &str, prop: &str) -> String {
        let short = pascal(prop);
        if !self.names.is_taken(&short) {
            short
        } else {
            format!("{owner}{short}")
        }
    }

    /// The Rust type of `schema`, defining inline types under `hint` when needed.
    pub fn ty(&mut self, schema: &Schema, hint: &str) -> Ty {
        let ty = self.ty_inner(schema, hint);
        if schema.nullable { ty.option() } else { ty }
    }

    fn ty_inner(&mut self, schema: &Schema, hint: &str) -> Ty {
        let contract = self.contract;
        match &schema.kind {
            SchemaKind::Ref(name) => {
                let rust = self.components.get(name).cloned();
                match (rust, &self.envelope) {
                    (Some(r), Some(env)) if &r == env => {
                        let default = match self.defs.get(env).map(|d| &d.kind) {
                            Some(TypeDefKind::Envelope { default, .. }) => default.clone(),
                            _ => Ty::Json,
                        };
                        Ty::Envelope(env.clone(), Box::new(default))
                    }
                    (Some(r), _) => Ty::Named(r),
                    (None, _) => Ty::Json,
                }
            }
            SchemaKind::Any | SchemaKind::Not(_) => Ty::Json,
            SchemaKind::Null => Ty::Unit,
            SchemaKind::Boolean => Ty::Bool,
            SchemaKind::Integer(i) if !i.enumeration.is_empty() => self.define_inline(hint, schema),
            SchemaKind::Integer(i) => match i.format.as_deref() {
                Some("int32") => Ty::I32,
                _ => Ty::I64,
            },
            SchemaKind::Number(n) => match n.format.as_deref() {
                Some("float") => Ty::F32,
                _ => Ty::F64,
            },
            SchemaKind::String(s) => {
                if !s.enumeration.is_empty() {
                    return self.define_inline(hint, schema);
                }
                match s.format.as_deref() {
                    Some("date-time") => Ty::DateTime,
                    Some("date") => Ty::Date,
                    _ => Ty::String,
                }
            }
            SchemaKind::Array(a) => Ty::Vec(Box::new(self.ty(&a.items, &format!("{hint}Item")))),
            SchemaKind::Object(o) if o.properties.is_empty() => match &o.additional {
                AdditionalProperties::Schema(s) => {
                    Ty::Map(Box::new(self.ty(s, &format!("{hint}Value"))))
                }
                _ => Ty::Map(Box::new(Ty::Json)),
            },
            SchemaKind::Object(_) => self.define_inline(hint, schema),
            SchemaKind::AllOf(parts) => {
                if let (Some(env), Some(data)) = (&self.envelope, contract.envelope_data(schema)) {
                    let env = env.clone();
                    let data_ty = self.ty(&data, &format!("{hint}Data"));
                    return Ty::Envelope(env, Box::new(data_ty));
                }
                match parts.as_slice() {
                    [only] => self.ty(only, hint),
                    _ => self.define_inline(hint, schema),
                }
            }
            SchemaKind::OneOf { variants, .. } | SchemaKind::AnyOf { variants, .. } => {
                let non_null: Vec<&Schema> = variants
                    .iter()
                    .filter(|v| !matches!(v.kind, SchemaKind::Null))
                    .collect();
                match non_null.as_slice() {
                    [] => Ty::Unit,
                    [only] => {
                        let t = self.ty(only, hint);
                        if non_null.len() < variants.len() {
                            t.option()
                        } else {
                            t
                        }
                    }
                    _ => self.define_inline(hint, schema),
                }
            }
        }
    }

    fn define_inline(&mut self, hint: &str, schema: &Schema) -> Ty {
        let name = match self.inline_names.group(schema) {
            Some(group) => {
                if let Some(ty) = self.inline.get(&group) {
                    return ty.clone();
                }
                let name = match self.inline_rust.get(group) {
                    Some(name) => name.clone(),
                    None => self
                        .names
                        .claim(&pascal(self.inline_names.group_name(group))),
                };
                self.inline.insert(group, Ty::Named(name.clone()));
                name
            }
            None => {
                let shape = crate::naming::inline::shape_key(schema);
                if let Some(ty) = self.inline_shapes.get(&shape) {
                    return ty.clone();
                }
                let name = self.names.claim(&pascal(hint));
                self.inline_shapes.insert(shape, Ty::Named(name.clone()));
                name
            }
        };
        let doc = doc_lines(schema.title.as_deref(), schema.description.as_deref());
        // Reserve the name before recursing so self-references inside find it.
        self.defs.insert(
            name.clone(),
            TypeDef {
                name: name.clone(),
                doc: doc.clone(),
                kind: TypeDefKind::Alias(Ty::Json),
            },
        );
        let kind = match self.define_kind(&name, schema) {
            Some(kind) => kind,
            None => TypeDefKind::Alias(Ty::Json),
        };
        self.defs.insert(
            name.clone(),
            TypeDef {
                name: name.clone(),
                doc,
                kind,
            },
        );
        Ty::Named(name)
    }
}

fn snake_field(wire: &str, fields: &[Field]) -> String {
    fields
        .iter()
        .find(|f| f.wire == wire)
        .map_or_else(|| snake(wire), |f| f.rust.clone())
}

fn enum_variants(values: &[String]) -> Vec<Variant> {
    let mut names = Namespace::with_reserved(&["Unknown"]);
    values
        .iter()
        .map(|v| Variant {
            rust: names.claim(&pascal(v)),
            wire: v.clone(),
        })
        .collect()
}

fn is_binary(format: Option<&str>) -> bool {
    matches!(format, Some("binary"))
}

/// The Rust expression of a schema `default` for a field of type `ty`, when it has one:
/// booleans, numbers that fit, strings, documented enum values and empty arrays.
fn default_expr(
    contract: &Contract,
    schema: &Schema,
    ty: &Ty,
    value: &Value,
) -> Option<FieldDefault> {
    let plain = |expr: String, trivial: bool| Some(FieldDefault { expr, trivial });
    match (ty, value) {
        (Ty::Bool, Value::Bool(b)) => plain(b.to_string(), !b),
        (Ty::I32, Value::Number(n)) => {
            let v = i32::try_from(n.as_i64()?).ok()?;
            plain(v.to_string(), v == 0)
        }
        (Ty::I64, Value::Number(n)) => {
            let v = n.as_i64()?;
            plain(v.to_string(), v == 0)
        }
        (Ty::F32 | Ty::F64, Value::Number(n)) => {
            let v = n.as_f64().filter(|v| v.is_finite())?;
            if *ty == Ty::F32 && (v as f32) as f64 != v {
                return None;
            }
            let text = format!("{v:?}");
            let text = if text.contains(['.', 'e']) {
                text
            } else {
                format!("{text}.0")
            };
            plain(text, v == 0.0)
        }
        (Ty::String, Value::String(s)) => plain(format!("{}.to_owned()", lit(s)), s.is_empty()),
        (Ty::Vec(_), Value::Array(items)) if items.is_empty() => plain("Vec::new()".into(), true),
        (Ty::Named(name), _) => match &contract.resolve(schema).kind {
            SchemaKind::String(s) if !s.enumeration.is_empty() => {
                let wanted = value.as_str()?;
                let variants = enum_variants(&s.enumeration);
                let v = variants.iter().find(|v| v.wire == wanted)?;
                plain(format!("{name}::{}", v.rust), false)
            }
            SchemaKind::Integer(i) if !i.enumeration.is_empty() => {
                let wanted = value.as_i64()?;
                let variants = int_variants(&i.enumeration, &i.varnames);
                let v = variants.iter().find(|v| v.value == wanted)?;
                plain(format!("{name}::{}", v.rust), false)
            }
            _ => None,
        },
        _ => None,
    }
}

/// Integer enum variants: named by `x-enum-varnames` when the spec gives them, else by
/// value (`V1`, `Minus1`).
fn int_variants(values: &[i64], varnames: &[String]) -> Vec<IntVariant> {
    let mut names = Namespace::with_reserved(&["Unknown"]);
    values
        .iter()
        .enumerate()
        .map(|(i, &value)| {
            let by_value = if value < 0 {
                format!("Minus{}", value.unsigned_abs())
            } else {
                format!("V{value}")
            };
            let wanted = varnames
                .get(i)
                .map(|n| pascal(n))
                .filter(|n| !n.is_empty())
                .unwrap_or(by_value);
            IntVariant {
                rust: names.claim(&wanted),
                value,
            }
        })
        .collect()
}

fn checks(contract: &Contract, schema: &Schema, ty: &Ty) -> Vec<Check> {
    let mut out = Vec::new();
    match &contract.resolve(schema).kind {
        SchemaKind::String(s) if schema.ref_name().is_none() && s.enumeration.is_empty() => {
            if let Some(n) = s.min_length {
                out.push(Check::MinLength(n));
            }
            if let Some(n) = s.max_length {
                out.push(Check::MaxLength(n));
            }
        }
        SchemaKind::Integer(i) if schema.ref_name().is_none() && i.enumeration.is_empty() => {
            if let Some(n) = i.minimum {
                out.push(Check::Minimum(n.to_string(), i.exclusive_minimum));
            }
            if let Some(n) = i.maximum {
                out.push(Check::Maximum(n.to_string(), i.exclusive_maximum));
            }
        }
        SchemaKind::Number(n) if schema.ref_name().is_none() => {
            if let Some(v) = n.minimum {
                out.push(Check::Minimum(format!("{v:?}"), n.exclusive_minimum));
            }
            if let Some(v) = n.maximum {
                out.push(Check::Maximum(format!("{v:?}"), n.exclusive_maximum));
            }
        }
        SchemaKind::Array(a) if schema.ref_name().is_none() => {
            if let Some(n) = a.min_items {
                out.push(Check::MinItems(n));
            }
            if let Some(n) = a.max_items {
                out.push(Check::MaxItems(n));
            }
        }
        _ => {}
    }
    if ty.named().is_some() {
        out.push(Check::Nested);
    }
    out
}

/// Names a value of `ty` contains directly (not behind a `Vec`, map or `Box`).
fn by_value(ty: &Ty, out: &mut Vec<String>) {
    match ty {
        Ty::Named(n) => out.push(n.clone()),
        Ty::Option(inner) => by_value(inner, out),
        Ty::Envelope(n, data) => {
            out.push(n.clone());
            by_value(data, out);
        }
        _ => {}
    }
}

/// `ty` with every direct occurrence of a name in `targets` boxed.
fn box_in(ty: &Ty, targets: &std::collections::BTreeSet<String>) -> Ty {
    match ty {
        Ty::Named(n) if targets.contains(n) => Ty::Boxed(Box::new(ty.clone())),
        Ty::Option(inner) => Ty::Option(Box::new(box_in(inner, targets))),
        Ty::Envelope(n, data) => Ty::Envelope(n.clone(), Box::new(box_in(data, targets))),
        other => other.clone(),
    }
}

impl TypeSpace<'_> {
    /// Boxes every field and variant through which a type contains itself, directly or
    /// through others (`A { b: B }`, `B { a: Option<A> }`): such types would have no size.
    /// Strongly connected components of the "contains by value" graph find them all.
    pub fn box_cycles(&mut self) {
        let names: Vec<String> = self.defs.keys().cloned().collect();
        let index: BTreeMap<&str, usize> = names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.as_str(), i))
            .collect();
        let edges: Vec<Vec<usize>> = names
            .iter()
            .map(|n| {
                let mut out = Vec::new();
                if let Some(def) = self.defs.get(n) {
                    for ty in def_types(def) {
                        by_value(ty, &mut out);
                    }
                }
                out.iter()
                    .filter_map(|m| index.get(m.as_str()).copied())
                    .collect()
            })
            .collect();
        let component = strongly_connected(&edges);
        for (i, name) in names.iter().enumerate() {
            // The names in this type's own cycle (itself included when it loops on itself).
            let cyclic: std::collections::BTreeSet<String> = edges[i]
                .iter()
                .filter(|&&j| component[j] == component[i])
                .map(|&j| names[j].clone())
                .collect();
            if cyclic.is_empty() {
                continue;
            }
            if let Some(def) = self.defs.get_mut(name) {
                match &mut def.kind {
                    TypeDefKind::Struct { fields, .. } | TypeDefKind::Envelope { fields, .. } => {
                        for f in fields {
                            f.ty = box_in(&f.ty, &cyclic);
                        }
                    }
                    TypeDefKind::Union { variants, .. } => {
                        for v in variants {
                            v.ty = box_in(&v.ty, &cyclic);
                        }
                    }
                    TypeDefKind::Alias(ty) => *ty = box_in(ty, &cyclic),
                    TypeDefKind::Multipart { fields } => {
                        for f in fields {
                            f.ty = box_in(&f.ty, &cyclic);
                        }
                    }
                    TypeDefKind::StringEnum { .. } | TypeDefKind::IntegerEnum { .. } => {}
                }
            }
        }
    }
}

/// The types a definition holds.
fn def_types(def: &TypeDef) -> Vec<&Ty> {
    match &def.kind {
        TypeDefKind::Struct { fields, extra, .. } => {
            let mut out: Vec<&Ty> = fields.iter().map(|f| &f.ty).collect();
            out.extend(extra.iter());
            out
        }
        TypeDefKind::Envelope { fields, .. } => fields.iter().map(|f| &f.ty).collect(),
        TypeDefKind::Union { variants, .. } => variants.iter().map(|v| &v.ty).collect(),
        TypeDefKind::Alias(ty) => vec![ty],
        TypeDefKind::Multipart { fields } => fields.iter().map(|f| &f.ty).collect(),
        TypeDefKind::StringEnum { .. } | TypeDefKind::IntegerEnum { .. } => Vec::new(),
    }
}

/// Tarjan's algorithm, iterative (deep type graphs must not overflow the stack): the
/// component number of every node.
fn strongly_connected(edges: &[Vec<usize>]) -> Vec<usize> {
    let n = edges.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut component = vec![usize::MAX; n];
    let mut next_index = 0;
    let mut next_component = 0;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        // (node, next edge to look at)
        let mut call: Vec<(usize, usize)> = vec![(root, 0)];
        index[root] = next_index;
        low[root] = next_index;
        next_index += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (v, ref mut e)) = call.last_mut() {
            if let Some(&w) = edges[v].get(*e) {
                *e += 1;
                if index[w] == usize::MAX {
                    index[w] = next_index;
                    low[w] = next_index;
                    next_index += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    call.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
            } else {
                call.pop();
                if let Some(&(parent, _)) = call.last() {
                    low[parent] = low[parent].min(low[v]);
                }
                if low[v] == index[v] {
                    while let Some(w) = stack.pop() {
                        on_stack[w] = false;
                        component[w] = next_component;
                        if w == v {
                            break;
                        }
                    }
                    next_component += 1;
                }
            }
        }
    }
    component
}

#[cfg(test)]
mod tests {
    use super::strongly_connected;

    #[test]
    fn components() {
        // 0 → 1 → 2 → 0, 3 → 3, 4 alone.
        let c = strongly_connected(&[vec![1], vec![2], vec![0], vec![3], vec![]]);
        assert_eq!(c[0], c[1]);
        assert_eq!(c[1], c[2]);
        assert_ne!(c[0], c[3]);
        assert_ne!(c[3], c[4]);
    }
}
