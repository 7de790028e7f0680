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

/// Both commands take exactly `expected` from `dir`: `check` reports them in walk order, `mark`
/// in the order of the student ids (so only the set is compared).
#[track_caller]
fn both_take(dir: &Path, expected: &[&str]) {
    assert_eq!(checked("check", dir), expected, "rubric check DIR");
    let mut marked = checked("mark", dir);
    marked.sort();
    let mut expected = expected.to_vec();
    expected.sort_unstable();
    assert_eq!(marked, expected, "rubric mark DIR");
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
            "j",
        ],
    );
    fs::copy(path("tests/fixtures/pdf/chromium.pdf"), dir.path().join("i.PDF")).expect("copy");
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
            "i.PDF",
            "k.docx",
            "l.odt",
        ],
    );
}

/// Hidden files and folders (a name starting with `.`) are left out.
#[test]
fn hidden_files_and_folders_are_left_out() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_all(
        dir.path(),
        &["a.txt", ".draft.md", ".git/b.txt", "sub/.c.txt", "sub/d.txt"],
    );
    both_take(dir.path(), &["a.txt", "sub/d.txt"]);
}

/// The `__MACOSX` folder a zip archive made on a Mac holds copies of the answers' metadata.
#[test]
fn macosx_folders_of_zip_archives_are_left_out() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_all(
        dir.path(),
        &["a.txt", "__MACOSX/a.txt", "sub/__MACOSX/b.txt", "sub/b.txt"],
    );
    both_take(dir.path(), &["a.txt", "sub/b.txt"]);
}

/// Office's lock files (`~$essay.docx`, left while a document is open) are not answers.
#[test]
fn office_lock_files_are_left_out() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_all(dir.path(), &["a.txt", "~$a.txt", "sub/~$essay.md", "sub/essay.md"]);
    both_take(dir.path(), &["a.txt", "sub/essay.md"]);
}

/// Build folders hold what a build made, never answers; a folder given by name is walked all the
/// same.
#[test]
fn build_folders_are_left_out_unless_given() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_all(
        dir.path(),
        &[
            "a.txt",
            "target/b.txt",
            "node_modules/c.txt",
            "sub/target/d.txt",
            "targets/e.txt",
        ],
    );
    both_take(dir.path(), &["a.txt", "targets/e.txt"]);
    both_take(&dir.path().join("target"), &["b.txt"]);
}

/// Entries are taken in name order (byte order: capitals first), folders in place, every run
/// alike (`check` reports in this order; `mark` sorts its reports by student id).
#[test]
fn files_are_taken_in_name_order() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_all(
        dir.path(),
        &["b.txt", "a/z.txt", "B.txt", "a.txt", "a/b/c.txt", "10.txt", "9.txt"],
    );
    both_take(
        dir.path(),
        &["10.txt", "9.txt", "B.txt", "a/b/c.txt", "a/z.txt", "a.txt", "b.txt"],
    );
}

/// Links to folders are followed; a link back up (a loop) is entered once; a file reached twice
/// is taken once, the first way it is reached.
#[cfg(unix)]
#[test]
fn folder_links_are_followed_once() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().expect("tempdir");
    write_all(outside.path(), &["x.txt"]);
    let dir = tempfile::tempdir().expect("tempdir");
    write_all(dir.path(), &["a.txt", "sub/b.txt"]);
    symlink(outside.path(), dir.path().join("linked")).expect("symlink");
    symlink("..", dir.path().join("sub/up")).expect("symlink");
    symlink("b.txt", dir.path().join("sub/same.txt")).expect("symlink");
    both_take(dir.path(), &["a.txt", "linked/x.txt", "sub/b.txt"]);
}

/// A folder with no answer file in it (or a wrong path to one) is an error for both commands:
/// exit 2, so that it does not pass in CI.
#[test]
fn a_folder_without_answers_is_an_error_for_both() {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::write(dir.path().join("notes.csv"), "not an answer").expect("write");
    let empty = tempfile::tempdir().expect("tempdir");
    let mut messages = Vec::new();
    for folder in [dir.path(), empty.path()] {
        for command in ["check", "mark"] {
            let mut cmd = rubric();
            cmd.args([command, "-r"]).arg(path(STALIN)).arg(folder);
            let run = run_cmd(&mut cmd);
            assert_eq!(run.code, 2, "{command}: {}{}", run.stdout, run.stderr);
            assert!(
                run.stderr.contains("no answer files found (answers are "),
                "{command}: {}",
                run.stderr
            );
            messages.push(run.stderr);
        }
    }
    // One message, worded alike by both commands.
    assert_eq!(messages[0], messages[1]);
    assert_eq!(messages[2], messages[3]);
    // A wrong path is an error too, which names it (mark lists it among the failed).
    let wrong = dir.path().join("no-such-folder");
    for command in ["check", "mark"] {
        let mut cmd = rubric();
        cmd.args([command, "-r"]).arg(path(STALIN)).arg(&wrong);
        let run = run_cmd(&mut cmd);
        assert_eq!(run.code, 2, "{command}: {}{}", run.stdout, run.stderr);
        let said = format!("{}{}", run.stdout, run.stderr);
        assert!(said.contains("no-such-folder: no such file"), "{command}: {said}");
    }
}
