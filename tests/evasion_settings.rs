//! The settings that weaken the impartiality proof count only once committed (issue 14): an
//! auditor who edits isms.toml in their working tree (`ignore_revs_file`, `lookback_months`,
//! `[rules]`) changes nothing, and the check says once that the working tree differs (IND018).
//! Signature settings and keys are covered in tests/signatures.rs.

mod gitrepo;

use gitrepo::*;

/// erin (auditor of IA-2026-01) changed the audited area in the window.
fn erin_worked_on_the_area(r: &TestRepo) -> git2::Oid {
    r.write("infra/iam/roles.tf", "# erin's change\n");
    r.commit(ERIN, "2025-11-02", "Require MFA for admins")
}

fn codes(r: &TestRepo) -> Vec<String> {
    r.lines()
        .into_iter()
        .map(|l| l.split(' ').next().unwrap_or_default().to_string())
        .collect()
}

fn note(r: &TestRepo) -> String {
    r.lines()
        .into_iter()
        .filter(|l| l.starts_with("IND018"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn an_uncommitted_ignore_revs_file_setting_changes_nothing() {
    let r = TestRepo::clean();
    let own = erin_worked_on_the_area(&r);
    // A committed list of hashes that isms.toml does not name, by top management.
    r.write("isms/notes/reformat-revs.txt", &format!("{own}\n"));
    r.commit(ALICE, "2025-11-03", "Note the reformat");
    assert_eq!(codes(&r), ["IND002"]);
    r.replace(
        "isms/isms.toml",
        "lookback_months = 24\n",
        "lookback_months = 24\nignore_revs_file = \"notes/reformat-revs.txt\"\n",
    );
    assert_eq!(codes(&r), ["IND002", "IND018"]);
    assert!(note(&r).contains("(`ignore_revs_file`)"), "{}", note(&r));
    // Committed by top management, the exemption counts (and is listed, IND012).
    r.commit(ALICE, "2025-11-04", "Ignore the reformat");
    assert_eq!(codes(&r), ["IND012"]);
}

#[test]
fn an_uncommitted_shorter_lookback_changes_nothing() {
    let r = TestRepo::clean();
    erin_worked_on_the_area(&r);
    r.replace(
        "isms/isms.toml",
        "lookback_months = 24\n",
        "lookback_months = 1\n",
    );
    assert_eq!(codes(&r), ["IND002", "IND018"]);
    assert!(note(&r).contains("(`lookback_months`)"), "{}", note(&r));
    // Shown at the working tree's value, where the user edited.
    let ind017 = r
        .check(isms::check::GitMode::Head)
        .into_iter()
        .find(|d| d.code() == "IND018")
        .expect("IND018");
    let span = ind017.origin.expect("a place in isms.toml").span;
    assert_eq!(&r.read("isms/isms.toml")[span], "1");
}

#[test]
fn an_uncommitted_rules_override_does_not_switch_impartiality_off() {
    let r = TestRepo::clean();
    erin_worked_on_the_area(&r);
    r.append("isms/isms.toml", "\n[rules]\nIND002 = \"off\"\n");
    assert_eq!(codes(&r), ["IND002", "IND018"]);
    assert!(
        note(&r).contains("(`[rules] for IND codes`)"),
        "{}",
        note(&r)
    );
}

#[test]
fn uncommitted_changes_to_other_settings_say_nothing() {
    let r = TestRepo::clean();
    erin_worked_on_the_area(&r);
    r.append("isms/isms.toml", "\n[rules]\nDOC001 = \"off\"\n");
    r.replace("isms/isms.toml", "CardioWatch", "CardioWatch and HeartBeat");
    assert_eq!(codes(&r), ["IND002"]);
}
