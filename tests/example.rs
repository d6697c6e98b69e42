//! The bundled example ISMS is complete and consistent on the day it describes.

mod common;

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

mod broken {
    //! Copies of the example broken as an ISMS manager might break them: each must fail with
    //! the right code at the right file and line, and never panic.

    use super::common::{self, Remove, Replace, Scratch, Write};
    use isms::model::Date;
    use isms::workspace::Workspace;

    /// The diagnostics of a broken copy as `CODE file:line`.
    fn found(edits: &[common::Edit]) -> Vec<String> {
        let s = Scratch::new("example", edits);
        let ws = Workspace::find(Some(s.path())).unwrap();
        let outcome = isms::check::run(&ws, Date::parse("2026-11-27").unwrap());
        outcome
            .diagnostics
            .iter()
            .map(|d| {
                let o = d.origin.as_ref().unwrap();
                let f = outcome.files.get(o.file);
                format!(
                    "{} {}:{}",
                    d.code(),
                    f.display,
                    f.position(o.span.start).line
                )
            })
            .collect()
    }

    fn line_of(file: &str, needle: &str) -> usize {
        let text = std::fs::read_to_string(common::fixture("example").join(file)).unwrap();
        let at = text
            .find(needle)
            .unwrap_or_else(|| panic!("`{needle}` not in {file}"));
        text[..at].lines().count() + usize::from(text[..at].ends_with('\n') || at == 0)
    }

    #[test]
    fn a_control_removed_from_the_soa() {
        let text = std::fs::read_to_string(common::fixture("example").join("soa.toml")).unwrap();
        let start = text.find("id = \"A.5.23\"").unwrap();
        let entry_start = text[..start].rfind("[[control]]").unwrap();
        let entry_end = start + text[start..].find("[[control]]").unwrap();
        let entry = &text[entry_start..entry_end];
        let found = found(&[Replace("soa.toml", entry, "")]);
        assert!(
            found.iter().any(|f| f.starts_with("SOA001 soa.toml:")),
            "{found:?}"
        );
        // Risks treated by A.5.23 now rely on a control the SoA lacks.
        assert!(
            found
                .iter()
                .all(|f| f.starts_with("SOA001") || f.starts_with("SOA005")),
            "{found:?}"
        );
    }

    #[test]
    fn an_exclusion_without_justification() {
        let text = std::fs::read_to_string(common::fixture("example").join("soa.toml")).unwrap();
        let excluded = text.find("applicable = false").unwrap();
        let j = excluded + text[excluded..].find("justification = ").unwrap();
        let line_end = j + text[j..].find('\n').unwrap() + 1;
        let found = found(&[Replace(
            "soa.toml",
            &text[excluded..line_end],
            "applicable = false\n",
        )]);
        let line = text[..excluded].lines().count() + 1;
        assert_eq!(found, [format!("SOA003 soa.toml:{line}")]);
    }

    /// The file with its first `from` replaced.
    fn first_replaced(file: &str, from: &str, to: &str) -> Vec<u8> {
        let text = std::fs::read_to_string(common::fixture("example").join(file)).unwrap();
        assert!(text.contains(from), "`{from}` not in {file}");
        text.replacen(from, to, 1).into_bytes()
    }

    #[test]
    fn a_dangling_risk_reference() {
        let soa = first_replaced("soa.toml", "risks = [\"R-001\"", "risks = [\"R-999\"");
        let found = found(&[Write("soa.toml", &soa)]);
        assert_eq!(
            found,
            [format!(
                "REF001 soa.toml:{}",
                line_of("soa.toml", "risks = [\"R-001\"")
            )]
        );
    }

    #[test]
    fn a_typo_in_a_field_name() {
        let risks = first_replaced("risks.toml", "residual_impact", "residual_impakt");
        let found = found(&[Write("risks.toml", &risks)]);
        let line = line_of("risks.toml", "residual_impact");
        assert_eq!(found, [format!("LOAD002 risks.toml:{line}")]);
    }

    #[test]
    fn a_duplicated_id() {
        let found = found(&[Replace("people.toml", "id = \"bob\"", "id = \"alice\"")]);
        assert!(
            found.contains(&format!(
                "LOAD003 people.toml:{}",
                line_of("people.toml", "id = \"bob\"")
            )),
            "{found:?}"
        );
    }

    #[test]
    fn a_malformed_date() {
        let found = found(&[Replace(
            "isms.toml",
            "cycle_start = 2026-01-01",
            "cycle_start = 2026-01-32",
        )]);
        assert_eq!(
            found,
            [format!(
                "LOAD001 isms.toml:{}",
                line_of("isms.toml", "cycle_start")
            )]
        );
    }

    #[test]
    fn invalid_toml_an_empty_file_binary_and_invalid_utf8() {
        assert_eq!(
            found(&[Write("areas.toml", b"[[area]\nid = \"x\"\n")]),
            ["LOAD001 areas.toml:1"]
        );
        assert_eq!(
            found(&[Write("findings/F-2026-001.toml", b"")]),
            ["LOAD002 findings/F-2026-001.toml:1"]
        );
        assert_eq!(
            found(&[Write("risks.toml", b"\0\x01\x02")]),
            ["LOAD001 risks.toml:1"]
        );
        let found_utf8 = found(&[Write("people.toml", b"[[person]]\nid = \"\xc3\x28\"\n")]);
        assert_eq!(found_utf8, ["LOAD001 people.toml:1"]);
    }

    #[test]
    fn a_removed_file() {
        let found = found(&[Remove("risks.toml")]);
        assert!(
            !found.is_empty()
                && found
                    .iter()
                    .all(|f| f.starts_with("REF001") || f.starts_with("SOA005")),
            "{found:?}"
        );
    }
}
