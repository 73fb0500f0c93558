//! Unit tests of the whole markdown stage (one page through every pass).

use super::*;
use crate::content::{FrontMatter, Page};

fn page(rel: &str, body: &str) -> Page {
    Page::new(rel, FrontMatter::default(), body.to_string(), 3)
}

#[test]
fn headings_get_ids_permalinks_and_lines_map_to_the_file() {
    let r = render(
        0,
        &page(
            "a.md",
            "# Title\n\n## Fix it\n\nsee [b](b.md#x)\n\n## Fix it\n",
        ),
    )
    .unwrap();
    let ids: Vec<&str> = r.headings.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["title", "fix-it", "fix-it-1"]);
    assert!(r.has_h1);
    assert!(
        r.body
            .plain()
            .contains("<h2 id=\"fix-it\">Fix it <a class=\"permalink\" href=\"#fix-it\"")
    );
    assert_eq!(
        r.links,
        [Link {
            target: "b.md#x".into(),
            line: 7
        }]
    );
    assert!(
        r.body.plain().contains("href=\"b.html#x\""),
        "{}",
        r.body.plain()
    );
}

#[test]
fn alerts_become_titled_boxes() {
    let r = render(0, &page("a.md", "> [!WARNING]\n> Careful.\n\n> plain\n")).unwrap();
    assert!(
        r.body.plain().contains(
            "<div class=\"alert alert-warning\" role=\"note\"><p class=\"alert-title\">Warning</p>"
        ),
        "{}",
        r.body.plain()
    );
    assert!(
        r.body.plain().contains("<blockquote>"),
        "plain quotes stay: {}",
        r.body.plain()
    );
}

#[test]
fn code_blocks_are_snippets_with_wrappers() {
    let body =
        "## Push\n\n```bash\ngit push\n```\n\n```console\n$ git push\n? 1\nfatal: [..]\n```\n";
    let r = render(0, &page("guide/fix.md", body)).unwrap();
    assert_eq!(r.snippets.len(), 2);
    assert!(
        r.body
            .plain()
            .contains("data-snippet=\"guide::fix::push::bash_1\""),
        "{}",
        r.body.plain()
    );
    assert!(
        r.body.plain().contains("class=\"hl-"),
        "highlighted: {}",
        r.body.plain()
    );
    assert!(
        r.body
            .plain()
            .contains("<span class=\"cmd\">git push</span>"),
        "{}",
        r.body.plain()
    );
    assert!(
        !r.body.plain().contains("? 1"),
        "status line hidden: {}",
        r.body.plain()
    );
    assert!(r.body.plain().contains("fatal: …"), "{}", r.body.plain());
}

#[test]
fn sections_hold_plain_text_per_heading() {
    let body =
        "Intro *text*.\n\n## One\n\nFirst\nline.\n\n```text\ncode\n```\n\n## Two\n\n- a\n- b\n";
    let r = render(0, &page("a.md", body)).unwrap();
    let got: Vec<(&str, &str, &str)> = r
        .sections
        .iter()
        .map(|s| (s.id.as_str(), s.heading.as_str(), s.text.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("", "", "Intro text."),
            ("one", "One", "First line."),
            ("two", "Two", "a b")
        ]
    );
}

#[test]
fn fence_errors_name_the_file_line() {
    let err = render(0, &page("a.md", "text\n\n```\nx\n```\n")).unwrap_err();
    assert_eq!(
        (err.line, err.file.to_string_lossy().as_ref()),
        (5, "content/a.md")
    );
}

#[test]
fn nuls_in_the_page_cannot_open_a_hole() {
    // A NUL in prose, raw HTML and code would otherwise read as the tokens of the body's holes.
    let body = "# T\n\na\0s0\0b <b>\0i9\0</b>\n\n```console\n$ echo \0e\0\n```\n";
    let r = render(0, &page("a.md", body)).unwrap();
    let ids = r.body.parts.iter().filter(|p| matches!(p, Part::Id(_)));
    let statuses = r
        .body
        .parts
        .iter()
        .filter(|p| matches!(p, Part::Status(..)));
    assert_eq!(
        (ids.count(), statuses.count()),
        (1, 1),
        "{:?}",
        r.body.parts
    );
    let html = r.body.plain();
    assert!(!html.contains('\0'), "{html}");
    assert!(html.contains("a\u{FFFD}s0\u{FFFD}b"), "{html}");
}
