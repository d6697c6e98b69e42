//! The git history around the ISMS: for every path, who changed it and when (docs/impartiality.md).
//!
//! One revision walk from HEAD (each commit diffed tree-to-tree against its first parent without
//! reading blobs, renames followed; a merge counts only for what it wrote itself, the paths where
//! its tree differs from every parent) gives an index that is cached under the git directory. Identities
//! are resolved through `.mailmap` here; matching them to people.toml is [`Resolver`]'s job, and
//! the rules only read the resulting [`History`], never git.

mod cache;
mod claims;
mod gitlinks;
mod gpgsig;
mod graph;
mod identity;
mod lineage;
mod merge_bases;
mod oid_hash;
mod open;
mod ownership;
mod provenance;
mod raw_tree;
mod records;
mod remerge;
mod repo;
mod resolved;
mod signature;
mod signature_batch;
mod trust;
mod verify_many;
mod versions;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use git2::Oid;

pub use identity::{Resolver, Who};
pub use open::{
    PACK_WINDOW, PACK_WINDOWS_MAPPED, configure_libgit2, is_not_found, next_author,
    open_repository, work_tree_of,
};
pub use ownership::{Ended, Ownership, Past, PastArea};
pub(crate) use provenance::listed_hash_spans;
pub use provenance::{Approval, Provenance, Recorded, Verification, Version};
pub use records::RecordLine;
pub(crate) use repo::Repo;
pub use signature::{KeyFile, Seal, Signatures, Signed, Signer, required as required_signatures};
pub use trust::{Addition, Grant, KeyListing, Trust, ignore_revs_path};
pub use versions::{Contents, DocumentVersion, MaturityVersion};

use crate::diagnostics::Files;
use crate::model::{Date, Isms};
use crate::workspace::Workspace;
use repo::RawCommit;

/// A name and email as a commit records them, after `.mailmap`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ident {
    pub name: String,
    pub email: String,
    /// The email as the commit recorded it, before `.mailmap`.
    pub recorded_email: String,
}

/// One commit that changed something itself (a merge only for what differs from an automatic
/// re-merge of its parents), or the staged change of `isms check --staged`.
#[derive(Clone, Debug)]
pub struct Commit {
    /// The full hash; empty for the staged change.
    pub id: String,
    /// The day it counts on: the later of its author and committer dates, but never later than
    /// any of its descendants' (in the time zone of the date used).
    pub date: Date,
    pub subject: String,
    pub author: Arc<Ident>,
    /// Who committed it (the author too for the staged change). Stands in for an author that
    /// is a bot or a stranger when it is a known person.
    pub committer: Arc<Ident>,
    /// `Co-authored-by:` trailers.
    pub co_authors: Vec<Arc<Ident>>,
    /// Who approved it in review: the `Approved-by:` trailers of the commit itself (a squashed
    /// merge request) and of the merge commit that brought it into the main line, each with
    /// the commit that carries it. A trailer is asserted by whoever commits it: the rules
    /// count it only when that commit proves it (see [`ReviewApproval`]).
    pub approvals: Vec<ReviewApproval>,
    /// Listed in the ignore-revs file: attributed to no one.
    pub ignored: bool,
    /// The change staged in the index, not yet committed.
    pub staged: bool,
    /// The paths it changed, by their current names (renames since followed), repository-relative.
    pub changes: Vec<Change>,
}

impl Commit {
    /// The short hash readers pass to `git show`, or `staged` for the staged change.
    pub fn short(&self) -> &str {
        if self.staged {
            "staged"
        } else {
            self.id.get(..7).unwrap_or(&self.id)
        }
    }

    /// The author and every co-author.
    pub fn identities(&self) -> impl Iterator<Item = &Ident> {
        std::iter::once(&*self.author).chain(self.co_authors.iter().map(|c| &**c))
    }
}

/// An `Approved-by:` trailer and the commit that carries it (the squashed commit itself, or
/// the merge that brought the change). Who committed that commit, and its signature
/// ([`Signatures::carriers`]), tell whether the approval is proven or only written.
#[derive(Clone, Debug)]
pub struct ReviewApproval {
    /// The identity the trailer names, after `.mailmap`.
    pub approver: Arc<Ident>,
    /// The full hash of the commit carrying the trailer.
    pub carrier: String,
    /// Who committed the carrying commit, after `.mailmap`.
    pub committer: Arc<Ident>,
    /// The day the carrying commit counts on (as [`Commit::date`]): when the approval was given.
    pub date: Date,
}

/// A path a commit changed.
#[derive(Clone, Debug)]
pub struct Change {
    /// Repository-relative, with `/`, by the name it has now.
    pub path: String,
    /// The path as the commit itself named it (before later renames).
    pub then: String,
    /// For a rename, the path it had before the commit: a move out of an area touches it.
    pub renamed_from: Option<String>,
    /// The content after the commit; `None` for a deletion.
    pub(crate) blob: Option<Oid>,
}

/// How the index was obtained, for the curious and for the benchmark.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Commits read from git in this run.
    pub walked: usize,
    /// Commits taken from the cache.
    pub cached: usize,
}

/// The indexed history.
#[derive(Debug, Default)]
pub struct History {
    /// Newest first; the staged change, when there is one, first of all.
    commits: Vec<Commit>,
    /// Current repository path -> indexes into `commits`, newest first.
    by_path: HashMap<String, Vec<usize>>,
    /// Every name a path had (now, at a commit, or as the source of a move) -> indexes into
    /// `commits`, newest first.
    by_any_name: HashMap<String, Vec<usize>>,
    /// The ISMS root relative to the repository root: `""` or `"sub/dir/"`.
    prefix: String,
    pub provenance: Provenance,
    /// The signatures of the commits `[independence] signatures` requires to be signed.
    pub signatures: Signatures,
    /// Identities and exemptions from the committed versions of their files.
    pub trust: Trust,
    /// Past owners and members of areas, controls and documents, and past area paths.
    pub ownership: Ownership,
    /// Who wrote each line of the audit records (checklist.toml, report.md) as they are now,
    /// by path relative to the ISMS root.
    pub records: std::collections::BTreeMap<String, Vec<RecordLine>>,
    pub stats: Stats,
    /// Commits dated more than a day after the system clock: a wrong clock or a forgery.
    pub future_dated: Vec<FutureDated>,
    /// The submodules of the checked snapshot (repository paths): their commits are not read.
    pub submodules: Vec<String>,
    /// Per commit (the staged change: `None`), the blob of areas.toml in its own tree: the
    /// version in effect on its branch.
    pub(crate) areas_versions: Vec<Option<Oid>>,
    /// Per commit, the blob of people.toml in its own tree and in its first parent's: the
    /// versions whose keys judge its signature.
    pub(crate) people_versions: Vec<PeopleVersions>,
    /// Per commit, its `gpgsig` header as the walk read it; taken by the signature check.
    pub(crate) gpgsigs: Vec<repo::Gpgsig>,
    /// The names of [`History::touching_glob_or_named`] matched by each glob set, by its
    /// patterns: the rules that judge the same area ask for it several times.
    matched: std::sync::Mutex<HashMap<Vec<String>, Arc<Vec<String>>>>,
    /// The versions of areas.toml along HEAD's first-parent line (the staged one first), newest
    /// first: what was in effect on the checked line over time.
    pub(crate) areas_line: Vec<ownership::AreasStep>,
}

/// The people.toml in effect at a commit and before it (in its first parent's tree).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct PeopleVersions {
    pub at: Option<Oid>,
    pub before: Option<Oid>,
}

/// A commit whose author or committer date lies in the future of the system clock.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FutureDated {
    pub id: String,
    pub subject: String,
    /// The later of its author and committer dates.
    pub date: Date,
}

impl FutureDated {
    pub fn short(&self) -> &str {
        self.id.get(..7).unwrap_or(&self.id)
    }
}

/// How far past the system clock a commit may be dated (time zones, clock skew).
const FUTURE_TOLERANCE_SECONDS: i64 = 24 * 60 * 60;

impl History {
    pub fn commits(&self) -> &[Commit] {
        &self.commits
    }

    pub fn commit(&self, index: usize) -> &Commit {
        &self.commits[index]
    }

    /// The commits that changed a repository path, newest first.
    pub fn touching(&self, repo_path: &str) -> &[usize] {
        self.by_path.get(repo_path).map_or(&[], Vec::as_slice)
    }

    /// Every path that was ever changed, with its commits.
    pub fn paths(&self) -> impl Iterator<Item = (&str, &[usize])> {
        self.by_path.iter().map(|(p, c)| (p.as_str(), c.as_slice()))
    }

    /// The ISMS root relative to the repository root, ending in `/` (empty at the root).
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// The repository path of a path relative to the ISMS root.
    pub fn repo_path(&self, isms_path: &str) -> String {
        format!("{}{isms_path}", self.prefix)
    }

    /// The commits that changed a path named in `names` or matched by the glob set `globs`
    /// (built from `patterns`): by its name now, by its name at the commit, or as the source
    /// of a move. Each with the matching paths, sorted. Each name is looked up, and the names
    /// the set matches are found once per set, however many rules ask.
    pub fn touching_glob_or_named<'h>(
        &'h self,
        patterns: &[String],
        globs: &globset::GlobSet,
        names: &[String],
    ) -> std::collections::BTreeMap<usize, Vec<&'h str>> {
        self.touching_glob_or_named_where(patterns, globs, names, |_| true)
    }

    /// The commits of [`History::touching_glob_or_named`] that `keep` accepts: a caller that
    /// reads only some commits (an audit's window) builds the paths of no others.
    pub fn touching_glob_or_named_where<'h>(
        &'h self,
        patterns: &[String],
        globs: &globset::GlobSet,
        names: &[String],
        keep: impl Fn(usize) -> bool,
    ) -> std::collections::BTreeMap<usize, Vec<&'h str>> {
        let mut out: std::collections::BTreeMap<usize, Vec<&'h str>> = Default::default();
        let matched = self.names_matching(patterns, globs);
        for (name, commits) in matched
            .iter()
            .chain(names)
            .filter_map(|n| self.by_any_name.get_key_value(n))
        {
            for &i in commits.iter().filter(|&&i| keep(i)) {
                out.entry(i).or_default().push(name.as_str());
            }
        }
        for paths in out.values_mut() {
            paths.sort_unstable();
            paths.dedup();
        }
        out
    }

    /// The commits of [`History::touching_glob_or_named`], without the paths.
    pub fn touching_glob_or_named_ids(
        &self,
        patterns: &[String],
        globs: &globset::GlobSet,
        names: &[String],
    ) -> std::collections::BTreeSet<usize> {
        let matched = self.names_matching(patterns, globs);
        matched
            .iter()
            .chain(names)
            .filter_map(|n| self.by_any_name.get(n))
            .flat_map(|commits| commits.iter().copied())
            .collect()
    }

    /// The commits that changed a path below the ISMS root, by any name it had.
    pub fn touching_in_isms_ids(&self) -> std::collections::BTreeSet<usize> {
        self.by_any_name
            .iter()
            .filter(|(name, _)| self.in_isms(name))
            .flat_map(|(_, commits)| commits.iter().copied())
            .collect()
    }

    /// Every name a path had that `globs` (built from `patterns`) matches, sorted; matched
    /// once per glob set.
    fn names_matching(&self, patterns: &[String], globs: &globset::GlobSet) -> Arc<Vec<String>> {
        let memo = |found: &HashMap<Vec<String>, Arc<Vec<String>>>| found.get(patterns).cloned();
        if let Some(found) = self.matched.lock().ok().and_then(|m| memo(&m)) {
            return found;
        }
        let mut names: Vec<String> = self
            .by_any_name
            .keys()
            .filter(|n| globs.is_match(n.as_str()))
            .cloned()
            .collect();
        names.sort_unstable();
        let names = Arc::new(names);
        if let Ok(mut m) = self.matched.lock() {
            m.insert(patterns.to_vec(), Arc::clone(&names));
        }
        names
    }

    /// Whether a repository path lies below the ISMS root.
    pub fn in_isms(&self, repo_path: &str) -> bool {
        repo_path.starts_with(&self.prefix)
    }

    /// Adds the checked snapshot's `.mailmap` (at the repository root) and ignore-revs file to
    /// the files diagnostics point into, so that IND010 and IND011 show their entries by line
    /// and column.
    pub fn add_exemption_files(&mut self, files: &mut Files) {
        if let Some(text) = self.trust.mailmap_text.clone() {
            let up = "../".repeat(self.prefix.matches('/').count());
            let file = crate::diagnostics::SourceFile::new(
                format!("{up}.mailmap"),
                ".mailmap".to_string(),
                text,
            );
            self.trust.mailmap_file = Some(files.add(file));
        }
        if let Some((path, text)) = self.trust.ignore_revs.clone() {
            let display = self.repo_path(&path);
            let file = crate::diagnostics::SourceFile::new(path, display, text);
            self.trust.ignore_revs_file = Some(files.add(file));
        }
    }

    fn index_paths(&mut self) {
        self.by_path.clear();
        self.by_any_name.clear();
        let add = |map: &mut HashMap<String, Vec<usize>>, name: &str, i: usize| {
            let list = map.entry(name.to_string()).or_default();
            if list.last() != Some(&i) {
                list.push(i);
            }
        };
        for (i, c) in self.commits.iter().enumerate() {
            for ch in &c.changes {
                add(&mut self.by_path, &ch.path, i);
                add(&mut self.by_any_name, &ch.path, i);
                if ch.then != ch.path {
                    add(&mut self.by_any_name, &ch.then, i);
                }
                if let Some(from) = &ch.renamed_from {
                    add(&mut self.by_any_name, from, i);
                }
            }
        }
    }
}

/// Why the history cannot be read; each is IND006.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unavailable {
    NoRepository,
    Shallow,
    /// The repository has no commit yet.
    Unborn,
    /// HEAD does not hold the ISMS (untracked or ignored inside an unrelated repository).
    Untracked,
    Unreadable(String),
}

impl Unavailable {
    pub fn message(&self) -> String {
        match self {
            Unavailable::NoRepository => "the ISMS is not in a git repository, so auditor impartiality cannot be verified".into(),
            Unavailable::Shallow => "the repository is a shallow clone: its history is incomplete, so auditor impartiality cannot be verified".into(),
            Unavailable::Unborn => "the repository has no commit yet, so auditor impartiality cannot be verified".into(),
            Unavailable::Untracked => "the ISMS is not committed in the repository around it (HEAD does not hold its isms.toml: untracked or ignored), so its history, and auditor impartiality, cannot be verified".into(),
            Unavailable::Unreadable(e) => format!("the git history cannot be read, so auditor impartiality cannot be verified: {e}"),
        }
    }

    pub fn help(&self) -> &'static str {
        match self {
            Unavailable::NoRepository => {
                "keep the ISMS in a git repository (`git init`, then commit it); run with `--no-git` only where the history is checked elsewhere"
            }
            Unavailable::Shallow => {
                "fetch the full history (`git fetch --unshallow`); on GitHub Actions set `fetch-depth: 0` on actions/checkout"
            }
            Unavailable::Unborn => "commit the ISMS (`git add . && git commit`), then check again",
            Unavailable::Untracked => {
                "commit the ISMS folder to this repository (check `git status --ignored` and .gitignore), or give it a repository of its own (`git init` in the ISMS folder)"
            }
            Unavailable::Unreadable(_) => {
                "run `git log` in the repository to see the problem; check the permissions on its files and its integrity (`git fsck`)"
            }
        }
    }
}

/// What to read besides HEAD's history.
#[derive(Clone, Debug)]
pub struct Options {
    /// Add the change staged in the index as a commit by the configured user, dated `today`.
    pub staged: bool,
    pub today: Date,
    /// Read and write the cache under the git directory.
    pub cache: bool,
    /// The text of the ignore-revs file, when there is one.
    pub ignore_revs: Option<String>,
    /// The files under keys/: armored OpenPGP public keys that verify signatures.
    pub keys: Vec<KeyFile>,
}

/// Reads the history of the repository around `workspace`'s ISMS.
pub fn read(
    workspace: &Workspace,
    isms: &Isms,
    files: &Files,
    options: &Options,
) -> Result<History, Unavailable> {
    open_and_read(workspace, isms, files, options, None)
}

/// Reads the history as it stood at `commit` instead of HEAD (`isms diff` judges both ends of
/// a change). The commit index is not cached for it, so the cache of HEAD stays as it is.
pub fn read_at(
    workspace: &Workspace,
    isms: &Isms,
    files: &Files,
    options: &Options,
    commit: Oid,
) -> Result<History, Unavailable> {
    open_and_read(workspace, isms, files, options, Some(commit))
}

fn open_and_read(
    workspace: &Workspace,
    isms: &Isms,
    files: &Files,
    options: &Options,
    start: Option<Oid>,
) -> Result<History, Unavailable> {
    if workspace.repo_root.is_none() {
        return Err(Unavailable::NoRepository);
    }
    let repo = Repo::open(&workspace.root).map_err(|e| {
        if is_not_found(&e) {
            Unavailable::NoRepository
        } else {
            Unavailable::Unreadable(e.message().to_string())
        }
    })?;
    read_repo(
        &repo,
        &workspace.display_prefix(),
        isms,
        files,
        options,
        start,
    )
}

pub(crate) fn read_repo(
    repo: &Repo,
    prefix: &str,
    isms: &Isms,
    files: &Files,
    options: &Options,
    start: Option<Oid>,
) -> Result<History, Unavailable> {
    if repo.is_shallow() {
        return Err(Unavailable::Shallow);
    }
    let unreadable = |e: git2::Error| Unavailable::Unreadable(e.message().to_string());
    // Under `--staged` the index holds the ISMS about to be committed, the first commit too.
    if start.is_none() && !options.staged {
        let head = repo
            .head()
            .map_err(unreadable)?
            .ok_or(Unavailable::Unborn)?;
        if !repo
            .head_tracks(head, &format!("{prefix}isms.toml"))
            .map_err(unreadable)?
        {
            return Err(Unavailable::Untracked);
        }
    }
    // With `signatures = "all"` nearly every commit's signature is verified, so the walk reads
    // them in its own pass; with `records` only the few commits changing records are, and they
    // are read when verified (a commit the walk did not read is read then in every case).
    let gpgsig =
        *isms.config_or_default().independence.signatures.get() == crate::model::SignatureMode::All;
    let ignored = ignored_revs(repo, options.ignore_revs.as_deref());
    let mailmap = repo.mailmap(options.staged, start);
    // The resolved history of an unchanged HEAD is cached; the staged change (its renames
    // reach back into the history) and an older snapshot are always resolved.
    let head = match start {
        None if options.cache && !options.staged => repo.head().ok().flatten(),
        _ => None,
    };
    let raw_cache = cache::path(&repo.git_dir());
    let resolved_file = resolved::path(&repo.git_dir());
    let now = jiff::Timestamp::now().as_second();
    // The area paths of the areas.toml checked: with the committed versions, they say which
    // paths both sides of a merge changed are re-merged (claims.rs).
    let current_areas: Vec<String> = isms
        .areas
        .iter()
        .flat_map(|a| a.paths.iter().map(|p| p.as_str().to_string()))
        .collect();
    let key = head.map(|head| resolved::Key {
        head,
        prefix,
        raw_cache: &raw_cache,
        claims: fingerprint(&current_areas),
        future_after: now.saturating_add(FUTURE_TOLERANCE_SECONDS),
    });
    let cached = key
        .as_ref()
        .and_then(|k| resolved::load(&resolved_file, k, mailmap.as_ref(), &ignored));
    let mut history = match cached {
        Some((mut history, raw_commits)) => {
            history.stats = Stats {
                walked: 0,
                cached: raw_commits,
            };
            history
        }
        None => {
            let staged = if options.staged {
                Some(staged_commit(repo).map_err(unreadable)?)
            } else {
                None
            };
            let settle = |raw: &mut [RawCommit]| {
                claims::decide_pending(repo, raw, staged.as_ref(), prefix, &current_areas)
            };
            let (raw, stats) = match start {
                None => index(repo, options.cache, gpgsig, &settle).map_err(unreadable)?,
                Some(head) => {
                    let mut all = repo.walk(head, None, gpgsig, |_| {}).map_err(unreadable)?;
                    settle(&mut all).map_err(unreadable)?;
                    let n = all.len();
                    (
                        all,
                        Stats {
                            walked: n,
                            cached: 0,
                        },
                    )
                }
            };
            let (mut history, resolution) = resolve(
                mailmap.as_ref(),
                prefix,
                staged,
                raw,
                &ignored,
                (options.today, now),
                &|commit, path| repo.blob_in_commit(commit, path),
            );
            if let Some(key) = &key {
                resolved::save(&resolved_file, key, &history, &resolution);
            }
            history.stats = stats;
            history
        }
    };
    history.submodules = repo.submodules(
        options.staged,
        start,
        &area_reach(isms, prefix),
        options.cache,
    );
    let ignore_revs_file = isms
        .config
        .as_ref()
        .and_then(|c| trust::ignore_revs_path(c.independence.ignore_revs_file.as_str()).ok());
    history.trust =
        trust::read(repo, &history, isms, ignore_revs_file.as_deref()).map_err(unreadable)?;
    history.trust.ignore_revs = ignore_revs_file.clone().zip(options.ignore_revs.clone());
    let blobs = cache::blobs_path(&repo.git_dir());
    let mut known = provenance::Known::default();
    if options.cache {
        known.facts = cache::load_blobs(&blobs);
    }
    history.ownership = ownership::read(
        repo,
        &history,
        isms,
        ownership::earliest_window(isms),
        &mut known,
    )
    .map_err(unreadable)?;
    // The signatures are verified on the other cores while the rest of the history is read.
    let gpgsigs = std::mem::take(&mut history.gpgsigs);
    let signatures = signature::start(repo, &history, isms, &options.keys, options.cache, gpgsigs);
    history.records = records::read(repo, &history, isms, start).map_err(unreadable)?;
    if let Some(file) = &ignore_revs_file {
        let path = history.repo_path(file);
        let resolver = Resolver::new(isms, Some(&history));
        provenance::refuse_self_exemptions(repo, &mut history, &path, &resolver)
            .map_err(unreadable)?;
    }
    // Exemptions and identities granted only by the wrong person do not take effect (IND011).
    history.trust.refused = crate::grants::refused(isms, &history);
    let refused_revs: Vec<String> = history
        .trust
        .refused
        .iter()
        .filter_map(|g| match g {
            Grant::IgnoredRev(h) => Some(h.clone()),
            _ => None,
        })
        .collect();
    for c in history.commits.iter_mut().filter(|c| c.ignored) {
        if refused_revs.iter().any(|h| c.id.starts_with(h.as_str())) {
            c.ignored = false;
        }
    }
    history.provenance =
        provenance::read(repo, &history, isms, files, &mut known).map_err(unreadable)?;
    if options.cache && known.added {
        let _ = cache::save_blobs(&blobs, &known.facts);
    }
    history.signatures = signature::finish(signatures, repo, &history, isms, &options.keys);
    Ok(history)
}

/// The change staged in the index as a commit by the configured user.
fn staged_commit(repo: &Repo) -> Result<RawCommit, git2::Error> {
    let (name, email) = repo.user_identity().unwrap_or_default();
    let who = repo::RawSignature {
        name,
        email,
        time: 0,
        offset: 0,
    };
    Ok(RawCommit {
        id: Oid::ZERO_SHA1,
        parents: Vec::new(),
        author: who.clone(),
        committer: who,
        co_authors: Vec::new(),
        approved_by: Vec::new(),
        subject: "(the staged change)".into(),
        changes: repo.staged_changes()?,
        pending: None,
        gpgsig: repo::Gpgsig::Unsigned,
    })
}

/// The repository directories the areas' paths can reach, where submodules matter (IND017).
fn area_reach(isms: &Isms, prefix: &str) -> Vec<String> {
    let mut dirs: Vec<String> = isms
        .areas
        .iter()
        .flat_map(|a| a.paths.iter())
        .filter_map(|p| crate::independence::repo_glob(prefix, p).ok())
        .flatten()
        .map(|g| gitlinks::literal_dir(&g))
        .collect();
    dirs.sort();
    dirs.dedup();
    dirs
}

/// The raw commits reachable from HEAD, newest first: from the cache when it is current,
/// extended by the commits since when HEAD moved forward, rebuilt otherwise.
/// `settle` re-merges the paths of merges that can matter ([`claims::decide_pending`]) before
/// the commits are cached: what it decided is stored, what it left pending stays so.
fn index(
    repo: &Repo,
    use_cache: bool,
    gpgsig: bool,
    settle: &dyn Fn(&mut [RawCommit]) -> Result<(), git2::Error>,
) -> Result<(Vec<RawCommit>, Stats), git2::Error> {
    let Some(head) = repo.head()? else {
        return Ok((Vec::new(), Stats::default()));
    };
    let file = cache::path(&repo.git_dir());
    let cached = if use_cache { cache::load(&file) } else { None };
    match cached {
        Some(mut c) if c.head == head => {
            settle(&mut c.commits)?;
            let n = c.commits.len();
            Ok((
                c.commits,
                Stats {
                    walked: 0,
                    cached: n,
                },
            ))
        }
        Some(c) if repo.descends_from(head, c.head) => {
            let mut new = walk_with_progress(repo, head, Some(c.head), gpgsig)?;
            let stats = Stats {
                walked: new.len(),
                cached: c.commits.len(),
            };
            let walked = new.len();
            new.extend(c.commits);
            settle(&mut new)?;
            if use_cache {
                let _ = cache::append(&file, c.tail, head, &new[..walked], &new);
            }
            Ok((new, stats))
        }
        _ => {
            let mut all = walk_with_progress(repo, head, None, gpgsig)?;
            settle(&mut all)?;
            if use_cache {
                let _ = cache::save(&file, head, &all);
            }
            let n = all.len();
            Ok((
                all,
                Stats {
                    walked: n,
                    cached: 0,
                },
            ))
        }
    }
}

/// A fingerprint of area paths, for the resolved history's key.
fn fingerprint(paths: &[String]) -> u64 {
    let mut sorted: Vec<&String> = paths.iter().collect();
    sorted.sort();
    sorted.dedup();
    let joined: Vec<u8> = sorted.iter().flat_map(|p| p.bytes().chain([0])).collect();
    cache::checksum(&joined)
}

/// [`Repo::walk`] with a spinner on a terminal.
fn walk_with_progress(
    repo: &Repo,
    head: Oid,
    hide: Option<Oid>,
    gpgsig: bool,
) -> Result<Vec<RawCommit>, git2::Error> {
    let bar = progress();
    let walked = repo.walk(head, hide, gpgsig, |n| tick(bar.as_ref(), n));
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    walked
}

/// A spinner while commits are walked (on a terminal only).
fn progress() -> Option<indicatif::ProgressBar> {
    crate::progress::spinner("{spinner} indexing the git history: {pos} commits, {elapsed}")
}

fn tick(bar: Option<&indicatif::ProgressBar>, walked: usize) {
    if let Some(b) = bar {
        b.set_position(walked as u64);
    }
}

/// The commits of the ignore-revs file (one hash a line, `#` comments, as git's
/// `blame.ignoreRevsFile`); abbreviated hashes are accepted when they name one commit.
fn ignored_revs(repo: &Repo, text: Option<&str>) -> HashSet<Oid> {
    text.into_iter()
        .flat_map(str::lines)
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| l.len() >= 4 && l.chars().all(|c| c.is_ascii_hexdigit()))
        .filter_map(|h| repo.resolve_commit(h))
        .collect()
}

/// A date from seconds since the epoch and an offset in minutes.
fn date_of(seconds: i64, offset_minutes: i32) -> Date {
    let fallback = Date::new(1970, 1, 1).unwrap_or_else(Date::today);
    let Ok(ts) = jiff::Timestamp::from_second(seconds) else {
        return fallback;
    };
    let Ok(offset) = jiff::tz::Offset::from_seconds(offset_minutes.saturating_mul(60)) else {
        return fallback;
    };
    let d = offset.to_datetime(ts).date();
    Date::new(d.year(), d.month(), d.day()).unwrap_or(fallback)
}

/// Applies `.mailmap`, marks ignored revisions, dates each commit (the staged change on
/// `today`; commits past `now`, in seconds, are listed as future-dated) and follows renames to
/// today's names, in the canonical order of the commits.
fn resolve(
    mailmap: Option<&git2::Mailmap>,
    prefix: &str,
    staged: Option<RawCommit>,
    raw: Vec<RawCommit>,
    ignored: &HashSet<Oid>,
    (today, now): (Date, i64),
    blob_in_tree: &dyn Fn(Oid, &str) -> Option<Oid>,
) -> (History, resolved::Resolution) {
    // email -> (name, identity after .mailmap): one mapping and one allocation per identity.
    let mut mapped: HashMap<String, Vec<(String, Arc<Ident>)>> = HashMap::new();
    let mut identities: Vec<resolved::RecordedIdentity> = Vec::new();
    let mut ident = |name: &str, email: &str| -> Arc<Ident> {
        if let Some(found) = mapped
            .get(email)
            .and_then(|v| v.iter().find(|(n, _)| n == name))
        {
            return Arc::clone(&found.1);
        }
        let id = Arc::new(map_identity(mailmap, name, email));
        mapped
            .entry(email.to_string())
            .or_default()
            .push((name.to_string(), Arc::clone(&id)));
        identities.push(resolved::RecordedIdentity {
            name: name.to_string(),
            email: email.to_string(),
            mapped: Arc::clone(&id),
        });
        id
    };
    let raw = graph::canonical_order(raw);
    let times = graph::counted_times(&raw);
    let merged_by = graph::merged_by(&raw);
    // The day each merge carrying approvals counts on.
    let merged_on: oid_hash::OidMap<Oid, Date> = raw
        .iter()
        .zip(&times)
        .filter(|(rc, _)| rc.is_merge() && !rc.approved_by.is_empty())
        .map(|(rc, &(time, offset))| (rc.id, date_of(time, offset)))
        .collect();
    let raw_commits = raw.len();
    let latest = raw
        .iter()
        .map(|rc| graph::recorded_time(rc).0)
        .max()
        .unwrap_or(i64::MIN);
    let future_dated = raw
        .iter()
        .filter_map(|rc| {
            let (time, offset) = graph::recorded_time(rc);
            (time > now.saturating_add(FUTURE_TOLERANCE_SECONDS)).then(|| FutureDated {
                id: rc.id.to_string(),
                subject: rc.subject.clone(),
                date: date_of(time, offset),
            })
        })
        .collect();
    // The areas.toml each commit wrote, and the positions of its parents, to follow each
    // commit's own ancestry (lineage.rs).
    let areas_path = format!("{prefix}areas.toml");
    let ids: Vec<Oid> = raw.iter().map(|rc| rc.id).collect();
    let position: oid_hash::OidMap<Oid, usize> =
        ids.iter().enumerate().map(|(k, id)| (*id, k)).collect();
    let parents: Vec<Vec<usize>> = raw
        .iter()
        .map(|rc| {
            rc.parents
                .iter()
                .filter_map(|p| position.get(p).copied())
                .collect()
        })
        .collect();
    let mut wrote_areas: Vec<Option<Option<Oid>>> = vec![None; raw.len()];
    // people.toml by the path each commit's own tree has (what a lookup in that tree finds).
    let people_path = format!("{prefix}people.toml");
    let wrote_people: Vec<Option<Option<Oid>>> = raw
        .iter()
        .map(|rc| lineage::wrote(&rc.changes, &people_path))
        .collect();
    let raw_first_parent: Vec<FirstParent> = raw
        .iter()
        .map(|rc| match rc.parents.first() {
            None => FirstParent::None,
            Some(p) => position
                .get(p)
                .map_or(FirstParent::NotWalked(*p), |&k| FirstParent::Walked(k)),
        })
        .collect();
    let mut gpgsigs = Vec::with_capacity(raw.len() + 1);
    let mut kept: Vec<Option<usize>> = Vec::with_capacity(raw.len() + 1);
    // Old name -> current name, learnt from renames as the walk goes back in time.
    let mut alias: HashMap<String, String> = HashMap::new();
    let mut commits = Vec::with_capacity(raw.len() + 1);
    let staged = staged.map(|rc| (rc, None, None));
    let committed = raw
        .into_iter()
        .zip(times.iter().copied())
        .enumerate()
        .map(|(k, (rc, t))| (rc, Some(t), Some(k)));
    for (rc, counted, at) in staged.into_iter().chain(committed) {
        let is_staged = counted.is_none();
        let is_merge = rc.is_merge();
        let mut changes = Vec::with_capacity(rc.changes.len());
        for ch in rc.changes {
            let current = match alias.get(&ch.path) {
                Some(name) => name.clone(),
                None => ch.path.clone(),
            };
            if let Some(from) = &ch.from {
                alias.insert(from.clone(), current.clone());
            }
            if let Some(k) = at.filter(|_| current == areas_path) {
                wrote_areas[k] = Some(ch.blob);
            }
            changes.push(Change {
                path: current,
                then: ch.path,
                renamed_from: ch.from,
                blob: ch.blob,
            });
        }
        // A merge that wrote nothing of its own is nobody's work.
        if is_merge && changes.is_empty() {
            continue;
        }
        kept.push(at);
        gpgsigs.push(rc.gpgsig);
        let date = match counted {
            None => today,
            Some((time, offset)) => date_of(time, offset),
        };
        commits.push(Commit {
            id: if is_staged {
                String::new()
            } else {
                rc.id.to_string()
            },
            date,
            author: ident(&rc.author.name, &rc.author.email),
            committer: ident(&rc.committer.name, &rc.committer.email),
            co_authors: rc.co_authors.iter().map(|(n, e)| ident(n, e)).collect(),
            approvals: {
                let own = rc
                    .approved_by
                    .iter()
                    .map(|trailer| (rc.id, &rc.committer, date, trailer));
                let merge = merged_by.get(&rc.id).into_iter().flat_map(|m| {
                    let on = merged_on.get(&m.merge).copied().unwrap_or(date);
                    m.approved_by
                        .iter()
                        .map(move |trailer| (m.merge, &m.committer, on, trailer))
                });
                own.chain(merge)
                    .map(|(carrier, committer, date, (n, e))| ReviewApproval {
                        approver: ident(n, e),
                        carrier: carrier.to_string(),
                        committer: ident(&committer.name, &committer.email),
                        date,
                    })
                    .collect()
            },
            subject: rc.subject,
            ignored: !is_staged && ignored.contains(&rc.id),
            staged: is_staged,
            changes,
        });
    }
    let areas = lineage::in_effect(&parents, &wrote_areas, |k| {
        blob_in_tree(ids[k], &areas_path)
    });
    let people = lineage::in_effect(&parents, &wrote_people, |k| {
        blob_in_tree(ids[k], &people_path)
    });
    let people_versions = kept
        .iter()
        .map(|k| match k {
            Some(k) => PeopleVersions {
                at: people[*k],
                before: match raw_first_parent[*k] {
                    FirstParent::None => None,
                    FirstParent::Walked(p) => people[p],
                    FirstParent::NotWalked(oid) => blob_in_tree(oid, &people_path),
                },
            },
            None => PeopleVersions::default(),
        })
        .collect();
    let areas_line = ownership::areas_line(
        &lineage::first_parent_steps(&parents, &areas, &wrote_areas),
        &areas,
        &kept,
        |k| date_of(times[k].0, times[k].1),
        commits.first().filter(|c| c.staged).map(|c| {
            let wrote = c.changes.iter().find(|ch| ch.path == areas_path);
            (c.date, wrote.map(|ch| ch.blob))
        }),
    );
    let mut history = History {
        commits,
        prefix: prefix.to_string(),
        future_dated,
        areas_line,
        areas_versions: kept.into_iter().map(|k| k.and_then(|k| areas[k])).collect(),
        people_versions,
        gpgsigs,
        ..History::default()
    };
    history.index_paths();
    let resolution = resolved::Resolution {
        identities,
        latest,
        raw_commits,
    };
    (history, resolution)
}

/// A commit's first parent: none (a root commit), at a position of the walk, or not walked.
#[derive(Clone, Copy)]
enum FirstParent {
    None,
    Walked(usize),
    NotWalked(Oid),
}

fn map_identity(mailmap: Option<&git2::Mailmap>, name: &str, email: &str) -> Ident {
    let unchanged = || Ident {
        name: name.to_string(),
        email: email.to_string(),
        recorded_email: email.to_string(),
    };
    let Some(mailmap) = mailmap else {
        return unchanged();
    };
    let sig_name = if name.trim().is_empty() { email } else { name };
    let Ok(sig) = git2::Signature::new(sig_name, email, &git2::Time::new(0, 0)) else {
        return unchanged();
    };
    match mailmap.resolve_signature(&sig) {
        Ok(r) => Ident {
            name: String::from_utf8_lossy(r.name_bytes()).into_owned(),
            email: String::from_utf8_lossy(r.email_bytes()).into_owned(),
            recorded_email: email.to_string(),
        },
        Err(_) => unchanged(),
    }
}
