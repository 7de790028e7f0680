//! rubric: feedback on written answers against a hand-written rubric.
//!
//! The pipeline follows the module tree: [`scheme`] loads and compiles a rubric file,
//! [`text`] reads an answer and splits it into normalised words, [`matcher`] finds each key
//! point, [`score`] turns findings into marks
//! ([`check::check`] does all of this for one answer), [`report`] renders them, and [`cli`] is the
//! command line on top.
pub mod app;
pub mod batch;
pub mod check;
pub mod cli;
pub mod eval;
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
