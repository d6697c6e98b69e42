//! Hostile and broken input gives a located diagnostic or a refusal, never a panic or a hazard:
//! numbers out of range, confusable ids, dates in the future, a full stdout, an output folder
//! that holds an ISMS, symlinked templates and evidence, active evidence, colliding pages,
//! SARIF paths and Markdown for pull requests. Each reproduces a case of the hardening issue.

mod common;
mod gitrepo;

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use common::{Edit, Replace, Scratch, TODAY, Write};

/// Checks the edited base fixture and snapshots the report under the case's name.
fn case(name: &str, today: &str, edits: &[Edit]) {
    let report = Scratch::new("base", edits).check(today);
    insta::assert_snapshot!(name, report);
}

fn isms() -> Command {
    let mut cmd = Command::cargo_bin("isms").expect("the isms binary");
    cmd.env_remove("ISMS_TODAY")
        .env_remove("GITHUB_STEP_SUMMARY");
    cmd
}

// ---- numbers out of range: LOAD002 naming the range, before any date arithmetic ----------

#[test]
fn load002_month_counts_out_of_range_name_the_range() {
    case(
        "load002_months_out_of_range",
        TODAY,
        &[
            Replace(
                "documents/engineering/access.md",
                "review_months = 12",
                "review_months = 239977",
            ),
            Replace(
                "isms.toml",
                "cycle_months = 12",
                "cycle_months = 2147483648",
            ),
            Replace("isms.toml", "lookback_months = 24", "lookback_months = 0"),
            Replace("isms.toml", "review_months = 12", "review_months = 65536"),
        ],
    );
}

#[test]
fn every_count_setting_out_of_range_is_a_load002_not_a_panic() {
    let cases = [
        (
            "frequency_months = { high = 6,",
            "frequency_months = { high = 239977,",
            "from 1 to 120",
        ),
        (
            "nc_followup_months = 6",
            "nc_followup_months = 4294967296",
            "from 1 to 120",
        ),
        ("notice_days = 14", "notice_days = 7300000", "from 0 to 365"),
        ("notice_days = 14", "notice_days = -1", "from 0 to 365"),
        (
            "[independence]",
            "[findings]\nanalysis_days = 7300000\n\n[independence]",
            "from 1 to 3650",
        ),
        (
            "[independence]",
            "[findings]\nmajor_max_days = 0\n\n[independence]",
            "from 1 to 3650",
        ),
        ("scale = 5", "scale = 0", "from 2 to 10"),
        ("scale = 5", "scale = 256", "from 2 to 10"),
    ];
    for (from, to, range) in cases {
        let scratch = Scratch::new("base", &[Replace("isms.toml", from, to)]);
        let report = scratch.check(TODAY);
        assert!(
            report.contains("LOAD002") && report.contains(range) && report.contains("isms.toml:"),
            "{to}:\n{report}"
        );
    }
}

#[test]
fn load002_acceptance_threshold_above_the_highest_score() {
    case(
        "load002_threshold_above_the_scale",
        TODAY,
        &[Replace(
            "isms.toml",
            "acceptance_threshold = 8",
            "acceptance_threshold = 26",
        )],
    );
    let report = Scratch::new(
        "base",
        &[Replace(
            "isms.toml",
            "acceptance_threshold = 8",
            "acceptance_threshold = 2147483647",
        )],
    )
    .check(TODAY);
    assert!(report.contains("from 0 to 100"), "{report}");
}

#[test]
fn the_highest_threshold_and_longest_counts_in_range_are_accepted() {
    let codes = Scratch::new(
        "base",
        &[
            Replace(
                "isms.toml",
                "acceptance_threshold = 8",
                "acceptance_threshold = 25",
            ),
            Replace("isms.toml", "cycle_months = 12", "cycle_months = 120"),
            Replace("isms.toml", "notice_days = 14", "notice_days = 0"),
            Replace(
                "documents/engineering/access.md",
                "review_months = 12",
                "review_months = 120",
            ),
        ],
    )
    .codes(TODAY);
    assert!(!codes.contains(&"LOAD002"), "{codes:?}");
}

#[test]
fn huge_risk_scores_do_not_overflow() {
    let report = Scratch::new(
        "base",
        &[Replace(
            "risks.toml",
            "likelihood = 4\n",
            "likelihood = 9223372036854775807\n",
        )],
    )
    .check(TODAY);
    assert!(report.contains("RISK001"), "{report}");
}

// ---- ids are ASCII ------------------------------------------------------------------------

#[test]
fn load002_confusable_and_invisible_characters_in_ids() {
    case(
        "load002_confusable_ids",
        TODAY,
        &[
            Replace("risks.toml", "id = \"R-003\"", "id = \"R\u{2010}003\""),
            Replace(
                "documents/engineering/access.md",
                "id = \"POL-ACCESS\"",
                "id = \"P\u{041E}L-ACCESS\u{200B}\"",
            ),
        ],
    );
}

#[test]
fn load003_ids_that_differ_only_in_case() {
    let report = Scratch::new(
        "base",
        &[Replace("risks.toml", "id = \"R-003\"", "id = \"r-001\"")],
    )
    .check(TODAY);
    assert!(
        report.contains("LOAD003")
            && report.contains("risk id `r-001` differs from `R-001` only in case"),
        "{report}"
    );
}

// ---- dates that record the past -----------------------------------------------------------

#[test]
fn load005_an_approval_after_today() {
    case(
        "load005_approval_in_the_future",
        TODAY,
        &[
            Replace(
                "documents/engineering/access.md",
                "approved_on = 2026-02-10",
                "approved_on = 2026-07-10",
            ),
            Replace(
                "risks.toml",
                "accepted_on = 2026-02-01",
                "accepted_on = 2027-02-01",
            ),
        ],
    );
}

#[test]
fn load005_near_miss_an_approval_today() {
    let codes = Scratch::new(
        "base",
        &[Replace(
            "documents/engineering/access.md",
            "approved_on = 2026-02-10",
            "approved_on = 2026-06-01",
        )],
    )
    .codes(TODAY);
    assert!(!codes.contains(&"LOAD005"), "{codes:?}");
}

#[test]
fn load005_completion_distribution_and_verification_after_today() {
    let example = common::fixture("example");
    let ws = isms::workspace::Workspace::find(Some(&example)).unwrap();
    // The example's records run to 2026-11; a day in the spring puts many of them ahead.
    let outcome = isms::check::run(&ws, isms::model::Date::parse("2026-05-01").unwrap());
    let future: Vec<&str> = outcome
        .diagnostics
        .iter()
        .filter(|d| d.code() == "LOAD005")
        .map(|d| d.message.as_str())
        .collect();
    for field in [
        "completed_on",
        "distributed_on",
        "verification on",
        "approved_on",
    ] {
        assert!(
            future.iter().any(|m| m.contains(&format!(": {field} "))),
            "no LOAD005 for {field}: {future:#?}"
        );
    }
    let today = isms::check::run(&ws, isms::model::Date::parse("2026-11-27").unwrap());
    assert!(!today.diagnostics.iter().any(|d| d.code() == "LOAD005"));
}

// ---- output --------------------------------------------------------------------------------

#[cfg(target_os = "linux")]
#[test]
fn a_full_stdout_is_exit_2_with_one_line() {
    let example = common::fixture("example");
    for args in [
        vec!["check", "--no-git", "--today", "2026-11-27"],
        vec![
            "check",
            "--no-git",
            "--format",
            "json",
            "--today",
            "2026-11-27",
        ],
        vec!["rules"],
        vec!["schema", "risks"],
        vec!["export", "soa", "--format", "csv", "--today", "2026-11-27"],
    ] {
        let full = fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("isms"))
            .current_dir(&example)
            .args(&args)
            .env_remove("ISMS_TODAY")
            .stdout(full)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        let error_lines: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error")).collect();
        assert_eq!(
            error_lines,
            ["error: cannot write the output: No space left on device (os error 28)"],
            "{args:?}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_stderr_does_not_panic() {
    let full = fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("isms"))
        .args(["check", "/no/such/isms"])
        .stderr(full)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[cfg(target_os = "linux")]
#[test]
fn isms_diff_to_a_full_stdout_is_exit_2() {
    let repo = gitrepo::TestRepo::clean();
    let full = fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("isms"))
        .current_dir(repo.isms())
        .args(["diff", "HEAD~1", "HEAD"])
        .env("ISMS_TODAY", gitrepo::TODAY)
        .stdout(full)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("error: cannot write the output"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[cfg(unix)]
#[test]
fn a_closed_pipe_stays_quiet() {
    use std::io::Read;
    use std::process::{Command as Process, Stdio};
    let mut child = Process::new(assert_cmd::cargo::cargo_bin("isms"))
        .current_dir(common::fixture("example"))
        .args([
            "check",
            "--no-git",
            "--format",
            "sarif",
            "--today",
            "2026-11-27",
        ])
        .env_remove("ISMS_TODAY")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap(); // then dropped: closed
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    assert!(stderr.is_empty(), "{stderr}");
    assert_ne!(status.code(), Some(101));
}

// ---- the site ------------------------------------------------------------------------------

fn build(path: &Path, out: &Path) -> assert_cmd::assert::Assert {
    isms()
        .arg("build")
        .arg(path)
        .arg("--out")
        .arg(out)
        .args(["--today", "2026-11-27", "--no-git"])
        .assert()
}

#[test]
fn build_refuses_an_isms_as_its_output_even_with_the_marker() {
    let scratch = Scratch::new("base", &[]);
    fs::write(scratch.path().join(".isms-site"), "").unwrap();
    fs::create_dir(scratch.path().join(".git")).unwrap();
    let before = fs::read_dir(scratch.path()).unwrap().count();
    build(scratch.path(), scratch.path())
        .code(2)
        .stderr(predicates::str::contains("is the ISMS folder or holds it"));
    assert_eq!(fs::read_dir(scratch.path()).unwrap().count(), before);
    assert!(scratch.path().join("isms.toml").exists());
    // Another ISMS, marked as a site by mistake.
    let other = Scratch::new("base", &[Write(".isms-site", b"")]);
    build(scratch.path(), other.path())
        .code(2)
        .stderr(predicates::str::contains("holds `isms.toml`"));
    assert!(other.path().join("isms.toml").exists());
    assert!(other.path().join("documents/isms/policy.md").exists());
}

#[test]
fn build_refuses_a_folder_holding_a_repository_or_the_isms() {
    let dir = tempfile::tempdir().unwrap();
    let isms_root = dir.path().join("isms");
    common::copy_dir(&common::fixture("base"), &isms_root);
    fs::write(dir.path().join(".isms-site"), "").unwrap();
    // The parent of the ISMS, marked as a site: emptying it would delete the ISMS.
    build(&isms_root, dir.path())
        .code(2)
        .stderr(predicates::str::contains("is the ISMS folder or holds it"));
    assert!(isms_root.join("isms.toml").exists());
    let repo = dir.path().join("repo");
    fs::create_dir_all(repo.join(".git")).unwrap();
    fs::write(repo.join(".isms-site"), "").unwrap();
    build(&isms_root, &repo)
        .code(2)
        .stderr(predicates::str::contains("holds `.git`"));
    assert!(repo.join(".git").exists());
}

#[cfg(unix)]
#[test]
fn build_refuses_symlinked_templates() {
    let outside = tempfile::tempdir().unwrap();
    fs::create_dir_all(outside.path().join("templates")).unwrap();
    fs::write(outside.path().join("templates/base.html"), "stolen").unwrap();
    for link in [".isms", ".isms/templates"] {
        let scratch = Scratch::new("base", &[]);
        let at = scratch.path().join(link);
        fs::create_dir_all(at.parent().unwrap()).unwrap();
        let target = if link == ".isms" {
            outside.path().to_path_buf()
        } else {
            outside.path().join("templates")
        };
        std::os::unix::fs::symlink(target, &at).unwrap();
        let site = tempfile::tempdir().unwrap();
        build(scratch.path(), &site.path().join("site"))
            .code(2)
            .stderr(predicates::str::contains("is a symbolic link"));
    }
}

#[test]
fn active_evidence_is_published_as_text() {
    let scratch = Scratch::new(
        "base",
        &[
            Write(
                "evidence/diagram.svg",
                b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>",
            ),
            Write("evidence/report.HTML", b"<script>alert(2)</script>"),
            Write("evidence/scan.pdf", b"%PDF-1.4"),
            Replace(
                "soa.toml",
                "documents = [\"POL-ACCESS\"]\nevidence = [\"evidence/access-review-2026-q1.md\"]",
                "documents = [\"POL-ACCESS\"]\nevidence = [\"evidence/access-review-2026-q1.md\", \"evidence/diagram.svg\", \"evidence/report.HTML\", \"evidence/scan.pdf\"]",
            ),
        ],
    );
    let site = tempfile::tempdir().unwrap();
    let out = site.path().join("site");
    build(scratch.path(), &out).success();
    assert!(out.join("files/evidence/diagram.svg.txt").is_file());
    assert!(out.join("files/evidence/report.HTML.txt").is_file());
    assert!(!out.join("files/evidence/diagram.svg").exists());
    assert!(!out.join("files/evidence/report.HTML").exists());
    assert!(out.join("files/evidence/scan.pdf").is_file());
    let page = fs::read_to_string(out.join("controls/A.5.15.html")).unwrap();
    assert!(
        page.contains("href=\"../files/evidence/diagram.svg.txt\""),
        "{page}"
    );
    assert!(
        !page.contains("href=\"../files/evidence/diagram.svg\""),
        "{page}"
    );
    assert!(
        page.contains("href=\"../files/evidence/scan.pdf\""),
        "{page}"
    );
}

#[cfg(unix)]
#[test]
fn load001_symlinked_evidence_is_reported_and_not_published() {
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("secret.pdf"), "secret").unwrap();
    let scratch = Scratch::new(
        "base",
        &[Replace(
            "soa.toml",
            "documents = [\"POL-ACCESS\"]\nevidence = [\"evidence/access-review-2026-q1.md\"]",
            "documents = [\"POL-ACCESS\"]\nevidence = [\"evidence/access-review-2026-q1.md\", \"evidence/linked.pdf\"]",
        )],
    );
    std::os::unix::fs::symlink(
        outside.path().join("secret.pdf"),
        scratch.path().join("evidence/linked.pdf"),
    )
    .unwrap();
    let report = scratch.check(TODAY);
    insta::assert_snapshot!("load001_symlinked_evidence", report);
    let site = tempfile::tempdir().unwrap();
    let out = site.path().join("site");
    build(scratch.path(), &out).success();
    assert!(!out.join("files/evidence/linked.pdf").exists());
    let page = fs::read_to_string(out.join("controls/A.5.15.html")).unwrap();
    assert!(!page.contains("files/evidence/linked.pdf"), "{page}");
}

#[test]
fn pages_of_ids_that_differ_only_in_case_never_overwrite_each_other() {
    let scratch = Scratch::new(
        "base",
        &[Write(
            "documents/engineering/copy.md",
            b"+++\nid = \"pol-access\"\nkind = \"record\"\ntitle = \"A copy\"\n+++\n# Copy\n",
        )],
    );
    assert!(scratch.codes(TODAY).contains(&"LOAD003"));
    let site = tempfile::tempdir().unwrap();
    build(scratch.path(), &site.path().join("site"))
        .code(2)
        .stderr(predicates::str::contains(
            "two pages would be written to one file",
        ));
}

#[test]
fn every_page_of_the_example_site_has_its_own_file() {
    // Distinct ids give distinct page files, also ignoring case.
    let site = tempfile::tempdir().unwrap();
    let out = site.path().join("site");
    build(&common::fixture("example"), &out).success();
    let mut seen = std::collections::BTreeSet::new();
    for entry in walkdir::WalkDir::new(&out) {
        let entry = entry.unwrap();
        let rel = entry
            .path()
            .strip_prefix(&out)
            .unwrap()
            .to_string_lossy()
            .to_lowercase();
        assert!(seen.insert(rel.clone()), "{rel} twice");
    }
    assert!(seen.len() > 100, "{}", seen.len());
}

// ---- SARIF ---------------------------------------------------------------------------------

fn sarif_of(dir: &Path) -> serde_json::Value {
    let out = isms()
        .current_dir(dir)
        .args(["check", "--no-git", "--format", "sarif", "--today", TODAY])
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).expect("SARIF is JSON")
}

#[test]
fn sarif_uris_are_percent_encoded_valid_and_round_trip() {
    let names = [
        "documents/engineering/with space.md",
        "documents/engineering/hash#and%percent?.md",
        "documents/engineering/colon:ü.md",
        "documents/engineering/tab\tname.md",
    ];
    let edits: Vec<Edit> = names
        .iter()
        .map(|n| Write(n, b"no front matter\n".as_slice()))
        .collect();
    let scratch = Scratch::new("base", &edits);
    let log = sarif_of(scratch.path());

    let schema_path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/reference/sarif-schema-2.1.0.json");
    let schema: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(schema_path).unwrap()).unwrap();
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler.add_resource("sarif.json", schema).unwrap();
    let index = compiler.compile("sarif.json", &mut schemas).unwrap();
    if let Err(e) = schemas.validate(&log, index) {
        panic!("SARIF breaks the official schema: {e:#}");
    }

    let base = url::Url::parse("file:///repo/").unwrap();
    let uris: Vec<&str> = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str())
        .collect();
    for name in names {
        let uri = uris
            .iter()
            .find(|u| {
                let joined = base.join(u).unwrap();
                let path = joined.to_file_path().unwrap();
                path == Path::new("/repo").join(name)
            })
            .unwrap_or_else(|| panic!("no URI decodes to {name}: {uris:#?}"));
        assert!(
            uri.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-._~/%".contains(&b)),
            "{uri}"
        );
    }
    assert!(
        uris.contains(&"documents/engineering/with%20space.md"),
        "{uris:#?}"
    );
    assert!(
        uris.contains(&"documents/engineering/hash%23and%25percent%3F.md"),
        "{uris:#?}"
    );
}
