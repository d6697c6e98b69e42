//! Whether the identity behind records is proven by signatures or asserted by author emails,
//! in words: per record for the site, per person for `isms independence`. Reads the verified
//! signatures of the history; judging them is IND014-IND016's job.

use std::collections::{BTreeMap, BTreeSet};

use crate::history::{History, Resolver, Seal, Signer, Who};
use crate::model::{Isms, SignatureMode};

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
    /// The keys that signed them, as `ed25519 SHA256:...`.
    pub keys: BTreeSet<String>,
}

/// Per person id, the commits attributed to them that had to be signed.
pub fn by_person(isms: &Isms, history: &History) -> BTreeMap<String, PersonSigning> {
    let resolver = Resolver::new(isms, Some(history));
    let mut out: BTreeMap<String, PersonSigning> = BTreeMap::new();
    for (&index, signed) in &history.signatures.commits {
        let Who::Person(person) = resolver.author(history.commit(index)) else {
            continue;
        };
        let entry = out.entry(person.id.to_string()).or_default();
        entry.required += 1;
        if let Seal::Valid(key) = &signed.seal {
            let own = matches!(&signed.signer, Signer::Person(p) if p == person.id.as_str());
            if own || signed.signer == Signer::Platform {
                entry.proven += 1;
                entry.keys.insert(key.to_string());
            }
        }
    }
    out
}
