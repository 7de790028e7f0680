//! The human report, checked against the JSON report and the answer's own text.

use crate::common::*;

/// The text with all white space collapsed to single spaces, as quotes are shown.
fn collapsed(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn human_report_agrees_with_the_json_report() {
    for name in sample_answers() {
        // Markdown quotes are read without their markup: checked below.
        if name.ends_with(".md") {
            continue;
        }
        let file = format!("samples/stalin/{name}");
        let json = check_json(STALIN, &file, &[]);
        let human = run(&["check", "-r", STALIN, "--color", "never", &file]);
        human.code(0);
        let c = &json["counts"];
        let pct = (json["score"].as_f64().unwrap() / json["max"].as_f64().unwrap() * 100.0).round();
        let score_line = format!(
            "Score {} / {} ({pct}%): {} covered, {} partial, {} negated, {} missing\n",
            json["score"], json["max"], c["covered"], c["partial"], c["negated"], c["missing"]
        )
        .replace(".0 ", " ");
        human.stdout_has(&format!("{file}\n")).stdout_has(&score_line);
        let numbered = json["questions"]
            .as_array()
            .unwrap()
            .iter()
            .enumerate()
            .flat_map(|(qi, q)| {
                let points = q["points"].as_array().unwrap().iter().enumerate();
                points.map(move |(pi, p)| (format!("{}.{}", qi + 1, pi + 1), p))
            });
        for (number, p) in numbered {
            let status = p["status"].as_str().unwrap();
            let symbol = match status {
                "covered" => "✓",
                "partial" => "~",
                "negated" => "!",
                _ => "✗",
            };
            // Student-safe: a point by its number, with its label once made.
            if status == "covered" || status == "partial" {
                human.stdout_has(&format!("  {symbol} {number} {}", p["label"].as_str().unwrap()));
            } else {
                human.stdout_has(&format!("  {symbol} {number} "));
            }
            if let Some(hint) = p.get("hint") {
                human.stdout_has(hint.as_str().unwrap());
            }
        }
    }
}

#[test]
fn human_quotes_come_from_the_answer_and_are_cut_between_words() {
    let mut cut = 0;
    for name in sample_answers() {
        // Markdown quotes are read without their markup: checked below.
        if name.ends_with(".md") {
            continue;
        }
        let file = format!("samples/stalin/{name}");
        let text = collapsed(&std::fs::read_to_string(path(&file)).unwrap());
        let human = run(&["check", "-r", STALIN, "--color", "never", &file]);
        human.code(0);
        // Evidence lines read `      LINE:COLUMN "QUOTE"`.
        for line in human.stdout.lines() {
            let Some((place, quote)) = line.trim_start().split_once(" \"") else {
                continue;
            };
            if !place
                .split(':')
                .all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
            {
                continue;
            }
            let quote = quote.strip_suffix('"').expect("quote closed");
            let (pre, quote) = quote.strip_prefix('…').map_or((false, quote), |q| (true, q));
            let (post, quote) = quote.strip_suffix('…').map_or((false, quote), |q| (true, q));
            let at = text
                .find(quote)
                .unwrap_or_else(|| panic!("{file}: quote not in the answer: {quote:?}"));
            if pre {
                cut += 1;
                assert!(text[..at].ends_with(' '), "{file}: quote cut inside a word: {line}");
            }
            if post {
                cut += 1;
                assert!(
                    text[at + quote.len()..].starts_with(' '),
                    "{file}: quote cut inside a word: {line}"
                );
            }
        }
    }
    assert!(cut > 0, "some sample has sentences long enough to be cut");
}

#[test]
fn markdown_quotes_are_read_without_markup() {
    let human = run(&["check", "-r", STALIN, "--color", "never", "samples/stalin/markdown.md"]);
    human.code(0);
    let quotes: Vec<&str> = human
        .stdout
        .lines()
        .filter(|l| l.trim_start().contains(" \""))
        .collect();
    assert!(!quotes.is_empty());
    for q in quotes {
        assert!(!q.contains("**") && !q.contains("](") && !q.contains(" ."), "{q}");
    }
}
