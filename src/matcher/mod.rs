//! Finding a rubric's points in an answer.
//!
//! One pass over the answer's words looks each word up in the rubric's [`Lexicon`] (exact
//! form, stem, prefix, misspelling), giving for every cue word the sorted list of places it
//! occurs. Phrases are then assembled from those lists (in order, at most `gap` filler words
//! apart, in one sentence); `all` groups from their parts' places; negation, question echo and
//! `unless` exclusions are checked on each match. The cost grows with the answer's length and
//! the number of matches, not with the number of cues times the number of words.
//!
//! One search serves every [`Detail`]: [`Matcher::point_with`] goes through each cue's matches
//! as [`Matcher::each_cand`] finds them. For evidence it keeps the best match of each kind
//! (full, partial, negated); for the status alone ([`Detail::Status`], batch marking) it keeps
//! the first of each kind, ends a cue's search at its first match of the best kind the cue can
//! give, ends the point's as soon as no later cue can change the status, and builds no
//! evidence. The statuses are thus the same at every level of detail by construction.

pub mod negation;
pub mod quote;

use std::collections::HashSet;

use serde::Serialize;
use smallvec::SmallVec;

use crate::lexicon::{self, How, TermId, TermKind, light_stem};
use crate::scheme::{Cue, CueNode, Phrase, Point, Rubric, collect_terms};
use crate::text::tokens::Document;

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
    /// sentence, the words around the match, cut with "…" ([`quote::evidence`]).
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
    /// `matched`, `partial`, `negated`, `echo`, `excluded` or `none`.
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

/// How much a [`Matcher`] is to tell about each point.
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
}

impl PointFinding {
    /// A point not found, with nothing to tell.
    fn missing() -> PointFinding {
        PointFinding {
            status: Status::Missing,
            evidence: Vec::new(),
            lacking: None,
            trace: Vec::new(),
        }
    }
}

/// The words of a match: (token index, term, how) for each word, in the order the cue's parts
/// found them (parts of a group may share a word: it is kept once per part). Nearly every
/// match is a few words long: they are kept inline, without an allocation.
type Words = SmallVec<[(u32, TermId, How); 4]>;

/// The words of a match in one sentence, in order, for its evidence ([`Matcher::by_sentence`]).
#[derive(Debug, Clone)]
struct Span {
    toks: Words,
}

impl Span {
    fn first(&self) -> usize {
        self.toks.first().map_or(0, |t| t.0 as usize)
    }
    fn last(&self) -> usize {
        self.toks.last().map_or(0, |t| t.0 as usize)
    }
}

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
type Rank = (u32, u32, usize);

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
    /// with fewest misspellings, earliest.
    fn rank(&self, doc: &Document) -> Rank {
        (self.reach(doc), self.edits(), self.first())
    }
}

/// A full match of one part of an `all` group, in its [`PartMatches`]: 20 bytes, and 12 for
/// each of its words (a part can match millions of times).
#[derive(Clone, Copy)]
struct PartMatch {
    /// First and last token of the match.
    first: u32,
    end: u32,
    /// The token of its negation word, or [`PartMatch::NONE`].
    negator: u32,
    /// Its words: `len` of the part's list of words from `at`.
    at: u32,
    len: u32,
}

impl PartMatch {
    const NONE: u32 = u32::MAX;

    fn first(&self) -> usize {
        self.first as usize
    }
    fn end(&self) -> usize {
        self.end as usize
    }
    fn negator(&self) -> Option<usize> {
        (self.negator != PartMatch::NONE).then_some(self.negator as usize)
    }
}

/// The full matches of one part of an `all` group ([`Matcher::part_matches`]), with their
/// words in one list (both inline while they are few: nearly always).
#[derive(Default)]
struct PartMatches {
    list: SmallVec<[PartMatch; 4]>,
    words: SmallVec<[(u32, TermId, How); 6]>,
}

impl PartMatches {
    /// Room for `n` matches of a word or two, when there may be many (a list that grows holds
    /// its old and new room at once; room not taken is never touched, and takes no memory).
    fn reserve(&mut self, n: usize) {
        if n >= 1024 {
            self.list.reserve_exact(n);
            self.words.reserve_exact(n);
        }
    }

    fn push(&mut self, first: usize, end: usize, negator: Option<usize>, words: &[(u32, TermId, How)]) {
        self.list.push(PartMatch {
            first: first as u32,
            end: end as u32,
            negator: negator.map_or(PartMatch::NONE, |j| j as u32),
            at: self.words.len() as u32,
            len: words.len() as u32,
        });
        self.words.extend_from_slice(words);
    }

    fn of(&mut self, c: Cand) {
        let end = c.words.iter().map(|w| w.0).max().unwrap_or(0) as usize;
        self.push(c.first(), end, c.negator, &c.words);
    }

    fn len(&self) -> usize {
        self.list.len()
    }
    fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
    fn iter(&self) -> std::slice::Iter<'_, PartMatch> {
        self.list.iter()
    }
    /// The words of match `m`.
    fn words(&self, m: &PartMatch) -> &[(u32, TermId, How)] {
        &self.words[m.at as usize..(m.at + m.len) as usize]
    }
}

impl std::ops::Index<usize> for PartMatches {
    type Output = PartMatch;
    fn index(&self, i: usize) -> &PartMatch {
        &self.list[i]
    }
}

/// The negation word of an `all` group's window (`chosen[part]` indexes `found[part]`): the
/// first of the parts' negation words that is not itself one of the group's matched words
/// ("doesn't" + "use energy": content, not a negation of the other parts).
fn group_negator(found: &[PartMatches], chosen: &[usize]) -> Option<usize> {
    let picked = || chosen.iter().enumerate().map(|(pi, &mi)| (&found[pi], &found[pi][mi]));
    let inside = |j: usize| picked().any(|(ms, m)| ms.words(m).iter().any(|w| w.0 as usize == j));
    picked().filter_map(|(_, m)| m.negator()).find(|&j| !inside(j))
}

/// Up to this many matches of an `all` group's parts, its windows are found by looking from
/// each start at every later match in reach ([`Matcher::each_window_scan`]); beyond, by a sweep
/// that stays near linear for any `within` ([`Matcher::each_window_sweep`]).
const SCAN_MAX: usize = 48;
/// A reach (`within`) up to which windows are always found by looking from each start at every
/// match in reach ([`Matcher::each_window_scan`]), however many matches there are.
const SCAN_REACH: usize = 64;

/// The least of a list of numbers over any range of it, to find the first place in a range
/// whose number is below a bound in a number of steps logarithmic in the list's length.
struct MinTree {
    /// Leaves (padded with `u32::MAX` to a power of two) at `size..2 * size`; node `i` holds
    /// the least of nodes `2i` and `2i + 1`. (Four bytes each: a tree is made over millions of
    /// matches.)
    nodes: Vec<u32>,
    size: usize,
}

impl MinTree {
    fn new(values: impl ExactSizeIterator<Item = u32>) -> MinTree {
        let size = values.len().next_power_of_two();
        let mut nodes = vec![u32::MAX; 2 * size];
        for (i, v) in values.enumerate() {
            nodes[size + i] = v;
        }
        for i in (1..size).rev() {
            nodes[i] = nodes[2 * i].min(nodes[2 * i + 1]);
        }
        MinTree { nodes, size }
    }

    /// The first place in `lo..hi` whose number is below `bound`.
    fn first_below(&self, lo: usize, hi: usize, bound: u64) -> Option<usize> {
        self.find(1, 0, self.size, lo, hi, bound)
    }

    /// [`MinTree::first_below`] within node `node`, which covers `from..to`: a node is entered
    /// only when its least number is below the bound, so that past the range's two edges the
    /// search goes straight down to the place.
    fn find(&self, node: usize, from: usize, to: usize, lo: usize, hi: usize, bound: u64) -> Option<usize> {
        if to <= lo || hi <= from || u64::from(self.nodes[node]) >= bound {
            return None;
        }
        if to - from == 1 {
            return Some(from);
        }
        let mid = (from + to) / 2;
        self.find(2 * node, from, mid, lo, hi, bound)
            .or_else(|| self.find(2 * node + 1, mid, to, lo, hi, bound))
    }
}

/// Steps [`Matcher::follow`] may take over the places of one phrase before the search goes
/// on through a [`Reach`]: far more than any ordinary answer needs.
const FOLLOW_STEPS: usize = 1 << 14;

/// The search for the places of one phrase ([`Matcher::each_span`]): [`Matcher::follow`] from
/// each place of a first word, until it has taken the steps allowed (a long phrase of one
/// repeated word, or a wide `gap`, can make it try exponentially many ways); then a [`Reach`],
/// which finds the same words in time linear in the places of the phrase's words.
struct PhraseSearch<'p> {
    phrase: &'p Phrase,
    budget: usize,
    reach: Option<Reach>,
}

impl<'p> PhraseSearch<'p> {
    fn new(phrase: &'p Phrase, budget: usize) -> PhraseSearch<'p> {
        PhraseSearch {
            phrase,
            budget,
            reach: None,
        }
    }

    /// Completes the match whose first word, at trie node `node`, is `path[0]`: whether it
    /// completes, with its words in `path`.
    #[inline(always)]
    fn complete(&mut self, m: &Matcher, node: usize, path: &mut SmallVec<[(u32, TermId, How); 8]>) -> bool {
        if let Some(r) = &self.reach {
            return r.complete(m, self.phrase, node, path);
        }
        match m.follow(self.phrase, node, path, &mut self.budget) {
            Some(found) => found,
            None => {
                path.truncate(1);
                self.reach
                    .insert(Reach::of(m, self.phrase))
                    .complete(m, self.phrase, node, path)
            }
        }
    }
}

/// The first match of a cue of each kind, for its trace ([`Matcher::trace`]).
#[derive(Default)]
struct Seen<'c> {
    /// Full and not negated; partial and not negated; negated.
    full: Option<Cand<'c>>,
    partial: Option<Cand<'c>>,
    negated: Option<Cand<'c>>,
}

impl<'c> Seen<'c> {
    fn note(&mut self, c: &Cand<'c>) {
        let slot = match (c.negator.is_some(), c.full) {
            (true, _) => &mut self.negated,
            (false, true) => &mut self.full,
            (false, false) => &mut self.partial,
        };
        if slot.is_none() {
            *slot = Some(c.clone());
        }
    }
}

/// For each node of a phrase's trie, the places of its word from which the rest of the phrase
/// can be completed (with how the word matched there), by place: found from the last words
/// back, each place once, so that completing a match from any place is a few binary searches
/// ([`Matcher::each_span`]).
struct Reach {
    done: Vec<Vec<(u32, How)>>,
}

impl Reach {
    fn of(m: &Matcher, phrase: &Phrase) -> Reach {
        let mut word = vec![None; phrase.nodes.len()];
        for n in &phrase.nodes {
            for &(term, child) in &n.children {
                word[child as usize] = Some(term);
            }
        }
        let mut done: Vec<Vec<(u32, How)>> = vec![Vec::new(); phrase.nodes.len()];
        // A node's children come after it in the trie.
        for node in (1..phrase.nodes.len()).rev() {
            let Some(term) = word[node] else { continue };
            let places = m
                .occurrences(term)
                .iter()
                .copied()
                .filter(|&(p, _)| phrase.nodes[node].end || Reach::next(m, phrase, &done, node, p).is_some())
                .collect();
            done[node] = places;
        }
        Reach { done }
    }

    /// The next word of a match whose word at trie node `node` is at place `cur`, as
    /// [`Matcher::follow`] would choose it: (place, word, how, its node), from the first child
    /// with a place in reach from which the rest follows, the nearest such place.
    fn next(
        m: &Matcher,
        phrase: &Phrase,
        done: &[Vec<(u32, How)>],
        node: usize,
        cur: u32,
    ) -> Option<(u32, TermId, How, usize)> {
        let toks = &m.doc.tokens;
        let sentence = toks[cur as usize].sentence;
        phrase.nodes[node].children.iter().find_map(|&(term, child)| {
            let places = &done[child as usize];
            let &(p, how) = places.get(places.partition_point(|&(p, _)| p <= cur))?;
            (p - cur - 1 <= phrase.gap && toks[p as usize].sentence == sentence).then_some((
                p,
                term,
                how,
                child as usize,
            ))
        })
    }

    /// [`Matcher::follow`] from trie node `node`, whose word is the last of `path`.
    fn complete(
        &self,
        m: &Matcher,
        phrase: &Phrase,
        mut node: usize,
        path: &mut SmallVec<[(u32, TermId, How); 8]>,
    ) -> bool {
        loop {
            if phrase.nodes[node].end {
                return true;
            }
            let cur = path[path.len() - 1].0;
            match Reach::next(m, phrase, &self.done, node, cur) {
                Some((p, term, how, child)) => {
                    path.push((p, term, how));
                    node = child;
                }
                None => return false,
            }
        }
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
    excluded: Vec<String>,
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
    echo: Vec<bool>,
    distinct: std::cell::OnceCell<Vec<usize>>,
    /// Bit `t`: term `t` occurs in the answer (asked for every trigger of every point).
    present: Vec<u64>,
    /// The answer's denials, found when a negation is first looked for.
    denials: std::cell::OnceCell<negation::Denials>,
}

impl<'a> Matcher<'a> {
    /// Looks every word of the answer up once.
    pub fn new(rubric: &'a Rubric, doc: &'a Document) -> Matcher<'a> {
        // Most words match no cue word, a few match one: room for those of a few hundred
        // words without an allocation.
        let mut hits: SmallVec<[(TermId, u32, How); 160]> = SmallVec::new();
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
        let echo = rubric.echo.mask(doc);
        Matcher {
            rubric,
            doc,
            starts,
            occ,
            echo,
            distinct: Default::default(),
            present,
            denials: Default::default(),
        }
    }

    /// A matcher that does not ignore question echo: for checking cues against the
    /// questions themselves (`rubric lint`).
    pub fn without_echo(rubric: &'a Rubric, doc: &'a Document) -> Matcher<'a> {
        let mut m = Matcher::new(rubric, doc);
        m.echo.iter_mut().for_each(|e| *e = false);
        m
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
        let mut best: [Option<(Rank, Cand)>; 4] = Default::default();
        let mut trace = Vec::new();
        'cues: for (role, list) in [("cue", &point.cues), ("partial", &point.partial_cues)] {
            let partial_cue = role == "partial";
            // The best kind of match these cues can give: full (a cue), partial (a partial cue).
            let top = usize::from(partial_cue);
            for cue in list {
                let mut rejects = Rejects {
                    explain,
                    brief,
                    ..Rejects::default()
                };
                let mut seen = Seen::default();
                self.each_cand(cue, &mut rejects, &mut |mut c| {
                    if explain {
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
                    if brief {
                        // No evidence to choose: a match of the best kind ends the cue's search.
                        return kind == top;
                    }
                    let slot = &mut best[kind];
                    let rank = c.rank(self.doc);
                    if slot.as_ref().is_none_or(|(r, _)| rank < *r) {
                        *slot = Some((rank, c));
                    }
                    false
                });
                if explain {
                    trace.push(self.trace(cue, role, &seen, &rejects));
                }
                // For the status alone, stop when no later cue can change it: covered, or
                // partial by a partial cue (only partial cues follow).
                if brief && found[..=top].contains(&true) {
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
        if brief {
            return PointFinding {
                status,
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
        }
    }

    /// The places of [`Matcher::each_span`], in the order they are found: by first word (in
    /// the order of `phrase.root`), then place. The search stops at the first place `f` wants
    /// without looking for the first places of the other first words (`each_span` needs them
    /// all to put the places in order).
    fn each_span_as_found(&self, phrase: &Phrase, mut f: impl FnMut(&[(u32, TermId, How)]) -> bool) {
        let mut search = PhraseSearch::new(phrase, FOLLOW_STEPS);
        let mut path: SmallVec<[(u32, TermId, How); 8]> = SmallVec::new();
        // First and last words of the places found, in a list while they are few (nearly
        // always), then in a set (looking through a list of thousands for each took time in
        // the square of their number): a place with the same first and last words as an
        // earlier one is the one `each_span` leaves out.
        let mut seen: SmallVec<[(u32, u32); 8]> = SmallVec::new();
        let mut many: Option<rustc_hash::FxHashSet<(u32, u32)>> = None;
        let several = phrase.root.len() > 1;
        for &(term, node) in &phrase.root {
            for &(p0, how) in self.occurrences(term) {
                path.clear();
                path.push((p0, term, how));
                if !search.complete(self, node as usize, &mut path) {
                    continue;
                }
                // Places of one first word have distinct first words.
                let new = !several || {
                    let ends = (path[0].0, path[path.len() - 1].0);
                    match &mut many {
                        Some(set) => set.insert(ends),
                        None if seen.contains(&ends) => false,
                        None => {
                            seen.push(ends);
                            if seen.len() > 32 {
                                many = Some(seen.drain(..).collect());
                            }
                            true
                        }
                    }
                };
                if new && f(&path) {
                    return;
                }
            }
        }
    }

    /// Calls `f` with the words of each place where the phrase occurs (words in order, in one
    /// sentence, at most `gap` words apart), by first then last word, one place for each
    /// first and last word, until `f` returns true. For each place of a first word the first
    /// way found through the trie wins ([`PhraseSearch`]). Nothing is gathered: a phrase can
    /// occur millions of times in an answer.
    fn each_span(&self, phrase: &Phrase, mut f: impl FnMut(&[(u32, TermId, How)]) -> bool) {
        let mut search = PhraseSearch::new(phrase, FOLLOW_STEPS);
        // The first words that occur: nearly always one at most, whose places come in order.
        let mut roots = (0..phrase.root.len()).filter(|&r| self.occurs(phrase.root[r].0));
        let (Some(r0), second) = (roots.next(), roots.next()) else {
            return;
        };
        if second.is_none() {
            let (term, node) = phrase.root[r0];
            let mut path: SmallVec<[(u32, TermId, How); 8]> = SmallVec::new();
            for &(p0, how) in self.occurrences(term) {
                path.clear();
                path.push((p0, term, how));
                if search.complete(self, node as usize, &mut path) && f(&path) {
                    return;
                }
            }
            return;
        }
        // Several: the places of each, in order, merged; of places with the same first and
        // last words, the one of the earliest first word in `phrase.root`.
        struct Head {
            /// The next place found (empty when there is none), and the index of the
            /// occurrence of the first word to try after it.
            path: SmallVec<[(u32, TermId, How); 8]>,
            next: usize,
        }
        let advance = |search: &mut PhraseSearch, r: usize, head: &mut Head| {
            let (term, node) = phrase.root[r];
            let places = self.occurrences(term);
            head.path.clear();
            while let Some(&(p0, how)) = places.get(head.next) {
                head.next += 1;
                head.path.push((p0, term, how));
                if search.complete(self, node as usize, &mut head.path) {
                    return;
                }
                head.path.clear();
            }
        };
        let ends = |h: &Head| (h.path[0].0, h.path[h.path.len() - 1].0);
        // (root, head) of each first word that occurs, in the order of `phrase.root`.
        let mut heads: SmallVec<[(usize, Head); 4]> = SmallVec::new();
        for r in [r0].into_iter().chain(second).chain(roots) {
            let mut head = Head {
                path: SmallVec::new(),
                next: 0,
            };
            advance(&mut search, r, &mut head);
            heads.push((r, head));
        }
        while let Some(k) = (0..heads.len())
            .filter(|&k| !heads[k].1.path.is_empty())
            .min_by_key(|&k| ends(&heads[k].1))
        {
            let at = ends(&heads[k].1);
            if f(&heads[k].1.path) {
                return;
            }
            for (r, head) in heads.iter_mut() {
                while !head.path.is_empty() && ends(head) == at {
                    advance(&mut search, *r, head);
                }
            }
        }
    }

    /// The full matches of one part of an `all` group, as [`Matcher::each_cand`] finds them,
    /// in the same order, into `out`.
    fn part_matches(&self, part: &Cue, rejects: &mut Rejects, out: &mut PartMatches) {
        if let CueNode::Phrase(p) = &part.node
            && part.unless.is_empty()
        {
            // A phrase (nearly every part), kept without building candidates. It has at most
            // one match for each place of its first words.
            if !self.may_match(part) {
                return;
            }
            let most: usize = p.root.iter().map(|&(t, _)| self.occurrences(t).len()).sum();
            out.reserve(most);
            // As found, then put in the order of `each_span` (quicker than its merge of the
            // places of several first words; the sort costs no memory).
            self.each_span_as_found(p, |path| {
                if path.iter().all(|t| self.echo[t.0 as usize]) {
                    rejects.echo += 1;
                    return false;
                }
                let (first, end) = (path[0].0 as usize, path[path.len() - 1].0 as usize);
                let negator = if part.negation { self.negator(first, end) } else { None };
                out.push(first, end, negator, path);
                false
            });
            out.list.sort_by_key(|m| (m.first, m.end));
            return;
        }
        // In order, whatever the search allows: windows choose among a part's matches by
        // their order.
        let brief = std::mem::replace(&mut rejects.brief, false);
        self.each_cand(part, rejects, &mut |c| {
            if c.full {
                out.of(c);
            }
            false
        });
        rejects.brief = brief;
    }

    /// Where an `all` group without a window is partly found: the sentence where most of its
    /// parts have a match not negated (the first such sentence among equals), of those where
    /// the first part has one (what the point is about: the post, the event; other parts alone
    /// are too common to mean anything). The first such match of each part there (an index
    /// into `found[part]`), if any.
    #[inline]
    fn partly(&self, found: &[PartMatches]) -> Option<SmallVec<[Option<usize>; 4]>> {
        let sentence_of = |m: &PartMatch| self.doc.tokens[m.first()].sentence;
        // Each part's first match not negated in a sentence: looked for among a few matches,
        // or, for many, found by halving among its matches not negated put in order of
        // sentence (looking through every part's matches for each of the first part's took
        // time in the square of their number).
        let by_sentence: Option<Vec<Vec<u32>>> =
            (found.iter().map(|ms| ms.len()).sum::<usize>() > SCAN_MAX).then(|| {
                found
                    .iter()
                    .map(|ms| {
                        let mut clean: Vec<u32> = (0..ms.len() as u32)
                            .filter(|&mi| ms[mi as usize].negator().is_none())
                            .collect();
                        clean.sort_by_key(|&mi| sentence_of(&ms[mi as usize]));
                        clean
                    })
                    .collect()
            });
        let first_in = |pi: usize, s: u32| match &by_sentence {
            Some(clean) => {
                let of = |mi: u32| sentence_of(&found[pi][mi as usize]);
                let list = &clean[pi];
                list.get(list.partition_point(|&mi| of(mi) < s))
                    .filter(|&&mi| of(mi) == s)
                    .map(|&mi| mi as usize)
            }
            None => found[pi]
                .iter()
                .position(|m| m.negator().is_none() && sentence_of(m) == s),
        };
        // The most parts, then the first sentence.
        type Slots = SmallVec<[Option<usize>; 4]>;
        let mut best: Option<(usize, std::cmp::Reverse<u32>, Slots)> = None;
        let mut slots = Slots::new();
        for m in found.first()?.iter().filter(|m| m.negator().is_none()) {
            let s = sentence_of(m);
            slots.clear();
            for pi in 0..found.len() {
                slots.push(first_in(pi, s));
            }
            let key = (slots.iter().flatten().count(), std::cmp::Reverse(s));
            if best.as_ref().is_none_or(|(count, first, _)| key >= (*count, *first)) {
                best = Some((key.0, key.1, slots.clone()));
            }
        }
        best.map(|(_, _, slots)| slots)
    }

    /// The windows of an `all` group in which every part has a full match: one sentence (and
    /// at most [`SENTENCE_SPAN`] words), or `within` words reaching at most into the next
    /// sentence. Calls `f` once per window start, in order, with the match chosen for each part
    /// (an index into `found[part]`: the first in the window, or the first not negated), until
    /// `f` returns true.
    fn each_window(&self, found: &[PartMatches], within: Option<u32>, f: impl FnMut(&[usize]) -> bool) {
        // Looking at every match in reach of each start takes time in the number of matches
        // times the reach: fine for a reach of a sentence or a few dozen words.
        if within.is_none_or(|n| n as usize <= SCAN_REACH) || found.iter().map(|ms| ms.len()).sum::<usize>() <= SCAN_MAX
        {
            self.each_window_scan(found, within, f);
        } else {
            self.each_window_sweep(found, within, f);
        }
    }

    /// [`Matcher::each_window`] by looking, from each window start, at every later match within
    /// reach: quick for the few matches of nearly every answer, and for any number of matches
    /// when the reach is short, but in the square of their number for a wide `within`
    /// ([`Matcher::each_window_sweep`] is for those).
    fn each_window_scan(&self, found: &[PartMatches], within: Option<u32>, mut f: impl FnMut(&[usize]) -> bool) {
        let toks = &self.doc.tokens;
        // (first token, part, match), 12 bytes each.
        let mut items: SmallVec<[(u32, u32, u32); 16]> = SmallVec::new();
        for (pi, ms) in found.iter().enumerate() {
            for (mi, m) in ms.iter().enumerate() {
                items.push((m.first, pi as u32, mi as u32));
            }
        }
        items.sort_unstable();
        let mut chosen: SmallVec<[Option<usize>; 8]> = SmallVec::new();
        let mut picked: SmallVec<[usize; 8]> = SmallVec::new();
        for (li, &(start, _, _)) in items.iter().enumerate() {
            // Of the items with the same start, the first sees every match the others see.
            if li > 0 && items[li - 1].0 == start {
                continue;
            }
            let start = start as usize;
            chosen.clear();
            chosen.resize(found.len(), None);
            let start_sentence = toks[start].sentence;
            for &(s, pi, mi) in &items[li..] {
                let (s, pi, mi) = (s as usize, pi as usize, mi as usize);
                let m = &found[pi][mi];
                let in_window = match within {
                    Some(n) => {
                        m.end().saturating_sub(start) < n as usize && toks[m.end()].sentence <= start_sentence + 1
                    }
                    // One sentence, and not sprawling: unpunctuated answers can be a single
                    // "sentence" of hundreds of words.
                    None => toks[m.first()].sentence == start_sentence && m.end().saturating_sub(start) < SENTENCE_SPAN,
                };
                if !in_window {
                    let reach = within.map_or(SENTENCE_SPAN, |n| n as usize);
                    if s.saturating_sub(start) >= reach
                        || (within.is_none() && toks[m.first()].sentence != start_sentence)
                    {
                        break;
                    }
                    continue;
                }
                let slot = &mut chosen[pi];
                if slot.is_none_or(|o| found[pi][o].negator().is_some() && m.negator().is_none()) {
                    *slot = Some(mi);
                }
            }
            if chosen.iter().all(Option::is_some) {
                picked.clear();
                picked.extend(chosen.iter().flatten().copied());
                if f(&picked) {
                    return;
                }
            }
        }
    }

    /// [`Matcher::each_window`] in time near linear in the number of matches, whatever the
    /// `within`: the same windows, with the same matches chosen. A window starting at token `s`
    /// holds the matches whose first token lies in `s..f` and whose last token lies before `e`,
    /// where `f` and `e` never decrease as `s` grows; each part's matches are taken by first
    /// token, with a [`MinTree`] of their last tokens (and one of the last tokens of those not
    /// negated, when some are) that finds the first of them in the window in a number of steps
    /// logarithmic in their number.
    fn each_window_sweep(&self, found: &[PartMatches], within: Option<u32>, mut f: impl FnMut(&[usize]) -> bool) {
        let toks = &self.doc.tokens;
        // The first token of the first sentence after `sentence` (the number of tokens when
        // there is none).
        let after = |sentence: u32| toks.partition_point(|t| t.sentence <= sentence);
        struct Part<'m> {
            ms: &'m PartMatches,
            /// Indices into the part's matches by first token (then index), unless they come so.
            order: Option<Vec<u32>>,
            ends: MinTree,
            /// Of the matches not negated; `None` when none is negated (the same as `ends`).
            clean_ends: Option<MinTree>,
            /// The first match (in order) not before the window's start.
            next: usize,
        }
        impl Part<'_> {
            fn at(&self, k: usize) -> &PartMatch {
                &self.ms[self.order.as_ref().map_or(k, |o| o[k] as usize)]
            }
            /// The first match (in order) from `from` whose first token is not before `token`.
            fn from(&self, from: usize, token: usize) -> usize {
                let (mut lo, mut hi) = (from, self.ms.len());
                while lo < hi {
                    let mid = (lo + hi) / 2;
                    if self.at(mid).first() < token {
                        lo = mid + 1;
                    } else {
                        hi = mid;
                    }
                }
                lo
            }
        }
        let mut parts: SmallVec<[Part; 4]> = found
            .iter()
            .map(|ms| {
                let order = (!ms.list.is_sorted_by_key(|m| m.first)).then(|| {
                    let mut order: Vec<u32> = (0..ms.len() as u32).collect();
                    order.sort_by_key(|&mi| ms[mi as usize].first);
                    order
                });
                let at = |k: usize| &ms[order.as_ref().map_or(k, |o| o[k] as usize)];
                let negated = ms.iter().any(|m| m.negator().is_some());
                Part {
                    ms,
                    ends: MinTree::new((0..ms.len()).map(|k| at(k).end)),
                    clean_ends: negated.then(|| {
                        MinTree::new(
                            (0..ms.len()).map(|k| if at(k).negator().is_none() { at(k).end } else { u32::MAX }),
                        )
                    }),
                    order,
                    next: 0,
                }
            })
            .collect();
        let mut picked: SmallVec<[usize; 8]> = SmallVec::new();
        // Each window start: the first tokens of the parts' matches, in order.
        while let Some(s) = parts
            .iter()
            .filter(|p| p.next < p.ms.len())
            .map(|p| p.at(p.next).first())
            .min()
        {
            let sentence = toks[s].sentence;
            // Matches first in `s..first_before`, last before `end_before`.
            let (first_before, end_before) = match within {
                Some(n) => {
                    let e = (s + n as usize).min(after(sentence + 1));
                    (e, e)
                }
                None => ((s + SENTENCE_SPAN).min(after(sentence)), s + SENTENCE_SPAN),
            };
            picked.clear();
            let mut whole = true;
            for p in parts.iter() {
                let (lo, hi) = (p.next, p.from(p.next, first_before));
                let bound = end_before as u64;
                let k = match &p.clean_ends {
                    Some(clean) => clean.first_below(lo, hi, bound),
                    None => None,
                }
                .or_else(|| p.ends.first_below(lo, hi, bound));
                match k {
                    Some(k) => picked.push(p.order.as_ref().map_or(k, |o| o[k] as usize)),
                    None => whole = false,
                }
            }
            if whole && f(&picked) {
                return;
            }
            for p in parts.iter_mut() {
                p.next = p.from(p.next, s + 1);
            }
        }
    }

    /// The words of a match, one span per sentence: parts of a group found in the same
    /// sentence make one piece of evidence.
    fn by_sentence(&self, words: &[(u32, TermId, How)]) -> Vec<Span> {
        let mut toks: SmallVec<[(u32, TermId, How); 8]> = SmallVec::from_slice(words);
        toks.sort_by_key(|t| t.0);
        toks.dedup_by_key(|t| t.0);
        let mut out: Vec<Span> = Vec::new();
        for t in toks {
            let sentence = self.doc.tokens[t.0 as usize].sentence;
            match out.last_mut() {
                Some(last) if self.doc.tokens[last.last()].sentence == sentence => last.toks.push(t),
                _ => out.push(Span {
                    toks: SmallVec::from_slice(&[t]),
                }),
            }
        }
        out
    }

    fn evidence(&self, span: &Span, cue: &str, negator: Option<usize>) -> Evidence {
        let toks = &self.doc.tokens;
        let first = &toks[span.first()];
        let last = &toks[span.last()];
        let (line, column) = self.doc.line_col(first.start);
        let words = span
            .toks
            .iter()
            .map(|&(i, term, how)| {
                let t = &toks[i as usize];
                let term = &self.rubric.lexicon.terms[term as usize];
                WordMatch {
                    text: quote::word(&self.doc.text[t.start..t.end]),
                    cue_word: match term.kind {
                        TermKind::Prefix => format!("{}*", term.word),
                        _ => term.word.clone(),
                    },
                    how: match how {
                        How::Exact => "exact",
                        How::Stem => "stem",
                        How::Prefix => "prefix",
                        How::Fuzzy(_) => "fuzzy",
                    },
                    distance: how.distance(),
                }
            })
            .collect();
        let marks: SmallVec<[std::ops::Range<usize>; 4]> = span
            .toks
            .iter()
            .map(|&(i, _, _)| toks[i as usize].start..toks[i as usize].end)
            .collect();
        let sentence = self
            .doc
            .sentences
            .get(first.sentence as usize)
            .cloned()
            .unwrap_or(first.start..last.end);
        let quote = quote::evidence(self.doc.view(), sentence, &marks);
        Evidence {
            quote: crate::text::tokens::tidy_quote(&quote),
            start: first.start,
            end: last.end,
            line,
            column,
            cue: cue.to_string(),
            words,
            negated_by: negator.map(|j| quote::word(&self.doc.text[toks[j].start..toks[j].end])),
        }
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

    /// Extends a phrase match from trie node `node` whose word is the last of `path`: tries
    /// each next word at each place within the gap (a later place may be the one that lets
    /// the rest of the phrase fit). The first complete variant found wins. `None` when the
    /// search has taken `budget` steps (with `path` left as it was then).
    fn follow(
        &self,
        phrase: &Phrase,
        node: usize,
        path: &mut SmallVec<[(u32, TermId, How); 8]>,
        budget: &mut usize,
    ) -> Option<bool> {
        let n = &phrase.nodes[node];
        if n.end {
            return Some(true);
        }
        let toks = &self.doc.tokens;
        let cur = path[path.len() - 1].0;
        let sentence = toks[cur as usize].sentence;
        for &(term, child) in &n.children {
            let list = self.occurrences(term);
            let from = list.partition_point(|&(p, _)| p <= cur);
            for &(p, how) in &list[from..] {
                if p - cur - 1 > phrase.gap || toks[p as usize].sentence != sentence {
                    break;
                }
                *budget = budget.checked_sub(1)?;
                path.push((p, term, how));
                if self.follow(phrase, child as usize, path, budget)? {
                    return Some(true);
                }
                path.pop();
            }
        }
        Some(false)
    }

    /// The word that negates the match `start..=end` ([`negation::negator`]).
    fn negator(&self, start: usize, end: usize) -> Option<usize> {
        negation::negator_with(self.doc, start, end, || {
            self.denials.get_or_init(|| negation::Denials::of(self.doc))
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

    /// Calls `f` with each match of the cue (full or partial, negated or not) that is not
    /// all question echo and not set aside by an `unless` phrase, until `f` returns true: a
    /// phrase's by first then last word; an `all` group's by window; an `any` group's one.
    /// What was set aside is counted in `rejects`.
    fn each_cand<'c>(&self, cue: &'c Cue, rejects: &mut Rejects, f: &mut dyn FnMut(Cand<'c>) -> bool) {
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
            f(c)
        };
        match &cue.node {
            CueNode::Phrase(p) => {
                let brief = rejects.brief;
                let mut each = |path: &[(u32, TermId, How)]| {
                    if path.iter().all(|t| self.echo[t.0 as usize]) {
                        rejects.echo += 1;
                        return false;
                    }
                    let (first, last) = (path[0].0 as usize, path[path.len() - 1].0 as usize);
                    let c = Cand {
                        full: true,
                        words: SmallVec::from_slice(path),
                        negator: if cue.negation { self.negator(first, last) } else { None },
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
            CueNode::All { parts, within, partial } => self.all(cue, parts, *within, *partial, rejects, &mut emit),
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
        within: Option<u32>,
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
        self.each_window(&found, within, |chosen| {
            any_window = true;
            let words = chosen
                .iter()
                .enumerate()
                .flat_map(|(pi, &mi)| found[pi].words(&found[pi][mi]).iter().copied())
                .collect();
            let c = Cand {
                full: true,
                words,
                negator: group_negator(&found, chosen),
                source: &cue.source,
                lacking: None,
            };
            f(c, rejects)
        });
        if !any_window
            && partial
            && parts.len() > 1
            && let Some(slots) = self.partly(&found)
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
    /// else its first full match; full when `need` parts have one not negated, else (negated)
    /// when they have one at all, else partial when some part has one not negated.
    fn any<'c>(&self, cue: &'c Cue, parts: &'c [Cue], need: u32, rejects: &mut Rejects) -> Option<Cand<'c>> {
        let mut positive: SmallVec<[Cand; 4]> = SmallVec::new();
        let mut negative: SmallVec<[Cand; 4]> = SmallVec::new();
        for p in parts {
            let mut pick: Option<Cand> = None;
            self.each_cand(p, rejects, &mut |c| {
                if !c.full {
                    return false;
                }
                let positive = c.negator.is_none();
                if positive || pick.is_none() {
                    pick = Some(c);
                }
                positive
            });
            match pick {
                Some(c) if c.negator.is_none() => positive.push(c),
                Some(c) => negative.push(c),
                None => {}
            }
        }
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

    fn trace(&self, cue: &Cue, role: &'static str, seen: &Seen, rejects: &Rejects) -> CueTrace {
        let (positive_full, positive_partial, negated) = (&seen.full, &seen.partial, &seen.negated);
        let at = |c: &Cand| {
            let (l, col) = self.doc.line_col(self.doc.tokens[c.first()].start);
            format!("line {l}, column {col}")
        };
        let (result, detail) = if let Some(c) = positive_full {
            ("matched", format!("found at {}", at(c)))
        } else if let Some(c) = positive_partial {
            (
                "partial",
                format!(
                    "{} ({})",
                    c.lacking.as_deref().map(Lacking::text).unwrap_or_default(),
                    at(c)
                ),
            )
        } else if let Some(c) = negated {
            let word = c
                .negator
                .map(|j| self.doc.text[self.doc.tokens[j].start..self.doc.tokens[j].end].to_string())
                .unwrap_or_default();
            ("negated", format!("found at {} but negated by \"{word}\"", at(c)))
        } else if !rejects.excluded.is_empty() {
            (
                "excluded",
                format!("found, but \"{}\" is in the same sentence", rejects.excluded[0]),
            )
        } else if rejects.echo > 0 {
            ("echo", "found only in text copied from the question".to_string())
        } else {
            ("none", "not found".to_string())
        };
        let near_misses = if result == "none" || result == "partial" {
            self.near_misses(cue)
        } else {
            Vec::new()
        };
        CueTrace {
            cue: cue.source.clone(),
            role,
            result,
            detail,
            near_misses,
        }
    }

    /// Answer words closest to the cue's words that are absent from the answer.
    /// The first token of each distinct word, for explanations.
    fn distinct_tokens(&self) -> &[usize] {
        self.distinct.get_or_init(|| {
            let mut seen = HashSet::new();
            (0..self.doc.tokens.len())
                .filter(|&i| seen.insert(self.doc.word(&self.doc.tokens[i]).norm.as_str()))
                .collect()
        })
    }

    fn near_misses(&self, cue: &Cue) -> Vec<NearMiss> {
        let mut terms: Vec<TermId> = Vec::new();
        collect_terms(cue, &mut terms);
        terms.sort_unstable();
        terms.dedup();
        let mut out = Vec::new();
        for id in terms {
            if self.occurs(id) {
                continue;
            }
            let term = &self.rubric.lexicon.terms[id as usize];
            if term.kind != TermKind::Stem || term.word.chars().count() < 4 {
                continue;
            }
            // One edit beyond the budget: the misses that explain why a word did not count.
            let limit = term.budget as usize + 1;
            let best = self
                .distinct_tokens()
                .iter()
                .map(|&i| (&self.doc.tokens[i], self.doc.word(&self.doc.tokens[i])))
                .filter(|(_, w)| {
                    // Counted no further than a word can be misspelt: an answer "word" can be
                    // megabytes long, and is no near miss.
                    let n = w.norm.chars().take(lexicon::MAX_FUZZY_CHARS + 1).count();
                    (4..=lexicon::MAX_FUZZY_CHARS).contains(&n)
                        && n * 2 >= term.word.chars().count()
                        && !crate::text::lang::is_common_word(&w.norm)
                        && !self.rubric.lexicon.knows_stem(&w.stem(&self.rubric.language))
                })
                .map(|(t, w)| {
                    let d = strsim::osa_distance(&w.norm, &term.word)
                        .min(strsim::osa_distance(&w.stem(&self.rubric.language), &term.stem))
                        .min(strsim::osa_distance(light_stem(&w.norm), light_stem(&term.word)));
                    (d, t, w)
                })
                .filter(|(d, _, _)| *d > 0 && *d <= limit)
                .min_by_key(|(d, t, _)| (*d, t.start));
            if let Some((d, t, w)) = best {
                let (line, column) = self.doc.line_col(t.start);
                let why = if d > term.budget as usize {
                    format!(
                        "{d} edit{} away, {} allowed for a word of {} letters",
                        if d == 1 { "" } else { "s" },
                        term.budget,
                        term.word.chars().count()
                    )
                } else if w.norm.chars().next() != term.word.chars().next() {
                    "the first letters differ (misspellings must keep the first letter)".to_string()
                } else {
                    "it is not taken for a misspelling".to_string()
                };
                out.push(NearMiss {
                    cue_word: term.word.clone(),
                    found: self.doc.text[t.start..t.end].to_string(),
                    distance: d,
                    allowed: term.budget,
                    line,
                    column,
                    why,
                });
            }
        }
        out
    }
}

#[cfg(test)]
mod tests;
