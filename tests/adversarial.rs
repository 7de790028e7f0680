//! Nothing breaks it: hostile and broken inputs through the `rubric` binary.
//!
//! Small inputs are committed in `tests/adversarial/` (see the README there); large or
//! dangerous ones (a 50 MB answer, a 10 MB line, zip bombs, generated rubrics, symbolic link
//! loops) are made in a temporary folder by each test. Every run must end within a time bound
//! (`assert_cmd`'s timeout is a hang guard, not a speed test), without a panic, with the expected
//! exit code (2 for bad input) and a message naming the file and the problem; good files given in
//! the same run must still be checked.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rubric::{Rubric, RubricError};

// Issue 16's hostile cases, one module per area (files in tests/adversarial/).
#[path = "support/documents.rs"]
mod build;
#[path = "adversarial/ci_formats.rs"]
mod ci_formats;
#[path = "adversarial/documents.rs"]
mod documents;
#[path = "adversarial/eval_paths.rs"]
mod eval_paths;
#[path = "support/lsp.rs"]
mod lsp_support;
#[path = "adversarial/memory.rs"]
mod memory;
#[path = "adversarial/outputs.rs"]
mod outputs;
#[path = "adversarial/serve_lsp.rs"]
mod serve_lsp;

const STALIN: &str = "rubrics/stalin-rise.toml";
const GOOD: &str = "samples/stalin/strong.txt";
/// Hang guard for one run of the (debug) binary.
const QUICK: Duration = Duration::from_secs(60);
/// Hang guard for runs on answers of many megabytes.
const SLOW: Duration = Duration::from_secs(300);

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn adversarial(name: &str) -> String {
    format!("tests/adversarial/{name}")
}

/// How one run ended.
struct Run {
    /// `None` when killed by a signal: the hang guard, or a crash (a stack overflow aborts).
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    /// Asserts the exit code and that nothing panicked, showing everything printed otherwise.
    #[track_caller]
    fn code(&self, expected: i32) -> &Run {
        assert!(
            self.code == Some(expected) && !self.stderr.contains("panicked"),
            "exit code {:?} (expected {expected}; None is a timeout or a crash)\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.code,
            self.stdout.chars().take(4000).collect::<String>(),
            self.stderr.chars().take(4000).collect::<String>()
        );
        self
    }

    /// Asserts that standard error holds every one of `parts`.
    #[track_caller]
    fn says(&self, parts: &[&str]) -> &Run {
        for part in parts {
            assert!(
                self.stderr.contains(part),
                "stderr lacks {part:?}:\n{}",
                self.stderr.chars().take(4000).collect::<String>()
            );
        }
        self
    }

    /// The JSON reports printed, by file name.
    fn reports(&self) -> Vec<serde_json::Value> {
        self.stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
            .collect()
    }
}

/// Runs the binary from the package root with `args`, killed after `limit`.
fn rubric(args: &[&str], limit: Duration) -> Run {
    rubric_in(root(), args, limit)
}

/// Runs the binary in `dir` with `args`, killed after `limit`.
fn rubric_in(dir: &Path, args: &[&str], limit: Duration) -> Run {
    rubric_as(None, dir, args, limit)
}

/// Runs the binary as the user `uid` (when given) in `dir` with `args`, killed after `limit`.
fn rubric_as(uid: Option<u32>, dir: &Path, args: &[&str], limit: Duration) -> Run {
    let mut cmd = assert_cmd::Command::from_std(command_as(uid));
    cmd.current_dir(dir).args(args).timeout(limit);
    for var in ["NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE", "FORCE_COLOR", "COLUMNS"] {
        cmd.env_remove(var);
    }
    let out = cmd.output().expect("runs rubric");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The binary, to be run as the user `uid` when given (and the group of the same number).
fn command_as(uid: Option<u32>) -> std::process::Command {
    #[allow(unused_mut)]
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_rubric"));
    #[cfg(unix)]
    if let Some(uid) = uid {
        use std::os::unix::process::CommandExt;
        cmd.uid(uid).gid(uid);
    }
    #[cfg(not(unix))]
    assert!(uid.is_none(), "users are changed on Unix only");
    cmd
}

/// The user `nobody`.
#[cfg(unix)]
const NOBODY: u32 = 65534;

/// Who to run the binary as for file permissions to bind: this user, or `nobody` when this user
/// is root (as tests often are, in containers), for whom permissions do not bind. Root may run a
/// program as another user; if that fails, so does the test: it cannot pass without having
/// made an unreadable file.
#[cfg(unix)]
fn bound_by_permissions() -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let probe = dir.path().join("probe");
    fs::write(&probe, "x").expect("write");
    fs::set_permissions(&probe, fs::Permissions::from_mode(0o000)).expect("chmod");
    fs::read(&probe).is_ok().then_some(NOBODY)
}

/// Lets everyone into `dir` (for the user `nobody`), and write there when `writable`.
#[cfg(unix)]
fn open_to_all(dir: &Path, writable: bool) {
    use std::os::unix::fs::PermissionsExt;
    let mode = if writable { 0o777 } else { 0o755 };
    fs::set_permissions(dir, fs::Permissions::from_mode(mode)).expect("chmod");
}

/// `rubric check -r RUBRIC --format json ARGS...`.
fn check(rubric_file: &str, args: &[&str], limit: Duration) -> Run {
    let mut all = vec!["check", "-r", rubric_file, "--format", "json"];
    all.extend_from_slice(args);
    rubric(&all, limit)
}

fn path_str(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

/// The status of a point in a JSON report.
fn status<'a>(report: &'a serde_json::Value, point: &str) -> &'a str {
    report["questions"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|q| q["points"].as_array().into_iter().flatten())
        .find(|p| p["id"] == point)
        .and_then(|p| p["status"].as_str())
        .unwrap_or("absent")
}

// ---------------------------------------------------------------------------------------------
// Answers.

/// Committed odd answers: each is checked (or refused with a message naming it), and the good
/// ones in the same run are still checked.
#[test]
fn odd_encodings_and_characters() {
    // Files that read: the patronage sentence is found in each, whatever surrounds it.
    let readable = [
        "invalid-utf8.txt",
        "utf16le-bom.txt",
        "utf16be-bom.txt",
        "utf16le.txt",
        "utf16be.txt",
        "combining.txt",
        "rtl.txt",
        "emoji.txt",
        "zero-width.txt",
    ];
    for name in readable {
        let file = adversarial(name);
        let run = check(STALIN, &[&file], QUICK);
        run.code(0);
        let reports = run.reports();
        assert_eq!(reports.len(), 1, "{name}");
        assert_eq!(status(&reports[0], "patronage"), "covered", "{name}: {}", run.stdout);
        // The human report too, with explanations.
        rubric(&["check", "-r", STALIN, "--explain", "--reveal", &file], QUICK).code(0);
    }
    // Files that do not: refused with the reason, by name.
    let file = adversarial("nul.txt");
    check(STALIN, &[&file], QUICK)
        .code(2)
        .says(&[&file, "looks like a binary file"]);
    // A blank answer is an answer: 0, with a note.
    let file = adversarial("blank.txt");
    check(STALIN, &[&file], QUICK)
        .code(0)
        .says(&[&file, "the answer is empty; it scores 0"]);

    // All at once, with a good answer among them: the bad ones reported, the rest checked.
    let mut args: Vec<String> = readable
        .iter()
        .chain(["nul.txt", "blank.txt"].iter())
        .map(|n| adversarial(n))
        .collect();
    args.push(GOOD.to_string());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = check(STALIN, &args, QUICK);
    run.code(2).says(&["nul.txt", "blank.txt: the answer is empty"]);
    let files: Vec<String> = run
        .reports()
        .iter()
        .map(|r| r["file"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(files.len(), readable.len() + 2, "{files:?}");
    assert!(files.iter().any(|f| f.ends_with("strong.txt")), "{files:?}");
}

/// Inputs that crashed a fuzz target (`fuzz/`), kept as `tests/adversarial/crash-*.txt`: every
/// report of them renders.
///
/// - `crash-glued-capital.txt` (`answer_reader`): "importantÖwere", a word glued to one that
///   starts with a non-ASCII capital, ended a sentence inside the "Ö"; the human report panicked.
#[test]
fn fuzz_crashes() {
    let mut crashes: Vec<String> = fs::read_dir(root().join("tests/adversarial"))
        .expect("corpus")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("crash-"))
        .map(|n| adversarial(&n))
        .collect();
    crashes.sort();
    assert!(!crashes.is_empty());
    for file in &crashes {
        rubric(&["check", "-r", STALIN, file], QUICK).code(0);
        rubric(&["check", "-r", STALIN, "--explain", "--reveal", file], QUICK).code(0);
        check(STALIN, &[file], QUICK).code(0);
    }
}

/// A 50 MB answer is refused by the size limit, with the flag to raise; raised, it is checked,
/// in every build (the debug binary takes about 40 s and 650 MB for it, the release one 4 s).
#[test]
fn a_50_megabyte_answer() {
    let dir = tempfile::tempdir().expect("tempdir");
    let big = dir.path().join("big.txt");
    let sentence = "Stalin used patronage to reward his allies, who then backed him in the party. ";
    let mut file = fs::File::create(&big).expect("create");
    let chunk = sentence.repeat(10_000);
    let mut written = 0;
    while written < 50 * 1000 * 1000 {
        file.write_all(chunk.as_bytes()).expect("write");
        written += chunk.len();
    }
    drop(file);
    let big = path_str(&big);
    check(STALIN, &[big, GOOD], QUICK).code(2).says(&[
        big,
        "too large to check",
        "the limit is 16777216 bytes",
        "--max-answer-bytes",
    ]);
    // Standard input is held to the same limit, and stops reading past it.
    let mut cmd = assert_cmd::Command::new(env!("CARGO_BIN_EXE_rubric"));
    let out = cmd
        .current_dir(root())
        .args(["check", "-r", STALIN, "-"])
        .pipe_stdin(big)
        .expect("stdin")
        .timeout(QUICK)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--max-answer-bytes"));

    let run = check(STALIN, &["--max-answer-bytes", "60000000", big], SLOW);
    run.code(0);
    let reports = run.reports();
    assert_eq!(reports.len(), 1);
    assert_eq!(status(&reports[0], "patronage"), "covered");
}

/// One 10 MB line without a space is one 10 MB "word": no misspelling, prefix or near-miss search
/// may take time in the square of its length.
#[test]
fn a_10_megabyte_line_without_spaces() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cases = [
        ("word.txt", "patronage".repeat(10 * 1024 * 1024 / 9)),
        ("bureaucracy.md", format!("bureaucra{}", "cy".repeat(5 * 1024 * 1024))),
        ("digits.txt", "1917".repeat(10 * 1024 * 1024 / 4)),
    ];
    for (name, text) in cases {
        let path = dir.path().join(name);
        fs::write(&path, text).expect("write");
        let path = path_str(&path);
        let run = check(STALIN, &["--explain", path, GOOD], SLOW);
        run.code(0);
        assert_eq!(run.reports().len(), 2, "{name}");
    }
}

/// Answers of megabytes with no full stop (one sentence), glued words or thousands of `unless`
/// phrases: each took time in the square of its length (looking for a later denial to the end
/// of the sentence for every match; counting the letters around every glue point; comparing
/// every match with every exclusion), minutes for these.
#[test]
fn megabytes_without_full_stops() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cases = [
        ("one-sentence.txt", "patronage jobs allies ".repeat(2_000_000 / 22)),
        ("commas.txt", "patronage, ".repeat(2_000_000 / 11)),
        ("glued.txt", "patronageThen".repeat(2_000_000 / 13)),
        ("unless.txt", "secretariat picked new members ".repeat(4_000_000 / 31)),
    ];
    for (name, text) in cases {
        let path = dir.path().join(name);
        fs::write(&path, text).expect("write");
        let run = check(STALIN, &[path_str(&path), GOOD], QUICK);
        run.code(0);
        assert_eq!(run.reports().len(), 2, "{name}");
    }
}

/// A hostile document is refused by name and the other answers are still checked; the limit on
/// unpacked bytes has a flag. (Each kind of damaged or hostile document, and what it says, is
/// tested on the reader: src/text/office/tests.rs; a real zip bomb under a memory limit in
/// tests/office.rs.)
#[test]
fn hostile_documents() {
    let mut spaces = vec![b' '; 8 * 1024 * 1024];
    spaces[..6].copy_from_slice(b"<a>   ");
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![(
        "bomb.odt",
        build::zip(&[("content.xml", spaces.as_slice())]),
        "refused to unpack",
    )];
    let dir = tempfile::tempdir().expect("tempdir");
    let mut all = Vec::new();
    for (name, bytes, why) in &cases {
        let path = dir.path().join(name);
        fs::write(&path, bytes).expect("write");
        let path = path_str(&path).to_string();
        check(STALIN, &[&path], QUICK).code(2).says(&[&path, why]);
        all.push(path);
    }
    all.push(GOOD.to_string());
    let all: Vec<&str> = all.iter().map(String::as_str).collect();
    let run = check(STALIN, &all, QUICK);
    run.code(2);
    assert_eq!(run.reports().len(), 1, "the good answer is still checked");

    // The limit on unpacked bytes: the fixture's text parts are a few KiB.
    let docx = "tests/fixtures/office/answer.docx";
    check(STALIN, &["--max-unzipped-bytes", "2000", docx], QUICK)
        .code(2)
        .says(&[docx, "refused to unpack", "--max-unzipped-bytes"]);
    check(STALIN, &["--max-unzipped-bytes", "10000000", docx], QUICK).code(0);
}

#[cfg(unix)]
#[test]
fn symbolic_link_loops_and_unreadable_files() {
    use std::os::unix::fs::{PermissionsExt, symlink};
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    symlink(d.join("loop.txt"), d.join("loop.txt")).expect("symlink");
    symlink(d.join("b.txt"), d.join("a.txt")).expect("symlink");
    symlink(d.join("a.txt"), d.join("b.txt")).expect("symlink");
    for name in ["loop.txt", "a.txt"] {
        let path = d.join(name);
        let path = path_str(&path);
        check(STALIN, &[path, GOOD], QUICK).code(2).says(&[path]);
    }

    // A file and a folder nobody may read: refused by name, the good answer still checked.
    // As root, the binary is run as `nobody`, for whom permissions bind.
    let user = bound_by_permissions();
    open_to_all(d, false);
    let secret = d.join("secret.txt");
    fs::copy(root().join(GOOD), &secret).expect("copy");
    fs::set_permissions(&secret, fs::Permissions::from_mode(0o000)).expect("chmod");
    let as_user = |args: &[&str]| {
        let mut all = vec!["check", "-r", STALIN, "--format", "json"];
        all.extend_from_slice(args);
        rubric_as(user, root(), &all, QUICK)
    };
    let run = as_user(&[path_str(&secret), GOOD]);
    run.code(2)
        .says(&[path_str(&secret), "cannot read", "ermission denied"]);
    assert_eq!(run.reports().len(), 1);
    let locked = d.join("locked");
    fs::create_dir(&locked).expect("mkdir");
    fs::copy(root().join(GOOD), locked.join("inside.txt")).expect("copy");
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).expect("chmod");
    // `check` takes folders too.
    let run = as_user(&[path_str(&locked), GOOD]);
    run.code(2).says(&[path_str(&locked)]);
    assert_eq!(run.reports().len(), 1);
    // And `mark`: the folder is listed as a problem, the good answer marked.
    let class = d.join("class");
    fs::create_dir(&class).expect("mkdir");
    open_to_all(&class, true);
    fs::copy(root().join(GOOD), class.join("strong.txt")).expect("copy");
    let link = class.join("locked");
    symlink(&locked, &link).expect("symlink");
    let run = rubric_as(
        user,
        &class,
        &[
            "mark",
            "-r",
            &root().join(STALIN).to_string_lossy(),
            ".",
            "--csv",
            "marks.csv",
        ],
        QUICK,
    );
    run.code(2);
    let report = format!("{}{}", run.stdout, run.stderr);
    assert!(
        report.contains("locked") && report.contains("ermission denied"),
        "the locked folder is reported: {report}"
    );
    let sheet = fs::read_to_string(class.join("marks.csv")).expect("marks.csv");
    assert!(sheet.lines().any(|l| l.starts_with("strong,")), "{sheet}");
    // Restore, so that the temporary folder can be removed.
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).expect("chmod");
    fs::set_permissions(&secret, fs::Permissions::from_mode(0o644)).expect("chmod");
}

// ---------------------------------------------------------------------------------------------
// Rubrics.

/// A rubric of `points` points, each with the cues given.
fn rubric_with(points: usize, cues: impl Fn(usize) -> String) -> String {
    let mut s = String::from(
        "title = \"How had Stalin been able to rise up the Bolshevik ranks?\"\n\n[[question]]\nid = \"q\"\nprompt = \"Why?\"\n",
    );
    for i in 0..points {
        s.push_str(&format!(
            "\n[[question.point]]\nid = \"p{i}\"\nlabel = \"Point {i}\"\nhint = \"Think.\"\ncues = [{}]\n",
            cues(i)
        ));
    }
    s
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, text).expect("write");
    path
}

#[test]
fn huge_and_hostile_rubrics() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();

    // Thousands of cues, many words each: loads and checks.
    let thousands = write(
        d,
        "thousands.toml",
        &rubric_with(3000, |i| {
            format!(
                "\"patronage{i}\", \"gave|handed jobs{i} to [his] allies\", {{ all = [\"secretary{i}\", \"files\"] }}"
            )
        }),
    );
    let run = check(path_str(&thousands), &[GOOD, "samples/stalin/misspelt.txt"], SLOW);
    run.code(0);
    assert_eq!(run.reports().len(), 2);

    // Beyond the limit of cue words: each cue expands to 8,000 words.
    let alternatives = |p: &str| (0..100).map(|i| format!("{p}{i}")).collect::<Vec<_>>().join("|");
    let (a, b) = (alternatives("a"), alternatives("b"));
    let too_many = write(d, "too-many.toml", &rubric_with(30, |_| format!("\"({a}) ({b}) | x\"")));
    check(path_str(&too_many), &[GOOD], QUICK).code(2).says(&[
        "too-many.toml:",
        "more than 200000 words",
        "the limit per rubric",
        "--max-cue-words",
    ]);
    // Raised: 600,000 words load and check.
    check(path_str(&too_many), &["--max-cue-words", "700000", GOOD], SLOW).code(0);
    check(path_str(&too_many), &["--max-cue-words", "1000", GOOD], QUICK)
        .code(2)
        .says(&["too-many.toml:", "more than 1000 words"]);
    rubric(&["mark", "--quiet", "-r", path_str(&too_many), GOOD], QUICK)
        .code(2)
        .says(&["too-many.toml:", "--max-cue-words"]);
    rubric(
        &[
            "mark",
            "--quiet",
            "--max-cue-words",
            "700000",
            "-r",
            path_str(&too_many),
            GOOD,
        ],
        SLOW,
    )
    .code(0);

    // A cue of 100,000 characters, and a synonym entry as long.
    let long = "patronage ".repeat(10_000);
    let long_cue = write(d, "long-cue.toml", &rubric_with(1, |_| format!("\"{long}\"")));
    check(path_str(&long_cue), &[GOOD], QUICK).code(2).says(&[
        "long-cue.toml:",
        "this cue is 100000 characters long",
        "the limit is 2000 characters",
    ]);
    let long_entry = write(
        d,
        "long-synonym.toml",
        &format!(
            "{}\n[synonyms]\nlong = [\"{long}\"]\n",
            rubric_with(1, |_| "\"@long\"".into())
        ),
    );
    check(path_str(&long_entry), &[GOOD], QUICK).code(2).says(&[
        "long-synonym.toml:",
        "in synonym set `long`",
        "the limit is 2000 characters",
    ]);

    // One word of 2,000 letters: no misspelling index for it (that would take its square).
    let word = "a".repeat(2000);
    let long_word = write(
        d,
        "long-word.toml",
        &rubric_with(1, |_| format!("\"{word}\", \"patronage\"")),
    );
    check(path_str(&long_word), &[GOOD], QUICK).code(0);

    // Groups nested one beyond the limit, and absurdly deep.
    let nested = |depth: usize| {
        let mut cue = "\"patronage\"".to_string();
        for _ in 0..depth {
            cue = format!("{{ all = [{cue}, \"jobs\"] }}");
        }
        cue
    };
    let deep = write(d, "deep.toml", &rubric_with(1, |_| nested(9)));
    check(path_str(&deep), &[GOOD], QUICK).code(2).says(&[
        "deep.toml:",
        "cue groups nested deeper than 8",
        "--max-nesting",
    ]);
    let ok = write(d, "eight.toml", &rubric_with(1, |_| nested(8)));
    check(path_str(&ok), &[GOOD], QUICK).code(0);
    // Raised, up to 32 levels whatever is asked: the parser's own limit on nesting is near.
    check(path_str(&deep), &["--max-nesting", "9", GOOD], QUICK).code(0);
    rubric(&["lint", path_str(&deep)], QUICK)
        .code(2)
        .says(&["--max-nesting"]);
    rubric(&["lint", "--max-nesting", "9", path_str(&deep)], QUICK).code(0);
    rubric(&["mark", "--quiet", "-r", path_str(&deep), GOOD], QUICK)
        .code(2)
        .says(&["deep.toml:", "--max-nesting"]);
    rubric(
        &["mark", "--quiet", "--max-nesting", "9", "-r", path_str(&deep), GOOD],
        QUICK,
    )
    .code(0);
    let deeper = write(d, "deeper.toml", &rubric_with(1, |_| nested(32)));
    check(path_str(&deeper), &["--max-nesting", "1000", GOOD], QUICK).code(0);
    let deepest = write(d, "deepest.toml", &rubric_with(1, |_| nested(33)));
    check(path_str(&deepest), &["--max-nesting", "1000", GOOD], QUICK)
        .code(2)
        .says(&["deepest.toml:", "cue groups nested deeper than 32"]);
    check(path_str(&ok), &["--max-nesting", "2", GOOD], QUICK)
        .code(2)
        .says(&["eight.toml:", "cue groups nested deeper than 2"]);
    let abyss = write(d, "abyss.toml", &rubric_with(1, |_| nested(20_000)));
    check(path_str(&abyss), &[GOOD], QUICK).code(2).says(&["abyss.toml:"]);
    let arrays = write(
        d,
        "arrays.toml",
        &format!("title = {}1{}\n", "[".repeat(100_000), "]".repeat(100_000)),
    );
    check(path_str(&arrays), &[GOOD], QUICK).code(2).says(&["arrays.toml:"]);

    // Duplicate ids, and synonym sets that refer to each other.
    let duplicate = write(
        d,
        "duplicate.toml",
        &rubric_with(2, |_| "\"patronage\"".into()).replace("p1", "p0"),
    );
    check(path_str(&duplicate), &[GOOD], QUICK)
        .code(2)
        .says(&["duplicate.toml:", "duplicate point id `p0`"]);
    let cycle = write(
        d,
        "cycle.toml",
        &format!(
            "{}\n[synonyms]\na = [\"@b\", \"x\"]\nb = [\"@c\"]\nc = [\"@a\"]\n",
            rubric_with(1, |_| "\"@a patronage\"".into())
        ),
    );
    check(path_str(&cycle), &[GOOD], QUICK)
        .code(2)
        .says(&["cycle.toml:", "refers to itself"]);

    // A rubric without end (a device given by mistake) is not read until memory runs out.
    #[cfg(unix)]
    check("/dev/zero", &[GOOD], QUICK)
        .code(2)
        .says(&["/dev/zero", "larger than 16 MiB"]);
}

/// A broken rubric found next to one answer does not stop the answers beside good rubrics.
#[test]
fn a_bad_rubric_does_not_stop_the_others() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (folder, rubric_text) in [
        ("bad", "title = \"x\"\n[[question]\n".to_string()),
        ("good", fs::read_to_string(root().join(STALIN)).expect("rubric")),
    ] {
        let f = dir.path().join(folder);
        fs::create_dir(&f).expect("mkdir");
        fs::write(f.join("rubric.toml"), rubric_text).expect("write");
        fs::copy(root().join(GOOD), f.join("answer.txt")).expect("copy");
    }
    let bad = dir.path().join("bad/answer.txt");
    let good = dir.path().join("good/answer.txt");
    let run = rubric(&["check", "--format", "json", path_str(&bad), path_str(&good)], QUICK);
    run.code(2).says(&["bad/rubric.toml:2:"]);
    let reports = run.reports();
    assert_eq!(reports.len(), 1);
    assert_eq!(reports[0]["file"], path_str(&good));
}

/// The seed rubric cut short at every kind of place, and with stray characters put in: either
/// still a valid rubric, or an error with the file, line and column; never a panic.
#[test]
fn invalid_toml_everywhere() {
    let source = fs::read_to_string(root().join(STALIN)).expect("rubric");
    let lines = source.split('\n').count();
    let located = regex::Regex::new(r"^cut\.toml:(\d+):(\d+): ").expect("regex");
    let located_anywhere = regex::Regex::new(r"(?m)^error: cut\.toml:\d+:\d+: ").expect("regex");
    let verify = |text: &str, what: &str| -> bool {
        match Rubric::from_str(text, "cut.toml") {
            Ok(_) => true,
            Err(RubricError::Invalid(diagnostics)) => {
                assert!(!diagnostics.is_empty(), "{what}");
                for d in diagnostics {
                    let shown = d.to_string();
                    let caps = located.captures(&shown).unwrap_or_else(|| panic!("{what}: {shown}"));
                    let line: usize = caps[1].parse().expect("line");
                    assert!(line >= 1 && line <= lines, "{what}: {shown}");
                }
                false
            }
            Err(e) => panic!("{what}: {e}"),
        }
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let cut = dir.path().join("cut.toml");
    let mut invalid = 0;
    let mut through_binary = 0;
    // Cut at every offset of the head (title, settings, synonym sets, the first question), then
    // at every 7th: all kinds of places. Through the library (fast), and every 100th cut through
    // the binary too.
    let offsets = source
        .char_indices()
        .map(|(i, _)| i)
        .filter(|&i| i < 2500 || i % 7 == 0)
        .chain([source.len()]);
    for (n, offset) in offsets.enumerate() {
        let text = &source[..offset];
        if !verify(text, &format!("cut at {offset}")) {
            invalid += 1;
        }
        if n % 100 == 0 {
            fs::write(&cut, text).expect("write");
            let good = root().join(GOOD);
            let run = rubric_in(dir.path(), &["check", "-r", "cut.toml", path_str(&good)], QUICK);
            if Rubric::from_str(text, "cut.toml").is_ok() {
                run.code(0);
            } else {
                run.code(2);
                assert!(
                    located_anywhere.is_match(&run.stderr),
                    "cut at {offset}: names the file with line and column: {}",
                    run.stderr
                );
            }
            through_binary += 1;
        }
    }
    assert!(invalid > 2000, "{invalid} cuts invalid");
    assert!(through_binary > 25, "{through_binary}");
    // Stray characters of every kind put in every 37 characters.
    let strays = [
        "\"",
        "[",
        "]",
        "=",
        "{",
        "}",
        "'''",
        "\u{0}",
        "\\",
        "#",
        ",",
        "\u{feff}",
        "[[",
        "\n[[question]]\n",
    ];
    for (i, (offset, _)) in source.char_indices().step_by(37).enumerate() {
        let stray = strays[i % strays.len()];
        let text = format!("{}{stray}{}", &source[..offset], &source[offset..]);
        verify(&text, &format!("{stray:?} at {offset}"));
    }
}

// ---------------------------------------------------------------------------------------------
// `rubric mark`.

/// A class folder holding every odd answer, hostile documents and a symbolic link loop: the bad
/// files are listed with their reason, the good ones marked, the exit code is 2.
#[cfg(unix)]
#[test]
fn mark_a_hostile_class_folder() {
    let dir = tempfile::tempdir().expect("tempdir");
    let class = dir.path().join("class");
    fs::create_dir(&class).expect("mkdir");
    let mut names = Vec::new();
    for entry in fs::read_dir(root().join("tests/adversarial")).expect("corpus") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "txt") {
            let name = path.file_name().expect("name").to_owned();
            fs::copy(&path, class.join(&name)).expect("copy");
            names.push(name.to_string_lossy().into_owned());
        }
    }
    fs::copy(root().join(GOOD), class.join("strong.txt")).expect("copy");
    fs::write(class.join("truncated.docx"), b"PK\x03\x04\x14\x00\x00\x00").expect("write");
    let sub = class.join("sub");
    fs::create_dir(&sub).expect("mkdir");
    std::os::unix::fs::symlink(&class, sub.join("up")).expect("symlink");
    std::os::unix::fs::symlink(sub.join("self.txt"), sub.join("self.txt")).expect("symlink");

    let run = rubric_in(
        dir.path(),
        &[
            "mark",
            "-r",
            &root().join(STALIN).to_string_lossy(),
            "class",
            "--csv",
            "marks.csv",
            "-q",
        ],
        SLOW,
    );
    run.code(2);
    let sheet = fs::read_to_string(dir.path().join("marks.csv")).expect("the marks sheet is written");
    let report = format!("{}{}", run.stdout, run.stderr);
    for failed in ["nul.txt", "truncated.docx"] {
        assert!(report.contains(failed), "{failed} is reported: {report}");
        assert!(sheet.contains(failed), "{failed} has a row: {sheet}");
    }
    // A blank answer is marked 0 and flagged for review, not failed.
    let blank = sheet
        .lines()
        .find(|l| l.contains("blank.txt"))
        .unwrap_or_else(|| panic!("blank.txt has a row: {sheet}"));
    assert!(blank.contains(",0,10,") && blank.ends_with(",empty,"), "{blank}");
    let strong = sheet
        .lines()
        .find(|l| l.starts_with("strong,"))
        .expect("strong is marked");
    assert!(strong.contains(",9.5,10,"), "{strong}");
    for good in ["utf16le.txt", "rtl.txt", "emoji.txt", "invalid-utf8.txt"] {
        let row = sheet
            .lines()
            .find(|l| l.contains(good))
            .unwrap_or_else(|| panic!("{good}: {sheet}"));
        assert!(
            row.contains(",covered,") || row.contains(",1,10,"),
            "{good} is marked: {row}"
        );
    }
}

/// A `mark` killed while it works leaves the previous outputs as they were: each is written to a
/// temporary file (`.marks.csv.<pid>.<n>.tmp`) and renamed over the old one only when whole. A
/// kill (SIGKILL) cannot be cleaned up after, so such a temporary file may be left; anything
/// else is a failure. `mark` writes its outputs only once every answer is marked, so it is
/// killed while it marks (100 ms, 300 ms and 1 s into a run of several seconds) and then ever
/// nearer the end of a run (from half to all of the time a whole run took), where it writes.
#[cfg(unix)]
#[test]
fn a_killed_mark_loses_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let class = dir.path().join("class");
    fs::create_dir(&class).expect("mkdir");
    let samples: Vec<PathBuf> = fs::read_dir(root().join("samples/stalin"))
        .expect("samples")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    for i in 0..2000 {
        let sample = &samples[i % samples.len()];
        fs::copy(sample, class.join(format!("student{i:04}.txt"))).expect("copy");
    }
    let previous = "id,score\nprevious,1\n";
    let temp = regex::Regex::new(r"^\.marks\.(csv|jsonl)\.\d+\.\d+\.tmp$").expect("regex");
    let rubric_path = root().join(STALIN);
    let run = |delay: Option<Duration>| {
        for name in ["marks.csv", "marks.jsonl"] {
            fs::write(dir.path().join(name), previous).expect("write");
        }
        let started = std::time::Instant::now();
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_rubric"))
            .current_dir(dir.path())
            .args([
                "mark",
                "-q",
                "-r",
                path_str(&rubric_path),
                "class",
                "--csv",
                "marks.csv",
                "--json",
                "marks.jsonl",
            ])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawns");
        let mut finished = true;
        if let Some(delay) = delay {
            std::thread::sleep(delay);
            finished = child.try_wait().expect("wait").is_some();
            let _ = child.kill();
        }
        child.wait().expect("reaped");
        (started.elapsed(), finished)
    };
    // A whole run, to know how long one takes and what whole outputs look like.
    let (whole, _) = run(None);
    let lines = |name: &str| {
        fs::read_to_string(dir.path().join(name))
            .unwrap_or_else(|e| panic!("{name} is still there: {e}"))
            .lines()
            .count()
    };
    let whole_lines = (lines("marks.csv"), lines("marks.jsonl"));
    assert_eq!(whole_lines.0, 2001);
    // Killed early, and then ever nearer the end of a run, when the outputs are written.
    let mut delays: Vec<Duration> = [100, 300, 1000].into_iter().map(Duration::from_millis).collect();
    delays.extend([70, 85, 92, 97, 100].map(|percent| whole * percent / 100));
    for delay in delays {
        let (_, finished) = run(Some(delay));
        for (name, whole) in [("marks.csv", whole_lines.0), ("marks.jsonl", whole_lines.1)] {
            let text = fs::read_to_string(dir.path().join(name)).expect("the output is still there");
            if text != previous {
                // It had time to write this one: then it is whole.
                assert_eq!(
                    text.lines().count(),
                    whole,
                    "{name}, killed after {delay:?} (finished: {finished}): a partial output"
                );
            }
        }
        for entry in fs::read_dir(dir.path()).expect("list") {
            let name = entry.expect("entry").file_name().to_string_lossy().into_owned();
            if ["class", "marks.csv", "marks.jsonl"].contains(&name.as_str()) {
                continue;
            }
            assert!(temp.is_match(&name), "killed after {delay:?}: stray file {name}");
            fs::remove_file(dir.path().join(&name)).expect("remove the temporary file");
        }
    }
}

/// Files that vanish, or lose their read permission, while `mark` works: each is reported by
/// name with the reason, every other answer is marked, the exit code is 2. `mark` lists the
/// files first and reads them after, one thread in name order here, so the two files named
/// to come last are taken away once the listing is done and long before they are read. As root
/// the binary is run as `nobody`, for whom permissions bind.
#[cfg(unix)]
#[test]
fn files_that_vanish_or_lose_permission_mid_batch() {
    use std::os::unix::fs::PermissionsExt;
    let user = bound_by_permissions();
    let dir = tempfile::tempdir().expect("tempdir");
    open_to_all(dir.path(), true);
    let class = dir.path().join("class");
    fs::create_dir(&class).expect("mkdir");
    open_to_all(&class, false);
    let good = fs::read_to_string(root().join(GOOD)).expect("sample");
    for i in 0..1500 {
        fs::write(class.join(format!("s{i:04}.txt")), &good).expect("write");
    }
    let rubric_path = root().join(STALIN);
    let args = [
        "mark",
        "--threads",
        "1",
        "-r",
        path_str(&rubric_path),
        "class",
        "--csv",
        "marks.csv",
        "--html",
        "report.html",
    ];
    // The listing takes milliseconds and the marking seconds; if the files were taken away
    // before the listing (they are then simply not there) or after they were read, try again
    // with another delay.
    let mut outcomes = Vec::new();
    for delay in [400, 150, 1000, 50, 2000] {
        let (vanish, locked) = (class.join("zz-vanish.txt"), class.join("zz-locked.txt"));
        fs::write(&vanish, &good).expect("write");
        fs::write(&locked, &good).expect("write");
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o644)).expect("chmod");
        let _ = fs::remove_file(dir.path().join("marks.csv"));
        let mut cmd = command_as(user);
        cmd.current_dir(dir.path())
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let child = cmd.spawn().expect("runs rubric");
        std::thread::sleep(Duration::from_millis(delay));
        fs::remove_file(&vanish).expect("remove");
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).expect("chmod");
        let out = child.wait_with_output().expect("waits");
        let report = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!report.contains("panicked"), "{report}");
        let sheet = fs::read_to_string(dir.path().join("marks.csv")).expect("the marks sheet is written");
        let marked = sheet.lines().filter(|l| l.contains(",9.5,10,")).count();
        let row = |id: &str| {
            sheet
                .lines()
                .find(|l| l.starts_with(&format!("{id},")))
                .map(str::to_string)
        };
        match (row("zz-vanish"), row("zz-locked")) {
            (Some(v), Some(l)) if !v.contains(",9.5,10,") && !l.contains(",9.5,10,") => {
                // Taken away mid-batch: both reported, all the others marked.
                assert_eq!(out.status.code(), Some(2), "{report}");
                assert_eq!(marked, 1500, "{sheet}");
                assert!(report.contains("zz-vanish.txt"), "{report}");
                assert!(
                    report.contains("zz-locked.txt") && report.contains("ermission denied"),
                    "{report}"
                );
                fs::set_permissions(&locked, fs::Permissions::from_mode(0o644)).expect("chmod");
                return;
            }
            (v, l) => outcomes.push(format!("after {delay} ms: {v:?} {l:?} (exit {:?})", out.status.code())),
        }
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o644)).expect("chmod");
    }
    panic!("never taken away mid-batch: {outcomes:#?}");
}

/// A class folder of 100,000 tiny files (a word, a letter, nothing at all): all marked or
/// reported in bounded time and memory; `check` reads the same folder (all of it in optimised
/// builds, a tenth of it in debug builds, which take a minute per 100,000).
#[test]
fn a_hundred_thousand_tiny_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let class = dir.path().join("class");
    fs::create_dir(&class).expect("mkdir");
    for i in 0..100_000 {
        let text: &[u8] = match i % 1000 {
            0 => b"",
            n if n % 2 == 0 => b"x",
            _ => b"Patronage.",
        };
        fs::write(class.join(format!("s{i:06}.txt")), text).expect("write");
    }
    let rubric_path = root().join(STALIN);
    let run = rubric_in(
        dir.path(),
        &[
            "mark",
            "-q",
            "-r",
            path_str(&rubric_path),
            "class",
            "--csv",
            "marks.csv",
        ],
        SLOW,
    );
    // The empty files are answers too: marked 0, flagged `empty`.
    run.code(0);
    assert!(run.stdout.contains("100000 answers marked, 0 failed"), "{}", run.stdout);
    let sheet = fs::read_to_string(dir.path().join("marks.csv")).expect("marks.csv");
    assert_eq!(sheet.lines().count(), 100_001);
    assert!(sheet.contains("s000000,") && sheet.contains("s099999,"));
    assert_eq!(sheet.lines().filter(|l| l.ends_with(",empty,")).count(), 100);

    let folder = if cfg!(debug_assertions) {
        let tenth = dir.path().join("tenth");
        fs::create_dir(&tenth).expect("mkdir");
        for i in 0..10_000 {
            let name = format!("s{i:06}.txt");
            fs::rename(class.join(&name), tenth.join(&name)).expect("move");
        }
        tenth
    } else {
        class
    };
    let expected = if cfg!(debug_assertions) { 10_000 } else { 100_000 };
    let run = check(STALIN, &[path_str(&folder)], SLOW);
    // One answer in a thousand is empty: checked (0), with a note.
    run.code(0).says(&["s000000.txt: the answer is empty; it scores 0"]);
    assert_eq!(run.reports().len(), expected);
}

/// A rubric of 10,000 questions, and one of 10,000 points in one question: loaded, checked,
/// linted and marked within seconds. `lint` matched every question's wording against every
/// point of the rubric, with a trace of every cue: more than 5 minutes for these.
#[test]
fn rubrics_of_ten_thousand_questions_and_points() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut questions = String::from("title = \"Stalin\"\n");
    for q in 0..10_000 {
        questions.push_str(&format!(
            "\n[[question]]\nid = \"q{q}\"\nprompt = \"Question {q}: why?\"\n\n[[question.point]]\nid = \"p{q}\"\nlabel = \"Point {q}\"\nhint = \"Think.\"\ncues = [\"patronage{q}\", \"jobs to allies\"]\n"
        ));
    }
    let questions = write(dir.path(), "questions.toml", &questions);
    let points = write(
        dir.path(),
        "points.toml",
        &rubric_with(10_000, |i| format!("\"patronage\", \"why{i}\"")),
    );
    for rubric_file in [&questions, &points] {
        let r = path_str(rubric_file);
        let run = check(r, &[GOOD], QUICK);
        run.code(0);
        assert_eq!(run.reports().len(), 1);
        rubric(&["lint", r], QUICK).code(0);
        let run = rubric_in(
            dir.path(),
            &[
                "mark",
                "-r",
                r,
                &root().join("samples/stalin").to_string_lossy(),
                "--json",
                "marks.jsonl",
            ],
            QUICK,
        );
        run.code(0);
    }
    // The question's own wording is still found: `why` echoes every prompt of `points.toml`.
    let echo = write(
        dir.path(),
        "echo.toml",
        &rubric_with(3, |i| format!("\"why\", \"patronage{i}\"")),
    );
    let run = rubric(&["lint", path_str(&echo)], QUICK);
    run.code(0);
    assert_eq!(
        run.stdout.matches("matches a question's own wording").count(),
        3,
        "{}",
        run.stdout
    );
}

/// What an attacker would try next: a `.docx` whose text is huge but packed well (no zip bomb
/// by ratio), elements nested 100,000 deep in a `.docx`, an `.odt` and a web page, Markdown of
/// 100,000 nested quotes, list items and brackets. Each is refused by name with the limit and
/// its flag, or checked; none takes long, overflows the stack or panics.
#[test]
fn documents_built_to_exhaust() {
    use zip::write::SimpleFileOptions;
    let zip = |name: &str, data: &[u8]| {
        let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .compression_level(Some(1));
        writer.start_file(name, options).expect("entry");
        writer.write_all(data).expect("write");
        writer.finish().expect("zip").into_inner()
    };
    const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
    const O: &str = r#"xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0""#;
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();

    // 20 MB of text in 24 MB of XML, packed about 8 to 1 (words picked at random): under the
    // limit on unpacked bytes, over the limit on an answer's text.
    let words = [
        "Stalin",
        "used",
        "patronage",
        "to",
        "reward",
        "allies",
        "who",
        "backed",
        "him",
        "party",
    ];
    let mut state = 12345u32;
    let mut xml = format!(r#"<w:document xmlns:w="{W}"><w:body>"#);
    while xml.len() < 24_000_000 {
        xml.push_str("<w:p><w:r><w:t>");
        for _ in 0..400 {
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            xml.push_str(words[(state >> 16) as usize % words.len()]);
            xml.push(' ');
        }
        xml.push_str("</w:t></w:r></w:p>");
    }
    xml.push_str("</w:body></w:document>");
    let huge = d.join("huge.docx");
    fs::write(&huge, zip("word/document.xml", xml.as_bytes())).expect("write");
    drop(xml);
    let huge = path_str(&huge);
    check(STALIN, &[huge, GOOD], QUICK)
        .code(2)
        .says(&[huge, "too large to check", "--max-answer-bytes"]);
    check(STALIN, &["--max-unzipped-bytes", "10000000", huge, GOOD], QUICK)
        .code(2)
        .says(&[huge, "refused to unpack", "--max-unzipped-bytes"]);

    // Elements nested 100,000 deep.
    let deep = 100_000;
    let nested_docx = format!(
        r#"<w:document xmlns:w="{W}"><w:body>{}<w:p><w:r><w:t>patronage</w:t></w:r></w:p>{}</w:body></w:document>"#,
        "<w:sdt><w:sdtContent>".repeat(deep),
        "</w:sdtContent></w:sdt>".repeat(deep)
    );
    let nested_odt = format!(
        r#"<office:document-content {O}><office:body><office:text>{}<text:p>patronage</text:p>{}</office:text></office:body></office:document-content>"#,
        "<text:section>".repeat(deep),
        "</text:section>".repeat(deep)
    );
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("nested.docx", zip("word/document.xml", nested_docx.as_bytes())),
        ("nested.odt", zip("content.xml", nested_odt.as_bytes())),
    ];
    for (name, bytes) in cases {
        let path = d.join(name);
        fs::write(&path, bytes).expect("write");
        let path = path_str(&path);
        check(STALIN, &[path, GOOD], QUICK)
            .code(2)
            .says(&[path, "is damaged", "nested more than"]);
    }

    // Web pages and Markdown nested 100,000 deep: read as text, the patronage sentence found.
    let sentence = "Stalin gave jobs to his allies through patronage.";
    let cases = [
        (
            "divs.html",
            format!("{}{sentence}{}", "<div>".repeat(deep), "</div>".repeat(deep)),
        ),
        ("unclosed.html", format!("{}{sentence}", "<b><i>".repeat(deep))),
        ("quotes.md", format!("{} {sentence}\n", ">".repeat(deep))),
        ("spaced-quotes.md", format!("{} {sentence}\n", "> ".repeat(deep))),
        ("list.md", format!("{}{sentence}\n", "- ".repeat(deep))),
        (
            "brackets.md",
            format!("{}{sentence}{}\n", "[".repeat(deep), "]".repeat(deep)),
        ),
        (
            "links.md",
            format!("{sentence} {}x{}\n", "[a](".repeat(deep), ")".repeat(deep)),
        ),
        (
            "emphasis.md",
            format!("{}{sentence}{}\n", "*_".repeat(deep), "_*".repeat(deep)),
        ),
        (
            "indented.md",
            (0..3000).map(|i| format!("{}- {sentence}\n", "  ".repeat(i))).collect(),
        ),
    ];
    for (name, text) in cases {
        let path = d.join(name);
        fs::write(&path, text).expect("write");
        let run = check(STALIN, &[path_str(&path)], QUICK);
        run.code(0);
        assert_eq!(status(&run.reports()[0], "patronage"), "covered", "{name}");
        rubric(&["check", "-r", STALIN, "--explain", path_str(&path)], QUICK).code(0);
    }
}

/// File names that are not UTF-8 (a Windows-1252 "é" in a name from an old zip archive): checked
/// and marked, named with a replacement character in reports, written to every output.
#[cfg(unix)]
#[test]
fn file_names_that_are_not_utf8() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let class = dir.path().join("class");
    fs::create_dir(&class).expect("mkdir");
    let odd = class.join(std::ffi::OsStr::from_bytes(b"ren\xe9e.txt"));
    let odder = class.join(std::ffi::OsStr::from_bytes(b"\xff\xfe.txt"));
    for path in [&odd, &odder] {
        fs::copy(root().join(GOOD), path).expect("copy");
    }
    let run = rubric(
        &["check", "-r", STALIN, "--format", "json", &class.to_string_lossy()],
        QUICK,
    );
    run.code(0);
    let files: Vec<String> = run
        .reports()
        .iter()
        .map(|r| r["file"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(files.len(), 2, "{files:?}");
    assert!(files.iter().any(|f| f.ends_with("ren\u{fffd}e.txt")), "{files:?}");
    let mut cmd = assert_cmd::Command::new(env!("CARGO_BIN_EXE_rubric"));
    let out = cmd
        .current_dir(dir.path())
        .args(["check", "-r", path_str(&root().join(STALIN)), "--format", "line"])
        .arg(&odd)
        .timeout(QUICK)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("ren\u{fffd}e.txt:"));

    let run = rubric_in(
        dir.path(),
        &[
            "mark",
            "-r",
            path_str(&root().join(STALIN)),
            "class",
            "--csv",
            "marks.csv",
            "--json",
            "marks.jsonl",
            "--html",
            "report.html",
            "--feedback-dir",
            "feedback",
        ],
        QUICK,
    );
    run.code(0);
    let sheet = fs::read_to_string(dir.path().join("marks.csv")).expect("marks.csv");
    assert!(sheet.contains("ren\u{fffd}e,"), "{sheet}");
    assert_eq!(sheet.lines().filter(|l| l.contains(",9.5,10,")).count(), 2, "{sheet}");
    let feedback = fs::read_dir(dir.path().join("feedback")).expect("feedback").count();
    assert_eq!(feedback, 2);
    let html = fs::read_to_string(dir.path().join("report.html")).expect("report.html");
    assert!(html.contains("ren\u{fffd}e"));
}

/// An output folder that may not be written to: `mark` says which file it could not write and
/// why, exits with 2, and the previous reports are left as they were, with no stray temporary
/// file. As root the binary is run as `nobody`, for whom permissions bind.
#[cfg(unix)]
#[test]
fn a_read_only_output_folder_keeps_the_previous_reports() {
    use std::os::unix::fs::PermissionsExt;
    let user = bound_by_permissions();
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    open_to_all(d, false);
    let class = d.join("class");
    fs::create_dir(&class).expect("mkdir");
    fs::copy(root().join(GOOD), class.join("strong.txt")).expect("copy");
    let out = d.join("out");
    fs::create_dir_all(out.join("feedback")).expect("mkdir");
    let previous = [
        ("marks.csv", "id,score\nprevious,1\n"),
        ("marks.jsonl", "{\"previous\":true}\n"),
        ("report.html", "<p>previous</p>\n"),
        (
            "feedback/strong.md",
            "# Feedback for strong\n\nStalin\n\n**Score: 1 / 10** (10%)\n",
        ),
    ];
    for (name, text) in previous {
        fs::write(out.join(name), text).expect("write");
    }
    for folder in [out.join("feedback"), out.clone()] {
        fs::set_permissions(&folder, fs::Permissions::from_mode(0o555)).expect("chmod");
    }
    let rubric_path = root().join(STALIN);
    let outputs: [&[&str]; 4] = [
        &["--csv", "out/marks.csv"],
        &["--json", "out/marks.jsonl"],
        &["--html", "out/report.html"],
        &["--feedback-dir", "out/feedback"],
    ];
    for flags in outputs {
        let mut args = vec!["mark", "-q", "-r", path_str(&rubric_path), "class"];
        args.extend_from_slice(flags);
        let run = rubric_as(user, d, &args, QUICK);
        run.code(2).says(&[flags[1], "ermission denied"]);
    }
    for (name, text) in previous {
        assert_eq!(fs::read_to_string(out.join(name)).expect("read"), text, "{name}");
    }
    let mut left: Vec<String> = fs::read_dir(&out)
        .expect("list")
        .chain(fs::read_dir(out.join("feedback")).expect("list"))
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(
        left,
        ["feedback", "marks.csv", "marks.jsonl", "report.html", "strong.md"]
    );
    for folder in [out.join("feedback"), out] {
        fs::set_permissions(&folder, fs::Permissions::from_mode(0o755)).expect("chmod");
    }
}
