//! The site-wide files: `404.html`, `print.html` (the whole guide on one page, in reading
//! order), `sitemap.xml` (only with a `base_url`) and `static/search-index.js`.

use std::io::Write;
use std::path::Path;

use anyhow::Context as _;

use serde::Serialize;

use super::context::{Ctx, PageCtx, SiteCtx};
use super::{Nav, Theme, render, write_file};
use crate::content::Corpus;
use crate::markdown::RenderedPage;

pub fn write_all(
    dir: &Path,
    theme: &Theme,
    corpus: &Corpus,
    rendered: &[RenderedPage],
    site: &SiteCtx<'_>,
    nav: &Nav,
) -> anyhow::Result<()> {
    let not_found = Ctx {
        site,
        page: PageCtx::generated("Page not found", "404.html"),
        root: "",
        nav: nav.html(None, ""),
        prev: None,
        next: None,
    };
    write_file(
        &dir.join("404.html"),
        render(theme, "404.html", &not_found)?.as_bytes(),
    )?;
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
    let base = Ctx {
        site,
        page: PageCtx::generated("Print", "print.html"),
        root: "",
        nav: nav.html(None, ""),
        prev: None,
        next: None,
    };
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
            write_print_page(&mut file, &corpus.pages[r.page].front.title, r)?;
        }
        file.write_all(tail.as_bytes())?;
        file.flush()
    };
    write().with_context(|| format!("writing {}", path.display()))
}

/// One page of the print view: an `<article>` with its ids made unique.
fn write_print_page(out: &mut impl Write, title: &str, r: &RenderedPage) -> std::io::Result<()> {
    let id = format!("p{}", r.page);
    writeln!(out, "<article class=\"page print-page\" id=\"{id}\">")?;
    if !r.has_h1 {
        let mut h1 = String::from("<h1>");
        let _ = pulldown_cmark_escape::escape_html_body_text(&mut h1, title);
        h1.push_str("</h1>\n");
        out.write_all(h1.as_bytes())?;
    }
    out.write_all(prefix_ids(&r.html, &format!("{id}-")).as_bytes())?;
    out.write_all(b"</article>\n")
}

/// Makes a page's ids (and its links to them) unique on the print page: `id="x"` → `id="P x"`.
fn prefix_ids(html: &str, prefix: &str) -> String {
    html.replace(" id=\"", &format!(" id=\"{prefix}"))
        .replace(" href=\"#", &format!(" href=\"#{prefix}"))
}
