//! Any text as a rubric file: compiling either succeeds or gives diagnostics with a line and
//! column inside the file; a rubric that compiles is linted and checks answers.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rubric::{Document, Format, Rubric, RubricError};

const ANSWER: &str = include_str!("../../samples/stalin/strong.txt");

fuzz_target!(|data: &[u8]| {
    let Ok(source) = std::str::from_utf8(data) else {
        return;
    };
    match Rubric::from_str(source, "fuzz.toml") {
        Ok(rubric) => {
            let _ = rubric::internals::lint(&rubric);
            let answers = [
                (ANSWER.to_string(), false),
                (rubric.title.clone(), true),
                (source.to_string(), false),
            ];
            for (text, explain) in answers {
                if text.trim().is_empty() {
                    continue;
                }
                let doc = Document::new(text, Format::Markdown, &rubric.language);
                rubric_fuzz::check(&rubric, &doc, explain);
            }
        }
        Err(RubricError::Invalid(diagnostics)) => {
            assert!(!diagnostics.is_empty());
            let lines = source.split('\n').count();
            for d in &diagnostics {
                assert!(d.line >= 1 && d.line <= lines.max(1), "line {} of {lines}", d.line);
                assert!(d.column >= 1, "{d}");
                assert!(d.to_string().starts_with("fuzz.toml:"));
            }
        }
        Err(e) => panic!("unexpected error: {e}"),
    }
});
