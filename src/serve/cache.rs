//! The dev server's render cache: a page whose source is unchanged since the last build is not
//! rendered again (Markdown parsing and highlighting are most of a build's time). Keyed by the
//! page's path, checked by a hash of everything rendering reads (the whole `Page`).

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash as _, Hasher as _};
use std::sync::{Arc, Mutex, PoisonError};

use rayon::prelude::*;

use crate::content::{Corpus, Page};
use crate::markdown::{self, RenderedPage};

/// Shared by the builder's clones; cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct RenderCache {
    pages: Arc<Mutex<HashMap<String, (u64, RenderedPage)>>>,
}

impl RenderCache {
    /// Renders every page of `corpus`, reusing the last build's result for unchanged pages.
    /// The cache then holds exactly this build's pages. Returns (pages, how many were rendered).
    pub fn render(&self, corpus: &Corpus) -> anyhow::Result<(Vec<RenderedPage>, usize)> {
        let keys: Vec<u64> = corpus.pages.par_iter().map(key).collect();
        let mut cache = self.pages.lock().unwrap_or_else(PoisonError::into_inner);
        let known = &*cache;
        let results: Result<Vec<(RenderedPage, bool)>, _> = corpus
            .pages
            .par_iter()
            .enumerate()
            .map(|(i, page)| match known.get(&page.rel) {
                Some((k, r)) if *k == keys[i] => Ok((
                    RenderedPage {
                        page: i,
                        ..r.clone()
                    },
                    false,
                )),
                _ => markdown::render(i, page).map(|r| (r, true)),
            })
            .collect();
        let results = results?;
        let fresh = results.iter().filter(|(_, fresh)| *fresh).count();
        let rendered: Vec<RenderedPage> = results.into_iter().map(|(r, _)| r).collect();
        *cache = corpus
            .pages
            .iter()
            .zip(keys)
            .zip(&rendered)
            .map(|((page, k), r)| (page.rel.clone(), (k, r.clone())))
            .collect();
        Ok((rendered, fresh))
    }
}

/// A hash of everything `markdown::render` reads from a page.
fn key(page: &Page) -> u64 {
    let mut hasher = DefaultHasher::new();
    format!("{page:?}").hash(&mut hasher);
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn corpus(bodies: &[(&str, &str)]) -> Corpus {
        let dir = tempfile::tempdir().unwrap();
        for (rel, body) in bodies {
            let path = dir.path().join("content").join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, body).unwrap();
        }
        crate::content::load(dir.path()).unwrap()
    }

    #[test]
    fn only_changed_pages_are_rendered_again() {
        let cache = RenderCache::default();
        let first = corpus(&[("a.md", "# A\n\none\n"), ("b.md", "# B\n\ntwo\n")]);
        let (pages, fresh) = cache.render(&first).unwrap();
        assert_eq!((pages.len(), fresh), (first.pages.len(), first.pages.len()));
        let second = corpus(&[("a.md", "# A\n\none\n"), ("b.md", "# B\n\nchanged\n")]);
        let (pages, fresh) = cache.render(&second).unwrap();
        assert_eq!(fresh, 1);
        let b = pages
            .iter()
            .find(|r| second.pages[r.page].rel == "b.md")
            .unwrap();
        assert!(b.html.contains("changed"), "{}", b.html);
        for (i, r) in pages.iter().enumerate() {
            assert_eq!(r.page, i);
        }
    }
}
