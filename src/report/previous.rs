//! The earlier reports `rubric check --since PREVIOUS.json` reads: reports saved with
//! `--format json` (`rubric-check/1`), one per answer, each read back as a
//! [`Before`](super::progress::Before) to compare a new check with ([`super::progress`]).

use serde::Deserialize;

use super::progress::{Before, BeforePoint, Keyed, id_key, parse_status};

/// The schema of the reports `--since` reads.
const CHECK_SCHEMA: &str = super::json::SCHEMA;

/// What `--since` reads of a check report; every other field is left alone.
#[derive(Debug, Deserialize)]
struct SavedReport {
    file: String,
    rubric: SavedRubric,
    score: f64,
    max: f64,
    questions: Vec<SavedQuestion>,
}

#[derive(Debug, Deserialize)]
struct SavedRubric {
    title: String,
}

#[derive(Debug, Deserialize)]
struct SavedQuestion {
    id: String,
    points: Vec<SavedPoint>,
}

#[derive(Debug, Deserialize)]
struct SavedPoint {
    id: String,
    status: String,
    #[serde(default)]
    evidence: Vec<SavedEvidence>,
}

#[derive(Debug, Deserialize)]
struct SavedEvidence {
    quote: String,
}

/// The reports of a `--since` file: one per answer it was saved for.
#[derive(Debug, Clone, PartialEq)]
pub struct Previous {
    /// The file, as named on the command line (for messages).
    pub name: String,
    pub reports: Vec<Before>,
}

/// Why a `--since` file cannot be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{name}: {why}")]
pub struct SinceError {
    pub name: String,
    pub why: String,
}

impl Previous {
    /// Reads `path`: JSON Lines (or one JSON document, or several) of `rubric check --format
    /// json` reports, in UTF-8 or UTF-16 (PowerShell's `>` writes UTF-16).
    pub fn read(path: &std::path::Path) -> Result<Previous, SinceError> {
        let name = path.display().to_string();
        let fail = |why: String| SinceError {
            name: name.clone(),
            why,
        };
        let bytes = std::fs::read(path).map_err(|e| fail(format!("cannot read the earlier report: {e}")))?;
        let (text, _) = crate::text::decode::decode(&bytes, &name).map_err(|e| match e {
            crate::text::read::ReadError::Empty { .. } => fail(Self::not_a_report("it is empty")),
            other => fail(Self::not_a_report(&other.to_string())),
        })?;
        Previous::parse(&text, &name)
    }

    fn not_a_report(why: &str) -> String {
        format!(
            "not a report saved with `rubric check --format json` ({why}); save one with `rubric check --format json ANSWER > draft1.json`"
        )
    }

    /// [`Previous::read`] of text already read; `name` names the file in errors.
    pub fn parse(text: &str, name: &str) -> Result<Previous, SinceError> {
        let fail = |why: String| SinceError {
            name: name.to_owned(),
            why,
        };
        let text = text.trim_start_matches('\u{feff}');
        let mut reports = Vec::new();
        let stream = serde_json::Deserializer::from_str(text).into_iter::<serde_json::Value>();
        for (i, value) in stream.enumerate() {
            let value = value.map_err(|e| fail(Self::not_a_report(&format!("not JSON: {e}"))))?;
            let schema = value.get("schema").and_then(|s| s.as_str()).unwrap_or("");
            if schema != CHECK_SCHEMA {
                let what = if schema.is_empty() {
                    "it has no \"schema\" field".to_string()
                } else {
                    format!("its schema is {schema:?}, not {CHECK_SCHEMA:?}")
                };
                return Err(fail(Self::not_a_report(&format!("object {}: {what}", i + 1))));
            }
            let saved: SavedReport = serde_json::from_value(value)
                .map_err(|e| fail(Self::not_a_report(&format!("object {}: {e}", i + 1))))?;
            let mut points = Vec::new();
            for q in &saved.questions {
                for p in &q.points {
                    let status = parse_status(&p.status).ok_or_else(|| {
                        fail(Self::not_a_report(&format!(
                            "object {}: point {:?} has the unknown status {:?}",
                            i + 1,
                            p.id,
                            p.status
                        )))
                    })?;
                    points.push(BeforePoint {
                        key: id_key(&q.id, &p.id),
                        status,
                        quote: p.evidence.first().map(|e| e.quote.clone()),
                    });
                }
            }
            reports.push(Before {
                file: saved.file,
                rubric: saved.rubric.title,
                score: saved.score,
                max: saved.max,
                keyed: Keyed::Id,
                points,
            });
        }
        if reports.is_empty() {
            return Err(fail(Self::not_a_report("it holds no report")));
        }
        Ok(Previous {
            name: name.to_owned(),
            reports,
        })
    }

    /// The earlier report of answer `file`, when `answers` answers are checked: the one report
    /// when the file holds one and one answer is checked (a new draft is often a new file), else
    /// the last report of the same file name.
    pub fn for_answer(&self, file: &str, answers: usize) -> Option<&Before> {
        if self.reports.len() == 1 && answers == 1 {
            return self.reports.first();
        }
        self.reports.iter().rev().find(|r| r.file == file)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::progress::tests::{BETTER, WEAK, with};

    /// The JSON report of `answer`, as `--format json` saves it.
    fn saved(answer: &str) -> String {
        with(answer, |rubric, a| {
            super::super::json::render("draft1.txt", rubric, a, Default::default())
        })
    }

    #[test]
    fn a_saved_report_reads_back_as_the_check_it_was() {
        let prev = Previous::parse(&saved(BETTER), "p.json").unwrap();
        let before = with(BETTER, |r, a| Before::of("draft1.txt", r, a));
        assert_eq!(prev.reports, [before]);
    }

    #[test]
    fn files_that_are_not_check_reports_are_refused() {
        for (text, why) in [
            ("", "holds no report"),
            ("{", "not JSON"),
            ("{\"schema\":\"rubric-eval/1\"}", "its schema is \"rubric-eval/1\""),
            ("[1, 2]", "no \"schema\" field"),
            ("{\"schema\":\"rubric-check/1\"}", "object 1: missing field"),
        ] {
            let e = Previous::parse(text, "p.json").unwrap_err();
            assert_eq!(e.name, "p.json");
            assert!(e.why.contains(why), "{text}: {}", e.why);
            assert!(e.why.contains("--format json"), "{}", e.why);
        }
        let bad = saved(WEAK).replace("\"missing\"", "\"lost\"");
        assert!(
            Previous::parse(&bad, "p.json")
                .unwrap_err()
                .why
                .contains("unknown status \"lost\"")
        );
    }

    #[test]
    fn several_reports_are_picked_by_file_name() {
        let a = saved(WEAK);
        let b = saved(BETTER).replace("draft1.txt", "b.txt");
        let prev = Previous::parse(&format!("{a}{b}"), "p.json").unwrap();
        assert_eq!(prev.reports.len(), 2);
        assert_eq!(prev.for_answer("b.txt", 2).unwrap().score, 3.0);
        assert_eq!(prev.for_answer("draft1.txt", 2).unwrap().score, 2.0);
        assert!(prev.for_answer("c.txt", 2).is_none());
        // One report and one answer: a new draft is often a new file.
        let one = Previous::parse(&a, "p.json").unwrap();
        assert_eq!(one.for_answer("draft2.txt", 1).unwrap().file, "draft1.txt");
        assert!(one.for_answer("draft2.txt", 2).is_none());
    }

    #[test]
    fn a_pretty_printed_report_reads_too() {
        let v: serde_json::Value = serde_json::from_str(&saved(WEAK)).unwrap();
        let pretty = serde_json::to_string_pretty(&v).unwrap();
        assert_eq!(Previous::parse(&pretty, "p.json").unwrap().reports.len(), 1);
    }
}
