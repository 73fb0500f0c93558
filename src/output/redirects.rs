//! Redirect pages: a page's `aliases` (Zola's and Hugo's old URLs) and, for a page with a
//! `slug`, the URL its file name would have given it (so `x.md` links still land). Each is a
//! small HTML file that sends the reader on, relative, so it works from `file://` too.

use std::collections::HashMap;
use std::path::Path;

use anyhow::{Context as _, bail};

use crate::content::{Corpus, url_for};

/// Every redirect of the site: (output path, target page's URL, the page's source).
pub(super) fn list(corpus: &Corpus) -> anyhow::Result<Vec<(String, String, String)>> {
    let mut taken: HashMap<String, String> = corpus
        .pages
        .iter()
        .map(|p| (p.url.clone(), p.source.display().to_string()))
        .chain(
            corpus
                .assets
                .iter()
                .map(|a| (a.clone(), format!("content/{a}"))),
        )
        .collect();
    let mut out = Vec::new();
    for page in &corpus.pages {
        let source = page.source.display().to_string();
        let natural = url_for(&page.rel);
        let from_slug = (natural != page.url).then_some(natural);
        let aliases = page.front.aliases.iter().filter_map(|a| alias_path(a));
        for path in from_slug.into_iter().chain(aliases) {
            if let Some(other) = taken.insert(path.clone(), source.clone()) {
                if other == source {
                    continue;
                }
                bail!(
                    "{source}: its alias or slug would write {path}, which {other} already \
                     writes: remove one"
                );
            }
            out.push((path, page.url.clone(), source.clone()));
        }
    }
    Ok(out)
}

/// The output file of an alias: `/old/page/` → `old/page/index.html`, `old.html` as is.
fn alias_path(alias: &str) -> Option<String> {
    let path = alias.split(['?', '#']).next()?.trim_matches('/');
    if path.is_empty() || path.split('/').any(|part| part == "..") {
        return None;
    }
    Some(match path.rsplit('/').next() {
        Some(last) if last.contains('.') => path.to_string(),
        _ => format!("{path}/index.html"),
    })
}

/// Writes every redirect page under `dir`.
pub(super) fn write(dir: &Path, redirects: &[(String, String, String)]) -> anyhow::Result<()> {
    for (path, target, _) in redirects {
        let href = format!("{}{target}", "../".repeat(path.matches('/').count()));
        let href = escape(&href);
        let html = format!(
            "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
             <title>Moved</title><meta http-equiv=\"refresh\" content=\"0; url={href}\">\
             <link rel=\"canonical\" href=\"{href}\"></head>\n<body><p>This page moved to \
             <a href=\"{href}\">{href}</a>.</p></body></html>\n"
        );
        let file = dir.join(path);
        if let Some(parent) = file.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("creating {}", parent.display()))?;
        }
        std::fs::write(&file, html).with_context(|| format!("writing {}", file.display()))?;
    }
    Ok(())
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let _ = pulldown_cmark_escape::escape_html(&mut out, text);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alias_paths() {
        assert_eq!(
            alias_path("/old/page/").as_deref(),
            Some("old/page/index.html")
        );
        assert_eq!(alias_path("old.html").as_deref(), Some("old.html"));
        assert_eq!(alias_path("/"), None);
        assert_eq!(alias_path("../up"), None);
    }
}
