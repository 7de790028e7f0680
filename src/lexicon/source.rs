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

/// Length of the runs of the passage's stems that count as copied. Measured on the fixture
/// passage and its answers (`tests/fixtures/source/`, [`tests`]): runs of 4 stems mark words in
/// 6 of 36 sentences written in the student's own words ("the number of honeybee colonies", "in
/// the United States"), runs of 5 in 2, runs of 6 in none, while runs of 6 still find every
/// copied sentence (the shortest copied stretch is 7 words), and 7 would lose one. Whatever the
/// run, a match is set aside only when every one of its words is copied.
pub const SOURCE_RUN: usize = 6;

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
    use crate::text::read::{Format, Limits, read_path};

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

    /// One sentence of a fixture answer: whether the student copied it from the passage, and
    /// its text. Copied sentences hold a stretch of the passage; own ones reuse its key terms.
    fn labelled_sentences() -> Vec<(bool, String)> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/source");
        let text = std::fs::read_to_string(dir.join("sentences.txt")).expect("sentences.txt");
        text.lines()
            .filter_map(|l| {
                let (label, sentence) = l.split_once(' ')?;
                match label {
                    "copied" => Some((true, sentence.to_string())),
                    "own" => Some((false, sentence.to_string())),
                    _ => None,
                }
            })
            .collect()
    }

    /// The threshold, measured: for each run length, how many of the students' own sentences
    /// have a word taken for copied (false copies), and how many copied sentences have none
    /// (missed copies). Run with `--nocapture` to see the table and the sentences.
    #[test]
    fn the_source_run_misses_no_copy_and_touches_few_own_sentences() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/source");
        let passage = read_path(&dir.join("article.txt"), &Limits::default()).expect("article.txt");
        let passage = Document::new(passage.text, passage.format, &Language::english());
        let sentences = labelled_sentences();
        let (copied, own) = (
            sentences.iter().filter(|s| s.0).count(),
            sentences.iter().filter(|s| !s.0).count(),
        );
        assert!(copied >= 20 && own >= 30, "{copied} copied, {own} own");
        println!("run  false copies (of {own} own)  missed (of {copied} copied)");
        let mut table = Vec::new();
        for run in 3..=8 {
            let index = SourceIndex::with_run([&passage], run);
            let (mut false_copies, mut missed) = (0, 0);
            let mut wrong = Vec::new();
            for (is_copied, s) in &sentences {
                let any = index.mask(&doc(s)).contains(&true);
                match (is_copied, any) {
                    (false, true) => {
                        false_copies += 1;
                        wrong.push(format!("     own, taken for copied: {s}"));
                    }
                    (true, false) => {
                        missed += 1;
                        wrong.push(format!("     copied, not found: {s}"));
                    }
                    _ => {}
                }
            }
            println!("{run:>3}  {false_copies:>21}  {missed:>19}");
            if run >= SOURCE_RUN - 1 {
                wrong.iter().for_each(|w| println!("{w}"));
            }
            table.push((run, false_copies, missed));
        }
        let at = |run: usize| {
            table
                .iter()
                .find(|t| t.0 == run)
                .map(|t| (t.1, t.2))
                .unwrap_or_default()
        };
        // At the run chosen: no copied sentence missed, and at most one own sentence touched
        // (it reuses a six-word phrase of the passage: "bees food for the whole season").
        let (false_copies, missed) = at(SOURCE_RUN);
        assert!(missed == 0 && false_copies <= 1, "{table:?}");
        // One stem shorter touches many more own sentences; one longer misses copies.
        assert!(at(SOURCE_RUN - 1).0 >= false_copies + 3, "{table:?}");
        assert!(at(SOURCE_RUN + 1).1 > 0, "{table:?}");
    }
}
