//! Invalid rubrics are refused with `file:line:column: message`, the offending line and a caret,
//! and exit code 2, by every command that reads a rubric. The fixtures are
//! `tests/fixtures/cli/bad/*.toml`, each a copy of `roman.toml` with one mistake.

use crate::common::*;

/// Runs `check` (with an answer) and `lint` on the bad rubric `name`, asserts that both exit 2
/// with nothing on stdout and that stderr has `path:line:column: ` followed by `message`, then
/// returns `check`'s stderr for further checks.
#[track_caller]
fn assert_rubric_error(name: &str, line: usize, column: usize, message: &str) -> String {
    let rubric_path = format!("tests/fixtures/cli/bad/{name}.toml");
    let located = format!("error: {rubric_path}:{line}:{column}: {message}");
    let check = run(&["check", "-r", &rubric_path, ROMAN_ARMIES]);
    check.code(2).stderr_has(&located);
    assert_eq!(check.stdout, "", "no report from a bad rubric");
    let lint = run(&["lint", &rubric_path]);
    lint.code(2).stderr_has(&located);
    assert_eq!(lint.stdout, "");
    let test = run(&["test", &rubric_path]);
    test.code(2).stderr_has(&located);
    // The offending line is quoted under the message, with a caret under the column.
    let source = std::fs::read_to_string(path(&rubric_path)).unwrap();
    let offending = source.lines().nth(line - 1).unwrap();
    check.stderr_has(&format!("{line} | {offending}\n"));
    let caret_line = check
        .stderr
        .lines()
        .skip_while(|l| !l.ends_with(&format!("{line} | {offending}")))
        .nth(1)
        .expect("a caret line after the quoted line");
    let caret_at = caret_line.split_once(" | ").expect("gutter").1;
    assert_eq!(
        caret_at.chars().count(),
        column,
        "caret not under column {column}: {caret_line:?}"
    );
    assert!(caret_at.ends_with('^'));
    check.stderr
}

/// The character at 1-based `column` of line `line` of fixture `name`.
fn char_at(name: &str, line: usize, column: usize) -> char {
    let source = std::fs::read_to_string(path(&format!("tests/fixtures/cli/bad/{name}.toml"))).unwrap();
    source.lines().nth(line - 1).unwrap().chars().nth(column - 1).unwrap()
}

#[test]
fn toml_syntax_error_is_located() {
    // `label = "The Gracchi brothers' land reforms` lacks its closing quote: the error is at
    // the end of the line, where the quote was expected.
    assert_rubric_error("toml-syntax", 20, 44, "invalid basic string");
}

#[test]
fn unknown_key_is_located_and_names_the_expected_keys() {
    let stderr = assert_rubric_error("unknown-key", 21, 1, "unknown field `hnit`");
    assert!(stderr.contains("`hint`"), "the message lists the valid keys: {stderr}");
}

#[test]
fn wrong_type_is_located_at_the_value() {
    assert_rubric_error("wrong-type", 19, 6, "invalid type: integer `5`, expected a string");
}

#[test]
fn duplicate_point_id_is_located_at_the_second_id() {
    assert_rubric_error("duplicate-id", 19, 6, "duplicate point id `armies`");
}

#[test]
fn unknown_synonym_set_is_located_at_the_reference() {
    let stderr = assert_rubric_error(
        "unknown-synonym",
        23,
        30,
        "in cue \"tiberius @nope\": unknown synonym set `@nope`",
    );
    assert_eq!(char_at("unknown-synonym", 23, 30), '@');
    assert!(
        stderr.contains("defined: soldiers"),
        "the message lists the sets defined: {stderr}"
    );
}

#[test]
fn unclosed_bracket_in_a_cue_is_located_where_the_bracket_should_close() {
    // cues = ["gracchi", "council (of"]: the `)` is missing at the end of the cue, column 32,
    // the closing quote of the string.
    assert_rubric_error(
        "unclosed-paren",
        23,
        32,
        "in cue \"council (of\": expected `)` to close the `(`",
    );
    assert_eq!(char_at("unclosed-paren", 23, 32), '"');
    assert_eq!(char_at("unclosed-paren", 23, 31), 'f');
}

#[test]
fn cyclic_synonym_sets_are_located_at_each_reference() {
    let stderr = assert_rubric_error("synonym-cycle", 5, 25, "in synonym set `soldiers`");
    assert_eq!(char_at("synonym-cycle", 5, 25), '@');
    assert!(stderr.contains("refers to itself"), "{stderr}");
    assert!(
        stderr.contains("synonym-cycle.toml:6:32: in synonym set `troops`"),
        "{stderr}"
    );
    assert_eq!(char_at("synonym-cycle", 6, 32), '@');
}

#[test]
fn missing_hint_is_located_at_the_point() {
    assert_rubric_error(
        "missing-hint",
        18,
        1,
        "point `gracchi` of question `causes`: missing field `hint`",
    );
    assert_eq!(char_at("missing-hint", 18, 1), '[');
}

#[test]
fn all_missing_fields_of_a_point_are_named_in_one_message() {
    // Without `label` and `hint`: one error naming both, not one error per fix.
    let stderr = assert_rubric_error(
        "missing-label-hint",
        18,
        1,
        "point `gracchi` of question `causes`: missing fields `label`, `hint`\n",
    );
    assert_eq!(stderr.matches("error:").count(), 1, "{stderr}");
}

#[test]
fn example_naming_an_unknown_point_is_located_at_the_name() {
    assert_rubric_error(
        "example-unknown-point",
        29,
        11,
        "example `armies` names an unknown point `gracchus`",
    );
}

#[test]
fn any_group_needing_more_parts_than_it_has_is_located_at_the_group() {
    assert_rubric_error(
        "any-need",
        23,
        9,
        "`need` must be between 1 and the number of parts (3)",
    );
    assert_eq!(char_at("any-need", 23, 9), '{');
}

#[test]
fn a_source_passage_that_is_not_there_is_located_at_the_path() {
    // `source = "no-such-article.txt"`: the path is relative to the rubric's folder, and the
    // error is at the path's first character.
    let stderr = assert_rubric_error(
        "missing-source",
        3,
        11,
        "cannot read the source passage: tests/fixtures/cli/bad/no-such-article.txt: no such file",
    );
    assert_eq!(char_at("missing-source", 3, 11), 'n');
    assert!(stderr.contains("relative to the rubric's folder"), "{stderr}");
}
