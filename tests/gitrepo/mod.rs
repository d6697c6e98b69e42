//! Temporary git repositories built with git2, with fixed authors and dates, holding a small
//! ISMS in the subfolder `isms/` (areas also own `infra/iam/**` outside it), for the
//! impartiality tests. Same steps, same hashes: the diagnostics can be snapshot-tested.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use git2::{Oid, Repository, Signature, Time};
use isms::check::{self, GitMode, Options};
use isms::diagnostics::{Diagnostic, Severity};
use isms::model::Date;
use isms::workspace::Workspace;

pub const ALICE: (&str, &str) = ("Alice Martin", "alice@acme.example");
pub const BOB: (&str, &str) = ("Bob Stone", "bob@acme.example");
pub const CAROL: (&str, &str) = ("Carol Diaz", "carol@acme.example");
pub const DAVE: (&str, &str) = ("Dave Okafor", "dave@acme.example");
pub const ERIN: (&str, &str) = ("Erin Walsh", "erin@acme.example");
pub const BOT: (&str, &str) = (
    "renovate[bot]",
    "29139614+renovate[bot]@users.noreply.github.com",
);
pub const STRANGER: (&str, &str) = ("Sam Stranger", "sam@elsewhere.example");

/// The day the scenarios are checked on, after the audit, its finding and verification.
pub const TODAY: &str = "2026-06-15";

pub const ISMS_TOML: &str = r#"[organisation]
name = "Acme MedTech Ltd"
scope = "The CardioWatch platform"

[independence]
lookback_months = 24
ignore_authors = ["*[bot]@users.noreply.github.com", "ci@acme.example"]
"#;

pub const PEOPLE: &str = r#"[[person]]
id = "alice"
name = "Alice Martin"
emails = ["alice@acme.example"]
roles = ["CEO"]
top_management = true

[[person]]
id = "bob"
name = "Bob Stone"
emails = ["bob@acme.example"]
roles = ["IAM lead"]

[[person]]
id = "carol"
name = "Carol Diaz"
emails = ["carol@acme.example"]
roles = ["Platform engineer"]

[[person]]
id = "dave"
name = "Dave Okafor"
emails = ["dave@acme.example", "12345+Dave@users.noreply.github.com"]
roles = ["Quality manager"]
auditor = true
competence = ["ISO/IEC 27001 Lead Auditor, 2025-04"]

[[person]]
id = "erin"
name = "Erin Walsh"
emails = ["erin@acme.example"]
roles = ["Security engineer"]
auditor = true
competence = ["ISO/IEC 27001 Internal Auditor, 2025-09"]
"#;

pub const AREAS: &str = r#"[[area]]
id = "access-control"
name = "Identity and access management"
owner = "bob"
members = ["carol"]
risk = "high"
paths = ["documents/access/**", "../infra/iam/**"]
controls = ["A.5.15", "A.5.18"]
"#;

pub const POLICY: &str = r#"+++
id = "POL-ACCESS"
kind = "policy"
title = "Access Control Policy"
version = "1.0"
owner = "bob"
area = "access-control"
approved_by = "alice"
approved_on = 2025-01-10
controls = ["A.5.15", "A.5.18"]
clauses = ["5.2"]
+++
# Access Control Policy

Access is granted on least privilege.
"#;

pub const PLAN: &str = r#"id = "IA-2026-01"
title = "Access control"
objectives = "Verify leaver handling"
criteria = ["ISO/IEC 27001:2022 A.5.15-A.5.18"]
areas = ["access-control"]
controls = ["A.5.15", "A.5.18"]
lead = "dave"
team = ["erin"]
start = 2026-03-10
end = 2026-03-12
methods = ["document-review", "technical-test"]
notified = ["bob", "alice"]
notified_on = 2026-02-20
"#;

pub const CHECKLIST: &str = r#"[[item]]
ref = "A.5.18"
question = "Are access rights removed within 24 hours of leaving?"
method = "technical-test"
result = "nonconformity"
evidence = "3 of 25 sampled leavers kept active accounts for 10 days."
finding = "F-2026-001"
"#;

pub const REPORT: &str = r#"+++
audit = "IA-2026-01"
date = 2026-03-12
conclusion = "effective-with-exceptions"
distributed_to = ["alice", "bob"]
distributed_on = 2026-03-13
+++
## Scope
Access control.
## Criteria
A.5.15-A.5.18.
## Objectives
Leavers.
## Summary
One minor nonconformity.
## Findings
F-2026-001.
## Recommendations
Automate.
## Conclusion
Effective with exceptions.
"#;

pub const FINDING: &str = r#"id = "F-2026-001"
audit = "IA-2026-01"
type = "minor-nc"
refs = ["A.5.18"]
area = "access-control"
raised_by = "dave"
raised_on = 2026-03-12
statement = "Leavers keep access."
evidence = "HR-311, HR-318, HR-322."
"#;

pub const ANSWER: &str = r#"
[root_cause]
analysis = "Offboarding relies on a manual email."
by = "bob"
on = 2026-03-25

[[action]]
description = "Automate deprovisioning."
owner = "bob"
due = 2026-05-01
completed_on = 2026-04-20
"#;

pub const VERIFICATION: &str = r#"
[verification]
by = "dave"
on = 2026-06-01
effective = true
notes = "Re-sampled 20 leavers: all removed within 4 hours."
"#;

/// A repository in a temporary folder.
pub struct TestRepo {
    pub dir: tempfile::TempDir,
    pub repo: Repository,
}

pub fn time(date: &str) -> Time {
    let ts: jiff::Timestamp = format!("{date}T12:00:00Z").parse().expect("a date");
    Time::new(ts.as_second(), 0)
}

impl TestRepo {
    /// An empty repository.
    pub fn empty() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let repo = Repository::init(dir.path()).expect("init");
        let mut config = repo.config().expect("config");
        config.set_str("user.name", "Nobody").expect("config");
        config
            .set_str("user.email", "nobody@nowhere.example")
            .expect("config");
        Self { dir, repo }
    }

    /// A repository whose history is a clean audit of `access-control` by dave and erin.
    pub fn clean() -> Self {
        let r = Self::empty();
        r.write("isms/isms.toml", ISMS_TOML);
        r.write("isms/people.toml", PEOPLE);
        r.write("isms/areas.toml", AREAS);
        r.commit(ALICE, "2024-01-05", "Set up the ISMS");
        r.write("isms/documents/access/policy.md", POLICY);
        r.commit(BOB, "2025-01-10", "Access control policy");
        r.write("infra/iam/roles.tf", "resource \"role\" \"admin\" {}\n");
        r.commit(CAROL, "2025-06-01", "IAM roles");
        r.write("isms/audits/IA-2026-01/plan.toml", PLAN);
        r.commit(ALICE, "2026-02-20", "Plan IA-2026-01");
        r.write("isms/audits/IA-2026-01/checklist.toml", CHECKLIST);
        r.write("isms/audits/IA-2026-01/report.md", REPORT);
        r.write("isms/findings/F-2026-001.toml", FINDING);
        r.commit(
            DAVE,
            "2026-03-12",
            "Audit IA-2026-01: checklist, report, finding",
        );
        r.append("isms/findings/F-2026-001.toml", ANSWER);
        r.commit(BOB, "2026-03-25", "Answer F-2026-001");
        r.append("isms/findings/F-2026-001.toml", VERIFICATION);
        r.commit(DAVE, "2026-06-01", "Verify F-2026-001");
        r
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn isms(&self) -> PathBuf {
        self.dir.path().join("isms")
    }

    pub fn write(&self, path: &str, text: &str) {
        let p = self.root().join(path);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    }

    pub fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.root().join(path)).expect("read")
    }

    pub fn append(&self, path: &str, text: &str) {
        let old = self.read(path);
        self.write(path, &format!("{old}{text}"));
    }

    pub fn replace(&self, path: &str, from: &str, to: &str) {
        let old = self.read(path);
        assert_eq!(old.matches(from).count(), 1, "`{from}` once in {path}");
        self.write(path, &old.replacen(from, to, 1));
    }

    pub fn rename(&self, from: &str, to: &str) {
        let to_path = self.root().join(to);
        std::fs::create_dir_all(to_path.parent().expect("parent")).expect("mkdir");
        std::fs::rename(self.root().join(from), to_path).expect("rename");
    }

    /// Stages the whole working tree (additions, changes and deletions).
    pub fn stage(&self) -> Oid {
        let mut index = self.repo.index().expect("index");
        index
            .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
            .expect("add");
        index.update_all(["*"], None).expect("update");
        index.write().expect("write index");
        index.write_tree().expect("tree")
    }

    /// `isms` run in the ISMS folder on [`TODAY`], with git's identity from the repository.
    pub fn cmd(&self) -> assert_cmd::Command {
        let mut cmd = assert_cmd::Command::cargo_bin("isms").expect("the isms binary");
        cmd.current_dir(self.isms())
            .env("ISMS_TODAY", TODAY)
            .env_remove("GIT_AUTHOR_EMAIL")
            .env_remove("GIT_AUTHOR_NAME");
        cmd
    }

    /// The commit HEAD points at.
    /// The tree of `commit`, to merge it as it is.
    pub fn tree_of(&self, commit: Oid) -> Oid {
        self.repo.find_commit(commit).expect("commit").tree_id()
    }

    pub fn tip(&self) -> Oid {
        self.head().expect("a commit")
    }

    fn head(&self) -> Option<Oid> {
        self.repo.head().ok().and_then(|h| h.target())
    }

    /// Commits the working tree as `who` on `date` (author and committer).
    pub fn commit(&self, who: (&str, &str), date: &str, message: &str) -> Oid {
        let tree = self.stage();
        let parents: Vec<Oid> = self.head().into_iter().collect();
        self.commit_tree(who, date, message, tree, &parents)
    }

    /// A commit of `tree` with the given parents, moving HEAD to it.
    pub fn commit_tree(
        &self,
        who: (&str, &str),
        date: &str,
        message: &str,
        tree: Oid,
        parents: &[Oid],
    ) -> Oid {
        let sig = Signature::new(who.0, who.1, &time(date)).expect("signature");
        let tree = self.repo.find_tree(tree).expect("tree");
        let parents: Vec<git2::Commit<'_>> = parents
            .iter()
            .map(|p| self.repo.find_commit(*p).expect("parent"))
            .collect();
        let refs: Vec<&git2::Commit<'_>> = parents.iter().collect();
        let oid = self
            .repo
            .commit(None, &sig, &sig, message, &tree, &refs)
            .expect("commit");
        self.advance(oid);
        oid
    }

    /// Moves the current branch (HEAD's) to `oid`.
    pub fn advance(&self, oid: Oid) {
        let head = std::fs::read_to_string(self.repo.path().join("HEAD")).expect("HEAD");
        let branch = head
            .trim()
            .strip_prefix("ref: ")
            .unwrap_or("refs/heads/main")
            .to_string();
        self.repo
            .reference(&branch, oid, true, "commit")
            .expect("move the branch");
    }

    /// A side commit by `side_author` changing `path`, merged with a merge commit by `merger`
    /// (first parent: the previous HEAD).
    pub fn merge_branch(
        &self,
        side_author: (&str, &str),
        merger: (&str, &str),
        date: &str,
        path: &str,
        text: &str,
    ) {
        let base = self.head().expect("a commit to branch from");
        self.write(path, text);
        let side = self.commit(side_author, date, "Side branch change");
        let tree = self.repo.find_commit(side).expect("side").tree_id();
        self.commit_tree(merger, date, "Merge branch 'side'", tree, &[base, side]);
    }

    /// Marks the repository as a shallow clone, as `git clone --depth 1` does.
    pub fn make_shallow(&self) {
        let head = self.head().expect("head");
        std::fs::write(self.repo.path().join("shallow"), format!("{head}\n")).expect("shallow");
    }

    pub fn short(&self, oid: Oid) -> String {
        oid.to_string()[..7].to_string()
    }

    /// Checks the ISMS with the git rules, as `isms check` does.
    pub fn check(&self, mode: GitMode) -> Vec<Diagnostic> {
        let ws = Workspace::find(Some(&self.isms())).expect("workspace");
        let options = Options {
            today: Date::parse(TODAY).expect("date"),
            git: mode,
            cache: true,
        };
        check::run_with(&ws, &options).expect("check").diagnostics
    }

    /// The git-rule diagnostics (IND, DOC004, DOC005) of a check of HEAD.
    pub fn git_diagnostics(&self) -> Vec<Diagnostic> {
        only_git(self.check(GitMode::Head))
    }

    /// `CODE severity: message` of each diagnostic with `code` in a check of HEAD.
    pub fn lines_of(&self, code: &str) -> Vec<String> {
        self.check(GitMode::Head)
            .iter()
            .filter(|d| d.code() == code)
            .map(line)
            .collect()
    }

    /// `CODE severity: message` of each git-rule diagnostic.
    pub fn lines(&self) -> Vec<String> {
        self.git_diagnostics().iter().map(line).collect()
    }
}

pub fn only_git(diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diagnostics
        .into_iter()
        .filter(|d| d.code().starts_with("IND") || d.code() == "DOC004" || d.code() == "DOC005")
        .collect()
}

pub fn line(d: &Diagnostic) -> String {
    format!("{} {}: {}", d.code(), d.severity, d.message)
}

pub fn errors(diagnostics: &[Diagnostic]) -> Vec<&'static str> {
    diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.code())
        .collect()
}
