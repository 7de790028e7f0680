//! Options of `check` (`--reveal`, `--explain`, `--color`), a closed output pipe, and `--version`.

use std::io::Read;
use std::process::{Command, Stdio};

use crate::common::*;

/// An answer with covered, partial and missing points.
const PARTIAL: &str = "samples/stalin/partial.txt";

#[test]
fn reveal_shows_model_statements_only_for_points_not_covered() {
    let report = check_json(STALIN, PARTIAL, &["--reveal"]);
    let reveals = reveals(STALIN);
    let mut shown = 0;
    let mut hidden = 0;
    for p in points(&report) {
        let id = p["id"].as_str().unwrap();
        let model = &reveals
            .iter()
            .find(|(r, _)| r == id)
            .expect("every seed point has a reveal")
            .1;
        if p["status"] == "covered" {
            assert!(p.get("reveal").is_none(), "{id} is covered: no reveal");
            hidden += 1;
        } else {
            assert_eq!(p["reveal"].as_str(), Some(model.as_str()), "{id}");
            shown += 1;
        }
    }
    assert!(
        shown > 0 && hidden > 0,
        "partial.txt should have covered and uncovered points"
    );

    // The human report: "Model answer:" lines only for those points.
    let human = run(&["check", "-r", STALIN, "--color", "never", "--reveal", PARTIAL]);
    human.code(0);
    for p in points(&report) {
        let id = p["id"].as_str().unwrap();
        let model = &reveals.iter().find(|(r, _)| r == id).unwrap().1;
        let line = format!("      Model answer: {model}\n");
        assert_eq!(human.stdout.contains(&line), p["status"] != "covered", "{id}: {line}");
    }
    assert_eq!(human.stdout.matches("Model answer: ").count(), shown);
}

#[test]
fn without_reveal_no_model_statement_is_shown() {
    let report = check_json(STALIN, PARTIAL, &[]);
    assert!(points(&report).iter().all(|p| p.get("reveal").is_none()));
    let human = run(&["check", "-r", STALIN, "--color", "never", PARTIAL]);
    human.code(0);
    assert!(!human.stdout.contains("Model answer"));
    for (_, model) in reveals(STALIN) {
        assert!(!human.stdout.contains(&model), "revealed without --reveal: {model}");
    }
}

#[test]
fn reveal_is_refused_when_the_rubric_disallows_it() {
    let dir = tempfile::tempdir().unwrap();
    let rubric_path = dir.path().join("no-reveal.toml");
    let source = std::fs::read_to_string(path(ROMAN)).unwrap();
    std::fs::write(&rubric_path, format!("allow_reveal = false\n{source}")).unwrap();
    let rubric_path = rubric_path.to_str().unwrap();
    let report = check_json(rubric_path, ROMAN_ARMIES, &["--reveal"]);
    assert_eq!(point(&report, "gracchi")["status"], "missing");
    assert!(point(&report, "gracchi").get("reveal").is_none());
    let human = run(&["check", "-r", rubric_path, "--reveal", ROMAN_ARMIES]);
    assert!(!human.code(0).stdout.contains("Model answer"));
}

#[test]
fn explain_adds_explain_arrays_to_every_point_in_json() {
    let report = check_json(STALIN, PARTIAL, &["--explain"]);
    let results = ["matched", "partial", "negated", "echo", "excluded", "none"];
    for p in points(&report) {
        let id = &p["id"];
        let explain = p["explain"]
            .as_array()
            .unwrap_or_else(|| panic!("{id}: no explain array"));
        assert!(!explain.is_empty(), "{id}: every point has cues to explain");
        for e in explain {
            assert!(e["cue"].as_str().is_some_and(|c| !c.is_empty()), "{id}: {e}");
            assert!(["cue", "partial"].contains(&e["role"].as_str().unwrap()), "{id}: {e}");
            assert!(results.contains(&e["result"].as_str().unwrap()), "{id}: {e}");
            assert!(e["detail"].as_str().is_some_and(|d| !d.is_empty()), "{id}: {e}");
        }
        let any_matched = explain.iter().any(|e| e["result"] == "matched" && e["role"] == "cue");
        assert_eq!(
            any_matched,
            p["status"] == "covered",
            "{id}: a covered point has a matched cue"
        );
    }
    // Explaining changes nothing else.
    let plain = check_json(STALIN, PARTIAL, &[]);
    assert_eq!(report["score"], plain["score"]);
    assert_eq!(report["counts"], plain["counts"]);
}

#[test]
fn explain_adds_cue_lines_to_the_human_report() {
    let is_cue_line = |l: &&str| {
        let t = l.trim_start();
        (t.starts_with("cue \"") || t.starts_with("partial cue \""))
            && [": matched - ", ": none - ", ": partial - "]
                .iter()
                .any(|r| t.contains(r))
    };
    let explained = run(&["check", "-r", STALIN, "--color", "never", "--explain", PARTIAL]);
    explained.code(0);
    let cue_lines: Vec<&str> = explained.stdout.lines().filter(is_cue_line).collect();
    assert!(
        cue_lines.len() >= 10,
        "at least one cue line per point:\n{}",
        explained.stdout
    );
    explained
        .stdout_has("      cue \"sovnarkom\": matched - found at line 3, column ")
        .stdout_has("why partial: ")
        .stdout_has("nearest to \"");

    let plain = run(&["check", "-r", STALIN, "--color", "never", PARTIAL]);
    assert_eq!(plain.code(0).stdout.lines().filter(is_cue_line).count(), 0);
    assert!(!plain.stdout.contains("nearest to \""));
}

#[test]
fn color_never_has_no_escape_bytes() {
    let r = run(&["check", "-r", STALIN, "--color", "never", PARTIAL]);
    r.code(0);
    assert!(!r.raw_stdout.contains(&0x1b));
    // Even when the environment forces colour.
    let r = run_cmd(
        rubric()
            .env("CLICOLOR_FORCE", "1")
            .args(["check", "-r", STALIN, "--color", "never", PARTIAL]),
    );
    assert!(!r.code(0).raw_stdout.contains(&0x1b));
}

#[test]
fn no_color_env_turns_off_colour() {
    let args = ["check", "-r", STALIN, PARTIAL];
    // CLICOLOR_FORCE makes the automatic choice colour a pipe...
    let forced = run_cmd(rubric().env("CLICOLOR_FORCE", "1").args(args));
    assert!(
        forced.code(0).raw_stdout.contains(&0x1b),
        "CLICOLOR_FORCE=1 should colour"
    );
    // ...and NO_COLOR wins over it.
    let r = run_cmd(rubric().env("CLICOLOR_FORCE", "1").env("NO_COLOR", "1").args(args));
    assert!(
        !r.code(0).raw_stdout.contains(&0x1b),
        "NO_COLOR=1 should turn colour off"
    );
    assert_eq!(
        r.stdout,
        run(&["check", "-r", STALIN, "--color", "never", PARTIAL]).stdout
    );
    // The automatic choice does not colour a pipe.
    assert!(!run(&args).code(0).raw_stdout.contains(&0x1b));
}

#[test]
fn color_always_has_escape_bytes_that_strip_to_the_plain_report() {
    let coloured = run(&["check", "-r", STALIN, "--color", "always", PARTIAL]);
    coloured.code(0);
    assert!(coloured.raw_stdout.contains(&0x1b));
    let plain = run(&["check", "-r", STALIN, "--color", "never", PARTIAL]);
    assert_eq!(strip_ansi(&coloured.stdout), plain.stdout);
}

/// Removes ANSI SGR sequences (`ESC [ ... m`).
fn strip_ansi(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            assert_eq!(chars.next(), Some('['), "only CSI sequences expected");
            for c in chars.by_ref() {
                if c == 'm' {
                    break;
                }
                assert!(
                    c.is_ascii_digit() || c == ';',
                    "only SGR sequences expected, found {c:?}"
                );
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn closed_output_pipe_ends_quietly_without_a_panic() {
    // Far more output than a pipe buffers, so writing must hit the closed pipe.
    let mut args = vec!["check", "-r", STALIN, "--explain"];
    args.extend(std::iter::repeat_n("samples/stalin/long-essay.txt", 20));
    for format in ["human", "json"] {
        let mut child = Command::new(bin())
            .current_dir(root())
            .args(&args)
            .args(["--format", format])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The reader goes away at once, like `rubric check ... | head -0`.
        drop(child.stdout.take());
        let mut stderr = String::new();
        child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
        let status = child.wait().unwrap();
        assert!(
            !stderr.contains("panicked"),
            "{format}: panic on a closed pipe:\n{stderr}"
        );
        assert_eq!(stderr, "", "{format}: a closed pipe ends quietly");
        assert_eq!(status.code(), Some(0), "{format}: exit status {status}");
    }
}

/// (The help texts and their exit codes are cases in `tests/cli/cases.toml`.)
#[test]
fn version_is_the_package_version() {
    let r = run(&["--version"]);
    r.code(0).stdout_has(env!("CARGO_PKG_VERSION"));
    assert_eq!(r.stderr, "");
}

/// The commands `rubric --help` lists (without `help`), so that a new command is held to the
/// tests below without being added to them.
fn commands() -> Vec<String> {
    let r = run(&["--help"]);
    r.code(0);
    let list = r.stdout.split("Commands:\n").nth(1).expect("a list of commands");
    let names: Vec<String> = list
        .lines()
        .take_while(|l| l.starts_with("  "))
        // A description that wraps goes on under its own, further in.
        .filter(|l| !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_owned)
        .collect();
    assert!(names.len() >= 12, "{names:?}");
    names
}

/// `--help` of the program and of every command shows examples of that command (one per line in
/// the man pages), and no help text sends a user to a file an installed binary does not have.
#[test]
fn help_and_man_pages_show_examples() {
    let r = run(&["--help"]);
    r.code(0);
    assert!(r.stdout.contains("Examples:\n  rubric "), "{}", r.stdout);
    for command in commands() {
        let r = run(&[&command, "--help"]);
        r.code(0);
        let examples = format!("Examples:\n  rubric {command}");
        assert!(
            r.stdout.contains(&examples),
            "{command} --help has no examples: {}",
            r.stdout
        );
        assert!(
            !r.stdout.contains("docs/"),
            "{command} --help names a file of the repository: {}",
            r.stdout
        );
        let short = run(&[&command, "-h"]);
        assert!(short.stdout.contains(&examples), "{command} -h: {}", short.stdout);
    }
    let mut pages = vec![vec!["man".to_string()]];
    pages.extend(commands().into_iter().map(|c| vec!["man".to_string(), c]));
    for page in pages {
        let args: Vec<&str> = page.iter().map(String::as_str).collect();
        let r = run(&args);
        r.code(0);
        let at = r
            .stdout
            .find("Examples:\n.nf\n  rubric ")
            .unwrap_or_else(|| panic!("{page:?}: {}", r.stdout));
        assert!(
            r.stdout[at..].contains("\n.fi\n"),
            "{page:?}: the examples end their no-fill block"
        );
        assert!(!r.stdout.contains("docs/"), "{page:?} names a file of the repository");
    }
}

/// `serve --help` says what an installed binary's user needs without docs/serve.md: the address
/// line, who can connect and how to share the page, and the API.
#[test]
fn serve_help_says_the_essentials() {
    let r = run(&["serve", "--help"]);
    r.code(0);
    for essential in [
        "Listening on URL",
        "Ctrl-C",
        "127.0.0.1",
        "--bind 0.0.0.0",
        "GET /api/rubrics",
        "/api/check",
    ] {
        assert!(
            r.stdout.contains(essential),
            "serve --help lacks {essential:?}: {}",
            r.stdout
        );
    }
}
