//! The site pages that close the loop: management reviews, objectives with their trend charts,
//! the incident register and maturity over time, on a copy of the example given a review, an
//! objective, an incident, maturity assessments and three committed versions of the SoA's
//! maturity. The pages must exist, link both ways, and their charts must encode the data.

mod common;

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use common::{Edit, OBJECTIVES, REVIEW, Replace, Scratch, Write, apply_edits, commit_on};

const DAY: &str = "2026-11-27";
const DAVE: &str = "dave.okafor@acme-medtech.example";

/// The review of the loop rules' tests, which also reviewed OBJ-01 and completed a decision.
fn review() -> String {
    let from = "findings_reviewed = [\"F-2026-003\"]\n";
    assert!(REVIEW.contains(from));
    let review = REVIEW.replacen(
        from,
        &format!("{from}objectives_reviewed = [\"OBJ-01\"]\n"),
        1,
    );
    review
        + r#"
[[decision]]
description = "Renew the penetration test contract"
owner = "bob"
due = 2026-09-30
completed_on = 2026-09-15
"#
}

/// The objective of the loop rules' tests with three monthly results, the middle one missed.
fn objectives() -> String {
    let from = "on = 2026-10-31\nvalue = \"99%\"";
    assert!(OBJECTIVES.contains(from));
    OBJECTIVES.replacen(from, "on = 2026-08-31\nvalue = \"99%\"", 1)
        + r#"
[[objective.result]]
on = 2026-09-30
value = "96%"
met = false

[[objective.result]]
on = 2026-10-31
value = "98.5%"
met = true
"#
}

const INCIDENT: &str = r#"id = "INC-2026-009"
title = "Leaked CI token used to read a staging bucket"
severity = "high"
detected_on = 2026-05-02
resolved_on = 2026-05-03
areas = ["supplier-management"]
controls = ["A.5.19", "A.5.20"]
summary = "A CI token leaked in a build log."

[review]
on = 2026-05-20
by = "dave"
lessons = "Tokens must be short-lived."
audit = "IA-2026-05"
"#;

/// The example without its management reviews, objectives, incidents and maturity, so that each
/// test adds exactly the objects its assertions count.
fn bare_example(edits: &[Edit]) -> Scratch {
    let s = Scratch::new("example", &[]);
    let root = s.path();
    fs::remove_dir_all(root.join("management-reviews")).unwrap();
    fs::remove_dir_all(root.join("incidents")).unwrap();
    fs::remove_file(root.join("objectives.toml")).unwrap();
    let mut files = vec![root.join("soa.toml")];
    for audit in fs::read_dir(root.join("audits")).unwrap() {
        let checklist = audit.unwrap().path().join("checklist.toml");
        if checklist.exists() {
            files.push(checklist);
        }
    }
    for file in files {
        let text = fs::read_to_string(&file).unwrap();
        let kept: Vec<&str> = text
            .split_inclusive('\n')
            .filter(|l| !l.starts_with("maturity =") && !l.starts_with("target_maturity ="))
            .collect();
        fs::write(&file, kept.concat()).unwrap();
    }
    apply_edits(root, edits);
    s
}

/// A copy of the example with the loop's objects, committed in three versions whose SoA claims
/// A.8.5 at maturity 2, then 3, then 4 (target 4); IA-2026-01 assessed it at 2, IA-2026-03 at 3.
fn loop_isms() -> Scratch {
    let (review, objectives) = (review(), objectives());
    let a85 = r#"justification = "Phishing-resistant MFA for staff, OIDC with MFA for clinicians, mutual TLS for device gateways (R-001).""#;
    let s = bare_example(&[
        Write("management-reviews/MR-2026-10.toml", review.as_bytes()),
        Write("objectives.toml", objectives.as_bytes()),
        Write("incidents/INC-2026-009.toml", INCIDENT.as_bytes()),
        Replace(
            "soa.toml",
            a85,
            &format!("{a85}\nmaturity = 2\ntarget_maturity = 4"),
        ),
        Replace(
            "audits/IA-2026-01/checklist.toml",
            "question = \"Is secure authentication enforced for staff, clinicians and devices?\"",
            "question = \"Is secure authentication enforced for staff, clinicians and devices?\"\nmaturity = 2",
        ),
        Replace(
            "audits/IA-2026-03/checklist.toml",
            "question = \"Is phishing-resistant authentication enforced for all staff (objective OBJ-2)?\"",
            "question = \"Is phishing-resistant authentication enforced for all staff (objective OBJ-2)?\"\nmaturity = 3",
        ),
    ]);
    commit_on(s.path(), DAVE, "2026-02-01", "The ISMS");
    for (level, date) in [(3, "2026-05-01"), (4, "2026-10-01")] {
        let soa = s.path().join("soa.toml");
        let text = fs::read_to_string(&soa).unwrap();
        let from = format!("maturity = {}\ntarget_maturity", level - 1);
        assert_eq!(text.matches(&from).count(), 1);
        let to = format!("maturity = {level}\ntarget_maturity");
        fs::write(&soa, text.replacen(&from, &to, 1)).unwrap();
        commit_on(
            s.path(),
            DAVE,
            date,
            &format!("SoA: A.8.5 at maturity {level}"),
        );
    }
    s
}

fn build(isms: &Path, out: &Path, extra: &[&str]) {
    Command::cargo_bin("isms")
        .unwrap()
        .env_remove("ISMS_TODAY")
        .arg("build")
        .arg(isms)
        .arg("--out")
        .arg(out)
        .args(["--today", DAY])
        .args(extra)
        .assert()
        .success();
}

fn page(out: &Path, rel: &str) -> String {
    fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The part of a page from `start` to the next `end` after it.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html.find(start).unwrap_or_else(|| panic!("no {start}"));
    let rest = &html[from..];
    &rest[..rest.find(end).unwrap_or(rest.len())]
}

/// The values of `attr="…"` of every `<tag` element in `html`, in order.
fn attrs(html: &str, tag: &str, attr: &str) -> Vec<String> {
    html.split(&format!("<{tag} "))
        .skip(1)
        .filter_map(|el| {
            let el = format!(" {}", &el[..el.find('>').unwrap_or(el.len())]);
            let at = el.find(&format!(" {attr}=\""))? + attr.len() + 3;
            Some(el[at..].split('"').next()?.to_string())
        })
        .collect()
}

fn numbers(html: &str, tag: &str, attr: &str) -> Vec<f64> {
    attrs(html, tag, attr)
        .iter()
        .map(|v| v.parse().unwrap())
        .collect()
}

/// The texts of the `<title>`s inside `html`.
fn titles(html: &str) -> Vec<&str> {
    html.split("<title>")
        .skip(1)
        .map(|t| &t[..t.find("</title>").unwrap()])
        .collect()
}

#[test]
fn the_loop_pages_exist_link_both_ways_and_chart_their_data() {
    let s = loop_isms();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    build(s.path(), &out, &[]);

    // Navigation: each new page from every page.
    let index = page(&out, "index.html");
    for href in [
        "management-reviews.html",
        "objectives.html",
        "incidents.html",
        "maturity.html",
    ] {
        assert!(index.contains(&format!("href=\"{href}\"")), "{href}");
        assert!(page(&out, "audits/IA-2026-01.html").contains(&format!("href=\"../{href}\"")));
    }

    // The review: inputs a) to g), what it reviewed, decisions with their status.
    let list = page(&out, "management-reviews.html");
    assert!(list.contains("href=\"management-reviews/MR-2026-10.html\""));
    let review = page(&out, "management-reviews/MR-2026-10.html");
    for (letter, text) in [
        ("a)", "MR-2026-04#1 open;"),
        ("d)", "Three audits; two minor nonconformities."),
        ("g)", "Automate deprovisioning."),
    ] {
        assert!(review.contains(&format!("<dt>{letter} ")), "{letter}");
        assert!(review.contains(text), "{text}");
    }
    for href in [
        "../audits/IA-2026-01.html",
        "../audits/IA-2026-03.html",
        "../findings/F-2026-003.html",
        "../objectives.html#o-OBJ-01",
    ] {
        assert!(review.contains(&format!("href=\"{href}\"")), "{href}");
    }
    let decisions = between(&review, "Decisions (9.3.3)", "</table>");
    assert!(decisions.contains("Fund automated deprovisioning"));
    assert!(decisions.contains("b-open\">open"));
    assert!(decisions.contains("b-done\">done"));
    assert!(review.contains("top management"), "alice is top management");

    // Back: the audits it reviewed link to it, one it did not review does not.
    let back = "href=\"../management-reviews/MR-2026-10.html\"";
    assert!(page(&out, "audits/IA-2026-01.html").contains(back));
    assert!(!page(&out, "audits/IA-2026-05.html").contains(back));

    // The incident and its validating audit, both ways.
    let incidents = page(&out, "incidents.html");
    let incident = between(&incidents, "id=\"i-INC-2026-009\"", "</section>");
    assert!(incident.contains("href=\"audits/IA-2026-05.html\""));
    assert!(incident.contains("Tokens must be short-lived."));
    assert!(
        page(&out, "audits/IA-2026-05.html").contains("href=\"../incidents.html#i-INC-2026-009\"")
    );
    assert!(!page(&out, "audits/IA-2026-01.html").contains("incidents.html#i-"));

    // The objective's chart: a point per result, hollow where the target was missed, the target
    // a line between the missed point and the met ones, dates left to right.
    let objectives = page(&out, "objectives.html");
    let section = between(&objectives, "id=\"o-OBJ-01\"", "</section>");
    assert!(section.contains("href=\"management-reviews/MR-2026-10.html\""));
    let svg = between(section, "<svg", "</svg>");
    let xs = numbers(svg, "circle", "cx");
    let ys = numbers(svg, "circle", "cy");
    assert_eq!(xs.len(), 3, "a point per result");
    assert!(xs[0] < xs[1] && xs[1] < xs[2], "{xs:?}");
    let classes = attrs(svg, "circle", "class");
    assert_eq!(
        classes
            .iter()
            .map(|c| c.contains("hollow"))
            .collect::<Vec<_>>(),
        [false, true, false],
        "the missed result of 2026-09-30 is hollow"
    );
    let target = numbers(svg, "line", "y1")
        .into_iter()
        .zip(attrs(svg, "line", "class"))
        .find(|(_, c)| c == "target")
        .map(|(y, _)| y)
        .expect("a target line");
    assert!(
        ys[1] > target && ys[0] < target && ys[2] < target,
        "{ys:?} target {target}"
    );
    assert!(titles(svg).contains(&"2026-09-30: 96% (target missed)"));
    assert!(svg.contains(">&gt;= 98%</text>"), "the target is labelled");
    assert!(svg.contains("role=\"img\""));

    // Maturity on the control's page: the three SoA versions in order, the two assessments,
    // the target.
    let control = page(&out, "controls/A.8.5.html");
    let svg = between(&control, "<svg", "</svg>");
    let claims: Vec<&str> = titles(svg)
        .into_iter()
        .filter(|t| t.contains("claimed"))
        .collect();
    assert_eq!(claims.len(), 3, "{claims:?}");
    assert!(claims[0].starts_with("2026-02-01") && claims[0].ends_with("claimed 2 managed"));
    assert!(claims[2].starts_with("2026-10-01") && claims[2].ends_with("claimed 4 measured"));
    let squares = numbers(svg, "rect", "y");
    assert!(
        squares[0] > squares[1] && squares[1] > squares[2],
        "rising claims: {squares:?}"
    );
    let assessed: Vec<&str> = titles(svg)
        .into_iter()
        .filter(|t| t.contains("assessed"))
        .collect();
    assert_eq!(
        assessed,
        [
            "2026-03-27 (IA-2026-01): assessed 2 managed",
            "2026-09-18 (IA-2026-03): assessed 3 defined"
        ]
    );
    assert!(svg.contains(">target 4 measured</text>"));

    // Per theme: the Technological controls' chart has a point per SoA version and per audit.
    let maturity = page(&out, "maturity.html");
    assert_eq!(
        maturity.matches("<figure class=\"chart\">").count(),
        1,
        "a chart per theme that records a maturity"
    );
    let people = between(&maturity, "id=\"t-people\"", "</section>");
    assert!(people.contains("No control of this theme records a maturity."));
    let tech = between(&maturity, "id=\"t-technological\"", "</section>");
    let svg = between(tech, "<svg", "</svg>");
    assert_eq!(numbers(svg, "rect", "y").len(), 3);
    assert_eq!(numbers(svg, "circle", "cy").len(), 2);
    assert!(tech.contains("href=\"controls/A.8.5.html\""));
    assert!(
        tech.contains("(above the assessment)"),
        "claimed 4, assessed 3"
    );
}

#[test]
fn without_reviews_objectives_incidents_or_maturity_there_are_no_such_pages() {
    let s = bare_example(&[]);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    build(s.path(), &out, &["--no-git"]);
    for page in [
        "management-reviews.html",
        "objectives.html",
        "incidents.html",
        "maturity.html",
    ] {
        assert!(!out.join(page).exists(), "{page}");
        assert!(
            !fs::read_to_string(out.join("index.html"))
                .unwrap()
                .contains(page),
            "{page}"
        );
    }
    assert!(!page(&out, "controls/A.8.5.html").contains("<h2>Maturity</h2>"));
}

#[test]
fn every_embedded_template_overridden_by_its_own_text_gives_the_same_site() {
    let s = loop_isms();
    let dir = tempfile::tempdir().unwrap();
    let (plain, overridden) = (dir.path().join("plain"), dir.path().join("overridden"));
    build(s.path(), &plain, &[]);
    let names = Command::cargo_bin("isms")
        .unwrap()
        .args(["build", "--print-template", "nope.html"])
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    let names = String::from_utf8(names).unwrap();
    let list = names.split("the templates are: ").nth(1).unwrap();
    let names: Vec<&str> = list.trim().trim_end_matches('.').split(", ").collect();
    for new in [
        "charts.html",
        "review.html",
        "objectives.html",
        "incidents.html",
        "maturity.html",
    ] {
        assert!(names.contains(&new), "{new} in {names:?}");
    }
    let templates = s.path().join(".isms/templates");
    fs::create_dir_all(&templates).unwrap();
    for name in &names {
        let text = Command::cargo_bin("isms")
            .unwrap()
            .args(["build", "--print-template", name])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        fs::write(templates.join(name), text).unwrap();
    }
    build(s.path(), &overridden, &[]);
    let tree = |d: &Path| -> Vec<(String, Vec<u8>)> {
        walkdir::WalkDir::new(d)
            .sort_by_file_name()
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                (
                    e.path()
                        .strip_prefix(d)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned(),
                    fs::read(e.path()).unwrap(),
                )
            })
            .collect()
    };
    assert!(
        tree(&plain) == tree(&overridden),
        "overriding with the same text changed the site"
    );
}

#[test]
fn user_text_on_the_loop_pages_and_charts_comes_out_escaped() {
    let hostile = "<script>alert(1)</script>";
    let review = REVIEW.replacen(
        "feedback = \"No complaints.\"",
        &format!("feedback = \"{hostile}\""),
        1,
    );
    let objectives = OBJECTIVES
        .replacen(
            "target = \">= 98%\"",
            &format!("target = \">= 98% {hostile}\""),
            1,
        )
        .replacen("value = \"99%\"", &format!("value = \"99% {hostile}\""), 1);
    let s = bare_example(&[
        Write("management-reviews/MR-2026-10.toml", review.as_bytes()),
        Write("objectives.toml", objectives.as_bytes()),
    ]);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    build(s.path(), &out, &["--no-git"]);
    for rel in ["management-reviews/MR-2026-10.html", "objectives.html"] {
        let html = page(&out, rel);
        assert!(!html.contains("<script>alert"), "{rel}");
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{rel}"
        );
    }
    // The result's number is still read, so the point is drawn, its label escaped.
    let objectives = page(&out, "objectives.html");
    let svg = between(&objectives, "<svg", "</svg>");
    assert_eq!(numbers(svg, "circle", "cy").len(), 1);
}

#[test]
fn a_review_shows_each_finding_as_it_stood_on_the_review_date_and_today_when_it_changed() {
    let reviewed = REVIEW.replacen(
        "findings_reviewed = [\"F-2026-003\"]",
        "findings_reviewed = [\"F-2026-001\", \"F-2026-002\", \"F-2026-003\"]",
        1,
    );
    let s = bare_example(&[Write(
        "management-reviews/MR-2026-10.toml",
        reviewed.as_bytes(),
    )]);
    // F-2026-003 is committed analysed before the review (2026-10-14) and closed after it;
    // F-2026-001 is committed closed before the review and never changes; F-2026-002 is first
    // committed after the review, so its history cannot tell how it stood then.
    let f3 = s.path().join("findings/F-2026-003.toml");
    let closed = fs::read_to_string(&f3).unwrap();
    let cut = closed.find("[verification]").unwrap();
    fs::write(&f3, &closed[..cut]).unwrap();
    let f2 = s.path().join("findings/F-2026-002.toml");
    let late = fs::read_to_string(&f2).unwrap();
    fs::remove_file(&f2).unwrap();
    commit_on(s.path(), DAVE, "2026-02-01", "The ISMS");
    fs::write(&f3, &closed).unwrap();
    fs::write(&f2, &late).unwrap();
    commit_on(s.path(), DAVE, "2026-11-01", "F-2026-003: verify and close");

    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    build(s.path(), &out, &[]);
    let html = page(&out, "management-reviews/MR-2026-10.html");
    let section = between(&html, "<h2>Findings reviewed</h2>", "</section>");
    assert!(section.contains("status on 2026-10-14"), "{section}");
    let row = |id: &str| between(section, &format!(">{id}</a>"), "</li>").to_string();
    let changed = row("F-2026-003");
    let (then, now) = changed.split_once("today").expect("today's status beside");
    assert!(then.contains("b-analysed"), "{changed}");
    assert!(!then.contains("b-closed"), "{changed}");
    assert!(now.contains("b-closed"), "{changed}");
    let unchanged = row("F-2026-001");
    assert!(unchanged.contains("b-closed"), "{unchanged}");
    assert!(!unchanged.contains("today"), "{unchanged}");
    assert_eq!(
        unchanged.matches("badge").count(),
        2,
        "type and status: {unchanged}"
    );
    let unknown_then = row("F-2026-002");
    assert!(!unknown_then.contains("today"), "{unknown_then}");
    assert_eq!(unknown_then.matches("badge").count(), 2, "{unknown_then}");

    // Without history, only today's status, and no claim about the review date.
    let plain = dir.path().join("plain");
    build(s.path(), &plain, &["--no-git"]);
    let html = page(&plain, "management-reviews/MR-2026-10.html");
    let section = between(&html, "<h2>Findings reviewed</h2>", "</section>");
    assert!(!section.contains("status on"), "{section}");
    assert!(!section.contains("b-analysed"), "{section}");
}
