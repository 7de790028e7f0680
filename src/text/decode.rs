//! Decoding an answer's bytes into text: UTF-8, UTF-16 (with or without a byte order mark) or
//! Windows-1252, and refusing what is plainly not text (binary files, empty answers).
//!
//! Below [`read`](crate::text::read) (which opens files and picks a reader by format) and below
//! the readers that need the Windows-1252 table ([`html`](crate::text::html)).

use crate::text::limits::ReadError;

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
pub(crate) fn is_blank(text: &str) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn encoding_names() {
        assert_eq!(Encoding::Utf8.name(), "UTF-8");
        assert_eq!(Encoding::Windows1252.name(), "Windows-1252");
    }
}
