//! Hints in steps (`hint = [...]`, `check --hint-level N`) and a student's "why not?" sentence
//! under a partly made point (docs/check.md, "Hints in steps" and "Why not?").

use std::path::{Path, PathBuf};

use assert_cmd::Command;

#[path = "support/safe.rs"]
mod safe;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn stalin() -> PathBuf {
    root().join("rubrics/stalin-rise.toml")
}

/// The hint steps of point `id` as the rubric file writes them.
fn steps(rubric: &Path, id: &str) -> Vec<String> {
    let v: toml::Value = toml::from_str(&std::fs::read_to_string(rubric).unwrap()).unwrap();
    let point = v["question"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|q| q["point"].as_array().unwrap())
        .find(|p| p["id"].as_str() == Some(id))
        .unwrap();
    point["hint"]
        .as_array()
        .unwrap_or_else(|| panic!("{id} has its hint in steps"))
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

/// `rubric check` of `answer` (on standard input) against `rubric`, with `args`.
fn check(rubric: &Path, answer: &str, args: &[&str]) -> (String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_rubric"))
        .args(["check", "--color", "never", "--rubric"])
        .arg(rubric)
        .args(args)
        .arg("-")
        .write_stdin(answer)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    (
        String::from_utf8(out.stdout).unwrap() + &stderr,
        out.status.code().unwrap(),
    )
}

const WEAK: &str = "Stalin was General Secretary. Nothing else.\n";

#[test]
fn the_first_step_by_default_and_up_to_step_n_with_hint_level() {
    let gensec = steps(&stalin(), "gensec");
    let rabkrin = steps(&stalin(), "rabkrin");
    assert!(gensec.len() == 3 && rabkrin.len() == 2);
    let (out, code) = check(&stalin(), WEAK, &[]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains(&gensec[0]) && out.contains(&rabkrin[0]), "{out}");
    assert!(!out.contains(&gensec[1]) && !out.contains(&rabkrin[1]), "{out}");
    let (out, _) = check(&stalin(), WEAK, &["--hint-level", "2"]);
    assert!(out.contains(&format!("{} {}", gensec[0], gensec[1])), "{out}");
    assert!(!out.contains(&gensec[2]), "{out}");
    assert!(out.contains(&rabkrin[1]), "{out}");
    // A level beyond a point's steps shows them all.
    let (out, _) = check(&stalin(), WEAK, &["--hint-level", "9"]);
    assert!(out.contains(&gensec[2]) && out.contains(&rabkrin[1]), "{out}");
    // The line format too.
    let (out, _) = check(&stalin(), WEAK, &["--hint-level", "2", "--format", "line"]);
    assert!(out.contains(&rabkrin[1]), "{out}");
}

#[test]
fn a_bad_hint_level_is_a_usage_error() {
    for bad in ["0", "100", "many"] {
        let (out, code) = check(&stalin(), WEAK, &["--hint-level", bad]);
        assert_eq!(code, 2, "--hint-level {bad}: {out}");
        assert!(out.contains("--hint-level"), "{out}");
    }
}

#[test]
fn json_keeps_every_step_and_the_shown_hint() {
    let gensec = steps(&stalin(), "gensec");
    let (out, code) = check(&stalin(), "Nothing at all.", &["--format", "json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let p = v["questions"][1]["points"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "gensec")
        .unwrap();
    assert_eq!(p["hint"], gensec[0].as_str());
    assert_eq!(p["hints"], serde_json::json!(gensec));
    // A one-step hint has no `hints` (the report is as before).
    let nationalities = &v["questions"][1]["points"][0];
    assert!(nationalities.get("hints").is_none(), "{nationalities}");
    assert!(nationalities["hint"].is_string());
}

fn one_point(hint: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "title = \"T\"\n[[question]]\nid = \"q\"\nprompt = \"P\"\n[[question.point]]\nid = \"p\"\nlabel = \"L\"\nhint = {hint}\ncues = [\"x\"]\n"
    );
    std::fs::write(dir.path().join("r.toml"), text).unwrap();
    dir
}

#[test]
fn a_hint_of_the_wrong_shape_is_an_error_at_its_position() {
    for (hint, says) in [
        ("[]", "empty `hint` list"),
        ("[\"Who?\", 3]", "hint step 2 is not a string"),
        ("[\"Who?\", \" \"]", "empty step 2"),
        ("42", "a hint: a string, or a list of strings"),
    ] {
        let dir = one_point(hint);
        let (out, code) = check(&dir.path().join("r.toml"), "x", &[]);
        assert_eq!(code, 2, "{hint}: {out}");
        assert!(out.contains("r.toml:8:8:") && out.contains(says), "{hint}: {out}");
    }
    let dir = one_point("[\"Who?\", \"Which one?\"]");
    let (out, code) = check(&dir.path().join("r.toml"), "y", &["--hint-level", "2"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Hint: Who? Which one?"), "{out}");
}

/// The "why not?" sentence: the student's own words, what is still to say, and nothing of the
/// cues (no `|`, `*`, cue words of the missing part) or of the points not yet made.
#[test]
fn a_partial_point_says_why_not_without_cue_syntax() {
    let (out, code) = check(&stalin(), WEAK, &[]);
    assert_eq!(code, 0, "{out}");
    let why = out
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with("You mention"))
        .unwrap_or_else(|| panic!("no why-not sentence: {out}"));
    assert_eq!(
        why,
        "You mention “General Secretary”, but not yet what the post let him know or control."
    );
    for syntax in ["|", "*", "[", "@", "record", "file", "dossier"] {
        assert!(!why.contains(syntax), "{syntax} in {why}");
    }
    // No cue line under the partial point: its group would list the missing words.
    assert!(!out.contains("cue \"all of"), "{out}");
    assert!(!out.contains("secretery|"), "{out}");
    // Nothing of the points not yet made, in the whole report.
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), WEAK).unwrap();
    let json = Command::new(env!("CARGO_BIN_EXE_rubric"))
        .args(["check", "--format", "json", "--rubric"])
        .arg(stalin())
        .arg(file.path())
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let statuses = safe::statuses(&report);
    assert_eq!(statuses["gensec"], "partial");
    safe::assert_student_safe("check", &out, WEAK, &stalin(), &statuses);
    // The JSON report carries the sentence too.
    let gensec = &report["questions"][1]["points"][3];
    assert_eq!(gensec["why_not"], why);
}

#[test]
fn without_still_the_sentence_names_the_topic_or_the_point() {
    let dir = tempfile::tempdir().unwrap();
    let point = |extra: &str| {
        format!(
            "title = \"T\"\n[[question]]\nid = \"q\"\nprompt = \"What happened?\"\n[[question.point]]\nid = \"p\"\nlabel = \"The funeral trick\"\nhint = \"What did he do there?\"\ncues = [{{ all = [\"funeral\", \"misled|tricked*\"] }}]\n{extra}"
        )
    };
    let rubric = dir.path().join("r.toml");
    std::fs::write(&rubric, point("topic = \"an event of 1924\"\n")).unwrap();
    let (out, _) = check(&rubric, "Lenin had a big funeral.", &[]);
    assert!(
        out.contains("You mention “funeral”, but not yet everything about an event of 1924."),
        "{out}"
    );
    std::fs::write(&rubric, point("")).unwrap();
    let (out, _) = check(&rubric, "Lenin had a big funeral.", &[]);
    assert!(
        out.contains("You mention “funeral”, but not yet all of this point."),
        "{out}"
    );
    assert!(!out.contains("misled") && !out.contains("tricked*"), "{out}");
    // An allow_reveal = false rubric: the same sentence, and no cue list.
    std::fs::write(&rubric, format!("allow_reveal = false\n{}", point(""))).unwrap();
    let (out, _) = check(&rubric, "Lenin had a big funeral.", &[]);
    assert!(
        out.contains("You mention “funeral”, but not yet all of this point."),
        "{out}"
    );
    assert!(!out.contains("misled"), "{out}");
}

#[test]
fn lint_warns_of_a_hint_step_that_names_its_point() {
    let dir = tempfile::tempdir().unwrap();
    let rubric = dir.path().join("r.toml");
    std::fs::write(
        &rubric,
        "title = \"T\"\n[[question]]\nid = \"q\"\nprompt = \"Which body ruled?\"\n[[question.point]]\nid = \"p\"\n\
         label = \"The Council of People's Commissars (Sovnarkom)\"\n\
         hint = [\"It was the government itself. What was it called?\", \"It was a council: the Sovnarkom of...?\"]\n\
         cues = [\"sovnarkom\", \"council of people's commissars\"]\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_rubric"))
        .arg("lint")
        .arg(&rubric)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(
        text.contains("hint step 2 of point `p` says \"council\", \"Sovnarkom\", a cue word of its label"),
        "{text}"
    );
    assert!(!text.contains("hint step 1"), "{text}");
}
