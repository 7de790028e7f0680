//! `rubric check` for writing workflows (docs/ci.md): folders and the project config
//! (`.rubric/config.toml`), `--print-config`, `--verbose`, `--watch`, and the CI formats
//! (`github`, `junit`, `sarif`, `line`).
//!
//! [`super::check`] hands a run over to [`run`] whenever one of these is in play; plain
//! `rubric check --rubric R FILE...` without a project config stays there.
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

use std::collections::{HashMap, HashSet};
use std::io::{self, IsTerminal};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::mpsc;
use std::time::Duration;

use super::args::{CheckArgs, CheckFormat};
use super::config::{Threshold, discover_rubric};
use super::{ERROR, FELL_SHORT, Out, SUCCESS, error};
use crate::batch::walk;
use crate::project::{self, Project};
use crate::report::ci::{Bar, Checked};
use crate::report::printable::{printable, printable_line};
use crate::report::{self, Options};
use crate::scheme::Rubric;
use crate::score::{Assessment, assess};
use crate::text::formats;
use crate::text::read::{self, Format, Limits};
use crate::text::tokens::Document;

/// Whether this run needs more than the plain `check` loop.
pub(super) fn takes_over(args: &CheckArgs) -> bool {
    !matches!(args.format, CheckFormat::Human | CheckFormat::Json)
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
    problems: Vec<(String, String)>,
    /// Folders walked (absolute), for `--watch`.
    dirs: Vec<PathBuf>,
}

pub(super) fn run(args: CheckArgs) -> io::Result<i32> {
    let flag_bar = match args.min_score.as_deref().map(Threshold::parse).transpose() {
        Ok(t) => t.map(|t| (t, args.min_score.clone().unwrap_or_default())),
        Err(e) => {
            error(e);
            return Ok(ERROR);
        }
    };
    if args.watch {
        return watch(&args, flag_bar);
    }
    let plan = match plan(&args, flag_bar.as_ref()) {
        Ok(p) => p,
        Err(code) => return Ok(code),
    };
    let mut out = Out::new(args.color);
    if args.print_config {
        out.write(&print_config(&args, &plan))?;
        return Ok(SUCCESS);
    }
    check(&args, &plan, &mut out)
}

fn shown(path: &Path) -> String {
    path.display().to_string()
}

/// Works out the answers and their rubrics. `Err` holds the exit code of a run that cannot
/// start (a bad config, nothing to read); the message has been printed.
fn plan(args: &CheckArgs, flag_bar: Option<&BarSpec>) -> Result<Plan, i32> {
    let cwd = std::env::current_dir()
        .and_then(std::fs::canonicalize)
        .unwrap_or_else(|_| PathBuf::from("."));
    let mut plan = Plan {
        cwd: cwd.clone(),
        config_path: project::discover(&cwd),
        ..Plan::default()
    };
    if let Some(path) = &plan.config_path {
        let shown_path = project::relative_to(path, &cwd);
        match Project::load(&shown_path) {
            Ok(p) => plan.project = Some(p),
            Err(e) => {
                error(e);
                return Err(ERROR);
            }
        }
    }
    let mut paths = args.paths.clone();
    if paths.is_empty() {
        if let Some(p) = &plan.project {
            paths.push(project::relative_to(&p.root, &cwd));
        } else if io::stdin().is_terminal() || args.watch {
            error(
                "no answer given: name answer files or folders, `-` to read standard input, or add a .rubric/config.toml (docs/ci.md)\n\n  rubric check --rubric rubrics/stalin-rise.toml samples/stalin/strong.txt",
            );
            return Err(ERROR);
        } else {
            paths.push(PathBuf::from("-"));
        }
    }
    let mut seen: HashSet<PathBuf> = HashSet::new();
    for path in &paths {
        if path.as_os_str() == "-" {
            let rubric = match &args.rubric {
                Some(r) => Some((r.clone(), "--rubric".to_string())),
                None => discover_rubric(Path::new("."))
                    .map(|r| (project::relative_to(&r, &cwd), "nearest rubric.toml".to_string())),
            };
            match rubric {
                Some((rubric, why)) => plan.targets.push(Target {
                    path: path.clone(),
                    name: "<stdin>".into(),
                    rubric,
                    why,
                    bar: flag_bar.cloned(),
                }),
                None => plan.problems.push((
                    "<stdin>".into(),
                    "no rubric given and no rubric.toml found in the current folder or above; use --rubric FILE".into(),
                )),
            }
            continue;
        }
        if !path.exists() {
            plan.problems.push((shown(path), "no such file".into()));
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
                plan.problems.push((p.file, p.reason));
            }
            plan.skipped
                .extend(walked.skipped.into_iter().map(|s| (s.file, s.reason)));
            for found in walked.files {
                // Files of the current folder are shown as `a.txt`, not `./a.txt`.
                let file = match found.path.strip_prefix(".") {
                    Ok(rest) if path.as_os_str() == "." => rest.to_path_buf(),
                    _ => found.path,
                };
                let key = std::fs::canonicalize(&file).unwrap_or_else(|_| file.clone());
                if seen.insert(key) {
                    resolve(&mut plan, args, flag_bar, &file, true);
                }
            }
        } else {
            let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.clone());
            if seen.insert(key) {
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
    } else if args.rubric.is_none() && mapping.is_none() && !formats::is_answer(file) {
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
        (project::relative_to(&r, &plan.cwd), "nearest rubric.toml".to_string())
    } else if walked || plan.project.is_some() {
        let why = if plan.project.is_some() {
            format!("matches no [[map]] of {config_name}, and no rubric.toml in its folder or above")
        } else {
            "no rubric.toml in its folder or above (use --rubric FILE)".to_string()
        };
        plan.skipped.push((name, why));
        return;
    } else {
        plan.problems.push((
            name,
            "no rubric given and no rubric.toml found in its folder or above; use --rubric FILE".into(),
        ));
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
        let _ = writeln!(s, "--min-score {} overrides the bar of every answer", printable_line(b));
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
    for (name, why) in &plan.problems {
        let _ = writeln!(s, "{}: error: {}", printable_line(name), printable(why));
    }
    if plan.targets.is_empty() && plan.skipped.is_empty() && plan.problems.is_empty() {
        let _ = writeln!(s, "no answer files");
    }
    s
}

/// A checked answer, read and segmented; assessed when rendered.
struct Loaded {
    name: String,
    rubric: Rc<Rubric>,
    doc: Document,
    bar: Option<BarSpec>,
}

/// Reads every answer of the plan, checks them and prints the report; returns the exit code.
fn check(args: &CheckArgs, plan: &Plan, out: &mut Out) -> io::Result<i32> {
    let mut failed = false;
    for (name, why) in &plan.problems {
        error(format!("{name}: {why}"));
        failed = true;
    }
    if args.verbose {
        for (name, why) in &plan.skipped {
            note(&format!("skipped {name}: {why}"));
        }
    }
    let limits = Limits {
        max_bytes: args.max_answer_bytes,
        max_unzipped_bytes: args.max_unzipped_bytes,
        ..Limits::default()
    };
    let mut rubrics: HashMap<PathBuf, Option<Rc<Rubric>>> = HashMap::new();
    let mut loaded = Vec::new();
    for t in &plan.targets {
        let rubric = rubrics
            .entry(t.rubric.clone())
            .or_insert_with(|| match Rubric::load_with(&t.rubric, &args.rubric_limits.limits()) {
                Ok(r) => Some(Rc::new(r)),
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
        let source = if t.path.as_os_str() == "-" {
            read::read_reader(io::stdin().lock(), "<stdin>", Format::Markdown, &limits)
        } else {
            read::read_path(&t.path, &limits)
        };
        let source = match source {
            Ok(s) => s,
            Err(e) => {
                error(e);
                failed = true;
                continue;
            }
        };
        let doc = Document::new(source.text, source.format, &rubric.language);
        loaded.push(Loaded {
            name: source.name,
            rubric,
            doc,
            bar: t.bar.clone(),
        });
    }
    if loaded.is_empty() && !failed && !args.verbose {
        if plan.skipped.is_empty() {
            note("no answer files to check");
        } else {
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
    };
    let assessed: Vec<Assessment> = loaded.iter().map(|l| assess(&l.rubric, &l.doc, opts.explain)).collect();
    let bars: Vec<Option<Bar>> = loaded
        .iter()
        .zip(&assessed)
        .map(|(l, a)| {
            l.bar.as_ref().map(|(t, shown)| Bar {
                shown: shown.clone(),
                met: t.met(a.score, a.max),
            })
        })
        .collect();
    let checked: Vec<Checked> = loaded
        .iter()
        .zip(&assessed)
        .zip(&bars)
        .map(|((l, a), b)| Checked::new(&l.name, &l.rubric, a, &l.doc).with_bar(b.as_ref()))
        .collect();
    let short = checked.iter().any(Checked::short);
    match args.format {
        CheckFormat::Human => {
            for (i, c) in checked.iter().enumerate() {
                if i > 0 {
                    out.write("\n")?;
                }
                out.write(&report::human::render(c.file, c.rubric, c.doc, c.assessment, opts))?;
            }
        }
        CheckFormat::Json => {
            for c in &checked {
                let mut line = report::json::render(c.file, c.rubric, c.assessment, opts);
                line.push('\n');
                out.write(&line)?;
            }
        }
        CheckFormat::Github => out.write(&report::github::render(&checked))?,
        CheckFormat::Junit => out.write(&report::junit::render(&checked))?,
        CheckFormat::Sarif => out.write(&report::sarif::render(&checked))?,
        CheckFormat::Line => out.write(&report::line::render(&checked))?,
    }
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
fn watch(args: &CheckArgs, flag_bar: Option<BarSpec>) -> io::Result<i32> {
    use notify::{EventKind, RecursiveMode, Watcher};
    if args.paths.iter().any(|p| p.as_os_str() == "-") {
        error("--watch cannot watch standard input: name the answer files");
        return Ok(ERROR);
    }
    if args.print_config {
        error("--watch and --print-config do not go together");
        return Ok(ERROR);
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
                for (name, _) in &plan.problems {
                    files.extend(watch_key(Path::new(name)));
                }
                dirs.extend(plan.dirs.iter().cloned());
                if let Some(c) = &plan.config_path {
                    files.insert(c.clone());
                }
            }
            Err(_) => {
                // A broken config: wait for it to be fixed.
                if let Some(c) = project::discover(Path::new(".")) {
                    files.insert(c);
                }
            }
        }
        let mut watcher = match notify::recommended_watcher(tx.clone()) {
            Ok(w) => w,
            Err(e) => {
                error(format!("cannot watch files: {e}"));
                return Ok(ERROR);
            }
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
