//! The site-wide files: `404.html`, `print.html` (the whole guide on one page, in reading
//! order), `sitemap.xml` (only with a `base_url`) and `static/search-index.js`.

use std::io::Write;
use std::path::Path;

use anyhow::Context as _;

use serde::Serialize;

use super::context::{Ctx, PageCtx, SiteCtx};
use super::{Nav, Theme, render, write_file};
use crate::content::{Corpus, folder_of};
use crate::markdown::RenderedPage;
use crate::markdown::links::is_external;

pub fn write_all(
    dir: &Path,
    theme: &Theme,
    corpus: &Corpus,
    rendered: &[RenderedPage],
    site: &SiteCtx<'_>,
    nav: &Nav,
) -> anyhow::Result<()> {
    // A content `404.md` (mdBook's convention) is the 404 page: it is written as a page.
    if !corpus.pages.iter().any(|p| p.url == "404.html") {
        let not_found = top_level(site, nav, "Page not found", "404.html");
        write_file(
            &dir.join("404.html"),
            render(theme, "404.html", &not_found)?.as_bytes(),
        )?;
    }
    write_print(dir, theme, corpus, rendered, site, nav)?;
    if let Some(base) = site.base_url {
        let urls = SitemapCtx {
            urls: corpus
                .pages
                .iter()
                .map(|p| format!("{}/{}", base.trim_end_matches('/'), p.url))
                .collect(),
        };
        write_file(
            &dir.join("sitemap.xml"),
            render(theme, "sitemap.xml", &urls)?.as_bytes(),
        )?;
    }
    let urls: Vec<String> = corpus.pages.iter().map(|p| p.url.clone()).collect();
    let index = super::search::index_script(corpus, rendered, &urls);
    write_file(&dir.join("static/search-index.js"), index.as_bytes())
}

/// The context of a page the build makes itself at the site's top level (404, print).
fn top_level<'a>(site: &'a SiteCtx<'a>, nav: &Nav, title: &'a str, url: &'a str) -> Ctx<'a> {
    Ctx {
        site,
        page: PageCtx::generated(title, url),
        root: "",
        nav: nav.html(None, ""),
        prev: None,
        next: None,
    }
}

#[derive(Serialize)]
struct SitemapCtx {
    urls: Vec<String>,
}

/// Where the pages go in the print template's output; replaced while writing, so the whole
/// guide is never held in memory twice (it is ~100 MB at 10,000 pages).
const PAGES_MARKER: &str = "<!--helpsite:print-pages-->";

#[derive(Serialize)]
struct PrintCtx<'a> {
    #[serde(flatten)]
    base: Ctx<'a>,
    /// Every page in reading order, as HTML: print it with `{{ pages_html | safe }}`.
    pages_html: &'static str,
}

fn write_print(
    dir: &Path,
    theme: &Theme,
    corpus: &Corpus,
    rendered: &[RenderedPage],
    site: &SiteCtx<'_>,
    nav: &Nav,
) -> anyhow::Result<()> {
    let base = top_level(site, nav, "Print", "print.html");
    let html = render(
        theme,
        "print.html",
        &PrintCtx {
            base,
            pages_html: PAGES_MARKER,
        },
    )?;
    let (head, tail) = html.split_once(PAGES_MARKER).unwrap_or((&html, ""));
    let path = dir.join("print.html");
    let file =
        std::fs::File::create(&path).with_context(|| format!("creating {}", path.display()))?;
    let mut file = std::io::BufWriter::new(file);
    let mut write = || -> std::io::Result<()> {
        file.write_all(head.as_bytes())?;
        for r in rendered {
            let page = &corpus.pages[r.page];
            write_print_page(&mut file, &page.front.title, folder_of(&page.rel), r)?;
        }
        file.write_all(tail.as_bytes())?;
        file.flush()
    };
    write().with_context(|| format!("writing {}", path.display()))
}

/// One page of the print view: an `<article>` with its ids made unique.
fn write_print_page(
    out: &mut impl Write,
    title: &str,
    folder: &str,
    r: &RenderedPage,
) -> std::io::Result<()> {
    let id = format!("p{}", r.page);
    writeln!(out, "<article class=\"page print-page\" id=\"{id}\">")?;
    if !r.has_h1 {
        let mut h1 = String::from("<h1>");
        let _ = pulldown_cmark_escape::escape_html_body_text(&mut h1, title);
        h1.push_str("</h1>\n");
        out.write_all(h1.as_bytes())?;
    }
    let html = prefix_ids(&r.html, &format!("{id}-"));
    out.write_all(rebase_links(&html, folder).as_bytes())?;
    out.write_all(b"</article>\n")
}

/// Makes a page's ids (and its links to them) unique on the print page: `id="x"` → `id="P x"`.
fn prefix_ids(html: &str, prefix: &str) -> String {
    html.replace(" id=\"", &format!(" id=\"{prefix}"))
        .replace(" href=\"#", &format!(" href=\"#{prefix}"))
}

/// Makes the relative `href`/`src` of a page in `folder` work from the site root, where the
/// print page is: `x.html` → `guide/x.html`, `../a.png` → `guide/../a.png`.
fn rebase_links(html: &str, folder: &str) -> String {
    if folder.is_empty() {
        return html.to_string();
    }
    let mut out = String::with_capacity(html.len() + 256);
    let mut copied = 0;
    for (at, _) in html.match_indices("=\"") {
        let before = &html[..at];
        if !(before.ends_with(" href") || before.ends_with(" src")) {
            continue;
        }
        let value = &html[at + 2..];
        let value = &value[..value.find('"').unwrap_or(value.len())];
        let relative = !(value.is_empty() || value.starts_with(['#', '/']) || is_external(value));
        if relative {
            out.push_str(&html[copied..at + 2]);
            out.push_str(folder);
            out.push('/');
            copied = at + 2;
        }
    }
    out.push_str(&html[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn print_links_work_from_the_root() {
        let html = "<a href=\"x.html#a\">x</a><img src=\"../p.png\"><a href=\"#p1-b\">b</a>\
                    <a href=\"https://e.example/\">e</a>";
        assert_eq!(
            rebase_links(html, "guide"),
            "<a href=\"guide/x.html#a\">x</a><img src=\"guide/../p.png\"><a href=\"#p1-b\">b</a>\
             <a href=\"https://e.example/\">e</a>"
        );
        assert_eq!(rebase_links(html, ""), html);
        assert_eq!(
            prefix_ids("<h2 id=\"a\"><a href=\"#a\">", "p1-"),
            "<h2 id=\"p1-a\"><a href=\"#p1-a\">"
        );
    }
}
