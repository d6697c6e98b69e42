//! What a merge commit did itself: its tree compared with an automatic re-merge of its parents
//! (as `git log --remerge-diff` shows it), so a clean merge counts for nobody while conflict
//! resolutions and edits slipped into a merge count for the merger.

use std::collections::{BTreeSet, HashSet};
use std::path::Path;

use git2::Oid;

use super::repo::{RawChange, Repo};

/// A path's content in a tree: blob id and mode; `None` when absent.
type Entry = Option<(Oid, i32)>;

fn entry_in(tree: &git2::Tree<'_>, path: &str) -> Entry {
    tree.get_path(Path::new(path))
        .ok()
        .map(|e| (e.id(), e.filemode()))
}

impl Repo {
    /// The paths a merge wrote itself. Only where both parents changed the same paths since
    /// their merge base is the re-merge needed (it reads those blobs); elsewhere the automatic
    /// result is the one parent that changed a path, so the merge's own work is where its tree
    /// differs from every parent.
    pub(super) fn merge_changes(
        &self,
        commit: &git2::Commit<'_>,
        tree: &git2::Tree<'_>,
    ) -> Result<Vec<RawChange>, git2::Error> {
        let parents: Vec<git2::Tree<'_>> = commit
            .parents()
            .map(|p| p.tree())
            .collect::<Result<_, _>>()?;
        let Some((first, others)) = parents.split_first() else {
            return Ok(Vec::new());
        };
        let both = self.changed_on_both_sides(commit)?;
        let mut found = Vec::new();
        self.tree_diff(Some(first), Some(tree), "", &mut found)?;
        let mut own: Vec<RawChange> = Vec::new();
        for f in found {
            if both.as_ref().is_some_and(|b| b.paths.contains(&f.path)) {
                continue;
            }
            let ours = entry_in(tree, &f.path);
            if others.iter().all(|p| entry_in(p, &f.path) != ours) {
                own.push(RawChange {
                    path: f.path,
                    blob: f.new,
                    from: None,
                });
            }
        }
        if let Some(both) = both {
            own.extend(self.remerge_differences(tree, &both)?);
        }
        own.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(own)
    }

    /// For a two-parent merge, the paths both parents changed since their merge base; `None`
    /// when there are none (or for an octopus merge, or parents without a common base).
    fn changed_on_both_sides(
        &self,
        commit: &git2::Commit<'_>,
    ) -> Result<Option<BothSides>, git2::Error> {
        let ids: Vec<Oid> = commit.parent_ids().collect();
        let [ours, theirs] = ids[..] else {
            return Ok(None);
        };
        let Ok(base) = self.repo.merge_base(ours, theirs) else {
            return Ok(None);
        };
        let trees = [base, ours, theirs].map(|id| self.repo.find_commit(id).map(|c| c.tree_id()));
        let [Ok(base_tree), Ok(ours_tree), Ok(theirs_tree)] = trees else {
            return Ok(None);
        };
        // One side is diffed in full (the merged branch: usually the smaller); the other only
        // in the folders the first changed something in. The same paths as intersecting both
        // sides' full diffs, without reading all of the busier side.
        let base = self.repo.find_tree(base_tree)?;
        let ours = self.repo.find_tree(ours_tree)?;
        let theirs = self.repo.find_tree(theirs_tree)?;
        let mut on_theirs = Vec::new();
        self.tree_diff(Some(&base), Some(&theirs), "", &mut on_theirs)?;
        let on_theirs: BTreeSet<String> = on_theirs.into_iter().map(|f| f.path).collect();
        let mut on_ours = Vec::new();
        self.tree_diff_within(Some(&base), Some(&ours), "", Some(&on_theirs), &mut on_ours)?;
        let paths: HashSet<String> = on_ours
            .into_iter()
            .map(|f| f.path)
            .filter(|p| on_theirs.contains(p))
            .collect();
        Ok((!paths.is_empty()).then_some(BothSides {
            paths,
            base: base_tree,
            ours: ours_tree,
            theirs: theirs_tree,
        }))
    }

    /// The paths changed on both sides where the merge's tree differs from what git's automatic
    /// merge of the parents gives: every conflicted path, and every path whose clean result the
    /// merger changed.
    fn remerge_differences(
        &self,
        tree: &git2::Tree<'_>,
        both: &BothSides,
    ) -> Result<Vec<RawChange>, git2::Error> {
        let base = self.repo.find_tree(both.base)?;
        let ours = self.repo.find_tree(both.ours)?;
        let theirs = self.repo.find_tree(both.theirs)?;
        let index = self.repo.merge_trees(&base, &ours, &theirs, None)?;
        let mut conflicted: HashSet<String> = HashSet::new();
        if index.has_conflicts() {
            for c in index.conflicts()? {
                let c = c?;
                for e in [c.ancestor, c.our, c.their].into_iter().flatten() {
                    conflicted.insert(String::from_utf8_lossy(&e.path).into_owned());
                }
            }
        }
        let mut paths: Vec<&String> = both.paths.iter().collect();
        paths.sort();
        let mut out = Vec::new();
        for path in paths {
            let ours = entry_in(tree, path);
            let automatic: Entry = index
                .get_path(Path::new(path), 0)
                .map(|e| (e.id, e.mode as i32));
            if conflicted.contains(path) || automatic != ours {
                out.push(RawChange {
                    path: path.clone(),
                    blob: ours.map(|(id, _)| id),
                    from: None,
                });
            }
        }
        Ok(out)
    }
}

/// The trees of a two-sided merge and the paths both sides changed.
struct BothSides {
    paths: HashSet<String>,
    base: Oid,
    ours: Oid,
    theirs: Oid,
}
