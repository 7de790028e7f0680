//! Proposing cues a rubric is missing, from answers people have marked (`rubric suggest`).
//!
//! Two kinds of suggestion, both printed and never written into the rubric:
//!
//! - **Words and phrases** (1 to 3 words, normalised and stemmed as the matcher does) that
//!   occur in far more high-scored answers than low-scored ones and that no cue of the rubric
//!   already matches. "High" is a human score above the middle of the human range, "low" one
//!   below it (answers exactly at the middle count as neither); with `levels` (`--levels 2:1`),
//!   "high" is the score HIGH and "low" the score LOW, so that adjacent scores can be
//!   contrasted (on a 0-2 scale the middle split leaves out every 1, and so cannot say what
//!   separates a 2 from a 1). Counts are numbers of answers
//!   (an answer using a word twice counts once). The smoothed log-odds ratio
//!   `δ = ln((h+½)/(H−h+½)) − ln((l+½)/(L−l+½))` compares the odds of a high answer and of a
//!   low one containing the n-gram (`h` of `H` high answers contain it, `l` of `L` low ones);
//!   its standard error is `√(1/(h+½) + 1/(H−h+½) + 1/(l+½) + 1/(L−l+½))`. Suggestions are
//!   ranked by `δ − 1 s.e.`, the log-odds discounted by its uncertainty: a word in 13% of high
//!   and 1% of low answers ranks above one in 60% and 30% (common in long answers, whatever
//!   they say) and above one seen three times. Only n-grams with `δ − s.e. > 0` are kept.
//!   Left out: n-grams already matched (a single word that the rubric's cue index matches, in
//!   any form or misspelt within the budget, or a text that, checked on its own as an answer,
//!   makes some point covered or partial); n-grams made only of words of the title and
//!   questions (copied text earns nothing); phrases that begin or end with a common function
//!   word (English only), and single function words; phrases that contain a better-ranked
//!   suggestion, or that are contained in one that accounts for most of their high answers.
//! - **Spelling variants** of the rubric's cue words seen in the answers that the fuzzy matcher
//!   misses: an answer word not matched by any cue word, with the cue word's first letter and
//!   length (±1, inflections aside), 1 or 2 edits beyond the cue word's budget and at most a
//!   third of its length; at most a tenth as common as the cue word (commoner words are words
//!   of their own: "same" is not "sample"; a cue word of four letters must itself occur), and
//!   not, in an English rubric, a correctly spelt word of the built-in lists
//!   ([`crate::text::lang::is_english_word`]: "third" is not "things", "life" not "live"), and
//!   not closer to a commoner answer word that is
//!   not itself a misspelling of the cue word ("controle" is "control", not "container").
//!
//! - **Synonyms (WordNet)** of the rubric's cue words, where the WordNet database is installed
//!   ([`super::wordnet`]; Debian's `wordnet-base`): for each point and each single cue word of
//!   its cues (not prefixes, not very common words), the WordNet synonyms from its first
//!   [`SYNONYM_SENSES`] senses in each part of speech that occur in at least one high answer,
//!   in a larger share of high answers than of low ones (compared by stems, within a
//!   sentence), and that no cue matches already (a single word the cue index matches, or a
//!   phrase that alone makes a point covered or partial); very common English words and
//!   synonyms of fewer than three letters are left out. Each comes with **the answers it might change**: the answers
//!   containing it where the point is missing or partial, with their human and tool scores.
//!   It is not checked that adding the synonym would complete the point (in a phrase or an
//!   `all` group, other words may still be missing). Ranked per point by the answers among
//!   them that the tool scores below the human, then by high answers; at most
//!   [`SYNONYMS_PER_POINT`] per point.
//!
//! For each suggestion, **would change** estimates how many answers it might move: the
//! answers containing it where the tool's (rounded, clamped) score is below the human score.
//! It is a rough upper bound: adding the cue only helps where it completes a point that was
//! missing, and may lift answers the human scored low too.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::marks::Marks;
use super::wordnet::WordNet;
use super::{MarksRef, RubricRef, check, points};
use crate::check::Checked;
use crate::lexicon::{TermId, TermKind, light_stem};
use crate::matcher::{Detail, Matcher, Status};
use crate::scheme::{Cue, CueNode, Point, Rubric};
use crate::text::read::Format;
use crate::text::tokens::Document;

/// Identifies the format of a suggest report.
pub const SCHEMA: &str = "rubric-suggest/1";

/// The additive smoothing of the log-odds (Haldane–Anscombe).
const ALPHA: f64 = 0.5;

/// WordNet senses of a cue word looked at, in each part of speech (commonest first).
pub const SYNONYM_SENSES: usize = 3;

/// Most synonyms suggested for one point.
pub const SYNONYMS_PER_POINT: usize = 10;

/// Longest phrase considered, in words.
pub const MAX_WORDS: usize = 3;

/// Settings of `rubric suggest`.
#[derive(Debug, Clone, Copy)]
pub struct SuggestOptions {
    /// How many suggestions of each kind to keep.
    pub top: usize,
    /// Fewest high answers a word or phrase must occur in (and fewest answers a spelling
    /// variant must occur in).
    pub min_count: u32,
    /// `(HIGH, LOW)`: contrast the answers scored HIGH with those scored LOW, instead of the
    /// answers above the middle of the score range with those below it. Check it against the
    /// marks first ([`check_levels`]).
    pub levels: Option<(i64, i64)>,
}

impl Default for SuggestOptions {
    fn default() -> Self {
        SuggestOptions {
            top: 25,
            min_count: 3,
            levels: None,
        }
    }
}

/// How answers were split into high and low.
#[derive(Debug, Clone, Serialize)]
pub struct Split {
    /// Answers scored above this are high, below it low; `None` with `levels`.
    pub middle: Option<f64>,
    /// `[HIGH, LOW]`: the two scores contrasted (`--levels`), or `None` for the split around
    /// `middle`.
    pub levels: Option<[i64; 2]>,
    pub high: u32,
    pub low: u32,
    /// Answers in neither group: scored exactly `middle`, or (with `levels`) any other score.
    pub neither: u32,
}

impl Split {
    /// Which group an answer with the human score `score` is in.
    fn group(&self, score: i64) -> Group {
        let (high, low) = match (self.levels, self.middle) {
            (Some([h, l]), _) => (score == h, score == l),
            (None, Some(m)) => (score as f64 > m, (score as f64) < m),
            (None, None) => (false, false),
        };
        if high {
            Group::High
        } else if low {
            Group::Low
        } else {
            Group::Neither
        }
    }
}

/// Checks `--levels HIGH:LOW` against the marks: two human scores that both occur, HIGH the
/// higher. The error says which scores do occur.
pub fn check_levels(marks: &Marks, (high, low): (i64, i64)) -> Result<(), String> {
    let mut seen: Vec<i64> = marks.answers.iter().map(|a| a.score).collect();
    seen.sort_unstable();
    seen.dedup();
    let list = || seen.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
    if high <= low {
        return Err(format!("--levels {high}:{low}: HIGH must be above LOW"));
    }
    for level in [high, low] {
        if !seen.contains(&level) {
            return Err(format!(
                "--levels {high}:{low}: no answer of {} has the human score {level} (the scores are {})",
                marks.path,
                list()
            ));
        }
    }
    Ok(())
}

/// A word or phrase found more often in high answers.
#[derive(Debug, Clone, Serialize)]
pub struct WordSuggestion {
    /// The commonest way it is written (normalised).
    pub text: String,
    /// Its stems, as compared.
    pub stems: String,
    /// Number of words (1 to 3).
    pub words: usize,
    /// High answers containing it.
    pub high: u32,
    /// Low answers containing it.
    pub low: u32,
    /// `high / split.high`.
    pub high_share: f64,
    /// `low / split.low`.
    pub low_share: f64,
    /// The smoothed log-odds ratio δ.
    pub log_odds: f64,
    /// δ divided by its standard error.
    pub z: f64,
    /// δ minus its standard error: the ranking (the log-odds, discounted by its uncertainty).
    pub score: f64,
    /// Answers containing it that the tool scores below the human.
    pub would_change: u32,
    /// Whether some of its words are already cue words (in a phrase or group that this text
    /// alone does not satisfy).
    pub has_cue_words: bool,
}

/// A misspelling of a cue word that the matcher does not accept.
#[derive(Debug, Clone, Serialize)]
pub struct SpellingSuggestion {
    /// The rubric's cue word.
    pub cue_word: String,
    /// The spelling seen in answers (normalised).
    pub variant: String,
    /// Edits between them.
    pub distance: usize,
    /// Edits the matcher allows for the cue word.
    pub allowed: u8,
    /// Answers containing the variant.
    pub answers: u32,
    pub high: u32,
    pub low: u32,
    pub would_change: u32,
    /// Points whose cues use the cue word.
    pub points: Vec<String>,
    /// The alternative to write into the cue: `word|variant`.
    pub cue: String,
}

/// A WordNet synonym of a cue word, seen in high answers, that no cue matches.
#[derive(Debug, Clone, Serialize)]
pub struct SynonymSuggestion {
    /// The point whose cue has the word.
    pub point: String,
    /// The rubric's cue word.
    pub cue_word: String,
    /// The synonym (one to three words, lowercase).
    pub synonym: String,
    /// The alternative to write into the cue: `word|synonym`.
    pub cue: String,
    /// High answers containing the synonym.
    pub high: u32,
    /// Low answers containing it.
    pub low: u32,
    /// Of [`answers`](Self::answers), those the tool scores below the human.
    pub would_change: u32,
    /// The answers containing the synonym where the point is missing or partial.
    pub answers: Vec<SynonymAnswer>,
}

/// An answer a synonym might change.
#[derive(Debug, Clone, Serialize)]
pub struct SynonymAnswer {
    pub id: String,
    /// The human score.
    pub human: i64,
    /// The tool's score, rounded and clamped to the human range as compared.
    pub tool: i64,
    /// The point's status in it: `missing` or `partial`.
    pub status: &'static str,
}

/// Everything `rubric suggest` reports.
#[derive(Debug, Clone, Serialize)]
pub struct SuggestReport {
    pub schema: &'static str,
    pub rubric: RubricRef,
    pub marks: MarksRef,
    pub human_range: [i64; 2],
    pub split: Split,
    pub min_count: u32,
    /// Ranked by `z`, best first.
    pub words: Vec<WordSuggestion>,
    /// Ranked by `would_change`, then by `answers`.
    pub spellings: Vec<SpellingSuggestion>,
    /// The WordNet directory read, `None` when no database was found (then `synonyms` is
    /// empty).
    pub wordnet: Option<String>,
    /// By point in rubric order, then ranked.
    pub synonyms: Vec<SynonymSuggestion>,
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, Copy, Default)]
struct Counts {
    high: u32,
    low: u32,
    all: u32,
    below: u32,
}

impl Counts {
    fn add(&mut self, group: Group, below: bool) {
        match group {
            Group::High => self.high += 1,
            Group::Low => self.low += 1,
            Group::Neither => {}
        }
        self.all += 1;
        if below {
            self.below += 1;
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Group {
    High,
    Low,
    Neither,
}

/// Interned strings.
#[derive(Default)]
struct Interner {
    ids: HashMap<String, u32>,
    strings: Vec<String>,
}

impl Interner {
    fn id(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.ids.get(s) {
            return id;
        }
        let id = self.strings.len() as u32;
        self.ids.insert(s.to_string(), id);
        self.strings.push(s.to_string());
        id
    }
}

/// An n-gram of stems: the length and up to three stem ids.
type Key = (u8, [u32; MAX_WORDS]);

/// A token of an answer, interned: (norm, stem, sentence).
type Tok = (u32, u32, u32);

/// The smoothed log-odds ratio δ and its standard error for `h` of `hn` high and `l` of `ln`
/// low answers.
pub fn log_odds(h: u32, hn: u32, l: u32, ln: u32) -> (f64, f64) {
    let (h, hn, l, ln) = (h as f64, hn as f64, l as f64, ln as f64);
    let a = h + ALPHA;
    let b = (hn - h).max(0.0) + ALPHA;
    let c = l + ALPHA;
    let d = (ln - l).max(0.0) + ALPHA;
    let delta = (a / b).ln() - (c / d).ln();
    let var = 1.0 / a + 1.0 / b + 1.0 / c + 1.0 / d;
    (delta, var.sqrt())
}

/// Common English function words: not suggested alone, and phrases do not start or end with
/// them.
fn is_stopword(w: &str) -> bool {
    matches!(
        w,
        "a" | "an"
            | "the"
            | "and"
            | "or"
            | "but"
            | "if"
            | "then"
            | "so"
            | "of"
            | "to"
            | "in"
            | "on"
            | "at"
            | "by"
            | "for"
            | "with"
            | "from"
            | "into"
            | "as"
            | "is"
            | "are"
            | "was"
            | "were"
            | "be"
            | "been"
            | "being"
            | "am"
            | "do"
            | "does"
            | "did"
            | "have"
            | "has"
            | "had"
            | "will"
            | "would"
            | "could"
            | "should"
            | "can"
            | "may"
            | "might"
            | "must"
            | "shall"
            | "i"
            | "you"
            | "he"
            | "she"
            | "it"
            | "we"
            | "they"
            | "me"
            | "him"
            | "her"
            | "us"
            | "them"
            | "my"
            | "your"
            | "his"
            | "its"
            | "our"
            | "their"
            | "this"
            | "that"
            | "these"
            | "those"
            | "there"
            | "here"
            | "what"
            | "which"
            | "who"
            | "whom"
            | "how"
            | "when"
            | "where"
            | "why"
            | "not"
            | "no"
            | "also"
            | "too"
            | "very"
            | "just"
            | "than"
            | "more"
            | "most"
            | "some"
            | "any"
            | "all"
            | "each"
            | "other"
            | "such"
            | "only"
            | "about"
            | "up"
            | "out"
            | "because"
            | "it's"
            | "i'm"
            | "don't"
            | "etc"
    )
}

/// Whether `word` (normalised) is a correctly spelt English word of the built-in lists: a word
/// of its own, never suggested as a spelling variant of a cue word.
fn is_word(word: &str) -> bool {
    use crate::text::lang;
    lang::is_common_word(word) || lang::is_short_word(word) || lang::is_english_word(word)
}

/// The cue words (term ids) of a point's cues and partial cues, each once, in order.
fn point_terms(p: &Point) -> Vec<TermId> {
    fn walk(cue: &Cue, out: &mut Vec<TermId>) {
        match &cue.node {
            CueNode::Phrase(p) => out.extend(p.variants.iter().flatten().copied()),
            CueNode::All { parts, .. } | CueNode::Any { parts, .. } => parts.iter().for_each(|c| walk(c, out)),
        }
    }
    let mut terms = Vec::new();
    for c in p.cues.iter().chain(&p.partial_cues) {
        walk(c, &mut terms);
    }
    terms.sort_unstable();
    terms.dedup();
    terms
}

/// Cue words (term ids) of each point, `(term, point id)`.
fn terms_by_point(rubric: &Rubric) -> HashMap<TermId, Vec<String>> {
    let mut map: HashMap<TermId, Vec<String>> = HashMap::new();
    for p in points(rubric) {
        for t in point_terms(p) {
            map.entry(t).or_default().push(p.id.clone());
        }
    }
    map
}

/// Whether `text`, checked on its own as an answer, makes some point covered or partial.
fn matched_alone(rubric: &Rubric, text: &str) -> bool {
    let doc = Document::new(text.to_string(), Format::Text, &rubric.language);
    let m = Matcher::new(rubric, &doc);
    points(rubric).any(|p| matches!(m.point(p, false).status, Status::Covered | Status::Partial))
}

/// Whether a word matches some cue word of the rubric (any form or a misspelling within budget).
fn is_cue_word(rubric: &Rubric, norm: &str, stem: &str) -> bool {
    let mut buf = Vec::new();
    rubric.lexicon.lookup(norm, stem, &mut buf);
    !buf.is_empty()
}

/// Builds the suggestions, with synonyms from the WordNet database found by
/// [`WordNet::locate`]. `None` when there is no usable answer.
pub fn suggest(rubric: &Rubric, marks: &Marks, opts: SuggestOptions) -> Option<SuggestReport> {
    suggest_with(rubric, marks, opts, WordNet::locate().as_ref())
}

/// [`suggest`], with synonyms from `wordnet` (none without).
pub fn suggest_with(
    rubric: &Rubric,
    marks: &Marks,
    opts: SuggestOptions,
    wordnet: Option<&WordNet>,
) -> Option<SuggestReport> {
    let (lo, hi) = marks.score_range()?;
    let middle = (lo + hi) as f64 / 2.0;
    let english = rubric.language.name() == "english";
    let stop = |w: &str| english && is_stopword(w);

    let mut norms = Interner::default();
    let mut stems = Interner::default();
    let mut answers: Vec<(Vec<Tok>, Group, bool)> = Vec::with_capacity(marks.answers.len());
    // Per answer: the tool's compared score and each point's status (in `points` order).
    let mut outcomes: Vec<(i64, Vec<Status>)> = Vec::with_capacity(marks.answers.len());
    let mut split = Split {
        middle: opts.levels.is_none().then_some(middle),
        levels: opts.levels.map(|(h, l)| [h, l]),
        high: 0,
        low: 0,
        neither: 0,
    };
    // Pass 1: score, segment and intern every answer.
    for a in &marks.answers {
        let Checked { doc, assessment } = check(rubric, a, Detail::Evidence);
        let compared = super::metrics::compared_score(assessment.score, lo, hi);
        let group = split.group(a.score);
        match group {
            Group::High => split.high += 1,
            Group::Low => split.low += 1,
            Group::Neither => split.neither += 1,
        }
        let toks: Vec<Tok> = doc
            .tokens
            .iter()
            .map(|t| {
                (
                    norms.id(&doc.word(t).norm),
                    stems.id(&doc.word(t).stem(&rubric.language)),
                    t.sentence,
                )
            })
            .collect();
        answers.push((toks, group, compared < a.score));
        outcomes.push((compared, assessment.points().map(|p| p.finding.status).collect()));
    }
    let norm_stop: Vec<bool> = norms.strings.iter().map(|w| stop(w)).collect();

    // Pass 2: count the answers containing each n-gram (by stems) and each written word.
    let mut grams: HashMap<Key, Counts> = HashMap::new();
    let mut words: HashMap<u32, Counts> = HashMap::new();
    let mut seen_grams: HashSet<Key> = HashSet::new();
    let mut seen_words: HashSet<u32> = HashSet::new();
    for (toks, group, below) in &answers {
        seen_grams.clear();
        seen_words.clear();
        for i in 0..toks.len() {
            seen_words.insert(toks[i].0);
            for n in 1..=MAX_WORDS {
                let Some(window) = toks.get(i..i + n) else { break };
                if window.iter().any(|t| t.2 != toks[i].2) {
                    break;
                }
                if norm_stop[window[0].0 as usize] || norm_stop[window[n - 1].0 as usize] {
                    continue;
                }
                let mut key = [u32::MAX; MAX_WORDS];
                for (k, t) in window.iter().enumerate() {
                    key[k] = t.1;
                }
                seen_grams.insert((n as u8, key));
            }
        }
        for k in &seen_grams {
            grams.entry(*k).or_default().add(*group, *below);
        }
        for w in &seen_words {
            words.entry(*w).or_default().add(*group, *below);
        }
    }

    let mut notes = Vec::new();
    let mut word_suggestions = Vec::new();
    if split.high == 0 || split.low == 0 {
        notes.push(match split.levels {
            Some([h, l]) => format!(
                "no word suggestions: no answer is scored {}",
                if split.high == 0 { h } else { l }
            ),
            None => format!(
                "no word suggestions: every human score is on one side of the middle ({})",
                super::fmt_num(middle)
            ),
        });
    } else {
        word_suggestions = rank_words(rubric, &answers, &norms, &stems, &grams, &split, opts);
    }
    let spellings = spelling_variants(rubric, &norms, &words, &grams, &stems, &norm_stop, opts);
    let synonyms = match wordnet {
        Some(wn) => synonyms(rubric, marks, wn, &answers, &outcomes, &stems, &split),
        None => Vec::new(),
    };
    if word_suggestions.is_empty() && split.high > 0 && split.low > 0 {
        notes.push(format!(
            "no word or phrase in at least {} high answers is both unmatched by the rubric and commoner in high answers",
            opts.min_count
        ));
    }
    Some(SuggestReport {
        schema: SCHEMA,
        rubric: RubricRef::new(rubric),
        marks: MarksRef::new(marks),
        human_range: [lo, hi],
        split,
        min_count: opts.min_count,
        words: word_suggestions,
        spellings,
        wordnet: wordnet.map(|w| w.dir().display().to_string()),
        synonyms,
        notes,
    })
}

fn rank_words(
    rubric: &Rubric,
    answers: &[(Vec<Tok>, Group, bool)],
    norms: &Interner,
    stems: &Interner,
    grams: &HashMap<Key, Counts>,
    split: &Split,
    opts: SuggestOptions,
) -> Vec<WordSuggestion> {
    // Words of the title and the questions: answers copy them, and the matcher ignores
    // copied text, so they make poor cues however well they separate high from low.
    let prompt_stems: HashSet<u32> = std::iter::once(rubric.title.as_str())
        .chain(rubric.questions.iter().map(|q| q.prompt.as_str()))
        .flat_map(crate::text::tokens::words)
        .filter_map(|w| stems.ids.get(&rubric.language.stem(&w)).copied())
        .collect();
    // (key, counts, δ, standard error, score)
    let mut cands: Vec<(Key, Counts, f64, f64, f64)> = grams
        .iter()
        .filter(|(k, c)| {
            c.high >= opts.min_count.max(1) && !k.1[..k.0 as usize].iter().all(|s| prompt_stems.contains(s))
        })
        .map(|(k, c)| {
            let (delta, se) = log_odds(c.high, split.high, c.low, split.low);
            (*k, *c, delta, se, delta - se)
        })
        .filter(|c| c.4 > 0.0)
        .collect();
    cands.sort_by(|a, b| b.4.total_cmp(&a.4).then_with(|| a.0.cmp(&b.0)));

    let mut accepted: Vec<(Key, Counts)> = Vec::new();
    let mut out = Vec::new();
    for (key, counts, delta, se, score) in cands {
        if out.len() >= opts.top {
            break;
        }
        let n = key.0 as usize;
        let stem_ids = &key.1[..n];
        // Redundant with a better-ranked suggestion it contains, or that contains it and
        // accounts for most of its high answers.
        let redundant = accepted.iter().any(|(k, c)| {
            let m = k.0 as usize;
            let other = &k.1[..m];
            (m < n && contains(stem_ids, other)) || (m > n && contains(other, stem_ids) && counts.high * 4 < c.high * 5)
        });
        if redundant {
            continue;
        }
        let text = written_form(answers, norms, stem_ids);
        let cue_words: Vec<bool> = text
            .split(' ')
            .zip(stem_ids)
            .map(|(w, &s)| is_cue_word(rubric, w, &stems.strings[s as usize]))
            .collect();
        if (n == 1 && cue_words[0]) || matched_alone(rubric, &text) {
            continue;
        }
        accepted.push((key, counts));
        out.push(WordSuggestion {
            stems: stem_ids
                .iter()
                .map(|&s| stems.strings[s as usize].as_str())
                .collect::<Vec<_>>()
                .join(" "),
            text,
            words: n,
            high: counts.high,
            low: counts.low,
            high_share: counts.high as f64 / split.high as f64,
            low_share: counts.low as f64 / split.low as f64,
            log_odds: delta,
            z: delta / se,
            score,
            would_change: counts.below,
            has_cue_words: cue_words.iter().any(|&c| c),
        });
    }
    out
}

/// WordNet synonyms of each point's cue words seen in high answers (see the module
/// documentation).
fn synonyms(
    rubric: &Rubric,
    marks: &Marks,
    wordnet: &WordNet,
    answers: &[(Vec<Tok>, Group, bool)],
    outcomes: &[(i64, Vec<Status>)],
    stems: &Interner,
    split: &Split,
) -> Vec<SynonymSuggestion> {
    let english = rubric.language.name() == "english";
    let lexicon = &rubric.lexicon;
    let mut cache: HashMap<String, Vec<String>> = HashMap::new();
    let mut out = Vec::new();
    for (pi, point) in points(rubric).enumerate() {
        let mut found: Vec<SynonymSuggestion> = Vec::new();
        for id in point_terms(point) {
            let term = &lexicon.terms[id as usize];
            if term.kind == TermKind::Prefix
                || term.word.chars().count() < 3
                || !term.word.chars().all(char::is_alphabetic)
                || (english && crate::text::lang::is_common_word(&term.word))
            {
                continue;
            }
            let list = cache
                .entry(term.word.clone())
                .or_insert_with(|| wordnet.synonyms(&term.word, SYNONYM_SENSES));
            for syn in list.iter() {
                if found.iter().any(|f| &f.synonym == syn) {
                    continue;
                }
                let words: Vec<String> = crate::text::tokens::words(syn);
                if words.is_empty()
                    || syn.chars().filter(|c| c.is_alphabetic()).count() < 3
                    || (english && words.iter().all(|w| crate::text::lang::is_common_word(w)))
                {
                    continue;
                }
                // The synonym's stems, as the answers were interned: a stem no answer has
                // means no answer contains it.
                let Some(key): Option<Vec<u32>> = words
                    .iter()
                    .map(|w| stems.ids.get(&rubric.language.stem(w)).copied())
                    .collect()
                else {
                    continue;
                };
                let mut s = SynonymSuggestion {
                    point: point.id.clone(),
                    cue_word: term.word.clone(),
                    synonym: syn.clone(),
                    cue: format!("{}|{}", term.word, syn),
                    high: 0,
                    low: 0,
                    would_change: 0,
                    answers: Vec::new(),
                };
                for (i, (toks, group, below)) in answers.iter().enumerate() {
                    let has = toks
                        .windows(key.len())
                        .any(|w| w.iter().zip(&key).all(|(t, k)| t.1 == *k) && w.iter().all(|t| t.2 == w[0].2));
                    if !has {
                        continue;
                    }
                    match group {
                        Group::High => s.high += 1,
                        Group::Low => s.low += 1,
                        Group::Neither => {}
                    }
                    let (tool, statuses) = &outcomes[i];
                    let status = statuses[pi];
                    if matches!(status, Status::Missing | Status::Partial) {
                        s.would_change += u32::from(*below);
                        s.answers.push(SynonymAnswer {
                            id: marks.answers[i].id.clone(),
                            human: marks.answers[i].score,
                            tool: *tool,
                            status: status.as_str(),
                        });
                    }
                }
                // Seen in high answers, and commoner there than in low ones (when there are both).
                let commoner =
                    split.high == 0 || split.low == 0 || log_odds(s.high, split.high, s.low, split.low).0 > 0.0;
                if s.high == 0 || !commoner || s.answers.is_empty() {
                    continue;
                }
                // Already matched: a cue word, or a phrase some cue accepts alone.
                let matched = if words.len() == 1 {
                    is_cue_word(rubric, &words[0], &rubric.language.stem(&words[0]))
                } else {
                    matched_alone(rubric, syn)
                };
                if !matched {
                    found.push(s);
                }
            }
        }
        found.sort_by(|a, b| {
            b.would_change
                .cmp(&a.would_change)
                .then(b.high.cmp(&a.high))
                .then_with(|| a.synonym.cmp(&b.synonym))
        });
        found.truncate(SYNONYMS_PER_POINT);
        out.extend(found);
    }
    out
}

/// Whether `needle` occurs as a contiguous run in `hay`.
fn contains(hay: &[u32], needle: &[u32]) -> bool {
    needle.len() <= hay.len() && hay.windows(needle.len()).any(|w| w == needle)
}

/// The commonest sequence of written (normalised) words with the given stems.
fn written_form(answers: &[(Vec<Tok>, Group, bool)], norms: &Interner, stem_ids: &[u32]) -> String {
    let n = stem_ids.len();
    let mut forms: HashMap<Vec<u32>, u32> = HashMap::new();
    for (toks, _, _) in answers {
        for w in toks.windows(n) {
            if w.iter().zip(stem_ids).all(|(t, s)| t.1 == *s) && w.iter().all(|t| t.2 == w[0].2) {
                *forms.entry(w.iter().map(|t| t.0).collect()).or_default() += 1;
            }
        }
    }
    let best = forms
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
        .map(|(f, _)| f)
        .unwrap_or_default();
    best.iter()
        .map(|&i| norms.strings[i as usize].as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

fn spelling_variants(
    rubric: &Rubric,
    norms: &Interner,
    words: &HashMap<u32, Counts>,
    grams: &HashMap<Key, Counts>,
    stems: &Interner,
    norm_stop: &[bool],
    opts: SuggestOptions,
) -> Vec<SpellingSuggestion> {
    let lexicon = &rubric.lexicon;
    let english = rubric.language.name() == "english";
    let owners = terms_by_point(rubric);
    // Cue words that can be misspelt, by first letter.
    let mut by_first: HashMap<char, Vec<TermId>> = HashMap::new();
    for (id, t) in lexicon.terms.iter().enumerate() {
        let len = t.word.chars().count();
        if t.kind == TermKind::Stem
            && len >= 4
            && t.word.chars().all(char::is_alphabetic)
            && let Some(c) = t.word.chars().next()
        {
            by_first.entry(c).or_default().push(id as TermId);
        }
    }
    // How many answers use each cue word's stem.
    let stem_answers = |stem: &str| -> u32 {
        stems
            .ids
            .get(stem)
            .and_then(|&s| grams.get(&(1, [s, u32::MAX, u32::MAX])))
            .map_or(0, |c| c.all)
    };
    // Answer words by first letter, for the check that no commoner word is closer.
    let mut vocabulary: HashMap<char, Vec<(u32, u32)>> = HashMap::new();
    for (&w, c) in words {
        if let Some(f) = norms.strings[w as usize].chars().next() {
            vocabulary.entry(f).or_default().push((w, c.all));
        }
    }
    let mut out: Vec<SpellingSuggestion> = Vec::new();
    let mut buf = Vec::new();
    for (&w, counts) in words {
        if counts.all < opts.min_count.max(1) || norm_stop[w as usize] {
            continue;
        }
        let norm = norms.strings[w as usize].as_str();
        let len = norm.chars().count();
        if len < 4 || !norm.chars().all(|c| c.is_alphabetic() || c == '\'') {
            continue;
        }
        let Some(first) = norm.chars().next() else { continue };
        let Some(terms) = by_first.get(&first) else { continue };
        // A correctly spelt word is a word of its own, not a misspelling ("third" is not
        // "things"): in an English rubric, only words outside the built-in list are variants.
        if english && is_word(norm) {
            continue;
        }
        let stem = rubric.language.stem(norm);
        lexicon.lookup(norm, &stem, &mut buf);
        if !buf.is_empty() {
            continue;
        }
        let light = light_stem(norm);
        let best = terms
            .iter()
            .filter_map(|&id| {
                let t = &lexicon.terms[id as usize];
                let cue_light = light_stem(&t.word);
                // A misspelling keeps roughly the word's length ("vinager", not "vine").
                if light.chars().count().abs_diff(cue_light.chars().count()) > 1 {
                    return None;
                }
                let d = strsim::osa_distance(norm, &t.word).min(strsim::osa_distance(light, cue_light));
                let budget = t.budget as usize;
                let most = (budget + 2).min((t.word.chars().count() / 3).max(1));
                (d > budget && d <= most).then_some((d, id))
            })
            .min_by_key(|&(d, id)| (d, std::cmp::Reverse(stem_answers(&lexicon.terms[id as usize].stem)), id));
        let Some((d, id)) = best else { continue };
        let t = &lexicon.terms[id as usize];
        // A misspelling beyond the budget is far rarer than the word it misspells; a word a
        // tenth as common or more is a word of its own ("same" is not "sample").
        let seen = stem_answers(&t.stem);
        if seen > 0 && counts.all * 10 > seen {
            continue;
        }
        // Words of four letters have many one-letter neighbours ("rose", "role"): without the
        // cue word in the answers to compare with, there is no telling.
        if seen == 0 && t.budget == 0 {
            continue;
        }
        // A commoner answer word closer to it, and farther from the cue word, that the cue
        // word does not match, claims it ("controle" is "control", not "container").
        let claimed = vocabulary.get(&first).is_some_and(|list| {
            list.iter().any(|&(o, n)| {
                if o == w || n <= counts.all {
                    return false;
                }
                let other = norms.strings[o as usize].as_str();
                // Another misspelling of the cue word ("viniger" beside "vinger") claims nothing.
                if strsim::osa_distance(norm, other) >= d || strsim::osa_distance(other, &t.word) <= d {
                    return false;
                }
                let mut hits = Vec::new();
                lexicon.lookup(other, &rubric.language.stem(other), &mut hits);
                !hits.iter().any(|&(h, _)| h == id)
            })
        });
        if claimed {
            continue;
        }
        out.push(SpellingSuggestion {
            cue_word: t.word.clone(),
            variant: norm.to_string(),
            distance: d,
            allowed: t.budget,
            answers: counts.all,
            high: counts.high,
            low: counts.low,
            would_change: counts.below,
            points: owners.get(&id).cloned().unwrap_or_default(),
            cue: format!("{}|{}", t.word, norm),
        });
    }
    out.sort_by(|a, b| {
        b.would_change
            .cmp(&a.would_change)
            .then(b.answers.cmp(&a.answers))
            .then_with(|| a.variant.cmp(&b.variant))
    });
    out.truncate(opts.top);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::marks::{MarksSpec, TextSource, parse_marks};
    use std::path::Path;

    /// A marks file (`id,score,text`) read from `csv`.
    fn marks_of(csv: &str) -> Marks {
        let spec = MarksSpec {
            text: TextSource::Inline("text".into()),
            ..MarksSpec::default()
        };
        parse_marks(csv.as_bytes(), "m.csv", Path::new("m.csv"), Path::new("."), &spec).unwrap()
    }

    #[test]
    fn log_odds_by_hand() {
        // h = 9 of 10 high, l = 1 of 10 low: δ = ln(9.5/1.5) − ln(1.5/9.5) = 2·ln(19/3).
        let (delta, se) = log_odds(9, 10, 1, 10);
        assert!((delta - 2.0 * (19.0f64 / 3.0).ln()).abs() < 1e-12);
        assert!((se - (2.0 / 9.5 + 2.0 / 1.5f64).sqrt()).abs() < 1e-12);
        // No difference, no score.
        assert_eq!(log_odds(3, 10, 3, 10).0, 0.0);
        assert!(log_odds(1, 10, 5, 10).0 < 0.0);
    }

    const RUBRIC: &str = r#"
title = "What do you need to repeat the experiment?"
[[question]]
id = "q"
prompt = "What else would you need to know?"
[[question.point]]
id = "vinegar"
label = "How much vinegar"
hint = "How much of the liquid?"
cues = ["amount of vinegar"]
[[question.point]]
id = "container"
label = "Type of container"
hint = "What were they in?"
cues = ["beaker"]
"#;

    #[test]
    fn finds_words_of_high_answers_and_missed_spellings() {
        let rubric = Rubric::from_str(RUBRIC, "r.toml").unwrap();
        let mut csv = String::from("id,score,text\n");
        for i in 0..6 {
            // High answers say "surface area" (not in the rubric); three misspell beaker.
            let beaker = if i < 3 { "beekr" } else { "beaker" };
            csv.push_str(&format!(
                "h{i},3,\"the amount of vinegar, the surface area and the {beaker} type\"\n"
            ));
        }
        for i in 0..30 {
            csv.push_str(&format!(
                "l{i},0,\"I would need to know the amount of vinegar in each beaker\"\n"
            ));
        }
        csv.push_str("x,0,the beakers were fine\n");
        let marks = marks_of(&csv);
        let r = suggest(&rubric, &marks, SuggestOptions::default()).unwrap();
        assert_eq!((r.split.high, r.split.low), (6, 31));
        let texts: Vec<&str> = r.words.iter().map(|w| w.text.as_str()).collect();
        assert!(
            texts.contains(&"surface area") || texts.contains(&"surface"),
            "{texts:?}"
        );
        assert!(!texts.contains(&"vinegar"), "already a cue word: {texts:?}");
        assert!(!texts.iter().any(|t| t.contains("beaker")), "{texts:?}");
        let first = &r.words[0];
        assert_eq!((first.high, first.low), (6, 0));
        assert_eq!(
            first.would_change, 6,
            "the tool scores the high answers 1 or 2, below 3"
        );
        assert!(!texts.contains(&"need"), "a word of the question: {texts:?}");
        // "beekr" is 2 edits from "beaker", whose budget is 1.
        let s = r
            .spellings
            .iter()
            .find(|s| s.variant == "beekr")
            .expect("beekr suggested");
        assert_eq!((s.cue_word.as_str(), s.distance, s.allowed), ("beaker", 2, 1));
        assert_eq!((s.answers, s.high, s.low, s.would_change), (3, 3, 0, 3));
        assert_eq!(s.points, ["container"]);
        assert_eq!(s.cue, "beaker|beekr");
    }

    #[test]
    fn synonyms_of_cue_words_in_high_answers_with_the_answers_not_covered() {
        let dir = tempfile::tempdir().unwrap();
        crate::eval::wordnet::tests::write_db(
            dir.path(),
            "noun",
            &[
                // "flask" is in high answers; "amount" is a cue word already; "about" is a
                // common word; "chalice" is in no answer.
                &["beaker", "flask", "chalice"],
                &["beaker", "amount"],
                &["beaker", "about"],
            ],
        );
        let wn = WordNet::open(dir.path()).unwrap();
        let rubric = Rubric::from_str(RUBRIC, "r.toml").unwrap();
        let mut csv = String::from("id,score,text\n");
        for i in 0..4 {
            csv.push_str(&format!(
                "h{i},3,\"the amount of vinegar and the flask it was in, about that\"\n"
            ));
        }
        csv.push_str("k,3,\"the amount of vinegar and a beaker or flask\"\n");
        for i in 0..5 {
            csv.push_str(&format!("l{i},0,\"the amount about it\"\n"));
        }
        csv.push_str("f,0,\"a flask\"\n");
        let marks = marks_of(&csv);
        let r = suggest_with(&rubric, &marks, SuggestOptions::default(), Some(&wn)).unwrap();
        assert_eq!(r.wordnet.as_deref(), Some(dir.path().display().to_string().as_str()));
        let found: Vec<(&str, &str)> = r.synonyms.iter().map(|s| (s.point.as_str(), s.cue.as_str())).collect();
        assert_eq!(found, [("container", "beaker|flask")]);
        let s = &r.synonyms[0];
        assert_eq!((s.high, s.low), (5, 1));
        // Not "k", where the point is covered by "beaker"; "f" is low, its point missing.
        let ids: Vec<&str> = s.answers.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["h0", "h1", "h2", "h3", "f"]);
        assert!(s.answers.iter().all(|a| a.status == "missing"));
        assert_eq!((s.answers[0].human, s.answers[4].human), (3, 0));
        assert!(s.answers[0].tool < 3);
        assert_eq!(s.would_change, 4, "the four high answers the tool scores below 3");
        // Without WordNet: no synonyms, and the report says so.
        let none = suggest_with(&rubric, &marks, SuggestOptions::default(), None).unwrap();
        assert!(none.wordnet.is_none() && none.synonyms.is_empty());
    }

    /// The spelling variants suggested for a one-point rubric with the cue `cue`, from 30
    /// answers using the cue word and 3 using `variant`.
    fn variants(cue: &str, variant: &str) -> Vec<String> {
        let toml = format!(
            "title = \"Notes\"\n[[question]]\nid = \"q\"\nprompt = \"Write notes.\"\n\
             [[question.point]]\nid = \"p\"\nlabel = \"The point\"\nhint = \"Say it.\"\ncues = [\"{cue}\"]\n"
        );
        let rubric = Rubric::from_str(&toml, "r.toml").unwrap();
        let mut csv = String::from("id,score,text\n");
        for i in 0..30 {
            csv.push_str(&format!("c{i},{},\"we wrote about the {cue} today\"\n", i % 3));
        }
        for i in 0..3 {
            csv.push_str(&format!("v{i},{},\"we wrote about the {variant} today\"\n", i % 3));
        }
        let marks = marks_of(&csv);
        let opts = SuggestOptions::default();
        suggest(&rubric, &marks, opts)
            .unwrap()
            .spellings
            .into_iter()
            .map(|s| s.variant)
            .collect()
    }

    #[test]
    fn variants_that_are_words_are_dropped_misspellings_kept() {
        // (cue word, variant seen in answers, suggested?)
        let table = [
            ("things", "third", false),
            ("live", "life", false),
            ("species", "space", false),
            ("star", "states", false),
            ("everglades", "everyday", false),
            // Misspellings beyond the budget ("ribosone", one edit, is matched already).
            ("ribosome", "ribozone", true),
            ("photosynthesis", "potosinthisis", true),
            ("beaker", "beekr", true),
        ];
        for (cue, variant, kept) in table {
            let found = variants(cue, variant);
            assert_eq!(
                found.contains(&variant.to_string()),
                kept,
                "{cue} ~ {variant}: {found:?}"
            );
        }
    }

    /// On a 0-2 scale: 2s name the vinegar and the surface area, 1s only the vinegar (and the
    /// temperature, as the 0s do).
    fn marks() -> Marks {
        let mut csv = String::from("id,score,text\n");
        for i in 0..8 {
            csv.push_str(&format!("a{i},2,\"the amount of vinegar and the surface area\"\n"));
            csv.push_str(&format!("b{i},1,\"the amount of vinegar and the room temperature\"\n"));
            csv.push_str(&format!("c{i},0,\"the room temperature\"\n"));
        }
        marks_of(&csv)
    }

    #[test]
    fn levels_contrast_two_scores_and_the_middle_split_drops_the_middle() {
        let rubric = Rubric::from_str(RUBRIC, "r.toml").unwrap();
        let marks = marks();
        let middle = suggest(&rubric, &marks, SuggestOptions::default()).unwrap();
        assert_eq!((middle.split.middle, middle.split.levels), (Some(1.0), None));
        assert_eq!((middle.split.high, middle.split.low, middle.split.neither), (8, 8, 8));
        let opts = SuggestOptions {
            levels: Some((2, 1)),
            ..SuggestOptions::default()
        };
        let r = suggest(&rubric, &marks, opts).unwrap();
        assert_eq!((r.split.middle, r.split.levels), (None, Some([2, 1])));
        assert_eq!((r.split.high, r.split.low, r.split.neither), (8, 8, 8));
        // Only the surface area separates the 2s from the 1s; the room temperature, said by
        // the 1s and not the 2s, is not suggested.
        let texts: Vec<&str> = r.words.iter().map(|w| w.text.as_str()).collect();
        assert!(texts.iter().any(|t| t.contains("surface")), "{texts:?}");
        assert!(!texts.iter().any(|t| t.contains("temperature")), "{texts:?}");
        for w in &r.words {
            assert_eq!(w.low, 0, "{}", w.text);
        }
    }

    #[test]
    fn levels_must_be_scores_of_the_marks_high_first() {
        let marks = marks();
        assert_eq!(check_levels(&marks, (2, 1)), Ok(()));
        assert_eq!(check_levels(&marks, (2, 0)), Ok(()));
        let err = check_levels(&marks, (3, 1)).unwrap_err();
        assert!(err.contains("human score 3") && err.contains("0, 1, 2"), "{err}");
        assert!(check_levels(&marks, (1, 2)).unwrap_err().contains("above"));
        assert!(check_levels(&marks, (1, 1)).is_err());
    }
}
