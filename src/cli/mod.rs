//! The command line: `rubric check`, `rubric lint`, `rubric test`, `rubric eval`, `rubric suggest`,
//! `rubric fit`.
//!
//! [`run`] parses the arguments, runs the command and returns the process exit code:
//! 0 success; 1 the check ran and an answer (or a rubric test) fell short of the bar the user
//! set; 2 usage, input or internal error. A closed pipe (`rubric check ... | head`) ends the
//! run quietly.

pub mod args;
mod check;
mod completions;
mod eval;
mod fit;
mod lint;
mod mark;
mod new;
mod settings;
mod since;
mod suggest;
mod test;
mod values;

use std::io::{self, Write};

use clap::Parser;

pub use args::Cli;

use crate::app::{ERROR, Failure, SUCCESS, finish};

/// Writes to standard output, colours as chosen; a closed pipe is reported as `Err`.
///
/// Without colours, `anstream` strips escape sequences and control characters from what is
/// written, byte by byte through a state machine: for the hundreds of megabytes `check` prints
/// for a large folder that was most of its time. Text with nothing to strip (no control
/// character but white space, and no DEL) is written as it is, which is what stripping would
/// write, as long as everything before it was such text too (the stripper is then between
/// sequences, and a `&str` holds only whole characters).
pub(crate) struct Out {
    stream: anstream::AutoStream<io::Stdout>,
    /// Whether everything written so far had nothing to strip.
    plain: bool,
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
            plain: true,
        }
    }

    pub(crate) fn write(&mut self, s: &str) -> io::Result<()> {
        self.plain &= nothing_to_strip(s);
        if self.plain {
            let mut stdout = io::stdout().lock();
            stdout.write_all(s.as_bytes())?;
            return stdout.flush();
        }
        self.stream.write_all(s.as_bytes())?;
        self.stream.flush()
    }
}

/// Whether `anstream`'s stripping would leave `s` as it is: it removes escape sequences, the
/// control characters but white space, and DEL, and keeps every other character.
fn nothing_to_strip(s: &str) -> bool {
    s.bytes()
        .all(|b| (b >= b' ' && b != 0x7f) || matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r'))
}

/// The error of `check` and `mark` when a folder or a path holds no answer file (exit 2, so a
/// wrong path does not pass in CI).
fn no_answer_files() -> String {
    format!(
        "no answer files found (answers are {} files)",
        crate::text::formats::listed(" or ")
    )
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
        args::Command::New(a) => new::run(a),
        args::Command::Lint(a) => lint::run(a.into()),
        args::Command::Test(a) => test::run(a.into()),
        args::Command::Mark(a) => mark::run(a),
        args::Command::Eval(a) => settings::eval(a).and_then(eval::run),
        args::Command::Suggest(a) => settings::suggest(a).and_then(suggest::run),
        args::Command::Fit(a) => settings::fit(a).and_then(fit::run),
        args::Command::Lsp(a) => crate::lsp::run(a.into()).map_err(Failure::from),
        args::Command::Serve(a) => crate::serve::run(a.into()).map_err(Failure::from),
        args::Command::Completions(a) => completions::completions(a).map_err(Failure::from),
        args::Command::Man(a) => completions::man(a),
    };
    finish(result)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Text written as it is must be exactly what stripping would have written.
    #[test]
    fn text_with_nothing_to_strip_is_what_stripping_leaves() {
        let stripped = |s: &str| anstream::adapter::strip_bytes(s.as_bytes()).into_vec();
        let chars = (0..0x3000)
            .chain([0xfeff, 0x1f600, 0x10ffff])
            .filter_map(char::from_u32);
        for c in chars {
            let s = format!("a{c}b");
            assert_eq!(nothing_to_strip(&s), stripped(&s) == s.as_bytes(), "{:#x}", c as u32);
        }
        assert!(nothing_to_strip("{\"file\":\"a.txt\"}\n\tcafé – “ok” \u{85}\u{9b}\r\n"));
        for s in ["\x1b[1mbold\x1b[0m", "bell\x07", "tab\x0bvertical", "del\x7f"] {
            assert!(!nothing_to_strip(s), "{s:?}");
            assert_ne!(stripped(s), s.as_bytes(), "{s:?}");
        }
    }
}
