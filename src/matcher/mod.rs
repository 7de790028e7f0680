//! Finding a rubric's points in an answer.
//!
//! One pass over the answer's words looks each word up in the rubric's [`Lexicon`] (exact
//! form, stem, prefix, misspelling), giving for every cue word the sorted list of places it
//! occurs. Phrases are then assembled from those lists (in order, at most `gap` filler words
//! apart, in one sentence); `all` groups from their parts' places; negation, question echo,
//! wording copied from the source passage and `unless` exclusions are checked on each match. The cost grows with the answer's length and
//! the number of matches, not with the number of cues times the number of words.
//!
//! One search serves every [`Detail`]: [`Matcher::point_with`] goes through each cue's matches
//! as [`Matcher::each_cand`] finds them. For evidence it keeps the best match of each kind
//! (full, partial, negated); for the status alone ([`Detail::Status`], batch marking) it keeps
//! the first of each kind, ends a cue's search at its first match of the best kind the cue can
//! give, ends the point's as soon as no later cue can change the status, and builds no
//! evidence. The statuses are thus the same at every level of detail by construction.
//!
//! Files: this one holds the findings' types and the engine (a point's cues, their matches,
//! `any` groups, exclusions); [`phrase`] finds a phrase's places, [`group`] the windows of
//! `all` groups, [`explain`] builds evidence and `--explain` traces; [`negation`] and
//! [`quote`] are the negation scope and the quoting of evidence.

mod echo;
mod explain;
mod group;
pub mod negation;
mod people;
mod phrase;
pub mod quote;
mod spacing;

use serde::Serialize;
use smallvec::SmallVec;

use crate::lexicon::{How, TermId};
use crate::scheme::{Cue, CueNode, Point, Rubric, Scope};
use crate::text::tokens::Document;
use explain::Seen;
use group::{MinTree, PartMatches, group_negator};

/// Parts of an `all` group "in one sentence" must also lie within this many words: answers
/// transcribed without punctuation are one long sentence.
pub const SENTENCE_SPAN: usize = 40;
/// An `unless` phrase cancels a match in its sentence within this many words of it.
pub const UNLESS_REACH: usize = 20;

/// How far a point is made in an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Covered,
    Partial,
    Negated,
    Missing,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Covered => "covered",
            Status::Partial => "partial",
            Status::Negated => "negated",
            Status::Missing => "missing",
        }
    }
}

/// One answer word that matched a cue word.
#[derive(Debug, Clone, Serialize)]
pub struct WordMatch {
    /// The word as the student wrote it (cut after [`quote::WORD_CHARS`] characters, with "…").
    pub text: String,
    /// The cue word it matched (`bureaucra*` for a wildcard).
    pub cue_word: String,
    /// `exact`, `stem` (another form of the word), `prefix` or `fuzzy` (a misspelling).
    #[serde(rename = "match")]
    pub how: &'static str,
    /// Edits between the two (0 unless fuzzy).
    pub distance: u8,
}

/// Where and how a point was found.
#[derive(Debug, Clone, Serialize)]
pub struct Evidence {
    /// The sentence holding the match, as written (white space collapsed); of a very long
    /// sentence, the words around the match, cut with "…" (`quote::evidence`).
    pub quote: String,
    /// Byte offsets of the matched words in the original file: `start..end`.
    pub start: usize,
    pub end: usize,
    /// 1-based line and column (in characters) of `start`.
    pub line: usize,
    pub column: usize,
    /// The cue that matched, as written in the rubric.
    pub cue: String,
    pub words: Vec<WordMatch>,
    /// The negation word that cancels this match, when the point is negated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub negated_by: Option<String>,
}

/// What one cue found, for `--explain`.
#[derive(Debug, Clone, Serialize)]
pub struct CueTrace {
    pub cue: String,
    /// `cue` or `partial` (a cue from the point's `partial` list).
    pub role: &'static str,
    /// `matched`, `partial`, `negated`, `excluded`, `other` (about another actor than the
    /// rubric's subject), `copied` (only in wording copied from the source passage), `echo` or
    /// `none`.
    pub result: &'static str,
    pub detail: String,
    /// Answer words that came close to a cue word without matching it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub near_misses: Vec<NearMiss>,
}

#[derive(Debug, Clone, Serialize)]
pub struct NearMiss {
    pub cue_word: String,
    pub found: String,
    pub distance: usize,
    pub allowed: u8,
    pub line: usize,
    pub column: usize,
    /// Why it did not count, in words.
    pub why: String,
}

/// How much [`check`](crate::check()) (the matcher inside) is to tell about each point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Detail {
    /// The status alone (batch marking without a report that shows evidence): the search
    /// stops at the first cue that covers the point, and no evidence is built.
    Status,
    /// The status and the evidence of the best match.
    Evidence,
    /// Evidence, and a trace of every cue (`--explain`).
    Explain,
}

impl Detail {
    /// [`Detail::Explain`] when `explain` is set, else [`Detail::Evidence`].
    pub fn from_explain(explain: bool) -> Detail {
        if explain { Detail::Explain } else { Detail::Evidence }
    }
}

/// The finding for one point.
#[derive(Debug, Clone)]
pub struct PointFinding {
    pub status: Status,
    pub evidence: Vec<Evidence>,
    /// For a partial point: what the matched cue lacked (for the author; not shown to students).
    pub lacking: Option<String>,
    pub trace: Vec<CueTrace>,
    /// Every match of the kind that gives the status (covered, partial, negated) holds a
    /// doubtful misspelling ([`doubtful`]): the point was found only through one. Told at every
    /// level of detail (for the status alone, the search goes on past a doubtful match of the
    /// best kind until a sure one is found).
    pub doubtful: bool,
}

impl PointFinding {
    /// A point not found, with nothing to tell.
    fn missing() -> PointFinding {
        PointFinding {
            status: Status::Missing,
            evidence: Vec::new(),
            lacking: None,
            trace: Vec::new(),
            doubtful: false,
        }
    }
}

/// Longest answer word whose misspelling by one edit is doubtful ([`doubtful`]).
pub const DOUBTFUL_WORD_CHARS: usize = 6;

/// Whether an answer word that matched a cue word `how` is a doubtful misspelling of it: two
/// edits away, or one edit in a word of at most [`DOUBTFUL_WORD_CHARS`] letters ("pickd" for
/// "picked"). One edit in a longer word ("Secratariat") is nearly always the word meant.
pub fn doubtful(how: How, word: &str) -> bool {
    match how {
        How::Fuzzy(d) => d >= 2 || word.chars().nth(DOUBTFUL_WORD_CHARS).is_none(),
        _ => false,
    }
}

/// The words of a match: (token index, term, how) for each word, in the order the cue's parts
/// found them (parts of a group may share a word: it is kept once per part). Nearly every
/// match is a few words long: they are kept inline, without an allocation.
type Words = SmallVec<[(u32, TermId, How); 4]>;

/// Every cue word found in an answer: (term, place, how), in order of place. Most words match
/// no cue word, a few match one: room for those of a few hundred words without an allocation.
type Hits = SmallVec<[(TermId, u32, How); 160]>;

#[derive(Debug, Clone)]
struct Cand<'c> {
    full: bool,
    words: Words,
    negator: Option<usize>,
    /// The cue as written in the rubric.
    source: &'c str,
    lacking: Option<Box<Lacking<'c>>>,
}

/// How a match ranks among others of its kind ([`Cand::rank`]): lower is better.
type Rank = (u32, u32, u32, usize);

/// What a partial match lacks, put into words only when a report shows it.
#[derive(Debug, Clone)]
enum Lacking<'c> {
    /// The cue matched in full, but it is one of the point's `partial` cues.
    PartialCue(&'c str),
    /// Parts of an `all` group not found with the others.
    NotFoundWith(SmallVec<[&'c str; 4]>),
    /// Parts of an `any` group found, and needed.
    Needed(usize, u32),
}

impl Lacking<'_> {
    fn text(&self) -> String {
        match self {
            Lacking::PartialCue(cue) => format!("\"{cue}\" is a partial cue"),
            Lacking::NotFoundWith(missing) => format!("not found with it: {}", missing.join(", ")),
            Lacking::Needed(found, need) => format!("{found} of {need} needed"),
        }
    }
}

impl Cand<'_> {
    fn first(&self) -> usize {
        self.words.iter().map(|w| w.0).min().unwrap_or(0) as usize
    }
    fn edits(&self) -> u32 {
        self.words.iter().map(|w| w.2.distance() as u32).sum()
    }
    /// How many sentences the match reaches over: evidence in one sentence reads best.
    fn reach(&self, doc: &Document) -> u32 {
        let sentences = self.words.iter().map(|w| doc.tokens[w.0 as usize].sentence);
        let (lo, hi) = sentences.fold((u32::MAX, 0), |(lo, hi), s| (lo.min(s), hi.max(s)));
        hi.saturating_sub(lo)
    }
    /// What [`Matcher::point_with`] prefers among matches of a kind: within fewest sentences,
    /// with fewest words copied from the question (evidence quotes the student's own words),
    /// with fewest misspellings, earliest.
    fn rank(&self, m: &Matcher) -> Rank {
        let echo = self.words.iter().filter(|w| m.is_echo(w.0 as usize)).count() as u32;
        (self.reach(m.doc), echo, self.edits(), self.first())
    }
}

/// Where a cue's `unless` phrases occur ([`Matcher::exclusions`]).
struct Exclusions<'c> {
    /// Each `unless` phrase that occurs, in the cue's order: the first tokens of its
    /// occurrences (sorted), and a [`MinTree`] of `u32::MAX - last token` in the same order
    /// (to find whether one of those starting in a range reaches a place: an occurrence can
    /// span thousands of words with a wide `gap`).
    phrases: Vec<(&'c str, Vec<u32>, MinTree)>,
}

impl<'c> Exclusions<'c> {
    /// The first `unless` phrase (in the cue's order) that occurs near the first of `toks`
    /// that has one: in its sentence, within [`UNLESS_REACH`] words.
    fn hit(&self, doc: &Document, toks: impl IntoIterator<Item = u32>) -> Option<&'c str> {
        if self.phrases.is_empty() {
            return None;
        }
        let tokens = &doc.tokens;
        toks.into_iter().find_map(|t| {
            let i = t as usize;
            let sentence = tokens[i].sentence;
            // Occurrences starting in the sentence, at most UNLESS_REACH words after `i`...
            let from = tokens[..i].partition_point(|t| t.sentence < sentence);
            let to = (i + UNLESS_REACH + 1).min(i + tokens[i..].partition_point(|t| t.sentence == sentence));
            // ... and ending at most UNLESS_REACH words before it.
            let reach = i.saturating_sub(UNLESS_REACH);
            self.phrases.iter().find_map(|(phrase, firsts, lasts)| {
                let lo = firsts.partition_point(|&f| (f as usize) < from);
                let hi = firsts.partition_point(|&f| (f as usize) < to);
                // Last token at least `reach`: u32::MAX - last below u32::MAX - reach + 1.
                let bound = u64::from(u32::MAX) - reach as u64 + 1;
                let near = lo < hi && lasts.first_below(lo, hi, bound).is_some();
                near.then_some(*phrase)
            })
        })
    }
}

/// How a cue's matches are searched, and why matches were set aside (counted for
/// explanations).
#[derive(Default)]
struct Rejects {
    echo: usize,
    /// Matches made only of wording copied from the source passage (and the question), of a
    /// point that does not allow quoting.
    copied: usize,
    excluded: Vec<String>,
    /// The first other actor a match was about, for a point about the rubric's subject.
    other: Option<u16>,
    /// Every part of a group is searched, to explain what was set aside (`--explain`);
    /// otherwise a group stops at its first part when that part is not found.
    explain: bool,
    /// The status alone is asked ([`Detail::Status`]): matches may come in any order (a
    /// phrase's places are given as they are found, [`Matcher::each_span_as_found`], so that
    /// the search can stop at the first one wanted), and a partial match need not say what it
    /// lacks.
    brief: bool,
}

/// The state of checking one answer against one rubric.
pub struct Matcher<'a> {
    rubric: &'a Rubric,
    doc: &'a Document,
    /// Every place a cue word occurs in the answer and how, by term id then place: term `t`'s
    /// places are `occ[starts[t]..starts[t + 1]]` (two allocations per answer, not one per
    /// cue word found).
    starts: Vec<u32>,
    occ: Vec<(u32, How)>,
    /// Which words are question echo ([`echo`]); empty when none is.
    echo: Vec<bool>,
    /// (place, term) of the cue words found by joining the word at a place with the next
    /// ([`spacing`]).
    joined: Vec<spacing::Joined>,
    /// Which words are copied from the rubric's source passage (empty without one).
    copied: Vec<bool>,
    distinct: std::cell::OnceCell<Vec<usize>>,
    /// Bit `t`: term `t` occurs in the answer (asked for every trigger of every point).
    present: Vec<u64>,
    /// The answer's denials, found when a negation is first looked for.
    denials: std::cell::OnceCell<negation::Denials>,
    /// The paragraph of each sentence, found when a group of `scope = "paragraph"` first asks.
    paragraphs: std::cell::OnceCell<Vec<u32>>,
    /// The people the answer mentions, found when a point about the subject first asks.
    mentions: std::cell::OnceCell<people::Mentions>,
}

impl<'a> Matcher<'a> {
    /// Looks every word of the answer up once.
    pub fn new(rubric: &'a Rubric, doc: &'a Document) -> Matcher<'a> {
        let mut hits = Hits::new();
        crate::text::tokens::with_word_slots(doc.memo_epoch, |mut slots| {
            for (i, t) in doc.tokens.iter().enumerate() {
                let mut push = |id, how| hits.push((id, i as u32, how));
                let w = || doc.word(t);
                match slots.as_deref_mut().and_then(|s| s.get_mut(t.slot as usize)) {
                    Some(slot) => rubric.lexicon.lookup_slot(
                        || w().norm.as_str(),
                        || w().stem(&rubric.language),
                        &mut slot.lexicon,
                        &mut push,
                    ),
                    None => rubric
                        .lexicon
                        .lookup_memo(&w().norm, || w().stem(&rubric.language), &mut push),
                }
            }
        });
        // Words split by a stray space or glued together ([`spacing`]).
        let joined = spacing::add_hits(rubric, doc, &mut hits);
        // A counting sort by term: places stay in order within each term.
        let mut starts = vec![0u32; rubric.lexicon.len() + 2];
        for h in &hits {
            starts[h.0 as usize + 2] += 1;
        }
        for t in 2..starts.len() {
            starts[t] += starts[t - 1];
        }
        let mut occ = vec![(0u32, How::Exact); hits.len()];
        for &(term, place, how) in &hits {
            let slot = &mut starts[term as usize + 1];
            occ[*slot as usize] = (place, how);
            *slot += 1;
        }
        starts.pop();
        let mut present = vec![0u64; rubric.lexicon.len().div_ceil(64)];
        for &(term, _, _) in &hits {
            present[term as usize >> 6] |= 1 << (term & 63);
        }
        let echo = echo::mask(rubric, doc);
        let copied = rubric.source.as_ref().map_or_else(Vec::new, |s| s.mask(doc));
        Matcher {
            rubric,
            doc,
            starts,
            occ,
            echo,
            joined,
            copied,
            distinct: Default::default(),
            present,
            denials: Default::default(),
            paragraphs: Default::default(),
            mentions: Default::default(),
        }
    }

    /// A matcher that does not ignore question echo or copied wording: for checking cues
    /// against the questions themselves (`rubric lint`).
    pub fn without_echo(rubric: &'a Rubric, doc: &'a Document) -> Matcher<'a> {
        let mut m = Matcher::new(rubric, doc);
        m.echo.clear();
        m.copied.clear();
        m
    }

    /// How many words of the answer are question echo ([`echo`]).
    pub fn echoed_words(&self) -> usize {
        self.echo.iter().filter(|&&e| e).count()
    }

    /// How many words of the answer are copied from the rubric's source passage (0 without
    /// one).
    pub fn copied_words(&self) -> usize {
        self.copied.iter().filter(|&&c| c).count()
    }

    /// Whether a cue's whole match (every part of a group) lies in wording copied from the
    /// source passage (or echoed from the question): it earns only a point that allows quoting.
    /// A match that quotes the passage and says something in the student's own words counts.
    #[inline]
    fn copied_match(&self, words: &[(u32, TermId, How)]) -> bool {
        !self.copied.is_empty()
            && words
                .iter()
                .all(|w| self.copied.get(w.0 as usize).is_some_and(|&c| c) || self.is_echo(w.0 as usize))
    }

    /// Finds one point, with a trace of every cue when `explain` is set.
    pub fn point(&self, point: &Point, explain: bool) -> PointFinding {
        self.point_with(point, Detail::from_explain(explain))
    }

    /// Finds one point, telling as much as `detail` asks. The status is the same at every
    /// level of detail: every level runs this one search, and [`Detail::Status`] only stops it
    /// sooner and keeps less.
    pub fn point_with(&self, point: &Point, detail: Detail) -> PointFinding {
        let explain = detail == Detail::Explain;
        let brief = detail == Detail::Status;
        if !explain && !self.any_occurs(&point.triggers) {
            return PointFinding::missing();
        }
        // Whether a match of each kind was found, and the best of each ([`Cand::rank`], the
        // first of equals), kept as the matches come (an answer can hold millions): full,
        // partial, negated full, negated partial. For the status alone, none is kept.
        let mut found = [false; 4];
        // Whether a match of each kind holds no doubtful misspelling ([`doubtful`]).
        let mut sure = [false; 4];
        let mut best: [Option<(Rank, Cand)>; 4] = Default::default();
        let mut trace = Vec::new();
        'cues: for (role, list) in [("cue", &point.cues), ("partial", &point.partial_cues)] {
            let partial_cue = role == "partial";
            // The best kind of match these cues can give: full (a cue), partial (a partial cue).
            let top = usize::from(partial_cue);
            for cue in list {
                // A cue whose first words are not in the answer (most cues of most answers):
                // nothing to search, nothing to set up.
                if !explain && !self.may_match(cue) {
                    continue;
                }
                let mut rejects = Rejects {
                    explain,
                    brief,
                    ..Rejects::default()
                };
                // What an explanation shows of the cue's matches (kept only for one).
                let mut seen = explain.then(Seen::default);
                self.each_cand(cue, &mut rejects, &mut |mut c, rejects| {
                    // Made only of words copied from the question ([`echo`]); the parts of a
                    // group are judged together, here.
                    if self.echoed(&c.words) {
                        rejects.echo += 1;
                        return false;
                    }
                    if !point.quote && self.copied_match(&c.words) {
                        rejects.copied += 1;
                        return false;
                    }
                    if point.about_subject
                        && let Some(actor) = self.other_actor(&c)
                    {
                        rejects.other.get_or_insert(actor);
                        return false;
                    }
                    if let Some(seen) = seen.as_mut() {
                        seen.note(&c);
                    }
                    if partial_cue {
                        if c.full && !brief {
                            c.lacking = Some(Box::new(Lacking::PartialCue(&cue.source)));
                        }
                        c.full = false;
                    }
                    let kind = usize::from(!c.full) + 2 * usize::from(c.negator.is_some());
                    found[kind] = true;
                    let is_sure = sure[kind] || !self.doubtful_match(&c.words);
                    sure[kind] = is_sure;
                    if brief {
                        // No evidence to choose: a sure match of the best kind ends the cue's
                        // search.
                        return kind == top && is_sure;
                    }
                    let slot = &mut best[kind];
                    let rank = c.rank(self);
                    if slot.as_ref().is_none_or(|(r, _)| rank < *r) {
                        *slot = Some((rank, c));
                    }
                    false
                });
                if explain {
                    trace.push(self.trace(cue, role, &seen.take().unwrap_or_default(), &rejects));
                }
                // For the status alone, stop when no later cue can change it (covered, or
                // partial by a partial cue: only partial cues follow) nor tell a sure match of
                // that kind from a doubtful one.
                if brief
                    && let Some(k) = found[..=top].iter().position(|&f| f)
                    && sure[k]
                {
                    break 'cues;
                }
            }
        }
        let status = match found {
            [true, ..] => Status::Covered,
            [false, true, ..] => Status::Partial,
            [false, false, negated @ ..] if negated.contains(&true) => Status::Negated,
            _ => Status::Missing,
        };
        let doubtful = found.iter().position(|&f| f).is_some_and(|k| !sure[k]);
        if brief {
            return PointFinding {
                status,
                doubtful,
                ..PointFinding::missing()
            };
        }
        // The evidence of the best match of the best kind found.
        let (evidence, lacking) = match best.into_iter().flatten().next().map(|(_, c)| c) {
            Some(c) => {
                let ev = self
                    .by_sentence(&c.words)
                    .iter()
                    .map(|s| self.evidence(s, c.source, c.negator))
                    .collect();
                (
                    ev,
                    if status == Status::Partial {
                        c.lacking.as_deref().map(Lacking::text)
                    } else {
                        None
                    },
                )
            }
            None => (Vec::new(), None),
        };
        PointFinding {
            status,
            evidence,
            lacking,
            trace,
            doubtful,
        }
    }

    /// Whether a match's words hold a doubtful misspelling ([`doubtful`]).
    fn doubtful_match(&self, words: &[(u32, TermId, How)]) -> bool {
        words.iter().any(|&(i, term, how)| {
            matches!(how, How::Fuzzy(_)) && doubtful(how, &self.doc.text[self.word_range(i, term)])
        })
    }

    /// The unit of `scope` (sentence, paragraph, or the whole answer: 0) that token `i` is in.
    /// Units never decrease along the answer.
    #[inline]
    fn unit(&self, scope: Scope, i: usize) -> u32 {
        let sentence = self.doc.tokens[i].sentence;
        match scope {
            Scope::Clause => self.doc.tokens[i].clause,
            Scope::Sentence | Scope::Next => sentence,
            Scope::Paragraph => self.paragraphs.get_or_init(|| paragraphs(self.doc))[sentence as usize],
            Scope::Answer => 0,
        }
    }

    /// The actor other than the rubric's subject that a match is about, if it is
    /// ([`people`]).
    fn other_actor(&self, c: &Cand) -> Option<u16> {
        let people = self.rubric.people.as_ref()?;
        let mentions = self.mentions.get_or_init(|| people::Mentions::of(self, people));
        let actor = mentions.actor(self.doc, c.first(), |t| c.words.iter().any(|w| w.0 == t));
        (actor != people::SUBJECT).then_some(actor)
    }

    #[inline]
    fn occurs(&self, term: TermId) -> bool {
        self.present
            .get(term as usize >> 6)
            .is_some_and(|w| (w >> (term & 63)) & 1 == 1)
    }

    fn occurrences(&self, term: TermId) -> &[(u32, How)] {
        match (self.starts.get(term as usize), self.starts.get(term as usize + 1)) {
            (Some(&lo), Some(&hi)) => &self.occ[lo as usize..hi as usize],
            _ => &[],
        }
    }

    /// The word that negates a match of a phrase, given its words ([`negation::negator`],
    /// [`negation::among_fillers`]).
    fn negator(&self, path: &[(u32, TermId, How)]) -> Option<usize> {
        let (start, end) = (path[0].0 as usize, path[path.len() - 1].0 as usize);
        negation::negator_with(self.doc, start, end, || {
            self.denials.get_or_init(|| negation::Denials::of(self.doc))
        })
        // (Nearly every match has no filler words.)
        .or_else(|| {
            (end - start + 1 > path.len())
                .then(|| negation::among_fillers(self.doc, path.iter().map(|w| w.0)))
                .flatten()
        })
    }

    /// Where the cue's `unless` phrases occur.
    fn exclusions<'c>(&self, cue: &'c Cue) -> Exclusions<'c> {
        let phrases = cue
            .unless
            .iter()
            .filter_map(|u| {
                // By first token (then last), so that each matched word looks only at the
                // exclusions near it (an answer can hold thousands of both).
                let mut firsts = Vec::new();
                let mut lasts = Vec::new();
                self.each_span(u, |path| {
                    firsts.push(path[0].0);
                    lasts.push(u32::MAX - path[path.len() - 1].0);
                    false
                });
                (!firsts.is_empty()).then(|| (u.source.as_str(), firsts, MinTree::new(lasts.into_iter())))
            })
            .collect();
        Exclusions { phrases }
    }

    /// Whether any of these terms occurs in the answer.
    fn any_occurs(&self, terms: &[TermId]) -> bool {
        terms.iter().any(|&t| self.occurs(t))
    }

    /// Whether the words a match of the cue must start with occur in the answer at all
    /// ([`Cue::triggers`]). A cue that cannot match costs a few lookups, however many cues the
    /// rubric has.
    fn may_match(&self, cue: &Cue) -> bool {
        self.any_occurs(&cue.triggers)
    }

    /// Calls `f` with each match of the cue (full or partial, negated or not) that is not set
    /// aside by an `unless` phrase, until `f` returns true (question echo is judged on the
    /// whole match, by the caller: [`echo`]): a
    /// phrase's by first then last word; an `all` group's by window; an `any` group's one.
    /// What was set aside is counted in `rejects`.
    fn each_cand<'c>(&self, cue: &'c Cue, rejects: &mut Rejects, f: &mut dyn FnMut(Cand<'c>, &mut Rejects) -> bool) {
        if !rejects.explain && !self.may_match(cue) {
            return;
        }
        // Exclusions are looked for once there is a match to set aside.
        let mut banned: Option<Exclusions> = None;
        let mut emit = |c: Cand<'c>, rejects: &mut Rejects| {
            if !cue.unless.is_empty()
                && let Some(u) = banned
                    .get_or_insert_with(|| self.exclusions(cue))
                    .hit(self.doc, c.words.iter().map(|w| w.0))
            {
                rejects.excluded.push(u.to_string());
                return false;
            }
            f(c, rejects)
        };
        match &cue.node {
            CueNode::Phrase(p) => {
                let brief = rejects.brief;
                let mut each = |path: &[(u32, TermId, How)]| {
                    let c = Cand {
                        full: true,
                        words: SmallVec::from_slice(path),
                        negator: if cue.negation { self.negator(path) } else { None },
                        source: &cue.source,
                        lacking: None,
                    };
                    emit(c, rejects)
                };
                if brief {
                    self.each_span_as_found(p, &mut each)
                } else {
                    self.each_span(p, &mut each)
                }
            }
            CueNode::All {
                parts,
                within,
                scope,
                partial,
            } => self.all(cue, parts, Reach::new(*within, *scope), *partial, rejects, &mut emit),
            CueNode::Any { parts, need } => {
                if let Some(c) = self.any(cue, parts, *need, rejects) {
                    emit(c, rejects);
                }
            }
        }
    }

    /// [`Matcher::each_cand`] of an `all` group: a full match for each window where every
    /// part has one ([`Matcher::each_window`]); with none, a partial match where it is partly
    /// found ([`Matcher::partly`]) when the group allows it.
    fn all<'c>(
        &self,
        cue: &'c Cue,
        parts: &'c [Cue],
        reach: Reach,
        partial: bool,
        rejects: &mut Rejects,
        f: &mut dyn FnMut(Cand<'c>, &mut Rejects) -> bool,
    ) {
        let mut found: SmallVec<[PartMatches; 4]> = SmallVec::with_capacity(parts.len());
        for p in parts {
            let mut ms = PartMatches::default();
            self.part_matches(p, rejects, &mut ms);
            // Without its first part a group is neither found nor partly found (a partial
            // match needs the first part): the other parts need not be searched.
            if found.is_empty() && ms.is_empty() && !rejects.explain {
                return;
            }
            found.push(ms);
        }
        let mut any_window = false;
        self.each_window(&found, reach, |chosen| {
            let words: Words = chosen
                .iter()
                .enumerate()
                .flat_map(|(pi, &mi)| found[pi].words(&found[pi][mi]).iter().copied())
                .collect();
            // A window made only of question echo earns nothing (its caller sets it aside, as
            // a whole, [`echo`]); the group may still be partly found in the student's words.
            any_window |= !self.echoed(&words);
            let c = Cand {
                full: true,
                words,
                negator: group_negator(&found, chosen),
                source: &cue.source,
                lacking: None,
            };
            f(c, rejects)
        });
        if !any_window && partial && parts.len() > 1 {
            group::clear_own_negators(&mut found);
        }
        if !any_window
            && partial
            && parts.len() > 1
            && let Some(slots) = self.partly(&found, reach.scope)
        {
            let lacking = (!rejects.brief).then(|| {
                let missing = slots.iter().zip(parts).filter(|(s, _)| s.is_none());
                Box::new(Lacking::NotFoundWith(missing.map(|(_, p)| p.source.as_str()).collect()))
            });
            let words = slots
                .iter()
                .enumerate()
                .filter_map(|(pi, mi)| mi.map(|mi| found[pi].words(&found[pi][mi])))
                .flat_map(|words| words.iter().copied())
                .collect();
            let c = Cand {
                full: false,
                words,
                negator: None,
                source: &cue.source,
                lacking,
            };
            f(c, rejects);
        }
    }

    /// The match of an `any` group, if any: of each part, its first full match not negated,
    /// else its first full match (of each kind, the first in the student's own words rather
    /// than question echo, when there is one); full when `need` parts have one not negated, else (negated)
    /// when they have one at all, else partial when some part has one not negated.
    fn any<'c>(&self, cue: &'c Cue, parts: &'c [Cue], need: u32, rejects: &mut Rejects) -> Option<Cand<'c>> {
        let mut picks: SmallVec<[Cand; 4]> = SmallVec::new();
        for p in parts {
            let mut pick: Option<Cand> = None;
            // Not negated before negated, then the student's own words before question echo.
            let worth = |c: &Cand| (c.negator.is_some(), self.echoed(&c.words));
            self.each_cand(p, rejects, &mut |c, _| {
                if !c.full {
                    return false;
                }
                let key = worth(&c);
                if pick.as_ref().is_none_or(|o| key < worth(o)) {
                    pick = Some(c);
                }
                key == (false, false)
            });
            picks.extend(pick);
        }
        // A part's negation word that is a word of another part's match is what the group
        // matches, not a negation of it ("couldn't" + "read" in "he couldn't read").
        let own: SmallVec<[usize; 4]> = (0..picks.len())
            .filter(|&k| {
                picks[k].negator.is_some_and(|j| {
                    let of = |c: &Cand| c.words.iter().any(|w| w.0 as usize == j);
                    picks.iter().enumerate().any(|(i, c)| i != k && of(c))
                })
            })
            .collect();
        own.iter().for_each(|&k| picks[k].negator = None);
        let (positive, negative): (SmallVec<[Cand; 4]>, SmallVec<[Cand; 4]>) =
            picks.into_iter().partition(|c| c.negator.is_none());
        let need = need as usize;
        let join = |cs: SmallVec<[Cand; 4]>| cs.into_iter().flat_map(|c| c.words).collect::<Words>();
        let found = positive.len();
        if found >= need {
            Some(Cand {
                full: true,
                words: join(positive),
                negator: None,
                source: &cue.source,
                lacking: None,
            })
        } else if found + negative.len() >= need && !negative.is_empty() {
            let negator = negative[0].negator;
            let mut all = positive;
            all.extend(negative);
            Some(Cand {
                full: true,
                words: join(all),
                negator,
                source: &cue.source,
                lacking: None,
            })
        } else if found > 0 {
            Some(Cand {
                full: false,
                words: join(positive),
                negator: None,
                source: &cue.source,
                lacking: Some(Box::new(Lacking::Needed(found, need as u32))),
            })
        } else {
            None
        }
    }
}

/// The paragraph of each sentence of `doc`: a new paragraph starts after a blank line (white
/// space alone between two line breaks), as in plain text, Markdown, and the paragraphs of a
/// .docx or .odt answer.
fn paragraphs(doc: &Document) -> Vec<u32> {
    let mut out = Vec::with_capacity(doc.sentences.len());
    let mut paragraph = 0;
    let mut prev_end = 0;
    for s in &doc.sentences {
        let between = doc.text.get(prev_end..s.start).unwrap_or("");
        let mut lines = between.split('\n');
        lines.next();
        let mut middle = lines.rev().skip(1);
        if !out.is_empty() && middle.any(|l| l.trim().is_empty()) {
            paragraph += 1;
        }
        out.push(paragraph);
        prev_end = s.end;
    }
    out
}

/// How far apart the parts of an `all` group may be: in one unit of `scope` (for
/// [`Scope::Next`], the first part in a sentence and the others in it or the next), and less
/// than `words` apart from the first word of the window to the last.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Reach {
    pub scope: Scope,
    pub words: usize,
}

impl Reach {
    /// How many units after the window's first the window may reach: 1 for [`Scope::Next`].
    pub(crate) fn next(&self) -> u32 {
        u32::from(self.scope == Scope::Next)
    }
}

impl Reach {
    /// The reach of a group with this `within` and `scope`: without `within`, one sentence is
    /// also held to [`SENTENCE_SPAN`] words (an answer without full stops is one long
    /// "sentence"); a paragraph or the answer are not held to a number of words.
    pub(crate) fn new(within: Option<u32>, scope: Scope) -> Reach {
        let words = match (within, scope) {
            (Some(n), _) => n as usize,
            (None, Scope::Sentence | Scope::Clause) => SENTENCE_SPAN,
            (None, Scope::Next) => 2 * SENTENCE_SPAN,
            (None, _) => usize::MAX,
        };
        Reach { scope, words }
    }
}

#[cfg(test)]
mod tests;
