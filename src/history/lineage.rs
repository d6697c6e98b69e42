//! The version of a file in effect at each commit: the one in the commit's own tree, found by
//! following the commit's own ancestry (a commit on a side branch sees the side branch's
//! areas.toml, not the one the main line had at the same time). Computed from what each commit
//! wrote, parents before children; only a merge whose parents disagree and that wrote nothing
//! itself is looked up in its tree. Along the first-parent line of the newest commit, the same
//! versions say what was in effect on the checked line over time (IND001's former ties), which
//! neither a side branch's stale copy nor two versions dated alike can confuse.

use git2::Oid;

use super::repo::RawChange;

/// What a commit wrote to `path` (as its own tree names it): `Some(Some(blob))`, `Some(None)`
/// when it deleted the file or moved it away, `None` when it left it alone.
pub(super) fn wrote(changes: &[RawChange], path: &str) -> Option<Option<Oid>> {
    match changes.iter().find(|c| c.path == path) {
        Some(c) => Some(c.blob),
        None => changes
            .iter()
            .any(|c| c.from.as_deref() == Some(path))
            .then_some(None),
    }
}

/// For each commit (positions in canonical order: children before parents), the blob of the
/// file in its tree (`None`: no such file). `parents` are positions of the walked parents,
/// `wrote` what each commit itself wrote to the file (`Some(None)`: deleted it), and
/// `in_tree` reads the blob from the tree of the commit at a position.
pub(super) fn in_effect(
    parents: &[Vec<usize>],
    wrote: &[Option<Option<Oid>>],
    in_tree: impl Fn(usize) -> Option<Oid>,
) -> Vec<Option<Oid>> {
    let mut out: Vec<Option<Oid>> = vec![None; parents.len()];
    for k in (0..parents.len()).rev() {
        out[k] = match wrote.get(k).copied().flatten() {
            Some(blob) => blob,
            None => {
                let mut seen = parents[k].iter().map(|&p| out[p]);
                match seen.next() {
                    None => None,
                    Some(first) if seen.all(|v| v == first) => first,
                    Some(_) => in_tree(k),
                }
            }
        };
    }
    out
}

/// A change of the version in effect along the first-parent line of the newest commit
/// (position 0): `at` is the commit of that line where it took effect (a merge, when it came
/// from a side branch), `by` the commit that wrote it (the merged side's newest commit that
/// wrote that version, when `at` wrote nothing itself).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Step {
    pub at: usize,
    pub by: usize,
}

/// The changes of `versions` (from [`in_effect`]) along the first-parent line, newest first,
/// down to the oldest commit of the line (whose version is a step of its own).
pub(super) fn first_parent_steps(
    parents: &[Vec<usize>],
    versions: &[Option<Oid>],
    wrote: &[Option<Option<Oid>>],
) -> Vec<Step> {
    let mut out = Vec::new();
    let mut k = 0;
    while k < versions.len() {
        let first = parents[k].first().copied();
        if first.is_none_or(|p| versions[p] != versions[k]) {
            let by = if wrote.get(k).copied().flatten().is_some() {
                k
            } else {
                (k + 1..versions.len())
                    .find(|&j| wrote.get(j).copied().flatten() == Some(versions[k]))
                    .unwrap_or(k)
            };
            out.push(Step { at: k, by });
        }
        match first {
            Some(p) if p > k => k = p,
            _ => break,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn oid(n: u8) -> Oid {
        Oid::from_bytes(&[n; 20]).unwrap_or(Oid::ZERO_SHA1)
    }

    #[test]
    fn a_side_branch_sees_its_own_version() {
        // 0: merge of 1 (main) and 2 (side); 1 and 2 on 3, which wrote version A; 2 wrote B.
        let parents = vec![vec![1, 2], vec![3], vec![3], vec![]];
        let wrote = vec![None, None, Some(Some(oid(2))), Some(Some(oid(1)))];
        let asked = std::cell::Cell::new(0);
        let got = in_effect(&parents, &wrote, |k| {
            asked.set(asked.get() + 1);
            (k == 0).then(|| oid(2))
        });
        assert_eq!(
            got,
            vec![Some(oid(2)), Some(oid(1)), Some(oid(2)), Some(oid(1))]
        );
        assert_eq!(
            asked.get(),
            1,
            "only the merge whose parents disagree is looked up"
        );
    }

    #[test]
    fn a_commit_writes_its_own_paths_and_moves_files_away() {
        let change = |path: &str, blob: Option<Oid>, from: Option<&str>| RawChange {
            path: path.into(),
            blob,
            from: from.map(str::to_string),
        };
        let edit = [change("people.toml", Some(oid(1)), None)];
        assert_eq!(wrote(&edit, "people.toml"), Some(Some(oid(1))));
        let moved_away = [change("team.toml", Some(oid(1)), Some("people.toml"))];
        assert_eq!(wrote(&moved_away, "people.toml"), Some(None));
        let moved_in = [change("people.toml", Some(oid(2)), Some("team.toml"))];
        assert_eq!(wrote(&moved_in, "people.toml"), Some(Some(oid(2))));
        let deleted = [change("people.toml", None, None)];
        assert_eq!(wrote(&deleted, "people.toml"), Some(None));
        let elsewhere = [change("sub/people.toml", Some(oid(3)), None)];
        assert_eq!(wrote(&elsewhere, "people.toml"), None);
    }

    #[test]
    fn a_deletion_leaves_no_version() {
        let parents = vec![vec![1], vec![]];
        let wrote = vec![Some(None), Some(Some(oid(1)))];
        assert_eq!(
            in_effect(&parents, &wrote, |_| None),
            vec![None, Some(oid(1))]
        );
    }

    #[test]
    fn the_first_parent_line_ignores_a_side_branchs_stale_copy() {
        // 0: merge of 1 (main) and 2 (side), wrote nothing; 1 wrote B; 2 wrote C on 3's A.
        let parents = vec![vec![1, 2], vec![3], vec![3], vec![]];
        let wrote = vec![
            None,
            Some(Some(oid(2))),
            Some(Some(oid(3))),
            Some(Some(oid(1))),
        ];
        let versions = in_effect(&parents, &wrote, |_| Some(oid(4)));
        assert_eq!(versions[0], Some(oid(4)), "the merge's tree: both changes");
        let steps = first_parent_steps(&parents, &versions, &wrote);
        // The merge took effect (its own version, written by no one: named by itself), then 1's
        // B, then 3's A; the side's copy of A at 2 is not on the line.
        assert_eq!(
            steps,
            vec![
                Step { at: 0, by: 0 },
                Step { at: 1, by: 1 },
                Step { at: 3, by: 3 }
            ]
        );
        // A merge that took the side's version as it was names the side's commit.
        let versions = in_effect(&parents, &wrote, |_| Some(oid(3)));
        let steps = first_parent_steps(&parents, &versions, &wrote);
        assert_eq!(steps[0], Step { at: 0, by: 2 });
    }
}
