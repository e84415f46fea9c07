//! Schemas → TypeScript types: one flat, named declaration per reachable component schema.
//!
//! Why these shapes: frontend code reads these types, so they follow what a careful
//! person writes by hand. Objects are interfaces with JSDoc from the spec; the shared
//! envelope is one generic `Envelope<T>` and its specialisations are aliases of it;
//! enums are literal unions that stay open (`| (string & {})`) so a value the server adds
//! later still type-checks, and closed where a request sends an inline one (a shared
//! inline enum is declared closed, and read as `Name | (string & {})`); `oneOf` with a discriminator is a union whose members carry
//! their tag literal, so `switch (x.kind)` narrows. A component whose request and
//! response shapes differ (`readOnly` / `writeOnly`) gets a second declaration,
//! `<Name>Writable`, for requests. An inline schema used in one place stays inline
//! (TypeScript types are structural, a name would add nothing); one used in several
//! places is declared once, under the name the shared naming pass gives it (the Rust
//! crate's name for it), unless its request and response shapes differ.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{AdditionalProperties, Contract, Property, Schema, SchemaKind};
use crate::naming::{InlineNames, Namespace};

use super::text::{jsdoc, key, pascal, string};

/// Which way a value travels: it decides whether `readOnly` or `writeOnly` properties exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Sent by the client: `readOnly` properties are left out.
    Request,
    /// Sent by the server: `writeOnly` properties are left out.
    Response,
}

/// The TypeScript names of the contract's component schemas.
#[derive(Debug)]
pub struct TypeNames<'a> {
    contract: &'a Contract,
    /// Wire name → (response / shared name, request name when the shapes differ).
    names: BTreeMap<String, (String, Option<String>)>,
    /// Component names emitted, in order (reachable ones).
    pub emitted: Vec<String>,
    /// The envelope's TypeScript name.
    pub envelope: Option<String>,
    /// The contract's inline schemas and their names.
    inline: InlineNames,
    /// Shared inline schemas declared as named types: group → name, in order.
    declared: BTreeMap<usize, String>,
}

impl<'a> TypeNames<'a> {
    /// Names every reachable component schema, claiming names from `ns`.
    pub fn new(contract: &'a Contract, ns: &mut Namespace) -> Self {
        let reachable = contract.reachable_schemas();
        let differs = differing(contract, &reachable);
        let mut names = BTreeMap::new();
        let mut emitted = Vec::new();
        for name in &reachable {
            let ts = ns.claim(&pascal(name));
            let writable = differs
                .contains(name)
                .then(|| ns.claim(&format!("{ts}Writable")));
            names.insert(name.clone(), (ts, writable));
            emitted.push(name.clone());
        }
        let envelope = contract
            .envelope
            .as_ref()
            .and_then(|e| names.get(&e.schema))
            .map(|(n, _)| n.clone());
        let inline = InlineNames::new(contract);
        let declared = inline
            .shared()
            .filter(|(_, schema)| !has_direction(schema, &differs))
            .map(|(g, _)| (g, ns.claim(&pascal(inline.group_name(g)))))
            .collect();
        Self {
            contract,
            names,
            emitted,
            envelope,
            inline,
            declared,
        }
    }

    /// The declared name of an inline schema, if it is a shared one.
    fn declared_name(&self, schema: &Schema) -> Option<&str> {
        let nameable = match &schema.kind {
            SchemaKind::String(s) => !s.enumeration.is_empty(),
            SchemaKind::Integer(i) => !i.enumeration.is_empty(),
            SchemaKind::Object(o) => !o.properties.is_empty(),
            SchemaKind::AllOf(_) | SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } => true,
            _ => false,
        };
        if !nameable || self.declared.is_empty() {
            return None;
        }
        let group = self.inline.group(schema)?;
        self.declared.get(&group).map(String::as_str)
    }

    /// Every declared type name, sorted (for import lists).
    pub fn all_names(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .names
            .values()
            .flat_map(|(n, w)| std::iter::once(n.clone()).chain(w.clone()))
            .chain(self.declared.values().cloned())
            .collect();
        v.sort();
        v
    }

    /// The TypeScript name of component `wire` in `dir`.
    pub fn name(&self, wire: &str, dir: Direction) -> String {
        match self.names.get(wire) {
            Some((_, Some(w))) if dir == Direction::Request => w.clone(),
            Some((n, _)) => n.clone(),
            None => "unknown".to_owned(),
        }
    }

    /// The type expression of `schema`, at `indent` spaces for multi-line object literals.
    pub fn ty(&self, schema: &Schema, dir: Direction, indent: usize) -> String {
        let inner = self.kind(schema, dir, indent);
        if schema.nullable && inner != "unknown" && inner != "null" {
            format!("{} | null", paren_union(&inner))
        } else {
            inner
        }
    }

    fn kind(&self, schema: &Schema, dir: Direction, indent: usize) -> String {
        match (self.declared_name(schema), enum_base(schema)) {
            // A shared enum is declared closed (what a request may send); a response
            // reads it open, as every enum it reads.
            (Some(name), Some(base)) if dir == Direction::Response => {
                format!("{name} | ({base} & {{}})")
            }
            (Some(name), _) => name.to_owned(),
            (None, _) => self.structure(schema, dir, indent),
        }
    }

    /// The type expression of `schema` itself, never the name of a shared inline schema.
    fn structure(&self, schema: &Schema, dir: Direction, indent: usize) -> String {
        if let (Some(env), false, Some(data)) = (
            &self.envelope,
            schema.ref_name().is_some(),
            self.contract.envelope_data(schema),
        ) {
            return format!("{env}<{}>", self.ty(&data, dir, indent));
        }
        match &schema.kind {
            SchemaKind::Ref(name) => self.name(name, dir),
            SchemaKind::Any | SchemaKind::Not(_) => "unknown".to_owned(),
            SchemaKind::Null => "null".to_owned(),
            SchemaKind::Boolean => "boolean".to_owned(),
            SchemaKind::Integer(i) if !i.enumeration.is_empty() => {
                union(i.enumeration.iter().map(|v| v.to_string()), "number", dir)
            }
            SchemaKind::Number(n) if !n.enumeration.is_empty() => {
                union(n.enumeration.iter().map(|v| format!("{v}")), "number", dir)
            }
            SchemaKind::Integer(_) | SchemaKind::Number(_) => "number".to_owned(),
            SchemaKind::String(s) if !s.enumeration.is_empty() => {
                union(s.enumeration.iter().map(|v| string(v)), "string", dir)
            }
            SchemaKind::String(s)
                if dir == Direction::Request && s.format.as_deref() == Some("binary") =>
            {
                "Blob | string".to_owned()
            }
            SchemaKind::String(_) => "string".to_owned(),
            SchemaKind::Array(a) => {
                let item = self.ty(&a.items, dir, indent);
                if item
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
                {
                    format!("{item}[]")
                } else {
                    format!("Array<{item}>")
                }
            }
            SchemaKind::Object(o) => self.object(
                &o.properties,
                &o.additional,
                &o.required_elsewhere,
                dir,
                indent,
            ),
            SchemaKind::AllOf(parts) => join(
                parts.iter().map(|p| paren_union(&self.ty(p, dir, indent))),
                " & ",
            ),
            SchemaKind::OneOf {
                variants,
                discriminator,
            }
            | SchemaKind::AnyOf {
                variants,
                discriminator,
            } => join(
                variants.iter().map(|v| {
                    let t = self.ty(v, dir, indent);
                    match (discriminator, v.ref_name()) {
                        (Some(d), Some(target)) => {
                            let tags = d.tags_for(target);
                            let tags = tags.iter().map(|t| string(t)).collect::<Vec<_>>();
                            format!("({t} & {{ {}: {} }})", key(&d.property), tags.join(" | "))
                        }
                        _ => paren_union(&t),
                    }
                }),
                " | ",
            ),
        }
    }

    /// An object literal type (or `Record<string, T>` for a pure map).
    pub fn object(
        &self,
        properties: &[Property],
        additional: &AdditionalProperties,
        required_elsewhere: &[String],
        dir: Direction,
        indent: usize,
    ) -> String {
        self.object_with_slot(
            properties,
            additional,
            required_elsewhere,
            dir,
            indent,
            None,
        )
    }

    fn object_with_slot(
        &self,
        properties: &[Property],
        additional: &AdditionalProperties,
        required_elsewhere: &[String],
        dir: Direction,
        indent: usize,
        slot: Option<&str>,
    ) -> String {
        let props: Vec<&Property> = properties.iter().filter(|p| keeps(p, dir)).collect();
        let extra = match additional {
            AdditionalProperties::Schema(s) => Some(self.ty(s, dir, indent + 2)),
            AdditionalProperties::Any => Some("unknown".to_owned()),
            AdditionalProperties::Unspecified | AdditionalProperties::Forbidden => None,
        };
        if props.is_empty() && required_elsewhere.is_empty() {
            return match extra {
                Some(t) => format!("Record<string, {t}>"),
                None => "{}".to_owned(),
            };
        }
        let pad = " ".repeat(indent + 2);
        let mut out = String::from("{\n");
        for p in props {
            let mut paragraphs = Vec::new();
            if let Some(t) = &p.schema.title {
                paragraphs.push(t.clone());
            }
            if let Some(d) = &p.schema.description {
                paragraphs.push(d.clone());
            }
            if let Some(def) = &p.schema.default {
                paragraphs.push(format!("Defaults to `{def}` when absent."));
            }
            if p.schema.deprecated {
                paragraphs.push("@deprecated".to_owned());
            }
            out.push_str(&jsdoc(&paragraphs, indent + 2));
            let optional = if p.required { "" } else { "?" };
            let ty = if slot == Some(p.name.as_str()) {
                "T".to_owned()
            } else {
                self.ty(&p.schema, dir, indent + 2)
            };
            out.push_str(&format!("{pad}{}{optional}: {ty};\n", key(&p.name)));
        }
        for name in required_elsewhere {
            out.push_str(&format!("{pad}{}: unknown;\n", key(name)));
        }
        if extra.is_some() {
            // Declared properties would have to fit the index signature; `unknown` always does.
            out.push_str(&format!("{pad}[key: string]: unknown;\n"));
        }
        out.push_str(&" ".repeat(indent));
        out.push('}');
        out
    }

    /// The declarations of `types.d.ts`.
    pub fn declarations(&self) -> String {
        let mut out = String::new();
        for wire in &self.emitted {
            let schema = &self.contract.schemas[wire];
            let dirs: &[Direction] = match self.names.get(wire) {
                Some((_, Some(_))) => &[Direction::Response, Direction::Request],
                _ => &[Direction::Response],
            };
            for &dir in dirs {
                out.push('\n');
                let mut paragraphs = described(schema);
                if dir == Direction::Request {
                    paragraphs.push(format!(
                        "The request shape of `{}` (without its read-only properties).",
                        self.name(wire, Direction::Response)
                    ));
                }
                if schema.deprecated {
                    paragraphs.push("@deprecated".to_owned());
                }
                out.push_str(&jsdoc(&paragraphs, 0));
                out.push_str(&self.declaration(wire, schema, dir));
            }
        }
        for (&group, name) in &self.declared {
            let schema = self.inline.schema(group);
            out.push('\n');
            out.push_str(&jsdoc(&described(schema), 0));
            // The shape is one for all its uses; `| null` is added where it is used, and
            // an enum is declared closed and opened where it is read (see `kind`).
            let dir = match enum_base(schema) {
                Some(_) => Direction::Request,
                None => Direction::Response,
            };
            let body = self.structure(schema, dir, 0);
            if matches!(schema.kind, SchemaKind::Object(_)) && body.starts_with('{') && body != "{}"
            {
                out.push_str(&format!("export interface {name} {body}\n"));
            } else {
                out.push_str(&format!("export type {name} = {body};\n"));
            }
        }
        out
    }

    fn declaration(&self, wire: &str, schema: &Schema, dir: Direction) -> String {
        let name = self.name(wire, dir);
        let envelope = self.contract.envelope.as_ref();
        if let (Some(env), SchemaKind::Object(o)) = (envelope, &schema.kind)
            && env.schema == wire
        {
            // The generic envelope: the data slot is the type parameter.
            let body = self.object_with_slot(
                &o.properties,
                &o.additional,
                &o.required_elsewhere,
                dir,
                0,
                Some(&env.data_property),
            );
            return format!("export interface {name}<T = unknown> {body}\n");
        }
        match &schema.kind {
            SchemaKind::Object(o) if !schema.nullable => {
                let body = self.object(&o.properties, &o.additional, &o.required_elsewhere, dir, 0);
                if body.starts_with('{') && body != "{}" {
                    format!("export interface {name} {body}\n")
                } else {
                    format!("export type {name} = {body};\n")
                }
            }
            _ => format!("export type {name} = {};\n", self.ty(schema, dir, 0)),
        }
    }
}

/// The JSDoc paragraphs a schema's own words give: its title, then its description.
fn described(schema: &Schema) -> Vec<String> {
    schema
        .title
        .iter()
        .chain(&schema.description)
        .cloned()
        .collect()
}

/// The base type of an enum's values (`string`, `number`), `None` when not an enum.
fn enum_base(schema: &Schema) -> Option<&'static str> {
    match &schema.kind {
        SchemaKind::String(s) if !s.enumeration.is_empty() => Some("string"),
        SchemaKind::Integer(i) if !i.enumeration.is_empty() => Some("number"),
        SchemaKind::Number(n) if !n.enumeration.is_empty() => Some("number"),
        _ => None,
    }
}

/// Whether a property exists in `dir`.
pub fn keeps(p: &Property, dir: Direction) -> bool {
    match dir {
        Direction::Request => !p.schema.read_only,
        Direction::Response => !p.schema.write_only,
    }
}

/// The literal union of an enum. What a client reads stays open (`| (string & {})`: a
/// value the server adds later is not a type error, and editors still offer the
/// literals); what it sends is closed, so a typo is caught before the server refuses it.
/// A named enum component is one declaration shared by both directions, so it stays
/// open; a shared inline enum is declared closed and read open (see `TypeNames::kind`).
fn union(values: impl Iterator<Item = String>, base: &str, dir: Direction) -> String {
    let mut parts: Vec<String> = Vec::new();
    for v in values {
        if !parts.contains(&v) {
            parts.push(v);
        }
    }
    if dir == Direction::Response {
        parts.push(format!("({base} & {{}})"));
    }
    parts.join(" | ")
}

fn join(parts: impl Iterator<Item = String>, sep: &str) -> String {
    let parts: Vec<String> = parts.collect();
    if parts.is_empty() {
        "unknown".to_owned()
    } else {
        parts.join(sep)
    }
}

/// Parenthesises a type containing a top-level union so it can sit in `&` or `[]`.
fn paren_union(t: &str) -> String {
    let mut depth = 0i32;
    let mut in_str = false;
    let mut prev = ' ';
    for c in t.chars() {
        match c {
            '"' if prev != '\\' => in_str = !in_str,
            '{' | '(' | '<' | '[' if !in_str => depth += 1,
            '}' | ')' | '>' | ']' if !in_str => depth -= 1,
            '|' | '&' if !in_str && depth == 0 => return format!("({t})"),
            _ => {}
        }
        prev = if prev == '\\' && c == '\\' { ' ' } else { c };
    }
    t.to_owned()
}

/// Component schemas whose request and response shapes differ, transitively.
fn differing(contract: &Contract, reachable: &BTreeSet<String>) -> BTreeSet<String> {
    let mut out: BTreeSet<String> = reachable
        .iter()
        .filter(|n| has_direction(&contract.schemas[*n], &BTreeSet::new()))
        .cloned()
        .collect();
    loop {
        let before = out.len();
        for n in reachable {
            if !out.contains(n) && has_direction(&contract.schemas[n], &out) {
                out.insert(n.clone());
            }
        }
        if out.len() == before {
            return out;
        }
    }
}

fn has_direction(s: &Schema, differs: &BTreeSet<String>) -> bool {
    match &s.kind {
        SchemaKind::Ref(n) => differs.contains(n),
        SchemaKind::Array(a) => has_direction(&a.items, differs),
        SchemaKind::Object(o) => {
            o.properties.iter().any(|p| {
                p.schema.read_only || p.schema.write_only || has_direction(&p.schema, differs)
            }) || matches!(&o.additional, AdditionalProperties::Schema(a) if has_direction(a, differs))
        }
        SchemaKind::AllOf(v) => v.iter().any(|s| has_direction(s, differs)),
        SchemaKind::OneOf { variants, .. } | SchemaKind::AnyOf { variants, .. } => {
            variants.iter().any(|s| has_direction(s, differs))
        }
        _ => false,
    }
}
