//! What a message too large to read says it is, found by streaming through its JSON once in
//! constant memory: its request id, method, and the document it opens or changes (uri,
//! language, version). Everything else (the document's text above all) is skipped as it goes by.
//!
//! `serde_json` cannot do this within a memory bound: it buffers every string it hands out
//! (a key or a uri may be gigabytes long) and keeps a byte per level of nesting while skipping.
//! Here a noted string is kept only up to [`MAX_NOTED`] bytes, nesting deeper than [`MAX_DEPTH`]
//! ends the scan, and the scan stops as soon as everything needed is known.

use std::io::{self, BufRead};

use lsp_server::RequestId;

/// The longest string noted (a uri, a method); a longer one is skipped, not noted.
const MAX_NOTED: usize = 64 * 1024;
/// The deepest nesting scanned.
const MAX_DEPTH: usize = 64;

/// What the start of a message said.
#[derive(Debug, Default, PartialEq)]
pub struct Found {
    pub id: Option<RequestId>,
    pub method: Option<String>,
    pub uri: Option<String>,
    pub language: Option<String>,
    pub version: Option<i32>,
}

impl Found {
    /// Whether nothing more is worth reading: a request's id and method, or a document's uri
    /// and version (and language, when it is opened).
    fn complete(&self) -> bool {
        match self.method.as_deref() {
            None => false,
            Some("textDocument/didOpen") => self.uri.is_some() && self.version.is_some() && self.language.is_some(),
            Some("textDocument/didChange") => self.uri.is_some() && self.version.is_some(),
            Some(_) => self.id.is_some(),
        }
    }
}

/// Where a value is in the message.
#[derive(Debug, Clone, Copy, PartialEq)]
enum At {
    Top,
    Id,
    Method,
    Params,
    TextDocument,
    Uri,
    Language,
    Version,
    Elsewhere,
}

impl At {
    fn member(self, key: Option<&str>) -> At {
        match (self, key) {
            (At::Top, Some("id")) => At::Id,
            (At::Top, Some("method")) => At::Method,
            (At::Top, Some("params")) => At::Params,
            (At::Params, Some("textDocument")) => At::TextDocument,
            (At::TextDocument, Some("uri")) => At::Uri,
            (At::TextDocument, Some("languageId")) => At::Language,
            (At::TextDocument, Some("version")) => At::Version,
            _ => At::Elsewhere,
        }
    }
}

/// Why a scan ended before the end of the value.
enum Stop {
    /// Everything needed was found.
    Enough,
    /// Not JSON, too deep, or the input failed or ended.
    Broken,
}

/// Scans the JSON value that `input` holds, as far as needed (see the module's documentation);
/// the rest of `input` is left unread.
pub fn scan(input: &mut impl BufRead) -> Found {
    let mut s = Scanner {
        input,
        found: Found::default(),
    };
    let _ = s.value(At::Top, 0);
    s.found
}

struct Scanner<'a, R> {
    input: &'a mut R,
    found: Found,
}

impl<R: BufRead> Scanner<'_, R> {
    fn peek(&mut self) -> Result<u8, Stop> {
        match self.input.fill_buf() {
            Ok([b, ..]) => Ok(*b),
            Ok([]) => Err(Stop::Broken),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => self.peek(),
            Err(_) => Err(Stop::Broken),
        }
    }

    fn next(&mut self) -> Result<u8, Stop> {
        let b = self.peek()?;
        self.input.consume(1);
        Ok(b)
    }

    /// The next byte that is not white space, not consumed.
    fn token(&mut self) -> Result<u8, Stop> {
        loop {
            match self.peek()? {
                b' ' | b'\t' | b'\n' | b'\r' => self.input.consume(1),
                b => return Ok(b),
            }
        }
    }

    fn expect(&mut self, byte: u8) -> Result<(), Stop> {
        if self.token()? == byte {
            self.input.consume(1);
            Ok(())
        } else {
            Err(Stop::Broken)
        }
    }

    fn value(&mut self, at: At, depth: usize) -> Result<(), Stop> {
        if depth > MAX_DEPTH {
            return Err(Stop::Broken);
        }
        match self.token()? {
            // An object or an array: its members (after their keys) or items, one by one.
            open @ (b'{' | b'[') => {
                let close = if open == b'{' { b'}' } else { b']' };
                self.input.consume(1);
                if self.token()? == close {
                    self.input.consume(1);
                    return Ok(());
                }
                loop {
                    let item = if open == b'{' {
                        self.expect(b'"')?;
                        let key = self.string(at != At::Elsewhere)?;
                        self.expect(b':')?;
                        at.member(key.as_deref())
                    } else {
                        At::Elsewhere
                    };
                    self.value(item, depth + 1)?;
                    match self.token()? {
                        b',' => self.input.consume(1),
                        b if b == close => {
                            self.input.consume(1);
                            return Ok(());
                        }
                        _ => return Err(Stop::Broken),
                    }
                }
            }
            b'"' => {
                self.input.consume(1);
                let noted = matches!(at, At::Id | At::Method | At::Uri | At::Language);
                let text = self.string(noted)?;
                match (at, text) {
                    (At::Id, Some(t)) => self.found.id = Some(RequestId::from(t)),
                    (At::Method, Some(t)) => self.found.method = Some(t),
                    (At::Uri, Some(t)) => self.found.uri = Some(t),
                    (At::Language, Some(t)) => self.found.language = Some(t),
                    _ => {}
                }
                self.done()
            }
            _ => {
                // A number or a literal: short, unless it is not JSON.
                let mut word = Vec::new();
                while let b @ (b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E' | b'a'..=b'z') = self.peek()? {
                    if word.len() == 32 {
                        return Err(Stop::Broken);
                    }
                    word.push(b);
                    self.input.consume(1);
                }
                let n = std::str::from_utf8(&word).ok().and_then(|w| w.parse::<i32>().ok());
                match (at, n) {
                    (At::Id, Some(n)) => self.found.id = Some(RequestId::from(n)),
                    (At::Version, Some(n)) => self.found.version = Some(n),
                    _ if word.is_empty() => return Err(Stop::Broken),
                    _ => {}
                }
                self.done()
            }
        }
    }

    fn done(&self) -> Result<(), Stop> {
        if self.found.complete() {
            Err(Stop::Enough)
        } else {
            Ok(())
        }
    }

    /// The rest of a string (after its opening quote): its text when `keep` and it is no
    /// longer than [`MAX_NOTED`], else `None` (and nothing of it is kept).
    fn string(&mut self, keep: bool) -> Result<Option<String>, Stop> {
        let mut text: Option<Vec<u8>> = keep.then(Vec::new);
        loop {
            let buf = match self.input.fill_buf() {
                Ok([]) | Err(_) => return Err(Stop::Broken),
                Ok(buf) => buf,
            };
            // Plain bytes up to the next quote or escape, in bulk.
            let plain = buf.iter().position(|&b| b == b'"' || b == b'\\').unwrap_or(buf.len());
            if let Some(t) = text.as_mut() {
                if t.len() + plain > MAX_NOTED {
                    text = None;
                } else {
                    t.extend_from_slice(&buf[..plain]);
                }
            }
            let end = buf.get(plain).copied();
            self.input.consume(plain);
            match end {
                None => continue,
                Some(b'"') => {
                    self.input.consume(1);
                    return Ok(text.and_then(|t| String::from_utf8(t).ok()));
                }
                Some(_) => {
                    self.input.consume(1);
                    let c = self.escape()?;
                    if let Some(t) = text.as_mut() {
                        let mut utf8 = [0; 4];
                        t.extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
                    }
                }
            }
        }
    }

    /// An escape, after its backslash.
    fn escape(&mut self) -> Result<char, Stop> {
        Ok(match self.next()? {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let high = self.hex4()?;
                if (0xD800..0xDC00).contains(&high) {
                    if self.next()? != b'\\' || self.next()? != b'u' {
                        return Ok(char::REPLACEMENT_CHARACTER);
                    }
                    let low = self.hex4()?;
                    let c = 0x10000 + ((high - 0xD800) << 10) + (low.wrapping_sub(0xDC00) & 0x3FF);
                    char::from_u32(c).unwrap_or(char::REPLACEMENT_CHARACTER)
                } else {
                    char::from_u32(high).unwrap_or(char::REPLACEMENT_CHARACTER)
                }
            }
            _ => return Err(Stop::Broken),
        })
    }

    fn hex4(&mut self) -> Result<u32, Stop> {
        let mut n = 0;
        for _ in 0..4 {
            let digit = char::from(self.next()?).to_digit(16).ok_or(Stop::Broken)?;
            n = n * 16 + digit;
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(json: &str) -> Found {
        scan(&mut json.as_bytes())
    }

    #[test]
    fn finds_a_document_whatever_the_order_of_its_fields() {
        let text = "a \\\"quoted\\\" text ".repeat(10_000);
        let want = Found {
            method: Some("textDocument/didOpen".into()),
            uri: Some("file:///tmp/é/a.md".into()),
            language: Some("markdown".into()),
            version: Some(3),
            ..Found::default()
        };
        for json in [
            format!(
                r#"{{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{{"textDocument":{{"uri":"file:\/\/\/tmp\/\u00e9/a.md","languageId":"markdown","version":3,"text":"{text}"}}}}}}"#
            ),
            format!(
                r#"{{ "params" : {{ "textDocument" : {{ "text" : "{text}", "version" : 3, "languageId":"markdown", "uri":"file:///tmp/é/a.md" }} }}, "method":"textDocument/didOpen", "jsonrpc":"2.0" }}"#
            ),
        ] {
            assert_eq!(found(&json), want);
        }
    }

    #[test]
    fn stops_as_soon_as_it_knows_enough() {
        // The rest is not even JSON: never read.
        let f = found(r#"{"id":7,"method":"textDocument/hover","params":{ nonsense"#);
        assert_eq!(f.id, Some(RequestId::from(7)));
        assert_eq!(f.method.as_deref(), Some("textDocument/hover"));
        let f = found(r#"{"id":"x","method":"m""#);
        assert_eq!(f.id, Some(RequestId::from("x".to_owned())));
    }

    #[test]
    fn keeps_nothing_long_and_survives_anything() {
        let long_uri = format!(
            r#"{{"method":"textDocument/didChange","params":{{"textDocument":{{"uri":"{}","version":2}}}}}}"#,
            "u".repeat(MAX_NOTED + 1)
        );
        let f = found(&long_uri);
        assert_eq!((f.uri, f.version), (None, Some(2)));
        let deep = format!(r#"{{"method":"x","params":{}"#, "[".repeat(100_000));
        assert_eq!(found(&deep).method.as_deref(), Some("x"));
        for junk in ["", "{", "[1,2", "nul", "\"abc", "{\"a\" 1}", "{\"a\":\"\\q\"}", "-"] {
            let _ = found(junk);
        }
    }
}
