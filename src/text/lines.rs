//! Byte offset to line and column, for messages that point a person at a place in a file.

use std::ops::Range;

/// Start offsets of every line of a text, so that turning a byte offset into a line number is a
/// binary search rather than a scan from the top of the file for every message.
///
/// Lines end at `\n`; a `\r\n` pair is one line ending (the `\r` belongs to the line it ends). A
/// lone `\r` is not a line ending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineIndex {
    /// Byte offset of the start of each line; always starts with 0.
    starts: Vec<usize>,
    /// Number of lines as [`str::lines`] counts them.
    count: usize,
}

impl LineIndex {
    /// Indexes `text` once so that later look-ups are cheap.
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        let count = if text.is_empty() {
            0
        } else if text.ends_with('\n') {
            starts.len() - 1
        } else {
            starts.len()
        };
        LineIndex { starts, count }
    }

    /// 1-based line and 1-based column counted in Unicode scalar values (chars) from the line
    /// start: what editors show and what a person can find.
    ///
    /// Never panics: an offset past the end is clamped to `text.len()` and an offset inside a
    /// multi-byte character is rounded down to that character's start. The offset of a line
    /// ending belongs to the line it ends; `text.len()` after a final newline is reported as
    /// column 1 of the (empty) line after it.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts.get(line - 1).copied().unwrap_or(0).min(offset);
        // A byte-order mark is not a character anyone sees: it does not count as a column.
        let column = text
            .get(start..offset)
            .map_or(0, |s| s.chars().filter(|&c| c != '\u{FEFF}').count())
            + 1;
        (line, column)
    }

    /// Number of lines, counted like [`str::lines`]: a final line ending does not start another
    /// line, and an empty text has none. Useful for sizing a line-number gutter.
    pub fn line_count(&self) -> usize {
        self.count
    }

    /// Byte range of 1-based `line` without its line ending, for quoting the line in a message;
    /// `None` when there is no such line.
    pub fn line_range(&self, text: &str, line: usize) -> Option<Range<usize>> {
        let start = *self.starts.get(line.checked_sub(1)?)?;
        if start > text.len() {
            return None;
        }
        let mut end = match self.starts.get(line) {
            Some(&next) => next.saturating_sub(1).min(text.len()),
            None => text.len(),
        };
        if end > start && text.as_bytes().get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        Some(start..end.max(start))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_table() {
        let text = "ab\ncé d\r\n\nx😀y\n";
        let index = LineIndex::new(text);
        let cases: &[(usize, (usize, usize))] = &[
            (0, (1, 1)),
            (1, (1, 2)),
            (2, (1, 3)),  // the '\n' belongs to line 1
            (3, (2, 1)),  // 'c'
            (4, (2, 2)),  // 'é' (2 bytes)
            (5, (2, 2)),  // inside 'é': rounded down
            (6, (2, 3)),  // ' '
            (7, (2, 4)),  // 'd'
            (8, (2, 5)),  // '\r'
            (9, (2, 6)),  // '\n'
            (10, (3, 1)), // empty line
            (11, (4, 1)), // 'x'
            (12, (4, 2)), // '😀' (4 bytes)
            (14, (4, 2)), // inside the emoji
            (16, (4, 3)), // 'y'
            (17, (4, 4)), // final '\n'
            (18, (5, 1)), // end of text
            (1000, (5, 1)),
            (usize::MAX, (5, 1)),
        ];
        for &(offset, expected) in cases {
            assert_eq!(index.line_col(text, offset), expected, "offset {offset}");
        }
    }

    #[test]
    fn empty_text() {
        let index = LineIndex::new("");
        assert_eq!(index.line_count(), 0);
        assert_eq!(index.line_col("", 0), (1, 1));
        assert_eq!(index.line_col("", 5), (1, 1));
        assert_eq!(index.line_range("", 1), Some(0..0));
        assert_eq!(index.line_range("", 2), None);
        assert_eq!(index.line_range("", 0), None);
    }

    #[test]
    fn line_count_follows_str_lines() {
        for text in ["a", "a\n", "a\nb", "a\n\n", "\n", "a\r\nb\r\n", "x\ry"] {
            assert_eq!(LineIndex::new(text).line_count(), text.lines().count(), "{text:?}");
        }
    }

    #[test]
    fn line_ranges() {
        let text = "one\r\ntwo\n\nfour";
        let index = LineIndex::new(text);
        let lines: Vec<&str> = (1..=index.line_count())
            .filter_map(|l| index.line_range(text, l))
            .filter_map(|r| text.get(r))
            .collect();
        assert_eq!(lines, text.lines().collect::<Vec<_>>());
        assert_eq!(index.line_range(text, 5), None);
    }

    #[test]
    fn index_used_with_another_text_does_not_panic() {
        let index = LineIndex::new("a\nb\nc\nd\n");
        let other = "é";
        for offset in 0..10 {
            let (line, column) = index.line_col(other, offset);
            assert!(line >= 1 && column >= 1);
            let _ = index.line_range(other, offset);
        }
    }
}
