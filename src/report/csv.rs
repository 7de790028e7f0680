//! The marks sheet of `rubric mark --csv`: one row per answer file, for a spreadsheet.
//!
//! Columns: `id`, `file`, `score`, `max`, `percent` (one decimal), `band` (the tenth of the
//! maximum the score falls in: `70-80%`; see [`super::summary::band`]), then per question, in
//! rubric order: for each of its points a column headed by the point's id, holding `covered`,
//! `partial`, `negated` or `missing` (`cancelled` for a covered or partial point that a
//! misconception found cancels), and a column `<point id> marks` with the marks it earns (before
//! the question's cap or bands); then the question's marks, `<question id> marks` (capped,
//! banded, less what misconceptions take off). When the rubric neither caps its total below
//! the questions' sum nor marks it by bands, nor rounds it, the question marks add up to the
//! score. Then one column per
//! misconception, headed `<id> (misconception)`, holding `found` or nothing; a status the
//! teacher decided (`--overrides`) reads `covered (teacher)`; then, when the teacher gave
//! decisions, `comments` (theirs, `<point id>: <comment>`, joined by ` | `); then `duplicate_of` (the id of the most similar other answer, when the pair is a
//! near-duplicate), `similarity` (two decimals), `review` (the reasons to review it, joined by `;`
//! in a fixed order: [`crate::batch::review`]) and `error`. A file that could not be marked
//! has a row too, with only `id`, `file` and `error` filled in, so that no student drops out of
//! the sheet unnoticed.
//!
//! With a roster (`--roster`), a `name` column follows `id`, the roster's other columns come
//! last, and each student of the roster without an answer has a row of their own, among the
//! others by id, with only `id`, `name`, the roster's columns and `error` (`no submission`)
//! filled in.
//!
//! Fields are quoted as RFC 4180 says (the `csv` crate), lines end with `\n`, and text that a
//! spreadsheet would take for a formula (starting with `=`, `+`, `-`, `@`, tab or carriage
//! return: a student can name a file anything) is prefixed with `'`.

use std::io::{self, Write};

use super::marks;
use super::summary::{band, band_label, percent};
use crate::batch::ids::natural_cmp;
use crate::batch::roster::Student;
use crate::batch::{Batch, Entry, Outcome};
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

/// The cells of a marked answer: per question, each point's status and marks, then the
/// question's marks; then each misconception's cell ([`statuses`]). A status the teacher
/// decided reads `covered (teacher)`.
fn cells(batch: &Batch, e: &Entry, given: &crate::batch::Statuses) -> Vec<String> {
    let rubric = batch.rubric;
    let Some(each) = e.marks(rubric) else { return Vec::new() };
    let mut status = statuses(batch, given)
        .into_iter()
        .enumerate()
        .map(|(i, s)| match e.decided(i) {
            Some(_) if s.is_empty() => "not found (teacher)".to_string(),
            Some(_) => format!("{s} (teacher)"),
            None => s,
        });
    let mut point_marks = each.points.iter();
    let mut cells = Vec::new();
    for (q, &q_marks) in rubric.questions.iter().zip(&each.questions) {
        for _ in &q.points {
            cells.push(status.next().unwrap_or_default());
            cells.push(point_marks.next().map(|&m| marks(m)).unwrap_or_default());
        }
        cells.push(marks(q_marks));
    }
    cells.extend(status);
    cells
}

/// The teacher's comments on an answer, in the order of the overrides file: `<point id>:
/// <comment>` for a point, the comment alone for the whole answer; joined by ` | `.
fn teacher_comments(batch: &Batch, e: &Entry) -> String {
    let ids = batch.status_ids();
    e.decisions
        .iter()
        .filter(|d| !d.comment.is_empty())
        .map(|d| match d.point.and_then(|i| ids.get(i)) {
            Some(id) => format!("{id}: {}", d.comment),
            None => d.comment.clone(),
        })
        .collect::<Vec<_>>()
        .join(" | ")
}

/// One row of the sheet: a marked or failed answer, or a student of the roster without one.
enum Row<'b, 'r> {
    Answer(&'b Entry<'r>),
    Absent(&'b Student),
}

/// Writes the sheet; `bom` starts it with a UTF-8 byte order mark (for Excel).
pub fn write(w: &mut dyn Write, batch: &Batch, bom: bool) -> io::Result<()> {
    if bom {
        w.write_all("\u{feff}".as_bytes())?;
    }
    let mut out = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::Any(b'\n'))
        .from_writer(w);
    let roster = batch.roster.as_deref();
    let mut header: Vec<String> = vec!["id".to_string()];
    if roster.is_some() {
        header.push("name".to_string());
    }
    header.extend(["file", "score", "max", "percent", "band"].map(String::from));
    for q in &batch.rubric.questions {
        for p in &q.points {
            header.push(text(&p.id));
            header.push(text(&format!("{} marks", p.id)));
        }
        header.push(text(&format!("{} marks", q.id)));
    }
    let wrong = batch.rubric.questions.iter().flat_map(|q| &q.misconceptions);
    header.extend(wrong.map(|m| text(&format!("{} (misconception)", m.id))));
    // The teacher's comments, when an overrides file gave decisions.
    let comments = batch.entries.iter().any(|e| !e.decisions.is_empty());
    if comments {
        header.push("comments".to_string());
    }
    header.extend(["duplicate_of", "similarity", "review", "error"].map(String::from));
    // The roster's other columns, last.
    let extra = roster.map_or(&[][..], |r| r.extra_columns.as_slice());
    let width = header.len();
    header.extend(extra.iter().map(|c| text(c)));
    out.write_record(&header).map_err(to_io)?;

    // Answers in report order, with the students who handed nothing in among them by id.
    let mut absent = batch.absent();
    absent.sort_by(|a, b| natural_cmp(&a.id, &b.id));
    let mut rows: Vec<Row> = Vec::with_capacity(batch.entries.len() + absent.len());
    let mut absent = absent.into_iter().peekable();
    for e in &batch.entries {
        while let Some(s) = absent.next_if(|s| natural_cmp(&s.id, &e.id).is_lt()) {
            rows.push(Row::Absent(s));
        }
        rows.push(Row::Answer(e));
    }
    rows.extend(absent.map(Row::Absent));

    for r in rows {
        let mut row: Vec<String> = Vec::with_capacity(width + extra.len());
        let (id, student) = match r {
            Row::Answer(e) => (e.id.as_str(), batch.student(e)),
            Row::Absent(s) => (s.id.as_str(), Some(s)),
        };
        row.push(text(id));
        if roster.is_some() {
            row.push(text(student.map_or("", |s| s.name.as_str())));
        }
        match r {
            Row::Answer(e) => {
                row.push(text(&e.file));
                match &e.outcome {
                    Outcome::Marked(m) => {
                        let max = batch.rubric.max;
                        row.push(marks(m.score));
                        row.push(marks(max));
                        row.push(format!("{:.1}", percent(m.score, max)));
                        row.push(band_label(band(m.score, max)));
                        row.extend(cells(batch, e, &m.statuses));
                        if comments {
                            row.push(text(&teacher_comments(batch, e)));
                        }
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
            }
            Row::Absent(_) => {
                row.resize(width - 1, String::new());
                row.push(NO_SUBMISSION.to_string());
            }
        }
        let extras = student.map_or(&[][..], |s| s.extra.as_slice());
        row.extend((0..extra.len()).map(|i| text(extras.get(i).map_or("", String::as_str))));
        out.write_record(&row).map_err(to_io)?;
    }
    out.flush()
}

/// The `error` cell of a student on the roster without an answer.
pub const NO_SUBMISSION: &str = "no submission";

#[cfg(test)]
mod tests {
    #[test]
    fn formulas_are_defused() {
        assert_eq!(super::text("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(super::text("-1"), "'-1");
        assert_eq!(super::text("amy"), "amy");
    }
}
