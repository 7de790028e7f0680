//! Text from rubrics, answers and file names made safe to print: to a terminal, where escape
//! codes would recolour, move the cursor, retitle the window or worse, and to a CI log, where
//! GitHub's runner turns lines into workflow commands.
//!
//! Every report for people (`check`, `mark`'s summary, `lint`, `test`, `eval`, `suggest`,
//! `--print-config`, error messages) passes each piece of rubric text, answer text and file name
//! through [`printable`] or [`printable_line`] before adding its own styling; the CI formats
//! escape what their syntax needs on top (`github`, `junit`, `line`), and the JSON outputs go
//! through [`json_printable`]. The rules, everywhere:
//!
//! - a control character (Unicode `Cc`: C0 such as ESC, BEL, backspace, a lone carriage return;
//!   DEL; C1 such as the one-character CSI U+009B) becomes U+FFFD `�`. Multi-line text keeps its
//!   tabs and line feeds (a `\r\n` becomes `\n`); one-line text ([`printable_line`]: file names,
//!   ids, records of `--format line`) turns them into `�` too, so nothing starts a new line;
//! - a line that would start, after white space, with `::` (a workflow command) gets an
//!   invisible U+2060 WORD JOINER between the two colons, and `##[` (the runner's older command
//!   syntax, recognised anywhere in a line) one between `##` and `[`: the text reads the same but
//!   the runner runs nothing;
//! - bidirectional formatting characters (U+202A to U+202E, U+2066 to U+2069) are kept: right-to-left
//!   rubrics and answers need them, most terminals do not reorder text, and they cannot run or
//!   hide a command.

use std::borrow::Cow;

/// What a control character prints as.
pub const REPLACEMENT: char = '\u{FFFD}';

/// Invisible, not white space (to Rust or to the .NET runner), and breaks `::` and `##[`.
const JOINER: char = '\u{2060}';

/// Whether `c` is a control character, printed as [`REPLACEMENT`] (tab and line feed aside in
/// multi-line text).
pub fn is_control(c: char) -> bool {
    c.is_control()
}

/// Multi-line text (a title, a hint, a message) safe to print: tabs and line feeds kept.
pub fn printable(s: &str) -> Cow<'_, str> {
    clean(s, false)
}

/// One line of text (a file name, an id, a record) safe to print: line breaks and tabs
/// replaced as well.
pub fn printable_line(s: &str) -> Cow<'_, str> {
    clean(s, true)
}

/// Whether `s` may need changing: a control byte, a possible C1 control (encoded `C2 80` to
/// `C2 9F`), `::` or `##[`. A cheap test that keeps ordinary text borrowed.
fn suspicious(s: &str, one_line: bool) -> bool {
    let b = s.as_bytes();
    b.iter().enumerate().any(|(i, &c)| match c {
        b'\n' | b'\t' => one_line,
        0..=0x1f | 0x7f | 0xc2 => true,
        b':' => b.get(i + 1) == Some(&b':'),
        b'[' => i >= 2 && b[i - 2..i] == *b"##",
        _ => false,
    })
}

fn clean(s: &str, one_line: bool) -> Cow<'_, str> {
    if !suspicious(s, one_line) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    // Whether only white space has been written since the start of the line.
    let mut line_start = true;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' | '\t' if !one_line => out.push(c),
            '\r' if !one_line && chars.peek() == Some(&'\n') => continue,
            c if is_control(c) => out.push(REPLACEMENT),
            ':' if line_start && chars.peek() == Some(&':') => {
                out.push(':');
                out.push(JOINER);
            }
            '[' if out.ends_with("##") => {
                out.push(JOINER);
                out.push('[');
            }
            c => out.push(c),
        }
        let last = out.chars().next_back().unwrap_or(' ');
        line_start = if c == '\n' && !one_line {
            true
        } else {
            line_start && last.is_whitespace()
        };
    }
    Cow::Owned(out)
}

/// Serialised JSON made safe to print: DEL and the C1 controls, which JSON allows raw in strings
/// but a terminal may obey, become `\u00XX` escapes, and `##[` becomes `##\u005b`. Both can only
/// occur inside strings, so the JSON means exactly what it meant (serde already escapes the C0
/// controls).
pub fn json_printable(json: String) -> String {
    let bytes = json.as_bytes();
    let needed = bytes
        .iter()
        .enumerate()
        .any(|(i, &b)| b == 0x7f || b == 0xc2 || (b == b'[' && i >= 2 && bytes[i - 2..i] == *b"##"));
    if !needed {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        // Outside strings JSON has only ASCII, and the C0 controls there are white space.
        if ('\u{7f}'..='\u{9f}').contains(&c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else if c == '[' && out.ends_with("##") {
            out.push_str("\\u005b");
        } else {
            out.push(c);
        }
    }
    out
}

/// White space (new lines from multi-line TOML strings included) collapsed to single spaces.
pub fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_text_is_borrowed() {
        for s in [
            "Why did the Roman Republic fall?",
            "Who crossed the Rubicon,\nand what did he become?",
            "a:b, c: d, 100% sure é ñ 中文 ✓",
            "",
        ] {
            assert!(matches!(printable(s), Cow::Borrowed(_)), "{s:?}");
        }
        assert!(matches!(printable_line("essays/amy 2.md"), Cow::Borrowed(_)));
    }

    #[test]
    fn controls_become_replacement_characters() {
        assert_eq!(printable("a\x1b[31mred\x1b[0m"), "a�[31mred�[0m");
        assert_eq!(
            printable("csi \u{9b}31m, bell \x07, del \x7f, nul \0"),
            "csi �31m, bell �, del �, nul �"
        );
        assert_eq!(printable("over\rwrite"), "over�write");
        assert_eq!(printable("a\r\nb\tc\n"), "a\nb\tc\n");
        assert_eq!(printable_line("a\nb\tc\r\nd"), "a�b�c��d");
        // A C1 control is caught; other characters encoded with a C2 byte are not touched.
        assert_eq!(printable("© \u{85}"), "© �");
    }

    #[test]
    fn workflow_commands_are_broken() {
        assert_eq!(printable("::error::pwned"), ":\u{2060}:error::pwned");
        assert_eq!(printable("  ::error::x"), "  :\u{2060}:error::x");
        assert_eq!(printable("hint\n\t::warning::x"), "hint\n\t:\u{2060}:warning::x");
        // Not at the start of a line: nothing to break.
        assert_eq!(printable("std::vec::Vec"), "std::vec::Vec");
        // One line: the line feed is replaced, so what follows it does not start a line.
        assert_eq!(printable_line("a\n::error::x"), "a�::error::x");
        assert_eq!(printable_line("::error::x"), ":\u{2060}:error::x");
        assert_eq!(
            printable("see ##[error]x and ###[y]"),
            "see ##\u{2060}[error]x and ###\u{2060}[y]"
        );
        assert_eq!(printable("# [a] #[b]"), "# [a] #[b]");
    }

    #[test]
    fn json_keeps_its_meaning() {
        let value = serde_json::json!({ "t": "a\u{9b}31m \u{7f} ##[error]x \x1b é\n" });
        for s in [serde_json::to_string(&value), serde_json::to_string_pretty(&value)] {
            let s = json_printable(s.unwrap());
            assert!(!s.chars().any(|c| c.is_control() && c != '\n'), "{s:?}");
            assert!(!s.contains("##["), "{s}");
            assert_eq!(serde_json::from_str::<serde_json::Value>(&s).unwrap(), value);
        }
        let plain = serde_json::to_string(&serde_json::json!({ "t": "© [x]" })).unwrap();
        assert_eq!(json_printable(plain.clone()), plain);
    }
}
