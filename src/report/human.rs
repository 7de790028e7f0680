//! The report for people: per guiding question, what is covered (with a quote), what is only
//! partly there, what is missing (with a hint), and the score. Written with ANSI styles; the
//! caller's stream strips them when colour is off (not a terminal, `NO_COLOR`, `--color never`).
//! Rubric text, answer text and file names go through [`super::printable`] first, so the only
//! escape codes are the report's own.

use std::fmt::Write;

use anstyle::{AnsiColor, Style};

use super::printable::{printable, printable_line};
use super::{Options, marks, safe};
use crate::matcher::{Evidence, Status, quote};
use crate::scheme::Rubric;
use crate::score::{Assessment, PointOutcome};
use crate::text::tokens::Document;

pub(crate) const BOLD: Style = Style::new().bold();
pub(crate) const DIM: Style = Style::new().dimmed();
pub(crate) const GREEN: Style = AnsiColor::Green.on_default().bold();
pub(crate) const YELLOW: Style = AnsiColor::Yellow.on_default().bold();
pub(crate) const RED: Style = AnsiColor::Red.on_default().bold();
pub(crate) const MAGENTA: Style = AnsiColor::Magenta.on_default().bold();
const MATCH: Style = Style::new().bold().underline();

/// Longest quote shown before it is cut around the matched words.
const QUOTE_CHARS: usize = 160;

/// `text` in `style` (the palette above is shared with `rubric eval` and `rubric suggest`).
pub(crate) fn paint(style: Style, text: &str) -> String {
    format!("{style}{text}{style:#}")
}

/// A point status's mark, coloured.
pub(crate) fn symbol(status: Status) -> String {
    match status {
        Status::Covered => paint(GREEN, "✓"),
        Status::Partial => paint(YELLOW, "~"),
        Status::Negated => paint(MAGENTA, "!"),
        Status::Missing => paint(RED, "✗"),
    }
}

/// Cuts `s` to a char boundary at or before `i`.
fn floor(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// The sentence around the evidence, matched words emphasised, long sentences cut.
fn quote(doc: &Document, ev: &Evidence, sentence: std::ops::Range<usize>) -> String {
    let text = doc.view();
    let (mut from, mut to) = (sentence.start, sentence.end);
    let mut pre = "";
    let mut post = "";
    // Counted no further than needed: the sentence of an answer without full stops is the answer.
    if text[from..to].chars().take(QUOTE_CHARS + 1).count() > QUOTE_CHARS {
        if ev.end - ev.start > 4 * QUOTE_CHARS {
            return long_quote(doc, ev, sentence);
        }
        let mut nf = floor(text, ev.start.saturating_sub(60).max(from));
        let mut nt = ceil(text, (ev.end + 60).min(to));
        // Cut at white space rather than inside a word, when there is some to cut at.
        if nf > from
            && let Some(i) = text.get(nf..ev.start).and_then(|s| s.find(char::is_whitespace))
        {
            nf += i;
        }
        let keep = ev.end.clamp(nf, nt);
        if nt < to
            && let Some(i) = text.get(keep..nt).and_then(|s| s.rfind(char::is_whitespace))
        {
            nt = keep + i;
        }
        if nf > from {
            pre = "…";
            from = nf;
        }
        if nt < to {
            post = "…";
            to = nt;
        }
    }
    let mut marks: Vec<(usize, usize)> = Vec::new();
    let mut out = String::new();
    // Word offsets are recomputed from the evidence words in order inside the window.
    let mut cursor = ev.start;
    for w in &ev.words {
        if let Some(rel) = text.get(cursor..to).and_then(|s| s.find(w.text.as_str())) {
            let s = cursor + rel;
            marks.push((s, s + w.text.len()));
            cursor = s + w.text.len();
        }
    }
    let mut pos = from;
    for (s, e) in marks.into_iter().filter(|(s, e)| *s >= from && *e <= to) {
        out.push_str(&printable(&text[pos..s]));
        out.push_str(&paint(MATCH, &printable(&text[s..e])));
        pos = e;
    }
    out.push_str(&printable(&text[pos..to]));
    let flat = crate::text::tokens::tidy_quote(&out);
    format!("{pre}{flat}{post}")
}

/// [`quote`] of matched words far apart in a long sentence (a group's parts `within` many words
/// of each other), or of a very long word: each word with a little of the text around it,
/// the rest cut ([`crate::matcher::quote::window`]), so that the quote stays short.
fn long_quote(doc: &Document, ev: &Evidence, sentence: std::ops::Range<usize>) -> String {
    let text = doc.view();
    let mut marks = Vec::new();
    let mut cursor = ev.start;
    for w in &ev.words {
        // A word cut for reports is found by what is shown of it.
        let shown = w
            .text
            .strip_suffix('…')
            .filter(|_| w.text.chars().count() > quote::WORD_CHARS);
        let word = shown.unwrap_or(&w.text);
        if let Some(rel) = text.get(cursor..ev.end.max(cursor)).and_then(|s| s.find(word)) {
            let s = cursor + rel;
            marks.push(s..s + word.len());
            cursor = s + word.len();
        }
    }
    let out = quote::window(text, sentence, &marks, 60, |out, w| out.push_str(&paint(MATCH, w)));
    crate::text::tokens::tidy_quote(&out)
}

/// Long group cues are cut for the terminal; `--explain` and JSON show them whole.
fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let cut: String = s.chars().take(max).collect();
    format!("{cut}…")
}

/// The evidence's quote, and (with `cue`) the cue that found it: a point not yet made keeps its
/// cues to itself.
fn evidence_lines(out: &mut String, doc: &Document, ev: &Evidence, cue: bool) {
    let sentence = doc
        .sentences
        .iter()
        .find(|r| r.start <= ev.start && ev.start < r.end)
        .cloned()
        .unwrap_or(ev.start..ev.end);
    let _ = writeln!(
        out,
        "      {} \"{}\"",
        paint(DIM, &format!("{}:{}", ev.line, ev.column)),
        quote(doc, ev, sentence)
    );
    if !cue {
        // Which word turns it round is the student's own, and worth seeing.
        if let Some(n) = &ev.negated_by {
            let _ = writeln!(
                out,
                "        {}",
                paint(DIM, &format!("negated by \"{}\"", printable_line(n)))
            );
        }
        return;
    }
    let mut how: Vec<String> = Vec::new();
    for w in &ev.words {
        match w.how {
            "fuzzy" => how.push(format!(
                "{} ~ {} ({} edit{})",
                printable_line(&w.text),
                printable_line(&w.cue_word),
                w.distance,
                if w.distance == 1 { "" } else { "s" }
            )),
            // A wildcard match is plain to see; a word form is worth showing.
            "stem" if w.text.to_lowercase() != w.cue_word => {
                how.push(format!("{} ~ {}", printable_line(&w.text), printable_line(&w.cue_word)))
            }
            _ => {}
        }
    }
    let mut line = format!("cue \"{}\"", shorten(&printable_line(&ev.cue), 70));
    if !how.is_empty() {
        let _ = write!(line, "; {}", how.join(", "));
    }
    if let Some(n) = &ev.negated_by {
        let _ = write!(line, "; negated by \"{}\"", printable_line(n));
    }
    let _ = writeln!(out, "        {}", paint(DIM, &line));
}

/// One point: a point not yet made by its number, topic and hint only ([`super::safe`]).
fn point(out: &mut String, doc: &Document, rubric: &Rubric, (number, p): (&str, &PointOutcome), opts: Options) {
    let status = p.finding.status;
    let score = if p.point.marks > 0.0 {
        format!("{}/{}", marks(p.marks), marks(p.point.marks))
    } else {
        String::new()
    };
    let hint = printable(&p.point.hint);
    let heading = safe::heading(p.point, status).map(|h| paint(BOLD, &printable(&h)));
    let note = match status {
        Status::Partial => Some(paint(YELLOW, "(partly made)")),
        Status::Negated => Some(paint(MAGENTA, "(your answer says the opposite)")),
        Status::Covered | Status::Missing => None,
    };
    let title: Vec<String> = [Some(paint(BOLD, number)), heading, note]
        .into_iter()
        .flatten()
        .collect();
    let _ = writeln!(out, "  {} {}  {}", symbol(status), title.join(" "), paint(DIM, &score));
    for ev in &p.finding.evidence {
        // A partial match's cue would show the parts still missing: its words only.
        evidence_lines(out, doc, ev, status == Status::Covered);
    }
    match status {
        Status::Covered => {}
        Status::Partial => {
            if let Some(why) = super::why_not::sentence(p) {
                let _ = writeln!(out, "      {}", printable(&why));
            }
            let _ = writeln!(out, "      To go further: {hint}");
        }
        Status::Negated => {
            let _ = writeln!(
                out,
                "      Check this sentence: it earns nothing as written. Hint: {hint}"
            );
        }
        Status::Missing => {
            let _ = writeln!(out, "      Hint: {hint}");
        }
    }
    if p.cancelled_by.is_some() {
        let _ = writeln!(
            out,
            "      Earns nothing while the answer also says what is marked ? below."
        );
    }
    if opts.reveal
        && rubric.allow_reveal
        && status != Status::Covered
        && let Some(r) = &p.point.reveal
    {
        let _ = writeln!(out, "      Model answer: {}", printable(r));
    }
    // A locked rubric's cue lists stay with the teacher, but for a point already covered.
    if opts.explain && (rubric.allow_reveal || status == Status::Covered) {
        if let Some(l) = &p.finding.lacking {
            let _ = writeln!(out, "      {}", paint(DIM, &printable(&format!("why partial: {l}"))));
        }
        trace_lines(out, &p.finding.trace);
    }
}

/// `--explain`'s lines for each cue tried, with its near misses.
fn trace_lines(out: &mut String, trace: &[crate::matcher::CueTrace]) {
    for t in trace {
        let role = if t.role == "partial" { "partial cue" } else { "cue" };
        let _ = writeln!(
            out,
            "      {}",
            paint(
                DIM,
                &printable(&format!("{role} \"{}\": {} - {}", t.cue, t.result, t.detail))
            )
        );
        for n in &t.near_misses {
            let _ = writeln!(
                out,
                "        {}",
                paint(
                    DIM,
                    &printable(&format!(
                        "nearest to \"{}\": \"{}\" at {}:{}, not counted: {}",
                        n.cue_word, n.found, n.line, n.column, n.why
                    ))
                )
            );
        }
    }
}

/// A misconception found: its label, what it does to the marks, the words that make it, and
/// its hint (a misconception not found is never shown).
fn misconception(out: &mut String, doc: &Document, rubric: &Rubric, m: &PointOutcome, opts: Options) {
    let effect = super::ci::effect(m.point);
    let _ = writeln!(
        out,
        "  {} {} {}  {}",
        paint(MAGENTA, "?"),
        paint(MAGENTA, "To check:"),
        paint(BOLD, &printable(&m.point.label)),
        paint(
            DIM,
            &format!(
                "[{}]{}",
                printable_line(&m.point.id),
                effect.map(|e| format!(" {e}")).unwrap_or_default()
            )
        )
    );
    for ev in &m.finding.evidence {
        evidence_lines(out, doc, ev, true);
    }
    let _ = writeln!(out, "      Hint: {}", printable(&m.point.hint));
    if opts.explain && rubric.allow_reveal {
        trace_lines(out, &m.finding.trace);
    }
}

/// `--format human`: each answer's report, a blank line between two.
#[derive(Debug)]
pub struct Human {
    opts: Options,
    first: bool,
}

impl Human {
    pub fn new(opts: Options) -> Human {
        Human { opts, first: true }
    }
}

impl super::Reporter for Human {
    fn answer(&mut self, c: &super::ci::Checked) -> String {
        let mut report = render(c.file, c.rubric, c.doc, c.assessment, self.opts);
        if let Some(p) = c.progress {
            report.push_str(&progress(p));
        }
        if std::mem::take(&mut self.first) {
            report
        } else {
            format!("\n{report}")
        }
    }
}

/// Renders the report of one answer.
pub fn render(file: &str, rubric: &Rubric, doc: &Document, a: &Assessment, opts: Options) -> String {
    let mut out = String::new();
    let [covered, partial, negated, missing] = a.counts();
    let _ = writeln!(out, "{}", paint(BOLD, &printable_line(file)));
    let _ = writeln!(out, "{}", printable(&rubric.title));
    let pct = (a.fraction() * 100.0).round();
    let found = a.found_misconceptions().count();
    let _ = writeln!(
        out,
        "Score {} / {} ({pct}%): {covered} covered, {partial} partial, {negated} negated, {missing} missing{}",
        paint(BOLD, &marks(a.score)),
        marks(a.max),
        if found > 0 {
            format!(", {found} to check")
        } else {
            String::new()
        }
    );
    if (opts.reveal || opts.explain) && !rubric.allow_reveal {
        let _ = writeln!(out, "{}", paint(DIM, safe::LOCKED_NOTE));
    }
    for (i, q) in a.questions.iter().enumerate() {
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "{} {}  {}",
            paint(BOLD, &format!("{}.", i + 1)),
            paint(BOLD, &printable(&q.question.prompt)),
            paint(DIM, &format!("{}/{}", marks(q.score), marks(q.question.max)))
        );
        for (j, p) in q.points.iter().enumerate() {
            point(&mut out, doc, rubric, (&safe::number(i, j), p), opts);
        }
        for m in q.misconceptions.iter().filter(|m| m.found()) {
            misconception(&mut out, doc, rubric, m, opts);
        }
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "{}", closing(a));
    out
}

/// `--since`: the progress since the earlier report, after the closing line (where a
/// terminal leaves the eye).
fn progress(p: &super::progress::Progress) -> String {
    let mut lines = p.sentence.lines();
    let mut out = String::new();
    if let Some(first) = lines.next() {
        let _ = writeln!(out, "{} {}", paint(BOLD, "Since last time:"), printable(first));
    }
    for l in lines {
        let _ = writeln!(out, "  {}", printable(l));
    }
    out
}

/// The closing line, after the points: how far the answer is, in words (also the last line of
/// a feedback file).
pub fn closing(a: &Assessment) -> &'static str {
    let [covered, partial, negated, missing] = a.counts();
    let check = a.found_misconceptions().next().is_some();
    if missing + negated + partial == 0 && check {
        "Every key point is there; check what is marked ? above."
    } else if missing + negated + partial == 0 {
        "Every key point is there. Well done."
    } else if covered == 0 && partial == 0 {
        "None of the key points is there yet: start with the hints above."
    } else if covered * 2 >= covered + partial + negated + missing {
        "A good base: the hints above show what would make it complete."
    } else {
        "A start: work through the hints above, one question at a time."
    }
}
