//! Batch marking: every answer file under some folders, marked in parallel (`rubric mark`).
//!
//! [`mark`] walks the paths ([`walk`]), gives each file a student id ([`ids`]), reads and marks
//! the files on a rayon pool, and looks for near-duplicate answers ([`dupes`]). The result, a
//! [`Batch`], holds per answer only its id, its path, its score and statuses, and, when a report
//! shows them, its findings with their evidence ([`Marked`]): answer texts are dropped as soon
//! as an answer is marked, apart from a small sketch for the duplicate search
//! ([`dupes::Sketch`]). Reports that show the text (the HTML report) read the file again and
//! check it has not changed ([`Marked::text_hash`]).

pub mod dupes;
pub mod ids;
pub mod walk;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use regex::Regex;

use crate::matcher::Detail;
use crate::scheme::Rubric;
use crate::score::{Assessment, assess_with};
use crate::text::read::{self, Limits, ReadError};
use crate::text::tokens::Document;

pub use crate::score::Statuses;
pub use walk::{Ignore, Problem, Skipped};

/// What to mark and how.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Files and folders to mark.
    pub paths: Vec<PathBuf>,
    /// `--id-pattern`: a regular expression with a group named `id`.
    pub id_pattern: Option<Regex>,
    /// Worker threads; `None` for one per core.
    pub threads: Option<usize>,
    /// Jaccard similarity from which two answers are reported as near-duplicates.
    pub similarity: f64,
    /// Size limit per answer.
    pub limits: Limits,
    /// Paths to leave out silently (the rubric, this run's outputs).
    pub ignore: Ignore,
    /// Show a progress bar on standard error.
    pub progress: bool,
    /// Keep each point's evidence (quotes, matched words) for reports that show it (JSON,
    /// HTML, feedback files). Without it only statuses and marks are kept, so memory stays
    /// small per answer however large the batch.
    pub keep_evidence: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            paths: Vec::new(),
            id_pattern: None,
            threads: None,
            similarity: 0.8,
            limits: Limits::default(),
            ignore: Ignore::default(),
            progress: false,
            keep_evidence: true,
        }
    }
}

/// One answer file: marked, or failed.
#[derive(Debug)]
pub struct Entry<'r> {
    /// The student id, unique in the batch (`#2`, `#3`... added to shared ids).
    pub id: String,
    /// The path, as shown in reports (as walked from the path given).
    pub file: String,
    /// The path to read.
    pub path: PathBuf,
    pub outcome: Outcome<'r>,
    /// The most similar other answer, when the pair is a near-duplicate: its index in
    /// [`Batch::entries`] and the similarity. Ties go to the earlier answer.
    pub duplicate: Option<(usize, f64)>,
}

#[derive(Debug)]
pub enum Outcome<'r> {
    /// Kept in the entry, not boxed: reports read every answer's (a batch can hold 100,000).
    Marked(Marked<'r>),
    /// Why the file could not be marked (without the file name).
    Failed(String),
}

/// One marked answer. Only the score and the statuses are kept for every answer (a few bytes
/// per point, however large the batch); the full findings with their evidence are kept when
/// [`Settings::keep_evidence`] asks for them.
#[derive(Debug)]
pub struct Marked<'r> {
    /// The answer's score (out of the rubric's maximum).
    pub score: f64,
    /// Each point's status, in rubric order (questions, then points).
    pub statuses: Statuses,
    /// The findings and their evidence, when kept.
    pub full: Option<Box<Assessment<'r>>>,
    /// [`crate::text::hash::bytes_hash`] of the decoded text, kept with the evidence (the
    /// reports that read the file again show evidence): such a report can tell whether the
    /// file changed since it was marked. `None` when the evidence is not kept.
    pub text_hash: Option<u64>,
}

impl<'r> Entry<'r> {
    pub fn marked(&self) -> Option<&Marked<'r>> {
        match &self.outcome {
            Outcome::Marked(m) => Some(m),
            Outcome::Failed(_) => None,
        }
    }
}

/// A marked batch.
#[derive(Debug)]
pub struct Batch<'r> {
    pub rubric: &'r Rubric,
    /// Every answer file, marked or failed, by student id (in natural order) then path.
    pub entries: Vec<Entry<'r>>,
    /// Files left out on purpose.
    pub skipped: Vec<Skipped>,
    /// Paths that could not be walked.
    pub problems: Vec<Problem>,
    /// Near-duplicate pairs (indices into `entries`), most similar first.
    pub pairs: Vec<dupes::Pair>,
    /// The threshold the pairs were found with.
    pub similarity: f64,
    /// Shared ids, id patterns that did not match.
    pub warnings: Vec<String>,
}

impl Batch<'_> {
    /// Entries that were marked, with their index.
    pub fn marked(&self) -> impl Iterator<Item = (usize, &Entry<'_>, &Marked<'_>)> {
        self.entries
            .iter()
            .enumerate()
            .filter_map(|(i, e)| e.marked().map(|m| (i, e, m)))
    }

    /// Entries that failed, and paths that could not be walked.
    pub fn failures(&self) -> usize {
        self.entries.iter().filter(|e| e.marked().is_none()).count() + self.problems.len()
    }
}

/// The reason in a read error, without the file name it starts with.
fn reason(e: &ReadError, name: &str) -> String {
    let s = e.to_string();
    match s.strip_prefix(name).and_then(|r| r.strip_prefix(": ")) {
        Some(r) => r.to_string(),
        None => s,
    }
}

/// Reads and marks one answer; returns its outcome and its near-duplicate sketch.
fn mark_one<'r>(
    rubric: &'r Rubric,
    path: &Path,
    settings: &Settings,
    template: &dupes::Template,
) -> (Outcome<'r>, Option<dupes::Sketch>) {
    let limits = &settings.limits;
    let source = match read::read_path(path, limits) {
        Ok(s) => s,
        Err(e) => return (Outcome::Failed(reason(&e, &read::path_text(path))), None),
    };
    let text_hash = settings
        .keep_evidence
        .then(|| crate::text::hash::bytes_hash(source.text.as_bytes()));
    // One answer that trips a bug must not stop the batch.
    let marked = catch_unwind(AssertUnwindSafe(|| {
        let doc = Document::new(source.text, source.format, &rubric.language);
        // Without evidence, the statuses alone: no findings are built.
        let (score, statuses, full) = if settings.keep_evidence {
            let assessment = assess_with(rubric, &doc, Detail::Evidence);
            let statuses = assessment.points().map(|p| p.finding.status).collect();
            (assessment.score, statuses, Some(Box::new(assessment)))
        } else {
            let (score, statuses) = crate::score::statuses(rubric, &doc);
            (score, statuses, None)
        };
        let shingles = match doc.words_in_order() {
            Some(words) => dupes::shingles_of(words.iter().map(|w| w.hash), template),
            None => dupes::shingles_of(doc.tokens.iter().map(|t| doc.word(t).hash), template),
        };
        (score, statuses, full, dupes::sketch(&shingles, settings.similarity))
    }));
    match marked {
        Ok((score, statuses, full, sketch)) => {
            let marked = Marked {
                score,
                statuses,
                full,
                text_hash,
            };
            (Outcome::Marked(marked), sketch)
        }
        Err(_) => (
            Outcome::Failed("internal error while marking this answer (please report it)".to_string()),
            None,
        ),
    }
}

fn progress_bar(show: bool, len: usize) -> indicatif::ProgressBar {
    if !show {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::with_draw_target(Some(len as u64), indicatif::ProgressDrawTarget::stderr());
    if let Ok(style) = indicatif::ProgressStyle::with_template("marking {bar:30} {pos}/{len} answers, {eta} left") {
        bar.set_style(style);
    }
    bar
}

/// Walks, marks and compares everything given in `settings`.
pub fn mark<'r>(rubric: &'r Rubric, settings: &Settings) -> Batch<'r> {
    // Everything runs on the pool: the walk and the ids use it too.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(settings.threads.unwrap_or(0))
        .build();
    match pool {
        Ok(pool) => pool.install(|| mark_on_pool(rubric, settings)),
        Err(_) => mark_on_pool(rubric, settings),
    }
}

fn mark_on_pool<'r>(rubric: &'r Rubric, settings: &Settings) -> Batch<'r> {
    let walked = walk::walk(&settings.paths, &settings.ignore);
    let mut warnings = Vec::new();
    let mut ids = ids::assign(&walked.files, settings.id_pattern.as_ref(), &mut warnings);
    let mut found = walked.files;

    // The order of every report: by id, then path. Ids and paths are moved into that order,
    // not copied (a batch can hold 100,000 answers).
    let mut order: Vec<usize> = (0..found.len()).collect();
    let cmp =
        |&a: &usize, &b: &usize| ids::natural_cmp(&ids[a], &ids[b]).then_with(|| found[a].path.cmp(&found[b].path));
    // Files walked in name order are often in id order already (`s0001.txt`, `s0002.txt`...):
    // one pass says so, where a sort compares each id some twenty times.
    if !order.is_sorted_by(|a, b| cmp(a, b).is_le()) {
        order.sort_by(cmp);
    }
    let mut sorted_ids: Vec<String> = order.iter().map(|&i| std::mem::take(&mut ids[i])).collect();
    drop(ids);
    let paths: Vec<PathBuf> = order.iter().map(|&i| std::mem::take(&mut found[i].path)).collect();
    drop(found);
    drop(order);
    let files: Vec<String> = paths.par_iter().map(|p| read::path_text(p)).collect();
    warnings.extend(ids::disambiguate(&mut sorted_ids, &files));

    let template = dupes::template_shingles(
        std::iter::once(rubric.title.as_str()).chain(rubric.questions.iter().map(|q| q.prompt.as_str())),
    );
    let bar = progress_bar(settings.progress, paths.len());
    let (outcomes, sketches): (Vec<Outcome<'r>>, Vec<Option<dupes::Sketch>>) = paths
        .par_iter()
        .map(|path| {
            let r = mark_one(rubric, path, settings, &template);
            // A hidden bar still takes its lock and reads the clock on every step.
            if settings.progress {
                bar.inc(1);
            }
            r
        })
        .unzip();
    // The threads' word memos are not needed any more: their memory goes to the search.
    rayon::broadcast(|_| crate::text::tokens::forget_words());
    let (pairs, _) = dupes::search(&sketches, settings.similarity);
    drop(sketches);
    bar.finish_and_clear();

    let mut entries: Vec<Entry<'r>> = sorted_ids
        .into_iter()
        .zip(files)
        .zip(paths)
        .zip(outcomes)
        .map(|(((id, file), path), outcome)| Entry {
            id,
            file,
            path,
            outcome,
            duplicate: None,
        })
        .collect();
    // Each answer's closest near-duplicate: pairs come most similar first, then by index.
    for p in &pairs {
        for (me, other) in [(p.a, p.b), (p.b, p.a)] {
            if entries[me].duplicate.is_none() {
                entries[me].duplicate = Some((other, p.similarity));
            }
        }
    }
    Batch {
        rubric,
        entries,
        skipped: walked.skipped,
        problems: walked.problems,
        pairs,
        similarity: settings.similarity,
        warnings,
    }
}
