//! A small reader of the WordNet 3.0 database (Debian's `wordnet-base`), for the synonyms
//! `rubric suggest` proposes.
//!
//! The database is looked for in the directory named by `RUBRIC_WORDNET_DIR`, else in
//! `/usr/share/wordnet`; without its files ([`WordNet::locate`] gives `None`) synonyms are
//! simply not suggested. Only the `index.POS` and `data.POS` files of the four parts of speech
//! are read: an index file is loaded once, the first time a word is looked up, and each line of
//! it (`lemma pos synset_cnt p_cnt [ptr_symbol...] sense_cnt tagsense_cnt synset_offset...`)
//! names the byte offsets of the word's synsets in the data file, whose line there reads
//! `synset_offset lex_filenum ss_type w_cnt word lex_id [word lex_id...] ...` (`w_cnt` in
//! hexadecimal). Lines starting with two spaces are the licence header.
//!
//! A word's synonyms ([`WordNet::synonyms`]) are the other lemmas of its synsets (all, or its
//! commonest few), in every part of speech: lowercase, underscores read as spaces, without the
//! word itself, without lemmas of more than three words, each once, in the order found. A word not in an index is
//! tried again under its base forms by the rules of WordNet's own `morphy` (suffixes only:
//! "cars" → "car", "ran" is not found).

use std::cell::OnceCell;
use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Seek, SeekFrom};
use std::path::{Path, PathBuf};

/// The environment variable naming the database's directory.
pub const ENV: &str = "RUBRIC_WORDNET_DIR";

/// Where Debian's `wordnet-base` installs the database.
pub const DEFAULT_DIR: &str = "/usr/share/wordnet";

/// The parts of speech, as the files are named.
const POS: [&str; 4] = ["noun", "verb", "adj", "adv"];

/// Longest lemma kept, in words.
const MAX_WORDS: usize = 3;

/// Suffix rules of `morphy` (ending, replacement), by part of speech.
const RULES: [&[(&str, &str)]; 4] = [
    &[
        ("s", ""),
        ("ses", "s"),
        ("xes", "x"),
        ("zes", "z"),
        ("ches", "ch"),
        ("shes", "sh"),
        ("men", "man"),
        ("ies", "y"),
    ],
    &[
        ("s", ""),
        ("ies", "y"),
        ("es", "e"),
        ("es", ""),
        ("ed", "e"),
        ("ed", ""),
        ("ing", "e"),
        ("ing", ""),
    ],
    &[("er", ""), ("est", ""), ("er", "e"), ("est", "e")],
    &[],
];

/// An installed WordNet database.
#[derive(Debug)]
pub struct WordNet {
    dir: PathBuf,
    /// Per part of speech: lemma → synset offsets, loaded on first use.
    index: [OnceCell<HashMap<String, Vec<u64>>>; 4],
}

impl WordNet {
    /// The database in `$RUBRIC_WORDNET_DIR`, else in [`DEFAULT_DIR`]; `None` when that
    /// directory lacks `index.noun` or `data.noun`.
    pub fn locate() -> Option<WordNet> {
        let dir = std::env::var_os(ENV)
            .filter(|d| !d.is_empty())
            .map_or_else(|| PathBuf::from(DEFAULT_DIR), PathBuf::from);
        WordNet::open(&dir)
    }

    /// The database in `dir`, if it has `index.noun` and `data.noun`.
    pub fn open(dir: &Path) -> Option<WordNet> {
        (dir.join("index.noun").is_file() && dir.join("data.noun").is_file()).then(|| WordNet {
            dir: dir.to_path_buf(),
            index: Default::default(),
        })
    }

    /// The directory read.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The index of part of speech `pos` (an index into [`POS`]); empty if unreadable.
    fn index(&self, pos: usize) -> &HashMap<String, Vec<u64>> {
        self.index[pos].get_or_init(|| {
            let path = self.dir.join(format!("index.{}", POS[pos]));
            std::fs::read(&path)
                .map(|bytes| parse_index(&String::from_utf8_lossy(&bytes)))
                .unwrap_or_default()
        })
    }

    /// The synset offsets of `lemma` (lowercase, spaces as underscores) in part of speech `pos`.
    fn offsets(&self, pos: usize, lemma: &str) -> Option<&[u64]> {
        self.index(pos).get(lemma).map(Vec::as_slice)
    }

    /// The other lemmas of `word`'s synsets (see the module documentation), from its first
    /// `senses` synsets in each part of speech (an index lists them commonest first;
    /// `usize::MAX` for all), which can leave out rare senses ("head" as "question").
    pub fn synonyms(&self, word: &str, senses: usize) -> Vec<String> {
        let word = word.trim().to_lowercase();
        if word.is_empty() {
            return Vec::new();
        }
        let key = word.replace(' ', "_");
        let mut found: Vec<(usize, String)> = Vec::new();
        for pos in 0..POS.len() {
            if self.offsets(pos, &key).is_some() {
                found.push((pos, key.clone()));
            }
        }
        if found.is_empty() {
            for (pos, rules) in RULES.iter().enumerate() {
                for (end, with) in rules.iter() {
                    if let Some(base) = key.strip_suffix(end)
                        && !base.is_empty()
                    {
                        let base = format!("{base}{with}");
                        if self.offsets(pos, &base).is_some() && !found.iter().any(|f| f.0 == pos && f.1 == base) {
                            found.push((pos, base));
                        }
                    }
                }
            }
        }
        let mut out: Vec<String> = Vec::new();
        for (pos, lemma) in &found {
            let Some(offsets) = self.offsets(*pos, lemma) else {
                continue;
            };
            let Ok(file) = File::open(self.dir.join(format!("data.{}", POS[*pos]))) else {
                continue;
            };
            let mut reader = BufReader::new(file);
            for &offset in offsets.iter().take(senses) {
                let mut line = String::new();
                if reader.seek(SeekFrom::Start(offset)).is_err() || reader.read_line(&mut line).is_err() {
                    continue;
                }
                for l in synset_lemmas(&line, offset) {
                    let l = l.replace('_', " ").to_lowercase();
                    if l != word
                        && l != lemma.replace('_', " ")
                        && l.split(' ').count() <= MAX_WORDS
                        && !out.contains(&l)
                    {
                        out.push(l);
                    }
                }
            }
        }
        out
    }
}

/// An index file: lemma → synset offsets (the last `synset_cnt` fields of each line).
fn parse_index(text: &str) -> HashMap<String, Vec<u64>> {
    let mut map = HashMap::new();
    for line in text.lines() {
        if line.starts_with("  ") {
            continue;
        }
        let fields: Vec<&str> = line.split_ascii_whitespace().collect();
        let Some(count) = fields.get(2).and_then(|c| c.parse::<usize>().ok()) else {
            continue;
        };
        if count == 0 || fields.len() < 4 + count {
            continue;
        }
        let offsets: Vec<u64> = fields[fields.len() - count..]
            .iter()
            .filter_map(|o| o.parse().ok())
            .collect();
        if offsets.len() == count {
            map.insert(fields[0].to_string(), offsets);
        }
    }
    map
}

/// The lemmas of a data line, if it is the synset at `offset` (a line elsewhere gives none).
fn synset_lemmas(line: &str, offset: u64) -> Vec<&str> {
    let mut fields = line.split_ascii_whitespace();
    if fields.next().and_then(|o| o.parse::<u64>().ok()) != Some(offset) {
        return Vec::new();
    }
    let (_lex_filenum, _ss_type) = (fields.next(), fields.next());
    let Some(count) = fields.next().and_then(|c| usize::from_str_radix(c, 16).ok()) else {
        return Vec::new();
    };
    let mut out = Vec::with_capacity(count);
    for _ in 0..count {
        let (Some(word), Some(_lex_id)) = (fields.next(), fields.next()) else {
            break;
        };
        // Adjectives may carry a syntactic marker: `galore(ip)`.
        out.push(word.split('(').next().unwrap_or(word));
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    const ALL: usize = usize::MAX;

    /// Writes a tiny WordNet database into `dir`: `synsets` of part of speech `pos`, each a
    /// list of lemmas, with index lines for every lemma and data lines at their true offsets.
    pub(crate) fn write_db(dir: &Path, pos: &str, synsets: &[&[&str]]) {
        let header = "  1 This software and database is being provided to you, the LICENSEE, by  \n  2 Princeton University under the following license.  \n";
        let mut data = String::from(header);
        let mut index: std::collections::BTreeMap<String, Vec<u64>> = Default::default();
        for lemmas in synsets {
            let offset = data.len() as u64;
            let mut line = format!("{offset:08} 06 n {:02x}", lemmas.len());
            for l in lemmas.iter() {
                line.push_str(&format!(" {l} 0"));
                let key = l.split('(').next().unwrap_or(l).to_lowercase();
                index.entry(key).or_default().push(offset);
            }
            line.push_str(" 000 | a gloss  \n");
            data.push_str(&line);
        }
        let mut idx = String::from(header);
        for (lemma, offsets) in index {
            let list: Vec<String> = offsets.iter().map(|o| format!("{o:08}")).collect();
            idx.push_str(&format!(
                "{lemma} n {} 1 @ {} 0 {}  \n",
                offsets.len(),
                offsets.len(),
                list.join(" ")
            ));
        }
        std::fs::write(dir.join(format!("index.{pos}")), idx).unwrap();
        std::fs::write(dir.join(format!("data.{pos}")), data).unwrap();
    }

    #[test]
    fn reads_the_other_lemmas_of_every_synset() {
        let dir = tempfile::tempdir().unwrap();
        write_db(
            dir.path(),
            "noun",
            &[
                &["car", "auto", "automobile", "motorcar"],
                &["car", "railcar", "railway_car", "railroad_car"],
                &["gondola", "Car"],
                &["lorry", "truck"],
                &["car", "a_very_long_multiword_lemma"],
            ],
        );
        let wn = WordNet::open(dir.path()).expect("opens");
        assert_eq!(
            wn.synonyms("car", ALL),
            [
                "auto",
                "automobile",
                "motorcar",
                "railcar",
                "railway car",
                "railroad car",
                "gondola"
            ]
        );
        assert_eq!(wn.synonyms("Truck", ALL), ["lorry"]);
        assert_eq!(wn.synonyms("car", 1), ["auto", "automobile", "motorcar"]);
        // Inflected forms by morphy's suffix rules.
        assert_eq!(wn.synonyms("lorries", ALL), ["truck"]);
        assert_eq!(wn.synonyms("trucks", ALL), ["lorry"]);
        assert!(wn.synonyms("bicycle", ALL).is_empty());
        assert!(wn.synonyms("", ALL).is_empty());
    }

    #[test]
    fn other_parts_of_speech_and_markers() {
        let dir = tempfile::tempdir().unwrap();
        write_db(dir.path(), "noun", &[&["speed", "velocity"]]);
        write_db(dir.path(), "verb", &[&["hurry", "speed", "rush"]]);
        write_db(dir.path(), "adj", &[&["fast(a)", "quick"]]);
        let wn = WordNet::open(dir.path()).unwrap();
        assert_eq!(wn.synonyms("speed", ALL), ["velocity", "hurry", "rush"]);
        assert_eq!(wn.synonyms("rushed", ALL), ["hurry", "speed"]);
        assert_eq!(wn.synonyms("quick", ALL), ["fast"]);
    }

    #[test]
    fn a_directory_without_the_files_is_no_database() {
        let dir = tempfile::tempdir().unwrap();
        assert!(WordNet::open(dir.path()).is_none());
        std::fs::write(dir.path().join("index.noun"), "").unwrap();
        assert!(WordNet::open(dir.path()).is_none());
    }

    #[test]
    fn a_wrong_offset_gives_nothing_rather_than_another_synset() {
        assert_eq!(
            synset_lemmas("00000010 06 n 02 car 0 auto 0 000 | x", 10),
            ["car", "auto"]
        );
        assert!(synset_lemmas("00000010 06 n 02 car 0 auto 0 000 | x", 11).is_empty());
        assert!(synset_lemmas("  1 licence", 0).is_empty());
    }

    /// The installed database, required when `RUBRIC_WORDNET_TESTS=1` (CI installs
    /// `wordnet-base`): a missing database then fails the test rather than skipping it.
    #[test]
    fn the_installed_database() {
        let required = std::env::var("RUBRIC_WORDNET_TESTS").is_ok_and(|v| v == "1");
        let Some(wn) = WordNet::open(Path::new(DEFAULT_DIR)) else {
            assert!(
                !required,
                "RUBRIC_WORDNET_TESTS=1 but no WordNet in {DEFAULT_DIR} (apt-get install wordnet-base)"
            );
            return;
        };
        let car = wn.synonyms("car", ALL);
        assert!(car.iter().any(|s| s == "automobile"), "{car:?}");
        assert!(wn.synonyms("cars", ALL).iter().any(|s| s == "automobile"));
        let big = wn.synonyms("big", ALL);
        assert!(big.iter().any(|s| s == "large"), "{big:?}");
        assert!(!big.iter().any(|s| s == "big"));
    }
}
