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

use super::args::{EvalArgs, LintArgs, LspArgs, MarksArgs, ServeArgs, SuggestArgs, TestArgs};
use super::eval::Compared;
use super::lint::RubricFile;
use super::{eval, lint, suggest, test};
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
            rubric: RubricFile {
                path: args.rubric,
                limits: args.rubric_limits.limits(),
            },
            deny_warnings: args.deny_warnings,
        }
    }
}

impl From<TestArgs> for test::Settings {
    fn from(args: TestArgs) -> Self {
        test::Settings {
            rubric: RubricFile {
                path: args.rubric,
                limits: args.rubric_limits.limits(),
            },
        }
    }
}

impl TryFrom<EvalArgs> for eval::Settings {
    type Error = Failure;

    fn try_from(args: EvalArgs) -> Result<Self, Failure> {
        Ok(eval::Settings {
            compared: compared(args.rubric, args.marks)?,
            format: args.format,
            options: EvalOptions {
                worst: args.worst,
                min_qwk: args.min_qwk,
            },
        })
    }
}

impl TryFrom<SuggestArgs> for suggest::Settings {
    type Error = Failure;

    fn try_from(args: SuggestArgs) -> Result<Self, Failure> {
        Ok(suggest::Settings {
            compared: compared(args.rubric, args.marks)?,
            format: args.format,
            options: SuggestOptions {
                top: args.top,
                min_count: args.min_count,
            },
        })
    }
}

/// The rubric and the marks file `eval` and `suggest` compare, the `--filter` and
/// `--point-col` values checked.
fn compared(rubric: PathBuf, args: MarksArgs) -> Result<Compared, Failure> {
    let text = match (args.text_col, args.file_col) {
        (Some(c), _) => TextSource::Inline(c),
        (None, Some(c)) => TextSource::File(c),
        (None, None) => TextSource::Default,
    };
    let spec = MarksSpec {
        id_col: args.id_col,
        score_col: args.score_col,
        text,
        filters: args.filters.iter().map(|f| marks::parse_filter(f)).collect::<Result<_, _>>()?,
        point_cols: args
            .point_cols
            .iter()
            .map(|p| marks::parse_point_col(p))
            .collect::<Result<_, _>>()?,
        delimiter: args.delimiter,
        base: args.base,
        allow_outside: args.allow_outside,
    };
    Ok(Compared {
        rubric,
        marks: args.marks,
        spec,
    })
}
