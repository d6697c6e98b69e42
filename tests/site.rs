//! `isms build`: the example's site is deterministic, every internal link resolves, hostile
//! documents come out inert, templates can be overridden, and the output folder is safe.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

mod gitrepo;

const EXAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/example-isms");

fn isms() -> Command {
    let mut cmd = Command::cargo_bin("isms").unwrap();
    cmd.env_remove("ISMS_TODAY");
    cmd
}

fn build(path: &Path, out: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    isms()
        .arg("build")
        .arg(path)
        .arg("--out")
        .arg(out)
        .args(["--today", "2026-11-27"])
        .args(extra)
        .assert()
}

/// Every file below `dir`, relative, with its bytes.
fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(dir).unwrap();
            out.insert(
                rel.to_string_lossy().replace('\\', "/"),
                fs::read(entry.path()).unwrap(),
            );
        }
    }
    out
}

/// A copy of the example ISMS outside any git repository.
fn copy_example(to: &Path) -> PathBuf {
    let root = to.join("isms");
    for entry in walkdir::WalkDir::new(EXAMPLE) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(EXAMPLE).unwrap();
        let target = root.join(rel);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else if entry.file_type().is_file() {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
    root
}

#[test]
fn building_twice_gives_identical_sites() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    build(Path::new(EXAMPLE), &a, &[]).success();
    build(Path::new(EXAMPLE), &b, &[]).success();
    let (ta, tb) = (read_tree(&a), read_tree(&b));
    assert!(ta.len() > 100, "only {} files", ta.len());
    assert_eq!(ta.keys().collect::<Vec<_>>(), tb.keys().collect::<Vec<_>>());
    for (path, bytes) in &ta {
        assert!(bytes == &tb[path], "{path} differs between two builds");
    }
    // Rebuilding into the same folder (it holds the marker) gives the same site again.
    build(Path::new(EXAMPLE), &a, &[]).success();
    assert!(read_tree(&a) == ta);
}

/// The values of `attr="..."` in an HTML text, entities decoded.
fn attributes<'a>(html: &'a str, attr: &'a str) -> impl Iterator<Item = String> + 'a {
    let needle = format!(" {attr}=\"");
    html.match_indices(needle.clone().leak() as &str)
        .map(move |(i, _)| {
            let rest = &html[i + needle.len()..];
            let end = rest.find('"').unwrap_or(rest.len());
            rest[..end]
                .replace("&amp;", "&")
                .replace("&#x2f;", "/")
                .replace("&quot;", "\"")
        })
}

/// The internal links (href and src) of a built site that do not resolve to a file, or to an
/// id in it; and how many links were checked. External assets and absolute links fail.
fn broken_links(tree: &BTreeMap<String, Vec<u8>>) -> (usize, Vec<String>) {
    let ids: BTreeMap<&str, BTreeSet<String>> = tree
        .iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, b)| {
            let html = std::str::from_utf8(b).unwrap();
            (p.as_str(), attributes(html, "id").collect())
        })
        .collect();
    let mut broken = Vec::new();
    let mut checked = 0;
    for page in ids.keys() {
        let html = std::str::from_utf8(&tree[*page]).unwrap();
        for (attr, link) in attributes(html, "href")
            .map(|l| ("href", l))
            .chain(attributes(html, "src").map(|l| ("src", l)))
        {
            if link.starts_with("https://")
                || link.starts_with("http://")
                || link.starts_with("mailto:")
            {
                assert!(attr == "href", "{page}: external asset {link}");
                continue;
            }
            assert!(!link.starts_with('/'), "{page}: absolute link {link}");
            assert!(!link.contains("://"), "{page}: odd link {link}");
            checked += 1;
            let (path, fragment) = match link.split_once('#') {
                Some((p, f)) => (p, Some(f)),
                None => (link.as_str(), None),
            };
            let target = if path.is_empty() {
                page.to_string()
            } else {
                let base = Path::new(page).parent().unwrap_or(Path::new(""));
                normalize(&base.join(path))
            };
            if !tree.contains_key(&target) {
                broken.push(format!("{page}: {link} (no {target})"));
                continue;
            }
            if let (Some(f), Some(target_ids)) = (fragment, ids.get(target.as_str())) {
                if !f.is_empty() && !target_ids.contains(f) {
                    broken.push(format!("{page}: {link} (no id {f} in {target})"));
                }
            }
        }
    }
    (checked, broken)
}

#[test]
fn every_internal_link_of_the_example_site_resolves() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    build(Path::new(EXAMPLE), &out, &[]).success();
    let tree = read_tree(&out);
    let (checked, broken) = broken_links(&tree);
    assert!(checked > 1000, "only {checked} links checked");
    assert!(
        broken.is_empty(),
        "{} broken links:\n{}",
        broken.len(),
        broken.join("\n")
    );
    for page in [
        "index.html",
        "soa.html",
        "risks.html",
        "documents.html",
        "audits.html",
        "findings.html",
        "areas.html",
        "people.html",
        "rules.html",
        "controls/A.5.15.html",
        "assets/style.css",
        "assets/site.js",
        "assets/search-index.js",
        ".isms-site",
    ] {
        assert!(tree.contains_key(page), "{page} missing");
    }
}

#[test]
fn the_link_checker_reports_a_missing_page_and_a_missing_anchor() {
    let mut tree = BTreeMap::new();
    tree.insert(
        "index.html".to_string(),
        b"<a href=\"gone.html\">x</a><a href=\"people.html#p-nobody\">y</a>".to_vec(),
    );
    tree.insert(
        "people.html".to_string(),
        b"<p id=\"p-alice\"></p>".to_vec(),
    );
    let (checked, broken) = broken_links(&tree);
    assert_eq!(checked, 2);
    assert_eq!(
        broken,
        [
            "index.html: gone.html (no gone.html)",
            "index.html: people.html#p-nobody (no id p-nobody in people.html)"
        ]
    );
}

/// The ISMS in `isms/` of a repository that also holds code (`infra/`): the site shows the
/// history read from the whole repository, copies nothing from outside the ISMS, and links
/// only within itself.
#[test]
fn a_site_built_from_a_subfolder_of_a_larger_repository() {
    let r = gitrepo::TestRepo::clean();
    r.replace(
        "isms/documents/access/policy.md",
        "Access is granted on least privilege.",
        "Access is granted on least privilege and reviewed every quarter.",
    );
    r.replace(
        "isms/documents/access/policy.md",
        "version = \"1.0\"",
        "version = \"1.1\"",
    );
    r.commit(gitrepo::BOB, "2026-06-10", "Quarterly access reviews");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    isms()
        .arg("build")
        .arg(r.isms())
        .arg("--out")
        .arg(&out)
        .args(["--today", gitrepo::TODAY])
        .assert()
        .success();
    let tree = read_tree(&out);
    let (checked, broken) = broken_links(&tree);
    assert!(checked > 100, "only {checked} links checked");
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    assert!(
        !tree.keys().any(|p| p.contains("infra") || p.contains("..")),
        "nothing from outside the ISMS: {:?}",
        tree.keys().collect::<Vec<_>>()
    );
    let page = |p: &str| String::from_utf8(tree[p].clone()).unwrap();
    // The document's versions, newest first, with the change between them.
    let policy = page("documents/POL-ACCESS.html");
    let newest = policy
        .find("Quarterly access reviews")
        .expect("the newest version");
    let first = policy
        .find("Access control policy")
        .expect("the first version");
    assert!(newest < first, "newest first");
    assert!(policy.contains("Bob Stone"), "{policy}");
    // The versions table names the approver as a person, never by a bare id.
    assert!(!policy.contains("<td>alice</td>"), "{policy}");
    assert!(
        policy.contains("<td><a href=\"../people.html#p-alice\">Alice Martin</a></td>"),
        "{policy}"
    );
    assert!(
        policy.contains("<span class=\"dadd\">+ Access is granted on least privilege and reviewed every quarter.</span>"),
        "{policy}"
    );
    // The area's authors include Carol's commit to infra/iam, outside the ISMS folder.
    let area = page("areas/access-control.html");
    assert!(area.contains("Carol Diaz"), "{area}");
    // The findings register shows the finding's history from git.
    assert!(page("findings/F-2026-001.html").contains("Verify F-2026-001"));
}

fn normalize(path: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for c in path.components() {
        match c {
            std::path::Component::ParentDir => {
                parts.pop();
            }
            std::path::Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
            _ => {}
        }
    }
    parts.join("/")
}

#[test]
fn a_folder_that_is_not_a_site_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("precious");
    fs::create_dir(&out).unwrap();
    fs::write(out.join("thesis.md"), "years of work").unwrap();
    build(Path::new(EXAMPLE), &out, &["--no-git"])
        .code(2)
        .stderr(predicates::str::contains(".isms-site"));
    assert_eq!(
        fs::read_to_string(out.join("thesis.md")).unwrap(),
        "years of work"
    );
    assert_eq!(fs::read_dir(&out).unwrap().count(), 1);
}

#[test]
fn hostile_documents_come_out_inert() {
    let dir = tempfile::tempdir().unwrap();
    let root = copy_example(dir.path());
    fs::write(
        root.join("documents/isms/hostile.md"),
        r#"+++
id = "DOC-HOSTILE"
kind = "record"
title = "<script>alert('title')</script> Hostile"
version = "1"
owner = "alice"
approved_by = "alice"
approved_on = 2026-02-01
+++
# Looks harmless

<script>alert(1)</script>

<img src="x.png" onerror="alert(2)">

<iframe src="https://evil.example/"></iframe>

[click me](javascript:alert(3)) and [me too](JaVaScRiPt:alert(3))

<a href="javascript:alert(4)" onclick="alert(5)">x</a>

<div onmouseover="alert(6)">hover</div>

<svg onload="alert(7)"></svg>

<script>alert(1)</script>
<img src="y.png" onerror="alert(2)">
[inside an HTML block](javascript:alert(3))
"#,
    )
    .unwrap();
    let out = dir.path().join("site");
    build(&root, &out, &["--no-git"]).success();
    let page = fs::read_to_string(out.join("documents/DOC-HOSTILE.html")).unwrap();
    let lower = page.to_lowercase();
    // The site's own two scripts, and nothing else.
    assert_eq!(lower.matches("<script").count(), 2, "{page}");
    for bad in [
        "=\"javascript:",
        "onerror=",
        "onclick=",
        "onmouseover=",
        "onload=",
        "<iframe",
        "<svg",
    ] {
        assert!(!lower.contains(bad), "{bad} survived:\n{page}");
    }
    assert!(page.contains("&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt; Hostile"));
    assert!(page.contains("<h1>Looks harmless</h1>"));
    // The search index escapes `<` so that it cannot close its script.
    let index = fs::read_to_string(out.join("assets/search-index.js")).unwrap();
    assert!(!index.contains("<script"));
}

#[test]
fn templates_are_overridden_from_the_isms() {
    let dir = tempfile::tempdir().unwrap();
    let root = copy_example(dir.path());
    fs::create_dir_all(root.join(".isms/templates")).unwrap();
    fs::write(
        root.join(".isms/templates/style.css"),
        "body{color:purple}\n",
    )
    .unwrap();
    fs::write(
        root.join(".isms/templates/rules.html"),
        "{% extends \"base.html\" %}{% block content %}<p>Our own rules page for {{ site.org }}</p>{% endblock %}",
    )
    .unwrap();
    let out = dir.path().join("site");
    build(&root, &out, &["--no-git"]).success();
    assert_eq!(
        fs::read_to_string(out.join("assets/style.css")).unwrap(),
        "body{color:purple}\n"
    );
    let rules = fs::read_to_string(out.join("rules.html")).unwrap();
    assert!(
        rules.contains("<p>Our own rules page for Acme MedTech Ltd</p>"),
        "{rules}"
    );
    // A broken override is an error of the command, not a panic.
    fs::write(root.join(".isms/templates/index.html"), "{% if %}").unwrap();
    build(&root, &out, &["--no-git"])
        .code(2)
        .stderr(predicates::str::contains("template index.html"))
        .stderr(predicates::str::contains(
            "help: index.html is your override",
        ));
    assert!(
        out.join("rules.html").exists(),
        "a failed build leaves the previous site as it was"
    );
}

#[test]
fn errors_fail_the_build_only_when_denied() {
    let dir = tempfile::tempdir().unwrap();
    let root = copy_example(dir.path());
    fs::remove_file(root.join("documents/isms/information-security-policy.md")).unwrap();
    let out = dir.path().join("site");
    build(&root, &out, &["--no-git"]).success();
    let dashboard = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        dashboard.contains("DOC003"),
        "the dashboard shows the errors"
    );
    build(&root, &out, &["--no-git", "--deny", "errors"]).code(1);
    assert!(out.join("index.html").exists(), "the site is still written");
}

#[test]
fn default_output_is_site_below_the_isms_and_not_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let root = copy_example(dir.path());
    isms()
        .args(["build", "--no-git", "--today", "2026-11-27"])
        .arg(&root)
        .assert()
        .success();
    assert!(root.join("_site/index.html").exists());
    // A second build neither trips over the site (LOAD004) nor refuses it.
    isms()
        .args(["check", "--no-git", "--today", "2026-11-27"])
        .arg(&root)
        .assert()
        .stdout(predicates::str::contains("LOAD004").not());
    isms()
        .args(["build", "--no-git", "--today", "2026-11-27"])
        .arg(&root)
        .assert()
        .success();
}

use predicates::prelude::PredicateBooleanExt;

#[test]
fn the_search_index_finds_objects_by_more_than_their_titles() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    build(Path::new(EXAMPLE), &out, &["--no-git"]).success();
    let script = fs::read_to_string(out.join("assets/search-index.js")).unwrap();
    let json = script
        .strip_prefix("window.ISMS_INDEX = ")
        .and_then(|s| s.trim_end().strip_suffix(';'))
        .expect("the index is one assignment");
    let index: Vec<serde_json::Value> = serde_json::from_str(json).unwrap();
    let entry = |url: &str| {
        index
            .iter()
            .find(|o| o["u"] == url)
            .unwrap_or_else(|| panic!("{url} is not indexed"))
    };
    let words = |url: &str| entry(url)["x"].as_str().unwrap_or("").to_string();
    // A document by its headings and owner, a finding by its area and control, a person by role.
    let bcp = words("documents/PLN-BCP.html");
    assert!(bcp.contains("Invocation"), "{bcp}");
    assert!(bcp.contains("Whitfield"), "{bcp}");
    let finding = words("findings/F-2026-001.html");
    assert!(
        finding.contains("access-control") && finding.contains("A.5.18"),
        "{finding}"
    );
    assert!(words("people.html#p-alice").contains("Chief Executive Officer"));
    // Every kind of object is there, pages without extra words.
    let kinds: BTreeSet<&str> = index.iter().filter_map(|o| o["k"].as_str()).collect();
    for kind in [
        "area", "audit", "control", "document", "finding", "page", "person", "risk", "rule",
    ] {
        assert!(kinds.contains(kind), "no {kind} in the index: {kinds:?}");
    }
    assert!(entry("soa.html").get("x").is_none());
    assert_eq!(
        index.iter().filter(|o| o["k"] == "control").count(),
        93,
        "every Annex A control"
    );
}

#[test]
fn print_template_starts_an_override() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    build(Path::new(EXAMPLE), &out, &["--no-git"]).success();
    let printed = isms()
        .args(["build", "--print-template", "style.css"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(printed, fs::read(out.join("assets/style.css")).unwrap());
    isms()
        .args(["build", "--print-template", "nope.html"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "no template `nope.html`; the templates are: base.html, macros.html",
        ));
}

#[test]
fn a_draft_is_marked_on_its_page_and_in_every_listing() {
    let tmp = tempfile::tempdir().unwrap();
    let root = copy_example(tmp.path());
    let policy = root.join("documents/access/access-control-policy.md");
    let text = fs::read_to_string(&policy).unwrap();
    fs::write(
        &policy,
        text.replacen(
            "kind = \"policy\"\n",
            "kind = \"policy\"\nstatus = \"draft\"\n",
            1,
        ),
    )
    .unwrap();
    let out = tmp.path().join("site");
    build(&root, &out, &["--no-git"]).success();
    let page = |rel: &str| fs::read_to_string(out.join(rel)).unwrap();
    let badge = "<span class=\"badge b-draft\">draft</span>";
    // The document's page, the documents list, a control's and an area's pages, the SoA.
    for rel in [
        "documents/POL-ACCESS.html",
        "documents.html",
        "controls/A.5.15.html",
        "areas/access-control.html",
        "soa.html",
    ] {
        assert!(page(rel).contains(badge), "{rel} shows no draft badge");
    }
    // A controlled document has none.
    assert!(!page("documents/POL-ISMS.html").contains(badge));
}

/// The audit's page lists the exemptions in effect for it (IND012's data): an ignored commit
/// and the waiver, and a page of an audit without any lists none.
#[test]
fn the_audit_page_lists_the_exemptions_in_effect() {
    let r = gitrepo::TestRepo::clean();
    r.write("infra/iam/roles.tf", "# erin's reformat\n");
    let own = r.commit(gitrepo::ERIN, "2025-11-02", "Reformat");
    r.write("isms/.isms-ignore-revs", &format!("{own}\n"));
    r.commit(gitrepo::ALICE, "2025-11-03", "Ignore the reformat");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let build = |out: &Path| {
        isms()
            .arg("build")
            .arg(r.isms())
            .arg("--out")
            .arg(out)
            .args(["--today", gitrepo::TODAY])
            .assert()
            .success();
    };
    build(&out);
    let tree = read_tree(&out);
    let page = String::from_utf8(tree["audits/IA-2026-01.html"].clone()).unwrap();
    assert!(
        page.contains("<h3>Exemptions in effect (IND012)</h3>"),
        "{page}"
    );
    assert!(
        page.contains(&format!(
            "<li>ignored commit {} 2025-11-02 &quot;Reformat&quot; (listed by alice in ",
            r.short(own)
        )),
        "{page}"
    );
    // Near miss: without exemptions the section is absent.
    let r2 = gitrepo::TestRepo::clean();
    let out2 = dir.path().join("site2");
    isms()
        .arg("build")
        .arg(r2.isms())
        .arg("--out")
        .arg(&out2)
        .args(["--today", gitrepo::TODAY])
        .assert()
        .success();
    let page = String::from_utf8(read_tree(&out2)["audits/IA-2026-01.html"].clone()).unwrap();
    assert!(!page.contains("Exemptions in effect"), "{page}");
}

/// The embedded page templates call the hottest macros as Rust functions unless the ISMS
/// overrides `macros.html`; an override that is a copy of the embedded file (so the template
/// macros run) gives the same site, byte for byte, history and all.
#[test]
fn the_rust_macros_render_as_the_template_macros_do() {
    let dir = tempfile::tempdir().unwrap();
    isms()
        .args(["init", "--example"])
        .arg(dir.path().join("example"))
        .assert()
        .success();
    let root = dir.path().join("example/isms");
    let (rust, template) = (dir.path().join("rust"), dir.path().join("template"));
    build(&root, &rust, &[]).success();
    let macros = isms()
        .args(["build", "--print-template", "macros.html"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    fs::create_dir_all(root.join(".isms/templates")).unwrap();
    fs::write(root.join(".isms/templates/macros.html"), &macros).unwrap();
    build(&root, &template, &[]).success();
    let (tr, tt) = (read_tree(&rust), read_tree(&template));
    assert!(tr.len() > 100, "only {} files", tr.len());
    assert_eq!(tr.keys().collect::<Vec<_>>(), tt.keys().collect::<Vec<_>>());
    for (path, bytes) in &tr {
        assert!(
            bytes == &tt[path],
            "{path} differs:\n{}\n---\n{}",
            String::from_utf8_lossy(bytes),
            String::from_utf8_lossy(&tt[path])
        );
    }
    // A changed macros.html is used: the embedded page templates call it, not the Rust macros.
    let marked = String::from_utf8_lossy(&macros).replace(
        "{% macro badge(s) %}<span class=\"badge",
        "{% macro badge(s) %}<span data-mine class=\"badge",
    );
    fs::write(root.join(".isms/templates/macros.html"), marked).unwrap();
    build(&root, &template, &[]).success();
    let mine = read_tree(&template)
        .values()
        .filter(|b| String::from_utf8_lossy(b).contains("<span data-mine class=\"badge"))
        .count();
    assert!(mine > 10, "the overridden badge macro is on {mine} pages");
}
