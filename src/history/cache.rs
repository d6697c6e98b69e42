//! The history index saved under the repository's git directory, so a second run walks only
//! the commits made since. A cache that fails its checksum or does not parse is rebuilt, never
//! trusted; the caller rebuilds it too when its HEAD is no longer an ancestor (rewritten history).

use std::collections::HashMap;
use std::io::{BufWriter, Seek, SeekFrom, Write};
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
    checksum_on(0xcbf2_9ce4_8422_2325, bytes)
}

/// The checksum of what was summed as `sum`, followed by `bytes`.
fn checksum_on(sum: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(sum, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The [`word_checksum`] of a whole file, read in pieces (not held whole in memory).
pub(super) fn file_checksum(file: &Path) -> std::io::Result<u64> {
    use std::io::Read as _;
    let mut f = std::fs::File::open(file)?;
    let mut buf = vec![0; 64 * 1024];
    let mut sum = WordSum::default();
    loop {
        match f.read(&mut buf) {
            Ok(0) => return Ok(sum.finish()),
            Ok(n) => sum.update(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// Like [`checksum`], as fast as memory is read: four FNV-style lanes over 8-byte words, then
/// the bytes left over. A changed word changes its lane (each step is a bijection of the lane
/// and of the word), and the lanes are folded so that any one lane changes the sum: what the
/// files read on every run (resolved.bin, blobs.bin) are checked with, megabytes each.
pub(super) fn word_checksum(bytes: &[u8]) -> u64 {
    let mut sum = WordSum::default();
    sum.update(bytes);
    sum.finish()
}

const WORD_PRIME: u64 = 0x0100_0000_01b3;

/// [`word_checksum`] computed over bytes given in pieces of any size: the same sum as over
/// the pieces joined.
struct WordSum {
    lanes: [u64; 4],
    len: u64,
    /// The bytes of a block of 32 not complete yet.
    tail: Vec<u8>,
}

impl Default for WordSum {
    fn default() -> Self {
        Self {
            lanes: [
                0xcbf2_9ce4_8422_2325,
                0x8422_2325_cbf2_9ce4,
                0x9ce4_cbf2_2325_8422,
                0x2325_8422_9ce4_cbf2,
            ],
            len: 0,
            tail: Vec::with_capacity(32),
        }
    }
}

impl WordSum {
    fn update(&mut self, mut bytes: &[u8]) {
        self.len += bytes.len() as u64;
        if !self.tail.is_empty() {
            let take = (32 - self.tail.len()).min(bytes.len());
            self.tail.extend_from_slice(&bytes[..take]);
            bytes = &bytes[take..];
            if self.tail.len() < 32 {
                return;
            }
            let mut block = [0; 32];
            block.copy_from_slice(&self.tail);
            self.block(&block);
            self.tail.clear();
        }
        let mut blocks = bytes.chunks_exact(32);
        for block in &mut blocks {
            self.block(block);
        }
        self.tail.extend_from_slice(blocks.remainder());
    }

    fn block(&mut self, block: &[u8]) {
        for (lane, word) in self.lanes.iter_mut().zip(block.chunks_exact(8)) {
            let word = u64::from_le_bytes(word.try_into().unwrap_or_default());
            *lane = (*lane ^ word).wrapping_mul(WORD_PRIME);
        }
    }

    fn finish(self) -> u64 {
        let folded = self.lanes.iter().fold(self.len, |h, lane| {
            (h ^ lane).wrapping_mul(WORD_PRIME).rotate_left(29)
        });
        self.tail
            .iter()
            .fold(folded, |h, b| (h ^ u64::from(*b)).wrapping_mul(WORD_PRIME))
    }
}

/// The body of a cache file whose header names `format` and whose checksum
/// ([`word_checksum`]) holds.
pub(super) fn read_checked(file: &Path, format: &str) -> Option<Vec<u8>> {
    let mut bytes = std::fs::read(file).ok()?;
    let newline = bytes.iter().position(|b| *b == b'\n')?;
    let header = std::str::from_utf8(&bytes[..newline]).ok()?;
    let sum = u64::from_str_radix(header.strip_prefix(format)?.trim(), 16).ok()?;
    let body = bytes.split_off(newline + 1);
    (sum == word_checksum(&body)).then_some(body)
}

/// Writes `body` under a header with `format` and its checksum, atomically.
pub(super) fn write_checked(file: &Path, format: &str, body: &[u8]) -> std::io::Result<()> {
    write_checked_parts(file, format, &[body])
}

/// Writes the body made of `parts` one after the other under a header with `format` and its
/// checksum, atomically, without joining them in memory first.
pub(super) fn write_checked_parts(
    file: &Path,
    format: &str,
    parts: &[&[u8]],
) -> std::io::Result<()> {
    let mut sum = WordSum::default();
    parts.iter().for_each(|p| sum.update(p));
    let sum = sum.finish();
    write_atomically(file, |out| {
        writeln!(out, "{format} {sum:016x}")?;
        parts.iter().try_for_each(|p| out.write_all(p))
    })
}

/// Writes a file through `write` into a buffered temporary file, renamed over the old one once
/// written whole: a reader never sees half, and a failed or interrupted write leaves the old
/// file (and no temporary one, unless the process dies).
fn write_atomically(
    file: &Path,
    write: impl FnOnce(&mut BufWriter<std::fs::File>) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let dir = file.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = file
        .file_name()
        .map_or("cache".into(), |n| n.to_string_lossy().into_owned());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let written = std::fs::File::create(&tmp).and_then(|f| {
        let mut out = BufWriter::with_capacity(64 * 1024, f);
        write(&mut out)?;
        out.into_inner()
            .map_err(std::io::IntoInnerError::into_error)?;
        std::fs::rename(&tmp, file)
    });
    written.inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

/// What was read from blobs, by kind and blob id: a cached run reads no blob again.
pub(crate) type BlobFacts = HashMap<String, (Option<Vec<String>>, u64)>;

/// Bumped whenever what is stored of a blob, or how, changes (1 was JSON; 2 was checked with
/// [`checksum`]).
const BLOBS_FORMAT: &str = "isms-blob-facts 3";

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
    write_atomically(file, |out| {
        out.write_all(FORMAT)?;
        segment(out, head, commits, Interned::default())
    })?;
    let _ = std::fs::remove_file(old_path(file.parent().unwrap_or(Path::new("."))));
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
    let unchanged = std::fs::metadata(file).is_ok_and(|m| m.len() == cached.len);
    if !unchanged {
        return save(file, head, all);
    }
    let mut interned = Interned::default();
    for (i, p) in cached.paths.iter().enumerate() {
        interned.index.insert(p, i as u32);
    }
    interned.known = interned.index.len() as u32;
    let mut f = std::fs::OpenOptions::new().write(true).open(file)?;
    f.seek(SeekFrom::Start(cached.len))?;
    let mut out = BufWriter::new(f);
    segment(&mut out, head, new, interned)?;
    out.into_inner()
        .map_err(std::io::IntoInnerError::into_error)?;
    Ok(())
}

/// Paths numbered in the order first met, across the segments of a file.
#[derive(Default)]
struct Interned<'a> {
    index: HashMap<&'a str, u32>,
    /// How many were interned by earlier segments.
    known: u32,
    /// The ones this segment adds.
    added: Vec<&'a str>,
}

impl<'a> Interned<'a> {
    /// Numbers every path of `commits` not numbered yet, in the order the encoding meets them.
    fn number_all(&mut self, commits: &'a [RawCommit]) {
        for c in commits {
            for ch in &c.changes {
                self.number(&ch.path);
                if let Some(from) = &ch.from {
                    self.number(from);
                }
            }
            for p in c.pending.iter().flat_map(|pending| &pending.paths) {
                self.number(p);
            }
        }
    }
    fn number(&mut self, path: &'a str) -> u32 {
        if let Some(i) = self.index.get(path) {
            return *i;
        }
        let i = self.known + self.added.len() as u32;
        self.index.insert(path, i);
        self.added.push(path);
        i
    }
    /// The number of a path [`Interned::number_all`] met.
    fn of(&self, path: &str) -> u64 {
        self.index.get(path).map_or(u64::MAX, |i| u64::from(*i))
    }
}

/// A writer that counts the bytes through it and computes their [`checksum`] as they go.
struct Summed<W> {
    inner: W,
    len: u64,
    sum: u64,
}

impl<W: Write> Write for Summed<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.sum = checksum_on(self.sum, &buf[..n]);
        self.len += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Writes one segment (length, checksum, body) bringing a cache to `head` with `commits`, at
/// the writer's position: the body is encoded commit by commit straight into `out`, then its
/// length and checksum are written in the place kept for them before it. Until then that place
/// holds zeros, which no body's checksum is, so a segment cut short is never read.
fn segment<'a, W: Write + Seek>(
    out: &mut W,
    head: Oid,
    commits: &'a [RawCommit],
    mut paths: Interned<'a>,
) -> std::io::Result<()> {
    paths.number_all(commits);
    let start = out.stream_position()?;
    out.write_all(&[0; 12])?;
    let mut body = Summed {
        inner: &mut *out,
        len: 0,
        sum: checksum(&[]),
    };
    let mut encoded = Vec::with_capacity(4096);
    let mut w = Writer(&mut encoded);
    w.oid(head);
    w.count(paths.added.len());
    for p in &paths.added {
        w.string(p);
    }
    w.count(commits.len());
    for c in commits {
        body.write_all(&encoded)?;
        encoded.clear();
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
            w.number(paths.of(&ch.path));
            w.optional_oid(ch.blob);
            w.number(ch.from.as_deref().map_or(0, |f| 1 + paths.of(f)));
        }
        match &c.pending {
            None => w.0.push(0),
            Some(pending) => {
                w.0.push(1);
                w.oid(pending.base);
                w.count(pending.paths.len());
                for p in &pending.paths {
                    w.number(paths.of(p));
                }
            }
        }
    }
    body.write_all(&encoded)?;
    let (len, sum) = (body.len, body.sum);
    let len = u32::try_from(len).map_err(|_| std::io::Error::other("a segment over 4 GiB"))?;
    let end = out.stream_position()?;
    out.seek(SeekFrom::Start(start))?;
    out.write_all(&len.to_le_bytes())?;
    out.write_all(&sum.to_le_bytes())?;
    out.seek(SeekFrom::Start(end))?;
    out.flush()
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
    fn the_word_checksum_of_pieces_is_the_checksum_of_the_whole() {
        let bytes: Vec<u8> = (0..300u32).map(|i| (i * 31 % 251) as u8).collect();
        let whole = word_checksum(&bytes);
        for first in [0, 1, 7, 31, 32, 33, 64, 100, 299, 300] {
            for second in [0, 1, 5, 32, 63] {
                let second = (first + second).min(bytes.len());
                let mut sum = WordSum::default();
                sum.update(&bytes[..first]);
                sum.update(&bytes[first..second]);
                sum.update(&bytes[second..]);
                assert_eq!(sum.finish(), whole, "split at {first} and {second}");
            }
        }
    }

    #[test]
    fn the_word_checksum_changes_with_any_flipped_bit_or_cut() {
        let bytes: Vec<u8> = (0..=100u8).collect();
        let good = word_checksum(&bytes);
        for at in 0..bytes.len() {
            for bit in 0..8 {
                let mut bad = bytes.clone();
                bad[at] ^= 1 << bit;
                assert_ne!(word_checksum(&bad), good, "byte {at} bit {bit}");
            }
        }
        for len in 0..bytes.len() {
            assert_ne!(word_checksum(&bytes[..len]), good, "cut at {len}");
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
    fn a_saved_cache_keeps_its_bytes_and_leaves_no_temporary_file() {
        // The format's bytes for these commits, pinned (format 8): the streamed writer wrote
        // the same files as the whole-in-memory encoder before it (format 7, compared on real
        // histories), and caches written by earlier builds must keep loading.
        let dir = tempfile::tempdir().expect("tempdir");
        let file = path(dir.path());
        let commits = vec![
            commit(2, &[("a/b.rs", Some("a/old.rs")), ("c.md", None)]),
            commit(1, &[("a/old.rs", None)]),
        ];
        save(&file, commits[0].id, &commits).expect("save");
        let bytes = std::fs::read(&file).expect("read");
        assert_eq!((bytes.len(), checksum(&bytes)), (SAVED_LEN, SAVED_SUM));
        save(&file, commits[0].id, &commits).expect("save over it");
        assert_eq!(std::fs::read(&file).expect("read"), bytes, "deterministic");
        let names: Vec<String> = std::fs::read_dir(dir.path().join("isms"))
            .expect("list")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["history.bin"]);
    }
    const SAVED_LEN: usize = 387;
    const SAVED_SUM: u64 = 6_688_639_824_572_036_142;

    #[test]
    fn a_segment_whose_length_and_checksum_are_not_written_yet_is_not_read() {
        // What an append interrupted before its header was filled in leaves: zeros there.
        let dir = tempfile::tempdir().expect("tempdir");
        let file = path(dir.path());
        let first = vec![commit(1, &[("a.md", None)])];
        save(&file, first[0].id, &first).expect("save");
        let written = std::fs::read(&file).expect("read");
        let loaded = load(&file).expect("load");
        let new = vec![commit(2, &[("b.md", Some("a.md"))])];
        let all: Vec<RawCommit> = new.iter().chain(&first).cloned().collect();
        append(&file, loaded.tail, new[0].id, &new, &all).expect("append");
        let grown = std::fs::read(&file).expect("read");
        for cut in [written.len() + 12, written.len() + 40, grown.len()] {
            let mut bytes = grown[..cut].to_vec();
            bytes[written.len()..written.len() + 12].fill(0);
            std::fs::write(&file, &bytes).expect("write");
            assert_eq!(load(&file), None, "cut at {cut}");
        }
    }

    #[test]
    fn a_checked_file_written_in_parts_is_the_file_written_whole() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (whole, parts) = (dir.path().join("whole"), dir.path().join("parts"));
        // Larger than the pieces the checksum of a file is read in.
        let body: Vec<u8> = (0..200_000u32).map(|i| (i * 7 % 251) as u8).collect();
        write_checked(&whole, "fmt 1", &body).expect("write");
        let (a, rest) = body.split_at(70_000);
        let (b, c) = rest.split_at(0);
        write_checked_parts(&parts, "fmt 1", &[a, b, c]).expect("write");
        let bytes = std::fs::read(&whole).expect("read");
        assert_eq!(std::fs::read(&parts).expect("read"), bytes);
        assert_eq!(read_checked(&parts, "fmt 1"), Some(body));
        assert_eq!(file_checksum(&whole).expect("sum"), word_checksum(&bytes));
        assert!(file_checksum(&dir.path().join("absent")).is_err());
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
