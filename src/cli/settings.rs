//! Settings made from the raw arguments ([`super::args`]): the commands' work takes these,
//! never clap's structs, and never a string that still needs parsing.
//!
//! Two stages, as ripgrep's `LowArgs` and `HiArgs`: the values of single options are parsed
//! and checked by clap itself, through the value parsers here (a bad `--min-score` is a usage
//! error like an unknown option, exit code 2); what needs several options or the file system
//! (the rubric to use, the outputs of `mark`) is checked when a command's settings are made.

use std::net::SocketAddr;
use std::time::Duration;

use super::args::{LspArgs, ServeArgs};
use crate::project::Threshold;

/// `--min-score`: the bar, and the text the user wrote (reports and `--print-config` show it).
#[derive(Debug, Clone, PartialEq)]
pub struct MinScore {
    pub threshold: Threshold,
    pub text: String,
}

/// Parses `--min-score` (clap value parser).
pub fn min_score(s: &str) -> Result<MinScore, String> {
    let threshold = Threshold::parse(s)?;
    Ok(MinScore {
        threshold,
        text: s.to_string(),
    })
}

/// Parses `--similarity` (clap value parser): above 0, at most 1.
pub fn similarity(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(v) if v > 0.0 && v <= 1.0 => Ok(v),
        _ => {
            Err("expected a number above 0 and at most 1 (0.8 flags answers sharing 80% of their wording)".to_string())
        }
    }
}

/// Parses `--threads` (clap value parser): a whole number, at least 1.
pub fn threads(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(0) => Err("must be at least 1 (leave it out to use every core)".to_string()),
        Ok(n) => Ok(n),
        Err(e) => Err(e.to_string()),
    }
}

/// Parses `--delimiter` (clap value parser): one ASCII character, or a name such as `tab`.
pub fn delimiter(s: &str) -> Result<u8, String> {
    crate::eval::marks::parse_delimiter(s)
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_checked_as_they_are_parsed() {
        let m = min_score(" 60% ").unwrap();
        assert_eq!(m.threshold, Threshold::Fraction(0.6));
        assert_eq!(m.text, " 60% ");
        assert!(min_score("lots").unwrap_err().starts_with("expected a fraction"));
        assert_eq!(similarity("0.8"), Ok(0.8));
        assert_eq!(similarity(" 1 "), Ok(1.0));
        for bad in ["0", "1.5", "-0.1", "NaN", "x"] {
            assert!(similarity(bad).is_err(), "{bad}");
        }
        assert_eq!(threads("4"), Ok(4));
        assert_eq!(
            threads("0").unwrap_err(),
            "must be at least 1 (leave it out to use every core)"
        );
        assert!(threads("-1").is_err());
        assert_eq!(delimiter("tab"), Ok(b'\t'));
        assert!(delimiter("ab").is_err());
    }
}
