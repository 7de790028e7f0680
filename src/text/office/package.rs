//! The zip package of a `.docx` or `.odt`: opened in place, only the parts asked for unpacked,
//! each through a guard that stops at the limits (zip bombs), then streamed through the XML
//! driver.

use std::cell::Cell;
use std::io::{self, BufReader, Read, Seek};

use zip::ZipArchive;
use zip::result::ZipError;

use super::xml::*;
use crate::text::formats::Kind;
use crate::text::limits::{Limits, ReadError};

/// The first bytes of an OLE compound file: an old `.doc`, or a password-protected `.docx`
/// (Office wraps the encrypted package in one).
pub(super) const CFB_SIGNATURE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Entries unpacking to no more than this are never refused for their compression ratio.
pub(super) const RATIO_FLOOR: u64 = 1024 * 1024;
/// Highest ratio of unpacked to packed size accepted above [`RATIO_FLOOR`]: XML compresses 5 to
/// 20 times, a zip bomb of zeros about 1,000 times.
pub(super) const MAX_RATIO: u64 = 200;
/// Most parts unpacked from one document (body, notes, headers and footers).
pub(super) const MAX_PARTS: usize = 64;
/// Most styles read from word/styles.xml; Word allows about 4,000.
pub(super) const MAX_STYLES: usize = 50_000;

/// An entry being unpacked, stopped with [`Exceeded`] past `cap` bytes. The inner reader is
/// already limited with [`Read::take`] to one byte past the cap, so the decompressor never
/// produces more than that whatever the archive claims.
pub(super) struct Guard<'a, R> {
    pub(super) inner: io::Take<R>,
    pub(super) read: &'a Cell<u64>,
    pub(super) cap: u64,
    pub(super) why: &'a str,
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
pub(super) trait ReadSeek: Read + Seek {}

impl<T: Read + Seek> ReadSeek for T {}

pub(super) struct Package {
    pub(super) archive: ZipArchive<Box<dyn ReadSeek>>,
    pub(super) name: String,
    pub(super) kind: Kind,
    /// Unpacked bytes still allowed.
    pub(super) remaining: u64,
    /// The limit, for messages.
    pub(super) max_unzipped: u64,
    /// Parts unpacked so far.
    pub(super) parts: usize,
    /// [`Limits::max_bytes`], for messages.
    pub(super) max_text: u64,
}

impl Package {
    pub(super) fn open(
        mut file: Box<dyn ReadSeek>,
        name: &str,
        kind: Kind,
        limits: &Limits,
    ) -> Result<Package, ReadError> {
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

    pub(super) fn has(&self, part: &str) -> bool {
        self.archive.index_for_name(part).is_some()
    }

    pub(super) fn unpack_error(&self, detail: String) -> ReadError {
        ReadError::Unpack {
            path: self.name.clone(),
            detail,
        }
    }

    /// Streams `part` through `handler`; `Ok(false)` when there is no such part.
    pub(super) fn parse(&mut self, part: &str, handler: &mut impl Handler) -> Result<bool, ReadError> {
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
    pub(super) fn missing(&self, part: &str) -> ReadError {
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
pub(super) fn bytes(n: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if n >= MIB && n.is_multiple_of(MIB) {
        format!("{} MiB", n / MIB)
    } else if n >= MIB {
        format!("{n} bytes ({:.1} MiB)", n as f64 / MIB as f64)
    } else {
        format!("{n} bytes")
    }
}

pub(super) fn not_document(name: &str, kind: Kind, detail: String) -> ReadError {
    ReadError::NotDocument {
        path: name.to_owned(),
        kind,
        detail,
    }
}

/// What a file that is not a zip archive seems to be, from its first bytes.
pub(super) fn sniff(head: &[u8]) -> String {
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

pub(super) fn zip_failure(name: &str, kind: Kind, part: Option<&str>, error: ZipError) -> ReadError {
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
