//! The project configuration: an optional `.rubric/config.toml` that says which rubric (and which
//! `min_score`) applies to which answer files, so that `rubric check .`, a pre-commit hook, a CI
//! job or an editor can check a whole repository of answers without naming a rubric each time.
//!
//! ```toml
//! [[map]]
//! files = ["essays/history/**/*.md"]   # globs, relative to the project folder
//! rubric = "rubrics/stalin-rise.toml"  # relative to the project folder
//! min_score = "60%"                    # optional
//! ```
//!
//! The **project folder** is the folder that holds `.rubric/`: globs and rubric paths are relative
//! to it, whatever the current folder. The config is looked for in the current folder and its
//! parents ([`discover`]); the first `[[map]]` whose globs match a file decides its rubric.
//! Unknown keys are errors, and every error names the file, line and column, as for rubrics.
//!
//! Globs are matched against the file's path relative to the project folder, with `/` between
//! folders: `*` and `?` never cross a `/`, `**` matches any number of folders, `{a,b}` and
//! `[abc]` work as in a shell.

use std::fmt;
use std::path::{Component, Path, PathBuf};

use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use toml::Spanned;

use crate::scheme::Diagnostic;
use crate::text::lines::LineIndex;

/// The folder that holds the config, inside the project folder.
pub const CONFIG_DIR: &str = ".rubric";
/// The config file's name inside [`CONFIG_DIR`].
pub const CONFIG_FILE: &str = "config.toml";

/// The bar set by `--min-score`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Threshold {
    /// A fraction of the maximum, 0 to 1.
    Fraction(f64),
    /// Marks.
    Marks(f64),
}

impl Threshold {
    /// `0.6` and `60%` are fractions; values of 1 or more are marks.
    pub fn parse(s: &str) -> Result<Threshold, String> {
        let t = s.trim();
        let bad = || "expected a fraction (0.6), a percentage (60%) or marks (6)".to_string();
        if let Some(p) = t.strip_suffix('%') {
            let v: f64 = p.trim().parse().map_err(|_| bad())?;
            if !(0.0..=100.0).contains(&v) {
                return Err(bad());
            }
            return Ok(Threshold::Fraction(v / 100.0));
        }
        let v: f64 = t.parse().map_err(|_| bad())?;
        if !v.is_finite() || v < 0.0 {
            return Err(bad());
        }
        Ok(if v < 1.0 {
            Threshold::Fraction(v)
        } else {
            Threshold::Marks(v)
        })
    }

    /// Whether `score` out of `max` reaches the bar.
    pub fn met(self, score: f64, max: f64) -> bool {
        const EPS: f64 = 1e-9;
        match self {
            Threshold::Fraction(f) => max > 0.0 && score / max + EPS >= f,
            Threshold::Marks(m) => score + EPS >= m,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    #[serde(default)]
    map: Vec<MapFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MapFile {
    files: Spanned<Vec<Spanned<String>>>,
    rubric: Spanned<String>,
    #[serde(default)]
    min_score: Option<Spanned<toml::Value>>,
}

/// One `[[map]]` of the config: which files, which rubric, which bar.
#[derive(Debug, Clone)]
pub struct Mapping {
    /// 1-based position in the config, for messages (`map 2`).
    pub index: usize,
    /// The globs, as written.
    pub files: Vec<String>,
    /// The rubric as written in the config.
    pub rubric_shown: String,
    /// The rubric's path: the project folder joined with what is written.
    pub rubric: PathBuf,
    /// The bar, if any.
    pub min_score: Option<Threshold>,
    /// The bar as written (`60%`, `0.6`, `6`).
    pub min_score_shown: Option<String>,
    set: GlobSet,
}

impl Mapping {
    /// Whether `rel` (a `/`-separated path relative to the project folder) is one of its files.
    pub fn matches(&self, rel: &str) -> bool {
        self.set.is_match(rel)
    }
}

/// A loaded project configuration.
#[derive(Debug, Clone)]
pub struct Project {
    /// The config file.
    pub path: PathBuf,
    /// The project folder (the one holding `.rubric/`), absolute and canonical.
    pub root: PathBuf,
    pub maps: Vec<Mapping>,
}

/// Why the config could not be loaded.
#[derive(Debug)]
pub enum ConfigError {
    Io { path: String, source: std::io::Error },
    Invalid(Vec<Diagnostic>),
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::Io { path, source } => write!(f, "cannot read the project config {path}: {source}"),
            ConfigError::Invalid(ds) => {
                for (i, d) in ds.iter().enumerate() {
                    if i > 0 {
                        f.write_str("\nerror: ")?;
                    }
                    write!(f, "{d}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for ConfigError {}

/// Finds `.rubric/config.toml` in `start` or the nearest folder above it.
pub fn discover(start: &Path) -> Option<PathBuf> {
    nearest(start, &Path::new(CONFIG_DIR).join(CONFIG_FILE))
}

/// Finds `rubric.toml` in `start` (a file's folder or a folder) or the nearest folder above.
pub fn discover_rubric(start: &Path) -> Option<PathBuf> {
    nearest(start, Path::new("rubric.toml"))
}

/// The file `name` in `start` or the nearest folder above that has it, as an absolute path.
fn nearest(start: &Path, name: &Path) -> Option<PathBuf> {
    let start = if start.as_os_str().is_empty() {
        Path::new(".")
    } else {
        start
    };
    let abs = std::fs::canonicalize(start).ok()?;
    abs.ancestors().map(|d| d.join(name)).find(|c| c.is_file())
}

/// Finds and loads the config for `start` (a folder); `Ok(None)` when there is none.
pub fn find(start: &Path) -> Result<Option<Project>, ConfigError> {
    discover(start).map(|p| Project::load(&p)).transpose()
}

/// `/`-separated path of `path` relative to `base`, when `path` is inside `base` (both absolute).
fn relative_inside(path: &Path, base: &Path) -> Option<String> {
    let rel = path.strip_prefix(base).ok()?;
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    Some(parts.join("/"))
}

impl Project {
    /// Reads and checks the config file at `path` (`<project>/.rubric/config.toml`).
    pub fn load(path: &Path) -> Result<Project, ConfigError> {
        let shown = path.display().to_string();
        let io = |source| ConfigError::Io {
            path: shown.clone(),
            source,
        };
        let abs = std::fs::canonicalize(path).map_err(io)?;
        let text = std::fs::read_to_string(&abs).map_err(io)?;
        // The project folder holds `.rubric/`; a config file elsewhere (a test, `--config`-like
        // use of the library) takes its own folder.
        let folder = abs.parent().unwrap_or(Path::new("/"));
        let root = if folder.file_name().is_some_and(|n| n == CONFIG_DIR) {
            folder.parent().unwrap_or(folder).to_path_buf()
        } else {
            folder.to_path_buf()
        };
        Project::from_str(&text, &shown, &root).map(|mut p| {
            p.path = path.to_path_buf();
            p
        })
    }

    /// Checks config source text; `name` is shown in messages and `root` is the project folder
    /// (absolute) that paths are relative to.
    #[allow(clippy::should_implement_trait)]
    pub fn from_str(source: &str, name: &str, root: &Path) -> Result<Project, ConfigError> {
        let lines = LineIndex::new(source);
        let at = |offset: usize, message: String| Diagnostic::at(name, source, &lines, offset, message);
        let file: ConfigFile = toml::from_str(source).map_err(|e| {
            let offset = e.span().map(|s| s.start).unwrap_or(0);
            ConfigError::Invalid(vec![at(offset, e.message().trim().to_string())])
        })?;
        let mut errors = Vec::new();
        let mut maps = Vec::new();
        // Strings start after their opening quote(s), where the caret should point.
        let inside = |span: std::ops::Range<usize>| crate::scheme::compile::string_start(source, &span);
        for (i, m) in file.map.into_iter().enumerate() {
            let index = i + 1;
            let mut builder = GlobSetBuilder::new();
            let mut files = Vec::new();
            if m.files.get_ref().is_empty() {
                errors.push(at(m.files.span().start, "`files` must list at least one glob".into()));
            }
            for g in m.files.into_inner() {
                let span = g.span();
                let text = g.into_inner();
                if let Some(why) = glob_problem(&text) {
                    errors.push(at(inside(span), format!("glob `{text}` {why}")));
                    continue;
                }
                match compile_glob(&text) {
                    Ok(glob) => {
                        builder.add(glob);
                        files.push(text);
                    }
                    Err(e) => errors.push(at(inside(span), format!("invalid glob `{text}`: {}", e.kind()))),
                }
            }
            let set = match builder.build() {
                Ok(s) => s,
                Err(e) => {
                    errors.push(at(0, format!("invalid globs in map {index}: {e}")));
                    continue;
                }
            };
            let rubric_span = m.rubric.span();
            let rubric_shown = m.rubric.into_inner();
            let rubric = root.join(&rubric_shown);
            if rubric_shown.trim().is_empty() {
                errors.push(at(inside(rubric_span), "`rubric` is empty: name a rubric file".into()));
            } else if !rubric.is_file() {
                errors.push(at(
                    inside(rubric_span),
                    format!(
                        "no rubric file `{rubric_shown}` (paths are relative to the project folder {})",
                        root.display()
                    ),
                ));
            }
            let (min_score, min_score_shown) = match m.min_score {
                None => (None, None),
                Some(v) => {
                    let span = v.span();
                    let text = match v.get_ref() {
                        toml::Value::String(s) => Some(s.clone()),
                        toml::Value::Integer(n) => Some(n.to_string()),
                        toml::Value::Float(x) => Some(x.to_string()),
                        _ => None,
                    };
                    match text.as_deref().map(Threshold::parse) {
                        Some(Ok(t)) => (Some(t), text),
                        _ => {
                            errors.push(at(
                                inside(span),
                                "invalid `min_score`: expected a fraction (0.6), a percentage (\"60%\") or marks (6)"
                                    .into(),
                            ));
                            (None, None)
                        }
                    }
                }
            };
            maps.push(Mapping {
                index,
                files,
                rubric_shown,
                rubric,
                min_score,
                min_score_shown,
                set,
            });
        }
        if !errors.is_empty() {
            return Err(ConfigError::Invalid(errors));
        }
        Ok(Project {
            path: PathBuf::from(name),
            root: root.to_path_buf(),
            maps,
        })
    }

    /// The path of `file` relative to the project folder (`/`-separated), if it is inside it.
    /// `file` is made canonical; a file not saved yet, through its folder.
    pub fn relative(&self, file: &Path) -> Option<String> {
        let abs = std::fs::canonicalize(file).ok().or_else(|| {
            let parent = file
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            Some(std::fs::canonicalize(parent).ok()?.join(file.file_name()?))
        })?;
        relative_inside(&abs, &self.root)
    }

    /// The first mapping whose globs match `file`.
    pub fn mapping_for(&self, file: &Path) -> Option<&Mapping> {
        let rel = self.relative(file)?;
        self.maps.iter().find(|m| m.matches(&rel))
    }
}

/// Why a glob can never match a path relative to the project folder.
fn glob_problem(glob: &str) -> Option<&'static str> {
    if glob.trim().is_empty() {
        return Some("is empty");
    }
    if glob.starts_with('/') || glob.starts_with('\\') || Path::new(glob).is_absolute() {
        return Some("must be relative to the project folder (no leading `/`)");
    }
    if Path::new(glob).components().any(|c| c == Component::ParentDir) {
        return Some("must stay inside the project folder (no `..`)");
    }
    None
}

/// `*` stays inside one folder; `**` crosses folders. A leading `./` is dropped.
fn compile_glob(glob: &str) -> Result<Glob, globset::Error> {
    let glob = glob.strip_prefix("./").unwrap_or(glob);
    GlobBuilder::new(glob)
        .literal_separator(true)
        .backslash_escape(true)
        .build()
}

/// `path` (absolute) written relative to `base` (absolute) with `..` where needed, for showing
/// paths relative to the current folder.
pub fn relative_to(path: &Path, base: &Path) -> PathBuf {
    let p: Vec<Component> = path.components().collect();
    let b: Vec<Component> = base.components().collect();
    let common = p.iter().zip(&b).take_while(|(x, y)| x == y).count();
    if common == 0 {
        return path.to_path_buf();
    }
    let mut out = PathBuf::new();
    for _ in common..b.len() {
        out.push("..");
    }
    for c in &p[common..] {
        out.push(c.as_os_str());
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds() {
        assert_eq!(Threshold::parse("0.6"), Ok(Threshold::Fraction(0.6)));
        assert_eq!(Threshold::parse("60%"), Ok(Threshold::Fraction(0.6)));
        assert_eq!(Threshold::parse("6"), Ok(Threshold::Marks(6.0)));
        assert!(Threshold::parse("abc").is_err());
        assert!(Threshold::parse("-1").is_err());
        assert!(Threshold::parse("150%").is_err());
        assert!(Threshold::Fraction(0.6).met(6.0, 10.0));
        assert!(!Threshold::Fraction(0.6).met(5.5, 10.0));
        assert!(Threshold::Marks(6.0).met(6.0, 10.0));
        assert!(!Threshold::Marks(6.0).met(5.0, 10.0));
    }

    #[test]
    fn the_nearest_rubric_is_found_above() {
        let dir = tempfile::tempdir().unwrap();
        let deep = dir.path().join("a").join("b");
        std::fs::create_dir_all(&deep).unwrap();
        assert_eq!(discover_rubric(&deep), None);
        std::fs::write(dir.path().join("a").join("rubric.toml"), "").unwrap();
        let found = discover_rubric(&deep).unwrap();
        assert_eq!(
            found,
            std::fs::canonicalize(dir.path().join("a")).unwrap().join("rubric.toml")
        );
        // A folder named rubric.toml is not a rubric.
        std::fs::create_dir(deep.join("rubric.toml")).unwrap();
        assert_eq!(discover_rubric(&deep), Some(found));
        assert_eq!(discover(&deep), None);
    }

    fn project(src: &str) -> Result<Project, ConfigError> {
        let root = std::env::current_dir().unwrap();
        Project::from_str(src, ".rubric/config.toml", &root)
    }

    #[test]
    fn globs_match_relative_paths() {
        let p = project(
            r#"
[[map]]
files = ["samples/stalin/*.txt", "essays/**/*.md"]
rubric = "rubrics/stalin-rise.toml"
min_score = "60%"
"#,
        )
        .unwrap();
        let m = &p.maps[0];
        assert!(m.matches("samples/stalin/strong.txt"));
        assert!(!m.matches("samples/stalin/sub/strong.txt"));
        assert!(m.matches("essays/a.md"));
        assert!(m.matches("essays/history/y10/a.md"));
        assert!(!m.matches("essays/a.txt"));
        assert_eq!(m.min_score, Some(Threshold::Fraction(0.6)));
    }

    #[test]
    fn numbers_are_bars_too() {
        let p = project("[[map]]\nfiles = [\"*.md\"]\nrubric = \"rubrics/stalin-rise.toml\"\nmin_score = 6\n").unwrap();
        assert_eq!(p.maps[0].min_score, Some(Threshold::Marks(6.0)));
        let p =
            project("[[map]]\nfiles = [\"*.md\"]\nrubric = \"rubrics/stalin-rise.toml\"\nmin_score = 0.5\n").unwrap();
        assert_eq!(p.maps[0].min_score, Some(Threshold::Fraction(0.5)));
    }

    #[test]
    fn errors_are_located() {
        let e = project("[[map]]\nfiles = [\"*.md\"]\nrubrik = \"x.toml\"\n").unwrap_err();
        let s = e.to_string();
        assert!(s.starts_with(".rubric/config.toml:3:1: unknown field `rubrik`"), "{s}");
        let e = project("[[map]]\nfiles = [\"a/[b\"]\nrubric = \"rubrics/stalin-rise.toml\"\n").unwrap_err();
        assert!(
            e.to_string()
                .starts_with(".rubric/config.toml:2:11: invalid glob `a/[b`"),
            "{e}"
        );
        let e =
            project("[[map]]\nfiles = [\"../x/*.md\"]\nrubric = \"nope.toml\"\nmin_score = \"lots\"\n").unwrap_err();
        let s = e.to_string();
        assert!(s.contains(":2:11: glob `../x/*.md` must stay inside"), "{s}");
        assert!(s.contains(":3:11: no rubric file `nope.toml`"), "{s}");
        assert!(s.contains(":4:14: invalid `min_score`"), "{s}");
    }

    #[test]
    fn relative_paths() {
        assert_eq!(relative_to(Path::new("/a/b/c"), Path::new("/a")), PathBuf::from("b/c"));
        assert_eq!(
            relative_to(Path::new("/a/b/c"), Path::new("/a/d")),
            PathBuf::from("../b/c")
        );
        assert_eq!(relative_to(Path::new("/a"), Path::new("/a")), PathBuf::from("."));
    }
}
