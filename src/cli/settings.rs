//! Settings made from the raw arguments ([`super::args`]): the commands' work takes these,
//! never clap's structs, and never a string that still needs parsing.
//!
//! Two stages, as ripgrep's `LowArgs` and `HiArgs`: the values of single options are parsed
//! and checked by clap itself ([`super::values`]); what needs several options or the file
//! system (the rubric to use, the outputs of `mark`) is checked when a command's settings are
//! made. A setting that cannot be made is an error (exit code 2) before anything is read.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use super::args::{
    EvalArgs, FitArgs, FormatArg, LintArgs, LspArgs, MarksArgs, RubricLimitArgs, ServeArgs, SuggestArgs, TestArgs,
};
use super::eval;
use super::lint::{self, RubricFile};
use crate::app::Failure;
use crate::eval::EvalOptions;
use crate::eval::marks::{self, MarksSpec, TextSource};
use crate::eval::suggest::SuggestOptions;

impl From<ServeArgs> for crate::serve::Settings {
    fn from(args: ServeArgs) -> Self {
        crate::serve::Settings {
            rubrics: args.rubrics,
            addr: SocketAddr::new(args.bind, args.port),
            open: args.open,
            max_answer_bytes: args.max_answer_bytes,
            idle_timeout: Duration::from_secs(args.idle_timeout),
            max_connections: args.max_connections.map(|n| usize::try_from(n).unwrap_or(usize::MAX)),
        }
    }
}

impl From<LspArgs> for crate::lsp::Settings {
    fn from(args: LspArgs) -> Self {
        // `--stdio` is accepted for editors that pass it: standard input and output are the
        // only transport.
        crate::lsp::Settings {
            rubric: args.rubric,
            max_answer_bytes: args.max_answer_bytes,
        }
    }
}

impl From<LintArgs> for lint::Settings {
    fn from(args: LintArgs) -> Self {
        lint::Settings {
            rubric: rubric_file(args.rubric, &args.rubric_limits),
            deny_warnings: args.deny_warnings,
            expand: args.expand,
        }
    }
}

/// `test` takes the rubric file alone.
impl From<TestArgs> for RubricFile {
    fn from(args: TestArgs) -> Self {
        rubric_file(args.rubric, &args.rubric_limits)
    }
}

fn rubric_file(path: PathBuf, limits: &RubricLimitArgs) -> RubricFile {
    RubricFile {
        path,
        limits: limits.limits(),
    }
}

/// `eval`'s settings.
pub(super) fn eval(args: EvalArgs) -> Result<eval::Settings<eval::EvalRun>, Failure> {
    let options = EvalOptions {
        worst: args.worst.unwrap_or(if args.cell.is_some() { usize::MAX } else { 10 }),
        min_qwk: args.min_qwk,
        cell: args.cell,
    };
    let run = eval::EvalRun {
        options,
        overrides: args.overrides,
    };
    compared(args.marks, args.format, run)
}

/// `suggest`'s settings.
pub(super) fn suggest(args: SuggestArgs) -> Result<eval::Settings<SuggestOptions>, Failure> {
    let options = SuggestOptions {
        top: args.top,
        min_count: args.min_count,
        levels: args.levels,
    };
    compared(args.marks, args.format, options)
}

/// `fit`'s settings.
pub(super) fn fit(args: FitArgs) -> Result<eval::Settings<super::fit::Options>, Failure> {
    let options = super::fit::Options {
        fit: crate::eval::fit::FitOptions {
            step: args.step,
            folds: usize::try_from(args.folds).unwrap_or(usize::MAX),
        },
        write: args.write,
    };
    compared(args.marks, args.format, options)
}

/// The settings of `eval` and `suggest`: the rubric and the marks file they compare, with the
/// `--filter` and `--point-col` values checked.
fn compared<O>(args: MarksArgs, format: FormatArg, options: O) -> Result<eval::Settings<O>, Failure> {
    let rubric = args.rubric.clone();
    let text = match (args.text_col, args.file_col) {
        (Some(c), _) => TextSource::Inline(c),
        (None, Some(c)) => TextSource::File(c),
        (None, None) => TextSource::Default,
    };
    let spec = MarksSpec {
        id_col: args.id_col,
        score_col: args.score_col,
        text,
        filters: args
            .filters
            .iter()
            .map(|f| marks::parse_filter(f))
            .collect::<Result<_, _>>()?,
        point_cols: args
            .point_cols
            .iter()
            .map(|p| marks::parse_point_col(p))
            .collect::<Result<_, _>>()?,
        delimiter: args.delimiter,
        base: args.base,
        allow_outside: args.allow_outside,
    };
    Ok(eval::Settings {
        rubric,
        marks: args.marks,
        spec,
        format,
        options,
    })
}
