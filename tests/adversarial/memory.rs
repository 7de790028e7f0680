//! Issue 16: hostile cases (memory). Reports and feedback of an answer without full stops stay
//! small; rubrics whose cues would take time in the square (or exponent) of the answer's length
//! finish under the hang guard.
use super::*;

/// An answer of `bytes` bytes of real sentences with every full stop (and question and
/// exclamation mark, and line break: a paragraph ends a sentence) taken out: one "sentence".
fn without_full_stops(bytes: usize) -> String {
    let mut body = String::new();
    for name in ["strong.txt", "paraphrased.txt", "long-essay.txt", "weak.txt"] {
        let text = fs::read_to_string(root().join("samples/stalin").join(name)).expect("sample");
        body.push_str(&text.replace(['.', '!', '?', '\n', '\r'], " "));
        body.push(' ');
    }
    let mut out = body.repeat(bytes / body.len() + 1);
    let mut cut = bytes;
    while !out.is_char_boundary(cut) {
        cut -= 1;
    }
    out.truncate(cut);
    out
}

/// The evidence of every point of a JSON report.
fn evidence(report: &serde_json::Value) -> Vec<&serde_json::Value> {
    report["questions"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|q| q["points"].as_array().into_iter().flatten())
        .flat_map(|p| p["evidence"].as_array().into_iter().flatten())
        .collect()
}

/// A 3 MB answer without a full stop is one sentence, which was quoted whole in the evidence of
/// every point found (a report of tens of megabytes). Quotes are now a window around the
/// matched words, cut with an ellipsis, and the report stays small.
#[test]
fn the_report_of_an_answer_without_full_stops_is_small() {
    let dir = tempfile::tempdir().expect("tempdir");
    let answer = write(dir.path(), "one-sentence.txt", &without_full_stops(3_000_000));
    let run = check(STALIN, &["--explain", path_str(&answer)], SLOW);
    run.code(0);
    assert!(run.stdout.len() < 64 * 1024, "report of {} bytes", run.stdout.len());
    let reports = run.reports();
    let ev = evidence(&reports[0]);
    assert!(ev.len() >= 5, "{} pieces of evidence", ev.len());
    for e in ev {
        let quote = e["quote"].as_str().expect("quote");
        assert!(quote.chars().count() <= 700, "{quote}");
        assert!(quote.contains('…'), "{quote}");
        for w in e["words"].as_array().expect("words") {
            let word = w["text"].as_str().expect("word");
            assert!(quote.contains(word), "{word:?} not in {quote:?}");
        }
    }
}

/// A line of 4 MB without a space is one word: when a cue matches it (as a prefix), the quote
/// and the word shown are cut.
#[test]
fn a_matched_word_of_megabytes_is_cut_in_reports() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rubric_file = write(dir.path(), "prefix.toml", &one_point(r#""bureaucra*""#));
    let rubric_file = path_str(&rubric_file);
    let answer = write(dir.path(), "word.txt", &format!("bureaucra{}", "cy".repeat(2_000_000)));
    let run = check(rubric_file, &[path_str(&answer)], SLOW);
    run.code(0);
    assert!(run.stdout.len() < 4 * 1024, "report of {} bytes", run.stdout.len());
    let reports = run.reports();
    assert_eq!(status(&reports[0], "p"), "covered");
    for e in evidence(&reports[0]) {
        let quote = e["quote"].as_str().expect("quote");
        assert!(quote.starts_with("bureaucracy") && quote.ends_with('…'), "{quote}");
        for w in e["words"].as_array().expect("words") {
            let word = w["text"].as_str().expect("word");
            assert!(word.starts_with("bureaucracy") && word.ends_with('…'), "{word}");
        }
    }
    // The report for people too.
    let run = rubric(&["check", "-r", rubric_file, path_str(&answer)], SLOW);
    run.code(0);
    assert!(run.stdout.len() < 4 * 1024, "report of {} bytes", run.stdout.len());
    assert!(run.stdout.contains("bureaucracy"), "{}", run.stdout);
}

/// Feedback files for students quote the evidence too: one of a 1.2 MB answer without a full
/// stop was 2.45 MB.
#[test]
fn the_feedback_on_an_answer_without_full_stops_is_small() {
    let dir = tempfile::tempdir().expect("tempdir");
    let class = dir.path().join("class");
    fs::create_dir(&class).expect("mkdir");
    write(&class, "amy.txt", &without_full_stops(1_200_000));
    let out = dir.path().join("feedback");
    let run = rubric(
        &["mark", "-r", STALIN, path_str(&class), "--feedback-dir", path_str(&out)],
        SLOW,
    );
    run.code(0);
    let feedback = fs::read_to_string(out.join("amy.md")).expect("feedback file");
    assert!(feedback.len() < 16 * 1024, "feedback of {} bytes", feedback.len());
    assert!(feedback.contains('…'), "{feedback}");
}

/// A rubric of one point with the given cues.
fn one_point(cues: &str) -> String {
    format!(
        "title = \"How had Stalin been able to rise up the Bolshevik ranks?\"\n\n[[question]]\nid = \"q\"\n\
         prompt = \"How did Stalin use his posts?\"\n\n[[question.point]]\nid = \"p\"\nlabel = \"Patronage\"\n\
         hint = \"Think about his posts.\"\ncues = [{cues}]\n"
    )
}

/// `words` words drawn from `vocabulary` (a generator with a fixed seed), a full stop after
/// every `sentence` words (none when 0).
fn words_from(vocabulary: &[&str], words: usize, sentence: usize) -> String {
    let mut seed = 7u64;
    let mut out = String::with_capacity(words * 10);
    for i in 0..words {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        out.push_str(vocabulary[(seed >> 33) as usize % vocabulary.len()]);
        out.push_str(if sentence > 0 && i % sentence == sentence - 1 {
            ". "
        } else {
            " "
        });
    }
    out
}

/// Cues that are lint-clean but took time in the square (or the exponent) of the answer:
/// nested `all`/`any` groups with `within = 100000` on 100,000 words where the parts occur
/// everywhere (35 s in an optimised build, many minutes in a debug one); a phrase of one word
/// repeated (every way of picking its words from a run of that word was tried: hours); a
/// phrase with a wide `gap` over thousands of its words (hours); an `unless` phrase with a wide
/// `gap` whose 150,000 places each reach the cue's 150,000 matches (over a minute in a debug
/// build). Each now takes a few seconds at most in a debug build, and finds what it should.
#[test]
fn cues_that_were_quadratic_finish() {
    let dir = tempfile::tempdir().expect("tempdir");
    let words = [
        "patronage",
        "allies",
        "secretary",
        "appointments",
        "jobs",
        "control",
        "officials",
        "files",
    ];
    let nested = r#"{ all = [
        { all = ["patronage", "allies"], within = 100000 },
        { any = [ { all = ["secretary", "appointments"], within = 100000 }, "jobs" ] },
        { all = ["control", { all = ["officials", "files"], within = 100000 }], within = 100000 },
      ], within = 100000 }"#;
    let repeated = format!(r#"{{ phrase = "{} jobs", gap = 2 }}"#, "patronage ".repeat(15));
    let cases: Vec<(&str, String, String, &str)> = vec![
        ("nested", one_point(nested), words_from(&words, 100_000, 15), "covered"),
        (
            "nested-one-sentence",
            one_point(nested),
            words_from(&words, 100_000, 0),
            "covered",
        ),
        ("repeated", one_point(&repeated), "patronage ".repeat(20_000), "missing"),
        (
            "wide-gap",
            one_point(r#"{ phrase = "patronage jobs allies control", gap = 100000 }"#),
            "patronage jobs allies ".repeat(20_000),
            "missing",
        ),
        (
            "wide-unless",
            one_point(r#"{ phrase = "patronage", unless = ["allies jobs"], gap = 1000000 }"#),
            format!("{}jobs", "allies patronage ".repeat(150_000)),
            "missing",
        ),
    ];
    for (name, rubric_text, answer, want) in cases {
        let rubric_file = write(dir.path(), &format!("{name}.toml"), &rubric_text);
        let rubric_file = path_str(&rubric_file);
        rubric(&["lint", rubric_file], QUICK).code(0);
        let answer = write(dir.path(), &format!("{name}.txt"), &answer);
        // The full check (evidence and explanations), and marking (statuses alone).
        let run = check(rubric_file, &["--explain", path_str(&answer)], QUICK);
        run.code(0);
        assert_eq!(status(&run.reports()[0], "p"), want, "{name}");
        let csv = dir.path().join(format!("{name}.csv"));
        rubric(
            &["mark", "-r", rubric_file, path_str(&answer), "--csv", path_str(&csv)],
            QUICK,
        )
        .code(0);
        let marks = fs::read_to_string(&csv).expect("marks");
        assert!(marks.contains(want), "{name}: {marks}");
    }
}
