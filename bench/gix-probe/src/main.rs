//! Measures gix against libgit2 for what isms's history walk does (issue 18): walk every
//! non-merge commit reachable from HEAD (as `git log --no-merges`), parse it, and diff its tree
//! against its first parent's down to the changed paths, with or without rename detection.
//!
//! One variant per process, so that `/usr/bin/time` gives each its own CPU time and max RSS:
//!
//! ```text
//! gix-probe REPO VARIANT
//! ```
//!
//! Variants (`git2-*` use libgit2 through git2, `gix-*` use gitoxide):
//!
//! | variant | what it does |
//! |---|---|
//! | `git2-walk` | revwalk (by commit time), each commit read and parsed (author, committer, message) |
//! | `git2-diff` | + `diff_tree_to_tree` of each commit against its first parent, no renames |
//! | `git2-raw` | + the same diff over trees read raw from the object database, parsed in place, each run keeping its last 1,024 trees: isms's `history::raw_tree` walk; libgit2's object cache and strict hash verification off, as isms sets them |
//! | `git2-renames` | `git2-diff` + `find_similar` (renames) where a commit adds and deletes files |
//! | `git2-raw-renames` | `git2-raw`, exact renames paired by blob id, `find_similar` only where added and deleted files are left unpaired: isms's way |
//! | `gix-walk` | `rev_walk` (by commit time), each commit read and decoded |
//! | `gix-diff` | + `gix::diff::tree` of each commit against its first parent, no renames |
//! | `gix-renames` | `gix::diff::tree_with_rewrites` with git's default rename detection |
//!
//! Every variant prints the commits it read, the changed paths it found and a digest of every
//! commit's set of changed paths (renames as `from -> to`), so that two variants can be shown to
//! have found the same changes before their times are compared.
//!
//! Knobs: `GIT2_CACHE=on` leaves libgit2's object cache on (off by default, as isms runs);
//! `GIT2_VERIFY=on` turns libgit2's strict hash verification back on (isms turns it off, as
//! git reads objects without hashing them again; libgit2's own default is on);
//! `GIX_OBJECT_CACHE=BYTES` gives gix an object cache of that size (none by default);
//! `GIX_PACK_CACHE=BYTES` replaces gix's default delta-base cache (an LRU list of 64 entries)
//! with a hash map holding at most that many bytes.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::Path;
use std::rc::Rc;

type Res<T> = Result<T, Box<dyn std::error::Error>>;

/// What one commit changed: its sorted, deduplicated paths (a rename as `from -> to`).
struct Changed {
    commit: [u8; 20],
    paths: Vec<String>,
}

/// The totals a variant prints, equal across variants that found the same changes.
#[derive(Default)]
struct Tally {
    commits: usize,
    paths: usize,
    renames: usize,
    per_commit: Vec<(u64, [u8; 20])>,
    /// Every commit's changes, kept only when `PROBE_DUMP` names a file to write them to.
    dump: Option<Vec<([u8; 20], Vec<String>)>>,
}

impl Tally {
    fn new() -> Self {
        Tally {
            dump: std::env::var_os("PROBE_DUMP").map(|_| Vec::new()),
            ..Tally::default()
        }
    }

    fn add(&mut self, mut changed: Changed) {
        changed.paths.sort();
        changed.paths.dedup();
        self.commits += 1;
        self.paths += changed.paths.len();
        self.renames += changed.paths.iter().filter(|p| p.contains(" -> ")).count();
        let mut h = DefaultHasher::new();
        changed.commit.hash(&mut h);
        changed.paths.hash(&mut h);
        self.per_commit.push((h.finish(), changed.commit));
        if let Some(dump) = self.dump.as_mut() {
            dump.push((changed.commit, changed.paths));
        }
    }

    fn print(mut self, variant: &str) -> Res<()> {
        if let (Some(mut dump), Ok(file)) = (self.dump.take(), std::env::var("PROBE_DUMP")) {
            dump.sort();
            let mut text = String::new();
            for (commit, paths) in dump {
                let id: String = commit.iter().map(|b| format!("{b:02x}")).collect();
                text.push_str(&format!("{id}\t{}\n", paths.join("\t")));
            }
            std::fs::write(file, text)?;
        }
        // Walk orders may differ on equal commit times: the digest is over commits by id.
        self.per_commit.sort_by(|a, b| a.1.cmp(&b.1));
        let mut h = DefaultHasher::new();
        for (digest, _) in &self.per_commit {
            digest.hash(&mut h);
        }
        println!(
            "{variant}\tcommits {}\tpaths {}\trenames {}\tdigest {:016x}",
            self.commits,
            self.paths,
            self.renames,
            h.finish()
        );
        Ok(())
    }
}

fn main() -> Res<()> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(repo), Some(variant)) = (args.get(1), args.get(2)) else {
        eprintln!(
            "usage: gix-probe REPO git2-walk|git2-diff|git2-raw|git2-renames|git2-raw-renames|gix-walk|gix-diff|gix-renames"
        );
        std::process::exit(2);
    };
    let repo = Path::new(repo);
    let tally = match variant.as_str() {
        "git2-walk" => libgit2::run(repo, libgit2::Diff::None)?,
        "git2-diff" => libgit2::run(repo, libgit2::Diff::TreeToTree)?,
        "git2-raw" => libgit2::run(repo, libgit2::Diff::Raw)?,
        "git2-renames" => libgit2::run(repo, libgit2::Diff::Renames)?,
        "git2-raw-renames" => libgit2::run(repo, libgit2::Diff::RawRenames)?,
        "gix-walk" => gitoxide::run(repo, gitoxide::Diff::None)?,
        "gix-diff" => gitoxide::run(repo, gitoxide::Diff::Tree)?,
        "gix-renames" => gitoxide::run(repo, gitoxide::Diff::Rewrites)?,
        other => return Err(format!("unknown variant {other}").into()),
    };
    tally.print(variant)
}

mod libgit2 {
    use super::*;
    use git2::{Delta, DiffFindOptions, DiffOptions, ObjectType, Oid, Repository, Sort};

    #[derive(Clone, Copy, PartialEq)]
    pub enum Diff {
        None,
        TreeToTree,
        Raw,
        Renames,
        RawRenames,
    }

    pub fn run(path: &Path, diff: Diff) -> Res<Tally> {
        let cache_on = std::env::var("GIT2_CACHE").is_ok_and(|v| v == "on");
        if !cache_on {
            // As isms does once at startup (`history::configure_libgit2`).
            git2::opts::enable_caching(false);
        }
        if !std::env::var("GIT2_VERIFY").is_ok_and(|v| v == "on") {
            // As isms does (`Repo::open`) and git does: no hashing of every object read again.
            git2::opts::strict_hash_verification(false);
        }
        let repo = Repository::open(path)?;
        let mut walk = repo.revwalk()?;
        walk.set_sorting(Sort::TIME)?;
        walk.push_head()?;
        let mut tally = Tally::new();
        let mut recent = RecentTrees::default();
        for id in walk {
            let commit = repo.find_commit(id?)?;
            if commit.parent_count() > 1 {
                continue;
            }
            // Parse what the walk keeps of every commit.
            let (author, committer) = (commit.author(), commit.committer());
            std::hint::black_box((
                author.name_bytes(),
                committer.when(),
                commit.message_bytes(),
            ));
            let parent_tree = match commit.parent_count() {
                0 => None,
                _ => Some(commit.parent_id(0)?),
            }
            .map(|p| repo.find_commit(p).and_then(|p| Ok(p.tree_id())))
            .transpose()?;
            let mut paths = Vec::new();
            match diff {
                Diff::None => {}
                Diff::Raw | Diff::RawRenames => {
                    let mut found = Vec::new();
                    raw_diff(
                        &repo,
                        &mut recent,
                        parent_tree,
                        Some(commit.tree_id()),
                        "",
                        &mut found,
                    )?;
                    match (diff, pair_exact_renames(&found)) {
                        (Diff::Raw, _) => paths.extend(found.into_iter().map(|f| f.path)),
                        (_, Some(paired)) => paths = paired,
                        // Added and deleted files left that differ: libgit2's similarity search,
                        // as isms does.
                        (_, None) => similar(&repo, parent_tree, &commit, &mut paths)?,
                    }
                }
                Diff::Renames => similar(&repo, parent_tree, &commit, &mut paths)?,
                Diff::TreeToTree => {
                    let old = parent_tree.map(|t| repo.find_tree(t)).transpose()?;
                    let new = commit.tree()?;
                    let mut opts = DiffOptions::new();
                    opts.skip_binary_check(true).include_typechange(true);
                    let d = repo.diff_tree_to_tree(old.as_ref(), Some(&new), Some(&mut opts))?;
                    delta_paths(&d, &mut paths);
                }
            }
            let mut commit_id = [0; 20];
            commit_id.copy_from_slice(commit.id().as_bytes());
            tally.add(Changed {
                commit: commit_id,
                paths,
            });
        }
        Ok(tally)
    }

    /// libgit2's tree diff with its similarity search (renames), where a commit adds and deletes.
    fn similar(
        repo: &Repository,
        parent_tree: Option<Oid>,
        commit: &git2::Commit<'_>,
        paths: &mut Vec<String>,
    ) -> Res<()> {
        let old = parent_tree.map(|t| repo.find_tree(t)).transpose()?;
        let new = commit.tree()?;
        let mut opts = DiffOptions::new();
        opts.skip_binary_check(true).include_typechange(true);
        let mut d = repo.diff_tree_to_tree(old.as_ref(), Some(&new), Some(&mut opts))?;
        if adds_and_deletes(&d) {
            d.find_similar(Some(DiffFindOptions::new().renames(true)))?;
        }
        delta_paths(&d, paths);
        Ok(())
    }

    fn delta_paths(d: &git2::Diff<'_>, paths: &mut Vec<String>) {
        for delta in d.deltas() {
            let path = |f: git2::DiffFile<'_>| {
                String::from_utf8_lossy(f.path_bytes().unwrap_or_default()).into_owned()
            };
            paths.push(match delta.status() {
                Delta::Renamed => {
                    format!("{} -> {}", path(delta.old_file()), path(delta.new_file()))
                }
                Delta::Deleted => path(delta.old_file()),
                _ => path(delta.new_file()),
            });
        }
    }

    /// isms's `pair_exact_renames`: each deleted file paired with an added file of the same
    /// blob (in path order); `None` when added and deleted files remain unpaired.
    fn pair_exact_renames(found: &[Found]) -> Option<Vec<String>> {
        let mut found: Vec<&Found> = found.iter().collect();
        found.sort_by(|a, b| a.path.cmp(&b.path));
        let mut deleted: HashMap<Oid, std::collections::VecDeque<&str>> = HashMap::new();
        for f in found.iter().filter(|f| f.new.is_none()) {
            if let Some(id) = f.old {
                deleted.entry(id).or_default().push_back(&f.path);
            }
        }
        let mut out = Vec::new();
        let mut renamed_from = std::collections::HashSet::new();
        let mut added_left = false;
        for f in &found {
            match (f.old, f.new) {
                (None, Some(id)) => match deleted.get_mut(&id).and_then(|v| v.pop_front()) {
                    Some(from) => {
                        renamed_from.insert(from);
                        out.push(format!("{from} -> {}", f.path));
                    }
                    None => {
                        added_left = true;
                        out.push(f.path.clone());
                    }
                },
                (_, Some(_)) => out.push(f.path.clone()),
                _ => {}
            }
        }
        let mut deleted_left = false;
        for f in found.iter().filter(|f| f.new.is_none()) {
            if !renamed_from.contains(f.path.as_str()) {
                deleted_left = true;
                out.push(f.path.clone());
            }
        }
        (!(added_left && deleted_left)).then_some(out)
    }

    fn adds_and_deletes(diff: &git2::Diff<'_>) -> bool {
        let added = diff.deltas().any(|d| d.status() == Delta::Added);
        added && diff.deltas().any(|d| d.status() == Delta::Deleted)
    }

    /// isms's `raw_tree`: the last 1,024 trees read, by id, dropped whole when full.
    #[derive(Default)]
    pub struct RecentTrees(HashMap<Oid, Rc<[u8]>>);

    impl RecentTrees {
        fn read(&mut self, repo: &Repository, id: Oid) -> Res<Rc<[u8]>> {
            if let Some(bytes) = self.0.get(&id) {
                return Ok(Rc::clone(bytes));
            }
            let odb = repo.odb()?;
            let object = odb.read(id)?;
            if object.kind() != ObjectType::Tree {
                return Err(format!("{id} is not a tree").into());
            }
            let bytes: Rc<[u8]> = Rc::from(object.data());
            if self.0.len() >= 1024 {
                self.0.clear();
            }
            self.0.insert(id, Rc::clone(&bytes));
            Ok(bytes)
        }
    }

    /// A path that differs between two trees: its blob before and after.
    pub struct Found {
        path: String,
        old: Option<Oid>,
        new: Option<Oid>,
    }

    struct Entry<'a> {
        name: &'a [u8],
        id: &'a [u8],
        tree: bool,
        mode: u32,
    }

    fn entries(bytes: &[u8]) -> Res<Vec<Entry<'_>>> {
        let mut out = Vec::with_capacity(bytes.len() / 30 + 1);
        let mut rest = bytes;
        while !rest.is_empty() {
            let space = rest
                .iter()
                .position(|b| *b == b' ')
                .ok_or("malformed tree")?;
            let mut mode = 0u32;
            for d in &rest[..space] {
                mode = mode * 8 + u32::from(d.wrapping_sub(b'0') & 7);
            }
            let after = &rest[space + 1..];
            let nul = after.iter().position(|b| *b == 0).ok_or("malformed tree")?;
            let id = after.get(nul + 1..nul + 21).ok_or("malformed tree")?;
            out.push(Entry {
                name: &after[..nul],
                id,
                tree: mode & 0o170000 == 0o040000,
                mode,
            });
            rest = &after[nul + 21..];
        }
        Ok(out)
    }

    /// git's tree order: a tree sorts as its name with a `/`.
    fn git_order(a: &Entry<'_>, b: &Entry<'_>) -> std::cmp::Ordering {
        let n = a.name.len().min(b.name.len());
        a.name[..n].cmp(&b.name[..n]).then_with(|| {
            let next = |e: &Entry<'_>| {
                e.name
                    .get(n)
                    .copied()
                    .unwrap_or(if e.tree { b'/' } else { 0 })
            };
            next(a).cmp(&next(b))
        })
    }

    fn raw_diff(
        repo: &Repository,
        recent: &mut RecentTrees,
        old: Option<Oid>,
        new: Option<Oid>,
        dir: &str,
        out: &mut Vec<Found>,
    ) -> Res<()> {
        if old.is_some() && old == new {
            return Ok(());
        }
        let old_bytes = old.map(|id| recent.read(repo, id)).transpose()?;
        let new_bytes = new.map(|id| recent.read(repo, id)).transpose()?;
        let olds = old_bytes
            .as_deref()
            .map(entries)
            .transpose()?
            .unwrap_or_default();
        let news = new_bytes
            .as_deref()
            .map(entries)
            .transpose()?
            .unwrap_or_default();
        let oid = |e: &Entry<'_>| Oid::from_bytes(e.id);
        let path = |e: &Entry<'_>| format!("{dir}{}", String::from_utf8_lossy(e.name));
        let mut recurse = Vec::new();
        let (mut i, mut j) = (0, 0);
        while i < olds.len() || j < news.len() {
            let order = match (olds.get(i), news.get(j)) {
                (Some(a), Some(b)) => git_order(a, b),
                (Some(_), None) => std::cmp::Ordering::Less,
                _ => std::cmp::Ordering::Greater,
            };
            match order {
                std::cmp::Ordering::Less => {
                    let e = &olds[i];
                    i += 1;
                    if e.tree {
                        recurse.push((Some(oid(e)?), None, path(e)));
                    } else {
                        out.push(Found {
                            path: path(e),
                            old: Some(oid(e)?),
                            new: None,
                        });
                    }
                }
                std::cmp::Ordering::Greater => {
                    let e = &news[j];
                    j += 1;
                    if e.tree {
                        recurse.push((None, Some(oid(e)?), path(e)));
                    } else {
                        out.push(Found {
                            path: path(e),
                            old: None,
                            new: Some(oid(e)?),
                        });
                    }
                }
                std::cmp::Ordering::Equal => {
                    let (a, b) = (&olds[i], &news[j]);
                    i += 1;
                    j += 1;
                    if a.id == b.id && a.mode == b.mode {
                        continue;
                    }
                    if b.tree {
                        recurse.push((Some(oid(a)?), Some(oid(b)?), path(b)));
                    } else {
                        out.push(Found {
                            path: path(b),
                            old: Some(oid(a)?),
                            new: Some(oid(b)?),
                        });
                    }
                }
            }
        }
        for (old, new, path) in recurse {
            raw_diff(repo, recent, old, new, &format!("{path}/"), out)?;
        }
        Ok(())
    }
}

mod gitoxide {
    use super::*;
    use gix::diff::tree::recorder::{Change, Location};
    use gix::objs::FindExt;
    use gix::revision::walk::Sorting;
    use gix::traverse::commit::simple::CommitTimeOrder;

    #[derive(Clone, Copy, PartialEq)]
    pub enum Diff {
        None,
        Tree,
        Rewrites,
    }

    pub fn run(path: &Path, diff: Diff) -> Res<Tally> {
        let mut repo = gix::open(path).map_err(|e| format!("{e:?}"))?;
        if let Some(bytes) = std::env::var("GIX_OBJECT_CACHE")
            .ok()
            .and_then(|v| v.parse::<usize>().ok())
        {
            repo.object_cache_size(bytes);
        }
        if let Some(bytes) = std::env::var("GIX_PACK_CACHE")
            .ok()
            .and_then(|v| v.parse::<usize>().ok())
        {
            repo.objects.set_pack_cache(move || {
                Box::new(gix::odb::pack::cache::lru::MemoryCappedHashmap::new(bytes))
            });
        }
        let head = repo.head_id().map_err(|e| format!("{e:?}"))?.detach();
        let walk = repo
            .rev_walk([head])
            .sorting(Sorting::ByCommitTime(CommitTimeOrder::NewestFirst))
            .all()
            .map_err(|e| format!("{e:?}"))?;
        let mut tally = Tally::new();
        let (mut commit_buf, mut parent_buf, mut old_buf, mut new_buf) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let mut state = gix::diff::tree::State::default();
        let mut resource_cache = match diff {
            Diff::Rewrites => Some(
                repo.diff_resource_cache_for_tree_diff()
                    .map_err(|e| format!("{e:?}"))?,
            ),
            _ => None,
        };
        for info in walk {
            let info = info.map_err(|e| format!("{e:?}"))?;
            if info.parent_ids.len() > 1 {
                continue;
            }
            let commit = repo
                .objects
                .find_commit(&info.id, &mut commit_buf)
                .map_err(|e| format!("{e:?}"))?;
            std::hint::black_box((
                commit.author().ok().map(|a| a.name),
                commit.committer().ok().map(|c| c.time),
                commit.message,
            ));
            let tree = commit.tree();
            let parent_tree = match info.parent_ids.first() {
                Some(p) => Some(
                    repo.objects
                        .find_commit_iter(p, &mut parent_buf)
                        .map_err(|e| format!("{e:?}"))?
                        .tree_id()
                        .map_err(|e| format!("{e:?}"))?,
                ),
                None => None,
            };
            let mut paths = Vec::new();
            if diff != Diff::None {
                let empty = gix::objs::TreeRefIter::from_bytes(&[], repo.object_hash());
                let old = match parent_tree {
                    Some(t) => repo
                        .objects
                        .find_tree_iter(&t, &mut old_buf)
                        .map_err(|e| format!("{e:?}"))?,
                    None => empty,
                };
                let new = repo
                    .objects
                    .find_tree_iter(&tree, &mut new_buf)
                    .map_err(|e| format!("{e:?}"))?;
                if let Some(cache) = resource_cache.as_mut() {
                    let options = gix::diff::tree_with_rewrites::Options {
                        location: Some(Location::Path),
                        rewrites: Some(gix::diff::Rewrites::default()),
                    };
                    gix::diff::tree_with_rewrites(
                        old,
                        new,
                        cache,
                        &mut state,
                        &repo.objects,
                        |change| -> gix::Result<gix::diff::tree_with_rewrites::Action> {
                            use gix::diff::tree_with_rewrites::ChangeRef;
                            if !change.entry_mode().is_tree() {
                                paths.push(match change {
                                    ChangeRef::Rewrite {
                                        source_location,
                                        location,
                                        ..
                                    } => {
                                        format!("{source_location} -> {location}")
                                    }
                                    other => other.location().to_string(),
                                });
                            }
                            Ok(std::ops::ControlFlow::Continue(()))
                        },
                        options,
                    )
                    .map_err(|e| format!("{e:?}"))?;
                    cache.clear_resource_cache_keep_allocation();
                } else {
                    let mut recorder =
                        gix::diff::tree::Recorder::default().track_location(Some(Location::Path));
                    gix::diff::tree(old, new, &mut state, &repo.objects, &mut recorder)
                        .map_err(|e| format!("{e:?}"))?;
                    for change in recorder.records {
                        let (mode, path) = match change {
                            Change::Addition {
                                entry_mode, path, ..
                            }
                            | Change::Deletion {
                                entry_mode, path, ..
                            } => (entry_mode, path),
                            Change::Modification {
                                entry_mode, path, ..
                            } => (entry_mode, path),
                        };
                        if !mode.is_tree() {
                            paths.push(path.to_string());
                        }
                    }
                }
            }
            let mut commit_id = [0; 20];
            commit_id.copy_from_slice(info.id.as_bytes());
            tally.add(Changed {
                commit: commit_id,
                paths,
            });
        }
        Ok(tally)
    }
}
