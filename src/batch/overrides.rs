//! The teacher's decisions (`rubric mark --overrides FILE`): the tool proposes, the teacher
//! decides, and every output follows the decision.
//!
//! The file is a CSV the teacher edits, with a header row naming its columns, in any order:
//!
//! | column | required | content |
//! |---|---|---|
//! | `id` | yes | the student id, as the marks sheet shows it |
//! | `point` | yes | a point's id or a misconception's id; empty for a comment on the whole answer |
//! | `status` | no | a point: `covered`, `partial`, `negated` or `missing`; a misconception: `found` or `missing`; empty keeps the tool's |
//! | `marks` | no | the marks the point earns, from 0 to its `marks` (a covered or partial point only); empty: the rubric's |
//! | `comment` | no | the teacher's words, shown in the feedback |
//!
//! Other columns are ignored (a teacher's notes). Blank lines are skipped, a UTF-8 byte order
//! mark is allowed. Every problem is an error naming the file and line (an unknown column value,
//! an id no answer has, a point the rubric does not have, two rows for the same point, marks out
//! of range), reported all at once, before anything is written.
//!
//! Applying a decision changes the point's status and marks in the answer's statuses and, when
//! kept, in its findings; the question's and the answer's marks are computed again from them by
//! the rubric's own rules ([`crate::score::marks_of`]: caps, bands, misconceptions, rounding).
//! The evidence stays as the tool found it. The same file gives the same outputs, run after run.

use std::collections::HashMap;
use std::path::Path;

use crate::matcher::Status;
use crate::scheme::Rubric;
use crate::score::{Assessment, Scoring, marks_of};

use super::{Batch, Outcome};

/// One decision of the teacher about one answer, as applied.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// The line of the overrides file it comes from.
    pub line: usize,
    /// The point's index in the answer's statuses (points in rubric order, then
    /// misconceptions); `None` for a comment on the whole answer.
    pub point: Option<usize>,
    /// The status the tool gave (the point's; `None` for the whole answer).
    pub was: Option<Status>,
    /// The teacher's status, when given.
    pub status: Option<Status>,
    /// The teacher's marks for the point, when given.
    pub marks: Option<f64>,
    /// The teacher's comment (may be empty).
    pub comment: String,
}

impl Decision {
    /// Whether the decision changes the point's status or marks (not only a comment).
    pub fn changes(&self) -> bool {
        self.status.is_some() || self.marks.is_some()
    }
}

/// The decisions of an overrides file, per student id, checked against the rubric.
#[derive(Debug, Default)]
pub struct Overrides {
    /// The file, as named (for messages).
    name: String,
    /// Per id, its rows in file order.
    by_id: HashMap<String, Vec<Decision>>,
    /// Per id, the first line naming it (to report an unknown id at its line).
    first_line: HashMap<String, usize>,
}

/// Where the columns are, by header.
struct Columns {
    id: usize,
    point: usize,
    status: Option<usize>,
    marks: Option<usize>,
    comment: Option<usize>,
}

fn columns(header: &csv::StringRecord) -> Result<Columns, String> {
    let find = |name: &str| {
        header
            .iter()
            .position(|h| h.trim_start_matches('\u{feff}').trim().eq_ignore_ascii_case(name))
    };
    let need = |name: &str| find(name).ok_or_else(|| format!("no `{name}` column"));
    match (need("id"), need("point")) {
        (Ok(id), Ok(point)) => Ok(Columns {
            id,
            point,
            status: find("status"),
            marks: find("marks"),
            comment: find("comment"),
        }),
        (a, b) => Err(format!(
            "1: {}; the header must name the columns id,point,status,marks,comment (status, marks and comment may be left out)",
            [a.err(), b.err()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" and ")
        )),
    }
}

/// A point's or misconception's place in the statuses, its marks and whether it is a
/// misconception, by id.
fn targets(rubric: &Rubric) -> HashMap<&str, (usize, f64, bool)> {
    let n: usize = rubric.questions.iter().map(|q| q.points.len()).sum();
    let mut map = HashMap::new();
    let points = rubric.questions.iter().flat_map(|q| &q.points);
    for (i, p) in points.enumerate() {
        map.insert(p.id.as_str(), (i, p.marks, false));
    }
    let wrong = rubric.questions.iter().flat_map(|q| &q.misconceptions);
    for (i, p) in wrong.enumerate() {
        map.insert(p.id.as_str(), (n + i, 0.0, true));
    }
    map
}

fn parse_status(s: &str, misconception: bool) -> Result<Status, String> {
    let s = s.trim().to_ascii_lowercase();
    match (s.as_str(), misconception) {
        ("covered", false) => Ok(Status::Covered),
        ("partial", false) => Ok(Status::Partial),
        ("negated", false) => Ok(Status::Negated),
        ("missing", _) => Ok(Status::Missing),
        ("found", true) => Ok(Status::Covered),
        (other, false) => Err(format!(
            "status `{other}`: a point's status is covered, partial, negated or missing"
        )),
        (other, true) => Err(format!(
            "status `{other}`: a misconception's status is found or missing"
        )),
    }
}

impl Overrides {
    /// Reads and checks an overrides file against the rubric.
    pub fn load(path: &Path, rubric: &Rubric) -> Result<Overrides, String> {
        let name = path.display().to_string();
        let text = crate::text::read::read_path(path, &crate::text::read::Limits::default())
            .map_err(|e| e.to_string())?
            .text;
        Overrides::parse(&text, &name, rubric)
    }

    /// Reads the text of an overrides file named `name`; all its problems at once.
    pub fn parse(text: &str, name: &str, rubric: &Rubric) -> Result<Overrides, String> {
        let fail = |problems: Vec<String>| {
            Err(problems
                .iter()
                .map(|p| format!("{name}:{p}"))
                .collect::<Vec<_>>()
                .join("\n"))
        };
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .has_headers(true)
            .from_reader(text.as_bytes());
        let header = match reader.headers() {
            Ok(h) => h.clone(),
            Err(e) => return fail(vec![format!("1: not a CSV file ({e})")]),
        };
        let cols = match columns(&header) {
            Ok(c) => c,
            Err(e) => return fail(vec![e]),
        };
        let targets = targets(rubric);
        let mut out = Overrides {
            name: name.to_string(),
            ..Overrides::default()
        };
        let mut seen: HashMap<(String, Option<usize>), usize> = HashMap::new();
        let mut problems = Vec::new();
        for record in super::roster::lined_records(&mut reader, text) {
            let (line, record) = match record {
                Ok(r) => r,
                Err(e) => {
                    problems.push(e);
                    continue;
                }
            };
            let cell = |i: Option<usize>| i.and_then(|i| record.get(i)).unwrap_or("").trim();
            let id = cell(Some(cols.id));
            let point = cell(Some(cols.point));
            let (status, marks, comment) = (cell(cols.status), cell(cols.marks), cell(cols.comment));
            if id.is_empty() {
                problems.push(format!("{line}: no id"));
                continue;
            }
            let mut decision = Decision {
                line,
                point: None,
                was: None,
                status: None,
                marks: None,
                comment: comment.to_string(),
            };
            if point.is_empty() {
                if !status.is_empty() || !marks.is_empty() {
                    problems.push(format!(
                        "{line}: a row without a point is a comment on the whole answer; give a status or marks per point"
                    ));
                    continue;
                }
            } else {
                let Some(&(index, max, misconception)) = targets.get(point) else {
                    let mut known: Vec<&str> = targets.keys().copied().collect();
                    known.sort_unstable();
                    problems.push(format!(
                        "{line}: no point `{point}` in the rubric (its points: {})",
                        known.join(", ")
                    ));
                    continue;
                };
                decision.point = Some(index);
                if !status.is_empty() {
                    match parse_status(status, misconception) {
                        Ok(s) => decision.status = Some(s),
                        Err(e) => {
                            problems.push(format!("{line}: {e}"));
                            continue;
                        }
                    }
                }
                if !marks.is_empty() {
                    let m = match marks.parse::<f64>() {
                        Ok(m) if m.is_finite() && m >= 0.0 && m <= max + 1e-9 && !misconception => m,
                        _ if misconception => {
                            problems.push(format!(
                                "{line}: marks for misconception `{point}`: a misconception's effect is the rubric's; give its status only"
                            ));
                            continue;
                        }
                        _ => {
                            problems.push(format!(
                                "{line}: marks `{marks}` for `{point}`: a number from 0 to the point's {max}"
                            ));
                            continue;
                        }
                    };
                    if matches!(decision.status, Some(Status::Missing | Status::Negated)) && m > 0.0 {
                        problems.push(format!(
                            "{line}: marks {marks} for a point decided {status}: a point earns marks only when covered or partial"
                        ));
                        continue;
                    }
                    decision.marks = Some(m);
                }
            }
            if let Some(before) = seen.insert((id.to_string(), decision.point), line) {
                let what = if point.is_empty() {
                    "the whole answer".to_string()
                } else {
                    format!("`{point}`")
                };
                problems.push(format!("{line}: {id} {what} is already decided on line {before}"));
                continue;
            }
            out.first_line.entry(id.to_string()).or_insert(line);
            out.by_id.entry(id.to_string()).or_default().push(decision);
        }
        if problems.is_empty() { Ok(out) } else { fail(problems) }
    }

    /// The decisions about one answer, in file order.
    pub fn get(&self, id: &str) -> Option<&[Decision]> {
        self.by_id.get(id).map(Vec::as_slice)
    }

    /// The ids the file names.
    pub fn ids(&self) -> impl Iterator<Item = &String> {
        self.by_id.keys()
    }

    /// Ids of the file that no answer of the batch has, or whose answer could not be marked,
    /// each at its first line: all of them, as one error.
    pub fn check_ids(&self, batch: &Batch) -> Result<(), String> {
        let mut problems: Vec<(usize, String)> = Vec::new();
        for (id, &line) in &self.first_line {
            match batch.entries.iter().find(|e| &e.id == id) {
                None => problems.push((line, format!("no answer has the id `{id}`"))),
                Some(e) => {
                    if let Outcome::Failed(why) = &e.outcome {
                        problems.push((line, format!("{id}'s answer could not be marked ({why})")));
                    }
                }
            }
        }
        problems.sort();
        if problems.is_empty() {
            return Ok(());
        }
        Err(problems
            .iter()
            .map(|(line, p)| format!("{}:{line}: {p}", self.name))
            .collect::<Vec<_>>()
            .join("\n"))
    }

    /// Applies the decisions to the batch (after [`Overrides::check_ids`]): statuses, marks and
    /// scores follow them, and each entry keeps its decisions ([`super::Entry::decisions`]).
    /// Returns how many decisions were applied, to how many answers.
    pub fn apply(&self, batch: &mut Batch) -> (usize, usize) {
        let rubric = batch.rubric;
        let (mut applied, mut answers) = (0, 0);
        for e in &mut batch.entries {
            let Some(rows) = self.by_id.get(&e.id) else { continue };
            let Outcome::Marked(m) = &mut e.outcome else { continue };
            let mut decisions = rows.clone();
            for d in &mut decisions {
                let Some(i) = d.point else { continue };
                d.was = m.statuses.get(i).copied();
                if let Some(s) = d.status
                    && let Some(slot) = m.statuses.get_mut(i)
                {
                    *slot = s;
                }
            }
            let each = marks_of(rubric, &scoring(rubric, &decisions), &m.statuses);
            m.score = each.total;
            if let Some(full) = m.full.as_deref_mut() {
                follow(full, rubric, &m.statuses, &each);
            }
            applied += decisions.len();
            answers += 1;
            e.decisions = decisions;
        }
        (applied, answers)
    }
}

/// The rubric's scoring with the marks the teacher gave points in `decisions` (a point given
/// marks earns them whether covered or partial): what an answer's marks are computed with.
pub fn scoring(rubric: &Rubric, decisions: &[Decision]) -> Scoring {
    let mut scoring = Scoring::of(rubric);
    for d in decisions {
        if let (Some(i), Some(marks)) = (d.point, d.marks)
            && let Some(place) = point_scoring(&mut scoring, i)
        {
            *place = (marks, marks);
        }
    }
    scoring
}

/// The (covered, partial) marks of point `i` (in rubric order) in `scoring`.
fn point_scoring(scoring: &mut Scoring, mut i: usize) -> Option<&mut (f64, f64)> {
    for q in &mut scoring.questions {
        if i < q.points.len() {
            return q.points.get_mut(i);
        }
        i -= q.points.len();
    }
    None
}

/// Makes the findings of an answer follow its statuses as decided, and its marks.
fn follow(full: &mut Assessment, rubric: &Rubric, statuses: &[crate::matcher::Status], each: &crate::score::Marks) {
    let n: usize = rubric.questions.iter().map(|q| q.points.len()).sum();
    let (mut at, mut at_wrong) = (0, n);
    let mut marks = each.points.iter();
    for (q, &score) in full.questions.iter_mut().zip(&each.questions) {
        q.score = score;
        for m in &mut q.misconceptions {
            if let Some(&s) = statuses.get(at_wrong) {
                m.finding.status = s;
            }
            at_wrong += 1;
        }
        let found: Vec<bool> = q.misconceptions.iter().map(|m| m.found()).collect();
        for (i, p) in q.points.iter_mut().enumerate() {
            if let Some(&s) = statuses.get(at) {
                p.finding.status = s;
            }
            p.marks = marks.next().copied().unwrap_or(0.0);
            p.cancelled_by = q
                .question
                .misconceptions
                .iter()
                .zip(&found)
                .find(|(w, f)| **f && w.misconception.as_ref().is_some_and(|e| e.cancels.contains(&i)))
                .map(|(w, _)| w);
            at += 1;
        }
    }
    full.score = each.total;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rubric() -> Rubric {
        Rubric::from_str(crate::testing::TSAR, "t.toml").unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn rows_are_read_by_their_header() {
        let r = rubric();
        let first = r.questions[0].points[0].id.clone();
        let text = format!(
            "\u{feff}comment,id,point,status,marks,notes\n\"Good, well argued\",amy,{first},covered,,x\n\n,ben,,,,\nyes,amy,,,,\n"
        );
        let o = Overrides::parse(&text, "o.csv", &r).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(o.by_id.values().map(Vec::len).sum::<usize>(), 3);
        let amy = &o.by_id["amy"];
        assert_eq!(amy[0].point, Some(0));
        assert_eq!(amy[0].status, Some(Status::Covered));
        assert_eq!(amy[0].comment, "Good, well argued");
        assert_eq!(amy[0].line, 2);
        assert_eq!(amy[1].point, None);
        assert_eq!(o.by_id["ben"][0].line, 4);
    }

    #[test]
    fn every_problem_is_named_with_its_line() {
        let r = rubric();
        let first = r.questions[0].points[0].id.clone();
        let text = format!(
            "id,point,status,marks,comment\namy,nosuch,covered,,\namy,{first},done,,\n,{first},covered,,\nben,{first},covered,,\nben,{first},missing,,\ncid,,covered,,\ndan,{first},missing,1,\neve,{first},covered,99,\n"
        );
        let e = Overrides::parse(&text, "o.csv", &r).expect_err("problems");
        for want in [
            "o.csv:2: no point `nosuch` in the rubric",
            "o.csv:3: status `done`: a point's status is covered, partial, negated or missing",
            "o.csv:4: no id",
            "o.csv:9: marks `99`",
            "o.csv:6: ben",
            "already decided on line 5",
            "o.csv:7: a row without a point is a comment on the whole answer",
            "o.csv:8: marks 1 for a point decided missing",
        ] {
            assert!(e.contains(want), "{want}:\n{e}");
        }
        let e = Overrides::parse("student,point\n", "o.csv", &r).expect_err("no id column");
        assert!(e.starts_with("o.csv:1: no `id` column"), "{e}");
    }

    #[test]
    fn point_scoring_finds_points_across_questions() {
        let r = rubric();
        let mut s = Scoring::of(&r);
        let first_of_second = r.questions[0].points.len();
        let want = s.questions[1].points[0];
        assert_eq!(point_scoring(&mut s, first_of_second).copied(), Some(want));
        let all: usize = r.questions.iter().map(|q| q.points.len()).sum();
        assert!(point_scoring(&mut s, all).is_none());
    }
}
