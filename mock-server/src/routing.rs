//! Matching request paths against the contract's path templates.
//!
//! Why not axum's router: the contract changes under a running server (hot reload), specs
//! mix literals and parameters inside one segment (`/files/{name}.{ext}`), and when nothing
//! matches the mock must say which documented path was closest. A linear scan over the
//! templates with the same number of segments is fast enough for specs with hundreds of
//! operations (they rarely share a segment count by more than a few dozen).

use kontrat_generator::model::{Contract, Method};
use percent_encoding::percent_decode_str;

/// The routes of one contract.
#[derive(Debug, Default)]
pub(crate) struct Routes {
    routes: Vec<Route>,
    /// Indexes into `routes` by the templates' segment count.
    by_len: Vec<Vec<usize>>,
    /// Path prefixes of the spec's servers (e.g. `/v1`), tried when the bare path misses.
    base_paths: Vec<String>,
}

#[derive(Debug)]
struct Route {
    operation: usize,
    method: Method,
    template: String,
    segments: Vec<Vec<Part>>,
    literals: usize,
    /// The template up to its first parameter (all of it when it has none): a path that
    /// does not start with it cannot match, whatever the segments say.
    prefix: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Literal(String),
    Param(String),
}

/// Where a request's method and path land in the contract ([`crate::Compiled::route`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Match {
    /// An operation, with its path parameters (percent-decoded).
    Found {
        /// Index into `Contract::operations`.
        operation: usize,
        /// `(name, value)` in template order.
        params: Vec<(String, String)>,
    },
    /// The path is documented, the method is not: the methods that are.
    MethodNotAllowed(Vec<Method>),
    /// Nothing documented; the closest template with its method, if any is close.
    NotFound(Option<(Method, String)>),
}

impl Match {
    /// Why the request reaches no operation (`None` when it does), as the mock's 404 and
    /// 405 answers say it: the documented methods, or the closest documented path.
    pub fn why_unrouted(&self, method: &http::Method, path: &str) -> Option<String> {
        match self {
            Match::Found { .. } => None,
            Match::MethodNotAllowed(allowed) => Some(format!(
                "{method} is not documented for {path}; documented: {}",
                allowed
                    .iter()
                    .map(|m| m.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            Match::NotFound(Some((m, template))) => Some(format!(
                "no operation documents {method} {path}; closest: {m} {template}"
            )),
            Match::NotFound(None) => Some(format!("no operation documents {method} {path}")),
        }
    }
}

impl Routes {
    pub(crate) fn new(contract: &Contract) -> Self {
        let mut routes = Vec::with_capacity(contract.operations.len());
        let mut by_len: Vec<Vec<usize>> = Vec::new();
        for (i, op) in contract.operations.iter().enumerate() {
            let segments: Vec<Vec<Part>> = split(&op.path).map(parse_segment).collect();
            let literals = segments
                .iter()
                .filter(|s| matches!(s.as_slice(), [Part::Literal(_)]))
                .count();
            if by_len.len() <= segments.len() {
                by_len.resize_with(segments.len() + 1, Vec::new);
            }
            by_len[segments.len()].push(routes.len());
            let prefix = op.path.split('{').next().unwrap_or_default().to_owned();
            routes.push(Route {
                operation: i,
                method: op.method,
                template: op.path.clone(),
                segments,
                literals,
                prefix,
            });
        }
        let mut base_paths: Vec<String> = contract
            .servers
            .iter()
            .filter_map(|s| server_path(&s.url))
            .collect();
        base_paths.sort();
        base_paths.dedup();
        Self {
            routes,
            by_len,
            base_paths,
        }
    }

    /// Finds the operation for `method` on `path` (no query string).
    pub(crate) fn find(&self, method: &http::Method, path: &str) -> Match {
        let found = self.find_exact(method, path);
        if !matches!(found, Match::NotFound(_)) {
            return found;
        }
        for base in &self.base_paths {
            if let Some(rest) = path.strip_prefix(base.as_str())
                && (rest.is_empty() || rest.starts_with('/'))
            {
                let rest = if rest.is_empty() { "/" } else { rest };
                let again = self.find_exact(method, rest);
                if !matches!(again, Match::NotFound(_)) {
                    return again;
                }
            }
        }
        Match::NotFound(self.closest(method, path))
    }

    fn find_exact(&self, method: &http::Method, path: &str) -> Match {
        let Some(candidates) = self.by_len.get(segment_count(path)) else {
            return Match::NotFound(None);
        };
        // Without percent-escapes the path's text is compared as it is; with them, segment
        // by segment after decoding.
        let plain = !path.contains('%');
        let matches = |route: &Route| {
            if plain && !path.starts_with(route.prefix.as_str()) {
                return None;
            }
            if plain && route.prefix.len() == route.template.len() {
                return (path == route.template).then(Vec::new);
            }
            match_route(route, path)
        };
        // The method first: it is cheaper to compare than the path, and the other
        // methods matter only for a 405.
        let mut best: Option<(&Route, Vec<(String, String)>)> = None;
        for &i in candidates {
            let route = &self.routes[i];
            if route.method.as_str() != method.as_str()
                || best
                    .as_ref()
                    .is_some_and(|(b, _)| b.literals >= route.literals)
            {
                continue;
            }
            if let Some(params) = matches(route) {
                best = Some((route, params));
            }
        }
        let allowed = || {
            let mut allowed: Vec<Method> = candidates
                .iter()
                .map(|&i| &self.routes[i])
                .filter(|r| matches(r).is_some())
                .map(|r| r.method)
                .collect();
            allowed.sort();
            allowed.dedup();
            allowed
        };
        // HEAD is served by GET when the spec documents no HEAD of its own.
        if best.is_none()
            && method == http::Method::HEAD
            && let found @ Match::Found { .. } = self.find_exact(&http::Method::GET, path)
        {
            return found;
        }
        match best {
            Some((route, params)) => Match::Found {
                operation: route.operation,
                params,
            },
            None => {
                let allowed = allowed();
                if allowed.is_empty() {
                    Match::NotFound(None)
                } else {
                    Match::MethodNotAllowed(allowed)
                }
            }
        }
    }

    /// The documented methods of the template(s) that `path` matches (for preflights).
    pub(crate) fn methods_of(&self, path: &str) -> Vec<Method> {
        match self.find(&http::Method::CONNECT, path) {
            Match::MethodNotAllowed(m) => m,
            // No spec documents CONNECT; a match means it did, so say so.
            Match::Found { operation, .. } => vec![self.routes[operation].method],
            Match::NotFound(_) => Vec::new(),
        }
    }

    /// The most similar documented template, for "did you mean" messages: parameters
    /// match any segment, literal segments cost their edit distance, a missing or extra
    /// segment costs its length, a different method costs 1.
    fn closest(&self, method: &http::Method, path: &str) -> Option<(Method, String)> {
        let segments: Vec<&str> = split(path).collect();
        self.routes
            .iter()
            .map(|r| {
                let mut cost = usize::from(r.method.as_str() != method.as_str());
                for i in 0..r.segments.len().max(segments.len()) {
                    cost += match (r.segments.get(i).map(Vec::as_slice), segments.get(i)) {
                        (Some([Part::Literal(l)]), Some(s)) => strsim::levenshtein(l, s),
                        (Some(_), Some(_)) => 0,
                        (Some(parts), None) => {
                            parts
                                .iter()
                                .map(|p| match p {
                                    Part::Literal(l) => l.len(),
                                    Part::Param(_) => 1,
                                })
                                .sum::<usize>()
                                + 1
                        }
                        (None, Some(s)) => s.len() + 1,
                        (None, None) => 0,
                    };
                }
                (cost, r)
            })
            .min_by_key(|(cost, r)| (*cost, r.operation))
            .filter(|(cost, _)| *cost <= (path.len() / 3).max(3))
            .map(|(_, r)| (r.method, r.template.clone()))
    }
}

/// `split(path).count()`, without splitting.
fn segment_count(path: &str) -> usize {
    let trimmed = path.strip_prefix('/').unwrap_or(path);
    1 + trimmed.bytes().filter(|&b| b == b'/').count()
}

fn split(path: &str) -> impl Iterator<Item = &str> {
    let trimmed = path.strip_prefix('/').unwrap_or(path);
    // "/" has one empty segment, like the template "/".
    trimmed.split('/')
}

fn server_path(url: &str) -> Option<String> {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = if url.contains("://") {
        after_scheme.find('/').map(|i| &after_scheme[i..])?
    } else {
        after_scheme
    };
    let path = path.trim_end_matches('/');
    (path.starts_with('/') && path.len() > 1).then(|| path.to_owned())
}

fn parse_segment(segment: &str) -> Vec<Part> {
    let mut parts = Vec::new();
    let mut rest = segment;
    while !rest.is_empty() {
        match (rest.find('{'), rest.find('}')) {
            (Some(open), Some(close)) if open < close => {
                if open > 0 {
                    parts.push(Part::Literal(rest[..open].to_owned()));
                }
                parts.push(Part::Param(rest[open + 1..close].to_owned()));
                rest = &rest[close + 1..];
            }
            _ => {
                parts.push(Part::Literal(rest.to_owned()));
                rest = "";
            }
        }
    }
    if parts.is_empty() {
        parts.push(Part::Literal(String::new()));
    }
    parts
}

fn match_route(route: &Route, path: &str) -> Option<Vec<(String, String)>> {
    let mut params = Vec::new();
    for (parts, segment) in route.segments.iter().zip(split(path)) {
        if let [Part::Literal(l)] = parts.as_slice() {
            if l != segment && (!segment.contains('%') || decode(segment) != *l) {
                return None;
            }
            continue;
        }
        if !match_parts(parts, segment, &mut params) {
            return None;
        }
    }
    Some(params)
}

/// Matches literal and parameter parts against one raw segment; a parameter takes the
/// shortest non-empty text that lets the rest match.
fn match_parts(parts: &[Part], text: &str, params: &mut Vec<(String, String)>) -> bool {
    match parts.split_first() {
        None => text.is_empty(),
        Some((Part::Literal(l), rest)) => {
            text.starts_with(l.as_str()) && match_parts(rest, &text[l.len()..], params)
        }
        Some((Part::Param(name), rest)) => {
            let ends: Vec<usize> = if rest.is_empty() {
                vec![text.len()]
            } else {
                text.char_indices().skip(1).map(|(i, _)| i).collect()
            };
            for end in ends {
                if end == 0 {
                    continue;
                }
                let mark = params.len();
                params.push((name.clone(), decode(&text[..end])));
                if match_parts(rest, &text[end..], params) {
                    return true;
                }
                params.truncate(mark);
            }
            false
        }
    }
}

fn decode(raw: &str) -> String {
    percent_decode_str(raw).decode_utf8_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn routes(paths: &[(&str, &str)]) -> Routes {
        let mut yaml = String::from(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\nservers: [{url: 'https://x.example/v1'}]\npaths:\n",
        );
        let mut grouped: Vec<(&str, Vec<&str>)> = Vec::new();
        for (path, method) in paths {
            match grouped.iter_mut().find(|(p, _)| p == path) {
                Some((_, methods)) => methods.push(method),
                None => grouped.push((path, vec![method])),
            }
        }
        for (path, methods) in grouped {
            let params: Vec<String> = parse_segment(path)
                .into_iter()
                .chain(split(path).flat_map(parse_segment))
                .filter_map(|p| match p {
                    Part::Param(n) => Some(format!(
                        "{{name: {n}, in: path, required: true, schema: {{type: string}}}}"
                    )),
                    Part::Literal(_) => None,
                })
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            yaml.push_str(&format!("  '{path}':\n"));
            for method in methods {
                yaml.push_str(&format!(
                    "    {method}:\n      parameters: [{}]\n      responses: {{'200': {{description: ok}}}}\n",
                    params.join(", ")
                ));
            }
        }
        let c = match kontrat_generator::load_contract_str("t.yaml", &yaml) {
            Ok((c, _)) => c,
            Err(d) => panic!("{d}\n{yaml}"),
        };
        Routes::new(&c)
    }

    #[test]
    fn literals_beat_parameters_and_methods_are_listed() {
        let r = routes(&[
            ("/pets/mine", "get"),
            ("/pets/{id}", "get"),
            ("/pets/{id}", "delete"),
        ]);
        let get = http::Method::GET;
        assert_eq!(
            r.find(&get, "/pets/mine"),
            Match::Found {
                operation: 0,
                params: vec![]
            }
        );
        assert_eq!(
            r.find(&get, "/pets/a%20b"),
            Match::Found {
                operation: 1,
                params: vec![("id".into(), "a b".into())]
            }
        );
        assert_eq!(
            r.find(&get, "/v1/pets/7"),
            Match::Found {
                operation: 1,
                params: vec![("id".into(), "7".into())]
            }
        );
        assert_eq!(
            r.find(&http::Method::PUT, "/pets/7"),
            Match::MethodNotAllowed(vec![Method::Get, Method::Delete])
        );
        assert_eq!(
            r.find(&get, "/pet/7"),
            Match::NotFound(Some((Method::Get, "/pets/{id}".into())))
        );
        assert_eq!(
            r.find(&http::Method::HEAD, "/pets/mine"),
            Match::Found {
                operation: 0,
                params: vec![]
            }
        );
    }

    #[test]
    fn escaped_literals_and_trailing_slashes_match_like_segments() {
        let r = routes(&[("/pets/mine", "get"), ("/a b/{id}/", "post")]);
        let get = http::Method::GET;
        let found = |operation, params: &[(&str, &str)]| Match::Found {
            operation,
            params: params
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
        };
        // The fast path compares text; escapes still match the decoded template.
        assert_eq!(r.find(&get, "/pets/m%69ne"), found(0, &[]));
        assert_eq!(r.find(&get, "/p%65ts/mine"), found(0, &[]));
        assert!(matches!(r.find(&get, "/pets/mine/"), Match::NotFound(_)));
        assert!(matches!(r.find(&get, "/pets/min"), Match::NotFound(_)));
        assert_eq!(
            r.find(&http::Method::POST, "/a%20b/7/"),
            found(1, &[("id", "7")])
        );
        assert!(matches!(
            r.find(&http::Method::POST, "/a%20b/7"),
            Match::NotFound(_)
        ));
        for path in ["/", "", "a", "/a/b", "//", "/a/b/", "a/b"] {
            assert_eq!(segment_count(path), split(path).count(), "{path:?}");
        }
    }

    #[test]
    fn mixed_segments() {
        let r = routes(&[("/files/{name}.{ext}", "get")]);
        assert_eq!(
            r.find(&http::Method::GET, "/files/report.final.pdf"),
            Match::Found {
                operation: 0,
                params: vec![
                    ("name".into(), "report".into()),
                    ("ext".into(), "final.pdf".into())
                ]
            }
        );
        assert!(matches!(
            r.find(&http::Method::GET, "/files/.pdf"),
            Match::NotFound(_)
        ));
    }
}
