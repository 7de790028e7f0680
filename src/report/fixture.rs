//! What the report tests render (compiled for tests only): a tiny rubric and an answer that give
//! one point of each status.

use super::Format;
use super::ci::{Bar, Checked};
use crate::scheme::Rubric;
use crate::score::assess;
use crate::text::read::Format as TextFormat;
use crate::text::tokens::Document;

/// A tiny rubric and answer that give one point of each status.
pub(crate) const RUBRIC: &str = r#"
title = "Why did the Roman Republic fall?"
[[question]]
id = "causes"
prompt = "What weakened the Republic?"
[[question.point]]
id = "armies"
label = "Private armies"
hint = "Whose soldiers were they?"
cues = ["private armies"]
[[question.point]]
id = "gracchi"
label = "The Gracchi, reform and violence"
hint = "What happened to the brothers who tried reform?"
cues = [{ all = ["gracchi", "murdered|killed"] }]
[[question.point]]
id = "sulla"
label = "Sulla's march on Rome"
hint = "Who first marched an army on Rome, 100% of it?"
cues = ["march on rome"]
[[question.point]]
id = "caesar"
label = "Caesar, dictator for life"
hint = "Who crossed the Rubicon,\nand what did he become?"
cues = ["dictator for life"]
"#;

pub(crate) const ANSWER: &str =
    "The Republic fell.\nGenerals had private armies.\nThe Gracchi tried reform.\nSulla did not march on Rome.\n";

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
