//! `rubric lint`: validate a rubric and warn about cues likely to mislead.

use std::path::Path;

use super::Out;
use super::args::{LintArgs, RubricLimitArgs};
use crate::app::{FELL_SHORT, Failure, SUCCESS};
use crate::eval::lint::lint;
use crate::report::printable::{printable, printable_line};
use crate::scheme::Rubric;

/// The rubric `lint` and `test` read, with its path as shown in their lines.
pub(super) fn load(path: &Path, limits: &RubricLimitArgs) -> Result<(Rubric, String), Failure> {
    let rubric = Rubric::load_with(path, &limits.limits()).map_err(Failure::new)?;
    Ok((rubric, printable_line(&path.display().to_string()).into_owned()))
}

pub(super) fn run(args: LintArgs) -> Result<i32, Failure> {
    let (rubric, shown) = load(&args.rubric, &args.rubric_limits)?;
    let warnings = lint(&rubric);
    let mut out = Out::new(super::args::ColorArg::Auto);
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
