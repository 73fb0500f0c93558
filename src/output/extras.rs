//! The site-wide files: `404.html`, `print.html` (the whole guide on one page, in reading
//! order), `sitemap.xml` (only with a `base_url`) and `static/search-index.js`.

use std::path::Path;

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

#[derive(Serialize)]
struct PrintCtx<'a> {
    #[serde(flatten)]
    base: Ctx<'a>,
    /// Every page in reading order: `{id, title, content}`; ids are unique on the print page.
    pages: Vec<PrintPage<'a>>,
}

#[derive(Serialize)]
struct PrintPage<'a> {
    id: String,
    title: &'a str,
    content: String,
    has_h1: bool,
}

fn write_print(
    dir: &Path,
    theme: &Theme,
    corpus: &Corpus,
    rendered: &[RenderedPage],
    site: &SiteCtx<'_>,
    nav: &Nav,
) -> anyhow::Result<()> {
    let pages = rendered
        .iter()
        .map(|r| {
            let id = format!("p{}", r.page);
            let content = prefix_ids(&r.html, &format!("{id}-"));
            PrintPage {
                id,
                title: &corpus.pages[r.page].front.title,
                content,
                has_h1: r.has_h1,
            }
        })
        .collect();
    let base = Ctx {
        site,
        page: PageCtx::generated("Print", "print.html"),
        root: "",
        nav: nav.html(None, ""),
        prev: None,
        next: None,
    };
    let html = render(theme, "print.html", &PrintCtx { base, pages })?;
    write_file(&dir.join("print.html"), html.as_bytes())
}

/// Makes a page's ids (and its links to them) unique on the print page: `id="x"` → `id="P x"`.
fn prefix_ids(html: &str, prefix: &str) -> String {
    html.replace(" id=\"", &format!(" id=\"{prefix}"))
        .replace(" href=\"#", &format!(" href=\"#{prefix}"))
}
