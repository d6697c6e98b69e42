//! The resolved history cached under `.git/isms/resolved.bin` (issue 18): a warm check gives
//! the verdict of a cold one whatever changed around an unchanged HEAD (`.mailmap` in the
//! working tree or the index, the ignore-revs file named, the clock), and a damaged file is
//! resolved again, never trusted.

mod gitrepo;

use gitrepo::*;
use isms::check::{self, GitMode, Options};
use isms::model::Date;
use isms::workspace::Workspace;

/// The diagnostics of a check (as lines) and how many commits were walked.
fn check_of(r: &TestRepo, mode: GitMode) -> (Vec<String>, usize) {
    let ws = Workspace::find(Some(&r.isms())).expect("workspace");
    let options = Options {
        today: Date::parse(TODAY).expect("date"),
        git: mode,
        cache: true,
    };
    let outcome = check::run_with(&ws, &options).expect("check");
    let walked = outcome.history.as_ref().map_or(0, |h| h.stats.walked);
    (outcome.diagnostics.iter().map(line).collect(), walked)
}

fn cache_dir(r: &TestRepo) -> std::path::PathBuf {
    r.repo.path().join("isms")
}

fn resolved_file(r: &TestRepo) -> std::path::PathBuf {
    cache_dir(r).join("resolved.bin")
}

/// A warm check (the caches written by the check before) and a cold one (no cache) agree;
/// returns their verdict.
fn warm_equals_cold(r: &TestRepo, mode: GitMode) -> Vec<String> {
    let (warm, _) = check_of(r, mode);
    std::fs::remove_dir_all(cache_dir(r)).expect("remove the caches");
    let (cold, walked) = check_of(r, mode);
    assert!(walked > 0, "the cold check walks");
    assert_eq!(warm, cold, "warm and cold verdicts differ");
    cold
}

/// erin changes the area's policy from a private address that people.toml does not list.
fn home_work(r: &TestRepo) {
    r.replace(
        "isms/documents/access/policy.md",
        "least privilege",
        "least privilege, reviewed",
    );
    r.commit(("Erin", "erin@home.example"), "2025-11-02", "Weekend fix");
}

#[test]
fn an_unchanged_head_is_read_from_the_resolved_history() {
    let r = TestRepo::clean();
    home_work(&r);
    let (cold, walked) = check_of(&r, GitMode::Head);
    assert!(walked > 0);
    assert!(resolved_file(&r).exists(), "written by the first check");
    let written = std::fs::read(resolved_file(&r)).expect("read");
    let (warm, walked) = check_of(&r, GitMode::Head);
    assert_eq!((warm, walked), (cold.clone(), 0));
    // A damaged file is not trusted: resolved again and rewritten as it was.
    let mut bad = written.clone();
    let n = bad.len();
    bad[n / 2] ^= 0x20;
    std::fs::write(resolved_file(&r), &bad).expect("write");
    assert_eq!(check_of(&r, GitMode::Head).0, cold);
    assert_eq!(std::fs::read(resolved_file(&r)).expect("read"), written);
    std::fs::write(resolved_file(&r), b"garbage").expect("write");
    assert_eq!(check_of(&r, GitMode::Head).0, cold);
    assert_eq!(std::fs::read(resolved_file(&r)).expect("read"), written);
}

#[test]
fn a_mailmap_in_the_working_tree_index_or_head_gives_the_cold_verdict() {
    let r = TestRepo::clean();
    home_work(&r);
    let (before, _) = check_of(&r, GitMode::Head);
    assert!(
        before.iter().any(|l| l.starts_with("IND007")),
        "{before:#?}"
    );
    // Only in the working tree: not read, warm or cold.
    r.write(
        ".mailmap",
        "Erin Walsh <erin@acme.example> <erin@home.example>\n",
    );
    assert_eq!(warm_equals_cold(&r, GitMode::Head), before);
    // Staged: `--staged` reads the index's .mailmap, never a resolution of HEAD's.
    check_of(&r, GitMode::Head);
    r.stage();
    let staged = warm_equals_cold(&r, GitMode::Staged);
    assert!(
        staged.iter().any(|l| l.starts_with("IND002")),
        "{staged:#?}"
    );
    assert!(
        !staged.iter().any(|l| l.starts_with("IND007")),
        "{staged:#?}"
    );
    // Committed: HEAD moved, and the new resolution maps erin's address.
    check_of(&r, GitMode::Head);
    r.commit(ALICE, "2025-11-05", "Map erin's home address");
    let after = warm_equals_cold(&r, GitMode::Head);
    assert!(after.iter().any(|l| l.starts_with("IND002")), "{after:#?}");
}

#[test]
fn the_ignore_revs_file_named_now_applies_to_a_cached_resolution() {
    let r = TestRepo::clean();
    r.write("infra/iam/roles.tf", "# erin's change\n");
    let own = r.commit(ERIN, "2025-11-02", "Require MFA for admins");
    r.write("isms/revs-some", &format!("{own}\n"));
    r.write("isms/revs-none", "# nothing\n");
    r.commit(ALICE, "2025-11-03", "Two ignore-revs files");
    let named = |file: &str| {
        let text = r.read("isms/isms.toml");
        let text = text
            .lines()
            .filter(|l| !l.starts_with("ignore_revs_file"))
            .map(|l| format!("{l}\n"))
            .collect::<String>()
            .replace(
                "lookback_months = 24\n",
                &format!("lookback_months = 24\nignore_revs_file = \"{file}\"\n"),
            );
        r.write("isms/isms.toml", &text);
    };
    named("revs-none");
    r.commit(ALICE, "2025-11-04", "Name the empty one");
    let (none, _) = check_of(&r, GitMode::Head);
    // The working tree names the other file: the cached resolution marks its commits.
    named("revs-some");
    let some = warm_equals_cold(&r, GitMode::Head);
    check_of(&r, GitMode::Head);
    named("revs-none");
    assert_eq!(warm_equals_cold(&r, GitMode::Head), none);
    assert_ne!(some, none, "the file named matters");
}

#[test]
fn a_history_with_a_commit_dated_in_the_future_is_resolved_on_every_run() {
    let r = TestRepo::clean();
    r.write("infra/iam/roles.tf", "# from the future\n");
    r.commit(ERIN, "2999-01-01", "Dated ahead");
    let (cold, _) = check_of(&r, GitMode::Head);
    assert!(cold.iter().any(|l| l.starts_with("IND013")), "{cold:#?}");
    assert!(
        !resolved_file(&r).exists(),
        "the list of future-dated commits depends on the clock: not saved"
    );
    assert_eq!(warm_equals_cold(&r, GitMode::Head), cold);
}
