//! Issue 16: hostile cases (eval_paths). Item 7: `rubric eval` and `rubric suggest` read only
//! the answer files a marks file names inside its folder (or `--base`), and only regular files.
//! Item 8, in part: marks in a rubric are bounded; invisible characters and look-alike letters
//! hide no word from the matcher, no negation, and no copy from the near-duplicate search.
use super::*;

/// A class folder with a marks file naming, besides two good answers, `/etc/passwd`, a path
/// climbing out with `..`, a symbolic link leading out and a FIFO. Each hostile row has a high
/// human score: were its file read, it would be among the worst disagreements, its start printed.
#[cfg(unix)]
struct Class {
    dir: tempfile::TempDir,
}

/// Words that only the files outside the class folder hold.
#[cfg(unix)]
const SECRET: &str = "SECRET-OUTSIDE-MARKER";

#[cfg(unix)]
impl Class {
    fn new() -> Class {
        let dir = tempfile::tempdir().expect("tempdir");
        let d = dir.path();
        fs::create_dir_all(d.join("class/answers")).expect("mkdir");
        fs::create_dir_all(d.join("outside")).expect("mkdir");
        let strong = fs::read_to_string(root().join(GOOD)).expect("sample");
        write(&d.join("class/answers"), "amy.txt", &strong);
        write(
            &d.join("class/answers"),
            "bob.txt",
            "Stalin was General Secretary and used patronage to give jobs to his allies.",
        );
        write(
            &d.join("outside"),
            "secret.txt",
            &format!("{SECRET} patronage allies jobs {SECRET}"),
        );
        std::os::unix::fs::symlink("../../outside/secret.txt", d.join("class/answers/link.txt")).expect("symlink");
        let fifo = d.join("class/answers/fifo.txt");
        let c_path = std::ffi::CString::new(path_str(&fifo)).expect("path");
        // SAFETY: a valid NUL-terminated path; mkfifo only creates a file.
        assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o644) }, 0, "mkfifo");
        write(
            &d.join("class"),
            "marks.csv",
            "id,score,file\n\
             amy,9,answers/amy.txt\n\
             bob,4,answers/bob.txt\n\
             passwd,9,/etc/passwd\n\
             climb,9,../../../../../../../../etc/passwd\n\
             link,9,answers/link.txt\n\
             fifo,9,answers/fifo.txt\n\
             sibling,9,../outside/secret.txt\n",
        );
        Class { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Runs `rubric COMMAND -r STALIN class/marks.csv ARGS...` in the temporary folder.
    fn run(&self, command: &str, args: &[&str]) -> Run {
        let rubric_file = root().join(STALIN);
        let mut all = vec![command, "-r", path_str(&rubric_file), "class/marks.csv"];
        all.extend_from_slice(args);
        rubric_in(self.path(), &all, QUICK)
    }
}

/// The rows of the JSON report that were evaluated, and the skipped rows' lines.
#[cfg(unix)]
fn evaluated(run: &Run) -> (u64, Vec<u64>) {
    let report: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON report");
    let lines = report["marks"]["skipped"]
        .as_array()
        .expect("skipped")
        .iter()
        .map(|p| p["line"].as_u64().expect("line"))
        .collect();
    (report["n"].as_u64().expect("n"), lines)
}

#[cfg(unix)]
#[test]
fn eval_reads_no_file_outside_the_marks_files_folder() {
    let class = Class::new();
    for format in ["human", "json"] {
        let run = class.run("eval", &["--format", format]);
        // Every hostile row refused with its line and the reason; the good rows evaluated.
        run.code(2).says(&[
            "class/marks.csv:4: answer passwd: /etc/passwd: is an absolute path",
            "class/marks.csv:5: answer climb: class/../../../../../../../../etc/passwd: leads outside class",
            "class/marks.csv:6: answer link: class/answers/link.txt: leads outside class",
            "class/marks.csv:7: answer fifo: class/answers/fifo.txt: is not a regular file",
            "class/marks.csv:8: answer sibling: class/../outside/secret.txt: leads outside class",
            "--allow-outside",
        ]);
        for leak in ["root:", SECRET] {
            assert!(!run.stdout.contains(leak), "{format}: {leak} printed:\n{}", run.stdout);
            assert!(!run.stderr.contains(leak), "{format}: {leak} printed:\n{}", run.stderr);
        }
        if format == "json" {
            assert_eq!(evaluated(&run), (2, vec![4, 5, 6, 7, 8]));
        }
    }
    // `suggest` reads the same marks files the same way.
    let run = class.run("suggest", &[]);
    run.code(2).says(&[
        "answer passwd: /etc/passwd: is an absolute path",
        "answer fifo: class/answers/fifo.txt: is not a regular file",
    ]);
    assert!(!run.stdout.contains("root:") && !run.stdout.contains(&SECRET.to_lowercase()));
}

#[cfg(unix)]
#[test]
fn allow_outside_reads_files_elsewhere_but_never_a_fifo() {
    let class = Class::new();
    let run = class.run("eval", &["--format", "json", "--allow-outside"]);
    run.code(2)
        .says(&["class/marks.csv:7: answer fifo: class/answers/fifo.txt: is not a regular file"]);
    // Everything but the FIFO read, the secret among the worst disagreements.
    assert_eq!(evaluated(&run), (6, vec![7]));
    assert!(run.stdout.contains(SECRET), "{}", run.stdout);
}

#[cfg(unix)]
#[test]
fn base_names_the_answer_folder() {
    let class = Class::new();
    let d = class.path();
    // A marks file elsewhere, naming files relative to the class's answers folder.
    write(
        d,
        "elsewhere.csv",
        "id,score,file\namy,9,amy.txt\nbob,4,bob.txt\nclimb,9,../../outside/secret.txt\n",
    );
    let rubric_file = root().join(STALIN);
    let args = |extra: &[&'static str]| {
        let mut all = vec![
            "eval",
            "-r",
            path_str(&rubric_file),
            "elsewhere.csv",
            "--format",
            "json",
        ];
        all.extend_from_slice(extra);
        all.into_iter().map(String::from).collect::<Vec<_>>()
    };
    let run_with = |extra: &[&'static str]| {
        let all = args(extra);
        let all: Vec<&str> = all.iter().map(String::as_str).collect();
        rubric_in(d, &all, QUICK)
    };
    let run = run_with(&["--base", "class/answers"]);
    run.code(2).says(&[
        "elsewhere.csv:4: answer climb: class/answers/../../outside/secret.txt: leads outside class/answers (the --base folder)",
    ]);
    assert_eq!(evaluated(&run), (2, vec![4]));
    assert!(!run.stdout.contains(SECRET));
    // Without --base, the files are looked for beside the marks file.
    let run = run_with(&[]);
    run.code(2)
        .says(&["elsewhere.csv:2: answer amy: amy.txt: no such file"]);
    // A --base that is not a folder is an error of its own.
    run_with(&["--base", "nowhere"])
        .code(2)
        .says(&["cannot use nowhere as the folder of the answer files"]);
}

// ---------------------------------------------------------------------------------------------
// Item 8: marks bounded in the rubric.

/// A small rubric: `top` before its title, `point` on line 7 (after the point's id), and an
/// example with `example_score` (its `score` on line 13 when `top` and `point` are empty).
fn rubric_text(top: &str, point: &str, example_score: Option<&str>) -> String {
    let mut s = format!(
        "{top}title = \"T\"\n[[question]]\nid = \"q\"\nprompt = \"P?\"\n[[question.point]]\nid = \"p\"\n{point}label = \"L\"\nhint = \"H\"\ncues = [\"patronage\"]\n"
    );
    if let Some(score) = example_score {
        s.push_str(&format!(
            "[[example]]\nname = \"e\"\ntext = \"patronage\"\nscore = {score}\n"
        ));
    }
    s
}

/// The errors of a rubric that must not load: (line, column, message) each.
#[track_caller]
fn rubric_errors(text: &str) -> Vec<(usize, usize, String)> {
    match Rubric::from_str(text, "r.toml") {
        Ok(r) => panic!("loaded, max {}:\n{text}", r.max),
        Err(RubricError::Invalid(ds)) => ds.into_iter().map(|d| (d.line, d.column, d.message)).collect(),
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn marks_must_be_finite_and_sane() {
    for value in ["1e308", "nan", "-1", "inf", "-inf", "+inf", "1e4", "1000.5"] {
        let text = rubric_text("", &format!("marks = {value}\n"), None);
        assert_eq!(
            rubric_errors(&text),
            [(7, 9, format!("`marks` must be a number from 0 to 1000, not {value}"))],
            "{value}"
        );
        // Through the binary: exit 2, the file, line and column, never a score.
        let dir = tempfile::tempdir().expect("tempdir");
        let file = write(dir.path(), "r.toml", &text);
        let run = check(path_str(&file), &[GOOD], QUICK);
        run.code(2).says(&[&format!(
            "r.toml:7:9: `marks` must be a number from 0 to 1000, not {value}"
        )]);
        assert!(run.stdout.is_empty(), "{}", run.stdout);
    }
    // Every other number of marks.
    let cases = [
        (
            rubric_text("", "partial_marks = 1e300\n", None),
            7,
            17,
            "`partial_marks`",
        ),
        (rubric_text("max = nan\n", "", None), 1, 7, "`max`"),
        (
            rubric_text("", "", None).replace("[[question.point]]", "max = 1e9\n[[question.point]]"),
            5,
            7,
            "`max`",
        ),
        (
            rubric_text("bands = [{ covered = 1, marks = inf }]\n", "", None),
            1,
            33,
            "a band's `marks`",
        ),
        (
            rubric_text("", "", None).replace(
                "[[question.point]]",
                "[[question.bands]]\ncovered = 1\nmarks = -2\n[[question.point]]",
            ),
            7,
            9,
            "a band's `marks`",
        ),
    ];
    for (text, line, column, what) in cases {
        let errors = rubric_errors(&text);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!((errors[0].0, errors[0].1), (line, column), "{text}");
        assert!(
            errors[0]
                .2
                .starts_with(&format!("{what} must be a number from 0 to 1000")),
            "{errors:?}"
        );
    }
    // `within = 0` can never be met by two parts.
    let text = rubric_text("", "", None).replace(
        "cues = [\"patronage\"]",
        "cues = [{ all = [\"stalin\", \"patronage\"], within = 0 }]",
    );
    let errors = rubric_errors(&text);
    assert_eq!((errors.len(), errors[0].0, errors[0].1), (1, 9, 9), "{errors:?}");
    assert!(errors[0].2.starts_with("`within` must be at least 1"), "{errors:?}");
    // An example's score is a total: at most the rubric's maximum.
    let errors = rubric_errors(&rubric_text("", "", Some("5")));
    assert_eq!(
        errors,
        [(
            13,
            9,
            "example `e`: `score` must be a number from 0 to the rubric's maximum (1), not 5".to_string()
        )]
    );
    // The largest allowed loads, and the total of many such points is finite.
    let mut text = rubric_text("", "marks = 1000\n", Some("1000"));
    for i in 0..50 {
        text.push_str(&format!(
            "[[question]]\nid = \"q{i}\"\nprompt = \"P?\"\n[[question.point]]\nid = \"p{i}\"\nmarks = 1000\nlabel = \"L\"\nhint = \"H\"\ncues = [\"x{i}\"]\n"
        ));
    }
    let r = Rubric::from_str(&text, "r.toml").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.max, 51_000.0);
}

// ---------------------------------------------------------------------------------------------
// Item 8: invisible characters and look-alike letters.

/// The patronage point's evidence words (as written in the answer) in `check`'s report.
fn patronage_words(report: &serde_json::Value) -> Vec<String> {
    report["questions"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|q| q["points"].as_array().into_iter().flatten())
        .filter(|p| p["id"] == "patronage")
        .flat_map(|p| p["evidence"].as_array().into_iter().flatten())
        .flat_map(|e| e["words"].as_array().into_iter().flatten())
        .map(|w| w["text"].as_str().unwrap_or("").to_string())
        .collect()
}

#[test]
fn invisible_characters_and_look_alikes_hide_no_word() {
    let dir = tempfile::tempdir().expect("tempdir");
    for word in [
        "pat\u{AD}ronage",       // soft hyphen
        "patro\u{200B}nage",     // zero-width space
        "patr\u{200C}onage",     // zero-width non-joiner
        "patr\u{200D}onage",     // zero-width joiner
        "patro\u{2060}nage",     // word joiner
        "patron\u{FEFF}age",     // byte order mark
        "p\u{430}tronage",       // Cyrillic а
        "p\u{3B1}tr\u{3BF}nage", // Greek alpha, omicron
    ] {
        let sentence = format!("Stalin used {word} to reward his allies, who then backed him in the party.");
        let file = write(dir.path(), "answer.txt", &sentence);
        let run = check(STALIN, &[path_str(&file)], QUICK);
        run.code(0);
        let report = &run.reports()[0];
        assert_eq!(status(report, "patronage"), "covered", "{word:?}: {}", run.stdout);
        // The evidence shows the characters written, and its offsets point at them.
        assert_eq!(patronage_words(report), [word], "{word:?}");
        let evidence = report["questions"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|q| q["points"].as_array().into_iter().flatten())
            .find(|p| p["id"] == "patronage")
            .map(|p| p["evidence"][0].clone())
            .expect("evidence");
        let (start, end) = (
            evidence["start"].as_u64().expect("start") as usize,
            evidence["end"].as_u64().expect("end") as usize,
        );
        assert_eq!(&sentence[start..end], word, "{word:?}");
        assert!(evidence["quote"].as_str().expect("quote").contains(word), "{evidence}");
    }
}

#[test]
fn a_look_alike_not_is_a_negation() {
    let dir = tempfile::tempdir().expect("tempdir");
    let latin = write(dir.path(), "latin.txt", "He did not build a patronage system.");
    let cyrillic = write(dir.path(), "cyrillic.txt", "He did n\u{43E}t build a patronage system.");
    let run = check(STALIN, &[path_str(&latin), path_str(&cyrillic)], QUICK);
    run.code(0);
    let reports = run.reports();
    assert_eq!(status(&reports[0], "patronage"), "negated", "{}", run.stdout);
    assert_eq!(status(&reports[1], "patronage"), "negated", "{}", run.stdout);
    assert_eq!(reports[0]["score"], reports[1]["score"]);
}

#[test]
fn russian_text_is_read_as_written() {
    use rubric::{Document, Format, Language};
    let ru = Language::from_name("russian").expect("russian");
    let text = "Сталин не создавал систему патронажа: сор, ухо, оса и рос остались.";
    let doc = Document::new(text.to_string(), Format::Text, &ru);
    let norms: Vec<&str> = doc.tokens.iter().map(|t| doc.word(t).norm.as_str()).collect();
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    assert_eq!(norms, words);
}

#[test]
fn a_copy_with_cyrillic_letters_is_a_near_duplicate() {
    let dir = tempfile::tempdir().expect("tempdir");
    let class = dir.path().join("class");
    fs::create_dir(&class).expect("mkdir");
    let strong = fs::read_to_string(root().join(GOOD)).expect("sample");
    write(&class, "amy.txt", &strong);
    let other = fs::read_to_string(root().join("samples/stalin/paraphrased.txt")).expect("sample");
    write(&class, "bob.txt", &other);
    // Every a, e, o, c, p and i in Cyrillic: lone "a"s become all-Cyrillic words.
    let disguised: String = strong
        .chars()
        .map(|c| match c {
            'a' => 'а',
            'e' => 'е',
            'o' => 'о',
            'c' => 'с',
            'p' => 'р',
            'i' => 'і',
            c => c,
        })
        .collect();
    assert_ne!(disguised, strong);
    write(&class, "cat.txt", &disguised);
    let run = rubric(&["mark", "-r", STALIN, path_str(&class), "--format", "json"], QUICK);
    run.code(0);
    let summary: serde_json::Value = serde_json::from_str(&run.stdout).expect("summary");
    let pairs = summary["near_duplicates"].as_array().expect("pairs");
    assert_eq!(pairs.len(), 1, "{}", run.stdout);
    assert_eq!(
        (pairs[0]["a"].as_str(), pairs[0]["b"].as_str()),
        (Some("amy"), Some("cat"))
    );
    assert!(
        pairs[0]["similarity"].as_f64().expect("similarity") >= 0.95,
        "{}",
        run.stdout
    );
    // And it is marked as the original is.
    let score = |id: &str| {
        summary["answers"]
            .as_array()
            .expect("answers")
            .iter()
            .find(|a| a["id"] == id)
            .map(|a| a["score"].clone())
    };
    assert_eq!(score("amy"), score("cat"));
}
