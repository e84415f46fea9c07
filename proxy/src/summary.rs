//! What a proxy run saw, for people (`Display`), for machines (JSON) and for CI systems
//! (JUnit XML), in the verifier's terms: its violation blocks and coverage table.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::Duration;

use kontrat_verify::{CoverageTable, Covered, xml_escape};

use crate::ledger::{Finding, Side};

/// Everything seen since start (or the last reset): [`crate::Proxy::summary`].
#[derive(Debug, Clone)]
pub struct Summary {
    /// The target URL.
    pub target: String,
    /// The contract's title.
    pub title: String,
    /// The contract's version.
    pub version: String,
    /// Requests forwarded or answered (control API excluded).
    pub exchanges: u64,
    /// Requests that broke the contract (the app's side).
    pub request_violations: u64,
    /// Answers that broke the contract (the implementation's side).
    pub response_violations: u64,
    /// Requests the target did not answer (refused, broken off, too slow).
    pub transport_failures: u64,
    /// Bodies passed on unchecked: larger than the check limit, or compressed.
    pub unchecked_bodies: u64,
    /// Answers the mock made because the target lacks the operation, by operation.
    pub mocked: BTreeMap<String, u64>,
    /// The findings kept, oldest first.
    pub findings: Vec<Finding>,
    /// Findings counted but not kept (over the limit).
    pub findings_not_kept: u64,
    /// Which documented responses the target gave.
    pub coverage: Vec<Covered>,
    /// Since start (or the last reset).
    pub elapsed: Duration,
}

impl Summary {
    /// True when no request and no answer broke the contract (transport failures are
    /// not violations: there was nothing to check).
    pub fn conforms(&self) -> bool {
        self.violations() == 0
    }

    /// Request and response violations.
    pub fn violations(&self) -> u64 {
        self.request_violations + self.response_violations
    }

    /// The summary as JSON.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "target": self.target,
            "contract": self.title,
            "version": self.version,
            "conforms": self.conforms(),
            "exchanges": self.exchanges,
            "requestViolations": self.request_violations,
            "responseViolations": self.response_violations,
            "transportFailures": self.transport_failures,
            "uncheckedBodies": self.unchecked_bodies,
            "mocked": self.mocked,
            "findingsNotKept": self.findings_not_kept,
            "elapsedMs": u64::try_from(self.elapsed.as_millis()).unwrap_or(u64::MAX),
            "violations": self.findings,
            "coverage": self.coverage,
        })
    }

    /// The summary as JUnit XML: per operation, one test case for the requests the app
    /// sent and one for the answers the target gave (skipped when there were none), each
    /// failing with its findings; transport failures are errors.
    pub fn to_junit(&self) -> String {
        let mut operations: Vec<&str> = Vec::new();
        for c in &self.coverage {
            if !operations.contains(&c.operation.as_str()) {
                operations.push(&c.operation);
            }
        }
        let off_contract = self
            .findings
            .iter()
            .any(|f| !operations.contains(&f.violation.operation.as_str()));
        let mut cases = String::new();
        let mut tests = 0;
        let mut failures = 0;
        let mut errors = 0;
        let mut case = |operation: &str, name: &str, sides: &[Side], seen: bool| {
            tests += 1;
            let _ = write!(
                cases,
                "  <testcase classname=\"{}\" name=\"{}\">",
                xml_escape(operation),
                xml_escape(name)
            );
            let found: Vec<&Finding> = self
                .findings
                .iter()
                .filter(|f| f.violation.operation == operation && sides.contains(&f.side))
                .collect();
            if found.iter().any(|f| f.side != Side::Transport) {
                failures += 1;
            } else if !found.is_empty() {
                errors += 1;
            }
            for f in &found {
                if f.side == Side::Transport {
                    let _ = write!(
                        cases,
                        "<error message=\"{}\"/>",
                        xml_escape(&f.violation.problems.join("; "))
                    );
                } else {
                    cases.push_str(&f.violation.junit_failure());
                }
            }
            if found.is_empty() && !seen {
                cases.push_str("<skipped message=\"not observed\"/>");
            }
            cases.push_str("</testcase>\n");
        };
        for op in &operations {
            let seen = self
                .coverage
                .iter()
                .any(|c| c.operation == *op && c.observed > 0)
                || self.findings.iter().any(|f| f.violation.operation == *op);
            case(op, "requests sent by the app", &[Side::Request], seen);
            case(
                op,
                "answers of the target",
                &[Side::Response, Side::Transport],
                seen,
            );
        }
        if off_contract {
            case(
                "(no operation)",
                "requests no operation documents",
                &[Side::Request, Side::Transport],
                true,
            );
        }
        let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        let _ = writeln!(
            xml,
            "<testsuites><testsuite name=\"kontrat proxy: {}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" time=\"{:.3}\">",
            xml_escape(&self.title),
            self.elapsed.as_secs_f64()
        );
        xml.push_str(&cases);
        xml.push_str("</testsuite></testsuites>\n");
        xml
    }
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "kontrat proxy: {} request(s) to {} checked against {} {}",
            self.exchanges, self.target, self.title, self.version
        )?;
        writeln!(
            f,
            "  request violations (the app broke the contract):             {}",
            self.request_violations
        )?;
        writeln!(
            f,
            "  response violations (the implementation broke the contract): {}",
            self.response_violations
        )?;
        writeln!(
            f,
            "  transport failures (no answer from the target):              {}",
            self.transport_failures
        )?;
        if self.unchecked_bodies > 0 {
            writeln!(
                f,
                "  bodies passed on unchecked (over the check limit, or compressed): {}",
                self.unchecked_bodies
            )?;
        }
        if !self.mocked.is_empty() {
            let list: Vec<String> = self
                .mocked
                .iter()
                .map(|(op, n)| format!("{op} ×{n}"))
                .collect();
            writeln!(
                f,
                "  answered by the mock, not implemented by the target (--mock-missing): {}",
                list.join(", ")
            )?;
        }
        if !self.findings.is_empty() {
            writeln!(f, "\nfindings (each printed in full when it happened):")?;
            for finding in &self.findings {
                writeln!(
                    f,
                    "  #{} {} {}: {}",
                    finding.seq,
                    finding.side.as_str(),
                    finding.violation.operation,
                    finding.violation.problems.join("; ")
                )?;
            }
            if self.findings_not_kept > 0 {
                writeln!(f, "  … and {} more, not kept", self.findings_not_kept)?;
            }
        }
        writeln!(f, "\n{}", CoverageTable(&self.coverage))?;
        let verdict = if self.conforms() {
            "conforms"
        } else {
            "does NOT conform"
        };
        write!(
            f,
            "result: the traffic to {} {verdict}: {} violation(s) ({} request, {} response) in {} request(s), {:.1} s",
            self.target,
            self.violations(),
            self.request_violations,
            self.response_violations,
            self.exchanges,
            self.elapsed.as_secs_f64()
        )
    }
}
