//! Quotes of evidence, bounded: the sentence holding the matched words as written, unless it
//! is long; then a window around the words, cut at word boundaries with an ellipsis where cut.
//! An answer without full stops is one "sentence", and quoting it whole made a report as large
//! as the answer for every point found in it.

use std::ops::Range;

/// A sentence of up to this many characters is quoted whole (a short answer without full
/// stops too, as ever); a longer one is cut around the matched words.
pub const WHOLE_CHARS: usize = 2000;
/// Characters of context kept on each side of the matched words (and after a word, and before
/// the next, where they lie far apart) in a sentence too long to quote whole.
pub const CONTEXT_CHARS: usize = 240;
/// Characters of a matched "word" shown (a line without spaces is one word).
pub const WORD_CHARS: usize = 64;

/// `word` as shown in a report: cut after [`WORD_CHARS`] characters, with an ellipsis.
pub fn word(word: &str) -> String {
    match word.char_indices().nth(WORD_CHARS) {
        Some((cut, _)) => format!("{}…", &word[..cut]),
        None => word.to_string(),
    }
}

/// The start of the last `n` characters of `text[from..to]` (`from` when it has fewer).
fn back(text: &str, from: usize, to: usize, n: usize) -> usize {
    match text[from..to].char_indices().rev().nth(n.saturating_sub(1)) {
        Some((i, _)) if n > 0 => from + i,
        Some(_) => to,
        None => from,
    }
}

/// The end of the first `n` characters of `text[from..to]` (`to` when it has fewer).
fn forward(text: &str, from: usize, to: usize, n: usize) -> usize {
    text[from..to].char_indices().nth(n).map_or(to, |(i, _)| from + i)
}

/// A cut at `at` moved forward to the start of the next word before `limit`, when it falls
/// inside a word and there is one.
fn word_start(text: &str, at: usize, limit: usize) -> usize {
    let piece = &text[at..limit];
    let inside = !text[..at].ends_with(char::is_whitespace) && !piece.starts_with(char::is_whitespace);
    match piece.find(char::is_whitespace) {
        Some(i) if inside => limit - piece[i..].trim_start().len(),
        _ => limit - piece.trim_start().len(),
    }
}

/// A cut at `at` moved back to the end of the word before it, after `limit`, when it falls
/// inside a word and there is one.
fn word_end(text: &str, limit: usize, at: usize) -> usize {
    let piece = &text[limit..at];
    let inside = !text[at..].starts_with(char::is_whitespace) && !piece.ends_with(char::is_whitespace);
    match piece.rfind(char::is_whitespace) {
        Some(i) if inside => limit + piece[..i].trim_end().len(),
        _ => limit + piece.trim_end().len(),
    }
}

/// The quote of the matched words `marks` (byte ranges of `text`, in order) in `sentence` (a
/// byte range of `text`), not tidied: the whole sentence when it has at most [`WHOLE_CHARS`]
/// characters, else [`window`] with [`CONTEXT_CHARS`] of context.
pub fn evidence(text: &str, sentence: Range<usize>, marks: &[Range<usize>]) -> String {
    if text[sentence.clone()].chars().take(WHOLE_CHARS + 1).count() <= WHOLE_CHARS {
        return text[sentence].to_string();
    }
    window(text, sentence, marks, CONTEXT_CHARS, |out, w| out.push_str(w))
}

/// The text of `sentence` (a byte range of `text`) around `marks` (byte ranges of the matched
/// words inside it, in order), not tidied: the whole sentence when each stretch of it before,
/// between and after the marks is short, else `context` characters of each stretch next to a
/// mark (two stretches of `context` where a stretch between marks is cut in two), the cuts
/// moved to word boundaries and shown by "…". `mark` writes a matched word (which is cut after
/// [`WORD_CHARS`] characters). The work is bounded by the quote, not the sentence.
pub fn window(
    text: &str,
    sentence: Range<usize>,
    marks: &[Range<usize>],
    context: usize,
    mut mark: impl FnMut(&mut String, &str),
) -> String {
    let Range { start, end } = sentence;
    let marks: Vec<Range<usize>> = marks
        .iter()
        .filter(|m| start <= m.start && m.start <= m.end && m.end <= end)
        .cloned()
        .collect();
    let mut out = String::new();
    let Some(first) = marks.first() else {
        // Nothing to quote around: the start of the sentence.
        push_start(&mut out, text, start..end, 2 * context);
        return out;
    };
    let mut pos = back(text, start, first.start, context);
    if pos > start {
        pos = word_start(text, pos, first.start);
        out.push('…');
    }
    for (k, m) in marks.iter().enumerate() {
        if k > 0 && forward(text, pos, m.start, 2 * context) < m.start {
            // Far from the last word: the ends of the stretch between.
            let head = word_end(text, pos, forward(text, pos, m.start, context));
            out.push_str(&text[pos..head]);
            out.push_str(" … ");
            pos = word_start(text, back(text, pos, m.start, context), m.start);
        }
        out.push_str(&text[pos..m.start]);
        let cut = forward(text, m.start, m.end, WORD_CHARS);
        if cut < m.end {
            mark(&mut out, &text[m.start..cut]);
            out.push('…');
        } else {
            mark(&mut out, &text[m.start..m.end]);
        }
        pos = m.end;
    }
    push_start(&mut out, text, pos..end, context);
    out
}

/// Writes the first `n` characters of `text[range]`, cut back to the end of a word and followed
/// by "…" where there are more.
fn push_start(out: &mut String, text: &str, range: Range<usize>, n: usize) {
    let Range { start, end } = range;
    let cut = forward(text, start, end, n);
    if cut < end {
        out.push_str(&text[start..word_end(text, start, cut)]);
        out.push('…');
    } else {
        out.push_str(&text[start..end]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokens::tidy_quote;

    fn quote(text: &str, words: &[&str]) -> String {
        let mut marks = Vec::new();
        let mut from = 0;
        for w in words {
            let at = from + text[from..].find(w).expect("word in text");
            marks.push(at..at + w.len());
            from = at + w.len();
        }
        tidy_quote(&window(text, 0..text.len(), &marks, 10, |out, w| {
            out.push('[');
            out.push_str(w);
            out.push(']');
        }))
    }

    #[test]
    fn short_sentences_are_quoted_whole() {
        assert_eq!(quote("He used patronage.", &["patronage"]), "He used [patronage].");
        assert_eq!(
            quote("one two patronage three", &["patronage"]),
            "one two [patronage] three"
        );
    }

    #[test]
    fn long_sentences_are_cut_at_words() {
        let text = "alpha beta gamma delta epsilon zeta patronage eta theta iota kappa lambda mu nu";
        assert_eq!(quote(text, &["patronage"]), "…zeta [patronage] eta theta…");
    }

    #[test]
    fn words_far_apart_keep_their_surroundings() {
        let text = format!("start patronage {} allies end", "filler ".repeat(50));
        assert_eq!(
            quote(&text, &["patronage", "allies"]),
            "start [patronage] filler … filler [allies] end"
        );
    }

    #[test]
    fn a_line_without_spaces_is_cut_inside_it() {
        let text = "x".repeat(1000);
        let q = quote(&text, &[]);
        assert_eq!(q, format!("{}…", "x".repeat(20)));
        let text = format!("{}patronage{}", "é".repeat(1000), "ü".repeat(1000));
        let q = quote(&text, &["patronage"]);
        assert_eq!(q, format!("…{}[patronage]{}…", "é".repeat(10), "ü".repeat(10)));
        let long = "patronage".repeat(100);
        let q = quote(&format!("a {long} b"), &[&long]);
        assert_eq!(q, format!("a [{}]… b", &long[..WORD_CHARS]));
    }

    #[test]
    fn sentences_of_a_paragraph_are_quoted_whole() {
        let text = format!("{} patronage {}", "word ".repeat(150), "word ".repeat(150));
        let at = text.find("patronage").expect("word");
        let marks = [std::ops::Range { start: at, end: at + 9 }];
        assert_eq!(evidence(&text, 0..text.len(), &marks), text);
        let text = format!("{} patronage {}", "word ".repeat(500), "word ".repeat(500));
        let at = text.find("patronage").expect("word");
        let marks = [std::ops::Range { start: at, end: at + 9 }];
        let q = tidy_quote(&evidence(&text, 0..text.len(), &marks));
        assert!(q.starts_with("…word") && q.ends_with("word…"), "{q}");
        // The context, less the spaces collapsed and the word cut at each end.
        let n = q.chars().count();
        assert!((2 * CONTEXT_CHARS - 12..=2 * CONTEXT_CHARS + 11).contains(&n), "{n}");
    }

    #[test]
    fn long_words_are_cut_for_reports() {
        assert_eq!(word("patronage"), "patronage");
        let long = "é".repeat(100);
        assert_eq!(word(&long), format!("{}…", "é".repeat(WORD_CHARS)));
    }
}
