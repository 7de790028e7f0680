//! `rubric mark`: every answer in some folders, marked at once, with class reports.
//!
//! The work is done by [`crate::batch::mark`]; this command checks the options, finds the
//! rubric, makes sure the outputs can be written before any marking starts, writes each output
//! atomically ([`crate::report::atomic`]) and prints the summary. Exit code: 2 when a file or
//! folder could not be read or an output could not be written; else 1 when an answer falls
//! short of `--min-score`; else 0.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::args::{MarkArgs, MarkFormat};
use super::config::{Threshold, discover_rubric};
use super::{ERROR, FELL_SHORT, SUCCESS, error};
use crate::batch::{self, Batch, Ignore, Settings, ids};
use crate::report::{self, Options, atomic, summary};
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

/// Checks, before marking, that an output file can go where it is asked to.
fn check_output(flag: &str, path: &Path) -> Result<(), String> {
    if path.is_dir() {
        return Err(format!("{flag} {}: is a folder; name a file", path.display()));
    }
    if !folder(path).is_dir() {
        return Err(format!(
            "{flag} {}: the folder {} does not exist",
            path.display(),
            folder(path).display()
        ));
    }
    Ok(())
}

/// Writes one output atomically; reports a failure and returns whether it worked.
fn write_output(path: &Path, written: &mut Vec<String>, fill: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> bool {
    match atomic::write(path, fill) {
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

fn parse_similarity(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(v) if v > 0.0 && v <= 1.0 => Ok(v),
        _ => Err(format!(
            "invalid --similarity `{s}`: expected a number above 0 and at most 1 (0.8 flags answers sharing 80% of their wording)"
        )),
    }
}

pub(super) fn run(args: MarkArgs) -> io::Result<i32> {
    // Options first: nothing is read or written until they are all sound.
    let threshold = match args.min_score.as_deref().map(Threshold::parse).transpose() {
        Ok(t) => t,
        Err(e) => {
            error(e);
            return Ok(ERROR);
        }
    };
    let similarity = match parse_similarity(&args.similarity) {
        Ok(s) => s,
        Err(e) => {
            error(e);
            return Ok(ERROR);
        }
    };
    let id_pattern = match args.id_pattern.as_deref().map(ids::compile_pattern).transpose() {
        Ok(p) => p,
        Err(e) => {
            error(e);
            return Ok(ERROR);
        }
    };
    if args.threads == Some(0) {
        error("--threads must be at least 1 (leave it out to use every core)");
        return Ok(ERROR);
    }
    let outputs = [("--csv", &args.csv), ("--json", &args.json), ("--html", &args.html)];
    for (flag, path) in outputs {
        if let Some(p) = path
            && let Err(e) = check_output(flag, p)
        {
            error(e);
            return Ok(ERROR);
        }
    }
    if let Some(d) = &args.feedback_dir {
        if d.exists() && !d.is_dir() {
            error(format!("--feedback-dir {}: is a file, not a folder", d.display()));
            return Ok(ERROR);
        }
        if !d.exists() && !folder(d).is_dir() {
            error(format!(
                "--feedback-dir {}: the folder {} does not exist",
                d.display(),
                folder(d).display()
            ));
            return Ok(ERROR);
        }
    }

    // The rubric: the one given, or the nearest rubric.toml of the first path.
    let rubric_path: PathBuf = match &args.rubric {
        Some(r) => r.clone(),
        None => {
            let first = &args.paths[0];
            let start = if first.is_dir() {
                first.as_path()
            } else {
                first.parent().unwrap_or(Path::new("."))
            };
            match discover_rubric(start) {
                Some(p) => p,
                None => {
                    error(format!(
                        "{}: no rubric given and no rubric.toml found in its folder or above; use --rubric FILE",
                        first.display()
                    ));
                    return Ok(ERROR);
                }
            }
        }
    };
    let rubric = match Rubric::load_with(&rubric_path, &args.rubric_limits.limits()) {
        Ok(r) => r,
        Err(e) => {
            error(e);
            return Ok(ERROR);
        }
    };

    // Leave the rubric and this run's outputs out of the walk.
    let mut ignore = Ignore::default();
    for p in [
        Some(&rubric_path),
        args.csv.as_ref(),
        args.json.as_ref(),
        args.html.as_ref(),
    ]
    .into_iter()
    .flatten()
    {
        if let Ok(c) = std::fs::canonicalize(p) {
            ignore.files.insert(c);
        }
    }
    if let Some(c) = args.feedback_dir.as_ref().and_then(|d| std::fs::canonicalize(d).ok()) {
        ignore.dirs.insert(c);
    }
    let limits = Limits {
        max_bytes: args.max_answer_bytes,
        max_unzipped_bytes: args.max_unzipped_bytes,
        ..Limits::default()
    };
    let settings = Settings {
        paths: args.paths.clone(),
        id_pattern,
        threads: args.threads,
        similarity,
        limits,
        ignore,
        progress: !args.quiet && io::stderr().is_terminal(),
        keep_evidence: args.json.is_some()
            || args.html.is_some()
            || args.feedback_dir.is_some()
            || !matches!(args.format, MarkFormat::Human | MarkFormat::Json),
    };
    let batch = batch::mark(&rubric, &settings);
    if !args.quiet {
        for w in &batch.warnings {
            warning(w);
        }
    }

    let below: Vec<String> = match threshold {
        Some(t) => batch
            .marked()
            .filter(|(_, _, m)| !t.met(m.score, batch.rubric.max))
            .map(|(_, e, _)| e.id.clone())
            .collect(),
        None => Vec::new(),
    };
    let min_score = args.min_score.as_ref().map(|t| summary::MinScore {
        threshold: t.trim().to_string(),
        below: below.clone(),
    });

    let mut failed = batch.failures() > 0;
    let mut written = Vec::new();
    if batch.entries.is_empty() {
        error("no answer files found (answers are .txt, .md, .markdown, .docx, .odt, .html or .htm files)");
        failed = true;
    } else {
        failed |= !write_outputs(&args, &batch, &limits, min_score.clone(), &mut written);
    }

    let summary = summary::build(&batch, min_score);
    let mut text = match args.format {
        MarkFormat::Github | MarkFormat::Junit | MarkFormat::Sarif | MarkFormat::Line => {
            ci_report(&args, &batch, &limits, threshold, &mut failed)
        }
        MarkFormat::Json => {
            let mut s = summary::render_json(&summary);
            s.push('\n');
            s
        }
        MarkFormat::Human => {
            let mut s = summary::render_human(&summary);
            if !written.is_empty() {
                s.push_str(&format!("\nWrote: {}.\n", written.join(", ")));
            }
            s
        }
    };
    if failed && args.format == MarkFormat::Human && !batch.entries.is_empty() && !args.quiet {
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
    batch: &Batch,
    limits: &Limits,
    threshold: Option<Threshold>,
    failed: &mut bool,
) -> String {
    let mut docs = Vec::new();
    for (_, e, m) in batch.marked() {
        let Some(full) = m.full.as_deref() else { continue };
        match crate::text::read::read_path(&e.path, limits) {
            Ok(src) if Some(crate::text::hash::bytes_hash(src.text.as_bytes())) == m.text_hash => {
                let doc = crate::text::tokens::Document::new(src.text, src.format, &batch.rubric.language);
                let bar = threshold.map(|t| report::ci::Bar {
                    shown: args.min_score.clone().unwrap_or_default().trim().to_string(),
                    met: t.met(m.score, batch.rubric.max),
                });
                docs.push((e, full, doc, bar));
            }
            _ => {
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
    match args.format {
        MarkFormat::Github => report::github::render(&checked),
        MarkFormat::Junit => report::junit::render(&checked),
        MarkFormat::Sarif => report::sarif::render(&checked),
        _ => report::line::render(&checked),
    }
}

/// Writes every output asked for; returns false when one could not be written.
fn write_outputs(
    args: &MarkArgs,
    batch: &Batch,
    limits: &Limits,
    min_score: Option<summary::MinScore>,
    written: &mut Vec<String>,
) -> bool {
    let mut ok = true;
    if let Some(p) = &args.csv {
        ok &= write_output(p, written, |w| report::csv::write(w, batch, args.csv_bom));
    }
    if let Some(p) = &args.json {
        ok &= write_output(p, written, |w| {
            for (_, e, full) in batch
                .marked()
                .filter_map(|(i, e, m)| m.full.as_deref().map(|f| (i, e, f)))
            {
                let r = report::json::report(&e.file, batch.rubric, full, Options::default());
                serde_json::to_writer(&mut *w, &r).map_err(io::Error::other)?;
                w.write_all(b"\n")?;
            }
            let s = summary::build(batch, min_score);
            serde_json::to_writer(&mut *w, &s).map_err(io::Error::other)?;
            w.write_all(b"\n")
        });
    }
    if let Some(p) = &args.html {
        ok &= write_output(p, written, |w| report::html::write(w, batch, limits));
    }
    if let Some(dir) = &args.feedback_dir {
        if let Err(e) = std::fs::create_dir(dir)
            && e.kind() != io::ErrorKind::AlreadyExists
        {
            error(format!("cannot create {}: {e}", dir.display()));
            return false;
        }
        let marked: Vec<_> = batch.marked().collect();
        let names = report::feedback::file_names(marked.iter().map(|(_, e, _)| e.id.as_str()));
        // Each file is synced to disk before it is renamed into place: with many files the time
        // goes into waiting for the disk, so several are written at once. A file whose content
        // is already there is left alone.
        let write_one = |((_, e, m), name): (&(usize, &batch::Entry, &batch::Marked), &String)| {
            let path = dir.join(name);
            let Some(full) = m.full.as_deref() else { return true };
            let text = report::feedback::render(&e.id, batch.rubric, full);
            if std::fs::read(&path).is_ok_and(|old| old == text.as_bytes()) {
                return true;
            }
            match atomic::write_many(&path, |w| w.write_all(text.as_bytes())) {
                Ok(()) => true,
                Err(err) => {
                    error(format!("cannot write {}: {err}", path.display()));
                    false
                }
            }
        };
        let results: Vec<bool> = match rayon::ThreadPoolBuilder::new().num_threads(FEEDBACK_WRITERS).build() {
            Ok(pool) => pool.install(|| marked.par_iter().zip(names.par_iter()).map(write_one).collect()),
            Err(_) => marked.iter().zip(names.iter()).map(write_one).collect(),
        };
        atomic::sync_folder(dir);
        let count = results.iter().filter(|r| **r).count();
        ok &= count == results.len();
        written.push(format!(
            "{count} feedback file{} in {}",
            if count == 1 { "" } else { "s" },
            dir.display()
        ));
    }
    ok
}
