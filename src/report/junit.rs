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
//! Text is escaped for XML, and characters XML 1.0 cannot hold are dropped.

use std::fmt::Write;

use super::ci::{Checked, advice, label_and_hint, one_line, point_marks};
use crate::matcher::Status;

/// Escapes text for an XML attribute or element, dropping characters XML 1.0 does not allow.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

struct Case {
    classname: String,
    name: String,
    line: Option<usize>,
    failure: Option<(&'static str, String, String)>,
    out: Option<String>,
}

/// Renders every answer as one JUnit XML document.
pub fn render(answers: &[Checked]) -> String {
    let mut suites = String::new();
    let (mut tests, mut failures) = (0, 0);
    for a in answers {
        let cases = cases(a);
        let fails = cases.iter().filter(|c| c.failure.is_some()).count();
        tests += cases.len();
        failures += fails;
        let _ = writeln!(
            suites,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{fails}\" errors=\"0\" skipped=\"0\" time=\"0\">",
            escape(a.file),
            cases.len()
        );
        suites.push_str("    <properties>\n");
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
            let _ = writeln!(suites, "      <property name=\"{k}\" value=\"{}\"/>", escape(&v));
        }
        suites.push_str("    </properties>\n");
        for c in cases {
            let line = c.line.map(|l| format!(" line=\"{l}\"")).unwrap_or_default();
            let _ = write!(
                suites,
                "    <testcase classname=\"{}\" name=\"{}\" file=\"{}\"{line} time=\"0\"",
                escape(&c.classname),
                escape(&c.name),
                escape(a.file)
            );
            if c.failure.is_none() && c.out.is_none() {
                suites.push_str("/>\n");
                continue;
            }
            suites.push_str(">\n");
            if let Some((kind, message, body)) = &c.failure {
                let _ = writeln!(
                    suites,
                    "      <failure type=\"{kind}\" message=\"{}\">{}</failure>",
                    escape(message),
                    escape(body)
                );
            }
            if let Some(o) = &c.out {
                let _ = writeln!(suites, "      <system-out>{}</system-out>", escape(o));
            }
            suites.push_str("    </testcase>\n");
        }
        suites.push_str("  </testsuite>\n");
    }
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"rubric\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\" time=\"0\">"
    );
    out.push_str(&suites);
    out.push_str("</testsuites>\n");
    out
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
    use super::*;
    use crate::report::ci::tests::fixture;
    use crate::score::assess;

    #[test]
    fn escapes() {
        assert_eq!(
            escape("a<b & \"c\" 'd'\u{1}>"),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;"
        );
    }

    #[test]
    fn one_suite_per_answer() {
        let (rubric, doc) = fixture();
        let a = assess(&rubric, &doc, false);
        let out = render(&[
            Checked::new("a.txt", &rubric, &a, &doc),
            Checked::new("b<&>.txt", &rubric, &a, &doc),
        ]);
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
