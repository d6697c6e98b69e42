//! Where ISMS files come from: the working tree here; the git index and a commit's tree later.
//!
//! Everything the loader reads goes through [`Source`], so `--staged`, `isms diff` and document
//! history share one loading path.

use std::io;
use std::path::{Path, PathBuf};

/// One entry below the ISMS root.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Relative to the ISMS root, with `/`.
    pub path: String,
    pub kind: EntryKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EntryKind {
    File {
        size: u64,
    },
    /// A symbolic link: never followed, so nothing outside the repository is read.
    Symlink,
    /// Listed but unreadable (permissions, a broken directory).
    Unreadable(String),
}

/// A tree of ISMS files.
pub trait Source {
    /// Every file below the ISMS root, sorted by path. Folders starting with `.` and the site's
    /// default output folder `_site` are not ISMS content and are left out.
    fn list(&self) -> Vec<Entry>;
    /// The bytes of one file, by its path relative to the ISMS root.
    fn read(&self, path: &str) -> io::Result<Vec<u8>>;
}

/// The files on disk below the ISMS root.
pub struct WorkTree {
    root: PathBuf,
}

impl WorkTree {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }
}

/// Whether a folder below the ISMS root holds no ISMS content.
pub fn is_skipped_dir(name: &str) -> bool {
    name.starts_with('.') || name == "_site" || name == "target"
}

fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

impl Source for WorkTree {
    fn list(&self) -> Vec<Entry> {
        let mut entries = Vec::new();
        let walker = walkdir::WalkDir::new(&self.root)
            .follow_links(false)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                e.depth() == 0
                    || !e.file_type().is_dir()
                    || !is_skipped_dir(&e.file_name().to_string_lossy())
            });
        for item in walker {
            match item {
                Ok(e) if e.file_type().is_dir() => {}
                Ok(e) => {
                    let path = relative(&self.root, e.path());
                    let kind = if e.file_type().is_symlink() {
                        EntryKind::Symlink
                    } else {
                        match e.metadata() {
                            Ok(m) => EntryKind::File { size: m.len() },
                            Err(err) => EntryKind::Unreadable(err.to_string()),
                        }
                    };
                    entries.push(Entry { path, kind });
                }
                Err(err) => {
                    let path = err
                        .path()
                        .map(|p| relative(&self.root, p))
                        .unwrap_or_default();
                    entries.push(Entry {
                        path,
                        kind: EntryKind::Unreadable(err.to_string()),
                    });
                }
            }
        }
        entries.sort_by(|a, b| a.path.cmp(&b.path));
        entries
    }

    fn read(&self, path: &str) -> io::Result<Vec<u8>> {
        std::fs::read(self.root.join(path))
    }
}
