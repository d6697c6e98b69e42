//! The organisation's own controls and teams end to end (issue 20): `isms new control`, one
//! mapping mechanism with the framework packs, audits and findings that name internal
//! controls, and reports sent to a team. Each case edits a copy of the example ISMS.

mod common;

use common::{Edit, Replace, Scratch, Write, codes, only};

/// The day the example describes.
const DAY: &str = "2026-11-27";

/// SUP.1 implements A.5.19 (in the scope of IA-2026-05) and answers NIS2 Art. 21(2)(a).
const SUP_CONTROL: &str = "[[control]]\nid = \"SUP.1\"\ntitle = \"Critical suppliers are re-assessed after an incident\"\nowner = \"carol\"\nannex_a = [\"A.5.19\"]\nframeworks = { nis2 = [\"NIS2-21-2-a\"], soc2 = [\"CC9.2\"] }\n";

/// The same control mapped elsewhere: a near miss for the scope rules.
const SUP_CONTROL_ELSEWHERE: &str = "[[control]]\nid = \"SUP.1\"\ntitle = \"Critical suppliers are re-assessed after an incident\"\nowner = \"carol\"\nannex_a = [\"A.8.1\"]\n";

const CHECKLIST: &str = "audits/IA-2026-05/checklist.toml";

fn checklist_names_sup1(controls: &'static str) -> Vec<Edit<'static>> {
    vec![
        Write("controls.toml", controls.as_bytes()),
        Replace(CHECKLIST, "ref = \"A.5.19\"", "ref = \"SUP.1\""),
        Replace(
            "findings/F-2026-010.toml",
            "refs = [\"A.5.22\", \"A.5.19\"]",
            "refs = [\"A.5.22\", \"SUP.1\"]",
        ),
    ]
}

/// The standard output of `isms BEFORE PATH AFTER --today DAY`, which must succeed.
fn stdout(scratch: &Scratch, before: &[&str], after: &[&str]) -> String {
    let out = assert_cmd::Command::cargo_bin("isms")
        .unwrap()
        .args(before)
        .arg(scratch.path())
        .args(after)
        .args(["--today", DAY])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).unwrap()
}

fn isms_new(home: &std::path::Path, args: &[&str]) -> assert_cmd::assert::Assert {
    let mut all = vec!["new", "control"];
    all.extend_from_slice(args);
    common::isms_at_home(home, &all)
}

#[test]
fn new_control_appends_to_controls_toml_and_checks_clean() {
    let scratch = Scratch::new("example", &[]);
    let home = tempfile::tempdir().unwrap();
    let path = scratch.path().to_str().unwrap();
    isms_new(
        home.path(),
        &[
            "--path",
            path,
            "--id",
            "IAM.1.02",
            "--title",
            "Access requests are approved by the system owner",
            "--owner",
            "frank",
            "--annex-a",
            "A.5.15",
            "--annex-a",
            "A.5.18",
            "--framework",
            "soc2=CC6.1",
            "--framework",
            "nis2=NIS2-21-2-i",
            "--framework",
            "soc2=CC6.2",
            "--frequency-months",
            "12",
        ],
    )
    .success()
    .stdout(predicates::str::contains(
        "New control IAM.1.02\n  changed controls.toml\nList `IAM.1.02` in `implemented_by` of A.5.15, A.5.18 in soa.toml",
    ));
    // The id is allocated when not given.
    isms_new(
        home.path(),
        &[
            "--path",
            path,
            "--title",
            "Clean desk",
            "--annex-a",
            "A.7.7",
        ],
    )
    .success()
    .stdout(predicates::str::contains("New control CTL-001\n"));
    let text = std::fs::read_to_string(scratch.path().join("controls.toml")).unwrap();
    assert_eq!(
        text,
        "#:schema ../schema/controls.schema.json\n# The organisation's own controls, each mapped to the Annex A controls it implements.\n\n[[control]]\nid = \"IAM.1.02\"\ntitle = \"Access requests are approved by the system owner\"\nowner = \"frank\"\nannex_a = [\"A.5.15\", \"A.5.18\"]\nframeworks = { nis2 = [\"NIS2-21-2-i\"], soc2 = [\"CC6.1\", \"CC6.2\"] }\nfrequency_months = 12\n\n[[control]]\nid = \"CTL-001\"\ntitle = \"Clean desk\"\nannex_a = [\"A.7.7\"]\n"
    );
    assert_eq!(scratch.check(DAY), "isms: no problems found in 63 files\n");
}

#[test]
fn new_control_refuses_bad_input_and_writes_nothing() {
    let scratch = Scratch::new("example", &[]);
    let home = tempfile::tempdir().unwrap();
    let path = scratch.path().to_str().unwrap();
    let refused = |args: &[&str], message: &str| {
        let mut all = vec!["--path", path, "--title", "A control"];
        all.extend_from_slice(args);
        isms_new(home.path(), &all)
            .failure()
            .stderr(predicates::str::contains(message.to_string()));
    };
    refused(
        &["--annex-a", "A.9.2.1"],
        "A.9.2.1 is ISO/IEC 27001:2013; in 2022: A.5.16: write the 2022 id `A.5.16`",
    );
    refused(
        &["--annex-a", "A.5.38"],
        "`A.5.38` is not an Annex A control of ISO/IEC 27001:2022 (did you mean `A.5.3`?)",
    );
    refused(
        &["--id", "A.5.15"],
        "`A.5.15` is written like an Annex A control",
    );
    refused(
        &["--owner", "frnak"],
        "there is no person `frnak` in people.toml (did you mean `frank`?)",
    );
    refused(
        &["--framework", "soc2"],
        "--framework `soc2` is not FRAMEWORK=ID: write it like `soc2=CC6.1`",
    );
    refused(
        &["--framework", "SOC 2=CC6.1"],
        "`SOC 2` is not a framework name",
    );
    refused(
        &["--framework", "nis2=NIS2-21-2-z"],
        "`NIS2-21-2-z` is not a requirement of nis2 (did you mean `NIS2-21-2-a`?)",
    );
    refused(
        &["--frequency-months", "0"],
        "--frequency-months 0 is outside 1..120",
    );
    assert!(!scratch.path().join("controls.toml").exists());
    isms_new(
        home.path(),
        &["--path", path, "--id", "SUP.1", "--title", "Suppliers"],
    )
    .success();
    isms_new(
        home.path(),
        &[
            "--path",
            path,
            "--id",
            "SUP.1",
            "--title",
            "Suppliers again",
        ],
    )
    .failure()
    .stderr(predicates::str::contains(
        "the control `SUP.1` already exists in controls.toml",
    ));
}

// AUD and FIND read an internal control as the Annex A controls it maps to.

#[test]
fn an_item_on_a_mapped_internal_control_answers_for_the_annex_a_control_in_scope() {
    let edits = checklist_names_sup1(SUP_CONTROL);
    let found = codes(DAY, &edits);
    for code in ["AUD002", "AUD008", "FIND012", "REF001"] {
        assert!(!found.contains(&code), "{code}: {found:?}");
    }
    assert_eq!(found, codes(DAY, &[]));
}

#[test]
fn an_internal_control_mapped_elsewhere_leaves_the_scope_uncovered() {
    insta::assert_snapshot!(only(
        &["AUD002", "FIND012"],
        DAY,
        &checklist_names_sup1(SUP_CONTROL_ELSEWHERE)
    ));
}

#[test]
fn a_finding_on_an_annex_a_control_is_within_a_plan_that_scopes_its_internal_control() {
    let edits = [
        Write("controls.toml", SUP_CONTROL.as_bytes()),
        Replace(
            "audits/IA-2026-05/plan.toml",
            "controls = [\"A.5.19\", \"A.5.20\", \"A.5.21\", \"A.5.22\", \"A.5.23\"]",
            "controls = [\"SUP.1\", \"A.5.20\", \"A.5.21\", \"A.5.22\", \"A.5.23\"]",
        ),
        Replace(CHECKLIST, "ref = \"A.5.19\"", "ref = \"SUP.1\""),
    ];
    let found = codes(DAY, &edits);
    assert!(!found.contains(&"FIND012"), "{found:?}");
    assert!(!found.contains(&"AUD002"), "{found:?}");
}

// One mapping mechanism: an internal control's framework ids join the pack's mapping.

#[test]
fn a_framework_requirement_is_answered_through_the_internal_controls_that_name_it() {
    let scratch = Scratch::new("example", &[Write("controls.toml", SUP_CONTROL.as_bytes())]);
    let out = stdout(&scratch, &["frameworks", "nis2"], &["--format", "json"]);
    let status: serde_json::Value = serde_json::from_str(&out).unwrap();
    let requirement = status["frameworks"][0]["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "NIS2-21-2-a")
        .unwrap();
    let controls: Vec<&str> = requirement["controls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(controls, ["A.5.1", "A.5.19"]);
    assert_eq!(
        requirement["internal_controls"],
        serde_json::json!(["SUP.1"])
    );
    // A requirement no internal control names has no such field.
    let other = status["frameworks"][0]["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "NIS2-21-1")
        .unwrap();
    assert!(other.get("internal_controls").is_none(), "{other}");
    // So does the human report.
    let human = stdout(&scratch, &["frameworks", "nis2"], &[]);
    // The requirement's lines: its heading, then those indented under it.
    let requirement: Vec<&str> = human
        .lines()
        .skip_while(|l| !l.ends_with("NIS2-21-2-a"))
        .skip(1)
        .take_while(|l| l.starts_with("         "))
        .collect();
    assert!(
        requirement
            .iter()
            .any(|l| l.trim_start().starts_with("A.5.19 "))
            && requirement.contains(&"         through internal controls SUP.1"),
        "{requirement:?}\n{human}"
    );
    // The register export names the internal control.
    let csv = stdout(
        &scratch,
        &["export", "framework", "nis2"],
        &["--format", "csv"],
    );
    let row = csv
        .lines()
        .find(|l| l.contains("NIS2-21-2-a"))
        .unwrap_or_else(|| panic!("{csv}"));
    assert!(row.contains(",SUP.1,"), "{row}");
    assert!(
        csv.lines()
            .next()
            .unwrap()
            .contains("Through internal controls")
    );
}

#[test]
fn unknown_framework_ids_and_misspelt_frameworks_of_internal_controls_are_ref001() {
    let controls = "[[control]]\nid = \"SUP.1\"\ntitle = \"Suppliers\"\nannex_a = [\"A.5.19\"]\nframeworks = { nis2 = [\"NIS2-21-2-a\", \"NIS2-21-2-z\"], gpdr = [\"GDPR-32-1-b\"], \"SOC 2\" = [\"CC9.2\"], soc2 = [\"CC9.2\"], nist-800-53 = [\"SR-6\"] }\n";
    insta::assert_snapshot!(only(
        &["REF001"],
        DAY,
        &[Write("controls.toml", controls.as_bytes())]
    ));
}

#[test]
fn framework_ids_of_internal_controls_near_miss() {
    // Known requirement ids, and frameworks without a pack kept as written.
    let found = codes(DAY, &[Write("controls.toml", SUP_CONTROL.as_bytes())]);
    assert_eq!(found, codes(DAY, &[]));
}

// A team's lead answers where one person must: a report or plan may be sent to the team.

const SUPPLIERS_TEAM: &str = "[[team]]\nid = \"suppliers\"\nname = \"Supplier management\"\nlead = \"oscar\"\nmembers = [\"carol\"]\n\n[[team]]\nid = \"it\"\nname = \"IT\"\nlead = \"erin\"\nmembers = []\n";

fn report_sent_to(team: &'static str) -> Vec<Edit<'static>> {
    vec![
        Write("teams.toml", SUPPLIERS_TEAM.as_bytes()),
        Replace(
            "areas.toml",
            "id = \"supplier-management\"\nname = \"Supplier and cloud service management\"\nowner = \"carol\"",
            "id = \"supplier-management\"\nname = \"Supplier and cloud service management\"\nowner = \"suppliers\"",
        ),
        Replace(
            "audits/IA-2026-05/report.md",
            "distributed_to = [\"alice\", \"bob\", \"carol\", \"dave\"]",
            team,
        ),
        Replace(
            "audits/IA-2026-02/report.md",
            "distributed_to = [\"alice\", \"bob\", \"carol\", \"dave\", \"erin\"]",
            "distributed_to = [\"alice\", \"bob\", \"carol\", \"dave\", \"erin\", \"suppliers\"]",
        ),
        Replace(
            "audits/IA-2026-05/plan.toml",
            "notified = [\"alice\", \"bob\", \"carol\", \"dave\"]",
            "notified = [\"alice\", \"bob\", \"carol\", \"dave\", \"suppliers\"]",
        ),
    ]
}

#[test]
fn aud007_a_report_sent_to_the_owning_team_reached_its_lead() {
    let found = codes(
        DAY,
        &report_sent_to(
            "distributed_to = [\"alice\", \"bob\", \"carol\", \"dave\", \"suppliers\"]",
        ),
    );
    for code in ["AUD007", "REF001", "PLAN002"] {
        assert!(!found.contains(&code), "{code}: {found:?}");
    }
}

#[test]
fn aud007_near_miss_a_report_sent_to_another_team() {
    insta::assert_snapshot!(only(
        &["AUD007", "REF001"],
        DAY,
        &report_sent_to("distributed_to = [\"alice\", \"bob\", \"carol\", \"dave\", \"it\"]"),
    ));
}

// PROG008: an internal control is tested as often as its `frequency_months` says.

fn iam_control(frequency_months: u32) -> String {
    format!(
        "[[control]]\nid = \"IAM.1.02\"\ntitle = \"Access requests are approved by the system owner\"\nowner = \"frank\"\nannex_a = [\"A.5.15\"]\nfrequency_months = {frequency_months}\n"
    )
}

fn tested_in_ia_2026_01(controls: &str) -> Vec<Edit<'_>> {
    vec![
        Write("controls.toml", controls.as_bytes()),
        Replace(
            "audits/IA-2026-01/checklist.toml",
            "ref = \"A.5.15\"",
            "ref = \"IAM.1.02\"",
        ),
    ]
}

#[test]
fn prog008_a_control_tested_in_march_every_6_months_is_overdue_in_november() {
    let controls = iam_control(6);
    insta::assert_snapshot!(only(&["PROG008"], DAY, &tested_in_ia_2026_01(&controls)));
}

#[test]
fn prog008_a_control_never_tested_is_due_from_the_cycle_start() {
    let controls = iam_control(6);
    insta::assert_snapshot!(only(
        &["PROG008"],
        DAY,
        &[Write("controls.toml", controls.as_bytes())]
    ));
}

#[test]
fn prog008_near_miss_tested_within_the_year() {
    let controls = iam_control(12);
    let found = codes(DAY, &tested_in_ia_2026_01(&controls));
    assert!(!found.contains(&"PROG008"), "{found:?}");
    // Without a frequency there is nothing to check.
    let unscheduled =
        "[[control]]\nid = \"IAM.1.02\"\ntitle = \"Access\"\nannex_a = [\"A.5.15\"]\n";
    let found = codes(DAY, &[Write("controls.toml", unscheduled.as_bytes())]);
    assert!(!found.contains(&"PROG008"), "{found:?}");
}

// The site and the exports: teams and internal controls.

const IAM_TEAM: &str = "[[team]]\nid = \"iam\"\nname = \"Identity and access\"\nlead = \"frank\"\nmembers = [\"kofi\"]\n";

const IAM_OWNED: &str = "[[control]]\nid = \"IAM.1.02\"\ntitle = \"Access requests are approved by the system owner\"\nowner = \"iam\"\nannex_a = [\"A.5.15\"]\nframeworks = { nis2 = [\"NIS2-21-2-i\"], soc2 = [\"CC6.1\"] }\nfrequency_months = 6\n";

fn organised() -> Scratch {
    Scratch::new(
        "example",
        &[
            Write("teams.toml", IAM_TEAM.as_bytes()),
            Write("controls.toml", IAM_OWNED.as_bytes()),
            Replace(
                "audits/IA-2026-01/checklist.toml",
                "ref = \"A.5.15\"",
                "ref = \"IAM.1.02\"",
            ),
        ],
    )
}

fn read(dir: &std::path::Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

#[test]
fn the_site_has_internal_control_pages_linked_both_ways_with_their_test_history() {
    let scratch = organised();
    let out = common::build_site(&scratch, DAY);
    let list = read(out.path(), "internal-controls.html");
    assert!(
        list.contains("href=\"internal-controls/IAM.1.02.html\""),
        "{list}"
    );
    assert!(
        list.contains("2026-09-20 (overdue)"),
        "next test due: {list}"
    );
    let page = read(out.path(), "internal-controls/IAM.1.02.html");
    assert!(
        page.contains("href=\"../controls/A.5.15.html\""),
        "to Annex A: {page}"
    );
    assert!(
        page.contains("href=\"../frameworks/nis2.html#NIS2-21-2-i\""),
        "to the framework requirement: {page}"
    );
    assert!(
        page.contains("soc2</span>: CC6.1"),
        "a framework without a pack: {page}"
    );
    assert!(
        page.contains("href=\"../teams/iam.html\""),
        "to its owning team: {page}"
    );
    let history = page
        .split("<h2>Test history</h2>")
        .nth(1)
        .unwrap_or_else(|| panic!("{page}"));
    assert!(
        history.contains("href=\"../audits/IA-2026-01.html\""),
        "{history}"
    );
    assert!(history.contains("<td>2026-03-20</td>"), "{history}");
    assert!(history.contains("b-conforming"), "{history}");
    let framework = read(out.path(), "frameworks/nis2.html");
    assert!(
        framework.contains("href=\"../internal-controls/IAM.1.02.html\""),
        "the framework requirement names the internal control: {framework}"
    );
    let annex = read(out.path(), "controls/A.5.15.html");
    assert!(
        annex.contains("href=\"../internal-controls/IAM.1.02.html\""),
        "back from Annex A: {annex}"
    );
    let team = read(out.path(), "teams/iam.html");
    assert!(
        team.contains("href=\"../internal-controls/IAM.1.02.html\""),
        "{team}"
    );
    assert!(team.contains(">Frank"), "the lead: {team}");
    let people = read(out.path(), "people.html");
    assert!(people.contains("href=\"teams/iam.html\""), "{people}");
    let soa = read(out.path(), "soa.html");
    assert!(soa.contains("href=\"internal-controls.html\""), "{soa}");
}

#[test]
fn the_site_has_no_internal_controls_page_without_controls_toml() {
    let scratch = Scratch::new("example", &[]);
    let out = common::build_site(&scratch, DAY);
    assert!(!out.path().join("internal-controls.html").exists());
    assert!(!read(out.path(), "soa.html").contains("internal-controls.html"));
}

fn export(scratch: &Scratch, args: &[&str]) -> String {
    stdout(scratch, &["export", args[0]], &args[1..])
}

#[test]
fn export_controls_gives_mappings_tests_and_the_next_due_day() {
    let scratch = organised();
    let csv = export(&scratch, &["controls", "--format", "csv"]);
    assert_eq!(
        csv,
        "Control,Title,Owner,Annex A controls,Other frameworks,SoA entries implemented,Tested every (months),Tests,Last tested on,Last tested by audit,Last result,Next test due\r\nIAM.1.02,Access requests are approved by the system owner,Identity and access,A.5.15,nis2: NIS2-21-2-i; soc2: CC6.1,,6,1,2026-03-20,IA-2026-01,conforming,2026-09-20\r\n"
    );
    let json: serde_json::Value =
        serde_json::from_str(&export(&scratch, &["controls", "--format", "json"])).unwrap();
    assert_eq!(json["register"], "controls");
    assert_eq!(json["rows"][0]["next_due"], "2026-09-20");
    assert_eq!(json["rows"][0]["tests"], 1);
    assert_eq!(json["rows"][0]["flag"], "overdue");
}

#[test]
fn export_teams_lists_what_each_team_owns() {
    let scratch = organised();
    let json: serde_json::Value =
        serde_json::from_str(&export(&scratch, &["teams", "--format", "json"])).unwrap();
    assert_eq!(json["register"], "teams");
    let row = &json["rows"][0];
    assert_eq!(row["team"], "iam");
    assert_eq!(row["lead"], "Frank Delacroix");
    assert_eq!(row["internal_controls"], "IAM.1.02");
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("teams.xlsx");
    assert_cmd::Command::cargo_bin("isms")
        .unwrap()
        .args(["export", "teams", "--format", "xlsx", "--out"])
        .arg(&file)
        .arg(scratch.path())
        .args(["--today", DAY])
        .assert()
        .success();
    assert!(std::fs::read(&file).unwrap().starts_with(b"PK"));
}

#[test]
fn the_soa_export_names_the_audit_that_tested_a_control_through_its_internal_control() {
    let scratch = Scratch::new("example", &checklist_names_sup1(SUP_CONTROL));
    let csv = stdout(&scratch, &["export", "soa"], &["--format", "csv"]);
    let row = csv
        .lines()
        .find(|l| l.starts_with("A.5.19,"))
        .unwrap_or_else(|| panic!("{csv}"));
    assert!(row.contains("IA-2026-05"), "{row}");
}
