//! The teacher's last word (`rubric mark --overrides`) and the class roster (`--roster`): every
//! output follows the teacher's decisions, and re-running with the same files gives the same
//! outputs, byte for byte.

#[path = "support/run.rs"]
mod run;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use run::rubric;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A class of five answers from `samples/stalin`, with the Stalin rubric as `rubric.toml`.
fn class() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    fs::create_dir_all(d.join("answers")).expect("mkdir");
    fs::create_dir_all(d.join("out")).expect("mkdir");
    fs::copy(root().join("rubrics/stalin-rise.toml"), d.join("rubric.toml")).expect("copy");
    for (sample, id) in [
        ("strong.txt", "amy"),
        ("partial.txt", "ben"),
        ("misspelt.txt", "chloe"),
        ("weak.txt", "dan"),
        ("paraphrased.txt", "eve"),
    ] {
        fs::copy(
            root().join("samples/stalin").join(sample),
            d.join("answers").join(format!("{id}.txt")),
        )
        .expect("copy");
    }
    dir
}

/// The CSV as rows of column name → value, by id.
fn rows(path: &Path) -> BTreeMap<String, BTreeMap<String, String>> {
    let text = fs::read_to_string(path).expect("csv");
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = r.headers().expect("header").iter().map(String::from).collect();
    r.records()
        .map(|rec| {
            let row: BTreeMap<String, String> = header
                .iter()
                .cloned()
                .zip(rec.expect("record").iter().map(String::from))
                .collect();
            (row["id"].clone(), row)
        })
        .collect()
}

fn num(row: &BTreeMap<String, String>, column: &str) -> f64 {
    row[column]
        .parse()
        .unwrap_or_else(|_| panic!("{column}: {:?}", row[column]))
}

/// The rubric's question ids and, per question, its point ids.
fn questions(d: &Path) -> Vec<(String, Vec<String>)> {
    let text = fs::read_to_string(d.join("rubric.toml")).expect("rubric");
    let value: toml::Value = toml::from_str(&text).expect("toml");
    value["question"]
        .as_array()
        .expect("questions")
        .iter()
        .map(|q| {
            let points = q["point"].as_array().expect("points");
            (
                q["id"].as_str().expect("id").to_string(),
                points
                    .iter()
                    .map(|p| p["id"].as_str().expect("id").to_string())
                    .collect(),
            )
        })
        .collect()
}

/// Per-question marks add up to the score in every row.
fn sums_hold(d: &Path, rows: &BTreeMap<String, BTreeMap<String, String>>) {
    let qs = questions(d);
    for (id, row) in rows {
        if row["score"].is_empty() {
            continue;
        }
        let sum: f64 = qs.iter().map(|(q, _)| num(row, &format!("{q} marks"))).sum();
        assert!(
            (sum - num(row, "score")).abs() < 1e-9,
            "{id}: {sum} vs {}",
            row["score"]
        );
    }
}

const OUTPUTS: &[&str] = &[
    "--csv",
    "out/marks.csv",
    "--json",
    "out/marks.jsonl",
    "--html",
    "out/report.html",
    "--feedback-dir",
    "out/feedback",
];

fn mark(d: &Path, extra: &[&str]) -> run::Run {
    let mut args = vec!["mark", "-r", "rubric.toml", "answers"];
    args.extend_from_slice(OUTPUTS);
    args.extend_from_slice(extra);
    rubric(d, &args)
}

#[test]
fn overrides_change_every_output_and_survive_a_rerun() {
    let dir = class();
    let d = dir.path();
    mark(d, &[]).code(0);
    let before = rows(&d.join("out/marks.csv"));
    sums_hold(d, &before);
    assert_eq!(before["amy"]["enrolment"], "covered");
    assert_eq!(before["dan"]["sovnarkom"], "missing");
    let ben_liaison = before["ben"]["liaison"].clone();
    assert_ne!(ben_liaison, "covered");

    fs::write(
        d.join("overrides.csv"),
        "id,point,status,marks,comment\n\
         amy,enrolment,missing,,\"The date is wrong: 1924, not 1923.\"\n\
         dan,sovnarkom,covered,,Named in the diagram.\n\
         ben,liaison,covered,0.5,Half: the link is implied.\n\
         eve,,,,Lovely handwriting.\n",
    )
    .expect("write");
    let run = mark(d, &["--overrides", "overrides.csv"]);
    run.code(0);
    assert!(
        run.stderr.contains("the teacher's 4 decisions on 4 answers applied"),
        "{}",
        run.stderr
    );
    let after = rows(&d.join("out/marks.csv"));
    sums_hold(d, &after);
    // amy loses the enrolment mark; dan gains sovnarkom's; ben's liaison earns the teacher's 0.5.
    assert_eq!(after["amy"]["enrolment"], "missing (teacher)");
    assert_eq!(num(&after["amy"], "enrolment marks"), 0.0);
    assert_eq!(num(&after["amy"], "score"), num(&before["amy"], "score") - 1.0);
    assert_eq!(after["dan"]["sovnarkom"], "covered (teacher)");
    assert_eq!(num(&after["dan"], "score"), num(&before["dan"], "score") + 1.0);
    assert_eq!(after["ben"]["liaison"], "covered (teacher)");
    assert_eq!(num(&after["ben"], "liaison marks"), 0.5);
    let ben_gain = 0.5 - num(&before["ben"], "liaison marks");
    assert_eq!(num(&after["ben"], "score"), num(&before["ben"], "score") + ben_gain);
    assert_eq!(
        after["amy"]["comments"],
        "enrolment: The date is wrong: 1924, not 1923."
    );
    assert_eq!(after["eve"]["comments"], "Lovely handwriting.");
    assert_eq!(after["eve"]["score"], before["eve"]["score"]);
    assert_eq!(after["chloe"]["comments"], "");
    for id in ["chloe", "eve"] {
        assert_eq!(after[id]["score"], before[id]["score"], "{id} unchanged");
    }

    // The JSON Lines follow: status, marks, question score and score.
    let jsonl = fs::read_to_string(d.join("out/marks.jsonl")).expect("jsonl");
    let amy: serde_json::Value = jsonl
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("json"))
        .find(|v| v["file"] == "answers/amy.txt")
        .expect("amy's line");
    assert_eq!(amy["score"].as_f64(), Some(num(&after["amy"], "score")));
    let point = amy["questions"]
        .as_array()
        .expect("questions")
        .iter()
        .flat_map(|q| q["points"].as_array().expect("points").iter())
        .find(|p| p["id"] == "enrolment")
        .expect("enrolment");
    assert_eq!(point["status"], "missing");
    assert_eq!(point["marks"].as_f64(), Some(0.0));
    // The summary's point counts follow too.
    let summary: serde_json::Value = serde_json::from_str(jsonl.lines().last().expect("summary")).expect("json");
    let enrolment = summary["points"]
        .as_array()
        .expect("points")
        .iter()
        .find(|p| p["id"] == "enrolment")
        .expect("enrolment");
    let covered_before = before.values().filter(|r| r["enrolment"] == "covered").count() as u64;
    assert_eq!(enrolment["covered"].as_u64(), Some(covered_before - 1));

    // The HTML grid rings the teacher's cells and says so.
    let html = fs::read_to_string(d.join("out/report.html")).expect("html");
    assert_eq!(
        html.matches("<td class=\"st covered teacher\"").count(),
        2,
        "dan and ben"
    );
    assert_eq!(html.matches("<td class=\"st missing teacher\"").count(), 1, "amy");
    assert!(
        html.contains("the teacher&#39;s decision: The date is wrong"),
        "the comment in the grid"
    );

    // Re-running with the same file gives the same outputs, byte for byte.
    let files = ["out/marks.csv", "out/marks.jsonl", "out/report.html"];
    let first: Vec<Vec<u8>> = files.iter().map(|f| fs::read(d.join(f)).expect("read")).collect();
    mark(d, &["--overrides", "overrides.csv"]).code(0);
    let second: Vec<Vec<u8>> = files.iter().map(|f| fs::read(d.join(f)).expect("read")).collect();
    for ((f, a), b) in files.iter().zip(&first).zip(&second) {
        assert!(a == b, "{f} changed on a re-run");
    }
}

#[test]
fn a_bad_overrides_file_is_an_error_with_its_lines_and_writes_nothing() {
    let dir = class();
    let d = dir.path();
    fs::write(
        d.join("overrides.csv"),
        "id,point,status,marks,comment\namy,enrolment,done,,\nben,nosuch,covered,,\n",
    )
    .expect("write");
    let run = mark(d, &["--overrides", "overrides.csv"]);
    run.code(2);
    assert!(run.stderr.contains("overrides.csv:2: status `done`"), "{}", run.stderr);
    assert!(
        run.stderr.contains("overrides.csv:3: no point `nosuch`"),
        "{}",
        run.stderr
    );
    assert!(!d.join("out/marks.csv").exists(), "nothing written");

    fs::write(
        d.join("overrides.csv"),
        "id,point,status\namy,enrolment,missing\nzed,enrolment,covered\n",
    )
    .expect("write");
    let run = mark(d, &["--overrides", "overrides.csv"]);
    run.code(2);
    assert!(
        run.stderr.contains("overrides.csv:3: no answer has the id `zed`"),
        "{}",
        run.stderr
    );
    assert!(!d.join("out/marks.csv").exists(), "nothing written");

    let run = mark(d, &["--overrides", "nowhere.csv"]);
    run.code(2);
    assert!(run.stderr.contains("nowhere.csv"), "{}", run.stderr);
}

#[test]
fn a_roster_names_students_lists_who_handed_nothing_in_and_flags_strangers() {
    let dir = class();
    let d = dir.path();
    // File names as students and platforms make them.
    fs::rename(d.join("answers/amy.txt"), d.join("answers/Zoe Muller-Garcia essay.txt")).expect("rename");
    fs::rename(d.join("answers/ben.txt"), d.join("answers/ben_final_v2.txt")).expect("rename");
    fs::write(
        d.join("roster.csv"),
        "id,name,class\n4711,Zoë Müller-García,9B\nben,Ben Ng,9B\nchloe,Chloé Martin,9C\ndan,Dan Obi,9C\nfrank,Frank Lee,9C\n",
    )
    .expect("write");
    let run = mark(d, &["--roster", "roster.csv"]);
    run.code(0);
    let sheet = rows(&d.join("out/marks.csv"));
    // Found by name (accents and a trailing word aside) and by id (trailing words aside).
    assert_eq!(sheet["4711"]["name"], "Zoë Müller-García");
    assert_eq!(sheet["4711"]["file"], "answers/Zoe Muller-Garcia essay.txt");
    assert_eq!(sheet["ben"]["name"], "Ben Ng");
    assert_eq!(sheet["ben"]["class"], "9B", "the roster's other columns are kept");
    assert!(!sheet["ben"]["score"].is_empty());
    // The student who handed nothing in has a row saying so; the run still succeeds.
    assert_eq!(sheet["frank"]["name"], "Frank Lee");
    assert_eq!(sheet["frank"]["error"], "no submission");
    assert_eq!(sheet["frank"]["score"], "");
    // An answer not on the roster keeps its id, without a name, and is warned about.
    assert_eq!(sheet["eve"]["name"], "");
    assert!(
        sheet["eve"]["review"].split(';').any(|r| r == "not-on-roster"),
        "{:?}",
        sheet["eve"]
    );
    assert!(!sheet["ben"]["review"].contains("not-on-roster"));
    assert!(
        run.stdout.contains("1 answer is not on the roster: eve"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("No submission (1, on the roster):\n  Frank Lee (frank)"),
        "{}",
        run.stdout
    );
    // The rows are in id order, Frank among the others.
    let text = fs::read_to_string(d.join("out/marks.csv")).expect("csv");
    let order: Vec<&str> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap_or(""))
        .collect();
    assert_eq!(order, ["4711", "ben", "chloe", "dan", "eve", "frank"]);
    sums_hold(d, &sheet);

    // The summary JSON, the HTML report and the feedback files carry the names.
    let jsonl = fs::read_to_string(d.join("out/marks.jsonl")).expect("jsonl");
    let summary: serde_json::Value = serde_json::from_str(jsonl.lines().last().expect("summary")).expect("json");
    assert_eq!(summary["no_submission"][0]["id"], "frank");
    let zoe = summary["answers"]
        .as_array()
        .expect("answers")
        .iter()
        .find(|a| a["id"] == "4711")
        .expect("zoe");
    assert_eq!(zoe["name"], "Zoë Müller-García");
    let html = fs::read_to_string(d.join("out/report.html")).expect("html");
    assert!(html.contains("Zoë Müller-García (4711)"), "the name in the report");
    assert!(
        html.contains("<li>Frank Lee (frank)</li>"),
        "no submission in the report"
    );
    let zoe = fs::read_to_string(d.join("out/feedback/4711.md")).expect("feedback");
    assert!(zoe.starts_with("# Feedback for Zoë Müller-García"), "{zoe}");

    // Without the roster's rule, trailing words stay; --id-trim drops them on its own.
    let run = rubric(d, &["mark", "-r", "rubric.toml", "answers", "--csv", "out/plain.csv"]);
    run.code(0);
    assert!(rows(&d.join("out/plain.csv")).contains_key("ben_final_v2"));
    let run = rubric(
        d,
        &[
            "mark",
            "-r",
            "rubric.toml",
            "answers",
            "--csv",
            "out/trim.csv",
            "--id-trim",
            "final,v2",
        ],
    );
    run.code(0);
    let trimmed = rows(&d.join("out/trim.csv"));
    assert!(
        trimmed.contains_key("ben") && trimmed.contains_key("Zoe Muller-Garcia essay"),
        "{:?}",
        trimmed.keys()
    );

    // A roster without an id column, or with an id twice, is an error naming the line.
    fs::write(d.join("bad.csv"), "id,name\namy,A\namy,B\n").expect("write");
    let run = rubric(d, &["mark", "-r", "rubric.toml", "answers", "--roster", "bad.csv"]);
    run.code(2);
    assert!(
        run.stderr.contains("bad.csv:3: the id `amy` is already on line 2"),
        "{}",
        run.stderr
    );
}

#[test]
fn eval_reads_the_teachers_decisions_as_point_labels() {
    let dir = class();
    let d = dir.path();
    mark(d, &[]).code(0);
    let tool = rows(&d.join("out/marks.csv"));
    // The teacher's marks and decisions on the same class.
    let mut marks = String::from("id,score,file\n");
    for id in tool.keys() {
        marks.push_str(&format!(
            "{id},{},answers/{id}.txt\n",
            tool[id]["score"].parse::<f64>().expect("score").round()
        ));
    }
    fs::write(d.join("marks.csv"), marks).expect("write");
    fs::write(
        d.join("overrides.csv"),
        "id,point,status,marks,comment\namy,enrolment,missing,,\ndan,sovnarkom,covered,,\neve,,,,Read it all.\nnobody,,,,x\n",
    )
    .expect("write");
    let run = rubric(
        d,
        &[
            "eval",
            "-r",
            "rubric.toml",
            "marks.csv",
            "--file-col",
            "file",
            "--overrides",
            "overrides.csv",
            "--format",
            "json",
        ],
    );
    run.code(0);
    assert!(
        run.stderr.contains("overrides.csv: 1 id is not in marks.csv"),
        "{}",
        run.stderr
    );
    let report: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    let point = |id: &str| {
        report["points"]
            .as_array()
            .expect("points")
            .iter()
            .find(|p| p["id"] == id)
            .unwrap_or_else(|| panic!("{id} in {}", run.stdout))
            .clone()
    };
    // Three answers read (amy, dan, eve): every point labelled three times.
    let enrolment = point("enrolment");
    assert_eq!(enrolment["labelled"], 3);
    // amy: the tool covered enrolment, the teacher said no: a false positive.
    assert_eq!(enrolment["fp"], 1);
    let covered_by_tool = ["amy", "dan", "eve"]
        .iter()
        .filter(|id| tool[**id]["enrolment"] == "covered")
        .count();
    assert_eq!(enrolment["tp"].as_u64(), Some(covered_by_tool as u64 - 1));
    // dan: the tool missed sovnarkom, the teacher saw it: a false negative.
    let sovnarkom = point("sovnarkom");
    assert_eq!(sovnarkom["fn"], 1);
    assert_eq!(sovnarkom["fp"], 0);
    // A point nobody changed: the tool agrees with the teacher on every reviewed answer.
    let gensec = point("gensec");
    assert_eq!((gensec["fp"].as_u64(), gensec["fn"].as_u64()), (Some(0), Some(0)));
}
