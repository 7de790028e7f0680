//! `rubric mark`: a class folder with good and bad files, marked at once.
//!
//! The folder is made afresh in a temporary directory for each test (from `samples/stalin`, plus
//! files that must fail or be skipped), and the binary runs inside it with relative paths, so
//! the reports and the snapshots are the same on every machine.
//!
//! The HTML report is also opened in headless Chromium when `RUBRIC_BROWSER_TESTS=1` (CI sets
//! it): a missing browser is then a failure, not a skip.
//!
//! Update the snapshots after an intended change with
//! `INSTA_UPDATE=always cargo test --test mark`, then review the diff of `tests/snapshots/`.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::Command;

#[path = "support/browser.rs"]
mod browser;
#[path = "support/run.rs"]
mod run;
use run::{Run, rubric};

/// The package root.
fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn sample(name: &str) -> String {
    fs::read_to_string(root().join("samples/stalin").join(name)).expect("sample")
}

/// Answers that must be marked: (file, id).
const GOOD: &[(&str, &str)] = &[
    ("answers/amy.txt", "amy"),
    ("answers/ben.md", "ben"),
    ("answers/chloe.txt", "chloe"),
    ("answers/dan.txt", "dan"),
    ("answers/Emma Jones/answer.txt", "Emma Jones"),
    ("answers/group/fay.txt", "fay"),
    ("answers/group/gus.txt", "gus"),
    ("answers/legacy.txt", "legacy"),
    // An empty answer is marked: 0, flagged `empty`.
    ("answers/empty.txt", "empty"),
];

/// A class folder in a new temporary directory, with the rubric beside it as `rubric.toml`:
///
/// - `amy` (strong), `ben` (Markdown), `chloe` (misspelt), `dan` (amy's answer lightly edited:
///   a near-duplicate), `legacy` (Windows-1252, not UTF-8: decoded and marked);
/// - `Emma Jones/answer.txt` (a per-student folder: the id is the folder's name) and
///   `group/fay.txt`, `group/gus.txt` (two answers in one folder: ids from the file names);
/// - `empty.txt` (marked 0, flagged for review), `binary.txt` (fails), `notes.rtf` (skipped), `.hidden.txt` (left out
///   silently), and on Unix `loop`, a symbolic link to the folder itself (skipped).
fn class() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let a = d.join("answers");
    fs::create_dir_all(a.join("Emma Jones")).expect("mkdir");
    fs::create_dir_all(a.join("group")).expect("mkdir");
    fs::copy(root().join("rubrics/stalin-rise.toml"), d.join("rubric.toml")).expect("copy");
    let strong = sample("strong.txt");
    fs::write(a.join("amy.txt"), &strong).expect("write");
    fs::write(a.join("ben.md"), sample("markdown.md")).expect("write");
    fs::write(a.join("chloe.txt"), sample("misspelt.txt")).expect("write");
    let edited = strong
        .replace("huge number", "great many")
        .replace("everyone's weaknesses", "everybody's weak spots");
    assert_ne!(edited, strong);
    fs::write(a.join("dan.txt"), edited).expect("write");
    fs::write(a.join("Emma Jones/answer.txt"), sample("partial.txt")).expect("write");
    fs::write(a.join("group/fay.txt"), sample("weak.txt")).expect("write");
    fs::write(a.join("group/gus.txt"), sample("paraphrased.txt")).expect("write");
    fs::write(
        a.join("legacy.txt"),
        b"In 1922 Stalin became General Secretary, so he had files on everyone in the party. \
          He built a \x93patronage\x94 system: his prot\xe9g\xe9s backed him.\r\n",
    )
    .expect("write");
    fs::write(a.join("empty.txt"), "  \n").expect("write");
    fs::write(a.join("binary.txt"), b"\x7fELF\x02\x01\x01\x00binary data").expect("write");
    fs::write(a.join("notes.rtf"), "{\\rtf1 notes}").expect("write");
    fs::write(a.join(".hidden.txt"), sample("strong.txt")).expect("write");
    #[cfg(unix)]
    std::os::unix::fs::symlink(".", a.join("loop")).expect("symlink");
    dir
}

const ALL_OUTPUTS: &[&str] = &[
    "mark",
    "--rubric",
    "rubric.toml",
    "answers",
    "--csv",
    "out/marks.csv",
    "--json",
    "out/marks.jsonl",
    "--html",
    "out/report.html",
    "--feedback-dir",
    "out/feedback",
];

fn mark_all(dir: &Path) -> Run {
    fs::create_dir_all(dir.join("out")).expect("mkdir");
    rubric(dir, ALL_OUTPUTS)
}

/// The CSV as rows of column name → value.
fn csv_rows(text: &str) -> Vec<BTreeMap<String, String>> {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = r.headers().expect("header").iter().map(String::from).collect();
    r.records()
        .map(|rec| {
            let rec = rec.expect("record");
            header.iter().cloned().zip(rec.iter().map(String::from)).collect()
        })
        .collect()
}

/// What `rubric check --format json` says of one file.
fn check_json(dir: &Path, file: &str) -> String {
    let run = rubric(dir, &["check", "--rubric", "rubric.toml", "--format", "json", file]);
    run.code(0);
    run.stdout.trim_end().to_string()
}

#[test]
fn marks_a_class_folder() {
    let dir = class();
    let d = dir.path();
    let run = mark_all(d);
    // A file failed: exit code 2, but everything else is marked and written.
    run.code(2);

    let csv = fs::read_to_string(d.join("out/marks.csv")).expect("csv");
    let rows = csv_rows(&csv);
    for (file, id) in GOOD {
        let mine: Vec<_> = rows.iter().filter(|r| r["file"] == *file).collect();
        assert_eq!(mine.len(), 1, "{file} once in the CSV:\n{csv}");
        assert_eq!(mine[0]["id"], *id);
        assert_eq!(mine[0]["error"], "");
        // The same score as `rubric check` gives it.
        let check: serde_json::Value = serde_json::from_str(&check_json(d, file)).expect("json");
        let score: f64 = mine[0]["score"].parse().expect("score");
        assert_eq!(Some(score), check["score"].as_f64(), "{file}");
        // Per question: the marks `check` gives, adding up to the score; per point, the
        // marks and status `check` gives.
        let mut sum = 0.0;
        for q in check["questions"].as_array().expect("questions") {
            let id = q["id"].as_str().expect("question id");
            let marks: f64 = mine[0][&format!("{id} marks")].parse().expect("question marks");
            assert_eq!(Some(marks), q["score"].as_f64(), "{file} {id}");
            sum += marks;
            for p in q["points"].as_array().expect("points") {
                let id = p["id"].as_str().expect("point id");
                assert_eq!(Some(mine[0][id].as_str()), p["status"].as_str(), "{file} {id}");
                let marks: f64 = mine[0][&format!("{id} marks")].parse().expect("point marks");
                assert_eq!(Some(marks), p["marks"].as_f64(), "{file} {id}");
            }
        }
        assert!((sum - score).abs() < 1e-9, "{file}: questions {sum}, score {score}");
    }
    let row = rows
        .iter()
        .find(|r| r["file"] == "answers/binary.txt")
        .expect("failed files have a row");
    assert!(!row["error"].is_empty() && row["score"].is_empty(), "{row:?}");
    let empty = rows.iter().find(|r| r["id"] == "empty").expect("empty");
    assert_eq!((empty["score"].as_str(), empty["review"].as_str()), ("0", "empty"));
    assert_eq!(rows.len(), GOOD.len() + 1, "{csv}");
    assert!(!csv.contains("hidden") && !csv.contains("notes.rtf"), "{csv}");
    // The near-duplicate pair, both ways.
    let dan = rows.iter().find(|r| r["id"] == "dan").expect("dan");
    assert_eq!(dan["duplicate_of"], "amy");
    assert_eq!(dan["review"], "near-duplicate");
    assert!(dan["similarity"].parse::<f64>().expect("similarity") >= 0.8);

    // Reasons in the summary.
    for reason in [
        "  empty  empty\n",
        "answers/binary.txt: ",
        "answers/notes.rtf: unsupported type .rtf",
        "amy ~ dan",
    ] {
        assert!(run.stdout.contains(reason), "{reason}:\n{}", run.stdout);
    }
    #[cfg(unix)]
    {
        assert!(
            run.stdout.contains("answers/loop: symbolic link loop"),
            "{}",
            run.stdout
        );
        insta::assert_snapshot!("mark_csv", csv);
        insta::assert_snapshot!("mark_summary", run.stdout);
    }

    // JSON Lines: each answer exactly as `rubric check --format json` prints it, with its
    // review reasons at the end, then the summary.
    let jsonl = fs::read_to_string(d.join("out/marks.jsonl")).expect("json");
    let lines: Vec<&str> = jsonl.lines().collect();
    assert_eq!(lines.len(), GOOD.len() + 1);
    let mut by_file: Vec<(&str, &str)> = GOOD.to_vec();
    by_file.sort_by_key(|(_, id)| id.to_lowercase());
    for (line, (file, _)) in lines.iter().zip(&by_file) {
        let review = serde_json::from_str::<serde_json::Value>(line).expect("json")["review"].clone();
        let check = check_json(d, file);
        let want = format!("{},\"review\":{review}}}", &check[..check.len() - 1]);
        assert_eq!(*line, want, "{file}");
    }
    let summary: serde_json::Value = serde_json::from_str(lines[GOOD.len()]).expect("summary");
    assert_eq!(summary["schema"], "rubric-mark-summary/1");
    assert_eq!(summary["counts"]["marked"], GOOD.len());
    assert_eq!(summary["counts"]["failed"], 1);
    assert_eq!(summary["near_duplicates"][0]["a"], "amy");
    assert_eq!(summary["near_duplicates"][0]["b"], "dan");

    // One feedback file per marked answer, for students: no cue internals.
    let mut names: Vec<String> = fs::read_dir(d.join("out/feedback"))
        .expect("feedback dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut expected: Vec<String> = GOOD.iter().map(|(_, id)| format!("{id}.md")).collect();
    expected.sort();
    assert_eq!(names, expected);
    let fay = fs::read_to_string(d.join("out/feedback/fay.md")).expect("fay");
    assert!(fay.starts_with("# Feedback for fay\n"), "{fay}");
    assert!(fay.contains("**Score: 1 / 10**"), "{fay}");
    assert!(fay.contains("Still to add:"), "{fay}");
    assert!(!fay.contains("cue") && !fay.contains("fuzzy"), "{fay}");
    insta::assert_snapshot!(
        "mark_feedback_emma",
        fs::read_to_string(d.join("out/feedback/Emma Jones.md")).expect("emma")
    );
}

#[test]
fn the_summary_alone_as_json() {
    let dir = class();
    let run = rubric(
        dir.path(),
        &["mark", "-r", "rubric.toml", "answers", "--format", "json"],
    );
    run.code(2);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{}", run.stdout);
    let s: serde_json::Value = serde_json::from_str(lines[0]).expect("json");
    assert_eq!(s["schema"], "rubric-mark-summary/1");
    assert_eq!(s["answers"].as_array().map(Vec::len), Some(GOOD.len()));
    let failed: Vec<&str> = s["failed"]
        .as_array()
        .expect("failed")
        .iter()
        .filter_map(|f| f["file"].as_str())
        .collect();
    assert_eq!(failed, ["answers/binary.txt"]);
    let empty = s["answers"]
        .as_array()
        .expect("answers")
        .iter()
        .find(|a| a["id"] == "empty")
        .expect("the empty answer is marked");
    assert_eq!(
        (empty["score"].as_f64(), &empty["review"]),
        (Some(0.0), &serde_json::json!(["empty"]))
    );
    assert_eq!(s["distribution"].as_array().map(Vec::len), Some(10));
}

#[test]
fn runs_are_byte_identical() {
    let dir = class();
    let d = dir.path();
    let mut outputs = Vec::new();
    for (n, threads) in [(1, "1"), (2, "4")] {
        let out = format!("out{n}");
        fs::create_dir_all(d.join(&out)).expect("mkdir");
        let csv = format!("{out}/marks.csv");
        let json = format!("{out}/marks.jsonl");
        let html = format!("{out}/report.html");
        rubric(
            d,
            &[
                "mark",
                "-r",
                "rubric.toml",
                "answers",
                "--csv",
                &csv,
                "--json",
                &json,
                "--html",
                &html,
                "--threads",
                threads,
                "--quiet",
            ],
        )
        .code(2);
        outputs.push(
            [csv, json, html]
                .iter()
                .map(|f| fs::read(d.join(f)).expect("read"))
                .collect::<Vec<_>>(),
        );
    }
    for (a, b) in outputs[0].iter().zip(&outputs[1]) {
        assert!(a == b, "outputs differ between runs");
    }
}

#[test]
fn clean_batches_exit_by_min_score() {
    let dir = class();
    let d = dir.path();
    fs::create_dir(d.join("good")).expect("mkdir");
    for f in ["amy.txt", "chloe.txt"] {
        fs::copy(d.join("answers").join(f), d.join("good").join(f)).expect("copy");
    }
    rubric(d, &["mark", "-r", "rubric.toml", "good"]).code(0);
    rubric(d, &["mark", "-r", "rubric.toml", "good", "--min-score", "90%"]).code(0);
    let run = rubric(d, &["mark", "-r", "rubric.toml", "good", "--min-score", "100%"]);
    run.code(1);
    assert!(
        run.stdout.contains("Below --min-score 100%: 1 answer: amy"),
        "{}",
        run.stdout
    );
    // A failure wins over a low score.
    rubric(d, &["mark", "-r", "rubric.toml", "answers", "--min-score", "100%"]).code(2);
}

#[test]
fn finds_the_rubric_and_takes_ids_from_a_pattern() {
    let dir = class();
    let d = dir.path();
    fs::create_dir_all(d.join("export/4711_amy")).expect("mkdir");
    fs::create_dir_all(d.join("export/4712_ben")).expect("mkdir");
    fs::write(d.join("export/4711_amy/essay.txt"), sample("strong.txt")).expect("write");
    fs::write(d.join("export/4712_ben/essay.txt"), sample("weak.txt")).expect("write");
    fs::write(d.join("export/4712_ben/draft.txt"), sample("partial.txt")).expect("write");
    // No --rubric: the rubric.toml above the folder.
    let run = rubric(
        d,
        &[
            "mark",
            "export",
            "--id-pattern",
            r"^(?P<id>\d+)_",
            "--csv",
            "ids.csv",
            "--quiet",
        ],
    );
    run.code(0);
    let rows = csv_rows(&fs::read_to_string(d.join("ids.csv")).expect("csv"));
    let ids: Vec<&str> = rows.iter().map(|r| r["id"].as_str()).collect();
    // Two answers of student 4712: both kept, told apart, and warned about.
    assert_eq!(ids, ["4711", "4712", "4712#2"]);
    assert!(run.stdout.contains("2 answers have the id `4712`"), "{}", run.stdout);
    // Without the pattern, one-answer folders give their names.
    let run = rubric(d, &["mark", "export", "--format", "json"]);
    let s: serde_json::Value = serde_json::from_str(run.stdout.trim()).expect("json");
    let ids: Vec<&str> = s["answers"]
        .as_array()
        .expect("answers")
        .iter()
        .filter_map(|a| a["id"].as_str())
        .collect();
    assert_eq!(ids, ["4711_amy", "draft", "essay"]);
    // A pattern without an `id` group is a usage error.
    rubric(d, &["mark", "export", "--id-pattern", "(.*)"]).code(2);
}

/// Files in a folder, without the ones a test made on purpose.
fn listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .expect("read_dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn outputs_are_written_whole_or_not_at_all() {
    let dir = class();
    let d = dir.path();
    fs::create_dir(d.join("out")).expect("mkdir");
    fs::write(d.join("out/marks.csv"), "the old report\n").expect("write");

    // An output whose folder does not exist: refused before marking, nothing written.
    let run = rubric(
        d,
        &[
            "mark",
            "-r",
            "rubric.toml",
            "answers",
            "--csv",
            "out/marks.csv",
            "--html",
            "missing/report.html",
        ],
    );
    run.code(2);
    assert!(run.stderr.contains("missing"), "{}", run.stderr);
    assert_eq!(
        fs::read_to_string(d.join("out/marks.csv")).expect("read"),
        "the old report\n"
    );
    assert_eq!(listing(&d.join("out")), ["marks.csv"]);
    assert!(!d.join("missing").exists());

    // A run that fails before writing (a bad rubric) leaves the old report as it was.
    fs::write(d.join("bad.toml"), "title = \n").expect("write");
    rubric(d, &["mark", "-r", "bad.toml", "answers", "--csv", "out/marks.csv"]).code(2);
    assert_eq!(
        fs::read_to_string(d.join("out/marks.csv")).expect("read"),
        "the old report\n"
    );

    // A folder where the report should go: the write fails, no temporary file is left.
    fs::create_dir(d.join("out/report.html")).expect("mkdir");
    let run = rubric(
        d,
        &["mark", "-r", "rubric.toml", "answers", "--html", "out/report.html"],
    );
    run.code(2);
    assert_eq!(listing(&d.join("out")), ["marks.csv", "report.html"]);

    // A good run replaces the report in one go.
    rubric(
        d,
        &["mark", "-r", "rubric.toml", "answers", "--csv", "out/marks.csv", "-q"],
    )
    .code(2);
    assert!(
        fs::read_to_string(d.join("out/marks.csv"))
            .expect("read")
            .starts_with("id,file,score")
    );
    assert_eq!(listing(&d.join("out")), ["marks.csv", "report.html"]);
}

#[test]
fn csv_with_a_byte_order_mark() {
    let dir = class();
    let d = dir.path();
    rubric(
        d,
        &["mark", "-r", "rubric.toml", "answers", "--csv", "bom.csv", "--csv-bom"],
    )
    .code(2);
    let bytes = fs::read(d.join("bom.csv")).expect("read");
    assert!(bytes.starts_with(b"\xEF\xBB\xBFid,file,"));
}

/// Checks of the HTML that need no browser: self-contained, escaped, accessible.
fn check_html(html: &str) {
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    // One small inline script (sorting and filtering the grid), no script from elsewhere.
    assert_eq!(html.matches("<script").count(), 1, "one script");
    assert!(html.contains("<script>\n(() => {"), "inline");
    for remote in ["src=\"http", "href=\"http", "url(http", "@import"] {
        assert!(!html.contains(remote), "no network: {remote}");
    }
    assert_eq!(html.matches("<rect class=\"bar\"").count(), 10, "ten histogram bars");
    let points = 10;
    assert_eq!(
        html.matches("<td class=\"st ").count(),
        GOOD.len() * points,
        "grid cells"
    );
    for (_, id) in GOOD {
        assert!(html.contains(&format!(">{id}</a>")), "grid row of {id}");
        assert!(
            html.contains(&format!("-h\">{id} <span class=\"score\">")),
            "section of {id}"
        );
    }
    assert!(html.contains("<mark class=\"covered\""), "evidence highlighted");
    assert!(html.contains("@media print"));
    assert!(html.contains("<th scope=\"col\""));
    assert!(html.contains("not marked: looks like a binary file"));
    assert!(
        html.contains("to review: empty</span>"),
        "the empty answer's marker in the grid"
    );
}

#[test]
fn html_report_in_a_browser() {
    let dir = class();
    let d = dir.path();
    let run = mark_all(d);
    run.code(2);
    let report = d.join("out/report.html");
    let html = fs::read_to_string(&report).expect("html");
    check_html(&html);

    let Some(browser) = browser::chromium("the report") else {
        return;
    };
    let bytes = browser::screenshot(browser, &report, &d.join("report.png"), (1200, 2000));
    // A blank page of this size compresses to a few kilobytes; the report is far richer.
    assert!(bytes.len() > 50_000, "screenshot of {} bytes looks empty", bytes.len());

    let dom = browser::dom(browser, &report);
    // The rendered document holds the chart and the grid, parsed as SVG and table.
    assert_eq!(
        dom.matches("<rect class=\"bar\"").count(),
        10,
        "histogram bars in the DOM"
    );
    assert!(dom.contains("<svg class=\"histogram\""));
    assert_eq!(
        dom.matches("<td class=\"st ").count(),
        GOOD.len() * 10,
        "grid cells in the DOM"
    );
    for (_, id) in GOOD {
        assert!(dom.contains(&format!(">{id}</a>")), "grid row of {id} in the DOM");
    }

    // The grid sorts and filters with its script, and prints whole: tests/e2e/report.spec.mjs.
    let playwright = root().join("tests/e2e/node_modules/playwright-core/package.json");
    assert!(
        playwright.is_file(),
        "RUBRIC_BROWSER_TESTS=1 but playwright-core is missing: npm ci --prefix tests/e2e"
    );
    let out = Command::new("node")
        .arg(root().join("tests/e2e/report.spec.mjs"))
        .arg(&report)
        .arg(d.join("shots"))
        .output()
        .expect("runs node (apt-get install nodejs)");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && text.contains("all browser checks passed"),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn no_answers_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    fs::copy(root().join("rubrics/stalin-rise.toml"), d.join("rubric.toml")).expect("copy");
    fs::create_dir(d.join("empty")).expect("mkdir");
    let run = rubric(d, &["mark", "empty", "--csv", "x.csv"]);
    run.code(2);
    assert!(run.stderr.contains("no answer files found"), "{}", run.stderr);
    assert!(!d.join("x.csv").exists());
    let run = rubric(d, &["mark", "nowhere", "-r", "rubric.toml"]);
    run.code(2);
    assert!(run.stdout.contains("nowhere: no such file or folder"), "{}", run.stdout);
}
