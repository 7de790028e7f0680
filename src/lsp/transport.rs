//! Messages in and out of `rubric lsp`, over standard input and output, with limits.
//!
//! `lsp-server` reads a message by allocating the size its `Content-Length` declares: a
//! declared terabyte aborts the process, three gigabytes are allocated. So messages are read
//! here, and only those within [`frame_limit`] are read into memory and parsed into
//! [`Message`]s. A longer one is skipped as it streams by, in constant memory, after it has been
//! scanned ([`scan`]) for what it was: its request id, method and document, so that a request
//! can be answered with an error and a document can be said to be too large. Header lines are
//! limited too.
//!
//! The reader hands messages over one at a time (a rendezvous channel), so at most one message
//! waits while another is handled: memory does not grow with a client that sends faster than
//! answers are checked.

use std::io::{self, BufRead, Read, Write};
use std::sync::mpsc::{self, Receiver, Sender, SyncSender};
use std::thread;

use lsp_server::Message;

use super::scan;
/// The longest header line, and the most header lines, of a message.
const MAX_HEADER_LINE: u64 = 4096;
const MAX_HEADERS: usize = 32;

/// The largest message read for a document limit of `max_document` bytes: twice it (JSON
/// escapes a newline or a quote as two bytes) plus 1 MiB for the rest of the message. A
/// document a little over the limit is still read, and then refused as too large with the
/// exact reason.
pub fn frame_limit(max_document: u64) -> u64 {
    max_document.saturating_mul(2).saturating_add(1024 * 1024)
}

/// What the reader hands over.
#[derive(Debug)]
pub enum Incoming {
    Message(Message),
    /// A message over the limit, skipped.
    TooLarge(Oversized),
    /// A message that is framed but not a JSON-RPC message, skipped.
    Invalid(String),
    /// The input cannot be read any further (broken framing, ended inside a message).
    Broken(String),
}

/// A message over the limit: its length, and what its start said.
#[derive(Debug)]
pub struct Oversized {
    pub bytes: u64,
    pub start: scan::Found,
}

/// Starts the reader (standard input) and writer (standard output) threads. The writer ends
/// when every sender is dropped; join it to be sure that everything sent was written.
pub fn stdio(max_frame: u64) -> (Sender<Message>, Receiver<Incoming>, thread::JoinHandle<()>) {
    let (in_tx, in_rx) = mpsc::sync_channel(0);
    let (out_tx, out_rx) = mpsc::channel::<Message>();
    thread::Builder::new()
        .name("rubric-lsp-reader".into())
        .spawn(move || {
            let stdin = io::stdin();
            read_all(&mut stdin.lock(), max_frame, &in_tx);
        })
        .expect("spawns the reader thread");
    let writer = thread::Builder::new()
        .name("rubric-lsp-writer".into())
        .spawn(move || {
            let stdout = io::stdout();
            let mut out = stdout.lock();
            for message in out_rx {
                // The client went away: nothing more can be said to it.
                if message.write(&mut out).is_err() {
                    break;
                }
            }
            let _ = out.flush();
        })
        .expect("spawns the writer thread");
    (out_tx, in_rx, writer)
}

/// Reads messages until the input ends, is broken, or `exit` is read.
pub fn read_all(input: &mut impl BufRead, max_frame: u64, to: &SyncSender<Incoming>) {
    loop {
        let incoming = match read_one(input, max_frame, to) {
            Ok(None) => return,
            Ok(Some(incoming)) => incoming,
            Err(e) => Incoming::Broken(e),
        };
        let last = matches!(&incoming, Incoming::Broken(_))
            || matches!(&incoming, Incoming::Message(Message::Notification(n)) if n.method == "exit");
        if to.send(incoming).is_err() || last {
            return;
        }
    }
}

/// The next message within the limit; `None` at the end of the input between messages. A
/// message over the limit is reported to `to` (before the rest of it is skipped, so that the
/// client hears of it even if it never sends the rest), then skipped.
fn read_one(input: &mut impl BufRead, max_frame: u64, to: &SyncSender<Incoming>) -> Result<Option<Incoming>, String> {
    loop {
        let Some(length) = read_header(input)? else {
            return Ok(None);
        };
        let mut body = input.take(length);
        let ended =
            |missing: u64| format!("the input ended inside a message of {length} bytes ({missing} bytes missing)");
        if length > max_frame {
            let found = Oversized {
                bytes: length,
                start: scan::scan(&mut body),
            };
            if to.send(Incoming::TooLarge(found)).is_err() {
                return Ok(None);
            }
            io::copy(&mut body, &mut io::sink()).map_err(|e| format!("cannot read the input: {e}"))?;
            if body.limit() > 0 {
                return Err(ended(body.limit()));
            }
            continue;
        }
        let mut bytes = Vec::with_capacity(usize::try_from(length).unwrap_or(0));
        body.read_to_end(&mut bytes)
            .map_err(|e| format!("cannot read the input: {e}"))?;
        if body.limit() > 0 {
            return Err(ended(body.limit()));
        }
        return Ok(Some(match serde_json::from_slice::<Message>(&bytes) {
            Ok(m) => Incoming::Message(m),
            Err(e) => Incoming::Invalid(format!("a message that is not JSON-RPC was ignored: {e}")),
        }));
    }
}

/// Reads a message's header lines; returns its `Content-Length`, or `None` at the end of the
/// input before any header.
fn read_header(input: &mut impl BufRead) -> Result<Option<u64>, String> {
    let mut length = None;
    let mut line = Vec::new();
    for n in 0.. {
        if n == MAX_HEADERS {
            return Err(format!("a message has more than {MAX_HEADERS} header lines"));
        }
        line.clear();
        input
            .take(MAX_HEADER_LINE)
            .read_until(b'\n', &mut line)
            .map_err(|e| format!("cannot read the input: {e}"))?;
        if line.is_empty() {
            if n == 0 {
                return Ok(None);
            }
            return Err("the input ended inside a message's header".into());
        }
        if line.last() != Some(&b'\n') {
            return Err(if line.len() as u64 >= MAX_HEADER_LINE {
                format!("a header line is longer than {MAX_HEADER_LINE} bytes")
            } else {
                "the input ended inside a message's header".into()
            });
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            if n == 0 {
                // A stray empty line between messages.
                continue;
            }
            break;
        }
        let Some((name, value)) = text.split_once(':') else {
            return Err(format!("a malformed header line: {text:?}"));
        };
        if name.trim().eq_ignore_ascii_case("content-length") {
            let value = value.trim();
            length = Some(
                value
                    .parse::<u64>()
                    .map_err(|_| format!("a Content-Length that is not a number of bytes: {value:?}"))?,
            );
        }
    }
    length
        .map(Some)
        .ok_or_else(|| "a message has no Content-Length header".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use lsp_server::RequestId;

    /// Everything the reader hands over for `input`.
    fn read(input: &[u8], max_frame: u64) -> Vec<Incoming> {
        let (tx, rx) = mpsc::sync_channel(0);
        let input = input.to_vec();
        let reader = thread::spawn(move || read_all(&mut &input[..], max_frame, &tx));
        let out: Vec<Incoming> = rx.iter().collect();
        reader.join().unwrap();
        out
    }

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[test]
    fn reads_messages_within_the_limit() {
        let input = frame(r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}"#)
            + &frame(r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#);
        let out = read(input.as_bytes(), 1000);
        assert_eq!(out.len(), 2);
        assert!(matches!(&out[0], Incoming::Message(Message::Request(r)) if r.method == "initialize"));
        assert!(matches!(&out[1], Incoming::Message(Message::Notification(n)) if n.method == "initialized"));
    }

    #[test]
    fn a_message_over_the_limit_is_skipped_after_its_start_is_read() {
        let text = "a".repeat(5000);
        let big = format!(
            r#"{{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{{"textDocument":{{"uri":"file:///a.md","languageId":"markdown","version":3,"text":"{text}"}}}}}}"#
        );
        let input = frame(&big) + &frame(r#"{"jsonrpc":"2.0","id":"x","method":"shutdown"}"#);
        let out = read(input.as_bytes(), 1000);
        assert_eq!(out.len(), 2, "{out:?}");
        let Incoming::TooLarge(o) = &out[0] else {
            panic!("{out:?}")
        };
        assert_eq!(o.bytes, big.len() as u64);
        let start = scan::Found {
            id: None,
            method: Some("textDocument/didOpen".into()),
            uri: Some("file:///a.md".into()),
            language: Some("markdown".into()),
            version: Some(3),
        };
        assert_eq!(o.start, start);
        assert!(matches!(&out[1], Incoming::Message(Message::Request(r)) if r.method == "shutdown"));
    }

    #[test]
    fn a_declared_terabyte_allocates_nothing_and_ends_cleanly() {
        let input = b"Content-Length: 1099511627776\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"textDocument/hover\",\"params\":{";
        let out = read(input, 1000);
        assert_eq!(out.len(), 2, "{out:?}");
        let Incoming::TooLarge(o) = &out[0] else {
            panic!("{out:?}")
        };
        assert_eq!(o.bytes, 1 << 40);
        assert_eq!(o.start.id, Some(RequestId::from(7)));
        assert!(matches!(&out[1], Incoming::Broken(e) if e.contains("ended inside a message")));
    }

    #[test]
    fn broken_headers_end_the_input_with_a_reason() {
        for (input, reason) in [
            (&b"Content-Length: lots\r\n\r\n{}"[..], "not a number"),
            (b"Content-Type: x\r\n\r\n{}", "no Content-Length"),
            (b"garbage\r\n\r\n", "malformed header"),
            (&[b'x'; 10_000][..], "longer than"),
            (b"Content-Length: 10\r\n\r\n{}", "ended inside a message"),
        ] {
            let out = read(input, 1000);
            assert!(
                matches!(out.last(), Some(Incoming::Broken(e)) if e.contains(reason)),
                "{reason}: {out:?}"
            );
        }
        let out = read(&frame("[1, 2]").into_bytes(), 1000);
        assert!(matches!(&out[0], Incoming::Invalid(_)), "{out:?}");
    }
}
