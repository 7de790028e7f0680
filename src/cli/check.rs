//! `rubric check`: a report on each answer named, found in the folders named, or (with a
//! project config, `.rubric/config.toml`) mapped to a rubric; `--print-config`, `--verbose`,
//! `--watch`, and the formats for people, programs, CI and editors (docs/ci.md).
//!
//! One path for every run: [`plan`] works out the answers and their rubrics, [`check`] reads
//! each, checks it with [`crate::check::check`] and prints the report.
//!
//! Which answers, and which rubric for each:
//! - a folder argument is walked by the one folder walker ([`crate::batch::walk`]: hidden files
//!   and folders, `__MACOSX`, `~$` lock files, `target/` and `node_modules/` left out, links
//!   followed): with a project config
//!   the files one of its `[[map]]`s matches, else every answer file (.txt, .md, .docx, ...);
//! - no argument in a project with a config checks the whole project (use `-` for standard input);
//! - a file named on the command line is always considered;
//! - its rubric is `--rubric` if given, else the first `[[map]]` that matches it, else the
//!   nearest `rubric.toml` in its folder or above. A file with none is skipped when there is a
//!   project config (pre-commit passes every changed file) and an error otherwise;
//! - its bar is `--min-score` if given, else (without `--rubric`) its map's `min_score`.
//!
//! A *plain* run, `rubric check [--rubric R] FILE...` with no project config, no folder and
//! none of `--verbose`, `--watch`, `--print-config` or a CI format, checks each file named as
//! `check` always has (docs/ci.md: "works exactly as before"): every one, as often and in the
//! order named, whatever its extension, against the rubric as found (absolute when
//! discovered), and its messages name no config.

use std::collections::{HashMap, HashSet};
use std::io::{self, IsTerminal};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::mpsc;
use std::time::Duration;

use super::Out;
use super::args::CheckArgs;
use crate::app::{ERROR, FELL_SHORT, Failure, SUCCESS, error};
use crate::batch::walk;
use crate::matcher::Detail;
use crate::project::{self, Project, Threshold, discover_rubric};
use crate::report::Options;
use crate::report::ci::{Bar, Checked};
use crate::report::printable::{printable, printable_line};
use crate::scheme::Rubric;
use crate::text::formats;
use crate::text::read::{self, Format, Source};

/// Whether a run is plain (see the module's documentation): files named, nothing more.
fn plain(args: &CheckArgs) -> bool {
    !workflow(args)
}

/// Whether a run needs the workflow's ways: folders, the project config, `--watch`,
/// `--verbose`, `--print-config`, the CI formats.
fn workflow(args: &CheckArgs) -> bool {
    args.format.is_ci()
        || args.print_config
        || args.watch
        || args.verbose
        || args.paths.iter().any(|p| p.is_dir())
        || project::discover(Path::new(".")).is_some()
}

/// A bar and how the user wrote it.
type BarSpec = (Threshold, String);

/// One answer to check.
#[derive(Debug, Clone)]
struct Target {
    /// The path to read; `-` for standard input.
    path: PathBuf,
    /// The name reports show.
    name: String,
    rubric: PathBuf,
    /// Where the rubric came from, for `--print-config`.
    why: String,
    bar: Option<BarSpec>,
}

/// An answer that cannot be checked.
#[derive(Debug)]
struct Problem {
    name: String,
    why: String,
    /// How many answers to check come before it: a plain run reports it in its place among
    /// them, as `check` always has; the others report every problem first.
    at: usize,
}

/// What a run will do: which answers against which rubrics, what it leaves out and why.
#[derive(Debug, Default)]
struct Plan {
    project: Option<Project>,
    /// The config found, also when `--rubric` is given.
    config_path: Option<PathBuf>,
    cwd: PathBuf,
    targets: Vec<Target>,
    /// Files left out on purpose: (name, reason).
    skipped: Vec<(String, String)>,
    /// Answers that cannot be checked: (name, message).
    problems: Vec<Problem>,
    /// Folders walked (absolute), for `--watch`.
    dirs: Vec<PathBuf>,
    /// A plain run (see the module's documentation).
    plain: bool,
}

pub(super) fn run(args: CheckArgs) -> Result<i32, Failure> {
    let flag_bar = args.min_score.clone().map(|m| (m.threshold, m.text));
    if args.watch {
        return watch(&args, flag_bar);
    }
    let plan = plan(&args, flag_bar.as_ref())?;
    let mut out = Out::new(args.color);
    if args.print_config {
        out.write(&print_config(&args, &plan))?;
        return Ok(SUCCESS);
    }
    Ok(check(&args, &plan, &mut out)?)
}

fn shown(path: &Path) -> String {
    path.display().to_string()
}

impl Plan {
    fn problem(&mut self, name: String, why: String) {
        let at = self.targets.len();
        self.problems.push(Problem { name, why, at });
    }

    /// A rubric found by [`discover_rubric`], as the run names it.
    fn shown_rubric(&self, found: PathBuf) -> PathBuf {
        if self.plain {
            found
        } else {
            project::relative_to(&found, &self.cwd)
        }
    }
}

/// Works out the answers and their rubrics; `Err` when the run cannot start (a bad config,
/// nothing to read).
fn plan(args: &CheckArgs, flag_bar: Option<&BarSpec>) -> Result<Plan, Failure> {
    let cwd = std::env::current_dir()
        .and_then(std::fs::canonicalize)
        .unwrap_or_else(|_| PathBuf::from("."));
    let mut plan = Plan {
        cwd: cwd.clone(),
        config_path: project::discover(&cwd),
        plain: plain(args),
        ..Plan::default()
    };
    if let Some(path) = &plan.config_path {
        let shown_path = project::relative_to(path, &cwd);
        match Project::load(&shown_path) {
            Ok(p) => plan.project = Some(p),
            Err(e) => return Err(Failure::new(e)),
        }
    }
    let mut paths = args.paths.clone();
    if paths.is_empty() {
        if let Some(p) = &plan.project {
            paths.push(project::relative_to(&p.root, &cwd));
        } else if io::stdin().is_terminal() || args.watch {
            let what = if plan.plain {
                "name an answer file, or `-` to read standard input"
            } else {
                "name answer files or folders, `-` to read standard input, or add a .rubric/config.toml"
            };
            return Err(Failure::new(format!(
                "no answer given: {what}\n\n  rubric check --rubric rubrics/stalin-rise.toml samples/stalin/strong.txt"
            )));
        } else {
            paths.push(PathBuf::from("-"));
        }
    }
    // Whether a file is checked for the first time: a file named or found twice is checked
    // once. With one path the walker alone sees to that (it takes each file once), and
    // the canonical path of every file found (a system call each) is not needed.
    let mut seen: HashSet<PathBuf> = HashSet::new();
    let mut first_time = |file: &Path| {
        paths.len() == 1 || seen.insert(std::fs::canonicalize(file).unwrap_or_else(|_| file.to_path_buf()))
    };
    for path in &paths {
        if path.as_os_str() == "-" {
            let rubric = match &args.rubric {
                Some(r) => Some((r.clone(), "--rubric".to_string())),
                None => {
                    discover_rubric(Path::new(".")).map(|r| (plan.shown_rubric(r), "nearest rubric.toml".to_string()))
                }
            };
            let folder = if plan.plain { "its folder" } else { "the current folder" };
            match rubric {
                Some((rubric, why)) => plan.targets.push(Target {
                    path: path.clone(),
                    name: "<stdin>".into(),
                    rubric,
                    why,
                    bar: flag_bar.cloned(),
                }),
                None => plan.problem(
                    "<stdin>".into(),
                    format!("no rubric given and no rubric.toml found in {folder} or above; use --rubric FILE"),
                ),
            }
            continue;
        }
        if !path.exists() {
            plan.problem(shown(path), "no such file".into());
            continue;
        }
        if path.is_dir() {
            if let Ok(abs) = std::fs::canonicalize(path) {
                plan.dirs.push(abs);
            }
            // Every file the one folder walker takes (a config's maps pick among them).
            let walked = walk::walk_selecting(
                std::slice::from_ref(path),
                &walk::Ignore::default(),
                walk::Select::EVERY_FILE,
            );
            for p in walked.problems {
                plan.problem(p.file, p.reason);
            }
            plan.skipped
                .extend(walked.skipped.into_iter().map(|s| (s.file, s.reason)));
            for found in walked.files {
                // Files of the current folder are shown as `a.txt`, not `./a.txt`.
                let file = match found.path.strip_prefix(".") {
                    Ok(rest) if path.as_os_str() == "." => rest.to_path_buf(),
                    _ => found.path,
                };
                if first_time(&file) {
                    resolve(&mut plan, args, flag_bar, &file, true);
                }
            }
        } else {
            if plan.plain || first_time(path) {
                resolve(&mut plan, args, flag_bar, path, false);
            }
        }
    }
    Ok(plan)
}

/// Decides whether and against what rubric one file is checked.
fn resolve(plan: &mut Plan, args: &CheckArgs, flag_bar: Option<&BarSpec>, file: &Path, walked: bool) {
    let name = shown(file);
    let config_name = plan
        .config_path
        .as_ref()
        .map(|p| shown(&project::relative_to(p, &plan.cwd)))
        .unwrap_or_default();
    let mapping = plan.project.as_ref().and_then(|p| p.mapping_for(file));
    if walked {
        let chosen = match &plan.project {
            Some(_) => mapping.is_some(),
            None => formats::is_answer(file),
        };
        if !chosen {
            let why = if plan.project.is_some() {
                format!("matches no [[map]] of {config_name}")
            } else {
                format!("not an answer file ({})", formats::usual())
            };
            plan.skipped.push((name, why));
            return;
        }
    } else if !plan.plain && args.rubric.is_none() && mapping.is_none() && !formats::is_answer(file) {
        plan.skipped
            .push((name, format!("not an answer file ({})", formats::usual())));
        return;
    }
    // A map's bar goes with its rubric: `--rubric` sets both aside.
    let bar = flag_bar.cloned().or_else(|| {
        mapping
            .filter(|_| args.rubric.is_none())
            .and_then(|m| m.min_score.map(|t| (t, m.min_score_shown.clone().unwrap_or_default())))
    });
    let (rubric, why) = if let Some(r) = &args.rubric {
        (r.clone(), "--rubric".to_string())
    } else if let Some(m) = mapping {
        (
            project::relative_to(&m.rubric, &plan.cwd),
            format!("map {} of {config_name}", m.index),
        )
    } else if let Some(r) = discover_rubric(file.parent().unwrap_or(Path::new("."))) {
        (plan.shown_rubric(r), "nearest rubric.toml".to_string())
    } else if walked || plan.project.is_some() {
        let why = if plan.project.is_some() {
            format!("matches no [[map]] of {config_name}, and no rubric.toml in its folder or above")
        } else {
            "no rubric.toml in its folder or above (use --rubric FILE)".to_string()
        };
        plan.skipped.push((name, why));
        return;
    } else {
        plan.problem(
            name,
            "no rubric given and no rubric.toml found in its folder or above; use --rubric FILE".into(),
        );
        return;
    };
    plan.targets.push(Target {
        path: file.to_path_buf(),
        name,
        rubric,
        why,
        bar,
    });
}

/// `--print-config`: the config, then each answer with its rubric and bar; names
/// [`printable_line`], reasons [`printable`].
fn print_config(args: &CheckArgs, plan: &Plan) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    match (&plan.project, &plan.config_path) {
        (Some(p), _) => {
            let _ = writeln!(
                s,
                "config: {} (project folder {})",
                printable_line(&shown(&project::relative_to(&p.path, &plan.cwd))),
                printable_line(&shown(&p.root))
            );
            if p.maps.is_empty() {
                let _ = writeln!(s, "  no [[map]]");
            }
            for m in &p.maps {
                let bar = m
                    .min_score_shown
                    .as_ref()
                    .map(|b| format!(", min_score {}", printable_line(b)))
                    .unwrap_or_default();
                let _ = writeln!(
                    s,
                    "  map {}: {} -> {}{bar}",
                    m.index,
                    printable_line(&m.files.join(", ")),
                    printable_line(&m.rubric_shown)
                );
            }
        }
        (None, _) => {
            let _ = writeln!(
                s,
                "config: none ({}/{} not found in {} or above)",
                project::CONFIG_DIR,
                project::CONFIG_FILE,
                printable_line(&shown(&plan.cwd))
            );
        }
    }
    if let Some(r) = &args.rubric {
        let _ = writeln!(
            s,
            "--rubric {} overrides the rubric of every answer",
            printable_line(&shown(r))
        );
    }
    if let Some(b) = &args.min_score {
        let _ = writeln!(
            s,
            "--min-score {} overrides the bar of every answer",
            printable_line(&b.text)
        );
    }
    let _ = writeln!(s);
    for t in &plan.targets {
        let bar = t
            .bar
            .as_ref()
            .map(|(_, b)| format!(", min_score {}", printable_line(b)))
            .unwrap_or_default();
        let _ = writeln!(
            s,
            "{}: rubric {} ({}){bar}",
            printable_line(&t.name),
            printable_line(&shown(&t.rubric)),
            printable(&t.why)
        );
    }
    for (name, why) in &plan.skipped {
        let _ = writeln!(s, "{}: skipped: {}", printable_line(name), printable(why));
    }
    for Problem { name, why, .. } in &plan.problems {
        let _ = writeln!(s, "{}: error: {}", printable_line(name), printable(why));
    }
    if plan.targets.is_empty() && plan.skipped.is_empty() && plan.problems.is_empty() {
        let _ = writeln!(s, "no answer files");
    }
    s
}

/// An answer read, to check.
struct Loaded {
    name: String,
    rubric: Rc<Rubric>,
    bar: Option<BarSpec>,
}

/// Reads every answer of the plan, checks them and prints the report; returns the exit code.
fn check(args: &CheckArgs, plan: &Plan, out: &mut Out) -> io::Result<i32> {
    // A `--since` file that cannot be used stops the run before any answer is checked.
    let previous = match &args.since {
        Some(path) => match super::since::read(path) {
            Some(p) => Some(p),
            None => return Ok(ERROR),
        },
        None => None,
    };
    let mut failed = false;
    let mut problems = plan.problems.iter().peekable();
    // The problems due before the answer `upto` (all of them, in a run that is not plain).
    let mut report_problems = |upto: usize| {
        let mut any = false;
        while let Some(p) = problems.next_if(|p| !plan.plain || p.at <= upto) {
            error(format!("{}: {}", p.name, p.why));
            any = true;
        }
        any
    };
    failed |= report_problems(0);
    if args.verbose {
        for (name, why) in &plan.skipped {
            note(&format!("skipped {name}: {why}"));
        }
    }
    let limits = args.answer_limits.limits();
    let mut rubrics: HashMap<PathBuf, Option<Rc<Rubric>>> = HashMap::new();
    let mut loaded = Vec::new();
    let mut sources: Vec<Source> = Vec::new();
    for (i, t) in plan.targets.iter().enumerate() {
        failed |= report_problems(i);
        let rubric = rubrics
            .entry(t.rubric.clone())
            .or_insert_with(|| match Rubric::load_with(&t.rubric, &args.rubric_limits.limits()) {
                Ok(mut r) => {
                    r.show_hints(args.hint_level as usize);
                    Some(Rc::new(r))
                }
                Err(e) => {
                    error(e);
                    None
                }
            })
            .clone();
        let Some(rubric) = rubric else {
            failed = true;
            continue;
        };
        // An empty answer file is checked as empty (score 0), with a note, as `mark` marks it.
        // Empty standard input is still an error: a pipe with nothing in it is a mistake.
        let source = if t.path.as_os_str() == "-" {
            read::read_reader(io::stdin().lock(), "<stdin>", Format::Markdown, &limits)
                .map(|s| (s, read::Notes::default()))
        } else {
            read::read_path_noted(&t.path, &limits)
        };
        let source = match source {
            Ok((s, notes)) => {
                if notes.empty {
                    note(&format!(
                        "{}: the answer is empty; it scores 0",
                        printable_line(&s.name)
                    ));
                }
                s
            }
            Err(e) => {
                error(e);
                failed = true;
                continue;
            }
        };
        loaded.push(Loaded {
            name: source.name.clone(),
            rubric,
            bar: t.bar.clone(),
        });
        sources.push(source);
    }
    failed |= report_problems(usize::MAX);
    // Named files a project maps to no rubric are skipped quietly (pre-commit passes every
    // changed file); a folder, or the whole project, with no answer in it is an error.
    let searched = args.paths.is_empty() || args.paths.iter().any(|p| p.is_dir());
    if loaded.is_empty() && !failed {
        if plan.skipped.is_empty() || searched {
            // A wrong path or an empty folder must not pass in CI, as with `rubric mark`.
            error(super::no_answer_files());
            failed = true;
        } else if !args.verbose {
            note(&format!(
                "no answer checked: {} file{} skipped (--verbose says why, --print-config shows the rubric of each)",
                plan.skipped.len(),
                if plan.skipped.len() == 1 { "" } else { "s" }
            ));
        }
    }
    let opts = Options {
        reveal: args.reveal,
        explain: args.explain,
        covered: args.covered,
    };
    let detail = Detail::from_explain(opts.explain);
    let assessed: Vec<crate::check::Checked> = loaded
        .iter()
        .zip(sources)
        .map(|(l, source)| crate::check::check(&l.rubric, source, detail))
        .collect();
    let bars: Vec<Option<Bar>> = loaded
        .iter()
        .zip(&assessed)
        .map(|(l, c)| {
            l.bar.as_ref().map(|(t, shown)| Bar {
                shown: shown.clone(),
                met: t.met(c.assessment.score, c.assessment.max),
            })
        })
        .collect();
    let progress = match &previous {
        Some(previous) => {
            let answers: Vec<_> = loaded
                .iter()
                .zip(&assessed)
                .map(|(l, c)| (l.name.as_str(), &*l.rubric, &c.assessment))
                .collect();
            let (progress, wrong) = super::since::compare(previous, &answers, args.format, note);
            failed |= wrong;
            progress
        }
        None => loaded.iter().map(|_| None).collect(),
    };
    let checked: Vec<Checked> = loaded
        .iter()
        .zip(&assessed)
        .zip(&bars)
        .zip(&progress)
        .map(|(((l, c), b), p)| {
            Checked::new(&l.name, &l.rubric, &c.assessment, &c.doc)
                .with_bar(b.as_ref())
                .with_progress(p.as_ref())
        })
        .collect();
    let short = checked.iter().any(Checked::short);
    let mut reporter = args.format.reporter(opts);
    for c in &checked {
        out.write(&reporter.answer(c))?;
    }
    out.write(&reporter.finish())?;
    Ok(if failed {
        ERROR
    } else if short {
        FELL_SHORT
    } else {
        SUCCESS
    })
}

/// A remark on standard error (not an error).
fn note(message: &str) {
    use std::io::Write;
    let style = anstyle::Style::new().bold();
    let mut err = anstream::stderr();
    let _ = writeln!(err, "{style}note:{style:#} {}", printable(message));
}

/// `path` made absolute through its folder, which exists even while an editor replaces the file.
fn watch_key(path: &Path) -> Option<PathBuf> {
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    Some(std::fs::canonicalize(parent).ok()?.join(path.file_name()?))
}

/// `--watch`: check, then again each time a watched file changes, until interrupted.
fn watch(args: &CheckArgs, flag_bar: Option<BarSpec>) -> Result<i32, Failure> {
    use notify::{EventKind, RecursiveMode, Watcher};
    if args.paths.iter().any(|p| p.as_os_str() == "-") {
        return Err(Failure::new(
            "--watch cannot watch standard input: name the answer files",
        ));
    }
    if args.print_config {
        return Err(Failure::new("--watch and --print-config do not go together"));
    }
    let terminal = io::stdout().is_terminal();
    let (tx, rx) = mpsc::channel::<notify::Result<notify::Event>>();
    let mut round = 0usize;
    loop {
        // What to watch this round: the answers, their rubrics, the config, the folders walked.
        let plan = plan(args, flag_bar.as_ref());
        let mut files: HashSet<PathBuf> = HashSet::new();
        let mut dirs: HashSet<PathBuf> = HashSet::new();
        match &plan {
            Ok(plan) => {
                for t in &plan.targets {
                    files.extend(watch_key(&t.path));
                    files.extend(watch_key(&t.rubric));
                }
                for p in &plan.problems {
                    files.extend(watch_key(Path::new(&p.name)));
                }
                dirs.extend(plan.dirs.iter().cloned());
                if let Some(c) = &plan.config_path {
                    files.insert(c.clone());
                }
            }
            Err(failure) => {
                // A broken config: wait for it to be fixed.
                failure.print();
                if let Some(c) = project::discover(Path::new(".")) {
                    files.insert(c);
                }
            }
        }
        let mut watcher = match notify::recommended_watcher(tx.clone()) {
            Ok(w) => w,
            Err(e) => return Err(Failure::new(format!("cannot watch files: {e}"))),
        };
        let mut watched: HashSet<PathBuf> = HashSet::new();
        for f in &files {
            if let Some(parent) = f.parent()
                && watched.insert(parent.to_path_buf())
                && let Err(e) = watcher.watch(parent, RecursiveMode::NonRecursive)
            {
                error(format!("cannot watch {}: {e}", parent.display()));
            }
        }
        for d in &dirs {
            if watched.insert(d.clone()) {
                let _ = watcher.watch(d, RecursiveMode::Recursive);
            }
        }
        if round > 0 && terminal {
            // Straight to the terminal: `--color never` strips escape sequences from `Out`.
            use std::io::Write;
            let mut stdout = io::stdout();
            stdout.write_all(b"\x1b[2J\x1b[3J\x1b[H")?;
            stdout.flush()?;
        }
        let mut out = Out::new(args.color);
        if let Ok(plan) = &plan {
            check(args, plan, &mut out)?;
        }
        note(&format!(
            "watching {} file{} and {} folder{} for changes (Ctrl-C to stop)",
            files.len(),
            if files.len() == 1 { "" } else { "s" },
            dirs.len(),
            if dirs.len() == 1 { "" } else { "s" }
        ));
        // Wait for a change that matters, then for the burst of events of one save to end.
        let relevant = |event: &notify::Event| {
            let kind = match event.kind {
                EventKind::Access(notify::event::AccessKind::Close(notify::event::AccessMode::Write)) => true,
                EventKind::Access(_) => false,
                _ => true,
            };
            let hidden = |rel: &Path| {
                rel.components()
                    .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
            };
            kind && event
                .paths
                .iter()
                .any(|p| files.contains(p) || dirs.iter().any(|d| p.strip_prefix(d).is_ok_and(|rel| !hidden(rel))))
        };
        loop {
            match rx.recv() {
                Ok(Ok(event)) if relevant(&event) => break,
                Ok(_) => {}
                Err(_) => return Ok(ERROR),
            }
        }
        while rx.recv_timeout(Duration::from_millis(150)).is_ok() {}
        drop(watcher);
        while rx.try_recv().is_ok() {}
        round += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn args(argv: &[&str]) -> CheckArgs {
        let argv = ["rubric", "check"].iter().chain(argv);
        match super::super::Cli::try_parse_from(argv).unwrap().command {
            super::super::args::Command::Check(a) => a,
            _ => unreachable!(),
        }
    }

    /// A folder with a rubric.toml, an answer, and a file of another type.
    fn folder() -> (tempfile::TempDir, String, String) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("rubric.toml"), "").unwrap();
        let answer = dir.path().join("a.txt");
        std::fs::write(&answer, "x").unwrap();
        let other = dir.path().join("notes.text");
        std::fs::write(&other, "x").unwrap();
        let shown = |p: PathBuf| p.display().to_string();
        (dir, shown(answer), shown(other))
    }

    #[test]
    fn a_plain_run_checks_every_file_named_in_order() {
        let (_dir, answer, other) = folder();
        let plan = plan(&args(&[&answer, "missing.txt", &other, &answer]), None).unwrap();
        assert!(plan.plain);
        let names: Vec<&str> = plan.targets.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, [&answer, &other, &answer]);
        // Its rubric as found: an absolute path.
        assert!(
            plan.targets
                .iter()
                .all(|t| t.rubric.is_absolute() && t.why == "nearest rubric.toml")
        );
        // The missing file is reported after the first answer, in its place.
        assert_eq!(plan.problems.len(), 1);
        assert_eq!(
            (plan.problems[0].why.as_str(), plan.problems[0].at),
            ("no such file", 1)
        );
    }

    #[test]
    fn a_workflow_run_checks_each_answer_file_once() {
        let (_dir, answer, other) = folder();
        let plan = plan(&args(&["--format", "line", &answer, &other, &answer]), None).unwrap();
        assert!(!plan.plain);
        let names: Vec<&str> = plan.targets.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, [&answer]);
        assert_eq!(plan.skipped.len(), 1);
        assert_eq!(plan.skipped[0].0, other);
        assert!(plan.skipped[0].1.starts_with("not an answer file"));
    }

    #[test]
    fn with_a_rubric_given_every_file_named_is_checked() {
        let (_dir, answer, other) = folder();
        for format in ["human", "line"] {
            let plan = plan(&args(&["-f", format, "-r", "r.toml", &answer, &other]), None).unwrap();
            assert_eq!(plan.targets.len(), 2, "{format}");
            assert!(
                plan.targets
                    .iter()
                    .all(|t| t.rubric == Path::new("r.toml") && t.why == "--rubric")
            );
        }
    }

    #[test]
    fn a_folder_makes_a_workflow_run() {
        let (dir, answer, _) = folder();
        let plan = plan(&args(&[&dir.path().display().to_string()]), None).unwrap();
        assert!(!plan.plain);
        let names: Vec<&str> = plan.targets.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, [&answer]);
        assert_eq!(plan.dirs.len(), 1);
    }
}
