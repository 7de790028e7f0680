//! `rubric check`: one report per answer.

use std::collections::HashMap;
use std::io::{self, IsTerminal};
use std::path::{Path, PathBuf};

use super::Out;
use super::args::{CheckArgs, CheckFormat};
use crate::app::{ERROR, FELL_SHORT, SUCCESS, error};
use crate::check::{Checked, check};
use crate::matcher::Detail;
use crate::project::{Threshold, discover_rubric};
use crate::report::{self, Options};
use crate::scheme::Rubric;
use crate::text::read::{self, Format, Limits, Source};

pub(super) fn run(args: CheckArgs) -> io::Result<i32> {
    // Folders, the project config, --watch, --print-config and the CI formats (docs/ci.md).
    if super::workflow::takes_over(&args) {
        return super::workflow::run(args);
    }
    let threshold = match args.min_score.as_deref().map(Threshold::parse).transpose() {
        Ok(t) => t,
        Err(e) => {
            error(e);
            return Ok(ERROR);
        }
    };
    let mut paths = args.paths.clone();
    if paths.is_empty() {
        if io::stdin().is_terminal() {
            error(
                "no answer given: name an answer file, or `-` to read standard input\n\n  rubric check --rubric rubrics/stalin-rise.toml samples/stalin/strong.txt",
            );
            return Ok(ERROR);
        }
        paths.push(PathBuf::from("-"));
    }
    let limits = Limits {
        max_bytes: args.max_answer_bytes,
        max_unzipped_bytes: args.max_unzipped_bytes,
        ..Limits::default()
    };
    let opts = Options {
        reveal: args.reveal,
        explain: args.explain,
    };
    let mut out = Out::new(args.color);
    let mut rubrics: HashMap<PathBuf, Option<Rubric>> = HashMap::new();
    let mut failed = false;
    let mut short = false;
    let mut first = true;
    for path in &paths {
        let stdin = path.as_os_str() == "-";
        // A missing answer is reported as such, whether or not a rubric could be found for it.
        if !stdin && !path.exists() {
            error(format!("{}: no such file", path.display()));
            failed = true;
            continue;
        }
        // Which rubric: the one given, or the nearest rubric.toml.
        let rubric_path = match &args.rubric {
            Some(r) => r.clone(),
            None => {
                let start = if stdin {
                    Path::new(".")
                } else {
                    path.parent().unwrap_or(Path::new("."))
                };
                match discover_rubric(start) {
                    Some(p) => p,
                    None => {
                        error(format!(
                            "{}: no rubric given and no rubric.toml found in its folder or above; use --rubric FILE",
                            if stdin {
                                "<stdin>".to_string()
                            } else {
                                path.display().to_string()
                            }
                        ));
                        failed = true;
                        continue;
                    }
                }
            }
        };
        let rubric = rubrics.entry(rubric_path.clone()).or_insert_with(|| {
            match Rubric::load_with(&rubric_path, &args.rubric_limits.limits()) {
                Ok(r) => Some(r),
                Err(e) => {
                    error(e);
                    None
                }
            }
        });
        let Some(rubric) = rubric.as_ref() else {
            failed = true;
            continue;
        };
        let source = if stdin {
            read::read_reader(io::stdin().lock(), "<stdin>", Format::Markdown, &limits)
        } else {
            read::read_path(path, &limits)
        };
        let source: Source = match source {
            Ok(s) => s,
            Err(e) => {
                error(e);
                failed = true;
                continue;
            }
        };
        let name = source.name.clone();
        let Checked { doc, assessment } = check(rubric, source, Detail::from_explain(opts.explain));
        if let Some(t) = threshold
            && !t.met(assessment.score, assessment.max)
        {
            short = true;
        }
        match args.format {
            CheckFormat::Json => {
                let mut line = report::json::render(&name, rubric, &assessment, opts);
                line.push('\n');
                out.write(&line)?;
            }
            // The other formats are rendered by `workflow`, which takes them over.
            _ => {
                if !first {
                    out.write("\n")?;
                }
                out.write(&report::human::render(&name, rubric, &doc, &assessment, opts))?;
            }
        }
        first = false;
    }
    Ok(if failed {
        ERROR
    } else if short {
        FELL_SHORT
    } else {
        SUCCESS
    })
}
