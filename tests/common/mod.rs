//! Shared test support: copy a fixture ISMS into a temporary folder, edit it, check it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use isms::diagnostics::human;
use isms::model::Date;
use isms::workspace::Workspace;

/// The day fixture checks measure from, unless a case says otherwise.
pub const TODAY: &str = "2026-06-01";

/// A fixture folder under tests/fixtures, or `example` for the bundled example-isms/.
pub fn fixture(name: &str) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    if name == "example" {
        root.join("example-isms")
    } else {
        root.join("tests/fixtures").join(name)
    }
}

/// A change to a fixture file. Every `Replace` must match exactly once, so a case can never
/// silently stop testing what it claims when the fixture changes.
#[derive(Clone, Copy)]
pub enum Edit<'a> {
    Replace(&'a str, &'a str, &'a str),
    Write(&'a str, &'a [u8]),
    Remove(&'a str),
}

pub use Edit::{Remove, Replace, Write};

/// Copies the folder `from` to `to`, creating it.
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Applies `edits` to the folder `dir`.
pub fn apply_edits(dir: &Path, edits: &[Edit]) {
    for edit in edits {
        match edit {
            Replace(file, from, to) => {
                let path = dir.join(file);
                let text = std::fs::read_to_string(&path).unwrap();
                assert_eq!(
                    text.matches(from).count(),
                    1,
                    "`{from}` must occur once in {file}"
                );
                std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
            }
            Write(file, bytes) => {
                let path = dir.join(file);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(path, bytes).unwrap();
            }
            Remove(file) => std::fs::remove_file(dir.join(file)).unwrap(),
        }
    }
}

/// A copy of a fixture in a temporary folder, with edits applied.
pub struct Scratch {
    pub dir: tempfile::TempDir,
}

impl Scratch {
    pub fn new(fixture_name: &str, edits: &[Edit]) -> Self {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&fixture(fixture_name), dir.path());
        apply_edits(dir.path(), edits);
        Self { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Makes the copy a git repository whose one commit, by `email` on a fixed date, holds
    /// every file: what `isms check` then reads as history.
    pub fn commit_all(&self, email: &str) -> &Self {
        commit_all(self.path(), email);
        self
    }

    /// The plain human report of `isms check` as of `today`.
    pub fn check(&self, today: &str) -> String {
        let ws = Workspace::find(Some(self.path())).unwrap();
        let outcome = isms::check::run(&ws, Date::parse(today).unwrap());
        human::render(
            &outcome.diagnostics,
            &outcome.files,
            &outcome.summary(),
            false,
        )
    }

    /// The codes of the diagnostics, in report order.
    pub fn codes(&self, today: &str) -> Vec<&'static str> {
        let ws = Workspace::find(Some(self.path())).unwrap();
        let outcome = isms::check::run(&ws, Date::parse(today).unwrap());
        outcome.diagnostics.iter().map(|d| d.code()).collect()
    }
}

/// Makes `dir` a git repository whose one commit, by `email` on 2026-01-01, holds every file.
pub fn commit_all(dir: &Path, email: &str) {
    commit_on(dir, email, "2026-01-01", "The ISMS");
}

/// Commits every file of `dir` by `email` at noon UTC on `date`, on top of HEAD; makes `dir` a
/// repository first when it is not one.
pub fn commit_on(dir: &Path, email: &str, date: &str, message: &str) {
    let repo = git2::Repository::open(dir)
        .or_else(|_| git2::Repository::init(dir))
        .unwrap();
    let mut index = repo.index().unwrap();
    index
        .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
        .unwrap();
    index.write().unwrap();
    let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
    let ts: jiff::Timestamp = format!("{date}T12:00:00Z").parse().unwrap();
    let when = git2::Time::new(ts.as_second(), 0);
    let who = git2::Signature::new("Fixture", email, &when).unwrap();
    let parent = repo.head().ok().and_then(|h| h.peel_to_commit().ok());
    let parents: Vec<&git2::Commit> = parent.iter().collect();
    repo.commit(Some("HEAD"), &who, &who, message, &tree, &parents)
        .unwrap();
}

/// A user's pack that extends the built-in `nis2`: one requirement replaced (a second control for
/// 21(2)(h)), one added, with an unknown control and clause for REF001.
pub const NIS2_PACK: &[u8] = br#"name = "nis2"
title = "NIS2 as our legal team reads it"
extends = true

[[requirement]]
id = "NIS2-21-2-h"
citation = "NIS2 Art. 21(2)(h)"
title = "Cryptography and encryption"
controls = ["A.8.24", "A.8.11"]
note = "Our DPO counts masking as part of the cryptography policy."

[[requirement]]
id = "NIS2-LOCAL-1"
citation = "National transposition, s. 12"
title = "Register with the national authority"
controls = ["A.5.5", "A.5.99"]
clauses = ["4.2", "11.1"]
"#;

/// The outcome of checking a scratch copy on `today`, with its git history if it has one.
pub fn outcome(s: &Scratch, today: &str) -> isms::check::Outcome {
    let ws = Workspace::find(Some(s.path())).unwrap();
    isms::check::run(&ws, Date::parse(today).unwrap())
}

/// The human report of the edited example's diagnostics of `codes` only.
pub fn only(codes: &[&str], today: &str, edits: &[Edit]) -> String {
    let s = Scratch::new("example", edits);
    let out = outcome(&s, today);
    let kept: Vec<_> = out
        .diagnostics
        .iter()
        .filter(|d| codes.contains(&d.code()))
        .cloned()
        .collect();
    human::render(
        &kept,
        &out.files,
        &isms::diagnostics::Summary::of(&kept, out.files.len()),
        false,
    )
}

/// The human report of the edited example's diagnostics of `code` alone, which must have fired.
pub fn fired(code: &str, today: &str, edits: &[Edit]) -> String {
    let report = only(&[code], today, edits);
    assert!(
        report.contains(&format!("[{code}]")),
        "{code} did not fire:\n{report}"
    );
    report
}

/// Every code of the edited example's diagnostics.
pub fn codes(today: &str, edits: &[Edit]) -> Vec<&'static str> {
    let s = Scratch::new("example", edits);
    outcome(&s, today)
        .diagnostics
        .iter()
        .map(|d| d.code())
        .collect()
}

/// The near miss: `code` stays silent on the edited example.
pub fn clean_of(code: &str, today: &str, edits: &[Edit]) {
    let found = codes(today, edits);
    assert!(!found.contains(&code), "{code} fired: {found:?}");
}

/// `isms ARGS` on the day the example describes (2026-11-27), with `home` as the user's home
/// and no git configuration of the machine's user or system.
pub fn isms_at_home(home: &Path, args: &[&str]) -> assert_cmd::assert::Assert {
    assert_cmd::Command::cargo_bin("isms")
        .unwrap()
        .env("ISMS_TODAY", "2026-11-27")
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .args(args)
        .assert()
}

/// `isms` with git's configuration confined to `config` (an empty file unless a test writes
/// one), so the machine's own settings play no part.
pub fn isms_with_git_config(config: &Path) -> assert_cmd::Command {
    if !config.exists() {
        std::fs::write(config, "").unwrap();
    }
    let mut cmd = assert_cmd::Command::cargo_bin("isms").unwrap();
    cmd.env("GIT_CONFIG_GLOBAL", config)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env_remove("ISMS_TODAY");
    cmd
}

/// A management review of the example that every MR rule accepts.
pub const REVIEW: &str = r#"id = "MR-2026-10"
date = 2026-10-14
chair = "alice"
attendees = ["alice", "bob", "dave"]
audits_reviewed = ["IA-2026-01", "IA-2026-02", "IA-2026-03"]
findings_reviewed = ["F-2026-003"]

[inputs]
previous_actions = "MR-2026-04#1 open; MR-2026-04#2, MR-2026-04#3 and MR-2026-04#4 closed."
changes_in_issues = "New NHS trust contract."
interested_parties = "Trusts ask for yearly penetration tests."
performance = "Three audits; two minor nonconformities."
feedback = "No complaints."
risk = "R-001 treated; R-002 accepted."
improvement = "Automate deprovisioning."

[[decision]]
description = "Fund automated deprovisioning"
owner = "bob"
due = 2027-01-31
"#;

/// An objective every OBJ rule accepts: measured monthly, met on 2026-10-31.
pub const OBJECTIVES: &str = r#"[[objective]]
id = "OBJ-01"
title = "Remove leavers' access within 24 hours"
owner = "bob"
measure = "share of leavers removed within 24 h"
target = ">= 98%"
method = "monthly IdP export against the HR leaver list"
frequency_months = 1
due = 2026-12-31

[[objective.result]]
on = 2026-10-31
value = "99%"
met = true
"#;

/// Builds the scratch ISMS's site as of `today` (without git history) into a temporary folder.
pub fn build_site(scratch: &Scratch, today: &str) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    assert_cmd::Command::cargo_bin("isms")
        .unwrap()
        .arg("build")
        .arg(scratch.path())
        .arg("--out")
        .arg(out.path())
        .args(["--today", today, "--no-git"])
        .assert()
        .success();
    out
}
