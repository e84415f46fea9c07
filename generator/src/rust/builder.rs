//! The client's request builders: how a call of an operation reads.
//!
//! Why builders: a method taking every parameter positionally reads
//! `issues_list_for_repo("o", "r", None, None, …)` on real APIs, and nothing at the call
//! site says which `None` is which. So the client method takes the required inputs (path
//! parameters, then required query, header and cookie parameters, then a required body:
//! the compiler checks them) and returns a builder with one setter per optional input,
//! named after it; the builder sends by `.await` (`IntoFuture`) or `send()`.
//!
//! Everything here is laid out as prettyplease prints it when the lines are short enough
//! (the chunk then skips formatting; debug builds check it).

use serde_json::Value;

use super::doc::{doc_comment, lit, push_paragraph};
use super::operations::{OpPlan, ParamPlan};
use super::types::{Ty, TypeDef, TypeDefKind};

/// prettyplease's margin: the longest line it prints without breaking it.
pub(super) const MARGIN: usize = 89;

/// How one input of an operation is held by its builder.
struct Input {
    /// The field, named as the parameter (`per_page`) or `body`.
    name: String,
    /// The local `send` reads it into (the field's name unless that is taken there).
    local: String,
    /// The field's type.
    field_ty: String,
    /// Required: the client method's argument (of the field's type). Optional: the
    /// setter's argument type and the expression storing it.
    setter: Option<(String, String)>,
    /// The setter's doc lines (optional inputs).
    doc: Vec<String>,
    /// The send code does not read it (a path parameter the path does not name).
    unused: bool,
}

/// The inputs of `op` as its builder holds them: parameters in plan order, then the body.
fn inputs(op: &OpPlan, used_path: &[String]) -> Vec<Input> {
    let mut out: Vec<Input> = op
        .params
        .iter()
        .map(|p| {
            let unused = p.location == "path" && !used_path.contains(&p.rust);
            if p.required {
                return Input {
                    name: p.field.clone(),
                    local: p.rust.clone(),
                    field_ty: borrowed(&p.ty),
                    setter: None,
                    doc: Vec::new(),
                    unused,
                };
            }
            let inner = match &p.ty {
                Ty::Option(inner) => (**inner).clone(),
                other => other.clone(),
            };
            let setter = match &inner {
                Ty::String => (
                    "impl Into<String>".to_owned(),
                    format!("Some({}.into())", p.field),
                ),
                other => (other.to_string(), format!("Some({})", p.field)),
            };
            Input {
                name: p.field.clone(),
                local: p.rust.clone(),
                field_ty: Ty::Option(Box::new(inner)).to_string(),
                setter: Some(setter),
                doc: setter_doc(p),
                unused,
            }
        })
        .collect();
    if let Some(b) = &op.body {
        let ty = format!("&'a {}", b.ty);
        let doc = vec![format!("The request body (`{}`).", b.media_type)];
        out.push(if b.required {
            Input {
                name: "body".to_owned(),
                local: "body".to_owned(),
                field_ty: ty,
                setter: None,
                doc,
                unused: false,
            }
        } else {
            Input {
                name: "body".to_owned(),
                local: "body".to_owned(),
                field_ty: format!("Option<{ty}>"),
                setter: Some((ty, "Some(body)".to_owned())),
                doc,
                unused: false,
            }
        });
    }
    out
}

/// The type a builder holds a required parameter as: strings and structured values by
/// reference (the caller keeps them), everything else by value.
fn borrowed(ty: &Ty) -> String {
    let by_ref = |ty: &Ty| matches!(ty, Ty::Named(_) | Ty::Vec(_) | Ty::Map(_) | Ty::Json);
    match ty {
        Ty::String => "&'a str".to_owned(),
        Ty::Option(inner) if **inner == Ty::String => "Option<&'a str>".to_owned(),
        Ty::Option(inner) if by_ref(inner) => format!("Option<&'a {inner}>"),
        other if by_ref(other) => format!("&'a {other}"),
        other => other.to_string(),
    }
}

/// A setter's doc: the parameter's description, where it goes and its default.
fn setter_doc(p: &ParamPlan) -> Vec<String> {
    let mut doc = p.doc.clone();
    let mut note = format!(
        "The {} parameter `{}`",
        p.location,
        p.wire.replace('`', "'")
    );
    match &p.default {
        Some(value) => note.push_str(&format!(
            "; when not set, the server's default applies: `{}`.",
            serde_json::to_string(value)
                .unwrap_or_default()
                .replace('`', "'")
        )),
        None => note.push('.'),
    }
    push_paragraph(&mut doc, &note);
    if p.deprecated {
        push_paragraph(&mut doc, "**Deprecated** in the contract.");
    }
    doc
}

/// What a builder chunk is made of, besides the operation.
pub(super) struct BuilderParts<'a> {
    /// The client method's doc lines (the example is added here).
    pub method_doc: Vec<String>,
    /// `send`'s doc lines.
    pub send_doc: Vec<String>,
    /// `send`'s statements after the destructuring, at 8 columns.
    pub send_body: Vec<String>,
    /// The statements are as prettyplease prints them.
    pub send_laid_out: bool,
    /// Path parameters the path names (the others are not read).
    pub used_path: Vec<String>,
    /// `T` of `ResponseValue<T>`.
    pub success_ty: String,
    /// The crate's name as a path (`auth_api`), for the doc example.
    pub crate_ident: &'a str,
    /// Type definitions, for example values of enums.
    pub defs: &'a [&'a TypeDef],
}

/// The chunk of one operation in `client.rs`: its `impl Client` method, its builder
/// struct, setters and `send`, and `IntoFuture`; and whether it is laid out.
pub(super) fn chunk(op: &OpPlan, parts: BuilderParts<'_>) -> (Vec<String>, bool) {
    let inputs = inputs(op, &parts.used_path);
    let builder = &op.builder;
    let required: Vec<&Input> = inputs.iter().filter(|i| i.setter.is_none()).collect();
    let refs = required.iter().any(|i| i.field_ty.contains("'a"));
    let mut lines = Vec::new();

    // The client method.
    lines.push("impl Client {".to_owned());
    let mut doc = parts.method_doc.clone();
    push_paragraph(
        &mut doc,
        &format!(
            "Returns the request builder [`{builder}`]: {}`.await` it (or call [`{builder}::send`]).",
            if inputs.iter().any(|i| i.setter.is_some()) {
                "set the optional inputs you need, then "
            } else {
                ""
            }
        ),
    );
    doc.push(String::new());
    doc.extend(example(op, &parts));
    lines.extend(doc_comment(&doc).into_iter().map(|l| format!("    {l}")));
    let (generic, receiver, lifetime) = if refs {
        ("<'a>", "&'a self", "'a")
    } else {
        ("", "&self", "'_")
    };
    let mut args = vec![receiver.to_owned()];
    args.extend(
        required
            .iter()
            .map(|i| format!("{}: {}", i.name, i.field_ty)),
    );
    let returns = format!("-> {builder}<{lifetime}> {{");
    let head = format!("    pub fn {}{generic}(", op.fn_name);
    let one_line = format!("{head}{}) {returns}", args.join(", "));
    if one_line.chars().count() <= MARGIN {
        lines.push(one_line);
    } else {
        lines.push(head);
        lines.extend(args.iter().map(|a| format!("        {a},")));
        lines.push(format!("    ) {returns}"));
    }
    let mut fields = vec!["client: self".to_owned()];
    fields.extend(inputs.iter().map(|i| match i.setter {
        None => i.name.clone(),
        Some(_) => format!("{}: None", i.name),
    }));
    lines.extend(braced(8, ("", builder), &fields, "", Some(35)));
    lines.extend(["    }".to_owned(), "}".to_owned()]);

    // The builder.
    lines.extend(doc_comment(&[format!(
        "A request of `{}` (`{} {}`), built by [`Client::{}`]: `.await` it or call [`{builder}::send`].",
        op.id, op.method, op.path, op.fn_name
    )]));
    // Debug only: Clone on 1,223 builders cost GitHub's crate 5 % more `cargo check`.
    lines.push("#[derive(Debug)]".to_owned());
    lines.push("#[must_use = \"a request does nothing until it is awaited or sent\"]".to_owned());
    lines.push(format!("pub struct {builder}<'a> {{"));
    lines.push("    client: &'a Client,".to_owned());
    lines.extend(
        inputs
            .iter()
            .map(|i| format!("    {}: {},", i.name, i.field_ty)),
    );
    lines.push("}".to_owned());

    let borrows = inputs
        .iter()
        .any(|i| i.setter.as_ref().is_some_and(|(ty, _)| ty.contains("'a")));
    lines.push(if borrows {
        format!("impl<'a> {builder}<'a> {{")
    } else {
        format!("impl {builder}<'_> {{")
    });
    for i in &inputs {
        let Some((ty, store)) = &i.setter else {
            continue;
        };
        lines.extend(doc_comment(&i.doc).into_iter().map(|l| format!("    {l}")));
        let one_line = format!(
            "    pub fn {}(mut self, {}: {ty}) -> Self {{",
            i.name, i.name
        );
        if one_line.chars().count() <= MARGIN {
            lines.push(one_line);
        } else {
            lines.push(format!("    pub fn {}(", i.name));
            lines.push("        mut self,".to_owned());
            lines.push(format!("        {}: {ty},", i.name));
            lines.push("    ) -> Self {".to_owned());
        }
        lines.push(format!("        self.{} = {store};", i.name));
        lines.extend(["        self".to_owned(), "    }".to_owned()]);
    }
    lines.extend(
        doc_comment(&parts.send_doc)
            .into_iter()
            .map(|l| format!("    {l}")),
    );
    let output = format!(
        "Result<ResponseValue<{}>, Error<{}>>",
        parts.success_ty, op.error_enum
    );
    let one_line = format!("    pub async fn send(self) -> {output} {{");
    if one_line.chars().count() <= MARGIN {
        lines.push(one_line);
    } else {
        lines.push("    pub async fn send(".to_owned());
        lines.push("        self,".to_owned());
        let closing = format!("    ) -> {output} {{");
        if closing.chars().count() <= MARGIN {
            lines.push(closing);
        } else {
            lines.extend([
                "    ) -> Result<".to_owned(),
                format!("        ResponseValue<{}>,", parts.success_ty),
                format!("        Error<{}>,", op.error_enum),
                "    > {".to_owned(),
            ]);
        }
    }
    let mut bound = vec!["client".to_owned()];
    bound.extend(inputs.iter().map(|i| match (i.unused, i.name == i.local) {
        (true, _) => format!("{}: _", i.name),
        (false, true) => i.name.clone(),
        (false, false) => format!("{}: {}", i.name, i.local),
    }));
    lines.extend(braced(8, ("let ", "Self"), &bound, " = self;", None));
    lines.extend(parts.send_body.iter().cloned());
    lines.extend(["    }".to_owned(), "}".to_owned()]);

    // `.await`.
    let head = format!("impl<'a> std::future::IntoFuture for {builder}<'a> {{");
    if head.chars().count() <= MARGIN {
        lines.push(head);
    } else {
        lines.push("impl<'a> std::future::IntoFuture".to_owned());
        lines.push(format!("for {builder}<'a> {{"));
    }
    let value = format!("ResponseValue<{}>", parts.success_ty);
    let error = format!("Error<{}>", op.error_enum);
    lines.extend(type_alias("Output", "Result", &[&value, &error]));
    lines.extend(type_alias(
        "IntoFuture",
        "ResponseFuture",
        &["'a", &parts.success_ty, &op.error_enum],
    ));
    lines.push("    fn into_future(self) -> Self::IntoFuture {".to_owned());
    lines.push("        Box::pin(self.send())".to_owned());
    lines.extend(["    }".to_owned(), "}".to_owned()]);

    // Past the margin, prettyplease keeps only what follows `let … = ` and the comma of a
    // match arm (the statements were checked as they were laid out).
    let laid_out = parts.send_laid_out
        && lines
            .iter()
            .filter(|l| !l.trim_start().starts_with("///"))
            .all(|l| {
                let kept = if l.contains(" => ") {
                    l.trim_end_matches(',')
                } else {
                    l.strip_suffix("self;").unwrap_or(l)
                };
                kept.chars().count() <= MARGIN
            });
    (lines, laid_out)
}

/// `type {name} = {path}<args>;` in an impl: on one line when it fits, else one argument
/// per line, as prettyplease prints it.
fn type_alias(name: &str, path: &str, args: &[&str]) -> Vec<String> {
    let one_line = format!("    type {name} = {path}<{}>;", args.join(", "));
    if one_line.chars().count() <= MARGIN {
        return vec![one_line];
    }
    let mut lines = vec![format!("    type {name} = {path}<")];
    lines.extend(args.iter().map(|a| format!("        {a},")));
    lines.push("    >;".to_owned());
    lines
}

/// `{prefix}{path} { a, b: c }{tail}` at `indent`: on one line when it fits, else one
/// entry per line, as prettyplease prints struct patterns and expressions (an expression
/// stays on one line only while `{path} { … }` is at most `max` (35) columns).
pub(super) fn braced(
    indent: usize,
    (prefix, path): (&str, &str),
    entries: &[String],
    tail: &str,
    max: Option<usize>,
) -> Vec<String> {
    let pad = " ".repeat(indent);
    let braced = format!("{path} {{ {} }}", entries.join(", "));
    let one_line = format!("{pad}{prefix}{braced}{tail}");
    // A pattern stays on one line while `let … = ` fits: what follows may pass the margin.
    let measured = match (max, tail.strip_prefix(" = ")) {
        (None, Some(rest)) => one_line.chars().count() - rest.chars().count(),
        _ => one_line.chars().count(),
    };
    if measured <= MARGIN && max.is_none_or(|m| braced.chars().count() <= m) {
        return vec![one_line];
    }
    let mut lines = vec![format!("{pad}{prefix}{path} {{")];
    lines.extend(entries.iter().map(|e| format!("{pad}    {e},")));
    lines.push(format!("{pad}}}{tail}"));
    lines
}

/// The `# Example` section of a client method: one call with its required inputs and,
/// when it has one, an optional input set (one with a default first).
fn example(op: &OpPlan, parts: &BuilderParts<'_>) -> Vec<String> {
    let krate = parts.crate_ident;
    let mut hidden = vec![format!("client: &{krate}::Client")];
    let mut args = Vec::new();
    for p in op.params.iter().filter(|p| p.required) {
        match value(
            &p.ty,
            p.example.as_ref().or(p.default.as_ref()),
            &p.wire,
            parts,
        ) {
            Some(v) => args.push(v),
            None => {
                // Not written as a literal: the example takes it as an argument.
                let ty = borrowed(&p.ty).replace("'a ", "");
                hidden.push(format!("{}: {}", p.field, qualified(&ty, krate)));
                args.push(p.field.clone());
            }
        }
    }
    if let Some(b) = op.body.as_ref().filter(|b| b.required) {
        hidden.push(format!("body: &{}", qualified(&b.ty.to_string(), krate)));
        args.push("body".to_owned());
    }
    let optional = op
        .params
        .iter()
        .filter(|p| !p.required)
        .filter_map(|p| {
            let inner = match &p.ty {
                Ty::Option(inner) => inner,
                other => other,
            };
            let v = value(
                inner,
                p.default.as_ref().or(p.example.as_ref()),
                &p.wire,
                parts,
            )?;
            Some((p.default.is_some(), format!(".{}({v})", p.field)))
        })
        .fold(
            None::<(bool, String)>,
            |best, (has_default, call)| match best {
                Some((true, _)) => best,
                Some((false, _)) if !has_default => best,
                _ => Some((has_default, call)),
            },
        )
        .map(|(_, call)| call);
    let call = format!("{}({})", op.fn_name, args.join(", "));
    let mut chain = vec![format!(".{call}")];
    chain.extend(optional);
    chain.push(".await?;".to_owned());
    let one_line = format!("let response = client{}", chain.concat());
    let mut lines = vec![
        "# Example".to_owned(),
        String::new(),
        "```no_run".to_owned(),
        format!(
            "# async fn example({}) -> Result<(), Box<dyn std::error::Error>> {{",
            hidden.join(", ")
        ),
    ];
    if one_line.chars().count() <= 80 {
        lines.push(one_line);
    } else {
        lines.push("let response = client".to_owned());
        lines.extend(chain.iter().map(|c| format!("    {c}")));
    }
    lines.extend(
        ["# let _ = response;", "# Ok(())", "# }", "```"]
            .iter()
            .map(|l| (*l).to_owned()),
    );
    lines
}

/// A Rust expression of type `ty` for an example call, from the spec's example or
/// default when it fits; `None` when there is no short literal of that type.
fn value(ty: &Ty, given: Option<&Value>, wire: &str, parts: &BuilderParts<'_>) -> Option<String> {
    Some(match ty {
        Ty::String => lit(given.and_then(Value::as_str).unwrap_or(wire)),
        Ty::Bool => given.and_then(Value::as_bool).unwrap_or(true).to_string(),
        Ty::I32 => given
            .and_then(Value::as_i64)
            .and_then(|v| i32::try_from(v).ok())
            .unwrap_or(1)
            .to_string(),
        Ty::I64 => given.and_then(Value::as_i64).unwrap_or(1).to_string(),
        Ty::F32 | Ty::F64 => {
            let v = given.and_then(Value::as_f64).filter(|v| v.is_finite());
            let text = format!("{:?}", v.unwrap_or(1.0));
            if *ty == Ty::F32 && v.is_some_and(|v| (v as f32) as f64 != v) {
                "1.0".to_owned()
            } else {
                text
            }
        }
        Ty::Named(name) => {
            let def = parts.defs.iter().find(|d| &d.name == name)?;
            let variant = match &def.kind {
                TypeDefKind::StringEnum { variants } => {
                    let wanted = given.and_then(Value::as_str);
                    variants
                        .iter()
                        .find(|v| Some(v.wire.as_str()) == wanted)
                        .or_else(|| variants.first())?
                        .rust
                        .clone()
                }
                TypeDefKind::IntegerEnum { variants } => {
                    let wanted = given.and_then(Value::as_i64);
                    variants
                        .iter()
                        .find(|v| Some(v.value) == wanted)
                        .or_else(|| variants.first())?
                        .rust
                        .clone()
                }
                _ => return None,
            };
            format!("{}::{name}::{variant}", parts.crate_ident)
        }
        _ => return None,
    })
}

/// A type as written outside the crate: the crate's own types behind its name.
fn qualified(ty: &str, krate: &str) -> String {
    let mut out = String::with_capacity(ty.len() + 16);
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        let std_name = matches!(
            word.as_str(),
            "Vec"
                | "Option"
                | "Box"
                | "String"
                | "BTreeMap"
                | "DateTime"
                | "Utc"
                | "NaiveDate"
                | "Value"
                | "Bytes"
        );
        let after_path = out.ends_with("::");
        if word.starts_with(|c: char| c.is_ascii_uppercase()) && !std_name && !after_path {
            out.push_str(krate);
            out.push_str("::");
        }
        out.push_str(word);
        word.clear();
    };
    for c in ty.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}
