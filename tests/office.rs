//! `rubric check` on Word, OpenDocument and HTML answers.
//!
//! The LibreOffice-made fixtures in `tests/fixtures/office/` (see the README there) are read
//! and checked like text answers. Damaged and hostile documents (the builders are shared:
//! `tests/support/documents.rs`; each kind's message is tested on the reader, in
//! `src/text/office/tests.rs`), generated here in a temporary folder (a zip bomb is not
//! something to commit), must fail with exit code 2 and a message
//! naming the file, within seconds and, on Linux, under a 128 MiB address-space limit.

use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

#[path = "support/documents.rs"]
mod build;

use build::{crc32_of_zeros, zip_bomb};

const RUBRIC: &str = "rubrics/stalin-rise.toml";

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    elapsed: Duration,
}

/// Runs `rubric check -r RUBRIC ARGS...`, on Linux with `ulimit -v` so that unpacking a bomb into
/// memory would fail loudly instead of passing unnoticed.
fn check(args: &[&str]) -> Run {
    let bin = env!("CARGO_BIN_EXE_rubric");
    let mut command = if cfg!(target_os = "linux") && Path::new("/bin/sh").exists() {
        let mut c = Command::new("/bin/sh");
        c.args(["-c", "ulimit -v 131072 && exec \"$0\" \"$@\"", bin]);
        c
    } else {
        Command::new(bin)
    };
    command.args(["check", "-r", RUBRIC]).args(args);
    command.current_dir(env!("CARGO_MANIFEST_DIR"));
    let start = Instant::now();
    let output = command.output().expect("runs rubric");
    Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        elapsed: start.elapsed(),
    }
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/office")
        .join(name)
}

/// The status of each point in a JSON report.
fn statuses(json_line: &str) -> Vec<(String, String)> {
    let report: serde_json::Value = serde_json::from_str(json_line).expect("JSON report");
    let mut out = Vec::new();
    for question in report["questions"].as_array().expect("questions") {
        for point in question["points"].as_array().expect("points") {
            out.push((
                point["id"].as_str().unwrap_or_default().to_owned(),
                point["status"].as_str().unwrap_or_default().to_owned(),
            ));
        }
    }
    out
}

#[test]
fn office_and_html_answers_are_checked() {
    for name in ["answer.docx", "answer.odt", "answer.html"] {
        let path = fixture(name);
        let path = path.to_str().expect("UTF-8 path");
        let run = check(&["--format", "json", path]);
        assert_eq!(run.code, Some(0), "{name}: {}", run.stderr);
        let statuses = statuses(run.stdout.trim());
        let status = |id: &str| {
            statuses
                .iter()
                .find(|(p, _)| p == id)
                .map(|(_, s)| s.as_str())
                .unwrap_or("absent")
        };
        // A paragraph, a table row and a footnote.
        assert_eq!(status("patronage"), "covered", "{name}: {statuses:?}");
        assert_eq!(status("gensec"), "covered", "{name}: {statuses:?}");
        assert_eq!(status("enrolment"), "covered", "{name}: {statuses:?}");
        assert_eq!(status("mantle"), "covered", "{name}: {statuses:?}");

        // The human report quotes the extracted text.
        let run = check(&[path]);
        assert_eq!(run.code, Some(0), "{name}: {}", run.stderr);
        assert!(
            run.stdout
                .contains("\"Stalin used patronage: he gave jobs to his friends, who owed him.\""),
            "{name}: {}",
            run.stdout
        );
    }
}

#[test]
fn the_zip_bomb_is_a_real_one() {
    assert_eq!(crc32_of_zeros(0), 0);
    assert_eq!(crc32_of_zeros(1), 0xD202_EF8D);
    assert_eq!(crc32_of_zeros(4), 0x2144_DF1C);
    let small = zip_bomb(2);
    let mut archive = zip::ZipArchive::new(Cursor::new(small)).expect("valid zip");
    let mut entry = archive.by_name("word/document.xml").expect("entry");
    let mut unpacked = Vec::new();
    entry.read_to_end(&mut unpacked).expect("unpacks, CRC checked");
    assert_eq!(unpacked.len(), 2 * 1024 * 1024);
    assert!(unpacked.iter().all(|&b| b == 0));

    let big = zip_bomb(200);
    assert!(big.len() < 400 * 1024, "{} bytes", big.len());
    let archive = zip::ZipArchive::new(Cursor::new(big)).expect("valid zip");
    assert_eq!(archive.decompressed_size(), Some(200 * 1024 * 1024));
}

#[test]
fn damaged_and_hostile_documents_fail_cleanly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let answer = std::fs::read(fixture("answer.docx")).expect("fixture");
    // What each kind of damaged or hostile document says is tested on the reader
    // (src/text/office/tests.rs); here, what only the command shows: a real zip bomb unpacked
    // under a memory limit, and a document renamed as text.
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("bomb.docx", zip_bomb(200), "refused to unpack"),
        ("renamed.txt", answer.clone(), "binary"),
    ];
    for (name, bytes, expected) in &cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).expect("write");
        let run = check(&[path.to_str().expect("UTF-8 path")]);
        assert_eq!(run.code, Some(2), "{name}: {} {}", run.stdout, run.stderr);
        assert!(run.stderr.contains(name), "{name}: names the file: {}", run.stderr);
        assert!(run.stderr.contains(expected), "{name}: {}", run.stderr);
        assert!(!run.stderr.contains("panicked"), "{name}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{name}: no partial report: {}", run.stdout);
        assert!(run.elapsed < Duration::from_secs(5), "{name}: took {:?}", run.elapsed);
    }

    // A bad document among good ones: reported, the others still checked, exit 2 at the end.
    let bomb = dir.path().join("bomb.docx");
    let good = fixture("answer.odt");
    let run = check(&[bomb.to_str().expect("path"), good.to_str().expect("path")]);
    assert_eq!(run.code, Some(2));
    assert!(run.stderr.contains("bomb.docx"), "{}", run.stderr);
    assert!(run.stdout.contains("answer.odt"), "{}", run.stdout);
}
