//! Who a match is about, for a rubric with `[people]` ([`People`]): a point about the subject
//! ("Stalin") is not made by a sentence about another actor ("Trotsky was General Secretary").
//!
//! The rules are simple on purpose, and each has paired test sentences (`tests/claims.rs`):
//! - A **mention** is a name of the subject or of another actor (in any form, or misspelt as a
//!   cue word may be), or a pronoun: `he`, `his`, `she`, `her`, `hers` (English). `him` is not
//!   a mention: it is nearly always someone other than the clause's subject.
//! - A **pronoun** stands for the first person named in its sentence before it, else for the
//!   first person named in the last sentence before that names one, else for the subject (in
//!   a sentence of more than [`SENTENCE_SPAN`] words, for the last person named before it).
//! - A match is **about** the nearest person mentioned before it in its clause, not counting
//!   one right after a preposition ("mRNA takes the code from DNA to a ribosome": the mRNA);
//!   else, right
//!   after a relative "who" ("Trotsky feared Stalin, who was General Secretary"), the nearest
//!   before it in the sentence; else the first person mentioned in its sentence before it (the
//!   sentence's subject: "Stalin, unlike Trotsky, was General Secretary"); else the first after
//!   it in the sentence ("As General Secretary, Stalin..."); else the subject: an answer is
//!   about its subject unless it says otherwise. Names inside the match itself are not looked at.
//!   As everywhere, "its sentence" is also within [`SENTENCE_SPAN`] words of the match.

use super::{Matcher, SENTENCE_SPAN};
use crate::scheme::People;
use crate::text::tokens::Document;

/// The rubric's subject, as an actor.
pub(super) const SUBJECT: u16 = 0;
/// A pronoun not yet resolved.
const PRONOUN: u16 = u16::MAX;

/// The people an answer mentions, in order: (token, actor), pronouns resolved.
pub(super) struct Mentions(Vec<(u32, u16)>);

impl Mentions {
    pub(super) fn of(m: &Matcher, people: &People) -> Mentions {
        let mut list: Vec<(u32, u16)> = Vec::new();
        for &(term, actor) in &people.terms {
            list.extend(m.occurrences(term).iter().map(|&(tok, _)| (tok, actor)));
        }
        for &term in &people.pronouns {
            list.extend(m.occurrences(term).iter().map(|&(tok, _)| (tok, PRONOUN)));
        }
        // A word that names two people (a misspelling close to both) counts as the first.
        list.sort_unstable();
        list.dedup_by_key(|e| e.0);
        let toks = &m.doc.tokens;
        // The first person named in the current sentence (and where), in the last sentence
        // naming one, and the last named at all.
        let (mut sentence, mut first, mut last, mut latest) = (u32::MAX, None, None, None);
        for e in &mut list {
            let s = toks[e.0 as usize].sentence;
            if s != sentence {
                last = first.map(|(_, a)| a).or(last);
                first = None;
                sentence = s;
            }
            if e.1 == PRONOUN {
                // In a "sentence" of hundreds of words (no full stops), the first name is too
                // far back to be meant: the last name before the pronoun is.
                let near = first.filter(|&(tok, _)| e.0 - tok <= SENTENCE_SPAN as u32);
                e.1 = match (first, near) {
                    (Some(_), None) => latest,
                    _ => near.map(|(_, a)| a).or(last),
                }
                .unwrap_or(SUBJECT);
            } else {
                first.get_or_insert((e.0, e.1));
                latest = Some(e.1);
            }
        }
        Mentions(list)
    }

    /// The actor a match starting at token `first`, of words at the tokens `words`, is about
    /// (see the module documentation).
    pub(super) fn actor(&self, doc: &Document, first: usize, words: impl Fn(u32) -> bool) -> u16 {
        let toks = &doc.tokens;
        let sentence = toks[first].sentence;
        let clause = toks[first].clause;
        // "Its sentence" is also within SENTENCE_SPAN words, as everywhere: an answer without
        // full stops is one sentence, and looking through all of it for every match would take
        // time in the square of its length.
        let start =
            (toks[..first].partition_point(|t| t.sentence < sentence)).max(first.saturating_sub(SENTENCE_SPAN)) as u32;
        let lo = self.0.partition_point(|e| e.0 < start);
        let mid = self.0.partition_point(|e| e.0 < first as u32);
        let before = &self.0[lo..mid];
        // Clauses are numbered in order: the nearest mention in the clause that is not the
        // object of a preposition ("mRNA takes the code from DNA to a ribosome").
        let in_clause = before.iter().rev().take_while(|e| toks[e.0 as usize].clause == clause);
        if let Some(&(_, actor)) = in_clause.into_iter().find(|e| !after_preposition(doc, e.0 as usize)) {
            return actor;
        }
        // The clause's first word, or the word before it ("who then backed him"), is "who".
        let mut open = first;
        while open > start as usize && open + SENTENCE_SPAN > first && toks[open - 1].clause == clause {
            open -= 1;
        }
        let relative = (open.saturating_sub(1)..=open)
            .filter(|&j| j >= start as usize)
            .any(|j| matches!(doc.word(&toks[j]).norm.as_str(), "who" | "whom"));
        match (relative, before.first(), before.last()) {
            (true, _, Some(&(_, actor))) | (false, Some(&(_, actor)), _) => return actor,
            _ => {}
        }
        self.0[mid..]
            .iter()
            .take_while(|e| toks[e.0 as usize].sentence == sentence && (e.0 as usize) < first + SENTENCE_SPAN)
            .find(|e| !words(e.0))
            .map_or(SUBJECT, |e| e.1)
    }
}

/// Whether the word before token `k`, in its clause, is a preposition: a name after one
/// ("from DNA", "to Stalin", "with Trotsky") is not who the clause is about.
fn after_preposition(doc: &Document, k: usize) -> bool {
    let toks = &doc.tokens;
    k > 0
        && toks[k - 1].clause == toks[k].clause
        && matches!(
            doc.word(&toks[k - 1]).norm.as_str(),
            "from"
                | "to"
                | "with"
                | "by"
                | "of"
                | "than"
                | "into"
                | "onto"
                | "like"
                | "unlike"
                | "against"
                | "for"
                | "about"
                | "over"
                | "towards"
                | "toward"
                | "at"
                | "on"
                | "in"
        )
}
