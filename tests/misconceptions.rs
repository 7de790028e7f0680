//! Misconceptions: wrong claims a rubric looks for (`misconception = true`). Found, one takes its
//! effect on the marks (cancels points, caps the question, takes marks off, never below 0) and is
//! shown as something to check with its own hint; not found, it is never shown where a student
//! reads (the terminal, `line`, `github`, SARIF, feedback files, the web page), while the JSON
//! report and the CSV keep every one.
//!
//! The rubric is `tests/fixtures/misconceptions/doghouse.toml`: every label and hint holds a
//! word of its own (OKAPI, TAPIR, QUAGGA) so that the tests can tell what a report shows.

use std::path::Path;
use std::process::{Command, Output};

use rubric::{Detail, Limits, Rubric, Status, check, read_bytes};

const RUBRIC: &str = "tests/fixtures/misconceptions/doghouse.toml";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn rubric() -> Rubric {
    Rubric::load(&root().join(RUBRIC)).unwrap_or_else(|e| panic!("{e}"))
}

/// The score and the misconceptions found, through the library's one check function.
fn checked(r: &Rubric, text: &str) -> (f64, Vec<String>) {
    let source = read_bytes(text.as_bytes(), "answer.txt", &Limits::default()).expect("reads");
    let a = check(r, source, Detail::Evidence).assessment;
    let found = a.found_misconceptions().map(|m| m.point.id.clone()).collect();
    (a.score, found)
}

/// Pairs of answers with the same words, one making the wrong claim and one not.
#[test]
fn the_wrong_claim_takes_its_effect_and_the_same_words_without_it_do_not() {
    let r = rubric();
    let cases: &[(&str, f64, &[&str])] = &[
        // cancels `white`
        ("A white lid keeps it cooler because it reflects the light.", 2.0, &[]),
        (
            "A white lid keeps it cooler because it reflects the light. A black lid keeps it cooler too.",
            1.0,
            &["black-cooler"],
        ),
        (
            "A white lid keeps it cooler because it reflects the light. A black lid does not keep it cooler.",
            2.0,
            &[],
        ),
        // cap = 1
        (
            "A white lid keeps it cooler, it reflects the light; a black lid will absorb the light.",
            3.0,
            &[],
        ),
        (
            "A white lid keeps it cooler, it reflects the light; a black lid will absorb the light. But the colour is irrelevant.",
            1.0,
            &["colour-irrelevant"],
        ),
        // marks = -1 (white partial 0.5 + reflect 1, less 1), never below 0
        (
            "A white lid reflects the light, and light is heat.",
            0.5,
            &["light-is-heat"],
        ),
        ("A white lid reflects the light, and light is not heat.", 1.5, &[]),
        ("Light is heat.", 0.0, &["light-is-heat"]),
    ];
    for &(text, score, found) in cases {
        let (got, ids) = checked(&r, text);
        assert_eq!(
            (got, ids.iter().map(String::as_str).collect::<Vec<_>>()),
            (score, found.to_vec()),
            "{text}"
        );
    }
}

fn run(args: &[&str], stdin: &str) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_rubric"))
        .current_dir(root())
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("runs rubric");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("writes");
    child.wait_with_output().expect("waits")
}

const BACKWARDS: &str = "A white lid reflects the light. A black lid keeps it cooler.\n";

/// Every format a student reads shows the misconception found (its hint, on its line) and
/// nothing of those not found.
#[test]
fn students_see_the_misconception_they_made_and_no_other() {
    for format in ["human", "line", "github", "sarif"] {
        let out = run(&["check", "--format", format, "-r", RUBRIC, "-"], BACKWARDS);
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{format}: {text}");
        assert!(text.contains("OKAPI-HINT"), "{format}: the found one's hint\n{text}");
        for hidden in ["TAPIR", "QUAGGA", "colour-irrelevant", "light-is-heat"] {
            assert!(!text.contains(hidden), "{format} shows {hidden}, not found\n{text}");
        }
    }
    let line = run(&["check", "--format", "line", "-r", RUBRIC, "-"], BACKWARDS);
    let line = String::from_utf8_lossy(&line.stdout);
    assert!(
        line.contains("<stdin>:1:35: check black-cooler: To check: Says a black lid keeps it cooler OKAPI."),
        "{line}"
    );
    let human = run(&["check", "-r", RUBRIC, "-"], BACKWARDS);
    let human = String::from_utf8_lossy(&human.stdout);
    assert!(
        human.contains("? To check: Says a black lid keeps it cooler OKAPI"),
        "{human}"
    );
    assert!(human.contains("Earns nothing while the answer also says"), "{human}");
    // The same words, negated: nothing to check.
    let fine = run(
        &["check", "-r", RUBRIC, "-"],
        "A white lid reflects the light. A black lid does not keep it cooler.\n",
    );
    let fine = String::from_utf8_lossy(&fine.stdout);
    assert!(!fine.contains("OKAPI") && !fine.contains("To check"), "{fine}");
}

/// The JSON report keeps every misconception, found or not, with its effect; a cancelled point
/// names what cancels it.
#[test]
fn json_keeps_every_misconception() {
    let out = run(&["check", "--format", "json", "-r", RUBRIC, "-"], BACKWARDS);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let q = &v["questions"][0];
    let wrong = q["misconceptions"].as_array().expect("misconceptions");
    let ids: Vec<(&str, bool)> = wrong
        .iter()
        .map(|m| (m["id"].as_str().unwrap(), m["found"].as_bool().unwrap()))
        .collect();
    assert_eq!(
        ids,
        [
            ("black-cooler", true),
            ("colour-irrelevant", false),
            ("light-is-heat", false)
        ]
    );
    assert_eq!(wrong[0]["effect"]["cancels"], serde_json::json!(["white"]));
    assert_eq!(wrong[1]["effect"]["cap"], 1.0);
    assert_eq!(wrong[2]["effect"]["marks"], -1.0);
    assert_eq!(wrong[0]["evidence"][0]["line"], 1);
    let white = &q["points"][0];
    assert_eq!(
        (white["id"].as_str(), white["cancelled_by"].as_str()),
        (Some("white"), Some("black-cooler"))
    );
    assert_eq!(white["marks"], 0.0);
    assert_eq!(v["score"], 1.0);
}

/// `mark`: a column per misconception in the CSV, `cancelled` points, the class summary, and
/// feedback files that show only what each student made.
#[test]
fn mark_lists_them_for_the_teacher_and_feedback_shows_only_what_was_made() {
    let dir = tempfile::tempdir().unwrap();
    let answers = dir.path().join("answers");
    std::fs::create_dir(&answers).unwrap();
    std::fs::write(answers.join("amy.txt"), BACKWARDS).unwrap();
    std::fs::write(
        answers.join("ben.txt"),
        "A white lid keeps it cooler. It reflects the light.\n",
    )
    .unwrap();
    let csv = dir.path().join("marks.csv");
    let feedback = dir.path().join("feedback");
    let out = run(
        &[
            "mark",
            "-r",
            RUBRIC,
            answers.to_str().unwrap(),
            "--csv",
            csv.to_str().unwrap(),
            "--feedback-dir",
            feedback.to_str().unwrap(),
        ],
        "",
    );
    let summary = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{summary}");
    assert!(summary.contains("Misconceptions found (of 2 answers):"), "{summary}");
    assert!(
        summary.contains("black-cooler  Says a black lid keeps it cooler OKAPI: in 1"),
        "{summary}"
    );
    let sheet = std::fs::read_to_string(&csv).unwrap();
    let rows: Vec<&str> = sheet.lines().collect();
    assert!(
        rows[0].contains(
            ",white,white marks,reflect,reflect marks,absorb,absorb marks,colour marks,black-cooler (misconception),colour-irrelevant (misconception),light-is-heat (misconception),"
        ),
        "{sheet}"
    );
    assert!(
        rows[1].starts_with("amy,") && rows[1].contains(",cancelled,0,covered,1,missing,0,1,found,,,"),
        "{sheet}"
    );
    assert!(
        rows[2].starts_with("ben,") && rows[2].contains(",covered,1,covered,1,missing,0,2,,,,"),
        "{sheet}"
    );
    let amy = std::fs::read_to_string(feedback.join("amy.md")).unwrap();
    assert!(amy.contains("Check this:") && amy.contains("OKAPI-HINT"), "{amy}");
    let ben = std::fs::read_to_string(feedback.join("ben.md")).unwrap();
    for hidden in ["OKAPI", "TAPIR", "QUAGGA"] {
        assert!(!ben.contains(hidden), "{ben}");
        assert!(!amy.contains(hidden) || hidden == "OKAPI", "{amy}");
    }
}

/// The statuses batch marking keeps: the points', then the misconceptions' (`covered` = found).
#[test]
fn statuses_list_points_then_misconceptions() {
    let r = rubric();
    let source = read_bytes(BACKWARDS.as_bytes(), "a.txt", &Limits::default()).expect("reads");
    let a = check(&r, source, Detail::Status).assessment;
    use Status::*;
    assert_eq!(
        a.statuses().to_vec(),
        [Partial, Covered, Missing, Covered, Missing, Missing]
    );
}
