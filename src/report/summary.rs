//! The class summary of `rubric mark`: what was marked, the spread of scores, the points most
//! often missed, the files skipped or failed, and near-duplicate answers. Printed for people
//! ([`render_human`]) or as one JSON object (schema `rubric-mark-summary/1`, see `docs/mark.md`),
//! which also ends the `--json` file.

use std::fmt::Write;

use serde::Serialize;

use super::json::RubricRef;
use super::marks;
use super::printable::{json_printable, printable, printable_line};
use crate::batch::Batch;

/// Identifies the format of the summary object.
pub const SCHEMA: &str = "rubric-mark-summary/1";

/// Score bands: ten bands of percent.
pub const BANDS: usize = 10;

/// The band a score falls in: `0-10%` is band 0 ... `90-100%` band 9. A band holds its lower
/// bound, not its upper one, except the last, which holds 100%.
pub fn band(score: f64, max: f64) -> usize {
    let fraction = if max > 0.0 { score / max } else { 0.0 };
    ((fraction * BANDS as f64 + 1e-9).floor().max(0.0) as usize).min(BANDS - 1)
}

/// The label of a band: `0-10%`, `10-20%` ... `90-100%`.
pub fn band_label(band: usize) -> String {
    let step = 100 / BANDS;
    format!("{}-{}%", band * step, (band + 1) * step)
}

/// A percentage with one decimal, as in the JSON report.
pub fn percent(score: f64, max: f64) -> f64 {
    if max > 0.0 {
        (score / max * 1000.0).round() / 10.0
    } else {
        0.0
    }
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// The `--min-score` bar and the answers below it.
#[derive(Debug, Clone, Serialize)]
pub struct MinScore {
    /// The bar as given (`60%`, `0.6`, `6`).
    pub threshold: String,
    /// Ids of the answers below it.
    pub below: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct Counts {
    /// Answers marked.
    pub marked: usize,
    /// Answer files that could not be marked, and paths that could not be walked.
    pub failed: usize,
    /// Files left out (unsupported type, links to what was already included...).
    pub skipped: usize,
    /// Marked answers with at least one review reason.
    pub to_review: usize,
}

#[derive(Debug, Serialize)]
pub struct Scores {
    pub mean: f64,
    pub median: f64,
    pub min: f64,
    pub max: f64,
    pub mean_percent: f64,
}

#[derive(Debug, Serialize)]
pub struct Bin {
    pub band: String,
    pub count: usize,
}

#[derive(Debug, Serialize)]
pub struct PointStats<'a> {
    pub id: &'a str,
    pub question: &'a str,
    pub label: &'a str,
    /// Answers where the point has each status.
    #[serde(flatten)]
    pub counts: super::json::Counts,
    /// Answers where the point is not covered (partial, negated or missing).
    pub missed: usize,
}

/// A misconception across a class: in how many answers it is found.
#[derive(Debug, Serialize)]
pub struct MisconceptionStats<'a> {
    pub id: &'a str,
    pub question: &'a str,
    pub label: &'a str,
    pub found: usize,
}

#[derive(Debug, Serialize)]
pub struct AnswerRow<'a> {
    pub id: &'a str,
    /// The student's name on the roster, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<&'a str>,
    pub file: &'a str,
    pub score: f64,
    pub percent: f64,
    pub band: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duplicate_of: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub similarity: Option<f64>,
    /// The reasons to review it, in their fixed order (left out when there is none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub review: Vec<&'static str>,
}

/// One answer of the moderation sample (`--sample`).
#[derive(Debug, Serialize)]
pub struct SampleRow<'a> {
    pub id: &'a str,
    pub file: &'a str,
    pub score: f64,
    /// `flagged` (see `review`) or `spread` (chosen across the scores).
    pub why: &'static str,
    /// Its review reasons (those of a `flagged` answer).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub review: Vec<&'static str>,
    /// For a `spread` answer: its score's percentile rank in the class.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub percentile: Option<u8>,
}

#[derive(Debug, Serialize)]
pub struct Failed<'a> {
    /// The student id, for answer files (absent for folders).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<&'a str>,
    pub file: &'a str,
    pub reason: &'a str,
}

/// A student of the roster without an answer.
#[derive(Debug, Serialize)]
pub struct Absent<'a> {
    pub id: &'a str,
    pub name: &'a str,
}

#[derive(Debug, Serialize)]
pub struct Skipped<'a> {
    pub file: &'a str,
    pub reason: &'a str,
}

#[derive(Debug, Serialize)]
pub struct Duplicate<'a> {
    pub a: &'a str,
    pub b: &'a str,
    pub file_a: &'a str,
    pub file_b: &'a str,
    pub similarity: f64,
}

/// The summary of a batch.
#[derive(Debug, Serialize)]
pub struct Summary<'a> {
    pub schema: &'static str,
    pub rubric: RubricRef<'a>,
    /// The rubric's maximum score.
    pub max: f64,
    pub counts: Counts,
    /// Statistics of the scores; `null` when nothing was marked.
    pub scores: Option<Scores>,
    /// Answers per score band, lowest band first.
    pub distribution: Vec<Bin>,
    /// Every point, most often missed first.
    pub points: Vec<PointStats<'a>>,
    /// Every misconception of the rubric, in rubric order (left out when it has none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub misconceptions: Vec<MisconceptionStats<'a>>,
    /// Every marked answer, in report order.
    pub answers: Vec<AnswerRow<'a>>,
    pub failed: Vec<Failed<'a>>,
    pub skipped: Vec<Skipped<'a>>,
    /// With a roster: its students without an answer, by id (left out without a roster).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub no_submission: Option<Vec<Absent<'a>>>,
    /// The `--similarity` threshold.
    pub similarity_threshold: f64,
    /// Near-duplicate pairs, most similar first.
    pub near_duplicates: Vec<Duplicate<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_score: Option<MinScore>,
    pub warnings: &'a [String],
    /// With `--sample` only: the moderation sample, in report order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sample: Option<Vec<SampleRow<'a>>>,
}

fn reasons(r: crate::batch::Review) -> Vec<&'static str> {
    r.reasons().map(crate::batch::Reason::as_str).collect()
}

fn median(sorted: &[f64]) -> f64 {
    match sorted.len() {
        0 => 0.0,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

/// Builds the summary of a batch.
pub fn build<'a>(batch: &'a Batch<'_>, min_score: Option<MinScore>) -> Summary<'a> {
    let rubric = batch.rubric;
    // Per point, in rubric order (sorted most missed first below).
    let mut points: Vec<PointStats> = rubric
        .questions
        .iter()
        .flat_map(|q| {
            q.points.iter().map(move |p| PointStats {
                id: &p.id,
                question: &q.id,
                label: &p.label,
                counts: super::json::Counts::default(),
                missed: 0,
            })
        })
        .collect();
    // One pass over the marked answers (a batch can hold 100,000, each result in its own
    // allocation: every pass over them is mostly waiting for memory).
    let mut misconceptions: Vec<MisconceptionStats> = rubric
        .questions
        .iter()
        .flat_map(|q| {
            q.misconceptions.iter().map(move |p| MisconceptionStats {
                id: &p.id,
                question: &q.id,
                label: &p.label,
                found: 0,
            })
        })
        .collect();
    let mut scores: Vec<f64> = Vec::with_capacity(batch.entries.len());
    let mut answers: Vec<AnswerRow> = Vec::with_capacity(batch.entries.len());
    for (_, e, m) in batch.marked() {
        scores.push(m.score);
        for (stats, status) in points.iter_mut().zip(m.statuses.iter()) {
            stats.counts.add(*status);
        }
        // The statuses of the misconceptions follow the points'.
        let wrong = m.statuses.iter().skip(points.len());
        for (stats, status) in misconceptions.iter_mut().zip(wrong) {
            stats.found += usize::from(*status == crate::matcher::Status::Covered);
        }
        answers.push(AnswerRow {
            id: &e.id,
            name: batch.student(e).map(|s| s.name.as_str()).filter(|n| !n.is_empty()),
            file: &e.file,
            score: m.score,
            percent: percent(m.score, rubric.max),
            band: band_label(band(m.score, rubric.max)),
            duplicate_of: e.duplicate.map(|(i, _)| batch.entries[i].id.as_str()),
            similarity: e.duplicate.map(|(_, s)| round3(s)),
            review: reasons(m.review),
        });
    }
    scores.sort_by(f64::total_cmp);
    let stats = (!scores.is_empty()).then(|| {
        let mean = scores.iter().sum::<f64>() / scores.len() as f64;
        Scores {
            mean: round3(mean),
            median: round3(median(&scores)),
            min: scores[0],
            max: scores[scores.len() - 1],
            mean_percent: percent(mean, rubric.max),
        }
    });
    let mut bins = [0usize; BANDS];
    for s in &scores {
        bins[band(*s, rubric.max)] += 1;
    }
    for p in &mut points {
        p.missed = p.counts.partial + p.counts.negated + p.counts.missing;
    }
    // A stable sort keeps rubric order among equals.
    points.sort_by(|a, b| b.missed.cmp(&a.missed).then(b.counts.missing.cmp(&a.counts.missing)));

    let mut failed: Vec<Failed> = batch
        .entries
        .iter()
        .filter_map(|e| match &e.outcome {
            crate::batch::Outcome::Failed(r) => Some(Failed {
                id: Some(&e.id),
                file: &e.file,
                reason: r,
            }),
            crate::batch::Outcome::Marked(_) => None,
        })
        .collect();
    failed.extend(batch.problems.iter().map(|p| Failed {
        id: None,
        file: &p.file,
        reason: &p.reason,
    }));
    Summary {
        schema: SCHEMA,
        rubric: RubricRef {
            title: &rubric.title,
            path: rubric.path.as_ref().map(|p| p.display().to_string()),
        },
        max: rubric.max,
        counts: Counts {
            marked: scores.len(),
            failed: failed.len(),
            skipped: batch.skipped.len(),
            to_review: answers.iter().filter(|a| !a.review.is_empty()).count(),
        },
        scores: stats,
        distribution: bins
            .iter()
            .enumerate()
            .map(|(i, &count)| Bin {
                band: band_label(i),
                count,
            })
            .collect(),
        points,
        misconceptions,
        answers,
        failed,
        skipped: batch
            .skipped
            .iter()
            .map(|s| Skipped {
                file: &s.file,
                reason: &s.reason,
            })
            .collect(),
        no_submission: batch.roster.as_ref().map(|_| {
            let mut absent: Vec<Absent> = batch
                .absent()
                .into_iter()
                .map(|s| Absent {
                    id: &s.id,
                    name: &s.name,
                })
                .collect();
            absent.sort_by(|a, b| crate::batch::ids::natural_cmp(a.id, b.id));
            absent
        }),
        similarity_threshold: batch.similarity,
        near_duplicates: batch
            .pairs
            .iter()
            .map(|p| Duplicate {
                a: &batch.entries[p.a].id,
                b: &batch.entries[p.b].id,
                file_a: &batch.entries[p.a].file,
                file_b: &batch.entries[p.b].file,
                similarity: round3(p.similarity),
            })
            .collect(),
        min_score,
        warnings: &batch.warnings,
        sample: batch.sample.as_ref().map(|picks| {
            picks
                .iter()
                .filter_map(|p| {
                    let e = &batch.entries[p.entry];
                    let m = e.marked()?;
                    let (why, percentile) = match p.why {
                        crate::batch::review::Why::Flagged => ("flagged", None),
                        crate::batch::review::Why::Spread { percentile } => ("spread", Some(percentile)),
                    };
                    Some(SampleRow {
                        id: &e.id,
                        file: &e.file,
                        score: m.score,
                        why,
                        review: reasons(m.review),
                        percentile,
                    })
                })
                .collect()
        }),
    }
}

/// The summary as one line of JSON ([`json_printable`]).
pub fn render_json(summary: &Summary) -> String {
    json_printable(serde_json::to_string(summary).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}")))
}

/// Points listed in the human summary.
const MOST_MISSED: usize = 5;
/// Near-duplicate pairs listed in the human summary (all are in the JSON).
const DUPLICATES_SHOWN: usize = 20;
/// Width of the longest bar of the distribution.
const BAR: usize = 30;

/// Answers listed under "To review" in the human summary (all are in the JSON and the CSV).
const REVIEW_SHOWN: usize = 20;

/// The answers to review, and the moderation sample.
fn review(out: &mut String, s: &Summary) {
    if s.counts.to_review > 0 {
        let mut counts: Vec<(&str, usize)> = Vec::new();
        for r in crate::batch::Reason::ALL {
            let n = s.answers.iter().filter(|a| a.review.contains(&r.as_str())).count();
            if n > 0 {
                counts.push((r.as_str(), n));
            }
        }
        let by_reason: Vec<String> = counts.iter().map(|(r, n)| format!("{r} {n}")).collect();
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "To review: {} of {} ({}):",
            s.counts.to_review,
            s.counts.marked,
            by_reason.join(", ")
        );
        let flagged = s.answers.iter().filter(|a| !a.review.is_empty());
        for a in flagged.clone().take(REVIEW_SHOWN) {
            let _ = writeln!(out, "  {}  {}", printable_line(a.id), a.review.join(", "));
        }
        if s.counts.to_review > REVIEW_SHOWN {
            let _ = writeln!(
                out,
                "  ... and {} more (the review column of --csv, --format json)",
                s.counts.to_review - REVIEW_SHOWN
            );
        }
    }
    let Some(sample) = &s.sample else { return };
    let _ = writeln!(out);
    let _ = writeln!(out, "Moderation sample ({} answers):", sample.len());
    let idw = sample.iter().map(|r| r.id.chars().count()).max().unwrap_or(0);
    let sw = sample.iter().map(|r| marks(r.score).len()).max().unwrap_or(0);
    for r in sample {
        let why = match r.percentile {
            Some(p) => format!("score spread: percentile {p}"),
            None => format!("to review: {}", r.review.join(", ")),
        };
        let _ = writeln!(out, "  {:<idw$}  {:>sw$}  {why}", printable_line(r.id), marks(r.score));
    }
}

/// The summary for people: plain text, no colours, no timings. Names and rubric text are
/// [`printable`].
pub fn render_human(s: &Summary) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", printable(s.rubric.title));
    if let Some(p) = &s.rubric.path {
        let _ = writeln!(out, "Rubric: {}", printable_line(p));
    }
    let _ = writeln!(out);
    let plural = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let _ = writeln!(
        out,
        "{} marked, {} failed, {} skipped.",
        plural(s.counts.marked, "answer", "answers"),
        s.counts.failed,
        s.counts.skipped
    );
    if let Some(sc) = &s.scores {
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "Scores out of {}: mean {} ({}%), median {}, lowest {}, highest {}",
            marks(s.max),
            marks(sc.mean),
            sc.mean_percent,
            marks(sc.median),
            marks(sc.min),
            marks(sc.max)
        );
        let top = s.distribution.iter().map(|b| b.count).max().unwrap_or(0).max(1);
        let width = s.distribution.iter().map(|b| b.band.len()).max().unwrap_or(0);
        for b in &s.distribution {
            let bar = "█".repeat((b.count * BAR).div_ceil(top));
            let _ = writeln!(
                out,
                "  {:>width$}  {bar}{}{}",
                b.band,
                if bar.is_empty() { "" } else { " " },
                b.count
            );
        }
        let missed: Vec<&PointStats> = s.points.iter().filter(|p| p.missed > 0).take(MOST_MISSED).collect();
        if !missed.is_empty() {
            let _ = writeln!(out);
            let _ = writeln!(out, "Most-missed points (not covered, of {} answers):", s.counts.marked);
            let idw = missed.iter().map(|p| p.id.chars().count()).max().unwrap_or(0);
            for p in missed {
                let _ = writeln!(
                    out,
                    "  {:<idw$}  {}: missed by {} ({} partial, {} negated, {} missing)",
                    printable_line(p.id),
                    printable(p.label),
                    p.missed,
                    p.counts.partial,
                    p.counts.negated,
                    p.counts.missing
                );
            }
        }
    }
    let found: Vec<&MisconceptionStats> = s.misconceptions.iter().filter(|m| m.found > 0).collect();
    if !found.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(out, "Misconceptions found (of {} answers):", s.counts.marked);
        let idw = found.iter().map(|m| m.id.chars().count()).max().unwrap_or(0);
        for m in found {
            let _ = writeln!(
                out,
                "  {:<idw$}  {}: in {}",
                printable_line(m.id),
                printable(m.label),
                m.found
            );
        }
    }
    if let Some(m) = &s.min_score {
        let _ = writeln!(out);
        if m.below.is_empty() {
            let _ = writeln!(
                out,
                "Every answer reaches --min-score {}.",
                printable_line(&m.threshold)
            );
        } else {
            let _ = writeln!(
                out,
                "Below --min-score {}: {}: {}",
                printable_line(&m.threshold),
                plural(m.below.len(), "answer", "answers"),
                printable_line(&m.below.join(", "))
            );
        }
    }
    if !s.near_duplicates.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "Near-duplicates (similarity {} or more): {}",
            s.similarity_threshold,
            plural(s.near_duplicates.len(), "pair", "pairs")
        );
        for d in s.near_duplicates.iter().take(DUPLICATES_SHOWN) {
            let _ = writeln!(
                out,
                "  {:.2}  {} ~ {}  ({}, {})",
                d.similarity,
                printable_line(d.a),
                printable_line(d.b),
                printable_line(d.file_a),
                printable_line(d.file_b)
            );
        }
        if s.near_duplicates.len() > DUPLICATES_SHOWN {
            let _ = writeln!(
                out,
                "  ... and {} more (all are in --format json and the reports)",
                s.near_duplicates.len() - DUPLICATES_SHOWN
            );
        }
    }
    review(&mut out, s);
    if !s.failed.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(out, "Failed ({}):", s.failed.len());
        for f in &s.failed {
            let _ = writeln!(out, "  {}: {}", printable_line(f.file), printable(f.reason));
        }
    }
    if let Some(absent) = s.no_submission.as_ref().filter(|a| !a.is_empty()) {
        let _ = writeln!(out);
        let _ = writeln!(out, "No submission ({}, on the roster):", absent.len());
        for a in absent {
            match a.name {
                "" => {
                    let _ = writeln!(out, "  {}", printable_line(a.id));
                }
                name => {
                    let _ = writeln!(out, "  {} ({})", printable_line(name), printable_line(a.id));
                }
            }
        }
    }
    if !s.skipped.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(out, "Skipped ({}):", s.skipped.len());
        for f in &s.skipped {
            let _ = writeln!(out, "  {}: {}", printable_line(f.file), printable(f.reason));
        }
    }
    if !s.warnings.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(out, "Warnings:");
        for w in s.warnings {
            let _ = writeln!(out, "  {}", printable(w));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands() {
        assert_eq!(band(0.0, 10.0), 0);
        assert_eq!(band(0.99, 10.0), 0);
        assert_eq!(band(1.0, 10.0), 1);
        assert_eq!(band(7.0, 10.0), 7);
        assert_eq!(band(6.9, 10.0), 6);
        assert_eq!(band(10.0, 10.0), 9);
        assert_eq!(band(3.0, 0.0), 0);
        assert_eq!(band_label(0), "0-10%");
        assert_eq!(band_label(9), "90-100%");
        // 0.7 is not exactly representable: still band 7.
        assert_eq!(band(0.7, 1.0), 7);
    }

    #[test]
    fn medians() {
        assert_eq!(median(&[1.0, 2.0, 4.0]), 2.0);
        assert_eq!(median(&[1.0, 2.0, 4.0, 5.0]), 3.0);
        assert_eq!(median(&[]), 0.0);
    }
}
