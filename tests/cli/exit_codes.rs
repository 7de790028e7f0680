//! Exit codes of `rubric check`: 0 success, 1 below `--min-score`, 2 usage or input error.

use crate::common::*;

const STRONG: &str = "samples/stalin/strong.txt";
const WEAK: &str = "samples/stalin/weak.txt";

#[test]
fn check_of_a_sample_answer_exits_0_and_prints_the_report() {
    let r = run(&["check", "-r", STALIN, STRONG]);
    r.code(0)
        .stdout_has("samples/stalin/strong.txt\n")
        .stdout_has("How had Stalin been able to rise up the Bolshevik ranks?\n")
        .stdout_has("Score ");
    assert_eq!(r.stderr, "", "nothing on stderr for a normal check");
}

#[test]
fn min_score_above_the_score_exits_1_as_fraction_percentage_or_marks() {
    let report = check_json(STALIN, WEAK, &[]);
    let score = report["score"].as_f64().unwrap();
    assert!(score < 9.0, "weak.txt should score well below 9, got {score}");
    for bar in ["0.9", "90%", "9"] {
        let r = run(&["check", "-r", STALIN, "--min-score", bar, WEAK]);
        r.code(1).stdout_has("Score ");
        assert_eq!(r.stderr, "", "falling short is not an error (--min-score {bar})");
    }
}

#[test]
fn min_score_met_exits_0_as_fraction_percentage_or_marks() {
    let report = check_json(STALIN, STRONG, &[]);
    let score = report["score"].as_f64().unwrap();
    assert!(score >= 9.0, "strong.txt should score at least 9, got {score}");
    for bar in ["0.9", "90%", "9"] {
        run(&["check", "-r", STALIN, "--min-score", bar, STRONG]).code(0);
    }
}

#[test]
fn min_score_boundary_is_inclusive_for_each_kind_of_bar() {
    // armies.txt scores exactly 1 of 2 on the Roman rubric.
    let report = check_json(ROMAN, ROMAN_ARMIES, &[]);
    assert_eq!(report["score"].as_f64(), Some(1.0));
    assert_eq!(report["max"].as_f64(), Some(2.0));
    for met in ["0.5", "50%", "1", "0", "0%"] {
        run(&["check", "-r", ROMAN, "--min-score", met, ROMAN_ARMIES]).code(0);
    }
    for short in ["0.51", "51%", "1.5", "2", "100%"] {
        run(&["check", "-r", ROMAN, "--min-score", short, ROMAN_ARMIES]).code(1);
    }
}

#[test]
fn min_score_applies_to_every_answer_checked() {
    // One answer falls short: exit 1, and both reports are printed.
    let r = run(&["check", "-r", STALIN, "--min-score", "90%", STRONG, WEAK]);
    r.code(1)
        .stdout_has("samples/stalin/strong.txt\n")
        .stdout_has("samples/stalin/weak.txt\n");
}

#[test]
fn missing_answer_file_exits_2_and_names_the_path() {
    let r = run(&["check", "-r", STALIN, "tests/fixtures/cli/answers/no-such-answer.txt"]);
    r.code(2)
        .stderr_has("tests/fixtures/cli/answers/no-such-answer.txt: no such file");
    assert_eq!(r.stdout, "");
}

/// A folder is walked for answer files (docs/ci.md); the `.toml` beside them is not one.
#[test]
fn directory_as_answer_checks_its_answers() {
    let r = run(&["check", "-r", STALIN, "samples/stalin", "--format", "line"]);
    r.code(0).stdout_has("samples/stalin/weak.txt:1:1: score total: ");
    assert!(!r.stdout.contains("expected.toml"), "{}", r.stdout);
}

#[test]
fn empty_answer_file_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in [("empty.txt", &b""[..]), ("blank.txt", &b"  \n\t\r\n\n"[..])] {
        let file = dir.path().join(name);
        std::fs::write(&file, bytes).unwrap();
        let shown = file.to_str().unwrap();
        let r = run(&["check", "-r", STALIN, shown]);
        r.code(2).stderr_has(&format!("{shown}: the answer is empty"));
        assert_eq!(r.stdout, "");
    }
}

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
fn answer_over_the_size_limit_exits_2() {
    let r = run(&["check", "-r", STALIN, "--max-answer-bytes", "100", STRONG]);
    r.code(2).stderr_has("samples/stalin/strong.txt: too large");
    assert_eq!(r.stdout, "");
}

#[test]
fn nonexistent_rubric_exits_2_and_names_it() {
    let r = run(&["check", "-r", "rubrics/no-such-rubric.toml", STRONG]);
    r.code(2).stderr_has("rubrics/no-such-rubric.toml");
    assert_eq!(r.stdout, "");
}

#[test]
fn invalid_min_score_exits_2_before_checking_anything() {
    for bad in ["abc", "-1", "-0.5", "150%", "", "NaN", "inf", "6 marks"] {
        // `--min-score=X`, since clap would take `--min-score -1` for a flag.
        let r = run(&["check", "-r", STALIN, &format!("--min-score={bad}"), STRONG]);
        r.code(2).stderr_has("--min-score");
        assert_eq!(r.stdout, "", "no report with --min-score {bad:?}");
    }
}

#[test]
fn unknown_flag_exits_2() {
    let r = run(&["check", "-r", STALIN, "--no-such-flag", STRONG]);
    r.code(2).stderr_has("--no-such-flag");
    assert_eq!(r.stdout, "");
}

#[test]
fn unknown_subcommand_and_no_subcommand_exit_2() {
    run(&["grade", STRONG]).code(2).stderr_has("grade");
    run(&[]).code(2).stderr_has("Usage");
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

#[test]
fn an_error_wins_over_falling_short() {
    // weak.txt falls short (1) and the missing file is an error (2): the error is reported.
    let r = run(&[
        "check",
        "-r",
        STALIN,
        "--min-score",
        "90%",
        WEAK,
        "samples/stalin/nope.txt",
    ]);
    r.code(2).stdout_has("samples/stalin/weak.txt\n");
}
