//! Which of the paths both parents of a merge changed are worth re-merging. A three-way file
//! merge reads both sides' blobs and is the walk's dearest step; a path that lies outside the
//! ISMS root and that no version of areas.toml claims (committed, in the working tree or
//! staged), under any name renames give it, cannot change a verdict, so its re-merge is left
//! undone. The history cache keeps such paths pending: a later areas.toml claiming one gets it
//! decided then, as a run without a cache would.

use std::collections::{HashMap, HashSet};

use git2::Oid;

use super::repo::{RawCommit, Repo};

/// Decides, in `raw` (the walk's commits, newest first), the pending paths of each merge that
/// some verdict can depend on: those under the ISMS root (`prefix`) or `.mailmap` first (the
/// versions of areas.toml among them), then those claimed by a version of areas.toml, a
/// committed one or `current_areas` (the `paths` of the areas.toml being checked). A path
/// counts under every name the renames of `raw` and `staged` link it to. The decided paths
/// leave [`RawCommit::pending`]; those the merge wrote itself join its changes.
pub(super) fn decide_pending(
    repo: &Repo,
    raw: &mut [RawCommit],
    staged: Option<&RawCommit>,
    prefix: &str,
    current_areas: &[String],
) -> Result<(), git2::Error> {
    if raw.iter().all(|c| c.pending.is_none()) {
        return Ok(());
    }
    let names = Names::linked_by_renames(raw.iter().chain(staged));
    let in_isms = |name: &str| name.starts_with(prefix) || name == ".mailmap";
    let isms_names = names.marked(in_isms);
    let in_isms = |path: &str| names.any(path, &isms_names, in_isms);
    // The merges whose clean re-merge of an areas.toml gives a version nobody wrote.
    let merged_areas: Vec<(Oid, String)> = raw
        .iter()
        .flat_map(|c| c.pending.iter().map(move |p| (c.id, p)))
        .flat_map(|(id, p)| p.paths.iter().map(move |path| (id, path)))
        .filter(|(_, path)| is_areas_toml(path))
        .map(|(id, path)| (id, path.clone()))
        .collect();
    // The ISMS's own areas.toml first: a merge may have written a version of it.
    decide(repo, raw, |path| is_areas_toml(path) && in_isms(path))?;
    let mut patterns: Vec<String> = current_areas.to_vec();
    let written = raw
        .iter()
        .chain(staged)
        .flat_map(|c| &c.changes)
        .filter(|ch| is_areas_toml(&ch.path))
        .filter_map(|ch| ch.blob);
    let merged = merged_areas
        .iter()
        .filter_map(|(id, path)| repo.blob_in_commit(*id, path));
    let versions: HashSet<Oid> = written.chain(merged).collect();
    for blob in versions {
        let text = repo.blob(blob)?;
        let Some(areas) = std::str::from_utf8(&text)
            .ok()
            .and_then(super::ownership::areas)
        else {
            // A version that does not parse claims nothing (as the rules read it).
            continue;
        };
        patterns.extend(areas.into_values().flat_map(|a| a.paths));
    }
    patterns.sort();
    patterns.dedup();
    let globs = crate::independence::glob_set(prefix, &patterns);
    let claimed = |name: &str| globs.is_match(name);
    let claimed_names = names.marked(claimed);
    decide(repo, raw, |path| {
        in_isms(path) || names.any(path, &claimed_names, claimed)
    })
}

/// Re-merges every pending path of `raw`.
#[cfg(test)]
pub(super) fn decide_every_pending(repo: &Repo, raw: &mut [RawCommit]) -> Result<(), git2::Error> {
    decide(repo, raw, |_| true)
}

/// Whether a repository path names a file `areas.toml` (at any ISMS root, past or present).
fn is_areas_toml(path: &str) -> bool {
    path == "areas.toml" || path.ends_with("/areas.toml")
}

/// Re-merges the pending paths of `raw` that `wanted` accepts, on every core (each merge's
/// re-merge depends on that merge alone; the result is the same on any number of threads).
fn decide(
    repo: &Repo,
    raw: &mut [RawCommit],
    wanted: impl Fn(&str) -> bool,
) -> Result<(), git2::Error> {
    // (position in `raw`, the paths to re-merge now)
    let jobs: Vec<(usize, Vec<String>)> = raw
        .iter()
        .enumerate()
        .filter_map(|(k, c)| {
            let now: Vec<String> = c
                .pending
                .as_ref()?
                .paths
                .iter()
                .filter(|p| wanted(p))
                .cloned()
                .collect();
            (!now.is_empty()).then_some((k, now))
        })
        .collect();
    if jobs.is_empty() {
        return Ok(());
    }
    let raw_ref: &[RawCommit] = raw;
    let remerge = |repo: &Repo, (k, now): &(usize, Vec<String>)| {
        let commit = &raw_ref[*k];
        match &commit.pending {
            Some(pending) => repo.remerge_pending(commit.id, pending, now),
            None => Ok(Vec::new()),
        }
    };
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .clamp(1, MAX_THREADS)
        .min(jobs.len());
    let share = jobs.len().div_ceil(threads);
    let git_dir = repo.git_dir();
    let decided: Vec<Result<Vec<_>, git2::Error>> = std::thread::scope(|scope| {
        let helpers: Vec<_> = jobs
            .chunks(share)
            .skip(1)
            .map(|part| {
                let (git_dir, remerge) = (&git_dir, &remerge);
                scope.spawn(move || {
                    let repo = Repo {
                        repo: git2::Repository::open(git_dir)?,
                    };
                    part.iter().map(|job| remerge(&repo, job)).collect()
                })
            })
            .collect();
        let mut out = vec![
            jobs[..share.min(jobs.len())]
                .iter()
                .map(|job| remerge(repo, job))
                .collect(),
        ];
        for helper in helpers {
            out.push(
                helper
                    .join()
                    .unwrap_or_else(|_| Err(git2::Error::from_str("a re-merge thread panicked"))),
            );
        }
        out
    });
    let mut own = Vec::with_capacity(jobs.len());
    for part in decided {
        own.extend(part?);
    }
    for ((k, now), own) in jobs.into_iter().zip(own) {
        let commit = &mut raw[k];
        if let Some(pending) = &mut commit.pending {
            pending.paths.retain(|p| !now.contains(p));
            if pending.paths.is_empty() {
                commit.pending = None;
            }
        }
        commit.changes.extend(own);
        commit.changes.sort_by(|a, b| a.path.cmp(&b.path));
    }
    Ok(())
}

/// More threads than this gain nothing (libgit2's pack reading is shared).
const MAX_THREADS: usize = 8;

/// The names renames link: each path with every name it had before a rename and has after
/// one, anywhere in the history (a union-find over names).
struct Names {
    number: HashMap<String, usize>,
    parent: Vec<usize>,
}

impl Names {
    fn linked_by_renames<'a>(commits: impl Iterator<Item = &'a RawCommit>) -> Self {
        let mut names = Self {
            number: HashMap::new(),
            parent: Vec::new(),
        };
        for change in commits.flat_map(|c| &c.changes) {
            if let Some(from) = &change.from {
                let (a, b) = (names.add(from), names.add(&change.path));
                let (a, b) = (names.root(a), names.root(b));
                names.parent[a.max(b)] = a.min(b);
            }
        }
        names
    }

    fn add(&mut self, name: &str) -> usize {
        if let Some(&k) = self.number.get(name) {
            return k;
        }
        let k = self.parent.len();
        self.parent.push(k);
        self.number.insert(name.to_string(), k);
        k
    }

    fn root(&self, mut k: usize) -> usize {
        while self.parent[k] != k {
            k = self.parent[k];
        }
        k
    }

    /// The groups of linked names of which one name passes `test`.
    fn marked(&self, test: impl Fn(&str) -> bool) -> HashSet<usize> {
        self.number
            .iter()
            .filter(|(name, _)| test(name))
            .map(|(_, &k)| self.root(k))
            .collect()
    }

    /// Whether `path`, or a name linked to it, passes the test that gave `marked`.
    fn any(&self, path: &str, marked: &HashSet<usize>, test: impl Fn(&str) -> bool) -> bool {
        match self.number.get(path) {
            Some(&k) => marked.contains(&self.root(k)),
            None => test(path),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::repo::RawChange;

    fn renaming(pairs: &[(&str, &str)]) -> RawCommit {
        let mut c = crate::history::cache::tests::commit(1, &[]);
        c.changes = pairs
            .iter()
            .map(|(from, to)| RawChange {
                path: to.to_string(),
                blob: None,
                from: Some(from.to_string()),
            })
            .collect();
        c
    }

    #[test]
    fn a_name_counts_for_every_name_renames_link_it_to() {
        let commits = [
            renaming(&[("tools/a.sh", "tools/b.sh")]),
            renaming(&[("tools/b.sh", "infra/iam/b.sh"), ("x", "y")]),
        ];
        let names = Names::linked_by_renames(commits.iter());
        let claimed = |n: &str| n.starts_with("infra/iam/");
        let marked = names.marked(claimed);
        for name in [
            "tools/a.sh",
            "tools/b.sh",
            "infra/iam/b.sh",
            "infra/iam/new.sh",
        ] {
            assert!(names.any(name, &marked, claimed), "{name}");
        }
        for name in ["x", "y", "tools/c.sh"] {
            assert!(!names.any(name, &marked, claimed), "{name}");
        }
    }

    #[test]
    fn areas_toml_is_recognised_at_any_root() {
        assert!(is_areas_toml("areas.toml"));
        assert!(is_areas_toml("old/isms/areas.toml"));
        assert!(!is_areas_toml("isms/my-areas.toml"));
    }
}
