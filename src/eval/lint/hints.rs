//! Hints that may give the answer away: a hint (each step of a hint written in steps) or a
//! `still` that holds a cue word of its own point's label ("What was Sovnarkom?" for the point
//! labelled "The Council of People's Commissars (Sovnarkom)"). A student reads the hint while
//! the point is not yet made, and would copy the word. Words of the question itself, and words
//! found in almost any answer, and cue words other points use too, are not counted.

use std::collections::{HashMap, HashSet};

use super::Warning;
use crate::lexicon::TermId;
use crate::scheme::{Point, Question, Rubric};
use crate::text::read::Format;
use crate::text::tokens::Document;

/// The terms of the lexicon that words of `text` match, with the words as written.
fn words(rubric: &Rubric, text: &str) -> Vec<(TermId, String)> {
    let doc = Document::new(text.to_string(), Format::Text, &rubric.language);
    let mut out = Vec::new();
    for t in &doc.tokens {
        let word = doc.word(t);
        if crate::text::lang::is_common_word(&word.norm) {
            continue;
        }
        rubric
            .lexicon
            .lookup_memo(&word.norm, || word.stem(&rubric.language), &mut |id, _| {
                out.push((id, doc.text[t.start..t.end].to_string()));
            });
    }
    out
}

/// How many points of the rubric use each cue word: counted once per rubric, so that lint
/// stays linear in the number of points (a rubric can have thousands).
pub(super) fn points_per_term(rubric: &Rubric) -> HashMap<TermId, u32> {
    let mut counts: HashMap<TermId, u32> = HashMap::new();
    for p in rubric.questions.iter().flat_map(|q| &q.points) {
        let mut terms = p.terms.clone();
        terms.dedup();
        for t in terms {
            *counts.entry(t).or_default() += 1;
        }
    }
    counts
}

/// A warning for each hint step (and the `still`) of point `p` of question `q` holding a cue
/// word of the point's label that the question does not use. `owners` is
/// [`points_per_term`] of the rubric.
pub(super) fn giveaways(rubric: &Rubric, q: &Question, p: &Point, owners: &HashMap<TermId, u32>) -> Vec<Warning> {
    let public: HashSet<TermId> = words(rubric, &q.prompt).into_iter().map(|(t, _)| t).collect();
    // A cue word other points use too is the topic's common ground ("party"), not this answer.
    let shared = |t: &TermId| owners.get(t).is_some_and(|&n| n > 1);
    let telling: HashSet<TermId> = words(rubric, &p.label)
        .into_iter()
        .map(|(t, _)| t)
        .filter(|t| p.terms.binary_search(t).is_ok() && !public.contains(t) && !shared(t))
        .collect();
    if telling.is_empty() {
        return Vec::new();
    }
    let steps = p.hints.len();
    let texts = p.hints.iter().enumerate().map(|(i, h)| {
        let what = if steps == 1 {
            "the hint".to_string()
        } else {
            format!("hint step {}", i + 1)
        };
        (what, h.as_str())
    });
    let mut out = Vec::new();
    for (what, text) in texts.chain(p.still.as_deref().map(|s| ("`still`".to_string(), s))) {
        let mut said: Vec<String> = Vec::new();
        for (t, w) in words(rubric, text) {
            if telling.contains(&t) && !said.contains(&w) {
                said.push(w);
            }
        }
        if said.is_empty() {
            continue;
        }
        let quoted: Vec<String> = said.iter().map(|w| format!("\"{w}\"")).collect();
        out.push(Warning {
            line: p.line,
            message: format!(
                "{what} of point `{}` says {}, a cue word of its label: it may give the answer away",
                p.id,
                quoted.join(", ")
            ),
        });
    }
    out
}
