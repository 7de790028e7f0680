//! Settings made from the raw arguments ([`super::args`]): the commands' work takes these,
//! never clap's structs, and never a string that still needs parsing.
//!
//! Two stages, as ripgrep's `LowArgs` and `HiArgs`: the values of single options are parsed
//! and checked by clap itself ([`super::values`]); what needs several options or the file
//! system (the rubric to use, the outputs of `mark`) is checked when a command's settings are
//! made.

use std::net::SocketAddr;
use std::time::Duration;

use super::args::{LspArgs, ServeArgs};

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
