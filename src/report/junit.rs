//! `--format junit`: JUnit XML, which CI servers (GitLab, Jenkins, Azure, GitHub test-report
//! actions) show as test results.
//!
//! - one `<testsuite>` per answer, named by its file, with the score in `<properties>`;
//! - one `<testcase>` per key point (`classname` the question's id, `name` `id: label`);
//! - a missing point is a `<failure type="missing">`, a negated one a `<failure type="negated">`,
//!   each with the hint;
//! - a partial point **passes** (it earns part of its marks) and says so in `<system-out>`:
//!   marking it skipped would read as "not checked", and most tools count skips as unfinished
//!   work;
//! - when a bar was set (`--min-score`, a config's `min_score`), one more test case,
//!   `score: min_score`, fails when the answer fell short of it.
//!
//! Text is escaped for XML ([`super::escape`]). Control characters other than tab and line breaks (those XML 1.0
//! cannot hold, and the C1 controls it only discourages) and the non-characters U+FFFE and
//! U+FFFF become U+FFFD, as in every report ([`super::printable`]). Line breaks and tabs in
//! attribute values are written as character references (`&#10;`), so an attribute stays on its
//! line; and, in case the document is printed to a CI log, a line of text that would start with
//! `::` has its first colon written `&#58;`, and `##[` is written `##&#91;`: the runner sees no
//! workflow command, and an XML reader sees the text unchanged.

use std::fmt::Write;

use super::ci::{Checked, advice, label_and_hint, one_line, point_marks};
use super::escape::{xml_attribute, xml_text};
use crate::matcher::Status;

struct Case {
    classname: String,
    name: String,
    line: Option<usize>,
    failure: Option<(&'static str, String, String)>,
    out: Option<String>,
}

/// `--format junit`: one JUnit XML document for the whole run, printed at the end (its head
/// counts every test case).
#[derive(Debug, Default)]
pub struct Junit {
    suites: String,
    tests: usize,
    failures: usize,
}

impl super::Reporter for Junit {
    fn answer(&mut self, a: &Checked) -> String {
        let cases = cases(a);
        let fails = cases.iter().filter(|c| c.failure.is_some()).count();
        self.tests += cases.len();
        self.failures += fails;
        let _ = writeln!(
            self.suites,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{fails}\" errors=\"0\" skipped=\"0\" time=\"0\">",
            xml_attribute(a.file),
            cases.len()
        );
        self.suites.push_str("    <properties>\n");
        let mut props = vec![
            ("rubric", one_line(&a.rubric.title)),
            ("score", super::marks(a.assessment.score)),
            ("max", super::marks(a.assessment.max)),
            (
                "percent",
                format!("{}", (a.assessment.fraction() * 1000.0).round() / 10.0),
            ),
        ];
        if let Some(p) = &a.rubric.path {
            props.insert(1, ("rubric_path", p.display().to_string()));
        }
        if let Some(b) = a.bar {
            props.push(("min_score", b.shown.clone()));
        }
        for (k, v) in props {
            let _ = writeln!(
                self.suites,
                "      <property name=\"{k}\" value=\"{}\"/>",
                xml_attribute(&v)
            );
        }
        self.suites.push_str("    </properties>\n");
        for c in cases {
            let line = c.line.map(|l| format!(" line=\"{l}\"")).unwrap_or_default();
            let _ = write!(
                self.suites,
                "    <testcase classname=\"{}\" name=\"{}\" file=\"{}\"{line} time=\"0\"",
                xml_attribute(&c.classname),
                xml_attribute(&c.name),
                xml_attribute(a.file)
            );
            if c.failure.is_none() && c.out.is_none() {
                self.suites.push_str("/>\n");
                continue;
            }
            self.suites.push_str(">\n");
            if let Some((kind, message, body)) = &c.failure {
                let _ = writeln!(
                    self.suites,
                    "      <failure type=\"{kind}\" message=\"{}\">{}</failure>",
                    xml_attribute(message),
                    xml_text(body)
                );
            }
            if let Some(o) = &c.out {
                let _ = writeln!(self.suites, "      <system-out>{}</system-out>", xml_text(o));
            }
            self.suites.push_str("    </testcase>\n");
        }
        self.suites.push_str("  </testsuite>\n");
        String::new()
    }

    fn finish(&mut self) -> String {
        let (tests, failures, suites) = (self.tests, self.failures, std::mem::take(&mut self.suites));
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        let _ = writeln!(
            out,
            "<testsuites name=\"rubric\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\" time=\"0\">"
        );
        out.push_str(&suites);
        out.push_str("</testsuites>\n");
        out
    }
}

fn cases(a: &Checked) -> Vec<Case> {
    let mut cases = Vec::new();
    for (question, p) in a.points() {
        let ev = p.finding.evidence.first();
        let at = ev
            .map(|e| format!("{}:{}:{}: ", a.file, e.line, e.column))
            .unwrap_or_default();
        let quote = ev.map(|e| format!("\n\"{}\"", one_line(&e.quote))).unwrap_or_default();
        let (failure, out) = match p.finding.status {
            Status::Covered => (None, None),
            Status::Partial => (
                None,
                Some(format!("{at}partial ({}): {}{quote}", point_marks(p), advice(p))),
            ),
            Status::Negated => (
                Some(("negated", advice(p), format!("{at}{}{quote}", label_and_hint(p)))),
                None,
            ),
            Status::Missing => (Some(("missing", advice(p), label_and_hint(p))), None),
        };
        cases.push(Case {
            classname: question.to_string(),
            name: format!("{}: {}", p.point.id, one_line(&p.point.label)),
            line: ev.map(|e| e.line),
            failure,
            out,
        });
    }
    if let Some(bar) = a.bar {
        let failure = (!bar.met).then(|| {
            (
                "min_score",
                format!("{} is below the minimum {}", a.score_text(), bar.shown),
                a.counts_text(),
            )
        });
        cases.push(Case {
            classname: "score".into(),
            name: "min_score".into(),
            line: None,
            failure,
            out: None,
        });
    }
    cases
}

#[cfg(test)]
mod tests {
    use crate::report::Format;
    use crate::report::fixture::with_answers;

    #[test]
    fn one_suite_per_answer() {
        let out = with_answers(&["a.txt", "b<&>.txt"], |c| Format::Junit.render(c, Default::default()));
        assert!(
            out.starts_with(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"rubric\" tests=\"8\" failures=\"4\""
            ),
            "{out}"
        );
        assert_eq!(out.matches("<testsuite ").count(), 2);
        assert!(out.contains("<testsuite name=\"b&lt;&amp;&gt;.txt\" tests=\"4\" failures=\"2\""));
        assert!(out.contains(
            "<testcase classname=\"causes\" name=\"armies: Private armies\" file=\"a.txt\" line=\"2\" time=\"0\"/>"
        ));
        assert!(out.contains(
            "<failure type=\"missing\" message=\"Missing. Hint: Who crossed the Rubicon, and what did he become?\">"
        ));
        assert!(
            out.contains("<system-out>a.txt:3:5: partial (0.5/1 marks): Partly made."),
            "{out}"
        );
    }
}
