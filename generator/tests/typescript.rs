//! The TypeScript back-end end to end: determinism, hostile text, the auth package's
//! shape, and every corpus spec.

use std::path::{Path, PathBuf};

use kontrat_generator::model::Contract;
use kontrat_generator::output::Files;
use kontrat_generator::{load_contract, load_contract_str, typescript};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn contract(path: &Path) -> Contract {
    match load_contract(path) {
        Ok((contract, _)) => contract,
        Err(d) => panic!("{} does not load:\n{d}", path.display()),
    }
}

fn render(contract: &Contract) -> Files {
    let options = typescript::Options {
        package_name: "auth-api".into(),
        spec_file: "auth.yaml".into(),
    };
    typescript::render(contract, &options).expect("renders")
}

fn auth() -> Files {
    render(&contract(&workspace().join("spec/auth.yaml")))
}

#[test]
fn typescript_rendering_is_deterministic() {
    assert_eq!(auth(), auth());
}

#[test]
fn typescript_auth_package_shape() {
    let files = auth();
    let names: Vec<&str> = files.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "client.d.ts",
            "client.js",
            "index.d.ts",
            "index.js",
            "msw.d.ts",
            "msw.js",
            "package.json",
            "runtime.d.ts",
            "runtime.js",
            "types.d.ts",
            "validators.d.ts",
            "validators.js"
        ]
    );
    let manifest: serde_json::Value = serde_json::from_str(&files["package.json"]).unwrap();
    assert_eq!(manifest["name"], "auth-api");
    assert_eq!(manifest["type"], "module");
    assert_eq!(manifest["exports"]["."]["types"], "./index.d.ts");
    assert!(manifest.get("dependencies").is_none());
    // MSW: a subpath export; msw an optional peer that only `msw.*` import.
    assert_eq!(manifest["exports"]["./msw"]["types"], "./msw.d.ts");
    assert_eq!(manifest["exports"]["./msw"]["default"], "./msw.js");
    assert_eq!(manifest["peerDependencies"]["msw"], ">=2");
    assert_eq!(manifest["peerDependenciesMeta"]["msw"]["optional"], true);
    for (file, text) in &files {
        if !file.starts_with("msw.") && file != "package.json" {
            assert!(!text.contains("\"msw\""), "{file} mentions msw");
        }
    }
    let msw = &files["msw.d.ts"];
    assert!(
        msw.contains("export declare function createHandlers(options?: MswOptions): Handlers;")
    );
    assert!(msw.contains("  readonly refreshToken: RefreshTokenHandlers;"));
    assert!(msw.contains("  status200(options?: ServeOptions<TokenPairEnvelope>): HttpHandler;"));
    assert!(msw.contains("  status409(options?: ServeOptions<ErrorEnvelope>): HttpHandler;"));
    assert!(msw.contains(
        "  malformed(options?: MalformedOptions<200 | 400 | 401 | 403 | 404 | 409>): HttpHandler;"
    ));
    assert!(msw.contains("  undocumented(options?: UndocumentedOptions): HttpHandler;"));
    assert!(msw.contains("  networkError(options?: HandlerOptions): HttpHandler;"));
    let msw = &files["msw.js"];
    assert!(msw.contains(
        "live: { success: \"isSuccess\", status: \"statusCode\", timestamp: \"timestamp\" }"
    ));
    assert!(msw.contains("undocumented: (o = {}) => undocumented(base, msw1, 418, o),"));
    let types = &files["types.d.ts"];
    assert!(types.contains("export interface Envelope<T = unknown> {"));
    assert!(types.contains("  data: T;"));
    assert!(types.contains("export type TokenPairEnvelope = Envelope<TokenPair>;"));
    assert!(types.contains("export type ErrorEnvelope = Envelope<null>;"));
    assert!(types.contains("tokenType: \"Bearer\" | (string & {});"));
    let client = &files["client.d.ts"];
    assert!(client.contains("export type ServerName = \"Production\" | \"Development\";"));
    assert!(client.contains("  | Failure<409, ErrorEnvelope>"));
    assert!(
        client.contains("refreshToken(input: RefreshTokenInput): Promise<RefreshTokenResult>;")
    );
    assert!(client.contains("logout(input?: LogoutInput)"));
    assert!(client.contains("**Production uyarisi:**"));
    // The operation result does not take the schema's name `LogoutResult`.
    assert!(client.contains("Promise<LogoutOutcome>"));
    let js = &files["client.js"];
    assert_eq!(js.matches("security: [[{ type: \"bearer\" }]]").count(), 2);
    assert!(js.contains("security: [],"));
    for file in files
        .keys()
        .filter(|f| f.ends_with(".js") || f.ends_with(".ts"))
    {
        assert!(!files[file].contains(": any"), "{file} uses any");
        for import in files[file]
            .lines()
            .filter(|l| l.contains(" from \"") && !l.ends_with(" from \"msw\";"))
        {
            assert!(import.contains(".js\""), "{file}: {import}");
        }
    }
}

const HOSTILE: &str = r#"
openapi: 3.0.3
info: { title: Evil API, version: 1.0.0, description: "DESC" }
servers: [{ url: "https://x.example/", description: "Production" }]
paths:
  /items/{id}:
    get:
      operationId: getItem
      summary: "DESC"
      description: "DESC"
      parameters:
        - { name: id, in: path, required: true, description: "DESC", schema: { type: string } }
      responses:
        '200':
          description: "DESC"
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Item' }
components:
  schemas:
    Item:
      type: object
      description: "DESC"
      required: [name]
      properties:
        name: { type: string, title: "DESC", description: "DESC", pattern: "^a+$" }
        kind: { type: string, enum: ["a\"b", "c`d"] }
"#;

/// Everything but comments: what spec text must never change.
fn code_only(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        let end = rest[start + 2..].find("*/").expect("comment closes") + start + 4;
        rest = &rest[end..];
    }
    out.push_str(rest);
    out.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn typescript_hostile_descriptions_stay_in_comments() {
    let load = |desc: &str| {
        let text = HOSTILE.replace("DESC", desc);
        load_contract_str("evil.yaml", &text)
            .unwrap_or_else(|d| panic!("{d}"))
            .0
    };
    let plain = render(&load("plain words"));
    for hostile in [
        "*/ export const pwned = 1; /*",
        "` + pwned + `",
        "${pwned}",
        "\\\" */ } }); pwned(); //",
        "line\u{2028}break */",
    ] {
        let evil = render(&load(hostile));
        assert_eq!(
            plain.keys().collect::<Vec<_>>(),
            evil.keys().collect::<Vec<_>>()
        );
        for (file, text) in &evil {
            if file == "package.json" {
                continue;
            }
            assert_eq!(
                code_only(text),
                code_only(&plain[file]),
                "{hostile:?} changed the code of {file}"
            );
        }
    }
}

/// The hostile spec with an example for `Item` (whose `name` must match `^a+$`).
fn with_item_example(example: &str, pattern: bool) -> String {
    let spec = HOSTILE.replace("DESC", "plain").replace(
        "schema: { $ref: '#/components/schemas/Item' }",
        &format!(
            "schema: {{ $ref: '#/components/schemas/Item' }}\n              example: {example}"
        ),
    );
    if pattern {
        spec
    } else {
        spec.replace(", pattern: \"^a+$\"", "")
    }
}

#[test]
fn typescript_msw_examples_stay_in_string_literals() {
    let spec = with_item_example("{ name: \"\\\"); pwned(); (\\\" */ ${x} `\" }", false);
    let c = load_contract_str("evil.yaml", &spec)
        .unwrap_or_else(|d| panic!("{d}"))
        .0;
    let files = render(&c);
    let value = serde_json::json!({ "name": "\"); pwned(); (\" */ ${x} `" });
    let literal = typescript::text::string(&serde_json::to_string(&value).unwrap());
    assert!(
        files["msw.js"].contains(&format!("example: {literal}")),
        "{}",
        files["msw.js"]
    );
}

/// An example that breaks its own schema is not served: the MSW handler serves what
/// `kontrat mock` serves, a value that validates (the contract is the law).
#[test]
fn typescript_msw_replaces_an_example_that_breaks_its_schema() {
    let served = |spec: &str| {
        let c = load_contract_str("item.yaml", spec)
            .unwrap_or_else(|d| panic!("{d}"))
            .0;
        let msw = render(&c).remove("msw.js").unwrap();
        let at = msw.find("example: ").expect("an example is served");
        let literal = &msw[at + "example: ".len()..];
        let literal = &literal[..literal.find("\", ").or(literal.find("\" }")).unwrap() + 1];
        // The literal is a JS string of JSON; JSON string escapes are a superset here.
        let json: String = serde_json::from_str(literal).unwrap();
        serde_json::from_str::<serde_json::Value>(&json).unwrap()
    };
    let valid = served(&with_item_example("{ name: aaa }", true));
    assert_eq!(valid, serde_json::json!({ "name": "aaa" }));
    let replaced = served(&with_item_example("{ name: bbb }", true));
    let name = replaced["name"].as_str().expect("a name");
    assert!(
        !name.is_empty() && name.chars().all(|c| c == 'a'),
        "{replaced}"
    );
}

#[test]
fn typescript_renders_every_corpus_spec() {
    let corpus = workspace().join("../shared/corpus");
    let mut rendered = 0;
    for dir in ["openapi-3.0", "openapi-3.1"] {
        let mut specs: Vec<_> = std::fs::read_dir(corpus.join(dir))
            .expect("../shared/corpus")
            .flatten()
            .map(|e| e.path())
            .collect();
        specs.sort();
        for spec in specs {
            let c = contract(&spec);
            let files = render(&c);
            assert_eq!(files, render(&c), "{} is not deterministic", spec.display());
            assert!(files["client.js"].contains("export function createClient"));
            assert!(files["msw.js"].contains("export function createHandlers"));
            rendered += 1;
        }
    }
    assert_eq!(rendered, 19);
}

#[test]
fn typescript_msw_ranges_default_and_failure_paths() {
    let spec = r#"
openapi: 3.1.0
info: { title: Ranges, version: 1.0.0 }
paths:
  /a:
    get:
      operationId: withDefault
      responses:
        '204': { description: none }
        '4XX':
          description: client error
          content: { application/json: { schema: { type: object, properties: { m: { type: string } } } } }
        default:
          description: other
          content: { text/plain: { schema: { type: string }, example: "oops" } }
  /b/{id}:
    get:
      operationId: textOnly
      parameters: [{ name: id, in: path, required: true, schema: { type: string } }]
      responses:
        '200':
          description: text
          content: { text/plain: { schema: { type: string } } }
        '201':
          description: a URL where the example should be
          content:
            application/json:
              schema: { type: array, items: { type: integer, enum: [7] } }
              example: "/examples/list.json"
"#;
    let c = load_contract_str("ranges.yaml", spec)
        .unwrap_or_else(|d| panic!("{d}"))
        .0;
    let files = render(&c);
    let dts = &files["msw.d.ts"];
    let js = &files["msw.js"];
    assert!(dts.contains("  status204(options?: ServeOptions<never>): HttpHandler;"));
    assert!(dts.contains("  status4xx(options?: ServeOptions<{"));
    assert!(dts.contains("(default 400). */ status?: number }): HttpHandler;"));
    assert!(dts.contains("  statusDefault(options?: ServeOptions<string> & {"));
    // `default` documents every status: no undocumented handler for that operation.
    assert_eq!(dts.matches("  undocumented(").count(), 1);
    // Only JSON statuses can be malformed (`4XX`: any status of the range).
    assert_eq!(dts.matches("  malformed(").count(), 2);
    assert!(dts.contains("malformed(options?: MalformedOptions<number>)"));
    assert!(dts.contains("malformed(options?: MalformedOptions<201>)"));
    assert_eq!(dts.matches("  networkError(").count(), 2);
    assert!(js.contains("statusDefault: (o = {}) => serve(base, msw0, { status: 500, type: \"text/plain\", example: \"oops\" }, o),"));
    assert!(js.contains("const msw1 = { method: \"GET\", path: \"/b/{id}\" };"));
    // An example of the wrong JSON type gives way to a synthesised body.
    assert!(js.contains("status201: (o = {}) => serve(base, msw1, { status: 201, type: \"application/json\", json: true, example: \"[7]\" }, o),"));
    assert!(dts.contains("Serves a body synthesised from its schema"));
    // An inline response schema's check in client.js reaches validators.js's helpers.
    let client = &files["client.js"];
    assert!(client.contains("if (!v.isObject(value)) c.problems.push"));
    assert!(!client.contains(" isObject("));
}

/// Enums a client reads stay open (a value the server adds later type-checks); inline
/// enums it sends are closed, so a typo fails `tsc`.
#[test]
fn typescript_enums_open_when_read_closed_when_sent() {
    let files = render(&contract(
        &workspace().join("generator/tests/fixtures/render/petstore.yaml"),
    ));
    let types = &files["types.d.ts"];
    let values = r#""available" | "pending" | "sold" | "+1" | "-1" | "with space""#;
    let read = types.find("export interface NewPet {").expect("NewPet");
    let sent = types
        .find("export interface NewPetWritable {")
        .expect("NewPetWritable");
    let (response, request) = if read < sent {
        (&types[read..sent], &types[sent..])
    } else {
        (&types[read..], &types[sent..read])
    };
    // NewPet and NewPetWritable share the inline enum: declared once, closed.
    assert!(
        types.contains(&format!("export type Status = {values};")),
        "{types}"
    );
    assert!(
        response.contains("status?: Status | (string & {});"),
        "{response}"
    );
    assert!(request.contains("status?: Status;"), "{request}");
}
