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
//! The message is the point's hint. Columns count Unicode characters (`columnKind`
//! `unicodeCodePoints`). Each answer is an artifact whose properties hold its score. Covered
//! points are not results. The output is valid against the official SARIF 2.1.0 JSON schema
//! (`tests/fixtures/workflows/sarif-schema-2.1.0.json`, checked by `tests/workflows.rs`).

use std::collections::HashMap;

use serde_json::{Value, json};

use super::ci::{Checked, advice, one_line, place};
use super::printable::json_printable;
use crate::matcher::Status;

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
pub fn render(answers: &[Checked]) -> String {
    json_printable(serde_json::to_string_pretty(&log(answers)).unwrap_or_default()) + "\n"
}

/// The SARIF log as JSON.
pub fn log(answers: &[Checked]) -> Value {
    // One rule per point of every rubric used, in order of first use.
    let mut rubrics: Vec<&crate::scheme::Rubric> = Vec::new();
    for a in answers {
        if !rubrics.iter().any(|r| std::ptr::eq(*r, a.rubric)) {
            rubrics.push(a.rubric);
        }
    }
    let several = rubrics.len() > 1;
    let mut rules = Vec::new();
    let mut index: HashMap<(usize, &str), usize> = HashMap::new();
    for (ri, r) in rubrics.iter().enumerate() {
        let stem = r
            .path
            .as_ref()
            .and_then(|p| p.file_stem())
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| format!("rubric{}", ri + 1));
        for q in &r.questions {
            for p in &q.points {
                let id = if several {
                    format!("{stem}/{}", p.id)
                } else {
                    p.id.clone()
                };
                index.insert((ri, p.id.as_str()), rules.len());
                rules.push(json!({
                    "id": id,
                    "shortDescription": { "text": one_line(&p.label) },
                    "fullDescription": { "text": one_line(&q.prompt) },
                    "help": { "text": one_line(&p.hint) },
                    "defaultConfiguration": { "level": "warning" },
                    "properties": {
                        "rubric": one_line(&r.title),
                        "question": q.id,
                        "marks": p.marks,
                    },
                }));
            }
        }
    }
    let mut artifacts = Vec::new();
    let mut results = Vec::new();
    for (ai, a) in answers.iter().enumerate() {
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
        artifacts.push(json!({ "location": { "uri": file_uri }, "properties": props }));
        let ri = rubrics.iter().position(|r| std::ptr::eq(*r, a.rubric)).unwrap_or(0);
        for (_, p) in a.points() {
            let status = p.finding.status;
            let level = match status {
                Status::Covered => continue,
                Status::Partial => "note",
                Status::Negated | Status::Missing => "warning",
            };
            let rule = index.get(&(ri, p.point.id.as_str())).copied().unwrap_or(0);
            let region = match p.finding.evidence.first() {
                Some(ev) => {
                    let at = place(a.doc, ev);
                    json!({
                        "startLine": at.line,
                        "startColumn": at.column,
                        "endLine": at.end_line,
                        "endColumn": at.end_column,
                        "snippet": { "text": one_line(&ev.quote) },
                    })
                }
                None => json!({ "startLine": 1 }),
            };
            results.push(json!({
                "ruleId": rules[rule]["id"],
                "ruleIndex": rule,
                "kind": "fail",
                "level": level,
                "message": { "text": format!("{}: {}", one_line(&p.point.label), advice(p)) },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": file_uri, "index": ai },
                        "region": region,
                    }
                }],
                "partialFingerprints": { "rubricPoint/v1": format!("{}:{}", a.file, p.point.id) },
                "properties": { "status": status.as_str(), "marks": p.marks, "maxMarks": p.point.marks },
            }));
        }
    }
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
            "artifacts": artifacts,
            "results": results,
        }]
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::ci::tests::fixture;
    use crate::score::assess;

    #[test]
    fn uris() {
        assert_eq!(uri("essays/a b/ü.md"), "essays/a%20b/%C3%BC.md");
        assert_eq!(uri("./x.txt"), "x.txt");
        assert_eq!(uri("/tmp/x#1.txt"), "file:///tmp/x%231.txt");
    }

    #[test]
    fn results_for_points_not_covered() {
        let (rubric, doc) = fixture();
        let a = assess(&rubric, &doc, false);
        let log = log(&[Checked::new("essay.txt", &rubric, &a, &doc)]);
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
