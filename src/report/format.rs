//! The output formats, and the one interface every format is rendered through.
//!
//! [`Format`] is the one list of formats; the command line's `--format` values (one table in
//! `crate::cli::args`, with what each command prints in each) parse into it, and every command
//! places each format with an exhaustive match (no wildcard picks one silently).
//!
//! What each command accepts:
//!
//! | format | `check` prints | `mark` prints |
//! |---|---|---|
//! | `human` | each answer's report ([`super::human`]) | the class summary ([`super::summary`]) |
//! | `json` | each answer's report, JSON Lines ([`super::json`]) | the class summary as JSON |
//! | `line` | one line per point ([`super::line`]) | the same, for every answer marked |
//! | `github` | workflow commands ([`super::github`]) | the same, for every answer marked |
//! | `junit` | one JUnit XML document ([`super::junit`]) | the same, for every answer marked |
//! | `sarif` | one SARIF log ([`super::sarif`]) | the same, for every answer marked |
//!
//! Whatever prints answers' reports does it through [`Reporter`]: [`Format::reporter`] gives
//! the one for a format, [`Reporter::answer`] is called for each checked answer in order and
//! [`Reporter::finish`] once at the end. Each returns the text to print at that point, so a
//! format that prints answer by answer (human, json, github, line) streams; one that describes
//! the whole run in one document (junit, sarif) keeps what it needs and prints it all at the end.

use super::ci::Checked;
use super::{Options, github, human, json, junit, line, sarif};

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// The report for people.
    Human,
    /// The JSON report (`rubric-check/1`), one object per answer; `mark`: the class summary.
    Json,
    /// `file:line:col: status point: message`.
    Line,
    /// GitHub Actions workflow commands.
    Github,
    /// JUnit XML.
    Junit,
    /// SARIF 2.1.0.
    Sarif,
}

impl Format {
    /// Whether this is a format for CI and editors (docs/ci.md): `rubric mark` prints every
    /// answer's report in it (and keeps the evidence for it), rather than the class summary.
    pub fn is_ci(self) -> bool {
        match self {
            Format::Human | Format::Json => false,
            Format::Line | Format::Github | Format::Junit | Format::Sarif => true,
        }
    }

    /// The reporter that renders answers in this format.
    pub fn reporter(self, opts: Options) -> Box<dyn Reporter> {
        match self {
            Format::Human => Box::new(human::Human::new(opts)),
            Format::Json => Box::new(json::Json::new(opts)),
            Format::Line => Box::new(line::Line { covered: opts.covered }),
            Format::Github => Box::new(Each(github::render)),
            Format::Junit => Box::new(junit::Junit::default()),
            Format::Sarif => Box::new(sarif::Sarif::default()),
        }
    }

    /// Every answer of a run rendered in this format, at once.
    pub fn render(self, answers: &[Checked], opts: Options) -> String {
        let mut reporter = self.reporter(opts);
        let mut out = String::new();
        for a in answers {
            out.push_str(&reporter.answer(a));
        }
        out.push_str(&reporter.finish());
        out
    }
}

/// Renders the checked answers of one run: [`answer`](Reporter::answer) for each, in order, then
/// [`finish`](Reporter::finish) once. Each returns the text to print then (often empty).
///
/// The rubrics of a run are told apart by address (SARIF has one set of rules per rubric), so
/// every rubric of a run must live until `finish`.
pub trait Reporter {
    /// One checked answer.
    fn answer(&mut self, answer: &Checked) -> String;
    /// The end of the run: nothing, for formats that print answer by answer.
    fn finish(&mut self) -> String {
        String::new()
    }
}

/// A format that renders each answer on its own, and nothing at the end.
struct Each(fn(&Checked) -> String);

impl Reporter for Each {
    fn answer(&mut self, answer: &Checked) -> String {
        (self.0)(answer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture::with_answers;

    const ALL: [Format; 6] = [
        Format::Human,
        Format::Json,
        Format::Line,
        Format::Github,
        Format::Junit,
        Format::Sarif,
    ];

    #[test]
    fn streamed_answers_make_the_same_report_as_all_at_once() {
        with_answers(&["a.txt", "b.txt"], |answers| {
            for format in ALL {
                let whole = format.render(answers, Options::default());
                let mut reporter = format.reporter(Options::default());
                let first = reporter.answer(&answers[0]);
                let second = reporter.answer(&answers[1]);
                let end = reporter.finish();
                assert_eq!(format!("{first}{second}{end}"), whole, "{format:?}");
                assert!(whole.contains("b.txt"), "{format:?}: {whole}");
                // Formats that describe a whole run print it at the end; the others as they go.
                let streams = matches!(format, Format::Human | Format::Json | Format::Github | Format::Line);
                assert_eq!(!first.is_empty(), streams, "{format:?}");
            }
        });
    }

    #[test]
    fn human_reports_are_separated_by_a_blank_line() {
        with_answers(&["a.txt"], |c| {
            let one = Format::Human.render(c, Options::default());
            assert_eq!(
                Format::Human.render(&[c[0], c[0]], Options::default()),
                format!("{one}\n{one}")
            );
            let line = Format::Json.render(c, Options::default());
            assert!(line.ends_with("}\n") && line.matches('\n').count() == 1, "{line}");
        });
    }
}
