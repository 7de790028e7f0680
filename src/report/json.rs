//! The JSON report of `rubric check --format json`: one object per answer (JSON Lines when
//! several answers are checked). Its schema is versioned by the `schema` field and documented
//! field by field in `docs/json-schema.md`; fields are only ever added within a version.

use serde::Serialize;

use super::Options;
use crate::matcher::{CueTrace, Evidence, Status};
use crate::scheme::{Question, Rubric};
use crate::score::Assessment;

/// Identifies the format of a check report.
pub const SCHEMA: &str = "rubric-check/1";

#[derive(Debug, Serialize)]
pub struct Report<'a> {
    pub schema: &'static str,
    pub file: &'a str,
    pub rubric: RubricRef<'a>,
    pub score: f64,
    pub max: f64,
    pub percent: f64,
    pub counts: Counts,
    pub questions: Vec<QuestionReport<'a, PointReport<'a>>>,
    /// When the rubric names a source passage: how much of the answer is copied from it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceReport>,
    /// In the JSON Lines of `rubric mark` only: the reasons to review the answer, in their
    /// fixed order (`crate::batch::review`), maybe none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub review: Option<Vec<&'static str>>,
    /// With `check --since`: what changed since the earlier report.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub progress: Option<&'a super::progress::Progress>,
}

/// How much of an answer is copied from the rubric's source passage.
#[derive(Debug, Serialize)]
pub struct SourceReport {
    /// Words of the answer.
    pub words: usize,
    /// Words inside phrases copied from the passage.
    pub copied_words: usize,
    /// `copied_words / words`, three decimals.
    pub copied_share: f64,
}

#[derive(Debug, Serialize)]
pub struct RubricRef<'a> {
    pub title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

/// How many points have each status (of an answer; of a point across a class, in
/// [`super::summary`]).
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Counts {
    pub covered: usize,
    pub partial: usize,
    pub negated: usize,
    pub missing: usize,
}

impl Counts {
    /// One more of `status`.
    pub fn add(&mut self, status: Status) {
        match status {
            Status::Covered => self.covered += 1,
            Status::Partial => self.partial += 1,
            Status::Negated => self.negated += 1,
            Status::Missing => self.missing += 1,
        }
    }
}

impl From<[usize; 4]> for Counts {
    /// From [`Assessment::counts`]: covered, partial, negated, missing.
    fn from([covered, partial, negated, missing]: [usize; 4]) -> Counts {
        Counts {
            covered,
            partial,
            negated,
            missing,
        }
    }
}

/// A question as the JSON outputs show it, each point as a `P`: in a check report with the
/// score earned and each point's result ([`PointReport`]); in `rubric serve`'s listing of the
/// rubrics with no score, and each point described.
#[derive(Debug, Serialize)]
pub struct QuestionReport<'a, P> {
    pub id: &'a str,
    pub prompt: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    pub max: f64,
    pub points: Vec<P>,
    /// The question's misconceptions, found or not (left out when it has none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub misconceptions: Vec<MisconceptionReport<'a>>,
}

impl<'a, P> QuestionReport<'a, P> {
    /// Question `q`, with its score if it was marked.
    pub fn new(q: &'a Question, score: Option<f64>, points: impl Iterator<Item = P>) -> Self {
        QuestionReport {
            id: &q.id,
            prompt: &q.prompt,
            score,
            max: q.max,
            points: points.collect(),
            misconceptions: Vec::new(),
        }
    }
}

/// A misconception of a question: whether the answer makes it, the words that do, its hint,
/// and what it does to the question's marks when found.
#[derive(Debug, Serialize)]
pub struct MisconceptionReport<'a> {
    pub id: &'a str,
    pub label: &'a str,
    pub found: bool,
    pub evidence: &'a [Evidence],
    pub hint: &'a str,
    pub effect: Effect<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explain: Option<&'a [CueTrace]>,
}

/// [`crate::scheme::Misconception`] as JSON: the ids of the points it cancels, the cap, and
/// the marks it takes off as a negative number (`0` for none).
#[derive(Debug, Serialize)]
pub struct Effect<'a> {
    pub cancels: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cap: Option<f64>,
    pub marks: f64,
}

#[derive(Debug, Serialize)]
pub struct PointReport<'a> {
    pub id: &'a str,
    pub label: &'a str,
    pub status: Status,
    pub marks: f64,
    pub max_marks: f64,
    pub evidence: &'a [Evidence],
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<&'a str>,
    /// Every step of a hint written in steps (`hint` is the steps shown).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hints: Option<&'a [String]>,
    /// A partial point: the student's "why not?" sentence ([`super::why_not`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub why_not: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lacking: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reveal: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explain: Option<&'a [CueTrace]>,
    /// The id of the misconception found that cancels this point (it earns nothing).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cancelled_by: Option<&'a str>,
}

/// Builds the serialisable report of one answer.
pub fn report<'a>(file: &'a str, rubric: &'a Rubric, a: &'a Assessment, opts: Options) -> Report<'a> {
    Report {
        schema: SCHEMA,
        file,
        rubric: RubricRef {
            title: &rubric.title,
            path: rubric.path.as_ref().map(|p| p.display().to_string()),
        },
        score: a.score,
        max: a.max,
        percent: (a.fraction() * 1000.0).round() / 10.0,
        counts: Counts::from(a.counts()),
        questions: a
            .questions
            .iter()
            .map(|q| {
                let points = q.points.iter().map(|p| {
                    let done = p.finding.status == Status::Covered;
                    PointReport {
                        id: &p.point.id,
                        label: &p.point.label,
                        status: p.finding.status,
                        marks: p.marks,
                        max_marks: p.point.marks,
                        evidence: &p.finding.evidence,
                        hint: (!done).then_some(p.point.hint.as_str()),
                        hints: (!done && p.point.hints.len() > 1).then_some(p.point.hints.as_slice()),
                        why_not: super::why_not::sentence(p),
                        lacking: p.finding.lacking.as_deref(),
                        reveal: if opts.reveal && rubric.allow_reveal && !done {
                            p.point.reveal.as_deref()
                        } else {
                            None
                        },
                        explain: opts.explain.then_some(p.finding.trace.as_slice()),
                        cancelled_by: p.cancelled_by.map(|m| m.id.as_str()),
                    }
                });
                let mut report = QuestionReport::new(q.question, Some(q.score), points);
                report.misconceptions = q
                    .misconceptions
                    .iter()
                    .map(|m| MisconceptionReport {
                        id: &m.point.id,
                        label: &m.point.label,
                        found: m.found(),
                        evidence: &m.finding.evidence,
                        hint: &m.point.hint,
                        effect: effect(q.question, m.point),
                        explain: opts.explain.then_some(m.finding.trace.as_slice()),
                    })
                    .collect();
                report
            })
            .collect(),
        source: a.copied.map(|c| SourceReport {
            words: c.words,
            copied_words: c.copied,
            copied_share: (c.share() * 1000.0).round() / 1000.0,
        }),
        review: None,
        progress: None,
    }
}

/// The JSON [`Effect`] of misconception `m` of question `q`.
fn effect<'a>(q: &'a Question, m: &'a crate::scheme::Point) -> Effect<'a> {
    let e = m.misconception.clone().unwrap_or_default();
    Effect {
        cancels: e.cancels.iter().map(|&i| q.points[i].id.as_str()).collect(),
        cap: e.cap,
        marks: if e.deduct > 0.0 { -e.deduct } else { 0.0 },
    }
}

/// `--format json`: each answer's report on a line of its own (JSON Lines).
#[derive(Debug)]
pub struct Json {
    opts: Options,
}

impl Json {
    pub fn new(opts: Options) -> Json {
        Json { opts }
    }
}

impl super::Reporter for Json {
    fn answer(&mut self, c: &super::ci::Checked) -> String {
        let mut r = report(c.file, c.rubric, c.assessment, self.opts);
        r.progress = c.progress;
        line(&r) + "\n"
    }
}

/// One line of JSON for one answer.
pub fn render(file: &str, rubric: &Rubric, a: &Assessment, opts: Options) -> String {
    line(&report(file, rubric, a, opts))
}

/// [`render`] with the answer's review reasons (`rubric mark --json`).
pub fn render_reviewed(
    file: &str,
    rubric: &Rubric,
    a: &Assessment,
    opts: Options,
    review: crate::batch::Review,
) -> String {
    let mut r = report(file, rubric, a, opts);
    r.review = Some(review.reasons().map(crate::batch::Reason::as_str).collect());
    line(&r)
}

fn line(r: &Report) -> String {
    // Serialising plain structs of strings and numbers cannot fail.
    super::printable::json_printable(serde_json::to_string(r).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}")))
}
