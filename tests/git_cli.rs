//! The git-facing commands end to end: `isms check --staged` as a pre-commit hook runs it, and
//! `isms independence` with and without `--audit`.

mod gitrepo;

use assert_cmd::Command;
use gitrepo::*;

fn stdout(cmd: &mut Command) -> (i32, String) {
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// The report lines of the git rules: the small ISMS of these tests breaks other rules
/// (no SoA), which do not matter here.
fn ind_lines(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| l.contains("[IND") || l.contains("[DOC004]") || l.contains("[DOC005]"))
        .map(str::to_string)
        .collect()
}

#[test]
fn staged_edit_of_an_audit_record_by_the_area_owner_is_stopped() {
    let r = TestRepo::clean();
    r.replace(
        "isms/audits/IA-2026-01/checklist.toml",
        "3 of 25",
        "2 of 25",
    );
    r.stage();
    // The working tree check sees nothing yet: the change is not committed.
    let (_, out) = stdout(r.cmd().arg("check"));
    assert_eq!(ind_lines(&out), Vec::<String>::new(), "{out}");
    let (_, out) = stdout(
        r.cmd()
            .args(["check", "--staged"])
            .env("GIT_AUTHOR_EMAIL", "bob@acme.example"),
    );
    assert_eq!(
        ind_lines(&out),
        [
            "error[IND003]: the checklist of audit IA-2026-01 was changed by bob, outside the audit team (dave, erin): staged 2026-06-15 \"(the staged change)\" (line 6)"
        ],
        "{out}"
    );
    // The same change staged by an auditor of the team passes; `git config user.email` is used
    // when GIT_AUTHOR_EMAIL is not set.
    r.repo
        .config()
        .unwrap()
        .set_str("user.email", "dave@acme.example")
        .unwrap();
    let (_, out) = stdout(r.cmd().args(["check", "--staged"]));
    assert_eq!(ind_lines(&out), Vec::<String>::new(), "{out}");
}

#[test]
fn staged_reads_the_index_not_the_working_tree() {
    let r = TestRepo::clean();
    // Staged: a waiver approved by the waived auditor; then the working tree is fixed, unstaged.
    r.write("infra/iam/roles.tf", "# typo\n");
    r.commit(ERIN, "2025-11-02", "Fix a typo");
    let waiver = "\n[[waiver]]\nauditor = \"erin\"\narea = \"access-control\"\nreason = \"typo\"\napproved_by = \"APPROVER\"\napproved_on = 2026-02-18\n";
    r.append(
        "isms/audits/IA-2026-01/plan.toml",
        &waiver.replace("APPROVER", "erin"),
    );
    r.stage();
    r.replace(
        "isms/audits/IA-2026-01/plan.toml",
        "approved_by = \"erin\"",
        "approved_by = \"alice\"",
    );
    let (code, out) = stdout(
        r.cmd()
            .args(["check", "--staged"])
            .env("GIT_AUTHOR_EMAIL", "alice@acme.example"),
    );
    assert!(out.contains("error[IND008]"), "{out}");
    assert_eq!(code, 1);
    // The working tree's waiver is well approved, but not committed: it does not count yet.
    let (_, out) = stdout(r.cmd().arg("check"));
    assert!(
        !out.contains("error[IND008]") && out.contains("error[IND002]"),
        "{out}"
    );
    // Committed by top management, it does.
    r.commit(ALICE, "2026-02-21", "Waiver for erin");
    let (_, out) = stdout(r.cmd().arg("check"));
    assert!(out.contains("info[IND002]"), "{out}");
}

#[test]
fn staged_change_to_an_area_by_an_auditor_before_the_audit() {
    let r = TestRepo::clean();
    // A plan for next year's audit, and erin about to commit a change to the area now.
    r.write(
        "isms/audits/IA-2027-01/plan.toml",
        &PLAN
            .replace("IA-2026-01", "IA-2027-01")
            .replace("2026-03-1", "2027-03-1")
            .replace("2026-02-20", "2027-02-20"),
    );
    r.commit(ALICE, "2026-06-02", "Plan IA-2027-01");
    r.write("infra/iam/roles.tf", "# erin's change\n");
    r.stage();
    let (_, out) = stdout(
        r.cmd()
            .args(["check", "--staged"])
            .env("GIT_AUTHOR_EMAIL", "Erin@Acme.example"),
    );
    let lines = ind_lines(&out);
    assert_eq!(lines.len(), 1, "{out}");
    assert!(
        lines[0].starts_with("error[IND002]: auditor erin of IA-2027-01 authored 1 commit"),
        "{}",
        lines[0]
    );
    assert!(
        lines[0].contains("staged 2026-06-15 \"(the staged change)\" (infra/iam/roles.tf)"),
        "{}",
        lines[0]
    );
}

#[test]
fn independence_matrix_and_audit() {
    let r = TestRepo::clean();
    r.write("infra/iam/roles.tf", "# erin\n");
    r.commit(ERIN, "2025-11-02", "Require MFA");
    let (code, out) = stdout(r.cmd().arg("independence"));
    assert_eq!(code, 0, "{out}");
    insta::assert_snapshot!(
        "independence_matrix",
        out.lines().skip(1).collect::<Vec<_>>().join("\n")
    );
    let (code, out) = stdout(r.cmd().args(["independence", "--audit", "IA-2026-01"]));
    assert_eq!(code, 0, "{out}");
    insta::assert_snapshot!(
        "independence_audit",
        out.lines().skip(1).collect::<Vec<_>>().join("\n")
    );
    let (code, _) = stdout(r.cmd().args(["independence", "--audit", "IA-2026-1"]));
    assert_eq!(code, 2);
}

#[test]
fn shallow_clone_fails_the_check_and_the_matrix() {
    let r = TestRepo::clean();
    r.make_shallow();
    let (code, out) = stdout(r.cmd().arg("check"));
    assert_eq!(code, 1);
    assert!(
        out.contains("error[IND006]") && out.contains("fetch-depth: 0"),
        "{out}"
    );
    let (code, out) = stdout(r.cmd().arg("independence"));
    assert_eq!(code, 1, "{out}");
    let (code, out) = stdout(r.cmd().args(["check", "--no-git"]));
    assert!(
        out.contains("warning[IND009]") && !out.contains("IND006"),
        "{out}"
    );
    let _ = code;
}
