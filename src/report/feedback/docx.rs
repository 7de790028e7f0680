//! Feedback as a Word document (`<id>.docx`): the smallest valid WordprocessingML package
//! that Word, LibreOffice, Google Docs and pandoc open as a styled document.
//!
//! The zip archive holds `[Content_Types].xml`, `_rels/.rels`, `word/document.xml` with its
//! relationships, `word/styles.xml` (Normal, Heading 1 to 3, List Paragraph) and
//! `word/numbering.xml` (one bulleted list, two levels: points and the notes below them). The
//! marks per question are a two-column table. Every entry is dated 1980-01-01 (the zip
//! format's earliest date), so the same feedback gives the same bytes, run after run.
//!
//! The document's text, as rubric's own reader sees it ([`crate::text::office`]), begins
//! `Feedback for ...` and has the paragraph `Score: X / Y (Z%)` among its first: that is how
//! rubric recognises one of its feedback documents ([`crate::batch::own`]).

use std::fmt::Write as _;
use std::io::{self, Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use super::super::escape::xml_text as esc;
use super::{Item, Model, Span};

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const XML: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

const CONTENT_TYPES: &str = r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/></Types>"#;

const PACKAGE_RELS: &str = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;

const DOCUMENT_RELS: &str = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/></Relationships>"#;

/// A paragraph style: id, name (the name pandoc and Word know it by), run and paragraph properties.
const STYLES: &[(&str, &str, &str, &str)] = &[
    (
        "Heading1",
        "heading 1",
        "<w:b/><w:sz w:val=\"36\"/>",
        "<w:keepNext/><w:spacing w:after=\"120\"/><w:outlineLvl w:val=\"0\"/>",
    ),
    (
        "Heading2",
        "heading 2",
        "<w:b/><w:sz w:val=\"26\"/>",
        "<w:keepNext/><w:spacing w:before=\"360\" w:after=\"120\"/><w:outlineLvl w:val=\"1\"/>",
    ),
    (
        "Heading3",
        "heading 3",
        "<w:b/><w:color w:val=\"0B5CAD\"/><w:sz w:val=\"22\"/>",
        "<w:keepNext/><w:spacing w:before=\"200\" w:after=\"60\"/><w:outlineLvl w:val=\"2\"/>",
    ),
    (
        "ListParagraph",
        "List Paragraph",
        "",
        "<w:spacing w:after=\"60\"/><w:ind w:left=\"720\"/>",
    ),
];

fn styles() -> String {
    let mut out = format!(
        "{XML}<w:styles xmlns:w=\"{W}\"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=\"Calibri\" \
         w:hAnsi=\"Calibri\" w:eastAsia=\"Calibri\" w:cs=\"Calibri\"/><w:sz w:val=\"22\"/><w:lang w:val=\"en\"/></w:rPr>\
         </w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after=\"120\" w:line=\"264\" w:lineRule=\"auto\"/></w:pPr>\
         </w:pPrDefault></w:docDefaults><w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\">\
         <w:name w:val=\"Normal\"/><w:qFormat/></w:style>"
    );
    for (id, name, run, para) in STYLES {
        let _ = write!(
            out,
            "<w:style w:type=\"paragraph\" w:styleId=\"{id}\"><w:name w:val=\"{name}\"/><w:basedOn w:val=\"Normal\"/>\
             <w:next w:val=\"Normal\"/><w:qFormat/><w:pPr>{para}</w:pPr><w:rPr>{run}</w:rPr></w:style>"
        );
    }
    out.push_str("</w:styles>");
    out
}

/// One bulleted list: `•` for a point, `–` for a note below it.
fn numbering() -> String {
    let level = |n: u8, bullet: &str| {
        let left = 720 * (u32::from(n) + 1);
        format!(
            "<w:lvl w:ilvl=\"{n}\"><w:start w:val=\"1\"/><w:numFmt w:val=\"bullet\"/><w:lvlText w:val=\"{bullet}\"/>\
             <w:lvlJc w:val=\"left\"/><w:pPr><w:ind w:left=\"{left}\" w:hanging=\"360\"/></w:pPr></w:lvl>"
        )
    };
    format!(
        "{XML}<w:numbering xmlns:w=\"{W}\"><w:abstractNum w:abstractNumId=\"0\"><w:multiLevelType w:val=\"hybridMultilevel\"/>{}{}\
         </w:abstractNum><w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num></w:numbering>",
        level(0, "•"),
        level(1, "–")
    )
}

/// A run of text, bold or italic as asked.
fn run(out: &mut String, text: &str, props: &str) {
    let _ = write!(out, "<w:r>");
    if !props.is_empty() {
        let _ = write!(out, "<w:rPr>{props}</w:rPr>");
    }
    let _ = write!(out, "<w:t xml:space=\"preserve\">{}</w:t></w:r>", esc(text));
}

fn runs(out: &mut String, line: &[Span]) {
    for span in line {
        match span {
            Span::Text(t) => run(out, t, ""),
            Span::Strong(t) => run(out, t, "<w:b/>"),
            Span::Quote(t) => run(out, &format!("“{t}”"), "<w:i/>"),
        }
    }
}

/// A paragraph of one style (`""`: Normal) holding `line`.
fn paragraph(out: &mut String, style: &str, line: &[Span]) {
    out.push_str("<w:p>");
    if !style.is_empty() {
        let _ = write!(out, "<w:pPr><w:pStyle w:val=\"{style}\"/></w:pPr>");
    }
    runs(out, line);
    out.push_str("</w:p>");
}

/// A list paragraph at `level` (0: a point, 1: a note).
fn bullet(out: &mut String, level: u8, line: &[Span]) {
    let _ = write!(
        out,
        "<w:p><w:pPr><w:pStyle w:val=\"ListParagraph\"/><w:numPr><w:ilvl w:val=\"{level}\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr>"
    );
    runs(out, line);
    out.push_str("</w:p>");
}

fn item(out: &mut String, item: &Item) {
    bullet(out, 0, &item.line);
    for note in &item.notes {
        bullet(out, 1, note);
    }
}

/// Widths of the marks table's columns, in twentieths of a point (6.5 inches in all: the text
/// width of A4 and US Letter with one-inch margins, near enough).
const COLUMNS: [u32; 2] = [7560, 1800];

/// A row of the marks table: a question and its marks.
fn row(out: &mut String, cells: [&str; 2], bold: bool) {
    out.push_str("<w:tr>");
    for (i, (text, width)) in cells.iter().zip(COLUMNS).enumerate() {
        let align = if i == 1 { "<w:jc w:val=\"right\"/>" } else { "" };
        let _ = write!(
            out,
            "<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/></w:tcPr><w:p><w:pPr><w:spacing w:after=\"0\"/>{align}</w:pPr>"
        );
        run(out, text, if bold { "<w:b/>" } else { "" });
        out.push_str("</w:p></w:tc>");
    }
    out.push_str("</w:tr>");
}

fn marks_table(out: &mut String, m: &Model) {
    let border = |side: &str| format!("<w:{side} w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"A0A7AE\"/>");
    let borders: String = ["top", "left", "bottom", "right", "insideH", "insideV"]
        .iter()
        .map(|s| border(s))
        .collect();
    let _ = write!(
        out,
        "<w:tbl><w:tblPr><w:tblW w:w=\"{}\" w:type=\"dxa\"/><w:tblBorders>{borders}</w:tblBorders>\
         <w:tblCellMar><w:left w:w=\"100\" w:type=\"dxa\"/><w:right w:w=\"100\" w:type=\"dxa\"/></w:tblCellMar>\
         <w:tblLook w:val=\"0020\" w:firstRow=\"1\"/></w:tblPr><w:tblGrid><w:gridCol w:w=\"{}\"/><w:gridCol w:w=\"{}\"/></w:tblGrid>",
        COLUMNS[0] + COLUMNS[1],
        COLUMNS[0],
        COLUMNS[1]
    );
    // The header row repeats on each page the table runs onto.
    out.push_str("<w:tr><w:trPr><w:tblHeader/></w:trPr>");
    let header: String = {
        let mut h = String::new();
        row(&mut h, ["Question", "Marks"], true);
        h.trim_start_matches("<w:tr>").to_string()
    };
    out.push_str(&header);
    for q in &m.questions {
        row(out, [&q.title(), &q.marks_text()], false);
    }
    let total = format!("{} / {}", super::super::marks(m.score), super::super::marks(m.max));
    row(out, ["Total", &total], true);
    out.push_str("</w:tbl>");
}

fn document(m: &Model) -> String {
    let mut out = format!("{XML}<w:document xmlns:w=\"{W}\" xmlns:r=\"{R}\"><w:body>");
    let text = |s: &str| vec![Span::Text(s.to_string())];
    paragraph(&mut out, "Heading1", &text(&m.heading));
    paragraph(&mut out, "", &text(&m.rubric_title));
    paragraph(&mut out, "", &[Span::Strong(format!("Score: {}", m.score_text()))]);
    if !m.comments.is_empty() {
        paragraph(&mut out, "Heading2", &text(super::TEACHER));
        for c in &m.comments {
            paragraph(&mut out, "", &text(c));
        }
    }
    paragraph(&mut out, "Heading2", &text("Marks per question"));
    marks_table(&mut out, m);
    for q in &m.questions {
        paragraph(
            &mut out,
            "Heading2",
            &text(&format!("{} ({})", q.title(), q.marks_text())),
        );
        for s in &q.sections {
            paragraph(&mut out, "Heading3", &text(s.title));
            for i in &s.items {
                item(&mut out, i);
            }
        }
    }
    paragraph(&mut out, "", &[Span::Strong(m.closing.to_string())]);
    out.push_str(
        "<w:sectPr><w:pgMar w:top=\"1134\" w:right=\"1134\" w:bottom=\"1134\" w:left=\"1134\" w:header=\"567\" \
         w:footer=\"567\" w:gutter=\"0\"/></w:sectPr></w:body></w:document>",
    );
    out
}

pub(super) fn render(m: &Model) -> io::Result<Vec<u8>> {
    let parts: [(&str, String); 6] = [
        ("[Content_Types].xml", format!("{XML}{CONTENT_TYPES}")),
        ("_rels/.rels", format!("{XML}{PACKAGE_RELS}")),
        ("word/document.xml", document(m)),
        ("word/_rels/document.xml.rels", format!("{XML}{DOCUMENT_RELS}")),
        ("word/styles.xml", styles()),
        ("word/numbering.xml", numbering()),
    ];
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644);
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, text) in parts {
        zip.start_file(name, options).map_err(io::Error::other)?;
        zip.write_all(text.as_bytes())?;
    }
    Ok(zip.finish().map_err(io::Error::other)?.into_inner())
}
