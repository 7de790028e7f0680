//! What a student-facing output must not show ([docs/check.md], "Student-safe output"): the
//! label, id and model answer of a point not yet made, taken from the rubric file itself so that
//! a test fails whatever leaks.

use std::collections::BTreeMap;
use std::path::Path;

/// One point of a rubric, as its file writes it.
#[derive(Debug, Clone)]
pub struct RubricPoint {
    pub id: String,
    pub label: String,
    pub reveal: Option<String>,
    /// `1.1`.
    pub number: String,
}

/// The points of the rubric at `path` (misconceptions left out), and the words of its prompts
/// and hints (an id that is also a word of those is looked for only as an id: `[id]`, `"id"`).
pub fn points(path: &Path) -> (Vec<RubricPoint>, String) {
    let text = std::fs::read_to_string(path).unwrap();
    let v: toml::Value = toml::from_str(&text).unwrap();
    let mut out = Vec::new();
    let mut words = String::new();
    for (qi, q) in v["question"].as_array().unwrap().iter().enumerate() {
        words.push_str(&q["prompt"].as_str().unwrap().to_lowercase());
        let points = q["point"].as_array().unwrap().iter();
        let points = points.filter(|p| p.get("misconception").and_then(|m| m.as_bool()) != Some(true));
        for (pi, p) in points.enumerate() {
            words.push(' ');
            // A hint is a string or a list of steps (each may be shown).
            let steps: Vec<&str> = match &p["hint"] {
                toml::Value::Array(steps) => steps.iter().map(|s| s.as_str().unwrap()).collect(),
                hint => vec![hint.as_str().unwrap()],
            };
            words.push_str(&steps.join(" ").to_lowercase());
            out.push(RubricPoint {
                id: p["id"].as_str().unwrap().to_string(),
                label: p["label"].as_str().unwrap().to_string(),
                reveal: p.get("reveal").and_then(|r| r.as_str()).map(str::to_string),
                number: format!("{}.{}", qi + 1, pi + 1),
            });
        }
    }
    (out, words)
}

/// Each point's status in a `check --format json` report (the complete machine format).
pub fn statuses(report: &serde_json::Value) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for q in report["questions"].as_array().unwrap() {
        for p in q["points"].as_array().unwrap() {
            out.insert(
                p["id"].as_str().unwrap().to_string(),
                p["status"].as_str().unwrap().to_string(),
            );
        }
    }
    out
}

/// Whether a status lets the label be shown.
pub fn made(status: &str) -> bool {
    status == "covered" || status == "partial"
}

/// Fails when `output` (of a check of `answer`) shows the label, id or model answer of a point not yet made, or does
/// not show the label of a point made; returns how many points were made (so that a test can
/// make sure its draft made some).
pub fn assert_student_safe(
    what: &str,
    output: &str,
    answer: &str,
    rubric: &Path,
    statuses: &BTreeMap<String, String>,
) -> usize {
    let (points, mut words) = points(rubric);
    // The answer's own words are quoted back to the student.
    words.push_str(&answer.to_lowercase());
    let lower = output.to_lowercase();
    let mut made_count = 0;
    for p in &points {
        // Keyed by id (a complete report) or by number (a student-safe one).
        let status = statuses.get(&p.id).or_else(|| statuses.get(&p.number));
        let status = status.unwrap_or_else(|| panic!("{what}: no status for {}", p.id));
        if made(status) {
            made_count += 1;
            assert!(
                output.contains(&p.label),
                "{what}: the label of {} ({status}) is not shown:\n{output}",
                p.id
            );
            continue;
        }
        assert!(
            !output.contains(&p.label),
            "{what}: the label of {} ({status}) leaks:\n{output}",
            p.id
        );
        if let Some(r) = &p.reveal {
            assert!(
                !output.contains(r.as_str()),
                "{what}: the model answer of {} leaks:\n{output}",
                p.id
            );
        }
        let id = p.id.to_lowercase();
        if words.contains(&id) {
            for form in [
                format!("[{id}]"),
                format!("\"{id}\""),
                format!(" {id}:"),
                format!("`{id}`"),
            ] {
                assert!(
                    !lower.contains(&form),
                    "{what}: the id {form} ({status}) leaks:\n{output}"
                );
            }
        } else {
            assert!(!lower.contains(&id), "{what}: the id {id} ({status}) leaks:\n{output}");
        }
    }
    made_count
}
