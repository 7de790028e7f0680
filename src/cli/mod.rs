//! The command line: `rubric check`, `rubric lint`, `rubric test`, `rubric eval`, `rubric suggest`.
//!
//! [`run`] parses the arguments, runs the command and returns the process exit code:
//! 0 success; 1 the check ran and an answer (or a rubric test) fell short of the bar the user
//! set; 2 usage, input or internal error. A closed pipe (`rubric check ... | head`) ends the
//! run quietly.

pub mod args;
mod check;
mod completions;
mod eval;
mod lint;
mod mark;
mod settings;
mod suggest;
mod test;
mod values;

use std::io::{self, Write};

use clap::Parser;

pub use args::Cli;

use crate::app::{ERROR, Failure, SUCCESS, finish};

/// Writes to standard output, colours as chosen; a closed pipe is reported as `Err`.
pub(crate) struct Out {
    stream: anstream::AutoStream<io::Stdout>,
}

impl Out {
    pub(crate) fn new(color: args::ColorArg) -> Out {
        let choice = match color {
            args::ColorArg::Auto => anstream::ColorChoice::Auto,
            args::ColorArg::Always => anstream::ColorChoice::Always,
            args::ColorArg::Never => anstream::ColorChoice::Never,
        };
        Out {
            stream: anstream::AutoStream::new(io::stdout(), choice),
        }
    }

    pub(crate) fn write(&mut self, s: &str) -> io::Result<()> {
        self.stream.write_all(s.as_bytes())?;
        self.stream.flush()
    }
}

/// Runs the program with the process's arguments and returns its exit code.
pub fn run() -> i32 {
    run_from(std::env::args_os())
}

/// Runs the program with the given arguments (the first is the program name).
pub fn run_from<I, T>(args: I) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { ERROR } else { SUCCESS };
            let _ = e.print();
            return code;
        }
    };
    let result: Result<i32, Failure> = match cli.command {
        args::Command::Check(a) => check::run(a),
        args::Command::Lint(a) => lint::run(a.into()),
        args::Command::Test(a) => test::run(a.into()),
        args::Command::Mark(a) => mark::run(a),
        args::Command::Eval(a) => settings::eval(a).and_then(eval::run),
        args::Command::Suggest(a) => settings::suggest(a).and_then(suggest::run),
        args::Command::Lsp(a) => crate::lsp::run(a.into()).map_err(Failure::from),
        args::Command::Serve(a) => crate::serve::run(a.into()).map_err(Failure::from),
        args::Command::Completions(a) => completions::completions(a).map_err(Failure::from),
        args::Command::Man(a) => completions::man(a),
    };
    finish(result)
}
