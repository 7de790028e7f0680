//! What the report tests render (compiled for tests only): a tiny rubric and an answer that give
//! one point of each status.

use super::Format;
use super::ci::{Bar, Checked};
use crate::scheme::Rubric;
use crate::score::assess;
use crate::text::read::Format as TextFormat;
use crate::text::tokens::Document;

use crate::testing::{ANSWER, RUBRIC};

/// The answer checked against the rubric, and given to `f` under each name of `files`.
pub(crate) fn with_answers<R>(files: &[&str], f: impl FnOnce(&[Checked]) -> R) -> R {
    let rubric = Rubric::from_str(RUBRIC, "roman.toml").unwrap();
    let doc = Document::new(ANSWER.to_string(), TextFormat::Text, &rubric.language);
    let a = assess(&rubric, &doc, false);
    let answers: Vec<Checked> = files.iter().map(|file| Checked::new(file, &rubric, &a, &doc)).collect();
    f(&answers)
}

/// The bar of 50% the answer falls short of.
pub(crate) fn short_bar() -> Bar {
    Bar {
        shown: "50%".into(),
        met: false,
    }
}

/// The answer, named `file`, rendered in `format` (held to `bar` if given).
pub(crate) fn render(format: Format, file: &str, bar: Option<&Bar>) -> String {
    with_answers(&[file], |c| format.render(&[c[0].with_bar(bar)], Default::default()))
}
