//! PDF answers in `rubric check` and `rubric mark`: a PDF printed by Chromium or LibreOffice
//! scores as the text it prints; a scanned, password-protected, truncated or damaged PDF, or a
//! decompression bomb, is an error that names the file (exit 2), never a panic, and in `mark` a
//! row of its own while the batch goes on. The fixtures are in `tests/fixtures/pdf/` (see the
//! README there); the bomb is written here. `serve` is tested in `tests/serve.rs`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::Value;

const RUBRIC: &str = "rubrics/stalin-rise.toml";

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/pdf")
        .join(name)
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    elapsed: Duration,
}

/// Runs `rubric ARGS...` from the package root, on Linux under `ulimit -v` (2 GiB: the reader's
/// thread reserves a large stack) so that unpacking a bomb into memory would fail loudly.
fn rubric(args: &[&str]) -> Run {
    let bin = env!("CARGO_BIN_EXE_rubric");
    let mut command = if cfg!(target_os = "linux") && Path::new("/bin/sh").exists() {
        let mut c = Command::new("/bin/sh");
        c.args(["-c", "ulimit -v 2097152 && exec \"$0\" \"$@\"", bin]);
        c
    } else {
        Command::new(bin)
    };
    command.args(args).current_dir(env!("CARGO_MANIFEST_DIR"));
    let start = Instant::now();
    let output = command.output().expect("runs rubric");
    Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        elapsed: start.elapsed(),
    }
}

/// The score and every point's status in `check --format json`'s report.
fn scored(path: &Path) -> (Value, Vec<(String, String)>) {
    let run = rubric(&["check", "-r", RUBRIC, "--format", "json", path.to_str().expect("UTF-8")]);
    assert_eq!(run.code, Some(0), "{}: {}", path.display(), run.stderr);
    let report: Value = serde_json::from_str(run.stdout.trim()).expect("JSON report");
    let mut statuses = Vec::new();
    for question in report["questions"].as_array().expect("questions") {
        for point in question["points"].as_array().expect("points") {
            statuses.push((
                point["id"].as_str().unwrap_or_default().to_owned(),
                point["status"].as_str().unwrap_or_default().to_owned(),
            ));
        }
    }
    (report["score"].clone(), statuses)
}

#[test]
fn a_printed_pdf_scores_as_its_text_in_check() {
    let (score, statuses) = scored(&fixture("answer.txt"));
    assert!(score.as_f64().expect("a score") > 5.0, "{score}");
    for name in ["chromium.pdf", "libreoffice.pdf", "restricted.pdf"] {
        let (pdf_score, pdf_statuses) = scored(&fixture(name));
        assert_eq!(pdf_score, score, "{name}");
        assert_eq!(pdf_statuses, statuses, "{name}");
    }
    // The human report quotes the extracted text, with its line in that text.
    let pdf = fixture("chromium.pdf");
    let run = rubric(&["check", "-r", RUBRIC, pdf.to_str().expect("UTF-8")]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stdout.contains(
            "\"Because he controlled appointments he could do favours for his protégés, who in turn \
             supported him when he needed help — a classic patronage system.\""
        ),
        "{}",
        run.stdout
    );
}

#[test]
fn unreadable_pdfs_exit_2_with_a_clear_message() {
    let dir = tempfile::tempdir().expect("tempdir");
    // A content stream of 200 MiB of spaces, in about 200 KiB.
    let bomb = dir.path().join("bomb.pdf");
    std::fs::write(&bomb, bomb_pdf(200 << 20)).expect("write");
    let renamed = dir.path().join("answer.pdf");
    std::fs::copy(fixture("answer.txt"), &renamed).expect("copy");
    let cases: Vec<(PathBuf, &str)> = vec![
        (
            fixture("scanned.pdf"),
            "scanned: no text to read (1 page of images, no text layer); OCR it first",
        ),
        (fixture("password.pdf"), "is password-protected (an encrypted PDF)"),
        (fixture("truncated.pdf"), "is not a valid PDF"),
        (fixture("corrupt.pdf"), "is not a valid PDF"),
        (
            renamed,
            "is not a valid PDF (damaged, or not a PDF file): it does not start with %PDF-",
        ),
        (bomb, "refused to unpack: its compressed streams unpack to more than"),
    ];
    for (path, expected) in &cases {
        let name = path.file_name().unwrap().to_str().unwrap();
        let run = rubric(&["check", "-r", RUBRIC, path.to_str().expect("UTF-8")]);
        assert_eq!(run.code, Some(2), "{name}: {} {}", run.stdout, run.stderr);
        assert!(
            run.stderr.contains(&format!("{name}: {expected}")),
            "{name}: {}",
            run.stderr
        );
        assert!(!run.stderr.contains("panicked"), "{name}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{name}: no partial report: {}", run.stdout);
        assert!(run.elapsed < Duration::from_secs(10), "{name}: took {:?}", run.elapsed);
    }
}

/// A one-page PDF whose content stream unpacks to `size` bytes of spaces.
fn bomb_pdf(size: usize) -> Vec<u8> {
    let mut packed = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    let spaces = vec![b' '; 1 << 20];
    for _ in 0..size >> 20 {
        packed.write_all(&spaces).unwrap();
    }
    let packed = packed.finish().unwrap();
    let mut out = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n\
        2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n\
        3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>\nendobj\n"
        .to_vec();
    write!(
        out,
        "4 0 obj\n<< /Filter /FlateDecode /Length {} >>\nstream\n",
        packed.len()
    )
    .unwrap();
    out.extend_from_slice(&packed);
    out.extend_from_slice(b"\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n");
    out
}

#[test]
fn mark_reads_pdfs_in_a_folder_and_lists_the_unreadable_ones() {
    let dir = tempfile::tempdir().expect("tempdir");
    for name in [
        "answer.txt",
        "chromium.pdf",
        "libreoffice.pdf",
        "scanned.pdf",
        "password.pdf",
    ] {
        std::fs::copy(fixture(name), dir.path().join(name)).expect("copy");
    }
    let csv = dir.path().join("marks.csv");
    let run = rubric(&[
        "mark",
        "-r",
        RUBRIC,
        "--csv",
        csv.to_str().expect("UTF-8"),
        dir.path().to_str().expect("UTF-8"),
    ]);
    // Every file is in the sheet; the two unreadable ones make the run exit 2.
    assert_eq!(run.code, Some(2), "{} {}", run.stdout, run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    let mut reader = csv::Reader::from_path(&csv).expect("marks sheet");
    let header = reader.headers().expect("header").clone();
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("{name}: {header:?}"))
    };
    let (id, score, error) = (column("id"), column("score"), column("error"));
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    let row = |name: &str| {
        rows.iter()
            .find(|r| &r[id] == name)
            .unwrap_or_else(|| panic!("{name}: {rows:?}"))
    };
    let text = row("answer");
    assert!(!text[score].is_empty(), "{text:?}");
    for name in ["chromium", "libreoffice"] {
        let pdf = row(name);
        assert_eq!(pdf[score], text[score], "{name}");
        assert_eq!(&pdf[error], "", "{name}");
        // Every point's status too: the columns between the band and the first column after
        // the points are the same, as are all the others a re-read would change.
        let statuses = |r: &csv::StringRecord| {
            header
                .iter()
                .zip(r.iter())
                .filter(|(h, _)| !["id", "file", "duplicate_of", "similarity"].contains(h))
                .map(|(h, v)| format!("{h}={v}"))
                .collect::<Vec<_>>()
        };
        assert_eq!(statuses(pdf), statuses(text), "{name}");
    }
    assert!(
        row("scanned")[error].starts_with("scanned: no text to read"),
        "{:?}",
        row("scanned")
    );
    assert!(row("scanned")[score].is_empty());
    assert!(
        row("password")[error].contains("password-protected"),
        "{:?}",
        row("password")
    );
}
