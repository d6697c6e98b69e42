//! Fitting a real organisation: risk scales, levels and acceptance by level, audit kinds,
//! finding ratings and fiscal audit ids, on copies of the example ISMS.
//! Each case breaks one thing and snapshots the exact report of the rule it tests; each near
//! miss checks that the rule stays silent.

mod common;

use common::{Edit, Replace, clean_of, only};

/// The day the example describes.
const DAY: &str = "2026-11-27";

/// The report of `code` alone, snapshotted under this file's name; the rule must have fired.
fn case(name: &str, code: &str, edits: &[Edit]) {
    let report = only(&[code], DAY, edits);
    assert!(
        report.contains(&format!("[{code}]")),
        "{code} did not fire:\n{report}"
    );
    insta::assert_snapshot!(name, report);
}

/// Adds tables to isms.toml after `[risk]` (before `[independence]`).
fn risk_tables(tables: &'static str) -> Edit<'static> {
    Replace("isms.toml", "\n[independence]\n", tables)
}

// ---- risk scales ----------------------------------------------------------------------

#[test]
fn risk001_impact_outside_its_own_scale() {
    // Likelihood 1-6 by impact 1-4: R-001's impact 5 is outside, its likelihood 4 is not.
    case(
        "risk001_separate_scales",
        "RISK001",
        &[Replace(
            "isms.toml",
            "scale = 5\n",
            "likelihood_scale = 6\nimpact_scale = 4\n",
        )],
    );
}

#[test]
fn risk001_near_miss_likelihood_six_on_a_six_point_scale() {
    clean_of(
        "RISK001",
        DAY,
        &[
            Replace(
                "isms.toml",
                "scale = 5\n",
                "likelihood_scale = 6\nimpact_scale = 5\n",
            ),
            Replace(
                "risks.toml",
                "likelihood = 4\nimpact = 5\ntreatment = \"modify\"\ncontrols = [\"A.5.15\"",
                "likelihood = 6\nimpact = 5\ntreatment = \"modify\"\ncontrols = [\"A.5.15\"",
            ),
        ],
    );
}

// ---- levels and acceptance --------------------------------------------------------------

/// R-001 (residual 2 x 4 = 8) and R-002 (2 x 5 = 10) are `high` with these levels.
const LEVELS: &str = "\n[risk.levels]\nlow = 4\nmedium = 7\nhigh = 12\n\n[risk.acceptance]\nhigh = [\"owner\", \"alice\"]\ncritical = [\"owner\", \"top_management\"]\n\n[independence]\n";

#[test]
fn risk003_a_high_risk_not_accepted_by_level() {
    case("risk003_by_level", "RISK003", &[risk_tables(LEVELS)]);
}

#[test]
fn risk004_accepted_by_the_owner_but_not_by_everyone_the_level_asks_for() {
    case("risk004_by_level", "RISK004", &[risk_tables(LEVELS)]);
}

/// R-002 accepted by its owner and by alice, as `[risk.acceptance] high` in LEVELS asks.
const BOTH_ACCEPT: Edit = Replace(
    "risks.toml",
    "accepted_by = \"bob\"\naccepted_on = 2026-09-28\nreviewed_on = 2026-09-28\n\n[[risk]]\nid = \"R-003\"",
    "accepted_by = [\"bob\", \"alice\"]\naccepted_on = 2026-09-28\nreviewed_on = 2026-09-28\n\n[[risk]]\nid = \"R-003\"",
);

#[test]
fn risk004_near_miss_every_entry_satisfied_by_a_list() {
    // R-004 and R-006 still lack alice; R-002 no longer does.
    let report = only(
        &["RISK004", "REF001"],
        DAY,
        &[risk_tables(LEVELS), BOTH_ACCEPT],
    );
    assert!(report.contains("R-004"), "{report}");
    assert!(!report.contains("R-002"), "{report}");
    assert!(!report.contains("REF001"), "{report}");
}

#[test]
fn risk003_near_miss_a_level_without_an_acceptance_entry_needs_none() {
    // Everything is `low` or `medium` and only `critical` needs acceptance.
    clean_of(
        "RISK003",
        DAY,
        &[risk_tables(
            "\n[risk.acceptance]\ncritical = [\"owner\", \"top_management\"]\n\n[independence]\n",
        )],
    );
}

#[test]
fn ref001_an_acceptance_entry_that_names_nobody() {
    case(
        "ref001_acceptance_entry",
        "REF001",
        &[risk_tables(
            "\n[risk.acceptance]\nhigh = [\"owner\", \"vp-security\"]\n\n[independence]\n",
        )],
    );
}

#[test]
fn load002_levels_that_do_not_rise() {
    case(
        "load002_levels_not_rising",
        "LOAD002",
        &[risk_tables(
            "\n[risk.levels]\nlow = 10\nmedium = 8\nhigh = 30\n\n[independence]\n",
        )],
    );
}

#[test]
fn load002_near_miss_levels_that_rise_within_the_range() {
    clean_of(
        "LOAD002",
        DAY,
        &[risk_tables(
            "\n[risk.levels]\nlow = 6\nmedium = 12\nhigh = 20\n\n[independence]\n",
        )],
    );
}

// ---- review by level ----------------------------------------------------------------

#[test]
fn risk005_a_high_risk_reviewed_less_often_than_its_level_asks() {
    case(
        "risk005_review_by_level",
        "RISK005",
        &[
            Replace(
                "isms.toml",
                "review_months = 12\n",
                "review_months = { low = 24, medium = 12, high = 2 }\n",
            ),
            risk_tables("\n[risk.levels]\nlow = 4\nmedium = 7\nhigh = 12\n\n[independence]\n"),
        ],
    );
}

#[test]
fn risk005_near_miss_low_risks_reviewed_every_two_years() {
    // With every score `low`, a 24-month period leaves all reviews of the last year current.
    clean_of(
        "RISK005",
        DAY,
        &[
            Replace(
                "isms.toml",
                "review_months = 12\n",
                "review_months = { low = 24, high = 1 }\n",
            ),
            risk_tables("\n[risk.levels]\nlow = 25\n\n[independence]\n"),
        ],
    );
}

// ---- PROG007 follows the levels -----------------------------------------------------

#[test]
fn prog007_an_area_below_the_level_of_its_risks() {
    // access-control holds R-002 (residual 10), `high` once `high` starts above 7.
    case(
        "prog007_by_levels",
        "PROG007",
        &[risk_tables(
            "\n[risk.levels]\nlow = 4\nmedium = 7\nhigh = 12\n\n[independence]\n",
        )],
    );
}

#[test]
fn prog007_near_miss_the_same_register_with_wider_bands() {
    clean_of(
        "PROG007",
        DAY,
        &[risk_tables(
            "\n[risk.levels]\nlow = 10\nmedium = 20\n\n[independence]\n",
        )],
    );
}

// ---- fiscal audit ids -----------------------------------------------------------------

/// The example with fiscal years from 1 February and fiscal audit ids.
const FISCAL: Edit = Replace(
    "isms.toml",
    "cycle_start = 2026-01-01\n",
    "cycle_start = 2026-02-01\nid_format = \"IA-FY{fy}-{n:02}\"\n",
);

/// `isms new audit` of the ISMS office starting on `start`, run on `s`: its standard output.
fn new_audit(s: &common::Scratch, home: &std::path::Path, start: &str) -> String {
    let path = s.path().to_str().unwrap();
    let args = [
        "new",
        "audit",
        "--path",
        path,
        "--areas",
        "isms-office",
        "--start",
        start,
        "--lead",
        "dave",
        "--force",
    ];
    let out = common::isms_at_home(home, &args).success();
    String::from_utf8_lossy(&out.get_output().stdout).into_owned()
}

#[test]
fn new_audit_names_audits_by_fiscal_year() {
    let s = common::Scratch::new("example", &[FISCAL]);
    let home = tempfile::tempdir().unwrap();
    // 2026-12-14 lies in the fiscal year 2026-02-01 to 2027-01-31: FY27.
    let first = new_audit(&s, home.path(), "2026-12-14");
    assert!(first.contains("New audit IA-FY27-01"), "{first}");
    assert!(s.path().join("audits/IA-FY27-01/plan.toml").exists());
    let second = new_audit(&s, home.path(), "2026-12-14");
    assert!(second.contains("New audit IA-FY27-02"), "{second}");
}

#[test]
fn new_audit_near_miss_the_default_keeps_calendar_ids() {
    let s = common::Scratch::new("example", &[]);
    let home = tempfile::tempdir().unwrap();
    let out = new_audit(&s, home.path(), "2027-01-18");
    assert!(out.contains("New audit IA-2027-01"), "{out}");
}

#[test]
fn load002_an_id_format_without_a_sequence_number() {
    case(
        "load002_id_format",
        "LOAD002",
        &[Replace(
            "isms.toml",
            "cycle_start = 2026-01-01\n",
            "cycle_start = 2026-01-01\nid_format = \"IA-FY{fy}\"\n",
        )],
    );
}

// ---- audit kinds ------------------------------------------------------------------------

/// A surveillance audit by the certification body, transcribed by alice: a plan with no
/// checklist, and the body's report with front matter and no sections of ours.
const SURVEILLANCE_PLAN: &str = r#"id = "CB-2026-S1"
title = "Surveillance audit 1 (certification body)"
kind = "surveillance"
transcribed_by = "alice"
objectives = "Surveillance of the certified ISMS."
criteria = ["ISO/IEC 27001:2022"]
areas = ["isms-office"]
clauses = ["9.2.2"]
controls = ["A.5.1"]
lead = "paula"
start = 2026-10-05
end = 2026-10-06
notified = ["alice"]
notified_on = 2026-09-01
"#;

const SURVEILLANCE_REPORT: &str = "+++\naudit = \"CB-2026-S1\"\ndate = 2026-10-09\nconclusion = \"effective\"\ndistributed_to = [\"alice\", \"bob\", \"carol\", \"dave\"]\ndistributed_on = 2026-10-12\n+++\n# Surveillance audit report\n\nThe certification body's report is evidence/cb-2026-s1.pdf.\n";

fn surveillance() -> [Edit<'static>; 2] {
    [
        common::Write("audits/CB-2026-S1/plan.toml", SURVEILLANCE_PLAN.as_bytes()),
        common::Write(
            "audits/CB-2026-S1/report.md",
            SURVEILLANCE_REPORT.as_bytes(),
        ),
    ]
}

#[test]
fn an_external_audit_keeps_its_records_without_internal_audit_rules() {
    // No required report sections (AUD006), no checklist items (AUD002), no auditor
    // competence of ours (PLAN003) for the certification body's auditor.
    let report = only(
        &["AUD002", "AUD006", "AUD008", "PLAN003", "REF001", "LOAD002"],
        DAY,
        &surveillance(),
    );
    assert!(!report.contains("CB-2026-S1"), "{report}");
}

#[test]
fn aud006_near_miss_reversed_the_same_report_as_an_internal_audit_lacks_sections() {
    let internal = SURVEILLANCE_PLAN.replace("kind = \"surveillance\"\n", "");
    let report = only(
        &["AUD006"],
        DAY,
        &[
            common::Write("audits/CB-2026-S1/plan.toml", internal.as_bytes()),
            common::Write(
                "audits/CB-2026-S1/report.md",
                SURVEILLANCE_REPORT.as_bytes(),
            ),
        ],
    );
    assert!(report.contains("CB-2026-S1"), "{report}");
}

#[test]
fn prog004_an_external_audit_does_not_cover_the_programme() {
    // IA-2026-03 audited the management system; entered as the certification body's audit,
    // its clauses and controls are no longer covered by internal audits.
    case(
        "prog_external_audit_does_not_cover",
        "PROG003",
        &[Replace(
            "audits/IA-2026-03/plan.toml",
            "id = \"IA-2026-03\"\n",
            "id = \"IA-2026-03\"\nkind = \"certification\"\n",
        )],
    );
}

#[test]
fn ind003_ind004_do_not_apply_to_an_external_audit_transcribed_by_the_isms_team() {
    // One commit by alice (not an auditor of either audit) writes every record.
    let s = common::Scratch::new("example", &surveillance());
    s.commit_all("alice.whitfield@acme-medtech.example");
    let ws = isms::workspace::Workspace::find(Some(s.path())).unwrap();
    let options = isms::check::Options {
        today: isms::model::Date::parse(DAY).unwrap(),
        git: isms::check::GitMode::Head,
        cache: false,
    };
    let out = isms::check::run_with(&ws, &options).unwrap();
    let ind: Vec<String> = out
        .diagnostics
        .iter()
        .filter(|d| matches!(d.code(), "IND003" | "IND004"))
        .map(|d| d.message.clone())
        .collect();
    assert!(
        ind.iter().any(|m| m.contains("IA-2026-03")),
        "the internal audits' records are still judged: {ind:?}"
    );
    assert!(!ind.iter().any(|m| m.contains("CB-2026-S1")), "{ind:?}");
}

// ---- finding ratings --------------------------------------------------------------------

/// The organisation's ratings, added after `[findings]` (the last table of isms.toml).
fn ratings(medium_months: u32) -> String {
    format!(
        "action_days = {{ high = 100, medium = 150, low = 180 }}\n\n[findings.ratings]\nhigh = {{ type = \"major-nc\", deadline_months = 3 }}\nmedium = {{ type = \"minor-nc\", deadline_months = {medium_months} }}\nlow = {{ type = \"observation\", deadline_months = 18 }}\n"
    )
}

/// isms.toml with the ratings, and F-2026-010 (a minor nonconformity) rated `rating`.
fn rated<'a>(tables: &'a str, rating: &'a str) -> [Edit<'a>; 2] {
    [
        Replace(
            "isms.toml",
            "action_days = { high = 100, medium = 150, low = 180 }\n",
            tables,
        ),
        Replace("findings/F-2026-010.toml", "type = \"minor-nc\"\n", rating),
    ]
}

#[test]
fn find013_a_rating_of_another_type() {
    let tables = ratings(12);
    case(
        "find013_rating_type",
        "FIND013",
        &rated(&tables, "type = \"minor-nc\"\nrating = \"high\"\n"),
    );
}

#[test]
fn find013_an_unknown_rating() {
    let tables = ratings(12);
    case(
        "find013_unknown_rating",
        "FIND013",
        &rated(&tables, "type = \"minor-nc\"\nrating = \"meduim\"\n"),
    );
}

#[test]
fn find013_near_miss_a_rating_of_the_same_type() {
    let tables = ratings(12);
    clean_of(
        "FIND013",
        DAY,
        &rated(&tables, "type = \"minor-nc\"\nrating = \"medium\"\n"),
    );
}

#[test]
fn prog005_follows_the_rating_deadline() {
    // Raised on 2026-11-18 and rated with a one-month deadline: supplier-management must be
    // re-audited by 2026-12-18, and nothing is planned (nc_followup_months alone gives May).
    let tables = ratings(1);
    let report = only(
        &["PROG005"],
        DAY,
        &rated(&tables, "type = \"minor-nc\"\nrating = \"medium\"\n"),
    );
    assert!(report.contains("F-2026-010"), "{report}");
    insta::assert_snapshot!("prog005_rating_deadline", report);
}

#[test]
fn prog005_near_miss_unrated_the_generic_period_applies() {
    let tables = ratings(1);
    let report = only(&["PROG005"], DAY, &rated(&tables, "type = \"minor-nc\"\n"));
    assert!(!report.contains("F-2026-010"), "{report}");
}

#[test]
fn find008_a_rated_finding_past_its_deadline() {
    let tables = ratings(1);
    let edits = rated(&tables, "type = \"minor-nc\"\nrating = \"medium\"\n");
    let report = only(&["FIND008"], "2027-01-10", &edits);
    assert!(report.contains("F-2026-010"), "{report}");
    insta::assert_snapshot!("find008_rating_deadline", report);
    // Near miss: the same finding with a twelve-month rating is within its deadline.
    let tables = ratings(12);
    let edits = rated(&tables, "type = \"minor-nc\"\nrating = \"medium\"\n");
    let report = only(&["FIND008"], "2027-01-10", &edits);
    assert!(!report.contains("F-2026-010"), "{report}");
}

// ---- the site's dashboard -------------------------------------------------------------

/// The page `page` of the site of the edited example, built without git on the example's day.
fn site_page(edits: &[Edit], page: &str) -> String {
    let s = common::Scratch::new("example", edits);
    let out = tempfile::tempdir().unwrap();
    assert_cmd::Command::cargo_bin("isms")
        .unwrap()
        .args(["build", "--no-git", "--today", DAY, "--out"])
        .arg(out.path().join("site"))
        .arg(s.path())
        .assert()
        .success();
    std::fs::read_to_string(out.path().join("site").join(page)).unwrap()
}

/// The dashboard's sentence when no risk needs acceptance: with `[risk.acceptance]` the
/// threshold no longer decides, so the sentence must not quote it.
fn dashboard_risks(edits: &[Edit]) -> String {
    let index = site_page(edits, "index.html");
    let start = index.find("Risks above acceptance").unwrap();
    index[start..start + index[start..].find("</section>").unwrap()].to_string()
}

#[test]
fn the_dashboard_says_no_risk_needs_acceptance_by_level_without_quoting_the_threshold() {
    let card = dashboard_risks(&[risk_tables(
        "\n[risk.acceptance]\ncritical = [\"owner\", \"top_management\"]\n\n[independence]\n",
    )]);
    assert!(
        card.contains(
            "No residual risk is at a level that [risk.acceptance] asks someone to accept."
        ),
        "{card}"
    );
    assert!(!card.contains("at or below"), "{card}");
}

#[test]
fn the_dashboard_quotes_the_threshold_without_acceptance_levels() {
    let card = dashboard_risks(&[Replace(
        "isms.toml",
        "acceptance_threshold = 8",
        "acceptance_threshold = 25",
    )]);
    assert!(
        card.contains("Every residual risk is at or below 25."),
        "{card}"
    );
}

// ---- deadlines by rating: a medium finding with twelve months ----------------------------

/// Six months and a few days after F-2026-010 was raised (2026-11-18): past the generic
/// `nc_followup_months`, well within a twelve-month rating.
const AT_SIX_MONTHS: &str = "2027-05-25";
/// A day past the twelve months of the rating.
const PAST_TWELVE_MONTHS: &str = "2027-11-19";

/// The lines of `code`'s report that name F-2026-010, checked on `day` with F-2026-010 rated
/// `medium` (twelve months) and its corrective action planned without a due date of its own.
fn rated_twelve_months(code: &str, day: &str) -> String {
    let tables = ratings(12);
    let [config, rating] = rated(&tables, "type = \"minor-nc\"\nrating = \"medium\"\n");
    only(
        &[code],
        day,
        &[
            config,
            rating,
            Replace(
                "findings/F-2026-010.toml",
                "risk = \"medium\"\n",
                "risk = \"medium\"\n\n[root_cause]\nanalysis = \"Supplier reviews are not scheduled.\"\nby = \"carol\"\non = 2026-11-20\n\n[[action]]\ndescription = \"Schedule supplier reviews in the register.\"\nowner = \"carol\"\n",
            ),
        ],
    )
    .lines()
    .filter(|l| l.contains("F-2026-010"))
    .collect::<Vec<_>>()
    .join("\n")
}

/// `code` stays silent at six months and reports F-2026-010 as `severity`, saying `expected`,
/// a day past the twelve months.
fn silent_at_six_reported_past_twelve(code: &str, severity: &str, expected: &str) {
    assert_eq!(rated_twelve_months(code, AT_SIX_MONTHS), "");
    let past = rated_twelve_months(code, PAST_TWELVE_MONTHS);
    assert!(past.contains(&format!("{severity}[{code}]")), "{past}");
    assert!(past.contains(expected), "{past}");
}

#[test]
fn prog005_a_twelve_month_rating_is_not_reported_at_six_months() {
    silent_at_six_reported_past_twelve("PROG005", "error", "by 2027-11-18, 12 months");
}

#[test]
fn find008_a_twelve_month_rating_is_not_reported_at_six_months() {
    silent_at_six_reported_past_twelve("FIND008", "error", "past its deadline of 12 months");
}

#[test]
fn find004_an_action_without_a_due_date_falls_due_at_the_rating_deadline() {
    silent_at_six_reported_past_twelve(
        "FIND004",
        "warning",
        "was due on 2027-11-18, the deadline of its rating `medium`",
    );
}

/// The "Next due" of supplier-management's area page, on the example's day.
fn supplier_management_next_due(edits: &[Edit]) -> String {
    let page = site_page(edits, "areas/supplier-management.html");
    let start = page.find("<dt>Next due</dt><dd>").unwrap() + "<dt>Next due</dt><dd>".len();
    page[start..start + page[start..].find("</dd>").unwrap()].to_string()
}

#[test]
fn the_site_dates_the_next_audit_by_the_rating_deadline() {
    let unrated = supplier_management_next_due(&[]);
    assert_eq!(unrated, "2027-05-18", "nc_followup_months after 2026-11-18");
    let tables = ratings(1);
    let rated_one_month = supplier_management_next_due(&rated(
        &tables,
        "type = \"minor-nc\"\nrating = \"medium\"\n",
    ));
    assert_eq!(rated_one_month, "2026-12-18");
}

#[test]
fn find003_near_miss_a_rated_action_needs_no_date_of_its_own() {
    assert_eq!(rated_twelve_months("FIND003", AT_SIX_MONTHS), "");
}

// ---- closure by risk acceptance (FIND014) ------------------------------------------------

/// F-2026-010 (a minor nonconformity of supplier-management) analysed, then closed by
/// accepting a risk with `closure` (the lines after `basis`).
fn accepted(closure: &str) -> Edit<'_> {
    Replace("findings/F-2026-010.toml", "risk = \"medium\"\n", closure)
}

const ANALYSED: &str = "risk = \"medium\"\ncorrection = \"TextBridge review opened as SUP-51.\"\nsimilar = \"No other supplier is past its review.\"\n\n[root_cause]\nanalysis = \"The register has no review reminders.\"\nby = \"carol\"\non = 2026-11-20\n";

fn accepted_closure(kind: &str, tail: &str) -> String {
    format!(
        "{}\n[closure]\nby = \"dave\"\non = 2026-11-25\nbasis = \"risk-accepted\"\n{tail}",
        ANALYSED.replace("risk = \"medium\"\n", &format!("risk = \"medium\"\n{kind}"))
    )
}

#[test]
fn find014_near_miss_a_minor_nonconformity_accepted_by_the_risk_owner_is_closed() {
    // R-002 is bob's; without [risk.acceptance] its owner accepts. No verification is needed,
    // no action is due, and the area needs no re-audit for it.
    let closure = accepted_closure("", "risk = \"R-002\"\naccepted_by = \"bob\"\n");
    let found = common::codes(DAY, &[accepted(&closure)]);
    for code in ["FIND014", "FIND005", "FIND003", "FIND009", "REF001"] {
        assert!(!found.contains(&code), "{code} fired: {found:?}");
    }
    let prog = only(&["PROG005"], "2027-06-01", &[accepted(&closure)]);
    assert!(!prog.contains("F-2026-010"), "{prog}");
}

#[test]
fn find005_without_the_basis_the_same_closure_is_unverified() {
    let closure = accepted_closure("", "risk = \"R-002\"\naccepted_by = \"bob\"\n").replace(
        "basis = \"risk-accepted\"\nrisk = \"R-002\"\naccepted_by = \"bob\"\n",
        "",
    );
    let found = common::codes(DAY, &[accepted(&closure)]);
    assert!(found.contains(&"FIND005"), "{found:?}");
}

#[test]
fn find014_accepted_by_someone_the_level_does_not_allow() {
    let closure = accepted_closure("", "risk = \"R-002\"\naccepted_by = \"carol\"\n");
    case("find014_wrong_acceptor", "FIND014", &[accepted(&closure)]);
}

#[test]
fn find014_acceptance_by_level_asks_for_everyone_listed() {
    // R-002's residual 10 is `high` with these levels; high asks for the owner and alice.
    let closure = accepted_closure("", "risk = \"R-002\"\naccepted_by = \"bob\"\n");
    let levels = risk_tables(
        "\n[risk.levels]\nlow = 4\nmedium = 8\nhigh = 16\n\n[risk.acceptance]\nhigh = [\"owner\", \"alice\"]\n\n[independence]\n",
    );
    case(
        "find014_level_acceptance",
        "FIND014",
        &[accepted(&closure), levels],
    );
    let both = accepted_closure("", "risk = \"R-002\"\naccepted_by = [\"bob\", \"alice\"]\n");
    clean_of("FIND014", DAY, &[accepted(&both), levels]);
}

#[test]
fn find014_a_major_nonconformity_is_not_closed_by_acceptance() {
    let closure = accepted_closure("", "risk = \"R-002\"\naccepted_by = \"bob\"\n");
    let major = Replace(
        "findings/F-2026-010.toml",
        "type = \"minor-nc\"",
        "type = \"major-nc\"",
    );
    case("find014_major", "FIND014", &[accepted(&closure), major]);
    // It stays open: FIND008 counts on, past major_max_days.
    let found = common::codes("2027-03-01", &[accepted(&closure), major]);
    assert!(found.contains(&"FIND008"), "{found:?}");
}

#[test]
fn find014_an_acceptance_that_names_no_risk() {
    let closure = accepted_closure("", "accepted_by = \"bob\"\n");
    case("find014_no_risk", "FIND014", &[accepted(&closure)]);
}

#[test]
fn ref001_an_accepted_risk_that_does_not_exist() {
    let closure = accepted_closure("", "risk = \"R-099\"\naccepted_by = \"bob\"\n");
    let report = only(&["REF001"], DAY, &[accepted(&closure)]);
    assert!(
        report.contains("`closure.risk` names the unknown risk `R-099`"),
        "{report}"
    );
}

#[test]
fn the_finding_page_says_the_risk_was_accepted_and_by_whom() {
    let closure = accepted_closure("", "risk = \"R-002\"\naccepted_by = \"bob\"\n");
    let page = site_page(&[accepted(&closure)], "findings/F-2026-010.html");
    assert!(
        page.contains(", by accepting the risk <a href=\"../risks.html#r-R-002\""),
        "{page}"
    );
    assert!(page.contains("instead of corrective action."), "{page}");
    // Closed, without the steps of correction it skipped.
    assert!(page.contains("<li class=\"done\">closed</li>"), "{page}");
    assert!(page.contains("<li class=\"\">verified</li>"), "{page}");
}

#[test]
fn the_findings_export_says_who_accepted_which_risk() {
    let closure = accepted_closure("", "risk = \"R-002\"\naccepted_by = \"bob\"\n");
    let s = common::Scratch::new("example", &[accepted(&closure)]);
    let out = assert_cmd::Command::cargo_bin("isms")
        .unwrap()
        .args(["export", "findings", "--today", DAY])
        .arg(s.path())
        .assert()
        .success();
    let csv = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let row = csv.lines().find(|l| l.starts_with("F-2026-010,")).unwrap();
    assert!(row.contains(",closed,"), "{row}");
    assert!(
        row.contains("risk accepted (R-002) by Bob Achterberg"),
        "{row}"
    );
}
