//! Fixed hashes (the same on every run and machine) for words and texts.

/// The SplitMix64 finaliser: scrambles the bits of a 64-bit value.
#[inline]
pub const fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// A hash of some bytes, eight at a time (a word, a whole answer).
pub fn bytes_hash(bytes: &[u8]) -> u64 {
    let mut h = bytes.len() as u64;
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let mut b = [0u8; 8];
        b.copy_from_slice(chunk);
        h = mix(h ^ u64::from_le_bytes(b));
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut b = [0u8; 8];
        b[..rest.len()].copy_from_slice(rest);
        h = mix(h ^ u64::from_le_bytes(b));
    }
    h
}

/// A 4,096-bit Bloom filter of hashes (one bit each, from the hash's low 12 bits): in front of
/// a small set that nearly every lookup misses, one bit settles most lookups.
#[derive(Debug, Clone)]
pub struct Bloom(Box<[u64; 64]>);

impl Default for Bloom {
    fn default() -> Self {
        Bloom(Box::new([0; 64]))
    }
}

impl Bloom {
    pub fn insert(&mut self, h: u64) {
        self.0[(h >> 6) as usize % 64] |= 1 << (h & 63);
    }

    /// False: `h` was never inserted. True: it may have been.
    pub fn may_contain(&self, h: u64) -> bool {
        self.0[(h >> 6) as usize % 64] & (1 << (h & 63)) != 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_fixed_and_tell_texts_apart() {
        // Fixed values: the same on every run and machine.
        assert_eq!(bytes_hash(b""), 0);
        assert_eq!(bytes_hash(b"patronage"), bytes_hash(b"patronage"));
        let hashes: std::collections::HashSet<u64> = ["a", "b", "ab", "ba", "patronage", "patronages", "patronage\0"]
            .iter()
            .map(|w| bytes_hash(w.as_bytes()))
            .collect();
        assert_eq!(hashes.len(), 7);
        assert_ne!(mix(0), 0);
    }

    #[test]
    fn bloom_never_forgets_and_mostly_says_no() {
        let mut b = Bloom::default();
        let inserted: Vec<u64> = (0..100).map(mix).collect();
        inserted.iter().for_each(|&h| b.insert(h));
        assert!(inserted.iter().all(|&h| b.may_contain(h)));
        let false_positives = (1000..11_000).filter(|&i| b.may_contain(mix(i))).count();
        assert!(false_positives < 500, "{false_positives} of 10,000");
    }
}
