//! The version of a file in effect at each commit: the one in the commit's own tree, found by
//! following the commit's own ancestry (a commit on a side branch sees the side branch's
//! areas.toml, not the one the main line had at the same time). Computed from what each commit
//! wrote, parents before children; only a merge whose parents disagree and that wrote nothing
//! itself is looked up in its tree.

use git2::Oid;

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
    fn a_deletion_leaves_no_version() {
        let parents = vec![vec![1], vec![]];
        let wrote = vec![Some(None), Some(Some(oid(1)))];
        assert_eq!(
            in_effect(&parents, &wrote, |_| None),
            vec![None, Some(oid(1))]
        );
    }
}
