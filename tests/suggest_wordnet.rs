//! `rubric suggest`'s WordNet synonyms, run as a user would: the binary with
//! `RUBRIC_WORDNET_DIR` pointing at a tiny WordNet database written for the test (index and
//! data files in the WordNet 3.0 format, data lines at their true byte offsets).

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;
use serde_json::Value;

const RUBRIC: &str = r#"
title = "What do you need to repeat the experiment?"
[[question]]
id = "q"
prompt = "What else would you need to know?"
[[question.point]]
id = "vinegar"
label = "How much vinegar"
hint = "How much of the liquid?"
cues = ["amount of vinegar"]
[[question.point]]
id = "container"
label = "Type of container"
hint = "What were they in?"
cues = ["beaker"]
"#;

/// A WordNet database of noun synsets in `dir`.
fn write_wordnet(dir: &Path, synsets: &[&[&str]]) {
    let header = "  1 This software and database is being provided to you, the LICENSEE, by  \n";
    let mut data = String::from(header);
    let mut index: std::collections::BTreeMap<&str, Vec<usize>> = Default::default();
    for lemmas in synsets {
        let offset = data.len();
        data.push_str(&format!("{offset:08} 06 n {:02x}", lemmas.len()));
        for l in lemmas.iter() {
            data.push_str(&format!(" {l} 0"));
            index.entry(l).or_default().push(offset);
        }
        data.push_str(" 000 | a gloss  \n");
    }
    let mut idx = String::from(header);
    for (lemma, offsets) in index {
        let list: Vec<String> = offsets.iter().map(|o| format!("{o:08}")).collect();
        idx.push_str(&format!(
            "{lemma} n {0} 1 @ {0} 0 {1}  \n",
            offsets.len(),
            list.join(" ")
        ));
    }
    std::fs::write(dir.join("index.noun"), idx).unwrap();
    std::fs::write(dir.join("data.noun"), data).unwrap();
}

/// A rubric, marks and a WordNet database in a temporary directory.
fn setup() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("r.toml"), RUBRIC).unwrap();
    let mut csv = String::from("id,score,text\n");
    for i in 0..4 {
        csv.push_str(&format!("h{i},3,\"the amount of vinegar and the flask it was in\"\n"));
    }
    csv.push_str("k,3,\"the amount of vinegar and a beaker or flask\"\n");
    for i in 0..5 {
        csv.push_str(&format!("l{i},0,\"the amount of it\"\n"));
    }
    std::fs::write(dir.path().join("m.csv"), csv).unwrap();
    let wn = dir.path().join("wordnet");
    std::fs::create_dir(&wn).unwrap();
    write_wordnet(&wn, &[&["beaker", "flask", "chalice"], &["lorry", "truck"]]);
    std::fs::create_dir(dir.path().join("empty")).unwrap();
    dir
}

fn suggest(dir: &Path, wordnet: &str, json: bool) -> std::process::Output {
    let mut cmd = Command::cargo_bin("rubric").expect("binary built");
    cmd.current_dir(dir)
        .env("RUBRIC_WORDNET_DIR", dir.join(wordnet))
        .args(["suggest", "--rubric", "r.toml", "m.csv"]);
    if json {
        cmd.args(["--format", "json"]);
    }
    cmd.output().expect("runs")
}

#[test]
fn suggest_lists_synonyms_of_cue_words_with_the_answers() {
    let dir = setup();
    let out = suggest(dir.path(), "wordnet", true);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let j: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(
        j["wordnet"].as_str().is_some_and(|d| d.ends_with("wordnet")),
        "{}",
        j["wordnet"]
    );
    let syn = j["synonyms"].as_array().expect("synonyms");
    assert_eq!(syn.len(), 1, "{syn:?}");
    assert_eq!(syn[0]["point"], "container");
    assert_eq!(syn[0]["cue_word"], "beaker");
    assert_eq!(syn[0]["synonym"], "flask");
    assert_eq!(syn[0]["cue"], "beaker|flask");
    assert_eq!((syn[0]["high"].as_u64(), syn[0]["low"].as_u64()), (Some(5), Some(0)));
    let ids: Vec<&str> = syn[0]["answers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["h0", "h1", "h2", "h3"], "k has beaker: covered");
    assert_eq!(syn[0]["answers"][0]["human"], 3);
    assert_eq!(syn[0]["answers"][0]["status"], "missing");

    let out = suggest(dir.path(), "wordnet", false);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Synonyms (WordNet)"), "{text}");
    let row = text
        .lines()
        .find(|l| l.contains("beaker|flask"))
        .expect("a row for flask");
    assert!(
        row.contains("container") && row.contains("h0 3/") && row.contains("h3 3/"),
        "{row}"
    );
    assert!(!text.contains("chalice") && !text.contains("truck"), "{text}");
}

#[test]
fn without_wordnet_suggest_says_so_in_one_line() {
    let dir = setup();
    let out = suggest(dir.path(), "empty", true);
    assert_eq!(out.status.code(), Some(0));
    let j: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(j["wordnet"].is_null());
    assert_eq!(j["synonyms"], serde_json::json!([]));
    Command::cargo_bin("rubric")
        .unwrap()
        .current_dir(dir.path())
        .env("RUBRIC_WORDNET_DIR", dir.path().join("empty"))
        .args(["suggest", "--rubric", "r.toml", "m.csv"])
        .assert()
        .code(0)
        .stdout(
            contains("synonyms: WordNet not found (apt-get install wordnet-base)")
                .and(contains("Synonyms (WordNet)").not()),
        );
}
