//! Per-point detection on answers written and marked by someone who never saw the rubric's
//! cues (`tests/fixtures/stalin-eval/labels.toml`, `samples/stalin/expected.toml`).
//! Fails when the F1 of "covered" against the teacher's labels drops below the bar.

use std::collections::BTreeMap;
use std::path::Path;

use rubric::internals::assess;
use rubric::{Document, Limits, Rubric, Status, read_path};
use serde::Deserialize;

#[derive(Deserialize)]
struct Labels {
    answer: Vec<Labelled>,
}

#[derive(Deserialize)]
struct Labelled {
    file: String,
    #[serde(default)]
    covered: Vec<String>,
    #[serde(default)]
    partial: Vec<String>,
    #[serde(default)]
    negated: Vec<String>,
    #[allow(dead_code)]
    note: Option<String>,
}

#[derive(Default, Debug)]
struct Tally {
    tp: usize,
    fp: usize,
    fn_: usize,
    exact: usize,
    total: usize,
    mistakes: Vec<String>,
}

impl Tally {
    fn f1(&self) -> f64 {
        let p = self.tp as f64 / (self.tp + self.fp).max(1) as f64;
        let r = self.tp as f64 / (self.tp + self.fn_).max(1) as f64;
        if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) }
    }
}

fn evaluate(dir: &str, labels: &str) -> Tally {
    let rubric = Rubric::load(Path::new("rubrics/stalin-rise.toml")).expect("seed rubric loads");
    let text = std::fs::read_to_string(Path::new(dir).join(labels)).expect("labels");
    let labels: Labels = toml::from_str(&text).expect("labels parse");
    let mut t = Tally::default();
    for a in &labels.answer {
        let src = read_path(&Path::new(dir).join(&a.file), &Limits::default()).expect("answer reads");
        let doc = Document::new(src.text, src.format, &rubric.language);
        let assessment = assess(&rubric, &doc, false);
        let got: BTreeMap<&str, Status> = assessment
            .points()
            .map(|p| (p.point.id.as_str(), p.finding.status))
            .collect();
        for (id, status) in got {
            let want = if a.covered.iter().any(|c| c == id) {
                Status::Covered
            } else if a.partial.iter().any(|c| c == id) {
                Status::Partial
            } else if a.negated.iter().any(|c| c == id) {
                Status::Negated
            } else {
                Status::Missing
            };
            t.total += 1;
            if want == status {
                t.exact += 1;
            } else {
                t.mistakes.push(format!(
                    "{} {id}: want {} got {}",
                    a.file,
                    want.as_str(),
                    status.as_str()
                ));
            }
            match (want == Status::Covered, status == Status::Covered) {
                (true, true) => t.tp += 1,
                (false, true) => t.fp += 1,
                (true, false) => t.fn_ += 1,
                _ => {}
            }
        }
    }
    t
}

fn check(dir: &str, labels: &str, min_f1: f64) {
    let t = evaluate(dir, labels);
    let f1 = t.f1();
    eprintln!(
        "{dir}: F1(covered) {f1:.3}, tp {} fp {} fn {}, status agreement {}/{}",
        t.tp, t.fp, t.fn_, t.exact, t.total
    );
    for m in &t.mistakes {
        eprintln!("  {m}");
    }
    assert!(f1 >= min_f1, "F1 {f1:.3} below {min_f1}");
}

#[test]
fn eval_fixtures_reach_the_f1_bar() {
    check("tests/fixtures/stalin-eval", "labels.toml", 0.85);
}

#[test]
fn samples_reach_the_f1_bar() {
    check("samples/stalin", "expected.toml", 0.85);
}
