//! `rubric fit` run as a user would: the binary on the seed rubric and its marked fixture
//! (`tests/fixtures/eval/stalin-marks.csv`, 12 answers scored 0 to 10).

use std::path::Path;

use assert_cmd::Command;
use predicates::str::contains;
use serde_json::Value;

const RUBRIC: &str = "rubrics/stalin-rise.toml";
const MARKS: &str = "tests/fixtures/eval/stalin-marks.csv";

fn rubric() -> Command {
    Command::cargo_bin("rubric").expect("binary built")
}

/// Runs `rubric fit --format json` with `args` and the marks file `marks`.
fn fit_json(args: &[&str], marks: &str) -> Value {
    let out = rubric()
        .args(["fit", "--format", "json"])
        .args(args)
        .arg(marks)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

/// The lines of a rubric with its scoring numbers and fit note left out: what a fit must keep.
fn unscored(text: &str) -> Vec<String> {
    let scoring = regex::Regex::new(r"^\s*(marks|partial_marks|max|score)\s*=\s*[-0-9.]+\s*(#.*)?$").unwrap();
    text.lines()
        .filter(|l| !l.starts_with("# rubric fit: ") && !scoring.is_match(l) && !l.trim_start().starts_with("bands"))
        .map(str::to_string)
        .collect()
}

#[test]
fn the_written_rubric_loads_scores_as_reported_and_differs_only_in_scoring() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("fitted.toml");
    let out_s = out.to_str().unwrap();
    let j = fit_json(&["--rubric", RUBRIC, "--write", out_s], MARKS);
    assert_eq!(j["schema"], "rubric-fit/1");
    assert_eq!(j["n"], 12);
    assert_eq!(j["written"], out_s);
    let (before, after) = (
        j["train"]["before"].as_f64().unwrap(),
        j["train"]["after"].as_f64().unwrap(),
    );
    assert!(after >= before, "{j}");
    assert!(!j["changes"].as_array().unwrap().is_empty(), "{j}");

    let input = std::fs::read_to_string(RUBRIC).unwrap();
    let written = std::fs::read_to_string(&out).unwrap();
    assert!(written.starts_with("# rubric fit: scoring fitted on "), "{written}");
    assert!(
        written.contains(&format!("QWK on those answers {before:.3} -> {after:.3}")),
        "{written}"
    );
    assert_eq!(unscored(&written), unscored(&input));
    assert_ne!(written, input);

    // The fitted rubric loads, and `eval` gives it the QWK the fit reported.
    let eval = rubric()
        .args(["eval", "--format", "json", "--rubric", out_s, MARKS])
        .output()
        .unwrap();
    let e: Value = serde_json::from_slice(&eval.stdout).unwrap();
    assert!((e["qwk"].as_f64().unwrap() - after).abs() < 1e-9, "{e}");
    // Its examples' scores were carried along: they still pass (their answer files are beside
    // the rubric as written, so the fitted copy is tested from its own folder).
    let beside = Path::new("rubrics").join(".fitted-test.toml");
    std::fs::write(&beside, &written).unwrap();
    let test = rubric().args(["test", beside.to_str().unwrap()]).output().unwrap();
    std::fs::remove_file(&beside).unwrap();
    assert_eq!(test.status.code(), Some(0), "{}", String::from_utf8_lossy(&test.stdout));
}

#[test]
fn without_write_it_prints_the_changes_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path().join("r.toml");
    std::fs::copy(RUBRIC, &r).unwrap();
    rubric()
        .args(["fit", "--rubric", r.to_str().unwrap(), MARKS])
        .assert()
        .code(0)
        .stdout(contains("cross-validated"))
        .stdout(contains("old"))
        .stdout(contains("Nothing written"));
    assert_eq!(
        std::fs::read_to_string(&r).unwrap(),
        std::fs::read_to_string(RUBRIC).unwrap()
    );
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn the_fold_split_is_deterministic_whatever_the_row_order() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(MARKS).unwrap();
    // Reverse the records (a record may span lines: split on the start of each id).
    let (head, body) = text.split_once('\n').unwrap();
    let mut records: Vec<String> = Vec::new();
    for line in body.lines() {
        if line.starts_with('e') && line[1..3].chars().all(|c| c.is_ascii_digit()) {
            records.push(line.to_string());
        } else {
            let last = records.last_mut().unwrap();
            last.push('\n');
            last.push_str(line);
        }
    }
    records.reverse();
    let reversed = dir.path().join("reversed.csv");
    std::fs::write(&reversed, format!("{head}\n{}\n", records.join("\n"))).unwrap();

    let args = ["--rubric", RUBRIC, "--folds", "3"];
    let a = fit_json(&args, MARKS);
    let b = fit_json(&args, MARKS);
    let c = fit_json(&args, reversed.to_str().unwrap());
    assert_eq!(a["by_fold"], b["by_fold"]);
    assert_eq!(a["by_fold"], c["by_fold"]);
    assert_eq!(a["cross_validated"], c["cross_validated"]);
    assert_eq!(a["by_fold"].as_array().unwrap().len(), 3);
    let sizes: Vec<u64> = a["by_fold"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["n"].as_u64().unwrap())
        .collect();
    assert_eq!(sizes, [4, 4, 4]);
}

#[test]
fn the_input_rubric_is_replaced_only_when_named_as_rubric_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path().join("r.toml");
    std::fs::copy(RUBRIC, &r).unwrap();
    let r_s = r.to_str().unwrap();
    let other_name = dir.path().join(".").join("r.toml");
    rubric()
        .args(["fit", "--rubric", r_s, "--write", other_name.to_str().unwrap(), MARKS])
        .assert()
        .code(2)
        .stderr(contains("is the rubric being fitted"));
    assert_eq!(
        std::fs::read_to_string(&r).unwrap(),
        std::fs::read_to_string(RUBRIC).unwrap()
    );
    rubric()
        .args(["fit", "--rubric", r_s, "--write", r_s, MARKS])
        .assert()
        .code(0);
    assert!(std::fs::read_to_string(&r).unwrap().starts_with("# rubric fit: "));
    // No temporary file is left behind.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn bad_input_is_a_usage_error() {
    let cases: [&[&str]; 6] = [
        &["--step", "2", MARKS],
        &["--step", "half", MARKS],
        &["--folds", "1", MARKS],
        &["--folds", "13", MARKS],
        &["--score-col", "nope", MARKS],
        &["tests/fixtures/eval/no-such.csv"],
    ];
    for args in cases {
        let out = rubric().args(["fit", "--rubric", RUBRIC]).args(args).output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!out.stderr.is_empty(), "{args:?}");
    }
    rubric()
        .args(["fit", "--rubric", RUBRIC, "--folds", "13", MARKS])
        .assert()
        .stderr(contains("only 12 answers"));
}
