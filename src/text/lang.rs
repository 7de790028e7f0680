//! Language-specific word knowledge: the stemmer and the words that negate or split clauses.
//!
//! Stemming uses the Snowball algorithms of `rust-stemmers` for every language they cover.
//! Negation and clause words are written for English here, and for French, German, Spanish,
//! Italian, Portuguese and Dutch in [`super::lang_words`]; for other languages the English lists
//! are used, which mostly means negation is not detected (documented in
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
    /// May start a two-word refusal or counterfactual ("turned down", "instead of", "rather
    /// than", "if he had", "failed to", "unable to", "prevented ... from"): what follows did
    /// not happen.
    pub const REFUSAL_HEAD: u8 = 32;
    /// [`super::is_common_word`] ("the", "of", "is"...).
    pub const COMMON: u8 = 64;
}

/// The [`flags`] of a normalised word in `language` (a name of [`LANGUAGES`]): from the
/// language's own lists where they are written ([`super::lang_words`]), else English's.
pub fn word_flags_in(word: &str, language: &str) -> u8 {
    let Some(w) = super::lang_words::of(language) else {
        return word_flags(word);
    };
    let negator = w.negators.contains(&word)
        || w.refusals.contains(&word)
        || w.negator_prefixes
            .iter()
            .any(|p| word.len() > p.len() && word.starts_with(p));
    let mut f = 0;
    if negator {
        f |= flags::NEGATOR | flags::DENIAL_HEAD;
    }
    if w.auxiliaries.contains(&word) {
        f |= flags::AUXILIARY;
    }
    if w.cancels.contains(&word) {
        f |= flags::CANCELS;
    }
    if w.refusal_heads.contains(&word) {
        f |= flags::REFUSAL_HEAD;
    }
    // (The very common words are English's in every language, as before: see
    // [`is_common_word`].)
    if is_common_word(word) {
        f |= flags::COMMON;
    }
    f
}

/// [`is_clause_word`] in `language` (see [`word_flags_in`]).
pub fn is_clause_word_in(word: &str, language: &str) -> bool {
    match super::lang_words::of(language) {
        Some(w) => w.clause_words.contains(&word),
        None => is_clause_word(word),
    }
}

/// The [`flags`] of a normalised English word.
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
    if matches!(
        word,
        "turned"
            | "turn"
            | "turns"
            | "turning"
            | "instead"
            | "rather"
            | "if"
            | "failed"
            | "fail"
            | "fails"
            | "failing"
            | "unable"
            | "prevented"
            | "stopped"
            | "barred"
            | "blocked"
            | "avoided"
            | "avoid"
            | "avoids"
            | "avoiding"
    ) {
        f |= flags::REFUSAL_HEAD;
    }
    // Words that may start a denial of the rest of their sentence ("if he had ...", "it is
    // not true that ...") or end one ("... is a myth", "... but failed").
    if matches!(word, "if" | "myth" | "failed" | "who") {
        f |= flags::DENIAL_HEAD;
    }
    if is_common_word(word) {
        f |= flags::COMMON;
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

/// The ways a fragment ([`is_fragment`]) may be another word glued to a very common one by a
/// lost space ("ribosomesthe", "heatthe", "theheat"): the byte ranges of the other word, of four
/// letters or more, left when a common word of two letters or more ([`is_common_word`]) is
/// taken off its end or its start, the longest common word first (off the end first among
/// equals). The matcher takes the first of them that is a cue word, for an answer word that
/// matches none itself.
pub fn glued_words(fragment: &str) -> smallvec::SmallVec<[std::ops::Range<usize>; 2]> {
    let n = fragment.len();
    let mut out = smallvec::SmallVec::new();
    if n < 6 || !fragment.is_ascii() {
        return out;
    }
    for k in (2..=COMMON_LONGEST.min(n - 4)).rev() {
        if is_packed_common(&fragment[n - k..]) {
            out.push(0..n - k);
        }
        if is_packed_common(&fragment[..k]) {
            out.push(k..n);
        }
    }
    out
}

/// The longest of [`COMMON_WORDS`], in bytes.
const COMMON_LONGEST: usize = 7;

/// [`is_common_word`] for a word of up to [`COMMON_LONGEST`] bytes, by a set of the words'
/// bytes packed into numbers (a dozen lookups for each fragment looked at).
fn is_packed_common(word: &str) -> bool {
    static PACKED: std::sync::LazyLock<rustc_hash::FxHashSet<u64>> =
        std::sync::LazyLock::new(|| COMMON_WORDS.iter().map(|w| pack(w)).collect());
    fn pack(w: &str) -> u64 {
        w.bytes().fold(0, |p, b| (p << 8) | u64::from(b))
    }
    word.len() <= COMMON_LONGEST && PACKED.contains(&pack(word))
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
            // Denials and lacks: "he denied being Lenin's heir", "he lacked supporters".
            | "denied"
            | "denies"
            | "deny"
            | "denying"
            | "lacked"
            | "lacks"
            | "lacking"
            | "lack"
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
/// sorted list.
pub fn is_english_word(word: &str) -> bool {
    static LINES: std::sync::LazyLock<Vec<u32>> = std::sync::LazyLock::new(|| line_starts(ENGLISH_WORDS));
    in_sorted_lines(ENGLISH_WORDS, &LINES, word)
}

/// Whether `word` (lower case, three letters or fewer) is an English word ([`SHORT_WORDS`]).
pub fn is_short_word(word: &str) -> bool {
    static LINES: std::sync::LazyLock<Vec<u32>> = std::sync::LazyLock::new(|| line_starts(SHORT_WORDS));
    in_sorted_lines(SHORT_WORDS, &LINES, word)
}

/// Where each line of `lines` starts, and where a last line would (the lists' index, made
/// once: a search is then a few comparisons of words, not a walk to each line's ends).
fn line_starts(lines: &str) -> Vec<u32> {
    let mut starts = vec![0];
    starts.extend(
        lines
            .bytes()
            .enumerate()
            .filter(|&(_, b)| b == b'\n')
            .map(|(i, _)| i as u32 + 1),
    );
    if !lines.is_empty() && !lines.ends_with('\n') {
        starts.push(lines.len() as u32 + 1);
    }
    starts
}

/// Whether `word` is a line of `lines` (sorted by bytes), whose lines start at `starts`
/// ([`line_starts`]): a binary search.
fn in_sorted_lines(lines: &str, starts: &[u32], word: &str) -> bool {
    let list = lines.as_bytes();
    let line = |k: usize| {
        let (start, next) = (starts[k] as usize, starts[k + 1] as usize);
        list.get(start..next - 1).unwrap_or(&[])
    };
    let n = starts.len().saturating_sub(1);
    let (mut lo, mut hi) = (0usize, n);
    while lo < hi {
        let mid = (lo + hi) / 2;
        match line(mid).cmp(word.as_bytes()) {
            std::cmp::Ordering::Equal => return true,
            std::cmp::Ordering::Less => lo = mid + 1,
            std::cmp::Ordering::Greater => hi = mid,
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
            ("isheat", &["ishe", "heat"]),
            ("theat", &[]),
            ("", &[]),
        ];
        for &(word, want) in cases {
            let got: Vec<&str> = super::glued_words(word).into_iter().map(|r| &word[r]).collect();
            assert_eq!(got, want, "{word}");
        }
        assert_eq!(
            super::COMMON_LONGEST,
            super::COMMON_WORDS.iter().map(|w| w.len()).max().unwrap_or(0)
        );
        assert!(super::COMMON_WORDS.iter().all(|w| super::is_packed_common(w)));
        assert!(!super::is_packed_common("heat") && !super::is_packed_common("becausee"));
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
        // Every line found, and nothing between them.
        for list in [super::SHORT_WORDS, "a\nb", "a\nb\n", ""] {
            let starts = super::line_starts(list);
            for w in list.lines() {
                assert!(super::in_sorted_lines(list, &starts, w), "{w}");
                assert!(!super::in_sorted_lines(list, &starts, &format!("{w}a")), "{w}");
            }
            assert!(!super::in_sorted_lines(list, &starts, ""));
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
        for (w, fragment) in [
            ("h", true),
            ("ot", true),
            ("pai", true),
            ("nted", true),
            ("me", false),
            ("dog", false),
            ("the", false),
            ("side", false),
            ("Ot", false),
        ] {
            assert_eq!(super::is_fragment(w), fragment, "{w}");
        }
    }
}
