//! The real fixture (issue 20): tests/fixtures/gitlab-handbook, an ISMS modelled on GitLab's
//! public handbook, checked with a git history built the way that organisation works: records
//! committed by whoever keeps them, controlled documents changed on branches and merged (or
//! squashed) by someone other than the change's author with an `Approved-by:` trailer. It must
//! check with no error, and every remaining diagnostic is a gap the organisation would accept.

mod gitrepo;

use git2::{Oid, Signature};
use gitrepo::{TestRepo, line, time};
use isms::check::GitMode;
use isms::diagnostics::Severity;

const FIXTURE: &str = "tests/fixtures/gitlab-handbook";

// The people of people.toml, as they commit.
const ANA: (&str, &str) = ("Ana Sato", "ana@gitlab.example");
const BEN: (&str, &str) = ("Ben Adeyemi", "ben@gitlab.example");
const CHLOE: (&str, &str) = ("Chloe Marchetti", "chloe@gitlab.example");
const DAN: (&str, &str) = ("Dan Kowalczyk", "dan@gitlab.example");
const FEMI: (&str, &str) = ("Femi Okoro", "femi@gitlab.example");
const GIA: (&str, &str) = ("Gia Romano", "gia@gitlab.example");
const HAL: (&str, &str) = ("Hal Brennan", "hal@gitlab.example");
const INES: (&str, &str) = ("Ines Duarte", "ines@gitlab.example");

/// The trailer of an approval by the VP Security, a code owner of every controlled document.
const APPROVED_BY_VAL: &str = "Approved-by: Val Petrov <val@gitlab.example>";
/// The trailer of an approval by Ana, a member of the code owners' team.
const APPROVED_BY_ANA: &str = "Approved-by: Ana Sato <ana@gitlab.example>";

/// The fixture's text of `path` (relative to the ISMS root).
fn fixture(path: &str) -> String {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE);
    std::fs::read_to_string(root.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// `text` up to (without) the first line that is `marker`: a record as it was before the part
/// that starts there was added.
fn before(text: &str, marker: &str) -> String {
    let at = text
        .find(&format!("\n{marker}\n"))
        .unwrap_or_else(|| panic!("`{marker}` is not a line of the record"));
    text[..=at].to_string()
}

const ACCESS_POLICY: &str = "documents/access/access-management-policy.md";
const OBSERVATION_PROCEDURE: &str = "documents/isms/observation-management-procedure.md";

/// The text of a controlled document as it was first approved: the access policy asked for
/// reviews twice a year, and the observation procedure said nothing of risk acceptance yet.
fn first_version(path: &str) -> String {
    let text = fixture(path);
    match path {
        ACCESS_POLICY => text.replace("reviewed quarterly", "reviewed twice a year"),
        OBSERVATION_PROCEDURE => before(&text, "## Risk acceptance"),
        _ => text,
    }
}

/// The repository as the organisation builds it, the ISMS in `isms/`.
struct Handbook {
    r: TestRepo,
}

impl Handbook {
    /// Writes the fixture's `path` as it is now.
    fn put(&self, path: &str) {
        self.r.write(&format!("isms/{path}"), &fixture(path));
    }

    /// Writes `text` at the ISMS's `path`.
    fn put_text(&self, path: &str, text: &str) {
        self.r.write(&format!("isms/{path}"), text);
    }

    /// A commit by one person (author and committer).
    fn commit(&self, who: (&str, &str), date: &str, message: &str) -> Oid {
        self.r.commit(who, date, message)
    }

    /// A commit of the working tree whose author and committer differ, as a squash merge by a
    /// maintainer records it.
    fn squash(&self, author: (&str, &str), committer: (&str, &str), date: &str, message: &str) {
        let tree = self.r.stage();
        let tree = self.r.repo.find_tree(tree).unwrap();
        let parent = self.r.repo.find_commit(self.r.tip()).unwrap();
        let author = Signature::new(author.0, author.1, &time(date)).unwrap();
        let committer = Signature::new(committer.0, committer.1, &time(date)).unwrap();
        let oid = self
            .r
            .repo
            .commit(None, &author, &committer, message, &tree, &[&parent])
            .unwrap();
        self.r.advance(oid);
    }

    /// `text` written at `path` by `author` on a branch on `authored`, merged on `merged` by
    /// `merger` with `trailer`.
    fn merge_request(
        &self,
        (author, merger): ((&str, &str), (&str, &str)),
        (authored, merged): (&str, &str),
        (path, text): (&str, &str),
        title: &str,
        trailer: &str,
    ) {
        let base = self.r.tip();
        self.put_text(path, text);
        let side = self.commit(author, authored, title);
        self.r.advance(base);
        let tree = self.r.tree_of(side);
        let message = format!(
            "Merge branch '{}' into 'main'\n\n{title}\n\n{trailer}\n",
            title.to_lowercase().replace(' ', "-")
        );
        self.r
            .commit_tree(merger, merged, &message, tree, &[base, side]);
    }

    /// The whole history, from the set-up to the plan of the second internal audit.
    fn build() -> Self {
        let h = Handbook {
            r: TestRepo::empty(),
        };
        // Security Compliance sets the ISMS up.
        for path in [
            "README.md",
            "isms.toml",
            "people.toml",
            "teams.toml",
            "areas.toml",
            "controls.toml",
            "soa.toml",
            "audits/programme.toml",
        ] {
            h.put(path);
        }
        h.commit(ANA, "2026-02-02", "Set up the ISMS for FY27");

        // Each controlled document is written by its owners and merged once a code owner
        // approved the merge request.
        for (author, path, title) in [
            (
                ANA,
                "documents/isms/information-security-policy.md",
                "Information security policy",
            ),
            (
                BEN,
                "documents/isms/observation-management-procedure.md",
                "Observation management procedure",
            ),
            (
                DAN,
                "documents/access/access-management-policy.md",
                "Access management policy",
            ),
            (
                FEMI,
                "documents/infrastructure/change-management-policy.md",
                "Change management policy",
            ),
            (
                CHLOE,
                "documents/risk/storm-procedure.md",
                "StORM procedure",
            ),
            (
                GIA,
                "documents/incident/incident-response-policy.md",
                "Incident response policy",
            ),
            (
                HAL,
                "documents/people/security-awareness-policy.md",
                "Security awareness policy",
            ),
        ] {
            let merger = if author == ANA { BEN } else { ANA };
            h.merge_request(
                (author, merger),
                ("2026-02-10", "2026-02-16"),
                (path, &first_version(path)),
                title,
                APPROVED_BY_VAL,
            );
        }

        // The risk register, then the certification body's surveillance audit, transcribed.
        h.put_text(
            "risks.toml",
            &before(&fixture("risks.toml"), "[[risk]]\nid = \"R-003\""),
        );
        h.commit(CHLOE, "2026-03-02", "StORM: FY27 risk register");
        for path in ["audits/CB-FY27-S1/plan.toml", "audits/CB-FY27-S1/report.md"] {
            h.put(path);
        }
        let nc = fixture("findings/F-FY27-002.toml");
        h.put_text("findings/F-FY27-002.toml", &before(&nc, "[root_cause]"));
        h.commit(
            ANA,
            "2026-03-16",
            "CB-FY27-S1: transcribe the surveillance report",
        );

        // The service auditor's SOC 2 report, transcribed.
        for path in ["audits/SOC2-FY26/plan.toml", "audits/SOC2-FY26/report.md"] {
            h.put(path);
        }
        h.commit(
            ANA,
            "2026-03-30",
            "SOC2-FY26: transcribe the SOC 2 Type 2 report",
        );

        // A change to the access policy, approved in review and merged by a maintainer.
        h.merge_request(
            (DAN, ANA),
            ("2026-04-01", "2026-04-02"),
            (ACCESS_POLICY, &fixture(ACCESS_POLICY)),
            "Quarterly access reviews",
            APPROVED_BY_VAL,
        );

        // Internal Audit plans the first internal audit.
        h.put("audits/IA-FY27-01/plan.toml");
        h.commit(INES, "2026-04-20", "Plan IA-FY27-01");

        // The certification body's nonconformity answered by Security Compliance.
        h.put_text("findings/F-FY27-002.toml", &before(&nc, "[verification]"));
        h.commit(
            ANA,
            "2026-04-24",
            "F-FY27-002: root cause and completed action",
        );

        // The customer's assessment, transcribed; its observation closed by accepting R-003.
        for path in ["audits/CA-FY27-01/plan.toml", "audits/CA-FY27-01/report.md"] {
            h.put(path);
        }
        let obs = fixture("findings/F-FY27-003.toml");
        h.put_text("findings/F-FY27-003.toml", &before(&obs, "# Remediation is not pursued: contractors sign the acceptable use terms and work through a"));
        h.commit(
            BEN,
            "2026-04-27",
            "CA-FY27-01: transcribe the customer's assessment",
        );
        h.put("risks.toml");
        h.commit(
            DAN,
            "2026-05-04",
            "R-003: retain, accepted with the VP Security",
        );
        h.put("findings/F-FY27-003.toml");
        h.commit(ANA, "2026-05-04", "Close F-FY27-003: risk accepted (R-003)");

        // The first internal audit's records, by Internal Audit.
        h.put("audits/IA-FY27-01/checklist.toml");
        h.put("audits/IA-FY27-01/report.md");
        let f1 = fixture("findings/F-FY27-001.toml");
        h.put_text("findings/F-FY27-001.toml", &before(&f1, "correction = \"Both reviews were completed on 2026-05-22; 3 stale accounts removed.\""));
        h.commit(
            INES,
            "2026-05-14",
            "IA-FY27-01: checklist, report and F-FY27-001",
        );

        // F-FY27-002's verification by the internal auditor, and its closure.
        h.put_text("findings/F-FY27-002.toml", &before(&nc, "[closure]"));
        h.commit(INES, "2026-05-20", "Verify F-FY27-002");
        h.put("findings/F-FY27-002.toml");
        h.commit(ANA, "2026-05-22", "Close F-FY27-002");

        // The observation procedure's change, squashed by a code owner who did not write it.
        h.put(OBSERVATION_PROCEDURE);
        h.squash(
            BEN,
            ANA,
            "2026-05-26",
            &format!("Observation procedure: risk acceptance (!412)\n\n{APPROVED_BY_ANA}\n"),
        );

        h.put("findings/F-FY27-001.toml");
        h.commit(
            DAN,
            "2026-05-27",
            "F-FY27-001: correction, root cause and action",
        );
        h.put("audits/IA-FY27-02/plan.toml");
        h.commit(INES, "2026-06-01", "Plan IA-FY27-02");
        h
    }
}

#[test]
fn the_fixture_checks_with_history_without_an_error_and_only_accepted_gaps() {
    let h = Handbook::build();
    let diagnostics = h.r.check(GitMode::Head);
    let errors: Vec<String> = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(line)
        .collect();
    assert_eq!(errors, Vec::<String>::new());
    // Every remaining diagnostic, each a gap the organisation accepts. None remains: teams,
    // the own control framework, evidence in the compliance tool, approvals by merge request,
    // risk levels, ratings, transcribed external audits and the risk-accepted observation are
    // all understood.
    let remaining: Vec<String> = diagnostics.iter().map(line).collect();
    assert_eq!(remaining, Vec::<String>::new());
}

/// The full history, then a change to the information security policy written by Ben and
/// merged by Ana with `trailer` in the merge commit's message.
fn with_policy_change(trailer: &str) -> Handbook {
    let h = Handbook::build();
    let policy = "documents/isms/information-security-policy.md";
    let changed = fixture(policy).replace(
        "Security objectives are set yearly",
        "Security objectives are set every half-year",
    );
    h.merge_request(
        (BEN, ANA),
        ("2026-06-08", "2026-06-09"),
        (policy, &changed),
        "Half-yearly objectives",
        trailer,
    );
    h
}

#[test]
fn the_history_is_read_a_policy_change_merged_without_approval_is_doc004() {
    let h = with_policy_change("See merge request !433");
    insta::assert_snapshot!(h.r.lines().join("\n"));
}

#[test]
fn doc004_near_miss_the_same_change_approved_by_a_code_owner() {
    let h = with_policy_change(APPROVED_BY_VAL);
    assert_eq!(h.r.lines(), Vec::<String>::new());
}

#[test]
fn the_fixture_builds_its_site_and_exports_as_a_user_runs_them() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE);
    let out = tempfile::tempdir().unwrap();
    assert_cmd::Command::cargo_bin("isms")
        .unwrap()
        .args(["build", "--no-git", "--today", gitrepo::TODAY, "--out"])
        .arg(out.path())
        .arg(&root)
        .assert()
        .success();
    let page = std::fs::read_to_string(out.path().join("findings/F-FY27-003.html")).unwrap();
    assert!(page.contains("by accepting the risk"), "{page}");
    let csv = assert_cmd::Command::cargo_bin("isms")
        .unwrap()
        .args(["export", "findings", "--today", gitrepo::TODAY])
        .arg(&root)
        .assert()
        .success();
    let csv = String::from_utf8(csv.get_output().stdout.clone()).unwrap();
    assert!(
        csv.contains("risk accepted (R-003) by Dan Kowalczyk, Val Petrov"),
        "{csv}"
    );
}
