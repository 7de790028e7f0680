//! The one escaper of markup: HTML for the class report ([`super::html`]), XML for JUnit
//! ([`super::junit`]).
//!
//! [`escape`] escapes `&`, `<`, `>`, `"` and `'` everywhere, and replaces control characters
//! other than tab and line breaks with U+FFFD, as every report does ([`super::printable`]). What
//! differs with the place the text goes ([`Markup`]):
//!
//! | | [`Markup::Html`] | [`Markup::XmlText`] | [`Markup::XmlAttribute`] |
//! |---|---|---|---|
//! | `'` | `&#39;` (HTML 4 has no `&apos;`) | `&apos;` | `&apos;` |
//! | tab, `\n`, `\r` | kept | kept | `&#9;` `&#10;` `&#13;` (an attribute stays on its line) |
//! | U+FFFE, U+FFFF | kept | U+FFFD (XML 1.0 cannot hold them) | U+FFFD |
//! | `::` starting a line, `##[` | kept | `&#58;:`, `##&#91;` | `##&#91;` |
//!
//! The last row is for JUnit documents printed to a CI log: GitHub's runner would take such a
//! line for a workflow command; an XML reader sees the text unchanged. A page is a file, never a
//! log, so HTML keeps them as they are.

use std::fmt::Write as _;

use super::printable::{REPLACEMENT, is_control};

/// Where escaped text goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Markup {
    /// HTML content or a quoted attribute value.
    Html,
    /// The text of an XML element.
    XmlText,
    /// An XML attribute value, in double or single quotes.
    XmlAttribute,
}

/// Text escaped for HTML content and attribute values.
pub fn html(s: &str) -> String {
    escape(s, Markup::Html)
}

/// Text escaped for an XML element.
pub fn xml_text(s: &str) -> String {
    escape(s, Markup::XmlText)
}

/// Text escaped for an XML attribute value.
pub fn xml_attribute(s: &str) -> String {
    escape(s, Markup::XmlAttribute)
}

/// `s` escaped for `into`.
pub fn escape(s: &str, into: Markup) -> String {
    let xml = into != Markup::Html;
    let attribute = into == Markup::XmlAttribute;
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    // XML text always follows a tag, so it starts mid-line; attribute values never leave their line.
    let mut line_start = false;
    let mut i = 0;
    while i < s.len() {
        // Copied at once: the run of characters none of which can need escaping. It ends at a
        // byte that may start one that does (an ASCII character, or the first byte of a C1
        // control or of U+FFFE/U+FFFF), so at a character boundary.
        let end = bytes[i..]
            .iter()
            .position(|&b| {
                b < 0x20
                    || matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'' | 0x7f | 0xc2 | 0xef)
                    || (xml && matches!(b, b':' | b'['))
            })
            .map_or(s.len(), |n| i + n);
        if end > i {
            let plain = &s[i..end];
            out.push_str(plain);
            line_start = line_start && plain.chars().all(char::is_whitespace);
            i = end;
        }
        let Some(c) = s[i..].chars().next() else { break };
        i += c.len_utf8();
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' if xml => out.push_str("&apos;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' if attribute => {
                let _ = write!(out, "&#{};", u32::from(c));
            }
            '\t' | '\n' | '\r' => out.push(c),
            ':' if xml && line_start && s[i..].starts_with(':') => out.push_str("&#58;"),
            '[' if xml && out.ends_with("##") => out.push_str("&#91;"),
            '\u{FFFE}' | '\u{FFFF}' if xml => out.push(REPLACEMENT),
            c if is_control(c) => out.push(REPLACEMENT),
            c => out.push(c),
        }
        line_start = match c {
            '\n' | '\r' => !attribute,
            c if c.is_whitespace() => line_start,
            _ => false,
        };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escapes_everything() {
        assert_eq!(
            html("<script>alert('x') & \"y\"</script>\u{1}"),
            "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;\u{fffd}"
        );
        // A page is no CI log: nothing to break there.
        assert_eq!(
            html("a\n::error::b ##[x] \u{fffe}\t\r"),
            "a\n::error::b ##[x] \u{fffe}\t\r"
        );
    }

    #[test]
    fn xml_escapes() {
        assert_eq!(
            xml_text("a<b & \"c\" 'd'\u{1}>"),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;\u{fffd}&gt;"
        );
        assert_eq!(
            xml_text("\x1b[31m \u{9b}1m \u{7f} \u{fffe}"),
            "\u{fffd}[31m \u{fffd}1m \u{fffd} \u{fffd}"
        );
        assert_eq!(xml_attribute("a\nb\r\tc"), "a&#10;b&#13;&#9;c");
    }

    #[test]
    fn no_workflow_command_in_a_log() {
        // Element text keeps its line breaks, but no line of it starts a command.
        assert_eq!(xml_text("x\n ::error::y"), "x\n &#58;:error::y");
        assert_eq!(xml_text("::error::y"), "::error::y", "text starts after a tag");
        assert_eq!(xml_text("a ##[error]b"), "a ##&#91;error]b");
        assert_eq!(xml_attribute("a\n::error::b"), "a&#10;::error::b");
        // Only at the start of a line, after white space (Unicode's too).
        assert_eq!(
            xml_text("x\n\u{3000}\t::a b::c :: d\r::e"),
            "x\n\u{3000}\t&#58;:a b::c :: d\r&#58;:e"
        );
    }
}
