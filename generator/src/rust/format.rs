//! Rendered text → formatted Rust source, or an error when the text is not valid Rust.
//!
//! Templates put a `// @kontrat:chunk` line between top-level items. Each chunk is parsed
//! and pretty-printed on its own: the syntax tree of a whole 3 MB file never has to exist
//! at once (memory), and chunks of all files spread over all cores (time). Comments are
//! not part of the syntax tree, so the markers vanish from the output.
//!
//! Doc comments are most of the text of a large crate, and lexing them into `#[doc]`
//! attributes and printing them back is a quarter of the formatting time. A run of doc
//! comment lines is therefore parsed as one short placeholder comment and put back,
//! re-indented, after printing: the output is the same, byte for byte. Doc lines need no
//! parsing to be safe: [`super::doc::doc_comment`] builds them so nothing escapes them.

use super::RenderError;

/// The line templates put between top-level items.
const CHUNK_MARKER: &str = "// @kontrat:chunk";

/// The marker of a chunk its template laid out exactly as prettyplease prints it (see
/// [`format_chunk`]).
const LAID_OUT_MARKER: &str = "// @kontrat:chunk laid-out";

/// A piece of a rendered file, formatted on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chunk<'a> {
    /// The rendered text.
    pub text: &'a str,
    /// Its template laid it out already; formatting would not change it.
    pub laid_out: bool,
}

/// The chunks of a rendered file, in order. Spec text only reaches the source inside
/// escaped string literals, single-line JSON tokens or doc comments, so it cannot forge
/// a marker line.
pub fn chunks(source: &str) -> Vec<Chunk<'_>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut offset = 0;
    let mut laid_out = false;
    for line in source.split_inclusive('\n') {
        let trimmed = line.trim();
        if trimmed == CHUNK_MARKER || trimmed == LAID_OUT_MARKER {
            out.push(Chunk {
                text: &source[start..offset],
                laid_out,
            });
            laid_out = trimmed == LAID_OUT_MARKER;
            start = offset + line.len();
        }
        offset += line.len();
    }
    out.push(Chunk {
        text: &source[start..],
        laid_out,
    });
    out
}

/// A chunk as it goes into the file: laid-out chunks as rendered (without the blank
/// lines around them, which prettyplease would drop), the others through [`format_chunk`].
///
/// Why laid-out chunks exist: syn and prettyplease are most of the time of generating a
/// large crate, and the most repetitive chunks (one per operation) are simple enough
/// for their templates to print them exactly as prettyplease would, whenever their
/// lines are short (`LAID_OUT_WIDTH` in `views`). Debug builds check every such chunk against prettyplease's output (all tests, and
/// CI's generation of the fixture and corpus crates).
pub fn finish_chunk(path: &str, chunk: Chunk<'_>) -> Result<String, RenderError> {
    if chunk.laid_out {
        let text = chunk.text.trim_matches('\n');
        let mut out = String::with_capacity(text.len() + 1);
        out.push_str(text);
        out.push('\n');
        // Every debug build (all tests, and CI's generation of the corpus crates) holds
        // the template's layout to prettyplease's.
        if cfg!(debug_assertions) {
            let formatted = format_chunk(path, chunk.text)?;
            if formatted != out {
                let mut mine = out.lines().map(Some).chain(std::iter::repeat(None));
                let theirs = formatted.lines().map(Some).chain(std::iter::repeat(None));
                let (mine, theirs) = theirs
                    .map(|t| (mine.next().flatten(), t))
                    .find(|(a, b)| a != b)
                    .map(|(a, b)| (a.unwrap_or("(end)"), b.unwrap_or("(end)")))
                    .unwrap_or(("(end)", "(end)"));
                return Err(RenderError::InvalidRust {
                    file: path.to_owned(),
                    message: format!(
                        "a laid-out chunk is not as prettyplease prints it: `{mine}` instead of `{theirs}`"
                    ),
                    saved: String::new(),
                });
            }
        }
        Ok(out)
    } else {
        format_chunk(path, chunk.text)
    }
}

/// Parses one chunk as a sequence of items and pretty-prints it. Parsing is also a last
/// line of defence: text from a spec that somehow escaped its literal would fail here
/// instead of reaching disk.
pub fn format_chunk(path: &str, chunk: &str) -> Result<String, RenderError> {
    let (stripped, docs) = stash_docs(chunk);
    let file = syn::parse_file(&stripped).map_err(|e| invalid(path, chunk, &e))?;
    let printed = prettyplease::unparse(&file);
    match restore_docs(&printed, &docs) {
        Some(text) => Ok(text),
        // Not expected: a placeholder was moved or dropped. The slow path is still right.
        None => {
            let file = syn::parse_file(chunk).map_err(|e| invalid(path, chunk, &e))?;
            Ok(prettyplease::unparse(&file))
        }
    }
}

/// The placeholder comment for doc run `i` (`///` or `//!` before it).
const DOC_PLACEHOLDER: &str = " @kontrat:doc ";

/// Whether a trimmed line is a doc comment (`///` but not `////`, or `//!`).
fn doc_prefix(trimmed: &str) -> Option<&'static str> {
    if trimmed.starts_with("//!") {
        Some("//!")
    } else if trimmed.starts_with("///") && !trimmed.starts_with("////") {
        Some("///")
    } else {
        None
    }
}

/// The chunk with every run of doc lines (of one kind) replaced by one placeholder line,
/// and the runs' lines (trimmed at the start). Rendered text holds no line inside a
/// literal that starts with `///` (multi-line literals are JSON), so every match is a
/// comment.
fn stash_docs(chunk: &str) -> (String, Vec<Vec<&str>>) {
    let mut out = String::with_capacity(chunk.len() / 2);
    let mut runs: Vec<Vec<&str>> = Vec::new();
    let mut open: Option<&'static str> = None;
    for line in chunk.split_inclusive('\n') {
        let trimmed = line.trim();
        match doc_prefix(trimmed) {
            Some(prefix) => {
                if open != Some(prefix) {
                    out.push_str(prefix);
                    out.push_str(DOC_PLACEHOLDER);
                    out.push_str(&runs.len().to_string());
                    out.push('\n');
                    runs.push(Vec::new());
                    open = Some(prefix);
                }
                if let Some(run) = runs.last_mut() {
                    run.push(trimmed);
                }
            }
            None => {
                open = None;
                out.push_str(line);
            }
        }
    }
    (out, runs)
}

/// The printed text with each placeholder line replaced by its run, at its indentation.
/// `None` when the placeholders did not come back exactly once each, in order.
fn restore_docs(printed: &str, runs: &[Vec<&str>]) -> Option<String> {
    if runs.is_empty() {
        return Some(printed.to_owned());
    }
    let extra: usize = runs.iter().flatten().map(|l| l.len() + 8).sum();
    let mut out = String::with_capacity(printed.len() + extra);
    let mut next = 0;
    for line in printed.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let body = trimmed.trim_end();
        let index = doc_prefix(body)
            .and_then(|p| body[p.len()..].strip_prefix(DOC_PLACEHOLDER))
            .and_then(|n| n.parse::<usize>().ok());
        match index {
            Some(i) if i == next && i < runs.len() => {
                let indent = &line[..line.len() - trimmed.len()];
                for doc in &runs[i] {
                    out.push_str(indent);
                    out.push_str(doc);
                    out.push('\n');
                }
                next += 1;
            }
            Some(_) => return None,
            None => out.push_str(line),
        }
    }
    (next == runs.len()).then_some(out)
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
        let source =
            "a\n// @kontrat:chunk\nb\nc // @kontrat:chunk\n  // @kontrat:chunk laid-out\nd";
        let texts: Vec<(&str, bool)> = chunks(source)
            .iter()
            .map(|c| (c.text, c.laid_out))
            .collect();
        assert_eq!(
            texts,
            [
                ("a\n", false),
                ("b\nc // @kontrat:chunk\n", false),
                ("d", true)
            ]
        );
    }

    /// What prettyplease prints for the doc comments themselves.
    fn reference(chunk: &str) -> String {
        prettyplease::unparse(&syn::parse_file(chunk).unwrap())
    }

    #[test]
    fn stashed_docs_come_back_as_prettyplease_prints_them() {
        let chunk = "//! Crate doc\n//!\n//!   indented\n/// Item doc\n///\n/// ```text\n///   code\n/// ```\n#[derive(Debug)]\n/// After an attribute\npub struct S { /// Field\n  pub a: u8,\n    /// Second\n    //// not a doc\n    pub b: u8 }\nimpl S {\n/// Method\n/// more\n        pub fn f(&self) -> u8 { /// inner\n let x = 1; x }\n}\n";
        assert_eq!(format_chunk("x.rs", chunk).unwrap(), reference(chunk));
        let (stripped, runs) = stash_docs(chunk);
        // Doc comments that share a line with code are left to syn.
        assert_eq!(runs.len(), 5, "{stripped}");
    }

    #[test]
    fn laid_out_chunks_skip_formatting_and_debug_builds_check_them() {
        let good = Chunk {
            text: "\nfn f() {}\n\n",
            laid_out: true,
        };
        assert_eq!(finish_chunk("x.rs", good).unwrap(), "fn f() {}\n");
        let bad = Chunk {
            text: "fn  f() {}",
            laid_out: true,
        };
        assert_eq!(finish_chunk("x.rs", bad).is_err(), cfg!(debug_assertions));
    }

    #[test]
    fn docs_in_invalid_code_still_fail() {
        assert!(format_chunk("x.rs", "/// doc\nfn (").is_err());
    }

    #[test]
    fn a_missing_placeholder_takes_the_slow_path() {
        let runs = vec![vec!["/// a"]];
        assert_eq!(restore_docs("fn f() {}\n", &runs), None);
        assert_eq!(restore_docs("/// @kontrat:doc 1\n", &runs), None);
        assert_eq!(
            restore_docs("    /// @kontrat:doc 0\nfn f() {}\n", &runs).as_deref(),
            Some("    /// a\nfn f() {}\n")
        );
    }
}
