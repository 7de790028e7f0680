//! What the report tests render (compiled for tests only): a tiny rubric and an answer that give
//! one point of each status.

use super::Format;
use super::ci::{Bar, Checked};
use crate::scheme::Rubric;
use crate::score::assess;
use crate::text::read::Format as TextFormat;
use crate::text::tokens::Document;

pub(crate) use crate::testing::{ANSWER, RUBRIC};

pub(crate) fn fixture() -> (Rubric, Document) {
    let rubric = Rubric::from_str(RUBRIC, "roman.toml").unwrap();
    let doc = Document::new(ANSWER.to_string(), TextFormat::Text, &rubric.language);
    (rubric, doc)
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
    let (rubric, doc) = fixture();
    let a = assess(&rubric, &doc, false);
    format.render(
        &[Checked::new(file, &rubric, &a, &doc).with_bar(bar)],
        Default::default(),
    )
}
