//! The PDF reader on the fixtures made by real producers (`tests/fixtures/pdf/`, see its README)
//! and on small PDFs written here object by object.

use std::io::Write as _;

use super::*;

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/pdf/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).expect(&path)
}

fn read(bytes: Vec<u8>) -> Result<String, ReadError> {
    read_pdf(bytes, "a.pdf", &Limits::default())
}

/// A PDF of the given objects (numbered from 1; object 1 is the catalog), with a correct
/// cross-reference table.
fn pdf(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        writeln!(out, "{} 0 obj", i + 1).unwrap();
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    write!(out, "xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).unwrap();
    for offset in offsets {
        writeln!(out, "{offset:010} 00000 n ").unwrap();
    }
    write!(
        out,
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    )
    .unwrap();
    out
}

fn stream(dict: &str, data: &[u8]) -> Vec<u8> {
    let mut out = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
    out.extend_from_slice(data);
    out.extend_from_slice(b"\nendstream");
    out
}

fn zlib(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// A one-page PDF in Helvetica whose page draws `content` (object 5), with a US Letter
/// MediaBox if `media_box`.
fn one_page(content: Vec<u8>, media_box: bool) -> Vec<u8> {
    let media_box = if media_box { "/MediaBox [0 0 612 792]" } else { "" };
    pdf(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        format!("<< /Type /Page /Parent 2 0 R {media_box} /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>")
            .into_bytes(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
        content,
    ])
}

const HELLO: &[u8] =
    b"BT /F1 12 Tf 72 720 Td (Stalin used patronage.) Tj 0 -14 Td (He gave jobs to friends.) Tj 0 -40 Td (A new paragraph.) Tj ET";

#[test]
fn the_producers_pdfs_read_as_the_answer_they_print() {
    let txt = String::from_utf8(fixture("answer.txt")).unwrap();
    let words = |s: &str| s.split_whitespace().map(str::to_owned).collect::<Vec<_>>();
    // LibreOffice prints the text file as it is: the same words, hyphens as they were, the
    // paragraphs as blank lines.
    let lo = read(fixture("libreoffice.pdf")).expect("LibreOffice");
    assert_eq!(
        words(&lo),
        words(&txt)
            .iter()
            .map(|w| w.replace('\u{2011}', "-"))
            .collect::<Vec<_>>()
    );
    assert_eq!(lo.split("\n\n").count(), txt.trim().split("\n\n").count(), "{lo}");
    assert!(
        lo.starts_with("How had Stalin been able to rise up the Bolshevik ranks?\n\nBy 1922"),
        "{lo}"
    );
    // Chromium draws the bullets as shapes, not text; every word is there, spaced as printed,
    // with no space before a full stop.
    let chromium = read(fixture("chromium.pdf")).expect("Chromium");
    let expected: Vec<String> = words(&txt).into_iter().filter(|w| w != "•").collect();
    assert_eq!(words(&chromium), expected);
    assert!(chromium.contains("ban on divisions in the party.\n"), "{chromium}");
    assert!(chromium.contains("Stalin’s posts:\n\nPeople’s Commissar"), "{chromium}");
    // An encrypted PDF that opens without a password (printing and copying restricted) reads.
    assert_eq!(read(fixture("restricted.pdf")).expect("restricted"), chromium);
}

#[test]
fn unreadable_pdfs_say_why() {
    let cases: &[(&str, &str)] = &[
        (
            "scanned.pdf",
            "scanned.pdf: scanned: no text to read (1 page of images, no text layer); OCR it first",
        ),
        ("password.pdf", "password.pdf: is password-protected (an encrypted PDF)"),
        (
            "truncated.pdf",
            "truncated.pdf: is not a valid PDF (damaged, or not a PDF file): ",
        ),
        (
            "corrupt.pdf",
            "corrupt.pdf: is not a valid PDF (damaged, or not a PDF file): ",
        ),
    ];
    for (name, expected) in cases {
        let err = read_pdf(fixture(name), name, &Limits::default()).expect_err(name);
        assert!(err.to_string().starts_with(expected), "{name}: {err}");
    }
    let err = read(b"Stalin used patronage.".to_vec()).expect_err("text named .pdf");
    assert!(err.to_string().contains("it does not start with %PDF-"), "{err}");
    let err = read(Vec::new()).expect_err("empty");
    assert!(matches!(err, ReadError::NotPdf { .. }), "{err:?}");
}

#[test]
fn a_pdf_written_by_hand_reads_with_lines_and_paragraphs() {
    let text = read(one_page(stream("", HELLO), true)).expect("reads");
    assert_eq!(
        text,
        "Stalin used patronage.\nHe gave jobs to friends.\n\nA new paragraph."
    );
    // The same, compressed.
    let text2 = read(one_page(stream("/Filter /FlateDecode", &zlib(HELLO)), true)).expect("reads");
    assert_eq!(text2, text);
    // A page with nothing drawn on it is a scan.
    let err = read(one_page(stream("", b""), true)).expect_err("blank page");
    assert!(matches!(err, ReadError::Scanned { pages: 1, .. }), "{err:?}");
}

#[test]
fn ligatures_soft_hyphens_and_gaps() {
    let mut layout = Layout::new(1 << 20, Instant::now() + DEADLINE);
    let at = |x: f64, y: f64| Transform::row_major(1.0, 0.0, 0.0, 1.0, x, y);
    // "ﬁle" then a gap of a third of the font size: a space; "." after a small gap: none.
    let chars = [
        (72.0, "\u{FB01}"),
        (78.0, "le"),
        (90.0 + 4.0, "x"),
        (100.0 + 2.5, "."),
        (104.0, "\u{AD}"),
    ];
    for (x, c) in chars {
        layout.output_character(&at(x, 700.0), 0.5, 0.0, 12.0, c).unwrap();
    }
    // The next line, then one far below (a paragraph).
    layout.output_character(&at(72.0, 686.0), 0.5, 0.0, 12.0, "y").unwrap();
    layout.output_character(&at(72.0, 640.0), 0.5, 0.0, 12.0, "z").unwrap();
    assert_eq!(layout.finish(), "file x.\ny\n\nz");
}

#[test]
fn the_extracted_text_is_held_to_the_byte_limit() {
    let limits = Limits {
        max_bytes: 30,
        ..Limits::default()
    };
    let bytes = one_page(stream("", HELLO), true);
    assert!(bytes.len() > 30);
    let roomy = read_pdf(
        bytes.clone(),
        "a.pdf",
        &Limits {
            max_bytes: 10_000,
            ..limits
        },
    );
    assert!(roomy.is_ok(), "{roomy:?}");
    let mut small = Layout::new(30, Instant::now() + DEADLINE);
    let t = Transform::row_major(1.0, 0.0, 0.0, 1.0, 0.0, 0.0);
    let mut stopped = None;
    for _ in 0..40 {
        if let Err(e) = small.output_character(&t, 0.5, 0.0, 12.0, "a") {
            stopped = Some(e);
            break;
        }
    }
    assert!(stopped.is_some());
    assert_eq!(small.stopped, Some(Stop::TooLarge));
    let err = read_pdf(bytes, "a.pdf", &limits).expect_err("larger than the file limit");
    assert!(matches!(err, ReadError::TooLarge { limit: 30, .. }), "{err:?}");
}

#[test]
fn a_panic_in_the_parser_is_a_damaged_file_not_a_crash() {
    // pdf-extract expects every page to have a MediaBox, and a font before text is shown.
    let err = read(one_page(stream("", HELLO), false)).expect_err("no MediaBox");
    assert!(err.to_string().contains("the PDF reader failed on it"), "{err}");
    let err = read(one_page(stream("", b"BT 72 720 Td (no font) Tj ET"), true)).expect_err("no font");
    assert!(matches!(err, ReadError::NotPdf { .. }), "{err:?}");
}

#[test]
fn decompression_bombs_are_refused() {
    let limits = Limits {
        max_unzipped_bytes: 1 << 20,
        ..Limits::default()
    };
    // A content stream that unpacks to 4 MiB of spaces, once and twice compressed.
    let spaces = vec![b' '; 4 << 20];
    let once = zlib(&spaces);
    let twice = zlib(&once);
    assert!(twice.len() < 20_000, "{}", twice.len());
    for (filter, data) in [
        ("/Filter /FlateDecode", &once),
        ("/Filter [/FlateDecode /FlateDecode]", &twice),
    ] {
        let err = read_pdf(one_page(stream(filter, data), true), "bomb.pdf", &limits).expect_err(filter);
        assert!(matches!(err, ReadError::Unpack { .. }), "{filter}: {err:?}");
        assert!(err.to_string().contains("unpack to more than 1048576 bytes"), "{err}");
    }
    // Within the budget, the same stream reads (to nothing: it is all spaces).
    let roomy = Limits::default();
    let err = read_pdf(one_page(stream("/Filter /FlateDecode", &once), true), "a.pdf", &roomy).expect_err("blank");
    assert!(matches!(err, ReadError::Scanned { .. }), "{err:?}");
}

#[test]
fn an_lzw_bomb_is_refused_when_measured() {
    let mut budget = Budget::new(1 << 20);
    let spaces = vec![b' '; 4 << 20];
    let packed = weezl::encode::Encoder::with_tiff_size_switch(weezl::BitOrder::Msb, 8)
        .encode(&spaces)
        .unwrap();
    let stream = pdf_extract::Stream::new(pdf_extract::dictionary! { "Filter" => "LZWDecode" }, packed);
    let err = measure_stream(&stream, &mut budget).expect_err("over budget");
    assert!(err.contains("more than 1048576 bytes"), "{err}");
    let mut budget = Budget::new(8 << 20);
    measure_stream(&stream, &mut budget).expect("within budget");
    assert_eq!(budget.left, (8 << 20) - (4 << 20));
}

#[test]
fn too_many_pages_are_refused_before_reading() {
    let pages = MAX_PAGES + 1;
    let kids: Vec<String> = (0..pages).map(|i| format!("{} 0 R", i + 3)).collect();
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        format!("<< /Type /Pages /Kids [{}] /Count {pages} >>", kids.join(" ")).into_bytes(),
    ];
    for _ in 0..pages {
        objects.push(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>".to_vec());
    }
    let err = read(pdf(&objects)).expect_err("too many pages");
    assert!(
        matches!(
            err,
            ReadError::TooManyPages {
                pages: 201,
                limit: 200,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .contains("has 201 pages; a PDF answer may have at most 200"),
        "{err}"
    );
}

#[test]
fn the_reader_is_given_up_at_the_deadline() {
    let started = Instant::now();
    let slow = with_deadline(Duration::from_millis(50), || {
        thread::sleep(Duration::from_secs(2));
        1
    });
    assert!(slow.is_none());
    assert!(started.elapsed() < Duration::from_secs(1));
    let quick = with_deadline(Duration::from_secs(5), || 2);
    assert_eq!(quick.map(|r| r.ok()), Some(Some(2)));
    // A panic is caught and its message kept, and not printed (the hook is quiet there).
    let panicked = with_deadline(Duration::from_secs(5), || -> u8 { panic!("odd file") }).expect("finished");
    assert_eq!(panic_text(&*panicked.expect_err("panicked")), "odd file");
    // The layout stops itself at its own deadline.
    let mut late = Layout::new(1 << 20, Instant::now() - Duration::from_secs(1));
    let t = Transform::row_major(1.0, 0.0, 0.0, 1.0, 0.0, 0.0);
    let stopped = (0..5000).any(|_| late.output_character(&t, 0.5, 0.0, 12.0, "a").is_err());
    assert!(stopped);
    assert_eq!(late.stopped, Some(Stop::Deadline));
}
