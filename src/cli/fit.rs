//! `rubric fit`: fits a rubric's scoring (point marks, caps, bands) to human marks
//! ([`crate::eval::fit`]), reports QWK before and after, on the answers and cross-validated,
//! and with `--write OUT` writes the rubric with only those numbers changed.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::eval::{Settings, load, write_report};
use crate::app::{ERROR, Failure, SUCCESS};
use crate::eval::fit::{self, Change, FitOptions, FitReport};
use crate::eval::fmt_num;
use crate::report::atomic;
use crate::report::human::{BOLD, DIM, paint};
use crate::report::printable::printable_line;

/// `fit`'s own options.
#[derive(Debug)]
pub(super) struct Options {
    pub fit: FitOptions,
    /// Where to write the fitted rubric; nothing is written without it.
    pub write: Option<PathBuf>,
}

/// The report as printed: the fit's figures and changes, and where the rubric was written.
#[derive(Debug, Serialize)]
struct Printed {
    #[serde(flatten)]
    fit: FitReport,
    rubric: String,
    marks: String,
    /// The file written, or `null` without `--write`.
    written: Option<String>,
}

pub(super) fn run(settings: Settings<Options>) -> Result<i32, Failure> {
    let (rubric, marks) = load(&settings)?;
    let out = settings.options.write.as_deref();
    if let Some(out) = out {
        refuse_another_name_for_the_rubric(&settings.rubric, out)?;
    }
    let source = std::fs::read_to_string(&settings.rubric)
        .map_err(|e| Failure::new(format!("{}: {e}", settings.rubric.display())))?;
    let answers = fit::marked(&rubric, &marks);
    let fitted = fit::fit(&rubric, &source, &answers, settings.options.fit)
        .map_err(|e| Failure::new(format!("{}: {e}", settings.rubric.display())))?;
    let report = fitted.report.clone();
    if let Some(out) = out {
        let text = fitted
            .rewrite(&source, &note(&report, &marks.path))
            .map_err(|e| Failure::new(format!("{}: {e}", settings.rubric.display())))?;
        check_written(&rubric, &text, &settings.rubric, &fitted, &answers)?;
        atomic::write(out, |w| w.write_all(text.as_bytes()))
            .map_err(|e| Failure::new(format!("cannot write {}: {e}", out.display())))?;
    }
    let printed = Printed {
        fit: report,
        rubric: settings.rubric.display().to_string(),
        marks: marks.path.clone(),
        written: out.map(|p| p.display().to_string()),
    };
    write_report(settings.format, &printed, render)?;
    Ok(if marks.problems.is_empty() { SUCCESS } else { ERROR })
}

/// `--write` may name the input rubric only as `--rubric` does: another name for the same file
/// (`./r.toml`, a link) is more likely a slip than a wish to replace it.
fn refuse_another_name_for_the_rubric(rubric: &Path, out: &Path) -> Result<(), Failure> {
    let same = match (std::fs::canonicalize(rubric), std::fs::canonicalize(out)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if same && rubric.as_os_str() != out.as_os_str() {
        return Err(Failure::new(format!(
            "--write {} is the rubric being fitted ({}): to replace it, name it as --rubric does",
            out.display(),
            rubric.display()
        )));
    }
    Ok(())
}

/// The fitted text must load (from the rubric's folder, where its `source` and example files
/// are), and score the answers as the fit did: an edit gone wrong is an internal error, never
/// a broken rubric written.
fn check_written(
    rubric: &crate::scheme::Rubric,
    text: &str,
    path: &Path,
    fitted: &fit::Fit,
    answers: &[fit::Marked],
) -> Result<(), Failure> {
    let name = path.display().to_string();
    let again = crate::scheme::Rubric::from_str(text, &name)
        .map_err(|e| Failure::new(format!("internal error: the fitted rubric does not load:\n{e}")))?;
    let want = fitted.scoring();
    let got = crate::score::Scoring::of(&again);
    let scores = |s: &crate::score::Scoring| -> Vec<f64> {
        answers
            .iter()
            .map(|a| crate::score::score_statuses(rubric, s, &a.statuses))
            .collect()
    };
    if scores(&want) != scores(&got) {
        return Err(Failure::new(
            "internal error: the fitted rubric as written scores the answers differently from the fit; nothing written",
        ));
    }
    Ok(())
}

fn qwk(x: Option<f64>) -> String {
    x.map_or("undefined".into(), |q| format!("{q:.3}"))
}

/// The comment written on top of the fitted rubric.
fn note(r: &FitReport, marks: &str) -> Vec<String> {
    vec![
        format!(
            "scoring fitted on {} from {} answers of {} ({} marks, {} folds); only marks, caps and bands changed.",
            today(),
            r.n,
            marks,
            if r.step == 1.0 { "whole" } else { "half" },
            r.folds
        ),
        format!(
            "QWK on those answers {} -> {}; cross-validated {} -> {}.",
            qwk(r.train.before),
            qwk(r.train.after),
            qwk(r.cross_validated.before),
            qwk(r.cross_validated.after)
        ),
    ]
}

/// Today's date (UTC), `YYYY-MM-DD`.
fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (y, m, d) = civil(secs / 86_400);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The calendar date of a day counted from 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil(days: u64) -> (i64, u64, u64) {
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097) as u64;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe as i64 + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

fn covered(n: usize) -> String {
    format!("{n} point{} covered", if n == 1 { "" } else { "s" })
}

/// Where a change is, as a person reads it.
fn place(c: &Change) -> String {
    match (c.key, &c.point, c.covered) {
        ("example_score", Some(p), _) => format!("score of example `{p}`"),
        (_, Some(p), _) => format!("{} `{p}`", c.key),
        ("band", None, Some(n)) if c.question.is_empty() => format!("marks for {}", covered(n)),
        ("band", None, Some(n)) => format!("`{}`: marks for {}", c.question, covered(n)),
        _ => format!("max of `{}`", c.question),
    }
}

/// The report for people.
fn render(p: &Printed) -> String {
    let r = &p.fit;
    let mut s = String::new();
    let head = format!("{} fitted to {}", p.rubric, p.marks);
    let _ = writeln!(s, "{}", paint(BOLD, &printable_line(&head)));
    let [lo, hi] = r.human_range;
    let _ = writeln!(
        s,
        "{} answers, human scores {lo} to {hi}; {} marks; {} folds\n",
        r.n,
        if r.step == 1.0 { "whole" } else { "half" },
        r.folds
    );
    let _ = writeln!(
        s,
        "{}",
        paint(DIM, &format!("  {:<28}{:>8}{:>8}", "QWK", "before", "after"))
    );
    let _ = writeln!(
        s,
        "  {:<28}{:>8}{:>8}",
        "on these answers",
        qwk(r.train.before),
        qwk(r.train.after)
    );
    let _ = writeln!(
        s,
        "  {:<28}{:>8}{:>8}",
        "cross-validated",
        qwk(r.cross_validated.before),
        qwk(r.cross_validated.after)
    );
    for f in &r.by_fold {
        let label = format!("  fold {} ({} answers)", f.fold + 1, f.n);
        let _ = writeln!(
            s,
            "{}",
            paint(
                DIM,
                &format!("  {label:<28}{:>8}{:>8}", qwk(f.qwk.before), qwk(f.qwk.after))
            )
        );
    }
    let pct = |x: Option<f64>| x.map_or("n/a".into(), |v| format!("{:.1}%", v * 100.0));
    let [eb, ea] = r.exact_agreement;
    let _ = writeln!(s, "  {:<28}{:>8}{:>8}", "exact agreement", pct(eb), pct(ea));
    let _ = writeln!(
        s,
        "{}",
        paint(
            DIM,
            "  (cross-validated: each answer scored by a fit made without its fold)"
        )
    );
    s.push('\n');
    if r.changes.is_empty() {
        let _ = writeln!(
            s,
            "{}",
            paint(BOLD, "No change: the rubric's scoring already fits best.")
        );
    } else {
        let _ = writeln!(s, "{}", paint(BOLD, "Changes"));
        let rows: Vec<(String, String, String)> = r
            .changes
            .iter()
            .map(|c| (place(c), fmt_num(c.old), fmt_num(c.new)))
            .collect();
        let w = rows.iter().map(|(a, ..)| a.chars().count()).max().unwrap_or(5).max(5);
        let _ = writeln!(
            s,
            "{}",
            paint(DIM, &format!("  {:<w$}  {:>5}  {:>5}", "where", "old", "new"))
        );
        for (a, o, n) in rows {
            let _ = writeln!(s, "  {}  {o:>5}  {n:>5}", printable_line(&format!("{a:<w$}")));
        }
    }
    s.push('\n');
    match &p.written {
        Some(out) => {
            let _ = writeln!(s, "Wrote {}", printable_line(out));
        }
        None if !r.changes.is_empty() => {
            let _ = writeln!(
                s,
                "{}",
                paint(DIM, "Nothing written: add --write OUT to write the fitted rubric.")
            );
        }
        None => {}
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil(0), (1970, 1, 1));
        assert_eq!(civil(19_723), (2024, 1, 1));
        assert_eq!(civil(19_782), (2024, 2, 29));
    }
}
