//! Reading one page again after its file changed (the dev server's fast path), exactly as
//! [`super::load`] reads it: front matter, `{{#include}}` expansion, shortcode warnings, the
//! site's snippet policy. Only an edit that leaves the site's shape alone qualifies; anything
//! else (a new or removed file, changed front matter, an error) is for a full load.

use super::{Corpus, Page, Warning};

/// `rel`'s page read again, when the change keeps everything but the page's own text: same
/// file set, same front matter (so the same title, order, URL and template) and no input
/// error. `None`: load the whole site instead. The warnings are the page's own, to replace
/// the ones the corpus holds for its file.
pub(crate) fn reload(corpus: &Corpus, rel: &str) -> Option<(Page, Vec<Warning>)> {
    let at = corpus.pages.iter().position(|p| p.rel == rel)?;
    let old = &corpus.pages[at];
    if old.generated || !corpus.errors.is_empty() {
        return None;
    }
    let path = corpus.root.join("content").join(rel);
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let mut page = super::read::load_page(&path, rel, &mut errors).ok()??;
    let root = corpus.root.canonicalize().ok()?;
    super::read::expand_page(&mut page, &path, &root, &mut errors, &mut warnings);
    if !errors.is_empty() || page.front != old.front || page.url != old.url {
        return None;
    }
    page.policy = old.policy.clone();
    page.part = old.part.clone();
    Some((page, warnings))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (rel, text) in files {
            let path = dir.path().join("content").join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    #[test]
    fn an_edited_body_is_read_again_as_a_full_load_reads_it() {
        let dir = site(&[
            ("_index.md", "# Home\n"),
            (
                "a.md",
                "+++\ntitle = \"A\"\n+++\none\n{{#include part.txt}}\n",
            ),
            ("part.txt", "included\n"),
        ]);
        let corpus = super::super::load(dir.path()).unwrap();
        let a = dir.path().join("content/a.md");
        std::fs::write(&a, "+++\ntitle = \"A\"\n+++\ntwo\n{{#include part.txt}}\n").unwrap();
        let (page, _) = reload(&corpus, "a.md").expect("a body edit qualifies");
        let full = super::super::load(dir.path()).unwrap();
        let expected = full.pages.iter().find(|p| p.rel == "a.md").unwrap();
        assert_eq!(page.body, expected.body);
        assert_eq!(page.line_map, expected.line_map);
        assert_eq!(
            (page.url, page.front),
            (expected.url.clone(), expected.front.clone())
        );
    }

    #[test]
    fn a_change_to_the_sites_shape_needs_a_full_load() {
        let dir = site(&[
            ("_index.md", "# Home\n"),
            ("a.md", "+++\ntitle = \"A\"\n+++\n"),
        ]);
        let corpus = super::super::load(dir.path()).unwrap();
        let a = dir.path().join("content/a.md");
        for text in [
            "+++\ntitle = \"B\"\n+++\n",
            "+++\ntitle = \"A\"\nweight = 3\n+++\n",
            "+++\ntitle = \"A\"\n",
            "+++\ntitle = \"A\"\n+++\n{{#include missing.txt}}\n",
        ] {
            std::fs::write(&a, text).unwrap();
            assert!(reload(&corpus, "a.md").is_none(), "{text:?}");
        }
        std::fs::remove_file(&a).unwrap();
        assert!(reload(&corpus, "a.md").is_none(), "removed");
        assert!(
            reload(&corpus, "new.md").is_none(),
            "not a page of the site"
        );
    }
}
