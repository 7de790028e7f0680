//! What reading an answer may refuse, and why: the bounds on what is read ([`Limits`]) and the
//! errors every reader returns ([`ReadError`]). Below [`read`](crate::text::read) and the
//! readers it calls, which all share them.

use std::io;

use crate::text::formats::Kind;

/// Bounds on what we are willing to read, so a wrong argument (a disk image, a log file, an
/// endless pipe) fails fast instead of exhausting memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest answer accepted, in bytes: the size of the file (whatever its format), and for
    /// `.docx`, `.odt` and `.pdf` also the size of the extracted text.
    pub max_bytes: u64,
    /// Most bytes unpacked from a `.docx` or `.odt` in total (only its text parts are unpacked),
    /// or from the compressed streams of a `.pdf`; reading stops as soon as this is exceeded
    /// (zip and decompression bombs).
    pub max_unzipped_bytes: u64,
    /// Most entries the zip archive of a `.docx` or `.odt` may list.
    pub max_zip_entries: u64,
}

impl Limits {
    /// 16 MiB: far more than any written answer, far less than would hurt.
    pub const DEFAULT_MAX_BYTES: u64 = 16 * 1024 * 1024;
    /// 64 MiB: the XML of a 300-page document is a few MiB.
    pub const DEFAULT_MAX_UNZIPPED_BYTES: u64 = 64 * 1024 * 1024;
    /// 10,000: a document has a few dozen entries, a few hundred with many images.
    pub const DEFAULT_MAX_ZIP_ENTRIES: u64 = 10_000;
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: Limits::DEFAULT_MAX_BYTES,
            max_unzipped_bytes: Limits::DEFAULT_MAX_UNZIPPED_BYTES,
            max_zip_entries: Limits::DEFAULT_MAX_ZIP_ENTRIES,
        }
    }
}

/// Why an answer could not be read; every message names the file and says what to do.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The operating system refused (permissions, I/O error...).
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file's name.
        path: String,
        /// What the operating system said.
        #[source]
        source: io::Error,
    },
    /// The path names nothing.
    #[error("{path}: no such file")]
    NotFound {
        /// The file's name.
        path: String,
    },
    /// The path names a directory.
    #[error("{path}: is a directory, not a file; name the answer file inside it")]
    IsDir {
        /// The directory's name.
        path: String,
    },
    /// Nothing but whitespace: there is nothing to give feedback on.
    #[error("{path}: the answer is empty")]
    Empty {
        /// The file's name.
        path: String,
    },
    /// A NUL byte early on: most likely a word-processor document, PDF or image.
    #[error(
        "{path}: looks like a binary file, not text (found a NUL byte at byte {offset}); \
         save the answer as plain text or Markdown"
    )]
    Binary {
        /// The file's name.
        path: String,
        /// Byte offset of the first NUL byte.
        offset: usize,
    },
    /// Decoded, but too many of its first characters are control characters or undecodable
    /// bytes for it to be text (see `decode`): random or binary data without NUL bytes.
    #[error(
        "{path}: looks like a binary file, not text ({suspicious} of its first {examined} characters \
         are control characters or bytes that are not text in any encoding); save the answer as \
         plain text or Markdown"
    )]
    ControlCharacters {
        /// The file's name.
        path: String,
        /// Control characters and replacement characters among those examined.
        suspicious: usize,
        /// Characters examined (those of the first 64 KiB).
        examined: usize,
    },
    /// Larger than [`Limits::max_bytes`].
    #[error(
        "{path}: too large to check (at least {size} bytes; the limit is {limit} bytes); \
         raise the limit with --max-answer-bytes"
    )]
    TooLarge {
        /// The file's name.
        path: String,
        /// The size found; for a stream, only a lower bound (reading stops past the limit).
        size: u64,
        /// The limit in force.
        limit: u64,
    },
    /// No supported encoding fits the bytes. Kept for completeness: the Windows-1252
    /// fallback decodes every byte sequence, so `decode` does not currently return it.
    #[error("{path}:{line}:{column}: cannot decode the text as UTF-8, UTF-16 or Windows-1252")]
    Undecodable {
        /// The file's name.
        path: String,
        /// 1-based line of the first undecodable byte.
        line: usize,
        /// 1-based column of the first undecodable byte.
        column: usize,
    },
    /// A `.docx` or `.odt` that cannot be opened: not a zip archive, truncated, a damaged entry,
    /// or the part holding the text missing.
    #[error(
        "{path}: is not a valid {kind} (damaged or not {}): {detail}; open it in your word \
         processor and save it again, or save the answer as plain text",
        kind.described()
    )]
    NotDocument {
        /// The file's name.
        path: String,
        /// What the file's extension says it is.
        kind: Kind,
        /// What is wrong.
        detail: String,
    },
    /// A password-protected document (for `.docx`, an OLE compound file, which is also what an
    /// old `.doc` renamed looks like).
    #[error(
        "{path}: is password-protected, or an old-style .doc file rather than a {kind}; remove the \
         password (or save it as {kind}) and check again"
    )]
    Protected {
        /// The file's name.
        path: String,
        /// What the file's extension says it is.
        kind: Kind,
    },
    /// A part of a `.docx` or `.odt` is not well-formed XML, or has a document type declaration;
    /// no partial text is returned.
    #[error(
        "{path}: is damaged: its part {part} is not valid XML ({detail}); open it in your word \
         processor and save it again"
    )]
    BadXml {
        /// The file's name.
        path: String,
        /// The part of the archive, e.g. `word/document.xml`.
        part: String,
        /// What the parser found.
        detail: String,
    },
    /// A `.pdf` that cannot be read: not a PDF, truncated or damaged (see
    /// [`pdf`](crate::text::pdf)).
    #[error(
        "{path}: is not a valid PDF (damaged, or not a PDF file): {detail}; open it and print or \
         export it to PDF again, or save the answer as plain text"
    )]
    NotPdf {
        /// The file's name.
        path: String,
        /// What is wrong.
        detail: String,
    },
    /// A PDF with pages but no text on them: a scan or a photo, which only OCR can read.
    #[error(
        "{path}: scanned: no text to read ({pages} page{} of images, no text layer); OCR it first, \
         or ask for the answer as a document or text",
        if *pages == 1 { "" } else { "s" }
    )]
    Scanned {
        /// The file's name.
        path: String,
        /// Its pages.
        pages: usize,
    },
    /// An encrypted PDF that needs a password to open.
    #[error(
        "{path}: is password-protected (an encrypted PDF); remove the password (open it and print \
         it to a new PDF) and check again"
    )]
    PdfProtected {
        /// The file's name.
        path: String,
    },
    /// A PDF with more pages than [`pdf::MAX_PAGES`](crate::text::pdf::MAX_PAGES).
    #[error("{path}: has {pages} pages; a PDF answer may have at most {limit}; is this the right file?")]
    TooManyPages {
        /// The file's name.
        path: String,
        /// Its pages.
        pages: usize,
        /// The limit.
        limit: usize,
    },
    /// Reading a PDF took longer than [`pdf::DEADLINE`](crate::text::pdf::DEADLINE).
    #[error(
        "{path}: reading the PDF took more than {seconds} seconds, so it was given up; the file is \
         damaged or built to hang a reader; print it to a new PDF, or save the answer as plain text"
    )]
    PdfTimeout {
        /// The file's name.
        path: String,
        /// The time allowed.
        seconds: u64,
    },
    /// Unpacking a `.docx` or `.odt` would exceed [`Limits::max_unzipped_bytes`] or
    /// [`Limits::max_zip_entries`], or an entry is compressed implausibly well: a zip bomb, or a
    /// damaged file; or the compressed streams of a `.pdf` unpack to more than
    /// [`Limits::max_unzipped_bytes`].
    #[error(
        "{path}: refused to unpack: {detail}; no written answer is this large, so the file is \
         damaged or built to exhaust memory (a zip or decompression bomb)"
    )]
    Unpack {
        /// The file's name.
        path: String,
        /// Which limit, and where.
        detail: String,
    },
}
