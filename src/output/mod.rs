//! Writing the site: tera templates → HTML files, plus search index, sitemap, 404 and assets.
//! The only module that writes the output tree, and it writes it atomically.
//!
//! (Skeleton: writes bare pages; the site-generator work replaces this.)

pub mod search;

use std::path::Path;

use anyhow::Context as _;

use crate::{Outcome, content::Corpus, markdown::RenderedPage};

pub fn write(corpus: &Corpus, rendered: &[RenderedPage], out: &Path) -> anyhow::Result<Outcome> {
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let mut index = String::from("<!DOCTYPE html><title>help</title><ul>");
    for r in rendered {
        let page = &corpus.pages[r.page];
        let name = page.rel.replace('/', "_").replace(".md", ".html");
        std::fs::write(out.join(&name), &r.html)?;
        index.push_str(&format!("<li><a href=\"{name}\">{}</a>", page.front.title));
    }
    std::fs::write(out.join("index.html"), index)?;
    Ok(Outcome::Success)
}
