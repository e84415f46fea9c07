//! Names of inline schemas, decided once over the whole spec and used by both back-ends.

use kontrat_generator::model::Contract;
use kontrat_generator::output::Files;
use kontrat_generator::{Diagnostics, rust, typescript};

/// Three list operations over two tags. `direction` is one shape everywhere; `status` is
/// one shape under `pets` and another under `stores`; `flavour` appears once; the pets'
/// list body is shared by both pets operations.
const SPEC: &str = r#"
openapi: 3.0.3
info: { title: Names, version: "1" }
paths:
  /pets:
    get:
      operationId: pets/list
      tags: [pets]
      parameters:
        - { name: direction, in: query, schema: { type: string, enum: [asc, desc] } }
        - { name: status, in: query, schema: { type: string, enum: [available, sold] } }
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  total_count: { type: integer }
                  pets: { type: array, items: { type: string } }
  /pets/mine:
    get:
      operationId: pets/list-mine
      tags: [pets]
      parameters:
        - { name: status, in: query, schema: { type: string, enum: [available, sold] } }
        - name: direction
          in: query
          description: Written again, with its own words.
          schema: { type: string, enum: [asc, desc] }
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  total_count: { type: integer }
                  pets: { type: array, items: { type: string } }
  /stores:
    get:
      operationId: stores/list
      tags: [stores]
      parameters:
        - { name: direction, in: query, schema: { type: string, enum: [asc, desc] } }
        - { name: status, in: query, schema: { type: string, enum: [open, closed] } }
        - { name: flavour, in: query, schema: { type: string, enum: [sweet, sour] } }
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  stores: { type: array, items: { type: string } }
"#;

fn contract() -> Contract {
    kontrat_generator::load_contract_str("names.yaml", SPEC)
        .expect("loads")
        .0
}

fn rust_files(contract: &Contract) -> Files {
    let options = rust::Options {
        crate_name: "names".into(),
        spec_file: "names.yaml".into(),
    };
    rust::render(contract, &options, &mut Diagnostics::new("names.yaml")).expect("renders")
}

fn typescript_files(contract: &Contract) -> Files {
    let options = typescript::Options {
        package_name: "names".into(),
        spec_file: "names.yaml".into(),
    };
    typescript::render(contract, &options).expect("renders")
}

/// `pub enum X` / `pub struct X` names of the Rust crate's types.
fn rust_types(files: &Files) -> Vec<String> {
    files["src/types.rs"]
        .lines()
        .filter_map(|l| {
            l.strip_prefix("pub enum ")
                .or_else(|| l.strip_prefix("pub struct "))
        })
        .filter_map(|rest| rest.split([' ', '<', '{']).next())
        .map(str::to_owned)
        .collect()
}

#[test]
fn inline_schemas_are_named_from_what_they_are_with_the_least_context() {
    let types = rust_types(&rust_files(&contract()));
    // One shape used by three operations of two tags: its parameter name.
    assert!(types.contains(&"Direction".to_owned()), "{types:?}");
    // Two shapes want `Status`: each takes the tag its operations share, neither the
    // bare name.
    assert!(types.contains(&"PetsStatus".to_owned()), "{types:?}");
    assert!(types.contains(&"StoresStatus".to_owned()), "{types:?}");
    assert!(!types.contains(&"Status".to_owned()), "{types:?}");
    // Used once and free: its own name.
    assert!(types.contains(&"Flavour".to_owned()), "{types:?}");
    // A body two operations share is named from the words they share, not after one of
    // them (`pets/list` is an operation, so its tag goes); a body one operation uses is
    // named after it.
    assert!(types.contains(&"ListOkBody".to_owned()), "{types:?}");
    assert!(types.contains(&"StoresListOkBody".to_owned()), "{types:?}");
    assert!(
        !types.iter().any(|t| t.starts_with("PetsList")),
        "{types:?}"
    );
}

#[test]
fn setters_take_the_shared_types() {
    let client = &rust_files(&contract())["src/client.rs"];
    assert!(client.contains("pub fn pets_list(&self) -> PetsListBuilder<'_> {"));
    assert!(client.contains("pub fn direction(mut self, direction: Direction) -> Self {"));
    assert!(client.contains("pub fn status(mut self, status: PetsStatus) -> Self {"));
    assert!(client.contains("pub fn status(mut self, status: StoresStatus) -> Self {"));
    assert!(client.contains("Result<ResponseValue<ListOkBody>, Error<PetsListError>>"));
    assert!(client.contains("Result<ResponseValue<ListOkBody>, Error<PetsListMineError>>"));
}

#[test]
fn the_typescript_package_declares_the_shared_ones_under_the_same_names() {
    let files = typescript_files(&contract());
    let types = &files["types.d.ts"];
    // Shared enums are declared closed, as requests send them; responses read them open.
    assert!(
        types.contains("export type Direction = \"asc\" | \"desc\";"),
        "{types}"
    );
    assert!(
        types.contains("export type PetsStatus = \"available\" | \"sold\";"),
        "{types}"
    );
    assert!(types.contains("export interface ListOkBody {"));
    // Used in one place: stays inline, as TypeScript types are structural.
    assert!(!types.contains("Flavour"), "{types}");
    assert!(!types.contains("StoresStatus"), "{types}");
    let client = &files["client.d.ts"];
    assert!(client.contains("direction?: Direction;"), "{client}");
    assert!(
        client.contains("status?: \"open\" | \"closed\";"),
        "{client}"
    );
}

#[test]
fn names_are_the_same_on_every_run() {
    assert_eq!(rust_files(&contract()), rust_files(&contract()));
    assert_eq!(typescript_files(&contract()), typescript_files(&contract()));
}
