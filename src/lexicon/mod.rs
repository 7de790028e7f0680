//! The rubric's vocabulary: every distinct cue word of a rubric (a [`Term`]: its word, stem,
//! kind and edit budget), looked up per answer word in constant time, misspellings included;
//! the [`echo`] index of the question's wording, and the [`source`] index of a reading passage's.
//! It knows words, not rubrics: the scheme compiles a rubric into a [`Lexicon`], an
//! [`echo::EchoIndex`] and a [`source::SourceIndex`], and the matcher looks the answer's words
//! up in them. Below it only [`crate::text`].
//!
//! Misspellings are found with a deletion neighbourhood (the SymSpell idea): at build time every
//! cue stem is stored with all its variants of up to `budget` deleted characters; an answer
//! word's own deletion variants are looked up in that table and each candidate is confirmed
//! with an optimal-string-alignment distance (a transposition counts as one edit). The work per
//! answer word depends on the word's length, not on the number of cues.

pub mod echo;
pub mod source;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use smallvec::SmallVec;

/// Index of a term in [`Lexicon::terms`].
pub type TermId = u32;

/// How a cue word is compared with answer words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TermKind {
    /// Same stem, or a stem within the edit budget.
    Stem,
    /// The same normalised word, nothing else (names, numbers, short words).
    Exact,
    /// Any word starting with the given characters (`bureaucra*`).
    Prefix,
}

/// One distinct cue word.
#[derive(Debug, Clone)]
pub struct Term {
    /// The normalised cue word as written (without `*` or `=`).
    pub word: String,
    pub stem: String,
    pub kind: TermKind,
    /// Edits allowed for a misspelling.
    pub budget: u8,
}

/// How an answer word matched a cue word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum How {
    Exact,
    Stem,
    Prefix,
    Fuzzy(u8),
}

impl How {
    /// Edits needed (0 unless fuzzy).
    pub fn distance(self) -> u8 {
        match self {
            How::Fuzzy(d) => d,
            _ => 0,
        }
    }
}

/// Longest word, in characters, that may be misspelt: longer "words" (a URL, a line of text
/// with no spaces) are not words a student misspells, and their deletion neighbourhoods would
/// grow with the square of their length.
pub const MAX_FUZZY_CHARS: usize = 64;

/// Edits allowed for a misspelling of a word of `len` characters: none for short words, one
/// for 5 to 8 letters, two beyond (none beyond [`MAX_FUZZY_CHARS`]).
pub fn edit_budget(len: usize) -> u8 {
    match len {
        0..=4 => 0,
        5..=8 => 1,
        9..=MAX_FUZZY_CHARS => 2,
        _ => 0,
    }
}

/// All the cue words of a rubric with their lookup tables.
#[derive(Debug, Default)]
pub struct Lexicon {
    pub terms: Vec<Term>,
    /// Term ids by word, then kind (looked up without allocating: rubrics with many variants
    /// intern the same words thousands of times).
    ids: HashMap<String, SmallVec<[(TermKind, TermId); 1]>>,
    by_word: HashMap<String, Vec<TermId>>,
    by_stem: HashMap<String, Vec<TermId>>,
    prefixes: HashMap<String, Vec<TermId>>,
    /// Deletion variants (by their hash: a collision only adds a candidate, which the edit
    /// distance then turns down) -> the terms they come from.
    deletions: HashMap<u64, SmallVec<[TermId; 2]>>,
    /// Stems of every term, so that a correctly spelt cue word is never taken as a
    /// misspelling of another cue word.
    known_stems: HashSet<String>,
    /// The first [`SHORT_HEAD`] and [`LONG_HEAD`] bytes (or fewer, for a shorter word) of every
    /// term's word and stem ([`Lexicon::may_start`]).
    heads: HashSet<u64>,
    max_budget: u8,
    /// Length in bytes of the longest prefix term: no longer prefix of an answer word is looked
    /// up (a word can be millions of bytes long).
    max_prefix: usize,
    /// Deletion variants of the prefix terms that allow misspellings (by hash) -> the terms.
    prefix_deletions: HashMap<u64, SmallVec<[TermId; 2]>>,
    /// The first letter and length, in characters, of the prefix terms that allow
    /// misspellings: a misspelt start is looked for only at the lengths of the prefixes that
    /// begin with the word's first letter.
    prefix_lens: Vec<(char, usize)>,
    /// Identifies this lexicon (as it is now) for the per-thread memo of lookups.
    generation: Generation,
    /// Lookups of new words made so far, shared by the threads that mark with this lexicon.
    shared: SharedLookups,
    /// Answers are English: a correctly spelt English word is never taken for a misspelling
    /// of another word (see [`crate::text::lang::is_english_word`]).
    pub english: bool,
}

/// Answer words (normalised) -> their matches, packed ([`pack`]), for every thread: each
/// thread of a batch keeps its own memo of words, and each met the same few thousand words and
/// looked each up again (the fuzzy lookup of a new word is its costliest step). Emptied when
/// the lexicon changes; at most [`SHARED_CAP`] words.
#[derive(Default)]
struct SharedLookups(std::sync::RwLock<HashMap<compact_str::CompactString, Box<[u64]>>>);

/// Words whose lookups [`SharedLookups`] keeps.
const SHARED_CAP: usize = 200_000;

impl SharedLookups {
    fn get(&self, norm: &str) -> Option<Box<[u64]>> {
        self.0.read().ok()?.get(norm).cloned()
    }

    fn put(&self, norm: &str, hits: &[u64]) {
        if let Ok(mut map) = self.0.write()
            && map.len() < SHARED_CAP
        {
            map.insert(norm.into(), hits.into());
        }
    }

    fn clear(&mut self) {
        if let Ok(map) = self.0.get_mut() {
            map.clear();
        }
    }
}

impl std::fmt::Debug for SharedLookups {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.0.read().map_or(0, |m| m.len());
        write!(f, "SharedLookups({n} words)")
    }
}

/// Answer word -> its matches.
type Memo = HashMap<compact_str::CompactString, Box<[(TermId, How)]>>;

/// Distinct words remembered per thread; beyond, new words are looked up without being
/// remembered (memory stays bounded, and the common words, seen first, stay).
const MEMO_CAP: usize = 100_000;

/// A number no other lexicon (or earlier state of this one) has had.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Generation(u64);

impl Generation {
    fn next() -> Generation {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        Generation(NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
    }
}

impl Default for Generation {
    fn default() -> Self {
        Generation::next()
    }
}

thread_local! {
    /// Lookups already done by this thread for one lexicon (a batch's answers use mostly the
    /// same words): per thread, so that the threads of a batch never wait for each other.
    static MEMO: std::cell::RefCell<(Generation, Memo)> = std::cell::RefCell::new((Generation(0), Memo::default()));
}

/// A match as one number, for [`Lexicon::lookup_slot`]: the term id, then how.
fn pack(term: TermId, how: How) -> u64 {
    let how = match how {
        How::Exact => 0,
        How::Stem => 1,
        How::Prefix => 2,
        How::Fuzzy(d) => 0x100 | u64::from(d),
    };
    (u64::from(term) << 32) | how
}

fn unpack(h: u64) -> (TermId, How) {
    let how = match h & 0x1FF {
        0 => How::Exact,
        1 => How::Stem,
        2 => How::Prefix,
        x => How::Fuzzy((x & 0xFF) as u8),
    };
    ((h >> 32) as TermId, how)
}

/// Strips inflectional endings (`'s`, `-ing`, `-ed`, `-es`, `-s`) so that a misspelt
/// inflected word compares with its cue word ("monitered" with "monitor"), where the Snowball
/// stem of the misspelling would have drifted ("monit").
pub fn light_stem(word: &str) -> &str {
    let w = word.strip_suffix("'s").unwrap_or(word);
    for suffix in ["ing", "ed", "es", "s"] {
        if let Some(base) = w.strip_suffix(suffix)
            && base.chars().count() >= 4
            && !(suffix == "s" && base.ends_with('s'))
        {
            return base;
        }
    }
    w
}

/// Heads of cue words ([`Lexicon::may_start`]) of this many bytes, and of this many.
pub const SHORT_HEAD: usize = 3;
pub const LONG_HEAD: usize = 5;

/// The first `len` bytes of a word (fewer for a shorter one) and how many, as one number
/// ([`Lexicon::may_start`]; `len` at most 7).
fn head(word: &str, len: usize) -> u64 {
    let b = word.as_bytes();
    let n = b.len().min(len);
    b[..n].iter().fold(n as u64, |h, &c| (h << 8) | u64::from(c))
}

/// Adds a match to `out`, or keeps the better of the two ways a term matched.
fn push(id: TermId, how: How, out: &mut Vec<(TermId, How)>) {
    if let Some(slot) = out.iter_mut().find(|(t, _)| *t == id) {
        if how.distance() < slot.1.distance() {
            slot.1 = how;
        }
    } else {
        out.push((id, how));
    }
}

/// The key of a deletion variant in [`Lexicon::deletions`].
fn variant_key(v: &str) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault};
    BuildHasherDefault::<rustc_hash::FxHasher>::default().hash_one(v)
}

/// Calls `f` with every string made by deleting up to `k` characters from `s` (including `s`).
fn for_each_deletion(s: &str, k: u8, f: &mut impl FnMut(&str)) {
    f(s);
    if k == 0 {
        return;
    }
    // Byte range of each character; deleting characters i (and j) is slicing around them.
    let bounds: Vec<(usize, usize)> = s.char_indices().map(|(i, c)| (i, i + c.len_utf8())).collect();
    let n = bounds.len();
    if n <= 1 {
        return;
    }
    let mut buf = String::with_capacity(s.len());
    for i in 0..n {
        buf.clear();
        buf.push_str(&s[..bounds[i].0]);
        buf.push_str(&s[bounds[i].1..]);
        f(&buf);
    }
    if k >= 2 && n > 2 {
        for i in 0..n {
            for j in i + 1..n {
                buf.clear();
                buf.push_str(&s[..bounds[i].0]);
                buf.push_str(&s[bounds[i].1..bounds[j].0]);
                buf.push_str(&s[bounds[j].1..]);
                f(&buf);
            }
        }
    }
}

impl Lexicon {
    /// Adds a cue word (already normalised) and returns its id; the same word and kind always
    /// get the same id.
    pub fn intern(&mut self, word: &str, stem: &str, kind: TermKind) -> TermId {
        if let Some(&(_, id)) = self.ids.get(word).and_then(|v| v.iter().find(|(k, _)| *k == kind)) {
            return id;
        }
        // Lookups remembered for the lexicon as it was are no longer right.
        self.generation = Generation::next();
        self.shared.clear();
        let id = self.terms.len() as TermId;
        let has_digit = word.chars().any(|c| c.is_ascii_digit());
        let budget = if matches!(kind, TermKind::Stem | TermKind::Prefix) && !has_digit {
            edit_budget(word.chars().count())
        } else {
            0
        };
        self.terms.push(Term {
            word: word.to_string(),
            stem: stem.to_string(),
            kind,
            budget,
        });
        self.ids.entry(word.to_string()).or_default().push((kind, id));
        for len in [SHORT_HEAD, LONG_HEAD] {
            self.heads.insert(head(word, len));
            self.heads.insert(head(stem, len));
        }
        match kind {
            TermKind::Exact => self.by_word.entry(word.to_string()).or_default().push(id),
            TermKind::Prefix => {
                self.max_prefix = self.max_prefix.max(word.len());
                self.prefixes.entry(word.to_string()).or_default().push(id);
                // A misspelt start (`surpirs*`), within the budget of the prefix's length.
                if budget > 0 {
                    let key = (word.chars().next().unwrap_or_default(), word.chars().count());
                    if !self.prefix_lens.contains(&key) {
                        self.prefix_lens.push(key);
                    }
                    for_each_deletion(word, budget, &mut |v| {
                        let list = self.prefix_deletions.entry(variant_key(v)).or_default();
                        if !list.contains(&id) {
                            list.push(id);
                        }
                    });
                }
            }
            TermKind::Stem => {
                self.by_word.entry(word.to_string()).or_default().push(id);
                self.by_stem.entry(stem.to_string()).or_default().push(id);
                self.known_stems.insert(stem.to_string());
                if budget > 0 {
                    self.max_budget = self.max_budget.max(budget);
                    // Both the word and its stem: a misspelling can change the stem
                    // ("genaral" stems to "genar", "general" to "general").
                    for form in [word, stem, light_stem(word)] {
                        for_each_deletion(form, budget, &mut |v| {
                            let list = self.deletions.entry(variant_key(v)).or_default();
                            if !list.contains(&id) {
                                list.push(id);
                            }
                        });
                    }
                }
            }
        }
        id
    }

    /// Every cue word that an answer word (normalised form and stem) matches, with how.
    /// A term appears at most once, with its best way of matching.
    pub fn lookup(&self, norm: &str, stem: &str, out: &mut Vec<(TermId, How)>) {
        out.clear();
        self.lookup_forms(norm, stem, out);
        self.lookup_misspelt(norm, stem, out);
    }

    /// [`Lexicon::lookup`] without misspellings: the cue words an answer word is, is a form
    /// of, or starts with (added to `out`).
    pub fn lookup_forms(&self, norm: &str, stem: &str, out: &mut Vec<(TermId, How)>) {
        if let Some(ids) = self.by_word.get(norm) {
            for &id in ids {
                push(id, How::Exact, out);
            }
        }
        if let Some(ids) = self.by_stem.get(stem) {
            for &id in ids {
                push(id, How::Stem, out);
            }
        }
        if !self.prefixes.is_empty() {
            for (i, _) in norm.char_indices().skip(1).take_while(|(i, _)| *i <= self.max_prefix) {
                if let Some(ids) = self.prefixes.get(&norm[..i]) {
                    for &id in ids {
                        push(id, How::Prefix, out);
                    }
                }
            }
            if let Some(ids) = self.prefixes.get(norm) {
                for &id in ids {
                    push(id, How::Prefix, out);
                }
            }
        }
    }

    /// The misspellings part of [`Lexicon::lookup`] (added to `out`).
    fn lookup_misspelt(&self, norm: &str, stem: &str, out: &mut Vec<(TermId, How)>) {
        let norm_len = norm.chars().count();
        // No budget for the answer word (too short, or too long to be a word): no misspelling.
        if (self.max_budget == 0 && self.prefix_lens.is_empty())
            || edit_budget(norm_len) == 0
            || self.known_stems.contains(stem)
            || norm.chars().any(|c| c.is_ascii_digit())
            || stem.chars().count() < 4
            || crate::text::lang::is_common_word(norm)
            || (self.english && crate::text::lang::is_english_word(norm))
        {
            return;
        }
        let first = stem.chars().next();
        let mut candidates: Vec<TermId> = Vec::new();
        let light = light_stem(norm);
        let mut forms: Vec<&str> = vec![norm];
        for f in [stem, light] {
            if !forms.contains(&f) {
                forms.push(f);
            }
        }
        for form in &forms {
            // A form of 6 characters or more may be two edits from a long cue word; shorter
            // forms can only be one edit from the cue words they could match.
            let depth = if form.chars().count() >= 6 {
                self.max_budget
            } else {
                self.max_budget.min(1)
            };
            for_each_deletion(form, depth, &mut |v| {
                if let Some(ids) = self.deletions.get(&variant_key(v)) {
                    for &id in ids {
                        if !candidates.contains(&id) {
                            candidates.push(id);
                        }
                    }
                }
            });
        }
        for id in candidates {
            let term = &self.terms[id as usize];
            // A misspelling keeps its first letter far more often than not; demanding it
            // removes most accidental matches between real words ("nation" / "ration").
            if term.stem.chars().next() != first {
                continue;
            }
            // The budget of the shorter of the two words: a short word written by the
            // student is not a misspelling of a long cue word whose stem it resembles
            // ("think" is not "thickness", whose stem is "thick").
            let allowed = term.budget.min(edit_budget(norm_len)) as usize;
            let surface =
                strsim::osa_distance(norm, &term.word).min(strsim::osa_distance(light, light_stem(&term.word)));
            let d = surface.min(strsim::osa_distance(stem, &term.stem));
            if d > 0 && d <= allowed && surface <= allowed + 1 {
                push(id, How::Fuzzy(d as u8), out);
            }
        }
        self.lookup_misspelt_prefix(norm, norm_len, first, out);
    }

    /// Prefix terms (`surpris*`) the answer word starts with, misspelt: a start of the word
    /// within the prefix's edit budget ([`edit_budget`] of the prefix's length, and never more
    /// than the word's own), with the first letter kept.
    fn lookup_misspelt_prefix(&self, norm: &str, norm_len: usize, first: Option<char>, out: &mut Vec<(TermId, How)>) {
        if self.prefix_lens.is_empty() || norm.chars().next() != first {
            return;
        }
        // Byte end of the first k characters, for every k.
        let ends: Vec<usize> = norm.char_indices().map(|(i, c)| i + c.len_utf8()).collect();
        let head = |k: usize| &norm[..ends[k - 1]];
        let mut candidates: SmallVec<[TermId; 8]> = SmallVec::new();
        // The word's start as long as each prefix: its deletions meet the prefix's whether a
        // letter was changed, swapped, left out or added (the prefix's deletions include its
        // last letter's, the start's its own).
        // A word shorter than a prefix (by no more than its budget) is looked at whole ("chare"
        // for `charge*`).
        let mut looked: SmallVec<[usize; 4]> = SmallVec::new();
        for &(c, n) in &self.prefix_lens {
            let m = n.min(norm_len);
            if Some(c) != first || n - m > usize::from(edit_budget(n)) || looked.contains(&m) {
                continue;
            }
            looked.push(m);
            for_each_deletion(head(m), edit_budget(n), &mut |v| {
                if let Some(ids) = self.prefix_deletions.get(&variant_key(v)) {
                    for &id in ids {
                        if !candidates.contains(&id) {
                            candidates.push(id);
                        }
                    }
                }
            });
        }
        for id in candidates {
            let term = &self.terms[id as usize];
            if term.word.chars().next() != first {
                continue;
            }
            let n = term.word.chars().count();
            let b = usize::from(term.budget.min(edit_budget(norm_len)));
            let d = (n.saturating_sub(b).max(1)..=(n + b).min(norm_len))
                .map(|k| strsim::osa_distance(head(k), &term.word))
                .min()
                .unwrap_or(usize::MAX);
            if d > 0 && d <= b {
                push(id, How::Fuzzy(d as u8), out);
            }
        }
    }

    /// Like [`Lexicon::lookup`], remembering the answer for the next time the same word is
    /// seen, in this answer or another; calls `f` with each match.
    /// `stem` makes the word's stem, asked for only when the word is new.
    pub fn lookup_memo(
        &self,
        norm: &str,
        stem: impl FnOnce() -> compact_str::CompactString,
        f: &mut impl FnMut(TermId, How),
    ) {
        let fresh = |f: &mut dyn FnMut(TermId, How)| {
            let mut out = Vec::new();
            self.lookup(norm, &stem(), &mut out);
            out.iter().for_each(|&(t, h)| f(t, h));
            out
        };
        MEMO.with(|cell| {
            let Ok(mut memo) = cell.try_borrow_mut() else {
                fresh(f);
                return;
            };
            if memo.0 != self.generation {
                memo.1.clear();
                memo.0 = self.generation;
            }
            if let Some(hits) = memo.1.get(norm) {
                hits.iter().for_each(|&(t, h)| f(t, h));
                return;
            }
            let out = fresh(f);
            if memo.1.len() < MEMO_CAP {
                memo.1.insert(norm.into(), out.into_boxed_slice());
            }
        });
    }

    /// Like [`Lexicon::lookup_memo`], keeping the matches in the word's slot of the word memo
    /// (no second lookup of the word; see [`crate::text::tokens::with_word_slots`]). The word
    /// is asked for only when the slot does not have its matches.
    #[inline]
    pub fn lookup_slot<'n>(
        &self,
        norm: impl FnOnce() -> &'n str,
        stem: impl FnOnce() -> compact_str::CompactString,
        slot: &mut Option<(u64, Box<[u64]>)>,
        f: &mut impl FnMut(TermId, How),
    ) {
        if let Some((generation, hits)) = slot
            && *generation == self.generation.0
        {
            hits.iter().for_each(|&h| {
                let (t, how) = unpack(h);
                f(t, how)
            });
            return;
        }
        let hits = self.fill_slot(norm(), stem(), slot);
        hits.iter().for_each(|&h| {
            let (t, how) = unpack(h);
            f(t, how)
        });
    }

    /// The matches of a word new to its slot, kept in the slot (apart from
    /// [`Lexicon::lookup_slot`], which is then small enough to be inlined where every word of
    /// every answer calls it).
    #[inline(never)]
    fn fill_slot<'s>(
        &self,
        norm: &str,
        stem: compact_str::CompactString,
        slot: &'s mut Option<(u64, Box<[u64]>)>,
    ) -> &'s [u64] {
        // Another thread may have looked the word up already.
        let hits = self.shared.get(norm).unwrap_or_else(|| {
            let mut out = Vec::new();
            self.lookup(norm, &stem, &mut out);
            let hits: Box<[u64]> = out.iter().map(|&(t, h)| pack(t, h)).collect();
            self.shared.put(norm, &hits);
            hits
        });
        &slot.insert((self.generation.0, hits)).1
    }

    /// Whether a word starts as some cue word does (its first `len` bytes, [`SHORT_HEAD`] or
    /// [`LONG_HEAD`], or all of a shorter word, are those of a cue word or its stem): a quick
    /// test before looking up a word made up in passing, which a cue word misspelt in its
    /// first letters escapes.
    pub fn may_start(&self, word: &str, len: usize) -> bool {
        self.heads.contains(&head(word, len))
    }

    /// Whether a word (by its stem) is itself a cue word of the rubric.
    pub fn knows_stem(&self, stem: &str) -> bool {
        self.known_stems.contains(stem)
    }

    /// Number of distinct cue words.
    pub fn len(&self) -> usize {
        self.terms.len()
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::lang::Language;

    fn lex(words: &[(&str, TermKind)]) -> Lexicon {
        let en = Language::english();
        let mut l = Lexicon::default();
        for (w, k) in words {
            l.intern(w, &en.stem(w), *k);
        }
        l
    }

    fn find(l: &Lexicon, word: &str) -> Vec<(String, How)> {
        let en = Language::english();
        let mut out = Vec::new();
        l.lookup(word, &en.stem(word), &mut out);
        out.into_iter()
            .map(|(id, how)| (l.terms[id as usize].word.clone(), how))
            .collect()
    }

    /// Matches of a word through a slot of its own, as a thread's word memo keeps one.
    fn through_slot(l: &Lexicon, word: &str) -> Vec<(String, How)> {
        let en = Language::english();
        let mut slot = None;
        let mut out = Vec::new();
        l.lookup_slot(|| word, || en.stem_compact(word), &mut slot, &mut |id, how| {
            out.push((l.terms[id as usize].word.clone(), how))
        });
        out
    }

    #[test]
    fn lookups_shared_between_threads_are_those_of_the_lexicon_as_it_is() {
        let en = Language::english();
        let mut l = lex(&[("patronage", TermKind::Stem)]);
        let first = through_slot(&l, "patronige");
        assert_eq!(first, find(&l, "patronige"));
        assert!(!first.is_empty());
        // Another slot (another thread) gets the shared lookup: the same matches.
        assert_eq!(through_slot(&l, "patronige"), first);
        // A new cue word empties what was shared.
        l.intern("patronige", &en.stem("patronige"), TermKind::Exact);
        let now = through_slot(&l, "patronige");
        assert_eq!(now, find(&l, "patronige"));
        assert!(
            now.iter().any(|(w, how)| w == "patronige" && *how == How::Exact),
            "{now:?}"
        );
    }

    #[test]
    fn prefix_wildcards_accept_misspelt_starts_within_their_budget() {
        let l = lex(&[
            ("surpris", TermKind::Prefix),
            ("photosynth", TermKind::Prefix),
            ("cell", TermKind::Prefix),
        ]);
        let fuzzy = |w: &str| -> Vec<(String, How)> {
            find(&l, w)
                .into_iter()
                .filter(|(_, h)| matches!(h, How::Fuzzy(_)))
                .collect()
        };
        // One edit in a seven-letter prefix; the rest of the word is free.
        assert_eq!(fuzzy("surprizing"), [("surpris".to_string(), How::Fuzzy(1))]);
        assert_eq!(fuzzy("suprised"), [("surpris".to_string(), How::Fuzzy(1))]);
        // Two edits: beyond a seven-letter prefix's budget (as for the whole word).
        assert!(fuzzy("suprized").is_empty());
        // A ten-letter prefix allows two.
        assert_eq!(fuzzy("fotosynthesis"), []);
        assert_eq!(fuzzy("photosinthesis"), [("photosynth".to_string(), How::Fuzzy(1))]);
        assert_eq!(fuzzy("potosinthesis"), [("photosynth".to_string(), How::Fuzzy(2))]);
        // The right spelling is a prefix match, not a misspelling; a short prefix allows none;
        // another first letter is not a misspelling; an English word is never one.
        assert_eq!(find(&l, "surprised"), [("surpris".to_string(), How::Prefix)]);
        assert!(fuzzy("sells").is_empty() && fuzzy("cekls").is_empty());
        assert!(fuzzy("xurprising").is_empty());
        assert!(fuzzy("supremacy").is_empty());
        // A word shorter than the prefix, within its budget, is looked at whole, whatever
        // other prefixes the rubric has.
        assert_eq!(fuzzy("surpri"), [("surpris".to_string(), How::Fuzzy(1))]);
        assert!(fuzzy("surp").is_empty());
    }

    #[test]
    fn table_of_lookups() {
        let l = lex(&[
            ("patronage", TermKind::Stem),
            ("monitor", TermKind::Stem),
            ("secretary", TermKind::Stem),
            ("stalin", TermKind::Exact),
            ("bureaucra", TermKind::Prefix),
            ("policy", TermKind::Stem),
            ("general", TermKind::Stem),
            ("thickness", TermKind::Stem),
            ("army", TermKind::Stem),
        ]);
        let cases: &[(&str, Option<(&str, How)>)] = &[
            ("patronage", Some(("patronage", How::Exact))),
            ("patronige", Some(("patronage", How::Fuzzy(1)))),
            ("monitoring", Some(("monitor", How::Stem))),
            ("monitered", Some(("monitor", How::Fuzzy(1)))),
            ("secretery", Some(("secretary", How::Fuzzy(1)))),
            ("secertary", Some(("secretary", How::Fuzzy(1)))),
            ("stalin", Some(("stalin", How::Exact))),
            ("stalins", None),
            ("bureaucracy", Some(("bureaucra", How::Prefix))),
            ("bureaucrats", Some(("bureaucra", How::Prefix))),
            ("arm", None),
            ("xatronage", None),
            ("patrol", None),
            ("genaral", Some(("general", How::Fuzzy(1)))),
            ("think", None),
        ];
        for (word, want) in cases {
            let got = find(&l, word);
            match want {
                Some((w, how)) => assert!(
                    got.iter().any(|(g, h)| g == w && h == how),
                    "{word}: want {w} {how:?}, got {got:?}"
                ),
                None => assert!(got.is_empty(), "{word}: want nothing, got {got:?}"),
            }
        }
    }

    #[test]
    fn heads_of_cue_words() {
        let l = lex(&[
            ("temperature", TermKind::Stem),
            ("up", TermKind::Exact),
            ("bureaucra", TermKind::Prefix),
        ]);
        for (word, len, want) in [
            ("temperatures", SHORT_HEAD, true),
            ("temxyz", SHORT_HEAD, true),
            ("temxyz", LONG_HEAD, false),
            ("tempe", LONG_HEAD, true),
            ("up", LONG_HEAD, true),
            ("upper", SHORT_HEAD, false),
            ("bureaucracy", LONG_HEAD, true),
            ("tmperature", SHORT_HEAD, false),
        ] {
            assert_eq!(l.may_start(word, len), want, "{word} {len}");
        }
    }

    #[test]
    fn budget_scales_with_length() {
        assert_eq!(edit_budget(4), 0);
        assert_eq!(edit_budget(5), 1);
        assert_eq!(edit_budget(8), 1);
        assert_eq!(edit_budget(9), 2);
        let l = lex(&[("commissars", TermKind::Stem)]);
        assert!(!find(&l, "comissars").is_empty());
        assert!(
            find(&l, "comisar").is_empty(),
            "7 letters: one edit, and comisar is two away"
        );
        assert!(find(&l, "cmisar").is_empty());
    }

    #[test]
    fn exact_terms_never_fuzzy() {
        let l = lex(&[("orgburo", TermKind::Exact)]);
        assert!(find(&l, "orgbureau").is_empty());
        assert!(find(&l, "orgburo").len() == 1);
    }

    /// A line with no spaces is one word of megabytes: looking it up took time in the square of
    /// its length (every prefix hashed, every one- and two-letter deletion built), and so did
    /// interning a cue word of thousands of letters. Both must now be quick.
    #[test]
    fn words_of_megabytes_are_looked_up_quickly() {
        let long_cue = "a".repeat(2000);
        let l = lex(&[
            ("patronage", TermKind::Stem),
            ("bureaucra", TermKind::Prefix),
            (long_cue.as_str(), TermKind::Stem),
        ]);
        assert_eq!(l.terms[2].budget, 0, "no misspellings of a 2,000-letter word");
        let huge = "patronage".repeat(1024 * 1024 / 9);
        assert!(find(&l, &huge).is_empty());
        let prefixed = format!("bureaucra{}", "cy".repeat(512 * 1024));
        assert_eq!(find(&l, &prefixed).len(), 1);
        assert_eq!(edit_budget(MAX_FUZZY_CHARS), 2);
        assert_eq!(edit_budget(MAX_FUZZY_CHARS + 1), 0);
        // A misspelling at the length limit is still found.
        let long_word = format!("patronage{}", "x".repeat(MAX_FUZZY_CHARS - 9));
        let l = lex(&[(long_word.as_str(), TermKind::Stem)]);
        let misspelt = long_word.replacen("patronage", "patronige", 1);
        assert!(!find(&l, &misspelt).is_empty());
    }
}
