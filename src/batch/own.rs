//! Recognising the files rubric itself writes, so that a report left in a class folder by an
//! earlier run is not marked as an answer, and an output is only written over an answer-type
//! file when that file is a report rubric wrote.
//!
//! Each kind is told by how it begins (what a report has always begun with, so reports written
//! by earlier versions are recognised too):
//! - the marks sheet (`--csv`): the header `id,file,score,max,percent,band,...` (after a byte
//!   order mark, with `--csv-bom`);
//! - JSON reports (`--json`, `check --format json`, `--format json` of `mark`, `eval`,
//!   `suggest`): an object whose first field is `"schema"`, with a value starting `rubric-`;
//! - the class report (`--html`): `<meta name="generator" content="rubric ...">` in its head;
//! - feedback files (`--feedback-dir`): `# Feedback for ...`, then the line
//!   `**Score: X / Y** (Z%)`; as a web page, the class report's generator `<meta>` with the title
//!   `Feedback for ...`; as a `.docx`, text (as read) beginning `Feedback for ...`, then the
//!   paragraph `Score: X / Y (Z%)`;
//! - the class summary of `mark` saved from standard output: `N answers marked, N failed, N
//!   skipped.` among its first lines.

use std::io::Read;
use std::path::Path;

/// How many bytes of a file are enough to recognise it.
pub const PREFIX: usize = 4096;

/// A kind of file rubric writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    MarksSheet,
    Json,
    ClassReport,
    Feedback,
    Summary,
}

impl Kind {
    /// What it is, for messages: "a marks sheet".
    pub fn describe(self) -> &'static str {
        match self {
            Kind::MarksSheet => "a marks sheet (CSV)",
            Kind::Json => "a JSON report",
            Kind::ClassReport => "a class report (HTML)",
            Kind::Feedback => "a feedback file",
            Kind::Summary => "a class summary",
        }
    }

    /// Why such a file found among the answers is skipped.
    pub fn skip_reason(self) -> String {
        format!("{} written by rubric, not an answer", self.describe())
    }
}

/// The lines of `text`, at most `n` of them, without line ends.
fn first_lines(text: &str, n: usize) -> impl Iterator<Item = &str> {
    text.split('\n').take(n).map(|l| l.strip_suffix('\r').unwrap_or(l))
}

/// Whether `line` is `**Score: X / Y** (Z%)`.
fn score_line(line: &str) -> bool {
    line.strip_prefix("**Score: ")
        .and_then(|r| r.split_once(" / "))
        .and_then(|(_, r)| r.split_once("** ("))
        .is_some_and(|(_, r)| r.ends_with("%)"))
}

/// Whether `line` is `Score: X / Y (Z%)` (a feedback document's, as read).
fn plain_score_line(line: &str) -> bool {
    line.strip_prefix("Score: ")
        .and_then(|r| r.split_once(" / "))
        .and_then(|(_, r)| r.split_once(" ("))
        .is_some_and(|(_, r)| r.ends_with("%)"))
}

/// Whether `line` is `N answers marked, N failed, N skipped.` (the summary's count line).
fn count_line(line: &str) -> bool {
    let number = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let Some(rest) = line.strip_suffix(" skipped.") else {
        return false;
    };
    let mut parts = rest.split(", ");
    let (Some(marked), Some(failed), Some(skipped), None) = (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let marked = marked
        .strip_suffix(" answers marked")
        .or_else(|| marked.strip_suffix(" answer marked"));
    marked.is_some_and(number) && failed.strip_suffix(" failed").is_some_and(number) && number(skipped)
}

/// Whether JSON text starts with an object whose first field is `"schema": "rubric-...`.
fn rubric_json(text: &str) -> bool {
    let rest = text.trim_start();
    let Some(rest) = rest.strip_prefix('{') else {
        return false;
    };
    let Some(rest) = rest.trim_start().strip_prefix("\"schema\"") else {
        return false;
    };
    let Some(rest) = rest.trim_start().strip_prefix(':') else {
        return false;
    };
    rest.trim_start().starts_with("\"rubric-")
}

/// Which kind of rubric's files `start` (the first bytes of a file, at least [`PREFIX`] of
/// them when the file is that long) begins like, if any.
pub fn recognise(start: &[u8]) -> Option<Kind> {
    let start = &start[..start.len().min(PREFIX)];
    // Cut at the last whole character: the prefix may end inside one.
    let text = match std::str::from_utf8(start) {
        Ok(t) => t,
        Err(e) if e.error_len().is_none() => std::str::from_utf8(&start[..e.valid_up_to()]).unwrap_or_default(),
        Err(_) => return None,
    };
    recognise_text(text)
}

/// [`recognise`] for text already decoded (an answer read for marking): only its first
/// [`PREFIX`] bytes are looked at.
pub fn recognise_text(text: &str) -> Option<Kind> {
    let mut end = text.len().min(PREFIX);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let text = &text[..end];
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.starts_with("id,file,score,max,percent,band,") || text.starts_with("id,name,file,score,max,percent,band,") {
        return Some(Kind::MarksSheet);
    }
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') && rubric_json(trimmed) {
        return Some(Kind::Json);
    }
    if text.starts_with("# Feedback for ") && first_lines(text, 32).skip(1).any(score_line) {
        return Some(Kind::Feedback);
    }
    if text.starts_with("Feedback for ") && first_lines(text, 32).skip(1).any(plain_score_line) {
        return Some(Kind::Feedback);
    }
    if trimmed.starts_with('<') && text.contains("<meta name=\"generator\" content=\"rubric ") {
        if text.contains("<title>Feedback for ") {
            return Some(Kind::Feedback);
        }
        return Some(Kind::ClassReport);
    }
    if first_lines(text, 16).any(count_line) {
        return Some(Kind::Summary);
    }
    None
}

/// Reads the first [`PREFIX`] bytes of a regular file and recognises them. `None` for anything
/// else, or a file that cannot be read (reading it as an answer will say why).
pub fn recognise_file(path: &Path) -> Option<Kind> {
    let file = std::fs::File::open(path).ok()?;
    if !file.metadata().ok()?.is_file() {
        return None;
    }
    let mut start = Vec::with_capacity(PREFIX);
    file.take(PREFIX as u64).read_to_end(&mut start).ok()?;
    if start.starts_with(b"PK\x03\x04") && docx_name(path) {
        return recognise_docx(path);
    }
    recognise(&start)
}

/// Whether a file is named `*.docx`.
fn docx_name(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("docx"))
}

/// A `.docx` file's kind: a feedback document if its text reads like one (read within the
/// default limits, as an answer would be).
fn recognise_docx(path: &Path) -> Option<Kind> {
    use crate::text::office::{Kind as Office, read_document};
    let text = read_document(path, "", Office::Docx, &crate::text::limits::Limits::default()).ok()?;
    recognise_text(&text.text).filter(|k| *k == Kind::Feedback)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_is_recognised() {
        let cases: [(&str, Kind); 10] = [
            (
                "id,file,score,max,percent,band,p1,duplicate_of,similarity,error\namy,a.txt,1,2,50.0,50-60%,covered,,,\n",
                Kind::MarksSheet,
            ),
            (
                "\u{feff}id,file,score,max,percent,band,p1,duplicate_of,similarity,error\n",
                Kind::MarksSheet,
            ),
            ("{\"schema\":\"rubric-check/1\",\"file\":\"a.txt\"}\n", Kind::Json),
            ("{\n  \"schema\": \"rubric-eval/1\",\n", Kind::Json),
            (
                "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"generator\" content=\"rubric 0.1.0\">\n",
                Kind::ClassReport,
            ),
            (
                "# Feedback for amy\n\nStalin's rise\n\n**Score: 6 / 10** (60%)\n\n## 1. Why? (2 / 2)\n",
                Kind::Feedback,
            ),
            (
                "# Feedback for amy\r\n\r\nTitle\r\n\r\n**Score: 0.5 / 10** (5%)\r\n",
                Kind::Feedback,
            ),
            (
                "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"generator\" content=\"rubric 0.1.0\">\n<title>Feedback for amy</title>\n",
                Kind::Feedback,
            ),
            (
                "Feedback for Amy Lee\n\nStalin's rise\n\nScore: 6 / 10 (60%)\n\nMarks per question\n",
                Kind::Feedback,
            ),
            (
                "Stalin's rise\nRubric: r.toml\n\n1 answer marked, 0 failed, 2 skipped.\n\nScores out of 10\n",
                Kind::Summary,
            ),
        ];
        for (text, kind) in cases {
            assert_eq!(recognise(text.as_bytes()), Some(kind), "{text}");
        }
    }

    #[test]
    fn answers_are_not_reports() {
        for text in [
            "Stalin rose through patronage.",
            "id,file\n",
            "# Feedback for the teacher\n\nI liked this unit.\n",
            "Feedback for the teacher: I liked this unit. Score: 9 / 10 (90%)\n",
            "{\"schema\": \"mine\"}",
            "<html><head><meta name=\"generator\" content=\"Word\"></head></html>",
            "3 answers marked, by me.\n",
            "",
        ] {
            assert_eq!(recognise(text.as_bytes()), None, "{text}");
        }
        // Not UTF-8 (Windows-1252 or UTF-16 answers): never a report.
        assert_eq!(recognise(b"caf\xe9 id,file,score"), None);
        assert_eq!(recognise(b"\xff\xfei\0d\0"), None);
    }

    #[test]
    fn a_prefix_cut_inside_a_character_is_read_up_to_it() {
        let mut text = "id,file,score,max,percent,band,".to_string();
        text.push_str(&"é".repeat(PREFIX));
        assert_eq!(recognise(&text.as_bytes()[..PREFIX]), Some(Kind::MarksSheet));
    }

    #[test]
    fn count_lines() {
        assert!(count_line("12 answers marked, 0 failed, 3 skipped."));
        assert!(count_line("1 answer marked, 10 failed, 0 skipped."));
        assert!(!count_line("answers marked, 0 failed, 3 skipped."));
        assert!(!count_line("12 answers marked, 0 failed, 3 skipped"));
        assert!(!count_line("12 answers marked, x failed, 3 skipped."));
    }
}
