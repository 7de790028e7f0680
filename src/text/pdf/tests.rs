use super::*;

#[test]
fn show() {
    for name in ["chromium.pdf", "libreoffice.pdf"] {
        let bytes = std::fs::read(format!("{}/tests/fixtures/pdf/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        let t = read_pdf(bytes, name, &Limits::default());
        println!("=== {name}\n{t:#?}\n{}", t.as_ref().map(|s| s.as_str()).unwrap_or(""));
    }
}
