//! The rules that close the loop (MR, OBJ, INC, SOA009) and the loading of management reviews,
//! objectives, incidents and maturity, on copies of the example ISMS: each case adds or breaks
//! one thing and snapshots the exact report of the rule it tests; each near miss checks that
//! the rule stays silent.

mod common;

use common::{Edit, OBJECTIVES, REVIEW, Remove, Replace, Write, clean_of, codes, only};

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

const NEW_FAMILIES: [&str; 4] = ["MR", "OBJ", "INC", "SOA009"];

const REVIEW_PATH: &str = "management-reviews/MR-2026-10.toml";

fn review(from: &str, to: &str) -> Vec<u8> {
    assert!(REVIEW.contains(from), "{from}");
    REVIEW.replacen(from, to, 1).into_bytes()
}

#[test]
fn the_example_and_a_complete_review_are_clean_of_the_new_rules() {
    let found: Vec<_> = codes(DAY, &[Write(REVIEW_PATH, REVIEW.as_bytes())])
        .into_iter()
        .filter(|c| {
            NEW_FAMILIES.iter().any(|f| c.starts_with(f))
                || c.starts_with("LOAD")
                || c.starts_with("REF")
        })
        .collect();
    assert!(found.is_empty(), "{found:?}");
}

// MR: management review (9.3).

#[test]
fn mr001_latest_review_older_than_the_interval() {
    let old = review("date = 2026-10-14", "date = 2025-10-01");
    case(
        "mr001_overdue",
        "MR001",
        DAY,
        &[
            Write(REVIEW_PATH, &old),
            Remove("management-reviews/MR-2026-04.toml"),
        ],
    );
}

#[test]
fn mr001_a_review_within_the_interval() {
    clean_of(
        "MR001",
        "2027-10-14",
        &[Write(REVIEW_PATH, REVIEW.as_bytes())],
    );
}

/// The example without its management reviews.
const NO_REVIEWS: [Edit<'static>; 2] = [
    Remove("management-reviews/MR-2026-04.toml"),
    Remove(REVIEW_PATH),
];

#[test]
fn mr001_no_review_at_all_a_year_after_the_first_audit_report() {
    // IA-2026-01's report was distributed on 2026-03-30: with no review by 2027-03-30 its results
    // never reached top management (9.3.2 d 3).
    // Without `cycle_start`, the report alone makes the review due.
    let mut edits = NO_REVIEWS.to_vec();
    edits.push(Replace("isms.toml", "cycle_start = 2026-01-01\n", ""));
    case("mr001_never_reviewed_report", "MR001", "2027-03-31", &edits);
}

#[test]
fn mr001_no_review_at_all_after_a_whole_cycle() {
    // No audit report, but the first cycle (2026) is over without a management review.
    let reports: Vec<String> = ["IA-2026-01", "IA-2026-02", "IA-2026-03", "IA-2026-05"]
        .iter()
        .map(|audit| format!("audits/{audit}/report.md"))
        .collect();
    let mut edits = NO_REVIEWS.to_vec();
    edits.extend(
        reports
            .iter()
            .map(|r| Replace(r, "distributed_on", "# distributed_on")),
    );
    case("mr001_never_reviewed_cycle", "MR001", "2027-01-02", &edits);
}

#[test]
fn mr001_no_review_yet_within_the_first_interval() {
    // Without any review, nothing is due before the first cycle ends or a report is a year old.
    clean_of("MR001", "2026-12-31", &NO_REVIEWS);
}

#[test]
fn mr002_an_empty_input() {
    let text = review("feedback = \"No complaints.\"", "feedback = \"  \"");
    case(
        "mr002_empty_input",
        "MR002",
        DAY,
        &[Write(REVIEW_PATH, &text)],
    );
}

#[test]
fn mr002_a_missing_input() {
    let text = review("improvement = \"Automate deprovisioning.\"\n", "");
    case(
        "mr002_missing_input",
        "MR002",
        DAY,
        &[Write(REVIEW_PATH, &text)],
    );
}

#[test]
fn mr003_a_distributed_report_not_reviewed() {
    let text = review(", \"IA-2026-03\"]", "]");
    case(
        "mr003_report_not_reviewed",
        "MR003",
        DAY,
        &[Write(REVIEW_PATH, &text)],
    );
}

#[test]
fn mr003_reports_distributed_after_the_review_are_for_the_next() {
    // IA-2026-03's report was distributed on 2026-09-21: a review on 2026-09-20 need not list it.
    let text = review("date = 2026-10-14", "date = 2026-09-20");
    let text = String::from_utf8(text)
        .unwrap()
        .replace(", \"IA-2026-03\"]", "]");
    clean_of("MR003", DAY, &[Write(REVIEW_PATH, text.as_bytes())]);
}

#[test]
fn mr004_no_top_management_attended() {
    let text = review(
        "chair = \"alice\"\nattendees = [\"alice\", \"bob\", \"dave\"]",
        "chair = \"dave\"\nattendees = [\"dave\", \"judy\"]",
    );
    case(
        "mr004_no_top_management",
        "MR004",
        DAY,
        &[Write(REVIEW_PATH, &text)],
    );
}

#[test]
fn mr004_a_top_manager_as_chair_is_enough() {
    let text = review(
        "attendees = [\"alice\", \"bob\", \"dave\"]",
        "attendees = [\"dave\"]",
    );
    clean_of("MR004", DAY, &[Write(REVIEW_PATH, &text)]);
}

#[test]
fn mr005_an_overdue_decision_and_one_without_owner() {
    let text = review(
        "due = 2027-01-31\n",
        "due = 2026-11-01\n\n[[decision]]\ndescription = \"Review the supplier register\"\n",
    );
    case(
        "mr005_decisions",
        "MR005",
        DAY,
        &[Write(REVIEW_PATH, &text)],
    );
}

#[test]
fn mr005_a_completed_decision_is_not_overdue() {
    let text = review(
        "due = 2027-01-31\n",
        "due = 2026-11-01\ncompleted_on = 2026-11-20\n",
    );
    clean_of("MR005", DAY, &[Write(REVIEW_PATH, &text)]);
}

const EARLIER: &str = r#"id = "MR-2026-04"
date = 2026-04-15
chair = "alice"
attendees = ["alice", "bob"]
audits_reviewed = ["IA-2026-01"]

[inputs]
previous_actions = "None: first review."
changes_in_issues = "-"
interested_parties = "-"
performance = "-"
feedback = "-"
risk = "-"
improvement = "-"

[[decision]]
description = "Hire a second internal auditor"
owner = "alice"
due = 2026-09-30
completed_on = 2026-09-01

[[decision]]
description = "Renew the penetration test contract"
owner = "carol"
due = 2026-10-31
completed_on = 2026-10-01
"#;

#[test]
fn mr006_a_previous_decision_not_followed_up() {
    let text = review(
        "previous_actions = \"MR-2026-04#1 open; MR-2026-04#2, MR-2026-04#3 and MR-2026-04#4 closed.\"",
        "previous_actions = \"MR-2026-04#1 done: dave joined.\"",
    );
    case(
        "mr006_previous_decision_not_mentioned",
        "MR006",
        DAY,
        &[
            Write("management-reviews/MR-2026-04.toml", EARLIER.as_bytes()),
            Write(REVIEW_PATH, &text),
        ],
    );
}

#[test]
fn mr006_decisions_mentioned_by_tag_or_description() {
    let text = review(
        "previous_actions = \"MR-2026-04#1 open; MR-2026-04#2, MR-2026-04#3 and MR-2026-04#4 closed.\"",
        "previous_actions = \"MR-2026-04#1 done. Renew the penetration  test contract: done.\"",
    );
    clean_of(
        "MR006",
        DAY,
        &[
            Write("management-reviews/MR-2026-04.toml", EARLIER.as_bytes()),
            Write(REVIEW_PATH, &text),
        ],
    );
}

// OBJ: objectives (6.2, 9.1).

fn objectives(from: &str, to: &str) -> Vec<u8> {
    assert!(OBJECTIVES.contains(from), "{from}");
    OBJECTIVES.replacen(from, to, 1).into_bytes()
}

#[test]
fn obj001_an_objective_without_method_or_due_date() {
    let text = objectives(
        "method = \"monthly IdP export against the HR leaver list\"\n",
        "",
    );
    let text = String::from_utf8(text)
        .unwrap()
        .replace("due = 2026-12-31\n", "");
    case(
        "obj001_not_measurable",
        "OBJ001",
        DAY,
        &[Write("objectives.toml", text.as_bytes())],
    );
}

#[test]
fn obj001_a_complete_objective() {
    clean_of(
        "OBJ001",
        DAY,
        &[Write("objectives.toml", OBJECTIVES.as_bytes())],
    );
}

#[test]
fn obj002_not_evaluated_within_its_frequency() {
    // Last result 2026-10-31, monthly: the next was due 2026-11-30.
    case(
        "obj002_not_evaluated",
        "OBJ002",
        "2026-12-01",
        &[Write("objectives.toml", OBJECTIVES.as_bytes())],
    );
}

#[test]
fn obj002_evaluation_due_today_is_not_late() {
    clean_of(
        "OBJ002",
        "2026-11-30",
        &[Write("objectives.toml", OBJECTIVES.as_bytes())],
    );
}

#[test]
fn obj003_a_missed_target_nobody_follows_up() {
    let text = objectives(
        "value = \"99%\"\nmet = true",
        "value = \"96%\"\nmet = false",
    );
    case(
        "obj003_missed_target",
        "OBJ003",
        DAY,
        &[Write("objectives.toml", &text)],
    );
}

#[test]
fn obj003_a_management_review_decision_names_the_objective() {
    let text = objectives(
        "value = \"99%\"\nmet = true",
        "value = \"96%\"\nmet = false",
    );
    let decided = review(
        "description = \"Fund automated deprovisioning\"",
        "description = \"OBJ-01 missed: fund automated deprovisioning\"",
    );
    clean_of(
        "OBJ003",
        DAY,
        &[
            Write("objectives.toml", &text),
            Write(REVIEW_PATH, &decided),
        ],
    );
}

// INC: incidents (A.5.24-A.5.28).

const INCIDENT: &str = r#"id = "INC-2026-009"
title = "Leaked CI token used to read a staging bucket"
severity = "high"
detected_on = 2026-05-02
resolved_on = 2026-05-03
areas = ["cloud-operations"]
controls = ["A.8.5"]
summary = "A CI token in a build log was used to list a staging bucket."

[review]
on = 2026-05-20
by = "judy"
lessons = "CI tokens are now short-lived."
"#;

const INCIDENT_PATH: &str = "incidents/INC-2026-009.toml";

fn incident(from: &str, to: &str) -> Vec<u8> {
    assert!(INCIDENT.contains(from), "{from}");
    INCIDENT.replacen(from, to, 1).into_bytes()
}

const NO_REVIEW: (&str, &str) = (
    "[review]\non = 2026-05-20\nby = \"judy\"\nlessons = \"CI tokens are now short-lived.\"\n",
    "",
);

#[test]
fn inc001_a_high_incident_without_review() {
    let text = incident(NO_REVIEW.0, NO_REVIEW.1);
    case(
        "inc001_no_review",
        "INC001",
        DAY,
        &[Write(INCIDENT_PATH, &text)],
    );
}

#[test]
fn inc001_a_late_review() {
    let text = incident("on = 2026-05-20", "on = 2026-07-20");
    case(
        "inc001_late_review",
        "INC001",
        DAY,
        &[Write(INCIDENT_PATH, &text)],
    );
}

#[test]
fn inc001_a_medium_incident_needs_no_review_by_default() {
    let text = incident(NO_REVIEW.0, NO_REVIEW.1);
    let text = String::from_utf8(text)
        .unwrap()
        .replace("\"high\"", "\"medium\"");
    clean_of("INC001", DAY, &[Write(INCIDENT_PATH, text.as_bytes())]);
}

#[test]
fn inc002_no_audit_validated_the_changes_in_time() {
    // Reviewed 2026-03-17, audit_months = 3: due 2026-06-17; IA-2026-01, which assesses A.8.5,
    // started before the review, IA-2026-02 does not assess it, IA-2026-03 started 2026-09-07.
    let text = incident("on = 2026-05-20", "on = 2026-03-17");
    let text = String::from_utf8(text)
        .unwrap()
        .replace("lessons", "audit = \"IA-2026-03\"\nlessons");
    case(
        "inc002_not_validated",
        "INC002",
        DAY,
        &[
            Write(INCIDENT_PATH, text.as_bytes()),
            // The example's INC-2026-003 was validated 3 months and 4 days after its review.
            Remove("incidents/INC-2026-003.toml"),
            Replace(
                "isms.toml",
                "[findings]",
                "[incidents]\naudit_months = 3\n\n[findings]",
            ),
        ],
    );
}

#[test]
fn inc002_an_audit_after_the_review_assessed_its_controls() {
    // Reviewed 2026-05-20: IA-2026-03 (2026-09-07 to 2026-09-11) assesses A.8.5 in time.
    clean_of("INC002", DAY, &[Write(INCIDENT_PATH, INCIDENT.as_bytes())]);
}

// SOA009: control maturity.

#[test]
fn soa009_the_soa_claims_more_than_the_audit_found() {
    // The SoA claims 3 (defined) for A.5.18; its latest audit, IA-2026-03, now finds 2.
    case(
        "soa009_maturity_above_audit",
        "SOA009",
        DAY,
        &[Replace(
            "audits/IA-2026-03/checklist.toml",
            "maturity = 3\nevidence = \"Sampled all 12 leavers",
            "maturity = 2\nevidence = \"Sampled all 12 leavers",
        )],
    );
}

#[test]
fn soa009_the_soa_claims_what_the_audit_found() {
    // The SoA claims 4 for A.5.15 as IA-2026-03 found; an earlier audit's lower assessment no
    // longer counts.
    let soa = std::fs::read_to_string(common::fixture("example").join("soa.toml")).unwrap();
    let entry = soa
        .split("[[control]]")
        .find(|c| c.contains("id = \"A.5.15\""))
        .unwrap();
    assert!(entry.contains("\nmaturity = 4\n"), "{entry}");
    clean_of(
        "SOA009",
        DAY,
        &[Replace(
            "audits/IA-2026-01/checklist.toml",
            "ref = \"A.5.15\"\n",
            "ref = \"A.5.15\"\nmaturity = 1\n",
        )],
    );
}

// Loading: LOAD and REF for the new objects.

#[test]
fn load002_maturity_out_of_range_and_unknown_severity() {
    let bad = incident("severity = \"high\"", "severity = \"severe\"");
    case(
        "load002_new_objects",
        "LOAD002",
        DAY,
        &[
            Replace(
                "soa.toml",
                "id = \"A.7.6\"\n",
                "id = \"A.7.6\"\nmaturity = 7\n",
            ),
            Write(INCIDENT_PATH, &bad),
        ],
    );
}

#[test]
fn load003_duplicate_objective_ids() {
    let twice = format!(
        "{OBJECTIVES}\n{}",
        OBJECTIVES.replace(
            "[[objective.result]]\non = 2026-10-31\nvalue = \"99%\"\nmet = true\n",
            ""
        )
    );
    case(
        "load003_duplicate_objective",
        "LOAD003",
        DAY,
        &[Write("objectives.toml", twice.as_bytes())],
    );
}

#[test]
fn ref001_unknown_people_audits_and_objectives() {
    let text = review(
        "attendees = [\"alice\", \"bob\", \"dave\"]",
        "attendees = [\"alice\", \"bobb\"]\nobjectives_reviewed = [\"OBJ-99\"]",
    );
    let inc = incident("by = \"judy\"", "by = \"judie\"\naudit = \"IA-2026-33\"");
    case(
        "ref001_new_objects",
        "REF001",
        DAY,
        &[Write(REVIEW_PATH, &text), Write(INCIDENT_PATH, &inc)],
    );
}

// PROG006: a serious incident raises its area's audit frequency (9.2.2, section 2.1).

/// A high incident of `people-security` (medium risk: 12 months; last audited in IA-2026-01,
/// which ended on 2026-03-20), detected on `detected_on` with `severity`.
fn people_incident(detected_on: &str, severity: &str) -> Vec<u8> {
    let text = String::from_utf8(incident(
        "areas = [\"cloud-operations\"]",
        "areas = [\"people-security\"]",
    ))
    .unwrap();
    text.replace(
        "detected_on = 2026-05-02",
        &format!("detected_on = {detected_on}"),
    )
    .replace("severity = \"high\"", &format!("severity = \"{severity}\""))
    .into_bytes()
}

#[test]
fn prog006_a_high_incident_since_the_last_audit_makes_the_area_due_at_high_frequency() {
    // Escalated to 6 months: due 2026-09-20, overdue on 2026-11-27 with nothing planned.
    let text = people_incident("2026-05-02", "high");
    case(
        "prog006_incident",
        "PROG006",
        DAY,
        &[Write(INCIDENT_PATH, &text)],
    );
}

#[test]
fn prog006_a_medium_incident_or_one_before_the_last_audit_does_not() {
    clean_of(
        "PROG006",
        DAY,
        &[Write(
            INCIDENT_PATH,
            &people_incident("2026-05-02", "medium"),
        )],
    );
    // Detected before IA-2026-01 ended: that audit already followed it.
    clean_of(
        "PROG006",
        DAY,
        &[Write(
            INCIDENT_PATH,
            &people_incident("2026-03-01", "critical"),
        )],
    );
}
