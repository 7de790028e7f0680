//! `rubric eval`: the rubric's scores against human marks.

use std::fmt::Write as _;
use std::io;
use std::path::PathBuf;

use super::Out;
use super::args::{ColorArg, FormatArg};
use crate::app::{ERROR, FELL_SHORT, Failure, SUCCESS, error};
use crate::batch::overrides::Overrides;
use crate::eval::marks::{self, Marks, MarksSpec};
use crate::eval::{self, Disagreement, EvalOptions, EvalReport, describe_near_miss, fmt_num};
use crate::matcher::WordMatch;
use crate::report::human::{BOLD, DIM, RED, YELLOW, paint, symbol};
use crate::report::printable::{json_printable, printable, printable_line};
use crate::scheme::Rubric;

/// Row problems printed on standard error before the rest are only counted (JSON has them all).
const SHOWN_PROBLEMS: usize = 20;

/// Writes an `eval` or `suggest` report on standard output: pretty JSON, or `render`ed for people.
pub(super) fn write_report<R: serde::Serialize>(
    format: FormatArg,
    report: &R,
    render: fn(&R) -> String,
) -> io::Result<()> {
    let mut out = Out::new(ColorArg::Auto);
    match format {
        FormatArg::Json => {
            let mut s = json_printable(serde_json::to_string_pretty(report).map_err(io::Error::other)?);
            s.push('\n');
            out.write(&s)
        }
        FormatArg::Human => out.write(&render(report)),
    }
}

/// What `eval` and `suggest` do, made from their arguments ([`super::settings`]): compare a
/// rubric with a marks file (read as its columns say), report in `format`, with the command's
/// own `options`.
#[derive(Debug)]
pub(super) struct Settings<O> {
    pub rubric: PathBuf,
    pub marks: PathBuf,
    pub spec: MarksSpec,
    pub format: FormatArg,
    pub options: O,
}

/// Loads the rubric and reads the marks file, reporting skipped rows on standard error.
pub(super) fn load<O>(settings: &Settings<O>) -> Result<(Rubric, Marks), Failure> {
    let spec = &settings.spec;
    let rubric = Rubric::load(&settings.rubric).map_err(Failure::new)?;
    for (point, _) in &spec.point_cols {
        if eval::point_index(&rubric, point).is_none() {
            let ids: Vec<String> = eval::points(&rubric).map(|p| format!("`{}`", p.id)).collect();
            return Err(Failure::new(format!(
                "--point-col {point}=...: the rubric has no point `{point}`; its points are: {}",
                ids.join(", ")
            )));
        }
    }
    let marks = marks::read_marks(&settings.marks, spec).map_err(Failure::new)?;
    for p in marks.problems.iter().take(SHOWN_PROBLEMS) {
        error(format!("{}:{}: {}; row skipped", marks.path, p.line, p.message));
    }
    if marks.problems.len() > SHOWN_PROBLEMS {
        error(format!(
            "{}: {} more rows skipped (all are listed in --format json)",
            marks.path,
            marks.problems.len() - SHOWN_PROBLEMS
        ));
    }
    if marks.answers.is_empty() {
        return Err(Failure::new(format!(
            "{}: no usable answer ({} row{} left out by --filter, {} skipped)",
            marks.path,
            marks.filtered_out,
            if marks.filtered_out == 1 { "" } else { "s" },
            marks.problems.len()
        )));
    }
    Ok((rubric, marks))
}

/// `eval`'s own settings: its options, and the teacher's decisions to read as labels.
#[derive(Debug)]
pub(super) struct EvalRun {
    pub options: EvalOptions,
    pub overrides: Option<std::path::PathBuf>,
}

/// The teacher's decisions as per-point labels ([`EvalRun::overrides`]): every point of the
/// rubric becomes a labelled column (`overrides`), each answer the file names is marked as
/// reviewed, and its decided statuses are its labels (covered: yes; partial, negated,
/// missing: no). Ids of the file that the marks file does not have are reported.
fn override_labels(
    path: &std::path::Path,
    rubric: &Rubric,
    marks: &mut Marks,
    point_cols: &mut Vec<(String, String)>,
) -> Result<(), Failure> {
    let decisions = Overrides::load(path, rubric).map_err(Failure::new)?;
    let first = point_cols.len();
    let ids: Vec<String> = eval::points(rubric).map(|p| p.id.clone()).collect();
    point_cols.extend(ids.iter().map(|id| (id.clone(), "overrides".to_string())));
    let mut found = 0;
    for a in &mut marks.answers {
        a.labels.resize(first + ids.len(), None);
        let Some(rows) = decisions.get(&a.id) else { continue };
        found += 1;
        a.reviewed = true;
        for d in rows {
            if let (Some(i), Some(status)) = (d.point, d.status)
                && i < ids.len()
            {
                a.labels[first + i] = Some(status == crate::matcher::Status::Covered);
            }
        }
    }
    let unknown = decisions
        .ids()
        .filter(|id| !marks.answers.iter().any(|a| &a.id == *id))
        .count();
    if unknown > 0 {
        error(format!(
            "{}: {unknown} id{} not in {} (left out)",
            path.display(),
            if unknown == 1 { " is" } else { "s are" },
            marks.path
        ));
    }
    if found == 0 {
        return Err(Failure::new(format!(
            "{}: no id of it is in {}: nothing to compare",
            path.display(),
            marks.path
        )));
    }
    Ok(())
}

pub(super) fn run(settings: Settings<EvalRun>) -> Result<i32, Failure> {
    let (rubric, mut marks) = load(&settings)?;
    let mut point_cols = settings.spec.point_cols.clone();
    if let Some(path) = &settings.options.overrides {
        override_labels(path, &rubric, &mut marks, &mut point_cols)?;
    }
    let settings = Settings {
        rubric: settings.rubric,
        marks: settings.marks,
        spec: settings.spec,
        format: settings.format,
        options: settings.options.options,
    };
    if let (Some((h, t)), Some((lo, hi))) = (settings.options.cell, marks.score_range())
        && !((lo..=hi).contains(&h) && (lo..=hi).contains(&t))
    {
        return Err(Failure::new(format!(
            "--cell {h},{t}: the human scores of {} run {lo} to {hi}, and tool scores are compared in that range; give two scores from {lo} to {hi}",
            marks.path
        )));
    }
    let Some(report) = eval::evaluate(&rubric, &marks, &point_cols, settings.options) else {
        return Err(Failure::new(format!("{}: no usable answer", marks.path)));
    };
    write_report(settings.format, &report, render)?;
    Ok(if !marks.problems.is_empty() {
        ERROR
    } else if report.fell_short() {
        FELL_SHORT
    } else {
        SUCCESS
    })
}

fn pct(x: Option<f64>) -> String {
    x.map_or("n/a".into(), |v| format!("{:.1}%", v * 100.0))
}

fn num(x: Option<f64>, places: usize) -> String {
    x.map_or("n/a".into(), |v| format!("{v:.places$}"))
}

fn word(w: &WordMatch) -> String {
    if w.how == "fuzzy" {
        format!("{} ~ {}", w.text, w.cue_word)
    } else {
        w.text.clone()
    }
}

/// Each point against the human scores: answers and mean human score by status, then the
/// points that separate the scores poorly, with the reason.
fn render_by_point(s: &mut String, r: &EvalReport) {
    if r.by_point.is_empty() {
        return;
    }
    s.push('\n');
    let _ = writeln!(
        s,
        "{}",
        paint(
            BOLD,
            "Points against the human scores (answers, and their mean human score)"
        )
    );
    let idw = r
        .by_point
        .iter()
        .map(|p| p.id.chars().count())
        .max()
        .unwrap_or(5)
        .max(5);
    let group = |g: &eval::separation::StatusGroup| format!("{:>5} {:>5}", g.n, num(g.mean_human, 2));
    let _ = writeln!(
        s,
        "{}",
        paint(
            DIM,
            &format!(
                "  {:<idw$}  {:>11}  {:>11}  {:>11}",
                "", "covered", "partial", "missing"
            )
        )
    );
    let _ = writeln!(
        s,
        "{}",
        paint(
            DIM,
            &format!(
                "  {:<idw$}  {:>11}  {:>11}  {:>11}  {:>6}  {:>5}",
                "point", "n  mean", "n  mean", "n  mean", "diff", "rho"
            )
        )
    );
    for p in &r.by_point {
        let line = format!(
            "{} {:<idw$}  {}  {}  {}  {:>6}  {:>5}",
            if p.flag.is_some() { "!" } else { " " },
            printable_line(&p.id),
            group(&p.covered),
            group(&p.partial),
            group(&p.missing),
            p.difference.map_or("n/a".into(), |d| format!("{d:+.2}")),
            num(p.spearman, 2)
        );
        let _ = writeln!(s, "{line}");
    }
    for p in r.by_point.iter().filter(|p| p.flag.is_some()) {
        let _ = writeln!(
            s,
            "  {} {}: {}",
            paint(YELLOW, "!"),
            printable_line(&p.id),
            p.flag.as_deref().unwrap_or_default()
        );
    }
}

/// Disagreements (or a cell's answers), each with its scores, the start of its text, and
/// every point with its status, the matched words and, for points not covered, the near cues.
fn render_answers(s: &mut String, answers: &[Disagreement]) {
    let idw = answers
        .iter()
        .flat_map(|d| d.points.iter().map(|p| p.id.chars().count()))
        .max()
        .unwrap_or(5);
    for (k, d) in answers.iter().enumerate() {
        let _ = writeln!(
            s,
            "\n  {}. {} (line {}): human {}, tool {}{}",
            k + 1,
            paint(BOLD, &format!("id {}", printable_line(&d.id))),
            d.line,
            d.human,
            d.tool,
            if (d.tool_raw - d.tool as f64).abs() > 1e-9 {
                format!(" (scored {})", fmt_num(d.tool_raw))
            } else {
                String::new()
            }
        );
        let _ = writeln!(s, "     {}", paint(DIM, &format!("\"{}\"", printable_line(&d.text))));
        for p in &d.points {
            let mut line = format!(
                "     {} {:<idw$}  {:<8}",
                symbol(p.status),
                printable_line(&p.id),
                p.status.as_str()
            );
            if !p.words.is_empty() {
                let words: Vec<String> = p.words.iter().map(word).collect();
                let _ = write!(line, " [{}]", printable_line(&words.join(", ")));
            }
            if let Some(l) = &p.lacking {
                let _ = write!(line, " {}", paint(DIM, &printable(l)));
            }
            let _ = writeln!(s, "{}", line.trim_end());
            for t in &p.near {
                let role = if t.role == "partial" { "partial cue" } else { "cue" };
                let mut line = format!("{role} \"{}\": {}", t.cue, t.result);
                if t.result != "none" {
                    let _ = write!(line, " ({})", t.detail);
                }
                if !t.near_misses.is_empty() {
                    let near: Vec<String> = t.near_misses.iter().map(describe_near_miss).collect();
                    let _ = write!(line, "; near: {}", near.join(", "));
                }
                let _ = writeln!(s, "         {}", paint(DIM, &printable(&line)));
            }
        }
    }
}

/// The report for people.
pub(super) fn render(r: &EvalReport) -> String {
    let mut s = String::new();
    let [lo, hi] = r.human_range;
    let rubric = r.rubric.path.clone().unwrap_or_else(|| r.rubric.title.clone());
    let head = format!("{rubric} against {}", r.marks.path);
    let _ = writeln!(s, "{}", paint(BOLD, &printable_line(&head)));
    let mut counts = format!("{} answer{} compared", r.n, if r.n == 1 { "" } else { "s" });
    if r.marks.filtered_out > 0 {
        let _ = write!(counts, ", {} left out by --filter", r.marks.filtered_out);
    }
    if !r.marks.skipped.is_empty() {
        let _ = write!(counts, ", {} rows skipped", r.marks.skipped.len());
    }
    let _ = writeln!(s, "{counts}; human scores {lo} to {hi}");
    let _ = writeln!(s, "{}", paint(DIM, &format!("{} ({lo} to {hi})", r.rounding)));
    s.push('\n');
    let exact = r
        .exact_agreement
        .map(|e| (e * r.n as f64).round() as usize)
        .unwrap_or(0);
    let rows: [(&str, String); 5] = [
        (
            "QWK",
            r.qwk.map_or("undefined".into(), |q| format!("{q:.3}"))
                + &r.bar.as_ref().map_or(String::new(), |b| {
                    format!(
                        "   ({} --min-qwk {})",
                        if b.met { "meets" } else { "below" },
                        fmt_num(b.min_qwk)
                    )
                }),
        ),
        (
            "exact agreement",
            format!("{}   ({exact} of {})", pct(r.exact_agreement), r.n),
        ),
        (
            "adjacent agreement",
            format!("{}   (|human - tool| <= 1)", pct(r.adjacent_agreement)),
        ),
        ("mean absolute error", num(r.mean_absolute_error, 2)),
        (
            "mean score",
            format!(
                "human {}, tool {} (before rounding)",
                num(r.mean_human, 2),
                num(r.mean_tool, 2)
            ),
        ),
    ];
    for (k, v) in rows {
        let _ = writeln!(s, "  {k:<21}{v}");
    }

    // Confusion matrix, with the mean tool score per human score beside each row.
    s.push('\n');
    let _ = writeln!(
        s,
        "{}",
        paint(BOLD, "Confusion matrix (rows: human score, columns: tool score)")
    );
    let labels = &r.confusion.labels;
    let width = labels
        .iter()
        .map(|l| l.to_string().len())
        .chain(r.confusion.matrix.iter().flatten().map(|c| c.to_string().len()))
        .max()
        .unwrap_or(1)
        .max(3)
        + 1;
    let mut head = format!("  {:>7}", "h \\ t");
    for l in labels {
        let _ = write!(head, "{l:>width$}");
    }
    let _ = write!(head, "   {:>6}  {:>9}", "n", "mean tool");
    let _ = writeln!(s, "{}", paint(DIM, &head));
    for (i, row) in r.confusion.matrix.iter().enumerate() {
        let mut line = format!("  {:>7}", labels[i]);
        for (j, &c) in row.iter().enumerate() {
            let cell = if c == 0 { "·".to_string() } else { c.to_string() };
            let cell = format!("{cell:>width$}");
            if i == j && c > 0 {
                line.push_str(&paint(BOLD, &cell));
            } else {
                line.push_str(&cell);
            }
        }
        let by = &r.by_human_score[i];
        let _ = write!(line, "   {:>6}  {:>9}", by.n, num(by.mean_tool, 2));
        let _ = writeln!(s, "{line}");
    }

    render_by_point(&mut s, r);

    if !r.points.is_empty() {
        s.push('\n');
        let _ = writeln!(
            s,
            "{}",
            paint(BOLD, "Points against the human labels (positive = covered)")
        );
        let idw = r.points.iter().map(|p| p.id.chars().count()).max().unwrap_or(5).max(5);
        let _ = writeln!(
            s,
            "{}",
            paint(
                DIM,
                &format!(
                    "  {:<idw$}  {:>8}  {:>9}  {:>6}  {:>5}  {:>4} {:>4} {:>4} {:>4}",
                    "point", "labelled", "precision", "recall", "F1", "tp", "fp", "fn", "tn"
                )
            )
        );
        for p in &r.points {
            let _ = writeln!(
                s,
                "  {:<idw$}  {:>8}  {:>9}  {:>6}  {:>5}  {:>4} {:>4} {:>4} {:>4}",
                p.id,
                p.labelled,
                num(p.precision, 3),
                num(p.recall, 3),
                num(p.f1, 3),
                p.tp,
                p.fp,
                p.fn_,
                p.tn
            );
        }
    }

    s.push('\n');
    if let Some(c) = &r.cell {
        let head = if c.n == 0 {
            format!("No answer scored {} by the human and {} by the tool.", c.human, c.tool)
        } else {
            format!(
                "Answers scored {} by the human and {} by the tool ({}{} answer{}, by id)",
                c.human,
                c.tool,
                if c.answers.len() < c.n {
                    format!("{} of ", c.answers.len())
                } else {
                    String::new()
                },
                c.n,
                if c.n == 1 { "" } else { "s" }
            )
        };
        let _ = writeln!(s, "{}", paint(BOLD, &head));
        render_answers(&mut s, &c.answers);
    } else if r.disagreements == 0 {
        let _ = writeln!(s, "{}", paint(BOLD, "No disagreements."));
    } else if r.worst.is_empty() {
        let _ = writeln!(
            s,
            "{}",
            paint(
                BOLD,
                &format!(
                    "{} disagreement{} (none explained: --worst 0)",
                    r.disagreements,
                    if r.disagreements == 1 { "" } else { "s" }
                )
            )
        );
    } else {
        let _ = writeln!(
            s,
            "{}",
            paint(
                BOLD,
                &format!(
                    "Worst disagreements ({} of {}; largest |human - tool| first)",
                    r.worst.len(),
                    r.disagreements
                )
            )
        );
        render_answers(&mut s, &r.worst);
    }
    for n in &r.notes {
        let _ = writeln!(s, "\n{} {}", paint(YELLOW, "note:"), printable(n));
    }
    if let Some(b) = &r.bar
        && !b.met
    {
        let _ = writeln!(
            s,
            "\n{} QWK {} is below --min-qwk {}",
            paint(RED, "fail:"),
            r.qwk.map_or("undefined".into(), |q| format!("{q:.3}")),
            fmt_num(b.min_qwk)
        );
    }
    s
}
