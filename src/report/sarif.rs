//! `--format sarif`: SARIF 2.1.0, the format of static analysis results that GitHub code
//! scanning, Azure DevOps and editors' SARIF viewers read.
//!
//! One run, whose tool driver is `rubric` with one rule per key point (rule ids are the point
//! ids; when answers were checked against several rubrics, `<rubric file stem>/<point id>`).
//! Each missing, partial or negated point of each answer is a result:
//!
//! | status | level | location |
//! |---|---|---|
//! | missing | `warning` | the answer file, line 1 (it has no evidence) |
//! | partial | `note` | the words found (start and end line and column) |
//! | negated | `warning` | the words found, in the sentence that negates them |
//!
//! An answer below its minimum score (`--min-score`, a project's `min_score`) is an `error`
//! result of rule `min-score` on the file, with the score and the bar in its message.
//!
//! A misconception the answer makes is a `warning` on its words, under a rule of its own added
//! when first found (one no answer makes is not listed).
//!
//! The message is the point's hint. Columns count Unicode characters (`columnKind`
//! `unicodeCodePoints`). Each answer is an artifact whose properties hold its score. Covered
//! points are not results. The output is valid against the official SARIF 2.1.0 JSON schema
//! (`tests/fixtures/workflows/sarif-schema-2.1.0.json`, checked by `tests/workflows.rs`).

use std::collections::HashMap;

use serde_json::{Map, Value, json};

use super::ci::{Checked, advice, check_advice, one_line, place};
use super::printable::json_printable;
use crate::matcher::Status;
use crate::scheme::Rubric;

/// The id of the rule of an answer below its minimum score (`--min-score`).
const BAR_RULE: &str = "min-score";

/// The schema every SARIF 2.1.0 log names.
pub const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// A path as a URI reference: relative paths stay relative (`/`-separated, percent-encoded),
/// absolute ones become `file://` URIs.
pub fn uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let path = path.strip_prefix("./").unwrap_or(&path);
    let mut out = String::new();
    if path.starts_with('/') {
        out.push_str("file://");
    }
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Renders every answer as one SARIF log, pretty-printed. Built as a `serde_json` value, so every
/// string is escaped by serde; [`json_printable`] then escapes what JSON leaves raw but a
/// terminal or CI log may obey (DEL, C1 controls, `##[`), which changes no value.
fn render(log: &Value) -> String {
    json_printable(serde_json::to_string_pretty(log).unwrap_or_default()) + "\n"
}

/// The region of a result: the words of its first evidence, or line 1 without any.
fn region(doc: &crate::text::tokens::Document, ev: Option<&crate::matcher::Evidence>) -> Value {
    let Some(ev) = ev else {
        return json!({ "startLine": 1 });
    };
    let at = place(doc, ev);
    json!({
        "startLine": at.line,
        "startColumn": at.column,
        "endLine": at.end_line,
        "endColumn": at.end_column,
        "snippet": { "text": one_line(&ev.quote) },
    })
}

/// `{ "text": text }`.
fn text(text: String) -> Value {
    let mut map = Map::new();
    map.insert("text".into(), text.into());
    Value::Object(map)
}

/// A rubric of the run, in order of first use, with its points (the rules).
#[derive(Debug)]
struct Used {
    /// Rubrics are told apart by address (answers share them by reference): the address of
    /// their questions, which stays put when a rubric value is moved (a rubric has at least one).
    rubric: *const crate::scheme::Question,
    /// Its file stem, which prefixes its rule ids when the run has several rubrics.
    stem: String,
    rules: Vec<Value>,
    /// Point id -> index in `rules`.
    index: HashMap<String, usize>,
    /// The point id of each rule.
    ids: Vec<String>,
}

/// A result waiting for its rule's id, which is known once all rubrics are.
#[derive(Debug)]
struct Finding {
    rubric: usize,
    rule: usize,
    level: &'static str,
    message: String,
    location: Value,
    fingerprint: String,
    properties: Value,
}

/// `--format sarif`: one SARIF log for the whole run, printed at the end (rule ids depend on
/// how many rubrics the run used).
#[derive(Debug, Default)]
pub struct Sarif {
    used: Vec<Used>,
    artifacts: Vec<Value>,
    results: Vec<Finding>,
}

impl Sarif {
    /// The index of rule `id` in rubric `ri`, added (as `rule()` makes it) when first used: a
    /// misconception no answer makes, or the bar no answer fell short of, is not listed.
    fn extra_rule(&mut self, ri: usize, id: &str, rule: impl FnOnce() -> Value) -> usize {
        let used = &mut self.used[ri];
        if let Some(&i) = used.index.get(id) {
            return i;
        }
        used.index.insert(id.to_string(), used.rules.len());
        used.ids.push(id.to_string());
        used.rules.push(rule());
        used.rules.len() - 1
    }

    /// The rule of misconception `m` (of question `qid`) in rubric `ri`.
    fn misconception_rule(&mut self, ri: usize, rubric: &Rubric, qid: &str, m: &crate::scheme::Point) -> usize {
        let prompt = rubric
            .questions
            .iter()
            .find(|q| q.id == qid)
            .map_or("", |q| q.prompt.as_str());
        self.extra_rule(ri, &m.id, || {
            json!({
                "shortDescription": { "text": one_line(&m.label) },
                "fullDescription": { "text": one_line(prompt) },
                "help": { "text": one_line(&m.hint) },
                "defaultConfiguration": { "level": "warning" },
                "properties": {
                    "rubric": one_line(&rubric.title),
                    "question": qid,
                    "misconception": true,
                },
            })
        })
    }

    /// The index of the rubric in `used`, added (with its rules) on first use.
    fn rubric(&mut self, rubric: &Rubric) -> usize {
        if let Some(i) = self
            .used
            .iter()
            .position(|u| std::ptr::eq(u.rubric, rubric.questions.as_ptr()))
        {
            return i;
        }
        let stem = rubric
            .path
            .as_ref()
            .and_then(|p| p.file_stem())
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| format!("rubric{}", self.used.len() + 1));
        let mut used = Used {
            rubric: rubric.questions.as_ptr(),
            stem,
            rules: Vec::new(),
            index: HashMap::new(),
            ids: Vec::new(),
        };
        for q in &rubric.questions {
            for p in &q.points {
                used.index.insert(p.id.clone(), used.rules.len());
                used.ids.push(p.id.clone());
                used.rules.push(json!({
                    "shortDescription": { "text": one_line(&p.label) },
                    "fullDescription": { "text": one_line(&q.prompt) },
                    "help": { "text": one_line(&p.hint) },
                    "defaultConfiguration": { "level": "warning" },
                    "properties": {
                        "rubric": one_line(&rubric.title),
                        "question": q.id,
                        "marks": p.marks,
                    },
                }));
            }
        }
        self.used.push(used);
        self.used.len() - 1
    }

    /// The SARIF log as JSON.
    pub fn log(&mut self) -> Value {
        let several = self.used.len() > 1;
        let mut rules = Vec::new();
        let mut ids = Vec::new();
        let mut offsets = Vec::new();
        for u in &mut self.used {
            offsets.push(rules.len());
            for (rule, point) in std::mem::take(&mut u.rules).into_iter().zip(&u.ids) {
                let id = if several {
                    format!("{}/{point}", u.stem)
                } else {
                    point.clone()
                };
                let mut with_id = json!({ "id": id });
                if let (Some(to), Value::Object(from)) = (with_id.as_object_mut(), rule) {
                    to.extend(from);
                }
                ids.push(id);
                rules.push(with_id);
            }
        }
        let results: Vec<Value> = std::mem::take(&mut self.results)
            .into_iter()
            .map(|f| {
                let rule = offsets[f.rubric] + f.rule;
                // Built by hand: `json!` would copy the values already built, deeply.
                let mut result = Map::new();
                result.insert("ruleId".into(), Value::String(ids[rule].clone()));
                result.insert("ruleIndex".into(), rule.into());
                result.insert("kind".into(), "fail".into());
                result.insert("level".into(), f.level.into());
                result.insert("message".into(), text(f.message));
                result.insert("locations".into(), Value::Array(vec![f.location]));
                let mut fingerprints = Map::new();
                fingerprints.insert("rubricPoint/v1".into(), f.fingerprint.into());
                result.insert("partialFingerprints".into(), Value::Object(fingerprints));
                result.insert("properties".into(), f.properties);
                Value::Object(result)
            })
            .collect();
        json!({
            "$schema": SCHEMA_URI,
            "version": "2.1.0",
            "runs": [{
                "tool": {
                    "driver": {
                        "name": "rubric",
                        "version": env!("CARGO_PKG_VERSION"),
                        "rules": rules,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "artifacts": std::mem::take(&mut self.artifacts),
                "results": results,
            }]
        })
    }
}

impl super::Reporter for Sarif {
    fn answer(&mut self, a: &Checked) -> String {
        let ai = self.artifacts.len();
        let file_uri = uri(a.file);
        let mut props = json!({
            "score": a.assessment.score,
            "max": a.assessment.max,
            "percent": (a.assessment.fraction() * 1000.0).round() / 10.0,
            "rubric": one_line(&a.rubric.title),
        });
        if let Some(b) = a.bar {
            props["minScore"] = json!(b.shown);
            props["belowMinScore"] = json!(!b.met);
        }
        self.artifacts
            .push(json!({ "location": { "uri": file_uri }, "properties": props }));
        let ri = self.rubric(a.rubric);
        for (_, p) in a.points() {
            let status = p.finding.status;
            let level = match status {
                Status::Covered => continue,
                Status::Partial => "note",
                Status::Negated | Status::Missing => "warning",
            };
            let rule = self.used[ri].index.get(p.point.id.as_str()).copied().unwrap_or(0);
            let region = region(a.doc, p.finding.evidence.first());
            self.results.push(Finding {
                rubric: ri,
                rule,
                level,
                message: format!("{}: {}", one_line(&p.point.label), advice(p)),
                location: json!({
                    "physicalLocation": {
                        "artifactLocation": { "uri": file_uri, "index": ai },
                        "region": region,
                    }
                }),
                fingerprint: format!("{}:{}", a.file, p.point.id),
                properties: json!({ "status": status.as_str(), "marks": p.marks, "maxMarks": p.point.marks }),
            });
        }
        if let Some(bar) = a.bar.filter(|b| !b.met) {
            let rule = self.extra_rule(ri, BAR_RULE, || {
                json!({
                    "shortDescription": { "text": "Below the minimum score" },
                    "fullDescription": { "text": "The answer scores less than the bar set with --min-score or a project's min_score." },
                    "defaultConfiguration": { "level": "error" },
                    "properties": { "rubric": one_line(&a.rubric.title) },
                })
            });
            self.results.push(Finding {
                rubric: ri,
                rule,
                level: "error",
                message: format!("{} is below the minimum {}.", a.score_text(), bar.shown),
                location: json!({
                    "physicalLocation": {
                        "artifactLocation": { "uri": file_uri, "index": ai },
                        "region": { "startLine": 1 },
                    }
                }),
                fingerprint: format!("{}:{BAR_RULE}", a.file),
                properties: json!({ "score": a.assessment.score, "minScore": bar.shown }),
            });
        }
        for (qid, m) in a.found_misconceptions() {
            let rule = self.misconception_rule(ri, a.rubric, qid, m.point);
            let region = region(a.doc, m.finding.evidence.first());
            self.results.push(Finding {
                rubric: ri,
                rule,
                level: "warning",
                message: check_advice(m),
                location: json!({
                    "physicalLocation": {
                        "artifactLocation": { "uri": file_uri, "index": ai },
                        "region": region,
                    }
                }),
                fingerprint: format!("{}:{}", a.file, m.point.id),
                properties: json!({ "status": "misconception", "marks": 0.0, "maxMarks": 0.0 }),
            });
        }
        String::new()
    }

    fn finish(&mut self) -> String {
        render(&self.log())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Reporter;
    use crate::report::ci::Bar;
    use crate::report::fixture::with_answers;

    #[test]
    fn uris() {
        assert_eq!(uri("essays/a b/ü.md"), "essays/a%20b/%C3%BC.md");
        assert_eq!(uri("./x.txt"), "x.txt");
        assert_eq!(uri("/tmp/x#1.txt"), "file:///tmp/x%231.txt");
    }

    /// An answer below its bar is an error on the file (rule `min-score`, with the score and the
    /// bar); one that meets it, or has none, adds neither the result nor the rule.
    #[test]
    fn an_answer_below_its_bar_is_an_error() {
        use crate::report::fixture::short_bar;
        let met = Bar {
            met: true,
            ..short_bar()
        };
        for (bar, expected) in [(Some(short_bar()), 1), (Some(met), 0), (None, 0)] {
            let log = with_answers(&["essay.txt"], |c| {
                let mut sarif = Sarif::default();
                sarif.answer(&c[0].with_bar(bar.as_ref()));
                sarif.log()
            });
            let run = &log["runs"][0];
            let results: Vec<&Value> = run["results"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|r| r["ruleId"] == BAR_RULE)
                .collect();
            assert_eq!(results.len(), expected, "{bar:?}");
            let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
            assert_eq!(
                rules.iter().filter(|r| r["id"] == BAR_RULE).count(),
                expected,
                "{bar:?}"
            );
            if let Some(r) = results.first() {
                assert_eq!(r["level"], "error");
                assert_eq!(r["message"]["text"], "1.5/4 (38%) is below the minimum 50%.");
                let location = &r["locations"][0]["physicalLocation"];
                assert_eq!(location["artifactLocation"]["uri"], "essay.txt");
                assert_eq!(location["region"]["startLine"], 1);
            }
        }
    }

    #[test]
    fn results_for_points_not_covered() {
        let log = with_answers(&["essay.txt"], |c| {
            let mut sarif = Sarif::default();
            sarif.answer(&c[0]);
            sarif.log()
        });
        let run = &log["runs"][0];
        assert_eq!(run["tool"]["driver"]["rules"].as_array().unwrap().len(), 4);
        let results = run["results"].as_array().unwrap();
        let got: Vec<(&str, &str)> = results
            .iter()
            .map(|r| (r["ruleId"].as_str().unwrap(), r["level"].as_str().unwrap()))
            .collect();
        assert_eq!(got, [("gracchi", "note"), ("sulla", "warning"), ("caesar", "warning")]);
        let region = &results[0]["locations"][0]["physicalLocation"]["region"];
        assert_eq!(region["startLine"], 3);
        assert_eq!(results[2]["locations"][0]["physicalLocation"]["region"]["startLine"], 1);
    }
}
