//! Which files `check DIR` and `mark DIR` take from a folder: the same, by one walker and one
//! registry of answer formats (docs/answers.md). Every case runs both commands on the same
//! folder and compares the answers each checked.

use std::fs;
use std::path::Path;

use super::common::{STALIN, path, rubric, run_cmd};

/// A short answer that scores.
const ANSWER: &str = "Stalin built a patronage system as General Secretary.";

/// Writes `files` (relative paths) under `dir`, each holding [`ANSWER`].
fn write_all(dir: &Path, files: &[&str]) {
    for f in files {
        let file = dir.join(f);
        fs::create_dir_all(file.parent().expect("parent")).expect("mkdir");
        fs::write(&file, ANSWER).expect("write");
    }
}

/// The answers `command` (`check` or `mark`) checked in `dir`, as it names them (relative to
/// `dir`), in the order it reported them.
fn checked(command: &str, dir: &Path) -> Vec<String> {
    let mut cmd = rubric();
    cmd.current_dir(dir)
        .args([command, "-r"])
        .arg(path(STALIN))
        .args(["--format", "line", "."]);
    let run = run_cmd(&mut cmd);
    assert!(
        run.code == 0 || run.code == 1,
        "{command}: exit {}\n{}\n{}",
        run.code,
        run.stdout,
        run.stderr
    );
    run.stdout
        .lines()
        .filter(|l| l.contains(": score total: "))
        .map(|l| {
            let file = l.split(':').next().unwrap_or_default();
            file.strip_prefix("./").unwrap_or(file).to_string()
        })
        .collect()
}

/// Both commands take exactly `expected` from `dir`, in that order.
#[track_caller]
fn both_take(dir: &Path, expected: &[&str]) {
    for command in ["check", "mark"] {
        assert_eq!(checked(command, dir), expected, "rubric {command} DIR");
    }
}

/// Every registered format is found in folders, `.mdown` and `.xhtml` too (before the one
/// registry they were read when named but skipped in folders), in any case.
#[test]
fn every_answer_format_is_found_in_folders() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_all(
        dir.path(),
        &[
            "a.txt",
            "b.md",
            "c.markdown",
            "d.mdown",
            "e.html",
            "f.htm",
            "g.xhtml",
            "h.TXT",
            "i.pdf",
            "j",
        ],
    );
    fs::copy(path("tests/fixtures/office/answer.docx"), dir.path().join("k.docx")).expect("copy");
    fs::copy(path("tests/fixtures/office/answer.odt"), dir.path().join("l.odt")).expect("copy");
    both_take(
        dir.path(),
        &[
            "a.txt",
            "b.md",
            "c.markdown",
            "d.mdown",
            "e.html",
            "f.htm",
            "g.xhtml",
            "h.TXT",
            "k.docx",
            "l.odt",
        ],
    );
}
