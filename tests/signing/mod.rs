//! Signed commits for the signature tests: SSH keys made in-process from fixed seeds (same
//! keys, same signatures, same hashes: diagnostics can be snapshot-tested), OpenPGP keys made
//! with the `gpg` CLI in a temporary GNUPGHOME, and commits written with a `gpgsig` header as
//! `git commit -S` writes them.
#![allow(dead_code)]

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use git2::{Oid, Signature};
use ssh_key::{HashAlg, LineEnding, PrivateKey, SshSig, private::Ed25519Keypair};

use crate::gitrepo::{TestRepo, time};

/// An SSH ed25519 key made from a fixed seed.
pub struct SshKey(PrivateKey);

impl SshKey {
    pub fn from_seed(seed: u8) -> Self {
        SshKey(PrivateKey::from(Ed25519Keypair::from_seed(&[seed; 32])))
    }

    /// The public key line, as in `id_ed25519.pub`.
    pub fn line(&self, comment: &str) -> String {
        let mut public = self.0.public_key().clone();
        public.set_comment(comment);
        public.to_openssh().expect("openssh line")
    }

    pub fn fingerprint(&self) -> String {
        self.0.public_key().fingerprint(HashAlg::Sha256).to_string()
    }

    /// An SSHSIG of `data` in namespace `git`, armored, as `ssh-keygen -Y sign -n git` makes.
    pub fn sign(&self, data: &[u8]) -> String {
        self.sign_in("git", data)
    }

    pub fn sign_in(&self, namespace: &str, data: &[u8]) -> String {
        SshSig::sign(&self.0, namespace, HashAlg::Sha512, data)
            .expect("sign")
            .to_pem(LineEnding::LF)
            .expect("pem")
    }
}

/// An OpenPGP key made by `gpg` in its own home folder.
pub struct GpgKey {
    home: tempfile::TempDir,
    pub fingerprint: String,
}

impl GpgKey {
    /// A new ed25519 signing key for `uid`. Needs `gpg` (Debian's gnupg; `.ci/run` installs it).
    pub fn new(uid: &str) -> Self {
        let home = tempfile::tempdir().expect("tempdir");
        let out = gpg(home.path())
            .args(["--quick-gen-key", uid, "ed25519", "sign", "never"])
            .output()
            .expect("gpg is installed (apt-get install gnupg)");
        assert!(
            out.status.success(),
            "gpg: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let list = gpg(home.path())
            .args(["--with-colons", "--list-keys", uid])
            .output()
            .expect("gpg");
        let text = String::from_utf8_lossy(&list.stdout).into_owned();
        let fingerprint = text
            .lines()
            .find_map(|l| l.strip_prefix("fpr:"))
            .and_then(|l| l.split(':').find(|f| f.len() == 40))
            .expect("a fingerprint")
            .to_string();
        Self { home, fingerprint }
    }

    /// `gpg --armor --export`.
    pub fn armored(&self) -> String {
        let out = gpg(self.home.path())
            .args(["--armor", "--export", &self.fingerprint])
            .output()
            .expect("gpg");
        String::from_utf8(out.stdout).expect("armor")
    }

    /// A detached armored signature, as git asks gpg for one.
    pub fn sign(&self, data: &[u8]) -> String {
        let mut child = gpg(self.home.path())
            .args(["--detach-sign", "--armor", "-u", &self.fingerprint])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("gpg");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(data)
            .expect("write");
        let out = child.wait_with_output().expect("gpg");
        assert!(out.status.success());
        String::from_utf8(out.stdout).expect("armor")
    }
}

fn gpg(home: &Path) -> Command {
    let mut cmd = Command::new("gpg");
    cmd.env("GNUPGHOME", home).args([
        "--batch",
        "--quiet",
        "--pinentry-mode",
        "loopback",
        "--passphrase",
        "",
    ]);
    cmd
}

/// Commits the working tree as `who` on `date`, with the signature `sign` makes of the commit
/// (no `gpgsig` header when it returns `None`), and moves HEAD to it.
pub fn commit_signed(
    repo: &TestRepo,
    who: (&str, &str),
    date: &str,
    message: &str,
    sign: impl FnOnce(&[u8]) -> Option<String>,
) -> Oid {
    let buffer = commit_buffer(repo, who, date, message);
    write_signed(repo, &buffer, sign)
}

/// Writes the commit `buffer` with the signature `sign` makes of it (no `gpgsig` header when
/// it returns `None`) and moves HEAD to it.
fn write_signed(repo: &TestRepo, buffer: &str, sign: impl FnOnce(&[u8]) -> Option<String>) -> Oid {
    let oid = match sign(buffer.as_bytes()) {
        Some(signature) => repo
            .repo
            .commit_signed(buffer, &signature, None)
            .expect("commit"),
        None => repo
            .repo
            .odb()
            .expect("odb")
            .write(git2::ObjectType::Commit, buffer.as_bytes())
            .expect("commit"),
    };
    repo.advance(oid);
    oid
}

/// A commit signed over one message and written with another: what changing a signed commit
/// (`git commit --amend` without re-signing, or editing the object) leaves.
pub fn commit_tampered(
    repo: &TestRepo,
    who: (&str, &str),
    date: &str,
    signed_message: &str,
    message: &str,
    sign: impl FnOnce(&[u8]) -> String,
) -> Oid {
    let signature = sign(commit_buffer(repo, who, date, signed_message).as_bytes());
    let buffer = commit_buffer(repo, who, date, message);
    let oid = repo
        .repo
        .commit_signed(&buffer, &signature, None)
        .expect("commit");
    repo.advance(oid);
    oid
}

fn commit_buffer(repo: &TestRepo, who: (&str, &str), date: &str, message: &str) -> String {
    let tree = repo.stage();
    let tree = repo.repo.find_tree(tree).expect("tree");
    let sig = Signature::new(who.0, who.1, &time(date)).expect("signature");
    let parent = repo
        .repo
        .head()
        .ok()
        .and_then(|h| h.target())
        .map(|p| repo.repo.find_commit(p).expect("parent"));
    let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
    let buf = repo
        .repo
        .commit_create_buffer(&sig, &sig, message, &tree, &parents)
        .expect("buffer");
    String::from_utf8(buf.to_vec()).expect("utf-8")
}

/// Commits `tree` with `parents` as `author`, committed by `committer`, both on `date`, with
/// the signature `sign` makes of the commit (none when it returns `None`), and moves HEAD to
/// it: a squash or merge made by a platform or by a maintainer for someone else.
pub fn commit_signed_by(
    repo: &TestRepo,
    author: (&str, &str),
    committer: (&str, &str),
    date: &str,
    message: &str,
    parents: &[Oid],
    sign: impl FnOnce(&[u8]) -> Option<String>,
) -> Oid {
    let tree = repo.stage();
    let tree = repo.repo.find_tree(tree).expect("tree");
    let author = Signature::new(author.0, author.1, &time(date)).expect("signature");
    let committer = Signature::new(committer.0, committer.1, &time(date)).expect("signature");
    let parents: Vec<git2::Commit<'_>> = parents
        .iter()
        .map(|p| repo.repo.find_commit(*p).expect("parent"))
        .collect();
    let refs: Vec<&git2::Commit<'_>> = parents.iter().collect();
    let buffer = repo
        .repo
        .commit_create_buffer(&author, &committer, message, &tree, &refs)
        .expect("buffer");
    let buffer = String::from_utf8(buffer.to_vec()).expect("utf-8");
    write_signed(repo, &buffer, sign)
}
