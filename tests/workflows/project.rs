//! The project config (`.rubric/config.toml`), folder arguments and `--print-config`.

use super::common::*;

#[test]
fn print_config_shows_each_answer_with_its_rubric_and_bar() {
    let p = project();
    let r = run_in(p.path(), &["check", "--print-config"]);
    assert_eq!(r.code, 0, "{r:?}");
    let root = std::fs::canonicalize(p.path()).unwrap();
    assert_eq!(
        r.stdout,
        format!(
            "config: .rubric/config.toml (project folder {})\n  \
             map 1: essays/history/**/*.md -> rubrics/roman.toml, min_score 60%\n  \
             map 2: essays/greek/*.txt -> rubrics/greek.toml\n\
             \n\
             essays/greek/athens.txt: rubric rubrics/greek.toml (map 2 of .rubric/config.toml)\n\
             essays/history/weak.md: rubric rubrics/roman.toml (map 1 of .rubric/config.toml), min_score 60%\n\
             essays/history/y10/strong.md: rubric rubrics/roman.toml (map 1 of .rubric/config.toml), min_score 60%\n\
             notes/todo.md: skipped: matches no [[map]] of .rubric/config.toml\n\
             rubrics/greek.toml: skipped: matches no [[map]] of .rubric/config.toml\n\
             rubrics/roman.toml: skipped: matches no [[map]] of .rubric/config.toml\n",
            root.display()
        )
    );
}

#[test]
fn print_config_with_overrides_and_without_config() {
    let p = project();
    let r = run_in(
        p.path(),
        &[
            "check",
            "--print-config",
            "-r",
            "rubrics/greek.toml",
            "--min-score",
            "1",
            "essays/history/weak.md",
            "nope.md",
        ],
    );
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stdout
            .contains("--rubric rubrics/greek.toml overrides the rubric of every answer\n")
    );
    assert!(r.stdout.contains("--min-score 1 overrides the bar of every answer\n"));
    assert!(
        r.stdout
            .contains("essays/history/weak.md: rubric rubrics/greek.toml (--rubric), min_score 1\n")
    );
    assert!(r.stdout.contains("nope.md: error: no such file\n"));

    let bare = tempfile::tempdir().unwrap();
    write(
        &bare.path().join("rubric.toml"),
        &std::fs::read_to_string(fixture("roman.toml")).unwrap(),
    );
    write(&bare.path().join("a/answer.txt"), "Private armies.\n");
    let r = run_in(bare.path(), &["check", "--print-config", "."]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stdout.starts_with("config: none (.rubric/config.toml not found in "),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("a/answer.txt: rubric rubric.toml (nearest rubric.toml)\n"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("rubric.toml: skipped: not an answer file"),
        "{}",
        r.stdout
    );
}

#[test]
fn no_argument_checks_the_whole_project() {
    let p = project();
    let r = run_in(p.path(), &["check", "--format", "line"]);
    // weak.md is below its map's 60%.
    assert_eq!(r.code, 1, "{r:?}");
    let files: Vec<&str> = r
        .stdout
        .lines()
        .filter(|l| l.contains(": score total: "))
        .map(|l| l.split(':').next().unwrap())
        .collect();
    assert_eq!(
        files,
        [
            "essays/greek/athens.txt",
            "essays/history/weak.md",
            "essays/history/y10/strong.md"
        ]
    );
    assert!(r.stdout.contains("essays/history/weak.md:1:1: score total: 1.5/4 (38%), 1 covered, 1 partial, 1 negated, 1 missing; below the minimum 60%\n"));
    assert!(
        r.stdout.contains(
            "essays/greek/athens.txt:1:1: score total: 1/2 (50%), 1 covered, 0 partial, 0 negated, 1 missing\n"
        )
    );
    // Hidden files and folders and target/ are never walked.
    assert!(
        !r.stdout.contains("x.md") && !r.stdout.contains("draft"),
        "{}",
        r.stdout
    );
    assert_eq!(r.stderr, "");
}

#[test]
fn from_a_subfolder_the_config_above_is_used() {
    let p = project();
    let r = run_in(&p.path().join("essays/history"), &["check", "-f", "line", "."]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(
        r.stdout.contains("weak.md:1:1: score total: 1.5/4 (38%)"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("y10/strong.md:1:1: score total: 4/4 (100%)"),
        "{}",
        r.stdout
    );
    let r = run_in(&p.path().join("essays"), &["check", "-f", "line"]);
    assert!(
        r.stdout.contains("../essays/greek/athens.txt:1:1: score total"),
        "{}",
        r.stdout
    );
}

#[test]
fn folder_argument_and_verbose_skips() {
    let p = project();
    let r = run_in(
        p.path(),
        &["check", "-f", "line", "--covered", "essays/greek", "notes", "-v"],
    );
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stdout.starts_with("essays/greek/athens.txt:1:5: covered 1.1"),
        "{}",
        r.stdout
    );
    assert_eq!(r.stdout.lines().filter(|l| l.contains("score total")).count(), 1);
    assert_eq!(
        r.stderr,
        "note: skipped notes/todo.md: matches no [[map]] of .rubric/config.toml\n"
    );
}

#[test]
fn named_files_without_a_rubric() {
    let p = project();
    // With a config (pre-commit passes every changed file), such files are skipped.
    let r = run_in(
        p.path(),
        &["check", "-f", "line", "notes/todo.md", "rubrics/roman.toml"],
    );
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(r.stdout, "");
    assert!(r.stderr.contains("no answer checked: 2 files skipped"), "{}", r.stderr);
    let r = run_in(p.path(), &["check", "-f", "line", "notes/todo.md", "-v"]);
    assert_eq!(
        r.stderr,
        "note: skipped notes/todo.md: matches no [[map]] of .rubric/config.toml, and no rubric.toml in its folder or above\n"
    );
    // Without one it is an error, as before.
    let bare = tempfile::tempdir().unwrap();
    write(&bare.path().join("a.md"), "Private armies.\n");
    let r = run_in(bare.path(), &["check", "-f", "line", "a.md"]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.stderr.contains("a.md: no rubric given and no rubric.toml found"),
        "{}",
        r.stderr
    );
}

#[test]
fn rubric_and_min_score_flags_override_the_config() {
    let p = project();
    let r = run_in(
        p.path(),
        &[
            "check",
            "-f",
            "line",
            "-r",
            "rubrics/greek.toml",
            "essays/history/weak.md",
        ],
    );
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stdout.contains("weak.md:1:1: missing 1.1"), "{}", r.stdout);
    let r = run_in(p.path(), &["check", "-f", "line", "--min-score", "0.3"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stdout
            .contains("38%), 1 covered, 1 partial, 1 negated, 1 missing; meets the minimum 0.3\n")
    );
    // The config's globs still choose the files of a folder walk.
    let r = run_in(p.path(), &["check", "-f", "line", "-r", "rubrics/roman.toml", "."]);
    assert_eq!(
        r.stdout.lines().filter(|l| l.contains("score total")).count(),
        3,
        "{}",
        r.stdout
    );
}

#[test]
fn folder_without_config_takes_answer_files() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("class/a.txt"), "Generals had private armies.\n");
    write(&dir.path().join("class/b.md"), "Caesar was dictator for life.\n");
    write(&dir.path().join("class/marks.csv"), "id,score\n");
    write(&dir.path().join("class/target/c.md"), "Private armies.\n");
    let rubric = fixture("roman.toml");
    let r = run_in(
        dir.path(),
        &["check", "-f", "line", "-r", rubric.to_str().unwrap(), "class", "-v"],
    );
    assert_eq!(r.code, 0, "{r:?}");
    let files: Vec<&str> = r
        .stdout
        .lines()
        .filter(|l| l.contains("score total"))
        .map(|l| l.split(':').next().unwrap())
        .collect();
    assert_eq!(files, ["class/a.txt", "class/b.md"]);
    assert!(
        r.stderr.contains("skipped class/marks.csv: not an answer file"),
        "{}",
        r.stderr
    );
}

#[test]
fn standard_input_in_a_project() {
    let p = project();
    let out = std::process::Command::new(bin())
        .args(["check", "-f", "line", "--covered", "-r", "rubrics/roman.toml", "-"])
        .current_dir(p.path())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            use std::io::Write;
            c.stdin
                .take()
                .unwrap()
                .write_all(b"Caesar became dictator for life.\n")?;
            c.wait_with_output()
        })
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("<stdin>:1:15: covered 2.1"), "{stdout}");
}

#[test]
fn config_errors_are_located() {
    let p = project();
    write(
        &p.path().join(".rubric/config.toml"),
        "[[map]]\nfiles = [\"essays/**/*.md\"]\nrubric = \"rubrics/roman.toml\"\nmin_scor = \"60%\"\n",
    );
    let r = run_in(p.path(), &["check"]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.stderr.starts_with(
            "error: .rubric/config.toml:4:1: unknown field `min_scor`, expected one of `files`, `rubric`, `min_score`\n"
        ),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("4 | min_scor = \"60%\"\n"), "{}", r.stderr);

    write(
        &p.path().join(".rubric/config.toml"),
        "[[map]]\nfiles = [\"essays/{a,b\"]\nrubric = \"rubrics/nope.toml\"\nmin_score = \"lots\"\n",
    );
    let r = run_in(p.path(), &["check", "--print-config"]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.stderr
            .contains(".rubric/config.toml:2:11: invalid glob `essays/{a,b`"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains(".rubric/config.toml:3:11: no rubric file `rubrics/nope.toml`"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains(".rubric/config.toml:4:14: invalid `min_score`"),
        "{}",
        r.stderr
    );

    write(&p.path().join(".rubric/config.toml"), "[[map]\n");
    let r = run_in(p.path(), &["check"]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.starts_with("error: .rubric/config.toml:1:"), "{}", r.stderr);
}

#[test]
fn a_broken_rubric_fails_its_answers_only() {
    let p = project();
    write(
        &p.path().join("rubrics/greek.toml"),
        "title = \"x\"\n[[question]]\nid = 3\n",
    );
    let r = run_in(p.path(), &["check", "-f", "line"]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("rubrics/greek.toml:3:"), "{}", r.stderr);
    assert!(
        r.stdout.contains("essays/history/y10/strong.md:1:1: score total"),
        "{}",
        r.stdout
    );
}
