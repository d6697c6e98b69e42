//! The example's site, built from its replayed history, page by page: a snapshot of a few
//! pages' HTML (the dashboard, an audit, a control and a framework), so a change to the page
//! contexts that alters what a template receives shows up here, and templates users override
//! keep working unchanged.

use std::path::Path;

use assert_cmd::Command;

const TODAY: &str = "2026-11-27";

/// `isms` with git's configuration confined to an empty file, so the machine's settings play
/// no part.
fn isms(config: &Path) -> Command {
    if !config.exists() {
        std::fs::write(config, "").unwrap();
    }
    let mut cmd = Command::cargo_bin("isms").unwrap();
    cmd.env("GIT_CONFIG_GLOBAL", config)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env_remove("ISMS_TODAY");
    cmd
}

/// The example replayed into a new repository and its site built, in `work`.
fn example_site(work: &Path) -> std::path::PathBuf {
    let config = work.join("gitconfig");
    let acme = work.join("acme");
    isms(&config)
        .args(["init", "--example"])
        .arg(&acme)
        .assert()
        .success();
    let out = work.join("site");
    isms(&config)
        .arg("build")
        .arg(&acme)
        .args(["--today", TODAY, "--out"])
        .arg(&out)
        .assert()
        .success();
    out
}

#[test]
fn the_example_site_pages_are_as_their_templates_render_them() {
    let work = tempfile::tempdir().unwrap();
    let out = example_site(work.path());
    for (name, page) in [
        ("dashboard", "index.html"),
        ("audit", "audits/IA-2026-05.html"),
        ("control", "controls/A.8.8.html"),
        ("framework", "frameworks/eu-mdr-cybersecurity.html"),
    ] {
        let html = std::fs::read_to_string(out.join(page)).unwrap();
        insta::assert_snapshot!(name, html);
    }
}

#[test]
fn a_document_page_names_the_commit_that_recorded_its_approval() {
    let work = tempfile::tempdir().unwrap();
    let out = example_site(work.path());
    let html = std::fs::read_to_string(out.join("documents/POL-ACCESS.html")).unwrap();
    let versions = html
        .split("<h2>Version history")
        .nth(1)
        .expect("a versions section");
    // Drafted by its owner, then approved in a commit of its approver: one approving commit.
    assert_eq!(versions.matches("recorded here").count(), 1, "{versions}");
    assert!(versions.contains("approval of 2026-02-10 recorded here"));
}
