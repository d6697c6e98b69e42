//! Finds the ISMS root (the folder holding isms.toml) and the repository around it.

use std::path::{Path, PathBuf};

/// An ISMS root and, when it is inside a git repository, that repository's root.
#[derive(Clone, Debug)]
pub struct Workspace {
    pub root: PathBuf,
    pub repo_root: Option<PathBuf>,
}

impl Workspace {
    /// The ISMS at `path`, or at the nearest folder upward from `path` (default: the current
    /// folder) that holds isms.toml; else the one ISMS in a folder right below `path` (a
    /// repository keeping its ISMS in `isms/`, as `isms init --example` makes).
    pub fn find(path: Option<&Path>) -> Result<Self, String> {
        let start = match path {
            Some(p) => p.to_path_buf(),
            None => std::env::current_dir()
                .map_err(|e| format!("cannot read the current folder: {e}"))?,
        };
        if !start.exists() {
            return Err(format!("{} does not exist", start.display()));
        }
        let start = start
            .canonicalize()
            .map_err(|e| format!("cannot open {}: {e}", start.display()))?;
        let root = start
            .ancestors()
            .find(|dir| dir.join("isms.toml").is_file())
            .map(Path::to_path_buf)
            .or_else(|| only_isms_below(&start))
            .ok_or_else(|| {
                format!(
                    "no isms.toml in {} or any folder above it\n  help: pass the folder that holds isms.toml (`isms check path/to/isms`), or run from inside it",
                    start.display()
                )
            })?;
        // Found as git finds it (`GIT_DIR`, `GIT_WORK_TREE`, worktrees).
        let repo_root = crate::history::work_tree_of(&root);
        Ok(Self { root, repo_root })
    }

    /// How a file below the ISMS root is named in diagnostics: relative to the repository root,
    /// or to the ISMS root outside git.
    pub fn display_prefix(&self) -> String {
        let rel = self
            .repo_root
            .as_ref()
            .and_then(|repo| self.root.strip_prefix(repo).ok())
            .map(|p| {
                p.components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/")
            })
            .unwrap_or_default();
        if rel.is_empty() {
            rel
        } else {
            format!("{rel}/")
        }
    }
}

/// The folder right below `dir` holding isms.toml, when exactly one does.
fn only_isms_below(dir: &Path) -> Option<PathBuf> {
    let mut found = std::fs::read_dir(dir)
        .ok()?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join("isms.toml").is_file());
    let only = found.next()?;
    found.next().is_none().then_some(only)
}
