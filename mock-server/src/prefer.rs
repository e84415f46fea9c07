//! The `Prefer` request header, as Stoplight Prism reads it.
//!
//! `Prefer: code=401`, `Prefer: example=expired`, `Prefer: dynamic=true`,
//! `Prefer: delay=250` (milliseconds), and kontrat's `seed=7` for a reproducible dynamic
//! body, and `journal` to be told the number of the request's journal entry (header
//! `Kontrat-Request-Seq`, for `GET /__kontrat/requests/{seq}`). Several preferences may
//! share one header (`code=404, dynamic=true`) or come in several headers. Unknown
//! preferences are ignored, as RFC 7240 asks.

use std::time::Duration;

use http::HeaderMap;

/// What a request asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Prefer {
    pub code: Option<u16>,
    pub example: Option<String>,
    pub dynamic: Option<bool>,
    pub delay: Option<Duration>,
    pub seed: Option<u64>,
    /// `journal`: answer the journal entry's number.
    pub journal: bool,
    /// Preferences we understood but could not read, e.g. `code=abc`.
    pub invalid: Vec<String>,
}

impl Prefer {
    pub(crate) fn parse(headers: &HeaderMap) -> Self {
        let mut prefer = Prefer::default();
        // A constant: `from_static` checks the name each time it runs.
        const PREFER: http::header::HeaderName = http::header::HeaderName::from_static("prefer");
        for value in headers.get_all(PREFER) {
            let Ok(text) = value.to_str() else {
                prefer
                    .invalid
                    .push("Prefer is not visible ASCII text".into());
                continue;
            };
            for item in text.split([',', ';']) {
                let Some((key, raw)) = item.split_once('=') else {
                    if item.trim().eq_ignore_ascii_case("journal") {
                        prefer.journal = true;
                    }
                    continue;
                };
                // Compared in place, not lowered into a new string: every request is parsed.
                let key = key.trim();
                let raw = raw.trim().trim_matches('"');
                let bad = |prefer: &mut Prefer| {
                    let key = key.to_ascii_lowercase();
                    prefer.invalid.push(format!("Prefer: {key}={raw}"));
                };
                if key.eq_ignore_ascii_case("code") {
                    match raw.parse::<u16>() {
                        Ok(c) if (100..600).contains(&c) => prefer.code = Some(c),
                        _ => bad(&mut prefer),
                    }
                } else if key.eq_ignore_ascii_case("example") {
                    prefer.example = Some(raw.to_owned());
                } else if key.eq_ignore_ascii_case("dynamic") {
                    if raw.eq_ignore_ascii_case("true") {
                        prefer.dynamic = Some(true);
                    } else if raw.eq_ignore_ascii_case("false") {
                        prefer.dynamic = Some(false);
                    } else {
                        bad(&mut prefer);
                    }
                } else if key.eq_ignore_ascii_case("delay") {
                    match raw.parse::<u64>() {
                        // Bounded: a typo must not hang a client for hours.
                        Ok(ms) if ms <= 60_000 => prefer.delay = Some(Duration::from_millis(ms)),
                        _ => bad(&mut prefer),
                    }
                } else if key.eq_ignore_ascii_case("seed") {
                    match raw.parse::<u64>() {
                        Ok(s) => prefer.seed = Some(s),
                        _ => bad(&mut prefer),
                    }
                }
            }
        }
        prefer
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(values: &[&str]) -> Prefer {
        let mut h = HeaderMap::new();
        for v in values {
            h.append("prefer", v.parse().unwrap());
        }
        Prefer::parse(&h)
    }

    #[test]
    fn reads_prism_preferences() {
        let p = parse(&[
            "code=404, example=\"gone\"",
            "dynamic=true; delay=250",
            "seed=9, journal",
        ]);
        assert!(p.journal);
        assert_eq!(p.code, Some(404));
        assert_eq!(p.example.as_deref(), Some("gone"));
        assert_eq!(p.dynamic, Some(true));
        assert_eq!(p.delay, Some(Duration::from_millis(250)));
        assert_eq!(p.seed, Some(9));
        assert!(p.invalid.is_empty());
        let bad = parse(&["code=abc, delay=999999999, respond-async"]);
        assert_eq!(bad.code, None);
        assert_eq!(bad.invalid, ["Prefer: code=abc", "Prefer: delay=999999999"]);
    }
}
