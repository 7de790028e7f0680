//! Testing a rubric: against answers that people have marked, how well the tool's scores
//! agree with the human scores (`rubric eval`), and which cues the rubric seems to be missing
//! (`rubric suggest`); against the rubric's own examples ([`examples`], `rubric test`); and for
//! cues likely to mislead ([`lint`], `rubric lint`).
//!
//! [`marks`] reads the marked answers (CSV or TSV), [`metrics`] holds the agreement statistics
//! (quadratic weighted kappa, confusion matrix, precision and recall), [`evaluate`] scores
//! every answer and builds the [`EvalReport`], and [`suggest`] looks for words and spellings
//! that separate high from low answers. The command line renders the reports
//! (`src/cli/eval.rs`, `src/cli/suggest.rs`); both serialise to JSON as they are.
//!
//! **Comparing scores.** The tool's score (marks, possibly with halves from partial points) is
//! rounded by the rubric's `rounding` rule ([`Rounding`]; when it sets none, to the nearest
//! integer, halves up: 1.5 → 2, 2.5 → 3), and clamped to the range of human scores seen in
//! the marks file. Scores are not rescaled: a rubric meant
//! to be compared with human marks of 0 to 3 should have a maximum of 3.

pub mod draft;
pub mod examples;
pub mod expand;
pub mod fit;
pub mod lint;
pub mod marks;
pub mod metrics;
pub mod separation;
pub mod suggest;
pub mod wordnet;

use std::cmp::Ordering;

use serde::Serialize;

use crate::check::Checked;
use crate::matcher::{CueTrace, Detail, NearMiss, Status, WordMatch};
use crate::scheme::{Point, Rounding, Rubric};
use crate::text::read::{Encoding, Source};
use marks::{Answer, Marks, RowProblem};
use metrics::{Binary, Confusion, compared_score};
use separation::PointSeparation;

/// Identifies the format of an eval report.
pub const SCHEMA: &str = "rubric-eval/1";

/// How tool scores are compared with human scores under the rubric's `rounding`, as reports
/// state it.
pub fn rounding_text(rule: Rounding) -> String {
    match rule {
        Rounding::None => {
            "tool scores rounded to the nearest integer (halves up), then clamped to the human score range".to_string()
        }
        rule => format!(
            "tool scores rounded by the rubric's rounding = \"{}\" ({}), then clamped to the human score range",
            rule.name(),
            rule.describe()
        ),
    }
}

/// Settings of an evaluation.
#[derive(Debug, Clone, Copy)]
pub struct EvalOptions {
    /// How many of the worst disagreements to explain.
    pub worst: usize,
    /// The bar for `--min-qwk`.
    pub min_qwk: Option<f64>,
    /// `--cell HUMAN,TOOL`: list that cell's answers (up to `worst`) instead of the worst
    /// disagreements.
    pub cell: Option<(i64, i64)>,
}

impl Default for EvalOptions {
    fn default() -> Self {
        EvalOptions {
            worst: 10,
            min_qwk: None,
            cell: None,
        }
    }
}

/// Checks an answer of a marks file, telling as much as `detail` asks.
pub fn check<'r>(rubric: &'r Rubric, answer: &Answer, detail: Detail) -> Checked<'r> {
    crate::check::check(rubric, source(answer), detail)
}

/// An answer of a marks file as the checker reads it.
pub(crate) fn source(answer: &Answer) -> Source {
    Source {
        name: answer.id.clone(),
        text: answer.text.clone(),
        format: answer.format,
        encoding: Encoding::Utf8,
    }
}

/// The rubric's points in order, across questions.
pub fn points(rubric: &Rubric) -> impl Iterator<Item = &Point> {
    rubric.questions.iter().flat_map(|q| q.points.iter())
}

/// Index of a point (in [`points`] order) by id.
pub fn point_index(rubric: &Rubric, id: &str) -> Option<usize> {
    points(rubric).position(|p| p.id == id)
}

/// One answer as the tool scored it.
#[derive(Debug, Clone)]
pub struct Scored {
    /// The tool's score, as computed.
    pub tool: f64,
    /// The score compared with the human's: rounded and clamped.
    pub compared: i64,
    /// Each point's status, in [`points`] order.
    pub statuses: Vec<Status>,
}

/// Scores every answer (without explanations), comparing with the human range `lo..=hi`.
pub fn score_all(rubric: &Rubric, marks: &Marks, lo: i64, hi: i64) -> Vec<Scored> {
    marks
        .answers
        .iter()
        .map(|a| {
            let assessment = check(rubric, a, Detail::Status).assessment;
            Scored {
                tool: assessment.score,
                compared: compared_score(assessment.score, lo, hi),
                statuses: assessment.points().map(|p| p.finding.status).collect(),
            }
        })
        .collect()
}

/// Orders answer ids as numbers when both are, else as text.
pub fn id_order(a: &str, b: &str) -> Ordering {
    match (a.parse::<i64>(), b.parse::<i64>()) {
        (Ok(x), Ok(y)) => x.cmp(&y),
        _ => a.cmp(b),
    }
}

/// The start of a text, white space collapsed, cut at `chars` characters with `…`.
pub fn text_start(text: &str, chars: usize) -> String {
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.chars().count() <= chars {
        return collapsed;
    }
    let cut: String = collapsed.chars().take(chars).collect();
    // End on a word boundary when one is near.
    let cut = match cut.rfind(' ') {
        Some(i) if i > chars / 2 => cut[..i].to_string(),
        _ => cut,
    };
    format!("{cut}…")
}

/// Characters of answer text shown with a disagreement.
pub const TEXT_START_CHARS: usize = 160;

#[derive(Debug, Clone, Serialize)]
pub struct RubricRef {
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    pub max: f64,
}

impl RubricRef {
    pub fn new(rubric: &Rubric) -> RubricRef {
        RubricRef {
            title: rubric.title.clone(),
            path: rubric.path.as_ref().map(|p| p.display().to_string()),
            max: rubric.max,
        }
    }
}

/// The marks file and what was read from it.
#[derive(Debug, Clone, Serialize)]
pub struct MarksRef {
    pub path: String,
    /// The delimiter used, `"\t"` for tab.
    pub delimiter: String,
    pub id_col: String,
    pub score_col: String,
    /// The column of the answer text, or of the answer files' paths when `text_is_file`.
    pub text_col: String,
    pub text_is_file: bool,
    /// Rows used.
    pub rows: usize,
    /// Rows left out by `--filter`.
    pub filtered_out: usize,
    /// Rows that could not be used, with their line.
    pub skipped: Vec<RowProblem>,
}

impl MarksRef {
    pub fn new(m: &Marks) -> MarksRef {
        MarksRef {
            path: m.path.clone(),
            delimiter: (m.delimiter as char).to_string(),
            id_col: m.id_col.clone(),
            score_col: m.score_col.clone(),
            text_col: m.text_col.clone(),
            text_is_file: m.text_is_file,
            rows: m.answers.len(),
            filtered_out: m.filtered_out,
            skipped: m.problems.clone(),
        }
    }
}

/// The confusion matrix as reported: `matrix[i][j]` counts answers the human scored
/// `labels[i]` and the tool `labels[j]`.
#[derive(Debug, Clone, Serialize)]
pub struct ConfusionReport {
    pub labels: Vec<i64>,
    pub rows: &'static str,
    pub columns: &'static str,
    pub matrix: Vec<Vec<u64>>,
}

/// The tool's scores on the answers given one human score.
#[derive(Debug, Clone, Serialize)]
pub struct ByHumanScore {
    pub human: i64,
    pub n: usize,
    /// Mean of the tool's scores as computed (before rounding); `null` when `n` is 0.
    pub mean_tool: Option<f64>,
    /// Mean of the compared (rounded, clamped) tool scores.
    pub mean_tool_compared: Option<f64>,
}

/// Agreement on one point, from a `--point-col` label column; positive = covered.
#[derive(Debug, Clone, Serialize)]
pub struct PointAgreement {
    pub id: String,
    pub label: String,
    pub column: String,
    /// Answers with a label for the point.
    pub labelled: u64,
    pub tp: u64,
    pub fp: u64,
    #[serde(rename = "fn")]
    pub fn_: u64,
    pub tn: u64,
    pub precision: Option<f64>,
    pub recall: Option<f64>,
    pub f1: Option<f64>,
}

/// A point of a disagreeing answer: what the tool found, and for points not covered the cues
/// that came closest.
#[derive(Debug, Clone, Serialize)]
pub struct PointDetail {
    pub id: String,
    pub status: Status,
    pub marks: f64,
    /// The cue that matched (for covered, partial or negated points).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cue: Option<String>,
    /// The answer's words that matched.
    pub words: Vec<WordMatch>,
    /// For partial points: what the matched cue lacked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lacking: Option<String>,
    /// For points not covered: cues found partly, negated, excluded or echoed, or with
    /// answer words just beyond their misspelling budget.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub near: Vec<CueTrace>,
}

/// One answer on which the tool and the human disagree.
#[derive(Debug, Clone, Serialize)]
pub struct Disagreement {
    pub id: String,
    pub line: u64,
    pub human: i64,
    /// The compared tool score (rounded, clamped).
    pub tool: i64,
    /// The tool's score before rounding.
    pub tool_raw: f64,
    /// `tool - human`: positive when the tool is more generous.
    pub diff: i64,
    /// The start of the answer, white space collapsed.
    pub text: String,
    pub points: Vec<PointDetail>,
}

/// `--cell HUMAN,TOOL`: the answers of one cell of the confusion matrix.
#[derive(Debug, Clone, Serialize)]
pub struct Cell {
    pub human: i64,
    /// The compared (rounded, clamped) tool score.
    pub tool: i64,
    /// Answers in the cell.
    pub n: usize,
    /// Those listed (all, or the first `--worst`), ordered by id; `diff` is `tool - human` as
    /// for disagreements (0 on the diagonal).
    pub answers: Vec<Disagreement>,
}

/// `--min-qwk` and whether it was met.
#[derive(Debug, Clone, Serialize)]
pub struct Bar {
    pub min_qwk: f64,
    pub met: bool,
}

/// Everything `rubric eval` reports.
#[derive(Debug, Clone, Serialize)]
pub struct EvalReport {
    pub schema: &'static str,
    pub rubric: RubricRef,
    pub marks: MarksRef,
    /// Answers compared.
    pub n: usize,
    /// Lowest and highest human score: the range tool scores are clamped to.
    pub human_range: [i64; 2],
    /// How the tool's scores were rounded to compare them, in words.
    pub rounding: String,
    /// The rubric's `rounding` rule: `none` (eval rounds halves up), `half-up`, `half-down`,
    /// `half-even`, `down` or `up`.
    pub rounding_rule: &'static str,
    /// Quadratic weighted kappa; `null` when undefined (one score category, or every answer
    /// given the same score by both).
    pub qwk: Option<f64>,
    /// Fraction of answers with the same score.
    pub exact_agreement: Option<f64>,
    /// Fraction of answers whose scores differ by at most 1.
    pub adjacent_agreement: Option<f64>,
    /// Mean of |human - tool| (compared scores).
    pub mean_absolute_error: Option<f64>,
    pub mean_human: Option<f64>,
    /// Mean of the tool's scores before rounding.
    pub mean_tool: Option<f64>,
    pub confusion: ConfusionReport,
    pub by_human_score: Vec<ByHumanScore>,
    /// Every point of the rubric against the human scores: the mean human score when it is
    /// covered, partial and missing, and how well it separates the score levels.
    pub by_point: Vec<PointSeparation>,
    /// Per-point agreement, for the points given with `--point-col`.
    pub points: Vec<PointAgreement>,
    /// Answers whose compared scores differ.
    pub disagreements: usize,
    /// The worst of them, largest |human - tool| first, then by id (empty with `--cell`).
    pub worst: Vec<Disagreement>,
    /// With `--cell`: the answers of that cell of the confusion matrix, explained.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<Cell>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bar: Option<Bar>,
    /// Remarks for the reader (scale mismatch, undefined statistics).
    pub notes: Vec<String>,
}

impl EvalReport {
    /// Whether `--min-qwk` was given and not met (an undefined QWK does not meet it).
    pub fn fell_short(&self) -> bool {
        self.bar.as_ref().is_some_and(|b| !b.met)
    }
}

fn mean(xs: impl Iterator<Item = f64>) -> Option<f64> {
    let (s, n) = xs.fold((0.0, 0usize), |(s, n), x| (s + x, n + 1));
    (n > 0).then(|| s / n as f64)
}

/// Scores every answer of `marks` with `rubric` and compares with the human scores.
/// `point_cols` are the `(point id, column)` pairs the marks were read with; their point ids
/// must exist in the rubric (see [`point_index`]). `None` when there is no usable answer.
pub fn evaluate(
    rubric: &Rubric,
    marks: &Marks,
    point_cols: &[(String, String)],
    opts: EvalOptions,
) -> Option<EvalReport> {
    let (lo, hi) = marks.score_range()?;
    let scored = score_all(rubric, marks, lo, hi);
    let pairs: Vec<(i64, i64)> = marks
        .answers
        .iter()
        .zip(&scored)
        .map(|(a, s)| (a.score, s.compared))
        .collect();
    let confusion = Confusion::new(&pairs, lo, hi);
    let qwk = confusion.qwk();

    let by_human_score = (lo..=hi)
        .map(|h| {
            let these: Vec<&Scored> = marks
                .answers
                .iter()
                .zip(&scored)
                .filter(|(a, _)| a.score == h)
                .map(|(_, s)| s)
                .collect();
            ByHumanScore {
                human: h,
                n: these.len(),
                mean_tool: mean(these.iter().map(|s| s.tool)),
                mean_tool_compared: mean(these.iter().map(|s| s.compared as f64)),
            }
        })
        .collect();

    let all_points: Vec<&Point> = points(rubric).collect();
    let point_agreement = point_cols
        .iter()
        .enumerate()
        .filter_map(|(k, (pid, column))| {
            let pi = point_index(rubric, pid)?;
            let mut b = Binary::default();
            for (a, s) in marks.answers.iter().zip(&scored) {
                let tool = s.statuses[pi] == Status::Covered;
                match a.labels.get(k) {
                    Some(Some(label)) => b.add(*label, tool),
                    // Read by the teacher, who left the point as the tool had it.
                    _ if a.reviewed => b.add(tool, tool),
                    _ => {}
                }
            }
            Some(PointAgreement {
                id: pid.clone(),
                label: all_points[pi].label.clone(),
                column: column.clone(),
                labelled: b.n(),
                tp: b.tp,
                fp: b.fp,
                fn_: b.fn_,
                tn: b.tn,
                precision: b.precision(),
                recall: b.recall(),
                f1: b.f1(),
            })
        })
        .collect();

    // The worst disagreements, or the answers of one cell, explained.
    let mut order: Vec<usize> = (0..pairs.len()).filter(|&i| pairs[i].0 != pairs[i].1).collect();
    let disagreements = order.len();
    if let Some(cell) = opts.cell {
        order = (0..pairs.len()).filter(|&i| pairs[i] == cell).collect();
    }
    let in_cell = order.len();
    order.sort_by(|&x, &y| {
        let dx = pairs[x].0.abs_diff(pairs[x].1);
        let dy = pairs[y].0.abs_diff(pairs[y].1);
        dy.cmp(&dx)
            .then_with(|| id_order(&marks.answers[x].id, &marks.answers[y].id))
    });
    order.truncate(opts.worst);
    let explained: Vec<Disagreement> = order
        .into_iter()
        .map(|i| explain_answer(rubric, &marks.answers[i], &scored[i]))
        .collect();
    let (worst, cell) = match opts.cell {
        Some((human, tool)) => (
            Vec::new(),
            Some(Cell {
                human,
                tool,
                n: in_cell,
                answers: explained,
            }),
        ),
        None => (explained, None),
    };

    let mut notes = Vec::new();
    if (rubric.max - hi as f64).abs() > 1e-9 || lo != 0 {
        notes.push(format!(
            "the rubric's scores run 0 to {} but the human scores {lo} to {hi}: tool scores are not rescaled, only rounded and clamped",
            fmt_num(rubric.max)
        ));
    }
    if qwk.is_none() {
        notes.push(if lo == hi {
            format!("QWK is undefined: every human score is {lo}")
        } else {
            "QWK is undefined: the human and the tool each gave every answer one same score".to_string()
        });
    }
    let bar = opts.min_qwk.map(|min_qwk| Bar {
        min_qwk,
        met: qwk.is_some_and(|q| q + 1e-12 >= min_qwk),
    });
    Some(EvalReport {
        schema: SCHEMA,
        rubric: RubricRef::new(rubric),
        marks: MarksRef::new(marks),
        n: pairs.len(),
        human_range: [lo, hi],
        rounding: rounding_text(rubric.rounding),
        rounding_rule: rubric.rounding.name(),
        qwk,
        exact_agreement: confusion.exact(),
        adjacent_agreement: confusion.adjacent(),
        mean_absolute_error: confusion.mae(),
        mean_human: mean(marks.answers.iter().map(|a| a.score as f64)),
        mean_tool: mean(scored.iter().map(|s| s.tool)),
        confusion: ConfusionReport {
            labels: confusion.labels(),
            rows: "human",
            columns: "tool",
            matrix: confusion.counts.clone(),
        },
        by_human_score,
        by_point: separation::separation(
            rubric,
            &marks.answers.iter().map(|a| a.score).collect::<Vec<_>>(),
            &scored,
        ),
        points: point_agreement,
        disagreements,
        worst,
        cell,
        bar,
        notes,
    })
}

/// A number without a needless `.0`.
pub fn fmt_num(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        let s = format!("{x:.3}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// Assesses one answer again, with explanations, for the disagreement list (or `--cell`'s).
fn explain_answer(rubric: &Rubric, answer: &Answer, scored: &Scored) -> Disagreement {
    let assessment = check(rubric, answer, Detail::Explain).assessment;
    let points = assessment
        .points()
        .map(|p| {
            let f = &p.finding;
            let near = if f.status == Status::Covered {
                Vec::new()
            } else {
                f.trace
                    .iter()
                    .map(|t| {
                        let mut t = t.clone();
                        t.near_misses.retain(|n| plausible_near_miss(n, rubric.lexicon.english));
                        t
                    })
                    .filter(|t| t.result != "none" || !t.near_misses.is_empty())
                    .collect()
            };
            PointDetail {
                id: p.point.id.clone(),
                status: f.status,
                marks: p.marks,
                cue: f.evidence.first().map(|e| e.cue.clone()),
                words: f.evidence.iter().flat_map(|e| e.words.iter().cloned()).collect(),
                lacking: f.lacking.clone(),
                near,
            }
        })
        .collect();
    Disagreement {
        id: answer.id.clone(),
        line: answer.line,
        human: answer.score,
        tool: scored.compared,
        tool_raw: scored.tool,
        diff: scored.compared - answer.score,
        text: text_start(&answer.text, TEXT_START_CHARS),
        points,
    }
}

/// Whether a near miss could be a misspelling that explains a point not found. The matcher's
/// near misses are any answer words a few edits from a cue word; kept are those with the cue
/// word's first letter (the matcher never accepts another), about its length (±1 letter,
/// inflections aside: "gave" is no misspelling of "government"), at most a third of its
/// letters wrong (one for short words: "need" is no misspelling of "never"), beyond its
/// budget (a word within it was left to another cue word that it is: "codon" is no near miss
/// of "condon") and, in an English rubric (`english`), not itself a correctly spelt English
/// word: "word" is no misspelling of "wood", nor "China" of "change".
pub fn plausible_near_miss(n: &NearMiss, english: bool) -> bool {
    use crate::lexicon::light_stem;
    let found = crate::text::tokens::normalize_word(&n.found);
    let len = |w: &str| light_stem(w).chars().count();
    found.chars().next().is_some()
        && found.chars().next() == n.cue_word.chars().next()
        && len(&found).abs_diff(len(&n.cue_word)) <= 1
        && n.distance <= (n.cue_word.chars().count() / 3).max(1)
        && n.distance > n.allowed as usize
        && !(english && crate::text::lang::is_english_word(&found))
}

/// How a near miss reads: `"amont" ~ amount (2 edits, 1 allowed)`.
pub fn describe_near_miss(n: &NearMiss) -> String {
    format!(
        "\"{}\" ~ {} ({} edit{}, {} allowed)",
        n.found,
        n.cue_word,
        n.distance,
        if n.distance == 1 { "" } else { "s" },
        n.allowed
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use marks::{MarksSpec, TextSource, parse_marks};
    use std::path::Path;

    use crate::testing::VINEGAR as RUBRIC;

    fn marks(csv: &str) -> Marks {
        let spec = MarksSpec {
            text: TextSource::Inline("text".into()),
            point_cols: vec![("vinegar".into(), "v".into())],
            ..MarksSpec::default()
        };
        parse_marks(csv.as_bytes(), "m.csv", Path::new("m.csv"), Path::new("."), &spec).unwrap()
    }

    #[test]
    fn evaluates_agreement_and_explains_the_worst() {
        let rubric = Rubric::from_str(RUBRIC, "r.toml").unwrap();
        let m = marks(
            "id,score,text,v\n\
             1,3,\"how much vinegar, the size, and the container size\",1\n\
             2,0,nothing useful here,0\n\
             3,1,the amount of vinegar,1\n\
             10,3,\"the amount of venigar and more\",1\n\
             4,2,the size of the samples and the cup size,0\n",
        );
        let point_cols = vec![("vinegar".to_string(), "v".to_string())];
        let r = evaluate(
            &rubric,
            &m,
            &point_cols,
            EvalOptions {
                worst: 5,
                min_qwk: Some(0.99),
                cell: None,
            },
        )
        .unwrap();
        assert_eq!(r.n, 5);
        assert_eq!(r.human_range, [0, 3]);
        assert_eq!(r.confusion.matrix.iter().flatten().sum::<u64>(), 5);
        // Answer 10 scores 0 against 3: the worst, with the near misses shown.
        assert_eq!(r.disagreements, 1);
        let w = &r.worst[0];
        assert_eq!((w.id.as_str(), w.human, w.tool, w.diff), ("10", 3, 0, -3));
        let vinegar = &w.points[0];
        assert_eq!(vinegar.status, Status::Missing);
        assert!(
            vinegar
                .near
                .iter()
                .any(|t| t.near_misses.iter().any(|n| n.found == "venigar")),
            "{:?}",
            vinegar.near
        );
        let p = &r.points[0];
        assert_eq!((p.tp, p.fp, p.fn_, p.tn), (2, 0, 1, 2));
        assert!(r.fell_short());
        assert!(r.qwk.is_some_and(|q| q < 0.99));
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["schema"], "rubric-eval/1");
        assert_eq!(json["points"][0]["fn"], 1);
    }

    /// The noisy near misses (real words) are dropped; real misspellings beyond the
    /// budget stay.
    #[test]
    fn near_misses_only_where_plausible() {
        // (answer word, cue word, allowed edits, English rubric, shown)
        let table: &[(&str, &str, u8, bool, bool)] = &[
            ("word", "wood", 0, true, false),
            ("China", "change", 1, true, false),
            ("things", "third", 0, true, false),
            ("species", "space", 1, true, false),
            ("venigar", "vinegar", 1, true, true),
            ("patrunije", "patronage", 2, true, true),
            ("Wood", "word", 0, true, false),
            // Not English: the word list does not apply.
            ("word", "wood", 0, false, true),
            // Other first letter, too far, or within the budget: never shown.
            ("binegar", "vinegar", 1, true, false),
            ("vngr", "vinegar", 1, true, false),
            ("vinegra", "vinegar", 1, true, false),
        ];
        for &(found, cue_word, allowed, english, shown) in table {
            let norm = crate::text::tokens::normalize_word(found);
            let n = NearMiss {
                cue_word: cue_word.into(),
                found: found.into(),
                distance: strsim::osa_distance(&norm, cue_word),
                allowed,
                line: 1,
                column: 1,
                why: String::new(),
            };
            assert_eq!(plausible_near_miss(&n, english), shown, "{found} ~ {cue_word}");
        }
    }

    #[test]
    fn helpers() {
        assert_eq!(id_order("9", "10"), Ordering::Less);
        assert_eq!(id_order("b", "a"), Ordering::Greater);
        assert_eq!(text_start("a  b\n c", 10), "a b c");
        assert_eq!(text_start("one two three four", 12), "one two…");
        assert_eq!(fmt_num(3.0), "3");
        assert_eq!(fmt_num(2.5), "2.5");
    }
}
