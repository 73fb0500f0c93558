//! The render cache: a page whose source is unchanged since the last build is not rendered
//! again (Markdown parsing and highlighting are most of a build's time). `helpsite serve` keeps
//! one across rebuilds. Keyed by the page's path, checked by a hash of the whole `Page` (derived).

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash as _, Hasher as _};
use std::sync::{Arc, Mutex, PoisonError};

use rayon::prelude::*;

use crate::content::{Corpus, Page};
use crate::markdown::{self, RenderedPage};
use crate::snippets::FenceError;

/// Rendered pages by path, shared by its clones; cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct RenderCache {
    pages: Arc<Mutex<HashMap<String, (u64, RenderedPage)>>>,
}

impl RenderCache {
    /// Renders every page of `corpus` (as `markdown::render_checked`: each page with its fence
    /// errors), reusing the last build's result for unchanged pages. The cache then holds
    /// exactly this build's pages that rendered without errors. Also says how many were
    /// rendered afresh.
    pub fn render(&self, corpus: &Corpus) -> (Vec<(RenderedPage, Vec<FenceError>)>, usize) {
        let keys: Vec<u64> = corpus.pages.par_iter().map(key).collect();
        let mut cache = self.pages.lock().unwrap_or_else(PoisonError::into_inner);
        let known = &*cache;
        let results: Vec<((RenderedPage, Vec<FenceError>), bool)> = corpus
            .pages
            .par_iter()
            .enumerate()
            .map(|(i, page)| match known.get(&page.rel) {
                Some((k, r)) if *k == keys[i] => {
                    let r = RenderedPage {
                        page: i,
                        ..r.clone()
                    };
                    ((r, Vec::new()), false)
                }
                _ => (markdown::render_checked(i, page), true),
            })
            .collect();
        let fresh = results.iter().filter(|(_, fresh)| *fresh).count();
        *cache = corpus
            .pages
            .iter()
            .zip(keys)
            .zip(&results)
            .filter(|(_, ((_, errors), _))| errors.is_empty())
            .map(|((page, k), ((r, _), _))| (page.rel.clone(), (k, r.clone())))
            .collect();
        (results.into_iter().map(|(r, _)| r).collect(), fresh)
    }
}

/// A hash of the whole page (`#[derive(Hash)]` on `Page`, so a field added to it is in the key
/// by itself): everything `markdown::render` reads is in it.
fn key(page: &Page) -> u64 {
    let mut hasher = DefaultHasher::new();
    page.hash(&mut hasher);
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
        let (pages, fresh) = cache.render(&first);
        assert_eq!((pages.len(), fresh), (first.pages.len(), first.pages.len()));
        let second = corpus(&[("a.md", "# A\n\none\n"), ("b.md", "# B\n\nchanged\n")]);
        let (pages, fresh) = cache.render(&second);
        let pages: Vec<RenderedPage> = pages.into_iter().map(|(r, _)| r).collect();
        assert_eq!(fresh, 1);
        let b = pages
            .iter()
            .find(|r| second.pages[r.page].rel == "b.md")
            .unwrap();
        assert!(b.body.plain().contains("changed"));
        for (i, r) in pages.iter().enumerate() {
            assert_eq!(r.page, i);
        }
    }

    #[test]
    fn the_key_covers_the_whole_page_but_not_its_line_index() {
        let page = corpus(&[("a.md", "+++\ntitle = \"A\"\nicon = 3\n+++\none\n")]).pages[0].clone();
        let before = key(&page);
        let _ = page.line_text(4);
        assert_eq!(key(&page), before, "the line index is made from the body");
        let mut other = page.clone();
        other
            .front
            .extra
            .0
            .insert("icon".into(), serde_json::json!(4));
        assert_ne!(key(&other), before, "front matter's extra keys");
        let mut other = page.clone();
        other.body.push('x');
        assert_ne!(key(&other), before, "the body");
        let mut other = page.clone();
        std::sync::Arc::make_mut(&mut other.policy)
            .display_only
            .push("x".into());
        assert_ne!(key(&other), before, "the snippet policy");
    }
}
