//! The marks sheet of `rubric mark --csv`: one row per answer file, for a spreadsheet.
//!
//! Columns: `id`, `file`, `score`, `max`, `percent` (one decimal), `band` (the tenth of the
//! maximum the score falls in: `70-80%`; see [`super::summary::band`]), then one column per
//! point, headed by the point's id, in rubric order, holding `covered`, `partial`, `negated` or
//! `missing` (`cancelled` for a covered or partial point that a misconception found cancels); then one column per
//! misconception, headed `<id> (misconception)`, holding `found` or nothing; then `duplicate_of` (the id of the most similar other answer, when the pair is a
//! near-duplicate), `similarity` (two decimals), `review` (the reasons to review it, joined by `;`
//! in a fixed order: [`crate::batch::review`]) and `error`. A file that could not be marked
//! has a row too, with only `id`, `file` and `error` filled in, so that no student drops out of
//! the sheet unnoticed.
//!
//! Fields are quoted as RFC 4180 says (the `csv` crate), lines end with `\n`, and text that a
//! spreadsheet would take for a formula (starting with `=`, `+`, `-`, `@`, tab or carriage
//! return: a student can name a file anything) is prefixed with `'`.

use std::io::{self, Write};

use super::marks;
use super::summary::{band, band_label, percent};
use crate::batch::{Batch, Outcome};
use crate::matcher::Status;

/// Defuses text a spreadsheet would run as a formula.
fn text(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

fn to_io(e: ::csv::Error) -> io::Error {
    match e.into_kind() {
        ::csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

/// The cells of an answer's [`Statuses`](crate::batch::Statuses): each point's status
/// (`cancelled` for a covered or partial point that a misconception found cancels), then `found` or
/// nothing for each misconception.
fn statuses(batch: &Batch, statuses: &crate::batch::Statuses) -> Vec<String> {
    let rubric = &batch.rubric;
    let n: usize = rubric.questions.iter().map(|q| q.points.len()).sum();
    let (points, wrong) = statuses.split_at(n.min(statuses.len()));
    let found = |m: usize| wrong.get(m) == Some(&Status::Covered);
    let mut cells: Vec<String> = points.iter().map(|s| s.as_str().to_string()).collect();
    let (mut first_point, mut first_wrong) = (0, 0);
    for q in &rubric.questions {
        for (m, p) in q.misconceptions.iter().enumerate() {
            let effect = p.misconception.as_ref().filter(|_| found(first_wrong + m));
            for &i in effect.map(|e| e.cancels.as_slice()).unwrap_or_default() {
                if let Some(cell) = cells
                    .get_mut(first_point + i)
                    .filter(|c| *c == "covered" || *c == "partial")
                {
                    *cell = "cancelled".to_string();
                }
            }
        }
        first_point += q.points.len();
        first_wrong += q.misconceptions.len();
    }
    cells.extend((0..wrong.len()).map(|m| if found(m) { "found" } else { "" }.to_string()));
    cells
}

/// Writes the sheet; `bom` starts it with a UTF-8 byte order mark (for Excel).
pub fn write(w: &mut dyn Write, batch: &Batch, bom: bool) -> io::Result<()> {
    if bom {
        w.write_all("\u{feff}".as_bytes())?;
    }
    let mut out = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::Any(b'\n'))
        .from_writer(w);
    let points: Vec<&str> = batch
        .rubric
        .questions
        .iter()
        .flat_map(|q| q.points.iter().map(|p| p.id.as_str()))
        .collect();
    let mut header: Vec<String> = ["id", "file", "score", "max", "percent", "band"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    header.extend(points.iter().map(|p| text(p)));
    let wrong = batch.rubric.questions.iter().flat_map(|q| &q.misconceptions);
    header.extend(wrong.map(|m| text(&format!("{} (misconception)", m.id))));
    header.extend(["duplicate_of", "similarity", "review", "error"].map(String::from));
    out.write_record(&header).map_err(to_io)?;
    let width = header.len();
    for e in &batch.entries {
        let mut row: Vec<String> = Vec::with_capacity(width);
        row.push(text(&e.id));
        row.push(text(&e.file));
        match &e.outcome {
            Outcome::Marked(m) => {
                let max = batch.rubric.max;
                row.push(marks(m.score));
                row.push(marks(max));
                row.push(format!("{:.1}", percent(m.score, max)));
                row.push(band_label(band(m.score, max)));
                row.extend(statuses(batch, &m.statuses));
                match e.duplicate {
                    Some((other, sim)) => {
                        row.push(text(&batch.entries[other].id));
                        row.push(format!("{sim:.2}"));
                    }
                    None => row.extend([String::new(), String::new()]),
                }
                row.push(m.review.joined(";"));
                row.push(String::new());
            }
            Outcome::Failed(reason) => {
                row.resize(width - 1, String::new());
                row.push(text(reason));
            }
        }
        out.write_record(&row).map_err(to_io)?;
    }
    out.flush()
}

#[cfg(test)]
mod tests {
    #[test]
    fn formulas_are_defused() {
        assert_eq!(super::text("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(super::text("-1"), "'-1");
        assert_eq!(super::text("amy"), "amy");
    }
}
