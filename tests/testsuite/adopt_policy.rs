//! The site-wide `[snippets]` policy: `display_only` languages shown highlighted as "example,
//! not run", `bare_fences = "text"`, `file=` blocks labelled "written to PATH", and a
//! `[snippets.run]` interpreter that is not installed refused before any snippet runs.

use crate::support::fixture;

use assert_cmd::Command;
use predicates::prelude::*;

#[test]
fn display_only_and_bare_fences_build_and_say_so() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    Command::cargo_bin("helpsite")
        .unwrap()
        .args(["build", "--root"])
        .arg(fixture("adopt-policy"))
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert_eq!(
        html.matches("example, not run").count(),
        2,
        "rust and toml: {html}"
    );
    assert!(
        html.contains("hl-source hl-rust"),
        "rust highlighted: {html}"
    );
    assert!(html.contains("hl-source hl-toml"), "toml highlighted");
    assert!(html.contains("a bare fence is plain text here"), "{html}");
    assert!(html.contains("written to ~/.gitconfig-example"), "{html}");
}

#[test]
fn a_missing_runner_is_refused_before_tests_with_its_line() {
    Command::cargo_bin("helpsite")
        .unwrap()
        .args(["test", "--root"])
        .arg(fixture("adopt-policy"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "helpsite.toml:9:1: [snippets.run] `js` runs with `no-such-interpreter-for-tests`, \
             which is not on PATH",
        ));
}
