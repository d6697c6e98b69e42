//! Commit signatures (`[independence] signatures`): which commits must be signed, what their
//! `gpgsig` header proves, and whose key it is in the people.toml of the commit's time.
//!
//! Verification is offline and in-process: SSH signatures (SSHSIG, namespace `git`) with the
//! `ssh-key` crate, OpenPGP signatures with rPGP against the armored keys under keys/. What a
//! signature proves never changes for a commit, so results are cached by commit id (an OpenPGP
//! signature by a key not yet under keys/ is not cached: adding the key changes it).

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use git2::Oid;
use serde::{Deserialize, Serialize};

use super::repo::Gpgsig;
use super::{History, Repo, cache, verify_many};
use crate::independence;
use crate::model::{Isms, KeyId, SignatureMode};

/// What a commit's signature proves.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Seal {
    Unsigned,
    /// The signature verifies with this key.
    Valid(KeyId),
    /// The signature does not verify (the commit was changed after signing, or the signature is
    /// damaged); the key it claims, when known.
    Invalid {
        key: Option<KeyId>,
        reason: String,
    },
    /// An OpenPGP signature by a key that is not under keys/ (its fingerprint or key id).
    UnknownKey(String),
    /// A format isms cannot verify (X.509 from gpgsm or gitsign).
    Unsupported(String),
}

/// Who a valid signature's key belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Signer {
    /// Listed for no one in the people.toml of the commit's time, nor in `platform_keys`.
    Nobody,
    /// Listed for this person (their id).
    Person(String),
    /// In `[independence] platform_keys`: vouches for the author the platform recorded.
    Platform,
}

/// One commit that must be signed: why, and what its signature proves.
#[derive(Clone, Debug)]
pub struct Signed {
    /// The repository paths it changed that require a signature.
    pub paths: Vec<String>,
    pub seal: Seal,
    pub signer: Signer,
}

/// The signatures of the commits that must be signed, by index into the history's commits.
#[derive(Clone, Debug, Default)]
pub struct Signatures {
    pub mode: SignatureMode,
    pub commits: BTreeMap<usize, Signed>,
    /// keys/ files that are not armored OpenPGP public keys: (path, why).
    pub bad_key_files: Vec<(String, String)>,
    /// The commits carrying `Approved-by:` trailers for changes to documents (full hash ->
    /// who signed it, judged by the people.toml before it): whatever the mode, a trailer
    /// counts when the approver's key or a platform key signed the commit that carries it.
    pub carriers: BTreeMap<String, Signer>,
    /// Signatures verified in this run, and taken from the cache.
    pub verified: usize,
    pub cached: usize,
}

impl Signatures {
    pub fn of(&self, commit: usize) -> Option<&Signed> {
        self.commits.get(&commit)
    }

    /// Who validly signed a commit carrying an `Approved-by:` trailer.
    pub fn carrier(&self, commit_id: &str) -> &Signer {
        self.carriers.get(commit_id).unwrap_or(&Signer::Nobody)
    }
}

/// A file under keys/: its path relative to the ISMS root and its bytes.
pub type KeyFile = (String, Vec<u8>);

/// The commits `mode` requires to be signed, with the paths that require it. The staged change
/// cannot be signed yet and is left out.
pub fn required(
    isms: &Isms,
    history: &History,
    mode: SignatureMode,
) -> BTreeMap<usize, Vec<String>> {
    Required::of(isms, history, mode).with_approvals(history)
}

/// The commits that must be signed, known before the approvals are: those changing records,
/// and with `all` those touching an area. Approvals (from the provenance of documents) come
/// last and usually add few commits.
#[derive(Default)]
struct Required {
    /// Nothing is required (`off`).
    none: bool,
    records: BTreeMap<usize, Vec<String>>,
    areas: BTreeMap<usize, Vec<String>>,
}

impl Required {
    fn of(isms: &Isms, history: &History, mode: SignatureMode) -> Required {
        let mut out = Required::default();
        if mode == SignatureMode::Off {
            out.none = true;
            return out;
        }
        let config = isms.config_or_default();
        let ignore_revs = config.independence.ignore_revs_file.as_str();
        let is_record = |repo_path: &str| {
            if repo_path == ".mailmap" {
                return true;
            }
            let Some(rel) = repo_path.strip_prefix(history.prefix()) else {
                return false;
            };
            matches!(rel, "people.toml" | "isms.toml" | "risks.toml")
                || rel == ignore_revs
                || rel.starts_with("audits/")
                || rel.starts_with("findings/")
        };
        for (i, commit) in history.commits().iter().enumerate() {
            if commit.staged {
                continue;
            }
            let paths: Vec<String> = commit
                .changes
                .iter()
                .filter(|c| is_record(&c.path))
                .map(|c| c.path.clone())
                .collect();
            if !paths.is_empty() {
                out.records.insert(i, paths);
            }
        }
        if mode == SignatureMode::All {
            for area in &isms.areas {
                let unit = independence::area_unit(isms, area, history.prefix());
                for (commit, paths) in independence::unit_commits(history, &unit) {
                    for p in paths {
                        add(&mut out.areas, history, commit, p);
                    }
                }
            }
        }
        out
    }

    /// The commits known so far, sorted.
    fn known(&self) -> Vec<usize> {
        let mut out: Vec<usize> = self
            .records
            .keys()
            .chain(self.areas.keys())
            .copied()
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Every commit that must be signed, each with its paths: records first, then approved
    /// documents, then area paths.
    fn with_approvals(self, history: &History) -> BTreeMap<usize, Vec<String>> {
        let mut out = self.records;
        if self.none {
            return out;
        }
        // Approvals: the commits that changed a document's `approved_by`/`approved_on`.
        for (doc, versions) in &history.provenance.approvals {
            for (k, v) in versions.iter().enumerate() {
                let older = versions.get(k + 1).and_then(|o| o.value.as_ref());
                if v.value.is_some() && v.value.as_ref() != older {
                    add(&mut out, history, v.commit, &history.repo_path(doc));
                }
            }
        }
        for (commit, paths) in self.areas {
            for p in &paths {
                add(&mut out, history, commit, p);
            }
        }
        out
    }
}

fn add(out: &mut BTreeMap<usize, Vec<String>>, history: &History, commit: usize, path: &str) {
    if history.commit(commit).staged {
        return;
    }
    let paths = out.entry(commit).or_default();
    if !paths.iter().any(|p| p == path) {
        paths.push(path.to_string());
    }
}

/// The signatures being verified while the rest of the history is read: started by [`start`]
/// once the commits changing records and areas are known, finished by [`finish`].
pub(super) struct Started {
    mode: SignatureMode,
    use_cache: bool,
    required: Required,
    /// The keys under keys/ and the files there that are not keys, when read (not with `off`).
    keys: Option<Keys>,
    /// The cached seals, by full commit id, when read (not with `off`).
    seals: Option<HashMap<String, Seal>>,
    /// The commits being verified (indexes into the history's commits), in the pool's order.
    verifying: Vec<usize>,
    pool: Option<verify_many::Pool>,
    /// The headers the walk read that the pool did not take (commits only approvals require).
    gpgsigs: Vec<Gpgsig>,
}

/// Starts verifying the signatures of the commits known to require one (those changing
/// records or, with `all`, touching an area) on the other cores; [`finish`] adds the rest.
/// Needs the history's ownership (past area paths).
pub(super) fn start(
    repo: &Repo,
    history: &History,
    isms: &Isms,
    key_files: &[KeyFile],
    use_cache: bool,
    mut gpgsigs: Vec<Gpgsig>,
) -> Started {
    let mode = *isms.config_or_default().independence.signatures.get();
    let required = Required::of(isms, history, mode);
    if mode == SignatureMode::Off {
        return Started {
            mode,
            use_cache,
            required,
            keys: None,
            seals: None,
            verifying: Vec::new(),
            pool: None,
            gpgsigs,
        };
    }
    let keys = Keys::read(key_files);
    let seals = cached_seals(repo, use_cache);
    let mut verifying = Vec::new();
    let mut jobs = Vec::new();
    for index in required.known() {
        let commit = history.commit(index);
        if seals.contains_key(&commit.id) {
            continue;
        }
        let Ok(oid) = Oid::from_str(&commit.id) else {
            continue;
        };
        verifying.push(index);
        jobs.push((oid, take_gpgsig(&mut gpgsigs, index)));
    }
    let pool =
        (!jobs.is_empty()).then(|| verify_many::Pool::start(repo, jobs, Arc::clone(&keys.openpgp)));
    Started {
        mode,
        use_cache,
        required,
        keys: Some(keys),
        seals: Some(seals),
        verifying,
        pool,
        gpgsigs,
    }
}

/// Collects the signatures [`start`] began verifying, verifies those of the commits only
/// approvals require and of the commits carrying `Approved-by:` trailers, and names the owner
/// of each key.
pub(super) fn finish(
    started: Started,
    repo: &Repo,
    history: &History,
    isms: &Isms,
    key_files: &[KeyFile],
) -> Signatures {
    let Started {
        mode,
        use_cache,
        required,
        keys,
        seals,
        verifying,
        pool,
        mut gpgsigs,
    } = started;
    let mut out = Signatures {
        mode,
        ..Signatures::default()
    };
    let early = pool.map(|p| p.finish(repo)).unwrap_or_default();
    let mut fresh: HashMap<usize, Seal> = verifying.into_iter().zip(early).collect();
    let required = required.with_approvals(history);
    let carriers = carriers(history);
    if required.is_empty() && carriers.is_empty() {
        return out;
    }
    // Whatever the mode, the carriers' signatures count: the keys and the cache serve them too.
    let keys = keys.unwrap_or_else(|| Keys::read(key_files));
    let seals = seals.unwrap_or_else(|| cached_seals(repo, use_cache));
    out.bad_key_files = keys.bad_files;
    // The commits only approvals require, and the carriers: few, verified now.
    let mut late: Vec<verify_many::Job> = Vec::new();
    let mut late_at: Vec<usize> = Vec::new();
    for &index in required.keys() {
        let id = &history.commit(index).id;
        if fresh.contains_key(&index) || seals.contains_key(id) {
            continue;
        }
        if let Ok(oid) = Oid::from_str(id) {
            late.push((oid, take_gpgsig(&mut gpgsigs, index)));
            late_at.push(index);
        }
    }
    let late_carriers: Vec<Oid> = carriers
        .iter()
        .filter(|oid| !seals.contains_key(&oid.to_string()))
        .copied()
        .collect();
    late.extend(late_carriers.iter().map(|oid| (*oid, Gpgsig::NotRead)));
    let mut late_seals = if late.is_empty() {
        Vec::new().into_iter()
    } else {
        verify_many::Pool::start(repo, late, keys.openpgp)
            .finish(repo)
            .into_iter()
    };
    fresh.extend(late_at.into_iter().zip(late_seals.by_ref()));
    let fresh_carriers: HashMap<Oid, Seal> = late_carriers.into_iter().zip(late_seals).collect();
    let platform: Vec<String> = isms
        .config_or_default()
        .independence
        .platform_keys
        .iter()
        .filter_map(|k| KeyId::parse(k).ok())
        .map(|k| k.fingerprint)
        .collect();
    let mut judge = Judge {
        repo,
        history,
        platform,
        keys_of_version: HashMap::new(),
        seals,
        added: false,
    };
    let people_path = history.repo_path("people.toml");
    for (index, paths) in required {
        let commit = history.commit(index);
        let Ok(oid) = Oid::from_str(&commit.id) else {
            continue;
        };
        let seal = judge.seal(&commit.id, fresh.remove(&index), &mut out);
        let changes_people = commit.changes.iter().any(|c| c.path == people_path);
        // The version before it when it changes people.toml (the one it wrote when there was
        // none before: the founding commit).
        let people = history.people_versions.get(index).map(|v| {
            if changes_people {
                v.before.or(v.at)
            } else {
                v.at
            }
        });
        let signer = judge.signer(&seal, || {
            people.unwrap_or_else(|| people_in_tree(repo, oid, changes_people, &people_path))
        });
        out.commits.insert(
            index,
            Signed {
                paths,
                seal,
                signer,
            },
        );
    }
    // The carriers are judged by the people.toml before them, like commits changing it: no
    // one vouches for an approval with a key listed in the same commit.
    for oid in carriers {
        let id = oid.to_string();
        let seal = judge.seal(&id, fresh_carriers.get(&oid).cloned(), &mut out);
        let signer = judge.signer(&seal, || people_in_tree(repo, oid, true, &people_path));
        out.carriers.insert(id, signer);
    }
    if use_cache && judge.added {
        let _ = save(&cache_path(&repo.git_dir()), &judge.seals);
    }
    out
}

/// Tells what each signature proves and whose key signed it, keeping the seals to cache.
struct Judge<'a> {
    repo: &'a Repo,
    history: &'a History,
    /// The fingerprints of `[independence] platform_keys`.
    platform: Vec<String>,
    /// Fingerprint -> person id, by version of people.toml: each version is read once,
    /// however many commits it judges.
    keys_of_version: HashMap<Oid, HashMap<String, String>>,
    /// By full commit id: those cached, and those verified in this run.
    seals: HashMap<String, Seal>,
    /// Whether this run verified seals to cache.
    added: bool,
}

impl Judge<'_> {
    /// A commit's seal: verified in this run (`fresh`, kept for the cache unless its key may
    /// yet be added under keys/) or taken from the cache; counted in `out`.
    fn seal(&mut self, id: &str, fresh: Option<Seal>, out: &mut Signatures) -> Seal {
        match fresh {
            Some(seal) => {
                out.verified += 1;
                if !matches!(seal, Seal::UnknownKey(_)) {
                    self.seals.insert(id.to_string(), seal.clone());
                    self.added = true;
                }
                seal
            }
            None => {
                out.cached += 1;
                self.seals.get(id).cloned().unwrap_or(Seal::Unsigned)
            }
        }
    }

    /// Who a valid signature's key belongs to: a platform, the person the people.toml of its
    /// time (`people`, looked up only for a valid signature) lists it for, or nobody.
    fn signer(&mut self, seal: &Seal, people: impl FnOnce() -> Option<Oid>) -> Signer {
        match seal {
            Seal::Valid(key) if self.platform.contains(&key.fingerprint) => Signer::Platform,
            // A commit that changes people.toml is judged by the keys listed before it, so no
            // one vouches for themselves with the key they are adding.
            Seal::Valid(key) => people()
                .and_then(|blob| {
                    self.keys_of_version
                        .entry(blob)
                        .or_insert_with(|| listed_keys(self.repo, blob))
                        .get(&key.fingerprint)
                        .cloned()
                })
                // A key listed for someone only by a person who may not list it is refused
                // (IND011): it proves no one.
                .filter(|person| {
                    !self.history.trust.is_refused(&super::Grant::SigningKey {
                        person: person.clone(),
                        key: key.to_string(),
                    })
                })
                .map_or(Signer::Nobody, Signer::Person),
            _ => Signer::Nobody,
        }
    }
}

/// A commit's `gpgsig` header as the walk read it, taken out of `gpgsigs` (not read: a commit
/// from the cache, read from the repository when verified).
fn take_gpgsig(gpgsigs: &mut [Gpgsig], index: usize) -> Gpgsig {
    gpgsigs
        .get_mut(index)
        .map(std::mem::take)
        .unwrap_or_default()
}

/// The armored OpenPGP public keys under keys/, and the files there that are not.
struct Keys {
    openpgp: Arc<Vec<pgp::composed::SignedPublicKey>>,
    /// (path, why)
    bad_files: Vec<(String, String)>,
}

impl Keys {
    fn read(key_files: &[KeyFile]) -> Keys {
        let mut openpgp = Vec::new();
        let mut bad_files = Vec::new();
        for (path, bytes) in key_files {
            match openpgp_key(bytes) {
                Ok(key) => openpgp.push(key),
                Err(why) => bad_files.push((path.clone(), why)),
            }
        }
        Keys {
            openpgp: Arc::new(openpgp),
            bad_files,
        }
    }
}

/// The seals an earlier run cached, by full commit id (none without the cache).
fn cached_seals(repo: &Repo, use_cache: bool) -> HashMap<String, Seal> {
    if use_cache {
        load(&cache_path(&repo.git_dir()))
    } else {
        HashMap::new()
    }
}

/// The people.toml blob in a commit's tree (in its first parent's when it changes
/// people.toml), for a commit whose versions the history does not hold.
fn people_in_tree(
    repo: &Repo,
    commit: Oid,
    changes_people: bool,
    people_path: &str,
) -> Option<Oid> {
    changes_people
        .then(|| repo.blob_in_parent(commit, people_path))
        .flatten()
        .or_else(|| repo.blob_in_commit(commit, people_path))
}

/// The commits carrying `Approved-by:` trailers for changes under documents/, each once,
/// sorted: what DOC004 may count as an approval in review.
fn carriers(history: &History) -> Vec<Oid> {
    let documents = history.repo_path("documents/");
    let mut out: Vec<Oid> = history
        .commits()
        .iter()
        .filter(|c| c.changes.iter().any(|ch| ch.path.starts_with(&documents)))
        .flat_map(|c| c.approvals.iter())
        .filter_map(|a| Oid::from_str(&a.carrier).ok())
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Fingerprint -> person id, from one version of people.toml (entries that do not parse are
/// skipped: the check of HEAD reports them).
fn listed_keys(repo: &Repo, blob: Oid) -> HashMap<String, String> {
    let mut out = HashMap::new();
    let Ok(bytes) = repo.blob(blob) else {
        return out;
    };
    let Ok(table) = toml::from_str::<toml::Table>(&String::from_utf8_lossy(&bytes)) else {
        return out;
    };
    let people = table.get("person").and_then(toml::Value::as_array);
    for person in people.into_iter().flatten() {
        let Some(id) = person.get("id").and_then(toml::Value::as_str) else {
            continue;
        };
        let keys = person.get("signing_keys").and_then(toml::Value::as_array);
        for key in keys.into_iter().flatten().filter_map(toml::Value::as_str) {
            if let Ok(key) = KeyId::parse(key) {
                out.entry(key.fingerprint).or_insert_with(|| id.to_string());
            }
        }
    }
    out
}

/// What a `gpgsig` header (signature, signed data) proves; `None` is an unsigned commit.
pub(super) fn verify(
    signature: Option<(Vec<u8>, Vec<u8>)>,
    openpgp: &[pgp::composed::SignedPublicKey],
) -> Seal {
    let Some((signature, data)) = signature else {
        return Seal::Unsigned;
    };
    let text = String::from_utf8_lossy(&signature);
    let armor = text.trim_start();
    if armor.starts_with("-----BEGIN SSH SIGNATURE-----") {
        verify_ssh(armor, &data)
    } else if armor.starts_with("-----BEGIN PGP SIGNATURE-----") {
        verify_openpgp(armor, &data, openpgp)
    } else if armor.starts_with("-----BEGIN SIGNED MESSAGE-----") {
        Seal::Unsupported("X.509 (gpgsm, or gitsign's Sigstore certificates)".into())
    } else {
        let first = armor.lines().next().unwrap_or("").trim();
        Seal::Unsupported(format!("an unknown signature format (`{first}`)"))
    }
}

fn verify_ssh(armor: &str, data: &[u8]) -> Seal {
    let sig = match ssh_key::SshSig::from_pem(armor) {
        Ok(sig) => sig,
        Err(e) => {
            return Seal::Invalid {
                key: None,
                reason: format!("the SSH signature cannot be read: {e}"),
            };
        }
    };
    let key = KeyId::ssh(sig.public_key());
    if sig.namespace() != "git" {
        return Seal::Invalid {
            key: Some(key),
            reason: format!(
                "the SSH signature is for `{}`, not for git commits",
                sig.namespace()
            ),
        };
    }
    match ssh_key::PublicKey::from(sig.public_key().clone()).verify("git", data, &sig) {
        Ok(()) => Seal::Valid(key),
        Err(_) => Seal::Invalid {
            key: Some(key),
            reason: "the SSH signature does not match the commit: it was changed after signing"
                .into(),
        },
    }
}

fn verify_openpgp(armor: &str, data: &[u8], keys: &[pgp::composed::SignedPublicKey]) -> Seal {
    use pgp::composed::{Deserializable, DetachedSignature};
    use pgp::types::KeyDetails;
    let sig = match DetachedSignature::from_armor_single(armor.as_bytes()) {
        Ok((sig, _)) => sig,
        Err(e) => {
            return Seal::Invalid {
                key: None,
                reason: format!("the OpenPGP signature cannot be read: {e}"),
            };
        }
    };
    let issuers: Vec<Vec<u8>> = sig
        .signature
        .issuer()
        .into_iter()
        .map(|k| k.as_ref().to_vec())
        .collect();
    let issuer_fingerprints: Vec<Vec<u8>> = sig
        .signature
        .issuer_fingerprint()
        .into_iter()
        .map(|f| f.as_bytes().to_vec())
        .collect();
    let matches = |details: &dyn KeyDetails| {
        issuers.contains(&details.key_id().as_ref().to_vec())
            || issuer_fingerprints.contains(&details.fingerprint().as_bytes().to_vec())
    };
    for key in keys {
        let primary = KeyId::openpgp(&hex(key.primary_key.fingerprint().as_bytes()));
        let outcome = if matches(&key.primary_key) {
            Some(sig.verify(&key.primary_key, data))
        } else {
            key.public_subkeys
                .iter()
                .find(|sub| matches(&sub.key))
                .map(|sub| sig.verify(&sub.key, data))
        };
        match outcome {
            Some(Ok(())) => return Seal::Valid(primary),
            Some(Err(_)) => {
                return Seal::Invalid {
                    key: Some(primary),
                    reason: "the OpenPGP signature does not match the commit: it was changed after signing".into(),
                };
            }
            None => {}
        }
    }
    let issuer = issuer_fingerprints
        .first()
        .or(issuers.first())
        .map_or_else(|| "with no issuer".to_string(), |b| hex(b));
    Seal::UnknownKey(issuer)
}

/// An armored OpenPGP public key (`gpg --armor --export`).
fn openpgp_key(bytes: &[u8]) -> Result<pgp::composed::SignedPublicKey, String> {
    use pgp::composed::{Deserializable, SignedPublicKey};
    SignedPublicKey::from_armor_single(bytes)
        .map(|(key, _)| key)
        .map_err(|e| format!("not an armored OpenPGP public key (`gpg --armor --export KEY`): {e}"))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

const FORMAT: &str = "isms-signatures 2";

fn cache_path(git_dir: &Path) -> PathBuf {
    git_dir.join("isms").join("signatures.json")
}

fn load(file: &Path) -> HashMap<String, Seal> {
    cache::read_checked(file, FORMAT)
        .and_then(|body| serde_json::from_slice(&body).ok())
        .unwrap_or_default()
}

fn save(file: &Path, seals: &HashMap<String, Seal>) -> std::io::Result<()> {
    // Sorted, so the same seals write the same bytes.
    let sorted: BTreeMap<&String, &Seal> = seals.iter().collect();
    let body = serde_json::to_vec(&sorted).map_err(std::io::Error::other)?;
    cache::write_checked(file, FORMAT, &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_told_apart() {
        assert_eq!(verify(None, &[]), Seal::Unsigned);
        let x509 = b"-----BEGIN SIGNED MESSAGE-----\nMIAG\n-----END SIGNED MESSAGE-----\n".to_vec();
        assert!(
            matches!(verify(Some((x509, b"tree".to_vec())), &[]), Seal::Unsupported(f) if f.starts_with("X.509"))
        );
        let odd = b"garbage".to_vec();
        assert!(
            matches!(verify(Some((odd, Vec::new())), &[]), Seal::Unsupported(f) if f.contains("`garbage`"))
        );
        let bad_ssh =
            b"-----BEGIN SSH SIGNATURE-----\nAAAA\n-----END SSH SIGNATURE-----\n".to_vec();
        assert!(matches!(
            verify(Some((bad_ssh, Vec::new())), &[]),
            Seal::Invalid { key: None, .. }
        ));
    }
}
