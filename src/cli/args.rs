//! Raw command-line arguments, as clap parses them. [`super::config`] turns them into checked
//! settings the commands use.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "rubric",
    version,
    about = "Feedback on written answers: finds each key point of a rubric, even misspelt or paraphrased",
    after_help = "Exit codes: 0 success; 1 an answer (or a rubric test) fell short of the bar you set; 2 usage, input or internal error."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check one or more answers against a rubric and report what is covered, partial or missing.
    Check(CheckArgs),
    /// Validate a rubric and warn about cues likely to mislead.
    Lint(LintArgs),
    /// Run the examples written into a rubric and report any that fail.
    Test(TestArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// A report for people.
    Human,
    /// One JSON object per answer (JSON Lines); see docs/json-schema.md.
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The rubric file. Default: the nearest `rubric.toml` in the answer's folder or above.
    #[arg(long, short = 'r', value_name = "FILE")]
    pub rubric: Option<PathBuf>,
    /// Answer files (.txt, .md); `-` reads standard input. Default: standard input when piped.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = FormatArg::Human)]
    pub format: FormatArg,
    /// Show the model statement of each point not covered (if the rubric allows it).
    #[arg(long)]
    pub reveal: bool,
    /// Explain every decision: the cues tried for each point and the nearest misses.
    #[arg(long)]
    pub explain: bool,
    /// Exit with code 1 when an answer scores below this: a fraction (0.6), a percentage
    /// (60%) or marks (6). Values of 1 or more are marks.
    #[arg(long, value_name = "X")]
    pub min_score: Option<String>,
    /// When to colour the human report.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,
    /// Largest answer accepted, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 16 * 1024 * 1024)]
    pub max_answer_bytes: u64,
}

#[derive(Debug, clap::Args)]
pub struct LintArgs {
    /// The rubric file to validate.
    #[arg(value_name = "FILE")]
    pub rubric: PathBuf,
    /// Exit with code 1 when there are warnings.
    #[arg(long)]
    pub deny_warnings: bool,
}

#[derive(Debug, clap::Args)]
pub struct TestArgs {
    /// The rubric whose examples to run.
    #[arg(value_name = "FILE")]
    pub rubric: PathBuf,
}
