//! Reading PDF answers (`.pdf`): the text layer a word processor or a browser wrote, as plain text.
//!
//! The file is parsed with `lopdf` and its pages' text drawn by `pdf-extract`, into a layout of our
//! own ([`Layout`]): the characters in the order the producer drew them (the reading order for
//! the PDFs that word processors and browsers print), a space where a gap wider than a sixth of
//! the font size separates two characters on a line (a narrower one than half the size before
//! closing punctuation is kerning, not a space), a line feed where the line changes, a blank
//! line where the gap between two lines is larger than usual for the page (a new paragraph) and
//! between pages. Ligatures (ﬁ, ﬂ, ﬀ...) are spelt out, a soft hyphen is dropped, and control
//! characters are left out. As for `.docx`, evidence offsets, lines and columns refer to this
//! text, not to the bytes of the file. A hyphen the producer put at the end of a line to split a
//! word is kept (browsers and word processors do not hyphenate unless told to).
//!
//! # What a damaged or hostile file can do
//!
//! Nothing unbounded, and every failure is a [`ReadError`] that names the file, never a panic:
//!
//! - the file must start (within its first KiB) with `%PDF-`; one that does not, or that the
//!   parser cannot make sense of (truncated, damaged), is [`ReadError::NotPdf`];
//! - an encrypted PDF that opens without a password (only printing or copying restricted) is
//!   read; one that needs a password is [`ReadError::PdfProtected`];
//! - more than [`MAX_PAGES`] pages is [`ReadError::TooManyPages`], before any page is read;
//! - compressed streams are measured before the parser sees them, by unpacking each (Flate, a
//!   Flate stream inside another, and LZW, in the order its filters name) with a budget of
//!   [`Limits::max_unzipped_bytes`] for the whole file: a file whose streams unpack to more is
//!   refused as [`ReadError::Unpack`] (a decompression bomb). The raw bytes are scanned for
//!   Flate streams before parsing (the parser unpacks object streams as it loads), and every
//!   stream the parser found is measured again through its filters before any text is drawn;
//! - the work runs on a thread of its own, with a large stack, under [`DEADLINE`]: a file that
//!   makes the parser loop is [`ReadError::PdfTimeout`] (the thread is left to finish on its own;
//!   the answer is not waited for), and a panic in the parser (it has unchecked cases on odd
//!   files) is caught and reported as [`ReadError::NotPdf`]. Its message is not printed: a panic
//!   hook, installed once, stays silent for that thread only;
//! - the extracted text is held to [`Limits::max_bytes`] ([`ReadError::TooLarge`]);
//! - a PDF with pages but no text on them (a scan, a photo of handwriting) is
//!   [`ReadError::Scanned`]: "scanned: no text to read; OCR it first", not an empty answer that
//!   would score 0.

use std::any::Any;
use std::io::{self, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Once;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use pdf_extract::{Document, Object};
use pdf_extract::{MediaBox, OutputDev, OutputError, Transform};
use unicode_normalization::UnicodeNormalization;

use crate::text::limits::{Limits, ReadError};

/// Most pages read from one PDF answer: far more than any written answer, few enough that a
/// document sent by mistake (a textbook) is refused at once rather than read for minutes.
pub const MAX_PAGES: usize = 200;

/// Longest the reading of one PDF may take: a 200-page PDF reads in about a second.
pub const DEADLINE: Duration = Duration::from_secs(20);

/// The name of the thread that reads a PDF, which the panic hook tells by.
const THREAD: &str = "rubric-pdf";

/// Where the `%PDF-` header may start: readers accept some bytes before it.
const HEADER_WITHIN: usize = 1024;

/// Reads a PDF answer and returns the text the matcher sees (see the module documentation).
/// `name` is used in errors.
pub fn read_pdf(bytes: Vec<u8>, name: &str, limits: &Limits) -> Result<String, ReadError> {
    if bytes.len() as u64 > limits.max_bytes {
        return Err(too_large(name, bytes.len() as u64, limits));
    }
    let head = &bytes[..bytes.len().min(HEADER_WITHIN)];
    if memchr::memmem::find(head, b"%PDF-").is_none() {
        return Err(not_pdf(name, "it does not start with %PDF-"));
    }
    let owned_name = name.to_owned();
    let limits_copy = *limits;
    let read = with_deadline(DEADLINE, move || extract(&bytes, &owned_name, &limits_copy));
    match read {
        Some(Ok(result)) => result,
        Some(Err(panic)) => Err(not_pdf(
            name,
            &format!("the PDF reader failed on it ({})", panic_text(&*panic)),
        )),
        None => Err(ReadError::PdfTimeout {
            path: name.to_owned(),
            seconds: DEADLINE.as_secs(),
        }),
    }
}

/// What a caught panic said.
fn panic_text(panic: &(dyn Any + Send)) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "an internal error".to_owned()
    }
}

/// Runs `work` on a thread of its own (named [`THREAD`], with a large stack), catching a panic;
/// `None` when it has not finished within `deadline` (it is then left to finish alone).
fn with_deadline<T: Send + 'static>(
    deadline: Duration,
    work: impl FnOnce() -> T + Send + 'static,
) -> Option<thread::Result<T>> {
    quiet_panics_on_reader_threads();
    let (send, receive) = mpsc::channel();
    let spawned = thread::Builder::new()
        .name(THREAD.to_owned())
        .stack_size(64 << 20)
        .spawn(move || {
            let _ = send.send(catch_unwind(AssertUnwindSafe(work)));
        });
    if let Err(e) = spawned {
        let message: Box<dyn Any + Send> = Box::new(format!("cannot start a thread: {e}"));
        return Some(Err(message));
    }
    receive.recv_timeout(deadline).ok()
}

/// Installs, once, a panic hook that prints nothing for a panic on a PDF reader's thread (it is
/// caught and reported as a damaged file) and hands every other panic to the hook before it.
fn quiet_panics_on_reader_threads() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if thread::current().name() != Some(THREAD) {
                previous(info);
            }
        }));
    });
}

/// Parses the PDF and draws its text, on the reader's thread.
fn extract(bytes: &[u8], name: &str, limits: &Limits) -> Result<String, ReadError> {
    let started = Instant::now();
    let mut budget = Budget::new(limits.max_unzipped_bytes);
    scan_raw_streams(bytes, &mut budget).map_err(|e| unpack(name, e))?;
    let mut doc = match Document::load_mem(bytes) {
        Ok(doc) => doc,
        Err(pdf_extract::Error::Decryption(_)) => return Err(ReadError::PdfProtected { path: name.to_owned() }),
        Err(e) => return Err(not_pdf(name, &e.to_string())),
    };
    if doc.is_encrypted() && doc.decrypt("").is_err() {
        return Err(ReadError::PdfProtected { path: name.to_owned() });
    }
    let pages = doc.get_pages().len();
    if pages > MAX_PAGES {
        return Err(ReadError::TooManyPages {
            path: name.to_owned(),
            pages,
            limit: MAX_PAGES,
        });
    }
    let mut budget = Budget::new(limits.max_unzipped_bytes);
    for object in doc.objects.values() {
        if let Object::Stream(stream) = object {
            measure_stream(stream, &mut budget).map_err(|e| unpack(name, e))?;
        }
    }
    let mut layout = Layout::new(limits.max_bytes, started + DEADLINE);
    let drawn = pdf_extract::output_doc(&doc, &mut layout);
    if let Some(stop) = layout.stopped {
        return Err(match stop {
            Stop::TooLarge => too_large(name, layout.text.len() as u64, limits),
            Stop::Deadline => ReadError::PdfTimeout {
                path: name.to_owned(),
                seconds: DEADLINE.as_secs(),
            },
        });
    }
    if let Err(e) = drawn {
        return Err(not_pdf(name, &e.to_string()));
    }
    let text = layout.finish();
    if text.trim().is_empty() {
        return Err(ReadError::Scanned {
            path: name.to_owned(),
            pages,
        });
    }
    Ok(text)
}

fn not_pdf(name: &str, detail: &str) -> ReadError {
    ReadError::NotPdf {
        path: name.to_owned(),
        detail: detail.to_owned(),
    }
}

fn unpack(name: &str, detail: String) -> ReadError {
    ReadError::Unpack {
        path: name.to_owned(),
        detail,
    }
}

fn too_large(name: &str, size: u64, limits: &Limits) -> ReadError {
    ReadError::TooLarge {
        path: name.to_owned(),
        size,
        limit: limits.max_bytes,
    }
}

// ------------------------------------------------------------------ decompression budget

/// What may still be unpacked from one file.
struct Budget {
    left: u64,
    limit: u64,
}

impl Budget {
    fn new(limit: u64) -> Budget {
        Budget { left: limit, limit }
    }

    /// Takes `n` bytes from the budget; `Err` once it is spent.
    fn take(&mut self, n: usize) -> Result<(), String> {
        match self.left.checked_sub(n as u64) {
            Some(left) => {
                self.left = left;
                Ok(())
            }
            None => Err(format!(
                "its compressed streams unpack to more than {} bytes (--max-answer-bytes does not \
                 change this limit)",
                self.limit
            )),
        }
    }
}

/// A writer that counts what is written against the budget and keeps it only if asked to.
struct Counted<'b> {
    budget: &'b mut Budget,
    kept: Option<Vec<u8>>,
    over: Option<String>,
}

impl Write for Counted<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if let Err(e) = self.budget.take(buf.len()) {
            self.over = Some(e);
            return Err(io::Error::other("over budget"));
        }
        if let Some(kept) = &mut self.kept {
            kept.extend_from_slice(buf);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Unpacks zlib data from the start of `input`, counting every byte against `budget`. Returns
/// how much of `input` it read, and the data if `keep`; `Ok(None)` if `input` is not zlib data
/// (or breaks off: the parser makes what it can of that, within the same sizes).
fn inflate(input: &[u8], budget: &mut Budget, keep: bool) -> Result<Option<(usize, Vec<u8>)>, String> {
    // A zlib header: deflate, a window of at most 32 KiB, and a valid check.
    if input.len() < 2
        || input[0] & 0x0F != 8
        || input[0] >> 4 > 7
        || !u16::from_be_bytes([input[0], input[1]]).is_multiple_of(31)
    {
        return Ok(None);
    }
    let mut inflater = flate2::Decompress::new(true);
    let mut chunk = vec![0u8; 64 * 1024];
    let mut kept = Vec::new();
    loop {
        let before_in = inflater.total_in();
        let before_out = inflater.total_out();
        let status = inflater.decompress(&input[before_in as usize..], &mut chunk, flate2::FlushDecompress::None);
        let produced = (inflater.total_out() - before_out) as usize;
        budget.take(produced)?;
        if keep {
            kept.extend_from_slice(&chunk[..produced]);
        }
        match status {
            Ok(flate2::Status::StreamEnd) => return Ok(Some((inflater.total_in() as usize, kept))),
            Ok(_) if produced == 0 && inflater.total_in() == before_in => {
                return Ok(Some((inflater.total_in() as usize, kept)));
            }
            Ok(_) => {}
            Err(_) => return Ok(Some((inflater.total_in() as usize, kept))),
        }
    }
}

/// Unpacks every Flate stream found in the raw bytes (after each `stream` keyword), and a Flate
/// stream inside one, against the budget; the scan goes on after what each stream used, so it
/// reads the file once.
fn scan_raw_streams(bytes: &[u8], budget: &mut Budget) -> Result<(), String> {
    let mut at = 0;
    while let Some(found) = memchr::memmem::find(&bytes[at..], b"stream") {
        let mut start = at + found + b"stream".len();
        match bytes.get(start..start + 2) {
            Some([b'\r', b'\n']) => start += 2,
            Some([b'\n' | b'\r', _]) => start += 1,
            _ => {
                at = start;
                continue;
            }
        }
        let used = match inflate(&bytes[start..], budget, true)? {
            Some((used, data)) => {
                // A stream compressed twice: the inner layer is measured too.
                inflate(&data, budget, false)?;
                used
            }
            None => 0,
        };
        at = start + used;
    }
    Ok(())
}

/// Unpacks a stream the parser found through its filters, in order, against the budget (Flate
/// and LZW; other filters do not expand much, and the parser does not unpack the image ones).
fn measure_stream(stream: &pdf_extract::Stream, budget: &mut Budget) -> Result<(), String> {
    let Ok(filters) = stream.filters() else {
        return Ok(());
    };
    let mut data: Option<Vec<u8>> = None;
    for (i, filter) in filters.iter().enumerate() {
        let last = i + 1 == filters.len();
        let input = data.as_deref().unwrap_or(&stream.content);
        let output = match *filter {
            b"FlateDecode" | b"Fl" => inflate(input, budget, !last)?.map(|(_, d)| d),
            b"LZWDecode" | b"LZW" => {
                let mut out = Counted {
                    budget: &mut *budget,
                    kept: (!last).then(Vec::new),
                    over: None,
                };
                let mut decoder = weezl::decode::Decoder::with_tiff_size_switch(weezl::BitOrder::Msb, 8);
                let _ = decoder.into_stream(&mut out).decode_all(input);
                if let Some(e) = out.over {
                    return Err(e);
                }
                out.kept
            }
            _ => return Ok(()),
        };
        match output {
            Some(d) => data = Some(d),
            None => return Ok(()),
        }
    }
    Ok(())
}

// ------------------------------------------------------------------ layout

/// Why drawing stopped early.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    TooLarge,
    Deadline,
}

/// Collects the characters `pdf-extract` draws into text: spaces from gaps, line feeds from
/// line changes, blank lines from paragraph gaps and page ends (see the module documentation).
struct Layout {
    text: String,
    max_bytes: u64,
    deadline: Instant,
    stopped: Option<Stop>,
    /// Where the last character drawn ended (x) and its baseline (y, growing down the page), and
    /// its size; `None` at the start of a page.
    last: Option<(f64, f64, f64)>,
    /// The distance between the lines of the page so far: the smallest seen.
    line_gap: Option<f64>,
    /// Characters drawn since the deadline was last looked at.
    since_clock: u32,
}

impl Layout {
    fn new(max_bytes: u64, deadline: Instant) -> Layout {
        Layout {
            text: String::new(),
            max_bytes,
            deadline,
            stopped: None,
            last: None,
            line_gap: None,
            since_clock: 0,
        }
    }

    /// The text, without trailing white space on its lines or at its ends.
    fn finish(self) -> String {
        let mut out = String::with_capacity(self.text.len());
        for line in self.text.trim().lines() {
            out.push_str(line.trim_end());
            out.push('\n');
        }
        while out.ends_with('\n') {
            out.pop();
        }
        out
    }

    /// Ends the current block with a blank line, unless at the start or already blank.
    fn blank_line(&mut self) {
        while self.text.ends_with(' ') {
            self.text.pop();
        }
        if self.text.is_empty() || self.text.ends_with("\n\n") {
            return;
        }
        self.text
            .push_str(if self.text.ends_with('\n') { "\n" } else { "\n\n" });
    }

    fn line_feed(&mut self) {
        while self.text.ends_with(' ') {
            self.text.pop();
        }
        if !self.text.is_empty() && !self.text.ends_with('\n') {
            self.text.push('\n');
        }
    }

    fn space(&mut self) {
        if !self.text.is_empty() && !self.text.ends_with([' ', '\n']) {
            self.text.push(' ');
        }
    }

    fn stop(&mut self, why: Stop) -> Result<(), OutputError> {
        self.stopped = Some(why);
        Err(OutputError::IoError(io::Error::other("stopped")))
    }
}

impl OutputDev for Layout {
    fn begin_page(&mut self, _: u32, _: &MediaBox, _: Option<(f64, f64, f64, f64)>) -> Result<(), OutputError> {
        self.blank_line();
        self.last = None;
        self.line_gap = None;
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        char: &str,
    ) -> Result<(), OutputError> {
        self.since_clock += 1;
        if self.since_clock >= 4096 {
            self.since_clock = 0;
            if Instant::now() > self.deadline {
                return self.stop(Stop::Deadline);
            }
        }
        // The size on the page: the side of a square of the area the font's square maps to.
        let sx = font_size * (trm.m11 + trm.m21);
        let sy = font_size * (trm.m12 + trm.m22);
        let size = (sx * sy).abs().sqrt();
        if !size.is_finite() || size <= 0.0 {
            return Ok(());
        }
        let (x, y) = (trm.m31, -trm.m32);
        if let Some((end, last_y, last_size)) = self.last {
            let dy = y - last_y;
            let em = size.max(last_size);
            if dy.abs() > em * 0.5 {
                // Another line: a paragraph gap if clearly more than the usual line distance.
                let gap = dy.abs();
                let usual = self.line_gap.unwrap_or(em * 1.25);
                if dy < 0.0 || gap > usual.max(em * 1.1) * 1.35 {
                    self.blank_line();
                } else {
                    self.line_feed();
                }
                if dy > 0.0 && gap < em * 3.0 {
                    self.line_gap = Some(self.line_gap.map_or(gap, |g: f64| g.min(gap)));
                }
            } else if x > end + em / 6.0 {
                // A narrow gap before closing punctuation is the producer's kerning, not a space.
                let closing = char.starts_with(['.', ',', ';', ':', '!', '?', ')', ']', '’', '”']);
                if !closing || x > end + em / 2.0 {
                    self.space();
                }
            }
        }
        let advance = width * size;
        self.last = Some((x + if advance.is_finite() { advance } else { 0.0 }, y, size));
        for c in char.chars() {
            match c {
                '\u{AD}' => {}
                '\t' | ' ' | '\u{A0}' => self.space(),
                '\n' | '\r' => self.line_feed(),
                c if c.is_control() => {}
                '\u{FB00}'..='\u{FB06}' => self.text.extend(c.nfkc()),
                c => self.text.push(c),
            }
        }
        if self.text.len() as u64 > self.max_bytes {
            return self.stop(Stop::TooLarge);
        }
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}

#[cfg(test)]
mod tests;
