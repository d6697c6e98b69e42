//! Whether the identity behind records is proven by signatures or asserted by author emails,
//! in words: per record for the site, per person for `isms independence`. Reads the verified
//! signatures of the history; judging them is IND014-IND016's job.

use std::collections::BTreeMap;

use crate::history::{History, Resolver, Seal, Signer, Who};
use crate::model::{Isms, Person, SignatureMode};

/// `"signed"` when `[independence] signatures` requires signatures, else `"asserted"`.
pub fn identity(isms: &Isms) -> &'static str {
    match *isms.config_or_default().independence.signatures.get() {
        SignatureMode::Off => "asserted",
        SignatureMode::Records | SignatureMode::All => "signed",
    }
}

/// What the signature of a commit that had to be signed proves, in words
/// (`signed by dave, ed25519 SHA256:...`), and whether it proves the person the commit is
/// attributed to; `None` when the commit did not have to be signed.
pub fn seal_text(isms: &Isms, history: &History, commit: usize) -> Option<(bool, String)> {
    let signed = history.signatures.of(commit)?;
    let attributed = match Resolver::new(isms, Some(history)).author(history.commit(commit)) {
        Who::Person(person) => Some(person.id.as_str()),
        _ => None,
    };
    Some(match (&signed.seal, &signed.signer) {
        (Seal::Valid(key), Signer::Person(p)) => match attributed {
            Some(author) if author != p => (
                false,
                format!("signed by {p}, {key}, but attributed to {author}"),
            ),
            _ => (true, format!("signed by {p}, {key}")),
        },
        (Seal::Valid(key), Signer::Platform) => (true, format!("signed by the platform key {key}")),
        (Seal::Valid(key), Signer::Nobody) => {
            (false, format!("signed with {key}, a key listed for no one"))
        }
        (Seal::Unsigned, _) => (false, "not signed".into()),
        (Seal::Invalid { .. }, _) => (false, "signature does not verify".into()),
        (Seal::UnknownKey(issuer), _) => (
            false,
            format!("signed with the OpenPGP key {issuer}, not under keys/"),
        ),
        (Seal::Unsupported(format), _) => (
            false,
            format!("signed in {format}, which cannot be verified"),
        ),
    })
}

/// A person's commits that had to be signed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PersonSigning {
    pub required: usize,
    /// Signed by a key listed for them (or a platform key vouching for them).
    pub proven: usize,
    /// The keys whose valid signatures their commits carry (as `ed25519 SHA256:...`) with
    /// whose each was when it signed, and how many commits it signed: their own keys first,
    /// then platform keys, then others' (forgeries, IND015).
    pub keys: BTreeMap<(KeyOwner, String), usize>,
}

/// Whose a key was, per the committed people.toml in effect for the commit it signed.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum KeyOwner {
    /// The person the commits are attributed to.
    Own,
    /// A key of `[independence] platform_keys`, vouching for the author the platform recorded.
    Platform,
    /// Another person's key (their id): the commits are forged (IND015).
    Other(String),
    /// Listed for no one then (IND015).
    Nobody,
}

impl KeyOwner {
    /// Whether its signatures prove the person the commits are attributed to.
    pub fn proves(&self) -> bool {
        matches!(self, KeyOwner::Own | KeyOwner::Platform)
    }

    /// `their key`, `platform key`, `erin's key`, `listed for no one`.
    pub fn text(&self) -> String {
        match self {
            KeyOwner::Own => "their key".into(),
            KeyOwner::Platform => "platform key".into(),
            KeyOwner::Other(person) => format!("{person}'s key"),
            KeyOwner::Nobody => "listed for no one".into(),
        }
    }
}

/// Every auditor of people.toml, in its order, with their commits that had to be signed.
pub fn auditors<'i>(isms: &'i Isms, history: &History) -> Vec<(&'i Person, PersonSigning)> {
    let mut per_person = by_person(isms, history);
    isms.people
        .iter()
        .filter(|p| *p.auditor.get())
        .map(|p| (p, per_person.remove(p.id.as_str()).unwrap_or_default()))
        .collect()
}

/// Per person id, the commits attributed to them that had to be signed.
fn by_person(isms: &Isms, history: &History) -> BTreeMap<String, PersonSigning> {
    let resolver = Resolver::new(isms, Some(history));
    let mut out: BTreeMap<String, PersonSigning> = BTreeMap::new();
    for (&index, signed) in &history.signatures.commits {
        let Who::Person(person) = resolver.author(history.commit(index)) else {
            continue;
        };
        let entry = out.entry(person.id.to_string()).or_default();
        entry.required += 1;
        let Seal::Valid(key) = &signed.seal else {
            continue;
        };
        let owner = match &signed.signer {
            Signer::Person(p) if p == person.id.as_str() => KeyOwner::Own,
            Signer::Person(p) => KeyOwner::Other(p.clone()),
            Signer::Platform => KeyOwner::Platform,
            Signer::Nobody => KeyOwner::Nobody,
        };
        if owner.proves() {
            entry.proven += 1;
        }
        *entry.keys.entry((owner, key.to_string())).or_default() += 1;
    }
    out
}
