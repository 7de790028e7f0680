//! Issue 16, item 1 and two of item 8: `rubric mark`'s outputs never write over what it reads
//! (an answer, the rubric, a path given, another output), never replace anything but a regular
//! file (devices and FIFOs are written through), and reports rubric wrote in an earlier run are
//! not marked as answers. A 240-byte student id gets its feedback file; `--threads 10000` is
//! held to the work.
use super::*;

/// A class folder of two answers (`class/amy.txt`, `class/bob.txt`) and a rubric (`r.toml`).
fn class() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    fs::create_dir(d.join("class")).expect("mkdir");
    fs::copy(root().join(GOOD), d.join("class/amy.txt")).expect("copy");
    fs::copy(root().join("samples/stalin/weak.txt"), d.join("class/bob.txt")).expect("copy");
    fs::copy(root().join(STALIN), d.join("r.toml")).expect("copy");
    dir
}

/// `rubric mark -q -r r.toml ARGS...` in `dir`.
fn mark(dir: &Path, args: &[&str]) -> Run {
    let mut all = vec!["mark", "-q", "-r", "r.toml"];
    all.extend_from_slice(args);
    rubric_in(dir, &all, QUICK)
}

/// The files of a folder, by name.
fn listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .expect("read_dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// An output naming an answer to be marked, however spelt (another path to it, a link to it,
/// the path given to mark): refused before marking, the answer left as it was.
#[test]
fn an_output_over_an_answer_is_refused() {
    let dir = class();
    let d = dir.path();
    let amy = fs::read(d.join("class/amy.txt")).expect("amy");
    #[cfg(unix)]
    std::os::unix::fs::symlink("amy.txt", d.join("class/link.txt")).expect("symlink");
    const FOUND: &str = "an answer to be marked";
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["class", "--csv", "class/amy.txt"], FOUND),
        (vec!["class/", "--json", "./class/../class/amy.txt"], FOUND),
        (vec!["class", "--csv", "marks.csv", "--html", "class/bob.txt"], FOUND),
        #[cfg(unix)]
        (vec!["class", "--csv", "class/link.txt"], FOUND),
        (
            vec!["class/amy.txt", "class/bob.txt", "--csv", "class/bob.txt"],
            "given to be marked",
        ),
    ];
    for (args, why) in cases {
        let run = mark(d, &args);
        run.code(2).says(&[args[args.len() - 1], why]);
        assert!(run.stdout.is_empty(), "nothing marked: {}", run.stdout);
        assert_eq!(fs::read(d.join("class/amy.txt")).expect("amy"), amy, "{args:?}");
        assert!(
            fs::read_to_string(d.join("class/bob.txt"))
                .expect("bob")
                .contains("Stalin")
        );
        assert!(!d.join("marks.csv").exists(), "nothing written: {args:?}");
    }
    #[cfg(unix)]
    assert!(
        fs::symlink_metadata(d.join("class/link.txt"))
            .expect("link")
            .file_type()
            .is_symlink()
    );
    // A path given to mark that is not an answer (skipped as such) is not an output either.
    fs::write(d.join("notes.pdf"), "%PDF").expect("write");
    mark(d, &["class", "notes.pdf", "--csv", "notes.pdf"])
        .code(2)
        .says(&["given to be marked"]);
    assert_eq!(fs::read_to_string(d.join("notes.pdf")).expect("pdf"), "%PDF");
}

/// `--html r.toml` replaced the rubric.
#[test]
fn an_output_over_the_rubric_is_refused() {
    let dir = class();
    let d = dir.path();
    let rubric_text = fs::read(d.join("r.toml")).expect("rubric");
    for path in ["r.toml", "./r.toml", "class/../r.toml"] {
        mark(d, &["class", "--html", path]).code(2).says(&["is the rubric"]);
        assert_eq!(fs::read(d.join("r.toml")).expect("rubric"), rubric_text, "{path}");
    }
}

/// `--csv X --html X` lost one of them; an output may not be the feedback folder either.
#[test]
fn two_outputs_in_one_file_are_refused() {
    let dir = class();
    let d = dir.path();
    let cases: [&[&str]; 4] = [
        &["--csv", "X", "--html", "X"],
        &["--csv", "X", "--json", "./X"],
        &["--csv", "out", "--feedback-dir", "out"],
        &["--html", "report.html", "--json", "class/../report.html"],
    ];
    for flags in cases {
        let mut args = vec!["class"];
        args.extend_from_slice(flags);
        mark(d, &args).code(2).says(&["each output needs"]);
        assert_eq!(listing(d), ["class", "r.toml"], "{flags:?}");
    }
    // A file in the feedback folder that a feedback file could be named as.
    fs::create_dir(d.join("out")).expect("mkdir");
    mark(d, &["class", "--csv", "out/amy.md", "--feedback-dir", "out"])
        .code(2)
        .says(&["is in --feedback-dir"]);
    assert!(listing(&d.join("out")).is_empty());
}

/// A folder as an output file is refused; a feedback folder that holds answers being marked
/// (the class folder itself) too, before a feedback file is written among them.
#[test]
fn output_folders_are_refused() {
    let dir = class();
    let d = dir.path();
    mark(d, &["class", "--csv", "class"]).code(2).says(&["is a folder"]);
    for folder in ["class", "class/"] {
        mark(d, &["class", "--feedback-dir", folder])
            .code(2)
            .says(&["holds answers to be marked", "class/amy.txt"]);
        assert_eq!(listing(&d.join("class")), ["amy.txt", "bob.txt"]);
    }
    // A feedback folder inside the class folder is fine, run after run.
    for _ in 0..2 {
        let run = mark(d, &["class", "--feedback-dir", "class/feedback"]);
        run.code(0);
        assert!(
            run.stdout.contains("2 answers marked, 0 failed, 0 skipped."),
            "{}",
            run.stdout
        );
    }
    assert_eq!(listing(&d.join("class/feedback")), ["amy.md", "bob.md"]);
}

/// A file in the feedback folder that rubric did not write (the teacher's notes under a
/// student's name) is left as it is; the other feedback files are written.
#[test]
fn a_file_in_the_feedback_folder_rubric_did_not_write_is_kept() {
    let dir = class();
    let d = dir.path();
    fs::create_dir(d.join("fb")).expect("mkdir");
    fs::write(d.join("fb/amy.md"), "My own notes on Amy.\n").expect("write");
    mark(d, &["class", "--feedback-dir", "fb"]).code(2).says(&[
        "fb/amy.md",
        "not a feedback file rubric wrote",
        "left as it is",
    ]);
    assert_eq!(
        fs::read_to_string(d.join("fb/amy.md")).expect("notes"),
        "My own notes on Amy.\n"
    );
    assert!(
        fs::read_to_string(d.join("fb/bob.md"))
            .expect("bob")
            .starts_with("# Feedback for bob")
    );
}

/// As root, `--csv /dev/null` replaced the device node with a regular file. A character device
/// is written through and stays one. As root the test makes its own device (the same as
/// `/dev/null`) in a temporary folder, so that a failure harms nothing; otherwise it uses
/// `/dev/null`, which only root could replace.
#[cfg(unix)]
#[test]
fn a_character_device_is_written_through() {
    use std::os::unix::fs::FileTypeExt;
    let dir = class();
    let d = dir.path();
    let device = if bound_by_permissions().is_some() {
        // Root.
        let made = std::process::Command::new("mknod")
            .arg(d.join("null"))
            .args(["c", "1", "3"])
            .status()
            .expect("runs mknod");
        assert!(made.success(), "mknod failed");
        d.join("null")
    } else {
        PathBuf::from("/dev/null")
    };
    let device = path_str(&device);
    let run = mark(d, &["class", "--csv", device, "--html", device, "--json", device]);
    run.code(0);
    assert!(
        run.stdout.contains(&format!("Wrote: {device}, {device}, {device}.")),
        "{}",
        run.stdout
    );
    assert!(fs::metadata(device).expect("device").file_type().is_char_device());
    // No temporary file left beside the device.
    let mut expected = vec!["class", "r.toml"];
    if d.join("null").exists() {
        expected.insert(1, "null");
    }
    assert_eq!(listing(d), expected);
}

/// A named pipe is written through: what reads it gets the marks sheet, and it stays a pipe.
#[cfg(unix)]
#[test]
fn a_fifo_is_written_through() {
    use std::os::unix::fs::FileTypeExt;
    let dir = class();
    let d = dir.path();
    let fifo = d.join("marks.csv");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("runs mkfifo");
    assert!(made.success(), "mkfifo failed");
    let (tx, rx) = std::sync::mpsc::channel();
    {
        let fifo = fifo.clone();
        // Left waiting if the run never opens the pipe (the test fails on the timeout below).
        std::thread::spawn(move || tx.send(fs::read_to_string(fifo)));
    }
    let run = mark(d, &["class", "--csv", "marks.csv"]);
    run.code(0);
    let sheet = rx
        .recv_timeout(Duration::from_secs(10))
        .expect("the pipe was written")
        .expect("read");
    assert!(sheet.starts_with("id,file,score,"), "{sheet}");
    assert_eq!(sheet.lines().count(), 3, "{sheet}");
    assert!(fs::metadata(&fifo).expect("fifo").file_type().is_fifo());
    assert_eq!(listing(d), ["class", "marks.csv", "r.toml"]);
}

/// An output naming the file standard output is redirected to (as `--csv /dev/stdout > f`
/// does): the sheet and the summary after it both end up there; the file is not replaced under
/// the summary. (The file is named by its path here, not as `/dev/stdout`: a binary without the
/// fix, run as root, replaces the `/dev/stdout` link itself.)
#[cfg(unix)]
#[test]
fn an_output_to_the_file_standard_output_goes_to() {
    let dir = class();
    let d = dir.path();
    let out = fs::File::create(d.join("out.txt")).expect("create");
    let status = command_as(None)
        .current_dir(d)
        .args(["mark", "-q", "-r", "r.toml", "class", "--csv", "out.txt"])
        .stdout(out)
        .status()
        .expect("runs");
    assert_eq!(status.code(), Some(0));
    let text = fs::read_to_string(d.join("out.txt")).expect("out.txt");
    assert!(text.starts_with("id,file,score,"), "{text}");
    assert!(text.contains("2 answers marked, 0 failed, 0 skipped."), "{text}");
    assert_eq!(listing(d), ["class", "out.txt", "r.toml"]);
}

/// Reports left in the class folder by an earlier run (the marks sheet and the JSON saved as
/// `.txt`, the web page, feedback files, the summary saved from standard output) are skipped
/// and named, not marked: they take no student id (Amy is not `amy#2`).
#[test]
fn reports_of_an_earlier_run_are_skipped_and_named() {
    let dir = class();
    let d = dir.path();
    let summary = fs::File::create(d.join("class/summary.txt")).expect("create");
    let status = command_as(None)
        .current_dir(d)
        .args([
            "mark",
            "-q",
            "-r",
            "r.toml",
            "class",
            "--csv",
            "class/marks.txt",
            "--json",
            "class/marks-json.txt",
            "--html",
            "class/report.html",
            "--feedback-dir",
            "class/feedback",
        ])
        .stdout(summary)
        .status()
        .expect("runs");
    assert_eq!(status.code(), Some(0));
    let first = fs::read_to_string(d.join("class/summary.txt")).expect("summary");
    assert!(first.contains("2 answers marked, 0 failed, 0 skipped."), "{first}");

    // The same run again: its own outputs are written over; the old summary is skipped.
    let run = mark(
        d,
        &[
            "class",
            "--csv",
            "class/marks.txt",
            "--json",
            "class/marks-json.txt",
            "--html",
            "class/report.html",
            "--feedback-dir",
            "class/feedback",
        ],
    );
    run.code(0);
    assert!(
        run.stdout.contains("2 answers marked, 0 failed, 1 skipped."),
        "{}",
        run.stdout
    );

    // Without outputs: every report is skipped, and says what it is.
    let run = mark(d, &["class", "--format", "json"]);
    run.code(0);
    let summary: serde_json::Value = serde_json::from_str(&run.stdout).expect("summary");
    assert_eq!(summary["counts"]["marked"], 2, "{summary}");
    let ids: Vec<&str> = summary["answers"]
        .as_array()
        .expect("answers")
        .iter()
        .map(|a| a["id"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(ids, ["amy", "bob"]);
    assert!(
        summary["warnings"].as_array().expect("warnings").is_empty(),
        "{summary}"
    );
    let skipped: Vec<(String, String)> = summary["skipped"]
        .as_array()
        .expect("skipped")
        .iter()
        .map(|s| {
            (
                s["file"].as_str().unwrap_or("").to_string(),
                s["reason"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let expected = [
        ("class/feedback/amy.md", "a feedback file"),
        ("class/feedback/bob.md", "a feedback file"),
        ("class/marks-json.txt", "a JSON report"),
        ("class/marks.txt", "a marks sheet"),
        ("class/report.html", "a class report"),
        ("class/summary.txt", "a class summary"),
    ];
    assert_eq!(skipped.len(), expected.len(), "{skipped:#?}");
    for ((file, reason), (want_file, want_reason)) in skipped.iter().zip(expected) {
        assert_eq!(file, want_file);
        assert!(
            reason.starts_with(want_reason) && reason.ends_with("written by rubric, not an answer"),
            "{file}: {reason}"
        );
    }
    // The human summary names them too.
    let run = mark(d, &["class"]);
    run.code(0);
    assert!(
        run.stdout
            .contains("class/report.html: a class report (HTML) written by rubric, not an answer"),
        "{}",
        run.stdout
    );
}

/// A legal 240-byte student id: the temporary file's name (the id, the process id and a
/// counter) passed the 255 bytes a name may have, and no feedback file was written.
#[test]
fn a_240_byte_id_gets_its_feedback_file() {
    let dir = class();
    let d = dir.path();
    let id = "a".repeat(240);
    fs::rename(d.join("class/amy.txt"), d.join(format!("class/{id}.txt"))).expect("rename");
    let run = mark(d, &["class", "--feedback-dir", "fb", "--csv", "marks.csv"]);
    run.code(0);
    assert_eq!(listing(&d.join("fb")), [format!("{id}.md"), "bob.md".to_string()]);
}

/// `--threads 10000` for two files ran over a minute (the hang guard): the pool is held to the
/// work (and to a few threads per core).
#[test]
fn ten_thousand_threads_for_two_files() {
    let dir = class();
    let d = dir.path();
    let run = mark(d, &["class", "--threads", "10000", "--feedback-dir", "fb"]);
    run.code(0);
    assert!(
        run.stdout.contains("2 answers marked, 0 failed, 0 skipped."),
        "{}",
        run.stdout
    );
}

/// A report left in a per-student folder (`class/Amy Jones/`) does not count as a second
/// answer there: the folder still gives the id, and the order of the answers follows it.
#[test]
fn a_report_in_a_student_folder_takes_no_id() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    for (folder, sample) in [("Zoe King", GOOD), ("Amy Jones", "samples/stalin/weak.txt")] {
        fs::create_dir_all(d.join("class").join(folder)).expect("mkdir");
        fs::copy(root().join(sample), d.join("class").join(folder).join("essay.txt")).expect("copy");
    }
    fs::copy(root().join(STALIN), d.join("r.toml")).expect("copy");
    mark(d, &["class", "--html", "class/Amy Jones/report.html"]).code(0);
    let run = mark(d, &["class", "--format", "json"]);
    run.code(0);
    let summary: serde_json::Value = serde_json::from_str(&run.stdout).expect("summary");
    let ids: Vec<&str> = summary["answers"]
        .as_array()
        .expect("answers")
        .iter()
        .map(|a| a["id"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(ids, ["Amy Jones", "Zoe King"], "{summary}");
    assert_eq!(
        summary["skipped"][0]["file"], "class/Amy Jones/report.html",
        "{summary}"
    );
}
