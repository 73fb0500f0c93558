//! The site-wide files: `404.html` (it works at any depth: see templates/404.html),
//! `print.html` (written by [`super::print`]), `sitemap.xml` (only with a `base_url`) and
//! `static/search-index.js` (with `static/search/` when the index is split).

use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;

use super::context::{Ctx, PageCtx, SiteCtx};
use super::{Nav, Theme, render, write_file};
use crate::content::Corpus;
use crate::markdown::RenderedPage;

pub(super) fn write_all(
    dir: &Path,
    theme: &Theme,
    corpus: &Corpus,
    rendered: &[RenderedPage],
    body_of: super::BodyOf<'_>,
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
    let print = top_level(site, nav, "Print", "print.html");
    super::print::write(dir, theme, corpus, rendered, body_of, print)?;
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
    write_search_index(dir, corpus, rendered, body_of)
}

/// The search index of every page (`static/search-index.js`).
pub(super) fn write_search_index(
    dir: &Path,
    corpus: &Corpus,
    rendered: &[RenderedPage],
    body_of: super::BodyOf<'_>,
) -> anyhow::Result<()> {
    let urls: Vec<String> = corpus.pages.iter().map(|p| p.url.clone()).collect();
    let split = corpus.config.search.split;
    let files = super::search::index_files(corpus, rendered, body_of, &urls, split);
    if files.len() > 1 {
        std::fs::create_dir_all(dir.join(super::search::PARTS))?;
    }
    files
        .par_iter()
        .try_for_each(|f| write_file(&dir.join(&f.path), f.text.as_bytes()))
}

/// The context of a page the build makes itself at the site's top level (404, print).
pub(super) fn top_level<'a>(
    site: &'a SiteCtx<'a>,
    nav: &Nav,
    title: &'a str,
    url: &'a str,
) -> Ctx<'a> {
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
