//! `helpsite build` over the fixture sites: the HTML it writes (targeted assertions), nav order,
//! slugs and TOC, alerts, highlighting, console transcripts, escaping, the site-wide files,
//! determinism, and a content-only site built with the embedded theme.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

use crate::support::fixture;

/// Builds fixture `name` into a fresh temp dir; returns (the dir holding `out`, `out`).
fn build(name: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    Command::cargo_bin("helpsite")
        .unwrap()
        .args(["build", "--root"])
        .arg(fixture(name))
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    (tmp, out)
}

fn read(out: &Path, file: &str) -> String {
    std::fs::read_to_string(out.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// The part of `html` between the first `start` and the next `end` after it.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html
        .find(start)
        .unwrap_or_else(|| panic!("no {start:?} in {html}"));
    let rest = &html[from..];
    &rest[..rest.find(end).map_or(rest.len(), |i| i + end.len())]
}

#[test]
fn writes_flat_files_and_site_wide_pages() {
    let (_tmp, out) = build("site-basic");
    for file in [
        "index.html",
        "guide/index.html",
        "guide/fix.html",
        "guide/alpha.html",
        "guide/deep/nested.html",
        "reference/api.html",
        "reference/empty.html",
        "404.html",
        "print.html",
        "sitemap.xml",
        "images/diagram.svg",
        "static/style.css",
        "static/site.js",
        "static/highlight.css",
        "static/search-index.js",
    ] {
        assert!(out.join(file).is_file(), "missing {file}");
    }
    assert!(
        !out.join("reference/draft.html").exists(),
        "drafts are skipped"
    );
}

#[test]
fn nav_is_ordered_by_weight_and_marks_the_current_page() {
    let (_tmp, out) = build("site-basic");
    let html = read(&out, "guide/fix.html");
    let nav = between(&html, "<nav id=\"sidebar\"", "</nav>");
    let order: Vec<usize> = [
        "index.html",
        "guide/index.html",
        "deep</span>",
        "alpha.html",
        "fix.html",
    ]
    .iter()
    .map(|needle| {
        nav.find(needle)
            .unwrap_or_else(|| panic!("{needle} not in {nav}"))
    })
    .collect();
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "nav order {order:?}: {nav}"
    );
    assert!(
        nav.contains("<a href=\"../guide/fix.html\" aria-current=\"page\">Fix the push</a>"),
        "{nav}"
    );
    assert_eq!(nav.matches("aria-current").count(), 1);
    assert!(
        !nav.contains("reference/"),
        "other sections come from the shared nav-data.js: {nav}"
    );
    let shared = read(&out, "static/nav-data.js");
    let (guide, reference) = (
        shared.find("guide/index.html"),
        shared.find("reference/index.html"),
    );
    assert!(guide.is_some() && reference > guide, "{shared}");
    assert!(!shared.contains("reference/api.html"), "{shared}");
    assert!(
        !nav.contains("nested.html"),
        "sub-sections off the current path stay collapsed: {nav}"
    );
    let prev_next = between(&html, "<nav class=\"prev-next\"", "</nav>");
    assert!(
        prev_next.contains("href=\"../guide/alpha.html\" rel=\"prev\""),
        "{prev_next}"
    );
    assert!(
        prev_next.contains("href=\"../reference/index.html\" rel=\"next\""),
        "{prev_next}"
    );
}

#[test]
fn headings_have_unique_slugs_permalinks_and_a_toc() {
    let (_tmp, out) = build("site-basic");
    let html = read(&out, "guide/fix.html");
    assert!(html.contains("<h2 id=\"push-with-a-token\">"), "{html}");
    assert!(html.contains("<h2 id=\"push-with-a-token-1\">"), "{html}");
    assert!(
        html.contains("<a class=\"permalink\" href=\"#details\""),
        "{html}"
    );
    let toc = between(&html, "<nav aria-label=\"On this page\">", "</nav>");
    assert!(
        toc.contains(
            "<li class=\"toc-level-2\"><a href=\"#push-with-a-token\">Push with a token</a></li>"
        ),
        "{toc}"
    );
    assert!(
        toc.contains("<li class=\"toc-level-3\"><a href=\"#details\">Details</a></li>"),
        "{toc}"
    );
    assert!(
        html.contains("<h1>Fix the push</h1>"),
        "title as h1 when the body has none"
    );
    let start = read(&out, "index.html");
    assert_eq!(
        start.matches("<h1").count(),
        1,
        "the body's own h1 is not doubled"
    );
}

#[test]
fn alerts_tables_tasks_and_footnotes() {
    let (_tmp, out) = build("site-basic");
    let html = read(&out, "guide/fix.html");
    assert!(html.contains(
        "<div class=\"alert alert-warning\" role=\"note\"><p class=\"alert-title\">Warning</p>"
    ));
    assert!(
        html.contains(
            "<div class=\"alert alert-tip\" role=\"note\"><p class=\"alert-title\">Tip</p>"
        )
    );
    assert!(html.contains("<table>") && html.contains("type=\"checkbox\""));
    assert!(html.contains("<del>old</del>") && html.contains("footnote-definition"));
}

#[test]
fn code_is_highlighted_and_consoles_render_like_a_terminal() {
    let (_tmp, out) = build("site-basic");
    let html = read(&out, "guide/fix.html");
    let bash = between(
        &html,
        "<div class=\"snippet snippet-script\"",
        "</div></div>",
    );
    assert!(
        bash.contains("class=\"hl-"),
        "build-time highlighting: {bash}"
    );
    assert!(bash.contains("<button type=\"button\" class=\"copy\" hidden>Copy</button>"));
    let console = between(
        &html,
        "<div class=\"snippet snippet-console\"",
        "</pre></div>",
    );
    assert!(
        console.contains("data-snippet=\"guide::fix::push_with_a_token::"),
        "{console}"
    );
    assert!(console.contains("<span class=\"prompt\" aria-hidden=\"true\">$ </span><span class=\"cmd\">git push origin main</span>"));
    assert!(
        console.contains("<span class=\"cmd\">--verbose</span>"),
        "{console}"
    );
    assert!(
        !console.contains("? 128"),
        "status lines are for the harness: {console}"
    );
    assert!(
        !console.contains("[..]"),
        "wildcards show as an ellipsis: {console}"
    );
    assert!(console.contains("bitbucket.org/…"), "{console}");
    assert!(
        console.contains("<span class=\"out ellipsis\""),
        "{console}"
    );
    assert!(
        html.contains("<span class=\"snippet-status\">not run: "),
        "ignored snippets say why"
    );
    let css = read(&out, "static/highlight.css");
    assert!(css.contains(".hl-comment") && css.contains("[data-theme=\"dark\"] .hl-"));
    assert_eq!(
        html.matches("<script src=").count(),
        4,
        "site.js, the shared nav (data + script) and search.js only"
    );
}

#[test]
fn links_are_rewritten_and_relative() {
    let (_tmp, out) = build("site-basic");
    let start = read(&out, "index.html");
    assert!(
        start.contains("href=\"guide/fix.html#push-with-a-token\""),
        "{start}"
    );
    assert!(start.contains("href=\"guide/index.html\""));
    assert!(start.contains("href=\"images/diagram.svg\""));
    let nested = read(&out, "guide/deep/nested.html");
    assert!(nested.contains("href=\"../alpha.html\""));
    assert!(
        nested.contains("href=\"../../reference/api.html#the-api\""),
        "{nested}"
    );
    assert!(nested.contains("href=\"../../static/style.css\""));
    for file in [
        "index.html",
        "guide/fix.html",
        "guide/deep/nested.html",
        "404.html",
        "print.html",
    ] {
        let html = read(&out, file);
        for needle in ["href=\"/", "src=\"/", "http://", "https://fonts", "cdn"] {
            // The 404 page is served at any missing address: its URLs start from base_url's path.
            if file == "404.html" && needle.ends_with('/') {
                continue;
            }
            assert!(!html.contains(needle), "{file} has {needle}");
        }
    }
    let not_found = read(&out, "404.html");
    assert!(not_found.contains("<base href=\"/docs/\">"), "{not_found}");
    assert!(
        not_found.contains("href=\"/docs/index.html\""),
        "{not_found}"
    );
}

#[test]
fn page_chrome_config_and_theme() {
    let (_tmp, out) = build("site-basic");
    let html = read(&out, "guide/fix.html");
    assert!(html.contains("<html lang=\"en\" data-default-theme=\"dark\">"));
    assert!(html.contains("<title>Fix the push · Basic Help</title>"));
    assert!(html.contains("<a class=\"skip-link\" href=\"#main\">"));
    assert!(html.contains("<main id=\"main\""));
    assert!(html.contains("<select class=\"theme-select\">"));
    assert!(html.contains(
        "<a href=\"https://example.com/edit/main/content/guide/fix.md\">Edit this page</a>"
    ));
    assert!(
        !html.contains("search-index.js"),
        "the index loads on first use of the search box, not with every page"
    );
    assert!(html.contains("<script src=\"../static/search.js\" defer></script>"));
    let start = read(&out, "index.html");
    assert!(start.contains("<meta name=\"description\" content=\"Where to begin\">"));
    assert!(
        read(&out, "reference/api.html").contains("<title>The API · Basic Help</title>"),
        "title from the first heading"
    );
    assert!(
        read(&out, "reference/empty.html").contains("<title>empty · Basic Help</title>"),
        "title from the file name"
    );
}

#[test]
fn text_from_content_is_escaped_everywhere() {
    let (_tmp, out) = build("site-basic");
    for file in ["guide/alpha.html", "guide/fix.html", "print.html"] {
        let html = read(&out, file);
        assert!(
            !html.contains("<script>alert(1)"),
            "{file} has a live script"
        );
        assert!(
            html.contains("Alpha &lt;script&gt;alert(1)&lt;/script&gt;"),
            "{file} lacks the escaped title"
        );
    }
}

#[test]
fn sitemap_and_print_page() {
    let (_tmp, out) = build("site-basic");
    let sitemap = read(&out, "sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://help.example.com/docs/guide/fix.html</loc>"),
        "{sitemap}"
    );
    assert!(!sitemap.contains("draft"));
    let print = read(&out, "print.html");
    let a = print
        .find("id=\"p4-push-with-a-token\"")
        .expect("ids prefixed per page");
    let b = print.find("<h1>Nested page</h1>").unwrap();
    let c = b + print[b..].find("The API").unwrap();
    assert!(b < a && a < c, "reading order");
    assert!(
        print.contains("href=\"#p4-push-with-a-token\""),
        "same-page links follow their ids"
    );
}

#[test]
fn two_builds_are_byte_identical() {
    let (_a, one) = build("site-basic");
    let (_b, two) = build("site-basic");
    let files = |dir: &Path| {
        let mut files: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(dir)
            .sort_by_file_name()
            .into_iter()
            .map(Result::unwrap)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                (
                    e.path().strip_prefix(dir).unwrap().to_path_buf(),
                    std::fs::read(e.path()).unwrap(),
                )
            })
            .collect();
        files.sort();
        files
    };
    assert_eq!(files(&one), files(&two));
}

#[test]
fn content_only_site_builds_with_the_embedded_theme() {
    let (_tmp, out) = build("site-content-only");
    let start = read(&out, "index.html");
    assert!(
        start.contains("<title>Help · Help</title>"),
        "generated start page: {start}"
    );
    assert!(!start.contains("Edit this page"));
    assert!(read(&out, "intro.html").contains("class=\"hl-"));
    assert!(read(&out, "topics/one.html").contains("<a href=\"../intro.html\">intro</a>"));
    assert!(
        !out.join("sitemap.xml").exists(),
        "no sitemap without base_url"
    );
    assert!(read(&out, "static/style.css").contains("--bg"));
}

#[test]
fn site_templates_override_the_theme_by_file_name() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::create_dir_all(root.join("content")).unwrap();
    std::fs::create_dir_all(root.join("templates/static")).unwrap();
    std::fs::write(root.join("content/a.md"), "# A\n").unwrap();
    std::fs::write(
        root.join("templates/page.html"),
        "<p>custom {{ page.title }}</p>",
    )
    .unwrap();
    std::fs::write(root.join("templates/static/style.css"), "body{}").unwrap();
    Command::cargo_bin("helpsite")
        .unwrap()
        .args(["build", "--root"])
        .arg(root)
        .assert()
        .success();
    assert_eq!(read(&root.join("public"), "a.html"), "<p>custom A</p>");
    assert_eq!(read(&root.join("public"), "static/style.css"), "body{}");
    assert!(
        read(&root.join("public"), "404.html").contains("Page not found"),
        "others stay default"
    );
}
