//! Near-duplicate answers: pairs of answers that share suspiciously much of their wording.
//!
//! Each answer becomes the set of its word 3-shingles (every run of three consecutive
//! normalised words, hashed to 64 bits; Markdown markup is already masked). Shingles that occur
//! in the rubric's title or questions are removed first, so that students who copy the questions
//! into their answers are not flagged for it. Answers with fewer than [`MIN_SHINGLES`] shingles
//! left are too short to judge and are not compared.
//!
//! Comparing every pair would cost n² for n answers. Instead each set gets a MinHash signature
//! ([`HASHES`] bins, by one-permutation hashing), and the signature is cut into bands of `r`
//! values (locality-sensitive hashing): two answers become candidates only when they agree on a
//! whole band. The number of bands is chosen from the threshold so that a pair at the threshold
//! becomes a candidate with probability at least 99.5% (higher for more similar pairs).
//! Candidates are then verified with the Jaccard similarity of their shingle sets, kept per
//! answer as at most [`WHOLE`] 16-bit hashes ([`Sketch`]: a few hundred bytes, whatever the
//! batch's size). Answers with identical shingle sets are grouped first, so a batch with many
//! copies of one text does not make the candidate lists blow up. Everything is deterministic:
//! fixed hash functions, sorted orders.

use rustc_hash::FxHashSet as HashSet;

use rayon::prelude::*;
use smallvec::SmallVec;

/// Words per shingle.
pub const SHINGLE_WORDS: usize = 3;
/// Hash functions in a MinHash signature.
pub const HASHES: usize = 128;
/// Answers with fewer shingles than this (after removing the rubric's own wording) are not
/// compared.
pub const MIN_SHINGLES: usize = 5;
/// Bands whose keys are laid out at once in the search.
const BANDS_AT_ONCE: usize = 7;
/// Smallest probability of becoming a candidate for a pair exactly at the threshold.
const RECALL: f64 = 0.995;

/// Two answers (indices into the list given, `a < b`) and their similarity.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pair {
    pub a: usize,
    pub b: usize,
    /// Exact Jaccard similarity of the shingle sets, 0 to 1.
    pub similarity: f64,
}

/// How much work the search did (for tests and curiosity).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Distinct shingle sets compared (after grouping identical ones).
    pub distinct: usize,
    /// Candidate pairs of distinct sets, after banding (less pairs of whole sets whose sizes
    /// alone rule them out).
    pub candidates: usize,
}

use crate::text::confusables::skeleton;
use crate::text::hash::{Bloom, bytes_hash, mix};

/// The shingles of a run of (normalised) words: sorted, distinct hashes of each
/// [`SHINGLE_WORDS`] consecutive words (one shingle of all the words when there are fewer), less
/// `exclude`. Words are compared by their look-alike skeletons (`skeleton`): a copy with
/// Cyrillic or Greek letters put for Latin ones has the same shingles as the original.
pub fn shingles<'a>(words: impl IntoIterator<Item = &'a str>, exclude: &Template) -> Vec<u64> {
    shingles_of(words.into_iter().map(|w| bytes_hash(skeleton(w).as_bytes())), exclude)
}

/// [`shingles`] from the words' hashes (`bytes_hash` of each normalised word's `skeleton`,
/// as a token's `hash` keeps it).
pub fn shingles_of(hashes: impl IntoIterator<Item = u64>, exclude: &Template) -> Vec<u64> {
    let hashes = hashes.into_iter();
    let mut out = Vec::with_capacity(hashes.size_hint().0);
    let mut last = [0u64; SHINGLE_WORDS];
    let mut n = 0usize;
    for h in hashes {
        last.copy_within(1.., 0);
        last[SHINGLE_WORDS - 1] = h;
        n += 1;
        if n >= SHINGLE_WORDS {
            let s = shingle_hash(&last);
            if !exclude.contains(s) {
                out.push(s);
            }
        }
    }
    if n > 0 && n < SHINGLE_WORDS {
        let s = shingle_hash(&last[SHINGLE_WORDS - n..]);
        if !exclude.contains(s) {
            out.push(s);
        }
    }
    sort_hashes(&mut out);
    out.dedup();
    out
}

/// One stable counting pass of [`sort_hashes`]: `from` into `to` by the byte at `shift`.
fn counting_pass(from: &[u64], to: &mut [u64], shift: u32) {
    let mut count = [0u32; 256];
    for &x in from {
        count[(x >> shift) as usize & 0xFF] += 1;
    }
    let mut at = 0u32;
    for c in count.iter_mut() {
        let here = *c;
        *c = at;
        at += here;
    }
    for &x in from {
        let d = (x >> shift) as usize & 0xFF;
        to[count[d] as usize] = x;
        count[d] += 1;
    }
}

/// Sorts an answer's shingle hashes (about a hundred well-mixed integers): by their top 16
/// bits with two counting passes, then each run with the same top bits (nearly always one
/// hash) by the rest. The same order as a comparison sort, without its unpredictable branches.
fn sort_hashes(v: &mut [u64]) {
    if v.len() < 32 || v.len() > 4096 {
        v.sort_unstable();
        return;
    }
    // Two stable passes, one byte each: into `tmp`, and back.
    let mut tmp = vec![0u64; v.len()];
    counting_pass(v, &mut tmp, 48);
    counting_pass(&tmp, v, 56);
    for run in v.chunk_by_mut(|a, b| a >> 48 == b >> 48) {
        if run.len() > 1 {
            run.sort_unstable();
        }
    }
}

/// The hash of a run of words from their hashes: each word's hash turned by its place (so
/// that order counts), the lot mixed once.
#[inline]
fn shingle_hash(words: &[u64]) -> u64 {
    let h = words
        .iter()
        .enumerate()
        .fold(words.len() as u64, |h, (i, &x)| h ^ x.rotate_left(21 * i as u32));
    mix(h)
}

/// Shingles to leave out of the comparison: those of texts every student was given.
#[derive(Debug, Clone, Default)]
pub struct Template {
    set: HashSet<u64>,
    /// The set as a Bloom filter: nearly every answer shingle is settled by one bit.
    bloom: Bloom,
}

impl Template {
    pub fn contains(&self, shingle: u64) -> bool {
        self.bloom.may_contain(shingle) && self.set.contains(&shingle)
    }

    fn insert(&mut self, shingle: u64) {
        self.bloom.insert(shingle);
        self.set.insert(shingle);
    }

    pub fn len(&self) -> usize {
        self.set.len()
    }

    pub fn is_empty(&self) -> bool {
        self.set.is_empty()
    }
}

/// The shingles of texts every student was given (the rubric's title and questions), to leave
/// out of the comparison.
pub fn template_shingles<'a>(texts: impl IntoIterator<Item = &'a str>) -> Template {
    let mut template = Template::default();
    let none = Template::default();
    for t in texts {
        let words = crate::text::tokens::words(t);
        for s in shingles(words.iter().map(String::as_str), &none) {
            template.insert(s);
        }
    }
    template
}

/// Exact Jaccard similarity of two sorted, distinct sets.
pub fn jaccard<T: Ord + Copy>(a: &[T], b: &[T]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    // A merge without branches on the data: hundreds of thousands of pairs can be candidates.
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        let (x, y) = (a[i], b[j]);
        common += usize::from(x == y);
        i += usize::from(x <= y);
        j += usize::from(y <= x);
    }
    common as f64 / (a.len() + b.len() - common) as f64
}

/// Bands and rows per band for a threshold: the most rows (fewest false candidates) that still
/// catch a pair at the threshold with probability `RECALL`.
pub fn banding(threshold: f64) -> (usize, usize) {
    let t = threshold.clamp(0.0, 1.0);
    for rows in (1..=16).rev() {
        let bands = HASHES / rows;
        if 1.0 - (1.0 - t.powi(rows as i32)).powi(bands as i32) >= RECALL {
            return (bands, rows);
        }
    }
    (HASHES, 1)
}

/// [`banding`], remembered for the last threshold (every answer of a batch asks for the same).
fn banding_cached(threshold: f64) -> (usize, usize) {
    thread_local! {
        static LAST: std::cell::Cell<Option<(u64, (usize, usize))>> = const { std::cell::Cell::new(None) };
    }
    LAST.with(|last| match last.get() {
        Some((t, b)) if t == threshold.to_bits() => b,
        _ => {
            let b = banding(threshold);
            last.set(Some((threshold.to_bits(), b)));
            b
        }
    })
}

/// A MinHash signature of a non-empty set, by one-permutation hashing: each shingle is hashed
/// once, the hash picks one of [`HASHES`] bins and each bin keeps its smallest value; an empty
/// bin borrows the value of a filled bin chosen by a fixed pseudo-random probe sequence
/// ("optimal densification", Shrivastava 2017), which keeps the probability that two sets
/// agree on a bin equal to their Jaccard similarity. The cost is one hash per shingle, not
/// one per shingle and bin.
/// Also gives the sum of the shingles' hashes (a hash of the set when they are distinct).
fn signature(set: &[u64]) -> ([u32; HASHES], u64) {
    const EMPTY: u32 = u32::MAX;
    let mut bins = [EMPTY; HASHES];
    // Which bins have a shingle: one byte each (read by the probes), and one bit each (to find
    // the empty ones), in two halves (shifting a 128-bit integer costs several instructions).
    let mut filled = [0u8; HASHES];
    let mut bits = [0u64; 2];
    let mut sum = 0u64;
    for &s in set {
        let h = mix(s ^ 0x5851_f42d_4c95_7f2d);
        sum = sum.wrapping_add(h);
        let bin = (h >> 57) as usize % HASHES;
        filled[bin] = 1;
        bits[bin >> 6] |= 1 << (bin & 63);
        bins[bin] = bins[bin].min(h as u32);
    }
    let Some(first) = filled.iter().position(|&f| f == 1) else {
        return (bins, sum);
    };
    let mut out = bins;
    for (half, &b) in bits.iter().enumerate() {
        let mut empty = !b;
        while empty != 0 {
            let i = half * 64 + empty.trailing_zeros() as usize;
            empty &= empty - 1;
            // The first of the bin's first probes that is filled, found without a branch per
            // probe (about 3 in 5 bins are filled: a branch per probe is mispredicted half the
            // time).
            let probes = &PROBES[i];
            let mut hit = 0u32;
            for (k, &j) in probes.iter().enumerate() {
                hit |= u32::from(filled[usize::from(j)]) << k;
            }
            out[i] = if hit != 0 {
                bins[usize::from(probes[hit.trailing_zeros() as usize])]
            } else {
                let from = (PROBE_DEPTH as u64..256)
                    .map(|attempt| probe(i, attempt))
                    .find(|&j| filled[j] == 1)
                    .unwrap_or(first);
                bins[from]
            };
        }
    }
    (out, sum)
}

/// The bin that empty bin `i` borrows from at its `attempt`th try (if that bin is filled).
const fn probe(i: usize, attempt: u64) -> usize {
    (mix((i as u64) << 16 | attempt) >> 57) as usize % HASHES
}

/// Weights of a band's rows in its key ([`sketch`]): distinct odd numbers.
static ROW_WEIGHTS: [u64; HASHES] = {
    let mut w = [0u64; HASHES];
    let mut r = 0;
    while r < HASHES {
        w[r] = mix(0x243f_6a88_85a3_08d3 ^ r as u64) | 1;
        r += 1;
    }
    w
};

/// The first tries of [`probe`] for every bin, computed once: nearly every empty bin finds a
/// filled one among them.
const PROBE_DEPTH: usize = 8;
// The bins' filled flags are the bits of a `u128`.
const _: () = assert!(HASHES == 128);
static PROBES: [[u8; PROBE_DEPTH]; HASHES] = {
    let mut t = [[0u8; PROBE_DEPTH]; HASHES];
    let mut i = 0;
    while i < HASHES {
        let mut a = 0;
        while a < PROBE_DEPTH {
            t[i][a] = probe(i, a as u64) as u8;
            a += 1;
        }
        i += 1;
    }
    t
};

/// Shingles kept per answer to compute similarities when an answer has more than [`WHOLE`]:
/// the smallest this many hashes (a bottom-k sketch).
pub const KEPT: usize = 256;

/// Answers with up to this many shingles (about 500 words) keep all of them, and their
/// similarities are exact up to hash collisions (and cheap: see [`search`]).
pub const WHOLE: usize = 512;

/// What the near-duplicate search keeps of one answer, about 1,100 bytes at most whatever its
/// length: a hash of its whole shingle set (to group identical answers), one key per LSH band
/// of its MinHash signature, and its shingles as 16-bit hashes (at most [`KEPT`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sketch {
    set: u64,
    bands: Box<[u32]>,
    /// Sorted, distinct 16-bit hashes of the shingles: all of them when `whole` (at most
    /// [`WHOLE`]), else the [`KEPT`] smallest. (Sixteen bits keep a batch of 100,000 answers small; the similarity
    /// they give is off by about 0.002 on average, from hash collisions.)
    kept: Box<[u16]>,
    whole: bool,
}

/// The sketch of a sorted, distinct shingle set for a similarity threshold, or `None` when the
/// set is too small to be compared ([`MIN_SHINGLES`]).
pub fn sketch(set: &[u64], threshold: f64) -> Option<Sketch> {
    if set.len() < MIN_SHINGLES {
        return None;
    }
    let (sig, sum) = signature(set);
    let (bands, rows) = banding_cached(threshold);
    // A band's key: its rows weighed by distinct odd numbers and summed (rows differ, sums
    // differ but for a chance of 2^-64), then mixed once: one hash per band, not per row.
    let keys = (0..bands)
        .map(|b| {
            let rows = &sig[b * rows..(b + 1) * rows];
            let sum = rows
                .iter()
                .zip(&ROW_WEIGHTS)
                .fold(b as u64, |h, (&x, &w)| h.wrapping_add(u64::from(x).wrapping_mul(w)));
            mix(sum) as u32
        })
        .collect();
    // The top 16 bits of each shingle (itself a well-mixed hash): sorted already, as the set is.
    let mut top: SmallVec<[u16; 256]> = set.iter().map(|&s| (s >> 48) as u16).collect();
    top.dedup();
    let whole = top.len() <= WHOLE;
    if !whole {
        top.truncate(KEPT);
    }
    // Boxed at its final size: one allocation, no shrinking.
    let kept: Box<[u16]> = top.as_slice().into();
    Some(Sketch {
        // The shingles' hashes (distinct) summed: a hash of the set, in no particular order.
        set: mix(sum ^ set.len() as u64),
        bands: keys,
        kept,
        whole,
    })
}

/// Similarity of two sketched answers: the Jaccard similarity of their shingle sets, computed
/// on their 16-bit hashes when both kept all their shingles (collisions make it about 0.002
/// too high on average for answers of a hundred words); else estimated from the [`KEPT`]
/// smallest hashes of the union (the bottom-k estimator).
pub fn similarity(a: &Sketch, b: &Sketch) -> f64 {
    kept_similarity((&a.kept, a.whole), (&b.kept, b.whole))
}

/// [`similarity`] of two sketches' kept hashes, and whether each kept them all.
fn kept_similarity((a, a_whole): (&[u16], bool), (b, b_whole): (&[u16], bool)) -> f64 {
    if a_whole && b_whole {
        return jaccard(a, b);
    }
    // The k smallest of the union, and how many of them are in both: a merge without branches
    // on the data while both lists last; then the rest of the longer one, all singletons.
    let (mut i, mut j, mut taken, mut both) = (0, 0, 0usize, 0usize);
    while taken < KEPT && i < a.len() && j < b.len() {
        let (x, y) = (a[i], b[j]);
        both += usize::from(x == y);
        i += usize::from(x <= y);
        j += usize::from(y <= x);
        taken += 1;
    }
    taken += (KEPT - taken).min(a.len() - i + b.len() - j);
    if taken == 0 { 0.0 } else { both as f64 / taken as f64 }
}

/// Finds the pairs of sets with a Jaccard similarity of at least `threshold`, most similar
/// first (then by index). Sets must be sorted and distinct (as [`shingles`] makes them); sets
/// smaller than [`MIN_SHINGLES`] are ignored. Runs on the current rayon pool.
pub fn near_duplicates(sets: &[Vec<u64>], threshold: f64) -> (Vec<Pair>, Stats) {
    let sketches: Vec<Option<Sketch>> = sets.par_iter().map(|s| sketch(s, threshold)).collect();
    search(&sketches, threshold)
}

/// [`near_duplicates`] from the answers' sketches (made with the same `threshold`).
pub fn search(sketches: &[Option<Sketch>], threshold: f64) -> (Vec<Pair>, Stats) {
    let groups = group_identical(sketches);
    let reps: Vec<&Sketch> = groups.iter().filter_map(|g| sketches[g[0] as usize].as_ref()).collect();
    let packing = Packing::for_count(reps.len());
    let candidates = band_candidates(&reps, threshold, packing);
    let stats = Stats {
        distinct: groups.len(),
        candidates: candidates.len(),
    };
    let verified = verify(&candidates, &reps, threshold, packing);
    (expand(&groups, verified), stats)
}

/// Groups identical sets: one representative each.
fn group_identical(sketches: &[Option<Sketch>]) -> Groups {
    let mut eligible: Vec<(u64, u32)> = sketches
        .iter()
        .enumerate()
        .filter_map(|(i, s)| s.as_ref().map(|s| (s.set, i as u32)))
        .collect();
    eligible.par_sort_unstable();
    // Runs of `eligible` with the same set (each the same as the one before), members in
    // order; then the groups in the order of their first member.
    let mut runs: Vec<std::ops::Range<usize>> = Vec::new();
    for (k, &(h, i)) in eligible.iter().enumerate() {
        let same = k > 0 && eligible[k - 1].0 == h && {
            let (a, b) = (
                sketches[eligible[k - 1].1 as usize].as_ref(),
                sketches[i as usize].as_ref(),
            );
            a.map(|s| &s.kept) == b.map(|s| &s.kept)
        };
        match runs.last_mut() {
            Some(run) if same => run.end = k + 1,
            _ => runs.push(k..k + 1),
        }
    }
    runs.sort_unstable_by_key(|run| eligible[run.start].1);
    Groups {
        starts: runs
            .iter()
            .scan(0u32, |at, run| {
                let start = *at;
                *at += run.len() as u32;
                Some(start)
            })
            .chain(std::iter::once(eligible.len() as u32))
            .collect(),
        members: runs
            .iter()
            .flat_map(|run| eligible[run.clone()].iter().map(|&(_, i)| i))
            .collect(),
    }
}

/// A pair of answer numbers (or a band key and an answer number) packed into one integer, the
/// high part first, the low part in as few bits as an answer's number needs: sorting integers is
/// several times faster than sorting pairs.
#[derive(Debug, Clone, Copy)]
struct Packing {
    low: u32,
}

impl Packing {
    fn for_count(n: usize) -> Packing {
        Packing {
            low: usize::BITS - n.leading_zeros(),
        }
    }

    fn pack(self, hi: u32, lo: u32) -> u64 {
        (u64::from(hi) << self.low) | u64::from(lo)
    }

    fn high(self, x: u64) -> u64 {
        x >> self.low
    }

    fn low(self, x: u64) -> u32 {
        (x & ((1u64 << self.low) - 1)) as u32
    }
}

/// The candidate pairs of representatives, sorted, each once.
fn band_candidates(reps: &[&Sketch], threshold: f64, packing: Packing) -> Vec<u64> {
    // Banding over the representatives: candidates agree on every row of at least one band.
    // The band keys are first laid out band by band (the sketches lie all over the heap, and
    // reading them again for every band was mostly waiting for memory), a few bands at a time
    // (all at once took 17 MB at 100,000 answers).
    let bands = reps.iter().map(|s| s.bands.len()).max().unwrap_or(0);
    // Two whole sets of very different sizes cannot be similar enough (|A ∩ B| / |A ∪ B| is at
    // most the smaller size over the larger): such a pair is not made a candidate. The sizes
    // lie together, read for every pair a band makes.
    let sizes: Vec<(u32, bool)> = reps.iter().map(|s| (s.kept.len() as u32, s.whole)).collect();
    let too_different = |x: u32, y: u32| {
        let ((n, a_whole), (m, b_whole)) = (sizes[x as usize], sizes[y as usize]);
        a_whole && b_whole && (n.min(m) as f64) < threshold * n.max(m) as f64 - 1e-9
    };
    // Keys and pairs are packed into one integer each (see [`Packing`]).
    let mut candidates: Vec<u64> = Vec::new();
    for first in (0..bands).step_by(BANDS_AT_ONCE) {
        let these = bands.min(first + BANDS_AT_ONCE) - first;
        // Laid out in parallel, a share of the answers each, straight into each band's part
        // of one list (no copy to join them: this list is a good part of the search's memory).
        let n = reps.len();
        let share = n.div_ceil(rayon::current_num_threads().max(1)).max(1);
        let mut flat = vec![0u64; these * n];
        let mut pieces: Vec<Vec<&mut [u64]>> = (0..n.div_ceil(share)).map(|_| Vec::with_capacity(these)).collect();
        for band in flat.chunks_mut(n) {
            for (c, piece) in band.chunks_mut(share).enumerate() {
                pieces[c].push(piece);
            }
        }
        pieces.into_par_iter().enumerate().for_each(|(c, mut pieces)| {
            for (k, s) in reps[c * share..].iter().take(share).enumerate() {
                let r = (c * share + k) as u32;
                for (piece, &key) in pieces.iter_mut().zip(s.bands.iter().skip(first)) {
                    piece[k] = packing.pack(key, r);
                }
            }
        });
        let by_band = flat.par_chunks_mut(n.max(1));
        let found: Vec<u64> = by_band
            .flat_map_iter(|keys| {
                radix_sort(keys);
                let mut pairs = Vec::new();
                for run in keys
                    .chunk_by(|&a, &b| packing.high(a) == packing.high(b))
                    .filter(|run| run.len() > 1)
                {
                    for (n, &x) in run.iter().enumerate() {
                        for &y in &run[n + 1..] {
                            let (x, y) = (packing.low(x), packing.low(y));
                            if !too_different(x, y) {
                                pairs.push(packing.pack(x, y));
                            }
                        }
                    }
                }
                pairs
            })
            .collect();
        // Pairs found in several bands of the group are kept once, and the list grows by
        // exactly what it takes (it can reach millions of pairs: most of the search's memory).
        let mut found = found;
        found.par_sort_unstable();
        found.dedup();
        candidates.reserve_exact(found.len());
        candidates.extend(found);
    }
    // In place: a radix sort would need as much again (the candidates can be millions).
    candidates.par_sort_unstable();
    candidates.dedup();
    candidates
}

/// The candidates that are similar enough: (representative, representative, similarity).
fn verify(candidates: &[u64], reps: &[&Sketch], threshold: f64, packing: Packing) -> Vec<(usize, usize, f64)> {
    let rep_kept = |r: usize| (&*reps[r].kept, reps[r].whole);
    // Verify with the similarity of the kept shingles. Candidates come sorted, so each
    // answer's candidates are together: its hashes go into a 65,536-bit table once, and each
    // candidate's hashes are looked up in it (a few cycles each, where a merge of two sorted
    // lists branches on every step; hundreds of thousands of pairs can be candidates).
    candidates
        .par_chunk_by(|&p, &q| packing.high(p) == packing.high(q))
        .map_init(
            || vec![0u64; 1 << 10],
            |table, run| {
                let x = packing.high(run[0]) as usize;
                let a = rep_kept(x);
                for &h in a.0 {
                    table[usize::from(h >> 6)] |= 1 << (h & 63);
                }
                let found: Vec<(usize, usize, f64)> = run
                    .iter()
                    .filter_map(|&pair| {
                        let y = packing.low(pair) as usize;
                        let b = rep_kept(y);
                        let (n, m) = (a.0.len(), b.0.len());
                        let sim = if a.1 && b.1 {
                            // (Sets of very different sizes were not made candidates.)
                            // |A ∩ B| / (n + m - |A ∩ B|) reaches the threshold from this many
                            // shared shingles: once the rest of B cannot make up the shortfall
                            // the pair is given up (looked at every 16 hashes, not every hash: a
                            // branch per hash cost more than it saved).
                            let need = threshold * (n + m) as f64 / (1.0 + threshold) - 1e-6;
                            let (mut common, mut left) = (0usize, m);
                            for chunk in b.0.chunks(16) {
                                common += chunk
                                    .iter()
                                    .map(|&h| ((table[usize::from(h >> 6)] >> (h & 63)) & 1) as usize)
                                    .sum::<usize>();
                                left -= chunk.len();
                                if ((common + left) as f64) < need {
                                    return None;
                                }
                            }
                            common as f64 / (n + m - common) as f64
                        } else {
                            kept_similarity(a, b)
                        };
                        (sim + 1e-12 >= threshold).then_some((x, y, sim))
                    })
                    .collect();
                for &h in a.0 {
                    table[usize::from(h >> 6)] = 0;
                }
                found
            },
        )
        .flatten_iter()
        .collect()
}

/// Expands groups back to answers: every pair within a group, and every pair of members of two
/// similar groups, most similar first.
fn expand(groups: &Groups, verified: Vec<(usize, usize, f64)>) -> Vec<Pair> {
    let mut pairs = Vec::new();
    let mut push = |a: usize, b: usize, similarity: f64| {
        let (a, b) = if a < b { (a, b) } else { (b, a) };
        pairs.push(Pair { a, b, similarity });
    };
    for g in groups.iter() {
        for (n, &a) in g.iter().enumerate() {
            for &b in &g[n + 1..] {
                push(a as usize, b as usize, 1.0);
            }
        }
    }
    for (x, y, sim) in verified {
        for &a in groups.get(x) {
            for &b in groups.get(y) {
                push(a as usize, b as usize, sim);
            }
        }
    }
    pairs.sort_by(|p, q| {
        q.similarity
            .total_cmp(&p.similarity)
            .then(p.a.cmp(&q.a))
            .then(p.b.cmp(&q.b))
    });
    pairs
}

/// Answers with the same shingle set, as runs of one list: group `g` is
/// `members[starts[g]..starts[g + 1]]`, its members in order, the groups in the order of their
/// first member.
struct Groups {
    starts: Vec<u32>,
    members: Vec<u32>,
}

impl Groups {
    fn len(&self) -> usize {
        self.starts.len() - 1
    }

    fn get(&self, g: usize) -> &[u32] {
        &self.members[self.starts[g] as usize..self.starts[g + 1] as usize]
    }

    fn iter(&self) -> impl Iterator<Item = &[u32]> {
        (0..self.len()).map(|g| self.get(g))
    }
}

/// Sorts integers by their bits, thirteen at a time from the lowest (least significant digit
/// first, each pass stable), skipping the digits on which all the integers agree: a few passes
/// over the data where a comparison sort makes some twenty. (Band keys and candidate pairs are
/// hundreds of thousands of integers, and sorting them was most of the search.)
fn radix_sort(v: &mut [u64]) {
    const BITS: u32 = 13;
    const DIGITS: usize = 64usize.div_ceil(BITS as usize);
    const SIZE: usize = 1 << BITS;
    if v.len() < 256 || u32::try_from(v.len()).is_err() {
        v.sort_unstable();
        return;
    }
    let digit = |x: u64, d: usize| ((x >> (d as u32 * BITS)) as usize) & (SIZE - 1);
    let mut counts = vec![[0u32; SIZE]; DIGITS];
    for &x in v.iter() {
        for (d, c) in counts.iter_mut().enumerate() {
            c[digit(x, d)] += 1;
        }
    }
    let scatter = |from: &[u64], to: &mut [u64], c: &mut [u32; SIZE], d: usize| {
        for &x in from {
            let k = digit(x, d);
            to[c[k] as usize] = x;
            c[k] += 1;
        }
    };
    let mut tmp = vec![0u64; v.len()];
    // Whether the integers are in `v` (else in `tmp`).
    let mut in_v = true;
    for (d, c) in counts.iter_mut().enumerate() {
        if c.contains(&(v.len() as u32)) {
            continue; // every integer has the same digit here
        }
        let mut at = 0;
        for n in c.iter_mut() {
            let here = *n;
            *n = at;
            at += here;
        }
        if in_v {
            scatter(v, &mut tmp, c, d);
        } else {
            scatter(&tmp, v, c, d);
        }
        in_v = !in_v;
    }
    if !in_v {
        v.copy_from_slice(&tmp);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sorts `v` (its bits masked with `mask` when `masked`) with `sort`, and with
    /// `sort_unstable`: the results must be the same.
    fn sorts_alike(mut v: Vec<u64>, masked: bool, mask: u64, sort: fn(&mut Vec<u64>)) -> (Vec<u64>, Vec<u64>) {
        if masked {
            v.iter_mut().for_each(|x| *x &= mask);
        }
        let mut expected = v.clone();
        expected.sort_unstable();
        sort(&mut v);
        (v, expected)
    }

    proptest::proptest! {
        #[test]
        fn sort_hashes_sorts(v in proptest::collection::vec(proptest::prelude::any::<u64>(), 0..300), clash in proptest::prelude::any::<bool>()) {
            // Masked: many hashes with the same top bits.
            let (got, expected) = sorts_alike(v, clash, 0x0300_ffff_ffff_ffff, |v| sort_hashes(v));
            proptest::prop_assert_eq!(got, expected);
        }

        #[test]
        fn radix_sort_sorts(v in proptest::collection::vec(proptest::prelude::any::<u64>(), 0..2000), small in proptest::prelude::any::<bool>()) {
            // Masked: few digits in use, as band keys and pairs have.
            let (got, expected) = sorts_alike(v, small, 0x0003_ffff_0001_ffff, |v| radix_sort(v));
            proptest::prop_assert_eq!(got, expected);
        }
    }

    /// Optimal densification as first written: each empty bin tries [`probe`] in turn.
    fn reference_signature(set: &[u64]) -> [u32; HASHES] {
        let mut bins = [u32::MAX; HASHES];
        let mut filled = [false; HASHES];
        for &s in set {
            let h = mix(s ^ 0x5851_f42d_4c95_7f2d);
            let bin = (h >> 57) as usize % HASHES;
            filled[bin] = true;
            bins[bin] = bins[bin].min(h as u32);
        }
        let Some(first) = filled.iter().position(|&f| f) else {
            return bins;
        };
        let mut out = bins;
        for i in (0..HASHES).filter(|&i| !filled[i]) {
            let from = (0..256).map(|a| probe(i, a)).find(|&j| filled[j]).unwrap_or(first);
            out[i] = bins[from];
        }
        out
    }

    #[test]
    fn band_row_weights_are_distinct_and_odd() {
        let mut w = ROW_WEIGHTS.to_vec();
        assert!(w.iter().all(|x| x & 1 == 1));
        w.sort_unstable();
        w.dedup();
        assert_eq!(w.len(), HASHES);
    }

    #[test]
    fn signature_is_the_reference_densification() {
        assert_eq!(PROBES.len(), HASHES);
        for (i, probes) in PROBES.iter().enumerate() {
            for (a, &j) in probes.iter().enumerate() {
                assert_eq!(usize::from(j), probe(i, a as u64));
            }
        }
        // From empty to full: few shingles leave most bins to fill from beyond the table.
        let mut x = 7u64;
        for n in [0, 1, 2, 3, 5, 8, 20, 50, 110, 300, 2000] {
            for _ in 0..20 {
                let set: Vec<u64> = (0..n)
                    .map(|_| {
                        x = mix(x);
                        x
                    })
                    .collect();
                assert_eq!(signature(&set).0, reference_signature(&set), "{n} shingles");
            }
        }
    }

    const ESSAY: &str = "By 1922 Russia was a one-party state and two organisations had become \
        pre-eminent: the Council of People's Commissars, which was the government, and the Party \
        Secretariat, which ran the party's day to day business. Stalin was appointed People's \
        Commissar for Nationalities in 1917, which put him in charge of a huge number of officials \
        across the non-Russian regions. In 1919 he became the liaison officer between the \
        Politburo and the Orgburo, and he was made head of the Workers' and Peasants' \
        Inspectorate. As General Secretary he recorded and conveyed all party policy and kept \
        files on every party member, so he knew everyone's weaknesses and could promote his \
        friends.";

    /// A fixed sequence of well-mixed numbers.
    fn numbers(mut state: u64) -> impl FnMut() -> u64 {
        move || {
            state = mix(state);
            state
        }
    }

    fn set(text: &str) -> Vec<u64> {
        let words = crate::text::tokens::words(text);
        shingles(words.iter().map(String::as_str), &Template::default())
    }

    #[test]
    fn identical_answers_are_flagged_as_one() {
        let sets = vec![
            set(ESSAY),
            set("Something else entirely, about the weather today and tomorrow."),
            set(ESSAY),
        ];
        let (pairs, stats) = near_duplicates(&sets, 0.8);
        assert_eq!(
            pairs,
            [Pair {
                a: 0,
                b: 2,
                similarity: 1.0
            }]
        );
        assert_eq!(stats.distinct, 2);
    }

    #[test]
    fn lightly_edited_answers_are_flagged() {
        let edited = ESSAY
            .replace("huge number", "great many")
            .replace("everyone's weaknesses", "everybody's weak spots")
            .replace("In 1919", "Then in 1919");
        let (a, b) = (set(ESSAY), set(&edited));
        let sim = jaccard(&a, &b);
        assert!(sim > 0.8 && sim < 1.0, "{sim}");
        let (pairs, _) = near_duplicates(&[a, b], 0.8);
        assert_eq!(pairs.len(), 1);
        // Computed on 16-bit hashes: a collision can move it a little.
        let d = pairs[0].similarity - sim;
        assert!(d.abs() < 0.02, "{} vs {sim}", pairs[0].similarity);
    }

    #[test]
    fn unrelated_answers_are_not_flagged() {
        let other = "Stalin rose because his rivals underestimated him. Trotsky was arrogant and \
            was seen as a possible Napoleon, while Zinoviev and Kamenev had opposed the October \
            revolution. Bukharin was popular but lacked a power base, and Stalin played each \
            of them off against the others until none was left to stop him.";
        let (a, b) = (set(ESSAY), set(other));
        assert!(jaccard(&a, &b) < 0.1);
        assert!(near_duplicates(&[a, b], 0.8).0.is_empty());
    }

    #[test]
    fn the_rubric_wording_and_short_answers_are_left_out() {
        let prompt = "How had Stalin been able to rise up the Bolshevik ranks?";
        let template = template_shingles([prompt]);
        let words = crate::text::tokens::words(prompt);
        assert!(shingles(words.iter().map(String::as_str), &template).is_empty());
        assert!(template.len() >= 8);
        // Other wording is kept, however many shingles the template has.
        let other = crate::text::tokens::words("Stalin rose up the ranks through his patronage of officials.");
        assert_eq!(
            shingles(other.iter().map(String::as_str), &template).len(),
            other.len() - 2
        );
        let (pairs, stats) = near_duplicates(&[set("Yes he did."), set("Yes he did.")], 0.8);
        assert!(pairs.is_empty());
        assert_eq!(stats.distinct, 0);
    }

    #[test]
    fn banding_catches_pairs_at_the_threshold() {
        for t in [0.3, 0.5, 0.8, 0.9, 1.0] {
            let (bands, rows) = banding(t);
            assert!(bands * rows <= HASHES);
            let p = 1.0 - (1.0 - f64::powi(t, rows as i32)).powi(bands as i32);
            assert!(p >= RECALL, "{t}: {bands}x{rows} gives {p}");
        }
        assert_eq!(banding(0.8), (21, 6));
    }

    #[test]
    fn unrelated_answers_are_not_compared_pairwise() {
        // 1,500 answers of 80 words drawn from a 2,000-word vocabulary: nearly nothing in common.
        let mut next = numbers(42u64);
        let sets: Vec<Vec<u64>> = (0..1500)
            .map(|_| {
                let words: Vec<String> = (0..80).map(|_| format!("w{}", next() % 2000)).collect();
                shingles(words.iter().map(String::as_str), &Template::default())
            })
            .collect();
        let (pairs, stats) = near_duplicates(&sets, 0.8);
        assert!(pairs.is_empty());
        // All pairs would be 1,124,250.
        assert!(stats.candidates < 100, "{stats:?}");
    }

    /// The bottom-k estimate as first written: a plain merge, one step per union element.
    fn bottom_k_reference(a: &[u16], b: &[u16]) -> f64 {
        let (mut i, mut j, mut taken, mut both) = (0, 0, 0usize, 0usize);
        while taken < KEPT && (i < a.len() || j < b.len()) {
            let x = a.get(i).map_or(u32::MAX, |&v| u32::from(v));
            let y = b.get(j).map_or(u32::MAX, |&v| u32::from(v));
            match x.cmp(&y) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    both += 1;
                    i += 1;
                    j += 1;
                }
            }
            taken += 1;
        }
        if taken == 0 { 0.0 } else { both as f64 / taken as f64 }
    }

    #[test]
    fn bottom_k_counts_the_rest_of_the_longer_sketch() {
        let short = [1u16, 2, 3];
        let long: Vec<u16> = [1, 2, 3].into_iter().chain(10..263).collect();
        assert_eq!(long.len(), KEPT);
        let got = kept_similarity((&short, true), (&long, false));
        assert_eq!(got, bottom_k_reference(&short, &long));
        assert_eq!(got, 3.0 / KEPT as f64);
    }

    #[test]
    fn pairs_exactly_at_the_threshold_are_kept() {
        // Shingles with distinct top 16 bits, so that the kept hashes are exact.
        let sh = |i: u64| (i << 48) | (i.wrapping_mul(0x9E37_79B9) & 0xFFFF_FFFF);
        for (n, m, common) in [(100u64, 100u64, 90u64), (90, 90, 80), (120, 60, 60), (77, 91, 70)] {
            let a: Vec<u64> = (1..=n).map(sh).collect();
            let b: Vec<u64> = (1..=common).chain(1001..=1000 + m - common).map(sh).collect();
            let t = common as f64 / (n + m - common) as f64;
            let sketches = vec![sketch(&a, t), sketch(&b, t)];
            let (pairs, _) = search(&sketches, t);
            assert_eq!(pairs.len(), 1, "{n} {m} {common}");
            assert!((pairs[0].similarity - t).abs() < 1e-12, "{pairs:?}");
        }
    }

    #[test]
    fn verified_similarities_are_those_of_the_sketches() {
        // Answers of 20 to 900 words made of sentences from a small pool, so that many pairs
        // share much (and long answers keep only a bottom-k sketch).
        let mut next = numbers(7u64);
        let pool: Vec<Vec<String>> = (0..60)
            .map(|s| (0..12).map(|w| format!("s{s}w{w}")).collect())
            .collect();
        let mut sets: Vec<Vec<u64>> = (0..300)
            .map(|_| {
                let len = 20 + (next() % 1500) as usize;
                let mut words: Vec<&str> = Vec::new();
                while words.len() < len {
                    words.extend(pool[(next() % 60) as usize].iter().map(String::as_str));
                }
                shingles(words, &Template::default())
            })
            .collect();
        sets.push(sets[3].clone());
        let sketches: Vec<Option<Sketch>> = sets.iter().map(|s| sketch(s, 0.4)).collect();
        let longs = sketches.iter().flatten().filter(|s| !s.whole).count();
        assert!(longs > 20 && longs < 250, "{longs} answers without a whole sketch");
        let (pairs, _) = search(&sketches, 0.4);
        assert!(pairs.len() > 100, "{} pairs", pairs.len());
        let mut mixed = 0;
        for p in &pairs {
            let (a, b) = (sketches[p.a].as_ref().unwrap(), sketches[p.b].as_ref().unwrap());
            let expected = if a.whole && b.whole {
                jaccard(&a.kept, &b.kept)
            } else {
                mixed += 1;
                bottom_k_reference(&a.kept, &b.kept)
            };
            assert!(
                (p.similarity - expected).abs() < 1e-12 || (a.set == b.set && p.similarity == 1.0),
                "{p:?}: expected {expected}"
            );
            assert_eq!(similarity(a, b), expected);
        }
        assert!(mixed > 0, "no pair used the bottom-k estimate");
        // Every pair of whole sketches at the threshold or above was found.
        for i in 0..sketches.len() {
            for j in i + 1..sketches.len() {
                let (Some(a), Some(b)) = (&sketches[i], &sketches[j]) else {
                    continue;
                };
                if !(a.whole && b.whole) {
                    assert_eq!(similarity(a, b), bottom_k_reference(&a.kept, &b.kept), "{i} {j}");
                }
                if a.whole && b.whole && jaccard(&a.kept, &b.kept) >= 0.6 {
                    assert!(pairs.iter().any(|p| (p.a, p.b) == (i, j)), "missed {i} {j}");
                }
            }
        }
    }
}
