//! Signed commits (`[independence] signatures`, IND014-IND016): histories built in the test
//! with real keys, SSH (made in-process from fixed seeds) and OpenPGP (made with gpg), each
//! commit signed by its author's key unless the scenario says otherwise.

mod gitrepo;
mod signing;

use git2::Oid;
use gitrepo::*;
use isms::check::{self, GitMode, Options};
use isms::model::Date;
use isms::workspace::Workspace;
use signing::{GpgKey, SshKey, commit_signed, commit_tampered};

const PEOPLE_IDS: [&str; 5] = ["alice", "bob", "carol", "dave", "erin"];

/// Each person's SSH key; seed 9 is a key nobody lists, seed 7 the platform's.
fn key_of(who: &str) -> SshKey {
    let seed = PEOPLE_IDS
        .iter()
        .position(|p| *p == who)
        .map_or(9, |i| i as u8 + 1);
    SshKey::from_seed(seed)
}

fn platform_key() -> SshKey {
    SshKey::from_seed(7)
}

fn id_of(who: (&str, &str)) -> &'static str {
    PEOPLE_IDS
        .iter()
        .find(|p| who.1.starts_with(**p))
        .copied()
        .unwrap_or("nobody")
}

/// people.toml with each person's SSH key, and `extra` keys for some.
fn people(extra: &[(&str, String)]) -> String {
    let mut text = PEOPLE.to_string();
    for id in PEOPLE_IDS {
        let mut keys = vec![format!("{:?}", key_of(id).line(&format!("{id}@laptop")))];
        keys.extend(
            extra
                .iter()
                .filter(|(p, _)| *p == id)
                .map(|(_, k)| format!("{k:?}")),
        );
        text = text.replace(
            &format!("id = \"{id}\"\n"),
            &format!("id = \"{id}\"\nsigning_keys = [{}]\n", keys.join(", ")),
        );
    }
    text
}

fn isms_toml(mode: &str) -> String {
    format!(
        "{ISMS_TOML}signatures = \"{mode}\"\nplatform_keys = [{:?}]\n",
        platform_key().line("web-flow")
    )
}

/// How the audit commit (dave's checklist, report and finding) is signed.
enum Audit<'a> {
    Own,
    Unsigned,
    Key(Box<SshKey>),
    Tampered,
    Raw(&'a str),
}

/// TestRepo::clean's history, each commit signed by its author's key except the audit's.
fn history(mode: &str, audit: Audit<'_>) -> TestRepo {
    let r = TestRepo::empty();
    r.write("isms/isms.toml", &isms_toml(mode));
    r.write("isms/people.toml", &people(&[]));
    r.write("isms/areas.toml", AREAS);
    own(&r, ALICE, "2024-01-05", "Set up the ISMS");
    r.write("isms/documents/access/policy.md", POLICY);
    own(&r, BOB, "2025-01-10", "Access control policy");
    r.write("infra/iam/roles.tf", "resource \"role\" \"admin\" {}\n");
    own(&r, CAROL, "2025-06-01", "IAM roles");
    r.write("isms/audits/IA-2026-01/plan.toml", PLAN);
    own(&r, ALICE, "2026-02-20", "Plan IA-2026-01");
    r.write("isms/audits/IA-2026-01/checklist.toml", CHECKLIST);
    r.write("isms/audits/IA-2026-01/report.md", REPORT);
    r.write("isms/findings/F-2026-001.toml", FINDING);
    let (date, message) = ("2026-03-12", "Audit IA-2026-01: checklist, report, finding");
    match audit {
        Audit::Own => own(&r, DAVE, date, message),
        Audit::Unsigned => commit_signed(&r, DAVE, date, message, |_| None),
        Audit::Key(key) => commit_signed(&r, DAVE, date, message, |d| Some(key.sign(d))),
        Audit::Raw(sig) => commit_signed(&r, DAVE, date, message, |_| Some(sig.to_string())),
        Audit::Tampered => {
            commit_tampered(&r, DAVE, date, "Audit IA-2026-01 (draft)", message, |d| {
                key_of("dave").sign(d)
            })
        }
    };
    r.append("isms/findings/F-2026-001.toml", ANSWER);
    own(&r, BOB, "2026-03-25", "Answer F-2026-001");
    r.append("isms/findings/F-2026-001.toml", VERIFICATION);
    own(&r, DAVE, "2026-06-01", "Verify F-2026-001");
    r
}

fn own(r: &TestRepo, who: (&str, &str), date: &str, message: &str) -> Oid {
    let key = key_of(id_of(who));
    commit_signed(r, who, date, message, |d| Some(key.sign(d)))
}

fn outcome(r: &TestRepo) -> check::Outcome {
    let ws = Workspace::find(Some(&r.isms())).expect("workspace");
    let options = Options {
        today: Date::parse(TODAY).expect("date"),
        git: GitMode::Head,
        cache: true,
    };
    check::run_with(&ws, &options).expect("check")
}

/// `CODE severity: message` of the signature diagnostics (IND014-IND016).
fn signature_lines(r: &TestRepo) -> Vec<String> {
    r.lines()
        .into_iter()
        .filter(|l| l.starts_with("IND014") || l.starts_with("IND015") || l.starts_with("IND016"))
        .collect()
}

#[test]
fn records_signed_by_their_authors_pass() {
    let r = history("records", Audit::Own);
    assert_eq!(r.lines(), Vec::<String>::new());
    let out = outcome(&r);
    let signatures = &out.history.expect("history").signatures;
    // Set-up, policy approval, plan, audit, answer, verification: every commit but carol's.
    assert_eq!(signatures.commits.len(), 6);
    assert!(
        signatures
            .commits
            .values()
            .all(|s| matches!(s.seal, isms::history::Seal::Valid(_)))
    );
}

#[test]
fn an_unsigned_audit_record_is_ind014() {
    let r = history("records", Audit::Unsigned);
    let lines = signature_lines(&r);
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert!(
        lines[0].starts_with("IND014 error: 1 commit attributed to dave must be signed (`signatures = \"records\"`) but is not: "),
        "{}",
        lines[0]
    );
    assert!(lines[0].contains("\"Audit IA-2026-01: checklist, report, finding\" (isms/audits/IA-2026-01/checklist.toml, isms/audits/IA-2026-01/report.md, isms/findings/F-2026-001.toml)"), "{}", lines[0]);
}

#[test]
fn signatures_off_changes_nothing() {
    let r = history("off", Audit::Unsigned);
    assert_eq!(r.lines(), TestRepo::clean().lines());
    assert!(
        outcome(&r)
            .history
            .expect("history")
            .signatures
            .commits
            .is_empty()
    );
}

#[test]
fn signed_with_another_persons_key_names_whose_key_it_is() {
    let r = history("records", Audit::Key(Box::new(key_of("erin"))));
    let lines = signature_lines(&r);
    assert_eq!(lines.len(), 1, "{lines:#?}");
    let expected = format!(
        "is attributed to dave but signed with erin's key ed25519 {}",
        key_of("erin").fingerprint()
    );
    assert!(
        lines[0].starts_with("IND015 error: commit "),
        "{}",
        lines[0]
    );
    assert!(lines[0].ends_with(&expected), "{}", lines[0]);
}

#[test]
fn signed_with_an_unknown_key_is_ind015() {
    let r = history("records", Audit::Key(Box::new(SshKey::from_seed(9))));
    let lines = signature_lines(&r);
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert!(
        lines[0].ends_with(&format!(
            "is attributed to dave but signed with the key ed25519 {}, which no committed version of people.toml lists",
            SshKey::from_seed(9).fingerprint()
        )),
        "{}",
        lines[0]
    );
}

#[test]
fn a_commit_changed_after_signing_is_ind015() {
    let r = history("records", Audit::Tampered);
    let lines = signature_lines(&r);
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert!(lines[0].contains("attributed to dave does not verify: the SSH signature does not match the commit: it was changed after signing (it names the key ed25519 "), "{}", lines[0]);
    // Whose key it names, per the committed people.toml: dave's since the founding commit.
    let founding = short_of(&r, "Set up the ISMS");
    assert!(
        lines[0].ends_with(&format!(
            ": people.toml lists it for dave since commit {founding})"
        )),
        "{}",
        lines[0]
    );
}

#[test]
fn an_ssh_signature_for_another_namespace_is_ind015() {
    let r = TestRepo::empty();
    r.write("isms/isms.toml", &isms_toml("records"));
    r.write("isms/people.toml", &people(&[]));
    commit_signed(&r, ALICE, "2024-01-05", "Set up", |d| {
        Some(key_of("alice").sign_in("file", d))
    });
    let lines = signature_lines(&r);
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert!(
        lines[0].contains("the SSH signature is for `file`, not for git commits"),
        "{}",
        lines[0]
    );
}

#[test]
fn x509_signatures_are_a_warning_naming_the_format() {
    let x509 = "-----BEGIN SIGNED MESSAGE-----\nMIAGCSqGSIb3DQEHAqCAMIACAQExDTALBglghkgBZQMEAgEwgAYJKoZIhvcNAQcB\n-----END SIGNED MESSAGE-----\n";
    let r = history("records", Audit::Raw(x509));
    let lines = signature_lines(&r);
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert!(
        lines[0].starts_with("IND016 warning: commit "),
        "{}",
        lines[0]
    );
    assert!(lines[0].ends_with("attributed to dave is signed in X.509 (gpgsm, or gitsign's Sigstore certificates), which isms cannot verify"), "{}", lines[0]);
}

#[test]
fn all_extends_to_area_paths() {
    // Carol's IAM commit (infra/iam/, an area path) is unsigned; records mode does not ask.
    let build = |mode: &str| {
        let r = TestRepo::empty();
        r.write("isms/isms.toml", &isms_toml(mode));
        r.write("isms/people.toml", &people(&[]));
        r.write("isms/areas.toml", AREAS);
        own(&r, ALICE, "2024-01-05", "Set up the ISMS");
        r.write("infra/iam/roles.tf", "resource \"role\" \"admin\" {}\n");
        commit_signed(&r, CAROL, "2025-06-01", "IAM roles", |_| None);
        r
    };
    assert_eq!(signature_lines(&build("records")), Vec::<String>::new());
    let lines = signature_lines(&build("all"));
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert!(lines[0].starts_with("IND014 error: 1 commit attributed to carol must be signed (`signatures = \"all\"`: records and area paths) but is not: "), "{}", lines[0]);
    assert!(
        lines[0].ends_with("\"IAM roles\" (infra/iam/roles.tf)"),
        "{}",
        lines[0]
    );
}

#[test]
fn a_key_counts_for_the_commits_made_while_it_was_listed() {
    // Dave's key is removed after the audit: the audit commit stays his, signed.
    let r = history("records", Audit::Own);
    let without_dave = people(&[]).replace(
        &format!(
            "signing_keys = [{:?}]\nname = \"Dave",
            key_of("dave").line("dave@laptop")
        ),
        "name = \"Dave",
    );
    assert_ne!(without_dave, people(&[]));
    r.write("isms/people.toml", &without_dave);
    own(&r, ALICE, "2026-06-10", "Dave's laptop key is retired");
    assert_eq!(signature_lines(&r), Vec::<String>::new());
    // A commit after the removal, signed with the retired key, is not proven.
    r.append("isms/findings/F-2026-001.toml", "\n# note\n");
    own(&r, DAVE, "2026-06-11", "A note");
    let lines = signature_lines(&r);
    assert_eq!(lines.len(), 1, "{lines:#?}");
    let (founding, retired) = (
        short_of(&r, "Set up the ISMS"),
        short_of(&r, "Dave's laptop key is retired"),
    );
    assert!(lines[0].ends_with(&format!("is attributed to dave but signed with the key ed25519 SHA256:vxu9sT7+WkqIPG3kOwohja2DmYBjKw903FLEcS+Xb6o, which people.toml did not list for anyone when the commit was made (people.toml listed it for dave from commit {founding} until commit {retired})")), "{}", lines[0]);
    assert_eq!(
        key_of("dave").fingerprint(),
        "SHA256:vxu9sT7+WkqIPG3kOwohja2DmYBjKw903FLEcS+Xb6o"
    );
}

#[test]
fn a_key_does_not_vouch_for_the_commit_that_lists_it() {
    // Someone holding a new key adds it to dave's entry and signs that very change with it.
    let r = history("records", Audit::Own);
    let intruder = SshKey::from_seed(9);
    r.write(
        "isms/people.toml",
        &people(&[("dave", intruder.line("new"))]),
    );
    commit_signed(&r, DAVE, "2026-06-10", "Dave's new key", |d| {
        Some(intruder.sign(d))
    });
    let lines = signature_lines(&r);
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert!(lines[0].contains("\"Dave's new key\" (isms/people.toml) is attributed to dave but signed with the key ed25519"), "{}", lines[0]);
    assert!(
        lines[0].ends_with(
            "which people.toml did not list for anyone when the commit was made (this commit lists it for dave: a key does not vouch for the commit that lists it)"
        ),
        "{}",
        lines[0]
    );
    // Once listed by a signed change, the key proves the commits that follow.
    r.append("isms/findings/F-2026-001.toml", "\n# note\n");
    commit_signed(&r, DAVE, "2026-06-11", "A note", |d| Some(intruder.sign(d)));
    assert_eq!(signature_lines(&r).len(), 1);
}

#[test]
fn a_platform_key_vouches_for_the_recorded_author() {
    let r = history("records", Audit::Key(Box::new(platform_key())));
    assert_eq!(signature_lines(&r), Vec::<String>::new());
}

/// dave's audit report signed by `signer`; dave and erin list OpenPGP keys, whose armored
/// files are committed under keys/ when `with_files`.
fn gpg_history(dave: &GpgKey, erin: &GpgKey, signer: &GpgKey, with_files: bool) -> TestRepo {
    let r = TestRepo::empty();
    r.write("isms/isms.toml", &isms_toml("records"));
    r.write(
        "isms/people.toml",
        &people(&[
            ("dave", format!("openpgp:{}", dave.fingerprint)),
            ("erin", format!("openpgp:{}", erin.fingerprint)),
        ]),
    );
    if with_files {
        r.write("isms/keys/dave.asc", &dave.armored());
        r.write("isms/keys/erin.asc", &erin.armored());
    }
    own(&r, ALICE, "2024-01-05", "Set up the ISMS");
    r.write("isms/audits/IA-2026-01/plan.toml", PLAN);
    own(&r, ALICE, "2026-02-20", "Plan IA-2026-01");
    r.write("isms/audits/IA-2026-01/report.md", REPORT);
    commit_signed(&r, DAVE, "2026-03-12", "Audit report", |d| {
        Some(signer.sign(d))
    });
    r
}

#[test]
fn openpgp_signatures_verify_against_keys_under_keys() {
    let dave = GpgKey::new("Dave Okafor <dave@acme.example>");
    let erin = GpgKey::new("Erin Walsh <erin@acme.example>");
    let build = |signer: &GpgKey, with_files: bool| gpg_history(&dave, &erin, signer, with_files);
    assert_eq!(signature_lines(&build(&dave, true)), Vec::<String>::new());
    let forged = signature_lines(&build(&erin, true));
    assert_eq!(forged.len(), 1, "{forged:#?}");
    assert!(
        forged[0].ends_with(&format!(
            "is attributed to dave but signed with erin's key OpenPGP {}",
            erin.fingerprint
        )),
        "{}",
        forged[0]
    );
    let missing = signature_lines(&build(&dave, false));
    assert_eq!(missing.len(), 1, "{missing:#?}");
    assert!(
        missing[0].contains(&format!(
            "is signed with the OpenPGP key {}, which is not under keys/",
            dave.fingerprint
        )),
        "{}",
        missing[0]
    );
}

#[test]
fn a_warm_check_does_not_verify_again() {
    let r = history("records", Audit::Key(Box::new(key_of("erin"))));
    let cold = outcome(&r);
    let cold_signatures = &cold.history.as_ref().expect("history").signatures;
    assert_eq!((cold_signatures.verified, cold_signatures.cached), (6, 0));
    let warm = outcome(&r);
    let warm_signatures = &warm.history.as_ref().expect("history").signatures;
    assert_eq!((warm_signatures.verified, warm_signatures.cached), (0, 6));
    let messages = |o: &check::Outcome| {
        o.diagnostics
            .iter()
            .map(|d| d.message.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(messages(&cold), messages(&warm));
}

#[test]
fn listed_keys_that_cannot_be_read_are_load002_at_their_line() {
    let r = history("records", Audit::Own);
    r.replace(
        "isms/people.toml",
        &key_of("erin").line("erin@laptop"),
        "ssh-ed25519 AAAA-not-base64",
    );
    let text = outcome(&r);
    let load: Vec<&isms::diagnostics::Diagnostic> = text
        .diagnostics
        .iter()
        .filter(|d| d.code() == "LOAD002")
        .collect();
    assert_eq!(load.len(), 1);
    assert!(
        load[0]
            .message
            .starts_with("a signing key of erin cannot be read: not an SSH public key line"),
        "{}",
        load[0].message
    );
    let span = &load[0].origin.as_ref().expect("a place").span;
    assert_eq!(
        &text
            .files
            .get(load[0].origin.as_ref().expect("file").file)
            .text[span.clone()],
        "\"ssh-ed25519 AAAA-not-base64\""
    );
}

#[test]
fn snapshot_of_forged_and_unsigned_records() {
    let r = history("records", Audit::Key(Box::new(key_of("erin"))));
    r.append("isms/findings/F-2026-001.toml", "\n# note\n");
    commit_signed(&r, BOB, "2026-06-10", "A note on F-2026-001", |_| None);
    insta::assert_snapshot!(r.lines().join("\n"));
}

/// `git` run in `dir` with a configuration of its own.
fn git(dir: &std::path::Path, home: &std::path::Path, args: &[&str]) {
    let out = std::process::Command::new("git")
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", home.join("gitconfig"))
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .args(args)
        .output()
        .expect("git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn commits_signed_by_git_with_ssh_keygen_keys() {
    let home = tempfile::tempdir().expect("tempdir");
    let keygen = |name: &str| {
        let path = home.path().join(name);
        let status = std::process::Command::new("ssh-keygen")
            .args(["-q", "-t", "ed25519", "-N", "", "-C", name, "-f"])
            .arg(&path)
            .status()
            .expect("ssh-keygen is installed (apt-get install openssh-client)");
        assert!(status.success());
        let public = std::fs::read_to_string(path.with_extension("pub")).expect("public key");
        (path.with_extension("pub"), public.trim().to_string())
    };
    let (dave_file, dave_line) = keygen("dave");
    let (erin_file, erin_line) = keygen("erin");
    let r = TestRepo::empty();
    let root = r.root();
    git(root, home.path(), &["config", "gpg.format", "ssh"]);
    git(root, home.path(), &["config", "user.name", "Dave Okafor"]);
    git(
        root,
        home.path(),
        &["config", "user.email", "dave@acme.example"],
    );
    let people = PEOPLE
        .replace(
            "id = \"dave\"\n",
            &format!("id = \"dave\"\nsigning_keys = [{dave_line:?}]\n"),
        )
        .replace(
            "id = \"erin\"\n",
            &format!("id = \"erin\"\nsigning_keys = [{erin_line:?}]\n"),
        );
    r.write("isms/isms.toml", &isms_toml("records"));
    r.write("isms/people.toml", &people);
    let dave_key = format!("user.signingkey={}", dave_file.display());
    git(root, home.path(), &["add", "-A"]);
    git(
        root,
        home.path(),
        &["-c", &dave_key, "commit", "-q", "-S", "-m", "Set up"],
    );
    assert_eq!(signature_lines(&r), Vec::<String>::new());
    // Authored as dave, signed with erin's key.
    r.write("isms/audits/IA-2026-01/plan.toml", PLAN);
    let erin_key = format!("user.signingkey={}", erin_file.display());
    git(root, home.path(), &["add", "-A"]);
    git(
        root,
        home.path(),
        &["-c", &erin_key, "commit", "-q", "-S", "-m", "Plan"],
    );
    let lines = signature_lines(&r);
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert!(lines[0].contains("\"Plan\" (isms/audits/IA-2026-01/plan.toml) is attributed to dave but signed with erin's key ed25519 SHA256:"), "{}", lines[0]);
}

// ---- Trust inputs come from HEAD: uncommitted settings and keys change nothing ----

/// The IND018 lines of a check of HEAD.
fn uncommitted_notes(r: &TestRepo) -> Vec<String> {
    r.lines()
        .into_iter()
        .filter(|l| l.starts_with("IND018"))
        .collect()
}

#[test]
fn an_uncommitted_signatures_off_changes_nothing() {
    let r = history("records", Audit::Unsigned);
    let before = signature_lines(&r);
    assert_eq!(before.len(), 1, "{before:#?}");
    r.write("isms/isms.toml", &isms_toml("off"));
    assert_eq!(signature_lines(&r), before);
    let notes = uncommitted_notes(&r);
    assert_eq!(notes.len(), 1, "{notes:#?}");
    assert!(
        notes[0].starts_with("IND018 info: the working tree changes what the impartiality proof trusts (`signatures`), but the proof uses HEAD's version"),
        "{}",
        notes[0]
    );
    // Committed (signed by top management), the change counts and the note goes.
    own(&r, ALICE, "2026-06-10", "Stop checking signatures");
    assert_eq!(signature_lines(&r), Vec::<String>::new());
    assert_eq!(uncommitted_notes(&r), Vec::<String>::new());
}

#[test]
fn an_uncommitted_platform_key_vouches_for_nothing() {
    let r = history("records", Audit::Key(Box::new(key_of("nobody"))));
    let before = signature_lines(&r);
    assert_eq!(before.len(), 1, "{before:#?}");
    r.replace(
        "isms/isms.toml",
        "platform_keys = [",
        &format!("platform_keys = [{:?}, ", key_of("nobody").line("mine")),
    );
    assert_eq!(signature_lines(&r), before);
    assert_eq!(uncommitted_notes(&r).len(), 1);
    assert!(uncommitted_notes(&r)[0].contains("(`platform_keys`)"));
}

#[test]
fn an_uncommitted_rules_override_does_not_silence_a_forgery() {
    let r = history("records", Audit::Key(Box::new(key_of("erin"))));
    let before = signature_lines(&r);
    assert_eq!(before.len(), 1, "{before:#?}");
    r.append(
        "isms/isms.toml",
        "\n[rules]\nIND015 = \"off\"\nind014 = \"info\"\n",
    );
    assert_eq!(signature_lines(&r), before);
    assert!(uncommitted_notes(&r)[0].contains("(`[rules] for IND codes`)"));
}

#[test]
fn an_uncommitted_signing_key_in_people_toml_vouches_for_nothing() {
    let r = history("records", Audit::Key(Box::new(key_of("nobody"))));
    let before = signature_lines(&r);
    r.write(
        "isms/people.toml",
        &people(&[("dave", key_of("nobody").line("dave@desktop"))]),
    );
    // Still forged, and worded from the committed people.toml only: the working tree's
    // listing is not whose key it is.
    let after = signature_lines(&r);
    assert_eq!(after, before);
    assert!(
        after[0].ends_with("which no committed version of people.toml lists"),
        "{}",
        after[0]
    );
}

#[test]
fn an_uncommitted_key_under_keys_changes_nothing() {
    let dave = GpgKey::new("Dave Okafor <dave@acme.example>");
    let erin = GpgKey::new("Erin Walsh <erin@acme.example>");
    let r = gpg_history(&dave, &erin, &dave, false);
    let before = signature_lines(&r);
    assert_eq!(before.len(), 1, "{before:#?}");
    assert!(
        before[0].contains("which is not under keys/"),
        "{}",
        before[0]
    );
    r.write("isms/keys/dave.asc", &dave.armored());
    assert_eq!(signature_lines(&r), before);
    let notes = uncommitted_notes(&r);
    assert_eq!(notes.len(), 1, "{notes:#?}");
    assert!(notes[0].contains("(`keys/`)"), "{}", notes[0]);
    // Committed, the key verifies the signature.
    own(&r, ALICE, "2026-06-10", "Add dave's OpenPGP key");
    assert_eq!(signature_lines(&r), Vec::<String>::new());
    assert_eq!(uncommitted_notes(&r), Vec::<String>::new());
}

// ---- A key listed by someone else: the listing is a record, judged like an identity ----

/// After the audit, `by` lists the key nobody holds (seed 9) for dave, then dave signs a
/// record with it.
fn key_listed_for_dave_by(by: (&str, &str)) -> TestRepo {
    let r = history("records", Audit::Own);
    r.write(
        "isms/people.toml",
        &people(&[("dave", key_of("nobody").line("dave@desktop"))]),
    );
    own(&r, by, "2026-06-05", "Add a signing key for dave");
    r.append(
        "isms/findings/F-2026-001.toml",
        "\n# closed after verification\n",
    );
    commit_signed(&r, DAVE, "2026-06-12", "Note on F-2026-001", |d| {
        Some(key_of("nobody").sign(d))
    });
    r
}

fn ind011(r: &TestRepo) -> Vec<String> {
    r.lines()
        .into_iter()
        .filter(|l| l.starts_with("IND011"))
        .collect()
}

#[test]
fn a_key_listed_for_another_person_by_someone_who_may_not_is_ind011() {
    let r = key_listed_for_dave_by(CAROL);
    let lines = ind011(&r);
    assert_eq!(lines.len(), 1, "{lines:#?}");
    let key = key_of("nobody").fingerprint();
    assert!(
        lines[0].starts_with(&format!(
            "IND011 error: the signing key ed25519 {key} for dave was added by "
        )) && lines[0].ends_with(
            "\"Add a signing key for dave\": carol is neither top management nor the audit programme owner; it is not applied"
        ),
        "{}",
        lines[0]
    );
    // Refused, the key proves no one: dave's note signed with it is not proven.
    let forged = signature_lines(&r);
    assert_eq!(forged.len(), 1, "{forged:#?}");
    assert!(
        forged[0].starts_with("IND015 error: ") && forged[0].contains("\"Note on F-2026-001\""),
        "{}",
        forged[0]
    );
}

#[test]
fn a_key_listed_by_top_management_or_by_its_owner_is_not_ind011() {
    assert_eq!(ind011(&key_listed_for_dave_by(ALICE)), Vec::<String>::new());
    let own_key = key_listed_for_dave_by(DAVE);
    assert_eq!(ind011(&own_key), Vec::<String>::new());
    // Signed with dave's key listed before the change: proven, not forged.
    assert_eq!(signature_lines(&own_key), Vec::<String>::new());
}

// ---- What `isms independence` and the site show ----

/// `isms` run in the ISMS folder: (exit code, stdout).
fn run(r: &TestRepo, args: &[&str]) -> (i32, String) {
    let out = r.cmd().args(args).output().expect("isms runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// The audit page and the dashboard of the site built from the repository.
fn site_pages(r: &TestRepo) -> (String, String) {
    let out = tempfile::tempdir().expect("tempdir");
    let site = out.path().join("site");
    let built = r
        .cmd()
        .arg("build")
        .arg("--out")
        .arg(&site)
        .output()
        .expect("isms build runs");
    assert!(
        site.join("index.html").is_file(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let read = |path: &str| std::fs::read_to_string(site.join(path)).expect(path);
    let audit = ["audits/IA-2026-01.html", "audits/IA-2026-01/index.html"]
        .into_iter()
        .find(|p| site.join(p).is_file())
        .map(read)
        .expect("the audit page");
    (audit, read("index.html"))
}

/// The rows of the audit page's "Record signatures" table, tags stripped.
fn signature_rows(audit_page: &str) -> Vec<String> {
    let Some(start) = audit_page.find("<h2>Record signatures</h2>") else {
        return Vec::new();
    };
    let table = &audit_page[start..];
    let table = &table[..table.find("</table>").unwrap_or(table.len())];
    table
        .split("<tr")
        .skip(1)
        .filter(|row| row.contains("<td"))
        .map(|row| {
            let class = row
                .split("class=\"")
                .nth(1)
                .and_then(|c| c.split('"').next())
                .unwrap_or_default()
                .to_string();
            let mut text = String::new();
            let mut in_tag = false;
            let cells = row.split_once('>').map_or("", |(_, cells)| cells);
            for ch in cells.chars() {
                match ch {
                    '<' => in_tag = true,
                    '>' => {
                        in_tag = false;
                        text.push(' ');
                    }
                    c if !in_tag => text.push(c),
                    _ => {}
                }
            }
            let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
            format!("{class}: {text}")
        })
        .collect()
}

#[test]
fn the_site_marks_each_record_signed_or_not_and_the_dashboard_says_signed() {
    let r = history("records", Audit::Own);
    let (audit, dashboard) = site_pages(&r);
    let (alice, dave) = (key_of("alice").fingerprint(), key_of("dave").fingerprint());
    let audit_commit = short_of_audit(&r);
    let plan_commit = r.short(r.repo.revparse_single("HEAD~3").expect("plan").id());
    assert_eq!(
        signature_rows(&audit),
        [
            format!(
                "sev-ok: audits/IA-2026-01/plan.toml {plan_commit} 2026-02-20 signed by alice, ed25519 {alice}"
            ),
            format!(
                "sev-ok: audits/IA-2026-01/checklist.toml {audit_commit} 2026-03-12 signed by dave, ed25519 {dave}"
            ),
            format!(
                "sev-ok: audits/IA-2026-01/report.md {audit_commit} 2026-03-12 signed by dave, ed25519 {dave}"
            ),
        ]
    );
    assert!(
        dashboard.contains("Identity of the people behind records: <b>signed</b>"),
        "{dashboard}"
    );
}

#[test]
fn the_site_marks_a_record_signed_with_another_persons_key_as_not_proven() {
    let r = history("records", Audit::Key(Box::new(key_of("erin"))));
    let (audit, _) = site_pages(&r);
    let erin = key_of("erin").fingerprint();
    let rows = signature_rows(&audit);
    let checklist = rows
        .iter()
        .find(|row| row.contains("checklist.toml"))
        .expect("the checklist row");
    assert_eq!(
        checklist,
        &format!(
            "sev-error: audits/IA-2026-01/checklist.toml {} 2026-03-12 signed by erin, ed25519 {erin}, but attributed to dave",
            short_of_audit(&r)
        )
    );
}

#[test]
fn the_site_says_asserted_when_signatures_are_off_even_if_the_working_tree_turns_them_on() {
    let r = history("off", Audit::Own);
    r.write("isms/isms.toml", &isms_toml("records"));
    let (audit, dashboard) = site_pages(&r);
    assert_eq!(signature_rows(&audit), Vec::<String>::new());
    assert!(
        dashboard.contains("Identity of the people behind records: <b>asserted</b>"),
        "{dashboard}"
    );
}

/// The short hash of the audit commit (dave's checklist, report and finding).
fn short_of_audit(r: &TestRepo) -> String {
    short_of(r, "Audit IA-2026-01: checklist, report, finding")
}

/// The short hash of the commit with this subject.
fn short_of(r: &TestRepo, subject: &str) -> String {
    let out = outcome(r);
    let history = out.history.expect("history");
    history
        .commits()
        .iter()
        .find(|c| c.subject == subject)
        .map(|c| c.short().to_string())
        .expect("the commit")
}

#[test]
fn independence_names_each_auditors_keys() {
    let r = history("records", Audit::Key(Box::new(key_of("erin"))));
    let (code, out) = run(&r, &["independence"]);
    assert_eq!(code, 0, "{out}");
    let identity = &out[out.find("Identity:").expect("the identity section")..];
    insta::assert_snapshot!(identity);
}

#[test]
fn whose_key_it_is_comes_from_the_committed_people_toml_not_the_working_tree() {
    // Dave's audit is signed with a key no one lists; erin lists it as hers afterwards.
    let stray = SshKey::from_seed(9);
    let r = history("records", Audit::Key(Box::new(SshKey::from_seed(9))));
    r.write(
        "isms/people.toml",
        &people(&[("erin", stray.line("erin@desktop"))]),
    );
    own(&r, ERIN, "2026-06-12", "Erin's desktop key");
    let listed = short_of(&r, "Erin's desktop key");
    let lines = signature_lines(&r);
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert!(
        lines[0].ends_with(&format!(
            "is attributed to dave but signed with the key ed25519 {}, which people.toml did not list for anyone when the commit was made (commit {listed}, made later, lists it for erin, and the checked people.toml still does)",
            stray.fingerprint()
        )),
        "{}",
        lines[0]
    );
    // An uncommitted edit that moves the key to dave changes neither the verdict nor whose
    // key the message says it is.
    r.write(
        "isms/people.toml",
        &people(&[("dave", stray.line("dave@desktop"))]),
    );
    assert_eq!(signature_lines(&r), lines);
}

#[test]
fn independence_shows_whose_key_signed_a_forged_record_as_json() {
    let r = history("records", Audit::Key(Box::new(key_of("erin"))));
    let (code, out) = run(&r, &["independence", "--format", "json"]);
    assert_eq!(code, 0, "{out}");
    let value: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    insta::assert_json_snapshot!(value["signatures"]);
}

#[test]
fn many_signatures_are_verified_across_threads_with_one_outcome() {
    // 87 commits to verify (the 7 of the base history, 80 more): more than one thread's worth, so the work is split across cores
    // (where there are several) and merged in order. One in the middle is signed with another
    // person's key; another was altered after signing, so the batch that holds it fails and
    // must still name exactly that commit.
    let r = history("all", Audit::Own);
    for i in 0..80 {
        r.write("infra/iam/roles.tf", &format!("# change {i}\n"));
        let date = format!("2025-{:02}-{:02}", 7 + i / 28, 1 + i % 28);
        let key = key_of(if i == 41 { "erin" } else { "carol" });
        if i == 60 {
            commit_tampered(&r, CAROL, &date, "Change 60 (draft)", "Change 60", |d| {
                key.sign(d)
            });
        } else {
            commit_signed(&r, CAROL, &date, &format!("Change {i}"), |d| {
                Some(key.sign(d))
            });
        }
    }
    let cold = outcome(&r);
    let signatures = &cold.history.as_ref().expect("history").signatures;
    assert_eq!((signatures.verified, signatures.cached), (87, 0));
    let lines = signature_lines(&r);
    assert_eq!(lines.len(), 2, "{lines:#?}");
    assert!(
        lines[1].contains("\"Change 60\"")
            && lines[1].contains("attributed to carol does not verify: the SSH signature does not match the commit: it was changed after signing"),
        "{}",
        lines[1]
    );
    assert!(
        lines[0].contains("\"Change 41\"")
            && lines[0].ends_with(&format!(
                "is attributed to carol but signed with erin's key ed25519 {}",
                key_of("erin").fingerprint()
            )),
        "{}",
        lines[0]
    );
    // The warm check takes every seal from the cache and says the same.
    let warm = outcome(&r);
    let warm_signatures = &warm.history.as_ref().expect("history").signatures;
    assert_eq!((warm_signatures.verified, warm_signatures.cached), (0, 87));
    assert_eq!(signature_lines(&r), lines);
}

#[test]
fn verification_alongside_the_check_gives_one_outcome_whatever_the_thread_timing() {
    // 527 commits to verify (the 7 of the base history, 520 more): three units of work, which
    // the check's threads take in whatever order they reach them while the rest of the history
    // is read. One commit in the first unit is unsigned, one in the third is signed with
    // another person's key; every run must name exactly those two, in the same order, whether
    // the walk read the signatures (cold), the history came from the cache but the signatures
    // did not (read from the repository), or the seals came from the cache (warm).
    let r = history("all", Audit::Own);
    for i in 0..520 {
        r.write("infra/iam/roles.tf", &format!("# change {i}\n"));
        let date = format!("2025-{:02}-{:02}", 1 + i / 50, 1 + i % 28);
        let signing = match i {
            100 => None,
            470 => Some(key_of("erin")),
            _ => Some(key_of("carol")),
        };
        commit_signed(&r, CAROL, &date, &format!("Change {i}"), |d| {
            signing.as_ref().map(|k| k.sign(d))
        });
    }
    let cache = r.dir.path().join(".git").join("isms");
    let _ = std::fs::remove_dir_all(&cache);
    let cold = outcome(&r);
    let signatures = &cold.history.as_ref().expect("history").signatures;
    assert_eq!((signatures.verified, signatures.cached), (527, 0));
    let lines = signature_lines(&r);
    assert_eq!(lines.len(), 2, "{lines:#?}");
    assert!(
        lines[0].starts_with("IND014 error: ") && lines[0].contains("\"Change 100\""),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].contains("\"Change 470\"")
            && lines[1].ends_with(&format!(
                "is attributed to carol but signed with erin's key ed25519 {}",
                key_of("erin").fingerprint()
            )),
        "{}",
        lines[1]
    );
    for _ in 0..3 {
        let _ = std::fs::remove_dir_all(&cache);
        assert_eq!(signature_lines(&r), lines, "cold");
        let _ = std::fs::remove_file(cache.join("signatures.json"));
        assert_eq!(signature_lines(&r), lines, "history cached, signatures not");
    }
    let warm = outcome(&r);
    let warm_signatures = &warm.history.as_ref().expect("history").signatures;
    assert_eq!((warm_signatures.verified, warm_signatures.cached), (0, 527));
    assert_eq!(signature_lines(&r), lines, "warm");
}

#[test]
fn isms_diff_counts_an_unsigned_commit_added_to_a_standing_ind014_as_the_changes() {
    // BASE already has dave's unsigned audit commit (IND014); the change adds a second
    // unsigned record commit by dave: the same problem grew by one of the change's commits.
    let r = history("records", Audit::Unsigned);
    let base = r.repo.head().expect("head").target().expect("a commit");
    r.append("isms/findings/F-2026-001.toml", "# Rechecked.\n");
    let head = commit_signed(&r, DAVE, "2026-06-05", "Recheck F-2026-001", |_| None);
    let out = r
        .cmd()
        .args([
            "diff",
            &base.to_string(),
            &head.to_string(),
            "--format",
            "json",
        ])
        .output()
        .expect("runs");
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let introduced = j["impartiality"]["introduced"].as_array().expect("a list");
    assert_eq!(introduced.len(), 1, "{j:#}");
    assert_eq!(introduced[0]["code"], "IND014", "{j:#}");
    // A change that adds a signed commit brings nothing.
    r.append("isms/findings/F-2026-001.toml", "# Rechecked again.\n");
    let signed = own(&r, DAVE, "2026-06-06", "Recheck F-2026-001 again");
    let out = r
        .cmd()
        .args([
            "diff",
            &head.to_string(),
            &signed.to_string(),
            "--format",
            "json",
        ])
        .output()
        .expect("runs");
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(
        j["impartiality"]["introduced"],
        serde_json::json!([]),
        "{j:#}"
    );
}
