//! Fixed hashes (the same on every run and machine) for words and texts.

/// The SplitMix64 finaliser: scrambles the bits of a 64-bit value.
#[inline]
pub fn mix(mut x: u64) -> u64 {
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
}
