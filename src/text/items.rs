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
pub fn break_inline_items(b: &mut [u8]) {
    let mut depth = 0u32;
    let mut line_has_text = false;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\n' => {
                depth = 0;
                line_has_text = false;
            }
            b'(' => {
                if let Some(end) = item_number(b, i + 1)
                    && depth == 0
                    && line_has_text
                    && i > 0
                    && b[i - 1] == b' '
                {
                    b[i - 1] = b'\n';
                    i = end;
                    continue;
                }
                depth += 1;
                line_has_text = true;
            }
            b')' => {
                depth = depth.saturating_sub(1);
                line_has_text = true;
            }
            b'0'..=b'9' if i > 0 && b[i - 1] == b' ' && depth == 0 && line_has_text => {
                if let Some(end) = item_number(b, i) {
                    b[i - 1] = b'\n';
                    i = end;
                    continue;
                }
                line_has_text = true;
            }
            c if !c.is_ascii_whitespace() => line_has_text = true,
            _ => {}
        }
        i += 1;
    }
}

/// Whether one or two digits at `i` are closed by `)` and then a space or the end: the index
/// after the `)`.
fn item_number(b: &[u8], i: usize) -> Option<usize> {
    let digits = b[i.min(b.len())..]
        .iter()
        .take(3)
        .take_while(|c| c.is_ascii_digit())
        .count();
    let close = i + digits;
    let ok = (1..=2).contains(&digits)
        && b.get(close) == Some(&b')')
        && b.get(close + 1).is_none_or(|c| c.is_ascii_whitespace());
    ok.then_some(close + 1)
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
