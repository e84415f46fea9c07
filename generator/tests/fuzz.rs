//! Property tests: mutated specs never panic the loader, the model or the back-end, and
//! whatever loads renders to valid Rust. CI runs a bounded number of cases; run longer
//! with `PROPTEST_CASES=20000 cargo test -p kontrat-generator --test generator fuzz`.

use std::path::Path;

use kontrat_generator::{Diagnostics, load_contract_str, rust};
use proptest::prelude::*;

fn seeds() -> Vec<(&'static str, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let read = |p: &str| std::fs::read_to_string(dir.join(p)).unwrap();
    vec![
        ("auth.yaml", read("../spec/auth.yaml")),
        ("petstore.yaml", read("tests/fixtures/render/petstore.yaml")),
        ("hostile.yaml", read("tests/fixtures/render/hostile.yaml")),
    ]
}

/// One edit of the text: YAML- and JSON-significant fragments are the interesting ones.
#[derive(Debug, Clone)]
enum Edit {
    Delete { at: usize, len: usize },
    Insert { at: usize, text: String },
    DuplicateLine { at: usize },
    SwapLines { a: usize, b: usize },
}

fn edit() -> impl Strategy<Value = Edit> {
    let fragment = prop_oneof![
        Just(": ".to_owned()),
        Just("- ".to_owned()),
        Just("\n  ".to_owned()),
        Just("{".to_owned()),
        Just("]".to_owned()),
        Just("'".to_owned()),
        Just("\"".to_owned()),
        Just("&a ".to_owned()),
        Just("*a".to_owned()),
        Just("$ref: '#/components/schemas/TokenPair'".to_owned()),
        Just("$ref: '#/paths/~1api~1v1~1auth~1refresh/post'".to_owned()),
        Just("nullable: true".to_owned()),
        Just("type: [string, 'null']".to_owned()),
        Just("allOf: [{$ref: '#/components/schemas/Envelope'}]".to_owned()),
        Just("enum: [null]".to_owned()),
        Just("additionalProperties: false".to_owned()),
        "[ -~]{0,12}",
        "\\PC{0,4}",
    ];
    prop_oneof![
        (0usize..20_000, 1usize..40).prop_map(|(at, len)| Edit::Delete { at, len }),
        (0usize..20_000, fragment).prop_map(|(at, text)| Edit::Insert { at, text }),
        (0usize..400).prop_map(|at| Edit::DuplicateLine { at }),
        (0usize..400, 0usize..400).prop_map(|(a, b)| Edit::SwapLines { a, b }),
    ]
}

fn apply(text: &str, edit: &Edit) -> String {
    let boundary = |mut i: usize| {
        i = i.min(text.len());
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    match edit {
        Edit::Delete { at, len } => {
            let a = boundary(*at);
            let b = boundary(at.saturating_add(*len));
            format!("{}{}", &text[..a], &text[b..])
        }
        Edit::Insert { at, text: t } => {
            let a = boundary(*at);
            format!("{}{t}{}", &text[..a], &text[a..])
        }
        Edit::DuplicateLine { at } => {
            let mut lines: Vec<&str> = text.lines().collect();
            if !lines.is_empty() {
                let i = at % lines.len();
                lines.insert(i, lines[i]);
            }
            lines.join("\n")
        }
        Edit::SwapLines { a, b } => {
            let mut lines: Vec<&str> = text.lines().collect();
            if !lines.is_empty() {
                let (a, b) = (a % lines.len(), b % lines.len());
                lines.swap(a, b);
            }
            lines.join("\n")
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn mutated_specs_never_panic(seed in 0usize..3, edits in proptest::collection::vec(edit(), 1..4)) {
        let seeds = seeds();
        let (name, text) = &seeds[seed % seeds.len()];
        let mutated = edits.iter().fold(text.clone(), |t, e| apply(&t, e));
        match load_contract_str(name, &mutated) {
            Err(diagnostics) => {
                // Every error is located and says what to do.
                for d in diagnostics.errors() {
                    prop_assert!(d.hint.is_some(), "{d:?}");
                    prop_assert!(!d.pointer.is_empty() || d.location.is_some(), "{d:?}");
                }
            }
            Ok((contract, _)) => {
                let options = rust::Options { crate_name: "fuzz".into(), spec_file: (*name).into() };
                let mut diagnostics = Diagnostics::new(*name);
                let rendered = rust::render(&contract, &options, &mut diagnostics);
                prop_assert!(rendered.is_ok(), "a loadable spec must render: {:?}", rendered.err());
            }
        }
    }
}
