//! The history index saved under the repository's git directory, so a second run walks only
//! the commits made since. A cache that fails its checksum or does not parse is rebuilt, never
//! trusted; the caller rebuilds it too when its HEAD is no longer an ancestor (rewritten history).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use git2::Oid;
use serde::{Deserialize, Serialize};

use super::repo::{RawChange, RawCommit, RawSignature};

/// Bumped whenever what is stored, or how commits are diffed, changes.
const FORMAT: &str = "isms-history-cache 5";

/// Where the cache of a repository lives.
pub(crate) fn path(git_dir: &Path) -> PathBuf {
    git_dir.join("isms").join("history.json")
}

/// A cached index: the commit it was built at and every non-merge commit reachable from it.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Cached {
    pub head: Oid,
    /// Every commit, merges included; their order carries no meaning (the reader puts them in
    /// canonical order).
    pub commits: Vec<RawCommit>,
}

#[derive(Serialize, Deserialize)]
struct Stored {
    head: String,
    /// Interned paths: changes refer to them by index.
    paths: Vec<String>,
    commits: Vec<StoredCommit>,
}

#[derive(Serialize, Deserialize)]
struct StoredCommit {
    #[serde(rename = "i")]
    id: String,
    #[serde(rename = "p", default, skip_serializing_if = "Vec::is_empty")]
    parents: Vec<String>,
    #[serde(rename = "a")]
    author: StoredSignature,
    /// Absent when it is the author.
    #[serde(rename = "m", default, skip_serializing_if = "Option::is_none")]
    committer: Option<StoredSignature>,
    #[serde(rename = "c", default, skip_serializing_if = "Vec::is_empty")]
    co_authors: Vec<(String, String)>,
    #[serde(rename = "ap", default, skip_serializing_if = "Vec::is_empty")]
    approved_by: Vec<(String, String)>,
    #[serde(rename = "s")]
    subject: String,
    /// (path, blob or "" when deleted, renamed-from path or u32::MAX)
    #[serde(rename = "f")]
    changes: Vec<(u32, String, u32)>,
}

/// (name, email, seconds since the epoch, offset in minutes)
#[derive(Serialize, Deserialize)]
struct StoredSignature(String, String, i64, i32);

impl StoredSignature {
    fn of(s: &RawSignature) -> Self {
        Self(s.name.clone(), s.email.clone(), s.time, s.offset)
    }

    fn raw(self) -> RawSignature {
        RawSignature {
            name: self.0,
            email: self.1,
            time: self.2,
            offset: self.3,
        }
    }
}

const NONE: u32 = u32::MAX;

/// FNV-1a: enough to tell a damaged file from a good one.
fn checksum(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The body of a cache file whose header names `format` and whose checksum holds.
pub(super) fn read_checked(file: &Path, format: &str) -> Option<Vec<u8>> {
    let mut bytes = std::fs::read(file).ok()?;
    let newline = bytes.iter().position(|b| *b == b'\n')?;
    let header = std::str::from_utf8(&bytes[..newline]).ok()?;
    let sum = u64::from_str_radix(header.strip_prefix(format)?.trim(), 16).ok()?;
    let body = bytes.split_off(newline + 1);
    (sum == checksum(&body)).then_some(body)
}

/// Writes `body` under a header with `format` and its checksum, atomically (a temporary file
/// renamed over the old one).
pub(super) fn write_checked(file: &Path, format: &str, body: &[u8]) -> std::io::Result<()> {
    let dir = file.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = file
        .file_name()
        .map_or("cache".into(), |n| n.to_string_lossy().into_owned());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let mut bytes = format!("{format} {:016x}\n", checksum(body)).into_bytes();
    bytes.extend_from_slice(body);
    std::fs::write(&tmp, &bytes)?;
    std::fs::rename(&tmp, file).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

/// What was read from blobs, by kind and blob id: a cached run reads no blob again.
pub(crate) type BlobFacts = HashMap<String, (Option<Vec<String>>, u64)>;

const BLOBS_FORMAT: &str = "isms-blob-facts 1";

pub(crate) fn blobs_path(git_dir: &Path) -> PathBuf {
    git_dir.join("isms").join("blobs.json")
}

pub(crate) fn load_blobs(file: &Path) -> BlobFacts {
    read_checked(file, BLOBS_FORMAT)
        .and_then(|body| serde_json::from_slice(&body).ok())
        .unwrap_or_default()
}

pub(crate) fn save_blobs(file: &Path, facts: &BlobFacts) -> std::io::Result<()> {
    let body = serde_json::to_vec(facts).map_err(std::io::Error::other)?;
    write_checked(file, BLOBS_FORMAT, &body)
}

/// Reads the cache; `None` when it is absent, of another format, damaged or unparsable.
pub(crate) fn load(file: &Path) -> Option<Cached> {
    let body = read_checked(file, FORMAT)?;
    let stored: Stored = serde_json::from_slice(&body).ok()?;
    let path = |i: u32| stored.paths.get(i as usize).cloned();
    let mut commits = Vec::with_capacity(stored.commits.len());
    for c in stored.commits {
        let mut changes = Vec::with_capacity(c.changes.len());
        for (p, blob, from) in c.changes {
            changes.push(RawChange {
                path: path(p)?,
                blob: if blob.is_empty() {
                    None
                } else {
                    Some(Oid::from_str(&blob).ok()?)
                },
                from: if from == NONE {
                    None
                } else {
                    Some(path(from)?)
                },
            });
        }
        let parents = c
            .parents
            .iter()
            .map(|p| Oid::from_str(p).ok())
            .collect::<Option<Vec<Oid>>>()?;
        let author = c.author.raw();
        commits.push(RawCommit {
            id: Oid::from_str(&c.id).ok()?,
            parents,
            committer: c
                .committer
                .map_or_else(|| author.clone(), StoredSignature::raw),
            author,
            co_authors: c.co_authors,
            approved_by: c.approved_by,
            subject: c.subject,
            changes,
        });
    }
    Some(Cached {
        head: Oid::from_str(&stored.head).ok()?,
        commits,
    })
}

/// Writes the cache atomically (a temporary file renamed over the old one). Failing to write
/// it only costs the next run time, so errors are returned for the caller to ignore.
pub(crate) fn save(file: &Path, head: Oid, commits: &[RawCommit]) -> std::io::Result<()> {
    let mut paths: Vec<String> = Vec::new();
    let mut index: HashMap<String, u32> = HashMap::new();
    let mut intern = |p: &str, paths: &mut Vec<String>| -> u32 {
        if let Some(i) = index.get(p) {
            return *i;
        }
        let i = paths.len() as u32;
        paths.push(p.to_string());
        index.insert(p.to_string(), i);
        i
    };
    let mut stored_commits = Vec::with_capacity(commits.len());
    for c in commits {
        let changes = c
            .changes
            .iter()
            .map(|ch| {
                let p = intern(&ch.path, &mut paths);
                let from = ch.from.as_deref().map_or(NONE, |f| intern(f, &mut paths));
                (p, ch.blob.map(|b| b.to_string()).unwrap_or_default(), from)
            })
            .collect();
        stored_commits.push(StoredCommit {
            id: c.id.to_string(),
            parents: c.parents.iter().map(Oid::to_string).collect(),
            author: StoredSignature::of(&c.author),
            committer: (c.committer != c.author).then(|| StoredSignature::of(&c.committer)),
            co_authors: c.co_authors.clone(),
            approved_by: c.approved_by.clone(),
            subject: c.subject.clone(),
            changes,
        });
    }
    let stored = Stored {
        head: head.to_string(),
        paths,
        commits: stored_commits,
    };
    let body = serde_json::to_vec(&stored).map_err(std::io::Error::other)?;
    write_checked(file, FORMAT, &body)
}
