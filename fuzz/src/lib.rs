//! What the fuzz targets share: the seed rubric, and the checks every assessment must pass
//! whatever the input (a failed check is a crash, which libFuzzer reports and saves).

use rubric::internals::assess;
use rubric::report::Options;
use rubric::{Assessment, Document, Rubric};

thread_local! {
    static STALIN: &'static Rubric = Box::leak(Box::new(
        Rubric::from_str(include_str!("../../rubrics/stalin-rise.toml"), "stalin-rise.toml")
            .expect("the seed rubric compiles"),
    ));
}

/// The seed rubric `rubrics/stalin-rise.toml`, compiled once per thread.
pub fn stalin() -> &'static Rubric {
    STALIN.with(|r| *r)
}

/// Checks `doc` against `rubric`, asserts the invariants and renders both reports.
/// Explanations (near misses) cost far more than the check itself, so targets ask for them on
/// a fraction of inputs only.
pub fn check(rubric: &Rubric, doc: &Document, explain: bool) {
    let a = assess(rubric, doc, explain);
    assert_invariants(rubric, doc, &a);
    let opts = Options { reveal: true, explain, covered: false };
    let json = rubric::internals::render_json("fuzz.txt", rubric, &a, opts);
    assert!(json.starts_with("{\"schema\""), "JSON report failed: {json}");
    let _ = rubric::internals::render_human("fuzz.txt", rubric, doc, &a, opts);
}

/// Scores within bounds; evidence offsets on character boundaries of the text, each matched
/// word found at its place.
pub fn assert_invariants(rubric: &Rubric, doc: &Document, a: &Assessment) {
    let within = |x: f64, max: f64| x.is_finite() && (0.0..=max + 1e-9).contains(&x);
    assert!(within(a.score, rubric.max), "total {} of {}", a.score, rubric.max);
    let text = &doc.text;
    for q in &a.questions {
        assert!(
            within(q.score, q.question.max),
            "question {} scores {} of {}",
            q.question.id,
            q.score,
            q.question.max
        );
        for p in &q.points {
            assert!(
                within(p.marks, p.point.marks),
                "point {} scores {}",
                p.point.id,
                p.marks
            );
            for e in &p.finding.evidence {
                assert!(
                    e.start <= e.end && e.end <= text.len(),
                    "evidence {}..{} of {}",
                    e.start,
                    e.end,
                    text.len()
                );
                assert!(text.is_char_boundary(e.start) && text.is_char_boundary(e.end));
                assert!(e.line >= 1 && e.column >= 1);
                let mut rest = &text[e.start..e.end];
                for w in &e.words {
                    let at = rest
                        .find(w.text.as_str())
                        .unwrap_or_else(|| panic!("word {:?} not in {:?}", w.text, &text[e.start..e.end]));
                    rest = &rest[at + w.text.len()..];
                }
            }
        }
    }
}
