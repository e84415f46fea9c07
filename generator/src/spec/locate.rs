//! JSON pointer → line:column, recovered from the source text on demand.
//!
//! Parsing keeps no positions (that would slow the happy path and double the
//! memory of a 10 MB spec), so positions are found only when there is
//! something to report: one pass over the text, tracking only the pointers
//! asked for and their ancestors, skipping every other subtree. A member is
//! located at its key (where an editor should put the cursor), an array
//! element at its first character. A pointer that does not exist in the
//! text (a missing key, a node created by normalisation) falls back to its
//! nearest existing ancestor.
//!
//! JSON is scanned by a small tokenizer (YAML parsers reject some valid JSON,
//! e.g. tab indentation); YAML by `yaml-rust2`'s marked event parser, used as
//! a pull parser so nesting depth costs no stack.

use std::collections::{HashMap, HashSet};

use yaml_rust2::Event;
use yaml_rust2::parser::Parser;

use crate::diagnostics::{Diagnostic, Location};

use super::parse::Format;
use super::pointer::pointer_segments;

type Path = Vec<String>;

/// Fills the location of every diagnostic that has a pointer but no location.
pub(crate) fn locate(text: &str, format: Format, diagnostics: &mut [Diagnostic]) {
    let mut wanted: HashSet<Path> = HashSet::new();
    let mut targets: Vec<(usize, Path)> = Vec::new();
    for (i, d) in diagnostics.iter().enumerate() {
        if d.location.is_some() {
            continue;
        }
        let Some(segments) = pointer_segments(&d.pointer) else {
            continue;
        };
        for n in 0..=segments.len() {
            if !wanted.contains(&segments[..n]) {
                wanted.insert(segments[..n].to_vec());
            }
        }
        targets.push((i, segments));
    }
    if targets.is_empty() {
        return;
    }
    let found = match format {
        Format::Json => scan_json(text, &wanted),
        Format::Yaml => scan_yaml(text, &wanted),
    };
    for (i, segments) in targets {
        let location = (0..=segments.len())
            .rev()
            .find_map(|n| found.get(&segments[..n]));
        if let (Some(l), Some(d)) = (location, diagnostics.get_mut(i)) {
            d.location = Some(*l);
        }
    }
}

/// Records the first position seen for each wanted path.
struct Recorder<'w> {
    wanted: &'w HashSet<Path>,
    found: HashMap<Path, Location>,
}

impl Recorder<'_> {
    fn done(&self) -> bool {
        self.found.len() >= self.wanted.len()
    }
}

// ---------------------------------------------------------------- YAML

enum Frame {
    /// A mapping whose path is wanted: `key` is the pending key once read.
    /// `pending`: the mapping's own position is still to be recorded, at its
    /// first key (yaml-rust2 marks a block mapping's start after that key),
    /// or at its start mark if it turns out empty.
    Map {
        key: Option<String>,
        expecting_key: bool,
        pending: Option<Location>,
    },
    /// A sequence whose path is wanted.
    Seq { index: usize },
    /// A subtree nobody asked about (or a complex key), skipped by depth.
    Skip { depth: usize },
}

fn scan_yaml(text: &str, wanted: &HashSet<Path>) -> HashMap<Path, Location> {
    let mut rec = Recorder {
        wanted,
        found: HashMap::new(),
    };
    let mut parser = Parser::new_from_str(text);
    let mut frames: Vec<Frame> = Vec::new();
    let mut path: Path = Vec::new();
    let mut root_seen = false;
    while let Ok((event, mark)) = parser.next_token() {
        let here = Location {
            line: mark.line(),
            column: mark.col() + 1,
        };
        let opens = matches!(event, Event::MappingStart(..) | Event::SequenceStart(..));
        let is_map = matches!(event, Event::MappingStart(..));
        match event {
            Event::StreamEnd => break,
            Event::Nothing | Event::StreamStart | Event::DocumentStart | Event::DocumentEnd => {}
            Event::MappingEnd | Event::SequenceEnd => match frames.pop() {
                Some(Frame::Skip { depth }) if depth > 1 => {
                    frames.push(Frame::Skip { depth: depth - 1 })
                }
                // Skipped subtrees never pushed a path segment.
                Some(Frame::Skip { .. }) | None => {}
                Some(frame) => {
                    if let Frame::Map {
                        pending: Some(start),
                        ..
                    } = frame
                    {
                        rec.found.entry(path.clone()).or_insert(start);
                    }
                    if !frames.is_empty() {
                        path.pop();
                    }
                }
            },
            Event::Scalar(..)
            | Event::Alias(_)
            | Event::MappingStart(..)
            | Event::SequenceStart(..) => {
                let key_text = match &event {
                    Event::Scalar(s, ..) => Some(s.clone()),
                    _ => None,
                };
                match frames.last_mut() {
                    None => {
                        if root_seen {
                            break; // a second document: positions refer to the first only
                        }
                        root_seen = true;
                        if !is_map {
                            rec.found.entry(Vec::new()).or_insert(here);
                        }
                        if opens {
                            frames.push(container(&event, is_map.then_some(here)));
                        }
                    }
                    Some(Frame::Skip { depth }) => {
                        if opens {
                            *depth += 1;
                        }
                    }
                    Some(Frame::Map {
                        key,
                        expecting_key,
                        pending,
                    }) if *expecting_key => {
                        *expecting_key = false;
                        *key = key_text;
                        if pending.take().is_some() {
                            rec.found.entry(path.clone()).or_insert(here);
                        }
                        if let Some(k) = key {
                            path.push(k.clone());
                            if rec.wanted.contains(&path) {
                                rec.found.entry(path.clone()).or_insert(here);
                            }
                            path.pop();
                        }
                        if opens {
                            // A complex key: skip it; its value is then unreachable.
                            frames.push(Frame::Skip { depth: 1 });
                        }
                    }
                    Some(Frame::Map {
                        key, expecting_key, ..
                    }) => {
                        *expecting_key = true;
                        let key = key.take();
                        if opens {
                            // Located at its key already.
                            push_child(&mut frames, &mut path, key, &event, rec.wanted, None);
                        }
                    }
                    Some(Frame::Seq { index }) => {
                        let seg = index.to_string();
                        *index += 1;
                        path.push(seg.clone());
                        if !is_map && rec.wanted.contains(&path) {
                            rec.found.entry(path.clone()).or_insert(here);
                        }
                        path.pop();
                        if opens {
                            push_child(
                                &mut frames,
                                &mut path,
                                Some(seg),
                                &event,
                                rec.wanted,
                                is_map.then_some(here),
                            );
                        }
                    }
                }
            }
        }
        if rec.done() {
            break;
        }
    }
    rec.found
}

fn container(event: &Event, pending: Option<Location>) -> Frame {
    match event {
        Event::SequenceStart(..) => Frame::Seq { index: 0 },
        _ => Frame::Map {
            key: None,
            expecting_key: true,
            pending,
        },
    }
}

/// Enters a container value: tracked when its path is wanted, skipped otherwise.
fn push_child(
    frames: &mut Vec<Frame>,
    path: &mut Path,
    seg: Option<String>,
    event: &Event,
    wanted: &HashSet<Path>,
    pending: Option<Location>,
) {
    let Some(seg) = seg else {
        frames.push(Frame::Skip { depth: 1 });
        return;
    };
    path.push(seg);
    if wanted.contains(path) {
        frames.push(container(event, pending));
    } else {
        path.pop();
        frames.push(Frame::Skip { depth: 1 });
    }
}

// ---------------------------------------------------------------- JSON

enum JsonFrame {
    Object,
    Array(usize),
}

#[derive(Clone, Copy)]
enum State {
    /// At the start of a value whose path is `path`.
    Value,
    /// After `{`: a key or `}`.
    ObjectStart,
    /// After `,` in an object: a key.
    Key,
    /// After `[`: a value or `]`.
    ArrayStart,
    /// After a complete value.
    After,
}

fn scan_json(text: &str, wanted: &HashSet<Path>) -> HashMap<Path, Location> {
    let b = text.as_bytes();
    let mut offsets: HashMap<Path, usize> = HashMap::new();
    let mut stack: Vec<JsonFrame> = Vec::new();
    let mut path: Path = Vec::new();
    let mut i = skip_ws(b, 0);
    offsets.insert(Vec::new(), i);
    let mut state = State::Value;
    // Every step consumes input or pops a frame, so the loop ends; bail out on anything malformed.
    loop {
        if offsets.len() >= wanted.len() {
            break;
        }
        match state {
            State::Value => {
                let tracked = wanted.contains(&path);
                match b.get(i) {
                    Some(b'{') if tracked => {
                        stack.push(JsonFrame::Object);
                        i += 1;
                        state = State::ObjectStart;
                    }
                    Some(b'[') if tracked => {
                        stack.push(JsonFrame::Array(0));
                        i += 1;
                        state = State::ArrayStart;
                    }
                    Some(_) => {
                        let Some(end) = skip_value(b, i) else { break };
                        i = end;
                        state = State::After;
                    }
                    None => break,
                }
            }
            State::ObjectStart | State::Key => {
                i = skip_ws(b, i);
                if matches!(state, State::ObjectStart) && b.get(i) == Some(&b'}') {
                    i += 1;
                    stack.pop();
                    state = State::After;
                    continue;
                }
                let start = i;
                let Some((key, end)) = read_key(text, i) else {
                    break;
                };
                i = skip_ws(b, end);
                if b.get(i) != Some(&b':') {
                    break;
                }
                i = skip_ws(b, i + 1);
                path.push(key);
                if wanted.contains(&path) && !offsets.contains_key(&path) {
                    offsets.insert(path.clone(), start);
                }
                state = State::Value;
            }
            State::ArrayStart => {
                i = skip_ws(b, i);
                if b.get(i) == Some(&b']') {
                    i += 1;
                    stack.pop();
                    state = State::After;
                    continue;
                }
                enter_element(&mut path, 0, i, wanted, &mut offsets);
                state = State::Value;
            }
            State::After => {
                if stack.is_empty() {
                    break;
                }
                path.pop();
                i = skip_ws(b, i);
                let c = b.get(i).copied();
                match (stack.last_mut(), c) {
                    (Some(JsonFrame::Object), Some(b',')) => {
                        i += 1;
                        state = State::Key;
                    }
                    (Some(JsonFrame::Object), Some(b'}'))
                    | (Some(JsonFrame::Array(_)), Some(b']')) => {
                        i += 1;
                        stack.pop();
                        // The closed container is itself a finished value.
                        state = State::After;
                        if stack.is_empty() {
                            break;
                        }
                        // `After` pops the container's own segment next.
                        continue;
                    }
                    (Some(JsonFrame::Array(n)), Some(b',')) => {
                        *n += 1;
                        let index = *n;
                        i = skip_ws(b, i + 1);
                        enter_element(&mut path, index, i, wanted, &mut offsets);
                        state = State::Value;
                    }
                    _ => break,
                }
            }
        }
    }
    to_locations(text, offsets)
}

fn enter_element(
    path: &mut Path,
    index: usize,
    at: usize,
    wanted: &HashSet<Path>,
    offsets: &mut HashMap<Path, usize>,
) {
    path.push(index.to_string());
    if wanted.contains(path) && !offsets.contains_key(path) {
        offsets.insert(path.clone(), at);
    }
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while matches!(b.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        i += 1;
    }
    i
}

/// End (exclusive) of the string starting at `i` (which must be `"`).
fn skip_string(b: &[u8], i: usize) -> Option<usize> {
    let mut j = i + 1;
    loop {
        // Descriptions are long: jump to the next quote or backslash.
        j += memchr::memchr2(b'"', b'\\', b.get(j..)?)?;
        match b[j] {
            b'"' => return Some(j + 1),
            _ => j += 2,
        }
    }
}

/// End (exclusive) of the value starting at `i`.
fn skip_value(b: &[u8], i: usize) -> Option<usize> {
    match b.get(i)? {
        b'"' => skip_string(b, i),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut j = i;
            loop {
                match b.get(j)? {
                    b'"' => {
                        j = skip_string(b, j)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth = depth.checked_sub(1)?;
                        if depth == 0 {
                            return Some(j + 1);
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
        }
        _ => {
            let mut j = i;
            while let Some(c) = b.get(j) {
                if matches!(c, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r') {
                    break;
                }
                j += 1;
            }
            (j > i).then_some(j)
        }
    }
}

/// The decoded key starting at `i` and the index after it.
fn read_key(text: &str, i: usize) -> Option<(String, usize)> {
    let b = text.as_bytes();
    if b.get(i) != Some(&b'"') {
        return None;
    }
    let end = skip_string(b, i)?;
    let raw = text.get(i + 1..end - 1)?;
    let key = if raw.contains('\\') {
        serde_json::from_str::<String>(text.get(i..end)?).ok()?
    } else {
        raw.to_owned()
    };
    Some((key, end))
}

/// Byte offsets → 1-based line and character column, in one sweep.
fn to_locations(text: &str, offsets: HashMap<Path, usize>) -> HashMap<Path, Location> {
    let mut sorted: Vec<(usize, Path)> = offsets.into_iter().map(|(p, o)| (o, p)).collect();
    sorted.sort_by_key(|(o, _)| *o);
    let mut out = HashMap::with_capacity(sorted.len());
    let (mut line, mut line_start, mut cursor) = (1usize, 0usize, 0usize);
    for (offset, path) in sorted {
        let offset = offset.min(text.len());
        if let Some(chunk) = text.as_bytes().get(cursor..offset) {
            for (k, c) in chunk.iter().enumerate() {
                if *c == b'\n' {
                    line += 1;
                    line_start = cursor + k + 1;
                }
            }
        }
        cursor = cursor.max(offset);
        let column = text
            .get(line_start..offset)
            .map_or(offset - line_start, |s| s.chars().count())
            + 1;
        out.insert(path, Location { line, column });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, format: Format, pointer: &str) -> Option<(usize, usize)> {
        let mut d = vec![Diagnostic::error("x", pointer, "m")];
        locate(text, format, &mut d);
        d[0].location.map(|l| (l.line, l.column))
    }

    #[test]
    fn json_positions() {
        let text =
            "{\n  \"a\": {\"b\": [1, {\"c\": 2}]},\n\t\"d~/\": \"x\",\n  \"é\": {\"f\": 1}\n}";
        assert_eq!(at(text, Format::Json, "#"), Some((1, 1)));
        assert_eq!(at(text, Format::Json, "#/a"), Some((2, 3)));
        assert_eq!(at(text, Format::Json, "#/a/b/1/c"), Some((2, 19)));
        assert_eq!(at(text, Format::Json, "#/a/b/0"), Some((2, 15)));
        assert_eq!(at(text, Format::Json, "#/d~0~1"), Some((3, 2)));
        assert_eq!(at(text, Format::Json, "#/é/f"), Some((4, 9)));
        assert_eq!(at(text, Format::Json, "#/a/zz/yy"), Some((2, 3)));
    }

    #[test]
    fn json_escaped_keys() {
        let text = r#"{"a\/b": 1, "c\u0041": {"x": 1}}"#;
        assert_eq!(at(text, Format::Json, "#/a~1b"), Some((1, 2)));
        assert_eq!(at(text, Format::Json, "#/cA/x"), Some((1, 25)));
    }

    #[test]
    fn yaml_positions() {
        let text = "a:\n  b:\n    - 1\n    - c: 2\n  \"q\": [x, {y: 1}]\nd: 1\n";
        assert_eq!(at(text, Format::Yaml, "#/a/b/1/c"), Some((4, 7)));
        assert_eq!(at(text, Format::Yaml, "#/a/b/0"), Some((3, 7)));
        assert_eq!(at(text, Format::Yaml, "#/a/q/1/y"), Some((5, 13)));
        assert_eq!(at(text, Format::Yaml, "#/d"), Some((6, 1)));
        assert_eq!(at(text, Format::Yaml, "#/a/missing"), Some((1, 1)));
        assert_eq!(at(text, Format::Yaml, "#"), Some((1, 1)));
        assert_eq!(at(text, Format::Yaml, "#/a/b/1"), Some((4, 7)));
        assert_eq!(
            at(
                "- {}
- [1]
",
                Format::Yaml,
                "#/0"
            ),
            Some((1, 3))
        );
        assert_eq!(
            at(
                "- {}
- [1]
",
                Format::Yaml,
                "#/1/0"
            ),
            Some((2, 4))
        );
    }
}
