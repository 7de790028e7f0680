//! Feedback as Markdown (`<id>.md`), meant to read well as plain text too: only what Markdown
//! would take for markup is escaped, so `grace_kim` stays `grace_kim` (an underscore inside a
//! word is not emphasis), while `*`, `[`, a backtick or a `#` starting a line are escaped.
//!
//! A file begins `# Feedback for ...` and has the line `**Score: X / Y** (Z%)` among its first:
//! that is how rubric recognises one of its feedback files ([`crate::batch::own`]).

use std::fmt::Write;

use super::{Item, Model, Span};

/// Whether `c` may touch an underscore that makes emphasis (one inside a word never does).
fn word_char(c: Option<char>) -> bool {
    c.is_some_and(char::is_alphanumeric)
}

/// `s` with what Markdown would read as markup escaped. `start`: the text begins a block (a
/// paragraph or a list item), where `#`, `>`, `-`, `+`, `=` or `1.` would start a heading, a
/// quote or a list. `cell`: the text is in a table cell, where `|` ends the cell.
fn escape(s: &str, start: bool, cell: bool) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let chars: Vec<char> = s.chars().collect();
    // A leading number followed by `.` or `)` would number a list.
    let digits = chars.iter().take_while(|c| c.is_ascii_digit()).count();
    for (i, &c) in chars.iter().enumerate() {
        let before = i.checked_sub(1).map(|j| chars[j]);
        let after = chars.get(i + 1).copied();
        let escape = match c {
            '\\' | '`' | '*' | '[' | ']' | '<' => true,
            '|' => cell,
            '_' => !(word_char(before) && word_char(after)),
            '~' => before == Some('~') || after == Some('~'),
            // `&amp;` and `&#39;` are character references; `R&D` is not.
            '&' => {
                let rest = &chars[i + 1..];
                let name = rest
                    .iter()
                    .take_while(|c| c.is_ascii_alphanumeric() || **c == '#')
                    .count();
                name > 0 && rest.get(name) == Some(&';')
            }
            '#' | '>' | '-' | '+' | '=' => start && i == 0,
            '.' | ')' => start && digits > 0 && i == digits,
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Text in a line.
fn inline(s: &str) -> String {
    escape(s, false, false)
}

/// Spans in Markdown; the first one begins a block when `start`.
fn spans(line: &[Span], start: bool) -> String {
    let mut out = String::new();
    for (i, span) in line.iter().enumerate() {
        let start = start && i == 0;
        match span {
            Span::Text(t) => out.push_str(&escape(t, start, false)),
            Span::Strong(t) => {
                let _ = write!(out, "**{}**", inline(t));
            }
            Span::Quote(t) => {
                let _ = write!(out, "“{}”", inline(t));
            }
        }
    }
    out
}

fn item(out: &mut String, item: &Item) {
    let _ = writeln!(out, "- {}", spans(&item.line, true));
    for note in &item.notes {
        let _ = writeln!(out, "  - {}", spans(note, true));
    }
}

pub(super) fn render(m: &Model) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}", inline(&m.heading));
    let _ = writeln!(out);
    let _ = writeln!(out, "{}", escape(&m.rubric_title, true, false));
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "**Score: {} / {}** ({}%)",
        super::super::marks(m.score),
        super::super::marks(m.max),
        m.percent
    );
    if !m.comments.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(out, "{}:", super::TEACHER);
        for c in &m.comments {
            let _ = writeln!(out);
            let _ = writeln!(out, "{}", escape(c, true, false));
        }
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "| Question | Marks |");
    let _ = writeln!(out, "| --- | --: |");
    for q in &m.questions {
        let _ = writeln!(
            out,
            "| {}. {} | {} |",
            q.number,
            escape(&q.prompt, false, true),
            q.marks_text()
        );
    }
    let _ = writeln!(
        out,
        "| **Total** | **{} / {}** |",
        super::super::marks(m.score),
        super::super::marks(m.max)
    );
    for q in &m.questions {
        let _ = writeln!(out);
        let _ = writeln!(out, "## {}. {} ({})", q.number, inline(&q.prompt), q.marks_text());
        for s in &q.sections {
            let _ = writeln!(out);
            let _ = writeln!(out, "{}:", s.title);
            let _ = writeln!(out);
            for i in &s.items {
                item(&mut out, i);
            }
        }
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "{}", m.closing);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_markup_is_escaped() {
        // Issue 20: a plain viewer showed `# Feedback for grace\_kim`.
        assert_eq!(inline("grace_kim"), "grace_kim");
        assert_eq!(inline("_grace_ kim_"), "\\_grace\\_ kim\\_");
        assert_eq!(inline("a *b* [c](d) <e> `f`"), "a \\*b\\* \\[c\\](d) \\<e> \\`f\\`");
        assert_eq!(
            inline("R&D &amp; &#39; a|b ~x ~~y~~"),
            "R&D \\&amp; \\&#39; a|b ~x \\~\\~y\\~\\~"
        );
        assert_eq!(escape("a|b", false, true), "a\\|b");
        assert_eq!(inline("Zoë Müller-García"), "Zoë Müller-García");
    }

    #[test]
    fn what_would_start_a_block_is_escaped_at_the_start_only() {
        assert_eq!(escape("# a # b", true, false), "\\# a # b");
        assert_eq!(escape("> a > b", true, false), "\\> a > b");
        assert_eq!(escape("- a - b", true, false), "\\- a - b");
        assert_eq!(escape("1922. He rose", true, false), "1922\\. He rose");
        assert_eq!(escape("1922 ended. 3) x", true, false), "1922 ended. 3) x");
        assert_eq!(escape("# a", false, false), "# a");
    }
}
