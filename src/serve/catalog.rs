//! The rubrics a `rubric serve` page offers: every `*.toml` file under one folder (or one file),
//! found by the one folder walker ([`crate::batch::walk`]: hidden and build folders left out,
//! links followed, at most 6 levels down),
//! each known by its path relative to that folder without the extension (`stalin-rise`,
//! `asap-sas/set1`). Files are loaded on first use and loaded again when they change, so a
//! teacher can edit a rubric while the page is open; a file that is not a valid rubric is
//! left out, with a warning on standard error (once per version of the file).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::SystemTime;

use serde::Serialize;

use crate::batch::walk;
use crate::report::json::QuestionReport;
use crate::scheme::Rubric;
use crate::scheme::compile::MAX_RUBRIC_BYTES;

/// How many folder levels below the root are searched for rubrics.
const MAX_DEPTH: usize = 6;
/// Most rubric files listed: more is surely a wrong `--rubrics` folder.
const MAX_FILES: usize = 1000;

/// When a file was last seen: modification time and length.
type Stamp = (Option<SystemTime>, u64);

struct Entry {
    path: PathBuf,
    stamp: Stamp,
    /// The rubric, or `None` when it failed to load (and was warned about).
    rubric: Option<Arc<Rubric>>,
}

/// The rubric files under a folder, loaded as needed.
pub struct Catalog {
    root: PathBuf,
    entries: Mutex<BTreeMap<String, Entry>>,
}

impl Catalog {
    /// A catalog of the rubrics under `root` (a folder, or a single rubric file).
    pub fn new(root: PathBuf) -> Catalog {
        Catalog {
            root,
            entries: Mutex::new(BTreeMap::new()),
        }
    }

    /// The folder or file the rubrics come from.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Looks at the folder again and returns every valid rubric, by id.
    pub fn all(&self) -> Vec<(String, Arc<Rubric>)> {
        let files = self.files();
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        entries.retain(|id, _| files.iter().any(|(i, _)| i == id));
        let mut out = Vec::new();
        for (id, path) in files {
            if let Some(r) = refresh(&mut entries, &id, path) {
                out.push((id, r));
            }
        }
        out
    }

    /// The rubric with this id, loaded again if its file changed; `None` when there is no such
    /// valid rubric. Only ids found by listing the folder are accepted, so an id never names a
    /// file outside it.
    pub fn get(&self, id: &str) -> Option<Arc<Rubric>> {
        let known = {
            let entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
            entries.get(id).map(|e| e.path.clone())
        };
        let path = match known {
            Some(p) => p,
            None => self.files().into_iter().find(|(i, _)| i == id)?.1,
        };
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        refresh(&mut entries, id, path)
    }

    /// Every `*.toml` file under the root, with its id, sorted by id.
    fn files(&self) -> Vec<(String, PathBuf)> {
        let mut out = Vec::new();
        if self.root.is_file() {
            let id = self
                .root
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "rubric".to_owned());
            out.push((id, self.root.clone()));
            return out;
        }
        // The one folder walker's rules (hidden and build folders left out, links followed).
        let select = walk::Select {
            file: is_rubric_file,
            max_depth: MAX_DEPTH,
            // A FIFO named like a rubric is refused by `load`, with a warning.
            special_files: true,
        };
        let walked = walk::walk_selecting(std::slice::from_ref(&self.root), &walk::Ignore::default(), select);
        out.extend(walked.files.into_iter().take(MAX_FILES).map(|f| {
            // The id is the path below the root without `.toml`, `/`-separated.
            let id = f.rel.strip_suffix(".toml").unwrap_or(&f.rel).to_owned();
            (id, f.path)
        }));
        out.sort();
        out
    }
}

/// Whether a file found is a rubric: a `.toml` file, but not a Cargo manifest.
fn is_rubric_file(path: &Path) -> Result<(), String> {
    let rubric = path.extension().is_some_and(|e| e == "toml") && path.file_name().is_some_and(|n| n != "Cargo.toml");
    if rubric { Ok(()) } else { Err(String::new()) }
}

fn stamp(path: &Path) -> Option<Stamp> {
    let m = std::fs::metadata(path).ok()?;
    Some((m.modified().ok(), m.len()))
}

/// The entry of `id`, loaded (again) if the file is new or changed.
fn refresh(entries: &mut BTreeMap<String, Entry>, id: &str, path: PathBuf) -> Option<Arc<Rubric>> {
    let now = stamp(&path)?;
    if let Some(e) = entries.get(id)
        && e.stamp == now
        && e.path == path
    {
        return e.rubric.clone();
    }
    let rubric = match load(&path) {
        Ok(r) => Some(Arc::new(r)),
        Err(e) => {
            super::warn(format!("{} is left out: {e}", path.display()));
            None
        }
    };
    entries.insert(
        id.to_owned(),
        Entry {
            path,
            stamp: now,
            rubric: rubric.clone(),
        },
    );
    rubric
}

/// Reads and compiles the rubric file at `path` as [`Rubric::load`] does, but only a regular
/// file: a FIFO named `x.toml` would block the server forever, a device would never end. The
/// file is opened without blocking and the opened file itself is checked, so that nothing can
/// be put in its place in between.
fn load(path: &Path) -> Result<Rubric, String> {
    use std::io::Read;
    let shown = path.display().to_string();
    let cannot = |e: std::io::Error| format!("cannot read it: {e}");
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(cannot)?;
    let kind = file.metadata().map_err(cannot)?.file_type();
    if !kind.is_file() {
        return Err(format!("it is not a regular file but {}", kind_name(kind)));
    }
    let mut bytes = Vec::new();
    file.take(MAX_RUBRIC_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > MAX_RUBRIC_BYTES {
        return Err(format!(
            "it is larger than {} MiB, far larger than any rubric",
            MAX_RUBRIC_BYTES / (1024 * 1024)
        ));
    }
    let source = String::from_utf8(bytes)
        .map_err(|_| "it is not valid UTF-8 text (save it as UTF-8; `rubric lint FILE` shows where)".to_owned())?;
    let mut rubric = Rubric::from_str(&source, &shown).map_err(|e| e.to_string())?;
    rubric.path = Some(path.to_path_buf());
    Ok(rubric)
}

/// What a file that is not a regular file is, in words.
fn kind_name(kind: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a named pipe (FIFO)";
        } else if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        } else if kind.is_socket() {
            return "a socket";
        }
    }
    if kind.is_dir() { "a folder" } else { "something else" }
}

/// `GET /api/rubrics`: what the page needs to show each rubric before any answer is checked.
#[derive(Debug, Serialize)]
pub struct Listing<'a> {
    pub schema: &'static str,
    /// The largest request body accepted, in bytes.
    pub max_answer_bytes: u64,
    /// The answer file types read, with their dot (the registry, `text::formats`): the page
    /// offers to open exactly these.
    pub answer_types: Vec<String>,
    pub rubrics: Vec<RubricInfo<'a>>,
}

#[derive(Debug, Serialize)]
pub struct RubricInfo<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub max: f64,
    pub allow_reveal: bool,
    pub questions: Vec<QuestionReport<'a, PointInfo<'a>>>,
}

/// A point before any answer: student-safe (`crate::report::safe`), so its number (`1.1`),
/// hint and `topic`, never its label, id, model answer or cues.
#[derive(Debug, Serialize)]
pub struct PointInfo<'a> {
    /// The point's number, `1.1`: what the check responses of the page name it by too.
    pub id: String,
    /// The first step of its hint.
    pub hint: &'a str,
    /// How many steps its hint has: the later ones are asked for one at a time (`GET
    /// /api/hint`).
    pub hint_steps: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub topic: Option<&'a str>,
    pub marks: f64,
    /// Whether its model answer may be asked for (`GET /api/reveal`): the rubric allows it and
    /// has one.
    pub can_reveal: bool,
}

/// Identifies the format of `GET /api/rubrics`.
pub const LISTING_SCHEMA: &str = "rubric-serve-rubrics/1";

/// Describes one rubric for the page.
pub fn info<'a>(id: &'a str, r: &'a Rubric) -> RubricInfo<'a> {
    RubricInfo {
        id,
        title: &r.title,
        max: r.max,
        allow_reveal: r.allow_reveal,
        questions: r
            .questions
            .iter()
            .enumerate()
            .map(|(qi, q)| {
                let points = q.points.iter().enumerate().map(move |(pi, p)| PointInfo {
                    id: crate::report::safe::number(qi, pi),
                    hint: &p.hint,
                    hint_steps: p.hints.len(),
                    topic: p.topic.as_deref(),
                    marks: p.marks,
                    can_reveal: r.allow_reveal && p.reveal.is_some(),
                });
                QuestionReport::new(q, None, points)
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, rel: &str, text: &str) {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn rubric() -> String {
        crate::testing::one_point_src(
            "title = \"T\"\nallow_reveal = false",
            "Why?",
            "reveal = \"The answer.\"\ncues = [\"because\"]",
        )
    }

    #[test]
    fn lists_nested_rubrics_and_leaves_out_bad_ones() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "one.toml", &rubric());
        write(dir.path(), "set/two.toml", &rubric());
        write(dir.path(), "bad.toml", "title = ");
        write(dir.path(), ".hidden/three.toml", &rubric());
        write(dir.path(), "notes.txt", "not a rubric");
        let catalog = Catalog::new(dir.path().to_path_buf());
        let ids: Vec<String> = catalog.all().into_iter().map(|(id, _)| id).collect();
        assert_eq!(ids, ["one", "set/two"]);
        assert!(catalog.get("set/two").is_some());
        assert!(catalog.get("bad").is_none());
        assert!(catalog.get("../one").is_none());
        assert!(catalog.get("three").is_none());
    }

    #[test]
    fn reloads_a_changed_rubric() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "one.toml", &rubric());
        let catalog = Catalog::new(dir.path().to_path_buf());
        assert_eq!(catalog.get("one").unwrap().title, "T");
        // A different length is enough to be seen as a change, whatever the clock's resolution.
        write(dir.path(), "one.toml", &rubric().replace("\"T\"", "\"New title\""));
        assert_eq!(catalog.get("one").unwrap().title, "New title");
        std::fs::remove_file(dir.path().join("one.toml")).unwrap();
        assert!(catalog.get("one").is_none());
        assert!(catalog.all().is_empty());
    }

    /// The listing sends no model answer, label or point id, whatever the rubric allows: a
    /// model answer is sent one point at a time, on request (`GET /api/reveal`).
    #[test]
    fn lists_no_model_answer_label_or_point_id() {
        let r = Rubric::from_str(&rubric(), "inline.toml").unwrap();
        let json = serde_json::to_string(&info("x", &r)).unwrap();
        assert!(json.contains(r#""can_reveal":false"#), "{json}");
        let open = Rubric::from_str(&rubric().replace("allow_reveal = false", ""), "inline.toml").unwrap();
        let json = serde_json::to_string(&info("x", &open)).unwrap();
        assert!(json.contains(r#""can_reveal":true"#), "{json}");
        for hidden in ["The answer.", "the point", r#""id":"p""#] {
            assert!(!json.contains(hidden), "{hidden} in {json}");
        }
    }

    /// A question of the listing is a check report's question without a score (nothing is
    /// marked yet), its keys in the same order.
    #[test]
    fn a_listed_question_has_no_score() {
        let r = Rubric::from_str(&rubric(), "inline.toml").unwrap();
        let json = serde_json::to_string(&info("x", &r)).unwrap();
        let question = r#""questions":[{"id":"q","prompt":"Why?","max":1.0,"points":[{"id":"1.1","hint":"a hint""#;
        assert!(json.contains(question), "{json}");
    }

    /// A FIFO named like a rubric would block the open forever: it is left out at once.
    #[cfg(unix)]
    #[test]
    fn a_fifo_is_left_out_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "one.toml", &rubric());
        let fifo = dir.path().join("trap.toml");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let err = load(&fifo).unwrap_err();
        assert!(err.contains("not a regular file") && err.contains("FIFO"), "{err}");
        let catalog = Catalog::new(dir.path().to_path_buf());
        let ids: Vec<String> = catalog.all().into_iter().map(|(id, _)| id).collect();
        assert_eq!(ids, ["one"]);
        assert!(catalog.get("trap").is_none());
    }

    #[test]
    fn a_single_file_is_a_catalog_of_one() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "rubric.toml", &rubric());
        let catalog = Catalog::new(dir.path().join("rubric.toml"));
        let ids: Vec<String> = catalog.all().into_iter().map(|(id, _)| id).collect();
        assert_eq!(ids, ["rubric"]);
    }
}
