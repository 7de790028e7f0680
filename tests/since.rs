//! `rubric check --since PREVIOUS.json` (docs/check.md, "Progress between drafts"): a weak
//! draft saved with `--format json`, then an improved one checked against it. What is expected
//! (points gained, lost, still to do, the scores) is worked out here from the two drafts' own
//! JSON reports, so that the tests follow the rubric rather than copy its results.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[path = "support/run.rs"]
mod run;
#[path = "support/safe.rs"]
mod safe;

use run::rubric;

/// Made 2.1 (nationalities) and partly 2.4 (General Secretary), nothing else.
const WEAK: &str = "Stalin was made Commissar for Nationalities in 1917. He was General Secretary.\n";

/// Drops the nationalities sentence; finishes the General Secretary, adds patronage and Lenin's
/// heir.
const BETTER: &str = "Stalin was made General Secretary in 1922 and kept files on every party member.\n\
He built up a patronage system: he gave jobs to his protégés, who then voted for him.\n\
After Lenin died, Stalin said he was Lenin's true heir.\n";

fn stalin() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("rubrics/stalin-rise.toml")
}

/// A folder with both drafts and the weak one's report, `draft1.json`.
fn drafts() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("draft1.txt"), WEAK).unwrap();
    std::fs::write(dir.path().join("draft2.txt"), BETTER).unwrap();
    let saved = check(dir.path(), &["--format", "json", "draft1.txt"]);
    std::fs::write(dir.path().join("draft1.json"), saved.stdout).unwrap();
    dir
}

fn check(dir: &Path, args: &[&str]) -> run::Run {
    let rubric_path = stalin().display().to_string();
    let mut all = vec!["check", "--color", "never", "--rubric", &rubric_path];
    all.extend_from_slice(args);
    let r = rubric(dir, &all);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    r
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text.trim()).unwrap_or_else(|e| panic!("{e}: {text}"))
}

fn rank(status: &str) -> u8 {
    match status {
        "covered" => 2,
        "partial" => 1,
        _ => 0,
    }
}

/// Each point's id -> (number, label), in rubric order.
fn points() -> BTreeMap<String, (String, String)> {
    let (points, _) = safe::points(&stalin());
    points.into_iter().map(|p| (p.id, (p.number, p.label))).collect()
}

/// The ids of points ranked higher (`up`) or lower in `now` than in `before`.
fn moved(before: &BTreeMap<String, String>, now: &BTreeMap<String, String>, up: bool) -> Vec<String> {
    now.iter()
        .filter(|(id, s)| {
            let (b, n) = (rank(&before[*id]), rank(s));
            if up { n > b } else { n < b }
        })
        .map(|(id, _)| id.clone())
        .collect()
}

#[test]
fn an_improved_draft_says_what_is_new_what_was_lost_and_the_score_change() {
    let dir = drafts();
    let before = json(&std::fs::read_to_string(dir.path().join("draft1.json")).unwrap());
    let now = json(&check(dir.path(), &["--format", "json", "draft2.txt"]).stdout);
    let (b, n) = (safe::statuses(&before), safe::statuses(&now));
    let gained = moved(&b, &n, true);
    let lost = moved(&b, &n, false);
    assert!(
        gained.len() >= 2 && !lost.is_empty(),
        "the drafts must move points: {b:?} -> {n:?}"
    );
    let out = check(dir.path(), &["--since", "draft1.json", "draft2.txt"]);
    out.code(0);
    let text = &out.stdout;
    let progress = text
        .split_once("Since last time:")
        .unwrap_or_else(|| panic!("no progress:\n{text}"))
        .1;
    // The score change, from the two reports.
    let (s0, s1) = (before["score"].as_f64().unwrap(), now["score"].as_f64().unwrap());
    assert!(s1 > s0);
    let fmt = |x: f64| format!("{}", (x * 100.0).round() / 100.0);
    assert!(
        progress.contains(&format!("{} more mark", fmt(s1 - s0)))
            && progress.contains(&format!("({} → {} of 10)", fmt(s0), fmt(s1))),
        "{progress}"
    );
    // Gained: by number and label (the answer makes them now).
    let names = points();
    let new_line = progress.lines().find(|l| l.trim_start().starts_with("New:")).unwrap();
    for id in &gained {
        let (number, label) = &names[id];
        assert!(
            new_line.contains(&format!("{number} {}", label.trim_end_matches('.'))),
            "{id}: {new_line}"
        );
    }
    // Lost: by number only, with the student's own words from the earlier draft.
    let lost_line = progress
        .lines()
        .find(|l| l.trim_start().starts_with("Lost since last time:"))
        .unwrap();
    for id in &lost {
        let (number, label) = &names[id];
        assert!(lost_line.contains(number.as_str()), "{id}: {lost_line}");
        if !safe::made(&n[id]) {
            assert!(!lost_line.contains(label.as_str()), "{id}: {lost_line}");
        }
    }
    assert!(lost_line.contains("Commissar for Nationalities in 1917"), "{lost_line}");
    // Still to do: numbers, and nothing of a point not yet made leaks anywhere.
    let todo = progress
        .lines()
        .find(|l| l.trim_start().starts_with("Still to do:"))
        .unwrap();
    let first_missing = n.iter().find(|(id, s)| !safe::made(s) && !lost.contains(id)).unwrap().0;
    assert!(todo.contains(names[first_missing].0.as_str()), "{todo}");
    safe::assert_student_safe("--since", text, &format!("{WEAK}{BETTER}"), &stalin(), &n);
}

#[test]
fn the_json_report_gets_a_progress_object() {
    let dir = drafts();
    let before = json(&std::fs::read_to_string(dir.path().join("draft1.json")).unwrap());
    let out = check(
        dir.path(),
        &["--format", "json", "--since", "draft1.json", "draft2.txt"],
    );
    out.code(0);
    let report = json(&out.stdout);
    let (b, n) = (safe::statuses(&before), safe::statuses(&report));
    let p = &report["progress"];
    assert_eq!(p["since"]["file"], "draft1.txt");
    assert_eq!(p["since"]["score"], before["score"]);
    assert_eq!(p["score"], report["score"]);
    let change = report["score"].as_f64().unwrap() - before["score"].as_f64().unwrap();
    assert!((p["score_change"].as_f64().unwrap() - change).abs() < 1e-9, "{p}");
    // In rubric order, by number; the ids compared as sets.
    let ids = |key: &str| -> Vec<String> {
        let list = p[key].as_array().unwrap();
        let numbers: Vec<&str> = list.iter().map(|c| c["number"].as_str().unwrap()).collect();
        let mut sorted = numbers.clone();
        sorted.sort_by_key(|n| n.split('.').map(|x| x.parse::<u32>().unwrap()).collect::<Vec<_>>());
        assert_eq!(numbers, sorted, "{key}");
        let mut ids: Vec<String> = list.iter().map(|c| c["id"].as_str().unwrap().to_string()).collect();
        ids.sort();
        ids
    };
    assert_eq!(ids("gained"), moved(&b, &n, true));
    assert_eq!(ids("lost"), moved(&b, &n, false));
    let lost = moved(&b, &n, false);
    let todo: Vec<String> = n
        .iter()
        .filter(|(id, s)| !safe::made(s) && !lost.contains(id))
        .map(|(id, _)| id.clone())
        .collect();
    assert_eq!(ids("still_to_do"), todo);
    let first = &p["gained"][0];
    for key in ["number", "question", "id", "before", "now"] {
        assert!(first.get(key).is_some(), "{key}: {first}");
    }
    assert_eq!(p["compared"], 10);
    assert_eq!(p["rubric_changed"], false);
    assert!(p["sentence"].as_str().unwrap().contains("more mark"), "{p}");
    // Without --since, no progress.
    let plain = json(&check(dir.path(), &["--format", "json", "draft2.txt"]).stdout);
    assert!(plain.get("progress").is_none());
}

#[test]
fn a_file_that_is_not_a_check_report_is_an_error_naming_it() {
    let dir = drafts();
    let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    write("notes.json", "my notes\n");
    write("empty.json", "");
    write("eval.json", "{\"schema\":\"rubric-eval/1\",\"n\":3}\n");
    write(
        "cut.json",
        &std::fs::read_to_string(dir.path().join("draft1.json")).unwrap()[..200],
    );
    for (file, why) in [
        ("notes.json", "not JSON"),
        ("empty.json", "empty"),
        ("eval.json", "rubric-eval/1"),
        ("cut.json", "not JSON"),
        ("missing.json", "cannot read"),
    ] {
        let out = check(dir.path(), &["--since", file, "draft2.txt"]);
        out.code(2);
        assert!(
            out.stderr.contains(&format!("error: {file}: ")) && out.stderr.contains(why),
            "{file}: {}",
            out.stderr
        );
        assert!(out.stdout.is_empty(), "{file}: nothing is checked: {}", out.stdout);
    }
}

#[test]
fn a_report_on_another_rubric_is_an_error() {
    let dir = drafts();
    let other = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("rubrics/asap-sas/set1.toml");
    let other = other.display().to_string();
    let saved = rubric(
        dir.path(),
        &["check", "--rubric", &other, "--format", "json", "draft1.txt"],
    );
    std::fs::write(dir.path().join("other.json"), saved.stdout).unwrap();
    let out = check(dir.path(), &["--since", "other.json", "draft2.txt"]);
    out.code(2);
    assert!(
        out.stderr.contains("other.json: a report on") && out.stderr.contains("no key point in common"),
        "{}",
        out.stderr
    );
    // The answer's report is still printed, without progress.
    assert!(
        out.stdout.contains("Score") && !out.stdout.contains("Since last time"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_changed_rubric_compares_the_points_both_have() {
    let dir = drafts();
    let saved = std::fs::read_to_string(dir.path().join("draft1.json")).unwrap();
    std::fs::write(
        dir.path().join("old.json"),
        saved.replace("\"patronage\"", "\"favours\""),
    )
    .unwrap();
    let out = check(dir.path(), &["--format", "json", "--since", "old.json", "draft2.txt"]);
    out.code(0);
    assert!(
        out.stderr
            .contains("the rubric has changed since old.json; compared the 9 points"),
        "{}",
        out.stderr
    );
    let p = &json(&out.stdout)["progress"];
    assert_eq!(
        (p["compared"].as_u64(), p["rubric_changed"].as_bool()),
        (Some(9), Some(true))
    );
    // The point the earlier report does not know is not "gained".
    assert!(
        !p["gained"].as_array().unwrap().iter().any(|c| c["id"] == "patronage"),
        "{p}"
    );
}

#[test]
fn several_answers_are_matched_by_file_name() {
    let dir = drafts();
    let both = check(dir.path(), &["--format", "json", "draft1.txt", "draft2.txt"]);
    std::fs::write(dir.path().join("both.json"), &both.stdout).unwrap();
    let out = check(
        dir.path(),
        &["--format", "json", "--since", "both.json", "draft2.txt", "draft1.txt"],
    );
    out.code(0);
    for line in out.stdout.lines() {
        let r = json(line);
        // Each compared with its own earlier report: nothing changed.
        assert_eq!(r["progress"]["since"]["file"], r["file"], "{line}");
        assert_eq!(r["progress"]["score_change"], 0.0);
    }
    // A file that names none of the answers is the wrong file.
    std::fs::write(dir.path().join("d3.txt"), BETTER).unwrap();
    std::fs::write(dir.path().join("d4.txt"), WEAK).unwrap();
    let out = check(dir.path(), &["--since", "both.json", "d3.txt", "d4.txt"]);
    out.code(2);
    assert!(
        out.stderr.contains("both.json: holds no report of the answers checked"),
        "{}",
        out.stderr
    );
}

#[test]
fn the_line_format_is_unchanged_and_the_progress_is_a_note() {
    let dir = drafts();
    let plain = check(dir.path(), &["--format", "line", "draft2.txt"]);
    let since = check(
        dir.path(),
        &["--format", "line", "--since", "draft1.json", "draft2.txt"],
    );
    since.code(0);
    assert_eq!(plain.stdout, since.stdout);
    assert!(
        since.stderr.contains("note: draft2.txt since draft1.json: ") && since.stderr.contains("more mark"),
        "{}",
        since.stderr
    );
}

#[test]
fn a_report_saved_by_powershell_in_utf16_reads_too() {
    let dir = drafts();
    let saved = std::fs::read_to_string(dir.path().join("draft1.json")).unwrap();
    let mut bytes = vec![0xff, 0xfe];
    bytes.extend(saved.encode_utf16().flat_map(u16::to_le_bytes));
    std::fs::write(dir.path().join("ps.json"), bytes).unwrap();
    let out = check(dir.path(), &["--since", "ps.json", "draft2.txt"]);
    out.code(0);
    assert!(out.stdout.contains("Since last time:"), "{}", out.stdout);
}
