//! Integration tests of the `rubric` binary: exit codes, inputs, rubric errors, the JSON and
//! human reports, `lint` and `test`. The snapshots of the reports of every sample answer are in
//! this file (`tests/snapshots/`), with the check that their statuses are the teacher's
//! (`samples/stalin/expected.toml`, known differences listed there); the other tests are in
//! `tests/cli/`: the cases that are only arguments, input, exit code and messages are rows of
//! `tests/cli/cases.toml`, run by `tests/cli/cases.rs`.
//!
//! Update the snapshots after an intended change of the reports with
//! `INSTA_UPDATE=always cargo test --test cli`, then review the diff of `tests/snapshots/`.

#[path = "cli/cases.rs"]
mod cases;
#[path = "cli/common.rs"]
mod common;
#[path = "cli/exit_codes.rs"]
mod exit_codes;
#[path = "cli/folders.rs"]
mod folders;
#[path = "cli/human.rs"]
mod human;
#[path = "cli/input.rs"]
mod input;
#[path = "cli/json.rs"]
mod json;
#[path = "cli/lint.rs"]
mod lint;
#[path = "cli/options.rs"]
mod options;
#[path = "cli/rubric_errors.rs"]
mod rubric_errors;

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

use common::*;

/// JSON that keeps the order of object keys (serde_json's `Value` sorts them), so a pretty
/// snapshot reads in the report's own order.
enum Json {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    String(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Json, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Json;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("JSON")
            }
            fn visit_unit<E>(self) -> Result<Json, E> {
                Ok(Json::Null)
            }
            fn visit_bool<E>(self, b: bool) -> Result<Json, E> {
                Ok(Json::Bool(b))
            }
            fn visit_u64<E>(self, n: u64) -> Result<Json, E> {
                Ok(Json::Number(n.into()))
            }
            fn visit_i64<E>(self, n: i64) -> Result<Json, E> {
                Ok(Json::Number(n.into()))
            }
            fn visit_f64<E: de::Error>(self, n: f64) -> Result<Json, E> {
                serde_json::Number::from_f64(n)
                    .map(Json::Number)
                    .ok_or_else(|| E::custom("not a JSON number"))
            }
            fn visit_str<E>(self, s: &str) -> Result<Json, E> {
                Ok(Json::String(s.to_string()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Json::Array(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
                let mut entries: Vec<(String, Json)> = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, Json>()? {
                    if entries.iter().any(|(seen, _)| *seen == k) {
                        return Err(de::Error::custom(format!("duplicate key `{k}`")));
                    }
                    entries.push((k, v));
                }
                Ok(Json::Object(entries))
            }
        }
        d.deserialize_any(V)
    }
}

impl Serialize for Json {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Json::Null => s.serialize_unit(),
            Json::Bool(b) => s.serialize_bool(*b),
            Json::Number(n) => n.serialize(s),
            Json::String(x) => s.serialize_str(x),
            Json::Array(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for i in items {
                    seq.serialize_element(i)?;
                }
                seq.end()
            }
            Json::Object(entries) => {
                let mut map = s.serialize_map(Some(entries.len()))?;
                for (k, v) in entries {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

/// One line of JSON, pretty-printed with its keys in order.
fn pretty_json(line: &str) -> String {
    let json: Json = serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
    serde_json::to_string_pretty(&json).unwrap()
}

/// Makes a report independent of where the package is checked out.
fn portable(s: &str) -> String {
    s.replace(root().to_str().unwrap(), "[ROOT]")
}

/// Snapshots the human report (no colour) and the pretty JSON report of a sample answer.
fn snapshot_sample(name: &str) {
    let file = format!("samples/stalin/{name}");
    let mut settings = insta::Settings::clone_current();
    settings.set_omit_expression(true);
    settings.set_input_file(path(&file));

    let human = run(&["check", "-r", STALIN, "--color", "never", &file]);
    human.code(0);
    assert!(!human.raw_stdout.contains(&0x1b));
    settings.set_description(format!("rubric check -r {STALIN} --color never {file}"));
    settings.bind(|| insta::assert_snapshot!(format!("human__{name}"), portable(&human.stdout)));

    let json = run(&["check", "-r", STALIN, "--format", "json", &file]);
    json.code(0);
    assert_eq!(json.stdout.lines().count(), 1, "one JSON line per answer");
    settings.set_description(format!(
        "rubric check -r {STALIN} --format json {file} (pretty-printed)"
    ));
    settings.bind(|| insta::assert_snapshot!(format!("json__{name}"), portable(&pretty_json(&json.stdout))));
}

/// One test per sample answer, and the list of the samples they cover.
macro_rules! sample_snapshots {
    ($($test:ident => $name:literal),* $(,)?) => {
        $(
            #[test]
            fn $test() {
                snapshot_sample($name);
            }
        )*
        const SNAPSHOTTED_SAMPLES: &[&str] = &[$($name),*];
    };
}

sample_snapshots! {
    report_snapshots_of_curly_quotes_txt => "curly-quotes.txt",
    report_snapshots_of_hedged_txt => "hedged.txt",
    report_snapshots_of_long_essay_txt => "long-essay.txt",
    report_snapshots_of_markdown_md => "markdown.md",
    report_snapshots_of_misspelt_txt => "misspelt.txt",
    report_snapshots_of_negated_txt => "negated.txt",
    report_snapshots_of_no_punctuation_txt => "no-punctuation.txt",
    report_snapshots_of_off_topic_txt => "off-topic.txt",
    report_snapshots_of_paraphrased_txt => "paraphrased.txt",
    report_snapshots_of_partial_txt => "partial.txt",
    report_snapshots_of_questions_only_txt => "questions-only.txt",
    report_snapshots_of_strong_txt => "strong.txt",
    report_snapshots_of_weak_txt => "weak.txt",
    report_snapshots_of_wrapped_txt => "wrapped.txt",
}

#[test]
fn every_sample_answer_has_report_snapshots() {
    let mut listed: Vec<&str> = SNAPSHOTTED_SAMPLES.to_vec();
    listed.sort();
    assert_eq!(
        sample_answers(),
        listed,
        "add a line to `sample_snapshots!` in tests/cli.rs for each new sample answer"
    );
}

#[test]
fn pretty_json_keeps_key_order_and_values() {
    let line = r#"{"z":1,"a":[true,null,2.5,"é"],"m":{"y":0.0,"b":-3}}"#;
    let pretty = pretty_json(line);
    assert!(pretty.find("\"z\"").unwrap() < pretty.find("\"a\"").unwrap());
    assert!(pretty.find("\"y\"").unwrap() < pretty.find("\"b\"").unwrap());
    let back: serde_json::Value = serde_json::from_str(&pretty).unwrap();
    assert_eq!(back, serde_json::from_str::<serde_json::Value>(line).unwrap());
}

/// The statuses of every sample answer are the teacher's (`samples/stalin/expected.toml`),
/// except the differences listed there with their reason: any other difference fails, and so
/// does a listed one that no longer differs, so that the list stays true. Every sample answer
/// must be judged there.
#[test]
fn sample_statuses_match_the_teacher() {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Expected {
        answer: Vec<Judged>,
    }
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Judged {
        file: String,
        covered: Vec<String>,
        partial: Vec<String>,
        negated: Vec<String>,
        note: String,
        #[serde(default)]
        differs: Vec<Differs>,
    }
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Differs {
        point: String,
        status: String,
        why: String,
    }

    let text = std::fs::read_to_string(path("samples/stalin/expected.toml")).expect("expected.toml");
    let expected: Expected = toml::from_str(&text).expect("expected.toml parses");
    let mut judged: Vec<&str> = expected.answer.iter().map(|a| a.file.as_str()).collect();
    judged.sort();
    assert_eq!(
        judged,
        sample_answers(),
        "every sample answer is judged once in expected.toml"
    );

    let ids: Vec<String> = declared_points(STALIN).into_iter().flat_map(|(_, p)| p).collect();
    let files: Vec<String> = expected
        .answer
        .iter()
        .map(|a| format!("samples/stalin/{}", a.file))
        .collect();
    let mut args = vec!["check", "-r", STALIN, "--format", "json"];
    args.extend(files.iter().map(String::as_str));
    let run = run(&args);
    run.code(0);
    let reports = run.json_lines();
    assert_eq!(reports.len(), files.len(), "{}", run.stdout);

    let mut problems = Vec::new();
    for (a, file) in expected.answer.iter().zip(&files) {
        assert!(!a.note.is_empty(), "{}: a note says what the answer does", a.file);
        let report = reports
            .iter()
            .find(|r| r["file"] == file.as_str())
            .unwrap_or_else(|| panic!("no report for {file}"));
        for listed in [&a.covered, &a.partial, &a.negated].into_iter().flatten() {
            assert!(ids.contains(listed), "{}: no point `{listed}` in {STALIN}", a.file);
        }
        for d in &a.differs {
            assert!(ids.contains(&d.point), "{}: no point `{}` in {STALIN}", a.file, d.point);
            assert!(!d.why.is_empty(), "{} {}: say why it differs", a.file, d.point);
        }
        for id in &ids {
            let teacher = if a.covered.contains(id) {
                "covered"
            } else if a.partial.contains(id) {
                "partial"
            } else if a.negated.contains(id) {
                "negated"
            } else {
                "missing"
            };
            let listed: Vec<&Differs> = a.differs.iter().filter(|d| d.point == *id).collect();
            assert!(listed.len() <= 1, "{} {id}: listed twice under differs", a.file);
            let tool = point(report, id)["status"].as_str().expect("status").to_string();
            match listed.first() {
                None if tool != teacher => problems.push(format!(
                    "{} {id}: the teacher says {teacher}, rubric check says {tool} (fix it, or list it under [[answer.differs]] with why)",
                    a.file
                )),
                Some(_) if tool == teacher => problems.push(format!(
                    "{} {id}: now agrees with the teacher ({teacher}): delete its [[answer.differs]]",
                    a.file
                )),
                Some(d) if tool != d.status => problems.push(format!(
                    "{} {id}: listed as {} but rubric check says {tool} (the teacher says {teacher})",
                    a.file, d.status
                )),
                _ => {}
            }
        }
    }
    assert!(
        problems.is_empty(),
        "samples/stalin/expected.toml:\n{}",
        problems.join("\n")
    );
}
