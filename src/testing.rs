//! What unit tests share (compiled for tests only): a tiny rubric, in `testing/roman.toml`,
//! and an answer that gives one point of each status (covered, partial, negated, missing).

/// The rubric: four points about the fall of the Roman Republic, 4 marks.
pub(crate) const RUBRIC: &str = include_str!("testing/roman.toml");

/// An answer that covers the first point, leaves one partial, negates one and misses one.
pub(crate) const ANSWER: &str =
    "The Republic fell.\nGenerals had private armies.\nThe Gracchi tried reform.\nSulla did not march on Rome.\n";

/// A rubric's source with one question (`q`, asking `prompt`) of one point (`p`): `head` is
/// its top-level TOML (the title, settings, synonyms), `point` the point's own lines (cues,
/// partial, reveal ...).
pub(crate) fn one_point_src(head: &str, prompt: &str, point: &str) -> String {
    format!(
        "{head}\n[[question]]\nid = \"q\"\nprompt = \"{prompt}\"\n[[question.point]]\nid = \"p\"\nlabel = \"the point\"\nhint = \"a hint\"\n{point}\n"
    )
}

/// [`one_point_src`], loaded.
pub(crate) fn one_point(head: &str, prompt: &str, point: &str) -> crate::scheme::Rubric {
    let src = one_point_src(head, prompt, point);
    crate::scheme::Rubric::from_str(&src, "case.toml").unwrap_or_else(|e| panic!("{e}\n{src}"))
}

/// Three points on what you need to repeat an experiment (`eval`'s tests mark answers
/// against it).
pub(crate) const VINEGAR: &str = include_str!("testing/vinegar.toml");

/// Two questions: `sum` (points summed, capped at `max = 2.5`; one point with its own
/// `partial_marks`) and `banded` (marks by the number of points covered), under
/// `partial_credit = 0.25`.
pub(crate) const TSAR: &str = include_str!("testing/tsar.toml");
