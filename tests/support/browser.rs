//! Headless Chromium for the tests that look at a page rubric wrote (`tests/mark.rs`: the class
//! report, `tests/feedback.rs`: a feedback page), in ONE place: each includes this file with
//! `#[path]`. Pages are opened only when `RUBRIC_BROWSER_TESTS=1` (CI sets it); then a missing
//! browser is a failure, not a skip.
#![allow(dead_code)]

use std::fs;
use std::path::Path;
use std::process::Command;

/// The browser to use: `None` (with a note) unless `RUBRIC_BROWSER_TESTS=1`; then the first
/// Chromium found, or a panic.
pub fn chromium(what: &str) -> Option<&'static str> {
    if std::env::var("RUBRIC_BROWSER_TESTS").as_deref() != Ok("1") {
        eprintln!("RUBRIC_BROWSER_TESTS is not 1: {what} is not opened in a browser");
        return None;
    }
    let found = ["chromium", "chromium-browser", "google-chrome"].into_iter().find(|b| {
        Command::new(b)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    });
    Some(found.unwrap_or_else(|| {
        panic!("RUBRIC_BROWSER_TESTS=1 but no chromium found: install it (apt-get install chromium)")
    }))
}

/// A headless run of `browser` on the page at `page`, with a profile of its own.
fn run(browser: &str, page: &Path, args: &[String]) -> std::process::Output {
    let profile = tempfile::tempdir().expect("tempdir");
    let url = format!("file://{}", fs::canonicalize(page).expect("canonical").display());
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .arg(&url)
        .output()
        .expect("runs chromium");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    out
}

/// A screenshot of `page` in a window of `width` x `height`, saved as `png`: checks that it is a
/// PNG of at least that size and returns its bytes.
pub fn screenshot(browser: &str, page: &Path, png: &Path, (width, height): (u32, u32)) -> Vec<u8> {
    run(
        browser,
        page,
        &[
            format!("--screenshot={}", png.display()),
            format!("--window-size={width},{height}"),
        ],
    );
    let bytes = fs::read(png).expect("the screenshot exists");
    assert!(
        bytes.starts_with(b"\x89PNG\r\n\x1a\n") && &bytes[12..16] == b"IHDR",
        "a PNG"
    );
    let w = u32::from_be_bytes([bytes[16], bytes[17], bytes[18], bytes[19]]);
    let h = u32::from_be_bytes([bytes[20], bytes[21], bytes[22], bytes[23]]);
    assert!(w >= width * 2 / 3 && h >= height / 2, "{w}x{h}");
    bytes
}

/// The document of `page` as the browser parsed it.
pub fn dom(browser: &str, page: &Path) -> String {
    let out = run(browser, page, &["--dump-dom".to_string()]);
    String::from_utf8_lossy(&out.stdout).into_owned()
}
