//! `rubric new --from` run as a teacher would: on the seed worksheet (guiding questions and a
//! reading passage, no mark scheme), on a mark scheme in Markdown, and on the same mark scheme
//! as a .docx; the drafts load, lint, and mark an answer.

use assert_cmd::Command;
use predicates::str::contains;

#[path = "support/documents.rs"]
mod documents;

const WORKSHEET: &str = "samples/worksheets/stalin-rise.txt";
const MARK_SCHEME: &str = "samples/worksheets/stalin-mark-scheme.md";

fn rubric() -> Command {
    Command::cargo_bin("rubric").expect("binary built")
}

/// The draft `rubric new --from FILE` prints, with its exit code.
fn drafted(file: &str) -> String {
    let out = rubric().args(["new", "--from", file]).output().expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("UTF-8")
}

/// The draft as TOML.
fn parsed(draft: &str) -> toml::Value {
    toml::from_str(draft).unwrap_or_else(|e| panic!("{e}\n{draft}"))
}

fn questions(t: &toml::Value) -> &Vec<toml::Value> {
    t["question"].as_array().expect("questions")
}

#[test]
fn seed_worksheet_gives_a_skeleton_per_guiding_question() {
    let text = drafted(WORKSHEET);
    let t = parsed(&text);
    assert_eq!(
        t["title"].as_str(),
        Some("How had Stalin been able to rise up the Bolshevik ranks?")
    );
    let prompts: Vec<&str> = questions(&t).iter().map(|q| q["prompt"].as_str().unwrap()).collect();
    assert_eq!(prompts.len(), 3, "{prompts:?}");
    assert!(prompts[0].starts_with("Which two organisations"));
    assert!(prompts[1].starts_with("How did Stalin’s series of jobs"));
    assert!(prompts[2].starts_with("How did the Lenin Legacy"));
    // One skeleton point each, to write: TODO label and hint.
    for q in questions(&t) {
        let points = q["point"].as_array().unwrap();
        assert_eq!(points.len(), 1);
        assert!(points[0]["label"].as_str().unwrap().starts_with("TODO"));
        assert!(points[0]["hint"].as_str().unwrap().starts_with("TODO"));
    }
    // The passage is kept as comments to draft from.
    assert!(
        text.contains("# 4) General Secretary of the Communist Party in 1922"),
        "{text}"
    );
}

#[test]
fn seed_worksheet_draft_loads_and_lints_clean() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("rubric.toml");
    rubric()
        .args(["new", "--from", WORKSHEET, "-o"])
        .arg(&out)
        .assert()
        .code(0)
        .stderr(contains("3 questions, 0 key points, 3 skeleton points to write"));
    rubric().arg("lint").arg("--deny-warnings").arg(&out).assert().code(0);
}

#[test]
fn mark_scheme_questions_points_and_marks() {
    let t = parsed(&drafted(MARK_SCHEME));
    assert_eq!(t["title"].as_str(), Some("The rise of Stalin: mark scheme"));
    let qs = questions(&t);
    let ids: Vec<&str> = qs.iter().map(|q| q["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["q1", "q2", "q3"]);
    let labels = |q: &toml::Value| -> Vec<String> {
        q["point"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["label"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        labels(&qs[0]),
        [
            "The Council of People's Commissars (Sovnarkom)",
            "The party Secretariat"
        ]
    );
    // "Award 1 mark for each of:" is an instruction, not a point; five bullets.
    assert_eq!(labels(&qs[1]).len(), 5);
    // (2 marks) over two points: no cap needed; 5 points of 1 over (4 marks): capped at 4.
    assert!(qs[0].get("max").is_none());
    assert_eq!(qs[1]["max"].as_integer(), Some(4));
    // "3 marks: ..." and "1 mark: ..." lines are points worth 3 and 1, under [3].
    let q3 = qs[2]["point"].as_array().unwrap();
    assert_eq!(q3.len(), 2);
    assert_eq!(q3[0]["marks"].as_integer(), Some(3));
    assert!(q3[1].get("marks").is_none(), "1 mark is the default");
    assert_eq!(qs[2]["max"].as_integer(), Some(3));
    // A name in brackets is a cue of its own; generic mark-scheme words are not cue words.
    let cues = |q: &toml::Value, i: usize| q["point"][i]["cues"].to_string();
    assert!(cues(&qs[0], 0).contains("\"sovnarkom\""), "{}", cues(&qs[0], 0));
    assert!(!cues(&qs[2], 1).contains("names"), "{}", cues(&qs[2], 1));
}

#[test]
fn mark_scheme_draft_marks_an_answer() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("rubric.toml");
    rubric()
        .args(["new", "--from", MARK_SCHEME, "-o"])
        .arg(&out)
        .assert()
        .code(0);
    let answer = dir.path().join("answer.txt");
    std::fs::write(
        &answer,
        "The two main bodies were Sovnarkom and the Secretariat of the party.\n\n\
         As General Secretary Stalin kept files on every member. He appointed his supporters to \
         posts and they backed him.\n",
    )
    .unwrap();
    let report = rubric()
        .args(["check", "--format", "json", "-r"])
        .arg(&out)
        .arg(&answer)
        .output()
        .unwrap();
    let j: serde_json::Value = serde_json::from_slice(&report.stdout).unwrap();
    let status = |id: &str| {
        j["questions"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|q| q["points"].as_array().unwrap())
            .find(|p| p["id"] == id)
            .map(|p| p["status"].as_str().unwrap().to_string())
            .unwrap_or_else(|| panic!("no point {id}"))
    };
    assert_eq!(status("council-people"), "covered");
    assert_eq!(status("party-secretariat"), "covered");
    assert_eq!(status("general-secretary"), "covered");
    assert_eq!(status("appointed-supporters"), "covered");
    assert_eq!(status("liaison-between"), "missing");
    assert_eq!(status("commissar-nationalities"), "missing");
}

#[test]
fn docx_mark_scheme_drafts_as_its_text_does() {
    let para = |t: &str| format!("<w:p><w:r><w:t xml:space=\"preserve\">{t}</w:t></w:r></w:p>");
    let lines = [
        "Photosynthesis quiz: mark scheme",
        "1. What gas do plants take in for photosynthesis? (1 mark)",
        "- Carbon dioxide (CO2)",
        "2. Name two products of photosynthesis. (2 marks)",
        "- Glucose",
        "- Oxygen",
    ];
    let body: String = lines.iter().map(|l| para(l)).collect();
    let dir = tempfile::tempdir().unwrap();
    let docx = dir.path().join("scheme.docx");
    std::fs::write(&docx, documents::docx(&body)).unwrap();
    let txt = dir.path().join("scheme.txt");
    std::fs::write(&txt, lines.join("\n")).unwrap();
    let from_docx = drafted(docx.to_str().unwrap());
    let from_txt = drafted(txt.to_str().unwrap());
    // The same rubric, but for the file name in the first comment.
    let body = |s: &str| s.lines().skip(1).collect::<Vec<_>>().join("\n");
    assert_eq!(body(&from_docx), body(&from_txt));
    let t = parsed(&from_docx);
    assert_eq!(questions(&t).len(), 2);
    assert_eq!(questions(&t)[1]["point"].as_array().unwrap().len(), 2);
    assert!(t["question"][0]["point"][0]["cues"].to_string().contains("co2"));
}

#[test]
fn never_overwrites_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("rubric.toml");
    std::fs::write(&out, "my own rubric\n").unwrap();
    rubric()
        .args(["new", "--from", MARK_SCHEME, "-o"])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(contains("already exists"));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "my own rubric\n");
    rubric()
        .args(["new", "--from", MARK_SCHEME, "--force", "-o"])
        .arg(&out)
        .assert()
        .code(0);
    assert!(std::fs::read_to_string(&out).unwrap().contains("[[question]]"));
}

#[test]
fn bad_documents_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    rubric()
        .args(["new", "--from"])
        .arg(dir.path().join("missing.txt"))
        .assert()
        .code(2)
        .stderr(contains("missing.txt"));
    let empty = dir.path().join("empty.md");
    std::fs::write(&empty, "  \n\n").unwrap();
    rubric()
        .args(["new", "--from"])
        .arg(&empty)
        .assert()
        .code(2)
        .stderr(contains("no text"));
    let corrupt = dir.path().join("corrupt.docx");
    std::fs::write(&corrupt, b"PK\x03\x04 not really a zip").unwrap();
    rubric().args(["new", "--from"]).arg(&corrupt).assert().code(2);
    rubric().args(["new"]).assert().code(2).stderr(contains("--from"));
}

#[test]
fn a_document_without_questions_gets_one() {
    let dir = tempfile::tempdir().unwrap();
    let notes = dir.path().join("notes.txt");
    std::fs::write(
        &notes,
        "Causes of the French Revolution\n\nDebt, bread prices and new ideas.\n",
    )
    .unwrap();
    let t = parsed(&drafted(notes.to_str().unwrap()));
    assert_eq!(questions(&t).len(), 1);
    assert_eq!(
        t["question"][0]["prompt"].as_str(),
        Some("Causes of the French Revolution")
    );
}

#[test]
fn answers_add_candidate_cues_as_comments() {
    let out = rubric()
        .args([
            "new",
            "--from",
            MARK_SCHEME,
            "--answers",
            "tests/fixtures/eval/stalin-marks.csv",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    let (draft, block) = text.split_once("# Candidate cues:").expect("a block of candidates");
    // The draft itself is unchanged; the candidates are comments with their counts.
    assert!(draft.starts_with(drafted(MARK_SCHEME).trim_end()));
    let lines: Vec<&str> = block.lines().filter(|l| l.starts_with("#   \"")).collect();
    assert!(!lines.is_empty(), "{block}");
    assert!(
        lines
            .iter()
            .all(|l| l.contains(" high and ") && l.ends_with("low answers")),
        "{block}"
    );
    assert!(parsed(&text)["question"].as_array().is_some());
    // A marks file without the columns is an error.
    rubric()
        .args(["new", "--from", MARK_SCHEME, "--answers", MARK_SCHEME])
        .assert()
        .code(2);
}
