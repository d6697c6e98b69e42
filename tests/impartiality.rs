//! Auditor impartiality and document control from git history:
//! each case builds a repository with fixed authors and dates, hides a conflict in it (or
//! not), and checks which IND/DOC diagnostic comes out.

mod gitrepo;

use gitrepo::*;
use isms::check::GitMode;
use isms::diagnostics::Severity;

fn codes(r: &TestRepo) -> Vec<&'static str> {
    r.git_diagnostics().iter().map(|d| d.code()).collect()
}

#[test]
fn a_clean_audit_has_no_git_diagnostic() {
    let r = TestRepo::clean();
    assert_eq!(r.lines(), Vec::<String>::new());
}

#[test]
fn an_auditor_who_authored_an_area_file_is_named_with_the_commit() {
    let r = TestRepo::clean();
    r.write(
        "infra/iam/roles.tf",
        "resource \"role\" \"admin\" { mfa = true }\n",
    );
    let oid = r.commit(ERIN, "2025-11-02", "Require MFA for admins");
    let lines = r.lines();
    assert_eq!(lines.len(), 1, "{lines:#?}");
    let l = &lines[0];
    assert!(
        l.starts_with("IND002 error: auditor erin of IA-2026-01"),
        "{l}"
    );
    assert!(l.contains("area `access-control`"), "{l}");
    assert!(
        l.contains(&format!(
            "{} 2025-11-02 \"Require MFA for admins\" (infra/iam/roles.tf)",
            r.short(oid)
        )),
        "{l}"
    );
}

#[test]
fn the_window_is_the_lookback_before_the_start_through_the_end() {
    let r = TestRepo::clean();
    // Before 2024-03-10 and after the audit's last day (2026-03-12): both outside the window.
    r.write("infra/iam/old.tf", "# old\n");
    r.commit(ERIN, "2024-03-09", "Old IAM work");
    r.write("infra/iam/later.tf", "# after the audit ended\n");
    r.commit(ERIN, "2026-03-13", "Work after the audit ended");
    assert_eq!(r.lines(), Vec::<String>::new());
    // The first day of the window counts.
    r.write("infra/iam/edge.tf", "# edge\n");
    r.commit(ERIN, "2024-03-10", "Edge of the window");
    assert_eq!(codes(&r), ["IND002"]);
}

#[test]
fn a_second_email_of_the_auditor_counts_ignoring_case() {
    let r = TestRepo::clean();
    r.write("infra/iam/roles.tf", "# changed\n");
    r.commit(
        ("dave", "12345+dave@USERS.noreply.github.com"),
        "2025-09-01",
        "Tweak roles",
    );
    let lines = r.lines();
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert!(
        lines[0].starts_with("IND002 error: auditor dave of IA-2026-01"),
        "{}",
        lines[0]
    );
}

#[test]
fn mailmap_maps_a_private_identity_to_the_auditor() {
    let r = TestRepo::clean();
    r.write(
        ".mailmap",
        "Dave Okafor <dave@acme.example> <dave@home.example>\n",
    );
    r.commit(ALICE, "2025-08-01", "Add .mailmap");
    r.write("infra/iam/roles.tf", "# changed at home\n");
    r.commit(("Dave", "dave@home.example"), "2025-09-01", "Weekend fix");
    let lines = r.lines();
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert!(
        lines[0].starts_with("IND002 error: auditor dave of IA-2026-01"),
        "{}",
        lines[0]
    );
}

#[test]
fn a_co_author_trailer_counts_against_the_auditor() {
    let r = TestRepo::clean();
    r.write("infra/iam/roles.tf", "# paired\n");
    r.commit(
        CAROL,
        "2025-10-01",
        "Pair on roles\n\nCo-authored-by: Erin Walsh <Erin@Acme.example>\n",
    );
    let lines = r.lines();
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert!(
        lines[0].starts_with("IND002 error: auditor erin of IA-2026-01"),
        "{}",
        lines[0]
    );
}

#[test]
fn a_file_renamed_since_counts_for_its_current_path() {
    let r = TestRepo::clean();
    r.write("infra/legacy/groups.tf", "# groups\n");
    let oid = r.commit(ERIN, "2025-04-01", "Legacy groups");
    // Not an area path then; it is now.
    r.rename("infra/legacy/groups.tf", "infra/iam/groups.tf");
    r.commit(CAROL, "2025-12-01", "Move groups under IAM");
    let lines = r.lines();
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert!(
        lines[0].contains(&format!(
            "{} 2025-04-01 \"Legacy groups\" (infra/iam/groups.tf)",
            r.short(oid)
        )),
        "{}",
        lines[0]
    );
}

#[test]
fn a_merge_commit_by_the_auditor_is_no_conflict() {
    let r = TestRepo::clean();
    r.merge_branch(
        CAROL,
        ERIN,
        "2025-10-10",
        "infra/iam/roles.tf",
        "# merged\n",
    );
    assert_eq!(r.lines(), Vec::<String>::new());
}

#[test]
fn bots_in_ignore_authors_neither_conflict_nor_count_as_unknown() {
    let r = TestRepo::clean();
    r.write(
        "isms/documents/access/policy.md",
        &POLICY.replace("least privilege", "least  privilege"),
    );
    r.write("infra/iam/roles.tf", "# bumped\n");
    r.commit(BOT, "2025-10-10", "chore(deps): bump");
    r.write("infra/iam/ci.tf", "# ci\n");
    r.commit(("CI", "CI@acme.example"), "2025-10-11", "Generated");
    // Never silent: IND012 lists them for the audit whose area they touched.
    let lines = r.lines();
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert!(
        lines[0].starts_with("IND012 info: audit IA-2026-01 relies on 3 exemptions: "),
        "{}",
        lines[0]
    );
    assert!(lines[0].contains("\"chore(deps): bump\" by ignored author 29139614+renovate[bot]@users.noreply.github.com"), "{}", lines[0]);
    assert!(
        lines[0].contains("ignore_authors wildcards *[bot]@users.noreply.github.com"),
        "{}",
        lines[0]
    );
}

#[test]
fn unknown_identities_are_a_warning_and_never_a_conflict() {
    let r = TestRepo::clean();
    r.write(
        "isms/audits/IA-2026-01/checklist.toml",
        &CHECKLIST.replace("10 days", "ten days"),
    );
    r.commit(STRANGER, "2026-04-01", "Typo");
    let d = r.git_diagnostics();
    assert_eq!(d.len(), 1, "{:#?}", d.iter().map(line).collect::<Vec<_>>());
    assert_eq!(d[0].code(), "IND007");
    assert_eq!(d[0].severity, Severity::Warning);
    assert!(
        d[0].message
            .contains("Sam Stranger <sam@elsewhere.example>"),
        "{}",
        d[0].message
    );
}

#[test]
fn ignore_revs_are_attributed_to_no_one() {
    let r = TestRepo::clean();
    r.write("infra/iam/roles.tf", "resource \"role\" \"admin\" {\n}\n");
    let reformat = r.commit(ERIN, "2025-11-02", "Reformat all Terraform");
    assert_eq!(codes(&r), ["IND002"]);
    r.write(
        "isms/.isms-ignore-revs",
        &format!("# bulk reformat\n{reformat}\n"),
    );
    let listing = r.commit(ALICE, "2025-11-03", "Ignore the reformat");
    let lines = r.lines();
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert!(
        lines[0].contains(&format!(
            "ignored commit {} 2025-11-02 \"Reformat all Terraform\" (listed by alice in {})",
            r.short(reformat),
            r.short(listing)
        )),
        "{}",
        lines[0]
    );
}

#[test]
fn a_shallow_clone_never_passes() {
    let r = TestRepo::clean();
    r.make_shallow();
    let d = r.git_diagnostics();
    assert_eq!(errors(&d), ["IND006"]);
    assert!(
        d[0].help
            .as_deref()
            .unwrap_or("")
            .contains("fetch-depth: 0")
    );
}

#[test]
fn no_repository_is_ind006_and_no_git_is_a_warning() {
    let r = TestRepo::clean();
    let plain = tempfile::tempdir().unwrap();
    for f in ["isms.toml", "people.toml", "areas.toml"] {
        std::fs::copy(r.isms().join(f), plain.path().join(f)).unwrap();
    }
    let ws = isms::workspace::Workspace::find(Some(plain.path())).unwrap();
    let today = isms::model::Date::parse(TODAY).unwrap();
    let run = |git| {
        let o = isms::check::Options {
            today,
            git,
            cache: true,
        };
        only_git(isms::check::run_with(&ws, &o).unwrap().diagnostics)
    };
    assert_eq!(
        run(GitMode::Head)
            .iter()
            .map(line)
            .collect::<Vec<_>>()
            .len(),
        1
    );
    assert_eq!(errors(&run(GitMode::Head)), ["IND006"]);
    let off = run(GitMode::Off);
    assert_eq!(
        off.iter()
            .map(|d| (d.code(), d.severity))
            .collect::<Vec<_>>(),
        [("IND009", Severity::Warning)]
    );
    // In a repository, --no-git skips the history as well.
    let r2 = TestRepo::clean();
    r2.write("infra/iam/roles.tf", "# x\n");
    r2.commit(ERIN, "2025-11-02", "x");
    assert_eq!(
        only_git(r2.check(GitMode::Off))
            .iter()
            .map(|d| d.code())
            .collect::<Vec<_>>(),
        ["IND009"]
    );
}

#[test]
fn an_audit_record_edited_by_a_non_auditor() {
    let r = TestRepo::clean();
    r.replace(
        "isms/audits/IA-2026-01/checklist.toml",
        "3 of 25",
        "2 of 25",
    );
    let oid = r.commit(BOB, "2026-03-20", "Correct the sample");
    let lines = r.lines();
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert!(
        lines[0].starts_with("IND003 error: the checklist of audit IA-2026-01 was changed by bob"),
        "{}",
        lines[0]
    );
    assert!(lines[0].contains(&r.short(oid)), "{}", lines[0]);
}

#[test]
fn a_report_co_authored_by_the_area_owner() {
    let r = TestRepo::clean();
    r.replace(
        "isms/audits/IA-2026-01/report.md",
        "One minor",
        "A single minor",
    );
    r.commit(
        DAVE,
        "2026-03-14",
        "Polish\n\nCo-authored-by: Bob Stone <bob@acme.example>",
    );
    assert_eq!(codes(&r), ["IND003"]);
}

#[test]
fn a_finding_introduced_by_a_non_auditor() {
    let r = TestRepo::clean();
    r.write(
        "isms/findings/F-2026-002.toml",
        &FINDING.replace("F-2026-001", "F-2026-002"),
    );
    r.commit(BOB, "2026-03-13", "Add a finding");
    let lines = r.lines();
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert!(
        lines[0].starts_with("IND004 error: finding F-2026-002 was introduced by bob"),
        "{}",
        lines[0]
    );
}

/// The clean history up to the finding's answer, without the verification.
fn before_verification() -> TestRepo {
    let r = TestRepo::clean();
    r.write(
        "isms/findings/F-2026-001.toml",
        &format!("{FINDING}{ANSWER}"),
    );
    r.commit(DAVE, "2026-05-30", "Undo the verification");
    r
}

#[test]
fn a_verification_committed_by_someone_other_than_the_verifier() {
    let r = before_verification();
    r.append("isms/findings/F-2026-001.toml", VERIFICATION);
    let oid = r.commit(BOB, "2026-06-02", "Close F-2026-001");
    let lines = r.lines();
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert_eq!(
        lines[0],
        format!(
            "IND005 error: the verification of finding F-2026-001 by dave was recorded by bob: {} 2026-06-02 \"Close F-2026-001\"",
            r.short(oid)
        )
    );
    // Later edits by others do not move the verification's commit.
    let r = before_verification();
    r.append("isms/findings/F-2026-001.toml", VERIFICATION);
    r.commit(DAVE, "2026-06-02", "Verify");
    r.append("isms/findings/F-2026-001.toml", "# note\n");
    r.commit(BOB, "2026-06-03", "Comment");
    assert_eq!(r.lines(), Vec::<String>::new());
}

#[test]
fn an_owner_or_member_cannot_audit_their_area() {
    let r = TestRepo::clean();
    r.replace(
        "isms/audits/IA-2026-01/plan.toml",
        "team = [\"erin\"]",
        "team = [\"erin\", \"carol\"]",
    );
    r.commit(ALICE, "2026-02-21", "Add carol");
    let lines = r.lines();
    assert!(lines.iter().any(|l| l.starts_with("IND001 error: auditor carol of IA-2026-01 is not independent of area `access-control`: is a member of the area")), "{lines:#?}");
}

/// erin authored area work, and the plan waives it with an approval by `approver`.
fn waived_by(approver: &str) -> TestRepo {
    let r = TestRepo::clean();
    r.write("infra/iam/roles.tf", "# typo fixed\n");
    r.commit(ERIN, "2025-11-02", "Fix a typo");
    r.append(
        "isms/audits/IA-2026-01/plan.toml",
        &format!(
            "\n[[waiver]]\nauditor = \"erin\"\narea = \"access-control\"\nreason = \"Only two qualified auditors; a typo fix\"\napproved_by = \"{approver}\"\napproved_on = 2026-02-18\n"
        ),
    );
    r.commit(ALICE, "2026-02-21", "Waiver for erin");
    r
}

#[test]
fn a_waiver_approved_by_top_management_turns_the_conflict_into_info() {
    let all = waived_by("alice").git_diagnostics();
    let (listed, d): (Vec<_>, Vec<_>) = all.into_iter().partition(|d| d.code() == "IND012");
    assert_eq!(listed.len(), 1);
    assert!(
        listed[0]
            .message
            .contains("waiver for erin on area `access-control` approved by alice on 2026-02-18"),
        "{}",
        listed[0].message
    );
    assert_eq!(
        d.iter().map(|d| (d.code(), d.severity)).collect::<Vec<_>>(),
        [("IND002", Severity::Info)]
    );
    // The waiver is data beside the message, which stays as the rule wrote it.
    assert!(!d[0].message.contains("waived"), "{}", d[0].message);
    let w = d[0].subject.waiver.as_ref().expect("the waiver as data");
    assert_eq!(
        (w.approved_by.as_str(), w.approved_on.as_str()),
        ("alice", "2026-02-18")
    );
    assert!(
        d[0].text().ends_with(
            "(waived: approved by alice on 2026-02-18: Only two qualified auditors; a typo fix)"
        ),
        "{}",
        d[0].text()
    );
}

#[test]
fn every_renderer_shows_the_waiver_from_its_data() {
    let r = waived_by("alice");
    let out = |format: &str| {
        let o = r
            .cmd()
            .args(["check", "--format", format])
            .output()
            .expect("isms runs");
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    let note = "waived: approved by alice on 2026-02-18: Only two qualified auditors; a typo fix";
    for format in ["human", "sarif", "github"] {
        let text = out(format);
        assert!(text.contains(note), "{format}: {text}");
    }
    let json: serde_json::Value = serde_json::from_str(&out("json")).expect("json");
    let waived: Vec<&serde_json::Value> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["code"] == "IND002")
        .collect();
    assert_eq!(waived.len(), 1, "{json:#}");
    assert_eq!(waived[0]["data"]["waiver"]["approved_by"], "alice");
    assert_eq!(waived[0]["data"]["waiver"]["approved_on"], "2026-02-18");
    assert!(
        !waived[0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("waived"),
        "{json:#}"
    );
}

#[test]
fn a_waiver_approved_by_the_waived_auditor_does_not_count() {
    let d = waived_by("erin").git_diagnostics();
    let got: Vec<_> = d.iter().map(|d| (d.code(), d.severity)).collect();
    assert_eq!(
        got,
        [("IND002", Severity::Error), ("IND008", Severity::Error)],
        "{:#?}",
        d.iter().map(line).collect::<Vec<_>>()
    );
    let d = waived_by("bob").git_diagnostics();
    assert!(
        d.iter()
            .any(|d| d.code() == "IND008" && d.message.contains("who is not top management"))
    );
}

#[test]
fn a_document_changed_after_approval_and_a_self_approval() {
    let r = TestRepo::clean();
    r.replace(
        "isms/documents/access/policy.md",
        "least privilege",
        "need to know",
    );
    let oid = r.commit(BOB, "2025-03-01", "Need to know");
    let lines = r.lines();
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert!(lines[0].starts_with("DOC004 error: document POL-ACCESS was changed after its approval on 2025-01-10 without a new approval"), "{}", lines[0]);
    assert!(lines[0].contains(&r.short(oid)));
    // bob approves his own change.
    r.replace(
        "isms/documents/access/policy.md",
        "approved_by = \"alice\"\napproved_on = 2025-01-10",
        "approved_by = \"bob\"\napproved_on = 2025-03-02",
    );
    r.commit(BOB, "2025-03-02", "Approve");
    assert_eq!(codes(&r), ["DOC005"]);
    // alice approving it instead is fine.
    r.replace(
        "isms/documents/access/policy.md",
        "approved_by = \"bob\"",
        "approved_by = \"alice\"",
    );
    r.commit(ALICE, "2025-03-03", "Approve");
    assert_eq!(r.lines(), Vec::<String>::new());
}

#[test]
fn the_cache_is_incremental_and_never_trusted_when_stale_or_corrupt() {
    let r = TestRepo::clean();
    let ws = isms::workspace::Workspace::find(Some(&r.isms())).unwrap();
    let today = isms::model::Date::parse(TODAY).unwrap();
    let stats = || {
        let o = isms::check::Options {
            today,
            git: GitMode::Head,
            cache: true,
        };
        isms::check::run_with(&ws, &o)
            .unwrap()
            .history
            .unwrap()
            .stats
    };
    let s = stats();
    assert_eq!(
        (s.walked, s.cached),
        (7, 0),
        "the first run walks everything"
    );
    let s = stats();
    assert_eq!((s.walked, s.cached), (0, 7), "the second reads the cache");
    r.write("infra/iam/roles.tf", "# x\n");
    r.commit(ERIN, "2025-11-02", "x");
    let s = stats();
    assert_eq!(
        (s.walked, s.cached),
        (1, 7),
        "only the new commit is walked"
    );
    assert_eq!(codes(&r), ["IND002"]);
    // Rewrite history: amend the last commit so erin is no longer its author.
    let head = r.repo.head().unwrap().peel_to_commit().unwrap();
    let parent = head.parent_id(0).unwrap();
    r.repo
        .reset(
            &r.repo.find_object(parent, None).unwrap(),
            git2::ResetType::Soft,
            None,
        )
        .unwrap();
    r.commit(CAROL, "2025-11-02", "x");
    let s = stats();
    assert_eq!((s.walked, s.cached), (8, 0), "rewritten history is rebuilt");
    assert_eq!(r.lines(), Vec::<String>::new());
    // A damaged cache is rebuilt.
    let cache = r.repo.path().join("isms/history.bin");
    let mut bytes = std::fs::read(&cache).unwrap();
    let n = bytes.len();
    bytes[n / 2] ^= 0x20;
    std::fs::write(&cache, &bytes).unwrap();
    let s = stats();
    assert_eq!((s.walked, s.cached), (8, 0));
    std::fs::write(&cache, b"garbage").unwrap();
    assert_eq!(stats().walked, 8);
    assert_eq!(stats().walked, 0);
    // The facts read from blobs (approvals, verifications) are cached too, and a damaged file
    // is ignored, never trusted.
    let blobs = r.repo.path().join("isms/blobs.bin");
    assert!(blobs.exists());
    assert!(!r.repo.path().join("isms/blobs.json").exists());
    std::fs::write(&blobs, b"isms-blob-facts 2 0000000000000000\n\x00").unwrap();
    r.replace(
        "isms/documents/access/policy.md",
        "least privilege",
        "need to know",
    );
    r.commit(BOB, "2025-03-01", "Need to know");
    assert_eq!(codes(&r), ["DOC004"]);
}

/// The exact report of every git-based conflict at once, as `isms check` prints it.
#[test]
fn snapshot_of_the_git_diagnostics() {
    let r = TestRepo::clean();
    r.write("infra/iam/roles.tf", "# erin was here\n");
    r.commit(ERIN, "2025-11-02", "Require MFA for admins");
    r.write("infra/iam/groups.tf", "# paired\n");
    r.commit(
        CAROL,
        "2026-01-15",
        "Groups\n\nCo-authored-by: Erin Walsh <erin@acme.example>",
    );
    r.replace(
        "isms/audits/IA-2026-01/checklist.toml",
        "3 of 25",
        "2 of 25",
    );
    r.commit(BOB, "2026-03-20", "Correct the sample");
    r.write(
        "isms/findings/F-2026-002.toml",
        &FINDING.replace("F-2026-001", "F-2026-002"),
    );
    r.commit(BOB, "2026-03-21", "Add a finding");
    r.replace(
        "isms/documents/access/policy.md",
        "least privilege",
        "need to know",
    );
    r.commit(BOB, "2026-04-01", "Need to know");
    r.write("isms/areas.toml", &AREAS.replace("high", "medium"));
    r.commit(STRANGER, "2026-04-02", "Lower the risk");
    let ws = isms::workspace::Workspace::find(Some(&r.isms())).unwrap();
    let o = isms::check::Options {
        today: isms::model::Date::parse(TODAY).unwrap(),
        git: GitMode::Head,
        cache: false,
    };
    let outcome = isms::check::run_with(&ws, &o).unwrap();
    let d = only_git(outcome.diagnostics);
    let summary = isms::diagnostics::Summary::of(&d, outcome.files.len());
    insta::assert_snapshot!(isms::diagnostics::human::render(
        &d,
        &outcome.files,
        &summary,
        false
    ));
}

#[test]
fn a_merge_that_writes_a_change_of_its_own_counts_for_its_author() {
    let r = TestRepo::clean();
    // carol's side branch touches roles.tf; erin's merge commit also rewrites policy.tf, which
    // neither parent has: a change of erin's own, hidden in a merge.
    let base = r.repo.head().unwrap().target().unwrap();
    r.write("infra/iam/roles.tf", "# carol\n");
    let side = r.commit(CAROL, "2025-10-10", "Side change");
    r.write("infra/iam/policy.tf", "# erin, in the merge\n");
    let tree = r.stage();
    let merge = r.commit_tree(
        ERIN,
        "2025-10-11",
        "Merge branch 'side'",
        tree,
        &[base, side],
    );
    let lines = r.lines();
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert!(
        lines[0].starts_with("IND002 error: auditor erin of IA-2026-01 authored 1 commit"),
        "{}",
        lines[0]
    );
    assert!(
        lines[0].contains(&format!(
            "{} 2025-10-11 \"Merge branch 'side'\" (infra/iam/policy.tf)",
            r.short(merge)
        )),
        "{}",
        lines[0]
    );
}

#[test]
fn no_one_exempts_their_own_commit_through_the_ignore_revs_file() {
    let r = TestRepo::clean();
    r.write("infra/iam/roles.tf", "# erin\n");
    let own = r.commit(ERIN, "2025-11-02", "Reformat");
    r.write(
        "isms/.isms-ignore-revs",
        &format!("{}\n", &own.to_string()[..12]),
    );
    r.commit(ERIN, "2025-11-03", "Ignore my reformat");
    assert_eq!(codes(&r), ["IND002", "IND011"]);
    // Listed by someone else, it is ignored.
    r.write("isms/.isms-ignore-revs", "# nothing\n");
    r.commit(ERIN, "2025-11-04", "Unlist");
    r.write(
        "isms/.isms-ignore-revs",
        &format!("{own} # bulk reformat\n"),
    );
    r.commit(ALICE, "2025-11-05", "Ignore the reformat");
    assert_eq!(codes(&r), ["IND012"]);
}

#[test]
fn neither_mailmap_nor_ignore_authors_can_hide_a_known_person() {
    let r = TestRepo::clean();
    // erin maps her address to carol's, and lists herself as a bot.
    r.write(
        ".mailmap",
        "Carol Diaz <carol@acme.example> <erin@acme.example>\n",
    );
    r.replace(
        "isms/isms.toml",
        "\"ci@acme.example\"]",
        "\"ci@acme.example\", \"erin@acme.example\"]",
    );
    r.commit(ALICE, "2025-08-01", "Housekeeping");
    r.write("infra/iam/roles.tf", "# erin\n");
    r.commit(ERIN, "2025-11-02", "Require MFA");
    let lines = r.lines();
    assert_eq!(lines.len(), 2, "{lines:#?}");
    // The mapping itself is an identity conflict.
    assert!(
        lines[1].starts_with("IND010 error: the .mailmap entry `Carol Diaz <carol@acme.example> <erin@acme.example>` maps"),
        "{}",
        lines[1]
    );
    assert!(
        lines[0].starts_with("IND002 error: auditor erin of IA-2026-01"),
        "{}",
        lines[0]
    );
}

#[test]
fn an_isms_at_the_repository_root() {
    let r = TestRepo::empty();
    r.write("isms.toml", ISMS_TOML);
    r.write("people.toml", PEOPLE);
    r.write(
        "areas.toml",
        &AREAS.replace("../infra/iam/**", "infra/iam/**"),
    );
    r.commit(ALICE, "2024-01-05", "Set up the ISMS");
    r.write("audits/IA-2026-01/plan.toml", PLAN);
    r.commit(ALICE, "2026-02-20", "Plan IA-2026-01");
    r.write("infra/iam/roles.tf", "# erin\n");
    let oid = r.commit(ERIN, "2025-11-02", "Require MFA");
    let ws = isms::workspace::Workspace::find(Some(r.root())).unwrap();
    let o = isms::check::Options {
        today: isms::model::Date::parse(TODAY).unwrap(),
        git: GitMode::Head,
        cache: true,
    };
    let lines: Vec<String> = only_git(isms::check::run_with(&ws, &o).unwrap().diagnostics)
        .iter()
        .map(line)
        .collect();
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert!(
        lines[0].contains(&format!(
            "{} 2025-11-02 \"Require MFA\" (infra/iam/roles.tf)",
            r.short(oid)
        )),
        "{}",
        lines[0]
    );
}

#[test]
fn a_commit_tree_and_the_index_are_sources() {
    use isms::source::{CommitTree, EntryKind, GitIndex, Source};
    let r = TestRepo::clean();
    let first = r.repo.revparse_single("HEAD~5").unwrap().id().to_string();
    let tree = CommitTree::commit(r.root(), "isms/", &first).unwrap();
    let paths: Vec<String> = tree.list().into_iter().map(|e| e.path).collect();
    assert_eq!(
        paths,
        [
            "areas.toml",
            "documents/access/policy.md",
            "isms.toml",
            "people.toml"
        ]
    );
    let entry = tree
        .list()
        .into_iter()
        .find(|e| e.path == "isms.toml")
        .unwrap();
    assert_eq!(
        entry.kind,
        EntryKind::File {
            size: ISMS_TOML.len() as u64
        }
    );
    assert_eq!(tree.read("isms.toml").unwrap(), ISMS_TOML.as_bytes());
    // The index holds what is staged, not what the working tree says.
    r.write("isms/isms.toml", "changed, not staged\n");
    let index = GitIndex::index(r.root(), "isms/").unwrap();
    assert_eq!(index.read("isms.toml").unwrap(), ISMS_TOML.as_bytes());
    assert!(index.read("nothing.toml").is_err());
}
