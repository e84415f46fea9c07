//! Rendered text → formatted Rust source, or an error when the text is not valid Rust.

use super::RenderError;

/// Parses `source` as a Rust file and pretty-prints it, then puts the `@generated` header
/// on top. Parsing is also the last line of defence: text from a spec that somehow
/// escaped its literal would fail here instead of reaching disk.
pub fn rust_file(path: &str, source: &str, header: &str) -> Result<String, RenderError> {
    let file = syn::parse_file(source).map_err(|e| {
        let start = e.span().start();
        RenderError::InvalidRust {
            file: path.to_owned(),
            line: start.line,
            column: start.column + 1,
            message: e.to_string(),
        }
    })?;
    let pretty = prettyplease::unparse(&file);
    Ok(format!("{header}\n{pretty}"))
}
