//! The audit lifecycle rules (PROG, PLAN, AUD, FIND) on copies of the example ISMS: each case
//! breaks one thing and snapshots the exact report of the rule it tests (the other rules'
//! diagnostics of the copy are left out, so a case shows only what it is about); each near
//! miss checks that the rule stays silent. Also: moving `--today` forward makes the expected
//! overdue actions, reviews and audits of the example appear.

mod common;

use common::{Edit, Remove, Replace, Scratch, Write, clean_of, codes, only, outcome};
use isms::model::Date;

/// The day the example describes.
const DAY: &str = "2026-11-27";

/// The report of `code` alone, snapshotted here so that the snapshot keeps this file's name;
/// the rule must have fired.
fn case(name: &str, code: &str, today: &str, edits: &[Edit]) {
    let report = only(&[code], today, edits);
    assert!(
        report.contains(&format!("[{code}]")),
        "{code} did not fire:\n{report}"
    );
    insta::assert_snapshot!(name, report);
}

fn example(file: &str) -> String {
    std::fs::read_to_string(common::fixture("example").join(file)).unwrap()
}

const LIFECYCLE: [&str; 4] = ["PROG", "PLAN", "AUD", "FIND"];

#[test]
fn the_example_is_clean_of_lifecycle_rules_on_its_day() {
    let found: Vec<_> = codes(DAY, &[])
        .into_iter()
        .filter(|c| LIFECYCLE.iter().any(|f| c.starts_with(f)))
        .collect();
    assert!(found.is_empty(), "{found:?}");
}

// FIND: nonconformities through root cause, action, verification and closure.

#[test]
fn find001_nonconformity_without_evidence_or_refs() {
    let text = example("findings/F-2026-005.toml");
    let kept: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with("refs = ") && !l.starts_with("evidence = "))
        .collect();
    let edited = kept.join("\n") + "\n";
    case(
        "find001_no_evidence_or_refs",
        "FIND001",
        DAY,
        &[Write("findings/F-2026-005.toml", edited.as_bytes())],
    );
}

#[test]
fn find001_observation_needs_no_refs() {
    clean_of(
        "FIND001",
        DAY,
        &[Replace(
            "findings/F-2026-003.toml",
            "refs = [\"A.5.27\"]\n",
            "",
        )],
    );
}

#[test]
fn find002_no_root_cause_after_analysis_days() {
    // F-2026-010 was raised on 2026-11-18: analysis due 2026-12-18.
    case("find002_no_root_cause", "FIND002", "2026-12-19", &[]);
}

#[test]
fn find002_due_today_is_not_overdue() {
    clean_of("FIND002", "2026-12-18", &[]);
}

#[test]
fn find002_observations_are_exempt() {
    clean_of(
        "FIND002",
        "2026-12-19",
        &[Replace(
            "findings/F-2026-010.toml",
            "type = \"minor-nc\"",
            "type = \"observation\"",
        )],
    );
}

#[test]
fn find003_root_cause_without_planned_action() {
    let text = example("findings/F-2026-007.toml");
    let cut = text.find("[[action]]").unwrap();
    let without_owner = format!(
        "{}[[action]]\ndescription = \"Review the direct assignments.\"\n",
        &text[..cut]
    );
    case(
        "find003_no_action_with_owner_and_due",
        "FIND003",
        DAY,
        &[Write("findings/F-2026-007.toml", without_owner.as_bytes())],
    );
}

#[test]
fn find003_one_planned_action_is_enough() {
    let text = example("findings/F-2026-007.toml");
    let more = format!("{text}\n[[action]]\ndescription = \"Decide later.\"\n");
    clean_of(
        "FIND003",
        DAY,
        &[Write("findings/F-2026-007.toml", more.as_bytes())],
    );
}

#[test]
fn find004_action_overdue() {
    // F-2026-007's second action (frank) is due on 2026-12-18.
    case("find004_action_overdue", "FIND004", "2026-12-19", &[]);
}

#[test]
fn find004_completed_or_due_today_is_not_overdue() {
    clean_of("FIND004", "2026-12-18", &[]);
}

#[test]
fn find005_closed_without_verification() {
    let text = example("findings/F-2026-001.toml");
    let start = text.find("[verification]").unwrap();
    let end = text.find("[closure]").unwrap();
    let unverified = format!("{}{}", &text[..start], &text[end..]);
    case(
        "find005_closed_without_verification",
        "FIND005",
        DAY,
        &[Write("findings/F-2026-001.toml", unverified.as_bytes())],
    );
}

#[test]
fn find005_closed_after_ineffective_verification() {
    case(
        "find005_closed_not_effective",
        "FIND005",
        DAY,
        &[Replace(
            "findings/F-2026-001.toml",
            "effective = true",
            "effective = false",
        )],
    );
}

#[test]
fn find005_verified_but_not_closed_is_fine() {
    // F-2026-002 is verified and not yet closed.
    clean_of("FIND005", DAY, &[]);
}

#[test]
fn find006_verified_before_last_action() {
    case(
        "find006_verified_before_action",
        "FIND006",
        DAY,
        &[Replace(
            "findings/F-2026-001.toml",
            "on = 2026-09-09",
            "on = 2026-05-20",
        )],
    );
}

#[test]
fn find006_verified_with_an_action_open() {
    case(
        "find006_verified_with_open_action",
        "FIND006",
        DAY,
        &[Replace(
            "findings/F-2026-001.toml",
            "completed_on = 2026-05-28\n",
            "",
        )],
    );
}

#[test]
fn find006_verified_on_the_day_of_the_last_action_is_fine() {
    clean_of(
        "FIND006",
        DAY,
        &[Replace(
            "findings/F-2026-001.toml",
            "on = 2026-09-09",
            "on = 2026-05-28",
        )],
    );
}

#[test]
fn find007_verified_by_the_action_owner() {
    case(
        "find007_verified_by_action_owner",
        "FIND007",
        DAY,
        &[Replace(
            "findings/F-2026-001.toml",
            "by = \"nadia\"",
            "by = \"kofi\"",
        )],
    );
}

#[test]
fn find007_verified_by_the_area_owner() {
    // frank owns access-control and one of the actions; make the action someone else's.
    case(
        "find007_verified_by_area_owner",
        "FIND007",
        DAY,
        &[
            Replace(
                "findings/F-2026-001.toml",
                "owner = \"frank\"",
                "owner = \"kofi\"",
            ),
            Replace(
                "findings/F-2026-001.toml",
                "by = \"nadia\"",
                "by = \"frank\"",
            ),
        ],
    );
}

#[test]
fn find007_root_cause_analyst_may_not_but_closer_may_differ() {
    // Closure by the ISMS manager is not a verification: dave closes F-2026-001, nadia verifies.
    clean_of("FIND007", DAY, &[]);
}

#[test]
fn find008_major_nonconformity_open_too_long() {
    let text = example("findings/F-2026-004.toml");
    let open = &text[..text.find("[verification]").unwrap()];
    case(
        "find008_major_open_too_long",
        "FIND008",
        DAY,
        &[Write("findings/F-2026-004.toml", open.as_bytes())],
    );
}

#[test]
fn find008_within_major_max_days_is_fine() {
    // Raised 2026-06-11: 90 days end on 2026-09-09.
    let text = example("findings/F-2026-004.toml");
    let open = text[..text.find("[verification]").unwrap()].to_string();
    clean_of(
        "FIND008",
        "2026-09-09",
        &[Write("findings/F-2026-004.toml", open.as_bytes())],
    );
}

// AUD: audits, checklists and reports.

#[test]
fn aud001_document_review_only() {
    let text = example("audits/IA-2026-05/checklist.toml")
        .replace("method = \"interview\"", "method = \"document-review\"")
        .replace(
            "method = \"technical-test\"",
            "method = \"document-review\"",
        );
    case(
        "aud001_document_review_only",
        "AUD001",
        DAY,
        &[Write("audits/IA-2026-05/checklist.toml", text.as_bytes())],
    );
}

#[test]
fn aud001_one_interview_among_document_reviews_is_not_enough() {
    // The reproduction: one tested item does not make the audit one of implementation.
    let text = example("audits/IA-2026-05/checklist.toml")
        .replace(
            "method = \"technical-test\"",
            "method = \"document-review\"",
        )
        .replacen("method = \"interview\"", "method = \"document-review\"", 1);
    let found = messages(
        "AUD001",
        DAY,
        &[Write("audits/IA-2026-05/checklist.toml", text.as_bytes())],
    );
    assert!(
        found.iter().any(|m| m.contains("of the 6 assessed items of audit IA-2026-05 are document reviews")),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|m| m.contains("judged the implemented control")),
        "{found:?}"
    );
}

#[test]
fn aud001_implemented_control_by_document_review_only() {
    // A.5.20 in IA-2026-05 becomes a document review: the share (1 of 6) stays within 0.7.
    let edited = a520_by_document_review();
    case(
        "aud001_implemented_control_document_review_only",
        "AUD001",
        DAY,
        &[Write("audits/IA-2026-05/checklist.toml", edited.as_bytes())],
    );
}

/// IA-2026-05's checklist with its item on A.5.20 (implemented) turned into a document review.
fn a520_by_document_review() -> String {
    let text = example("audits/IA-2026-05/checklist.toml");
    let start = text.find("[[item]]\nref = \"A.5.20\"").unwrap();
    let end = start + text[start..].find("evidence").unwrap();
    let block = text[start..end].replace(
        "method = \"technical-test\"",
        "method = \"document-review\"",
    );
    format!("{}{}{}", &text[..start], block, &text[end..])
}

#[test]
fn aud001_within_the_share_and_every_implemented_control_tested() {
    clean_of("AUD001", DAY, &[]);
    // The share is the programme's to set: 0.1 makes IA-2026-05's 1 of 6 too many, 0.2 not.
    let edited = a520_by_document_review();
    let with_share = |share: &str| {
        messages(
            "AUD001",
            DAY,
            &[
                Write("audits/IA-2026-05/checklist.toml", edited.as_bytes()),
                Replace(
                    "isms.toml",
                    "notice_days = 14",
                    &format!("notice_days = 14\nmax_document_review_share = {share}"),
                ),
            ],
        )
        .into_iter()
        .filter(|m| m.contains("assessed items of audit IA-2026-05"))
        .collect::<Vec<_>>()
    };
    assert_eq!(
        with_share("0.1"),
        [
            "1 of the 6 assessed items of audit IA-2026-05 is a document review, more than the 10% the programme allows"
        ]
    );
    assert!(with_share("0.2").is_empty());
}

#[test]
fn aud002_scope_item_without_checklist_item() {
    let text = example("audits/IA-2026-05/checklist.toml");
    let start = text.find("[[item]]\nref = \"A.5.21\"").unwrap();
    let end = text.find("[[item]]\nref = \"A.5.22\"").unwrap();
    let cut = format!("{}{}", &text[..start], &text[end..]);
    case(
        "aud002_no_checklist_item",
        "AUD002",
        DAY,
        &[Write("audits/IA-2026-05/checklist.toml", cut.as_bytes())],
    );
}

#[test]
fn aud002_controls_default_to_the_areas_controls() {
    // Without `controls`, the area's five controls are in scope, and all have items.
    clean_of(
        "AUD002",
        DAY,
        &[Replace(
            "audits/IA-2026-05/plan.toml",
            "controls = [\"A.5.19\", \"A.5.20\", \"A.5.21\", \"A.5.22\", \"A.5.23\"]\n",
            "",
        )],
    );
}

#[test]
fn aud002_an_ended_audit_without_checklist() {
    case(
        "aud002_no_checklist",
        "AUD002",
        DAY,
        &[Remove("audits/IA-2026-05/checklist.toml")],
    );
}

#[test]
fn aud003_nonconformity_without_finding() {
    case(
        "aud003_no_finding",
        "AUD003",
        DAY,
        &[Replace(
            "audits/IA-2026-01/checklist.toml",
            "finding = \"F-2026-001\"\n",
            "",
        )],
    );
}

#[test]
fn aud003_opportunity_needs_no_finding() {
    clean_of(
        "AUD003",
        DAY,
        &[Replace(
            "audits/IA-2026-01/checklist.toml",
            "result = \"nonconformity\"\nevidence = \"Sampled all 9 leavers",
            "result = \"opportunity\"\nevidence = \"Sampled all 9 leavers",
        )],
    );
}

#[test]
fn aud004_result_without_evidence() {
    let text = example("audits/IA-2026-01/checklist.toml");
    let start = text
        .find("evidence = \"Q4 2025 review tickets IAM-571")
        .unwrap();
    let end = start + text[start..].find('\n').unwrap() + 1;
    let cut = format!("{}{}", &text[..start], &text[end..]);
    case(
        "aud004_no_evidence",
        "AUD004",
        DAY,
        &[Write("audits/IA-2026-01/checklist.toml", cut.as_bytes())],
    );
}

#[test]
fn aud004_not_assessed_needs_no_evidence() {
    // IA-2026-04 is planned: its items are not assessed and carry no evidence.
    clean_of("AUD004", DAY, &[]);
}

#[test]
fn aud005_ended_without_report() {
    // IA-2026-04 ends on 2026-12-04 and has no report yet.
    case("aud005_no_report", "AUD005", "2026-12-05", &[]);
}

#[test]
fn aud005_the_last_day_is_not_late() {
    clean_of("AUD005", "2026-12-04", &[]);
}

#[test]
fn aud006_report_missing_its_conclusion() {
    case(
        "aud006_no_conclusion",
        "AUD006",
        DAY,
        &[Replace(
            "audits/IA-2026-05/report.md",
            "## Conclusion\n",
            "## Closing words\n",
        )],
    );
}

#[test]
fn aud006_headings_match_case_insensitively() {
    clean_of(
        "AUD006",
        DAY,
        &[Replace(
            "audits/IA-2026-05/report.md",
            "## Conclusion\n",
            "## CONCLUSION\n",
        )],
    );
}

#[test]
fn aud007_report_not_distributed_to_top_management() {
    case(
        "aud007_not_distributed",
        "AUD007",
        DAY,
        &[Replace(
            "audits/IA-2026-05/report.md",
            "distributed_to = [\"alice\", \"bob\", \"carol\", \"dave\"]",
            "distributed_to = [\"carol\", \"dave\"]",
        )],
    );
}

#[test]
fn aud007_report_not_distributed_to_the_area_owner() {
    case(
        "aud007_not_distributed_to_area_owner",
        "AUD007",
        DAY,
        &[Replace(
            "audits/IA-2026-03/report.md",
            "distributed_to = [\"alice\", \"bob\", \"carol\", \"dave\", \"frank\", \"judy\", \"kofi\"]",
            "distributed_to = [\"alice\", \"bob\", \"carol\", \"dave\", \"judy\"]",
        )],
    );
}

// PLAN: audit plans.

#[test]
fn plan001_end_before_start() {
    case(
        "plan001_end_before_start",
        "PLAN001",
        DAY,
        &[Replace(
            "audits/IA-2026-04/plan.toml",
            "end = 2026-12-04",
            "end = 2026-11-30",
        )],
    );
}

#[test]
fn plan001_report_dated_before_the_end() {
    case(
        "plan001_report_before_end",
        "PLAN001",
        DAY,
        &[Replace(
            "audits/IA-2026-05/report.md",
            "date = 2026-11-23",
            "date = 2026-11-17",
        )],
    );
}

#[test]
fn plan001_one_day_audit_is_fine() {
    clean_of(
        "PLAN001",
        DAY,
        &[Replace(
            "audits/IA-2026-04/plan.toml",
            "end = 2026-12-04",
            "end = 2026-12-01",
        )],
    );
}

#[test]
fn plan002_notified_too_late() {
    case(
        "plan002_notified_late",
        "PLAN002",
        DAY,
        &[Replace(
            "audits/IA-2026-04/plan.toml",
            "notified_on = 2026-11-13",
            "notified_on = 2026-11-20",
        )],
    );
}

#[test]
fn plan002_notified_exactly_notice_days_ahead() {
    // IA-2026-04 starts 2026-12-01: 14 days ahead is 2026-11-17.
    clean_of(
        "PLAN002",
        DAY,
        &[Replace(
            "audits/IA-2026-04/plan.toml",
            "notified_on = 2026-11-13",
            "notified_on = 2026-11-17",
        )],
    );
}

#[test]
fn plan002_no_notice_once_it_is_due() {
    case(
        "plan002_no_notice",
        "PLAN002",
        DAY,
        &[Replace(
            "audits/IA-2026-04/plan.toml",
            "notified_on = 2026-11-13\n",
            "",
        )],
    );
}

#[test]
fn plan002_no_notice_is_fine_before_it_is_due() {
    clean_of(
        "PLAN002",
        "2026-11-16",
        &[Replace(
            "audits/IA-2026-04/plan.toml",
            "notified_on = 2026-11-13\n",
            "",
        )],
    );
}

#[test]
fn plan003_auditor_without_qualification() {
    case(
        "plan003_not_an_auditor",
        "PLAN003",
        DAY,
        &[Replace(
            "audits/IA-2026-04/plan.toml",
            "team = [\"mike\"]",
            "team = [\"oscar\"]",
        )],
    );
}

/// people.toml with mike's competence records replaced by `records` (TOML put after his
/// `external` line).
fn mike_competence(records: &str) -> String {
    let people = example("people.toml");
    let start = people.find("id = \"mike\"").unwrap();
    let from =
        start + people[start..].find("external = false\n").unwrap() + "external = false\n".len();
    let to = from + people[from..].find("[[person]]").unwrap();
    format!("{}{records}\n{}", &people[..from], &people[to..])
}

#[test]
fn plan003_auditor_without_competence_record() {
    let edited = mike_competence("");
    case(
        "plan003_no_competence",
        "PLAN003",
        DAY,
        &[Write("people.toml", edited.as_bytes())],
    );
}

#[test]
fn plan003_plain_text_competence_cannot_be_judged() {
    // The reproduction: `competence = ["x"]` no longer satisfies PLAN003 silently.
    let edited =
        mike_competence("").replace("id = \"mike\"", "competence = [\"x\"]\nid = \"mike\"");
    let report = only(
        &["PLAN003"],
        DAY,
        &[Write("people.toml", edited.as_bytes())],
    );
    assert!(
        report.contains("warning[PLAN003]: the competence of `mike`, team member of audit IA-2026-04, is recorded as text only and cannot be judged"),
        "{report}"
    );
    assert!(!report.contains("error["), "{report}");
}

#[test]
fn plan003_auditing_competence_older_than_the_valid_years() {
    // IA-2026-04 starts on 2026-12-01: a course of 2023-11-30 is more than 3 years older.
    let edited = mike_competence(
        "\n[[person.competence]]\nkind = \"audit\"\ntitle = \"ISO/IEC 27001 Internal Auditor course\"\non = 2023-11-30\n\n[[person.competence]]\nkind = \"other\"\ntitle = \"ITIL 4 Foundation\"\non = 2026-01-10\n",
    );
    case(
        "plan003_competence_too_old",
        "PLAN003",
        DAY,
        &[Write("people.toml", edited.as_bytes())],
    );
    let current = mike_competence(
        "\n[[person.competence]]\nkind = \"audit\"\ntitle = \"ISO/IEC 27001 Internal Auditor course\"\non = 2023-12-01\n",
    );
    let found = messages("PLAN003", DAY, &[Write("people.toml", current.as_bytes())]);
    assert!(!found.iter().any(|m| m.contains("`mike`")), "{found:?}");
}

#[test]
fn plan004_no_scope() {
    let text = example("audits/IA-2026-05/plan.toml");
    let start = text.find("areas = [").unwrap();
    let end = text.find("lead = ").unwrap();
    let unscoped = format!("{}{}", &text[..start], &text[end..]);
    case(
        "plan004_no_scope",
        "PLAN004",
        DAY,
        &[Write("audits/IA-2026-05/plan.toml", unscoped.as_bytes())],
    );
}

#[test]
fn plan004_a_single_clause_is_a_scope() {
    let text = example("audits/IA-2026-05/plan.toml");
    let start = text.find("areas = [").unwrap();
    let end = text.find("lead = ").unwrap();
    let scoped = format!("{}clauses = [\"8.1\"]\n{}", &text[..start], &text[end..]);
    clean_of(
        "PLAN004",
        DAY,
        &[Write("audits/IA-2026-05/plan.toml", scoped.as_bytes())],
    );
}

// PROG: the audit programme.

#[test]
fn prog001_no_programme() {
    case(
        "prog001_no_programme",
        "PROG001",
        DAY,
        &[Remove("audits/programme.toml")],
    );
}

#[test]
fn prog002_area_overdue() {
    // software-development (high, 6 months) was last audited by IA-2026-02, ended 2026-06-12;
    // without the planned IA-2026-04 it is overdue from 2026-12-13.
    case(
        "prog002_area_overdue",
        "PROG002",
        "2026-12-13",
        &[Replace(
            "audits/IA-2026-04/plan.toml",
            "areas = [\"software-development\", \"cloud-operations\"]",
            "areas = [\"cloud-operations\"]",
        )],
    );
}

#[test]
fn prog002_due_soon_and_not_planned_is_a_warning() {
    case(
        "prog002_due_soon",
        "PROG002",
        DAY,
        &[Replace(
            "audits/IA-2026-04/plan.toml",
            "areas = [\"software-development\", \"cloud-operations\"]",
            "areas = [\"cloud-operations\"]",
        )],
    );
}

#[test]
fn prog002_planned_area_is_not_reported() {
    clean_of("PROG002", "2026-12-04", &[]);
}

#[test]
fn prog003_clause_not_covered_in_the_running_cycle() {
    case(
        "prog003_running_cycle",
        "PROG003",
        DAY,
        &[Replace("audits/IA-2026-03/plan.toml", "\"9.3.1\", ", "")],
    );
}

#[test]
fn prog003_clause_not_covered_in_an_ended_cycle() {
    // IA-2026-03 is the only audit of cycle 2026 with clause 9.3.1 in scope; without its
    // report it covers nothing, and once the cycle has ended the gap is an error.
    case(
        "prog003_ended_cycle",
        "PROG003",
        "2027-01-04",
        &[Replace("audits/IA-2026-03/plan.toml", "\"9.3.1\", ", "")],
    );
}

#[test]
fn prog004_control_not_covered_in_an_ended_cycle() {
    let plan = example("audits/IA-2026-02/plan.toml");
    let edited = plan.replacen("\"A.8.24\", ", "", 1);
    assert_ne!(plan, edited);
    let found = only(
        &["PROG004"],
        "2027-01-04",
        &[Write("audits/IA-2026-02/plan.toml", edited.as_bytes())],
    );
    insta::assert_snapshot!("prog004_ended_cycle", found);
}

#[test]
fn prog005_area_not_reaudited_after_a_nonconformity() {
    // F-2026-005 (cloud-operations, raised 2026-06-12) is open; IA-2026-04 re-audits the area.
    case(
        "prog005_not_reaudited",
        "PROG005",
        "2026-12-13",
        &[Replace(
            "audits/IA-2026-04/plan.toml",
            "areas = [\"software-development\", \"cloud-operations\"]",
            "areas = [\"software-development\"]",
        )],
    );
}

#[test]
fn prog005_a_planned_reaudit_is_enough() {
    clean_of("PROG005", "2026-12-04", &[]);
}

// Time: moving --today forward makes the expected work fall due in the example.

#[test]
fn time_makes_actions_reviews_and_audits_fall_due() {
    let lifecycle = |today: &str| {
        let mut found: Vec<&str> = codes(today, &[])
            .into_iter()
            .filter(|c| LIFECYCLE.iter().any(|f| c.starts_with(f)))
            .collect();
        found.sort_unstable();
        found.dedup();
        found
    };
    assert!(lifecycle(DAY).is_empty());
    // IA-2026-04 ends on 2026-12-04 without its report, so it no longer counts as planned:
    // software-development and cloud-operations are due on 2026-12-12 (PROG002 warnings), and
    // cloud-operations' re-audit for F-2026-005 too (PROG005 warning); errors from 2026-12-13.
    assert_eq!(lifecycle("2026-12-05"), ["AUD005", "PROG002", "PROG005"]);
    assert_eq!(lifecycle("2026-12-13"), ["AUD005", "PROG002", "PROG005"]);
    // F-2026-010's root cause is due 2026-12-18, F-2026-007's second action too.
    assert_eq!(
        lifecycle("2026-12-19"),
        ["AUD005", "FIND002", "FIND004", "PROG002", "PROG005"]
    );
    // A new cycle: nothing of 2027 is planned yet (warnings); 2026 was covered (no errors).
    let s = Scratch::new("example", &[]);
    let out = outcome(&s, "2027-01-05");
    let prog3: Vec<_> = out
        .diagnostics
        .iter()
        .filter(|d| d.code() == "PROG003" || d.code() == "PROG004")
        .map(|d| (d.code(), d.severity))
        .collect();
    assert_eq!(
        prog3,
        [
            ("PROG003", isms::diagnostics::Severity::Warning),
            ("PROG004", isms::diagnostics::Severity::Warning)
        ]
    );
}

#[test]
fn the_example_covers_its_cycle() {
    let s = Scratch::new("example", &[]);
    let out = outcome(&s, DAY);
    let summary = isms::coverage::Summary::of(
        &out.isms,
        isms::catalog::iso27001(),
        out.isms.config.as_ref().unwrap(),
        Date::parse(DAY).unwrap(),
    );
    insta::assert_snapshot!("example_coverage", summary.paragraph());
    assert_eq!(summary.clauses.covered, summary.clauses.total);
    assert_eq!(summary.controls.covered, summary.controls.total);
    assert_eq!(summary.areas.covered, summary.areas.total);
}

// The coverage summary of `isms check`, in both formats.

fn isms_check(args: &[&str]) -> std::process::Output {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/example-isms");
    assert_cmd::Command::cargo_bin("isms")
        .unwrap()
        .env_remove("ISMS_TODAY")
        .args(["check", "--no-git", "--today", DAY])
        .args(args)
        .arg(root)
        .output()
        .unwrap()
}

#[test]
fn check_prints_the_coverage_paragraph_before_the_summary_line() {
    let out = String::from_utf8(isms_check(&[]).stdout).unwrap();
    let lines: Vec<&str> = out.lines().collect();
    let n = lines.len();
    assert!(lines[n - 1].starts_with("isms: "), "{out}");
    assert_eq!(lines[n - 2], "");
    assert!(
        lines[n - 3].starts_with(
            "cycle 2026: 30/30 clauses, 89/89 applicable controls, 8/8 areas covered; next due: cloud-operations 2026-12-12 (planned: IA-2026-04 2026-12-01), "
        ),
        "{out}"
    );
}

#[test]
fn json_carries_the_coverage_next_to_the_existing_keys() {
    let out = isms_check(&["--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["coverage", "diagnostics", "summary", "version"]);
    let text = String::from_utf8(out.stdout.clone()).unwrap();
    assert!(
        text.find("\"summary\"") < text.find("\"coverage\""),
        "{text}"
    );
    let c = &json["coverage"];
    assert_eq!(c["cycle"], "2026");
    assert_eq!(c["cycle_start"], "2026-01-01");
    assert_eq!(c["cycle_end"], "2026-12-31");
    assert_eq!(
        c["clauses"],
        serde_json::json!({"covered": 30, "planned": 0, "total": 30})
    );
    assert_eq!(
        c["controls"],
        serde_json::json!({"covered": 89, "planned": 0, "total": 89})
    );
    assert_eq!(
        c["areas"],
        serde_json::json!({"covered": 8, "planned": 0, "total": 8})
    );
    let access = c["next_due"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["area"] == "access-control")
        .unwrap();
    // F-2026-007 (raised 2026-09-10, open) needs a re-audit by 2027-03-10, a day before the
    // 6-month frequency after IA-2026-03 (ended 2026-09-11) falls due.
    assert_eq!(
        access,
        &serde_json::json!({"area": "access-control", "due": "2027-03-10", "reason": "followup",
                            "finding": "F-2026-007", "raised_on": "2026-09-10", "planned": null})
    );
}

#[test]
fn due_dates_clamp_to_the_end_of_the_month() {
    // IA-2026-03 moved to end on 2026-08-31: access-control (high, 6 months) is due on
    // 2027-02-28, not on a 31 February; PROG002 reports it from 2027-03-01.
    let edits = [
        Replace(
            "audits/IA-2026-03/plan.toml",
            "start = 2026-09-07",
            "start = 2026-08-27",
        ),
        Replace(
            "audits/IA-2026-03/plan.toml",
            "end = 2026-09-11",
            "end = 2026-08-31",
        ),
    ];
    let s = Scratch::new("example", &edits);
    let out = outcome(&s, DAY);
    let config = out.isms.config.as_ref().unwrap();
    let due = isms::coverage::frequency_due(
        &out.isms,
        config,
        "access-control",
        Date::parse(DAY).unwrap(),
    )
    .unwrap();
    assert_eq!(due.due, Date::parse("2027-02-28").unwrap());
    let overdue = |today: &str| {
        outcome(&s, today)
            .diagnostics
            .iter()
            .any(|d| d.code() == "PROG002" && d.message.contains("`access-control` is overdue"))
    };
    assert!(!overdue("2027-02-28"));
    assert!(overdue("2027-03-01"));
}

#[test]
fn an_unreadable_report_or_plan_is_not_judged_again() {
    // The report's front matter is broken: LOAD reports it, not AUD005, AUD002 or PROG.
    let found = codes(
        DAY,
        &[
            Replace(
                "audits/IA-2026-05/report.md",
                "date = 2026-11-23",
                "date = 2026-11-23x",
            ),
            Replace(
                "audits/IA-2026-02/plan.toml",
                "end = 2026-06-12",
                "end = 12",
            ),
        ],
    );
    for code in [
        "AUD002", "AUD005", "PROG002", "PROG003", "PROG004", "PROG005",
    ] {
        assert!(!found.contains(&code), "{code}: {found:?}");
    }
    assert!(found.iter().any(|c| c.starts_with("LOAD")), "{found:?}");
}

// Rigour: results, not paperwork, satisfy 9.2 and 10.2.

/// The messages of the diagnostics of `code`.
fn messages(code: &str, today: &str, edits: &[Edit]) -> Vec<String> {
    let s = Scratch::new("example", edits);
    outcome(&s, today)
        .diagnostics
        .iter()
        .filter(|d| d.code() == code)
        .map(|d| d.message.clone())
        .collect()
}

/// Every item of `audit` for `reference` set to `not-assessed`, its evidence removed.
fn unassess(audit: &str, reference: &str, reason: Option<&str>) -> String {
    let text = example(&format!("audits/{audit}/checklist.toml"));
    let mut out = String::new();
    for (i, block) in text.split("[[item]]").enumerate() {
        if i > 0 {
            out.push_str("[[item]]");
        }
        if block.contains(&format!("ref = \"{reference}\"\n")) {
            let mut kept: Vec<String> = block
                .lines()
                .filter(|l| !l.starts_with("evidence = ") && !l.starts_with("finding = "))
                .map(|l| {
                    if l.starts_with("result = ") {
                        "result = \"not-assessed\"".to_string()
                    } else {
                        l.to_string()
                    }
                })
                .collect();
            if let Some(r) = reason {
                kept.insert(kept.len() - 1, format!("reason = \"{r}\""));
            }
            out.push_str(&(kept.join("\n") + "\n"));
        } else {
            out.push_str(block);
        }
    }
    out
}

#[test]
fn aud008_completed_audit_left_a_control_unassessed() {
    let edited = unassess("IA-2026-03", "A.7.4", None);
    case(
        "aud008_unassessed_without_reason",
        "AUD008",
        DAY,
        &[Write("audits/IA-2026-03/checklist.toml", edited.as_bytes())],
    );
}

#[test]
fn aud008_unassessed_control_is_no_longer_covered() {
    // The reproduction: the coverage line no longer counts what nobody assessed.
    let edited = unassess("IA-2026-03", "A.7.4", None);
    let s = Scratch::new(
        "example",
        &[Write("audits/IA-2026-03/checklist.toml", edited.as_bytes())],
    );
    let out = assert_cmd::Command::cargo_bin("isms")
        .unwrap()
        .env_remove("ISMS_TODAY")
        .args(["check", "--no-git", "--today", DAY])
        .arg(s.path())
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("88/89 applicable controls"), "{text}");
    assert!(
        text.contains("1 applicable control is neither audited nor planned in cycle 2026"),
        "{text}"
    );
    assert!(text.contains("[AUD008]"), "{text}");
}

#[test]
fn aud008_a_reason_explains_an_unassessed_control() {
    let edited = unassess(
        "IA-2026-03",
        "A.7.4",
        Some("Site visit cancelled: office closed for refurbishment; moved to the next audit."),
    );
    clean_of(
        "AUD008",
        DAY,
        &[Write("audits/IA-2026-03/checklist.toml", edited.as_bytes())],
    );
}

#[test]
fn aud009_effective_despite_a_major_nonconformity() {
    case(
        "aud009_effective_with_major",
        "AUD009",
        DAY,
        &[Replace(
            "audits/IA-2026-02/report.md",
            "conclusion = \"effective-with-exceptions\"",
            "conclusion = \"effective\"",
        )],
    );
}

#[test]
fn aud009_effective_despite_a_minor_nonconformity_is_a_warning() {
    let report = only(
        &["AUD009"],
        DAY,
        &[Replace(
            "audits/IA-2026-05/report.md",
            "conclusion = \"effective-with-exceptions\"",
            "conclusion = \"effective\"",
        )],
    );
    assert!(report.contains("warning[AUD009]"), "{report}");
    insta::assert_snapshot!("aud009_effective_with_minor", report);
}

#[test]
fn aud009_exceptions_reported_as_such_pass() {
    clean_of("AUD009", DAY, &[]);
}

#[test]
fn plan005_plan_without_criteria_or_objectives() {
    let text = example("audits/IA-2026-05/plan.toml");
    let cut = text.find("objectives = ").unwrap();
    let resume = text.find("areas = ").unwrap();
    let edited = format!("{}{}", &text[..cut], &text[resume..]);
    case(
        "plan005_no_criteria_or_objectives",
        "PLAN005",
        DAY,
        &[Write("audits/IA-2026-05/plan.toml", edited.as_bytes())],
    );
}

#[test]
fn plan005_criteria_alone_is_not_enough() {
    let text = example("audits/IA-2026-05/plan.toml");
    let cut = text.find("objectives = ").unwrap();
    let resume = text.find("criteria = ").unwrap();
    let edited = format!("{}{}", &text[..cut], &text[resume..]);
    let found = messages(
        "PLAN005",
        DAY,
        &[Write("audits/IA-2026-05/plan.toml", edited.as_bytes())],
    );
    assert_eq!(
        found,
        ["the plan of audit IA-2026-05 has no `objectives`"],
        "{found:?}"
    );
}

#[test]
fn plan005_a_plan_with_both_passes() {
    clean_of("PLAN005", DAY, &[]);
}

/// F-2026-001 reduced to a closed minor nonconformity with neither root cause nor action.
fn closed_without_correction() -> String {
    let text = example("findings/F-2026-001.toml");
    let start = text.find("[root_cause]").unwrap();
    let end = text.find("[verification]").unwrap();
    format!("{}{}", &text[..start], &text[end..])
}

#[test]
fn find009_verified_and_closed_without_root_cause_or_action() {
    let edited = closed_without_correction();
    case(
        "find009_closed_without_root_cause_or_action",
        "FIND009",
        DAY,
        &[Write("findings/F-2026-001.toml", edited.as_bytes())],
    );
}

#[test]
fn find009_analysed_and_corrected_before_closure_passes() {
    clean_of("FIND009", DAY, &[]);
}

#[test]
fn find009_observations_are_not_corrected() {
    let edited =
        closed_without_correction().replace("type = \"minor-nc\"", "type = \"observation\"");
    clean_of(
        "FIND009",
        DAY,
        &[Write("findings/F-2026-001.toml", edited.as_bytes())],
    );
}

#[test]
fn find012_reference_outside_the_audit_scope_and_raised_after_the_report() {
    // IA-2026-01 audits access control, people and incidents; its report is dated 2026-03-27.
    case(
        "find012_outside_scope_and_late",
        "FIND012",
        DAY,
        &[
            Replace(
                "findings/F-2026-001.toml",
                "refs = [\"A.5.18\"]",
                "refs = [\"A.8.13\"]",
            ),
            Replace(
                "findings/F-2026-001.toml",
                "raised_on = 2026-03-19",
                "raised_on = 2026-09-02",
            ),
        ],
    );
}

#[test]
fn find012_raised_on_the_report_date_in_scope_passes() {
    clean_of(
        "FIND012",
        DAY,
        &[Replace(
            "findings/F-2026-001.toml",
            "raised_on = 2026-03-19",
            "raised_on = 2026-03-27",
        )],
    );
}

#[test]
fn find007_verified_by_a_member_of_the_area() {
    // kofi is a member of access-control; his action of F-2026-001 is handed to bob, so only
    // his membership stands against him verifying it.
    let found = messages(
        "FIND007",
        DAY,
        &[
            Replace(
                "findings/F-2026-001.toml",
                "owner = \"kofi\"",
                "owner = \"bob\"",
            ),
            Replace(
                "findings/F-2026-001.toml",
                "by = \"nadia\"",
                "by = \"kofi\"",
            ),
        ],
    );
    assert_eq!(
        found,
        ["F-2026-001 was verified by `kofi`, the member of the area `access-control`"],
        "{found:?}"
    );
}

#[test]
fn find007_verified_by_the_root_cause_author() {
    case(
        "find007_verified_by_root_cause_author",
        "FIND007",
        DAY,
        &[
            Replace(
                "findings/F-2026-001.toml",
                "by = \"frank\"\non = 2026-04-08",
                "by = \"grace\"\non = 2026-04-08",
            ),
            Replace(
                "findings/F-2026-001.toml",
                "by = \"nadia\"",
                "by = \"grace\"",
            ),
        ],
    );
}

#[test]
fn find007_an_independent_verifier_passes() {
    clean_of("FIND007", DAY, &[]);
}

/// A plan of `people-security` (due 2027-03-20) starting on `start`.
fn people_plan(start: &str) -> String {
    format!(
        "id = \"IA-2027-01\"\ntitle = \"People security\"\nobjectives = \"Conformity of the HR lifecycle.\"\ncriteria = [\"PRO-HR\"]\nareas = [\"people-security\"]\nlead = \"heidi\"\nstart = {start}\nend = {start}\n"
    )
}

#[test]
fn prog002_a_plan_after_the_due_date_does_not_silence_an_overdue_area() {
    let plan = people_plan("2027-12-01");
    let found = messages(
        "PROG002",
        "2027-04-15",
        &[Write("audits/IA-2027-01/plan.toml", plan.as_bytes())],
    );
    assert!(
        found.contains(&"area `people-security` is overdue for audit since 2027-03-20 (last audited in IA-2026-01, which ended on 2026-03-20)".to_string()),
        "{found:?}"
    );
    let report = only(
        &["PROG002"],
        "2027-04-15",
        &[Write("audits/IA-2027-01/plan.toml", plan.as_bytes())],
    );
    assert!(
        report.contains("IA-2027-01 starts 2027-12-01 after the due date"),
        "{report}"
    );
}

#[test]
fn prog002_a_plan_starting_by_the_due_date_answers_for_the_area() {
    // Without a plan, people-security is announced as due within 30 days on 2027-03-10.
    let unplanned = messages("PROG002", "2027-03-10", &[]);
    assert!(
        unplanned.iter().any(|m| m.contains("people-security")),
        "{unplanned:?}"
    );
    let plan = people_plan("2027-03-15");
    let found = messages(
        "PROG002",
        "2027-03-10",
        &[Write("audits/IA-2027-01/plan.toml", plan.as_bytes())],
    );
    assert!(
        !found.iter().any(|m| m.contains("people-security")),
        "{found:?}"
    );
}

#[test]
fn find010_analysed_without_correction_or_similar() {
    let text = example("findings/F-2026-001.toml");
    let kept: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with("correction = ") && !l.starts_with("similar = "))
        .collect();
    let edited = kept.join("\n") + "\n";
    case(
        "find010_no_correction_or_similar",
        "FIND010",
        DAY,
        &[Write("findings/F-2026-001.toml", edited.as_bytes())],
    );
}

#[test]
fn find010_not_yet_analysed_is_not_asked() {
    // F-2026-010 has no root cause yet (FIND002 watches it) and no correction: not FIND010.
    let text = example("findings/F-2026-010.toml");
    assert!(!text.contains("[root_cause]") && !text.contains("correction = "));
    clean_of("FIND010", DAY, &[]);
}

#[test]
fn find011_nonconformity_without_risk() {
    case(
        "find011_no_risk",
        "FIND011",
        DAY,
        &[Replace(
            "findings/F-2026-005.toml",
            "risk = \"medium\"\n",
            "",
        )],
    );
}

#[test]
fn find011_action_due_later_than_the_risk_allows() {
    // With the default action_days (high = 30), F-2026-007 (high, raised 2026-09-10) has an
    // action due on 2026-12-18.
    let report = only(
        &["FIND011"],
        DAY,
        &[Replace(
            "isms.toml",
            "action_days = { high = 100, medium = 150, low = 180 }\n",
            "",
        )],
    );
    assert!(report.contains("warning[FIND011]: an action of F-2026-007 (high risk) is due on 2026-12-18, more than 30 days after it was raised on 2026-09-10"), "{report}");
    assert!(!report.contains("error["), "{report}");
}

#[test]
fn find011_action_due_on_the_last_allowed_day_passes() {
    // F-2026-007 (high, raised 2026-09-10): 100 days allow 2026-12-19; 99 days end on 2026-12-18.
    clean_of(
        "FIND011",
        DAY,
        &[Replace(
            "isms.toml",
            "action_days = { high = 100,",
            "action_days = { high = 99,",
        )],
    );
    let found = messages(
        "FIND011",
        DAY,
        &[Replace(
            "isms.toml",
            "action_days = { high = 100,",
            "action_days = { high = 98,",
        )],
    );
    assert_eq!(found.len(), 1, "{found:?}");
}

#[test]
fn prog006_a_major_nonconformity_brings_the_next_audit_forward() {
    // people-security (medium: 12 months) was last audited in IA-2026-01, which ended on
    // 2026-03-20; its nonconformity F-2026-002 made major puts it on 6 months.
    case(
        "prog006_major_nonconformity",
        "PROG006",
        "2026-09-21",
        &[Replace(
            "findings/F-2026-002.toml",
            "type = \"minor-nc\"",
            "type = \"major-nc\"",
        )],
    );
}

#[test]
fn prog006_a_minor_nonconformity_keeps_the_area_frequency() {
    let found = codes("2026-09-21", &[]);
    assert!(!found.contains(&"PROG006"), "{found:?}");
    let due = messages("PROG002", "2026-09-21", &[]);
    assert!(
        !due.iter().any(|m| m.contains("people-security")),
        "{due:?}"
    );
}

#[test]
fn competence_evidence_must_exist() {
    let found = messages(
        "REF001",
        DAY,
        &[Replace(
            "people.toml",
            "evidence = \"evidence/people/competence/mike-iso27001-internal-auditor-2025.md\"",
            "evidence = \"evidence/people/competence/mike-certificate.pdf\"",
        )],
    );
    assert_eq!(
        found,
        ["evidence file `evidence/people/competence/mike-certificate.pdf` does not exist"],
        "{found:?}"
    );
    clean_of("REF001", DAY, &[]);
}

/// risks.toml with R-015 (area physical-and-endpoint, rated `low`) at residual `l` x `i`.
fn r015_residual(l: u8, i: u8) -> String {
    let text = example("risks.toml");
    let start = text.find("id = \"R-015\"").unwrap();
    let block_end = start + text[start..].find("reviewed_on").unwrap();
    let block = text[start..block_end]
        .replace(
            "residual_likelihood = 2",
            &format!("residual_likelihood = {l}"),
        )
        .replace("residual_impact = 3", &format!("residual_impact = {i}"));
    format!("{}{block}{}", &text[..start], &text[block_end..])
}

#[test]
fn prog007_area_rated_below_its_residual_risk() {
    let edited = r015_residual(3, 4);
    case(
        "prog007_area_below_residual_risk",
        "PROG007",
        DAY,
        &[Write("risks.toml", edited.as_bytes())],
    );
}

#[test]
fn prog007_a_residual_score_in_the_lowest_band_fits_a_low_area() {
    // 6 of 25 is in the lowest of the four default bands (1-6): `low` is the right rating.
    let edited = r015_residual(2, 3);
    clean_of("PROG007", DAY, &[Write("risks.toml", edited.as_bytes())]);
}
