//! `rubric lint`: validate a rubric and warn about cues likely to mislead.

use std::path::PathBuf;

use super::Out;
use crate::app::{FELL_SHORT, Failure, SUCCESS};
use crate::eval::expand::{EXPAND_SHOWN, expansions};
use crate::eval::lint::lint;
use crate::report::printable::{printable, printable_line};
use crate::scheme::{Rubric, RubricLimits};

/// The rubric `lint` and `test` read, and the limits it is held to.
#[derive(Debug)]
pub(super) struct RubricFile {
    pub path: PathBuf,
    pub limits: RubricLimits,
}

impl RubricFile {
    /// The rubric, with its path as shown in `lint`'s and `test`'s lines.
    pub(super) fn load(&self) -> Result<(Rubric, String), Failure> {
        let rubric = Rubric::load_with(&self.path, &self.limits).map_err(Failure::new)?;
        Ok((rubric, printable_line(&self.path.display().to_string()).into_owned()))
    }
}

/// What `rubric lint` does, made from its arguments ([`super::settings`]).
#[derive(Debug)]
pub(super) struct Settings {
    pub rubric: RubricFile,
    /// `--deny-warnings`: a warning makes the exit code 1.
    pub deny_warnings: bool,
    /// `--expand`: print what each cue expands to before the warnings.
    pub expand: bool,
}

pub(super) fn run(settings: Settings) -> Result<i32, Failure> {
    let (rubric, shown) = settings.rubric.load()?;
    let warnings = lint(&rubric);
    let mut out = Out::new(super::args::ColorArg::Auto);
    let mut text = String::new();
    if settings.expand {
        for e in expansions(&rubric) {
            text.push_str(&format!(
                "{shown}:{}: {} {}: \"{}\" = {}\n",
                e.line,
                printable_line(&e.point),
                e.role,
                printable_line(&e.source),
                printable_line(&e.summary(EXPAND_SHOWN)),
            ));
        }
    }
    for w in &warnings {
        text.push_str(&format!("{shown}:{}: warning: {}\n", w.line, printable(&w.message)));
    }
    let points: usize = rubric.questions.iter().map(|q| q.points.len()).sum();
    let wrong: usize = rubric.questions.iter().map(|q| q.misconceptions.len()).sum();
    let wrong = match wrong {
        0 => String::new(),
        1 => ", 1 misconception".to_string(),
        n => format!(", {n} misconceptions"),
    };
    text.push_str(&format!(
        "{shown}: {} question{}, {points} point{}{wrong}, {} example{}, {} distinct cue word{}: {} warning{}\n",
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
    Ok(if settings.deny_warnings && !warnings.is_empty() {
        FELL_SHORT
    } else {
        SUCCESS
    })
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
