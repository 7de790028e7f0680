//! The marks sheet of `rubric mark --csv`: one row per answer file, for a spreadsheet.
//!
//! Columns: `id`, `file`, `score`, `max`, `percent` (one decimal), `band` (the tenth of the
//! maximum the score falls in: `70-80%`; see [`super::summary::band`]), then one column per
//! point, headed by the point's id, in rubric order, holding `covered`, `partial`, `negated` or
//! `missing`; then `duplicate_of` (the id of the most similar other answer, when the pair is a
//! near-duplicate), `similarity` (two decimals) and `error`. A file that could not be marked
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
    header.extend(["duplicate_of", "similarity", "error"].map(String::from));
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
                row.extend(m.statuses.iter().map(|s| s.as_str().to_string()));
                match e.duplicate {
                    Some((other, sim)) => {
                        row.push(text(&batch.entries[other].id));
                        row.push(format!("{sim:.2}"));
                    }
                    None => row.extend([String::new(), String::new()]),
                }
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
