//! Property tests: whatever bytes a student hands in, checking them against the seed rubric
//! never panics, reports evidence that points at the words it quotes, keeps every score within
//! its bounds, gives the same report twice, and prints JSON that parses. Adding an off-topic
//! paragraph never takes a covered point away.
//!
//! Inputs mix random bytes, random Unicode (combining marks, right-to-left text, emoji and
//! zero-width joiners, NUL, byte order marks) in UTF-8 or UTF-16, and sentences of the sample
//! answers recombined and mangled. The number of cases is kept small so that `cargo test` stays
//! fast; raise it with `PROPTEST_CASES=10000 cargo test --test properties`.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::OnceLock;

use proptest::prelude::*;
use proptest::test_runner::Config;
use rubric::internals::{assess, decode};
use rubric::report::Options;
use rubric::{Assessment, Document, Encoding, Format, Rubric, Status};

/// Cases per property unless `PROPTEST_CASES` says otherwise.
const DEFAULT_CASES: u32 = 96;

fn config() -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_CASES);
    Config {
        cases,
        // Shrinking a slow failure case can take long; the first failure is what matters.
        max_shrink_iters: 256,
        ..Config::default()
    }
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn rubric() -> &'static Rubric {
    static RUBRIC: OnceLock<Rubric> = OnceLock::new();
    RUBRIC.get_or_init(|| Rubric::load(&root().join("rubrics/stalin-rise.toml")).expect("the seed rubric compiles"))
}

/// The sentences of every sample answer (split at full stops and line ends).
fn sample_sentences() -> &'static [String] {
    static SENTENCES: OnceLock<Vec<String>> = OnceLock::new();
    SENTENCES.get_or_init(|| {
        let mut out = Vec::new();
        let dir = root().join("samples/stalin");
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .expect("samples/stalin")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "txt" || e == "md"))
            .collect();
        files.sort();
        for file in files {
            let text = std::fs::read_to_string(&file).expect("sample is UTF-8");
            for line in text.lines() {
                for sentence in line.split_inclusive(". ") {
                    let sentence = sentence.trim();
                    if !sentence.is_empty() {
                        out.push(sentence.to_string());
                    }
                }
            }
        }
        // Words glued to the next sentence's first word, whose capital is not ASCII (fuzzing
        // found that one of these ended a sentence inside the capital).
        out.extend(
            [
                "he was most importantÖwere sovnarkom",
                "the partyÉlite backed him",
                "his alliesŽivot",
            ]
            .map(String::from),
        );
        assert!(out.len() > 50, "too few sample sentences: {}", out.len());
        out
    })
}

/// Paragraphs about something else entirely: no cue words of the rubric, no negation or
/// clause words, no markup.
const OFF_TOPIC: &[&str] = &[
    "My favourite football team won the cup last weekend.",
    "The weather in Manchester was rainy again today.",
    "Photosynthesis turns sunlight into chemical energy in plants.",
    "I had toast and jam for breakfast before school.",
    "Volcanoes erupt when pressure builds up under the crust.",
    "Our class trip to the museum is on Thursday.",
    "Cats sleep for most of the day and hunt at night.",
    "The recipe calls for two eggs, flour and a pinch of salt.",
];

/// One character from the awkward corners of Unicode, or plain text around them.
fn awkward_char() -> impl Strategy<Value = char> {
    prop_oneof![
        6 => prop::sample::select(
            "abcdefghijklmnopqrstuvwxyz STALINPARTY .,;:!?'\"-()*_#[]`\n".chars().collect::<Vec<_>>()
        ),
        // Combining marks.
        2 => (0x300u32..0x370).prop_map(|c| char::from_u32(c).unwrap_or('a')),
        // Hebrew and Arabic letters, and the bidirectional controls.
        2 => prop_oneof![
            (0x5d0u32..0x5eb).prop_map(|c| char::from_u32(c).unwrap_or('a')),
            (0x627u32..0x64b).prop_map(|c| char::from_u32(c).unwrap_or('a')),
            prop::sample::select(vec!['\u{200e}', '\u{200f}', '\u{202a}', '\u{202b}', '\u{202e}', '\u{2066}', '\u{2069}']),
        ],
        // Emoji, skin tones, variation selectors and zero-width joiners.
        2 => prop_oneof![
            (0x1f600u32..0x1f650).prop_map(|c| char::from_u32(c).unwrap_or('a')),
            prop::sample::select(vec!['\u{200d}', '\u{fe0f}', '\u{1f3fb}', '\u{1f468}', '\u{1f469}', '\u{2764}']),
        ],
        // NUL, byte order marks, zero-width and odd spaces, line and paragraph separators.
        1 => prop::sample::select(vec![
            '\0', '\u{feff}', '\u{200b}', '\u{200c}', '\u{a0}', '\u{3000}', '\u{2028}', '\u{2029}', '\r', '\t', '\u{85}',
        ]),
        // Anything at all.
        1 => any::<char>(),
    ]
}

/// How text is turned into the bytes of a file.
#[derive(Debug, Clone, Copy)]
enum Encode {
    Utf8,
    Utf8Bom,
    Utf16Le { bom: bool },
    Utf16Be { bom: bool },
}

fn encode(text: &str, how: Encode) -> Vec<u8> {
    let utf16 = |big: bool, bom: bool| {
        let units = bom.then_some(0xfeffu16).into_iter().chain(text.encode_utf16());
        units
            .flat_map(|u| if big { u.to_be_bytes() } else { u.to_le_bytes() })
            .collect::<Vec<u8>>()
    };
    match how {
        Encode::Utf8 => text.as_bytes().to_vec(),
        Encode::Utf8Bom => [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
        Encode::Utf16Le { bom } => utf16(false, bom),
        Encode::Utf16Be { bom } => utf16(true, bom),
    }
}

fn encoding() -> impl Strategy<Value = Encode> {
    prop_oneof![
        6 => Just(Encode::Utf8),
        1 => Just(Encode::Utf8Bom),
        1 => any::<bool>().prop_map(|bom| Encode::Utf16Le { bom }),
        1 => any::<bool>().prop_map(|bom| Encode::Utf16Be { bom }),
    ]
}

/// Sample sentences recombined, with awkward characters sprinkled in now and then.
fn recombined() -> impl Strategy<Value = String> {
    let sentence = prop::sample::select(sample_sentences().to_vec());
    let separator = prop::sample::select(vec![" ", " ", "\n", "\n\n", "", "\r\n", "  "]);
    let noise = prop::collection::vec(awkward_char(), 0..3).prop_map(String::from_iter);
    prop::collection::vec((sentence, separator, prop::option::weighted(0.2, noise)), 1..16).prop_map(|parts| {
        let mut out = String::new();
        for (sentence, separator, noise) in parts {
            out.push_str(&sentence);
            if let Some(noise) = noise {
                out.push_str(&noise);
            }
            out.push_str(separator);
        }
        out
    })
}

/// The bytes of an answer file, and whether it is read as Markdown.
fn answer() -> impl Strategy<Value = (Vec<u8>, bool)> {
    let bytes = prop_oneof![
        2 => prop::collection::vec(any::<u8>(), 0..600),
        3 => (prop::collection::vec(awkward_char(), 0..400).prop_map(String::from_iter), encoding())
            .prop_map(|(text, how)| encode(&text, how)),
        5 => (recombined(), encoding()).prop_map(|(text, how)| encode(&text, how)),
    ];
    (bytes, any::<bool>())
}

/// An answer's text, from sample sentences, for properties that need points covered.
fn on_topic() -> impl Strategy<Value = (String, bool)> {
    (recombined(), any::<bool>())
}

fn format(markdown: bool) -> Format {
    if markdown { Format::Markdown } else { Format::Text }
}

/// Checks the invariants of one assessment of `doc`; `original` is the file's bytes when the
/// text is exactly them (UTF-8).
fn assert_sound(doc: &Document, a: &Assessment, original: Option<&[u8]>) -> Result<(), TestCaseError> {
    let r = rubric();
    let text = &doc.text;
    let within = |x: f64, max: f64| x.is_finite() && x >= 0.0 && x <= max + 1e-9;
    let mut previous_end = 0;
    for s in &doc.sentences {
        prop_assert!(
            previous_end <= s.start && s.start < s.end && s.end <= text.len(),
            "sentence {:?} after {}",
            s,
            previous_end
        );
        prop_assert!(
            text.is_char_boundary(s.start) && text.is_char_boundary(s.end),
            "sentence {:?}",
            s
        );
        previous_end = s.end;
    }
    prop_assert!(within(a.score, r.max), "total {} of {}", a.score, r.max);
    prop_assert!(within(a.max, r.max) && a.max == r.max);
    for q in &a.questions {
        let (id, max) = (&q.question.id, q.question.max);
        prop_assert!(within(q.score, max), "question {}: {} of {}", id, q.score, max);
        for p in &q.points {
            prop_assert!(within(p.marks, p.point.marks), "point {}: {}", p.point.id, p.marks);
            if p.finding.status == Status::Covered || p.finding.status == Status::Partial {
                prop_assert!(!p.finding.evidence.is_empty(), "point {} has no evidence", p.point.id);
            }
            for e in &p.finding.evidence {
                prop_assert!(
                    e.start <= e.end && e.end <= text.len(),
                    "evidence {}..{} in {} bytes",
                    e.start,
                    e.end,
                    text.len()
                );
                prop_assert!(text.is_char_boundary(e.start) && text.is_char_boundary(e.end));
                prop_assert!(e.line >= 1 && e.column >= 1);
                prop_assert_eq!(doc.line_col(e.start), (e.line, e.column));
                if let Some(bytes) = original {
                    prop_assert_eq!(&bytes[e.start..e.end], &text.as_bytes()[e.start..e.end]);
                }
                let mut rest = &text[e.start..e.end];
                for w in &e.words {
                    let at = rest.find(w.text.as_str());
                    prop_assert!(
                        at.is_some(),
                        "word {:?} not in order in {:?}",
                        w.text,
                        &text[e.start..e.end]
                    );
                    rest = &rest[at.unwrap_or(0) + w.text.len()..];
                }
            }
        }
    }
    Ok(())
}

/// `report` with the report's own styles (`ESC [ ... m`) taken out; fails on any other escape.
fn without_styles(report: &str) -> Result<String, TestCaseError> {
    let mut out = String::with_capacity(report.len());
    let mut rest = report;
    while let Some(at) = rest.find('\x1b') {
        out.push_str(&rest[..at]);
        let style = rest[at + 1..]
            .strip_prefix('[')
            .and_then(|s| s.find('m').map(|end| &s[..end]))
            .filter(|params| params.bytes().all(|b| b.is_ascii_digit() || b == b';'));
        let Some(params) = style else {
            return Err(TestCaseError::fail(format!(
                "an escape that is no style: {:?}",
                &rest[at..]
            )));
        };
        rest = &rest[at + 2 + params.len() + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// The human report of `a` says what the assessment says: the file and the title, the score
/// line with the counts of each status, every question in order, every point in rubric order
/// with its status symbol and id, one quote line per piece of evidence, and a closing line.
/// Answer text cannot add lines of its own or control characters (line feeds and tabs aside).
fn assert_human(report: &str, a: &Assessment) -> Result<(), TestCaseError> {
    let plain = without_styles(report)?;
    let stray = plain.chars().find(|&c| c.is_control() && c != '\n' && c != '\t');
    prop_assert!(stray.is_none(), "control character {:?} in\n{}", stray, plain);
    let lines: Vec<&str> = plain.lines().collect();
    prop_assert!(lines.len() >= 4, "{}", plain);
    prop_assert_eq!(lines[0], "answer.txt");
    prop_assert_eq!(lines[1], rubric().title.as_str());
    let [covered, partial, negated, missing] = a.counts();
    let pct = (a.fraction() * 100.0).round();
    prop_assert!(
        lines[2].starts_with("Score ")
            && lines[2].ends_with(&format!(
                "({pct}%): {covered} covered, {partial} partial, {negated} negated, {missing} missing"
            )),
        "{}",
        lines[2]
    );
    let questions: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| l.starts_with(|c: char| c.is_ascii_digit()))
        .collect();
    prop_assert_eq!(questions.len(), a.questions.len(), "{}", plain);
    for (i, (line, q)) in questions.iter().zip(&a.questions).enumerate() {
        prop_assert!(
            line.starts_with(&format!("{}. {}  ", i + 1, q.question.prompt)),
            "{}",
            line
        );
    }
    // A point's line is indented by two spaces; hints, quotes and traces by six or more.
    let points: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .collect();
    let outcomes: Vec<_> = a
        .questions
        .iter()
        .enumerate()
        .flat_map(|(qi, q)| {
            q.points
                .iter()
                .enumerate()
                .map(move |(pi, p)| (format!("{}.{}", qi + 1, pi + 1), p))
        })
        .collect();
    prop_assert_eq!(points.len(), outcomes.len(), "{}", plain);
    for (line, (number, p)) in points.iter().zip(&outcomes) {
        let symbol = match p.finding.status {
            Status::Covered => '✓',
            Status::Partial => '~',
            Status::Negated => '!',
            Status::Missing => '✗',
        };
        prop_assert!(
            // Student-safe: by number, the label only once made (docs/check.md).
            line.starts_with(&format!("  {symbol} {number}"))
                && !line.contains(&format!("[{}]", p.point.id))
                && (matches!(p.finding.status, Status::Missing | Status::Negated)
                    != line.contains(p.point.label.as_str())),
            "{:?} for {} ({:?})",
            line,
            p.point.id,
            p.finding.status
        );
    }
    // A quote: `      LINE:COLUMN "...`.
    let is_quote = |l: &str| {
        l.strip_prefix("      ")
            .and_then(|l| l.split_once(' '))
            .is_some_and(|(at, rest)| {
                rest.starts_with('"')
                    && at.split_once(':').is_some_and(|(line, col)| {
                        [line, col]
                            .iter()
                            .all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
                    })
            })
    };
    let evidence: usize = outcomes.iter().map(|(_, p)| p.finding.evidence.len()).sum();
    prop_assert_eq!(lines.iter().filter(|l| is_quote(l)).count(), evidence, "{}", plain);
    let closings = [
        "Every key point is there. Well done.",
        "None of the key points is there yet: start with the hints above.",
        "A good base: the hints above show what would make it complete.",
        "A start: work through the hints above, one question at a time.",
    ];
    prop_assert!(closings.contains(&lines[lines.len() - 1]), "{}", plain);
    Ok(())
}

fn json(doc: &Document, explain: bool) -> String {
    let a = assess(rubric(), doc, explain);
    rubric::internals::render_json(
        "answer.txt",
        rubric(),
        &a,
        Options {
            reveal: true,
            explain,
            covered: false,
        },
    )
}

fn covered(doc: &Document) -> BTreeSet<String> {
    assess(rubric(), doc, false)
        .points()
        .filter(|p| p.finding.status == Status::Covered)
        .map(|p| p.point.id.clone())
        .collect()
}

proptest! {
    #![proptest_config(config())]

    /// Any bytes: decoding fails cleanly or the check keeps every invariant, and the JSON parses.
    #[test]
    fn any_answer_is_checked_soundly((bytes, markdown) in answer(), explain in any::<bool>()) {
        let Ok((text, encoding)) = decode(&bytes, "answer.txt") else {
            return Ok(());
        };
        let original = (encoding == Encoding::Utf8).then_some(bytes.as_slice());
        let doc = Document::new(text, format(markdown), &rubric().language);
        let a = assess(rubric(), &doc, explain);
        assert_sound(&doc, &a, original)?;
        let line = rubric::internals::render_json("answer.txt", rubric(), &a, Options { reveal: true, explain, covered: false });
        let value: serde_json::Value = serde_json::from_str(&line).map_err(|e| TestCaseError::fail(format!("{e}: {line}")))?;
        prop_assert_eq!(value["schema"].as_str(), Some("rubric-check/1"));
        let human = rubric::internals::render_human("answer.txt", rubric(), &doc, &a, Options { reveal: true, explain, covered: false });
        assert_human(&human, &a)?;
    }

    /// The same answer twice gives the same report, byte for byte (whatever was cached by the
    /// first check).
    #[test]
    fn checking_is_deterministic((bytes, markdown) in answer(), explain in any::<bool>()) {
        let Ok((text, _)) = decode(&bytes, "answer.txt") else {
            return Ok(());
        };
        let first = json(&Document::new(text.clone(), format(markdown), &rubric().language), explain);
        let second = json(&Document::new(text, format(markdown), &rubric().language), explain);
        prop_assert_eq!(first, second);
    }

    /// An off-topic paragraph added at the end never takes a covered point away.
    #[test]
    fn off_topic_paragraph_keeps_covered_points(
        (text, markdown) in on_topic(),
        extra in prop::sample::select(OFF_TOPIC),
    ) {
        let before = covered(&Document::new(text.clone(), format(markdown), &rubric().language));
        let longer = format!("{}\n\n{extra}\n", text.trim_end());
        let after = covered(&Document::new(longer, format(markdown), &rubric().language));
        let lost: Vec<&String> = before.difference(&after).collect();
        prop_assert!(lost.is_empty(), "lost {:?} by adding {:?}", lost, extra);
    }

    /// Recombined sample sentences, mangled, in any encoding: the evidence still points at the
    /// words it quotes in the file's own bytes.
    #[test]
    fn evidence_points_into_the_file((text, markdown) in on_topic(), how in encoding()) {
        let bytes = encode(&text, how);
        let Ok((decoded, encoding)) = decode(&bytes, "answer.txt") else {
            return Ok(());
        };
        let original = (encoding == Encoding::Utf8).then_some(bytes.as_slice());
        let doc = Document::new(decoded, format(markdown), &rubric().language);
        let a = assess(rubric(), &doc, false);
        assert_sound(&doc, &a, original)?;
    }
}
