//! `check --watch`: a second report appears after the answer is saved.

use std::io::Read;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::common::*;

/// Waits until `done` holds for what the process has printed so far, or panics after a minute.
fn wait_until(output: &Arc<Mutex<String>>, what: &str, done: impl Fn(&str) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if done(&output.lock().unwrap()) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "timed out waiting for {what}; output so far:\n{}",
            output.lock().unwrap()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn collect(stream: impl Read + Send + 'static) -> Arc<Mutex<String>> {
    let out = Arc::new(Mutex::new(String::new()));
    let sink = Arc::clone(&out);
    std::thread::spawn(move || {
        let mut stream = stream;
        let mut buf = [0u8; 4096];
        while let Ok(n) = stream.read(&mut buf) {
            if n == 0 {
                break;
            }
            sink.lock().unwrap().push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    });
    out
}

#[test]
fn watch_checks_again_when_the_answer_is_saved() {
    let dir = tempfile::tempdir().unwrap();
    let answer = dir.path().join("answer.txt");
    std::fs::copy(fixture("answer.txt"), &answer).unwrap();
    let mut child = Command::new(bin())
        .args([
            "check",
            "--watch",
            "-f",
            "line",
            "--covered",
            "-r",
            fixture("roman.toml").to_str().unwrap(),
            "answer.txt",
        ])
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = collect(child.stdout.take().unwrap());
    let stderr = collect(child.stderr.take().unwrap());
    let result = std::panic::catch_unwind(|| {
        wait_until(&stderr, "the watching note", |s| s.contains("watching"));
        assert_eq!(stdout.lock().unwrap().matches("score total").count(), 1);
        assert!(stdout.lock().unwrap().contains("1:1: missing 2.1"));
        // Save a better answer, as an editor would.
        let mut text = std::fs::read_to_string(&answer).unwrap();
        text.push_str("Caesar became dictator for life.\n");
        std::fs::write(&answer, text).unwrap();
        wait_until(&stdout, "a second report", |s| s.matches("score total").count() >= 2);
        let out = stdout.lock().unwrap().clone();
        let second = out.rsplit_once("answer.txt:1:1: score total").unwrap().0;
        assert!(second.contains("answer.txt:5:15: covered 2.1"), "{out}");
        // Not a terminal: no screen clearing.
        assert!(!out.contains('\x1b'), "{out:?}");
    });
    let _ = child.kill();
    let _ = child.wait();
    if let Err(e) = result {
        std::panic::resume_unwind(e);
    }
}

#[test]
fn watch_needs_files() {
    let r = run(&["check", "--watch", "-r", "tests/fixtures/workflows/roman.toml", "-"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--watch cannot watch standard input"), "{}", r.stderr);
}
