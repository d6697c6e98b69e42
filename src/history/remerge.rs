//! What a merge commit did itself: its tree compared with an automatic re-merge of its parents
//! (as `git log --remerge-diff` shows it), so a clean merge counts for nobody while conflict
//! resolutions and edits slipped into a merge count for the merger.

use std::collections::{BTreeSet, HashSet};
use std::path::Path;

use git2::Oid;

use super::merge_bases::{CommitGraph, MergeBase};
use super::repo::{Found, RawChange, Repo};

/// A path's content in a tree: blob id and mode; `None` when absent.
type Entry = Option<(Oid, i32)>;

fn entry_in(tree: &git2::Tree<'_>, path: &str) -> Entry {
    tree.get_path(Path::new(path))
        .ok()
        .map(|e| (e.id(), e.filemode()))
}

impl Repo {
    /// The paths a merge wrote itself, and the paths both parents changed since their merge
    /// base, left [`Pending`]: only a re-merge (which reads those blobs) can tell whether the
    /// merge wrote them, and only the paths some verdict can depend on are re-merged, after the
    /// walk ([`Self::remerge_pending`], see `claims.rs`). Elsewhere the automatic result is the
    /// one parent that changed a path, so the merge's own work is where its tree differs from
    /// every parent. `graph` (the walk's commits) gives the merge base where it can; libgit2
    /// otherwise.
    pub(super) fn merge_changes(
        &self,
        commit: &git2::Commit<'_>,
        tree: &git2::Tree<'_>,
        graph: Option<&CommitGraph>,
    ) -> Result<(Vec<RawChange>, Option<Pending>), git2::Error> {
        let parents: Vec<git2::Tree<'_>> = commit
            .parents()
            .map(|p| p.tree())
            .collect::<Result<_, _>>()?;
        let Some((first, others)) = parents.split_first() else {
            return Ok((Vec::new(), None));
        };
        let both = self.changed_on_both_sides(commit, graph)?;
        let mut found = Vec::new();
        self.tree_diff(Some(first), Some(tree), "", &mut found)?;
        found.retain(|f| !both.as_ref().is_some_and(|b| b.paths.contains(&f.path)));
        let own_paths = self.differing_from_every_parent(tree, others, &found)?;
        let mut own: Vec<RawChange> = found
            .into_iter()
            .filter(|f| own_paths.contains(&f.path))
            .map(|f| RawChange {
                path: f.path,
                blob: f.new,
                from: None,
            })
            .collect();
        own.sort_by(|a, b| a.path.cmp(&b.path));
        let pending = both.map(|both| {
            let mut paths: Vec<String> = both.paths.into_iter().collect();
            paths.sort();
            Pending {
                base: both.base,
                paths,
            }
        });
        Ok((own, pending))
    }

    /// Which of `wanted` (some of `pending`'s paths, of the two-parent merge `merge`) the merge
    /// wrote itself: where its tree differs from git's automatic merge of its parents. File by
    /// file where it can, by libgit2's whole-tree merge otherwise; the same verdict for each
    /// path whichever of `pending`'s paths are asked about together.
    pub(super) fn remerge_pending(
        &self,
        merge: Oid,
        pending: &Pending,
        wanted: &[String],
    ) -> Result<Vec<RawChange>, git2::Error> {
        let commit = self.repo.find_commit(merge)?;
        let tree = commit.tree()?;
        let both = BothSides {
            paths: wanted.iter().cloned().collect(),
            base: pending.base,
            ours: commit.parent(0)?.tree_id(),
            theirs: commit.parent(1)?.tree_id(),
        };
        match self.remerge_file_by_file(&tree, &both)? {
            Some(remerged) => Ok(remerged),
            None => self.remerge_differences(&tree, &both),
        }
    }

    /// Which of `found` (the merge's differences from its first parent) also differ from every
    /// one of `others`, the other parents: the merge wrote those itself. A path the merge
    /// changed to a blob is compared by a diff of each other parent against the merge, only in
    /// the folders those paths lie in (one pass over sorted trees instead of a lookup from the
    /// root per path); a path the merge removed is looked up, as the tree entry there (a
    /// folder that replaced the file) is what counts.
    fn differing_from_every_parent(
        &self,
        tree: &git2::Tree<'_>,
        others: &[git2::Tree<'_>],
        found: &[Found],
    ) -> Result<HashSet<String>, git2::Error> {
        let mut written: BTreeSet<String> = found
            .iter()
            .filter(|f| f.new.is_some())
            .map(|f| f.path.clone())
            .collect();
        for other in others {
            if written.is_empty() {
                break;
            }
            let mut differs = Vec::new();
            self.tree_diff_within(Some(other), Some(tree), "", Some(&written), &mut differs)?;
            let differs: HashSet<String> = differs.into_iter().map(|f| f.path).collect();
            written.retain(|p| differs.contains(p));
        }
        let removed = found.iter().filter(|f| f.new.is_none()).filter(|f| {
            let ours = entry_in(tree, &f.path);
            others.iter().all(|p| entry_in(p, &f.path) != ours)
        });
        Ok(written
            .into_iter()
            .chain(removed.map(|f| f.path.clone()))
            .collect())
    }

    /// For a two-parent merge, the paths both parents changed since their merge base; `None`
    /// when there are none (or for an octopus merge, or parents without a common base). The
    /// base is libgit2's: taken from `graph` when it knows it, asked of libgit2 otherwise.
    pub(super) fn changed_on_both_sides(
        &self,
        commit: &git2::Commit<'_>,
        graph: Option<&CommitGraph>,
    ) -> Result<Option<BothSides>, git2::Error> {
        let ids: Vec<Oid> = commit.parent_ids().collect();
        let [ours, theirs] = ids[..] else {
            return Ok(None);
        };
        let base = match graph.map(|g| g.merge_base(ours, theirs)) {
            Some(MergeBase::Unique(base)) => base,
            Some(MergeBase::None) => return Ok(None),
            Some(MergeBase::AskGit) | None => match self.repo.merge_base(ours, theirs) {
                Ok(base) => base,
                Err(_) => return Ok(None),
            },
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

    /// [`Self::remerge_differences`] without merging the whole tree: when every path both sides
    /// changed is a regular file present in the base and on both sides with one mode, and no
    /// merge driver is configured for it, libgit2's tree merge resolves that path alone, by
    /// the three-way file merge done here (renames only pair deleted with added paths, so
    /// they cannot touch such a path). `None` when a path is outside that case (added or
    /// deleted on a side, a mode change, a symlink or submodule, a `merge` attribute or
    /// `merge.default`): the caller then re-merges the whole tree. Nothing is written to the
    /// object database.
    pub(super) fn remerge_file_by_file(
        &self,
        tree: &git2::Tree<'_>,
        both: &BothSides,
    ) -> Result<Option<Vec<RawChange>>, git2::Error> {
        if self.repo.config()?.get_entry("merge.default").is_ok() {
            return Ok(None);
        }
        let base = self.repo.find_tree(both.base)?;
        let ours = self.repo.find_tree(both.ours)?;
        let theirs = self.repo.find_tree(both.theirs)?;
        let mut paths: Vec<&String> = both.paths.iter().collect();
        paths.sort();
        let mut out = Vec::new();
        for path in paths {
            let entries = [&base, &ours, &theirs].map(|t| entry_in(t, path));
            let [Some(in_base), Some(on_ours), Some(on_theirs)] = entries else {
                return Ok(None);
            };
            let mode = in_base.1;
            if on_ours.1 != mode || on_theirs.1 != mode || !REGULAR_FILE.contains(&mode) {
                return Ok(None);
            }
            let attribute =
                self.repo
                    .get_attr_bytes(Path::new(path), "merge", git2::AttrCheckFlags::default());
            if !matches!(attribute, Ok(None)) {
                return Ok(None);
            }
            let automatic = if on_ours.0 == on_theirs.0 {
                Some(on_ours)
            } else {
                let [base, ours, theirs] =
                    [in_base, on_ours, on_theirs].map(|e| index_entry(path, e));
                let Ok(merged) = self.repo.merge_file_from_index(&base, &ours, &theirs, None)
                else {
                    return Ok(None);
                };
                match merged.is_automergeable() {
                    true => Some((
                        Oid::hash_object(git2::ObjectType::Blob, merged.content())?,
                        mode,
                    )),
                    // A conflict: whatever the merge holds there, the merger wrote it.
                    false => None,
                }
            };
            let merged = entry_in(tree, path);
            if automatic.is_none() || automatic != merged {
                out.push(RawChange {
                    path: path.clone(),
                    blob: merged.map(|(id, _)| id),
                    from: None,
                });
            }
        }
        Ok(Some(out))
    }

    /// The paths changed on both sides where the merge's tree differs from what git's automatic
    /// merge of the parents gives: every conflicted path, and every path whose clean result the
    /// merger changed.
    pub(super) fn remerge_differences(
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

/// The modes of a regular file, executable or not.
const REGULAR_FILE: [i32; 2] = [0o100644, 0o100755];

/// A tree entry as the index entry libgit2's file merge reads (only id, mode and path count).
fn index_entry(path: &str, (id, mode): (Oid, i32)) -> git2::IndexEntry {
    git2::IndexEntry {
        ctime: git2::IndexTime::new(0, 0),
        mtime: git2::IndexTime::new(0, 0),
        dev: 0,
        ino: 0,
        mode: mode as u32,
        uid: 0,
        gid: 0,
        file_size: 0,
        id,
        flags: path.len().min(0xfff) as u16,
        flags_extended: 0,
        path: path.as_bytes().to_vec(),
    }
}

/// The paths both parents of a two-parent merge changed since their merge base, not yet
/// re-merged ([`Repo::remerge_pending`] decides them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Pending {
    /// The tree of the parents' merge base.
    pub base: Oid,
    /// Sorted.
    pub paths: Vec<String>,
}

/// The trees of a two-sided merge and the paths both sides changed.
pub(super) struct BothSides {
    paths: HashSet<String>,
    base: Oid,
    ours: Oid,
    theirs: Oid,
}

#[cfg(test)]
mod tests {
    use super::*;
    use git2::Repository;

    /// A file's content and mode in a commit made by [`Fixture::commit`]; `None` deletes it.
    type File<'a> = (&'a str, Option<(&'a str, u32)>);

    struct Fixture {
        dir: tempfile::TempDir,
        repo: Repo,
    }

    impl Fixture {
        fn new() -> Self {
            let dir = tempfile::tempdir().expect("tempdir");
            let repo = Repo {
                repo: Repository::init(dir.path()).expect("init"),
            };
            Self { dir, repo }
        }

        /// A commit on `parents` whose tree is the first parent's with `files` changed.
        fn commit(&self, parents: &[Oid], files: &[File<'_>]) -> Oid {
            let repo = &self.repo.repo;
            let mut index = git2::Index::new().expect("index");
            let parents: Vec<git2::Commit<'_>> = parents
                .iter()
                .map(|p| repo.find_commit(*p).expect("parent"))
                .collect();
            if let Some(first) = parents.first() {
                index.read_tree(&first.tree().expect("tree")).expect("read");
            }
            for (path, file) in files {
                match file {
                    Some((text, mode)) => {
                        let id = repo.blob(text.as_bytes()).expect("blob");
                        index
                            .add(&index_entry(path, (id, *mode as i32)))
                            .expect("add");
                    }
                    None => index.remove_path(Path::new(path)).expect("remove"),
                }
            }
            let tree = repo
                .find_tree(index.write_tree_to(repo).expect("write tree"))
                .expect("tree");
            let who = git2::Signature::new("A", "a@x.example", &git2::Time::new(1_700_000_000, 0))
                .expect("signature");
            let parents: Vec<&git2::Commit<'_>> = parents.iter().collect();
            repo.commit(None, &who, &who, "c", &tree, &parents)
                .expect("commit")
        }

        /// A merge of two sides of `base`; the merge's tree is the first side's with `merged`.
        fn merge(
            &self,
            base: Oid,
            ours: &[File<'_>],
            theirs: &[File<'_>],
            merged: &[File<'_>],
        ) -> Oid {
            let ours = self.commit(&[base], ours);
            let theirs = self.commit(&[base], theirs);
            self.commit(&[ours, theirs], merged)
        }

        /// What the file-by-file re-merge (`None` when it cannot decide) and libgit2's whole
        /// tree re-merge find the merge wrote itself, among the paths both sides changed.
        fn remerged(&self, merge: Oid) -> (Option<Vec<String>>, Vec<String>) {
            let commit = self.repo.repo.find_commit(merge).expect("merge");
            let tree = commit.tree().expect("tree");
            let both = self
                .repo
                .changed_on_both_sides(&commit, None)
                .expect("both sides")
                .expect("paths changed on both sides");
            let paths = |v: Vec<RawChange>| v.into_iter().map(|c| c.path).collect::<Vec<_>>();
            let fast = self.repo.remerge_file_by_file(&tree, &both).expect("fast");
            let full = self.repo.remerge_differences(&tree, &both).expect("full");
            (fast.map(paths), paths(full))
        }
    }

    const FILE: u32 = 0o100644;
    const EXEC: u32 = 0o100755;

    /// Twenty lines, with line `n` replaced by `with` for each of `edits`.
    fn lines(edits: &[(usize, &str)]) -> String {
        (0..20)
            .map(|i| {
                let edit = edits.iter().find(|(n, _)| *n == i);
                format!(
                    "{}\n",
                    edit.map_or(format!("line {i}"), |(_, t)| t.to_string())
                )
            })
            .collect()
    }

    #[test]
    fn the_file_by_file_re_merge_gives_libgit2s_verdict_or_leaves_it_to_libgit2() {
        let f = Fixture::new();
        let base_text = lines(&[]);
        let base = f.commit(
            &[],
            &[
                ("a.txt", Some((&base_text, FILE))),
                ("b.txt", Some((&base_text, FILE))),
                ("bin.dat", Some(("\0bin\0ary\n", FILE))),
                ("src/lib.rs", Some((&base_text, FILE))),
            ],
        );
        let top = lines(&[(1, "ours")]);
        let bottom = lines(&[(18, "theirs")]);
        let both_edits = lines(&[(1, "ours"), (18, "theirs")]);
        let clash_ours = lines(&[(5, "ours says")]);
        let clash_theirs = lines(&[(5, "theirs says")]);
        let merge = |ours: &[File<'_>], theirs: &[File<'_>], merged: &[File<'_>]| {
            f.merge(base, ours, theirs, merged)
        };
        let evil = format!("{both_edits}slipped in\n");
        let appended = |tag: &str| format!("{base_text}{tag}\n");
        let union = format!("{base_text}ours\ntheirs\n");
        let cases: Vec<(&str, Oid, Option<Vec<&str>>)> = vec![
            (
                "both sides edit different hunks of one file: clean",
                merge(
                    &[("a.txt", Some((&top, FILE)))],
                    &[("a.txt", Some((&bottom, FILE)))],
                    &[("a.txt", Some((&both_edits, FILE)))],
                ),
                Some(vec![]),
            ),
            (
                "the same change on both sides",
                merge(
                    &[("a.txt", Some((&top, FILE))), ("b.txt", Some((&top, FILE)))],
                    &[("a.txt", Some((&top, FILE)))],
                    &[],
                ),
                Some(vec![]),
            ),
            (
                "a conflict resolved by hand",
                merge(
                    &[("a.txt", Some((&clash_ours, FILE)))],
                    &[("a.txt", Some((&clash_theirs, FILE)))],
                    &[("a.txt", Some((&lines(&[(5, "agreed")]), FILE)))],
                ),
                Some(vec!["a.txt"]),
            ),
            (
                "a conflict resolved by taking our side",
                merge(
                    &[("a.txt", Some((&clash_ours, FILE)))],
                    &[("a.txt", Some((&clash_theirs, FILE)))],
                    &[],
                ),
                Some(vec!["a.txt"]),
            ),
            (
                "an evil merge: a clean merge plus a change of its own",
                merge(
                    &[
                        ("a.txt", Some((&top, FILE))),
                        ("src/lib.rs", Some((&top, FILE))),
                    ],
                    &[
                        ("a.txt", Some((&bottom, FILE))),
                        ("src/lib.rs", Some((&bottom, FILE))),
                    ],
                    &[
                        ("a.txt", Some((&evil, FILE))),
                        ("src/lib.rs", Some((&both_edits, FILE))),
                    ],
                ),
                Some(vec!["a.txt"]),
            ),
            (
                "a merge that drops a clean result",
                merge(
                    &[("a.txt", Some((&top, FILE)))],
                    &[("a.txt", Some((&bottom, FILE)))],
                    &[("a.txt", None)],
                ),
                Some(vec!["a.txt"]),
            ),
            (
                "a binary file changed on both sides",
                merge(
                    &[("bin.dat", Some(("\0ours\0\n", FILE)))],
                    &[("bin.dat", Some(("\0theirs\0\n", FILE)))],
                    &[],
                ),
                Some(vec!["bin.dat"]),
            ),
            (
                "a rename on one side, an edit on the other",
                merge(
                    &[("a.txt", None), ("c.txt", Some((&base_text, FILE)))],
                    &[("a.txt", Some((&bottom, FILE)))],
                    &[],
                ),
                None,
            ),
            (
                "a rename with an edit on one side, an edit on the other",
                merge(
                    &[("a.txt", None), ("c.txt", Some((&top, FILE)))],
                    &[("a.txt", Some((&bottom, FILE)))],
                    &[("c.txt", Some((&both_edits, FILE)))],
                ),
                None,
            ),
            (
                "a delete against an edit",
                merge(&[("a.txt", None)], &[("a.txt", Some((&bottom, FILE)))], &[]),
                None,
            ),
            (
                "a mode change with an edit against an edit",
                merge(
                    &[("a.txt", Some((&top, EXEC)))],
                    &[("a.txt", Some((&bottom, FILE)))],
                    &[("a.txt", Some((&both_edits, EXEC)))],
                ),
                None,
            ),
            (
                "both sides add the same path",
                merge(
                    &[("new.txt", Some(("ours\n", FILE)))],
                    &[("new.txt", Some(("theirs\n", FILE)))],
                    &[("new.txt", Some(("both\n", FILE)))],
                ),
                None,
            ),
            (
                "a file turned into a symlink on one side",
                merge(
                    &[("b.txt", Some(("a.txt", 0o120000)))],
                    &[("b.txt", Some((&bottom, FILE)))],
                    &[],
                ),
                None,
            ),
        ];
        for (case, merge, decided) in &cases {
            let (fast, full) = f.remerged(*merge);
            if let Some(fast) = &fast {
                assert_eq!(fast, &full, "{case}");
            }
            let decided = decided
                .as_ref()
                .map(|v| v.iter().map(|p| p.to_string()).collect::<Vec<_>>());
            assert_eq!(
                fast, decided,
                "{case}: decided file by file, with this verdict"
            );
        }
        // A merge driver named in the working tree's attributes (here `union`, which resolves
        // what the text merge calls a conflict) is libgit2's to apply: no file-by-file verdict.
        let union_merge = merge(
            &[("b.txt", Some((&appended("ours"), FILE)))],
            &[("b.txt", Some((&appended("theirs"), FILE)))],
            &[("b.txt", Some((&union, FILE)))],
        );
        std::fs::write(f.dir.path().join(".gitattributes"), "b.txt merge=union\n")
            .expect("attributes");
        assert_eq!(f.remerged(union_merge), (None, vec![]), "merge=union");
        std::fs::remove_file(f.dir.path().join(".gitattributes")).expect("remove");
        assert_eq!(
            f.remerged(union_merge),
            (Some(vec!["b.txt".into()]), vec!["b.txt".into()]),
            "the text merge conflicts without the attribute"
        );
        // Likewise a configured default driver.
        let mut config = f.repo.repo.config().expect("config");
        config.set_str("merge.default", "union").expect("set");
        assert_eq!(f.remerged(union_merge), (None, vec![]), "merge.default");
    }

    #[test]
    fn a_path_re_merged_alone_gets_the_verdict_it_gets_among_all_both_sides_paths() {
        let f = Fixture::new();
        let text = lines(&[]);
        let base = f.commit(
            &[],
            &[
                ("a.txt", Some((&text, FILE))),
                ("b.txt", Some((&text, FILE))),
                ("c.txt", Some((&text, FILE))),
            ],
        );
        let (top, bottom) = (lines(&[(1, "ours")]), lines(&[(18, "theirs")]));
        let both_edits = lines(&[(1, "ours"), (18, "theirs")]);
        let evil = format!("{both_edits}slipped in\n");
        // a.txt merges cleanly, c.txt cleanly with an edit slipped in, b.txt is deleted on one
        // side and edited on the other: only libgit2's whole-tree merge decides all three.
        let merge = f.merge(
            base,
            &[
                ("a.txt", Some((&top, FILE))),
                ("b.txt", None),
                ("c.txt", Some((&top, FILE))),
            ],
            &[
                ("a.txt", Some((&bottom, FILE))),
                ("b.txt", Some((&bottom, FILE))),
                ("c.txt", Some((&bottom, FILE))),
            ],
            &[
                ("a.txt", Some((&both_edits, FILE))),
                ("c.txt", Some((&evil, FILE))),
            ],
        );
        let commit = f.repo.repo.find_commit(merge).expect("merge");
        let (_, pending) = f
            .repo
            .merge_changes(&commit, &commit.tree().expect("tree"), None)
            .expect("merge changes");
        let pending = pending.expect("paths both sides changed");
        assert_eq!(pending.paths, ["a.txt", "b.txt", "c.txt"]);
        let own = |wanted: &[&str]| -> Vec<String> {
            let wanted: Vec<String> = wanted.iter().map(|p| p.to_string()).collect();
            let mut paths: Vec<String> = f
                .repo
                .remerge_pending(merge, &pending, &wanted)
                .expect("re-merge")
                .into_iter()
                .map(|c| c.path)
                .collect();
            paths.sort();
            paths
        };
        let all = own(&["a.txt", "b.txt", "c.txt"]);
        assert_eq!(all, ["b.txt", "c.txt"], "all together (whole-tree merge)");
        for path in ["a.txt", "b.txt", "c.txt"] {
            let alone: Vec<String> = all.iter().filter(|p| *p == path).cloned().collect();
            assert_eq!(own(&[path]), alone, "{path} alone");
        }
        assert_eq!(own(&["a.txt", "c.txt"]), ["c.txt"], "file by file");
    }

    /// The merge's own changes as they were found before the diff of the other parents: each
    /// path of the merge's diff against its first parent looked up from the root in the merge
    /// and in every other parent. The reference the diff must give.
    fn own_by_lookup(repo: &Repo, merge: Oid) -> Vec<RawChange> {
        let commit = repo.repo.find_commit(merge).expect("merge");
        let tree = commit.tree().expect("tree");
        let parents: Vec<git2::Tree<'_>> =
            commit.parents().map(|p| p.tree().expect("tree")).collect();
        let both = repo
            .changed_on_both_sides(&commit, None)
            .expect("both sides");
        let mut found = Vec::new();
        repo.tree_diff(Some(&parents[0]), Some(&tree), "", &mut found)
            .expect("diff");
        let mut own = Vec::new();
        for f in found {
            if both.as_ref().is_some_and(|b| b.paths.contains(&f.path)) {
                continue;
            }
            let ours = entry_in(&tree, &f.path);
            if parents[1..].iter().all(|p| entry_in(p, &f.path) != ours) {
                own.push(RawChange {
                    path: f.path,
                    blob: f.new,
                    from: None,
                });
            }
        }
        if let Some(both) = both {
            own.extend(repo.remerge_differences(&tree, &both).expect("re-merge"));
        }
        own.sort_by(|a, b| a.path.cmp(&b.path));
        own
    }

    /// [`Repo::merge_changes`] with every pending path re-merged, in path order.
    fn every_path_decided(
        repo: &Repo,
        commit: &git2::Commit<'_>,
        tree: &git2::Tree<'_>,
    ) -> Vec<RawChange> {
        let (mut own, pending) = repo
            .merge_changes(commit, tree, None)
            .expect("merge changes");
        if let Some(pending) = pending {
            let remerged = repo
                .remerge_pending(commit.id(), &pending, &pending.paths)
                .expect("re-merge");
            own.extend(remerged);
        }
        own.sort_by(|a, b| a.path.cmp(&b.path));
        own
    }

    #[test]
    fn the_other_parents_diff_finds_what_looking_each_path_up_found() {
        let f = Fixture::new();
        let text = lines(&[]);
        let base = f.commit(
            &[],
            &[
                ("a.txt", Some((&text, FILE))),
                ("d", Some(("a file\n", FILE))),
                ("e/inner.txt", Some((&text, FILE))),
                ("src/x/1.rs", Some((&text, FILE))),
                ("src/y/2.rs", Some((&text, FILE))),
                ("tool.sh", Some(("run\n", FILE))),
            ],
        );
        let one = lines(&[(1, "one")]);
        let two = lines(&[(18, "two")]);
        let merge = |ours: &[File<'_>], theirs: &[File<'_>], merged: &[File<'_>]| {
            f.merge(base, ours, theirs, merged)
        };
        let cases: Vec<(&str, Oid, Vec<&str>)> = vec![
            (
                "a clean merge of a side branch",
                merge(
                    &[("src/x/1.rs", Some((&one, FILE)))],
                    &[
                        ("src/y/2.rs", Some((&two, FILE))),
                        ("new.md", Some(("n\n", FILE))),
                    ],
                    &[
                        ("src/y/2.rs", Some((&two, FILE))),
                        ("new.md", Some(("n\n", FILE))),
                    ],
                ),
                vec![],
            ),
            (
                "an edit of a file neither side touched, and a side's change undone",
                merge(
                    &[("src/x/1.rs", Some((&one, FILE)))],
                    &[("src/y/2.rs", Some((&two, FILE)))],
                    &[("a.txt", Some((&one, FILE)))],
                ),
                vec!["a.txt"],
            ),
            (
                "a side's file taken with another content, and a mode changed",
                merge(
                    &[],
                    &[("src/y/2.rs", Some((&two, FILE)))],
                    &[
                        ("src/y/2.rs", Some((&one, FILE))),
                        ("tool.sh", Some(("run\n", EXEC))),
                    ],
                ),
                vec!["src/y/2.rs", "tool.sh"],
            ),
            (
                "a file turned into a folder by the other side, taken",
                merge(
                    &[],
                    &[("d", None), ("d/x.txt", Some(("x\n", FILE)))],
                    &[("d", None), ("d/x.txt", Some(("x\n", FILE)))],
                ),
                vec![],
            ),
            (
                "a file turned into a folder by the other side, then changed by the merge",
                merge(
                    &[],
                    &[("d", None), ("d/x.txt", Some(("x\n", FILE)))],
                    &[("d", None), ("d/x.txt", Some(("y\n", FILE)))],
                ),
                vec!["d", "d/x.txt"],
            ),
            (
                "a folder turned into a file by the merge",
                merge(
                    &[],
                    &[("e/inner.txt", Some((&one, FILE)))],
                    &[("e/inner.txt", None), ("e", Some(("now a file\n", FILE)))],
                ),
                vec!["e", "e/inner.txt"],
            ),
            (
                "a deletion by the other side, and one by the merge",
                merge(
                    &[],
                    &[("src/x/1.rs", None)],
                    &[("src/x/1.rs", None), ("a.txt", None)],
                ),
                vec!["a.txt"],
            ),
            (
                "both sides changed one file, the merge another",
                merge(
                    &[("a.txt", Some((&one, FILE)))],
                    &[("a.txt", Some((&two, FILE)))],
                    &[
                        ("a.txt", Some((&lines(&[(1, "one"), (18, "two")]), FILE))),
                        ("src/y/2.rs", Some((&one, FILE))),
                    ],
                ),
                vec!["src/y/2.rs"],
            ),
        ];
        for (case, merge, own) in &cases {
            let commit = f.repo.repo.find_commit(*merge).expect("merge");
            let tree = commit.tree().expect("tree");
            let found = every_path_decided(&f.repo, &commit, &tree);
            assert_eq!(found, own_by_lookup(&f.repo, *merge), "{case}");
            let paths: Vec<&str> = found.iter().map(|c| c.path.as_str()).collect();
            assert_eq!(&paths, own, "{case}");
        }
        // An octopus merge: the merge's own path must differ from every other parent.
        let sides: Vec<Oid> = [("src/x/1.rs", &one), ("src/y/2.rs", &two), ("a.txt", &one)]
            .iter()
            .map(|(path, text)| f.commit(&[base], &[(path, Some((text, FILE)))]))
            .collect();
        let octopus = f.commit(
            &sides,
            &[
                ("src/y/2.rs", Some((&two, FILE))),
                ("a.txt", Some((&two, FILE))),
                ("tool.sh", None),
            ],
        );
        let commit = f.repo.repo.find_commit(octopus).expect("octopus");
        let found = every_path_decided(&f.repo, &commit, &commit.tree().expect("tree"));
        assert_eq!(found, own_by_lookup(&f.repo, octopus), "octopus");
        let paths: Vec<&str> = found.iter().map(|c| c.path.as_str()).collect();
        assert_eq!(paths, ["a.txt", "tool.sh"], "octopus");
    }
}
