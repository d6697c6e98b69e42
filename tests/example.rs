//! The bundled example ISMS is complete and consistent on the day it describes.

use isms::diagnostics::{Severity, human};
use isms::model::{Date, FindingStatus};
use isms::workspace::Workspace;

fn check(today: &str) -> isms::check::Outcome {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/example-isms");
    let ws = Workspace::find(Some(std::path::Path::new(root))).unwrap();
    isms::check::run(&ws, Date::parse(today).unwrap())
}

#[test]
fn example_checks_without_errors_on_its_day() {
    let outcome = check("2026-11-27");
    let errors: Vec<_> = outcome
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert!(
        errors.is_empty(),
        "{}",
        human::render(
            &outcome.diagnostics,
            &outcome.files,
            &outcome.summary(),
            false
        )
    );
}

#[test]
fn example_is_complete() {
    let isms = check("2026-11-27").isms;
    assert_eq!(isms.soa.len(), 93);
    assert!(
        (10..=20).contains(&isms.people.len()),
        "{} people",
        isms.people.len()
    );
    assert!(
        (6..=8).contains(&isms.areas.len()),
        "{} areas",
        isms.areas.len()
    );
    assert!(isms.documents.len() >= 10);
    assert!(isms.risks.len() >= 15);
    assert!(isms.audits.len() >= 3);
    assert!(isms.findings.len() >= 8);
    assert!(isms.soa.iter().any(|c| c.is_excluded()));
    let states: std::collections::BTreeSet<FindingStatus> =
        isms.findings.iter().map(|f| f.status()).collect();
    assert_eq!(states.len(), 6, "every lifecycle state: {states:?}");
    assert!(isms.audits.iter().any(|a| a.report.is_some()));
    assert!(isms.audits.iter().any(|a| a.report.is_none()));
}

#[test]
fn example_toml_files_name_their_schema() {
    let root = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/example-isms"));
    for entry in walkdir::WalkDir::new(root) {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "toml") {
            let text = std::fs::read_to_string(path).unwrap();
            let first = text.lines().next().unwrap_or("");
            let schema = first
                .strip_prefix("#:schema ")
                .unwrap_or_else(|| panic!("{} has no #:schema line", path.display()));
            assert!(
                path.parent().unwrap().join(schema).is_file(),
                "{}: {schema} does not exist",
                path.display()
            );
        }
    }
}

#[test]
fn time_makes_reviews_fall_due() {
    let codes: Vec<_> = check("2028-06-01")
        .diagnostics
        .iter()
        .map(|d| d.code())
        .collect();
    assert!(codes.contains(&"DOC002"), "{codes:?}");
    assert!(codes.contains(&"RISK005"), "{codes:?}");
}
