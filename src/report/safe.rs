//! Student-safe naming of points, shared by everything a student reads (`check`'s human,
//! `line` and `github` output, the language server, the web page and its API).
//!
//! A point not yet made (missing or negated) would give its answer away by its label ("The
//! Council of People's Commissars (Sovnarkom)"), its id (`sovnarkom`), its model answer or its
//! cues. It is shown by its number, `1.1` (the question's place from 1, then the point's place
//! within it from 1), its hint, and its neutral `topic` when the rubric gives one. Its label
//! appears once the answer covers it or partly makes it. The teachers' views (`mark`, `eval`)
//! and the machine formats (`--format json`, SARIF, JUnit) keep everything.
//!
//! A rubric with `allow_reveal = false` also keeps its model answers and `--explain`'s cue
//! lists for the teacher: [`LOCKED_NOTE`] says so once, where they were asked for.

use crate::matcher::Status;
use crate::scheme::Point;
use crate::score::{Assessment, PointOutcome};

/// The one-line note printed when `--reveal` or `--explain` asks for what a rubric with
/// `allow_reveal = false` keeps.
pub const LOCKED_NOTE: &str = "This rubric keeps its model answers and cues for the teacher.";

/// Whether a student may see the point's label: the answer covers it or partly makes it.
pub fn made(status: Status) -> bool {
    matches!(status, Status::Covered | Status::Partial)
}

/// A point's number, `1.1`, from its question's and its own 0-based places.
pub fn number(question: usize, point: usize) -> String {
    format!("{}.{}", question + 1, point + 1)
}

/// Every point of an assessment with its number, in rubric order.
pub fn numbered<'a>(a: &'a Assessment<'a>) -> impl Iterator<Item = (String, &'a PointOutcome<'a>)> + 'a {
    a.questions
        .iter()
        .enumerate()
        .flat_map(|(qi, q)| q.points.iter().enumerate().map(move |(pi, p)| (number(qi, pi), p)))
}

/// What a student is shown as the point's name: its label once made, else `Topic: ...` when the
/// rubric gives a topic, else nothing (the number and the hint say enough).
pub fn heading(point: &Point, status: Status) -> Option<String> {
    if made(status) {
        Some(super::printable::one_line(&point.label))
    } else {
        point
            .topic
            .as_deref()
            .map(|t| format!("Topic: {}", super::printable::one_line(t)))
    }
}

/// [`heading`] and the hint, on one line: `Topic: the government body. One of the two bodies...`
/// (for a partial point, its label and how to go further).
pub fn heading_and_hint(p: &PointOutcome) -> String {
    let hint = super::printable::one_line(&p.point.hint);
    match heading(p.point, p.finding.status) {
        Some(h) => format!("{}. {hint}", h.trim_end_matches('.')),
        None => hint,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_count_from_one() {
        assert_eq!(number(0, 0), "1.1");
        assert_eq!(number(2, 9), "3.10");
    }

    #[test]
    fn only_made_points_show_their_label() {
        assert!(made(Status::Covered) && made(Status::Partial));
        assert!(!made(Status::Missing) && !made(Status::Negated));
    }
}
