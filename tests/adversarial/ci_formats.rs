//! Issue 16, item 2: no workflow command, record or escape code injected through a file name,
//! rubric text or answer text, in any CI format or terminal report.
//!
//! GitHub's runner reads every line of a step's output (standard output and error): a line that
//! starts, after white space, with `::name` is a workflow command, and so is `##[name` anywhere
//! in a line (the older syntax, still accepted). [`runner_commands`] reads output as the runner
//! does; every test asserts that it finds only the report's own commands.
use super::*;

/// Rubric text carrying every payload: line breaks followed by commands, an encoded line
/// break, SGR and OSC escape codes, the one-character CSI U+009B, the old command syntax, and a
/// carriage return that would overwrite the line on a terminal.
const EVIL_RUBRIC: &str = r#"
title = "Evil title\n::warning::title-cmd %0A \u001b[31mTITLE-SGR \u009b31mTITLE-CSI ##[error]title-v1"
allow_reveal = true

[[question]]
id = "causes"
prompt = "Evil prompt\n::warning::prompt-cmd \u001b]0;window-title\u0007 \u009b2J"

[[question.point]]
id = "armies"
label = "Private armies\n::warning::label-cmd %0A \u001b[31mLABEL-SGR \u009b31mLABEL-CSI"
hint = "Whose soldiers?\n::warning::hint-cmd %0A \u001b[31mHINT-SGR \u009b31mHINT-CSI ##[error]hint-v1"
reveal = "The generals'.\n::error::reveal-cmd \u001b[2J"
cues = ["private armies"]

[[question.point]]
id = "caesar"
label = "Caesar\r::error::label-cr \u001b[2J"
hint = "Who crossed the Rubicon?\n  ::error::hint-indented \u009b2J"
reveal = "Caesar, dictator for life."
cues = ["dictator for life"]

[[example]]
name = "evil example\n::error::example-cmd \u001b[31mEXAMPLE-SGR"
text = "Generals had private armies."
misses = ["armies"]
"#;

/// An answer that covers `armies` with a sentence carrying payloads of its own.
const EVIL_ANSWER: &str = "Generals had private armies \u{1b}[31mANSWER-SGR \u{9b}31mANSWER-CSI ##[error]answer-v1 and\n::error::answer-cmd here.\n";

/// The workflow commands GitHub's runner would find in `output`: (command name, rest of line).
fn runner_commands(output: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    // The runner splits lines at `\n`, `\r` and `\r\n`.
    for line in output.split(['\n', '\r']) {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix("::") {
            let end = rest.find([' ', ':']).unwrap_or(rest.len());
            // `::name` needs a second `::` to be a command.
            if rest[end..].contains("::") {
                found.push((rest[..end].to_string(), rest[end..].to_string()));
                continue;
            }
        }
        if let Some(at) = line.find("##[") {
            let rest = &line[at + 3..];
            let end = rest.find([' ', ']']).unwrap_or(rest.len());
            found.push((rest[..end].to_string(), rest[end..].to_string()));
        }
    }
    found
}

/// Asserts that `output` holds no control character other than line feed, so no escape code
/// reaches a terminal.
#[track_caller]
fn assert_no_controls(what: &str, output: &str) {
    if let Some(c) = output.chars().find(|&c| c.is_control() && c != '\n') {
        panic!("{what}: control character {c:?} in the output:\n{output}");
    }
}

/// Asserts that GitHub's runner would find no workflow command in `output`.
#[track_caller]
fn assert_no_commands(what: &str, output: &str) {
    let commands = runner_commands(output);
    assert!(commands.is_empty(), "{what}: commands {commands:?} in:\n{output}");
}

/// A folder with the evil rubric (`evil.toml`) and an answer named with a line break and a
/// command (`a⏎::error::pwned⏎.md`), covering one point.
fn evil_folder() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "evil.toml", EVIL_RUBRIC);
    let name = "a\n::error::pwned\n.md";
    write(dir.path(), name, EVIL_ANSWER);
    (dir, name.to_string())
}

/// Decodes a workflow command's property value as the runner does.
fn unescape_property(s: &str) -> String {
    s.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
}

#[test]
fn github_file_name_with_a_command_injects_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let name = "a\n::error::pwned\n.md";
    fs::copy(root().join(GOOD), dir.path().join(name)).expect("copy");
    let rubric_file = root().join(STALIN);
    let run = rubric_in(
        dir.path(),
        &["check", "--format", "github", "-r", path_str(&rubric_file), "--", name],
        QUICK,
    );
    run.code(0);
    // Every line is one of the report's own annotations or its plain summary line.
    for line in run.stdout.lines() {
        assert!(
            line.starts_with("::notice file=")
                || line.starts_with("::warning file=")
                || !line.trim_start().starts_with("::"),
            "{line}"
        );
        assert!(!line.starts_with("::error::pwned"), "{}", run.stdout);
    }
    let commands = runner_commands(&run.stdout);
    assert!(!commands.is_empty());
    for (name_, rest) in &commands {
        assert!(["notice", "warning"].contains(&name_.as_str()), "{name_}{rest}");
        // The file property, decoded as the runner does, is the real file name.
        let file = rest
            .strip_prefix(" file=")
            .and_then(|r| r.split([',', ':']).next())
            .expect("a file property");
        assert_eq!(unescape_property(file), name);
    }
    assert!(
        run.stdout.contains("file=a%0A%3A%3Aerror%3A%3Apwned%0A.md,"),
        "{}",
        run.stdout
    );
    assert_no_controls("github", &run.stdout);
}

#[test]
fn github_rubric_and_answer_text_inject_nothing() {
    let (dir, name) = evil_folder();
    let run = rubric_in(
        dir.path(),
        &[
            "check",
            "--format",
            "github",
            "-r",
            "evil.toml",
            "--min-score",
            "90%",
            "--",
            &name,
        ],
        QUICK,
    );
    run.code(1);
    assert_no_controls("github", &run.stdout);
    let commands = runner_commands(&run.stdout);
    let names: Vec<&str> = commands.iter().map(|(n, _)| n.as_str()).collect();
    // One notice (armies covered), one warning (caesar missing), one error (below the bar).
    assert_eq!(names, ["notice", "warning", "error"], "{}", run.stdout);
    for (_, rest) in &commands {
        assert!(!rest.contains('\r'), "{rest:?}");
    }
    // Line breaks and percent signs in the data are encoded, so the annotation shows them as
    // text: `%0A` written in the rubric stays `%0A` once decoded.
    assert!(
        run.stdout
            .contains("title=Private armies %3A%3Awarning%3A%3Alabel-cmd %250A \u{fffd}[31mLABEL-SGR"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("::Missing. Hint: Who crossed the Rubicon? ::error::hint-indented \u{fffd}2J\n"),
        "{}",
        run.stdout
    );
    // The summary line's title is one line, its escape codes replaced.
    let summary = run.stdout.lines().next().expect("a summary line");
    assert!(
        summary.contains("Evil title ::warning::title-cmd %0A \u{fffd}[31mTITLE-SGR \u{fffd}31mTITLE-CSI"),
        "{summary}"
    );
}

#[test]
fn line_format_keeps_one_record_per_finding() {
    let (dir, name) = evil_folder();
    let run = rubric_in(
        dir.path(),
        &["check", "--format", "line", "--covered", "-r", "evil.toml", "--", &name],
        QUICK,
    );
    run.code(0);
    assert_no_controls("line", &run.stdout);
    assert_no_commands("line", &run.stdout);
    let lines: Vec<&str> = run.stdout.lines().collect();
    // Two points and the score: three records, each starting with the file name as printed.
    assert_eq!(lines.len(), 3, "{}", run.stdout);
    let shown = "a\u{fffd}::error::pwned\u{fffd}.md";
    let kinds: Vec<&str> = lines
        .iter()
        .map(|l| {
            let rest = l
                .strip_prefix(shown)
                .unwrap_or_else(|| panic!("record of another file: {l}"));
            let mut parts = rest.splitn(4, ':');
            assert_eq!(parts.next(), Some(""), "{l}");
            assert!(parts.next().is_some_and(|n| n.parse::<usize>().is_ok()), "{l}");
            assert!(parts.next().is_some_and(|n| n.parse::<usize>().is_ok()), "{l}");
            parts.next().expect("status").split_whitespace().next().expect("status")
        })
        .collect();
    assert_eq!(kinds, ["covered", "missing", "score"], "{}", run.stdout);
    assert!(
        lines[0].contains("Private armies ::warning::label-cmd %0A \u{fffd}[31mLABEL-SGR"),
        "{}",
        lines[0]
    );
    // A missing point is shown by its number and hint, never its label (student-safe).
    assert!(
        lines[1].contains(": missing 1.2: Who crossed") && !lines[1].contains("label-cr"),
        "{}",
        lines[1]
    );
}

/// The decoded text of every element and attribute of `xml`, failing on malformed XML.
fn xml_strings(xml: &str) -> Vec<String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut out = Vec::new();
    let mut depth = 0usize;
    loop {
        let event = reader.read_event().expect("well-formed XML");
        match &event {
            Event::Start(e) | Event::Empty(e) => {
                // As an XML reader sees them: a raw line break in a value would be a space.
                for a in e.attributes() {
                    let a = a.expect("attribute");
                    let value = a.normalized_value(quick_xml::XmlVersion::Explicit1_0);
                    out.push(value.expect("escaped attribute").into_owned());
                }
                if matches!(event, Event::Start(_)) {
                    depth += 1;
                }
            }
            Event::Text(t) => out.push(t.xml10_content().into_owned()),
            Event::GeneralRef(r) => {
                let c = r
                    .resolve_char_ref()
                    .expect("a valid reference")
                    .or_else(|| match r.xml10_content().as_ref() {
                        "amp" => Some('&'),
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "quot" => Some('"'),
                        "apos" => Some('\''),
                        _ => None,
                    })
                    .expect("a known entity");
                out.push(c.to_string());
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::CData(_) | Event::DocType(_) => panic!("unexpected CDATA or DOCTYPE"),
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(depth, 0);
    out
}

/// Whether `c` may appear in an XML 1.0 document.
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

#[test]
fn junit_is_strict_xml_and_injects_nothing() {
    let (dir, name) = evil_folder();
    let run = rubric_in(
        dir.path(),
        &["check", "--format", "junit", "-r", "evil.toml", "--", &name],
        QUICK,
    );
    run.code(0);
    let xml = &run.stdout;
    assert!(xml.chars().all(xml_char), "a character XML 1.0 forbids");
    // Not even the C1 controls and DEL that XML only discourages.
    assert_no_controls("junit", &xml.replace(['\t', '\r'], ""));
    assert!(
        !xml.contains("&#27;") && !xml.contains("&#155;") && !xml.contains("&#x"),
        "{xml}"
    );
    assert_no_commands("junit", xml);
    let strings = xml_strings(xml);
    // An XML reader gets the file name back whole, line breaks and all.
    assert!(strings.iter().any(|s| s == &name), "{strings:?}");
    assert!(
        strings
            .iter()
            .any(|s| s.contains("Private armies ::warning::label-cmd %0A \u{fffd}[31mLABEL-SGR")),
        "{strings:?}"
    );
}

#[test]
fn sarif_and_json_are_valid_json_and_inject_nothing() {
    let (dir, name) = evil_folder();
    for format in ["sarif", "json"] {
        let run = rubric_in(
            dir.path(),
            &["check", "--format", format, "-r", "evil.toml", "--", &name],
            QUICK,
        );
        run.code(0);
        assert_no_controls(format, &run.stdout);
        assert_no_commands(format, &run.stdout);
        for line in run.stdout.lines().filter(|_| format == "json") {
            let v: serde_json::Value = serde_json::from_str(line).expect("JSON");
            // JSON keeps the text exactly: the escapes are JSON's own.
            assert_eq!(v["file"], name);
            assert!(
                v["rubric"]["title"]
                    .as_str()
                    .unwrap()
                    .contains("\u{1b}[31mTITLE-SGR \u{9b}31m")
            );
        }
        if format == "sarif" {
            let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
            let rules = &v["runs"][0]["tool"]["driver"]["rules"];
            assert!(
                rules[0]["help"]["text"].as_str().unwrap().contains("##[error]hint-v1"),
                "{rules}"
            );
            assert!(run.stdout.contains("##\\u005b"), "{}", run.stdout);
        }
    }
}

/// Removes the SGR sequences (`ESC [ digits and ; m`) the report styles itself with, failing on
/// any other escape sequence.
fn strip_sgr(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\x1b' {
            out.push(c);
            continue;
        }
        assert_eq!(chars.next(), Some('['), "an escape sequence that is not SGR in:\n{s}");
        for c in chars.by_ref() {
            if c == 'm' {
                break;
            }
            assert!(
                c.is_ascii_digit() || c == ';',
                "an escape sequence that is not SGR in:\n{s}"
            );
        }
    }
    out
}

#[test]
fn human_report_prints_no_escape_code_from_the_rubric_or_answer() {
    let (dir, name) = evil_folder();
    let args = |color: &'static str| {
        vec![
            "check",
            "-r",
            "evil.toml",
            "--reveal",
            "--explain",
            "--color",
            color,
            "--",
            name.as_str(),
        ]
    };
    let plain = rubric_in(dir.path(), &args("never"), QUICK);
    plain.code(0);
    assert_no_controls("human", &plain.stdout);
    assert_no_commands("human", &plain.stdout);
    for payload in [
        "\u{fffd}[31mTITLE-SGR",
        "\u{fffd}31mLABEL-CSI",
        "Rubicon?\n  :\u{2060}:error::hint-indented \u{fffd}2J",
        "\u{fffd}]0;window-title\u{fffd}",
        "\u{fffd}[31mANSWER-SGR",
        "\u{fffd}31mANSWER-CSI",
    ] {
        assert!(
            plain.stdout.contains(payload),
            "{payload:?} not shown in:\n{}",
            plain.stdout
        );
    }
    // The missing point's label (with its escape codes) is not shown at all: student-safe.
    assert!(!plain.stdout.contains("label-cr"), "{}", plain.stdout);
    // The file name's line break and command are shown on the name's own line.
    assert!(
        plain.stdout.starts_with("a\u{fffd}::error::pwned\u{fffd}.md\n"),
        "{}",
        plain.stdout
    );

    // In colour, every escape code is one of the report's own styles, and without them the
    // report is the plain one.
    let coloured = rubric_in(dir.path(), &args("always"), QUICK);
    coloured.code(0);
    assert!(coloured.stdout.contains('\x1b'));
    assert!(!coloured.stdout.contains('\u{9b}'));
    assert_eq!(strip_sgr(&coloured.stdout), plain.stdout);
}

#[test]
fn lint_test_and_errors_print_no_escape_code() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rubric_name = "evil\n::error::rubric-name\u{1b}[31m.toml";
    write(dir.path(), rubric_name, EVIL_RUBRIC);
    for command in ["lint", "test"] {
        let run = rubric_in(dir.path(), &[command, rubric_name], QUICK);
        assert!(run.code.is_some(), "{command}: {}", run.stderr);
        assert_no_controls(command, &run.stdout);
        assert_no_commands(command, &run.stdout);
        assert_no_commands(command, &run.stderr);
        assert!(
            run.stdout.contains("evil\u{fffd}::error::rubric-name\u{fffd}[31m.toml"),
            "{}",
            run.stdout
        );
    }
    let test = rubric_in(dir.path(), &["test", rubric_name], QUICK);
    test.code(1);
    assert!(
        test.stdout
            .contains("evil example\u{fffd}::error::example-cmd \u{fffd}[31mEXAMPLE-SGR"),
        "{}",
        test.stdout
    );

    // An error naming a file that does not exist.
    let missing = "gone\n::error::stderr-cmd\u{1b}]0;title\u{7}.md";
    let run = rubric_in(dir.path(), &["check", "-r", rubric_name, "--", missing], QUICK);
    run.code(2);
    assert_no_commands("stderr", &run.stderr);
    let err_text = strip_sgr(&run.stderr);
    assert_no_controls("stderr", &err_text);
    assert!(
        err_text.contains("gone\n:\u{2060}:error::stderr-cmd\u{fffd}]0;title\u{fffd}.md"),
        "{err_text}"
    );
}

#[test]
fn print_config_and_folders_print_no_escape_code() {
    let (dir, name) = evil_folder();
    let run = rubric_in(
        dir.path(),
        &["check", "-r", "evil.toml", "--print-config", "--", &name],
        QUICK,
    );
    run.code(0);
    assert_no_controls("print-config", &run.stdout);
    assert_no_commands("print-config", &run.stdout);
    assert!(
        run.stdout
            .contains("a\u{fffd}::error::pwned\u{fffd}.md: rubric evil.toml"),
        "{}",
        run.stdout
    );
}

#[test]
fn mark_summary_prints_no_escape_code() {
    let (dir, _) = evil_folder();
    let class = dir.path().join("class");
    fs::create_dir(&class).expect("mkdir");
    write(&class, "amy\n::error::mark-cmd\u{1b}[31m.txt", EVIL_ANSWER);
    write(&class, "ben.txt", "Caesar became dictator for life.");
    let run = rubric_in(dir.path(), &["mark", "--rubric", "evil.toml", "class"], QUICK);
    run.code(0);
    assert_no_controls("mark", &run.stdout);
    assert_no_commands("mark", &run.stdout);
    assert!(
        run.stdout
            .contains("Evil title\n:\u{2060}:warning::title-cmd %0A \u{fffd}[31mTITLE-SGR"),
        "{}",
        run.stdout
    );

    // Warnings name files too.
    let run = rubric_in(
        dir.path(),
        &[
            "mark",
            "--rubric",
            "evil.toml",
            "--id-pattern",
            "^zzz(?P<id>\\d+)",
            "class",
        ],
        QUICK,
    );
    run.code(0).says(&["--id-pattern did not match"]);
    assert_no_commands("mark warnings", &run.stderr);
    assert_no_controls("mark warnings", &strip_sgr(&run.stderr));
}

/// `mark --json` writes each answer as the very line `check --format json` prints (the same
/// escapes of DEL, C1 controls and `##[`), and its summary line is escaped the same way.
#[test]
fn mark_json_lines_are_the_lines_check_prints() {
    let (dir, _) = evil_folder();
    let class = dir.path().join("class");
    fs::create_dir(&class).expect("mkdir");
    write(&class, "amy.txt", EVIL_ANSWER);
    let run = rubric_in(
        dir.path(),
        &["mark", "-q", "--rubric", "evil.toml", "class", "--json", "marks.jsonl"],
        QUICK,
    );
    run.code(0);
    let jsonl = fs::read_to_string(dir.path().join("marks.jsonl")).expect("marks.jsonl");
    let lines: Vec<&str> = jsonl.lines().collect();
    assert_eq!(lines.len(), 2, "{jsonl}");
    let check = rubric_in(
        dir.path(),
        &["check", "--format", "json", "-r", "evil.toml", "class/amy.txt"],
        QUICK,
    );
    check.code(0);
    // The same line, with the answer's review reasons added at the end.
    let check = check.stdout.trim_end();
    let review = serde_json::from_str::<serde_json::Value>(lines[0]).expect("JSON")["review"].to_string();
    assert_eq!(
        lines[0],
        format!("{},\"review\":{review}}}", &check[..check.len() - 1]),
        "mark --json and check --format json differ"
    );
    assert_no_commands("mark --json", &jsonl);
    assert_no_controls("mark --json", &jsonl);
    for line in lines {
        serde_json::from_str::<serde_json::Value>(line).expect("JSON");
    }
}
