//! Benchmark corpora, generated deterministically from a seed.
//!
//! ```text
//! cargo run --release --example corpus -- answers N OUT [--seed S] [--words MIN-MAX]
//!     N answers to the Stalin worksheet, written to OUT: a folder of .txt files, or one
//!     TSV file (`id<TAB>text`) when OUT ends in .tsv. Each answer recombines sentences of
//!     the shipped samples and mutates them (misspellings, reordering, filler, negations).
//! cargo run --release --example corpus -- essay BYTES OUT [--seed S]
//!     One long essay of about BYTES bytes.
//! cargo run --release --example corpus -- rubric POINTS OUT [--seed S] [--vocab corpus|english]
//!     A synthetic rubric with POINTS points built from the corpus vocabulary (its cues are
//!     found in nearly every answer), or from English words at large (`--vocab english`: an
//!     off-topic rubric, whose cues the answers seldom use).
//! cargo run --release --example corpus -- cues RUBRIC OUT
//!     Every cue word of a rubric, one per line (the `rg -F -f` reference).
//! ```

use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;

/// xorshift64*: small, fast, deterministic.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

const FILLER: &[&str] = &[
    "This is an important point to consider.",
    "In my opinion this mattered a lot.",
    "Historians have argued about this for a long time.",
    "It is also worth remembering the context of the civil war.",
    "Many people at the time did not see what was happening.",
    "This shows how clever he was.",
];

fn sentences() -> Vec<String> {
    let mut out = Vec::new();
    for dir in ["samples/stalin", "tests/fixtures/stalin-eval"] {
        let Ok(entries) = std::fs::read_dir(dir) else { continue };
        let mut paths: Vec<_> = entries.flatten().map(|e| e.path()).collect();
        paths.sort();
        for p in paths {
            if !matches!(p.extension().and_then(|e| e.to_str()), Some("txt" | "md")) {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&p) else {
                continue;
            };
            for s in text.split(['.', '\n']) {
                let s = s.trim().trim_start_matches(['#', '-', '*', ' ']);
                if s.split_whitespace().count() >= 5 {
                    out.push(format!("{s}."));
                }
            }
        }
    }
    if out.is_empty() {
        out.push("Stalin used patronage to give jobs to his friends who owed him.".to_string());
    }
    out
}

fn misspell(word: &str, rng: &mut Rng) -> String {
    let mut cs: Vec<char> = word.chars().collect();
    if cs.len() < 5 {
        return word.to_string();
    }
    let i = 1 + rng.below(cs.len() - 2);
    match rng.below(3) {
        0 => {
            cs.remove(i);
        }
        1 => cs.swap(i, i + 1),
        _ => cs.insert(i, cs[i]),
    }
    cs.into_iter().collect()
}

fn mutate(sentence: &str, rng: &mut Rng) -> String {
    let mut words: Vec<String> = sentence.split_whitespace().map(str::to_string).collect();
    for w in words.iter_mut() {
        if rng.chance(6) {
            *w = misspell(w, rng);
        }
    }
    if rng.chance(5) && words.len() > 3 {
        words.insert(2, "did not".to_string());
    }
    words.join(" ")
}

fn answer(pool: &[String], min: usize, max: usize, rng: &mut Rng) -> String {
    let target = min + rng.below(max - min + 1);
    let mut out = String::new();
    let mut words = 0;
    while words < target {
        let s = if rng.chance(15) {
            FILLER[rng.below(FILLER.len())].to_string()
        } else {
            mutate(&pool[rng.below(pool.len())], rng)
        };
        words += s.split_whitespace().count();
        out.push_str(&s);
        out.push(if rng.chance(20) { '\n' } else { ' ' });
    }
    out.trim_end().to_string()
}

fn arg(args: &[String], flag: &str) -> Option<String> {
    args.iter()
        .position(|a| a == flag)
        .and_then(|i| args.get(i + 1).cloned())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let seed: u64 = arg(&args, "--seed").map_or(Ok(42), |s| s.parse())?;
    let mut rng = Rng(seed.max(1));
    let pool = sentences();
    match args.first().map(String::as_str) {
        Some("answers") => {
            let n: usize = args.get(1).ok_or("answers N OUT")?.parse()?;
            let out = Path::new(args.get(2).ok_or("answers N OUT")?);
            let (min, max) = match arg(&args, "--words") {
                Some(r) => {
                    let (a, b) = r.split_once('-').ok_or("--words MIN-MAX")?;
                    (a.parse()?, b.parse()?)
                }
                None => (50, 600),
            };
            if out.extension().is_some_and(|e| e == "tsv") {
                let mut f = std::io::BufWriter::new(std::fs::File::create(out)?);
                writeln!(f, "id\ttext")?;
                for i in 0..n {
                    let a = answer(&pool, min, max, &mut rng).replace(['\t', '\n'], " ");
                    writeln!(f, "s{i:06}\t{a}")?;
                }
            } else {
                std::fs::create_dir_all(out)?;
                for i in 0..n {
                    std::fs::write(out.join(format!("s{i:06}.txt")), answer(&pool, min, max, &mut rng))?;
                }
            }
        }
        Some("essay") => {
            let bytes: usize = args.get(1).ok_or("essay BYTES OUT")?.parse()?;
            let out = args.get(2).ok_or("essay BYTES OUT")?;
            let mut text = String::with_capacity(bytes + 1000);
            while text.len() < bytes {
                text.push_str(&answer(&pool, 200, 400, &mut rng));
                text.push_str("\n\n");
            }
            std::fs::write(out, text)?;
        }
        Some("rubric") => {
            let points: usize = args.get(1).ok_or("rubric POINTS OUT")?.parse()?;
            let out = args.get(2).ok_or("rubric POINTS OUT")?;
            let mut vocab: Vec<String> = match arg(&args, "--vocab").as_deref() {
                Some("english") => include_str!("../src/text/english-words.txt")
                    .lines()
                    .filter(|w| w.len() >= 5 && w.chars().all(|c| c.is_ascii_lowercase()))
                    .map(str::to_string)
                    .collect(),
                Some("corpus") | None => pool
                    .iter()
                    .flat_map(|s| s.split(|c: char| !c.is_alphabetic()))
                    .filter(|w| w.len() >= 5)
                    .map(str::to_lowercase)
                    .collect(),
                Some(other) => return Err(format!("--vocab {other}: expected corpus or english").into()),
            };
            vocab.sort();
            vocab.dedup();
            let mut toml = String::from("title = \"A large synthetic rubric\"\n");
            for q in 0..points.div_ceil(10) {
                let _ = write!(
                    toml,
                    "\n[[question]]\nid = \"q{q}\"\nprompt = \"Synthetic question {q}?\"\n"
                );
                for p in 0..10.min(points - q * 10) {
                    let mut w = || vocab[rng.below(vocab.len())].clone();
                    let _ = write!(
                        toml,
                        "\n[[question.point]]\nid = \"p{q}_{p}\"\nlabel = \"point {q}.{p}\"\nhint = \"a hint\"\ncues = [\"{} {}\", \"{}|{} [the] {}\", {{ all = [\"{}\", \"{}*\"] }}, {{ any = [\"{}\", \"{}\", \"{}\"], need = 2 }}]\npartial = [\"{}\"]\n",
                        w(),
                        w(),
                        w(),
                        w(),
                        w(),
                        w(),
                        w().chars().take(4).collect::<String>(),
                        w(),
                        w(),
                        w(),
                        w()
                    );
                }
            }
            std::fs::write(out, toml)?;
        }
        Some("cues") => {
            let rubric = rubric::Rubric::load(Path::new(args.get(1).ok_or("cues RUBRIC OUT")?))?;
            let mut words: Vec<&str> = rubric.lexicon.terms.iter().map(|t| t.word.as_str()).collect();
            words.sort();
            words.dedup();
            std::fs::write(args.get(2).ok_or("cues RUBRIC OUT")?, words.join("\n") + "\n")?;
        }
        _ => return Err("usage: corpus answers|essay|rubric|cues ... (see the source)".into()),
    }
    Ok(())
}
