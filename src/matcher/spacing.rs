//! Words whose spaces went astray, as transcribed answers have them (English rubrics).
//!
//! - **Split by a stray space**: "too h ot", "the mo re hot", "pai nted". A cue word may be
//!   found by joining two neighbouring words when one of them is a fragment
//!   ([`crate::text::lang::is_fragment`]: no word of the lists, or a short one that is not a
//!   common word) and only spaces stand between them. The joined form is looked up as any
//!   answer word is (forms, misspellings), and counts for the cue words that neither piece
//!   matches on its own, at the place of the first piece.
//! - **Glued by a lost space**: "ribosomesthe", "heatthe". A lower-case word that is no word of
//!   the lists and matches no cue word, but is a common word glued to another
//!   ([`crate::text::lang::glued_words`]), counts for the cue words that other word matches in
//!   any form (not misspelt: one slip is a guess, two are too many).
//!
//! Only the words the tokenizer marked ([`flags::FRAGMENT`], [`flags::GLUED`]: set once per
//! distinct word) are looked at, and each joined or glued form is looked up once per thread
//! (the lexicon's memo): the cost grows with the answer's odd words, not with its cue words.

use smallvec::SmallVec;

use super::Hits;
use crate::lexicon::{How, TermId};
use crate::scheme::Rubric;
use crate::text::lang::{self, flags};
use crate::text::tokens::Document;

/// The word flags that make a word odd.
pub(super) const FLAGS: u8 = flags::FRAGMENT | flags::GLUED;

/// Longest joined form looked up, in bytes: a word split by a space is a word.
const MAX_JOINED: usize = 24;

/// A cue word found at `place` by joining the word there with the next one.
pub(super) type Joined = (u32, TermId);

/// The places of an answer's odd words, noted as the matcher looks its words up.
#[derive(Default)]
pub(super) struct Odd {
    fragments: SmallVec<[u32; 8]>,
    /// Glued words that matched no cue word themselves.
    glued: SmallVec<[u32; 2]>,
}

impl Odd {
    /// Notes the word at `place`, with its flags and whether it matched a cue word.
    #[inline]
    pub(super) fn note(&mut self, place: u32, word_flags: u8, matched: bool) {
        if word_flags & flags::FRAGMENT != 0 {
            self.fragments.push(place);
        }
        if word_flags & flags::GLUED != 0 && !matched {
            self.glued.push(place);
        }
    }

    /// Adds to `hits` (in order of place) the cue words found by joining fragments with their
    /// neighbours and in glued words; returns the (place, term) of each joined hit.
    pub(super) fn add_hits(&self, rubric: &Rubric, doc: &Document, hits: &mut Hits) -> Vec<Joined> {
        if self.fragments.is_empty() && self.glued.is_empty() {
            return Vec::new();
        }
        let mut added: SmallVec<[(TermId, u32, How); 4]> = SmallVec::new();
        let mut joined = Vec::new();
        let mut found: SmallVec<[(TermId, How); 4]> = SmallVec::new();
        let look_up = |word: &str, found: &mut SmallVec<[(TermId, How); 4]>| {
            found.clear();
            rubric
                .lexicon
                .lookup_memo(word, || rubric.language.stem_compact(word), &mut |t, how| {
                    found.push((t, how))
                });
        };
        let toks = &doc.tokens;
        let view = doc.view().as_bytes();
        // The last pair looked at, by its first place: a pair of two fragments is looked at once.
        let mut done: Option<u32> = None;
        for &f in &self.fragments {
            for a in [f.checked_sub(1), Some(f)].into_iter().flatten() {
                let b = a as usize + 1;
                if done.is_some_and(|d| d >= a) || b >= toks.len() {
                    continue;
                }
                done = Some(a);
                let (ta, tb) = (&toks[a as usize], &toks[b]);
                let (na, nb) = (&doc.word(ta).norm, &doc.word(tb).norm);
                let letters = |w: &str| w.bytes().all(|c| c.is_ascii_lowercase());
                let spaces = |gap: &[u8]| !gap.is_empty() && gap.iter().all(|&c| c == b' ');
                if ta.sentence != tb.sentence
                    || na.len() + nb.len() > MAX_JOINED
                    || !letters(na)
                    || !letters(nb)
                    || !view.get(ta.end..tb.start).is_some_and(spaces)
                {
                    continue;
                }
                let mut word = compact_str::CompactString::with_capacity(na.len() + nb.len());
                word.push_str(na);
                word.push_str(nb);
                look_up(&word, &mut found);
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
        for &g in &self.glued {
            let norm = &doc.word(&toks[g as usize]).norm;
            for range in lang::glued_words(norm) {
                look_up(&norm[range], &mut found);
                found.retain(|(_, how)| !matches!(how, How::Fuzzy(_)));
                if !found.is_empty() {
                    added.extend(found.iter().map(|&(t, how)| (t, g, how)));
                    break;
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
