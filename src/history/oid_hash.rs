//! Maps keyed by object ids, hashed cheaply: an id is already the output of a
//! cryptographic hash, so hashing it again with the standard library's SipHash (a fifth of the
//! cost of the walk's tree cache and the commit graph's lookups) buys nothing. The order of
//! such a map is never output: every caller looks up, never iterates into a result.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A map keyed by object ids.
pub(crate) type OidMap<K, V> = HashMap<K, V, BuildHasherDefault<OidHasher>>;

/// Folds the bytes written into one word, eight at a time, with a multiply to spread them
/// (the mix of rustc's `FxHasher`): for an id's uniformly distributed bytes, as good as any.
#[derive(Default, Clone, Copy)]
pub(crate) struct OidHasher(u64);

/// An odd constant with bits spread over the word (rustc's `FxHasher` uses it).
const SPREAD: u64 = 0x517c_c1b7_2722_0a95;

impl OidHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(SPREAD);
    }
}

impl Hasher for OidHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use git2::Oid;

    #[test]
    fn ids_that_differ_anywhere_hash_apart_and_lookups_work() {
        let id = |bytes: [u8; 20]| Oid::from_bytes(&bytes).expect("an id");
        let hash = |oid: Oid| {
            let mut h = OidHasher::default();
            std::hash::Hash::hash(&oid, &mut h);
            h.finish()
        };
        let mut last_byte = [0u8; 20];
        last_byte[19] = 1;
        let mut first_byte = [0u8; 20];
        first_byte[0] = 1;
        let zero = id([0; 20]);
        assert_ne!(hash(zero), hash(id(last_byte)));
        assert_ne!(hash(zero), hash(id(first_byte)));
        assert_ne!(hash(id(first_byte)), hash(id(last_byte)));
        let mut map: OidMap<Oid, usize> = OidMap::default();
        for n in 0..=255u8 {
            map.insert(id([n; 20]), usize::from(n));
        }
        assert_eq!(map.len(), 256);
        assert!((0..=255u8).all(|n| map[&id([n; 20])] == usize::from(n)));
        assert!(!map.contains_key(&id(last_byte)));
    }
}
