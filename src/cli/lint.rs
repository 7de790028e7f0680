//! `rubric lint`: validate a rubric and warn about cues likely to mislead.

use std::io;

use super::Out;
use super::args::LintArgs;
use crate::app::{ERROR, FELL_SHORT, SUCCESS, error};
use crate::eval::lint::lint;
use crate::report::printable::{printable, printable_line};
use crate::scheme::Rubric;

pub(super) fn run(args: LintArgs) -> io::Result<i32> {
    let rubric = match Rubric::load_with(&args.rubric, &args.rubric_limits.limits()) {
        Ok(r) => r,
        Err(e) => {
            error(e);
            return Ok(ERROR);
        }
    };
    let warnings = lint(&rubric);
    let mut out = Out::new(super::args::ColorArg::Auto);
    let shown = args.rubric.display().to_string();
    let shown = printable_line(&shown);
    let mut text = String::new();
    for w in &warnings {
        text.push_str(&format!("{shown}:{}: warning: {}\n", w.line, printable(&w.message)));
    }
    let points: usize = rubric.questions.iter().map(|q| q.points.len()).sum();
    text.push_str(&format!(
        "{shown}: {} question{}, {points} point{}, {} example{}, {} distinct cue word{}: {} warning{}\n",
        rubric.questions.len(),
        plural(rubric.questions.len()),
        plural(points),
        rubric.examples.len(),
        plural(rubric.examples.len()),
        rubric.lexicon.len(),
        plural(rubric.lexicon.len()),
        warnings.len(),
        plural(warnings.len()),
    ));
    out.write(&text)?;
    Ok(if args.deny_warnings && !warnings.is_empty() {
        FELL_SHORT
    } else {
        SUCCESS
    })
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
