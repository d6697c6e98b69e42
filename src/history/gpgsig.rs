//! Reads a commit's `gpgsig` header from the commit the walk already parsed, so checking
//! signatures does not read every commit object from the object database a second time. The
//! result is what libgit2's `git_commit_extract_signature` gives for the same commit; any commit
//! where that could differ (another header starting with `gpgsig`, such as `gpgsig-sha256`; a
//! message line starting with `gpgsig`, which libgit2 also reads as a signature; a commit with
//! no message) is left to libgit2 ([`Gpgsig::NotRead`]).

use super::repo::Gpgsig;

const FIELD: &[u8] = b"gpgsig";

/// The `gpgsig` header of a commit, from its raw header (every header line, each ending in a
/// newline) and its raw message (what follows the blank line).
pub(super) fn read(header: &[u8], message: &[u8]) -> Gpgsig {
    if message.is_empty() || lines(message).any(|l| l.starts_with(FIELD)) {
        return Gpgsig::NotRead;
    }
    let mut at = 0;
    let mut kept = Vec::new();
    for line in lines(header) {
        if !line.starts_with(FIELD) {
            kept.extend_from_slice(line);
            at += line.len();
            continue;
        }
        let Some(first) = line.strip_prefix(b"gpgsig ") else {
            return Gpgsig::NotRead;
        };
        let mut signature = trim_newline(first).to_vec();
        let mut end = at + line.len();
        for next in lines(&header[end..]) {
            let Some(more) = next.strip_prefix(b" ") else {
                break;
            };
            signature.push(b'\n');
            signature.extend_from_slice(trim_newline(more));
            end += next.len();
        }
        let rest = &header[end..];
        if !line.ends_with(b"\n") || lines(rest).any(|l| l.starts_with(FIELD)) {
            return Gpgsig::NotRead;
        }
        kept.extend_from_slice(rest);
        kept.push(b'\n');
        kept.extend_from_slice(message);
        return Gpgsig::Signed(Box::new((signature, kept)));
    }
    Gpgsig::Unsigned
}

/// The lines of `bytes`, each with its newline.
fn lines(bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    bytes.split_inclusive(|b| *b == b'\n')
}

fn trim_newline(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\n").unwrap_or(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes `object` as a commit and compares what [`read`] makes of it with libgit2's
    /// `extract_signature`: each commit the walk reads must give the same signature and data.
    fn read_and_compare(repo: &git2::Repository, object: &str) -> Gpgsig {
        let odb = repo.odb().expect("odb");
        let id = odb
            .write(git2::ObjectType::Commit, object.as_bytes())
            .expect("written");
        let commit = repo.find_commit(id).expect("a commit");
        let read = read(commit.raw_header_bytes(), commit.message_raw_bytes());
        let libgit2 = repo
            .extract_signature(&id, None)
            .ok()
            .map(|(s, d)| (s.to_vec(), d.to_vec()));
        match (&read, libgit2) {
            (Gpgsig::NotRead, _) => {}
            (Gpgsig::Unsigned, None) => {}
            (Gpgsig::Signed(pair), Some(expected)) => assert_eq!(**pair, expected, "{object}"),
            (read, expected) => panic!("{object}: read {read:?}, libgit2 {expected:?}"),
        }
        read
    }

    #[test]
    fn the_walk_reads_the_signature_libgit2_reads() {
        let dir = tempfile::tempdir().expect("tempdir");
        let repo = git2::Repository::init(dir.path()).expect("a repository");
        let tree = repo
            .treebuilder(None)
            .and_then(|t| t.write())
            .expect("a tree");
        let head = format!(
            "tree {tree}\nauthor A <a@x.example> 1700000000 +0100\n\
             committer C <c@x.example> 1700000001 +0100\n"
        );
        let sig = "gpgsig -----BEGIN SSH SIGNATURE-----\n U1NIU0lHAAAAAQ\n \n -----END SSH SIGNATURE-----\n";
        let signed = |s: &Gpgsig| matches!(s, Gpgsig::Signed(_));
        // Signed, as `git commit -S` writes it: the fast path.
        let plain = read_and_compare(&repo, &format!("{head}{sig}\nSubject\n\nBody\n"));
        assert!(signed(&plain));
        if let Gpgsig::Signed(pair) = &plain {
            assert!(
                pair.0
                    .starts_with(b"-----BEGIN SSH SIGNATURE-----\nU1NIU0lHAAAAAQ\n\n")
            );
            assert_eq!(pair.1, format!("{head}\nSubject\n\nBody\n").into_bytes());
        }
        // Other headers after the signature (a merge's mergetag, an encoding) are signed data.
        let after = format!("{head}encoding ISO-8859-1\n{sig}mergetag object {tree}\n x\n\nM\n");
        assert!(signed(&read_and_compare(&repo, &after)));
        // No message line: still read; a message without a final newline too.
        assert!(signed(&read_and_compare(&repo, &format!("{head}{sig}\nM"))));
        assert_eq!(
            read_and_compare(&repo, &format!("{head}\nUnsigned\n")),
            Gpgsig::Unsigned
        );
        // Left to libgit2: where its reading differs from the header's plain meaning.
        for odd in [
            format!("{head}gpgsig-sha256 -----BEGIN SSH SIGNATURE-----\n x\n{sig}\nM\n"),
            format!("{head}\nM\ngpgsig in the message\n x\n"),
            format!("{head}{sig}\nM\ngpgsig again\n"),
            format!("{head}{sig}"),
            format!("{head}{sig}\n"),
            format!("{head}{sig}{sig}\nM\n"),
        ] {
            assert_eq!(read_and_compare(&repo, &odd), Gpgsig::NotRead, "{odd}");
        }
    }
}
