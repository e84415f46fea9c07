//! Typed deserialisation into [`openapiv3::OpenAPI`], with located errors.
//!
//! `serde_path_to_error` gives the path of a failing node, but `openapiv3`
//! reads Reference-or-item nodes, schemas and parameters through buffered
//! (untagged / flattened) deserialisation where the path stops. So when the
//! whole document fails, every top-level unit (each path item, each
//! component, `info`, …) is checked on its own to find *all* broken units,
//! and each error is refined by re-reading deeper nodes as their expected
//! type until the innermost failing node is found.

use std::panic::{AssertUnwindSafe, catch_unwind};

use indexmap::IndexMap;
use openapiv3 as oa;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::diagnostics::Diagnostic;

use super::pointer::{lookup, segments_to_pointer};
use super::walk::{Kind, child_kind, kind_at};

/// A failure: path below the node that was read, and serde's message.
type Failure = (Vec<String>, String);

/// Deserialises `raw` with path tracking; a panic inside the reader becomes an error.
pub(crate) fn read<T: DeserializeOwned>(node: &Value) -> Result<T, Failure> {
    match catch_unwind(AssertUnwindSafe(|| {
        serde_path_to_error::deserialize::<_, T>(node)
    })) {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(e)) => Err((path_segments(e.path()), e.into_inner().to_string())),
        Err(_) => Err((
            Vec::new(),
            "the OpenAPI reader failed on this node".to_owned(),
        )),
    }
}

fn path_segments(path: &serde_path_to_error::Path) -> Vec<String> {
    let mut out = Vec::new();
    for seg in path.iter() {
        match seg {
            serde_path_to_error::Segment::Seq { index } => out.push(index.to_string()),
            serde_path_to_error::Segment::Map { key } => out.push(key.clone()),
            serde_path_to_error::Segment::Enum { .. } => {}
            serde_path_to_error::Segment::Unknown => break,
        }
    }
    out
}

/// Nesting (in JSON levels) above which a node is read on a big-stack thread of
/// [`crate::pool`].
const DEEP: usize = 32;

/// JSON nesting depth of `node` (bounded by the parsers' limit of 128).
fn depth(node: &Value) -> usize {
    match node {
        Value::Object(map) => 1 + map.values().map(depth).max().unwrap_or(0),
        Value::Array(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
        _ => 0,
    }
}

/// [`read`], on a big stack when `node` is deeply nested.
pub(crate) fn read_deep<T: DeserializeOwned + Send>(node: &Value) -> Result<T, Failure> {
    if depth(node) > DEEP {
        crate::pool::run(|| read::<T>(node))
            .unwrap_or_else(|| Err((Vec::new(), READER_FAILED.to_owned())))
    } else {
        read::<T>(node)
    }
}

const READER_FAILED: &str = "the OpenAPI reader failed on this node";

/// Reads the document; on failure returns every shape error found.
pub(crate) fn document(raw: &Value, version: &str) -> Result<oa::OpenAPI, Vec<Diagnostic>> {
    let result = crate::pool::run(|| match split_read(raw) {
        Some(api) => Ok(api),
        None => collect_errors(raw, version),
    });
    result.unwrap_or_else(|| {
        Err(vec![diagnostic(
            raw,
            &[],
            READER_FAILED.to_owned(),
            version,
        )])
    })
}

/// The happy path: the entries of `paths` and of each `components` map (the bulk of
/// any spec) are read one by one, in parallel, the rest of the document on its own.
/// `None` on any failure (the caller then reads the whole document again to explain it).
/// Keys are kept or skipped as `openapiv3`'s own readers do: paths start with `/`,
/// extensions with `x-`; `split_reads_like_the_whole_document` holds the two together.
fn split_read(raw: &Value) -> Option<oa::OpenAPI> {
    let Value::Object(root) = raw else {
        return None;
    };
    let mut shallow: Map<String, Value> = root
        .iter()
        .filter(|(k, _)| *k != "paths" && *k != "components")
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    shallow.insert("paths".to_owned(), Value::Object(Map::new()));
    let ((paths, components), api) = rayon::join(
        || {
            rayon::join(
                || root.get("paths").map(read_paths),
                || root.get("components").map(read_components),
            )
        },
        || read_fast::<oa::OpenAPI>(&Value::Object(shallow)),
    );
    let mut api = api?;
    api.paths = paths??;
    api.components = match components {
        None | Some(Some(None)) => None,
        Some(Some(Some(c))) => Some(c),
        Some(None) => return None,
    };
    Some(api)
}

/// `paths`, entry by entry.
fn read_paths(node: &Value) -> Option<oa::Paths> {
    let Value::Object(map) = node else {
        return None;
    };
    Some(oa::Paths {
        paths: read_entries(map, |k| k.starts_with('/'))?,
        extensions: extensions(map),
    })
}

/// `components` (`null` reads as absent), map by map, entry by entry.
fn read_components(node: &Value) -> Option<Option<oa::Components>> {
    let map = match node {
        Value::Null => return Some(None),
        Value::Object(map) => map,
        _ => return None,
    };
    fn field<T: DeserializeOwned + Send>(
        map: &Map<String, Value>,
        name: &str,
    ) -> Option<IndexMap<String, T>> {
        match map.get(name) {
            None => Some(IndexMap::new()),
            Some(Value::Object(entries)) => read_entries(entries, |_| true),
            Some(_) => None,
        }
    }
    Some(Some(oa::Components {
        schemas: field(map, "schemas")?,
        responses: field(map, "responses")?,
        parameters: field(map, "parameters")?,
        examples: field(map, "examples")?,
        request_bodies: field(map, "requestBodies")?,
        headers: field(map, "headers")?,
        security_schemes: field(map, "securitySchemes")?,
        links: field(map, "links")?,
        callbacks: field(map, "callbacks")?,
        extensions: extensions(map),
    }))
}

/// The entries of `map` whose key `keep`s, each read as a `T`, in parallel, in order.
fn read_entries<T: DeserializeOwned + Send>(
    map: &Map<String, Value>,
    keep: fn(&str) -> bool,
) -> Option<IndexMap<String, T>> {
    use rayon::prelude::*;
    let entries: Vec<(&String, &Value)> = map.iter().filter(|(k, _)| keep(k)).collect();
    let read: Option<Vec<(String, T)>> = entries
        .into_par_iter()
        .map(|(k, v)| read_fast::<T>(v).map(|t| (k.clone(), t)))
        .collect();
    Some(read?.into_iter().collect())
}

fn extensions(map: &Map<String, Value>) -> IndexMap<String, Value> {
    map.iter()
        .filter(|(k, _)| k.starts_with("x-"))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// Deserialises without path tracking (the happy path); `None` on any failure.
fn read_fast<T: DeserializeOwned>(node: &Value) -> Option<T> {
    catch_unwind(AssertUnwindSafe(|| T::deserialize(node)))
        .ok()?
        .ok()
}

fn collect_errors(raw: &Value, version: &str) -> Result<oa::OpenAPI, Vec<Diagnostic>> {
    let whole = match read::<oa::OpenAPI>(raw) {
        Ok(api) => return Ok(api),
        Err(failure) => failure,
    };
    let mut found: Vec<(Vec<String>, String)> = Vec::new();
    for (segments, kind) in units(raw) {
        let Some(node) = lookup(raw, &segments) else {
            continue;
        };
        if let Err((sub, message)) = check(kind, node) {
            let mut at = segments.clone();
            at.extend(sub);
            found.push(refine(raw, at, message));
        }
    }
    let whole = refine(raw, whole.0, whole.1);
    let related = |(p, _): &(Vec<String>, String)| {
        !whole.0.is_empty() && (p.starts_with(&whole.0) || whole.0.starts_with(p))
    };
    if !found.iter().any(related) {
        found.push(whole);
    }
    Err(found
        .into_iter()
        .map(|(segments, message)| diagnostic(raw, &segments, message, version))
        .collect())
}

fn diagnostic(raw: &Value, segments: &[String], message: String, version: &str) -> Diagnostic {
    let kind = kind_at(raw, segments);
    let what = match kind {
        Kind::Other | Kind::Document => "this node".to_owned(),
        k => format!("a {}", k.describe()),
    };
    let spec = if version.starts_with("3.1") {
        "3.1"
    } else {
        "3.0"
    };
    Diagnostic::error(
        "invalid-shape",
        segments_to_pointer(segments),
        format!("invalid {}: {message}", name(kind)),
    )
    .with_hint(format!(
        "make {what} match the OpenAPI {spec} specification for its position"
    ))
}

fn name(kind: Kind) -> &'static str {
    match kind {
        Kind::Document => "document",
        k => k.describe(),
    }
}

/// Independently readable parts of the document, with what they must be.
fn units(raw: &Value) -> Vec<(Vec<String>, Unit)> {
    let mut out = Vec::new();
    let Value::Object(root) = raw else { return out };
    for (key, unit) in [
        ("openapi", Unit::Version),
        ("info", Unit::Info),
        ("servers", Unit::Servers),
        ("security", Unit::Security),
        ("tags", Unit::Tags),
        ("externalDocs", Unit::ExternalDocs),
    ] {
        if root.contains_key(key) {
            out.push((vec![key.to_owned()], unit));
        }
    }
    if let Some(Value::Object(paths)) = root.get("paths") {
        for key in paths.keys().filter(|k| !k.starts_with("x-")) {
            out.push((
                vec!["paths".to_owned(), key.clone()],
                Unit::Kind(Kind::PathItem),
            ));
        }
    }
    if let Some(Value::Object(components)) = root.get("components") {
        for (section, entries) in components {
            let Value::Object(entries) = entries else {
                continue;
            };
            let kind = child_kind(Kind::Components, section, &Value::Null);
            let Kind::MapOf(_) = kind else { continue };
            for (name, entry) in entries {
                let item = child_kind(kind, name, entry);
                out.push((
                    vec!["components".to_owned(), section.clone(), name.clone()],
                    Unit::Kind(item),
                ));
            }
        }
    }
    out
}

#[derive(Clone, Copy)]
enum Unit {
    Version,
    Info,
    Servers,
    Security,
    Tags,
    ExternalDocs,
    Kind(Kind),
}

fn check(unit: Unit, node: &Value) -> Result<(), Failure> {
    match unit {
        Unit::Version => read::<String>(node).map(drop),
        Unit::Info => read::<oa::Info>(node).map(drop),
        Unit::Servers => read::<Vec<oa::Server>>(node).map(drop),
        Unit::Security => read::<Vec<oa::SecurityRequirement>>(node).map(drop),
        Unit::Tags => read::<Vec<oa::Tag>>(node).map(drop),
        Unit::ExternalDocs => read::<oa::ExternalDocumentation>(node).map(drop),
        Unit::Kind(kind) => check_kind(kind, node).unwrap_or(Ok(())),
    }
}

/// [`check_kind`], on a big stack when `node` is deeply nested.
pub(crate) fn check_kind_deep(kind: Kind, node: &Value) -> Option<Result<(), Failure>> {
    if depth(node) > DEEP {
        crate::pool::run(|| check_kind(kind, node))
            .unwrap_or_else(|| Some(Err((Vec::new(), READER_FAILED.to_owned()))))
    } else {
        check_kind(kind, node)
    }
}

/// Reads `node` as what `kind` says it is. `None` when the kind has no typed form.
/// A Reference Object is fine wherever a reference is allowed.
fn check_kind(kind: Kind, node: &Value) -> Option<Result<(), Failure>> {
    if kind.is_referable()
        && let Some(reference) = node.get("$ref")
    {
        return Some(
            read::<String>(reference)
                .map(drop)
                .map_err(|(_, m)| (vec!["$ref".to_owned()], m)),
        );
    }
    Some(match kind {
        Kind::Document => read::<oa::OpenAPI>(node).map(drop),
        Kind::Paths => read::<oa::Paths>(node).map(drop),
        Kind::PathItem => read::<oa::PathItem>(node).map(drop),
        Kind::Operation => read::<oa::Operation>(node).map(drop),
        Kind::Parameter => read::<oa::Parameter>(node).map(drop),
        Kind::RequestBody => read::<oa::RequestBody>(node).map(drop),
        Kind::Responses => read::<oa::Responses>(node).map(drop),
        Kind::Response => read::<oa::Response>(node).map(drop),
        Kind::MediaType => read::<oa::MediaType>(node).map(drop),
        Kind::Encoding => read::<oa::Encoding>(node).map(drop),
        Kind::Header => read::<oa::Header>(node).map(drop),
        Kind::Schema => read::<oa::Schema>(node).map(drop),
        Kind::Discriminator => read::<oa::Discriminator>(node).map(drop),
        Kind::Example => read::<oa::Example>(node).map(drop),
        Kind::Link => read::<oa::Link>(node).map(drop),
        Kind::Callback => read::<IndexMap<String, oa::PathItem>>(node).map(drop),
        Kind::SecurityScheme => read::<oa::SecurityScheme>(node).map(drop),
        Kind::Components => read::<oa::Components>(node).map(drop),
        Kind::ParameterList
        | Kind::Content
        | Kind::EncodingMap
        | Kind::SchemaList
        | Kind::Mapping
        | Kind::MapOf(_) => return check_children(kind, node),
        Kind::Other => return None,
    })
}

fn check_children(kind: Kind, node: &Value) -> Option<Result<(), Failure>> {
    let failing = failing_child(kind, node)?;
    Some(Err(failing))
}

/// The first child of `node` that fails to read as its kind.
fn failing_child(kind: Kind, node: &Value) -> Option<Failure> {
    let children: Vec<(String, &Value)> = match node {
        Value::Object(map) => map.iter().map(|(k, v)| (k.clone(), v)).collect(),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), v))
            .collect(),
        _ => return None,
    };
    for (key, child) in children {
        let ck = child_kind(kind, &key, child);
        if let Some(Err((sub, message))) = check_kind(ck, child) {
            let mut at = vec![key];
            at.extend(sub);
            return Some((at, message));
        }
    }
    None
}

/// Descends from a failing node to the innermost failing node below it.
fn refine(raw: &Value, mut segments: Vec<String>, mut message: String) -> (Vec<String>, String) {
    for _ in 0..512 {
        let Some(node) = lookup(raw, &segments) else {
            break;
        };
        let kind = kind_at(raw, &segments);
        let deeper = match check_kind(kind, node) {
            Some(Err((sub, m))) if !sub.is_empty() => Some((sub, m)),
            Some(Err((_, m))) => {
                message = m;
                failing_child(kind, node)
            }
            _ => None,
        };
        match deeper {
            Some((sub, m)) => {
                segments.extend(sub);
                message = m;
            }
            None => break,
        }
    }
    (segments, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast, parallel reader must give what `openapiv3` itself reads from the whole
    /// document, for every corpus spec (OpenAPI 3.1 ones after normalisation).
    #[test]
    fn split_reads_like_the_whole_document() {
        let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
        let mut read = 0;
        for dir in ["openapi-3.0", "openapi-3.1"] {
            let Ok(entries) = std::fs::read_dir(corpus.join(dir)) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                let Ok(loaded) = crate::spec::load_file(&path) else {
                    continue;
                };
                let raw = &loaded.spec.raw;
                let whole: oa::OpenAPI = serde_json::from_value(raw.clone()).expect("whole");
                let split = split_read(raw).expect("split");
                assert!(split == whole, "{}", path.display());
                read += 1;
            }
        }
        assert!(read >= 19, "only {read} corpus specs were read");
    }

    #[test]
    fn split_read_refuses_what_the_whole_reader_refuses() {
        for text in [
            r#"{"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{"/a":{"get":{"responses":"no"}}}}"#,
            r#"{"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{},"components":{"schemas":[]}}"#,
            r#"{"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":[]}"#,
        ] {
            let raw: Value = serde_json::from_str(text).unwrap();
            assert!(serde_json::from_value::<oa::OpenAPI>(raw.clone()).is_err());
            assert!(split_read(&raw).is_none(), "{text}");
        }
        let raw: Value = serde_json::from_str(
            r#"{"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{"x-a":1,"/b":{},"c":2},"components":null}"#,
        )
        .unwrap();
        let whole: oa::OpenAPI = serde_json::from_value(raw.clone()).unwrap();
        assert!(split_read(&raw) == Some(whole));
    }
}
