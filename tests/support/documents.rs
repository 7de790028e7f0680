//! Builders of Word and OpenDocument files for the tests, in ONE place: the unit tests of
//! `src/text/office/` and the integration tests (`tests/office.rs`, `tests/adversarial/`)
//! include this file with `#[path]`. Each includer uses some of the builders.
#![allow(dead_code)]

use std::io::Write;

use flate2::{Compress, Compression, FlushCompress};
use zip::write::SimpleFileOptions;

/// The WordprocessingML namespace.
pub const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
/// The OpenDocument namespaces a content.xml or styles.xml of these tests declares.
pub const ODF_NS: &str = r#"xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0""#;

/// A zip archive of `entries`, deflated.
pub fn zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in entries {
        writer.start_file(*name, options).expect("start entry");
        writer.write_all(data).expect("write entry");
    }
    writer.finish().expect("finish zip").into_inner()
}

/// A word/document.xml whose body is `body`.
pub fn document(body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="{W}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>{body}</w:body></w:document>"#
    )
}

/// A word/styles.xml holding `inner` (document defaults and styles).
pub fn styles_xml(inner: &str) -> String {
    format!(r#"<?xml version="1.0" encoding="UTF-8"?><w:styles xmlns:w="{W}">{inner}</w:styles>"#)
}

/// A .docx with the body `body` and no styles.
pub fn docx(body: &str) -> Vec<u8> {
    zip(&[("word/document.xml", document(body).as_bytes())])
}

/// A .docx with the body `body` and the styles `styles` (the inside of `w:styles`).
pub fn styled_docx(body: &str, styles: &str) -> Vec<u8> {
    zip(&[
        ("word/document.xml", document(body).as_bytes()),
        ("word/styles.xml", styles_xml(styles).as_bytes()),
    ])
}

/// A Word style of type `kind` (`character`, `paragraph`, `table`) named `id`, holding `inner`.
pub fn word_style(kind: &str, id: &str, inner: &str) -> String {
    format!(r#"<w:style w:type="{kind}" w:styleId="{id}"><w:name w:val="{id}"/>{inner}</w:style>"#)
}

/// An .odt whose content.xml has the automatic styles `automatic` and the body `body`, and
/// whose styles.xml has the common styles `common` and the master styles `master`.
pub fn odt(automatic: &str, body: &str, common: &str, master: &str) -> Vec<u8> {
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODF_NS}><office:automatic-styles>{automatic}</office:automatic-styles><office:body><office:text>{body}</office:text></office:body></office:document-content>"#
    );
    let styles = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-styles {ODF_NS}><office:styles>{common}</office:styles><office:master-styles>{master}</office:master-styles></office:document-styles>"#
    );
    zip(&[
        ("mimetype", b"application/vnd.oasis.opendocument.text"),
        ("content.xml", content.as_bytes()),
        ("styles.xml", styles.as_bytes()),
    ])
}

/// An ODF style of `family`, based on `parent` (empty: none), whose text properties say
/// `display` (empty: nothing).
pub fn odf_style(family: &str, name: &str, parent: &str, display: &str) -> String {
    let parent = match parent {
        "" => String::new(),
        p => format!(r#" style:parent-style-name="{p}""#),
    };
    let props = match display {
        "" => String::new(),
        d => format!(r#"<style:text-properties text:display="{d}"/>"#),
    };
    format!(r#"<style:style style:name="{name}" style:family="{family}"{parent}>{props}</style:style>"#)
}

/// A word/document.xml behind a "billion laughs" document type declaration: ten levels of
/// entities, each ten of the one below, around `Stalin used patronage &lol9;`.
pub fn billion_laughs() -> String {
    let mut dtd = String::from("<!DOCTYPE w:document [\n<!ENTITY lol \"lol\">\n");
    dtd.push_str("<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n");
    for i in 2..=9 {
        let prev = format!("&lol{};", i - 1).repeat(10);
        dtd.push_str(&format!("<!ENTITY lol{i} \"{prev}\">\n"));
    }
    dtd.push_str("]>\n");
    format!(
        r#"<?xml version="1.0"?>{dtd}<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>Stalin used patronage &lol9;</w:t></w:r></w:p></w:body></w:document>"#
    )
}

/// CRC-32 of `n` zero bytes, by squaring the GF(2) matrix of "one zero byte" (as zlib's
/// `crc32_combine` does): hashing 200 MiB byte by byte takes seconds in a debug build.
pub fn crc32_of_zeros(n: u64) -> u32 {
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
pub fn zip_bomb(mib: u64) -> Vec<u8> {
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
