//! Machine-readable lint output: kontrat's JSON and SARIF 2.1.0 (GitHub code scanning,
//! GitLab, IDEs).

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::diagnostics::{Diagnostics, Severity};

use super::RULES;

fn counts(d: &Diagnostics) -> (usize, usize, usize) {
    let n = |s: Severity| d.items.iter().filter(|i| i.severity == s).count();
    (n(Severity::Error), n(Severity::Warning), n(Severity::Note))
}

/// `{"file", "diagnostics": [{severity, code, message, pointer, line, column, hint}],
/// "summary": {errors, warnings, notes}}`; `line`/`column` are `null` when unknown.
pub fn to_json(diagnostics: &Diagnostics) -> Value {
    let (errors, warnings, notes) = counts(diagnostics);
    let items: Vec<Value> = diagnostics
        .items
        .iter()
        .map(|d| {
            json!({
                "severity": d.severity.to_string(),
                "code": d.code,
                "message": d.message,
                "pointer": d.pointer,
                "line": d.location.map(|l| l.line),
                "column": d.location.map(|l| l.column),
                "hint": d.hint,
            })
        })
        .collect();
    json!({
        "file": diagnostics.file,
        "diagnostics": items,
        "summary": {"errors": errors, "warnings": warnings, "notes": notes},
    })
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// A SARIF 2.1.0 log with one run: `tool.driver.rules` lists every rule of [`RULES`]
/// (and any loader code that was reported), each result has `ruleId`, `ruleIndex`,
/// `level`, `message` (with the hint) and a physical location: the file's URI (as given,
/// `/` separators) and, when known, `startLine`/`startColumn`. The JSON pointer is kept
/// in a logical location and in `properties.pointer`.
pub fn to_sarif(diagnostics: &Diagnostics, tool_version: &str) -> Value {
    let mut rules: Vec<Value> = Vec::new();
    let mut index: BTreeMap<&str, usize> = BTreeMap::new();
    for r in RULES {
        index.insert(r.code, rules.len());
        rules.push(json!({
            "id": r.code,
            "name": r.code,
            "shortDescription": {"text": r.summary},
            "defaultConfiguration": {"level": level(r.severity)},
        }));
    }
    for d in &diagnostics.items {
        if !index.contains_key(d.code) {
            index.insert(d.code, rules.len());
            rules.push(json!({
                "id": d.code,
                "name": d.code,
                "shortDescription": {"text": format!("Reported while loading the spec: {}", d.code)},
                "defaultConfiguration": {"level": level(d.severity)},
            }));
        }
    }
    let uri = diagnostics.file.replace('\\', "/");
    let results: Vec<Value> = diagnostics
        .items
        .iter()
        .map(|d| {
            let mut physical = json!({"artifactLocation": {"uri": uri}});
            if let Some(l) = d.location {
                physical["region"] = json!({"startLine": l.line, "startColumn": l.column});
            }
            let text = match &d.hint {
                Some(h) => format!("{} (hint: {h})", d.message),
                None => d.message.clone(),
            };
            json!({
                "ruleId": d.code,
                "ruleIndex": index[d.code],
                "level": level(d.severity),
                "message": {"text": text},
                "locations": [{
                    "physicalLocation": physical,
                    "logicalLocations": [{"fullyQualifiedName": d.pointer, "kind": "member"}],
                }],
                "properties": {"pointer": d.pointer},
            })
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "kontrat",
                "version": tool_version,
                "rules": rules,
            }},
            "results": results,
            "columnKind": "unicodeCodePoints",
        }],
    })
}
