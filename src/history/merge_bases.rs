//! Merge bases from the commit graph the walk already read (each commit's parents, in the
//! walk's topological order), in memory, instead of one `git_merge_base` per merge, which
//! re-reads and re-parses the commits below every merge. Where the best common ancestor is not
//! unique (a criss-cross) or the graph does not hold it (below a hidden commit, a shallow
//! boundary), the caller asks libgit2, so the base is always the one libgit2 picks.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

use git2::Oid;

/// What the graph says of two commits' merge base.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum MergeBase {
    /// Exactly one best common ancestor: the base libgit2 returns too.
    Unique(Oid),
    /// No common ancestor at all (unrelated histories): libgit2 finds none either.
    None,
    /// Several best common ancestors, or ones outside the graph: only libgit2 can say which
    /// one it picks.
    AskGit,
}

/// The commits of one walk with their parents, by position in a topological order (children
/// before parents).
pub(super) struct CommitGraph {
    position: HashMap<Oid, usize>,
    ids: Vec<Oid>,
    /// Each commit's parents by position; `None` for a parent outside the graph.
    parents: Vec<Vec<Option<usize>>>,
}

const ONE: u8 = 1;
const TWO: u8 = 2;
const STALE: u8 = 4;
const QUEUED: u8 = 8;

impl CommitGraph {
    /// The graph of `commits`, given as (id, parent ids) in a topological order: every commit
    /// before its parents.
    pub(super) fn new(commits: Vec<(Oid, Vec<Oid>)>) -> Self {
        let position: HashMap<Oid, usize> = commits
            .iter()
            .enumerate()
            .map(|(i, (id, _))| (*id, i))
            .collect();
        let parents = commits
            .iter()
            .map(|(_, ps)| ps.iter().map(|p| position.get(p).copied()).collect())
            .collect();
        let ids = commits.into_iter().map(|(id, _)| id).collect();
        CommitGraph {
            position,
            ids,
            parents,
        }
    }

    /// The best common ancestors of `one` and `two`, painted down from both (git's
    /// `paint_down_to_common`). Commits are taken in topological order rather than by date, so
    /// a commit is taken only after all its descendants: its marks are final then, and a common
    /// ancestor taken while not below an earlier one is a best one (clock skew cannot matter).
    pub(super) fn merge_base(&self, one: Oid, two: Oid) -> MergeBase {
        let (Some(&a), Some(&b)) = (self.position.get(&one), self.position.get(&two)) else {
            return MergeBase::AskGit;
        };
        if a == b {
            return MergeBase::Unique(one);
        }
        let mut flags: HashMap<usize, u8> = HashMap::new();
        let mut queue = BinaryHeap::new();
        // Commits queued and not below a base yet: the walk stops when none is left.
        let mut live = 0usize;
        for (i, mark) in [(a, ONE), (b, TWO)] {
            flags.insert(i, mark | QUEUED);
            queue.push(Reverse(i));
            live += 1;
        }
        let mut bases = Vec::new();
        while live > 0 {
            let Some(Reverse(i)) = queue.pop() else { break };
            let mut mark = flags.get(&i).copied().unwrap_or(0);
            if mark & STALE == 0 {
                live -= 1;
                if mark & (ONE | TWO) == ONE | TWO {
                    bases.push(i);
                    mark |= STALE;
                }
            }
            let passed = mark & (ONE | TWO | STALE);
            for parent in &self.parents[i] {
                let Some(p) = *parent else {
                    if passed & STALE == 0 {
                        // A common ancestor may lie outside the graph.
                        return MergeBase::AskGit;
                    }
                    continue;
                };
                let old = flags.get(&p).copied().unwrap_or(0);
                let new = old | passed | QUEUED;
                if old & QUEUED == 0 {
                    queue.push(Reverse(p));
                    if new & STALE == 0 {
                        live += 1;
                    }
                } else if old & STALE == 0 && new & STALE != 0 {
                    live -= 1;
                }
                flags.insert(p, new);
            }
        }
        match bases[..] {
            [] => MergeBase::None,
            [base] => MergeBase::Unique(self.ids[base]),
            _ => MergeBase::AskGit,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use git2::Repository;

    /// A small deterministic generator (xorshift), so the histories are the same on every run.
    struct Dice(u64);

    impl Dice {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
    }

    /// Commits an empty tree with `parents` at `time` (seconds after a fixed date).
    fn commit(repo: &Repository, parents: &[Oid], time: i64, n: usize) -> Oid {
        let tree = repo
            .find_tree(
                repo.treebuilder(None)
                    .expect("builder")
                    .write()
                    .expect("tree"),
            )
            .expect("tree");
        let who = git2::Signature::new(
            "A",
            "a@x.example",
            &git2::Time::new(1_700_000_000 + time, 0),
        )
        .expect("signature");
        let parents: Vec<git2::Commit<'_>> = parents
            .iter()
            .map(|p| repo.find_commit(*p).expect("parent"))
            .collect();
        let refs: Vec<&git2::Commit<'_>> = parents.iter().collect();
        repo.commit(None, &who, &who, &format!("c{n}"), &tree, &refs)
            .expect("commit")
    }

    /// The graph of everything reachable from `heads`, in libgit2's topological walk order.
    fn graph_of(repo: &Repository, heads: &[Oid]) -> CommitGraph {
        let mut walk = repo.revwalk().expect("walk");
        walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::TIME)
            .expect("sorting");
        for h in heads {
            walk.push(*h).expect("push");
        }
        CommitGraph::new(
            walk.map(|id| {
                let id = id.expect("id");
                let parents = repo.find_commit(id).expect("commit").parent_ids().collect();
                (id, parents)
            })
            .collect(),
        )
    }

    /// Asserts the graph agrees with libgit2 on every pair of `pairs`; returns how many the
    /// graph decided itself and how many it left to libgit2.
    fn agree(repo: &Repository, graph: &CommitGraph, pairs: &[(Oid, Oid)]) -> (usize, usize) {
        let (mut decided, mut asked) = (0, 0);
        for &(x, y) in pairs {
            let git = repo.merge_base(x, y).ok();
            match graph.merge_base(x, y) {
                MergeBase::Unique(base) => {
                    decided += 1;
                    assert_eq!(Some(base), git, "base of {x} and {y}");
                }
                MergeBase::None => {
                    decided += 1;
                    assert_eq!(None, git, "base of {x} and {y}");
                }
                MergeBase::AskGit => asked += 1,
            }
        }
        (decided, asked)
    }

    /// Every merge's first two parents, as the walk asks for them.
    fn merges(repo: &Repository, graph: &CommitGraph) -> Vec<(Oid, Oid)> {
        graph
            .ids
            .iter()
            .filter_map(|id| {
                let ps: Vec<Oid> = repo
                    .find_commit(*id)
                    .expect("commit")
                    .parent_ids()
                    .collect();
                (ps.len() >= 2).then(|| (ps[0], ps[1]))
            })
            .collect()
    }

    #[test]
    fn the_shapes_of_history_give_libgit2s_base() {
        let dir = tempfile::tempdir().expect("tempdir");
        let repo = Repository::init(dir.path()).expect("init");
        let mut n = 0;
        let mut c = |parents: &[Oid], time: i64| {
            n += 1;
            commit(&repo, parents, time, n)
        };
        // Linear.
        let r = c(&[], 0);
        let l1 = c(&[r], 10);
        let l2 = c(&[l1], 20);
        // A branch and its merge, the branch merged twice, a merge of a merge.
        let b1 = c(&[l1], 15);
        let m1 = c(&[l2, b1], 30);
        let b2 = c(&[b1], 35);
        let m2 = c(&[m1, b2], 40);
        let f1 = c(&[m1], 41);
        let m3 = c(&[m2, f1], 50);
        // Criss-cross: two branches merging each other (equal times).
        let x = c(&[m3], 60);
        let y = c(&[m3], 60);
        let xy = c(&[x, y], 70);
        let yx = c(&[y, x], 70);
        let cc = c(&[xy, yx], 80);
        // Clock skew: a child older than its parent, on a branch merged back.
        let s1 = c(&[cc], 10);
        let s2 = c(&[s1], 5);
        let t1 = c(&[cc], 90);
        let ms = c(&[t1, s2], 95);
        // An octopus, and an unrelated root merged in.
        let o1 = c(&[ms], 100);
        let o2 = c(&[ms], 100);
        let oct = c(&[ms, o1, o2], 110);
        let other = c(&[], 0);
        let joined = c(&[oct, other], 120);
        let graph = graph_of(&repo, &[joined]);
        let all: Vec<Oid> = graph.ids.clone();
        let pairs: Vec<(Oid, Oid)> = all
            .iter()
            .flat_map(|x| all.iter().map(move |y| (*x, *y)))
            .collect();
        let (decided, asked) = agree(&repo, &graph, &pairs);
        assert!(decided > 400, "{decided} decided");
        assert!(asked > 0, "the criss-cross is left to libgit2");
        assert_eq!(graph.merge_base(xy, yx), MergeBase::AskGit);
        assert_eq!(graph.merge_base(l2, b1), MergeBase::Unique(l1));
        assert_eq!(graph.merge_base(t1, s2), MergeBase::Unique(cc));
        assert_eq!(graph.merge_base(oct, other), MergeBase::None);
        // Below a hidden commit the graph cannot see: libgit2 decides.
        let partial = {
            let mut walk = repo.revwalk().expect("walk");
            walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::TIME)
                .expect("sorting");
            walk.push(m3).expect("push");
            walk.hide(l1).expect("hide");
            CommitGraph::new(
                walk.map(|id| {
                    let id = id.expect("id");
                    (id, repo.find_commit(id).expect("c").parent_ids().collect())
                })
                .collect(),
            )
        };
        assert_eq!(partial.merge_base(l2, b1), MergeBase::AskGit);
        assert_eq!(partial.merge_base(m2, f1), MergeBase::Unique(m1));
    }

    #[test]
    fn generated_histories_give_libgit2s_base_for_every_merge() {
        let mut total = (0, 0);
        for seed in 1..=12u64 {
            let dir = tempfile::tempdir().expect("tempdir");
            let repo = Repository::init(dir.path()).expect("init");
            let mut dice = Dice(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15));
            let mut heads = vec![commit(&repo, &[], 0, 0)];
            let mut all = heads.clone();
            for n in 1..160 {
                // Times that go back now and then (skew), and repeat (equal times).
                let time = (n as i64 / 3) * 60 - dice.below(4) as i64 * 600;
                let h = dice.below(heads.len());
                let id = match dice.below(10) {
                    0..=4 => commit(&repo, &[heads[h]], time, n),
                    5 if heads.len() < 6 => commit(&repo, &[heads[h]], time, n),
                    6..=8 if heads.len() > 1 => {
                        let mut o = dice.below(heads.len());
                        if o == h {
                            o = (o + 1) % heads.len();
                        }
                        // Sometimes the other side stays a head, so it is merged again.
                        commit(&repo, &[heads[h], heads[o]], time, n)
                    }
                    9 if heads.len() > 2 => {
                        let o = (h + 1) % heads.len();
                        let p = (h + 2) % heads.len();
                        commit(&repo, &[heads[h], heads[o], heads[p]], time, n)
                    }
                    _ => {
                        let old = all[dice.below(all.len())];
                        commit(&repo, &[heads[h], old], time, n)
                    }
                };
                if dice.below(3) == 0 && heads.len() < 6 {
                    heads.push(id);
                } else {
                    heads[h] = id;
                }
                all.push(id);
            }
            let top = commit(&repo, &heads, 10_000, 999);
            let graph = graph_of(&repo, &[top]);
            let pairs = merges(&repo, &graph);
            let (decided, asked) = agree(&repo, &graph, &pairs);
            total = (total.0 + decided, total.1 + asked);
        }
        assert!(total.0 > 300, "{total:?}");
    }
}
