//! What unit tests share (compiled for tests only): a tiny rubric, in `testing/roman.toml`,
//! and an answer that gives one point of each status (covered, partial, negated, missing).

/// The rubric: four points about the fall of the Roman Republic, 4 marks.
pub(crate) const RUBRIC: &str = include_str!("testing/roman.toml");

/// An answer that covers the first point, leaves one partial, negates one and misses one.
pub(crate) const ANSWER: &str =
    "The Republic fell.\nGenerals had private armies.\nThe Gracchi tried reform.\nSulla did not march on Rome.\n";
