//! The command line as a person meets it (issue 13): colour through anstream only where it is
//! wanted (`CLICOLOR_FORCE`, never under `NO_COLOR` or into a pipe), no cursor escapes under
//! `TERM=dumb`, the `--overwrite` hint when output differs, and clear errors for a `--root`
//! that is missing or is not a site (`serve` exits 2 instead of serving an error page).

use std::path::Path;

use assert_cmd::Command;

fn run(root: &Path, args: &[&str], env: &[(&str, &str)]) -> (Option<i32>, String, String) {
    let mut cmd = Command::cargo_bin("helpsite").unwrap();
    cmd.args(args).arg("--root").arg(root).arg("--no-report");
    cmd.env_remove("NO_COLOR").env_remove("CLICOLOR_FORCE");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn colour_only_when_wanted() {
    let root = crate::support::fixture("snippets-failing");
    let (code, piped, _) = run(&root, &["test", "wrong_output"], &[]);
    assert_eq!(code, Some(1));
    assert!(!piped.contains('\x1b'), "escapes into a pipe:\n{piped}");
    let (_, forced, _) = run(&root, &["test", "wrong_output"], &[("CLICOLOR_FORCE", "1")]);
    assert!(
        forced.contains("\x1b[1m\x1b[31mFAILED\x1b[0m"),
        "no colour when forced:\n{forced:?}"
    );
    assert!(
        forced.contains("\x1b[32m"),
        "diff lines not coloured:\n{forced:?}"
    );
    let (_, no_color, _) = run(
        &root,
        &["test", "wrong_output"],
        &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")],
    );
    assert!(
        !no_color.contains('\x1b'),
        "escapes under NO_COLOR:\n{no_color:?}"
    );
}

#[test]
fn a_differing_transcript_says_how_to_accept_its_output() {
    let root = crate::support::fixture("snippets-failing");
    let (_, stdout, _) = run(&root, &["test", "wrong_output"], &[]);
    assert!(
        stdout.contains(&format!(
            "helpsite test --root {} wrong_output --overwrite",
            root.display()
        )),
        "{stdout}"
    );
    // A script failing on its status has no new output to accept.
    let (_, stdout, _) = run(&root, &["test", "script_fails"], &[]);
    assert!(!stdout.contains("--overwrite"), "{stdout}");
}

/// Runs `helpsite test` on a pseudo-terminal (util-linux `script`) with `TERM` set.
fn on_a_terminal(root: &Path, term: &str) -> Option<String> {
    let bin = env!("CARGO_BIN_EXE_helpsite");
    let command = format!(
        "{bin} test --no-report --root '{}' wrong_output",
        root.display()
    );
    let out = std::process::Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .env("TERM", term)
        .env_remove("NO_COLOR")
        // anstream colours whenever `CI` is set (CI logs render colour), terminal or not; this
        // test is about what a terminal of each kind gets.
        .env_remove("CI")
        .output()
        .ok()?;
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn no_cursor_escapes_under_term_dumb() {
    let root = crate::support::fixture("snippets-failing");
    let Some(xterm) = on_a_terminal(&root, "xterm-256color") else {
        eprintln!("skipped: util-linux `script` is not installed");
        return;
    };
    assert!(
        xterm.contains("\x1b[2K"),
        "no progress line on a terminal:\n{xterm:?}"
    );
    assert!(
        xterm.contains("\x1b[31m"),
        "no colour on a terminal:\n{xterm:?}"
    );
    let dumb = on_a_terminal(&root, "dumb").unwrap();
    assert!(dumb.contains("FAILED"), "{dumb:?}");
    assert!(!dumb.contains('\x1b'), "escapes under TERM=dumb:\n{dumb:?}");
}

#[test]
fn a_root_that_is_not_a_site_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-site");
    for command in ["build", "test", "serve"] {
        let mut cmd = Command::cargo_bin("helpsite").unwrap();
        cmd.arg(command).arg("--root").arg(&missing);
        cmd.assert()
            .code(2)
            .stderr(predicates::str::contains(format!(
                "--root {}: no such folder",
                missing.display()
            )));
    }
    std::fs::write(dir.path().join("helpsite.toml"), "title = \"x\"\n").unwrap();
    for command in ["build", "serve"] {
        let mut cmd = Command::cargo_bin("helpsite").unwrap();
        cmd.arg(command)
            .arg("--root")
            .arg(dir.path())
            .args(["--port", "0"]);
        if command == "build" {
            cmd = Command::cargo_bin("helpsite").unwrap();
            cmd.arg(command).arg("--root").arg(dir.path());
        }
        cmd.timeout(std::time::Duration::from_secs(20))
            .assert()
            .code(2)
            .stderr(predicates::str::contains(
                "has a helpsite.toml but no content/ folder",
            ));
    }
}
