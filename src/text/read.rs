//! Turning an answer file's bytes into text.
//!
//! Students hand in whatever their editor saved: UTF-8 with or without a byte order mark, UTF-16
//! from Windows tools, or legacy Windows-1252. We accept all of these rather than make the
//! student (or the teacher) convert files, and refuse only what is plainly not text.
//!
//! Word (`.docx`), OpenDocument (`.odt`), HTML (`.html`, `.htm`) and PDF (`.pdf`) answers are
//! read too: their text is extracted (see [`office`], [`html`] and [`pdf`]) and checked as plain
//! text.
//!
//! This is the top of `text/`'s reading side: it picks a reader by format and calls it; the
//! pieces the readers share (decoding in [`decode`](crate::text::decode), [`Limits`] and
//! [`ReadError`] in [`limits`](crate::text::limits)) sit below it, so no reader imports it.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use crate::text::decode::is_blank;
pub use crate::text::decode::{Encoding, decode};
pub use crate::text::formats::Format;
use crate::text::formats::{self, Reader};
pub use crate::text::limits::{Limits, ReadError};
use crate::text::{html, office, pdf};

/// One answer, decoded, with what is needed to report on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The name to show in messages: the path as given, or e.g. `<stdin>`.
    pub name: String,
    /// The decoded text. For UTF-8 input it is exactly the file's bytes (a byte order mark is
    /// kept), so byte offsets into it are byte offsets into the file. For `.docx`, `.odt`, `.pdf`
    /// and HTML answers it is the extracted text (format [`Format::Text`]), and offsets, lines and
    /// columns refer to that text, not to the file.
    pub text: String,
    /// How to read the markup.
    pub format: Format,
    /// What the bytes were decoded from.
    pub encoding: Encoding,
}

/// What reading an answer noticed besides its text ([`read_path_noted`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Notes {
    /// The answer is empty or only white space (its text is then empty).
    pub empty: bool,
    /// A `.docx` or `.odt` holds text its reader does not see: hidden, white or tiny
    /// ([`office::Extracted::concealed`]).
    pub concealed: bool,
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
/// checked while reading (at most one byte past the limit is read), and for `.docx`, `.odt` and
/// `.pdf` files from the metadata first.
///
/// The extension picks the reader (the registry `text::formats::FORMATS`; any case): `.docx` and `.odt` files are
/// unpacked within [`Limits`] and their text extracted; `.pdf` files are read within [`Limits`]
/// and the limits of [`pdf`] (pages, time) and their text layer extracted; `.html`, `.htm` and `.xhtml` files are
/// decoded like text and their visible text extracted. Either way the [`Source`] holds the
/// extracted text as [`Format::Text`], and evidence offsets refer to that text. Markdown files
/// are [`Format::Markdown`]; every other file, whatever its extension, is read as plain text.
pub fn read_path(path: &Path, limits: &Limits) -> Result<Source, ReadError> {
    match read_path_noted(path, limits)? {
        (source, notes) if notes.empty => Err(ReadError::Empty { path: source.name }),
        (source, _) => Ok(source),
    }
}

/// [`read_path`], for `rubric mark` and `check`, where an empty answer is an answer that
/// scores 0: it is read as an empty text (of the file's format) and noted, with text a
/// document hides from its reader ([`Notes`]).
pub fn read_path_noted(path: &Path, limits: &Limits) -> Result<(Source, Notes), ReadError> {
    let name = path_text(path);
    let empty = |notes: Notes| {
        let source = Source {
            name: name.clone(),
            text: String::new(),
            format: Format::from_path(path),
            encoding: Encoding::Utf8,
        };
        Ok((source, Notes { empty: true, ..notes }))
    };
    let reader = formats::reader_of(path);
    // Opened first, then asked for its size: one lookup of the path per file, not two (a batch
    // reads 100,000 files).
    let file = File::open(path).map_err(|e| io_error(&name, e))?;
    if let Some(reader @ (Reader::Document(_) | Reader::Pdf)) = reader {
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
        let (text, concealed) = match reader {
            Reader::Document(kind) => {
                drop(file);
                let office::Extracted { text, concealed } = office::read_document(path, &name, kind, limits)?;
                (text, concealed)
            }
            _ => (
                pdf::read_pdf(read_limited(&file, &name, limits)?, &name, limits)?,
                false,
            ),
        };
        let notes = Notes {
            empty: false,
            concealed,
        };
        return match extracted(name.clone(), text, Encoding::Utf8) {
            Err(ReadError::Empty { .. }) => empty(notes),
            other => other.map(|s| (s, notes)),
        };
    }
    match read_text_file(&file, &name, limits)
        .and_then(|(text, encoding)| decoded(name.clone(), text, encoding, reader))
    {
        Err(ReadError::Empty { .. }) => empty(Notes::default()),
        other => other.map(|s| (s, Notes::default())),
    }
}

/// Reads an answer already in memory as [`read_path`] reads a file: `name` (with its extension)
/// decides the format, whatever it is (`.docx`, `.odt`, `.pdf`, `.html`, `.md`, anything else as
/// text).
/// For tests and fuzzing, and for callers that get answers from elsewhere than files.
pub fn read_bytes(bytes: &[u8], name: &str, limits: &Limits) -> Result<Source, ReadError> {
    if bytes.len() as u64 > limits.max_bytes {
        return Err(ReadError::TooLarge {
            path: name.to_owned(),
            size: bytes.len() as u64,
            limit: limits.max_bytes,
        });
    }
    let reader = formats::reader_of(Path::new(name));
    match reader {
        Some(Reader::Document(kind)) => {
            let text = office::read_document_bytes(bytes, name, kind, limits)?.text;
            return extracted(name.to_owned(), text, Encoding::Utf8);
        }
        Some(Reader::Pdf) => {
            let text = pdf::read_pdf(bytes.to_vec(), name, limits)?;
            return extracted(name.to_owned(), text, Encoding::Utf8);
        }
        _ => {}
    }
    let (text, encoding) = decode(bytes, name)?;
    decoded(name.to_owned(), text, encoding, reader)
}

/// A decoded text file as its reader makes it: a web page's visible text, else the text itself,
/// Markdown or plain.
fn decoded(name: String, text: String, encoding: Encoding, reader: Option<Reader>) -> Result<Source, ReadError> {
    let format = match reader {
        Some(Reader::Html) => return extracted(name, html::visible_text(&text), encoding),
        Some(Reader::Markdown) => Format::Markdown,
        _ => Format::Text,
    };
    Ok(Source {
        name,
        text,
        format,
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
        // Just over the limit, and far beyond it: the file's own size is reported, not what
        // was read of it.
        for max_bytes in [99, 10] {
            let limits = Limits {
                max_bytes,
                ..Limits::default()
            };
            let err = read_path(&big, &limits).expect_err("too large");
            assert!(
                matches!(err, ReadError::TooLarge { size: 100, limit, .. } if limit == max_bytes),
                "{err:?}"
            );
        }
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
