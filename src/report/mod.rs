//! Rendering checked answers: one output [`Format`], one [`Reporter`] interface; give each
//! answer as a [`Checked`] (its name, rubric, assessment and document, and the [`Bar`] it was
//! held to, if any).
//!
//! Inside, one file per output format:
//! - `human`: the terminal report for students and teachers;
//! - `json`: the stable, versioned machine format (schema in `docs/json-schema.md`);
//! - for `rubric mark` (`docs/mark.md`): `summary`, `csv`, `html`, `feedback`, each
//!   output file written by `atomic`; `crate::batch::own` recognises these files when they are found
//!   among answers;
//! - for CI and editors (`docs/ci.md`): `github`, `junit`, `sarif`, `line`, which all
//!   render a list of [`Checked`] answers (module `ci`);
//! - `progress`: what changed since an earlier check of the answer (`check --since`, the web
//!   page); `previous`: the saved `--format json` reports `--since` reads;
//! - `safe`: how student-facing output names a point not yet made (by number, never by label);
//! - `printable`: what makes rubric text, answer text and file names safe to print; `escape`:
//!   the escaper of HTML and XML.

pub(crate) mod atomic;
pub(crate) mod ci;
pub(crate) mod csv;
pub(crate) mod escape;
pub(crate) mod feedback;
#[cfg(test)]
pub(crate) mod fixture;
pub(crate) mod format;
pub(crate) mod github;
pub(crate) mod html;
pub(crate) mod human;
pub(crate) mod json;
pub(crate) mod junit;
pub(crate) mod line;
pub mod previous;
pub(crate) mod printable;
pub mod progress;
pub(crate) mod safe;
pub(crate) mod sarif;
pub(crate) mod summary;
pub(crate) mod why_not;

pub use ci::{Bar, Checked};
pub use format::{Format, Reporter};

/// What a report shows beyond the findings.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Show the model statements of points not covered.
    pub reveal: bool,
    /// Show why each point matched or not.
    pub explain: bool,
    /// `--format line`: list covered points too (by default only what is left to do).
    pub covered: bool,
}

/// Formats a score without useless decimals: `3`, `2.5`, `0.75`.
pub(crate) fn marks(x: f64) -> String {
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
