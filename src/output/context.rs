//! What the templates see. Every template gets `site`, `page`, `root` (the `../` prefix that
//! makes a URL relative to the file being written), `nav` (the sidebar's HTML, already
//! escaped), and `prev` / `next` (`{title, url}` or nothing). Text from content is passed as
//! plain strings, so tera's autoescaping escapes it; only HTML built by helpsite is marked safe.

use serde::Serialize;

use crate::config::ColorScheme;
use crate::content::{Corpus, Page};
use crate::markdown::RenderedPage;

#[derive(Debug, Serialize)]
pub(super) struct SiteCtx<'a> {
    pub title: &'a str,
    pub lang: &'a str,
    pub default_theme: ColorScheme,
    pub base_url: Option<&'a str>,
    /// The path part of `base_url` (`/` for `https://help.example.com/`, `/docs/` for
    /// `https://example.com/docs`): the 404 page's `<base>`, so it works at any depth.
    pub base_path: Option<String>,
}

#[derive(Debug, Serialize)]
pub(super) struct PageCtx<'a> {
    pub title: &'a str,
    pub description: Option<&'a str>,
    /// The page's own URL, relative to the site root (`guide/fix.html`).
    pub url: &'a str,
    /// The source file (`content/guide/fix.md`).
    pub source: String,
    pub edit_url: Option<String>,
    /// The rendered body (HTML; the template prints it with `| safe`).
    pub content: &'a str,
    /// `content` split after its opening `<h1>` (when the body starts with one): `lead` is
    /// that heading (or empty), `rest` what follows, so a template can put things under the
    /// title (the default theme's "On this page" for narrow screens).
    pub lead: &'a str,
    pub rest: &'a str,
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
pub(super) struct TocEntry<'a> {
    pub level: u8,
    pub id: &'a str,
    pub text: &'a str,
}

#[derive(Debug, Serialize)]
pub(super) struct LinkCtx<'a> {
    pub title: &'a str,
    /// Relative to the page being written.
    pub url: String,
}

#[derive(Debug, Serialize)]
pub(super) struct Ctx<'a> {
    pub site: &'a SiteCtx<'a>,
    pub page: PageCtx<'a>,
    pub root: &'a str,
    pub nav: String,
    pub prev: Option<LinkCtx<'a>>,
    pub next: Option<LinkCtx<'a>>,
}

impl<'a> SiteCtx<'a> {
    pub(super) fn new(corpus: &'a Corpus) -> SiteCtx<'a> {
        let config = &corpus.config;
        SiteCtx {
            title: &config.title,
            lang: &config.language,
            default_theme: config.theme.default,
            base_url: config.base_url.as_deref(),
            base_path: config.base_url.as_deref().map(base_path),
        }
    }
}

impl<'a> PageCtx<'a> {
    /// The context of a content page whose body, with its marks, is `content`.
    pub(super) fn of(
        corpus: &Corpus,
        page: &'a Page,
        rendered: &'a RenderedPage,
        content: &'a str,
    ) -> PageCtx<'a> {
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
        let (lead, rest) = split_lead(content);
        PageCtx {
            title: &page.front.title,
            description: page.front.description.as_deref(),
            url: &page.url,
            edit_url: match page.generated {
                true => None,
                false => corpus.config.edit_link(&source),
            },
            source,
            content,
            lead,
            rest,
            toc,
            has_h1: rendered.has_h1,
            updated: page.front.updated.as_deref(),
            extra: Some(&page.front.extra.0),
        }
    }

    /// The context of a page helpsite makes itself (404, print).
    pub(super) fn generated(title: &'a str, url: &'a str) -> PageCtx<'a> {
        PageCtx {
            title,
            description: None,
            url,
            source: String::new(),
            edit_url: None,
            content: "",
            lead: "",
            rest: "",
            toc: Vec::new(),
            has_h1: false,
            updated: None,
            extra: None,
        }
    }
}

/// The path of a URL, ending in `/`: `https://h.example/docs` → `/docs/`.
fn base_path(url: &str) -> String {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = after_scheme
        .find('/')
        .map_or("", |i| &after_scheme[i..])
        .split(['?', '#'])
        .next()
        .unwrap_or("");
    let path = path.trim_end_matches('/');
    format!("{path}/")
}

/// `html` split after a leading `<h1>…</h1>`; `("", html)` when it does not start with one.
fn split_lead(html: &str) -> (&str, &str) {
    let start = html.len() - html.trim_start().len();
    if !html[start..].starts_with("<h1") {
        return ("", html);
    }
    match html[start..].find("</h1>") {
        Some(end) => html.split_at(start + end + "</h1>".len()),
        None => ("", html),
    }
}

#[cfg(test)]
mod tests {
    use super::{base_path, split_lead};

    #[test]
    fn base_paths() {
        assert_eq!(base_path("https://help.example.com/"), "/");
        assert_eq!(base_path("https://help.example.com"), "/");
        assert_eq!(base_path("https://example.com/docs"), "/docs/");
        assert_eq!(base_path("https://example.com/a/b/?x#y"), "/a/b/");
    }

    #[test]
    fn the_lead_is_a_leading_h1_only() {
        let html = "<h1 id=\"t\">T <a>#</a></h1>\n<p>x</p><h1>again</h1>";
        assert_eq!(
            split_lead(html),
            ("<h1 id=\"t\">T <a>#</a></h1>", "\n<p>x</p><h1>again</h1>")
        );
        assert_eq!(split_lead("<p>x</p><h1>T</h1>"), ("", "<p>x</p><h1>T</h1>"));
        assert_eq!(split_lead(""), ("", ""));
    }
}
