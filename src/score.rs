//! Turning findings into marks: per point, per question (summed and capped, or by count
//! bands), and in total.

use crate::matcher::{Detail, Matcher, PointFinding, Status};
use crate::scheme::model::Band;
use crate::scheme::{Point, Question, Rubric};
use crate::text::tokens::Document;

/// One point's result with its marks.
#[derive(Debug, Clone)]
pub struct PointOutcome<'r> {
    pub point: &'r Point,
    pub finding: PointFinding,
    /// Marks earned (before the question's cap or bands).
    pub marks: f64,
}

/// One question's result: its score (capped at its `max`, or by its bands) and each point's.
#[derive(Debug, Clone)]
pub struct QuestionOutcome<'r> {
    pub question: &'r Question,
    pub score: f64,
    pub points: Vec<PointOutcome<'r>>,
}

/// A whole answer, assessed.
#[derive(Debug, Clone)]
pub struct Assessment<'r> {
    pub score: f64,
    pub max: f64,
    pub questions: Vec<QuestionOutcome<'r>>,
    /// How much of the answer is copied from the rubric's source passage, when it names one.
    pub copied: Option<Copied>,
}

/// How much of an answer is wording copied from the rubric's source passage (runs of six words
/// or more with the same stems as the passage's: docs/rubric-format.md, "Source text").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Copied {
    /// Words of the answer.
    pub words: usize,
    /// Of them, the words inside a phrase copied from the passage.
    pub copied: usize,
}

impl Copied {
    /// The share of the answer's words that are copied, 0 to 1 (0 for an answer of no words).
    pub fn share(&self) -> f64 {
        if self.words == 0 {
            0.0
        } else {
            self.copied as f64 / self.words as f64
        }
    }
}

impl Assessment<'_> {
    /// Score as a fraction of the maximum (0 when the maximum is 0).
    pub fn fraction(&self) -> f64 {
        if self.max > 0.0 { self.score / self.max } else { 0.0 }
    }

    /// Number of points with each status: covered, partial, negated, missing.
    pub fn counts(&self) -> [usize; 4] {
        let mut c = [0; 4];
        for p in self.points() {
            c[p.finding.status as usize] += 1;
        }
        c
    }

    pub fn points(&self) -> impl Iterator<Item = &PointOutcome<'_>> {
        self.questions.iter().flat_map(|q| q.points.iter())
    }
}

/// Marks of the highest band reached by `covered` points.
fn band_marks(bands: &[Band], covered: usize) -> f64 {
    bands
        .iter()
        .filter(|b| b.covered as usize <= covered)
        .map(|b| b.marks)
        .fold(0.0, f64::max)
}

/// Rounds away floating-point noise (0.1 + 0.2) so that scores print and compare cleanly.
fn tidy(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// Checks an answer against every point of the rubric and scores it, with the evidence of
/// each point found, and a trace of every cue when `explain` is set.
pub fn assess<'r>(rubric: &'r Rubric, doc: &Document, explain: bool) -> Assessment<'r> {
    assess_with(rubric, doc, Detail::from_explain(explain))
}

/// [`assess`], telling as much as `detail` asks: [`Detail::Status`] gives the same statuses
/// and marks without building evidence (batch marking, evaluation).
pub fn assess_with<'r>(rubric: &'r Rubric, doc: &Document, detail: Detail) -> Assessment<'r> {
    let matcher = Matcher::new(rubric, doc);
    let mut questions = Vec::with_capacity(rubric.questions.len());
    for q in &rubric.questions {
        let points: Vec<PointOutcome> = q
            .points
            .iter()
            .map(|p| {
                let finding = matcher.point_with(p, detail);
                PointOutcome {
                    point: p,
                    marks: point_marks(p, finding.status),
                    finding,
                }
            })
            .collect();
        questions.push(QuestionOutcome {
            question: q,
            score: question_score(q, points.iter().map(|p| (p.marks, p.finding.status))),
            points,
        });
    }
    let covered = questions
        .iter()
        .flat_map(|q| &q.points)
        .filter(|p| p.finding.status == Status::Covered)
        .count();
    Assessment {
        score: total_score(rubric, questions.iter().map(|q| q.score), covered),
        max: rubric.max,
        questions,
        copied: rubric.source.as_ref().map(|_| Copied {
            words: doc.tokens.len(),
            copied: matcher.copied_words(),
        }),
    }
}

/// Each point's status, in rubric order (questions, then points); inline for rubrics of up
/// to 24 points (no allocation per answer).
pub type Statuses = smallvec::SmallVec<[Status; 24]>;

/// The score of an answer and each point's status, in rubric order (questions, then points):
/// [`assess_with`] at [`Detail::Status`] (the same search, stopped as soon as each status is
/// known), without gathering findings: what batch marking keeps when no report shows evidence.
pub fn statuses(rubric: &Rubric, doc: &Document) -> (f64, Statuses) {
    let matcher = Matcher::new(rubric, doc);
    let mut statuses = Statuses::with_capacity(rubric.questions.iter().map(|q| q.points.len()).sum());
    let mut scores: smallvec::SmallVec<[f64; 8]> = smallvec::SmallVec::new();
    for q in &rubric.questions {
        let from = statuses.len();
        statuses.extend(q.points.iter().map(|p| matcher.point_with(p, Detail::Status).status));
        let points = q.points.iter().zip(&statuses[from..]);
        scores.push(question_score(q, points.map(|(p, &s)| (point_marks(p, s), s))));
    }
    let covered = statuses.iter().filter(|&&s| s == Status::Covered).count();
    let score = total_score(rubric, scores.into_iter(), covered);
    (score, statuses)
}

/// A point's marks for its status (before the question's cap or bands).
fn point_marks(p: &Point, status: Status) -> f64 {
    match status {
        Status::Covered => p.marks,
        Status::Partial => p.partial_marks,
        Status::Negated | Status::Missing => 0.0,
    }
}

/// A question's score from its points' marks and statuses, in order: summed and capped, or by
/// the count bands of its covered points.
fn question_score(q: &Question, points: impl Iterator<Item = (f64, Status)>) -> f64 {
    let raw = if q.bands.is_empty() {
        points.map(|(marks, _)| marks).sum()
    } else {
        band_marks(&q.bands, points.filter(|&(_, s)| s == Status::Covered).count())
    };
    tidy(raw.min(q.max))
}

/// The answer's score from its questions' scores: summed and capped, or by the count bands of
/// all its `covered` points.
fn total_score(rubric: &Rubric, scores: impl Iterator<Item = f64>, covered: usize) -> f64 {
    let raw = if rubric.bands.is_empty() {
        scores.sum()
    } else {
        band_marks(&rubric.bands, covered)
    };
    tidy(raw.min(rubric.max))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_pick_the_highest_reached() {
        let bands = [
            Band { covered: 4, marks: 3.0 },
            Band { covered: 3, marks: 2.0 },
            Band { covered: 1, marks: 1.0 },
        ];
        let got: Vec<f64> = (0..6).map(|n| band_marks(&bands, n)).collect();
        assert_eq!(got, [0.0, 1.0, 1.0, 2.0, 3.0, 3.0]);
    }

    /// Two questions: `sum` (points summed, capped at `max = 2.5`; one point with its own
    /// `partial_marks`) and `banded` (marks by the number of points covered), under
    /// `partial_credit = 0.25`; `head` adds top-level keys.
    fn rubric(head: &str) -> Rubric {
        let src = format!("{head}\n{}", crate::testing::TSAR);
        Rubric::from_str(&src, "t.toml").unwrap_or_else(|e| panic!("{e}"))
    }

    /// The questions' scores and the total, with the status of each point; the same in
    /// every mode of checking.
    fn marks(r: &Rubric, text: &str) -> (Vec<f64>, f64, Vec<Status>) {
        let doc = Document::new(text.to_string(), crate::text::read::Format::Text, &r.language);
        let a = assess(r, &doc, false);
        let brief = assess_with(r, &doc, Detail::Status);
        let (score, alone) = statuses(r, &doc);
        let points: Vec<Status> = a.points().map(|p| p.finding.status).collect();
        assert_eq!(brief.points().map(|p| p.finding.status).collect::<Vec<_>>(), points);
        assert_eq!(alone.to_vec(), points);
        assert_eq!((brief.score, score), (a.score, a.score));
        (a.questions.iter().map(|q| q.score).collect(), a.score, points)
    }

    #[test]
    fn partial_points_earn_partial_credit_or_their_own_partial_marks() {
        use Status::*;
        let r = rubric("");
        assert_eq!(r.max, 6.5);
        // war partial: 2 * 0.25; bread partial: its 0.75; duma covered: 1.
        let (q, total, st) = marks(&r, "After the defeat came riots, and the Duma.");
        assert_eq!(st[..3], [Partial, Partial, Covered]);
        assert_eq!((q[0], total), (2.25, 2.25));
        // Negated points earn nothing.
        let (q, _, st) = marks(&r, "It was not a military defeat. There were no bread riots.");
        assert_eq!(st[..3], [Negated, Negated, Missing]);
        assert_eq!(q[0], 0.0);
    }

    #[test]
    fn a_question_is_capped_at_its_max() {
        let r = rubric("");
        let cases = [
            ("A military defeat, bread riots and the Duma.", 2.5), // 2 + 1 + 1
            ("A military defeat, and riots.", 2.5),                // 2 + 0.75
            ("A military defeat.", 2.0),
        ];
        for (text, want) in cases {
            assert_eq!(marks(&r, text).0[0], want, "{text}");
        }
    }

    #[test]
    fn bands_count_covered_points_only() {
        let r = rubric("");
        assert_eq!(r.questions[1].max, 4.0, "a banded question's max is its top band");
        let cases = [
            ("Nothing relevant.", 0.0),
            ("Rasputin.", 1.0),
            // Two covered: still the first band; a partial point does not count.
            ("Rasputin and Lenin, and the Provisional Government.", 1.0),
            ("Rasputin, Kerensky and Lenin.", 4.0),
        ];
        for (text, want) in cases {
            let (q, total, _) = marks(&r, text);
            assert_eq!((q[1], total), (want, want), "{text}");
        }
    }

    #[test]
    fn rubric_bands_and_max_bound_the_total() {
        // Summed: 2.5 + 4, capped at the rubric's max.
        let all = "A military defeat, bread riots and the Duma. Rasputin, Kerensky and Lenin.";
        let (q, total, _) = marks(&rubric("max = 5"), all);
        assert_eq!((q[0] + q[1], total), (6.5, 5.0));
        // Rubric bands count covered points of every question, whatever the questions score.
        let banded = rubric("bands = [{ covered = 2, marks = 1 }, { covered = 5, marks = 3 }]");
        assert_eq!(banded.max, 3.0);
        assert_eq!(marks(&banded, all).1, 3.0);
        assert_eq!(marks(&banded, "The Duma and Lenin.").1, 1.0);
        assert_eq!(marks(&banded, "Defeat and riots, and Lenin.").1, 0.0);
    }
}
