//! Source text: wording an answer copies from the reading passage a rubric names (`source =
//! "article.txt"`, `source_text = "..."`) earns only the points that allow quoting.
//!
//! The machinery is question echo's ([`super::echo`]) with longer runs: every run of
//! [`SOURCE_RUN`] consecutive word stems of the passage is hashed into a set, and an answer word
//! inside a run of as many stems found in that set (within one sentence of the answer) is
//! copied. Students must be free to use the passage's key terms in sentences of their own ("the
//! pesticide weakens the bees"); only a phrase copied whole, six words or more with the same
//! stems, counts as copied. The passage's runs go across its sentence ends, so that two
//! sentences copied as one (the full stop left out) are still found.
//!
//! ```text
//! passage: "... the chemicals weaken the bees' sense of direction, so that ..."
//! answer:  "The chemicals weaken the bees' sense of direction."   copied: 8 words
//! answer:  "The chemicals make the bees lose their sense of direction."   copied: none
//! ```

use super::echo::EchoIndex;
use crate::text::tokens::Document;

pub use super::echo::SOURCE_RUN;

/// The runs of a rubric's source passages.
#[derive(Debug)]
pub struct SourceIndex {
    runs: EchoIndex,
    /// Words of the passages, in all.
    pub words: usize,
}

impl SourceIndex {
    /// The index of the passages (already segmented in the rubric's language).
    pub fn new<'d>(passages: impl IntoIterator<Item = &'d Document>) -> SourceIndex {
        SourceIndex::with_run(passages, SOURCE_RUN)
    }

    /// [`SourceIndex::new`] with runs of `run` stems (for measuring the threshold).
    pub(crate) fn with_run<'d>(passages: impl IntoIterator<Item = &'d Document>, run: usize) -> SourceIndex {
        let mut runs = EchoIndex::with_run(run);
        let mut words = 0;
        for doc in passages {
            let hashes: Vec<u64> = doc.tokens.iter().map(|t| doc.word(t).stem_hash).collect();
            words += hashes.len();
            runs.add_runs(&hashes);
        }
        SourceIndex { runs, words }
    }

    /// Marks which tokens of `doc` are part of a run copied from the passages.
    pub fn mask(&self, doc: &Document) -> Vec<bool> {
        self.runs.mask(doc)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::lang::Language;
    use crate::text::read::Format;

    fn doc(text: &str) -> Document {
        Document::new(text.into(), Format::Text, &Language::english())
    }

    /// The words of `answer` marked as copied from `passage`, with runs of `run` stems.
    fn copied(passage: &str, answer: &str, run: usize) -> Vec<String> {
        let index = SourceIndex::with_run([&doc(passage)], run);
        let d = doc(answer);
        let mask = index.mask(&d);
        d.tokens
            .iter()
            .zip(mask)
            .filter(|(_, m)| *m)
            .map(|(t, _)| d.word(t).norm.to_string())
            .collect()
    }

    const PASSAGE: &str = "Farmers coat the seeds with neonicotinoids. The chemicals weaken the bees' \
                           sense of direction, so that foragers fail to find their way back to the hive.";

    #[test]
    fn a_copied_phrase_is_marked_but_the_passages_terms_in_own_words_are_not() {
        assert_eq!(
            copied(
                PASSAGE,
                "I think the chemicals weaken the bees' sense of direction.",
                SOURCE_RUN
            ),
            ["the", "chemicals", "weaken", "the", "bees", "sense", "of", "direction"]
        );
        // The same key terms, in the student's own order and words.
        assert!(
            copied(
                PASSAGE,
                "Neonicotinoids confuse bees, so they lose their sense of direction.",
                SOURCE_RUN
            )
            .is_empty()
        );
        assert!(
            copied(
                PASSAGE,
                "The chemicals on the seeds weaken bees and the foragers get lost.",
                SOURCE_RUN
            )
            .is_empty()
        );
    }

    #[test]
    fn runs_compare_stems_and_go_across_the_passages_sentence_ends() {
        // Other forms of the same words: still the passage's wording.
        assert_eq!(
            copied(
                PASSAGE,
                "The chemical weakened the bee's senses of direction.",
                SOURCE_RUN
            )
            .len(),
            8
        );
        // Two sentences of the passage copied as one (no full stop between them).
        assert_eq!(
            copied(
                PASSAGE,
                "farmers coat the seeds with neonicotinoids the chemicals weaken",
                SOURCE_RUN
            )
            .len(),
            9
        );
        // But the answer's own sentence ends break a run: five words and four.
        assert!(
            copied(
                PASSAGE,
                "Farmers coat the seeds with. Neonicotinoids the chemicals weaken.",
                SOURCE_RUN
            )
            .is_empty()
        );
    }

    #[test]
    fn the_run_is_the_threshold() {
        // Five words of the passage in a row: copied with runs of five, not of six.
        let answer = "In spring farmers coat the seeds with a powder.";
        assert_eq!(copied(PASSAGE, answer, 5), ["farmers", "coat", "the", "seeds", "with"]);
        assert!(copied(PASSAGE, answer, SOURCE_RUN).is_empty());
        // A phrase shorter than the run is never copied, even when it is a whole sentence.
        assert!(copied("Bees are dying.", "Bees are dying.", SOURCE_RUN).is_empty());
        // No passage, nothing copied.
        assert!(SourceIndex::new([]).mask(&doc(PASSAGE)).iter().all(|m| !m));
    }
}
