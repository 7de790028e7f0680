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

#[test]
fn lint_expand_shows_each_cue_as_the_word_sequences_it_matches() {
    let r = run(&["lint", "--expand", WARNINGS]);
    r.code(0);
    // One line per cue, at its line, with its point: the synonym set spelt out, the prefix
    // word kept as `legion*`.
    r.stdout_has(&format!(
        "{WARNINGS}:17: armies cue: \"private @soldiers\" = private soldier | private army | private armies | private legion* | private troops\n"
    ));
    r.stdout_has(&format!(
        "{WARNINGS}:26: reforms cue: \"marian reforms\" = marian reforms\n"
    ));
    // The expansions come before the warnings, which are unchanged.
    let first_warning = r.stdout.find(": warning: ").expect("warnings");
    assert!(r.stdout.rfind(" cue: \"").unwrap() < first_warning, "{}", r.stdout);
    let plain = run(&["lint", WARNINGS]);
    assert!(r.stdout.ends_with(&plain.stdout), "{}", r.stdout);
    assert!(!plain.stdout.contains(" = "), "{}", plain.stdout);
}

#[test]
fn lint_expand_shows_the_alternative_trap_and_caps_large_expansions() {
    let dir = tempfile::tempdir().unwrap();
    let rubric = dir.path().join("r.toml");
    std::fs::write(
        &rubric,
        r#"title = "T"
[[question]]
id = "q"
prompt = "P"
[[question.point]]
id = "read"
label = "Could not read"
hint = "H"
cues = ["couldn't|could not read", "a|b|c|d|e d|e|f|g"]
"#,
    )
    .unwrap();
    let r = run(&["lint", "--expand", rubric.to_str().unwrap()]);
    r.code(0);
    // `|` binds single words: the cue is not "couldn't read" or "could not read".
    r.stdout_has(": read cue: \"couldn't|could not read\" = could not not read | could not read\n");
    // 20 variants: 12 shown, the rest counted.
    r.stdout_has(": read cue: \"a|b|c|d|e d|e|f|g\" = a d | a e | a f | a g | b d | b e | b f | b g | c d | c e | c f | c g ... and 8 more\n");
}
