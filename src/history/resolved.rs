//! The resolved history saved under the git directory (`.git/isms/resolved.bin`), so a check
//! whose HEAD has not moved skips putting the commits in canonical order, counting their
//! dates, following renames to today's names and finding the areas.toml in effect.
//!
//! Only what follows from the commits alone is stored, next to the raw cache it was resolved
//! from (its checksum), the ISMS root and the area paths it was resolved for. Everything else is applied again
//! on every load: `.mailmap` (identities are stored as recorded), the ignore-revs file, and the
//! system clock (a history with a commit dated past it is never loaded from here). A file
//! that is damaged, of another format, or resolved from another raw cache, HEAD, root or area paths is not
//! used: the history is resolved again and the file rewritten.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use git2::Oid;

use super::cache::{Reader, Writer, checksum, read_checked, write_checked};
use super::ownership::AreasStep;
use super::repo::Gpgsig;
use super::{Change, Commit, History, Ident, PeopleVersions, ReviewApproval, map_identity};
use crate::model::Date;

/// Bumped whenever what is stored, or how the history is resolved, changes.
const FORMAT: &str = "isms-resolved-history 4";

pub(super) fn path(git_dir: &Path) -> PathBuf {
    git_dir.join("isms").join("resolved.bin")
}

/// An identity as commits record it, before `.mailmap`, and what it resolved to.
pub(super) struct RecordedIdentity {
    pub name: String,
    pub email: String,
    pub mapped: Arc<Ident>,
}

/// What resolving the raw commits learnt besides the history, for [`save`].
pub(super) struct Resolution {
    /// Every identity the history names, as recorded.
    pub identities: Vec<RecordedIdentity>,
    /// The latest author or committer date of any commit, merges included (seconds).
    pub latest: i64,
    /// How many raw commits were resolved, merges that wrote nothing included.
    pub raw_commits: usize,
}

/// What [`load`] checks a saved resolution against.
pub(super) struct Key<'a> {
    pub head: Oid,
    /// The ISMS root relative to the repository root.
    pub prefix: &'a str,
    /// The raw cache file the resolution was made from.
    pub raw_cache: &'a Path,
    /// A fingerprint of the area paths of the areas.toml checked: which of the paths both
    /// sides of a merge changed are re-merged depends on them (`claims.rs`).
    pub claims: u64,
    /// Seconds since the epoch past which a commit counts as dated in the future.
    pub future_after: i64,
}

/// Saves `history`, just resolved from the raw cache `key.raw_cache` at `key.head`. Nothing
/// is written when the history holds what cannot be stored (the staged change, an identity
/// not in `resolution`) or a commit dated in the future. Failing to write only costs the
/// next run time.
pub(super) fn save(file: &Path, key: &Key<'_>, history: &History, resolution: &Resolution) {
    if resolution.latest > key.future_after {
        return;
    }
    let Ok(raw) = std::fs::read(key.raw_cache) else {
        return;
    };
    if let Some(body) = encode(key, checksum(&raw), history, resolution) {
        let _ = write_checked(file, FORMAT, &body);
    }
}

/// The history saved by [`save`] when it was resolved from the raw cache as it is now, at
/// `key.head` and for `key.prefix`, with no commit dated past `key.future_after`; with
/// `.mailmap` and the ignored commits applied afresh. Returns the count of raw commits too.
pub(super) fn load(
    file: &Path,
    key: &Key<'_>,
    mailmap: Option<&git2::Mailmap>,
    ignored: &HashSet<Oid>,
) -> Option<(History, usize)> {
    let body = read_checked(file, FORMAT)?;
    let mut r = Reader(&body);
    if r.oid()? != key.head || r.string()? != key.prefix {
        return None;
    }
    if u64::from_le_bytes(r.take(8)?.try_into().ok()?) != key.claims {
        return None;
    }
    let raw_sum = u64::from_le_bytes(r.take(8)?.try_into().ok()?);
    if r.signed()? > key.future_after {
        return None;
    }
    let raw_commits = r.count()?;
    // Last, as it reads a second file: the raw cache this was resolved from is unchanged.
    let raw = std::fs::read(key.raw_cache).ok()?;
    if checksum(&raw) != raw_sum {
        return None;
    }
    drop(raw);
    let identities = (0..r.count()?)
        .map(|_| {
            let (name, email) = (r.string()?, r.string()?);
            Some(Arc::new(map_identity(mailmap, &name, &email)))
        })
        .collect::<Option<Vec<_>>>()?;
    let paths = (0..r.count()?)
        .map(|_| r.string())
        .collect::<Option<Vec<_>>>()?;
    let n = r.count()?;
    let mut commits = Vec::with_capacity(n.min(body.len()));
    let mut areas_versions = Vec::with_capacity(n.min(body.len()));
    let mut people_versions = Vec::with_capacity(n.min(body.len()));
    let mut names: Vec<Vec<NameOf>> = Vec::with_capacity(n.min(body.len()));
    for _ in 0..n {
        let (commit, changed, areas, people) = read_commit(&mut r, &identities, &paths, ignored)?;
        commits.push(commit);
        names.push(changed);
        areas_versions.push(areas);
        people_versions.push(people);
    }
    let areas_line = (0..r.count()?)
        .map(|_| {
            Some(AreasStep {
                commit: r.count().filter(|&k| k < n)?,
                on: read_date(&mut r)?,
                blob: r.optional_oid()?,
            })
        })
        .collect::<Option<Vec<_>>>()?;
    if !r.0.is_empty() {
        return None;
    }
    let mut history = History {
        areas_line,
        commits,
        prefix: key.prefix.to_string(),
        areas_versions,
        // Signatures are read again from the commits (libgit2) when they must be verified.
        gpgsigs: vec![Gpgsig::NotRead; people_versions.len()],
        people_versions,
        ..History::default()
    };
    index_paths(&mut history, &paths, &names);
    Some((history, raw_commits))
}

/// A change's names as numbers into the stored paths: now, at the commit, moved from.
type NameOf = (usize, usize, Option<usize>);

fn read_commit(
    r: &mut Reader<'_>,
    identities: &[Arc<Ident>],
    paths: &[String],
    ignored: &HashSet<Oid>,
) -> Option<(Commit, Vec<NameOf>, Option<Oid>, PeopleVersions)> {
    let id = r.oid()?;
    let date = read_date(r)?;
    let subject = r.string()?;
    let mut who = || identities.get(r.count()?).cloned();
    let author = who()?;
    let committer = who()?;
    let co_authors = (0..r.count()?)
        .map(|_| identities.get(r.count()?).cloned())
        .collect::<Option<Vec<_>>>()?;
    let approvals = (0..r.count()?)
        .map(|_| {
            Some(ReviewApproval {
                approver: identities.get(r.count()?).cloned()?,
                carrier: r.oid()?.to_string(),
                committer: identities.get(r.count()?).cloned()?,
                date: read_date(r)?,
            })
        })
        .collect::<Option<Vec<_>>>()?;
    let number = |r: &mut Reader<'_>| r.count().filter(|&i| i < paths.len());
    let mut named = Vec::new();
    let changes = (0..r.count()?)
        .map(|_| {
            let now = number(r)?;
            let then = number(r)?;
            let from = match r.count()? {
                0 => None,
                k => Some(Some(k - 1).filter(|&i| i < paths.len())?),
            };
            let blob = r.optional_oid()?;
            named.push((now, then, from));
            Some(Change {
                path: paths[now].clone(),
                then: paths[then].clone(),
                renamed_from: from.map(|i| paths[i].clone()),
                blob,
            })
        })
        .collect::<Option<Vec<_>>>()?;
    let areas = r.optional_oid()?;
    let people = PeopleVersions {
        at: r.optional_oid()?,
        before: r.optional_oid()?,
    };
    let commit = Commit {
        id: id.to_string(),
        date,
        subject,
        author,
        committer,
        co_authors,
        approvals,
        ignored: ignored.contains(&id),
        staged: false,
        changes,
    };
    Some((commit, named, areas, people))
}

/// [`History::index_paths`] from the stored path numbers: one string per distinct path
/// instead of one per change.
fn index_paths(history: &mut History, paths: &[String], names: &[Vec<NameOf>]) {
    let mut by_path: Vec<Vec<usize>> = vec![Vec::new(); paths.len()];
    let mut by_any_name: Vec<Vec<usize>> = vec![Vec::new(); paths.len()];
    let add = |lists: &mut Vec<Vec<usize>>, name: usize, i: usize| {
        let list = &mut lists[name];
        if list.last() != Some(&i) {
            list.push(i);
        }
    };
    for (i, changed) in names.iter().enumerate() {
        for &(now, then, from) in changed {
            add(&mut by_path, now, i);
            add(&mut by_any_name, now, i);
            if then != now {
                add(&mut by_any_name, then, i);
            }
            if let Some(from) = from {
                add(&mut by_any_name, from, i);
            }
        }
    }
    let keyed = |lists: Vec<Vec<usize>>| -> HashMap<String, Vec<usize>> {
        lists
            .into_iter()
            .zip(paths)
            .filter(|(list, _)| !list.is_empty())
            .map(|(list, path)| (path.clone(), list))
            .collect()
    };
    history.by_path = keyed(by_path);
    history.by_any_name = keyed(by_any_name);
}

fn encode(
    key: &Key<'_>,
    raw_sum: u64,
    history: &History,
    resolution: &Resolution,
) -> Option<Vec<u8>> {
    let identity: HashMap<*const Ident, usize> = resolution
        .identities
        .iter()
        .enumerate()
        .map(|(k, i)| (Arc::as_ptr(&i.mapped), k))
        .collect();
    let who = |i: &Arc<Ident>| identity.get(&Arc::as_ptr(i)).copied();
    let mut paths: HashMap<&str, usize> = HashMap::new();
    let mut path_list: Vec<&str> = Vec::new();
    let mut commits = Vec::new();
    let mut w = Writer(&mut commits);
    if history.people_versions.len() != history.commits.len() {
        return None;
    }
    let versions = history.areas_versions.iter().zip(&history.people_versions);
    for (c, (areas, people)) in history.commits.iter().zip(versions) {
        if c.staged {
            return None;
        }
        w.oid(Oid::from_str(&c.id).ok()?);
        write_date(&mut w, c.date);
        w.string(&c.subject);
        w.count(who(&c.author)?);
        w.count(who(&c.committer)?);
        w.count(c.co_authors.len());
        for co in &c.co_authors {
            w.count(who(co)?);
        }
        w.count(c.approvals.len());
        for a in &c.approvals {
            w.count(who(&a.approver)?);
            w.oid(Oid::from_str(&a.carrier).ok()?);
            w.count(who(&a.committer)?);
            write_date(&mut w, a.date);
        }
        w.count(c.changes.len());
        for ch in &c.changes {
            let mut number = |p| intern(&mut paths, &mut path_list, p);
            let now = number(&ch.path);
            let then = number(&ch.then);
            let from = ch.renamed_from.as_deref().map_or(0, |f| 1 + number(f));
            w.count(now);
            w.count(then);
            w.count(from);
            w.optional_oid(ch.blob);
        }
        w.optional_oid(*areas);
        w.optional_oid(people.at);
        w.optional_oid(people.before);
    }
    if history.areas_versions.len() != history.commits.len() {
        return None;
    }
    let mut body = Vec::with_capacity(commits.len() + path_list.len() * 32 + 256);
    let mut w = Writer(&mut body);
    w.oid(key.head);
    w.string(key.prefix);
    w.0.extend_from_slice(&key.claims.to_le_bytes());
    w.0.extend_from_slice(&raw_sum.to_le_bytes());
    w.signed(resolution.latest);
    w.count(resolution.raw_commits);
    w.count(resolution.identities.len());
    for i in &resolution.identities {
        w.string(&i.name);
        w.string(&i.email);
    }
    w.count(path_list.len());
    for p in &path_list {
        w.string(p);
    }
    w.count(history.commits.len());
    body.extend_from_slice(&commits);
    let mut w = Writer(&mut body);
    w.count(history.areas_line.len());
    for step in &history.areas_line {
        w.count(step.commit);
        write_date(&mut w, step.on);
        w.optional_oid(step.blob);
    }
    Some(body)
}

/// The number of `path`, numbered in the order first met.
fn intern<'h>(
    numbers: &mut HashMap<&'h str, usize>,
    list: &mut Vec<&'h str>,
    path: &'h str,
) -> usize {
    let next = list.len();
    *numbers.entry(path).or_insert_with(|| {
        list.push(path);
        next
    })
}

fn write_date(w: &mut Writer<'_>, d: Date) {
    w.signed(i64::from(d.year()));
    w.0.push(d.month() as u8);
    w.0.push(d.day() as u8);
}

fn read_date(r: &mut Reader<'_>) -> Option<Date> {
    let year = i16::try_from(r.signed()?).ok()?;
    let month = i8::try_from(r.byte()?).ok()?;
    let day = i8::try_from(r.byte()?).ok()?;
    Date::new(year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::cache::tests::commit;
    use crate::history::resolve;

    /// Far enough ahead that no test commit is dated past it.
    const LATER: i64 = i64::MAX / 2;

    struct Setup {
        _dir: tempfile::TempDir,
        file: PathBuf,
        raw_cache: PathBuf,
        head: Oid,
    }

    fn setup() -> Setup {
        let dir = tempfile::tempdir().expect("tempdir");
        let raw_cache = dir.path().join("history.bin");
        std::fs::write(&raw_cache, b"the raw cache").expect("write");
        Setup {
            file: path(dir.path()),
            raw_cache,
            head: commit(3, &[]).id,
            _dir: dir,
        }
    }

    impl Setup {
        fn key(&self, future_after: i64) -> Key<'_> {
            Key {
                head: self.head,
                prefix: "isms/",
                raw_cache: &self.raw_cache,
                claims: 7,
                future_after,
            }
        }
    }

    fn today() -> Date {
        Date::new(2026, 11, 27).expect("a date")
    }

    /// Three commits: a rename, edits, two identities (one a bot committer), approvals.
    fn resolved(
        mailmap: Option<&git2::Mailmap>,
        ignored: &HashSet<Oid>,
        now: i64,
    ) -> (History, Resolution) {
        let raw = vec![
            commit(
                3,
                &[("a/b.rs", Some("a/old.rs")), ("isms/areas.toml", None)],
            ),
            commit(
                2,
                &[
                    ("a/old.rs", None),
                    ("c.md", None),
                    ("isms/people.toml", None),
                ],
            ),
            commit(1, &[("a/old.rs", None)]),
        ];
        let areas = commit(9, &[]).id;
        resolve(
            mailmap,
            "isms/",
            None,
            raw,
            ignored,
            (today(), now),
            &|_, _| Some(areas),
        )
    }

    /// Everything a rule can read of a resolved history, as text.
    fn shown(h: &History) -> String {
        let mut by_path: Vec<_> = h.by_path.iter().collect();
        by_path.sort();
        let mut by_any_name: Vec<_> = h.by_any_name.iter().collect();
        by_any_name.sort();
        format!(
            "{:#?}\n{by_path:?}\n{by_any_name:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{}",
            h.commits, h.areas_versions, h.people_versions, h.areas_line, h.future_dated, h.prefix
        )
    }

    #[test]
    fn a_saved_resolution_loads_as_the_history_resolved_afresh() {
        let s = setup();
        let (history, resolution) = resolved(None, &HashSet::new(), LATER);
        save(&s.file, &s.key(LATER), &history, &resolution);
        let (loaded, raw) = load(&s.file, &s.key(LATER), None, &HashSet::new()).expect("loads");
        assert_eq!(raw, 3);
        assert_eq!(shown(&loaded), shown(&history));
        assert!(shown(&loaded).contains("a/b.rs"), "{}", shown(&loaded));
        // The versions of areas.toml along HEAD's line and people.toml's per commit are kept.
        assert!(!loaded.areas_line.is_empty(), "{}", shown(&loaded));
        assert!(loaded.people_versions.iter().any(|v| v.at.is_some()));
    }

    #[test]
    fn mailmap_and_ignored_commits_are_applied_at_load_not_stored() {
        let s = setup();
        let (history, resolution) = resolved(None, &HashSet::new(), LATER);
        save(&s.file, &s.key(LATER), &history, &resolution);
        let mailmap = git2::Mailmap::from_buffer("Bot Real <bot@real.example> <bot@x.example>\n")
            .expect("mailmap");
        let ignored: HashSet<Oid> = [commit(2, &[]).id].into();
        let (loaded, _) = load(&s.file, &s.key(LATER), Some(&mailmap), &ignored).expect("loads");
        let (fresh, _) = resolved(Some(&mailmap), &ignored, LATER);
        assert_eq!(shown(&loaded), shown(&fresh));
        assert!(shown(&loaded).contains("bot@real.example"));
        assert!(loaded.commits.iter().any(|c| c.ignored));
    }

    #[test]
    fn another_head_root_claims_or_raw_cache_is_not_trusted() {
        let s = setup();
        let (history, resolution) = resolved(None, &HashSet::new(), LATER);
        save(&s.file, &s.key(LATER), &history, &resolution);
        let none = HashSet::new();
        let mut other_head = s.key(LATER);
        other_head.head = commit(4, &[]).id;
        assert!(load(&s.file, &other_head, None, &none).is_none());
        let mut other_root = s.key(LATER);
        other_root.prefix = "";
        assert!(load(&s.file, &other_root, None, &none).is_none());
        let mut other_claims = s.key(LATER);
        other_claims.claims = 8;
        assert!(load(&s.file, &other_claims, None, &none).is_none());
        std::fs::write(&s.raw_cache, b"the raw cache, rebuilt").expect("write");
        assert!(load(&s.file, &s.key(LATER), None, &none).is_none());
        std::fs::remove_file(&s.raw_cache).expect("rm");
        assert!(load(&s.file, &s.key(LATER), None, &none).is_none());
    }

    /// A commit dated past the clock is listed as such on every run, never from a file: the
    /// history is not saved while one is, and a file is not used once the clock is set back
    /// before its latest commit.
    #[test]
    fn the_clock_is_read_on_every_run() {
        let s = setup();
        let latest = 1_800_000_000 + 1;
        // Commit 3's author date, the latest, is about 3_000_000_000.
        let (history, resolution) = resolved(None, &HashSet::new(), latest);
        assert!(!history.future_dated.is_empty());
        save(&s.file, &s.key(latest), &history, &resolution);
        assert!(!s.file.exists(), "a future-dated history is not saved");
        // The clock moved past it: saved, with nothing future-dated.
        let (history, resolution) = resolved(None, &HashSet::new(), LATER);
        assert!(history.future_dated.is_empty());
        save(&s.file, &s.key(LATER), &history, &resolution);
        let none = HashSet::new();
        assert!(load(&s.file, &s.key(LATER), None, &none).is_some());
        // Set back before commit 3: not used.
        assert!(load(&s.file, &s.key(latest), None, &none).is_none());
    }

    #[test]
    fn a_damaged_cut_or_foreign_file_is_rejected() {
        let s = setup();
        let (history, resolution) = resolved(None, &HashSet::new(), LATER);
        save(&s.file, &s.key(LATER), &history, &resolution);
        let good = std::fs::read(&s.file).expect("read");
        let none = HashSet::new();
        for at in (0..good.len()).step_by(7) {
            let mut bad = good.clone();
            bad[at] ^= 0x04;
            std::fs::write(&s.file, &bad).expect("write");
            assert!(
                load(&s.file, &s.key(LATER), None, &none).is_none(),
                "byte {at}"
            );
        }
        for len in (0..good.len()).step_by(5) {
            std::fs::write(&s.file, &good[..len]).expect("write");
            assert!(
                load(&s.file, &s.key(LATER), None, &none).is_none(),
                "cut at {len}"
            );
        }
        let mut foreign = b"isms-resolved-history 0".to_vec();
        foreign.extend_from_slice(&good[FORMAT.len()..]);
        std::fs::write(&s.file, &foreign).expect("write");
        assert!(load(&s.file, &s.key(LATER), None, &none).is_none());
        std::fs::write(&s.file, &good).expect("write");
        assert!(load(&s.file, &s.key(LATER), None, &none).is_some());
    }
}
