//! Question echo in matches: what an answer copies from the title or a question earns nothing,
//! but copying never hides what the student says in their own words.
//!
//! [`crate::lexicon::echo`] marks the answer's words that lie in a run of four or more word
//! stems copied from the title or a prompt ("how that colour might affect the inside of the
//! doghouse"). A match is set aside as echo only when *every* word of it is marked: a phrase
//! made only of copied words, or an `all` or `any` group whose every part matched copied
//! words. A group that takes one part from the copied wording and another from the student's
//! own words counts: in "it would make the inside of the doghouse cooler" the student's
//! "cooler" makes the claim, and "inside ... doghouse" (the prompt's words) only says where.
//! A heading or question copied word for word still earns nothing, whatever its words.
//!
//! Where a part of a group has both kinds of match in a window, the student's own is chosen
//! (after a match not negated before a negated one), so that copying the question above an
//! answer never stands in for the answer. A group found only partly counts only the parts
//! matched in the student's own words, as before, and a group found in full only in copied
//! words may still be found partly in the student's own. The whole match is judged where a
//! point's cues are searched ([`Matcher::point_with`]), not inside a group, so that nested
//! groups are judged as one. Evidence prefers, among matches of a kind, the one with fewest
//! copied words.

use super::Matcher;
use crate::lexicon::{How, TermId};
use crate::scheme::Rubric;
use crate::text::tokens::Document;

/// Which words of `doc` are question echo; empty when none is (nearly every answer), so that
/// the checks cost nothing then.
pub(super) fn mask(rubric: &Rubric, doc: &Document) -> Vec<bool> {
    rubric.echo.marked(doc)
}

impl Matcher<'_> {
    /// Whether the word at token `i` is question echo.
    #[inline]
    pub(super) fn is_echo(&self, i: usize) -> bool {
        self.echo.get(i).is_some_and(|&e| e)
    }

    /// Whether every word of a match is question echo: it earns nothing.
    #[inline]
    pub(super) fn echoed(&self, words: &[(u32, TermId, How)]) -> bool {
        !self.echo.is_empty() && !words.is_empty() && words.iter().all(|w| self.is_echo(w.0 as usize))
    }
}
