//! Evasions of the impartiality proof through identities and exemptions (issue 11): an auditor
//! who wants to audit their own work tries each way a person, an email, a `.mailmap` entry, an
//! ignore-revs line, an `ignore_authors` entry or a waiver could hide it. Each case is built as
//! a git repository with fixed authors and dates; the near misses show what stays allowed.

mod gitrepo;

use gitrepo::*;
use isms::check::GitMode;

/// The codes of a check of HEAD, sorted as printed (IND, DOC004-005 and LOAD).
fn codes(r: &TestRepo) -> Vec<&'static str> {
    codes_of(r, GitMode::Head)
}

fn codes_of(r: &TestRepo, mode: GitMode) -> Vec<&'static str> {
    r.check(mode)
        .iter()
        .map(|d| d.code())
        .filter(|c| {
            c.starts_with("IND") || c.starts_with("LOAD") || *c == "DOC004" || *c == "DOC005"
        })
        .collect()
}

/// erin (auditor of IA-2026-01) changed the audited area in the window.
fn erin_worked_on_the_area(r: &TestRepo) -> git2::Oid {
    r.write("infra/iam/roles.tf", "# erin's change\n");
    r.commit(ERIN, "2025-11-02", "Require MFA for admins")
}

fn set_ignore_revs_file(r: &TestRepo, path: &str) {
    r.replace(
        "isms/isms.toml",
        "lookback_months = 24\n",
        &format!("lookback_months = 24\nignore_revs_file = \"{path}\"\n"),
    );
}

// ---- ignore_revs_file: only a committed file inside the ISMS root ----

#[test]
fn a_dot_slash_ignore_revs_path_does_not_bypass_the_self_exemption_guard() {
    let r = TestRepo::clean();
    let own = erin_worked_on_the_area(&r);
    set_ignore_revs_file(&r, "./.isms-ignore-revs");
    r.write("isms/.isms-ignore-revs", &format!("{own}\n"));
    r.commit(ERIN, "2025-11-03", "Ignore my reformat");
    assert_eq!(codes(&r), ["IND002", "IND011"]);
    let ind011 = r.lines_of("IND011");
    assert!(
        ind011[0].contains(&format!("the ignore-revs line `{own}` was added by"))
            && ind011[0].contains("erin benefits from it"),
        "{ind011:#?}"
    );
}

#[test]
fn an_ignore_revs_file_outside_the_isms_root_is_refused() {
    for path in ["../tools/revs", "/tmp/revs", ".git/revs"] {
        let r = TestRepo::clean();
        let own = erin_worked_on_the_area(&r);
        set_ignore_revs_file(&r, path);
        r.write("tools/revs", &format!("{own}\n"));
        r.commit(ALICE, "2025-11-03", "Ignore the reformat");
        let d = r.check(GitMode::Head);
        let load: Vec<_> = d.iter().filter(|d| d.code() == "LOAD002").collect();
        assert_eq!(
            load.len(),
            1,
            "{path}: {:#?}",
            d.iter().map(line).collect::<Vec<_>>()
        );
        assert!(
            load[0]
                .message
                .starts_with("`ignore_revs_file` cannot be used"),
            "{}",
            load[0].message
        );
        assert!(load[0].origin.is_some(), "points into isms.toml");
        // Nothing is ignored: the work still counts against erin.
        assert!(d.iter().any(|d| d.code() == "IND002"), "{path}");
    }
}

#[cfg(unix)]
#[test]
fn an_ignore_revs_file_committed_as_a_symlink_is_refused() {
    let r = TestRepo::clean();
    let own = erin_worked_on_the_area(&r);
    r.write("tools/revs", &format!("{own}\n"));
    std::os::unix::fs::symlink("../tools/revs", r.isms().join(".isms-ignore-revs"))
        .expect("symlink");
    r.commit(ALICE, "2025-11-03", "Ignore the reformat");
    let load = r.lines_of("LOAD002");
    assert_eq!(load.len(), 1, "{load:#?}");
    assert!(load[0].contains("is a symbolic link"), "{}", load[0]);
    assert!(codes(&r).contains(&"IND002"));
}

#[test]
fn an_uncommitted_ignore_revs_file_changes_nothing() {
    let r = TestRepo::clean();
    let own = erin_worked_on_the_area(&r);
    r.write("isms/.isms-ignore-revs", &format!("{own}\n"));
    assert_eq!(codes(&r), ["IND002"]);
    // Staged, it is part of the checked snapshot of `--staged`: the staged line is by the
    // configured user (nobody known), so it is listed rather than judged.
    r.stage();
    let staged = codes_of(&r, GitMode::Staged);
    assert!(
        staged.contains(&"IND012") && !staged.contains(&"IND002"),
        "{staged:#?}"
    );
}

// ---- .mailmap, ignore_authors and waivers: only from the checked snapshot ----

/// erin changes the area's policy from a private address that people.toml does not list.
fn home_work(r: &TestRepo) {
    r.write(
        "isms/documents/access/policy.md",
        &POLICY.replace("least privilege", "least privilege, reviewed"),
    );
    r.commit(("Erin", "erin@home.example"), "2025-11-02", "Weekend fix");
}

#[test]
fn an_uncommitted_mailmap_changes_nothing() {
    let r = TestRepo::clean();
    home_work(&r);
    assert_eq!(codes(&r), ["IND007"]);
    // Committed, mapping the private address onto erin makes it her work.
    r.write(
        ".mailmap",
        "Erin Walsh <erin@acme.example> <erin@home.example>\n",
    );
    assert_eq!(
        codes(&r),
        ["IND007"],
        "the working tree's .mailmap is not read"
    );
    r.commit(ALICE, "2025-11-05", "Map erin's home address");
    // Her change to the approved policy is now hers: IND002, and DOC004 for the change.
    assert_eq!(codes(&r), ["IND002", "DOC004"]);
}

#[test]
fn an_uncommitted_ignore_authors_entry_changes_nothing() {
    let r = TestRepo::clean();
    home_work(&r);
    r.replace(
        "isms/isms.toml",
        "\"ci@acme.example\"]",
        "\"ci@acme.example\", \"erin@home.example\"]",
    );
    // Not used, and said so once (IND018).
    assert_eq!(codes(&r), ["IND018", "IND007"]);
}

#[test]
fn an_uncommitted_waiver_does_not_count() {
    let r = TestRepo::clean();
    erin_worked_on_the_area(&r);
    r.append(
        "isms/audits/IA-2026-01/plan.toml",
        "\n[[waiver]]\nauditor = \"erin\"\narea = \"access-control\"\nreason = \"A typo\"\napproved_by = \"alice\"\napproved_on = 2026-02-18\n",
    );
    let d = r.check(GitMode::Head);
    let ind002: Vec<_> = d.iter().filter(|d| d.code() == "IND002").collect();
    assert_eq!(ind002.len(), 1);
    assert_eq!(ind002[0].severity, isms::diagnostics::Severity::Error);
}

// ---- people.toml: identity history and conflicts ----

#[test]
fn an_email_listed_for_two_people_is_an_identity_conflict() {
    let r = TestRepo::clean();
    r.replace(
        "isms/people.toml",
        "emails = [\"bob@acme.example\"]",
        "emails = [\"bob@acme.example\", \"Erin@acme.example\"]",
    );
    r.commit(ALICE, "2025-08-01", "Bob's aliases");
    let lines = r.lines_of("IND010");
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert!(
        lines[0]
            .to_lowercase()
            .contains("the email erin@acme.example is listed for both bob and erin"),
        "{}",
        lines[0]
    );
    // Her work counts for erin whichever entry lists the email first.
    erin_worked_on_the_area(&r);
    assert!(codes(&r).contains(&"IND002"));
}

#[test]
fn an_email_once_listed_for_two_people_stays_a_conflict() {
    let r = TestRepo::clean();
    r.replace(
        "isms/people.toml",
        "emails = [\"bob@acme.example\"]",
        "emails = [\"bob@acme.example\", \"erin@acme.example\"]",
    );
    r.commit(ALICE, "2025-08-01", "Bob's aliases");
    r.replace(
        "isms/people.toml",
        "emails = [\"bob@acme.example\", \"erin@acme.example\"]",
        "emails = [\"bob@acme.example\"]",
    );
    r.commit(ALICE, "2025-08-02", "Undo");
    let lines = r.lines_of("IND010");
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert!(
        lines[0].contains("the email erin@acme.example was listed for bob and erin in committed versions of people.toml"),
        "{}",
        lines[0]
    );
}

#[test]
fn removing_an_old_email_does_not_disown_its_commits() {
    let r = TestRepo::clean();
    r.write("infra/iam/roles.tf", "# dave\n");
    r.commit(
        ("dave", "12345+Dave@users.noreply.github.com"),
        "2025-09-01",
        "Tweak roles",
    );
    r.replace(
        "isms/people.toml",
        "emails = [\"dave@acme.example\", \"12345+Dave@users.noreply.github.com\"]",
        "emails = [\"dave@acme.example\"]",
    );
    r.commit(DAVE, "2025-12-01", "Drop my old GitHub address");
    let lines = r.lines();
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert!(
        lines[0].starts_with("IND002 error: auditor dave of IA-2026-01"),
        "{}",
        lines[0]
    );
}

#[test]
fn an_auditor_adding_an_alias_to_someone_elses_entry_is_caught() {
    let r = TestRepo::clean();
    r.replace(
        "isms/people.toml",
        "emails = [\"carol@acme.example\"]",
        "emails = [\"carol@acme.example\", \"c.diaz@acme.example\"]",
    );
    let added = r.commit(ERIN, "2025-08-01", "Carol's other address");
    r.write("infra/iam/roles.tf", "# as carol\n");
    r.commit(("Carol Diaz", "c.diaz@acme.example"), "2025-11-02", "Roles");
    let lines = r.lines_of("IND011");
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert!(
        lines[0].contains(&format!(
            "the email c.diaz@acme.example for carol was added by {} 2025-08-01 \"Carol's other address\": erin is neither top management nor the audit programme owner",
            r.short(added)
        )),
        "{}",
        lines[0]
    );
}

#[test]
fn a_person_adding_their_own_email_passes() {
    let r = TestRepo::clean();
    r.replace(
        "isms/people.toml",
        "emails = [\"erin@acme.example\"]",
        "emails = [\"erin@acme.example\", \"erin@home.example\"]",
    );
    r.commit(ERIN, "2025-08-01", "My home address");
    assert_eq!(r.lines(), Vec::<String>::new());
}

// ---- .mailmap conflicts ----

#[test]
fn a_mailmap_entry_onto_a_bot_is_an_identity_conflict() {
    let r = TestRepo::clean();
    r.write(
        ".mailmap",
        &format!("renovate[bot] <{}> <erin@home.example>\n", BOT.1),
    );
    r.commit(ALICE, "2025-08-01", "Housekeeping");
    r.write("infra/iam/roles.tf", "# from home\n");
    r.commit(("Erin", "erin@home.example"), "2025-11-02", "Weekend fix");
    let lines = r.lines_of("IND010");
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert!(
        lines[0].contains("maps erin@home.example onto 29139614+renovate[bot]@users.noreply.github.com, an ignored author"),
        "{}",
        lines[0]
    );
    // It points into .mailmap itself, by line and column.
    let at = mailmap_places(&r, "IND010");
    assert_eq!(at, [(".mailmap".to_string(), 1, 1)]);
}

/// (file, line, column) of each diagnostic with `code` in `isms check --format json`.
fn mailmap_places(r: &TestRepo, code: &str) -> Vec<(String, u64, u64)> {
    let out = r
        .cmd()
        .args(["check", "--format", "json"])
        .output()
        .expect("isms runs");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["code"] == code)
        .map(|d| {
            (
                d["file"].as_str().unwrap_or_default().to_string(),
                d["line"].as_u64().unwrap_or_default(),
                d["column"].as_u64().unwrap_or_default(),
            )
        })
        .collect()
}

/// One rule for one's own identities, in `.mailmap` as in people.toml: a person may name
/// themselves behind an address that is nobody's (as they may add an email to their own entry),
/// but may not map an address of their own away (that is the person the mapping benefits).
#[test]
fn a_mailmap_entry_mapping_ones_own_address_away_is_caught() {
    let r = TestRepo::clean();
    r.write(
        ".mailmap",
        "# who is who\n  Erin Walsh <erin@private.example> <erin@acme.example>\n",
    );
    r.commit(ERIN, "2025-08-01", "Map my address");
    assert_eq!(codes(&r), ["IND011"]);
    // The reason names the benefit: the address mapped is erin's own.
    let ind011 = r.lines_of("IND011");
    assert!(
        ind011[0].contains(": erin benefits from it; it is not applied"),
        "{}",
        ind011[0]
    );
    assert_eq!(
        mailmap_places(&r, "IND011"),
        [(".mailmap".to_string(), 2, 3)]
    );
}

#[test]
fn a_mailmap_entry_mapping_a_private_address_onto_ones_own_email_passes() {
    // As adding erin@home.example to her own entry would: her work from home becomes hers.
    let r = TestRepo::clean();
    r.write(
        ".mailmap",
        "Erin Walsh <erin@acme.example> <erin@home.example>\n",
    );
    r.commit(ERIN, "2025-08-01", "Map my home address");
    r.write("infra/iam/roles.tf", "# from home\n");
    r.commit(("Erin", "erin@home.example"), "2025-11-02", "Weekend fix");
    assert_eq!(codes(&r), ["IND002"]);
    // Near miss: mapping the same address onto someone else is not hers to do.
    let r = TestRepo::clean();
    r.write(
        ".mailmap",
        "Carol Diaz <carol@acme.example> <erin@home.example>\n",
    );
    r.commit(ERIN, "2025-08-01", "Map an address");
    let ind011 = r.lines_of("IND011");
    assert_eq!(ind011.len(), 1, "{:#?}", r.lines());
    assert!(
        ind011[0].contains(": erin is neither top management nor the audit programme owner"),
        "{}",
        ind011[0]
    );
}

/// A `.mailmap` entry that changes no attribution is cosmetic, and anyone may write it: one that
/// maps no email (it only sets the display name of an address), or whose two emails resolve to
/// the same people in people.toml (and are alike ignored or not).
#[test]
fn a_mailmap_entry_that_changes_no_attribution_is_not_a_grant() {
    let r = TestRepo::clean();
    r.write(
        ".mailmap",
        "Erin Walsh <erin@acme.example>\nDave Okafor <dave@acme.example> <12345+Dave@users.noreply.github.com>\n",
    );
    r.commit(CAROL, "2025-08-01", "Display names");
    r.write("infra/iam/roles.tf", "# dave from GitHub\n");
    r.commit(
        ("Dave", "12345+Dave@users.noreply.github.com"),
        "2025-09-02",
        "Roles",
    );
    assert_eq!(codes(&r), ["IND002"], "{:#?}", r.lines());
    assert!(r.lines_of("IND002")[0].contains("auditor dave"));
}

#[test]
fn a_mailmap_entry_that_reattributes_is_still_a_grant() {
    // Near miss of the above: the mapped address is no one's in people.toml, so mapping it onto
    // dave's email makes its commits dave's: carol may not decide that.
    let r = TestRepo::clean();
    r.write(
        ".mailmap",
        "Erin Walsh <erin@acme.example>\nDave Okafor <dave@acme.example> <dave@home.example>\n",
    );
    r.commit(CAROL, "2025-08-01", "Display names");
    let ind011 = r.lines_of("IND011");
    assert_eq!(ind011.len(), 1, "{:#?}", r.lines());
    assert!(
        ind011[0].contains(
            "the .mailmap entry `Dave Okafor <dave@acme.example> <dave@home.example>` was added by"
        ),
        "{}",
        ind011[0]
    );
    assert!(
        ind011[0].contains(
            ": carol is neither top management nor the audit programme owner; it is not applied"
        ),
        "{}",
        ind011[0]
    );
    assert_eq!(
        mailmap_places(&r, "IND011"),
        [(".mailmap".to_string(), 2, 1)]
    );
}

// ---- exemptions granted by the wrong person ----

#[test]
fn a_co_auditor_exempting_the_leads_commit_is_caught() {
    let r = TestRepo::clean();
    r.write("infra/iam/roles.tf", "# dave\n");
    let lead = r.commit(DAVE, "2025-11-02", "Reformat");
    r.write("isms/.isms-ignore-revs", &format!("{lead}\n"));
    let listing = r.commit(ERIN, "2025-11-03", "Ignore the reformat");
    let lines = r.lines_of("IND011");
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert!(
        lines[0].contains(&format!(
            "the ignore-revs line `{lead}` was added by {} 2025-11-03 \"Ignore the reformat\": erin is neither top management nor the audit programme owner",
            r.short(listing)
        )),
        "{}",
        lines[0]
    );
}

#[test]
fn a_refused_ignore_rev_points_at_its_line_in_the_revs_file() {
    let r = TestRepo::clean();
    r.write("infra/iam/roles.tf", "# dave\n");
    let lead = r.commit(DAVE, "2025-11-02", "Reformat");
    r.write(
        "isms/.isms-ignore-revs",
        &format!("# bulk changes\n  {} # reformat\n", &lead.to_string()[..12]),
    );
    r.commit(ERIN, "2025-11-03", "Ignore the reformat");
    // The line that lists the refused commit, by line and column, not the isms.toml setting.
    assert_eq!(
        mailmap_places(&r, "IND011"),
        [("isms/.isms-ignore-revs".to_string(), 2, 3)]
    );
    // Moved to another line, the refused hash is pointed at where it now is.
    r.write(
        "isms/.isms-ignore-revs",
        &format!("{lead}\n# bulk changes\n"),
    );
    r.commit(ERIN, "2025-11-04", "Tidy the list");
    assert_eq!(
        mailmap_places(&r, "IND011"),
        [("isms/.isms-ignore-revs".to_string(), 1, 1)]
    );
}

#[test]
fn a_waiver_committed_by_the_waived_auditor_is_caught() {
    let r = TestRepo::clean();
    erin_worked_on_the_area(&r);
    r.append(
        "isms/audits/IA-2026-01/plan.toml",
        "\n[[waiver]]\nauditor = \"erin\"\narea = \"access-control\"\nreason = \"A typo\"\napproved_by = \"alice\"\napproved_on = 2026-02-18\n",
    );
    r.commit(ERIN, "2026-02-21", "Waiver");
    let lines = r.lines_of("IND011");
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert!(
        lines[0]
            .contains("the waiver of IA-2026-01 for erin on area `access-control` was added by")
            && lines[0].contains("erin benefits from it"),
        "{}",
        lines[0]
    );
}

#[test]
fn an_ignore_authors_entry_added_by_someone_outside_management_is_caught() {
    let r = TestRepo::clean();
    r.replace(
        "isms/isms.toml",
        "\"ci@acme.example\"]",
        "\"ci@acme.example\", \"build@acme.example\"]",
    );
    r.commit(CAROL, "2025-08-01", "Ignore the build user");
    let lines = r.lines_of("IND011");
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert!(
        lines[0].contains("`build@acme.example` in ignore_authors was added by")
            && lines[0].contains("carol is neither top management"),
        "{}",
        lines[0]
    );
}

#[test]
fn top_management_adding_an_ignore_rev_passes_but_is_listed() {
    let r = TestRepo::clean();
    let own = erin_worked_on_the_area(&r);
    r.write(
        "isms/.isms-ignore-revs",
        &format!("{own} # bulk reformat\n"),
    );
    let listing = r.commit(ALICE, "2025-11-03", "Ignore the reformat");
    let lines = r.lines();
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert!(
        lines[0].starts_with("IND012 info: audit IA-2026-01 relies on"),
        "{}",
        lines[0]
    );
    assert!(
        lines[0].contains(&format!("(listed by alice in {})", r.short(listing))),
        "{}",
        lines[0]
    );
}

#[test]
fn the_programme_owner_may_add_an_ignore_rev() {
    let r = TestRepo::clean();
    r.write(
        "isms/audits/programme.toml",
        "[programme]\nowner = \"carol\"\n",
    );
    r.commit(ALICE, "2025-01-01", "Programme");
    let own = erin_worked_on_the_area(&r);
    r.write("isms/.isms-ignore-revs", &format!("{own}\n"));
    r.commit(CAROL, "2025-11-03", "Ignore the reformat");
    assert_eq!(codes(&r), ["IND012"]);
}

#[test]
fn a_weakened_impartiality_rule_is_listed() {
    let r = TestRepo::clean();
    r.append("isms/isms.toml", "\n[rules]\nIND002 = \"warning\"\n");
    r.commit(ALICE, "2025-08-01", "Soften IND002");
    let lines = r.lines_of("IND012");
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert!(
        lines[0].contains("IND002 set to warning in [rules]"),
        "{}",
        lines[0]
    );
}

// ---- `isms independence --format json` ----

#[test]
fn independence_json_gives_the_verdicts_with_their_reasons_and_commits() {
    let r = TestRepo::clean();
    let own = erin_worked_on_the_area(&r);
    let out = r
        .cmd()
        .args(["independence", "--audit", "IA-2026-01", "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).expect("JSON");
    assert_eq!(v["version"], 1);
    assert_eq!(v["audit"], "IA-2026-01");
    assert_eq!(v["window"]["from"], "2024-03-10");
    // Through the audit's last day (the window includes work during the audit).
    assert_eq!(v["window"]["until"], "2026-03-12");
    let auditors = v["auditors"].as_array().expect("auditors");
    let erin = auditors
        .iter()
        .find(|a| a["person"] == "erin")
        .expect("erin");
    assert_eq!(erin["role"], "team");
    assert_eq!(erin["eligible"], false);
    let reason = &erin["conflicts"][0]["reasons"][0];
    assert_eq!(reason["kind"], "authored");
    assert_eq!(reason["commits"][0]["id"], own.to_string());
    assert_eq!(reason["commits"][0]["paths"][0], "infra/iam/roles.tf");
    let dave = auditors
        .iter()
        .find(|a| a["person"] == "dave")
        .expect("dave");
    assert_eq!(dave["eligible"], true);
    assert_eq!(dave["conflicts"], serde_json::json!([]));

    let out = r
        .cmd()
        .args(["independence", "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).expect("JSON");
    assert_eq!(v["git"]["read"], true);
    let area = &v["areas"][0];
    assert_eq!(area["area"], "access-control");
    let cells = area["auditors"].as_array().expect("cells");
    assert_eq!(
        cells
            .iter()
            .map(|c| c["person"].as_str().unwrap_or(""))
            .collect::<Vec<_>>(),
        ["dave", "erin"]
    );
}

// ---- IND001: clause-only scopes ----

#[test]
fn the_programme_owner_may_not_audit_clause_9_2() {
    let r = TestRepo::clean();
    r.write(
        "isms/audits/programme.toml",
        "[programme]\nowner = \"dave\"\n",
    );
    r.commit(ALICE, "2025-01-01", "Programme");
    assert!(!codes(&r).contains(&"IND001"), "{:#?}", r.lines());
    r.replace(
        "isms/audits/IA-2026-01/plan.toml",
        "areas = [\"access-control\"]\n",
        "areas = [\"access-control\"]\nclauses = [\"9.2.2\"]\n",
    );
    r.commit(ALICE, "2026-02-21", "Audit the programme too");
    let lines = r.lines_of("IND001");
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert!(
        lines[0].contains("auditor dave of IA-2026-01 is not independent of the clauses in scope: manages the audit programme, which clause 9.2.2 in scope examines"),
        "{}",
        lines[0]
    );
}

#[test]
fn an_audit_of_an_areas_clauses_applies_its_conflicts() {
    let r = TestRepo::clean();
    r.append(
        "isms/areas.toml",
        "\n[[area]]\nid = \"isms-office\"\nname = \"ISMS office\"\nowner = \"alice\"\nmembers = [\"erin\"]\nrisk = \"medium\"\nclauses = [\"6.1.2\"]\n",
    );
    r.commit(ALICE, "2025-01-01", "ISMS office");
    assert!(!codes(&r).contains(&"IND001"), "{:#?}", r.lines());
    r.replace(
        "isms/audits/IA-2026-01/plan.toml",
        "areas = [\"access-control\"]\n",
        "areas = [\"access-control\"]\nclauses = [\"6.1.2\"]\n",
    );
    r.commit(ALICE, "2026-02-21", "Audit risk assessment too");
    let lines = r.lines_of("IND001");
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert!(
        lines[0].contains("auditor erin of IA-2026-01 is not independent of area `isms-office`: is a member of the area"),
        "{}",
        lines[0]
    );
}

// ---- IND003: the records as they are now ----

#[test]
fn a_record_edit_by_an_outsider_is_cleared_when_the_team_reverts_it() {
    let r = TestRepo::clean();
    r.replace(
        "isms/audits/IA-2026-01/checklist.toml",
        "3 of 25",
        "2 of 25",
    );
    let edit = r.commit(BOB, "2026-03-20", "Correct the sample");
    let lines = r.lines_of("IND003");
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert!(
        lines[0].contains(&format!(
            "{} 2026-03-20 \"Correct the sample\" (line 6)",
            r.short(edit)
        )),
        "{}",
        lines[0]
    );
    // The lead restores the line: what the record says is the team's again.
    r.replace(
        "isms/audits/IA-2026-01/checklist.toml",
        "2 of 25",
        "3 of 25",
    );
    r.commit(DAVE, "2026-03-21", "Revert \"Correct the sample\"");
    assert_eq!(r.lines_of("IND003"), Vec::<String>::new());
}

#[test]
fn the_programme_owner_may_prepare_the_checklist_skeleton() {
    let r = TestRepo::clean();
    r.write(
        "isms/audits/programme.toml",
        "[programme]\nowner = \"carol\"\n",
    );
    r.append(
        "isms/audits/IA-2026-01/checklist.toml",
        "\n[[item]]\nref = \"A.5.15\"\nquestion = \"Is access granted on least privilege?\"\nmethod = \"document-review\"\nresult = \"not-assessed\"\nevidence = \"\"\n",
    );
    r.commit(CAROL, "2026-03-01", "Checklist skeleton");
    assert_eq!(r.lines_of("IND003"), Vec::<String>::new());
    // Her writing a result is not preparation.
    r.replace(
        "isms/audits/IA-2026-01/checklist.toml",
        "result = \"not-assessed\"",
        "result = \"conformity\"",
    );
    r.commit(CAROL, "2026-03-11", "Looks fine");
    let lines = r.lines_of("IND003");
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert!(lines[0].contains("changed by carol"), "{}", lines[0]);
}

#[test]
fn only_the_team_and_the_programme_owner_write_the_checklist_skeleton() {
    // bob owns the audited area: softening a question of its audit is not his to do.
    let r = TestRepo::clean();
    r.replace(
        "isms/audits/IA-2026-01/checklist.toml",
        "within 24 hours of leaving",
        "within 30 days of leaving",
    );
    let soften = r.commit(BOB, "2026-03-11", "Realistic target");
    let lines = r.lines_of("IND003");
    assert_eq!(lines.len(), 1, "{:#?}", r.lines());
    assert!(
        lines[0].contains("changed by bob") && lines[0].contains(&r.short(soften)),
        "{}",
        lines[0]
    );
    // Near miss: the programme owner rewording it is preparation, allowed.
    let r = TestRepo::clean();
    r.write(
        "isms/audits/programme.toml",
        "[programme]\nowner = \"carol\"\n",
    );
    r.replace(
        "isms/audits/IA-2026-01/checklist.toml",
        "within 24 hours of leaving",
        "within one working day of leaving",
    );
    r.commit(CAROL, "2026-03-11", "Reword");
    assert_eq!(r.lines_of("IND003"), Vec::<String>::new());
}
