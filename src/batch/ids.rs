//! Student ids: which student an answer file belongs to, and the order answers are listed in.
//!
//! By default the id is the file name without its extension (`amy.txt` is `amy`), or the
//! folder's name for a per-student folder: when a folder was given, and the file sits directly
//! in one of its direct subfolders, and that subfolder holds no other answer file directly
//! (`answers/Amy Jones/essay.docx` is `Amy Jones`; learning platforms export this way).
//! `--id-pattern` replaces this with a regular expression whose named group `id` is matched
//! against the path relative to the argument (`/`-separated); where it does not match, the
//! default id is used and a warning says so.

use std::cmp::Ordering;
use std::collections::HashMap;

use rayon::prelude::*;
use regex::Regex;

use super::walk::Found;

/// The default id of each file, as described in the module documentation.
fn default_ids(files: &[Found]) -> Vec<String> {
    // Answer files directly in each direct subfolder of a folder argument.
    let mut per_folder: HashMap<(usize, &str), usize> = HashMap::new();
    for f in files {
        if let Some(folder) = student_folder(f) {
            *per_folder.entry((f.root, folder)).or_default() += 1;
        }
    }
    // On the caller's rayon pool: a batch can hold 100,000 files.
    files
        .par_iter()
        .map(|f| match student_folder(f) {
            Some(folder) if per_folder.get(&(f.root, folder)) == Some(&1) => folder.to_string(),
            _ => stem(f),
        })
        .collect()
}

/// The subfolder of a per-student layout the file sits in, if its place allows it.
fn student_folder(f: &Found) -> Option<&str> {
    if !f.root_is_dir {
        return None;
    }
    let mut parts = f.rel.split('/');
    let (folder, _file, rest) = (parts.next()?, parts.next()?, parts.next());
    rest.is_none().then_some(folder)
}

/// The file name without its extension, as [`Path::file_stem`] has it (`notes.v2.txt` is
/// `notes.v2`, `.txt` is `.txt`). Taken from the relative path the walk made, which ends with
/// the file name when the file was found in a folder (a string, where parsing the path's
/// components again took half a microsecond a file).
fn stem(f: &Found) -> String {
    let from_path = || {
        f.path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| f.path.display().to_string())
    };
    if !f.root_is_dir {
        return from_path();
    }
    let name = f.rel.rsplit('/').next().unwrap_or(&f.rel);
    match name.rsplit_once('.') {
        _ if name == ".." || name.is_empty() => from_path(),
        Some((before, _)) if !before.is_empty() => before.to_string(),
        _ => name.to_string(),
    }
}

/// Checks an `--id-pattern`: it must compile and have a group named `id`.
pub fn compile_pattern(pattern: &str) -> Result<Regex, String> {
    let re = Regex::new(pattern).map_err(|e| format!("invalid --id-pattern: {e}"))?;
    if !re.capture_names().any(|n| n == Some("id")) {
        return Err(format!(
            "--id-pattern `{pattern}` has no group named `id`; write it like `(?P<id>[^/]+)/`"
        ));
    }
    Ok(re)
}

/// The id of every file (before duplicates are told apart). Warnings go to `warnings`.
pub fn assign(files: &[Found], pattern: Option<&Regex>, warnings: &mut Vec<String>) -> Vec<String> {
    let defaults = default_ids(files);
    let Some(re) = pattern else { return defaults };
    let mut unmatched = Vec::new();
    let ids = files
        .iter()
        .zip(defaults)
        .map(|(f, default)| {
            match re
                .captures(&f.rel)
                .and_then(|c| c.name("id"))
                .map(|m| m.as_str().trim())
                .filter(|s| !s.is_empty())
            {
                Some(id) => id.to_string(),
                None => {
                    unmatched.push(f.path.display().to_string());
                    default
                }
            }
        })
        .collect();
    if !unmatched.is_empty() {
        warnings.push(format!(
            "--id-pattern did not match {} file{}, which keep the default id: {}",
            unmatched.len(),
            if unmatched.len() == 1 { "" } else { "s" },
            unmatched.join(", ")
        ));
    }
    ids
}

/// Orders ids the way people expect: case aside, and numbers by value (`s2` before `s10`); ties
/// are broken by the plain text so the order is total.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut x, mut y) = (a, b);
    loop {
        match (x.chars().next(), y.chars().next()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(c), Some(d)) if c.is_ascii_digit() && d.is_ascii_digit() => {
                let nx = x.find(|ch: char| !ch.is_ascii_digit()).unwrap_or(x.len());
                let ny = y.find(|ch: char| !ch.is_ascii_digit()).unwrap_or(y.len());
                let (dx, dy) = (x[..nx].trim_start_matches('0'), y[..ny].trim_start_matches('0'));
                let ord = dx.len().cmp(&dy.len()).then_with(|| dx.cmp(dy));
                if ord != Ordering::Equal {
                    return ord;
                }
                x = &x[nx..];
                y = &y[ny..];
            }
            (Some(c), Some(d)) => {
                let ord = c.to_lowercase().cmp(d.to_lowercase());
                if ord != Ordering::Equal {
                    return ord;
                }
                x = &x[c.len_utf8()..];
                y = &y[d.len_utf8()..];
            }
        }
    }
}

/// Tells apart ids used by more than one answer, in the order given (sorted, so equal ids are
/// next to each other): the first keeps its id, the others get `#2`, `#3`... Returns a warning
/// per shared id, naming the files.
pub fn disambiguate(ids: &mut [String], files: &[String]) -> Vec<String> {
    let mut warnings = Vec::new();
    let mut i = 0;
    while i < ids.len() {
        let mut j = i + 1;
        while j < ids.len() && ids[j] == ids[i] {
            j += 1;
        }
        if j - i > 1 {
            let id = ids[i].clone();
            let mut names = vec![id.clone()];
            for (n, slot) in ids[i + 1..j].iter_mut().enumerate() {
                *slot = format!("{id}#{}", n + 2);
                names.push(slot.clone());
            }
            warnings.push(format!(
                "{} answers have the id `{id}` ({}): they are listed as {}",
                j - i,
                files[i..j].join(", "),
                names.join(", ")
            ));
        }
        i = j;
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn found(rel: &str, root_is_dir: bool) -> Found {
        Found {
            path: PathBuf::from("answers").join(rel),
            root: 0,
            root_is_dir,
            rel: rel.to_string(),
        }
    }

    #[test]
    fn stems_are_those_of_the_path() {
        for rel in [
            "amy.txt",
            "notes.v2.txt",
            ".hidden.txt",
            "a/.txt",
            "a/b/c.d.md",
            "no-extension",
            "sub/Zoë Ü.docx",
            "x.",
        ] {
            for root_is_dir in [true, false] {
                let f = found(rel, root_is_dir);
                let want = f.path.file_stem().map(|s| s.to_string_lossy().into_owned());
                assert_eq!(Some(stem(&f)), want, "{rel}");
            }
        }
    }

    #[test]
    fn default_ids_use_per_student_folders() {
        let files = [
            found("amy.txt", true),
            found("Ben Lee/essay.docx", true),
            found("group/x.txt", true),
            found("group/y.md", true),
            found("deep/er/z.txt", true),
        ];
        assert_eq!(default_ids(&files), ["amy", "Ben Lee", "x", "y", "z"]);
        // A file given by itself is never in a per-student folder.
        assert_eq!(default_ids(&[found("Ben Lee/essay.docx", false)]), ["essay"]);
    }

    #[test]
    fn id_patterns() {
        let re = compile_pattern(r"^(?P<id>\d+)_").expect("compiles");
        let files = [found("1234_essay.txt", true), found("other.txt", true)];
        let mut warnings = Vec::new();
        assert_eq!(assign(&files, Some(&re), &mut warnings), ["1234", "other"]);
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].contains("answers/other.txt"), "{warnings:?}");
        assert!(compile_pattern("(?P<name>.*)").is_err());
        assert!(compile_pattern("(").is_err());
    }

    #[test]
    fn natural_order() {
        let mut v = vec!["s10", "S2", "s2", "a", "s02", "B", "s1x"];
        v.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(v, ["a", "B", "s1x", "S2", "s02", "s2", "s10"]);
    }

    #[test]
    fn shared_ids_get_suffixes() {
        let mut ids: Vec<String> = ["amy", "amy", "amy", "ben"].map(String::from).to_vec();
        let files: Vec<String> = ["a/amy.txt", "b/amy.txt", "c/amy.md", "ben.txt"]
            .map(String::from)
            .to_vec();
        let w = disambiguate(&mut ids, &files);
        assert_eq!(ids, ["amy", "amy#2", "amy#3", "ben"]);
        assert_eq!(w.len(), 1);
        assert!(w[0].contains("a/amy.txt, b/amy.txt, c/amy.md"), "{w:?}");
    }
}
