//! Gitlinks (submodule pointers) of the checked snapshot, found in the tree or the index
//! itself: git records a submodule by its gitlink, and `.gitmodules` is optional, so a
//! submodule committed without it must still be seen (IND017). Only the parts of the tree that
//! area paths can reach are read.

use std::path::Path;

use git2::{ObjectType, Oid, Repository, TreeWalkMode, TreeWalkResult};

const GITLINK: i32 = 0o160000;

/// Every gitlink at or below one of `reach` (repository paths, `""` for the whole tree), or
/// holding one of them, in the index when `staged`, else in the tree of `at` (HEAD when
/// `None`). Unreadable parts yield nothing.
pub(super) fn find(
    repo: &Repository,
    staged: bool,
    at: Option<Oid>,
    reach: &[String],
) -> Vec<String> {
    if reach.is_empty() {
        return Vec::new();
    }
    if staged {
        let Ok(index) = repo.index() else {
            return Vec::new();
        };
        return index
            .iter()
            .filter(|e| e.mode as i32 == GITLINK)
            .map(|e| String::from_utf8_lossy(&e.path).into_owned())
            .filter(|p| reach.iter().any(|r| related(p, r)))
            .collect();
    }
    let commit = match at {
        Some(oid) => repo.find_commit(oid).ok(),
        None => repo.head().ok().and_then(|h| h.peel_to_commit().ok()),
    };
    let Some(tree) = commit.and_then(|c| c.tree().ok()) else {
        return Vec::new();
    };
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
        let _ = subtree.walk(TreeWalkMode::PreOrder, |root, entry| {
            if entry.filemode() == GITLINK {
                out.push(format!("{base}{root}{}", entry.name().unwrap_or_default()));
            }
            TreeWalkResult::Ok
        });
    }
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
}
