//! Progress between drafts: what an answer gained and lost since an earlier check of it, and the
//! score change, in a sentence a student enjoys reading (`rubric check --since PREVIOUS.json`,
//! and the web page of `rubric serve`, which keeps the earlier result in the browser).
//!
//! The earlier check is a [`Before`]: its score and the status of each point. `rubric check`
//! reads it from a report saved with `--format json` (`super::previous`, points known by
//! question id and point id); the web page sends it back with its next check (points known by
//! number, `1.1`, the only name the page has for a point not yet made). [`Progress::new`]
//! compares it with a new [`Assessment`], point by point, ranking a point missing or negated
//! (not made) below partial below covered:
//! - **gained**: a point ranked higher now (new, started, or finished);
//! - **lost**: a point ranked lower now (covered or partly made before, not now);
//! - **still to do**: a point not made now that was not made before either (or is new to the
//!   rubric).
//!
//! The sentence is student-safe ([`super::safe`]): a point made now is named by its number and
//! label, a point not made now (lost, or still to do) by its number only (and, when it was lost,
//! the student's own words that made it before). The points compared are those both the earlier
//! report and the rubric have; an earlier report with none in common is for another rubric, a
//! [`Mismatch`].

use std::fmt::Write;

use serde::{Deserialize, Serialize};

use super::{marks, safe};
use crate::matcher::Status;
use crate::score::Assessment;

/// At most this many points are named in one list of the sentence; the rest are counted.
const LISTED: usize = 5;

/// Longest earlier quote shown for a lost point, in characters.
const QUOTE_CHARS: usize = 80;

/// How far a point is made: not made (missing, negated), partly made, covered.
fn rank(status: Status) -> u8 {
    match status {
        Status::Missing | Status::Negated => 0,
        Status::Partial => 1,
        Status::Covered => 2,
    }
}

pub(super) fn parse_status(s: &str) -> Option<Status> {
    Some(match s {
        "covered" => Status::Covered,
        "partial" => Status::Partial,
        "negated" => Status::Negated,
        "missing" => Status::Missing,
        _ => return None,
    })
}

/// How the points of a [`Before`] are known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keyed {
    /// By question id and point id (a `--format json` report).
    Id,
    /// By number, `1.1` (the web page).
    Number,
}

/// One point of an earlier check.
#[derive(Debug, Clone, PartialEq)]
pub struct BeforePoint {
    /// `question-id/point-id`, or the number `1.1` ([`Keyed`]).
    pub key: String,
    pub status: Status,
    /// The student's words that made it (the first evidence's quote), when known.
    pub quote: Option<String>,
}

/// An earlier check of an answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Before {
    /// The answer's name in the earlier report (empty when unknown).
    pub file: String,
    /// The earlier rubric's title (empty when unknown).
    pub rubric: String,
    pub score: f64,
    pub max: f64,
    pub keyed: Keyed,
    pub points: Vec<BeforePoint>,
}

pub(super) fn id_key(question: &str, point: &str) -> String {
    format!("{question}/{point}")
}

impl Before {
    /// The check `a` of answer `file` against `rubric`, as an earlier check to compare with
    /// (what a `--format json` report of it reads back as: `super::previous`).
    pub fn of(file: &str, rubric: &crate::scheme::Rubric, a: &Assessment) -> Before {
        let points = a
            .questions
            .iter()
            .flat_map(|q| {
                q.points.iter().map(|p| BeforePoint {
                    key: id_key(&q.question.id, &p.point.id),
                    status: p.finding.status,
                    quote: p.finding.evidence.first().map(|e| e.quote.clone()),
                })
            })
            .collect();
        Before {
            file: file.to_owned(),
            rubric: rubric.title.clone(),
            score: a.score,
            max: a.max,
            keyed: Keyed::Id,
            points,
        }
    }
}

/// The earlier check as the web page sends it back with `POST /api/check` (`"since"`): its
/// score and maximum, and each point's status by number, `{"1.1": "covered", ...}`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sent {
    pub score: f64,
    pub max: f64,
    pub points: std::collections::BTreeMap<String, String>,
}

impl Sent {
    /// The [`Before`] it describes; `Err` names a status that is not one.
    pub fn before(&self) -> Result<Before, String> {
        let points = self
            .points
            .iter()
            .map(|(number, status)| {
                let status = parse_status(status)
                    .ok_or_else(|| format!("point {number:?} of \"since\" has the unknown status {status:?}"))?;
                Ok(BeforePoint {
                    key: number.clone(),
                    status,
                    quote: None,
                })
            })
            .collect::<Result<_, String>>()?;
        Ok(Before {
            file: String::new(),
            rubric: String::new(),
            score: self.score,
            max: self.max,
            keyed: Keyed::Number,
            points,
        })
    }
}

// ------------------------------------------------------------------ the comparison

/// One point whose status changed, or is still to do.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// Its number, `1.1`.
    pub number: String,
    /// Its question's id (left out in the web page's student-safe progress).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub question: Option<String>,
    /// Its id (left out in the web page's student-safe progress).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Its status in the earlier check; `null` for a point the earlier report does not have.
    pub before: Option<Status>,
    pub now: Status,
    /// Its label, when the answer makes it now.
    #[serde(skip)]
    label: Option<String>,
    /// The student's earlier words, for a point lost.
    #[serde(skip)]
    quote: Option<String>,
}

/// The earlier report is for another rubric: it has no point in common with this one.
#[derive(Debug, Clone, PartialEq)]
pub struct Mismatch {
    /// The earlier report's rubric title.
    pub was: String,
}

/// What changed between an earlier check and this one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Progress {
    /// The earlier check: the answer's name, its score and the maximum then.
    pub since: Since,
    /// `score - since.score`.
    pub score_change: f64,
    pub score: f64,
    pub max: f64,
    /// Points ranked higher now, in rubric order.
    pub gained: Vec<Change>,
    /// Points ranked lower now, in rubric order.
    pub lost: Vec<Change>,
    /// Points not made now, and not made before either (or new to the rubric), in rubric order.
    pub still_to_do: Vec<Change>,
    /// How many points were compared (both the rubric and the earlier report have them).
    pub compared: usize,
    /// Whether the rubric's points differ from the earlier report's (some points were not
    /// compared).
    pub rubric_changed: bool,
    /// [`Progress::sentence`].
    pub sentence: String,
}

/// The earlier check, as [`Progress`] shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Since {
    pub file: String,
    pub score: f64,
    pub max: f64,
}

impl Progress {
    /// Compares `now` with `before`; `safe` leaves the ids out (the web page's API). Only the
    /// points both have are compared: none in common is a [`Mismatch`].
    pub fn new(before: &Before, now: &Assessment, safe: bool) -> Result<Progress, Mismatch> {
        use std::collections::HashMap;
        let earlier: HashMap<&str, &BeforePoint> = before.points.iter().map(|p| (p.key.as_str(), p)).collect();
        let (mut gained, mut lost, mut still_to_do) = (Vec::new(), Vec::new(), Vec::new());
        let mut compared = 0;
        let mut total = 0;
        for (qi, q) in now.questions.iter().enumerate() {
            for (pi, p) in q.points.iter().enumerate() {
                total += 1;
                let number = safe::number(qi, pi);
                let key = match before.keyed {
                    Keyed::Id => id_key(&q.question.id, &p.point.id),
                    Keyed::Number => number.clone(),
                };
                let was = earlier.get(key.as_str()).copied();
                compared += usize::from(was.is_some());
                let status = p.finding.status;
                let change = Change {
                    number,
                    question: (!safe).then(|| q.question.id.clone()),
                    id: (!safe).then(|| p.point.id.clone()),
                    before: was.map(|w| w.status),
                    now: status,
                    label: safe::made(status).then(|| super::printable::one_line(&p.point.label)),
                    quote: None,
                };
                match was {
                    Some(w) if rank(status) > rank(w.status) => gained.push(change),
                    Some(w) if rank(status) < rank(w.status) => lost.push(Change {
                        quote: w.quote.clone(),
                        ..change
                    }),
                    _ if !safe::made(status) => still_to_do.push(change),
                    _ => {}
                }
            }
        }
        if compared == 0 {
            return Err(Mismatch {
                was: before.rubric.clone(),
            });
        }
        let mut progress = Progress {
            since: Since {
                file: before.file.clone(),
                score: before.score,
                max: before.max,
            },
            score_change: round2(now.score - before.score),
            score: now.score,
            max: now.max,
            gained,
            lost,
            still_to_do,
            compared,
            rubric_changed: compared != total || compared != before.points.len(),
            sentence: String::new(),
        };
        progress.sentence = progress.sentence();
        Ok(progress)
    }

    /// The progress in words: the score change, then what is new, what was lost and what is
    /// still to do, each on a line of its own.
    ///
    /// `Nice work: 2 more marks than last time (1 → 3 of 4).`
    /// `New: 1.2 The Gracchi, reform and violence; 1.4 Caesar, dictator for life (partly made).`
    /// `Lost since last time: 1.3 (you had "Sulla marched on Rome."): put it back?`
    /// `Still to do: 1.1 (see its hint).`
    pub fn sentence(&self) -> String {
        let mut out = self.headline();
        if !self.gained.is_empty() {
            let _ = write!(out, "\nNew: {}.", listed(&self.gained, gained_item));
        }
        if !self.lost.is_empty() {
            let one = self.lost.len() == 1;
            let _ = write!(
                out,
                "\nLost since last time: {}: {}",
                listed(&self.lost, lost_item),
                if one { "put it back?" } else { "put them back?" }
            );
        }
        if !self.still_to_do.is_empty() {
            let one = self.still_to_do.len() == 1;
            let _ = write!(
                out,
                "\nStill to do: {} ({}).",
                listed(&self.still_to_do, |c| c.number.clone()),
                if one { "see its hint" } else { "see their hints" }
            );
        }
        out
    }

    /// The first line: the score change, warmly.
    fn headline(&self) -> String {
        let then = marks(self.since.score);
        let now = marks(self.score);
        let scores = if (self.since.max - self.max).abs() < 1e-9 {
            if then == now {
                format!("{now} of {}", marks(self.max))
            } else {
                format!("{then} → {now} of {}", marks(self.max))
            }
        } else {
            format!("{then} of {} → {now} of {}", marks(self.since.max), marks(self.max))
        };
        let d = self.score_change;
        let mark_s = |x: f64| if (x.abs() - 1.0).abs() < 1e-9 { "mark" } else { "marks" };
        let all =
            self.still_to_do.is_empty() && self.lost.is_empty() && self.gained.iter().all(|c| c.now == Status::Covered);
        let complete = all && self.score >= self.max && self.max > 0.0;
        if d > 0.0 {
            let cheer = if complete {
                "Brilliant: every key point is there now"
            } else if self.lost.is_empty() {
                "Nice work"
            } else {
                "Good progress"
            };
            format!("{cheer}: {} more {} than last time ({scores}).", marks(d), mark_s(d))
        } else if d < 0.0 {
            format!(
                "{} {} fewer than last time ({scores}): what you lost is below, and easy to win back.",
                marks(-d),
                mark_s(d)
            )
        } else if self.gained.is_empty() && self.lost.is_empty() {
            if complete {
                format!("Still every key point, as last time ({scores}). Well done.")
            } else {
                format!("Same score as last time ({scores}): pick one hint and try it.")
            }
        } else if self.lost.is_empty() {
            let n = self.gained.len();
            let what = if n == 1 {
                "a point more".to_string()
            } else {
                format!("{n} points more")
            };
            format!("Nice work: {what} made, though the score stays at {scores} for now.")
        } else {
            format!("Same score as last time ({scores}), but the points have moved: see below.")
        }
    }
}

/// Two decimals, as scores are shown.
fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// A point gained: its number and label, and how far it is made now.
fn gained_item(c: &Change) -> String {
    let name = match &c.label {
        Some(l) => format!("{} {}", c.number, l.trim_end_matches('.')),
        None => c.number.clone(),
    };
    match (c.before, c.now) {
        (_, Status::Partial) => format!("{name} (partly made)"),
        (Some(Status::Partial), Status::Covered) => format!("{name} (now complete)"),
        _ => name,
    }
}

/// A point lost: its number (its label only when still partly made), and the student's own
/// earlier words.
fn lost_item(c: &Change) -> String {
    let mut s = match (&c.label, c.now) {
        (Some(l), Status::Partial) => format!("{} {} (only partly made now)", c.number, l.trim_end_matches('.')),
        _ => c.number.clone(),
    };
    if c.now != Status::Partial
        && let Some(q) = &c.quote
    {
        let q = super::printable::one_line(q);
        let cut: String = q.chars().take(QUOTE_CHARS).collect();
        let more = if cut.len() < q.len() { "…" } else { "" };
        let _ = write!(s, " (you had \"{cut}{more}\")");
    }
    s
}

/// `a; b; c and 2 more`.
fn listed(changes: &[Change], item: impl Fn(&Change) -> String) -> String {
    let shown: Vec<String> = changes.iter().take(LISTED).map(&item).collect();
    let rest = changes.len().saturating_sub(LISTED);
    let sep = if changes
        .iter()
        .take(LISTED)
        .any(|c| c.label.is_some() || c.quote.is_some())
    {
        "; "
    } else {
        ", "
    };
    let mut s = shown.join(sep);
    if rest > 0 {
        let _ = write!(s, " and {rest} more");
    }
    s
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::scheme::Rubric;
    use crate::score::assess;
    use crate::testing::RUBRIC;
    use crate::text::read::Format;
    use crate::text::tokens::Document;

    /// `answer` checked against the Roman rubric, given to `f`.
    pub(crate) fn with<R>(answer: &str, f: impl FnOnce(&Rubric, &Assessment) -> R) -> R {
        let rubric = Rubric::from_str(RUBRIC, "roman.toml").unwrap();
        let doc = Document::new(answer.to_string(), Format::Text, &rubric.language);
        let a = assess(&rubric, &doc, false);
        f(&rubric, &a)
    }

    pub(crate) const WEAK: &str = "Generals had private armies.\nSulla marched on Rome.\n";
    pub(crate) const BETTER: &str =
        "Generals had private armies.\nThe Gracchi tried reform and were murdered.\nCaesar became dictator for life.\n";

    fn progress(before: &str, now: &str) -> Progress {
        let before = with(before, |r, a| Before::of("draft1.txt", r, a));
        with(now, |_, a| Progress::new(&before, a, false).unwrap())
    }

    #[test]
    fn gained_lost_and_still_to_do_are_told_apart() {
        let p = progress(WEAK, BETTER);
        let numbers = |c: &[Change]| c.iter().map(|c| c.number.clone()).collect::<Vec<_>>();
        assert_eq!(numbers(&p.gained), ["1.2", "1.4"]);
        assert_eq!(numbers(&p.lost), ["1.3"]);
        assert!(p.still_to_do.is_empty());
        assert_eq!((p.since.score, p.score, p.score_change), (2.0, 3.0, 1.0));
        assert_eq!(p.compared, 4);
        assert!(!p.rubric_changed);
        assert_eq!(p.gained[0].id.as_deref(), Some("gracchi"));
        assert_eq!(p.lost[0].before, Some(Status::Covered));
        assert_eq!(p.lost[0].now, Status::Missing);
    }

    #[test]
    fn the_sentence_names_made_points_and_numbers_the_others() {
        let p = progress(WEAK, BETTER);
        let s = &p.sentence;
        assert!(
            s.starts_with("Good progress: 1 more mark than last time (2 → 3 of 4)."),
            "{s}"
        );
        assert!(
            s.contains("New: 1.2 The Gracchi, reform and violence; 1.4 Caesar, dictator for life."),
            "{s}"
        );
        // A point lost is not made now: its number and the student's own words, not its label.
        assert!(
            s.contains("Lost since last time: 1.3 (you had \"Sulla marched on Rome.\"): put it back?"),
            "{s}"
        );
        assert!(!s.contains("Sulla's march"), "{s}");
    }

    #[test]
    fn a_point_not_made_before_or_now_is_still_to_do_by_number() {
        let p = progress("Nothing yet.", WEAK);
        assert_eq!(p.gained.len(), 2);
        assert!(p.lost.is_empty());
        let s = &p.sentence;
        assert!(
            s.starts_with("Nice work: 2 more marks than last time (0 → 2 of 4)."),
            "{s}"
        );
        assert!(s.ends_with("Still to do: 1.2, 1.4 (see their hints)."), "{s}");
        for label in ["Gracchi", "Caesar", "gracchi", "caesar"] {
            assert!(!s.contains(label), "{label} in {s}");
        }
    }

    #[test]
    fn fewer_marks_and_the_same_marks_are_said_kindly() {
        let p = progress(BETTER, WEAK);
        assert!(
            p.sentence.starts_with("1 mark fewer than last time (3 → 2 of 4)"),
            "{}",
            p.sentence
        );
        let p = progress(WEAK, WEAK);
        assert!(p.gained.is_empty() && p.lost.is_empty());
        assert_eq!(
            p.sentence,
            "Same score as last time (2 of 4): pick one hint and try it.\nStill to do: 1.2, 1.4 (see their hints)."
        );
        let all = "Private armies. The Gracchi were murdered. Sulla's march on Rome. Caesar was dictator for life.";
        let p = progress(WEAK, all);
        assert!(
            p.sentence.starts_with("Brilliant: every key point is there now"),
            "{}",
            p.sentence
        );
    }

    #[test]
    fn the_web_page_keys_points_by_number_and_gets_no_ids() {
        let before = Before {
            file: String::new(),
            rubric: String::new(),
            score: 1.0,
            max: 4.0,
            keyed: Keyed::Number,
            points: vec![BeforePoint {
                key: "1.1".into(),
                status: Status::Covered,
                quote: None,
            }],
        };
        let p = with("Nothing.", |_, a| Progress::new(&before, a, true).unwrap());
        assert_eq!(p.lost.len(), 1);
        assert!(p.rubric_changed, "3 points were not compared");
        let json = serde_json::to_string(&p).unwrap();
        assert!(!json.contains("armies") && !json.contains("\"id\""), "{json}");
        assert!(
            p.sentence.contains("Lost since last time: 1.1: put it back?"),
            "{}",
            p.sentence
        );
    }

    #[test]
    fn a_report_for_another_rubric_is_a_mismatch() {
        let mut other = with(WEAK, |r, a| Before::of("draft1.txt", r, a));
        for p in &mut other.points {
            p.key = p.key.replace("causes/", "other/");
        }
        let err = with(WEAK, |_, a| Progress::new(&other, a, false).unwrap_err());
        assert_eq!(err.was, "Why did the Roman Republic fall?");
    }
}
