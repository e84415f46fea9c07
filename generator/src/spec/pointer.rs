//! JSON pointers (RFC 6901) as they appear in `$ref`s and in diagnostics.
//!
//! A `$ref` is a URI: its fragment is percent-encoded (RFC 3986) and then a
//! JSON pointer whose segments escape `~` as `~0` and `/` as `~1`. Diagnostics
//! use the same `#/a/b` form, without percent-encoding.

use serde_json::Value;

/// Escapes one pointer segment (RFC 6901): `~` → `~0`, `/` → `~1`.
///
/// ```
/// use kontrat_generator::spec::pointer_escape;
/// assert_eq!(pointer_escape("/pets/{id}"), "~1pets~1{id}");
/// assert_eq!(pointer_escape("a~b"), "a~0b");
/// ```
pub fn pointer_escape(segment: &str) -> String {
    if !segment.contains(['~', '/']) {
        return segment.to_owned();
    }
    segment.replace('~', "~0").replace('/', "~1")
}

/// Undoes [`pointer_escape`]; `~1` is replaced before `~0` as RFC 6901 demands.
pub(crate) fn pointer_unescape(segment: &str) -> String {
    if !segment.contains('~') {
        return segment.to_owned();
    }
    segment.replace("~1", "/").replace("~0", "~")
}

/// Decodes `%XX` escapes; invalid or incomplete escapes are kept literally.
pub(crate) fn percent_decode(text: &str) -> String {
    if !text.contains('%') {
        return text.to_owned();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let (Some(h), Some(l)) = (
                bytes.get(i + 1).and_then(|b| hex(*b)),
                bytes.get(i + 2).and_then(|b| hex(*b)),
            )
        {
            out.push(h * 16 + l);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_owned())
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// The segments of a local reference (`#/a/b`, percent-decoded and unescaped).
///
/// `None` when the reference is not a local JSON pointer (external file,
/// URL, or a `#name` anchor).
pub(crate) fn ref_segments(reference: &str) -> Option<Vec<String>> {
    let fragment = reference.strip_prefix('#')?;
    pointer_segments(&percent_decode(fragment))
}

/// The segments of a pointer written as `/a/b` or `#/a/b` (no percent-decoding).
/// The root (`""` or `#`) has no segments.
pub(crate) fn pointer_segments(pointer: &str) -> Option<Vec<String>> {
    let pointer = pointer.strip_prefix('#').unwrap_or(pointer);
    if pointer.is_empty() {
        return Some(Vec::new());
    }
    let rest = pointer.strip_prefix('/')?;
    Some(rest.split('/').map(pointer_unescape).collect())
}

/// Builds `#/a/b` from unescaped segments.
pub(crate) fn segments_to_pointer<S: AsRef<str>>(segments: &[S]) -> String {
    let mut out = String::from("#");
    for s in segments {
        out.push('/');
        out.push_str(&pointer_escape(s.as_ref()));
    }
    out
}

/// The node at `segments`, if it exists.
pub(crate) fn lookup<'v, S: AsRef<str>>(root: &'v Value, segments: &[S]) -> Option<&'v Value> {
    let mut node = root;
    for seg in segments {
        node = child(node, seg.as_ref())?;
    }
    Some(node)
}

/// One step down: an object member or an array element (decimal index, no leading zeros).
pub(crate) fn child<'v>(node: &'v Value, seg: &str) -> Option<&'v Value> {
    match node {
        Value::Object(map) => map.get(seg),
        Value::Array(items) => array_index(seg).and_then(|i| items.get(i)),
        _ => None,
    }
}

fn array_index(seg: &str) -> Option<usize> {
    if seg.is_empty()
        || (seg.len() > 1 && seg.starts_with('0'))
        || !seg.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    seg.parse().ok()
}

/// How many leading segments of `segments` exist in `root`.
pub(crate) fn existing_prefix_len<S: AsRef<str>>(root: &Value, segments: &[S]) -> usize {
    let mut node = root;
    for (i, seg) in segments.iter().enumerate() {
        match child(node, seg.as_ref()) {
            Some(n) => node = n,
            None => return i,
        }
    }
    segments.len()
}

/// Appends one escaped segment to a pointer being built.
pub(crate) fn push_segment(pointer: &mut String, segment: &str) {
    pointer.push('/');
    if segment.contains(['~', '/']) {
        pointer.push_str(&pointer_escape(segment));
    } else {
        pointer.push_str(segment);
    }
}

/// `#/components/<kind>/<name>` → `(kind, name)`, the name unescaped.
///
/// Only exactly four segments match; a pointer into a component
/// (`#/components/schemas/Pet/properties/id`) does not. Percent-encoding and
/// `~0`/`~1` escapes in the name are decoded.
///
/// ```
/// use kontrat_generator::spec::component_name;
/// assert_eq!(component_name("#/components/schemas/Pet"), Some(("schemas", "Pet".to_owned())));
/// assert_eq!(component_name("#/components/schemas/a~1b"), Some(("schemas", "a/b".to_owned())));
/// assert_eq!(component_name("#/paths/~1pets"), None);
/// ```
pub fn component_name(reference: &str) -> Option<(&str, String)> {
    let rest = reference.strip_prefix("#/components/")?;
    let (kind, name) = rest.split_once('/')?;
    if kind.is_empty() || kind.contains(['~', '%']) || name.is_empty() || name.contains('/') {
        return None;
    }
    Some((kind, pointer_unescape(&percent_decode(name))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_round_trip() {
        for s in ["plain", "/a/{b}", "~", "~1", "a~/b", ""] {
            assert_eq!(pointer_unescape(&pointer_escape(s)), s);
        }
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("%7Bid%7D"), "{id}");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
        assert_eq!(percent_decode("%C3%A9"), "é");
    }

    #[test]
    fn ref_segments_forms() {
        assert_eq!(ref_segments("#"), Some(vec![]));
        assert_eq!(
            ref_segments("#/a~1b/c~0d"),
            Some(vec!["a/b".to_owned(), "c~d".to_owned()])
        );
        assert_eq!(
            ref_segments("#/paths/~1pets~1%7Bid%7D"),
            Some(vec!["paths".to_owned(), "/pets/{id}".to_owned()])
        );
        assert_eq!(ref_segments("#anchor"), None);
        assert_eq!(ref_segments("other.yaml#/a"), None);
    }

    #[test]
    fn array_indexes() {
        let v = serde_json::json!({"a": [1, 2]});
        assert_eq!(lookup(&v, &["a", "1"]), Some(&serde_json::json!(2)));
        assert_eq!(lookup(&v, &["a", "01"]), None);
        assert_eq!(lookup(&v, &["a", "-"]), None);
        assert_eq!(existing_prefix_len(&v, &["a", "7", "x"]), 1);
    }
}
