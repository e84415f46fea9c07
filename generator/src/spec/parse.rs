//! Reading the file and turning its text into a JSON tree.
//!
//! JSON goes through `serde_json`, everything else through `serde_yaml`
//! (JSON is YAML, but `serde_json` is faster and gives JSON-flavoured
//! messages). Both feed one [`serde::de::DeserializeSeed`] that builds the
//! [`Value`] itself, so that it can
//! - cap the number of nodes (a YAML alias bomb expands into millions of nodes
//!   from a few hundred bytes; `serde_yaml`'s own repetition limit catches
//!   the classic shape, the node budget catches the rest),
//! - report duplicate keys, which both parsers silently let the last one win,
//! - apply YAML merge keys (`<<: *base`), which `serde_yaml` leaves as a
//!   literal `<<` key,
//! - keep YAML keys as written (`200:` stays `"200"`).
//!
//! Nesting depth is capped by both parsers at 128 levels (their recursion
//! limits), so every later recursive walk over the tree is bounded.

use std::cell::{Cell, RefCell};
use std::fmt;
use std::io::Read;
use std::path::Path;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use crate::diagnostics::{Diagnostic, Location};

use super::pointer::segments_to_pointer;

/// Largest spec accepted, in bytes.
pub(crate) const MAX_BYTES: usize = 64 * 1024 * 1024;

/// Which parser read the text (decides how positions are recovered later).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Json,
    Yaml,
}

/// Reads `path` as UTF-8 text (a UTF-8 byte-order mark is dropped).
pub(crate) fn read_file(path: &Path) -> Result<String, Diagnostic> {
    let io_error = |e: std::io::Error| {
        let hint = match e.kind() {
            std::io::ErrorKind::NotFound => {
                "check the path; it is relative to the current directory"
            }
            std::io::ErrorKind::PermissionDenied => "make the file readable by the current user",
            _ => "check that the path names a readable file",
        };
        Diagnostic::error("io", "#", format!("cannot read `{}`: {e}", path.display()))
            .with_hint(hint)
    };
    let meta = std::fs::metadata(path).map_err(io_error)?;
    if meta.is_dir() {
        return Err(Diagnostic::error(
            "io",
            "#",
            format!("`{}` is a directory, not a spec file", path.display()),
        )
        .with_hint("pass the path of the OpenAPI YAML or JSON file itself"));
    }
    if meta.len() > MAX_BYTES as u64 {
        return Err(too_large(meta.len()));
    }
    let file = std::fs::File::open(path).map_err(io_error)?;
    let mut bytes = Vec::new();
    // `take` also bounds special files whose metadata says nothing (pipes, /dev/zero).
    file.take(MAX_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(io_error)?;
    if bytes.len() > MAX_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    decode(bytes)
}

/// The `too-large` diagnostic.
pub(crate) fn too_large(len: u64) -> Diagnostic {
    Diagnostic::error(
        "too-large",
        "#",
        format!("the spec is {len} bytes; the limit is {MAX_BYTES} bytes (64 MiB)"),
    )
    .with_hint("split the API into several specs, or remove embedded examples and data")
}

fn decode(bytes: Vec<u8>) -> Result<String, Diagnostic> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(
            Diagnostic::error("not-utf8", "#", "the file is UTF-16 encoded, not UTF-8")
                .at(Location { line: 1, column: 1 })
                .with_hint("re-save the file as UTF-8"),
        );
    }
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.drain(..'\u{feff}'.len_utf8());
            }
            Ok(text)
        }
        Err(e) => {
            let bytes = e.as_bytes();
            let bad = e.utf8_error().valid_up_to();
            let before = String::from_utf8_lossy(&bytes[..bad]);
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            Err(Diagnostic::error(
                "not-utf8",
                "#",
                format!(
                    "the file is not valid UTF-8 (invalid byte 0x{:02X})",
                    bytes[bad]
                ),
            )
            .at(Location { line, column })
            .with_hint(
                "re-save the file as UTF-8 (Latin-1 and Windows-1252 text must be converted)",
            ))
        }
    }
}

/// Parses `text` (JSON when its first non-blank character is `{`, YAML
/// otherwise; a `{` document that is not JSON but valid YAML, like
/// `{openapi: 3.0.3, …}`, is read as YAML). Duplicate keys are pushed to
/// `found` and do not stop parsing.
pub(crate) fn parse(
    text: &str,
    found: &mut Vec<Diagnostic>,
) -> Result<(Value, Format), Diagnostic> {
    if text.trim_start().is_empty() {
        return Err(empty_document());
    }
    let (value, format) = if guess_format(text) == Format::Json {
        let (json, json_duplicates) = parse_as(text, Format::Json);
        match json {
            Ok(value) => {
                found.extend(json_duplicates);
                (value, Format::Json)
            }
            Err(json_error) => match (json_error.code, parse_as(text, Format::Yaml)) {
                ("syntax", (Ok(value), yaml_duplicates)) => {
                    found.extend(yaml_duplicates);
                    (value, Format::Yaml)
                }
                _ => {
                    found.extend(json_duplicates);
                    return Err(json_error);
                }
            },
        }
    } else {
        let (yaml, duplicates) = parse_as(text, Format::Yaml);
        found.extend(duplicates);
        (yaml?, Format::Yaml)
    };
    if value.is_null() {
        return Err(empty_document());
    }
    Ok((value, format))
}

/// JSON when the first non-blank character is `{`.
pub(crate) fn guess_format(text: &str) -> Format {
    if text.trim_start().starts_with('{') {
        Format::Json
    } else {
        Format::Yaml
    }
}

fn parse_as(text: &str, format: Format) -> (Result<Value, Diagnostic>, Vec<Diagnostic>) {
    let ctx = Ctx {
        format,
        budget: Cell::new(node_limit(text.len())),
        limit: node_limit(text.len()),
        duplicates: RefCell::new(Vec::new()),
    };
    let root = PathNode {
        parent: None,
        seg: Seg::Root,
    };
    let seed = ValueSeed {
        ctx: &ctx,
        path: &root,
    };
    let result = match format {
        Format::Json => {
            let mut de = serde_json::Deserializer::from_str(text);
            seed.deserialize(&mut de)
                .and_then(|v| de.end().map(|()| v))
                .map_err(|e| json_error(text, &e))
        }
        Format::Yaml => seed
            .deserialize(serde_yaml::Deserializer::from_str(text))
            .map_err(|e| yaml_error(&e)),
    };
    (result, ctx.duplicates.into_inner())
}

fn empty_document() -> Diagnostic {
    Diagnostic::error("empty-document", "#", "the spec is empty").with_hint(
        "an OpenAPI document starts with `openapi: 3.0.3` (or 3.1.0), `info` and `paths`",
    )
}

/// Nodes allowed for a text of `len` bytes: far more than any plain document
/// can hold (a node needs at least two bytes), with room for honest aliases.
fn node_limit(len: usize) -> usize {
    500_000usize.saturating_add(len.saturating_mul(4))
}

/// Removes the ` at line L column C` that both parsers put in their messages
/// (the location is shown separately).
fn strip_position(message: &str, line: usize, column: usize) -> String {
    message.replace(&format!(" at line {line} column {column}"), "")
}

fn json_error(text: &str, e: &serde_json::Error) -> Diagnostic {
    let message = strip_position(&e.to_string(), e.line(), e.column());
    let location = (e.line() > 0).then(|| Location {
        line: e.line(),
        column: char_column(text, e.line(), e.column()),
    });
    let d = classify(
        message,
        "fix the JSON syntax here (a missing comma, quote or bracket is typical)",
    );
    match location {
        Some(l) => d.at(l),
        None => d,
    }
}

fn yaml_error(e: &serde_yaml::Error) -> Diagnostic {
    let location = e.location().map(|l| Location {
        line: l.line(),
        column: l.column(),
    });
    let message = match &location {
        Some(l) => strip_position(&e.to_string(), l.line, l.column),
        None => e.to_string(),
    };
    let hint = if message.contains("more than one document") {
        "keep one YAML document per spec file (remove the extra `---` document)"
    } else {
        "fix the YAML syntax here (check the indentation; quote values containing `: `, ` #`, or starting with `@`, `` ` `` or `*`)"
    };
    let d = classify(message, hint);
    match location {
        Some(l) => d.at(l),
        None => d,
    }
}

/// Picks the code of a parser error from its message.
fn classify(message: String, syntax_hint: &str) -> Diagnostic {
    if message.contains("recursion limit exceeded") {
        Diagnostic::error("too-deep", "#", "the document nests more than 128 levels deep")
            .with_hint("no real API needs this much nesting; the file is probably corrupt or generated wrongly")
    } else if message.contains("repetition limit exceeded") || message.contains(BUDGET_MESSAGE) {
        Diagnostic::error(
            "alias-expansion",
            "#",
            "YAML aliases expand the document to an unreasonable size (an \"alias bomb\")",
        )
        .with_hint("use `$ref` instead of YAML anchors and aliases for shared parts")
    } else {
        Diagnostic::error("syntax", "#", message).with_hint(syntax_hint)
    }
}

/// 1-based character column of a 1-based byte column on `line`.
fn char_column(text: &str, line: usize, byte_column: usize) -> usize {
    let Some(line_text) = text.split('\n').nth(line.saturating_sub(1)) else {
        return byte_column;
    };
    let mut end = byte_column.saturating_sub(1).min(line_text.len());
    while !line_text.is_char_boundary(end) {
        end -= 1;
    }
    line_text[..end].chars().count() + 1
}

const BUDGET_MESSAGE: &str = "the document expands to more than";

struct Ctx {
    format: Format,
    budget: Cell<usize>,
    limit: usize,
    duplicates: RefCell<Vec<Diagnostic>>,
}

impl Ctx {
    fn charge<E: de::Error>(&self) -> Result<(), E> {
        match self.budget.get().checked_sub(1) {
            Some(left) => {
                self.budget.set(left);
                Ok(())
            }
            None => Err(E::custom(format!("{BUDGET_MESSAGE} {} nodes", self.limit))),
        }
    }
}

/// Where a node is, as a borrowed linked list (no allocation unless needed).
#[derive(Clone, Copy)]
enum Seg<'a> {
    Root,
    Key(&'a str),
    Index(usize),
}

#[derive(Clone, Copy)]
struct PathNode<'a> {
    parent: Option<&'a PathNode<'a>>,
    seg: Seg<'a>,
}

impl PathNode<'_> {
    fn pointer(&self) -> String {
        let mut segs = Vec::new();
        let mut node = Some(self);
        while let Some(n) = node {
            match n.seg {
                Seg::Root => {}
                Seg::Key(k) => segs.push(k.to_owned()),
                Seg::Index(i) => segs.push(i.to_string()),
            }
            node = n.parent;
        }
        segs.reverse();
        segments_to_pointer(&segs)
    }
}

struct ValueSeed<'c, 'p> {
    ctx: &'c Ctx,
    path: &'p PathNode<'p>,
}

impl<'de> DeserializeSeed<'de> for ValueSeed<'_, '_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueSeed<'_, '_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON-compatible value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        self.ctx.charge()?;
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        self.ctx.charge()?;
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        self.ctx.charge()?;
        Ok(Value::Number(v.into()))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Value, E> {
        match (i64::try_from(v), u64::try_from(v)) {
            (Ok(i), _) => self.visit_i64(i),
            (_, Ok(u)) => self.visit_u64(u),
            _ => self.visit_f64(v as f64),
        }
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Value, E> {
        match u64::try_from(v) {
            Ok(u) => self.visit_u64(u),
            Err(_) => self.visit_f64(v as f64),
        }
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        self.ctx.charge()?;
        Ok(match Number::from_f64(v) {
            Some(n) => Value::Number(n),
            // YAML's .nan / .inf have no JSON form; keep them readable.
            None if v.is_nan() => Value::String(".nan".to_owned()),
            None if v > 0.0 => Value::String(".inf".to_owned()),
            None => Value::String("-.inf".to_owned()),
        })
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        self.ctx.charge()?;
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        self.ctx.charge()?;
        Ok(Value::String(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        self.ctx.charge()?;
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        self.visit_unit()
    }

    fn visit_some<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_enum<A: de::EnumAccess<'de>>(self, _data: A) -> Result<Value, A::Error> {
        Err(de::Error::custom(
            "YAML tags (`!Name value`) are not supported in an OpenAPI document",
        ))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        self.ctx.charge()?;
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        loop {
            let node = PathNode {
                parent: Some(self.path),
                seg: Seg::Index(items.len()),
            };
            match seq.next_element_seed(ValueSeed {
                ctx: self.ctx,
                path: &node,
            })? {
                Some(v) => items.push(v),
                None => break,
            }
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        self.ctx.charge()?;
        let mut map = Map::new();
        let mut merges = Vec::new();
        while let Some(key) = access.next_key_seed(KeySeed)? {
            let node = PathNode {
                parent: Some(self.path),
                seg: Seg::Key(&key),
            };
            let value = access.next_value_seed(ValueSeed {
                ctx: self.ctx,
                path: &node,
            })?;
            if self.ctx.format == Format::Yaml && key == "<<" && is_merge_source(&value) {
                merges.push(value);
                continue;
            }
            if map.contains_key(&key) {
                self.duplicate(&node, &key);
            }
            map.insert(key, value);
        }
        for source in merges {
            merge_into(&mut map, source);
        }
        Ok(Value::Object(map))
    }
}

impl ValueSeed<'_, '_> {
    fn duplicate(&self, node: &PathNode<'_>, key: &str) {
        let pointer = node.pointer();
        let d = match self.ctx.format {
            Format::Yaml => Diagnostic::error(
                "duplicate-key",
                pointer,
                format!(
                    "key `{key}` appears twice in the same mapping; YAML forbids duplicate keys"
                ),
            ),
            Format::Json => Diagnostic::warning(
                "duplicate-key",
                pointer,
                format!("key `{key}` appears twice in the same object; the last one wins"),
            ),
        };
        self.ctx
            .duplicates
            .borrow_mut()
            .push(d.with_hint("remove or rename one of the two entries"));
    }
}

fn is_merge_source(value: &Value) -> bool {
    match value {
        Value::Object(_) => true,
        Value::Array(items) => items.iter().all(Value::is_object),
        _ => false,
    }
}

/// YAML merge: keys already in the mapping win, then earlier sources win.
fn merge_into(map: &mut Map<String, Value>, source: Value) {
    let sources = match source {
        Value::Array(items) => items,
        other => vec![other],
    };
    for source in sources {
        if let Value::Object(entries) = source {
            for (k, v) in entries {
                map.entry(k).or_insert(v);
            }
        }
    }
}

/// Mapping keys: kept exactly as written (YAML `200:` → `"200"`).
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = String;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<String, D::Error> {
        deserializer.deserialize_string(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a scalar mapping key")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<String, E> {
        Ok(v)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_unit<E: de::Error>(self) -> Result<String, E> {
        Ok("null".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_columns() {
        assert_eq!(char_column("ab\néé: x", 2, 6), 4);
        assert_eq!(char_column("abc", 1, 3), 3);
        assert_eq!(char_column("abc", 5, 3), 3);
    }

    #[test]
    fn yaml_keys_stay_as_written() {
        let mut found = Vec::new();
        let (v, f) = parse("200: a\n0x1F: b\ntrue: c\n", &mut found).expect("parses");
        assert_eq!(f, Format::Yaml);
        assert_eq!(v, serde_json::json!({"200": "a", "0x1F": "b", "true": "c"}));
    }

    #[test]
    fn merge_keys() {
        let mut found = Vec::new();
        let text = "base: &b {x: 1, y: 2}\nuse:\n  <<: *b\n  y: 3\n";
        let (v, _) = parse(text, &mut found).expect("parses");
        assert_eq!(v["use"], serde_json::json!({"y": 3, "x": 1}));
        assert!(found.is_empty());
    }

    #[test]
    fn duplicates_reported() {
        let mut found = Vec::new();
        assert!(parse("a:\n  b: 1\n  b: 2\n", &mut found).is_ok());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].pointer, "#/a/b");
        assert_eq!(found[0].code, "duplicate-key");
    }
}
