//! Stage 1: load an OpenAPI document into a [`Spec`], or explain every problem.
//!
//! A spec is written by hand and is wrong in many ways at once, so loading
//! never stops at the first problem it can get past: it parses (JSON or
//! YAML), checks the version, normalises OpenAPI 3.1 to the 3.0 shape that
//! [`openapiv3`] models, reads the typed document, checks every `$ref` and
//! every `operationId`, and returns *all* errors together, each with a JSON
//! pointer, a `file:line:column` and a hint.
//!
//! Positions are not tracked while parsing (the happy path must stay fast on
//! 10 MB specs); [`Spec::locate`] recovers them from the source text only
//! when there is something to report.
//!
//! Later stages get both views of the document: [`Spec::openapi`], typed,
//! and [`Spec::raw`], the same tree as JSON, so a `$ref` to *any* pointer
//! (`#/paths/~1pets/get/responses/200`, not only `#/components/…`) can be
//! followed with [`Spec::resolve`].

mod locate;
mod normalise;
mod parse;
mod pointer;
mod refs;
mod shape;
mod walk;

use std::borrow::Cow;
use std::fmt;
use std::path::Path;
use std::sync::Arc;

use openapiv3 as oa;
use openapiv3::{Components, ReferenceOr};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::diagnostics::{Diagnostic, Diagnostics, Severity};

pub use pointer::{component_name, pointer_escape};

use parse::Format;
use pointer::{lookup, ref_segments, segments_to_pointer};

/// A loaded, normalised and checked OpenAPI document.
///
/// Every local `$ref` in it resolves and no chain of references loops;
/// `operationId`s are unique.
#[derive(Clone)]
pub struct Spec {
    /// Display name of the file (as given by the user).
    pub file: String,
    /// The document, typed (OpenAPI 3.1 input already normalised to the 3.0 shape).
    pub openapi: oa::OpenAPI,
    /// The same document as a JSON tree (after normalisation), for resolving `$ref`s to any JSON pointer.
    pub raw: Value,
    /// The `openapi` version string as written in the file (e.g. `"3.0.3"`, `"3.1.0"`).
    pub declared_version: String,
    /// The source text, to locate pointers lazily.
    source: Arc<str>,
    format: Format,
}

impl fmt::Debug for Spec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Spec")
            .field("file", &self.file)
            .field("declared_version", &self.declared_version)
            .field("openapi", &self.openapi)
            .finish_non_exhaustive()
    }
}

/// A successful load: the spec and the warnings and notes found on the way.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The document.
    pub spec: Spec,
    /// Warnings and notes only (any error makes the load fail), located.
    pub diagnostics: Diagnostics,
}

/// A type that lives in one `#/components/<kind>` section of the typed
/// document, so [`Spec::resolve`] can take references to it from there
/// without going through the raw tree.
pub trait ComponentLookup: Sized + Send {
    /// The section name, e.g. `"schemas"` or `"requestBodies"`.
    const KIND: &'static str;

    /// The typed entry `name` of that section, if any.
    fn lookup<'a>(components: &'a Components, name: &str) -> Option<&'a ReferenceOr<Self>>;
}

macro_rules! component_lookup {
    ($($ty:ty => $kind:literal, $field:ident;)*) => {$(
        impl ComponentLookup for $ty {
            const KIND: &'static str = $kind;

            fn lookup<'a>(components: &'a Components, name: &str) -> Option<&'a ReferenceOr<Self>> {
                components.$field.get(name)
            }
        }
    )*};
}

component_lookup! {
    oa::Schema => "schemas", schemas;
    oa::Response => "responses", responses;
    oa::Parameter => "parameters", parameters;
    oa::Example => "examples", examples;
    oa::RequestBody => "requestBodies", request_bodies;
    oa::Header => "headers", headers;
    oa::SecurityScheme => "securitySchemes", security_schemes;
    oa::Link => "links", links;
    oa::Callback => "callbacks", callbacks;
}

/// Path items have no typed components section in `openapiv3` (3.1's
/// `#/components/pathItems` is kept in [`Spec::raw`] only).
impl ComponentLookup for oa::PathItem {
    const KIND: &'static str = "pathItems";

    fn lookup<'a>(_components: &'a Components, _name: &str) -> Option<&'a ReferenceOr<Self>> {
        None
    }
}

impl Spec {
    /// Resolves a possibly-`$ref` item to its target, following chains of
    /// references, to any local JSON pointer (e.g.
    /// `#/paths/~1a/get/responses/200`, not only `#/components/…`).
    ///
    /// `#/components/<kind>/<name>` is taken from the typed document
    /// (borrowed); any other target is deserialised from [`Spec::raw`]
    /// (owned). `Err` on a missing target, a cycle, an external reference,
    /// a reference into the wrong components section, or a target that is
    /// not a `T`; the diagnostic's pointer is the reference target, so a
    /// caller that knows where the `$ref` is written may replace it.
    pub fn resolve<'a, T>(&'a self, item: &'a ReferenceOr<T>) -> Result<Cow<'a, T>, Diagnostic>
    where
        T: DeserializeOwned + Clone + ComponentLookup,
    {
        match item {
            ReferenceOr::Item(value) => Ok(Cow::Borrowed(value)),
            ReferenceOr::Reference { reference } => self.resolve_ref(reference),
        }
    }

    /// [`Spec::resolve`] for the boxed items `openapiv3` uses inside schemas
    /// (`properties`, `items`).
    pub fn resolve_boxed<'a, T>(
        &'a self,
        item: &'a ReferenceOr<Box<T>>,
    ) -> Result<Cow<'a, T>, Diagnostic>
    where
        T: DeserializeOwned + Clone + ComponentLookup,
    {
        match item {
            ReferenceOr::Item(value) => Ok(Cow::Borrowed(&**value)),
            ReferenceOr::Reference { reference } => self.resolve_ref(reference),
        }
    }

    /// Resolves the reference text `reference` (as in `$ref`) to a `T`; see [`Spec::resolve`].
    pub fn resolve_ref<'a, T>(&'a self, reference: &'a str) -> Result<Cow<'a, T>, Diagnostic>
    where
        T: DeserializeOwned + Clone + ComponentLookup,
    {
        let mut current: &'a str = reference;
        let mut seen: Vec<String> = Vec::new();
        loop {
            if !current.starts_with('#') {
                return Err(refs::external(&segments_or_root(reference), current));
            }
            let Some(segments) = ref_segments(current) else {
                return Err(refs::invalid("#", current));
            };
            let canonical = segments_to_pointer(&segments);
            if seen.contains(&canonical) {
                seen.push(canonical.clone());
                return Err(Diagnostic::error(
                    "ref-cycle",
                    canonical,
                    format!("$ref cycle never reaches a definition: {}", seen.join(" → ")),
                )
                .with_hint("make one of these references point to an actual definition instead of another `$ref`"));
            }
            seen.push(canonical.clone());
            if let [components, section, name] = segments.as_slice()
                && components == "components"
                && section == T::KIND
                && let Some(entry) = self
                    .openapi
                    .components
                    .as_ref()
                    .and_then(|c| T::lookup(c, name))
            {
                match entry {
                    ReferenceOr::Item(value) => return Ok(Cow::Borrowed(value)),
                    ReferenceOr::Reference { reference } => {
                        current = reference;
                        continue;
                    }
                }
            }
            let Some(node) = lookup(&self.raw, &segments) else {
                return Err(refs::unresolved(&self.raw, &canonical, current, &segments));
            };
            if let Some(Value::String(next)) = node.as_object().and_then(|m| m.get("$ref")) {
                current = next;
                continue;
            }
            return match shape::read_deep::<T>(node) {
                Ok(value) => Ok(Cow::Owned(value)),
                Err((sub, message)) => {
                    let wrong_section = match segments.as_slice() {
                        [components, section, _] if components == "components" => {
                            refs::COMPONENT_SECTIONS.contains(&section.as_str())
                                && section != T::KIND
                        }
                        _ => false,
                    };
                    let mut at = segments;
                    at.extend(sub);
                    let (code, hint) = if wrong_section {
                        (
                            "ref-kind-mismatch",
                            format!(
                                "point the reference at an entry of `#/components/{}`",
                                T::KIND
                            ),
                        )
                    } else {
                        (
                            "invalid-shape",
                            format!(
                                "fix the node at `{}` so that it is a valid {} entry, or point the reference elsewhere",
                                segments_to_pointer(&at),
                                T::KIND
                            ),
                        )
                    };
                    Err(Diagnostic::error(
                        code,
                        segments_to_pointer(&at),
                        format!("$ref `{reference}` leads to a node that is not a valid {} entry: {message}", T::KIND),
                    )
                    .with_hint(hint))
                }
            };
        }
    }

    /// The raw node at a JSON pointer or local reference (`#/a/b`; `~0`,
    /// `~1` and percent-escapes decoded), without following `$ref`s.
    pub fn node(&self, pointer: &str) -> Option<&Value> {
        let segments = if pointer.starts_with('#') {
            ref_segments(pointer)?
        } else {
            ref_segments(&format!("#{pointer}"))?
        };
        lookup(&self.raw, &segments)
    }

    /// Fills `location` (line:column) of every diagnostic that has a pointer
    /// but no location, from the source text. A pointer that does not exist
    /// in the text gets its nearest existing ancestor's position.
    ///
    /// Costs one pass over the source per call; call it once, at the end.
    pub fn locate(&self, diagnostics: &mut Diagnostics) {
        locate::locate(&self.source, self.format, &mut diagnostics.items);
    }
}

fn segments_or_root(reference: &str) -> String {
    ref_segments(reference).map_or_else(|| "#".to_owned(), |s| segments_to_pointer(&s))
}

/// Loads, normalises and checks the spec at `path`.
///
/// `Err` carries every error found (and the warnings and notes), located;
/// the display name of the file is `path` as given.
pub fn load_file(path: &Path) -> Result<Loaded, Diagnostics> {
    let file = path.display().to_string();
    match parse::read_file(path) {
        Ok(text) => load_source(file, Arc::from(text)),
        Err(d) => Err(Diagnostics {
            file,
            items: vec![d],
        }),
    }
}

/// Like [`load_file`], for text already in memory; `file` names it in diagnostics.
pub fn load_str(file: &str, text: &str) -> Result<Loaded, Diagnostics> {
    if text.len() > parse::MAX_BYTES {
        return Err(Diagnostics {
            file: file.to_owned(),
            items: vec![parse::too_large(text.len() as u64)],
        });
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    load_source(file.to_owned(), Arc::from(text))
}

fn load_source(file: String, source: Arc<str>) -> Result<Loaded, Diagnostics> {
    let mut items: Vec<Diagnostic> = Vec::new();
    let fail = |mut items: Vec<Diagnostic>, format: Format| {
        locate::locate(&source, format, &mut items);
        sort(&mut items);
        Diagnostics {
            file: file.clone(),
            items,
        }
    };

    let (mut raw, format) = match parse::parse(&source, &mut items) {
        Ok(parsed) => parsed,
        Err(d) => {
            items.push(d);
            return Err(fail(items, parse::guess_format(&source)));
        }
    };
    let Value::Object(root) = &mut raw else {
        items.push(
            Diagnostic::error(
                "invalid-shape",
                "#",
                format!(
                    "the document root must be a mapping, not {}",
                    describe(&raw)
                ),
            )
            .with_hint("an OpenAPI document is a mapping with `openapi`, `info` and `paths`"),
        );
        return Err(fail(items, format));
    };
    let Some(declared_version) = version(root, &mut items) else {
        return Err(fail(items, format));
    };
    normalise::document(root, &declared_version, &mut items);

    let mut collector = refs::Collector::new(&mut items);
    walk::walk(
        &mut raw,
        walk::Kind::Document,
        &mut String::from("#"),
        &mut collector,
    );
    let refs::Collector {
        refs: references,
        operation_ids,
        ..
    } = collector;

    normalise::callback_refs(&mut raw);
    let typed = shape::document(&raw, &declared_version);
    if let Err(errors) = &typed {
        items.extend(errors.iter().cloned());
    }
    refs::check(&raw, &references, &mut items);
    refs::check_operation_ids(&operation_ids, &mut items);

    match typed {
        Ok(openapi) if !items.iter().any(|d| d.severity == Severity::Error) => {
            let spec = Spec {
                file: file.clone(),
                openapi,
                raw,
                declared_version,
                source: source.clone(),
                format,
            };
            let mut diagnostics = Diagnostics {
                file: file.clone(),
                items,
            };
            spec.locate(&mut diagnostics);
            sort(&mut diagnostics.items);
            Ok(Loaded { spec, diagnostics })
        }
        _ => Err(fail(items, format)),
    }
}

/// File order; diagnostics without a position last.
fn sort(items: &mut [Diagnostic]) {
    items.sort_by_key(|d| {
        d.location
            .map_or((usize::MAX, usize::MAX), |l| (l.line, l.column))
    });
}

fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

/// Checks `openapi`; `None` stops loading (a Swagger 2.0 document makes every later check noise).
fn version(root: &mut Map<String, Value>, items: &mut Vec<Diagnostic>) -> Option<String> {
    let declared = match root.get("openapi") {
        Some(Value::String(s)) => s.trim().to_owned(),
        Some(Value::Number(n)) => {
            // YAML `openapi: 3.0` is a number; read it as the string it was meant to be.
            let s = n.to_string();
            root.insert("openapi".to_owned(), Value::String(s.clone()));
            s
        }
        Some(other) => {
            items.push(
                Diagnostic::error(
                    "unsupported-version",
                    "#/openapi",
                    format!(
                        "`openapi` must be a version string such as \"3.0.3\", not {}",
                        describe(other)
                    ),
                )
                .with_hint("write `openapi: 3.0.3` or `openapi: 3.1.0`"),
            );
            root.insert("openapi".to_owned(), Value::String(String::new()));
            return Some(String::new());
        }
        None => {
            if let Some(swagger) = root.get("swagger") {
                let v = swagger
                    .as_str()
                    .map_or_else(|| swagger.to_string(), str::to_owned);
                items.push(
                    Diagnostic::error(
                        "unsupported-version",
                        "#/swagger",
                        format!("Swagger {v} (OpenAPI 2.0) documents are not supported; kontrat reads OpenAPI 3.0 and 3.1"),
                    )
                    .with_hint("convert it to OpenAPI 3 first, e.g. `npx swagger2openapi spec.yaml -o openapi.yaml` or https://converter.swagger.io"),
                );
                return None;
            }
            items.push(
                Diagnostic::error(
                    "missing-version",
                    "#",
                    "the `openapi` version field is missing",
                )
                .with_hint("add `openapi: 3.0.3` (or `3.1.0`) at the top of the document"),
            );
            root.insert("openapi".to_owned(), Value::String(String::new()));
            return Some(String::new());
        }
    };
    if !supported(&declared) {
        let hint = if declared.starts_with('2') {
            "convert the document to OpenAPI 3 (e.g. `npx swagger2openapi`) and declare `openapi: 3.0.3`"
        } else {
            "kontrat reads OpenAPI 3.0.x and 3.1.x; declare `openapi: 3.1.0` if the document only uses 3.1 features"
        };
        items.push(
            Diagnostic::error(
                "unsupported-version",
                "#/openapi",
                format!("OpenAPI version `{declared}` is not supported (3.0.x and 3.1.x are)"),
            )
            .with_hint(hint),
        );
    }
    Some(declared)
}

/// `3.0`, `3.0.N…`, `3.1`, `3.1.N…`.
fn supported(version: &str) -> bool {
    let mut parts = version.splitn(3, '.');
    parts.next() == Some("3")
        && matches!(parts.next(), Some("0" | "1"))
        && parts
            .next()
            .is_none_or(|patch| patch.starts_with(|c: char| c.is_ascii_digit()))
}
