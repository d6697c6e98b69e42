//! Fitting a real organisation (issue 20): evidence kept elsewhere, teams, an own control
//! catalogue. Each case edits tests/fixtures/base and asserts the exact report or its codes.

mod common;

use common::{Edit, Replace, Scratch, TODAY};

const A_5_15_EVIDENCE: &str =
    "documents = [\"POL-ACCESS\"]\nevidence = [\"evidence/access-review-2026-q1.md\"]";

fn report(edits: &[Edit]) -> String {
    Scratch::new("base", edits).check(TODAY)
}

// Evidence elsewhere: web addresses and compliance-tool records.

#[test]
fn evidence_in_a_compliance_tool_or_at_an_address_resolves() {
    let clean = report(&[Replace(
        "soa.toml",
        A_5_15_EVIDENCE,
        "documents = [\"POL-ACCESS\"]\nevidence = [\"https://drive.example.com/reviews/q1?id=7\", \"hyperproof:CTL-123\"]",
    )]);
    assert_eq!(clean, "isms: no problems found in 8 files\n");
}

#[test]
fn evidence_elsewhere_is_enough_for_soa007() {
    let codes = Scratch::new(
        "base",
        &[Replace(
            "soa.toml",
            A_5_15_EVIDENCE,
            "evidence = [\"hyperproof:CTL-123\"]",
        )],
    )
    .codes(TODAY);
    assert!(!codes.contains(&"SOA007"), "{codes:?}");
    assert!(!codes.contains(&"REF001"), "{codes:?}");
}

#[test]
fn misspelled_evidence_addresses_are_ref001() {
    insta::assert_snapshot!(report(&[Replace(
        "soa.toml",
        A_5_15_EVIDENCE,
        "documents = [\"POL-ACCESS\"]\nevidence = [\"https://drive.example.com/q1 review.pdf\", \"hyperproof:\"]",
    )]));
}

#[test]
fn the_site_links_addresses_safely_and_shows_tool_records_as_text() {
    let scratch = Scratch::new(
        "base",
        &[Replace(
            "soa.toml",
            A_5_15_EVIDENCE,
            "documents = [\"POL-ACCESS\"]\nevidence = [\"https://drive.example.com/q1\", \"hyperproof:CTL-123\"]",
        )],
    );
    let out = tempfile::tempdir().unwrap();
    assert_cmd::Command::cargo_bin("isms")
        .unwrap()
        .arg("build")
        .arg(scratch.path())
        .arg("--out")
        .arg(out.path())
        .args(["--today", TODAY])
        .assert()
        .success();
    let page = std::fs::read_to_string(out.path().join("controls/A.5.15.html")).unwrap();
    assert!(
        page.contains(
            r#"<a href="https://drive.example.com/q1" class="mono" rel="noopener noreferrer">"#
        ),
        "{page}"
    );
    assert!(page.contains(
        r#"<span class="mono" title="a record in hyperproof">hyperproof:CTL-123</span>"#
    ));
    assert!(!page.contains(r#"href="hyperproof"#));
}
