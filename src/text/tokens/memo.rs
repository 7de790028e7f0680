//! The word memo: each distinct word of a thread's answers normalised and stemmed once
//! ([`Forms`]), found again through a table of short words (`ShortWords`, a word's bytes as
//! its key) or the memo's index; and the shared slots that matching keeps per word.

use std::cell::RefCell;

use compact_str::CompactString;

use super::glued::split_glued;
use super::*;

/// A word's normalised form, the hashes of that form and of its stem, and what the rules make of it.
///
/// Laid out in one cache line each: looking a word up ([`ShortWords`]) reads its key here, and
/// making its token reads the rest.
#[derive(Clone)]
#[repr(C, align(64))]
pub(super) struct Forms {
    /// The word as written, as a [`ShortWords`] key (zero for a word that has none).
    pub(super) key: [u64; 2],
    pub(super) norm: CompactString,
    pub(super) clause_word: bool,
    /// Whether the word, as a whole segment, is one word ([`split_glued`] leaves it whole).
    pub(super) alone: bool,
    pub(super) flags: u8,
    /// The number of the last document that has the word ([`WordMemo::document`]) and the
    /// index of its [`Word`] there: each word of a document is kept once. (In the bytes the
    /// line has to spare: looking elsewhere for every word of an answer cost 5% of the time.)
    pub(super) document: u16,
    pub(super) index: u16,
    pub(super) hash: u64,
    pub(super) stem_hash: u64,
}

const _: () = assert!(std::mem::size_of::<Forms>() == 64);

/// Texts of this many bytes or more keep each of their words once ([`Document::words`]).
pub const SHARED_WORDS: usize = 1 << 16;

/// Words longer than this (in bytes) are not remembered.
pub(super) const FORMS_MAX_WORD: usize = 48;
/// Distinct words remembered per thread; beyond, new words are not remembered (the common
/// words of a batch are seen first, and the memo keeps them; rare words and misspellings come
/// and go).
const FORMS_CAP: usize = 100_000;

/// One remembered word's slot for the matcher: what the word matches
/// in a rubric's lexicon (see [`with_word_slots`]).
pub struct WordSlot {
    /// (lexicon generation, packed matches), filled by the matcher.
    pub lexicon: Option<(u64, Box<[u64]>)>,
}

/// The words this thread has seen, for one language.
pub(super) struct WordMemo {
    pub(super) language: &'static str,
    /// Changes whenever the memo starts again: slot numbers of older documents are then stale.
    pub(super) epoch: u64,
    /// Slots of ASCII words of up to 16 bytes (nearly every word).
    pub(super) short: ShortWords,
    /// Slots of the other words.
    pub(super) index: rustc_hash::FxHashMap<CompactString, u32>,
    /// Each word's forms, by slot.
    pub(super) forms: Vec<Forms>,
    /// Each word's slot for the matcher, apart from the forms: the matcher reads these for
    /// every word of an answer, and they lie closer together alone (24 bytes each).
    pub(super) slots: Vec<WordSlot>,
    /// The number of the document being read (from 1; 0 is none), as kept in [`Forms`].
    pub(super) document: u16,
}

impl WordMemo {
    pub(super) fn empty() -> WordMemo {
        WordMemo {
            language: "",
            epoch: 0,
            short: ShortWords::default(),
            index: Default::default(),
            forms: Vec::new(),
            slots: Vec::new(),
            document: 0,
        }
    }

    /// Starts a new document: the words of the last one are forgotten.
    pub(super) fn next_document(&mut self) {
        if self.document == u16::MAX {
            self.forms.iter_mut().for_each(|f| f.document = 0);
            self.document = 0;
        }
        self.document += 1;
    }

    /// The index in `words` of the word in slot `k` in the document being read, added when new.
    #[inline(always)]
    pub(super) fn word(&mut self, k: u32, words: &mut Vec<Word>) -> u32 {
        let f = &mut self.forms[k as usize];
        if f.document == self.document {
            return u32::from(f.index);
        }
        let w = words.len();
        words.push(Word::of(f));
        // Beyond 65,535 words a document keeps a word once per token.
        if let Ok(index) = u16::try_from(w) {
            f.document = self.document;
            f.index = index;
        }
        w as u32
    }
}

thread_local! {
    /// The forms of the words this thread has seen, for one language: a class's answers use
    /// the same few thousand words, and normalising and stemming them again for every answer
    /// was most of the time spent reading an answer. Per thread, so the threads of a batch
    /// never wait for each other. Each token remembers its word's slot ([`Token::slot`]), so
    /// the matcher finds the word's matches without looking the word up again.
    static WORDS: RefCell<WordMemo> = RefCell::new(WordMemo::empty());
}

/// Empties this thread's word memo and gives its memory back (a batch does so on each of its
/// threads once every answer is read: the memo can hold 100,000 words). Documents read before
/// keep working; they no longer find their words' slots.
pub fn forget_words() {
    WORDS.with(|cell| {
        if let Ok(mut memo) = cell.try_borrow_mut() {
            *memo = WordMemo::empty();
        }
    });
}

/// A number no memo has had (0 is "none").
fn next_epoch() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// Calls `f` with this thread's word slots when `epoch` is theirs (the document was read on
/// this thread, and the memo has not started again since), else with `None`.
pub fn with_word_slots<R>(epoch: u64, f: impl FnOnce(Option<&mut [WordSlot]>) -> R) -> R {
    let mut f = Some(f);
    let done = WORDS.with(|cell| {
        let mut memo = cell.try_borrow_mut().ok()?;
        if epoch == 0 || memo.epoch != epoch {
            return None;
        }
        let f = f.take()?;
        Some(f(Some(&mut memo.slots)))
    });
    match done {
        Some(r) => r,
        None => match f.take() {
            Some(f) => f(None),
            None => unreachable!("the closure runs once"),
        },
    }
}

/// The forms of a word as written (a segment of the answer), with its slot in `memo` (this
/// thread's, borrowed once per document) when it has one.
pub(super) fn forms(word: &str, language: &Language, memo: Option<&mut WordMemo>) -> (Forms, u32) {
    let compute = || {
        let english = language.name() == "english";
        let norm = normalize_word(word);
        let stem = if norm.is_empty() {
            CompactString::default()
        } else {
            language.stem_compact(&norm)
        };
        Forms {
            key: ShortWords::key(word.as_bytes()).unwrap_or([0, 0]),
            clause_word: lang::is_clause_word_in(&norm, language.name()),
            alone: split_glued(word).as_slice() == [(0, word.len(), false)]
                && super::contractions::contraction(word).is_none()
                && super::contractions::elision(word).is_none(),
            flags: lang::word_flags_in(&norm, language.name())
                | if english && !is_name(word) && lang::is_fragment(&norm) {
                    lang::flags::FRAGMENT
                } else {
                    0
                },
            document: 0,
            index: 0,
            hash: crate::text::hash::bytes_hash(crate::text::confusables::skeleton(&norm).as_bytes()),
            stem_hash: crate::text::hash::bytes_hash(stem.as_bytes()),
            norm: CompactString::from(norm),
        }
    };
    let Some(memo) = memo.filter(|_| word.len() <= FORMS_MAX_WORD) else {
        return (compute(), NO_SLOT);
    };
    let short = ShortWords::key(word.as_bytes());
    let known = match short {
        Some(key) => memo.short.get(key, |k| memo.forms[k as usize].key),
        None => memo.index.get(word).copied(),
    };
    if let Some(k) = known {
        return (memo.forms[k as usize].clone(), k);
    }
    let f = compute();
    if memo.slots.len() >= FORMS_CAP {
        return (f, NO_SLOT);
    }
    let k = memo.slots.len() as u32;
    memo.forms.push(f.clone());
    memo.slots.push(WordSlot { lexicon: None });
    match short {
        Some(key) => {
            let forms = &memo.forms;
            memo.short.insert(key, k, |k| forms[k as usize].key);
        }
        None => {
            memo.index.insert(CompactString::from(word), k);
        }
    }
    (f, k)
}

/// Whether a word as written looks like a name: a capital, then three lower-case letters or
/// more ("Stalin", "Rabkrin"). A name is no fragment of a word split by a stray space, though no
/// word list has it.
fn is_name(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(char::is_uppercase) && {
        let rest = chars.as_str();
        rest.chars().count() >= 3 && rest.chars().all(char::is_lowercase)
    }
}

/// The slots of ASCII words of 1 to 16 bytes, each word packed into two integers (its bytes,
/// zero padded: a word has no zero byte): finding a word is one multiplication and a
/// comparison of two integers, not the hashing and comparing of a string. Open addressing,
/// linear probing, at most half full. The table holds only slot numbers, with a few bits of
/// the word's hash beside them (4 bytes a word: a class's vocabulary fits in the processor's
/// cache); the keys are the words' own ([`Forms::key`]), read only where those bits agree.
#[derive(Default)]
pub(super) struct ShortWords {
    /// `tag << SLOT_BITS | (slot + 1)`; 0 is an empty place.
    pub(super) table: Vec<u32>,
    pub(super) len: usize,
}

/// Bits of a [`ShortWords`] entry that hold the slot (plus one).
const SLOT_BITS: u32 = 17;
const SLOT_MASK: u32 = (1 << SLOT_BITS) - 1;
const _: () = assert!(FORMS_CAP < SLOT_MASK as usize);

impl ShortWords {
    /// The key of an ASCII word of 1 to 16 bytes, else `None`. (The bytes are loaded in a few
    /// overlapping pieces; no byte outside the word is read.)
    #[inline]
    pub(super) fn key(word: &[u8]) -> Option<[u64; 2]> {
        let n = word.len();
        if n == 0 || n > 16 || !word.is_ascii() {
            return None;
        }
        if n >= 8 {
            let lo = u64::from_le_bytes(word[..8].try_into().ok()?);
            return Some([lo, Self::partial(&word[8..])]);
        }
        Some([Self::partial(word), 0])
    }

    /// Up to 7 bytes as a little-endian integer (zero above them).
    #[inline]
    pub(super) fn partial(b: &[u8]) -> u64 {
        let n = b.len();
        if n >= 4 {
            let lo = u64::from(u32::from_le_bytes([b[0], b[1], b[2], b[3]]));
            let hi = u64::from(u32::from_le_bytes([b[n - 4], b[n - 3], b[n - 2], b[n - 1]]));
            // The two loads overlap where n < 8: the same bytes land in the same places.
            lo | (hi << (8 * (n - 4)))
        } else if n > 0 {
            u64::from(b[0]) | (u64::from(b[n / 2]) << (8 * (n / 2))) | (u64::from(b[n - 1]) << (8 * (n - 1)))
        } else {
            0
        }
    }

    /// The place of a key in a table of `mask + 1` places (bits 32 and up of its hash), and its
    /// tag (the top 15 bits; in the largest tables, of 2^18 places, the two share a bit or two,
    /// which only makes the tag a little less telling: keys are always compared).
    #[inline]
    pub(super) fn place(key: [u64; 2], mask: usize) -> (usize, u32) {
        let h =
            (key[0] ^ key[1].rotate_left(29).wrapping_mul(0x9e37_79b9_7f4a_7c15)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        (((h >> 32) as usize) & mask, (h >> (32 + SLOT_BITS)) as u32)
    }

    /// The slot of `key`; `key_of` gives the key of a slot.
    #[inline]
    pub(super) fn get(&self, key: [u64; 2], key_of: impl Fn(u32) -> [u64; 2]) -> Option<u32> {
        if self.table.is_empty() {
            return None;
        }
        let mask = self.table.len() - 1;
        let (mut i, tag) = Self::place(key, mask);
        loop {
            let e = self.table[i];
            if e == 0 {
                return None;
            }
            if e >> SLOT_BITS == tag {
                let slot = (e & SLOT_MASK) - 1;
                if key_of(slot) == key {
                    return Some(slot);
                }
            }
            i = (i + 1) & mask;
        }
    }

    /// Adds `key` (not there yet) as `slot`; `key_of` gives the key of a slot.
    pub(super) fn insert(&mut self, key: [u64; 2], slot: u32, key_of: impl Fn(u32) -> [u64; 2]) {
        if (self.len + 1) * 2 > self.table.len() {
            let size = (self.table.len() * 2).max(1024);
            let old = std::mem::replace(&mut self.table, vec![0; size]);
            self.len = 0;
            for e in old.into_iter().filter(|&e| e != 0) {
                let s = (e & SLOT_MASK) - 1;
                self.put(key_of(s), s);
            }
        }
        self.put(key, slot);
    }

    pub(super) fn put(&mut self, key: [u64; 2], slot: u32) {
        let mask = self.table.len() - 1;
        let (mut i, tag) = Self::place(key, mask);
        while self.table[i] != 0 {
            i = (i + 1) & mask;
        }
        self.table[i] = (tag << SLOT_BITS) | (slot + 1);
        self.len += 1;
    }

    pub(super) fn clear(&mut self) {
        self.table.clear();
        self.len = 0;
    }
}

/// Calls `f` with this thread's word memo for `language` (started again when it was for
/// another language), or `None` when it is in use; and the memo's epoch (0 with `None`).
pub(super) fn with_memo<R>(language: &Language, f: impl FnOnce(Option<&mut WordMemo>, u64) -> R) -> R {
    WORDS.with(|cell| match cell.try_borrow_mut() {
        Ok(mut memo) => {
            // Names are the same `&'static str`s: comparing where they point is enough.
            if !std::ptr::eq(memo.language, language.name()) || memo.epoch == 0 {
                memo.short.clear();
                memo.index.clear();
                memo.forms.clear();
                memo.slots.clear();
                memo.language = language.name();
                memo.epoch = next_epoch();
            }
            let epoch = memo.epoch;
            f(Some(&mut memo), epoch)
        }
        Err(_) => f(None, 0),
    })
}

/// [`Token::slot`] of a word that has no slot.
pub const NO_SLOT: u32 = u32::MAX;
