//! Raw command-line arguments, as clap parses them. [`super::settings`] turns them into checked
//! settings the commands use.

use std::path::PathBuf;

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{Parser, Subcommand, ValueEnum};

use crate::report::Format;
use crate::report::feedback::FeedbackFormat;
use crate::text::read::Limits;

/// Shown under every command's help.
macro_rules! exit_codes {
    () => {
        "Exit codes: 0 success; 1 an answer (or a rubric test) fell short of the bar you set; 2 usage, input or internal error."
    };
}

/// A command's examples, then the exit codes, for `--help` and the man page.
macro_rules! examples {
    ($($line:literal),+ $(,)?) => {
        concat!("Examples:\n", $("  ", $line, "\n",)+ "\n", exit_codes!())
    };
}

#[derive(Debug, Parser)]
#[command(
    name = "rubric",
    version,
    about = "Feedback on written answers: finds each key point of a rubric, even misspelt or paraphrased",
    after_help = examples!(
        "rubric check -r rubrics/stalin-rise.toml samples/stalin/weak.txt     # one answer",
        "rubric mark -r rubrics/stalin-rise.toml answers/ --csv marks.csv     # a class",
        "rubric serve --rubrics rubrics/                                      # a web page",
        "rubric lint rubrics/stalin-rise.toml && rubric test rubrics/stalin-rise.toml"
    )
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check one or more answers against a rubric and report what is covered, partial or missing.
    #[command(after_help = examples!("rubric check -r rubrics/stalin-rise.toml samples/stalin/weak.txt", "rubric check -r rubrics/stalin-rise.toml --format json draft1.md > draft1.json", "rubric check -r rubrics/stalin-rise.toml --since draft1.json draft2.md   # what changed", "rubric check -r rubrics/stalin-rise.toml --min-score 60% --format github answers/", "rubric check --watch -r rubrics/stalin-rise.toml draft.md"))]
    Check(CheckArgs),
    /// Draft a rubric from a worksheet or mark scheme (.txt, .md, .docx, .odt): questions, key
    /// points, marks and cues to finish by hand.
    #[command(after_help = examples!("rubric new --from mark-scheme.docx -o rubric.toml", "rubric new --from worksheet.txt > rubric.toml"))]
    New(NewArgs),
    /// Validate a rubric and warn about cues likely to mislead.
    #[command(after_help = examples!("rubric lint rubrics/stalin-rise.toml", "rubric lint --deny-warnings rubrics/*.toml"))]
    Lint(LintArgs),
    /// Run the examples written into a rubric and report any that fail.
    #[command(after_help = examples!("rubric test rubrics/stalin-rise.toml"))]
    Test(TestArgs),
    /// Mark every answer in some folders at once: a class summary, and marks sheet, reports
    /// and feedback files as asked.
    #[command(after_help = examples!("rubric mark -r rubrics/stalin-rise.toml answers/ --csv marks.csv", "rubric mark -r rubrics/stalin-rise.toml answers/ --html class.html --feedback-dir feedback/"))]
    Mark(MarkArgs),
    /// Compare the rubric's scores with human marks (a CSV or TSV): QWK, agreement, the worst disagreements explained.
    #[command(after_help = examples!("rubric eval --rubric rubrics/stalin-rise.toml marks.csv", "rubric eval --rubric rubrics/stalin-rise.toml --worst 5 marks.csv"))]
    Eval(EvalArgs),
    /// Propose cues the rubric is missing, from human-marked answers (prints; never edits the rubric).
    #[command(after_help = examples!("rubric suggest --rubric rubrics/stalin-rise.toml marks.csv"))]
    Suggest(SuggestArgs),
    /// Fit the rubric's scoring (point marks, caps, bands) to human marks, cross-validated;
    /// `--write OUT` writes the rubric with only those numbers changed.
    #[command(after_help = examples!("rubric fit --rubric rubrics/stalin-rise.toml marks.csv                    # what would change", "rubric fit --rubric rubrics/stalin-rise.toml --step 0.5 --write fitted.toml marks.csv   # half marks", "rubric fit --rubric r.toml --write r.toml --folds 10 marks.csv             # replace r.toml"))]
    Fit(FitArgs),
    /// Language server over standard input and output: diagnostics for missing and partial points
    /// while an answer is edited, and what each piece of evidence supports on hover.
    ///
    /// An editor starts it: tell yours to run `rubric lsp` for Markdown and text files. Each
    /// document's rubric is --rubric, else its map in the project config
    /// (`.rubric/config.toml`), else the nearest `rubric.toml`.
    #[command(after_help = examples!(
        "rubric lsp                                    # as an editor runs it",
        "rubric lsp --rubric rubrics/stalin-rise.toml  # one rubric for every document"
    ))]
    Lsp(LspArgs),
    /// A local web page that gives feedback while a student writes: open the address it prints
    /// in a browser, choose the assignment, and type or drop an answer file.
    ///
    /// The first line printed is `Listening on URL`; Ctrl-C stops the server. The page checks
    /// the answer as the student types (or a dropped .docx, .odt or .pdf file) and highlights the
    /// words that show each point; the draft stays in the browser, and answers are never
    /// written to disk or logged. A rubric is known by its path under --rubrics without `.toml`
    /// (`stalin-rise`, `set/one`), and is read again when its file changes.
    ///
    /// Only this computer can connect (127.0.0.1) unless --bind names another address: for a
    /// classroom network, `--bind 0.0.0.0`, and students open http://THIS-COMPUTER:PORT (a
    /// warning says the page is shared).
    ///
    /// Programs can ask what the page asks: `GET /api/rubrics` lists the rubrics, and `POST
    /// /api/check` with `{"rubric": ID, "text": ANSWER}` returns the feedback as JSON.
    #[command(after_help = examples!(
        "rubric serve --rubrics rubrics/ --open          # this computer only",
        "rubric serve --rubrics rubrics/ --port 0        # any free port",
        "rubric serve --rubrics rubrics/ --bind 0.0.0.0  # a classroom network"
    ))]
    Serve(ServeArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish) on standard output.
    #[command(after_help = examples!(
        "rubric completions bash > ~/.local/share/bash-completion/completions/rubric",
        "rubric completions zsh > ~/.zfunc/_rubric",
        "rubric completions fish > ~/.config/fish/completions/rubric.fish"
    ))]
    Completions(CompletionsArgs),
    /// Print the man page (roff) on standard output: `rubric man | man -l -`.
    #[command(after_help = examples!(
        "rubric man | man -l -",
        "rubric man check | man -l -                   # one command: rubric-check(1)",
        "rubric man > ~/.local/share/man/man1/rubric.1"
    ))]
    Man(ManArgs),
}

/// A `--format` value: its name, the format, and what `check` and `mark` print in it (their
/// --help text, without the final period as clap shows help).
struct FormatValue {
    name: &'static str,
    format: Format,
    check: &'static str,
    mark: &'static str,
}

/// The `--format` values of `check` and `mark`, in the order --help lists them. `check` prints
/// the reports for people and programs, and those for CI and editors (docs/ci.md); `mark` the
/// class summary, or every answer's report in a format for CI.
const FORMATS: [FormatValue; 6] = [
    FormatValue {
        name: "human",
        format: Format::Human,
        check: "A report for people",
        mark: "The class summary, for people",
    },
    FormatValue {
        name: "json",
        format: Format::Json,
        check: "One JSON object per answer (JSON Lines; its `schema` field names the format, rubric-check/1)",
        mark: "The class summary as JSON (`rubric-mark-summary/1`)",
    },
    FormatValue {
        name: "github",
        format: Format::Github,
        check: "GitHub Actions workflow commands: annotations on the answers of a pull request",
        mark: "GitHub Actions workflow commands for every answer (instead of the summary)",
    },
    FormatValue {
        name: "junit",
        format: Format::Junit,
        check: "JUnit XML: one test suite per answer, one test case per key point",
        mark: "JUnit XML: one test suite per answer, one test case per key point",
    },
    FormatValue {
        name: "sarif",
        format: Format::Sarif,
        check: "SARIF 2.1.0, for code scanning and SARIF viewers",
        mark: "SARIF 2.1.0 for every answer",
    },
    FormatValue {
        name: "line",
        format: Format::Line,
        check: "`file:line:col: status point: message`, one line per point, for grep and editors",
        mark: "`file:line:col: status point: message`, one line per point",
    },
];

/// The clap value parser of a command's `--format`: the values of [`FORMATS`], each with the
/// help `help` picks for the command, parsed into the one list of formats ([`Format`]).
fn formats(help: fn(&FormatValue) -> &'static str) -> impl TypedValueParser<Value = Format> {
    let shown = FORMATS.iter().map(move |v| PossibleValue::new(v.name).help(help(v)));
    PossibleValuesParser::new(shown).try_map(|name| {
        let format = FORMATS.iter().find(|v| v.name == name).map(|v| v.format);
        format.ok_or("not an output format")
    })
}

/// The `--feedback-format` values.
fn feedback_formats() -> impl TypedValueParser<Value = FeedbackFormat> {
    PossibleValuesParser::new(FeedbackFormat::ALL.map(FeedbackFormat::name))
        .try_map(|name| FeedbackFormat::from_name(&name).ok_or("not a feedback format"))
}

#[derive(Debug, clap::Args)]
pub struct LspArgs {
    /// The rubric for every document. Default: the project config (`.rubric/config.toml`)
    /// mapping, else the nearest `rubric.toml`, of each document's folder.
    #[arg(long, short = 'r', value_name = "FILE")]
    pub rubric: Option<PathBuf>,
    /// Accepted for editors that pass it; standard input and output are always used.
    #[arg(long, hide = true)]
    pub stdio: bool,
    /// Largest document checked, in bytes: a longer one gets a diagnostic saying it is too
    /// large.
    #[arg(long, value_name = "BYTES", default_value_t = 16 * 1024 * 1024)]
    pub max_answer_bytes: u64,
}

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Folder of rubric files (`*.toml`, searched recursively), or one rubric file. Default:
    /// `rubrics/` if it exists, else the folder of the nearest `rubric.toml`.
    #[arg(long, value_name = "DIR")]
    pub rubrics: Option<PathBuf>,
    /// Port to listen on; 0 picks a free one. The address is printed either way.
    #[arg(long, short = 'p', value_name = "N", default_value_t = 8737)]
    pub port: u16,
    /// Address to listen on. Any address but a loopback one (127.0.0.1, ::1) lets other
    /// computers use the page, and prints a warning.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Open the page in the default browser.
    #[arg(long)]
    pub open: bool,
    /// Largest request accepted (an answer pasted or uploaded), in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 8 * 1024 * 1024)]
    pub max_answer_bytes: u64,
    /// Seconds a connection may stay silent: waiting for a request's head, between requests,
    /// in a body or while its response is sent (docs/serve.md). Hidden: for tests.
    #[arg(long, value_name = "SECS", default_value_t = 20, hide = true,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub idle_timeout: u64,
    /// The most connections served at once. Default: 256, or half the limit of open files.
    /// Hidden: for tests.
    #[arg(long, value_name = "N", hide = true, value_parser = clap::value_parser!(u64).range(1..=100_000))]
    pub max_connections: Option<u64>,
}

#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, clap::Args)]
pub struct ManArgs {
    /// A subcommand whose own page to print (`rubric man check` prints rubric-check(1)).
    #[arg(value_name = "COMMAND")]
    pub command: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// A report for people.
    Human,
    /// JSON for machines: `check` prints one object per answer (JSON Lines), `eval` and
    /// `suggest` one object; its `schema` field names the format.
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
    /// The rubric file, for every answer (overrides the project config). Default: the project
    /// config's mapping (`.rubric/config.toml`), else the nearest `rubric.toml` in the answer's
    /// folder or above.
    #[arg(long, short = 'r', value_name = "FILE")]
    pub rubric: Option<PathBuf>,
    /// Answer files (.txt, .md, ...) and folders (every answer file the project config maps, or
    /// every answer file without one); `-` reads standard input. Default: the whole project when
    /// there is a `.rubric/config.toml`, else standard input when piped.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, short = 'f', default_value = "human", value_parser = formats(|v| v.check))]
    pub format: Format,
    /// Show which rubric and bar each answer gets (from the project config or the options) and
    /// exit.
    #[arg(long)]
    pub print_config: bool,
    /// Say which files were skipped, and why, on standard error.
    #[arg(long, short = 'v')]
    pub verbose: bool,
    /// Check again each time an answer, its rubric or the project config is saved (Ctrl-C to
    /// stop).
    #[arg(long, short = 'w')]
    pub watch: bool,
    /// Show the model statement of each point not covered (if the rubric allows it).
    #[arg(long)]
    pub reveal: bool,
    /// Explain every decision: the cues tried for each point and the nearest misses.
    #[arg(long)]
    pub explain: bool,
    /// How many steps of each hint to show, for a rubric that writes its hints in steps from
    /// gentle to specific (1: the first step only).
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=99))]
    pub hint_level: u32,
    /// With `--format line`: list covered points too (by default the lines are what is left to
    /// do, as in a quickfix list).
    #[arg(long)]
    pub covered: bool,
    /// Exit with code 1 when an answer scores below this: a fraction (0.6), a percentage
    /// (60%) or marks (6). Values of 1 or more are marks.
    #[arg(long, value_name = "X", value_parser = super::values::min_score)]
    pub min_score: Option<super::values::MinScore>,
    /// When to colour the human report.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,
    /// Say what changed since an earlier report saved with `--format json`: points newly made,
    /// points lost, what is still to do, and the score change.
    #[arg(long, value_name = "PREVIOUS.json")]
    pub since: Option<PathBuf>,
    #[command(flatten)]
    pub answer_limits: AnswerLimitArgs,
    #[command(flatten)]
    pub rubric_limits: RubricLimitArgs,
}

/// The limits an answer read by `check` and `mark` is held to, with the flags that raise them.
#[derive(Debug, Clone, clap::Args)]
pub struct AnswerLimitArgs {
    /// Largest answer accepted, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 16 * 1024 * 1024)]
    pub max_answer_bytes: u64,
    /// Most bytes unpacked from a .docx or .odt answer (its text parts) or from the compressed
    /// streams of a .pdf, against zip and decompression bombs.
    #[arg(long, value_name = "BYTES", default_value_t = Limits::DEFAULT_MAX_UNZIPPED_BYTES)]
    pub max_unzipped_bytes: u64,
}

impl AnswerLimitArgs {
    /// The limits an answer is read with.
    pub fn limits(&self) -> Limits {
        Limits {
            max_bytes: self.max_answer_bytes,
            max_unzipped_bytes: self.max_unzipped_bytes,
            ..Limits::default()
        }
    }
}

/// The limits a rubric is held to, with the flags that raise them.
#[derive(Debug, Clone, clap::Args)]
pub struct RubricLimitArgs {
    /// Most words a rubric's cues may expand to in all (each alternative, optional word and
    /// synonym multiplied out).
    #[arg(long, value_name = "N", default_value_t = crate::scheme::compile::MAX_CUE_WORDS)]
    pub max_cue_words: usize,
    /// Deepest nesting of `all`/`any` cue groups in a rubric (at most 32).
    #[arg(long, value_name = "N", default_value_t = crate::scheme::compile::MAX_NESTING)]
    pub max_nesting: usize,
}

impl RubricLimitArgs {
    /// The limits a rubric is held to.
    pub fn limits(&self) -> crate::scheme::RubricLimits {
        crate::scheme::RubricLimits {
            max_cue_words: self.max_cue_words,
            max_nesting: self.max_nesting,
        }
    }
}

#[derive(Debug, clap::Args)]
pub struct MarkArgs {
    /// The rubric file. Default: the nearest `rubric.toml` in the first PATH (or its folder) or
    /// above.
    #[arg(long, short = 'r', value_name = "FILE")]
    pub rubric: Option<PathBuf>,
    // Help made from the registry of answer formats, so that it names every one.
    #[arg(value_name = "PATH", required = true, help = mark_paths_help())]
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
    /// Write one feedback file per student into this folder (`<id>.md`; see --feedback-format).
    #[arg(long, value_name = "DIR")]
    pub feedback_dir: Option<PathBuf>,
    /// Formats of the feedback files, one or more separated by commas (`md,docx`): md
    /// (Markdown), html (a web page to print), docx (a Word document).
    #[arg(long, value_name = "FORMAT", value_delimiter = ',', default_value = "md", value_parser = feedback_formats(), requires = "feedback_dir")]
    pub feedback_format: Vec<FeedbackFormat>,
    /// Format of the summary printed on standard output.
    #[arg(long, short = 'f', default_value = "human", value_parser = formats(|v| v.mark))]
    pub format: Format,
    /// How to find the student id in the path relative to the PATH given: a regular expression
    /// with a group named `id`, e.g. `^(?P<id>[^_]+)_`. Default: the file name without its
    /// extension, or the folder's name for one-answer student folders.
    #[arg(long, value_name = "REGEX")]
    pub id_pattern: Option<String>,
    /// The teacher's decisions: a CSV `id,point,status,marks,comment` (status, marks and
    /// comment may be empty; point empty for a comment on the whole answer). Every output
    /// follows it; an unknown id or point is an error naming its line.
    #[arg(long, value_name = "FILE")]
    pub overrides: Option<PathBuf>,
    /// The class roster: a CSV with an `id` column, a `name` column and any others. Answers
    /// take its ids and names (found by id, or by name, case and accents aside, or after
    /// dropping trailing words like "essay"); students without an answer are listed as "no
    /// submission"; answers not on it are flagged.
    #[arg(long, value_name = "FILE")]
    pub roster: Option<PathBuf>,
    /// Trailing words dropped from ids, comma-separated (`--id-trim essay,final,v2`; empty for
    /// none). Default: with --roster, words like essay, final, draft, v2 when looking an id up
    /// on it; without, none.
    #[arg(long, value_name = "WORDS")]
    pub id_trim: Option<String>,
    /// Worker threads. Default: one per core. Never more than 4 per core, nor than there are
    /// answer files.
    #[arg(long, value_name = "N", value_parser = super::values::threads)]
    pub threads: Option<usize>,
    /// Report pairs of answers whose wording overlaps at least this much (Jaccard similarity of
    /// three-word sequences, 0 to 1).
    #[arg(long, value_name = "X", default_value = "0.8", value_parser = super::values::similarity)]
    pub similarity: f64,
    /// Exit with code 1 when an answer scores below this: a fraction (0.6), a percentage
    /// (60%) or marks (6).
    #[arg(long, value_name = "X", value_parser = super::values::min_score)]
    pub min_score: Option<super::values::MinScore>,
    /// Pick a moderation sample of N answers: every answer flagged for review first, then
    /// answers spread across the scores; listed in the summary.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub sample: Option<u32>,
    /// No progress bar and no warnings on standard error (the summary still lists them).
    #[arg(long, short = 'q')]
    pub quiet: bool,
    #[command(flatten)]
    pub answer_limits: AnswerLimitArgs,
    #[command(flatten)]
    pub rubric_limits: RubricLimitArgs,
}

#[derive(Debug, clap::Args)]
pub struct LintArgs {
    /// The rubric file to validate.
    #[arg(value_name = "FILE")]
    pub rubric: PathBuf,
    /// Exit with code 1 when there are warnings.
    #[arg(long)]
    pub deny_warnings: bool,
    /// Also print what each cue expands to: the word sequences it matches, one line per phrase.
    #[arg(long)]
    pub expand: bool,
    #[command(flatten)]
    pub rubric_limits: RubricLimitArgs,
}

#[derive(Debug, clap::Args)]
pub struct NewArgs {
    /// The worksheet or mark scheme to draft from: numbered questions with their marks ("(2
    /// marks)"), bullet lists of key points, lines such as "2 marks: ..."; a worksheet of guiding
    /// questions alone gets a skeleton to fill in.
    #[arg(long, value_name = "FILE")]
    pub from: PathBuf,
    /// Where to write the rubric (atomically); without it, the rubric is printed.
    #[arg(long, short = 'o', value_name = "OUT")]
    pub output: Option<PathBuf>,
    /// Replace OUT if it exists (by default an existing file is never overwritten).
    #[arg(long)]
    pub force: bool,
    /// Marked answers (a CSV or TSV with columns `id`, `score` and `text`): the words common in
    /// the high-scored ones that no drafted cue matches are listed at the end of the draft, as
    /// candidate cues.
    #[arg(long, value_name = "MARKS")]
    pub answers: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct TestArgs {
    /// The rubric whose examples to run.
    #[arg(value_name = "FILE")]
    pub rubric: PathBuf,
    #[command(flatten)]
    pub rubric_limits: RubricLimitArgs,
}

/// The rubric and the marks file with its columns: what `eval` and `suggest` compare.
#[derive(Debug, clap::Args)]
pub struct MarksArgs {
    /// The rubric file.
    #[arg(long, short = 'r', value_name = "FILE")]
    pub rubric: PathBuf,
    /// The marks file: a CSV or TSV with a header row, one marked answer per row.
    #[arg(value_name = "MARKS")]
    pub marks: PathBuf,
    /// Field delimiter: one character (`,` `;` `|`) or `tab`. Default: from the extension
    /// (`.tsv` tab, `.csv` comma), else guessed from the header line.
    #[arg(long, value_name = "CHAR", value_parser = super::values::delimiter)]
    pub delimiter: Option<u8>,
    /// Column of the answer id (header name; case is ignored when no column has the exact name).
    #[arg(long, value_name = "COLUMN", default_value = "id")]
    pub id_col: String,
    /// Column of the human score (a whole number).
    #[arg(long, value_name = "COLUMN", default_value = "score")]
    pub score_col: String,
    /// Column holding the answer text. Default: a column `text`, else `--file-col file`.
    #[arg(long, value_name = "COLUMN", conflicts_with = "file_col")]
    pub text_col: Option<String>,
    /// Column holding the path of each answer file, relative to the marks file's folder (or
    /// `--base`). Files outside that folder are refused unless `--allow-outside`.
    #[arg(long, value_name = "COLUMN")]
    pub file_col: Option<String>,
    /// The folder answer files are read from (default: the marks file's folder).
    #[arg(long, value_name = "DIR")]
    pub base: Option<PathBuf>,
    /// Also read answer files outside that folder: absolute paths, paths with `..` and symbolic
    /// links that lead out.
    #[arg(long)]
    pub allow_outside: bool,
    /// Keep only the rows where COLUMN equals VALUE (repeatable; all must hold).
    #[arg(long = "filter", value_name = "COLUMN=VALUE")]
    pub filters: Vec<String>,
    /// A column of human labels for one point: 1/0, yes/no, true/false (repeatable).
    #[arg(long = "point-col", value_name = "POINT_ID=COLUMN")]
    pub point_cols: Vec<String>,
}

#[derive(Debug, clap::Args)]
pub struct EvalArgs {
    #[command(flatten)]
    pub marks: MarksArgs,
    /// Output format: a report for people, or one JSON object (`rubric-eval/1`).
    #[arg(long, short = 'f', value_enum, default_value_t = FormatArg::Human)]
    pub format: FormatArg,
    /// How many of the worst disagreements to explain (default 10); with `--cell`, how many of
    /// the cell's answers (default all).
    #[arg(long, value_name = "N")]
    pub worst: Option<usize>,
    /// List the answers of one cell of the confusion matrix, explained: those the human scored
    /// HUMAN and the tool TOOL (`--cell 2,1`).
    #[arg(long, value_name = "HUMAN,TOOL", allow_hyphen_values = true, value_parser = super::values::cell)]
    pub cell: Option<(i64, i64)>,
    /// Exit with code 1 when the quadratic weighted kappa is below X (or undefined).
    #[arg(long, value_name = "X", allow_negative_numbers = true, value_parser = super::values::min_qwk)]
    pub min_qwk: Option<f64>,
    /// The teacher's decisions (`mark --overrides FILE`) as per-point labels: each answer of
    /// the marks file named in it counts as read point by point (a point it does not list as
    /// left as the tool had it), for the tool's precision and recall per point.
    #[arg(long, value_name = "FILE")]
    pub overrides: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct SuggestArgs {
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
    /// Contrast the answers scored HIGH with those scored LOW (`--levels 2:1`: what separates
    /// a 2 from a 1), instead of the answers above the middle of the score range with those
    /// below it.
    #[arg(long, value_name = "HIGH:LOW", allow_hyphen_values = true, value_parser = super::values::levels)]
    pub levels: Option<(i64, i64)>,
}

#[derive(Debug, clap::Args)]
pub struct FitArgs {
    #[command(flatten)]
    pub marks: MarksArgs,
    /// Output format: figures and a table of changes for people, or one JSON object
    /// (`rubric-fit/1`).
    #[arg(long, short = 'f', value_enum, default_value_t = FormatArg::Human)]
    pub format: FormatArg,
    /// Write the fitted rubric to OUT (atomically): the same text with only its marks, caps and
    /// bands changed, and a comment on top. Without it nothing is written. OUT may be the rubric
    /// itself, named as --rubric names it.
    #[arg(long, value_name = "OUT")]
    pub write: Option<PathBuf>,
    /// The grid of marks: 1 (whole marks) or 0.5 (half marks).
    #[arg(long, value_name = "STEP", default_value = "1", value_parser = super::values::step)]
    pub step: f64,
    /// Folds of the cross-validation (answers dealt by id order).
    #[arg(long, value_name = "K", default_value_t = 5, value_parser = clap::value_parser!(u64).range(2..=1000))]
    pub folds: u64,
}

/// The help of `mark`'s paths: every extension of the answer-format registry.
fn mark_paths_help() -> String {
    format!(
        "Folders (walked recursively) and answer files ({})",
        crate::text::formats::listed(", ")
    )
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn format_values_parse_into_the_one_format_type_with_each_commands_help() {
        for v in &FORMATS {
            let check = Cli::try_parse_from(["rubric", "check", "--format", v.name]).expect(v.name);
            let mark = Cli::try_parse_from(["rubric", "mark", "-f", v.name, "answers"]).expect(v.name);
            match (check.command, mark.command) {
                (Command::Check(c), Command::Mark(m)) => assert_eq!((c.format, m.format), (v.format, v.format)),
                _ => panic!("not check and mark"),
            }
        }
        assert!(Cli::try_parse_from(["rubric", "check", "--format", "Human"]).is_err());
        let cli = Cli::command();
        let help = |command: &str, value: &str| {
            let sub = cli.find_subcommand(command).expect(command);
            let format = sub.get_arguments().find(|a| a.get_id() == "format").expect("format");
            let value = format.get_possible_values().into_iter().find(|p| p.get_name() == value);
            value.and_then(|p| p.get_help().map(ToString::to_string)).expect("help")
        };
        assert_eq!(help("check", "human"), "A report for people");
        assert_eq!(help("mark", "human"), "The class summary, for people");
    }

    #[test]
    fn mark_help_names_exactly_the_registered_answer_types() {
        let cli = Cli::command();
        let mark = cli.find_subcommand("mark").expect("mark");
        let paths = mark.get_arguments().find(|a| a.get_id() == "paths").expect("paths");
        let help = paths.get_help().expect("help").to_string();
        let named: Vec<&str> = help
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '.'))
            .filter(|w| w.len() > 1 && w.starts_with('.') && w[1..].chars().all(|c| c.is_ascii_lowercase()))
            .collect();
        let registered: Vec<String> = crate::text::formats::extensions().map(|e| format!(".{e}")).collect();
        assert_eq!(named, registered, "{help}");
    }
}
