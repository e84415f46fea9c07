//! Stage 1 (`spec`): loading, normalisation, `$ref` checks and located diagnostics.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use kontrat_generator::diagnostics::{Diagnostic, Diagnostics, Location, Severity};
use kontrat_generator::spec::{self, Loaded, component_name, pointer_escape};
use openapiv3::{ReferenceOr, SchemaKind, Type};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/loader")
        .join(name)
}

fn corpus() -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/corpus")).to_path_buf()
}

fn ok(file: &str, text: &str) -> Loaded {
    match spec::load_str(file, text) {
        Ok(loaded) => loaded,
        Err(d) => panic!("expected {file} to load, got:\n{d}"),
    }
}

fn err(file: &str, text: &str) -> Diagnostics {
    match spec::load_str(file, text) {
        Ok(loaded) => panic!(
            "expected {file} to fail, it loaded with:\n{}",
            loaded.diagnostics
        ),
        Err(d) => d,
    }
}

fn errors(d: &Diagnostics) -> Vec<&Diagnostic> {
    d.errors().collect()
}

fn only_error(d: &Diagnostics) -> &Diagnostic {
    let errors = errors(d);
    assert_eq!(errors.len(), 1, "expected exactly one error:\n{d}");
    errors[0]
}

fn at(d: &Diagnostic) -> Option<(usize, usize)> {
    d.location.map(|Location { line, column }| (line, column))
}

/// Every error must say what to do.
fn assert_hints(d: &Diagnostics) {
    for e in d.errors() {
        assert!(
            e.hint.as_deref().is_some_and(|h| !h.is_empty()),
            "error without hint: {e:?}"
        );
    }
}

const HEAD: &str = "openapi: 3.0.3\ninfo:\n  title: T\n  version: '1'\n";

// ------------------------------------------------------------------ syntax

#[test]
fn bad_yaml_reports_line_and_column() {
    let text = "openapi: 3.0.3\ninfo:\n  title: T\n  version: @1\npaths: {}\n";
    let d = err("api.yaml", text);
    let e = only_error(&d);
    assert_eq!(e.code, "syntax");
    assert_eq!(at(e), Some((4, 12)));
    assert!(
        e.message.contains("cannot start any token"),
        "{}",
        e.message
    );
    assert!(
        !e.message.contains("at line"),
        "position is not repeated in the message: {}",
        e.message
    );
    assert_hints(&d);
    assert!(
        d.to_string().starts_with("api.yaml:4:12: error[syntax]: "),
        "{d}"
    );
}

#[test]
fn bad_yaml_indentation() {
    let text = "openapi: 3.0.3\ninfo:\n  title: T\n version: '1'\npaths: {}\n";
    let e = only_error(&err("api.yaml", text)).clone();
    assert_eq!(e.code, "syntax");
    assert_eq!(at(&e).map(|(l, _)| l), Some(4));
}

#[test]
fn bad_json_reports_character_column() {
    // The column counts characters: `é` is two bytes but one column.
    let text = "{\n  \"openapi\": \"3.0.3\",\n  \"info\": {\"title\": \"é\" \"version\": \"1\"},\n  \"paths\": {}\n}\n";
    let d = err("api.json", text);
    let e = only_error(&d);
    assert_eq!(e.code, "syntax");
    assert_eq!(at(e), Some((3, 25)));
    assert!(
        d.to_string().contains("api.json:3:25: error[syntax]"),
        "{d}"
    );
}

#[test]
fn truncated_json_is_a_syntax_error() {
    let d = err("api.json", "{\"openapi\": \"3.0.3\", \"info\": {");
    assert_eq!(only_error(&d).code, "syntax");
    assert_eq!(at(only_error(&d)), Some((1, 30)));
}

#[test]
fn empty_documents() {
    for text in ["", "   \n\n", "# only a comment\n", "~\n"] {
        let d = err("e.yaml", text);
        assert_eq!(only_error(&d).code, "empty-document", "{text:?}");
        assert_hints(&d);
    }
}

#[test]
fn root_must_be_a_mapping() {
    let d = err("l.yaml", "- a\n- b\n");
    assert_eq!(only_error(&d).code, "invalid-shape");
    assert!(only_error(&d).message.contains("a list"));
}

#[test]
fn multiple_yaml_documents_rejected() {
    let d = err(
        "m.yaml",
        &format!("{HEAD}paths: {{}}\n---\nopenapi: 3.0.3\n"),
    );
    assert_eq!(only_error(&d).code, "syntax");
    assert!(
        only_error(&d)
            .hint
            .as_deref()
            .is_some_and(|h| h.contains("one YAML document"))
    );
}

#[test]
fn duplicate_yaml_keys_are_errors() {
    let text = format!(
        "{HEAD}paths:\n  /a:\n    get:\n      responses: {{}}\n  /a:\n    put:\n      responses: {{}}\n"
    );
    let d = err("d.yaml", &text);
    let e = only_error(&d);
    assert_eq!(e.code, "duplicate-key");
    assert_eq!(e.pointer, "#/paths/~1a");
    assert!(e.location.is_some());
}

#[test]
fn yaml_merge_keys_are_applied() {
    let text = format!(
        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    Base: &base\n      type: object\n      description: base\n    Derived:\n      <<: *base\n      description: derived\n"
    );
    let loaded = ok("m.yaml", &text);
    let derived = &loaded.spec.raw["components"]["schemas"]["Derived"];
    assert_eq!(derived["type"], "object");
    assert_eq!(derived["description"], "derived");
}

#[test]
fn yaml_numeric_keys_and_bom() {
    let text = format!(
        "\u{feff}{HEAD}paths:\n  /a:\n    get:\n      responses:\n        200:\n          description: ok\n"
    );
    let loaded = ok("n.yaml", &text);
    let op = loaded.spec.openapi.paths.paths["/a"]
        .as_item()
        .and_then(|p| p.get.as_ref())
        .expect("get");
    assert!(
        op.responses
            .responses
            .contains_key(&openapiv3::StatusCode::Code(200))
    );
}

// ------------------------------------------------------------------ version

#[test]
fn swagger_2_is_rejected_with_a_conversion_hint() {
    let text = "swagger: '2.0'\ninfo:\n  title: T\n  version: '1'\npaths: {}\ndefinitions:\n  A:\n    $ref: '#/definitions/B'\n";
    let d = err("s.yaml", text);
    let e = only_error(&d);
    assert_eq!(e.code, "unsupported-version");
    assert_eq!(e.pointer, "#/swagger");
    assert_eq!(at(e), Some((1, 1)));
    assert!(e.hint.as_deref().is_some_and(|h| h.contains("convert")));
}

#[test]
fn missing_and_unsupported_versions() {
    let d = err("v.yaml", "info:\n  title: T\n  version: '1'\npaths: {}\n");
    assert_eq!(only_error(&d).code, "missing-version");

    let d = err(
        "v.yaml",
        "openapi: 4.0.0\ninfo:\n  title: T\n  version: '1'\npaths: {}\n",
    );
    let e = only_error(&d);
    assert_eq!(e.code, "unsupported-version");
    assert_eq!(at(e), Some((1, 1)));
    assert_hints(&d);

    let loaded = ok(
        "v.yaml",
        "openapi: 3.1.1\ninfo:\n  title: T\n  version: '1'\n",
    );
    assert_eq!(loaded.spec.declared_version, "3.1.1");
    assert!(
        loaded.spec.openapi.paths.paths.is_empty(),
        "3.1 may omit paths"
    );
}

// ------------------------------------------------------------------ references

#[test]
fn unresolved_ref_is_located_at_the_ref() {
    let text = format!(
        "{HEAD}paths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/Pett'\ncomponents:\n  schemas:\n    Pet:\n      type: object\n"
    );
    let d = err("r.yaml", &text);
    let e = only_error(&d);
    assert_eq!(e.code, "unresolved-ref");
    assert_eq!(
        e.pointer,
        "#/paths/~1a/get/responses/200/content/application~1json/schema/$ref"
    );
    assert_eq!(at(e), Some((14, 17)));
    assert!(e.message.contains("#/components/schemas/Pett"));
    assert!(
        e.hint
            .as_deref()
            .is_some_and(|h| h.contains("did you mean `#/components/schemas/Pet`")),
        "{e:?}"
    );
    assert!(
        d.to_string()
            .contains("r.yaml:14:17: error[unresolved-ref]"),
        "{d}"
    );
}

#[test]
fn unresolved_ref_in_json_is_located() {
    let text = "{\"openapi\": \"3.0.3\", \"info\": {\"title\": \"T\", \"version\": \"1\"},\n \"paths\": {},\n \"components\": {\"schemas\": {\"A\": {\"$ref\": \"#/components/schemas/B\"}}}}\n";
    let d = err("r.json", text);
    let e = only_error(&d);
    assert_eq!(e.pointer, "#/components/schemas/A/$ref");
    assert_eq!(at(e), Some((3, 35)));
}

#[test]
fn several_problems_are_reported_together() {
    let d = match spec::load_file(&fixture("broken.yaml")) {
        Ok(_) => panic!("broken.yaml loaded"),
        Err(d) => d,
    };
    assert!(d.file.ends_with("broken.yaml"));
    let errors = errors(&d);
    assert_eq!(errors.len(), 3, "{d}");
    let summary: Vec<(&str, Option<(usize, usize)>)> =
        errors.iter().map(|e| (e.code, at(e))).collect();
    assert_eq!(
        summary,
        [
            ("unresolved-ref", Some((15, 17))),
            ("duplicate-operation-id", Some((18, 7))),
            ("unresolved-ref", Some((21, 11))),
        ]
    );
    assert!(
        errors[1].message.contains("#/paths/~1a/get"),
        "names the first use: {}",
        errors[1].message
    );
    assert!(
        errors[0]
            .hint
            .as_deref()
            .is_some_and(|h| h.contains("Things"))
    );
    assert_hints(&d);
    let text = d.to_string();
    assert!(
        text.contains("broken.yaml:15:17: error[unresolved-ref]"),
        "{text}"
    );
    assert!(
        text.contains("broken.yaml:18:7: error[duplicate-operation-id]"),
        "{text}"
    );
}

#[test]
fn pure_ref_cycles_are_errors() {
    let text = format!(
        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      $ref: '#/components/schemas/B'\n    B:\n      $ref: '#/components/schemas/C'\n    C:\n      $ref: '#/components/schemas/A'\n    User:\n      type: object\n      properties:\n        a:\n          $ref: '#/components/schemas/A'\n"
    );
    let d = err("c.yaml", &text);
    let e = only_error(&d);
    assert_eq!(e.code, "ref-cycle");
    for name in ["A", "B", "C"] {
        assert!(
            e.message.contains(&format!("#/components/schemas/{name}")),
            "{}",
            e.message
        );
    }
    assert!(e.location.is_some());
}

#[test]
fn self_reference_is_a_cycle() {
    let text = format!(
        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      $ref: '#/components/schemas/A'\n"
    );
    assert_eq!(only_error(&err("c.yaml", &text)).code, "ref-cycle");
}

#[test]
fn recursive_schemas_are_legal() {
    let loaded = match spec::load_file(&fixture("petstore.yaml")) {
        Ok(l) => l,
        Err(d) => panic!("{d}"),
    };
    assert!(loaded.diagnostics.is_empty(), "{}", loaded.diagnostics);
    let text = format!(
        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    Node:\n      type: object\n      properties:\n        next:\n          $ref: '#/components/schemas/Node'\n        all:\n          allOf:\n            - $ref: '#/components/schemas/Node'\n"
    );
    assert!(ok("rec.yaml", &text).diagnostics.is_empty());
}

#[test]
fn external_refs_are_rejected_with_a_bundling_hint() {
    let text = format!(
        "{HEAD}paths:\n  /a:\n    get:\n      responses:\n        '200':\n          $ref: 'common.yaml#/components/responses/Ok'\n        '404':\n          $ref: 'https://example.com/x.json'\n"
    );
    let d = err("x.yaml", &text);
    let errors = errors(&d);
    assert_eq!(errors.len(), 2, "{d}");
    for e in errors {
        assert_eq!(e.code, "external-ref");
        assert!(e.hint.as_deref().is_some_and(|h| h.contains("bundle")));
    }
}

#[test]
fn anchors_are_not_pointers() {
    let text = format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      $ref: '#Pet'\n");
    assert_eq!(only_error(&err("a.yaml", &text)).code, "invalid-ref");
}

#[test]
fn refs_into_paths_resolve() {
    let text = format!(
        "{HEAD}paths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: the shared one\n          content:\n            application/json:\n              schema:\n                type: object\n                properties:\n                  id: {{type: integer}}\n  /b:\n    get:\n      responses:\n        '200':\n          $ref: '#/paths/~1a/get/responses/200'\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema:\n              $ref: '#/paths/~1a/get/responses/200/content/application~1json/schema'\n      responses:\n        '204':\n          description: done\n"
    );
    let loaded = ok("p.yaml", &text);
    let spec = &loaded.spec;
    let b = spec.openapi.paths.paths["/b"].as_item().expect("item");
    let get = b.get.as_ref().expect("get");
    let response = &get.responses.responses[&openapiv3::StatusCode::Code(200)];
    let resolved = spec.resolve(response).expect("resolves");
    assert!(
        matches!(resolved, Cow::Owned(_)),
        "non-component targets are read from the raw tree"
    );
    assert_eq!(resolved.description, "the shared one");

    let post = b.post.as_ref().expect("post");
    let body = spec
        .resolve(post.request_body.as_ref().expect("body"))
        .expect("body");
    let schema = body.content["application/json"]
        .schema
        .as_ref()
        .expect("schema");
    let schema = spec.resolve(schema).expect("schema resolves");
    assert!(matches!(
        schema.schema_kind,
        SchemaKind::Type(Type::Object(_))
    ));
}

#[test]
fn component_refs_resolve_borrowed_through_chains() {
    let text = format!(
        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    Alias:\n      $ref: '#/components/schemas/Alias2'\n    Alias2:\n      $ref: '#/components/schemas/Real'\n    Real:\n      type: string\n"
    );
    let loaded = ok("c.yaml", &text);
    let item: ReferenceOr<openapiv3::Schema> = ReferenceOr::ref_("#/components/schemas/Alias");
    let resolved = loaded.spec.resolve(&item).expect("resolves");
    assert!(matches!(resolved, Cow::Borrowed(_)));
    assert!(matches!(
        resolved.schema_kind,
        SchemaKind::Type(Type::String(_))
    ));

    let boxed: ReferenceOr<Box<openapiv3::Schema>> = ReferenceOr::ref_("#/components/schemas/Real");
    assert!(loaded.spec.resolve_boxed(&boxed).is_ok());

    let missing: ReferenceOr<openapiv3::Schema> = ReferenceOr::ref_("#/components/schemas/Nope");
    let e = loaded.spec.resolve(&missing).expect_err("missing");
    assert_eq!(e.code, "unresolved-ref");
    let external: ReferenceOr<openapiv3::Schema> = ReferenceOr::ref_("other.yaml#/A");
    assert_eq!(
        loaded.spec.resolve(&external).expect_err("external").code,
        "external-ref"
    );
    let wrong: ReferenceOr<openapiv3::Parameter> = ReferenceOr::ref_("#/components/schemas/Real");
    assert_eq!(
        loaded
            .spec
            .resolve(&wrong)
            .expect_err("not a parameter")
            .code,
        "ref-kind-mismatch"
    );
}

#[test]
fn escaped_pointer_segments() {
    let text = format!(
        "{HEAD}paths:\n  /pets/{{id}}:\n    get:\n      responses:\n        '200':\n          description: one pet\n  /other:\n    get:\n      responses:\n        '200':\n          $ref: '#/paths/~1pets~1%7Bid%7D/get/responses/200'\n        '201':\n          description: x\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/a~1b~0c'\n        '202':\n          description: y\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/with%20space'\ncomponents:\n  schemas:\n    a/b~c:\n      type: integer\n    with space:\n      type: boolean\n"
    );
    let loaded = ok("e.yaml", &text);
    let spec = &loaded.spec;
    let other = spec.openapi.paths.paths["/other"]
        .as_item()
        .and_then(|p| p.get.as_ref())
        .expect("get");
    let r = spec
        .resolve(&other.responses.responses[&openapiv3::StatusCode::Code(200)])
        .expect("percent-decoded");
    assert_eq!(r.description, "one pet");
    let r201 = &other.responses.responses[&openapiv3::StatusCode::Code(201)];
    let schema = r201
        .as_item()
        .and_then(|r| r.content["application/json"].schema.as_ref())
        .expect("schema");
    let schema = spec.resolve(schema).expect("~0 and ~1 unescaped");
    assert!(matches!(
        schema.schema_kind,
        SchemaKind::Type(Type::Integer(_))
    ));
    assert!(matches!(schema, Cow::Borrowed(_)), "component fast path");
    assert!(spec.node("#/components/schemas/a~1b~0c").is_some());
    assert!(spec.node("#/paths/~1pets~1%7Bid%7D").is_some());

    assert_eq!(
        component_name("#/components/schemas/a~1b~0c"),
        Some(("schemas", "a/b~c".to_owned()))
    );
    assert_eq!(
        component_name("#/components/schemas/with%20space"),
        Some(("schemas", "with space".to_owned()))
    );
    assert_eq!(component_name("#/components/schemas/A/properties/b"), None);
    assert_eq!(pointer_escape("a/b~c"), "a~1b~0c");
}

#[test]
fn ref_to_the_wrong_component_section() {
    // A parameter that is a schema cannot work: error.
    let text = format!(
        "{HEAD}paths:\n  /a:\n    get:\n      parameters:\n        - $ref: '#/components/schemas/Id'\n      responses:\n        '200':\n          description: ok\ncomponents:\n  schemas:\n    Id:\n      type: string\n"
    );
    let e = only_error(&err("k.yaml", &text)).clone();
    assert_eq!(e.code, "ref-kind-mismatch");
    assert_eq!(e.pointer, "#/paths/~1a/get/parameters/0/$ref");

    // A schema pointing at a response `{description}` is sloppy but readable: warning.
    let text = format!(
        "{HEAD}paths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/responses/Msg'\ncomponents:\n  responses:\n    Msg:\n      description: a message\n"
    );
    let loaded = ok("k.yaml", &text);
    assert_eq!(loaded.diagnostics.items.len(), 1);
    assert_eq!(loaded.diagnostics.items[0].code, "ref-kind-mismatch");
    assert_eq!(loaded.diagnostics.items[0].severity, Severity::Warning);
}

#[test]
fn dollar_ref_inside_examples_and_extensions_is_data() {
    let text = format!(
        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      type: object\n      x-meta:\n        $ref: '#/nowhere'\n      example:\n        $ref: '#/nowhere'\n      properties:\n        $ref:\n          type: string\n        type:\n          type: string\n        const:\n          type: string\n"
    );
    let loaded = ok("d.yaml", &text);
    assert!(loaded.diagnostics.is_empty(), "{}", loaded.diagnostics);
    let a = &loaded.spec.raw["components"]["schemas"]["A"];
    assert_eq!(
        a["properties"]["const"]["type"], "string",
        "a property named const is not rewritten"
    );
}

#[test]
fn discriminator_mapping_targets_are_checked() {
    let text = format!(
        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    Pet:\n      oneOf:\n        - $ref: '#/components/schemas/Cat'\n      discriminator:\n        propertyName: kind\n        mapping:\n          cat: '#/components/schemas/Cat'\n          dog: '#/components/schemas/Dog'\n          bird: Bird\n    Cat:\n      type: object\n"
    );
    let d = err("m.yaml", &text);
    let e = only_error(&d);
    assert_eq!(e.code, "unresolved-ref");
    assert_eq!(
        e.pointer,
        "#/components/schemas/Pet/discriminator/mapping/dog"
    );
}

#[test]
fn duplicate_operation_ids_across_paths_and_callbacks() {
    let text = format!(
        "{HEAD}paths:\n  /a:\n    get:\n      operationId: same\n      responses: {{'200': {{description: ok}}}}\n      callbacks:\n        onEvent:\n          '{{$request.body#/url}}':\n            post:\n              operationId: same\n              responses: {{'200': {{description: ok}}}}\n  /b:\n    get:\n      operationId: other\n      responses: {{'200': {{description: ok}}}}\n    put:\n      responses: {{'200': {{description: ok}}}}\n    post:\n      responses: {{'200': {{description: ok}}}}\n"
    );
    let d = err("o.yaml", &text);
    let e = only_error(&d);
    assert_eq!(e.code, "duplicate-operation-id");
    assert!(e.pointer.starts_with("#/paths/~1a/get/callbacks/onEvent/"));
    assert!(e.message.contains("`#/paths/~1a/get`"));
}

// ------------------------------------------------------------------ shape

#[test]
fn shape_errors_are_refined_and_collected() {
    let text = format!(
        "{HEAD}paths:\n  /a:\n    get:\n      parameters:\n        - name: q\n          schema:\n            type: string\n      responses:\n        '200':\n          description: ok\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        inner:\n          type: object\n          properties:\n            deep:\n              type: string\n              discriminator: lots\n"
    );
    // (`maxLength: lots` is tolerated now: ignored with a warning, see issue #17.)
    let d = err("s.yaml", &text);
    let errors = errors(&d);
    assert_eq!(errors.len(), 2, "{d}");
    assert!(errors.iter().all(|e| e.code == "invalid-shape"));
    assert_eq!(errors[0].pointer, "#/paths/~1a/get/parameters/0");
    assert!(errors[0].message.contains("in"), "{}", errors[0].message);
    assert_eq!(at(errors[0]), Some((9, 11)));
    assert!(
        errors[1]
            .pointer
            .starts_with("#/components/schemas/A/properties/inner/properties/deep"),
        "{}",
        errors[1].pointer
    );
    assert!(errors[1].message.contains("lots"), "{}", errors[1].message);
    assert_hints(&d);
}

#[test]
fn missing_info_is_reported() {
    let d = err("i.yaml", "openapi: 3.0.3\npaths: {}\n");
    let e = only_error(&d);
    assert_eq!(e.code, "invalid-shape");
    assert!(e.message.contains("info"), "{}", e.message);
    assert_eq!(e.pointer, "#");
}

// ------------------------------------------------------------------ 3.1 normalisation

fn schema<'a>(loaded: &'a Loaded, name: &str) -> &'a openapiv3::Schema {
    loaded
        .spec
        .openapi
        .components
        .as_ref()
        .and_then(|c| c.schemas.get(name))
        .and_then(ReferenceOr::as_item)
        .expect(name)
}

#[test]
fn openapi_31_is_normalised_to_30() {
    let text = r##"openapi: 3.1.0
info:
  title: T
  version: '1'
jsonSchemaDialect: https://spec.openapis.org/oas/3.1/dialect/base
webhooks:
  newPet:
    post:
      requestBody:
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/Name'
      responses:
        '200':
          description: ok
components:
  schemas:
    Name:
      type: [string, 'null']
      examples: [Rex, Fido]
    Kind:
      const: cat
    Age:
      type: number
      exclusiveMinimum: 0
      exclusiveMaximum: 30
    Either:
      type: [string, integer]
    Nothing:
      type: 'null'
    Owner:
      $ref: '#/components/schemas/Name'
      nullable: true
      readOnly: true
    Described:
      $ref: '#/components/schemas/Name'
      description: only documents the reference
    MaybeAge:
      oneOf:
        - $ref: '#/components/schemas/Age'
        - type: 'null'
    Photo:
      type: string
      contentMediaType: image/png
    Anything: true
"##;
    let loaded = ok("n31.yaml", text);
    let diags = &loaded.diagnostics;
    assert!(!diags.has_errors());
    let codes: Vec<&str> = diags.items.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["webhooks-ignored", "type-union"], "{diags}");
    let webhooks = &diags.items[0];
    assert_eq!(webhooks.severity, Severity::Note);
    assert_eq!(at(webhooks), Some((6, 1)));
    assert_eq!(diags.items[1].pointer, "#/components/schemas/Either/type");
    assert_eq!(at(&diags.items[1]), Some((29, 7)));
    assert!(loaded.spec.raw.get("webhooks").is_none());
    assert!(loaded.spec.raw.get("jsonSchemaDialect").is_none());

    let name = schema(&loaded, "Name");
    assert!(name.schema_data.nullable);
    assert!(matches!(
        name.schema_kind,
        SchemaKind::Type(Type::String(_))
    ));
    assert_eq!(name.schema_data.example, Some(serde_json::json!("Rex")));

    match &schema(&loaded, "Kind").schema_kind {
        SchemaKind::Any(any) => assert_eq!(any.enumeration, [serde_json::json!("cat")]),
        SchemaKind::Type(Type::String(s)) => assert_eq!(s.enumeration, [Some("cat".to_owned())]),
        other => panic!("const not turned into enum: {other:?}"),
    }

    match &schema(&loaded, "Age").schema_kind {
        SchemaKind::Type(Type::Number(n)) => {
            assert_eq!((n.minimum, n.exclusive_minimum), (Some(0.0), true));
            assert_eq!((n.maximum, n.exclusive_maximum), (Some(30.0), true));
        }
        other => panic!("{other:?}"),
    }

    let either = schema(&loaded, "Either");
    assert!(
        matches!(either.schema_kind, SchemaKind::Any(_)),
        "type union widened"
    );

    let nothing = schema(&loaded, "Nothing");
    assert!(nothing.schema_data.nullable);

    let owner = schema(&loaded, "Owner");
    assert!(owner.schema_data.nullable && owner.schema_data.read_only);
    match &owner.schema_kind {
        SchemaKind::AllOf { all_of } => {
            assert_eq!(all_of.len(), 1);
            assert_eq!(all_of[0], ReferenceOr::ref_("#/components/schemas/Name"));
        }
        other => panic!("$ref with siblings not wrapped: {other:?}"),
    }

    let described = loaded
        .spec
        .openapi
        .components
        .as_ref()
        .map(|c| &c.schemas["Described"]);
    assert_eq!(
        described,
        Some(&ReferenceOr::ref_("#/components/schemas/Name")),
        "documentation-only siblings keep the ref"
    );
    assert_eq!(
        loaded.spec.raw["components"]["schemas"]["Described"]["description"],
        "only documents the reference"
    );

    let maybe = schema(&loaded, "MaybeAge");
    assert!(maybe.schema_data.nullable);
    assert!(matches!(&maybe.schema_kind, SchemaKind::AllOf { all_of } if all_of.len() == 1));

    match &schema(&loaded, "Photo").schema_kind {
        SchemaKind::Type(Type::String(s)) => {
            assert_eq!(
                s.format,
                openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Binary)
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        schema(&loaded, "Anything").schema_kind,
        SchemaKind::Any(_)
    ));
}

#[test]
fn unresolved_wrapped_ref_points_where_it_was_written() {
    let text = format!(
        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      $ref: '#/components/schemas/B'\n      nullable: true\n"
    );
    let d = err("w.yaml", &text);
    let e = only_error(&d);
    assert_eq!(e.code, "unresolved-ref");
    assert_eq!(e.pointer, "#/components/schemas/A/$ref");
    assert_eq!(at(e), Some((9, 7)));
}

// ------------------------------------------------------------------ robustness

#[test]
fn yaml_alias_bomb_fails_fast() {
    let mut text =
        String::from("openapi: 3.0.3\nx-a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    let letters = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"];
    for w in letters.windows(2) {
        let refs = vec![format!("*{}", w[0]); 9].join(", ");
        text.push_str(&format!("x-{}: &{} [{refs}]\n", w[1], w[1]));
    }
    // The budget error itself shows expansion stopped early (no wall-clock assertion:
    // CI machines are noisy).
    let d = err("bomb.yaml", &text);
    assert_eq!(only_error(&d).code, "alias-expansion");
    assert_hints(&d);
}

#[test]
fn wide_alias_expansion_hits_the_node_budget() {
    // Few repetitions per alias (under serde_yaml's own limit), but a big anchored value.
    let mut text = String::from("openapi: 3.0.3\nx-big: &big [");
    text.push_str(&vec!["0"; 20_000].join(","));
    text.push_str("]\nx-uses: [");
    text.push_str(&vec!["*big"; 3_000].join(","));
    text.push_str("]\n");
    let d = err("wide.yaml", &text);
    assert_eq!(only_error(&d).code, "alias-expansion");
}

#[test]
fn deep_nesting_fails_without_overflowing_the_stack() {
    let n = 10_000;
    let json = format!("{{\"openapi\": {}{}}}", "[".repeat(n), "]".repeat(n));
    let flow_yaml = format!("openapi: {}{}\n", "[".repeat(n), "]".repeat(n));
    let block_yaml: String = (0..n)
        .map(|i| format!("{}- \n", " ".repeat(i % 2)))
        .collect();
    let map_yaml = format!("openapi: {}1{}\n", "{a: ".repeat(n), "}".repeat(n));
    for (name, text) in [
        ("deep.json", json),
        ("deep.yaml", flow_yaml),
        ("block.yaml", block_yaml),
        ("map.yaml", map_yaml),
    ] {
        // Bounded time is a benchmark matter, not a timed assertion (CI machines are
        // noisy): what this test pins is an error instead of a stack overflow.
        let result = spec::load_str(name, &text);
        if let Err(d) = &result {
            assert_hints(d);
        }
        if name != "block.yaml" {
            let d = result.expect_err(name);
            assert_eq!(only_error(&d).code, "too-deep", "{name}: {d}");
        }
    }
}

#[test]
fn nesting_at_the_parser_limit_does_not_overflow() {
    // 61 nested object schemas sit at 126 JSON levels, near the deepest input the parsers
    // accept (128); reading them as typed schemas must not overflow a test thread's stack.
    for depth in [61, 62, 63, 70] {
        let mut schema = String::from("{\"type\": \"string\"}");
        for _ in 0..depth {
            schema = format!("{{\"type\": \"object\", \"properties\": {{\"p\": {schema}}}}}");
        }
        let text = format!(
            "{{\"openapi\": \"3.0.3\", \"info\": {{\"title\": \"T\", \"version\": \"1\"}}, \"paths\": {{}}, \"components\": {{\"schemas\": {{\"Deep\": {schema}}}}}}}"
        );
        match spec::load_str("deep.json", &text) {
            Ok(_) => assert!(depth <= 62, "{depth} levels loaded"),
            Err(d) => {
                assert!(depth > 61, "{depth}: {d}");
                assert_eq!(only_error(&d).code, "too-deep", "{d}");
            }
        }
    }
}

#[test]
fn deep_but_legal_schemas_load() {
    // 40 levels of nested object schemas: 80 JSON levels, under the parsers' 128 limit.
    let mut schema = String::from("{type: string}");
    for _ in 0..40 {
        schema = format!("{{type: object, properties: {{p: {schema}}}}}");
    }
    let text = format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    Deep: {schema}\n");
    ok("deep.yaml", &text);
}

/// Deterministic pseudo-random bytes (xorshift).
fn noise(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed.max(1);
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x & 0xff) as u8
        })
        .collect()
}

#[test]
fn garbage_never_panics() {
    let alphabet = b"{}[]:,-'\"\\ \n\t#&*!|>?%@`$ref~/01aZ";
    let mut inputs: Vec<String> = vec![
        "\0".into(),
        "{".into(),
        "}".into(),
        "[".into(),
        ":".into(),
        "- - - -".into(),
        "!!binary aGVsbG8=".into(),
        "openapi: !custom 3.0.3".into(),
        "? [a, b]\n: c\n".into(),
        "openapi: 3.0.3\npaths: 7\ninfo: []\ncomponents: 'x'\n".into(),
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a: {$ref: 5}\n".into(),
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents: {schemas: {A: {$ref: '#/components/schemas/A/properties/x'}}}\n".into(),
        "openapi: .nan\n".into(),
        "{\"openapi\": 1e999}".into(),
        "openapi: 3.0.3\nx: *unknown\n".into(),
    ];
    for seed in 1..200u64 {
        let bytes = noise(seed, 64 + (seed as usize * 7) % 400);
        inputs.push(
            bytes
                .iter()
                .map(|b| alphabet[*b as usize % alphabet.len()] as char)
                .collect(),
        );
        inputs.push(String::from_utf8_lossy(&bytes).into_owned());
    }
    for input in &inputs {
        match spec::load_str("g.yaml", input) {
            Ok(loaded) => {
                let _ = loaded.diagnostics.to_string();
            }
            Err(d) => {
                assert!(d.has_errors(), "Err without an error for {input:?}");
                assert_hints(&d);
                let _ = d.to_string();
            }
        }
    }
}

#[test]
fn truncated_specs_never_panic() {
    for name in ["petstore.yaml", "petstore.json"] {
        let text = std::fs::read_to_string(fixture(name)).expect("fixture");
        let mut cut = 0;
        while cut < text.len() {
            if text.is_char_boundary(cut) {
                match spec::load_str(name, &text[..cut]) {
                    Ok(_) => {}
                    Err(d) => {
                        assert!(d.has_errors());
                        assert_hints(&d);
                    }
                }
            }
            cut += 7;
        }
        assert!(spec::load_str(name, &text).is_ok());
    }
}

#[test]
fn json_and_yaml_forms_are_equivalent() {
    let yaml = spec::load_file(&fixture("petstore.yaml")).expect("yaml");
    let json = spec::load_file(&fixture("petstore.json")).expect("json");
    assert_eq!(yaml.spec.raw, json.spec.raw);
    assert_eq!(yaml.spec.openapi, json.spec.openapi);
}

// ------------------------------------------------------------------ files

#[test]
fn io_errors() {
    let d = spec::load_file(Path::new("/definitely/not/here.yaml")).expect_err("missing");
    let e = only_error(&d);
    assert_eq!(e.code, "io");
    assert!(e.hint.as_deref().is_some_and(|h| h.contains("path")));
    assert_eq!(d.file, "/definitely/not/here.yaml");

    let dir = tempfile::tempdir().expect("tempdir");
    let d = spec::load_file(dir.path()).expect_err("directory");
    assert_eq!(only_error(&d).code, "io");
}

#[test]
fn non_utf8_files_are_rejected_with_a_position() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("latin1.yaml");
    std::fs::write(&path, b"openapi: 3.0.3\ninfo:\n  title: Caf\xe9\n").expect("write");
    let d = spec::load_file(&path).expect_err("latin-1");
    let e = only_error(&d);
    assert_eq!(e.code, "not-utf8");
    assert_eq!(at(e), Some((3, 13)));
    assert_hints(&d);
}

#[test]
fn oversized_input_is_rejected() {
    let big = " ".repeat(64 * 1024 * 1024 + 1);
    let d = err("big.yaml", &big);
    assert_eq!(only_error(&d).code, "too-large");

    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("big.yaml");
    let file = std::fs::File::create(&path).expect("create");
    file.set_len(64 * 1024 * 1024 + 1).expect("sparse file");
    let d = spec::load_file(&path).expect_err("too large");
    assert_eq!(only_error(&d).code, "too-large");
}

// ------------------------------------------------------------------ real specs

#[test]
fn auth_spec_loads_cleanly() {
    let path = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/auth.yaml"));
    match spec::load_file(path) {
        Ok(loaded) => assert!(loaded.diagnostics.is_empty(), "{}", loaded.diagnostics),
        Err(d) => panic!("{d}"),
    }
}

#[test]
fn real_world_corpus_loads() {
    let mut loaded = 0;
    let mut failures = Vec::new();
    for version in ["openapi-3.0", "openapi-3.1"] {
        let dir = corpus().join(version);
        let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json" || x == "yaml"))
            .collect();
        entries.sort();
        for path in entries {
            match spec::load_file(&path) {
                Ok(l) => {
                    assert!(
                        l.diagnostics.items.iter().all(|d| d.location.is_some()),
                        "{}",
                        l.diagnostics
                    );
                    loaded += 1;
                }
                Err(d) => failures.push(d.to_string()),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(loaded >= 19, "only {loaded} corpus specs found");
}

#[test]
fn yaml_flow_document_starting_with_a_brace() {
    let text = "{openapi: 3.0.3, info: {title: T, version: '1'},\n paths: {/a: {get: {responses: {'200': {$ref: '#/components/responses/Nope'}}}}}}\n";
    let d = err("flow.yaml", text);
    let e = only_error(&d);
    assert_eq!(e.code, "unresolved-ref");
    assert_eq!(at(e), Some((2, 41)));
}

#[test]
fn duplicate_json_keys_are_warnings() {
    let text = "{\"openapi\": \"3.0.3\", \"info\": {\"title\": \"T\", \"title\": \"U\", \"version\": \"1\"}, \"paths\": {}}";
    let loaded = ok("d.json", text);
    let d = &loaded.diagnostics.items;
    assert_eq!(d.len(), 1);
    assert_eq!(
        (d[0].code, d[0].severity),
        ("duplicate-key", Severity::Warning)
    );
    assert_eq!(d[0].pointer, "#/info/title");
    assert_eq!(at(&d[0]), Some((1, 31)));
    assert_eq!(loaded.spec.openapi.info.title, "U");
}

#[test]
fn locate_serves_later_stages() {
    let loaded = spec::load_file(&fixture("petstore.yaml")).expect("loads");
    let mut d = Diagnostics::new("petstore.yaml");
    d.push(Diagnostic::warning(
        "x",
        "#/components/schemas/NewPet/properties/name",
        "m",
    ));
    d.push(Diagnostic::warning(
        "x",
        "#/components/schemas/NewPet/properties/name/nope/deeper",
        "m",
    ));
    d.push(Diagnostic::warning(
        "x",
        "#/paths/~1pets~1{petId}/parameters/0",
        "m",
    ));
    d.push(Diagnostic::warning("x", "#", "m"));
    d.push(Diagnostic::warning("x", "not a pointer", "m"));
    loaded.spec.locate(&mut d);
    let got: Vec<Option<(usize, usize)>> = d.items.iter().map(at).collect();
    assert_eq!(
        got,
        [
            Some((81, 9)),
            Some((81, 9)),
            Some((43, 9)),
            Some((1, 1)),
            None
        ]
    );
    assert!(d.to_string().contains("petstore.yaml:81:9: warning[x]: m"));
}

#[test]
fn header_parameters_openapi_ignores_are_dropped_with_a_note() {
    let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      parameters:\n        - {name: Content-Type, in: header, required: true, schema: {type: string}}\n        - {name: accept, in: header, schema: {type: string}}\n        - {name: X-Trace, in: header, schema: {type: string}}\n      responses: {'200': {description: ok}}\n";
    let (contract, d) = kontrat_generator::load_contract_str("h.yaml", text).unwrap();
    let names: Vec<&str> = contract.operations[0]
        .parameters
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(names, ["X-Trace"]);
    let notes: Vec<&str> = d
        .items
        .iter()
        .filter(|i| i.code == "ignored-header-parameter")
        .map(|i| i.pointer.as_str())
        .collect();
    assert_eq!(notes.len(), 2, "{d}");
}

// ------------------------------------------------- issue #17: real documents, sloppy or not

fn render_fixture(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/render")
            .join(name),
    )
    .unwrap()
}

fn codes(d: &Diagnostics) -> Vec<(&str, &str, Severity)> {
    d.items
        .iter()
        .map(|i| (i.code, i.pointer.as_str(), i.severity))
        .collect()
}

#[test]
fn schema_keywords_of_the_wrong_kind_are_coerced_or_ignored_with_a_warning() {
    let text = format!(
        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    V:\n      type: object\n      properties:\n        t: {{type: string, pattern: 0, maxLength: '10', description: 7}}\n        n: {{type: integer, minimum: '1', nullable: 'true'}}\n        r: {{type: string, required: true}}\n        k: {{type: {{type: string}}}}\n"
    );
    let loaded = ok("k.yaml", &text);
    let d = &loaded.diagnostics;
    assert!(d.errors().next().is_none(), "{d}");
    let p = "#/components/schemas/V/properties";
    let got: Vec<(&str, &str, Severity)> = codes(d);
    for key in [
        "t/pattern",
        "t/maxLength",
        "t/description",
        "n/minimum",
        "n/nullable",
        "r/required",
        "k/type",
    ] {
        let pointer = format!("{p}/{key}");
        assert!(
            got.iter().any(|(c, at, s)| *c == "invalid-keyword"
                && *at == pointer
                && *s == Severity::Warning),
            "no warning at {pointer}:\n{d}"
        );
    }
    // Every warning is located and says what to write.
    for w in &d.items {
        assert!(w.location.is_some(), "{w:?}");
        assert!(w.hint.as_deref().is_some_and(|h| !h.is_empty()), "{w:?}");
    }
    let raw = &loaded.spec.raw["components"]["schemas"]["V"]["properties"];
    assert_eq!(raw["t"].get("pattern"), None);
    assert_eq!(raw["t"]["maxLength"], 10);
    assert_eq!(raw["t"]["description"], "7");
    assert_eq!(raw["n"]["minimum"], 1);
    assert_eq!(raw["n"]["nullable"], true);
    assert_eq!(raw["k"].get("type"), None);
}

#[test]
fn a_ref_into_a_schemas_definitions_or_defs_is_a_named_schema() {
    let text = render_fixture("ref-into-defs.yaml");
    let (contract, d) = kontrat_generator::load_contract_str("ref-into-defs.yaml", &text)
        .unwrap_or_else(|d| panic!("{d}"));
    assert!(d.errors().next().is_none(), "{d}");
    let names: Vec<&str> = contract.schemas.keys().map(String::as_str).collect();
    for name in [
        "Item",
        "Item.itemType",
        "Item.size",
        "Item.owner",
        "Item.draft",
    ] {
        assert!(names.contains(&name), "{name} not in {names:?}");
    }
    // The nested `$defs` of a `$defs` entry too, named by its meaningful segments.
    assert!(names.contains(&"Item.owner.contact"), "{names:?}");
}

#[test]
fn a_definitions_entry_that_is_not_a_schema_is_read_with_a_warning() {
    // codat.io's shape: the entry wraps the schema in a `type` key.
    let text = format!(
        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    Item:\n      type: object\n      properties:\n        type: {{$ref: '#/components/schemas/Item/definitions/itemType'}}\n      definitions:\n        itemType:\n          type: {{type: string, enum: [a, b]}}\n"
    );
    let (_, d) =
        kontrat_generator::load_contract_str("c.yaml", &text).unwrap_or_else(|d| panic!("{d}"));
    assert!(
        codes(&d).contains(&(
            "invalid-keyword",
            "#/components/schemas/Item/definitions/itemType/type",
            Severity::Warning
        )),
        "{d}"
    );
}

#[test]
fn a_callback_ref_to_components_callbacks_loads() {
    let text = render_fixture("sloppy.yaml");
    let loaded = ok("sloppy.yaml", &text);
    assert!(
        !loaded
            .diagnostics
            .items
            .iter()
            .any(|d| d.pointer.contains("callbacks")),
        "{}",
        loaded.diagnostics
    );
    let op = loaded.spec.openapi.paths.paths["/subscriptions"]
        .as_item()
        .and_then(|i| i.post.as_ref())
        .unwrap();
    assert!(op.callbacks["onEvent"].contains_key("{$request.body#/callbackUrl}"));
}

#[test]
fn a_callback_ref_that_does_not_resolve_stays_an_error() {
    let text = format!(
        "{HEAD}paths:\n  /s:\n    post:\n      callbacks:\n        e: {{$ref: '#/components/callbacks/missing'}}\n      responses: {{'200': {{description: ok}}}}\n"
    );
    let d = err("cb.yaml", &text);
    let e = only_error(&d);
    assert_eq!(e.code, "unresolved-ref");
    assert_hints(&d);
}

#[test]
fn query_strings_in_path_templates_become_query_parameters() {
    let text = render_fixture("sloppy.yaml");
    let (contract, d) = kontrat_generator::load_contract_str("sloppy.yaml", &text)
        .unwrap_or_else(|d| panic!("{d}"));
    let op = |id: &str| contract.operations.iter().find(|o| o.id == id).unwrap();
    let params = |id: &str| -> Vec<(String, kontrat_generator::model::ParameterLocation, bool)> {
        op(id)
            .parameters
            .iter()
            .map(|p| (p.name.clone(), p.location, p.required))
            .collect()
    };
    use kontrat_generator::model::ParameterLocation::{Path as P, Query as Q};
    // Undeclared: a required string query parameter.
    assert_eq!(op("upload").path, "/uploads");
    assert_eq!(params("upload"), [("convert".to_owned(), Q, true)]);
    // Declared in the path: moved to the query, schema kept; declared in the query: kept.
    assert_eq!(op("history").path, "/history");
    assert_eq!(
        params("history"),
        [
            ("date_from".to_owned(), Q, true),
            ("q".to_owned(), Q, false)
        ]
    );
    // `key={apiKey}`: the wire name is the key; literal pairs stay in the path.
    assert_eq!(op("userPicture").path, "/users/{id}/pic?view=full");
    assert_eq!(
        params("userPicture"),
        [("id".to_owned(), P, true), ("key".to_owned(), Q, true)]
    );
    let warnings: Vec<&str> = d
        .items
        .iter()
        .filter(|i| i.code == "query-in-path")
        .map(|i| i.pointer.as_str())
        .collect();
    assert_eq!(warnings.len(), 4, "{d}");
    // Two operations now share `GET /history`: servers route the first, with a warning.
    assert_eq!(op("historyOfDay").path, "/history");
    let shared: Vec<&str> = d
        .items
        .iter()
        .filter(|i| i.code == "shared-route")
        .map(|i| i.pointer.as_str())
        .collect();
    assert_eq!(shared, ["#/paths/~1history?day={day}/get"], "{d}");
    assert!(d.errors().next().is_none(), "{d}");
}
