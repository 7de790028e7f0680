//! Running a rubric's examples: each names the points it must cover, leave partial, report
//! negated or miss, and optionally its score.

use crate::check::check;
use crate::matcher::{Detail, Status};
use crate::scheme::{Example, ExampleSource, Rubric};
use crate::text::read::{Encoding, Format, Limits, Source, read_path};

/// The answer of an example: its text, or its file read.
pub fn example_source(ex: &Example) -> Result<Source, String> {
    match &ex.source {
        ExampleSource::Text(t) => Ok(Source {
            name: "example".into(),
            text: t.clone(),
            format: Format::Text,
            encoding: Encoding::Utf8,
        }),
        ExampleSource::File(path) => {
            read_path(path, &Limits::default()).map_err(|e| format!("cannot read the example's answer: {e}"))
        }
    }
}

/// Checks one example; returns a description of each way it fails (empty when it passes).
pub fn run_example(rubric: &Rubric, ex: &Example) -> Vec<String> {
    let source = match example_source(ex) {
        Ok(src) => src,
        Err(e) => return vec![e],
    };
    let a = check(rubric, source, Detail::Explain).assessment;
    let mut problems = Vec::new();
    let expectations = [
        (&ex.covers, Some(Status::Covered), "covered"),
        (&ex.partial, Some(Status::Partial), "partial"),
        (&ex.negated, Some(Status::Negated), "negated"),
        (&ex.misses, None, "not covered"),
    ];
    for (ids, want, word) in expectations {
        for id in ids {
            // A misconception is `covered` when found.
            let Some(p) = a.points().chain(a.misconceptions()).find(|p| &p.point.id == id) else {
                continue;
            };
            let got = p.finding.status;
            let ok = match want {
                Some(w) => got == w,
                None => got != Status::Covered,
            };
            if ok {
                continue;
            }
            let mut why = String::new();
            for ev in &p.finding.evidence {
                why.push_str(&format!(
                    "\n  evidence {}:{} \"{}\" (cue \"{}\")",
                    ev.line, ev.column, ev.quote, ev.cue
                ));
            }
            for t in &p.finding.trace {
                why.push_str(&format!("\n  {} \"{}\": {} - {}", t.role, t.cue, t.result, t.detail));
                for n in &t.near_misses {
                    why.push_str(&format!(
                        "\n    nearest to \"{}\": \"{}\", not counted: {}",
                        n.cue_word, n.found, n.why
                    ));
                }
            }
            problems.push(format!("point `{id}` should be {word} but is {}{why}", got.as_str()));
        }
    }
    if let Some(want) = ex.score
        && (a.score - want).abs() > 1e-6
    {
        problems.push(format!("score should be {want} but is {}", a.score));
    }
    problems
}
