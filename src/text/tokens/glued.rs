//! Glued words: `ribosomesThe`, `1917he`, `end.Next` split into the words they hold, by
//! case changes, digits next to letters and full stops inside a word.

use smallvec::SmallVec;

/// Whether a word is ASCII letters, lower case after the first: nearly every word, and none
/// that [`split_glued`] would split.
#[inline]
pub(super) fn is_plain_word(word: &str) -> bool {
    let bytes = word.as_bytes();
    bytes.first().is_some_and(u8::is_ascii_alphabetic) && bytes[1..].iter().all(u8::is_ascii_lowercase)
}

/// Whether an ASCII word has a place where [`split_glued`] could split it: a full stop, a
/// capital after a lower-case letter, a digit after a letter or a letter after a digit. Most
/// words that are not plain ("Stalin's", "didn't", "USSR") have none, and are settled without
/// listing their characters.
fn ascii_may_glue(bytes: &[u8]) -> bool {
    bytes.windows(2).any(|w| {
        let (a, b) = (w[0], w[1]);
        b == b'.'
            || (a.is_ascii_lowercase() && b.is_ascii_uppercase())
            || (a.is_ascii_alphabetic() && b.is_ascii_digit())
            || (a.is_ascii_digit() && b.is_ascii_alphabetic())
    })
}

/// Splits a word segment that is really two words glued together by a lost space or line
/// break, as transcribed answers often have: "ribosomes.Then" (a full stop: the sentence ends
/// too), "membraneOsmosis" (a capital inside a lower-case word), "ribosome4" (a number glued
/// to a word). Abbreviations (`e.g`, `U.S`), names (`McDonald`) and formulas (`CO2`) are left
/// alone: each side must have at least three letters (two after a full stop before a capital).
/// Returns (offset, length, ends a sentence) for each word.
pub(super) fn split_glued(word: &str) -> SmallVec<[(usize, usize, bool); 2]> {
    let mut out = SmallVec::new();
    each_glued(word, |rel, len, ends| out.push((rel, len, ends)));
    out
}

/// Calls `f` with (offset, length, ends a sentence) of each word of [`split_glued`], in
/// order, without gathering them: a segment can be megabytes of glued words.
pub(super) fn each_glued(word: &str, mut f: impl FnMut(usize, usize, bool)) {
    if is_plain_word(word) || (word.is_ascii() && !ascii_may_glue(word.as_bytes())) {
        f(0, word.len(), false);
        return;
    }
    each_glued_char(word, f);
}

/// [`split_glued`], character by character.
#[cfg(test)]
pub(super) fn split_glued_chars(word: &str) -> SmallVec<[(usize, usize, bool); 2]> {
    let mut out = SmallVec::new();
    each_glued_char(word, |rel, len, ends| out.push((rel, len, ends)));
    out
}

/// [`each_glued`], character by character: the rules look at most three characters each way
/// (a "word" can be megabytes of letters, and counting them all at every glue point took time
/// in the square of its length; listing its characters first took 16 bytes of memory each).
fn each_glued_char(word: &str, mut f: impl FnMut(usize, usize, bool)) {
    let mut chars_iter = word.chars();
    let first_ok = chars_iter.next().is_some_and(char::is_alphabetic);
    if first_ok && chars_iter.all(|c| c.is_lowercase() || (c.is_alphabetic() && !c.is_uppercase())) {
        f(0, word.len(), false);
        return;
    }
    // Pieces of no length are left out.
    let mut emit = |from: usize, len: usize, ends: bool| {
        if len > 0 {
            f(from, len, ends);
        }
    };
    // Letters (up to 3, all the rules need) just before and from a byte offset.
    let letters_before = |at: usize| {
        word[..at]
            .chars()
            .rev()
            .take(3)
            .take_while(|c| c.is_alphabetic())
            .count()
    };
    let letters_after = |at: usize| word[at..].chars().take(3).take_while(|c| c.is_alphabetic()).count();
    let mut from = 0usize; // byte offset of the current piece
    let mut chars = word.char_indices();
    let Some((_, mut prev)) = chars.next() else {
        return;
    };
    while let Some((at, c)) = chars.next() {
        let next = word[at + c.len_utf8()..].chars().next();
        if c == '.'
            && let Some(next) = next
        {
            let after_stop = at + 1;
            let (before, after) = (letters_before(at), letters_after(after_stop));
            if prev.is_alphabetic()
                && next.is_alphabetic()
                && before >= 2
                && after >= 2
                && (next.is_uppercase() || (before >= 3 && after >= 3))
            {
                emit(from, at - from, true);
                from = after_stop;
                // The character after the stop is looked at no further.
                prev = next;
                chars.next();
                continue;
            }
        } else if prev.is_lowercase() && c.is_uppercase() {
            if letters_before(at) >= 3
                && word[at + c.len_utf8()..]
                    .chars()
                    .take(2)
                    .take_while(|c| c.is_lowercase())
                    .count()
                    >= 2
            {
                emit(from, at - from, true);
                from = at;
            }
        } else if prev.is_alphabetic() && c.is_ascii_digit() {
            if letters_before(at) >= 3 {
                emit(from, at - from, false);
                from = at;
            }
        } else if prev.is_ascii_digit() && c.is_alphabetic() && letters_after(at) >= 3 {
            emit(from, at - from, false);
            from = at;
        }
        prev = c;
    }
    emit(from, word.len() - from, false);
}
