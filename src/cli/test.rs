//! `rubric test`: run the examples written into a rubric, like unit tests.

use super::Out;
use super::lint::RubricFile;
use crate::app::{FELL_SHORT, Failure, SUCCESS};
use crate::eval::examples::run_example;
use crate::report::printable::{printable, printable_line};

/// Runs the examples of the rubric file `test` takes (its settings, [`super::settings`]).
pub(super) fn run(rubric: RubricFile) -> Result<i32, Failure> {
    let (rubric, shown) = rubric.load()?;
    let mut out = Out::new(super::args::ColorArg::Auto);
    if rubric.examples.is_empty() {
        out.write(&format!("{shown}: no [[example]] to run\n"))?;
        return Ok(SUCCESS);
    }
    let green = anstyle::AnsiColor::Green.on_default().bold();
    let red = anstyle::AnsiColor::Red.on_default().bold();
    let mut failures = 0;
    for ex in &rubric.examples {
        let problems = run_example(&rubric, ex);
        if problems.is_empty() {
            out.write(&format!("{green}ok{green:#}   {}\n", printable_line(&ex.name)))?;
        } else {
            failures += 1;
            let mut s = format!("{red}FAIL{red:#} {} ({shown}:{})\n", printable_line(&ex.name), ex.line);
            for p in problems {
                s.push_str(&format!("     {}\n", printable(&p).replace('\n', "\n     ")));
            }
            out.write(&s)?;
        }
    }
    let total = rubric.examples.len();
    out.write(&format!(
        "\n{} example{}: {} passed, {failures} failed\n",
        total,
        if total == 1 { "" } else { "s" },
        total - failures
    ))?;
    Ok(if failures > 0 { FELL_SHORT } else { SUCCESS })
}
