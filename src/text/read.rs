//! Turning an answer file's bytes into text.
//!
//! Students hand in whatever their editor saved: UTF-8 with or without a byte order mark, UTF-16
//! from Windows tools, or legacy Windows-1252. We accept all of these rather than make the
//! student (or the teacher) convert files, and refuse only what is plainly not text.
//!
//! Word (`.docx`), OpenDocument (`.odt`) and HTML (`.html`, `.htm`) answers are read too: their
//! text is extracted (see [`office`] and [`html`]) and checked as plain text.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use crate::text::{html, office};

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
        let markdown = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|ext| ["md", "markdown", "mdown"].iter().any(|m| ext.eq_ignore_ascii_case(m)));
        if markdown { Format::Markdown } else { Format::Text }
    }
}

/// The encoding an answer was decoded from, so reports can say what was assumed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8, with or without a byte order mark.
    Utf8,
    /// UTF-16 little-endian, with or without a byte order mark.
    Utf16Le,
    /// UTF-16 big-endian, with or without a byte order mark.
    Utf16Be,
    /// The legacy Windows Western code page, the fallback for bytes that are not UTF-8.
    Windows1252,
}

impl Encoding {
    /// The usual name of the encoding, for messages.
    pub fn name(&self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf16Le => "UTF-16LE",
            Encoding::Utf16Be => "UTF-16BE",
            Encoding::Windows1252 => "Windows-1252",
        }
    }
}

/// One answer, decoded, with what is needed to report on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The name to show in messages: the path as given, or e.g. `<stdin>`.
    pub name: String,
    /// The decoded text. For UTF-8 input it is exactly the file's bytes (a byte order mark is
    /// kept), so byte offsets into it are byte offsets into the file. For `.docx`, `.odt` and
    /// HTML answers it is the extracted text (format [`Format::Text`]), and offsets, lines and
    /// columns refer to that text, not to the file.
    pub text: String,
    /// How to read the markup.
    pub format: Format,
    /// What the bytes were decoded from.
    pub encoding: Encoding,
}

/// Bounds on what we are willing to read, so a wrong argument (a disk image, a log file, an
/// endless pipe) fails fast instead of exhausting memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest answer accepted, in bytes: the size of the file (whatever its format), and for
    /// `.docx` and `.odt` also the size of the extracted text.
    pub max_bytes: u64,
    /// Most bytes unpacked from a `.docx` or `.odt` in total (only its text parts are unpacked);
    /// reading stops as soon as this is exceeded (zip bombs).
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
    /// bytes for it to be text (see [`decode`]): random or binary data without NUL bytes.
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
    /// fallback decodes every byte sequence, so [`decode`] does not currently return it.
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
        kind: office::Kind,
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
        kind: office::Kind,
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
    /// Unpacking a `.docx` or `.odt` would exceed [`Limits::max_unzipped_bytes`] or
    /// [`Limits::max_zip_entries`], or an entry is compressed implausibly well: a zip bomb, or a
    /// damaged file.
    #[error(
        "{path}: refused to unpack: {detail}; no written answer is this large, so the file is \
         damaged or built to exhaust memory (a zip bomb)"
    )]
    Unpack {
        /// The file's name.
        path: String,
        /// Which limit, and where.
        detail: String,
    },
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";
/// How far into the file a NUL byte makes it binary.
const BINARY_SNIFF: usize = 64 * 1024;
/// How much of the file the BOM-less UTF-16 heuristic looks at.
const UTF16_SNIFF: usize = 4 * 1024;
/// Decoded text is binary when at least this share (in thousandths) of the characters of its
/// first [`BINARY_SNIFF`] bytes are suspicious ([`is_suspicious`]) ...
const BINARY_PER_MILLE: usize = 50;
/// ... and there are at least this many of them, so that a short answer with a stray control
/// character is still read. Random bytes without a NUL decode (as Windows-1252) to about 13%
/// suspicious characters; the samples, the test fixtures and the 8,182 answers of the ASAP-SAS
/// training set have none at all (`every_real_answer_is_still_read` in tests/adversarial keeps
/// the shipped ones readable).
const BINARY_MIN_SUSPICIOUS: usize = 4;

/// Decodes an answer's bytes, guessing the encoding the way a tolerant editor would, so that any
/// reasonable text file can be checked; `name` is only used in errors.
///
/// In order: a UTF-16 byte order mark wins (unpaired surrogates become U+FFFD); BOM-less UTF-16 is
/// recognised when at least 40% of the even or odd bytes of the first 4 KiB are NUL, the length
/// is even and the whole decodes cleanly; otherwise a NUL byte in the first 64 KiB means a binary
/// file; valid UTF-8 is kept byte for byte (including a UTF-8 BOM, so offsets match the file);
/// UTF-8 that starts with a BOM but is invalid later is decoded lossily (the BOM says UTF-8);
/// anything else is Windows-1252. Text that is empty or only whitespace (or a lone BOM) is
/// [`ReadError::Empty`].
///
/// Decoded text whose first 64 KiB are at least 5% control characters (other than white space:
/// tab, line feed, vertical tab, form feed, carriage return) or replacement characters for bytes
/// that could not be decoded, and at least 4 of them, is [`ReadError::ControlCharacters`]: random
/// or binary data with no NUL byte, which Windows-1252 would otherwise decode to a soup of
/// symbols marked 0.
pub fn decode(bytes: &[u8], name: &str) -> Result<(String, Encoding), ReadError> {
    let (text, encoding) = decode_any(bytes, name)?;
    if let Some((suspicious, examined)) = looks_binary(&text) {
        return Err(ReadError::ControlCharacters {
            path: name.to_owned(),
            suspicious,
            examined,
        });
    }
    if is_blank(&text) {
        return Err(ReadError::Empty { path: name.to_owned() });
    }
    Ok((text, encoding))
}

/// A character no text has many of: a control character that is not white space (C0 but tab,
/// line feed, vertical tab, form feed and carriage return; DEL; C1 but next line), or the
/// replacement character that stands for bytes that could not be decoded.
fn is_suspicious(c: char) -> bool {
    (c.is_control() && !c.is_whitespace()) || c == char::REPLACEMENT_CHARACTER
}

/// The suspicious and examined characters of the start of `text`, when it looks binary (see
/// [`decode`]). Most texts have no byte that could begin a suspicious character, which one pass
/// over the bytes (with no branch per byte) settles; the characters are looked at only otherwise.
fn looks_binary(text: &str) -> Option<(usize, usize)> {
    let mut end = text.len().min(BINARY_SNIFF);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let head = &text[..end];
    // Upper bound: ASCII controls but white space (below 0x09, and 0x0E to 0x1F), DEL, and the
    // lead bytes of C1 controls (0xC2) and of U+FFFD (0xEF). Counted in bytes, 255 at a time, so
    // that the compiler counts many at once (3 GB/s: 20 ms for a batch of 100,000 answers).
    let rough: usize = head
        .as_bytes()
        .chunks(255)
        .map(|chunk| {
            let count: u8 = chunk
                .iter()
                .map(|&b| {
                    u8::from((b < 0x09) | (b.wrapping_sub(0x0e) < 0x12) | (b == 0x7f) | (b == 0xc2) | (b == 0xef))
                })
                .sum();
            usize::from(count)
        })
        .sum();
    if rough < BINARY_MIN_SUSPICIOUS {
        return None;
    }
    let (suspicious, examined) = head
        .chars()
        .fold((0, 0), |(s, n), c| (s + usize::from(is_suspicious(c)), n + 1));
    (suspicious >= BINARY_MIN_SUSPICIOUS && suspicious * 1000 >= examined * BINARY_PER_MILLE)
        .then_some((suspicious, examined))
}

/// Nothing but white space, byte order marks and zero-width spaces: nothing to give feedback on.
fn is_blank(text: &str) -> bool {
    text.chars()
        .all(|c| c.is_whitespace() || matches!(c, '\u{feff}' | '\u{200b}'))
}

fn decode_any(bytes: &[u8], name: &str) -> Result<(String, Encoding), ReadError> {
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return Ok((utf16_lossy(rest, Encoding::Utf16Le), Encoding::Utf16Le));
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return Ok((utf16_lossy(rest, Encoding::Utf16Be), Encoding::Utf16Be));
    }
    // Both sniffs look for NUL bytes near the start: most texts have none (one memchr says so).
    let nul_ahead = bytes[..bytes.len().min(UTF16_SNIFF.max(BINARY_SNIFF))].contains(&0);
    if nul_ahead
        && let Some(encoding) = sniff_utf16(bytes)
        && let Some(text) = utf16_strict(bytes, encoding)
    {
        return Ok((text, encoding));
    }
    if nul_ahead && let Some(offset) = bytes.iter().take(BINARY_SNIFF).position(|&b| b == 0) {
        return Err(ReadError::Binary {
            path: name.to_owned(),
            offset,
        });
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok((text.to_owned(), Encoding::Utf8)),
        Err(_) if bytes.starts_with(UTF8_BOM) => Ok((String::from_utf8_lossy(bytes).into_owned(), Encoding::Utf8)),
        Err(_) => Ok((windows_1252(bytes), Encoding::Windows1252)),
    }
}

fn utf16_units(bytes: &[u8], encoding: Encoding) -> impl Iterator<Item = u16> + '_ {
    bytes.chunks_exact(2).map(move |pair| {
        let pair = [pair[0], pair[1]];
        if encoding == Encoding::Utf16Be {
            u16::from_be_bytes(pair)
        } else {
            u16::from_le_bytes(pair)
        }
    })
}

fn utf16_lossy(bytes: &[u8], encoding: Encoding) -> String {
    let mut text: String = char::decode_utf16(utf16_units(bytes, encoding))
        .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect();
    if !bytes.len().is_multiple_of(2) {
        text.push(char::REPLACEMENT_CHARACTER);
    }
    text
}

/// Which UTF-16 byte order BOM-less bytes look like, if any: ASCII-range text in UTF-16 has a NUL
/// in every other byte (odd positions for little-endian, even for big-endian).
fn sniff_utf16(bytes: &[u8]) -> Option<Encoding> {
    if bytes.len() < 2 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let head = &bytes[..bytes.len().min(UTF16_SNIFF)];
    let pairs = head.len() / 2;
    let even = head.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd = head.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    let enough = |n: usize| n * 10 >= pairs * 4;
    if enough(odd) && odd > even {
        Some(Encoding::Utf16Le)
    } else if enough(even) && even > odd {
        Some(Encoding::Utf16Be)
    } else {
        None
    }
}

/// Decodes BOM-less UTF-16 only if the result is plausible text: no unpaired surrogates, no NUL
/// and no control characters other than tab, line feed, form feed and carriage return. This keeps
/// binary files with many zero bytes from being read as CJK soup.
fn utf16_strict(bytes: &[u8], encoding: Encoding) -> Option<String> {
    let mut text = String::with_capacity(bytes.len() / 2);
    for unit in char::decode_utf16(utf16_units(bytes, encoding)) {
        let c = unit.ok()?;
        if c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{c}') {
            return None;
        }
        text.push(c);
    }
    Some(text)
}

/// Windows-1252 for 0x80..=0x9F. The five bytes the code page leaves undefined (0x81, 0x8D, 0x8F,
/// 0x90, 0x9D) map to the C1 control with the same value, as browsers (WHATWG) do, so decoding
/// never fails and never loses a byte.
pub(crate) const CP1252_HIGH: [char; 32] = [
    '\u{20ac}', '\u{0081}', '\u{201a}', '\u{0192}', '\u{201e}', '\u{2026}', '\u{2020}', '\u{2021}', '\u{02c6}',
    '\u{2030}', '\u{0160}', '\u{2039}', '\u{0152}', '\u{008d}', '\u{017d}', '\u{008f}', '\u{0090}', '\u{2018}',
    '\u{2019}', '\u{201c}', '\u{201d}', '\u{2022}', '\u{2013}', '\u{2014}', '\u{02dc}', '\u{2122}', '\u{0161}',
    '\u{203a}', '\u{0153}', '\u{009d}', '\u{017e}', '\u{0178}',
];

fn windows_1252(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| match b {
            0x80..=0x9f => CP1252_HIGH[usize::from(b - 0x80)],
            _ => char::from(b),
        })
        .collect()
}

fn io_error(path: &str, error: io::Error) -> ReadError {
    match error.kind() {
        io::ErrorKind::NotFound => ReadError::NotFound { path: path.to_owned() },
        io::ErrorKind::IsADirectory => ReadError::IsDir { path: path.to_owned() },
        _ => ReadError::Io {
            path: path.to_owned(),
            source: error,
        },
    }
}

/// Reads at most one byte past the limit, so that neither a huge file nor an endless stream can
/// exhaust memory, and a file that grew after it was measured is still caught.
fn read_limited(reader: impl Read, name: &str, limits: &Limits) -> Result<Vec<u8>, ReadError> {
    let mut bytes = Vec::new();
    read_into(reader, &mut bytes, name, limits)?;
    Ok(bytes)
}

/// Appends at most one byte past the limit to `bytes` ([`read_limited`]).
fn read_into(reader: impl Read, bytes: &mut Vec<u8>, name: &str, limits: &Limits) -> Result<(), ReadError> {
    reader
        .take(limits.max_bytes.saturating_add(1))
        .read_to_end(bytes)
        .map_err(|e| io_error(name, e))?;
    let size = bytes.len() as u64;
    if size > limits.max_bytes {
        return Err(ReadError::TooLarge {
            path: name.to_owned(),
            size,
            limit: limits.max_bytes,
        });
    }
    Ok(())
}

/// Reads a text file and decodes it, through a buffer kept by the thread between files (the
/// decoded text is a copy anyway): no size is asked for first (a system call fewer per file, and
/// a batch reads 100,000) and no buffer is allocated per file. A folder fails as it is read.
/// When the file is too large, its size is asked for then, to be reported.
fn read_text_file(file: &File, name: &str, limits: &Limits) -> Result<(String, Encoding), ReadError> {
    /// A buffer larger than this after a file is given back rather than kept.
    const KEEP: usize = 1 << 20;
    thread_local! {
        static BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    let read = |bytes: &mut Vec<u8>| {
        bytes.clear();
        if bytes.capacity() < 8192 {
            bytes.reserve(8192);
        }
        let read = read_into(file, bytes, name, limits).and_then(|()| decode(bytes, name));
        if bytes.capacity() > KEEP {
            *bytes = Vec::new();
        }
        match read {
            Err(ReadError::TooLarge { path, size, limit }) => Err(ReadError::TooLarge {
                path,
                size: file.metadata().map_or(size, |m| m.len().max(size)),
                limit,
            }),
            other => other,
        }
    };
    BUFFER.with(|cell| match cell.try_borrow_mut() {
        Ok(mut bytes) => read(&mut bytes),
        Err(_) => read(&mut Vec::new()),
    })
}

/// A path as text, as `path.display()` shows it; without the formatting machinery for the
/// usual path that is valid UTF-8 (a batch shows 100,000 of them).
pub fn path_text(path: &Path) -> String {
    match path.to_str() {
        Some(s) => s.to_owned(),
        None => path.display().to_string(),
    }
}

/// Reads and decodes an answer file, failing with a message a student can act on. The size is
/// checked while reading (at most one byte past the limit is read), and for `.docx` and `.odt`
/// files from the metadata first.
///
/// `.docx` and `.odt` files (by extension, any case) are unpacked within [`Limits`] and their
/// text extracted; `.html`, `.htm` and `.xhtml` files are decoded like text and their visible
/// text extracted. Either way the [`Source`] holds the extracted text as [`Format::Text`], and
/// evidence offsets refer to that text.
pub fn read_path(path: &Path, limits: &Limits) -> Result<Source, ReadError> {
    let name = path_text(path);
    // Opened first, then asked for its size: one lookup of the path per file, not two (a batch
    // reads 100,000 files).
    let file = File::open(path).map_err(|e| io_error(&name, e))?;
    if let Some(kind) = office::Kind::from_path(path) {
        let metadata = file.metadata().map_err(|e| io_error(&name, e))?;
        if metadata.is_dir() {
            return Err(ReadError::IsDir { path: name });
        }
        if metadata.len() > limits.max_bytes {
            return Err(ReadError::TooLarge {
                path: name,
                size: metadata.len(),
                limit: limits.max_bytes,
            });
        }
        drop(file);
        let text = office::read_document(path, &name, kind, limits)?;
        return extracted(name, text, Encoding::Utf8);
    }
    let (text, encoding) = read_text_file(&file, &name, limits)?;
    if html::is_html_path(path) {
        return extracted(name, html::visible_text(&text), encoding);
    }
    Ok(Source {
        name,
        text,
        format: Format::from_path(path),
        encoding,
    })
}

/// Reads an answer already in memory as [`read_path`] reads a file: `name` (with its extension)
/// decides the format, whatever it is (`.docx`, `.odt`, `.html`, `.md`, anything else as text).
/// For tests and fuzzing, and for callers that get answers from elsewhere than files.
pub fn read_bytes(bytes: &[u8], name: &str, limits: &Limits) -> Result<Source, ReadError> {
    let path = Path::new(name);
    if bytes.len() as u64 > limits.max_bytes {
        return Err(ReadError::TooLarge {
            path: name.to_owned(),
            size: bytes.len() as u64,
            limit: limits.max_bytes,
        });
    }
    if let Some(kind) = office::Kind::from_path(path) {
        let text = office::read_document_bytes(bytes, name, kind, limits)?;
        return extracted(name.to_owned(), text, Encoding::Utf8);
    }
    let (text, encoding) = decode(bytes, name)?;
    if html::is_html_path(path) {
        return extracted(name.to_owned(), html::visible_text(&text), encoding);
    }
    Ok(Source {
        name: name.to_owned(),
        text,
        format: Format::from_path(path),
        encoding,
    })
}

/// An answer whose text was extracted from a document: plain text, unless there is none.
fn extracted(name: String, text: String, encoding: Encoding) -> Result<Source, ReadError> {
    if is_blank(&text) {
        return Err(ReadError::Empty { path: name });
    }
    Ok(Source {
        name,
        text,
        format: Format::Text,
        encoding,
    })
}

/// Reads and decodes an answer from a stream such as standard input, where there is no file
/// name to take the format from and no size to check up front.
pub fn read_reader(reader: impl Read, name: &str, format: Format, limits: &Limits) -> Result<Source, ReadError> {
    let bytes = read_limited(reader, name, limits)?;
    let (text, encoding) = decode(&bytes, name)?;
    Ok(Source {
        name: name.to_owned(),
        text,
        format,
        encoding,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_read_as_display_shows_them() {
        for p in ["answers/amy.txt", "Ünïcødé/essay.docx", "", "/a b/c"] {
            assert_eq!(path_text(Path::new(p)), Path::new(p).display().to_string());
        }
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            let odd = Path::new(std::ffi::OsStr::from_bytes(b"a\xffb.txt"));
            assert_eq!(path_text(odd), odd.display().to_string());
            assert!(path_text(odd).contains('\u{FFFD}'));
        }
    }

    fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
        let mut out = Vec::new();
        let units = bom.then_some(0xfeff_u16).into_iter().chain(text.encode_utf16());
        for unit in units {
            if big_endian {
                out.extend_from_slice(&unit.to_be_bytes());
            } else {
                out.extend_from_slice(&unit.to_le_bytes());
            }
        }
        out
    }

    #[test]
    fn decodes_each_encoding() {
        let cases: Vec<(Vec<u8>, &str, Encoding)> = vec![
            (b"plain answer\n".to_vec(), "plain answer\n", Encoding::Utf8),
            ("caf\u{e9} \u{1f600}".as_bytes().to_vec(), "café 😀", Encoding::Utf8),
            (b"\xEF\xBB\xBFwith bom".to_vec(), "\u{feff}with bom", Encoding::Utf8),
            (
                utf16("Zoë said hi\r\n", false, true),
                "Zoë said hi\r\n",
                Encoding::Utf16Le,
            ),
            (utf16("Zoë said hi", true, true), "Zoë said hi", Encoding::Utf16Be),
            (
                utf16("no bom here, é", false, false),
                "no bom here, é",
                Encoding::Utf16Le,
            ),
            (
                utf16("no bom here, é", true, false),
                "no bom here, é",
                Encoding::Utf16Be,
            ),
            (
                b"caf\xe9 \x93quoted\x94".to_vec(),
                "café “quoted”",
                Encoding::Windows1252,
            ),
            (
                b"\x80 \x85 \x96 \x97 \x99 \x81".to_vec(),
                "€ … – — ™ \u{81}",
                Encoding::Windows1252,
            ),
            (b"\xEF\xBB\xBFok \xff".to_vec(), "\u{feff}ok \u{fffd}", Encoding::Utf8),
        ];
        for (bytes, text, encoding) in cases {
            let decoded = decode(&bytes, "a.txt");
            assert!(
                matches!(&decoded, Ok((t, e)) if t == text && *e == encoding),
                "{text:?}: {decoded:?}"
            );
        }
    }

    #[test]
    fn utf8_bytes_are_kept_exactly() {
        let bytes = "\u{feff}# Title\r\n\r\nA caf\u{e9}\u{301}.".as_bytes();
        let (text, _) = decode(bytes, "a.md").expect("decodes");
        assert_eq!(text.as_bytes(), bytes);
    }

    #[test]
    fn unpaired_surrogate_with_bom_is_replaced() {
        let bytes = [0xff, 0xfe, b'a', 0, 0x00, 0xd8, b'b', 0, b'c'];
        let (text, encoding) = decode(&bytes, "a.txt").expect("decodes");
        assert_eq!(encoding, Encoding::Utf16Le);
        assert_eq!(text, "a\u{fffd}b\u{fffd}");
    }

    #[test]
    fn binary_reports_the_nul_offset() {
        let err = decode(b"PK\x03\x04 some zip\x00 data", "essay.docx").expect_err("binary");
        assert!(matches!(err, ReadError::Binary { offset: 13, .. }), "{err:?}");
        let message = err.to_string();
        assert!(message.contains("essay.docx"), "{message}");
        assert!(message.contains("byte 13"), "{message}");
    }

    #[test]
    fn nul_heavy_binary_is_not_utf16() {
        // Little-endian 32-bit integers: lots of NULs at both parities.
        let bytes: Vec<u8> = (1u32..200).flat_map(u32::to_le_bytes).collect();
        assert!(matches!(decode(&bytes, "x"), Err(ReadError::Binary { .. })));
        // Odd length with NULs: not UTF-16 either.
        assert!(matches!(
            decode(b"a\0b\0c", "x"),
            Err(ReadError::Binary { offset: 1, .. })
        ));
    }

    /// `len` pseudo-random bytes with no NUL.
    fn random_bytes(len: usize, mut seed: u64) -> Vec<u8> {
        (0..len)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                u8::try_from(1 + seed % 255).expect("a byte")
            })
            .collect()
    }

    #[test]
    fn random_bytes_without_nul_are_binary() {
        for (len, seed) in [(100, 1), (300, 2), (4096, 3), (100_000, 4), (1 << 20, 5)] {
            let bytes = random_bytes(len, seed);
            assert!(!bytes.contains(&0));
            let err = decode(&bytes, "noise.txt").expect_err("binary");
            assert!(matches!(err, ReadError::ControlCharacters { .. }), "{len}: {err:?}");
            let message = err.to_string();
            assert!(message.starts_with("noise.txt: looks like a binary file"), "{message}");
            // Behind a UTF-8 byte order mark, the bytes that do not decode count instead.
            let mut bommed = UTF8_BOM.to_vec();
            bommed.extend_from_slice(&bytes);
            assert!(
                matches!(decode(&bommed, "x"), Err(ReadError::ControlCharacters { .. })),
                "{len}"
            );
        }
        // Only the start is examined.
        let mut bytes = vec![b'a'; BINARY_SNIFF];
        bytes.extend(random_bytes(BINARY_SNIFF, 6));
        assert!(decode(&bytes, "x").is_ok());
    }

    #[test]
    fn every_control_character_counts_and_nothing_else() {
        for c in (1..0x100)
            .filter_map(char::from_u32)
            .chain(['\u{fffd}', '\u{2028}', '\u{feff}', 'é'])
        {
            let text: String = std::iter::repeat_n(c, 10).chain("text".chars()).collect();
            let binary = matches!(looks_binary(&text), Some((10, 14)));
            assert_eq!(binary, is_suspicious(c), "U+{:04X}", u32::from(c));
            assert_eq!(
                binary,
                (c.is_control() && !c.is_whitespace()) || c == '\u{fffd}',
                "U+{:04X}",
                u32::from(c)
            );
        }
    }

    #[test]
    fn a_few_control_characters_are_still_text() {
        let cases: &[&[u8]] = &[
            // Fewer than 4 suspicious characters, however short the text.
            b"Stalin\x07",
            b"\x1b[1mStalin\x1b[0m used patronage.",
            // Form feeds, vertical tabs (PowerPoint's line breaks), and a DOS end-of-file mark.
            b"One.\x0cTwo.\x0bThree.\r\n\x1a",
            // Undecodable bytes, few of them (Windows-1252's five undefined bytes are C1 controls).
            b"caf\xe9 \x81 \x8d \x9d and a sentence around them.",
        ];
        for bytes in cases {
            assert!(decode(bytes, "x").is_ok(), "{bytes:?}");
        }
        // Many: one in 20 characters, at least 4.
        let mut text = String::new();
        for _ in 0..8 {
            text.push_str("nineteen characters\x01");
        }
        assert!(matches!(
            decode(text.as_bytes(), "x"),
            Err(ReadError::ControlCharacters {
                suspicious: 8,
                examined: 160,
                ..
            })
        ));
        text.push_str(" and one more");
        assert!(decode(text.as_bytes(), "x").is_ok());
        // UTF-16 text full of C1 controls (decoded from a byte order mark) too.
        let c1: String = (0..40).map(|i| char::from_u32(0x80 + i % 32).expect("C1")).collect();
        assert!(matches!(
            decode(&utf16(&c1, false, true), "x"),
            Err(ReadError::ControlCharacters { .. })
        ));
    }

    #[test]
    fn late_nul_is_not_binary() {
        let mut bytes = vec![b'a'; BINARY_SNIFF + 10];
        bytes[BINARY_SNIFF + 5] = 0;
        assert!(decode(&bytes, "x").is_ok());
    }

    #[test]
    fn empty_answers() {
        let cases: &[&[u8]] = &[
            b"",
            b"   \n\t\r\n",
            b"\xEF\xBB\xBF",
            b"\xEF\xBB\xBF \n",
            b"\xFF\xFE",
            b"\xFF\xFE \x00\n\x00",
            b"\xa0\xa0",
        ];
        for bytes in cases {
            let result = decode(bytes, "blank.txt");
            assert!(
                matches!(&result, Err(ReadError::Empty { path }) if path == "blank.txt"),
                "{bytes:?}: {result:?}"
            );
        }
        let message = decode(b"", "blank.txt").expect_err("empty").to_string();
        assert_eq!(message, "blank.txt: the answer is empty");
    }

    #[test]
    fn read_reader_enforces_the_limit() {
        let limits = Limits {
            max_bytes: 10,
            ..Limits::default()
        };
        let ok = read_reader(&b"0123456789"[..], "<stdin>", Format::Markdown, &limits).expect("exactly at the limit");
        assert_eq!(ok.text, "0123456789");
        assert_eq!(ok.format, Format::Markdown);
        assert_eq!(ok.name, "<stdin>");

        // An endless stream: must stop reading just past the limit.
        let endless = io::repeat(b'a');
        let err = read_reader(endless, "<stdin>", Format::Text, &limits).expect_err("too large");
        assert!(
            matches!(
                err,
                ReadError::TooLarge {
                    size: 11,
                    limit: 10,
                    ..
                }
            ),
            "{err:?}"
        );
        assert!(err.to_string().contains("--max-answer-bytes"));
    }

    #[test]
    fn read_path_cases() {
        let dir = tempfile::tempdir().expect("tempdir");
        let md = dir.path().join("answer.MD");
        std::fs::write(&md, "# Answer\n\nText.").expect("write");
        let source = read_path(&md, &Limits::default()).expect("reads");
        assert_eq!(source.format, Format::Markdown);
        assert_eq!(source.encoding, Encoding::Utf8);
        assert_eq!(source.text, "# Answer\n\nText.");
        assert_eq!(source.name, md.display().to_string());

        let missing = dir.path().join("missing.txt");
        let err = read_path(&missing, &Limits::default()).expect_err("missing");
        assert!(matches!(err, ReadError::NotFound { .. }), "{err:?}");
        assert!(err.to_string().ends_with("missing.txt: no such file"));

        let err = read_path(dir.path(), &Limits::default()).expect_err("dir");
        assert!(matches!(err, ReadError::IsDir { .. }), "{err:?}");

        let big = dir.path().join("big.txt");
        std::fs::write(&big, "x".repeat(100)).expect("write");
        let limits = Limits {
            max_bytes: 99,
            ..Limits::default()
        };
        let err = read_path(&big, &limits).expect_err("too large");
        assert!(
            matches!(
                err,
                ReadError::TooLarge {
                    size: 100,
                    limit: 99,
                    ..
                }
            ),
            "{err:?}"
        );
        // Far beyond the limit: the file's own size is reported, not what was read of it.
        let limits = Limits {
            max_bytes: 10,
            ..Limits::default()
        };
        let err = read_path(&big, &limits).expect_err("too large");
        assert!(
            matches!(
                err,
                ReadError::TooLarge {
                    size: 100,
                    limit: 10,
                    ..
                }
            ),
            "{err:?}"
        );
        // The thread's read buffer is emptied between files: a large file, then a small one.
        let large = dir.path().join("large.txt");
        std::fs::write(&large, "word ".repeat(300_000)).expect("write");
        assert_eq!(
            read_path(&large, &Limits::default()).expect("large").text.len(),
            1_500_000
        );
        let small = dir.path().join("small.txt");
        std::fs::write(&small, "Short.").expect("write");
        assert_eq!(read_path(&small, &Limits::default()).expect("small").text, "Short.");
        assert_eq!(
            read_path(&md, &Limits::default()).expect("again").text,
            "# Answer\n\nText."
        );

        let empty = dir.path().join("empty.txt");
        std::fs::write(&empty, "").expect("write");
        assert!(matches!(
            read_path(&empty, &Limits::default()),
            Err(ReadError::Empty { .. })
        ));
    }

    #[test]
    fn format_from_path() {
        let cases = [
            ("a.md", Format::Markdown),
            ("a.Markdown", Format::Markdown),
            ("dir/a.mdown", Format::Markdown),
            ("a.txt", Format::Text),
            ("md", Format::Text),
            ("a.md.txt", Format::Text),
            ("a", Format::Text),
        ];
        for (path, format) in cases {
            assert_eq!(Format::from_path(Path::new(path)), format, "{path}");
        }
    }

    #[test]
    fn encoding_names() {
        assert_eq!(Encoding::Utf8.name(), "UTF-8");
        assert_eq!(Encoding::Windows1252.name(), "Windows-1252");
    }

    #[test]
    fn read_bytes_reads_as_read_path_does() {
        let office = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/office");
        for name in ["answer.docx", "answer.odt", "answer.html"] {
            let path = office.join(name);
            let bytes = std::fs::read(&path).expect("fixture");
            let from_bytes = read_bytes(&bytes, name, &Limits::default()).expect(name);
            let from_path = read_path(&path, &Limits::default()).expect(name);
            assert_eq!(from_bytes.text, from_path.text, "{name}");
            assert_eq!(from_bytes.format, Format::Text, "{name}");
        }
        let md = read_bytes(b"# Answer\n\nText.", "a.md", &Limits::default()).expect("md");
        assert_eq!(md.format, Format::Markdown);
        let limits = Limits {
            max_bytes: 3,
            ..Limits::default()
        };
        let err = read_bytes(b"four", "a.txt", &limits).expect_err("too large");
        assert!(matches!(err, ReadError::TooLarge { size: 4, limit: 3, .. }), "{err:?}");
        let err = read_bytes(b"not a zip", "a.docx", &Limits::default()).expect_err("not a zip");
        assert!(err.to_string().starts_with("a.docx: is not a valid .docx"), "{err}");
    }
}
