//! Trees read straight from the object database and parsed in place, for the walk's tree
//! diffs: libgit2's tree objects cost more than the diff itself (an allocation and an octal
//! parse per entry, and an object cache that keeps no tree over 4 KiB, so a folder of a few
//! hundred files was inflated again for every commit that touched it). Consecutive commits
//! share most trees (a commit's old tree is the next commit's new one), so each thread keeps
//! the trees it read last.

use std::cell::RefCell;
use std::rc::Rc;

use git2::{ObjectType, Oid, Repository};

use super::oid_hash::OidMap;

/// How many trees a thread keeps; past it, the whole set is dropped and refilled (the walk
/// reads consecutive commits, so only the last few commits' trees are read again).
const KEPT: usize = 1024;

thread_local! {
    /// The raw trees this thread read last, by id (an id names the same bytes in any
    /// repository).
    static RECENT: RefCell<OidMap<Oid, Rc<[u8]>>> = RefCell::new(OidMap::default());
}

/// One entry of a tree, borrowed from the tree's bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Entry<'a> {
    pub name: &'a [u8],
    /// The object id's bytes (compared as they are; made an [`Oid`] only where one differs).
    pub id: &'a [u8],
    /// The mode as libgit2's `git_tree_entry_filemode` normalises it.
    pub mode: i32,
}

impl Entry<'_> {
    pub fn oid(&self) -> Oid {
        // Always OID_LEN bytes (see `entries`), which `Oid::from_bytes` accepts.
        Oid::from_bytes(self.id).unwrap_or(Oid::ZERO_SHA1)
    }

    /// A subtree (not a submodule's commit, not a file).
    pub fn is_tree(&self) -> bool {
        self.mode == i32::from(git2::FileMode::Tree)
    }
}

/// The bytes of tree `id`, from this thread's recent trees or the object database.
pub(super) fn read(repo: &Repository, id: Oid) -> Result<Rc<[u8]>, git2::Error> {
    if let Some(bytes) = RECENT.with(|r| r.borrow().get(&id).cloned()) {
        return Ok(bytes);
    }
    let odb = repo.odb()?;
    let object = odb.read(id)?;
    if object.kind() != ObjectType::Tree {
        return Err(git2::Error::from_str(&format!(
            "object {id} is a {}, not a tree",
            object.kind()
        )));
    }
    let bytes: Rc<[u8]> = Rc::from(object.data());
    RECENT.with(|r| {
        let mut recent = r.borrow_mut();
        if recent.len() >= KEPT {
            recent.clear();
        }
        recent.insert(id, Rc::clone(&bytes));
    });
    Ok(bytes)
}

/// Drops this thread's recent trees (at the end of a walk).
pub(super) fn forget() {
    RECENT.with(|r| *r.borrow_mut() = OidMap::default());
}

/// The entries of a tree's bytes (`MODE SP NAME NUL ID`, repeated), in the tree's order.
/// `id` names the tree in the error when the bytes are not a tree.
pub(super) fn entries(id: Oid, bytes: &[u8]) -> Result<Vec<Entry<'_>>, git2::Error> {
    let malformed = || git2::Error::from_str(&format!("tree {id} is malformed"));
    // An entry takes about 30 bytes (a name of ten).
    let mut out = Vec::with_capacity(bytes.len() / 30 + 1);
    let mut rest = bytes;
    while !rest.is_empty() {
        let space = rest.iter().position(|b| *b == b' ').ok_or_else(malformed)?;
        // Octal digits, as libgit2 reads them (zero-padded modes too).
        let mut raw_mode: u32 = 0;
        if space == 0 {
            return Err(malformed());
        }
        for digit in &rest[..space] {
            if !(b'0'..=b'7').contains(digit) {
                return Err(malformed());
            }
            raw_mode = raw_mode
                .checked_mul(8)
                .and_then(|m| m.checked_add(u32::from(digit - b'0')))
                .ok_or_else(malformed)?;
        }
        let after_mode = &rest[space + 1..];
        let nul = after_mode
            .iter()
            .position(|b| *b == 0)
            .ok_or_else(malformed)?;
        let name = &after_mode[..nul];
        let id_bytes = after_mode
            .get(nul + 1..nul + 1 + OID_LEN)
            .ok_or_else(malformed)?;
        out.push(Entry {
            name,
            id: id_bytes,
            mode: normalized_mode(raw_mode),
        });
        rest = &after_mode[nul + 1 + OID_LEN..];
    }
    // git writes a tree's entries sorted, and the walk's diff relies on it; a tree made by
    // hand need not be. Sorted here, such a tree reads as the files it holds, as a checkout
    // would give them, and not as files deleted and added again.
    let by_git_order =
        |a: &Entry<'_>, b: &Entry<'_>| git_order(a.name, a.is_tree(), b.name, b.is_tree());
    if !out.is_sorted_by(|a, b| by_git_order(a, b).is_le()) {
        out.sort_by(by_git_order);
    }
    Ok(out)
}

/// Git's order of tree entries: by name, a tree's name followed by `/`.
pub(super) fn git_order(a: &[u8], a_tree: bool, b: &[u8], b_tree: bool) -> std::cmp::Ordering {
    let n = a.len().min(b.len());
    match a[..n].cmp(&b[..n]) {
        std::cmp::Ordering::Equal => {}
        other => return other,
    }
    let next =
        |name: &[u8], tree: bool| name.get(n).copied().unwrap_or(if tree { b'/' } else { 0 });
    next(a, a_tree).cmp(&next(b, b_tree))
}

/// The length of a SHA-1 object id, as trees store it.
const OID_LEN: usize = 20;

/// A mode as libgit2 reports it for an entry (`normalize_filemode` in its tree.c): a tree, an
/// executable file, a submodule's commit, a symbolic link, or a file.
fn normalized_mode(raw: u32) -> i32 {
    const TYPE: u32 = 0o170000;
    if raw & TYPE == 0o040000 {
        0o040000
    } else if raw & 0o100 != 0 {
        // The owner's execute bit alone, as libgit2's `GIT_PERMS_IS_EXEC`.
        0o100755
    } else if raw & TYPE == 0o160000 {
        0o160000
    } else if raw & TYPE == 0o120000 {
        0o120000
    } else {
        0o100644
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tree written by libgit2 with every kind of entry, read both ways.
    #[test]
    fn entries_are_libgit2s_entries() {
        let dir = tempfile::tempdir().expect("tempdir");
        let repo = Repository::init(dir.path()).expect("init");
        let blob = repo.blob(b"text").expect("blob");
        let other = repo.blob(b"other").expect("blob");
        let mut sub = repo.treebuilder(None).expect("builder");
        sub.insert("inner.md", blob, 0o100644).expect("insert");
        let sub = sub.write().expect("subtree");
        let mut b = repo.treebuilder(None).expect("builder");
        b.insert("a-b", blob, 0o100644).expect("insert");
        b.insert("a", sub, 0o040000).expect("insert");
        b.insert("run.sh", other, 0o100755).expect("insert");
        b.insert("link", other, 0o120000).expect("insert");
        b.insert("vendored", blob, 0o160000).expect("insert");
        b.insert("é.md", blob, 0o100644).expect("insert");
        let id = b.write().expect("tree");
        let tree = repo.find_tree(id).expect("tree");
        let expected: Vec<(Vec<u8>, Oid, i32, bool)> = tree
            .iter()
            .map(|e| {
                let is_tree = e.kind() == Some(ObjectType::Tree);
                (e.name_bytes().to_vec(), e.id(), e.filemode(), is_tree)
            })
            .collect();
        let bytes = read(&repo, id).expect("raw tree");
        let got: Vec<(Vec<u8>, Oid, i32, bool)> = entries(id, &bytes)
            .expect("entries")
            .into_iter()
            .map(|e| (e.name.to_vec(), e.oid(), e.mode, e.is_tree()))
            .collect();
        assert_eq!(got, expected);
        assert_eq!(got.len(), 6);
        // Read again: the same bytes, from this thread's recent trees.
        assert_eq!(read(&repo, id).expect("again"), bytes);
        forget();
    }

    #[test]
    fn a_blob_or_malformed_bytes_are_an_error_not_a_panic() {
        let dir = tempfile::tempdir().expect("tempdir");
        let repo = Repository::init(dir.path()).expect("init");
        let blob = repo.blob(b"100644 x\0short").expect("blob");
        let err = read(&repo, blob).expect_err("a blob is not a tree");
        assert!(err.message().contains("not a tree"), "{}", err.message());
        let id = Oid::ZERO_SHA1;
        for bad in [
            &b"100644 x\0short"[..],
            b"100644 x",
            b"10064x x\0aaaaaaaaaaaaaaaaaaaa",
            b" x\0aaaaaaaaaaaaaaaaaaaa",
            b"777777777777777 x\0aaaaaaaaaaaaaaaaaaaa",
            b"no space at all",
        ] {
            let err = entries(id, bad).expect_err("malformed");
            assert!(err.message().contains("malformed"), "{}", err.message());
        }
        assert_eq!(entries(id, b"").expect("empty tree"), Vec::new());
    }

    #[test]
    fn git_orders_a_tree_as_its_name_with_a_slash() {
        use std::cmp::Ordering::*;
        assert_eq!(git_order(b"a", true, b"a-b", false), Greater); // "a/" > "a-b"
        assert_eq!(git_order(b"a", false, b"a-b", false), Less);
        assert_eq!(git_order(b"a", true, b"a", false), Greater);
        assert_eq!(git_order(b"abc", false, b"abc", false), Equal);
        assert_eq!(git_order(b"b", false, b"a", true), Greater);
    }

    #[test]
    fn a_tree_written_out_of_order_is_read_in_gits_order() {
        let blob = [7u8; OID_LEN];
        let entry = |mode: &str, name: &str| {
            let mut e = format!("{mode} {name}\0").into_bytes();
            e.extend_from_slice(&blob);
            e
        };
        let bytes = [
            entry("100644", "b.md"),
            entry("40000", "a"),
            entry("100644", "a-b"),
        ]
        .concat();
        let names: Vec<&[u8]> = entries(Oid::ZERO_SHA1, &bytes)
            .expect("entries")
            .iter()
            .map(|e| e.name)
            .collect();
        assert_eq!(names, [&b"a-b"[..], b"a", b"b.md"]);
    }

    #[test]
    fn modes_are_normalised_as_libgit2_does() {
        assert_eq!(normalized_mode(0o040000), 0o040000);
        assert_eq!(normalized_mode(0o100664), 0o100644);
        assert_eq!(normalized_mode(0o100755), 0o100755);
        assert_eq!(normalized_mode(0o100700), 0o100755);
        // Only the owner's execute bit makes an executable, as in libgit2.
        assert_eq!(normalized_mode(0o100100), 0o100755);
        assert_eq!(normalized_mode(0o100011), 0o100644);
        assert_eq!(normalized_mode(0o120777), 0o100755);
        assert_eq!(normalized_mode(0o120000), 0o120000);
        assert_eq!(normalized_mode(0o160000), 0o160000);
    }
}
