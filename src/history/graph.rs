//! The commit graph's part in a verdict: one canonical order of the commits (so renames are
//! resolved the same way whether the index came from a cold walk, a warm cache or an updated
//! one), and the date each commit counts at.

use std::collections::{BinaryHeap, HashMap};

use super::repo::RawCommit;

/// The later of a commit's author and committer dates, as (seconds since the epoch, offset in
/// minutes): backdating the author date does not move work out of a window.
pub(super) fn recorded_time(c: &RawCommit) -> (i64, i32) {
    if c.committer.time > c.author.time {
        (c.committer.time, c.committer.offset)
    } else {
        (c.author.time, c.author.offset)
    }
}

/// The commits in one order that depends only on the set of commits: children before parents,
/// and among commits whose children are all placed, the latest recorded time first (ties by
/// id). A cold walk, a warm cache and an incrementally updated cache hold the same set, so
/// they give the same order.
pub(super) fn canonical_order(commits: Vec<RawCommit>) -> Vec<RawCommit> {
    let position: HashMap<git2::Oid, usize> =
        commits.iter().enumerate().map(|(i, c)| (c.id, i)).collect();
    let mut children = vec![0usize; commits.len()];
    for c in &commits {
        for p in &c.parents {
            if let Some(&i) = position.get(p) {
                children[i] += 1;
            }
        }
    }
    let key = |i: usize| (recorded_time(&commits[i]).0, commits[i].id);
    let mut ready: BinaryHeap<(i64, git2::Oid, usize)> = (0..commits.len())
        .filter(|&i| children[i] == 0)
        .map(|i| {
            let (t, id) = key(i);
            (t, id, i)
        })
        .collect();
    let mut order = Vec::with_capacity(commits.len());
    while let Some((_, _, i)) = ready.pop() {
        order.push(i);
        for p in &commits[i].parents {
            if let Some(&j) = position.get(p) {
                children[j] -= 1;
                if children[j] == 0 {
                    let (t, id) = key(j);
                    ready.push((t, id, j));
                }
            }
        }
    }
    let mut slots: Vec<Option<RawCommit>> = commits.into_iter().map(Some).collect();
    order.into_iter().filter_map(|i| slots[i].take()).collect()
}

/// The time each commit counts at, in canonical order: its recorded time, but never later
/// than that of any of its descendants (the records committed after the work pin it, so
/// forward-dating does not move work out of a window either).
pub(super) fn counted_times(ordered: &[RawCommit]) -> Vec<(i64, i32)> {
    let position: HashMap<git2::Oid, usize> =
        ordered.iter().enumerate().map(|(i, c)| (c.id, i)).collect();
    let mut cap: Vec<Option<(i64, i32)>> = vec![None; ordered.len()];
    let mut out = Vec::with_capacity(ordered.len());
    for (i, c) in ordered.iter().enumerate() {
        let own = recorded_time(c);
        let counted = match cap[i] {
            Some(limit) if limit.0 < own.0 => limit,
            _ => own,
        };
        out.push(counted);
        for p in &c.parents {
            if let Some(&j) = position.get(p) {
                if cap[j].is_none_or(|limit| counted.0 < limit.0) {
                    cap[j] = Some(counted);
                }
            }
        }
    }
    out
}

/// The merge commit that brought a commit of a merged branch into the main line, when it
/// carries `Approved-by:` trailers: who committed it decides whether they prove anything.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct MergedBy {
    pub merge: git2::Oid,
    pub committer: super::repo::RawSignature,
    pub approved_by: Vec<(String, String)>,
}

/// The merge that brought each commit into the main line (the first-parent chain from the
/// tip), for the commits of merged branches whose merge carries `Approved-by:` trailers. The
/// merges are taken oldest first, so a commit merged once and reachable again from a later
/// branch stays with the merge that first brought it.
pub(super) fn merged_by(ordered: &[RawCommit]) -> HashMap<git2::Oid, MergedBy> {
    let position: HashMap<git2::Oid, usize> =
        ordered.iter().enumerate().map(|(i, c)| (c.id, i)).collect();
    let mut claimed = vec![false; ordered.len()];
    let mut main_line = Vec::new();
    let mut next = (!ordered.is_empty()).then_some(0);
    while let Some(i) = next {
        if claimed[i] {
            break;
        }
        claimed[i] = true;
        main_line.push(i);
        next = ordered[i]
            .parents
            .first()
            .and_then(|p| position.get(p).copied());
    }
    let mut out = HashMap::new();
    for &m in main_line.iter().rev() {
        let merge = &ordered[m];
        let mut stack: Vec<usize> = merge
            .parents
            .iter()
            .skip(1)
            .filter_map(|p| position.get(p).copied())
            .collect();
        while let Some(i) = stack.pop() {
            // Claimed even without approvals, so a later merge does not take its branch over.
            if std::mem::replace(&mut claimed[i], true) {
                continue;
            }
            if !merge.approved_by.is_empty() {
                out.insert(
                    ordered[i].id,
                    MergedBy {
                        merge: merge.id,
                        committer: merge.committer.clone(),
                        approved_by: merge.approved_by.clone(),
                    },
                );
            }
            stack.extend(
                ordered[i]
                    .parents
                    .iter()
                    .filter_map(|p| position.get(p).copied()),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::repo::RawSignature;
    use git2::Oid;

    fn commit(n: u8, parents: &[u8], author: i64, committer: i64) -> RawCommit {
        let id = |n: u8| Oid::from_bytes(&[n; 20]).expect("an id");
        RawCommit {
            id: id(n),
            parents: parents.iter().map(|p| id(*p)).collect(),
            author: RawSignature {
                time: author,
                ..RawSignature::default()
            },
            committer: RawSignature {
                time: committer,
                ..RawSignature::default()
            },
            co_authors: Vec::new(),
            approved_by: Vec::new(),
            subject: String::new(),
            changes: Vec::new(),
            pending: None,
            gpgsig: Default::default(),
        }
    }

    #[test]
    fn a_merge_approves_the_commits_it_first_brought_in() {
        let id = |n: u8| Oid::from_bytes(&[n; 20]).expect("an id");
        let approved = |mut c: RawCommit| {
            c.approved_by = vec![("Alice".into(), "alice@acme.example".into())];
            c
        };
        // 1 <- 2 (branch) ; 3 = merge(1, 2), approved ; 4 <- 2 (branch goes on) ; 5 = merge(3, 4).
        let ordered = canonical_order(vec![
            commit(1, &[], 10, 10),
            commit(2, &[1], 20, 20),
            approved(commit(3, &[1, 2], 30, 30)),
            commit(4, &[2], 40, 40),
            commit(5, &[3, 4], 50, 50),
        ]);
        let merged = merged_by(&ordered);
        assert_eq!(merged.len(), 1, "{merged:?}");
        assert_eq!(merged[&id(2)].approved_by[0].1, "alice@acme.example");
        assert_eq!(merged[&id(2)].merge, id(3));
    }

    #[test]
    fn the_order_does_not_depend_on_the_order_read() {
        // 1 <- 2 <- 4 (merge of 2 and 3), 1 <- 3.
        let all = vec![
            commit(4, &[2, 3], 40, 40),
            commit(3, &[1], 30, 30),
            commit(2, &[1], 20, 20),
            commit(1, &[], 10, 10),
        ];
        let mut shuffled = all.clone();
        shuffled.reverse();
        let ids = |v: Vec<RawCommit>| v.into_iter().map(|c| c.id).collect::<Vec<_>>();
        assert_eq!(
            ids(canonical_order(all.clone())),
            ids(canonical_order(shuffled))
        );
        assert_eq!(ids(canonical_order(all.clone())), ids(all));
    }

    #[test]
    fn a_commit_counts_at_its_later_date_capped_by_its_descendants() {
        // 2 is forward-dated past 3, which descends from it; 1 is backdated by its author.
        let ordered = canonical_order(vec![
            commit(3, &[2], 300, 300),
            commit(2, &[1], 900, 900),
            commit(1, &[], 5, 100),
        ]);
        let times: Vec<i64> = counted_times(&ordered).into_iter().map(|t| t.0).collect();
        // Children first: 3, 2, 1.
        assert_eq!(times, [300, 300, 100]);
    }
}
