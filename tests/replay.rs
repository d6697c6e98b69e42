//! `isms init --example`: the embedded example ISMS written into a new git repository with its
//! history replayed by its own people checks clean, impartiality verified; the same with
//! `--plant` is caught; git's configuration is read as the git CLI reads it.

mod common;

use common::isms_with_git_config as isms;

use assert_cmd::Command;

const TODAY: &str = "2026-11-27";

fn run(cmd: &mut Command) -> (i32, String) {
    let out = cmd.output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), text)
}

#[test]
fn the_example_checks_clean_with_impartiality_verified_from_its_replayed_history() {
    let work = tempfile::tempdir().unwrap();
    let config = work.path().join("gitconfig");
    let acme = work.path().join("acme");
    let (code, text) = run(isms(&config).arg("init").arg("--example").arg(&acme));
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains("Created the example ISMS of Acme MedTech Ltd"),
        "{text}"
    );
    assert!(text.contains("--today 2026-11-27"), "{text}");

    let repo = git2::Repository::open(&acme).unwrap();
    assert_eq!(repo.head().unwrap().name().ok(), Some("refs/heads/main"));
    // Many commits, by several people, on the records' dates, never today.
    let mut walk = repo.revwalk().unwrap();
    walk.push_head().unwrap();
    let commits: Vec<git2::Commit<'_>> = walk
        .map(|id| repo.find_commit(id.unwrap()).unwrap())
        .collect();
    assert!(commits.len() > 100, "{} commits", commits.len());
    let authors: std::collections::BTreeSet<String> = commits
        .iter()
        .map(|c| c.author().email().unwrap_or("").to_string())
        .collect();
    assert!(authors.len() >= 8, "{authors:?}");
    let people = std::fs::read_to_string(acme.join("isms/people.toml")).unwrap();
    for email in &authors {
        assert!(
            people.contains(&format!("\"{email}\"")),
            "{email} is not in people.toml"
        );
    }
    let newest = commits
        .iter()
        .map(|c| c.author().when().seconds())
        .max()
        .unwrap();
    assert!(
        newest < 1_796_083_200,
        "a commit after 2026-12-01: {newest}"
    );
    // The work tree is the example as committed.
    let statuses = repo.statuses(None).unwrap();
    assert!(
        statuses.is_empty(),
        "uncommitted: {:?}",
        statuses
            .iter()
            .map(|s| s.path().map(str::to_string))
            .collect::<Vec<_>>()
    );

    let (code, text) = run(isms(&config).args(["check", "--today", TODAY]).arg(&acme));
    assert_eq!(code, 0, "{text}");
    // Clean, with its one exemption listed: a waiver approved by top management.
    assert!(
        text.contains("isms: 0 errors, 0 warnings, 1 info"),
        "{text}"
    );
    assert!(
        text.contains("info[IND012]: audit IA-2026-02 relies on 1 exemption: waiver for laura on area `supplier-management` approved by alice on 2026-05-27"),
        "{text}"
    );
    assert!(text.contains("\nimpartiality: verified against "), "{text}");
    // With a rule that judges impartiality left out, nothing claims it was verified.
    let (code, text) = run(isms(&config)
        .args(["check", "--today", TODAY, "--ignore", "IND007"])
        .arg(&acme));
    assert_eq!(code, 0, "{text}");
    assert!(!text.contains("impartiality: verified"), "{text}");
    for code in ["IND006", "IND007", "IND009"] {
        assert!(!text.contains(code), "{code}: {text}");
    }
    // The records that close the loop grow as they were kept: a review by its chair on the
    // day held, its decisions' completion by the ISMS office; an incident by its reviewer on
    // detection, review and validation; objectives month by month.
    let log: Vec<String> = commits
        .iter()
        .rev()
        .map(|c| {
            let day = jiff::Timestamp::from_second(c.author().when().seconds())
                .unwrap()
                .strftime("%Y-%m-%d")
                .to_string();
            format!(
                "{day} {} {}",
                c.author().name().unwrap_or(""),
                c.summary().ok().flatten().unwrap_or("")
            )
        })
        .collect();
    let picked = |needle: &str| -> Vec<&str> {
        log.iter()
            .filter(|l| l.contains(needle))
            .map(String::as_str)
            .collect()
    };
    assert_eq!(
        picked("MR-2026-10: "),
        [
            "2026-10-20 Alice Whitfield MR-2026-10: management review held",
            "2026-11-18 Dave Okafor MR-2026-10: decisions completed",
        ]
    );
    assert_eq!(
        picked("INC-2026-014: "),
        [
            "2026-10-06 Judy Marsh INC-2026-014: record",
            "2026-10-15 Judy Marsh INC-2026-014: post-incident review",
            "2026-11-23 Judy Marsh INC-2026-014: changes validated by IA-2026-05",
        ]
    );
    let objectives = picked("Objectives: results of");
    assert_eq!(objectives.len(), 8, "{objectives:?}");
    assert!(
        objectives.iter().all(|l| l.contains("Dave Okafor")),
        "{objectives:?}"
    );
    let first = repo
        .revparse_single(&format!(
            "{}:isms/objectives.toml",
            commits
                .iter()
                .find(|c| c.summary().ok().flatten() == Some("Objectives: results of 2026-03-31"))
                .unwrap()
                .id()
        ))
        .unwrap();
    let first = String::from_utf8_lossy(first.as_blob().unwrap().content()).to_string();
    assert!(first.contains("on = 2026-03-31") && !first.contains("on = 2026-04-30"));

    // The records cite no commit that the history lacks.
    assert!(!people.contains("3f9e2c1"));
    let checklist =
        std::fs::read_to_string(acme.join("isms/audits/IA-2026-03/checklist.toml")).unwrap();
    assert!(
        !checklist.contains("3f9e2c1"),
        "a commit that is not in the history is cited"
    );

    let (code, text) = run(isms(&config).args(["build", "--today", TODAY]).arg(&acme));
    assert_eq!(code, 0, "{text}");
    assert!(acme.join("isms/_site/index.html").is_file(), "{text}");
    // The site is ignored by git, so building leaves the repository clean.
    let mut options = git2::StatusOptions::new();
    options.include_ignored(false).include_untracked(true);
    assert!(repo.statuses(Some(&mut options)).unwrap().is_empty());
}

#[test]
fn a_planted_conflict_is_caught_as_ind002_naming_the_audit_lead() {
    let work = tempfile::tempdir().unwrap();
    let config = work.path().join("gitconfig");
    let acme = work.path().join("acme");
    let (code, text) = run(isms(&config)
        .args(["init", "--example", "--plant"])
        .arg(&acme));
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains("Planted a conflict: heidi, lead of audit IA-2026-01"),
        "{text}"
    );

    let (code, text) = run(isms(&config)
        .args(["check", "--today", TODAY, "--select", "IND"])
        .arg(&acme));
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("error[IND002]"), "{text}");
    assert!(text.contains("auditor heidi of IA-2026-01"), "{text}");
    assert!(!text.contains("impartiality: verified"), "{text}");
}

#[test]
fn init_example_refuses_a_folder_that_is_not_empty_and_leaves_it_alone() {
    let work = tempfile::tempdir().unwrap();
    let config = work.path().join("gitconfig");
    let dir = work.path().join("mine");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("notes.txt"), "mine").unwrap();
    let (code, text) = run(isms(&config).args(["init", "--example"]).arg(&dir));
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("is not empty"), "{text}");
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
    assert_eq!(
        std::fs::read_to_string(dir.join("notes.txt")).unwrap(),
        "mine"
    );

    let (code, text) = run(isms(&config)
        .args(["init", "--plant"])
        .arg(work.path().join("new")));
    assert_eq!(code, 2, "--plant without --example: {text}");
}

#[test]
fn init_reads_git_config_global_with_its_includes_for_the_person_and_the_default_branch() {
    let work = tempfile::tempdir().unwrap();
    let config = work.path().join("gitconfig");
    let included = work.path().join("identity.gitconfig");
    std::fs::write(
        &included,
        "[user]\n\tname = Dana Reyes\n\temail = dana@example.org\n[init]\n\tdefaultBranch = trunk\n",
    )
    .unwrap();
    std::fs::write(
        &config,
        format!("[include]\n\tpath = {}\n", included.display()),
    )
    .unwrap();

    let isms_dir = work.path().join("new-isms");
    let (code, text) = run(isms(&config)
        .args(["init", "--today", "2026-11-02"])
        .arg(&isms_dir));
    assert_eq!(code, 0, "{text}");
    let people = std::fs::read_to_string(isms_dir.join("people.toml")).unwrap();
    assert!(
        people.contains("id = \"dana-reyes\"") && people.contains("\"dana@example.org\""),
        "{people}"
    );
    let repo = git2::Repository::open(&isms_dir).unwrap();
    assert_eq!(
        repo.find_reference("HEAD")
            .unwrap()
            .symbolic_target()
            .ok()
            .flatten(),
        Some("refs/heads/trunk")
    );

    let acme = work.path().join("acme");
    let (code, text) = run(isms(&config).args(["init", "--example"]).arg(&acme));
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("(branch trunk)"), "{text}");
    let repo = git2::Repository::open(&acme).unwrap();
    assert_eq!(repo.head().unwrap().name().ok(), Some("refs/heads/trunk"));
}
