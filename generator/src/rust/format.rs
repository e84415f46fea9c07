//! Rendered text → formatted Rust source, or an error when the text is not valid Rust.
//!
//! Templates put a `// @kontrat:chunk` line between top-level items. Each chunk is parsed
//! and pretty-printed on its own: the syntax tree of a whole 3 MB file never has to exist
//! at once (memory), and chunks of all files spread over all cores (time). Comments are
//! not part of the syntax tree, so the markers vanish from the output.

use super::RenderError;

/// The line templates put between top-level items.
const CHUNK_MARKER: &str = "// @kontrat:chunk";

/// The chunks of a rendered file, in order. Spec text only reaches the source inside
/// escaped string literals or single-line JSON tokens, so it cannot forge a marker line.
pub fn chunks(source: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut offset = 0;
    for line in source.split_inclusive('\n') {
        if line.trim() == CHUNK_MARKER {
            out.push(&source[start..offset]);
            start = offset + line.len();
        }
        offset += line.len();
    }
    out.push(&source[start..]);
    out
}

/// Parses one chunk as a sequence of items and pretty-prints it. Parsing is also the
/// last line of defence: text from a spec that somehow escaped its literal would fail
/// here instead of reaching disk.
pub fn format_chunk(path: &str, chunk: &str) -> Result<String, RenderError> {
    let file = syn::parse_file(chunk).map_err(|e| invalid(path, chunk, &e))?;
    Ok(prettyplease::unparse(&file))
}

/// The error for a rendered chunk that does not parse. Spans carry no line numbers (that
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_split_on_marker_lines_only() {
        let source = "a\n// @kontrat:chunk\nb\nc // @kontrat:chunk\n  // @kontrat:chunk\nd";
        assert_eq!(chunks(source), ["a\n", "b\nc // @kontrat:chunk\n", "d"]);
    }
}
