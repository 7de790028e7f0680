//! Turning findings into marks: per point, per question (summed and capped, or by count
//! bands), and in total.

use crate::matcher::{Detail, Matcher, PointFinding, Status};
use crate::scheme::model::Band;
use crate::scheme::{Point, Question, Rounding, Rubric};
use crate::text::tokens::Document;

/// One point's result with its marks.
#[derive(Debug, Clone)]
pub struct PointOutcome<'r> {
    pub point: &'r Point,
    pub finding: PointFinding,
    /// Marks earned (before the question's cap or bands): 0 when a misconception found
    /// cancels the point.
    pub marks: f64,
    /// The misconception found that cancels this point (covered or partial), if any: the first,
    /// in rubric order.
    pub cancelled_by: Option<&'r Point>,
}

impl PointOutcome<'_> {
    /// Whether this misconception is found (a misconception's cues matched in full; a
    /// partial or negated match is not a claim made).
    pub fn found(&self) -> bool {
        self.finding.status == Status::Covered
    }
}

/// One question's result: its score (capped at its `max`, or by its bands) and each point's.
#[derive(Debug, Clone)]
pub struct QuestionOutcome<'r> {
    pub question: &'r Question,
    pub score: f64,
    pub points: Vec<PointOutcome<'r>>,
    /// Each of the question's misconceptions ([`Question::misconceptions`]), found or not:
    /// only those [`found`](PointOutcome::found) are shown to a student.
    pub misconceptions: Vec<PointOutcome<'r>>,
}

/// A whole answer, assessed.
#[derive(Debug, Clone)]
pub struct Assessment<'r> {
    pub score: f64,
    pub max: f64,
    pub questions: Vec<QuestionOutcome<'r>>,
    /// How much of the answer is copied from the rubric's source passage, when it names one.
    pub copied: Option<Copied>,
    /// How many of the answer's words are question echo (runs copied from the title or a
    /// question).
    pub echoed: usize,
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

    /// Every misconception of the rubric, found or not, in rubric order.
    pub fn misconceptions(&self) -> impl Iterator<Item = &PointOutcome<'_>> {
        self.questions.iter().flat_map(|q| q.misconceptions.iter())
    }

    /// The misconceptions found in the answer, in rubric order.
    pub fn found_misconceptions(&self) -> impl Iterator<Item = &PointOutcome<'_>> {
        self.misconceptions().filter(|m| m.found())
    }
}

/// Marks of the highest band reached by `covered` points.
pub(crate) fn band_marks(bands: &[Band], covered: usize) -> f64 {
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
        let outcome = |p| {
            let finding = matcher.point_with(p, detail);
            PointOutcome {
                point: p,
                marks: point_marks(p, finding.status),
                finding,
                cancelled_by: None,
            }
        };
        let mut points: Vec<PointOutcome> = q.points.iter().map(outcome).collect();
        let misconceptions: Vec<PointOutcome> = q.misconceptions.iter().map(outcome).collect();
        let found = |m: usize| misconceptions[m].found();
        // A point that earns something (covered or partial) is cancelled.
        for (i, p) in points.iter_mut().enumerate() {
            let earns = matches!(p.finding.status, Status::Covered | Status::Partial);
            if let Some(m) = cancelled_by(q, i, found).filter(|_| earns) {
                p.cancelled_by = Some(&q.misconceptions[m]);
                p.marks = 0.0;
            }
        }
        questions.push(QuestionOutcome {
            question: q,
            score: question_score(
                q,
                &q.bands,
                q.max,
                points.iter().map(|p| (p.marks, p.finding.status)),
                found,
            ),
            points,
            misconceptions,
        });
    }
    let covered = questions
        .iter()
        .flat_map(|q| &q.points)
        .filter(|p| p.finding.status == Status::Covered && p.cancelled_by.is_none())
        .count();
    Assessment {
        score: total_score(
            &rubric.bands,
            rubric.max,
            rubric.rounding,
            questions.iter().map(|q| q.score),
            covered,
        ),
        max: rubric.max,
        questions,
        copied: rubric.source.as_ref().map(|_| Copied {
            words: doc.tokens.len(),
            copied: matcher.copied_words(),
        }),
        echoed: matcher.echoed_words(),
    }
}

/// Each point's status, in rubric order (questions, then points), then each misconception's
/// (in rubric order, `covered` when found; see [`Assessment::statuses`]); inline for rubrics of
/// up to 24 (no allocation per answer).
pub type Statuses = smallvec::SmallVec<[Status; 24]>;

impl Assessment<'_> {
    /// The [`Statuses`] of the answer: its points', then its misconceptions'.
    pub fn statuses(&self) -> Statuses {
        self.points()
            .chain(self.misconceptions())
            .map(|p| p.finding.status)
            .collect()
    }
}

/// What batch marking keeps of an answer when no report shows evidence ([`statuses`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Brief {
    pub score: f64,
    pub statuses: Statuses,
    /// A point that earns marks was found only through a doubtful misspelling
    /// ([`Assessment::misspelt_only`]).
    pub misspelt_only: bool,
    /// How many of the answer's words are question echo ([`Assessment::echoed`]).
    pub echoed: usize,
    /// How many are copied from the rubric's source passage (0 without one).
    pub copied: usize,
}

impl Assessment<'_> {
    /// What [`statuses`] tells of the same answer.
    pub fn brief(&self) -> Brief {
        Brief {
            score: self.score,
            statuses: self.statuses(),
            misspelt_only: self.misspelt_only(),
            echoed: self.echoed,
            copied: self.copied.map_or(0, |c| c.copied),
        }
    }

    /// Whether a point that earns marks was found only through a doubtful misspelling of a
    /// cue word: every match of the kind that gives its status holds one
    /// ([`crate::matcher::doubtful`]: two edits away, or one edit in a short word).
    pub fn misspelt_only(&self) -> bool {
        self.points().any(|p| {
            p.marks > 0.0 && matches!(p.finding.status, Status::Covered | Status::Partial) && p.finding.doubtful
        })
    }
}

/// The score of an answer and its [`Statuses`]: [`assess_with`] at [`Detail::Status`] (the
/// same search, stopped as soon as each status is known), without gathering findings: what
/// batch marking keeps when no report shows evidence.
pub fn statuses(rubric: &Rubric, doc: &Document) -> Brief {
    let matcher = Matcher::new(rubric, doc);
    let all = |q: &Question| q.points.len() + q.misconceptions.len();
    let mut statuses = Statuses::with_capacity(rubric.questions.iter().map(all).sum());
    let mut wrong = Statuses::new();
    let mut scores: smallvec::SmallVec<[f64; 8]> = smallvec::SmallVec::new();
    let mut covered = 0;
    let mut doubtful: smallvec::SmallVec<[bool; 24]> = smallvec::SmallVec::new();
    let mut misspelt_only = false;
    for q in &rubric.questions {
        let from = statuses.len();
        let at = wrong.len();
        doubtful.clear();
        for p in &q.points {
            let f = matcher.point_with(p, Detail::Status);
            statuses.push(f.status);
            doubtful.push(f.doubtful);
        }
        wrong.extend(
            q.misconceptions
                .iter()
                .map(|p| matcher.point_with(p, Detail::Status).status),
        );
        let found = |m: usize| wrong[at + m] == Status::Covered;
        let mine = &statuses[from..];
        let marks = |(i, (p, &s)): (usize, (&Point, &Status))| {
            let cancelled = cancelled_by(q, i, found).is_some();
            (if cancelled { 0.0 } else { point_marks(p, s) }, s)
        };
        misspelt_only |= q
            .points
            .iter()
            .zip(mine)
            .enumerate()
            .any(|(i, ps)| doubtful[i] && marks((i, ps)).0 > 0.0);
        scores.push(question_score(
            q,
            &q.bands,
            q.max,
            q.points.iter().zip(mine).enumerate().map(marks),
            found,
        ));
        covered += (0..mine.len())
            .filter(|&i| mine[i] == Status::Covered && cancelled_by(q, i, found).is_none())
            .count();
    }
    let score = total_score(&rubric.bands, rubric.max, rubric.rounding, scores.into_iter(), covered);
    statuses.extend(wrong);
    Brief {
        score,
        statuses,
        misspelt_only,
        echoed: matcher.echoed_words(),
        copied: matcher.copied_words(),
    }
}

/// The first misconception of `q` found (`found(m)` for its index `m`) that cancels point `i`.
fn cancelled_by(q: &Question, i: usize, found: impl Fn(usize) -> bool) -> Option<usize> {
    q.misconceptions
        .iter()
        .enumerate()
        .position(|(m, p)| found(m) && p.misconception.as_ref().is_some_and(|e| e.cancels.contains(&i)))
}

/// A point's marks for its status (before the question's cap or bands).
fn point_marks(p: &Point, status: Status) -> f64 {
    match status {
        Status::Covered => p.marks,
        Status::Partial => p.partial_marks,
        Status::Negated | Status::Missing => 0.0,
    }
}

/// A question's score from its points' marks and statuses, in order (a cancelled point's
/// marks already 0), and which of its misconceptions are found (`found(m)`): summed, or by the
/// count `bands` of its covered points (a cancelled point does not count); less the marks each
/// misconception found takes off; at most the lowest `cap` of those found and `max`; never
/// below 0. `bands` and `max` are the question's, or those a fit tries ([`Scoring`]).
fn question_score(
    q: &Question,
    bands: &[Band],
    max: f64,
    points: impl Iterator<Item = (f64, Status)>,
    found: impl Fn(usize) -> bool,
) -> f64 {
    let mut raw = if bands.is_empty() {
        points.map(|(marks, _)| marks).sum()
    } else {
        let counted = points
            .enumerate()
            .filter(|&(i, (_, s))| s == Status::Covered && cancelled_by(q, i, &found).is_none());
        band_marks(bands, counted.count())
    };
    for (m, p) in q.misconceptions.iter().enumerate() {
        if let Some(effect) = p.misconception.as_ref().filter(|_| found(m)) {
            raw -= effect.deduct;
            raw = raw.min(effect.cap.unwrap_or(f64::INFINITY));
        }
    }
    tidy(raw.min(max).max(0.0))
}

/// The answer's score from its questions' scores: summed and capped at `max`, or by the count
/// `bands` of all its `covered` points.
fn total_score(bands: &[Band], max: f64, rounding: Rounding, scores: impl Iterator<Item = f64>, covered: usize) -> f64 {
    let raw = if bands.is_empty() {
        scores.sum()
    } else {
        band_marks(bands, covered)
    };
    // The rubric's one rounding rule, applied here so that every command shows the same mark.
    rounding.round(tidy(raw.min(max)))
}

/// The numbers of a rubric that turn its points' statuses into a score, apart from the rubric
/// so that other numbers can be tried on the same statuses ([`score_statuses`]): what
/// `rubric fit` searches over. [`Scoring::of`] gives the rubric's own.
#[derive(Debug, Clone, PartialEq)]
pub struct Scoring {
    /// Cap on the total.
    pub max: f64,
    /// Count bands over all points (empty: the questions' scores are summed).
    pub bands: Vec<Band>,
    /// Per question, in rubric order.
    pub questions: Vec<QuestionScoring>,
}

/// A question's scoring numbers ([`Scoring`]).
#[derive(Debug, Clone, PartialEq)]
pub struct QuestionScoring {
    pub max: f64,
    pub bands: Vec<Band>,
    /// Per point (misconceptions apart), in order: marks when covered, and when partial.
    pub points: Vec<(f64, f64)>,
}

impl Scoring {
    /// The rubric's own scoring.
    pub fn of(rubric: &Rubric) -> Scoring {
        Scoring {
            max: rubric.max,
            bands: rubric.bands.clone(),
            questions: rubric
                .questions
                .iter()
                .map(|q| QuestionScoring {
                    max: q.max,
                    bands: q.bands.clone(),
                    points: q.points.iter().map(|p| (p.marks, p.partial_marks)).collect(),
                })
                .collect(),
        }
    }
}

/// An answer's marks from its [`Statuses`] ([`marks_of`]): in total, per question and per
/// point.
#[derive(Debug, Clone, PartialEq)]
pub struct Marks {
    /// The answer's score: what [`score_statuses`] gives.
    pub total: f64,
    /// Each question's score, in rubric order (capped, banded, less what misconceptions take
    /// off; before the rubric's total cap, bands and rounding).
    pub questions: smallvec::SmallVec<[f64; 8]>,
    /// Each point's marks (misconceptions apart), in rubric order: what its status earns, 0
    /// when a misconception found cancels it (before the question's cap or bands).
    pub points: smallvec::SmallVec<[f64; 24]>,
}

/// The score of an answer from its [`Statuses`] (as [`statuses`] gives them) under `scoring`:
/// what [`statuses`] computes when `scoring` is [`Scoring::of`] the rubric, without matching
/// anything again. Misconceptions take off and cap as the rubric says.
pub fn score_statuses(rubric: &Rubric, scoring: &Scoring, statuses: &[Status]) -> f64 {
    marks_of(rubric, scoring, statuses).total
}

/// [`score_statuses`], with each question's and each point's marks: what the marks sheet
/// shows per question, and what a teacher's decision recomputes.
pub fn marks_of(rubric: &Rubric, scoring: &Scoring, statuses: &[Status]) -> Marks {
    let n_points: usize = rubric.questions.iter().map(|q| q.points.len()).sum();
    let (points, wrong) = statuses.split_at(n_points.min(statuses.len()));
    let (mut at, mut at_wrong, mut covered) = (0, 0, 0);
    let mut scores: smallvec::SmallVec<[f64; 8]> = smallvec::SmallVec::new();
    let mut point_marks: smallvec::SmallVec<[f64; 24]> = smallvec::SmallVec::new();
    for (q, qs) in rubric.questions.iter().zip(&scoring.questions) {
        let mine = points.get(at..at + q.points.len()).unwrap_or(&[]);
        let theirs = wrong.get(at_wrong..at_wrong + q.misconceptions.len()).unwrap_or(&[]);
        at += q.points.len();
        at_wrong += q.misconceptions.len();
        let found = |m: usize| theirs.get(m) == Some(&Status::Covered);
        let from = point_marks.len();
        point_marks.extend(
            mine.iter()
                .zip(&qs.points)
                .enumerate()
                .map(|(i, (&s, &(marks, partial)))| match s {
                    _ if cancelled_by(q, i, found).is_some() => 0.0,
                    Status::Covered => marks,
                    Status::Partial => partial,
                    Status::Negated | Status::Missing => 0.0,
                }),
        );
        let marks = point_marks[from..].iter().zip(mine).map(|(&m, &s)| (m, s));
        scores.push(question_score(q, &qs.bands, qs.max, marks, found));
        covered += (0..mine.len())
            .filter(|&i| mine[i] == Status::Covered && cancelled_by(q, i, found).is_none())
            .count();
    }
    let total = total_score(
        &scoring.bands,
        scoring.max,
        rubric.rounding,
        scores.iter().copied(),
        covered,
    );
    Marks {
        total,
        questions: scores,
        points: point_marks,
    }
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
        let b = statuses(r, &doc);
        assert_eq!(b, a.brief());
        let Brief {
            score, statuses: alone, ..
        } = b;
        assert_eq!(score_statuses(r, &Scoring::of(r), &alone), score);
        let each = marks_of(r, &Scoring::of(r), &alone);
        let questions: Vec<f64> = a.questions.iter().map(|q| q.score).collect();
        assert_eq!(each.questions.to_vec(), questions);
        assert_eq!(each.points.to_vec(), a.points().map(|p| p.marks).collect::<Vec<_>>());
        let points: Vec<Status> = a.points().map(|p| p.finding.status).collect();
        assert_eq!(brief.points().map(|p| p.finding.status).collect::<Vec<_>>(), points);
        assert_eq!(alone, a.statuses());
        assert_eq!(brief.statuses(), a.statuses());
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

    /// A doghouse question with three misconceptions, one of each effect, and a banded
    /// question with one that cancels.
    const DOGHOUSE: &str = r#"title = "Doghouse"
[[question]]
id = "colour"
prompt = "How does the colour of the lid matter?"
[[question.point]]
id = "white"
label = "l"
hint = "h"
cues = ["white lid"]
[[question.point]]
id = "reflect"
label = "l"
hint = "h"
cues = ["reflects light"]
[[question.point]]
id = "absorb"
label = "l"
hint = "h"
cues = ["absorbs light"]
[[question.point]]
id = "black-cool"
label = "l"
hint = "h"
misconception = true
cues = ["black lid keeps it cool"]
cancels = ["white"]
[[question.point]]
id = "irrelevant"
label = "l"
hint = "h"
misconception = true
cues = ["colour is irrelevant"]
cap = 1
[[question.point]]
id = "light-heat"
label = "l"
hint = "h"
misconception = true
cues = ["light is heat"]
marks = -1

[[question]]
id = "walls"
prompt = "And the walls?"
bands = [{ covered = 1, marks = 1 }, { covered = 2, marks = 3 }]
[[question.point]]
id = "thick"
label = "l"
hint = "h"
cues = ["thick walls"]
[[question.point]]
id = "insulate"
label = "l"
hint = "h"
cues = ["insulation"]
[[question.point]]
id = "thin-warm"
label = "l"
hint = "h"
misconception = true
cues = ["thin walls keep the heat"]
cancels = ["insulate"]
"#;

    /// Pairs of answers with the same words, one making the wrong claim and one not: a
    /// misconception found takes its effect; negated, it is not found and takes none.
    #[test]
    fn a_misconception_found_cancels_caps_or_takes_marks_off() {
        let r = Rubric::from_str(DOGHOUSE, "t.toml").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.max, 6.0);
        let cases = [
            ("A white lid reflects light.", [2.0, 0.0]),
            ("A white lid reflects light. A black lid keeps it cool.", [1.0, 0.0]),
            (
                "A white lid reflects light. A black lid does not keep it cool.",
                [2.0, 0.0],
            ),
            (
                "A white lid reflects light, a black lid absorbs light. Colour is irrelevant.",
                [1.0, 0.0],
            ),
            (
                "A white lid reflects light, a black lid absorbs light. Colour is not irrelevant.",
                [3.0, 0.0],
            ),
            ("A white lid reflects light. Light is heat.", [1.0, 0.0]),
            ("Light is heat.", [0.0, 0.0]),
            ("Thick walls and insulation.", [0.0, 3.0]),
            // The cancelled point does not count towards the band.
            ("Thick walls and insulation. Thin walls keep the heat.", [0.0, 1.0]),
        ];
        for (text, want) in cases {
            let (q, total, _) = marks(&r, text);
            assert_eq!(q, want, "{text}");
            assert_eq!(total, want.iter().sum::<f64>(), "{text}");
        }
        let doc = Document::new(
            "A white lid reflects light. A black lid keeps it cool.".into(),
            crate::text::read::Format::Text,
            &r.language,
        );
        let a = assess(&r, &doc, false);
        let white = a.points().next().expect("a point");
        assert_eq!(white.finding.status, Status::Covered, "the point is still found");
        assert_eq!(
            (white.marks, white.cancelled_by.map(|p| p.id.as_str())),
            (0.0, Some("black-cool"))
        );
        let found: Vec<&str> = a.found_misconceptions().map(|m| m.point.id.as_str()).collect();
        assert_eq!(found, ["black-cool"]);
        assert_eq!(a.misconceptions().count(), 4);
        // The statuses: the five points, then the four misconceptions.
        use Status::*;
        assert_eq!(
            a.statuses().to_vec(),
            [
                Covered, Covered, Missing, Missing, Missing, Covered, Missing, Missing, Missing
            ]
        );
    }
}
