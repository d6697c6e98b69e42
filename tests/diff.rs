//! `isms diff` on scripted histories: a finding closed, a SoA exclusion added, a policy edited
//! without approval, an auditor's commits on their own area, a verification recorded by someone
//! else; the default BASE and the working tree; the JSON shape.

mod gitrepo;

use assert_cmd::Command;
use git2::Oid;
use gitrepo::*;
use serde_json::Value;

fn run(r: &TestRepo, args: &[&str]) -> String {
    let out = r.cmd().arg("diff").args(args).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn markdown(r: &TestRepo, base: Oid, head: Oid) -> String {
    run(r, &[&base.to_string(), &head.to_string()])
}

fn json(r: &TestRepo, base: Oid, head: Oid) -> Value {
    let text = run(
        r,
        &[&base.to_string(), &head.to_string(), "--format", "json"],
    );
    serde_json::from_str(&text).unwrap()
}

const SOA: &str = r#"[[control]]
id = "A.5.15"
applicable = true
justification = "Access to the platform is controlled by role."
basis = ["risk"]
status = "implemented"
owner = "bob"

[[control]]
id = "A.5.18"
applicable = true
justification = "Access rights are reviewed quarterly."
basis = ["risk"]
status = "implemented"
owner = "bob"
"#;

#[test]
fn a_finding_closed_by_its_auditor() {
    let r = TestRepo::clean();
    let base = r.tip();
    r.append(
        "isms/findings/F-2026-001.toml",
        "\n[closure]\nby = \"dave\"\non = 2026-06-02\n",
    );
    let tip = r.commit(DAVE, "2026-06-02", "Close F-2026-001");
    let md = markdown(&r, base, tip);
    assert!(md.starts_with("<!-- isms-diff -->\n"), "{md}");
    assert!(
        md.contains("| F-2026-001 | minor-nc | access-control | closed | verified → **closed** |"),
        "{md}"
    );
    assert!(
        md.contains("✅ No impartiality or change-control problem introduced"),
        "{md}"
    );
    assert!(
        md.contains(&format!("| `{}` | 2026-06-02 |", r.short(tip))),
        "{md}"
    );
    let j = json(&r, base, tip);
    let f = &j["findings"][0];
    assert_eq!(f["id"], "F-2026-001");
    assert_eq!(f["change"], "changed");
    assert_eq!(f["closed"], true);
    assert_eq!(f["status"]["from"], "verified");
    assert_eq!(f["status"]["to"], "closed");
    assert_eq!(j["impartiality"]["introduced"], serde_json::json!([]));
    assert_eq!(j["impartiality"]["commits"][0]["person"], "dave");
}

#[test]
fn corrective_actions_added_and_completed_move_the_finding() {
    let r = TestRepo::empty();
    r.write("isms/isms.toml", ISMS_TOML);
    r.write("isms/people.toml", PEOPLE);
    r.write("isms/areas.toml", AREAS);
    r.write("isms/audits/IA-2026-01/plan.toml", PLAN);
    r.commit(ALICE, "2026-02-20", "Plan IA-2026-01");
    let planned = r.tip();
    r.write("isms/findings/F-2026-001.toml", FINDING);
    let raised = r.commit(DAVE, "2026-03-12", "Raise F-2026-001");
    let md = markdown(&r, planned, raised);
    assert!(
        md.contains("| F-2026-001 | minor-nc | access-control | opened | — → **open** |"),
        "{md}"
    );
    r.append("isms/findings/F-2026-001.toml", ANSWER);
    let answered = r.commit(BOB, "2026-03-25", "Answer F-2026-001");
    let j = json(&r, raised, answered);
    let f = &j["findings"][0];
    assert_eq!(f["status"]["from"], "open");
    assert_eq!(f["status"]["to"], "implemented");
    assert_eq!(
        f["actions_added"][0]["description"],
        "Automate deprovisioning."
    );
    assert_eq!(f["actions_completed"][0]["completed_on"], "2026-04-20");
    let md = markdown(&r, raised, answered);
    assert!(md.contains("- F-2026-001: corrective action added: Automate deprovisioning. (owner bob, due 2026-05-01)"), "{md}");
    assert!(
        md.contains(
            "- F-2026-001: corrective action completed on 2026-04-20: Automate deprovisioning."
        ),
        "{md}"
    );
}

#[test]
fn audits_planned_then_reported() {
    let r = TestRepo::clean();
    let md = run(&r, &["HEAD~4", "HEAD~3"]);
    assert!(
        md.contains("| IA-2026-01 | Access control | planned | dave | erin | access-control | 2026-03-10 to 2026-03-12 | — |"),
        "{md}"
    );
    let j: Value =
        serde_json::from_str(&run(&r, &["HEAD~3", "HEAD~2", "--format", "json"])).unwrap();
    let a = &j["audits"][0];
    assert_eq!(a["reported"], true);
    assert_eq!(a["planned"], false);
    assert_eq!(a["conclusion"], "effective-with-exceptions");
    assert_eq!(a["parts"], serde_json::json!(["checklist", "report"]));
    assert_eq!(j["findings"][0]["change"], "added");
}

#[test]
fn a_soa_exclusion_is_shown_with_its_justification() {
    let r = TestRepo::clean();
    r.write("isms/soa.toml", SOA);
    let base = r.commit(BOB, "2026-06-03", "SoA");
    r.replace(
        "isms/soa.toml",
        "applicable = true\njustification = \"Access rights are reviewed quarterly.\"\nbasis = [\"risk\"]\nstatus = \"implemented\"",
        "applicable = false\njustification = \"No user accounts: the service is machine-to-machine only.\"",
    );
    let tip = r.commit(BOB, "2026-06-04", "Exclude A.5.18");
    let md = markdown(&r, base, tip);
    assert!(md.contains("### Statement of Applicability"), "{md}");
    assert!(
        md.contains("| A.5.18 | excluded | yes → **no** | implemented → **—** | No user accounts: the service is machine-to-machine only. (was: Access rights are reviewed quarterly.); also changed: basis |"),
        "{md}"
    );
    let j = json(&r, base, tip);
    let e = &j["soa"][0];
    assert_eq!(e["control"], "A.5.18");
    assert_eq!(
        e["applicable"],
        serde_json::json!({"from": true, "to": false})
    );
    assert_eq!(
        e["justification"],
        "No user accounts: the service is machine-to-machine only."
    );
    assert_eq!(j["soa"].as_array().unwrap().len(), 1);
}

#[test]
fn a_policy_edited_without_approval_is_flagged_with_its_diff() {
    let r = TestRepo::clean();
    let base = r.tip();
    r.replace(
        "isms/documents/access/policy.md",
        "Access is granted on least privilege.",
        "Access is granted on request.",
    );
    let tip = r.commit(BOB, "2026-06-05", "Loosen the access policy");
    let md = markdown(&r, base, tip);
    assert!(
        md.contains("| POL-ACCESS | Access Control Policy | changed | 1.0 | ⚠️ edited without a new approval (last approved 2025-01-10) |"),
        "{md}"
    );
    assert!(
        md.contains("<details><summary>POL-ACCESS — Access Control Policy</summary>"),
        "{md}"
    );
    assert!(
        md.contains("-Access is granted on least privilege.\n+Access is granted on request.\n"),
        "{md}"
    );
    assert!(md.contains("| DOC004 | error |"), "{md}");
    let j = json(&r, base, tip);
    let d = &j["documents"][0];
    assert_eq!(d["unapproved_edit"], true);
    assert_eq!(d["new_approval"], false);
    assert!(
        d["diff"]
            .as_str()
            .unwrap()
            .contains("+++ b/documents/access/policy.md")
    );
    let codes: Vec<&str> = j["impartiality"]["introduced"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["DOC004"]);

    // Approved again by top management: a new approval, and the problem is resolved.
    r.replace(
        "isms/documents/access/policy.md",
        "version = \"1.0\"",
        "version = \"1.1\"",
    );
    r.replace(
        "isms/documents/access/policy.md",
        "approved_on = 2025-01-10",
        "approved_on = 2026-06-06",
    );
    let approved = r.commit(ALICE, "2026-06-06", "Approve POL-ACCESS 1.1");
    let j = json(&r, tip, approved);
    assert_eq!(j["documents"][0]["new_approval"], true);
    assert_eq!(
        j["documents"][0]["version"],
        serde_json::json!({"from": "1.0", "to": "1.1"})
    );
    assert_eq!(j["impartiality"]["resolved"][0]["code"], "DOC004");
    let md = markdown(&r, tip, approved);
    assert!(
        md.contains("✅ new approval by alice on 2026-06-06"),
        "{md}"
    );
}

#[test]
fn an_auditors_commit_on_their_own_area_is_the_verdict() {
    let r = TestRepo::clean();
    let base = r.tip();
    r.write(
        "infra/iam/roles.tf",
        "resource \"role\" \"admin\" { mfa = true }\n",
    );
    let tip = r.commit(ERIN, "2025-11-02", "Require MFA for admins");
    let j = json(&r, base, tip);
    let introduced = j["impartiality"]["introduced"].as_array().unwrap();
    assert_eq!(introduced.len(), 1, "{introduced:#?}");
    assert_eq!(introduced[0]["code"], "IND002");
    assert_eq!(introduced[0]["commits"], serde_json::json!([r.short(tip)]));
    assert_eq!(introduced[0]["file"], "isms/audits/IA-2026-01/plan.toml");
    assert_eq!(j["impartiality"]["commits"][0]["person"], "erin");
    let md = markdown(&r, base, tip);
    assert!(
        md.contains("❌ This change brings 1 impartiality or change-control problem(s):"),
        "{md}"
    );
    assert!(
        md.contains("| IND002 | error | `isms/audits/IA-2026-01/plan.toml:"),
        "{md}"
    );
    assert!(
        md.contains("auditor erin of IA-2026-01 authored 1 commit touching area `access-control`"),
        "{md}"
    );
    // No ISMS file changed: only the verdict.
    assert!(!md.contains("### Findings"), "{md}");
    // A second commit by the same auditor: the same problem grows, and is the change's again.
    r.write("infra/iam/policy.tf", "# least privilege\n");
    let again = r.commit(ERIN, "2025-12-01", "IAM policy");
    let j = json(&r, tip, again);
    let introduced = j["impartiality"]["introduced"].as_array().unwrap();
    assert_eq!(introduced.len(), 1, "{introduced:#?}");
    assert_eq!(
        introduced[0]["commits"],
        serde_json::json!([r.short(again)])
    );
    assert!(
        introduced[0]["message"]
            .as_str()
            .unwrap()
            .contains("authored 2 commits")
    );
    assert_eq!(j["impartiality"]["resolved"], serde_json::json!([]));
    // A change by someone else leaves the standing problem out of the verdict.
    r.write("isms/documents/access/notes.md", "notes\n");
    let other = r.commit(BOB, "2026-06-12", "Notes");
    let j = json(&r, again, other);
    assert_eq!(j["impartiality"]["introduced"], serde_json::json!([]));
    assert_eq!(j["impartiality"]["resolved"], serde_json::json!([]));
}

#[test]
fn a_verification_committed_by_someone_else_is_the_verdict() {
    let r = TestRepo::empty();
    r.write("isms/isms.toml", ISMS_TOML);
    r.write("isms/people.toml", PEOPLE);
    r.write("isms/areas.toml", AREAS);
    r.write("isms/audits/IA-2026-01/plan.toml", PLAN);
    r.commit(ALICE, "2026-02-20", "Plan IA-2026-01");
    r.write("isms/findings/F-2026-001.toml", FINDING);
    r.commit(DAVE, "2026-03-12", "Raise F-2026-001");
    r.append("isms/findings/F-2026-001.toml", ANSWER);
    let base = r.commit(BOB, "2026-03-25", "Answer F-2026-001");
    r.append("isms/findings/F-2026-001.toml", VERIFICATION);
    let tip = r.commit(BOB, "2026-06-01", "Verify F-2026-001");
    let j = json(&r, base, tip);
    let f = &j["findings"][0];
    assert_eq!(f["status"]["to"], "verified");
    assert_eq!(f["verification"]["by"], "dave");
    let introduced = j["impartiality"]["introduced"].as_array().unwrap();
    assert_eq!(introduced.len(), 1, "{introduced:#?}");
    assert_eq!(introduced[0]["code"], "IND005");
    assert!(
        introduced[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("the verification of finding F-2026-001 by dave was recorded by bob"),
        "{introduced:#?}"
    );
}

#[test]
fn the_default_base_is_the_merge_base_and_head_the_working_tree() {
    let r = TestRepo::clean();
    let fork = r.tip();
    // `main` stays at the fork; the work goes on on the current branch.
    r.repo
        .reference("refs/heads/main", fork, true, "main")
        .unwrap();
    r.write("isms/risks.toml", "[[risk]]\nid = \"R-001\"\ntitle = \"Leavers keep access\"\nowner = \"bob\"\nlikelihood = 3\nimpact = 4\ntreatment = \"modify\"\ncontrols = [\"A.5.18\"]\n");
    let tip = r.commit(BOB, "2026-06-10", "Risk register");
    // Uncommitted: the risk re-scored in the working tree.
    r.replace("isms/risks.toml", "likelihood = 3", "likelihood = 2");
    let j: Value = serde_json::from_str(&run(&r, &["--format", "json"])).unwrap();
    assert_eq!(j["version"], 1);
    assert_eq!(j["base"]["commit"], fork.to_string());
    assert!(
        j["base"]["rev"]
            .as_str()
            .unwrap()
            .starts_with("merge-base with "),
        "{j}"
    );
    assert_eq!(j["head"]["rev"], "working tree");
    assert_eq!(j["head"]["commit"], tip.to_string());
    let risk = &j["risks"][0];
    assert_eq!(risk["id"], "R-001");
    assert_eq!(risk["change"], "added");
    assert_eq!(risk["inherent"], serde_json::json!({"from": null, "to": 8}));
    assert_eq!(j["impartiality"]["uncommitted"], true);
    // Committed, and compared commit to commit: re-scored.
    let rescored = r.commit(BOB, "2026-06-11", "Re-score R-001");
    let j = json(&r, tip, rescored);
    assert_eq!(j["risks"][0]["rescored"], true);
    assert_eq!(
        j["risks"][0]["inherent"],
        serde_json::json!({"from": 12, "to": 8})
    );
    let md = markdown(&r, tip, rescored);
    assert!(
        md.contains(
            "| R-001 | Leavers keep access | re-scored | 12 → **8** | 12 → **8** | modify |"
        ),
        "{md}"
    );
}

#[test]
fn the_json_shape_is_stable() {
    let r = TestRepo::clean();
    let base = r.tip();
    r.write(
        "isms/people.toml",
        &PEOPLE.replace("roles = [\"CEO\"]", "roles = [\"CEO\", \"ISMS sponsor\"]"),
    );
    let tip = r.commit(ALICE, "2026-06-12", "Alice sponsors the ISMS");
    let j = json(&r, base, tip);
    // serde_json sorts the keys of a parsed object.
    let keys: Vec<&str> = j.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "areas",
            "audits",
            "base",
            "decisions",
            "documents",
            "exceptions",
            "findings",
            "head",
            "impartiality",
            "incidents",
            "management_reviews",
            "objective_results",
            "objectives",
            "people",
            "risks",
            "soa",
            "version"
        ]
    );
    assert_eq!(
        j["people"],
        serde_json::json!([{"id": "alice", "name": "Alice Martin", "change": "changed", "fields": ["roles"]}])
    );
    let v = j["impartiality"].as_object().unwrap();
    let keys: Vec<&str> = v.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "checked",
            "commits",
            "introduced",
            "resolved",
            "unavailable",
            "uncommitted"
        ]
    );
    let md = markdown(&r, base, tip);
    assert!(
        md.contains("### People\n\n- `alice` (Alice Martin) changed: roles\n"),
        "{md}"
    );
}

#[test]
fn a_path_argument_and_bad_revisions() {
    let r = TestRepo::clean();
    let out = Command::cargo_bin("isms")
        .unwrap()
        .current_dir(r.root())
        .env("ISMS_TODAY", TODAY)
        .args(["diff", "HEAD~1", "HEAD", "isms"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(
        md.contains("verification recorded by dave on 2026-06-01: effective"),
        "{md}"
    );
    let out = r.cmd().args(["diff", "no-such-branch"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("`no-such-branch` is not a commit"));
}

const REVIEW: &str = r#"id = "MR-2026-06"
date = 2026-06-10
chair = "alice"
attendees = ["alice", "dave"]
audits_reviewed = ["IA-2026-01"]

[inputs]
previous_actions = "First review."
changes_in_issues = "None."
interested_parties = "None."
performance = "IA-2026-01 effective with exceptions."
feedback = "None."
risk = "No change."
improvement = "Automate deprovisioning."

[[decision]]
description = "Automate deprovisioning"
owner = "bob"
due = 2026-09-30
"#;

const OBJECTIVES: &str = r#"[[objective]]
id = "OBJ-01"
title = "Remove leavers' access within 24 hours"
owner = "bob"
measure = "share of leavers removed within 24 h"
target = ">= 98%"
method = "monthly IdP export against the HR leaver list"
frequency_months = 1
due = 2026-12-31

[[objective.result]]
on = 2026-05-31
value = "97%"
met = false
"#;

#[test]
fn reviews_decisions_objective_results_and_incidents_have_their_sections() {
    let r = TestRepo::clean();
    r.write("isms/objectives.toml", OBJECTIVES);
    let base = r.commit(DAVE, "2026-06-01", "Objectives");
    r.write("isms/management-reviews/MR-2026-06.toml", REVIEW);
    r.append(
        "isms/objectives.toml",
        "\n[[objective.result]]\non = 2026-06-30\nvalue = \"99%\"\nmet = true\n",
    );
    r.write(
        "isms/incidents/INC-2026-001.toml",
        "id = \"INC-2026-001\"\ntitle = \"Leaked CI token\"\nseverity = \"high\"\ndetected_on = 2026-06-05\nareas = [\"access-control\"]\n",
    );
    let tip = r.commit(DAVE, "2026-06-12", "Management review, results, incident");
    let md = markdown(&r, base, tip);
    assert!(
        md.contains("### Management reviews\n\n- `MR-2026-06` (held on 2026-06-10) added"),
        "{md}"
    );
    assert!(
        md.contains("| `MR-2026-06#1` recorded | Automate deprovisioning | bob | 2026-09-30 |  |"),
        "{md}"
    );
    assert!(md.contains("### Objective results\n\n| Objective | On | Value | Target met |\n|---|---|---|---|\n| `OBJ-01` | 2026-06-30 | 99% | yes |\n"), "{md}");
    // The earlier result is not new.
    assert!(!md.contains("| `OBJ-01` | 2026-05-31 |"), "{md}");
    assert!(
        md.contains("- `INC-2026-001` (high, Leaked CI token) added"),
        "{md}"
    );
    let j = json(&r, base, tip);
    assert_eq!(j["management_reviews"][0]["change"], "added");
    assert_eq!(j["decisions"][0]["decision"], "MR-2026-06#1");
    assert_eq!(j["decisions"][0]["completed_on"], Value::Null);
    assert_eq!(j["objective_results"].as_array().unwrap().len(), 1);
    assert_eq!(j["objectives"][0]["fields"], serde_json::json!(["result"]));
    assert_eq!(j["incidents"][0]["id"], "INC-2026-001");

    // The decision completed: a changed decision, the review changed in `decision`.
    r.write(
        "isms/management-reviews/MR-2026-06.toml",
        &format!("{REVIEW}completed_on = 2026-09-20\n"),
    );
    let done = r.commit(BOB, "2026-09-20", "Deprovisioning automated");
    let j = json(&r, tip, done);
    assert_eq!(j["decisions"][0]["change"], "changed");
    assert_eq!(j["decisions"][0]["completed_on"], "2026-09-20");
    assert_eq!(
        j["management_reviews"][0]["fields"],
        serde_json::json!(["decision"])
    );
    assert!(j["incidents"].as_array().unwrap().is_empty());
    let md = markdown(&r, tip, done);
    assert!(
        md.contains(
            "| `MR-2026-06#1` updated | Automate deprovisioning | bob | 2026-09-30 | 2026-09-20 |"
        ),
        "{md}"
    );
}

#[test]
fn a_standing_problem_reworded_by_a_rescheduled_audit_is_unchanged() {
    let r = TestRepo::clean();
    r.write("infra/iam/policy.tf", "# least privilege\n");
    let base = r.commit(ERIN, "2025-11-02", "IAM policy");
    // The lead moves the audit a day earlier and adds a comment above it: the IND002 message
    // names other window dates and the problem sits on another line, but it is the same.
    r.write(
        "isms/audits/IA-2026-01/plan.toml",
        &format!(
            "# Rescheduled with the area owner.\n{}",
            PLAN.replace("start = 2026-03-10", "start = 2026-03-09")
        ),
    );
    let head = r.commit(DAVE, "2026-03-01", "Reschedule IA-2026-01");
    let j = json(&r, base, head);
    assert_eq!(j["impartiality"]["checked"], true);
    assert_eq!(j["impartiality"]["introduced"], serde_json::json!([]));
    assert_eq!(j["impartiality"]["resolved"], serde_json::json!([]));
    // The problem is still there, reworded (the window starts a day earlier).
    let lines = r.lines_of("IND002");
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert!(lines[0].contains("2024-03-09 to 2026-03-12"), "{lines:#?}");
}

#[test]
fn two_problems_with_the_same_text_are_two() {
    let r = TestRepo::clean();
    let entry = "Carol Diaz <carol@acme.example> <bob@acme.example>\n";
    r.write(".mailmap", entry);
    let base = r.commit(ALICE, "2026-06-02", "Mailmap");
    // The same conflicting entry a second time, on its own line: a second problem with the
    // same message, which the change brings.
    r.append(".mailmap", entry);
    let head = r.commit(ALICE, "2026-06-03", "Mailmap again");
    let j = json(&r, base, head);
    let introduced = j["impartiality"]["introduced"].as_array().unwrap();
    assert_eq!(introduced.len(), 1, "{introduced:#?}");
    assert_eq!(introduced[0]["code"], "IND010");
    assert_eq!(introduced[0]["file"], ".mailmap");
    assert_eq!(introduced[0]["line"], 2);
    assert_eq!(j["impartiality"]["resolved"], serde_json::json!([]));
    // Removing the first of the two resolves one and keeps the other, whatever their text.
    r.write(".mailmap", &format!("# who is who\n{entry}"));
    let fixed = r.commit(ALICE, "2026-06-04", "One entry");
    let j = json(&r, head, fixed);
    assert_eq!(j["impartiality"]["introduced"], serde_json::json!([]));
    let resolved = j["impartiality"]["resolved"].as_array().unwrap();
    assert_eq!(resolved.len(), 1, "{resolved:#?}");
    assert_eq!(resolved[0]["code"], "IND010");
}
