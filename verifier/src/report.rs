//! The outcome of a run, for people (`Display`), for machines (JSON) and for CI systems
//! (JUnit XML).

use std::fmt::Write as _;
use std::time::Duration;

use serde::Serialize;

use crate::plan::Probe;

/// What a run found.
#[derive(Debug, Clone)]
pub struct Report {
    /// The target URL.
    pub target: String,
    /// The contract's title.
    pub title: String,
    /// The seed of generated requests (`--seed` replays them).
    pub seed: u64,
    /// Requests sent.
    pub sent: usize,
    /// Requests not sent because the overall timeout ran out.
    pub not_sent: usize,
    /// Every violation, in the order found.
    pub violations: Vec<Violation>,
    /// Which documented responses were observed.
    pub coverage: Vec<Covered>,
    /// Every probe with the status it got (`None`: no answer).
    pub probes: Vec<(Probe, Option<u16>)>,
    /// How long the run took.
    pub elapsed: Duration,
}

/// One way the target broke the contract.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Violation {
    /// The operation.
    pub operation: String,
    /// Why the request was sent (`malformed JSON`, `generated request (seed 7)`, …).
    pub probe: String,
    /// The request, replayable (credentials shown as `$TOKEN`).
    pub request: String,
    /// What the contract promises.
    pub expected: String,
    /// What came back (status, content type, the start of the body, secrets masked).
    pub got: String,
    /// Every problem with the answer.
    pub problems: Vec<String>,
}

impl Violation {
    pub(crate) fn transport(probe: Option<&Probe>, why: String) -> Self {
        Violation {
            operation: probe.map(|p| p.operation_id.clone()).unwrap_or_default(),
            probe: probe.map(|p| p.kind.to_string()).unwrap_or_default(),
            request: probe
                .map(|p| format!("{} {}", p.method, p.path))
                .unwrap_or_default(),
            expected: "an answer".into(),
            got: "no answer".into(),
            problems: vec![why],
        }
    }
}

/// One documented response and how often it was observed.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Covered {
    /// The operation.
    pub operation: String,
    /// The documented status (`200`, `4XX`, `default`).
    pub status: String,
    /// How many answers had it.
    pub observed: usize,
}

impl Report {
    /// True when nothing broke the contract and every planned request was sent.
    pub fn conforms(&self) -> bool {
        self.violations.is_empty() && self.not_sent == 0
    }

    /// The report as JSON.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "target": self.target,
            "contract": self.title,
            "seed": self.seed,
            "conforms": self.conforms(),
            "sent": self.sent,
            "notSent": self.not_sent,
            "elapsedMs": u64::try_from(self.elapsed.as_millis()).unwrap_or(u64::MAX),
            "violations": self.violations,
            "coverage": self.coverage,
        })
    }

    /// The report as JUnit XML: one test case per request.
    pub fn to_junit(&self) -> String {
        let failures = self
            .probes
            .iter()
            .filter(|(p, _)| self.violations_of(p).next().is_some())
            .count();
        let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        let _ = writeln!(
            xml,
            "<testsuites><testsuite name=\"kontrat verify: {}\" tests=\"{}\" failures=\"{}\" time=\"{:.3}\">",
            escape(&self.title),
            self.probes.len(),
            failures,
            self.elapsed.as_secs_f64()
        );
        for (probe, status) in &self.probes {
            let name = format!("{} {} [{}]", probe.method, probe.path, probe.kind);
            let _ = write!(
                xml,
                "  <testcase classname=\"{}\" name=\"{}\">",
                escape(&probe.operation_id),
                escape(&name)
            );
            let mut violations = self.violations_of(probe).peekable();
            if violations.peek().is_some() {
                for v in violations {
                    let _ = write!(
                        xml,
                        "<failure message=\"{}\">{}</failure>",
                        escape(&v.problems.join("; ")),
                        escape(&format!(
                            "request: {}\nexpected: {}\ngot: {}",
                            v.request, v.expected, v.got
                        ))
                    );
                }
            } else if status.is_none() {
                let _ = write!(xml, "<skipped message=\"not sent\"/>");
            }
            xml.push_str("</testcase>\n");
        }
        xml.push_str("</testsuite></testsuites>\n");
        xml
    }

    fn violations_of<'a>(&'a self, probe: &'a Probe) -> impl Iterator<Item = &'a Violation> + 'a {
        let kind = probe.kind.to_string();
        self.violations.iter().filter(move |v| {
            v.operation == probe.operation_id
                && v.probe == kind
                && v.request
                    .starts_with(&format!("{} {}", probe.method, probe.path))
        })
    }
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "kontrat verify: {} against {} (seed {})",
            self.target, self.title, self.seed
        )?;
        for v in &self.violations {
            writeln!(f, "\nFAIL {} [{}]", v.operation, v.probe)?;
            for line in v.request.lines() {
                writeln!(f, "  {line}")?;
            }
            writeln!(f, "  expected: {}", v.expected)?;
            writeln!(f, "  got:      {}", v.got)?;
            for p in &v.problems {
                writeln!(f, "  - {p}")?;
            }
        }
        let seen = self.coverage.iter().filter(|c| c.observed > 0).count();
        writeln!(
            f,
            "\ncoverage: {seen}/{} documented responses observed",
            self.coverage.len()
        )?;
        let mut current = "";
        for c in &self.coverage {
            if c.operation != current {
                if !current.is_empty() {
                    writeln!(f)?;
                }
                write!(f, "  {:<24}", c.operation)?;
                current = &c.operation;
            }
            write!(f, " {}{}", c.status, if c.observed > 0 { "✓" } else { "✗" })?;
        }
        writeln!(f)?;
        if self.not_sent > 0 {
            writeln!(
                f,
                "{} request(s) not sent: the overall --timeout ran out",
                self.not_sent
            )?;
        }
        let verdict = if self.conforms() {
            "conforms"
        } else {
            "does NOT conform"
        };
        write!(
            f,
            "result: {} {verdict}: {} violation(s) in {} request(s), {:.1} s",
            self.target,
            self.violations.len(),
            self.sent,
            self.elapsed.as_secs_f64()
        )
    }
}

fn escape(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .map(|c| match c {
            '&' => "&amp;".to_owned(),
            '<' => "&lt;".to_owned(),
            '>' => "&gt;".to_owned(),
            '"' => "&quot;".to_owned(),
            '\'' => "&apos;".to_owned(),
            c => c.to_string(),
        })
        .collect()
}
