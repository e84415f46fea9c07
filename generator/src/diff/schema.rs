//! Schema comparison: what values OLD and NEW accept, aspect by aspect.
//!
//! Every aspect (a property, `required`, `nullable`, an enum, a bound, the type) is
//! classified as *widened* (NEW accepts more), *narrowed* (NEW accepts less), *changed*
//! (neither contains the other) or *neutral*; [`Side`] then says whom that breaks. `$ref`s
//! are followed in each contract (each pair of named schemas once, so recursion ends) and
//! `allOf`s of objects are merged, so moving a property into a shared base is no change.

use std::collections::{BTreeSet, HashSet};
use std::fmt::Display;

use crate::model::{
    AdditionalProperties, ArraySchema, Contract, IntegerSchema, NumberSchema, Schema, SchemaKind,
    StringSchema,
};

use super::{Breaking, ChangeKind};

/// Who sends the values a schema describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Side {
    /// Clients send, servers receive (parameters, request bodies).
    Request,
    /// Servers send, clients receive (responses).
    Response,
}

/// How the set of accepted values moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Delta {
    Widened,
    Narrowed,
    Changed,
    Neutral,
}

fn breaking(side: Side, delta: Delta) -> Breaking {
    match (side, delta) {
        (_, Delta::Neutral) => Breaking::NONE,
        (_, Delta::Changed) => Breaking::BOTH,
        (Side::Request, Delta::Narrowed) | (Side::Response, Delta::Widened) => Breaking::CLIENT,
        (Side::Request, Delta::Widened) | (Side::Response, Delta::Narrowed) => Breaking::SERVER,
    }
}

/// One change found inside a schema.
pub(super) struct Found {
    pub(super) kind: ChangeKind,
    /// `.data.items[].id`: where inside the schema (empty: the schema itself).
    pub(super) path: String,
    pub(super) old_pointer: Option<String>,
    pub(super) new_pointer: Option<String>,
    pub(super) breaking: Breaking,
    pub(super) message: String,
}

/// The changes between `old` (in `old_contract`) and `new` (in `new_contract`).
pub(super) fn compare(
    old_contract: &Contract,
    new_contract: &Contract,
    old: &Schema,
    new: &Schema,
    side: Side,
) -> Vec<Found> {
    let mut c = Cmp {
        old: old_contract,
        new: new_contract,
        side,
        visited: HashSet::new(),
        out: Vec::new(),
    };
    c.walk(old, new, "", 0);
    c.out
}

/// How deep nested schemas are compared (recursion through `$ref`s stops earlier).
const MAX_DEPTH: usize = 64;

/// A schema with references followed and `allOf`s of objects merged.
enum Shape<'s> {
    Any,
    Null,
    Boolean,
    Integer(&'s IntegerSchema),
    Number(&'s NumberSchema),
    String(&'s StringSchema),
    Array(&'s ArraySchema),
    Object(Obj<'s>),
    OneOf(&'s [Schema]),
    AnyOf(&'s [Schema]),
    AllOf(&'s [Schema]),
    Not,
}

impl Shape<'_> {
    fn describe(&self) -> &'static str {
        match self {
            Shape::Any => "any value",
            Shape::Null => "null",
            Shape::Boolean => "boolean",
            Shape::Integer(_) => "integer",
            Shape::Number(_) => "number",
            Shape::String(_) => "string",
            Shape::Array(_) => "array",
            Shape::Object(_) => "object",
            Shape::OneOf(_) => "oneOf",
            Shape::AnyOf(_) => "anyOf",
            Shape::AllOf(_) => "allOf",
            Shape::Not => "not",
        }
    }
}

struct Obj<'s> {
    /// (name, schema, required) in document order; a later `allOf` part overrides.
    props: Vec<(&'s str, &'s Schema, bool)>,
    additional: Additional<'s>,
    min_properties: Option<usize>,
    max_properties: Option<usize>,
}

#[derive(Clone, Copy)]
enum Additional<'s> {
    Open,
    Closed,
    Map(&'s Schema),
}

/// The shape of `schema`, whether a reference on the way allowed `null`, and the name
/// of the first component reached.
fn view<'s>(contract: &'s Contract, schema: &'s Schema) -> (Shape<'s>, bool, Option<&'s str>) {
    let mut nullable = schema.nullable;
    let mut name = None;
    let mut s = schema;
    for _ in 0..64 {
        match &s.kind {
            SchemaKind::Ref(n) => match contract.schemas.get(n) {
                Some(next) => {
                    name.get_or_insert(n.as_str());
                    s = next;
                    nullable |= s.nullable;
                }
                None => return (Shape::Any, nullable, name),
            },
            _ => break,
        }
    }
    let shape = match &s.kind {
        SchemaKind::Ref(_) | SchemaKind::Any => Shape::Any,
        SchemaKind::Null => Shape::Null,
        SchemaKind::Boolean => Shape::Boolean,
        SchemaKind::Integer(i) => Shape::Integer(i),
        SchemaKind::Number(n) => Shape::Number(n),
        SchemaKind::String(st) => Shape::String(st),
        SchemaKind::Array(a) => Shape::Array(a),
        SchemaKind::Object(_) | SchemaKind::AllOf(_) => match merge(contract, s) {
            Some(obj) => Shape::Object(obj),
            None => match &s.kind {
                SchemaKind::AllOf(parts) => Shape::AllOf(parts),
                _ => Shape::Any,
            },
        },
        SchemaKind::OneOf { variants, .. } => Shape::OneOf(variants),
        SchemaKind::AnyOf { variants, .. } => Shape::AnyOf(variants),
        SchemaKind::Not(_) => Shape::Not,
    };
    (shape, nullable, name)
}

/// An object, or an `allOf` whose parts are all objects (through references and nested
/// `allOf`s), as one object.
fn merge<'s>(contract: &'s Contract, schema: &'s Schema) -> Option<Obj<'s>> {
    let mut obj = Obj {
        props: Vec::new(),
        additional: Additional::Open,
        min_properties: None,
        max_properties: None,
    };
    let mut required_elsewhere: Vec<&str> = Vec::new();
    merge_into(contract, schema, &mut obj, &mut required_elsewhere, 0)?;
    for name in required_elsewhere {
        if let Some(p) = obj.props.iter_mut().find(|p| p.0 == name) {
            p.2 = true;
        }
    }
    Some(obj)
}

fn merge_into<'s>(
    contract: &'s Contract,
    schema: &'s Schema,
    obj: &mut Obj<'s>,
    required_elsewhere: &mut Vec<&'s str>,
    depth: usize,
) -> Option<()> {
    if depth > 16 {
        return None;
    }
    let s = contract.resolve(schema);
    match &s.kind {
        SchemaKind::Object(o) => {
            for p in &o.properties {
                match obj.props.iter_mut().find(|x| x.0 == p.name) {
                    Some(existing) => {
                        existing.1 = &p.schema;
                        existing.2 |= p.required;
                    }
                    None => obj.props.push((&p.name, &p.schema, p.required)),
                }
            }
            required_elsewhere.extend(o.required_elsewhere.iter().map(String::as_str));
            match &o.additional {
                AdditionalProperties::Forbidden => obj.additional = Additional::Closed,
                AdditionalProperties::Schema(m) => {
                    if !matches!(obj.additional, Additional::Closed) {
                        obj.additional = Additional::Map(m);
                    }
                }
                AdditionalProperties::Unspecified | AdditionalProperties::Any => {}
            }
            obj.min_properties = obj.min_properties.max(o.min_properties);
            obj.max_properties = match (obj.max_properties, o.max_properties) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            Some(())
        }
        SchemaKind::AllOf(parts) => {
            for part in parts {
                merge_into(contract, part, obj, required_elsewhere, depth + 1)?;
            }
            Some(())
        }
        _ => None,
    }
}

struct Cmp<'a> {
    old: &'a Contract,
    new: &'a Contract,
    side: Side,
    visited: HashSet<(String, String)>,
    out: Vec<Found>,
}

impl Cmp<'_> {
    fn emit(
        &mut self,
        kind: ChangeKind,
        path: &str,
        (a, b): (Option<&Schema>, Option<&Schema>),
        delta: Delta,
        message: String,
    ) {
        self.out.push(Found {
            kind,
            path: path.to_owned(),
            old_pointer: a.map(|s| s.pointer.clone()),
            new_pointer: b.map(|s| s.pointer.clone()),
            breaking: breaking(self.side, delta),
            message,
        });
    }

    fn walk(&mut self, a: &Schema, b: &Schema, path: &str, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        let (old, new) = (self.old, self.new);
        let (va, na, ra) = view(old, a);
        let (vb, nb, rb) = view(new, b);
        if let (Some(x), Some(y)) = (ra, rb)
            && !self.visited.insert((x.to_owned(), y.to_owned()))
        {
            return;
        }
        let both = (Some(a), Some(b));
        let subject = subject(path);
        if !na && nb {
            self.emit(
                ChangeKind::NullableAdded,
                path,
                both,
                Delta::Widened,
                format!("{subject} may be null now"),
            );
        } else if na && !nb {
            self.emit(
                ChangeKind::NullableRemoved,
                path,
                both,
                Delta::Narrowed,
                format!("{subject} may no longer be null"),
            );
        }
        match (&va, &vb) {
            (Shape::Any, Shape::Any)
            | (Shape::Null, Shape::Null)
            | (Shape::Boolean, Shape::Boolean)
            | (Shape::Not, Shape::Not) => {}
            (_, Shape::Any) => self.emit(
                ChangeKind::TypeChanged,
                path,
                both,
                Delta::Widened,
                format!("{subject} may be any value now (was {})", va.describe()),
            ),
            (Shape::Any, _) => self.emit(
                ChangeKind::TypeChanged,
                path,
                both,
                Delta::Narrowed,
                format!("{subject} must be {} now (was any value)", vb.describe()),
            ),
            (Shape::Integer(x), Shape::Integer(y)) => {
                self.integer_format(x.format.as_deref(), y.format.as_deref(), path, both);
                self.enums(strings(&x.enumeration), strings(&y.enumeration), path, both);
                self.bound("minimum", x.minimum, y.minimum, false, path, both);
                self.bound("maximum", x.maximum, y.maximum, true, path, both);
                self.flag(
                    "exclusiveMinimum",
                    x.exclusive_minimum,
                    y.exclusive_minimum,
                    path,
                    both,
                );
                self.flag(
                    "exclusiveMaximum",
                    x.exclusive_maximum,
                    y.exclusive_maximum,
                    path,
                    both,
                );
                self.exact("multipleOf", x.multiple_of, y.multiple_of, path, both);
            }
            (Shape::Number(x), Shape::Number(y)) => {
                self.enums(strings(&x.enumeration), strings(&y.enumeration), path, both);
                self.bound("minimum", x.minimum, y.minimum, false, path, both);
                self.bound("maximum", x.maximum, y.maximum, true, path, both);
                self.flag(
                    "exclusiveMinimum",
                    x.exclusive_minimum,
                    y.exclusive_minimum,
                    path,
                    both,
                );
                self.flag(
                    "exclusiveMaximum",
                    x.exclusive_maximum,
                    y.exclusive_maximum,
                    path,
                    both,
                );
                self.exact("multipleOf", x.multiple_of, y.multiple_of, path, both);
            }
            (Shape::Integer(_), Shape::Number(_)) => self.emit(
                ChangeKind::TypeChanged,
                path,
                both,
                Delta::Widened,
                format!("{subject} changed from integer to number"),
            ),
            (Shape::Number(_), Shape::Integer(_)) => self.emit(
                ChangeKind::TypeChanged,
                path,
                both,
                Delta::Narrowed,
                format!("{subject} changed from number to integer"),
            ),
            (Shape::String(x), Shape::String(y)) => {
                self.enums(x.enumeration.clone(), y.enumeration.clone(), path, both);
                self.bound("minLength", x.min_length, y.min_length, false, path, both);
                self.bound("maxLength", x.max_length, y.max_length, true, path, both);
                self.exact("pattern", x.pattern.clone(), y.pattern.clone(), path, both);
                self.exact("format", x.format.clone(), y.format.clone(), path, both);
            }
            (Shape::Array(x), Shape::Array(y)) => {
                self.bound("minItems", x.min_items, y.min_items, false, path, both);
                self.bound("maxItems", x.max_items, y.max_items, true, path, both);
                self.flag("uniqueItems", x.unique_items, y.unique_items, path, both);
                self.walk(&x.items, &y.items, &format!("{path}[]"), depth + 1);
            }
            (Shape::Object(x), Shape::Object(y)) => self.object(x, y, path, both, depth),
            (Shape::OneOf(x), Shape::OneOf(y)) => self.variants("oneOf", x, y, path, both, depth),
            (Shape::AnyOf(x), Shape::AnyOf(y)) => self.variants("anyOf", x, y, path, both, depth),
            (Shape::AllOf(x), Shape::AllOf(y)) if x.len() == y.len() => {
                for (i, (p, q)) in x.iter().zip(y.iter()).enumerate() {
                    self.walk(p, q, &format!("{path}(allOf {i})"), depth + 1);
                }
            }
            _ => self.emit(
                ChangeKind::TypeChanged,
                path,
                both,
                Delta::Changed,
                format!(
                    "{subject} changed from {} to {}",
                    va.describe(),
                    vb.describe()
                ),
            ),
        }
    }

    fn object(
        &mut self,
        x: &Obj<'_>,
        y: &Obj<'_>,
        path: &str,
        both: (Option<&Schema>, Option<&Schema>),
        depth: usize,
    ) {
        // What the receiver never sees on this side is not part of the comparison.
        let side = self.side;
        let visible = |s: &Schema| match side {
            Side::Request => !s.read_only,
            Side::Response => !s.write_only,
        };
        let old_props: Vec<_> = x.props.iter().filter(|p| visible(p.1)).collect();
        let new_props: Vec<_> = y.props.iter().filter(|p| visible(p.1)).collect();
        let old_closed = matches!(x.additional, Additional::Closed);
        let new_closed = matches!(y.additional, Additional::Closed);
        let (sender, receiver) = match side {
            Side::Request => ("clients", "servers"),
            Side::Response => ("servers", "clients"),
        };
        for (name, a, req_a) in old_props.iter().map(|p| **p) {
            let at = format!("{path}.{name}");
            match new_props.iter().find(|q| q.0 == name) {
                None => {
                    let delta = match (req_a, new_closed) {
                        (true, true) => Delta::Changed,
                        (true, false) => Delta::Widened,
                        (false, true) => Delta::Narrowed,
                        (false, false) => Delta::Neutral,
                    };
                    let why = match (req_a, side) {
                        (true, Side::Response) => {
                            "; clients written against the old contract expect it"
                        }
                        (true, Side::Request) => {
                            "; servers written against the old contract still require it"
                        }
                        _ if new_closed => {
                            "; the object is closed (additionalProperties: false), so senders of the old field are refused"
                        }
                        _ => "",
                    };
                    self.emit(
                        ChangeKind::PropertyRemoved,
                        &at,
                        (Some(a), None),
                        delta,
                        format!(
                            "{} property `{name}` was removed{why}",
                            if req_a { "required" } else { "optional" }
                        ),
                    );
                }
                Some(&&(_, b, req_b)) => {
                    let pair = (Some(a), Some(b));
                    if req_a && !req_b {
                        self.emit(
                            ChangeKind::PropertyMadeOptional,
                            &at,
                            pair,
                            Delta::Widened,
                            format!("property `{name}` became optional"),
                        );
                    } else if !req_a && req_b {
                        self.emit(
                            ChangeKind::PropertyMadeRequired,
                            &at,
                            pair,
                            Delta::Narrowed,
                            format!("property `{name}` became required"),
                        );
                    }
                    self.walk(a, b, &at, depth + 1);
                }
            }
        }
        for (name, b, req_b) in new_props.iter().map(|p| **p) {
            if old_props.iter().any(|p| p.0 == name) {
                continue;
            }
            let at = format!("{path}.{name}");
            let delta = match (req_b, old_closed) {
                (true, true) => Delta::Changed,
                (true, false) => Delta::Narrowed,
                (false, true) => Delta::Widened,
                (false, false) => Delta::Neutral,
            };
            let why = match (req_b, old_closed) {
                (true, true) => format!(
                    "; {sender} written against the old contract do not send it, {receiver} written against it refuse it (additionalProperties: false)"
                ),
                (true, false) => {
                    format!("; {sender} written against the old contract do not send it")
                }
                (false, true) => format!(
                    "; {receiver} written against the old contract refuse it (additionalProperties: false)"
                ),
                (false, false) => String::new(),
            };
            let kind = if req_b {
                ChangeKind::RequiredPropertyAdded
            } else {
                ChangeKind::PropertyAdded
            };
            self.emit(
                kind,
                &at,
                (None, Some(b)),
                delta,
                format!(
                    "{} property `{name}` was added{why}",
                    if req_b { "required" } else { "optional" }
                ),
            );
        }
        let subject = subject(path);
        match (x.additional, y.additional) {
            (Additional::Open, Additional::Open) | (Additional::Closed, Additional::Closed) => {}
            (Additional::Map(p), Additional::Map(q)) => {
                self.walk(p, q, &format!("{path}{{*}}"), depth + 1)
            }
            (a, b) => {
                let rank = |x: Additional<'_>| match x {
                    Additional::Closed => 0,
                    Additional::Map(_) => 1,
                    Additional::Open => 2,
                };
                let describe = |x: Additional<'_>| match x {
                    Additional::Closed => "no other properties",
                    Additional::Map(_) => "other properties of one schema",
                    Additional::Open => "any other properties",
                };
                let delta = if rank(b) > rank(a) {
                    Delta::Widened
                } else {
                    Delta::Narrowed
                };
                self.emit(
                    ChangeKind::AdditionalPropertiesChanged,
                    path,
                    both,
                    delta,
                    format!("{subject} allows {} now (was {})", describe(b), describe(a)),
                );
            }
        }
        self.bound(
            "minProperties",
            x.min_properties,
            y.min_properties,
            false,
            path,
            both,
        );
        self.bound(
            "maxProperties",
            x.max_properties,
            y.max_properties,
            true,
            path,
            both,
        );
    }

    fn variants(
        &mut self,
        keyword: &str,
        x: &[Schema],
        y: &[Schema],
        path: &str,
        both: (Option<&Schema>, Option<&Schema>),
        depth: usize,
    ) {
        // Named variants match by name, inline ones by position among the inline ones.
        let label =
            |s: &Schema, i: usize| s.ref_name().map_or_else(|| format!("#{i}"), str::to_owned);
        let inline_old: Vec<usize> = (0..x.len())
            .filter(|i| x[*i].ref_name().is_none())
            .collect();
        let inline_new: Vec<usize> = (0..y.len())
            .filter(|i| y[*i].ref_name().is_none())
            .collect();
        let mut matched_new = BTreeSet::new();
        for (i, a) in x.iter().enumerate() {
            let j = match a.ref_name() {
                Some(name) => y.iter().position(|b| b.ref_name() == Some(name)),
                None => inline_old
                    .iter()
                    .position(|k| *k == i)
                    .and_then(|n| inline_new.get(n).copied()),
            };
            match j {
                Some(j) => {
                    matched_new.insert(j);
                    self.walk(
                        a,
                        &y[j],
                        &format!("{path}({keyword} {})", label(a, i)),
                        depth + 1,
                    );
                }
                None => self.emit(
                    ChangeKind::VariantRemoved,
                    path,
                    (Some(a), both.1),
                    Delta::Narrowed,
                    format!("{keyword} variant {} was removed", label(a, i)),
                ),
            }
        }
        for (j, b) in y.iter().enumerate() {
            if !matched_new.contains(&j) {
                self.emit(
                    ChangeKind::VariantAdded,
                    path,
                    (both.0, Some(b)),
                    Delta::Widened,
                    format!("{keyword} variant {} was added", label(b, j)),
                );
            }
        }
    }

    fn enums(
        &mut self,
        a: Vec<String>,
        b: Vec<String>,
        path: &str,
        both: (Option<&Schema>, Option<&Schema>),
    ) {
        let subject = subject(path);
        match (a.is_empty(), b.is_empty()) {
            (true, true) => {}
            (true, false) => self.emit(
                ChangeKind::ConstraintChanged,
                path,
                both,
                Delta::Narrowed,
                format!("{subject} is restricted to {} now", list(&b)),
            ),
            (false, true) => self.emit(
                ChangeKind::ConstraintChanged,
                path,
                both,
                Delta::Widened,
                format!("{subject} is no longer restricted to {}", list(&a)),
            ),
            (false, false) => {
                let removed: Vec<String> = a.iter().filter(|v| !b.contains(v)).cloned().collect();
                let added: Vec<String> = b.iter().filter(|v| !a.contains(v)).cloned().collect();
                if !removed.is_empty() {
                    let why = match self.side {
                        Side::Request => "; clients sending it are refused",
                        Side::Response => {
                            "; servers written against the old contract still send it"
                        }
                    };
                    self.emit(
                        ChangeKind::EnumValueRemoved,
                        path,
                        both,
                        Delta::Narrowed,
                        format!("{subject} lost enum value(s) {}{why}", list(&removed)),
                    );
                }
                if !added.is_empty() {
                    let why = match self.side {
                        Side::Request => "; servers written against the old contract refuse it",
                        Side::Response => "; clients that match exhaustively do not expect it",
                    };
                    self.emit(
                        ChangeKind::EnumValueAdded,
                        path,
                        both,
                        Delta::Widened,
                        format!("{subject} gained enum value(s) {}{why}", list(&added)),
                    );
                }
            }
        }
    }

    /// A lower (`upper: false`) or upper bound.
    fn bound<T: PartialOrd + Display + Copy>(
        &mut self,
        keyword: &str,
        a: Option<T>,
        b: Option<T>,
        upper: bool,
        path: &str,
        both: (Option<&Schema>, Option<&Schema>),
    ) {
        let subject = subject(path);
        let (delta, message) = match (a, b) {
            (None, None) => return,
            (Some(x), Some(y)) if x == y => return,
            (Some(x), None) => (
                Delta::Widened,
                format!("{subject}: `{keyword}: {x}` was removed"),
            ),
            (None, Some(y)) => (
                Delta::Narrowed,
                format!("{subject}: `{keyword}: {y}` was added"),
            ),
            (Some(x), Some(y)) => {
                let tighter = if upper { y < x } else { y > x };
                (
                    if tighter {
                        Delta::Narrowed
                    } else {
                        Delta::Widened
                    },
                    format!("{subject}: `{keyword}` changed from {x} to {y}"),
                )
            }
        };
        self.emit(ChangeKind::ConstraintChanged, path, both, delta, message);
    }

    /// A boolean keyword that restricts values when true.
    fn flag(
        &mut self,
        keyword: &str,
        a: bool,
        b: bool,
        path: &str,
        both: (Option<&Schema>, Option<&Schema>),
    ) {
        if a == b {
            return;
        }
        let subject = subject(path);
        let delta = if b { Delta::Narrowed } else { Delta::Widened };
        self.emit(
            ChangeKind::ConstraintChanged,
            path,
            both,
            delta,
            format!("{subject}: `{keyword}` changed from {a} to {b}"),
        );
    }

    /// A keyword any change of which is a different set of values.
    fn exact<T: PartialEq + std::fmt::Debug>(
        &mut self,
        keyword: &str,
        a: Option<T>,
        b: Option<T>,
        path: &str,
        both: (Option<&Schema>, Option<&Schema>),
    ) {
        let subject = subject(path);
        let (delta, message) = match (&a, &b) {
            (x, y) if x == y => return,
            (Some(x), None) => (
                Delta::Widened,
                format!("{subject}: `{keyword}: {x:?}` was removed"),
            ),
            (None, Some(y)) => (
                Delta::Narrowed,
                format!("{subject}: `{keyword}: {y:?}` was added"),
            ),
            (Some(x), Some(y)) => (
                Delta::Changed,
                format!("{subject}: `{keyword}` changed from {x:?} to {y:?}"),
            ),
            (None, None) => return,
        };
        self.emit(ChangeKind::ConstraintChanged, path, both, delta, message);
    }

    /// `int32` → `int64` widens, the reverse narrows; other format changes are changes.
    fn integer_format(
        &mut self,
        a: Option<&str>,
        b: Option<&str>,
        path: &str,
        both: (Option<&Schema>, Option<&Schema>),
    ) {
        let width = |f: Option<&str>| match f {
            Some("int32") => Some(32),
            Some("int64") => Some(64),
            None => Some(65),
            _ => None,
        };
        match (width(a), width(b)) {
            (Some(x), Some(y)) if x != y => {
                let subject = subject(path);
                let delta = if y > x {
                    Delta::Widened
                } else {
                    Delta::Narrowed
                };
                let name = |f: Option<&str>| f.unwrap_or("no format").to_owned();
                self.emit(
                    ChangeKind::ConstraintChanged,
                    path,
                    both,
                    delta,
                    format!(
                        "{subject}: integer format changed from {} to {}",
                        name(a),
                        name(b)
                    ),
                );
            }
            (Some(_), Some(_)) => {}
            _ => self.exact("format", a, b, path, both),
        }
    }
}

fn strings<T: ToString>(values: &[T]) -> Vec<String> {
    values.iter().map(ToString::to_string).collect()
}

fn list(values: &[String]) -> String {
    values
        .iter()
        .map(|v| format!("`{v}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// How messages name the value at `path`.
fn subject(path: &str) -> String {
    if path.is_empty() {
        "the value".to_owned()
    } else {
        format!("`{}`", path.trim_start_matches('.'))
    }
}
