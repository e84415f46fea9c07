//! The outcome of a run, for people (`Display`), for machines (JSON) and for CI systems
//! (JUnit XML).

use std::fmt::Write as _;
use std::time::Duration;

use kontrat_mock::Compiled;
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
    /// The parts of the payload the problems point at (bounded, secrets masked; see
    /// [`crate::offending_parts`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub offending: Vec<String>,
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
            offending: Vec::new(),
        }
    }

    /// The violation as a JUnit `<failure>` element.
    pub fn junit_failure(&self) -> String {
        format!(
            "<failure message=\"{}\">{}</failure>",
            xml_escape(&self.problems.join("; ")),
            xml_escape(&format!(
                "request: {}\nexpected: {}\ngot: {}",
                self.request, self.expected, self.got
            ))
        )
    }
}

/// The block a report prints for one violation: `FAIL operation [probe]`, the request,
/// what was expected, what came back, every problem and the offending parts.
impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "FAIL {} [{}]", self.operation, self.probe)?;
        for line in self.request.lines() {
            writeln!(f, "  {line}")?;
        }
        writeln!(f, "  expected: {}", self.expected)?;
        write!(f, "  got:      {}", self.got)?;
        for p in &self.problems {
            write!(f, "\n  - {p}")?;
        }
        for part in &self.offending {
            write!(f, "\n  at {part}")?;
        }
        Ok(())
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

/// Every documented response of the contract, none observed yet: in operation order,
/// then in the order each operation documents its responses.
pub fn coverage(compiled: &Compiled) -> Vec<Covered> {
    compiled
        .contract
        .operations
        .iter()
        .flat_map(|op| {
            op.responses.iter().map(|r| Covered {
                operation: op.id.clone(),
                status: r.status.to_string(),
                observed: 0,
            })
        })
        .collect()
}

/// The coverage table of a report: `coverage: 7/18 documented responses observed`, then
/// one line per operation with `✓` on each status observed and `✗` on the others.
#[derive(Debug, Clone, Copy)]
pub struct CoverageTable<'a>(pub &'a [Covered]);

impl std::fmt::Display for CoverageTable<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let seen = self.0.iter().filter(|c| c.observed > 0).count();
        write!(
            f,
            "coverage: {seen}/{} documented responses observed",
            self.0.len()
        )?;
        let mut current = "";
        for c in self.0 {
            if c.operation != current {
                write!(f, "\n  {:<24}", c.operation)?;
                current = &c.operation;
            }
            write!(f, " {}{}", c.status, if c.observed > 0 { "✓" } else { "✗" })?;
        }
        Ok(())
    }
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
            xml_escape(&self.title),
            self.probes.len(),
            failures,
            self.elapsed.as_secs_f64()
        );
        for (probe, status) in &self.probes {
            let name = format!("{} {} [{}]", probe.method, probe.path, probe.kind);
            let _ = write!(
                xml,
                "  <testcase classname=\"{}\" name=\"{}\">",
                xml_escape(&probe.operation_id),
                xml_escape(&name)
            );
            let mut violations = self.violations_of(probe).peekable();
            if violations.peek().is_some() {
                for v in violations {
                    xml.push_str(&v.junit_failure());
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
            writeln!(f, "\n{v}")?;
        }
        writeln!(f, "\n{}", CoverageTable(&self.coverage))?;
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

/// `text` for XML text and attribute values: markup characters escaped, control
/// characters other than newline and tab dropped.
pub fn xml_escape(text: &str) -> String {
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
