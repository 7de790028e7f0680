//! Helpers shared by the command-line tests: running the built binary from the package root
//! and reading what it printed.

use std::path::{Path, PathBuf};

/// The seed rubric.
pub const STALIN: &str = "rubrics/stalin-rise.toml";
/// A small valid rubric: one question, points `armies` and `gracchi`.
pub const ROMAN: &str = "tests/fixtures/cli/roman.toml";
/// An answer that covers `armies` of [`ROMAN`] and misses `gracchi` (1 of 2 marks).
pub const ROMAN_ARMIES: &str = "tests/fixtures/cli/answers/armies.txt";

/// The package root: the binary's working directory in these tests.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The path of a file of the package.
pub fn path(relative: &str) -> PathBuf {
    root().join(relative)
}

/// The binary's path.
pub fn bin() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_rubric"))
}

/// A command for the binary, run from the package root with no colour- or width-related
/// environment, so the tests do not depend on the terminal or the shell they are run from.
pub fn rubric() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::new(bin());
    cmd.current_dir(root());
    for var in [
        "NO_COLOR",
        "CLICOLOR",
        "CLICOLOR_FORCE",
        "FORCE_COLOR",
        "COLUMNS",
        "LINES",
    ] {
        cmd.env_remove(var);
    }
    cmd
}

/// What one run printed, and how it ended.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub raw_stdout: Vec<u8>,
}

impl Run {
    /// Asserts the exit code, showing everything the run printed when it differs.
    #[track_caller]
    pub fn code(&self, expected: i32) -> &Run {
        assert_eq!(
            self.code, expected,
            "exit code {} (expected {expected})\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.code, self.stdout, self.stderr
        );
        self
    }

    /// Asserts that standard output contains `needle`.
    #[track_caller]
    pub fn stdout_has(&self, needle: &str) -> &Run {
        assert!(
            self.stdout.contains(needle),
            "stdout lacks {needle:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.stdout,
            self.stderr
        );
        self
    }

    /// Asserts that standard error contains `needle`.
    #[track_caller]
    pub fn stderr_has(&self, needle: &str) -> &Run {
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.stdout,
            self.stderr
        );
        self
    }

    /// The lines of standard output parsed as JSON, one answer each.
    #[track_caller]
    pub fn json_lines(&self) -> Vec<serde_json::Value> {
        self.stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
            .collect()
    }

    /// The single JSON object on standard output.
    #[track_caller]
    pub fn json(&self) -> serde_json::Value {
        let mut lines = self.json_lines();
        assert_eq!(lines.len(), 1, "expected one JSON line:\n{}", self.stdout);
        lines.remove(0)
    }
}

/// Runs a prepared command and collects its output.
pub fn run_cmd(cmd: &mut assert_cmd::Command) -> Run {
    let out = cmd.output().expect("the binary runs");
    Run {
        code: out.status.code().expect("exited, not killed by a signal"),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        raw_stdout: out.stdout,
    }
}

/// Runs `rubric ARGS...` from the package root, with nothing on standard input.
pub fn run(args: &[&str]) -> Run {
    run_cmd(rubric().args(args))
}

/// Runs `rubric ARGS...` from the package root with `input` piped to standard input.
pub fn run_stdin(args: &[&str], input: &[u8]) -> Run {
    run_cmd(rubric().args(args).write_stdin(input.to_vec()))
}

/// Runs `rubric check -r RUBRIC --format json FILE` and returns the report.
pub fn check_json(rubric_path: &str, file: &str, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["check", "-r", rubric_path, "--format", "json"];
    args.extend_from_slice(extra);
    args.push(file);
    let r = run(&args);
    r.code(0);
    r.json()
}

/// Every point of a JSON report, with its question id.
pub fn points(report: &serde_json::Value) -> Vec<&serde_json::Value> {
    report["questions"]
        .as_array()
        .expect("questions is an array")
        .iter()
        .flat_map(|q| q["points"].as_array().expect("points is an array"))
        .collect()
}

/// The point `id` of a JSON report.
#[track_caller]
pub fn point<'a>(report: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    points(report)
        .into_iter()
        .find(|p| p["id"] == id)
        .unwrap_or_else(|| panic!("no point `{id}` in the report"))
}

/// The byte range `start..end` of a piece of evidence.
#[track_caller]
pub fn span(evidence: &serde_json::Value) -> (usize, usize) {
    let at = |k: &str| {
        evidence[k]
            .as_u64()
            .unwrap_or_else(|| panic!("evidence `{k}`: {evidence}")) as usize
    };
    (at("start"), at("end"))
}

/// The rubric file parsed as plain TOML, to compare reports with what the rubric declares.
pub fn rubric_toml(relative: &str) -> toml::Table {
    let text = std::fs::read_to_string(path(relative)).expect("rubric readable");
    text.parse().expect("rubric is TOML")
}

/// `(question id, [point ids])` of a rubric, in order, read from the TOML itself (the points
/// that earn marks: misconceptions, `misconception = true`, are reported apart).
pub fn declared_points(relative: &str) -> Vec<(String, Vec<String>)> {
    let t = rubric_toml(relative);
    t["question"]
        .as_array()
        .expect("[[question]]")
        .iter()
        .map(|q| {
            let points = q["point"]
                .as_array()
                .expect("[[question.point]]")
                .iter()
                .filter(|p| p.get("misconception").and_then(|m| m.as_bool()) != Some(true))
                .map(|p| p["id"].as_str().expect("point id").to_string())
                .collect();
            (q["id"].as_str().expect("question id").to_string(), points)
        })
        .collect()
}

/// The `reveal` text of each point of a rubric, by point id.
pub fn reveals(relative: &str) -> Vec<(String, String)> {
    let t = rubric_toml(relative);
    let mut out = Vec::new();
    for q in t["question"].as_array().expect("[[question]]") {
        for p in q["point"].as_array().expect("[[question.point]]") {
            if let Some(r) = p.get("reveal").and_then(|r| r.as_str()) {
                out.push((p["id"].as_str().expect("id").to_string(), r.to_string()));
            }
        }
    }
    out
}

/// The answer files shipped in `samples/stalin/` (everything but the teacher's labels), sorted.
pub fn sample_answers() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(path("samples/stalin"))
        .expect("samples/stalin exists")
        .map(|e| e.expect("dir entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".txt") || n.ends_with(".md"))
        .collect();
    names.sort();
    names
}
