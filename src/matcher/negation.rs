//! Negation: a cue found inside a negated clause ("Stalin did not rise through patronage",
//! "the recruits weren't loyal to him") earns nothing.
//!
//! A match is negated when a negation word stands in the same clause at most
//! [`LOOK_BACK`] words before it, or right after it behind auxiliaries only ("patronage was
//! not..."). "not only" and "not just" are not negations. Clauses end at commas, semicolons,
//! brackets, dashes and words such as `but` and `because`.

use super::SENTENCE_SPAN;
use crate::text::lang::{self, flags};
use crate::text::lang_words;
use crate::text::tokens::Document;

/// How many words before a match a negation word may stand.
pub const LOOK_BACK: usize = 6;

/// How many words before a match, in its clause, a refusal or counterfactual ("failed to",
/// "unable to", "prevented ... from", "instead of", "if he had") may stand: it denies the whole
/// clause after it ("he failed to bring in the Lenin enrolment of new members").
pub const REFUSAL_REACH: usize = 12;

/// The token index of the word that negates the match `start..=end`, if any, for one match on
/// its own (the tests'; a matcher finds the answer's denials once, for [`negator_with`]).
#[cfg(test)]
pub fn negator(doc: &Document, start: usize, end: usize) -> Option<usize> {
    negator_with(doc, start, end, || Denials::around(doc, start, end))
}

/// Where an answer's negations can be, found once per answer (each match used to scan the
/// words around it, and the rest of its sentence):
/// - the words that deny what came before them in their sentence ("... but I don't think so",
///   "that is wrong", "there is no evidence");
/// - every word that may negate a match near it (a negation word, the head of a refusal):
///   a match with none in reach is settled by two binary searches (nearly every match).
///
/// Both are token indices, in order.
#[derive(Debug, Default)]
pub struct Denials {
    denials: Vec<u32>,
    negating: Vec<u32>,
    /// Denials of the rest of their sentence ([`prefix_denial`]): (the first token denied, the
    /// word that denies it), in order.
    prefixes: Vec<(u32, u32)>,
}

impl Denials {
    /// Every denial and negating word of the answer.
    pub fn of(doc: &Document) -> Denials {
        Denials::among(doc, 0..doc.tokens.len())
    }

    /// The denials and negating words a match of tokens `start..=end` can meet (for a single
    /// match; a matcher finds them all once): those in reach before it and after it.
    #[cfg(test)]
    fn around(doc: &Document, start: usize, end: usize) -> Denials {
        Denials::among(
            doc,
            start.saturating_sub(REFUSAL_REACH)..(end + SENTENCE_SPAN + 1).min(doc.tokens.len()),
        )
    }

    fn among(doc: &Document, range: std::ops::Range<usize>) -> Denials {
        match doc.words_in_order() {
            Some(words) => Denials::by(doc, range, |k| &words[k]),
            None => Denials::by(doc, range, |k| doc.word(&doc.tokens[k])),
        }
    }

    #[inline(always)]
    fn by<'w>(
        doc: &Document,
        range: std::ops::Range<usize>,
        word: impl Fn(usize) -> &'w crate::text::tokens::Word,
    ) -> Denials {
        let mut d = Denials::default();
        for k in range {
            let f = word(k).flags;
            if f & (flags::NEGATOR | flags::REFUSAL_HEAD) != 0 {
                d.negating.push(k as u32);
            }
            if f & flags::DENIAL_HEAD != 0 {
                if denies(doc, k) {
                    d.denials.push(k as u32);
                }
                if let Some(by) = denies_what_follows(doc, k) {
                    d.prefixes.push((k as u32 + 1, by as u32));
                }
            }
        }
        d
    }

    /// Whether a word that may negate stands among the tokens `range`.
    fn negating_in(&self, range: std::ops::Range<usize>) -> bool {
        let from = self.negating.partition_point(|&k| (k as usize) < range.start);
        self.negating.get(from).is_some_and(|&k| (k as usize) < range.end)
    }
}

/// [`negator`], with the answer's [`Denials`] (made when first needed).
pub fn negator_with<'d, D: std::borrow::Borrow<Denials> + 'd>(
    doc: &Document,
    start: usize,
    end: usize,
    denials: impl FnOnce() -> D,
) -> Option<usize> {
    // The word of token `j`: in order when words are kept one per token (nearly always).
    match doc.words_in_order() {
        Some(words) => negator_by(doc, |j| &words[j], start, end, denials),
        None => negator_by(doc, |j| doc.word(&doc.tokens[j]), start, end, denials),
    }
}

/// [`negator_with`], with `word(j)` the word of token `j`.
#[inline(always)]
fn negator_by<'w, 'd, D: std::borrow::Borrow<Denials> + 'd>(
    doc: &Document,
    word: impl Fn(usize) -> &'w crate::text::tokens::Word,
    start: usize,
    end: usize,
    denials: impl FnOnce() -> D,
) -> Option<usize> {
    doc.tokens.get(start)?;
    let denials = denials();
    let denials = denials.borrow();
    let prefix = prefix_denial(doc, start, denials);
    let own = own_negator(doc, word, start, end, denials, prefix);
    match prefix {
        // A denial of the rest of the sentence turns the sentence's own negations round: "If
        // he had not been General Secretary, he could not have kept files", "it is not true
        // that he never kept files": both happened.
        Some(by) => own.is_none().then_some(by),
        None => own,
    }
}

/// [`negator_by`] without the denials of a whole sentence ([`prefix_denial`]); `prefix`, the
/// word of such a denial, is not itself taken for a refusal ("if" of "If he had ...").
fn own_negator<'w>(
    doc: &Document,
    word: impl Fn(usize) -> &'w crate::text::tokens::Word,
    start: usize,
    end: usize,
    denials: &Denials,
    prefix: Option<usize>,
) -> Option<usize> {
    let toks = &doc.tokens;
    let clause = toks.get(start)?.clause;
    // The words a negation may stand in, before and after the match (see the loops below):
    // nearly always none.
    if !denials.negating_in(start.saturating_sub(REFUSAL_REACH)..start) && !denials.negating_in(end + 1..end + 4) {
        return denial_after(doc, end, denials);
    }
    let cancelled = |j: usize| j + 1 < toks.len() && word(j + 1).flags & flags::CANCELS != 0;
    // "need to no exactly how much": after "to", "no" is a misspelt "know".
    let misspelt_know = |j: usize| word(j).norm == "no" && j > 0 && word(j - 1).norm == "to";
    // Two-word refusals and counterfactuals: "turned down", "instead of", "rather than",
    // "if he had" (what follows them did not happen).
    let next = |j: usize, k: usize| {
        (j + k < toks.len() && toks[j + k].clause == toks[j].clause).then(|| word(j + k).norm.as_str())
    };
    let refusal = |j: usize| {
        word(j).flags & flags::REFUSAL_HEAD != 0
            && match word(j).norm.as_str() {
                "turned" | "turn" | "turns" | "turning" => next(j, 1) == Some("down"),
                "instead" => next(j, 1) == Some("of"),
                "rather" => next(j, 1) == Some("than"),
                "if" => next(j, 1) == Some("had") || next(j, 2) == Some("had"),
                "failed" | "fail" | "fails" | "failing" | "unable" => next(j, 1) == Some("to"),
                // "prevented the enrolment from ...", "stopped him from ..."
                "prevented" | "stopped" | "barred" | "blocked" => (1..=4).any(|k| next(j, k) == Some("from")),
                // Other languages' ([`lang_words`]): "au lieu de", "plutôt que", "en lugar de",
                // "en vez de", "em vez de", "invece di", "piuttosto che", "in plaats van", and
                // "si/se/wenn/falls" before a past form ("si Staline avait", "se avesse").
                "lieu" | "lugar" | "vez" => next(j, 1).is_some_and(|w| {
                    matches!(w, "de" | "du" | "des" | "del" | "do" | "da" | "dos" | "das") || w.starts_with("d'")
                }),
                "plutôt" | "piuttosto" => next(j, 1) == Some("que") || next(j, 1) == Some("che"),
                "invece" => next(j, 1).is_some_and(|w| {
                    matches!(w, "di" | "del" | "della" | "dello" | "dei" | "degli" | "delle") || w.starts_with("dell'")
                }),
                "plaats" => next(j, 1) == Some("van"),
                "si" | "se" | "wenn" | "falls" => {
                    (1..=4).any(|k| next(j, k).is_some_and(|w| lang_words::COUNTERFACTUAL_VERBS.contains(&w)))
                }
                _ => false,
            }
    };
    for j in (start.saturating_sub(REFUSAL_REACH)..start).rev() {
        if toks[j].clause != clause {
            break;
        }
        let negates = start - j <= LOOK_BACK
            && word(j).flags & flags::NEGATOR != 0
            && !cancelled(j)
            && !misspelt_know(j)
            && !compares(doc, &word, j);
        // "avoided patronage", "avoided giving jobs": right before the match only ("he avoided
        // conflict by giving jobs" gave the jobs).
        let avoided = start - j <= 2 && matches!(word(j).norm.as_str(), "avoided" | "avoid" | "avoids" | "avoiding");
        if negates || avoided || (refusal(j) && prefix != Some(j)) {
            return Some(j);
        }
    }
    let clause = toks.get(end)?.clause;
    for (k, t) in toks.iter().enumerate().take(end + 4).skip(end + 1) {
        if t.clause != clause {
            break;
        }
        let w = word(k);
        let verbal = w.flags & flags::NEGATOR != 0
            && (w.norm == "not"
                || w.norm == "never"
                || (w.norm.len() > 3 && w.norm.ends_with('t') && w.norm != "without"));
        if verbal && !cancelled(k) && !compares(doc, &word, k) {
            return Some(k);
        }
        if w.flags & flags::AUXILIARY == 0 {
            break;
        }
    }
    denial_after(doc, end, denials)
}

/// Words that end the reach of a denial of the rest of a sentence: a contrast or a conclusion
/// ("If he had lost, Trotsky would have led, but Stalin used patronage").
fn ends_denial(word: &str) -> bool {
    matches!(
        word,
        "but" | "however" | "although" | "though" | "yet" | "whereas" | "so" | "therefore" | "thus"
    )
}

/// A denial, earlier in the sentence, of everything after it ([`denies_what_follows`]) that
/// reaches the match starting at `start`: the word that denies it.
fn prefix_denial(doc: &Document, start: usize, denials: &Denials) -> Option<usize> {
    let list = &denials.prefixes;
    if list.is_empty() {
        return None;
    }
    let toks = &doc.tokens;
    let sentence = toks.get(start)?.sentence;
    // The last one that starts at or before the match.
    let at = list.partition_point(|&(from, _)| from as usize <= start);
    let &(from, by) = list[..at].last()?;
    let from = from as usize;
    if toks[from.min(start)].sentence != sentence || start - from > SENTENCE_SPAN {
        return None;
    }
    let crossed = (from..start).any(|i| ends_denial(doc.word(&toks[i]).norm.as_str()));
    (!crossed).then_some(by as usize)
}

/// A negation word among the filler words of a match (words between its words that are not
/// themselves words of the cue), given the places of its words in order: "it would not keep
/// the heat" for a cue "would keep the heat", "he used no patronage" for "used patronage". A
/// negation word that is a word of the cue ("could not read" for a cue "could not read") is
/// part of what it matches, and negates nothing.
pub fn among_fillers(doc: &Document, places: impl IntoIterator<Item = u32>) -> Option<usize> {
    let toks = &doc.tokens;
    let mut places = places.into_iter().map(|p| p as usize);
    let mut prev = places.next()?;
    for p in places {
        for j in prev + 1..p {
            let w = doc.word(&toks[j]);
            let cancelled = j + 1 < toks.len() && doc.word(&toks[j + 1]).flags & flags::CANCELS != 0;
            // "need to no exactly": a misspelt "know", as before a match.
            let know = w.norm == "no" && doc.word(&toks[j - 1]).norm == "to";
            if w.flags & flags::NEGATOR != 0 && !cancelled && !know && !compares(doc, &|i| doc.word(&toks[i]), j) {
                return Some(j);
            }
        }
        prev = p;
    }
    None
}

/// Whether the negation word at `j` makes a comparison rather than a denial: "B did not
/// stretch as much (as A)", "it isn't as hot as the black one", "he was not so popular as
/// Trotsky". What it negates happened, to a lesser degree: "as" or "so" and one word, then
/// "as", "than" or the end of the clause, within [`COMPARISON_REACH`] words of it. "He did
/// not rise as Lenin wanted" stays a denial ("as" and a word, then more of the clause).
fn compares<'w>(doc: &Document, word: &impl Fn(usize) -> &'w crate::text::tokens::Word, j: usize) -> bool {
    let toks = &doc.tokens;
    let clause = toks[j].clause;
    let in_clause = |i: usize| i < toks.len() && toks[i].clause == clause;
    (j + 1..j + 1 + COMPARISON_REACH)
        .take_while(|&i| in_clause(i))
        .any(|a| {
            matches!(word(a).norm.as_str(), "as" | "so")
                && in_clause(a + 1)
                && (!in_clause(a + 2) || matches!(word(a + 2).norm.as_str(), "as" | "than"))
        })
}

/// How many words after a negation word the "as much" of a comparison may start.
const COMPARISON_REACH: usize = 4;

/// A later clause of the same sentence that denies what came before: "Some say patronage
/// helped, but I don't think it did", "... but that is wrong", "there is no real evidence".
/// As everywhere, "the same sentence" is also within [`SENTENCE_SPAN`] words: an answer with
/// no full stops is one sentence, and scanning it to its end for every match took time in the
/// square of its length.
fn denial_after(doc: &Document, end: usize, denials: &Denials) -> Option<usize> {
    let toks = &doc.tokens;
    let sentence = toks.get(end)?.sentence;
    let clause = toks[end].clause;
    // Sentences and clauses are numbered in order: the first denial after the match that is
    // still in its sentence (and within reach) and in a later clause.
    let list = &denials.denials;
    let from = list.partition_point(|&k| k as usize <= end);
    for &k in &list[from..] {
        let k = k as usize;
        if k > end + SENTENCE_SPAN || toks[k].sentence != sentence {
            return None;
        }
        // "The idea that he was Lenin's heir is a myth": the myth denies its own clause too.
        if toks[k].clause != clause || doc.word(&toks[k]).norm == "myth" {
            return Some(k);
        }
    }
    None
}

/// Whether the word at `k` (a [`flags::DENIAL_HEAD`]) denies everything after it in its
/// sentence (up to a contrast: [`ends_denial`]); if so, the word that denies (reported as the
/// negation):
/// - a counterfactual condition that starts the sentence: "If Stalin had been General
///   Secretary, he could have kept files" (the `if`);
/// - "it is not true that", "it is false that", "it is a myth that", "it is not the case
///   that", "I don't think that" (the `not`, `false`, `myth`... before the `that`);
/// - a "without" that starts a sentence whose later clause is negated ("Without patronage, he
///   could not have won").
fn denies_what_follows(doc: &Document, k: usize) -> Option<usize> {
    let toks = &doc.tokens;
    let sentence = toks[k].sentence;
    let word = |i: usize| {
        toks.get(i)
            .filter(|t| t.sentence == sentence)
            .map_or("", |t| doc.word(t).norm.as_str())
    };
    let back = |n: usize| if k >= n { word(k - n) } else { "" };
    match word(k) {
        "if" => {
            let first = k == 0 || toks[k - 1].sentence != sentence;
            (first && (1..=3).any(|n| word(k + n) == "had")).then_some(k)
        }
        // "Without patronage, he could not have won": a condition, as "if he had not" is,
        // when a later clause of the sentence is negated (then both happened: see
        // [`negator_by`]); "Without patronage, he won" is a plain negation.
        "without" => {
            let first = k == 0 || toks[k - 1].sentence != sentence;
            if !first {
                return None;
            }
            let clause = toks[k].clause;
            let negated_later = (k + 1..(k + SENTENCE_SPAN).min(toks.len()))
                .take_while(|&i| toks[i].sentence == sentence && !ends_denial(word(i)))
                .any(|i| toks[i].clause != clause && doc.word(&toks[i]).flags & flags::NEGATOR != 0);
            negated_later.then_some(k)
        }
        "that" | "who" => {
            let negative = |w: &str| matches!(w, "not" | "isn't" | "isnt" | "wasn't" | "wasnt" | "never");
            let wrong = |w: &str| matches!(w, "wrong" | "false" | "untrue" | "incorrect");
            // "he was not the one who kept files"
            if matches!(back(1), "one" | "person" | "man") && back(2) == "the" && negative(back(3)) {
                return Some(k - 3);
            }
            if word(k) == "who" {
                return None;
            }
            if back(1) == "true" && negative(back(2)) {
                Some(k - 2)
            } else if matches!(back(1), "untrue" | "false" | "incorrect") || (back(1) == "myth" && back(2) == "a") {
                Some(k - 1)
            } else if back(1) == "say" && back(2) == "to" && wrong(back(3)) {
                // "it is wrong to say that"
                Some(k - 3)
            } else if back(1) == "evidence" && (back(2) == "no" || back(3) == "no") {
                // "there is no (real) evidence that"
                Some(if back(2) == "no" { k - 2 } else { k - 3 })
            } else if matches!(back(1), "doubt" | "doubts" | "doubted" | "deny" | "denies" | "denied")
                && !lang::is_negator(back(2))
                && !lang::is_negator(back(3))
            {
                // "historians doubt that", but not "no one doubted that"
                Some(k - 1)
            } else if back(1) == "case" && back(2) == "the" && negative(back(3)) {
                Some(k - 3)
            } else if matches!(back(1), "think" | "believe" | "agree") && lang::is_negator(back(2)) {
                Some(k - 2)
            } else {
                None
            }
        }
        _ => None,
    }
}

/// Whether the word at `k` (a [`flags::DENIAL_HEAD`]) starts a denial of what came before it in
/// its sentence.
fn denies(doc: &Document, k: usize) -> bool {
    let toks = &doc.tokens;
    let sentence = toks[k].sentence;
    let word = |i: usize| {
        toks.get(i)
            .filter(|t| t.sentence == sentence)
            .map_or("", |t| doc.word(t).norm.as_str())
    };
    let back = |n: usize| if k >= n { word(k - n) } else { "" };
    let w = word(k);
    let next = word(k + 1);
    let after = word(k + 2);
    (lang::is_negator(w) && matches!(next, "think" | "believe" | "agree"))
        || (lang::is_negator(w) && next == "really" && matches!(after, "think" | "believe"))
        || (matches!(w, "not" | "isn't" | "isnt" | "wasn't" | "wasnt") && next == "true")
        || (matches!(w, "that" | "this" | "it" | "which")
            && matches!(next, "is" | "was" | "'s")
            && matches!(after, "wrong" | "untrue" | "false" | "nonsense" | "a"))
            && (after != "a" || word(k + 3) == "myth")
        || (w == "no" && (next == "evidence" || (matches!(next, "real" | "hard" | "actual") && after == "evidence")))
        || (w == "myth" && back(1) == "a" && matches!(back(2), "is" | "was"))
        || contradicted(w, back, next, after)
}

/// A short closing denial: "..., but he didn't", "but it never happened", "but that is not
/// true", "but failed" (`w` the negation word or "failed", `back(n)` the word `n` before it,
/// `next` and `after` the two after it; "" past the sentence).
fn contradicted<'a>(w: &str, back: impl Fn(usize) -> &'a str, next: &str, after: &str) -> bool {
    if !(lang::is_negator(w) || w == "failed") {
        return false;
    }
    // Behind the negation: an auxiliary at most ("he did not", "it was not"), then a pronoun at
    // most, then "but".
    let mut n = 1;
    if lang::is_auxiliary(back(n)) {
        n += 1;
    }
    if matches!(back(n), "he" | "she" | "it" | "they" | "that" | "this") {
        n += 1;
    }
    let ends = next.is_empty()
        || (matches!(
            next,
            "happen" | "happened" | "work" | "worked" | "succeed" | "succeeded" | "true" | "so"
        ) && after.is_empty());
    back(n) == "but" && ends
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::lang::Language;
    use crate::text::read::Format;

    fn negated(text: &str, word: &str) -> bool {
        negated_in("english", text, word)
    }

    fn negated_in(language: &str, text: &str, word: &str) -> bool {
        let lang = Language::from_name(language).expect("a language");
        let d = Document::new(text.to_string(), Format::Text, &lang);
        let i = d
            .tokens
            .iter()
            .position(|t| d.word(t).norm == word)
            .unwrap_or_else(|| panic!("{word} not in {text}"));
        negator(&d, i, i).is_some()
    }

    /// Negation in the other languages with lists of their own ([`lang_words`]), each beside
    /// the same words as a claim.
    #[test]
    fn negation_in_other_languages() {
        let cases = [
            (
                "french",
                "Staline n'a pas utilisé le clientélisme.",
                "clientélisme",
                true,
            ),
            ("french", "Staline a utilisé le clientélisme.", "clientélisme", false),
            (
                "french",
                "Staline ne contrôlait jamais le secrétariat.",
                "secrétariat",
                true,
            ),
            (
                "french",
                "Staline contrôlait toujours le secrétariat.",
                "secrétariat",
                false,
            ),
            ("french", "Il a gouverné sans le secrétariat.", "secrétariat", true),
            ("french", "Il a gouverné avec le secrétariat.", "secrétariat", false),
            ("french", "Il n'utilisait que le clientélisme.", "clientélisme", false),
            (
                "french",
                "Il a choisi la terreur au lieu du clientélisme.",
                "clientélisme",
                true,
            ),
            (
                "french",
                "Il a choisi le clientélisme au lieu de la terreur.",
                "clientélisme",
                false,
            ),
            (
                "french",
                "Si Staline avait utilisé le clientélisme, il aurait gagné.",
                "clientélisme",
                true,
            ),
            ("french", "Staline refusa le poste de commissaire.", "commissaire", true),
            ("french", "Staline n'avait jamais l'appareil.", "appareil", true),
            ("french", "Staline avait toujours l'appareil.", "appareil", false),
            ("italian", "Non controllava l'esercito.", "esercito", true),
            ("italian", "Controllava l'esercito.", "esercito", false),
            (
                "french",
                "Il a utilisé le secrétariat, mais pas l'armée.",
                "secrétariat",
                false,
            ),
            ("german", "Stalin nutzte die Patronage nicht.", "patronage", true),
            ("german", "Stalin nutzte die Patronage.", "patronage", false),
            ("german", "Stalin hatte keine Anhänger in der Armee.", "anhänger", true),
            ("german", "Stalin hatte viele Anhänger in der Armee.", "anhänger", false),
            ("german", "Er regierte ohne das Sekretariat.", "sekretariat", true),
            ("german", "Er nutzte nicht nur das Sekretariat.", "sekretariat", false),
            (
                "german",
                "Er nutzte das Sekretariat, aber nie die Armee.",
                "sekretariat",
                false,
            ),
            ("spanish", "Stalin no usó el clientelismo.", "clientelismo", true),
            ("spanish", "Stalin usó el clientelismo.", "clientelismo", false),
            ("spanish", "Stalin nunca controló la secretaría.", "secretaría", true),
            (
                "spanish",
                "Usó el terror en lugar de clientelismo.",
                "clientelismo",
                true,
            ),
            (
                "spanish",
                "Usó el clientelismo en lugar del terror.",
                "clientelismo",
                false,
            ),
            (
                "spanish",
                "Usó el terror en lugar del clientelismo.",
                "clientelismo",
                true,
            ),
            (
                "italian",
                "Usò il terrore invece del clientelismo.",
                "clientelismo",
                true,
            ),
            (
                "italian",
                "Usò il clientelismo invece del terrore.",
                "clientelismo",
                false,
            ),
            (
                "portuguese",
                "Usou o terror em vez do clientelismo.",
                "clientelismo",
                true,
            ),
            (
                "spanish",
                "Si hubiera usado el clientelismo, habría ganado.",
                "clientelismo",
                true,
            ),
            ("spanish", "No solo usó el clientelismo.", "clientelismo", false),
            ("italian", "Stalin non usò il clientelismo.", "clientelismo", true),
            ("italian", "Stalin usò il clientelismo.", "clientelismo", false),
            ("italian", "Stalin governò senza la segreteria.", "segreteria", true),
            (
                "italian",
                "Usò il terrore invece di clientelismo.",
                "clientelismo",
                true,
            ),
            (
                "italian",
                "Se avesse usato il clientelismo, avrebbe vinto.",
                "clientelismo",
                true,
            ),
            ("portuguese", "Stalin não usou o clientelismo.", "clientelismo", true),
            ("portuguese", "Stalin usou o clientelismo.", "clientelismo", false),
            ("portuguese", "Stalin nunca controlou a secretaria.", "secretaria", true),
            (
                "portuguese",
                "Usou o terror em vez de clientelismo.",
                "clientelismo",
                true,
            ),
            ("dutch", "Stalin gebruikte geen patronage.", "patronage", true),
            ("dutch", "Stalin gebruikte patronage.", "patronage", false),
            (
                "dutch",
                "Stalin controleerde nooit het secretariaat.",
                "secretariaat",
                true,
            ),
            ("dutch", "Hij koos terreur in plaats van patronage.", "patronage", true),
            ("dutch", "Hij gebruikte niet alleen patronage.", "patronage", false),
        ];
        for (language, text, word, want) in cases {
            assert_eq!(negated_in(language, text, word), want, "{language}: {text}");
        }
        // Before these lists, English's were used: French and German sentences read as
        // claims.
        assert!(!negated("Staline n'a pas utilisé le clientélisme.", "clientélisme"));
        assert!(!negated("Stalin nutzte die Patronage nicht.", "patronage"));
    }

    #[test]
    fn table_of_negations() {
        let cases = [
            ("Stalin did not rise through patronage.", "patronage", true),
            ("The new members wasn't popular with him.", "popular", true),
            ("they wasnt loyal to him", "loyal", true),
            ("Stalin never used the Secretariat.", "secretariat", true),
            ("Patronage was not important.", "patronage", true),
            ("Stalin used patronage.", "patronage", false),
            ("He not only used patronage but also files.", "patronage", false),
            ("He did not lose, but patronage helped.", "patronage", false),
            ("It was not the army but patronage that helped.", "patronage", false),
            (
                "No one doubted it, and he used patronage for years.",
                "patronage",
                false,
            ),
            ("He had no supporters in the army.", "supporters", true),
            ("You need to no exactly how much vinegar.", "vinegar", false),
            (
                "Some people say patronage helped but I don't think it did.",
                "patronage",
                true,
            ),
            (
                "Historians say he used patronage, but there is no real evidence of it.",
                "patronage",
                true,
            ),
            (
                "Textbooks name the Secretariat, but that is wrong.",
                "secretariat",
                true,
            ),
            (
                "He used patronage, but I think it was the army too.",
                "patronage",
                false,
            ),
            ("Stalin could not really claim to be Lenin's heir.", "heir", true),
            // Refusals and counterfactuals, each beside the same words as a claim.
            ("Trotsky refused the post of Commissar.", "commissar", true),
            ("Trotsky took the post of Commissar.", "commissar", false),
            ("He turned down the post of Commissar.", "commissar", true),
            ("He turned to the post of Commissar.", "commissar", false),
            ("He used the army instead of patronage.", "patronage", true),
            ("He used patronage instead of the army.", "patronage", false),
            ("He relied on force rather than patronage.", "patronage", true),
            ("He relied on patronage rather than force.", "patronage", false),
            ("If he had used patronage he would have won.", "patronage", true),
            ("As he had used patronage he won.", "patronage", false),
            ("Trotsky declined the post of Commissar.", "commissar", true),
            // Contractions are two words, "not" the second: as negating as a written "not".
            ("It wouldn't keep the heat.", "keep", true),
            ("It would keep the heat.", "keep", false),
            ("It won\u{2019}t keep the heat.", "keep", true),
            ("It wont keep the heat.", "keep", true),
            ("He can't read.", "read", true),
            ("He cannot read.", "read", true),
            ("He can read.", "read", false),
            ("Patronage wasn't important.", "patronage", true),
            ("Patronage wasnt important.", "patronage", true),
            ("Patronage was important.", "patronage", false),
            ("Some say patronage helped, but that isn't true.", "patronage", true),
            ("Some say patronage helped, and that is true.", "patronage", false),
            // Comparisons: what is negated happened, to a lesser degree.
            ("Plastic A did not stretch as much as B.", "stretch", false),
            ("Plastic A did not stretch at all.", "stretch", true),
            ("Plastic A didn't stretch as much.", "stretch", false),
            ("Plastic A didn't stretch, as expected.", "stretch", true),
            ("The white doghouse is not as hot as the black one.", "hot", false),
            ("The white doghouse is not hot as the walls are white.", "hot", true),
            ("He did not rise as Lenin wanted him to.", "rise", true),
            ("He was not so popular as Trotsky.", "popular", false),
            // "Failed to", "unable to", "prevented ... from": the whole clause after them.
            (
                "He failed to bring in the Lenin enrolment of new members.",
                "members",
                true,
            ),
            (
                "He failed the test. He brought in the Lenin enrolment of new members.",
                "members",
                false,
            ),
            ("He was unable to keep files on every member.", "files", true),
            ("He was able to keep files on every member.", "files", false),
            (
                "Trotsky prevented the Lenin enrolment from bringing in members.",
                "members",
                true,
            ),
            (
                "Trotsky saw the Lenin enrolment bring in new members from the towns.",
                "members",
                false,
            ),
            // Denials and lacks.
            ("Stalin denied being Lenin's heir.", "heir", true),
            ("Stalin claimed to be Lenin's heir.", "heir", false),
            ("Stalin lacked supporters in the army.", "supporters", true),
            ("Stalin had supporters in the army.", "supporters", false),
            // A counterfactual condition denies the sentence it starts, up to a contrast.
            (
                "If Stalin had been General Secretary, he could have kept files.",
                "files",
                true,
            ),
            (
                "As Stalin had been General Secretary, he could keep files.",
                "files",
                false,
            ),
            (
                "If Stalin had lost, Trotsky would lead, but Stalin kept files.",
                "files",
                false,
            ),
            ("Stalin kept files. If he had not, he would have lost.", "files", false),
            // "It is not true that ...", "it is a myth that ...", "I don't think that ...".
            ("It is not true that Stalin kept files on every member.", "files", true),
            ("It is true that Stalin kept files on every member.", "files", false),
            ("It is a myth that Stalin kept files on every member.", "files", true),
            ("It is a fact that Stalin kept files on every member.", "files", false),
            ("I don't think that Stalin kept files on every member.", "files", true),
            ("I think that Stalin kept files on every member.", "files", false),
            (
                "It is false that Stalin kept files, but he used patronage.",
                "patronage",
                false,
            ),
            // Two denials make a claim: a counterfactual with a negated condition or outcome.
            (
                "If Stalin had not been General Secretary, he could not have kept files.",
                "files",
                false,
            ),
            (
                "If Stalin had not been General Secretary, he could not have kept files.",
                "secretary",
                false,
            ),
            (
                "If Stalin had been General Secretary, he could have kept files.",
                "secretary",
                true,
            ),
            (
                "If he hadn't used patronage, he would never have won.",
                "patronage",
                false,
            ),
            ("It is not true that Stalin never kept files.", "files", false),
            ("Without patronage, Stalin could not have won.", "patronage", false),
            ("Without patronage, Stalin could not have won.", "won", false),
            ("Without patronage, Stalin won.", "patronage", true),
            ("Stalin avoided patronage.", "patronage", true),
            ("Stalin avoided giving jobs to friends.", "jobs", true),
            ("Stalin avoided conflict by giving jobs to friends.", "jobs", false),
            (
                "Stalin won without patronage, but he could not rest.",
                "patronage",
                true,
            ),
            // Closing denials: "..., but he didn't", "but that never happened", "but failed".
            ("Some say Stalin used patronage, but he didn't.", "patronage", true),
            ("Some say Stalin used patronage, and he did.", "patronage", false),
            (
                "Some say Stalin used patronage, but he didn't need the army.",
                "patronage",
                false,
            ),
            ("Stalin used patronage, but that never happened.", "patronage", true),
            ("Stalin tried to use the ban on factions but failed.", "factions", true),
            (
                "Stalin used the ban on factions, and Trotsky failed.",
                "factions",
                false,
            ),
            ("The idea that Stalin was Lenin's heir is a myth.", "heir", true),
            ("The idea that Stalin was Lenin's heir is a good one.", "heir", false),
            ("Stalin was not the one who kept files on every member.", "files", true),
            ("Stalin was the one who kept files on every member.", "files", false),
            (
                "It is wrong to say that Stalin kept files on every member.",
                "files",
                true,
            ),
            (
                "It is right to say that Stalin kept files on every member.",
                "files",
                false,
            ),
            (
                "There is no evidence that Stalin kept files on every member.",
                "files",
                true,
            ),
            (
                "There is evidence that Stalin kept files on every member.",
                "files",
                false,
            ),
            (
                "Historians doubt that Stalin kept files on every member.",
                "files",
                true,
            ),
            ("No one doubted that Stalin kept files on every member.", "files", false),
            (
                "Historians agree that Stalin kept files on every member.",
                "files",
                false,
            ),
        ];
        for (text, word, want) in cases {
            assert_eq!(negated(text, word), want, "{text}");
            // The answer's denials found once (as the matcher does) give the same, for every
            // word and every match of up to three words.
            let d = Document::new(text.to_string(), Format::Text, &Language::english());
            let all = Denials::of(&d);
            for start in 0..d.tokens.len() {
                for end in start..d.tokens.len().min(start + 3) {
                    assert_eq!(
                        negator_with(&d, start, end, || &all),
                        negator(&d, start, end),
                        "{text}: {start}..={end}"
                    );
                }
            }
        }
    }

    /// Negation words between the words of a match negate it; the match's own words do not.
    #[test]
    fn fillers_that_negate() {
        let cases: &[(&str, &[&str], Option<&str>)] = &[
            ("it would not keep the heat", &["would", "keep"], Some("not")),
            ("it wouldn't keep the heat", &["would", "keep"], Some("not")),
            ("it would not keep the heat", &["would", "not", "keep"], None),
            ("it would keep the heat", &["would", "keep"], None),
            ("he used no patronage", &["used", "patronage"], Some("no")),
            ("he used not only patronage", &["used", "patronage"], None),
            ("he needs to no exactly", &["needs", "exactly"], None),
            ("a did not stretch as much", &["a", "stretch"], None),
            ("a did not stretch at all", &["a", "stretch"], Some("not")),
        ];
        for &(text, words, want) in cases {
            let d = Document::new(text.to_string(), Format::Text, &Language::english());
            let norms: Vec<&str> = d.tokens.iter().map(|t| d.word(t).norm.as_str()).collect();
            let mut from = 0;
            let places: Vec<u32> = words
                .iter()
                .map(|w| {
                    let k = from + norms[from..].iter().position(|n| n == w).expect("word in text");
                    from = k + 1;
                    k as u32
                })
                .collect();
            let got = among_fillers(&d, places).map(|j| norms[j]);
            assert_eq!(got, want, "{text} / {words:?}");
        }
    }

    /// A later denial counts within a sentence span only: an answer without full stops is one
    /// sentence, and scanning it to the end for every match took time in the square of its length.
    #[test]
    fn denials_are_looked_for_within_a_sentence_span() {
        let near = "Some say patronage helped him but I don't think it did";
        assert!(negated(near, "patronage"));
        let far = format!(
            "Some say patronage helped him{} but I don't think it did",
            " and then".repeat(25)
        );
        assert!(!negated(&far, "patronage"));
        let long = "patronage helped him and ".repeat(100_000);
        let d = Document::new(long, Format::Text, &Language::english());
        let hits = (0..d.tokens.len()).filter(|&i| d.word(&d.tokens[i]).norm == "patronage");
        assert_eq!(hits.filter(|&i| negator(&d, i, i).is_some()).count(), 0);
    }
}
