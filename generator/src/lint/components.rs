//! `component-unused`: components nothing uses.
//!
//! The model resolves every `$ref` away, so usage is read from the loaded document's
//! `$ref`s ([`Spec::raw`](crate::spec::Spec::raw), the tree the loader checked): a
//! component is used when a `$ref` outside `components` reaches it, directly or through
//! other used components; discriminator mappings count as references, and security
//! schemes are used by name in `security` requirements.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::spec::{component_name, pointer_escape};

use super::Lint;

/// A component: (section, name), e.g. `("schemas", "Pet")`.
type Component = (String, String);

pub(super) fn check(lint: &mut Lint<'_>) {
    let Some(Value::Object(sections)) = lint.spec.raw.get("components") else {
        return;
    };
    // What each component refers to, and what the rest of the document refers to.
    let mut edges: BTreeMap<Component, BTreeSet<Component>> = BTreeMap::new();
    for (section, entries) in sections {
        let Value::Object(entries) = entries else {
            continue;
        };
        for (name, node) in entries {
            let mut out = BTreeSet::new();
            refs(node, &mut out);
            edges.insert((section.clone(), name.clone()), out);
        }
    }
    let mut roots = BTreeSet::new();
    let mut schemes_used = BTreeSet::new();
    if let Value::Object(root) = &lint.spec.raw {
        for (key, node) in root {
            if key != "components" {
                refs(node, &mut roots);
            }
        }
    }
    security_names(&lint.spec.raw, &mut schemes_used);

    let mut used: BTreeSet<Component> = BTreeSet::new();
    let mut pending: Vec<Component> = roots.into_iter().collect();
    pending.extend(
        schemes_used
            .into_iter()
            .map(|n| ("securitySchemes".to_owned(), n)),
    );
    while let Some(c) = pending.pop() {
        if used.insert(c.clone())
            && let Some(next) = edges.get(&c)
        {
            pending.extend(next.iter().cloned());
        }
    }

    for (section, name) in edges.keys() {
        if used.contains(&(section.clone(), name.clone())) {
            continue;
        }
        lint.report(
            "component-unused",
            format!(
                "#/components/{}/{}",
                pointer_escape(section),
                pointer_escape(name)
            ),
            format!("`components.{section}.{name}` is not used by any operation"),
            "remove it, or reference it where it was meant to be used",
        );
    }
}

/// Components referred to anywhere under `node`: `$ref`s to or into a component, and
/// discriminator mapping targets.
fn refs(node: &Value, out: &mut BTreeSet<Component>) {
    match node {
        Value::Object(map) => {
            for (key, child) in map {
                match (key.as_str(), child) {
                    ("$ref", Value::String(target)) => {
                        if let Some(c) = component_of(target) {
                            out.insert(c);
                        }
                    }
                    ("discriminator", Value::Object(d)) => {
                        if let Some(Value::Object(mapping)) = d.get("mapping") {
                            for target in mapping.values().filter_map(Value::as_str) {
                                match component_of(target) {
                                    Some(c) => {
                                        out.insert(c);
                                    }
                                    None if !target.contains(['#', '/']) => {
                                        out.insert(("schemas".to_owned(), target.to_owned()));
                                    }
                                    None => {}
                                }
                            }
                        }
                        refs(child, out);
                    }
                    _ => refs(child, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|i| refs(i, out)),
        _ => {}
    }
}

/// `#/components/schemas/Pet/properties/id` → `("schemas", "Pet")`.
fn component_of(reference: &str) -> Option<Component> {
    let rest = reference.strip_prefix("#/components/")?;
    let mut parts = rest.splitn(3, '/');
    let (section, name) = (parts.next()?, parts.next()?);
    let whole = format!("#/components/{section}/{name}");
    let (section, name) = component_name(&whole)?;
    Some((section.to_owned(), name))
}

/// Scheme names in every `security` requirement list (the root's and operations').
fn security_names(node: &Value, out: &mut BTreeSet<String>) {
    match node {
        Value::Object(map) => {
            for (key, child) in map {
                if key == "security"
                    && let Value::Array(reqs) = child
                {
                    for req in reqs {
                        if let Value::Object(req) = req {
                            out.extend(req.keys().cloned());
                        }
                    }
                }
                if key != "securitySchemes" {
                    security_names(child, out);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|i| security_names(i, out)),
        _ => {}
    }
}
