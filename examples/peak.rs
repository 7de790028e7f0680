//! Heap in use and its peak at each stage of `rubric check` on one answer, as the binary does it
//! (read, segment, assess, report), counted by a wrapper around the system allocator:
//! `cargo run --release --example peak -- RUBRIC ANSWER [json|human] [explain]`.
//! (The binary uses jemalloc; its resident peak, `/usr/bin/time -v`, is a little higher.)
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

struct Counting;

static NOW: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = NOW.fetch_add(layout.size(), Relaxed) + layout.size();
            PEAK.fetch_max(now, Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        NOW.fetch_sub(layout.size(), Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                let now = NOW.fetch_add(new_size - layout.size(), Relaxed) + new_size - layout.size();
                PEAK.fetch_max(now, Relaxed);
            } else {
                NOW.fetch_sub(layout.size() - new_size, Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

fn stage(name: &str) {
    let mb = |n: usize| n as f64 / 1e6;
    println!(
        "{name:<10} in use {:8.1} MB, peak so far {:8.1} MB",
        mb(NOW.load(Relaxed)),
        mb(PEAK.load(Relaxed))
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let rubric = rubric::Rubric::load(std::path::Path::new(&args[1])).expect("rubric");
    let format = args.get(3).map_or("json", String::as_str);
    let explain = args.get(4).is_some_and(|a| a == "explain");
    stage("rubric");
    let source = rubric::read_path(std::path::Path::new(&args[2]), &Default::default()).expect("answer");
    let size = source.text.len();
    stage("read");
    let doc = rubric::Document::new(source.text, source.format, &rubric.language);
    stage("document");
    let a = rubric::internals::assess(&rubric, &doc, explain);
    stage("assess");
    let opts = rubric::report::Options {
        reveal: false,
        explain,
        covered: false,
    };
    let out = match format {
        "human" => rubric::internals::render_human(&source.name, &rubric, &doc, &a, opts),
        _ => rubric::internals::render_json(&source.name, &rubric, &a, opts),
    };
    stage("report");
    println!(
        "answer {size} bytes, {} tokens, {} sentences; report {} bytes; peak {:.1}x the answer",
        doc.tokens.len(),
        doc.sentences.len(),
        out.len(),
        PEAK.load(Relaxed) as f64 / size as f64
    );
}
