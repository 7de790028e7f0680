//! `rubric mark --feedback-dir DIR --feedback-format md,html,docx`: feedback to hand back, in
//! each format, saying the same.
//!
//! The .docx is read back by rubric's own reader and by pandoc: when `RUBRIC_PANDOC_TESTS=1`
//! (CI sets it) a missing pandoc is a failure, else the pandoc check is skipped with a note. A
//! feedback page is opened in headless Chromium when `RUBRIC_BROWSER_TESTS=1`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

#[path = "support/browser.rs"]
mod browser;
#[path = "support/run.rs"]
mod run;
use run::{Run, rubric};
#[path = "support/documents.rs"]
mod documents;

/// The package root.
fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Students and the sample each handed in.
const CLASS: &[(&str, &str)] = &[("amy", "strong.txt"), ("fay", "weak.txt"), ("grace_kim", "partial.txt")];

/// A class folder `answers/` in a new temporary directory, with the rubric beside it.
fn class() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = dir.path().join("answers");
    fs::create_dir(&a).expect("mkdir");
    fs::copy(root().join("rubrics/stalin-rise.toml"), dir.path().join("rubric.toml")).expect("copy");
    for (id, sample) in CLASS {
        fs::copy(root().join("samples/stalin").join(sample), a.join(format!("{id}.txt"))).expect("copy");
    }
    dir
}

/// Runs `rubric mark -r rubric.toml ...` in `dir`.
fn mark(dir: &Path, args: &[&str]) -> Run {
    let mut all = vec!["mark", "-r", "rubric.toml"];
    all.extend_from_slice(args);
    rubric(dir, &all)
}

/// `check --format json` of one answer.
fn check_json(dir: &Path, file: &str) -> serde_json::Value {
    let out = Command::new(env!("CARGO_BIN_EXE_rubric"))
        .current_dir(dir)
        .args(["check", "-r", "rubric.toml", "--format", "json", file])
        .output()
        .expect("runs");
    serde_json::from_slice(&out.stdout).expect("json")
}

/// `2.5`, `3`: as rubric prints marks.
fn marks(x: &serde_json::Value) -> String {
    let s = format!("{:.2}", x.as_f64().expect("a number"));
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The files of a folder, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The text of a .docx as rubric reads it (as an answer would be).
fn docx_text(path: &Path) -> String {
    rubric::read_path(path, &rubric::Limits::default())
        .expect("rubric reads the .docx")
        .text
}

/// pandoc, when it is to be used: `None` (with a note) when it is missing and
/// `RUBRIC_PANDOC_TESTS` is not 1.
fn pandoc() -> Option<&'static str> {
    let found = Command::new("pandoc")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    match (found, std::env::var("RUBRIC_PANDOC_TESTS").as_deref() == Ok("1")) {
        (true, _) => Some("pandoc"),
        (false, true) => panic!("RUBRIC_PANDOC_TESTS=1 but pandoc is missing: install it (apt-get install pandoc)"),
        (false, false) => {
            eprintln!("pandoc not found and RUBRIC_PANDOC_TESTS is not 1: the .docx is not opened with it");
            None
        }
    }
}

/// `file` converted by pandoc from .docx to `to`.
fn pandoc_to(pandoc: &str, file: &Path, to: &str) -> String {
    let out = Command::new(pandoc)
        .args(["--from", "docx", "--to", to, "--wrap=none"])
        .arg(file)
        .output()
        .expect("runs pandoc");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("UTF-8")
}

/// Every format of every student's feedback, as text: `(id, format, text)`.
fn all_feedback(fb: &Path) -> Vec<(&'static str, &'static str, String)> {
    let mut all = Vec::new();
    for (id, _) in CLASS {
        for format in ["md", "html", "docx"] {
            let path = fb.join(format!("{id}.{format}"));
            let text = match format {
                "docx" => docx_text(&path),
                _ => fs::read_to_string(&path).expect("read"),
            };
            all.push((*id, format, text));
        }
    }
    all
}

#[test]
fn each_format_gives_the_marks_per_question_and_hides_what_is_missing() {
    let dir = class();
    let d = dir.path();
    let run = mark(
        d,
        &["answers", "--feedback-dir", "fb", "--feedback-format", "md,html,docx"],
    );
    run.code(0);
    assert!(run.stdout.contains("Wrote: 9 feedback files in fb."), "{}", run.stdout);
    let mut expected: Vec<String> = CLASS
        .iter()
        .flat_map(|(id, _)| ["md", "html", "docx"].map(|e| format!("{id}.{e}")))
        .collect();
    expected.sort();
    assert_eq!(listing(&d.join("fb")), expected);

    for (id, format, text) in all_feedback(&d.join("fb")) {
        let report = check_json(d, &format!("answers/{id}.txt"));
        let shown = format!("{id} as {format}");
        // Issue 20: no `grace\_kim` in the Markdown heading.
        let heading = format!("Feedback for {id}");
        assert!(text.contains(&heading), "{shown}: {heading}\n{text}");
        let score = format!("Score: {} / {}", marks(&report["score"]), marks(&report["max"]));
        let md_score = format!("**Score: {} / {}**", marks(&report["score"]), marks(&report["max"]));
        assert!(
            text.contains(&score) || text.contains(&md_score),
            "{shown}: {score}\n{text}"
        );
        let mut sum = 0.0;
        for (n, q) in report["questions"].as_array().expect("questions").iter().enumerate() {
            sum += q["score"].as_f64().expect("score");
            let row = format!("{}. {}", n + 1, q["prompt"].as_str().expect("prompt"));
            let got = format!("{} / {}", marks(&q["score"]), marks(&q["max"]));
            let cell = match format {
                "md" => format!("| {row} | {got} |"),
                "html" => format!("<td>{}</td><td class=\"marks\">{got}</td>", row.replace('\'', "&#39;")),
                _ => format!("{row}\t{got}"),
            };
            assert!(text.contains(&cell), "{shown}: {cell}\n{text}");
            for p in q["points"].as_array().expect("points") {
                let label = p["label"].as_str().expect("label").replace('\'', "&#39;");
                let label = if format == "html" {
                    label
                } else {
                    label.replace("&#39;", "'")
                };
                match p["status"].as_str().expect("status") {
                    // The student's own sentence, quoted.
                    "covered" => {
                        let quote = p["evidence"][0]["quote"].as_str().expect("quote");
                        let quote = if format == "html" {
                            quote.replace('\'', "&#39;")
                        } else {
                            quote.to_string()
                        };
                        assert!(text.contains(&format!("“{quote}”")), "{shown}: {quote}\n{text}");
                    }
                    // Never the answer itself.
                    "missing" => assert!(!text.contains(&label), "{shown} gives away {label}\n{text}"),
                    _ => {}
                }
            }
        }
        assert!(
            (sum - report["score"].as_f64().expect("score")).abs() < 1e-9,
            "{shown}: the questions sum to the score"
        );
    }
}

#[test]
fn the_docx_opens_in_pandoc_with_headings_lists_and_a_table() {
    let dir = class();
    let d = dir.path();
    mark(d, &["answers", "--feedback-dir", "fb", "--feedback-format", "docx"]).code(0);
    assert_eq!(listing(&d.join("fb")), ["amy.docx", "fay.docx", "grace_kim.docx"]);
    let file = d.join("fb/grace_kim.docx");
    let ours = docx_text(&file);
    assert!(ours.starts_with("Feedback for grace_kim\n\n"), "{ours}");
    let Some(pandoc) = pandoc() else { return };
    let plain = pandoc_to(pandoc, &file, "plain");
    for line in [
        "Feedback for grace_kim",
        "Score: 6 / 10 (60%)",
        "What you covered",
        "Still to add",
        "“There was also patronage.”",
    ] {
        assert!(plain.contains(line), "{line}\n{plain}");
    }
    // Its structure, as pandoc sees it: styled headings, bulleted lists with notes below the
    // points, the table of marks.
    let html = pandoc_to(pandoc, &file, "html");
    assert!(
        html.contains("<h1 id=\"feedback-for-grace_kim\">Feedback for grace_kim</h1>"),
        "{html}"
    );
    assert!(
        html.contains("<h2 id=\"marks-per-question\">Marks per question</h2>"),
        "{html}"
    );
    assert!(html.contains("<h3 id=\"still-to-add\">Still to add</h3>"), "{html}");
    assert!(html.contains("<li><p><strong>Patronage"), "{html}");
    assert!(
        html.contains("<ul>\n<li><p>You mention"),
        "notes are a list inside the point's\n{html}"
    );
    assert!(html.contains("</p></li>\n<li><p>To go further:"), "{html}");
    assert!(html.contains("<table>"), "{html}");
    assert!(html.contains("<td>2 / 2</td>"), "{html}");
}

#[test]
fn markdown_is_the_default_and_formats_are_checked() {
    let dir = class();
    let d = dir.path();
    mark(d, &["answers", "--feedback-dir", "fb"]).code(0);
    assert_eq!(listing(&d.join("fb")), ["amy.md", "fay.md", "grace_kim.md"]);
    let md = fs::read_to_string(d.join("fb/grace_kim.md")).expect("md");
    assert!(md.starts_with("# Feedback for grace_kim\n"), "{md}");

    let run = mark(d, &["answers", "--feedback-dir", "fb", "--feedback-format", "pdf"]);
    run.code(2);
    assert!(run.stderr.contains("possible values: md, html, docx"), "{}", run.stderr);
    let run = mark(d, &["answers", "--feedback-format", "html"]);
    run.code(2);
    assert!(run.stderr.contains("--feedback-dir"), "{}", run.stderr);
    // An output where a feedback file of a format asked for would go.
    let run = mark(
        d,
        &[
            "answers",
            "--feedback-dir",
            "fb",
            "--feedback-format",
            "docx",
            "--html",
            "fb/amy.docx",
        ],
    );
    run.code(2);
    assert!(
        run.stderr
            .contains("is in --feedback-dir, where feedback files (<id>.docx) are written"),
        "{}",
        run.stderr
    );
}

/// A feedback folder inside the class folder: a second run writes the same bytes, and a run
/// without `--feedback-dir` skips the pages and documents as rubric's own, not answers.
#[test]
fn feedback_files_are_the_same_run_after_run_and_never_marked() {
    let dir = class();
    let d = dir.path();
    let args = [
        "answers",
        "--feedback-dir",
        "answers/fb",
        "--feedback-format",
        "html,docx",
    ];
    mark(d, &args).code(0);
    let first: Vec<(PathBuf, Vec<u8>)> = listing(&d.join("answers/fb"))
        .into_iter()
        .map(|n| {
            let p = d.join("answers/fb").join(n);
            let bytes = fs::read(&p).expect("read");
            (p, bytes)
        })
        .collect();
    assert_eq!(first.len(), 6);
    mark(d, &args).code(0);
    for (path, bytes) in &first {
        assert_eq!(&fs::read(path).expect("read"), bytes, "{}", path.display());
    }
    // A changed answer: its feedback files, rubric's own, are replaced.
    fs::copy(root().join("samples/stalin/strong.txt"), d.join("answers/fay.txt")).expect("copy");
    mark(d, &args).code(0);
    for (path, bytes) in &first {
        let fay = path.file_stem().is_some_and(|s| s == "fay");
        assert_eq!(&fs::read(path).expect("read") != bytes, fay, "{}", path.display());
    }
    let run = mark(d, &["answers"]);
    run.code(0);
    assert!(
        run.stdout.contains("3 answers marked, 0 failed, 6 skipped."),
        "{}",
        run.stdout
    );
    for (id, _) in CLASS {
        for e in ["html", "docx"] {
            let line = format!("answers/fb/{id}.{e}: a feedback file written by rubric, not an answer");
            assert!(run.stdout.contains(&line), "{line}\n{}", run.stdout);
        }
    }
}

/// A .docx in the feedback folder that rubric did not write (a student's essay) is kept.
#[test]
fn a_document_rubric_did_not_write_is_kept() {
    let dir = class();
    let d = dir.path();
    fs::create_dir(d.join("fb")).expect("mkdir");
    // A student's essay, even one that begins like feedback.
    let other = documents::docx("<w:p><w:r><w:t>Feedback for my group: I liked the unit.</w:t></w:r></w:p>");
    fs::write(d.join("fb/amy.docx"), &other).expect("write");
    let run = mark(d, &["answers", "--feedback-dir", "fb", "--feedback-format", "docx"]);
    run.code(2);
    assert!(
        run.stderr.contains("not a feedback file rubric wrote"),
        "{}",
        run.stderr
    );
    assert_eq!(fs::read(d.join("fb/amy.docx")).expect("read"), other);
    assert_eq!(listing(&d.join("fb")), ["amy.docx", "fay.docx", "grace_kim.docx"]);
}

#[test]
fn a_feedback_page_in_a_browser() {
    let dir = class();
    let d = dir.path();
    mark(d, &["answers", "--feedback-dir", "fb", "--feedback-format", "html"]).code(0);
    let page = d.join("fb/grace_kim.html");
    let html = fs::read_to_string(&page).expect("html");
    assert!(!html.contains("<script"), "no script");
    assert!(html.contains("@media print"));
    let Some(browser) = browser::chromium("the feedback page") else {
        return;
    };
    let bytes = browser::screenshot(browser, &page, &d.join("feedback.png"), (900, 1400));
    // A blank page of this size is a few kilobytes of PNG.
    assert!(bytes.len() > 30_000, "screenshot of {} bytes looks empty", bytes.len());
    let dom = browser::dom(browser, &page);
    assert!(dom.contains("<h1>Feedback for grace_kim</h1>"), "{dom}");
    assert_eq!(
        dom.matches("<td class=\"marks\">").count(),
        4,
        "three questions and the total"
    );
    assert_eq!(dom.matches("<section class=\"question\">").count(), 3);
}
