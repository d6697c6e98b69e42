//! The history index saved under the repository's git directory, so a second run walks only
//! the commits made since. A cache that fails its checksum or does not parse is rebuilt, never
//! trusted; the caller rebuilds it too when its HEAD is no longer an ancestor (rewritten history).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use git2::Oid;

use super::repo::{Gpgsig, Pending, RawChange, RawCommit, RawSignature};

/// Bumped whenever what is stored, or how commits are diffed, changes.
const FORMAT: &[u8] = b"isms-history-cache 8\n";

/// Where the cache of a repository lives.
pub(crate) fn path(git_dir: &Path) -> PathBuf {
    git_dir.join("isms").join("history.bin")
}

/// The cache file of earlier versions (JSON, rewritten whole): removed when the new one is
/// written.
fn old_path(git_dir_isms: &Path) -> PathBuf {
    git_dir_isms.join("history.json")
}

/// A cached index: the commit it was built at and every commit reachable from it.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Cached {
    pub head: Oid,
    /// Every commit, merges included; their order carries no meaning (the reader puts them in
    /// canonical order).
    pub commits: Vec<RawCommit>,
    /// The file's length and interned paths as read: what [`append`] extends.
    pub tail: Tail,
}

/// Where a cache file ends: its length and the paths its segments interned, in order.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Tail {
    len: u64,
    paths: Vec<String>,
}

/// FNV-1a: enough to tell a damaged file from a good one.
pub(super) fn checksum(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The body of a cache file whose header names `format` and whose checksum holds.
pub(super) fn read_checked(file: &Path, format: &str) -> Option<Vec<u8>> {
    let mut bytes = std::fs::read(file).ok()?;
    let newline = bytes.iter().position(|b| *b == b'\n')?;
    let header = std::str::from_utf8(&bytes[..newline]).ok()?;
    let sum = u64::from_str_radix(header.strip_prefix(format)?.trim(), 16).ok()?;
    let body = bytes.split_off(newline + 1);
    (sum == checksum(&body)).then_some(body)
}

/// Writes `body` under a header with `format` and its checksum, atomically.
pub(super) fn write_checked(file: &Path, format: &str, body: &[u8]) -> std::io::Result<()> {
    let mut bytes = format!("{format} {:016x}\n", checksum(body)).into_bytes();
    bytes.extend_from_slice(body);
    write_atomically(file, &bytes)
}

/// Writes a file through a temporary file renamed over the old one: a reader never sees half.
fn write_atomically(file: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = file.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = file
        .file_name()
        .map_or("cache".into(), |n| n.to_string_lossy().into_owned());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, file).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

/// What was read from blobs, by kind and blob id: a cached run reads no blob again.
pub(crate) type BlobFacts = HashMap<String, (Option<Vec<String>>, u64)>;

/// Bumped whenever what is stored of a blob, or how, changes (1 was JSON).
const BLOBS_FORMAT: &str = "isms-blob-facts 2";

pub(crate) fn blobs_path(git_dir: &Path) -> PathBuf {
    git_dir.join("isms").join("blobs.bin")
}

/// The blob facts of earlier versions (JSON): removed when the new file is written.
fn old_blobs_path(git_dir_isms: &Path) -> PathBuf {
    git_dir_isms.join("blobs.json")
}

/// The facts saved by an earlier run; none when the file is absent, of another format, damaged
/// or unparsable (they are then read from the blobs again).
pub(crate) fn load_blobs(file: &Path) -> BlobFacts {
    read_checked(file, BLOBS_FORMAT)
        .and_then(|body| decode_blobs(&body))
        .unwrap_or_default()
}

pub(crate) fn save_blobs(file: &Path, facts: &BlobFacts) -> std::io::Result<()> {
    write_checked(file, BLOBS_FORMAT, &encode_blobs(facts))?;
    let _ = std::fs::remove_file(old_blobs_path(file.parent().unwrap_or(Path::new("."))));
    Ok(())
}

/// The facts as [`Writer`] values, by key (so that equal facts give equal files): the count,
/// then per fact its key, its fields (none, or a count and strings) and its content hash.
fn encode_blobs(facts: &BlobFacts) -> Vec<u8> {
    let mut keys: Vec<&String> = facts.keys().collect();
    keys.sort_unstable();
    let mut body = Vec::with_capacity(facts.len() * 64);
    let mut w = Writer(&mut body);
    w.count(keys.len());
    for key in keys {
        let (fields, content) = &facts[key];
        w.string(key);
        match fields {
            None => w.0.push(0),
            Some(fields) => {
                w.0.push(1);
                w.count(fields.len());
                for f in fields {
                    w.string(f);
                }
            }
        }
        w.0.extend_from_slice(&content.to_le_bytes());
    }
    body
}

fn decode_blobs(body: &[u8]) -> Option<BlobFacts> {
    let mut r = Reader(body);
    let n = r.count()?;
    // A count the body cannot hold is damage, not a reason to reserve memory.
    let mut facts = BlobFacts::with_capacity(n.min(body.len()));
    for _ in 0..n {
        let key = r.string()?;
        let fields = match r.byte()? {
            0 => None,
            1 => Some(
                (0..r.count()?)
                    .map(|_| r.string())
                    .collect::<Option<Vec<_>>>()?,
            ),
            _ => return None,
        };
        let content = u64::from_le_bytes(r.take(8)?.try_into().ok()?);
        facts.insert(key, (fields, content));
    }
    r.0.is_empty().then_some(facts)
}

/// Reads the cache; `None` when it is absent, of another format, or any of its segments is
/// damaged or unparsable.
///
/// The file is the format line, then one segment per run that added commits: its length
/// (u32), its checksum (u64), and its body: the HEAD it brings the cache to, the paths it
/// interns (numbered after those of the segments before it), and its commits. A run whose
/// HEAD moved forward appends a segment; nothing already written is rewritten.
pub(crate) fn load(file: &Path) -> Option<Cached> {
    let bytes = std::fs::read(file).ok()?;
    let mut rest = bytes.strip_prefix(FORMAT)?;
    let mut head = None;
    let mut paths: Vec<String> = Vec::new();
    // By segment, oldest first.
    let mut segments: Vec<Vec<RawCommit>> = Vec::new();
    while !rest.is_empty() {
        let (len, sum) = (rest.get(..4)?, rest.get(4..12)?);
        let len = u32::from_le_bytes(len.try_into().ok()?) as usize;
        let sum = u64::from_le_bytes(sum.try_into().ok()?);
        let body = rest.get(12..12usize.checked_add(len)?)?;
        if checksum(body) != sum {
            return None;
        }
        let mut r = Reader(body);
        head = Some(r.oid()?);
        for _ in 0..r.count()? {
            paths.push(r.string()?);
        }
        let commits = (0..r.count()?)
            .map(|_| r.commit(&paths))
            .collect::<Option<Vec<_>>>()?;
        segments.push(commits);
        if !r.0.is_empty() {
            return None;
        }
        rest = &rest[12 + len..];
    }
    // Newest first, as a walk gives them.
    let commits = segments.into_iter().rev().flatten().collect();
    Some(Cached {
        head: head?,
        commits,
        tail: Tail {
            len: bytes.len() as u64,
            paths,
        },
    })
}

/// Writes a new cache of `commits` at `head` atomically (a temporary file renamed over the old
/// one). Failing to write it only costs the next run time, so errors are returned for the
/// caller to ignore.
pub(crate) fn save(file: &Path, head: Oid, commits: &[RawCommit]) -> std::io::Result<()> {
    let mut bytes = FORMAT.to_vec();
    segment(&mut bytes, head, commits, &mut Interned::default());
    let dir = file.parent().unwrap_or(Path::new("."));
    write_atomically(file, &bytes)?;
    let _ = std::fs::remove_file(old_path(dir));
    Ok(())
}

/// Extends the cache read as `cached` with the commits made since, now at `head`: one segment
/// appended. The file is rewritten instead when it changed since it was read.
pub(crate) fn append(
    file: &Path,
    cached: Tail,
    head: Oid,
    new: &[RawCommit],
    all: &[RawCommit],
) -> std::io::Result<()> {
    use std::io::Write as _;
    let unchanged = std::fs::metadata(file).is_ok_and(|m| m.len() == cached.len);
    if !unchanged {
        return save(file, head, all);
    }
    let mut interned = Interned::default();
    for (i, p) in cached.paths.into_iter().enumerate() {
        interned.index.insert(p, i as u32);
    }
    interned.known = interned.index.len() as u32;
    let mut bytes = Vec::new();
    segment(&mut bytes, head, new, &mut interned);
    let mut f = std::fs::OpenOptions::new().append(true).open(file)?;
    f.write_all(&bytes)
}

/// Paths numbered in the order first met, across the segments of a file.
#[derive(Default)]
struct Interned {
    index: HashMap<String, u32>,
    /// How many were interned by earlier segments.
    known: u32,
    /// The ones this segment adds.
    added: Vec<String>,
}

impl Interned {
    fn number(&mut self, path: &str) -> u32 {
        if let Some(i) = self.index.get(path) {
            return *i;
        }
        let i = self.known + self.added.len() as u32;
        self.index.insert(path.to_string(), i);
        self.added.push(path.to_string());
        i
    }
}

/// Appends one segment (length, checksum, body) bringing a cache to `head` with `commits`.
fn segment(out: &mut Vec<u8>, head: Oid, commits: &[RawCommit], paths: &mut Interned) {
    let mut encoded = Vec::new();
    for c in commits {
        let mut w = Writer(&mut encoded);
        w.oid(c.id);
        w.count(c.parents.len());
        for p in &c.parents {
            w.oid(*p);
        }
        w.signature(&c.author);
        if c.committer == c.author {
            w.0.push(0);
        } else {
            w.0.push(1);
            w.signature(&c.committer);
        }
        for trailers in [&c.co_authors, &c.approved_by] {
            w.count(trailers.len());
            for (name, email) in trailers {
                w.string(name);
                w.string(email);
            }
        }
        w.string(&c.subject);
        w.count(c.changes.len());
        for ch in &c.changes {
            w.number(u64::from(paths.number(&ch.path)));
            w.optional_oid(ch.blob);
            let from = ch
                .from
                .as_deref()
                .map_or(0, |f| 1 + u64::from(paths.number(f)));
            w.number(from);
        }
        match &c.pending {
            None => w.0.push(0),
            Some(pending) => {
                w.0.push(1);
                w.oid(pending.base);
                w.count(pending.paths.len());
                for p in &pending.paths {
                    w.number(u64::from(paths.number(p)));
                }
            }
        }
    }
    let mut body = Vec::with_capacity(encoded.len() + 64);
    let mut w = Writer(&mut body);
    w.oid(head);
    w.count(paths.added.len());
    for p in &paths.added {
        w.string(p);
    }
    w.count(commits.len());
    body.extend_from_slice(&encoded);
    out.extend_from_slice(&(body.len() as u32).to_le_bytes());
    out.extend_from_slice(&checksum(&body).to_le_bytes());
    out.extend_from_slice(&body);
}

/// The encoding of the cache's values: LEB128 numbers, lengths before strings, raw 20-byte ids.
pub(super) struct Writer<'a>(pub(super) &'a mut Vec<u8>);

impl Writer<'_> {
    pub(super) fn number(&mut self, mut n: u64) {
        loop {
            let byte = (n & 0x7f) as u8;
            n >>= 7;
            if n == 0 {
                self.0.push(byte);
                return;
            }
            self.0.push(byte | 0x80);
        }
    }
    pub(super) fn count(&mut self, n: usize) {
        self.number(n as u64);
    }
    pub(super) fn string(&mut self, s: &str) {
        self.count(s.len());
        self.0.extend_from_slice(s.as_bytes());
    }
    pub(super) fn oid(&mut self, id: Oid) {
        self.0.extend_from_slice(id.as_bytes());
    }
    /// Zigzag: small negative numbers (times, offsets, years) stay short.
    pub(super) fn signed(&mut self, n: i64) {
        self.number(((n << 1) ^ (n >> 63)) as u64);
    }
    /// A marker byte (0: none, 1: an id follows), then the id.
    pub(super) fn optional_oid(&mut self, id: Option<Oid>) {
        match id {
            Some(id) => {
                self.0.push(1);
                self.oid(id);
            }
            None => self.0.push(0),
        }
    }
    fn signature(&mut self, s: &RawSignature) {
        self.string(&s.name);
        self.string(&s.email);
        self.signed(s.time);
        self.signed(i64::from(s.offset));
    }
}

/// Reads what [`Writer`] wrote; `None` on anything malformed.
pub(super) struct Reader<'a>(pub(super) &'a [u8]);

impl Reader<'_> {
    pub(super) fn byte(&mut self) -> Option<u8> {
        let (b, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(*b)
    }
    pub(super) fn take(&mut self, n: usize) -> Option<&[u8]> {
        let (taken, rest) = (self.0.get(..n)?, self.0.get(n..)?);
        self.0 = rest;
        Some(taken)
    }
    pub(super) fn number(&mut self) -> Option<u64> {
        let mut n = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            n |= u64::from(b & 0x7f).checked_shl(shift)?;
            if b & 0x80 == 0 {
                return Some(n);
            }
        }
        None
    }
    pub(super) fn count(&mut self) -> Option<usize> {
        usize::try_from(self.number()?).ok()
    }
    pub(super) fn string(&mut self) -> Option<String> {
        let n = self.count()?;
        String::from_utf8(self.take(n)?.to_vec()).ok()
    }
    pub(super) fn oid(&mut self) -> Option<Oid> {
        Oid::from_bytes(self.take(20)?).ok()
    }
    pub(super) fn signed(&mut self) -> Option<i64> {
        let n = self.number()?;
        Some(((n >> 1) as i64) ^ -((n & 1) as i64))
    }
    pub(super) fn optional_oid(&mut self) -> Option<Option<Oid>> {
        match self.byte()? {
            0 => Some(None),
            1 => Some(Some(self.oid()?)),
            _ => None,
        }
    }
    fn signature(&mut self) -> Option<RawSignature> {
        Some(RawSignature {
            name: self.string()?,
            email: self.string()?,
            time: self.signed()?,
            offset: i32::try_from(self.signed()?).ok()?,
        })
    }
    fn commit(&mut self, paths: &[String]) -> Option<RawCommit> {
        let id = self.oid()?;
        let parents = (0..self.count()?)
            .map(|_| self.oid())
            .collect::<Option<Vec<_>>>()?;
        let author = self.signature()?;
        let committer = match self.byte()? {
            0 => author.clone(),
            1 => self.signature()?,
            _ => return None,
        };
        let co_authors = self.trailers()?;
        let approved_by = self.trailers()?;
        let subject = self.string()?;
        let path = |i: u64| paths.get(usize::try_from(i).ok()?).cloned();
        let changes = (0..self.count()?)
            .map(|_| {
                let at = path(self.number()?)?;
                let blob = self.optional_oid()?;
                let from = match self.number()? {
                    0 => None,
                    n => Some(path(n - 1)?),
                };
                Some(RawChange {
                    path: at,
                    blob,
                    from,
                })
            })
            .collect::<Option<Vec<_>>>()?;
        let pending = match self.byte()? {
            0 => None,
            1 => Some(Pending {
                base: self.oid()?,
                paths: (0..self.count()?)
                    .map(|_| path(self.number()?))
                    .collect::<Option<Vec<_>>>()?,
            }),
            _ => return None,
        };
        Some(RawCommit {
            id,
            parents,
            author,
            committer,
            co_authors,
            approved_by,
            subject,
            changes,
            pending,
            gpgsig: Gpgsig::NotRead,
        })
    }
    /// (name, email) pairs of a trailer.
    fn trailers(&mut self) -> Option<Vec<(String, String)>> {
        (0..self.count()?)
            .map(|_| Some((self.string()?, self.string()?)))
            .collect()
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    pub(in crate::history) fn commit(n: u8, paths: &[(&str, Option<&str>)]) -> RawCommit {
        let id = |n: u8| Oid::from_bytes(&[n; 20]).expect("an id");
        let who = |name: &str, time: i64, offset: i32| RawSignature {
            name: name.into(),
            email: format!("{name}@x.example"),
            time,
            offset,
        };
        RawCommit {
            id: id(n),
            parents: if n > 1 { vec![id(n - 1)] } else { Vec::new() },
            author: who("Ann Ö", -5 + i64::from(n) * 1_000_000_000, -330),
            committer: if n % 2 == 0 {
                who("bot", 1_800_000_000, 60)
            } else {
                who("Ann Ö", -5 + i64::from(n) * 1_000_000_000, -330)
            },
            co_authors: vec![("".into(), format!("c{n}@x.example"))],
            approved_by: vec![("Ap".into(), format!("a{n}@x.example")); usize::from(n % 2)],
            subject: format!("Change {n}: ünïcode"),
            changes: paths
                .iter()
                .map(|(p, from)| RawChange {
                    path: p.to_string(),
                    blob: (n % 3 != 0).then(|| id(100 + n)),
                    from: from.map(str::to_string),
                })
                .collect(),
            // Every fourth commit a merge with paths both sides changed, not yet re-merged.
            pending: (n % 4 == 0).then(|| Pending {
                base: id(200 + n),
                paths: paths.iter().map(|(p, _)| format!("{p}.both")).collect(),
            }),
            gpgsig: Gpgsig::NotRead,
        }
    }

    #[test]
    fn a_saved_then_appended_cache_reads_back_every_commit() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = path(dir.path());
        let first = vec![
            commit(2, &[("a/b.rs", Some("a/old.rs")), ("c.md", None)]),
            commit(1, &[("a/old.rs", None)]),
        ];
        std::fs::create_dir_all(dir.path().join("isms")).expect("mkdir");
        std::fs::write(dir.path().join("isms/history.json"), "old").expect("old cache");
        save(&file, first[0].id, &first).expect("save");
        assert!(
            !dir.path().join("isms/history.json").exists(),
            "the old cache is removed"
        );
        let loaded = load(&file).expect("load");
        assert_eq!((loaded.head, &loaded.commits), (first[0].id, &first));
        let written = std::fs::read(&file).expect("read");

        // HEAD moved on by two commits: one segment appended, nothing rewritten.
        let new = vec![
            commit(4, &[("c.md", None), ("d.md", Some("a/b.rs"))]),
            commit(3, &[("a/b.rs", None)]),
        ];
        let all: Vec<RawCommit> = new.iter().chain(&first).cloned().collect();
        append(&file, loaded.tail, new[0].id, &new, &all).expect("append");
        let grown = std::fs::read(&file).expect("read");
        assert!(grown.starts_with(&written), "appended, not rewritten");
        let reloaded = load(&file).expect("load");
        assert_eq!((reloaded.head, &reloaded.commits), (new[0].id, &all));

        // Any damaged byte, or a cut anywhere, makes the whole cache unread.
        for at in [FORMAT.len() + 2, written.len() + 5, grown.len() - 1] {
            let mut bytes = grown.clone();
            bytes[at] ^= 0x20;
            std::fs::write(&file, &bytes).expect("write");
            assert_eq!(load(&file), None, "byte {at} flipped");
        }
        for cut in [FORMAT.len() + 3, written.len(), grown.len() - 1] {
            std::fs::write(&file, &grown[..cut]).expect("write");
            let read = load(&file);
            assert_eq!(read.is_some(), cut == written.len(), "cut at {cut}");
        }
    }

    #[test]
    fn a_cache_changed_since_it_was_read_is_rewritten_whole() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = path(dir.path());
        let first = vec![commit(1, &[("a.md", None)])];
        save(&file, first[0].id, &first).expect("save");
        let loaded = load(&file).expect("load");
        // Another run replaced the file in between.
        let other = vec![commit(2, &[("z.md", None)]), commit(1, &[("a.md", None)])];
        save(&file, other[0].id, &other).expect("save");
        let new = vec![commit(3, &[("b.md", None)])];
        let all: Vec<RawCommit> = new.iter().chain(&first).cloned().collect();
        append(&file, loaded.tail, new[0].id, &new, &all).expect("append");
        let read = load(&file).expect("load");
        assert_eq!((read.head, read.commits), (new[0].id, all));
    }

    #[test]
    fn blob_facts_read_back_and_any_damage_or_other_format_gives_none() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = blobs_path(dir.path());
        std::fs::create_dir_all(dir.path().join("isms")).expect("mkdir");
        std::fs::write(dir.path().join("isms/blobs.json"), "{}").expect("old facts");
        let facts: BlobFacts = [
            ("approval:1a".to_string(), (None, 7)),
            (
                "approval:2b".to_string(),
                (Some(vec!["Ann Ö".into(), String::new()]), u64::MAX),
            ),
            ("verification:3c".to_string(), (Some(Vec::new()), 0)),
        ]
        .into_iter()
        .collect();
        save_blobs(&file, &facts).expect("save");
        assert!(
            !dir.path().join("isms/blobs.json").exists(),
            "the JSON facts of earlier versions are removed"
        );
        assert_eq!(load_blobs(&file), facts);
        let written = std::fs::read(&file).expect("read");
        save_blobs(&file, &facts).expect("save again");
        assert_eq!(
            std::fs::read(&file).expect("read"),
            written,
            "deterministic"
        );

        let header = written.iter().position(|b| *b == b'\n').expect("header") + 1;
        for at in [header, header + 5, written.len() - 1] {
            let mut bytes = written.clone();
            bytes[at] ^= 0x20;
            std::fs::write(&file, &bytes).expect("write");
            assert!(load_blobs(&file).is_empty(), "byte {at} flipped");
        }
        for cut in [0, header - 1, header + 3, written.len() - 1] {
            std::fs::write(&file, &written[..cut]).expect("write");
            assert!(load_blobs(&file).is_empty(), "cut at {cut}");
        }
        // The same body under the header of the JSON format, or a valid checksum over a body
        // that does not parse (a count larger than the body), is not read either.
        let foreign = [
            b"isms-blob-facts 1".as_slice(),
            &written[BLOBS_FORMAT.len()..],
        ]
        .concat();
        std::fs::write(&file, foreign).expect("write");
        assert!(load_blobs(&file).is_empty(), "another format");
        write_checked(&file, BLOBS_FORMAT, &[0xff, 0xff, 0x7f]).expect("write");
        assert!(load_blobs(&file).is_empty(), "a count beyond the body");
        write_checked(&file, BLOBS_FORMAT, &[0x00, 0x00]).expect("write");
        assert!(load_blobs(&file).is_empty(), "bytes after the facts");
    }

    #[test]
    fn a_cache_of_another_format_version_is_not_read() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = path(dir.path());
        let first = vec![commit(1, &[("a.md", None)])];
        save(&file, first[0].id, &first).expect("save");
        let bytes = std::fs::read(&file).expect("read");
        assert!(load(&file).is_some());
        let older = [b"isms-history-cache 6\n".as_slice(), &bytes[FORMAT.len()..]].concat();
        std::fs::write(&file, older).expect("write");
        assert_eq!(load(&file), None);
    }
}
