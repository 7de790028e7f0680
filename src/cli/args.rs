//! Raw command-line arguments, as clap parses them. [`super::config`] turns them into checked
//! settings the commands use.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// Shown under every command's help.
pub const EXIT_CODES: &str = "Exit codes: 0 success; 1 an answer (or a rubric test) fell short of the bar you set; 2 usage, input or internal error.";

#[derive(Debug, Parser)]
#[command(
    name = "rubric",
    version,
    about = "Feedback on written answers: finds each key point of a rubric, even misspelt or paraphrased",
    after_help = EXIT_CODES
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check one or more answers against a rubric and report what is covered, partial or missing.
    #[command(after_help = EXIT_CODES)]
    Check(CheckArgs),
    /// Validate a rubric and warn about cues likely to mislead.
    #[command(after_help = EXIT_CODES)]
    Lint(LintArgs),
    /// Run the examples written into a rubric and report any that fail.
    #[command(after_help = EXIT_CODES)]
    Test(TestArgs),
    /// Mark every answer in some folders at once: a class summary, and marks sheet, reports
    /// and feedback files as asked.
    #[command(after_help = EXIT_CODES)]
    Mark(MarkArgs),
    /// Compare the rubric's scores with human marks (a CSV or TSV): QWK, agreement, the worst disagreements explained.
    #[command(after_help = EXIT_CODES)]
    Eval(EvalArgs),
    /// Propose cues the rubric is missing, from human-marked answers (prints; never edits the rubric).
    #[command(after_help = EXIT_CODES)]
    Suggest(SuggestArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// A report for people.
    Human,
    /// JSON for machines: `check` prints one object per answer (JSON Lines, docs/json-schema.md),
    /// `eval` and `suggest` one object (docs/eval.md).
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
pub struct MarkArgs {
    /// The rubric file. Default: the nearest `rubric.toml` in the first PATH (or its folder) or
    /// above.
    #[arg(long, short = 'r', value_name = "FILE")]
    pub rubric: Option<PathBuf>,
    /// Folders (walked recursively) and answer files (.txt, .md, .markdown, .docx, .odt, .html,
    /// .htm).
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
    /// Write the marks sheet: one row per answer, one column per point.
    #[arg(long, value_name = "FILE")]
    pub csv: Option<PathBuf>,
    /// Start the CSV with a byte order mark, so that Excel reads it as UTF-8.
    #[arg(long)]
    pub csv_bom: bool,
    /// Write every answer's report as JSON Lines (as `check --format json`), then the summary.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// Write the class report: one self-contained web page, printable.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// Write one Markdown feedback file per student (`<id>.md`) into this folder.
    #[arg(long, value_name = "DIR")]
    pub feedback_dir: Option<PathBuf>,
    /// Format of the summary printed on standard output.
    #[arg(long, short = 'f', value_enum, default_value_t = FormatArg::Human)]
    pub format: FormatArg,
    /// How to find the student id in the path relative to the PATH given: a regular expression
    /// with a group named `id`, e.g. `^(?P<id>[^_]+)_`. Default: the file name without its
    /// extension, or the folder's name for one-answer student folders.
    #[arg(long, value_name = "REGEX")]
    pub id_pattern: Option<String>,
    /// Worker threads. Default: one per core.
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Report pairs of answers whose wording overlaps at least this much (Jaccard similarity of
    /// three-word sequences, 0 to 1).
    #[arg(long, value_name = "X", default_value = "0.8")]
    pub similarity: String,
    /// Exit with code 1 when an answer scores below this: a fraction (0.6), a percentage
    /// (60%) or marks (6).
    #[arg(long, value_name = "X")]
    pub min_score: Option<String>,
    /// No progress bar and no warnings on standard error (the summary still lists them).
    #[arg(long, short = 'q')]
    pub quiet: bool,
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

/// The marks file and its columns, shared by `eval` and `suggest`.
#[derive(Debug, clap::Args)]
pub struct MarksArgs {
    /// The marks file: a CSV or TSV with a header row, one marked answer per row.
    #[arg(value_name = "MARKS")]
    pub marks: PathBuf,
    /// Field delimiter: one character (`,` `;` `|`) or `tab`. Default: from the extension
    /// (`.tsv` tab, `.csv` comma), else guessed from the header line.
    #[arg(long, value_name = "CHAR")]
    pub delimiter: Option<String>,
    /// Column of the answer id (header name; case is ignored when no column has the exact name).
    #[arg(long, value_name = "COLUMN", default_value = "id")]
    pub id_col: String,
    /// Column of the human score (a whole number).
    #[arg(long, value_name = "COLUMN", default_value = "score")]
    pub score_col: String,
    /// Column holding the answer text. Default: a column `text`, else `--file-col file`.
    #[arg(long, value_name = "COLUMN", conflicts_with = "file_col")]
    pub text_col: Option<String>,
    /// Column holding the path of each answer file, relative to the marks file.
    #[arg(long, value_name = "COLUMN")]
    pub file_col: Option<String>,
    /// Keep only the rows where COLUMN equals VALUE (repeatable; all must hold).
    #[arg(long = "filter", value_name = "COLUMN=VALUE")]
    pub filters: Vec<String>,
    /// A column of human labels for one point: 1/0, yes/no, true/false (repeatable).
    #[arg(long = "point-col", value_name = "POINT_ID=COLUMN")]
    pub point_cols: Vec<String>,
}

#[derive(Debug, clap::Args)]
pub struct EvalArgs {
    /// The rubric file.
    #[arg(long, short = 'r', value_name = "FILE")]
    pub rubric: PathBuf,
    #[command(flatten)]
    pub marks: MarksArgs,
    /// Output format: a report for people, or one JSON object (`rubric-eval/1`, docs/eval.md).
    #[arg(long, short = 'f', value_enum, default_value_t = FormatArg::Human)]
    pub format: FormatArg,
    /// How many of the worst disagreements to explain.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub worst: usize,
    /// Exit with code 1 when the quadratic weighted kappa is below X (or undefined).
    #[arg(long, value_name = "X", allow_negative_numbers = true)]
    pub min_qwk: Option<f64>,
}

#[derive(Debug, clap::Args)]
pub struct SuggestArgs {
    /// The rubric file.
    #[arg(long, short = 'r', value_name = "FILE")]
    pub rubric: PathBuf,
    #[command(flatten)]
    pub marks: MarksArgs,
    /// Output format: a ranked table for people, or one JSON object (`rubric-suggest/1`).
    #[arg(long, short = 'f', value_enum, default_value_t = FormatArg::Human)]
    pub format: FormatArg,
    /// How many suggestions of each kind to show.
    #[arg(long, value_name = "N", default_value_t = 25)]
    pub top: usize,
    /// Fewest high-scored answers a word or phrase must appear in (and fewest answers for a
    /// spelling variant).
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub min_count: u32,
}
