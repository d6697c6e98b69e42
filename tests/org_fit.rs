//! Fitting a real organisation (issue 20): evidence kept elsewhere, teams, an own control
//! catalogue. Each case edits tests/fixtures/base and asserts the exact report or its codes.

mod common;

use common::{Edit, Replace, Scratch, TODAY, Write};

const A_5_15_EVIDENCE: &str =
    "documents = [\"POL-ACCESS\"]\nevidence = [\"evidence/access-review-2026-q1.md\"]";

fn report(edits: &[Edit]) -> String {
    Scratch::new("base", edits).check(TODAY)
}

// Evidence elsewhere: web addresses and compliance-tool records.

#[test]
fn evidence_in_a_compliance_tool_or_at_an_address_resolves() {
    let clean = report(&[Replace(
        "soa.toml",
        A_5_15_EVIDENCE,
        "documents = [\"POL-ACCESS\"]\nevidence = [\"https://drive.example.com/reviews/q1?id=7\", \"hyperproof:CTL-123\"]",
    )]);
    assert_eq!(clean, "isms: no problems found in 8 files\n");
}

#[test]
fn evidence_elsewhere_is_enough_for_soa007() {
    let codes = Scratch::new(
        "base",
        &[Replace(
            "soa.toml",
            A_5_15_EVIDENCE,
            "evidence = [\"hyperproof:CTL-123\"]",
        )],
    )
    .codes(TODAY);
    assert!(!codes.contains(&"SOA007"), "{codes:?}");
    assert!(!codes.contains(&"REF001"), "{codes:?}");
}

#[test]
fn misspelled_evidence_addresses_are_ref001() {
    insta::assert_snapshot!(report(&[Replace(
        "soa.toml",
        A_5_15_EVIDENCE,
        "documents = [\"POL-ACCESS\"]\nevidence = [\"https://drive.example.com/q1 review.pdf\", \"hyperproof:\"]",
    )]));
}

#[test]
fn the_site_links_addresses_safely_and_shows_tool_records_as_text() {
    let scratch = Scratch::new(
        "base",
        &[Replace(
            "soa.toml",
            A_5_15_EVIDENCE,
            "documents = [\"POL-ACCESS\"]\nevidence = [\"https://drive.example.com/q1\", \"hyperproof:CTL-123\"]",
        )],
    );
    let out = common::build_site(&scratch, TODAY);
    let page = std::fs::read_to_string(out.path().join("controls/A.5.15.html")).unwrap();
    assert!(
        page.contains(
            r#"<a href="https://drive.example.com/q1" class="mono" rel="noopener noreferrer">"#
        ),
        "{page}"
    );
    assert!(page.contains(
        r#"<span class="mono" title="a record in hyperproof">hyperproof:CTL-123</span>"#
    ));
    assert!(!page.contains(r#"href="hyperproof"#));
}

// Teams: owners and approvers may be teams; members answer for what their team owns.

const EXAMPLE_DAY: &str = "2026-11-27";
const IAM_TEAM: &str = "[[team]]\nid = \"iam\"\nname = \"Identity and access management\"\nlead = \"frank\"\nmembers = [\"kofi\", \"heidi\"]\n";
const ACCESS_OWNER: &str = "owner = \"frank\"\nmembers = [\"kofi\"]";

#[test]
fn a_team_can_own_an_area_without_new_diagnostics() {
    let before = common::codes(EXAMPLE_DAY, &[]);
    let iam = "[[team]]\nid = \"iam\"\nname = \"Identity and access management\"\nlead = \"frank\"\nmembers = [\"kofi\"]\n";
    let after = common::codes(
        EXAMPLE_DAY,
        &[
            Write("teams.toml", iam.as_bytes()),
            Replace("areas.toml", ACCESS_OWNER, "owner = \"iam\""),
        ],
    );
    assert_eq!(before, after);
}

#[test]
fn ind001_a_member_of_the_owning_team_may_not_audit_the_area() {
    insta::assert_snapshot!(common::only(
        &["IND001"],
        EXAMPLE_DAY,
        &[
            Write("teams.toml", IAM_TEAM.as_bytes()),
            Replace("areas.toml", ACCESS_OWNER, "owner = \"iam\""),
        ],
    ));
}

#[test]
fn ind001_near_miss_the_team_does_not_hold_the_auditor() {
    common::clean_of(
        "IND001",
        EXAMPLE_DAY,
        &[
            Write("teams.toml", IAM_TEAM.replace(", \"heidi\"", "").as_bytes()),
            Replace("areas.toml", ACCESS_OWNER, "owner = \"iam\""),
        ],
    );
}

#[test]
fn ref001_an_unknown_team_is_named_with_the_closest() {
    insta::assert_snapshot!(common::only(
        &["REF001"],
        EXAMPLE_DAY,
        &[
            Write(
                "teams.toml",
                format!(
                    "{IAM_TEAM}\n[[team]]\nid = \"ops\"\nname = \"Operations\"\nlead = \"zed\"\n"
                )
                .as_bytes()
            ),
            Replace("areas.toml", ACCESS_OWNER, "owner = \"iam-team\""),
        ],
    ));
}

#[test]
fn load003_a_team_may_not_share_a_person_id() {
    insta::assert_snapshot!(common::only(
        &["LOAD003"],
        EXAMPLE_DAY,
        &[Write(
            "teams.toml",
            IAM_TEAM
                .replace("id = \"iam\"", "id = \"frank\"")
                .as_bytes()
        )],
    ));
}

const PLATFORM_TEAM: &str =
    "[[team]]\nid = \"platform\"\nname = \"Platform\"\nlead = \"bob\"\nmembers = [\"carol\"]\n";
const R_002_OWNER: &str = "owner = \"bob\"\narea = \"access-control\"\nlikelihood = 3\nimpact = 5";

/// R-002 owned by the platform team (lead bob), accepted by `by`.
fn platform_risk(accepted_by: &str) -> Vec<&'static str> {
    let accepted = format!(
        "accepted_by = \"{accepted_by}\"\naccepted_on = 2026-09-28\nreviewed_on = 2026-09-28\n\n[[risk]]\nid = \"R-003\""
    );
    common::codes(
        EXAMPLE_DAY,
        &[
            Write("teams.toml", PLATFORM_TEAM.as_bytes()),
            Replace(
                "risks.toml",
                R_002_OWNER,
                "owner = \"platform\"\narea = \"access-control\"\nlikelihood = 3\nimpact = 5",
            ),
            Replace(
                "risks.toml",
                "accepted_by = \"bob\"\naccepted_on = 2026-09-28\nreviewed_on = 2026-09-28\n\n[[risk]]\nid = \"R-003\"",
                &accepted,
            ),
        ],
    )
}

#[test]
fn risk004_the_lead_accepts_for_an_owning_team() {
    assert!(!platform_risk("bob").contains(&"RISK004"));
}

#[test]
fn risk004_a_member_who_is_not_the_lead_does_not_accept_for_the_team() {
    assert!(platform_risk("carol").contains(&"RISK004"));
}

const POLICY_APPROVAL: &str = "approved_by = \"alice\"\napproved_on = 2026-01-12";
const BOARD_TEAM: &str = "[[team]]\nid = \"board\"\nname = \"Management board\"\nlead = \"alice\"\nmembers = [\"bob\"]\n";

#[test]
fn doc008_an_approval_by_a_team_names_a_member() {
    insta::assert_snapshot!(common::only(
        &["DOC008", "REF001"],
        EXAMPLE_DAY,
        &[
            Write("teams.toml", BOARD_TEAM.as_bytes()),
            Replace(
                "documents/isms/information-security-policy.md",
                POLICY_APPROVAL,
                "approved_by = \"board\"\napproved_on = 2026-01-12",
            ),
            Replace(
                "documents/isms/internal-audit-procedure.md",
                "approved_by = \"alice\"",
                "approved_by = \"board\"\napproved_by_person = \"carol\"",
            ),
        ],
    ));
}

#[test]
fn doc008_near_miss_a_member_approved_for_the_team() {
    let found = common::codes(
        EXAMPLE_DAY,
        &[
            Write("teams.toml", BOARD_TEAM.as_bytes()),
            Replace(
                "documents/isms/information-security-policy.md",
                POLICY_APPROVAL,
                "approved_by = \"board\"\napproved_by_person = \"alice\"\napproved_on = 2026-01-12",
            ),
        ],
    );
    assert_eq!(found, common::codes(EXAMPLE_DAY, &[]));
}

#[test]
fn new_team_appends_to_teams_toml_and_the_team_can_own_a_risk() {
    let scratch = Scratch::new("example", &[]);
    let home = tempfile::tempdir().unwrap();
    let path = scratch.path().to_str().unwrap();
    common::isms_at_home(
        home.path(),
        &[
            "new",
            "team",
            "--path",
            path,
            "--id",
            "iam",
            "--name",
            "Identity and access",
            "--lead",
            "frank",
            "--members",
            "kofi,frank",
        ],
    )
    .success()
    .stdout(predicates::str::contains(
        "New team iam\n  changed teams.toml\n",
    ));
    let teams = std::fs::read_to_string(scratch.path().join("teams.toml")).unwrap();
    assert_eq!(
        teams,
        "#:schema ../schema/teams.schema.json\n# Teams that own and approve: the lead answers for the team, members count as owners.\n\n[[team]]\nid = \"iam\"\nname = \"Identity and access\"\nlead = \"frank\"\nmembers = [\"kofi\"]\n"
    );
    common::isms_at_home(
        home.path(),
        &[
            "new", "team", "--path", path, "--id", "ops", "--name", "Ops", "--lead", "fran",
        ],
    )
    .failure()
    .stderr(predicates::str::contains(
        "there is no person `fran` in people.toml (did you mean `frank`?)",
    ));
    common::isms_at_home(
        home.path(),
        &[
            "new", "team", "--path", path, "--id", "frank", "--name", "Ops", "--lead", "frank",
        ],
    )
    .failure()
    .stderr(predicates::str::contains("`frank` is a person's id"));
    common::isms_at_home(
        home.path(),
        &[
            "new",
            "risk",
            "--path",
            path,
            "--title",
            "Stale access",
            "--owner",
            "iam",
            "--likelihood",
            "2",
            "--impact",
            "2",
        ],
    )
    .success();
    let risks = std::fs::read_to_string(scratch.path().join("risks.toml")).unwrap();
    assert!(
        risks.contains("title = \"Stale access\"\nowner = \"iam\""),
        "{risks}"
    );
    assert_eq!(
        scratch.check(EXAMPLE_DAY),
        "isms: no problems found in 63 files\n"
    );
}

#[test]
fn the_site_lists_each_team_with_what_it_owns_and_links_owners_to_it() {
    let scratch = Scratch::new(
        "example",
        &[
            Write("teams.toml", IAM_TEAM.replace(", \"heidi\"", "").as_bytes()),
            Replace("areas.toml", ACCESS_OWNER, "owner = \"iam\""),
        ],
    );
    let out = common::build_site(&scratch, EXAMPLE_DAY);
    let people = std::fs::read_to_string(out.path().join("people.html")).unwrap();
    let row = people
        .split("<tr id=\"t-iam\">")
        .nth(1)
        .and_then(|rest| rest.split("</tr>").next())
        .unwrap_or_else(|| panic!("no row of the team: {people}"));
    assert!(row.contains("Identity and access management"), "{row}");
    assert!(row.contains(">Frank"), "the lead: {row}");
    assert!(
        row.contains("areas/access-control.html"),
        "the area it owns: {row}"
    );
    let area = std::fs::read_to_string(out.path().join("areas/access-control.html")).unwrap();
    assert!(
        area.contains("teams/iam.html"),
        "the owner links to the team: {area}"
    );
}

// The organisation's own control catalogue.

const IAM_CONTROL: &str = "[[control]]\nid = \"IAM.1.02\"\ntitle = \"Access requests are approved by the system owner\"\nowner = \"bob\"\nannex_a = [\"A.5.15\", \"A.8.5\"]\nframeworks = { soc2 = [\"CC6.1\"], nist-800-53 = [\"AC-2\"] }\nfrequency_months = 12\n";

#[test]
fn internal_controls_implement_soa_entries_and_show_them_for_soa007() {
    let codes = Scratch::new(
        "base",
        &[
            Write("controls.toml", IAM_CONTROL.as_bytes()),
            Replace(
                "soa.toml",
                A_5_15_EVIDENCE,
                "implemented_by = [\"IAM.1.02\"]",
            ),
        ],
    )
    .codes(TODAY);
    assert_eq!(codes, Vec::<&str>::new());
}

#[test]
fn bad_mappings_of_internal_controls_are_reported() {
    let controls = format!(
        "{IAM_CONTROL}\n[[control]]\nid = \"A.5.1\"\ntitle = \"Policies\"\nowner = \"bobb\"\nannex_a = [\"A.5.99\", \"A.7.5\"]\n"
    );
    insta::assert_snapshot!(report(&[
        Write("controls.toml", controls.as_bytes()),
        Replace(
            "soa.toml",
            A_5_15_EVIDENCE,
            "implemented_by = [\"IAM.1.03\", \"A.5.1\"]"
        ),
    ]));
}

#[test]
fn internal_control_ids_are_valid_wherever_a_control_is_named() {
    let named = |controls: &str| {
        Scratch::new(
            "base",
            &[
                Write("controls.toml", IAM_CONTROL.as_bytes()),
                Replace("areas.toml", "controls = [\"A.5.15\", \"A.8.5\"]", controls),
            ],
        )
        .check(TODAY)
    };
    assert_eq!(
        named("controls = [\"A.5.15\", \"A.8.5\", \"IAM.1.02\"]"),
        "isms: no problems found in 9 files\n"
    );
    insta::assert_snapshot!(named("controls = [\"A.5.15\", \"A.8.5\", \"IAM.1.2\"]"));
}

// Approval by merge request: a document whose versions are git's needs no `version`.

#[test]
fn doc001_near_miss_a_document_without_a_version_of_its_own() {
    let codes = Scratch::new(
        "base",
        &[Replace(
            "documents/isms/policy.md",
            "version = \"1.0\"\n",
            "",
        )],
    )
    .codes(TODAY);
    assert!(!codes.contains(&"DOC001"), "{codes:?}");
}

#[test]
fn doc001_an_empty_version_is_still_missing() {
    let codes = Scratch::new(
        "base",
        &[Replace(
            "documents/isms/policy.md",
            "version = \"1.0\"\n",
            "version = \" \"\n",
        )],
    )
    .codes(TODAY);
    assert!(codes.contains(&"DOC001"), "{codes:?}");
}
