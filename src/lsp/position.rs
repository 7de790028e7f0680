//! Between byte offsets into a document and the protocol's positions (0-based line, UTF-16 code
//! units within the line), and from `file:` URIs to paths.

use std::path::PathBuf;

use lsp_types::{Position, Range};

/// Byte offsets where each line starts. Lines end at `\n` (a `\r` before it belongs to the
/// line ending as far as characters go, but is never counted: clients do not show it).
fn line_starts(text: &str) -> impl Iterator<Item = usize> + '_ {
    std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1))
}

/// The position of byte `offset` (clamped, rounded down to a character boundary).
pub fn position_at(text: &str, offset: usize) -> Position {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let (line, start) = line_starts(text)
        .enumerate()
        .take_while(|&(_, s)| s <= offset)
        .last()
        .unwrap_or((0, 0));
    let character = text[start..offset].encode_utf16().count();
    Position::new(line as u32, character as u32)
}

/// The byte offset of a position; a character past the end of its line is the line's end.
pub fn offset_at(text: &str, pos: Position) -> Option<usize> {
    let start = line_starts(text).nth(pos.line as usize)?;
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let line = text[start..line_end].trim_end_matches('\r');
    let mut units = 0u32;
    for (i, c) in line.char_indices() {
        if units >= pos.character {
            return Some(start + i);
        }
        units += c.len_utf16() as u32;
    }
    Some(start + line.len())
}

/// The first line of the document, where points with no evidence (missing) are shown.
pub fn first_line(text: &str) -> Range {
    let end = text.find('\n').unwrap_or(text.len());
    let line = text[..end].trim_end_matches('\r');
    Range::new(
        Position::new(0, 0),
        Position::new(0, line.encode_utf16().count() as u32),
    )
}

/// The path of a `file:` URI (`file:///home/a/essay%201.md`), percent-decoded.
pub fn uri_to_path(uri: &str) -> Option<PathBuf> {
    let rest = uri.strip_prefix("file://")?;
    // An authority of `localhost` (or none) names this machine.
    let rest = rest.strip_prefix("localhost").unwrap_or(rest);
    if !rest.starts_with('/') {
        return None;
    }
    let bytes = rest.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(v) = rest.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    let path = String::from_utf8(out).ok()?;
    // `file:///C:/x` on Windows.
    #[cfg(windows)]
    let path = path.strip_prefix('/').map(str::to_string).unwrap_or(path);
    Some(PathBuf::from(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_units() {
        let text = "a\r\nné 𝄞 x\nlast";
        assert_eq!(position_at(text, 0), Position::new(0, 0));
        let x = text.find('x').unwrap();
        // n, é, space, 𝄞 (two units), space
        assert_eq!(position_at(text, x), Position::new(1, 6));
        assert_eq!(offset_at(text, Position::new(1, 6)), Some(x));
        assert_eq!(offset_at(text, Position::new(0, 9)), Some(1));
        assert_eq!(offset_at(text, Position::new(2, 2)), Some(text.len() - 2));
        assert_eq!(offset_at(text, Position::new(5, 0)), None);
        assert_eq!(position_at(text, text.len()), Position::new(2, 4));
        assert_eq!(first_line(text), Range::new(Position::new(0, 0), Position::new(0, 1)));
    }

    #[test]
    fn file_uris() {
        assert_eq!(
            uri_to_path("file:///home/a/essay%201.md"),
            Some(PathBuf::from("/home/a/essay 1.md"))
        );
        assert_eq!(
            uri_to_path("file://localhost/x%C3%A9.txt"),
            Some(PathBuf::from("/xé.txt"))
        );
        assert_eq!(uri_to_path("untitled:Untitled-1"), None);
    }
}
