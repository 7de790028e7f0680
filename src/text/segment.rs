//! Fast Unicode segmentation (UAX #29 sentence and word boundaries) for everyday text.
//!
//! `unicode-segmentation` looks every character up in large tables, and segmenting was half the
//! time spent on an answer. Everyday English answers use a few hundred characters at most: ASCII,
//! accented Latin letters, curly quotes, dashes, bullets. For those, this module applies the
//! same rules (UAX #29, sentence rules SB1-SB11 and word rules WB1-WB999) to a "twin" of each
//! character: an ASCII character with the same sentence and word break properties (`é` -> `e`,
//! `’` -> `'`, `—` -> `-`). A text with any other character (another script, a combining mark,
//! a format character, an emoji) returns `None`, and the caller uses `unicode-segmentation`.
//!
//! The two must agree exactly: a property test compares them on random texts made of every
//! character handled here (`fast_segmentation_agrees_with_unicode_segmentation`).

/// The ASCII twin of a character, or `None` when it is not handled here.
fn twin(c: char) -> Option<u8> {
    if c.is_ascii() {
        return Some(c as u8);
    }
    Some(match c {
        // Latin-1 Supplement and Latin Extended-A letters: Lower or Upper, ALetter.
        '\u{C0}'..='\u{17F}' if c != '\u{D7}' && c != '\u{F7}' => {
            if c.is_uppercase() {
                b'A'
            } else {
                b'a'
            }
        }
        // Single curly quotes: Close (sentences), MidNumLet like the apostrophe (words).
        '\u{2018}' | '\u{2019}' => b'\'',
        // Double curly quotes: Close, and no word property: like `(`.
        '\u{201C}' | '\u{201D}' => b'(',
        // En and em dashes: SContinue, and no word property: like `-`.
        '\u{2013}' | '\u{2014}' => b'-',
        // No-break space: Sp, but not a word-separating space: like a tab.
        '\u{A0}' => b'\t',
        // Bullet, non-breaking hyphen, ellipsis, pound, euro, degree, section, pilcrow,
        // middle-dot-free symbols: no property at all: like `*`.
        '\u{2022}' | '\u{2011}' | '\u{2026}' | '\u{A3}' | '\u{20AC}' | '\u{B0}' | '\u{A7}' | '\u{B6}' | '\u{A9}'
        | '\u{AE}' | '\u{2122}' => b'*',
        _ => return None,
    })
}

/// Twins of a text's characters and the byte offset of each (plus the text's length at the
/// end), or `None` when a character has no twin.
pub(crate) struct Twins<'t> {
    bytes: std::borrow::Cow<'t, [u8]>,
    /// Byte offset of each twin in the text; `None` for ASCII text (offsets are indices). Four
    /// bytes each (a text of 4 GiB or more has no twins): 8 made the offsets of a 16 MB text
    /// 128 MB.
    offsets: Option<Vec<u32>>,
    len: usize,
}

impl<'t> Twins<'t> {
    pub(crate) fn of(text: &'t str) -> Option<Twins<'t>> {
        if text.is_ascii() {
            return Some(Twins {
                bytes: std::borrow::Cow::Borrowed(text.as_bytes()),
                offsets: None,
                len: text.len(),
            });
        }
        if u32::try_from(text.len()).is_err() {
            return None;
        }
        let mut bytes = Vec::with_capacity(text.len());
        let mut offsets: Vec<u32> = Vec::with_capacity(text.len() + 1);
        let b = text.as_bytes();
        let mut i = 0;
        loop {
            // A run of ASCII (nearly all of the text) at once, then one other character.
            let run = b[i..].iter().position(|&x| !x.is_ascii()).map_or(b.len(), |n| i + n);
            bytes.extend_from_slice(&b[i..run]);
            offsets.extend(i as u32..run as u32);
            i = run;
            let Some(c) = text[i..].chars().next() else { break };
            bytes.push(twin(c)?);
            offsets.push(i as u32);
            i += c.len_utf8();
        }
        offsets.push(text.len() as u32);
        Some(Twins {
            bytes: std::borrow::Cow::Owned(bytes),
            offsets: Some(offsets),
            len: text.len(),
        })
    }

    /// The twins.
    pub(crate) fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Byte offset of twin `i` (`i` may be the number of twins: the end).
    #[inline]
    pub(crate) fn offset(&self, i: usize) -> usize {
        match &self.offsets {
            Some(o) => o[i] as usize,
            None => i.min(self.len),
        }
    }
}

/// A break property of ASCII characters (a twin is one): `enum $T`, its values each with the
/// bytes that have it, as in a `match` (the last, `_`, for the rest); and `fn $name(b: u8)`,
/// the value of `b & 0x7F`, read from a table of all 128 built at compile time so that a lookup
/// is one load.
macro_rules! ascii_property {
    ($(#[$doc:meta])* enum $T:ident, fn $name:ident { $($(#[$vdoc:meta])* $bytes:pat => $value:ident,)* }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq)]
        enum $T {
            $($(#[$vdoc])* $value,)*
        }

        #[inline]
        fn $name(b: u8) -> $T {
            const fn of(b: u8) -> $T {
                match b {
                    $($bytes => $T::$value,)*
                }
            }
            const TABLE: [$T; 128] = {
                let mut t = [of(0); 128];
                let mut b = 0;
                while b < 128 {
                    t[b] = of(b as u8);
                    b += 1;
                }
                t
            };
            TABLE[usize::from(b & 0x7F)]
        }
    };
}

ascii_property! {
    /// Sentence break properties of ASCII characters.
    enum Sb, fn sb {
        b'\r' => Cr,
        b'\n' => Lf,
        b'\t' | 0x0B | 0x0C | b' ' => Sp,
        b'a'..=b'z' => Lower,
        b'A'..=b'Z' => Upper,
        b'0'..=b'9' => Numeric,
        b'.' => ATerm,
        b'!' | b'?' => STerm,
        b'"' | b'\'' | b'(' | b')' | b'[' | b']' | b'{' | b'}' => Close,
        b',' | b'-' | b':' | b';' => SContinue,
        _ => Other,
    }
}

/// Sentence starts (twin indices), by the UAX #29 rules for the properties above.
pub(crate) fn sentence_starts(t: &[u8]) -> Vec<usize> {
    let n = t.len();
    // Room for a sentence per 40 bytes or so, in one allocation.
    let mut starts = Vec::with_capacity(n / 40 + 4);
    starts.push(0);
    let mut i = 0;
    while i < n {
        match sb(t[i]) {
            // SB3, SB4: a paragraph separator ends a sentence (CR LF together).
            Sb::Cr => {
                let end = if i + 1 < n && t[i + 1] == b'\n' { i + 2 } else { i + 1 };
                if end < n {
                    starts.push(end);
                }
                i = end;
            }
            Sb::Lf => {
                if i + 1 < n {
                    starts.push(i + 1);
                }
                i += 1;
            }
            term @ (Sb::ATerm | Sb::STerm) => {
                // SATerm Close* Sp* ParaSep?
                let mut j = i + 1;
                while j < n && sb(t[j]) == Sb::Close {
                    j += 1;
                }
                let mut k = j;
                while k < n && sb(t[k]) == Sb::Sp {
                    k += 1;
                }
                if k == n {
                    break;
                }
                let next = sb(t[k]);
                if matches!(next, Sb::Cr | Sb::Lf) {
                    // SB9, SB10: the separator belongs to the sentence; SB11: break after it.
                    let end = if next == Sb::Cr && k + 1 < n && t[k + 1] == b'\n' {
                        k + 2
                    } else {
                        k + 1
                    };
                    if end < n {
                        starts.push(end);
                    }
                    i = end;
                    continue;
                }
                let adjacent = j == i + 1 && k == j;
                let keep = (term == Sb::ATerm && adjacent && next == Sb::Numeric) // SB6
                    || (term == Sb::ATerm
                        && adjacent
                        && next == Sb::Upper
                        && i > 0
                        && matches!(sb(t[i - 1]), Sb::Upper | Sb::Lower)) // SB7
                    || (term == Sb::ATerm && lower_follows(&t[k..])) // SB8
                    || matches!(next, Sb::SContinue | Sb::ATerm | Sb::STerm); // SB8a
                if !keep {
                    starts.push(k); // SB11
                }
                i = k;
            }
            _ => {
                // Only terminators and line breaks can end a sentence: skip to the next one.
                i += 1;
                while i < n && !ENDS[usize::from(t[i] & 0x7F)] {
                    i += 1;
                }
            }
        }
    }
    starts
}

/// Bytes at which [`sentence_starts`] has something to decide.
const ENDS: [bool; 128] = {
    let mut t = [false; 128];
    t[b'.' as usize] = true;
    t[b'!' as usize] = true;
    t[b'?' as usize] = true;
    t[b'\r' as usize] = true;
    t[b'\n' as usize] = true;
    t
};

/// SB8: whether a lower-case letter comes before any letter, separator or terminator.
fn lower_follows(t: &[u8]) -> bool {
    for &b in t {
        match sb(b) {
            Sb::Lower => return true,
            Sb::Upper | Sb::Cr | Sb::Lf | Sb::ATerm | Sb::STerm => return false,
            _ => {}
        }
    }
    false
}

/// Sentences of a text as `(byte offset, sentence)`, exactly as
/// `unicode_segmentation::UnicodeSegmentation::split_sentence_bound_indices` gives them, or
/// `None` when the text has a character this module does not handle.
pub fn sentences(text: &str) -> Option<Vec<(usize, &str)>> {
    let twins = Twins::of(text)?;
    let starts = sentence_starts(&twins.bytes);
    if text.is_empty() {
        return Some(Vec::new());
    }
    let n = twins.bytes.len();
    Some(
        starts
            .iter()
            .enumerate()
            .map(|(k, &s)| {
                let end = starts.get(k + 1).copied().unwrap_or(n);
                let (a, b) = (twins.offset(s), twins.offset(end));
                (a, &text[a..b])
            })
            .collect(),
    )
}

ascii_property! {
    /// Word break properties of ASCII characters.
    enum Wb, fn wb {
        b'\r' => Cr,
        b'\n' => Lf,
        0x0B | 0x0C => Newline,
        b' ' => Space,
        b'a'..=b'z' | b'A'..=b'Z' => Letter,
        b'0'..=b'9' => Numeric,
        b':' => MidLetter,
        b',' | b';' => MidNum,
        /// `.` and the apostrophe (MidNumLet and Single_Quote: alike without Hebrew letters).
        b'.' | b'\'' => MidNumLetQ,
        b'_' => ExtendNumLet,
        _ => Other,
    }
}

/// Whether there is no word boundary between twins `i - 1` and `i` (`0 < i < len`).
#[inline(always)]
pub(crate) fn joined(t: &[u8], i: usize) -> bool {
    let (a, b) = (wb(t[i - 1]), wb(t[i]));
    if a == Wb::Letter && b == Wb::Letter {
        return true; // WB5, nearly every pair
    }
    // The next most common pairs, a word and a space either way: no rule joins them (WB999).
    if (a == Wb::Letter && b == Wb::Space) || (a == Wb::Space && b == Wb::Letter) {
        return false;
    }
    let before = (i >= 2).then(|| wb(t[i - 2]));
    let after = t.get(i + 1).map(|&c| wb(c));
    use Wb::*;
    match (a, b) {
        (Cr, Lf) => true,                                                   // WB3
        (Cr | Lf | Newline, _) | (_, Cr | Lf | Newline) => false,           // WB3a, WB3b
        (Space, Space) => true,                                             // WB3d
        (Letter, Letter) => true,                                           // WB5
        (Letter, MidLetter | MidNumLetQ) => after == Some(Letter),          // WB6
        (MidLetter | MidNumLetQ, Letter) => before == Some(Letter),         // WB7
        (Numeric, Numeric) | (Letter, Numeric) | (Numeric, Letter) => true, // WB8-WB10
        (MidNum | MidNumLetQ, Numeric) => before == Some(Numeric),          // WB11
        (Numeric, MidNum | MidNumLetQ) => after == Some(Numeric),           // WB12
        (Letter | Numeric | ExtendNumLet, ExtendNumLet) => true,            // WB13a
        (ExtendNumLet, Letter | Numeric) => true,                           // WB13b
        _ => false,                                                         // WB999
    }
}

/// Word segments of a text as `(byte offset, segment)`, exactly as
/// `unicode_segmentation::UnicodeSegmentation::split_word_bound_indices` gives them, or `None`
/// when the text has a character this module does not handle. Tests compare it with the crate's.
#[cfg(test)]
pub fn word_bounds(text: &str) -> Option<Vec<(usize, &str)>> {
    let mut out = Vec::new();
    each_word_bound(text, &mut |i, s| out.push((i, s))).then_some(out)
}

/// Calls `f` with each word segment of a text as [`word_bounds`] gives them, and returns true;
/// or returns false, without calling `f`, when the text has a character this module does not
/// handle.
pub fn each_word_bound<'t>(text: &'t str, f: &mut impl FnMut(usize, &'t str)) -> bool {
    let Some(twins) = Twins::of(text) else {
        return false;
    };
    let t = &twins.bytes;
    let n = t.len();
    let mut start = 0;
    let mut i = 1;
    while i < n {
        // Runs of letters (WB5) are nearly all of the text: skip through them first.
        if t[i - 1].is_ascii_alphabetic() {
            while i < n && t[i].is_ascii_alphabetic() {
                i += 1;
            }
            if i == n {
                break;
            }
        }
        if !joined(t, i) {
            let (a, b) = (twins.offset(start), twins.offset(i));
            f(a, &text[a..b]);
            start = i;
        }
        i += 1;
    }
    if start < n {
        let (a, b) = (twins.offset(start), twins.offset(n));
        f(a, &text[a..b]);
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use unicode_segmentation::UnicodeSegmentation;

    /// Every character handled here, and a few more of the ASCII ones that matter.
    fn alphabet() -> Vec<char> {
        let mut cs: Vec<char> = (0u8..128).map(char::from).collect();
        cs.extend(('\u{A0}'..='\u{17F}').filter(|&c| twin(c).is_some()));
        cs.extend([
            '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}', '\u{2013}', '\u{2014}', '\u{2022}', '\u{2011}', '\u{2026}',
            '\u{20AC}', '\u{2122}',
        ]);
        cs
    }

    /// Characters that make the rules fire, more often than the whole alphabet would.
    const BUSY: &[char] = &[
        'a', 'b', 'Z', 'Q', '1', '7', '.', '.', '!', '?', ' ', ' ', '\n', '\r', '\'', '"', '(', ')', ',', ';', ':',
        '-', '_', '\t', 'é', 'É', '\u{2019}', '\u{201C}', '\u{2014}', '\u{A0}',
    ];

    fn check(text: &str) {
        let fast: Vec<(usize, &str)> = sentences(text).expect("handled");
        let slow: Vec<(usize, &str)> = text.split_sentence_bound_indices().collect();
        assert_eq!(fast, slow, "sentences of {text:?}");
        let fast: Vec<(usize, &str)> = word_bounds(text).expect("handled");
        let slow: Vec<(usize, &str)> = text.split_word_bound_indices().collect();
        assert_eq!(fast, slow, "words of {text:?}");
    }

    #[test]
    fn known_cases_agree() {
        for text in [
            "",
            "Stalin rose. He was clever!",
            "He was in the U.S.A. in 1922. Then he left.",
            "e.g. this is it. 3.14 is pi. Mr. Smith went.",
            "\"Why?\" he asked. (No.) Yes!\r\nNext line\nand more.\n\n",
            "She said ‘don’t’ — and left… “Really?” Yes. Café owners’ rights.",
            "It's a_b c__d 12,000.50 x:y 3.a a.3 '' ... ? ! .. a. b",
            "ends with spaces.   ",
            "A.B. C. d e. F? g! H",
        ] {
            check(text);
        }
    }

    #[test]
    fn other_characters_are_left_to_unicode_segmentation() {
        assert!(sentences("Сталин").is_none());
        assert!(word_bounds("e\u{301}").is_none());
        assert!(sentences("a\u{FEFF}b").is_none());
        assert!(sentences("\u{1F600}").is_none());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn fast_segmentation_agrees_with_unicode_segmentation(
            picks in proptest::collection::vec((any::<bool>(), any::<prop::sample::Index>()), 0..60)
        ) {
            let all = alphabet();
            let text: String = picks
                .iter()
                .map(|(busy, i)| if *busy { BUSY[i.index(BUSY.len())] } else { all[i.index(all.len())] })
                .collect();
            check(&text);
        }
    }
}
