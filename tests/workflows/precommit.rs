//! The pre-commit hook of `.pre-commit-hooks.yaml`, run by pre-commit itself on a throwaway git
//! repository holding a project config and two essays.
//!
//! - [`hook_manifest`] always runs: the manifest says what docs/ci.md says.
//! - [`pre_commit_runs_the_hook`] runs when `RUBRIC_PRECOMMIT_TESTS=1` (`.ci/run` sets it after
//!   `pip install pre-commit`), and then fails, rather than skips, if pre-commit is missing. The
//!   manifest's `language: rust` makes pre-commit build the crate with `cargo install` (a cold
//!   release build took 8 minutes on CI's two cores), so this test declares the manifest's hook
//!   (same id, entry and file types) as a local `language: system` hook running the binary under
//!   test, then runs `pre-commit run` and a real `git commit` through it.
//! - [`pre_commit_builds_the_rust_hook_as_users_get_it`] runs when `RUBRIC_PRECOMMIT_TESTS=rust`
//!   (which `.ci/run` sets; `rust` runs the test above as well): a `.pre-commit-config.yaml`
//!   naming a copy of this repository and its commit, so that pre-commit builds the hook exactly
//!   as users get it. `CARGO_TARGET_DIR` points at
//!   `target/precommit` so that later runs build incrementally; the first one is a cold release
//!   build (about 8 minutes on two cores), well inside CI's 90.
//!
//! Any other value of `RUBRIC_PRECOMMIT_TESTS` fails the tests instead of skipping them.

use std::path::Path;
use std::process::Command;

use super::common::*;

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=rubric tests",
            "-c",
            "user.email=tests@example.invalid",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The repository's files: tracked, and untracked but not ignored (everything but `target/` and
/// `.git/` when this is no git work tree).
fn repository_files() -> Vec<String> {
    let listed = Command::new("git")
        .args(["ls-files", "-z", "--cached", "--others", "--exclude-standard"])
        .current_dir(root())
        .output();
    if let Ok(out) = listed
        && out.status.success()
    {
        return out
            .stdout
            .split(|&b| b == 0)
            .filter(|n| !n.is_empty())
            .map(|n| String::from_utf8_lossy(n).into_owned())
            .collect();
    }
    fn walk(dir: &Path, rel: &str, out: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if rel.is_empty() && (name == "target" || name == ".git") {
                continue;
            }
            let r = if rel.is_empty() {
                name.clone()
            } else {
                format!("{rel}/{name}")
            };
            if e.file_type().unwrap().is_dir() {
                walk(&e.path(), &r, out);
            } else {
                out.push(r);
            }
        }
    }
    let mut out = Vec::new();
    walk(root(), "", &mut out);
    out
}

/// This repository's files copied into a new git repository with one commit, so that pre-commit
/// sees the hook as it is in the work tree, committed or not.
fn hook_repo(into: &Path) {
    for name in repository_files() {
        let from = root().join(&name);
        if !from.is_file() {
            continue; // deleted in the work tree
        }
        let to = into.join(&name);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(&from, &to).unwrap();
    }
    git(into, &["init", "-q"]);
    git(into, &["add", "-A"]);
    git(into, &["commit", "-q", "-m", "hook under test"]);
}

fn pre_commit(dir: &Path, home: &Path, args: &[&str]) -> (i32, String) {
    let out = Command::new("pre-commit")
        .args(args)
        .current_dir(dir)
        .env("PRE_COMMIT_HOME", home)
        .env("CARGO_TARGET_DIR", root().join("target/precommit"))
        .env("PRE_COMMIT_COLOR", "never")
        .env("NO_COLOR", "1")
        .output()
        .expect("run pre-commit");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), text)
}

/// The manifest's one hook, as (key, value) lines.
fn manifest() -> Vec<(String, String)> {
    std::fs::read_to_string(root().join(".pre-commit-hooks.yaml"))
        .unwrap()
        .lines()
        .filter(|l| !l.trim_start().starts_with('#') && l.contains(':'))
        .map(|l| {
            let (k, v) = l.trim_start_matches(['-', ' ']).split_once(':').unwrap();
            (k.trim().to_string(), v.trim().to_string())
        })
        .collect()
}

fn manifest_value(key: &str) -> String {
    manifest()
        .into_iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v)
        .unwrap_or_else(|| panic!("no `{key}` in .pre-commit-hooks.yaml"))
}

#[test]
fn hook_manifest() {
    assert_eq!(manifest_value("id"), "rubric-check");
    assert_eq!(manifest_value("entry"), "rubric check --format line");
    assert_eq!(manifest_value("language"), "rust");
    assert_eq!(manifest_value("types_or"), "[markdown, text]");
}

/// Whether the pre-commit tests should run (`what` is `1` or `rust`; `rust` runs both). Fails,
/// rather than skips, when the variable holds anything else (a mistyped value would skip
/// silently) or when asked to run without the tools the test needs.
fn wanted(what: &str) -> bool {
    let set = std::env::var("RUBRIC_PRECOMMIT_TESTS").unwrap_or_default();
    assert!(
        ["", "1", "rust"].contains(&set.as_str()),
        "RUBRIC_PRECOMMIT_TESTS={set:?}: the values are 1 (the hook on the binary under test) and \
         rust (also the hook as users get it, built by pre-commit)"
    );
    if set != what && !(what == "1" && set == "rust") {
        eprintln!("pre-commit test skipped: set RUBRIC_PRECOMMIT_TESTS={what} to run it");
        return false;
    }
    let runs = |tool: &str| {
        Command::new(tool)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    };
    assert!(
        runs("pre-commit"),
        "RUBRIC_PRECOMMIT_TESTS={set} but pre-commit is not installed (pip install pre-commit)"
    );
    assert!(runs("git"), "RUBRIC_PRECOMMIT_TESTS={set} but git is not installed");
    // pre-commit builds a `language: rust` hook with the cargo on PATH (and installs rustup
    // without one, which would need the network).
    assert!(
        what != "rust" || runs("cargo"),
        "RUBRIC_PRECOMMIT_TESTS=rust but cargo is not on PATH"
    );
    true
}

/// A git repository with a project config, a weak and a strong essay, and notes that no map
/// covers; nothing committed yet.
fn essays_repo() -> tempfile::TempDir {
    let p = tempfile::Builder::new().prefix("rubric-precommit").tempdir().unwrap();
    let dir = p.path();
    write(
        &dir.join(".rubric/config.toml"),
        "[[map]]\nfiles = [\"essays/**/*.md\"]\nrubric = \"roman.toml\"\nmin_score = \"60%\"\n",
    );
    write(
        &dir.join("roman.toml"),
        &std::fs::read_to_string(fixture("roman.toml")).unwrap(),
    );
    write(
        &dir.join("essays/weak.md"),
        &std::fs::read_to_string(fixture("answer.txt")).unwrap(),
    );
    write(
        &dir.join("essays/strong.md"),
        &std::fs::read_to_string(fixture("strong.md")).unwrap(),
    );
    write(&dir.join("notes.md"), "Things to do.\n");
    git(dir, &["init", "-q"]);
    p
}

/// What the weak essay's failure must show.
fn assert_weak_fails(code: i32, out: &str) {
    assert_eq!(code, 1, "the weak essay fails the hook:\n{out}");
    assert!(out.contains("rubric check"), "{out}");
    // Student-safe: the point not yet made by its number and hint, not its id or label.
    assert!(
        out.contains("essays/weak.md:1:1: missing 2.1: Who crossed the Rubicon, and what did he become?"),
        "{out}"
    );
    assert!(!out.contains("caesar") && !out.contains("dictator for life"), "{out}");
    assert!(out.contains("essays/weak.md:1:1: score total: 1.5/4 (38%)"), "{out}");
    assert!(out.contains("below the minimum 60%"), "{out}");
}

#[test]
fn pre_commit_runs_the_hook() {
    if !wanted("1") {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let p = essays_repo();
    let dir = p.path();
    // The manifest's hook, run from the binary under test instead of a cargo-installed one.
    let entry = manifest_value("entry");
    let args = entry.strip_prefix("rubric ").expect("the entry runs `rubric`");
    write(
        &dir.join(".pre-commit-config.yaml"),
        &format!(
            "repos:\n  - repo: local\n    hooks:\n      - id: {}\n        name: rubric check\n        entry: \"'{}' {args}\"\n        language: system\n        types_or: {}\n",
            manifest_value("id"),
            bin(),
            manifest_value("types_or"),
        ),
    );
    git(dir, &["add", "-A"]);

    let (code, out) = pre_commit(dir, home.path(), &["run", "--files", "essays/weak.md", "notes.md"]);
    assert_weak_fails(code, &out);
    let (code, out) = pre_commit(
        dir,
        home.path(),
        &["run", "--files", "essays/strong.md", "notes.md", "roman.toml"],
    );
    assert_eq!(code, 0, "the strong essay passes:\n{out}");
    assert!(out.contains("Passed"), "{out}");

    // As a git hook: the commit with the weak essay is refused, without it it goes through.
    let (code, out) = pre_commit(dir, home.path(), &["install"]);
    assert_eq!(code, 0, "{out}");
    let commit = |dir: &Path| {
        Command::new("git")
            .args([
                "-c",
                "user.name=rubric tests",
                "-c",
                "user.email=tests@example.invalid",
                "commit",
                "-q",
                "-m",
                "essays",
            ])
            .current_dir(dir)
            .env("PRE_COMMIT_HOME", home.path())
            .env("PRE_COMMIT_COLOR", "never")
            .output()
            .unwrap()
    };
    let refused = commit(dir);
    let text = String::from_utf8_lossy(&refused.stdout).into_owned() + &String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success(), "{text}");
    assert!(
        text.contains("essays/weak.md:1:1: missing 2.1: Who crossed the Rubicon"),
        "{text}"
    );
    git(dir, &["rm", "-q", "--cached", "essays/weak.md"]);
    let done = commit(dir);
    assert!(
        done.status.success(),
        "{}{}",
        String::from_utf8_lossy(&done.stdout),
        String::from_utf8_lossy(&done.stderr)
    );
}

/// The hook as users get it: a config naming this repository (a copy, committed) and its
/// commit, as in docs/ci.md, so that pre-commit clones it and builds the `language: rust` hook
/// with `cargo install`. Both runs use that one build (`try-repo` would clone and build again
/// for every run).
#[test]
fn pre_commit_builds_the_rust_hook_as_users_get_it() {
    if !wanted("rust") {
        return;
    }
    let hooks = tempfile::tempdir().unwrap();
    hook_repo(hooks.path());
    let rev = Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(hooks.path())
        .output()
        .expect("git rev-parse");
    let rev = String::from_utf8(rev.stdout).unwrap().trim().to_string();
    assert_eq!(rev.len(), 40, "a commit id: {rev:?}");
    let home = tempfile::tempdir().unwrap();
    let p = essays_repo();
    let dir = p.path();
    write(
        &dir.join(".pre-commit-config.yaml"),
        &format!(
            "repos:\n  - repo: {}\n    rev: {rev}\n    hooks:\n      - id: {}\n",
            hooks.path().to_str().unwrap(),
            manifest_value("id"),
        ),
    );
    git(dir, &["add", "-A"]);
    let (code, out) = pre_commit(dir, home.path(), &["run", "--files", "essays/weak.md", "notes.md"]);
    assert_weak_fails(code, &out);
    let (code, out) = pre_commit(dir, home.path(), &["run", "--files", "essays/strong.md", "notes.md"]);
    assert_eq!(code, 0, "the strong essay passes:\n{out}");
    assert!(out.contains("Passed"), "{out}");
}
