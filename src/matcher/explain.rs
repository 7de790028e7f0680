//! What a finding tells: the evidence of a match ([`Matcher::evidence`]), and for `--explain`
//! the trace of every cue with its near misses ([`Matcher::trace`]).

use std::collections::HashSet;

use smallvec::SmallVec;

use super::{Cand, CueTrace, Evidence, Lacking, Matcher, NearMiss, Rejects, WordMatch, Words, quote};
use crate::lexicon::{self, How, TermId, TermKind, light_stem};
use crate::scheme::{Cue, collect_terms};

/// The words of a match in one sentence, in order, for its evidence ([`Matcher::by_sentence`]).
#[derive(Debug, Clone)]
pub(super) struct Span {
    toks: Words,
}

impl Span {
    pub(super) fn first(&self) -> usize {
        self.toks.first().map_or(0, |t| t.0 as usize)
    }
    pub(super) fn last(&self) -> usize {
        self.toks.last().map_or(0, |t| t.0 as usize)
    }
}

/// The first match of a cue of each kind, for its trace ([`Matcher::trace`]).
#[derive(Default)]
pub(super) struct Seen<'c> {
    /// Full and not negated; partial and not negated; negated.
    full: Option<Cand<'c>>,
    partial: Option<Cand<'c>>,
    negated: Option<Cand<'c>>,
}

impl<'c> Seen<'c> {
    pub(super) fn note(&mut self, c: &Cand<'c>) {
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

impl Matcher<'_> {
    /// The words of a match, one span per sentence: parts of a group found in the same
    /// sentence make one piece of evidence.
    pub(super) fn by_sentence(&self, words: &[(u32, TermId, How)]) -> Vec<Span> {
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

    /// The negation word at token `j` as written: the whole contraction for its "not" ("don't",
    /// not "n't"; the two words of a contraction touch).
    fn negation_word(&self, j: usize) -> &str {
        let toks = &self.doc.tokens;
        let start = match j.checked_sub(1) {
            Some(i) if toks[i].end == toks[j].start => toks[i].start,
            _ => toks[j].start,
        };
        &self.doc.text[start..toks[j].end]
    }

    pub(super) fn evidence(&self, span: &Span, cue: &str, negator: Option<usize>) -> Evidence {
        let toks = &self.doc.tokens;
        let first = &toks[span.first()];
        let last = &toks[span.last()];
        let (line, column) = self.doc.line_col(first.start);
        let words = span
            .toks
            .iter()
            .map(|&(i, term_id, how)| {
                let term = &self.rubric.lexicon.terms[term_id as usize];
                WordMatch {
                    text: quote::word(&self.doc.text[self.word_range(i, term_id)]),
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
        let marks: SmallVec<[std::ops::Range<usize>; 4]> =
            span.toks.iter().map(|&(i, term, _)| self.word_range(i, term)).collect();
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
            end: span
                .toks
                .iter()
                .map(|&(i, t, _)| self.word_range(i, t).end)
                .max()
                .unwrap_or(last.end),
            line,
            column,
            cue: cue.to_string(),
            words,
            negated_by: negator.map(|j| quote::word(self.negation_word(j))),
        }
    }

    pub(super) fn trace(&self, cue: &Cue, role: &'static str, seen: &Seen, rejects: &Rejects) -> CueTrace {
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
            let word = c.negator.map(|j| self.negation_word(j)).unwrap_or_default();
            ("negated", format!("found at {} but negated by \"{word}\"", at(c)))
        } else if !rejects.excluded.is_empty() {
            (
                "excluded",
                format!("found, but \"{}\" is in the same sentence", rejects.excluded[0]),
            )
        } else if let (Some(actor), Some(people)) = (rejects.other, &self.rubric.people) {
            let name = |a: u16| people.names.get(a as usize).map_or("", String::as_str);
            ("other", format!("found, but about {}, not {}", name(actor), name(0)))
        } else if rejects.copied > 0 {
            ("copied", "found only in text copied from the source".to_string())
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
    pub(super) fn distinct_tokens(&self) -> &[usize] {
        self.distinct.get_or_init(|| {
            let mut seen = HashSet::new();
            (0..self.doc.tokens.len())
                .filter(|&i| seen.insert(self.doc.word(&self.doc.tokens[i]).norm.as_str()))
                .collect()
        })
    }

    pub(super) fn near_misses(&self, cue: &Cue) -> Vec<NearMiss> {
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
