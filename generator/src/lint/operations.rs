//! Operation rules: ids, the 401 of secured operations, the 400 of operations with a
//! body, and the production warning on mutating operations.

use crate::model::{Operation, ResponseStatus};

use super::{Lint, describe};

pub(super) fn check(lint: &mut Lint<'_>) {
    let production = lint.contract.servers.iter().find(|s| s.is_production());
    let production_url = production.map(|s| s.url.clone());
    for op in &lint.contract.operations {
        if op.id_derived {
            lint.report(
                "operation-id-missing",
                op.pointer.clone(),
                format!("{} has no operationId", describe(op)),
                format!(
                    "add `operationId: {}` (generated method names and `kontrat diff` are keyed by it)",
                    op.id
                ),
            );
        }
        let secured = op.security.iter().any(|alt| !alt.is_empty());
        if secured && !documents(op, 401) {
            lint.report(
                "secured-without-401",
                lint.member(&op.pointer, "responses"),
                format!(
                    "{} takes credentials but documents no 401 response",
                    describe(op)
                ),
                "document `'401'` (a `default` response does not say which status a missing token gets)",
            );
        }
        if op.request_body.is_some() && !documents(op, 400) {
            lint.report(
                "body-without-400",
                lint.member(&op.pointer, "responses"),
                format!(
                    "{} takes a request body but documents no 400 response",
                    describe(op)
                ),
                "document `'400'` with the shape of a validation error",
            );
        }
        if op.request_body.is_none() && !op.parameters.is_empty() && !documents(op, 400) {
            lint.report(
                "parameters-without-400",
                lint.member(&op.pointer, "responses"),
                format!(
                    "{} takes parameters but documents no 400 response",
                    describe(op)
                ),
                "document `'400'`: a request whose parameters break the contract is refused, and that answer should be in the contract",
            );
        }
        if let Some(url) = &production_url
            && op.method.is_mutating()
        {
            let text = [op.summary.as_deref(), op.description.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join("\n");
            if !has_production_warning(&text) {
                lint.report(
                    "production-warning-missing",
                    lint.member(&op.pointer, "description"),
                    format!(
                        "{} changes data and the spec lists a Production server ({url}), but its description carries no production warning",
                        describe(op)
                    ),
                    "start the description with a warning such as `**Production warning:** this endpoint changes data; use the Development server to test`",
                );
            }
        }
    }
}

/// True when the exact status or its range is documented (`default` does not count).
fn documents(op: &Operation, status: u16) -> bool {
    op.responses.iter().any(|r| {
        r.status == ResponseStatus::Code(status) || r.status == ResponseStatus::Range(status / 100)
    })
}

/// Words naming the production environment, after [`fold`].
const PRODUCTION: &[&str] = &[
    "production",
    "prod ortam",
    "canli ortam",
    "canli sistem",
    "canli veri",
    "uretim ortam",
];

/// Words that make a mention of production a warning, after [`fold`].
const WARNING: &[&str] = &[
    "warning",
    "caution",
    "careful",
    "beware",
    "attention",
    "danger",
    "⚠",
    "affect",
    "modif",
    "change",
    "alter",
    "real data",
    "live data",
    "uyari",
    "dikkat",
    "gercek",
    "etkile",
    "degistir",
    "degisir",
];

/// True when `text` warns that an operation touches production data: it names the
/// production environment (`production`; Turkish `canlı ortam`, `üretim ortamı`) and
/// says it is a warning or that data changes (`warning`, `caution`, `affects`,
/// `modifies`; Turkish `uyarı`, `dikkat`, `gerçek`, `etkilenir`, `değiştirir`).
///
/// Case and Turkish letters do not matter, and neither does ASCII spelling of them: the
/// auth spec writes `**Production uyarisi:** Bu endpoint veri degistirir …`.
///
/// ```
/// use kontrat_generator::lint::has_production_warning;
/// assert!(has_production_warning("**Production uyarisi:** Bu endpoint veri degistirir."));
/// assert!(has_production_warning("CANLI ORTAM UYARISI: gerçek veriler etkilenir."));
/// assert!(has_production_warning("Warning: this changes production data."));
/// assert!(!has_production_warning("Creates a pet."));
/// assert!(!has_production_warning("Lists production lines."));
/// ```
pub fn has_production_warning(text: &str) -> bool {
    let text = fold(text);
    PRODUCTION.iter().any(|p| text.contains(p)) && WARNING.iter().any(|w| text.contains(w))
}

/// Lower case with Turkish letters folded to ASCII (`İ`, `ı` → `i`, `ş` → `s`, …).
fn fold(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .filter(|c| *c != '\u{307}')
        .map(|c| match c {
            'ı' => 'i',
            'ş' => 's',
            'ğ' => 'g',
            'ü' => 'u',
            'ö' => 'o',
            'ç' => 'c',
            'â' => 'a',
            'î' => 'i',
            'û' => 'u',
            other => other,
        })
        .collect()
}
