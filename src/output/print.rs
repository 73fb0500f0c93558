//! `print.html`: the whole guide as one document, in reading order. A cover (the site's title,
//! the date of the content, a table of contents), then every page as an `<article id="pN">`
//! whose ids are prefixed (`pN-…`) so they stay unique. Links between pages become anchors
//! inside the document (`fix.html#a` → `#p3-a`); links to other files are rebased to the
//! site root, where print.html is.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use anyhow::Context as _;
use serde::Serialize;

use super::context::Ctx;
use super::{Theme, render};
use crate::content::{Corpus, folder_of};
use crate::markdown::RenderedPage;
use crate::markdown::links::is_external;

/// Where the pages go in the print template's output; replaced while writing, so the whole
/// guide is never held in memory twice (it is ~100 MB at 10,000 pages).
const PAGES_MARKER: &str = "<!--helpsite:print-pages-->";

#[derive(Serialize)]
struct PrintCtx<'a> {
    #[serde(flatten)]
    base: Ctx<'a>,
    /// Every page in reading order, as HTML: print it with `{{ pages_html | safe }}`.
    pages_html: &'static str,
    /// `YYYY-MM-DD`: SOURCE_DATE_EPOCH when set, else the newest page's modification date.
    date: String,
    /// The cover's table of contents: each page and its `##` sections.
    contents: Vec<Entry<'a>>,
}

#[derive(Serialize)]
struct Entry<'a> {
    id: String,
    title: &'a str,
    sections: Vec<Entry<'a>>,
}

pub(super) fn write(
    dir: &Path,
    theme: &Theme,
    corpus: &Corpus,
    rendered: &[RenderedPage],
    body_of: super::BodyOf<'_>,
    base: Ctx<'_>,
) -> anyhow::Result<()> {
    let ctx = PrintCtx {
        base,
        pages_html: PAGES_MARKER,
        date: content_date(corpus),
        contents: contents(corpus, rendered),
    };
    let html = render(theme, "print.html", &ctx)?;
    let (head, tail) = html.split_once(PAGES_MARKER).unwrap_or((&html, ""));
    let pages: HashMap<&str, usize> = rendered
        .iter()
        .map(|r| (corpus.pages[r.page].url.as_str(), r.page))
        .collect();
    let path = dir.join("print.html");
    let file =
        std::fs::File::create(&path).with_context(|| format!("creating {}", path.display()))?;
    let mut file = std::io::BufWriter::new(file);
    let mut write = || -> std::io::Result<()> {
        file.write_all(head.as_bytes())?;
        for r in rendered {
            let page = &corpus.pages[r.page];
            write_page(
                &mut file,
                &page.front.title,
                folder_of(&page.rel),
                (r, &body_of(r)),
                &pages,
            )?;
        }
        file.write_all(tail.as_bytes())?;
        file.flush()
    };
    write().with_context(|| format!("writing {}", path.display()))
}

fn contents<'a>(corpus: &'a Corpus, rendered: &'a [RenderedPage]) -> Vec<Entry<'a>> {
    rendered
        .iter()
        .map(|r| {
            let id = format!("p{}", r.page);
            let sections = r
                .headings
                .iter()
                .filter(|h| h.level == 2)
                .map(|h| Entry {
                    id: format!("{id}-{}", h.id),
                    title: &h.text,
                    sections: Vec::new(),
                })
                .collect();
            Entry {
                id,
                title: &corpus.pages[r.page].front.title,
                sections,
            }
        })
        .collect()
}

/// The date on the cover: SOURCE_DATE_EPOCH (reproducible builds) when set, else the newest
/// modification time among the pages' files, so two builds of the same files are identical.
fn content_date(corpus: &Corpus) -> String {
    let epoch = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok());
    let newest = || {
        let content = corpus.root.join("content");
        corpus
            .pages
            .iter()
            .filter(|p| !p.generated)
            .filter_map(|p| {
                std::fs::metadata(content.join(&p.rel))
                    .ok()?
                    .modified()
                    .ok()
            })
            .max()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .and_then(|d| i64::try_from(d.as_secs()).ok())
    };
    let seconds = epoch.or_else(newest).unwrap_or(0);
    jiff::Timestamp::from_second(seconds)
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .date()
        .to_string()
}

/// One page of the print view: an `<article>` with its ids made unique.
fn write_page(
    out: &mut impl Write,
    title: &str,
    folder: &str,
    (r, body): (&RenderedPage, &str),
    pages: &HashMap<&str, usize>,
) -> std::io::Result<()> {
    let id = format!("p{}", r.page);
    writeln!(out, "<article class=\"page print-page\" id=\"{id}\">")?;
    if !r.has_h1 {
        let mut h1 = String::from("<h1>");
        let _ = pulldown_cmark_escape::escape_html_body_text(&mut h1, title);
        h1.push_str("</h1>\n");
        out.write_all(h1.as_bytes())?;
    }
    let html = prefix_ids(body, &format!("{id}-"));
    out.write_all(relink(&html, folder, pages).as_bytes())?;
    out.write_all(b"</article>\n")
}

/// Makes a page's ids (and its links to them) unique on the print page: `id="x"` → `id="P x"`.
fn prefix_ids(html: &str, prefix: &str) -> String {
    html.replace(" id=\"", &format!(" id=\"{prefix}"))
        .replace(" href=\"#", &format!(" href=\"#{prefix}"))
}

/// Rewrites the relative `href`/`src` values of a page in `folder`: a link to a page of the
/// guide becomes an anchor in print.html (`x.html#a` → `#p3-a`), anything else is rebased to
/// the site root (`../a.png` from `guide/` → `guide/../a.png`).
fn relink(html: &str, folder: &str, pages: &HashMap<&str, usize>) -> String {
    let mut out = String::with_capacity(html.len() + 256);
    let mut copied = 0;
    for (at, _) in html.match_indices("=\"") {
        let before = &html[..at];
        let is_href = before.ends_with(" href");
        if !(is_href || before.ends_with(" src")) || at + 2 < copied {
            continue;
        }
        let start = at + 2;
        let end = html[start..].find('"').map_or(html.len(), |i| start + i);
        let value = &html[start..end];
        if value.is_empty() || value.starts_with(['#', '/']) || is_external(value) {
            continue;
        }
        let (path, fragment) = value.split_once('#').unwrap_or((value, ""));
        let target = resolve(folder, path);
        let page = is_href.then(|| pages.get(target.as_str())).flatten();
        out.push_str(&html[copied..start]);
        match (page, fragment) {
            (Some(n), "") => out.push_str(&format!("#p{n}")),
            (Some(n), fragment) => out.push_str(&format!("#p{n}-{fragment}")),
            (None, _) if folder.is_empty() => out.push_str(value),
            (None, _) => {
                out.push_str(folder);
                out.push('/');
                out.push_str(value);
            }
        }
        copied = end;
    }
    out.push_str(&html[copied..]);
    out
}

/// `path` (relative to `folder`) as a path from the site root: `.` and `..` resolved, a
/// folder (`x/`, or empty) meaning its `index.html`.
fn resolve(folder: &str, path: &str) -> String {
    let mut parts: Vec<&str> = folder.split('/').filter(|p| !p.is_empty()).collect();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            part => parts.push(part),
        }
    }
    let mut joined = parts.join("/");
    if matches!(path.rsplit('/').next(), Some("" | "." | "..")) {
        if !joined.is_empty() {
            joined.push('/');
        }
        joined.push_str("index.html");
    }
    joined
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_to_pages_become_anchors_and_others_are_rebased() {
        let pages: HashMap<&str, usize> = [("guide/x.html", 3), ("index.html", 0)].into();
        let html = "<a href=\"x.html#a\">x</a><a href=\"x.html\">x</a><img src=\"../p.png\">\
                    <a href=\"#p1-b\">b</a><a href=\"../\">home</a><a href=\"y.html\">y</a>\
                    <a href=\"https://e.example/\">e</a>";
        assert_eq!(
            relink(html, "guide", &pages),
            "<a href=\"#p3-a\">x</a><a href=\"#p3\">x</a><img src=\"guide/../p.png\">\
             <a href=\"#p1-b\">b</a><a href=\"#p0\">home</a><a href=\"guide/y.html\">y</a>\
             <a href=\"https://e.example/\">e</a>"
        );
        assert_eq!(
            relink("<a href=\"guide/x.html#z\">", "", &pages),
            "<a href=\"#p3-z\">"
        );
        assert_eq!(
            prefix_ids("<h2 id=\"a\"><a href=\"#a\">", "p1-"),
            "<h2 id=\"p1-a\"><a href=\"#p1-a\">"
        );
    }

    #[test]
    fn paths_resolve_from_the_root() {
        assert_eq!(resolve("guide", "../index.html"), "index.html");
        assert_eq!(resolve("a/b", "./c.html"), "a/b/c.html");
        assert_eq!(resolve("a", "b/"), "a/b/index.html");
        assert_eq!(resolve("", ".."), "index.html");
    }
}
