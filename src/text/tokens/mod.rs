//! Segmentation and normalisation: sentences and words by Unicode rules (UAX #29), each word
//! normalised (NFKC, case folded, one apostrophe) and stemmed, with byte offsets into the
//! original text. Glued words are split ([`glued`]), negative contractions read as two words
//! ([`contractions`]), and fragments of words split by a stray space noted for the matcher
//! ([`Document::fragments`]).

use std::ops::Range;

use compact_str::CompactString;

use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

use super::lang::{self, Language};
use super::lines::LineIndex;
use super::markdown::matching_view;
use super::read::Format;
use super::segment;

mod contractions;
mod glued;
mod memo;

use contractions::{contraction, elision};
use glued::each_glued;
#[cfg(test)]
use glued::{split_glued, split_glued_chars};
use memo::{Forms, ShortWords, WordMemo, forms, with_memo};
pub use memo::{NO_SLOT, SHARED_WORDS, forget_words, with_word_slots};

/// One word of an answer: where it is, and which of the document's [`Word`]s it is. Small
/// (32 bytes): an answer of 16 MB can have 8 million words.
#[derive(Debug, Clone)]
pub struct Token {
    /// Byte range in the original text.
    pub start: usize,
    pub end: usize,
    /// Index of the sentence it belongs to.
    pub sentence: u32,
    /// Clause number, counted over the whole text; clauses end at , ; : brackets dashes and
    /// clause words (`but`, `because`...).
    pub clause: u32,
    /// Its word, an index into [`Document::words`] ([`Document::word`]).
    pub word: u32,
    /// The word's slot in this thread's word memo ([`with_word_slots`]), or [`NO_SLOT`].
    pub slot: u32,
}

/// A word of a document, kept once however often it occurs (tokens of the same word share it,
/// nearly always): its normalised form and what is known of it.
#[derive(Debug, Clone)]
pub struct Word {
    /// Normalised form: NFKC, lower case, straight apostrophes. (Words of up to 24 bytes, nearly
    /// all of them, are stored inline, without an allocation.)
    pub norm: CompactString,
    /// What the word is to the negation rules ([`lang::flags`]).
    pub flags: u8,
    /// [`super::hash::bytes_hash`] of `norm`'s look-alike skeleton (`norm` itself unless it has
    /// Cyrillic or Greek letters; see [`super::confusables::skeleton`]), for the near-duplicate
    /// search.
    pub hash: u64,
    /// [`super::hash::bytes_hash`] of the word's stem (for question echo).
    pub stem_hash: u64,
}

impl Word {
    /// The Snowball stem of `norm`, made when asked (the matcher asks only for words it has not
    /// seen before; keeping it made tokens a third larger).
    pub fn stem(&self, language: &Language) -> CompactString {
        language.stem_compact(&self.norm)
    }

    #[inline(always)]
    fn of(f: &Forms) -> Word {
        Word {
            norm: f.norm.clone(),
            flags: f.flags,
            hash: f.hash,
            stem_hash: f.stem_hash,
        }
    }
}

/// An answer, segmented and normalised, ready to be matched.
#[derive(Debug)]
pub struct Document {
    pub text: String,
    /// The text as the matcher sees it ([`Document::view`]), when it is not the text itself.
    view: Option<String>,
    pub tokens: Vec<Token>,
    /// The words of `tokens`, in order: in a text of `SHARED_WORDS` bytes or more, each word
    /// once (nearly: a word too long for the word memo, or beyond its capacity, is kept once
    /// per token); in a shorter one, one per token (quicker, and small anyway).
    pub words: Vec<Word>,
    /// Byte ranges of the sentences in the original text (trimmed of surrounding space).
    pub sentences: Vec<Range<usize>>,
    /// Where lines start, made the first time a line number is asked for (batch marking
    /// without evidence never asks).
    lines: std::sync::OnceLock<LineIndex>,
    /// The epoch of the word memo the tokens' slots belong to (0: none).
    pub memo_epoch: u64,
    /// The tokens whose words are fragments ([`super::lang::is_fragment`]: no word of the
    /// English lists, maybe half a word split by a stray space), in order: found as the words
    /// are read, so that the matcher looks at these few alone.
    pub fragments: Vec<u32>,
}

/// Normalises one word: invisible characters removed and Cyrillic or Greek look-alikes in a
/// Latin word made Latin ([`super::confusables::fold_word`]), NFKC, lower case, curly and
/// modifier apostrophes made straight, leading and trailing apostrophes and underscores removed.
pub fn normalize_word(word: &str) -> String {
    if word.is_ascii() {
        // NFKC leaves ASCII alone: only case and the edges need work.
        let mut out = word
            .trim_matches(|c| c == '\'' || c == '_' || c == '`')
            .to_ascii_lowercase();
        if out.contains('`') {
            out = out.replace('`', "'");
        }
        return out;
    }
    // Invisible characters out, look-alike letters of a mostly Latin word made Latin.
    let word = super::confusables::fold_word(word);
    let mut out = String::with_capacity(word.len());
    for c in word.nfkc() {
        match c {
            '\u{2019}' | '\u{2018}' | '\u{02BC}' | '\u{2032}' | '`' | '\u{00B4}' => out.push('\''),
            c => out.extend(c.to_lowercase()),
        }
    }
    let trimmed = out.trim_matches(|c| c == '\'' || c == '_');
    if trimmed.len() == out.len() {
        out
    } else {
        trimmed.to_string()
    }
}

/// Whether a UAX #29 word segment is a word (has a letter or a digit) rather than space or
/// punctuation.
#[inline]
fn is_word(segment: &str) -> bool {
    // Nearly every segment is a word starting with a letter, or one space or punctuation mark.
    match segment.as_bytes() {
        [b, ..] if b.is_ascii_alphanumeric() => true,
        [b] if b.is_ascii() => false,
        _ => is_word_slow(segment),
    }
}

#[cold]
fn is_word_slow(segment: &str) -> bool {
    if segment.is_ascii() {
        return segment.bytes().any(|b| b.is_ascii_alphanumeric());
    }
    segment.chars().any(char::is_alphanumeric)
}

/// Whether a punctuation segment ends a clause.
#[inline]
fn is_clause_break(segment: &str) -> bool {
    if let [b] = segment.as_bytes() {
        return matches!(b, b',' | b';' | b':' | b'(' | b')' | b'[' | b']' | b'"');
    }
    segment.chars().any(|c| {
        matches!(
            c,
            ',' | ';' | ':' | '(' | ')' | '[' | ']' | '\u{2013}' | '\u{2014}' | '"' | '\u{201C}' | '\u{201D}'
        )
    })
}

/// Splits a short text (a cue, a prompt) into normalised words, the way answers are split.
/// A negative contraction is two words ([`contraction`]): "couldn't" is "could" "not"; so is
/// an elision ([`elision`]): "l'appareil" is "l" "appareil".
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for w in text.split_word_bounds().filter(|w| is_word(w)) {
        match (contraction(w), elision(w)) {
            (Some((len, head)), _) => {
                out.push(head.map_or_else(|| normalize_word(&w[..len]), String::from));
                out.push("not".to_string());
            }
            (None, Some(cut)) => {
                out.push(normalize_word(&w[..cut]));
                out.push(normalize_word(&w[cut..]));
            }
            (None, None) => out.push(normalize_word(w)),
        }
    }
    out.retain(|w| !w.is_empty());
    out
}

/// White space collapsed, and none left before closing punctuation where blanked markup
/// stood (`*Secretariat*.` reads `Secretariat.`, not `Secretariat .`).
pub fn tidy_quote(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for word in raw.split_whitespace() {
        let glue = word.starts_with(['.', ',', ';', ':', '!', '?', ')']) || out.ends_with('(');
        if !out.is_empty() && !glue {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

impl Document {
    /// Segments and normalises `text`. `format` says whether Markdown markup is to be ignored.
    pub fn new(text: String, format: Format, language: &Language) -> Document {
        // A long text's view that is the text itself (plain text, nearly always) is not kept
        // twice.
        let view = Some(matching_view(&text, format)).filter(|v| text.len() < SHARED_WORDS || *v != text);
        let (out, memo_epoch) = with_memo(language, |mut memo, epoch| {
            let out = tokenize(view.as_deref().unwrap_or(&text), language, &mut memo);
            // A document that took no slot does not depend on the memo.
            let used = out.tokens.iter().any(|t| t.slot != NO_SLOT);
            (out, if used { epoch } else { 0 })
        });
        Document {
            text,
            view,
            tokens: out.tokens,
            words: out.words,
            sentences: out.sentences,
            lines: std::sync::OnceLock::new(),
            memo_epoch,
            fragments: out.fragments,
        }
    }

    /// The text as the matcher sees it: the same bytes, with Markdown markup blanked out (see
    /// [`matching_view`]). Quotes are taken from it, so they read without markup.
    pub fn view(&self) -> &str {
        self.view.as_deref().unwrap_or(&self.text)
    }

    /// The word of a token of this document.
    #[inline]
    pub fn word(&self, token: &Token) -> &Word {
        &self.words[token.word as usize]
    }

    /// The words of the tokens in order, one per token, when they are kept so (a text shorter
    /// than `SHARED_WORDS`, or one whose every word is new): quicker to go through than
    /// looking each token's word up.
    #[inline]
    pub fn words_in_order(&self) -> Option<&[Word]> {
        // Each token's word is either new, the next in the list, or an earlier one: as many
        // words as tokens means each token has the next.
        (self.words.len() == self.tokens.len()).then_some(&self.words[..])
    }

    /// The original text of a sentence, with runs of white space made single spaces.
    pub fn sentence_text(&self, sentence: u32) -> String {
        let Some(range) = self.sentences.get(sentence as usize) else {
            return String::new();
        };
        tidy_quote(self.view().get(range.clone()).unwrap_or(""))
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        self.lines().line_col(&self.text, offset)
    }

    /// The text's line index.
    pub fn lines(&self) -> &LineIndex {
        self.lines.get_or_init(|| LineIndex::new(&self.text))
    }
}

/// What [`tokenize`] finds in a matching view: a [`Document`]'s tokens, words, sentences and
/// fragments.
struct Tokenized {
    tokens: Vec<Token>,
    words: Vec<Word>,
    sentences: Vec<Range<usize>>,
    fragments: Vec<u32>,
}

/// Tokens, words, sentences and fragments of a matching view, words' forms from (and into)
/// `memo`.
fn tokenize(view: &str, language: &Language, memo: &mut Option<&mut WordMemo>) -> Tokenized {
    let joined: std::borrow::Cow<str>;
    if let Some(memo) = memo.as_deref_mut() {
        memo.next_document();
    }
    let mut out = Tokenizer {
        view,
        language,
        memo: memo.as_deref_mut(),
        // About one word per five to six bytes of English: one allocation for nearly every
        // answer. A large text has room for a word every two bytes, the most there can be, so
        // that the list never grows (growing it would hold the old and the new list at once);
        // the room no word takes is never touched, and takes no memory.
        tokens: Vec::with_capacity(
            if view.len() < 1 << 20 {
                view.len() / 4
            } else {
                view.len() / 2
            } + 1,
        ),
        // A word per token for a short text; room for most texts' distinct words for others.
        words: Vec::with_capacity(if view.len() < SHARED_WORDS {
            view.len() / 4 + 1
        } else {
            1 << 12
        }),
        shared: view.len() >= SHARED_WORDS,
        sentences: Vec::new(),
        fragments: Vec::new(),
        clause: 0,
        cur: 0,
        any_word: false,
    };
    if !tokenize_twins(&mut out) {
        // Zero-width spaces inside words read as word joiners (text with none is not copied).
        joined = super::confusables::join_split_words(view);
        out.view = &joined;
        tokenize_unicode(&mut out);
    }
    Tokenized {
        tokens: out.tokens,
        words: out.words,
        sentences: out.sentences,
        fragments: out.fragments,
    }
}

/// What [`tokenize`] builds, and where it is.
struct Tokenizer<'a, 'm> {
    view: &'a str,
    language: &'a Language,
    memo: Option<&'m mut WordMemo>,
    tokens: Vec<Token>,
    words: Vec<Word>,
    /// Whether the tokens of a word share its [`Word`] (a long text: see [`SHARED_WORDS`]).
    shared: bool,
    sentences: Vec<Range<usize>>,
    /// [`Document::fragments`].
    fragments: Vec<u32>,
    /// The current clause number.
    clause: u32,
    /// Start of the current sentence, and whether it has a word yet.
    cur: usize,
    any_word: bool,
}

impl Tokenizer<'_, '_> {
    /// Starts a sentence at `start` (trimmed of blanks).
    #[inline]
    fn start_sentence(&mut self, start: usize) {
        self.cur = start;
        self.any_word = false;
        self.clause += 1;
    }

    /// Ends the current sentence at `end` (trimmed), when it has a word.
    #[inline]
    fn end_sentence(&mut self, end: usize) {
        if self.any_word {
            self.sentences.push(self.cur..end);
        }
    }

    /// A word segment (a UAX #29 segment with a letter or digit) at byte `start` of the view.
    #[inline(always)]
    fn word(&mut self, start: usize, segment: &str) {
        // Nearly every segment is a short word seen before, and one word: its forms are
        // copied straight from the memo.
        if let Some(memo) = self.memo.as_deref_mut()
            && let Some(key) = ShortWords::key(segment.as_bytes())
            && let Some(k) = memo.short.get(key, |k| memo.forms[k as usize].key)
            && let Some(f) = memo.forms.get(k as usize)
            && f.alone
            && !f.norm.is_empty()
        {
            if f.clause_word {
                self.clause += 1;
            }
            if f.flags & lang::flags::FRAGMENT != 0 {
                self.fragments.push(self.tokens.len() as u32);
            }
            let word = if self.shared {
                memo.word(k, &mut self.words)
            } else {
                self.words.push(Word::of(f));
                self.words.len() as u32 - 1
            };
            self.tokens.push(Token {
                start,
                end: start + segment.len(),
                sentence: self.sentences.len() as u32,
                clause: self.clause,
                word,
                slot: k,
            });
            self.any_word = true;
            return;
        }
        self.new_word(start, segment);
    }

    /// [`Tokenizer::word`] for a segment the memo does not have as one word (kept apart, so
    /// that the common case stays small enough to be inlined).
    #[inline(never)]
    fn new_word(&mut self, start: usize, segment: &str) {
        each_glued(segment, |rel, len, ends_sentence| {
            self.piece(start, segment, rel, len, ends_sentence)
        });
    }

    /// One word of a segment ([`each_glued`]): `len` bytes at `rel` in the segment at `start`;
    /// a negative contraction as its two words ([`contraction`]), and an elision too
    /// ([`elision`]: "l'appareil" is "l'" "appareil").
    fn piece(&mut self, start: usize, segment: &str, rel: usize, len: usize, ends_sentence: bool) {
        let start = start + rel;
        let written = &segment[rel..rel + len];
        match (contraction(written), elision(written)) {
            (Some((head_len, head)), _) => {
                self.token(start, head_len, head.unwrap_or(&written[..head_len]));
                self.token(start + head_len, len - head_len, "not");
            }
            (None, Some(cut)) => {
                self.token(start, cut, &written[..cut]);
                if !self.token(start + cut, len - cut, &written[cut..]) {
                    return;
                }
            }
            (None, None) if !self.token(start, len, written) => return,
            (None, None) => {}
        }
        if ends_sentence {
            // "ribosomes.Then": a full stop with its space lost still ends the sentence
            // (the full stop with it); "membraneOsmosis": the next word starts it.
            let stop = self.view.as_bytes().get(start + len) == Some(&b'.');
            let end = start + len + usize::from(stop);
            self.sentences.push(self.cur..end);
            self.cur = end;
            self.any_word = false;
            self.clause += 1;
        }
    }

    /// A token of `len` bytes at `start` of the view, read as the word `word` (as written, or
    /// a contraction's word as read); whether there is one (a word of no letters left after
    /// normalising is none).
    fn token(&mut self, start: usize, len: usize, word: &str) -> bool {
        let (f, slot) = forms(word, self.language, self.memo.as_deref_mut());
        if f.norm.is_empty() {
            return false;
        }
        if f.clause_word {
            self.clause += 1;
        }
        if f.flags & lang::flags::FRAGMENT != 0 {
            self.fragments.push(self.tokens.len() as u32);
        }
        let word = match self.memo.as_deref_mut() {
            Some(memo) if self.shared && slot != NO_SLOT => memo.word(slot, &mut self.words),
            _ => {
                self.words.push(Word::of(&f));
                self.words.len() as u32 - 1
            }
        };
        self.tokens.push(Token {
            start,
            end: start + len,
            sentence: self.sentences.len() as u32,
            clause: self.clause,
            word,
            slot,
        });
        self.any_word = true;
        true
    }
}

/// [`tokenize`] for any text: sentences and word segments by the fast segmenter when it
/// handles the text (everyday text), else by the Unicode tables; the same boundaries either way.
fn tokenize_unicode(out: &mut Tokenizer) {
    let view = out.view;
    let sentence_list: Vec<(usize, &str)> =
        segment::sentences(view).unwrap_or_else(|| view.split_sentence_bound_indices().collect());
    for (s_start, sentence) in sentence_list {
        let blank = |c: char| c.is_whitespace() || c == '\u{FEFF}';
        let trimmed_start = s_start + (sentence.len() - sentence.trim_start_matches(blank).len());
        let trimmed_end = s_start + sentence.trim_end_matches(blank).len();
        if trimmed_start >= trimmed_end {
            continue;
        }
        out.start_sentence(trimmed_start);
        let mut on_segment = |w_off: usize, segment: &str| {
            if is_word(segment) {
                out.word(s_start + w_off, segment);
            } else if is_clause_break(segment) {
                out.clause += 1;
            }
        };
        if !segment::each_word_bound(sentence, &mut on_segment) {
            for (w_off, segment) in sentence.split_word_bound_indices() {
                on_segment(w_off, segment);
            }
        }
        out.end_sentence(trimmed_end);
    }
}

/// [`tokenize`] for everyday text, nearly every answer: the same tokens and sentences as
/// [`tokenize_unicode`] (a property test compares them), in one pass over the text's ASCII
/// twins ([`segment::Twins`]) with no call per segment; `false`, having done nothing, for a
/// text with a character that has no twin. Among twins a segment without a word is one
/// character, a run of spaces or a CR LF, and only single characters can break a clause.
fn tokenize_twins(out: &mut Tokenizer) -> bool {
    let view = out.view;
    let Some(twins) = segment::Twins::of(view) else {
        return false;
    };
    let t = twins.bytes();
    let starts = segment::sentence_starts(t);
    // The blank characters that have twins have blank twins (the no-break space is a tab).
    let blank = |b: u8| matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ');
    for (k, &s_start) in starts.iter().enumerate() {
        let s_end = starts.get(k + 1).copied().unwrap_or(t.len());
        let sentence = &t[s_start..s_end];
        let Some(first) = sentence.iter().position(|&b| !blank(b)) else {
            continue;
        };
        let last = sentence.iter().rposition(|&b| !blank(b)).unwrap_or(first);
        out.start_sentence(twins.offset(s_start + first));
        let n = sentence.len();
        let mut i = first;
        while i <= last {
            let b = sentence[i];
            if !(b.is_ascii_alphanumeric() || b == b'_') {
                // En and em dashes (twin `-`) break a clause; the hyphen does not.
                if matches!(b, b',' | b';' | b':' | b'(' | b')' | b'[' | b']' | b'"')
                    || (b == b'-' && !view.as_bytes()[twins.offset(s_start + i)].is_ascii())
                {
                    out.clause += 1;
                }
                i += 1;
                continue;
            }
            // A segment that may hold a word: as far as the word rules join (within the
            // sentence, as the Unicode path segments it).
            let from = i;
            i += 1;
            loop {
                // Runs of letters (WB5) are nearly all of it.
                if sentence[i - 1].is_ascii_alphabetic() {
                    while i < n && sentence[i].is_ascii_alphabetic() {
                        i += 1;
                    }
                }
                if i < n && segment::joined(sentence, i) {
                    i += 1;
                } else {
                    break;
                }
            }
            let (a, z) = (twins.offset(s_start + from), twins.offset(s_start + i));
            let seg = &view[a..z];
            if is_word(seg) {
                out.word(a, seg);
            }
        }
        out.end_sentence(twins.offset(s_start + last + 1));
    }
    true
}

#[cfg(test)]
mod tests {
    use super::memo::FORMS_MAX_WORD;
    use super::*;
    use smallvec::SmallVec;

    fn doc(text: &str) -> Document {
        Document::new(text.to_string(), Format::Text, &Language::english())
    }

    #[test]
    fn tokens_carry_the_hash_of_their_normalised_form() {
        let long = "x".repeat(FORMS_MAX_WORD + 5);
        // Twice: the second time from the memo.
        for _ in 0..2 {
            let d = doc(&format!("Stalin’s PATRONAGE grew, {long} and the Secretariat’s files."));
            assert_eq!(d.tokens.len(), 8);
            for t in &d.tokens {
                let w = d.word(t);
                assert_eq!(w.hash, super::super::hash::bytes_hash(w.norm.as_bytes()), "{}", w.norm);
                let stem = w.stem(&Language::english());
                assert_eq!(w.stem_hash, super::super::hash::bytes_hash(stem.as_bytes()), "{stem}");
            }
        }
    }

    /// Tokens and sentences by one of the two paths, with a fresh memo each time (slots differ
    /// from memo to memo; everything else must be equal).
    fn by_path(text: &str, ascii: bool) -> (Vec<String>, Vec<Range<usize>>) {
        let en = Language::english();
        let mut memo = WordMemo {
            epoch: 1,
            ..WordMemo::empty()
        };
        memo.next_document();
        let mut out = Tokenizer {
            view: text,
            language: &en,
            memo: Some(&mut memo),
            tokens: Vec::new(),
            words: Vec::new(),
            // The fast path shares words, the other keeps one per token: the same words either way.
            shared: ascii,
            sentences: Vec::new(),
            fragments: Vec::new(),
            clause: 0,
            cur: 0,
            any_word: false,
        };
        if ascii {
            assert!(tokenize_twins(&mut out), "{text:?} has twins");
        } else {
            tokenize_unicode(&mut out);
        }
        let tokens = out
            .tokens
            .iter()
            .map(|t| {
                let w = &out.words[t.word as usize];
                format!(
                    "{}..{} {} {} s{} c{} f{} {:x} {:x}",
                    t.start,
                    t.end,
                    w.norm,
                    w.stem(&en),
                    t.sentence,
                    t.clause,
                    w.flags,
                    w.hash,
                    w.stem_hash
                )
            })
            .collect();
        (tokens, out.sentences)
    }

    /// Characters that make the rules fire, more often than the rest.
    const BUSY: &[char] = &[
        'a', 'a', 'b', 'Z', 'Q', 'e', 'E', '1', '7', ' ', ' ', '.', '.', '!', '?', '\n', '\r', '\'', '"', '(', ')',
        ',', ';', ':', '-', '_', '\t', 'é', 'É', '\u{2019}', '\u{2018}', '\u{201C}', '\u{201D}', '\u{2013}',
        '\u{2014}', '\u{A0}', '\u{2022}', '\u{2011}',
    ];

    #[test]
    fn twins_path_agrees_with_the_unicode_path_on_known_cases() {
        for text in [
            "",
            "   ",
            "Stalin rose. He was clever!",
            "He was in the U.S.A. in 1922. Then he left, but not because of it.",
            "ribosomes.Then membraneOsmosis ribosome4 e.g U.S McDonald CO2 3rd",
            "\"Why?\" he asked. (No.) Yes!\r\nNext line\nand more.\n\n",
            "It's a_b c__d _x_ __ 12,000.50 x:y 3.a a.3 '' ... ? ! .. a. b",
            "\x0b\x0c\tStalin\x0bdidn't\x0c rise  ",
            "Stalin\u{2019}s rise \u{2014} \u{201C}patronage\u{201D}, then files\u{2013}and caf\u{E9}s\u{A0}too \u{2022} x\u{2011}y.",
            "It wouldn't, WON'T. Can\u{2019}t cannot dont ain't n't isn't've ribosomes.Don't wontThen",
        ] {
            assert_eq!(by_path(text, true), by_path(text, false), "{text:?}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]

        #[test]
        fn twins_path_agrees_with_the_unicode_path(
            picks in proptest::collection::vec((proptest::prelude::any::<bool>(), 0u8..128), 0..80)
        ) {
            let text: String = picks
                .iter()
                .map(|&(busy, b)| if busy { BUSY[usize::from(b) % BUSY.len()] } else { char::from(b) })
                .collect();
            proptest::prop_assert_eq!(by_path(&text, true), by_path(&text, false), "{:?}", text);
        }
    }

    #[test]
    fn short_word_keys_are_the_words_bytes() {
        let mut table = ShortWords::default();
        let mut seed = 7u64;
        let mut words = Vec::new();
        for n in 1..=16usize {
            for _ in 0..200 {
                let w: Vec<u8> = (0..n)
                    .map(|_| {
                        seed = super::super::hash::mix(seed);
                        b'!' + (seed % 94) as u8
                    })
                    .collect();
                let key = ShortWords::key(&w).expect("short ASCII word");
                let mut bytes = [0u8; 16];
                bytes[..8].copy_from_slice(&key[0].to_le_bytes());
                bytes[8..].copy_from_slice(&key[1].to_le_bytes());
                assert_eq!(&bytes[..n], &w[..]);
                assert!(bytes[n..].iter().all(|&b| b == 0), "{w:?}");
                words.push(w);
            }
        }
        assert_eq!(ShortWords::key(b""), None);
        assert_eq!(ShortWords::key(&[b'a'; 17]), None);
        assert_eq!(ShortWords::key("é".as_bytes()), None);
        words.sort();
        words.dedup();
        let keys: Vec<[u64; 2]> = words.iter().map(|w| ShortWords::key(w).expect("short")).collect();
        let key_of = |k: u32| keys[k as usize];
        for (i, &key) in keys.iter().enumerate() {
            assert_eq!(table.get(key, key_of), None);
            table.insert(key, i as u32, key_of);
        }
        for (i, &key) in keys.iter().enumerate() {
            assert_eq!(table.get(key, key_of), Some(i as u32));
        }
    }

    #[test]
    fn normalises_case_width_and_apostrophes() {
        assert_eq!(normalize_word("Stalin\u{2019}s"), "stalin's");
        assert_eq!(normalize_word("ＳＴＡＬＩＮ"), "stalin");
        assert_eq!(normalize_word("'workers'"), "workers");
        assert_eq!(normalize_word("ﬁles"), "files");
    }

    #[test]
    fn stems_word_forms_alike() {
        let en = Language::english();
        let stems: Vec<String> = ["monitor", "monitored", "monitoring", "monitors"]
            .iter()
            .map(|w| en.stem(w))
            .collect();
        assert!(stems.iter().all(|s| s == &stems[0]), "{stems:?}");
        assert_eq!(en.stem("stalin's"), "stalin");
    }

    #[test]
    fn tokens_keep_offsets_into_the_original() {
        let text = "Stalin\u{2019}s rise — “patronage”, then files.";
        let d = doc(text);
        for t in &d.tokens {
            assert_eq!(normalize_word(&text[t.start..t.end]), d.word(t).norm);
        }
        let norms: Vec<&str> = d.tokens.iter().map(|t| d.word(t).norm.as_str()).collect();
        assert_eq!(norms, ["stalin's", "rise", "patronage", "then", "files"]);
    }

    #[test]
    fn sentences_and_clauses() {
        let d = doc("He was General Secretary. He did not rise through the army, but through patronage!");
        assert_eq!(d.sentences.len(), 2);
        assert_eq!(d.sentence_text(0), "He was General Secretary.");
        let army = d.tokens.iter().find(|t| d.word(t).norm == "army").map(|t| t.clause);
        let patronage = d
            .tokens
            .iter()
            .find(|t| d.word(t).norm == "patronage")
            .map(|t| t.clause);
        assert_ne!(army, patronage);
        assert!(d.tokens.iter().all(|t| t.sentence <= 1));
    }

    #[test]
    fn glued_words_are_split() {
        let cases: &[(&str, &[&str], usize)] = &[
            (
                "to the ribosomes.Then the tRNA",
                &["to", "the", "ribosomes", "then", "the", "trna"],
                2,
            ),
            ("the membraneOsmosis is", &["the", "membrane", "osmosis", "is"], 2),
            ("the ribosome4 then", &["the", "ribosome", "4", "then"], 1),
            (
                "e.g. the U.S.A and McDonald and CO2 in 1920s",
                &["e.g", "the", "u.s.a", "and", "mcdonald", "and", "co2", "in", "1920s"],
                1,
            ),
            ("concentration.osmosis", &["concentration", "osmosis"], 2),
        ];
        for (text, want, sentences) in cases {
            let d = doc(text);
            let got: Vec<&str> = d.tokens.iter().map(|t| d.word(t).norm.as_str()).collect();
            assert_eq!(&got, want, "{text}");
            assert_eq!(d.sentences.len(), *sentences, "{text}: {:?}", d.sentences);
            for t in &d.tokens {
                assert_eq!(normalize_word(&text[t.start..t.end]), d.word(t).norm);
            }
        }
    }

    /// Found by fuzzing: "importantÖwere" ended a sentence one byte into the "Ö" (as if a full
    /// stop stood between the words), and the human report panicked slicing there.
    #[test]
    fn a_glued_capital_starts_the_next_sentence() {
        let d = doc("The two were most importantÖwere sovnarkom. The membraneOsmosis works.");
        for s in &d.sentences {
            assert!(
                d.text.is_char_boundary(s.start) && d.text.is_char_boundary(s.end),
                "{s:?}"
            );
        }
        let quotes: Vec<String> = (0..d.sentences.len() as u32).map(|i| d.sentence_text(i)).collect();
        assert_eq!(
            quotes,
            [
                "The two were most important",
                "Öwere sovnarkom.",
                "The membrane",
                "Osmosis works."
            ]
        );
        let d = doc("ribosomes.Then it stops.");
        assert_eq!(d.sentence_text(0), "ribosomes.");
        assert_eq!(d.sentence_text(1), "Then it stops.");
    }

    /// A megabyte of glued words is one segment: counting all the letters before and after each
    /// glue point took time in the square of its length.
    #[test]
    fn words_without_a_glue_point_are_settled_without_their_characters() {
        // Every ASCII word of up to four characters from an alphabet with each kind of glue
        // point: the shortcut gives what the character-by-character rules give.
        let alphabet = b"aBz.9'_-Q";
        let mut words = Vec::new();
        for len in 1..=4u32 {
            for n in 0..alphabet.len().pow(len) {
                let mut k = n;
                let w: String = (0..len)
                    .map(|_| {
                        let c = alphabet[k % alphabet.len()] as char;
                        k /= alphabet.len();
                        c
                    })
                    .collect();
                words.push(w);
            }
        }
        words.extend(
            [
                "Stalin's",
                "didn't",
                "USSR",
                "e.g",
                "U.S",
                "CO2",
                "ribosome4",
                "membraneOsmosis",
                "ribosomes.Then",
            ]
            .map(String::from),
        );
        for w in &words {
            assert_eq!(split_glued(w), split_glued_chars(w), "{w}");
        }
    }

    /// [`split_glued_chars`] as it was, listing the word's characters first: the reference
    /// for the version that looks at a few characters each way.
    fn split_glued_listed(word: &str) -> SmallVec<[(usize, usize, bool); 2]> {
        let mut chars_iter = word.chars();
        let first_ok = chars_iter.next().is_some_and(char::is_alphabetic);
        if first_ok && chars_iter.all(|c| c.is_lowercase() || (c.is_alphabetic() && !c.is_uppercase())) {
            return smallvec::smallvec![(0, word.len(), false)];
        }
        let chars: Vec<(usize, char)> = word.char_indices().collect();
        let mut out = SmallVec::new();
        let mut from = 0usize;
        let letters_before = |k: usize| {
            chars[..k]
                .iter()
                .rev()
                .take(3)
                .take_while(|(_, c)| c.is_alphabetic())
                .count()
        };
        let letters_after = |k: usize| chars[k..].iter().take(3).take_while(|(_, c)| c.is_alphabetic()).count();
        let mut k = 1;
        while k < chars.len() {
            let (at, c) = chars[k];
            let prev = chars[k - 1].1;
            if c == '.' && k + 1 < chars.len() {
                let next = chars[k + 1].1;
                let (before, after) = (letters_before(k), letters_after(k + 1));
                if prev.is_alphabetic()
                    && next.is_alphabetic()
                    && before >= 2
                    && after >= 2
                    && (next.is_uppercase() || (before >= 3 && after >= 3))
                {
                    out.push((from, at - from, true));
                    from = chars[k + 1].0;
                    k += 2;
                    continue;
                }
            } else if prev.is_lowercase() && c.is_uppercase() {
                if letters_before(k) >= 3
                    && chars[k + 1..]
                        .iter()
                        .take(2)
                        .take_while(|(_, c)| c.is_lowercase())
                        .count()
                        >= 2
                {
                    out.push((from, at - from, true));
                    from = at;
                }
            } else if prev.is_alphabetic() && c.is_ascii_digit() {
                if letters_before(k) >= 3 {
                    out.push((from, at - from, false));
                    from = at;
                }
            } else if prev.is_ascii_digit() && c.is_alphabetic() && letters_after(k) >= 3 {
                out.push((from, at - from, false));
                from = at;
            }
            k += 1;
        }
        out.push((from, word.len() - from, false));
        out.retain(|&mut (_, len, _)| len > 0);
        out
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]

        #[test]
        fn glued_words_split_as_when_their_characters_were_listed(
            picks in proptest::collection::vec(0usize..14, 0..24)
        ) {
            const PIECES: [&str; 14] = ["a", "b", "Z", "Q", "é", "É", "1", "7", ".", "'", "_", "-", "ab", "Ünd"];
            let word: String = picks.iter().map(|&p| PIECES[p]).collect();
            proptest::prop_assert_eq!(split_glued_chars(&word), split_glued_listed(&word), "{:?}", word);
            // (A segment is never empty.)
            if !word.is_empty() {
                proptest::prop_assert_eq!(split_glued(&word), split_glued_listed(&word), "{:?}", word);
            }
        }
    }

    #[test]
    fn a_megabyte_of_glued_words_splits_quickly() {
        let word = "patronageThen".repeat(80_000);
        let pieces = split_glued(&word);
        // "patronage", then "Thenpatronage" 79,999 times, then "Then": every glue point found,
        // the pieces end to end over the whole word, as the reference splits it.
        assert_eq!(pieces.len(), 80_001);
        assert_eq!(pieces[..2], [(0, 9, true), (9, 13, true)]);
        let mut at = 0;
        for (i, &(start, len, _)) in pieces.iter().enumerate() {
            assert_eq!(start, at, "piece {i}");
            let expected = match i {
                0 => "patronage",
                80_000 => "Then",
                _ => "Thenpatronage",
            };
            assert_eq!(&word[start..start + len], expected, "piece {i}");
            at += len;
        }
        assert_eq!(at, word.len());
        assert_eq!(pieces, split_glued_chars(&word));
    }

    /// Negative contractions are two words, with the bytes they were written with.
    #[test]
    fn contractions_are_two_words() {
        let text = "It wouldn\u{2019}t keep. WON'T, can't, cannot, dont. ain't the tRNA.Didnt dosen't did'nt";
        let d = doc(text);
        let got: Vec<(&str, &str)> = d
            .tokens
            .iter()
            .map(|t| (&text[t.start..t.end], d.word(t).norm.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("It", "it"),
                ("would", "would"),
                ("n\u{2019}t", "not"),
                ("keep", "keep"),
                ("WO", "will"),
                ("N'T", "not"),
                ("ca", "can"),
                ("n't", "not"),
                ("can", "can"),
                ("not", "not"),
                ("do", "do"),
                ("nt", "not"),
                ("ain't", "ain't"),
                ("the", "the"),
                ("tRNA", "trna"),
                ("Did", "did"),
                ("nt", "not"),
                ("dose", "dose"),
                ("n't", "not"),
                ("did", "did"),
                ("'nt", "not"),
            ]
        );
        assert_eq!(d.sentences.len(), 3, "{:?}", d.sentences);
        // Twice: the second time the memo has the words.
        assert_eq!(doc(text).tokens.len(), d.tokens.len());
        assert_eq!(
            words("couldn't read | could not read"),
            ["could", "not", "read", "could", "not", "read"]
        );
        assert_eq!(words("Won\u{2019}t cannot"), ["will", "not", "can", "not"]);
    }

    #[test]
    fn cue_words_split_like_answers() {
        assert_eq!(
            words("People\u{2019}s Commissar  (1917)"),
            ["people's", "commissar", "1917"]
        );
        assert_eq!(words("god-like"), ["god", "like"]);
    }
}
