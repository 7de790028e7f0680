//! Feedback files to hand back (`rubric mark --feedback-dir DIR`): one file per marked answer,
//! written for the student, as Markdown (`<id>.md`), a printable web page (`<id>.html`) or a
//! Word document (`<id>.docx`): `--feedback-format`, docs/mark.md.
//!
//! Each file gives the student's name (or the id when no name is known), the score, a table of
//! marks per question, the teacher's comments on the whole answer, then per guiding question
//! what the answer covers (with the student's own sentence), what is partly there or
//! contradicted (with the sentence and the hint), and what is still missing, with the teacher's
//! comment on a point beside it. A missing point is described by its hint only, not by its
//! label, so the file guides without giving the answer away. Nothing about cues, matching or
//! marks per point is shown.
//!
//! The content is built once ([`Model`], from a [`Feedback`]) and written three ways
//! (`markdown`, `html`, `docx`), so the three formats always say the same.
//!
//! ```text
//! let fb = Feedback { id: "amy", name: Some("Amy Lee"), rubric: &rubric, assessment: &a, comments: &[] };
//! let bytes = render(FeedbackFormat::Html, &fb)?;
//! ```

mod docx;
mod html;
mod markdown;

use std::collections::HashSet;
use std::io;

use crate::matcher::Status;
use crate::scheme::Rubric;
use crate::score::{Assessment, PointOutcome};

/// A format of feedback files (`--feedback-format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FeedbackFormat {
    /// `<id>.md`: Markdown, readable as plain text too.
    Markdown,
    /// `<id>.html`: a standalone web page to print.
    Html,
    /// `<id>.docx`: a Word document.
    Docx,
}

impl FeedbackFormat {
    /// Every format, in the order the help lists them.
    pub const ALL: [FeedbackFormat; 3] = [FeedbackFormat::Markdown, FeedbackFormat::Html, FeedbackFormat::Docx];

    /// The name `--feedback-format` takes, which is also the files' extension.
    pub fn name(self) -> &'static str {
        match self {
            FeedbackFormat::Markdown => "md",
            FeedbackFormat::Html => "html",
            FeedbackFormat::Docx => "docx",
        }
    }

    /// The format of this name (`md`, `html`, `docx`).
    pub fn from_name(name: &str) -> Option<FeedbackFormat> {
        Self::ALL.into_iter().find(|f| f.name() == name)
    }
}

/// Everything one feedback file is made of.
#[derive(Debug, Clone, Copy)]
pub struct Feedback<'a> {
    /// The student's id (from the file or folder name).
    pub id: &'a str,
    /// The student's name, when a roster gives it: the file is addressed to it.
    pub name: Option<&'a str>,
    pub rubric: &'a Rubric,
    pub assessment: &'a Assessment<'a>,
    /// The teacher's comments, in order: `(point id, text)`. The point id may also be a
    /// question's id (the comment goes under that question) or empty (the whole answer, shown
    /// after the score). A comment on an id the rubric does not have, or on a misconception the
    /// answer does not make, is shown with the whole answer's or the question's.
    pub comments: &'a [(String, String)],
}

/// The feedback file of `f` in `format`.
pub fn render(format: FeedbackFormat, f: &Feedback) -> io::Result<Vec<u8>> {
    let model = Model::of(f);
    Ok(match format {
        FeedbackFormat::Markdown => markdown::render(&model).into_bytes(),
        FeedbackFormat::Html => html::render(&model).into_bytes(),
        FeedbackFormat::Docx => docx::render(&model)?,
    })
}

/// A piece of a line of text.
#[derive(Debug, Clone, PartialEq)]
enum Span {
    Text(String),
    /// A point's label (bold).
    Strong(String),
    /// The student's own words, shown in quotation marks.
    Quote(String),
}

/// One entry of a list: a line, and notes below it (a hint, the teacher's comment).
#[derive(Debug, Clone, PartialEq)]
struct Item {
    line: Vec<Span>,
    notes: Vec<Vec<Span>>,
}

impl Item {
    fn text(s: String) -> Item {
        Item {
            line: vec![Span::Text(s)],
            notes: Vec::new(),
        }
    }
}

/// A titled list ("What you covered").
#[derive(Debug, Clone, PartialEq)]
struct Section {
    title: &'static str,
    items: Vec<Item>,
}

/// One guiding question: its marks, and its sections that have something in them.
#[derive(Debug, Clone, PartialEq)]
struct QuestionPart {
    number: usize,
    prompt: String,
    score: f64,
    max: f64,
    sections: Vec<Section>,
}

/// The content of a feedback file, whatever its format.
#[derive(Debug, Clone, PartialEq)]
struct Model {
    /// `Feedback for <name or id>`.
    heading: String,
    rubric_title: String,
    score: f64,
    max: f64,
    /// The score in percent, rounded.
    percent: f64,
    /// The teacher's comments on the whole answer.
    comments: Vec<String>,
    questions: Vec<QuestionPart>,
    closing: &'static str,
}

/// The titles of a question's sections, in order.
const COVERED: &str = "What you covered";
const PARTLY: &str = "Partly there";
const CHECK: &str = "Check this";
const TO_ADD: &str = "Still to add";
const TEACHER: &str = "Teacher's comments";

/// Rubric or answer text on one line: line breaks and tabs become spaces, runs of white space
/// one space, control characters U+FFFD (each format escapes its own markup on top).
fn one_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().map(|c| {
            if c.is_control() {
                super::printable::REPLACEMENT
            } else {
                c
            }
        }));
    }
    out
}

/// The first piece of evidence of a point, as the student wrote it.
fn quote(p: &PointOutcome) -> Option<String> {
    p.finding
        .evidence
        .first()
        .map(|e| one_line(&e.quote))
        .filter(|q| !q.is_empty())
}

/// `**label**: “quote”`, or the label alone when there is no quote.
fn quoted(p: &PointOutcome) -> Vec<Span> {
    let mut line = vec![Span::Strong(one_line(&p.point.label))];
    if let Some(q) = quote(p) {
        line.push(Span::Text(": ".to_string()));
        line.push(Span::Quote(q));
    }
    line
}

/// A teacher's comment, as a note under a point.
fn teacher_note(text: &str) -> Vec<Span> {
    vec![
        Span::Strong("Teacher:".to_string()),
        Span::Text(format!(" {}", one_line(text))),
    ]
}

impl Model {
    fn of(f: &Feedback) -> Model {
        let a = f.assessment;
        let who = f.name.map(one_line).filter(|n| !n.is_empty());
        let mut comments: Vec<String> = Vec::new();
        // Comments on points and questions, placed as their question is built; what is not
        // placed goes with the whole answer.
        let mut placed = vec![false; f.comments.len()];
        let comments_on = |id: &str, placed: &mut [bool]| -> Vec<String> {
            let mut found = Vec::new();
            for (i, (on, text)) in f.comments.iter().enumerate() {
                if on == id && !placed[i] {
                    placed[i] = true;
                    found.extend(Some(one_line(text)).filter(|t| !t.is_empty()));
                }
            }
            found
        };
        let mut questions = Vec::with_capacity(a.questions.len());
        for (i, q) in a.questions.iter().enumerate() {
            let mut sections: [Vec<Item>; 5] = Default::default();
            for p in &q.points {
                let hint = one_line(&p.point.hint);
                let (slot, mut item) = match p.finding.status {
                    Status::Covered => (
                        0,
                        Item {
                            line: quoted(p),
                            notes: Vec::new(),
                        },
                    ),
                    // What is there and what is still to say (the student's "why not?"), then
                    // the hint.
                    Status::Partial => (
                        1,
                        Item {
                            line: quoted(p),
                            notes: super::why_not::sentence(p)
                                .into_iter()
                                .chain(Some(format!("To go further: {hint}")))
                                .map(|t| vec![Span::Text(t)])
                                .collect(),
                        },
                    ),
                    Status::Negated => (
                        2,
                        Item {
                            line: quoted(p),
                            notes: vec![vec![Span::Text(format!(
                                "This says the opposite, so it earns nothing as written. Hint: {hint}"
                            ))]],
                        },
                    ),
                    // The hint only: the label would give the answer away.
                    Status::Missing if hint.is_empty() => (3, Item::text("One more key point.".to_string())),
                    Status::Missing => (3, Item::text(hint)),
                };
                if p.cancelled_by.is_some() {
                    item.notes.push(vec![Span::Text(format!(
                        "Earns nothing while the answer also says what is under \"{CHECK}\"."
                    ))]);
                }
                for c in comments_on(&p.point.id, &mut placed) {
                    item.notes.push(teacher_note(&c));
                }
                sections[slot].push(item);
            }
            // A misconception the answer makes, with its own hint (one it does not make: never).
            for m in q.misconceptions.iter().filter(|m| m.found()) {
                let effect = super::ci::effect(m.point)
                    .map(|e| format!(" ({e})"))
                    .unwrap_or_default();
                let mut notes = vec![vec![Span::Text(format!("{}{effect}", one_line(&m.point.hint)))]];
                notes.extend(comments_on(&m.point.id, &mut placed).iter().map(|c| teacher_note(c)));
                sections[2].push(Item { line: quoted(m), notes });
            }
            sections[4].extend(comments_on(&q.question.id, &mut placed).into_iter().map(Item::text));
            // A comment on a misconception not made: with the question, not with a hidden point.
            for m in q.misconceptions.iter().filter(|m| !m.found()) {
                sections[4].extend(comments_on(&m.point.id, &mut placed).into_iter().map(Item::text));
            }
            let titles = [COVERED, PARTLY, CHECK, TO_ADD, TEACHER];
            questions.push(QuestionPart {
                number: i + 1,
                prompt: one_line(&q.question.prompt),
                score: q.score,
                max: q.question.max,
                sections: titles
                    .into_iter()
                    .zip(sections)
                    .filter(|(_, items)| !items.is_empty())
                    .map(|(title, items)| Section { title, items })
                    .collect(),
            });
        }
        for (i, (_, text)) in f.comments.iter().enumerate() {
            if !placed[i] {
                comments.push(one_line(text));
            }
        }
        comments.retain(|c| !c.is_empty());
        Model {
            heading: format!("Feedback for {}", who.unwrap_or_else(|| one_line(f.id))),
            rubric_title: one_line(&f.rubric.title),
            score: a.score,
            max: a.max,
            percent: (a.fraction() * 100.0).round(),
            comments,
            questions,
            closing: super::human::closing(a),
        }
    }

    /// `6 / 10 (60%)`.
    fn score_text(&self) -> String {
        format!(
            "{} / {} ({}%)",
            super::marks(self.score),
            super::marks(self.max),
            self.percent
        )
    }
}

impl QuestionPart {
    /// `2 / 3`.
    fn marks_text(&self) -> String {
        format!("{} / {}", super::marks(self.score), super::marks(self.max))
    }

    /// `1. Which two organisations...?`
    fn title(&self) -> String {
        format!("{}. {}", self.number, self.prompt)
    }
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

/// Most bytes of an id kept in its file name: with `-N.docx` after it, the name stays within
/// the 255 bytes file systems allow (ids from folder names can be that long themselves).
const MAX_NAME_BYTES: usize = 240;

/// The start of `s`, at most `max` bytes, cut at a character boundary.
fn cut(s: &str, max: usize) -> &str {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// File names (`<id>.<extension>`) for ids, unique even on a file system that ignores case: a
/// name already taken gets `-2`, `-3`... An id longer than 240 bytes is cut to them. The same
/// id gets the same stem whatever the extension, so `amy.md` and `amy.docx` go together.
pub fn file_names<'a>(ids: impl IntoIterator<Item = &'a str>, extension: &str) -> Vec<String> {
    let mut taken: HashSet<String> = HashSet::new();
    ids.into_iter()
        .map(|id| {
            let base = safe_name(id);
            let base = match cut(&base, MAX_NAME_BYTES) {
                short if short.len() < base.len() => safe_name(short),
                _ => base,
            };
            let mut name = format!("{base}.{extension}");
            let mut n = 2;
            while !taken.insert(name.to_lowercase()) {
                name = format!("{base}-{n}.{extension}");
                n += 1;
            }
            name
        })
        .collect()
}

#[cfg(test)]
mod tests;
