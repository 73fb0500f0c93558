//! The dev server's fast path through the stages: an edit to one page's text re-reads and
//! re-renders that page only, checks its links, and writes its file (and "How this guide is
//! tested", when the page's snippets changed it) into the served folder in place. Anything
//! that could change another page (front matter, a new or removed file, a heading or link
//! another page may point at that no longer resolves, an input error) is left to a full
//! [`Site::build`](super::Site::build), which reports it the usual way.

use std::path::Path;

use crate::markdown::{self, RenderedPage};
use crate::{content, output};

use super::Site;

/// What the fast path changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Updated {
    /// Indexes (into the rendered pages) of the pages written again.
    pub pages: Vec<usize>,
}

impl Site {
    /// Applies an edit of `rel` (a path under `content/`) to this site, its `rendered` pages
    /// (the last build's, in page order) and its output in `out`. `Ok(None)`: the edit needs a
    /// full build (nothing was changed). Files the whole site makes (the print page, the search
    /// index) are not written: see `output::rewrite_site_files`.
    pub fn update_page(
        &mut self,
        rendered: &mut [RenderedPage],
        rel: &str,
        out: &Path,
    ) -> anyhow::Result<Option<Updated>> {
        let Some((page, warnings)) = content::reload(&self.corpus, rel) else {
            return Ok(None);
        };
        let Some(at) = self.corpus.pages.iter().position(|p| p.rel == rel) else {
            return Ok(None);
        };
        if rendered.get(at).is_none_or(|r| r.page != at) {
            return Ok(None);
        }
        let (fresh, errors) = markdown::render_checked(at, &page);
        if !errors.is_empty() {
            return Ok(None);
        }
        let old = std::mem::replace(&mut rendered[at], fresh);
        let new = &rendered[at];
        let same_targets = old.headings == new.headings && old.anchors == new.anchors;
        // The page keeps its path and URL, so the corpus resolves links as before.
        let links_hold = || output::broken_link_errors(&self.corpus, rendered).is_empty();
        if (!same_targets || old.links != new.links) && !links_hold() {
            rendered[at] = old;
            return Ok(None);
        }
        let source = page.source.clone();
        self.corpus.pages[at] = page;
        self.corpus.warnings.retain(|w| w.file != source);
        self.corpus.warnings.extend(warnings);
        let mut pages = vec![at];
        if let Some(marks) = &self.marks {
            let tested = self
                .corpus
                .pages
                .iter()
                .position(|p| p.rel == output::tested::REL && p.generated);
            let before = tested.and_then(|t| rendered.get(t)).map(|r| r.body.clone());
            output::tested::fill(&self.corpus, rendered, marks);
            if let Some(t) = tested.filter(|&t| rendered.get(t).map(|r| &r.body) != before.as_ref())
            {
                pages.push(t);
            }
        }
        output::rewrite_pages(&self.corpus, rendered, self.marks.as_ref(), out, &pages)?;
        Ok(Some(Updated { pages }))
    }

    /// Writes the files made from every page (404, print page, sitemap, search index) of the
    /// site in `out` again, from its `rendered` pages: after [`Site::update_page`]. Stops early,
    /// writing nothing, when `cancelled()` (returning `false`).
    pub fn update_site_files(
        &self,
        rendered: &[RenderedPage],
        out: &Path,
        cancelled: &(dyn Fn() -> bool + Sync),
    ) -> anyhow::Result<bool> {
        output::rewrite_site_files(&self.corpus, rendered, self.marks.as_ref(), out, cancelled)
    }
}
