//! The schema part of the contract model: JSON Schema as OpenAPI 3.0 uses it, resolved.

use serde_json::Value;

/// A schema with its annotations.
#[derive(Debug, Clone, PartialEq)]
pub struct Schema {
    /// What values it accepts.
    pub kind: SchemaKind,
    /// `nullable: true` (or a 3.1 type array with `"null"`).
    pub nullable: bool,
    /// `title`.
    pub title: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `default`.
    pub default: Option<Value>,
    /// `example`.
    pub example: Option<Value>,
    /// `readOnly`: sent by servers only.
    pub read_only: bool,
    /// `writeOnly`: sent by clients only.
    pub write_only: bool,
    /// `deprecated`.
    pub deprecated: bool,
    /// The kind was inferred from keywords (`properties`, `items`), not written as `type`.
    ///
    /// Why it matters: code generation wants the inferred type, but JSON Schema applies
    /// `properties` only to objects and `items` only to arrays, so a validator must accept
    /// any other value (`null` for an optional body whose schema has no `type`).
    pub type_implied: bool,
    /// JSON pointer of the schema in the spec (for diagnostics).
    pub pointer: String,
}

impl Schema {
    /// A schema of `kind` with no annotations.
    pub fn new(kind: SchemaKind, pointer: impl Into<String>) -> Self {
        Self {
            kind,
            nullable: false,
            title: None,
            description: None,
            default: None,
            example: None,
            read_only: false,
            write_only: false,
            deprecated: false,
            type_implied: false,
            pointer: pointer.into(),
        }
    }

    /// The named component this schema refers to, if it is a reference.
    pub fn ref_name(&self) -> Option<&str> {
        match &self.kind {
            SchemaKind::Ref(name) => Some(name),
            _ => None,
        }
    }
}

/// What values a [`Schema`] accepts.
#[derive(Debug, Clone, PartialEq)]
pub enum SchemaKind {
    /// A named component schema (`#/components/schemas/<name>`).
    Ref(String),
    /// Anything (no `type` and nothing else constraining).
    Any,
    /// Only `null` (`nullable: true, enum: [null]`).
    Null,
    /// `type: boolean`.
    Boolean,
    /// `type: integer`.
    Integer(IntegerSchema),
    /// `type: number`.
    Number(NumberSchema),
    /// `type: string`.
    String(StringSchema),
    /// `type: array`.
    Array(ArraySchema),
    /// `type: object` (or properties without a type).
    Object(ObjectSchema),
    /// `allOf`: all parts apply.
    AllOf(Vec<Schema>),
    /// `oneOf`: exactly one variant applies.
    OneOf {
        /// The variants.
        variants: Vec<Schema>,
        /// `discriminator`, if any.
        discriminator: Option<Discriminator>,
    },
    /// `anyOf`: at least one variant applies.
    AnyOf {
        /// The variants.
        variants: Vec<Schema>,
        /// `discriminator`, if any.
        discriminator: Option<Discriminator>,
    },
    /// `not`.
    Not(Box<Schema>),
}

/// `type: integer` constraints.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IntegerSchema {
    /// `format` (`int32`, `int64`, …).
    pub format: Option<String>,
    /// `minimum`.
    pub minimum: Option<i64>,
    /// `maximum`.
    pub maximum: Option<i64>,
    /// `exclusiveMinimum: true`.
    pub exclusive_minimum: bool,
    /// `exclusiveMaximum: true`.
    pub exclusive_maximum: bool,
    /// `multipleOf`.
    pub multiple_of: Option<i64>,
    /// `enum` (without `null`).
    pub enumeration: Vec<i64>,
    /// `x-enum-varnames`: a name per `enum` value (empty when absent or not one per value).
    pub varnames: Vec<String>,
}

/// `type: number` constraints.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NumberSchema {
    /// `format` (`float`, `double`, …).
    pub format: Option<String>,
    /// `minimum`.
    pub minimum: Option<f64>,
    /// `maximum`.
    pub maximum: Option<f64>,
    /// `exclusiveMinimum: true`.
    pub exclusive_minimum: bool,
    /// `exclusiveMaximum: true`.
    pub exclusive_maximum: bool,
    /// `multipleOf`.
    pub multiple_of: Option<f64>,
    /// `enum` (without `null`).
    pub enumeration: Vec<f64>,
}

/// `type: string` constraints.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StringSchema {
    /// `format` (`date-time`, `uuid`, `binary`, …).
    pub format: Option<String>,
    /// `minLength` (in characters).
    pub min_length: Option<usize>,
    /// `maxLength` (in characters).
    pub max_length: Option<usize>,
    /// `pattern` (ECMA 262 regular expression).
    pub pattern: Option<String>,
    /// `enum` (without `null`).
    pub enumeration: Vec<String>,
}

/// `type: array` constraints.
#[derive(Debug, Clone, PartialEq)]
pub struct ArraySchema {
    /// `items` (`Any` when missing).
    pub items: Box<Schema>,
    /// `minItems`.
    pub min_items: Option<usize>,
    /// `maxItems`.
    pub max_items: Option<usize>,
    /// `uniqueItems`.
    pub unique_items: bool,
}

/// `type: object` constraints.
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectSchema {
    /// Properties in document order.
    pub properties: Vec<Property>,
    /// `additionalProperties`.
    pub additional: AdditionalProperties,
    /// `minProperties`.
    pub min_properties: Option<usize>,
    /// `maxProperties`.
    pub max_properties: Option<usize>,
    /// Names in `required` that `properties` does not declare: they bind properties that a
    /// sibling `allOf` part declares (or, alone, any value under that name).
    pub required_elsewhere: Vec<String>,
}

impl ObjectSchema {
    /// The property with this wire name.
    pub fn property(&self, name: &str) -> Option<&Property> {
        self.properties.iter().find(|p| p.name == name)
    }
}

/// What an object accepts beyond its declared properties.
#[derive(Debug, Clone, PartialEq)]
pub enum AdditionalProperties {
    /// Not mentioned: anything is allowed (JSON Schema default), nothing is typed.
    Unspecified,
    /// `additionalProperties: false`.
    Forbidden,
    /// `additionalProperties: true` or `{}`.
    Any,
    /// `additionalProperties: <schema>`: a map's values.
    Schema(Box<Schema>),
}

/// One property of an object.
#[derive(Debug, Clone, PartialEq)]
pub struct Property {
    /// The wire name.
    pub name: String,
    /// Its schema.
    pub schema: Schema,
    /// Listed in `required`.
    pub required: bool,
}

/// `discriminator`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Discriminator {
    /// `propertyName`.
    pub property: String,
    /// `mapping`: tag value → component schema name.
    pub mapping: Vec<(String, String)>,
}

impl Discriminator {
    /// The tag values that select the named schema `target`: its `mapping` entries, or
    /// its own name when the mapping does not mention it (the OpenAPI default).
    pub fn tags_for(&self, target: &str) -> Vec<String> {
        let mapped: Vec<String> = self
            .mapping
            .iter()
            .filter(|(_, t)| t == target)
            .map(|(value, _)| value.clone())
            .collect();
        if mapped.is_empty() {
            vec![target.to_owned()]
        } else {
            mapped
        }
    }
}
