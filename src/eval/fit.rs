//! Fitting a rubric's scoring to human marks (`rubric fit`): the marks of its points (and of
//! a partly made point), its questions' caps and its count bands, chosen so that the tool's
//! scores agree best with the human scores, in whole or half marks.
//!
//! **What is searched.** Each number the rubric's scoring uses is a *knob*: a point's `marks`
//! (0 to the top human score); its `partial_marks` where some answer makes it partly; a
//! question's `max` (when it has two points or more); and, for a rubric or question scored by
//! count bands, the marks earned for each number of points covered (0 to the top human score,
//! never fewer for more points). Misconceptions keep their effects. When a rubric is scored by
//! bands over all its points, only those bands are knobs (the points' marks do not reach the
//! score); likewise a banded question's points.
//!
//! **How.** The points' statuses are found once per answer (matching is the costly part); a
//! score is then recomputed from the statuses for each value tried
//! ([`crate::score::score_statuses`]). Coordinate search: from the rubric's values rounded to
//! the step (for half marks, also from the best whole marks), each knob in rubric order is set to the value on the step's grid that gives the
//! highest QWK of the compared (rounded, clamped) scores against the human scores, ties broken
//! by more exact agreement; a value is changed only for a strict gain, and rounds repeat until
//! none changes (at most [`MAX_ROUNDS`]). Should the rounded start end lower than the rubric as
//! written, the search is run again from the written values, and the better kept: the fitted
//! scoring never agrees less with the answers it was fitted on.
//!
//! **Cross-validation.** The answers are ordered by id (numbers as numbers) and dealt into `k`
//! folds in turn. For each fold the scoring is fitted on the other folds and scores the fold's
//! answers; the cross-validated QWK pools those held-out scores. "Before" is the rubric as
//! written on the same answers. The scoring written is the one fitted on all answers.
//!
//! **Writing.** [`rewrite`] edits the rubric's text in place: only the numbers changed, at
//! their spans, every other byte kept (a key not written before is added on the line after
//! the point's or question's `id`; a changed list of bands is written anew as inline tables).

use std::ops::Range;

use serde::Serialize;

use super::metrics::{Confusion, compared_score};
use crate::matcher::Status;
use crate::scheme::Rubric;
use crate::scheme::model::{Band, RubricFile};
use crate::score::{QuestionScoring, Scoring, Statuses, band_marks, score_statuses};

/// Identifies the format of a fit report.
pub const SCHEMA: &str = "rubric-fit/1";

/// Most rounds of the coordinate search (each tries every knob once).
pub const MAX_ROUNDS: usize = 20;

/// Settings of a fit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FitOptions {
    /// The grid of marks: 1 (whole marks) or 0.5 (half marks).
    pub step: f64,
    /// Folds of the cross-validation (at least 2).
    pub folds: usize,
}

impl Default for FitOptions {
    /// Whole marks (they read best), 5 folds.
    fn default() -> Self {
        FitOptions { step: 1.0, folds: 5 }
    }
}

/// Why a fit cannot be made.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum FitError {
    #[error("the rubric's text does not parse: {0}")]
    Parse(String),
    #[error("--folds {folds}: there are only {answers} answers; use at most {answers} folds")]
    TooFewAnswers { folds: usize, answers: usize },
    #[error("every human score is {0}: there is nothing to fit to")]
    OneScore(i64),
    #[error(
        "the bands of {0} are written as [[bands]] tables and the fit changes which counts they name: write them as an inline list, `bands = [{{ covered = 2, marks = 1 }}]`"
    )]
    BandsNotInline(String),
}

/// One marked answer as the fit sees it: its id, human score and statuses.
#[derive(Debug, Clone)]
pub struct Marked {
    pub id: String,
    pub human: i64,
    pub statuses: Statuses,
}

/// Finds the statuses of every answer of `marks` once (on every core): what [`fit`] takes.
pub fn marked(rubric: &Rubric, marks: &super::marks::Marks) -> Vec<Marked> {
    use rayon::prelude::*;
    marks
        .answers
        .par_iter()
        .map(|a| Marked {
            id: a.id.clone(),
            human: a.score,
            statuses: crate::check::check_statuses(rubric, super::source(a)).1.statuses,
        })
        .collect()
}

/// A number of the scoring the fit may change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Knob {
    /// Question, point: `marks`.
    Marks(usize, usize),
    /// Question, point: `partial_marks`.
    Partial(usize, usize),
    /// Question: `max`.
    Cap(usize),
    /// Question, points covered: a band's marks.
    QuestionBand(usize, usize),
    /// Points covered: a band's marks over the whole rubric.
    Band(usize),
}

/// The values of every scoring number, as the search holds them.
#[derive(Debug, Clone, PartialEq)]
struct Values {
    /// Per question, per point (misconceptions apart).
    marks: Vec<Vec<f64>>,
    /// `None`: the rubric's `partial_credit` share of the marks.
    partial: Vec<Vec<Option<f64>>>,
    /// `None`: the natural cap (the sum of the marks, or the top band).
    cap: Vec<Option<f64>>,
    /// Per question scored by bands: the marks for 0, 1, ... points covered (empty: no bands).
    question_bands: Vec<Vec<f64>>,
    /// The same over the whole rubric.
    bands: Vec<f64>,
    /// The rubric's `max` when written.
    max: Option<f64>,
    partial_credit: f64,
}

/// The marks for each number of points covered, 0 to `n`, from a list of bands.
fn band_table(bands: &[Band], n: usize) -> Vec<f64> {
    if bands.is_empty() {
        return Vec::new();
    }
    (0..=n).map(|c| band_marks(bands, c)).collect()
}

/// The fewest bands that give `table`: one where the marks rise, most points first (as the
/// rubric compiles them).
fn table_bands(table: &[f64]) -> Vec<Band> {
    let mut out = Vec::new();
    let mut last = 0.0;
    for (c, &m) in table.iter().enumerate() {
        if m > last {
            out.push(Band {
                covered: c as u32,
                marks: m,
            });
            last = m;
        }
    }
    out.reverse();
    out
}

impl Values {
    /// The values the rubric is written with; `file` is its parsed text.
    fn of(rubric: &Rubric, file: &RubricFile) -> Values {
        let written = |q: usize| file_points(file, q);
        Values {
            marks: rubric
                .questions
                .iter()
                .map(|q| q.points.iter().map(|p| p.marks).collect())
                .collect(),
            partial: (0..rubric.questions.len())
                .map(|q| {
                    written(q)
                        .map(|p| p.partial_marks.as_ref().map(|s| *s.get_ref()))
                        .collect()
                })
                .collect(),
            cap: file
                .questions
                .iter()
                .map(|q| q.max.as_ref().map(|s| *s.get_ref()))
                .collect(),
            question_bands: rubric
                .questions
                .iter()
                .map(|q| band_table(&q.bands, q.points.len()))
                .collect(),
            bands: band_table(&rubric.bands, rubric.questions.iter().map(|q| q.points.len()).sum()),
            max: file.max.as_ref().map(|s| *s.get_ref()),
            partial_credit: rubric.partial_credit,
        }
    }

    fn get(&self, k: Knob) -> Option<f64> {
        match k {
            Knob::Marks(q, p) => Some(self.marks[q][p]),
            Knob::Partial(q, p) => self.partial[q][p],
            Knob::Cap(q) => self.cap[q],
            Knob::QuestionBand(q, c) => Some(self.question_bands[q][c]),
            Knob::Band(c) => Some(self.bands[c]),
        }
    }

    fn set(&mut self, k: Knob, v: Option<f64>) {
        let x = v.unwrap_or(0.0);
        match k {
            Knob::Marks(q, p) => self.marks[q][p] = x,
            Knob::Partial(q, p) => self.partial[q][p] = v,
            Knob::Cap(q) => self.cap[q] = v,
            Knob::QuestionBand(q, c) => self.question_bands[q][c] = x,
            Knob::Band(c) => self.bands[c] = x,
        }
    }

    /// What a partly made point earns: never more than the point.
    fn partial_marks(&self, q: usize, p: usize) -> f64 {
        let marks = self.marks[q][p];
        self.partial[q][p].unwrap_or(marks * self.partial_credit).min(marks)
    }

    /// A question's cap: its `max`, or the sum of its marks (the top band when banded).
    fn question_max(&self, q: usize) -> f64 {
        self.cap[q].unwrap_or_else(|| {
            if self.question_bands[q].is_empty() {
                self.marks[q].iter().sum()
            } else {
                self.question_bands[q].iter().copied().fold(0.0, f64::max)
            }
        })
    }

    /// The scoring these values make, as the rubric would compile them.
    fn scoring(&self) -> Scoring {
        let questions: Vec<QuestionScoring> = (0..self.marks.len())
            .map(|q| QuestionScoring {
                max: self.question_max(q),
                bands: table_bands(&self.question_bands[q]),
                points: (0..self.marks[q].len())
                    .map(|p| (self.marks[q][p], self.partial_marks(q, p)))
                    .collect(),
            })
            .collect();
        let max = self.max.unwrap_or_else(|| {
            if self.bands.is_empty() {
                questions.iter().map(|q| q.max).sum()
            } else {
                self.bands.iter().copied().fold(0.0, f64::max)
            }
        });
        Scoring {
            max,
            bands: table_bands(&self.bands),
            questions,
        }
    }

    /// The values rounded to the grid of `step` within `0..=top`, bands kept rising.
    fn rounded(&self, step: f64, top: f64) -> Values {
        let snap = |x: f64| ((x / step).round() * step).clamp(0.0, top);
        let rising = |t: &[f64]| {
            let mut last: f64 = 0.0;
            t.iter()
                .map(|&m| {
                    last = last.max(snap(m));
                    last
                })
                .collect()
        };
        let mut v = self.clone();
        for q in 0..v.marks.len() {
            for p in 0..v.marks[q].len() {
                v.marks[q][p] = snap(v.marks[q][p]);
                v.partial[q][p] = v.partial[q][p].map(|x| snap(x).min(v.marks[q][p]));
            }
            v.cap[q] = v.cap[q].map(|x| snap(x).max(step));
            v.question_bands[q] = rising(&v.question_bands[q]);
        }
        v.bands = rising(&v.bands);
        v
    }

    /// Partial marks written no higher than their point's marks (as the rubric requires).
    fn settled(mut self) -> Values {
        for q in 0..self.marks.len() {
            for p in 0..self.marks[q].len() {
                self.partial[q][p] = self.partial[q][p].map(|x| x.min(self.marks[q][p]));
            }
        }
        self
    }
}

/// The points of question `q` as written (misconceptions apart), in the compiled order.
fn file_points(file: &RubricFile, q: usize) -> impl Iterator<Item = &crate::scheme::model::PointFile> {
    file.questions[q]
        .points
        .iter()
        .filter(|p| p.misconception != Some(true))
}

/// How well a scoring agrees with the human scores of some answers: QWK (an undefined one
/// counts as -2, below any), then exact agreements.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Agreement {
    qwk: f64,
    exact: usize,
}

impl Agreement {
    fn beats(self, other: Agreement) -> bool {
        self.qwk > other.qwk + 1e-9 || (self.qwk >= other.qwk - 1e-9 && self.exact > other.exact)
    }
}

/// What the search needs to know about the answers and the rubric.
struct Problem<'a> {
    rubric: &'a Rubric,
    answers: &'a [Marked],
    lo: i64,
    hi: i64,
    knobs: Vec<Knob>,
    step: f64,
    /// Which knobs may be `None` (a key the rubric does not write).
    unwritten: Vec<bool>,
}

impl Problem<'_> {
    fn compared(&self, scoring: &Scoring, a: &Marked) -> i64 {
        compared_score(score_statuses(self.rubric, scoring, &a.statuses), self.lo, self.hi)
    }

    fn agreement(&self, scoring: &Scoring, idx: &[usize]) -> Agreement {
        let pairs: Vec<(i64, i64)> = idx
            .iter()
            .map(|&i| (self.answers[i].human, self.compared(scoring, &self.answers[i])))
            .collect();
        let c = Confusion::new(&pairs, self.lo, self.hi);
        Agreement {
            qwk: c.qwk().unwrap_or(-2.0),
            exact: pairs.iter().filter(|(h, t)| h == t).count(),
        }
    }

    /// The grid `from, from + step, ..., to`.
    fn grid(&self, from: f64, to: f64) -> Vec<f64> {
        let n = ((to - from) / self.step + 1e-9).floor().max(-1.0) as i64;
        (0..=n).map(|i| from + i as f64 * self.step).collect()
    }

    /// The values knob `k` may take next, given the others.
    fn candidates(&self, v: &Values, k: usize) -> Vec<Option<f64>> {
        let top = self.hi as f64;
        let rising = |t: &[f64], c: usize| {
            let low = if c == 0 { 0.0 } else { t[c - 1] };
            let high = t.get(c + 1).copied().unwrap_or(top);
            self.grid(0.0, top)
                .into_iter()
                .filter(|&x| x >= low - 1e-9 && x <= high + 1e-9)
                .map(Some)
                .collect()
        };
        let mut out: Vec<Option<f64>> = match self.knobs[k] {
            Knob::Marks(..) => self.grid(0.0, top).into_iter().map(Some).collect(),
            Knob::Partial(q, p) => self.grid(0.0, v.marks[q][p]).into_iter().map(Some).collect(),
            Knob::Cap(_) => self.grid(self.step, top).into_iter().map(Some).collect(),
            Knob::QuestionBand(q, c) => rising(&v.question_bands[q], c),
            Knob::Band(c) => rising(&v.bands, c),
        };
        if self.unwritten[k] {
            out.insert(0, None);
        }
        out
    }

    /// Coordinate search from `start`, on the answers `idx`.
    fn search(&self, start: Values, idx: &[usize]) -> (Values, Agreement) {
        let mut v = start;
        let mut best = self.agreement(&v.scoring(), idx);
        for _ in 0..MAX_ROUNDS {
            let mut changed = false;
            for k in 0..self.knobs.len() {
                let knob = self.knobs[k];
                let now = v.get(knob);
                let mut pick = (best, now);
                for x in self.candidates(&v, k) {
                    if x == now {
                        continue;
                    }
                    let mut t = v.clone();
                    t.set(knob, x);
                    let a = self.agreement(&t.scoring(), idx);
                    if a.beats(pick.0) {
                        pick = (a, x);
                    }
                }
                if pick.1 != now {
                    v.set(knob, pick.1);
                    best = pick.0;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        (v.settled(), best)
    }

    /// The best values for the answers `idx`: searched from the written values rounded to the
    /// step (and, for half marks, from the best whole marks), and from the written values
    /// themselves if that does better.
    fn fit(&self, written: &Values, idx: &[usize]) -> Values {
        let mut start = written.rounded(self.step, self.hi as f64);
        // A partly made point's share of the marks, rounded down to the grid: its own value.
        for &k in &self.knobs {
            if let Knob::Partial(q, p) = k
                && start.partial[q][p].is_none()
            {
                let share = start.marks[q][p] * start.partial_credit;
                start.partial[q][p] = Some((share / self.step + 1e-9).floor() * self.step);
            }
        }
        let (mut fitted, mut got) = self.search(start, idx);
        // Half marks: also from the best whole marks (on the finer grid too), which the search
        // from the rounded start can miss; the better is kept.
        if self.step < 1.0 {
            let whole = Problem {
                knobs: self.knobs.clone(),
                unwritten: self.unwritten.clone(),
                step: 1.0,
                ..*self
            };
            let (again, got_again) = self.search(whole.fit(written, idx), idx);
            if got_again.beats(got) {
                (fitted, got) = (again, got_again);
            }
        }
        let before = self.agreement(&written.scoring(), idx);
        if before.beats(got) {
            let (again, got_again) = self.search(written.clone(), idx);
            if got_again.beats(got) {
                return again;
            }
        }
        fitted
    }
}

/// QWK before and after the fit.
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub struct BeforeAfter {
    /// `null` when undefined.
    pub before: Option<f64>,
    pub after: Option<f64>,
}

/// One fold of the cross-validation.
#[derive(Debug, Clone, Serialize)]
pub struct FoldReport {
    pub fold: usize,
    /// Answers held out (scored by the fit made on the others).
    pub n: usize,
    /// QWK on the held-out answers, by the rubric as written and as fitted without them.
    pub qwk: BeforeAfter,
}

/// One number of the scoring changed.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Change {
    /// `marks`, `partial_marks`, `max` (a question's), `band`, or `example_score` (the
    /// `score` an example states, set to what the fitted scoring gives it, so that
    /// `rubric test` still passes).
    pub key: &'static str,
    pub question: String,
    /// The point, for `marks` and `partial_marks`; the example's name for `example_score`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub point: Option<String>,
    /// For `band`: the number of points covered; `question` is empty for the rubric's bands.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub covered: Option<usize>,
    /// The value in effect before and after (a `max` not written is the sum of the marks).
    pub old: f64,
    pub new: f64,
}

/// Everything `rubric fit` reports.
#[derive(Debug, Clone, Serialize)]
pub struct FitReport {
    pub schema: &'static str,
    /// Answers fitted on.
    pub n: usize,
    pub human_range: [i64; 2],
    /// The grid of marks: 1 or 0.5.
    pub step: f64,
    pub folds: usize,
    /// QWK on all the answers: the rubric as written, and as fitted on them.
    pub train: BeforeAfter,
    /// QWK of the held-out scores pooled over the folds.
    pub cross_validated: BeforeAfter,
    pub by_fold: Vec<FoldReport>,
    /// Exact agreement on all the answers, before and after.
    pub exact_agreement: [Option<f64>; 2],
    pub changes: Vec<Change>,
}

/// A fit: the report, and the values to write ([`rewrite`]).
#[derive(Debug)]
pub struct Fit {
    pub report: FitReport,
    written: Values,
    fitted: Values,
    /// The new `score` of each example that states one, by its index among the examples as
    /// written (`None`: unchanged, or its answer could not be read).
    example_scores: Vec<Option<f64>>,
}

/// What the examples that state a `score` score under `scoring` (their statuses found with the
/// rubric as written), in the order written; `None` for those that state none, or whose answer
/// cannot be read, or whose score does not change.
fn example_scores(rubric: &Rubric, scoring: &Scoring) -> Vec<Option<f64>> {
    rubric
        .examples
        .iter()
        .map(|ex| {
            let old = ex.score?;
            let source = super::examples::example_source(ex).ok()?;
            let statuses = crate::check::check_statuses(rubric, source).1.statuses;
            let new = score_statuses(rubric, scoring, &statuses);
            ((new - old).abs() > 1e-9).then_some(new)
        })
        .collect()
}

/// The fold of each answer: ordered by id ([`super::id_order`]), dealt in turn into `k`.
pub fn folds(ids: &[&str], k: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..ids.len()).collect();
    order.sort_by(|&a, &b| super::id_order(ids[a], ids[b]).then(a.cmp(&b)));
    let mut fold = vec![0; ids.len()];
    for (rank, &i) in order.iter().enumerate() {
        fold[i] = rank % k;
    }
    fold
}

/// The knobs of a rubric: see the module's documentation.
fn knobs(rubric: &Rubric, answers: &[Marked]) -> Vec<Knob> {
    let mut out = Vec::new();
    if !rubric.bands.is_empty() {
        let n: usize = rubric.questions.iter().map(|q| q.points.len()).sum();
        return (1..=n).map(Knob::Band).collect();
    }
    let mut at = 0;
    for (qi, q) in rubric.questions.iter().enumerate() {
        if !q.bands.is_empty() {
            out.extend((1..=q.points.len()).map(|c| Knob::QuestionBand(qi, c)));
        } else {
            for pi in 0..q.points.len() {
                out.push(Knob::Marks(qi, pi));
                if answers
                    .iter()
                    .any(|a| a.statuses.get(at + pi) == Some(&Status::Partial))
                {
                    out.push(Knob::Partial(qi, pi));
                }
            }
            if q.points.len() > 1 {
                out.push(Knob::Cap(qi));
            }
        }
        at += q.points.len();
    }
    out
}

/// Fits the scoring of `rubric` (whose text is `source`) to the marked answers.
pub fn fit(rubric: &Rubric, source: &str, answers: &[Marked], opts: FitOptions) -> Result<Fit, FitError> {
    let file: RubricFile = toml::from_str(source).map_err(|e| FitError::Parse(e.message().trim().to_string()))?;
    let lo = answers.iter().map(|a| a.human).min().unwrap_or(0);
    let hi = answers.iter().map(|a| a.human).max().unwrap_or(0);
    if lo == hi {
        return Err(FitError::OneScore(lo));
    }
    if opts.folds > answers.len() {
        return Err(FitError::TooFewAnswers {
            folds: opts.folds,
            answers: answers.len(),
        });
    }
    let knobs = knobs(rubric, answers);
    let written = Values::of(rubric, &file);
    // A cap not written may stay so; a partial point's marks are always on the grid.
    let unwritten = knobs
        .iter()
        .map(|&k| matches!(k, Knob::Cap(_)) && written.get(k).is_none())
        .collect();
    let problem = Problem {
        rubric,
        answers,
        lo,
        hi,
        knobs,
        step: opts.step,
        unwritten,
    };
    let all: Vec<usize> = (0..answers.len()).collect();
    let fitted = problem.fit(&written, &all);
    let (s_before, s_after) = (written.scoring(), fitted.scoring());
    let confusion = |s: &Scoring| {
        let pairs: Vec<(i64, i64)> = answers.iter().map(|a| (a.human, problem.compared(s, a))).collect();
        Confusion::new(&pairs, lo, hi)
    };
    let (c_before, c_after) = (confusion(&s_before), confusion(&s_after));

    let ids: Vec<&str> = answers.iter().map(|a| a.id.as_str()).collect();
    let fold = folds(&ids, opts.folds);
    let mut held_before = Vec::new();
    let mut held_after = Vec::new();
    let mut by_fold = Vec::new();
    for f in 0..opts.folds {
        let (test, train): (Vec<usize>, Vec<usize>) = all.iter().partition(|&&i| fold[i] == f);
        let scoring = problem.fit(&written, &train).scoring();
        let before: Vec<(i64, i64)> = test
            .iter()
            .map(|&i| (answers[i].human, problem.compared(&s_before, &answers[i])))
            .collect();
        let after: Vec<(i64, i64)> = test
            .iter()
            .map(|&i| (answers[i].human, problem.compared(&scoring, &answers[i])))
            .collect();
        by_fold.push(FoldReport {
            fold: f,
            n: test.len(),
            qwk: BeforeAfter {
                before: Confusion::new(&before, lo, hi).qwk(),
                after: Confusion::new(&after, lo, hi).qwk(),
            },
        });
        held_before.extend(before);
        held_after.extend(after);
    }
    let report = FitReport {
        schema: SCHEMA,
        n: answers.len(),
        human_range: [lo, hi],
        step: opts.step,
        folds: opts.folds,
        train: BeforeAfter {
            before: c_before.qwk(),
            after: c_after.qwk(),
        },
        cross_validated: BeforeAfter {
            before: Confusion::new(&held_before, lo, hi).qwk(),
            after: Confusion::new(&held_after, lo, hi).qwk(),
        },
        by_fold,
        exact_agreement: [c_before.exact(), c_after.exact()],
        changes: changes(rubric, &written, &fitted),
    };
    let example_scores = example_scores(rubric, &s_after);
    let mut report = report;
    for (ex, new) in rubric.examples.iter().zip(&example_scores) {
        if let (Some(old), Some(new)) = (ex.score, new) {
            report.changes.push(Change {
                key: "example_score",
                question: String::new(),
                point: Some(ex.name.clone()),
                covered: None,
                old,
                new: *new,
            });
        }
    }
    Ok(Fit {
        report,
        written,
        fitted,
        example_scores,
    })
}

/// The numbers `fitted` changes from `written`, in rubric order.
fn changes(rubric: &Rubric, written: &Values, fitted: &Values) -> Vec<Change> {
    let mut out = Vec::new();
    let differs = |a: f64, b: f64| (a - b).abs() > 1e-9;
    let change = |key, question: &str, point: Option<&str>, covered, old, new| Change {
        key,
        question: question.to_string(),
        point: point.map(str::to_string),
        covered,
        old,
        new,
    };
    for (qi, q) in rubric.questions.iter().enumerate() {
        for (pi, p) in q.points.iter().enumerate() {
            let (old, new) = (written.marks[qi][pi], fitted.marks[qi][pi]);
            if differs(old, new) {
                out.push(change("marks", &q.id, Some(&p.id), None, old, new));
            }
            // A share of the marks not written follows them: a change only when one is written.
            let (old, new) = (written.partial_marks(qi, pi), fitted.partial_marks(qi, pi));
            if written.partial[qi][pi] != fitted.partial[qi][pi] && differs(old, new) {
                out.push(change("partial_marks", &q.id, Some(&p.id), None, old, new));
            }
        }
        // A cap not written follows the marks: a change only when the fit writes one.
        let (old, new) = (written.question_max(qi), fitted.question_max(qi));
        if written.cap[qi] != fitted.cap[qi] && differs(old, new) {
            out.push(change("max", &q.id, None, None, old, new));
        }
        for (c, (&old, &new)) in written.question_bands[qi]
            .iter()
            .zip(&fitted.question_bands[qi])
            .enumerate()
        {
            if differs(old, new) {
                out.push(change("band", &q.id, None, Some(c), old, new));
            }
        }
    }
    for (c, (&old, &new)) in written.bands.iter().zip(&fitted.bands).enumerate() {
        if differs(old, new) {
            out.push(change("band", "", None, Some(c), old, new));
        }
    }
    out
}

/// A replacement of `range` of the text by `text` (an insertion when the range is empty).
#[derive(Debug)]
struct Edit {
    range: Range<usize>,
    text: String,
}

/// Where to add `key = value` to the table whose `id` value ends at `id_end`: on a new line
/// after the `id` line (indented as it is), or after the `id` in an inline table.
fn insert_after_id(source: &str, id_end: usize, key: &str, value: &str) -> Edit {
    let rest = &source[id_end..];
    let line_end = rest.find('\n').map_or(source.len(), |n| id_end + n);
    let tail = source[id_end..line_end].trim();
    if tail.is_empty() || tail.starts_with('#') {
        let line_start = source[..id_end].rfind('\n').map_or(0, |n| n + 1);
        let line = &source[line_start..id_end];
        let indent = &line[..line.len() - line.trim_start().len()];
        Edit {
            range: line_end..line_end,
            text: format!("\n{indent}{key} = {value}"),
        }
    } else {
        Edit {
            range: id_end..id_end,
            text: format!(", {key} = {value}"),
        }
    }
}

/// A mark as the rubric writes it: `2`, `0.5`.
fn number(x: f64) -> String {
    super::fmt_num(x)
}

/// The edits that write `table` over `bands` (spans in `source`); none when they give the same
/// marks. `whose` names the bands in an error.
fn band_edits(
    source: &str,
    bands: &[toml::Spanned<Band>],
    old: &[f64],
    table: &[f64],
    whose: &str,
) -> Result<Vec<Edit>, FitError> {
    if old == table || bands.is_empty() {
        return Ok(Vec::new());
    }
    let new = table_bands(table);
    let same_counts = new.len() == bands.len()
        && new
            .iter()
            .all(|n| bands.iter().any(|b| b.get_ref().covered == n.covered));
    if same_counts {
        // Only the marks change: each band's `marks` value, in place.
        let mut out = Vec::new();
        for b in bands {
            let want = new
                .iter()
                .find(|n| n.covered == b.get_ref().covered)
                .map_or(0.0, |n| n.marks);
            if (want - b.get_ref().marks).abs() > 1e-9 {
                let at = crate::scheme::compile::value_offset(source, b.span(), "marks");
                let len = source[at..]
                    .find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | '_' | 'e' | 'E')))
                    .unwrap_or(source.len() - at);
                out.push(Edit {
                    range: at..at + len,
                    text: number(want),
                });
            }
        }
        return Ok(out);
    }
    if !bands.iter().all(|b| source[b.span()].starts_with('{')) {
        return Err(FitError::BandsNotInline(whose.to_string()));
    }
    let start = bands.iter().map(|b| b.span().start).min().unwrap_or(0);
    let end = bands.iter().map(|b| b.span().end).max().unwrap_or(0);
    let descending = bands.len() > 1 && bands[0].get_ref().covered > bands[bands.len() - 1].get_ref().covered;
    let mut written: Vec<String> = new
        .iter()
        .map(|b| format!("{{ covered = {}, marks = {} }}", b.covered, number(b.marks)))
        .collect();
    if !descending {
        written.reverse();
    }
    Ok(vec![Edit {
        range: start..end,
        text: written.join(", "),
    }])
}

/// Lines starting with this at the top of a rubric are the note of an earlier fit, replaced by
/// the new one.
pub const NOTE_PREFIX: &str = "# rubric fit: ";

impl Fit {
    /// The rubric's text `source` with the fitted numbers written in place of the old ones and
    /// `note` (lines, each written after [`NOTE_PREFIX`]) on top, replacing an earlier fit's.
    pub fn rewrite(&self, source: &str, note: &[String]) -> Result<String, FitError> {
        let file: RubricFile = toml::from_str(source).map_err(|e| FitError::Parse(e.message().trim().to_string()))?;
        let (w, f) = (&self.written, &self.fitted);
        let mut edits: Vec<Edit> = Vec::new();
        let replace = |span: Range<usize>, x: f64| Edit {
            range: span,
            text: number(x),
        };
        for (qi, q) in file.questions.iter().enumerate() {
            let q_id_end = q.id.span().end;
            for (pi, p) in file_points(&file, qi).enumerate() {
                let id_end = p.id.span().end;
                let (old, new) = (w.marks[qi][pi], f.marks[qi][pi]);
                if (old - new).abs() > 1e-9 {
                    edits.push(match &p.marks {
                        Some(s) => replace(s.span(), new),
                        None => insert_after_id(source, id_end, "marks", &number(new)),
                    });
                }
                // A value equal to the share of the marks the rubric would give is not written.
                let share = f.marks[qi][pi] * f.partial_credit;
                if w.partial[qi][pi] != f.partial[qi][pi]
                    && let Some(new) = f.partial[qi][pi]
                    && (p.partial_marks.is_some() || (new - share).abs() > 1e-9)
                {
                    edits.push(match &p.partial_marks {
                        Some(s) => replace(s.span(), new),
                        None => insert_after_id(source, id_end, "partial_marks", &number(new)),
                    });
                }
            }
            if w.cap[qi] != f.cap[qi]
                && let Some(new) = f.cap[qi]
            {
                edits.push(match &q.max {
                    Some(s) => replace(s.span(), new),
                    None => insert_after_id(source, q_id_end, "max", &number(new)),
                });
            }
            let whose = format!("question `{}`", q.id.get_ref());
            edits.extend(band_edits(
                source,
                &q.bands,
                &w.question_bands[qi],
                &f.question_bands[qi],
                &whose,
            )?);
        }
        edits.extend(band_edits(source, &file.bands, &w.bands, &f.bands, "the rubric")?);
        // Examples are compiled in the order written (an example the rubric refused would have
        // stopped it loading).
        for (ex, new) in file.examples.iter().zip(&self.example_scores) {
            if let (Some(s), Some(new)) = (&ex.score, new) {
                edits.push(replace(s.span(), *new));
            }
        }
        edits.sort_by_key(|e| e.range.start);

        let mut body = String::with_capacity(source.len() + 256);
        let mut at = 0;
        for e in &edits {
            body.push_str(&source[at..e.range.start]);
            body.push_str(&e.text);
            at = e.range.end;
        }
        body.push_str(&source[at..]);
        // The note of an earlier fit goes; the new one comes first.
        let mut kept = body.as_str();
        while kept.starts_with(NOTE_PREFIX) {
            kept = kept.find('\n').map_or("", |n| &kept[n + 1..]);
        }
        let mut out = String::new();
        for line in note {
            out.push_str(NOTE_PREFIX);
            out.push_str(line);
            out.push('\n');
        }
        out.push_str(kept);
        Ok(out)
    }

    /// The scoring fitted, as [`score_statuses`] takes it.
    pub fn scoring(&self) -> Scoring {
        self.fitted.scoring()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::read::Format;
    use crate::text::tokens::Document;

    const RUBRIC: &str = r#"# A comment kept.
title = "Why did the Tsar fall?"

[[question]]
id = "causes"
prompt = "What weakened the Tsar?"

[[question.point]]
id = "war"   # the war
label = "War"
hint = "h"
cues = ["war"]

[[question.point]]
id = "bread"
label = "Bread"
hint = "h"
marks = 2
cues = ["bread"]

[[question.point]]
id = "duma"
label = "Duma"
hint = "h"
cues = ["duma"]
"#;

    fn marked(rubric: &Rubric, rows: &[(&str, i64, &str)]) -> Vec<Marked> {
        rows.iter()
            .map(|&(id, human, text)| {
                let doc = Document::new(text.to_string(), Format::Text, &rubric.language);
                Marked {
                    id: id.to_string(),
                    human,
                    statuses: crate::score::statuses(rubric, &doc).statuses,
                }
            })
            .collect()
    }

    /// Humans give 1 for war alone, 1 for bread alone and 2 for both; duma earns nothing.
    fn answers(rubric: &Rubric) -> Vec<Marked> {
        let mut rows = Vec::new();
        let texts = [
            (1, "the war"),
            (1, "bread was short"),
            (2, "the war and bread"),
            (0, "the duma"),
            (0, "nothing"),
            (2, "war, bread and the duma"),
        ];
        for k in 0..4 {
            for (i, &(h, t)) in texts.iter().enumerate() {
                rows.push((format!("{}", k * 10 + i), h, t));
            }
        }
        let rows: Vec<(&str, i64, &str)> = rows.iter().map(|(a, b, c)| (a.as_str(), *b, *c)).collect();
        marked(rubric, &rows)
    }

    #[test]
    fn the_search_finds_the_marks_the_humans_give() {
        let rubric = Rubric::from_str(RUBRIC, "t.toml").unwrap();
        let a = answers(&rubric);
        let whole = FitOptions { step: 1.0, folds: 5 };
        let fit = fit(&rubric, RUBRIC, &a, whole).unwrap();
        let r = &fit.report;
        assert!(r.train.before.unwrap() < 0.99, "{r:?}");
        assert!((r.train.after.unwrap() - 1.0).abs() < 1e-9, "{r:?}");
        let s = fit.scoring();
        assert_eq!(s.questions[0].points, [(1.0, 0.5), (1.0, 0.5), (0.0, 0.0)]);
        let got: Vec<(&str, Option<&str>, f64, f64)> = r
            .changes
            .iter()
            .map(|c| (c.key, c.point.as_deref(), c.old, c.new))
            .collect();
        assert_eq!(
            got,
            [("marks", Some("bread"), 2.0, 1.0), ("marks", Some("duma"), 1.0, 0.0)]
        );
        assert_eq!(r.by_fold.len(), 5);
        assert_eq!(r.by_fold.iter().map(|f| f.n).sum::<usize>(), a.len());
    }

    #[test]
    fn rewriting_changes_only_the_numbers_and_adds_the_note() {
        let rubric = Rubric::from_str(RUBRIC, "t.toml").unwrap();
        let whole = FitOptions { step: 1.0, folds: 5 };
        let fit = fit(&rubric, RUBRIC, &answers(&rubric), whole).unwrap();
        let out = fit.rewrite(RUBRIC, &["fitted".to_string()]).unwrap();
        let want = RUBRIC
            .replace("marks = 2", "marks = 1")
            .replace("id = \"duma\"\n", "id = \"duma\"\nmarks = 0\n");
        assert_eq!(out, format!("{NOTE_PREFIX}fitted\n{want}"));
        let again = Rubric::from_str(&out, "t.toml").unwrap();
        assert_eq!(Scoring::of(&again), fit.scoring());
        // A second fit's note replaces the first's.
        let twice = fit.rewrite(&out, &["second".to_string()]).unwrap();
        assert!(
            twice.starts_with(&format!("{NOTE_PREFIX}second\n# A comment kept.")),
            "{twice}"
        );
    }

    #[test]
    fn bands_are_fitted_as_marks_per_count_and_written_inline() {
        let src = RUBRIC.replace(
            "title = \"Why did the Tsar fall?\"",
            "title = \"Why did the Tsar fall?\"\nbands = [ { covered = 3, marks = 2 }, { covered = 1, marks = 1 } ]",
        );
        let rubric = Rubric::from_str(&src, "t.toml").unwrap();
        // Humans: 1 for any one point, 2 for any two.
        let a = marked(
            &rubric,
            &[
                ("1", 1, "the war"),
                ("2", 2, "the war and bread"),
                ("3", 2, "bread and the duma"),
                ("4", 0, "nothing"),
                ("5", 1, "the duma"),
                ("6", 2, "war, bread, duma"),
            ],
        );
        let opts = FitOptions { step: 1.0, folds: 2 };
        let fit = fit(&rubric, &src, &a, opts).unwrap();
        assert_eq!(fit.report.train.after, Some(1.0));
        assert_eq!(
            fit.scoring().bands,
            [Band { covered: 2, marks: 2.0 }, Band { covered: 1, marks: 1.0 }]
        );
        let out = fit.rewrite(&src, &[]).unwrap();
        assert!(
            out.contains("bands = [ { covered = 2, marks = 2 }, { covered = 1, marks = 1 } ]"),
            "{out}"
        );
        assert_eq!(Scoring::of(&Rubric::from_str(&out, "t.toml").unwrap()), fit.scoring());
    }

    #[test]
    fn half_marks_and_partial_marks() {
        let src = RUBRIC.replace("cues = [\"war\"]", "cues = [\"military defeat\"]\npartial = [\"war\"]");
        let rubric = Rubric::from_str(&src, "t.toml").unwrap();
        let a = marked(
            &rubric,
            &[
                ("1", 0, "the war"),
                ("2", 1, "a military defeat"),
                ("3", 1, "the war and bread"),
                ("4", 0, "nothing"),
                ("5", 2, "a military defeat and bread"),
                ("6", 1, "bread"),
            ],
        );
        assert!(a[0].statuses[0] == Status::Partial);
        let fit = fit(&rubric, &src, &a, FitOptions { step: 0.5, folds: 2 }).unwrap();
        let s = fit.scoring();
        // A partial war earns less than a half (0.5 + 1 would round up to 2 for answer 3).
        assert!(s.questions[0].points[0].1 < 0.5, "{s:?}");
        for (m, _) in &s.questions[0].points {
            assert_eq!((m * 2.0).fract(), 0.0, "{s:?}");
        }
        assert_eq!((s.questions[0].points[0].1 * 2.0).fract(), 0.0, "{s:?}");
        let out = fit.rewrite(&src, &[]).unwrap();
        assert_eq!(Scoring::of(&Rubric::from_str(&out, "t.toml").unwrap()), s);
    }

    #[test]
    fn folds_are_dealt_by_id_order_whatever_the_row_order() {
        let ids = ["10", "2", "b", "1", "a", "9"];
        // Ordered: 1, 2, 9, 10, a, b.
        assert_eq!(folds(&ids, 2), [1, 1, 1, 0, 0, 0]);
        let mut reversed = ids;
        reversed.reverse();
        let f: Vec<usize> = folds(&reversed, 2).into_iter().rev().collect();
        assert_eq!(f, folds(&ids, 2));
    }

    #[test]
    fn bad_inputs_are_errors() {
        let rubric = Rubric::from_str(RUBRIC, "t.toml").unwrap();
        let a = marked(&rubric, &[("1", 1, "war"), ("2", 1, "bread")]);
        assert_eq!(
            fit(&rubric, RUBRIC, &a, FitOptions::default()).unwrap_err(),
            FitError::OneScore(1)
        );
        let a = marked(&rubric, &[("1", 1, "war"), ("2", 0, "bread")]);
        assert!(matches!(
            fit(&rubric, RUBRIC, &a, FitOptions::default()),
            Err(FitError::TooFewAnswers { folds: 5, answers: 2 })
        ));
    }
}
