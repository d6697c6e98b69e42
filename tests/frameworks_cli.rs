//! `isms frameworks`, `isms export framework` and `isms export oscal` on the example ISMS, as a
//! user and a GRC tool would run them: output, exit codes, determinism and the OSCAL shape.

mod common;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

const TODAY: &str = "2026-11-27";

fn isms() -> Command {
    let mut cmd = Command::cargo_bin("isms").unwrap();
    cmd.env_remove("ISMS_TODAY");
    cmd
}

fn run(args: &[&str]) -> String {
    let out = isms()
        .args(args)
        .args(["--today", TODAY])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).unwrap()
}

fn example() -> String {
    common::fixture("example").display().to_string()
}

#[test]
fn the_status_table_of_the_example() {
    let out = run(&["frameworks", &example()]);
    insta::assert_snapshot!("frameworks_summary", out);
}

#[test]
fn one_framework_requirement_by_requirement() {
    let out = run(&["frameworks", "hipaa-security", &example()]);
    insta::assert_snapshot!("frameworks_hipaa", out);
    // The honest gap: the facility plan needs the supporting utilities and cabling the SoA excludes.
    assert!(
        out.contains("gap      45 CFR 164.310(a)(2)(ii) [addressable]"),
        "{out}"
    );
}

#[test]
fn json_gives_every_requirement_with_its_status() {
    let out = run(&["frameworks", "--format", "json", &example()]);
    let doc: Value = serde_json::from_str(&out).unwrap();
    let frameworks = doc["frameworks"].as_array().unwrap();
    let names: Vec<&str> = frameworks
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["gdpr", "hipaa-security", "nis2", "eu-mdr-cybersecurity"]
    );
    for f in frameworks {
        let requirements = f["requirements"].as_array().unwrap();
        let counts = &f["counts"];
        let sum = counts["covered"].as_u64().unwrap()
            + counts["partial"].as_u64().unwrap()
            + counts["gap"].as_u64().unwrap();
        assert_eq!(sum as usize, requirements.len());
        for r in requirements {
            assert!(!r["citation"].as_str().unwrap().is_empty());
            let status = r["status"].as_str().unwrap();
            assert!(["covered", "partial", "gap"].contains(&status));
            // A requirement that is not covered says why.
            assert_eq!(
                status == "covered",
                r["reasons"].as_array().unwrap().is_empty(),
                "{r}"
            );
        }
    }
    let gaps: u64 = frameworks
        .iter()
        .map(|f| f["counts"]["gap"].as_u64().unwrap())
        .sum();
    let covered: u64 = frameworks
        .iter()
        .map(|f| f["counts"]["covered"].as_u64().unwrap())
        .sum();
    assert!(gaps >= 1, "the example shows at least one honest gap");
    assert!(covered >= 20, "and realistic coverage: {covered} covered");
}

#[test]
fn an_unknown_framework_is_exit_2_with_a_suggestion() {
    isms()
        .args(["frameworks", "hipaa", &example(), "--today", TODAY])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no framework `hipaa`"))
        .stderr(predicate::str::contains("hipaa-security"));
}

#[test]
fn the_framework_register_as_csv() {
    let out = run(&["export", "framework", "nis2", &example()]);
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(
        headers[..6],
        [
            "Framework",
            "Requirement",
            "Citation",
            "Requirement (paraphrased)",
            "Obligation",
            "Status"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert!(rows.iter().all(|r| &r[0] == "nis2"));
    let h = rows.iter().find(|r| &r[2] == "NIS2 Art. 21(2)(h)").unwrap();
    assert!(h[6].contains("A.8.24 (implemented)"), "{h:?}");
}

#[test]
fn exporting_a_framework_that_is_not_enabled_is_exit_2() {
    isms()
        .args([
            "export",
            "framework",
            "iso9001",
            &example(),
            "--today",
            TODAY,
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not enabled"));
}

#[test]
fn the_existing_registers_still_export() {
    let out = run(&["export", "soa", &example()]);
    assert!(out.starts_with("Control,"), "{out}");
}

fn oscal(model: &str, extra: &[&str]) -> Value {
    let mut args = vec!["export", "oscal", model];
    let path = example();
    args.push(&path);
    args.extend_from_slice(extra);
    serde_json::from_str(&run(&args)).unwrap()
}

/// Every `uuid` field in the document.
fn uuids(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                if k == "uuid" {
                    out.push(v.as_str().unwrap().to_string());
                }
                uuids(v, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| uuids(v, out)),
        _ => {}
    }
}

#[test]
fn oscal_exports_are_deterministic_with_version_5_uuids() {
    for model in ["assessment-plan", "assessment-results", "poam"] {
        let a = run(&["export", "oscal", model, &example()]);
        let b = run(&["export", "oscal", model, &example()]);
        assert_eq!(a, b, "{model}");
        let doc: Value = serde_json::from_str(&a).unwrap();
        let mut all = Vec::new();
        uuids(&doc, &mut all);
        assert!(!all.is_empty());
        for u in &all {
            let parsed = uuid::Uuid::parse_str(u).unwrap();
            assert_eq!(parsed.get_version_num(), 5, "{u}");
        }
        let mut unique = all.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), all.len(), "{model}: a uuid used twice");
        let root = doc.as_object().unwrap().values().next().unwrap();
        assert_eq!(root["metadata"]["oscal-version"], "1.1.2");
        assert_eq!(root["metadata"]["last-modified"], "2026-11-27T00:00:00Z");
    }
}

#[test]
fn oscal_assessment_results_hold_checklists_and_nonconformities() {
    let doc = oscal("assessment-results", &["--audit", "IA-2026-01"]);
    let results = doc["assessment-results"]["results"].as_array().unwrap();
    assert_eq!(results.len(), 1);
    let r = &results[0];
    assert!(r["title"].as_str().unwrap().starts_with("IA-2026-01"));
    let observations = r["observations"].as_array().unwrap();
    let first = &observations[0];
    assert_eq!(first["title"], "A.5.15: conforming");
    assert_eq!(first["methods"][0], "EXAMINE");
    assert!(
        first["relevant-evidence"][0]["description"]
            .as_str()
            .unwrap()
            .contains("POL-ACCESS")
    );
    // F-2026-001, a minor nonconformity against A.5.18.
    let findings = r["findings"].as_array().unwrap();
    let f = findings
        .iter()
        .find(|f| f["target"]["target-id"] == "A.5.18")
        .unwrap();
    assert_eq!(f["target"]["status"]["state"], "not-satisfied");
    assert!(f["title"].as_str().unwrap().starts_with("F-2026-001"));
    let controls = &r["reviewed-controls"]["control-selections"][0]["include-controls"];
    let ids: Vec<&str> = controls
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["control-id"].as_str().unwrap())
        .collect();
    assert!(
        ids.contains(&"A.5.15") && ids.contains(&"clause-7.2"),
        "{ids:?}"
    );
}

#[test]
fn oscal_poam_lists_the_open_nonconformities_with_their_actions() {
    let doc = oscal("poam", &[]);
    let poam = &doc["plan-of-action-and-milestones"];
    let items = poam["poam-items"].as_array().unwrap();
    let open = run(&["export", "findings", "--format", "json", &example()]);
    let register: Value = serde_json::from_str(&open).unwrap();
    let open_ncs = register["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| {
            let t = r["type"].as_str().unwrap_or("");
            let s = r["status"].as_str().unwrap_or("");
            t.ends_with("-nc") && !["verified", "closed"].contains(&s)
        })
        .count();
    assert_eq!(items.len(), open_ncs);
    assert!(!items.is_empty(), "the example has open nonconformities");
    for risk in poam["risks"].as_array().unwrap() {
        for remediation in risk["remediations"].as_array().into_iter().flatten() {
            assert!(["planned", "completed"].contains(&remediation["lifecycle"].as_str().unwrap()));
        }
    }
}

#[test]
fn oscal_for_an_unknown_audit_is_exit_2() {
    isms()
        .args([
            "export",
            "oscal",
            "poam",
            &example(),
            "--audit",
            "IA-2026-9",
            "--today",
            TODAY,
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no audit `IA-2026-9`"));
}

#[test]
fn the_site_has_a_page_per_framework_and_a_framework_column() {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    isms()
        .args(["build", &example(), "--no-git", "--today", TODAY, "--out"])
        .arg(&site)
        .assert()
        .code(0);
    let read = |p: &str| std::fs::read_to_string(site.join(p)).unwrap();
    let index = read("frameworks.html");
    for name in ["gdpr", "hipaa-security", "nis2", "eu-mdr-cybersecurity"] {
        assert!(
            index.contains(&format!("href=\"frameworks/{name}.html\"")),
            "{name}"
        );
    }
    let hipaa = read("frameworks/hipaa-security.html");
    // Requirement, citation, mapped controls with their status, the audits, open findings.
    let row = hipaa
        .split("<tr id=")
        .find(|r| r.contains("45 CFR 164.310(a)(2)(ii)"))
        .unwrap();
    assert!(row.contains("b-gap"), "{row}");
    assert!(
        row.contains("A.7.11") && row.contains("b-excluded"),
        "{row}"
    );
    assert!(row.contains("A.7.11 is excluded by the SoA"), "{row}");
    let backup = hipaa
        .split("<tr id=")
        .find(|r| r.contains("45 CFR 164.308(a)(7)(ii)(A)"))
        .unwrap();
    assert!(backup.contains("F-2026-005"), "{backup}");
    assert!(
        backup.contains("IA-2026-"),
        "an audit that tested it: {backup}"
    );
    let control = read("controls/A.8.24.html");
    assert!(control.contains("Frameworks that need it"));
    assert!(control.contains("NIS2 Art. 21(2)(h)"));
    assert!(read("soa.html").contains("<th>Frameworks</th>"));
}

#[test]
fn a_user_pack_is_named_and_its_requirements_are_laid_over_the_builtin() {
    let scratch = common::Scratch::new(
        "base",
        &[
            common::Replace(
                "isms.toml",
                "[organisation]\n",
                "frameworks = [\"nis2\"]\n\n[organisation]\n",
            ),
            common::Write(".isms/frameworks/nis2.toml", common::NIS2_PACK),
        ],
    );
    let path = scratch.path().display().to_string();
    let doc: Value =
        serde_json::from_str(&run(&["frameworks", "nis2", &path, "--format", "json"])).unwrap();
    let f = &doc["frameworks"][0];
    assert_eq!(f["pack"], ".isms/frameworks/nis2.toml");
    assert_eq!(f["title"], "NIS2 as our legal team reads it");
    let requirements = f["requirements"].as_array().unwrap();
    let builtin = isms::frameworks::builtin("nis2")
        .unwrap()
        .requirements
        .len();
    assert_eq!(
        requirements.len(),
        builtin + 1,
        "one added, one replaced in place"
    );
    let h = requirements
        .iter()
        .find(|r| r["id"] == "NIS2-21-2-h")
        .unwrap();
    assert_eq!(h["controls"].as_array().unwrap().len(), 2);
    assert_eq!(requirements.last().unwrap()["id"], "NIS2-LOCAL-1");
}
