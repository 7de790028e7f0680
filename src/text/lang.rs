//! Language-specific word knowledge: the stemmer and the words that negate or split clauses.
//!
//! Stemming uses the Snowball algorithms of `rust-stemmers` for every language they cover.
//! Negation and clause words are only written for English so far; for other languages the
//! English lists are used, which mostly means negation is not detected (documented in
//! `docs/rubric-format.md`).

use rust_stemmers::{Algorithm, Stemmer};

/// A rubric's language: how to reduce words to their stems.
pub struct Language {
    name: &'static str,
    stemmer: Stemmer,
    /// Stems already computed, shared by every answer read with this language (a batch's
    /// vocabulary is mostly the same words).
    memo: std::sync::RwLock<rustc_hash::FxHashMap<Box<str>, Box<str>>>,
}

/// Beyond this many distinct words the stem memo stops growing (memory stays bounded).
const STEM_MEMO_CAP: usize = 100_000;

impl std::fmt::Debug for Language {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Language({})", self.name)
    }
}

/// The language names a rubric may give, with their Snowball algorithm.
pub const LANGUAGES: &[(&str, Algorithm)] = &[
    ("english", Algorithm::English),
    ("arabic", Algorithm::Arabic),
    ("danish", Algorithm::Danish),
    ("dutch", Algorithm::Dutch),
    ("finnish", Algorithm::Finnish),
    ("french", Algorithm::French),
    ("german", Algorithm::German),
    ("greek", Algorithm::Greek),
    ("hungarian", Algorithm::Hungarian),
    ("italian", Algorithm::Italian),
    ("norwegian", Algorithm::Norwegian),
    ("portuguese", Algorithm::Portuguese),
    ("romanian", Algorithm::Romanian),
    ("russian", Algorithm::Russian),
    ("spanish", Algorithm::Spanish),
    ("swedish", Algorithm::Swedish),
    ("tamil", Algorithm::Tamil),
    ("turkish", Algorithm::Turkish),
];

impl Language {
    /// Looks a language up by name (`english`, `en`, `French`...).
    pub fn from_name(name: &str) -> Option<Language> {
        let lower = name.trim().to_lowercase();
        fn code(n: &str) -> &str {
            match n {
                "en" => "english",
                "fr" => "french",
                "de" => "german",
                "es" => "spanish",
                "it" => "italian",
                "nl" => "dutch",
                "pt" => "portuguese",
                "ru" => "russian",
                "sv" => "swedish",
                "da" => "danish",
                "no" | "nb" => "norwegian",
                "fi" => "finnish",
                "hu" => "hungarian",
                "ro" => "romanian",
                "tr" => "turkish",
                "el" => "greek",
                "ar" => "arabic",
                "ta" => "tamil",
                other => other,
            }
        }
        let wanted = code(&lower);
        LANGUAGES.iter().find(|(n, _)| *n == wanted).map(|(n, a)| Language {
            name: n,
            stemmer: Stemmer::create(*a),
            memo: Default::default(),
        })
    }

    /// English, the default.
    pub fn english() -> Language {
        Language {
            name: "english",
            stemmer: Stemmer::create(Algorithm::English),
            memo: Default::default(),
        }
    }

    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The stem of an already normalised (lower-case) word.
    pub fn stem(&self, word: &str) -> String {
        self.stem_compact(word).into()
    }

    /// [`Language::stem`], without an allocation for a short stem.
    pub fn stem_compact(&self, word: &str) -> compact_str::CompactString {
        if let Some(s) = self.memo.read().ok().as_ref().and_then(|m| m.get(word)) {
            return s.as_ref().into();
        }
        let s = compact_str::CompactString::from(self.stemmer.stem(word));
        if let Ok(mut memo) = self.memo.write()
            && memo.len() < STEM_MEMO_CAP
        {
            memo.insert(word.into(), s.as_str().into());
        }
        s
    }
}

/// What a word is to the negation rules, as bits: computed once per distinct word (see
/// [`word_flags`]) so that checking a match does not compare strings.
pub mod flags {
    /// [`super::is_negator`].
    pub const NEGATOR: u8 = 1;
    /// [`super::is_auxiliary`].
    pub const AUXILIARY: u8 = 2;
    /// [`super::cancels_negation`].
    pub const CANCELS: u8 = 4;
    /// May start a later clause that denies what came before ("I don't think", "that is
    /// wrong", "not true", "no evidence").
    pub const DENIAL_HEAD: u8 = 8;
    /// [`super::is_fragment`] (set for English words only).
    pub const FRAGMENT: u8 = 16;
    /// [`super::glued_words`] finds ways it may be two words (set for English words only).
    pub const GLUED: u8 = 32;
}

/// The [`flags`] of a normalised word.
pub fn word_flags(word: &str) -> u8 {
    let mut f = 0;
    if is_negator(word) {
        f |= flags::NEGATOR;
    }
    if is_auxiliary(word) {
        f |= flags::AUXILIARY;
    }
    if cancels_negation(word) {
        f |= flags::CANCELS;
    }
    if is_negator(word)
        || matches!(
            word,
            "not" | "isn't" | "isnt" | "wasn't" | "wasnt" | "that" | "this" | "it" | "which" | "no"
        )
    {
        f |= flags::DENIAL_HEAD;
    }
    f
}

/// Whether an English word (normalised) may be a piece of a word split by a stray space ("too
/// h ot", "the mo re hot", "pai nted"): letters only, and no word of the lists (not a common
/// word, not an English word: "h", "ot", "re", "pai", "nted", but not "me", "dog" or "side").
/// The matcher joins such a piece with its neighbour when the two make a cue word that neither
/// is on its own.
pub fn is_fragment(word: &str) -> bool {
    !word.is_empty()
        && word.bytes().all(|b| b.is_ascii_lowercase())
        && !is_common_word(word)
        && !if word.len() <= 3 {
            is_short_word(word)
        } else {
            is_english_word(word)
        }
}

/// The ways a lower-case word may be another glued to a very common word by a lost space
/// ("ribosomesthe", "heatthe", "theheat"): the byte ranges of the other word, of four letters
/// or more, left when a common word of two letters or more ([`is_common_word`]) is taken off its
/// end or its start, the longest common word first (off the end first among equals). None for a word of the lists (common or
/// English): "another", "therefore", "heat". The matcher takes the first of them that is a cue
/// word, for an answer word that matches none itself.
pub fn glued_words(word: &str) -> smallvec::SmallVec<[std::ops::Range<usize>; 2]> {
    let n = word.len();
    let mut out = smallvec::SmallVec::new();
    if n < 6 || !word.bytes().all(|b| b.is_ascii_lowercase()) || is_common_word(word) || is_english_word(word) {
        return out;
    }
    let longest = COMMON_WORDS.iter().map(|w| w.len()).max().unwrap_or(0).min(n - 4);
    for k in (2..=longest).rev() {
        if is_common_word(&word[n - k..]) {
            out.push(0..n - k);
        }
        if is_common_word(&word[..k]) {
            out.push(k..n);
        }
    }
    out
}

/// Words that negate what follows them in the same clause ("did not", "never", "no").
/// Apostrophe-less spellings are listed because handwriting transcriptions drop them.
pub fn is_negator(word: &str) -> bool {
    matches!(
        word,
        "not"
            | "no"
            | "never"
            | "neither"
            | "nor"
            | "none"
            | "nobody"
            | "nothing"
            | "without"
            | "cannot"
            | "hardly"
            | "barely"
            | "scarcely"
            | "didnt"
            | "doesnt"
            | "dont"
            | "wasnt"
            | "werent"
            | "isnt"
            | "arent"
            | "hadnt"
            | "hasnt"
            | "havent"
            | "couldnt"
            | "wouldnt"
            | "shouldnt"
            | "wont"
            | "cant"
            | "aint"
            // Refusals: what was refused did not happen ("he refused the post").
            | "refused"
            | "refuse"
            | "refuses"
            | "refusing"
            | "declined"
    ) || word.ends_with("n't")
}

/// Words after a negator that turn it into something else: "not only", "not just".
pub fn cancels_negation(next: &str) -> bool {
    matches!(
        next,
        "only" | "just" | "merely" | "simply" | "least" | "until" | "till" | "always"
    )
}

/// Words that start a new clause, so a negation before them does not reach past them.
pub fn is_clause_word(word: &str) -> bool {
    matches!(
        word,
        "but"
            | "however"
            | "although"
            | "though"
            | "yet"
            | "whereas"
            | "while"
            | "because"
            | "so"
            | "instead"
            | "rather"
            | "which"
            | "who"
            | "that"
            | "then"
            | "therefore"
            | "thus"
    )
}

/// Auxiliaries that may stand between a subject and a following negation ("patronage was not").
pub fn is_auxiliary(word: &str) -> bool {
    matches!(
        word,
        "is" | "was"
            | "were"
            | "are"
            | "be"
            | "been"
            | "did"
            | "does"
            | "do"
            | "had"
            | "has"
            | "have"
            | "could"
            | "would"
            | "should"
            | "might"
            | "may"
            | "will"
            | "can"
            | "really"
            | "actually"
    )
}

/// Very common English words: never taken for misspellings of a cue word, and a cue made
/// only of them matches almost any answer (`rubric lint` warns).
pub fn is_common_word(word: &str) -> bool {
    COMMON_WORDS.binary_search(&word).is_ok()
}

/// Sorted, for binary search.
pub const COMMON_WORDS: &[&str] = &[
    "a", "about", "after", "again", "all", "also", "an", "and", "any", "are", "as", "at", "be", "because", "been",
    "before", "being", "but", "by", "can", "could", "did", "do", "does", "each", "even", "every", "for", "from", "get",
    "got", "had", "has", "have", "he", "her", "here", "him", "his", "how", "i", "if", "in", "into", "is", "it", "its",
    "just", "like", "made", "make", "many", "more", "most", "much", "my", "no", "not", "now", "of", "on", "one",
    "only", "or", "other", "our", "out", "over", "said", "same", "she", "should", "so", "some", "such", "than", "that",
    "the", "their", "them", "then", "there", "these", "they", "thing", "things", "this", "those", "through", "time",
    "to", "too", "under", "until", "up", "very", "was", "way", "we", "well", "were", "what", "when", "where", "which",
    "while", "who", "why", "will", "with", "would", "you", "your",
];

#[cfg(test)]
mod tests {
    #[test]
    fn common_words_are_sorted() {
        assert!(super::COMMON_WORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(super::is_common_word("their"));
        assert!(!super::is_common_word("patronage"));
    }
}

/// Correctly spelt English words of four letters or more (SCOWL via Debian's `wamerican` and
/// `wbritish`, sorted; licence in `english-words.COPYRIGHT`). An answer word found here is a
/// real word, not a misspelling: "think" is never taken for "thick", nor "strong" for
/// "string".
const ENGLISH_WORDS: &str = include_str!("english-words.txt");

/// English words of three letters or fewer: those of the same lists with three letters (SCOWL
/// has many abbreviations of one or two: "re", "mo"), and the real words of one or two letters
/// ("a", "me", "us"...), sorted.
const SHORT_WORDS: &str = include_str!("short-words.txt");

/// Whether `word` (lower case) is a correctly spelt English word: a binary search over the
/// sorted list, with no set-up cost.
pub fn is_english_word(word: &str) -> bool {
    in_sorted_lines(ENGLISH_WORDS, word)
}

/// Whether `word` (lower case, three letters or fewer) is an English word ([`SHORT_WORDS`]).
pub fn is_short_word(word: &str) -> bool {
    in_sorted_lines(SHORT_WORDS, word)
}

/// Whether `word` is a line of `lines` (sorted by bytes): a binary search.
fn in_sorted_lines(lines: &str, word: &str) -> bool {
    let list = lines.as_bytes();
    let (mut lo, mut hi) = (0usize, list.len());
    while lo < hi {
        let mid = (lo + hi) / 2;
        // The line holding `mid`.
        let start = list[..mid].iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let end = list[mid..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(list.len(), |i| mid + i);
        match list[start..end].cmp(word.as_bytes()) {
            std::cmp::Ordering::Equal => return true,
            std::cmp::Ordering::Less => lo = end + 1,
            std::cmp::Ordering::Greater => hi = start,
        }
    }
    false
}

#[cfg(test)]
mod dictionary_tests {
    #[test]
    fn glued_words() {
        let cases: &[(&str, &[&str])] = &[
            ("ribosomesthe", &["ribosomes", "ribosomest"]),
            ("heatthe", &["heat", "heatt", "atthe"]),
            ("theheat", &["heat", "thehe"]),
            ("cytoplasmand", &["cytoplasm"]),
            ("inbetween", &["between"]),
            ("heatinto", &["heat", "heatin", "atinto"]),
            // Words, short words, upper case.
            ("another", &[]),
            ("therefore", &[]),
            ("heat", &[]),
            ("isheat", &["ishe", "heat"]),
            ("theat", &[]),
            ("Heatthe", &[]),
            ("", &[]),
        ];
        for &(word, want) in cases {
            let got: Vec<&str> = super::glued_words(word).into_iter().map(|r| &word[r]).collect();
            assert_eq!(got, want, "{word}");
        }
    }

    #[test]
    fn real_words_and_misspellings() {
        for w in [
            "think",
            "thick",
            "strong",
            "string",
            "organisation",
            "organization",
            "patronage",
            "favour",
        ] {
            assert!(super::is_english_word(w), "{w}");
        }
        for w in ["patronige", "secretery", "goverment", "thinkk", "aaaa", "zzzzzz", ""] {
            assert!(!super::is_english_word(w), "{w}");
        }
        for list in [super::ENGLISH_WORDS, super::SHORT_WORDS] {
            assert!(list.lines().collect::<Vec<_>>().windows(2).all(|w| w[0] < w[1]));
        }
        assert!(super::SHORT_WORDS.lines().all(|w| w.len() <= 3));
        for w in ["a", "me", "us", "dog", "hot", "the", "use"] {
            assert!(super::is_short_word(w), "{w}");
        }
        for w in ["h", "ot", "re", "mo", "pai", "ide", "heat"] {
            assert!(!super::is_short_word(w), "{w}");
        }
        for (w, fragment) in [("h", true), ("ot", true), ("pai", true), ("nted", true), ("me", false), ("dog", false), ("the", false), ("side", false), ("Ot", false)] {
            assert_eq!(super::is_fragment(w), fragment, "{w}");
        }
    }
}
