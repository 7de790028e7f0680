//! Feedback files to hand back (`rubric mark --feedback-dir DIR`): one Markdown file per marked
//! answer, `<id>.md`, written for the student.
//!
//! Each file gives the score, then per guiding question what the answer covers (with the
//! student's own sentence), what is partly there or contradicted (with the sentence and the
//! hint), and what is still missing. A missing point is described by its hint only, not by its
//! label, so the file guides without giving the answer away. Nothing about cues, matching or
//! marks per point is shown.

use std::collections::HashSet;
use std::fmt::Write;

use super::marks;
use crate::matcher::Status;
use crate::scheme::Rubric;
use crate::score::Assessment;

/// Escapes the characters Markdown would read as markup inside a line of text.
fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '|') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Names Windows refuses for files, whatever the extension.
const RESERVED: &[&str] = &[
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8", "com9", "lpt1", "lpt2",
    "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// A file name for an id that is safe on every system: path separators, characters Windows
/// refuses and control characters become `_`; leading and trailing dots and spaces go.
fn safe_name(id: &str) -> String {
    let mut name: String = id
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                '_'
            } else {
                c
            }
        })
        .collect();
    name = name.trim_matches(|c| c == '.' || c == ' ').to_string();
    if name.is_empty() {
        name = "answer".to_string();
    }
    if RESERVED.contains(&name.to_lowercase().as_str()) {
        name.push('_');
    }
    name
}

/// Most bytes of an id kept in its file name: with `-N.md` after it, the name stays within the
/// 255 bytes file systems allow (ids from folder names can be that long themselves).
const MAX_NAME_BYTES: usize = 240;

/// The start of `s`, at most `max` bytes, cut at a character boundary.
fn cut(s: &str, max: usize) -> &str {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// File names (`<id>.md`) for ids, unique even on a file system that ignores case: a name
/// already taken gets `-2`, `-3`... An id longer than 240 bytes is cut to them.
pub fn file_names<'a>(ids: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut taken: HashSet<String> = HashSet::new();
    ids.into_iter()
        .map(|id| {
            let base = safe_name(id);
            let base = match cut(&base, MAX_NAME_BYTES) {
                short if short.len() < base.len() => safe_name(short),
                _ => base,
            };
            let mut name = format!("{base}.md");
            let mut n = 2;
            while !taken.insert(name.to_lowercase()) {
                name = format!("{base}-{n}.md");
                n += 1;
            }
            name
        })
        .collect()
}

/// The feedback file for one answer.
pub fn render(id: &str, rubric: &Rubric, a: &Assessment) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Feedback for {}", md(id));
    let _ = writeln!(out);
    let _ = writeln!(out, "{}", md(&rubric.title));
    let _ = writeln!(out);
    let pct = (a.fraction() * 100.0).round();
    let _ = writeln!(out, "**Score: {} / {}** ({pct}%)", marks(a.score), marks(a.max));
    for (i, q) in a.questions.iter().enumerate() {
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "## {}. {} ({} / {})",
            i + 1,
            md(&q.question.prompt),
            marks(q.score),
            marks(q.question.max)
        );
        let quote = |p: &crate::score::PointOutcome| {
            p.finding
                .evidence
                .first()
                .map(|e| format!("“{}”", md(&e.quote)))
                .unwrap_or_default()
        };
        let mut sections: [(&str, Vec<String>); 4] = [
            ("What you covered:", Vec::new()),
            ("Partly there:", Vec::new()),
            ("Check this:", Vec::new()),
            ("Still to add:", Vec::new()),
        ];
        for p in &q.points {
            let label = md(&p.point.label);
            let hint = md(&p.point.hint);
            let (slot, line) = match p.finding.status {
                Status::Covered => (0, format!("**{label}**: {}", quote(p))),
                Status::Partial => (1, format!("**{label}**: {}\n  - To go further: {hint}", quote(p))),
                Status::Negated => (
                    2,
                    format!(
                        "**{label}**: {}\n  - This says the opposite, so it earns nothing as written. Hint: {hint}",
                        quote(p)
                    ),
                ),
                Status::Missing => (3, hint),
            };
            let line = match p.cancelled_by {
                Some(_) => format!(
                    "{line}
  - Earns nothing while the answer also says what is under \"Check this\"."
                ),
                None => line,
            };
            sections[slot].1.push(line);
        }
        // A misconception the answer makes, with its own hint (one it does not make: never).
        for m in q.misconceptions.iter().filter(|m| m.found()) {
            let effect = super::ci::effect(m.point)
                .map(|e| format!(" ({e})"))
                .unwrap_or_default();
            sections[2].1.push(format!(
                "**{}**: {}
  - {}{}",
                md(&m.point.label),
                quote(m),
                md(&m.point.hint),
                md(&effect)
            ));
        }
        for (title, lines) in &sections {
            if lines.is_empty() {
                continue;
            }
            let _ = writeln!(out);
            let _ = writeln!(out, "{title}");
            let _ = writeln!(out);
            for l in lines {
                let _ = writeln!(out, "- {l}");
            }
        }
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "{}", super::human::closing(a));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_safe_and_unique() {
        let names = file_names(["amy", "Amy", "a/b", "../x", "con", "", "amy#2"]);
        assert_eq!(
            names,
            [
                "amy.md",
                "Amy-2.md",
                "a_b.md",
                "_x.md",
                "con_.md",
                "answer.md",
                "amy#2.md"
            ]
        );
    }

    #[test]
    fn long_ids_are_cut_to_fit_a_file_name() {
        let exact = "a".repeat(240);
        let long = "é".repeat(200);
        let names = file_names([exact.as_str(), long.as_str(), long.as_str()]);
        assert_eq!(names[0], format!("{exact}.md"));
        assert_eq!(names[1], format!("{}.md", "é".repeat(120)));
        assert_eq!(names[2], format!("{}-2.md", "é".repeat(120)));
        assert!(names.iter().all(|n| n.len() <= 255));
    }

    #[test]
    fn markdown_is_escaped() {
        assert_eq!(md("a *b* [c](d) <e>"), "a \\*b\\* \\[c\\](d) \\<e\\>");
    }
}
