//! The answer formats rubric reads: ONE table, [`FORMATS`], that every part asks.
//!
//! Reading ([`read`](crate::text::read) picks a reader by it), the folder walk of `check` and
//! `mark` (which files are answers), the messages that name the supported types, the command
//! line help and the web page of `rubric serve` (given the list by `GET /api/rubrics`) all take
//! the extensions from here, so a format added to the table is read, found in folders and named
//! everywhere at once.
//!
//! Extensions are compared without regard to case. A file named on the command line with an
//! extension not in the table is still read, as plain text ([`Format::from_path`]); a folder walk
//! takes only the files the table names.

use std::fmt;
use std::path::Path;

/// How the answer is marked up, which decides what the matcher must ignore as syntax.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plain prose; hard line wraps are guessed from punctuation and capitals.
    Text,
    /// CommonMark/GitHub-flavoured Markdown; markup is blanked before matching.
    Markdown,
}

impl Format {
    /// Chooses the format from the file name, since that is all we know before reading; anything
    /// not clearly Markdown is read as plain text, which is the safe default.
    pub fn from_path(path: &Path) -> Format {
        match reader_of(path) {
            Some(Reader::Markdown) => Format::Markdown,
            _ => Format::Text,
        }
    }
}

/// How the files of a format are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    /// Decoded as text and checked as plain prose.
    Text,
    /// Decoded as text and checked as Markdown (markup blanked).
    Markdown,
    /// Decoded as text; the visible text is extracted ([`html`](crate::text::html)).
    Html,
    /// A word-processor document: unpacked and its text extracted
    /// ([`office`](crate::text::office)).
    Document(Kind),
    /// A PDF: its text layer extracted ([`pdf`](crate::text::pdf)).
    Pdf,
}

/// One answer format: what it is called, its extensions (lower case, without the dot; the
/// first is the usual one) and how it is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnswerFormat {
    /// What the format is called, for messages and documentation.
    pub name: &'static str,
    /// Its extensions, the usual one first.
    pub extensions: &'static [&'static str],
    /// How its files are read.
    pub reader: Reader,
}

/// Every answer format rubric reads, in the order messages list them.
pub const FORMATS: &[AnswerFormat] = &[
    AnswerFormat {
        name: "plain text",
        extensions: &["txt"],
        reader: Reader::Text,
    },
    AnswerFormat {
        name: "Markdown",
        extensions: &["md", "markdown", "mdown"],
        reader: Reader::Markdown,
    },
    AnswerFormat {
        name: "Word",
        extensions: &["docx"],
        reader: Reader::Document(Kind::Docx),
    },
    AnswerFormat {
        name: "OpenDocument text",
        extensions: &["odt"],
        reader: Reader::Document(Kind::Odt),
    },
    AnswerFormat {
        name: "web page (HTML)",
        extensions: &["html", "htm", "xhtml"],
        reader: Reader::Html,
    },
    AnswerFormat {
        name: "PDF",
        extensions: &["pdf"],
        reader: Reader::Pdf,
    },
];

/// The format a file name's extension names, if it is one of [`FORMATS`].
pub fn of_path(path: &Path) -> Option<&'static AnswerFormat> {
    let ext = path.extension()?.to_str()?;
    FORMATS
        .iter()
        .find(|f| f.extensions.iter().any(|x| x.eq_ignore_ascii_case(ext)))
}

/// How a file of this name is read, if its extension is one of [`FORMATS`].
pub fn reader_of(path: &Path) -> Option<Reader> {
    of_path(path).map(|f| f.reader)
}

/// Whether a file of this name is an answer: its extension is one of [`FORMATS`].
pub fn is_answer(path: &Path) -> bool {
    of_path(path).is_some()
}

/// Every extension of [`FORMATS`], in order, without the dot.
pub fn extensions() -> impl Iterator<Item = &'static str> {
    FORMATS.iter().flat_map(|f| f.extensions.iter().copied())
}

/// Every extension, with its dot, separated by commas, the last by `last`: `.txt, .md, ... or
/// .xhtml` with `last` `" or "`.
pub fn listed(last: &str) -> String {
    join(extensions(), last)
}

/// The usual extension of each format, with its dot, separated by commas: `.txt, .md, .docx,
/// .odt, .html, .pdf`, for short messages.
pub fn usual() -> String {
    join(FORMATS.iter().map(|f| f.extensions[0]), ", ")
}

fn join(exts: impl Iterator<Item = &'static str>, last: &str) -> String {
    let exts: Vec<&str> = exts.collect();
    let mut out = String::new();
    for (i, ext) in exts.iter().enumerate() {
        if i > 0 {
            out.push_str(if i + 1 == exts.len() { last } else { ", " });
        }
        out.push('.');
        out.push_str(ext);
    }
    out
}

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
        match reader_of(path)? {
            Reader::Document(kind) => Some(kind),
            _ => None,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_extension_names_one_format_and_is_lower_case() {
        let all: Vec<&str> = extensions().collect();
        for ext in &all {
            assert_eq!(all.iter().filter(|x| *x == ext).count(), 1, "{ext}");
            assert_eq!(*ext, ext.to_lowercase());
            assert!(!ext.starts_with('.'));
        }
        assert_eq!(
            all,
            [
                "txt", "md", "markdown", "mdown", "docx", "odt", "html", "htm", "xhtml", "pdf"
            ]
        );
    }

    #[test]
    fn files_are_told_by_their_extension_in_any_case() {
        let cases = [
            ("a.txt", Some(Reader::Text)),
            ("a.MD", Some(Reader::Markdown)),
            ("dir/a.mdown", Some(Reader::Markdown)),
            ("a.Markdown", Some(Reader::Markdown)),
            ("a.DOCX", Some(Reader::Document(Kind::Docx))),
            ("a.odt", Some(Reader::Document(Kind::Odt))),
            ("a.HTM", Some(Reader::Html)),
            ("a.xhtml", Some(Reader::Html)),
            ("a.pdf", Some(Reader::Pdf)),
            ("a.PDF", Some(Reader::Pdf)),
            ("a.pdf.txt", Some(Reader::Text)),
            ("a.doc", None),
            ("docx", None),
            ("html", None),
            ("a.md.txt", Some(Reader::Text)),
        ];
        for (path, reader) in cases {
            assert_eq!(reader_of(Path::new(path)), reader, "{path}");
            assert_eq!(is_answer(Path::new(path)), reader.is_some(), "{path}");
        }
        assert_eq!(Kind::from_path(Path::new("a.DOCX")), Some(Kind::Docx));
        assert_eq!(Kind::from_path(Path::new("a.html")), None);
    }

    #[test]
    fn lists_for_messages() {
        assert_eq!(
            listed(" or "),
            ".txt, .md, .markdown, .mdown, .docx, .odt, .html, .htm, .xhtml or .pdf"
        );
        assert_eq!(usual(), ".txt, .md, .docx, .odt, .html, .pdf");
    }
}
