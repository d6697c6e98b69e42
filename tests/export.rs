//! Exports read back as a spreadsheet user or a tool would: cells compared with the ISMS files,
//! dates as dates, formulas inert, the JSON shape stable.

mod common;

use std::io::Cursor;

use assert_cmd::Command;
use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use common::{Replace, Scratch};
use predicates::prelude::*;

const TODAY: &str = "2026-11-27";

fn export(dir: &std::path::Path, args: &[&str]) -> Vec<u8> {
    Command::cargo_bin("isms")
        .unwrap()
        .env_remove("ISMS_TODAY")
        .arg("export")
        .args(args)
        .arg(dir)
        .args(["--today", TODAY])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone()
}

fn example() -> std::path::PathBuf {
    common::fixture("example")
}

fn csv_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    csv::Reader::from_reader(bytes)
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

fn xlsx(register: &str, dir: &std::path::Path) -> (Vec<u8>, calamine::Range<Data>) {
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("out.xlsx");
    Command::cargo_bin("isms")
        .unwrap()
        .env_remove("ISMS_TODAY")
        .args(["export", register])
        .arg(dir)
        .args(["--format", "xlsx", "--today", TODAY, "--out"])
        .arg(&file)
        .assert()
        .code(0);
    let bytes = std::fs::read(&file).unwrap();
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.clone())).unwrap();
    let sheet = book.sheet_names()[0].clone();
    (bytes, book.worksheet_range(&sheet).unwrap())
}

#[test]
fn soa_csv_has_every_control_in_catalogue_order_with_its_decision() {
    let rows = csv_rows(&export(&example(), &["soa"]));
    assert_eq!(rows.len(), 93);
    assert_eq!(rows[0][0], "A.5.1");
    assert_eq!(rows[0][1], "Policies for information security");
    assert_eq!(rows[92][0], "A.8.34");
    let a76 = rows.iter().find(|r| r[0] == "A.7.6").unwrap();
    assert_eq!(a76[3], "no");
    let soa = std::fs::read_to_string(example().join("soa.toml")).unwrap();
    let entry = &soa[soa.find("id = \"A.7.6\"").unwrap()..];
    let justification = entry
        .split("justification = \"")
        .nth(1)
        .unwrap()
        .split("\"\n")
        .next()
        .unwrap();
    assert_eq!(a76[5], justification);
    let a515 = rows.iter().find(|r| r[0] == "A.5.15").unwrap();
    assert_eq!(a515[6], "implemented");
    assert!(!a515[11].is_empty(), "last audit of A.5.15: {a515:?}");
}

#[test]
fn risks_csv_scores_and_acceptance() {
    let rows = csv_rows(&export(&example(), &["risks"]));
    let risks = std::fs::read_to_string(example().join("risks.toml")).unwrap();
    assert_eq!(rows.len(), risks.matches("[[risk]]").count());
    let r = rows.iter().find(|r| r[0] == "R-002").unwrap();
    assert_eq!(
        (r[4].as_str(), r[5].as_str(), r[6].as_str()),
        ("3", "5", "15")
    );
    assert_eq!((r[11].as_str(), r[12].as_str()), ("10", "yes"));
}

#[test]
fn findings_csv_derives_status_and_age() {
    let rows = csv_rows(&export(&example(), &["findings"]));
    assert_eq!(rows.len(), 10);
    let closed = rows.iter().find(|r| r[0] == "F-2026-001").unwrap();
    assert_eq!(closed[7], "closed");
    let open = rows.iter().find(|r| r[0] == "F-2026-010").unwrap();
    assert_eq!(open[7], "open");
    assert_eq!(open[6], "2026-11-18");
    assert_eq!(open[13], "9", "age in days on {TODAY}");
}

#[test]
fn rcm_ties_risks_to_controls_audits_and_findings() {
    let rows = csv_rows(&export(&example(), &["rcm"]));
    let risks = std::fs::read_to_string(example().join("risks.toml")).unwrap();
    assert!(
        rows.len() > risks.matches("[[risk]]").count(),
        "one row per risk and control"
    );
    let row = rows
        .iter()
        .find(|r| r[0] == "R-001" && r[6] == "A.5.15")
        .unwrap();
    assert_eq!(row[7], "Access control");
    assert_eq!(row[8], "yes");
    assert!(row[11].contains("IA-2026-01"), "{row:?}");
}

#[test]
fn xlsx_has_a_title_a_header_and_real_dates() {
    let (_, range) = xlsx("findings", &example());
    let title = range.get_value((0, 0)).unwrap().to_string();
    assert!(
        title.contains("Findings register as of 2026-11-27"),
        "{title}"
    );
    assert!(title.starts_with("Acme MedTech"), "{title}");
    assert_eq!(
        range.get_value((1, 0)),
        Some(&Data::String("Finding".into()))
    );
    assert_eq!(
        range.get_value((2, 0)),
        Some(&Data::String("F-2026-001".into()))
    );
    match range.get_value((2, 6)) {
        Some(Data::DateTime(d)) => {
            // Excel counts days from 1899-12-30.
            let epoch = isms::model::Date::parse("1899-12-30").unwrap();
            let raised = isms::model::Date::parse("2026-03-19").unwrap();
            assert_eq!(d.as_f64(), epoch.days_until(raised) as f64);
        }
        other => panic!("raised_on is not a date: {other:?}"),
    }
    assert!(
        matches!(range.get_value((2, 13)), Some(Data::Float(_))),
        "age is a number"
    );
}

#[test]
fn xlsx_is_reproducible() {
    let (a, _) = xlsx("soa", &example());
    let (b, _) = xlsx("soa", &example());
    assert_eq!(a, b);
}

#[test]
fn hostile_values_stay_inert() {
    let s = Scratch::new(
        "base",
        &[Replace(
            "risks.toml",
            "title = \"Key supplier ceases trading\"",
            "title = \"=HYPERLINK(\\\"http://evil.example\\\",\\\"click\\\")\"",
        )],
    );
    let rows = csv_rows(&export(s.path(), &["risks"]));
    let r = rows.iter().find(|r| r[0] == "R-003").unwrap();
    assert_eq!(r[1], "'=HYPERLINK(\"http://evil.example\",\"click\")");
    let (_, range) = xlsx("risks", s.path());
    let cell = (2..range.height() as u32)
        .find(|&row| range.get_value((row, 0)) == Some(&Data::String("R-003".into())))
        .unwrap();
    assert_eq!(
        range.get_value((cell, 1)),
        Some(&Data::String(
            "'=HYPERLINK(\"http://evil.example\",\"click\")".into()
        ))
    );
}

#[test]
fn json_shape_is_stable() {
    let json: serde_json::Value =
        serde_json::from_slice(&export(&example(), &["risks", "--format", "json"])).unwrap();
    assert_eq!(json["version"], 1);
    assert_eq!(json["register"], "risks");
    assert_eq!(json["date"], TODAY);
    let columns: Vec<&str> = json["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        columns,
        [
            "risk",
            "title",
            "owner",
            "area",
            "likelihood",
            "impact",
            "inherent_score",
            "treatment",
            "controls",
            "residual_likelihood",
            "residual_impact",
            "residual_score",
            "above_threshold",
            "accepted_by",
            "accepted_on",
            "reviewed_on",
            "review_due"
        ]
    );
    let r2 = json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["risk"] == "R-002")
        .unwrap();
    assert_eq!(r2["inherent_score"], 15);
    assert_eq!(r2["above_threshold"], true);
    assert!(r2["reviewed_on"].as_str().unwrap().starts_with("2026-"));
}

#[test]
fn xlsx_needs_a_file() {
    Command::cargo_bin("isms")
        .unwrap()
        .args(["export", "soa", "--format", "xlsx"])
        .arg(example())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--out"));
}

/// An open opportunity for improvement is no defect: its control's SoA row is not amber, while
/// an open nonconformity's is.
#[test]
fn an_open_opportunity_does_not_paint_its_soa_row() {
    let mark = |edits: &[common::Edit], control: &str| {
        let scratch = Scratch::new("example", edits);
        let loaded = isms::load::load(&isms::source::WorkTree::new(scratch.path()), "");
        let today = isms::model::Date::parse(TODAY).unwrap();
        let table = isms::export::table(isms::export::Register::Soa, &loaded.isms, today);
        table
            .rows
            .iter()
            .find(|(cells, _)| cells[0].display() == control)
            .map(|(_, mark)| *mark)
            .unwrap()
    };
    // A.5.22 has the open opportunity F-2026-006 and the open nonconformity F-2026-010: amber.
    assert_eq!(mark(&[], "A.5.22"), isms::export::Mark::Attention);
    // Without the nonconformity on it, the opportunity alone leaves the row plain.
    let only_opportunity = [Replace(
        "findings/F-2026-010.toml",
        "refs = [\"A.5.22\", \"A.5.19\"]",
        "refs = [\"A.5.19\"]",
    )];
    assert_eq!(mark(&only_opportunity, "A.5.22"), isms::export::Mark::None);
    assert_eq!(
        mark(&only_opportunity, "A.5.19"),
        isms::export::Mark::Attention
    );
}

#[test]
fn incidents_csv_has_each_review_and_validating_audit() {
    let rows = csv_rows(&export(&example(), &["incidents"]));
    let files = std::fs::read_dir(example().join("incidents"))
        .unwrap()
        .count();
    assert_eq!(rows.len(), files);
    let ids: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted, "by id");
    let inc = rows.iter().find(|r| r[0] == "INC-2026-014").unwrap();
    assert_eq!(inc[2], "high");
    assert_eq!(inc[3], "2026-10-06");
    assert_eq!(inc[5], "supplier-management");
    assert_eq!(inc[8], "2026-10-15");
    assert_eq!(inc[9], "Judy Marsh");
    assert_eq!(inc[11], "F-2026-010");
    assert_eq!(inc[12], "IA-2026-05");
    let minor = rows.iter().find(|r| r[0] == "INC-2026-002").unwrap();
    assert_eq!((minor[8].as_str(), minor[12].as_str()), ("", ""));
}

#[test]
fn incidents_flag_a_late_review_and_an_unvalidated_serious_incident() {
    // INC-2026-009 without its validating audit; INC-2026-003 without its review.
    let s = Scratch::new(
        "example",
        &[
            Replace(
                "incidents/INC-2026-009.toml",
                "audit = \"IA-2026-03\"\n",
                "",
            ),
            Replace(
                "incidents/INC-2026-003.toml",
                "[review]",
                "[review_removed]",
            ),
        ],
    );
    // The renamed table no longer loads: the export still runs, and says so on stderr.
    let out = Command::cargo_bin("isms")
        .unwrap()
        .env_remove("ISMS_TODAY")
        .args(["export", "incidents", "--format", "json", "--today", TODAY])
        .arg(s.path())
        .assert()
        .code(0)
        .stderr(predicate::str::contains("warning: the ISMS has"))
        .get_output()
        .stdout
        .clone();
    let json: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(json["register"], "incidents");
    let flag = |id: &str| {
        json["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["incident"] == id)
            .map(|r| r["flag"].clone())
    };
    assert_eq!(flag("INC-2026-009"), Some("attention".into()));
    assert_eq!(flag("INC-2026-014"), Some(serde_json::Value::Null));
    // INC-2026-003 could not be read, so it is not in the register (the check reports it).
    assert_eq!(flag("INC-2026-003"), None);
}

#[test]
fn objectives_have_one_row_per_result_against_the_target() {
    let json: serde_json::Value =
        serde_json::from_slice(&export(&example(), &["objectives", "--format", "json"])).unwrap();
    assert_eq!(json["register"], "objectives");
    let rows = json["rows"].as_array().unwrap();
    let of = |id: &str| -> Vec<&serde_json::Value> {
        rows.iter().filter(|r| r["objective"] == id).collect()
    };
    let obj3 = of("OBJ-3");
    assert_eq!(obj3.len(), 3);
    assert_eq!(obj3[2]["result_on"], "2026-10-31");
    assert_eq!(obj3[2]["value"], "86 % (12/14)");
    assert_eq!(obj3[2]["met"], false);
    assert_eq!(obj3[2]["flag"], "attention");
    assert_eq!(obj3[0]["owner"], "Carol Mensah");
    assert_eq!(obj3[0]["frequency_months"], 1);
    // OBJ-5 is first evaluated at the end of Q4: one row, no result.
    let obj5 = of("OBJ-5");
    assert_eq!(obj5.len(), 1);
    assert_eq!(obj5[0]["result_on"], serde_json::Value::Null);
    assert_eq!(obj5[0]["flag"], serde_json::Value::Null);
}

#[test]
fn management_reviews_have_one_row_per_decision_with_its_status() {
    let rows = csv_rows(&export(&example(), &["management-reviews"]));
    // MR-2026-04 (4 decisions) before MR-2026-10 (6).
    assert_eq!(rows.len(), 10);
    assert_eq!(rows[0][0], "MR-2026-04");
    assert_eq!(rows[0][14], "MR-2026-04#1");
    assert_eq!(rows[0][16], "Kofi Boateng");
    assert_eq!(rows[0][17], "2027-03-31");
    assert_eq!(rows[0][18], "");
    let last = &rows[9];
    assert_eq!(last[0], "MR-2026-10");
    assert_eq!(last[4], "IA-2026-02, IA-2026-03");
    assert!(last[10].contains("OBJ-3 behind"), "{last:?}");
    assert!(last[15].starts_with("OBJ-3 behind target"), "{last:?}");
    // The XLSX writes the same rows, dates as dates.
    let (_, range) = xlsx("management-reviews", &example());
    let title = range.get_value((0, 0)).unwrap().to_string();
    assert!(
        title.contains("Management reviews as of 2026-11-27"),
        "{title}"
    );
    assert!(matches!(range.get_value((2, 1)), Some(Data::DateTime(_))));
}
