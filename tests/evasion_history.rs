//! The history core of the impartiality proof against evasion (DESIGN.md section 4.1): each case
//! builds a repository with fixed authors and dates in which an auditor tries to hide their own
//! work on an audited area, and checks that the diagnostic the spec names comes out; each
//! near-miss control checks that honest work is not blamed.

mod gitrepo;

use git2::{Oid, Signature, Time};
use gitrepo::*;
use isms::check::GitMode;

fn at(date: &str) -> Time {
    let ts: jiff::Timestamp = format!("{date}T12:00:00Z").parse().expect("a date");
    Time::new(ts.as_second(), 0)
}

/// Commits the working tree with its own author and committer, each with a date.
fn commit_as(
    r: &TestRepo,
    author: ((&str, &str), &str),
    committer: ((&str, &str), &str),
    message: &str,
) -> Oid {
    let tree = r.stage();
    let tree = r.repo.find_tree(tree).expect("tree");
    let a = Signature::new(author.0.0, author.0.1, &at(author.1)).expect("author");
    let c = Signature::new(committer.0.0, committer.0.1, &at(committer.1)).expect("committer");
    let parent = r.repo.find_commit(r.tip()).expect("parent");
    r.repo
        .commit(Some("HEAD"), &a, &c, message, &tree, &[&parent])
        .expect("commit")
}

/// The IND002 lines naming `auditor`.
fn ind002_for(r: &TestRepo, auditor: &str) -> Vec<String> {
    r.lines()
        .into_iter()
        .filter(|l| l.starts_with(&format!("IND002 error: auditor {auditor} ")))
        .collect()
}

/// Exactly one IND002 names `auditor`, and it lists `commit`.
fn assert_one_ind002_naming(r: &TestRepo, auditor: &str, commit: Oid) {
    let lines = ind002_for(r, auditor);
    assert_eq!(lines.len(), 1, "{:#?}", r.lines());
    assert!(lines[0].contains(&r.short(commit)), "{}", lines[0]);
}

fn codes(r: &TestRepo) -> Vec<&'static str> {
    r.git_diagnostics().iter().map(|d| d.code()).collect()
}

// --- Attribution --------------------------------------------------------------------------

#[test]
fn work_authored_as_the_bot_but_committed_by_the_auditor_is_the_auditors() {
    let r = TestRepo::clean();
    r.write("infra/iam/roles.tf", "# loosened\n");
    let oid = commit_as(
        &r,
        (BOT, "2025-10-10"),
        (ERIN, "2025-10-10"),
        "chore(deps): bump",
    );
    assert_one_ind002_naming(&r, "erin", oid);
}

#[test]
fn work_authored_as_a_stranger_but_committed_by_the_auditor_is_the_auditors() {
    let r = TestRepo::clean();
    r.write("infra/iam/roles.tf", "# loosened\n");
    commit_as(&r, (STRANGER, "2025-10-10"), (ERIN, "2025-10-10"), "Roles");
    assert_eq!(codes(&r), ["IND002"], "{:#?}", r.lines());
}

#[test]
fn a_private_address_mapped_onto_the_bot_committed_by_the_auditor_is_the_auditors() {
    let r = TestRepo::clean();
    r.write(
        ".mailmap",
        "renovate[bot] <29139614+renovate[bot]@users.noreply.github.com> <erin.private@mail.example>\n",
    );
    r.commit(ALICE, "2025-09-01", "Mailmap");
    r.write("infra/iam/roles.tf", "# loosened\n");
    commit_as(
        &r,
        (("Erin", "erin.private@mail.example"), "2025-10-10"),
        (ERIN, "2025-10-10"),
        "Roles",
    );
    assert_eq!(ind002_for(&r, "erin").len(), 1, "{:#?}", r.lines());
}

#[test]
fn when_author_and_committer_are_known_the_author_counts_and_the_committer_is_named() {
    let r = TestRepo::clean();
    r.write("infra/iam/roles.tf", "# rebased\n");
    let oid = commit_as(&r, (ERIN, "2025-10-10"), (CAROL, "2025-10-11"), "Roles");
    let lines = ind002_for(&r, "erin");
    assert_eq!(lines.len(), 1, "{:#?}", r.lines());
    assert!(
        lines[0].contains(&format!("(committed by carol: {})", r.short(oid))),
        "{}",
        lines[0]
    );
    // Near miss: the auditor committing a colleague's work (a cherry-pick) is not their work.
    let r = TestRepo::clean();
    r.write("infra/iam/roles.tf", "# picked\n");
    commit_as(&r, (CAROL, "2025-10-10"), (ERIN, "2025-10-11"), "Roles");
    assert_eq!(r.lines(), Vec::<String>::new());
}

#[test]
fn co_authored_by_in_the_subject_or_body_attributes_nobody() {
    let r = TestRepo::clean();
    r.write("infra/iam/roles.tf", "# framed\n");
    r.commit(
        CAROL,
        "2025-10-10",
        "Co-authored-by: Erin Walsh <erin@acme.example>",
    );
    r.write("infra/iam/roles.tf", "# framed again\n");
    r.commit(
        CAROL,
        "2025-10-11",
        "Roles\n\nCo-authored-by: Erin Walsh <erin@acme.example>\nis how GitHub credits a pair.\n\nReviewed-by: Bob Stone <bob@acme.example>\n",
    );
    assert_eq!(r.lines(), Vec::<String>::new());
    // Control: the same line in the trailer block does count.
    r.write("infra/iam/roles.tf", "# paired\n");
    r.commit(
        CAROL,
        "2025-10-12",
        "Roles\n\nPaired.\n\nCo-authored-by: Erin Walsh <erin@acme.example>\n",
    );
    assert_eq!(ind002_for(&r, "erin").len(), 1, "{:#?}", r.lines());
}

// --- Dates --------------------------------------------------------------------------------

#[test]
fn a_backdated_author_date_does_not_move_work_out_of_the_window() {
    let r = TestRepo::clean();
    r.write("infra/iam/roles.tf", "# backdated\n");
    commit_as(&r, (ERIN, "1999-01-01"), (ERIN, "2025-10-10"), "Roles");
    let lines = ind002_for(&r, "erin");
    assert_eq!(lines.len(), 1, "{:#?}", r.lines());
    assert!(lines[0].contains("2025-10-10"), "{}", lines[0]);
}

#[test]
fn forward_dating_is_capped_by_the_commits_made_on_top() {
    let r = TestRepo::clean();
    r.write("infra/iam/roles.tf", "# forward-dated\n");
    commit_as(&r, (ERIN, "2026-05-01"), (ERIN, "2026-05-01"), "Roles");
    // The audit's answer to its finding, committed afterwards on 2026-03-11 (inside the audit),
    // pins the work no later than that.
    r.write("isms/notes.md", "later\n");
    r.commit(ALICE, "2026-03-11", "Notes");
    let lines = ind002_for(&r, "erin");
    assert_eq!(lines.len(), 1, "{:#?}", r.lines());
    assert!(lines[0].contains("2026-03-11 \"Roles\""), "{}", lines[0]);
}

#[test]
fn a_commit_dated_in_the_future_of_the_system_clock_is_ind013() {
    let r = TestRepo::clean();
    r.write("isms/notes.md", "from the future\n");
    let oid = commit_as(&r, (CAROL, "2025-10-10"), (CAROL, "2099-01-01"), "Notes");
    let d = r.git_diagnostics();
    let ind013: Vec<_> = d.iter().filter(|d| d.code() == "IND013").collect();
    assert_eq!(
        ind013.len(),
        1,
        "{:#?}",
        d.iter().map(line).collect::<Vec<_>>()
    );
    assert_eq!(ind013[0].severity, isms::diagnostics::Severity::Error);
    assert!(
        ind013[0]
            .message
            .contains(&format!("{} \"Notes\" is dated 2099-01-01", r.short(oid))),
        "{}",
        ind013[0].message
    );
    // Near miss: `--today` in the past is not the clock; a commit after it is fine.
    let r = TestRepo::clean();
    r.write("isms/notes.md", "after today\n");
    r.commit(CAROL, "2026-07-01", "Notes");
    assert!(!codes(&r).contains(&"IND013"));
}

#[test]
fn the_window_runs_through_the_audits_last_day() {
    let r = TestRepo::clean();
    r.write("infra/iam/roles.tf", "# during the audit\n");
    r.commit(ERIN, "2026-03-12", "Fix during the audit");
    assert_eq!(ind002_for(&r, "erin").len(), 1, "{:#?}", r.lines());
    // Near miss: the day after the audit.
    let r = TestRepo::clean();
    r.write("infra/iam/roles.tf", "# after the audit\n");
    r.commit(ERIN, "2026-03-13", "Fix after the audit");
    assert_eq!(ind002_for(&r, "erin"), Vec::<String>::new());
}

#[test]
fn lookback_months_zero_is_a_range_error() {
    let r = TestRepo::clean();
    r.write(
        "isms/isms.toml",
        &ISMS_TOML.replace("lookback_months = 24", "lookback_months = 0"),
    );
    r.write("infra/iam/roles.tf", "# mine\n");
    r.commit(ERIN, "2025-10-10", "Roles");
    let all = r.check(isms::check::GitMode::Head);
    let load: Vec<_> = all.iter().filter(|d| d.code() == "LOAD002").collect();
    assert_eq!(
        load.len(),
        1,
        "{:#?}",
        all.iter().map(line).collect::<Vec<_>>()
    );
    assert!(
        load[0].message.contains("[independence]") && load[0].message.contains("from 1"),
        "{}",
        load[0].message
    );
    assert!(load[0].origin.is_some(), "a location");
    // IND002 is not switched off by it.
    assert!(all.iter().any(|d| d.code() == "IND002"));
}

// --- Paths --------------------------------------------------------------------------------

#[test]
fn an_edit_then_a_move_out_of_the_area_still_counts() {
    let r = TestRepo::clean();
    r.write("infra/iam/roles.tf", "# loosened by the auditor\n");
    let edit = r.commit(ERIN, "2025-10-10", "Roles");
    r.rename("infra/iam/roles.tf", "legacy/roles.tf");
    let moved = r.commit(ERIN, "2025-10-11", "Move roles");
    assert_one_ind002_naming(&r, "erin", edit);
    let lines = ind002_for(&r, "erin");
    assert!(lines[0].contains(&r.short(moved)), "{}", lines[0]);
    assert!(lines[0].contains("infra/iam/roles.tf"), "{}", lines[0]);
}

#[test]
fn a_mode_change_is_a_change() {
    let r = TestRepo::clean();
    let tip = r.repo.find_commit(r.tip()).expect("tip");
    let mut index = r.repo.index().expect("index");
    index.read_tree(&tip.tree().expect("tree")).expect("read");
    let mut entry = index
        .get_path(std::path::Path::new("infra/iam/roles.tf"), 0)
        .expect("entry");
    entry.mode = 0o100755;
    index.add(&entry).expect("add");
    let tree = index.write_tree().expect("tree");
    index.write().expect("write");
    let oid = r.commit_tree(
        ERIN,
        "2025-10-10",
        "Make roles executable",
        tree,
        &[r.tip()],
    );
    assert_one_ind002_naming(&r, "erin", oid);
}

#[test]
fn strangers_committing_to_an_area_path_outside_the_isms_are_ind007() {
    let r = TestRepo::clean();
    r.write("infra/iam/roles.tf", "# by someone unknown\n");
    r.commit(STRANGER, "2025-10-10", "Roles");
    let d = r.git_diagnostics();
    assert_eq!(d.len(), 1, "{:#?}", d.iter().map(line).collect::<Vec<_>>());
    assert_eq!(d[0].code(), "IND007");
    // Near miss: outside the ISMS and every area, a stranger's commit is none of its business.
    let r = TestRepo::clean();
    r.write("website/index.html", "<p>hello</p>\n");
    r.commit(STRANGER, "2025-10-10", "Website");
    assert_eq!(r.lines(), Vec::<String>::new());
}

// --- Merges -------------------------------------------------------------------------------

const TEN_LINES: &str = "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n";

/// Two branches from HEAD, each committing `infra/iam/roles.tf` as given, merged by `merger`
/// with `merged` as the result.
fn two_sided_merge(
    r: &TestRepo,
    ours: ((&str, &str), &str),
    theirs: ((&str, &str), &str),
    merger: (&str, &str),
    merged: &str,
) -> (Oid, Oid, Oid) {
    let base = r.tip();
    r.write("infra/iam/roles.tf", ours.1);
    let a = r.commit(ours.0, "2025-10-01", "Ours");
    r.write("infra/iam/roles.tf", theirs.1);
    let tree = r.stage();
    let b = r.commit_tree(theirs.0, "2025-10-02", "Theirs", tree, &[base]);
    r.write("infra/iam/roles.tf", merged);
    let tree = r.stage();
    let m = r.commit_tree(merger, "2025-10-03", "Merge branch 'theirs'", tree, &[a, b]);
    (a, b, m)
}

fn ten_lines_base(r: &TestRepo) {
    r.write("infra/iam/roles.tf", TEN_LINES);
    r.commit(CAROL, "2025-09-01", "Roles as lines");
}

#[test]
fn a_clean_two_sided_merge_is_nobodys_work_and_its_sides_count_for_their_authors() {
    let r = TestRepo::clean();
    ten_lines_base(&r);
    let (_, b, m) = two_sided_merge(
        &r,
        (CAROL, &TEN_LINES.replace("a\n", "A\n")),
        (DAVE, &TEN_LINES.replace("j\n", "J\n")),
        ERIN,
        &TEN_LINES.replace("a\n", "A\n").replace("j\n", "J\n"),
    );
    assert_eq!(
        ind002_for(&r, "erin"),
        Vec::<String>::new(),
        "{:#?}",
        r.lines()
    );
    assert_one_ind002_naming(&r, "dave", b);
    let dave = ind002_for(&r, "dave");
    assert!(!dave[0].contains(&r.short(m)), "{}", dave[0]);
}

#[test]
fn a_conflict_resolution_in_a_merge_is_the_mergers_work() {
    let r = TestRepo::clean();
    ten_lines_base(&r);
    let (_, _, m) = two_sided_merge(
        &r,
        (CAROL, &TEN_LINES.replace("e\n", "E1\n")),
        (BOB, &TEN_LINES.replace("e\n", "E2\n")),
        ERIN,
        &TEN_LINES.replace("e\n", "E3\n"),
    );
    assert_one_ind002_naming(&r, "erin", m);
}

#[test]
fn an_edit_slipped_into_a_clean_merge_is_the_mergers_work() {
    let r = TestRepo::clean();
    ten_lines_base(&r);
    let (_, _, m) = two_sided_merge(
        &r,
        (CAROL, &TEN_LINES.replace("a\n", "A\n")),
        (BOB, &TEN_LINES.replace("j\n", "J\n")),
        ERIN,
        &TEN_LINES
            .replace("a\n", "A\n")
            .replace("j\n", "J\n")
            .replace("e\n", "mfa = false\n"),
    );
    assert_one_ind002_naming(&r, "erin", m);
}

// --- Repository ---------------------------------------------------------------------------

#[test]
fn an_unborn_head_is_ind006() {
    let r = TestRepo::empty();
    r.write("isms/isms.toml", ISMS_TOML);
    r.write("isms/people.toml", PEOPLE);
    r.write("isms/areas.toml", AREAS);
    let d = r.git_diagnostics();
    assert_eq!(d.iter().map(|d| d.code()).collect::<Vec<_>>(), ["IND006"]);
    assert!(d[0].message.contains("no commit yet"), "{}", d[0].message);
}

#[test]
fn an_isms_folder_head_does_not_track_is_ind006() {
    let r = TestRepo::empty();
    r.write("README.md", "unrelated\n");
    r.commit(CAROL, "2025-01-01", "Unrelated project");
    r.write(".gitignore", "isms/\n");
    r.commit(CAROL, "2025-01-02", "Ignore");
    r.write("isms/isms.toml", ISMS_TOML);
    r.write("isms/people.toml", PEOPLE);
    r.write("isms/areas.toml", AREAS);
    let d = r.git_diagnostics();
    assert_eq!(d.iter().map(|d| d.code()).collect::<Vec<_>>(), ["IND006"]);
    assert!(d[0].message.contains("not committed"), "{}", d[0].message);
    // Near miss: once committed, the history is read.
    let mut index = r.repo.index().expect("index");
    index
        .add_all(["isms"], git2::IndexAddOption::FORCE, None)
        .expect("add");
    index.write().expect("write");
    let tree = index.write_tree().expect("tree");
    r.commit_tree(ALICE, "2025-01-03", "Add the ISMS", tree, &[r.tip()]);
    assert!(!codes(&r).contains(&"IND006"), "{:#?}", r.lines());
}

// --- The cache is an optimisation only ----------------------------------------------------

/// Merges `theirs` into HEAD as git would (renames followed), committed by `who`.
fn merge_into_head(r: &TestRepo, theirs: Oid, who: (&str, &str), date: &str) -> Oid {
    let ours = r.tip();
    let (a, b) = (
        r.repo.find_commit(ours).expect("ours"),
        r.repo.find_commit(theirs).expect("theirs"),
    );
    let mut index = r.repo.merge_commits(&a, &b, None).expect("merge");
    assert!(!index.has_conflicts(), "the generated merge is clean");
    let tree = index.write_tree_to(&r.repo).expect("tree");
    // Keep the working tree and index in step with the merge for the next steps.
    r.repo
        .checkout_tree(
            &r.repo.find_object(tree, None).expect("tree"),
            Some(git2::build::CheckoutBuilder::new().force()),
        )
        .expect("checkout");
    let mut idx = r.repo.index().expect("index");
    idx.read_tree(&r.repo.find_tree(tree).expect("tree"))
        .expect("read");
    idx.write().expect("write");
    r.commit_tree(who, date, "Merge", tree, &[ours, theirs])
}

/// A side branch from `from`: `steps` applied one commit each, then HEAD back where it was.
/// One commit of a side branch: its day, and what it does to the work tree.
type Step<'a> = (&'a str, &'a dyn Fn(&TestRepo));

fn side_branch(r: &TestRepo, from: Oid, steps: &[Step<'_>]) -> Oid {
    side_branch_by(r, ERIN, from, steps)
}

/// [`side_branch`] with its commits by `who`.
fn side_branch_by(r: &TestRepo, who: (&str, &str), from: Oid, steps: &[Step<'_>]) -> Oid {
    let back = r.tip();
    let checkout = |oid: Oid| {
        let commit = r.repo.find_commit(oid).expect("commit");
        r.repo
            .checkout_tree(
                commit.as_object(),
                Some(
                    git2::build::CheckoutBuilder::new()
                        .force()
                        .remove_untracked(true),
                ),
            )
            .expect("checkout");
        let mut idx = r.repo.index().expect("index");
        idx.read_tree(&commit.tree().expect("tree")).expect("read");
        idx.write().expect("write");
    };
    checkout(from);
    let mut tip = from;
    for (date, step) in steps {
        step(r);
        let tree = r.stage();
        tip = r.commit_tree(who, date, &format!("Side {date}"), tree, &[tip]);
    }
    // Side commits moved the branch: put it back, with the work tree.
    let head = r.repo.head().expect("head");
    let name = head.name().expect("branch").to_string();
    r.repo.reference(&name, back, true, "back").expect("reset");
    checkout(back);
    tip
}

/// On main, `edited` renamed to `renamed` (by bob, on the 1st of `month`); on a side branch
/// from `fork`, dated later, `edited` edited under its old name and `moved` renamed to `to`
/// (by erin); then both merged.
fn branchy_round(
    r: &TestRepo,
    fork: Oid,
    edited: &str,
    renamed: &str,
    moved: &str,
    to: &str,
    (month, merger): (&str, (&str, &str)),
) {
    r.rename(edited, renamed);
    r.commit(BOB, &format!("{month}-01"), "Rename");
    let edit = |r: &TestRepo| {
        r.write(
            edited,
            &format!("# edited\n{}", TEN_LINES.replace("j\n", "J\n")),
        )
    };
    let rename = |r: &TestRepo| r.rename(moved, to);
    let (edit_day, rename_day) = (format!("{month}-10"), format!("{month}-11"));
    let steps: [Step<'_>; 2] = [(&edit_day, &edit), (&rename_day, &rename)];
    let side = side_branch(r, fork, &steps);
    merge_into_head(r, side, merger, &format!("{month}-20"));
}

fn json_check(r: &TestRepo) -> String {
    let out = r
        .cmd()
        .args(["check", "--format", "json"])
        .output()
        .expect("isms check");
    String::from_utf8(out.stdout).expect("utf-8")
}

#[test]
fn cold_warm_and_incrementally_updated_caches_give_the_same_verdict() {
    let r = TestRepo::clean();
    for n in 0..4 {
        r.write(
            &format!("infra/iam/f{n}.tf"),
            &format!("# file {n}\n{TEN_LINES}"),
        );
    }
    let base = r.commit(CAROL, "2025-04-01", "Four IAM files");
    r.write("infra/iam/f1.tf", &format!("# one\n{TEN_LINES}"));
    r.commit(ERIN, "2025-04-02", "Edit f1");
    // Main renames f0; a side branch from before, dated later, edits f0 under its old name
    // and renames f2: renames on both sides of the merge.
    branchy_round(
        &r,
        base,
        "infra/iam/f0.tf",
        "infra/iam/g0.tf",
        "infra/iam/f2.tf",
        "infra/iam/h2.tf",
        ("2025-06", DAVE),
    );
    // The cache is written at this HEAD.
    let _ = json_check(&r);
    // More history on top, again branchy.
    let fork = r.tip();
    branchy_round(
        &r,
        fork,
        "infra/iam/h2.tf",
        "infra/iam/k2.tf",
        "infra/iam/f3.tf",
        "infra/iam/m3.tf",
        ("2025-08", CAROL),
    );
    let incremental = json_check(&r);
    let warm = json_check(&r);
    std::fs::remove_dir_all(r.repo.path().join("isms")).expect("remove the cache");
    let cold = json_check(&r);
    assert!(incremental.contains("IND002"), "{incremental}");
    assert_eq!(incremental, cold);
    assert_eq!(warm, cold);
}

#[test]
fn a_merges_own_edit_in_a_path_only_a_later_areas_toml_claims_counts_cold_warm_and_incremental() {
    let r = TestRepo::clean();
    // Both sides change the script, claimed by no area yet; erin slips an edit into the merge.
    // The cache is written at this HEAD, when no areas.toml version claims the script.
    let merge = merge_with_an_edit_in_an_unclaimed_path(&r);
    // Then the area claims the script's folder: the merge's own edit is erin's, however the
    // index was built.
    claim_the_tools_folder(&r);
    r.commit(BOB, "2025-11-01", "Access control covers the deploy tools");
    let cold = same_json_from_the_updated_the_warm_and_no_cache(&r);
    assert_one_ind002_naming(&r, "erin", merge);
    assert!(cold.contains(&r.short(merge)), "{cold}");
}

/// `isms check --format json` run with the cache as the last HEAD left it (to be updated),
/// again (warm), then without a cache: all three must agree. Returns the output.
fn same_json_from_the_updated_the_warm_and_no_cache(r: &TestRepo) -> String {
    let incremental = json_check(r);
    let warm = json_check(r);
    std::fs::remove_dir_all(r.repo.path().join("isms")).expect("remove the cache");
    let cold = json_check(r);
    assert_eq!(incremental, cold);
    assert_eq!(warm, cold);
    cold
}

/// A merge of two sides that both changed `tools/deploy.sh`, a path no areas.toml claims, with
/// an edit of erin's own slipped into the merge; the cache is written at the merge. Returns
/// the merge.
fn merge_with_an_edit_in_an_unclaimed_path(r: &TestRepo) -> Oid {
    r.write("tools/deploy.sh", TEN_LINES);
    r.commit(CAROL, "2025-09-01", "Deploy script");
    let base = r.tip();
    r.write("tools/deploy.sh", &TEN_LINES.replace("a\n", "A\n"));
    let ours = r.commit(CAROL, "2025-10-01", "Ours");
    r.write("tools/deploy.sh", &TEN_LINES.replace("j\n", "J\n"));
    let tree = r.stage();
    let theirs = r.commit_tree(DAVE, "2025-10-02", "Theirs", tree, &[base]);
    let slipped = TEN_LINES
        .replace("a\n", "A\n")
        .replace("j\n", "J\n")
        .replace("e\n", "mfa = false\n");
    r.write("tools/deploy.sh", &slipped);
    let tree = r.stage();
    let merge = r.commit_tree(ERIN, "2025-10-03", "Merge", tree, &[ours, theirs]);
    let before = json_check(r);
    assert!(ind002_for(r, "erin").is_empty(), "{:#?}", r.lines());
    assert!(!before.contains(&r.short(merge)), "{before}");
    merge
}

/// The areas.toml of the test ISMS with the access-control area also claiming `tools/`.
fn claim_the_tools_folder(r: &TestRepo) {
    r.replace(
        "isms/areas.toml",
        r#""../infra/iam/**"]"#,
        r#""../infra/iam/**", "../tools/**"]"#,
    );
}

#[test]
fn a_merges_own_edit_in_a_path_only_the_uncommitted_areas_toml_claims_counts_cold_and_warm() {
    let r = TestRepo::clean();
    let merge = merge_with_an_edit_in_an_unclaimed_path(&r);
    // The claim is only in the working tree: the cache of HEAD, written without it, must not
    // decide the merge's both-sides paths for it.
    claim_the_tools_folder(&r);
    let cold = same_json_from_the_updated_the_warm_and_no_cache(&r);
    assert_one_ind002_naming(&r, "erin", merge);
    assert!(cold.contains(&r.short(merge)), "{cold}");
    // Undoing the claim gives the first verdict again, from the same cache.
    r.replace(
        "isms/areas.toml",
        r#""../infra/iam/**", "../tools/**"]"#,
        r#""../infra/iam/**"]"#,
    );
    assert!(ind002_for(&r, "erin").is_empty(), "{:#?}", r.lines());
}

#[test]
fn a_merges_own_edit_in_a_path_only_the_staged_areas_toml_claims_counts_under_staged() {
    let r = TestRepo::clean();
    let merge = merge_with_an_edit_in_an_unclaimed_path(&r);
    claim_the_tools_folder(&r);
    r.stage();
    let staged_lines = |r: &TestRepo| -> Vec<String> {
        r.check(GitMode::Staged)
            .iter()
            .filter(|d| d.code() == "IND002")
            .map(line)
            .filter(|l| l.contains("auditor erin "))
            .collect()
    };
    let warm = staged_lines(&r);
    std::fs::remove_dir_all(r.repo.path().join("isms")).expect("remove the cache");
    let cold = staged_lines(&r);
    assert_eq!(warm, cold);
    assert_eq!(cold.len(), 1, "{cold:#?}");
    assert!(cold[0].contains(&r.short(merge)), "{}", cold[0]);
}

#[test]
fn a_merges_own_edit_in_a_path_later_renamed_into_a_claimed_folder_counts_cold_warm_and_incremental()
 {
    let r = TestRepo::clean();
    let merge = merge_with_an_edit_in_an_unclaimed_path(&r);
    // The script moves into a folder the access-control area claims: its past, the merge's
    // own edit included, follows it.
    r.rename("tools/deploy.sh", "infra/iam/deploy.sh");
    r.commit(CAROL, "2025-11-01", "Move the deploy script under iam");
    let cold = same_json_from_the_updated_the_warm_and_no_cache(&r);
    assert_one_ind002_naming(&r, "erin", merge);
    assert!(cold.contains(&r.short(merge)), "{cold}");
}

// --- The pre-commit hook checks what git is about to commit -------------------------------

/// Installs `.git/hooks/pre-commit`: `isms check --staged`, refusing the commit on IND003
/// (the small ISMS of these tests breaks unrelated rules, which do not matter here).
fn install_hook(r: &TestRepo) {
    let hook = r.repo.path().join("hooks").join("pre-commit");
    std::fs::create_dir_all(hook.parent().expect("hooks")).expect("mkdir");
    std::fs::write(
        &hook,
        format!(
            "#!/bin/sh\ncd isms || exit 2\nout=$(ISMS_TODAY={TODAY} '{}' check --staged)\necho \"$out\"\ncase \"$out\" in *IND003*) exit 1;; esac\nexit 0\n",
            env!("CARGO_BIN_EXE_isms")
        ),
    )
    .expect("hook");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).expect("chmod");
}

/// `git` run in the repository with `author.email` from a global configuration file that only
/// `GIT_CONFIG_GLOBAL` names (the repository's own `user.email` is someone else).
fn git(r: &TestRepo, global: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new("git")
        .args(args)
        .current_dir(r.root())
        .env("GIT_CONFIG_GLOBAL", global)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env_remove("GIT_AUTHOR_EMAIL")
        .env_remove("GIT_AUTHOR_NAME")
        .env_remove("GIT_INDEX_FILE")
        .env_remove("GIT_DIR")
        .env_remove("EMAIL")
        .output()
        .expect("git")
}

fn global_config(dir: &tempfile::TempDir, email: &str) -> std::path::PathBuf {
    let path = dir.path().join("gitconfig");
    std::fs::write(
        &path,
        format!("[author]\n\tname = Someone\n\temail = {email}\n"),
    )
    .expect("config");
    path
}

#[test]
fn the_hook_checks_the_index_that_commit_a_and_commit_path_are_about_to_commit() {
    let home = tempfile::tempdir().expect("tempdir");
    for args in [
        vec!["commit", "-q", "-a", "-m", "Tweak"],
        vec![
            "commit",
            "-q",
            "-m",
            "Tweak",
            "isms/audits/IA-2026-01/checklist.toml",
        ],
    ] {
        let r = TestRepo::clean();
        install_hook(&r);
        r.replace(
            "isms/audits/IA-2026-01/checklist.toml",
            "3 of 25",
            "2 of 25",
        );
        // Bob owns the area and is not on the audit team: the hook refuses his commit.
        let global = global_config(&home, "bob@acme.example");
        let out = git(&r, &global, &args);
        let said = String::from_utf8_lossy(&out.stdout).into_owned()
            + &String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?} went through: {said}");
        assert!(
            said.contains("IND003") && said.contains("changed by bob"),
            "{args:?}: {said}"
        );
        // Control: the same change by an auditor of the team is committed.
        let global = global_config(&home, "dave@acme.example");
        let out = git(&r, &global, &args);
        assert!(
            out.status.success(),
            "{args:?}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn an_area_path_that_leaves_the_repository_is_a_configuration_error() {
    let r = TestRepo::clean();
    r.write(
        "isms/areas.toml",
        &AREAS.replace("\"../infra/iam/**\"", "\"../../elsewhere/**\""),
    );
    r.commit(ALICE, "2025-10-10", "Areas");
    let all = r.check(isms::check::GitMode::Head);
    let bad: Vec<_> = all
        .iter()
        .filter(|d| d.message.contains("../../elsewhere/**"))
        .collect();
    assert_eq!(
        bad.len(),
        1,
        "{:#?}",
        all.iter().map(line).collect::<Vec<_>>()
    );
    assert_eq!(bad[0].code(), "LOAD002");
    assert!(bad[0].origin.is_some(), "a location");
    assert!(!all.iter().any(|d| d.code() == "IND002"));
}

/// A second audit of the area, led by erin, running today.
fn audit_running_today(r: &TestRepo) {
    let plan = PLAN
        .replace("IA-2026-01", "IA-2026-02")
        .replace("lead = \"dave\"", "lead = \"erin\"")
        .replace("team = [\"erin\"]", "team = [\"dave\"]")
        .replace("start = 2026-03-10", &format!("start = {TODAY}"))
        .replace("end = 2026-03-12", "end = 2026-06-20")
        .replace("notified_on = 2026-02-20", "notified_on = 2026-06-01");
    r.write("isms/audits/IA-2026-02/plan.toml", &plan);
    r.commit(ALICE, "2026-06-01", "Plan IA-2026-02");
}

#[test]
fn a_commit_made_today_counts_in_check_and_independence() {
    let r = TestRepo::clean();
    audit_running_today(&r);
    r.write("infra/iam/roles.tf", "# erin, today\n");
    let today = r.commit(ERIN, TODAY, "Fix a role during the audit");
    let lines: Vec<String> = ind002_for(&r, "erin")
        .into_iter()
        .filter(|l| l.contains("IA-2026-02"))
        .collect();
    assert_eq!(lines.len(), 1, "{:#?}", r.lines());
    assert!(lines[0].contains(&r.short(today)), "{}", lines[0]);
    let out = r
        .cmd()
        .args(["independence", "--audit", "IA-2026-02", "--format", "json"])
        .output()
        .expect("isms runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains(&today.to_string()), "{text}");
    // Near miss: the same work the day after today is not yet made (and not counted).
    let r = TestRepo::clean();
    audit_running_today(&r);
    assert_eq!(
        ind002_for(&r, "erin")
            .into_iter()
            .filter(|l| l.contains("IA-2026-02"))
            .count(),
        0,
        "{:#?}",
        r.lines()
    );
}

// --- The areas.toml in effect on each branch ----------------------------------------------

const IAM: &str = "\"../infra/iam/**\"";
const IDENTITY: &str = "\"../infra/identity/**\"";

/// After the branches are merged, top management moves the area elsewhere again, so that
/// only the areas.toml of each commit's own tree can tell whether it touched the area.
fn move_the_area_elsewhere(r: &TestRepo) {
    r.replace("isms/areas.toml", IDENTITY, "\"../infra/other/**\"");
    r.commit(ALICE, "2025-10-10", "IAM code moves again");
}

#[test]
fn a_side_branch_is_judged_by_its_own_areas_toml_when_the_main_line_moved_the_path() {
    let r = TestRepo::clean();
    let fork = r.tip();
    r.replace("isms/areas.toml", IAM, IDENTITY);
    r.commit(ALICE, "2025-10-01", "IAM code moves");
    // On a branch from before the move, infra/iam is still the area: erin's edit there is work
    // on the area, though the main line had moved the area's path the day before.
    let side = side_branch(
        &r,
        fork,
        &[("2025-10-02", &|r| r.write("infra/iam/roles.tf", "# erin\n"))],
    );
    merge_into_head(&r, side, ALICE, "2025-10-03");
    move_the_area_elsewhere(&r);
    assert_one_ind002_naming(&r, "erin", side);
}

#[test]
fn a_main_line_commit_is_judged_by_its_own_areas_toml_when_a_branch_moved_the_path() {
    let r = TestRepo::clean();
    let fork = r.tip();
    // On the main line, infra/identity is no area's: erin's tooling there is no work on one.
    r.write("infra/identity/tools.tf", "# erin\n");
    r.commit(ERIN, "2025-10-02", "Identity tooling");
    // A branch from before moves the area's path there (the day before erin's commit).
    let side = side_branch(
        &r,
        fork,
        &[("2025-10-01", &|r| {
            r.replace("isms/areas.toml", IAM, IDENTITY)
        })],
    );
    merge_into_head(&r, side, ALICE, "2025-10-03");
    move_the_area_elsewhere(&r);
    assert_eq!(ind002_for(&r, "erin"), Vec::<String>::new());
    // Near miss: erin's edit of infra/identity after the merge is work on the area as it then was.
    let r = TestRepo::clean();
    let fork = r.tip();
    let side = side_branch(
        &r,
        fork,
        &[("2025-10-01", &|r| {
            r.replace("isms/areas.toml", IAM, IDENTITY)
        })],
    );
    merge_into_head(&r, side, ALICE, "2025-10-03");
    r.write("infra/identity/tools.tf", "# erin\n");
    let own = r.commit(ERIN, "2025-10-04", "Identity tooling");
    move_the_area_elsewhere(&r);
    assert_one_ind002_naming(&r, "erin", own);
}

// --- Records merged from a branch name the branch's commit, never the merge ---------------

/// On a branch by `author`, a new finding of IA-2026-01 and an edit of the approved access
/// policy; meanwhile the main line moves on; then `merger` merges the branch cleanly.
fn records_merged_from_a_branch(author: (&str, &str), merger: (&str, &str)) -> (TestRepo, Oid) {
    let r = TestRepo::clean();
    let fork = r.tip();
    let side = side_branch_by(
        &r,
        author,
        fork,
        &[("2026-03-13", &|r| {
            r.write(
                "isms/findings/F-2026-002.toml",
                &FINDING.replace("F-2026-001", "F-2026-002"),
            );
            r.replace(
                "isms/documents/access/policy.md",
                "least privilege",
                "need to know",
            );
        })],
    );
    r.write("notes.txt", "main moves on\n");
    r.commit(ALICE, "2026-06-02", "Notes");
    merge_into_head(&r, side, merger, "2026-06-03");
    (r, side)
}

#[test]
fn a_finding_and_a_document_change_merged_from_a_branch_name_the_branchs_commit() {
    // bob (no auditor) wrote them; dave, an auditor, merged: the merge is nobody's work.
    let (r, side) = records_merged_from_a_branch(BOB, DAVE);
    let merge = r.tip();
    for code in ["IND004", "DOC004"] {
        let found: Vec<_> = r
            .git_diagnostics()
            .into_iter()
            .filter(|d| d.code() == code)
            .collect();
        assert_eq!(found.len(), 1, "{code}: {:#?}", r.lines());
        assert_eq!(found[0].subject.commits, [side.to_string()], "{code}");
        assert!(
            !found[0].message.contains(&r.short(merge)),
            "{}",
            found[0].message
        );
    }
    // Near miss: dave (an auditor of IA-2026-01) raised the finding on the branch and bob merged
    // it: no IND004, whoever merged.
    let (r, _) = records_merged_from_a_branch(DAVE, BOB);
    assert!(!codes(&r).contains(&"IND004"), "{:#?}", r.lines());
}

// --- Hostile trees ------------------------------------------------------------------------

/// Commits the working tree as `who`, with the entries of its `infra/iam` folder written in
/// the order `arrange` gives them (git writes them sorted; a hand-made tree need not be).
fn commit_with_iam_entries(
    r: &TestRepo,
    who: (&str, &str),
    date: &str,
    arrange: impl Fn(&mut Vec<(String, Vec<u8>)>),
) -> Oid {
    let root = r.repo.find_tree(r.stage()).expect("tree");
    let infra = root
        .get_path(std::path::Path::new("infra"))
        .expect("infra")
        .to_object(&r.repo)
        .expect("object")
        .peel_to_tree()
        .expect("tree");
    let iam = infra.get_name("iam").expect("iam").id();
    let odb = r.repo.odb().expect("odb");
    let raw = odb.read(iam).expect("raw iam tree");
    let mut entries: Vec<(String, Vec<u8>)> = Vec::new();
    let mut rest = raw.data();
    while !rest.is_empty() {
        let nul = rest.iter().position(|b| *b == 0).expect("entry");
        let end = nul + 21;
        let header = String::from_utf8(rest[..nul].to_vec()).expect("utf-8 header");
        entries.push((header, rest[..end].to_vec()));
        rest = &rest[end..];
    }
    arrange(&mut entries);
    let bytes: Vec<u8> = entries.into_iter().flat_map(|(_, b)| b).collect();
    let iam = odb
        .write(git2::ObjectType::Tree, &bytes)
        .expect("hostile tree");
    let mut b = r.repo.treebuilder(Some(&infra)).expect("builder");
    b.insert("iam", iam, 0o040000).expect("insert");
    let infra = b.write().expect("infra");
    let mut b = r.repo.treebuilder(Some(&root)).expect("builder");
    b.insert("infra", infra, 0o040000).expect("insert");
    let tree = r.repo.find_tree(b.write().expect("root")).expect("tree");
    let sig = Signature::new(who.0, who.1, &at(date)).expect("signature");
    let parent = r.repo.find_commit(r.tip()).expect("parent");
    r.repo
        .commit(Some("HEAD"), &sig, &sig, "Roles", &tree, &[&parent])
        .expect("commit")
}

fn with_users_tf() -> TestRepo {
    let r = TestRepo::clean();
    r.write("infra/iam/users.tf", "resource \"user\" \"svc\" {}\n");
    r.commit(CAROL, "2025-09-01", "IAM users");
    r
}

#[test]
fn an_edit_in_a_tree_whose_entries_are_out_of_order_is_the_auditors() {
    let r = with_users_tf();
    r.write("infra/iam/roles.tf", "# loosened\n");
    let oid = commit_with_iam_entries(&r, ERIN, "2025-10-10", |e| e.reverse());
    assert_one_ind002_naming(&r, "erin", oid);
    // A later honest commit on the sorted tree is carol's alone: the out-of-order tree before
    // it is read as the same files, not as a deleted and re-added roles.tf.
    r.write("infra/iam/users.tf", "resource \"user\" \"ci\" {}\n");
    r.commit(CAROL, "2025-10-20", "CI user");
    assert_one_ind002_naming(&r, "erin", oid);
}

#[test]
fn entries_put_out_of_order_without_a_change_are_nobodys_work() {
    let r = with_users_tf();
    commit_with_iam_entries(&r, ERIN, "2025-10-10", |e| e.reverse());
    assert!(ind002_for(&r, "erin").is_empty(), "{:#?}", r.lines());
}

#[test]
fn an_edit_hidden_behind_a_duplicate_entry_is_the_auditors() {
    let r = with_users_tf();
    r.write("infra/iam/roles.tf", "# loosened\n");
    let old_roles = r
        .repo
        .find_tree(r.tree_of(r.tip()))
        .expect("tree")
        .get_path(std::path::Path::new("infra/iam/roles.tf"))
        .expect("roles.tf")
        .id();
    // The folder lists roles.tf twice: the old file first, then the loosened one.
    let oid = commit_with_iam_entries(&r, ERIN, "2025-10-10", |e| {
        let mut old = e[0].1.clone();
        let at = old.len() - 20;
        old[at..].copy_from_slice(old_roles.as_bytes());
        e.insert(0, (e[0].0.clone(), old));
    });
    assert_one_ind002_naming(&r, "erin", oid);
}
