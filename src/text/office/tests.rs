//! The unit tests of the office reader.

use std::cell::Cell;
use std::io::{BufReader, Read, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use zip::write::SimpleFileOptions;

use self::build::*;
use super::docx::*;
use super::odt::*;
use super::package::*;
use super::xml::*;
use super::*;
use crate::text::read::{Format, read_path};

/// The document builders the integration tests use too.
#[path = "../../../tests/support/documents.rs"]
mod build;

const RELS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";

struct Dir {
    dir: tempfile::TempDir,
}

impl Dir {
    fn new() -> Dir {
        Dir {
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, bytes).expect("write fixture");
        path
    }
}

fn read(name: &str, bytes: &[u8]) -> Result<String, ReadError> {
    let dir = Dir::new();
    let path = dir.file(name, bytes);
    read_path(&path, &Limits::default()).map(|s| {
        assert_eq!(s.format, Format::Text);
        s.text
    })
}

fn read_docx(body: &str) -> String {
    read("a.docx", &docx(body)).expect("reads")
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/office")
        .join(name)
}

const FIXTURE_BODY: &str = "How Stalin rose up the Bolshevik ranks\n\n\
    The two organisations\n\n\
    The two organisations that became pre-eminent were the Council of People’s Commissars (Sovnarkom), which was the government, and the party Secretariat.\n\n\
    Stalin’s jobs\n\n\
    Stalin used patronage: he gave jobs to his friends, who owed him.\n\n\
    Job\tWhat it let him do\n\n\
    General Secretary\tkept files on every member\n\n\
    Head of Rabkrin\tlet him oversee every government department\n\n\
    Cementing his power\n\n\
    The Lenin enrolment brought many new members into the party. Stalin took on Lenin’s mantle and called himself Lenin’s “true follower”, so nobody could question him.\n\n\
    In the Lenin enrolment the new members were picked by the Secretariat, so they owed Stalin their place and supported him.\n\n\
    Sam Student, Year 9 History\n\n\
    Worksheet: the rise of Stalin";

#[test]
fn reads_the_libreoffice_fixtures() {
    for name in ["answer.docx", "answer.odt"] {
        let source = read_path(&fixture(name), &Limits::default()).expect(name);
        assert_eq!(source.text, FIXTURE_BODY, "{name}");
        assert_eq!(source.format, Format::Text);
        assert!(source.name.ends_with(name));
    }
}

#[test]
fn docx_runs_and_special_characters() {
    let cases: &[(&str, &str)] = &[
        // Paragraphs are blocks; runs join.
        (
            r#"<w:p><w:r><w:t>One </w:t></w:r><w:r><w:t xml:space="preserve"> two</w:t></w:r></w:p><w:p><w:r><w:t>Three</w:t></w:r></w:p>"#,
            "One two\n\nThree",
        ),
        // Without xml:space="preserve", edge spaces go; with it, they stay.
        (
            r#"<w:p><w:r><w:t xml:space="preserve">a </w:t><w:t>b</w:t><w:t xml:space="preserve"> c</w:t></w:r></w:p>"#,
            "a b c",
        ),
        // Tab, break, carriage return, no-break hyphen; symbols and soft hyphens ignored.
        (
            r#"<w:p><w:r><w:t>a</w:t><w:tab/><w:t>b</w:t><w:br/><w:t>c</w:t><w:cr/><w:t>d</w:t><w:noBreakHyphen/><w:t>e</w:t><w:sym w:font="Wingdings" w:char="F04A"/><w:softHyphen/><w:t>f</w:t></w:r></w:p>"#,
            "a\tb\nc\nd-ef",
        ),
        // Tab stops in paragraph properties are not tabs.
        (
            r#"<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:t>x</w:t></w:r></w:p>"#,
            "x",
        ),
        // Entities, character references, CDATA; smart quotes untouched.
        (
            r#"<w:p><w:r><w:t>&lt;a&gt; &amp; &#8220;b&#x201D; ‘c’ &quot;d&apos;</w:t></w:r></w:p>"#,
            "<a> & “b” ‘c’ \"d'",
        ),
        // Tracked changes: deletions and moves away dropped, insertions kept.
        (
            r#"<w:p><w:r><w:t xml:space="preserve">He </w:t></w:r><w:del w:id="1"><w:r><w:delText>never </w:delText></w:r></w:del><w:ins w:id="2"><w:r><w:t xml:space="preserve">always </w:t></w:r></w:ins><w:moveFrom w:id="3"><w:r><w:t>gone</w:t></w:r></w:moveFrom><w:r><w:t>won</w:t></w:r></w:p>"#,
            "He always won",
        ),
        // Hidden text (w:vanish) is left out, unless switched off.
        (
            r#"<w:p><w:r><w:rPr><w:vanish/></w:rPr><w:t>patronage</w:t></w:r><w:r><w:rPr><w:vanish w:val="0"/></w:rPr><w:t>shown</w:t></w:r></w:p>"#,
            "shown",
        ),
        // Field codes are not text; field results are.
        (
            r#"<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>7</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>"#,
            "7",
        ),
        // A text box inside a paragraph is a block of its own; its VML fallback copy is skipped.
        (
            r#"<w:p><w:r><w:t>Before</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><w:txbxContent><w:p><w:r><w:t>Boxed</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>Boxed</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r><w:r><w:t xml:space="preserve"> after</w:t></w:r></w:p>"#,
            "Boxed\n\nBefore after",
        ),
        // Tables: a row per block, cells separated by tabs, empty cells dropped, a cell's
        // paragraphs on separate lines.
        (
            r#"<w:tbl><w:tblPr/><w:tr><w:tc><w:p><w:r><w:t>General Secretary</w:t></w:r></w:p></w:tc><w:tc><w:p/></w:tc><w:tc><w:p><w:r><w:t>kept files</w:t></w:r></w:p><w:p><w:r><w:t>on everyone</w:t></w:r></w:p></w:tc></w:tr><w:tr><w:tc><w:p><w:r><w:t>Row 2</w:t></w:r></w:p></w:tc></w:tr></w:tbl><w:p><w:r><w:t>After</w:t></w:r></w:p>"#,
            "General Secretary\tkept files\non everyone\n\nRow 2\n\nAfter",
        ),
        // A DTD-less reference to an undeclared entity is kept as written.
        (r#"<w:p><w:r><w:t>a &nope; b</w:t></w:r></w:p>"#, "a &nope; b"),
        // Empty paragraphs make no blocks.
        (r#"<w:p/><w:p><w:r><w:t>x</w:t></w:r></w:p><w:p></w:p>"#, "x"),
    ];
    for (body, expected) in cases {
        assert_eq!(read_docx(body), *expected, "{body}");
    }
}

#[test]
fn docx_notes_headers_and_footers_follow_the_body() {
    let rels = format!(
        r#"<Relationships xmlns="{RELS}">
<Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>
<Relationship Id="r2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header2.xml"/>
<Relationship Id="r3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="/word/header10.xml"/>
<Relationship Id="r4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/endnotes" Target="endnotes.xml"/>
<Relationship Id="r5" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" Target="./footnotes.xml"/>
<Relationship Id="r6" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://example.org/" TargetMode="External"/>
</Relationships>"#
    );
    let notes = |root: &str, item: &str, text: &str| {
        format!(
            r#"<w:{root} xmlns:w="{W}"><w:{item} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{item}><w:{item} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:t>cont</w:t></w:r></w:p></w:{item}><w:{item} w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t>{text}</w:t></w:r></w:p></w:{item}></w:{root}>"#
        )
    };
    let part = |root: &str, text: &str| {
        format!(r#"<w:{root} xmlns:w="{W}"><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:{root}>"#)
    };
    let body = document(r#"<w:p><w:r><w:t>Body</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r></w:p>"#);
    let bytes = zip(&[
        ("word/document.xml", body.as_bytes()),
        ("word/_rels/document.xml.rels", rels.as_bytes()),
        (
            "word/footnotes.xml",
            notes("footnotes", "footnote", "A footnote").as_bytes(),
        ),
        (
            "word/endnotes.xml",
            notes("endnotes", "endnote", "An endnote").as_bytes(),
        ),
        ("word/header2.xml", part("hdr", "Name").as_bytes()),
        ("word/header10.xml", part("hdr", "Name").as_bytes()),
        ("word/footer1.xml", part("ftr", "Page").as_bytes()),
    ]);
    assert_eq!(
        read("a.docx", &bytes).expect("reads"),
        "Body\n\nA footnote\n\nAn endnote\n\nName\n\nPage"
    );

    // Without relationships, the usual part names are used.
    let bytes = zip(&[
        ("word/document.xml", body.as_bytes()),
        (
            "word/footnotes.xml",
            notes("footnotes", "footnote", "A footnote").as_bytes(),
        ),
        ("word/header1.xml", part("hdr", "Head").as_bytes()),
        ("word/footer1.xml", part("ftr", "Foot").as_bytes()),
    ]);
    assert_eq!(
        read("a.docx", &bytes).expect("reads"),
        "Body\n\nA footnote\n\nHead\n\nFoot"
    );
}

fn read_styled(body: &str, styles: &str) -> String {
    read("a.docx", &styled_docx(body, styles)).unwrap_or_else(|e| panic!("{e}: {body}"))
}

/// A run of `text` with the character style `style`.
fn styled_run(style: &str, text: &str) -> String {
    format!(r#"<w:r><w:rPr><w:rStyle w:val="{style}"/></w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>"#)
}

/// A paragraph of `text` with the paragraph style `style`.
fn styled_para(style: &str, text: &str) -> String {
    format!(r#"<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#)
}

const VANISH: &str = "<w:rPr><w:vanish/></w:rPr>";

#[test]
fn docx_text_hidden_by_a_style_is_left_out() {
    let chain = [
        word_style("character", "Root", VANISH),
        word_style(
            "character",
            "Middle",
            r#"<w:basedOn w:val="Root"/><w:rPr><w:b/></w:rPr>"#,
        ),
        // `w:vanish w:val="0"` in a style does not show text its base hides (a toggle).
        word_style(
            "character",
            "Leaf",
            r#"<w:basedOn w:val="Middle"/><w:rPr><w:vanish w:val="0"/></w:rPr>"#,
        ),
        word_style("character", "Plain", r#"<w:rPr><w:i/></w:rPr>"#),
        word_style("paragraph", "Normal", ""),
        word_style("paragraph", "HiddenPara", VANISH),
        word_style("paragraph", "Heir", r#"<w:basedOn w:val="HiddenPara"/>"#),
        // The run properties of a paragraph style's paragraph mark hide only the mark.
        word_style("paragraph", "MarkOnly", r#"<w:pPr><w:rPr><w:vanish/></w:rPr></w:pPr>"#),
        // Old formatting kept by tracked changes is not what is shown.
        word_style(
            "character",
            "WasHidden",
            r#"<w:rPr><w:i/><w:rPrChange w:id="1"><w:rPr><w:vanish/></w:rPr></w:rPrChange></w:rPr>"#,
        ),
        word_style("table", "HiddenTable", VANISH),
        word_style(
            "table",
            "BandedHidden",
            r#"<w:tblStylePr w:type="firstRow"><w:rPr><w:vanish/></w:rPr></w:tblStylePr>"#,
        ),
    ]
    .concat();
    let cases: Vec<(String, &str)> = vec![
        (format!("<w:p>{}{}</w:p>", styled_run("Root", "hidden "), styled_run("Plain", "shown")), "shown"),
        (format!("<w:p>{}{}</w:p>", styled_run("Leaf", "hidden "), styled_run("Nope", "unknown style")), "unknown style"),
        (format!("<w:p>{}</w:p>", styled_run("WasHidden", "was hidden once")), "was hidden once"),
        // A run's own `w:vanish w:val="0"` shows what its style hides.
        (
            r#"<w:p><w:r><w:rPr><w:rStyle w:val="Root"/><w:vanish w:val="0"/></w:rPr><w:t>shown</w:t></w:r></w:p>"#.to_owned(),
            "shown",
        ),
        (
            [styled_para("HiddenPara", "hidden"), styled_para("Heir", "hidden too"), styled_para("Normal", "shown")].concat(),
            "shown",
        ),
        (styled_para("MarkOnly", "mark only"), "mark only"),
        (
            r#"<w:p><w:pPr><w:pStyle w:val="Normal"/><w:pPrChange w:id="2"><w:pPr><w:pStyle w:val="HiddenPara"/></w:pPr></w:pPrChange></w:pPr><w:r><w:t>restyled</w:t></w:r></w:p>"#.to_owned(),
            "restyled",
        ),
        // Tables, and a text box in a hidden run.
        (
            r#"<w:tbl><w:tblPr><w:tblStyle w:val="HiddenTable"/></w:tblPr><w:tr><w:tc><w:p><w:r><w:t>cell</w:t></w:r></w:p></w:tc></w:tr></w:tbl><w:tbl><w:tblPr><w:tblStyle w:val="BandedHidden"/></w:tblPr><w:tr><w:tc><w:p><w:r><w:t>banded</w:t></w:r></w:p></w:tc></w:tr></w:tbl><w:p><w:r><w:t>after</w:t></w:r></w:p>"#.to_owned(),
            "after",
        ),
        (
            r#"<w:p><w:r><w:rPr><w:rStyle w:val="Root"/></w:rPr><w:drawing><w:txbxContent><w:p><w:r><w:t>boxed</w:t></w:r></w:p></w:txbxContent></w:drawing></w:r><w:r><w:t>text</w:t></w:r></w:p>"#.to_owned(),
            "text",
        ),
    ];
    for (body, expected) in &cases {
        assert_eq!(read_styled(body, &chain), *expected, "{body}");
        // Without the styles, everything shows.
        assert!(read_docx(body).contains(expected), "{body}");
    }
}

#[test]
fn docx_alternate_content_is_read_as_word_shows_it() {
    let alternate = |choices: &str, fallback: &str| {
        format!(
            r#"<w:p><w:r><w:t xml:space="preserve">Before </w:t></w:r><w:r><mc:AlternateContent xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" xmlns:fake="http://schemas.microsoft.com/office/word/2099/fake">{choices}<mc:Fallback>{fallback}</mc:Fallback></mc:AlternateContent></w:r><w:r><w:t>after</w:t></w:r></w:p>"#
        )
    };
    let boxed = |text: &str| format!("<w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent>");
    let choice =
        |requires: &str, text: &str| format!(r#"<mc:Choice Requires="{requires}">{}</mc:Choice>"#, boxed(text));
    let cases = [
        // Understood: the choice, not the fallback.
        (
            alternate(&choice("wps", "modern"), &boxed("fallback")),
            "modern\n\nBefore after",
        ),
        // Not understood (an unknown namespace, an unbound prefix): the fallback.
        (
            alternate(&choice("fake", "unseen"), &boxed("fallback")),
            "fallback\n\nBefore after",
        ),
        (alternate(&choice("wps nope", "unseen"), ""), "Before after"),
        // The first understood choice only.
        (
            alternate(
                &[
                    choice("fake", "unseen"),
                    choice("wps", "second"),
                    choice("wps", "third"),
                ]
                .concat(),
                "",
            ),
            "second\n\nBefore after",
        ),
    ];
    for (body, expected) in &cases {
        assert_eq!(read_docx(body), *expected, "{body}");
    }
}

#[test]
fn docx_defaults_and_default_styles_hide_text() {
    let body = r#"<w:p><w:r><w:t xml:space="preserve">plain </w:t></w:r><w:r><w:rPr><w:vanish w:val="off"/></w:rPr><w:t>unhidden</w:t></w:r></w:p>"#;
    let defaults = format!("<w:docDefaults><w:rPrDefault>{VANISH}</w:rPrDefault><w:pPrDefault/></w:docDefaults>");
    assert_eq!(read_styled(body, &defaults), "unhidden");
    let default_para =
        r#"<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:rPr><w:vanish/></w:rPr></w:style>"#;
    assert_eq!(read_styled(body, default_para), "unhidden");
    // The default paragraph style applies where the style named is unknown, not where
    // another is named.
    let body = [styled_para("Unknown", "unknown"), styled_para("Other", "other")].concat();
    let styles = format!("{default_para}{}", word_style("paragraph", "Other", ""));
    assert_eq!(read_styled(&body, &styles), "other");
    let default_char = r#"<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:rPr><w:vanish/></w:rPr></w:style>"#;
    let body = format!(
        "<w:p><w:r><w:t xml:space=\"preserve\">plain </w:t></w:r>{}</w:p>",
        styled_run("Shown", "styled")
    );
    let styles = format!("{default_char}{}", word_style("character", "Shown", ""));
    assert_eq!(read_styled(&body, &styles), "styled");
}

#[test]
fn docx_style_chains_are_safe() {
    let body = [
        styled_run("A", "a "),
        styled_run("Self", "self "),
        styled_run("Far", "far "),
        styled_run("X", "x"),
    ]
    .concat();
    let body = format!("<w:p>{body}</w:p>");
    // Cycles without `w:vanish` hide nothing; with it, everything on them.
    let mut styles = [
        word_style("character", "A", r#"<w:basedOn w:val="B"/>"#),
        word_style("character", "B", r#"<w:basedOn w:val="A"/>"#),
        word_style("character", "Self", r#"<w:basedOn w:val="Self"/>"#),
    ]
    .concat();
    // A chain 20,000 styles long, hidden at its root: resolved in linear time.
    let depth = 20_000;
    for i in 0..depth {
        let based = if i + 1 < depth {
            format!(r#"<w:basedOn w:val="S{}"/>"#, i + 1)
        } else {
            VANISH.to_owned()
        };
        styles.push_str(&word_style("character", &format!("S{i}"), &based));
    }
    styles.push_str(&word_style("character", "Far", r#"<w:basedOn w:val="S0"/>"#));
    styles.push_str(&word_style("character", "X", r#"<w:basedOn w:val="Y"/>"#));
    styles.push_str(&word_style("character", "Y", r#"<w:basedOn w:val="Z"/>"#));
    styles.push_str(&word_style(
        "character",
        "Z",
        &format!(r#"<w:basedOn w:val="X"/>{VANISH}"#),
    ));
    let start = Instant::now();
    assert_eq!(read_styled(&body, &styles), "a self");
    assert!(start.elapsed() < Duration::from_secs(10), "{:?}", start.elapsed());

    // Too many styles to be a real document.
    let many = word_style("character", "s", "").repeat(MAX_STYLES + 1);
    let bytes = zip(&[
        ("word/document.xml", document(&body).as_bytes()),
        ("word/styles.xml", styles_xml(&many).as_bytes()),
    ]);
    let err = expect_err("styles.docx", &bytes);
    assert!(matches!(err, ReadError::Unpack { .. }), "{err:?}");
    assert!(err.to_string().contains("styles"), "{err}");
}

#[test]
fn docx_styles_part_from_relationships() {
    let rels = format!(
        r#"<Relationships xmlns="{RELS}"><Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="custom/looks.xml"/></Relationships>"#
    );
    let body = document(&format!(
        "<w:p>{}<w:r><w:t>shown</w:t></w:r></w:p>",
        styled_run("H", "hidden ")
    ));
    let styles = styles_xml(&word_style("character", "H", VANISH));
    let bytes = zip(&[
        ("word/document.xml", body.as_bytes()),
        ("word/_rels/document.xml.rels", rels.as_bytes()),
        ("word/custom/looks.xml", styles.as_bytes()),
    ]);
    assert_eq!(read("a.docx", &bytes).expect("reads"), "shown");
}

#[test]
fn docx_main_part_from_package_relationships() {
    let rels = format!(
        r#"<Relationships xmlns="{RELS}"><Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="/word/document2.xml"/></Relationships>"#
    );
    let body = document(r#"<w:p><w:r><w:t>Moved</w:t></w:r></w:p>"#);
    let bytes = zip(&[
        ("_rels/.rels", rels.as_bytes()),
        ("word/document2.xml", body.as_bytes()),
    ]);
    assert_eq!(read("a.docx", &bytes).expect("reads"), "Moved");
}

#[test]
fn odt_layout() {
    let content = r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<office:automatic-styles><text:p>not text</text:p></office:automatic-styles>
<office:body><office:text>
<text:sequence-decls/>
<text:tracked-changes><text:changed-region><text:deletion><text:p>deleted words</text:p></text:deletion></text:changed-region></text:tracked-changes>
<text:table-of-content><text:index-body><text:p>Contents 1</text:p></text:index-body></text:table-of-content>
<text:h text:outline-level="1">A   heading</text:h>
<text:p>  Two<text:s text:c="2"/>spaces,	a <text:span>span</text:span>,<text:tab/>a tab<text:line-break/>and a
   line break.<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p>The footnote.</text:p></text:note-body></text:note> More.<text:note text:note-class="endnote"><text:note-citation>i</text:note-citation><text:note-body><text:p>The endnote.</text:p></text:note-body></text:note><office:annotation><dc:creator>Teacher</dc:creator><text:p>A comment</text:p></office:annotation></text:p>
<text:list><text:list-item><text:p>First item</text:p></text:list-item><text:list-item><text:p>Second item</text:p></text:list-item></text:list>
<table:table><table:table-column table:number-columns-repeated="2"/><table:table-header-rows><table:table-row><table:table-cell><text:p>Post</text:p></table:table-cell><table:table-cell><text:p>Power</text:p></table:table-cell></table:table-row></table:table-header-rows>
<table:table-row><table:table-cell table:number-columns-spanned="2"><text:p>Merged</text:p></table:table-cell><table:covered-table-cell/></table:table-row></table:table>
<text:p><draw:frame><draw:text-box><text:p>In a frame</text:p></draw:text-box><svg:title>Alt title</svg:title></draw:frame>Around</text:p>
<text:p text:style-name="x">a<text:s text:c="999999999"/>b</text:p>
</office:text></office:body></office:document-content>"#;
    let styles = r#"<office:document-styles xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">
<office:styles><style:style style:name="x"/></office:styles>
<office:master-styles><style:master-page style:name="Standard"><style:header><text:p>Header text</text:p></style:header><style:header-left><text:p>Header text</text:p></style:header-left><style:footer><text:p>Footer text</text:p></style:footer></style:master-page></office:master-styles>
</office:document-styles>"#;
    let bytes = zip(&[
        ("mimetype", b"application/vnd.oasis.opendocument.text"),
        ("content.xml", content.as_bytes()),
        ("styles.xml", styles.as_bytes()),
    ]);
    let text = read("a.odt", &bytes).expect("reads");
    let expected = format!(
        "A heading\n\nTwo  spaces, a span,\ta tab\nand a line break. More.\n\n\
         First item\n\nSecond item\n\nPost\tPower\n\nMerged\n\nIn a frame\n\nAround\n\na{}b\n\n\
         The footnote.\n\nThe endnote.\n\nHeader text\n\nFooter text",
        " ".repeat(MAX_SPACES)
    );
    assert_eq!(text, expected);
}

#[test]
fn odt_hidden_sections_styles_and_fields_are_left_out() {
    let common = [
        odf_style("text", "Secret", "", "none"),
        odf_style("text", "Heir", "Secret", ""),
        odf_style("paragraph", "HiddenPara", "", "none"),
        odf_style("paragraph", "Standard", "", ""),
        // A cycle.
        odf_style("text", "Loop1", "Loop2", ""),
        odf_style("text", "Loop2", "Loop1", ""),
    ]
    .concat();
    let automatic = [
        odf_style("text", "T1", "", "none"),
        odf_style("text", "T2", "Heir", ""),
        odf_style("text", "T3", "Secret", "true"),
        odf_style("text", "T4", "", "condition"),
        odf_style("paragraph", "P1", "HiddenPara", ""),
    ]
    .concat();
    let cases: &[(&str, &str)] = &[
        (
            r#"<text:section text:name="S" text:display="none"><text:p>hidden section</text:p></text:section><text:p>shown</text:p>"#,
            "shown",
        ),
        (
            r#"<text:section text:name="S" text:display="condition" text:condition="ooow:1"><text:p>hidden</text:p></text:section><text:section text:name="V"><text:p>shown</text:p></text:section>"#,
            "shown",
        ),
        (
            r#"<text:p>a <text:span text:style-name="T1">hidden </text:span>b</text:p>"#,
            "a b",
        ),
        (
            r#"<text:p>a <text:span text:style-name="T2">hidden <text:span>nested </text:span></text:span>b</text:p>"#,
            "a b",
        ),
        (
            r#"<text:p>a <text:span text:style-name="Heir">hidden </text:span><text:span text:style-name="T3">shown </text:span><text:span text:style-name="T4">hidden </text:span><text:span text:style-name="Loop1">looped </text:span>b</text:p>"#,
            "a shown looped b",
        ),
        (
            r#"<text:p text:style-name="P1">hidden paragraph <text:span text:style-name="T3">but this span shows</text:span></text:p><text:p text:style-name="HiddenPara">hidden too</text:p><text:p text:style-name="Standard">shown</text:p>"#,
            "but this span shows\n\nshown",
        ),
        (
            r#"<text:p text:class-names="HiddenPara">by class</text:p><text:p>a <text:a text:style-name="T1">link </text:a>b</text:p>"#,
            "a b",
        ),
        // A hidden paragraph field hides its paragraph, and a note in it, wherever it is.
        (
            r#"<text:p>gone<text:note text:note-class="footnote"><text:note-body><text:p>gone note</text:p></text:note-body></text:note> too<text:hidden-paragraph text:condition="ooow:1" text:is-hidden="true"/></text:p><text:p>kept<text:hidden-paragraph text:condition="ooow:0" text:is-hidden="false"/></text:p>"#,
            "kept",
        ),
        (
            r#"<table:table><table:table-row><table:table-cell><text:p>cell</text:p><text:p>gone<text:hidden-paragraph/></text:p></table:table-cell></table:table-row></table:table>"#,
            "cell",
        ),
        // Fields not displayed, hidden text, and conditional text (the current value).
        (
            r#"<text:p>x<text:variable-set text:name="v" text:display="none">hidden value</text:variable-set> <text:hidden-text text:condition="ooow:1" text:string-value="hidden text" text:is-hidden="true"/><text:conditional-text text:condition="ooow:1" text:string-value-if-true="yes" text:string-value-if-false="no" text:current-value="true">not this</text:conditional-text></text:p>"#,
            "x yes",
        ),
        // A note anchored in hidden text.
        (
            r#"<text:p>a<text:span text:style-name="T1"><text:note text:note-class="endnote"><text:note-body><text:p>hidden note</text:p></text:note-body></text:note></text:span></text:p>"#,
            "a",
        ),
    ];
    for (body, expected) in cases {
        let text = read("a.odt", &odt(&automatic, body, &common, "")).unwrap_or_else(|e| panic!("{e}: {body}"));
        assert_eq!(text, *expected, "{body}");
    }
}

#[test]
fn odt_default_styles_and_headers() {
    let default = r#"<style:default-style style:family="paragraph"><style:text-properties text:display="none"/></style:default-style>"#;
    let common = format!("{default}{}", odf_style("paragraph", "Shown", "", "true"));
    let body = r#"<text:p>hidden by default</text:p><text:p text:style-name="Shown">shown</text:p>"#;
    assert_eq!(read("a.odt", &odt("", body, &common, "")).expect("reads"), "shown");

    // A header switched off, and one with hidden text (styles.xml's own automatic styles).
    let master = r#"<style:master-page style:name="Standard"><style:header style:display="false"><text:p>off</text:p></style:header><style:footer><text:p>Foot <text:span text:style-name="Secret">hidden</text:span></text:p></style:footer></style:master-page>"#;
    let common = odf_style("text", "Secret", "", "none");
    let text = read("a.odt", &odt("", "<text:p>Body</text:p>", &common, master)).expect("reads");
    assert_eq!(text, "Body\n\nFoot");
}

fn expect_err(name: &str, bytes: &[u8]) -> ReadError {
    let start = Instant::now();
    let err = read(name, bytes).expect_err("must fail");
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "{name} took {:?}",
        start.elapsed()
    );
    let message = err.to_string();
    assert!(message.contains(name), "names the file: {message}");
    err
}

#[test]
fn not_a_document() {
    let cases: &[(&str, &[u8], &str)] = &[
        ("a.docx", b"", "the file is empty"),
        ("a.docx", b"just some text", "not a zip archive"),
        ("a.docx", b"{\\rtf1\\ansi hello}", "RTF"),
        ("a.odt", b"%PDF-1.7", "PDF"),
        ("a.docx", b"PK\x03\x04 truncated", "damaged"),
    ];
    for (name, bytes, detail) in cases {
        let err = expect_err(name, bytes);
        assert!(matches!(err, ReadError::NotDocument { .. }), "{err:?}");
        let message = err.to_string();
        assert!(message.contains(detail), "{message}");
    }
    let message = expect_err("a.docx", b"").to_string();
    assert!(
        message.contains("is not a valid .docx (damaged or not a Word file)"),
        "{message}"
    );
    let message = expect_err("a.odt", b"x").to_string();
    assert!(
        message.contains("is not a valid .odt (damaged or not an OpenDocument text file)"),
        "{message}"
    );
}

#[test]
fn truncated_zip() {
    let bytes = std::fs::read(fixture("answer.docx")).expect("fixture");
    for cut in [bytes.len() / 2, bytes.len() - 10, 30, 10] {
        let err = expect_err("cut.docx", &bytes[..cut]);
        assert!(matches!(err, ReadError::NotDocument { .. }), "{cut}: {err:?}");
    }
}

#[test]
fn corrupt_entry() {
    let mut bytes = docx(&format!("<w:p><w:r><w:t>{}</w:t></w:r></w:p>", "text ".repeat(200)));
    // Flip bytes in the middle of the compressed data.
    for b in &mut bytes[60..80] {
        *b ^= 0x55;
    }
    let err = expect_err("corrupt.docx", &bytes);
    assert!(
        matches!(err, ReadError::NotDocument { .. } | ReadError::BadXml { .. }),
        "{err:?}"
    );
}

#[test]
fn password_protected_or_old_doc() {
    let mut bytes = CFB_SIGNATURE.to_vec();
    bytes.extend_from_slice(&[0; 504]);
    let err = expect_err("secret.docx", &bytes);
    assert!(matches!(err, ReadError::Protected { .. }), "{err:?}");
    assert!(err.to_string().contains("password-protected"), "{err}");

    let manifest = r#"<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="content.xml"><manifest:encryption-data manifest:checksum-type="SHA1"/></manifest:file-entry></manifest:manifest>"#;
    let bytes = zip(&[
        ("META-INF/manifest.xml", manifest.as_bytes()),
        ("content.xml", b"\x93\x01binary"),
    ]);
    let err = expect_err("secret.odt", &bytes);
    assert!(matches!(err, ReadError::Protected { .. }), "{err:?}");
}

#[test]
fn missing_main_part() {
    let err = expect_err("empty.docx", &zip(&[("[Content_Types].xml", b"<Types/>")]));
    assert!(matches!(err, ReadError::NotDocument { .. }), "{err:?}");
    assert!(err.to_string().contains("it has no word/document.xml"), "{err}");

    let err = expect_err("book.docx", &zip(&[("xl/workbook.xml", b"<workbook/>")]));
    assert!(err.to_string().contains("Excel"), "{err}");
    let err = expect_err("word.odt", &zip(&[("word/document.xml", b"<w/>")]));
    assert!(err.to_string().contains("rename it to .docx"), "{err}");
}

#[test]
fn malformed_xml_is_reported_without_partial_text() {
    let bodies = [
        // Mismatched end tag.
        format!(r#"<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>patronage</w:t></w:r></w:body></w:document>"#),
        // Truncated.
        format!(r#"<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>patronage</w:t>"#),
        // Text after the root, two roots, nothing at all.
        format!(r#"<w:document xmlns:w="{W}"/>junk"#),
        format!(r#"<w:document xmlns:w="{W}"/><w:document xmlns:w="{W}"/>"#),
        String::new(),
        // An illegal character, a bad character reference, an unclosed reference.
        format!("<w:document xmlns:w=\"{W}\"><w:body><w:p><w:r><w:t>a\u{1}b</w:t></w:r></w:p></w:body></w:document>"),
        format!(r#"<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>&#0;</w:t></w:r></w:p></w:body></w:document>"#),
        format!(r#"<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>&amp</w:t></w:r></w:p></w:body></w:document>"#),
        // Not UTF-8.
        "<w:document>\u{ff}</w:document>".replace('\u{ff}', "é"),
    ];
    for (i, body) in bodies.iter().enumerate() {
        let mut raw = body.clone().into_bytes();
        if i == bodies.len() - 1 {
            // Latin-1 é: not valid UTF-8.
            raw = b"<w:document>caf\xe9</w:document>".to_vec();
        }
        let err = expect_err("bad.docx", &zip(&[("word/document.xml", &raw)]));
        assert!(matches!(err, ReadError::BadXml { .. }), "{i}: {err:?}");
        assert!(err.to_string().contains("word/document.xml"), "{err}");
        assert!(err.to_string().contains("is not valid XML"), "{err}");
    }
}

#[test]
fn deep_nesting_is_refused() {
    let body = format!(
        "{}{}",
        "<w:sdt>".repeat(MAX_DEPTH + 10),
        "</w:sdt>".repeat(MAX_DEPTH + 10)
    );
    let err = expect_err("deep.docx", &docx(&body));
    assert!(matches!(err, ReadError::BadXml { .. }), "{err:?}");
    assert!(err.to_string().contains("nested"), "{err}");
}

#[test]
fn billion_laughs_is_refused() {
    let xml = billion_laughs();
    let err = expect_err("laughs.docx", &zip(&[("word/document.xml", xml.as_bytes())]));
    assert!(matches!(err, ReadError::BadXml { .. }), "{err:?}");
    assert!(err.to_string().contains("document type declaration"), "{err}");

    // Even if it were let through, the parser would not expand anything.
    let styles = DocxStyles::default();
    let mut handler = DocxHandler::new(1 << 20, &styles);
    let after_dtd = &xml[xml.find("]>").expect("dtd end") + 2..];
    parse_xml(after_dtd.as_bytes(), &mut handler).unwrap_or_else(|_| panic!("parses"));
    assert_eq!(handler.b.finish(), ["Stalin used patronage &lol9;"]);
}

#[test]
fn external_entities_are_refused_and_never_fetched() {
    let dir = Dir::new();
    let secret = dir.file("secret.txt", b"TOP SECRET");
    let xml = format!(
        r#"<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file://{}"><!ENTITY web SYSTEM "http://127.0.0.1:9/x">]><w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>a &xxe; &web; b</w:t></w:r></w:p></w:body></w:document>"#,
        secret.display()
    );
    let err = expect_err("xxe.docx", &zip(&[("word/document.xml", xml.as_bytes())]));
    assert!(matches!(err, ReadError::BadXml { .. }), "{err:?}");
    assert!(!err.to_string().contains("SECRET"), "{err}");
    // The same in an .odt.
    let content = r#"<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>"#;
    let err = expect_err("xxe.odt", &zip(&[("content.xml", content.as_bytes())]));
    assert!(matches!(err, ReadError::BadXml { .. }), "{err:?}");
}

/// A .docx whose document.xml is `size` bytes: a paragraph of text, then spaces, so it is
/// well-formed and extremely compressible.
fn padded_docx(size: usize) -> Vec<u8> {
    let head = format!(r#"<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>patronage</w:t></w:r></w:p>"#);
    let tail = "</w:body></w:document>";
    let mut writer = zip::ZipWriter::new(io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(false);
    writer.start_file("word/document.xml", options).expect("start");
    writer.write_all(head.as_bytes()).expect("write");
    let chunk = vec![b' '; 1024 * 1024];
    let mut left = size - head.len() - tail.len();
    while left > 0 {
        let n = left.min(chunk.len());
        writer.write_all(&chunk[..n]).expect("write");
        left -= n;
    }
    writer.write_all(tail.as_bytes()).expect("write");
    writer.finish().expect("finish").into_inner()
}

/// Rewrites the uncompressed size of the only entry, in its local header and in the central
/// directory, as a lying archive would.
fn lie_about_size(bytes: &mut [u8], size: u32) {
    let eocd = bytes.len() - 22;
    assert_eq!(&bytes[eocd..eocd + 4], b"PK\x05\x06");
    let cd = u32::from_le_bytes(bytes[eocd + 16..eocd + 20].try_into().expect("4 bytes")) as usize;
    assert_eq!(&bytes[cd..cd + 4], b"PK\x01\x02");
    bytes[cd + 24..cd + 28].copy_from_slice(&size.to_le_bytes());
    assert_eq!(&bytes[..4], b"PK\x03\x04");
    bytes[22..26].copy_from_slice(&size.to_le_bytes());
}

#[test]
fn zip_bombs_are_refused() {
    // Declared far over the total limit.
    let limits = Limits {
        max_unzipped_bytes: 8 * 1024 * 1024,
        ..Limits::default()
    };
    let dir = Dir::new();
    let big = dir.file("big.docx", &padded_docx(9 * 1024 * 1024));
    let err = read_path(&big, &limits).expect_err("over the total");
    assert!(matches!(err, ReadError::Unpack { .. }), "{err:?}");
    assert!(err.to_string().contains("big.docx"), "{err}");

    // Under the total, but compressed about 1,000 times.
    let err = read_path(&big, &Limits::default()).expect_err("ratio");
    assert!(matches!(err, ReadError::Unpack { .. }), "{err:?}");
    assert!(err.to_string().contains("times its packed size"), "{err}");

    // The same in an .odt.
    let mut spaces = vec![b' '; 8 * 1024 * 1024];
    spaces[..6].copy_from_slice(b"<a>   ");
    let err = expect_err("bomb.odt", &zip(&[("content.xml", spaces.as_slice())]));
    assert!(matches!(err, ReadError::Unpack { .. }), "{err:?}");
    assert!(err.to_string().contains("times its packed size"), "{err}");

    // A small, ordinary ratio passes.
    assert!(read("small.docx", &padded_docx(512 * 1024)).is_ok());

    // Lying headers: the zip reader stops at the declared size (and the guard below would
    // stop it at the limit in any case).
    let mut lying = padded_docx(9 * 1024 * 1024);
    lie_about_size(&mut lying, 1000);
    let err = expect_err("lying.docx", &lying);
    assert!(matches!(err, ReadError::NotDocument { .. }), "{err:?}");
    assert!(err.to_string().contains("declared uncompressed size"), "{err}");
}

#[test]
fn the_guard_stops_an_endless_entry() {
    let read = Cell::new(0);
    let cap = 1024 * 1024;
    let guard = Guard {
        inner: io::repeat(b' ').take(cap + 1),
        read: &read,
        cap,
        why: "too much",
    };
    // An endless stream of white space inside the root element: only the guard ends it.
    let input = io::Read::chain(&b"<w:document>"[..], guard);
    let styles = DocxStyles::default();
    let mut handler = DocxHandler::new(1 << 20, &styles);
    match parse_xml(BufReader::new(input), &mut handler) {
        Err(Failure::Exceeded(why)) => assert_eq!(why, "too much"),
        _ => panic!("the guard must stop the parser"),
    }
    assert!(read.get() > cap && read.get() <= cap + 1, "{}", read.get());
}

#[test]
fn unpacked_bytes_are_counted_across_parts() {
    let body = document(&format!("<w:p><w:r><w:t>x</w:t></w:r></w:p>{}", " ".repeat(600_000)));
    let footnotes = format!(r#"<w:footnotes xmlns:w="{W}">{}</w:footnotes>"#, " ".repeat(600_000));
    let bytes = zip(&[
        ("word/document.xml", body.as_bytes()),
        ("word/footnotes.xml", footnotes.as_bytes()),
    ]);
    let dir = Dir::new();
    let path = dir.file("two.docx", &bytes);
    let limits = Limits {
        max_unzipped_bytes: 1_000_000,
        ..Limits::default()
    };
    let err = read_path(&path, &limits).expect_err("over in total");
    assert!(matches!(err, ReadError::Unpack { .. }), "{err:?}");
    assert!(read_path(&path, &Limits::default()).is_ok());
}

#[test]
fn too_many_entries() {
    let names: Vec<String> = (0..50).map(|i| format!("media/{i}.png")).collect();
    let mut entries: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b"x"[..])).collect();
    let doc = document("<w:p><w:r><w:t>x</w:t></w:r></w:p>");
    entries.push(("word/document.xml", doc.as_bytes()));
    let dir = Dir::new();
    let path = dir.file("many.docx", &zip(&entries));
    let limits = Limits {
        max_zip_entries: 20,
        ..Limits::default()
    };
    let err = read_path(&path, &limits).expect_err("too many");
    assert!(matches!(err, ReadError::Unpack { .. }), "{err:?}");
    assert!(err.to_string().contains("51 entries"), "{err}");
    assert!(read_path(&path, &Limits::default()).is_ok());
}

#[test]
fn extracted_text_is_held_to_max_bytes() {
    let body = format!("<w:p><w:r><w:t>{}</w:t></w:r></w:p>", "word ".repeat(100));
    let dir = Dir::new();
    let path = dir.file("long.docx", &docx(&body));
    let limits = Limits {
        max_bytes: 100,
        ..Limits::default()
    };
    let err = read_path(&path, &limits).expect_err("too long");
    assert!(matches!(err, ReadError::TooLarge { limit: 100, .. }), "{err:?}");
}

#[test]
fn a_document_without_text_is_empty() {
    let err = expect_err("blank.docx", &docx("<w:p/><w:p><w:r><w:t>  </w:t></w:r></w:p>"));
    assert!(matches!(err, ReadError::Empty { .. }), "{err:?}");
}

#[test]
fn pseudo_random_damage_never_panics() {
    let dir = Dir::new();
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        usize::try_from(seed % n as u64).expect("small")
    };
    for name in ["answer.docx", "answer.odt"] {
        let original = std::fs::read(fixture(name)).expect("fixture");
        for round in 0..150 {
            let mut bytes = original.clone();
            if round % 3 == 0 {
                bytes.truncate(next(bytes.len()));
            } else {
                for _ in 0..1 + next(4) {
                    let at = next(bytes.len());
                    bytes[at] ^= u8::try_from(1 + next(255)).expect("byte");
                }
            }
            let path = dir.file(name, &bytes);
            // Any result will do, as long as it is one.
            let _ = read_path(&path, &Limits::default());
        }
    }
}

#[test]
fn kinds() {
    assert_eq!(Kind::from_path(Path::new("a.DOCX")), Some(Kind::Docx));
    assert_eq!(Kind::from_path(Path::new("dir/a.odt")), Some(Kind::Odt));
    assert_eq!(Kind::from_path(Path::new("a.doc")), None);
    assert_eq!(Kind::from_path(Path::new("docx")), None);
    assert_eq!(Kind::Odt.to_string(), ".odt");
    assert_eq!(resolve_target("word", "../media/a.png"), "media/a.png");
    assert_eq!(resolve_target("word", "/customXml/item.xml"), "customXml/item.xml");
    assert_eq!(resolve_target("", "word/document.xml"), "word/document.xml");
}

/// What the reader notes of a document's concealed text: hidden, white or tiny text, for the
/// teacher's review (`rubric mark` flags `hidden-text`).
#[test]
fn concealed_text_is_noted() {
    let docx_concealed = |body: &str| {
        let e = read_document_bytes(&docx(body), "a.docx", Kind::Docx, &Limits::default()).expect("reads");
        (e.text, e.concealed)
    };
    let cases = [
        // (body, text read, concealed)
        (r#"<w:p><w:r><w:t>Patronage.</w:t></w:r></w:p>"#, "Patronage.", false),
        (
            r#"<w:p><w:r><w:t>Patronage.</w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>Lenin enrolment</w:t></w:r></w:p>"#,
            "Patronage.",
            true,
        ),
        // Hidden white space is nothing to see.
        (
            r#"<w:p><w:r><w:t>Patronage.</w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t xml:space="preserve">  </w:t></w:r></w:p>"#,
            "Patronage.",
            false,
        ),
        (
            r#"<w:p><w:r><w:t xml:space="preserve">Patronage. </w:t></w:r><w:r><w:rPr><w:color w:val="ffffff"/></w:rPr><w:t>Lenin enrolment</w:t></w:r></w:p>"#,
            "Patronage. Lenin enrolment",
            true,
        ),
        // White on a dark background is seen.
        (
            r#"<w:p><w:r><w:rPr><w:color w:val="FFFFFF"/><w:shd w:val="clear" w:fill="1F3864"/></w:rPr><w:t>Patronage.</w:t></w:r></w:p>"#,
            "Patronage.",
            false,
        ),
        // 1.5 pt.
        (
            r#"<w:p><w:r><w:t xml:space="preserve">Patronage. </w:t></w:r><w:r><w:rPr><w:sz w:val="3"/></w:rPr><w:t>Lenin enrolment</w:t></w:r></w:p>"#,
            "Patronage. Lenin enrolment",
            true,
        ),
        (
            r#"<w:p><w:r><w:rPr><w:sz w:val="24"/><w:color w:val="000000"/></w:rPr><w:t>Patronage.</w:t></w:r></w:p>"#,
            "Patronage.",
            false,
        ),
    ];
    for (body, text, concealed) in cases {
        assert_eq!(docx_concealed(body), (text.to_string(), concealed), "{body}");
    }
    // An .odt: a span whose style hides it.
    let hidden = odt(
        &odf_style("text", "H", "", "none"),
        r#"<text:p>Patronage. <text:span text:style-name="H">Lenin enrolment</text:span></text:p>"#,
        "",
        "",
    );
    let e = read_document_bytes(&hidden, "a.odt", Kind::Odt, &Limits::default()).expect("reads");
    assert_eq!((e.text.trim(), e.concealed), ("Patronage.", true));
    let plain = odt("", "<text:p>Patronage.</text:p>", "", "");
    let e = read_document_bytes(&plain, "a.odt", Kind::Odt, &Limits::default()).expect("reads");
    assert!(!e.concealed);
}
