//! Source text: a rubric that names a reading passage (`source = "article.txt"`) credits a
//! point made in the student's own words, not the same point copied from the passage, unless the
//! point allows quoting (`quote = true`). Pairs of answers that make the same claim, one copied
//! and one in the student's words, checked through the library's one check function at every
//! level of detail; and what the reports say of copied wording.
//!
//! The rubric and the passage are `tests/fixtures/source/` (a short article written for these
//! tests, and a rubric on it).

use std::path::Path;

use rubric::{Detail, Limits, Rubric, Status, check, read_bytes};

const RUBRIC: &str = "tests/fixtures/source/bees.toml";

/// (point, answer in the student's own words, the same claim copied from the article).
const PAIRS: &[(&str, &str, &str)] = &[
    (
        "mites",
        "A parasite called the varroa mite lives on the bees and spreads viruses.",
        "The varroa mite attaches itself to bees and feeds on their fat stores.",
    ),
    (
        "pesticides",
        "Farmers put neonicotinoids on their seeds, and these chemicals harm the bees.",
        "Farmers coat the seeds of crops such as maize and oilseed rape with these chemicals, so that \
         the whole plant becomes poisonous to insects that eat it.",
    ),
    (
        "hunger",
        "Big farms grow only one crop, so after it has flowered the bees go hungry.",
        "Hedgerows and wildflower meadows have been replaced by large fields of a single crop, which \
         flowers for only a few weeks each year.",
    ),
    (
        "lost",
        "The chemicals weaken the bees so they lose their sense of direction.",
        "The chemicals weaken the bees' sense of direction.",
    ),
    (
        "lost",
        "The bees get confused and cannot find their way home.",
        "it said the chemicals weakened the bees sense of direction so that foragers fail to find their way back",
    ),
    (
        "flowers",
        "Farmers can plant wildflowers along their fields.",
        "Farmers who plant strips of wildflowers along the edges of their fields give bees food for the \
         whole season.",
    ),
];

/// Answers that earn `point` whether or not they copy: a point that allows quoting, and a
/// quotation explained in the student's own words.
const QUOTED: &[(&str, &str)] = &[
    (
        "quote-crops",
        "Around three quarters of the world's food crops depend at least in part on animal pollinators.",
    ),
    ("quote-crops", "Bees pollinate three quarters of our crops."),
    (
        "lost",
        "The article says foragers fail to find their way back to the hive, which means the chemicals confuse them.",
    ),
];

fn rubric() -> Rubric {
    Rubric::load(Path::new(RUBRIC)).expect("the fixture rubric loads")
}

fn checked<'r>(rubric: &'r Rubric, text: &str, detail: Detail) -> rubric::Checked<'r> {
    let source = read_bytes(text.as_bytes(), "answer.txt", &Limits::default()).expect("answer reads");
    check(rubric, source, detail)
}

fn status(rubric: &Rubric, point: &str, text: &str, detail: Detail) -> Status {
    let c = checked(rubric, text, detail);
    let found = c.assessment.points().find(|p| p.point.id == point);
    found.unwrap_or_else(|| panic!("no point {point}")).finding.status
}

#[test]
fn own_words_earn_the_point_and_copied_words_do_not() {
    let rubric = rubric();
    let mut failures = Vec::new();
    for &(point, own, copied) in PAIRS {
        for detail in [Detail::Status, Detail::Evidence, Detail::Explain] {
            let yes = status(&rubric, point, own, detail);
            let no = status(&rubric, point, copied, detail);
            if yes != Status::Covered {
                failures.push(format!("{point} ({detail:?}) is {yes:?} in own words {own:?}"));
            }
            if no != Status::Missing {
                failures.push(format!("{point} ({detail:?}) is {no:?} in copied {copied:?}"));
            }
        }
    }
    for &(point, text) in QUOTED {
        for detail in [Detail::Status, Detail::Evidence, Detail::Explain] {
            let s = status(&rubric, point, text, detail);
            if s != Status::Covered {
                failures.push(format!("{point} ({detail:?}) is {s:?} in {text:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Without `source`, the copied answers earn their points: it is the passage that sets them
/// aside, not the words.
#[test]
fn without_the_source_the_copied_answers_count() {
    let text = std::fs::read_to_string(RUBRIC).expect("rubric");
    let without = text.replace("source = \"article.txt\"\n", "");
    assert_ne!(text, without);
    let rubric = Rubric::from_str(&without, RUBRIC).expect("compiles");
    for &(point, _, copied) in PAIRS {
        assert_eq!(
            status(&rubric, point, copied, Detail::Evidence),
            Status::Covered,
            "{copied}"
        );
    }
    // And no report of copying without a passage to copy from.
    assert_eq!(checked(&rubric, PAIRS[0].2, Detail::Evidence).assessment.copied, None);
}

#[test]
fn whole_answers_copied_and_in_own_words() {
    let rubric = rubric();
    let read = |name: &str| {
        let path = Path::new("tests/fixtures/source/answers").join(name);
        let source = rubric::read_path(&path, &Limits::default()).expect("answer reads");
        check(&rubric, source, Detail::Evidence)
    };
    let copied = read("copied.txt");
    let own = read("own.txt");
    // Only the quotation asked for earns a mark when the rest is copied.
    assert_eq!((copied.assessment.score, own.assessment.score), (1.0, 6.0));
    let c = copied.assessment.copied.expect("the rubric has a source");
    let o = own.assessment.copied.expect("the rubric has a source");
    // The copied answer is nearly all the article's wording (the list numbers are not); the
    // other copies only the quotation asked for (its 16 words).
    assert!(c.share() > 0.9, "{c:?}");
    assert_eq!(o.copied, 16, "{o:?}");
}

#[test]
fn explain_says_copied_from_the_source() {
    let rubric = rubric();
    let c = checked(&rubric, PAIRS[0].2, Detail::Explain);
    let mites = c.assessment.points().find(|p| p.point.id == "mites").expect("mites");
    let trace = &mites.finding.trace;
    assert!(
        trace
            .iter()
            .any(|t| t.result == "copied" && t.detail == "found only in text copied from the source"),
        "{trace:?}"
    );
}

#[test]
fn the_json_report_counts_the_copied_words() {
    let rubric = rubric();
    let c = checked(
        &rubric,
        "Bees are in trouble. The varroa mite attaches itself to bees.",
        Detail::Evidence,
    );
    let line = rubric::report::Format::Json.render(
        &[rubric::report::Checked::new("a.txt", &rubric, &c.assessment, &c.doc)],
        rubric::report::Options::default(),
    );
    let json: serde_json::Value = serde_json::from_str(line.trim()).expect("one JSON object");
    assert_eq!(
        json["source"],
        serde_json::json!({ "words": 11, "copied_words": 7, "copied_share": 0.636 })
    );
    // The keys every report has are still there, in the same form.
    assert_eq!(json["counts"]["missing"], 6);
    assert_eq!(json["schema"], "rubric-check/1");
}
