//! Any bytes as an answer in any format: the first byte picks the file type (.txt, .md, .docx,
//! .odt, .html), the rest is the file. Reading may fail (with a message), but must not panic
//! or hang; what is read is checked against the seed rubric (with explanations when the first
//! byte is 0xF0 or more).
#![no_main]

use libfuzzer_sys::fuzz_target;
use rubric::{Document, Limits, read_bytes};

const NAMES: [&str; 5] = ["answer.txt", "answer.md", "answer.docx", "answer.odt", "answer.html"];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let name = NAMES[usize::from(pick) % NAMES.len()];
    let rubric = rubric_fuzz::stalin();
    match read_bytes(bytes, name, &Limits::default()) {
        Ok(source) => {
            let doc = Document::new(source.text, source.format, &rubric.language);
            rubric_fuzz::check(rubric, &doc, pick >= 0xf0);
        }
        Err(e) => assert!(e.to_string().contains(name)),
    }
});
