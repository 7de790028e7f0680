//! What the CI and editor formats ([`super::github`], [`super::junit`], [`super::sarif`],
//! [`super::line`]) share: the list of checked answers they render, and how a point's finding is
//! located and worded.
//!
//! Each renderer takes every answer of a run at once (`&[Checked]`), since JUnit and SARIF
//! describe a whole run in one document; `rubric check` and `rubric mark` both build the list.

use crate::matcher::{Evidence, Status};
use crate::scheme::Rubric;
use crate::score::{Assessment, PointOutcome};
use crate::text::tokens::Document;

/// The bar an answer was held to (`--min-score` or a config's `min_score`), and whether it
/// reached it.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// As the user wrote it: `60%`, `0.6`, `6`.
    pub shown: String,
    pub met: bool,
}

/// One checked answer: its name, the rubric it was checked against, the result, and the
/// document (for end positions and the text).
#[derive(Debug, Clone, Copy)]
pub struct Checked<'a> {
    /// The path as given (or `<stdin>`): what file locations name.
    pub file: &'a str,
    pub rubric: &'a Rubric,
    pub assessment: &'a Assessment<'a>,
    pub doc: &'a Document,
    /// The bar, when one was set.
    pub bar: Option<&'a Bar>,
    /// What changed since an earlier check (`check --since`), when asked.
    pub progress: Option<&'a super::progress::Progress>,
}

impl<'a> Checked<'a> {
    pub fn new(file: &'a str, rubric: &'a Rubric, assessment: &'a Assessment<'a>, doc: &'a Document) -> Self {
        Checked {
            file,
            rubric,
            assessment,
            doc,
            bar: None,
            progress: None,
        }
    }

    pub fn with_bar(self, bar: Option<&'a Bar>) -> Self {
        Checked { bar, ..self }
    }

    pub fn with_progress(self, progress: Option<&'a super::progress::Progress>) -> Self {
        Checked { progress, ..self }
    }

    /// Whether the answer fell short of its bar.
    pub fn short(&self) -> bool {
        self.bar.is_some_and(|b| !b.met)
    }

    /// `6/10 (60%)`.
    pub fn score_text(&self) -> String {
        let a = self.assessment;
        format!(
            "{}/{} ({}%)",
            super::marks(a.score),
            super::marks(a.max),
            (a.fraction() * 100.0).round()
        )
    }

    /// `3 covered, 6 partial, 0 negated, 1 missing`.
    pub fn counts_text(&self) -> String {
        let [c, p, n, m] = self.assessment.counts();
        format!("{c} covered, {p} partial, {n} negated, {m} missing")
    }

    /// Every point with the id of its question, in rubric order.
    pub fn points(&self) -> impl Iterator<Item = (&'a str, &'a PointOutcome<'a>)> + 'a {
        self.assessment
            .questions
            .iter()
            .flat_map(|q| q.points.iter().map(move |p| (q.question.id.as_str(), p)))
    }

    /// Every point with its number (`1.1`, [`super::safe::number`]), in rubric order: what the
    /// student-facing formats name a point by.
    pub fn numbered(&self) -> impl Iterator<Item = (String, &'a PointOutcome<'a>)> + 'a {
        super::safe::numbered(self.assessment)
    }

    /// Every misconception found, with the id of its question, in rubric order (those not
    /// found are never shown).
    pub fn found_misconceptions(&self) -> impl Iterator<Item = (&'a str, &'a PointOutcome<'a>)> + 'a {
        self.assessment.questions.iter().flat_map(|q| {
            let found = q.misconceptions.iter().filter(|m| m.found());
            found.map(move |m| (q.question.id.as_str(), m))
        })
    }
}

/// A place in an answer: 1-based lines, columns in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

/// Where a piece of evidence lies.
pub fn place(doc: &Document, ev: &Evidence) -> Place {
    let (end_line, end_column) = doc.lines().line_col(&doc.text, ev.end);
    Place {
        line: ev.line,
        column: ev.column,
        end_line,
        end_column,
    }
}

pub use super::printable::one_line;

/// `label. hint`, on one line, without doubling a full stop.
pub fn label_and_hint(p: &PointOutcome) -> String {
    let label = one_line(&p.point.label);
    let label = label.trim_end_matches('.');
    format!("{label}. {}", one_line(&p.point.hint))
}

/// What to tell a student about a point not covered, on one line.
pub fn advice(p: &PointOutcome) -> String {
    let hint = one_line(&p.point.hint);
    match p.finding.status {
        Status::Covered => String::new(),
        Status::Partial => format!("Partly made. To go further: {hint}"),
        Status::Negated => format!("Your answer says the opposite here, so it earns nothing as written. Hint: {hint}"),
        Status::Missing => format!("Missing. Hint: {hint}"),
    }
}

/// What a misconception found does to its question's marks, in words ("takes 1 mark off;
/// cancels 1 point above"), or nothing when it only asks to be checked.
pub fn effect(p: &crate::scheme::Point) -> Option<String> {
    let e = p.misconception.as_ref()?;
    let mut parts = Vec::new();
    if !e.cancels.is_empty() {
        let n = e.cancels.len();
        parts.push(format!("cancels {n} point{} above", if n == 1 { "" } else { "s" }));
    }
    if let Some(cap) = e.cap {
        parts.push(format!("the question scores at most {}", super::marks(cap)));
    }
    if e.deduct > 0.0 {
        let one = e.deduct == 1.0;
        parts.push(format!(
            "takes {} mark{} off",
            super::marks(e.deduct),
            if one { "" } else { "s" }
        ));
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

/// What to tell a student about a misconception found, on one line: its label, its hint and
/// what it does to the marks.
pub fn check_advice(m: &PointOutcome) -> String {
    let label = one_line(&m.point.label);
    let effect = effect(m.point).map(|e| format!(" ({e})")).unwrap_or_default();
    format!(
        "To check: {}. {}{effect}",
        label.trim_end_matches('.'),
        one_line(&m.point.hint)
    )
}

/// `1/1 marks`, `0.5/1 marks`.
pub fn point_marks(p: &PointOutcome) -> String {
    format!("{}/{} marks", super::marks(p.marks), super::marks(p.point.marks))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture::with_answers;

    #[test]
    fn fixture_has_every_status() {
        with_answers(&["essay.txt"], |c| {
            let a = c[0].assessment;
            let got: Vec<Status> = a.points().map(|p| p.finding.status).collect();
            assert_eq!(
                got,
                [Status::Covered, Status::Partial, Status::Negated, Status::Missing]
            );
            assert_eq!(c[0].score_text(), "1.5/4 (38%)");
            let p = place(c[0].doc, &a.questions[0].points[0].finding.evidence[0]);
            assert_eq!((p.line, p.column, p.end_line, p.end_column), (2, 14, 2, 28));
        });
    }
}
