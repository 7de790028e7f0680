//! `rubric lint`: validation and warnings, each at its line of the rubric.

use crate::common::*;

const WARNINGS: &str = "tests/fixtures/cli/lint-warnings.toml";

#[test]
fn lint_warns_about_each_misleading_cue_at_its_line() {
    let r = run(&["lint", WARNINGS]);
    r.code(0);
    let warnings: Vec<&str> = r.stdout.lines().filter(|l| l.contains(": warning: ")).collect();
    let has = |line: usize, fragment: &str| {
        let prefix = format!("{WARNINGS}:{line}: warning: ");
        assert!(
            warnings.iter().any(|w| w.starts_with(&prefix) && w.contains(fragment)),
            "no warning at line {line} with {fragment:?}:\n{}",
            r.stdout
        );
    };
    // `senators = [...]` at line 6 is never used.
    has(6, "synonym set `senators` is never used");
    // "marian reforms" is a whole cue of `armies` (line 18) and `reforms` (line 26).
    has(
        26,
        "\"marian reforms\" is a cue of several points: `armies` (line 18), `reforms` (line 26)",
    );
    // "the" at line 27 is only a common word (and is in the title and the question).
    has(
        27,
        "cue \"the\" of point `reforms` can match \"the\", words found in almost any answer",
    );
    // "crossed the rubicon" at line 28 is the question's own wording.
    has(
        28,
        "cue \"crossed the rubicon\" of point `reforms` matches a question's own wording",
    );
    // Warnings come in line order, and the summary counts them.
    let lines: Vec<usize> = warnings
        .iter()
        .map(|w| w[WARNINGS.len() + 1..].split(':').next().unwrap().parse().unwrap())
        .collect();
    assert!(lines.is_sorted(), "{lines:?}");
    r.stdout_has(&format!(": {} warnings\n", warnings.len()));
    // Nothing is said about the sound cues.
    assert!(!r.stdout.contains("private @soldiers"), "{}", r.stdout);
}
