//! `diff`: a table of spec pairs, each with the expected classification; a spec against
//! itself; the human and JSON reports.

use std::path::{Path, PathBuf};

use kontrat_generator::diff::{self, Report};
use kontrat_generator::load_contract_str;
use kontrat_generator::model::Contract;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn contract(name: &str, text: &str) -> Contract {
    match load_contract_str(name, text) {
        Ok((c, _)) => c,
        Err(d) => panic!("{name} does not load:\n{d}\n{text}"),
    }
}

const BASE: &str = r#"openapi: 3.0.3
info: {title: Pets, version: '1'}
paths:
  /pets:
    get:
      operationId: listPets
      parameters:
        - {name: limit, in: query, schema: {type: integer, maximum: 100}}
      responses:
        '200':
          description: The pets.
          content:
            application/json:
              schema: {type: array, items: {$ref: '#/components/schemas/Pet'}}
        '404': {description: None.}
    post:
      operationId: createPet
      security: [{key: []}]
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/NewPet'}
          application/x-www-form-urlencoded:
            schema: {$ref: '#/components/schemas/NewPet'}
      responses:
        '201':
          description: Created.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
  /pets/{petId}:
    get:
      operationId: getPet
      parameters:
        - {name: petId, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: The pet.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
            application/xml:
              schema: {$ref: '#/components/schemas/Pet'}
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Key}
  schemas:
    Pet:
      type: object
      required: [id, name]
      properties:
        id: {type: integer}
        name: {type: string}
        tag: {type: string}
        status: {type: string, enum: [available, sold]}
    NewPet:
      type: object
      required: [name]
      properties:
        name: {type: string, maxLength: 50}
        tag: {type: string}
        kind: {type: string, enum: [cat, dog]}
"#;

/// (case, [(text in BASE, replacement)], expected (kind, breaks clients, breaks servers)).
type Case = (
    &'static str,
    &'static [(&'static str, &'static str)],
    &'static [(&'static str, bool, bool)],
);

/// Pet is used by the responses of listPets, createPet and getPet (twice: JSON and XML),
/// so a change to it is reported once per operation and media type.
const PET_USES: usize = 4;

const CASES: &[Case] = &[
    (
        "description only",
        &[("description: The pets.", "description: All the pets.")],
        &[],
    ),
    (
        "operation deprecated",
        &[(
            "      operationId: getPet\n",
            "      operationId: getPet\n      deprecated: true\n",
        )],
        &[("operation-deprecated", false, false)],
    ),
    (
        "operation added",
        &[(
            "components:\n",
            "  /toys:\n    get:\n      operationId: listToys\n      responses: {'200': {description: ok}}\ncomponents:\n",
        )],
        &[("operation-added", false, true)],
    ),
    (
        "path changed",
        &[("  /pets/{petId}:\n", "  /animals/{petId}:\n")],
        &[("operation-moved", true, true)],
    ),
    (
        "method changed",
        &[(
            "  /pets/{petId}:\n    get:\n",
            "  /pets/{petId}:\n    put:\n",
        )],
        &[("operation-moved", true, true)],
    ),
    (
        "path parameter renamed",
        &[
            ("  /pets/{petId}:\n", "  /pets/{id}:\n"),
            ("{name: petId, in: path", "{name: id, in: path"),
        ],
        &[],
    ),
    (
        "operationId changed, same route",
        &[("operationId: getPet", "operationId: fetchPet")],
        &[("operation-id-changed", false, false)],
    ),
    (
        "required parameter added",
        &[(
            "        - {name: limit, in: query, schema: {type: integer, maximum: 100}}\n",
            "        - {name: limit, in: query, schema: {type: integer, maximum: 100}}\n        - {name: X-Tenant, in: header, required: true, schema: {type: string}}\n",
        )],
        &[("required-parameter-added", true, false)],
    ),
    (
        "optional parameter added",
        &[(
            "        - {name: limit, in: query, schema: {type: integer, maximum: 100}}\n",
            "        - {name: limit, in: query, schema: {type: integer, maximum: 100}}\n        - {name: offset, in: query, schema: {type: integer}}\n",
        )],
        &[("parameter-added", false, false)],
    ),
    (
        "parameter made required",
        &[(
            "{name: limit, in: query,",
            "{name: limit, in: query, required: true,",
        )],
        &[("parameter-made-required", true, false)],
    ),
    (
        "parameter bound narrowed",
        &[("maximum: 100", "maximum: 50")],
        &[("constraint-changed", true, false)],
    ),
    (
        "parameter bound widened",
        &[("maximum: 100", "maximum: 500")],
        &[("constraint-changed", false, true)],
    ),
    (
        "request field added as required",
        &[
            ("      required: [name]\n", "      required: [name, age]\n"),
            (
                "        kind: {type: string, enum: [cat, dog]}\n",
                "        kind: {type: string, enum: [cat, dog]}\n        age: {type: integer}\n",
            ),
        ],
        &[
            ("required-property-added", true, false),
            ("required-property-added", true, false),
        ],
    ),
    (
        "request field added as optional",
        &[(
            "        kind: {type: string, enum: [cat, dog]}\n",
            "        kind: {type: string, enum: [cat, dog]}\n        age: {type: integer}\n",
        )],
        &[
            ("property-added", false, false),
            ("property-added", false, false),
        ],
    ),
    (
        "request field made optional",
        &[("      required: [name]\n", "      required: []\n")],
        &[
            ("property-made-optional", false, true),
            ("property-made-optional", false, true),
        ],
    ),
    (
        "request type narrowed (shorter maxLength)",
        &[("maxLength: 50", "maxLength: 20")],
        &[
            ("constraint-changed", true, false),
            ("constraint-changed", true, false),
        ],
    ),
    (
        "request type replaced",
        &[(
            "name: {type: string, maxLength: 50}",
            "name: {type: integer}",
        )],
        &[("type-changed", true, true), ("type-changed", true, true)],
    ),
    (
        "request enum value removed",
        &[("enum: [cat, dog]", "enum: [cat]")],
        &[
            ("enum-value-removed", true, false),
            ("enum-value-removed", true, false),
        ],
    ),
    (
        "request enum value added",
        &[("enum: [cat, dog]", "enum: [cat, dog, bird]")],
        &[
            ("enum-value-added", false, true),
            ("enum-value-added", false, true),
        ],
    ),
    (
        "request media type removed",
        &[(
            "          application/x-www-form-urlencoded:\n            schema: {$ref: '#/components/schemas/NewPet'}\n",
            "",
        )],
        &[("media-type-removed", true, false)],
    ),
    (
        "request body made optional",
        &[(
            "      requestBody:\n        required: true\n",
            "      requestBody:\n        required: false\n",
        )],
        &[("request-body-made-optional", false, true)],
    ),
    (
        "security added",
        &[(
            "      operationId: listPets\n",
            "      operationId: listPets\n      security: [{key: []}]\n",
        )],
        &[("security-added", true, false)],
    ),
    (
        "security removed",
        &[("      security: [{key: []}]\n", "")],
        &[("security-removed", false, true)],
    ),
    (
        "security scheme changed",
        &[(
            "key: {type: apiKey, in: header, name: X-Key}",
            "key: {type: apiKey, in: query, name: key}",
        )],
        &[("security-changed", true, true)],
    ),
    (
        "error status removed",
        &[("        '404': {description: None.}\n", "")],
        &[("response-status-removed", false, true)],
    ),
    (
        "success status changed",
        &[(
            "        '201':\n          description: Created.",
            "        '200':\n          description: Created.",
        )],
        &[
            ("response-status-removed", true, true),
            ("response-status-added", true, false),
        ],
    ),
    (
        "error status added",
        &[(
            "        '404': {description: None.}\n",
            "        '404': {description: None.}\n        '429': {description: Slow down.}\n",
        )],
        &[("response-status-added", false, false)],
    ),
    (
        "response media type removed",
        &[(
            "            application/xml:\n              schema: {$ref: '#/components/schemas/Pet'}\n",
            "",
        )],
        &[("media-type-removed", true, true)],
    ),
    (
        "endpoint spec unchanged but Pet restructured into an allOf base",
        &[(
            "    Pet:\n      type: object\n      required: [id, name]\n      properties:\n        id: {type: integer}\n",
            "    Pet:\n      allOf:\n        - $ref: '#/components/schemas/Base'\n        - type: object\n          required: [name]\n          properties:\n            name: {type: string}\n            tag: {type: string}\n            status: {type: string, enum: [available, sold]}\n    Base:\n      type: object\n      required: [id]\n      properties:\n        id: {type: integer}\n    Unused:\n      type: object\n      required: [id, name]\n      properties:\n        id: {type: integer}\n",
        )],
        &[],
    ),
];

/// Changes to Pet (responses only), each reported once per use.
const PET_CASES: &[Case] = &[
    (
        "response field removed",
        &[
            ("      required: [id, name]\n", "      required: [id]\n"),
            ("        name: {type: string}\n        tag:", "        tag:"),
        ],
        &[("property-removed", true, false)],
    ),
    (
        "optional response field removed",
        &[(
            "        tag: {type: string}\n        status:",
            "        status:",
        )],
        &[("property-removed", false, false)],
    ),
    (
        "response field made optional",
        &[("      required: [id, name]\n", "      required: [id]\n")],
        &[("property-made-optional", true, false)],
    ),
    (
        "response field made nullable",
        &[(
            "        tag: {type: string}\n        status:",
            "        tag: {type: string, nullable: true}\n        status:",
        )],
        &[("nullable-added", true, false)],
    ),
    (
        "response field widened from integer to number",
        &[(
            "        id: {type: integer}\n",
            "        id: {type: number}\n",
        )],
        &[("type-changed", true, false)],
    ),
    (
        "response enum value added",
        &[(
            "enum: [available, sold]",
            "enum: [available, pending, sold]",
        )],
        &[("enum-value-added", true, false)],
    ),
    (
        "response enum value removed",
        &[("enum: [available, sold]", "enum: [available]")],
        &[("enum-value-removed", false, true)],
    ),
    (
        "response field added as required",
        &[
            (
                "      required: [id, name]\n",
                "      required: [id, name, born]\n",
            ),
            (
                "        id: {type: integer}\n",
                "        id: {type: integer}\n        born: {type: string, format: date}\n",
            ),
        ],
        &[("required-property-added", false, true)],
    ),
    (
        "response field added as optional",
        &[(
            "        id: {type: integer}\n",
            "        id: {type: integer}\n        born: {type: string, format: date}\n",
        )],
        &[("property-added", false, false)],
    ),
    (
        "response object closed",
        &[(
            "    Pet:\n      type: object\n",
            "    Pet:\n      type: object\n      additionalProperties: false\n",
        )],
        &[("additional-properties-changed", false, true)],
    ),
];

fn apply(name: &str, edits: &[(&str, &str)]) -> String {
    let mut text = BASE.to_owned();
    for (from, to) in edits {
        assert!(
            text.contains(from),
            "{name}: `{from}` is not in the base spec"
        );
        text = text.replacen(from, to, 1);
    }
    text
}

fn classify(report: &Report) -> Vec<(&'static str, bool, bool)> {
    report
        .changes
        .iter()
        .map(|c| (c.kind.code(), c.breaking_for.client, c.breaking_for.server))
        .collect()
}

#[test]
fn every_change_of_the_table_is_classified_for_clients_and_servers() {
    let old = contract("old.yaml", BASE);
    let mut failures = Vec::new();
    let cases = CASES.iter().map(|(n, e, x)| (*n, *e, x.to_vec())).chain(
        PET_CASES
            .iter()
            .map(|(n, e, x)| (*n, *e, x.iter().flat_map(|c| [*c; PET_USES]).collect())),
    );
    let mut count = 0;
    for (name, edits, expected) in cases {
        count += 1;
        let new = contract(name, &apply(name, edits));
        let report = diff::compare(&old, &new);
        let got = classify(&report);
        if got != expected {
            failures.push(format!(
                "{name}:\n  expected {expected:?}\n  got      {got:?}\n{report}"
            ));
        }
        // Every change says what and where, and points into one of the two documents.
        for c in &report.changes {
            assert!(!c.message.is_empty(), "{name}: {c:?}");
            assert!(
                c.old_pointer.is_some() || c.new_pointer.is_some(),
                "{name}: {c:?}"
            );
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(count >= 39, "{count} cases");
}

#[test]
fn an_operation_removed_breaks_clients_only() {
    let old = contract("old.yaml", BASE);
    let text = apply(
        "removed",
        &[(
            "  /pets/{petId}:\n    get:\n      operationId: getPet\n      parameters:\n        - {name: petId, in: path, required: true, schema: {type: string}}\n      responses:\n        '200':\n          description: The pet.\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Pet'}\n            application/xml:\n              schema: {$ref: '#/components/schemas/Pet'}\n",
            "",
        )],
    );
    let report = diff::compare(&old, &contract("new.yaml", &text));
    assert_eq!(classify(&report), [("operation-removed", true, false)]);
    let op = report.changes[0].operation.as_ref().unwrap();
    assert_eq!(
        (op.id.as_str(), op.method.as_str(), op.path.as_str()),
        ("getPet", "GET", "/pets/{petId}")
    );
    assert_eq!(
        report.changes[0].old_pointer.as_deref(),
        Some("#/paths/~1pets~1{petId}/get")
    );
}

#[test]
fn operations_without_ids_match_by_method_and_path() {
    let a = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n      parameters: [{name: q, in: query, schema: {type: string}}]\n      responses: {'200': {description: ok}}\n";
    let b = a.replace("in: query,", "in: query, required: true,");
    let report = diff::compare(&contract("a.yaml", a), &contract("b.yaml", &b));
    assert_eq!(
        classify(&report),
        [("parameter-made-required", true, false)]
    );
}

#[test]
fn recursive_schemas_terminate() {
    let a = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /t:\n    get:\n      operationId: t\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Node'}\ncomponents:\n  schemas:\n    Node:\n      type: object\n      properties:\n        children: {type: array, items: {$ref: '#/components/schemas/Node'}}\n        name: {type: string}\n";
    let b = a.replace(
        "name: {type: string}",
        "name: {type: string, nullable: true}",
    );
    let report = diff::compare(&contract("a.yaml", a), &contract("b.yaml", &b));
    assert_eq!(classify(&report), [("nullable-added", true, false)]);
    assert_eq!(
        report.changes[0].location,
        "response 200 (application/json) .name"
    );
}

#[test]
fn a_spec_against_itself_is_empty() {
    let auth = std::fs::read_to_string(workspace().join("spec/auth.yaml")).unwrap();
    let c = contract("auth.yaml", &auth);
    assert!(diff::compare(&c, &c).is_empty());
    let base = contract("base.yaml", BASE);
    assert!(diff::compare(&base, &contract("again.yaml", BASE)).is_empty());
    let corpus = workspace().join("../shared/corpus");
    for dir in ["openapi-3.0", "openapi-3.1"] {
        for entry in std::fs::read_dir(corpus.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let c = contract(&path.display().to_string(), &text);
            let report = diff::compare(&c, &c);
            assert!(report.is_empty(), "{}:\n{report}", path.display());
        }
    }
}

#[test]
fn the_auth_contract_evolved() {
    let old_text = std::fs::read_to_string(workspace().join("spec/auth.yaml")).unwrap();
    let new_text = old_text
        .replace(
            "      required: [refreshToken]\n      additionalProperties: false\n      properties:\n        refreshToken:\n          type: string\n          minLength: 16\n          maxLength: 4096\n          description: The refresh token received",
            "      required: [refreshToken, deviceId]\n      additionalProperties: false\n      properties:\n        deviceId:\n          type: string\n        refreshToken:\n          type: string\n          minLength: 16\n          maxLength: 4096\n          description: The refresh token received",
        )
        .replace("enum: [Bearer]", "enum: [Bearer, DPoP]");
    let report = diff::compare(
        &contract("auth.yaml", &old_text),
        &contract("auth-v2.yaml", &new_text),
    );
    insta::assert_snapshot!("diff_auth_human", report.to_string());
    let json = diff::to_json(&report, "auth.yaml", "auth-v2.yaml");
    assert_eq!(json["summary"]["changes"], 2);
    assert_eq!(json["summary"]["breaking_for_clients"], 2);
    assert_eq!(json["summary"]["breaking_for_servers"], 1);
    let first = &json["changes"][0];
    assert_eq!(first["kind"], "required-property-added");
    assert_eq!(first["operation"]["id"], "refreshToken");
    assert_eq!(first["where"], "request body (application/json) .deviceId");
    assert_eq!(first["breaking_for"]["client"], true);
    assert_eq!(first["breaking_for"]["server"], true);
    assert_eq!(
        first["new_pointer"],
        "#/components/schemas/RefreshTokenRequest/properties/deviceId"
    );
}

mod mutated {
    //! Mutated specs never panic lint or diff, and a mutated spec diffs empty with itself.

    use super::*;
    use proptest::prelude::*;

    /// Line-level edits keep most mutants loadable, which is where lint and diff run.
    fn mutate(text: &str, edits: &[(u8, usize, usize)]) -> String {
        let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
        for &(op, a, b) in edits {
            if lines.is_empty() {
                break;
            }
            let (i, j) = (a % lines.len(), b % lines.len());
            match op % 4 {
                0 => {
                    lines.remove(i);
                }
                1 => {
                    let line = lines[i].clone();
                    lines.insert(i, line);
                }
                2 => lines.swap(i, j),
                _ => {
                    let line = lines[j].clone();
                    lines[i] = line;
                }
            }
        }
        lines.join("\n")
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

        #[test]
        fn lint_and_diff_never_panic(
            seed in 0usize..2,
            edits in proptest::collection::vec((any::<u8>(), 0usize..400, 0usize..400), 1..4),
        ) {
            let auth = std::fs::read_to_string(workspace().join("spec/auth.yaml")).unwrap();
            let original = [auth.as_str(), BASE][seed];
            let text = mutate(original, &edits);
            let _ = kontrat_generator::lint::lint_str("mutant.yaml", &text);
            if let Ok((mutant, _)) = load_contract_str("mutant.yaml", &text) {
                let base = contract("original.yaml", original);
                let _ = diff::compare(&base, &mutant).to_string();
                let _ = diff::compare(&mutant, &base).to_string();
                prop_assert!(diff::compare(&mutant, &mutant).is_empty());
            }
        }
    }
}
