//! The documentation in the repository stands alone and stays true: `docs/rules.md` is the
//! registry's text (regenerate it with `UPDATE_DOCS=1 cargo test --test docs`), and nothing a
//! user reads sends them to files outside the repository.

use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn docs_rules_md_is_generated_from_the_registry() {
    let path = root().join("docs/rules.md");
    let expected = isms::rules::reference::markdown();
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(&path, &expected).unwrap();
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "docs/rules.md is not the registry's text: run `UPDATE_DOCS=1 cargo test --test docs`"
    );
    for rule in isms::rules::Rule::ALL {
        assert!(
            actual.contains(&format!("\n## {}\n", rule.code())),
            "{rule:?}"
        );
    }
}

/// Every text file of the repository a user reads: the README, docs/, the example ISMS,
/// BENCHMARKS.md, the sources and their templates.
fn readable_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            if !name.starts_with('.') && name != "target" && name != "tests" && name != "_site" {
                readable_files(&path, out);
            }
        } else if ["md", "rs", "toml", "yml", "yaml", "html", "j2", "sh"]
            .iter()
            .any(|ext| name.ends_with(&format!(".{ext}")))
        {
            out.push(path);
        }
    }
}

#[test]
fn no_text_sends_a_user_to_the_design_notes_outside_the_repository() {
    let mut files = Vec::new();
    readable_files(root(), &mut files);
    let mut offenders = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let rel = path.strip_prefix(root()).unwrap().display().to_string();
        for (n, line) in text.lines().enumerate() {
            // The catalogue's test compares the embedded copy with the shared reference data.
            let reads_reference =
                rel == "src/catalog/mod.rs" && line.contains("/../shared/reference/");
            if (line.contains("DESIGN.md") || line.contains("shared/")) && !reads_reference {
                offenders.push(format!("{rel}:{}: {}", n + 1, line.trim()));
            }
        }
    }
    assert!(offenders.is_empty(), "{}", offenders.join("\n"));
}

/// The README's rule table lists every rule of the registry once, with its severity and its
/// clause, so the table a user reads first matches `isms rules`.
#[test]
fn the_readme_rule_table_matches_the_registry() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let rows: Vec<Vec<&str>> = readme
        .lines()
        .filter(|l| l.starts_with("| "))
        .map(|l| l.split('|').map(str::trim).collect())
        .filter(|cells: &Vec<&str>| {
            cells.len() > 4 && isms::rules::Rule::from_code(cells[1]).is_some()
        })
        .collect();
    for rule in isms::rules::Rule::ALL {
        let info = rule.info();
        let found: Vec<_> = rows.iter().filter(|c| c[1] == info.code).collect();
        assert_eq!(found.len(), 1, "{} in the README's rule table", info.code);
        assert_eq!(
            found[0][2],
            info.severity.as_str(),
            "{}'s severity",
            info.code
        );
        assert_eq!(found[0][3], info.requirement, "{}'s clause", info.code);
    }
    assert_eq!(
        rows.len(),
        isms::rules::Rule::ALL.len(),
        "no row for a rule that does not exist"
    );
}
