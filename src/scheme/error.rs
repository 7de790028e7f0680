//! Errors in rubric files, each with the file, line and column it concerns.

use std::fmt;

use crate::text::lines::LineIndex;

/// One problem found in a rubric file, located.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
    /// The offending line of the file, for display.
    pub source_line: String,
}

impl Diagnostic {
    /// Locates `message` at byte `offset` of the rubric `source`.
    pub fn at(path: &str, source: &str, lines: &LineIndex, offset: usize, message: impl Into<String>) -> Diagnostic {
        let (line, column) = lines.line_col(source, offset);
        let source_line = source.lines().nth(line.saturating_sub(1)).unwrap_or("").to_string();
        Diagnostic {
            path: path.to_string(),
            line,
            column,
            message: message.into(),
            source_line,
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: {}", self.path, self.line, self.column, self.message)?;
        if !self.source_line.is_empty() {
            let gutter = self.line.to_string().len();
            let caret_pad: String = self
                .source_line
                .chars()
                .take(self.column.saturating_sub(1))
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            write!(
                f,
                "\n{:gutter$} |\n{} | {}\n{:gutter$} | {}^",
                "", self.line, self.source_line, "", caret_pad
            )?;
        }
        Ok(())
    }
}

/// Why a rubric could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum RubricError {
    #[error("cannot read rubric {path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("{}", display_all(.0))]
    Invalid(Vec<Diagnostic>),
}

fn display_all(ds: &[Diagnostic]) -> String {
    let mut s = String::new();
    for (i, d) in ds.iter().enumerate() {
        if i > 0 {
            s.push_str("\nerror: ");
        }
        s.push_str(&d.to_string());
    }
    s
}

/// Reads one of a few words, or says which it expects.
pub(super) fn one_of<T: Copy>(value: &str, what: &str, choices: &[(&str, T)]) -> Result<T, String> {
    choices
        .iter()
        .find(|(name, _)| *name == value)
        .map(|&(_, v)| v)
        .ok_or_else(|| {
            let names: Vec<String> = choices.iter().map(|(n, _)| format!("\"{n}\"")).collect();
            format!("`{what}` is \"{value}\"; expected one of {}", names.join(", "))
        })
}
