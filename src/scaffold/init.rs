//! `isms init DIR [--org NAME]`: a new ISMS that passes `isms check` with only warnings, each
//! telling what is still to be filled in or decided.

use std::path::{Path, PathBuf};

use serde_json::json;

use super::{NewFile, SCHEMAS, SchemaRef, render, write_all, write_new};
use crate::catalog::iso27001;
use crate::model::Date;

pub struct Options {
    pub dir: PathBuf,
    pub org: Option<String>,
    pub today: Date,
}

/// What `init` did, for the user.
pub struct Done {
    pub root: PathBuf,
    pub written: Vec<String>,
    /// A git repository was created at the ISMS root.
    pub git_initialised: bool,
    pub notes: Vec<String>,
}

/// Git's configuration as the git CLI reads it: the system file (unless `GIT_CONFIG_NOSYSTEM`),
/// the global one (`GIT_CONFIG_GLOBAL` when set, else `~/.gitconfig` and the XDG file), then the
/// repository's own `config`, each with its `include.path`s.
pub fn git_config(repo: Option<&git2::Repository>) -> Result<git2::Config, git2::Error> {
    use git2::ConfigLevel;
    let mut config = git2::Config::new()?;
    let no_system = std::env::var_os("GIT_CONFIG_NOSYSTEM").is_some_and(|v| !v.is_empty());
    let system = std::env::var_os("GIT_CONFIG_SYSTEM")
        .map(PathBuf::from)
        .or_else(|| git2::Config::find_system().ok());
    if let Some(system) = system.filter(|p| !no_system && p.is_file()) {
        config.add_file(&system, ConfigLevel::System, false)?;
    }
    match std::env::var_os("GIT_CONFIG_GLOBAL") {
        Some(global) => {
            let global = PathBuf::from(global);
            if global.is_file() {
                config.add_file(&global, ConfigLevel::Global, false)?;
            }
        }
        None => {
            for found in [git2::Config::find_xdg(), git2::Config::find_global()] {
                if let Some(path) = found.ok().filter(|p| p.is_file()) {
                    let level = if path.ends_with(".gitconfig") {
                        ConfigLevel::Global
                    } else {
                        ConfigLevel::XDG
                    };
                    config.add_file(&path, level, false)?;
                }
            }
        }
    }
    if let Some(repo) = repo {
        let local = repo.path().join("config");
        if local.is_file() {
            config.add_file(&local, ConfigLevel::Local, false)?;
        }
    }
    Ok(config)
}

/// The person who runs `init`, from git's `user.name` and `user.email`; a placeholder without.
fn first_person(repo: &git2::Repository) -> (String, String, Vec<String>) {
    let config = git_config(Some(repo)).ok();
    let get = |key: &str| {
        config
            .as_ref()
            .and_then(|c| c.get_string(key).ok())
            .filter(|s| !s.trim().is_empty())
    };
    match get("user.name") {
        Some(name) => {
            let id = slug(&name);
            let id = if id.is_empty() {
                "isms-manager".into()
            } else {
                id
            };
            let emails = get("user.email").into_iter().collect();
            (id, name, emails)
        }
        None => (
            "isms-manager".into(),
            "TODO: the ISMS manager's name".into(),
            Vec::new(),
        ),
    }
}

/// A new git repository at `root`, on the branch `init.defaultBranch` names, else `main`.
pub fn new_repository(root: &Path) -> Result<(git2::Repository, String), String> {
    let branch = git_config(None)
        .ok()
        .and_then(|c| c.get_string("init.defaultBranch").ok())
        .map(|b| b.trim().to_string())
        .filter(|b| git2::Reference::is_valid_name(&format!("refs/heads/{b}")))
        .unwrap_or_else(|| "main".into());
    let mut options = git2::RepositoryInitOptions::new();
    options.initial_head(&branch);
    let repo = git2::Repository::init_opts(root, &options).map_err(|e| {
        format!(
            "cannot create a git repository in {}: {}",
            root.display(),
            e.message()
        )
    })?;
    Ok((repo, branch))
}

/// `dir` made ready for a new ISMS: created if new, refused unless empty; its canonical path.
pub fn empty_folder(dir: &Path) -> Result<PathBuf, String> {
    if dir.exists() {
        if !dir.is_dir() {
            return Err(format!("{} exists and is not a folder", dir.display()));
        }
        let mut entries =
            std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        if entries.next().is_some() {
            return Err(format!(
                "{} is not empty: `isms init` creates a new ISMS in an empty or new folder",
                dir.display()
            ));
        }
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    dir.canonicalize()
        .map_err(|e| format!("cannot open {}: {e}", dir.display()))
}

/// `Jane Doe` as `jane-doe`.
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// `path` relative to `base` with `/`, or `.` when they are the same.
fn relative(path: &Path, base: &Path) -> String {
    let rel = path.strip_prefix(base).unwrap_or(path);
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.is_empty() {
        ".".into()
    } else {
        parts.join("/")
    }
}

pub fn init(options: &Options) -> Result<Done, String> {
    let root = empty_folder(&options.dir)?;

    // The repository around the ISMS, or a new one, so history is recorded from the first commit.
    // Found as git finds it; the new one reopened likewise, so its configuration is read as
    // the git CLI reads it (`GIT_CONFIG_GLOBAL`, includes).
    let (repo, git_initialised) = match crate::history::open_repository(&root) {
        Ok(repo) if !repo.is_bare() => (repo, false),
        _ => (new_repository(&root)?.0, true),
    };
    let repo_root = repo
        .workdir()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| root.clone());
    let repo_root = repo_root.canonicalize().unwrap_or(repo_root);
    let isms_path = relative(&root, &repo_root);

    let (person_id, person_name, emails) = first_person(&repo);
    let signing = super::signing::setup(repo.config().ok().as_ref());
    let org = options
        .org
        .clone()
        .filter(|o| !o.trim().is_empty())
        .or_else(|| root.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "TODO: organisation name".into());
    let today = options.today;
    let month = &today.to_string()[..7];
    let cycle_start = format!("{month}-01");
    let catalog = iso27001();
    let themes: Vec<_> = catalog
        .themes
        .iter()
        .map(|t| {
            let controls: Vec<_> = catalog
                .controls
                .iter()
                .filter(|c| c.theme == t.key)
                .map(|c| json!({"id": c.id, "title": c.title}))
                .collect();
            json!({"id": t.id, "title": t.title, "controls": controls})
        })
        .collect();
    let clauses: Vec<&str> = catalog
        .requirement_clauses()
        .map(|c| c.id.as_str())
        .collect();
    let ctx = json!({
        "org": org,
        "scope": format!("TODO: what the ISMS of {org} covers (clause 4.3): the organisation, its products and services, its locations and systems, the interfaces with suppliers and cloud providers, and what is excluded with why."),
        "today": today.to_string(),
        "cycle_start": cycle_start,
        "person": {"id": person_id, "name": person_name, "emails": emails, "signing_keys": signing.key.iter().collect::<Vec<_>>()},
        "themes": themes,
        "clauses": clauses,
        "path": isms_path,
        // Signed records from the start when git signs commits with a key isms can verify;
        // otherwise "off" until the user sets signing up, so a first check is not an error
        // about keys nobody has yet.
        "signatures": if signing.key.is_some() { "records" } else { "off" },
    });
    let schema = SchemaRef {
        dir: format!("{SCHEMAS}/"),
    };
    let mut files = Vec::new();
    let mut add = |rel: &str, template: &str, depth: usize| -> Result<(), String> {
        files.push(NewFile {
            path: root.join(rel),
            text: render(&root, template, Some(&schema), depth, ctx.clone())?,
        });
        Ok(())
    };
    for name in [
        "isms.toml",
        "people.toml",
        "areas.toml",
        "soa.toml",
        "risks.toml",
    ] {
        add(name, name, 0)?;
    }
    add(
        "documents/isms/information-security-policy.md",
        "policy.md",
        2,
    )?;
    add("audits/programme.toml", "programme.toml", 1)?;
    for (kind, _) in crate::schema::KINDS {
        if let Some(text) = crate::schema::schema_text(kind) {
            files.push(NewFile {
                path: root.join(SCHEMAS).join(format!("{kind}.schema.json")),
                text,
            });
        }
    }
    files.push(NewFile {
        path: root.join(".gitignore"),
        text: "# The audit site built by `isms build`\n/_site/\n".into(),
    });
    write_all(&files)?;
    let mut written: Vec<String> = files.iter().map(|f| relative(&f.path, &root)).collect();

    let signatures = if signing.key.is_some() {
        "isms.toml sets `[independence] signatures = \"records\"`: commits that change audit records, findings, approvals, risks, isms.toml or people.toml must be signed with a key listed in people.toml (IND014, IND015); set it to \"off\" to rely on author emails alone"
    } else {
        "isms.toml sets `[independence] signatures = \"off\"` because git has no signing key isms can verify: once you sign commits, set it to \"records\" so that records must be signed by their authors' keys (IND014, IND015)"
    };
    let mut notes = vec![signatures.to_string(), signing.note];
    // The hook and the workflow belong at the repository root; an existing one is left alone.
    for (rel, template) in [
        (".pre-commit-config.yaml", "pre-commit-config.yaml"),
        (".github/workflows/isms.yml", "workflow.yml"),
    ] {
        let path = repo_root.join(rel);
        if path.exists() {
            notes.push(format!(
                "{} exists and was left alone: add `isms check {isms_path}` to it",
                path.display()
            ));
            continue;
        }
        let text = render(&root, template, None, 0, ctx.clone())?;
        write_new(&path, &text)?;
        written.push(relative(&path, &root));
    }
    Ok(Done {
        root,
        written,
        git_initialised,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slug("Jane Doe"), "jane-doe");
        assert_eq!(slug("  Zoë O'Brien "), "zo-o-brien");
        assert_eq!(slug("!!"), "");
    }
}
