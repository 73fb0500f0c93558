//! The link checker, run after rendering and before anything is written: every internal link
//! and `#anchor` (same page, other pages, non-Markdown files) must lead somewhere. All broken
//! links are returned at once, in page order, each as
//! `content/page.md:LINE: broken link 'x.md#nope': no heading 'nope' in content/x.md`.

use std::collections::{HashMap, HashSet};

use super::search::PARTS;
use crate::content::{Corpus, InputError, Kind};
use crate::markdown::RenderedPage;
use crate::markdown::links::{is_external, resolve, split_fragment};

/// Every broken link of the site, as messages ready to print.
pub fn broken_links(corpus: &Corpus, rendered: &[RenderedPage]) -> Vec<String> {
    broken_link_errors(corpus, rendered)
        .iter()
        .map(ToString::to_string)
        .collect()
}

/// Every broken link of the site, as input errors (`content/a.md:LINE: broken link …`).
pub fn broken_link_errors(corpus: &Corpus, rendered: &[RenderedPage]) -> Vec<InputError> {
    let site = Targets::new(corpus, rendered);
    let mut broken = Vec::new();
    for r in rendered {
        let page = &corpus.pages[r.page];
        for link in &r.links {
            if let Err(why) = site.check(r.page, &page.rel, &link.target) {
                broken.push(InputError {
                    kind: Kind::Link,
                    file: page.source.clone(),
                    line: link.line,
                    column: 0,
                    message: format!("broken link '{}': {why}", link.target),
                });
            }
        }
    }
    broken
}

/// Content files that would be silently replaced by a file the build makes itself (the
/// theme's `static/…`, the highlighting stylesheet, the search index, the print page, the
/// sitemap): each an error naming both. A top-level `404.md` is the site's 404 page, not a
/// clash. `theme_assets` are the theme's output paths (`static/style.css`, …).
pub(super) fn clashes<'a>(
    corpus: &Corpus,
    theme_assets: impl Iterator<Item = &'a str>,
) -> Vec<InputError> {
    let mut generated: HashMap<String, String> = theme_assets
        .map(|a| (a.to_string(), format!("the theme's {a}")))
        .collect();
    for (path, what) in [
        ("static/highlight.css", "the highlighting stylesheet"),
        ("static/search-index.js", "the search index"),
        ("print.html", "the print page"),
        ("sitemap.xml", "the sitemap"),
    ] {
        generated.insert(path.into(), format!("{what} helpsite writes ({path})"));
    }
    let pages = corpus
        .pages
        .iter()
        .filter(|p| !p.generated)
        .map(|p| (p.url.as_str(), p.source.display().to_string()));
    let assets = corpus
        .assets
        .iter()
        .map(|a| (a.as_str(), format!("content/{a}")));
    pages
        .chain(assets)
        .filter_map(|(out, source)| {
            let parts = format!("the search index's parts helpsite writes ({PARTS}/)");
            let what = match generated.get(out) {
                Some(what) => what,
                None if out.starts_with(&format!("{PARTS}/")) => &parts,
                None => return None,
            };
            Some(InputError {
                kind: Kind::Clash,
                file: source.clone().into(),
                line: 0,
                column: 0,
                message: format!(
                    "would be written to {out}, which is {what}: one would silently replace \
                     the other; rename or move {source}"
                ),
            })
        })
        .collect()
}

/// `%20` → ` `: links are checked as the browser reads them.
fn decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

/// What links can point at.
struct Targets<'a> {
    /// Page index by `rel` and by output url.
    pages: HashMap<&'a str, usize>,
    /// `rel` of every page, by page index.
    rels: Vec<&'a str>,
    /// Heading ids by page index.
    ids: HashMap<usize, HashSet<&'a str>>,
    assets: HashSet<&'a str>,
    drafts: HashSet<&'a str>,
}

impl<'a> Targets<'a> {
    fn new(corpus: &'a Corpus, rendered: &'a [RenderedPage]) -> Targets<'a> {
        let mut pages = HashMap::new();
        for (i, page) in corpus.pages.iter().enumerate() {
            pages.insert(page.rel.as_str(), i);
            pages.insert(page.url.as_str(), i);
        }
        let ids = rendered
            .iter()
            .map(|r| {
                let headings = r.headings.iter().map(|h| h.id.as_str());
                (
                    r.page,
                    headings
                        .chain(r.anchors.iter().map(String::as_str))
                        .collect(),
                )
            })
            .collect();
        Targets {
            pages,
            rels: corpus.pages.iter().map(|p| p.rel.as_str()).collect(),
            ids,
            assets: corpus.assets.iter().map(String::as_str).collect(),
            drafts: corpus.drafts.iter().map(String::as_str).collect(),
        }
    }

    /// `Ok` if `target`, written on page `from` (`rel`), leads somewhere; else why not.
    fn check(&self, from: usize, rel: &str, target: &str) -> Result<(), String> {
        if is_external(target) {
            return Ok(());
        }
        let (path, fragment) = split_fragment(target);
        let fragment = fragment.map(decode);
        let fragment = fragment.as_deref();
        let path = decode(path.split('?').next().unwrap_or(path));
        if path.is_empty() {
            return self.check_anchor(from, rel, fragment);
        }
        let Some(file) = resolve(rel, &path) else {
            return Err("it points outside content/".into());
        };
        if let Some(&page) = self.page_at(&file) {
            return self.check_anchor(page, self.rels[page], fragment);
        }
        if self.assets.contains(file.as_str()) {
            return Ok(());
        }
        if self.drafts.contains(file.as_str()) {
            return Err(format!("content/{file} is a draft"));
        }
        let what = if file.ends_with(".md") {
            "page"
        } else {
            "file"
        };
        Err(format!("no {what} content/{file}"))
    }

    /// The page a resolved path names: a page's `rel` or output URL, or a folder (`guide`,
    /// `guide/`) whose own page is `_index.md`, `README.md` or `index.md`.
    fn page_at(&self, file: &str) -> Option<&usize> {
        self.pages.get(file).or_else(|| {
            let folder = file.trim_end_matches('/');
            let folder = if folder.is_empty() {
                String::new()
            } else {
                format!("{folder}/")
            };
            ["_index.md", "README.md", "index.md", "index.html"]
                .iter()
                .find_map(|own| self.pages.get(format!("{folder}{own}").as_str()))
        })
    }

    fn check_anchor(&self, page: usize, rel: &str, fragment: Option<&str>) -> Result<(), String> {
        let Some(fragment) = fragment.filter(|f| !f.is_empty()) else {
            return Ok(());
        };
        if self
            .ids
            .get(&page)
            .is_some_and(|ids| ids.contains(fragment))
        {
            return Ok(());
        }
        Err(format!("no heading '{fragment}' in content/{rel}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::content::{FrontMatter, Page};
    use crate::markdown::render;

    fn site(pages: &[(&str, &str)], assets: &[&str]) -> Vec<String> {
        let pages: Vec<Page> = pages
            .iter()
            .map(|(rel, body)| Page::new(rel, FrontMatter::default(), body.to_string(), 1))
            .collect();
        let rendered: Vec<_> = pages
            .iter()
            .enumerate()
            .map(|(i, p)| render(i, p).unwrap())
            .collect();
        let corpus = Corpus {
            root: ".".into(),
            config: Config::default(),
            pages,
            assets: assets.iter().map(|a| a.to_string()).collect(),
            drafts: vec!["old.md".into()],
            errors: vec![],
            warnings: vec![],
        };
        broken_links(&corpus, &rendered)
    }

    #[test]
    fn good_links_pass() {
        let broken = site(
            &[
                (
                    "a.md",
                    "## Here\n[1](#here) [2](b/c.md#there) [3](pic.png) [4](https://x.example/y.md) [5](b/c.html)\n",
                ),
                (
                    "b/c.md",
                    "## There\n[up](../a.md#here) [abs](/a.md) [mail](mailto:a@b.example) [self](c.md)\n",
                ),
            ],
            &["pic.png"],
        );
        assert!(broken.is_empty(), "{broken:?}");
    }

    #[test]
    fn every_broken_link_is_reported_with_its_line() {
        let broken = site(
            &[
                ("a.md", "[1](#nope)\n\n[2](b.md)\n[3](old.md) [4](x.png)\n"),
                ("c.md", "[5](a.md#gone)\n"),
            ],
            &[],
        );
        assert_eq!(
            broken,
            [
                "content/a.md:1: broken link '#nope': no heading 'nope' in content/a.md",
                "content/a.md:3: broken link 'b.md': no page content/b.md",
                "content/a.md:4: broken link 'old.md': content/old.md is a draft",
                "content/a.md:4: broken link 'x.png': no file content/x.png",
                "content/c.md:1: broken link 'a.md#gone': no heading 'gone' in content/a.md",
            ]
        );
    }

    #[test]
    fn raw_html_anchors_encoded_links_folders_and_queries() {
        let broken = site(
            &[
                (
                    "a.md",
                    "<a id=\"top\"></a>\n\n<a name='old-anchor'></a>\n\n<h3 id=\"raw\">Raw</h3>\n\n\
                     ## Caf\u{e9} time\n\n[1](#top) [2](#old-anchor) [3](g/b.md#raw-2) \
                     [4](#caf%C3%A9-time) [5](g/) [6](g) [7](m/) [8](g/b.md?x=1#raw-2) \
                     [9](/a.html#raw) [10](@/g/b.md) [11](my%20file.png)\n",
                ),
                ("g/_index.md", "# G\n"),
                ("g/b.md", "<span id=\"raw-2\">x</span>\n"),
                ("m/README.md", "# M\n"),
            ],
            &["my file.png"],
        );
        assert!(broken.is_empty(), "{broken:?}");
    }

    #[test]
    fn raw_html_links_and_queries_are_checked_too() {
        let broken = site(
            &[(
                "a.md",
                "<a href=\"gone.md\">x</a> <img src=\"none.png\">\n\n[q](b.md?v=1) [r](/b.html)\n",
            )],
            &[],
        );
        assert_eq!(
            broken,
            [
                "content/a.md:1: broken link 'gone.md': no page content/gone.md",
                "content/a.md:1: broken link 'none.png': no file content/none.png",
                "content/a.md:3: broken link 'b.md?v=1': no page content/b.md",
                "content/a.md:3: broken link '/b.html': no file content/b.html",
            ]
        );
    }

    #[test]
    fn content_under_the_search_parts_folder_clashes() {
        let corpus = Corpus {
            root: ".".into(),
            config: Config::default(),
            pages: vec![],
            assets: vec![
                "static/search/s0.js".into(),
                "static/searchlight.png".into(),
            ],
            drafts: vec![],
            errors: vec![],
            warnings: vec![],
        };
        let errors = clashes(&corpus, std::iter::empty());
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].message.contains("search index's parts"),
            "{}",
            errors[0].message
        );
    }
}
