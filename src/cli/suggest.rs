//! `rubric suggest`: cues the rubric seems to be missing, from human-marked answers.

use std::fmt::Write as _;

use super::eval::{Settings, load, write_report};
use crate::app::{ERROR, Failure, SUCCESS};
use crate::eval::fmt_num;
use crate::eval::suggest::{self, SuggestOptions, SuggestReport};
use anstyle::Style;

use crate::report::human::{BOLD, DIM, paint};
use crate::report::printable::{printable, printable_line};

pub(super) fn run(settings: Settings<SuggestOptions>) -> Result<i32, Failure> {
    let (rubric, marks) = load(&settings)?;
    if let Some(levels) = settings.options.levels {
        suggest::check_levels(&marks, levels)?;
    }
    let Some(report) = suggest::suggest(&rubric, &marks, settings.options) else {
        return Err(Failure::new(format!("{}: no usable answer", marks.path)));
    };
    write_report(settings.format, &report, render)?;
    Ok(if marks.problems.is_empty() { SUCCESS } else { ERROR })
}

fn share(count: u32, of: f64) -> String {
    format!("{count} ({:.0}%)", of * 100.0)
}

/// Adds `text` in `style` as a line.
fn line(s: &mut String, style: Style, text: &str) {
    let _ = writeln!(s, "{}", paint(style, text));
}

/// Adds a table: its heading after a blank line, then its rows (`write`), or `none`.
fn table<T>(s: &mut String, heading: &str, rows: &[T], write: impl FnOnce(&mut String, &[T])) {
    s.push('\n');
    line(s, BOLD, heading);
    if rows.is_empty() {
        let _ = writeln!(s, "  none");
    } else {
        write(s, rows);
    }
}

/// Answers listed per synonym, at most.
const ANSWERS_SHOWN: usize = 8;

/// The synonyms section: per point, each synonym with the answers it might change; one line
/// when WordNet is not installed.
fn synonyms(s: &mut String, r: &SuggestReport) {
    if r.wordnet.is_none() {
        let _ = writeln!(s, "\nsynonyms: WordNet not found (apt-get install wordnet-base)");
        return;
    }
    table(
        s,
        "Synonyms (WordNet) of cue words, in high answers, that no cue matches (add as `word|synonym`)",
        &r.synonyms,
        |s, list| {
            let cw = list.iter().map(|x| x.cue.chars().count()).max().unwrap_or(3).max(3);
            line(
                s,
                DIM,
                &format!(
                    "  {:<10}  {:<cw$}  {:>5}  {:>5}  {:>12}  answers not covered (id human/tool)",
                    "point", "cue", "high", "low", "would change"
                ),
            );
            for x in list {
                let mut shown: Vec<String> = x
                    .answers
                    .iter()
                    .take(ANSWERS_SHOWN)
                    .map(|a| format!("{} {}/{}", a.id, a.human, a.tool))
                    .collect();
                if x.answers.len() > ANSWERS_SHOWN {
                    shown.push(format!("and {} more", x.answers.len() - ANSWERS_SHOWN));
                }
                let _ = writeln!(
                    s,
                    "  {:<10}  {:<cw$}  {:>5}  {:>5}  {:>12}  {}",
                    printable_line(&x.point),
                    printable_line(&x.cue),
                    x.high,
                    x.low,
                    x.would_change,
                    printable_line(&shown.join(", "))
                );
            }
            line(
                s,
                DIM,
                "  answers not covered: containing the synonym, the point missing or partial (adding it may not complete the point)",
            );
        },
    );
}

/// The ranked tables for people.
fn render(r: &SuggestReport) -> String {
    let mut s = String::new();
    let rubric = r.rubric.path.clone().unwrap_or_else(|| r.rubric.title.clone());
    line(
        &mut s,
        BOLD,
        &printable_line(&format!("Suggestions for {rubric} from {}", r.marks.path)),
    );
    let sp = &r.split;
    let _ = match (sp.levels, sp.middle) {
        (Some([h, l]), _) => writeln!(
            s,
            "{} answers: levels {h}:{l} contrasted, {} high (human score {h}), {} low (human score {l}), {} at other scores",
            r.marks.rows, sp.high, sp.low, sp.neither
        ),
        (None, middle) => {
            let mid = fmt_num(middle.unwrap_or_default());
            writeln!(
                s,
                "{} answers: {} high (human score above {mid}), {} low (below {mid}), {} at {mid}",
                r.marks.rows, sp.high, sp.low, sp.neither
            )
        }
    };
    line(
        &mut s,
        DIM,
        "Suggestions only: nothing is written to the rubric. \"would change\": answers containing it that the tool scores below the human (a rough upper bound).",
    );

    let heading = format!(
        "Words and phrases commoner in high answers that no cue matches (in {}+ high answers; ranked by log-odds - 1 s.e.)",
        r.min_count
    );
    table(&mut s, &heading, &r.words, |s, words| {
        let tw = words.iter().map(|w| w.text.chars().count()).max().unwrap_or(4).max(4);
        line(
            s,
            DIM,
            &format!(
                "  {:>3}  {:<tw$}  {:>10}  {:>10}  {:>8}  {:>6}  {:>6}  {:>12}",
                "#", "text", "high", "low", "log-odds", "z", "score", "would change"
            ),
        );
        for (i, w) in words.iter().enumerate() {
            let _ = writeln!(
                s,
                "  {:>3}  {:<tw$}  {:>10}  {:>10}  {:>8.2}  {:>6.2}  {:>6.2}  {:>12}{}",
                i + 1,
                printable_line(&w.text),
                share(w.high, w.high_share),
                share(w.low, w.low_share),
                w.log_odds,
                w.z,
                w.score,
                w.would_change,
                if w.has_cue_words {
                    paint(DIM, "  (has cue words)")
                } else {
                    String::new()
                }
            );
        }
    });

    let heading = format!(
        "Spellings of cue words the matcher misses (in {}+ answers; add as `word|variant`)",
        r.min_count
    );
    table(&mut s, &heading, &r.spellings, |s, spellings| {
        let cw = spellings
            .iter()
            .map(|x| x.cue.chars().count())
            .max()
            .unwrap_or(3)
            .max(3);
        line(
            s,
            DIM,
            &format!(
                "  {:>3}  {:<cw$}  {:>5}  {:>7}  {:>5}  {:>5}  {:>12}  points",
                "#", "cue", "edits", "answers", "high", "low", "would change"
            ),
        );
        for (i, x) in spellings.iter().enumerate() {
            let _ = writeln!(
                s,
                "  {:>3}  {:<cw$}  {:>5}  {:>7}  {:>5}  {:>5}  {:>12}  {}",
                i + 1,
                printable_line(&x.cue),
                format!("{}/{}", x.distance, x.allowed),
                x.answers,
                x.high,
                x.low,
                x.would_change,
                printable_line(&x.points.join(", "))
            );
        }
        line(s, DIM, "  edits: edits from the cue word / edits it allows");
    });
    synonyms(&mut s, r);
    for n in &r.notes {
        let _ = writeln!(s, "\nnote: {}", printable(n));
    }
    s
}
