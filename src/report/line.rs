//! `--format line`: one line per point, `file:line:col: status point: message`, the shape that
//! compilers print and that grep, editors' quickfix lists and pre-commit show as they are.
//!
//! ```text
//! essay.md:3:32: covered 1.1: The Council of People's Commissars (Sovnarkom)
//! essay.md:5:68: partial 2.4: General Secretary (1922). His 1922 post made him ...
//! essay.md:1:1: missing 3.2: In 1921 Lenin condemned divisions in the party. How could ...
//! essay.md:1:1: score total: 6/10 (60%), 3 covered, 6 partial, 0 negated, 1 missing
//! ```
//!
//! A misconception the answer makes is a `check` line on the words that make it
//! (`essay.md:4:1: check black-cool: To check: ...`); one it does not make is never listed.
//!
//! Student-safe ([`super::safe`]): a point is named by its number (`1.1`), and a point not yet
//! made (missing, negated) by its hint, after its `topic` when it has one, never by its label.
//!
//! Covered points are listed only with `--covered` (the lines are a list of what is left to
//! do). Covered, partial and negated points are placed on their first evidence; missing points (which
//! have none) on line 1, column 1. Each answer ends with its `score` line, which says when the
//! answer fell short of its bar.
//!
//! Each record is one line whatever the names hold: the file name, id and message are
//! [`printable_line`], so a line feed, carriage return, tab or other control character in a file
//! name or in rubric text prints as U+FFFD `�` (white space in rubric text as a single space), and
//! cannot start a record of its own.

use std::fmt::Write;

use super::ci::{Checked, check_advice, one_line};
use super::printable::printable_line;
use super::safe::heading_and_hint;
use crate::matcher::Status;

/// `--format line`: each answer's lines, covered points only when asked (`--covered`).
#[derive(Debug)]
pub struct Line {
    pub covered: bool,
}

impl super::Reporter for Line {
    fn answer(&mut self, a: &Checked) -> String {
        render(a, self.covered)
    }
}

/// Renders one answer: one line per point not covered (and per covered point when `covered`),
/// per misconception found, and a score line.
pub fn render(a: &Checked, covered: bool) -> String {
    let mut text = String::new();
    let out = &mut text;
    let file = printable_line(a.file);
    for (number, p) in a
        .numbered()
        .filter(|(_, p)| covered || p.finding.status != Status::Covered)
    {
        let (line, col) = p.finding.evidence.first().map_or((1, 1), |e| (e.line, e.column));
        // Student-safe: a point not yet made by its number, topic and hint (`super::safe`).
        let message = match p.finding.status {
            Status::Covered => one_line(&p.point.label),
            Status::Negated => format!("{} (your answer says the opposite)", heading_and_hint(p)),
            Status::Partial | Status::Missing => heading_and_hint(p),
        };
        let _ = writeln!(
            out,
            "{file}:{line}:{col}: {} {number}: {}",
            p.finding.status.as_str(),
            printable_line(&message)
        );
    }
    for (_, m) in a.found_misconceptions() {
        let (line, col) = m.finding.evidence.first().map_or((1, 1), |e| (e.line, e.column));
        let _ = writeln!(
            out,
            "{file}:{line}:{col}: check {}: {}",
            printable_line(&m.point.id),
            printable_line(&check_advice(m))
        );
    }
    let bar = match a.bar {
        Some(b) if b.met => format!("; meets the minimum {}", b.shown),
        Some(b) => format!("; below the minimum {}", b.shown),
        None => String::new(),
    };
    let _ = writeln!(
        out,
        "{file}:1:1: score total: {}, {}{}",
        a.score_text(),
        a.counts_text(),
        printable_line(&bar)
    );
    text
}

#[cfg(test)]
mod tests {
    use crate::report::Format;
    use crate::report::fixture::{render, short_bar};

    #[test]
    fn one_line_per_point_left_to_do() {
        let out = render(Format::Line, "essay.txt", Some(&short_bar()));
        assert_eq!(
            out,
            "essay.txt:3:5: partial 1.2: The Gracchi, reform and violence. What happened to the brothers who tried reform?\n\
             essay.txt:4:15: negated 1.3: Who first marched an army on Rome, 100% of it? (your answer says the opposite)\n\
             essay.txt:1:1: missing 1.4: Topic: a general's last step. Who crossed the Rubicon, and what did he become?\n\
             essay.txt:1:1: score total: 1.5/4 (38%), 1 covered, 1 partial, 1 negated, 1 missing; below the minimum 50%\n"
        );
    }

    /// `--covered` lists the covered points too, in rubric order.
    #[test]
    fn covered_points_on_request() {
        use crate::report::Options;
        use crate::report::fixture::with_answers;
        let out = with_answers(&["essay.txt"], |c| {
            let opts = Options {
                covered: true,
                ..Options::default()
            };
            Format::Line.render(&[c[0]], opts)
        });
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0], "essay.txt:2:14: covered 1.1: Private armies");
        assert_eq!(lines.len(), 5, "{out}");
    }
}
