//! Rendering assessments: one file per output format, each behind one interface
//! ([`Format`] and [`Reporter`], in [`format`]).
//!
//! - [`human`]: the terminal report for students and teachers;
//! - [`json`]: the stable, versioned machine format (schema in `docs/json-schema.md`);
//! - for `rubric mark` (`docs/mark.md`): [`summary`], [`csv`], [`html`], [`feedback`], each
//!   output file written by [`atomic`]; `crate::batch::own` recognises these files when they are found
//!   among answers;
//! - for CI and editors (`docs/ci.md`): [`github`], [`junit`], [`sarif`], [`line`], which all
//!   render a list of [`ci::Checked`] answers;
//! - [`printable`]: what makes rubric text, answer text and file names safe to print; [`escape`]:
//!   the escaper of HTML and XML.

pub mod atomic;
pub mod ci;
pub mod csv;
pub mod escape;
pub mod feedback;
#[cfg(test)]
pub(crate) mod fixture;
pub mod format;
pub mod github;
pub mod html;
pub mod human;
pub mod json;
pub mod junit;
pub mod line;
pub mod printable;
pub mod sarif;
pub mod summary;

pub use format::{Format, Reporter};

/// What a report shows beyond the findings.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Show the model statements of points not covered.
    pub reveal: bool,
    /// Show why each point matched or not.
    pub explain: bool,
}

/// Formats a score without useless decimals: `3`, `2.5`, `0.75`.
pub fn marks(x: f64) -> String {
    let s = format!("{x:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".to_string() } else { s.to_string() }
}

#[cfg(test)]
mod tests {
    #[test]
    fn marks_drop_trailing_zeros() {
        assert_eq!(super::marks(3.0), "3");
        assert_eq!(super::marks(2.5), "2.5");
        assert_eq!(super::marks(0.126), "0.13");
        assert_eq!(super::marks(0.0), "0");
    }
}
