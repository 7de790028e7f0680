//! THE folder walker: how `rubric mark DIR` and `rubric check DIR` find answer files, and how
//! `rubric serve` finds rubric files. One rule set, so a folder gives the same answers to every
//! command (docs/answers.md):
//!
//! - folders are walked recursively, each folder's entries in name order (byte order), so that
//!   every run sees the files in the same order;
//! - hidden files and folders (a name starting with `.`: `.git/`, `.rubric/`, `.draft.md`), the
//!   `__MACOSX` folders of zip archives, Office lock files (`~$essay.docx`) and build folders
//!   (`target/`, `node_modules/`) are left out silently; a path given is always walked, whatever
//!   its name;
//! - symbolic links are followed, to files and to folders, but no folder is entered twice: each
//!   folder's canonical path is remembered, which also stops symbolic-link loops (listed as
//!   skipped). A file reached twice (through a link, or named twice) is taken once; a link that
//!   leads nowhere is taken, and reading it reports the problem;
//! - which files are taken is the caller's [`Select`]: answer files ([`Select::ANSWERS`], the
//!   registry of answer formats), every file (`check` with a project config picks among them),
//!   or rubric files (`serve`).
//!
//! It lives in `batch/`, the lowest layer that knows sets of files (the answers of a class);
//! `text/` reads one answer, and everything that walks (`project`, `cli`, `serve`) sits above
//! `batch/`.
//!
//! What is left out, and how:
//! - the names above are left out silently;
//! - files that [`Select::file`] refuses are listed as skipped, with the reason (`unsupported
//!   type .pdf`);
//! - folders that cannot be read, and paths that do not exist, are listed as problems;
//! - the rubric is left out silently; files that this run's outputs would write over (an output
//!   file, a file directly in an output folder) are taken, and listed in [`Walk::claimed`] for
//!   the caller to decide.

use std::collections::{HashMap, HashSet};
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::{fmt, fs};

use rayon::prelude::*;

use crate::text::formats;

/// An answer file found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The path to read, as walked from the path given (not canonicalised).
    pub path: PathBuf,
    /// Index of the path argument it was found under.
    pub root: usize,
    /// Whether that argument is a folder (rather than the file itself).
    pub root_is_dir: bool,
    /// The path relative to that argument, `/`-separated; the file name when the argument is
    /// the file itself.
    pub rel: String,
}

/// A file left out on purpose, with the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub file: String,
    pub reason: String,
}

/// A path that could not be walked: a missing argument, an unreadable folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    pub reason: String,
}

/// Everything the walk found.
#[derive(Debug, Default)]
pub struct Walk {
    pub files: Vec<Found>,
    pub skipped: Vec<Skipped>,
    pub problems: Vec<Problem>,
    /// Indices in `files` of the files that are one of [`Ignore::outputs`] or sit directly in
    /// one of [`Ignore::output_dirs`]: this run would write over them (in index order).
    pub claimed: Vec<usize>,
}

impl Walk {
    /// Lists `file` as left out on purpose, for `reason`.
    fn skip(&mut self, file: impl fmt::Display, reason: impl Into<String>) {
        let (file, reason) = (file.to_string(), reason.into());
        self.skipped.push(Skipped { file, reason });
    }

    /// Lists `file` as a path that could not be walked, for `reason`.
    fn problem(&mut self, file: impl fmt::Display, reason: impl Into<String>) {
        let (file, reason) = (file.to_string(), reason.into());
        self.problems.push(Problem { file, reason });
    }
}

/// Paths the walk treats apart: the rubric, left out silently, and this run's outputs, listed
/// in [`Walk::claimed`] when found (the caller makes sure they are reports it wrote, not
/// answers, before writing over them).
#[derive(Debug, Default, Clone)]
pub struct Ignore {
    /// Canonical paths of files left out silently, unless named as a path to mark.
    pub files: HashSet<PathBuf>,
    /// Canonical paths of folders not entered.
    pub dirs: HashSet<PathBuf>,
    /// Canonical paths of this run's output files.
    pub outputs: HashSet<PathBuf>,
    /// Canonical paths of this run's output folders (files are written directly in them).
    pub output_dirs: HashSet<PathBuf>,
}

/// Which files a walk takes, and how deep it goes.
#[derive(Debug, Clone, Copy)]
pub struct Select {
    /// Whether a file found is taken; `Err` holds the reason it is skipped.
    pub file: fn(&Path) -> Result<(), String>,
    /// Most folder levels entered below a folder given (0: its own entries only).
    pub max_depth: usize,
    /// Whether files that are not regular files (FIFOs, devices) are taken rather than listed as
    /// skipped: for a caller that opens them safely and says why it refuses them.
    pub special_files: bool,
}

impl Select {
    /// The answer files: the registry of answer formats ([`supported`]), at any depth.
    pub const ANSWERS: Select = Select {
        file: supported,
        max_depth: usize::MAX,
        special_files: false,
    };
    /// Every file, at any depth.
    pub const EVERY_FILE: Select = Select {
        file: |_| Ok(()),
        max_depth: usize::MAX,
        special_files: false,
    };
}

/// Names of folders that hold what a build made, never answers: left out when found.
const BUILD_DIRS: &[&str] = &["target", "node_modules"];

/// Whether a file name has an answer type (one of [`formats::FORMATS`]); `Err` gives the reason
/// it has not.
pub fn supported(path: &Path) -> Result<(), String> {
    if formats::is_answer(path) {
        return Ok(());
    }
    match path.extension().and_then(|e| e.to_str()) {
        Some(ext) => Err(format!("unsupported type .{}", ext.to_lowercase())),
        None => match path.extension() {
            // Not valid Unicode: show it lossily.
            Some(ext) => Err(format!("unsupported type .{}", ext.to_string_lossy())),
            None => Err("unsupported type (no extension)".to_string()),
        },
    }
}

/// Names left out silently when found in a folder: hidden, Office lock files, and the
/// `__MACOSX` folders of zip archives.
fn hidden(name: &str) -> bool {
    name.starts_with('.') || name.starts_with("~$") || name == "__MACOSX"
}

struct Walker<'a> {
    ignore: &'a Ignore,
    select: Select,
    /// `ignore.files` as plain strings: a path's hash walks its components, and a batch can
    /// hold 100,000 files.
    ignore_files: rustc_hash::FxHashSet<OsString>,
    out: Walk,
    /// Canonical folders entered, with the path they were entered by.
    dirs: HashMap<PathBuf, String>,
    /// Canonical files taken (as plain strings, see `ignore_files`), with the index in
    /// `out.files` of the path they were taken by: made the first time a file may have been
    /// taken before (a link, a path given), which a folder's own regular files never are (no
    /// folder is entered twice). Until then the regular files taken are listed in `pending`.
    /// A batch of 100,000 files in one folder never needs it.
    files: Option<rustc_hash::FxHashMap<OsString, usize>>,
    /// Regular files taken from folders while `files` is not made: (index in `canon_dirs` of
    /// the folder, index in `out.files`). Their canonical path is the folder's joined with
    /// their name.
    pending: Vec<(usize, usize)>,
    /// Canonical paths of the folders entered.
    canon_dirs: Vec<PathBuf>,
}

/// How a file was found: in a folder as a regular file (its canonical path is the folder's,
/// `canon_dirs[folder]`, joined with its name), or otherwise (a link, a path given).
enum Reached {
    InFolder(usize),
    Other,
}

/// The [`Found`] the walk made for `path`, found from `paths[root]` (a folder when
/// `root_is_dir`): its relative path made again from the path.
pub fn found_again(path: PathBuf, paths: &[PathBuf], root: usize, root_is_dir: bool) -> Found {
    let lossy = |p: &Path| p.to_string_lossy().into_owned();
    let rel = match paths.get(root) {
        Some(arg) if root_is_dir => match path.strip_prefix(arg) {
            Ok(rest) => rest
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/"),
            Err(_) => lossy(&path),
        },
        _ => path.file_name().map_or_else(|| lossy(&path), |n| lossy(Path::new(n))),
    };
    Found {
        path,
        root,
        root_is_dir,
        rel,
    }
}

/// Walks the given paths (files or folders) and lists the answer files, in a fixed order: the
/// arguments in order, each folder's entries by name.
pub fn walk(paths: &[PathBuf], ignore: &Ignore) -> Walk {
    walk_selecting(paths, ignore, Select::ANSWERS)
}

/// Walks the given paths as [`walk`] does, taking the files `select` takes.
pub fn walk_selecting(paths: &[PathBuf], ignore: &Ignore, select: Select) -> Walk {
    let mut w = Walker {
        ignore,
        select,
        out: Walk::default(),
        ignore_files: ignore.files.iter().map(|p| p.clone().into_os_string()).collect(),
        dirs: HashMap::new(),
        files: None,
        pending: Vec::new(),
        canon_dirs: Vec::new(),
    };
    for (root, path) in paths.iter().enumerate() {
        match fs::metadata(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                w.out.problem(path.display(), "no such file or folder")
            }
            Err(e) => w.out.problem(path.display(), format!("cannot read: {e}")),
            Ok(m) if m.is_dir() => w.dir(path, root, "", &mut Vec::new()),
            Ok(_) => {
                let rel = path
                    .file_name()
                    .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
                match (select.file)(path) {
                    Ok(()) => w.file(path.clone(), root, false, rel, true, Reached::Other),
                    Err(reason) => w.out.skip(path.display(), reason),
                }
            }
        }
    }
    w.out
}

/// A folder entry, sorted out.
enum Entry {
    /// Left out silently.
    Hidden,
    Dir {
        path: PathBuf,
        rel: String,
    },
    Unsupported {
        path: PathBuf,
        reason: String,
    },
    /// A file of an answer type; `regular` when it is a regular file (not a link), whose
    /// canonical path is then its folder's joined with its name (no system call needed).
    File {
        path: PathBuf,
        name: OsString,
        rel: String,
        regular: bool,
    },
}

/// Sorts out one entry of folder `dir` (whose relative path is `rel`), named `name`, of type
/// `file_type` as the folder listing gave it. Symbolic links are followed: a link to a folder
/// is walked like a folder. Files are taken as `select` says.
fn prepare(name: OsString, file_type: std::io::Result<fs::FileType>, dir: &Path, rel: &str, select: &Select) -> Entry {
    // Checked as UTF-8 first: nearly every name is, and the lossy conversion is slower.
    let name_str = match name.to_str() {
        Some(s) => std::borrow::Cow::Borrowed(s),
        None => name.to_string_lossy(),
    };
    if hidden(&name_str) {
        return Entry::Hidden;
    }
    let path = dir.join(&name);
    let is_dir = match &file_type {
        Ok(t) if t.is_symlink() => fs::metadata(&path).is_ok_and(|m| m.is_dir()),
        Ok(t) => t.is_dir(),
        Err(_) => fs::metadata(&path).is_ok_and(|m| m.is_dir()),
    };
    let child_rel = || {
        if rel.is_empty() {
            name_str.to_string()
        } else {
            format!("{rel}/{name_str}")
        }
    };
    if is_dir {
        if BUILD_DIRS.contains(&&*name_str) {
            return Entry::Hidden;
        }
        return Entry::Dir { path, rel: child_rel() };
    }
    if let Err(reason) = (select.file)(&path) {
        return Entry::Unsupported { path, reason };
    }
    let rel = child_rel();
    drop(name_str);
    Entry::File {
        path,
        name,
        rel,
        regular: file_type.is_ok_and(|t| t.is_file()),
    }
}

impl Walker<'_> {
    fn dir(&mut self, dir: &Path, root: usize, rel: &str, chain: &mut Vec<PathBuf>) {
        let shown = dir.display().to_string();
        let canon = match fs::canonicalize(dir) {
            Ok(c) => c,
            Err(e) => return self.out.problem(shown, format!("cannot read folder: {e}")),
        };
        if self.ignore.dirs.contains(&canon) {
            return;
        }
        if chain.contains(&canon) {
            return self
                .out
                .skip(shown, "symbolic link loop (leads back to a folder that contains it)");
        }
        if let Some(first) = self.dirs.get(&canon) {
            return self
                .out
                .skip(shown, format!("same folder as {first}, already included"));
        }
        self.dirs.insert(canon.clone(), shown.clone());
        let entries = match fs::read_dir(dir) {
            Ok(rd) => rd,
            Err(e) => return self.out.problem(shown, format!("cannot read folder: {e}")),
        };
        let mut list = Vec::new();
        for entry in entries {
            match entry {
                // The entry's name and type (from the folder listing on most systems); the
                // entry itself is let go here, on the thread that made it.
                Ok(e) => list.push((e.file_name(), e.file_type())),
                Err(e) => self.out.problem(&shown, format!("cannot read folder: {e}")),
            }
        }
        // Names taken once: a key function would make two names per comparison.
        list.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
        chain.push(canon);
        let select = self.select;
        // `chain` holds this folder and those above it, up to the folder given.
        let deeper = chain.len() <= select.max_depth;
        // What each entry is, found on the rayon pool (a folder can hold 100,000 files: paths,
        // names and types cost more than the rest); then taken in name order.
        let prepared: Vec<Entry> = list
            .into_par_iter()
            .map(|(name, file_type)| prepare(name, file_type, dir, rel, &select))
            .collect();
        // Room for every file at once: a folder can hold 100,000.
        if let Some(files) = &mut self.files {
            files.reserve(prepared.len());
        }
        self.out.files.reserve(prepared.len());
        let folder = self.canon_dirs.len();
        self.canon_dirs.push(chain.last().cloned().unwrap_or_default());
        // The names of this folder's files that are to be left out (nearly always none).
        let ignored: Vec<OsString> = self
            .ignore_files
            .iter()
            .map(Path::new)
            .filter(|p| p.parent() == chain.last().map(PathBuf::as_path))
            .filter_map(|p| p.file_name().map(OsString::from))
            .collect();
        // This run's outputs in this folder, and whether it is an output folder.
        let here = chain.last().map(PathBuf::as_path);
        let outputs: Vec<&OsStr> = self
            .ignore
            .outputs
            .iter()
            .filter(|p| p.parent() == here)
            .filter_map(|p| p.file_name())
            .collect();
        let output_dir = here.is_some_and(|d| self.ignore.output_dirs.contains(d));
        for e in prepared {
            match e {
                Entry::Hidden => {}
                Entry::Dir { path, rel } if deeper => self.dir(&path, root, &rel, chain),
                Entry::Dir { .. } => {}
                Entry::Unsupported { path, reason } => self.out.skip(path.display(), reason),
                Entry::File {
                    path,
                    name,
                    rel,
                    regular,
                } => {
                    // A regular file (not a link) in a folder whose canonical path is known:
                    // its own canonical path needs no system calls (a batch can hold 100,000
                    // files), and is made only if needed.
                    if regular {
                        if !ignored.contains(&name) {
                            let claimed = output_dir || outputs.contains(&name.as_os_str());
                            let before = self.out.files.len();
                            self.file(path, root, true, rel, false, Reached::InFolder(folder));
                            if claimed && self.out.files.len() > before {
                                self.out.claimed.push(before);
                            }
                        }
                    } else {
                        self.file(path, root, true, rel, false, Reached::Other);
                    }
                }
            }
        }
        chain.pop();
    }

    /// Skips a file taken before as `out.files[first]`.
    fn same_file(&mut self, file: String, first: usize) {
        let first = self.out.files[first].path.display().to_string();
        self.out.skip(file, format!("same file as {first}, already included"));
    }

    /// One file of a supported type, found as `reached` says.
    fn file(&mut self, path: PathBuf, root: usize, root_is_dir: bool, rel: String, explicit: bool, reached: Reached) {
        let shown = || path.display().to_string();
        // Whether this run writes over the file (known here for files reached otherwise than
        // in their folder; the folder's walk says it for the others).
        let mut claimed = false;
        match reached {
            Reached::InFolder(folder) => match &mut self.files {
                Some(files) => {
                    let canon = self.canon_dirs[folder].join(path.file_name().unwrap_or_default());
                    if let Some(&first) = files.get(canon.as_os_str()) {
                        self.same_file(shown(), first);
                        return;
                    }
                    files.insert(canon.into_os_string(), self.out.files.len());
                }
                None => self.pending.push((folder, self.out.files.len())),
            },
            // A dangling link has no canonical path: it is kept, and reading it reports the
            // problem.
            Reached::Other => {
                if let Ok(canon) = fs::canonicalize(&path) {
                    let canon = canon.into_os_string();
                    if self.ignore_files.contains(&canon) && !explicit {
                        return;
                    }
                    claimed = self.claims(Path::new(&canon));
                    if !self.select.special_files && fs::metadata(&canon).is_ok_and(|m| !m.is_file()) {
                        return self.out.skip(shown(), "not a regular file");
                    }
                    let files = self.files.get_or_insert_with(|| {
                        // The regular files taken so far, by their canonical paths.
                        let out = &self.out.files;
                        let dirs = &self.canon_dirs;
                        self.pending
                            .drain(..)
                            .map(|(folder, i)| {
                                let name = out[i].path.file_name().unwrap_or_default();
                                (dirs[folder].join(name).into_os_string(), i)
                            })
                            .collect()
                    });
                    match files.entry(canon) {
                        std::collections::hash_map::Entry::Occupied(e) => {
                            let first = *e.get();
                            self.same_file(shown(), first);
                            return;
                        }
                        std::collections::hash_map::Entry::Vacant(e) => {
                            e.insert(self.out.files.len());
                        }
                    }
                }
            }
        }
        if claimed {
            self.out.claimed.push(self.out.files.len());
        }
        self.out.files.push(Found {
            path,
            root,
            root_is_dir,
            rel,
        });
    }

    /// Whether a file of this canonical path is one this run writes over.
    fn claims(&self, canon: &Path) -> bool {
        self.ignore.outputs.contains(canon)
            || canon
                .parent()
                .is_some_and(|folder| self.ignore.output_dirs.contains(folder))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A temporary folder holding `files`, each written with its own name (a name ending in
    /// `/` is an empty folder).
    fn folder_with(files: &[&str]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("tempdir");
        for f in files {
            let path = dir.path().join(f);
            let folder = if f.ends_with('/') {
                path.as_path()
            } else {
                path.parent().expect("parent")
            };
            fs::create_dir_all(folder).expect("mkdir");
            if !f.ends_with('/') {
                fs::write(&path, f).expect("write");
            }
        }
        dir
    }

    #[test]
    fn extensions() {
        assert!(supported(Path::new("a/b.TXT")).is_ok());
        assert!(supported(Path::new("b.docx")).is_ok());
        assert!(supported(Path::new("b.htm")).is_ok());
        assert!(supported(Path::new("b.mdown")).is_ok());
        assert!(supported(Path::new("b.XHTML")).is_ok());
        assert!(supported(Path::new("b.PDF")).is_ok());
        assert_eq!(supported(Path::new("b.doc")), Err("unsupported type .doc".to_string()));
        assert_eq!(
            supported(Path::new("README")),
            Err("unsupported type (no extension)".to_string())
        );
    }

    #[test]
    fn hidden_names() {
        assert!(hidden(".git"));
        assert!(hidden("~$answer.docx"));
        assert!(hidden("__MACOSX"));
        assert!(!hidden("answer.txt"));
    }

    #[test]
    fn walks_in_name_order_and_skips() {
        let dir = folder_with(&["b/inner/z.md", "a.txt", "c.rtf", ".hidden.txt", ".git/x.txt"]);
        let d = dir.path();
        let w = walk(&[d.to_path_buf()], &Ignore::default());
        let rels: Vec<&str> = w.files.iter().map(|f| f.rel.as_str()).collect();
        assert_eq!(rels, ["a.txt", "b/inner/z.md"]);
        assert_eq!(w.skipped.len(), 1);
        assert_eq!(w.skipped[0].reason, "unsupported type .rtf");
        assert!(w.problems.is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loops_and_twice_reached_files() {
        let dir = folder_with(&["sub/a.txt"]);
        let d = dir.path();
        std::os::unix::fs::symlink("..", d.join("sub/up")).expect("symlink");
        std::os::unix::fs::symlink("a.txt", d.join("sub/link.txt")).expect("symlink");
        std::os::unix::fs::symlink("missing.txt", d.join("sub/dangling.txt")).expect("symlink");
        let w = walk(&[d.to_path_buf(), d.join("sub/a.txt")], &Ignore::default());
        let rels: Vec<&str> = w.files.iter().map(|f| f.rel.as_str()).collect();
        // The dangling link is kept: reading it will report it.
        assert_eq!(rels, ["sub/a.txt", "sub/dangling.txt"]);
        let reasons: Vec<&str> = w.skipped.iter().map(|s| s.reason.as_str()).collect();
        assert_eq!(reasons.len(), 3, "{reasons:?}");
        assert!(reasons[0].starts_with("same file as"), "{reasons:?}");
        assert!(reasons[1].starts_with("symbolic link loop"), "{reasons:?}");
        assert!(reasons[2].starts_with("same file as"), "{reasons:?}");
    }

    /// Whichever way a file is reached first (a link, its own folder, its path given), the
    /// later ways are the duplicates, in every order.
    #[test]
    fn a_file_is_taken_the_first_way_it_is_reached() {
        let dir = folder_with(&["a/", "b/real.txt", "b/other.txt"]);
        let d = dir.path();
        // A link in a folder walked before the file's own folder.
        std::os::unix::fs::symlink("../b/real.txt", d.join("a/link.txt")).expect("symlink");
        let w = walk(&[d.to_path_buf()], &Ignore::default());
        let rels: Vec<&str> = w.files.iter().map(|f| f.rel.as_str()).collect();
        assert_eq!(rels, ["a/link.txt", "b/other.txt"]);
        assert_eq!(w.skipped.len(), 1, "{:?}", w.skipped);
        assert!(w.skipped[0].file.ends_with("b/real.txt"), "{:?}", w.skipped);
        assert!(w.skipped[0].reason.contains("a/link.txt"), "{:?}", w.skipped);
        // The file's path given first, then its folder, then the folder with the link.
        let w = walk(&[d.join("b/real.txt"), d.join("b"), d.join("a")], &Ignore::default());
        let rels: Vec<&str> = w.files.iter().map(|f| f.rel.as_str()).collect();
        assert_eq!(rels, ["real.txt", "other.txt"]);
        assert_eq!(w.skipped.len(), 2, "{:?}", w.skipped);
        assert!(
            w.skipped.iter().all(|s| s.reason.starts_with("same file as")),
            "{:?}",
            w.skipped
        );
        // The folder first, then the link, then the path given: the folder's file is kept.
        let w = walk(&[d.join("b"), d.join("a"), d.join("b/real.txt")], &Ignore::default());
        let rels: Vec<&str> = w.files.iter().map(|f| f.rel.as_str()).collect();
        assert_eq!(rels, ["other.txt", "real.txt"]);
        assert_eq!(w.skipped.len(), 2, "{:?}", w.skipped);
        // A file of a walked folder that is to be ignored (this run's output, the rubric) is
        // left out silently, but not when its path is given.
        let ignore = Ignore {
            files: [fs::canonicalize(d.join("b/other.txt")).expect("canon")]
                .into_iter()
                .collect(),
            ..Ignore::default()
        };
        let w = walk(&[d.join("b")], &ignore);
        let rels: Vec<&str> = w.files.iter().map(|f| f.rel.as_str()).collect();
        assert_eq!(rels, ["real.txt"]);
        assert!(w.skipped.is_empty(), "{:?}", w.skipped);
        let w = walk(&[d.join("b/other.txt")], &ignore);
        assert_eq!(w.files.len(), 1);
    }

    /// Files this run writes over are listed, however they are reached: in their folder, by a
    /// link, by their path.
    #[cfg(unix)]
    #[test]
    fn files_an_output_writes_over_are_claimed() {
        let dir = folder_with(&[
            "class/amy.txt",
            "class/bob.txt",
            "class/feedback/amy.md",
            "class/zed.txt",
        ]);
        let d = dir.path();
        std::os::unix::fs::symlink("bob.txt", d.join("class/link.txt")).expect("symlink");
        let canon = |p: &str| fs::canonicalize(d.join(p)).expect("canon");
        let ignore = Ignore {
            outputs: [canon("class/bob.txt")].into_iter().collect(),
            output_dirs: [canon("class/feedback")].into_iter().collect(),
            ..Ignore::default()
        };
        let claimed = |w: &Walk| -> Vec<String> { w.claimed.iter().map(|&i| w.files[i].rel.clone()).collect() };
        let w = walk(&[d.join("class")], &ignore);
        assert_eq!(claimed(&w), ["bob.txt", "feedback/amy.md"]);
        // Reached by a link first, then in its folder (already included).
        let w = walk(&[d.join("class/link.txt"), d.join("class")], &ignore);
        assert_eq!(claimed(&w), ["link.txt", "feedback/amy.md"]);
        let w = walk(&[d.join("class/bob.txt")], &ignore);
        assert_eq!(claimed(&w), ["bob.txt"]);
    }

    /// What the walk found can be made again from the path (to give ids again).
    #[test]
    fn founds_are_made_again_from_their_paths() {
        let dir = folder_with(&[
            "class/a.txt",
            "class/Amy Jones/essay.md",
            "class/Amy Jones/drafts/x.txt",
            "b.txt",
        ]);
        let d = dir.path();
        let paths = [d.join("class/"), d.join("b.txt"), d.join("class/./Amy Jones")];
        let w = walk(&paths, &Ignore::default());
        assert_eq!(w.files.len(), 4);
        for f in &w.files {
            assert_eq!(&found_again(f.path.clone(), &paths, f.root, f.root_is_dir), f);
        }
    }

    #[test]
    fn missing_paths_are_problems() {
        let w = walk(&[PathBuf::from("/no/such/folder/here")], &Ignore::default());
        assert_eq!(w.problems.len(), 1);
        assert_eq!(w.problems[0].reason, "no such file or folder");
    }
}
