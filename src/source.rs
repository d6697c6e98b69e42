//! Where ISMS files come from: the working tree, the git index (staged) or a commit's tree.
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

/// Files held in memory, by path relative to the ISMS root: the example ISMS embedded in the
/// binary (`isms init --example`).
pub struct Memory {
    files: std::collections::BTreeMap<String, Vec<u8>>,
}

impl Memory {
    pub fn new<'a>(files: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        Self {
            files: files
                .into_iter()
                .map(|(path, text)| (path.to_string(), text.as_bytes().to_vec()))
                .collect(),
        }
    }
}

impl Source for Memory {
    fn list(&self) -> Vec<Entry> {
        self.files
            .iter()
            .filter(|(path, _)| {
                let mut folders: Vec<&str> = path.split('/').collect();
                folders.pop();
                !folders.iter().any(|f| is_skipped_dir(f))
            })
            .map(|(path, bytes)| Entry {
                path: path.clone(),
                kind: EntryKind::File {
                    size: bytes.len() as u64,
                },
            })
            .collect()
    }

    fn read(&self, path: &str) -> io::Result<Vec<u8>> {
        self.files
            .get(path)
            .cloned()
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, format!("{path}: no such file")))
    }
}

/// A snapshot of the ISMS stored in git: the staged index or a commit's tree. Files are read
/// from the object database, so the working tree plays no part.
pub struct GitSnapshot {
    repo: git2::Repository,
    /// Path relative to the ISMS root -> (blob, size), sorted; symlinks have no blob.
    entries: std::collections::BTreeMap<String, Option<(git2::Oid, u64)>>,
}

/// The staged version of the ISMS (`isms check --staged`).
pub type GitIndex = GitSnapshot;
/// The ISMS as one commit recorded it (`isms diff`, document history).
pub type CommitTree = GitSnapshot;

const MODE_LINK: u32 = 0o120000;
const MODE_GITLINK: u32 = 0o160000;

impl GitSnapshot {
    /// The index git would commit for the ISMS at `isms_root` (`GIT_INDEX_FILE` when git sets
    /// it, as `git commit -a` does for its hooks), below `prefix` (the ISMS root relative to
    /// the repository root, empty or ending in `/`).
    pub fn index(isms_root: &Path, prefix: &str) -> Result<Self, git2::Error> {
        let repo = crate::history::open_repository(isms_root)?;
        let index = repo.index()?;
        let mut entries = std::collections::BTreeMap::new();
        for e in index.iter() {
            // Stage 0 only: during a merge conflict the other stages are not content yet.
            if (e.flags >> 12) & 0x3 != 0 || e.mode == MODE_GITLINK {
                continue;
            }
            let path = String::from_utf8_lossy(&e.path).into_owned();
            let Some(rel) = below(&path, prefix) else {
                continue;
            };
            let value = (e.mode != MODE_LINK).then_some((e.id, u64::from(e.file_size)));
            entries.insert(rel, value);
        }
        drop(index);
        Ok(Self { repo, entries })
    }

    /// The tree of `revision` (a commit, branch or tag) below `prefix`, in the repository git
    /// would use for `start`.
    pub fn commit(start: &Path, prefix: &str, revision: &str) -> Result<Self, git2::Error> {
        let repo = crate::history::open_repository(start)?;
        let mut entries = std::collections::BTreeMap::new();
        {
            let tree = repo.revparse_single(revision)?.peel_to_tree()?;
            // Sizes from object headers: no file content is inflated to list the tree.
            let odb = repo.odb()?;
            tree.walk(git2::TreeWalkMode::PreOrder, |dir, entry| {
                if entry.kind() != Some(git2::ObjectType::Blob) {
                    return git2::TreeWalkResult::Ok;
                }
                let path = format!("{dir}{}", String::from_utf8_lossy(entry.name_bytes()));
                if let Some(rel) = below(&path, prefix) {
                    let link = entry.filemode() as u32 == MODE_LINK;
                    let size = odb
                        .read_header(entry.id())
                        .map_or(0, |(size, _)| size as u64);
                    entries.insert(rel, (!link).then_some((entry.id(), size)));
                }
                git2::TreeWalkResult::Ok
            })?;
        }
        Ok(Self { repo, entries })
    }
}

/// `path` relative to `prefix`, unless it lies outside it or in a skipped folder.
fn below(path: &str, prefix: &str) -> Option<String> {
    let rel = path.strip_prefix(prefix)?;
    let mut parts: Vec<&str> = rel.split('/').collect();
    parts.pop();
    if rel.is_empty() || parts.iter().any(|d| is_skipped_dir(d)) {
        return None;
    }
    Some(rel.to_string())
}

impl Source for GitSnapshot {
    fn list(&self) -> Vec<Entry> {
        self.entries
            .iter()
            .map(|(path, blob)| Entry {
                path: path.clone(),
                kind: match blob {
                    Some((_, size)) => EntryKind::File { size: *size },
                    None => EntryKind::Symlink,
                },
            })
            .collect()
    }

    fn read(&self, path: &str) -> io::Result<Vec<u8>> {
        match self.entries.get(path) {
            Some(Some((oid, _))) => self
                .repo
                .find_blob(*oid)
                .map(|b| b.content().to_vec())
                .map_err(|e| io::Error::other(e.message().to_string())),
            Some(None) => Err(io::Error::other("a symbolic link is not read")),
            None => Err(io::Error::new(
                io::ErrorKind::NotFound,
                format!("{path} is not in git"),
            )),
        }
    }
}
