//! The Markdown matching view (`text::markdown`) of a large Markdown answer and of the sample
//! answer. Run with `cargo bench --bench markdown`. Issue 17 compared it with the same view on
//! pulldown-cmark: the figures and the reasons are in `src/text/markdown.rs`'s module doc.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rubric::Format;
use rubric::internals::matching_view;

/// About 1 MiB of Markdown: the sample answer, then the repository's own docs (tables, code,
/// lists, links), repeated.
fn large_answer() -> String {
    let mut one = std::fs::read_to_string("samples/stalin/markdown.md").unwrap_or_default();
    for doc in [
        "README.md",
        "docs/mark.md",
        "docs/rubric-format.md",
        "docs/eval.md",
        "docs/serve.md",
    ] {
        one.push_str("\n\n");
        one.push_str(&std::fs::read_to_string(doc).unwrap_or_default());
    }
    let mut text = String::new();
    while text.len() < 1 << 20 {
        text.push_str(&one);
        text.push_str("\n\n");
    }
    text
}

fn bench(c: &mut Criterion) {
    let large = large_answer();
    let sample = std::fs::read_to_string("samples/stalin/markdown.md").unwrap_or_default();
    let mut group = c.benchmark_group("markdown_view");
    group.sample_size(20);
    for (name, input) in [("large", &large), ("sample", &sample)] {
        group.throughput(Throughput::Bytes(input.len() as u64));
        group.bench_function(name, |b| b.iter(|| matching_view(black_box(input), Format::Markdown)));
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
