//! isms.toml settings on copies of the example: `[audits]` is read as `[audit]` (once), and
//! `max_document_review_share` is a share from 0 to 1.

mod common;

use common::{Replace, codes, only};

const DAY: &str = "2026-11-27";

#[test]
fn audits_is_read_as_audit() {
    // A share of 0.01 under `[audits]` takes effect: some audit of the example has more
    // document reviews than that (AUD001), and nothing is reported about the table.
    let found = codes(
        DAY,
        &[Replace(
            "isms.toml",
            "[audit]\n",
            "[audits]\nmax_document_review_share = 0.01\n",
        )],
    );
    assert!(found.contains(&"AUD001"), "{found:?}");
    assert!(!found.contains(&"LOAD002"), "{found:?}");
}

#[test]
fn audit_and_audits_together_are_one_table_written_twice() {
    let report = only(
        &["LOAD002"],
        DAY,
        &[Replace(
            "isms.toml",
            "notice_days = 14\n",
            "notice_days = 14\n\n[audits]\ncompetence_valid_years = 2\n",
        )],
    );
    insta::assert_snapshot!("audit_and_audits", report);
}

#[test]
fn max_document_review_share_out_of_range_names_the_range() {
    let report = only(
        &["LOAD002"],
        DAY,
        &[Replace(
            "isms.toml",
            "notice_days = 14\n",
            "notice_days = 14\nmax_document_review_share = 70\n",
        )],
    );
    insta::assert_snapshot!("share_out_of_range", report);
}

#[test]
fn max_document_review_share_bounds_are_in_range() {
    for share in ["0", "1", "0.0", "1.0"] {
        let found = codes(
            DAY,
            &[Replace(
                "isms.toml",
                "notice_days = 14\n",
                &format!("notice_days = 14\nmax_document_review_share = {share}\n"),
            )],
        );
        assert!(!found.contains(&"LOAD002"), "{share}: {found:?}");
    }
}
