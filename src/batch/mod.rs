//! Batch marking: every answer file under some folders, marked in parallel (`rubric mark`).
//!
//! [`mark`] walks the paths ([`walk`]), reads and marks the files on a rayon pool, gives each
//! answer a student id ([`ids`]) and looks for near-duplicate answers ([`dupes`]). Reports
//! rubric wrote itself, found among the answers (a marks sheet, a class report, feedback files
//! of an earlier run: [`own`]), are skipped, before ids are given. The result, a
//! [`Batch`], holds per answer only its id, its path, its score and statuses, and, when a report
//! shows them, its findings with their evidence ([`Marked`]): answer texts are dropped as soon
//! as an answer is marked, apart from a small sketch for the duplicate search
//! ([`dupes::Sketch`]). Reports that show the text (the HTML report) are given the file read
//! again, checked for changes since it was marked ([`reread`]).

pub mod dupes;
pub mod ids;
pub mod overrides;
pub mod own;
pub mod reread;
pub mod review;
pub mod roster;
pub mod walk;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use regex::Regex;

use crate::matcher::Detail;

use crate::check::{Checked, check, check_statuses};
use crate::scheme::Rubric;
use crate::score::Assessment;
use crate::text::formats::{self, Reader};
use crate::text::read::{self, Limits, ReadError};

pub use crate::score::Statuses;
pub use review::{Reason, Review};
pub use walk::{Ignore, Problem, Skipped};

/// What to mark and how.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Files and folders to mark.
    pub paths: Vec<PathBuf>,
    /// `--id-pattern`: a regular expression with a group named `id`.
    pub id_pattern: Option<Regex>,
    /// Worker threads; `None` for one per core. Never more than [`MAX_THREADS_PER_CORE`] per
    /// core, nor than there are files ([`threads_for`]).
    pub threads: Option<usize>,
    /// Jaccard similarity from which two answers are reported as near-duplicates.
    pub similarity: f64,
    /// Size limit per answer.
    pub limits: Limits,
    /// Paths to leave out silently (the rubric) or to claim for this run's outputs.
    pub ignore: Ignore,
    /// Show a progress bar on standard error.
    pub progress: bool,
    /// Keep each point's evidence (quotes, matched words) for reports that show it (JSON,
    /// HTML, feedback files). Without it only statuses and marks are kept, so memory stays
    /// small per answer however large the batch.
    pub keep_evidence: bool,
    /// The class roster (`--roster`): answers take its ids and names ([`roster`]).
    pub roster: Option<std::sync::Arc<roster::Roster>>,
    /// `--id-trim`: trailing words dropped from ids (as keys, [`roster::trim_keys`]); `None`
    /// for the default (with a roster, [`roster::DEFAULT_TRIM`] to find answers on it;
    /// without, nothing dropped).
    pub id_trim: Option<Vec<String>>,
    /// `--sample N`: the size of the moderation sample to pick ([`review::sample`]).
    pub sample: Option<usize>,
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
            roster: None,
            id_trim: None,
            sample: None,
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
    /// The teacher's decisions about this answer, as applied ([`overrides`]), in the order of
    /// the overrides file.
    pub decisions: Vec<overrides::Decision>,
    /// The answer's student on the roster ([`Batch::roster`]), by index.
    pub student: Option<u32>,
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
    /// Why a teacher should look at it ([`review`]): found as it is marked, and by comparing it
    /// with the class after the batch.
    pub review: Review,
    /// Its words (for the class's length range, [`review::of_class`]).
    pub words: u32,
}

impl<'r> Entry<'r> {
    pub fn marked(&self) -> Option<&Marked<'r>> {
        match &self.outcome {
            Outcome::Marked(m) => Some(m),
            Outcome::Failed(_) => None,
        }
    }

    /// A marked answer's marks per question and per point, with the teacher's decisions.
    pub fn marks(&self, rubric: &Rubric) -> Option<crate::score::Marks> {
        let m = self.marked()?;
        Some(crate::score::marks_of(
            rubric,
            &overrides::scoring(rubric, &self.decisions),
            &m.statuses,
        ))
    }

    /// The teacher's decision about the point at `index` of the statuses, when it changes
    /// the status or the marks.
    pub fn decided(&self, index: usize) -> Option<&overrides::Decision> {
        self.decisions.iter().find(|d| d.point == Some(index) && d.changes())
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
    /// The class roster, when given.
    pub roster: Option<std::sync::Arc<roster::Roster>>,
    /// The moderation sample, when asked for (`--sample`), in report order.
    pub sample: Option<Vec<review::Pick>>,
}

impl Batch<'_> {
    /// Entries that were marked, with their index.
    pub fn marked(&self) -> impl Iterator<Item = (usize, &Entry<'_>, &Marked<'_>)> {
        self.entries
            .iter()
            .enumerate()
            .filter_map(|(i, e)| e.marked().map(|m| (i, e, m)))
    }

    /// The ids of the points, then of the misconceptions, in rubric order: what each place of
    /// an answer's [`Statuses`] is about.
    pub fn status_ids(&self) -> Vec<&str> {
        let qs = &self.rubric.questions;
        qs.iter()
            .flat_map(|q| q.points.iter())
            .chain(qs.iter().flat_map(|q| q.misconceptions.iter()))
            .map(|p| p.id.as_str())
            .collect()
    }

    /// The roster's student of an answer.
    pub fn student(&self, e: &Entry) -> Option<&roster::Student> {
        let roster = self.roster.as_deref()?;
        roster.students.get(e.student? as usize)
    }

    /// The students of the roster no answer was found for, in roster order.
    pub fn absent(&self) -> Vec<&roster::Student> {
        let Some(roster) = self.roster.as_deref() else {
            return Vec::new();
        };
        let mut seen = vec![false; roster.students.len()];
        for e in &self.entries {
            if let Some(i) = e.student {
                seen[i as usize] = true;
            }
        }
        roster
            .students
            .iter()
            .zip(seen)
            .filter(|(_, s)| !s)
            .map(|(st, _)| st)
            .collect()
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

/// What became of one file found.
enum Read<'r> {
    /// Marked, or failed; with its near-duplicate sketch.
    Answer(Outcome<'r>, Option<dupes::Sketch>),
    /// A report rubric wrote, not an answer.
    Report(own::Kind),
}

/// Whether a file of this name may be a report rubric wrote (a text format, not a document),
/// and whether it is a web page.
fn report_type(path: &Path) -> (bool, bool) {
    match formats::reader_of(path) {
        Some(Reader::Html) => (true, true),
        Some(Reader::Text | Reader::Markdown) => (true, false),
        Some(Reader::Document(_) | Reader::Pdf) | None => (false, false),
    }
}

/// Reads and marks one answer; returns its outcome and its near-duplicate sketch, or what kind
/// of report rubric wrote it is.
fn mark_one<'r>(rubric: &'r Rubric, path: &Path, settings: &Settings, template: &dupes::Template) -> Read<'r> {
    let limits = &settings.limits;
    let (text_type, html) = report_type(path);
    // A web page's text is extracted from it, without the head a report is told by: its start
    // is read first (web page answers are few).
    if html && let Some(kind) = own::recognise_file(path) {
        return Read::Report(kind);
    }
    // An empty answer is an answer: it scores 0, flagged `empty`.
    let (source, notes) = match read::read_path_noted(path, limits) {
        Ok(s) => s,
        Err(e) => {
            // A report too large to mark (a JSON report of a large class) is still a report.
            if text_type
                && !html
                && let Some(kind) = own::recognise_file(path)
            {
                return Read::Report(kind);
            }
            return Read::Answer(Outcome::Failed(reason(&e, &read::path_text(path))), None);
        }
    };
    if text_type
        && !html
        && let Some(kind) = own::recognise_text(&source.text)
    {
        return Read::Report(kind);
    }
    // A feedback document (`--feedback-format docx`) is told by its text.
    if !text_type && own::recognise_text(&source.text) == Some(own::Kind::Feedback) {
        return Read::Report(own::Kind::Feedback);
    }
    let text_hash = settings
        .keep_evidence
        .then(|| crate::text::hash::bytes_hash(source.text.as_bytes()));
    // One answer that trips a bug must not stop the batch.
    let marked = catch_unwind(AssertUnwindSafe(|| {
        // Without evidence, the statuses alone: no evidence is built.
        let (doc, brief, full) = if settings.keep_evidence {
            let Checked { doc, assessment } = check(rubric, source, Detail::Evidence);
            (doc, assessment.brief(), Some(Box::new(assessment)))
        } else {
            let (doc, brief) = check_statuses(rubric, source);
            (doc, brief, None)
        };
        let review = review::of_answer(rubric, &doc, &brief, notes.empty, notes.concealed);
        let words = u32::try_from(doc.tokens.len()).unwrap_or(u32::MAX);
        let shingles = match doc.words_in_order() {
            Some(words) => dupes::shingles_of(words.iter().map(|w| w.hash), template),
            None => dupes::shingles_of(doc.tokens.iter().map(|t| doc.word(t).hash), template),
        };
        let sketch = dupes::sketch(&shingles, settings.similarity);
        (brief.score, brief.statuses, full, sketch, review, words)
    }));
    match marked {
        Ok((score, statuses, full, sketch, review, words)) => {
            let marked = Marked {
                score,
                statuses,
                full,
                text_hash,
                review,
                words,
            };
            Read::Answer(Outcome::Marked(marked), sketch)
        }
        Err(_) => Read::Answer(
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

/// Puts `items` in the order `order` gives (item `k` becomes `items[order[k]]`), in place: a
/// batch can hold 100,000 outcomes, not to be held twice.
fn permute<T>(items: &mut [T], order: &[usize]) {
    let mut done = vec![false; items.len()];
    for start in 0..items.len() {
        if done[start] {
            continue;
        }
        // Follow the cycle from `start`, carrying its first item along by swaps.
        let mut at = start;
        loop {
            done[at] = true;
            let from = order[at];
            if from == start {
                break;
            }
            items.swap(at, from);
            at = from;
        }
    }
}

/// Most worker threads per core, whatever `--threads` asks: marking waits for the processor,
/// not the disk, and every thread keeps its own memo of words.
pub const MAX_THREADS_PER_CORE: usize = 4;

/// The worker threads for `work` files: as many as asked (`None`: one per core), at most
/// [`MAX_THREADS_PER_CORE`] per core, no more than there are files, and at least one.
pub fn threads_for(asked: Option<usize>, cores: usize, work: usize) -> usize {
    let cores = cores.max(1);
    asked
        .unwrap_or(cores)
        .min(cores.saturating_mul(MAX_THREADS_PER_CORE))
        .min(work)
        .max(1)
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// A pool of `threads` threads (none if none can be made: the work then runs on the calling
/// thread).
fn pool(threads: usize) -> Option<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new().num_threads(threads).build().ok()
}

/// Runs `work` on `pool`, or on the calling thread without one.
fn on<R: Send>(pool: &Option<rayon::ThreadPool>, work: impl FnOnce() -> R + Send) -> R {
    match pool {
        Some(pool) => pool.install(work),
        None => work(),
    }
}

/// Walks, marks and compares everything given in `settings` (for tests: the applications check
/// what was found first, with [`mark_checked`]).
#[cfg(test)]
pub fn mark<'r>(rubric: &'r Rubric, settings: &Settings) -> Batch<'r> {
    let Ok(batch) = mark_checked(rubric, settings, |_| Ok::<(), std::convert::Infallible>(()));
    batch
}

/// Walks the paths of `settings`, lets `check` see what was found (and stop the run with its
/// error before anything is marked), then marks and compares the answers.
///
/// Of the files claimed by this run's outputs ([`walk::Walk::claimed`]), those that are
/// reports rubric wrote are left out, silently (they are about to be written again); the
/// others, answers an output would write over, stay in the walk and in `claimed`, for `check`
/// to refuse.
pub fn mark_checked<'r, E: Send>(
    rubric: &'r Rubric,
    settings: &Settings,
    check: impl FnOnce(&walk::Walk) -> Result<(), E> + Send,
) -> Result<Batch<'r>, E> {
    // How many files there are is not known before the walk: its pool is only held to the
    // maximum. Marking runs on the same pool (whose threads' memory is then reused), unless
    // there are fewer files than threads.
    let cores = cores();
    let most = threads_for(settings.threads, cores, usize::MAX);
    on(&pool(most), || {
        let walked = find(settings);
        check(&walked)?;
        let threads = threads_for(settings.threads, cores, walked.files.len());
        Ok(if threads < most {
            on(&pool(threads), || mark_on_pool(rubric, settings, walked))
        } else {
            mark_on_pool(rubric, settings, walked)
        })
    })
}

/// The walk, and the claimed files that are reports set aside (see [`mark_checked`]).
fn find(settings: &Settings) -> walk::Walk {
    let mut walked = walk::walk(&settings.paths, &settings.ignore);
    if walked.claimed.is_empty() {
        return walked;
    }
    let reports: Vec<bool> = walked
        .claimed
        .par_iter()
        .map(|&i| own::recognise_file(&walked.files[i].path).is_some())
        .collect();
    let mut is_report = vec![false; walked.files.len()];
    for (&i, &report) in walked.claimed.iter().zip(&reports) {
        is_report[i] = report;
    }
    let mut answers = Vec::new();
    let mut kept = Vec::with_capacity(walked.files.len());
    let claimed: std::collections::HashSet<usize> = walked.claimed.iter().copied().collect();
    for (i, f) in std::mem::take(&mut walked.files).into_iter().enumerate() {
        if is_report[i] {
            continue;
        }
        if claimed.contains(&i) {
            answers.push(kept.len());
        }
        kept.push(f);
    }
    walked.files = kept;
    walked.claimed = answers;
    walked
}

/// Ids as the roster has them (or trimmed by `--id-trim`): [`roster`].
fn rename(ids: &mut [String], settings: &Settings) {
    match (&settings.roster, &settings.id_trim) {
        (Some(r), trim) => {
            let default;
            let trim = match trim {
                Some(t) => t,
                None => {
                    default = roster::trim_keys(roster::DEFAULT_TRIM);
                    &default
                }
            };
            for id in ids.iter_mut() {
                if let Some(i) = r.find(id, trim) {
                    *id = r.students[i].id.clone();
                }
            }
        }
        (None, Some(trim)) => {
            for id in ids.iter_mut() {
                *id = roster::trim_id(id, trim);
            }
        }
        (None, None) => {}
    }
}

/// Gives every file its id and puts files and ids in report order: by id, then path. Returns
/// the ids, and the order applied (`None` when the files were in that order already).
fn in_id_order(
    found: &mut [walk::Found],
    settings: &Settings,
    warnings: &mut Vec<String>,
) -> (Vec<String>, Option<Vec<usize>>) {
    let mut ids = ids::assign(found, settings.id_pattern.as_ref(), warnings);
    rename(&mut ids, settings);
    let mut order: Vec<usize> = (0..found.len()).collect();
    let cmp =
        |&a: &usize, &b: &usize| ids::natural_cmp(&ids[a], &ids[b]).then_with(|| found[a].path.cmp(&found[b].path));
    // Files walked in name order are often in id order already (`s0001.txt`, `s0002.txt`...):
    // one pass says so, where a sort compares each id some twenty times.
    if order.is_sorted_by(|a, b| cmp(a, b).is_le()) {
        return (ids, None);
    }
    order.sort_by(cmp);
    // Moved into that order, not copied (a batch can hold 100,000 answers).
    permute(found, &order);
    permute(&mut ids, &order);
    (ids, Some(order))
}

fn mark_on_pool<'r>(rubric: &'r Rubric, settings: &Settings, walked: walk::Walk) -> Batch<'r> {
    let walk::Walk {
        files: mut found,
        mut skipped,
        problems,
        ..
    } = walked;
    // Ids, report order and names first, as before marking they are made where they stay: the
    // memory marking uses for a while is then free for what comes after. Of each file found
    // only its path is kept, and where it was found from (to give ids again if reports must
    // leave): a batch can hold 100,000 files.
    let mut warnings = Vec::new();
    let (mut sorted_ids, _) = in_id_order(&mut found, settings, &mut warnings);
    let mut roots: Vec<(u32, bool)> = found.iter().map(|f| (f.root as u32, f.root_is_dir)).collect();
    // Taken into a list of their own (collected in place, they would keep the larger list).
    let mut paths: Vec<PathBuf> = found.iter_mut().map(|f| std::mem::take(&mut f.path)).collect();
    drop(found);
    let mut files: Vec<String> = paths.par_iter().map(|p| read::path_text(p)).collect();

    let template = dupes::template_shingles(
        std::iter::once(rubric.title.as_str()).chain(rubric.questions.iter().map(|q| q.prompt.as_str())),
    );
    let bar = progress_bar(settings.progress, paths.len());
    // A report rubric wrote is an `Err` with its kind (and no sketch).
    let (mut outcomes, mut sketches): (Vec<Result<Outcome<'r>, own::Kind>>, Vec<Option<dupes::Sketch>>) = paths
        .par_iter()
        .map(|path| {
            let r = match mark_one(rubric, path, settings, &template) {
                Read::Answer(outcome, sketch) => (Ok(outcome), sketch),
                Read::Report(kind) => (Err(kind), None),
            };
            // A hidden bar still takes its lock and reads the clock on every step.
            if settings.progress {
                bar.inc(1);
            }
            r
        })
        .unzip();
    // The threads' word memos are not needed any more: their memory goes to the search.
    rayon::broadcast(|_| crate::text::tokens::forget_words());

    // Reports leave the lists (nearly always there is none), and the ids are given again
    // without them: a report takes no id, nor a student folder's name.
    if outcomes.iter().any(Result::is_err) {
        let first_report = skipped.len();
        let mut kept = 0;
        for i in 0..paths.len() {
            match outcomes[i] {
                Err(kind) => skipped.push(Skipped {
                    file: std::mem::take(&mut files[i]),
                    reason: kind.skip_reason(),
                }),
                Ok(_) => {
                    paths.swap(kept, i);
                    roots.swap(kept, i);
                    files.swap(kept, i);
                    outcomes.swap(kept, i);
                    sketches.swap(kept, i);
                    kept += 1;
                }
            }
        }
        // Listed by path, as the walk lists what it skips.
        skipped[first_report..].sort_by(|a, b| a.file.cmp(&b.file));
        paths.truncate(kept);
        roots.truncate(kept);
        files.truncate(kept);
        outcomes.truncate(kept);
        sketches.truncate(kept);
        let mut found: Vec<walk::Found> = std::mem::take(&mut paths)
            .into_iter()
            .zip(&roots)
            .map(|(path, &(root, root_is_dir))| walk::found_again(path, &settings.paths, root as usize, root_is_dir))
            .collect();
        warnings.clear();
        let (ids, order) = in_id_order(&mut found, settings, &mut warnings);
        sorted_ids = ids;
        if let Some(order) = order {
            permute(&mut files, &order);
            permute(&mut outcomes, &order);
            permute(&mut sketches, &order);
        }
        paths = found.iter_mut().map(|f| std::mem::take(&mut f.path)).collect();
    }
    drop(roots);
    warnings.extend(ids::disambiguate(&mut sorted_ids, &files));

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
            // Reports were taken out above.
            outcome: outcome.unwrap_or_else(|kind| Outcome::Failed(kind.skip_reason())),
            duplicate: None,
            decisions: Vec::new(),
            student: None,
        })
        .collect();
    if let Some(r) = &settings.roster {
        let mut outside = Vec::new();
        for e in &mut entries {
            e.student = r.find_exact(&e.id).map(|i| i as u32);
            if e.student.is_none() {
                outside.push(e.id.clone());
                if let Outcome::Marked(m) = &mut e.outcome {
                    m.review.insert(review::Reason::NotOnRoster);
                }
            }
        }
        if !outside.is_empty() {
            warnings.push(format!(
                "{} answer{} not on the roster: {}",
                outside.len(),
                if outside.len() == 1 { " is" } else { "s are" },
                outside.join(", ")
            ));
        }
    }
    // Each answer's closest near-duplicate: pairs come most similar first, then by index.
    for p in &pairs {
        for (me, other) in [(p.a, p.b), (p.b, p.a)] {
            if entries[me].duplicate.is_none() {
                entries[me].duplicate = Some((other, p.similarity));
            }
        }
    }
    review::of_class(&mut entries);
    let sample = settings.sample.map(|n| review::sample(&entries, n));
    Batch {
        rubric,
        entries,
        skipped,
        problems,
        pairs,
        similarity: settings.similarity,
        warnings,
        roster: settings.roster.clone(),
        sample,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permutations_in_place() {
        let orders: [&[usize]; 4] = [&[], &[0, 1, 2], &[2, 0, 1, 4, 3], &[4, 3, 2, 1, 0]];
        for order in orders {
            let mut items: Vec<usize> = (0..order.len()).map(|i| i * 10).collect();
            permute(&mut items, order);
            let want: Vec<usize> = order.iter().map(|&i| i * 10).collect();
            assert_eq!(items, want, "{order:?}");
        }
    }

    #[test]
    fn threads_are_held_to_the_work_and_the_cores() {
        // `--threads 10000` for 2 files: 2.
        assert_eq!(threads_for(Some(10_000), 2, 2), 2);
        // For many files: 4 per core at most.
        assert_eq!(threads_for(Some(10_000), 2, 100_000), 8);
        assert_eq!(threads_for(Some(3), 2, 100_000), 3);
        // The default: one per core, no more than the files.
        assert_eq!(threads_for(None, 8, 100_000), 8);
        assert_eq!(threads_for(None, 8, 3), 3);
        // Never none, even for no file, or no core known.
        assert_eq!(threads_for(None, 8, 0), 1);
        assert_eq!(threads_for(Some(5), 0, 10), 4);
        assert_eq!(threads_for(Some(usize::MAX), usize::MAX, usize::MAX), usize::MAX);
    }
}
