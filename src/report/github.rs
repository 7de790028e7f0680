//! `--format github`: GitHub Actions workflow commands, which the runner turns into annotations
//! on the files of a pull request.
//!
//! For each answer: a plain summary line (shown in the log), then
//! - `::notice file=F,line=L,col=C,title=...::` on the line of the evidence of each covered point;
//! - `::warning file=F,title=...::HINT`, at file level, for each missing point;
//! - `::warning file=F,line=L,col=C,title=...::HINT` on the words of a partial point, and on
//!   the sentence that negates a point;
//! - `::warning file=F,line=L,col=C,title=...::` on the words of each misconception found;
//! - `::error file=F,title=...::` when the answer fell short of its `min_score`.
//!
//! Titles name a point by its number (`[1.1]`), after its label once it is covered or partly
//! made, or its `topic` until then ([`super::safe`]).
//!
//! Values are escaped as the runner requires: `%`, `\r` and `\n` in messages, and also `:` and
//! `,` in properties (`file`, `title`), after control characters other than line breaks and tabs
//! are replaced (see [`super::printable`]). The summary line is not a command: its file name and
//! title are [`printable_line`], so that nothing in them starts a line or a command.

use std::fmt::Write;

use super::ci::{Checked, advice, check_advice, one_line, point_marks};
use super::printable::{REPLACEMENT, is_control, printable_line};
use super::safe;
use crate::matcher::Status;

/// Escapes a command's message: `%`, `\r` and `\n` as the runner decodes them, other control
/// characters replaced.
pub fn escape_data(s: &str) -> String {
    escape(s, false)
}

/// Escapes a command's property value: as [`escape_data`], and `:` and `,` too.
pub fn escape_property(s: &str) -> String {
    escape(s, true)
}

fn escape(s: &str, property: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            ':' if property => out.push_str("%3A"),
            ',' if property => out.push_str("%2C"),
            '\t' => out.push(c),
            c if is_control(c) => out.push(REPLACEMENT),
            c => out.push(c),
        }
    }
    out
}

/// Renders one answer: its workflow commands.
pub fn render(a: &Checked) -> String {
    let mut text = String::new();
    let out = &mut text;
    let file = escape_property(a.file);
    let _ = writeln!(
        out,
        "{}: {} against \"{}\": {}",
        printable_line(a.file),
        a.score_text(),
        printable_line(&one_line(&a.rubric.title)),
        a.counts_text()
    );
    for (number, p) in a.numbered() {
        // Student-safe: a point not yet made by its number and topic only (`super::safe`).
        let heading = safe::heading(p.point, p.finding.status)
            .map(|h| format!("{h} "))
            .unwrap_or_default();
        let title = |what: &str| escape_property(&format!("{heading}[{number}] {what}"));
        // Negated and partial points are placed on the words found; missing ones (which have
        // none) on the file.
        let at = || {
            p.finding
                .evidence
                .first()
                .map(|ev| format!(",line={},col={}", ev.line, ev.column))
                .unwrap_or_default()
        };
        let (what, location) = match p.finding.status {
            Status::Covered => {
                if let Some(ev) = p.finding.evidence.first() {
                    let _ = writeln!(
                        out,
                        "::notice file={file},line={},col={},title={}::{}",
                        ev.line,
                        ev.column,
                        title("covered"),
                        escape_data(&format!("Covered ({}): \"{}\"", point_marks(p), one_line(&ev.quote)))
                    );
                }
                continue;
            }
            Status::Negated => ("negated", at()),
            Status::Partial => ("partly made", at()),
            Status::Missing => ("missing", String::new()),
        };
        let _ = writeln!(
            out,
            "::warning file={file}{location},title={}::{}",
            title(what),
            escape_data(&advice(p))
        );
    }
    for (_, m) in a.found_misconceptions() {
        let location = m.finding.evidence.first();
        let location = location.map(|ev| format!(",line={},col={}", ev.line, ev.column));
        let title = format!("{} [{}] to check", one_line(&m.point.label), m.point.id);
        let _ = writeln!(
            out,
            "::warning file={file}{},title={}::{}",
            location.unwrap_or_default(),
            escape_property(&title),
            escape_data(&check_advice(m))
        );
    }
    if let Some(bar) = a.bar
        && !bar.met
    {
        let _ = writeln!(
            out,
            "::error file={file},title={}::{}",
            escape_property("Below the minimum score"),
            escape_data(&format!("{} is below the minimum {}.", a.score_text(), bar.shown))
        );
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Format;
    use crate::report::fixture::{render, short_bar};

    #[test]
    fn escaping() {
        assert_eq!(escape_data("50% a\r\nb: c, d"), "50%25 a%0D%0Ab: c, d");
        assert_eq!(escape_property("50% a\r\nb: c, d"), "50%25 a%0D%0Ab%3A c%2C d");
    }

    #[test]
    fn commands() {
        let out = render(Format::Github, "my essay, v2.txt", Some(&short_bar()));
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines,
            [
                "my essay, v2.txt: 1.5/4 (38%) against \"Why did the Roman Republic fall?\": 1 covered, 1 partial, 1 negated, 1 missing",
                "::notice file=my essay%2C v2.txt,line=2,col=14,title=Private armies [1.1] covered::Covered (1/1 marks): \"Generals had private armies.\"",
                "::warning file=my essay%2C v2.txt,line=3,col=5,title=The Gracchi%2C reform and violence [1.2] partly made::Partly made. To go further: What happened to the brothers who tried reform?",
                "::warning file=my essay%2C v2.txt,line=4,col=15,title=[1.3] negated::Your answer says the opposite here, so it earns nothing as written. Hint: Who first marched an army on Rome, 100%25 of it?",
                "::warning file=my essay%2C v2.txt,title=Topic%3A a general's last step [1.4] missing::Missing. Hint: Who crossed the Rubicon, and what did he become?",
                "::error file=my essay%2C v2.txt,title=Below the minimum score::1.5/4 (38%25) is below the minimum 50%25.",
            ]
        );
    }
}
