//! `rubric mark`: every answer in some folders, marked at once, with class reports.
//!
//! The work is done by [`crate::batch`]; this command checks the options, finds the rubric,
//! makes sure the outputs can be written, and write over nothing they must not, before any
//! marking starts ([`Outputs`]), writes each output atomically ([`crate::report::atomic`]) and
//! prints the summary. Exit code: 2 when a file or folder could not be read or an output could
//! not be written; else 1 when an answer falls short of `--min-score`; else 0.

use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::args::MarkArgs;
use crate::app::{ERROR, FELL_SHORT, Failure, SUCCESS, error};
use crate::batch::overrides::Overrides;
use crate::batch::roster::{self, Roster};
use crate::batch::{self, Batch, Ignore, Settings, ids};
use crate::project::{Threshold, discover_rubric};
use crate::report::feedback::{Feedback, FeedbackFormat};
use crate::report::{self, Format, Options, atomic, summary};
use crate::scheme::Rubric;
use crate::text::read::Limits;

/// Feedback files written at once (the work is waiting for the disk, not computing).
const FEEDBACK_WRITERS: usize = 16;

fn warning(message: impl std::fmt::Display) {
    let style = anstyle::AnsiColor::Yellow.on_default().bold();
    let mut err = anstream::stderr();
    let message = crate::report::printable::printable(&message.to_string()).into_owned();
    let _ = writeln!(err, "{style}warning:{style:#} {message}");
}

/// The folder a file is to be written in (`.` for a bare name).
fn folder(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Where one output file goes.
#[derive(Debug)]
enum Sink {
    /// A regular file, or none yet: written atomically. `canon` is the file replaced, as an
    /// absolute path without links (its folder's canonical path and its name).
    File { canon: PathBuf },
    /// A character device or a FIFO (`/dev/null`, a named pipe): written to directly.
    Stream,
    /// The file standard output is redirected to (`--csv /dev/stdout > marks.csv`): written to
    /// standard output, so that the summary printed after it is not lost with the old file.
    Stdout,
}

/// One output file of this run (`--csv`, `--json`, `--html`), checked.
#[derive(Debug)]
struct Output<'a> {
    flag: &'static str,
    path: &'a Path,
    sink: Sink,
}

/// The (device, inode) of the regular file standard output is redirected to, if it is one.
#[cfg(unix)]
fn stdout_file() -> Option<(u64, u64)> {
    use std::os::fd::AsFd;
    use std::os::unix::fs::MetadataExt;
    let fd = io::stdout().as_fd().try_clone_to_owned().ok()?;
    let m = std::fs::File::from(fd).metadata().ok()?;
    m.is_file().then(|| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn stdout_file() -> Option<(u64, u64)> {
    None
}

/// Whether `path` is the regular file standard output is redirected to.
fn is_stdout(path: &Path, stdout: Option<(u64, u64)>) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        stdout.is_some_and(|id| std::fs::metadata(path).is_ok_and(|m| (m.dev(), m.ino()) == id))
    }
    #[cfg(not(unix))]
    {
        let _ = (path, stdout);
        false
    }
}

/// The canonical path a file or folder would have: its own if it exists (links followed), else
/// its folder's joined with its name.
fn canonical(path: &Path) -> Result<PathBuf, String> {
    if let Ok(c) = std::fs::canonicalize(path) {
        return Ok(c);
    }
    let name = path.file_name().ok_or("not a file name")?;
    let dir = std::fs::canonicalize(folder(path))
        .map_err(|_| format!("the folder {} does not exist", folder(path).display()))?;
    Ok(dir.join(name))
}

/// The feedback formats asked for, each once, in the order given.
fn feedback_formats(args: &MarkArgs) -> Vec<FeedbackFormat> {
    let mut formats: Vec<FeedbackFormat> = Vec::new();
    for f in &args.feedback_format {
        if !formats.contains(f) {
            formats.push(*f);
        }
    }
    formats
}

/// Whether a path may be a feedback file's name: its extension is one of `formats`'.
fn feedback_name(path: &Path, formats: &[FeedbackFormat]) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| formats.iter().any(|f| e.eq_ignore_ascii_case(f.name())))
}

/// This run's outputs, checked before anything is marked: each can be written, and none is
/// the rubric, a path given to mark, another output or the feedback folder. Whether one would
/// write over an answer found in the folders is known after the walk ([`refuse_claimed`]).
#[derive(Debug, Default)]
struct Outputs<'a> {
    files: Vec<Output<'a>>,
    /// `--feedback-dir`, canonical (as it will be once made).
    feedback: Option<PathBuf>,
}

impl<'a> Outputs<'a> {
    fn check(args: &'a MarkArgs, rubric: &Path) -> Result<Outputs<'a>, String> {
        let stdout = stdout_file();
        let mut out = Outputs::default();
        let given = [("--csv", &args.csv), ("--json", &args.json), ("--html", &args.html)];
        for (flag, path) in given {
            let Some(path) = path.as_deref() else { continue };
            let shown = |why: &str| format!("{flag} {}: {why}", path.display());
            let target = match atomic::target(path) {
                Ok(t) => t,
                Err(e) if e.kind() == io::ErrorKind::IsADirectory => return Err(shown("is a folder; name a file")),
                Err(e) => return Err(shown(&e.to_string())),
            };
            if !folder(path).is_dir() {
                return Err(shown(&format!("the folder {} does not exist", folder(path).display())));
            }
            let sink = match target {
                atomic::Target::Stream(_) => Sink::Stream,
                atomic::Target::File(_) if is_stdout(path, stdout) => Sink::Stdout,
                atomic::Target::File(p) => Sink::File {
                    canon: canonical(&p).map_err(|e| shown(&e))?,
                },
            };
            out.files.push(Output { flag, path, sink });
        }
        if let Some(d) = &args.feedback_dir {
            if d.exists() && !d.is_dir() {
                return Err(format!("--feedback-dir {}: is a file, not a folder", d.display()));
            }
            if !d.exists() && !folder(d).is_dir() {
                return Err(format!(
                    "--feedback-dir {}: the folder {} does not exist",
                    d.display(),
                    folder(d).display()
                ));
            }
            out.feedback = Some(canonical(d).map_err(|e| format!("--feedback-dir {}: {e}", d.display()))?);
        }

        // Nothing read is written over, and no output over another.
        let rubric = std::fs::canonicalize(rubric).ok();
        let inputs: Vec<(&PathBuf, PathBuf)> = args
            .paths
            .iter()
            .filter_map(|p| std::fs::canonicalize(p).ok().map(|c| (p, c)))
            .collect();
        for (i, o) in out.files.iter().enumerate() {
            let Sink::File { canon } = &o.sink else { continue };
            let shown = |why: String| format!("{} {}: {why}", o.flag, o.path.display());
            if rubric.as_ref() == Some(canon) {
                return Err(shown("is the rubric; name another file for the output".to_string()));
            }
            if let Some((p, _)) = inputs.iter().find(|(_, c)| c == canon) {
                return Err(shown(format!(
                    "is {}, given to be marked; name another file for the output",
                    p.display()
                )));
            }
            for other in &out.files[..i] {
                if matches!(&other.sink, Sink::File { canon: c } if c == canon) {
                    return Err(format!(
                        "{} {} and {} {} name the same file: each output needs a file of its own",
                        other.flag,
                        other.path.display(),
                        o.flag,
                        o.path.display()
                    ));
                }
            }
            if let Some(d) = &out.feedback {
                if d == canon {
                    return Err(shown(
                        "is also --feedback-dir: each output needs a file or folder of its own".to_string(),
                    ));
                }
                let formats = feedback_formats(args);
                if canon.parent() == Some(d.as_path()) && feedback_name(canon, &formats) {
                    let names: Vec<String> = formats.iter().map(|f| format!("<id>.{}", f.name())).collect();
                    return Err(shown(format!(
                        "is in --feedback-dir, where feedback files ({}) are written; name another file or folder",
                        names.join(", ")
                    )));
                }
            }
        }
        Ok(out)
    }

    /// What the walk is to leave out (the rubric, standard output's file) and to claim for
    /// these outputs.
    fn ignore(&self, rubric: &Path) -> Ignore {
        let mut ignore = Ignore::default();
        if let Ok(c) = std::fs::canonicalize(rubric) {
            ignore.files.insert(c);
        }
        // Standard output redirected to a file in the folders marked: that file is this run's
        // summary, not an answer (as ripgrep leaves out its own output).
        #[cfg(target_os = "linux")]
        if stdout_file().is_some()
            && let Ok(c) = std::fs::read_link("/proc/self/fd/1").and_then(std::fs::canonicalize)
        {
            ignore.files.insert(c);
        }
        for o in &self.files {
            if let Sink::File { canon } = &o.sink {
                ignore.outputs.insert(canon.clone());
            }
        }
        ignore.output_dirs.extend(self.feedback.clone());
        ignore
    }

    /// The answers found that an output would write over (the files claimed by the walk that
    /// are not reports rubric wrote): one message, or `None`.
    fn refuse_claimed(&self, args: &MarkArgs, walked: &crate::batch::walk::Walk) -> Option<String> {
        let first = *walked.claimed.first()?;
        let found = &walked.files[first].path;
        let canon = std::fs::canonicalize(found).unwrap_or_else(|_| found.clone());
        let more = match walked.claimed.len() - 1 {
            0 => String::new(),
            n => format!(" and {n} more"),
        };
        let output = self
            .files
            .iter()
            .find(|o| matches!(&o.sink, Sink::File { canon: c } if *c == canon));
        Some(match (output, &args.feedback_dir) {
            (Some(o), _) => format!(
                "{} {}: would write over {}, an answer to be marked (not a report rubric wrote); name another file for the output",
                o.flag,
                o.path.display(),
                found.display()
            ),
            (None, Some(d)) => format!(
                "--feedback-dir {}: holds answers to be marked ({}{more}), which feedback files could overwrite; choose a folder of their own (such as feedback/)",
                d.display(),
                found.display()
            ),
            (None, None) => format!("{}: would be written over by an output", found.display()),
        })
    }
}

/// Writes one output (atomically, or through to a device); reports a failure and returns
/// whether it worked.
fn write_output(
    output: &Output,
    written: &mut Vec<String>,
    fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> bool {
    let path = output.path;
    let result = match output.sink {
        Sink::Stdout => {
            let mut stdout = io::stdout().lock();
            let mut w = io::BufWriter::new(&mut stdout);
            fill(&mut w).and_then(|()| w.flush())
        }
        Sink::File { .. } | Sink::Stream => atomic::write(path, fill),
    };
    match result {
        Ok(()) => {
            written.push(path.display().to_string());
            true
        }
        Err(e) => {
            error(format!("cannot write {}: {e}", path.display()));
            false
        }
    }
}

/// Runs `rubric mark`: nothing is read or written until every option is sound.
pub(super) fn run(args: MarkArgs) -> Result<i32, Failure> {
    let id_pattern = args.id_pattern.as_deref().map(ids::compile_pattern).transpose()?;
    let rubric_path = rubric_path(&args)?;
    // The outputs: each can be written, and none writes over what is read.
    let outputs = Outputs::check(&args, &rubric_path)?;
    let rubric = Rubric::load_with(&rubric_path, &args.rubric_limits.limits()).map_err(Failure::new)?;
    let overrides = match &args.overrides {
        Some(path) => Some(Overrides::load(path, &rubric).map_err(Failure::new)?),
        None => None,
    };
    let roster = match &args.roster {
        Some(path) => Some(std::sync::Arc::new(Roster::load(path).map_err(Failure::new)?)),
        None => None,
    };
    let mut settings = settings(&args, &outputs, &rubric_path, id_pattern);
    settings.roster = roster;
    settings.id_trim = args.id_trim.as_deref().map(|words| {
        let words: Vec<&str> = words.split(',').map(str::trim).collect();
        roster::trim_keys(&words)
    });
    // Before anything is marked: no output may write over an answer found.
    let batch = batch::mark_checked(&rubric, &settings, |walked| {
        match outputs.refuse_claimed(&args, walked) {
            Some(e) => Err(e),
            None => Ok(()),
        }
    })?;
    let mut batch = batch;
    if let Some(o) = &overrides {
        o.check_ids(&batch).map_err(Failure::new)?;
        let (applied, answers) = o.apply(&mut batch);
        if !args.quiet {
            eprintln!(
                "note: the teacher's {applied} decision{} on {answers} answer{} applied (from {})",
                if applied == 1 { "" } else { "s" },
                if answers == 1 { "" } else { "s" },
                args.overrides.as_deref().unwrap_or(Path::new("")).display()
            );
        }
    }
    if !args.quiet {
        for w in &batch.warnings {
            warning(w);
        }
    }
    report(&args, &outputs, batch, &settings.limits)
}

/// The rubric: the one given, or the nearest rubric.toml of the first path.
fn rubric_path(args: &MarkArgs) -> Result<PathBuf, Failure> {
    if let Some(r) = &args.rubric {
        return Ok(r.clone());
    }
    let first = &args.paths[0];
    let start = if first.is_dir() {
        first.as_path()
    } else {
        first.parent().unwrap_or(Path::new("."))
    };
    discover_rubric(start).ok_or_else(|| {
        Failure::new(format!(
            "{}: no rubric given and no rubric.toml found in its folder or above; use --rubric FILE",
            first.display()
        ))
    })
}

/// What the batch is to do.
fn settings(args: &MarkArgs, outputs: &Outputs, rubric: &Path, id_pattern: Option<regex::Regex>) -> Settings {
    Settings {
        paths: args.paths.clone(),
        id_pattern,
        threads: args.threads,
        similarity: args.similarity,
        limits: args.answer_limits.limits(),
        ignore: outputs.ignore(rubric),
        progress: !args.quiet && io::stderr().is_terminal(),
        keep_evidence: args.json.is_some() || args.html.is_some() || args.feedback_dir.is_some() || args.format.is_ci(),
        roster: None,
        id_trim: None,
        sample: args.sample.map(|n| n as usize),
    }
}

/// Writes the outputs and prints the summary; returns the exit code.
fn report(args: &MarkArgs, outputs: &Outputs, batch: Batch, limits: &Limits) -> Result<i32, Failure> {
    let threshold = args.min_score.as_ref().map(|m| m.threshold);
    let below: Vec<String> = match threshold {
        Some(t) => batch
            .marked()
            .filter(|(_, _, m)| !t.met(m.score, batch.rubric.max))
            .map(|(_, e, _)| e.id.clone())
            .collect(),
        None => Vec::new(),
    };
    let min_score = args.min_score.as_ref().map(|t| summary::MinScore {
        threshold: t.text.trim().to_string(),
        below: below.clone(),
    });

    let mut failed = batch.failures() > 0;
    let mut written = Vec::new();
    if batch.entries.is_empty() {
        error(super::no_answer_files());
        failed = true;
    } else {
        failed |= !write_outputs(args, outputs, &batch, limits, min_score.clone(), &mut written);
    }

    let summary = summary::build(&batch, min_score);
    let format = args.format;
    let mut text = match format {
        Format::Github | Format::Junit | Format::Sarif | Format::Line => {
            ci_report(args, format, &batch, limits, threshold, &mut failed)
        }
        Format::Json => {
            let mut s = summary::render_json(&summary);
            s.push('\n');
            s
        }
        Format::Human => {
            let mut s = summary::render_human(&summary);
            if !written.is_empty() {
                s.push_str(&format!("\nWrote: {}.\n", written.join(", ")));
            }
            s
        }
    };
    if failed && format == Format::Human && !batch.entries.is_empty() && !args.quiet {
        text.push_str("\nExit code 2: some files could not be marked or written (listed above).\n");
    }
    let mut stdout = io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()?;
    // The process ends here: freeing every answer's result one by one (100,000 of them in a
    // large batch) would only delay the exit by tens of milliseconds.
    std::mem::forget(summary);
    std::mem::forget(batch);

    Ok(if failed {
        ERROR
    } else if !below.is_empty() {
        FELL_SHORT
    } else {
        SUCCESS
    })
}

/// The CI formats of `check`, for every marked answer. Answers are read again (documents are
/// not kept while marking); one that changed or vanished since is reported and left out.
fn ci_report(
    args: &MarkArgs,
    format: Format,
    batch: &Batch,
    limits: &Limits,
    threshold: Option<Threshold>,
    failed: &mut bool,
) -> String {
    let mut docs = Vec::new();
    for (_, e, m) in batch.marked() {
        let Some(full) = m.full.as_deref() else { continue };
        match e.read_again(limits) {
            batch::reread::Reread::Same(src) => {
                let doc = crate::text::tokens::Document::new(src.text, src.format, &batch.rubric.language);
                let bar = threshold.map(|t| report::ci::Bar {
                    shown: args
                        .min_score
                        .as_ref()
                        .map(|m| m.text.trim().to_string())
                        .unwrap_or_default(),
                    met: t.met(m.score, batch.rubric.max),
                });
                docs.push((e, full, doc, bar));
            }
            batch::reread::Reread::Changed(_) | batch::reread::Reread::Failed(_) => {
                error(format!(
                    "{}: changed or unreadable since it was marked; left out of the report",
                    e.file
                ));
                *failed = true;
            }
        }
    }
    let checked: Vec<report::ci::Checked> = docs
        .iter()
        .map(|(e, full, doc, bar)| report::ci::Checked::new(&e.file, batch.rubric, full, doc).with_bar(bar.as_ref()))
        .collect();
    format.render(&checked, Options::default())
}

/// Writes every output asked for; returns false when one could not be written.
fn write_outputs(
    args: &MarkArgs,
    outputs: &Outputs,
    batch: &Batch,
    limits: &Limits,
    min_score: Option<summary::MinScore>,
    written: &mut Vec<String>,
) -> bool {
    let mut ok = true;
    for output in &outputs.files {
        ok &= match output.flag {
            "--csv" => write_output(output, written, |w| report::csv::write(w, batch, args.csv_bom)),
            "--json" => write_output(output, written, |w| json_lines(w, batch, min_score.clone())),
            _ => write_output(output, written, |w| {
                report::html::write(w, batch, |e| e.read_again(limits))
            }),
        };
    }
    ok & write_feedback(args, batch, written)
}

/// The `--json` file: every marked answer's report, then the summary.
fn json_lines(w: &mut dyn Write, batch: &Batch, min_score: Option<summary::MinScore>) -> io::Result<()> {
    for (e, m, full) in batch
        .marked()
        .filter_map(|(_, e, m)| m.full.as_deref().map(|f| (e, m, f)))
    {
        // The line `check --format json` prints (DEL, C1 controls and `##[` escaped), with the
        // answer's review reasons.
        let line = report::json::render_reviewed(&e.file, batch.rubric, full, Options::default(), m.review);
        w.write_all(line.as_bytes())?;
        w.write_all(b"\n")?;
    }
    let s = summary::build(batch, min_score);
    w.write_all(summary::render_json(&s).as_bytes())?;
    w.write_all(b"\n")
}

/// What to do about the file already at a feedback file's path.
enum Existing {
    /// Nothing there, or an earlier feedback file (a report rubric wrote): write.
    Replace,
    /// The same feedback: nothing to write.
    Same,
    /// Not to be replaced, and why: not a regular file, not a report rubric wrote (the
    /// teacher's notes, a student's answer), unreadable.
    Keep(String),
}

fn existing(path: &Path, bytes: &[u8]) -> Existing {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return Existing::Replace;
    };
    if !meta.is_file() {
        return Existing::Keep("not a regular file".to_string());
    }
    // Read whole only when it may be the same (a file of any size can be there).
    let start = if meta.len() == bytes.len() as u64 {
        std::fs::read(path)
    } else {
        std::fs::File::open(path).and_then(|f| {
            let mut start = Vec::new();
            f.take(crate::batch::own::PREFIX as u64).read_to_end(&mut start)?;
            Ok(start)
        })
    };
    match start {
        Ok(old) if old == bytes => Existing::Same,
        Ok(old) if crate::batch::own::recognise(&old).is_some() => Existing::Replace,
        // A .docx is told by its text.
        Ok(_) if crate::batch::own::recognise_file(path).is_some() => Existing::Replace,
        Ok(_) => Existing::Keep("not a feedback file rubric wrote".to_string()),
        Err(e) => Existing::Keep(format!("cannot read it to make sure it is a feedback file ({e})")),
    }
}

/// The `--feedback-dir` files; returns false when one could not be written.
fn write_feedback(args: &MarkArgs, batch: &Batch, written: &mut Vec<String>) -> bool {
    let Some(dir) = &args.feedback_dir else { return true };
    if let Err(e) = std::fs::create_dir(dir)
        && e.kind() != io::ErrorKind::AlreadyExists
    {
        error(format!("cannot create {}: {e}", dir.display()));
        return false;
    }
    let marked: Vec<_> = batch.marked().collect();
    // Each file is synced to disk before it is renamed into place: with many files the time
    // goes into waiting for the disk, so several are written at once. A file whose content is
    // already there is left alone; a file there that rubric did not write is never replaced.
    let write_one = |((_, e, m), name, format): (&(usize, &batch::Entry, &batch::Marked), &String, FeedbackFormat)| {
        let path = dir.join(name);
        let Some(full) = m.full.as_deref() else { return true };
        // The teacher's comments, keyed by point id (empty for the whole answer).
        let ids = batch.status_ids();
        let comments: Vec<(String, String)> = e
            .decisions
            .iter()
            .filter(|d| !d.comment.is_empty())
            .map(|d| {
                let point = d.point.and_then(|i| ids.get(i)).copied().unwrap_or_default();
                (point.to_string(), d.comment.clone())
            })
            .collect();
        let feedback = Feedback {
            id: &e.id,
            name: batch.student(e).map(|s| s.name.as_str()).filter(|n| !n.is_empty()),
            rubric: batch.rubric,
            assessment: full,
            comments: &comments,
        };
        let bytes = match report::feedback::render(format, &feedback) {
            Ok(b) => b,
            Err(err) => {
                error(format!("cannot write {}: {err}", path.display()));
                return false;
            }
        };
        match existing(&path, &bytes) {
            Existing::Replace => {}
            Existing::Same => return true,
            Existing::Keep(why) => {
                error(format!(
                    "{}: {why}; left as it is (move it away, or choose another --feedback-dir)",
                    path.display()
                ));
                return false;
            }
        }
        match atomic::write_many(&path, |w| w.write_all(&bytes)) {
            Ok(()) => true,
            Err(err) => {
                error(format!("cannot write {}: {err}", path.display()));
                false
            }
        }
    };
    let jobs: Vec<_> = feedback_formats(args)
        .into_iter()
        .flat_map(|format| {
            let names = report::feedback::file_names(marked.iter().map(|(_, e, _)| e.id.as_str()), format.name());
            marked.iter().zip(names).map(move |(m, name)| (m, name, format))
        })
        .collect();
    let writers = FEEDBACK_WRITERS.min(jobs.len()).max(1);
    let results: Vec<bool> = match rayon::ThreadPoolBuilder::new().num_threads(writers).build() {
        Ok(pool) => pool.install(|| jobs.par_iter().map(|(m, name, f)| write_one((m, name, *f))).collect()),
        Err(_) => jobs.iter().map(|(m, name, f)| write_one((m, name, *f))).collect(),
    };
    atomic::sync_folder(dir);
    let count = results.iter().filter(|r| **r).count();
    written.push(format!(
        "{count} feedback file{} in {}",
        if count == 1 { "" } else { "s" },
        dir.display()
    ));
    count == results.len()
}
