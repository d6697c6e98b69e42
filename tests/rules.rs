//! Every rule of the foundation on a fixture that triggers it and one that does not, with the
//! exact report snapshot-tested. Each case copies tests/fixtures/base (a small, clean ISMS),
//! edits it, and checks it as of `common::TODAY` unless the case names another day.

mod common;

use common::{Edit, Remove, Replace, Scratch, TODAY, Write};

/// Checks the edited fixture and snapshots the report under the case's name.
fn case(name: &str, today: &str, edits: &[Edit]) {
    let report = Scratch::new("base", edits).check(today);
    insta::assert_snapshot!(name, report);
}

/// The edited fixture gives no diagnostic of `code` (a near miss of the rule).
fn clean_of(code: &str, today: &str, edits: &[Edit]) {
    let codes = Scratch::new("base", edits).codes(today);
    assert!(!codes.contains(&code), "{code} fired: {codes:?}");
}

#[test]
fn base_fixture_is_clean() {
    let report = Scratch::new("base", &[]).check(TODAY);
    assert_eq!(report, "isms: no problems found in 8 files\n");
}

// LOAD: reading files.

#[test]
fn load001_invalid_toml() {
    case(
        "load001_invalid_toml",
        TODAY,
        &[Replace(
            "risks.toml",
            "likelihood = 4\n",
            "likelihood = 4 5\n",
        )],
    );
}

#[test]
fn load001_invalid_utf8() {
    case(
        "load001_invalid_utf8",
        TODAY,
        &[Write("people.toml", b"[[person]]\nid = \"al\xffice\"\n")],
    );
}

#[test]
fn load001_binary_file_where_toml_is_expected() {
    case(
        "load001_binary_file",
        TODAY,
        &[Write("findings/F-1.toml", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR")],
    );
}

#[test]
fn load001_document_without_front_matter() {
    case(
        "load001_no_front_matter",
        TODAY,
        &[Write(
            "documents/engineering/notes.md",
            b"# Notes\n\nNo front matter.\n",
        )],
    );
}

#[test]
fn load001_symlink_is_not_followed() {
    let scratch = Scratch::new("base", &[]);
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.toml"), "[[risk]]\n").unwrap();
    std::fs::create_dir_all(scratch.path().join("findings")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        outside.path().join("secret.toml"),
        scratch.path().join("findings/F-9.toml"),
    )
    .unwrap();
    #[cfg(unix)]
    assert_eq!(scratch.codes(TODAY), ["LOAD001"]);
}

#[test]
fn load001_invalid_date() {
    case(
        "load001_invalid_date",
        TODAY,
        &[Replace(
            "risks.toml",
            "reviewed_on = 2026-03-01",
            "reviewed_on = 2026-02-30",
        )],
    );
}

#[test]
fn load001_duplicate_key() {
    case(
        "load001_duplicate_key",
        TODAY,
        &[Replace(
            "people.toml",
            "roles = [\"CEO\"]\n",
            "roles = [\"CEO\"]\nid = \"alice2\"\n",
        )],
    );
}

#[test]
fn load002_unknown_field_with_suggestion() {
    case(
        "load002_unknown_field",
        TODAY,
        &[Replace(
            "risks.toml",
            "title = \"Key supplier ceases trading\"",
            "titel = \"Key supplier ceases trading\"",
        )],
    );
}

/// A 2013 Annex A id is answered with its 2022 equivalents wherever a control is named (SoA,
/// areas, risks): one control (A.9.2.1, A.12.3.1) and a split one (A.18.2.3).
#[test]
fn load002_annex_a_2013_ids_get_their_2022_equivalents() {
    case(
        "load002_annex_a_2013_ids",
        TODAY,
        &[
            Replace("soa.toml", "id = \"A.5.1\"", "id = \"A.9.2.1\""),
            Replace(
                "areas.toml",
                "controls = [\"A.5.1\"]",
                "controls = [\"A.18.2.3\"]",
            ),
            Replace(
                "risks.toml",
                "controls = [\"A.8.13\"]",
                "controls = [\"A.12.3.1\"]",
            ),
        ],
    );
}

/// Near miss: the 2022 ids those 2013 ids became are accepted as they are.
#[test]
fn load002_near_miss_2022_successors_are_accepted() {
    clean_of(
        "LOAD002",
        TODAY,
        &[Replace(
            "areas.toml",
            "controls = [\"A.5.1\"]",
            "controls = [\"A.5.1\", \"A.5.36\", \"A.8.8\"]",
        )],
    );
}

#[test]
fn load002_missing_field() {
    case(
        "load002_missing_field",
        TODAY,
        &[Replace("people.toml", "name = \"Carol Chen\"\n", "")],
    );
}

#[test]
fn load002_wrong_type_and_bad_enum() {
    case(
        "load002_wrong_type_and_bad_enum",
        TODAY,
        &[
            Replace("people.toml", "auditor = true", "auditor = \"yes\""),
            Replace("areas.toml", "risk = \"medium\"", "risk = \"meduim\""),
        ],
    );
}

#[test]
fn load002_quoted_date_and_bare_control() {
    case(
        "load002_quoted_date_and_bare_control",
        TODAY,
        &[
            Replace(
                "risks.toml",
                "accepted_on = 2026-02-01",
                "accepted_on = \"2026-02-01\"",
            ),
            Replace(
                "areas.toml",
                "controls = [\"A.5.1\"]",
                "controls = [\"5.1\"]",
            ),
        ],
    );
}

#[test]
fn load002_invalid_person_id() {
    case(
        "load002_invalid_person_id",
        TODAY,
        &[Replace(
            "people.toml",
            "id = \"carol\"",
            "id = \"Carol Chen\"",
        )],
    );
}

#[test]
fn load002_unknown_rule_code_in_overrides() {
    case(
        "load002_unknown_rule_code",
        TODAY,
        &[Replace(
            "isms.toml",
            "[rules]\n",
            "[rules]\n\"SOA03\" = \"warning\"\n",
        )],
    );
}

#[test]
fn load002_typo_in_settings_keeps_the_other_tables() {
    // `[risk]` falls back to its defaults; `[rules]` still lowers SOA003 to a warning.
    case(
        "load002_typo_in_settings",
        TODAY,
        &[
            Replace(
                "isms.toml",
                "acceptance_threshold = 8",
                "acceptance_treshold = 8",
            ),
            Replace(
                "isms.toml",
                "[independence]",
                "[risks]\nscale = 5\n\n[independence]",
            ),
            Replace(
                "isms.toml",
                "[rules]\n",
                "[rules]\n\"SOA003\" = \"warning\"\n",
            ),
            Replace(
                "soa.toml",
                "justification = \"No premises of our own: hosting in ISO 27001-certified cloud regions.\"\n",
                "",
            ),
        ],
    );
}

#[test]
fn load002_empty_finding_file() {
    case(
        "load002_empty_finding",
        TODAY,
        &[Write("findings/F-2026-001.toml", b"")],
    );
}

#[test]
fn load003_duplicate_id_in_both_places() {
    case(
        "load003_duplicate_id",
        TODAY,
        &[Replace("risks.toml", "id = \"R-003\"", "id = \"R-001\"")],
    );
}

#[test]
fn load004_unrecognised_file() {
    case(
        "load004_unrecognised_file",
        TODAY,
        &[Write("risk.toml", b"[[risk]]\n")],
    );
}

#[test]
fn load_never_cascades_from_a_broken_entry() {
    // R-001 cannot be read, but the SoA's references to it are not reported as unknown.
    let codes = Scratch::new(
        "base",
        &[Replace(
            "risks.toml",
            "likelihood = 4\n",
            "likelihood = \"high\"\n",
        )],
    )
    .codes(TODAY);
    assert_eq!(codes, ["LOAD002"]);
}

// REF: references resolve.

#[test]
fn ref001_dangling_references() {
    case(
        "ref001_dangling_references",
        TODAY,
        &[
            Replace("soa.toml", "risks = [\"R-002\"]", "risks = [\"R-02\"]"),
            Replace("risks.toml", "owner = \"alice\"", "owner = \"alise\""),
            Replace(
                "documents/engineering/access.md",
                "controls = [\"A.5.15\", \"A.8.5\"]",
                "controls = [\"A.5.15\", \"A.8.55\"]",
            ),
        ],
    );
}

/// A control written without its `A.` (`8.8`) is not a clause: the report names the control.
#[test]
fn ref001_control_written_as_a_clause_is_named() {
    case(
        "ref001_control_written_as_a_clause",
        TODAY,
        &[Replace(
            "areas.toml",
            "clauses = [\"5.2\", \"6.1.2\", \"6.1.3\"]",
            "clauses = [\"5.2\", \"8.8\", \"6.1.3\"]",
        )],
    );
}

/// Near miss: `6.1.2` is a clause and control A.6.1.2 does not exist, so nothing is suggested
/// for a real clause; and a number that is both (`5.1`) is the clause.
#[test]
fn ref001_a_real_clause_is_not_taken_for_a_control() {
    clean_of(
        "REF001",
        TODAY,
        &[Replace(
            "areas.toml",
            "clauses = [\"5.2\", \"6.1.2\", \"6.1.3\"]",
            "clauses = [\"5.1\", \"6.1.2\", \"6.1.3\"]",
        )],
    );
}

#[test]
fn ref003_document_and_evidence_outside_the_areas_paths() {
    case(
        "ref003_outside_paths",
        TODAY,
        &[
            // The engineering area's paths no longer hold the evidence, and its document moves out.
            Replace(
                "areas.toml",
                "paths = [\"documents/engineering/**\", \"evidence/**\"]",
                "paths = [\"documents/engineering/**\"]",
            ),
            Remove("documents/engineering/access.md"),
            Write(
                "documents/access.md",
                &std::fs::read(common::fixture("base").join("documents/engineering/access.md"))
                    .unwrap(),
            ),
        ],
    );
}

/// Near miss: evidence in one area's folder cited by a control of another area is judged with
/// the area that keeps it; a document inside its area's folder is where it should be.
#[test]
fn ref003_evidence_kept_by_another_area_is_fine() {
    clean_of(
        "REF003",
        TODAY,
        &[
            Replace(
                "areas.toml",
                "paths = [\"documents/engineering/**\", \"evidence/**\"]",
                "paths = [\"documents/engineering/**\"]",
            ),
            Replace(
                "areas.toml",
                "paths = [\"documents/isms/**\"]",
                "paths = [\"documents/isms/**\", \"evidence/**\"]",
            ),
        ],
    );
}

#[test]
fn ref001_missing_evidence() {
    case(
        "ref001_missing_evidence",
        TODAY,
        &[Remove("evidence/access-review-2026-q1.md")],
    );
}

#[test]
fn ref002_area_relies_on_excluded_control() {
    case(
        "ref002_excluded_control",
        TODAY,
        &[Replace(
            "areas.toml",
            "controls = [\"A.5.1\"]",
            "controls = [\"A.5.1\", \"A.7.5\"]",
        )],
    );
}

// SOA: the Statement of Applicability.

const A_5_2: &str = "[[control]]\nid = \"A.5.2\"\napplicable = true\njustification = \"Needed for information security roles and responsibilities.\"\nbasis = [\"business\"]\nstatus = \"implemented\"\nowner = \"bob\"\ndocuments = [\"POL-ISMS\"]\n\n";

#[test]
fn soa001_control_missing() {
    case(
        "soa001_control_missing",
        TODAY,
        &[Replace("soa.toml", A_5_2, "")],
    );
}

#[test]
fn soa002_control_not_in_annex_a() {
    case(
        "soa002_not_in_annex_a",
        TODAY,
        &[Replace("soa.toml", "id = \"A.5.2\"", "id = \"A.5.99\"")],
    );
}

#[test]
fn soa001_no_soa_file() {
    case("soa001_no_soa_file", TODAY, &[Remove("soa.toml")]);
}

#[test]
fn soa003_exclusion_without_justification() {
    case(
        "soa003_no_justification",
        TODAY,
        &[Replace(
            "soa.toml",
            "justification = \"No premises of our own: hosting in ISO 27001-certified cloud regions.\"\n",
            "",
        )],
    );
}

#[test]
fn soa004_applicable_without_status_or_owner() {
    case(
        "soa004_no_status_or_owner",
        TODAY,
        &[Replace(
            "soa.toml",
            "status = \"implemented\"\nowner = \"bob\"\nrisks = [\"R-002\"]",
            "risks = [\"R-002\"]",
        )],
    );
}

#[test]
fn soa005_risk_relies_on_excluded_control() {
    case(
        "soa005_excluded_by_soa",
        TODAY,
        &[Replace(
            "risks.toml",
            "controls = [\"A.8.13\"]",
            "controls = [\"A.8.13\", \"A.7.11\"]",
        )],
    );
}

#[test]
fn soa006_risk_basis_without_risk() {
    case(
        "soa006_risk_basis_without_risk",
        TODAY,
        &[Replace("soa.toml", "risks = [\"R-002\"]\n", "")],
    );
}

#[test]
fn soa007_implemented_without_documents_or_evidence() {
    case(
        "soa007_no_documents_or_evidence",
        TODAY,
        &[Replace(
            "soa.toml",
            "risks = [\"R-002\"]\nevidence = [\"evidence/access-review-2026-q1.md\"]",
            "risks = [\"R-002\"]",
        )],
    );
}

#[test]
fn soa008_undecided_control() {
    case(
        "soa008_undecided",
        TODAY,
        &[Replace(
            "soa.toml",
            "id = \"A.7.11\"\napplicable = false\n",
            "id = \"A.7.11\"\n",
        )],
    );
}

#[test]
fn soa_partial_control_needs_no_evidence() {
    clean_of(
        "SOA007",
        TODAY,
        &[Replace(
            "soa.toml",
            "status = \"implemented\"\nowner = \"bob\"\nrisks = [\"R-002\"]\nevidence = [\"evidence/access-review-2026-q1.md\"]",
            "status = \"partial\"\nowner = \"bob\"\nrisks = [\"R-002\"]",
        )],
    );
}

// RISK: the risk register.

#[test]
fn risk001_score_outside_scale() {
    case(
        "risk001_outside_scale",
        TODAY,
        &[Replace(
            "risks.toml",
            "likelihood = 1\n",
            "likelihood = 6\n",
        )],
    );
}

#[test]
fn risk002_modify_without_controls() {
    case(
        "risk002_modify_without_controls",
        TODAY,
        &[Replace("risks.toml", "controls = [\"A.8.13\"]\n", "")],
    );
}

#[test]
fn risk003_residual_above_threshold_not_accepted() {
    case(
        "risk003_not_accepted",
        TODAY,
        &[Replace(
            "risks.toml",
            "residual_likelihood = 2\nresidual_impact = 4",
            "residual_likelihood = 3\nresidual_impact = 4",
        )],
    );
}

#[test]
fn risk003_residual_at_threshold_needs_no_acceptance() {
    // R-001's residual score is 2 x 4 = 8, exactly the threshold.
    clean_of("RISK003", TODAY, &[]);
}

#[test]
fn risk004_accepted_by_someone_else() {
    case(
        "risk004_accepted_by_other",
        TODAY,
        &[Replace(
            "risks.toml",
            "accepted_by = \"bob\"",
            "accepted_by = \"alice\"",
        )],
    );
}

#[test]
fn risk005_review_overdue() {
    case("risk005_review_overdue", "2027-02-02", &[]);
}

#[test]
fn risk005_review_due_today_is_not_overdue() {
    clean_of("RISK005", "2027-02-01", &[]);
}

// DOC: documented information.

#[test]
fn doc001_document_without_version_or_approval() {
    case(
        "doc001_no_version_or_approval",
        TODAY,
        &[Replace(
            "documents/engineering/access.md",
            "version = \"2.1\"\nowner = \"bob\"\narea = \"engineering\"\napproved_by = \"alice\"\n",
            "owner = \"bob\"\narea = \"engineering\"\n",
        )],
    );
}

#[test]
fn doc002_review_overdue() {
    case(
        "doc002_review_overdue",
        "2027-01-16",
        &[Replace(
            "risks.toml",
            "reviewed_on = 2026-02-01\n\n[[risk]]\nid = \"R-002\"",
            "reviewed_on = 2026-12-01\n\n[[risk]]\nid = \"R-002\"",
        )],
    );
}

#[test]
fn doc002_review_due_today_is_not_overdue() {
    clean_of("DOC002", "2027-01-15", &[]);
}

#[test]
fn doc003_is_silent_when_a_document_cannot_be_read() {
    let codes = Scratch::new(
        "base",
        &[Replace(
            "documents/isms/policy.md",
            "version = \"1.0\"",
            "version = 1.0",
        )],
    )
    .codes(TODAY);
    assert_eq!(codes, ["LOAD002"]);
}

#[test]
fn readme_files_are_not_documents() {
    clean_of(
        "LOAD001",
        TODAY,
        &[Write("documents/README.md", b"# Our documents\n")],
    );
}

#[test]
fn doc003_no_information_security_policy() {
    case(
        "doc003_no_policy",
        TODAY,
        &[Replace(
            "documents/isms/policy.md",
            "clauses = [\"5.2\", ",
            "clauses = [",
        )],
    );
}

// Severity overrides from [rules].

#[test]
fn severity_overrides() {
    case(
        "severity_overrides",
        TODAY,
        &[
            Replace(
                "isms.toml",
                "[rules]\n",
                "[rules]\n\"SOA003\" = \"warning\"\n\"soa004\" = \"off\"\n",
            ),
            Replace(
                "soa.toml",
                "justification = \"No premises of our own: hosting in ISO 27001-certified cloud regions.\"\n",
                "",
            ),
            Replace(
                "soa.toml",
                "status = \"implemented\"\nowner = \"bob\"\nrisks = [\"R-002\"]",
                "risks = [\"R-002\"]",
            ),
        ],
    );
}
