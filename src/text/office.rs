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
//!   the page or set in a tiny size is a matter for the teacher's review, not the reader;
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

use std::cell::Cell;
use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek};
use std::path::Path;

use quick_xml::NsReader;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use zip::ZipArchive;
use zip::result::ZipError;

pub use crate::text::formats::Kind;
use crate::text::limits::{Limits, ReadError};

/// The first bytes of an OLE compound file: an old `.doc`, or a password-protected `.docx`
/// (Office wraps the encrypted package in one).
const CFB_SIGNATURE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
/// Deepest element nesting accepted in a part; real documents stay well under 50.
const MAX_DEPTH: usize = 512;
/// Entries unpacking to no more than this are never refused for their compression ratio.
const RATIO_FLOOR: u64 = 1024 * 1024;
/// Highest ratio of unpacked to packed size accepted above [`RATIO_FLOOR`]: XML compresses 5 to
/// 20 times, a zip bomb of zeros about 1,000 times.
const MAX_RATIO: u64 = 200;
/// Most parts unpacked from one document (body, notes, headers and footers).
const MAX_PARTS: usize = 64;
/// Most spaces one ODF `text:s` element may stand for.
const MAX_SPACES: usize = 1024;

/// Reads a `.docx` or `.odt` answer and returns the text the matcher sees (see the module
/// documentation for its layout). `name` is used in errors.
pub fn read_document(path: &Path, name: &str, kind: Kind, limits: &Limits) -> Result<String, ReadError> {
    let file = File::open(path).map_err(|e| ReadError::Io {
        path: name.to_owned(),
        source: e,
    })?;
    extract(Box::new(file), name, kind, limits)
}

/// Like [`read_document`], for a document already in memory (no file involved).
pub fn read_document_bytes(bytes: &[u8], name: &str, kind: Kind, limits: &Limits) -> Result<String, ReadError> {
    if bytes.len() as u64 > limits.max_bytes {
        return Err(too_large(name, bytes.len() as u64, limits));
    }
    extract(Box::new(io::Cursor::new(bytes.to_vec())), name, kind, limits)
}

fn extract(input: Box<dyn ReadSeek>, name: &str, kind: Kind, limits: &Limits) -> Result<String, ReadError> {
    let mut package = Package::open(input, name, kind, limits)?;
    let blocks = match kind {
        Kind::Docx => docx_blocks(&mut package, limits)?,
        Kind::Odt => odt_blocks(&mut package, limits)?,
    };
    let text = blocks.join("\n\n");
    let size = text.len() as u64;
    if size > limits.max_bytes {
        return Err(too_large(name, size, limits));
    }
    Ok(text)
}

fn too_large(name: &str, size: u64, limits: &Limits) -> ReadError {
    ReadError::TooLarge {
        path: name.to_owned(),
        size,
        limit: limits.max_bytes,
    }
}

// ---------------------------------------------------------------------------------------------
// The zip package.

/// Why unpacking stopped early; carried through the XML parser as an I/O error.
#[derive(Debug)]
struct Exceeded(String);

impl fmt::Display for Exceeded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Exceeded {}

/// An entry being unpacked, stopped with [`Exceeded`] past `cap` bytes. The inner reader is
/// already limited with [`Read::take`] to one byte past the cap, so the decompressor never
/// produces more than that whatever the archive claims.
struct Guard<'a, R> {
    inner: io::Take<R>,
    read: &'a Cell<u64>,
    cap: u64,
    why: &'a str,
}

impl<R: Read> Read for Guard<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let total = self.read.get() + n as u64;
        self.read.set(total);
        if total > self.cap {
            return Err(io::Error::other(Exceeded(self.why.to_owned())));
        }
        Ok(n)
    }
}

/// What a document is read from: a file, or bytes in memory.
trait ReadSeek: Read + Seek {}

impl<T: Read + Seek> ReadSeek for T {}

struct Package {
    archive: ZipArchive<Box<dyn ReadSeek>>,
    name: String,
    kind: Kind,
    /// Unpacked bytes still allowed.
    remaining: u64,
    /// The limit, for messages.
    max_unzipped: u64,
    /// Parts unpacked so far.
    parts: usize,
    /// [`Limits::max_bytes`], for messages.
    max_text: u64,
}

impl Package {
    fn open(mut file: Box<dyn ReadSeek>, name: &str, kind: Kind, limits: &Limits) -> Result<Package, ReadError> {
        let io = |e: io::Error| ReadError::Io {
            path: name.to_owned(),
            source: e,
        };
        let mut head = Vec::with_capacity(8);
        (&mut file).take(8).read_to_end(&mut head).map_err(io)?;
        if head.starts_with(&CFB_SIGNATURE) {
            return Err(ReadError::Protected {
                path: name.to_owned(),
                kind,
            });
        }
        if !head.starts_with(b"PK") {
            return Err(not_document(name, kind, sniff(&head)));
        }
        file.rewind().map_err(io)?;
        let archive = ZipArchive::new(file).map_err(|e| zip_failure(name, kind, None, e))?;
        if archive.len() as u64 > limits.max_zip_entries {
            return Err(ReadError::Unpack {
                path: name.to_owned(),
                detail: format!(
                    "the archive lists {} entries (the limit is {})",
                    archive.len(),
                    limits.max_zip_entries
                ),
            });
        }
        Ok(Package {
            archive,
            name: name.to_owned(),
            kind,
            remaining: limits.max_unzipped_bytes,
            max_unzipped: limits.max_unzipped_bytes,
            parts: 0,
            max_text: limits.max_bytes,
        })
    }

    fn has(&self, part: &str) -> bool {
        self.archive.index_for_name(part).is_some()
    }

    fn unpack_error(&self, detail: String) -> ReadError {
        ReadError::Unpack {
            path: self.name.clone(),
            detail,
        }
    }

    /// Streams `part` through `handler`; `Ok(false)` when there is no such part.
    fn parse(&mut self, part: &str, handler: &mut impl Handler) -> Result<bool, ReadError> {
        let Some(index) = self.archive.index_for_name(part) else {
            return Ok(false);
        };
        if self.parts >= MAX_PARTS {
            return Err(self.unpack_error(format!("more than {MAX_PARTS} parts to unpack")));
        }
        self.parts += 1;
        let (name, kind, remaining, max_unzipped) = (self.name.clone(), self.kind, self.remaining, self.max_unzipped);
        let entry = self
            .archive
            .by_index(index)
            .map_err(|e| zip_failure(&name, kind, Some(part), e))?;
        if entry.encrypted() {
            return Err(ReadError::Protected { path: name, kind });
        }
        let declared = entry.size();
        let ratio_cap = entry.compressed_size().saturating_mul(MAX_RATIO).max(RATIO_FLOOR);
        let total_why = format!(
            "its text parts unpack to more than {}, the limit for a whole document (--max-unzipped-bytes)",
            bytes(max_unzipped)
        );
        let ratio_why = format!("{part} unpacks to more than {MAX_RATIO} times its packed size");
        if declared > remaining {
            return Err(ReadError::Unpack {
                path: name,
                detail: format!(
                    "{part} unpacks to {}, over the limit of {} for a whole document (--max-unzipped-bytes)",
                    bytes(declared),
                    bytes(max_unzipped)
                ),
            });
        }
        if declared > ratio_cap {
            return Err(ReadError::Unpack {
                path: name,
                detail: ratio_why,
            });
        }
        let (cap, why) = if ratio_cap < remaining {
            (ratio_cap, ratio_why)
        } else {
            (remaining, total_why)
        };
        let read = Cell::new(0u64);
        let guard = Guard {
            inner: entry.take(cap.saturating_add(1)),
            read: &read,
            cap,
            why: &why,
        };
        let result = parse_xml(BufReader::new(guard), handler);
        self.remaining = self.remaining.saturating_sub(read.get());
        match result {
            Ok(()) => Ok(true),
            Err(Failure::Xml(detail)) => Err(ReadError::BadXml {
                path: name,
                part: part.to_owned(),
                detail,
            }),
            Err(Failure::Exceeded(detail)) => Err(ReadError::Unpack { path: name, detail }),
            Err(Failure::Io(e)) => Err(not_document(&name, kind, format!("{part} cannot be unpacked ({e})"))),
            Err(Failure::Full(size)) => Err(ReadError::TooLarge {
                path: name,
                size,
                limit: self.max_text,
            }),
        }
    }

    /// What the archive looks like instead, when the part a `kind` needs is missing.
    fn missing(&self, part: &str) -> ReadError {
        let hint = if self.has("xl/workbook.xml") {
            "; it is an Excel workbook"
        } else if self.has("ppt/presentation.xml") {
            "; it is a PowerPoint presentation"
        } else if self.kind == Kind::Docx && self.has("content.xml") {
            "; it is an OpenDocument file: rename it to .odt"
        } else if self.kind == Kind::Odt && self.has("word/document.xml") {
            "; it is a Word document: rename it to .docx"
        } else {
            ""
        };
        not_document(&self.name, self.kind, format!("it has no {part}{hint}"))
    }
}

/// A size for messages: whole MiB or KiB when exact, bytes otherwise.
fn bytes(n: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if n >= MIB && n.is_multiple_of(MIB) {
        format!("{} MiB", n / MIB)
    } else if n >= MIB {
        format!("{n} bytes ({:.1} MiB)", n as f64 / MIB as f64)
    } else {
        format!("{n} bytes")
    }
}

fn not_document(name: &str, kind: Kind, detail: String) -> ReadError {
    ReadError::NotDocument {
        path: name.to_owned(),
        kind,
        detail,
    }
}

/// What a file that is not a zip archive seems to be, from its first bytes.
fn sniff(head: &[u8]) -> String {
    let what = if head.is_empty() {
        "the file is empty"
    } else if head.starts_with(b"{\\rtf") {
        "it is an RTF file, not a zip archive"
    } else if head.starts_with(b"%PDF") {
        "it is a PDF, not a zip archive"
    } else if head.trim_ascii_start().starts_with(b"<") {
        "it is HTML or XML text, not a zip archive"
    } else {
        "it is not a zip archive"
    };
    what.to_owned()
}

fn zip_failure(name: &str, kind: Kind, part: Option<&str>, error: ZipError) -> ReadError {
    let place = part.map(|p| format!("{p}: ")).unwrap_or_default();
    let detail = match error {
        ZipError::InvalidPassword => {
            return ReadError::Protected {
                path: name.to_owned(),
                kind,
            };
        }
        ZipError::UnsupportedArchive(m) if m == ZipError::PASSWORD_REQUIRED => {
            return ReadError::Protected {
                path: name.to_owned(),
                kind,
            };
        }
        ZipError::Io(e) if e.kind() == io::ErrorKind::UnexpectedEof => format!("{place}the file is truncated"),
        ZipError::Io(e) => format!("{place}{e}"),
        ZipError::InvalidArchive(m) => format!("{place}the zip archive is incomplete or damaged ({m})"),
        ZipError::UnsupportedArchive(m) => format!("{place}unsupported zip archive ({m})"),
        ZipError::CompressionMethodNotSupported(m) => format!("{place}unsupported compression method {m}"),
        other => format!("{place}{other}"),
    };
    not_document(name, kind, detail)
}

// ---------------------------------------------------------------------------------------------
// The XML driver.

/// The namespaces the extractors care about; everything else is [`Ns::Other`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ns {
    /// WordprocessingML (transitional or strict).
    W,
    /// Markup compatibility (`mc:AlternateContent`).
    Mc,
    /// Package relationships.
    Rels,
    /// ODF `text:`.
    Text,
    /// ODF `table:`.
    Table,
    /// ODF `office:`.
    Office,
    /// ODF `style:`.
    Style,
    /// ODF `svg:` (titles and descriptions of drawings).
    Svg,
    /// ODF manifest.
    Manifest,
    Other,
}

fn namespace(resolved: &ResolveResult<'_>) -> Ns {
    let ResolveResult::Bound(ns) = resolved else {
        return Ns::Other;
    };
    match ns.0 {
        "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
        | "http://purl.oclc.org/ooxml/wordprocessingml/main" => Ns::W,
        "http://schemas.openxmlformats.org/markup-compatibility/2006" => Ns::Mc,
        "http://schemas.openxmlformats.org/package/2006/relationships" => Ns::Rels,
        "urn:oasis:names:tc:opendocument:xmlns:text:1.0" => Ns::Text,
        "urn:oasis:names:tc:opendocument:xmlns:table:1.0" => Ns::Table,
        "urn:oasis:names:tc:opendocument:xmlns:office:1.0" => Ns::Office,
        "urn:oasis:names:tc:opendocument:xmlns:style:1.0" => Ns::Style,
        "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" => Ns::Svg,
        "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" => Ns::Manifest,
        _ => Ns::Other,
    }
}

/// The value of the attribute whose local name is `local` (any prefix).
fn attr(e: &BytesStart<'_>, local: &str) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        let key = a.key.0;
        let key_local = key.rsplit(':').next().unwrap_or(key);
        (key_local == local).then(|| a.value.into_owned())
    })
}

/// What the extractors do with the parser's events. Elements come as `start` then `end` (an
/// empty element too); returning `false` from `start` skips the element and all it contains.
trait Handler {
    fn start(&mut self, ns: Ns, local: &str, e: &BytesStart<'_>) -> bool;
    fn end(&mut self, ns: Ns, local: &str);
    fn text(&mut self, text: &str);
    /// Bytes of text produced, when past the limit.
    fn full(&self) -> Option<u64> {
        None
    }
    /// Called just before `start` for an `mc:Choice`: whether Word understands every namespace
    /// it requires ([`understood`]).
    fn choice(&mut self, _understood: bool) {}
}

/// The namespaces of markup compatibility choices that Word understands (Office 2010 and later);
/// a choice that requires another one is not what Word shows, its fallback is.
const UNDERSTOOD: &[&str] = &[
    "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "http://schemas.microsoft.com/office/word/2010/wordprocessingGroup",
    "http://schemas.microsoft.com/office/word/2010/wordprocessingCanvas",
    "http://schemas.microsoft.com/office/word/2010/wordprocessingInk",
    "http://schemas.microsoft.com/office/word/2010/wordprocessingDrawing",
    "http://schemas.microsoft.com/office/word/2010/wordml",
    "http://schemas.microsoft.com/office/word/2012/wordml",
    "http://schemas.microsoft.com/office/word/2015/wordml/symex",
    "http://schemas.microsoft.com/office/word/2016/wordml/cid",
    "http://schemas.microsoft.com/office/word/2018/wordml",
    "http://schemas.microsoft.com/office/word/2018/wordml/cex",
    "http://schemas.microsoft.com/office/word/2020/wordml/sdtdatahash",
    "http://schemas.microsoft.com/office/word/2023/wordml/word16du",
    "http://schemas.microsoft.com/office/word/2006/wordml",
    "http://schemas.microsoft.com/office/drawing/2010/main",
    "http://schemas.microsoft.com/office/drawing/2014/chartex",
    "http://schemas.microsoft.com/office/drawing/2016/ink",
    "http://schemas.microsoft.com/office/drawing/2017/model3d",
    "http://schemas.openxmlformats.org/officeDocument/2006/math",
    "http://schemas.openxmlformats.org/drawingml/2006/main",
    "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "urn:schemas-microsoft-com:vml",
    "urn:schemas-microsoft-com:office:office",
    "urn:schemas-microsoft-com:office:word",
];

/// Whether every prefix in the `Requires` attribute of an `mc:Choice` is bound to a namespace
/// Word understands ([`UNDERSTOOD`]).
fn understood(resolver: &quick_xml::name::NamespaceResolver, e: &BytesStart<'_>) -> bool {
    let requires = attr(e, "Requires").unwrap_or_default();
    requires.split_ascii_whitespace().all(|prefix| {
        let qname = format!("{prefix}:x");
        matches!(
            resolver.resolve_prefix(quick_xml::name::QName(&qname).prefix(), false),
            ResolveResult::Bound(ns) if UNDERSTOOD.contains(&ns.0)
        )
    })
}

enum Failure {
    /// Not well-formed, or refused (a DTD, too deep).
    Xml(String),
    /// The entry could not be unpacked (a damaged deflate stream, a bad CRC...).
    Io(String),
    /// The [`Guard`] stopped unpacking: why.
    Exceeded(String),
    /// The text is larger than allowed: the size reached.
    Full(u64),
}

fn xml_failure(error: quick_xml::Error) -> Failure {
    match error {
        quick_xml::Error::Io(e) => match e.get_ref().and_then(|inner| inner.downcast_ref::<Exceeded>()) {
            Some(exceeded) => Failure::Exceeded(exceeded.0.clone()),
            None => Failure::Io(e.to_string()),
        },
        other => Failure::Xml(other.to_string()),
    }
}

/// Characters XML 1.0 does not allow in content.
fn illegal_char(text: &str) -> Option<char> {
    text.chars()
        .find(|&c| matches!(c, '\0'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}'))
}

/// Parses one part, checking what quick-xml leaves to its caller: exactly one root element, no
/// text outside it, everything closed at the end, no illegal characters, bounded nesting, and no
/// document type declaration. Entity references are resolved only for the five predefined
/// entities and character references; any other is passed on as written.
fn parse_xml<R: BufRead>(input: R, handler: &mut impl Handler) -> Result<(), Failure> {
    let mut reader = NsReader::from_reader(input);
    reader.config_mut().check_end_names = true;
    let mut buf = Vec::new();
    let mut depth = 0usize;
    let mut seen_root = false;
    // Depth of the element being skipped, if any.
    let mut skip: Option<usize> = None;
    loop {
        buf.clear();
        let (resolved, event) = reader.read_resolved_event_into(&mut buf).map_err(xml_failure)?;
        let ns = namespace(&resolved);
        let is_empty_tag = matches!(event, Event::Empty(_));
        match event {
            Event::Start(e) | Event::Empty(e) => {
                let is_empty = is_empty_tag;
                if depth == 0 {
                    if seen_root {
                        return Err(Failure::Xml("more than one root element".into()));
                    }
                    seen_root = true;
                }
                let local = e.local_name();
                let local = local.as_ref();
                if !is_empty {
                    depth += 1;
                    if depth > MAX_DEPTH {
                        return Err(Failure::Xml(format!("elements nested more than {MAX_DEPTH} deep")));
                    }
                }
                if skip.is_none() {
                    if ns == Ns::Mc && local == "Choice" {
                        handler.choice(understood(reader.resolver(), &e));
                    }
                    let descend = handler.start(ns, local, &e);
                    if is_empty {
                        if descend {
                            handler.end(ns, local);
                        }
                    } else if !descend {
                        skip = Some(depth);
                    }
                }
            }
            Event::End(e) => {
                if skip == Some(depth) {
                    skip = None;
                } else if skip.is_none() {
                    let local = e.local_name();
                    handler.end(ns, local.as_ref());
                }
                depth = depth.saturating_sub(1);
            }
            Event::Text(t) => {
                let text = t.xml10_content();
                if let Some(c) = illegal_char(&text) {
                    return Err(Failure::Xml(format!("illegal character U+{:04X}", u32::from(c))));
                }
                if depth == 0 {
                    if !text.trim_ascii().is_empty() {
                        return Err(Failure::Xml("text outside the root element".into()));
                    }
                } else if skip.is_none() {
                    handler.text(&text);
                }
            }
            Event::CData(t) => {
                let text = t.xml10_content();
                if depth == 0 {
                    return Err(Failure::Xml("CDATA outside the root element".into()));
                }
                if let Some(c) = illegal_char(&text) {
                    return Err(Failure::Xml(format!("illegal character U+{:04X}", u32::from(c))));
                }
                if skip.is_none() {
                    handler.text(&text);
                }
            }
            Event::GeneralRef(r) => {
                if depth == 0 {
                    return Err(Failure::Xml("a reference outside the root element".into()));
                }
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) if illegal_char(c.encode_utf8(&mut [0; 4])).is_some() => {
                        return Err(Failure::Xml(format!("illegal character reference &{};", &*r)));
                    }
                    Ok(Some(c)) => c.to_string(),
                    Ok(None) => match &*r {
                        "lt" => "<".to_owned(),
                        "gt" => ">".to_owned(),
                        "amp" => "&".to_owned(),
                        "apos" => "'".to_owned(),
                        "quot" => "\"".to_owned(),
                        // Not predefined: never expanded, kept as written.
                        other => format!("&{other};"),
                    },
                    Err(e) => return Err(Failure::Xml(e.to_string())),
                };
                if skip.is_none() {
                    handler.text(&resolved);
                }
            }
            Event::Eof => {
                if depth > 0 {
                    return Err(Failure::Xml(
                        "the part ends before its elements are closed (truncated?)".into(),
                    ));
                }
                if !seen_root {
                    return Err(Failure::Xml("no root element (the part is empty)".into()));
                }
                return Ok(());
            }
            Event::DocType(_) => {
                return Err(Failure::Xml(
                    "it has a document type declaration (<!DOCTYPE>), which word processors never \
                     write; refused so that no entity in it is expanded or fetched"
                        .into(),
                ));
            }
            // Declarations, processing instructions and comments carry no text.
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
        }
        if let Some(size) = handler.full() {
            return Err(Failure::Full(size));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Laying out the text.

/// An open container while a part is read.
#[derive(Debug)]
enum Frame {
    /// A paragraph or heading: its text so far.
    Para(String),
    /// A table cell: its paragraphs.
    Cell(Vec<String>),
    /// A table row: its cells.
    Row(Vec<String>),
    /// An ODF footnote or endnote: its paragraphs.
    Note { endnote: bool, blocks: Vec<String> },
}

/// Collects blocks of text (paragraphs and table rows) as the parser walks a part.
#[derive(Debug)]
struct Builder {
    stack: Vec<Frame>,
    blocks: Vec<String>,
    footnotes: Vec<String>,
    endnotes: Vec<String>,
    /// Bytes of text collected so far.
    size: u64,
    /// Most bytes of text allowed.
    limit: u64,
}

impl Builder {
    fn new(limit: u64) -> Builder {
        Builder {
            stack: Vec::new(),
            blocks: Vec::new(),
            footnotes: Vec::new(),
            endnotes: Vec::new(),
            size: 0,
            limit,
        }
    }

    fn full(&self) -> Option<u64> {
        (self.size > self.limit).then_some(self.size)
    }

    /// The paragraph text is being added to, if the innermost container is one.
    fn para(&mut self) -> Option<&mut String> {
        match self.stack.last_mut() {
            Some(Frame::Para(p)) => Some(p),
            _ => None,
        }
    }

    fn push_str(&mut self, s: &str) {
        if let Some(p) = self.para() {
            p.push_str(s);
            self.size += s.len() as u64;
        }
    }

    fn push(&mut self, c: char) {
        self.push_str(c.encode_utf8(&mut [0; 4]));
    }

    fn start_para(&mut self) {
        self.stack.push(Frame::Para(String::new()));
    }

    fn end_para(&mut self) {
        if let Some(Frame::Para(_)) = self.stack.last()
            && let Some(Frame::Para(text)) = self.stack.pop()
        {
            self.emit(text);
        }
    }

    fn start_cell(&mut self) {
        self.stack.push(Frame::Cell(Vec::new()));
    }

    fn end_cell(&mut self) {
        if let Some(Frame::Cell(_)) = self.stack.last()
            && let Some(Frame::Cell(paras)) = self.stack.pop()
        {
            self.emit(paras.join("\n"));
        }
    }

    fn start_row(&mut self) {
        self.stack.push(Frame::Row(Vec::new()));
    }

    fn end_row(&mut self) {
        if let Some(Frame::Row(_)) = self.stack.last()
            && let Some(Frame::Row(cells)) = self.stack.pop()
        {
            self.emit(cells.join("\t"));
        }
    }

    fn start_note(&mut self, endnote: bool) {
        self.stack.push(Frame::Note {
            endnote,
            blocks: Vec::new(),
        });
    }

    fn end_note(&mut self) {
        if let Some(Frame::Note { .. }) = self.stack.last()
            && let Some(Frame::Note { endnote, blocks }) = self.stack.pop()
        {
            if endnote {
                self.endnotes.extend(blocks);
            } else {
                self.footnotes.extend(blocks);
            }
        }
    }

    /// Adds a finished block to the container it belongs to: a cell, a row (as a cell), a note,
    /// or the part itself. A paragraph inside a paragraph (a text box) is a block of its own.
    fn emit(&mut self, text: String) {
        let text = text.trim();
        if text.is_empty() {
            return;
        }
        let text = text.to_owned();
        for frame in self.stack.iter_mut().rev() {
            match frame {
                Frame::Cell(items) | Frame::Row(items) | Frame::Note { blocks: items, .. } => {
                    items.push(text);
                    return;
                }
                Frame::Para(_) => {}
            }
        }
        self.blocks.push(text);
    }

    /// Where a paragraph about to start would leave its text and that of what it holds (text
    /// boxes, notes), so that it can be taken back ([`Builder::discard_para`]).
    fn checkpoint(&self) -> Checkpoint {
        let container = self.stack.iter().rposition(|f| !matches!(f, Frame::Para(_)));
        let items = match container.and_then(|i| self.stack.get(i)) {
            Some(Frame::Cell(items) | Frame::Row(items) | Frame::Note { blocks: items, .. }) => items.len(),
            _ => self.blocks.len(),
        };
        Checkpoint {
            container,
            items,
            footnotes: self.footnotes.len(),
            endnotes: self.endnotes.len(),
        }
    }

    /// Ends the innermost paragraph, started at `at`, leaving out its text and everything that
    /// came from inside it.
    fn discard_para(&mut self, at: Checkpoint) {
        if !matches!(self.stack.last(), Some(Frame::Para(_))) {
            return;
        }
        self.stack.pop();
        match at.container.and_then(|i| self.stack.get_mut(i)) {
            Some(Frame::Cell(items) | Frame::Row(items) | Frame::Note { blocks: items, .. }) => {
                items.truncate(at.items)
            }
            _ => self.blocks.truncate(at.items),
        }
        self.footnotes.truncate(at.footnotes);
        self.endnotes.truncate(at.endnotes);
    }

    /// The part's blocks, then its footnotes, then its endnotes.
    fn finish(mut self) -> Vec<String> {
        self.blocks.append(&mut self.footnotes);
        self.blocks.append(&mut self.endnotes);
        self.blocks
    }
}

/// How much text the containers of a [`Builder`] held when a paragraph started.
#[derive(Debug, Clone, Copy)]
struct Checkpoint {
    /// The innermost container that is not a paragraph (`None`: the part itself).
    container: Option<usize>,
    /// The blocks it held.
    items: usize,
    footnotes: usize,
    endnotes: usize,
}

/// Adds the blocks of a header or footer unless the same text was already added.
fn add_unique(out: &mut Vec<String>, seen: &mut Vec<String>, blocks: Vec<String>) {
    let joined = blocks.join("\n\n");
    if joined.is_empty() || seen.contains(&joined) {
        return;
    }
    seen.push(joined);
    out.extend(blocks);
}

fn remaining_text(limits: &Limits, blocks: &[String]) -> u64 {
    let used: u64 = blocks.iter().map(|b| b.len() as u64 + 2).sum();
    limits.max_bytes.saturating_sub(used)
}

// ---------------------------------------------------------------------------------------------
// .docx

/// What a WordprocessingML element open in a part means for the text inside it.
#[derive(Debug, Clone, Copy)]
enum WordElement {
    /// A paragraph, and whether its paragraph style hides its text.
    Para {
        styled_hidden: bool,
    },
    /// A run: its own `w:vanish` if it has one, and whether its character style hides it.
    Run {
        vanish: Option<bool>,
        styled_hidden: bool,
    },
    /// A table, and whether its table style hides its text.
    Table {
        styled_hidden: bool,
    },
    /// Paragraph, run or table properties.
    ParaProps,
    RunProps,
    TableProps,
    Other,
}

/// Extracts the text of WordprocessingML parts (document, footnotes, endnotes, headers, footers).
struct DocxHandler<'s> {
    b: Builder,
    styles: &'s DocxStyles,
    /// The elements open, outermost first.
    open: Vec<WordElement>,
    /// Inside `w:t`: its text so far, and whether `xml:space="preserve"`.
    t: Option<(String, bool)>,
    /// For each `mc:AlternateContent` open: whether one of its alternatives was read.
    alternatives: Vec<bool>,
    /// Whether Word understands the `mc:Choice` being started.
    choice_understood: bool,
}

impl<'s> DocxHandler<'s> {
    fn new(limit: u64, styles: &'s DocxStyles) -> DocxHandler<'s> {
        DocxHandler {
            b: Builder::new(limit),
            styles,
            open: Vec::new(),
            t: None,
            alternatives: Vec::new(),
            choice_understood: false,
        }
    }

    /// Whether text in the innermost run is hidden: some run it is in (a text box sits in a run
    /// of the paragraph around it) is hidden by its own `w:vanish`, or, when it has none, by
    /// the document defaults, a table, paragraph or character style (as Word reads it, a style's
    /// `w:vanish` can only hide, never show: see [`DocxStyles`]).
    fn hidden(&self) -> bool {
        let mut table = false;
        let mut para = self.styles.default_paragraph;
        for element in &self.open {
            match *element {
                WordElement::Table { styled_hidden } => table |= styled_hidden,
                WordElement::Para { styled_hidden } => para = styled_hidden,
                WordElement::Run { vanish, styled_hidden } => {
                    let styled = self.styles.defaults || table || para || styled_hidden;
                    if vanish.unwrap_or(styled) {
                        return true;
                    }
                }
                _ => {}
            }
        }
        false
    }

    /// Inside a run, directly (not in its properties), and the run is shown.
    fn in_run_content(&self) -> bool {
        matches!(self.open.last(), Some(WordElement::Run { .. })) && !self.hidden()
    }

    /// The element open around the properties element that is innermost, if the innermost is
    /// `props`.
    fn owner_of(&mut self, props: fn(&WordElement) -> bool) -> Option<&mut WordElement> {
        let n = self.open.len();
        if n < 2 || !props(&self.open[n - 1]) {
            return None;
        }
        self.open.get_mut(n - 2)
    }
}

/// `w:val` says off.
fn off(e: &BytesStart<'_>) -> bool {
    attr(e, "val").is_some_and(|v| matches!(v.as_str(), "0" | "false" | "off"))
}

/// Property elements that hold the properties before a tracked change: never what is shown.
fn is_property_change(local: &str) -> bool {
    matches!(
        local,
        "rPrChange"
            | "pPrChange"
            | "tblPrChange"
            | "trPrChange"
            | "tcPrChange"
            | "sectPrChange"
            | "tblGridChange"
            | "numberingChange"
    )
}

impl Handler for DocxHandler<'_> {
    fn start(&mut self, ns: Ns, local: &str, e: &BytesStart<'_>) -> bool {
        let styles = self.styles;
        let element = match ns {
            // Word writes a text box twice: a modern form and a VML fallback. Of each
            // `mc:AlternateContent`, what Word shows is read: the first choice whose namespaces
            // it understands, else the fallback.
            Ns::Mc => match local {
                "AlternateContent" => {
                    self.alternatives.push(false);
                    WordElement::Other
                }
                "Choice" | "Fallback" => {
                    let understood = local == "Fallback" || self.choice_understood;
                    match self.alternatives.last_mut() {
                        Some(taken) if !*taken && understood => *taken = true,
                        Some(_) => return false,
                        None => {}
                    }
                    WordElement::Other
                }
                _ => WordElement::Other,
            },
            Ns::W => match local {
                "p" => {
                    self.b.start_para();
                    WordElement::Para {
                        styled_hidden: self.styles.default_paragraph,
                    }
                }
                "tr" => {
                    self.b.start_row();
                    WordElement::Other
                }
                "tc" => {
                    self.b.start_cell();
                    WordElement::Other
                }
                "tbl" => WordElement::Table {
                    styled_hidden: self.styles.default_table,
                },
                "r" => WordElement::Run {
                    vanish: None,
                    styled_hidden: self.styles.default_character,
                },
                "pPr" => WordElement::ParaProps,
                "rPr" => WordElement::RunProps,
                "tblPr" => WordElement::TableProps,
                "pStyle" => {
                    if let Some(WordElement::Para { styled_hidden }) =
                        self.owner_of(|e| matches!(e, WordElement::ParaProps))
                    {
                        *styled_hidden = styles.paragraph_hides(attr(e, "val").as_deref());
                    }
                    WordElement::Other
                }
                "rStyle" => {
                    if let Some(WordElement::Run { styled_hidden, .. }) =
                        self.owner_of(|e| matches!(e, WordElement::RunProps))
                    {
                        *styled_hidden = styles.character_hides(attr(e, "val").as_deref());
                    }
                    WordElement::Other
                }
                "tblStyle" => {
                    if let Some(WordElement::Table { styled_hidden }) =
                        self.owner_of(|e| matches!(e, WordElement::TableProps))
                    {
                        *styled_hidden = styles.table_hides(attr(e, "val").as_deref());
                    }
                    WordElement::Other
                }
                // `w:specVanish` hides a paragraph mark even when hidden text is shown; on a run
                // it may be ignored, but never shows anything.
                "vanish" | "specVanish" => {
                    if let Some(WordElement::Run { vanish, .. }) = self.owner_of(|e| matches!(e, WordElement::RunProps))
                    {
                        let on = !off(e);
                        if on || (local == "vanish" && vanish.is_none()) {
                            *vanish = Some(on);
                        }
                    }
                    WordElement::Other
                }
                "t" => {
                    if self.hidden() {
                        return false;
                    }
                    let preserve = attr(e, "space").is_some_and(|v| v == "preserve");
                    self.t = Some((String::new(), preserve));
                    WordElement::Other
                }
                "tab" | "ptab" if self.in_run_content() => {
                    self.b.push('\t');
                    WordElement::Other
                }
                "br" | "cr" if self.in_run_content() => {
                    self.b.push('\n');
                    WordElement::Other
                }
                "noBreakHyphen" if self.in_run_content() => {
                    self.b.push('-');
                    WordElement::Other
                }
                // Deleted and moved-away text, field codes, and the separators Word keeps among
                // the footnotes.
                "del" | "moveFrom" | "delText" | "delInstrText" | "instrText" => return false,
                l if is_property_change(l) => return false,
                "footnote" | "endnote" => {
                    let special = attr(e, "type").is_some_and(|t| {
                        matches!(t.as_str(), "separator" | "continuationSeparator" | "continuationNotice")
                    });
                    if special {
                        return false;
                    }
                    WordElement::Other
                }
                _ => WordElement::Other,
            },
            _ => WordElement::Other,
        };
        self.open.push(element);
        true
    }

    fn end(&mut self, ns: Ns, local: &str) {
        self.open.pop();
        if ns == Ns::Mc && local == "AlternateContent" {
            self.alternatives.pop();
        }
        if ns != Ns::W {
            return;
        }
        match local {
            "p" => self.b.end_para(),
            "tr" => self.b.end_row(),
            "tc" => self.b.end_cell(),
            "t" => {
                if let Some((text, preserve)) = self.t.take()
                    && let Some(para) = self.b.para()
                {
                    // Already counted in `text`.
                    para.push_str(if preserve {
                        &text
                    } else {
                        text.trim_matches([' ', '\t'])
                    });
                }
            }
            _ => {}
        }
    }

    fn text(&mut self, text: &str) {
        if let Some((t, _)) = &mut self.t {
            // A line break in the XML of a `w:t` is white space, not a line break.
            t.extend(text.chars().map(|c| if matches!(c, '\n' | '\r') { ' ' } else { c }));
            self.b.size += text.len() as u64;
        }
    }

    fn full(&self) -> Option<u64> {
        self.b.full()
    }

    fn choice(&mut self, understood: bool) {
        self.choice_understood = understood;
    }
}

/// Most styles read from word/styles.xml; Word allows about 4,000.
const MAX_STYLES: usize = 50_000;

/// Which styles of word/styles.xml hide text (`w:vanish` in their run properties, or in those of
/// a style they are based on, however far up the `w:basedOn` chain), and whether the document
/// defaults do.
///
/// `w:vanish` is a toggle property: in a style, "on" is meant to switch hidden text off again
/// when an outer level of styles (document defaults, table, paragraph, character style) already
/// switched it on, and "off" changes nothing. Hiding text twice over is no honest way to show
/// it, so here a style hides text when any level does; only a run's own `w:vanish w:val="0"`
/// shows text that styles hide.
#[derive(Debug, Default)]
struct DocxStyles {
    /// `w:docDefaults` hide every run.
    defaults: bool,
    /// Every style id, and whether it hides text.
    styles: std::collections::HashMap<String, bool>,
    /// The default paragraph, character and table styles hide text (they apply where no style
    /// is named, or an unknown one).
    default_paragraph: bool,
    default_character: bool,
    default_table: bool,
}

impl DocxStyles {
    fn hides(&self, id: Option<&str>, default: bool) -> bool {
        id.and_then(|id| self.styles.get(id)).copied().unwrap_or(default)
    }

    fn paragraph_hides(&self, id: Option<&str>) -> bool {
        self.hides(id, self.default_paragraph)
    }

    fn character_hides(&self, id: Option<&str>) -> bool {
        self.hides(id, self.default_character)
    }

    fn table_hides(&self, id: Option<&str>) -> bool {
        self.hides(id, self.default_table)
    }
}

/// One `w:style` as read.
#[derive(Debug, Default)]
struct StyleDef {
    id: String,
    kind: String,
    default: bool,
    based_on: Option<String>,
    /// Its own run properties (or those of a table style's conditional formatting) hide text.
    vanish: bool,
}

/// Where in word/styles.xml the parser is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StylesElement {
    DocDefaults,
    Style,
    TableConditional,
    RunProps,
    Other,
}

/// Reads word/styles.xml: the document defaults and every style's `w:basedOn` and `w:vanish`.
#[derive(Debug, Default)]
struct StylesHandler {
    open: Vec<StylesElement>,
    defaults: bool,
    current: Option<StyleDef>,
    defs: Vec<StyleDef>,
    too_many: bool,
}

impl StylesHandler {
    /// The element that holds the run properties being read, if the innermost element is one.
    fn run_props_owner(&self) -> Option<StylesElement> {
        let n = self.open.len();
        (n >= 2 && self.open[n - 1] == StylesElement::RunProps).then(|| self.open[n - 2])
    }

    fn resolve(self) -> DocxStyles {
        let index: std::collections::HashMap<&str, usize> = self
            .defs
            .iter()
            .enumerate()
            .rev()
            .map(|(i, d)| (d.id.as_str(), i))
            .collect();
        // None: not yet known; Some(None): being resolved; Some(Some(hidden)).
        let mut memo: Vec<Option<Option<bool>>> = vec![None; self.defs.len()];
        let mut path = Vec::new();
        for start in 0..self.defs.len() {
            path.clear();
            let mut at = Some(start);
            let hidden = loop {
                let Some(i) = at else { break false };
                match memo[i] {
                    Some(Some(known)) => break known,
                    // A cycle: every style on it has been looked at, and none hides text.
                    Some(None) => break false,
                    None => {}
                }
                if self.defs[i].vanish {
                    break true;
                }
                memo[i] = Some(None);
                path.push(i);
                at = self.defs[i].based_on.as_deref().and_then(|b| index.get(b).copied());
            };
            memo[start] = Some(Some(hidden || self.defs[start].vanish));
            for &i in &path {
                memo[i] = Some(Some(hidden));
            }
        }
        let mut styles = DocxStyles {
            defaults: self.defaults,
            ..DocxStyles::default()
        };
        for (def, hidden) in self.defs.iter().zip(memo) {
            let hidden = hidden.flatten().unwrap_or(false);
            let entry = styles.styles.entry(def.id.clone()).or_insert(false);
            *entry |= hidden;
            if def.default {
                match def.kind.as_str() {
                    "paragraph" => styles.default_paragraph |= hidden,
                    "character" => styles.default_character |= hidden,
                    "table" => styles.default_table |= hidden,
                    _ => {}
                }
            }
        }
        styles
    }
}

impl Handler for StylesHandler {
    fn start(&mut self, ns: Ns, local: &str, e: &BytesStart<'_>) -> bool {
        let element = if ns != Ns::W {
            StylesElement::Other
        } else {
            match local {
                "docDefaults" => StylesElement::DocDefaults,
                "style" => {
                    if self.defs.len() >= MAX_STYLES {
                        self.too_many = true;
                        return false;
                    }
                    self.current = Some(StyleDef {
                        id: attr(e, "styleId").unwrap_or_default(),
                        kind: attr(e, "type").unwrap_or_default(),
                        default: attr(e, "default").is_some_and(|v| matches!(v.as_str(), "1" | "true" | "on")),
                        ..StyleDef::default()
                    });
                    StylesElement::Style
                }
                "tblStylePr" => StylesElement::TableConditional,
                "rPr" => StylesElement::RunProps,
                "basedOn" => {
                    if self.open.last() == Some(&StylesElement::Style)
                        && let Some(def) = &mut self.current
                    {
                        def.based_on = attr(e, "val");
                    }
                    StylesElement::Other
                }
                "vanish" | "specVanish" if !off(e) => {
                    match self.run_props_owner() {
                        // The run properties of `w:rPrDefault`, inside `w:docDefaults`.
                        Some(StylesElement::Other) if self.open.contains(&StylesElement::DocDefaults) => {
                            self.defaults = true;
                        }
                        Some(StylesElement::Style | StylesElement::TableConditional) => {
                            if let Some(def) = &mut self.current {
                                def.vanish = true;
                            }
                        }
                        _ => {}
                    }
                    StylesElement::Other
                }
                l if is_property_change(l) => return false,
                _ => StylesElement::Other,
            }
        };
        self.open.push(element);
        true
    }

    fn end(&mut self, ns: Ns, local: &str) {
        self.open.pop();
        if ns == Ns::W
            && local == "style"
            && let Some(def) = self.current.take()
        {
            self.defs.push(def);
        }
    }

    fn text(&mut self, _: &str) {}
}

/// One package relationship.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Relationship {
    kind: String,
    target: String,
    external: bool,
}

#[derive(Debug, Default)]
struct RelsHandler {
    rels: Vec<Relationship>,
}

impl Handler for RelsHandler {
    fn start(&mut self, ns: Ns, local: &str, e: &BytesStart<'_>) -> bool {
        if ns == Ns::Rels && local == "Relationship" && self.rels.len() < 10_000 {
            self.rels.push(Relationship {
                kind: attr(e, "Type").unwrap_or_default(),
                target: attr(e, "Target").unwrap_or_default(),
                external: attr(e, "TargetMode").is_some_and(|m| m.eq_ignore_ascii_case("External")),
            });
        }
        true
    }

    fn end(&mut self, _: Ns, _: &str) {}

    fn text(&mut self, _: &str) {}
}

/// The part a relationship target names: relative to the source part's folder unless it starts
/// with `/`; `.` and `..` segments resolved.
fn resolve_target(base_dir: &str, target: &str) -> String {
    let joined = match target.strip_prefix('/') {
        Some(absolute) => absolute.to_owned(),
        None if base_dir.is_empty() => target.to_owned(),
        None => format!("{base_dir}/{target}"),
    };
    let mut parts: Vec<&str> = Vec::new();
    for segment in joined.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

fn split_part(part: &str) -> (&str, &str) {
    part.rsplit_once('/').unwrap_or(("", part))
}

fn read_rels(package: &mut Package, rels_part: &str) -> Result<Option<Vec<Relationship>>, ReadError> {
    let mut handler = RelsHandler::default();
    Ok(package.parse(rels_part, &mut handler)?.then_some(handler.rels))
}

/// Sorts part names so that `header2.xml` comes before `header10.xml`.
fn natural_order(parts: &mut [String]) {
    parts.sort_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
}

fn docx_blocks(package: &mut Package, limits: &Limits) -> Result<Vec<String>, ReadError> {
    // The main part is what the package relationships say, normally word/document.xml.
    let mut main = "word/document.xml".to_owned();
    if !package.has(&main)
        && let Some(rels) = read_rels(package, "_rels/.rels")?
        && let Some(r) = rels.iter().find(|r| !r.external && r.kind.ends_with("/officeDocument"))
    {
        main = resolve_target("", &r.target);
    }
    if !package.has(&main) {
        return Err(package.missing("word/document.xml"));
    }
    let (dir, file) = split_part(&main);
    let mut notes: [Vec<String>; 2] = [Vec::new(), Vec::new()];
    let mut headers = Vec::new();
    let mut footers = Vec::new();
    let mut styles_part = None;
    match read_rels(package, &format!("{dir}/_rels/{file}.rels"))? {
        Some(rels) => {
            for r in rels.iter().filter(|r| !r.external) {
                let part = resolve_target(dir, &r.target);
                let kind = r.kind.rsplit('/').next().unwrap_or("");
                match kind {
                    "styles" if styles_part.is_none() => styles_part = Some(part),
                    "footnotes" => notes[0].push(part),
                    "endnotes" => notes[1].push(part),
                    "header" => headers.push(part),
                    "footer" => footers.push(part),
                    _ => {}
                }
            }
        }
        None => {
            // No relationships: fall back on the names Word uses.
            notes[0].push(format!("{dir}/footnotes.xml"));
            notes[1].push(format!("{dir}/endnotes.xml"));
            for name in package.archive.file_names() {
                let Ok(name) = name else { continue };
                let Some(rest) = name.strip_prefix(dir).and_then(|r| r.strip_prefix('/')) else {
                    continue;
                };
                if rest.contains('/') || !rest.ends_with(".xml") {
                    continue;
                }
                if rest.starts_with("header") {
                    headers.push(name.into_owned());
                } else if rest.starts_with("footer") {
                    footers.push(name.into_owned());
                }
            }
        }
    }
    natural_order(&mut headers);
    natural_order(&mut footers);
    headers.dedup();
    footers.dedup();

    let styles_part = styles_part.unwrap_or_else(|| format!("{dir}/styles.xml"));
    let mut styles = StylesHandler::default();
    package.parse(&styles_part, &mut styles)?;
    if styles.too_many {
        return Err(package.unpack_error(format!("{styles_part} defines more than {MAX_STYLES} styles")));
    }
    let styles = styles.resolve();

    let mut blocks = Vec::new();
    for part in std::iter::once(&main).chain(notes.iter().flatten()) {
        let mut handler = DocxHandler::new(remaining_text(limits, &blocks), &styles);
        package.parse(part, &mut handler)?;
        blocks.extend(handler.b.finish());
    }
    let mut seen = Vec::new();
    for part in headers.iter().chain(&footers) {
        let mut handler = DocxHandler::new(remaining_text(limits, &blocks), &styles);
        package.parse(part, &mut handler)?;
        add_unique(&mut blocks, &mut seen, handler.b.finish());
    }
    Ok(blocks)
}

// ---------------------------------------------------------------------------------------------
// .odt

/// Which ODF part is being read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OdtPart {
    /// content.xml: the body.
    Content,
    /// styles.xml: only the headers and footers of its master pages.
    Styles,
}

/// Which styles hide text (`text:display="none"` in their `style:text-properties`), by family
/// (`paragraph`, `text`) and name, through `style:parent-style-name` chains.
#[derive(Debug, Default)]
struct OdtStyles {
    /// Common styles (`office:styles`), the only ones a style may name as its parent.
    common: std::collections::HashMap<(String, String), OdtStyle>,
    /// Automatic styles of the part being read (`office:automatic-styles`).
    automatic: std::collections::HashMap<(String, String), OdtStyle>,
    /// What `style:default-style` says, by family.
    defaults: std::collections::HashMap<String, bool>,
}

/// One ODF style as read.
#[derive(Debug, Default, Clone)]
struct OdtStyle {
    parent: Option<String>,
    /// `Some(true)`: its text properties hide text; `Some(false)`: they show it; `None`: they do
    /// not say, and its parent decides.
    hidden: Option<bool>,
}

impl OdtStyles {
    fn len(&self) -> usize {
        self.common.len() + self.automatic.len()
    }

    /// Whether text in the style `name` of `family` is hidden, if that style or one it is based on
    /// says, else the family's default style. Automatic styles are looked up first.
    fn hidden(&self, family: &str, name: &str) -> Option<bool> {
        let key = (family.to_owned(), name.to_owned());
        let mut style = self.automatic.get(&key).or_else(|| self.common.get(&key));
        // A chain can be no longer than the styles there are; a longer walk is a cycle.
        for _ in 0..=self.common.len() + 1 {
            let Some(s) = style else { break };
            if s.hidden.is_some() {
                return s.hidden;
            }
            style = s
                .parent
                .as_ref()
                .and_then(|p| self.common.get(&(family.to_owned(), p.clone())));
        }
        self.defaults.get(family).copied()
    }
}

/// `text:display` in text properties: `none` hides text, and so (not knowing the condition)
/// does `condition`; `true` shows it.
fn display_hides(e: &BytesStart<'_>) -> Option<bool> {
    attr(e, "display").map(|v| v != "true")
}

/// A paragraph, heading, span or link open in the body.
#[derive(Debug, Clone, Copy)]
struct OdtLevel {
    hidden: bool,
    /// For a paragraph: where it started, and whether a `text:hidden-paragraph` field hides it.
    paragraph: Option<(Checkpoint, bool)>,
}

/// Extracts the text of content.xml, or the headers and footers of styles.xml, and collects the
/// styles of either (see [`OdtStyles`]).
struct OdtHandler {
    b: Builder,
    part: OdtPart,
    /// Inside a `style:header`/`style:footer` (styles.xml), and how deep.
    in_header: usize,
    /// The last character added to the paragraph was collapsible white space (or the paragraph
    /// has just started), so further white space is dropped, as ODF requires.
    after_space: bool,
    styles: OdtStyles,
    /// Inside `office:styles` (true) or `office:automatic-styles` (false).
    in_styles: Option<bool>,
    /// The style being read: its family and name, and whether it is a default style.
    style: Option<(String, String, bool, OdtStyle)>,
    too_many_styles: bool,
    /// The paragraphs, headings, spans and links open, outermost first.
    levels: Vec<OdtLevel>,
}

impl OdtHandler {
    fn new(part: OdtPart, limit: u64, styles: OdtStyles) -> OdtHandler {
        OdtHandler {
            b: Builder::new(limit),
            part,
            in_header: 0,
            after_space: true,
            styles,
            in_styles: None,
            style: None,
            too_many_styles: false,
            levels: Vec::new(),
        }
    }

    fn hidden(&self) -> bool {
        self.levels.last().is_some_and(|l| l.hidden)
    }

    /// Reads the style definitions inside `office:styles` and `office:automatic-styles`.
    fn style_start(&mut self, ns: Ns, local: &str, e: &BytesStart<'_>) -> bool {
        match (ns, local) {
            (Ns::Style, "style" | "default-style") => {
                if self.styles.len() >= MAX_STYLES {
                    self.too_many_styles = true;
                    return false;
                }
                let family = attr(e, "family").unwrap_or_default();
                let name = attr(e, "name").unwrap_or_default();
                let style = OdtStyle {
                    parent: attr(e, "parent-style-name"),
                    hidden: None,
                };
                self.style = Some((family, name, local == "default-style", style));
                true
            }
            (Ns::Style, "text-properties") => {
                if let Some((_, _, _, style)) = &mut self.style {
                    style.hidden = display_hides(e).or(style.hidden);
                }
                true
            }
            _ => false,
        }
    }

    fn style_end(&mut self) {
        let Some((family, name, default, style)) = self.style.take() else {
            return;
        };
        if default {
            if let Some(hidden) = style.hidden {
                self.styles.defaults.insert(family, hidden);
            }
        } else if self.in_styles == Some(true) {
            self.styles.common.entry((family, name)).or_insert(style);
        } else {
            self.styles.automatic.entry((family, name)).or_insert(style);
        }
    }

    /// Whether the paragraph, heading, span or link starting is hidden by its styles (the style
    /// named, then the classes): `None` if they do not say.
    fn styled_hidden(&self, family: &str, e: &BytesStart<'_>) -> Option<bool> {
        let named = attr(e, "style-name").and_then(|n| self.styles.hidden(family, &n));
        named.or_else(|| {
            attr(e, "class-names").and_then(|names| {
                names
                    .split_ascii_whitespace()
                    .rev()
                    .find_map(|n| self.styles.hidden(family, n))
            })
        })
    }
}

fn is_header_or_footer(local: &str) -> bool {
    matches!(
        local,
        "header" | "footer" | "header-left" | "footer-left" | "header-first" | "footer-first"
    )
}

impl Handler for OdtHandler {
    fn start(&mut self, ns: Ns, local: &str, e: &BytesStart<'_>) -> bool {
        if self.in_styles.is_some() {
            return self.style_start(ns, local, e);
        }
        // A section, field or anything else of the text namespace that is not displayed.
        if ns == Ns::Text && attr(e, "display").is_some_and(|d| d == "none" || (local == "section" && d == "condition"))
        {
            return false;
        }
        match (ns, local) {
            (Ns::Style, l) if is_header_or_footer(l) => {
                // A header or footer switched off.
                if attr(e, "display").is_some_and(|d| d == "false") {
                    return false;
                }
                self.in_header += 1;
            }
            (Ns::Office, "styles") => self.in_styles = Some(true),
            (Ns::Office, "automatic-styles") => self.in_styles = Some(false),
            // Comments, scripts, forms and settings hold no answer text.
            (Ns::Office, "annotation" | "font-face-decls" | "scripts" | "forms" | "settings" | "meta") => {
                return false;
            }
            (Ns::Svg, "title" | "desc") => return false,
            (Ns::Text, "p" | "h") => {
                if self.part == OdtPart::Styles && self.in_header == 0 {
                    return false;
                }
                // A paragraph in a frame anchored in hidden text is hidden with it.
                let styled = self
                    .styled_hidden("paragraph", e)
                    .or_else(|| self.styles.defaults.get("paragraph").copied());
                let hidden = self.hidden() || styled.unwrap_or(false);
                let at = self.b.checkpoint();
                self.levels.push(OdtLevel {
                    hidden,
                    paragraph: Some((at, false)),
                });
                self.b.start_para();
                self.after_space = true;
            }
            (Ns::Text, "span" | "a") => {
                let hidden = self.styled_hidden("text", e).unwrap_or(self.hidden());
                self.levels.push(OdtLevel {
                    hidden,
                    paragraph: None,
                });
            }
            // Hides the paragraph it is in, unless it says it does not.
            (Ns::Text, "hidden-paragraph") => {
                if attr(e, "is-hidden").is_none_or(|h| h != "false")
                    && let Some(level) = self.levels.iter_mut().rev().find(|l| l.paragraph.is_some())
                    && let Some((_, hide)) = &mut level.paragraph
                {
                    *hide = true;
                }
                return false;
            }
            // Shows one of two texts, by a condition: the one it says is current (what the
            // element holds, normally).
            (Ns::Text, "conditional-text") => {
                let current = attr(e, "current-value").is_some_and(|v| v == "true");
                let value = attr(
                    e,
                    if current {
                        "string-value-if-true"
                    } else {
                        "string-value-if-false"
                    },
                );
                if let Some(value) = value {
                    self.text(&value);
                }
                return false;
            }
            (Ns::Text, "s") if !self.hidden() => {
                let count = attr(e, "c").and_then(|c| c.trim().parse::<usize>().ok()).unwrap_or(1);
                self.b.push_str(&" ".repeat(count.clamp(1, MAX_SPACES)));
                self.after_space = true;
            }
            (Ns::Text, "tab") if !self.hidden() => {
                self.b.push('\t');
                self.after_space = true;
            }
            (Ns::Text, "line-break") if !self.hidden() => {
                self.b.push('\n');
                self.after_space = true;
            }
            // A note anchored in hidden text is hidden with it.
            (Ns::Text, "note") => {
                if self.hidden() {
                    return false;
                }
                let endnote = attr(e, "note-class").is_some_and(|c| c == "endnote");
                self.b.start_note(endnote);
            }
            // The note's number, tracked deletions, conditional hidden text and generated
            // indexes (a table of contents repeats the headings).
            (
                Ns::Text,
                "note-citation" | "tracked-changes" | "hidden-text" | "table-of-content" | "illustration-index"
                | "table-index" | "object-index" | "user-index" | "alphabetical-index" | "bibliography",
            ) => return false,
            (Ns::Table, "table-row") => self.b.start_row(),
            (Ns::Table, "table-cell" | "covered-table-cell") => self.b.start_cell(),
            _ => {}
        }
        true
    }

    fn end(&mut self, ns: Ns, local: &str) {
        if let Some(common) = self.in_styles {
            match (ns, local) {
                (Ns::Office, "styles") if common => self.in_styles = None,
                (Ns::Office, "automatic-styles") if !common => self.in_styles = None,
                (Ns::Style, "style" | "default-style") => self.style_end(),
                _ => {}
            }
            return;
        }
        match (ns, local) {
            (Ns::Style, l) if is_header_or_footer(l) => self.in_header = self.in_header.saturating_sub(1),
            (Ns::Text, "p" | "h") => match self.levels.pop().and_then(|l| l.paragraph) {
                Some((at, true)) => self.b.discard_para(at),
                _ => self.b.end_para(),
            },
            (Ns::Text, "span" | "a") => {
                self.levels.pop();
            }
            (Ns::Text, "note") => self.b.end_note(),
            (Ns::Table, "table-row") => self.b.end_row(),
            (Ns::Table, "table-cell" | "covered-table-cell") => self.b.end_cell(),
            _ => {}
        }
    }

    fn text(&mut self, text: &str) {
        if self.b.para().is_none() || self.hidden() {
            return;
        }
        let mut collapsed = String::with_capacity(text.len());
        for c in text.chars() {
            if matches!(c, ' ' | '\t' | '\n' | '\r') {
                if !self.after_space {
                    collapsed.push(' ');
                    self.after_space = true;
                }
            } else {
                collapsed.push(c);
                self.after_space = false;
            }
        }
        self.b.push_str(&collapsed);
    }

    fn full(&self) -> Option<u64> {
        self.b.full()
    }
}

/// Finds `manifest:encryption-data`, which marks an encrypted (password-protected) `.odt`.
#[derive(Debug, Default)]
struct ManifestHandler {
    encrypted: bool,
}

impl Handler for ManifestHandler {
    fn start(&mut self, ns: Ns, local: &str, _: &BytesStart<'_>) -> bool {
        if ns == Ns::Manifest && local == "encryption-data" {
            self.encrypted = true;
        }
        true
    }

    fn end(&mut self, _: Ns, _: &str) {}

    fn text(&mut self, _: &str) {}
}

fn odt_blocks(package: &mut Package, limits: &Limits) -> Result<Vec<String>, ReadError> {
    let mut manifest = ManifestHandler::default();
    package.parse("META-INF/manifest.xml", &mut manifest)?;
    if manifest.encrypted {
        return Err(ReadError::Protected {
            path: package.name.clone(),
            kind: package.kind,
        });
    }
    if !package.has("content.xml") {
        return Err(package.missing("content.xml"));
    }
    // styles.xml first: content.xml's styles are based on its common styles. Its headers and
    // footers come after the body all the same.
    let mut styles = OdtHandler::new(OdtPart::Styles, limits.max_bytes, OdtStyles::default());
    package.parse("styles.xml", &mut styles)?;
    let too_many =
        |package: &Package, part: &str| package.unpack_error(format!("{part} defines more than {MAX_STYLES} styles"));
    if styles.too_many_styles {
        return Err(too_many(package, "styles.xml"));
    }
    let mut seen = Vec::new();
    let mut headers = Vec::new();
    for block in styles.b.finish() {
        add_unique(&mut headers, &mut seen, vec![block]);
    }
    let mut common = styles.styles;
    common.automatic.clear();
    let mut content = OdtHandler::new(OdtPart::Content, remaining_text(limits, &headers), common);
    package.parse("content.xml", &mut content)?;
    if content.too_many_styles {
        return Err(too_many(package, "content.xml"));
    }
    let mut blocks = content.b.finish();
    blocks.append(&mut headers);
    Ok(blocks)
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::path::PathBuf;
    use std::time::{Duration, Instant};

    use zip::write::SimpleFileOptions;

    use super::*;
    use crate::text::read::{Format, read_path};

    const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
    const RELS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";

    /// A zip archive of `entries`, deflated.
    fn zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut writer = zip::ZipWriter::new(io::Cursor::new(Vec::new()));
        let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        for (name, data) in entries {
            writer.start_file(*name, options).expect("start entry");
            writer.write_all(data).expect("write entry");
        }
        writer.finish().expect("finish zip").into_inner()
    }

    /// A word/document.xml whose body is `body`.
    fn document(body: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="{W}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>{body}</w:body></w:document>"#
        )
    }

    fn docx(body: &str) -> Vec<u8> {
        zip(&[("word/document.xml", document(body).as_bytes())])
    }

    struct Dir {
        dir: tempfile::TempDir,
    }

    impl Dir {
        fn new() -> Dir {
            Dir {
                dir: tempfile::tempdir().expect("tempdir"),
            }
        }

        fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
            let path = self.dir.path().join(name);
            std::fs::write(&path, bytes).expect("write fixture");
            path
        }
    }

    fn read(name: &str, bytes: &[u8]) -> Result<String, ReadError> {
        let dir = Dir::new();
        let path = dir.file(name, bytes);
        read_path(&path, &Limits::default()).map(|s| {
            assert_eq!(s.format, Format::Text);
            s.text
        })
    }

    fn read_docx(body: &str) -> String {
        read("a.docx", &docx(body)).expect("reads")
    }

    fn fixture(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/office")
            .join(name)
    }

    const FIXTURE_BODY: &str = "How Stalin rose up the Bolshevik ranks\n\n\
        The two organisations\n\n\
        The two organisations that became pre-eminent were the Council of People’s Commissars (Sovnarkom), which was the government, and the party Secretariat.\n\n\
        Stalin’s jobs\n\n\
        Stalin used patronage: he gave jobs to his friends, who owed him.\n\n\
        Job\tWhat it let him do\n\n\
        General Secretary\tkept files on every member\n\n\
        Head of Rabkrin\tlet him oversee every government department\n\n\
        Cementing his power\n\n\
        The Lenin enrolment brought many new members into the party. Stalin took on Lenin’s mantle and called himself Lenin’s “true follower”, so nobody could question him.\n\n\
        In the Lenin enrolment the new members were picked by the Secretariat, so they owed Stalin their place and supported him.\n\n\
        Sam Student, Year 9 History\n\n\
        Worksheet: the rise of Stalin";

    #[test]
    fn reads_the_libreoffice_fixtures() {
        for name in ["answer.docx", "answer.odt"] {
            let source = read_path(&fixture(name), &Limits::default()).expect(name);
            assert_eq!(source.text, FIXTURE_BODY, "{name}");
            assert_eq!(source.format, Format::Text);
            assert!(source.name.ends_with(name));
        }
    }

    #[test]
    fn docx_runs_and_special_characters() {
        let cases: &[(&str, &str)] = &[
            // Paragraphs are blocks; runs join.
            (
                r#"<w:p><w:r><w:t>One </w:t></w:r><w:r><w:t xml:space="preserve"> two</w:t></w:r></w:p><w:p><w:r><w:t>Three</w:t></w:r></w:p>"#,
                "One two\n\nThree",
            ),
            // Without xml:space="preserve", edge spaces go; with it, they stay.
            (
                r#"<w:p><w:r><w:t xml:space="preserve">a </w:t><w:t>b</w:t><w:t xml:space="preserve"> c</w:t></w:r></w:p>"#,
                "a b c",
            ),
            // Tab, break, carriage return, no-break hyphen; symbols and soft hyphens ignored.
            (
                r#"<w:p><w:r><w:t>a</w:t><w:tab/><w:t>b</w:t><w:br/><w:t>c</w:t><w:cr/><w:t>d</w:t><w:noBreakHyphen/><w:t>e</w:t><w:sym w:font="Wingdings" w:char="F04A"/><w:softHyphen/><w:t>f</w:t></w:r></w:p>"#,
                "a\tb\nc\nd-ef",
            ),
            // Tab stops in paragraph properties are not tabs.
            (
                r#"<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:t>x</w:t></w:r></w:p>"#,
                "x",
            ),
            // Entities, character references, CDATA; smart quotes untouched.
            (
                r#"<w:p><w:r><w:t>&lt;a&gt; &amp; &#8220;b&#x201D; ‘c’ &quot;d&apos;</w:t></w:r></w:p>"#,
                "<a> & “b” ‘c’ \"d'",
            ),
            // Tracked changes: deletions and moves away dropped, insertions kept.
            (
                r#"<w:p><w:r><w:t xml:space="preserve">He </w:t></w:r><w:del w:id="1"><w:r><w:delText>never </w:delText></w:r></w:del><w:ins w:id="2"><w:r><w:t xml:space="preserve">always </w:t></w:r></w:ins><w:moveFrom w:id="3"><w:r><w:t>gone</w:t></w:r></w:moveFrom><w:r><w:t>won</w:t></w:r></w:p>"#,
                "He always won",
            ),
            // Hidden text (w:vanish) is left out, unless switched off.
            (
                r#"<w:p><w:r><w:rPr><w:vanish/></w:rPr><w:t>patronage</w:t></w:r><w:r><w:rPr><w:vanish w:val="0"/></w:rPr><w:t>shown</w:t></w:r></w:p>"#,
                "shown",
            ),
            // Field codes are not text; field results are.
            (
                r#"<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>7</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>"#,
                "7",
            ),
            // A text box inside a paragraph is a block of its own; its VML fallback copy is skipped.
            (
                r#"<w:p><w:r><w:t>Before</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><w:txbxContent><w:p><w:r><w:t>Boxed</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>Boxed</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r><w:r><w:t xml:space="preserve"> after</w:t></w:r></w:p>"#,
                "Boxed\n\nBefore after",
            ),
            // Tables: a row per block, cells separated by tabs, empty cells dropped, a cell's
            // paragraphs on separate lines.
            (
                r#"<w:tbl><w:tblPr/><w:tr><w:tc><w:p><w:r><w:t>General Secretary</w:t></w:r></w:p></w:tc><w:tc><w:p/></w:tc><w:tc><w:p><w:r><w:t>kept files</w:t></w:r></w:p><w:p><w:r><w:t>on everyone</w:t></w:r></w:p></w:tc></w:tr><w:tr><w:tc><w:p><w:r><w:t>Row 2</w:t></w:r></w:p></w:tc></w:tr></w:tbl><w:p><w:r><w:t>After</w:t></w:r></w:p>"#,
                "General Secretary\tkept files\non everyone\n\nRow 2\n\nAfter",
            ),
            // A DTD-less reference to an undeclared entity is kept as written.
            (r#"<w:p><w:r><w:t>a &nope; b</w:t></w:r></w:p>"#, "a &nope; b"),
            // Empty paragraphs make no blocks.
            (r#"<w:p/><w:p><w:r><w:t>x</w:t></w:r></w:p><w:p></w:p>"#, "x"),
        ];
        for (body, expected) in cases {
            assert_eq!(read_docx(body), *expected, "{body}");
        }
    }

    #[test]
    fn docx_notes_headers_and_footers_follow_the_body() {
        let rels = format!(
            r#"<Relationships xmlns="{RELS}">
<Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>
<Relationship Id="r2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header2.xml"/>
<Relationship Id="r3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="/word/header10.xml"/>
<Relationship Id="r4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/endnotes" Target="endnotes.xml"/>
<Relationship Id="r5" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" Target="./footnotes.xml"/>
<Relationship Id="r6" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://example.org/" TargetMode="External"/>
</Relationships>"#
        );
        let notes = |root: &str, item: &str, text: &str| {
            format!(
                r#"<w:{root} xmlns:w="{W}"><w:{item} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{item}><w:{item} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:t>cont</w:t></w:r></w:p></w:{item}><w:{item} w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t>{text}</w:t></w:r></w:p></w:{item}></w:{root}>"#
            )
        };
        let part = |root: &str, text: &str| {
            format!(r#"<w:{root} xmlns:w="{W}"><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:{root}>"#)
        };
        let body = document(r#"<w:p><w:r><w:t>Body</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r></w:p>"#);
        let bytes = zip(&[
            ("word/document.xml", body.as_bytes()),
            ("word/_rels/document.xml.rels", rels.as_bytes()),
            (
                "word/footnotes.xml",
                notes("footnotes", "footnote", "A footnote").as_bytes(),
            ),
            (
                "word/endnotes.xml",
                notes("endnotes", "endnote", "An endnote").as_bytes(),
            ),
            ("word/header2.xml", part("hdr", "Name").as_bytes()),
            ("word/header10.xml", part("hdr", "Name").as_bytes()),
            ("word/footer1.xml", part("ftr", "Page").as_bytes()),
        ]);
        assert_eq!(
            read("a.docx", &bytes).expect("reads"),
            "Body\n\nA footnote\n\nAn endnote\n\nName\n\nPage"
        );

        // Without relationships, the usual part names are used.
        let bytes = zip(&[
            ("word/document.xml", body.as_bytes()),
            (
                "word/footnotes.xml",
                notes("footnotes", "footnote", "A footnote").as_bytes(),
            ),
            ("word/header1.xml", part("hdr", "Head").as_bytes()),
            ("word/footer1.xml", part("ftr", "Foot").as_bytes()),
        ]);
        assert_eq!(
            read("a.docx", &bytes).expect("reads"),
            "Body\n\nA footnote\n\nHead\n\nFoot"
        );
    }

    /// A word/styles.xml holding `inner` (document defaults and styles).
    fn styles_xml(inner: &str) -> String {
        format!(r#"<?xml version="1.0" encoding="UTF-8"?><w:styles xmlns:w="{W}">{inner}</w:styles>"#)
    }

    fn read_styled(body: &str, styles: &str) -> String {
        let bytes = zip(&[
            ("word/document.xml", document(body).as_bytes()),
            ("word/styles.xml", styles_xml(styles).as_bytes()),
        ]);
        read("a.docx", &bytes).unwrap_or_else(|e| panic!("{e}: {body}"))
    }

    /// A run of `text` with the character style `style`.
    fn styled_run(style: &str, text: &str) -> String {
        format!(r#"<w:r><w:rPr><w:rStyle w:val="{style}"/></w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>"#)
    }

    /// A paragraph of `text` with the paragraph style `style`.
    fn styled_para(style: &str, text: &str) -> String {
        format!(r#"<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#)
    }

    fn style(kind: &str, id: &str, inner: &str) -> String {
        format!(r#"<w:style w:type="{kind}" w:styleId="{id}"><w:name w:val="{id}"/>{inner}</w:style>"#)
    }

    const VANISH: &str = "<w:rPr><w:vanish/></w:rPr>";

    #[test]
    fn docx_text_hidden_by_a_style_is_left_out() {
        let chain = [
            style("character", "Root", VANISH),
            style(
                "character",
                "Middle",
                r#"<w:basedOn w:val="Root"/><w:rPr><w:b/></w:rPr>"#,
            ),
            // `w:vanish w:val="0"` in a style does not show text its base hides (a toggle).
            style(
                "character",
                "Leaf",
                r#"<w:basedOn w:val="Middle"/><w:rPr><w:vanish w:val="0"/></w:rPr>"#,
            ),
            style("character", "Plain", r#"<w:rPr><w:i/></w:rPr>"#),
            style("paragraph", "Normal", ""),
            style("paragraph", "HiddenPara", VANISH),
            style("paragraph", "Heir", r#"<w:basedOn w:val="HiddenPara"/>"#),
            // The run properties of a paragraph style's paragraph mark hide only the mark.
            style("paragraph", "MarkOnly", r#"<w:pPr><w:rPr><w:vanish/></w:rPr></w:pPr>"#),
            // Old formatting kept by tracked changes is not what is shown.
            style(
                "character",
                "WasHidden",
                r#"<w:rPr><w:i/><w:rPrChange w:id="1"><w:rPr><w:vanish/></w:rPr></w:rPrChange></w:rPr>"#,
            ),
            style("table", "HiddenTable", VANISH),
            style(
                "table",
                "BandedHidden",
                r#"<w:tblStylePr w:type="firstRow"><w:rPr><w:vanish/></w:rPr></w:tblStylePr>"#,
            ),
        ]
        .concat();
        let cases: Vec<(String, &str)> = vec![
            (format!("<w:p>{}{}</w:p>", styled_run("Root", "hidden "), styled_run("Plain", "shown")), "shown"),
            (format!("<w:p>{}{}</w:p>", styled_run("Leaf", "hidden "), styled_run("Nope", "unknown style")), "unknown style"),
            (format!("<w:p>{}</w:p>", styled_run("WasHidden", "was hidden once")), "was hidden once"),
            // A run's own `w:vanish w:val="0"` shows what its style hides.
            (
                r#"<w:p><w:r><w:rPr><w:rStyle w:val="Root"/><w:vanish w:val="0"/></w:rPr><w:t>shown</w:t></w:r></w:p>"#.to_owned(),
                "shown",
            ),
            (
                [styled_para("HiddenPara", "hidden"), styled_para("Heir", "hidden too"), styled_para("Normal", "shown")].concat(),
                "shown",
            ),
            (styled_para("MarkOnly", "mark only"), "mark only"),
            (
                r#"<w:p><w:pPr><w:pStyle w:val="Normal"/><w:pPrChange w:id="2"><w:pPr><w:pStyle w:val="HiddenPara"/></w:pPr></w:pPrChange></w:pPr><w:r><w:t>restyled</w:t></w:r></w:p>"#.to_owned(),
                "restyled",
            ),
            // Tables, and a text box in a hidden run.
            (
                r#"<w:tbl><w:tblPr><w:tblStyle w:val="HiddenTable"/></w:tblPr><w:tr><w:tc><w:p><w:r><w:t>cell</w:t></w:r></w:p></w:tc></w:tr></w:tbl><w:tbl><w:tblPr><w:tblStyle w:val="BandedHidden"/></w:tblPr><w:tr><w:tc><w:p><w:r><w:t>banded</w:t></w:r></w:p></w:tc></w:tr></w:tbl><w:p><w:r><w:t>after</w:t></w:r></w:p>"#.to_owned(),
                "after",
            ),
            (
                r#"<w:p><w:r><w:rPr><w:rStyle w:val="Root"/></w:rPr><w:drawing><w:txbxContent><w:p><w:r><w:t>boxed</w:t></w:r></w:p></w:txbxContent></w:drawing></w:r><w:r><w:t>text</w:t></w:r></w:p>"#.to_owned(),
                "text",
            ),
        ];
        for (body, expected) in &cases {
            assert_eq!(read_styled(body, &chain), *expected, "{body}");
            // Without the styles, everything shows.
            assert!(read_docx(body).contains(expected), "{body}");
        }
    }

    #[test]
    fn docx_alternate_content_is_read_as_word_shows_it() {
        let alternate = |choices: &str, fallback: &str| {
            format!(
                r#"<w:p><w:r><w:t xml:space="preserve">Before </w:t></w:r><w:r><mc:AlternateContent xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" xmlns:fake="http://schemas.microsoft.com/office/word/2099/fake">{choices}<mc:Fallback>{fallback}</mc:Fallback></mc:AlternateContent></w:r><w:r><w:t>after</w:t></w:r></w:p>"#
            )
        };
        let boxed = |text: &str| format!("<w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent>");
        let choice =
            |requires: &str, text: &str| format!(r#"<mc:Choice Requires="{requires}">{}</mc:Choice>"#, boxed(text));
        let cases = [
            // Understood: the choice, not the fallback.
            (
                alternate(&choice("wps", "modern"), &boxed("fallback")),
                "modern\n\nBefore after",
            ),
            // Not understood (an unknown namespace, an unbound prefix): the fallback.
            (
                alternate(&choice("fake", "unseen"), &boxed("fallback")),
                "fallback\n\nBefore after",
            ),
            (alternate(&choice("wps nope", "unseen"), ""), "Before after"),
            // The first understood choice only.
            (
                alternate(
                    &[
                        choice("fake", "unseen"),
                        choice("wps", "second"),
                        choice("wps", "third"),
                    ]
                    .concat(),
                    "",
                ),
                "second\n\nBefore after",
            ),
        ];
        for (body, expected) in &cases {
            assert_eq!(read_docx(body), *expected, "{body}");
        }
    }

    #[test]
    fn docx_defaults_and_default_styles_hide_text() {
        let body = r#"<w:p><w:r><w:t xml:space="preserve">plain </w:t></w:r><w:r><w:rPr><w:vanish w:val="off"/></w:rPr><w:t>unhidden</w:t></w:r></w:p>"#;
        let defaults = format!("<w:docDefaults><w:rPrDefault>{VANISH}</w:rPrDefault><w:pPrDefault/></w:docDefaults>");
        assert_eq!(read_styled(body, &defaults), "unhidden");
        let default_para =
            r#"<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:rPr><w:vanish/></w:rPr></w:style>"#;
        assert_eq!(read_styled(body, default_para), "unhidden");
        // The default paragraph style applies where the style named is unknown, not where
        // another is named.
        let body = [styled_para("Unknown", "unknown"), styled_para("Other", "other")].concat();
        let styles = format!("{default_para}{}", style("paragraph", "Other", ""));
        assert_eq!(read_styled(&body, &styles), "other");
        let default_char = r#"<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:rPr><w:vanish/></w:rPr></w:style>"#;
        let body = format!(
            "<w:p><w:r><w:t xml:space=\"preserve\">plain </w:t></w:r>{}</w:p>",
            styled_run("Shown", "styled")
        );
        let styles = format!("{default_char}{}", style("character", "Shown", ""));
        assert_eq!(read_styled(&body, &styles), "styled");
    }

    #[test]
    fn docx_style_chains_are_safe() {
        let body = [
            styled_run("A", "a "),
            styled_run("Self", "self "),
            styled_run("Far", "far "),
            styled_run("X", "x"),
        ]
        .concat();
        let body = format!("<w:p>{body}</w:p>");
        // Cycles without `w:vanish` hide nothing; with it, everything on them.
        let mut styles = [
            style("character", "A", r#"<w:basedOn w:val="B"/>"#),
            style("character", "B", r#"<w:basedOn w:val="A"/>"#),
            style("character", "Self", r#"<w:basedOn w:val="Self"/>"#),
        ]
        .concat();
        // A chain 20,000 styles long, hidden at its root: resolved in linear time.
        let depth = 20_000;
        for i in 0..depth {
            let based = if i + 1 < depth {
                format!(r#"<w:basedOn w:val="S{}"/>"#, i + 1)
            } else {
                VANISH.to_owned()
            };
            styles.push_str(&style("character", &format!("S{i}"), &based));
        }
        styles.push_str(&style("character", "Far", r#"<w:basedOn w:val="S0"/>"#));
        styles.push_str(&style("character", "X", r#"<w:basedOn w:val="Y"/>"#));
        styles.push_str(&style("character", "Y", r#"<w:basedOn w:val="Z"/>"#));
        styles.push_str(&style("character", "Z", &format!(r#"<w:basedOn w:val="X"/>{VANISH}"#)));
        let start = Instant::now();
        assert_eq!(read_styled(&body, &styles), "a self");
        assert!(start.elapsed() < Duration::from_secs(10), "{:?}", start.elapsed());

        // Too many styles to be a real document.
        let many = style("character", "s", "").repeat(MAX_STYLES + 1);
        let bytes = zip(&[
            ("word/document.xml", document(&body).as_bytes()),
            ("word/styles.xml", styles_xml(&many).as_bytes()),
        ]);
        let err = expect_err("styles.docx", &bytes);
        assert!(matches!(err, ReadError::Unpack { .. }), "{err:?}");
        assert!(err.to_string().contains("styles"), "{err}");
    }

    #[test]
    fn docx_styles_part_from_relationships() {
        let rels = format!(
            r#"<Relationships xmlns="{RELS}"><Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="custom/looks.xml"/></Relationships>"#
        );
        let body = document(&format!(
            "<w:p>{}<w:r><w:t>shown</w:t></w:r></w:p>",
            styled_run("H", "hidden ")
        ));
        let styles = styles_xml(&style("character", "H", VANISH));
        let bytes = zip(&[
            ("word/document.xml", body.as_bytes()),
            ("word/_rels/document.xml.rels", rels.as_bytes()),
            ("word/custom/looks.xml", styles.as_bytes()),
        ]);
        assert_eq!(read("a.docx", &bytes).expect("reads"), "shown");
    }

    #[test]
    fn docx_main_part_from_package_relationships() {
        let rels = format!(
            r#"<Relationships xmlns="{RELS}"><Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="/word/document2.xml"/></Relationships>"#
        );
        let body = document(r#"<w:p><w:r><w:t>Moved</w:t></w:r></w:p>"#);
        let bytes = zip(&[
            ("_rels/.rels", rels.as_bytes()),
            ("word/document2.xml", body.as_bytes()),
        ]);
        assert_eq!(read("a.docx", &bytes).expect("reads"), "Moved");
    }

    #[test]
    fn odt_layout() {
        let content = r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<office:automatic-styles><text:p>not text</text:p></office:automatic-styles>
<office:body><office:text>
<text:sequence-decls/>
<text:tracked-changes><text:changed-region><text:deletion><text:p>deleted words</text:p></text:deletion></text:changed-region></text:tracked-changes>
<text:table-of-content><text:index-body><text:p>Contents 1</text:p></text:index-body></text:table-of-content>
<text:h text:outline-level="1">A   heading</text:h>
<text:p>  Two<text:s text:c="2"/>spaces,	a <text:span>span</text:span>,<text:tab/>a tab<text:line-break/>and a
   line break.<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p>The footnote.</text:p></text:note-body></text:note> More.<text:note text:note-class="endnote"><text:note-citation>i</text:note-citation><text:note-body><text:p>The endnote.</text:p></text:note-body></text:note><office:annotation><dc:creator>Teacher</dc:creator><text:p>A comment</text:p></office:annotation></text:p>
<text:list><text:list-item><text:p>First item</text:p></text:list-item><text:list-item><text:p>Second item</text:p></text:list-item></text:list>
<table:table><table:table-column table:number-columns-repeated="2"/><table:table-header-rows><table:table-row><table:table-cell><text:p>Post</text:p></table:table-cell><table:table-cell><text:p>Power</text:p></table:table-cell></table:table-row></table:table-header-rows>
<table:table-row><table:table-cell table:number-columns-spanned="2"><text:p>Merged</text:p></table:table-cell><table:covered-table-cell/></table:table-row></table:table>
<text:p><draw:frame><draw:text-box><text:p>In a frame</text:p></draw:text-box><svg:title>Alt title</svg:title></draw:frame>Around</text:p>
<text:p text:style-name="x">a<text:s text:c="999999999"/>b</text:p>
</office:text></office:body></office:document-content>"#;
        let styles = r#"<office:document-styles xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">
<office:styles><style:style style:name="x"/></office:styles>
<office:master-styles><style:master-page style:name="Standard"><style:header><text:p>Header text</text:p></style:header><style:header-left><text:p>Header text</text:p></style:header-left><style:footer><text:p>Footer text</text:p></style:footer></style:master-page></office:master-styles>
</office:document-styles>"#;
        let bytes = zip(&[
            ("mimetype", b"application/vnd.oasis.opendocument.text"),
            ("content.xml", content.as_bytes()),
            ("styles.xml", styles.as_bytes()),
        ]);
        let text = read("a.odt", &bytes).expect("reads");
        let expected = format!(
            "A heading\n\nTwo  spaces, a span,\ta tab\nand a line break. More.\n\n\
             First item\n\nSecond item\n\nPost\tPower\n\nMerged\n\nIn a frame\n\nAround\n\na{}b\n\n\
             The footnote.\n\nThe endnote.\n\nHeader text\n\nFooter text",
            " ".repeat(MAX_SPACES)
        );
        assert_eq!(text, expected);
    }

    const ODF_NS: &str = r#"xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0""#;

    /// An .odt whose content.xml has the automatic styles `automatic` and the body `body`, and
    /// whose styles.xml has the common styles `common` and the master styles `master`.
    fn odt(automatic: &str, body: &str, common: &str, master: &str) -> Vec<u8> {
        let content = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODF_NS}><office:automatic-styles>{automatic}</office:automatic-styles><office:body><office:text>{body}</office:text></office:body></office:document-content>"#
        );
        let styles = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><office:document-styles {ODF_NS}><office:styles>{common}</office:styles><office:master-styles>{master}</office:master-styles></office:document-styles>"#
        );
        zip(&[
            ("mimetype", b"application/vnd.oasis.opendocument.text"),
            ("content.xml", content.as_bytes()),
            ("styles.xml", styles.as_bytes()),
        ])
    }

    /// A style definition: family, name, parent and `text:display` (empty: none).
    fn odf_style(family: &str, name: &str, parent: &str, display: &str) -> String {
        let parent = if parent.is_empty() {
            String::new()
        } else {
            format!(r#" style:parent-style-name="{parent}""#)
        };
        let props = if display.is_empty() {
            String::new()
        } else {
            format!(r#"<style:text-properties text:display="{display}"/>"#)
        };
        format!(r#"<style:style style:name="{name}" style:family="{family}"{parent}>{props}</style:style>"#)
    }

    #[test]
    fn odt_hidden_sections_styles_and_fields_are_left_out() {
        let common = [
            odf_style("text", "Secret", "", "none"),
            odf_style("text", "Heir", "Secret", ""),
            odf_style("paragraph", "HiddenPara", "", "none"),
            odf_style("paragraph", "Standard", "", ""),
            // A cycle.
            odf_style("text", "Loop1", "Loop2", ""),
            odf_style("text", "Loop2", "Loop1", ""),
        ]
        .concat();
        let automatic = [
            odf_style("text", "T1", "", "none"),
            odf_style("text", "T2", "Heir", ""),
            odf_style("text", "T3", "Secret", "true"),
            odf_style("text", "T4", "", "condition"),
            odf_style("paragraph", "P1", "HiddenPara", ""),
        ]
        .concat();
        let cases: &[(&str, &str)] = &[
            (
                r#"<text:section text:name="S" text:display="none"><text:p>hidden section</text:p></text:section><text:p>shown</text:p>"#,
                "shown",
            ),
            (
                r#"<text:section text:name="S" text:display="condition" text:condition="ooow:1"><text:p>hidden</text:p></text:section><text:section text:name="V"><text:p>shown</text:p></text:section>"#,
                "shown",
            ),
            (
                r#"<text:p>a <text:span text:style-name="T1">hidden </text:span>b</text:p>"#,
                "a b",
            ),
            (
                r#"<text:p>a <text:span text:style-name="T2">hidden <text:span>nested </text:span></text:span>b</text:p>"#,
                "a b",
            ),
            (
                r#"<text:p>a <text:span text:style-name="Heir">hidden </text:span><text:span text:style-name="T3">shown </text:span><text:span text:style-name="T4">hidden </text:span><text:span text:style-name="Loop1">looped </text:span>b</text:p>"#,
                "a shown looped b",
            ),
            (
                r#"<text:p text:style-name="P1">hidden paragraph <text:span text:style-name="T3">but this span shows</text:span></text:p><text:p text:style-name="HiddenPara">hidden too</text:p><text:p text:style-name="Standard">shown</text:p>"#,
                "but this span shows\n\nshown",
            ),
            (
                r#"<text:p text:class-names="HiddenPara">by class</text:p><text:p>a <text:a text:style-name="T1">link </text:a>b</text:p>"#,
                "a b",
            ),
            // A hidden paragraph field hides its paragraph, and a note in it, wherever it is.
            (
                r#"<text:p>gone<text:note text:note-class="footnote"><text:note-body><text:p>gone note</text:p></text:note-body></text:note> too<text:hidden-paragraph text:condition="ooow:1" text:is-hidden="true"/></text:p><text:p>kept<text:hidden-paragraph text:condition="ooow:0" text:is-hidden="false"/></text:p>"#,
                "kept",
            ),
            (
                r#"<table:table><table:table-row><table:table-cell><text:p>cell</text:p><text:p>gone<text:hidden-paragraph/></text:p></table:table-cell></table:table-row></table:table>"#,
                "cell",
            ),
            // Fields not displayed, hidden text, and conditional text (the current value).
            (
                r#"<text:p>x<text:variable-set text:name="v" text:display="none">hidden value</text:variable-set> <text:hidden-text text:condition="ooow:1" text:string-value="hidden text" text:is-hidden="true"/><text:conditional-text text:condition="ooow:1" text:string-value-if-true="yes" text:string-value-if-false="no" text:current-value="true">not this</text:conditional-text></text:p>"#,
                "x yes",
            ),
            // A note anchored in hidden text.
            (
                r#"<text:p>a<text:span text:style-name="T1"><text:note text:note-class="endnote"><text:note-body><text:p>hidden note</text:p></text:note-body></text:note></text:span></text:p>"#,
                "a",
            ),
        ];
        for (body, expected) in cases {
            let text = read("a.odt", &odt(&automatic, body, &common, "")).unwrap_or_else(|e| panic!("{e}: {body}"));
            assert_eq!(text, *expected, "{body}");
        }
    }

    #[test]
    fn odt_default_styles_and_headers() {
        let default = r#"<style:default-style style:family="paragraph"><style:text-properties text:display="none"/></style:default-style>"#;
        let common = format!("{default}{}", odf_style("paragraph", "Shown", "", "true"));
        let body = r#"<text:p>hidden by default</text:p><text:p text:style-name="Shown">shown</text:p>"#;
        assert_eq!(read("a.odt", &odt("", body, &common, "")).expect("reads"), "shown");

        // A header switched off, and one with hidden text (styles.xml's own automatic styles).
        let master = r#"<style:master-page style:name="Standard"><style:header style:display="false"><text:p>off</text:p></style:header><style:footer><text:p>Foot <text:span text:style-name="Secret">hidden</text:span></text:p></style:footer></style:master-page>"#;
        let common = odf_style("text", "Secret", "", "none");
        let text = read("a.odt", &odt("", "<text:p>Body</text:p>", &common, master)).expect("reads");
        assert_eq!(text, "Body\n\nFoot");
    }

    fn expect_err(name: &str, bytes: &[u8]) -> ReadError {
        let start = Instant::now();
        let err = read(name, bytes).expect_err("must fail");
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "{name} took {:?}",
            start.elapsed()
        );
        let message = err.to_string();
        assert!(message.contains(name), "names the file: {message}");
        err
    }

    #[test]
    fn not_a_document() {
        let cases: &[(&str, &[u8], &str)] = &[
            ("a.docx", b"", "the file is empty"),
            ("a.docx", b"just some text", "not a zip archive"),
            ("a.docx", b"{\\rtf1\\ansi hello}", "RTF"),
            ("a.odt", b"%PDF-1.7", "PDF"),
            ("a.docx", b"PK\x03\x04 truncated", "damaged"),
        ];
        for (name, bytes, detail) in cases {
            let err = expect_err(name, bytes);
            assert!(matches!(err, ReadError::NotDocument { .. }), "{err:?}");
            let message = err.to_string();
            assert!(message.contains(detail), "{message}");
        }
        let message = expect_err("a.docx", b"").to_string();
        assert!(
            message.contains("is not a valid .docx (damaged or not a Word file)"),
            "{message}"
        );
        let message = expect_err("a.odt", b"x").to_string();
        assert!(
            message.contains("is not a valid .odt (damaged or not an OpenDocument text file)"),
            "{message}"
        );
    }

    #[test]
    fn truncated_zip() {
        let bytes = std::fs::read(fixture("answer.docx")).expect("fixture");
        for cut in [bytes.len() / 2, bytes.len() - 10, 30] {
            let err = expect_err("cut.docx", &bytes[..cut]);
            assert!(matches!(err, ReadError::NotDocument { .. }), "{cut}: {err:?}");
        }
    }

    #[test]
    fn corrupt_entry() {
        let mut bytes = docx(&format!("<w:p><w:r><w:t>{}</w:t></w:r></w:p>", "text ".repeat(200)));
        // Flip bytes in the middle of the compressed data.
        for b in &mut bytes[60..80] {
            *b ^= 0x55;
        }
        let err = expect_err("corrupt.docx", &bytes);
        assert!(
            matches!(err, ReadError::NotDocument { .. } | ReadError::BadXml { .. }),
            "{err:?}"
        );
    }

    #[test]
    fn password_protected_or_old_doc() {
        let mut bytes = CFB_SIGNATURE.to_vec();
        bytes.extend_from_slice(&[0; 504]);
        let err = expect_err("secret.docx", &bytes);
        assert!(matches!(err, ReadError::Protected { .. }), "{err:?}");
        assert!(err.to_string().contains("password-protected"), "{err}");

        let manifest = r#"<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="content.xml"><manifest:encryption-data manifest:checksum-type="SHA1"/></manifest:file-entry></manifest:manifest>"#;
        let bytes = zip(&[
            ("META-INF/manifest.xml", manifest.as_bytes()),
            ("content.xml", b"\x93\x01binary"),
        ]);
        let err = expect_err("secret.odt", &bytes);
        assert!(matches!(err, ReadError::Protected { .. }), "{err:?}");
    }

    #[test]
    fn missing_main_part() {
        let err = expect_err("empty.docx", &zip(&[("[Content_Types].xml", b"<Types/>")]));
        assert!(matches!(err, ReadError::NotDocument { .. }), "{err:?}");
        assert!(err.to_string().contains("it has no word/document.xml"), "{err}");

        let err = expect_err("book.docx", &zip(&[("xl/workbook.xml", b"<workbook/>")]));
        assert!(err.to_string().contains("Excel"), "{err}");
        let err = expect_err("word.odt", &zip(&[("word/document.xml", b"<w/>")]));
        assert!(err.to_string().contains("rename it to .docx"), "{err}");
    }

    #[test]
    fn malformed_xml_is_reported_without_partial_text() {
        let bodies = [
            // Mismatched end tag.
            format!(r#"<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>patronage</w:t></w:r></w:body></w:document>"#),
            // Truncated.
            format!(r#"<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>patronage</w:t>"#),
            // Text after the root, two roots, nothing at all.
            format!(r#"<w:document xmlns:w="{W}"/>junk"#),
            format!(r#"<w:document xmlns:w="{W}"/><w:document xmlns:w="{W}"/>"#),
            String::new(),
            // An illegal character, a bad character reference, an unclosed reference.
            format!(
                "<w:document xmlns:w=\"{W}\"><w:body><w:p><w:r><w:t>a\u{1}b</w:t></w:r></w:p></w:body></w:document>"
            ),
            format!(r#"<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>&#0;</w:t></w:r></w:p></w:body></w:document>"#),
            format!(r#"<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>&amp</w:t></w:r></w:p></w:body></w:document>"#),
            // Not UTF-8.
            "<w:document>\u{ff}</w:document>".replace('\u{ff}', "é"),
        ];
        for (i, body) in bodies.iter().enumerate() {
            let mut raw = body.clone().into_bytes();
            if i == bodies.len() - 1 {
                // Latin-1 é: not valid UTF-8.
                raw = b"<w:document>caf\xe9</w:document>".to_vec();
            }
            let err = expect_err("bad.docx", &zip(&[("word/document.xml", &raw)]));
            assert!(matches!(err, ReadError::BadXml { .. }), "{i}: {err:?}");
            assert!(err.to_string().contains("word/document.xml"), "{err}");
        }
    }

    #[test]
    fn deep_nesting_is_refused() {
        let body = format!(
            "{}{}",
            "<w:sdt>".repeat(MAX_DEPTH + 10),
            "</w:sdt>".repeat(MAX_DEPTH + 10)
        );
        let err = expect_err("deep.docx", &docx(&body));
        assert!(matches!(err, ReadError::BadXml { .. }), "{err:?}");
        assert!(err.to_string().contains("nested"), "{err}");
    }

    fn billion_laughs() -> String {
        let mut dtd = String::from("<!DOCTYPE w:document [\n<!ENTITY lol \"lol\">\n");
        dtd.push_str("<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n");
        for i in 2..=9 {
            let prev = format!("&lol{};", i - 1).repeat(10);
            dtd.push_str(&format!("<!ENTITY lol{i} \"{prev}\">\n"));
        }
        dtd.push_str("]>\n");
        format!(
            r#"<?xml version="1.0"?>{dtd}<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>Stalin used patronage &lol9;</w:t></w:r></w:p></w:body></w:document>"#
        )
    }

    #[test]
    fn billion_laughs_is_refused() {
        let xml = billion_laughs();
        let err = expect_err("laughs.docx", &zip(&[("word/document.xml", xml.as_bytes())]));
        assert!(matches!(err, ReadError::BadXml { .. }), "{err:?}");
        assert!(err.to_string().contains("document type declaration"), "{err}");

        // Even if it were let through, the parser would not expand anything.
        let styles = DocxStyles::default();
        let mut handler = DocxHandler::new(1 << 20, &styles);
        let after_dtd = &xml[xml.find("]>").expect("dtd end") + 2..];
        parse_xml(after_dtd.as_bytes(), &mut handler).unwrap_or_else(|_| panic!("parses"));
        assert_eq!(handler.b.finish(), ["Stalin used patronage &lol9;"]);
    }

    #[test]
    fn external_entities_are_refused_and_never_fetched() {
        let dir = Dir::new();
        let secret = dir.file("secret.txt", b"TOP SECRET");
        let xml = format!(
            r#"<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file://{}"><!ENTITY web SYSTEM "http://127.0.0.1:9/x">]><w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>a &xxe; &web; b</w:t></w:r></w:p></w:body></w:document>"#,
            secret.display()
        );
        let err = expect_err("xxe.docx", &zip(&[("word/document.xml", xml.as_bytes())]));
        assert!(matches!(err, ReadError::BadXml { .. }), "{err:?}");
        assert!(!err.to_string().contains("SECRET"), "{err}");
        // The same in an .odt.
        let content = r#"<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>"#;
        let err = expect_err("xxe.odt", &zip(&[("content.xml", content.as_bytes())]));
        assert!(matches!(err, ReadError::BadXml { .. }), "{err:?}");
    }

    /// A .docx whose document.xml is `size` bytes: a paragraph of text, then spaces, so it is
    /// well-formed and extremely compressible.
    fn padded_docx(size: usize) -> Vec<u8> {
        let head = format!(r#"<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>patronage</w:t></w:r></w:p>"#);
        let tail = "</w:body></w:document>";
        let mut writer = zip::ZipWriter::new(io::Cursor::new(Vec::new()));
        let options = SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(false);
        writer.start_file("word/document.xml", options).expect("start");
        writer.write_all(head.as_bytes()).expect("write");
        let chunk = vec![b' '; 1024 * 1024];
        let mut left = size - head.len() - tail.len();
        while left > 0 {
            let n = left.min(chunk.len());
            writer.write_all(&chunk[..n]).expect("write");
            left -= n;
        }
        writer.write_all(tail.as_bytes()).expect("write");
        writer.finish().expect("finish").into_inner()
    }

    /// Rewrites the uncompressed size of the only entry, in its local header and in the central
    /// directory, as a lying archive would.
    fn lie_about_size(bytes: &mut [u8], size: u32) {
        let eocd = bytes.len() - 22;
        assert_eq!(&bytes[eocd..eocd + 4], b"PK\x05\x06");
        let cd = u32::from_le_bytes(bytes[eocd + 16..eocd + 20].try_into().expect("4 bytes")) as usize;
        assert_eq!(&bytes[cd..cd + 4], b"PK\x01\x02");
        bytes[cd + 24..cd + 28].copy_from_slice(&size.to_le_bytes());
        assert_eq!(&bytes[..4], b"PK\x03\x04");
        bytes[22..26].copy_from_slice(&size.to_le_bytes());
    }

    #[test]
    fn zip_bombs_are_refused() {
        // Declared far over the total limit.
        let limits = Limits {
            max_unzipped_bytes: 8 * 1024 * 1024,
            ..Limits::default()
        };
        let dir = Dir::new();
        let big = dir.file("big.docx", &padded_docx(9 * 1024 * 1024));
        let err = read_path(&big, &limits).expect_err("over the total");
        assert!(matches!(err, ReadError::Unpack { .. }), "{err:?}");
        assert!(err.to_string().contains("big.docx"), "{err}");

        // Under the total, but compressed about 1,000 times.
        let err = read_path(&big, &Limits::default()).expect_err("ratio");
        assert!(matches!(err, ReadError::Unpack { .. }), "{err:?}");
        assert!(err.to_string().contains("times its packed size"), "{err}");

        // A small, ordinary ratio passes.
        assert!(read("small.docx", &padded_docx(512 * 1024)).is_ok());

        // Lying headers: the zip reader stops at the declared size (and the guard below would
        // stop it at the limit in any case).
        let mut lying = padded_docx(9 * 1024 * 1024);
        lie_about_size(&mut lying, 1000);
        let err = expect_err("lying.docx", &lying);
        assert!(matches!(err, ReadError::NotDocument { .. }), "{err:?}");
        assert!(err.to_string().contains("declared uncompressed size"), "{err}");
    }

    #[test]
    fn the_guard_stops_an_endless_entry() {
        let read = Cell::new(0);
        let cap = 1024 * 1024;
        let guard = Guard {
            inner: io::repeat(b' ').take(cap + 1),
            read: &read,
            cap,
            why: "too much",
        };
        // An endless stream of white space inside the root element: only the guard ends it.
        let input = io::Read::chain(&b"<w:document>"[..], guard);
        let styles = DocxStyles::default();
        let mut handler = DocxHandler::new(1 << 20, &styles);
        match parse_xml(BufReader::new(input), &mut handler) {
            Err(Failure::Exceeded(why)) => assert_eq!(why, "too much"),
            _ => panic!("the guard must stop the parser"),
        }
        assert!(read.get() > cap && read.get() <= cap + 1, "{}", read.get());
    }

    #[test]
    fn unpacked_bytes_are_counted_across_parts() {
        let body = document(&format!("<w:p><w:r><w:t>x</w:t></w:r></w:p>{}", " ".repeat(600_000)));
        let footnotes = format!(r#"<w:footnotes xmlns:w="{W}">{}</w:footnotes>"#, " ".repeat(600_000));
        let bytes = zip(&[
            ("word/document.xml", body.as_bytes()),
            ("word/footnotes.xml", footnotes.as_bytes()),
        ]);
        let dir = Dir::new();
        let path = dir.file("two.docx", &bytes);
        let limits = Limits {
            max_unzipped_bytes: 1_000_000,
            ..Limits::default()
        };
        let err = read_path(&path, &limits).expect_err("over in total");
        assert!(matches!(err, ReadError::Unpack { .. }), "{err:?}");
        assert!(read_path(&path, &Limits::default()).is_ok());
    }

    #[test]
    fn too_many_entries() {
        let names: Vec<String> = (0..50).map(|i| format!("media/{i}.png")).collect();
        let mut entries: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b"x"[..])).collect();
        let doc = document("<w:p><w:r><w:t>x</w:t></w:r></w:p>");
        entries.push(("word/document.xml", doc.as_bytes()));
        let dir = Dir::new();
        let path = dir.file("many.docx", &zip(&entries));
        let limits = Limits {
            max_zip_entries: 20,
            ..Limits::default()
        };
        let err = read_path(&path, &limits).expect_err("too many");
        assert!(matches!(err, ReadError::Unpack { .. }), "{err:?}");
        assert!(err.to_string().contains("51 entries"), "{err}");
        assert!(read_path(&path, &Limits::default()).is_ok());
    }

    #[test]
    fn extracted_text_is_held_to_max_bytes() {
        let body = format!("<w:p><w:r><w:t>{}</w:t></w:r></w:p>", "word ".repeat(100));
        let dir = Dir::new();
        let path = dir.file("long.docx", &docx(&body));
        let limits = Limits {
            max_bytes: 100,
            ..Limits::default()
        };
        let err = read_path(&path, &limits).expect_err("too long");
        assert!(matches!(err, ReadError::TooLarge { limit: 100, .. }), "{err:?}");
    }

    #[test]
    fn a_document_without_text_is_empty() {
        let err = expect_err("blank.docx", &docx("<w:p/><w:p><w:r><w:t>  </w:t></w:r></w:p>"));
        assert!(matches!(err, ReadError::Empty { .. }), "{err:?}");
    }

    #[test]
    fn pseudo_random_damage_never_panics() {
        let dir = Dir::new();
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            usize::try_from(seed % n as u64).expect("small")
        };
        for name in ["answer.docx", "answer.odt"] {
            let original = std::fs::read(fixture(name)).expect("fixture");
            for round in 0..150 {
                let mut bytes = original.clone();
                if round % 3 == 0 {
                    bytes.truncate(next(bytes.len()));
                } else {
                    for _ in 0..1 + next(4) {
                        let at = next(bytes.len());
                        bytes[at] ^= u8::try_from(1 + next(255)).expect("byte");
                    }
                }
                let path = dir.file(name, &bytes);
                // Any result will do, as long as it is one.
                let _ = read_path(&path, &Limits::default());
            }
        }
    }

    #[test]
    fn kinds() {
        assert_eq!(Kind::from_path(Path::new("a.DOCX")), Some(Kind::Docx));
        assert_eq!(Kind::from_path(Path::new("dir/a.odt")), Some(Kind::Odt));
        assert_eq!(Kind::from_path(Path::new("a.doc")), None);
        assert_eq!(Kind::from_path(Path::new("docx")), None);
        assert_eq!(Kind::Odt.to_string(), ".odt");
        assert_eq!(resolve_target("word", "../media/a.png"), "media/a.png");
        assert_eq!(resolve_target("word", "/customXml/item.xml"), "customXml/item.xml");
        assert_eq!(resolve_target("", "word/document.xml"), "word/document.xml");
    }
}
