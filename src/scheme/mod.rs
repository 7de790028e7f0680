//! The rubric: the file format (`model`), the cue language (`cue`), and the compiled form the
//! matcher uses (`compile`: cues into tries of [`crate::lexicon`] terms). Testing a rubric
//! (its examples, lint) runs the matcher, and lives above it in [`crate::eval`].
//!
//! ```
//! let rubric = rubric::Rubric::from_str(r#"
//! title = "Why did the Roman Republic fall?"
//! [[question]]
//! id = "causes"
//! prompt = "What weakened the Republic?"
//! [[question.point]]
//! id = "armies"
//! label = "Private armies"
//! hint = "Whose soldiers were they?"
//! cues = ["loyal to their general|generals", "private army|armies"]
//! "#, "inline.toml").unwrap();
//! assert_eq!(rubric.max, 1.0);
//! ```
pub mod compile;
pub mod cue;
pub mod error;
pub mod model;
mod required;
pub mod rounding;

pub(crate) use compile::collect_terms;
pub use compile::{Cue, CueNode, Example, ExampleSource, People, Phrase, Point, Question, Rubric, RubricLimits};
pub use error::{Diagnostic, RubricError};
pub use model::Scope;
pub use rounding::Rounding;
