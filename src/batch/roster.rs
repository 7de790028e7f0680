//! The class roster (`rubric mark --roster FILE`): who is in the class, by id and name.
//!
//! The roster is a CSV with a header row: an `id` column (required), a `name` column (optional;
//! `name`, `student` or `full name`), and any other columns (a class, an email), which the marks
//! sheet keeps after the name. Blank lines are skipped, a byte order mark is allowed; an empty
//! or repeated id is an error naming its line.
//!
//! With a roster, each answer's id (from its file or folder name, or `--id-pattern`) is looked
//! up in it, by these rules in order, the first that finds one student winning:
//!
//! 1. the id is a roster id, exactly;
//! 2. its **key** is the key of a roster id or of a roster name: the key is the text in lower
//!    case, without accents, with every run of characters other than letters and digits made
//!    one space (`Zoe_Muller-Garcia` and `Zoë Müller García` have the same key);
//! 3. the same after dropping **trailing words** of the id that are in the trim list (by
//!    default [`DEFAULT_TRIM`]: `essay`, `final`, `draft`, `v2`...; `--id-trim` replaces it),
//!    as many as there are (`Zoë Müller-García essay final` is `Zoë Müller-García`).
//!
//! An answer found takes the student's roster id and name; an answer not found keeps its id and
//! is reported as not on the roster; a student no answer was found for is reported as "no
//! submission". Two answers found for one student: the first (in path order) takes the id, the
//! others are listed as `id#2`... as any shared id is, with a warning.
//!
//! Without a roster, ids are never trimmed unless `--id-trim` asks for it.

use std::collections::HashMap;
use std::path::Path;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// The trailing words dropped from an id to find it on the roster when `--id-trim` is not
/// given: words students and platforms add to file names.
pub const DEFAULT_TRIM: &[&str] = &[
    "essay",
    "final",
    "draft",
    "answer",
    "answers",
    "submission",
    "homework",
    "assignment",
    "worksheet",
    "copy",
    "version",
    "new",
    "v1",
    "v2",
    "v3",
    "v4",
    "v5",
    "v6",
    "v7",
    "v8",
    "v9",
];

/// One student of the roster.
#[derive(Debug, Clone, PartialEq)]
pub struct Student {
    pub id: String,
    /// Empty when the roster has no name column.
    pub name: String,
    /// The roster's other columns, in its order ([`Roster::extra_columns`]).
    pub extra: Vec<String>,
}

/// A class roster.
#[derive(Debug, Default)]
pub struct Roster {
    pub students: Vec<Student>,
    /// The names of the roster's other columns.
    pub extra_columns: Vec<String>,
    /// Student index by roster id.
    by_id: HashMap<String, usize>,
    /// Student indices by key of id or name (a key may name several students).
    by_key: HashMap<String, Vec<usize>>,
}

/// The key of a text: lower case, without accents, each run of characters other than letters
/// and digits one space, trimmed.
pub fn key(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut gap = false;
    for c in text.nfd().filter(|c| !is_combining_mark(*c)) {
        if c.is_alphanumeric() {
            if gap && !out.is_empty() {
                out.push(' ');
            }
            gap = false;
            out.extend(c.to_lowercase());
        } else {
            gap = true;
        }
    }
    out
}

/// `key` without its trailing words that are in `trim` (keys themselves), as many as there
/// are, keeping at least one word.
pub fn trimmed<'k>(key: &'k str, trim: &[String]) -> &'k str {
    let mut k = key;
    while let Some((before, last)) = k.rsplit_once(' ') {
        if trim.iter().any(|t| t == last) {
            k = before;
        } else {
            break;
        }
    }
    k
}

/// An id without its trailing words that are in `trim` (keys), keeping at least one word:
/// `Zoë Müller-García essay_final` is `Zoë Müller-García` (what `--id-trim` does without a
/// roster).
pub fn trim_id(id: &str, trim: &[String]) -> String {
    let mut end = id.len();
    loop {
        let head = id[..end].trim_end_matches(|c: char| !c.is_alphanumeric());
        let start = head
            .char_indices()
            .rev()
            .find(|&(_, c)| !c.is_alphanumeric())
            .map_or(0, |(i, c)| i + c.len_utf8());
        let word = key(&head[start..]);
        let rest = head[..start].trim_end_matches(|c: char| !c.is_alphanumeric());
        if start == 0 || rest.is_empty() || !trim.contains(&word) {
            return id[..end].trim_end_matches(|c: char| !c.is_alphanumeric()).to_string();
        }
        end = rest.len();
    }
}

/// The trim list as keys.
pub fn trim_keys<S: AsRef<str>>(words: &[S]) -> Vec<String> {
    words
        .iter()
        .map(|w| key(w.as_ref()))
        .filter(|k| !k.is_empty())
        .collect()
}

/// The line (from 1) of the record at byte `at` of `text`, past the blank lines the reader
/// puts before it (the reader's own line count skips blank lines).
fn line_at(text: &str, at: u64) -> usize {
    let bytes = text.as_bytes();
    let mut at = (at as usize).min(bytes.len());
    while at < bytes.len() && matches!(bytes[at], b'\n' | b'\r') {
        at += 1;
    }
    1 + memchr::memchr_iter(b'\n', &bytes[..at]).count()
}

/// The records of a CSV `reader` over `text` (headers read), each with its line, blank ones
/// left out; a record that cannot be read is `"LINE: not readable as CSV (...)"`. What the
/// roster and the overrides file ([`super::overrides`]) are read with.
pub(super) fn lined_records<'r>(
    reader: &'r mut csv::Reader<&[u8]>,
    text: &'r str,
) -> impl Iterator<Item = Result<(usize, csv::StringRecord), String>> + 'r {
    reader.records().filter_map(move |record| match record {
        Err(e) => {
            let line = e.position().map_or(0, |p| line_at(text, p.byte()));
            Some(Err(format!("{line}: not readable as CSV ({e})")))
        }
        Ok(r) if r.iter().all(|c| c.trim().is_empty()) => None,
        Ok(r) => Some(Ok((r.position().map_or(0, |p| line_at(text, p.byte())), r))),
    })
}

impl Roster {
    /// Reads a roster file.
    pub fn load(path: &Path) -> Result<Roster, String> {
        let text = crate::text::read::read_path(path, &crate::text::read::Limits::default())
            .map_err(|e| e.to_string())?
            .text;
        Roster::parse(&text, &path.display().to_string())
    }

    /// Reads the text of a roster named `name`; all its problems at once.
    pub fn parse(text: &str, name: &str) -> Result<Roster, String> {
        let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
        let header: Vec<String> = match reader.headers() {
            Ok(h) => h
                .iter()
                .map(|c| c.trim_start_matches('\u{feff}').trim().to_string())
                .collect(),
            Err(e) => return Err(format!("{name}:1: not a CSV file ({e})")),
        };
        let find = |names: &[&str]| {
            header
                .iter()
                .position(|h| names.iter().any(|n| h.eq_ignore_ascii_case(n)))
        };
        let Some(id_col) = find(&["id"]) else {
            return Err(format!(
                "{name}:1: no `id` column; the header must name the columns id,name (more columns are kept)"
            ));
        };
        let name_col = find(&["name", "student", "full name"]);
        let extra_cols: Vec<usize> = (0..header.len())
            .filter(|&i| i != id_col && Some(i) != name_col)
            .collect();
        let mut roster = Roster {
            extra_columns: extra_cols.iter().map(|&i| header[i].clone()).collect(),
            ..Roster::default()
        };
        let mut lines: HashMap<String, usize> = HashMap::new();
        let mut problems = Vec::new();
        for record in lined_records(&mut reader, text) {
            let (line, record) = match record {
                Ok(r) => r,
                Err(e) => {
                    problems.push(format!("{name}:{e}"));
                    continue;
                }
            };
            let cell = |i: usize| record.get(i).unwrap_or("").trim().to_string();
            let id = cell(id_col);
            if id.is_empty() {
                problems.push(format!("{name}:{line}: no id"));
                continue;
            }
            if let Some(first) = lines.insert(id.clone(), line) {
                problems.push(format!("{name}:{line}: the id `{id}` is already on line {first}"));
                continue;
            }
            let student = Student {
                name: name_col.map(cell).unwrap_or_default(),
                extra: extra_cols.iter().map(|&i| cell(i)).collect(),
                id,
            };
            let index = roster.students.len();
            roster.by_id.insert(student.id.clone(), index);
            for k in [key(&student.id), key(&student.name)] {
                if !k.is_empty() {
                    let at = roster.by_key.entry(k).or_default();
                    if !at.contains(&index) {
                        at.push(index);
                    }
                }
            }
            roster.students.push(student);
        }
        if problems.is_empty() {
            Ok(roster)
        } else {
            Err(problems.join("\n"))
        }
    }

    /// The student whose roster id this is.
    pub fn find_exact(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// The student an answer id belongs to, by the rules of the module documentation; `trim`
    /// is the trim list as keys ([`trim_keys`]).
    pub fn find(&self, id: &str, trim: &[String]) -> Option<usize> {
        if let Some(&i) = self.by_id.get(id) {
            return Some(i);
        }
        let k = key(id);
        let one = |k: &str| match self.by_key.get(k).map(Vec::as_slice) {
            Some(&[i]) => Some(i),
            _ => None,
        };
        one(&k).or_else(|| {
            let t = trimmed(&k, trim);
            (t.len() < k.len()).then(|| one(t)).flatten()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_ignore_case_accents_and_separators() {
        assert_eq!(key("Zoë Müller-García"), "zoe muller garcia");
        assert_eq!(key("  zoe_MULLER__garcia.final "), "zoe muller garcia final");
        assert_eq!(key("4711"), "4711");
        assert_eq!(key("--"), "");
    }

    #[test]
    fn trailing_words_are_dropped_only_from_the_list() {
        let trim = trim_keys(DEFAULT_TRIM);
        assert_eq!(trimmed("zoe muller garcia essay final", &trim), "zoe muller garcia");
        assert_eq!(trimmed("final essay", &trim), "final");
        assert_eq!(trimmed("essay", &trim), "essay");
        // Only trailing words: "draft" inside an id stays.
        assert_eq!(trimmed("draft zoe", &trim), "draft zoe");
        assert_eq!(trimmed("zoe final", &trim_keys(&["v2"])), "zoe final");
    }

    #[test]
    fn ids_lose_trailing_words_in_their_own_spelling() {
        let trim = trim_keys(DEFAULT_TRIM);
        assert_eq!(trim_id("Zoë Müller-García essay_final", &trim), "Zoë Müller-García");
        assert_eq!(trim_id("amy-v2", &trim), "amy");
        assert_eq!(trim_id("essay", &trim), "essay");
        assert_eq!(trim_id("final essay", &trim), "final");
        assert_eq!(trim_id("amy notes", &trim), "amy notes");
    }

    fn roster() -> Roster {
        Roster::parse(
            "\u{feff}id,Name,class\n4711,Zoë Müller-García,9B\n\namy,Amy Jones,9B\nben,Ben Ng,9C\nben2,Ben Ng,9C\n",
            "r.csv",
        )
        .unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn answers_are_found_by_id_name_and_trimmed_words() {
        let r = roster();
        assert_eq!(r.extra_columns, ["class"]);
        assert_eq!(r.students[1].extra, ["9B"]);
        let trim = trim_keys(DEFAULT_TRIM);
        let find = |id: &str| r.find(id, &trim).map(|i| r.students[i].id.as_str());
        assert_eq!(find("4711"), Some("4711"));
        assert_eq!(find("Zoe Muller-Garcia"), Some("4711"));
        assert_eq!(find("Zoë Müller-García essay"), Some("4711"));
        assert_eq!(find("zoe_muller_garcia_essay_final_v2"), Some("4711"));
        assert_eq!(find("AMY"), Some("amy"));
        assert_eq!(find("amy jones draft"), Some("amy"));
        // A name two students share finds neither: not guessed.
        assert_eq!(find("Ben Ng"), None);
        assert_eq!(find("ben"), Some("ben"));
        assert_eq!(find("carl"), None);
        // Words outside the trim list are not dropped.
        assert_eq!(find("amy jones notes"), None);
        assert_eq!(r.find("amy jones draft", &trim_keys(&["final"])), None);
    }

    #[test]
    fn bad_rosters_name_their_lines() {
        let e = Roster::parse("id,name\namy,A\n\n,B\namy,C\n", "r.csv").expect_err("bad");
        assert!(e.contains("r.csv:4: no id"), "{e}");
        assert!(e.contains("r.csv:5: the id `amy` is already on line 2"), "{e}");
        let e = Roster::parse("student number,name\n1,A\n", "r.csv").expect_err("no id");
        assert!(e.starts_with("r.csv:1: no `id` column"), "{e}");
    }
}
