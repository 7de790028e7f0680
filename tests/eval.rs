//! `rubric eval` and `rubric suggest` run as a user would: the binary on a marks file of
//! answers written and marked for the seed rubric (`tests/fixtures/eval/stalin-marks.csv`,
//! scores 0 to 10, with per-point labels for `gensec` and `patronage`).

use assert_cmd::Command;
use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;
use serde_json::Value;

const RUBRIC: &str = "rubrics/stalin-rise.toml";
const MARKS: &str = "tests/fixtures/eval/stalin-marks.csv";

fn rubric() -> Command {
    Command::cargo_bin("rubric").expect("binary built")
}

fn eval_json(extra: &[&str]) -> (Value, i32) {
    let out = rubric()
        .args(["eval", "--rubric", RUBRIC, "--format", "json"])
        .args(extra)
        .arg(MARKS)
        .output()
        .expect("runs");
    let json: Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    (json, out.status.code().unwrap_or(-1))
}

#[test]
fn json_report_fields() {
    let (j, code) = eval_json(&[
        "--point-col",
        "gensec=gensec",
        "--point-col",
        "patronage=patronage",
        "--worst",
        "2",
    ]);
    assert_eq!(code, 0);
    assert_eq!(j["schema"], "rubric-eval/1");
    assert_eq!(j["n"], 12);
    assert_eq!(j["human_range"], serde_json::json!([0, 10]));
    assert_eq!(j["marks"]["rows"], 12);
    assert_eq!(j["marks"]["skipped"].as_array().map(Vec::len), Some(0));
    let qwk = j["qwk"].as_f64().expect("qwk defined");
    assert!(
        qwk > 0.5 && qwk <= 1.0,
        "the seed rubric should agree with these marks: {qwk}"
    );
    for k in ["exact_agreement", "adjacent_agreement"] {
        let v = j[k].as_f64().expect(k);
        assert!((0.0..=1.0).contains(&v), "{k} = {v}");
    }
    assert!(j["adjacent_agreement"].as_f64() >= j["exact_agreement"].as_f64());
    assert!(j["mean_absolute_error"].as_f64().is_some_and(|m| m >= 0.0));

    // The confusion matrix: 11 scores, rows human, columns tool, every answer counted once.
    let labels = j["confusion"]["labels"].as_array().expect("labels");
    assert_eq!(labels.len(), 11);
    let matrix = j["confusion"]["matrix"].as_array().expect("matrix");
    assert_eq!(matrix.len(), 11);
    let total: u64 = matrix
        .iter()
        .flat_map(|r| r.as_array().expect("row").iter())
        .map(|c| c.as_u64().expect("count"))
        .sum();
    assert_eq!(total, 12);
    assert_eq!(j["confusion"]["rows"], "human");
    // Rows sum to the number of answers per human score.
    let by = j["by_human_score"].as_array().expect("by_human_score");
    assert_eq!(by.len(), 11);
    for (row, b) in matrix.iter().zip(by) {
        let n: u64 = row
            .as_array()
            .expect("row")
            .iter()
            .map(|c| c.as_u64().unwrap_or(0))
            .sum();
        assert_eq!(b["n"].as_u64(), Some(n));
    }
    assert_eq!(by[0]["human"], 0);
    assert_eq!(by[0]["mean_tool"], 0.0, "the off-topic answer scores nothing");

    // Per-point agreement from the label columns.
    let points = j["points"].as_array().expect("points");
    assert_eq!(points.len(), 2);
    assert_eq!(points[0]["id"], "gensec");
    assert_eq!(points[0]["labelled"], 12);
    for p in points {
        let tp = p["tp"].as_u64().unwrap_or(0);
        let f = p["fp"].as_u64().unwrap_or(0) + p["fn"].as_u64().unwrap_or(0);
        assert!(tp >= 5, "{p}");
        assert!(f <= 2, "{p}");
    }

    // The worst disagreements: largest difference first, each point explained.
    let worst = j["worst"].as_array().expect("worst");
    assert!(worst.len() <= 2);
    let diffs: Vec<i64> = worst.iter().map(|w| w["diff"].as_i64().expect("diff").abs()).collect();
    assert!(diffs.windows(2).all(|w| w[0] >= w[1]), "{diffs:?}");
    for w in worst {
        assert!(w["id"].as_str().is_some_and(|id| id.starts_with('e')));
        assert_ne!(w["human"], w["tool"]);
        assert!(w["text"].as_str().is_some_and(|t| !t.is_empty()));
        assert_eq!(w["points"].as_array().map(Vec::len), Some(10));
    }
    assert!(j["disagreements"].as_u64() >= Some(worst.len() as u64));
}

#[test]
fn min_qwk_sets_the_exit_code() {
    let (j, code) = eval_json(&[]);
    assert_eq!(code, 0);
    let qwk = j["qwk"].as_f64().expect("qwk");
    let below = format!("{:.6}", qwk - 0.001);
    let above = format!("{:.6}", qwk + 0.001);

    let (j, code) = eval_json(&["--min-qwk", &below]);
    assert_eq!(code, 0, "QWK {qwk} meets {below}");
    assert_eq!(j["bar"]["met"], true);

    if qwk + 0.001 <= 1.0 {
        let (j, code) = eval_json(&["--min-qwk", &above]);
        assert_eq!(code, 1, "QWK {qwk} is below {above}");
        assert_eq!(j["bar"]["met"], false);
    }
    rubric()
        .args(["eval", "--rubric", RUBRIC, "--min-qwk", "1", MARKS])
        .assert()
        .code(if qwk >= 1.0 { 0 } else { 1 })
        .stdout(contains("QWK"));
    rubric()
        .args(["eval", "--rubric", RUBRIC, "--min-qwk", "2", MARKS])
        .assert()
        .code(2)
        .stderr(contains("--min-qwk"));
}

#[test]
fn human_report() {
    rubric()
        .args(["eval", "--rubric", RUBRIC, MARKS])
        .assert()
        .code(0)
        .stdout(contains("QWK"))
        .stdout(contains("Confusion matrix"))
        .stdout(contains("12 answers compared; human scores 0 to 10"))
        .stdout(contains("(halves up)"));
}

#[test]
fn bad_rows_are_reported_and_exit_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    let marks = dir.path().join("marks.tsv");
    std::fs::write(
        &marks,
        "\u{feff}Id\tScore\tText\r\n\
         a\t10\t\"He was General Secretary and kept files on every member; he used patronage.\"\r\n\
         b\tten\tno number\r\n\
         c\t0\r\n\
         d\t2\tHe was General Secretary.\r\n",
    )
    .expect("write");
    let out = rubric()
        .args(["eval", "--rubric", RUBRIC, "--format", "json"])
        .arg(&marks)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("marks.tsv:3: answer b: score `ten` is not a number"),
        "{stderr}"
    );
    assert!(stderr.contains("marks.tsv:4: 2 fields, the header has 3"), "{stderr}");
    let j: Value = serde_json::from_slice(&out.stdout).expect("the report is still printed");
    assert_eq!(j["n"], 2);
    assert_eq!(j["marks"]["skipped"].as_array().map(Vec::len), Some(2));
    assert_eq!(j["marks"]["skipped"][0]["line"], 3);
}

#[test]
fn missing_column_names_it_and_lists_the_headers() {
    rubric()
        .args(["eval", "--rubric", RUBRIC, "--score-col", "mark", MARKS])
        .assert()
        .code(2)
        .stderr(contains("no column `mark` (for --score-col)"))
        .stderr(contains("`id`, `score`, `text`, `gensec`, `patronage`"));
    rubric()
        .args(["eval", "--rubric", RUBRIC, "--point-col", "nosuch=gensec", MARKS])
        .assert()
        .code(2)
        .stderr(contains("no point `nosuch`"));
    rubric()
        .args(["eval", "--rubric", RUBRIC, "--filter", "set=1", MARKS])
        .assert()
        .code(2)
        .stderr(contains("no column `set` (for --filter)"));
}

#[test]
fn filter_keeps_matching_rows() {
    let (j, code) = eval_json(&["--filter", "gensec=1"]);
    assert_eq!(code, 0);
    assert_eq!(j["n"], 7);
    assert_eq!(j["marks"]["filtered_out"], 5);
}

#[test]
fn suggest_json() {
    let out = rubric()
        .args([
            "suggest",
            "--rubric",
            RUBRIC,
            "--format",
            "json",
            "--min-count",
            "2",
            MARKS,
        ])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let j: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(j["schema"], "rubric-suggest/1");
    assert_eq!(j["split"]["middle"], 5.0);
    assert_eq!(j["split"]["high"], 4);
    assert_eq!(j["split"]["low"], 7);
    assert_eq!(j["split"]["neither"], 1);
    for w in j["words"].as_array().expect("words") {
        assert!(w["high"].as_u64() >= Some(2), "{w}");
        assert!(w["score"].as_f64().is_some_and(|s| s > 0.0), "{w}");
        let text = w["text"].as_str().expect("text");
        assert!(
            !["patronage", "secretary", "mantle"].contains(&text),
            "{text} is a cue word"
        );
    }
    assert!(j["spellings"].is_array());
    rubric()
        .args(["suggest", "--rubric", RUBRIC, MARKS])
        .assert()
        .code(0)
        .stdout(contains("Words and phrases"))
        .stdout(contains("Spellings of cue words"));
}

fn suggest_json_with(extra: &[&str]) -> Value {
    let out = rubric()
        .args(["suggest", "--rubric", RUBRIC, "--format", "json", "--min-count", "1"])
        .args(extra)
        .arg(MARKS)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("json")
}

/// `--levels HIGH:LOW` contrasts the answers scored HIGH with those scored LOW (the fixture has
/// three answers scored 2, one scored 1, one scored 10 and one scored 0), and says so.
#[test]
fn suggest_levels_contrast_two_scores() {
    for (levels, high, low) in [("2:1", 3, 1), ("10:2", 1, 3), ("2:0", 3, 1)] {
        let j = suggest_json_with(&["--levels", levels]);
        let split = &j["split"];
        let (h, l) = levels.split_once(':').unwrap();
        let want: Vec<i64> = vec![h.parse().unwrap(), l.parse().unwrap()];
        assert_eq!(split["levels"], serde_json::json!(want), "{levels}");
        assert!(split["middle"].is_null(), "{levels}");
        assert_eq!(
            (split["high"].as_u64(), split["low"].as_u64()),
            (Some(high), Some(low)),
            "{levels}"
        );
        assert_eq!(split["neither"].as_u64(), Some(12 - high - low), "{levels}");
        for w in j["words"].as_array().expect("words") {
            assert!(
                w["high"].as_u64() <= Some(high) && w["low"].as_u64() <= Some(low),
                "{w}"
            );
        }
    }
    // Without --levels: the split around the middle, and no levels.
    let j = suggest_json_with(&[]);
    assert!(j["split"]["levels"].is_null());
    assert_eq!(j["split"]["middle"], 5.0);
    rubric()
        .args(["suggest", "--rubric", RUBRIC, "--levels", "2:1", MARKS])
        .env("NO_COLOR", "1")
        .assert()
        .code(0)
        .stdout(contains(
            "levels 2:1 contrasted, 3 high (human score 2), 1 low (human score 1), 8 at other scores",
        ));
}

/// A bad `--levels` is a clear usage error (exit 2): not two whole numbers, HIGH not above LOW,
/// or a score no answer has.
#[test]
fn suggest_bad_levels_are_errors() {
    for (levels, says) in [
        ("2-1", "expected HIGH:LOW"),
        ("1.5:1", "expected HIGH:LOW"),
        ("1:2", "HIGH must be above LOW"),
        ("2:2", "HIGH must be above LOW"),
        (
            "9:7",
            "no answer of tests/fixtures/eval/stalin-marks.csv has the human score 7",
        ),
        ("11:10", "has the human score 11"),
    ] {
        rubric()
            .args(["suggest", "--rubric", RUBRIC, "--levels", levels, MARKS])
            .assert()
            .code(2)
            .stdout("")
            .stderr(contains(says));
    }
}

/// `--worst 0` explains none of the disagreements, and says how many there are (it used to say
/// "No disagreements." whatever their number).
#[test]
fn worst_zero_counts_the_disagreements_it_does_not_explain() {
    let (j, _) = eval_json(&[]);
    let n = j["disagreements"].as_u64().expect("disagreements");
    assert!(n > 0, "the fixture has disagreements");
    let out = rubric()
        .args(["eval", "--rubric", RUBRIC, "--worst", "0"])
        .arg(MARKS)
        .env("NO_COLOR", "1")
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("No disagreements."), "{text}");
    assert!(
        text.contains(&format!("{n} disagreements (none explained: --worst 0)")),
        "{text}"
    );
}

/// Every point against the human scores: each answer counted once per point, and a point the
/// seed rubric finds in the better answers has a higher mean human score when covered.
#[test]
fn by_point_groups_every_answer_by_status() {
    let (j, _) = eval_json(&[]);
    let by_point = j["by_point"].as_array().expect("by_point");
    assert_eq!(by_point.len(), 10, "every point of the seed rubric");
    for p in by_point {
        let n = |k: &str| p[k]["n"].as_u64().expect("n");
        assert_eq!(n("covered") + n("partial") + n("missing"), 12, "{p}");
        assert!(p["negated"].as_u64() <= Some(n("missing")));
    }
    let gensec = by_point.iter().find(|p| p["id"] == "gensec").expect("gensec");
    let covered = gensec["covered"]["mean_human"].as_f64().expect("covered mean");
    let missing = gensec["missing"]["mean_human"].as_f64().expect("missing mean");
    assert!(covered > missing, "{gensec}");
    let diff = gensec["difference"].as_f64().expect("difference");
    assert!((diff - (covered - missing)).abs() < 1e-9);
    assert!(
        gensec["spearman"].as_f64().is_some_and(|r| r > 0.3 && r <= 1.0),
        "{gensec}"
    );
    assert!(gensec["flag"].is_null());
    rubric()
        .args(["eval", "--rubric", RUBRIC, MARKS])
        .env("NO_COLOR", "1")
        .assert()
        .code(0)
        .stdout(contains("Points against the human scores"))
        .stdout(contains("n  mean"));
}

/// `--cell HUMAN,TOOL` lists exactly the answers of that cell of the confusion matrix, with
/// the explanation a disagreement gets; `--worst` limits them; a bad cell is a usage error.
#[test]
fn cell_lists_the_answers_of_one_confusion_cell() {
    let (all, _) = eval_json(&[]);
    let labels: Vec<i64> = all["confusion"]["labels"]
        .as_array()
        .expect("labels")
        .iter()
        .map(|l| l.as_i64().expect("label"))
        .collect();
    let matrix = &all["confusion"]["matrix"];
    // The fullest cell off the diagonal, and the fullest on it.
    let mut cells = Vec::new();
    for (i, &h) in labels.iter().enumerate() {
        for (j, &t) in labels.iter().enumerate() {
            cells.push((matrix[i][j].as_u64().expect("count"), i == j, h, t));
        }
    }
    cells.sort();
    for diagonal in [false, true] {
        let &(count, _, h, t) = cells.iter().rev().find(|c| c.1 == diagonal).expect("a cell");
        assert!(count > 0);
        let (j, code) = eval_json(&["--cell", &format!("{h},{t}")]);
        assert_eq!(code, 0);
        assert_eq!(j["worst"].as_array().map(Vec::len), Some(0));
        assert_eq!(j["cell"]["human"], h);
        assert_eq!(j["cell"]["tool"], t);
        assert_eq!(j["cell"]["n"], count);
        let answers = j["cell"]["answers"].as_array().expect("answers");
        assert_eq!(answers.len() as u64, count);
        for a in answers {
            assert_eq!((a["human"].as_i64(), a["tool"].as_i64()), (Some(h), Some(t)), "{a}");
            assert_eq!(a["points"].as_array().map(Vec::len), Some(10), "every point explained");
        }
        // The same answers as among the worst disagreements, explained the same way.
        if !diagonal {
            let (worst, _) = eval_json(&["--worst", "100"]);
            for a in answers {
                let w = worst["worst"]
                    .as_array()
                    .expect("worst")
                    .iter()
                    .find(|w| w["id"] == a["id"])
                    .expect("listed among the disagreements");
                assert_eq!(w, a);
            }
        }
    }
    // --worst limits the list; the count stays.
    let &(count, _, h, t) = cells.iter().rev().find(|c| c.0 >= 2).expect("a cell of 2");
    let (j, _) = eval_json(&["--cell", &format!("{h},{t}"), "--worst", "1"]);
    assert_eq!(j["cell"]["n"], count);
    assert_eq!(j["cell"]["answers"].as_array().map(Vec::len), Some(1));
    rubric()
        .args(["eval", "--rubric", RUBRIC, "--cell", &format!("{h},{t}"), MARKS])
        .env("NO_COLOR", "1")
        .assert()
        .code(0)
        .stdout(contains(format!(
            "Answers scored {h} by the human and {t} by the tool ({count} answers, by id)"
        )))
        .stdout(contains("Worst disagreements").not());
    for bad in ["3", "3,", "a,b", "1.5,1", "3,11", "-1,0", "2,1,0"] {
        rubric()
            .args(["eval", "--rubric", RUBRIC, "--cell", bad, MARKS])
            .assert()
            .code(2)
            .stderr(contains("--cell"));
    }
}

/// The rubric's `rounding` decides the compared score: answer e09 (human 1) scores 0.5 (one
/// partial point); by default it is compared as 1, under `rounding = "half-down"` as 0, and
/// `rubric check` shows the same rounded mark. A bad rule is an error at its line.
#[test]
fn rubric_rounding_changes_the_compared_score() {
    let src = std::fs::read_to_string(RUBRIC).expect("rubric");
    let dir = tempfile::tempdir().expect("tempdir");
    let write = |name: &str, rule: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, format!("rounding = \"{rule}\"\n{src}")).expect("write");
        path.to_string_lossy().into_owned()
    };
    let cell = |path: &str, cell: &str| {
        let out = rubric()
            .args(["eval", "--rubric", path, "--format", "json", "--cell", cell, MARKS])
            .output()
            .expect("runs");
        let j: Value = serde_json::from_slice(&out.stdout).expect("json");
        let ids: Vec<String> = j["cell"]["answers"]
            .as_array()
            .expect("answers")
            .iter()
            .map(|a| a["id"].as_str().expect("id").to_string())
            .collect();
        (j, ids)
    };
    let (j, ids) = cell(RUBRIC, "1,1");
    assert_eq!(j["rounding_rule"], "none");
    assert!(j["rounding"].as_str().is_some_and(|r| r.contains("halves up")));
    assert_eq!(ids, ["e09"]);
    assert_eq!(j["cell"]["answers"][0]["tool_raw"], 0.5);

    let half_down = write("half-down.toml", "half-down");
    let (j, ids) = cell(&half_down, "1,0");
    assert_eq!(j["rounding_rule"], "half-down");
    assert_eq!(ids, ["e09"]);
    assert_eq!(j["cell"]["answers"][0]["tool_raw"], 0.0);
    assert_eq!(cell(&half_down, "1,1").1, Vec::<String>::new());

    let answer = dir.path().join("e09.txt");
    std::fs::write(&answer, "He was General Secretary.").expect("write");
    for (rubric_path, score) in [(RUBRIC.to_string(), 0.5), (half_down.clone(), 0.0)] {
        let out = rubric()
            .args(["check", "--format", "json", "-r", &rubric_path])
            .arg(&answer)
            .output()
            .expect("runs");
        let j: Value = serde_json::from_slice(&out.stdout).expect("json");
        assert_eq!(j["score"], score, "{rubric_path}");
    }

    let bad = write("bad.toml", "nearest");
    rubric()
        .args(["eval", "--rubric", &bad, MARKS])
        .assert()
        .code(2)
        .stderr(contains("bad.toml:1:12"))
        .stderr(contains("\"half-up\""));
}
