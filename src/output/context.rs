//! What the templates see. Every template gets `site`, `page`, `root` (the `../` prefix that
//! makes a URL relative to the file being written), `nav` (the sidebar's HTML, already
//! escaped), and `prev` / `next` (`{title, url}` or nothing). Text from content is passed as
//! plain strings, so tera's autoescaping escapes it; only HTML built by helpsite is marked safe.

use serde::Serialize;

use crate::config::ColorScheme;
use crate::content::{Corpus, Page};
use crate::markdown::RenderedPage;

#[derive(Debug, Serialize)]
pub struct SiteCtx<'a> {
    pub title: &'a str,
    pub lang: &'a str,
    pub default_theme: ColorScheme,
    pub base_url: Option<&'a str>,
}

#[derive(Debug, Serialize)]
pub struct PageCtx<'a> {
    pub title: &'a str,
    pub description: Option<&'a str>,
    /// The page's own URL, relative to the site root (`guide/fix.html`).
    pub url: &'a str,
    /// The source file (`content/guide/fix.md`).
    pub source: String,
    pub edit_url: Option<String>,
    /// The rendered body (HTML; the template prints it with `| safe`).
    pub content: &'a str,
    /// Headings of level 2 and 3, for the table of contents.
    pub toc: Vec<TocEntry<'a>>,
    /// The body has its own `<h1>`; else the template prints the title as the `<h1>`.
    pub has_h1: bool,
    /// "Last updated" date from the front matter (`updated`, `lastmod` or `date`).
    pub updated: Option<&'a str>,
    /// Front-matter keys helpsite does not use (Zola's `[extra]`, Hugo's params), for templates.
    pub extra: Option<&'a serde_json::Map<String, serde_json::Value>>,
}

#[derive(Debug, Serialize)]
pub struct TocEntry<'a> {
    pub level: u8,
    pub id: &'a str,
    pub text: &'a str,
}

#[derive(Debug, Serialize)]
pub struct LinkCtx<'a> {
    pub title: &'a str,
    /// Relative to the page being written.
    pub url: String,
}

#[derive(Debug, Serialize)]
pub struct Ctx<'a> {
    pub site: &'a SiteCtx<'a>,
    pub page: PageCtx<'a>,
    pub root: &'a str,
    pub nav: String,
    pub prev: Option<LinkCtx<'a>>,
    pub next: Option<LinkCtx<'a>>,
}

impl<'a> SiteCtx<'a> {
    pub fn new(corpus: &'a Corpus) -> SiteCtx<'a> {
        let config = &corpus.config;
        SiteCtx {
            title: &config.title,
            lang: &config.language,
            default_theme: config.theme.default,
            base_url: config.base_url.as_deref(),
        }
    }
}

impl<'a> PageCtx<'a> {
    /// The context of a content page.
    pub fn of(corpus: &Corpus, page: &'a Page, rendered: &'a RenderedPage) -> PageCtx<'a> {
        let source = page.source.to_string_lossy().replace('\\', "/");
        let toc = rendered
            .headings
            .iter()
            .filter(|h| (2..=3).contains(&h.level))
            .map(|h| TocEntry {
                level: h.level,
                id: &h.id,
                text: &h.text,
            })
            .collect();
        PageCtx {
            title: &page.front.title,
            description: page.front.description.as_deref(),
            url: &page.url,
            edit_url: match page.generated {
                true => None,
                false => corpus.config.edit_link(&source),
            },
            source,
            content: &rendered.html,
            toc,
            has_h1: rendered.has_h1,
            updated: page.front.updated.as_deref(),
            extra: Some(&page.front.extra),
        }
    }

    /// The context of a page helpsite makes itself (404, print).
    pub fn generated(title: &'a str, url: &'a str) -> PageCtx<'a> {
        PageCtx {
            title,
            description: None,
            url,
            source: String::new(),
            edit_url: None,
            content: "",
            toc: Vec::new(),
            has_h1: false,
            updated: None,
            extra: None,
        }
    }
}
