//! Writing the site: tera templates → HTML files, plus search index, sitemap, 404, print page
//! and assets. The only module that writes the output tree, and it writes it atomically: links
//! are checked first, everything goes into a staging folder, and the old output is replaced
//! only when the new one is complete.

mod atomic;
mod check;
mod context;
mod extras;
mod filled;
mod nav;
mod print;
mod redirects;
pub mod search;
pub(crate) mod tested;
mod theme;
mod update;
pub(crate) mod verify;

use std::collections::BTreeSet;
use std::path::Path;

use anyhow::{Context as _, anyhow};
use rayon::prelude::*;

use crate::{content::Corpus, markdown::RenderedPage};

pub use atomic::refuse_foreign;
pub use check::{broken_link_errors, broken_links};
use context::{Ctx, LinkCtx, PageCtx, SiteCtx};
use nav::{Nav, root_prefix};
use theme::{Theme, tera_error};
pub(crate) use update::{rewrite_pages, rewrite_site_files};

/// A page's body as the site shows it (with its marks), made when it is read.
pub type BodyOf<'a> = &'a (dyn Fn(&RenderedPage) -> String + Sync);

/// What [`write`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Written {
    /// The whole site is in the output folder.
    Site,
    /// Nothing was written (the output folder is as it was): these links are broken, each as
    /// `file:line: broken link …`, for the caller to show.
    BrokenLinks(Vec<String>),
}

/// Checks the links, then writes the whole site to `out`, each page's body with its `marks`
/// (none: as rendered). Broken links come back as [`Written::BrokenLinks`] with `out` untouched.
pub fn write(
    corpus: &Corpus,
    rendered: &[RenderedPage],
    marks: Option<&verify::Marks>,
    out: &Path,
) -> anyhow::Result<Written> {
    if !corpus.errors.is_empty() {
        return Err(crate::content::InputErrors(corpus.errors.clone()).into());
    }
    let broken = broken_links(corpus, rendered);
    if !broken.is_empty() {
        return Ok(Written::BrokenLinks(broken));
    }
    let redirects = redirects::list(corpus)?;
    let theme = Theme::load(&corpus.root)?;
    let clashes = check::clashes(corpus, theme.assets.keys().map(String::as_str));
    if !clashes.is_empty() {
        return Err(crate::content::InputErrors(clashes).into());
    }
    let sources = [corpus.root.join("content"), corpus.root.join("templates")];
    let staging = atomic::Staging::new(out, &[&sources[0], &sources[1]])?;
    let dir = staging.path();
    let nav = Nav::new(corpus);
    let site = SiteCtx::new(corpus);
    make_dirs(dir, corpus)?;
    // Each body with its marks, composed where it is read (the page's render context, the print
    // page, the search index) and dropped after: never every page's HTML at once.
    let body_of = |r: &RenderedPage| verify::body(r, marks);
    rendered.par_iter().try_for_each(|r| {
        let html = page_html(&theme, corpus, &site, &nav, r, &body_of(r))?;
        write_file(&dir.join(&corpus.pages[r.page].url), html.as_bytes())
    })?;
    redirects::write(dir, &redirects)?;
    extras::write_all(dir, &theme, corpus, rendered, &body_of, &site, &nav)?;
    write_assets(dir, &theme, corpus)?;
    write_file(
        &dir.join("static/nav-data.js"),
        nav.shared_script().as_bytes(),
    )?;
    staging.commit()?;
    Ok(Written::Site)
}

/// Creates every folder the pages and content assets go in.
fn make_dirs(dir: &Path, corpus: &Corpus) -> anyhow::Result<()> {
    let urls = corpus.pages.iter().map(|p| p.url.as_str());
    let folders: BTreeSet<&str> = urls
        .chain(corpus.assets.iter().map(String::as_str))
        .chain(["static/x"])
        .filter_map(|path| path.rsplit_once('/').map(|(folder, _)| folder))
        .collect();
    for folder in folders {
        let path = dir.join(folder);
        std::fs::create_dir_all(&path).with_context(|| format!("creating {}", path.display()))?;
    }
    Ok(())
}

/// One page through its template, its body (with marks) being `body`.
fn page_html(
    theme: &Theme,
    corpus: &Corpus,
    site: &SiteCtx<'_>,
    nav: &Nav,
    r: &RenderedPage,
    body: &str,
) -> anyhow::Result<String> {
    let page = &corpus.pages[r.page];
    let root = root_prefix(&page.url);
    let link = |i: usize| {
        corpus.pages.get(i).map(|p| LinkCtx {
            title: &p.front.title,
            url: format!("{root}{}", p.url),
        })
    };
    let ctx = Ctx {
        site,
        page: PageCtx::of(corpus, page, r, body),
        root: &root,
        nav: nav.html(Some(r.page), &root),
        prev: r.page.checked_sub(1).and_then(link),
        next: link(r.page + 1),
    };
    let template = page.front.template.as_deref().unwrap_or("page.html");
    render(theme, template, &ctx).with_context(|| page.source.display().to_string())
}

/// Renders template `name` with `ctx`.
fn render(theme: &Theme, name: &str, ctx: &impl serde::Serialize) -> anyhow::Result<String> {
    let ctx = tera::Context::from_serialize(ctx).map_err(|e| anyhow!("{}", tera_error(&e)))?;
    theme
        .tera
        .render(name, &ctx)
        .map_err(|e| anyhow!("{}", tera_error(&e)))
}

/// Theme assets, the highlighting stylesheet, the search index and content's own files.
fn write_assets(dir: &Path, theme: &Theme, corpus: &Corpus) -> anyhow::Result<()> {
    for (name, bytes) in &theme.assets {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("creating {}", parent.display()))?;
        }
        write_file(&path, bytes)?;
    }
    let css = crate::markdown::highlight::stylesheet();
    write_file(&dir.join("static/highlight.css"), css.as_bytes())?;
    let content = corpus.root.join("content");
    for asset in &corpus.assets {
        let from = content.join(asset);
        std::fs::copy(&from, dir.join(asset))
            .with_context(|| format!("copying {}", from.display()))?;
    }
    Ok(())
}

fn write_file(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    std::fs::write(path, bytes).with_context(|| format!("writing {}", path.display()))
}
