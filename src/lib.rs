//! rubric: feedback on written answers against a hand-written rubric.
//!
//! The library's surface is small: load a [`Rubric`], read an answer into a [`Source`]
//! ([`read_path`], [`read_bytes`]), [`check`] it (a [`Checked`] answer: the [`Document`] as read
//! and its [`Assessment`]), and render it with a [`report::Reporter`] in a [`report::Format`].
//! [`run`] is the whole command-line program (`src/main.rs` calls only it).
//!
//! ```
//! use rubric::{Detail, Encoding, Format, Rubric, Source, Status, check, report};
//!
//! let rubric = Rubric::from_str(r#"
//! title = "Photosynthesis"
//! [[question]]
//! id = "q1"
//! prompt = "What do plants make from light?"
//! [[question.point]]
//! id = "sugar"
//! label = "Plants make sugar"
//! hint = "What do they make?"
//! cues = ["sugar", "glucose"]
//! "#, "plants.toml").unwrap();
//! let source = Source {
//!     name: "answer.txt".into(),
//!     text: "Plants turn light into glucose.".into(),
//!     format: Format::Text,
//!     encoding: Encoding::Utf8,
//! };
//! let name = source.name.clone();
//! let checked = check(&rubric, source, Detail::Evidence);
//! assert_eq!(checked.assessment.score, 1.0);
//! assert!(checked.assessment.points().all(|p| p.finding.status == Status::Covered));
//!
//! let answer = report::Checked::new(&name, &rubric, &checked.assessment, &checked.doc);
//! let json = report::Format::Json.render(&[answer], report::Options::default());
//! assert!(json.contains("\"sugar\""));
//! ```
//!
//! Inside, the pipeline follows the module tree: `text` reads an answer and splits it into
//! normalised words, `lexicon` holds a rubric's vocabulary (cue words, stems, misspellings,
//! question echo), `scheme` loads and compiles a rubric file into it, `matcher` finds each key
//! point, `score` turns findings into marks, `check` does all of this for one answer, `batch`
//! marks folders and `eval` tests rubrics and marks, `report` renders results, and `cli`,
//! `serve` and `lsp` are the applications on top. Each imports only the ones before it. None
//! of these modules is public but [`report`]; what they share with the outside is re-exported
//! here.
mod app;
mod batch;
mod check;
mod cli;
mod eval;
mod lexicon;
mod lsp;
mod matcher;
mod project;
pub mod report;
mod scheme;
mod score;
mod serve;
#[cfg(test)]
mod testing;
mod text;

// The rubric.
pub use scheme::{Diagnostic, Point, Question, Rounding, Rubric, RubricError, RubricLimits};
pub use text::lang::Language;
// Reading an answer.
pub use text::read::{Encoding, Format, Limits, ReadError, Source, read_bytes, read_path};
pub use text::tokens::Document;
// Checking it.
pub use check::{Checked, check, check_statuses};
pub use matcher::{Detail, Evidence, PointFinding, Status};
pub use score::{Assessment, Copied, PointOutcome, QuestionOutcome};
// The program.
pub use cli::run;

/// Internals that the crate's own benchmarks, examples, property tests and fuzz targets time or
/// exercise one stage at a time. **Not part of the API**: hidden from the docs, and free to
/// change or go in any release.
#[doc(hidden)]
pub mod internals {
    pub use crate::batch::dupes;
    pub use crate::eval::examples::run_example;
    pub use crate::eval::lint::lint;
    pub use crate::report::human::render as render_human;
    pub use crate::report::json::render as render_json;
    pub use crate::score::{Brief, assess, assess_with, statuses};
    pub use crate::text::markdown::matching_view;
    pub use crate::text::read::decode;
    pub use crate::text::tokens::words;
}
