//! The sidebar navigation. The section tree is built once. A page carries, inline, only what
//! does not grow with the site: the breadcrumbs, the start page and the top-level entry on the
//! way to the page (its section expanded, down to the page). The rest of the top level comes
//! from one shared script, `static/nav-data.js` ([`Nav::shared_script`], read by the theme's
//! `static/nav.js`), which works from `file://`; without JavaScript the page's own section and
//! breadcrumbs still work. So a page's bytes stay the same however many sections the site has.

use std::collections::HashMap;

use pulldown_cmark_escape::{escape_href, escape_html_body_text};

use crate::content::{Corpus, folder_of};

/// The section tree of a corpus, in reading order.
#[derive(Debug)]
pub(super) struct Nav {
    folders: HashMap<String, Folder>,
    /// Title and url of every page, by page index.
    pages: Vec<(String, String)>,
    /// Folder of every page, by page index.
    folder_of: Vec<String>,
}

#[derive(Debug, Default)]
struct Folder {
    /// The section's own page (`_index.md`).
    index: Option<usize>,
    /// Its title: the `_index.md` title, else the folder's name.
    title: String,
    children: Vec<Child>,
}

#[derive(Debug)]
enum Child {
    Page(usize),
    Folder(String),
    /// A part title from mdBook's SUMMARY.md (top level only): a heading, not a link.
    Part(String),
}

impl Nav {
    /// Builds the tree from pages already in reading order.
    pub(super) fn new(corpus: &Corpus) -> Nav {
        let mut nav = Nav {
            folders: HashMap::new(),
            pages: Vec::new(),
            folder_of: Vec::new(),
        };
        nav.folders.insert(String::new(), Folder::default());
        for (i, page) in corpus.pages.iter().enumerate() {
            let folder = folder_of(&page.rel).to_string();
            if let (Some(part), Some(top)) = (&page.part, nav.folders.get_mut("")) {
                top.children.push(Child::Part(part.clone()));
            }
            nav.register(&folder);
            let entry = nav.folders.entry(folder.clone()).or_default();
            if page.is_index {
                entry.index = Some(i);
                if !folder.is_empty() {
                    entry.title = page.front.title.clone();
                }
            } else {
                entry.children.push(Child::Page(i));
            }
            nav.pages.push((page.front.title.clone(), page.url.clone()));
            nav.folder_of.push(folder);
        }
        nav
    }

    /// Adds `folder` and its ancestors, each as a child of its parent, in first-seen order.
    fn register(&mut self, folder: &str) {
        if self.folders.contains_key(folder) {
            return;
        }
        let name = folder.rsplit('/').next().unwrap_or(folder).to_string();
        self.folders.insert(
            folder.to_string(),
            Folder {
                title: name,
                ..Folder::default()
            },
        );
        let parent = folder_of(folder).to_string();
        self.register(&parent);
        if let Some(p) = self.folders.get_mut(&parent) {
            p.children.push(Child::Folder(folder.to_string()));
        }
    }

    /// The inline nav of page `current` (`None`: a page outside the tree, like 404), with
    /// hrefs prefixed by `root` (`../` per folder level of the page being written): the
    /// breadcrumbs, the start page and, marked `data-nav="N"` (its place in the top level), the
    /// top-level entry that holds the page.
    pub(super) fn html(&self, current: Option<usize>, root: &str) -> String {
        let open = current.map_or("", |i| self.folder_of[i].as_str());
        let mut html = String::with_capacity(4 * 1024);
        self.push_breadcrumbs(&mut html, current, root);
        html.push_str("<ul class=\"nav\" data-root=\"");
        let _ = escape_href(&mut html, root);
        html.push_str("\">");
        if let Some(home) = self.folders.get("").and_then(|f| f.index) {
            self.push_link(&mut html, home, current, root);
        }
        let top = self.folders.get("").map_or(&[][..], |f| &f.children[..]);
        for (n, child) in top.iter().enumerate() {
            let holds = match child {
                Child::Page(i) => current == Some(*i),
                Child::Folder(f) => open == f || open.starts_with(&format!("{f}/")),
                Child::Part(_) => false,
            };
            if !holds {
                continue;
            }
            let mut item = String::new();
            match child {
                Child::Page(i) => self.push_link(&mut item, *i, current, root),
                Child::Folder(sub) => self.push_section(&mut item, sub, open, current, root),
                Child::Part(_) => {}
            }
            html.push_str(&item.replacen("<li", &format!("<li data-nav=\"{n}\""), 1));
        }
        html.push_str("</ul>");
        html
    }

    /// `Start › Section › Page` for a page below the top level.
    fn push_breadcrumbs(&self, html: &mut String, current: Option<usize>, root: &str) {
        let Some(page) = current else { return };
        let folder = self.folder_of[page].as_str();
        if folder.is_empty() {
            return;
        }
        html.push_str("<ol class=\"breadcrumbs\" aria-label=\"You are here\">");
        let crumb = |html: &mut String, link: Option<usize>, title: &str| {
            html.push_str("<li>");
            match link {
                Some(i) if Some(i) != current => self.push_anchor(html, i, None, root),
                _ => {
                    let _ = escape_html_body_text(&mut *html, title);
                }
            }
            html.push_str("</li>");
        };
        let home = self.folders.get("").and_then(|f| f.index);
        crumb(html, home, "Start");
        let mut path = String::new();
        for part in folder.split('/') {
            if !path.is_empty() {
                path.push('/');
            }
            path.push_str(part);
            if let Some(f) = self.folders.get(&path) {
                crumb(html, f.index, &f.title);
            }
        }
        if self.folders.get(folder).and_then(|f| f.index) != Some(page) {
            crumb(html, None, &self.pages[page].0);
        }
        html.push_str("</ol>");
    }

    /// `static/nav-data.js`: the top level as `[title, url, is_section]` entries (url `""` for a
    /// section without its own page), in the order `data-nav` numbers them.
    pub(super) fn shared_script(&self) -> String {
        let top = self.folders.get("").map_or(&[][..], |f| &f.children[..]);
        let entries: Vec<(&str, &str, bool)> = top
            .iter()
            .map(|child| match child {
                Child::Page(i) => (self.pages[*i].0.as_str(), self.pages[*i].1.as_str(), false),
                Child::Folder(f) => {
                    let folder = &self.folders[f];
                    let url = folder.index.map_or("", |i| self.pages[i].1.as_str());
                    (folder.title.as_str(), url, true)
                }
                // nav.js shows an entry without url and section flag as a plain title.
                Child::Part(title) => (title.as_str(), "", false),
            })
            .collect();
        let json = serde_json::to_string(&entries).expect("serializing strings");
        let json = json
            .replace('\u{2028}', "\\u2028")
            .replace('\u{2029}', "\\u2029")
            .replace("</", "<\\/");
        format!("var HELPSITE_NAV = {json};\n")
    }

    fn push_children(
        &self,
        html: &mut String,
        folder: &str,
        open: &str,
        current: Option<usize>,
        root: &str,
    ) {
        let Some(f) = self.folders.get(folder) else {
            return;
        };
        for child in &f.children {
            match child {
                Child::Page(i) => self.push_link(html, *i, current, root),
                Child::Folder(sub) => self.push_section(html, sub, open, current, root),
                Child::Part(_) => {}
            }
        }
    }

    fn push_section(
        &self,
        html: &mut String,
        folder: &str,
        open: &str,
        current: Option<usize>,
        root: &str,
    ) {
        let Some(f) = self.folders.get(folder) else {
            return;
        };
        let expanded = open == folder || open.starts_with(&format!("{folder}/"));
        html.push_str(if expanded {
            "<li class=\"nav-section open\">"
        } else {
            "<li class=\"nav-section\">"
        });
        match f.index {
            Some(i) => self.push_anchor(html, i, current, root),
            None => {
                html.push_str("<span class=\"nav-section-title\">");
                let _ = escape_html_body_text(&mut *html, &f.title);
                html.push_str("</span>");
            }
        }
        if expanded {
            html.push_str("<ul>");
            self.push_children(html, folder, open, current, root);
            html.push_str("</ul>");
        }
        html.push_str("</li>");
    }

    fn push_link(&self, html: &mut String, page: usize, current: Option<usize>, root: &str) {
        html.push_str("<li>");
        self.push_anchor(html, page, current, root);
        html.push_str("</li>");
    }

    fn push_anchor(&self, html: &mut String, page: usize, current: Option<usize>, root: &str) {
        let (title, url) = &self.pages[page];
        html.push_str("<a href=\"");
        let _ = escape_href(&mut *html, root);
        let _ = escape_href(&mut *html, url);
        html.push_str(if current == Some(page) {
            "\" aria-current=\"page\">"
        } else {
            "\">"
        });
        let _ = escape_html_body_text(&mut *html, title);
        html.push_str("</a>");
    }
}

/// `../` once per folder level of `url` (`guide/deep/x.html` → `../../`).
pub(super) fn root_prefix(url: &str) -> String {
    "../".repeat(url.matches('/').count())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::content::Page;

    fn corpus(rels: &[&str]) -> Corpus {
        let pages = rels
            .iter()
            .map(|r| Page::new(r, Default::default(), String::new(), 1))
            .collect();
        Corpus {
            root: ".".into(),
            config: Config::default(),
            pages,
            assets: vec![],
            drafts: vec![],
            errors: vec![],
            warnings: vec![],
        }
    }

    #[test]
    fn only_the_current_sections_are_expanded() {
        let c = corpus(&[
            "_index.md",
            "a/_index.md",
            "a/x.md",
            "b/_index.md",
            "b/y.md",
            "b/c/z.md",
        ]);
        let nav = Nav::new(&c);
        let html = nav.html(Some(5), "../../");
        assert!(
            html.contains("<a href=\"../../b/c/z.html\" aria-current=\"page\">z</a>"),
            "{html}"
        );
        assert!(
            html.contains("href=\"../../b/y.html\""),
            "b is open: {html}"
        );
        assert!(!html.contains("a/x.html"), "a is closed: {html}");
        assert!(
            html.contains("<span class=\"nav-section-title\">c</span>"),
            "{html}"
        );
        assert_eq!(root_prefix("b/c/z.html"), "../../");
        assert_eq!(root_prefix("index.html"), "");
    }

    #[test]
    fn the_top_level_is_shared_and_the_page_keeps_its_section() {
        let c = corpus(&["_index.md", "top.md", "a/_index.md", "a/x.md", "b/y.md"]);
        let nav = Nav::new(&c);
        assert_eq!(
            nav.shared_script(),
            "var HELPSITE_NAV = [[\"top\",\"top.html\",false],[\"a\",\"a/index.html\",true],[\"b\",\"\",true]];\n"
        );
        let html = nav.html(Some(4), "../");
        assert!(
            html.contains("<li data-nav=\"2\" class=\"nav-section open\">"),
            "{html}"
        );
        assert!(!html.contains("top.html") && !html.contains("a/"), "{html}");
        assert!(
            html.starts_with("<ol class=\"breadcrumbs\" aria-label=\"You are here\"><li><a href=\"../index.html\">Home</a></li><li>b</li><li>y</li></ol><ul class=\"nav\" data-root=\"../\">"),
            "{html}"
        );
        let html = nav.html(Some(1), "");
        assert!(
            html.contains("<li data-nav=\"0\"><a href=\"top.html\" aria-current=\"page\">"),
            "{html}"
        );
        assert!(!html.contains("breadcrumbs"), "{html}");
    }
}
