//! THE one function that checks an answer: segment it for the rubric's language, find each
//! point, and mark it.
//!
//! Every application checks answers through [`check`]: `rubric check` and `mark` (the batch),
//! `serve`, `lsp`, `eval` and `suggest`. What differs between them is only how much they ask to
//! know about each point ([`Detail`]): the status alone for a class of answers, the evidence
//! for a report, every cue's trace for `--explain`. [`check_statuses`] is [`check`] at
//! [`Detail::Status`] without the per-point structures, for batches.
//!
//! ```
//! use rubric::{Detail, Encoding, Format, Rubric, Source, check};
//!
//! let rubric = Rubric::from_str(r#"
//! title = "Photosynthesis"
//! [[question]]
//! id = "q1"
//! prompt = "What do plants make from light?"
//! [[question.point]]
//! id = "sugar"
//! label = "Plants make sugar"
//! hint = "What do they make?"
//! cues = ["sugar", "glucose"]
//! "#, "plants.toml").unwrap();
//! let source = Source {
//!     name: "answer.txt".into(),
//!     text: "Plants turn light into glucose.".into(),
//!     format: Format::Text,
//!     encoding: Encoding::Utf8,
//! };
//! let checked = check(&rubric, source, Detail::Evidence);
//! assert_eq!(checked.assessment.score, 1.0);
//! assert_eq!(checked.doc.text, "Plants turn light into glucose.");
//! ```

use crate::matcher::Detail;
use crate::scheme::Rubric;
use crate::score::{Assessment, Brief, assess_with};
use crate::text::read::Source;
use crate::text::tokens::Document;

/// An answer checked against a rubric: the answer as read and segmented (reports quote it and
/// place evidence in it), and its marks.
#[derive(Debug)]
pub struct Checked<'r> {
    pub doc: Document,
    pub assessment: Assessment<'r>,
}

/// Checks one answer against `rubric`, telling as much about each point as `detail` asks.
/// The source's name is not used (reports take it from the source before it is checked).
pub fn check<'r>(rubric: &'r Rubric, source: Source, detail: Detail) -> Checked<'r> {
    let doc = Document::new(source.text, source.format, &rubric.language);
    let assessment = assess_with(rubric, &doc, detail);
    Checked { doc, assessment }
}

/// [`check`] at [`Detail::Status`], for when only the score and each point's status are kept
/// (batch marking without a report that quotes evidence): the same search, without building an
/// [`Assessment`] (for a rubric of hundreds of points, most of the time of a batch went into
/// making and dropping one per answer).
pub fn check_statuses(rubric: &Rubric, source: Source) -> (Document, Brief) {
    let doc = Document::new(source.text, source.format, &rubric.language);
    let brief = crate::score::statuses(rubric, &doc);
    (doc, brief)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matcher::Status;
    use crate::testing::{ANSWER, RUBRIC};
    use crate::text::read::{Encoding, Format};

    fn source(text: &str, format: Format) -> Source {
        Source {
            name: "essay.txt".into(),
            text: text.into(),
            format,
            encoding: Encoding::Utf8,
        }
    }

    fn statuses(a: &Assessment) -> Vec<Status> {
        a.points().map(|p| p.finding.status).collect()
    }

    #[test]
    fn every_detail_gives_the_same_marks() {
        let rubric = Rubric::from_str(RUBRIC, "roman.toml").unwrap();
        let want = [Status::Covered, Status::Partial, Status::Negated, Status::Missing];
        for detail in [Detail::Status, Detail::Evidence, Detail::Explain] {
            let c = check(&rubric, source(ANSWER, Format::Text), detail);
            assert_eq!(statuses(&c.assessment), want, "{detail:?}");
            let (doc, alone) = check_statuses(&rubric, source(ANSWER, Format::Text));
            assert_eq!(alone, c.assessment.brief());
            assert_eq!(doc.text, c.doc.text);
            assert_eq!(c.assessment.score, 1.5, "{detail:?}");
            assert_eq!(c.assessment.max, 4.0, "{detail:?}");
            assert_eq!(c.doc.text, ANSWER);
        }
    }

    #[test]
    fn detail_decides_evidence_and_trace() {
        let rubric = Rubric::from_str(RUBRIC, "roman.toml").unwrap();
        let covered = |c: &Checked| c.assessment.questions[0].points[0].finding.clone();
        let brief = check(&rubric, source(ANSWER, Format::Text), Detail::Status);
        assert!(covered(&brief).evidence.is_empty());
        let full = check(&rubric, source(ANSWER, Format::Text), Detail::Evidence);
        assert!(!covered(&full).evidence.is_empty());
        assert!(covered(&full).trace.is_empty());
        let explained = check(&rubric, source(ANSWER, Format::Text), Detail::Explain);
        assert!(!covered(&explained).trace.is_empty());
    }

    #[test]
    fn the_same_as_segmenting_and_assessing() {
        let rubric = Rubric::from_str(RUBRIC, "roman.toml").unwrap();
        let text = "# Causes\n\nGenerals had *private armies*.\n\n```\nprivate armies\n```\n";
        for format in [Format::Text, Format::Markdown] {
            let c = check(&rubric, source(text, format), Detail::Evidence);
            let doc = Document::new(text.to_string(), format, &rubric.language);
            let a = assess_with(&rubric, &doc, Detail::Evidence);
            assert_eq!(statuses(&c.assessment), statuses(&a), "{format:?}");
            assert_eq!(c.assessment.score, a.score, "{format:?}");
            assert_eq!(c.doc.tokens.len(), doc.tokens.len(), "{format:?}");
        }
    }

    #[test]
    fn an_empty_answer_scores_nothing() {
        let rubric = Rubric::from_str(RUBRIC, "roman.toml").unwrap();
        let c = check(&rubric, source("", Format::Text), Detail::Evidence);
        assert_eq!(c.assessment.score, 0.0);
        assert!(c.assessment.points().all(|p| p.finding.status == Status::Missing));
    }
}
