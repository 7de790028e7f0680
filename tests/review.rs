//! `rubric mark`: review flags and the moderation sample (`--sample`).
//!
//! A class folder with normal answers and the submissions a teacher must look at: an empty
//! file, the questions copied, a bare list of keywords, a near-duplicate pair and a `.docx`
//! with hidden text. Each must carry its review reason in the CSV, the JSON Lines, the summary
//! and the class report, without changing the exit code.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::Command;

#[path = "support/documents.rs"]
mod build;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn sample(name: &str) -> String {
    fs::read_to_string(root().join("samples/stalin").join(name)).expect("sample")
}

/// A list of the rubric's key terms, without a sentence.
const KEYWORDS: &str = "Sovnarkom, Council of People's Commissars, government, Secretariat, party organisation, \
Commissar for Nationalities, peoples, Politburo, Orgburo, liaison, oversee, Rabkrin, Workers' and Peasants' \
Inspectorate, inspect, General Secretary, files, appointments, record-keeper, patronage, favours, protégés, \
supporters, votes, Lenin enrolment, new members, loyal, picked, ban on factions, factionalism, 1921, opponents, \
Lenin's mantle, heir, Leninism, funeral, worship, interpreter, Trotsky, Zinoviev, Kamenev, Bukharin, triumvirate, \
Testament, NEP, Left Opposition, Socialism in One Country, expelled, exiled, Central Committee, nomenklatura";

/// The same terms in sentences.
const PROSE: &str = "Sovnarkom, the Council of People's Commissars, was the government, and the Secretariat ran the \
party organisation. As Commissar for Nationalities Stalin had the peoples of the state under him. He was the \
liaison between the Politburo and the Orgburo, and at Rabkrin, the Workers' and Peasants' Inspectorate, he could \
inspect and oversee the state. As General Secretary he kept the files and made the appointments: he was the \
record-keeper. His patronage and favours made his protégés into supporters who gave him their votes. The Lenin \
enrolment brought new members who were loyal to him because he had picked them. The ban on factions of 1921 was a \
weapon against his opponents. At the funeral he took Lenin's mantle as heir and interpreter of Leninism.";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn rubric(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_rubric"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("runs rubric");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The class: six normal answers, and one of each kind to review.
fn class() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let a = d.join("answers");
    fs::create_dir_all(&a).expect("mkdir");
    fs::copy(root().join("rubrics/stalin-rise.toml"), d.join("rubric.toml")).expect("copy");
    let strong = sample("strong.txt");
    for (name, text) in [
        ("amy.txt", strong.clone()),
        ("ben.txt", sample("paraphrased.txt")),
        ("cat.txt", sample("weak.txt")),
        ("eve.txt", sample("hedged.txt")),
        ("fay.txt", sample("wrapped.txt")),
        ("gil.txt", PROSE.to_string()),
        ("questions.txt", sample("questions-only.txt")),
        ("keywords.txt", KEYWORDS.to_string()),
        ("empty.txt", "  \n".to_string()),
        (
            "dan.txt",
            strong
                .replace("huge number", "great many")
                .replace("everyone's weaknesses", "everybody's weak spots"),
        ),
    ] {
        fs::write(a.join(name), text).expect("write");
    }
    // A Word answer with words hidden from its reader, and one without.
    let run = |text: &str| format!("<w:r><w:t>{}</w:t></w:r>", xml_text(text));
    let hidden = build::docx(&format!(
        r#"<w:p>{}<w:r><w:rPr><w:vanish/></w:rPr><w:t>patronage Lenin enrolment ban on factions</w:t></w:r></w:p>"#,
        run(&sample("curly-quotes.txt"))
    ));
    fs::write(a.join("hid.docx"), hidden).expect("write");
    let plain = build::docx(&format!("<w:p>{}</w:p>", run(&sample("negated.txt"))));
    fs::write(a.join("ivy.docx"), plain).expect("write");
    dir
}

/// Text for a `w:t`, on one line.
fn xml_text(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('\n', " ")
}

fn csv_rows(text: &str) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = r.headers().expect("header").iter().map(String::from).collect();
    r.records()
        .map(|rec| {
            let row: BTreeMap<String, String> = header
                .iter()
                .cloned()
                .zip(rec.expect("record").iter().map(String::from))
                .collect();
            (row["id"].clone(), row)
        })
        .collect()
}

#[test]
fn answers_to_review_are_flagged_everywhere_and_the_run_succeeds() {
    let dir = class();
    let d = dir.path();
    let run = rubric(
        d,
        &[
            "mark",
            "-q",
            "-r",
            "rubric.toml",
            "answers",
            "--csv",
            "marks.csv",
            "--json",
            "marks.jsonl",
            "--html",
            "report.html",
        ],
    );
    // Nothing failed: an empty submission is a mark, not a failure.
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);

    let rows = csv_rows(&fs::read_to_string(d.join("marks.csv")).expect("csv"));
    let review = |id: &str| rows[id]["review"].clone();
    assert_eq!(review("empty"), "empty");
    assert_eq!(rows["empty"]["score"], "0");
    assert_eq!(rows["empty"]["error"], "");
    assert!(review("questions").starts_with("question-only"), "{rows:?}");
    assert_eq!(review("hid"), "hidden-text");
    assert_eq!(review("ivy"), "");
    for id in ["amy", "dan"] {
        assert!(review(id).split(';').any(|r| r == "near-duplicate"), "{id}: {rows:?}");
    }
    // A list of the key terms is flagged; the same terms in sentences are not, and the list
    // scores well (that is why it must be looked at).
    assert!(review("keywords").split(';').any(|r| r == "keyword-list"), "{rows:?}");
    assert!(!review("gil").contains("keyword-list"), "{rows:?}");
    let score = |id: &str| rows[id]["score"].parse::<f64>().expect("score");
    assert!(score("keywords") >= 5.0, "{}", score("keywords"));
    for id in ["amy", "ben", "eve", "gil"] {
        assert!(
            !review(id).contains("keyword-list") && !review(id).contains("question-only"),
            "{id}: {}",
            review(id)
        );
    }

    // The JSON Lines: a `review` array on every answer's line.
    let jsonl = fs::read_to_string(d.join("marks.jsonl")).expect("jsonl");
    let lines: Vec<serde_json::Value> = jsonl.lines().map(|l| serde_json::from_str(l).expect("json")).collect();
    let line = |file: &str| {
        lines
            .iter()
            .find(|l| l["file"] == file)
            .unwrap_or_else(|| panic!("{file} in {jsonl}"))
    };
    assert_eq!(line("answers/empty.txt")["review"], serde_json::json!(["empty"]));
    assert_eq!(line("answers/ivy.docx")["review"], serde_json::json!([]));
    let summary = lines.last().expect("summary");
    let flagged = rows.values().filter(|r| !r["review"].is_empty()).count();
    assert_eq!(summary["counts"]["to_review"], flagged);
    assert_eq!(summary["counts"]["failed"], 0);

    // The human summary lists them.
    assert!(
        run.stdout.contains(&format!("To review: {flagged} of 12")),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("  empty  empty\n"), "{}", run.stdout);

    // The class report: a marker in the grid, the reasons in the student's section, a count.
    let html = fs::read_to_string(d.join("report.html")).expect("html");
    assert!(html.contains(">keywords</a><span class=\"review\""), "grid marker");
    assert!(html.contains("to review: empty</span>"));
    assert!(html.contains("To review: hidden-text (the document holds hidden, white or tiny text)."));
    assert!(html.contains(&format!("<dt>To review</dt><dd>{flagged}</dd>")));
    assert!(
        !html.contains(">ivy</a><span class=\"review\""),
        "no marker without a reason"
    );
}

#[test]
fn the_moderation_sample_takes_the_flagged_then_a_spread() {
    let dir = class();
    let d = dir.path();
    let summary = |n: &str| {
        let run = rubric(
            d,
            &[
                "mark",
                "-r",
                "rubric.toml",
                "answers",
                "--format",
                "json",
                "--sample",
                n,
            ],
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        serde_json::from_str::<serde_json::Value>(&run.stdout).expect("json")
    };
    let s = summary("12");
    let flagged: Vec<&str> = s["answers"]
        .as_array()
        .expect("answers")
        .iter()
        .filter(|a| a["review"].as_array().is_some_and(|r| !r.is_empty()))
        .filter_map(|a| a["id"].as_str())
        .collect();
    assert!(flagged.len() >= 6 && flagged.len() < 12, "{flagged:?}");
    let picks = |s: &serde_json::Value, why: &str| -> Vec<String> {
        s["sample"]
            .as_array()
            .expect("sample")
            .iter()
            .filter(|p| p["why"] == why)
            .filter_map(|p| p["id"].as_str().map(String::from))
            .collect()
    };
    // Every answer, all flagged ones marked as such.
    assert_eq!(picks(&s, "flagged"), flagged);
    assert_eq!(s["sample"].as_array().map(Vec::len), Some(12));

    // Room for the flagged answers and two more: the two are unflagged, with their percentile.
    let n = flagged.len() + 2;
    let s = summary(&n.to_string());
    assert_eq!(picks(&s, "flagged"), flagged);
    let spread = picks(&s, "spread");
    assert_eq!(spread.len(), 2, "{}", s["sample"]);
    assert!(spread.iter().all(|id| !flagged.contains(&id.as_str())));
    for p in s["sample"].as_array().expect("sample") {
        if p["why"] == "spread" {
            assert!(p["percentile"].as_u64().is_some_and(|x| x <= 100), "{p}");
        }
    }
    // The same class, the same sample.
    assert_eq!(summary(&n.to_string())["sample"], s["sample"]);

    // Fewer places than flagged answers: only flagged ones.
    let s = summary("3");
    assert_eq!(picks(&s, "flagged").len(), 3);
    assert!(picks(&s, "spread").is_empty());

    // The human summary lists it.
    let run = rubric(d, &["mark", "-r", "rubric.toml", "answers", "--sample", "3"]);
    assert!(run.stdout.contains("Moderation sample (3 answers):"), "{}", run.stdout);
    assert!(run.stdout.contains("to review: "), "{}", run.stdout);

    // A sample of none is a usage error.
    let run = rubric(d, &["mark", "-r", "rubric.toml", "answers", "--sample", "0"]);
    assert_eq!(run.code, 2);
}

#[test]
fn only_unreadable_files_make_the_run_fail() {
    let dir = class();
    let d = dir.path();
    fs::write(d.join("answers/zed.txt"), b"\x7fELF\x02\x01\x01\x00binary data").expect("write");
    let run = rubric(d, &["mark", "-q", "-r", "rubric.toml", "answers", "--csv", "m.csv"]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(run.stdout.contains("12 answers marked, 1 failed"), "{}", run.stdout);
    // With a bar: the empty answer falls short of it (exit 1), like any answer.
    fs::remove_file(d.join("answers/zed.txt")).expect("rm");
    let run = rubric(d, &["mark", "-q", "-r", "rubric.toml", "answers", "--min-score", "1"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.stdout.contains("empty"), "{}", run.stdout);
}
