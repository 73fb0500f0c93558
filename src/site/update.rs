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
        let snippets_changed = old.snippets != rendered[at].snippets;
        let source = page.source.clone();
        self.corpus.pages[at] = page;
        self.corpus.warnings.retain(|w| w.file != source);
        self.corpus.warnings.extend(warnings);
        let mut pages = vec![at];
        // "How this guide is tested" lists every snippet: only its rows can have changed.
        if let Some(marks) = self.marks.as_ref().filter(|_| snippets_changed) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::verify::Marks;
    use crate::site::Built;

    fn write(root: &Path, rel: &str, text: &str) {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn site(root: &Path) -> Site {
        Site::load(root).unwrap().with_verification(Marks::none())
    }

    #[test]
    fn the_fast_path_writes_what_a_full_build_writes() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "helpsite.toml", "title = \"T\"\n");
        write(
            root,
            "content/_index.md",
            "# Home\n\nSee [the fix](guide/fix.md#push).\n",
        );
        let fix =
            "+++\ntitle = \"Fix\"\n+++\n# Fix\n\n## Push\n\n```console\n$ echo one\none\n```\n";
        write(root, "content/guide/fix.md", fix);
        let (fast, full) = (root.join("fast"), root.join("full"));
        let mut served = site(root);
        let (built, mut rendered) = served.build_keeping(&fast, None).unwrap();
        assert!(matches!(built, Built::Site(_)));
        // New text and a new snippet, same front matter and headings.
        let edited = fix.replace(
            "one\n```",
            "one\n```\n\nAnd more words.\n\n```console\n$ echo two\ntwo\n```",
        );
        write(root, "content/guide/fix.md", &edited);
        let updated = served
            .update_page(&mut rendered, "guide/fix.md", &fast)
            .unwrap()
            .expect("a text edit takes the fast path");
        assert_eq!(
            updated.pages.len(),
            2,
            "the page and How this guide is tested"
        );
        assert!(
            served
                .update_site_files(&rendered, &fast, &|| false)
                .unwrap()
        );
        assert!(matches!(
            site(root).build(&full, None).unwrap(),
            Built::Site(_)
        ));
        for file in [
            "guide/fix.html",
            "how-this-guide-is-tested.html",
            "index.html",
            "print.html",
            "static/search-index.js",
        ] {
            let read = |dir: &Path| std::fs::read_to_string(dir.join(file)).unwrap();
            assert_eq!(read(&fast), read(&full), "{file}");
        }
        assert!(
            std::fs::read_to_string(fast.join("guide/fix.html"))
                .unwrap()
                .contains("more words")
        );
    }

    #[test]
    fn an_edit_that_breaks_a_link_is_left_to_a_full_build() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(
            root,
            "content/_index.md",
            "# Home\n\nSee [push](guide/fix.md#push).\n",
        );
        write(root, "content/guide/fix.md", "# Fix\n\n## Push\n");
        let out = root.join("out");
        let mut served = site(root);
        let (_, mut rendered) = served.build_keeping(&out, None).unwrap();
        let before = std::fs::read_to_string(out.join("guide/fix.html")).unwrap();
        write(root, "content/guide/fix.md", "# Fix\n\n## Pushing\n");
        let update = served
            .update_page(&mut rendered, "guide/fix.md", &out)
            .unwrap();
        assert_eq!(update, None);
        assert_eq!(
            std::fs::read_to_string(out.join("guide/fix.html")).unwrap(),
            before
        );
        // A cancelled update of the site files writes nothing.
        assert!(!served.update_site_files(&rendered, &out, &|| true).unwrap());
    }
}
