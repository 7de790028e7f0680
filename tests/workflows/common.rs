//! Helpers shared by the workflow tests: running the binary, fixtures, temporary projects.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The `rubric` binary under test.
pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_rubric")
}

/// The repository's root.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A file of `tests/fixtures/workflows/`, relative to the repository root (as reports show it).
pub const FIXTURES: &str = "tests/fixtures/workflows";

pub fn fixture(name: &str) -> PathBuf {
    root().join(FIXTURES).join(name)
}

/// What a finished run printed.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `rubric ARGS` in `dir`, with no standard input, and waits for it.
pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(bin())
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .stdin(Stdio::null())
        .output()
        .expect("run rubric");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs `rubric ARGS` at the repository root.
pub fn run(args: &[&str]) -> Run {
    run_in(root(), args)
}

pub fn write(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(path, text).unwrap();
}

/// A project in a temporary folder:
///
/// ```text
/// .rubric/config.toml       essays/history/**/*.md -> rubrics/roman.toml, min_score 60%
///                           essays/greek/*.txt      -> rubrics/greek.toml
/// rubrics/roman.toml, rubrics/greek.toml
/// essays/history/weak.md    (38%)   essays/history/y10/strong.md (100%)
/// essays/greek/athens.txt   notes/todo.md (mapped by nothing)
/// .hidden/x.md, target/x.md (never walked)
/// ```
pub fn project() -> tempfile::TempDir {
    let dir = tempfile::Builder::new().prefix("rubric-project").tempdir().unwrap();
    let p = dir.path();
    write(
        &p.join(".rubric/config.toml"),
        r#"# Which rubric for which answers.
[[map]]
files = ["essays/history/**/*.md"]
rubric = "rubrics/roman.toml"
min_score = "60%"

[[map]]
files = ["essays/greek/*.txt"]
rubric = "rubrics/greek.toml"
"#,
    );
    let read = |name: &str| std::fs::read_to_string(fixture(name)).unwrap();
    write(&p.join("rubrics/roman.toml"), &read("roman.toml"));
    write(&p.join("rubrics/greek.toml"), &read("greek.toml"));
    write(&p.join("essays/history/weak.md"), &read("answer.txt"));
    write(&p.join("essays/history/y10/strong.md"), &read("strong.md"));
    write(&p.join("essays/greek/athens.txt"), &read("athens.txt"));
    write(&p.join("notes/todo.md"), "Write the essay on private armies.\n");
    write(&p.join(".hidden/x.md"), &read("answer.txt"));
    write(&p.join("target/x.md"), &read("answer.txt"));
    write(&p.join("essays/history/.draft.md"), &read("answer.txt"));
    dir
}
