//! `rubric check --since PREVIOUS.json`: which earlier report each answer is compared with, and
//! what is said when there is none, or it is for another rubric (docs/check.md, "Progress
//! between drafts"). The comparison itself is [`crate::report::progress`].
//!
//! - A file that cannot be read, or is not a `--format json` report, stops the run (exit 2)
//!   before any answer is checked.
//! - One report and one answer: they are compared whatever the file names (a new draft is
//!   often a new file). Otherwise each answer is compared with the report of the same name; an
//!   answer without one gets a note, and a file that names none of the answers is an error.
//! - A report with no point in common with the answer's rubric is for another assignment: an
//!   error (the report is still printed, without progress). Some points in common: those are
//!   compared, with a note that the rubric has changed.
//! - `human` and `json` show the progress in the report; the other formats (for CI and editors)
//!   keep their output as it is, and the progress goes to standard error as a note.

use crate::app::error;
use crate::report::Format;
use crate::report::previous::Previous;
use crate::report::progress::Progress;
use crate::scheme::Rubric;
use crate::score::Assessment;

/// Reads the `--since` file; `None` (after printing the error) when it cannot be used.
pub(super) fn read(path: &std::path::Path) -> Option<Previous> {
    Previous::read(path).map_err(error).ok()
}

/// The progress of each answer, `(name, rubric, assessment)`, since its earlier report, in
/// order; and whether something went wrong (exit 2). Remarks go to `note` (standard error).
pub(super) fn compare(
    previous: &Previous,
    answers: &[(&str, &Rubric, &Assessment)],
    format: Format,
    note: fn(&str),
) -> (Vec<Option<Progress>>, bool) {
    let mut failed = false;
    let name = &previous.name;
    let found: Vec<_> = answers
        .iter()
        .map(|(file, ..)| previous.for_answer(file, answers.len()))
        .collect();
    if !answers.is_empty() && found.iter().all(Option::is_none) {
        let files: Vec<&str> = previous.reports.iter().map(|r| r.file.as_str()).collect();
        error(format!(
            "{name}: holds no report of the answers checked (it has {}): nothing to compare",
            files.join(", ")
        ));
        return (answers.iter().map(|_| None).collect(), true);
    }
    let progress = answers
        .iter()
        .zip(found)
        .map(|(&(file, rubric, a), before)| {
            let Some(before) = before else {
                note(&format!("{file}: no earlier report of it in {name}; nothing to compare"));
                return None;
            };
            match Progress::new(before, a, false) {
                Ok(p) => {
                    if p.rubric_changed {
                        note(&format!(
                            "{file}: the rubric has changed since {name}; compared the {} points both have",
                            p.compared
                        ));
                    }
                    if !matches!(format, Format::Human | Format::Json) {
                        note(&format!("{file} since {name}: {}", p.sentence));
                    }
                    Some(p)
                }
                Err(m) => {
                    error(format!(
                        "{name}: a report on \"{}\", which has no key point in common with {file}'s rubric (\"{}\"): nothing to compare; save a report of this assignment with `rubric check --format json`",
                        m.was, rubric.title
                    ));
                    failed = true;
                    None
                }
            }
        })
        .collect();
    (progress, failed)
}
