//! `rubric completions SHELL` and `rubric man`: the output is accepted by the shells and by
//! groff/man. Shells that are not installed are skipped (zsh, fish), except under CI (`CI` set),
//! where they and groff must be there (`.ci/run` installs them).

use std::process::Command;

use super::common::*;

fn have(tool: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

fn completion(shell: &str) -> String {
    let r = run(&["completions", shell]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stdout.contains("rubric"), "{shell}: {}", r.stdout);
    r.stdout
}

/// Runs `shell ARGS FILE` on the script and asserts that it succeeds quietly.
fn accepted(shell: &str, args: &[&str], script: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(format!("rubric.{shell}"));
    std::fs::write(&path, script).unwrap();
    let out = Command::new(shell).args(args).arg(&path).output().unwrap();
    assert!(
        out.status.success() && out.stderr.is_empty(),
        "{shell} rejects the completion script: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn bash_completion_parses_and_registers() {
    let script = completion("bash");
    accepted("bash", &["-n"], &script);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rubric.bash");
    std::fs::write(&path, &script).unwrap();
    let out = Command::new("bash")
        .args(["-c", &format!("source '{}' && complete -p rubric", path.display())])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("rubric"));
    // Subcommands and options are offered.
    for word in ["check", "lsp", "completions", "--print-config", "--watch", "sarif"] {
        assert!(script.contains(word), "bash completion lacks {word}");
    }
}

#[test]
fn other_shells() {
    for shell in ["zsh", "fish"] {
        assert!(
            have(shell) || std::env::var_os("CI").is_none(),
            "{shell} is missing (apt-get install {shell})"
        );
    }
    let zsh = completion("zsh");
    assert!(zsh.starts_with("#compdef rubric"));
    if have("zsh") {
        accepted("zsh", &["-n"], &zsh);
    }
    let fish = completion("fish");
    if have("fish") {
        accepted("fish", &["--no-execute"], &fish);
    }
    completion("powershell");
    completion("elvish");
    let r = run(&["completions", "tcsh"]);
    assert_eq!(r.code, 2);
}

#[test]
fn man_pages_render() {
    let r = run(&["man"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stdout.contains(".TH rubric 1"),
        "{}",
        &r.stdout[..200.min(r.stdout.len())]
    );
    let check = run(&["man", "check"]);
    assert_eq!(check.code, 0, "{check:?}");
    assert!(check.stdout.contains(".TH rubric-check 1"));
    assert!(check.stdout.contains("print\\-config"), "the options are on the page");
    let bad = run(&["man", "nope"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("no command `nope`"));

    if !have("groff") {
        assert!(
            std::env::var_os("CI").is_none(),
            "groff is missing (apt-get install groff-base)"
        );
        eprintln!("groff not installed: man page not rendered");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for (name, page) in [("rubric.1", &r.stdout), ("rubric-check.1", &check.stdout)] {
        let path = dir.path().join(name);
        std::fs::write(&path, page).unwrap();
        // -ww: all warnings; -z: no output, only the diagnostics.
        let out = Command::new("groff")
            .args(["-man", "-Tutf8", "-ww", "-z"])
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            out.status.success() && out.stderr.is_empty(),
            "groff warns about {name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        if have("man") {
            let out = Command::new("man")
                .args(["-l", "-P", "cat"])
                .arg(&path)
                .env("MANWIDTH", "80")
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "man -l {name}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            let text = String::from_utf8_lossy(&out.stdout);
            assert!(text.contains("NAME") && text.contains("rubric"), "{text}");
        }
    }
}
