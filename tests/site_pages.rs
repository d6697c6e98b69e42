//! The example's site, built from its replayed history, page by page: a snapshot of a few
//! pages' HTML (the dashboard, an audit, a control and a framework), so a change to the page
//! contexts that alters what a template receives shows up here, and templates users override
//! keep working unchanged.

mod common;

use common::isms_with_git_config as isms;

use std::path::Path;

const TODAY: &str = "2026-11-27";

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

/// The page with each short commit id (7 hex digits, with a letter and a digit, or digits only
/// at the start of a `mono` cell) as `<commit>`:
/// the replayed history's ids change with any record the example gains, its pages should not.
fn without_commit_ids(html: &str) -> String {
    let mut out = String::new();
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        let commit = word.len() == 7
            && word.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
            && word.bytes().any(|b| b.is_ascii_digit())
            // An id of digits only (`9860786`) is taken for one in a commit cell.
            && (word.bytes().any(|b| b.is_ascii_lowercase()) || out.ends_with("class=\"mono\">"));
        out.push_str(if commit { "<commit>" } else { word });
        word.clear();
    };
    for c in html.chars() {
        if c.is_ascii_alphanumeric() {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
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
        insta::assert_snapshot!(name, without_commit_ids(&html));
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

/// The points of a chart's series, as their `<title>`s describe them.
fn claims(html: &str, chart: &str) -> Vec<String> {
    let from = html
        .find(chart)
        .unwrap_or_else(|| panic!("no chart {chart}"));
    let figure = &html[from..from + html[from..].find("</figure>").unwrap()];
    figure
        .split("<title>")
        .skip(1)
        .filter_map(|t| t.split("</title>").next())
        .filter(|t| t.contains("claim"))
        .map(str::to_string)
        .collect()
}

#[test]
fn the_example_maturity_claims_grow_over_several_commits_as_its_audits_examined_them() {
    let work = tempfile::tempdir().unwrap();
    let out = example_site(work.path());
    let maturity = std::fs::read_to_string(out.join("maturity.html")).unwrap();
    let theme = claims(
        &maturity,
        "Organizational controls (A.5): maturity over time",
    );
    // The set-up claim, then one after each reported audit (IA-2026-01, -02 and -03).
    assert_eq!(theme.len(), 4, "{theme:#?}");
    let averages: Vec<f64> = theme
        .iter()
        .map(|t| {
            let n = t.split("average claim ").nth(1).unwrap();
            n.split(' ').next().unwrap().parse().unwrap()
        })
        .collect();
    assert!(
        averages.windows(2).all(|w| w[0] <= w[1]) && averages[0] < averages[3],
        "{averages:?}"
    );
    assert!(theme[0].starts_with("2025-12-02"), "{theme:#?}");
    assert!(theme[3].starts_with("2026-09-18"), "{theme:#?}");
    // A control examined by IA-2026-02: claimed 2 until its report, 3 since.
    let control = std::fs::read_to_string(out.join("controls/A.8.8.html")).unwrap();
    let points = claims(&control, "A.8.8 maturity over time");
    let levels: Vec<&str> = points
        .iter()
        .map(|t| t.split("claimed ").nth(1).unwrap())
        .collect();
    assert_eq!(
        levels,
        ["2 managed", "2 managed", "3 defined", "3 defined"],
        "{points:#?}"
    );
    // The history is the example's own: it still checks with no error or warning.
    let config = work.path().join("gitconfig");
    isms(&config)
        .arg("check")
        .arg(work.path().join("acme"))
        .args(["--today", TODAY])
        .assert()
        .success()
        .stdout(predicates::str::contains("0 errors, 0 warnings"));
}
