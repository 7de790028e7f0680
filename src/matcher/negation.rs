//! Negation: a cue found inside a negated clause ("Stalin did not rise through patronage",
//! "the recruits weren't loyal to him") earns nothing.
//!
//! A match is negated when a negation word stands in the same clause at most
//! [`LOOK_BACK`] words before it, or right after it behind auxiliaries only ("patronage was
//! not..."). "not only" and "not just" are not negations. Clauses end at commas, semicolons,
//! brackets, dashes and words such as `but` and `because`.

use crate::text::lang;
use crate::text::tokens::Document;

/// How many words before a match a negation word may stand.
pub const LOOK_BACK: usize = 4;

/// The token index of the word that negates the match `start..=end`, if any.
pub fn negator(doc: &Document, start: usize, end: usize) -> Option<usize> {
    let toks = &doc.tokens;
    let clause = toks.get(start)?.clause;
    let cancelled = |j: usize| toks.get(j + 1).is_some_and(|n| lang::cancels_negation(&n.norm));
    for j in (start.saturating_sub(LOOK_BACK)..start).rev() {
        if toks[j].clause != clause {
            break;
        }
        if lang::is_negator(&toks[j].norm) && !cancelled(j) {
            return Some(j);
        }
    }
    let clause = toks.get(end)?.clause;
    for k in end + 1..(end + 4).min(toks.len()) {
        let t = &toks[k];
        if t.clause != clause {
            break;
        }
        let verbal = t.norm == "not"
            || t.norm == "never"
            || (lang::is_negator(&t.norm) && t.norm.len() > 3 && t.norm.ends_with('t') && t.norm != "without");
        if verbal && !cancelled(k) {
            return Some(k);
        }
        if !lang::is_auxiliary(&t.norm) {
            break;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::lang::Language;
    use crate::text::read::Format;

    fn negated(text: &str, word: &str) -> bool {
        let d = Document::new(text.to_string(), Format::Text, &Language::english());
        let i = d
            .tokens
            .iter()
            .position(|t| t.norm == word)
            .unwrap_or_else(|| panic!("{word} not in {text}"));
        negator(&d, i, i).is_some()
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
        ];
        for (text, word, want) in cases {
            assert_eq!(negated(text, word), want, "{text}");
        }
    }
}
