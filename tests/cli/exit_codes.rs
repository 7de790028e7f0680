//! Exit codes of `rubric check`: 0 success, 1 below `--min-score`, 2 usage or input error. Most
//! are cases in `tests/cli/cases.toml`; here are those that need more than a table: binary
//! bytes, and the order of the reports around an error.

use crate::common::*;

const STRONG: &str = "samples/stalin/strong.txt";
const WEAK: &str = "samples/stalin/weak.txt";

#[test]
fn binary_answer_file_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("essay.txt");
    // A word-processor file saved under a text name.
    std::fs::write(&file, b"PK\x03\x04\x14\x00\x06\x00patronage\x00\x00\xff\xfe").unwrap();
    let shown = file.to_str().unwrap();
    let r = run(&["check", "-r", STALIN, shown]);
    r.code(2).stderr_has(shown).stderr_has("binary file");
    assert_eq!(r.stdout, "");
}

#[test]
fn one_missing_answer_among_several_still_reports_the_others_and_exits_2() {
    let missing = "samples/stalin/no-such-answer.txt";
    let r = run(&["check", "-r", STALIN, STRONG, missing, WEAK]);
    r.code(2)
        .stderr_has(&format!("{missing}: no such file"))
        .stdout_has("samples/stalin/strong.txt\n")
        .stdout_has("samples/stalin/weak.txt\n");
    // The reports keep the order the answers were given in.
    let strong = r.stdout.find("samples/stalin/strong.txt\n").unwrap();
    let weak = r.stdout.find("samples/stalin/weak.txt\n").unwrap();
    assert!(strong < weak);

    // The same in JSON: one valid line per answer that could be read.
    let r = run(&["check", "-r", STALIN, "--format", "json", STRONG, missing, WEAK]);
    r.code(2).stderr_has(missing);
    let files: Vec<_> = r
        .json_lines()
        .iter()
        .map(|j| j["file"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(files, [STRONG, WEAK]);
}
