//! Every shipped rubric loads, and its examples pass (`rubric test` for each file).

use std::path::{Path, PathBuf};

use rubric::Rubric;
use rubric::internals::run_example;

fn rubric_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            rubric_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "toml") {
            out.push(p);
        }
    }
}

#[test]
fn shipped_rubrics_load_and_their_examples_pass() {
    let mut files = Vec::new();
    rubric_files(Path::new("rubrics"), &mut files);
    files.sort();
    assert!(files.iter().any(|f| f.ends_with("stalin-rise.toml")), "{files:?}");
    let mut failures = Vec::new();
    for f in &files {
        let rubric = match Rubric::load(f) {
            Ok(r) => r,
            Err(e) => {
                failures.push(format!("{}: {e}", f.display()));
                continue;
            }
        };
        assert!(!rubric.examples.is_empty(), "{} has no examples", f.display());
        for ex in &rubric.examples {
            for p in run_example(&rubric, ex) {
                failures.push(format!("{} example `{}`: {p}", f.display(), ex.name));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
