//! Review flags: why a teacher should look at an answer before trusting its mark.
//!
//! The tool proposes, the teacher decides: an answer gets zero or more [`Reason`]s, shown in
//! the marks sheet (`review`), the JSON Lines and the class report. Reasons about the answer
//! alone are found where its text is at hand, in the worker that marks it ([`of_answer`]); the
//! ones that compare it with the class ([`Reason::NearDuplicate`], [`Reason::VeryShort`],
//! [`Reason::VeryLong`]) after the batch ([`of_class`]). Each answer keeps only a [`Review`]
//! (two bytes) and its word count (four).
//!
//! The rules (docs/mark.md, "Review flags", says the same for teachers):
//!
//! - `empty`: nothing but white space (the answer scores 0).
//! - `question-only`: at least [`QUESTION_SHARE`] of the answer's words lie in runs copied from
//!   the title or a question (question echo, [`crate::lexicon::echo`]).
//! - `keyword-list`: words without sentences ([`is_keyword_list`]).
//! - `copied-source`: at least [`SOURCE_SHARE`] of the words lie in phrases copied from the
//!   rubric's `source` passage ([`crate::lexicon::source`]).
//! - `near-duplicate`: another answer of the batch shares most of its wording.
//! - `misspelling-only`: a point that earns marks was found only through a doubtful misspelling
//!   of a cue word: every match of the kind that gives its status holds a word two edits from
//!   the cue word, or one edit in a short word ([`crate::matcher::doubtful`]; the matcher tells
//!   it, [`crate::score::Assessment::misspelt_only`]).
//! - `partial-only`: the answer earns marks, but every point it earns is only partial.
//! - `very-short`, `very-long`: word count far from the class's ([`of_class`]).
//! - `hidden-text`: a `.docx` or `.odt` holds text its reader does not see: hidden, white or
//!   tiny ([`crate::text::office::Extracted::concealed`]).

use crate::matcher::Status;
use crate::scheme::Rubric;
use crate::score::Brief;
use crate::text::tokens::Document;

/// One reason to review an answer. The order is the order reasons are listed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    Empty,
    QuestionOnly,
    KeywordList,
    CopiedSource,
    NearDuplicate,
    MisspellingOnly,
    PartialOnly,
    VeryShort,
    VeryLong,
    HiddenText,
    NotOnRoster,
}

impl Reason {
    /// Every reason, in the order they are listed.
    pub const ALL: [Reason; 11] = [
        Reason::Empty,
        Reason::QuestionOnly,
        Reason::KeywordList,
        Reason::CopiedSource,
        Reason::NearDuplicate,
        Reason::MisspellingOnly,
        Reason::PartialOnly,
        Reason::VeryShort,
        Reason::VeryLong,
        Reason::HiddenText,
        Reason::NotOnRoster,
    ];

    /// The name in the CSV and JSON (`keyword-list`).
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Empty => "empty",
            Reason::QuestionOnly => "question-only",
            Reason::KeywordList => "keyword-list",
            Reason::CopiedSource => "copied-source",
            Reason::NearDuplicate => "near-duplicate",
            Reason::MisspellingOnly => "misspelling-only",
            Reason::PartialOnly => "partial-only",
            Reason::VeryShort => "very-short",
            Reason::VeryLong => "very-long",
            Reason::HiddenText => "hidden-text",
            Reason::NotOnRoster => "not-on-roster",
        }
    }

    /// What it means, for people (the class report's legend and the summary).
    pub fn meaning(self) -> &'static str {
        match self {
            Reason::Empty => "the answer is empty",
            Reason::QuestionOnly => "only copies the questions",
            Reason::KeywordList => "a list of words without sentences",
            Reason::CopiedSource => "mostly copied from the source passage",
            Reason::NearDuplicate => "shares most of its wording with another answer",
            Reason::MisspellingOnly => "a point was found only through a misspelling",
            Reason::PartialOnly => "every point earned is only partial",
            Reason::VeryShort => "very short for the class",
            Reason::VeryLong => "very long for the class",
            Reason::HiddenText => "the document holds hidden, white or tiny text",
            Reason::NotOnRoster => "its id is not on the roster",
        }
    }

    fn bit(self) -> u16 {
        1 << self as u16
    }
}

/// The reasons to review one answer: a set of [`Reason`]s in two bytes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Review(u16);

impl Review {
    pub fn insert(&mut self, r: Reason) {
        self.0 |= r.bit();
    }

    pub fn contains(self, r: Reason) -> bool {
        self.0 & r.bit() != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The reasons, in their fixed order.
    pub fn reasons(self) -> impl Iterator<Item = Reason> {
        Reason::ALL.into_iter().filter(move |r| self.contains(*r))
    }

    /// The reasons' names joined by `sep` (`keyword-list;very-long`); empty when there is none.
    pub fn joined(self, sep: &str) -> String {
        self.reasons().map(Reason::as_str).collect::<Vec<_>>().join(sep)
    }
}

/// Share of an answer's words copied from the questions from which it is `question-only`.
pub const QUESTION_SHARE: f64 = 0.75;
/// Share of an answer's words copied from the source passage from which it is `copied-source`.
pub const SOURCE_SHARE: f64 = 0.5;
/// Fewest words a keyword list has: shorter answers are too short to tell.
pub const LIST_MIN_WORDS: usize = 12;
/// In English, a keyword list has fewer common words ("the", "of", "is"...) than this share of
/// its words; running prose has 35 to 55%.
pub const LIST_COMMON_SHARE: f64 = 0.12;

/// Whether an answer is a bare list of words without sentences: at least
/// [`LIST_MIN_WORDS`] words, and either (in English) fewer than [`LIST_COMMON_SHARE`] of them
/// very common words, or (in any language) at least 8 lines with words, of which at least 80%
/// hold fewer than four words (one term per line).
pub fn is_keyword_list(doc: &Document, english: bool) -> bool {
    let words = doc.tokens.len();
    if words < LIST_MIN_WORDS {
        return false;
    }
    if english {
        // The flag set once per distinct word, not a lookup per word of every answer.
        let common = doc
            .tokens
            .iter()
            .filter(|t| doc.word(t).flags & crate::text::lang::flags::COMMON != 0)
            .count();
        if (common as f64) < LIST_COMMON_SHARE * words as f64 {
            return true;
        }
    }
    // Lines: words per line, counted from the tokens' offsets (8 lines need 7 line breaks:
    // prose seldom has them).
    let text = doc.text.as_bytes();
    if text.iter().filter(|&&b| b == b'\n').count() < 7 {
        return false;
    }
    let mut per_line: Vec<usize> = Vec::new();
    let mut line_end = 0;
    for t in &doc.tokens {
        if t.start >= line_end || per_line.is_empty() {
            line_end = text[t.start..]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(text.len(), |p| t.start + p);
            per_line.push(0);
        }
        if let Some(n) = per_line.last_mut() {
            *n += 1;
        }
    }
    let short = per_line.iter().filter(|&&n| n < 4).count();
    per_line.len() >= 8 && short * 5 >= per_line.len() * 4
}

/// The reasons found in one answer alone. `found` is what the matcher found in it (score,
/// statuses, misspellings, words of question echo and of the source passage, counted as it
/// looked: nothing is searched twice), `concealed` whether its document
/// hides text.
pub fn of_answer(rubric: &Rubric, doc: &Document, found: &Brief, empty: bool, concealed: bool) -> Review {
    let mut review = Review::default();
    if concealed {
        review.insert(Reason::HiddenText);
    }
    let words = doc.tokens.len();
    if empty || words == 0 {
        review.insert(Reason::Empty);
        return review;
    }
    let share = |n: usize| n as f64 / words as f64;
    if share(found.echoed) >= QUESTION_SHARE {
        review.insert(Reason::QuestionOnly);
    }
    if is_keyword_list(doc, rubric.language.name() == "english") {
        review.insert(Reason::KeywordList);
    }
    if rubric.source.is_some() && share(found.copied) >= SOURCE_SHARE {
        review.insert(Reason::CopiedSource);
    }
    if found.misspelt_only {
        review.insert(Reason::MisspellingOnly);
    }
    let points: usize = rubric.questions.iter().map(|q| q.points.len()).sum();
    let points = &found.statuses[..points.min(found.statuses.len())];
    if found.score > 0.0 && points.contains(&Status::Partial) && !points.contains(&Status::Covered) {
        review.insert(Reason::PartialOnly);
    }
    review
}

/// Fewest answers with words a class must have for `very-short` and `very-long` to be judged.
pub const CLASS_MIN: usize = 5;

/// The class's word-count range: an answer is `very-short` below a quarter of the median word
/// count, `very-long` above the median plus five times the median absolute deviation and above
/// twice the median (answers with no words left out; `None` for fewer than [`CLASS_MIN`]).
pub fn length_range(words: impl Iterator<Item = u32>) -> Option<(f64, f64)> {
    let mut w: Vec<u32> = words.filter(|&n| n > 0).collect();
    if w.len() < CLASS_MIN {
        return None;
    }
    let median = |v: &mut Vec<u32>| {
        v.sort_unstable();
        let n = v.len();
        if n % 2 == 1 {
            f64::from(v[n / 2])
        } else {
            (f64::from(v[n / 2 - 1]) + f64::from(v[n / 2])) / 2.0
        }
    };
    let m = median(&mut w);
    let mut dev: Vec<u32> = w.iter().map(|&n| (f64::from(n) - m).abs().round() as u32).collect();
    let mad = median(&mut dev);
    Some((m / 4.0, (m + 5.0 * mad).max(2.0 * m)))
}

/// Adds the reasons that compare answers with the class: `near-duplicate` for each answer with
/// a near-duplicate, `very-short` and `very-long` by [`length_range`].
pub fn of_class(entries: &mut [super::Entry]) {
    let range = length_range(entries.iter().filter_map(|e| e.marked().map(|m| m.words)));
    for e in entries.iter_mut() {
        let duplicate = e.duplicate.is_some();
        let super::Outcome::Marked(m) = &mut e.outcome else {
            continue;
        };
        if duplicate {
            m.review.insert(Reason::NearDuplicate);
        }
        if let Some((low, high)) = range
            && m.words > 0
        {
            if f64::from(m.words) < low {
                m.review.insert(Reason::VeryShort);
            } else if f64::from(m.words) > high {
                m.review.insert(Reason::VeryLong);
            }
        }
    }
}

/// Why an answer is in the moderation sample.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    /// It has review reasons (they are the entry's).
    Flagged,
    /// Chosen to spread the sample across the scores: its score's percentile rank among the
    /// marked answers (0 the lowest, 100 the highest).
    Spread { percentile: u8 },
}

/// One answer of the moderation sample: its index in [`super::Batch::entries`], and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pick {
    pub entry: usize,
    pub why: Why,
}

/// `k` of `items` (sorted), spread evenly: the middle one of each of `k` equal slices.
fn spread<T: Copy>(items: &[T], k: usize) -> Vec<T> {
    let n = items.len();
    if k >= n {
        return items.to_vec();
    }
    (0..k).map(|i| items[((2 * i + 1) * n) / (2 * k)]).collect()
}

/// The moderation sample of `rubric mark --sample N`: at most `n` marked answers, in report
/// order. Every flagged answer comes first; when there are more than `n`, `n` of them spread
/// across their scores. The places left go to unflagged answers spread across the scores: the
/// class's answers are sorted by score (then report order) and the middle answer of each of
/// as many equal slices is taken, so a sample of 5 from 100 takes the middle answer of each
/// fifth (ranks 10, 30, 50, 70 and 90, counting from 0). No randomness: the same class gives the same sample.
pub fn sample(entries: &[super::Entry], n: usize) -> Vec<Pick> {
    let mut flagged: Vec<(f64, usize)> = Vec::new();
    let mut plain: Vec<(f64, usize)> = Vec::new();
    let mut all: Vec<f64> = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        let Some(m) = e.marked() else { continue };
        all.push(m.score);
        if m.review.is_empty() {
            plain.push((m.score, i));
        } else {
            flagged.push((m.score, i));
        }
    }
    all.sort_by(f64::total_cmp);
    let by_score = |a: &(f64, usize), b: &(f64, usize)| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1));
    flagged.sort_by(by_score);
    plain.sort_by(by_score);
    let flagged = spread(&flagged, n);
    let rest = n - flagged.len();
    let percentile = |score: f64| {
        // The share of the marked answers that score below, and half of those that score the
        // same: the mid-rank percentile.
        let below = all.partition_point(|&s| s < score);
        let same = all.partition_point(|&s| s <= score) - below;
        ((below as f64 + same as f64 / 2.0) / all.len().max(1) as f64 * 100.0).round() as u8
    };
    let mut picks: Vec<Pick> = flagged
        .into_iter()
        .map(|(_, entry)| Pick {
            entry,
            why: Why::Flagged,
        })
        .chain(spread(&plain, rest).into_iter().map(|(score, entry)| Pick {
            entry,
            why: Why::Spread {
                percentile: percentile(score),
            },
        }))
        .collect();
    picks.sort_by_key(|p| p.entry);
    picks
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::lang::Language;
    use crate::text::read::Format;

    fn doc(text: &str) -> Document {
        Document::new(text.to_string(), Format::Text, &Language::english())
    }

    #[test]
    fn reasons_keep_their_order() {
        let mut r = Review::default();
        assert!(r.is_empty());
        assert_eq!(r.joined(";"), "");
        r.insert(Reason::VeryLong);
        r.insert(Reason::Empty);
        r.insert(Reason::HiddenText);
        assert_eq!(r.joined(";"), "empty;very-long;hidden-text");
        assert!(r.contains(Reason::VeryLong) && !r.contains(Reason::KeywordList));
        assert_eq!(std::mem::size_of::<Review>(), 2);
    }

    #[test]
    fn a_keyword_list_is_not_prose_with_the_same_words() {
        let list = "Lenin, Trotsky, Zinoviev, Kamenev, Bukharin, General Secretary, Politburo, \
                    Lenin Enrolment, NEP, Testament, funeral, triumvirate, patronage, Orgburo";
        assert!(is_keyword_list(&doc(list), true));
        let prose = "Stalin was General Secretary, so he could give jobs to his supporters in the \
                     Politburo and the Orgburo. Lenin's Testament was hidden, and Trotsky missed \
                     the funeral. The triumvirate with Zinoviev and Kamenev kept Trotsky out, and \
                     later Bukharin helped him against them; the NEP and the Lenin Enrolment gave \
                     him patronage over many of the new members.";
        assert!(!is_keyword_list(&doc(prose), true));
        // One term per line, in any language.
        let lines = "Lenin\nTrotsky\nZinoviev und Kamenev\nBukharin\nGeneralsekretär\nPolitbüro\n\
                     Testament\nBegräbnis\nTriumvirat\nPatronage\nOrgbüro\nNEP\n";
        assert!(is_keyword_list(&doc(lines), false));
        // Too short to tell.
        assert!(!is_keyword_list(&doc("Lenin, Trotsky, Zinoviev"), true));
    }

    #[test]
    fn the_class_range_is_robust() {
        assert_eq!(length_range([10, 20, 30].into_iter()), None);
        let (low, high) = length_range([100, 110, 90, 105, 95, 0, 5000].into_iter()).expect("a class");
        // Median 102.5 of the six with words; one answer of 5,000 words does not move it.
        assert!((low - 25.625).abs() < 1e-9, "{low}");
        assert!(high > 200.0 && high < 300.0, "{high}");
    }

    #[test]
    fn a_spread_takes_the_middle_of_equal_slices() {
        // Ranks 0 to 99: the middle of each fifth.
        let items: Vec<usize> = (0..100).collect();
        assert_eq!(spread(&items, 5), [10, 30, 50, 70, 90]);
        assert_eq!(spread(&items, 1), [50]);
        assert_eq!(spread(&items[..3], 5), [0, 1, 2]);
        assert!(spread(&items, 0).is_empty());
    }
}
