//! What each cue expands to (`rubric lint --expand`): the plain word sequences the matcher looks
//! for, one line per phrase, so that an author sees what the cue language made of a cue. `|`
//! binds single words, so `"couldn't|could not read"` is `could not not read | could not read`
//! (contractions are read as their words), not the two phrases its author meant; optional
//! words, `(a | b)` groups and `@synonym` sets multiply the variants. Prefix words are shown as `pre*`. The parts of `all`/`any` groups are
//! shown one line each, as are a point's `partial` cues.

use crate::lexicon::TermKind;
use crate::scheme::{Cue, CueNode, Phrase, Rubric};

/// How many variants of a phrase a line shows; the rest are counted ("... and 40 more").
pub const EXPAND_SHOWN: usize = 12;

/// One phrase of a cue with its variants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expansion {
    /// Line of the phrase in the rubric.
    pub line: usize,
    /// The point the cue belongs to.
    pub point: String,
    /// `"cue"`, `"partial"` (a cue of the point's `partial` list), and for a part of a group
    /// the path to it: `"cue / all 2"`, `"cue / all 2 / any 1"`, `"partial / all 1"`.
    pub role: String,
    /// The phrase as the rubric writes it.
    pub source: String,
    /// Every variant, as words (a prefix word as `pre*`).
    pub variants: Vec<String>,
}

impl Expansion {
    /// The variants joined by ` | `, at most `shown` of them, then "... and N more".
    pub fn summary(&self, shown: usize) -> String {
        let mut text = self
            .variants
            .iter()
            .take(shown)
            .cloned()
            .collect::<Vec<_>>()
            .join(" | ");
        if self.variants.len() > shown {
            text.push_str(&format!(" ... and {} more", self.variants.len() - shown));
        }
        text
    }
}

/// The expansions of every phrase of every cue of `rubric` (points and misconceptions), in
/// rubric order.
pub fn expansions(rubric: &Rubric) -> Vec<Expansion> {
    let mut out = Vec::new();
    for q in &rubric.questions {
        for p in q.points.iter().chain(&q.misconceptions) {
            let lists = [("cue", &p.cues), ("partial", &p.partial_cues)];
            for (role, cues) in lists {
                for c in cues {
                    walk(rubric, &p.id, role, c, &mut out);
                }
            }
        }
    }
    out.sort_by_key(|e| e.line);
    out
}

fn walk(rubric: &Rubric, point: &str, role: &str, cue: &Cue, out: &mut Vec<Expansion>) {
    let (group, parts) = match &cue.node {
        CueNode::Phrase(ph) => {
            out.push(Expansion {
                line: cue.line,
                point: point.to_string(),
                role: role.to_string(),
                source: cue.source.clone(),
                variants: variants(rubric, ph),
            });
            return;
        }
        CueNode::All { parts, .. } => ("all", parts),
        CueNode::Any { parts, .. } => ("any", parts),
    };
    for (i, part) in parts.iter().enumerate() {
        walk(rubric, point, &format!("{role} / {group} {}", i + 1), part, out);
    }
}

fn variants(rubric: &Rubric, ph: &Phrase) -> Vec<String> {
    let word = |t: &u32| {
        let term = &rubric.lexicon.terms[*t as usize];
        match term.kind {
            TermKind::Prefix => format!("{}*", term.word),
            _ => term.word.clone(),
        }
    };
    ph.variants
        .iter()
        .map(|v| v.iter().map(word).collect::<Vec<_>>().join(" "))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rubric(cues: &str) -> Rubric {
        let source = format!(
            "title = \"T\"\n[synonyms]\nsoldiers = [\"soldier\", \"army|armies\"]\n[[question]]\nid = \"q\"\nprompt = \"P\"\n[[question.point]]\nid = \"a\"\nlabel = \"A\"\nhint = \"H\"\n{cues}\n"
        );
        Rubric::from_str(&source, "t.toml").unwrap()
    }

    fn shown(e: &[Expansion]) -> Vec<(&str, &str, Vec<&str>)> {
        e.iter()
            .map(|e| {
                (
                    e.role.as_str(),
                    e.source.as_str(),
                    e.variants.iter().map(String::as_str).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn alternatives_bind_single_words_and_options_and_sets_multiply() {
        let r = rubric("cues = [\"couldn't|could not read\", \"[the] private @soldiers\", \"legion*\"]");
        let e = expansions(&r);
        assert_eq!(
            shown(&e),
            [
                // Contractions are read as their words: `couldn't` is `could not`.
                (
                    "cue",
                    "couldn't|could not read",
                    vec!["could not not read", "could not read"]
                ),
                (
                    "cue",
                    "[the] private @soldiers",
                    vec![
                        "the private soldier",
                        "the private army",
                        "the private armies",
                        "private soldier",
                        "private army",
                        "private armies",
                    ]
                ),
                ("cue", "legion*", vec!["legion*"]),
            ]
        );
        assert!(e.iter().all(|e| e.point == "a" && e.line == 11), "{e:?}");
    }

    #[test]
    fn group_parts_and_partial_cues_are_one_line_each() {
        let r = rubric(
            "cues = [{ all = [\"gracchi\", { any = [\"land\", \"reform|reforms\"] }] }]\npartial = [\"tiberius\"]",
        );
        let e = expansions(&r);
        let roles: Vec<&str> = e.iter().map(|e| e.role.as_str()).collect();
        assert_eq!(
            roles,
            ["cue / all 1", "cue / all 2 / any 1", "cue / all 2 / any 2", "partial"],
            "{e:?}"
        );
        assert_eq!(e[2].variants, ["reform", "reforms"]);
        assert_eq!(e[3].line, 12);
    }

    #[test]
    fn large_expansions_are_capped() {
        let e = Expansion {
            line: 1,
            point: "a".into(),
            role: "cue".into(),
            source: "x".into(),
            variants: (0..15).map(|i| format!("w{i}")).collect(),
        };
        assert_eq!(e.summary(2), "w0 | w1 ... and 13 more");
        assert_eq!(e.summary(15), e.variants.join(" | "));
    }
}
