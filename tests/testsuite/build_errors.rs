//! `helpsite build` on bad input: broken links (all listed with file:line, exit 1), malformed
//! front matter and config (file:line:column, exit 2), non-UTF-8 files, duplicate output paths,
//! fence errors. In every case the previous output is left exactly as it was.

use crate::support::build;
use std::path::{Path, PathBuf};

use predicates::prelude::*;

use crate::support::{fixture, site};

/// An output folder holding a previous build (one sentinel file, and the marker every output
/// has).
fn previous_output(tmp: &Path) -> PathBuf {
    let out = tmp.join("public");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("previous.html"), "previous build").unwrap();
    std::fs::write(out.join(".helpsite-output"), "").unwrap();
    out
}

fn assert_untouched(out: &Path) {
    let mut names: Vec<_> = std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [".helpsite-output", "previous.html"],
        "the previous output was changed"
    );
    assert_eq!(
        std::fs::read_to_string(out.join("previous.html")).unwrap(),
        "previous build"
    );
    let parent = out.parent().unwrap();
    let leftovers: Vec<_> = std::fs::read_dir(parent)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".helpsite"))
        .collect();
    assert!(leftovers.is_empty(), "staging left behind: {leftovers:?}");
}

#[test]
fn broken_links_are_all_listed_and_the_build_fails() {
    let tmp = tempfile::tempdir().unwrap();
    let out = previous_output(tmp.path());
    let output = build(&fixture("site-broken-links"), &out)
        .code(1)
        .get_output()
        .stderr
        .clone();
    let stderr = String::from_utf8(output).unwrap();
    let expected = [
        "content/_index.md:6: broken link 'missing.md': no page content/missing.md",
        "content/_index.md:7: broken link 'guide.md#nope': no heading 'nope' in content/guide.md",
        "content/_index.md:8: broken link '#here': no heading 'here' in content/_index.md",
        "content/_index.md:10: broken link 'img/none.png': no file content/img/none.png",
        "content/_index.md:10: broken link 'draft.md': content/draft.md is a draft",
        "content/_index.md:11: broken link '../../outside.md': it points outside content/",
        "content/guide.md:4: broken link '_index.md#nothing': no heading 'nothing' in content/_index.md",
    ];
    let lines: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("broken link '"))
        .collect();
    assert_eq!(lines, expected, "{stderr}");
    assert!(stderr.contains("7 broken link(s)"), "{stderr}");
    assert!(
        !stderr.contains("'guide.md#real'") && !stderr.contains("'#real'"),
        "good links pass"
    );
    assert_untouched(&out);
}

#[test]
fn malformed_front_matter_names_file_line_column() {
    let root = site(&[
        ("content/ok.md", b"# Fine\n"),
        (
            "content/guide/x.md",
            b"+++\ntitle = \"X\"\nweight = \"heavy\"\n+++\nbody\n",
        ),
    ]);
    let out = previous_output(root.path());
    build(root.path(), &out)
        .code(2)
        .stderr(predicate::str::contains(
            "content/guide/x.md:3:10: key `weight`: invalid type",
        ));
    assert_untouched(&out);
}

#[test]
fn unknown_front_matter_key_and_unclosed_block() {
    let root = site(&[(
        "content/a.md",
        b"+++\ntitle = \"A\"\ntitel = \"typo\"\n+++\n",
    )]);
    build(root.path(), &root.path().join("public"))
        .code(2)
        .stderr(
            predicate::str::contains("content/a.md:3:1: ").and(predicate::str::contains("titel")),
        );
    let root = site(&[("content/a.md", b"+++\ntitle = \"A\"\n")]);
    build(root.path(), &root.path().join("public"))
        .code(2)
        .stderr(predicate::str::contains(
            "content/a.md:1:1: front matter opened with `+++` is never closed",
        ));
}

#[test]
fn bad_config_names_file_line_column_and_key() {
    let root = site(&[
        (
            "helpsite.toml",
            b"title = \"T\"\n[theme]\ndefault = \"purple\"\n",
        ),
        ("content/a.md", b"# A\n"),
    ]);
    let out = previous_output(root.path());
    build(root.path(), &out).code(2).stderr(
        predicate::str::contains("helpsite.toml:3:11: key `default`: ").and(
            predicate::str::contains("`auto`, `light`, `dark`")
                .or(predicate::str::contains("auto")),
        ),
    );
    assert_untouched(&out);
    let root = site(&[
        ("helpsite.toml", b"title = \"T\"\nbase = 1\n"),
        ("content/a.md", b"# A\n"),
    ]);
    build(root.path(), &root.path().join("public"))
        .code(2)
        .stderr(predicate::str::contains(
            "helpsite.toml:2:1: unknown field `base`",
        ));
}

#[test]
fn non_utf8_file_is_named() {
    let root = site(&[
        ("content/a.md", b"# A\n"),
        ("content/bad.md", b"ok\n\xff\xfe\n"),
    ]);
    let out = previous_output(root.path());
    build(root.path(), &out)
        .code(2)
        .stderr(predicate::str::contains(
            "content/bad.md:2: not valid UTF-8",
        ));
    assert_untouched(&out);
}

#[test]
fn duplicate_output_paths_name_both_files() {
    let root = site(&[
        ("content/g/_index.md", b"# G\n"),
        ("content/g/index.md", b"# Also G\n"),
    ]);
    build(root.path(), &root.path().join("public"))
        .code(2)
        .stderr(
            predicate::str::contains(
                "content/g/index.md and content/g/_index.md would both be written to g/index.html",
            )
            .or(predicate::str::contains(
                "content/g/_index.md and content/g/index.md would both be written to g/index.html",
            )),
        );
}

#[test]
fn code_block_without_language_is_an_error_with_its_line() {
    let root = site(&[(
        "content/a.md",
        b"+++\ntitle = \"A\"\n+++\n\ntext\n\n```\ncode\n```\n",
    )]);
    let out = previous_output(root.path());
    build(root.path(), &out)
        .code(2)
        .stderr(predicate::str::contains(
            "content/a.md:7:4: code block without a language",
        ));
    assert_untouched(&out);
}

#[test]
fn every_malformed_fence_is_listed_in_page_order() {
    let root = site(&[
        ("content/a.md", b"```\nx\n```\n"),
        ("content/b.md", b"ok\n\n```\ny\n```\n"),
    ]);
    let out = root.path().join("public");
    let stderr = build(root.path(), &out).code(2).get_output().stderr.clone();
    let stderr = String::from_utf8(stderr).unwrap();
    let a = stderr.find("content/a.md:1:").expect(&stderr);
    let b = stderr.find("content/b.md:3:").expect(&stderr);
    assert!(a < b, "{stderr}");
    assert!(stderr.contains("2 malformed code blocks"), "{stderr}");
}

#[test]
fn malformed_transcript_is_an_error_with_its_line() {
    let root = site(&[(
        "content/a.md",
        b"+++\ntitle = \"A\"\n+++\n\n```console\n$ git push\n? abc\n```\n",
    )]);
    let out = previous_output(root.path());
    build(root.path(), &out)
        .code(2)
        .stderr(predicate::str::contains(
            "content/a.md:7:1: expected an exit status 0–255 after `? `, got `abc`",
        ));
    assert_untouched(&out);
}

#[test]
fn bad_snippet_settings_stop_the_build_at_their_line() {
    let root = site(&[(
        "content/a.md",
        b"+++\ntitle = \"A\"\n[snippets]\nprofile = \"gitea\"\n+++\n\n```sh\ntrue\n```\n",
    )]);
    let out = previous_output(root.path());
    build(root.path(), &out)
        .code(2)
        .stderr(predicate::str::contains(
            "content/a.md:4:11: key `profile`: unknown variant `gitea`",
        ));
    assert_untouched(&out);
    let root = site(&[(
        "content/a.md",
        b"+++\n[snippets]\nas_of = \"soon\"\n+++\n\n# A\n",
    )]);
    build(root.path(), &root.path().join("public"))
        .code(2)
        .stderr(predicate::str::contains(
            "content/a.md:3:9: key `as_of`: expected a date like 2026-11-28",
        ));
}

#[test]
fn odd_but_valid_input_builds() {
    let root = site(&[
        ("content/empty.md", b""),
        (
            "content/self.md",
            b"## Me\n\n[me](self.md#me) and [me again](#me)\n",
        ),
        (
            "content/a/b/c/d/e/deep.md",
            b"# Deep\n\n[up](../../../../../empty.md)\n",
        ),
        (
            "content/crlf.md",
            b"+++\r\ntitle = \"CRLF\"\r\n+++\r\nText\r\n",
        ),
    ]);
    let out = root.path().join("public");
    build(root.path(), &out).success();
    let deep = std::fs::read_to_string(out.join("a/b/c/d/e/deep.html")).unwrap();
    assert!(deep.contains("href=\"../../../../../empty.html\""));
    assert!(
        std::fs::read_to_string(out.join("crlf.html"))
            .unwrap()
            .contains("<title>CRLF · Help</title>")
    );
}

#[test]
fn template_errors_fail_the_build_and_keep_the_old_output() {
    let root = site(&[
        ("content/_index.md", b"# A\n"),
        ("templates/page.html", b"<p>{{ page.no_such_field.x }}</p>"),
    ]);
    let out = previous_output(root.path());
    build(root.path(), &out).code(2).stderr(
        predicate::str::contains("content/_index.md").and(predicate::str::contains("page.html")),
    );
    assert_untouched(&out);
    let root = site(&[
        ("content/a.md", b"# A\n"),
        ("templates/page.html", b"{% if %}"),
    ]);
    build(root.path(), &root.path().join("public"))
        .code(2)
        .stderr(predicate::str::contains("compiling the templates"));
}

#[test]
fn missing_content_folder_is_explained() {
    let root = tempfile::tempdir().unwrap();
    build(root.path(), &root.path().join("public"))
        .code(2)
        .stderr(predicate::str::contains("no content/ folder"));
}
