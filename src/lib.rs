//! rubric: feedback on written answers against a hand-written rubric.
//!
//! The pipeline follows the module tree: [`text`] reads an answer and splits it into normalised
//! words, [`lexicon`] holds a rubric's vocabulary (cue words, stems, misspellings, question
//! echo), [`scheme`] loads and compiles a rubric file into it, [`matcher`] finds each key
//! point, [`score`] turns findings into marks, [`eval`] tests rubrics and marks, [`report`]
//! renders results, and [`cli`] is the command line on top. Each imports only the ones before it.
pub mod batch;
pub mod cli;
pub mod eval;
pub mod lexicon;
pub mod lsp;
pub mod matcher;
pub mod project;
pub mod report;
pub mod scheme;
pub mod score;
pub mod serve;
pub mod text;
