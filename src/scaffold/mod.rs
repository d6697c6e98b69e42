//! `isms init` and `isms new`: new ISMS files from templates, written atomically and never over
//! an existing file.
//!
//! Templates are minijinja, embedded from `templates/`; a file of the same name in
//! `<ISMS root>/.isms/templates/` overrides one. Two filters write TOML values safely: `q` (a
//! string) and `qlist` (an array of strings); `schema(kind)` writes the `#:schema` directive of
//! the file being rendered, or nothing when the ISMS has no schemas to point at.

mod control;
pub mod example;
mod exception;
pub use exception::{ExceptionOptions, exception};
pub mod init;
pub mod new;
pub mod new_loop;
pub use control::{ControlOptions, control};
pub use team::{TeamOptions, team};
mod questions;
pub mod replay;
mod signing;
mod team;

use std::io::Write;
use std::path::{Path, PathBuf};

pub use questions::{Question, question};

/// The embedded templates, by the name an override uses.
const TEMPLATES: &[(&str, &str)] = &[
    ("isms.toml", include_str!("templates/isms.toml")),
    ("people.toml", include_str!("templates/people.toml")),
    ("areas.toml", include_str!("templates/areas.toml")),
    ("soa.toml", include_str!("templates/soa.toml")),
    ("risks.toml", include_str!("templates/risks.toml")),
    ("policy.md", include_str!("templates/policy.md")),
    ("programme.toml", include_str!("templates/programme.toml")),
    (
        "pre-commit-config.yaml",
        include_str!("templates/pre-commit-config.yaml"),
    ),
    ("workflow.yml", include_str!("templates/workflow.yml")),
    ("plan.toml", include_str!("templates/plan.toml")),
    ("checklist.toml", include_str!("templates/checklist.toml")),
    ("report.md", include_str!("templates/report.md")),
    ("finding.toml", include_str!("templates/finding.toml")),
    ("document.md", include_str!("templates/document.md")),
    ("risk.toml", include_str!("templates/risk.toml")),
    (
        "management-review.toml",
        include_str!("templates/management-review.toml"),
    ),
    ("objective.toml", include_str!("templates/objective.toml")),
    ("incident.toml", include_str!("templates/incident.toml")),
    ("exception.toml", include_str!("templates/exception.toml")),
];

/// Where a template override lives below the ISMS root.
pub const OVERRIDES: &str = ".isms/templates";
/// Where `isms init` writes the JSON Schemas, below the ISMS root.
pub const SCHEMAS: &str = ".isms/schema";

/// The names of the embedded templates.
pub fn template_names() -> impl Iterator<Item = &'static str> {
    TEMPLATES.iter().map(|(n, _)| *n)
}

/// The text of template `name`: the override in `root`, else the embedded one.
pub fn template_source(root: &Path, name: &str) -> Result<String, String> {
    let over = root.join(OVERRIDES).join(name);
    if over.is_file() {
        return std::fs::read_to_string(&over)
            .map_err(|e| format!("cannot read the template override {}: {e}", over.display()));
    }
    TEMPLATES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, t)| (*t).to_string())
        .ok_or_else(|| format!("there is no template `{name}`"))
}

/// A TOML basic string holding `s`.
pub fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A TOML inline array of strings.
pub fn toml_list<S: AsRef<str>>(items: &[S]) -> String {
    let inner: Vec<String> = items.iter().map(|s| toml_string(s.as_ref())).collect();
    format!("[{}]", inner.join(", "))
}

/// Where the `#:schema` directives of a file point: `schema_dir` is the folder of the schemas
/// relative to the ISMS root (or a URL ending in `/`), `depth` how many folders below the root
/// the file is.
#[derive(Clone, Debug)]
pub struct SchemaRef {
    pub dir: String,
}

impl SchemaRef {
    fn base(&self, depth: usize) -> String {
        if self.dir.contains("://") {
            self.dir.clone()
        } else {
            format!("{}{}", "../".repeat(depth), self.dir)
        }
    }

    /// Where an existing ISMS keeps its schemas: the folder its isms.toml's `#:schema` names.
    pub fn of(root: &Path) -> Option<Self> {
        let text = std::fs::read_to_string(root.join("isms.toml")).ok()?;
        let first = text.lines().next()?.trim();
        let target = first.strip_prefix("#:schema")?.trim();
        let dir = target.strip_suffix("isms.schema.json")?;
        Some(Self {
            dir: dir.to_string(),
        })
    }
}

/// Renders template `name` with `ctx`, for a file `depth` folders below the ISMS root.
pub fn render(
    root: &Path,
    name: &str,
    schema: Option<&SchemaRef>,
    depth: usize,
    ctx: serde_json::Value,
) -> Result<String, String> {
    let source = template_source(root, name)?;
    let mut env = minijinja::Environment::new();
    env.set_keep_trailing_newline(true);
    env.add_filter("q", |s: String| toml_string(&s));
    env.add_filter(
        "qlist",
        |v: minijinja::Value| -> Result<String, minijinja::Error> {
            let mut items = Vec::new();
            for item in v.try_iter()? {
                items.push(item.to_string());
            }
            Ok(toml_list(&items))
        },
    );
    let base = schema.map(|s| s.base(depth));
    env.add_function("schema", move |kind: String| -> String {
        match &base {
            Some(b) => format!("#:schema {b}{kind}.schema.json\n"),
            None => String::new(),
        }
    });
    env.render_str(&source, ctx)
        .map_err(|e| format!("cannot render the template {name}: {e:#}"))
}

/// A file to write: its path and text.
pub struct NewFile {
    pub path: PathBuf,
    pub text: String,
}

fn exists_error(path: &Path) -> String {
    format!(
        "{} already exists: isms never overwrites a file (move it away, or choose another id)",
        path.display()
    )
}

/// Writes every file, refusing before writing any when one exists.
pub fn write_all(files: &[NewFile]) -> Result<(), String> {
    if let Some(f) = files.iter().find(|f| f.path.exists()) {
        return Err(exists_error(&f.path));
    }
    for f in files {
        write_new(&f.path, &f.text)?;
    }
    Ok(())
}

/// A temporary file beside `path`, holding `text`, synced.
fn temp_beside(path: &Path, bytes: &[u8]) -> Result<PathBuf, String> {
    let dir = path
        .parent()
        .ok_or_else(|| format!("{} has no folder", path.display()))?;
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    for n in 0..100u32 {
        let tmp = dir.join(format!(".{name}.{}-{n}.isms-tmp", std::process::id()));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
        {
            Ok(mut file) => {
                let written = file.write_all(bytes).and_then(|()| file.sync_all());
                if let Err(e) = written {
                    let _ = std::fs::remove_file(&tmp);
                    return Err(format!("cannot write {}: {e}", tmp.display()));
                }
                return Ok(tmp);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(format!("cannot write in {}: {e}", dir.display())),
        }
    }
    Err(format!(
        "cannot create a temporary file in {}",
        dir.display()
    ))
}

/// Writes a new file atomically: a temporary file in the same folder, then linked to its name,
/// which fails when the name exists, so an existing file is never replaced, even by a race.
pub fn write_new(path: &Path, text: &str) -> Result<(), String> {
    if path.exists() {
        return Err(exists_error(path));
    }
    let tmp = temp_beside(path, text.as_bytes())?;
    let linked = std::fs::hard_link(&tmp, path);
    let result = match linked {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(exists_error(path)),
        // A file system without hard links: rename, having checked just before.
        Err(_) if !path.exists() => {
            return std::fs::rename(&tmp, path)
                .map_err(|e| format!("cannot write {}: {e}", path.display()));
        }
        Err(e) => Err(format!("cannot write {}: {e}", path.display())),
    };
    let _ = std::fs::remove_file(&tmp);
    result
}

/// Replaces the content of a file atomically (temporary file, then rename), for the edits
/// `isms new` makes to risks.toml and checklist.toml, and for `isms export --out`.
pub fn replace(path: &Path, content: impl AsRef<[u8]>) -> Result<(), String> {
    let tmp = temp_beside(path, content.as_ref())?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        format!("cannot write {}: {e}", path.display())
    })
}

/// Appends `block` to the register `file` of the ISMS (risks.toml, objectives.toml), checking
/// that it stays valid TOML; a missing register is created with its schema line and `heading`.
pub fn append_to_register(
    root: &Path,
    file: &str,
    schema: &str,
    heading: &str,
    block: &str,
) -> Result<PathBuf, String> {
    let path = root.join(file);
    if path.exists() {
        let mut text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str(block);
        toml::from_str::<toml::Table>(&text)
            .map_err(|e| format!("{file} would not stay valid TOML: {e}"))?;
        replace(&path, &text)?;
    } else {
        let schema = SchemaRef::of(root)
            .map(|s| format!("#:schema {}{schema}.schema.json\n", s.dir))
            .unwrap_or_default();
        write_all(&[NewFile {
            path: path.clone(),
            text: format!("{schema}# {heading}\n{block}"),
        }])?;
    }
    Ok(path)
}

/// The next free number after the ids starting with `prefix` (`IA-2026-` and `IA-2026-03`
/// give 4), formatted with `width` digits.
/// The next id `prefix` + number for a record kept one file per id in `folder` (findings,
/// incidents, exceptions): after the loaded ids and the files already there, read or not.
pub(crate) fn next_file_id<'a>(
    root: &Path,
    folder: &str,
    prefix: &str,
    loaded: impl IntoIterator<Item = &'a str>,
) -> String {
    let mut ids: Vec<String> = loaded.into_iter().map(str::to_string).collect();
    if let Ok(dir) = std::fs::read_dir(root.join(folder)) {
        ids.extend(dir.flatten().filter_map(|e| {
            e.file_name()
                .to_string_lossy()
                .strip_suffix(".toml")
                .map(str::to_string)
        }));
    }
    next_id(prefix, ids.iter().map(String::as_str), 3)
}

pub fn next_id<'a>(prefix: &str, ids: impl IntoIterator<Item = &'a str>, width: usize) -> String {
    let max = ids
        .into_iter()
        .filter_map(|id| id.strip_prefix(prefix))
        .filter_map(|rest| rest.parse::<u32>().ok())
        .max()
        .unwrap_or(0);
    format!("{prefix}{:0width$}", max + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_strings_escape() {
        assert_eq!(toml_string("a \"b\" \\ c\nd"), r#""a \"b\" \\ c\nd""#);
        assert_eq!(toml_list(&["x", "y"]), r#"["x", "y"]"#);
        assert_eq!(toml_list::<&str>(&[]), "[]");
    }

    #[test]
    fn ids_are_allocated_after_the_highest() {
        assert_eq!(
            next_id("IA-2026-", ["IA-2026-01", "IA-2026-09", "IA-2025-12"], 2),
            "IA-2026-10"
        );
        assert_eq!(next_id("F-2027-", [], 3), "F-2027-001");
        assert_eq!(next_id("R-", ["R-012", "R-x"], 3), "R-013");
    }

    #[test]
    fn every_template_is_embedded_and_parses() {
        for name in template_names() {
            let source = template_source(Path::new("/nonexistent"), name).unwrap();
            let env = minijinja::Environment::new();
            env.template_from_str(&source)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }
}
