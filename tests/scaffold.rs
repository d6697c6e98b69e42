//! `isms init` and `isms new`, end to end on temporary folders: what they write loads, passes
//! `isms check` without errors, holds what it should, never overwrites, and templates can be
//! overridden from `.isms/templates/`.

mod common;

use std::path::Path;

use isms::check::{self, GitMode, Options};
use isms::diagnostics::Severity;
use isms::model::Date;
use isms::workspace::Workspace;

const TODAY: &str = "2026-11-27";

/// `isms ARGS` with a fixed day and no git configuration of the machine's user.
fn isms(home: &Path, args: &[&str]) -> assert_cmd::assert::Assert {
    common::isms_at_home(home, args)
}

/// The codes of the errors and of the warnings of `isms check` on `root`, with history.
fn check(root: &Path) -> (Vec<String>, Vec<String>) {
    let ws = Workspace::find(Some(root)).unwrap();
    let outcome = check::run_with(
        &ws,
        &Options {
            today: Date::parse(TODAY).unwrap(),
            git: GitMode::Head,
            cache: false,
        },
    )
    .unwrap();
    let codes = |s: Severity| {
        outcome
            .diagnostics
            .iter()
            .filter(|d| d.severity == s)
            .map(|d| format!("{}: {}", d.code(), d.message))
            .collect::<Vec<_>>()
    };
    (codes(Severity::Error), codes(Severity::Warning))
}

fn read(root: &Path, file: &str) -> String {
    std::fs::read_to_string(root.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

#[test]
fn init_writes_an_isms_that_checks_with_warnings_only() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("acme");
    let out = isms(
        tmp.path(),
        &["init", root.to_str().unwrap(), "--org", "Acme Ltd"],
    )
    .success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(stdout.contains("Initialised a git repository"), "{stdout}");
    assert!(
        stdout.contains("note: isms.toml sets `[independence] signatures = \"off\"` because git has no signing key"),
        "{stdout}"
    );
    assert!(
        stdout.contains("note: git has no `user.signingkey`: set up signing with `git config --global gpg.format ssh`"),
        "{stdout}"
    );
    assert!(read(&root, "isms.toml").contains("\nsignatures = \"off\""));
    assert!(root.join(".git").exists());
    for file in [
        "isms.toml",
        "people.toml",
        "areas.toml",
        "soa.toml",
        "risks.toml",
        "documents/isms/information-security-policy.md",
        "audits/programme.toml",
        ".pre-commit-config.yaml",
        ".github/workflows/isms.yml",
        ".isms/schema/soa.schema.json",
    ] {
        assert!(root.join(file).is_file(), "{file}");
    }
    // Before the first commit there is no history to prove impartiality from (IND006).
    let (errors, _) = check(&root);
    assert_eq!(
        errors,
        ["IND006: the repository has no commit yet, so auditor impartiality cannot be verified"]
    );
    let git = |args: &[&str]| {
        let ok = std::process::Command::new("git")
            .args(["-c", "user.name=Ann", "-c", "user.email=ann@acme.example"])
            .args(args)
            .current_dir(&root)
            .env_remove("GIT_DIR")
            .env_remove("GIT_INDEX_FILE")
            .status()
            .expect("git");
        assert!(ok.success(), "git {args:?}");
    };
    git(&["add", "-A"]);
    git(&["commit", "-q", "-m", "Set up the ISMS"]);
    let (errors, warnings) = check(&root);
    assert!(errors.is_empty(), "{errors:#?}");
    let soa008 = warnings.iter().filter(|w| w.starts_with("SOA008")).count();
    assert_eq!(soa008, 93, "{warnings:#?}");
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("DOC001: document POL-ISMS"))
    );
    // The binary agrees: exit 0.
    isms(tmp.path(), &["check", root.to_str().unwrap()]).code(0);

    let soa = read(&root, "soa.toml");
    assert!(soa.starts_with("#:schema .isms/schema/soa.schema.json\n"));
    assert!(
        !soa.lines().any(|l| l.starts_with("applicable")),
        "no decision taken"
    );
    let ids: Vec<&str> = soa
        .lines()
        .filter_map(|l| l.strip_prefix("id = \""))
        .map(|l| l.split('"').next().unwrap())
        .collect();
    let catalogue: Vec<&str> = isms::catalog::iso27001()
        .controls
        .iter()
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(ids, catalogue, "all 93 controls in catalogue order");
    assert!(soa.contains("id = \"A.5.15\"  # Access control"));
    assert!(read(&root, "isms.toml").contains("name = \"Acme Ltd\""));
    assert!(read(&root, "isms.toml").contains("cycle_start = 2026-11-01"));
    assert!(
        read(&root, "audits/programme.toml")
            .starts_with("#:schema ../.isms/schema/programme.schema.json")
    );
    let hook = read(&root, ".pre-commit-config.yaml");
    assert!(hook.contains("entry: isms check . --staged"), "{hook}");
    let workflow = read(&root, ".github/workflows/isms.yml");
    assert!(workflow.contains("fetch-depth: 0"));
    // Installed as the README's "Install" says, in both jobs, and by the hook's users.
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    assert!(readme.contains("cargo install --locked --git https://github.com/OWNER/isms isms"));
    assert!(workflow.contains("ISMS_GIT: https://github.com/OWNER/isms"));
    assert_eq!(
        workflow
            .matches("cargo install --locked --git \"$ISMS_GIT\" isms")
            .count(),
        2
    );
    assert!(!workflow.contains("cargo install --locked isms"));
    assert!(hook.contains("cargo install --locked --git https://github.com/OWNER/isms isms"));
    assert!(workflow.contains("pull_request:"));
    assert!(workflow.contains("isms build . --out _site"));
    assert!(workflow.contains("actions/deploy-pages"));
    assert!(workflow.contains("${{ steps.deploy.outputs.page_url }}"));
    let policy = read(&root, "documents/isms/information-security-policy.md");
    assert!(policy.contains("clauses = [\"5.1\", \"5.2\", \"5.3\"]"));
    assert!(
        !policy.contains("\napproved_by"),
        "a draft carries no approval"
    );
}

#[test]
fn init_takes_the_person_from_git_and_refuses_a_non_empty_folder() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join(".gitconfig"),
        "[user]\n\tname = Jane Doe\n\temail = jane@example.com\n\tsigningkey = ~/.ssh/id_ed25519.pub\n[gpg]\n\tformat = ssh\n",
    )
    .unwrap();
    let key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMIk7wxJLKOpy0gi+blrakARAaEy5LU/HYxwRpPbDgJ1 jane@laptop";
    std::fs::create_dir(tmp.path().join(".ssh")).unwrap();
    std::fs::write(tmp.path().join(".ssh/id_ed25519.pub"), format!("{key}\n")).unwrap();
    let root = tmp.path().join("isms");
    let out = isms(tmp.path(), &["init", root.to_str().unwrap()]).success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(stdout.contains("note: your SSH signing key (git's `user.signingkey`) is listed under your `signing_keys` in people.toml"), "{stdout}");
    let people = read(&root, "people.toml");
    assert!(people.contains("id = \"jane-doe\""), "{people}");
    assert!(people.contains("emails = [\"jane@example.com\"]"));
    assert!(
        people.contains(&format!("signing_keys = [\"{key}\"]")),
        "{people}"
    );
    assert!(read(&root, "areas.toml").contains("owner = \"jane-doe\""));
    assert!(read(&root, "isms.toml").contains("name = \"isms\""));
    // With a key to verify, records must be signed from the start.
    assert!(read(&root, "isms.toml").contains("\nsignatures = \"records\""));
    assert!(stdout.contains("signatures = \"records\"`"), "{stdout}");

    let full = tmp.path().join("full");
    std::fs::create_dir(&full).unwrap();
    std::fs::write(full.join("notes.txt"), "mine").unwrap();
    isms(tmp.path(), &["init", full.to_str().unwrap()])
        .code(2)
        .stderr(predicates::str::contains("is not empty"));
    assert_eq!(
        std::fs::read_to_string(full.join("notes.txt")).unwrap(),
        "mine"
    );
}

/// A new ISMS with an area owner, top management and two auditors, committed.
fn team_isms(tmp: &Path) -> std::path::PathBuf {
    let root = tmp.join("acme");
    isms(tmp, &["init", root.to_str().unwrap(), "--org", "Acme"]).success();
    let mut people = read(&root, "people.toml");
    people.push_str(
        r#"
[[person]]
id = "ceo"
name = "Cleo Executive"
emails = ["ceo@acme.example"]
top_management = true

[[person]]
id = "ann"
name = "Ann Auditor"
emails = ["ann@acme.example"]
auditor = true
competence = ["ISO/IEC 27001 Lead Auditor, 2025"]

[[person]]
id = "ben"
name = "Ben Builder"
emails = ["ben@acme.example"]
auditor = true
competence = ["ISO/IEC 27001 Internal Auditor, 2024"]
"#,
    );
    std::fs::write(root.join("people.toml"), people).unwrap();
    // These tests are about eligibility, not signatures: with no signing key in git's
    // configuration, init leaves signatures off, and the commit below is not signed.
    let config = read(&root, "isms.toml");
    assert!(
        config.contains("\nsignatures = \"off\""),
        "init without a signing key leaves signatures off"
    );
    // ben wrote the ISMS office's files: he may not audit it.
    common::commit_all(&root, "ben@acme.example");
    root
}

#[test]
fn new_audit_proposes_eligible_auditors_and_writes_plan_and_checklist() {
    let tmp = tempfile::tempdir().unwrap();
    let root = team_isms(tmp.path());
    let path = root.to_str().unwrap();
    isms(
        tmp.path(),
        &[
            "new",
            "audit",
            "--path",
            path,
            "--areas",
            "isms-office",
            "--lead",
            "ben",
        ],
    )
    .code(2)
    .stderr(predicates::str::contains(
        "ben may not audit this scope impartially",
    ));
    assert!(!root.join("audits/IA-2026-01").exists());
    let out = isms(
        tmp.path(),
        &[
            "new",
            "audit",
            "--path",
            path,
            "--areas",
            "isms-office",
            "--start",
            "2026-12-14",
        ],
    )
    .success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(stdout.contains("New audit IA-2026-01"), "{stdout}");
    assert!(stdout.contains("ben: not eligible"), "{stdout}");
    assert!(stdout.contains("Eligible: ann"), "{stdout}");
    let plan = read(&root, "audits/IA-2026-01/plan.toml");
    assert!(plan.starts_with("#:schema ../../.isms/schema/plan.schema.json"));
    assert!(plan.contains("lead = \"ann\""), "{plan}");
    assert!(plan.contains("start = 2026-12-14"));
    assert!(plan.contains("areas = [\"isms-office\"]"));
    assert!(plan.contains("\"A.5.35\","));
    assert!(plan.contains("\"9.2.2\""));
    assert!(
        plan.contains("notified = [\"isms-manager\", \"ceo\"]"),
        "{plan}"
    );
    let checklist = read(&root, "audits/IA-2026-01/checklist.toml");
    assert_eq!(checklist.matches("[[item]]").count(), 30 + 6);
    assert!(!checklist.contains("ref = \"A.5.15\""));
    assert!(checklist.contains("method = \"technical-test\""));
    assert!(checklist.contains("ref = \"7.5.2\"  # Creating and updating"));
    let (errors, _) = check(&root);
    assert!(errors.is_empty(), "{errors:#?}");
    // --force plans the ineligible lead anyway; the check then reports the conflict.
    isms(
        tmp.path(),
        &[
            "new",
            "audit",
            "--path",
            path,
            "--areas",
            "isms-office",
            "--lead",
            "ben",
            "--force",
            "--start",
            "2026-12-21",
        ],
    )
    .success();
    assert!(read(&root, "audits/IA-2026-02/plan.toml").contains("lead = \"ben\""));
}

#[test]
fn new_finding_report_document_and_risk_pass_the_check() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("ex");
    common::copy_dir(&common::fixture("example"), &root);
    let path = root.to_str().unwrap();
    let before = read(&root, "audits/IA-2026-04/checklist.toml");
    isms(
        tmp.path(),
        &[
            "new",
            "finding",
            "--path",
            path,
            "--audit",
            "IA-2026-04",
            "--type",
            "minor-nc",
            "--ref",
            "A.8.25",
        ],
    )
    .success()
    .stdout(predicates::str::contains("New finding F-2026-011"));
    let after = read(&root, "audits/IA-2026-04/checklist.toml");
    assert_eq!(
        after,
        before.replacen(
            "ref = \"A.8.25\"\nquestion = \"Was the release security checklist completed and signed for every release since June (4.7.3, 4.8.0, 4.8.1, 4.8.2, 4.9.0)?\"\nmethod = \"document-review\"\nresult = \"not-assessed\"\n",
            "ref = \"A.8.25\"\nquestion = \"Was the release security checklist completed and signed for every release since June (4.7.3, 4.8.0, 4.8.1, 4.8.2, 4.9.0)?\"\nmethod = \"document-review\"\nresult = \"not-assessed\"\nfinding = \"F-2026-011\"\n",
            1
        ),
        "only the link is added"
    );
    // A control written as a clause number is refused with the control it means, and nothing
    // is written.
    isms(
        tmp.path(),
        &[
            "new",
            "finding",
            "--path",
            path,
            "--audit",
            "IA-2026-04",
            "--type",
            "minor-nc",
            "--ref",
            "8.8",
        ],
    )
    .code(2)
    .stderr(predicates::str::contains(
        "did you mean `A.8.8` (Management of technical vulnerabilities)?",
    ));
    assert!(!root.join("findings/F-2026-012.toml").exists());
    let finding = read(&root, "findings/F-2026-011.toml");
    assert!(finding.contains("audit = \"IA-2026-04\""));
    assert!(finding.contains("refs = [\"A.8.25\"]"));
    assert!(
        finding.contains("area = \"software-development\""),
        "{finding}"
    );
    assert!(finding.contains("raised_by = \"heidi\""));

    // One nonconformity and one observation: the summary counts them in the singular.
    let original = read(&root, "audits/IA-2026-04/checklist.toml");
    let checklist = original
        .clone()
        .replacen("result = \"not-assessed\"", "result = \"nonconformity\"", 1)
        .replacen("result = \"not-assessed\"", "result = \"observation\"", 1);
    std::fs::write(root.join("audits/IA-2026-04/checklist.toml"), checklist).unwrap();
    isms(
        tmp.path(),
        &["new", "report", "--path", path, "--audit", "IA-2026-04"],
    )
    .success();
    let report = read(&root, "audits/IA-2026-04/report.md");
    assert!(
        report.contains("1 nonconformity, 1 observation, 0 opportunities for improvement"),
        "{report}"
    );
    std::fs::write(root.join("audits/IA-2026-04/checklist.toml"), original).unwrap();
    for section in [
        "Scope",
        "Criteria",
        "Objectives",
        "Summary",
        "Findings",
        "Recommendations",
        "Conclusion",
    ] {
        assert!(report.contains(&format!("\n## {section}\n")), "{section}");
    }
    assert!(report.contains("PRO-SDLC v4.2"), "criteria from the plan");
    assert!(
        report.contains("distributed_to = [\"alice\", \"bob\", \"carol\", \"dave\", \"erin\"]")
    );
    // Never overwritten.
    std::fs::write(root.join("audits/IA-2026-04/report.md"), "mine").unwrap();
    isms(
        tmp.path(),
        &["new", "report", "--path", path, "--audit", "IA-2026-04"],
    )
    .code(2)
    .stderr(predicates::str::contains("already exists"));
    assert_eq!(read(&root, "audits/IA-2026-04/report.md"), "mine");
    std::fs::remove_file(root.join("audits/IA-2026-04/report.md")).unwrap();

    isms(
        tmp.path(),
        &[
            "new",
            "document",
            "--path",
            path,
            "--kind",
            "procedure",
            "--title",
            "Key Management Procedure",
            "--area",
            "access-control",
            "--approved-by",
            "alice",
        ],
    )
    .success()
    .stdout(predicates::str::contains("PRO-KEY-MANAGEMENT"));
    // In the area's folder (its paths hold `documents/access/**`), not one named after its id.
    let doc = read(&root, "documents/access/key-management-procedure.md");
    assert!(!root.join("documents/access-control").exists());
    assert!(doc.contains("owner = \"frank\""), "{doc}");
    assert!(doc.contains("approved_on = 2026-11-27"));

    let risks = read(&root, "risks.toml");
    isms(
        tmp.path(),
        &[
            "new",
            "risk",
            "--path",
            path,
            "--title",
            "Loss of an unencrypted laptop",
            "--owner",
            "dave",
            "--likelihood",
            "3",
            "--impact",
            "2",
            "--controls",
            "A.8.1",
        ],
    )
    .success()
    .stdout(predicates::str::contains("New risk R-021"));
    let new_risks = read(&root, "risks.toml");
    assert!(
        new_risks.starts_with(&risks),
        "the register is only appended to"
    );
    assert!(new_risks.contains("id = \"R-021\"\ntitle = \"Loss of an unencrypted laptop\""));

    let (errors, _) = check(&root);
    let errors: Vec<_> = errors
        .into_iter()
        .filter(|e| !e.starts_with("IND006"))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn templates_are_overridden_from_the_isms() {
    let tmp = tempfile::tempdir().unwrap();
    let root = team_isms(tmp.path());
    std::fs::create_dir_all(root.join(".isms/templates")).unwrap();
    std::fs::write(
        root.join(".isms/templates/document.md"),
        "+++\nid = {{ id | q }}\nkind = {{ kind | q }}\ntitle = {{ title | q }}\nversion = \"0.1\"\nowner = \"ceo\"\n+++\n# {{ title }}\n\nOur house style.\n",
    )
    .unwrap();
    isms(
        tmp.path(),
        &[
            "new",
            "document",
            "--path",
            root.to_str().unwrap(),
            "--kind",
            "standard",
            "--title",
            "Crypto Standard",
        ],
    )
    .success();
    let doc = read(&root, "documents/crypto-standard.md");
    assert!(doc.contains("Our house style."), "{doc}");
    assert!(doc.contains("id = \"STD-CRYPTO\""));
}

/// Two audited areas answering for the same control: the new report names it once.
#[test]
fn a_report_lists_a_control_shared_by_two_areas_once() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("ex");
    common::copy_dir(&common::fixture("example"), &root);
    let edit = |file: &str, from: &str, to: &str| {
        let text = read(&root, file);
        assert_eq!(text.matches(from).count(), 1, "{file}: {from}");
        std::fs::write(root.join(file), text.replacen(from, to, 1)).unwrap();
    };
    // IA-2026-04 takes its controls from its two areas, and both answer for A.8.25.
    let plan = read(&root, "audits/IA-2026-04/plan.toml");
    let start = plan.find("controls = [").unwrap();
    let end = start + plan[start..].find("]\n").unwrap() + 2;
    edit("audits/IA-2026-04/plan.toml", &plan[start..end], "");
    edit(
        "areas.toml",
        "\"A.8.17\", \"A.8.19\",",
        "\"A.8.17\", \"A.8.19\", \"A.8.25\",",
    );
    isms(
        tmp.path(),
        &[
            "new",
            "report",
            "--path",
            root.to_str().unwrap(),
            "--audit",
            "IA-2026-04",
        ],
    )
    .success();
    let report = read(&root, "audits/IA-2026-04/report.md");
    let line = report
        .lines()
        .find(|l| l.starts_with("- Annex A controls: "))
        .expect("the controls line");
    assert_eq!(line.matches("A.8.25").count(), 1, "{line}");
    assert!(line.contains("A.8.6"), "the second area's controls: {line}");
}

/// The standard error of `isms ARGS`, which must fail with exit code 2.
fn refused(home: &Path, args: &[&str]) -> String {
    let out = isms(home, args).code(2);
    String::from_utf8_lossy(&out.get_output().stderr).into_owned()
}

/// A copy of the example ISMS in `tmp` (no history), with `remove` deleted.
fn example_copy(tmp: &Path, remove: &[&str]) -> std::path::PathBuf {
    let root = tmp.join("acme");
    common::copy_dir(&common::fixture("example"), &root);
    for file in remove {
        std::fs::remove_file(root.join(file)).unwrap();
    }
    root
}

/// The diagnostics of `isms check` on `root` without history, as `CODE: message`.
fn loop_codes(root: &Path) -> Vec<String> {
    let ws = Workspace::find(Some(root)).unwrap();
    let outcome = check::run_with(
        &ws,
        &Options {
            today: Date::parse(TODAY).unwrap(),
            git: GitMode::Skip,
            cache: false,
        },
    )
    .unwrap();
    outcome
        .diagnostics
        .iter()
        .filter(|d| d.code() != "IND009")
        .map(|d| format!("{}: {}", d.code(), d.message))
        .collect()
}

#[test]
fn new_management_review_is_drafted_from_the_isms_since_the_previous_one() {
    let tmp = tempfile::tempdir().unwrap();
    let root = example_copy(tmp.path(), &["management-reviews/MR-2026-10.toml"]);
    let path = root.to_str().unwrap();
    let out = isms(
        tmp.path(),
        &[
            "new",
            "management-review",
            "--path",
            path,
            "--date",
            "2026-10-20",
        ],
    )
    .success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(
        stdout.contains("New management review MR-2026-10"),
        "{stdout}"
    );
    assert!(
        stdout.contains("wrote   management-reviews/MR-2026-10.toml"),
        "{stdout}"
    );
    let text = read(&root, "management-reviews/MR-2026-10.toml");
    // The reports distributed after MR-2026-04 (2026-04-21) and by the review; IA-2026-05's
    // (2026-11-24) is for the next one.
    assert!(
        text.contains("audits_reviewed = [\"IA-2026-02\", \"IA-2026-03\"]"),
        "{text}"
    );
    // Findings not closed, and those raised since the previous review; F-2026-001 (closed, raised
    // before MR-2026-04) and F-2026-010 (raised after the review) are not.
    assert!(text.contains("\"F-2026-004\""), "{text}");
    assert!(text.contains("\"F-2026-005\""), "{text}");
    assert!(!text.contains("\"F-2026-001\""), "{text}");
    assert!(!text.contains("\"F-2026-010\""), "{text}");
    assert!(text.contains("objectives_reviewed = [\"OBJ-1\", \"OBJ-2\", \"OBJ-3\", \"OBJ-4\", \"OBJ-5\", \"OBJ-6\"]"), "{text}");
    // a) reports every decision of MR-2026-04 by its tag; d) the audits, findings, objectives.
    assert!(
        text.contains(
            "MR-2026-04#1 Fund web filtering (Cloudflare Gateway): open, due 2027-03-31."
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "MR-2026-04#2 Automate leaver deprovisioning (F-2026-001): completed on 2026-05-28."
        ),
        "{text}"
    );
    assert!(
        text.contains("Audits: IA-2026-02 (effective with exceptions), IA-2026-03 (effective with exceptions)."),
        "{text}"
    );
    assert!(
        text.contains("OBJ-3 missed (79 % (11/14) on 2026-09-30)"),
        "{text}"
    );
    assert!(text.contains("chair = \"alice\""), "{text}");
    // It loads; the check asks for the inputs nobody could draft, and for nothing else of MR.
    let found = loop_codes(&root);
    let mr: Vec<&String> = found
        .iter()
        .filter(|c| c.starts_with("MR") || c.starts_with("LOAD") || c.starts_with("REF"))
        .collect();
    assert_eq!(
        mr,
        [
            "MR002: management review MR-2026-10 lacks input 9.3.2 b) `changes_in_issues`",
            "MR002: management review MR-2026-10 lacks input 9.3.2 c) `interested_parties`",
            "MR002: management review MR-2026-10 lacks input 9.3.2 e) `feedback`",
            "MR002: management review MR-2026-10 lacks input 9.3.2 g) `improvement`",
        ],
        "{found:?}"
    );
    // Never overwritten: the same review again is refused, and the file is unchanged.
    let stderr = refused(
        tmp.path(),
        &[
            "new",
            "management-review",
            "--path",
            path,
            "--date",
            "2026-10-20",
        ],
    );
    assert!(stderr.contains("MR-2026-10 exists already"), "{stderr}");
    assert_eq!(read(&root, "management-reviews/MR-2026-10.toml"), text);
}

#[test]
fn new_objective_and_incident_pass_the_check_and_feed_its_rules() {
    let tmp = tempfile::tempdir().unwrap();
    let root = example_copy(tmp.path(), &[]);
    let path = root.to_str().unwrap();
    let out = isms(
        tmp.path(),
        &[
            "new",
            "objective",
            "--path",
            path,
            "--title",
            "Encrypt every laptop",
            "--owner",
            "kofi",
            "--measure",
            "share of managed laptops encrypted",
            "--target",
            "100 %",
            "--method",
            "Jamf compliance report",
            "--due",
            "2027-06-30",
        ],
    )
    .success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(stdout.contains("New objective OBJ-7"), "{stdout}");
    let objectives = read(&root, "objectives.toml");
    assert!(
        objectives.contains("id = \"OBJ-7\"\ntitle = \"Encrypt every laptop\"\nowner = \"kofi\""),
        "{objectives}"
    );
    // An objective without measure, target or method is written with them empty, and said so.
    let out = isms(
        tmp.path(),
        &[
            "new",
            "objective",
            "--path",
            path,
            "--title",
            "Fewer incidents",
            "--owner",
            "judy",
        ],
    )
    .success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(
        stdout.contains("New objective OBJ-8")
            && stdout.contains("Write the empty `measure`, `target` and `method`"),
        "{stdout}"
    );

    let out = isms(
        tmp.path(),
        &[
            "new",
            "incident",
            "--path",
            path,
            "--title",
            "Phishing led to a mailbox takeover",
            "--severity",
            "high",
            "--detected-on",
            "2026-11-20",
            "--areas",
            "people-security",
            "--controls",
            "A.6.3,A.5.17",
        ],
    )
    .success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(stdout.contains("New incident INC-2026-015"), "{stdout}");
    assert!(
        stdout.contains("wrote   incidents/INC-2026-015.toml"),
        "{stdout}"
    );
    assert!(
        stdout.contains("now due at the high frequency (PROG006)"),
        "{stdout}"
    );
    let incident = read(&root, "incidents/INC-2026-015.toml");
    assert!(incident.contains("severity = \"high\""), "{incident}");
    assert!(
        incident.contains("controls = [\"A.6.3\", \"A.5.17\"]"),
        "{incident}"
    );

    let found = loop_codes(&root);
    assert!(
        !found.iter().any(|c| c.starts_with("LOAD")
            || c.starts_with("REF")
            || c.starts_with("OBJ001: objective OBJ-7")),
        "{found:?}"
    );
    // OBJ001 asks for what OBJ-8 lacks; the high incident of people-security, last audited in
    // March, brings its next audit forward.
    assert!(
        found.contains(
            &"OBJ001: objective OBJ-8 lacks `measure`, `target` and `method`".to_string()
        ),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|c| c.starts_with("PROG006: area `people-security` is overdue")),
        "{found:?}"
    );

    // Bad input: an unknown area, an unknown severity; nothing written.
    let stderr = refused(
        tmp.path(),
        &[
            "new",
            "incident",
            "--path",
            path,
            "--title",
            "x",
            "--severity",
            "high",
            "--areas",
            "people-securty",
        ],
    );
    assert!(
        stderr.contains("there is no area `people-securty`") && stderr.contains("people-security"),
        "{stderr}"
    );
    let stderr = refused(
        tmp.path(),
        &[
            "new",
            "incident",
            "--path",
            path,
            "--title",
            "x",
            "--severity",
            "severe",
        ],
    );
    assert!(
        stderr.contains("`severe` is not a severity: use one of low, medium, high, critical"),
        "{stderr}"
    );
    assert!(!root.join("incidents/INC-2026-016.toml").exists());
}
