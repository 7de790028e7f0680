//! The data-driven cases of `tests/cli/cases.toml`, as ripgrep and typos keep theirs: each is
//! the arguments, optional standard input and files, the exit code and what standard output and
//! standard error must be, hold or lack. One test runs them all, on every core, and lists every
//! case that failed with what it printed. When an exit code and messages are all a test checks,
//! it belongs in that file rather than here.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::Deserialize;

use crate::common::*;

const CASES: &str = "tests/cli/cases.toml";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Cases {
    case: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    args: Vec<String>,
    #[serde(default)]
    each: Vec<String>,
    stdin: Option<String>,
    #[serde(default)]
    files: BTreeMap<String, String>,
    code: i32,
    stdout: Option<String>,
    #[serde(default)]
    stdout_has: Vec<String>,
    #[serde(default)]
    stdout_lacks: Vec<String>,
    stderr: Option<String>,
    #[serde(default)]
    stderr_has: Vec<String>,
    #[serde(default)]
    stderr_lacks: Vec<String>,
}

impl Case {
    /// Every string of the case that may hold `{each}` or `{dir}`.
    fn texts(&self) -> impl Iterator<Item = &String> {
        self.args
            .iter()
            .chain(&self.stdout)
            .chain(&self.stdout_has)
            .chain(&self.stdout_lacks)
            .chain(&self.stderr)
            .chain(&self.stderr_has)
            .chain(&self.stderr_lacks)
    }

    /// The mistakes in writing the case itself.
    fn mistakes(&self) -> Vec<String> {
        let uses = |token: &str| self.texts().any(|t| t.contains(token));
        let mut out = Vec::new();
        if self.each.is_empty() == uses("{each}") {
            out.push("`{each}` is used exactly when `each` is given".to_string());
        }
        if self.files.is_empty() == uses("{dir}") {
            out.push("`{dir}` is used exactly when `files` is given".to_string());
        }
        if let Some(name) = self
            .files
            .keys()
            .find(|n| n.contains(['/', '\\']) || n.starts_with('.'))
        {
            out.push(format!("file name {name:?}: a plain name in the temporary folder"));
        }
        if ![0, 1, 2].contains(&self.code) {
            out.push(format!("exit code {}: rubric exits 0, 1 or 2", self.code));
        }
        out
    }

    /// Runs the case once for `each` (when given), in `dir`; returns what went wrong.
    fn run(&self, each: Option<&str>, dir: Option<&Path>) -> Vec<String> {
        let fill = |s: &str| {
            let s = match each {
                Some(value) => s.replace("{each}", value),
                None => s.to_string(),
            };
            match dir {
                Some(d) => s.replace("{dir}", d.to_str().expect("UTF-8 temporary path")),
                None => s,
            }
        };
        let args: Vec<String> = self.args.iter().map(|a| fill(a)).collect();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = match &self.stdin {
            Some(input) => run_stdin(&args, fill(input).as_bytes()),
            None => run(&args),
        };
        let mut wrong = Vec::new();
        if run.code != self.code {
            wrong.push(format!("exit code {} (expected {})", run.code, self.code));
        }
        for (stream, got, exactly, has, lacks) in [
            (
                "stdout",
                &run.stdout,
                &self.stdout,
                &self.stdout_has,
                &self.stdout_lacks,
            ),
            (
                "stderr",
                &run.stderr,
                &self.stderr,
                &self.stderr_has,
                &self.stderr_lacks,
            ),
        ] {
            if let Some(exactly) = exactly
                && *got != fill(exactly)
            {
                wrong.push(format!("{stream} is not {:?}", fill(exactly)));
            }
            for part in has.iter().map(|p| fill(p)) {
                if !got.contains(&part) {
                    wrong.push(format!("{stream} lacks {part:?}"));
                }
            }
            for part in lacks.iter().map(|p| fill(p)) {
                if got.contains(&part) {
                    wrong.push(format!("{stream} holds {part:?}"));
                }
            }
            if got.contains("panicked") {
                wrong.push(format!("{stream}: a panic"));
            }
        }
        if wrong.is_empty() {
            return wrong;
        }
        let cut = |s: &str| s.chars().take(3000).collect::<String>();
        vec![format!(
            "{}\n  rubric {}\n  {}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.name,
            args.iter().map(|a| format!("{a:?}")).collect::<Vec<_>>().join(" "),
            wrong.join("\n  "),
            cut(&run.stdout),
            cut(&run.stderr)
        )]
    }

    /// Runs the case (once per value of `each`) in a new temporary folder holding its files.
    fn check(&self) -> Vec<String> {
        let dir = (!self.files.is_empty()).then(|| {
            let dir = tempfile::tempdir().expect("temporary folder");
            for (name, text) in &self.files {
                std::fs::write(dir.path().join(name), text).expect("case file");
            }
            dir
        });
        let dir = dir.as_ref().map(tempfile::TempDir::path);
        if self.each.is_empty() {
            return self.run(None, dir);
        }
        self.each.iter().flat_map(|value| self.run(Some(value), dir)).collect()
    }
}

fn cases() -> Vec<Case> {
    let text = std::fs::read_to_string(path(CASES)).expect("the cases file");
    let cases: Cases = toml::from_str(&text).unwrap_or_else(|e| panic!("{CASES}: {e}"));
    cases.case
}

#[test]
fn the_cases_are_well_formed() {
    let cases = cases();
    assert!(cases.len() >= 20, "{} cases", cases.len());
    let mut names: Vec<&str> = cases.iter().map(|c| c.name.as_str()).collect();
    names.sort_unstable();
    let before = names.len();
    names.dedup();
    assert_eq!(names.len(), before, "{CASES}: two cases have the same name");
    let mistakes: Vec<String> = cases
        .iter()
        .flat_map(|c| c.mistakes().into_iter().map(move |m| format!("{}: {m}", c.name)))
        .collect();
    assert!(mistakes.is_empty(), "{CASES}:\n{}", mistakes.join("\n"));
}

#[test]
fn every_case_gives_its_exit_code_and_output() {
    let cases = cases();
    let next = AtomicUsize::new(0);
    let failed = Mutex::new(Vec::new());
    let workers = std::thread::available_parallelism()
        .map_or(2, usize::from)
        .min(cases.len());
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                while let Some(case) = cases.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let wrong = case.check();
                    failed.lock().expect("no worker panicked").extend(wrong);
                }
            });
        }
    });
    let failed = failed.into_inner().expect("no worker panicked");
    assert!(
        failed.is_empty(),
        "{} of the runs of {CASES} failed:\n\n{}",
        failed.len(),
        failed.join("\n\n")
    );
}
