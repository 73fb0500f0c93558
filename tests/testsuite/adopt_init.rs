//! `helpsite init [DIR]`: a new site whose `helpsite build --verify` (build and test) passes at
//! once, with its snippet marked verified; a folder that holds anything is refused.

use assert_cmd::Command;
use predicates::prelude::*;

fn helpsite() -> Command {
    Command::cargo_bin("helpsite").unwrap()
}

#[test]
fn a_new_site_builds_and_tests_green_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("docs");
    helpsite()
        .arg("init")
        .arg(&dir)
        .assert()
        .success()
        .stdout(predicate::str::contains("created a helpsite site in"));
    let ignore = std::fs::read_to_string(dir.join(".gitignore")).unwrap();
    assert_eq!(ignore, "/public/\n/.helpsite-report.json\n");
    helpsite()
        .args(["test", "--root"])
        .arg(&dir)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "1 passed; 0 failed; 0 ignored; 0 written",
        ));
    helpsite()
        .args(["build", "--verify", "--root"])
        .arg(&dir)
        .assert()
        .success();
    let index = std::fs::read_to_string(dir.join("public/index.html")).unwrap();
    assert!(index.contains("snippet-mark-verified"), "{index}");
}

#[test]
fn a_folder_with_files_is_refused_and_left_alone() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("notes.md"), "mine").unwrap();
    helpsite()
        .arg("init")
        .arg(tmp.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "is not empty (1 entry: notes.md): helpsite init makes a new site and never overwrites files",
        ));
    assert!(!tmp.path().join("helpsite.toml").exists());
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("notes.md")).unwrap(),
        "mine"
    );
}
