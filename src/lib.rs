//! rubric: feedback on written answers against a hand-written rubric.
//!
//! The pipeline follows the module tree: [`text`] reads an answer and splits it into normalised
//! words, [`lexicon`] holds a rubric's vocabulary (cue words, stems, misspellings, question
//! echo), [`scheme`] loads and compiles a rubric file into it, [`matcher`] finds each key
//! point, [`score`] turns findings into marks, [`check::check`] does all of this for one
//! answer, [`batch`] marks folders and [`eval`] tests rubrics and marks, [`report`] renders
//! results, and [`cli`], [`serve`] and [`lsp`] are the applications on top. Each imports only
//! the ones before it.
pub mod app;
pub mod batch;
pub mod check;
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
#[cfg(test)]
mod testing;
pub mod text;
