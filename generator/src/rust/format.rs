//! Rendered text → formatted Rust source, or an error when the text is not valid Rust.

use super::RenderError;

/// Parses `source` as a Rust file and pretty-prints it, then puts the `@generated` header
/// on top. Parsing is also the last line of defence: text from a spec that somehow
/// escaped its literal would fail here instead of reaching disk.
pub fn rust_file(path: &str, source: &str, header: &str) -> Result<String, RenderError> {
    let file = syn::parse_file(source).map_err(|e| invalid(path, source, &e))?;
    let pretty = prettyplease::unparse(&file);
    Ok(format!("{header}\n{pretty}"))
}

/// The error for a rendered file that does not parse. Spans carry no line numbers (that
/// would slow every parse down), so the unformatted text is kept in a temporary file for
/// the bug report.
fn invalid(path: &str, source: &str, e: &syn::Error) -> RenderError {
    let saved = std::env::temp_dir().join(format!(
        "kontrat-invalid-{}-{}.rs",
        std::process::id(),
        path.replace(['/', '\\'], "_")
    ));
    let saved = match std::fs::write(&saved, source) {
        Ok(()) => saved.display().to_string(),
        Err(_) => "(could not be saved)".to_owned(),
    };
    RenderError::InvalidRust {
        file: path.to_owned(),
        message: e.to_string(),
        saved,
    }
}
