//! Key hashes as map keys, and the documents' key frequencies.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::features::Features;

/// Keys are already well-mixed 64-bit hashes: hashing them again would only cost time.
#[derive(Default)]
pub struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }

    fn write_u64(&mut self, key: u64) {
        self.0 = key;
    }
}

/// A map keyed by key hashes, which need no hashing again.
pub type KeyMap<V> = HashMap<u64, V, BuildHasherDefault<KeyHasher>>;

/// Document frequencies of keys.
pub type KeyCounts = KeyMap<u32>;

/// Document frequencies of the source's and the target's keys, the target's keys named as
/// `translate` names them (its linked words counted as their source partners).
pub fn frequencies(
    src: &[Features],
    tgt: &[Features],
    translate: impl Fn(u64) -> u64 + Send,
) -> (KeyCounts, KeyCounts) {
    // The two sides at once: on a long book each is a serial fifth of a second or more.
    rayon::join(
        || document_frequency(src, |hash| hash),
        || document_frequency(tgt, translate),
    )
}

/// How many units hold each key, as `translate` names it.
pub fn document_frequency(units: &[Features], translate: impl Fn(u64) -> u64) -> KeyCounts {
    let mut df = KeyCounts::default();
    for unit in units {
        for key in &unit.keys {
            *df.entry(translate(key.hash())).or_insert(0) += 1;
        }
    }
    df
}
