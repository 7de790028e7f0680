//! `check --format line|github|junit|sarif`, and `human` and `json` unchanged by the new paths.

use quick_xml::Reader;
use quick_xml::events::Event;
use serde_json::Value;

use super::common::*;

fn answer() -> String {
    format!("{FIXTURES}/answer.txt")
}

fn roman() -> String {
    format!("{FIXTURES}/roman.toml")
}

#[test]
fn line_format_one_line_per_point() {
    let r = run(&["check", "--format", "line", "-r", &roman(), &answer()]);
    assert_eq!(r.code, 0, "{r:?}");
    let f = answer();
    assert_eq!(
        r.stdout,
        format!(
            "{f}:3:5: partial 1.2: The Gracchi, reform and violence. What happened to the brothers who tried reform?\n\
             {f}:4:15: negated 1.3: Who first marched an army on Rome, 100% of it? (your answer says the opposite)\n\
             {f}:1:1: missing 2.1: Who crossed the Rubicon, and what did he become?\n\
             {f}:1:1: score total: 1.5/4 (38%), 1 covered, 1 partial, 1 negated, 1 missing\n"
        )
    );
    // `--covered` lists the covered points too, first here (rubric order).
    let all = run(&["check", "--format", "line", "--covered", "-r", &roman(), &answer()]);
    assert_eq!(
        all.stdout.lines().next(),
        Some(format!("{f}:2:14: covered 1.1: Private armies loyal to their generals").as_str())
    );
    assert_eq!(all.stdout.lines().count(), 5, "{}", all.stdout);
    // Every line has the shape editors and grep expect.
    let r = all;
    let shape = regex::Regex::new(r"^[^:]+:\d+:\d+: (covered|partial|negated|missing|score) [\w.-]+: .+$").unwrap();
    assert!(r.stdout.lines().all(|l| shape.is_match(l)), "{}", r.stdout);
}

#[test]
fn line_format_says_when_short() {
    let r = run(&["check", "-f", "line", "-r", &roman(), &answer(), "--min-score", "50%"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stdout.ends_with("1 missing; below the minimum 50%\n"), "{}", r.stdout);
}

#[test]
fn github_workflow_commands() {
    let r = run(&[
        "check",
        "--format",
        "github",
        "-r",
        &roman(),
        &answer(),
        "--min-score",
        "0.5",
    ]);
    assert_eq!(r.code, 1, "{r:?}");
    let f = answer();
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(
        lines,
        [
            format!(
                "{f}: 1.5/4 (38%) against \"Why did the Roman Republic fall?\": 1 covered, 1 partial, 1 negated, 1 missing"
            ),
            format!(
                "::notice file={f},line=2,col=14,title=Private armies loyal to their generals [1.1] covered::Covered (1/1 marks): \"Generals had private armies.\""
            ),
            format!(
                "::warning file={f},line=3,col=5,title=The Gracchi%2C reform and violence [1.2] partly made::Partly made. To go further: What happened to the brothers who tried reform?"
            ),
            format!(
                "::warning file={f},line=4,col=15,title=[1.3] negated::Your answer says the opposite here, so it earns nothing as written. Hint: Who first marched an army on Rome, 100%25 of it?"
            ),
            format!(
                "::warning file={f},title=[2.1] missing::Missing. Hint: Who crossed the Rubicon, and what did he become?"
            ),
            format!("::error file={f},title=Below the minimum score::1.5/4 (38%25) is below the minimum 0.5."),
        ]
    );
}

#[test]
fn github_escapes_file_names() {
    let dir = tempfile::tempdir().unwrap();
    let odd = dir.path().join("a: b, 100%.txt");
    std::fs::copy(fixture("answer.txt"), &odd).unwrap();
    let r = run_in(
        dir.path(),
        &[
            "check",
            "-f",
            "github",
            "-r",
            fixture("roman.toml").to_str().unwrap(),
            "a: b, 100%.txt",
        ],
    );
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stdout.contains("::notice file=a%3A b%2C 100%25.txt,line=2,col=14,"),
        "{}",
        r.stdout
    );
}

/// Every element of an XML document, as (name, attributes), failing on malformed XML.
fn xml_elements(xml: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut out = Vec::new();
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) | Event::Empty(e) => {
                let name = e.name().as_ref().to_string();
                let attrs = e
                    .attributes()
                    .map(|a| {
                        let a = a.expect("attribute");
                        (
                            a.key.as_ref().to_string(),
                            a.normalized_value(quick_xml::XmlVersion::Explicit1_0)
                                .expect("escaped value")
                                .into_owned(),
                        )
                    })
                    .collect();
                out.push((name, attrs));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

fn attr<'a>(attrs: &'a [(String, String)], key: &str) -> &'a str {
    attrs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

#[test]
fn junit_one_suite_per_answer() {
    let strong = format!("{FIXTURES}/strong.md");
    let r = run(&[
        "check",
        "-f",
        "junit",
        "-r",
        &roman(),
        &answer(),
        &strong,
        "--min-score",
        "60%",
    ]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stdout.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"));
    let elements = xml_elements(&r.stdout);
    let suites: Vec<_> = elements.iter().filter(|(n, _)| n == "testsuite").collect();
    assert_eq!(suites.len(), 2);
    assert_eq!(attr(&suites[0].1, "name"), answer());
    // 4 points and the min_score case; missing, negated and the score fail.
    assert_eq!(attr(&suites[0].1, "tests"), "5");
    assert_eq!(attr(&suites[0].1, "failures"), "3");
    assert_eq!(attr(&suites[1].1, "failures"), "0");
    let failures: Vec<&str> = elements
        .iter()
        .filter(|(n, _)| n == "failure")
        .map(|(_, a)| attr(a, "type"))
        .collect();
    assert_eq!(failures, ["negated", "missing", "min_score"]);
    let top = elements.iter().find(|(n, _)| n == "testsuites").unwrap();
    assert_eq!(attr(&top.1, "tests"), "10");
    let case = elements
        .iter()
        .find(|(n, a)| n == "testcase" && attr(a, "name").starts_with("gracchi"))
        .unwrap();
    assert_eq!(attr(&case.1, "classname"), "causes");
    assert_eq!(attr(&case.1, "line"), "3");
    // A partial point passes, with its hint in system-out.
    assert!(
        r.stdout
            .contains("<system-out>tests/fixtures/workflows/answer.txt:3:5: partial (0.5/1 marks)")
    );
}

#[test]
fn junit_escapes_names() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixture("answer.txt"), dir.path().join("<&\"'>.txt")).unwrap();
    let r = run_in(
        dir.path(),
        &[
            "check",
            "-f",
            "junit",
            "-r",
            fixture("roman.toml").to_str().unwrap(),
            "<&\"'>.txt",
        ],
    );
    assert_eq!(r.code, 0, "{r:?}");
    let elements = xml_elements(&r.stdout);
    let suite = elements.iter().find(|(n, _)| n == "testsuite").unwrap();
    assert_eq!(attr(&suite.1, "name"), "<&\"'>.txt");
}

fn sarif_validator() -> jsonschema::Validator {
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("sarif-schema-2.1.0.json")).unwrap()).unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles")
}

fn assert_valid_sarif(text: &str) -> Value {
    let log: Value = serde_json::from_str(text).expect("SARIF is JSON");
    let validator = sarif_validator();
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF invalid against the 2.1.0 schema:\n{}",
        errors.join("\n")
    );
    log
}

#[test]
fn sarif_is_valid_against_the_official_schema() {
    let strong = format!("{FIXTURES}/strong.md");
    let r = run(&["check", "-f", "sarif", "-r", &roman(), &answer(), &strong]);
    assert_eq!(r.code, 0, "{r:?}");
    let log = assert_valid_sarif(&r.stdout);
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "rubric");
    let rules: Vec<&str> = run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["armies", "gracchi", "sulla", "caesar"]);
    let results = run["results"].as_array().unwrap();
    let got: Vec<(&str, &str)> = results
        .iter()
        .map(|r| (r["ruleId"].as_str().unwrap(), r["level"].as_str().unwrap()))
        .collect();
    assert_eq!(got, [("gracchi", "note"), ("sulla", "warning"), ("caesar", "warning")]);
    let region = &results[1]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (region["startLine"].as_u64(), region["startColumn"].as_u64()),
        (Some(4), Some(15))
    );
    assert_eq!(
        (region["endLine"].as_u64(), region["endColumn"].as_u64()),
        (Some(4), Some(28))
    );
    assert_eq!(
        results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "tests/fixtures/workflows/answer.txt"
    );
    assert_eq!(run["artifacts"][1]["properties"]["percent"], 100.0);
}

/// An answer below `--min-score` is an error result of its own (rule `min-score`, added only
/// when an answer falls short); one that reaches the bar has none.
#[test]
fn sarif_has_an_error_for_an_answer_below_the_bar() {
    let strong = format!("{FIXTURES}/strong.md");
    let r = run(&[
        "check",
        "-f",
        "sarif",
        "--min-score",
        "50%",
        "-r",
        &roman(),
        &answer(),
        &strong,
    ]);
    assert_eq!(r.code, 1, "{r:?}");
    let log = assert_valid_sarif(&r.stdout);
    let run = &log["runs"][0];
    let errors: Vec<&Value> = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["ruleId"] == "min-score")
        .collect();
    assert_eq!(errors.len(), 1, "only the answer below the bar: {}", r.stdout);
    assert_eq!(errors[0]["level"], "error");
    assert_eq!(errors[0]["message"]["text"], "1.5/4 (38%) is below the minimum 50%.");
    assert_eq!(
        errors[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "tests/fixtures/workflows/answer.txt"
    );
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules.iter().any(|r| r["id"] == "min-score"));
    // Every answer above the bar: no such result, no such rule.
    let r = crate::common::run(&["check", "-f", "sarif", "--min-score", "10%", "-r", &roman(), &strong]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(!r.stdout.contains("min-score"), "{}", r.stdout);
}

#[test]
fn sarif_with_several_rubrics_and_odd_names() {
    let p = project();
    std::fs::copy(
        fixture("answer.txt"),
        p.path().join("essays/history/y10/mé & you #2.md"),
    )
    .unwrap();
    let r = run_in(p.path(), &["check", "-f", "sarif"]);
    assert_eq!(r.code, 1, "{r:?}");
    let log = assert_valid_sarif(&r.stdout);
    let run = &log["runs"][0];
    let rules: Vec<&str> = run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        rules,
        [
            "greek/plague",
            "greek/sicily",
            "roman/armies",
            "roman/gracchi",
            "roman/sulla",
            "roman/caesar",
            // The answer below the project's min_score (exit 1) says so in a result of its own.
            "roman/min-score"
        ]
    );
    let uris: Vec<&str> = run["artifacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["location"]["uri"].as_str().unwrap())
        .collect();
    assert_eq!(
        uris,
        [
            "essays/greek/athens.txt",
            "essays/history/weak.md",
            "essays/history/y10/m%C3%A9%20%26%20you%20%232.md",
            "essays/history/y10/strong.md"
        ]
    );
    assert_eq!(run["artifacts"][1]["properties"]["belowMinScore"], true);
}

#[test]
fn sarif_of_nothing_is_still_valid() {
    let p = project();
    let r = run_in(p.path(), &["check", "-f", "sarif", "notes/todo.md"]);
    assert_eq!(r.code, 0, "{r:?}");
    let log = assert_valid_sarif(&r.stdout);
    assert_eq!(log["runs"][0]["results"].as_array().unwrap().len(), 0);
}

/// `--verbose` only adds notes on standard error: the human and JSON reports are the same
/// with it as without it.
#[test]
fn verbose_leaves_the_reports_as_they_are() {
    let strong = format!("{FIXTURES}/strong.md");
    for format in ["human", "json"] {
        let plain = run(&["check", "-f", format, "-r", &roman(), &answer(), &strong]);
        let workflow = run(&["check", "-f", format, "-r", &roman(), &answer(), &strong, "--verbose"]);
        assert_eq!(plain.code, 0);
        assert_eq!(plain.stdout, workflow.stdout, "{format}");
        assert_eq!(workflow.code, 0);
    }
    let plain = run(&["check", "-r", &roman(), &answer(), "--explain", "--reveal"]);
    let workflow = run(&["check", "-r", &roman(), &answer(), "--explain", "--reveal", "-v"]);
    assert_eq!(plain.stdout, workflow.stdout);
}
