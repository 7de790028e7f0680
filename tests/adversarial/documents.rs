//! Issue 16: hostile cases (documents): text hidden by styles, sections and inline HTML earns
//! nothing, and random bytes with no NUL are refused as binary.
use super::*;

/// Earns `patronage` in rubrics/stalin-rise.toml when the matcher sees it.
const FACT: &str = "Stalin built a patronage system: he gave jobs to his allies, who then backed him.";
/// Shown in every document, so that none is empty; earns no `patronage`.
const FILLER: &str = "Trotsky was sent into exile in 1929.";

use crate::build::{odf_style, styled_docx, word_style};

/// A .docx with the body `body`, then a paragraph of [`FILLER`], and the styles `styles` (the
/// inside of `w:styles`).
fn docx(body: &str, styles: &str) -> Vec<u8> {
    styled_docx(&format!("{body}<w:p><w:r><w:t>{FILLER}</w:t></w:r></w:p>"), styles)
}

/// An .odt with the automatic styles `automatic`, the body `body` (then a paragraph of
/// [`FILLER`]) and the common styles `common`.
fn odt(automatic: &str, body: &str, common: &str) -> Vec<u8> {
    crate::build::odt(automatic, &format!("{body}<text:p>{FILLER}</text:p>"), common, "")
}

/// Writes each `(name, bytes)` into a new folder, checks them all in one run, and returns the
/// status of `patronage` by file name (exit code 0 asserted: every file must be read).
fn patronage_by_file(files: &[(String, Vec<u8>)]) -> Vec<(String, String)> {
    let dir = tempfile::tempdir().expect("tempdir");
    let paths: Vec<String> = files
        .iter()
        .map(|(name, bytes)| {
            let path = dir.path().join(name);
            fs::write(&path, bytes).expect("write");
            path_str(&path).to_owned()
        })
        .collect();
    let args: Vec<&str> = paths.iter().map(String::as_str).collect();
    let run = check(STALIN, &args, QUICK);
    run.code(0);
    let reports = run.reports();
    assert_eq!(reports.len(), files.len(), "{}", run.stdout);
    reports
        .iter()
        .map(|r| {
            let file = r["file"].as_str().unwrap_or("");
            let name = Path::new(file).file_name().and_then(|n| n.to_str()).unwrap_or("");
            (name.to_owned(), status(r, "patronage").to_owned())
        })
        .collect()
}

/// Each case twice: `hidden-NAME` (the fact hidden, so `patronage` must not be covered) and
/// `shown-NAME` (the same document with the hiding switched off: covered).
fn assert_hidden_and_shown(cases: &[(&str, Vec<u8>, Vec<u8>)]) {
    let mut files = Vec::new();
    for (name, hidden, shown) in cases {
        files.push((format!("hidden-{name}"), hidden.clone()));
        files.push((format!("shown-{name}"), shown.clone()));
    }
    for (file, status) in patronage_by_file(&files) {
        if file.starts_with("hidden-") {
            assert_ne!(status, "covered", "{file}: hidden text earned the point");
        } else {
            assert_eq!(status, "covered", "{file}: shown text did not earn the point");
        }
    }
}

#[test]
fn docx_hidden_text_earns_nothing() {
    let run =
        |style: &str| format!(r#"<w:p><w:r><w:rPr><w:rStyle w:val="{style}"/></w:rPr><w:t>{FACT}</w:t></w:r></w:p>"#);
    let para =
        |style: &str| format!(r#"<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr><w:r><w:t>{FACT}</w:t></w:r></w:p>"#);
    // `hide` is `<w:vanish/>` for the hidden document and `<w:b/>` (bold) for the shown one.
    let character = |hide: &str| word_style("character", "Secret", &format!("<w:rPr>{hide}</w:rPr>"));
    let chain = |hide: &str| {
        [
            word_style("character", "Root", &format!("<w:rPr>{hide}</w:rPr>")),
            word_style(
                "character",
                "Middle",
                r#"<w:basedOn w:val="Root"/><w:rPr><w:i/></w:rPr>"#,
            ),
            word_style("character", "Leaf", r#"<w:basedOn w:val="Middle"/>"#),
        ]
        .concat()
    };
    let paragraph = |hide: &str| {
        [
            word_style("paragraph", "Quiet", &format!("<w:rPr>{hide}</w:rPr>")),
            word_style("paragraph", "Quieter", r#"<w:basedOn w:val="Quiet"/>"#),
        ]
        .concat()
    };
    let defaults =
        |hide: &str| format!("<w:docDefaults><w:rPrDefault><w:rPr>{hide}</w:rPr></w:rPrDefault></w:docDefaults>");
    // Under hidden document defaults, the filler must show itself.
    let shown_filler = format!(r#"<w:p><w:r><w:rPr><w:vanish w:val="0"/></w:rPr><w:t>{FILLER}</w:t></w:r></w:p>"#);
    // A markup-compatibility choice Word does not understand (it shows the fallback instead).
    let alternate = |namespace: &str| {
        format!(
            r#"<w:p><w:r><mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:x="{namespace}"><mc:Choice Requires="x"><w:txbxContent><w:p><w:r><w:t>{FACT}</w:t></w:r></w:p></w:txbxContent></mc:Choice><mc:Fallback/></mc:AlternateContent></w:r></w:p>"#
        )
    };
    let on = "<w:vanish/>";
    let off = "<w:b/>";
    let cases = vec![
        (
            "character.docx",
            docx(&run("Secret"), &character(on)),
            docx(&run("Secret"), &character(off)),
        ),
        (
            "based-on.docx",
            docx(&run("Leaf"), &chain(on)),
            docx(&run("Leaf"), &chain(off)),
        ),
        (
            "paragraph.docx",
            docx(&para("Quiet"), &paragraph(on)),
            docx(&para("Quiet"), &paragraph(off)),
        ),
        (
            "paragraph-based-on.docx",
            docx(&para("Quieter"), &paragraph(on)),
            docx(&para("Quieter"), &paragraph(off)),
        ),
        (
            "alternate-content.docx",
            docx(&alternate("http://example.org/not-understood"), ""),
            docx(
                &alternate("http://schemas.microsoft.com/office/word/2010/wordprocessingShape"),
                "",
            ),
        ),
        (
            "defaults.docx",
            docx(&format!("{}{shown_filler}", para("None")), &defaults(on)),
            docx(&format!("{}{shown_filler}", para("None")), &defaults(off)),
        ),
    ];
    assert_hidden_and_shown(&cases);
}

#[test]
fn odt_hidden_sections_and_styles_earn_nothing() {
    let section =
        |display: &str| format!(r#"<text:section text:name="S"{display}><text:p>{FACT}</text:p></text:section>"#);
    let span =
        |style: &str| format!(r#"<text:p>Notes: <text:span text:style-name="{style}">{FACT}</text:span></text:p>"#);
    let para = |style: &str| format!(r#"<text:p text:style-name="{style}">{FACT}</text:p>"#);
    let hidden_paragraph = |hidden: &str| {
        format!(r#"<text:p>{FACT}<text:hidden-paragraph text:condition="ooow:1" text:is-hidden="{hidden}"/></text:p>"#)
    };
    let cases = vec![
        (
            "section.odt",
            odt("", &section(r#" text:display="none""#), ""),
            odt("", &section(""), ""),
        ),
        (
            "span.odt",
            odt(&odf_style("text", "T1", "", "none"), &span("T1"), ""),
            odt(&odf_style("text", "T1", "", "true"), &span("T1"), ""),
        ),
        (
            // An automatic style based on a common one, based on a hidden one.
            "span-chain.odt",
            odt(
                &odf_style("text", "T1", "Heir", ""),
                &span("T1"),
                &[
                    odf_style("text", "Secret", "", "none"),
                    odf_style("text", "Heir", "Secret", ""),
                ]
                .concat(),
            ),
            odt(
                &odf_style("text", "T1", "Heir", ""),
                &span("T1"),
                &[
                    odf_style("text", "Secret", "", ""),
                    odf_style("text", "Heir", "Secret", ""),
                ]
                .concat(),
            ),
        ),
        (
            "paragraph.odt",
            odt("", &para("Quiet"), &odf_style("paragraph", "Quiet", "", "none")),
            odt("", &para("Quiet"), &odf_style("paragraph", "Quiet", "", "")),
        ),
        (
            "hidden-paragraph.odt",
            odt("", &hidden_paragraph("true"), ""),
            odt("", &hidden_paragraph("false"), ""),
        ),
    ];
    assert_hidden_and_shown(&cases);
}

#[test]
fn hidden_inline_html_earns_nothing() {
    let md = |text: String| format!("# Answer\n\n{FILLER}\n\n{text}\n").into_bytes();
    let cases = vec![
        (
            "span.md",
            md(format!(r#"Notes: <span style="display:none">{FACT}</span>"#)),
            md(format!(r#"Notes: <span style="color:black">{FACT}</span>"#)),
        ),
        (
            // A hidden block around Markdown paragraphs, written as a renderer would show it.
            "div.md",
            md(format!("<div hidden>\n\n{FACT}\n\n</div>\n\nThe end.")),
            md(format!("<div>\n\n{FACT}\n\n</div>\n\nThe end.")),
        ),
        (
            "unclosed.md",
            md(format!("<div style=\"visibility: hidden\">\n\n{FACT}")),
            md(format!("<div>\n\n{FACT}")),
        ),
        (
            "style-sheet.md",
            md(format!(
                "<style>.note {{ display: none }}</style>\n\nNotes: <span class=\"note\">{FACT}</span>"
            )),
            md(format!(
                "<style>.note {{ color: grey }}</style>\n\nNotes: <span class=\"note\">{FACT}</span>"
            )),
        ),
        (
            "style-sheet.html",
            format!("<style>p.note {{ visibility: hidden }}</style><p>{FILLER}</p><p class=note>{FACT}</p>")
                .into_bytes(),
            format!("<style>p.note {{ font-style: italic }}</style><p>{FILLER}</p><p class=note>{FACT}</p>")
                .into_bytes(),
        ),
        (
            "unclosed.html",
            format!("<p>{FILLER}</p><div hidden><p>{FACT}").into_bytes(),
            format!("<p>{FILLER}</p><div><p>{FACT}").into_bytes(),
        ),
    ];
    assert_hidden_and_shown(&cases);
}

/// `len` pseudo-random bytes (xorshift from `seed`) with no NUL.
fn noise(len: usize, mut seed: u64) -> Vec<u8> {
    (0..len)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            u8::try_from(1 + seed % 255).expect("a byte")
        })
        .collect()
}

#[test]
fn random_bytes_without_nul_are_refused_as_binary() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut refused = Vec::new();
    for (name, len, seed) in [("noise.txt", 4096, 1), ("noise.md", 300, 2), ("noise.html", 100_000, 3)] {
        let bytes = noise(len, seed);
        assert!(!bytes.contains(&0));
        refused.push(path_str(&write_bytes(dir.path(), name, &bytes)).to_owned());
    }
    let shown = write_bytes(
        dir.path(),
        "shown.docx",
        &docx(&format!("<w:p><w:r><w:t>{FACT}</w:t></w:r></w:p>"), ""),
    );
    let mut args: Vec<&str> = refused.iter().map(String::as_str).collect();
    args.push(GOOD);
    args.push(path_str(&shown));
    let run = check(STALIN, &args, QUICK);
    run.code(2);
    for file in &refused {
        run.says(&[&format!("{file}: looks like a binary file")]);
    }
    // The good files in the same run are still checked.
    let reports = run.reports();
    assert_eq!(reports.len(), 2, "{}", run.stdout);
    for report in &reports {
        assert_eq!(status(report, "patronage"), "covered", "{report}");
    }
    // Standard input too.
    let out = assert_cmd::Command::new(env!("CARGO_BIN_EXE_rubric"))
        .current_dir(root())
        .args(["check", "-r", STALIN, "-"])
        .write_stdin(noise(2000, 4))
        .timeout(QUICK)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("<stdin>: looks like a binary file"));
}

/// Every answer the project ships (samples, fixtures, the odd but readable adversarial files) is
/// still read: no real text looks binary, and no real document loses its text.
#[test]
fn every_real_answer_is_still_read() {
    fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in fs::read_dir(dir).expect("folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                collect(&path, out);
            } else if path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| ["txt", "md", "html", "docx", "odt"].contains(&e))
            {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    collect(&root().join("samples"), &mut files);
    collect(&root().join("tests/fixtures"), &mut files);
    collect(&root().join("tests/adversarial"), &mut files);
    files.retain(|f| !f.ends_with("nul.txt") && !f.ends_with("blank.txt"));
    files.sort();
    assert!(files.len() > 60, "{}", files.len());
    let args: Vec<&str> = files.iter().map(|f| path_str(f)).collect();
    let run = check(STALIN, &args, SLOW);
    run.code(0);
    assert_eq!(run.reports().len(), files.len());
}

fn write_bytes(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, bytes).expect("write");
    path
}
