//! `rubric check` on Word, OpenDocument and HTML answers.
//!
//! The LibreOffice-made fixtures in `tests/fixtures/office/` (see the README there) are read
//! and checked like text answers. Damaged and hostile documents, generated here in a temporary
//! folder (a zip bomb is not something to commit), must fail with exit code 2 and a message
//! naming the file, within seconds and, on Linux, under a 128 MiB address-space limit.

use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use flate2::{Compress, Compression, FlushCompress};
use zip::write::SimpleFileOptions;

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
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

fn zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in entries {
        writer.start_file(*name, options).expect("start entry");
        writer.write_all(data).expect("write entry");
    }
    writer.finish().expect("finish").into_inner()
}

/// CRC-32 of `n` zero bytes, by squaring the GF(2) matrix of "one zero byte" (as zlib's
/// `crc32_combine` does): hashing 200 MiB byte by byte takes seconds in a debug build.
fn crc32_of_zeros(n: u64) -> u32 {
    type Matrix = [u32; 32];
    fn apply(m: &Matrix, v: u32) -> u32 {
        (0..32).filter(|i| v >> i & 1 == 1).fold(0, |acc, i| acc ^ m[i])
    }
    fn compose(a: &Matrix, b: &Matrix) -> Matrix {
        std::array::from_fn(|i| apply(a, b[i]))
    }
    let step = |mut c: u32| {
        for _ in 0..8 {
            c = if c & 1 == 1 { 0xEDB8_8320 ^ (c >> 1) } else { c >> 1 };
        }
        c
    };
    let mut power: Matrix = std::array::from_fn(|i| step(1 << i));
    let mut result: Matrix = std::array::from_fn(|i| 1 << i);
    let mut n = n;
    while n > 0 {
        if n & 1 == 1 {
            result = compose(&power, &result);
        }
        power = compose(&power, &power);
        n >>= 1;
    }
    !apply(&result, !0)
}

/// A .docx whose word/document.xml is `mib` MiB of zero bytes, compressed about 1,000 times: a
/// classic zip bomb. One MiB is deflated once with a sync flush (non-final blocks ending on a
/// byte boundary, referring to nothing before them but zeros) and repeated, so building it takes
/// milliseconds; the archive is valid, CRC included.
fn zip_bomb(mib: u64) -> Vec<u8> {
    let mut compress = Compress::new(Compression::best(), false);
    let zeros = vec![0u8; 1024 * 1024];
    let mut chunk = Vec::with_capacity(64 * 1024);
    compress
        .compress_vec(&zeros, &mut chunk, FlushCompress::Sync)
        .expect("deflate");
    assert_eq!(compress.total_in(), zeros.len() as u64);
    let mut data = chunk.repeat(usize::try_from(mib).expect("size"));
    // A final, empty stored block.
    data.extend_from_slice(&[0x01, 0x00, 0x00, 0xFF, 0xFF]);

    let name = b"word/document.xml";
    let size = u32::try_from(mib * 1024 * 1024).expect("under 4 GiB");
    let packed = u32::try_from(data.len()).expect("small");
    let crc = crc32_of_zeros(u64::from(size));
    let mut zip = Vec::new();
    let u16le = |v: u16| v.to_le_bytes();
    let u32le = |v: u32| v.to_le_bytes();
    let name_len = u16::try_from(name.len()).expect("short name");
    // Local file header: version 2.0, no flags, deflate, 1980-01-01.
    for field in [
        &u32le(0x0403_4b50)[..],
        &u16le(20),
        &u16le(0),
        &u16le(8),
        &u16le(0),
        &u16le(0x21),
    ] {
        zip.extend_from_slice(field);
    }
    for field in [
        &u32le(crc)[..],
        &u32le(packed),
        &u32le(size),
        &u16le(name_len),
        &u16le(0),
        name,
    ] {
        zip.extend_from_slice(field);
    }
    zip.extend_from_slice(&data);
    let directory = u32::try_from(zip.len()).expect("small");
    for field in [
        &u32le(0x0201_4b50)[..],
        &u16le(20),
        &u16le(20),
        &u16le(0),
        &u16le(8),
        &u16le(0),
        &u16le(0x21),
        &u32le(crc),
        &u32le(packed),
        &u32le(size),
        &u16le(name_len),
        &u16le(0),
        &u16le(0),
        &u16le(0),
        &u16le(0),
        &u32le(0),
        &u32le(0),
        name,
    ] {
        zip.extend_from_slice(field);
    }
    let directory_len = u32::try_from(zip.len()).expect("small") - directory;
    for field in [
        &u32le(0x0605_4b50)[..],
        &u16le(0),
        &u16le(0),
        &u16le(1),
        &u16le(1),
        &u32le(directory_len),
        &u32le(directory),
        &u16le(0),
    ] {
        zip.extend_from_slice(field);
    }
    zip
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
    let body = |inner: &str| {
        format!(r#"<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>{inner}</w:t></w:r></w:p></w:body></w:document>"#)
    };
    let laughs = {
        let mut dtd = String::from(r#"<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY lol0 "lol">"#);
        for i in 1..=9 {
            dtd.push_str(&format!(
                r#"<!ENTITY lol{i} "{}">"#,
                format!("&lol{};", i - 1).repeat(10)
            ));
        }
        dtd + "]>" + &body("patronage &lol9;")
    };
    let xxe = format!(
        r#"<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>{}"#,
        body("patronage &xxe;")
    );
    let mut protected = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    protected.resize(4096, 0);
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "truncated.docx",
            answer[..answer.len() / 2].to_vec(),
            "is not a valid .docx (damaged or not a Word file)",
        ),
        ("bomb.docx", zip_bomb(200), "refused to unpack"),
        (
            "laughs.docx",
            zip(&[("word/document.xml", laughs.as_bytes())]),
            "document type declaration",
        ),
        (
            "xxe.docx",
            zip(&[("word/document.xml", xxe.as_bytes())]),
            "document type declaration",
        ),
        ("protected.docx", protected, "password-protected"),
        (
            "empty.docx",
            zip(&[("[Content_Types].xml", b"<Types/>")]),
            "it has no word/document.xml",
        ),
        (
            "malformed.docx",
            zip(&[("word/document.xml", body("patronage").replace("</w:r>", "").as_bytes())]),
            "is not valid XML",
        ),
        (
            "not-a-zip.odt",
            b"Stalin used patronage.".to_vec(),
            "is not a valid .odt (damaged or not an OpenDocument text file)",
        ),
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
