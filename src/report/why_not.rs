//! A student's "why not?": for a partly made point, one plain sentence of what the answer
//! already says and what is still to say, without the rubric's cue syntax.
//!
//! The part found is quoted from the student's own words (the words the matcher found, as
//! written, with what lies between them when they stand close together in one sentence). The
//! part still missing is never quoted from the rubric's cues, ids or model answer: it is the
//! point's `still` when the rubric writes one ("what Stalin did at it"), else its neutral
//! `topic`, else a plain "all of this point" (the hint, printed below the sentence, says
//! where to look). So the sentence is as safe as the hint and the topic are, with or without
//! `allow_reveal`.
//!
//! `--explain` (the authors' tool) says which cue parts were found and which were not; this
//! sentence is what a student reads.

use super::printable::one_line;
use crate::matcher::{Evidence, Status};
use crate::score::PointOutcome;

/// Longest stretch of the student's sentence quoted whole; a longer one is quoted as its
/// found words, joined with "…".
const MAX_QUOTED_CHARS: usize = 60;

/// The "why not?" sentence of a partly made point; `None` for any other status or when the
/// match left no words to quote.
pub fn sentence(p: &PointOutcome) -> Option<String> {
    if p.finding.status != Status::Partial {
        return None;
    }
    let mut found: Vec<String> = Vec::new();
    for ev in &p.finding.evidence {
        let quoted = quoted(ev);
        if !quoted.is_empty() && !found.contains(&quoted) {
            found.push(quoted);
        }
    }
    if found.is_empty() {
        return None;
    }
    found.truncate(2);
    let mention = found.iter().map(|f| format!("“{f}”")).collect::<Vec<_>>().join(" and ");
    let rest = match (&p.point.still, &p.point.topic) {
        (Some(still), _) => one_line(still).trim().trim_end_matches('.').to_string(),
        (None, Some(topic)) => format!("everything about {}", one_line(topic).trim().trim_end_matches('.')),
        (None, None) => "all of this point".to_string(),
    };
    Some(format!("You mention {mention}, but not yet {rest}."))
}

/// The student's words of one match: the stretch of their sentence from the first found word
/// to the last when short, else the found words joined with "…".
fn quoted(ev: &Evidence) -> String {
    let mut words: Vec<&str> = ev.words.iter().map(|w| w.text.as_str()).collect();
    words.dedup();
    let q = ev.quote.as_str();
    let mut at = 0;
    let mut span: Option<(usize, usize)> = None;
    for w in &words {
        let Some(i) = q.get(at..).and_then(|rest| rest.find(w)) else {
            span = None;
            break;
        };
        let start = at + i;
        at = start + w.len();
        span = Some((span.map_or(start, |s| s.0), at));
    }
    // A plural possessive's apostrophe belongs to its word ("Workers' and Peasants'").
    let span = span.map(|(s, e)| {
        let after = q[e..].chars().next();
        let next = q[e..].chars().nth(1);
        match after {
            Some(c @ ('\'' | '’')) if !next.is_some_and(char::is_alphanumeric) => (s, e + c.len_utf8()),
            _ => (s, e),
        }
    });
    let whole = span
        .map(|(s, e)| &q[s..e])
        .filter(|s| s.chars().count() <= MAX_QUOTED_CHARS);
    one_line(&whole.map_or_else(|| words.join(" … "), str::to_string))
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use crate::matcher::Detail;
    use crate::score::assess_with;
    use crate::testing::one_point;
    use crate::text::read::Format;
    use crate::text::tokens::Document;

    use super::sentence;

    fn why(extra: &str, answer: &str) -> Option<String> {
        let rubric = one_point("title = \"T\"", "What happened?", extra);
        let doc = Document::new(answer.to_string(), Format::Text, &rubric.language);
        let a = assess_with(&rubric, &doc, Detail::Evidence);
        sentence(&a.questions[0].points[0])
    }

    #[test]
    fn a_partial_point_quotes_the_students_words_and_says_what_is_still_to_say() {
        let cues = "cues = [{ all = [\"funeral\", \"misled|tricked\"] }]\nstill = \"what Stalin did at it.\"";
        let s = why(cues, "Stalin went to Lenin's funeral with everyone.").unwrap();
        assert_eq!(s, "You mention “funeral”, but not yet what Stalin did at it.");
    }

    #[test]
    fn close_found_words_are_quoted_with_what_lies_between_them() {
        let cues = "partial = [\"lenin funeral\"]\ncues = [\"misled\"]\ntopic = \"an event of 1924\"";
        let s = why(cues, "There was Lenin's big funeral in 1924.").unwrap();
        assert_eq!(
            s,
            "You mention “Lenin's big funeral”, but not yet everything about an event of 1924."
        );
    }

    #[test]
    fn a_plural_possessive_keeps_its_apostrophe() {
        let cues = "partial = [\"workers peasants\"]\ncues = [\"misled\"]";
        let s = why(cues, "He led the Workers' and Peasants' Inspectorate.").unwrap();
        assert!(s.starts_with("You mention “Workers' and Peasants'”"), "{s}");
        let s = why(cues, "The workers and peasants' friend.").unwrap();
        assert!(s.starts_with("You mention “workers and peasants'”"), "{s}");
    }

    #[test]
    fn no_sentence_for_a_point_covered_or_missing() {
        let cues = "cues = [{ all = [\"funeral\", \"misled\"] }]";
        assert_eq!(why(cues, "He misled Trotsky about the funeral."), None);
        assert_eq!(why(cues, "Nothing here."), None);
    }

    #[test]
    fn the_sentence_never_shows_cue_syntax() {
        let cues = "cues = [{ all = [\"funeral\", \"misled|tricked*\"] }]";
        let s = why(cues, "The funeral was held.").unwrap();
        assert_eq!(s, "You mention “funeral”, but not yet all of this point.");
        assert!(!s.contains('|') && !s.contains('*') && !s.contains("misled"));
    }
}
