//! Hot paths of the engine: segmentation and normalisation, stemming, the cue index lookup,
//! and checking one answer against the seed rubric and against a 200-point rubric.
//! Run with `cargo bench --bench engine`; `bench/run.sh` times the whole binary.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rubric::internals::assess;
use rubric::{Detail, Document, Format, Language, Rubric};

fn essay() -> String {
    std::fs::read_to_string("samples/stalin/long-essay.txt").unwrap_or_else(|_| "Stalin used patronage. ".repeat(200))
}

/// A 200-point rubric generated like `examples/corpus.rs rubric 200` does, from a fixed
/// vocabulary so the benchmark needs no generated files.
fn big_rubric() -> Rubric {
    let vocab: Vec<String> = essay()
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| w.len() >= 5)
        .map(str::to_lowercase)
        .collect();
    let mut toml = String::from("title = \"A large synthetic rubric\"\n");
    let mut k = 0usize;
    let mut w = || {
        k = (k * 7919 + 13) % vocab.len().max(1);
        vocab.get(k).cloned().unwrap_or_else(|| "stalin".into())
    };
    for q in 0..20 {
        toml.push_str(&format!(
            "\n[[question]]\nid = \"q{q}\"\nprompt = \"Synthetic question {q}?\"\n"
        ));
        for p in 0..10 {
            toml.push_str(&format!(
                "\n[[question.point]]\nid = \"p{q}_{p}\"\nlabel = \"l\"\nhint = \"h\"\ncues = [\"{} {}\", \"{}|{} [the] {}\", {{ all = [\"{}\", \"{}\"] }}, {{ any = [\"{}\", \"{}\", \"{}\"], need = 2 }}]\n",
                w(), w(), w(), w(), w(), w(), w(), w(), w(), w()
            ));
        }
    }
    match Rubric::from_str(&toml, "big.toml") {
        Ok(r) => r,
        Err(e) => panic!("{e}"),
    }
}

fn benches(c: &mut Criterion) {
    let text = essay();
    let en = Language::english();
    let seed = match Rubric::load(Path::new("rubrics/stalin-rise.toml")) {
        Ok(r) => r,
        Err(e) => panic!("{e}"),
    };
    let big = big_rubric();

    let mut g = c.benchmark_group("text");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("segment+normalise+stem", |b| {
        b.iter(|| Document::new(black_box(text.clone()), Format::Text, &en))
    });
    g.finish();

    let words: Vec<String> = rubric::internals::words(&text);
    let mut g = c.benchmark_group("words");
    g.throughput(Throughput::Elements(words.len() as u64));
    g.bench_function("stem", |b| {
        b.iter(|| words.iter().map(|w| en.stem(black_box(w)).len()).sum::<usize>())
    });
    g.bench_function("lexicon lookup (seed rubric)", |b| {
        let stems: Vec<String> = words.iter().map(|w| en.stem(w)).collect();
        let mut out = Vec::new();
        b.iter(|| {
            let mut n = 0;
            for (w, s) in words.iter().zip(&stems) {
                seed.lexicon.lookup(black_box(w), s, &mut out);
                n += out.len();
            }
            n
        })
    });
    g.finish();

    let doc = Document::new(text.clone(), Format::Text, &en);
    let mut g = c.benchmark_group("check one answer");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("seed rubric (10 points)", |b| {
        b.iter(|| assess(&seed, black_box(&doc), false).score)
    });
    g.bench_function("200-point rubric", |b| {
        b.iter(|| assess(&big, black_box(&doc), false).score)
    });
    // Batch marking without evidence: statuses and marks alone.
    g.bench_function("seed rubric, statuses alone", |b| {
        b.iter(|| rubric::internals::statuses(&seed, black_box(&doc)).score)
    });
    g.bench_function("200-point rubric, statuses alone", |b| {
        b.iter(|| rubric::internals::statuses(&big, black_box(&doc)).score)
    });
    g.bench_function("seed rubric, assess_with(Status)", |b| {
        b.iter(|| rubric::internals::assess_with(&seed, black_box(&doc), Detail::Status).score)
    });
    g.bench_function("200-point rubric, assess_with(Status)", |b| {
        b.iter(|| rubric::internals::assess_with(&big, black_box(&doc), Detail::Status).score)
    });
    g.bench_function("seed rubric, whole pipeline", |b| {
        b.iter(|| {
            let d = Document::new(black_box(text.clone()), Format::Text, &seed.language);
            assess(&seed, &d, false).score
        })
    });
    g.finish();
}

criterion_group!(engine, benches);
criterion_main!(engine);
