//! Verifies many commit signatures at once, for `signatures = "all"` on a long history. SSH
//! ed25519 signatures (what `ssh-keygen` makes by default) are checked in batches: one
//! multiscalar equation per batch (`ed25519-dalek` `verify_batch`) costs a fraction of one
//! verification per signature, and each public key is parsed once. A batch that does not hold
//! is verified one signature at a time, so a forged or altered commit is still named exactly,
//! with the reason [`verify`] gives. Every other signature goes through [`verify`] directly.
//!
//! Batch and single verification use the same (cofactorless) equation, and the batch's random
//! weights are derived from its inputs, so the outcome is the same however the signatures are
//! grouped, and the same on every run.

use std::collections::HashMap;

use ssh_key::public::KeyData;

use super::signature::{Seal, verify};
use crate::model::KeyId;

/// A commit's `gpgsig` header and the data it signs; `None` for an unsigned commit.
pub(super) type Header = Option<(Vec<u8>, Vec<u8>)>;

/// Signatures per batch: enough for the multiscalar multiplication to use Pippenger's method
/// (above ~190 points); 1,024 measured no faster. A batch that fails is split (see [`settle`]).
pub(super) const BATCH: usize = 256;

/// A failed batch of at most this many signatures is verified one signature at a time.
const SMALLEST: usize = 8;

/// An SSH ed25519 signature ready for batch verification.
struct Prepared {
    /// Its position in the input.
    index: usize,
    key: usize,
    message: Vec<u8>,
    signature: ed25519_dalek::Signature,
}

/// What each signature proves, in the order of the input.
#[cfg(test)]
pub(super) fn verify_all(
    headers: &[Header],
    openpgp: &[pgp::composed::SignedPublicKey],
) -> Vec<Seal> {
    Verifier::default().verify(headers, openpgp)
}

/// Verifies signatures batch by batch, keeping the public keys it met (parsed, and their point
/// decompressed, once each per thread).
#[derive(Default)]
pub(super) struct Verifier {
    keys: Vec<(KeyId, ed25519_dalek::VerifyingKey)>,
    key_index: HashMap<[u8; 32], Option<usize>>,
}

impl Verifier {
    /// What each signature proves, in the order of the input.
    pub(super) fn verify(
        &mut self,
        headers: &[Header],
        openpgp: &[pgp::composed::SignedPublicKey],
    ) -> Vec<Seal> {
        let mut seals: Vec<Option<Seal>> = vec![None; headers.len()];
        let mut pending = Vec::new();
        for (index, header) in headers.iter().enumerate() {
            match header.as_ref().and_then(|(sig, data)| {
                prepare(index, sig, data, &mut self.keys, &mut self.key_index)
            }) {
                Some(prepared) => pending.push(prepared),
                None => seals[index] = Some(verify(header.clone(), openpgp)),
            }
        }
        let keys = &self.keys;
        for batch in pending.chunks(BATCH) {
            settle(batch, keys, &mut |p, valid| {
                seals[p.index] = Some(if valid {
                    Seal::Valid(keys[p.key].0.clone())
                } else {
                    verify(headers[p.index].clone(), openpgp)
                });
            });
        }
        seals
            .into_iter()
            .zip(headers)
            .map(|(seal, header)| seal.unwrap_or_else(|| verify(header.clone(), openpgp)))
            .collect()
    }
}

/// Reports each signature of `batch` as valid, or as not proven by the batch (to be verified
/// alone): a batch that does not hold is split in halves, down to a few signatures, so one
/// forged commit costs a handful of small batches, not a re-verification of the whole batch.
fn settle(
    batch: &[Prepared],
    keys: &[(KeyId, ed25519_dalek::VerifyingKey)],
    report: &mut impl FnMut(&Prepared, bool),
) {
    let messages: Vec<&[u8]> = batch.iter().map(|p| p.message.as_slice()).collect();
    let signatures: Vec<_> = batch.iter().map(|p| p.signature).collect();
    let verifying: Vec<_> = batch.iter().map(|p| keys[p.key].1).collect();
    if ed25519_dalek::verify_batch(&messages, &signatures, &verifying).is_ok() {
        batch.iter().for_each(|p| report(p, true));
    } else if batch.len() <= SMALLEST {
        batch.iter().for_each(|p| report(p, false));
    } else {
        let (left, right) = batch.split_at(batch.len() / 2);
        settle(left, keys, report);
        settle(right, keys, report);
    }
}

/// The pieces of an SSH ed25519 signature in namespace `git` for batch verification; `None`
/// for anything else (other formats and algorithms, or a signature that cannot be read), which
/// [`verify`] then judges and explains.
fn prepare(
    index: usize,
    signature: &[u8],
    data: &[u8],
    keys: &mut Vec<(KeyId, ed25519_dalek::VerifyingKey)>,
    key_index: &mut HashMap<[u8; 32], Option<usize>>,
) -> Option<Prepared> {
    let armor = std::str::from_utf8(signature).ok()?.trim_start();
    if !armor.starts_with("-----BEGIN SSH SIGNATURE-----") {
        return None;
    }
    let sig = ssh_key::SshSig::from_pem(armor).ok()?;
    let KeyData::Ed25519(public) = sig.public_key() else {
        return None;
    };
    if sig.namespace() != "git"
        || !sig.reserved().is_empty()
        || sig.algorithm() != ssh_key::Algorithm::Ed25519
    {
        return None;
    }
    let key = *key_index.entry(public.0).or_insert_with(|| {
        let verifying = ed25519_dalek::VerifyingKey::from_bytes(&public.0).ok()?;
        keys.push((KeyId::ssh(sig.public_key()), verifying));
        Some(keys.len() - 1)
    });
    let key = key?;
    let signature = ed25519_dalek::Signature::from_slice(sig.signature_bytes()).ok()?;
    let message = ssh_key::SshSig::signed_data("git", sig.hash_alg(), data).ok()?;
    Some(Prepared {
        index,
        key,
        message,
        signature,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ssh_key::{HashAlg, LineEnding, PrivateKey, SshSig, private::Ed25519Keypair};

    fn key(seed: u8) -> PrivateKey {
        PrivateKey::from(Ed25519Keypair::from_seed(&[seed; 32]))
    }

    fn signed(key: &PrivateKey, namespace: &str, data: &[u8]) -> Vec<u8> {
        SshSig::sign(key, namespace, HashAlg::Sha512, data)
            .and_then(|s| s.to_pem(LineEnding::LF))
            .map(String::into_bytes)
            .unwrap_or_default()
    }

    /// 1,100 commits of three authors (five batches), each signed by its author, except: three
    /// altered after signing (two in the second batch, one in the fifth), one signed in another
    /// namespace, one unsigned and one X.509. Batch verification must say exactly what
    /// one-by-one verification says.
    #[test]
    fn a_batch_with_one_forged_signature_names_exactly_that_commit() {
        let keys = [key(1), key(2), key(3)];
        let headers: Vec<Header> = (0..1100)
            .map(|i| {
                let data = format!("tree {i:040}\nauthor a <a@x> {i} +0000\n\nChange {i}\n");
                let key = &keys[i % 3];
                match i {
                    300 | 400 | 1050 => Some((
                        signed(key, "git", data.as_bytes()),
                        data.replace("Change", "Altered").into_bytes(),
                    )),
                    301 => Some((signed(key, "file", data.as_bytes()), data.into_bytes())),
                    302 => None,
                    303 => Some((
                        b"-----BEGIN SIGNED MESSAGE-----\nMIAG\n-----END SIGNED MESSAGE-----\n"
                            .to_vec(),
                        data.into_bytes(),
                    )),
                    _ => Some((signed(key, "git", data.as_bytes()), data.into_bytes())),
                }
            })
            .collect();
        let batched = verify_all(&headers, &[]);
        let one_by_one: Vec<Seal> = headers.iter().map(|h| verify(h.clone(), &[])).collect();
        assert_eq!(batched, one_by_one);
        let not_valid: Vec<usize> = batched
            .iter()
            .enumerate()
            .filter(|(_, s)| !matches!(s, Seal::Valid(_)))
            .map(|(i, _)| i)
            .collect();
        assert_eq!(not_valid, vec![300, 301, 302, 303, 400, 1050]);
        assert!(
            matches!(&batched[300], Seal::Invalid { key: Some(k), reason }
            if *k == KeyId::ssh(keys[0].public_key().key_data()) && reason.contains("changed after signing"))
        );
        // Each valid seal names its signer's key.
        assert_eq!(
            batched[1099],
            Seal::Valid(KeyId::ssh(keys[1099 % 3].public_key().key_data()))
        );
    }
}
