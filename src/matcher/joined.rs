//! Words split by a stray space: "too h ot", "the mo re hot", "pai nted". A cue word that no
//! word of the answer matches may be found by joining two neighbouring words, when one of them
//! is a fragment ([`crate::text::lang::is_fragment`]: no word, or a short one that is not a
//! common word) and only spaces stand between them. The joined form is looked up as any answer
//! word is (forms, misspellings), and counts for the cue words that neither piece matches on its
//! own, at the place of the first piece.
//!
//! Only the pairs beside a fragment are looked up, each joined form once per thread (the
//! lexicon's memo): the cost grows with the answer's fragments, not with its cue words.

use smallvec::SmallVec;

use super::Hits;
use crate::lexicon::{How, TermId};
use crate::scheme::Rubric;
use crate::text::tokens::Document;

/// Longest joined form looked up, in bytes: a word split by a space is a word.
const MAX_JOINED: usize = 24;

/// A cue word found at `place` by joining the word there with the next one.
pub(super) type Joined = (u32, TermId);

/// Adds to `hits` (term, place, how: in order of place) the cue words found by joining a
/// fragment with a neighbour; `fragments` are the places of the answer's fragments, in order.
/// Returns the (place, term) of each hit added.
pub(super) fn join_fragments(rubric: &Rubric, doc: &Document, fragments: &[u32], hits: &mut Hits) -> Vec<Joined> {
    let toks = &doc.tokens;
    let view = doc.view().as_bytes();
    let mut added: SmallVec<[(TermId, u32, How); 4]> = SmallVec::new();
    let mut joined = Vec::new();
    // The last pair looked at, by its first place: a pair of two fragments is looked at once.
    let mut done: Option<u32> = None;
    let mut found: SmallVec<[(TermId, How); 4]> = SmallVec::new();
    for &f in fragments {
        for a in [f.checked_sub(1), Some(f)].into_iter().flatten() {
            let b = a as usize + 1;
            if done.is_some_and(|d| d >= a) || b >= toks.len() {
                continue;
            }
            done = Some(a);
            let (ta, tb) = (&toks[a as usize], &toks[b]);
            let (na, nb) = (&doc.word(ta).norm, &doc.word(tb).norm);
            let letters = |w: &str| w.bytes().all(|c| c.is_ascii_lowercase());
            if ta.sentence != tb.sentence
                || na.len() + nb.len() > MAX_JOINED
                || !letters(na)
                || !letters(nb)
                || !view.get(ta.end..tb.start).is_some_and(|gap| !gap.is_empty() && gap.iter().all(|&c| c == b' '))
            {
                continue;
            }
            let mut word = compact_str::CompactString::with_capacity(na.len() + nb.len());
            word.push_str(na);
            word.push_str(nb);
            found.clear();
            rubric
                .lexicon
                .lookup_memo(&word, || rubric.language.stem_compact(&word), &mut |t, how| {
                    found.push((t, how))
                });
            if found.is_empty() {
                continue;
            }
            // The hits of the two pieces on their own (`hits` is in order of place).
            let lo = hits.partition_point(|h| h.1 < a);
            let hi = hits.partition_point(|h| h.1 <= b as u32);
            for &(t, how) in &found {
                if !hits[lo..hi].iter().any(|h| h.0 == t) {
                    added.push((t, a, how));
                    joined.push((a, t));
                }
            }
        }
    }
    if !added.is_empty() {
        hits.extend(added);
        // Stable: each place's hits keep their order.
        hits.sort_by_key(|h| h.1);
    }
    joined
}

impl super::Matcher<'_> {
    /// The bytes of the answer word at `place` that matched `term`: with the next word when
    /// the two were joined to match it.
    pub(super) fn word_range(&self, place: u32, term: TermId) -> std::ops::Range<usize> {
        let toks = &self.doc.tokens;
        let t = &toks[place as usize];
        match self.joined.contains(&(place, term)) {
            true => t.start..toks[place as usize + 1].end,
            false => t.start..t.end,
        }
    }
}
