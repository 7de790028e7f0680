//! Warnings about a rubric that is valid but likely to mislead: the same cue in two points,
//! cues made only of words found in almost any answer, cues that match the question's own
//! wording, synonym sets never used, `quote = true` without a source passage, hints (each
//! step of a hint in steps) that hold a cue word of their point's label ([`hints`]).

mod hints;

use std::collections::HashMap;

use crate::lexicon::TermId;
use crate::matcher::{Detail, Status};
use crate::scheme::{Cue, CueNode, Point, Rubric};
use crate::text::read::Format;
use crate::text::tokens::Document;

/// One lint finding, at a line of the rubric.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub line: usize,
    pub message: String,
}

fn phrases<'c>(cue: &'c Cue, out: &mut Vec<&'c Cue>) {
    match &cue.node {
        CueNode::Phrase(_) => out.push(cue),
        CueNode::All { parts, .. } | CueNode::Any { parts, .. } => parts.iter().for_each(|p| phrases(p, out)),
    }
}

/// How many variants of a common cue a warning quotes.
const COMMON_SHOWN: usize = 3;

/// The variants of phrase `ph` made only of words found in almost any answer, as text.
fn common_variants(rubric: &Rubric, ph: &crate::scheme::Phrase) -> Vec<String> {
    let word = |t: &TermId| rubric.lexicon.terms[*t as usize].word.as_str();
    let common = |v: &&Vec<TermId>| v.iter().all(|t| crate::text::lang::is_common_word(word(t)));
    ph.variants
        .iter()
        .filter(common)
        .map(|v| v.iter().map(word).collect::<Vec<_>>().join(" "))
        .collect()
}

/// Whether cue `c` can be matched by common words alone: a phrase with such a variant, an `all`
/// group every part of which can, an `any` group with `need` parts that can.
fn common_alone(rubric: &Rubric, c: &Cue) -> bool {
    match &c.node {
        CueNode::Phrase(ph) => !common_variants(rubric, ph).is_empty(),
        CueNode::All { parts, .. } => parts.iter().all(|p| common_alone(rubric, p)),
        CueNode::Any { parts, need } => parts.iter().filter(|p| common_alone(rubric, p)).count() >= *need as usize,
    }
}

/// One warning for a whole cue of point `p` that common words alone can match: a phrase (with
/// a few of its common variants), or a group whose parts can all be (a part of common words
/// inside a group is normal: the group needs its other parts too).
fn common_cue(rubric: &Rubric, p: &Point, c: &Cue) -> Option<Warning> {
    if !common_alone(rubric, c) {
        return None;
    }
    let message = match &c.node {
        CueNode::Phrase(ph) => {
            let found = common_variants(rubric, ph);
            let mut shown: Vec<String> = found.iter().take(COMMON_SHOWN).map(|v| format!("\"{v}\"")).collect();
            if found.len() > COMMON_SHOWN {
                shown.push(format!("{} more", found.len() - COMMON_SHOWN));
            }
            format!(
                "cue \"{}\" of point `{}` can match {}, words found in almost any answer",
                ph.source,
                p.id,
                shown.join(", ")
            )
        }
        _ => format!(
            "cue \"{}\" of point `{}` can be matched by words found in almost any answer in each of its parts",
            c.source, p.id
        ),
    };
    Some(Warning { line: c.line, message })
}

/// Negation words inside a phrase cue: the `|` trap (`"couldn't|could not|cannot read"` reads
/// as (couldn't|could) (not|cannot) read, and matches "could cannot read" but not "couldn't
/// read"), else a note that the cue's own negation is part of what it matches.
fn negation_in_cue(rubric: &Rubric, p: &Point, c: &Cue, ph: &crate::scheme::Phrase) -> Option<Warning> {
    use crate::text::lang::{flags, word_flags_in};
    // The rubric language's negation words and auxiliaries ([`crate::text::lang_words`]).
    let language = rubric.language.name();
    let is_negator = |w: &str| word_flags_in(w, language) & flags::NEGATOR != 0;
    let is_auxiliary = |w: &str| word_flags_in(w, language) & flags::AUXILIARY != 0;
    let word = |t: &TermId| rubric.lexicon.terms[*t as usize].word.as_str();
    // Contractions are read as two words ("couldn't" is "could not"): the trap makes two
    // negations in a row ("could not not", "could not can not") or two auxiliaries before one
    // ("could can not").
    let trap = ph.variants.iter().find(|v| {
        let ws: Vec<&str> = v.iter().map(word).collect();
        ws.windows(2).any(|w| is_negator(w[0]) && is_negator(w[1]))
            || ws.windows(3).any(|w| {
                (is_negator(w[0]) && is_auxiliary(w[1]) && is_negator(w[2]))
                    || (is_auxiliary(w[0]) && is_auxiliary(w[1]) && w[2] == "not")
            })
    });
    if let Some(v) = trap {
        let words: Vec<&str> = v.iter().map(word).collect();
        return Some(Warning {
            line: c.line,
            message: format!(
                "cue \"{}\" of point `{}` can match \"{}\": `|` without spaces binds single words; for \
                 alternatives of several words put spaces around ` | ` and brackets, as in \
                 \"(couldn't | could not) read\"",
                ph.source,
                p.id,
                words.join(" ")
            ),
        });
    }
    let negation = ph.variants.iter().flatten().map(word).find(|&w| is_negator(w))?;
    (c.negation).then(|| Warning {
        line: c.line,
        message: format!(
            "cue \"{}\" of point `{}` holds the negation word \"{negation}\": it matches answers that say it \
             (its own negation word does not cancel it); if the point is meant in the negative, say so with \
             `negation = false` on the cue",
            ph.source, p.id
        ),
    })
}

/// Lints a compiled rubric.
pub fn lint(rubric: &Rubric) -> Vec<Warning> {
    let mut warnings = Vec::new();
    let terms = &rubric.lexicon.terms;
    let mut owners: HashMap<&Vec<TermId>, Vec<(&str, usize, &str)>> = HashMap::new();
    let owners_of_terms = hints::points_per_term(rubric);
    for q in &rubric.questions {
        for p in q.points.iter().chain(&q.misconceptions) {
            if p.quote && rubric.source.is_none() {
                warnings.push(Warning {
                    line: p.line,
                    message: format!(
                        "point `{}` allows quoting (`quote = true`), but the rubric names no source passage \
                         (`source` or `source_text`) to quote: the key changes nothing",
                        p.id
                    ),
                });
            }
            let mut ps = Vec::new();
            for c in p.cues.iter().chain(&p.partial_cues) {
                phrases(c, &mut ps);
            }
            // A phrase that is a whole cue on its own earns the point by itself: the same
            // phrase as a whole cue of two points credits both for one sentence. (Words
            // shared inside groups are normal: "oversee" is significance for many posts.)
            for c in p.cues.iter() {
                let CueNode::Phrase(ph) = &c.node else { continue };
                for v in &ph.variants {
                    let list = owners.entry(v).or_default();
                    if !list.iter().any(|(id, _, _)| *id == p.id) {
                        list.push((&p.id, c.line, &ph.source));
                    }
                }
            }
            for c in ps {
                let CueNode::Phrase(ph) = &c.node else { continue };
                warnings.extend(negation_in_cue(rubric, p, c, ph));
            }
            for c in p.cues.iter().chain(&p.partial_cues) {
                warnings.extend(common_cue(rubric, p, c));
            }
        }
        for p in &q.points {
            warnings.extend(hints::giveaways(rubric, q, p, &owners_of_terms));
        }
    }
    let mut shared: Vec<_> = owners.into_iter().filter(|(_, o)| o.len() > 1).collect();
    shared.sort_by_key(|(_, o)| o[1].1);
    for (v, o) in shared {
        let words: Vec<&str> = v.iter().map(|t| terms[*t as usize].word.as_str()).collect();
        let names: Vec<String> = o.iter().map(|(id, line, _)| format!("`{id}` (line {line})")).collect();
        warnings.push(Warning {
            line: o[1].1,
            message: format!(
                "\"{}\" is a cue of several points: {}",
                words.join(" "),
                names.join(", ")
            ),
        });
    }
    // Cues that fire on the question's own wording. Every text against every point would take
    // the product of their numbers (minutes for a rubric of thousands of questions), and the
    // trace of every cue looks for near misses: so each text is matched only against the points
    // one of whose words it holds (a point none of whose words occur cannot match), and traced
    // only for the points it covers (a cue that matches covers its point).
    let points: Vec<&Point> = rubric
        .questions
        .iter()
        .flat_map(|q| q.points.iter().chain(&q.misconceptions))
        .collect();
    let mut by_term: Vec<Vec<usize>> = vec![Vec::new(); rubric.lexicon.len()];
    for (i, p) in points.iter().enumerate() {
        for &t in &p.terms {
            by_term[t as usize].push(i);
        }
    }
    let mut texts = vec![("the title", rubric.title.clone())];
    for q in &rubric.questions {
        texts.push(("a question", q.prompt.clone()));
    }
    for (what, text) in texts {
        let doc = Document::new(text.clone(), Format::Text, &rubric.language);
        let mut candidates = Vec::new();
        for t in &doc.tokens {
            rubric.lexicon.lookup_memo(
                &doc.word(t).norm,
                || doc.word(t).stem(&rubric.language),
                &mut |id, _| {
                    candidates.extend_from_slice(&by_term[id as usize]);
                },
            );
        }
        if candidates.is_empty() {
            continue;
        }
        candidates.sort_unstable();
        candidates.dedup();
        let m = crate::matcher::Matcher::without_echo(rubric, &doc);
        for p in candidates.into_iter().map(|i| points[i]) {
            if m.point_with(p, Detail::Status).status != Status::Covered {
                continue;
            }
            let f = m.point(p, true);
            // The words that echo the text ("invasive" ~ invasion): a cue word can stem like
            // a prompt word without looking like it.
            let echoed: Vec<String> = f
                .evidence
                .iter()
                .flat_map(|e| &e.words)
                .map(|w| {
                    if w.text.to_lowercase() == w.cue_word {
                        format!("\"{}\"", w.text)
                    } else {
                        format!("\"{}\" ~ {}", w.text, w.cue_word)
                    }
                })
                .collect();
            for t in f.trace.iter().filter(|t| t.result == "matched" && t.role == "cue") {
                let line = p
                    .cues
                    .iter()
                    .chain(&p.partial_cues)
                    .find(|c| c.source == t.cue)
                    .map_or(p.line, |c| c.line);
                warnings.push(Warning {
                    line,
                    message: format!(
                        "cue \"{}\" of point `{}` matches {what}'s own wording (\"{text}\"; {}): it proves nothing a student could not copy",
                        t.cue,
                        p.id,
                        echoed.join(", ")
                    ),
                });
            }
        }
    }
    for (name, line) in &rubric.unused_synonyms {
        warnings.push(Warning {
            line: *line,
            message: format!("synonym set `{name}` is never used in a cue (use it as `@{name}`)"),
        });
    }
    warnings.sort_by_key(|w| w.line);
    warnings.dedup();
    warnings
}

#[cfg(test)]
mod tests {
    use super::lint;
    use crate::testing::one_point;

    fn messages(prompt: &str, cues: &str) -> Vec<String> {
        let rubric = one_point("title = \"Reading\"", prompt, cues);
        lint(&rubric).into_iter().map(|w| w.message).collect()
    }

    /// A cue's own negation word is told in the rubric's language.
    #[test]
    fn a_negation_word_in_a_cue_is_told_in_the_rubric_language() {
        let french = one_point(
            "title = \"Lecture\"\nlanguage = \"french\"",
            "Pourquoi ?",
            r#"cues = ["ne savait pas lire"]"#,
        );
        let got: Vec<String> = lint(&french).into_iter().map(|w| w.message).collect();
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(got[0].contains("holds the negation word \"ne\""), "{}", got[0]);
        // The same words are no negation in English: "pas" is not one of its words.
        assert!(messages("Why?", r#"cues = ["pas lire"]"#).is_empty());
    }

    #[test]
    fn the_bar_trap_is_named_with_the_variant_it_makes() {
        let got = messages("Why?", r#"cues = ["couldn't|could not|cannot|can't read"]"#);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(got[0].contains("can match \"could not not read\""), "{}", got[0]);
        assert!(got[0].contains("(couldn't | could not) read"), "{}", got[0]);
        // Written as meant: no trap, only the note on the negation word.
        let got = messages("Why?", r#"cues = ["(couldn't | could not | cannot | can't) read"]"#);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(got[0].contains("holds the negation word \"not\""), "{}", got[0]);
        // Two alternations that are not the trap.
        assert!(messages("Why?", r#"cues = ["appoint|promote his|their allies"]"#).is_empty());
    }

    /// Common words: one warning per whole cue that they alone can match (a phrase, naming a
    /// few of its variants; a group each part of which they can match), none for a part of
    /// common words inside a group that needs other parts too.
    #[test]
    fn common_words_are_one_warning_per_cue_that_they_alone_can_match() {
        let got = messages("Why?", r#"cues = ["make|keep|stay|get|be|is it"]"#);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(
            got[0].contains(r#"can match "make it", "get it", "be it", 1 more, words found"#),
            "{}",
            got[0]
        );
        // A common part beside a part of its own: the group is sound.
        assert!(messages("Why?", r#"cues = [{ all = ["make|keep|get", "cooler"] }]"#).is_empty());
        let got = messages("Why?", r#"cues = [{ all = ["make|keep|get", "it|one"] }]"#);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(got[0].contains("in each of its parts"), "{}", got[0]);
        // `any`: enough common parts to reach `need`.
        assert!(messages("Why?", r#"cues = [{ any = ["the", "cooler", "warmer"], need = 2 }]"#).is_empty());
        assert_eq!(
            messages("Why?", r#"cues = [{ any = ["the", "it", "warmer"], need = 2 }]"#).len(),
            1
        );
    }

    #[test]
    fn a_cue_meant_in_the_negative_says_so_with_negation_false() {
        assert!(messages("Why?", r#"cues = [{ phrase = "could not read", negation = false }]"#).is_empty());
        let got = messages("Why?", r#"cues = ["could not read"]"#);
        assert!(got[0].contains("negation = false"), "{got:?}");
    }

    #[test]
    fn quoting_without_a_source_passage_is_named() {
        let got = messages("Why?", "quote = true\ncues = [\"armies\"]");
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(got[0].starts_with("point `p` allows quoting"), "{}", got[0]);
        let with_source = one_point(
            "title = \"Reading\"\nsource_text = \"The armies marched.\"",
            "Why?",
            "quote = true\ncues = [\"armies\"]",
        );
        assert!(lint(&with_source).is_empty());
    }

    #[test]
    fn the_echo_warning_names_the_echoed_word() {
        let got = messages("Which invasive species spread?", r#"cues = ["invasion"]"#);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(got[0].contains("\"invasive\" ~ invasion"), "{}", got[0]);
    }
}
