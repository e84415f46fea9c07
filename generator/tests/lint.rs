//! `lint`: every rule fires, located, on a spec written to break it; the auth contract is
//! clean; the corpus lints without crashing; JSON and SARIF output.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use kontrat_generator::lint::{self, RULES, has_production_warning};
use kontrat_generator::{Diagnostics, Severity};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn lint_ok(file: &str, text: &str) -> Diagnostics {
    match lint::lint_str(file, text) {
        Ok(d) => d,
        Err(d) => panic!("{file} does not load:\n{d}"),
    }
}

/// `(code, line, column)` of every finding.
fn found(d: &Diagnostics) -> Vec<(&'static str, usize, usize)> {
    d.items
        .iter()
        .map(|i| {
            let l = i.location.expect("every finding is located");
            (i.code, l.line, l.column)
        })
        .collect()
}

/// A spec that breaks every rule at least once (line numbers matter: see `BAD_FINDINGS`).
const BAD: &str = r#"openapi: 3.0.3
info: {title: Shop, version: '1'}
servers:
  - url: https://api.shop.example
    description: Production
paths:
  /orders/{orderId}:
    post:
      operationId: updateOrder
      description: Updates an order.
      security: [{bearer: []}]
      parameters:
        - {name: orderId, in: path, required: true, schema: {type: integer}, example: abc}
        - {name: verbose, in: query, schema: {type: boolean}}
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Order'}
            example: {id: 1, note: 7}
      responses:
        '200':
          description: ''
          content:
            application/json:
              schema: {$ref: '#/components/schemas/OrderEnvelope'}
              example: {isSuccess: false, statusCode: 201, data: {id: 1}, errors: [], timestamp: '2026-01-15T10:30:00.000Z'}
        '204':
          description: Nothing.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Envelope'}
        '404':
          description: Not found.
  /orders:
    get:
      parameters:
        - {name: ghost, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: The orders.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/OrderEnvelope'}
        '500':
          description: Oops.
          content:
            application/json:
              schema: {type: object, properties: {message: {type: string}}}
  /items/{itemId}:
    get:
      operationId: getItem
      responses:
        '200':
          description: The item.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/OrderEnvelope'}
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
    basic: {type: http, scheme: basic}
  schemas:
    Envelope:
      type: object
      required: [isSuccess, statusCode, data, errors, timestamp]
      properties:
        isSuccess: {type: boolean}
        statusCode: {type: integer}
        data: {nullable: true}
        errors: {type: array, items: {type: string}}
        timestamp: {type: string, format: date-time}
    OrderEnvelope:
      allOf:
        - $ref: '#/components/schemas/Envelope'
        - properties: {data: {$ref: '#/components/schemas/Order'}}
    EmptyEnvelope:
      allOf:
        - $ref: '#/components/schemas/Envelope'
        - properties: {data: {nullable: true, enum: [null]}}
    Order:
      type: object
      required: [id]
      properties:
        id: {type: integer, example: one}
        note: {type: string}
    Unused:
      type: string
"#;

const BAD_FINDINGS: &[(&str, usize, usize)] = &[
    ("production-warning-missing", 10, 7),
    ("example-invalid", 13, 78),
    ("example-invalid", 20, 30),
    ("secured-without-401", 21, 7),
    ("body-without-400", 21, 7),
    ("response-description-missing", 23, 11),
    ("envelope-success-mismatch", 27, 25),
    ("envelope-status-mismatch", 27, 43),
    ("response-content-unexpected", 30, 11),
    ("response-content-missing", 33, 9),
    ("unused-path-parameter", 36, 5),
    ("operation-id-missing", 36, 5),
    ("parameters-without-400", 39, 7),
    ("envelope-not-used", 49, 15),
    ("undeclared-path-parameter", 51, 5),
    ("component-unused", 62, 5),
    ("component-unused", 77, 5),
    ("schema-example-invalid", 85, 29),
    ("component-unused", 87, 5),
];

#[test]
fn every_rule_fires_located_with_a_hint() {
    let d = lint_ok("bad.yaml", BAD);
    assert_eq!(found(&d), BAD_FINDINGS, "\n{d}");
    for item in &d.items {
        assert!(
            item.hint.as_deref().is_some_and(|h| !h.is_empty()),
            "{item:?}"
        );
        if let Some(rule) = lint::rule(item.code) {
            assert_eq!(item.severity, rule.severity, "{item:?}");
        }
    }
    // Every rule of the table is exercised, the loader's duplicate-id check aside
    // (a duplicate operationId stops loading: see `a_spec_that_cannot_load_is_an_err`).
    let fired: BTreeSet<&str> = d.items.iter().map(|i| i.code).collect();
    for rule in RULES {
        assert!(
            fired.contains(rule.code) || rule.code == "duplicate-operation-id",
            "{} never fired",
            rule.code
        );
    }
    insta::assert_snapshot!("lint_bad_human", d.to_string());
}

#[test]
fn the_auth_contract_lints_clean() {
    let path = workspace().join("spec/auth.yaml");
    let d = lint::lint_file(&path).expect("spec/auth.yaml loads");
    assert!(d.is_empty(), "spec/auth.yaml must lint clean:\n{d}");
}

#[test]
fn the_auth_contract_descriptions_carry_the_production_warning() {
    let path = workspace().join("spec/auth.yaml");
    let (contract, _) = kontrat_generator::load_contract(&path).unwrap();
    assert!(contract.servers.iter().any(|s| s.is_production()));
    for op in contract
        .operations
        .iter()
        .filter(|o| o.method.is_mutating())
    {
        assert!(
            has_production_warning(op.description.as_deref().unwrap_or_default()),
            "{}",
            op.id
        );
    }
}

#[test]
fn production_warnings_in_turkish_and_english() {
    for yes in [
        "**Production uyarisi:** Bu endpoint veri degistirir veya operasyon tetikleyebilir.",
        "**Production uyarısı:** Bu uç nokta veri değiştirir.",
        "PRODUCTION UYARISI: gerçek veriler etkilenir",
        "Canlı ortam uyarısı: dikkatli olun.",
        "CANLI ORTAM: DİKKAT",
        "**Production warning:** this endpoint changes data.",
        "Caution: calls against production affect real customers.",
        "⚠ production",
        "Modifies production data; test against Development.",
    ] {
        assert!(has_production_warning(yes), "{yes}");
    }
    for no in [
        "",
        "Updates an order.",
        "Lists production lines.",
        "Warning: slow.",
        "Kullanıcının tüm aktif oturumlarını sonlandırır",
    ] {
        assert!(!has_production_warning(no), "{no}");
    }
}

#[test]
fn no_production_server_no_warning_rule() {
    let spec = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\nservers: [{url: 'https://dev.example', description: Development}]\npaths:\n  /a:\n    post:\n      operationId: a\n      responses: {'204': {description: done}}\n";
    let d = lint_ok("dev.yaml", spec);
    assert!(d.is_empty(), "{d}");
}

#[test]
fn a_shared_component_is_reported_once_naming_every_operation_that_misuses_it() {
    // `Unauthorized` is written for 401; documenting it as the 403 of two operations is
    // one finding at the example, naming both. Its invalid `timestamp` is one finding.
    let spec = r#"openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /a:
    get:
      operationId: a
      responses:
        '200': {$ref: '#/components/responses/Ok'}
        '401': {$ref: '#/components/responses/Unauthorized'}
        '403': {$ref: '#/components/responses/Unauthorized'}
  /b:
    get:
      operationId: b
      responses:
        '200': {$ref: '#/components/responses/Ok'}
        '401': {$ref: '#/components/responses/Unauthorized'}
        '403': {$ref: '#/components/responses/Unauthorized'}
components:
  schemas:
    Envelope:
      type: object
      properties:
        isSuccess: {type: boolean}
        statusCode: {type: integer}
        data: {nullable: true}
        timestamp: {type: string, format: date-time}
    Ok:
      allOf:
        - $ref: '#/components/schemas/Envelope'
        - properties: {data: {type: string}}
    Error:
      allOf:
        - $ref: '#/components/schemas/Envelope'
        - properties: {data: {nullable: true, enum: [null]}}
  responses:
    Ok:
      description: Fine.
      content:
        application/json:
          schema: {$ref: '#/components/schemas/Ok'}
    Unauthorized:
      description: No token.
      content:
        application/json:
          schema: {$ref: '#/components/schemas/Error'}
          example: {isSuccess: false, statusCode: 401, data: null, timestamp: yesterday}
"#;
    let d = lint_ok("shared.yaml", spec);
    let codes: Vec<&str> = d.items.iter().map(|i| i.code).collect();
    assert_eq!(
        codes,
        ["envelope-status-mismatch", "example-invalid"],
        "\n{d}"
    );
    assert!(
        d.items[0]
            .message
            .ends_with("documents the 403 response of `a` and `b`"),
        "{d}"
    );
    assert!(
        d.items[1]
            .pointer
            .ends_with("/Unauthorized/content/application~1json/example/timestamp"),
        "{d}"
    );
    assert!(
        d.items[1]
            .message
            .contains("\"yesterday\" is not a \"date-time\""),
        "{d}"
    );
}

#[test]
fn parameter_examples_are_text_and_non_json_examples_are_not_compared() {
    let spec = r#"openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /a:
    get:
      operationId: a
      parameters:
        - {name: X-Code, in: header, schema: {type: string}, example: 13008}
        - {name: limit, in: query, schema: {type: integer, maximum: 10}, examples: {big: {value: 50}}}
      responses:
        '200':
          description: ok
          content:
            application/xml:
              schema: {type: object, properties: {id: {type: integer}}}
              example: '<a><id>1</id></a>'
"#;
    let d = lint_ok("params.yaml", spec);
    assert_eq!(
        found(&d),
        [
            ("example-invalid", 9, 91),
            ("parameters-without-400", 10, 7)
        ],
        "\n{d}"
    );
    assert!(
        d.items[0]
            .pointer
            .ends_with("/parameters/1/examples/big/value"),
        "{d}"
    );
}

#[test]
fn components_used_only_through_mappings_callbacks_or_other_components_are_used() {
    let spec = r#"openapi: 3.0.3
info: {title: T, version: '1'}
security: [{key: []}]
paths:
  /pets:
    get:
      operationId: pets
      parameters: [{$ref: '#/components/parameters/Limit'}]
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
        '401': {description: no key}
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Key}
  parameters:
    Limit: {name: limit, in: query, schema: {$ref: '#/components/schemas/Limit'}}
  schemas:
    Limit: {type: integer}
    Pet:
      type: object
      required: [kind]
      properties: {kind: {type: string}}
      discriminator:
        propertyName: kind
        mapping: {cat: '#/components/schemas/Cat', dog: Dog}
    Cat:
      allOf: [{$ref: '#/components/schemas/Pet'}, {properties: {lives: {$ref: '#/components/schemas/Lives'}}}]
    Dog:
      allOf: [{$ref: '#/components/schemas/Pet'}]
    Lives: {type: integer}
    Orphan: {$ref: '#/components/schemas/Lonely'}
    Lonely: {type: string}
"#;
    let d = lint_ok("used.yaml", spec);
    let unused: Vec<&str> = d
        .items
        .iter()
        .filter(|i| i.code == "component-unused")
        .map(|i| i.pointer.as_str())
        .collect();
    assert_eq!(
        unused,
        ["#/components/schemas/Orphan", "#/components/schemas/Lonely"],
        "\n{d}"
    );
}

#[test]
fn components_only_webhooks_use_are_notes() {
    let spec = r#"openapi: 3.1.0
info: {title: T, version: '1'}
paths: {}
webhooks:
  ping:
    post:
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Ping'}
      responses: {'200': {description: ok}}
components:
  schemas:
    Ping: {type: object}
"#;
    let d = lint_ok("hooks.yaml", spec);
    let unused = d
        .items
        .iter()
        .find(|i| i.code == "component-unused")
        .expect("reported");
    assert_eq!(unused.severity, Severity::Note, "{d}");
    assert!(!d.has_errors());
}

#[test]
fn a_spec_that_cannot_load_is_an_err_with_the_loader_diagnostics() {
    let spec = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: a\n      responses: {'200': {description: ok}}\n  /b:\n    get:\n      operationId: a\n      responses: {'200': {description: ok}}\n";
    let d = lint::lint_str("dup.yaml", spec).expect_err("does not load");
    assert_eq!(d.errors().next().unwrap().code, "duplicate-operation-id");
    let d = lint::lint_str("syntax.yaml", "openapi: [\n").expect_err("does not load");
    assert_eq!(d.errors().next().unwrap().code, "syntax");
}

#[test]
fn json_output() {
    let d = lint_ok("bad.yaml", BAD);
    let json = lint::to_json(&d);
    assert_eq!(json["file"], "bad.yaml");
    assert_eq!(json["summary"]["errors"], 5);
    assert_eq!(json["summary"]["warnings"], 14);
    let first = &json["diagnostics"][0];
    assert_eq!(first["code"], "production-warning-missing");
    assert_eq!(first["severity"], "warning");
    assert_eq!(
        (first["line"].as_u64(), first["column"].as_u64()),
        (Some(10), Some(7))
    );
    assert_eq!(
        first["pointer"],
        "#/paths/~1orders~1{orderId}/post/description"
    );
    assert!(first["hint"].is_string());
}

#[test]
fn sarif_output() {
    let d = lint_ok("specs/bad.yaml", BAD);
    let sarif = lint::to_sarif(&d, "9.9.9");
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "kontrat");
    assert_eq!(run["tool"]["driver"]["version"], "9.9.9");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    for rule in RULES {
        assert!(ids.contains(&rule.code), "{}", rule.code);
    }
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), d.items.len());
    for (result, item) in results.iter().zip(&d.items) {
        let id = result["ruleId"].as_str().unwrap();
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], id);
        assert_eq!(id, item.code);
        assert_eq!(result["level"], item.severity.to_string());
        let physical = &result["locations"][0]["physicalLocation"];
        assert_eq!(physical["artifactLocation"]["uri"], "specs/bad.yaml");
        let l = item.location.unwrap();
        assert_eq!(physical["region"]["startLine"], l.line);
        assert_eq!(physical["region"]["startColumn"], l.column);
        assert!(
            result["message"]["text"]
                .as_str()
                .unwrap()
                .contains("hint:")
        );
    }
}

/// Every corpus spec lints (none crashes, every finding is located and has a hint), fast.
#[test]
fn the_corpus_lints_without_crashing() {
    let corpus = workspace().join("../shared/corpus");
    let mut specs: Vec<PathBuf> = ["openapi-3.0", "openapi-3.1"]
        .iter()
        .flat_map(|dir| std::fs::read_dir(corpus.join(dir)).expect("the corpus is beside the repo"))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    specs.sort();
    assert_eq!(specs.len(), 19);
    let mut total = 0;
    for path in &specs {
        let d = lint::lint_file(path)
            .unwrap_or_else(|d| panic!("{} does not load:\n{d}", path.display()));
        for item in &d.items {
            assert!(item.location.is_some(), "{}: {item:?}", path.display());
            assert!(item.hint.is_some(), "{}: {item:?}", path.display());
        }
        total += d.items.len();
    }
    assert!(total > 0);
}
