//! `rubric mark --format github|junit|sarif|line`: the CI formats of `check`, for a whole class.

use assert_cmd::Command;

const RUBRIC: &str = "rubrics/stalin-rise.toml";

fn mark(format: &str, extra: &[&str]) -> (i32, String) {
    let mut cmd = Command::cargo_bin("rubric").expect("binary");
    cmd.args(["mark", "--quiet", "-r", RUBRIC, "samples/stalin", "--format", format])
        .args(extra);
    let out = cmd.output().expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

fn check_json(file: &str) -> serde_json::Value {
    let out = Command::cargo_bin("rubric")
        .expect("binary")
        .args(["check", "-r", RUBRIC, "--format", "json", file])
        .output()
        .expect("runs");
    serde_json::from_slice(&out.stdout).expect("json")
}

fn answers() -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir("samples/stalin")
        .expect("samples")
        .flatten()
        .map(|e| e.path().display().to_string())
        .filter(|p| p.ends_with(".txt") || p.ends_with(".md"))
        .collect();
    v.sort();
    v
}

#[test]
fn line_format_gives_every_point_left_to_do_of_every_answer_with_checks_status() {
    let (code, out) = mark("line", &[]);
    assert_eq!(code, 0, "{out}");
    let mut covered = 0;
    for file in answers() {
        let report = check_json(&file);
        for (qi, q) in report["questions"].as_array().expect("questions").iter().enumerate() {
            for (pi, p) in q["points"].as_array().expect("points").iter().enumerate() {
                let status = p["status"].as_str().expect("status");
                // The line format names a point by its number (student-safe: docs/check.md).
                let id = format!("{}.{}", qi + 1, pi + 1);
                let needle = format!(": {status} {id}: ");
                let listed = out
                    .lines()
                    .any(|l| l.starts_with(&format!("{file}:")) && l.contains(&needle));
                // Covered points are listed only with `check --covered`: the lines are what is
                // left to do.
                assert_eq!(listed, status != "covered", "{file} {id} {status} in:\n{out}");
                covered += usize::from(status == "covered");
            }
        }
    }
    assert!(covered > 0, "the samples cover some points");
}

#[test]
fn sarif_junit_and_github_cover_every_answer() {
    let n = answers().len();
    let (code, sarif) = mark("sarif", &[]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&sarif).expect("sarif is json");
    assert_eq!(v["version"], "2.1.0");
    let files: std::collections::BTreeSet<&str> = v["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter_map(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str())
        .collect();
    assert!(files.len() >= n - 2, "results for most answers: {files:?}");

    let (_, junit) = mark("junit", &[]);
    assert_eq!(junit.matches("<testsuite ").count(), n, "{junit}");

    let (code, github) = mark("github", &["--min-score", "95%"]);
    assert_eq!(code, 1, "answers below the bar make the exit code 1");
    for file in answers() {
        assert!(github.contains(&format!("file={file},")), "annotations for {file}");
    }
    assert!(
        github.contains("::error"),
        "an answer below the bar is an error annotation"
    );
}

#[test]
fn every_format_prints_its_own_report() {
    // Each `--format` value of `mark` reaches its own renderer (no format falls back to another).
    let expected = [
        ("human", "answers marked,"),
        ("json", "{\"schema\":\"rubric-mark-summary/1\""),
        ("github", "::notice file="),
        ("junit", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites "),
        ("sarif", "\"$schema\": \"https://docs.oasis-open.org/sarif/"),
        ("line", ": score total: "),
    ];
    let outputs: Vec<(&str, String)> = expected
        .iter()
        .map(|(format, _)| (*format, mark(format, &[]).1))
        .collect();
    for ((format, out), (_, mark)) in outputs.iter().zip(expected) {
        assert!(out.contains(mark), "--format {format} lacks {mark:?}:\n{out}");
        for (other, other_mark) in expected {
            if other != *format {
                assert!(
                    !out.contains(other_mark),
                    "--format {format} looks like {other}:\n{out}"
                );
            }
        }
    }
}
