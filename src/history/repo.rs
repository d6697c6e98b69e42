//! The one place that talks to git: a small wrapper over `git2::Repository`, so the rest of the
//! history code reads commits, diffs and blobs through a few plain functions.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use git2::{Delta, DiffFindOptions, DiffOptions, Oid, Repository, Sort};

use super::merge_bases::CommitGraph;
use super::raw_tree;
pub(crate) use super::remerge::Pending;

/// One changed path of a commit, as the tree diff against its first parent saw it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RawChange {
    /// Repository-relative, with `/`: the path after the commit (before it, for a deletion).
    pub path: String,
    /// The blob after the commit; `None` when the path was deleted.
    pub blob: Option<Oid>,
    /// The path before a rename.
    pub from: Option<String>,
}

/// A name, email and time as a commit records them (before `.mailmap`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct RawSignature {
    pub name: String,
    pub email: String,
    /// Seconds since the epoch.
    pub time: i64,
    /// Offset from UTC in minutes.
    pub offset: i32,
}

impl RawSignature {
    fn of(sig: &git2::Signature<'_>) -> Self {
        Self {
            name: String::from_utf8_lossy(sig.name_bytes()).into_owned(),
            email: String::from_utf8_lossy(sig.email_bytes()).into_owned(),
            time: sig.when().seconds(),
            offset: sig.when().offset_minutes(),
        }
    }
}

/// A commit as read from git: raw identities (before `.mailmap`), its parents and the paths it
/// changed. Merges are kept (their parents carry the dates of the graph) even when they changed
/// nothing of their own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RawCommit {
    pub id: Oid,
    pub parents: Vec<Oid>,
    pub author: RawSignature,
    pub committer: RawSignature,
    /// `Co-authored-by:` trailers, as (name, email).
    pub co_authors: Vec<(String, String)>,
    /// `Approved-by:` trailers (a merge or squashed commit approved in review), as (name, email).
    pub approved_by: Vec<(String, String)>,
    pub subject: String,
    pub changes: Vec<RawChange>,
    /// For a two-parent merge, the paths both parents changed that are not yet re-merged:
    /// whether the merge wrote them itself is decided only where a verdict can depend on it
    /// (`claims.rs`); until then they are in none of `changes`.
    pub pending: Option<Pending>,
    /// Its `gpgsig` header and the data it signs, read in the walk's own pass (not kept in the
    /// history cache: a commit taken from the cache has [`Gpgsig::NotRead`]).
    pub gpgsig: Gpgsig,
}

/// A commit's `gpgsig` header as the walk read it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) enum Gpgsig {
    /// Not read (a commit from the cache, or a header the walk leaves to libgit2 to read):
    /// [`Repo::signature`] reads it when needed.
    #[default]
    NotRead,
    Unsigned,
    /// The signature and the data it signs (the commit without its `gpgsig` header).
    Signed(Box<(Vec<u8>, Vec<u8>)>),
}

impl RawCommit {
    pub fn is_merge(&self) -> bool {
        self.parents.len() > 1
    }
}

/// An opened repository.
pub(crate) struct Repo {
    pub(super) repo: Repository,
}

impl Repo {
    /// The repository git would use for the ISMS at `start` (see [`super::open_repository`]).
    pub fn open(start: &Path) -> Result<Self, git2::Error> {
        // As git does, trust the object database: hashing every object read again costs a
        // fifth of the walk.
        git2::opts::strict_hash_verification(false);
        Ok(Self {
            repo: super::open::open_repository(start)?,
        })
    }

    /// Another handle on the same repository, for a thread of its own (a handle is not shared
    /// between threads).
    pub fn reopen(&self) -> Result<Self, git2::Error> {
        Ok(Self {
            repo: Repository::open(self.repo.path())?,
        })
    }

    /// Whether HEAD's tree holds `path` (repository-relative).
    pub fn head_tracks(&self, head: Oid, path: &str) -> Result<bool, git2::Error> {
        let tree = self.repo.find_commit(head)?.tree()?;
        Ok(tree.get_path(Path::new(path)).is_ok())
    }

    /// The repository's git directory (`.git`, or `.git/worktrees/NAME` for a worktree).
    pub fn git_dir(&self) -> PathBuf {
        self.repo.path().to_path_buf()
    }

    pub fn is_shallow(&self) -> bool {
        self.repo.is_shallow()
    }

    /// The commit HEAD points to; `None` before the first commit.
    pub fn head(&self) -> Result<Option<Oid>, git2::Error> {
        match self.repo.head() {
            Ok(r) => Ok(Some(r.peel_to_commit()?.id())),
            Err(e)
                if e.code() == git2::ErrorCode::UnbornBranch
                    || e.code() == git2::ErrorCode::NotFound =>
            {
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    /// Whether `commit` has `ancestor` in its history.
    pub fn descends_from(&self, commit: Oid, ancestor: Oid) -> bool {
        commit == ancestor
            || self
                .repo
                .graph_descendant_of(commit, ancestor)
                .unwrap_or(false)
    }

    /// Every commit reachable from `head` and not from `hide`, children before parents, each
    /// diffed against its first parent (a merge against an automatic re-merge of its parents).
    /// `progress` is told of each commit read. The diffs run on every core (see [`Self::walk_reading`]).
    /// With `gpgsig`, each commit's signature is read too ([`RawCommit::gpgsig`]).
    pub fn walk(
        &self,
        head: Oid,
        hide: Option<Oid>,
        gpgsig: bool,
        progress: impl FnMut(usize),
    ) -> Result<Vec<RawCommit>, git2::Error> {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        let threads = cores.min(MAX_THREADS);
        self.walk_reading(head, hide, threads, CHUNK, gpgsig, progress)
    }

    /// [`Self::walk_reading`] without the signatures, every path both sides of a merge changed
    /// re-merged (as when all of them are claimed).
    #[cfg(test)]
    pub(super) fn walk_on(
        &self,
        head: Oid,
        hide: Option<Oid>,
        threads: usize,
        chunk: usize,
        progress: impl FnMut(usize),
    ) -> Result<Vec<RawCommit>, git2::Error> {
        let mut walked = self.walk_reading(head, hide, threads, chunk, false, progress)?;
        super::claims::decide_every_pending(self, &mut walked)?;
        Ok(walked)
    }

    /// [`Self::walk`] on `threads` threads. The walk order is known before any diff, and each
    /// commit's diff depends on that commit alone, so the commits are handed out in chunks of
    /// `chunk` consecutive ones (consecutive commits share most trees, which each thread's
    /// repository handle keeps cached) and put back in walk order: the result is the same as a
    /// single thread's, whatever the number of threads.
    fn walk_reading(
        &self,
        head: Oid,
        hide: Option<Oid>,
        threads: usize,
        chunk: usize,
        gpgsig: bool,
        mut progress: impl FnMut(usize),
    ) -> Result<Vec<RawCommit>, git2::Error> {
        let mut walk = self.repo.revwalk()?;
        walk.set_sorting(Sort::TOPOLOGICAL | Sort::TIME)?;
        walk.push(head)?;
        if let Some(h) = hide {
            walk.hide(h)?;
        }
        let ids = walk.collect::<Result<Vec<Oid>, _>>()?;
        // The graph of the walked commits, for the merges' bases (read once, before the diffs).
        let graph = CommitGraph::new(
            ids.iter()
                .map(|id| Ok((*id, self.repo.find_commit(*id)?.parent_ids().collect())))
                .collect::<Result<Vec<_>, git2::Error>>()?,
        );
        let graph = &graph;
        let chunks: Vec<&[Oid]> = ids.chunks(chunk.max(1)).collect();
        let next = AtomicUsize::new(0);
        let read = AtomicUsize::new(0);
        let failed = AtomicBool::new(false);
        // Diffs the next chunk, `None` when none is left (or one failed): (chunk number,
        // its commits).
        let take = |repo: &Repo| -> Option<(usize, Result<Vec<RawCommit>, git2::Error>)> {
            if failed.load(Ordering::Relaxed) {
                return None;
            }
            let n = next.fetch_add(1, Ordering::Relaxed);
            let ids = chunks.get(n)?;
            let diffed = ids
                .iter()
                .map(|id| repo.diffed_commit(*id, graph, gpgsig))
                .collect::<Result<Vec<_>, _>>();
            failed.fetch_or(diffed.is_err(), Ordering::Relaxed);
            read.fetch_add(ids.len(), Ordering::Relaxed);
            Some((n, diffed))
        };
        let git_dir = self.repo.path().to_path_buf();
        let results = std::thread::scope(|scope| {
            let helpers: Vec<_> = (1..threads.max(1))
                .map(|_| {
                    let (git_dir, take) = (&git_dir, &take);
                    scope.spawn(move || {
                        // A helper that cannot open the repository leaves its share to the rest.
                        let Ok(repo) = Repository::open(git_dir) else {
                            return Vec::new();
                        };
                        let repo = Repo { repo };
                        std::iter::from_fn(|| take(&repo)).collect::<Vec<_>>()
                    })
                })
                .collect();
            // This thread works too, and reports the progress of all.
            let mut results = Vec::new();
            while let Some(done) = take(self) {
                results.push(done);
                progress(read.load(Ordering::Relaxed));
            }
            for helper in helpers {
                results.extend(helper.join().unwrap_or_default());
            }
            progress(read.load(Ordering::Relaxed));
            results
        });
        raw_tree::forget();
        let mut slots: Vec<Option<Result<Vec<RawCommit>, git2::Error>>> =
            std::iter::repeat_with(|| None).take(chunks.len()).collect();
        for (n, diffed) in results {
            slots[n] = Some(diffed);
        }
        let mut out = Vec::with_capacity(ids.len());
        for (slot, ids) in slots.into_iter().zip(&chunks) {
            // A chunk not done (after a failure, or by a helper that panicked) is done here.
            let diffed = slot.unwrap_or_else(|| {
                ids.iter()
                    .map(|id| self.diffed_commit(*id, graph, gpgsig))
                    .collect::<Result<Vec<_>, _>>()
            })?;
            out.extend(diffed);
        }
        Ok(out)
    }

    /// One commit as the walk reads it: its identities, subject, parents and changed paths.
    fn diffed_commit(
        &self,
        oid: Oid,
        graph: &CommitGraph,
        gpgsig: bool,
    ) -> Result<RawCommit, git2::Error> {
        let commit = self.repo.find_commit(oid)?;
        let (changes, pending) = if commit.parent_count() > 1 {
            // A merge wrote only what differs from an automatic re-merge of its parents
            // (a conflict resolution, or an "evil" merge): only that counts.
            self.merge_changes(&commit, &commit.tree()?, Some(graph))?
        } else {
            let parent_tree = match commit.parent_count() {
                0 => None,
                _ => Some(commit.parent(0)?.tree_id()),
            };
            let mut found = Vec::new();
            self.tree_ids_diff_within(parent_tree, Some(commit.tree_id()), "", None, &mut found)?;
            let changes = match pair_exact_renames(found) {
                Some(changes) => changes,
                // Added and deleted files whose contents differ: only a similarity search
                // (which reads those blobs) can tell a rename with edits.
                None => {
                    let tree = commit.tree()?;
                    let parent_tree = parent_tree.map(|id| self.repo.find_tree(id)).transpose()?;
                    let mut diff_opts = DiffOptions::new();
                    diff_opts.skip_binary_check(true).include_typechange(true);
                    let mut diff = self.repo.diff_tree_to_tree(
                        parent_tree.as_ref(),
                        Some(&tree),
                        Some(&mut diff_opts),
                    )?;
                    diff.find_similar(Some(DiffFindOptions::new().renames(true)))?;
                    changes(&diff)
                }
            };
            (changes, None)
        };
        let message = String::from_utf8_lossy(commit.message_bytes());
        Ok(RawCommit {
            id: commit.id(),
            parents: commit.parent_ids().collect(),
            author: RawSignature::of(&commit.author()),
            committer: RawSignature::of(&commit.committer()),
            co_authors: co_authors(&message),
            approved_by: trailer_idents(&message, "approved-by"),
            subject: subject(&message),
            changes,
            pending,
            gpgsig: if gpgsig {
                super::gpgsig::read(commit.raw_header_bytes(), commit.message_raw_bytes())
            } else {
                Gpgsig::NotRead
            },
        })
    }

    /// The paths that differ between two trees, as git's tree diff finds them: subtrees with the
    /// same id are skipped without being read, and no blob is read at all.
    pub(super) fn tree_diff(
        &self,
        old: Option<&git2::Tree<'_>>,
        new: Option<&git2::Tree<'_>>,
        dir: &str,
        out: &mut Vec<Found>,
    ) -> Result<(), git2::Error> {
        self.tree_diff_within(old, new, dir, None, out)
    }

    /// [`Self::tree_diff`], descending only into the folders that hold one of `within`'s paths
    /// (all when `None`): every path of `within` that differs is found, at the cost of the
    /// folders it lies in.
    pub(super) fn tree_diff_within(
        &self,
        old: Option<&git2::Tree<'_>>,
        new: Option<&git2::Tree<'_>>,
        dir: &str,
        within: Option<&BTreeSet<String>>,
        out: &mut Vec<Found>,
    ) -> Result<(), git2::Error> {
        let (old, new) = (old.map(git2::Tree::id), new.map(git2::Tree::id));
        self.tree_ids_diff_within(old, new, dir, within, out)
    }

    /// [`Self::tree_diff_within`] of two trees named by id, read as raw bytes ([`raw_tree`]).
    fn tree_ids_diff_within(
        &self,
        old: Option<Oid>,
        new: Option<Oid>,
        dir: &str,
        within: Option<&BTreeSet<String>>,
        out: &mut Vec<Found>,
    ) -> Result<(), git2::Error> {
        if old.is_some() && old == new {
            return Ok(());
        }
        let path_of = |e: &raw_tree::Entry<'_>| format!("{dir}{}", String::from_utf8_lossy(e.name));
        let read = |id: Option<Oid>| id.map(|id| raw_tree::read(&self.repo, id)).transpose();
        let (old_bytes, new_bytes) = (read(old)?, read(new)?);
        let old_entries = match (old, old_bytes.as_deref()) {
            (Some(id), Some(bytes)) => raw_tree::entries(id, bytes)?,
            _ => Vec::new(),
        };
        let new_entries = match (new, new_bytes.as_deref()) {
            (Some(id), Some(bytes)) => raw_tree::entries(id, bytes)?,
            _ => Vec::new(),
        };
        // (old subtree, new subtree, path) still to compare.
        let mut recurse: Vec<(Option<Oid>, Option<Oid>, String)> = Vec::new();
        let mut olds = old_entries.iter().peekable();
        let mut news = new_entries.iter().peekable();
        // Both trees are sorted in git's order: one merge pass, no lookup, no allocation
        // for what did not change.
        loop {
            let order = match (olds.peek(), news.peek()) {
                (None, None) => break,
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (Some(a), Some(b)) => raw_tree::git_order(a.name, a.is_tree(), b.name, b.is_tree()),
            };
            match order {
                std::cmp::Ordering::Less => {
                    let Some(e) = olds.next() else { break };
                    if e.is_tree() {
                        recurse.push((Some(e.oid()), None, path_of(e)));
                    } else {
                        out.push(Found {
                            path: path_of(e),
                            old: Some(e.oid()),
                            new: None,
                        });
                    }
                }
                std::cmp::Ordering::Greater => {
                    let Some(e) = news.next() else { break };
                    if e.is_tree() {
                        recurse.push((None, Some(e.oid()), path_of(e)));
                    } else {
                        out.push(Found {
                            path: path_of(e),
                            old: None,
                            new: Some(e.oid()),
                        });
                    }
                }
                std::cmp::Ordering::Equal => {
                    let (Some(a), Some(b)) = (olds.next(), news.next()) else {
                        break;
                    };
                    // A mode change (executable bit, file and symlink swapped) is a change.
                    if a.id == b.id && a.mode == b.mode {
                        continue;
                    }
                    if b.is_tree() {
                        recurse.push((Some(a.oid()), Some(b.oid()), path_of(b)));
                    } else {
                        out.push(Found {
                            path: path_of(b),
                            old: Some(a.oid()),
                            new: Some(b.oid()),
                        });
                    }
                }
            }
        }
        for (old, new, path) in recurse {
            let folder = format!("{path}/");
            let holds_wanted = |w: &BTreeSet<String>| {
                w.range(folder.clone()..)
                    .next()
                    .is_some_and(|p| p.starts_with(&folder))
            };
            if within.is_some_and(|w| !holds_wanted(w)) {
                continue;
            }
            self.tree_ids_diff_within(old, new, &folder, within, out)?;
        }
        Ok(())
    }

    /// The change the index stages over HEAD: what `git commit` would record now.
    pub fn staged_changes(&self) -> Result<Vec<RawChange>, git2::Error> {
        let head_tree = match self.head()? {
            Some(oid) => Some(self.repo.find_commit(oid)?.tree()?),
            None => None,
        };
        let index = self.repo.index()?;
        let mut diff_opts = DiffOptions::new();
        diff_opts.skip_binary_check(true).include_typechange(true);
        let mut diff =
            self.repo
                .diff_tree_to_index(head_tree.as_ref(), Some(&index), Some(&mut diff_opts))?;
        if has_add_and_delete(&diff) {
            diff.find_similar(Some(DiffFindOptions::new().renames(true)))?;
        }
        Ok(changes(&diff))
    }

    /// Who wrote each line of a file as it stands now, as `git blame` says: the commit of each
    /// line of `path` at `at` (HEAD when `None`), or, given `staged` (the index's content), of
    /// each line of that text, `None` for lines not committed yet. Empty when the file is not
    /// in the commit.
    pub fn blame_lines(
        &self,
        path: &str,
        at: Option<Oid>,
        staged: Option<&[u8]>,
    ) -> Result<Vec<(String, Option<Oid>)>, git2::Error> {
        let Some(head) = (match at {
            Some(oid) => Some(oid),
            None => self.head()?,
        }) else {
            return Ok(Vec::new());
        };
        let committed = self
            .repo
            .find_commit(head)?
            .tree()?
            .get_path(Path::new(path))
            .ok()
            .and_then(|e| self.repo.find_blob(e.id()).ok())
            .map(|b| b.content().to_vec());
        let Some(committed) = committed else {
            // A file only staged: every line is the staged change's.
            let text = String::from_utf8_lossy(staged.unwrap_or_default());
            return Ok(text.lines().map(|l| (l.to_string(), None)).collect());
        };
        let mut opts = git2::BlameOptions::new();
        opts.newest_commit(head);
        let blame = self.repo.blame_file(Path::new(path), Some(&mut opts))?;
        let on_buffer = match staged {
            Some(text) => Some(blame.blame_buffer(text)?),
            None => None,
        };
        let (text, lines) = match (staged, &on_buffer) {
            (Some(text), Some(b)) => (String::from_utf8_lossy(text), b),
            _ => (String::from_utf8_lossy(&committed), &blame),
        };
        Ok(text
            .lines()
            .enumerate()
            .map(|(i, line)| {
                let commit = lines
                    .get_line(i + 1)
                    .map(|h| h.final_commit_id())
                    .filter(|oid| !oid.is_zero());
                (line.to_string(), commit)
            })
            .collect())
    }

    /// The identity the next commit will be authored with, as git computes it.
    pub fn user_identity(&self) -> Option<(String, String)> {
        super::open::next_author(&self.repo)
    }

    /// The bytes of a blob.
    pub fn blob(&self, oid: Oid) -> Result<Vec<u8>, git2::Error> {
        Ok(self.repo.find_blob(oid)?.content().to_vec())
    }

    /// A commit's signature and the data it signs (the commit without its `gpgsig` header);
    /// `None` when the commit is not signed or cannot be read.
    pub fn signature(&self, commit: Oid) -> Option<(Vec<u8>, Vec<u8>)> {
        let (signature, data) = self.repo.extract_signature(&commit, None).ok()?;
        Some((signature.to_vec(), data.to_vec()))
    }

    /// The blob at a repository path in a commit's tree.
    pub fn blob_in_commit(&self, commit: Oid, path: &str) -> Option<Oid> {
        let tree = self.repo.find_commit(commit).ok()?.tree().ok()?;
        tree.get_path(Path::new(path)).ok().map(|e| e.id())
    }

    /// The blob at a repository path in the tree of a commit's first parent.
    pub fn blob_in_parent(&self, commit: Oid, path: &str) -> Option<Oid> {
        let parent = self.repo.find_commit(commit).ok()?.parent_id(0).ok()?;
        self.blob_in_commit(parent, path)
    }

    /// The `.mailmap` at the repository root of the checked snapshot: the index's when
    /// `staged`, else the tree of `at` (HEAD when `None`). The working tree's file and the
    /// local `mailmap.file` setting change nothing: exemptions come from committed files only.
    pub fn mailmap(&self, staged: bool, at: Option<Oid>) -> Option<git2::Mailmap> {
        const MODE_FILE: [u32; 2] = [0o100644, 0o100755];
        let blob = if staged {
            let index = self.repo.index().ok()?;
            let entry = index.get_path(Path::new(".mailmap"), 0)?;
            MODE_FILE.contains(&entry.mode).then_some(entry.id)?
        } else {
            let commit = match at {
                Some(oid) => self.repo.find_commit(oid).ok()?,
                None => self.repo.head().ok()?.peel_to_commit().ok()?,
            };
            let entry = commit.tree().ok()?.get_path(Path::new(".mailmap")).ok()?;
            MODE_FILE
                .contains(&(entry.filemode() as u32))
                .then_some(entry.id())?
        };
        let text = self.blob(blob).ok()?;
        git2::Mailmap::from_buffer(&String::from_utf8_lossy(&text)).ok()
    }

    /// The submodules of the checked snapshot (the index when `staged`, else the tree of `at`,
    /// HEAD when `None`): the paths `.gitmodules` names that are gitlinks there, and every
    /// gitlink at or below `reach` (repository paths; `""` is the whole tree), which git records
    /// as a submodule with or without a `.gitmodules` entry (kept between runs when
    /// `use_cache`). Sorted.
    pub fn submodules(
        &self,
        staged: bool,
        at: Option<Oid>,
        reach: &[String],
        use_cache: bool,
    ) -> Vec<String> {
        let mut paths = self.declared_submodules(staged, at);
        paths.extend(super::gitlinks::find(
            &self.repo, staged, at, reach, use_cache,
        ));
        paths.sort();
        paths.dedup();
        paths
    }

    /// The paths `.gitmodules` names that are gitlinks in the checked snapshot.
    fn declared_submodules(&self, staged: bool, at: Option<Oid>) -> Vec<String> {
        const GITLINK: u32 = 0o160000;
        let paths: Vec<String> = if staged {
            let Ok(index) = self.repo.index() else {
                return Vec::new();
            };
            let Some(text) = index
                .get_path(Path::new(".gitmodules"), 0)
                .and_then(|e| self.blob(e.id).ok())
            else {
                return Vec::new();
            };
            gitmodules_paths(&String::from_utf8_lossy(&text))
                .into_iter()
                .filter(|p| {
                    index
                        .get_path(Path::new(p), 0)
                        .is_some_and(|e| e.mode == GITLINK)
                })
                .collect()
        } else {
            let commit = match at {
                Some(oid) => self.repo.find_commit(oid).ok(),
                None => self.repo.head().ok().and_then(|h| h.peel_to_commit().ok()),
            };
            let Some(tree) = commit.and_then(|c| c.tree().ok()) else {
                return Vec::new();
            };
            let Some(text) = tree
                .get_path(Path::new(".gitmodules"))
                .ok()
                .and_then(|e| self.blob(e.id()).ok())
            else {
                return Vec::new();
            };
            gitmodules_paths(&String::from_utf8_lossy(&text))
                .into_iter()
                .filter(|p| {
                    tree.get_path(Path::new(p))
                        .is_ok_and(|e| e.filemode() as u32 == GITLINK)
                })
                .collect()
        };
        paths
    }

    /// The full id of a commit named by a full or abbreviated hash.
    pub fn resolve_commit(&self, hash: &str) -> Option<Oid> {
        self.repo
            .revparse_single(hash)
            .ok()
            .and_then(|o| o.peel_to_commit().ok())
            .map(|c| c.id())
    }
}

/// The most threads a walk diffs on: beyond a few, reading the pack is the bound.
const MAX_THREADS: usize = 8;

/// Commits handed to a thread at a time: enough for its object cache to pay, few enough that
/// the threads finish together.
const CHUNK: usize = 64;

/// A path that differs between two trees: its blob before and after.
pub(crate) struct Found {
    pub(super) path: String,
    pub(super) old: Option<Oid>,
    pub(super) new: Option<Oid>,
}

/// Turns found differences into changes, pairing each deleted file with an added file of the
/// same content (an exact rename, known from the ids alone). `None` when added and deleted
/// files remain that differ in content: a rename with edits needs the similarity search.
fn pair_exact_renames(mut found: Vec<Found>) -> Option<Vec<RawChange>> {
    found.sort_by(|a, b| a.path.cmp(&b.path));
    let mut deleted: HashMap<Oid, Vec<String>> = HashMap::new();
    for f in found.iter().filter(|f| f.new.is_none()) {
        if let Some(id) = f.old {
            deleted.entry(id).or_default().push(f.path.clone());
        }
    }
    let mut renamed_from: HashSet<String> = HashSet::new();
    let mut out = Vec::with_capacity(found.len());
    let mut added_left = false;
    for f in &found {
        if f.old.is_none() {
            if let Some(id) = f.new {
                if let Some(from) = deleted.get_mut(&id).and_then(|v| {
                    if v.is_empty() {
                        None
                    } else {
                        Some(v.remove(0))
                    }
                }) {
                    renamed_from.insert(from.clone());
                    out.push(RawChange {
                        path: f.path.clone(),
                        blob: Some(id),
                        from: Some(from),
                    });
                    continue;
                }
                added_left = true;
            }
        }
        if f.new.is_some() {
            out.push(RawChange {
                path: f.path.clone(),
                blob: f.new,
                from: None,
            });
        }
    }
    let mut deleted_left = false;
    for f in found.iter().filter(|f| f.new.is_none()) {
        if !renamed_from.contains(&f.path) {
            deleted_left = true;
            out.push(RawChange {
                path: f.path.clone(),
                blob: None,
                from: None,
            });
        }
    }
    if added_left && deleted_left {
        return None;
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Some(out)
}

/// Rename detection compares added and deleted files; a commit without both has no rename,
/// and skipping the search then keeps blobs unread.
fn has_add_and_delete(diff: &git2::Diff<'_>) -> bool {
    let mut added = false;
    let mut deleted = false;
    for d in diff.deltas() {
        match d.status() {
            Delta::Added => added = true,
            Delta::Deleted => deleted = true,
            _ => {}
        }
        if added && deleted {
            return true;
        }
    }
    false
}

fn path_of(file: &git2::DiffFile<'_>) -> Option<String> {
    file.path_bytes()
        .map(|p| String::from_utf8_lossy(p).into_owned())
}

fn changes(diff: &git2::Diff<'_>) -> Vec<RawChange> {
    let mut out = Vec::new();
    for d in diff.deltas() {
        let (new, old) = (d.new_file(), d.old_file());
        let change = match d.status() {
            Delta::Deleted => path_of(&old).map(|path| RawChange {
                path,
                blob: None,
                from: None,
            }),
            Delta::Renamed => path_of(&new).map(|path| RawChange {
                path,
                blob: Some(new.id()),
                from: path_of(&old),
            }),
            Delta::Unmodified | Delta::Ignored | Delta::Untracked => None,
            _ => path_of(&new).map(|path| RawChange {
                path,
                blob: Some(new.id()),
                from: None,
            }),
        };
        out.extend(change);
    }
    out
}

/// The `path = ...` values of a `.gitmodules` file, with `/` separators and no trailing `/`.
fn gitmodules_paths(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| {
            let (key, value) = l.split_once('=')?;
            (key.trim() == "path").then(|| {
                value
                    .trim()
                    .trim_matches('"')
                    .replace('\\', "/")
                    .trim_end_matches('/')
                    .to_string()
            })
        })
        .filter(|p| !p.is_empty())
        .collect()
}

/// The first line of a commit message.
pub(crate) fn subject(message: &str) -> String {
    message.lines().next().unwrap_or("").trim().to_string()
}

/// The `Co-authored-by: Name <email>` trailers of a commit message, as git parses trailers:
/// only from the trailer block at the end of the message, never from the subject or the body.
pub(crate) fn co_authors(message: &str) -> Vec<(String, String)> {
    trailer_idents(message, "co-authored-by")
}

/// The `KEY: Name <email>` trailers of a commit message (key compared ignoring case), from the
/// trailer block only.
pub(crate) fn trailer_idents(message: &str, wanted: &str) -> Vec<(String, String)> {
    let Ok(trailers) = git2::message_trailers_strs(message) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (key, value) in trailers.iter() {
        if !key.trim().eq_ignore_ascii_case(wanted) {
            continue;
        }
        let value = value.trim();
        let (name, email) = match (value.find('<'), value.rfind('>')) {
            (Some(lt), Some(gt)) if lt < gt => (value[..lt].trim(), value[lt + 1..gt].trim()),
            _ => ("", value),
        };
        if !email.is_empty() {
            out.push((name.to_string(), email.to_string()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A repository with nested folders, edits, an exact rename, a rename with edits, a
    /// deletion and a merge whose parents changed the same file: every kind of diff the walk
    /// does. Returns the repository and its HEAD.
    fn branchy_repo(dir: &Path) -> (Repo, Oid) {
        let repo = Repository::init(dir).expect("init");
        let commit = |n: i64, files: &[(&str, Option<&str>)], parents: &[Oid]| -> Oid {
            let mut index = repo.index().expect("index");
            let parent_commits: Vec<git2::Commit<'_>> = parents
                .iter()
                .map(|p| repo.find_commit(*p).expect("parent"))
                .collect();
            if let Some(first) = parent_commits.first() {
                index
                    .read_tree(&first.tree().expect("tree"))
                    .expect("read tree");
            }
            for (path, text) in files {
                let file = dir.join(path);
                match text {
                    Some(text) => {
                        std::fs::create_dir_all(file.parent().expect("dir")).expect("mkdir");
                        std::fs::write(&file, text).expect("write");
                        index.add_path(Path::new(path)).expect("add");
                    }
                    None => index.remove_path(Path::new(path)).expect("remove"),
                }
            }
            let tree = repo
                .find_tree(index.write_tree().expect("write tree"))
                .expect("tree");
            let who = git2::Signature::new(
                &format!("P{n}"),
                &format!("p{n}@x.example"),
                &git2::Time::new(1_700_000_000 + n * 86_400, 0),
            )
            .expect("signature");
            let refs: Vec<&git2::Commit<'_>> = parent_commits.iter().collect();
            repo.commit(None, &who, &who, &format!("Change {n}"), &tree, &refs)
                .expect("commit")
        };
        let lines = |tag: &str| {
            (0..20)
                .map(|i| format!("{tag} line {i}\n"))
                .collect::<String>()
        };
        let (a, b) = (lines("a"), lines("b"));
        let b_edited = format!("{b}one more\n");
        let c1 = commit(
            1,
            &[
                ("src/x/a.rs", Some(&a)),
                ("src/y/b.rs", Some(&b)),
                ("top.md", Some("t")),
            ],
            &[],
        );
        let c2 = commit(2, &[("src/x/a.rs", None), ("src/z/a.rs", Some(&a))], &[c1]);
        let c3 = commit(
            3,
            &[("src/y/b.rs", None), ("src/y/b2.rs", Some(&b_edited))],
            &[c2],
        );
        let side = commit(
            4,
            &[("top.md", Some("side")), ("src/x/new.rs", Some("n"))],
            &[c3],
        );
        let main = commit(5, &[("top.md", Some("main"))], &[c3]);
        let merge = commit(
            6,
            &[("top.md", Some("resolved")), ("src/x/new.rs", Some("n"))],
            &[main, side],
        );
        let head = commit(7, &[("src/z/a.rs", None)], &[merge]);
        (Repo { repo }, head)
    }

    #[test]
    fn a_diff_within_paths_finds_those_paths_and_reads_no_other_folder() {
        let dir = tempfile::tempdir().expect("tempdir");
        let repo = Repository::init(dir.path()).expect("init");
        let tree = |files: &[(&str, &str)]| -> Oid {
            let mut index = git2::Index::new().expect("index");
            for (path, text) in files {
                let blob = repo.blob(text.as_bytes()).expect("blob");
                let mut entry = git2::IndexEntry {
                    ctime: git2::IndexTime::new(0, 0),
                    mtime: git2::IndexTime::new(0, 0),
                    dev: 0,
                    ino: 0,
                    mode: 0o100644,
                    uid: 0,
                    gid: 0,
                    file_size: 0,
                    id: blob,
                    flags: 0,
                    flags_extended: 0,
                    path: path.as_bytes().to_vec(),
                };
                entry.flags = path.len().min(0xfff) as u16;
                index.add(&entry).expect("add");
            }
            index.write_tree_to(&repo).expect("tree")
        };
        let before = tree(&[
            ("a/x/1", "1"),
            ("a/y/3", "3"),
            ("b/4", "4"),
            ("t", "t"),
            ("d/5", "5"),
        ]);
        let after = tree(&[
            ("a/x/1", "one"),
            ("a/y/3", "three"),
            ("b/4", "four"),
            ("d", "file now"),
        ]);
        let repo = Repo { repo };
        let (old, new) = (
            repo.repo.find_tree(before).expect("tree"),
            repo.repo.find_tree(after).expect("tree"),
        );
        let paths = |within: Option<&BTreeSet<String>>| -> Vec<String> {
            let mut found = Vec::new();
            repo.tree_diff_within(Some(&old), Some(&new), "", within, &mut found)
                .expect("diff");
            let mut paths: Vec<String> = found.into_iter().map(|f| f.path).collect();
            paths.sort();
            paths
        };
        let all = paths(None);
        assert_eq!(all, ["a/x/1", "a/y/3", "b/4", "d", "d/5", "t"]);
        let wanted: BTreeSet<String> = ["a/x/1", "d/5", "c/new"].map(String::from).into();
        let within = paths(Some(&wanted));
        // The wanted paths that changed, as the full diff has them; a/y and b never read.
        assert_eq!(within, ["a/x/1", "d", "d/5", "t"]);
        let both: Vec<&String> = all.iter().filter(|p| wanted.contains(*p)).collect();
        let both_within: Vec<&String> = within.iter().filter(|p| wanted.contains(*p)).collect();
        assert_eq!(both, both_within);
    }

    #[test]
    fn diffing_on_several_threads_gives_the_sequential_walk() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (repo, head) = branchy_repo(dir.path());
        let sequential = repo.walk_on(head, None, 1, 1000, |_| {}).expect("walk");
        assert_eq!(sequential.len(), 7);
        let changed = |c: &RawCommit| -> Vec<(String, Option<String>)> {
            c.changes
                .iter()
                .map(|ch| (ch.path.clone(), ch.from.clone()))
                .collect()
        };
        // Newest first: the deletion, the merge (only the conflicted file is its own work),
        // then the two sides, the rename with edits and the exact rename.
        assert_eq!(changed(&sequential[0]), [("src/z/a.rs".into(), None)]);
        assert_eq!(changed(&sequential[1]), [("top.md".into(), None)]);
        let renames: Vec<_> = sequential
            .iter()
            .flat_map(changed)
            .filter(|c| c.1.is_some())
            .collect();
        assert_eq!(
            renames,
            [
                ("src/y/b2.rs".to_string(), Some("src/y/b.rs".to_string())),
                ("src/z/a.rs".to_string(), Some("src/x/a.rs".to_string())),
            ]
        );
        for (threads, chunk) in [(2, 1), (3, 2), (8, 1), (2, 64)] {
            let mut told = Vec::new();
            let parallel = repo
                .walk_on(head, None, threads, chunk, |n| told.push(n))
                .expect("walk");
            assert_eq!(parallel, sequential, "{threads} threads, chunks of {chunk}");
            assert_eq!(told.last(), Some(&7), "progress reaches every commit");
        }
        // Hiding an ancestor walks only the commits since, in the same order.
        let since = repo
            .walk_on(head, Some(sequential[3].id), 2, 1, |_| {})
            .expect("walk");
        assert_eq!(since, sequential[..3]);
    }

    #[test]
    fn co_author_trailers() {
        let msg = "Fix typo\n\nBody.\n\nCo-authored-by: Dave O <Dave@Acme.example>\nco-authored-by:erin@acme.example\nSigned-off-by: x <x@y>\n";
        assert_eq!(
            co_authors(msg),
            vec![
                ("Dave O".to_string(), "Dave@Acme.example".to_string()),
                (String::new(), "erin@acme.example".to_string())
            ]
        );
        assert_eq!(subject(msg), "Fix typo");
        assert!(co_authors("Co-authored-by\n").is_empty());
        // Only the trailer block counts: not the subject, not a line of the body.
        assert!(co_authors("Co-authored-by: Dave <dave@acme.example>\n").is_empty());
        assert!(
            co_authors(
                "Fix\n\nCo-authored-by: Dave <dave@acme.example>\nmore body text\n\nReviewed: yes\n"
            )
            .is_empty()
        );
    }
}
