//! Gitlinks (submodule pointers) of the checked snapshot, found in the tree or the index
//! itself: git records a submodule by its gitlink, and `.gitmodules` is optional, so a
//! submodule committed without it must still be seen (IND017). Only the parts of the tree that
//! area paths can reach are read, and what was found below each tree is kept by tree id in
//! `.git/isms/gitlinks.bin`: a tree id names all of its content, so a kept answer holds for
//! that tree, and a changed tree (another id) is walked again.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use git2::{ObjectType, Oid, Repository, Tree, TreeWalkMode, TreeWalkResult};

const GITLINK: i32 = 0o160000;

/// Bumped whenever what is kept, or how, changes.
const FORMAT: &str = "isms-gitlinks 2";

/// Every gitlink at or below one of `reach` (repository paths, `""` for the whole tree), or
/// holding one of them, in the index when `staged`, else in the tree of `at` (HEAD when
/// `None`). Unreadable parts yield nothing. With `use_cache`, the gitlinks below each tree
/// walked are kept in the git directory for the next run.
pub(super) fn find(
    repo: &Repository,
    staged: bool,
    at: Option<Oid>,
    reach: &[String],
    use_cache: bool,
) -> Vec<String> {
    let cache = use_cache.then(|| cache_path(repo.path()));
    find_with(repo, staged, at, reach, cache.as_deref()).0
}

/// Where the gitlinks found below each tree are kept.
fn cache_path(git_dir: &Path) -> PathBuf {
    git_dir.join("isms").join("gitlinks.bin")
}

/// [`find`], with the cache file (if any), and how many trees had to be walked.
fn find_with(
    repo: &Repository,
    staged: bool,
    at: Option<Oid>,
    reach: &[String],
    cache: Option<&Path>,
) -> (Vec<String>, usize) {
    if reach.is_empty() {
        return (Vec::new(), 0);
    }
    if staged {
        let Ok(index) = repo.index() else {
            return (Vec::new(), 0);
        };
        let found = index
            .iter()
            .filter(|e| e.mode as i32 == GITLINK)
            .map(|e| String::from_utf8_lossy(&e.path).into_owned())
            .filter(|p| reach.iter().any(|r| related(p, r)))
            .collect();
        return (found, 0);
    }
    let commit = match at {
        Some(oid) => repo.find_commit(oid).ok(),
        None => repo.head().ok().and_then(|h| h.peel_to_commit().ok()),
    };
    let Some(tree) = commit.and_then(|c| c.tree().ok()) else {
        return (Vec::new(), 0);
    };
    let mut known = Known::load(cache);
    let mut out = Vec::new();
    for dir in reach {
        // A gitlink on the way down holds the reached path.
        let parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
        let mut below = None;
        for n in 1..=parts.len() {
            let path = parts[..n].join("/");
            let Ok(entry) = tree.get_path(Path::new(&path)) else {
                break;
            };
            if entry.filemode() == GITLINK {
                out.push(path);
                break;
            }
            if n == parts.len() && entry.kind() == Some(ObjectType::Tree) {
                below = entry.to_object(repo).ok().and_then(|o| o.into_tree().ok());
            }
        }
        let subtree = if parts.is_empty() {
            Some(tree.clone())
        } else {
            below
        };
        let Some(subtree) = subtree else { continue };
        let base = if parts.is_empty() {
            String::new()
        } else {
            format!("{}/", parts.join("/"))
        };
        out.extend(known.below(&subtree).iter().map(|p| format!("{base}{p}")));
    }
    let walked = known.walked;
    known.save(cache);
    (out, walked)
}

/// The gitlinks below trees, by tree id: those kept from earlier runs, and those used in this
/// one (the only ones saved, so the file holds what the area paths reach now).
#[derive(Default)]
struct Known {
    kept: BTreeMap<Oid, Vec<String>>,
    used: BTreeMap<Oid, Vec<String>>,
    walked: usize,
}

impl Known {
    /// What a cache file holds; nothing when there is none, or it is damaged (never trusted).
    fn load(cache: Option<&Path>) -> Self {
        let kept = cache
            .and_then(|file| super::cache::read_checked(file, FORMAT))
            .and_then(|body| serde_json::from_slice::<BTreeMap<String, Vec<String>>>(&body).ok())
            .map(|map| {
                map.into_iter()
                    .filter_map(|(id, paths)| Some((Oid::from_str(&id).ok()?, paths)))
                    .collect()
            })
            .unwrap_or_default();
        Known {
            kept,
            ..Known::default()
        }
    }

    /// The gitlinks below `tree`, relative to it: kept, or found by walking it.
    fn below(&mut self, tree: &Tree<'_>) -> &[String] {
        let id = tree.id();
        if !self.used.contains_key(&id) {
            let found = match self.kept.get(&id) {
                Some(found) => found.clone(),
                None => {
                    self.walked += 1;
                    walk(tree)
                }
            };
            self.used.insert(id, found);
        }
        self.used.get(&id).map_or(&[], Vec::as_slice)
    }

    /// Saves what this run used, when it differs from what was kept. A repository that cannot
    /// be written to is read again next time.
    fn save(self, cache: Option<&Path>) {
        let Some(file) = cache else { return };
        if self.used == self.kept {
            return;
        }
        let map: BTreeMap<String, &Vec<String>> = self
            .used
            .iter()
            .map(|(id, paths)| (id.to_string(), paths))
            .collect();
        if let Ok(body) = serde_json::to_vec(&map) {
            let _ = super::cache::write_checked(file, FORMAT, &body);
        }
    }
}

/// Every gitlink below `tree`, relative to it.
fn walk(tree: &Tree<'_>) -> Vec<String> {
    let mut out = Vec::new();
    let _ = tree.walk(TreeWalkMode::PreOrder, |root, entry| {
        if entry.filemode() == GITLINK {
            out.push(format!("{root}{}", entry.name().unwrap_or_default()));
        }
        TreeWalkResult::Ok
    });
    out
}

/// Whether `path` is `dir`, lies below it, or holds it.
fn related(path: &str, dir: &str) -> bool {
    dir.is_empty()
        || path == dir
        || path.strip_prefix(dir).is_some_and(|r| r.starts_with('/'))
        || dir.strip_prefix(path).is_some_and(|r| r.starts_with('/'))
}

/// The directory part of a repository glob before its first wildcard (`vendor/**` ->
/// `vendor`; `**` -> the whole tree).
pub(crate) fn literal_dir(glob: &str) -> String {
    glob.split('/')
        .take_while(|p| !p.contains(['*', '?', '[', '{']))
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_literal_part_of_a_glob_is_where_gitlinks_are_looked_for() {
        assert_eq!(literal_dir("vendor/**"), "vendor");
        assert_eq!(literal_dir("vendor/sdk/src/*.c"), "vendor/sdk/src");
        assert_eq!(literal_dir("**"), "");
        assert_eq!(literal_dir("infra/{a,b}/x"), "infra");
    }

    #[test]
    fn a_gitlink_is_related_to_paths_it_is_holds_or_lies_below() {
        assert!(related("vendor/sdk", "vendor"));
        assert!(related("vendor/sdk", "vendor/sdk/src"));
        assert!(related("vendor/sdk", ""));
        assert!(!related("vendor/sdk2", "vendor/sdk"));
        assert!(!related("vendor/sdk", "vendor/sdk2"));
    }

    /// A commit whose tree holds `vendor/<name>` gitlinks (and a file), on HEAD.
    fn commit_with_gitlinks(repo: &Repository, names: &[&str]) -> Oid {
        let pointer = Oid::from_str("1111111111111111111111111111111111111111").unwrap();
        let file = repo.blob(b"x\n").unwrap();
        let mut vendor = repo.treebuilder(None).unwrap();
        vendor.insert("README", file, 0o100644).unwrap();
        for name in names {
            vendor.insert(name, pointer, GITLINK).unwrap();
        }
        let vendor = vendor.write().unwrap();
        let mut root = repo.treebuilder(None).unwrap();
        root.insert("vendor", vendor, 0o040000).unwrap();
        let tree = repo.find_tree(root.write().unwrap()).unwrap();
        let sig = git2::Signature::new("A", "a@example.org", &git2::Time::new(0, 0)).unwrap();
        let parent = repo.head().ok().and_then(|h| h.peel_to_commit().ok());
        let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
        repo.commit(Some("HEAD"), &sig, &sig, "c", &tree, &parents)
            .unwrap()
    }

    #[test]
    fn the_gitlinks_below_a_tree_are_kept_by_its_id_and_never_trusted_for_another() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        commit_with_gitlinks(&repo, &["sdk"]);
        let cache = cache_path(repo.path());
        let reach = ["vendor".to_string()];
        let run = || find_with(&repo, false, None, &reach, Some(&cache));
        // First run walks, the second reads the kept answer.
        assert_eq!(run(), (vec!["vendor/sdk".to_string()], 1));
        assert_eq!(run(), (vec!["vendor/sdk".to_string()], 0));
        // Another tree (a gitlink added): walked again, never the old answer.
        commit_with_gitlinks(&repo, &["sdk", "tools"]);
        assert_eq!(
            run(),
            (
                vec!["vendor/sdk".to_string(), "vendor/tools".to_string()],
                1
            )
        );
        // A damaged file is not trusted: the tree is walked again, with the same answer.
        let mut bytes = std::fs::read(&cache).unwrap();
        let last = bytes.len() - 2;
        bytes[last] ^= 0x20;
        std::fs::write(&cache, bytes).unwrap();
        assert_eq!(
            run(),
            (
                vec!["vendor/sdk".to_string(), "vendor/tools".to_string()],
                1
            )
        );
        // Without the cache nothing is read or written.
        std::fs::remove_file(&cache).unwrap();
        let (found, walked) = find_with(&repo, false, None, &reach, None);
        assert_eq!((found.len(), walked), (2, 1));
        assert!(!cache.exists());
    }
}
