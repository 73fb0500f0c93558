//! Bad or hostile input through the real binary (issue 10): timeouts past the maximum, fence
//! info of HTML entities, a fence on a list item's own line, snippet output full of escape
//! sequences, `--overwrite` on a CRLF file, and `build --out` pointed at a folder that is not a
//! previous output. Nothing panics; every error names file:line:column and what was expected.

use std::path::Path;

use assert_cmd::Command;

use crate::support::{Site, build};

fn helpsite_test(root: &Path) -> Command {
    let mut cmd = Command::cargo_bin("helpsite").unwrap();
    cmd.arg("test").arg("--root").arg(root);
    cmd
}

/// (exit code, stdout, stderr) of `cmd`.
fn run(cmd: &mut Command) -> (Option<i32>, String, String) {
    let out = cmd.output().unwrap();
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (out.status.code(), text(&out.stdout), text(&out.stderr))
}

#[test]
fn timeouts_past_the_maximum_are_located_errors_for_build_and_test() {
    for (value, column) in [("18446744073709551615s", 16), ("307445734561825861m", 16)] {
        let page = format!("# A\n\n```sh {{timeout={value}}}\ntrue\n```\n");
        let site = Site::new().file("content/a.md", page).build();
        let want = format!(
            "content/a.md:3:{column}: timeout `{value}` is longer than the maximum, 60m (3600s)"
        );
        let (code, _, stderr) = run(&mut helpsite_test(site.path()));
        assert_eq!(code, Some(2), "{stderr}");
        assert!(stderr.contains(&want), "want {want:?} in:\n{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        let out = site.path().join("public");
        let stderr = build(site.path(), &out).code(2).get_output().stderr.clone();
        let stderr = String::from_utf8_lossy(&stderr);
        assert!(stderr.contains(&want), "want {want:?} in:\n{stderr}");
    }
    let config = "[snippets]\ntimeout = \"307445734561825861m\"\n";
    let site = Site::new()
        .file("helpsite.toml", config)
        .file("content/a.md", "# A\n")
        .build();
    let (code, _, stderr) = run(&mut helpsite_test(site.path()));
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("helpsite.toml:2:") && stderr.contains("maximum timeout, 60m (3600s)"),
        "{stderr}"
    );
}

#[test]
fn fence_info_of_html_entities_is_an_error_not_a_panic() {
    let page =
        "# A\n\n```&#9;&#9;&#9;&#9;&#9;&#9;9\nx\n```\n\n~~~&amp;&lt;&#0;&#x10FFFF;\nx\n~~~\n";
    let site = Site::new().file("content/a.md", page).build();
    let out = site.path().join("public");
    let stderr = build(site.path(), &out).code(2).get_output().stderr.clone();
    let stderr = String::from_utf8_lossy(&stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.contains("content/a.md:3:"), "{stderr}");
    assert!(stderr.contains("content/a.md:7:"), "{stderr}");
}

#[test]
fn a_fence_on_a_list_items_own_line_is_a_test() {
    let page = "# A\n\n1. Check:\n\n- ```sh {name=in-list}\n  exit 3\n  ```\n";
    let site = Site::new().file("content/a.md", page).build();
    let (code, stdout, stderr) = run(&mut helpsite_test(site.path()));
    assert_eq!(
        code,
        Some(1),
        "the failing snippet ran:\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains("test a::a::in_list ... FAILED"), "{stdout}");
    assert!(stdout.contains("exit status 3, expected 0"), "{stdout}");
}

#[test]
fn escape_sequences_in_snippet_output_are_shown_not_sent_to_the_terminal() {
    let page = "# A\n\n```console\n$ printf 'a\\033]0;owned\\007\\033[2J\\rb\\n'\nnothing\n```\n";
    let site = Site::new().file("content/a.md", page).build();
    let report = site.path().join("report.json");
    let (code, stdout, stderr) = run(helpsite_test(site.path()).arg("--report").arg(&report));
    assert_eq!(code, Some(1), "{stdout}\n{stderr}");
    assert!(stdout.contains("a␛]0;owned␇␛[2J␍\n"), "{stdout}");
    let raw = |text: &str| {
        text.chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t')
    };
    assert!(
        !raw(&stdout),
        "a control character reached stdout:\n{stdout:?}"
    );
    let report = std::fs::read_to_string(&report).unwrap();
    assert!(!report.contains("\\u001b"), "{report}");
}

#[test]
fn overwrite_keeps_crlf_line_endings() {
    let page =
        "# A\r\n\r\nSome text.\r\n\r\n```console\r\n$ echo new\r\nold\r\n```\r\n\r\nEnd.\r\n";
    let site = Site::new().file("content/a.md", page).build();
    let path = site.path().join("content/a.md");
    let (code, stdout, stderr) = run(helpsite_test(site.path()).arg("--overwrite"));
    assert_eq!(code, Some(1), "{stdout}\n{stderr}");
    let after = std::fs::read_to_string(&path).unwrap();
    assert_eq!(after, page.replace("old", "new"));
    let (code, stdout, _) = run(&mut helpsite_test(site.path()));
    assert_eq!(code, Some(0), "{stdout}");
}

#[test]
fn build_never_replaces_a_folder_that_is_not_a_previous_output() {
    let site = Site::new().file("content/a.md", "# A\n").build();
    let docs = site.path().join("Documents");
    std::fs::create_dir(&docs).unwrap();
    std::fs::write(docs.join("thesis.odt"), "years of work").unwrap();
    let stderr = build(site.path(), &docs)
        .code(2)
        .get_output()
        .stderr
        .clone();
    let stderr = String::from_utf8_lossy(&stderr);
    assert!(
        stderr.contains("is not a previous helpsite output (no .helpsite-output file)"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(docs.join("thesis.odt")).unwrap(),
        "years of work"
    );
    // A previous output (and an empty folder) is replaced as before.
    let out = site.path().join("public");
    build(site.path(), &out).success();
    assert!(out.join(".helpsite-output").is_file());
    build(site.path(), &out).success();
    assert!(out.join("a.html").is_file());
}
