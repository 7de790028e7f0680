//! Where answers and rubrics come from: standard input, `rubric.toml` discovery, and answers
//! in other encodings than UTF-8.

use std::path::Path;

use crate::common::*;

const PATRONAGE_ANSWER: &str = "Stalin built a huge patronage system.\nHis protégés then voted for him.\n";

#[test]
fn stdin_is_read_for_a_dash() {
    // (The human report of it, and empty standard input, are cases in `tests/cli/cases.toml`.)
    let r = run_stdin(
        &["check", "-r", STALIN, "--format", "json", "-"],
        PATRONAGE_ANSWER.as_bytes(),
    );
    let report = r.code(0).json();
    assert_eq!(report["file"], "<stdin>");
    assert_eq!(point(&report, "patronage")["status"], "covered");
    assert_eq!(point(&report, "patronage")["evidence"][0]["line"], 1);
}

#[test]
fn stdin_is_read_when_no_path_is_given_and_input_is_piped() {
    let r = run_stdin(
        &["check", "-r", STALIN, "--format", "json"],
        PATRONAGE_ANSWER.as_bytes(),
    );
    let report = r.code(0).json();
    assert_eq!(report["file"], "<stdin>");
    assert_eq!(point(&report, "patronage")["status"], "covered");
}

#[test]
fn stdin_is_read_as_markdown() {
    // Markup is not words: the emphasis and the link target must not break the phrase.
    let md = "# My answer\n\n- He was the **Council of People's Commissars** [link](http://example.com/patronage)\n";
    let report = run_stdin(&["check", "-r", STALIN, "--format", "json"], md.as_bytes())
        .code(0)
        .json();
    assert_eq!(point(&report, "sovnarkom")["status"], "covered");
    assert_eq!(
        point(&report, "patronage")["status"],
        "missing",
        "a link target is not text"
    );
}

/// A temporary folder with `rubric.toml` (a copy of the Roman rubric) and `sub/answer.txt`.
fn project_with_rubric_toml() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(path(ROMAN), dir.path().join("rubric.toml")).unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::fs::copy(path(ROMAN_ARMIES), dir.path().join("sub/answer.txt")).unwrap();
    dir
}

/// Fails the test early if a `rubric.toml` above the temporary folder would be found instead.
fn assert_no_rubric_toml_above(dir: &Path) {
    for d in dir.canonicalize().unwrap().ancestors().skip(1) {
        assert!(
            !d.join("rubric.toml").exists(),
            "{} exists: the discovery tests cannot run here",
            d.join("rubric.toml").display()
        );
    }
}

#[test]
fn rubric_toml_is_found_in_the_answers_folder_or_above() {
    let dir = project_with_rubric_toml();
    assert_no_rubric_toml_above(dir.path());
    let r = run_cmd(
        rubric()
            .current_dir(dir.path())
            .args(["check", "--format", "json", "sub/answer.txt"]),
    );
    let report = r.code(0).json();
    assert_eq!(report["file"], "sub/answer.txt");
    assert_eq!(report["rubric"]["title"], "Why did the Roman Republic fall?");
    let used = report["rubric"]["path"].as_str().unwrap();
    assert!(used.ends_with("rubric.toml"), "rubric path {used}");
    assert_eq!(point(&report, "armies")["status"], "covered");

    // From elsewhere, with an absolute path to the answer.
    let answer = dir.path().join("sub/answer.txt");
    let r = run(&["check", "--format", "json", answer.to_str().unwrap()]);
    assert_eq!(r.code(0).json()["rubric"]["title"], "Why did the Roman Republic fall?");
}

#[test]
fn rubric_toml_is_found_from_the_current_folder_for_stdin() {
    let dir = project_with_rubric_toml();
    assert_no_rubric_toml_above(dir.path());
    let r = run_cmd(
        rubric()
            .current_dir(dir.path().join("sub"))
            .args(["check", "--format", "json"])
            .write_stdin("Private armies decided who ruled."),
    );
    let report = r.code(0).json();
    assert_eq!(report["rubric"]["title"], "Why did the Roman Republic fall?");
    assert_eq!(point(&report, "armies")["status"], "covered");
}

#[test]
fn without_any_rubric_toml_check_exits_2_and_suggests_the_rubric_flag() {
    let dir = tempfile::tempdir().unwrap();
    assert_no_rubric_toml_above(dir.path());
    std::fs::write(dir.path().join("answer.txt"), "Private armies decided who ruled.").unwrap();
    let r = run_cmd(rubric().current_dir(dir.path()).args(["check", "answer.txt"]));
    r.code(2)
        .stderr_has("answer.txt")
        .stderr_has("rubric.toml")
        .stderr_has("--rubric");
    assert_eq!(r.stdout, "");
}

#[test]
fn windows_1252_answer_is_decoded_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("cp1252.txt");
    // "café" and curly quotes in Windows-1252: not valid UTF-8.
    std::fs::write(
        &file,
        b"At the caf\xe9 they talked of his \x93patronage\x94 system.\r\n",
    )
    .unwrap();
    let r = run(&["check", "-r", STALIN, "--format", "json", file.to_str().unwrap()]);
    let report = r.code(0).json();
    let patronage = point(&report, "patronage");
    assert_eq!(patronage["status"], "covered");
    assert_eq!(
        patronage["evidence"][0]["quote"],
        "At the café they talked of his \u{201c}patronage\u{201d} system."
    );
    // Offsets of Windows-1252 files are offsets into the UTF-8 transcoding (docs/json-schema.md).
    let utf8 = "At the café they talked of his \u{201c}patronage\u{201d} system.\r\n";
    let ev = &patronage["evidence"][0];
    let (start, end) = span(ev);
    assert_eq!(&utf8[start..end], "patronage");

    let r = run(&["check", "-r", STALIN, "--color", "never", file.to_str().unwrap()]);
    r.code(0).stdout_has("caf\u{e9}").stdout_has("✓ 2.5 Patronage");
}

#[test]
fn utf16le_answer_with_bom_is_decoded_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("utf16.txt");
    let text = "Café politics aside, Stalin built a patronage system.\r\nHis protégés backed him.\r\n";
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    std::fs::write(&file, bytes).unwrap();
    let report = run(&["check", "-r", STALIN, "--format", "json", file.to_str().unwrap()])
        .code(0)
        .json();
    let patronage = point(&report, "patronage");
    assert_eq!(patronage["status"], "covered");
    let ev = &patronage["evidence"][0];
    assert_eq!(ev["quote"], "Café politics aside, Stalin built a patronage system.");
    assert_eq!(ev["line"], 1);
    assert_eq!(ev["column"], "Café politics aside, Stalin built a ".chars().count() + 1);
    // Offsets of UTF-16 files are offsets into the UTF-8 transcoding (docs/json-schema.md).
    let (start, end) = span(ev);
    assert_eq!(&text[start..end], "patronage");
}

#[test]
fn utf8_answer_with_bom_keeps_offsets_into_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bom.txt");
    let bytes = b"\xEF\xBB\xBFFirst line.\nStalin used patronage.\n";
    std::fs::write(&file, bytes).unwrap();
    let report = run(&["check", "-r", STALIN, "--format", "json", file.to_str().unwrap()])
        .code(0)
        .json();
    let ev = &point(&report, "patronage")["evidence"][0];
    let (start, end) = span(ev);
    assert_eq!(&bytes[start..end], b"patronage");
    assert_eq!((ev["line"].as_u64(), ev["column"].as_u64()), (Some(2), Some(13)));
}
