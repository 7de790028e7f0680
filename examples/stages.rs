//! Times the stages of marking one answer as `rubric mark` does without evidence, in memory, on
//! one thread (no file reading):
//! `cargo run --release --example stages -- RUBRIC FOLDER [N]`.
use std::time::Instant;

use rubric::internals::dupes;
use rubric::{Document, Format, Rubric};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let rubric = Rubric::load(std::path::Path::new(&args[1])).expect("rubric");
    let n: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(20_000);
    let mut files: Vec<_> = std::fs::read_dir(&args[2])
        .expect("folder")
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    files.truncate(n);
    let texts: Vec<String> = files
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("text"))
        .collect();
    let words: usize = texts.iter().map(|t| t.split_whitespace().count()).sum();
    let template = dupes::template_shingles(std::iter::once(rubric.title.as_str()));
    for round in 0..2 {
        let (mut t_doc, mut t_assess, mut t_dupes, mut t_drop) = (0f64, 0f64, 0f64, 0f64);
        let mut sink = 0usize;
        for text in &texts {
            let a = Instant::now();
            let doc = Document::new(text.clone(), Format::Text, &rubric.language);
            let b = Instant::now();
            let rubric::internals::Brief {
                score: mark,
                statuses: points,
                ..
            } = rubric::internals::statuses(&rubric, &doc);
            let c = Instant::now();
            let shingles = match doc.words_in_order() {
                Some(words) => dupes::shingles_of(words.iter().map(|w| w.hash), &template),
                None => dupes::shingles_of(doc.tokens.iter().map(|t| doc.word(t).hash), &template),
            };
            let sketch = dupes::sketch(&shingles, 0.8);
            let d = Instant::now();
            sink += mark as usize + points.len() + usize::from(sketch.is_some());
            drop(points);
            drop(doc);
            let e = Instant::now();
            t_doc += (b - a).as_secs_f64();
            t_assess += (c - b).as_secs_f64();
            t_dupes += (d - c).as_secs_f64();
            t_drop += (e - d).as_secs_f64();
        }
        let per = |t: f64| t * 1e9 / texts.len() as f64;
        let total = t_doc + t_assess + t_dupes + t_drop;
        println!(
            "round {round}: {} answers, {} words: document {:.0} ns, match {:.0} ns, dupes {:.0} ns, drop {:.0} ns per answer; total {:.0} ns/answer, {:.0} ns/word ({sink})",
            texts.len(),
            words,
            per(t_doc),
            per(t_assess),
            per(t_dupes),
            per(t_drop),
            per(total),
            total * 1e9 / words as f64
        );
    }
}
