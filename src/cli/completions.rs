//! `rubric completions SHELL` and `rubric man [COMMAND]`: shell completion scripts and the man
//! page, generated from the argument definitions so that they never drift from `--help`.

use std::io;

use clap::CommandFactory;

use super::args::{Cli, CompletionsArgs, ManArgs};
use super::{Out, args::ColorArg};
use crate::app::{Failure, SUCCESS};

/// Prints the completion script for one shell.
pub(super) fn completions(args: CompletionsArgs) -> io::Result<i32> {
    let mut cmd = Cli::command();
    let mut buf = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "rubric", &mut buf);
    Out::new(ColorArg::Never).write(&String::from_utf8_lossy(&buf))?;
    Ok(SUCCESS)
}

/// Prints the man page of `rubric`, or of one of its commands (`rubric-check(1)`).
pub(super) fn man(args: ManArgs) -> Result<i32, Failure> {
    let mut cmd = Cli::command();
    cmd.build();
    let page = match args.command.as_deref() {
        None => cmd,
        Some(name) => match cmd.find_subcommand(name) {
            Some(sub) => {
                // clap names are `&'static str` (without its `string` feature); one small string
                // for the life of a one-shot command.
                let full: &'static str = Box::leak(format!("rubric-{}", sub.get_name()).into_boxed_str());
                sub.clone().name(full).bin_name(full)
            }
            None => {
                let names: Vec<&str> = cmd.get_subcommands().map(|c| c.get_name()).collect();
                return Err(Failure::new(format!(
                    "no command `{name}`: expected one of {}",
                    names.join(", ")
                )));
            }
        },
    };
    let mut buf = Vec::new();
    clap_mangen::Man::new(page).render(&mut buf)?;
    Out::new(ColorArg::Never).write(&examples_unfilled(&String::from_utf8_lossy(&buf)))?;
    Ok(SUCCESS)
}

/// The man page with its examples (the indented lines after `Examples:`, from `--help`) kept
/// one per line: roff would run them together into one paragraph.
fn examples_unfilled(roff: &str) -> String {
    let mut out = String::with_capacity(roff.len() + 16);
    let mut open = false;
    for line in roff.lines() {
        if open && !line.starts_with("  ") {
            out.push_str(".fi\n");
            open = false;
        }
        out.push_str(line);
        out.push('\n');
        if line == "Examples:" {
            out.push_str(".nf\n");
            open = true;
        }
    }
    if open {
        out.push_str(".fi\n");
    }
    out
}
