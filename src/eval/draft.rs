//! `rubric new --from`: a first rubric drafted from a worksheet or mark scheme as a teacher
//! writes it, for the author to finish (labels checked, hints written, cues widened).
//!
//! The document is read line by line ([`draft`]):
//!
//! - **Title**: the first line with words (a Markdown heading's `#` dropped), unless it is a
//!   numbered question; then the file's name.
//! - **Questions**: a numbered line (`1.`, `2)`, `Q3:`, `Question 4 -`) that ends with `?` or
//!   gives marks, or starts with `Q`/`Question`; or, in a document without numbered questions,
//!   a line of at most 40 words ending with `?` (a worksheet's guiding questions). Marks come from
//!   the end of the line: `(2 marks)`, `[3]`, `(4 pts)`.
//! - **Key points**: under a question, until the next one, each bullet (`-`, `*`, `•`, `–`),
//!   lettered item (`a)`, `(b)`, `iii.`) and, in a question that gives marks, numbered item; and
//!   each line `N marks: ...` / `1 mark - ...` (a point worth N marks: level descriptors become
//!   points too, for the author to merge). A point's own marks may end it: `(1 mark)`.
//! - An official item rubric, one task: a `Prompt` heading (`Prompt—Protein Synthesis Item`:
//!   the item's name is the title) whose instruction lines ("List and describe ...", "After
//!   reading ..., describe ...", questions; not a procedure's steps, not "Question: ..."
//!   context) make the prompt; a key-point heading ("Key Elements:", "Needed Information:",
//!   "Conclusions:", "Experimental Design Improvements:", "Examples:") after which every line
//!   is a point, to a blank line or a band heading ("Other acceptable responses" is not a
//!   point); a scoring heading ("Rubric:", "3-Point Rubric:") whose bands ("3 points" then
//!   "Four key elements", "Score 2" then "... two additional pieces ...") become count
//!   `bands`; and "Rubric range:" then "0-3", the question's marks.
//! - Everything else (a reading passage, instructions) is kept as comments where it stands,
//!   for the author to draft from; headings such as "Mark scheme:" are left out.
//!
//! For each key point the draft has an id (from its content words), its text as label and
//! model statement (`reveal`), a hint to write (`TODO`), and cues drafted from its content
//! words: one word alone; of two or three, any two (an `any` group, `need = 2`: anywhere in
//! the answer; one of them makes the point partial); of more, the three most telling: words
//! that are not the prompt's (wording copied from the question earns nothing), then names and
//! words outside the English word list, then the longest. A name in brackets ("the Council of
//! People's Commissars (Sovnarkom)") is a cue of its own. Word forms and misspellings need
//! nothing: the matcher finds them. The drafted cues favour recall (on the official rubric
//! texts of the ASAP-SAS sets, `any` two of three agreed with the human marks far better than
//! `all` three in one sentence: QWK 0.53 against 0.20 on average over sets 1, 2, 5 and 6);
//! the author tightens them into claims (`all` groups in one sentence, `[people]`) once
//! `rubric eval` shows where they over-mark.
//!
//! Scoring: a point is worth 1 mark unless it gives its own; a question that gives marks
//! caps its points' sum there (`max`), and when its points are worth less than its marks each
//! is raised so that they reach them (two points of a 4-mark question are worth 2 each).
//!
//! A question without key points (a worksheet with no mark scheme) gets a skeleton point
//! whose label, hint and cue say `TODO`: it loads and lints, and earns nothing until written.

use std::fmt::Write as _;

use crate::text::lang;

/// What [`draft`] made: the rubric's text and what it holds.
#[derive(Debug, Clone)]
pub struct Draft {
    /// The rubric, as TOML with comments.
    pub toml: String,
    pub questions: usize,
    /// Key points drafted from the document (skeleton points not counted).
    pub points: usize,
    /// Questions that got a skeleton point (no key points found under them).
    pub skeletons: usize,
    /// Whether any marks were found (a mark scheme rather than a worksheet).
    pub marked: bool,
}

/// A question as read.
#[derive(Debug, Default)]
struct Question {
    number: Option<String>,
    prompt: String,
    marks: Option<f64>,
    points: Vec<KeyPoint>,
    /// Count bands: (points covered, marks), from a scoring section.
    bands: Vec<(u32, f64)>,
    /// A task's instruction lines (for a document of one task), its prompt.
    tasks: Vec<String>,
    /// Lines of other text under the question, in order, with the index of the point they
    /// follow (0: before the first).
    notes: Vec<(usize, String)>,
}

#[derive(Debug)]
struct KeyPoint {
    text: String,
    marks: Option<f64>,
}

/// Headings of a mark scheme's parts that are not content.
const HEADINGS: &[&str] = &[
    "mark scheme",
    "marking scheme",
    "marking guidance",
    "key points",
    "answers",
    "answer",
    "model answer",
    "indicative content",
    "possible answers",
    "accept",
    "award",
    "notes",
];

/// Words of a key point that say nothing of its content (beyond [`lang::is_common_word`]).
const GENERIC: &[&str] = &[
    "able",
    "accept",
    "also",
    "answer",
    "answers",
    "award",
    "both",
    "credit",
    "describe",
    "describes",
    "etc",
    "example",
    "explain",
    "explains",
    "give",
    "gives",
    "identify",
    "identifies",
    "mark",
    "marks",
    "mention",
    "mentions",
    "name",
    "names",
    "point",
    "points",
    "reference",
    "refers",
    "says",
    "show",
    "shows",
    "state",
    "states",
    "student",
    "students",
    "three",
    "two",
    "understands",
    "uses",
    "valid",
    "which",
    "who",
    "whom",
    "whose",
];

/// Drafts a rubric from a worksheet or mark scheme's text; `name` is the document's file name
/// (the title when the document has none, and the header comment).
pub fn draft(text: &str, name: &str) -> Draft {
    let lines: Vec<String> = text.lines().map(clean_line).collect();
    let numbered = lines.iter().any(|l| numbered_question(l).is_some());
    let mut title: Option<String> = None;
    let mut preamble: Vec<String> = Vec::new();
    let mut questions: Vec<Question> = Vec::new();
    // Key points, bands and task lines found before any question (a document of one task,
    // such as an official item rubric: its prompt, then its key elements).
    let mut single = Question::default();
    let mut section = Section::Body;
    // The marks of a band heading ("3 points") waiting for its count ("Four key elements").
    let mut band_marks: Option<f64> = None;
    for line in &lines {
        if line.is_empty() {
            // A blank line ends a list of key elements (once it has one) and a block of
            // context (a procedure, materials) inside a prompt.
            section = match section {
                Section::KeyPoints { any: true } => Section::Body,
                Section::Context => Section::Prompt,
                s => s,
            };
            continue;
        }
        // "Rubric range:" then "0-3": the scale of the marks.
        if section == Section::Range {
            section = Section::Body;
            if let Some(top) = range_top(line) {
                let q = questions.last_mut().unwrap_or(&mut single);
                q.marks = Some(top);
                continue;
            }
        }
        // A band heading ("2 points", "Score 1") ends a list of key points.
        if matches!(section, Section::KeyPoints { any: true }) && band_heading(line).is_some() {
            section = Section::Scoring;
        }
        if let Some(kind) = heading(line) {
            section = match kind {
                Heading::Prompt(item) => {
                    if let Some(item) = item.filter(|_| title.is_none() || questions.is_empty()) {
                        title = Some(item);
                    }
                    Section::Prompt
                }
                Heading::KeyPoints => Section::KeyPoints { any: false },
                Heading::Scoring => Section::Scoring,
                Heading::Range => Section::Range,
                Heading::Context if section == Section::Prompt => Section::Context,
                Heading::Context | Heading::Other => Section::Body,
            };
            continue;
        }
        if title.is_none() && numbered_question(line).is_none() {
            title = Some(strip_marks(line).0);
            continue;
        }
        if let Some((number, rest)) = numbered_question(line) {
            let (prompt, marks) = strip_marks(rest);
            questions.push(Question {
                number: Some(number),
                prompt,
                marks,
                ..Question::default()
            });
            section = Section::Body;
            continue;
        }
        match section {
            Section::Prompt | Section::Context => {
                if section == Section::Prompt && task_line(line) {
                    single.tasks.push(line.clone());
                } else {
                    preamble.push(line.clone());
                }
                continue;
            }
            Section::Scoring => {
                if let Some(m) = band_heading(line) {
                    band_marks = Some(m);
                } else if let Some(m) = band_marks.take()
                    && let Some(count) = band_count(line)
                {
                    let q = questions.last_mut().unwrap_or(&mut single);
                    q.bands.push((count, m));
                }
                continue;
            }
            Section::KeyPoints { .. } => {
                section = Section::KeyPoints { any: true };
                let q = questions.last_mut().unwrap_or(&mut single);
                let item = list_item(line, true).unwrap_or(line);
                // "Other acceptable responses": a catch-all, no point of its own.
                if item.to_lowercase().starts_with("other ") {
                    q.notes.push((q.points.len(), line.clone()));
                    continue;
                }
                let (text, marks) = strip_marks(item);
                if !text.is_empty() {
                    q.points.push(KeyPoint { text, marks });
                }
                continue;
            }
            Section::Body | Section::Range => {}
        }
        if !numbered && guiding_question(line) {
            let (prompt, marks) = strip_marks(line);
            questions.push(Question {
                prompt,
                marks,
                ..Question::default()
            });
            continue;
        }
        let Some(q) = questions.last_mut() else {
            preamble.push(line.clone());
            continue;
        };
        if let Some((marks, text)) = marks_line(line) {
            q.points.push(KeyPoint {
                text,
                marks: Some(marks),
            });
        } else if let Some(item) = list_item(line, q.marks.is_some()) {
            let (text, marks) = strip_marks(item);
            if !text.is_empty() {
                q.points.push(KeyPoint { text, marks });
            }
        } else if !is_heading(line) {
            q.notes.push((q.points.len(), line.clone()));
        }
    }
    let title = title.unwrap_or_else(|| name.to_string());
    // A document of one task: its prompt is the task's instructions (else the title).
    if questions.is_empty() || !single.points.is_empty() || !single.bands.is_empty() {
        let prompt = if single.tasks.is_empty() {
            title.clone()
        } else {
            single.tasks.join(" ")
        };
        if questions.is_empty() {
            questions.push(Question { prompt, ..single });
        } else {
            // Points before the first question: the first question's.
            let first = &mut questions[0];
            first.points.splice(0..0, single.points);
            first.bands.extend(single.bands);
        }
    }
    render(&title, name, &preamble, &questions)
}

/// Where a line stands in the document ([`draft`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    /// Questions, their bullets and notes.
    Body,
    /// After a `Prompt` heading: context, and the task's instructions.
    Prompt,
    /// A block of context inside the prompt (a procedure, materials, data), to its blank line.
    Context,
    /// After a key-points heading ("Key Elements:"): every line is a point, to a blank line
    /// (once there is one) or the next heading. `any`: a point was read.
    KeyPoints { any: bool },
    /// After a scoring heading ("Rubric:"): bands ("3 points" / "Four key elements").
    Scoring,
    /// After "Rubric range:" or "Score range:": the next line may be the scale ("0-3").
    Range,
}

/// What a heading line starts.
#[derive(Debug, PartialEq)]
enum Heading {
    /// "Prompt—Protein Synthesis Item": the task, with the item's name if any.
    Prompt(Option<String>),
    KeyPoints,
    Scoring,
    /// "Rubric range:", "Score range:".
    Range,
    /// "Procedure:", "Materials:", "Data:": context for the task.
    Context,
    /// Another heading ending with a colon and no text after it.
    Other,
}

/// Headings after which every line is a key point.
const KEY_POINT_HEADINGS: &[&str] = &[
    "acceptable answers",
    "acceptable responses",
    "answers",
    "conclusions",
    "examples",
    "improvements",
    "indicative content",
    "key elements",
    "key points",
    "mark scheme",
    "marking scheme",
    "model answer",
    "needed information",
    "possible answers",
    "possible correct responses",
    "possible key elements",
    "responses may include",
    "sample answers",
    "sample responses",
];

/// Headings of a task's context.
const CONTEXT_HEADINGS: &[&str] = &[
    "data",
    "data table",
    "materials",
    "procedure",
    "hypothesis",
    "question",
    "setup",
];

/// The kind of heading a line is, if it is one (a line of a few words, most ending with `:`).
fn heading(line: &str) -> Option<Heading> {
    let words = line.split_whitespace().count();
    let lower = line.to_lowercase();
    if let Some(rest) = lower.strip_prefix("prompt")
        && words <= 8
        && rest.chars().next().is_none_or(|c| !c.is_alphanumeric())
    {
        let item = line["prompt".len()..]
            .trim_start_matches([':', '—', '–', '-', ' '])
            .trim();
        return Some(Heading::Prompt((!item.is_empty()).then(|| item.to_string())));
    }
    let bare = lower.trim_end_matches(':').trim();
    if KEY_POINT_HEADINGS.contains(&bare) {
        return Some(Heading::KeyPoints);
    }
    if matches!(
        bare,
        "rubric" | "scoring" | "marking" | "scoring guide" | "score points"
    ) {
        return Some(Heading::Scoring);
    }
    if matches!(
        bare,
        "rubric range" | "score range" | "mark range" | "marks range" | "range"
    ) {
        return Some(Heading::Range);
    }
    if !line.ends_with(':') || words > 6 {
        return None;
    }
    // "Experimental Design Improvements:", "3-Point Rubric:".
    if KEY_POINT_HEADINGS.iter().any(|h| bare.ends_with(&format!(" {h}"))) {
        return Some(Heading::KeyPoints);
    }
    if bare.ends_with(" rubric") || bare.ends_with("-point rubric") {
        return Some(Heading::Scoring);
    }
    if CONTEXT_HEADINGS.contains(&bare) {
        return Some(Heading::Context);
    }
    Some(Heading::Other)
}

/// Verbs that start a task's instruction ("Describe ...", "After reading ..., list ...").
const TASK_VERBS: &[&str] = &[
    "analyse",
    "analyze",
    "choose",
    "compare",
    "describe",
    "discuss",
    "draw",
    "evaluate",
    "explain",
    "give",
    "identify",
    "justify",
    "list",
    "name",
    "outline",
    "predict",
    "state",
    "suggest",
    "summarise",
    "summarize",
    "use",
    "write",
];

/// Whether a line of a prompt is an instruction to the student: a question, or a sentence whose
/// first word, or first word after a leading clause, is a [`TASK_VERBS`] verb. A line of the form
/// "Label: text" is context ("Question: What is the effect...?").
fn task_line(line: &str) -> bool {
    if line
        .split_once(':')
        .is_some_and(|(label, rest)| !rest.trim().is_empty() && label.split_whitespace().count() <= 2)
    {
        return false;
    }
    let starts = |clause: &str| {
        clause
            .split_whitespace()
            .next()
            .is_some_and(|w| TASK_VERBS.contains(&w.to_lowercase().as_str()))
    };
    !line.ends_with(':')
        && (line.ends_with('?') || starts(line) || line.split_once(',').is_some_and(|(_, rest)| starts(rest)))
}

/// The top of a scale written "0-3" (or "0–3", "0 to 3").
fn range_top(line: &str) -> Option<f64> {
    let t = line.replace(['–', '—'], "-").replace(" to ", "-");
    let (lo, hi) = t.split_once('-')?;
    let (lo, hi): (f64, f64) = (lo.trim().parse().ok()?, hi.trim().parse().ok()?);
    (lo == 0.0 && hi > 0.0 && hi <= 100.0).then_some(hi)
}

/// A band's marks heading: "3 points", "1 point", "2 marks", "Score 2".
fn band_heading(line: &str) -> Option<f64> {
    let lower = line.to_lowercase();
    let rest = lower.strip_prefix("score ").unwrap_or(&lower);
    let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
    let unit = rest[digits.len()..].trim();
    let n: f64 = digits.parse().ok()?;
    matches!(unit, "" | "point" | "points" | "mark" | "marks").then_some(n)
}

/// A band's count: "Four key elements", "One or two key elements", "3 key points": the least
/// number named (the band is reached from there).
fn band_count(line: &str) -> Option<u32> {
    const NUMBERS: [&str; 10] = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
    ];
    let lower = line.to_lowercase();
    const UNITS: [&str; 10] = [
        "element", "point", "part", "idea", "piece", "reason", "way", "step", "process", "example",
    ];
    if !UNITS.iter().any(|u| lower.contains(u)) {
        return None;
    }
    lower
        .split(|c: char| !c.is_alphanumeric())
        // "A 2-point response": the score, not a count.
        .filter(|w| !lower.contains(&format!("{w}-point")))
        .filter_map(|w| {
            w.parse::<u32>()
                .ok()
                .or_else(|| NUMBERS.iter().position(|n| *n == w).map(|i| i as u32))
        })
        .min()
        .filter(|&n| n > 0)
}

/// A line without surrounding blanks, Markdown heading marks and emphasis.
fn clean_line(line: &str) -> String {
    let t = line.trim().trim_start_matches('#').trim();
    let t = t.replace("**", "").replace("__", "");
    t.trim().to_string()
}

/// A numbered question: (its number, the rest of the line).
fn numbered_question(line: &str) -> Option<(String, &str)> {
    let lower = line.to_ascii_lowercase();
    let (named, after) = if let Some(r) = lower.strip_prefix("question") {
        (true, line.len() - r.len())
    } else if lower.starts_with('q') && lower[1..].starts_with(|c: char| c.is_ascii_digit()) {
        (true, 1)
    } else {
        (false, 0)
    };
    let rest = line[after..].trim_start();
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 3 {
        return None;
    }
    let number = rest[..digits].to_string();
    let mut tail = &rest[digits..];
    // "1a" is a part of question 1: kept in the number.
    let letter =
        tail.bytes().next().filter(|b| b.is_ascii_lowercase()).is_some() && tail[1..].starts_with(['.', ')', ':', ' ']);
    let number = if letter {
        let n = format!("{number}{}", &tail[..1]);
        tail = &tail[1..];
        n
    } else {
        number
    };
    let sep = tail.starts_with(['.', ')', ':', '-', '–']);
    if !(sep || (named && tail.starts_with(' '))) {
        return None;
    }
    let text = tail.trim_start().trim_start_matches(['.', ')', ':', '-', '–']).trim();
    if text.is_empty() {
        return None;
    }
    let asks = text.ends_with('?') || strip_marks(text).1.is_some();
    (named || asks).then_some((number, text))
}

/// A worksheet's guiding question: a line of at most 40 words that ends with `?`.
fn guiding_question(line: &str) -> bool {
    strip_marks(line).0.ends_with('?') && line.split_whitespace().count() <= 40
}

/// The text of a line without the marks at its end, and those marks: `(2 marks)`, `[3]`,
/// `(4 pts)`, `[1 mark]`.
fn strip_marks(line: &str) -> (String, Option<f64>) {
    let t = line.trim();
    let Some(close) = t.chars().last().filter(|c| matches!(c, ')' | ']')) else {
        return (t.to_string(), None);
    };
    let open = if close == ')' { '(' } else { '[' };
    let Some(start) = t.rfind(open) else {
        return (t.to_string(), None);
    };
    let inner = t[start + 1..t.len() - 1].trim().to_ascii_lowercase();
    let number: String = inner.chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
    let unit = inner[number.len()..].trim();
    let unit_ok = matches!(unit, "" | "mark" | "marks" | "m" | "pt" | "pts" | "point" | "points");
    match number.parse::<f64>() {
        Ok(n) if unit_ok && n > 0.0 && n <= 100.0 => (t[..start].trim().to_string(), Some(n)),
        _ => (t.to_string(), None),
    }
}

/// A line `N marks: text` or `1 mark - text`: (N, text).
fn marks_line(line: &str) -> Option<(f64, String)> {
    let digits: String = line.chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
    let n: f64 = digits.parse().ok()?;
    let rest = line[digits.len()..].trim_start();
    let lower = rest.to_ascii_lowercase();
    let after = ["marks", "mark"].iter().find_map(|w| lower.strip_prefix(w))?;
    let text = rest[rest.len() - after.len()..].trim_start();
    let text = text.strip_prefix([':', '-', '–', '—', '='])?.trim();
    (!text.is_empty() && n > 0.0).then(|| (n, text.to_string()))
}

/// The text of a list item: a bullet, a lettered item, or (when `numbers`) a numbered one.
fn list_item(line: &str, numbers: bool) -> Option<&str> {
    for bullet in ['-', '*', '•', '–', '—', '◦', '▪', '·', '+'] {
        if let Some(rest) = line.strip_prefix(bullet)
            && rest.starts_with([' ', '\t'])
        {
            return Some(rest.trim());
        }
    }
    let inner = line.strip_prefix('(').unwrap_or(line);
    let label: String = inner.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
    let rest = &inner[label.len()..];
    if label.is_empty() || !rest.starts_with(['.', ')']) || !rest[1..].starts_with([' ', '\t']) {
        return None;
    }
    let roman = label.len() <= 4 && label.chars().all(|c| matches!(c, 'i' | 'v' | 'x'));
    let letter = label.len() == 1 && label.chars().all(|c| c.is_ascii_lowercase());
    let number = numbers && label.chars().all(|c| c.is_ascii_digit());
    (roman || letter || number).then(|| rest[1..].trim())
}

/// A heading of a mark scheme's parts ("Mark scheme:", "Key points").
fn is_heading(line: &str) -> bool {
    let l = line.trim_end_matches(':').trim().to_lowercase();
    HEADINGS.contains(&l.as_str())
}

/// The words of a text, lower case: letters, digits and inner apostrophes or hyphens.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’' || c == '-'))
        .map(|w| {
            let w = w
                .trim_matches(|c: char| !c.is_alphanumeric())
                .replace('’', "'")
                .to_lowercase();
            // A possessive is its word ("tRNA's": trna).
            w.strip_suffix("'s").map_or(w.clone(), str::to_string)
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// Whether a word says something of a point's content.
fn content_word(w: &str) -> bool {
    let year = w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit());
    year || (w.chars().count() >= 3
        && w.chars().any(char::is_alphabetic)
        && !lang::is_common_word(w)
        && !GENERIC.contains(&w))
}

/// A word's worth as a cue word: names and words outside the English word list, then longer.
fn telling(w: &str) -> (bool, usize) {
    let plain = w.replace(['\'', '-'], "");
    let known = if plain.chars().count() <= 3 {
        lang::is_short_word(&plain)
    } else {
        lang::is_english_word(&plain)
    };
    (!known, w.chars().count())
}

/// Whether two words are forms of one (by their English stems).
fn stem_eq(a: &str, b: &str) -> bool {
    let english = lang::Language::english();
    a == b || english.stem_compact(a) == english.stem_compact(b)
}

/// A word as a cue word: without characters the cue syntax reads.
fn cue_word(w: &str) -> String {
    w.chars()
        .filter(|c| !matches!(c, '|' | '[' | ']' | '(' | ')' | '*' | '=' | '@' | '"' | '\\'))
        .collect()
}

/// The cues drafted for a key point's text (see the module doc), as TOML values.
fn draft_cues(text: &str, prompt: &[String]) -> Vec<String> {
    let mut cues = Vec::new();
    // Names in brackets: cues of their own.
    let mut rest = text;
    let mut main = String::new();
    while let Some(open) = rest.find('(') {
        main.push_str(&rest[..open]);
        let Some(close) = rest[open..].find(')') else {
            main.push_str(&rest[open..]);
            rest = "";
            break;
        };
        let inner = &rest[open + 1..open + close];
        let ws: Vec<String> = words(inner)
            .into_iter()
            .filter(|w| content_word(w))
            .map(|w| cue_word(&w))
            .collect();
        if (1..=3).contains(&ws.len()) && !inner.contains(',') {
            cues.push(toml_str(&ws.join(" ")));
        } else {
            main.push(' ');
            main.push_str(inner);
        }
        rest = &rest[open + close + 1..];
    }
    main.push_str(rest);
    let mut content: Vec<String> = Vec::new();
    for w in words(&main) {
        let w = cue_word(&w);
        if content_word(&w) && !content.contains(&w) {
            content.push(w);
        }
    }
    let keep = 3;
    if content.len() > keep {
        // The most telling, in the order they came: words of the student's own (not the
        // prompt's: wording copied from the question earns nothing), then names and words
        // outside the English word list, then the longest.
        let mut ranked: Vec<usize> = (0..content.len()).collect();
        ranked.sort_by_key(|&i| {
            let own = !prompt.iter().any(|p| stem_eq(p, &content[i]));
            std::cmp::Reverse((own, telling(&content[i])))
        });
        ranked.truncate(keep);
        ranked.sort_unstable();
        content = ranked.into_iter().map(|i| content[i].clone()).collect();
    }
    match content.len() {
        0 => {}
        1 => cues.insert(0, toml_str(&content[0])),
        n => {
            let parts: Vec<String> = content.iter().map(|w| toml_str(w)).collect();
            cues.insert(0, format!("{{ any = [{}], need = {} }}", parts.join(", "), 2.min(n)));
        }
    }
    cues
}

/// A point id from a key point's text: its first two content words, in letters and digits.
fn point_id(text: &str, taken: &mut Vec<String>, fallback: &str) -> String {
    let slug: Vec<String> = words(text)
        .into_iter()
        .filter(|w| content_word(w))
        .map(|w| w.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>())
        .filter(|w| !w.is_empty())
        .take(2)
        .collect();
    let base = if slug.is_empty() {
        fallback.to_string()
    } else {
        slug.join("-")
    };
    let mut id = base.clone();
    let mut n = 2;
    while taken.contains(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    taken.push(id.clone());
    id
}

/// A TOML basic string.
fn toml_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Marks as TOML writes them: `2`, `0.5`.
fn marks_value(m: f64) -> String {
    if m.fract() == 0.0 {
        format!("{}", m as i64)
    } else {
        format!("{m}")
    }
}

/// Longest comment line written, in characters (a passage's paragraph is wrapped).
const COMMENT_WIDTH: usize = 95;

/// A line of text as TOML comment lines, wrapped at [`COMMENT_WIDTH`].
fn comment(out: &mut String, text: &str) {
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > COMMENT_WIDTH - 2 {
            let _ = writeln!(out, "# {line}");
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    let _ = writeln!(out, "# {line}");
}

fn render(title: &str, name: &str, preamble: &[String], questions: &[Question]) -> Draft {
    let mut out = String::new();
    let marked = questions
        .iter()
        .any(|q| q.marks.is_some() || !q.bands.is_empty() || q.points.iter().any(|p| p.marks.is_some()));
    let _ = writeln!(out, "# Drafted by `rubric new --from {name}`. To finish it:");
    out.push_str(
        "# - check each label and model statement (`reveal`), and write each hint (TODO): a question\n\
         #   that leads to the point without giving it away;\n\
         # - widen the cues with the words students use (`rubric suggest` finds them in marked\n\
         #   answers), then `rubric lint` and `rubric test`;\n\
         # - `rubric eval` against marked answers, and `rubric fit` to set the marks from them.\n",
    );
    if !preamble.is_empty() {
        out.push_str("#\n# From the document:\n");
        for line in preamble {
            comment(&mut out, line);
        }
    }
    let _ = writeln!(out, "\ntitle = {}", toml_str(title));
    out.push_str("language = \"english\"\n");
    let mut taken: Vec<String> = Vec::new();
    let mut qids: Vec<String> = Vec::new();
    let (mut points, mut skeletons) = (0, 0);
    for (qi, q) in questions.iter().enumerate() {
        let base = match &q.number {
            Some(n) => format!("q{n}"),
            None => format!("q{}", qi + 1),
        };
        let mut qid = base.clone();
        let mut n = 2;
        while qids.contains(&qid) {
            qid = format!("{base}-{n}");
            n += 1;
        }
        qids.push(qid.clone());
        out.push_str("\n# ---------------------------------------------------------------------------------------\n");
        out.push_str("[[question]]\n");
        let _ = writeln!(out, "id = {}", toml_str(&qid));
        let _ = writeln!(out, "prompt = {}", toml_str(&q.prompt));
        let prompt_words = words(&q.prompt);
        // Each point's marks: its own, or 1; raised evenly when they fall short of the
        // question's marks (none gives its own).
        let own: f64 = q.points.iter().map(|p| p.marks.unwrap_or(1.0)).sum();
        let raise = match q.marks {
            Some(m) if !q.points.is_empty() && q.points.iter().all(|p| p.marks.is_none()) && own < m => {
                let each = m / q.points.len() as f64;
                // Whole or half marks.
                Some((each * 2.0).floor() / 2.0).filter(|&e| e > 1.0)
            }
            _ => None,
        };
        let total: f64 = q.points.iter().map(|p| p.marks.or(raise).unwrap_or(1.0)).sum();
        // Count bands from a scoring section replace the sum (highest first).
        let mut bands = q.bands.clone();
        bands.sort_by_key(|b| std::cmp::Reverse(b.0));
        bands.dedup_by_key(|b| b.0);
        let raise = if bands.is_empty() { raise } else { None };
        if !bands.is_empty() {
            let list: Vec<String> = bands
                .iter()
                .map(|(covered, marks)| format!("{{ covered = {covered}, marks = {} }}", marks_value(*marks)))
                .collect();
            let _ = writeln!(out, "bands = [{}]", list.join(", "));
        } else if let Some(m) = q.marks
            && (total > m || q.points.is_empty())
        {
            let _ = writeln!(out, "max = {}", marks_value(m));
        }
        let notes_at = |k: usize, out: &mut String| {
            for (_, line) in q.notes.iter().filter(|(at, _)| *at == k) {
                comment(out, line);
            }
        };
        if q.points.is_empty() {
            skeletons += 1;
            notes_at(0, &mut out);
            let id = point_id("", &mut taken, &format!("{qid}-point"));
            out.push_str("\n# No key points found under this question: write them (one point per claim).\n");
            out.push_str("[[question.point]]\n");
            let _ = writeln!(out, "id = {}", toml_str(&id));
            out.push_str("label = \"TODO: a key point a good answer makes\"\n");
            if let Some(m) = q.marks {
                let _ = writeln!(out, "marks = {}", marks_value(m));
            }
            out.push_str("hint = \"TODO: a question that leads to the point without giving it away\"\n");
            // A cue of its own (a cue shared by points draws a lint warning), which no answer
            // makes.
            let _ = writeln!(out, "cues = [{}]", toml_str(&format!("TODO {qid}")));
            continue;
        }
        notes_at(0, &mut out);
        for (k, p) in q.points.iter().enumerate() {
            points += 1;
            let id = point_id(&p.text, &mut taken, &format!("{qid}-point"));
            out.push_str("\n[[question.point]]\n");
            let _ = writeln!(out, "id = {}", toml_str(&id));
            let _ = writeln!(out, "label = {}", toml_str(&p.text));
            if let Some(m) = p.marks.or(raise).filter(|&m| m != 1.0) {
                let _ = writeln!(out, "marks = {}", marks_value(m));
            }
            out.push_str("hint = \"TODO: a question that leads to this point without giving it away\"\n");
            let _ = writeln!(out, "reveal = {}", toml_str(&p.text));
            let cues = draft_cues(&p.text, &prompt_words);
            if cues.is_empty() {
                let _ = writeln!(out, "cues = [{}]", toml_str(&format!("TODO {id}")));
            } else {
                let _ = writeln!(out, "cues = [{}]", cues.join(", "));
            }
            notes_at(k + 1, &mut out);
        }
    }
    Draft {
        toml: out,
        questions: questions.len(),
        points,
        skeletons,
        marked,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_questions() {
        let cases: &[(&str, Option<(&str, &str)>)] = &[
            (
                "1. Why did Stalin rise? (2 marks)",
                Some(("1", "Why did Stalin rise? (2 marks)")),
            ),
            (
                "2) Explain the Lenin enrolment [3]",
                Some(("2", "Explain the Lenin enrolment [3]")),
            ),
            (
                "Q3: Describe the ban on factions",
                Some(("3", "Describe the ban on factions")),
            ),
            ("Question 4 - Why?", Some(("4", "Why?"))),
            (
                "1a. What is osmosis? (1 mark)",
                Some(("1a", "What is osmosis? (1 mark)")),
            ),
            // Numbered lines that ask nothing and give no marks: content, not questions.
            ("1) People's Commissar for Nationalities in 1917.", None),
            ("1917 was the year of the revolution?", None),
            ("3.5 marks", None),
            ("Questions", None),
        ];
        for (line, want) in cases {
            let got = numbered_question(line).map(|(n, t)| (n, t.to_string()));
            let want = want.map(|(n, t)| (n.to_string(), t.to_string()));
            assert_eq!(got, want, "{line}");
        }
    }

    #[test]
    fn marks_at_the_end_of_a_line() {
        let cases: &[(&str, &str, Option<f64>)] = &[
            ("Why? (2 marks)", "Why?", Some(2.0)),
            ("Explain [3]", "Explain", Some(3.0)),
            ("Explain (4 pts)", "Explain", Some(4.0)),
            ("Glucose (1 mark)", "Glucose", Some(1.0)),
            ("Half (0.5)", "Half", Some(0.5)),
            // Brackets that are not marks stay.
            (
                "The Council of People's Commissars (Sovnarkom)",
                "The Council of People's Commissars (Sovnarkom)",
                None,
            ),
            ("In the year (1917)", "In the year (1917)", None),
            ("Nothing (0 marks)", "Nothing (0 marks)", None),
        ];
        for &(line, text, marks) in cases {
            assert_eq!(strip_marks(line), (text.to_string(), marks), "{line}");
        }
    }

    #[test]
    fn marks_lines_and_list_items() {
        assert_eq!(
            marks_line("2 marks: names both bodies"),
            Some((2.0, "names both bodies".into()))
        );
        assert_eq!(marks_line("1 mark - a reason"), Some((1.0, "a reason".into())));
        assert_eq!(marks_line("2 marks"), None);
        assert_eq!(marks_line("1917: the revolution"), None);
        assert_eq!(list_item("- Glucose", false), Some("Glucose"));
        assert_eq!(list_item("• Oxygen", false), Some("Oxygen"));
        assert_eq!(list_item("a) the first", false), Some("the first"));
        assert_eq!(list_item("(b) the second", false), Some("the second"));
        assert_eq!(list_item("iii. the third", false), Some("the third"));
        // Numbered items are points only in a question that gives marks.
        assert_eq!(list_item("1) a post", false), None);
        assert_eq!(list_item("1) a post", true), Some("a post"));
        assert_eq!(list_item("-5 degrees", false), None);
        assert_eq!(list_item("As a result", false), None);
    }

    #[test]
    fn cues_from_content_words() {
        // One content word alone; a name in brackets a cue of its own.
        assert_eq!(draft_cues("Glucose", &[]), ["\"glucose\""]);
        assert_eq!(
            draft_cues("The Council of People's Commissars (Sovnarkom)", &[]),
            [
                "{ any = [\"council\", \"people\", \"commissars\"], need = 2 }",
                "\"sovnarkom\""
            ]
        );
        // Of more than three, the most telling three (names first, then the longest), in order.
        assert_eq!(
            draft_cues(
                "the new members were picked by the Secretariat, so they supported Stalin",
                &[]
            ),
            ["{ any = [\"secretariat\", \"supported\", \"stalin\"], need = 2 }"]
        );
        // Words of the prompt come last: copied from the question, they earn nothing.
        assert_eq!(
            draft_cues(
                "the new members were picked by the Secretariat, so they supported Stalin",
                &words("Explain how the Lenin enrolment helped Stalin.")
            ),
            ["{ any = [\"members\", \"secretariat\", \"supported\"], need = 2 }"]
        );
        // Cue syntax in the text is not read as syntax.
        assert_eq!(draft_cues("CO2 | O2 *", &[]), ["\"co2\""]);
        // Nothing to draft from.
        assert!(draft_cues("it is the one", &[]).is_empty());
    }

    #[test]
    fn draft_strings_are_valid_toml() {
        let d = draft(
            "Title \"quoted\" \\ back\n1. Why \"this\"? (2 marks)\n- a \"quoted\" point\n",
            "x.txt",
        );
        let t: toml::Value = toml::from_str(&d.toml).unwrap_or_else(|e| panic!("{e}\n{}", d.toml));
        assert_eq!(t["title"].as_str(), Some("Title \"quoted\" \\ back"));
        assert_eq!(
            t["question"][0]["point"][0]["label"].as_str(),
            Some("a \"quoted\" point")
        );
        assert_eq!((d.questions, d.points, d.skeletons, d.marked), (1, 1, 0, true));
    }

    #[test]
    fn an_official_item_rubric() {
        // The shape of an official short-answer item rubric: metadata, a prompt with its
        // context, key elements, count bands.
        let doc = "Data Set #9\nRubric range:\n0-3\nPrompt—Cell Item\nA student did this.\n\n\
                   Procedure:\nDetermine the mass of each sample.\nDescribe the results?\n\n\
                   List and describe three processes used by cells.\n\
                   Rubric for Cell Item\nKey Elements:\nOsmosis is the diffusion of water.\n\
                   Active transport uses energy.\nOther acceptable responses.\n\n\
                   Rubric:\n3 points\nThree key elements\n2 points\nTwo key elements\n\
                   1 point\nOne key element\n0 points\nOther\n";
        let d = draft(doc, "set9.txt");
        let t: toml::Value = toml::from_str(&d.toml).unwrap_or_else(|e| panic!("{e}\n{}", d.toml));
        assert_eq!(t["title"].as_str(), Some("Cell Item"));
        let q = &t["question"][0];
        // The procedure's steps are context, the instruction the prompt.
        assert_eq!(
            q["prompt"].as_str(),
            Some("List and describe three processes used by cells.")
        );
        let labels: Vec<&str> = q["point"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["label"].as_str().unwrap())
            .collect();
        assert_eq!(
            labels,
            ["Osmosis is the diffusion of water.", "Active transport uses energy."]
        );
        let bands: Vec<(i64, i64)> = q["bands"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| (b["covered"].as_integer().unwrap(), b["marks"].as_integer().unwrap()))
            .collect();
        assert_eq!(bands, [(3, 3), (2, 2), (1, 1)]);
        assert_eq!((d.questions, d.points, d.marked), (1, 2, true));
    }

    #[test]
    fn band_counts() {
        assert_eq!(band_count("Four key elements"), Some(4));
        assert_eq!(band_count("One or two key elements"), Some(1));
        assert_eq!(
            band_count("The response describes three additional pieces of information"),
            Some(3)
        );
        assert_eq!(band_count("A 2-point response demonstrates understanding"), None);
        assert_eq!(band_count("Other"), None);
        assert_eq!(band_heading("3 points"), Some(3.0));
        assert_eq!(band_heading("Score 2"), Some(2.0));
        assert_eq!(band_heading("3 pointers"), None);
        assert_eq!(range_top("0-3"), Some(3.0));
        assert_eq!(range_top("0 – 2"), Some(2.0));
        assert_eq!(range_top("1-3"), None);
    }

    #[test]
    fn short_questions_raise_their_points_marks() {
        // Two points of a 4-mark question are worth 2 each.
        let d = draft("Quiz\n1. Name two gases. (4 marks)\n- oxygen\n- nitrogen\n", "q.txt");
        let t: toml::Value = toml::from_str(&d.toml).unwrap();
        assert_eq!(t["question"][0]["point"][0]["marks"].as_integer(), Some(2));
        assert_eq!(t["question"][0]["point"][1]["marks"].as_integer(), Some(2));
        assert!(t["question"][0].get("max").is_none());
    }
}
