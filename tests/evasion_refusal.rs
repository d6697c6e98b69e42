//! Exemptions made by the wrong person are refused (docs/impartiality.md): an ignore-revs line,
//! an `ignore_authors` entry, a `.mailmap` entry, a waiver or an alias in people.toml added by
//! someone who is neither top management nor the programme owner, or by the person it
//! benefits, does not take effect. IND011 says it is not applied, IND012 does not list it, and
//! the rule it would have silenced fires again. Near misses: the same grant made rightly works.

mod gitrepo;

use git2::Oid;
use gitrepo::*;

fn dave_reformatted_the_area(r: &TestRepo) -> Oid {
    r.write("infra/iam/roles.tf", "# dave\n");
    r.commit(DAVE, "2025-11-02", "Reformat")
}

#[test]
fn an_ignore_rev_added_by_a_co_auditor_is_not_applied() {
    let r = TestRepo::clean();
    let lead = dave_reformatted_the_area(&r);
    r.write("isms/.isms-ignore-revs", &format!("{lead}\n"));
    r.commit(ERIN, "2025-11-03", "Ignore the reformat");
    let ind011 = r.lines_of("IND011");
    assert_eq!(ind011.len(), 1, "{:#?}", r.lines());
    assert!(ind011[0].ends_with("; it is not applied"), "{}", ind011[0]);
    let ind002 = r.lines_of("IND002");
    assert_eq!(ind002.len(), 1, "{:#?}", r.lines());
    assert!(ind002[0].contains(&r.short(lead)), "{}", ind002[0]);
    assert_eq!(r.lines_of("IND012"), Vec::<String>::new());
    // Near miss: top management listing it makes it an exemption in effect, listed.
    let r = TestRepo::clean();
    let lead = dave_reformatted_the_area(&r);
    r.write("isms/.isms-ignore-revs", &format!("{lead}\n"));
    r.commit(ALICE, "2025-11-03", "Ignore the reformat");
    assert_eq!(r.lines_of("IND002"), Vec::<String>::new());
    assert_eq!(r.lines_of("IND012").len(), 1, "{:#?}", r.lines());
}

#[test]
fn a_waiver_committed_by_the_waived_auditor_is_not_applied() {
    let waiver = "\n[[waiver]]\nauditor = \"erin\"\narea = \"access-control\"\nreason = \"A typo\"\napproved_by = \"alice\"\napproved_on = 2026-02-18\n";
    let r = TestRepo::clean();
    r.write("infra/iam/roles.tf", "# erin\n");
    r.commit(ERIN, "2025-11-02", "Roles");
    r.append("isms/audits/IA-2026-01/plan.toml", waiver);
    r.commit(ERIN, "2026-02-21", "Waiver");
    let ind002 = r.lines_of("IND002");
    assert_eq!(ind002.len(), 1, "{:#?}", r.lines());
    assert!(ind002[0].starts_with("IND002 error:"), "{}", ind002[0]);
    assert!(r.lines_of("IND011")[0].ends_with("; it is not applied"));
    assert_eq!(r.lines_of("IND012"), Vec::<String>::new());
    // Near miss: the same waiver committed by top management waives the conflict.
    let r = TestRepo::clean();
    r.write("infra/iam/roles.tf", "# erin\n");
    r.commit(ERIN, "2025-11-02", "Roles");
    r.append("isms/audits/IA-2026-01/plan.toml", waiver);
    r.commit(ALICE, "2026-02-21", "Waiver");
    let ind002 = r.lines_of("IND002");
    assert!(ind002[0].starts_with("IND002 info:"), "{}", ind002[0]);
}

#[test]
fn an_ignore_authors_entry_added_outside_management_is_not_applied() {
    let add = |r: &TestRepo, who| {
        r.replace(
            "isms/isms.toml",
            "\"ci@acme.example\"]",
            "\"ci@acme.example\", \"build@acme.example\"]",
        );
        r.commit(who, "2025-08-01", "Ignore the build user");
        r.write("infra/iam/roles.tf", "# built\n");
        r.commit(("Build", "build@acme.example"), "2025-11-02", "Build");
    };
    let r = TestRepo::clean();
    add(&r, CAROL);
    assert_eq!(r.lines_of("IND007").len(), 1, "{:#?}", r.lines());
    assert!(r.lines_of("IND011")[0].ends_with("; it is not applied"));
    // Near miss: added by top management, the build user is a bot.
    let r = TestRepo::clean();
    add(&r, ALICE);
    assert_eq!(r.lines_of("IND007"), Vec::<String>::new());
    assert_eq!(r.lines_of("IND011"), Vec::<String>::new());
}

#[test]
fn a_mailmap_entry_added_by_the_person_it_maps_is_not_applied() {
    let map = |r: &TestRepo, who| {
        r.write(
            ".mailmap",
            "Carol Diaz <carol@acme.example> <erin@home.example>\n",
        );
        r.commit(who, "2025-08-01", "Map an address");
        r.write("infra/iam/roles.tf", "# from home\n");
        r.commit(("Erin", "erin@home.example"), "2025-11-02", "Weekend fix");
    };
    // erin maps her home address onto carol (IND010 too): the mapping is refused, so the
    // commit is an unknown identity's again (IND007), not carol's.
    let r = TestRepo::clean();
    map(&r, ERIN);
    assert!(r.lines_of("IND011")[0].ends_with("; it is not applied"));
    assert_eq!(r.lines_of("IND007").len(), 1, "{:#?}", r.lines());
}

#[test]
fn an_alias_added_to_someone_elses_entry_is_not_applied() {
    let alias = |r: &TestRepo, who| {
        r.replace(
            "isms/people.toml",
            "emails = [\"erin@acme.example\"]",
            "emails = [\"erin@acme.example\", \"e.walsh@acme.example\"]",
        );
        r.commit(who, "2025-08-01", "Erin's other address");
        r.write("infra/iam/roles.tf", "# as e.walsh\n");
        r.commit(("E Walsh", "e.walsh@acme.example"), "2025-11-02", "Roles");
    };
    // carol adds an alias to erin's entry: not applied, so the commit is unknown (IND007).
    let r = TestRepo::clean();
    alias(&r, CAROL);
    assert!(r.lines_of("IND011")[0].ends_with("; it is not applied"));
    assert_eq!(r.lines_of("IND007").len(), 1, "{:#?}", r.lines());
    assert_eq!(r.lines_of("IND002"), Vec::<String>::new());
    // Near miss: erin adding her own address makes the commit hers (IND002).
    let r = TestRepo::clean();
    alias(&r, ERIN);
    assert_eq!(r.lines_of("IND011"), Vec::<String>::new());
    assert_eq!(r.lines_of("IND002").len(), 1, "{:#?}", r.lines());
}

type Verdicts = Vec<(String, String, String, String, u64)>;

/// `(code, severity, message, file, line)` of each IND problem (info only for IND012, the
/// exemptions in effect) of the JSON array at
/// `pointer` in the output of `isms ARGS --format json`, sorted.
fn ind_verdicts(r: &TestRepo, args: &[&str], pointer: &str) -> Verdicts {
    let out = r
        .cmd()
        .args(args)
        .args(["--format", "json"])
        .output()
        .expect("isms runs");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_string();
    let mut out: Verdicts = json
        .pointer(pointer)
        .and_then(|v| v.as_array())
        .expect("a list of problems")
        .iter()
        .filter(|d| d["code"].as_str().is_some_and(|c| c.starts_with("IND")))
        .filter(|d| d["severity"] != "info" || d["code"] == "IND012")
        .map(|d| {
            let line = d["line"].as_u64().unwrap_or_default();
            (
                text(&d["code"]),
                text(&d["severity"]),
                text(&d["message"]),
                text(&d["file"]),
                line,
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn isms_diff_and_isms_check_agree_on_exemptions() {
    let r = TestRepo::clean();
    let base = r.tip();
    // A rightful exemption: top management exempts dave's reformat.
    let lead = dave_reformatted_the_area(&r);
    r.write("isms/.isms-ignore-revs", &format!("{lead}\n"));
    r.commit(ALICE, "2025-11-03", "Ignore the reformat");
    // A refused one: erin exempts her own work on the area.
    r.write("infra/iam/roles.tf", "# erin\n");
    let own = r.commit(ERIN, "2025-11-04", "Roles");
    r.append("isms/.isms-ignore-revs", &format!("{own}\n"));
    r.commit(ERIN, "2025-11-05", "Ignore my change");
    // A refused .mailmap entry, which both point at in .mailmap.
    r.write(
        ".mailmap",
        "Carol Diaz <carol@acme.example> <erin@home.example>\n",
    );
    r.commit(ERIN, "2025-11-06", "Map an address");
    let check = ind_verdicts(&r, &["check"], "/diagnostics");
    let codes: Vec<&str> = check.iter().map(|v| v.0.as_str()).collect();
    assert!(codes.contains(&"IND002"), "{check:#?}");
    assert!(codes.contains(&"IND011"), "{check:#?}");
    assert!(
        check
            .iter()
            .any(|v| v.0 == "IND011" && v.3.ends_with(".mailmap")),
        "{check:#?}"
    );
    assert!(
        check
            .iter()
            .all(|v| v.0 == "IND012" || !v.2.contains(&r.short(lead))),
        "{check:#?}"
    );
    // ... and listed as an exemption in effect, by both.
    assert!(
        check
            .iter()
            .any(|v| v.0 == "IND012" && v.2.contains(&r.short(lead))),
        "{check:#?}"
    );
    let diff = ind_verdicts(
        &r,
        &["diff", &base.to_string(), "HEAD"],
        "/impartiality/introduced",
    );
    assert_eq!(diff, check);
}

/// erin's work from her home address, which top management maps onto her, exempted in
/// the ignore-revs file by `exempter`.
fn home_work_exempted_by(exempter: (&str, &str)) -> TestRepo {
    let r = TestRepo::clean();
    r.write(
        ".mailmap",
        "Erin Walsh <erin@acme.example> <erin@home.example>\n",
    );
    r.commit(ALICE, "2025-08-01", "Map erin's home address");
    r.write("infra/iam/roles.tf", "# from home\n");
    let own = r.commit(("Erin", "erin@home.example"), "2025-11-02", "Weekend fix");
    r.write("isms/.isms-ignore-revs", &format!("{own}\n"));
    r.commit(exempter, "2025-11-03", "Ignore the weekend fix");
    r
}

#[test]
fn an_auditor_exempting_her_own_private_address_work_is_told_she_benefits() {
    let r = home_work_exempted_by(ERIN);
    let ind011 = r.lines_of("IND011");
    assert_eq!(ind011.len(), 1, "{:#?}", r.lines());
    assert!(
        ind011[0].ends_with(": erin benefits from it; it is not applied"),
        "{}",
        ind011[0]
    );
    // Near miss: carol (neither management nor the beneficiary) is refused for another reason.
    let r = home_work_exempted_by(CAROL);
    let ind011 = r.lines_of("IND011");
    assert!(
        ind011[0].ends_with(
            ": carol is neither top management nor the audit programme owner; it is not applied"
        ),
        "{}",
        ind011[0]
    );
}

#[test]
fn isms_diff_lists_an_exemption_the_change_brings() {
    let r = TestRepo::clean();
    let lead = dave_reformatted_the_area(&r);
    let before = r.tip();
    r.write("isms/.isms-ignore-revs", &format!("{lead}\n"));
    r.commit(ALICE, "2025-11-03", "Ignore the reformat");
    let out = r
        .cmd()
        .args(["diff", &before.to_string(), "HEAD"])
        .output()
        .expect("isms runs");
    let md = String::from_utf8_lossy(&out.stdout);
    assert!(
        md.contains(
            "ℹ️ No impartiality problem introduced, but this change brings exemptions in effect:"
        ),
        "{md}"
    );
    assert!(md.contains("| IND012 | info |"), "{md}");
    // Near miss: before the exemption, dave's reformat is his own work (IND002), no exemption.
    let out = r
        .cmd()
        .args(["diff", &r.short(r.tip()), "HEAD~1"])
        .output()
        .expect("isms runs");
    let md = String::from_utf8_lossy(&out.stdout);
    assert!(!md.contains("| IND012 |"), "{md}");
    assert!(md.contains("| IND002 | error |"), "{md}");
}

/// The codes `isms diff BASE HEAD --format json` says the change introduces.
fn introduced(r: &TestRepo, base: Oid) -> Vec<String> {
    ind_verdicts(
        r,
        &["diff", &base.to_string(), "HEAD"],
        "/impartiality/introduced",
    )
    .into_iter()
    .map(|v| v.0)
    .collect()
}

#[test]
fn isms_diff_shows_an_exemption_added_to_those_already_in_effect() {
    // dave reformatted the area twice; top management already exempted the first reformat.
    let r = TestRepo::clean();
    let first = dave_reformatted_the_area(&r);
    r.write("infra/iam/roles.tf", "# dave again\n");
    let second = r.commit(DAVE, "2025-11-04", "Reformat again");
    r.write("isms/.isms-ignore-revs", &format!("{first}\n"));
    r.commit(ALICE, "2025-11-05", "Ignore the reformat");
    let base = r.tip();
    // The change exempts the second one too: an older commit, not one of the change's own, so
    // only the list of exemptions in effect (same rule, same place) tells it.
    r.append("isms/.isms-ignore-revs", &format!("{second}\n"));
    r.commit(ALICE, "2025-11-06", "Ignore the second reformat");
    assert_eq!(introduced(&r, base), ["IND012"]);
    // ... and a waiver added to them likewise.
    let before_waiver = r.tip();
    r.write("infra/iam/roles.tf", "# erin\n");
    r.commit(ERIN, "2025-11-07", "Roles");
    let before_waiver_too = r.tip();
    r.append(
        "isms/audits/IA-2026-01/plan.toml",
        "\n[[waiver]]\nauditor = \"erin\"\narea = \"access-control\"\nreason = \"A typo\"\napproved_by = \"alice\"\napproved_on = 2026-02-18\n",
    );
    r.commit(ALICE, "2026-02-21", "Waiver");
    assert_eq!(introduced(&r, before_waiver_too), ["IND012"]);
    // Near miss: a change that brings no exemption introduces no IND012, though the list of
    // exemptions in effect is long.
    r.write("isms/documents/notes.md", "Notes\n");
    let quiet = r.tip();
    r.commit(BOB, "2026-02-22", "Notes");
    assert_eq!(introduced(&r, quiet), Vec::<String>::new());
    assert!(introduced(&r, before_waiver).contains(&"IND012".to_string()));
}
