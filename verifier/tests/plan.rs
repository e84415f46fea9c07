//! The plan: negative probes first, every secured operation probed without credentials,
//! every JSON body probed malformed, incomplete, mistyped and mislabelled; seeded.

use kontrat_mock::Compiled;
use kontrat_verify::{Expect, PlanOptions, ProbeKind, plan};

use crate::fixtures::*;

#[test]
fn the_auth_plan_probes_every_documented_failure() {
    let compiled = Compiled::new(auth_contract(), false);
    let probes = plan(
        &compiled,
        PlanOptions {
            seed: 0,
            generated: 2,
        },
        None,
    );
    let kinds: Vec<(String, ProbeKind, Expect)> = probes
        .iter()
        .map(|p| (p.operation_id.clone(), p.kind.clone(), p.expect))
        .collect();
    let has =
        |op: &str, kind: ProbeKind, expect: Expect| kinds.contains(&(op.to_owned(), kind, expect));
    assert!(has("logout", ProbeKind::NoCredentials, Expect::Status(401)));
    assert!(has(
        "revokeRefreshToken",
        ProbeKind::NoCredentials,
        Expect::Status(401)
    ));
    assert!(
        !kinds
            .iter()
            .any(|(op, k, _)| op == "refreshToken" && *k == ProbeKind::NoCredentials),
        "refresh is public"
    );
    for op in ["refreshToken", "revokeRefreshToken"] {
        assert!(has(op, ProbeKind::MalformedJson, Expect::Status(400)));
        assert!(has(
            op,
            ProbeKind::MissingField("refreshToken".into()),
            Expect::Status(400)
        ));
        assert!(has(
            op,
            ProbeKind::WrongType("refreshToken".into()),
            Expect::Status(400)
        ));
        assert!(has(op, ProbeKind::WrongContentType, Expect::Status(400)));
        assert!(has(
            op,
            ProbeKind::Example(String::new()),
            Expect::Documented
        ));
    }
    let first_positive = probes
        .iter()
        .position(|p| p.expect == Expect::Documented)
        .unwrap();
    assert!(
        probes[first_positive..]
            .iter()
            .all(|p| p.expect == Expect::Documented),
        "negative probes come first"
    );
    let generated = probes
        .iter()
        .filter(|p| matches!(p.kind, ProbeKind::Generated(_)))
        .count();
    assert_eq!(generated, 6, "two per operation");
    for p in probes
        .iter()
        .filter(|p| matches!(p.kind, ProbeKind::Generated(_)))
    {
        if let Some((media, body)) = &p.body {
            let value = serde_json::from_slice(body).unwrap();
            assert!(
                compiled.request_body_is_valid(p.operation, media, &value),
                "generated requests are valid"
            );
        }
    }
}

#[test]
fn the_same_seed_plans_the_same_requests() {
    let compiled = Compiled::new(auth_contract(), false);
    let a = plan(
        &compiled,
        PlanOptions {
            seed: 7,
            generated: 3,
        },
        None,
    );
    let b = plan(
        &compiled,
        PlanOptions {
            seed: 7,
            generated: 3,
        },
        None,
    );
    let c = plan(
        &compiled,
        PlanOptions {
            seed: 8,
            generated: 3,
        },
        None,
    );
    assert_eq!(a, b);
    assert_ne!(a, c);
    let only = plan(
        &compiled,
        PlanOptions {
            seed: 7,
            generated: 3,
        },
        Some("logout"),
    );
    assert!(only.iter().all(|p| p.operation_id == "logout") && !only.is_empty());
}
