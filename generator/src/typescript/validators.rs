//! Schemas → run-time validator functions in plain JavaScript (no ajv, no zod).
//!
//! Why generated code rather than a schema interpreter: each check is a few lines a
//! bundler can drop when unused (one function per component schema), there is nothing
//! to download at run time, and the checks read like the schema they come from. Every
//! problem names its JSON path (`$.data.accessToken: …`). Response checks skip
//! `writeOnly` properties; string enums are checked strictly by `validateX`, while the
//! client, by default, lets a value the server added later through (the types allow it).

use std::fmt::Write as _;

use crate::model::{AdditionalProperties, Contract, Schema, SchemaKind};

use super::text::{path_suffix, string};
use super::types::{Direction, TypeNames, keeps};

/// Writes validator code; `check_name` maps a component to its `check…` function.
pub struct Emitter<'a> {
    contract: &'a Contract,
    names: &'a TypeNames<'a>,
    counter: usize,
    /// How code reaches the helpers and `check…` functions: `""` inside
    /// `validators.js`, `"v."` in `client.js` (which imports it as `v`).
    scope: &'static str,
}

impl<'a> Emitter<'a> {
    /// An emitter for `contract`.
    pub fn new(contract: &'a Contract, names: &'a TypeNames<'a>) -> Self {
        Self {
            contract,
            names,
            counter: 0,
            scope: "",
        }
    }

    /// An emitter for inline checks written outside `validators.js`, which reach its
    /// helpers and `check…` functions through `import * as v`.
    pub fn imported_as_v(contract: &'a Contract, names: &'a TypeNames<'a>) -> Self {
        Self {
            scope: "v.",
            ..Self::new(contract, names)
        }
    }

    /// A call-able reference to the `check…` function of component `wire`.
    fn check_ref(&self, wire: &str) -> String {
        format!("{}{}", self.scope, self.check_name(wire))
    }

    /// The `check…` function name of component `wire`.
    pub fn check_name(&self, wire: &str) -> String {
        format!("check{}", self.names.name(wire, Direction::Response))
    }

    fn fresh(&mut self, stem: &str) -> String {
        self.counter += 1;
        format!("{stem}{}", self.counter)
    }

    /// Statements checking value `v` (an identifier) at path expression `p`.
    pub fn check(&mut self, s: &Schema, v: &str, p: &str, ind: usize, out: &mut String) {
        let pad = " ".repeat(ind);
        if s.nullable && !matches!(s.kind, SchemaKind::Null | SchemaKind::Any) {
            let _ = writeln!(out, "{pad}if ({v} !== null) {{");
            self.check_kind(s, v, p, ind + 2, out);
            let _ = writeln!(out, "{pad}}}");
        } else {
            self.check_kind(s, v, p, ind, out);
        }
    }

    fn check_kind(&mut self, s: &Schema, v: &str, p: &str, ind: usize, out: &mut String) {
        let pad = " ".repeat(ind);
        let problem =
            |msg: &str| format!("c.problems.push({p} + {});", string(&format!(": {msg}")));
        match &s.kind {
            SchemaKind::Ref(name) => {
                let _ = writeln!(out, "{pad}{}({v}, {p}, c);", self.check_ref(name));
            }
            SchemaKind::Any => {}
            SchemaKind::Not(inner) => {
                let sub = self.fresh("sub");
                let _ = writeln!(
                    out,
                    "{pad}const {sub} = {{ problems: [], strictEnums: c.strictEnums }};"
                );
                let _ = writeln!(out, "{pad}((c) => {{");
                self.check(inner, v, p, ind + 2, out);
                let _ = writeln!(out, "{pad}}})({sub});");
                let _ = writeln!(
                    out,
                    "{pad}if ({sub}.problems.length === 0) {}",
                    problem("must not match the `not` schema")
                );
            }
            SchemaKind::Null => {
                let _ = writeln!(out, "{pad}if ({v} !== null) {}", problem("expected null"));
            }
            SchemaKind::Boolean => {
                let _ = writeln!(
                    out,
                    "{pad}if (typeof {v} !== \"boolean\") {}",
                    problem("expected a boolean")
                );
            }
            SchemaKind::Integer(i) => {
                let _ = writeln!(
                    out,
                    "{pad}if (typeof {v} !== \"number\" || !Number.isInteger({v})) {} else {{",
                    problem("expected an integer")
                );
                let inner = " ".repeat(ind + 2);
                bounds(
                    out,
                    &inner,
                    v,
                    &problem,
                    i.minimum.map(|m| m.to_string()),
                    i.exclusive_minimum,
                    i.maximum.map(|m| m.to_string()),
                    i.exclusive_maximum,
                );
                if let Some(m) = i.multiple_of.filter(|m| *m != 0) {
                    let _ = writeln!(
                        out,
                        "{inner}if ({v} % {m} !== 0) {}",
                        problem(&format!("must be a multiple of {m}"))
                    );
                }
                if !i.enumeration.is_empty() {
                    let list: Vec<String> = i.enumeration.iter().map(|e| e.to_string()).collect();
                    let _ = writeln!(
                        out,
                        "{inner}if (![{}].includes({v})) {}",
                        list.join(", "),
                        problem(&format!("expected one of {}", list.join(", ")))
                    );
                }
                let _ = writeln!(out, "{pad}}}");
            }
            SchemaKind::Number(n) => {
                let _ = writeln!(
                    out,
                    "{pad}if (typeof {v} !== \"number\" || !Number.isFinite({v})) {} else {{",
                    problem("expected a number")
                );
                let inner = " ".repeat(ind + 2);
                bounds(
                    out,
                    &inner,
                    v,
                    &problem,
                    n.minimum.map(num),
                    n.exclusive_minimum,
                    n.maximum.map(num),
                    n.exclusive_maximum,
                );
                if !n.enumeration.is_empty() {
                    let list: Vec<String> = n.enumeration.iter().map(|e| num(*e)).collect();
                    let _ = writeln!(
                        out,
                        "{inner}if (![{}].includes({v})) {}",
                        list.join(", "),
                        problem(&format!("expected one of {}", list.join(", ")))
                    );
                }
                let _ = writeln!(out, "{pad}}}");
            }
            SchemaKind::String(st) => {
                let _ = writeln!(
                    out,
                    "{pad}if (typeof {v} !== \"string\") {} else {{",
                    problem("expected a string")
                );
                let inner = " ".repeat(ind + 2);
                if st.min_length.is_some() || st.max_length.is_some() {
                    let len = self.fresh("len");
                    let _ = writeln!(out, "{inner}const {len} = [...{v}].length;");
                    if let Some(m) = st.min_length {
                        let _ = writeln!(
                            out,
                            "{inner}if ({len} < {m}) {}",
                            problem(&format!("shorter than {m} characters"))
                        );
                    }
                    if let Some(m) = st.max_length {
                        let _ = writeln!(
                            out,
                            "{inner}if ({len} > {m}) {}",
                            problem(&format!("longer than {m} characters"))
                        );
                    }
                }
                if let Some(pattern) = &st.pattern {
                    let _ = writeln!(
                        out,
                        "{inner}if (!{}matches({}, {v})) {}",
                        self.scope,
                        string(pattern),
                        problem(&format!("does not match the pattern {pattern}"))
                    );
                }
                if !st.enumeration.is_empty() {
                    let list: Vec<String> = st.enumeration.iter().map(|e| string(e)).collect();
                    let _ = writeln!(
                        out,
                        "{inner}if (c.strictEnums && ![{}].includes({v})) {}",
                        list.join(", "),
                        problem(&format!("expected one of {}", st.enumeration.join(", ")))
                    );
                }
                let _ = writeln!(out, "{pad}}}");
            }
            SchemaKind::Array(a) => {
                let guard = if s.type_implied {
                    format!("if (Array.isArray({v})) {{")
                } else {
                    format!(
                        "if (!Array.isArray({v})) {} else {{",
                        problem("expected an array")
                    )
                };
                let _ = writeln!(out, "{pad}{guard}");
                let inner = " ".repeat(ind + 2);
                if let Some(m) = a.min_items {
                    let _ = writeln!(
                        out,
                        "{inner}if ({v}.length < {m}) {}",
                        problem(&format!("fewer than {m} items"))
                    );
                }
                if let Some(m) = a.max_items {
                    let _ = writeln!(
                        out,
                        "{inner}if ({v}.length > {m}) {}",
                        problem(&format!("more than {m} items"))
                    );
                }
                if a.unique_items {
                    let _ = writeln!(
                        out,
                        "{inner}if (new Set({v}.map((x) => JSON.stringify(x))).size !== {v}.length) {}",
                        problem("items are not unique")
                    );
                }
                if !matches!(a.items.kind, SchemaKind::Any) || a.items.nullable {
                    let i = self.fresh("i");
                    let item = self.fresh("item");
                    let _ = writeln!(out, "{inner}for (let {i} = 0; {i} < {v}.length; {i}++) {{");
                    let _ = writeln!(out, "{inner}  const {item} = {v}[{i}];");
                    self.check(
                        &a.items,
                        &item,
                        &format!("{p} + \"[\" + {i} + \"]\""),
                        ind + 4,
                        out,
                    );
                    let _ = writeln!(out, "{inner}}}");
                }
                let _ = writeln!(out, "{pad}}}");
            }
            SchemaKind::Object(o) => {
                let guard = if s.type_implied {
                    format!("if ({}isObject({v})) {{", self.scope)
                } else {
                    format!(
                        "if (!{}isObject({v})) {} else {{",
                        self.scope,
                        problem("expected an object")
                    )
                };
                let _ = writeln!(out, "{pad}{guard}");
                let inner = " ".repeat(ind + 2);
                for prop in &o.properties {
                    let sub = format!("{p} + {}", path_suffix(&prop.name));
                    let k = string(&prop.name);
                    if prop.required && keeps(prop, Direction::Response) {
                        let _ = writeln!(
                            out,
                            "{inner}if (!Object.hasOwn({v}, {k})) c.problems.push({sub} + \": required property is missing\");"
                        );
                    }
                    if matches!(prop.schema.kind, SchemaKind::Any) && !prop.schema.nullable {
                        continue;
                    }
                    let val = self.fresh("p");
                    let _ = writeln!(out, "{inner}if (Object.hasOwn({v}, {k})) {{");
                    let _ = writeln!(out, "{inner}  const {val} = {v}[{k}];");
                    self.check(&prop.schema, &val, &sub, ind + 4, out);
                    let _ = writeln!(out, "{inner}}}");
                }
                for name in &o.required_elsewhere {
                    let _ = writeln!(
                        out,
                        "{inner}if (!Object.hasOwn({v}, {})) c.problems.push({p} + {} + \": required property is missing\");",
                        string(name),
                        path_suffix(name)
                    );
                }
                if let Some(m) = o.min_properties {
                    let _ = writeln!(
                        out,
                        "{inner}if (Object.keys({v}).length < {m}) {}",
                        problem(&format!("fewer than {m} properties"))
                    );
                }
                if let Some(m) = o.max_properties {
                    let _ = writeln!(
                        out,
                        "{inner}if (Object.keys({v}).length > {m}) {}",
                        problem(&format!("more than {m} properties"))
                    );
                }
                let known: Vec<String> = o.properties.iter().map(|p| string(&p.name)).collect();
                match &o.additional {
                    AdditionalProperties::Forbidden => {
                        let k = self.fresh("k");
                        let _ = writeln!(out, "{inner}for (const {k} of Object.keys({v})) {{");
                        let _ = writeln!(
                            out,
                            "{inner}  if (![{}].includes({k})) c.problems.push({p} + \"[\" + JSON.stringify({k}) + \"]: unexpected property\");",
                            known.join(", ")
                        );
                        let _ = writeln!(out, "{inner}}}");
                    }
                    AdditionalProperties::Schema(extra) => {
                        let k = self.fresh("k");
                        let val = self.fresh("x");
                        let _ = writeln!(out, "{inner}for (const {k} of Object.keys({v})) {{");
                        let _ = writeln!(
                            out,
                            "{inner}  if ([{}].includes({k})) continue;",
                            known.join(", ")
                        );
                        let _ = writeln!(out, "{inner}  const {val} = {v}[{k}];");
                        self.check(
                            extra,
                            &val,
                            &format!("{p} + \"[\" + JSON.stringify({k}) + \"]\""),
                            ind + 4,
                            out,
                        );
                        let _ = writeln!(out, "{inner}}}");
                    }
                    _ => {}
                }
                let _ = writeln!(out, "{pad}}}");
            }
            SchemaKind::AllOf(parts) => {
                for part in parts {
                    self.check(part, v, p, ind, out);
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
                let one = matches!(s.kind, SchemaKind::OneOf { .. });
                let all_refs = variants.iter().all(|x| x.ref_name().is_some());
                if let (Some(d), true) = (discriminator, all_refs) {
                    let tag = self.fresh("tag");
                    let _ = writeln!(
                        out,
                        "{pad}if (!{}isObject({v})) {} else {{",
                        self.scope,
                        problem("expected an object")
                    );
                    let _ = writeln!(out, "{pad}  const {tag} = {v}[{}];", string(&d.property));
                    let _ = writeln!(out, "{pad}  switch ({tag}) {{");
                    for x in variants {
                        let target = x.ref_name().unwrap_or_default();
                        for t in d.tags_for(target) {
                            let _ = writeln!(out, "{pad}    case {}:", string(&t));
                        }
                        let _ =
                            writeln!(out, "{pad}      {}({v}, {p}, c);", self.check_ref(target));
                        let _ = writeln!(out, "{pad}      break;");
                    }
                    let _ = writeln!(out, "{pad}    default:");
                    let _ = writeln!(
                        out,
                        "{pad}      c.problems.push({p} + {} + \": unknown discriminator value \" + JSON.stringify({tag}));",
                        path_suffix(&d.property)
                    );
                    let _ = writeln!(out, "{pad}  }}");
                    let _ = writeln!(out, "{pad}}}");
                    return;
                }
                let passed = self.fresh("passed");
                let _ = writeln!(out, "{pad}let {passed} = 0;");
                for x in variants {
                    let sub = self.fresh("sub");
                    let _ = writeln!(out, "{pad}{{");
                    let _ = writeln!(
                        out,
                        "{pad}  const {sub} = {{ problems: [], strictEnums: c.strictEnums }};"
                    );
                    let _ = writeln!(out, "{pad}  ((c) => {{");
                    self.check(x, v, p, ind + 4, out);
                    let _ = writeln!(out, "{pad}  }})({sub});");
                    let _ = writeln!(out, "{pad}  if ({sub}.problems.length === 0) {passed}++;");
                    let _ = writeln!(out, "{pad}}}");
                }
                if one {
                    let _ = writeln!(
                        out,
                        "{pad}if ({passed} !== 1) c.problems.push({p} + \": matches \" + {passed} + \" of the {} oneOf variants, not exactly one\");",
                        variants.len()
                    );
                } else {
                    let _ = writeln!(
                        out,
                        "{pad}if ({passed} === 0) {}",
                        problem("matches none of the anyOf variants")
                    );
                }
            }
        }
    }

    /// `validators.js`: the check functions, and `validateX` / `isX` per component.
    pub fn module(&mut self) -> String {
        let mut out = String::from(HELPERS);
        for wire in &self.names.emitted {
            let schema = &self.contract.schemas[wire];
            let ts = self.names.name(wire, Direction::Response);
            let _ = writeln!(
                out,
                "\n/** Checks a `{ts}` value; problems go to `c.problems`. @internal */"
            );
            let _ = writeln!(out, "export function check{ts}(v, p, c) {{");
            let mut body = String::new();
            self.check(schema, "v", "p", 2, &mut body);
            out.push_str(&body);
            out.push_str("}\n");
            let _ = writeln!(
                out,
                "\n/** The problems of `value` as a `{ts}`, each with its JSON path; empty when it is one. */"
            );
            let _ = writeln!(out, "export function validate{ts}(value, options) {{");
            let _ = writeln!(
                out,
                "  const c = {{ problems: [], strictEnums: options?.strictEnums ?? true }};"
            );
            let _ = writeln!(out, "  check{ts}(value, \"$\", c);");
            let _ = writeln!(out, "  return c.problems;");
            let _ = writeln!(out, "}}");
            let _ = writeln!(out, "\n/** True when `value` is a valid `{ts}`. */");
            let _ = writeln!(out, "export function is{ts}(value) {{");
            let _ = writeln!(out, "  return validate{ts}(value).length === 0;");
            let _ = writeln!(out, "}}");
        }
        out
    }

    /// `validators.d.ts`.
    pub fn declarations(&self) -> String {
        let mut out = String::from(
            "import type * as T from \"./types.js\";\n\n/** Options of the `validate…` functions. */\nexport interface ValidateOptions {\n  /** Report string values outside a documented enum (default `true`). */\n  strictEnums?: boolean;\n}\n",
        );
        for wire in &self.names.emitted {
            let ts = self.names.name(wire, Direction::Response);
            let _ = writeln!(
                out,
                "\n/** The problems of `value` as a `{ts}`, each with its JSON path; empty when it is one. */"
            );
            let _ = writeln!(
                out,
                "export declare function validate{ts}(value: unknown, options?: ValidateOptions): string[];"
            );
            let _ = writeln!(out, "/** True when `value` is a valid `{ts}`. */");
            let _ = writeln!(
                out,
                "export declare function is{ts}(value: unknown): value is T.{ts};"
            );
        }
        out
    }
}

#[allow(clippy::too_many_arguments)]
fn bounds(
    out: &mut String,
    pad: &str,
    v: &str,
    problem: &dyn Fn(&str) -> String,
    min: Option<String>,
    exclusive_min: bool,
    max: Option<String>,
    exclusive_max: bool,
) {
    if let Some(m) = min {
        let (op, word) = if exclusive_min {
            ("<=", "greater than")
        } else {
            ("<", "at least")
        };
        let _ = writeln!(
            out,
            "{pad}if ({v} {op} {m}) {}",
            problem(&format!("must be {word} {m}"))
        );
    }
    if let Some(m) = max {
        let (op, word) = if exclusive_max {
            (">=", "less than")
        } else {
            (">", "at most")
        };
        let _ = writeln!(
            out,
            "{pad}if ({v} {op} {m}) {}",
            problem(&format!("must be {word} {m}"))
        );
    }
}

fn num(n: f64) -> String {
    if n.is_finite() {
        format!("{n}")
    } else {
        "0".to_owned()
    }
}

const HELPERS: &str = r#"// Run-time checks of response bodies, generated from the spec. No dependencies.

/** @internal */
export function isObject(v) {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

const patterns = new Map();

/** Tests an ECMA 262 pattern with the `u` flag; a pattern JavaScript rejects is not checked. @internal */
export function matches(pattern, value) {
  let re = patterns.get(pattern);
  if (re === undefined) {
    try {
      re = new RegExp(pattern, "u");
    } catch {
      re = null;
    }
    patterns.set(pattern, re);
  }
  return re === null || re.test(value);
}
"#;
