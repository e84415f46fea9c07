//! The spec loader must never panic, whatever the input; rendering a contract that
//! loaded without errors must never panic and must return `Ok`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok((contract, mut diagnostics)) = kontrat_generator::load_contract_str("fuzz.yaml", text)
    {
        let options = kontrat_generator::rust::Options {
            crate_name: "fuzz".into(),
            spec_file: "fuzz.yaml".into(),
        };
        if let Err(err) = kontrat_generator::rust::render(&contract, &options, &mut diagnostics) {
            panic!("render failed on a contract that loaded without errors: {err}");
        }
    }
});
