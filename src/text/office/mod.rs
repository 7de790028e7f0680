//! Reading word-processor answers: Word `.docx` (Office Open XML) and OpenDocument `.odt`.
//!
//! Both are zip archives of XML parts. The archive is opened in place (never read whole), only the
//! parts that hold the answer's words are unpacked, and each is streamed through an XML parser,
//! so a document full of photos costs no more than its text.
//!
//! # The text the matcher sees
//!
//! The result is plain text ([`Format::Text`](crate::text::read::Format::Text)), and evidence
//! offsets, lines and columns refer to it, not to the bytes of the file:
//!
//! - each paragraph, heading and list item is one block; blocks are separated by a blank line, so
//!   sentence segmentation never runs one paragraph into the next;
//! - a table row is one block: its cells in order, separated by a tab (the paragraphs inside a
//!   cell by a line break), so a row such as `General Secretary | kept files on every member`
//!   reads as one sentence;
//! - a line break inside a paragraph is a line feed, a tab is a tab, a non-breaking hyphen is `-`;
//!   symbols (`w:sym`), field codes, comments, and deleted or hidden text are left out; inserted
//!   (tracked) text is kept; smart quotes and other characters are kept as they are (the matcher
//!   normalises them);
//! - hidden text is what the word processor does not show: in a `.docx`, a run with `w:vanish`,
//!   or whose character, paragraph or table style hides it (its own `w:vanish`, or that of a
//!   style it is based on, however far up; the default styles and the document defaults too;
//!   see `DocxStyles`), unless the run itself says `w:vanish w:val="0"`, and of an
//!   `mc:AlternateContent`, all but the first choice whose namespaces Word understands (else the
//!   fallback: `UNDERSTOOD`); in an `.odt`, a section,
//!   field or header not displayed (`text:display="none"`, a section shown on a condition,
//!   `style:display="false"`), a paragraph with a `text:hidden-paragraph` field, `text:hidden-text`,
//!   and a paragraph, heading, span or link whose style (automatic or common, through its
//!   `style:parent-style-name` chain, or the default paragraph style) has `text:display="none"`
//!   in its text properties; of a `text:conditional-text`, the current value. Text coloured like
//!   the page or set in a tiny size is kept: it is a matter for the teacher's review, not the
//!   reader. Either way the reader notes it ([`Extracted::concealed`]): hidden text that is not
//!   blank, and in a `.docx` a run whose own properties make it white (`w:color` `FFFFFF`,
//!   without a `w:shd` fill or `w:highlight` behind it) or smaller than 4 pt (`w:sz` under 8
//!   half-points); `rubric mark` flags such an answer for review (`hidden-text`);
//! - the order is: the body, then footnotes, then endnotes, then headers, then footers. Headers
//!   and footers come last so that a name or class label repeated on every page never comes before
//!   the answer (and the answer's first line is line 1); a header or footer that repeats one
//!   already seen is left out.
//!
//! # What a damaged or hostile file can do
//!
//! Nothing unbounded, and every failure is a [`ReadError`] that names the file:
//!
//! - a file that is not a zip archive, a truncated one, or a damaged entry is
//!   [`ReadError::NotDocument`]; a password-protected `.docx` (an OLE compound file, like an old
//!   `.doc`) or an encrypted `.odt` is [`ReadError::Protected`];
//! - unpacking stops as soon as [`Limits::max_unzipped_bytes`] have been unpacked in total, or
//!   an entry larger than 1 MiB unpacks to more than 200 times its packed size (zip bombs), and an
//!   archive listing more than [`Limits::max_zip_entries`] entries is refused, all as
//!   [`ReadError::Unpack`]; sizes declared in the archive are checked first, but the bytes
//!   actually unpacked are what count, so a lying header does not help;
//! - XML that is not well formed (truncated, mismatched tags, stray text or control characters)
//!   is [`ReadError::BadXml`]: no partial text is returned;
//! - a part with a document type declaration (`<!DOCTYPE`) is refused as [`ReadError::BadXml`]
//!   before anything in it is used: word processors never write one (Office Open XML packages
//!   may not contain one), and it is how "billion laughs" and external-entity attacks begin.
//!   The DTD is never interpreted in any case (quick-xml does not expand entities or fetch
//!   anything), and a reference to an entity other than the five predefined ones is kept as it
//!   is written (`&name;`). Elements nested more than 512 deep are refused;
//! - the extracted text is held to [`Limits::max_bytes`] ([`ReadError::TooLarge`]).

mod blocks;
mod docx;
mod odt;
mod package;
#[cfg(test)]
mod tests;
mod xml;

use std::fs::File;
use std::io;
use std::path::Path;

use self::docx::docx_blocks;
use self::odt::odt_blocks;
use self::package::{Package, ReadSeek};
pub use crate::text::formats::Kind;
use crate::text::limits::{Limits, ReadError};

/// A document's text, and what its reader would not see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extracted {
    /// The text the matcher sees.
    pub text: String,
    /// The document holds text its reader does not see: hidden text (left out of `text`), or
    /// text kept but white or tiny (see the module documentation).
    pub concealed: bool,
}

/// Reads a `.docx` or `.odt` answer and returns the text the matcher sees (see the module
/// documentation for its layout). `name` is used in errors.
pub fn read_document(path: &Path, name: &str, kind: Kind, limits: &Limits) -> Result<Extracted, ReadError> {
    let file = File::open(path).map_err(|e| ReadError::Io {
        path: name.to_owned(),
        source: e,
    })?;
    extract(Box::new(file), name, kind, limits)
}

/// Like [`read_document`], for a document already in memory (no file involved).
pub fn read_document_bytes(bytes: &[u8], name: &str, kind: Kind, limits: &Limits) -> Result<Extracted, ReadError> {
    if bytes.len() as u64 > limits.max_bytes {
        return Err(too_large(name, bytes.len() as u64, limits));
    }
    extract(Box::new(io::Cursor::new(bytes.to_vec())), name, kind, limits)
}

fn extract(input: Box<dyn ReadSeek>, name: &str, kind: Kind, limits: &Limits) -> Result<Extracted, ReadError> {
    let mut package = Package::open(input, name, kind, limits)?;
    let (blocks, concealed) = match kind {
        Kind::Docx => docx_blocks(&mut package, limits)?,
        Kind::Odt => odt_blocks(&mut package, limits)?,
    };
    let text = blocks.join("\n\n");
    let size = text.len() as u64;
    if size > limits.max_bytes {
        return Err(too_large(name, size, limits));
    }
    Ok(Extracted { text, concealed })
}

fn too_large(name: &str, size: u64, limits: &Limits) -> ReadError {
    ReadError::TooLarge {
        path: name.to_owned(),
        size,
        limit: limits.max_bytes,
    }
}
