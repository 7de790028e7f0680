//! What the applications (`cli`, `serve`, `lsp`) share: the exit codes, an error that carries
//! its exit code, and how an error is printed.
//!
//! A command returns `Result<i32, Failure>`: `Ok` with the code of a run that did its job
//! ([`SUCCESS`], or [`FELL_SHORT`] when an answer fell short of the bar the user set), `Err`
//! when it could not. Errors flow up with `?` and are printed once, by [`finish`].

use std::fmt;
use std::io::{self, Write};

/// Exit code: everything went well.
pub const SUCCESS: i32 = 0;
/// Exit code: the check ran, and something fell short of the bar the user set.
pub const FELL_SHORT: i32 = 1;
/// Exit code: usage, input or internal error.
pub const ERROR: i32 = 2;

/// Why a command could not do its job; [`Failure::code`] is the process's exit code.
#[derive(Debug)]
pub enum Failure {
    /// A usage, input or internal error, to print (exit code [`ERROR`]).
    Error(String),
    /// Standard output could not be written. A closed pipe (`rubric check ... | head`) ends
    /// the run quietly, with [`SUCCESS`].
    Output(io::Error),
}

impl Failure {
    /// An error with this message.
    pub fn new(message: impl fmt::Display) -> Failure {
        Failure::Error(message.to_string())
    }

    /// The process's exit code.
    pub fn code(&self) -> i32 {
        match self {
            Failure::Error(_) => ERROR,
            Failure::Output(e) if e.kind() == io::ErrorKind::BrokenPipe => SUCCESS,
            Failure::Output(_) => ERROR,
        }
    }

    /// Prints the failure on standard error (nothing for one already reported or a closed pipe).
    pub fn print(&self) {
        match self {
            Failure::Error(message) => error(message),
            Failure::Output(e) if e.kind() != io::ErrorKind::BrokenPipe => {
                error(format!("cannot write the report: {e}"))
            }
            Failure::Output(_) => {}
        }
    }
}

impl From<String> for Failure {
    fn from(message: String) -> Failure {
        Failure::Error(message)
    }
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Failure {
        Failure::Output(e)
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Error(message) => f.write_str(message),
            Failure::Output(e) => write!(f, "cannot write the report: {e}"),
        }
    }
}

impl std::error::Error for Failure {}

/// A command's result as an exit code, its failure printed.
pub fn finish(result: Result<i32, Failure>) -> i32 {
    match result {
        Ok(code) => code,
        Err(failure) => {
            failure.print();
            failure.code()
        }
    }
}

/// Prints an error message on standard error. Messages name files and quote rubrics, so they are
/// made [`printable`](crate::report::printable) first.
pub fn error(message: impl fmt::Display) {
    let style = anstyle::AnsiColor::Red.on_default().bold();
    let mut err = anstream::stderr();
    let message = message.to_string();
    let message = crate::report::printable::printable(&message);
    let _ = writeln!(err, "{style}error:{style:#} {message}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_failure_has_its_exit_code() {
        assert_eq!(Failure::new("bad").code(), ERROR);
        assert_eq!(
            Failure::from(io::Error::from(io::ErrorKind::BrokenPipe)).code(),
            SUCCESS
        );
        assert_eq!(Failure::from(io::Error::from(io::ErrorKind::StorageFull)).code(), ERROR);
        assert_eq!(finish(Ok(FELL_SHORT)), FELL_SHORT);
    }

    #[test]
    fn failures_say_what_went_wrong() {
        assert_eq!(Failure::new("no such file").to_string(), "no such file");
        let e = Failure::from(io::Error::other("disk full"));
        assert_eq!(e.to_string(), "cannot write the report: disk full");
    }
}
