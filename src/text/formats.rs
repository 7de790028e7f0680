//! The answer formats rubric reads.

use std::fmt;
use std::path::Path;

/// Which word-processor format a file is, from its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Word `.docx` (Office Open XML).
    Docx,
    /// OpenDocument text `.odt` (LibreOffice, Google Docs export...).
    Odt,
}

impl Kind {
    /// `.docx` and `.odt` (any case); `None` for anything else.
    pub fn from_path(path: &Path) -> Option<Kind> {
        let ext = path.extension()?.to_str()?;
        if ext.eq_ignore_ascii_case("docx") {
            Some(Kind::Docx)
        } else if ext.eq_ignore_ascii_case("odt") {
            Some(Kind::Odt)
        } else {
            None
        }
    }

    /// The extension with its dot, for messages.
    pub fn extension(self) -> &'static str {
        match self {
            Kind::Docx => ".docx",
            Kind::Odt => ".odt",
        }
    }

    /// What a file of this kind is, for messages ("not a Word file").
    pub fn described(self) -> &'static str {
        match self {
            Kind::Docx => "a Word file",
            Kind::Odt => "an OpenDocument text file",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.extension())
    }
}
