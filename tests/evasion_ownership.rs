//! IND001 over the lookback window and area paths as each commit saw them (docs/impartiality.md):
//! an auditor who stepped down from an area, a control or a document shortly before auditing
//! it, or who narrowed an area's `paths` to hide earlier edits, is still barred. Each case has
//! its near miss: a tie that ended before the window does not count.

mod gitrepo;

use gitrepo::*;

/// The IND001 lines naming `auditor`.
fn ind001_for(r: &TestRepo, auditor: &str) -> Vec<String> {
    r.lines()
        .into_iter()
        .filter(|l| l.starts_with(&format!("IND001 error: auditor {auditor} ")))
        .collect()
}

/// erin's one IND001 says she owned the area in the window until the commit `ended`.
fn erin_owned_until(r: &TestRepo, ended: &str) {
    let lines = ind001_for(r, "erin");
    assert_eq!(lines.len(), 1, "{:#?}", r.lines());
    let said = format!("owned the area in the lookback window (until {ended})");
    assert!(lines[0].contains(&said), "{}", lines[0]);
}

const ERIN_OWNS: &str = "owner = \"erin\"\nmembers = [\"carol\"]";
const BOB_OWNS: &str = "owner = \"bob\"\nmembers = [\"carol\"]";

#[test]
fn an_auditor_who_owned_the_area_in_the_window_is_barred_and_told_when_it_ended() {
    let r = TestRepo::clean();
    r.replace("isms/areas.toml", BOB_OWNS, ERIN_OWNS);
    r.commit(ALICE, "2025-03-01", "Erin takes over access control");
    r.replace("isms/areas.toml", ERIN_OWNS, BOB_OWNS);
    let ended = r.commit(ALICE, "2025-12-01", "Bob again");
    erin_owned_until(&r, &format!("{} 2025-12-01 \"Bob again\"", r.short(ended)));
    // Near miss: ownership that ended before the window (2024-03-10) does not count.
    let r = TestRepo::clean();
    r.replace("isms/areas.toml", BOB_OWNS, ERIN_OWNS);
    r.commit(ALICE, "2024-01-10", "Erin takes over access control");
    r.replace("isms/areas.toml", ERIN_OWNS, BOB_OWNS);
    r.commit(ALICE, "2024-02-01", "Bob again");
    assert_eq!(ind001_for(&r, "erin"), Vec::<String>::new());
}

#[test]
fn a_former_member_of_the_area_is_barred() {
    let r = TestRepo::clean();
    r.replace(
        "isms/areas.toml",
        "members = [\"carol\"]",
        "members = [\"carol\", \"erin\"]",
    );
    r.commit(ALICE, "2025-04-01", "Erin joins IAM");
    r.replace(
        "isms/areas.toml",
        "members = [\"carol\", \"erin\"]",
        "members = [\"carol\"]",
    );
    r.commit(ALICE, "2026-01-15", "Erin leaves IAM");
    let lines = ind001_for(&r, "erin");
    assert_eq!(lines.len(), 1, "{:#?}", r.lines());
    assert!(
        lines[0].contains("was a member of the area in the lookback window (until "),
        "{}",
        lines[0]
    );
}

#[test]
fn a_former_owner_of_a_document_in_scope_is_barred() {
    let r = TestRepo::clean();
    r.replace(
        "isms/documents/access/policy.md",
        "owner = \"bob\"",
        "owner = \"erin\"",
    );
    r.commit(ALICE, "2025-05-01", "Erin owns the policy");
    r.replace(
        "isms/documents/access/policy.md",
        "owner = \"erin\"",
        "owner = \"bob\"",
    );
    r.commit(ALICE, "2026-02-01", "Bob owns the policy again");
    let lines = ind001_for(&r, "erin");
    assert_eq!(lines.len(), 1, "{:#?}", r.lines());
    assert!(
        lines[0].contains("owned document POL-ACCESS in the lookback window"),
        "{}",
        lines[0]
    );
}

/// soa.toml with A.5.15 owned by `owner`.
fn soa(owner: &str) -> String {
    format!(
        "[[control]]\nid = \"A.5.15\"\napplicable = true\njustification = \"Access.\"\nbasis = [\"risk\"]\nstatus = \"implemented\"\nowner = \"{owner}\"\n"
    )
}

#[test]
fn a_former_owner_of_a_control_in_scope_is_barred() {
    let r = TestRepo::clean();
    r.write("isms/soa.toml", &soa("erin"));
    r.commit(ALICE, "2025-05-01", "SoA: erin owns A.5.15");
    r.write("isms/soa.toml", &soa("bob"));
    r.commit(ALICE, "2026-02-01", "SoA: bob owns A.5.15");
    let lines = ind001_for(&r, "erin");
    assert_eq!(lines.len(), 1, "{:#?}", r.lines());
    assert!(
        lines[0].contains("owned control A.5.15 in the lookback window"),
        "{}",
        lines[0]
    );
    // Near miss: another person's former ownership bars no one else.
    assert_eq!(ind001_for(&r, "dave"), Vec::<String>::new());
}

#[test]
fn narrowing_an_areas_paths_does_not_hide_earlier_edits() {
    let r = TestRepo::clean();
    r.write("infra/iam/roles.tf", "# loosened by erin\n");
    let edit = r.commit(ERIN, "2025-10-10", "Roles");
    r.replace(
        "isms/areas.toml",
        "paths = [\"documents/access/**\", \"../infra/iam/**\"]",
        "paths = [\"documents/access/**\"]",
    );
    r.commit(ALICE, "2025-11-01", "IAM code moves to the platform area");
    let lines: Vec<String> = r
        .lines()
        .into_iter()
        .filter(|l| l.starts_with("IND002 error: auditor erin "))
        .collect();
    assert_eq!(lines.len(), 1, "{:#?}", r.lines());
    assert!(lines[0].contains(&r.short(edit)), "{}", lines[0]);
    // Near miss: an edit made after the path left the area is not work on the area.
    let r = TestRepo::clean();
    r.replace(
        "isms/areas.toml",
        "paths = [\"documents/access/**\", \"../infra/iam/**\"]",
        "paths = [\"documents/access/**\"]",
    );
    r.commit(ALICE, "2025-09-01", "IAM code moves to the platform area");
    r.write("infra/iam/roles.tf", "# platform work\n");
    r.commit(ERIN, "2025-10-10", "Roles");
    assert!(
        !r.lines().iter().any(|l| l.starts_with("IND002")),
        "{:#?}",
        r.lines()
    );
}

/// Records `vendor/sdk` as a submodule (a `.gitmodules` entry and a gitlink) in a last commit
/// (the working tree has no checkout of it, so a later `commit` would drop it from the index).
fn add_submodule(r: &TestRepo) {
    add_gitlink(r, true);
}

/// Records the gitlink `vendor/sdk` in a last commit, with its `.gitmodules` entry or without.
fn add_gitlink(r: &TestRepo, with_gitmodules: bool) {
    point_gitlink(
        r,
        with_gitmodules,
        (
            "1111111111111111111111111111111111111111",
            ALICE,
            "2025-02-01",
        ),
    );
}

/// Commits the gitlink `vendor/sdk` pointing at `pointer`, by `who` on `date`.
fn point_gitlink(
    r: &TestRepo,
    with_gitmodules: bool,
    (pointer, who, date): (&str, (&str, &str), &str),
) {
    let mut index = r.repo.index().expect("index");
    index.read(true).expect("read index");
    if with_gitmodules {
        r.write(
            ".gitmodules",
            "[submodule \"sdk\"]\n\tpath = vendor/sdk\n\turl = https://git.example/sdk.git\n",
        );
        index
            .add_path(std::path::Path::new(".gitmodules"))
            .expect("add");
    }
    let pointer = git2::Oid::from_str(pointer).expect("oid");
    index
        .add(&git2::IndexEntry {
            ctime: git2::IndexTime::new(0, 0),
            mtime: git2::IndexTime::new(0, 0),
            dev: 0,
            ino: 0,
            mode: 0o160000,
            uid: 0,
            gid: 0,
            file_size: 0,
            id: pointer,
            flags: 0,
            flags_extended: 0,
            path: b"vendor/sdk".to_vec(),
        })
        .expect("gitlink");
    index.write().expect("write index");
    let tree = index.write_tree().expect("tree");
    let tree = r.repo.find_tree(tree).expect("tree");
    let sig = git2::Signature::new(who.0, who.1, &time(date)).expect("sig");
    let parent = r.repo.find_commit(r.tip()).expect("parent");
    r.repo
        .commit(
            Some("HEAD"),
            &sig,
            &sig,
            "Vendor the SDK",
            &tree,
            &[&parent],
        )
        .expect("commit");
}

/// The access-control area also holds `vendor/**`.
fn vendor_in_access_control() -> TestRepo {
    let r = TestRepo::clean();
    r.replace(
        "isms/areas.toml",
        "paths = [\"documents/access/**\", \"../infra/iam/**\"]",
        "paths = [\"documents/access/**\", \"../infra/iam/**\", \"../vendor/**\"]",
    );
    r.commit(ALICE, "2025-03-01", "The SDK is part of access control");
    r
}

#[test]
fn an_area_path_reaching_into_a_submodule_is_ind017() {
    let r = vendor_in_access_control();
    add_submodule(&r);
    let d: Vec<_> = r
        .check(isms::check::GitMode::Head)
        .into_iter()
        .filter(|d| d.code() == "IND017")
        .collect();
    assert_eq!(d.len(), 1, "{:#?}", r.lines());
    assert_eq!(d[0].severity, isms::diagnostics::Severity::Warning);
    assert!(
        d[0].message.starts_with(
            "path `../vendor/**` of area `access-control` reaches into the submodule `vendor/sdk`"
        ),
        "{}",
        d[0].message
    );
    // Near miss: a path beside the submodule does not reach it.
    let r = TestRepo::clean();
    r.replace(
        "isms/areas.toml",
        "paths = [\"documents/access/**\", \"../infra/iam/**\"]",
        "paths = [\"documents/access/**\", \"../infra/iam/**\", \"../vendor/sdk-docs/**\"]",
    );
    r.commit(ALICE, "2025-03-01", "SDK docs are part of access control");
    add_submodule(&r);
    assert!(
        !r.lines().iter().any(|l| l.starts_with("IND017")),
        "{:#?}",
        r.lines()
    );
}

#[test]
fn a_gitlink_without_gitmodules_in_an_area_path_is_ind017() {
    let r = vendor_in_access_control();
    add_gitlink(&r, false);
    let ind017: Vec<String> = r
        .lines()
        .into_iter()
        .filter(|l| l.starts_with("IND017"))
        .collect();
    assert_eq!(ind017.len(), 1, "{:#?}", r.lines());
    assert!(
        ind017[0].contains("reaches into the submodule `vendor/sdk`"),
        "{}",
        ind017[0]
    );
    // Staged the same way, `--staged` sees it too.
    let staged: Vec<_> = r
        .check(isms::check::GitMode::Staged)
        .into_iter()
        .filter(|d| d.code() == "IND017")
        .collect();
    assert_eq!(staged.len(), 1, "{:#?}", r.lines());
    // Near miss: a gitlink outside every area path is none of the areas' business.
    let r = TestRepo::clean();
    add_gitlink(&r, false);
    assert!(
        !r.lines().iter().any(|l| l.starts_with("IND017")),
        "{:#?}",
        r.lines()
    );
}

#[test]
fn a_submodule_pointer_update_is_work_on_the_area() {
    let r = vendor_in_access_control();
    add_gitlink(&r, false);
    let bump = (
        "2222222222222222222222222222222222222222",
        ERIN,
        "2025-11-02",
    );
    point_gitlink(&r, false, bump);
    let ind002: Vec<String> = r
        .lines()
        .into_iter()
        .filter(|l| l.starts_with("IND002 error: auditor erin "))
        .collect();
    assert_eq!(ind002.len(), 1, "{:#?}", r.lines());
    assert!(ind002[0].contains("(vendor/sdk)"), "{}", ind002[0]);
}

const UNCOMMITTED: &str = "in the lookback window (still so in HEAD's committed version: the change that ends it is not committed)";

/// Hands the area, control A.5.15 and the access policy from one owner to another (`(id, the
/// area's owner and members lines)`), in the working tree.
fn hand_everything(r: &TestRepo, from: (&str, &str), to: (&str, &str)) {
    r.replace("isms/areas.toml", from.1, to.1);
    r.replace(
        "isms/documents/access/policy.md",
        &format!("owner = \"{}\"", from.0),
        &format!("owner = \"{}\"", to.0),
    );
    r.write("isms/soa.toml", &soa(to.0));
}

#[test]
fn ownership_ties_removed_only_in_the_working_tree_still_count() {
    let r = TestRepo::clean();
    hand_everything(&r, ("bob", BOB_OWNS), ("erin", ERIN_OWNS));
    r.commit(ALICE, "2025-03-01", "Erin takes over access control");
    assert_eq!(ind001_for(&r, "erin").len(), 1, "{:#?}", r.lines());
    // Handing everything back to bob without committing it hides nothing.
    hand_everything(&r, ("erin", ERIN_OWNS), ("bob", BOB_OWNS));
    let lines = ind001_for(&r, "erin");
    assert_eq!(lines.len(), 1, "{:#?}", r.lines());
    for tie in [
        "owned the area",
        "owned control A.5.15",
        "owned document POL-ACCESS",
    ] {
        assert!(
            lines[0].contains(&format!("{tie} {UNCOMMITTED}")),
            "{}",
            lines[0]
        );
    }
    // `isms independence --format json` says no commit ended them.
    let out = r
        .cmd()
        .args(["independence", "--audit", "IA-2026-01", "--format", "json"])
        .output()
        .expect("isms runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("\"ended_by\": null"), "{text}");
    // Near miss: a tie that began after the audit, removed in the working tree, is none of
    // its business.
    let r = TestRepo::clean();
    r.replace("isms/areas.toml", BOB_OWNS, ERIN_OWNS);
    r.commit(ALICE, "2026-05-01", "Erin takes over access control");
    r.replace("isms/areas.toml", ERIN_OWNS, BOB_OWNS);
    assert_eq!(ind001_for(&r, "erin"), Vec::<String>::new());
}

/// erin owned access-control until 2024-02-01 on the main line (before the window, which starts
/// 2024-03-10); a side branch forked while she owned it changes something else of areas.toml on
/// `side_date`, and is merged in the window: its stale copy of erin's ownership is not a tie.
fn stale_side_branch(side_date: &str) -> TestRepo {
    let r = TestRepo::clean();
    r.replace("isms/areas.toml", BOB_OWNS, ERIN_OWNS);
    let fork = r.commit(ALICE, "2024-01-10", "Erin takes over access control");
    r.replace("isms/areas.toml", ERIN_OWNS, BOB_OWNS);
    let main = r.commit(ALICE, "2024-02-01", "Bob again");
    // The side branch, from the fork: its areas.toml still names erin.
    let side_text = AREAS
        .replace(BOB_OWNS, ERIN_OWNS)
        .replace("risk = \"high\"", "risk = \"medium\"");
    let side_tree = with_areas(&r, fork, &side_text);
    let side = r.commit_tree(ALICE, side_date, "Lower the risk", side_tree, &[fork]);
    // The merge keeps both changes: bob owns, the risk is medium.
    r.advance(main);
    r.write(
        "isms/areas.toml",
        &AREAS.replace("risk = \"high\"", "risk = \"medium\""),
    );
    merge_in_the_window(&r, main, side);
    r
}

/// Commits the working tree as the merge of `main` and `side`, on 2025-05-01.
fn merge_in_the_window(r: &TestRepo, main: git2::Oid, side: git2::Oid) {
    let tree = r.stage();
    r.commit_tree(
        ALICE,
        "2025-05-01",
        "Merge branch 'side'",
        tree,
        &[main, side],
    );
}

/// The tree of `commit` with `isms/areas.toml` replaced by `text`.
fn with_areas(r: &TestRepo, commit: git2::Oid, text: &str) -> git2::Oid {
    let repo = &r.repo;
    let root = repo.find_commit(commit).unwrap().tree().unwrap();
    let isms = repo.find_tree(root.get_name("isms").unwrap().id()).unwrap();
    let mut sub = repo.treebuilder(Some(&isms)).unwrap();
    sub.insert("areas.toml", repo.blob(text.as_bytes()).unwrap(), 0o100644)
        .unwrap();
    let mut top = repo.treebuilder(Some(&root)).unwrap();
    top.insert("isms", sub.write().unwrap(), 0o040000).unwrap();
    top.write().unwrap()
}

#[test]
fn a_side_branchs_stale_copy_of_areas_toml_is_no_tie() {
    // Dated between erin's stepping down and the merge, inside the window.
    let r = stale_side_branch("2025-01-15");
    assert_eq!(
        ind001_for(&r, "erin"),
        Vec::<String>::new(),
        "{:#?}",
        r.lines()
    );
    // Dated the same second as the main line's change: the line, not the walk order, decides.
    let r = stale_side_branch("2024-02-01");
    assert_eq!(
        ind001_for(&r, "erin"),
        Vec::<String>::new(),
        "{:#?}",
        r.lines()
    );
}

#[test]
fn a_tie_ended_on_a_side_branch_ends_when_it_is_merged() {
    // The other way round: erin steps down on a side branch before the window, merged in the
    // window: on the line the audit checks she owned the area until the merge, and the message
    // names the side branch's commit that ended it.
    let r = TestRepo::clean();
    r.replace("isms/areas.toml", BOB_OWNS, ERIN_OWNS);
    let fork = r.commit(ALICE, "2024-01-10", "Erin takes over access control");
    r.write("isms/documents/access/notes.md", "notes\n");
    let main = r.commit(BOB, "2024-01-20", "Notes");
    r.advance(fork);
    std::fs::remove_file(r.isms().join("documents/access/notes.md")).unwrap();
    r.replace("isms/areas.toml", ERIN_OWNS, BOB_OWNS);
    let side = r.commit(ALICE, "2024-02-01", "Bob again");
    r.advance(main);
    r.write("isms/documents/access/notes.md", "notes\n");
    merge_in_the_window(&r, main, side);
    erin_owned_until(&r, &format!("{} 2024-02-01 \"Bob again\"", r.short(side)));
}
