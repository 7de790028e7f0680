//! Question echo: words an answer copies from the title or a guiding question earn nothing.
//!
//! Every run of four consecutive word stems of the title and the prompts is hashed into a
//! set; an answer word inside a run of four stems found in that set is marked as echo. A
//! heading copied from the worksheet is thus ignored, while an answer that merely reuses a
//! word or two of the question ("the Lenin enrolment helped him because...") is not.

use std::hash::{Hash, Hasher};

use rustc_hash::{FxHashSet as HashSet, FxHasher};

use crate::text::lang::Language;
use crate::text::tokens::{Document, words};

/// Length of the copied runs that count as echo.
pub const ECHO_RUN: usize = 4;

#[derive(Debug, Default)]
pub struct EchoIndex {
    grams: HashSet<u64>,
    /// Prompts shorter than a run, matched whole.
    short: HashSet<u64>,
}

fn stem_hash(stem: &str) -> u64 {
    let mut h = FxHasher::default();
    stem.hash(&mut h);
    h.finish()
}

/// The hash of a run of stems, from each stem's [`stem_hash`].
fn hash_run(hashes: &[u64]) -> u64 {
    let mut h = FxHasher::default();
    hashes.hash(&mut h);
    h.finish()
}

fn hash_stems<'a>(stems: impl Iterator<Item = &'a str>) -> u64 {
    hash_run(&stems.map(stem_hash).collect::<Vec<_>>())
}

impl EchoIndex {
    /// Adds the runs of a question's (or the title's) text.
    pub fn add(&mut self, text: &str, language: &Language) {
        let stems: Vec<String> = words(text).iter().map(|w| language.stem(w)).collect();
        if stems.len() < ECHO_RUN {
            if stems.len() >= 2 {
                self.short.insert(hash_stems(stems.iter().map(String::as_str)));
            }
            return;
        }
        for w in stems.windows(ECHO_RUN) {
            self.grams.insert(hash_stems(w.iter().map(String::as_str)));
        }
    }

    /// Marks which tokens of `doc` are part of copied question text.
    pub fn mask(&self, doc: &Document) -> Vec<bool> {
        let toks = &doc.tokens;
        let mut mask = vec![false; toks.len()];
        if self.grams.is_empty() && self.short.is_empty() {
            return mask;
        }
        let hashes: Vec<u64> = toks.iter().map(|t| stem_hash(&t.stem)).collect();
        for i in 0..toks.len() {
            let end = i + ECHO_RUN;
            if end <= toks.len()
                && toks[end - 1].sentence == toks[i].sentence
                && self.grams.contains(&hash_run(&hashes[i..end]))
            {
                mask[i..end].iter_mut().for_each(|m| *m = true);
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
                if end - start < ECHO_RUN && self.short.contains(&hash_run(&hashes[start..end])) {
                    mask[start..end].iter_mut().for_each(|m| *m = true);
                }
                start = end;
            }
        }
        mask
    }
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
}
