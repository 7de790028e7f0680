//! Words whose spaces went astray, as transcribed answers have them (English rubrics).
//!
//! - **Split by a stray space**: "too h ot", "the mo re hot", "pai nted". A cue word may be
//!   found by joining two neighbouring words with only spaces between them when one is a
//!   fragment ([`crate::text::lang::is_fragment`]: no word of the lists). Joined, a short
//!   fragment (three letters or fewer) and its neighbour may be a misspelt cue word; two
//!   longer pieces must make a cue word in some form ("incr ease", "tempera ture"), not a
//!   misspelling of one (a longer fragment is nearly always a misspelt word itself: "the
//!   moniter"). The joined form is looked up as any
//!   answer word is (forms, misspellings), and counts for the cue words that neither piece
//!   matches on its own, at the place of the first piece.
//! - **Glued by a lost space**: "ribosomesthe", "heatthe". A fragment (a lower-case word that
//!   is no word of the lists) that matches no cue word, but is a common word glued to another
//!   ([`crate::text::lang::glued_words`]), counts for the cue words that other word matches in
//!   any form (not misspelt: one slip is a guess, two are too many).
//!
//! Only the words the tokenizer marked as fragments ([`lang::flags::FRAGMENT`]: set once per distinct
//! word) are looked at; a joined or glued form is looked up only when it starts as a cue word
//! does (its first three letters, five where it must be a form of one:
//! [`crate::lexicon::Lexicon::may_start`]; most fragments are misspelt words, and their
//! neighbours joined to them make new strings), each once per thread
//! (the lexicon's memo): the cost grows with the answer's odd words, not with its cue words.

use smallvec::SmallVec;

use super::Hits;
use crate::lexicon::{How, LONG_HEAD, SHORT_HEAD, TermId};
use crate::scheme::Rubric;
use crate::text::lang;
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
    let toks = &doc.tokens;
    let view = doc.view().as_bytes();
    // What each fragment matches itself, in one walk over the hits (both are in order of place).
    let mut own: SmallVec<[Own; 8]> = SmallVec::with_capacity(doc.fragments.len());
    let mut h = 0;
    for &f in &doc.fragments {
        h += hits[h..].partition_point(|x| x.1 < f);
        let mine = &hits[h..h + hits[h..].partition_point(|x| x.1 == f)];
        own.push(match () {
            _ if mine.is_empty() => Own::Nothing,
            _ if doc.word(&toks[f as usize]).norm.len() >= 4 && mine.iter().any(|x| x.2 == How::Exact) => Own::Word,
            _ => Own::Form,
        });
    }
    // What the token at `p` matches itself, if it is a fragment (`k`: its index among them).
    let own_at = |k: usize, p: u32| match doc.fragments.get(k) {
        Some(&f) if f == p => Some(own[k]),
        _ => None,
    };
    let mut added: SmallVec<[(TermId, u32, How); 4]> = SmallVec::new();
    let mut joined = Vec::new();
    let mut found = Vec::new();
    // The last pair looked at, by its first place: a pair of two fragments is looked at once.
    let mut done: Option<u32> = None;
    for (k, &f) in doc.fragments.iter().enumerate() {
        if own[k] == Own::Word {
            continue;
        }
        for a in [f.checked_sub(1), Some(f)].into_iter().flatten() {
            let b = a + 1;
            if done.is_some_and(|d| d >= a) || b as usize >= toks.len() {
                continue;
            }
            done = Some(a);
            // The other piece, if a fragment, and what each matches itself.
            let (own_a, own_b) = if a == f {
                (Some(own[k]), own_at(k + 1, b))
            } else {
                (k.checked_sub(1).and_then(|j| own_at(j, a)), Some(own[k]))
            };
            let (ta, tb) = (&toks[a as usize], &toks[b as usize]);
            let (wa, wb) = (doc.word(ta), doc.word(tb));
            let (na, nb) = (&wa.norm, &wb.norm);
            // A short fragment (three letters or fewer) and its neighbour, joined, may be a
            // misspelt cue word ("tempratu re"); two longer pieces must make a cue word in some
            // form ("incr ease", "tempera ture") and start as one does: a longer fragment is
            // nearly always a misspelt word itself ("the moniter"), and one that matches a cue
            // word itself in any way is a word.
            let short = |own: Option<Own>, w: &str| own.is_some() && w.len() <= 3;
            let misspelt = short(own_a, na) || short(own_b, nb);
            let word_like = |own: Option<Own>| match own {
                Some(Own::Word) => true,
                Some(Own::Form) => !misspelt,
                _ => false,
            };
            let head = if misspelt { SHORT_HEAD } else { LONG_HEAD };
            let letters = |w: &str| w.bytes().all(|c| c.is_ascii_lowercase());
            let spaces = |gap: &[u8]| !gap.is_empty() && gap.iter().all(|&c| c == b' ');
            if word_like(own_a)
                || word_like(own_b)
                || ta.sentence != tb.sentence
                || na.len() + nb.len() > MAX_JOINED
                || !view.get(ta.end..tb.start).is_some_and(spaces)
                || !letters(na)
                || !letters(nb)
                || !rubric
                    .lexicon
                    .may_start(joined_head(na, nb, &mut [0; LONG_HEAD], head), head)
            {
                continue;
            }
            let mut word = compact_str::CompactString::with_capacity(na.len() + nb.len());
            word.push_str(na);
            word.push_str(nb);
            found.clear();
            if misspelt {
                rubric
                    .lexicon
                    .lookup_memo(&word, || rubric.language.stem_compact(&word), &mut |t, how| {
                        found.push((t, how))
                    });
            } else {
                rubric
                    .lexicon
                    .lookup_forms(&word, &rubric.language.stem_compact(&word), &mut found);
            }
            // Cue words the two pieces match on their own are not found again.
            let lo = hits.partition_point(|x| x.1 < a);
            let pieces = &hits[lo..lo + hits[lo..].partition_point(|x| x.1 <= b)];
            for &(t, how) in &found {
                if !pieces.iter().any(|x| x.0 == t) {
                    added.push((t, a, how));
                    joined.push((a, t));
                }
            }
        }
    }
    // Fragments that match no cue word themselves may be glued words.
    for (k, &g) in doc.fragments.iter().enumerate() {
        if own[k] != Own::Nothing {
            continue;
        }
        let norm = &doc.word(&toks[g as usize]).norm;
        for range in lang::glued_words(norm) {
            let word = &norm[range];
            if !rubric.lexicon.may_start(word, LONG_HEAD) {
                continue;
            }
            found.clear();
            rubric
                .lexicon
                .lookup_forms(word, &rubric.language.stem_compact(word), &mut found);
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

/// What a fragment matches itself.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Own {
    Nothing,
    /// Another form of a cue word, or a misspelling of one ("cooles" for `cool`).
    Form,
    /// A cue word as it is, of four letters or more: a name written in lower case ("stalin"),
    /// a word the rubric knows. Never half of a word.
    Word,
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
