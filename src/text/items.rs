//! List items numbered inline: "1) the acidity of the vinegar 2) the amount of water" is two
//! items, so two sentences, although no full stop or line break parts them (answers typed into
//! a single box are often written so). A cue's `all` group, `unless` phrases and negation stay
//! inside one sentence, so without this a group could take its words from two items.
//!
//! The rule, on the text the tokenizer reads (so offsets into the answer do not move): a
//! number of one or two digits followed by `)`, or in brackets `(3)`, that stands after a
//! space, not at the start of its line, and not inside brackets opened earlier on the line
//! ("(see figure 2)"), starts a new item: the space before it becomes a line break. Lettered
//! items ("a) ... b) ...") and numbers with a full stop ("2. ") are left alone: both are too
//! common inside sentences ("about 2. Then").

/// Turns the space before each inline list number of `b` into a line break (see the module
/// documentation). Only ASCII spaces are replaced, by ASCII line breaks: UTF-8 stays valid.
///
/// Only the `)` of the text are looked at (found by `memchr`); the text before one is read, once,
/// only when a number stands before it: nearly every answer costs one search for `)`.
pub fn break_inline_items(b: &mut [u8]) {
    // What the text up to `pos` leaves open: brackets on the line, and whether the line (since
    // its start or the last item) has any text.
    let (mut pos, mut depth, mut text) = (0, 0u32, false);
    let mut close = 0;
    while let Some(at) = memchr::memchr(b')', &b[close..]) {
        close += at;
        let marker = item_start(b, close);
        close += 1;
        let Some(space) = marker else { continue };
        for &c in &b[pos..space] {
            match c {
                b'\n' => (depth, text) = (0, false),
                b'(' => (depth, text) = (depth + 1, true),
                b')' => (depth, text) = (depth.saturating_sub(1), true),
                c if !c.is_ascii_whitespace() => text = true,
                _ => {}
            }
        }
        pos = space;
        if depth == 0 && text {
            b[space] = b'\n';
            (pos, text) = (close, true);
        }
    }
}

/// When the `)` at `close` ends an inline list number (one or two digits, after a space or
/// in brackets after a space, followed by white space or the end): the index of that space.
fn item_start(b: &[u8], close: usize) -> Option<usize> {
    let digits = b[..close]
        .iter()
        .rev()
        .take(3)
        .take_while(|c| c.is_ascii_digit())
        .count();
    let number = close - digits;
    let after = b.get(close + 1).is_none_or(|c| c.is_ascii_whitespace());
    if !(1..=2).contains(&digits) || !after || number == 0 {
        return None;
    }
    match b[number - 1] {
        b' ' => Some(number - 1),
        b'(' if number >= 2 && b[number - 2] == b' ' => Some(number - 2),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::break_inline_items;

    fn items(text: &str) -> String {
        let mut b = text.as_bytes().to_vec();
        break_inline_items(&mut b);
        String::from_utf8(b).unwrap().replace('\n', " | ")
    }

    #[test]
    fn numbers_closed_by_a_bracket_start_items_after_the_first() {
        let cases = [
            (
                "1) the vinegar 2) the water 3) the size",
                "1) the vinegar | 2) the water | 3) the size",
            ),
            ("(1) the vinegar (2) the water", "(1) the vinegar | (2) the water"),
            ("you need 2) how much vinegar", "you need | 2) how much vinegar"),
            ("first\n2) second 10) tenth", "first | 2) second | 10) tenth"),
            // Not items: inside brackets, three digits, no space after, a letter, a full stop.
            ("the rest (see figure 2) was fine", "the rest (see figure 2) was fine"),
            ("in 1923) he won", "in 1923) he won"),
            ("a 2)b", "a 2)b"),
            ("a) one b) two", "a) one b) two"),
            ("about 2. Then", "about 2. Then"),
            ("x12) y", "x12) y"),
            ("ends with 7)", "ends with | 7)"),
            // Brackets close before an item, and open around a number; a line starts afresh.
            ("a (b) 2) c\n3) d (e 4) f", "a (b) | 2) c | 3) d (e 4) f"),
            ("(1) a (2) b (3) c", "(1) a | (2) b | (3) c"),
        ];
        for (text, want) in cases {
            assert_eq!(items(text), want, "{text:?}");
        }
    }

    #[test]
    fn non_ascii_text_stays_valid_and_the_same_length() {
        let text = "é 1) ü 2) ß";
        let mut b = text.as_bytes().to_vec();
        break_inline_items(&mut b);
        assert_eq!(String::from_utf8(b).unwrap(), "é\n1) ü\n2) ß");
    }
}
