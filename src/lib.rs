//! rubric: feedback on written answers against a hand-written rubric.
pub mod text;
