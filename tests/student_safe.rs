//! Student-safe output (docs/check.md, "Student-safe output"): a weak draft on the Stalin
//! rubric, checked in every format a student reads; no label, id or model answer of a point not
//! yet made may appear, and the points made show their label. The labels, ids and model answers
//! are read from the rubric file, so that whatever leaks fails the test. Also: a rubric with
//! `allow_reveal = false` locks `--reveal` and `--explain`'s cue lists, with a note.

use std::path::{Path, PathBuf};
use std::process::Command;

#[path = "support/safe.rs"]
mod safe;

const DRAFT: &str = "Stalin was the government secretariat boss. He was not in charge of nationalities.\n\
He built up a patronage system: he gave jobs to his supporters, who then voted for him.\n\
He was made General Secretary in 1922.\n";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run(args: &[&str], rubric: &Path, file: &Path) -> (String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_rubric"))
        .args(["check", "--color", "never", "--rubric"])
        .arg(rubric)
        .args(args)
        .arg(file)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    (String::from_utf8(out.stdout).unwrap(), out.status.code().unwrap())
}

fn draft() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("draft.txt");
    std::fs::write(&file, DRAFT).unwrap();
    (dir, file)
}

#[test]
fn a_weak_draft_shows_no_label_id_or_model_answer_of_a_point_not_yet_made() {
    let rubric = root().join("rubrics/stalin-rise.toml");
    let (_dir, file) = draft();
    let (json, _) = run(&["--format", "json"], &rubric, &file);
    let statuses = safe::statuses(&serde_json::from_str(&json).unwrap());
    let counts = |s: &str| statuses.values().filter(|v| *v == s).count();
    assert!(
        counts("covered") >= 2 && counts("missing") >= 4,
        "a weak draft: {statuses:?}"
    );
    assert!(counts("negated") >= 1, "a negated point too: {statuses:?}");
    // The machine format keeps everything.
    assert!(
        json.contains("\"sovnarkom\"") && json.contains("Head of the Workers"),
        "{json}"
    );

    for (what, args) in [
        ("human", vec![]),
        ("line", vec!["--format", "line", "--covered"]),
        ("github", vec!["--format", "github"]),
    ] {
        let (out, _) = run(&args, &rubric, &file);
        // GitHub's properties escape `:` and `,`.
        let out = out.replace("%3A", ":").replace("%2C", ",").replace("%25", "%");
        let made = safe::assert_student_safe(what, &out, DRAFT, &rubric, &statuses);
        assert!(made >= 2, "{what}: {out}");
        // Each point is referred to by its number.
        assert!(out.contains("2.2"), "{what}: {out}");
    }
    // `line`: the number is the rule id, then the point's neutral topic and its hint.
    let (line, _) = run(&["--format", "line"], &rubric, &file);
    assert!(
        line.contains(":1:1: missing 2.2: Topic: one of his posts of 1919. In 1919 he linked"),
        "{line}"
    );
}

#[test]
fn allow_reveal_false_locks_reveals_and_cue_lists() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(root().join("rubrics/stalin-rise.toml")).unwrap();
    let locked = text.replacen("language = ", "allow_reveal = false\nlanguage = ", 1);
    assert_ne!(locked, text);
    let rubric = dir.path().join("rubric.toml");
    std::fs::write(&rubric, locked).unwrap();
    let (_d, file) = draft();
    let (json, _) = run(&["--format", "json"], &rubric, &file);
    let statuses = safe::statuses(&serde_json::from_str(&json).unwrap());

    let (out, code) = run(&["--reveal", "--explain"], &rubric, &file);
    assert_eq!(code, 0, "{out}");
    safe::assert_student_safe("locked --reveal --explain", &out, DRAFT, &rubric, &statuses);
    assert_eq!(
        out.matches("This rubric keeps its model answers and cues for the teacher.")
            .count(),
        1,
        "{out}"
    );
    assert!(!out.contains("Model answer:"), "{out}");
    assert!(!out.contains("not found with it"), "{out}");
    assert!(!out.contains("nearest to"), "{out}");
    // No cue of a point not covered: the cue lines that remain are those of covered points.
    let (points, _) = safe::points(&rubric);
    let sovnarkom = points.iter().find(|p| p.id == "sovnarkom").unwrap();
    assert_eq!(statuses["sovnarkom"], "covered", "{statuses:?}");
    assert!(out.contains(&sovnarkom.label));
    assert!(!out.contains("record*|"), "{out}");

    // The same rubric allowing reveals shows the model answers and cue lists on request.
    let open = root().join("rubrics/stalin-rise.toml");
    let (out, _) = run(&["--reveal", "--explain"], &open, &file);
    assert!(out.contains("Model answer:"), "{out}");
    assert!(!out.contains("keeps its model answers"), "{out}");
    // Without asking, even an open rubric shows none.
    let (out, _) = run(&[], &open, &file);
    assert!(
        !out.contains("Model answer:") && !out.contains("keeps its model answers"),
        "{out}"
    );
}
