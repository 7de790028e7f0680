//! The rubric file as written by a teacher: the serde model of the TOML format.
//!
//! Every table denies unknown keys so that a typo (`hnit = ...`) is an error with a position,
//! not a silently ignored setting. Spans are kept on the values that later checks (duplicate
//! ids, cue syntax, synonym references) need to point at. The format is documented in
//! `docs/rubric-format.md`.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, MapAccess, Visitor};
use toml::Spanned;

use super::error::one_of;

/// The whole rubric file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RubricFile {
    /// The assignment's main question.
    pub title: String,
    /// Language of the answers (word forms, negation words). Default `english`.
    pub language: Option<Spanned<String>>,
    /// Cap on the total score; default the sum of the questions' maxima.
    pub max: Option<Spanned<f64>>,
    /// Filler words allowed between the words of a phrase cue (default 2).
    pub gap: Option<u32>,
    /// Where the parts of an `all` group must fall together (default one sentence).
    pub scope: Option<Scope>,
    /// Fraction of a point's marks earned when it is only partly made (default 0.5).
    pub partial_credit: Option<Spanned<f64>>,
    /// Whether `--reveal` may show the model statements (default true).
    pub allow_reveal: Option<bool>,
    /// How the total score is rounded to a whole mark (default `"none"`: kept as computed).
    pub rounding: Option<super::rounding::Rounding>,
    /// Count-based scoring over all points of the rubric ("4 covered = 3 marks").
    #[serde(default)]
    pub bands: Vec<Spanned<Band>>,
    /// Who the answers are about, and who else they name: a point made about another is not
    /// made ([`PeopleFile`]).
    pub people: Option<PeopleFile>,
    /// The reading passage the students answer from: a file, relative to the rubric's folder.
    /// Wording copied from it earns only the points that say `quote = true`.
    pub source: Option<Spanned<String>>,
    /// The reading passage written into the rubric (with or besides `source`).
    pub source_text: Option<Spanned<String>>,
    /// Named sets of interchangeable words or phrases, used in cues as `@name`.
    #[serde(default)]
    pub synonyms: BTreeMap<Spanned<String>, Vec<Spanned<String>>>,
    /// The guiding questions, in order.
    #[serde(default, rename = "question")]
    pub questions: Vec<QuestionFile>,
    /// Answers with the coverage they must produce: the rubric's own tests.
    #[serde(default, rename = "example")]
    pub examples: Vec<ExampleFile>,
}

/// The `[people]` table: the rubric's subject (the person the answers are about) and the other
/// actors. Each entry is one person, written as one word or as alternatives of one word
/// (`"Bukharin|Bukarin"`): a surname, as answers use it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeopleFile {
    pub subject: Spanned<String>,
    #[serde(default)]
    pub others: Vec<Spanned<String>>,
}

/// One guiding question.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionFile {
    pub id: Spanned<String>,
    pub prompt: String,
    /// Cap on the question's marks; default the sum of its points' marks (or the top band).
    pub max: Option<Spanned<f64>>,
    #[serde(default)]
    pub bands: Vec<Spanned<Band>>,
    #[serde(default, rename = "point")]
    pub points: Vec<PointFile>,
}

/// One key point of a question.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PointFile {
    pub id: Spanned<String>,
    pub label: String,
    pub marks: Option<Spanned<f64>>,
    /// Cues that show the point is made.
    #[serde(default)]
    pub cues: Vec<Spanned<CueSpec>>,
    /// Cues that show the point is only partly made (a name without its significance).
    #[serde(default)]
    pub partial: Vec<Spanned<CueSpec>>,
    /// Shown when the point is missing: guides without giving the answer away. A string, or a
    /// list of steps from gentle to specific ([`Hint`]).
    pub hint: Spanned<Hint>,
    /// What a partly made point still needs, in a student's words without the answer ("what
    /// Stalin did at it"): ends the "why not?" sentence under a partial point.
    pub still: Option<String>,
    /// The model statement, shown only with `--reveal`.
    pub reveal: Option<String>,
    /// A neutral name of what the point is about ("the government body"), shown to a student
    /// instead of the label while the point is not yet made (the label would give it away).
    pub topic: Option<String>,
    /// Marks for a partial match; default `marks * partial_credit`.
    pub partial_marks: Option<Spanned<f64>>,
    /// `false`: none of the point's cues is ever taken as negated.
    pub negation: Option<bool>,
    /// Whom the point is about, when the rubric has `[people]`: `"subject"` (the default: a
    /// match about another actor does not count) or `"anyone"`.
    pub about: Option<About>,
    /// `true`: the point may be earned by wording copied from the source passage ("finds the
    /// sentence that shows..."). Default `false`.
    pub quote: Option<bool>,
    /// `true`: the point is a misconception, a wrong claim to look for. Found, it earns nothing
    /// and is reported as something to check (with its own `hint`); it may cancel points of
    /// its question (`cancels`), cap the question (`cap`) or take marks off (a negative
    /// `marks`). Not found, it is never shown to the student.
    pub misconception: Option<bool>,
    /// A misconception's effect: the ids of points of its question that earn nothing when it
    /// is found.
    #[serde(default)]
    pub cancels: Vec<Spanned<String>>,
    /// A misconception's effect: the most its question can score when it is found.
    pub cap: Option<Spanned<f64>>,
}

/// A point's `hint`: one string (one step) or a list of steps from gentle to specific. A list
/// must hold strings only (checked here, with the position of the `hint`); an empty list or an
/// empty step is reported by the compiler.
#[derive(Debug, Clone, PartialEq)]
pub struct Hint(pub Vec<String>);

impl<'de> Deserialize<'de> for Hint {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(HintVisitor)
    }
}

struct HintVisitor;

impl<'de> Visitor<'de> for HintVisitor {
    type Value = Hint;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a hint: a string, or a list of strings from gentle to specific")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Hint, E> {
        Ok(Hint(vec![v.to_string()]))
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Hint, A::Error> {
        let mut steps = Vec::new();
        while let Some(step) = seq.next_element::<toml::Value>()? {
            match step {
                toml::Value::String(s) => steps.push(s),
                other => {
                    return Err(de::Error::custom(format!(
                        "hint step {} is not a string ({}): each step of a `hint` list is a string",
                        steps.len() + 1,
                        other.type_str()
                    )));
                }
            }
        }
        Ok(Hint(steps))
    }
}

/// [`PointFile::about`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub enum About {
    Subject,
    Anyone,
}

impl TryFrom<String> for Scope {
    type Error = String;
    fn try_from(value: String) -> Result<Scope, String> {
        use Scope::*;
        let choices = [
            ("clause", Clause),
            ("sentence", Sentence),
            ("sentence and next", Next),
            ("paragraph", Paragraph),
            ("answer", Answer),
        ];
        one_of(&value, "scope", &choices)
    }
}

impl TryFrom<String> for About {
    type Error = String;
    fn try_from(value: String) -> Result<About, String> {
        one_of(
            &value,
            "about",
            &[("subject", About::Subject), ("anyone", About::Anyone)],
        )
    }
}

/// A count-based scoring band: at least `covered` points covered earns `marks`.
#[derive(Debug, Deserialize, Clone, Copy, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Band {
    pub covered: u32,
    pub marks: f64,
}

/// An answer written into the rubric with the coverage it must produce.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExampleFile {
    pub name: Spanned<String>,
    /// The answer text, or
    pub text: Option<String>,
    /// a path to it, relative to the rubric file.
    pub file: Option<String>,
    /// Points that must be covered.
    #[serde(default)]
    pub covers: Vec<Spanned<String>>,
    /// Points that must be partial.
    #[serde(default)]
    pub partial: Vec<Spanned<String>>,
    /// Points that must be reported negated.
    #[serde(default)]
    pub negated: Vec<Spanned<String>>,
    /// Points that must not be covered (missing, partial or negated are all fine).
    #[serde(default)]
    pub misses: Vec<Spanned<String>>,
    /// The expected total score.
    pub score: Option<Spanned<f64>>,
}

/// A cue: either a phrase string or a table (`{ phrase = .. }`, `{ all = [..] }`, `{ any = [..] }`).
#[derive(Debug, Clone)]
pub struct CueSpec {
    pub kind: CueKind,
    /// Match words exactly: no word forms, no misspellings.
    pub exact: bool,
    /// Filler words allowed between phrase words (overrides the rubric's `gap`).
    pub gap: Option<u32>,
    /// The cue does not count when one of these phrases is in the same sentence.
    pub unless: Vec<Spanned<String>>,
    /// `false`: matches are never taken as negated (the point itself is a denial, as in
    /// "the procedure does not say how much vinegar"). Unset: inherited, else true.
    pub negation: Option<bool>,
}

/// Where the parts of an `all` group must fall together: one clause; one sentence (or list item); the
/// sentence of the first part and the next one (the answer goes on about what it named: "The
/// Lenin enrolment brought in new members. They were picked by the Secretariat..."); one
/// paragraph; or anywhere in the answer. `within` narrows any of them to a number of words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(try_from = "String")]
pub enum Scope {
    /// One clause: "Stalin was General Secretary, and Trotsky kept files" does not join them.
    Clause,
    #[default]
    Sentence,
    Next,
    Paragraph,
    Answer,
}

#[derive(Debug, Clone)]
pub enum CueKind {
    /// Words in order, with alternatives, optional words, wildcards and `@synonyms`.
    Phrase(String),
    /// Every part in one sentence (or the `scope`), and within `within` words.
    All {
        parts: Vec<Spanned<CueSpec>>,
        within: Option<u32>,
        /// Unset: the rubric's `scope`, else one sentence.
        scope: Option<Scope>,
        /// Whether finding the first part without all the others gives a partial match (default true).
        partial: bool,
    },
    /// At least `need` of the parts anywhere in the answer; fewer gives a partial match.
    Any { parts: Vec<Spanned<CueSpec>>, need: u32 },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CueTable {
    phrase: Option<String>,
    all: Option<Vec<Spanned<CueSpec>>>,
    any: Option<Vec<Spanned<CueSpec>>>,
    within: Option<u32>,
    scope: Option<Scope>,
    need: Option<u32>,
    partial: Option<bool>,
    #[serde(default)]
    exact: bool,
    gap: Option<u32>,
    #[serde(default)]
    unless: Vec<Spanned<String>>,
    negation: Option<bool>,
}

impl<'de> Deserialize<'de> for CueSpec {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(CueVisitor)
    }
}

struct CueVisitor;

impl<'de> Visitor<'de> for CueVisitor {
    type Value = CueSpec;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a cue: a phrase string, or a table with one of `phrase`, `all` or `any`")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<CueSpec, E> {
        Ok(CueSpec {
            kind: CueKind::Phrase(v.to_string()),
            exact: false,
            gap: None,
            unless: Vec::new(),
            negation: None,
        })
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<CueSpec, A::Error> {
        let t = CueTable::deserialize(de::value::MapAccessDeserializer::new(map))?;
        let kinds = [t.phrase.is_some(), t.all.is_some(), t.any.is_some()];
        if kinds.iter().filter(|k| **k).count() != 1 {
            return Err(de::Error::custom(
                "a cue table needs exactly one of `phrase`, `all` or `any`",
            ));
        }
        let kind = if let Some(p) = t.phrase {
            if t.within.is_some() || t.need.is_some() || t.partial.is_some() || t.scope.is_some() {
                return Err(de::Error::custom(
                    "`within`, `scope`, `need` and `partial` belong to `all` or `any` cues, not to `phrase`",
                ));
            }
            CueKind::Phrase(p)
        } else if let Some(parts) = t.all {
            if t.need.is_some() {
                return Err(de::Error::custom(
                    "`need` belongs to `any` cues; an `all` cue needs every part",
                ));
            }
            if parts.is_empty() {
                return Err(de::Error::custom("`all` needs at least one part"));
            }
            if t.within == Some(0) {
                return Err(de::Error::custom(
                    "`within` must be at least 1: no two parts fall within 0 words of each other",
                ));
            }
            CueKind::All {
                parts,
                within: t.within,
                scope: t.scope,
                partial: t.partial.unwrap_or(true),
            }
        } else {
            let parts = t.any.unwrap_or_default();
            if t.within.is_some() || t.partial.is_some() || t.scope.is_some() {
                return Err(de::Error::custom(
                    "`within`, `scope` and `partial` belong to `all` cues, not to `any` (an `any` group counts its parts across the whole answer)",
                ));
            }
            if parts.is_empty() {
                return Err(de::Error::custom("`any` needs at least one part"));
            }
            let need = t.need.unwrap_or(1);
            if need == 0 || need as usize > parts.len() {
                return Err(de::Error::custom(format!(
                    "`need` must be between 1 and the number of parts ({})",
                    parts.len()
                )));
            }
            CueKind::Any { parts, need }
        };
        Ok(CueSpec {
            kind,
            exact: t.exact,
            gap: t.gap,
            unless: t.unless,
            negation: t.negation,
        })
    }
}
