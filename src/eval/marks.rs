//! Reading a marks file: a CSV or TSV, with a header row, of answers marked by people.
//!
//! Columns are chosen by header name. Quoting follows RFC 4180 in both CSV and TSV (a field
//! in double quotes may hold the delimiter, line breaks and doubled quotes `""`), which is how
//! spreadsheets and most data sets (ASAP-SAS among them) write TSV too. The file may start
//! with a UTF-8 byte order mark, use CRLF line ends, or be UTF-16 or Windows-1252 (decoded
//! like answers, see [`crate::text::read::decode`]).
//!
//! A row that cannot be used (too few fields, no id, a score that is not a whole number, an
//! unreadable answer file...) is not fatal: it is kept as a [`RowProblem`] with its line
//! number and the other rows are read. Problems with the file as a whole (unreadable, no
//! header, a column that is not there) are a [`MarksError`].
//!
//! **Answer files** (`--file-col`) are read only inside one folder: the marks file's, or
//! [`MarksSpec::base`]. A marks file comes from elsewhere (a colleague, a data set) and must not
//! make the tool read, and print the start of, any file the user can read: an absolute path, a
//! path that climbs out with `..`, or one that leads out through a symbolic link (paths are
//! resolved, then checked) is refused for its row unless [`MarksSpec::allow_outside`]. Only
//! regular files are read: a FIFO, socket or device is refused (opened without blocking, then
//! checked), so a FIFO named in a marks file cannot hang the run.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::text::read::{self, Format, Limits, ReadError};

/// Where each answer's text comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextSource {
    /// The column holds the answer text itself.
    Inline(String),
    /// The column holds a path to the answer file, relative to the marks file.
    File(String),
    /// Not chosen: use a column `text` (inline) if there is one, else `file` (paths).
    Default,
}

/// What to read from a marks file.
#[derive(Debug, Clone)]
pub struct MarksSpec {
    /// Column of the answer id (default `id`).
    pub id_col: String,
    /// Column of the human score (default `score`).
    pub score_col: String,
    pub text: TextSource,
    /// Keep only the rows whose column equals the value (after trimming): `(column, value)`.
    pub filters: Vec<(String, String)>,
    /// Per-point labels: `(point id, column)`; cells 1/0, yes/no, true/false, y/n (empty:
    /// not labelled).
    pub point_cols: Vec<(String, String)>,
    /// Field delimiter; `None` chooses from the extension (`.tsv`/`.tab` tab, `.csv` comma)
    /// or, for other names, from the header line.
    pub delimiter: Option<u8>,
    /// The folder answer files are read from (`--base`); `None`: the marks file's folder.
    pub base: Option<PathBuf>,
    /// Read answer files outside that folder too: absolute paths, `..`, symbolic links that
    /// lead out (`--allow-outside`).
    pub allow_outside: bool,
}

impl Default for MarksSpec {
    fn default() -> Self {
        MarksSpec {
            id_col: "id".into(),
            score_col: "score".into(),
            text: TextSource::Default,
            filters: Vec::new(),
            point_cols: Vec::new(),
            delimiter: None,
            base: None,
            allow_outside: false,
        }
    }
}

/// One usable row.
#[derive(Debug, Clone)]
pub struct Answer {
    pub id: String,
    /// 1-based line of the row in the marks file.
    pub line: u64,
    /// The human score.
    pub score: i64,
    pub text: String,
    pub format: Format,
    /// One entry per [`MarksSpec::point_cols`]: the human's label, `None` when the cell is empty.
    pub labels: Vec<Option<bool>>,
    /// Whether the human read this answer point by point (`eval --overrides`): a point without
    /// a label is then taken as the human agreeing with the tool.
    pub reviewed: bool,
}

/// A row that was skipped, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RowProblem {
    pub line: u64,
    pub message: String,
}

/// The usable rows of a marks file, and what was set aside.
#[derive(Debug, Clone)]
pub struct Marks {
    /// The path as given.
    pub path: String,
    pub delimiter: u8,
    /// The header name of each column used: id, score, text.
    pub id_col: String,
    pub score_col: String,
    pub text_col: String,
    /// Whether `text_col` holds paths to answer files.
    pub text_is_file: bool,
    pub answers: Vec<Answer>,
    pub problems: Vec<RowProblem>,
    /// Rows left out by the filters.
    pub filtered_out: usize,
}

impl Marks {
    /// The lowest and highest human score, `None` without answers.
    pub fn score_range(&self) -> Option<(i64, i64)> {
        let lo = self.answers.iter().map(|a| a.score).min()?;
        let hi = self.answers.iter().map(|a| a.score).max()?;
        Some((lo, hi))
    }
}

/// Why a marks file could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum MarksError {
    #[error("cannot read the marks file {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    Decode(ReadError),
    #[error("{path}: the marks file has no header row")]
    NoHeader { path: String },
    #[error("{path}: no column `{column}` (for {flag}); the columns are: {}", list(.headers))]
    MissingColumn {
        path: String,
        flag: String,
        column: String,
        headers: Vec<String>,
    },
    #[error("{path}: no answer text column: give --text-col (the text itself) or --file-col (paths to answer files); the columns are: {}", list(.headers))]
    NoTextColumn { path: String, headers: Vec<String> },
    #[error("{path}: more than one column is called `{column}` (for {flag}); the columns are: {}", list(.headers))]
    AmbiguousColumn {
        path: String,
        flag: String,
        column: String,
        headers: Vec<String>,
    },
    #[error("{path}:{line}: {message}")]
    Csv { path: String, line: u64, message: String },
    #[error("cannot use {base} as the folder of the answer files: {source}")]
    Base {
        base: String,
        #[source]
        source: std::io::Error,
    },
}

fn list(headers: &[String]) -> String {
    if headers.is_empty() {
        return "(none)".into();
    }
    headers.iter().map(|h| format!("`{h}`")).collect::<Vec<_>>().join(", ")
}

/// Parses a `--delimiter` value: one character (`,` `;` `|`), or `tab`, `\t`, `comma`,
/// `semicolon`, `pipe`.
pub fn parse_delimiter(s: &str) -> Result<u8, String> {
    let d = match s {
        "tab" | "\\t" | "\t" | "TAB" => b'\t',
        "comma" => b',',
        "semicolon" => b';',
        "pipe" => b'|',
        "space" => b' ',
        _ if s.len() == 1 && s.is_ascii() && s != "\"" && s != "\n" && s != "\r" => s.as_bytes()[0],
        _ => {
            return Err("expected one ASCII character (`,` `;` `|`) or `tab`".to_string());
        }
    };
    Ok(d)
}

/// Parses a `--filter COL=VALUE`.
pub fn parse_filter(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((c, v)) if !c.trim().is_empty() => Ok((c.trim().to_string(), v.trim().to_string())),
        _ => Err(format!(
            "invalid --filter `{s}`: expected COLUMN=VALUE, e.g. EssaySet=1"
        )),
    }
}

/// Parses a `--point-col POINT_ID=COLUMN`.
pub fn parse_point_col(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((p, c)) if !p.trim().is_empty() && !c.trim().is_empty() => {
            Ok((p.trim().to_string(), c.trim().to_string()))
        }
        _ => Err(format!(
            "invalid --point-col `{s}`: expected POINT_ID=COLUMN, e.g. patronage=has_patronage"
        )),
    }
}

/// Reads a per-point label: 1/0, yes/no, true/false, y/n (any case); empty is `Some(None)`
/// (not labelled), anything else `None`.
pub fn parse_label(s: &str) -> Option<Option<bool>> {
    match s.trim().to_ascii_lowercase().as_str() {
        "" => Some(None),
        "1" | "yes" | "y" | "true" | "t" => Some(Some(true)),
        "0" | "no" | "n" | "false" | "f" => Some(Some(false)),
        _ => None,
    }
}

/// Reads a human score: a whole number (`2`, `2.0`, ` 3 `).
fn parse_score(s: &str) -> Result<i64, String> {
    let t = s.trim();
    if t.is_empty() {
        return Err("no score".into());
    }
    if let Ok(v) = t.parse::<i64>() {
        return Ok(v);
    }
    match t.parse::<f64>() {
        Ok(v) if v.is_finite() && v.fract() == 0.0 && v.abs() < 1e15 => Ok(v as i64),
        Ok(v) if v.is_finite() => Err(format!("score `{t}` is not a whole number")),
        _ => Err(format!("score `{t}` is not a number")),
    }
}

/// The delimiter for a file: the extension, else a guess from the header line (a tab, else a
/// semicolon without commas, else a comma).
fn choose_delimiter(path: &Path, text: &str) -> u8 {
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("tsv" | "tab") => b'\t',
        Some("csv") => b',',
        _ => {
            let header = text.lines().next().unwrap_or("");
            if header.contains('\t') {
                b'\t'
            } else if header.contains(';') && !header.contains(',') {
                b';'
            } else {
                b','
            }
        }
    }
}

/// Finds a column by header name: the exact name, else the one name equal ignoring case.
fn find_column(path: &str, headers: &[String], name: &str, flag: &str) -> Result<usize, MarksError> {
    if let Some(i) = headers.iter().position(|h| h == name) {
        return Ok(i);
    }
    let folded: Vec<usize> = headers
        .iter()
        .enumerate()
        .filter(|(_, h)| h.to_lowercase() == name.to_lowercase())
        .map(|(i, _)| i)
        .collect();
    match folded.as_slice() {
        [i] => Ok(*i),
        [] => Err(MarksError::MissingColumn {
            path: path.into(),
            flag: flag.into(),
            column: name.into(),
            headers: headers.to_vec(),
        }),
        _ => Err(MarksError::AmbiguousColumn {
            path: path.into(),
            flag: flag.into(),
            column: name.into(),
            headers: headers.to_vec(),
        }),
    }
}

/// Reads the marks file at `path`.
pub fn read_marks(path: &Path, spec: &MarksSpec) -> Result<Marks, MarksError> {
    let shown = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| MarksError::Io {
        path: shown.clone(),
        source,
    })?;
    let base = match &spec.base {
        Some(b) => b.clone(),
        None => path.parent().map(Path::to_path_buf).unwrap_or_default(),
    };
    parse_marks(&bytes, &shown, path, &base, spec)
}

/// Reads a marks file from its bytes. `name` is shown in messages, `path` chooses the
/// delimiter, and answer files (with `--file-col`) are looked up relative to `base` (and read
/// only inside it unless [`MarksSpec::allow_outside`]).
pub fn parse_marks(bytes: &[u8], name: &str, path: &Path, base: &Path, spec: &MarksSpec) -> Result<Marks, MarksError> {
    let text = match read::decode(bytes, name) {
        Ok((t, _)) => t,
        Err(ReadError::Empty { .. }) => return Err(MarksError::NoHeader { path: name.into() }),
        Err(e) => return Err(MarksError::Decode(e)),
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let delimiter = spec.delimiter.unwrap_or_else(|| choose_delimiter(path, text));
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    // Line numbers from byte offsets: the csv crate counts CRLF-ended lines one short after
    // the first record, and a record's offset may point at the line end before it.
    let newlines: Vec<usize> = text.match_indices('\n').map(|(i, _)| i).collect();
    let line_of = |pos: Option<&csv::Position>| -> u64 {
        let Some(pos) = pos else { return 0 };
        let start = pos.byte() as usize;
        let skip = text
            .get(start..)
            .map_or(0, |rest| rest.len() - rest.trim_start_matches(['\r', '\n']).len());
        let at = start + skip;
        newlines.partition_point(|&n| n < at) as u64 + 1
    };
    let csv_error = |e: csv::Error| {
        let line = line_of(e.position());
        MarksError::Csv {
            path: name.into(),
            line,
            message: e.to_string(),
        }
    };
    let mut record = csv::StringRecord::new();
    // The header: the first row that is not blank.
    let headers: Vec<String> = loop {
        if !reader.read_record(&mut record).map_err(csv_error)? {
            return Err(MarksError::NoHeader { path: name.into() });
        }
        if record.iter().any(|f| !f.trim().is_empty()) {
            break record.iter().map(|h| h.trim().to_string()).collect();
        }
    };
    let col = |column: &str, flag: &str| find_column(name, &headers, column, flag);
    let id_i = col(&spec.id_col, "--id-col")?;
    let score_i = col(&spec.score_col, "--score-col")?;
    let (text_i, is_file) = match &spec.text {
        TextSource::Inline(c) => (col(c, "--text-col")?, false),
        TextSource::File(c) => (col(c, "--file-col")?, true),
        TextSource::Default => match (col("text", "--text-col"), col("file", "--file-col")) {
            (Ok(i), _) => (i, false),
            (_, Ok(i)) => (i, true),
            _ => {
                return Err(MarksError::NoTextColumn {
                    path: name.into(),
                    headers,
                });
            }
        },
    };
    let filters: Vec<(usize, &str)> = spec
        .filters
        .iter()
        .map(|(c, v)| Ok((col(c, "--filter")?, v.as_str())))
        .collect::<Result<_, MarksError>>()?;
    let point_is: Vec<usize> = spec
        .point_cols
        .iter()
        .map(|(p, c)| col(c, &format!("--point-col {p}")))
        .collect::<Result<_, MarksError>>()?;

    let mut answers: Vec<Answer> = Vec::new();
    let mut problems = Vec::new();
    let mut filtered_out = 0;
    let mut seen: HashMap<String, u64> = HashMap::new();
    let width = headers.len();
    let limits = Limits::default();
    let folder = if is_file {
        Some(AnswerFolder::new(base, spec)?)
    } else {
        None
    };
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                // With flexible records and text already decoded, the reader has nothing to
                // refuse; should it, report the row and go on.
                let line = line_of(e.position());
                problems.push(RowProblem {
                    line,
                    message: e.to_string(),
                });
                continue;
            }
        }
        let line = line_of(record.position());
        let mut problem = |message: String| problems.push(RowProblem { line, message });
        if record.iter().all(|f| f.trim().is_empty()) {
            problem("empty row".into());
            continue;
        }
        // Filters first: rows of other sets are not this evaluation's business.
        let kept = filters
            .iter()
            .all(|&(i, v)| record.get(i).is_some_and(|f| f.trim() == v));
        if !kept {
            let reachable = filters.iter().all(|&(i, _)| i < record.len());
            if reachable {
                filtered_out += 1;
                continue;
            }
        }
        if record.len() < width {
            problem(format!(
                "{} field{}, the header has {width} (a missing delimiter, or a quote that is not closed?)",
                record.len(),
                if record.len() == 1 { "" } else { "s" }
            ));
            continue;
        }
        if record.len() > width && record.iter().skip(width).any(|f| !f.trim().is_empty()) {
            problem(format!(
                "{} fields, the header has {width} (an unquoted delimiter inside a field?)",
                record.len()
            ));
            continue;
        }
        let id = record[id_i].trim().to_string();
        if id.is_empty() {
            problem(format!("no id (column `{}`)", headers[id_i]));
            continue;
        }
        let score = match parse_score(&record[score_i]) {
            Ok(s) => s,
            Err(m) => {
                problem(format!("answer {id}: {m} (column `{}`)", headers[score_i]));
                continue;
            }
        };
        let mut labels = Vec::with_capacity(point_is.len());
        let mut bad_label = None;
        for (&i, (p, _)) in point_is.iter().zip(&spec.point_cols) {
            match parse_label(&record[i]) {
                Some(l) => labels.push(l),
                None => {
                    bad_label = Some(format!(
                        "answer {id}: label `{}` for point {p} (column `{}`) is not 1/0, yes/no or true/false",
                        record[i].trim(),
                        headers[i]
                    ));
                    break;
                }
            }
        }
        if let Some(m) = bad_label {
            problem(m);
            continue;
        }
        let (text, format) = if let Some(folder) = &folder {
            let rel = record[text_i].trim();
            if rel.is_empty() {
                problem(format!("answer {id}: no answer file (column `{}`)", headers[text_i]));
                continue;
            }
            match folder.read(rel, &limits) {
                Ok(src) => (src.text, src.format),
                // A blank answer file is a blank answer: it scores what a blank answer scores.
                Err(Refused::Read(ReadError::Empty { path })) => (String::new(), Format::from_path(Path::new(&path))),
                Err(e) => {
                    problem(format!("answer {id}: {e}"));
                    continue;
                }
            }
        } else {
            (record[text_i].to_string(), Format::Text)
        };
        if let Some(first) = seen.get(&id) {
            problem(format!("answer {id}: the same id is already on line {first}"));
            continue;
        }
        seen.insert(id.clone(), line);
        answers.push(Answer {
            id,
            line,
            score,
            text,
            format,
            labels,
            reviewed: false,
        });
    }
    Ok(Marks {
        path: name.into(),
        delimiter,
        id_col: headers[id_i].clone(),
        score_col: headers[score_i].clone(),
        text_col: headers[text_i].clone(),
        text_is_file: is_file,
        answers,
        problems,
        filtered_out,
    })
}

/// The folder answer files are read from, resolved once.
struct AnswerFolder {
    /// As given (the marks file's folder, empty for the current one, or `--base`), for joining
    /// and for messages.
    base: PathBuf,
    /// Resolved (absolute, without `..` or symbolic links), for checking where files lead.
    canonical: PathBuf,
    /// `--base` was given (messages say which folder it is).
    given: bool,
    allow_outside: bool,
}

/// Whether a relative path climbs above its start with `..`, read as written (`a/../../b`).
fn climbs_out(rel: &Path) -> bool {
    let mut depth = 0usize;
    for c in rel.components() {
        match c {
            std::path::Component::ParentDir => match depth.checked_sub(1) {
                Some(d) => depth = d,
                None => return true,
            },
            std::path::Component::Normal(_) => depth += 1,
            _ => {}
        }
    }
    false
}

/// Why an answer file was not read.
#[derive(Debug, thiserror::Error)]
enum Refused {
    #[error("{0}")]
    Read(ReadError),
    #[error(
        "{file}: is an absolute path; answer files are read only inside {folder}; give \
         --allow-outside to read files elsewhere"
    )]
    Absolute { file: String, folder: String },
    #[error(
        "{file}: leads outside {folder}{target}; answer files are read only inside it; give \
         --allow-outside to read files elsewhere"
    )]
    Outside {
        file: String,
        folder: String,
        /// `, to PATH` where it leads, when it exists.
        target: String,
    },
    #[error("{file}: is not a regular file (a FIFO, socket or device); answer files must be regular files")]
    NotRegular { file: String },
}

impl AnswerFolder {
    fn new(base: &Path, spec: &MarksSpec) -> Result<AnswerFolder, MarksError> {
        // An empty base (a marks file in the current folder) is the current folder; paths
        // joined to it read as written.
        let here = if base.as_os_str().is_empty() {
            Path::new(".")
        } else {
            base
        };
        let canonical = std::fs::canonicalize(here).map_err(|source| MarksError::Base {
            base: read::path_text(here),
            source,
        })?;
        if !canonical.is_dir() {
            return Err(MarksError::Base {
                base: read::path_text(here),
                source: std::io::Error::other("not a folder"),
            });
        }
        Ok(AnswerFolder {
            base: base.to_path_buf(),
            canonical,
            given: spec.base.is_some(),
            allow_outside: spec.allow_outside,
        })
    }

    /// The folder as messages name it.
    fn shown(&self) -> String {
        let path = if self.base.as_os_str().is_empty() {
            ".".to_string()
        } else {
            read::path_text(&self.base)
        };
        if self.given {
            format!("{path} (the --base folder)")
        } else {
            format!("{path} (the marks file's folder)")
        }
    }

    /// Reads the answer file a marks file names as `rel`.
    fn read(&self, rel: &str, limits: &Limits) -> Result<read::Source, Refused> {
        let rel_path = Path::new(rel);
        let absolute = rel_path.is_absolute()
            || rel_path.has_root()
            || matches!(rel_path.components().next(), Some(std::path::Component::Prefix(_)));
        let file = if absolute {
            if !self.allow_outside {
                return Err(Refused::Absolute {
                    file: rel.to_owned(),
                    folder: self.shown(),
                });
            }
            rel_path.to_path_buf()
        } else {
            self.base.join(rel_path)
        };
        let name = read::path_text(&file);
        // A path that climbs out with `..` is refused as written, without looking whether it
        // names anything.
        if !self.allow_outside && !absolute && climbs_out(rel_path) {
            return Err(Refused::Outside {
                file: name,
                folder: self.shown(),
                target: String::new(),
            });
        }
        let resolved = std::fs::canonicalize(&file).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Refused::Read(ReadError::NotFound { path: name.clone() }),
            _ => Refused::Read(ReadError::Io {
                path: name.clone(),
                source: e,
            }),
        })?;
        if !self.allow_outside && !resolved.starts_with(&self.canonical) {
            return Err(Refused::Outside {
                file: name,
                folder: self.shown(),
                target: format!(", to {}", read::path_text(&resolved)),
            });
        }
        let io = |e: std::io::Error| {
            Refused::Read(ReadError::Io {
                path: name.clone(),
                source: e,
            })
        };
        // Checked before opening (a FIFO's open would wait for a writer), opened without
        // blocking all the same (it may have been swapped since), and checked again once open.
        let metadata = std::fs::metadata(&resolved).map_err(io)?;
        if metadata.is_dir() {
            return Err(Refused::Read(ReadError::IsDir { path: name }));
        }
        if !metadata.is_file() {
            return Err(Refused::NotRegular { file: name });
        }
        let mut options = std::fs::OpenOptions::new();
        options.read(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.custom_flags(libc::O_NONBLOCK);
        }
        let opened = options.open(&resolved).map_err(io)?;
        let metadata = opened.metadata().map_err(io)?;
        if !metadata.is_file() {
            return Err(Refused::NotRegular { file: name });
        }
        if metadata.len() > limits.max_bytes {
            return Err(Refused::Read(ReadError::TooLarge {
                path: name,
                size: metadata.len(),
                limit: limits.max_bytes,
            }));
        }
        let mut bytes = Vec::with_capacity(metadata.len() as usize);
        opened.take(limits.max_bytes + 1).read_to_end(&mut bytes).map_err(io)?;
        // Read as `rubric check` reads a file of that name (documents, HTML, Markdown, text).
        read::read_bytes(&bytes, &name, limits).map_err(Refused::Read)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str, file: &str, spec: &MarksSpec) -> Result<Marks, MarksError> {
        parse_marks(text.as_bytes(), file, Path::new(file), Path::new("."), spec)
    }

    fn ok(text: &str, file: &str, spec: &MarksSpec) -> Marks {
        parse(text, file, spec).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn quotes_hold_delimiters_newlines_and_doubled_quotes() {
        let csv = "id,score,text\n1,2,\"Vinegar, \"\"how much\"\", and\nthe cups\"\n2,0,plain\n";
        let m = ok(csv, "m.csv", &MarksSpec::default());
        assert_eq!(m.answers.len(), 2);
        assert_eq!(m.answers[0].text, "Vinegar, \"how much\", and\nthe cups");
        assert_eq!(m.answers[0].line, 2);
        assert_eq!(m.answers[1].line, 4, "a line break inside quotes counts");
        assert!(m.problems.is_empty(), "{:?}", m.problems);
    }

    #[test]
    fn bom_and_crlf() {
        let csv = "\u{feff}id,score,text\r\n7,3,\"first\r\nsecond\"\r\n8,1,x\r\n";
        let m = ok(csv, "m.csv", &MarksSpec::default());
        assert_eq!([&m.id_col, &m.score_col, &m.text_col], ["id", "score", "text"]);
        assert_eq!(m.answers[0].id, "7");
        assert_eq!(m.answers[0].text, "first\r\nsecond");
        assert_eq!(m.answers[1].text, "x", "no stray carriage return");
        assert_eq!(
            (m.answers[0].line, m.answers[1].line),
            (2, 4),
            "lines counted right with CRLF"
        );
        assert_eq!(m.answers[1].score, 1);
    }

    #[test]
    fn tsv_by_extension_with_quoting_and_filter() {
        let tsv = "Id\tEssaySet\tScore1\tEssayText\n\
                   1\t1\t1\tsome text, with a comma\n\
                   2\t2\t3\tother set\n\
                   3\t1\t2\t\"quoted \"\"word\"\" and\ta tab\"\n";
        let spec = MarksSpec {
            id_col: "id".into(),
            score_col: "Score1".into(),
            text: TextSource::Inline("EssayText".into()),
            filters: vec![("EssaySet".into(), "1".into())],
            ..MarksSpec::default()
        };
        let m = ok(tsv, "train.tsv", &spec);
        assert_eq!(m.delimiter, b'\t');
        assert_eq!(m.id_col, "Id", "`id` finds `Id`");
        assert_eq!(m.filtered_out, 1);
        let ids: Vec<&str> = m.answers.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["1", "3"]);
        assert_eq!(m.answers[1].text, "quoted \"word\" and\ta tab");
        assert_eq!(m.score_range(), Some((1, 2)));
    }

    #[test]
    fn delimiter_guessed_and_forced() {
        let m = ok("id;score;text\n1;2;a, b\n", "marks.txt", &MarksSpec::default());
        assert_eq!(m.delimiter, b';');
        assert_eq!(m.answers[0].text, "a, b");
        let spec = MarksSpec {
            delimiter: Some(b'|'),
            ..MarksSpec::default()
        };
        let m = ok("id|score|text\n1|2|a,b\n", "m.csv", &spec);
        assert_eq!(m.answers[0].text, "a,b");
        assert_eq!(parse_delimiter("tab"), Ok(b'\t'));
        assert_eq!(parse_delimiter(";"), Ok(b';'));
        assert!(parse_delimiter("ab").is_err());
    }

    #[test]
    fn missing_column_names_it_and_lists_the_headers() {
        let spec = MarksSpec {
            score_col: "mark".into(),
            ..MarksSpec::default()
        };
        let e = parse("id,score,text\n1,2,x\n", "m.csv", &spec).unwrap_err().to_string();
        assert!(e.contains("no column `mark`"), "{e}");
        assert!(e.contains("--score-col"), "{e}");
        assert!(e.contains("`id`, `score`, `text`"), "{e}");

        let spec = MarksSpec {
            filters: vec![("set".into(), "1".into())],
            ..MarksSpec::default()
        };
        let e = parse("id,score,text\n1,2,x\n", "m.csv", &spec).unwrap_err().to_string();
        assert!(e.contains("no column `set` (for --filter)"), "{e}");

        let e = parse("id,score,answer\n1,2,x\n", "m.csv", &MarksSpec::default())
            .unwrap_err()
            .to_string();
        assert!(e.contains("--text-col") && e.contains("`answer`"), "{e}");
    }

    #[test]
    fn empty_and_odd_rows_are_reported_with_their_line() {
        let csv = "id,score,text\n\
                   1,2,good\n\
                   ,,\n\
                   2,two,bad score\n\
                   3,1.5,half\n\
                   4,1\n\
                   5,1,x,extra\n\
                   ,1,no id\n\
                   1,0,duplicate\n\
                   6,2.0,fine\n\
                   7,3,trailing,\n";
        let m = ok(csv, "m.csv", &MarksSpec::default());
        let ids: Vec<&str> = m.answers.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["1", "6", "7"]);
        let lines: Vec<u64> = m.problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [3, 4, 5, 6, 7, 8, 9], "{:?}", m.problems);
        assert!(m.problems[0].message.contains("empty row"));
        assert!(m.problems[1].message.contains("not a number"));
        assert!(m.problems[2].message.contains("not a whole number"));
        assert!(m.problems[3].message.contains("2 fields, the header has 3"));
        assert!(m.problems[6].message.contains("already on line 2"));
    }

    #[test]
    fn empty_file_and_blank_lines() {
        assert!(matches!(
            parse("", "m.csv", &MarksSpec::default()),
            Err(MarksError::NoHeader { .. })
        ));
        let m = ok("\nid,score,text\n\n1,1,a\n\n", "m.csv", &MarksSpec::default());
        assert_eq!(m.answers.len(), 1);
        assert!(m.problems.is_empty());
    }

    #[test]
    fn point_labels() {
        let spec = MarksSpec {
            point_cols: vec![("vinegar".into(), "amount".into()), ("size".into(), "Size".into())],
            ..MarksSpec::default()
        };
        let csv = "id,score,text,amount,size\n1,2,a,1,no\n2,1,b,Yes,\n3,0,c,maybe,0\n";
        let m = ok(csv, "m.csv", &spec);
        assert_eq!(m.answers[0].labels, [Some(true), Some(false)]);
        assert_eq!(m.answers[1].labels, [Some(true), None]);
        assert_eq!(m.problems.len(), 1);
        assert!(m.problems[0].message.contains("point vinegar"), "{:?}", m.problems);
    }

    #[test]
    fn answers_from_files_relative_to_the_marks_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("answers")).unwrap();
        std::fs::write(dir.path().join("answers/a.txt"), "The answer.").unwrap();
        std::fs::write(dir.path().join("answers/blank.txt"), "  \n").unwrap();
        let marks = dir.path().join("marks.csv");
        std::fs::write(
            &marks,
            "id,score,path\na,2,answers/a.txt\nb,0,answers/blank.txt\nc,1,answers/none.txt\n",
        )
        .unwrap();
        let spec = MarksSpec {
            text: TextSource::File("path".into()),
            ..MarksSpec::default()
        };
        let m = read_marks(&marks, &spec).unwrap();
        assert_eq!(m.answers.len(), 2);
        assert_eq!(m.answers[0].text, "The answer.");
        assert_eq!(m.answers[1].text, "");
        assert_eq!(m.problems.len(), 1);
        assert_eq!(m.problems[0].line, 4);
        assert!(m.problems[0].message.contains("no such file"), "{:?}", m.problems);
    }

    #[test]
    fn paths_that_climb_out() {
        for (path, out) in [
            ("a.txt", false),
            ("answers/a.txt", false),
            ("a/../b.txt", false),
            ("./a/./b/../../c", false),
            ("..", true),
            ("../a.txt", true),
            ("a/../../a.txt", true),
            ("a/b/../../../x", true),
        ] {
            assert_eq!(climbs_out(Path::new(path)), out, "{path}");
        }
    }

    #[test]
    fn answer_files_inside_the_folder_only() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir_all(d.join("class/sub")).unwrap();
        std::fs::write(d.join("class/sub/a.txt"), "The answer.").unwrap();
        std::fs::write(d.join("secret.txt"), "Secret.").unwrap();
        let marks = d.join("class/marks.csv");
        let csv = format!(
            "id,score,file\na,1,sub/a.txt\nb,1,sub/../sub/a.txt\nc,1,../secret.txt\nd,1,{}\n",
            d.join("secret.txt").display()
        );
        std::fs::write(&marks, csv).unwrap();
        let spec = MarksSpec::default();
        let m = read_marks(&marks, &spec).unwrap();
        assert_eq!(m.answers.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(m.problems.len(), 2);
        assert!(m.problems[0].message.contains("leads outside"), "{:?}", m.problems);
        assert!(
            m.problems[1].message.contains("is an absolute path"),
            "{:?}",
            m.problems
        );
        let spec = MarksSpec {
            allow_outside: true,
            ..MarksSpec::default()
        };
        let m = read_marks(&marks, &spec).unwrap();
        assert_eq!(m.answers.len(), 4, "{:?}", m.problems);
        assert_eq!(m.answers[3].text, "Secret.");
        // With the folder given, paths are relative to it.
        let spec = MarksSpec {
            base: Some(d.join("class/sub")),
            ..MarksSpec::default()
        };
        let m = read_marks(&marks, &spec).unwrap();
        assert!(m.answers.is_empty());
        assert!(m.problems[0].message.contains("no such file"), "{:?}", m.problems);
    }

    #[test]
    fn filter_and_point_parsing() {
        assert_eq!(parse_filter("EssaySet=1"), Ok(("EssaySet".into(), "1".into())));
        assert!(parse_filter("EssaySet").is_err());
        assert_eq!(parse_point_col("gensec=GS"), Ok(("gensec".into(), "GS".into())));
        assert!(parse_point_col("=GS").is_err());
        assert_eq!(parse_label(" TRUE "), Some(Some(true)));
        assert_eq!(parse_label("n"), Some(Some(false)));
        assert_eq!(parse_label(""), Some(None));
        assert_eq!(parse_label("2"), None);
    }
}
