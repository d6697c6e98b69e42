//! `isms check --format sarif|github` end to end, on a tiny ISMS in a temporary folder.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command as Process;

use assert_cmd::Command;
use serde_json::Value;

/// An ISMS with problems: no scope, no policy, an incomplete SoA with a control not in Annex A
/// and a duplicate (whose diagnostic has a related place).
fn tiny_isms() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(
        dir.path().join("isms.toml"),
        "[organisation]\nname = \"Acme\"\n",
    )
    .expect("isms.toml");
    std::fs::write(
        dir.path().join("soa.toml"),
        "[[control]]\nid = \"A.5.1\"\napplicable = true\n\n[[control]]\nid = \"A.99.1\"\napplicable = true\n\n[[control]]\nid = \"A.5.1\"\napplicable = false\n",
    )
    .expect("soa.toml");
    dir
}

/// `isms check` in `dir`; without a git repository there, `--no-git` (and its IND009 warning).
fn isms(dir: &Path, format: &str) -> Command {
    let mut cmd = Command::cargo_bin("isms").expect("the isms binary");
    cmd.current_dir(dir)
        .args(["check", "--format", format, "--today", common::TODAY]);
    if !dir.join(".git").exists() {
        cmd.arg("--no-git");
    }
    cmd.env_remove("GITHUB_STEP_SUMMARY")
        .env_remove("ISMS_TODAY");
    cmd
}

fn sarif(dir: &Path) -> Value {
    let out = isms(dir, "sarif")
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out).expect("SARIF output is JSON")
}

fn fingerprints(log: &Value) -> Vec<(String, String)> {
    log["runs"][0]["results"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| {
            (
                r["message"]["text"].as_str().unwrap_or("").to_string(),
                r["partialFingerprints"]["isms/v1"]
                    .as_str()
                    .unwrap_or("")
                    .to_string(),
            )
        })
        .collect()
}

#[test]
fn sarif_is_a_log_with_located_results() {
    let dir = tiny_isms();
    let log = sarif(dir.path());
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    let results = run["results"].as_array().expect("results");
    let duplicate = results
        .iter()
        .find(|r| r["ruleId"] == "LOAD003")
        .expect("the duplicate control");
    let related = &duplicate["relatedLocations"][0];
    assert_eq!(related["message"]["text"], "first defined here");
    assert_eq!(
        related["physicalLocation"]["artifactLocation"]["uri"],
        "soa.toml"
    );
    assert_eq!(related["physicalLocation"]["region"]["startLine"], 2);
    assert!(
        results.iter().any(|r| r["ruleId"] == "SOA001"),
        "SOA001 among the results"
    );
    for r in results {
        let loc = &r["locations"][0]["physicalLocation"];
        let uri = loc["artifactLocation"]["uri"].as_str().expect("a uri");
        assert!(uri == "isms.toml" || uri == "soa.toml", "{uri}");
        assert!(loc["region"]["startLine"].as_u64().is_some_and(|l| l >= 1));
        assert!(r["partialFingerprints"]["isms/v1"].is_string());
    }
}

#[test]
fn sarif_fingerprints_survive_runs_and_lines_inserted_above() {
    let dir = tiny_isms();
    let first = fingerprints(&sarif(dir.path()));
    assert!(
        first == fingerprints(&sarif(dir.path())),
        "a second run differs"
    );
    for name in ["isms.toml", "soa.toml"] {
        let path = dir.path().join(name);
        let text = std::fs::read_to_string(&path).expect("read");
        std::fs::write(&path, format!("# inserted\n\n{text}")).expect("write");
    }
    let moved = fingerprints(&sarif(dir.path()));
    let changed: Vec<_> = first.iter().filter(|f| !moved.contains(f)).collect();
    assert!(changed.is_empty(), "fingerprints changed: {changed:#?}");
    assert_eq!(first.len(), moved.len());
}

/// Validates with scripts/validate-sarif.py against the official schema, where the schema
/// (../shared/reference) and Python's jsonschema package are present; .ci/run always does.
#[test]
fn sarif_is_valid_against_the_official_schema() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let schema = root.join("../shared/reference/sarif-schema-2.1.0.json");
    let has_jsonschema = Process::new("python3")
        .args(["-c", "import jsonschema"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !schema.is_file() || !has_jsonschema {
        eprintln!(
            "skipped: needs {} and python3 with jsonschema",
            schema.display()
        );
        return;
    }
    let dir = tiny_isms();
    let out = isms(dir.path(), "sarif")
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    Command::new("python3")
        .arg(root.join("scripts/validate-sarif.py"))
        .arg("--schema")
        .arg(&schema)
        .arg("-")
        .write_stdin(out)
        .assert()
        .success()
        .stdout(predicates::str::contains("valid SARIF 2.1.0"));
}

#[test]
fn github_prints_at_most_ten_errors_and_a_count() {
    let dir = tiny_isms();
    let out = isms(dir.path(), "github")
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).expect("UTF-8");
    let lines: Vec<&str> = out.lines().collect();
    let errors = lines
        .iter()
        .filter(|l| l.starts_with("::error file="))
        .count();
    assert_eq!(errors, 10, "{out}");
    assert!(
        lines
            .iter()
            .all(|l| l.starts_with("::") || l.starts_with("isms: ")),
        "{out}"
    );
    let notice = lines
        .iter()
        .find(|l| l.starts_with("::notice title=isms::"))
        .expect("a notice counting the rest");
    assert!(
        notice.contains("more diagnostics not annotated"),
        "{notice}"
    );
    assert!(
        lines.last().is_some_and(|l| l.starts_with("isms: ")),
        "{out}"
    );
}

#[test]
fn github_appends_the_step_summary_when_set() {
    let dir = tiny_isms();
    let summary = dir.path().join("summary.md");
    std::fs::write(&summary, "# earlier step\n").expect("write");
    isms(dir.path(), "github")
        .env("GITHUB_STEP_SUMMARY", &summary)
        .assert()
        .code(1);
    let text = std::fs::read_to_string(&summary).expect("the summary");
    assert!(
        text.starts_with("# earlier step\n## isms check\n"),
        "{text}"
    );
    assert!(text.contains("| Errors |"), "{text}");
    assert!(text.contains("| SOA001 | error | soa.toml:"), "{text}");
    assert!(text.contains("`isms explain"), "{text}");
    // Twice: appended again, not overwritten.
    isms(dir.path(), "github")
        .env("GITHUB_STEP_SUMMARY", &summary)
        .assert()
        .code(1);
    let again = std::fs::read_to_string(&summary).expect("the summary");
    assert_eq!(again.matches("## isms check").count(), 2);
}

#[test]
fn no_isms_is_exit_two_in_every_format() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    for format in ["sarif", "github"] {
        isms(dir.path(), format)
            .assert()
            .code(2)
            .stdout(predicates::str::is_empty())
            .stderr(predicates::str::contains("no isms.toml"));
    }
}

#[test]
fn a_clean_isms_exits_zero_with_an_empty_sarif_log() {
    let s = common::Scratch::new("base", &[]);
    s.commit_all("carol@fixture.example");
    let out = isms(s.path(), "sarif")
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let log: Value = serde_json::from_slice(&out).expect("SARIF output is JSON");
    assert_eq!(log["runs"][0]["results"], serde_json::json!([]));
    assert!(
        log["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .is_some_and(|r| !r.is_empty())
    );
}

#[test]
fn a_clean_isms_passes_in_the_github_format() {
    let s = common::Scratch::new("base", &[]);
    s.commit_all("carol@fixture.example");
    let summary = s.path().join("summary.md");
    isms(s.path(), "github")
        .env("GITHUB_STEP_SUMMARY", &summary)
        .assert()
        .code(0)
        .stdout(predicates::str::starts_with("isms: no problems found"));
    let text = std::fs::read_to_string(&summary).expect("the summary");
    assert!(text.contains("**Passed**: no problems found"), "{text}");
}

/// A control id with `%`, `,`, `:`, `|`, CR and LF ends up in a message: escaped everywhere.
#[test]
fn github_escapes_hostile_text_from_the_isms() {
    let dir = tiny_isms();
    std::fs::write(
        dir.path().join("soa.toml"),
        "[[control]]\nid = \"A.1%,: |\\r\\nX\"\napplicable = true\n",
    )
    .expect("soa.toml");
    let summary = dir.path().join("summary.md");
    let out = isms(dir.path(), "github")
        .env("GITHUB_STEP_SUMMARY", &summary)
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).expect("UTF-8");
    assert!(!out.contains('\r'), "{out}");
    assert!(
        out.lines()
            .all(|l| l.starts_with("::") || l.starts_with("isms: ")),
        "{out}"
    );
    let text = std::fs::read_to_string(&summary).expect("the summary");
    let row = text
        .lines()
        .find(|l| l.starts_with("| LOAD002 | error | soa.toml:2:"))
        .expect("the bad id's row, on one line");
    assert!(row.contains("`A.1%,: \\|<br>X`"), "{row}");
    assert!(!text.contains('\r'));
}
