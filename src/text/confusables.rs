//! Invisible characters and look-alike letters, folded away before words are matched.
//!
//! A soft hyphen or a zero-width character inside a word ("pat\u{AD}ronage", "patro\u{200B}nage")
//! hides it from a matcher that compares characters, and so does a Cyrillic or Greek letter that
//! looks like a Latin one ("nоt" with a Cyrillic `о` is not "not"). Spoof checkers answer this
//! with Unicode's confusable *skeletons* (UTS #39): text is compared by what it looks like. This
//! module does the same for the letters that matter in answers, three ways:
//!
//! - [`fold_word`], for matching: invisible characters (Unicode's default-ignorable code points:
//!   soft hyphen, zero-width space and joiners, word joiner, byte order mark, bidirectional
//!   controls, variation selectors, Hangul fillers, tags...) are removed from every word; and a
//!   word that mixes Latin letters with Cyrillic or Greek letters that each look like a Latin one
//!   is made all Latin. A word with no Latin letter, or with a Cyrillic or Greek letter that looks
//!   like no Latin one, is left as it is: real Russian or Greek text is not touched.
//! - [`skeleton`], for comparing answers with each other (near-duplicates): every look-alike
//!   letter is made Latin, mixed word or not, so that a copy with Cyrillic letters substituted
//!   (even in whole words such as "а" or "һе") has the original's skeleton.
//! - [`join_split_words`], for segmentation: a zero-width space is a word boundary to Unicode's
//!   word rules (UAX #29), unlike the soft hyphen and the joiners, which stay inside the word.
//!   Between two letters of a script that separates words with spaces (Latin, Greek, Cyrillic)
//!   it is hiding a word rather than separating two, and is read as a word joiner.
//!
//! Fullwidth and mathematical letters need nothing here: NFKC (see
//! [`super::tokens::normalize_word`]) makes them ASCII. ASCII text never reaches this module:
//! callers check for non-ASCII bytes first.

use std::borrow::Cow;

/// Whether `c` is a default-ignorable code point (Unicode's `Default_Ignorable_Code_Point`,
/// DerivedCoreProperties.txt): a character that renders as nothing.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{AD}'
            | '\u{34F}'
            | '\u{61C}'
            | '\u{115F}'..='\u{1160}'
            | '\u{17B4}'..='\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{FFF0}'..='\u{FFF8}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E0FFF}'
    )
}

/// The Latin letter a Cyrillic or Greek letter (or an IPA letter) is drawn like, from
/// Unicode's confusables.txt (UTS #39), where the two are alike in common fonts.
pub fn latin_twin(c: char) -> Option<char> {
    Some(match c {
        // Cyrillic capitals.
        'А' => 'A',
        'В' => 'B',
        'Е' => 'E',
        'Ѕ' => 'S',
        'І' => 'I',
        'Ј' => 'J',
        'К' => 'K',
        'М' => 'M',
        'Н' => 'H',
        'О' => 'O',
        'Р' => 'P',
        'С' => 'C',
        'Т' => 'T',
        'У' | 'Ү' => 'Y',
        'Х' => 'X',
        'Һ' => 'H',
        'Ӏ' => 'I',
        'Ԛ' => 'Q',
        'Ԝ' => 'W',
        'Ѵ' => 'V',
        // Cyrillic small letters.
        'а' => 'a',
        'е' => 'e',
        'ѕ' => 's',
        'і' => 'i',
        'ј' => 'j',
        'о' => 'o',
        'р' => 'p',
        'с' => 'c',
        'у' | 'ү' => 'y',
        'х' => 'x',
        'һ' => 'h',
        'ӏ' => 'l',
        'ԁ' => 'd',
        'ԛ' => 'q',
        'ԝ' => 'w',
        'ѵ' => 'v',
        // Greek capitals.
        'Α' => 'A',
        'Β' => 'B',
        'Ε' => 'E',
        'Ζ' => 'Z',
        'Η' => 'H',
        'Ι' => 'I',
        'Κ' => 'K',
        'Μ' => 'M',
        'Ν' => 'N',
        'Ο' => 'O',
        'Ρ' => 'P',
        'Τ' => 'T',
        'Υ' => 'Y',
        'Χ' => 'X',
        'Ϲ' => 'C',
        'Ϳ' => 'J',
        // Greek small letters.
        'α' => 'a',
        'γ' => 'y',
        'ι' => 'i',
        'κ' => 'k',
        'ν' => 'v',
        'ο' => 'o',
        'ρ' => 'p',
        'υ' => 'u',
        'χ' => 'x',
        'ϲ' => 'c',
        'ϳ' => 'j',
        // Latin letters of the phonetic alphabet drawn like plain ones.
        'ɑ' => 'a',
        'ɡ' => 'g',
        _ => return None,
    })
}

/// Whether `c` is a Latin letter: ASCII, Latin-1, Latin Extended-A and -B, Latin Extended
/// Additional, or fullwidth.
fn is_latin_letter(c: char) -> bool {
    c.is_ascii_alphabetic()
        || (matches!(c, '\u{C0}'..='\u{24F}' | '\u{1E00}'..='\u{1EFF}' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ')
            && c != '\u{D7}'
            && c != '\u{F7}')
}

/// Whether a word needs [`fold_word`]: it has an invisible character, or Latin letters with
/// look-alike ones (and every other letter is one).
fn needs_folding(word: &str) -> (bool, bool) {
    let mut invisible = false;
    let mut latin = false;
    let mut lookalike = false;
    let mut foreign = false;
    for c in word.chars() {
        if c.is_ascii() {
            latin |= c.is_ascii_alphabetic();
        } else if is_invisible(c) {
            invisible = true;
        } else if latin_twin(c).is_some() && !is_latin_letter(c) {
            lookalike = true;
        } else if is_latin_letter(c) {
            latin = true;
        } else if c.is_alphabetic() {
            foreign = true;
        }
    }
    (invisible, latin && lookalike && !foreign)
}

/// A word as the matcher reads it: without invisible characters, and made all Latin when it
/// mixes Latin letters with Cyrillic or Greek look-alikes (see the module's documentation).
/// Borrowed when there is nothing to fold.
pub fn fold_word(word: &str) -> Cow<'_, str> {
    if word.is_ascii() {
        return Cow::Borrowed(word);
    }
    let (invisible, to_latin) = needs_folding(word);
    if !invisible && !to_latin {
        return Cow::Borrowed(word);
    }
    Cow::Owned(
        word.chars()
            .filter(|&c| !is_invisible(c))
            .map(|c| if to_latin { latin_twin(c).unwrap_or(c) } else { c })
            .collect(),
    )
}

/// The skeleton of a (normalised) word for comparing texts with each other: every look-alike
/// letter made Latin and invisible characters removed, whatever the rest of the word is.
/// Borrowed when there is nothing to fold.
pub fn skeleton(word: &str) -> Cow<'_, str> {
    if word.is_ascii() || !word.chars().any(|c| is_invisible(c) || latin_twin(c).is_some()) {
        return Cow::Borrowed(word);
    }
    Cow::Owned(
        word.chars()
            .filter(|&c| !is_invisible(c))
            .map(|c| latin_twin(c).unwrap_or(c))
            .collect(),
    )
}

/// Whether a zero-width space next to `c` may be inside a word: `c` is a digit or a letter of
/// a script that separates words with spaces (Latin, Greek, Cyrillic). In Thai, Khmer, Chinese
/// or Japanese text the zero-width space marks the boundaries of words, and is left alone.
fn joins(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || (c.is_alphabetic()
            && matches!(c, '\u{C0}'..='\u{52F}' | '\u{1E00}'..='\u{1FFF}' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ'))
}

/// The zero-width space, and the character put in its place inside a word (the word joiner:
/// the same length in UTF-8, and no word boundary by UAX #29).
const ZWSP: char = '\u{200B}';
const WORD_JOINER: char = '\u{2060}';
const _: () = assert!(ZWSP.len_utf8() == WORD_JOINER.len_utf8());

/// `text` with every zero-width space that stands inside a word (in a run of invisible
/// characters between two letters, see [`joins`]) replaced by a word joiner, so that word
/// segmentation keeps the word whole. Byte offsets are unchanged. Borrowed when there is none.
pub fn join_split_words(text: &str) -> Cow<'_, str> {
    let Some(first) = text.find(ZWSP) else {
        return Cow::Borrowed(text);
    };
    // Offsets of the zero-width spaces to replace.
    let mut inside_words: Vec<usize> = Vec::new();
    let mut at = first;
    while let Some(rel) = text[at..].find(ZWSP) {
        let pos = at + rel;
        // The run of invisible characters around this zero-width space.
        let before = text[..pos].trim_end_matches(is_invisible);
        let run_end = pos + (text[pos..].len() - text[pos..].trim_start_matches(is_invisible).len());
        let inside = before.chars().next_back().is_some_and(joins) && text[run_end..].chars().next().is_some_and(joins);
        if inside {
            inside_words.extend(
                text[pos..run_end]
                    .char_indices()
                    .filter(|&(_, c)| c == ZWSP)
                    .map(|(i, _)| pos + i),
            );
        }
        at = run_end;
    }
    if inside_words.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for pos in inside_words {
        out.push_str(&text[copied..pos]);
        out.push(WORD_JOINER);
        copied = pos + ZWSP.len_utf8();
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_segmentation::UnicodeSegmentation;

    #[test]
    fn invisible_characters_leave_words() {
        for word in [
            "pat\u{AD}ronage",
            "patro\u{200B}nage",
            "patr\u{200C}onage",
            "patr\u{200D}onage",
            "pa\u{2060}tronage",
            "patronag\u{FEFF}e",
            "p\u{AD}\u{200B}\u{2060}atronage",
        ] {
            assert_eq!(fold_word(word), "patronage", "{word:?}");
            assert_eq!(skeleton(word), "patronage", "{word:?}");
        }
    }

    #[test]
    fn mixed_words_are_made_latin() {
        let cases = [
            ("pаtronage", "patronage"),     // Cyrillic а
            ("nоt", "not"),                 // Cyrillic о
            ("Ѕtаlіn", "Stalin"),           // Cyrillic Ѕ, а and і
            ("Ηello", "Hello"),             // Greek Eta
            ("pοlitburο", "politburo"),     // Greek omicron
            ("cafе\u{301}", "cafe\u{301}"), // Cyrillic е, combining accent
        ];
        crate::text::assert_cases(fold_word, &cases);
        assert!(matches!(fold_word("café"), Cow::Borrowed(_)));
    }

    #[test]
    fn real_russian_and_greek_words_are_left_alone() {
        for word in ["Сталин", "патронаж", "ухо", "сор", "а", "Πολιτικό", "ορ", "Ζεύς"]
        {
            assert!(matches!(fold_word(word), Cow::Borrowed(_)), "{word}");
        }
        // A Latin letter in a word that cannot be made all Latin: a typo in Russian, left alone.
        assert!(matches!(fold_word("пaтронаж"), Cow::Borrowed(_)));
    }

    #[test]
    fn skeletons_make_every_look_alike_latin() {
        let cases = [("а", "a"), ("һе", "he"), ("сор", "cop"), ("патронаж", "пaтpoнaж")];
        crate::text::assert_cases(skeleton, &cases);
        for word in ["stalin", "naïve"] {
            assert!(matches!(skeleton(word), Cow::Borrowed(_)), "{word}");
        }
    }

    fn doc(text: &str) -> crate::text::tokens::Document {
        let en = crate::text::lang::Language::english();
        crate::text::tokens::Document::new(text.to_string(), crate::text::read::Format::Text, &en)
    }

    /// Through the tokenizer: the folded word, and offsets that cover the original characters.
    #[test]
    fn answers_are_read_folded_with_offsets_into_the_original() {
        for (word, bytes) in [
            ("pat\u{AD}ronage", 11),
            ("patro\u{200B}nage", 12),
            ("patro\u{200B}\u{200B}nage", 15),
            ("patr\u{200C}o\u{200D}nage", 15),
            ("pat\u{2060}ronage", 12),
            ("patronag\u{FEFF}e", 12),
            ("p\u{430}tronage", 10),
        ] {
            let text = format!("Stalin used {word} well.");
            let d = doc(&text);
            let norms: Vec<&str> = d.tokens.iter().map(|t| d.word(t).norm.as_str()).collect();
            assert_eq!(norms, ["stalin", "used", "patronage", "well"], "{word:?}");
            let t = &d.tokens[2];
            assert_eq!((t.start, t.end - t.start), (12, bytes), "{word:?}");
            assert_eq!(&text[t.start..t.end], word);
            assert_eq!(d.sentence_text(0), text);
        }
    }

    #[test]
    fn a_look_alike_negation_is_a_negation() {
        let latin = doc("He did not build it.");
        let cyrillic = doc("He did n\u{43E}t build it."); // Cyrillic о
        assert_eq!(cyrillic.word(&cyrillic.tokens[2]).norm, "not");
        assert_eq!(
            cyrillic.word(&cyrillic.tokens[2]).flags,
            latin.word(&latin.tokens[2]).flags
        );
        assert_ne!(latin.word(&latin.tokens[2]).flags, 0);
    }

    #[test]
    fn russian_text_is_read_as_it_is() {
        let ru = crate::text::lang::Language::from_name("russian").expect("russian");
        let text = "Сталин не создавал систему патронажа, а сор и ухо остались.";
        let d = crate::text::tokens::Document::new(text.to_string(), crate::text::read::Format::Text, &ru);
        let norms: Vec<&str> = d.tokens.iter().map(|t| d.word(t).norm.as_str()).collect();
        let expected: Vec<String> = text
            .split(|c: char| !c.is_alphabetic())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        assert_eq!(norms, expected);
    }

    /// Megabytes of zero-width spaces, inside words and between them, in linear time.
    #[test]
    fn megabytes_of_zero_width_spaces() {
        let text = "pat\u{200B}ro\u{200B}\u{200B}nage \u{200B} ".repeat(100_000);
        let joined = join_split_words(&text);
        assert_eq!(joined.len(), text.len());
        assert_eq!(joined.matches(WORD_JOINER).count(), 300_000);
        assert_eq!(joined.matches(ZWSP).count(), 100_000);
        let d = doc(&text);
        assert_eq!(d.tokens.len(), 100_000);
        assert!(d.tokens.iter().all(|t| d.word(t).norm == "patronage"));
    }

    #[test]
    fn zero_width_spaces_inside_words_join_them() {
        let text = "A patro\u{200B}nage sys\u{200B}\u{AD}tem. \u{200B}Edge\u{200B} 1\u{200B}9 ไทย\u{200B}ไทย";
        let joined = join_split_words(text);
        assert_eq!(joined.len(), text.len());
        let words: Vec<&str> = joined
            .split_word_bounds()
            .filter(|w| w.chars().any(|c| c.is_ascii_alphanumeric()))
            .collect();
        assert_eq!(
            words,
            ["A", "patro\u{2060}nage", "sys\u{2060}\u{AD}tem", "Edge", "1\u{2060}9"]
        );
        // Between Thai words, a zero-width space is their boundary: kept.
        assert!(joined.ends_with("ไทย\u{200B}ไทย"));
        // Byte for byte the same elsewhere: offsets into the original stay right.
        for (a, b) in text.char_indices().zip(joined.char_indices()) {
            assert_eq!(a.0, b.0);
            assert!(a.1 == b.1 || (a.1 == ZWSP && b.1 == WORD_JOINER));
        }
        assert!(matches!(join_split_words("no zero-width space"), Cow::Borrowed(_)));
        assert!(matches!(join_split_words("a \u{200B} b"), Cow::Borrowed(_)));
        // Unicode's rules: the zero-width space breaks a word, the soft hyphen does not.
        assert_eq!("patro\u{200B}nage".split_word_bounds().count(), 3);
        assert_eq!("pat\u{AD}ronage".split_word_bounds().count(), 1);
    }
}
