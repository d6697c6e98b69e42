//! The command line as a user runs it: exit codes, every output format, explain, rules, schema.

mod common;

use assert_cmd::Command;
use common::{Replace, Scratch, TODAY, Write};
use predicates::prelude::*;

fn isms() -> Command {
    let mut cmd = Command::cargo_bin("isms").unwrap();
    cmd.env_remove("ISMS_TODAY");
    cmd
}

#[test]
fn clean_isms_exits_zero() {
    let s = Scratch::new("base", &[]);
    s.commit_all("carol@fixture.example");
    isms()
        .args(["check", "--today", TODAY])
        .arg(s.path())
        .assert()
        .code(0)
        .stdout(
            "cycle 2026: 0/30 clauses, 0/91 applicable controls, 0/2 areas covered; \
             next due: engineering 2026-07-01, isms-office 2027-01-01\n\n\
             impartiality: verified against 1 commit of git history (no IND, DOC004 or DOC005 error or warning)\n\n\
             isms: no problems found in 8 files\n",
        );
}

#[test]
fn errors_exit_one_and_point_at_file_line_and_column() {
    let s = Scratch::new(
        "base",
        &[Replace(
            "risks.toml",
            "accepted_by = \"bob\"",
            "accepted_by = \"alice\"",
        )],
    );
    s.commit_all("carol@fixture.example");
    isms()
        .args(["check", "--today", TODAY])
        .arg(s.path())
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "error[RISK004]: R-002 was accepted by `alice`, not by its owner `bob`",
        ))
        .stdout(predicate::str::contains("--> risks.toml:25:15"));
}

#[test]
fn warnings_pass_unless_denied() {
    // The first cycle (2026) had its management review, so MR001 is silent in 2027.
    let review = b"id = \"MR-2026-10\"\ndate = 2026-10-14\nattendees = [\"alice\"]\n\n[inputs]\nprevious_actions = \"none\"\nchanges_in_issues = \"none\"\ninterested_parties = \"none\"\nperformance = \"no audit yet\"\nfeedback = \"none\"\nrisk = \"two risks\"\nimprovement = \"none\"\n";
    let s = Scratch::new(
        "base",
        &[Write("management-reviews/MR-2026-10.toml", review)],
    );
    s.commit_all("carol@fixture.example");
    // A day after R-001's review fell due: RISK005 warnings only.
    isms()
        .args(["check", "--today", "2027-02-02"])
        .arg(s.path())
        .assert()
        .code(0);
    isms()
        .args(["check", "--today", "2027-02-02", "--deny", "warnings"])
        .arg(s.path())
        .assert()
        .code(1);
}

#[test]
fn today_comes_from_the_environment_too() {
    let s = Scratch::new("base", &[]);
    s.commit_all("carol@fixture.example");
    isms()
        .env("ISMS_TODAY", "2027-02-02")
        .args(["check", "--deny", "warnings"])
        .arg(s.path())
        .assert()
        .code(1)
        .stdout(predicate::str::contains("RISK005"));
}

#[test]
fn the_nearest_isms_root_upward_is_found() {
    let s = Scratch::new("base", &[]);
    s.commit_all("carol@fixture.example");
    isms()
        .current_dir(s.path().join("documents/isms"))
        .args(["check", "--today", TODAY])
        .assert()
        .code(0);
}

#[test]
fn cannot_run_exits_two() {
    let empty = tempfile::tempdir().unwrap();
    isms()
        .arg("check")
        .arg(empty.path())
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("no isms.toml")
                .and(predicate::str::contains("help: pass the folder")),
        );
    let s = Scratch::new("base", &[]);
    s.commit_all("carol@fixture.example");
    isms()
        .args(["check", "--today", "12/03/2026"])
        .arg(s.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("YYYY-MM-DD"));
    isms()
        .args(["check", "--format", "yaml"])
        .arg(s.path())
        .assert()
        .code(2);
}

#[test]
fn json_format_matches_the_design() {
    let s = Scratch::new(
        "base",
        &[Replace(
            "risks.toml",
            "accepted_by = \"bob\"",
            "accepted_by = \"alice\"",
        )],
    );
    s.commit_all("carol@fixture.example");
    let out = isms()
        .args(["check", "--format", "json", "--today", TODAY])
        .arg(s.path())
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let json: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(json["version"], 1);
    assert_eq!(
        json["summary"],
        serde_json::json!({"errors": 1, "warnings": 0, "infos": 0, "files": 8})
    );
    let d = &json["diagnostics"][0];
    assert_eq!(d["code"], "RISK004");
    assert_eq!(d["severity"], "error");
    assert_eq!(
        d["message"],
        "R-002 was accepted by `alice`, not by its owner `bob`"
    );
    assert_eq!(d["file"], "risks.toml");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(25), Some(15))
    );
    assert_eq!(
        (d["end_line"].as_u64(), d["end_column"].as_u64()),
        (Some(25), Some(22))
    );
    assert!(d["help"].as_str().unwrap().contains("6.1.3 f)"));
    assert_eq!(d["related"][0]["file"], "risks.toml");
    assert_eq!(d["related"][0]["line"], 17);
    assert_eq!(d["related"][0]["message"], "the risk owner");
}

#[test]
fn file_paths_are_relative_to_the_repository_root() {
    let repo = tempfile::tempdir().unwrap();
    let s = Scratch::new(
        "base",
        &[Replace(
            "risks.toml",
            "accepted_by = \"bob\"",
            "accepted_by = \"alice\"",
        )],
    );
    let isms_dir = repo.path().join("compliance/isms");
    std::fs::create_dir_all(isms_dir.parent().unwrap()).unwrap();
    std::fs::rename(s.path(), &isms_dir).unwrap();
    common::commit_all(repo.path(), "carol@fixture.example");
    let out = isms()
        .args(["check", "--format", "json", "--today", TODAY])
        .arg(&isms_dir)
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["diagnostics"][0]["file"], "compliance/isms/risks.toml");
}

#[test]
fn explain_prints_the_rule_documentation() {
    isms()
        .args(["explain", "SOA003"])
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with("# SOA003"))
        .stdout(predicate::str::contains("## How to fix"))
        .stdout(predicate::str::contains(
            "Requirement: ISO/IEC 27001:2022 6.1.3 d)",
        ));
    isms().args(["explain", "soa003"]).assert().code(0);
}

#[test]
fn explain_unknown_code_exits_two_with_a_hint() {
    isms()
        .args(["explain", "SOA03"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `SOA003`?"))
        .stderr(predicate::str::contains("isms rules"));
}

#[test]
fn rules_lists_every_code() {
    let out = isms()
        .arg("rules")
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    for rule in isms::rules::Rule::ALL {
        assert!(text.contains(rule.code()), "{} missing", rule.code());
    }
    assert!(text.contains("SOA003   error    6.1.3 d)"), "{text}");
}

#[test]
fn schema_prints_a_kind_or_lists_them() {
    isms()
        .args(["schema", "risks"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("\"residual_likelihood\""));
    isms()
        .arg("schema")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("finding"));
    isms()
        .args(["schema", "risk"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `risks`?"));
}

#[test]
fn bad_input_never_panics() {
    let cases: [(&str, &[u8]); 6] = [
        ("soa.toml", b"\xff\xfe\x00garbage"),
        (
            "risks.toml",
            b"[[risk]]\nid = \"R-1\"\nlikelihood = 99999999999999999999\n",
        ),
        (
            "people.toml",
            b"[[person]]\nid = [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n",
        ),
        ("documents/x.md", b"+++\n+++\n"),
        ("audits/IA-1/report.md", b"+++\naudit = \"IA-1\"\n"),
        (
            "findings/F.toml",
            b"id = \"F\"\n[[action]]\n[[action]]\ndescription = 3\n",
        ),
    ];
    for (file, bytes) in cases {
        let s = Scratch::new("base", &[common::Write(file, bytes)]);
        isms()
            .args(["check", "--today", TODAY])
            .arg(s.path())
            .assert()
            .code(1)
            .stderr(predicate::str::contains("panicked").not());
    }
}

/// `isms rules | head`: a reader that stops early ends the output quietly, without a panic.
#[test]
fn a_closed_pipe_is_not_a_crash() {
    for args in [&["rules"][..], &["explain", "IND001"], &["schema", "risks"]] {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("isms"))
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take()); // the reader goes away before the output is written
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

/// With IND006 turned off, `isms independence` still says why the history was not read.
#[test]
fn independence_names_the_reason_even_with_ind006_off() {
    let s = Scratch::new(
        "base",
        &[Replace(
            "isms.toml",
            "[rules]\n",
            "[rules]\nIND006 = \"off\"\n",
        )],
    );
    isms()
        .args(["independence", "--today", TODAY])
        .arg(s.path())
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "warning: the ISMS is not in a git repository, so auditor impartiality cannot be verified",
        ))
        .stdout(predicate::str::contains("was not read (--no-git)").not());
}

/// A new ISMS from `isms init`, with git's configuration confined to the test.
fn new_isms() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let config = tmp.path().join("gitconfig");
    std::fs::write(
        &config,
        "[user]\n\tname = Jane Doe\n\temail = jane@example.org\n",
    )
    .unwrap();
    isms()
        .env("GIT_CONFIG_GLOBAL", &config)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .args(["init", "--today", "2026-11-02"])
        .arg(tmp.path().join("isms"))
        .assert()
        .code(0);
    // Committed, as init says: before the first commit there is no history to judge (IND006).
    for args in [
        &["add", "-A"][..],
        &["commit", "-q", "-m", "Set up the ISMS"],
    ] {
        let ok = std::process::Command::new("git")
            .args(args)
            .current_dir(tmp.path().join("isms"))
            .env("GIT_CONFIG_GLOBAL", &config)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env_remove("GIT_DIR")
            .env_remove("GIT_INDEX_FILE")
            .status()
            .unwrap();
        assert!(ok.success(), "git {args:?}");
    }
    tmp
}

fn check_new(tmp: &tempfile::TempDir, args: &[&str]) -> (i32, String) {
    let out = isms()
        .args(["check", "--today", "2026-11-02"])
        .arg(tmp.path().join("isms"))
        .args(args)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), text)
}

#[test]
fn statistics_count_each_rule_on_one_line_and_fit_a_screen() {
    let tmp = new_isms();
    let (code, text) = check_new(&tmp, &["--statistics"]);
    assert_eq!(code, 0, "{text}");
    assert_eq!(
        text,
        "93  SOA008   warning  A control is listed in the SoA without a decision on its applicability\n \
          1  DOC001   warning  A document has no owner, version or approval\n \
          1  PROG003  warning  A requirement clause is not covered by the audits of the cycle (a warning while the cycle runs)\n\
         isms: 0 errors, 95 warnings, 0 infos in 7 files\n"
    );
    assert!(text.lines().count() <= 24);
}

#[test]
fn more_than_ten_diagnostics_of_a_rule_fold_into_a_count_with_the_command_that_lists_them() {
    let tmp = new_isms();
    let (code, text) = check_new(&tmp, &[]);
    assert_eq!(code, 0, "{text}");
    assert_eq!(text.matches("warning[SOA008]").count(), 1, "{text}");
    assert!(
        text.contains("warning[SOA008]: 93 diagnostics not listed: A control is listed in the SoA without a decision on its applicability"),
        "{text}"
    );
    assert!(
        text.contains("`isms check --select SOA008` lists them"),
        "{text}"
    );
    // The rules with fewer diagnostics are listed in full, and the total still counts all.
    assert!(
        text.contains("warning[DOC001]: document POL-ISMS"),
        "{text}"
    );
    assert!(
        text.ends_with("isms: 0 errors, 95 warnings, 0 infos in 7 files\n"),
        "{text}"
    );
    assert!(text.lines().count() < 40, "{} lines", text.lines().count());

    // Selected, they are all listed.
    let (code, text) = check_new(&tmp, &["--select", "SOA008"]);
    assert_eq!(code, 0);
    assert_eq!(text.matches("warning[SOA008]").count(), 93);
    assert!(
        text.ends_with("isms: 0 errors, 93 warnings, 0 infos in 7 files\n"),
        "{text}"
    );
}

#[test]
fn select_and_ignore_take_codes_and_families_and_decide_the_exit_code() {
    let tmp = new_isms();
    let (_, text) = check_new(&tmp, &["--ignore", "soa", "--statistics"]);
    assert!(!text.contains("SOA008"), "{text}");
    assert!(
        text.ends_with("isms: 0 errors, 2 warnings, 0 infos in 7 files\n"),
        "{text}"
    );
    let (_, text) = check_new(&tmp, &["--select", "SOA,DOC", "--ignore", "SOA008"]);
    assert!(
        text.contains("warning[DOC001]") && !text.contains("PROG003"),
        "{text}"
    );
    assert!(
        text.ends_with("isms: 0 errors, 1 warning, 0 infos in 7 files\n"),
        "{text}"
    );

    // An ignored error does not fail the check.
    let s = Scratch::new(
        "base",
        &[Replace(
            "risks.toml",
            "owner = \"alice\"",
            "owner = \"alise\"",
        )],
    );
    let check = |extra: &[&str]| {
        isms()
            .args(["check", "--no-git", "--today", TODAY])
            .arg(s.path())
            .args(extra)
            .output()
            .unwrap()
            .status
            .code()
    };
    assert_eq!(check(&[]), Some(1));
    assert_eq!(check(&["--ignore", "REF001"]), Some(0));
    assert_eq!(check(&["--select", "REF"]), Some(1));
}

#[test]
fn an_unknown_rule_code_in_select_is_refused_with_the_closest() {
    let tmp = new_isms();
    let (code, text) = check_new(&tmp, &["--select", "SAO008"]);
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains("--select SAO008: no rule code starts with `SAO008`; did you mean `SOA008`?"),
        "{text}"
    );
    let (code, text) = check_new(&tmp, &["--statistics", "--format", "json"]);
    assert_eq!(code, 2, "{text}");
}
