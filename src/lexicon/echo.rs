//! Question echo: words an answer copies from the title or a guiding question earn nothing.
//!
//! Every run of four consecutive word stems of the title and the prompts is hashed into a
//! set; an answer word inside a run of four stems found in that set is marked as echo. A
//! heading copied from the worksheet is thus ignored, while an answer that merely reuses a
//! word or two of the question ("the Lenin enrolment helped him because...") is not. The
//! matcher sets aside only the marked words: a match counts unless every word of it is echo,
//! so a group with a part in the student's own words counts beside the question's wording
//! (`matcher::echo`).

use rustc_hash::FxHashSet as HashSet;

use crate::text::hash::{Bloom, bytes_hash, mix};
use crate::text::lang::Language;
use crate::text::tokens::{Document, words};

/// Length of the copied runs that count as echo.
pub const ECHO_RUN: usize = 4;

/// Length of the runs of the passage's stems that count as copied: 6. Measured on the fixture
/// article and 65 labelled sentences (`tests/fixtures/source/`, written for the tests; the
/// table is `matcher::tests::source_run`): own sentences touched / copied sentences missed /
/// points lost by own sentences, for runs of 4: 15 / 0 / 3, 5: 9 / 0 / 2, 6: 1 / 0 / 1, 7: 0 / 1
/// / 0. Shorter runs take key phrases used in a student's own sentence for copying ("damage the
/// bees' sense of direction", "planting strips of wildflowers"); longer ones miss copies. On
/// real answers (ASAP-SAS sets 1, 2 and 10 with their procedure as the passage, train split),
/// runs of 6 touch 5.5%, 2.0% and 1.5% of the answers, nearly all restating a step ("determine
/// the mass of each sample"), and change two scores, both towards the human mark.
pub const SOURCE_RUN: usize = 6;

#[derive(Debug)]
pub struct EchoIndex {
    /// Length of the runs it holds: [`ECHO_RUN`] for the question's wording (the
    /// [`super::source`] passage's are longer).
    run: usize,
    grams: HashSet<u64>,
    /// Prompts shorter than a run, matched whole.
    short: HashSet<u64>,
    /// Every stem of the runs: an answer word whose stem is not here cannot be in a run.
    stems: Bloom,
}

/// The hash of a stem, as [`crate::text::tokens::Word::stem_hash`] keeps it.
fn stem_hash(stem: &str) -> u64 {
    bytes_hash(stem.as_bytes())
}

/// The hash of a run of stems, from each stem's [`stem_hash`].
fn hash_run(hashes: &[u64]) -> u64 {
    hashes.iter().fold(hashes.len() as u64, |h, &x| mix(h ^ x))
}

fn hash_stems<'a>(stems: impl Iterator<Item = &'a str>) -> u64 {
    hash_run(&stems.map(stem_hash).collect::<Vec<_>>())
}

impl Default for EchoIndex {
    fn default() -> Self {
        EchoIndex::with_run(ECHO_RUN)
    }
}

impl EchoIndex {
    /// An empty index of runs of `run` stems (at least 1).
    pub fn with_run(run: usize) -> EchoIndex {
        EchoIndex {
            run: run.max(1),
            grams: HashSet::default(),
            short: HashSet::default(),
            stems: Bloom::default(),
        }
    }

    /// Adds the runs of a question's (or the title's) text.
    pub fn add(&mut self, text: &str, language: &Language) {
        let stems: Vec<String> = words(text).iter().map(|w| language.stem(w)).collect();
        if stems.len() < self.run {
            if stems.len() >= 2 {
                self.short.insert(hash_stems(stems.iter().map(String::as_str)));
                stems.iter().for_each(|s| self.stems.insert(stem_hash(s)));
            }
            return;
        }
        let hashes: Vec<u64> = stems.iter().map(|s| stem_hash(s)).collect();
        self.add_runs(&hashes);
    }

    /// Adds every run of a text given as the [`stem_hash`]es of its words, in order; a text
    /// shorter than a run adds nothing.
    pub fn add_runs(&mut self, hashes: &[u64]) {
        if hashes.len() < self.run {
            return;
        }
        hashes.iter().for_each(|&h| self.stems.insert(h));
        for w in hashes.windows(self.run) {
            self.grams.insert(hash_run(w));
        }
    }

    /// Whether no run was added.
    pub fn is_empty(&self) -> bool {
        self.grams.is_empty() && self.short.is_empty()
    }

    /// Marks which tokens of `doc` are part of copied question text.
    pub fn mask(&self, doc: &Document) -> Vec<bool> {
        let mut mask = self.marked(doc);
        mask.resize(doc.tokens.len(), false);
        mask
    }

    /// [`EchoIndex::mask`], or an empty list when no token is marked (nearly every answer):
    /// nothing is allocated then, and the matcher need not look.
    pub fn marked(&self, doc: &Document) -> Vec<bool> {
        // The usual runs as constants: a run's hash is then made without a loop (every answer
        // of a batch is masked).
        match self.run {
            ECHO_RUN => self.mask_of(doc, ECHO_RUN),
            SOURCE_RUN => self.mask_of(doc, SOURCE_RUN),
            run => self.mask_of(doc, run),
        }
    }

    #[inline(always)]
    fn mask_of(&self, doc: &Document, run: usize) -> Vec<bool> {
        let toks = &doc.tokens;
        let mut mask = Vec::new();
        if self.is_empty() {
            return mask;
        }
        // A stem's hash, or 0 for a stem no prompt has (no run or short prompt can hold it).
        let known = |hash: u64| if self.stems.may_contain(hash) { hash } else { 0 };
        let hashes: smallvec::SmallVec<[u64; 192]> = match doc.words_in_order() {
            Some(words) => words.iter().map(|w| known(w.stem_hash)).collect(),
            None => toks.iter().map(|t| known(doc.word(t).stem_hash)).collect(),
        };
        // Tokens since the last one outside every prompt, within the sentence.
        let mut known = 0usize;
        for end in 1..=toks.len() {
            let t = end - 1;
            let fresh_sentence = t > 0 && toks[t].sentence != toks[t - 1].sentence;
            known = if hashes[t] == 0 {
                0
            } else if fresh_sentence {
                1
            } else {
                known + 1
            };
            if known >= run && self.grams.contains(&hash_run(&hashes[end - run..end])) {
                mark(&mut mask, toks.len(), end - run..end);
            }
        }
        if !self.short.is_empty() {
            // A whole sentence equal to a short prompt ("Posts?") is echo too.
            let mut start = 0;
            while start < toks.len() {
                let s = toks[start].sentence;
                let mut end = start;
                while end < toks.len() && toks[end].sentence == s {
                    end += 1;
                }
                if end - start < run
                    && hashes[start..end].iter().all(|&h| h != 0)
                    && self.short.contains(&hash_run(&hashes[start..end]))
                {
                    mark(&mut mask, toks.len(), start..end);
                }
                start = end;
            }
        }
        mask
    }
}

/// Marks `range` of a mask of `len` tokens, making the mask at the first mark (few answers
/// echo the question).
#[cold]
fn mark(mask: &mut Vec<bool>, len: usize, range: std::ops::Range<usize>) {
    if mask.is_empty() {
        *mask = vec![false; len];
    }
    mask[range].fill(true);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::read::Format;

    #[test]
    fn copied_question_is_masked_but_reuse_is_not() {
        let en = Language::english();
        let mut e = EchoIndex::default();
        e.add(
            "How did Stalin's series of jobs help to concentrate power in his hands?",
            &en,
        );
        let d = Document::new(
            "How did Stalin’s series of jobs help to concentrate power in his hands?\nHis jobs gave him power.".into(),
            Format::Text,
            &en,
        );
        let m = e.mask(&d);
        let first: Vec<bool> = d
            .tokens
            .iter()
            .zip(&m)
            .filter(|(t, _)| t.sentence == 0)
            .map(|(_, m)| *m)
            .collect();
        assert!(first.iter().all(|m| *m));
        assert!(
            d.tokens
                .iter()
                .zip(&m)
                .filter(|(t, _)| t.sentence == 1)
                .all(|(_, m)| !*m)
        );
    }

    #[test]
    fn runs_stop_at_sentence_ends_and_short_prompts_match_whole_sentences() {
        let en = Language::english();
        let mut e = EchoIndex::default();
        e.add("Why was the Secretariat so important to Stalin?", &en);
        e.add("Posts held?", &en);
        let masked = |text: &str| -> Vec<String> {
            let d = Document::new(text.into(), Format::Text, &en);
            let m = e.mask(&d);
            d.tokens
                .iter()
                .zip(&m)
                .filter(|(_, m)| **m)
                .map(|(t, _)| d.word(t).norm.to_string())
                .collect()
        };
        // Four words of the prompt in a row, inside a longer sentence.
        assert_eq!(
            masked("In short, was the Secretariat so vital?"),
            ["was", "the", "secretariat", "so"]
        );
        // The same words split by a sentence end are not a run.
        assert!(masked("It was the. Secretariat so it went.").is_empty());
        assert!(masked("It was. The Secretariat so it went.").is_empty());
        // Three words of the prompt are not enough.
        assert!(masked("Was the Secretariat big?").is_empty());
        // A short prompt copied as a sentence of its own is echo; inside a sentence it is not.
        assert_eq!(masked("Posts held? He had many."), ["posts", "held"]);
        assert!(masked("The posts held by him mattered.").is_empty());
    }
}
