//! Other generators' sources build unedited (issue 14): an mdBook-shaped book (SUMMARY.md order
//! and parts, README.md as a folder's page, `{{#include}}` with ranges and anchors, unsupported
//! directives warned about), and Zola- and Hugo-shaped sites whose shortcodes are warnings with
//! file:line and a count, never silent text. Fixtures: tests/fixtures/adopt-{mdbook,zola,hugo}.

use std::path::{Path, PathBuf};

use crate::support::{build, fixture, site};

/// Builds fixture `name` into a temp dir: (the temp dir, public/, stderr).
fn built(name: &str) -> (tempfile::TempDir, PathBuf, String) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let assert = build(&fixture(name), &out).success();
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    (tmp, out, stderr)
}

/// The reading order, by following each page's "next" link from index.html.
fn reading_order(out: &Path) -> Vec<String> {
    let mut order = vec!["index.html".to_string()];
    while order.len() < 50 {
        let current = order.last().unwrap().clone();
        let html = std::fs::read_to_string(out.join(&current)).unwrap();
        let Some(at) = html.find("class=\"next\" href=\"") else {
            break;
        };
        let rest = &html[at + "class=\"next\" href=\"".len()..];
        let href = &rest[..rest.find('"').unwrap()];
        let mut parts: Vec<&str> = current.split('/').collect();
        parts.pop();
        for part in href.split('/') {
            match part {
                ".." => {
                    parts.pop();
                }
                p => parts.push(p),
            }
        }
        order.push(parts.join("/"));
    }
    order
}

fn text_of(out: &Path, page: &str) -> String {
    std::fs::read_to_string(out.join(page)).unwrap()
}

#[test]
fn an_mdbook_book_follows_its_summary_with_parts_and_readme_pages() {
    let (_tmp, out, stderr) = built("adopt-mdbook");
    assert_eq!(
        reading_order(&out),
        [
            "index.html",
            "guide/installing.html",
            "guide/reading.html",
            "reference/index.html",
            "reference/program.html",
            "reference/config.html",
            "misc/contributors.html",
            "how-this-guide-is-tested.html",
        ]
    );
    let nav = text_of(&out, "static/nav-data.js");
    let user = nav.find("[\"User Guide\",\"\",false]").expect(&nav);
    let reference = nav.find("[\"Reference\",\"\",false]").expect(&nav);
    let section = nav.find("\"reference/index.html\",true]").expect(&nav);
    assert!(user < reference && reference < section, "{nav}");
    assert!(
        !out.join("SUMMARY.html").exists(),
        "SUMMARY.md is not a page"
    );
    // SUMMARY.md's title names a page without its own; `{{#title}}` wins over both.
    assert!(text_of(&out, "misc/contributors.html").contains("<title>Contributors"));
    assert!(text_of(&out, "reference/index.html").contains("<title>Widget reference"));
    assert!(stderr.contains("content/SUMMARY.md:9: warning: draft chapter 'Writing widgets'"));
    assert!(stderr.contains(
        "content/reference/program.md:15: warning: mdBook directive `{{#playground ../../listings/hello.rs}}`"
    ), "{stderr}");
    assert!(
        stderr.contains("2 warnings: 1 unsupported mdBook directive, 1 SUMMARY.md note"),
        "{stderr}"
    );
}

#[test]
fn mdbook_includes_take_ranges_and_anchors_and_become_snippets() {
    let (_tmp, out, _) = built("adopt-mdbook");
    let program = text_of(&out, "reference/program.html");
    assert!(
        program.contains("greet</span>"),
        "the anchor's lines: {program}"
    );
    assert!(!program.contains("ANCHOR"), "marker lines are left out");
    assert!(
        !program.contains("The example program"),
        "line 1 is outside both parts"
    );
    assert!(
        program.contains("Write <code>{{#include file.rs}}</code>"),
        "escaped: {program}"
    );
    assert_eq!(
        program.matches("snippet-label\">rust<").count(),
        2,
        "{program}"
    );
    let config = text_of(&out, "reference/config.html");
    assert!(
        !config.contains("colour") && config.contains("size"),
        "::3: {config}"
    );
    // The included console transcript is a snippet like any other: it runs and passes.
    let installing = text_of(&out, "guide/installing.html");
    assert!(
        installing.contains("data-snippet=\"guide::installing::installing_widgets::console_1\"")
    );
    assert_cmd::Command::cargo_bin("helpsite")
        .unwrap()
        .args(["test", "installing", "--no-report", "--root"])
        .arg(fixture("adopt-mdbook"))
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "test guide::installing::installing_widgets::console_1 ... ok",
        ));
}

#[test]
fn includes_that_are_missing_or_leave_the_site_are_errors_at_their_line() {
    let tmp = site(&[
        (
            "content/a.md",
            b"# A\n\n{{#include nope.rs}}\n\n```rust\n{{#include ../../../etc/passwd}}\n```\n",
        ),
        (
            "content/SUMMARY.md",
            b"# Summary\n\n- [A](a.md)\n- [Gone](gone.md)\n",
        ),
    ]);
    let out = tmp.path().join("public");
    let assert = build(tmp.path(), &out).code(2);
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.contains("content/a.md:3: cannot include 'nope.rs': no such file"),
        "{stderr}"
    );
    assert!(
        stderr.contains("content/a.md:6: cannot include '../../../etc/passwd': ")
            && stderr.contains("outside the site root"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "content/SUMMARY.md:4: chapter 'Gone' links to content/gone.md, which does not exist"
        ),
        "{stderr}"
    );
    assert!(!out.exists(), "nothing written");
}

#[test]
fn errors_after_an_include_keep_their_own_line() {
    let tmp = site(&[
        ("content/x.txt", b"one\ntwo\nthree\nfour\n"),
        (
            "content/a.md",
            b"# A\n\n```text\n{{#include x.txt}}\n```\n\n[gone](gone.md)\n",
        ),
    ]);
    let assert = build(tmp.path(), &tmp.path().join("public")).code(1);
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.contains("content/a.md:7: broken link 'gone.md'"),
        "{stderr}"
    );
}

#[test]
fn zola_shortcodes_are_counted_warnings_with_their_line() {
    let (_tmp, out, stderr) = built("adopt-zola");
    let lines: Vec<&str> = stderr.lines().filter(|l| l.contains("warning:")).collect();
    assert_eq!(lines.len(), 2, "{stderr}");
    assert!(lines[0].starts_with(
        "content/docs/getting-started/overview.md:6: warning: Zola shortcode `{{ youtube … }}`"
    ));
    assert!(lines[1].starts_with(
        "content/docs/getting-started/overview.md:10: warning: Zola shortcode `{% note … %}`"
    ));
    assert!(
        stderr.contains("2 warnings: 2 shortcodes left as text"),
        "{stderr}"
    );
    let overview = text_of(&out, "docs/getting-started/overview.html");
    assert!(
        overview.contains("installation.html#from-a-release"),
        "@/ links resolved"
    );
}

#[test]
fn hugo_shortcodes_are_counted_warnings_and_index_md_is_the_folders_page() {
    let (_tmp, out, stderr) = built("adopt-hugo");
    let at: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("warning:"))
        .map(|l| l.split(": warning").next().unwrap())
        .collect();
    assert_eq!(
        at,
        [
            "content/_index.md:6",
            "content/docs/install/index.md:8",
            "content/docs/install/index.md:23"
        ],
        "{stderr}"
    );
    assert!(
        stderr.contains("3 warnings: 3 shortcodes left as text"),
        "{stderr}"
    );
    assert!(
        !text_of(&out, "index.html").contains("<hr"),
        "YAML front matter is not a rule"
    );
    assert_eq!(
        reading_order(&out)[..4],
        [
            "index.html",
            "blog/first.html",
            "docs/index.html",
            "docs/install/index.html"
        ]
    );
}

#[test]
fn a_hugo_file_block_is_counted_as_written_not_passed() {
    assert_cmd::Command::cargo_bin("helpsite")
        .unwrap()
        .args(["test", "--no-report", "--root"])
        .arg(fixture("adopt-hugo"))
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "test docs::install::top::sh_1 ... written\n",
        ))
        .stdout(predicates::str::contains(
            "1 passed; 0 failed; 0 ignored; 1 written",
        ));
}
