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
