//! `rubric test`: running a rubric's `[[example]]`s.

use crate::common::*;

#[test]
fn test_with_a_failing_example_exits_1_and_explains_the_failure() {
    let rubric_path = "tests/fixtures/cli/examples.toml";
    let r = run(&["test", rubric_path]);
    r.code(1)
        .stdout_has("ok   loyal legions\n")
        // The failing example: its name, where it is, what went wrong and why.
        .stdout_has(&format!("FAIL brothers unnamed ({rubric_path}:30)\n"))
        .stdout_has("point `gracchi` should be covered but is missing")
        .stdout_has("cue \"gracchi\": none")
        .stdout_has("2 examples: 1 passed, 1 failed\n");
    assert!(!r.stdout.contains("FAIL loyal legions"));
}

#[test]
fn test_with_all_examples_passing_exits_0() {
    // One example reads its answer from a file relative to the rubric, not to the current folder.
    let r = run(&["test", "tests/fixtures/cli/examples-pass.toml"]);
    r.code(0)
        .stdout_has("ok   loyal legions\n")
        .stdout_has("ok   from a file\n")
        .stdout_has("2 examples: 2 passed, 0 failed\n");
    assert!(!r.stdout.contains("FAIL"));
}

#[test]
fn test_without_examples_exits_0_and_says_so() {
    run(&["test", ROMAN]).code(0).stdout_has("no [[example]] to run");
}
