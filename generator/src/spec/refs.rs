//! The structural walk's hook (normalise schemas, collect `$ref`s and
//! `operationId`s) and the checks run on what it collected.
//!
//! Every reference must be a local JSON pointer to an existing node, and
//! following a chain of references must end at a real node. A schema that
//! contains itself through `properties`/`items` is a recursive *type* and
//! legal; only a chain of pure references (A is `$ref: B`, B is `$ref: A`)
//! is a cycle.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use crate::diagnostics::Diagnostic;

use super::normalise;
use super::pointer::{existing_prefix_len, lookup, ref_segments, segments_to_pointer};
use super::shape;
use super::walk::{Hook, Kind};

/// A reference found by the walk.
pub(crate) struct RefSite {
    /// Pointer of the `$ref` key (or of the discriminator mapping entry).
    pub(crate) pointer: String,
    /// What the referring position expects (`None` for a discriminator mapping, always a schema).
    pub(crate) kind: Kind,
    /// The reference text as written.
    pub(crate) reference: String,
}

/// Normalises schemas and records references and operation ids as the walk goes.
pub(crate) struct Collector<'d> {
    diags: &'d mut Vec<Diagnostic>,
    pub(crate) refs: Vec<RefSite>,
    /// `(operation pointer, operationId)` in document order.
    pub(crate) operation_ids: Vec<(String, String)>,
    /// Schema pointers whose `$ref` was wrapped into `allOf`.
    wrapped: HashSet<String>,
}

impl<'d> Collector<'d> {
    pub(crate) fn new(diags: &'d mut Vec<Diagnostic>) -> Self {
        Self {
            diags,
            refs: Vec::new(),
            operation_ids: Vec::new(),
            wrapped: HashSet::new(),
        }
    }
}

impl Hook for Collector<'_> {
    fn schema(&mut self, pointer: &str, node: &mut Value) {
        if normalise::schema(pointer, node, self.diags) {
            self.wrapped.insert(pointer.to_owned());
        }
    }

    fn reference(&mut self, pointer: &str, kind: Kind, reference: &str) {
        // Report a wrapped reference where the user wrote it.
        let at = match pointer.strip_suffix("/allOf/0") {
            Some(parent) if self.wrapped.contains(parent) => format!("{parent}/$ref"),
            _ => format!("{pointer}/$ref"),
        };
        self.refs.push(RefSite {
            pointer: at,
            kind,
            reference: reference.to_owned(),
        });
    }

    fn mapping(&mut self, pointer: &str, target: &str) {
        // Mapping values are schema names or references; only local pointers are checked.
        if target.starts_with('#') {
            self.refs.push(RefSite {
                pointer: pointer.to_owned(),
                kind: Kind::Schema,
                reference: target.to_owned(),
            });
        }
    }

    fn operation_id(&mut self, pointer: &str, id: &str) {
        self.operation_ids.push((pointer.to_owned(), id.to_owned()));
    }
}

const BUNDLE_HINT: &str = "bundle the spec into one file first (e.g. `npx @redocly/cli bundle openapi.yaml -o bundled.yaml`) and generate from the bundle";

/// The `external-ref` diagnostic.
pub(crate) fn external(pointer: &str, reference: &str) -> Diagnostic {
    Diagnostic::error(
        "external-ref",
        pointer,
        format!("external $ref `{reference}` not supported: only references inside this document (`#/…`) are"),
    )
    .with_hint(BUNDLE_HINT)
}

/// The `invalid-ref` diagnostic (a `#name` anchor or other non-pointer fragment).
pub(crate) fn invalid(pointer: &str, reference: &str) -> Diagnostic {
    Diagnostic::error(
        "invalid-ref",
        pointer,
        format!("`{reference}` is not a JSON pointer reference (`#/…`)"),
    )
    .with_hint("refer to the node by its JSON pointer, e.g. `#/components/schemas/Pet`; `$anchor` names are not supported")
}

/// The `unresolved-ref` diagnostic, with a hint naming close existing names.
pub(crate) fn unresolved(
    raw: &Value,
    pointer: &str,
    reference: &str,
    segments: &[String],
) -> Diagnostic {
    Diagnostic::error(
        "unresolved-ref",
        pointer,
        format!(
            "$ref `{reference}` does not resolve: nothing at `{}`",
            segments_to_pointer(segments)
        ),
    )
    .with_hint(unresolved_hint(raw, segments))
}

fn unresolved_hint(raw: &Value, segments: &[String]) -> String {
    let found = existing_prefix_len(raw, segments);
    let parent = &segments[..found];
    let missing = segments.get(found).map_or("", String::as_str);
    let parent_node = lookup(raw, parent);
    let names: Vec<&str> = match parent_node {
        Some(Value::Object(map)) => map.keys().map(String::as_str).collect(),
        _ => Vec::new(),
    };
    let close = close_names(missing, &names);
    let parent_pointer = segments_to_pointer(parent);
    let mut hint = if !close.is_empty() {
        let list: Vec<String> = close
            .iter()
            .map(|n| {
                let mut p = parent.to_vec();
                p.push((*n).to_owned());
                format!("`{}`", segments_to_pointer(&p))
            })
            .collect();
        format!("did you mean {}?", list.join(" or "))
    } else if found == 0 {
        format!("the document has no top-level `{missing}`")
    } else if names.is_empty() {
        format!("`{parent_pointer}` has no `{missing}`")
    } else {
        format!(
            "`{parent_pointer}` has no `{missing}` (it has {} entries)",
            names.len()
        )
    };
    if parent == ["paths"] {
        hint.push_str(
            "; a `/` inside a path key is written `~1` (e.g. `#/paths/~1pets~1{id}/get`)",
        );
    }
    hint
}

/// Up to three names close to `wanted` (case-insensitive edit distance).
fn close_names<'n>(wanted: &str, names: &[&'n str]) -> Vec<&'n str> {
    if wanted.is_empty() {
        return Vec::new();
    }
    let wanted_lower = wanted.to_lowercase();
    let limit = (wanted.chars().count() / 3).max(2);
    let mut scored: Vec<(usize, &str)> = names
        .iter()
        .filter(|n| n.chars().count().abs_diff(wanted.chars().count()) <= limit)
        .filter_map(|n| {
            let d = edit_distance(&wanted_lower, &n.to_lowercase(), limit);
            (d <= limit).then_some((d, *n))
        })
        .collect();
    scored.sort();
    scored.into_iter().take(3).map(|(_, n)| n).collect()
}

/// Levenshtein distance, giving up (returning `limit + 1`) beyond `limit` or on long names.
fn edit_distance(a: &str, b: &str, limit: usize) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len() > 128 || b.len() > 128 {
        return if a == b { 0 } else { limit + 1 };
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The component sections OpenAPI defines (a reference into one must match the expected kind).
pub(crate) const COMPONENT_SECTIONS: [&str; 10] = [
    "schemas",
    "responses",
    "parameters",
    "examples",
    "requestBodies",
    "headers",
    "securitySchemes",
    "links",
    "callbacks",
    "pathItems",
];

/// Checks every collected reference against `raw`.
pub(crate) fn check(raw: &Value, refs: &[RefSite], diags: &mut Vec<Diagnostic>) {
    let mut resolves: HashSet<String> = HashSet::new();
    let mut cycles: HashSet<Vec<String>> = HashSet::new();
    for site in refs {
        let reference = site.reference.as_str();
        if !reference.starts_with('#') {
            diags.push(external(&site.pointer, reference));
            continue;
        }
        let Some(segments) = ref_segments(reference) else {
            diags.push(invalid(&site.pointer, reference));
            continue;
        };
        let Some(target) = lookup(raw, &segments) else {
            diags.push(unresolved(raw, &site.pointer, reference, &segments));
            continue;
        };
        if let (Some(expected), ["components", section, _]) = (
            site.kind.component_kind(),
            segments
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>()
                .as_slice(),
        ) && COMPONENT_SECTIONS.contains(section)
            && *section != expected
        {
            let what = site.kind.describe();
            let hint = format!("refer to an entry of `#/components/{expected}` instead");
            // Sloppy but usable (a response `{description}` is also a valid schema): warn only.
            if matches!(
                shape::check_kind_deep(site.kind, target),
                Some(Ok(())) | None
            ) {
                diags.push(
                    Diagnostic::warning(
                        "ref-kind-mismatch",
                        &site.pointer,
                        format!("$ref `{reference}` points into `#/components/{section}` but is used as a {what}; its target is read as a {what}"),
                    )
                    .with_hint(hint),
                );
            } else {
                diags.push(
                    Diagnostic::error(
                        "ref-kind-mismatch",
                        &site.pointer,
                        format!("$ref `{reference}` points into `#/components/{section}`, but a {what} is expected here"),
                    )
                    .with_hint(hint),
                );
                continue;
            }
        }
        let start = segments_to_pointer(&segments);
        if let Err(cycle) = follow(raw, start, target, &mut resolves) {
            let mut key = cycle.clone();
            key.sort();
            if cycles.insert(key) {
                let mut chain = cycle.clone();
                chain.push(cycle[0].clone());
                diags.push(
                    Diagnostic::error(
                        "ref-cycle",
                        format!("{}/$ref", cycle[0]),
                        format!("$ref cycle never reaches a definition: {}", chain.join(" → ")),
                    )
                    .with_hint("make one of these references point to an actual definition instead of another `$ref`"),
                );
            }
        }
    }
}

/// Follows a chain of pure references from `target` (at `start`). `Err`
/// carries the pointers forming a cycle. Chains that end at a real node are
/// remembered in `resolves`; broken links are reported at their own site.
fn follow(
    raw: &Value,
    start: String,
    target: &Value,
    resolves: &mut HashSet<String>,
) -> Result<(), Vec<String>> {
    let mut chain = vec![start];
    let mut node = target;
    while let Some(Value::String(next)) = node.as_object().and_then(|m| m.get("$ref")) {
        let Some(segments) = ref_segments(next) else {
            break;
        };
        let canonical = segments_to_pointer(&segments);
        if let Some(at) = chain.iter().position(|p| *p == canonical) {
            return Err(chain.split_off(at));
        }
        if resolves.contains(&canonical) {
            break;
        }
        let Some(next_node) = lookup(raw, &segments) else {
            break;
        };
        chain.push(canonical);
        node = next_node;
    }
    resolves.extend(chain);
    Ok(())
}

/// Reports every repeated `operationId` at its later occurrence.
pub(crate) fn check_operation_ids(ids: &[(String, String)], diags: &mut Vec<Diagnostic>) {
    let mut first: HashMap<&str, &str> = HashMap::new();
    for (pointer, id) in ids {
        if id.trim().is_empty() {
            continue;
        }
        match first.get(id.as_str()) {
            Some(earlier) => diags.push(
                Diagnostic::error(
                    "duplicate-operation-id",
                    format!("{pointer}/operationId"),
                    format!("operationId `{id}` is already used by the operation at `{earlier}`"),
                )
                .with_hint("operationIds must be unique across the API; rename one of them"),
            ),
            None => {
                first.insert(id, pointer);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(edit_distance("pet", "pets", 5), 1);
        assert_eq!(edit_distance("kitten", "sitting", 5), 3);
        assert_eq!(
            close_names("Pets", &["Pet", "Order", "pets", "User"]),
            vec!["pets", "Pet"]
        );
        assert!(close_names("Zebra", &["Pet", "Order"]).is_empty());
    }
}
