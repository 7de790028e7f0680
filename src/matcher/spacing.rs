//! Words whose spaces went astray, as transcribed answers have them (English rubrics).
//!
//! - **Split by a stray space**: "too h ot", "the mo re hot", "pai nted". A cue word may be
//!   found by joining two neighbouring words with only spaces between them when one is a
//!   fragment ([`crate::text::lang::is_fragment`]: no word of the lists). Joined, two
//!   fragments or a short one (three letters or fewer) and a word may be a misspelt cue word;
//!   a longer fragment and a word must make a cue word in some form ("incr ease", "tempera
//!   ture"), not a misspelling of one (the fragment is nearly always a misspelt word itself:
//!   "the moniter"). The joined form is looked up as any
//!   answer word is (forms, misspellings), and counts for the cue words that neither piece
//!   matches on its own, at the place of the first piece.
//! - **Glued by a lost space**: "ribosomesthe", "heatthe". A fragment (a lower-case word that
//!   is no word of the lists) that matches no cue word, but is a common word glued to another
//!   ([`crate::text::lang::glued_words`]), counts for the cue words that other word matches in
//!   any form (not misspelt: one slip is a guess, two are too many).
//!
//! Only the words the tokenizer marked as fragments ([`flags::FRAGMENT`]: set once per distinct
//! word) are looked at; a joined or glued form is looked up only when it starts as a cue word
//! does (its first three letters, five where it must be a form of one:
//! [`crate::lexicon::Lexicon::may_start`]; most fragments are misspelt words, and their
//! neighbours joined to them make new strings), each once per thread
//! (the lexicon's memo): the cost grows with the answer's odd words, not with its cue words.

use smallvec::SmallVec;

use super::Hits;
use crate::lexicon::{How, LONG_HEAD, SHORT_HEAD, TermId};
use crate::scheme::Rubric;
use crate::text::lang::{self, flags};
use crate::text::tokens::Document;

/// Longest joined form looked up, in bytes: a word split by a space is a word.
const MAX_JOINED: usize = 24;

/// A cue word found at `place` by joining the word there with the next one.
pub(super) type Joined = (u32, TermId);

/// Adds to `hits` (in order of place) the cue words found by joining the answer's fragments
/// ([`Document::fragments`]) with their neighbours and in its glued words; returns the (place,
/// term) of each joined hit.
pub(super) fn add_hits(rubric: &Rubric, doc: &Document, hits: &mut Hits) -> Vec<Joined> {
    if doc.fragments.is_empty() || !rubric.lexicon.english {
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
    let mut forms = Vec::new();
    let toks = &doc.tokens;
    let view = doc.view().as_bytes();
    // A fragment that matches a cue word itself is a word the rubric knows (a name written in
    // lower case, a misspelt cue word): not half of one, nor two glued together.
    let matched = |p: u32| hits.binary_search_by_key(&p, |h| h.1).is_ok();
    let odd: SmallVec<[u32; 8]> = doc.fragments.iter().copied().filter(|&f| !matched(f)).collect();
    // The last pair looked at, by its first place: a pair of two fragments is looked at once.
    let mut done: Option<u32> = None;
    for &f in &odd {
        for a in [f.checked_sub(1), Some(f)].into_iter().flatten() {
            let b = a as usize + 1;
            if done.is_some_and(|d| d >= a) || b >= toks.len() {
                continue;
            }
            done = Some(a);
            let (ta, tb) = (&toks[a as usize], &toks[b]);
            let (wa, wb) = (doc.word(ta), doc.word(tb));
            let known = |p: u32, w: &crate::text::tokens::Word| w.flags & flags::FRAGMENT != 0 && matched(p);
            if known(a, wa) || known(b as u32, wb) {
                continue;
            }
            let (na, nb) = (&wa.norm, &wb.norm);
            let letters = |w: &str| w.bytes().all(|c| c.is_ascii_lowercase());
            let spaces = |gap: &[u8]| !gap.is_empty() && gap.iter().all(|&c| c == b' ');
            // Two fragments, or a short one beside a word, joined may be a misspelt cue word;
            // a longer fragment beside a word is nearly always a misspelling itself ("the
            // moniter"): joined, the two must make a cue word in some form ("incr ease",
            // "tempera ture"), and start as one does.
            let short = |w: &crate::text::tokens::Word| w.flags & flags::FRAGMENT != 0 && w.norm.len() <= 3;
            let misspelt = wa.flags & wb.flags & flags::FRAGMENT != 0 || short(wa) || short(wb);
            let head = if misspelt { SHORT_HEAD } else { LONG_HEAD };
            if ta.sentence != tb.sentence
                || na.len() + nb.len() > MAX_JOINED
                || !view.get(ta.end..tb.start).is_some_and(spaces)
                || !letters(na)
                || !letters(nb)
                || !rubric.lexicon.may_start(joined_head(na, nb, &mut [0; LONG_HEAD], head), head)
            {
                continue;
            }
            let mut word = compact_str::CompactString::with_capacity(na.len() + nb.len());
            word.push_str(na);
            word.push_str(nb);
            if misspelt {
                look_up(&word, &mut found);
            } else {
                forms.clear();
                rubric
                    .lexicon
                    .lookup_forms(&word, &rubric.language.stem_compact(&word), &mut forms);
                found.clear();
                found.extend(forms.iter().copied());
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
    // Fragments that match no cue word themselves may be glued words.
    for &g in &odd {
        let norm = &doc.word(&toks[g as usize]).norm;
        for range in lang::glued_words(norm) {
            let word = &norm[range];
            if !rubric.lexicon.may_start(word, LONG_HEAD) {
                continue;
            }
            forms.clear();
            rubric
                .lexicon
                .lookup_forms(word, &rubric.language.stem_compact(word), &mut forms);
            if !forms.is_empty() {
                added.extend(forms.iter().map(|&(t, how)| (t, g, how)));
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

/// The first `len` letters of two words of ASCII letters joined (fewer when they have fewer),
/// in `buf`.
fn joined_head<'b>(a: &str, b: &str, buf: &'b mut [u8; LONG_HEAD], len: usize) -> &'b str {
    let mut n = 0;
    for c in a.bytes().chain(b.bytes()).take(len.min(LONG_HEAD)) {
        buf[n] = c;
        n += 1;
    }
    std::str::from_utf8(&buf[..n]).unwrap_or("")
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
