//! Links: collect every link and image target with its source line (for the link checker), and
//! rewrite links to Markdown files (`other.md#x`, as they work on a code host) into links to the
//! rendered pages (`other.html#x`). Pages keep their folder layout, so only the file name
//! changes and relative links stay relative.

use std::sync::LazyLock;

use pulldown_cmark::{CowStr, Event, Tag};
use regex::Regex;

use super::{Link, Located};
use crate::content::url_for;

/// Collects and rewrites the links in `events`.
pub(crate) fn pass<'a>(
    events: Vec<Located<'a>>,
    page_rel: &str,
    line_at: impl Fn(usize) -> usize,
) -> (Vec<Located<'a>>, Vec<Link>) {
    let mut links = Vec::new();
    let out = events
        .into_iter()
        .map(|(event, offset)| {
            let (Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. })) = &event
            else {
                return (event, offset);
            };
            let target = dest_url.to_string();
            links.push(Link {
                target,
                line: line_at(offset),
            });
            (rewrite_link(event, page_rel), offset)
        })
        .collect();
    (out, links)
}

static RAW_LINK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?is)<(?:a|img|link|script|source|iframe)\b[^>]*?\s(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)')"#)
        .expect("valid regex")
});
static RAW_ID: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?is)<[a-z][a-z0-9]*\b[^>]*?\s(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)')"#)
        .expect("valid regex")
});

/// The links (`<a href>`, `<img src>`, …) and anchors (`id=`, `name=`) of the raw HTML the
/// author wrote in the page. Run on the parser's events, before other passes add their HTML.
pub(crate) fn raw_html(
    events: &[Located<'_>],
    line_at: impl Fn(usize) -> usize,
) -> (Vec<Link>, Vec<String>) {
    let (mut links, mut ids) = (Vec::new(), Vec::new());
    for (event, offset) in events {
        let (Event::Html(html) | Event::InlineHtml(html)) = event else {
            continue;
        };
        let value = |c: regex::Captures<'_>| {
            c.get(1)
                .or(c.get(2))
                .map_or(String::new(), |m| m.as_str().to_string())
        };
        for target in RAW_LINK.captures_iter(html).map(value) {
            if !target.is_empty() {
                links.push(Link {
                    target: unescape(&target),
                    line: line_at(*offset),
                });
            }
        }
        ids.extend(
            RAW_ID
                .captures_iter(html)
                .map(value)
                .map(|id| unescape(&id)),
        );
    }
    (links, ids)
}

/// The few entities an attribute value commonly holds.
fn unescape(value: &str) -> String {
    value
        .replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
}

/// A link event with its Markdown target replaced by the rendered page's URL.
fn rewrite_link<'a>(event: Event<'a>, page_rel: &str) -> Event<'a> {
    match event {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let dest_url = rewrite(&dest_url, page_rel).map_or(dest_url, CowStr::from);
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            })
        }
        event => event,
    }
}

/// Whether a link leaves the site (`https:`, `mailto:`, `//host`).
pub(crate) fn is_external(target: &str) -> bool {
    if target.starts_with("//") {
        return true;
    }
    let scheme_end = target.find(':');
    let path_start = target.find(['/', '?', '#']).unwrap_or(target.len());
    scheme_end.is_some_and(|colon| colon < path_start && colon > 0)
}

/// `(path, fragment)` of a link: `a.md#x` → (`a.md`, Some(`x`)).
pub(crate) fn split_fragment(target: &str) -> (&str, Option<&str>) {
    match target.split_once('#') {
        Some((path, fragment)) => (path, Some(fragment)),
        None => (target, None),
    }
}

/// The file a link points at, relative to `content/` (`guide/x.md`), or `None` if it climbs
/// out of `content/`. `/x.md` is taken from the content root.
pub(crate) fn resolve(page_rel: &str, path: &str) -> Option<String> {
    let path = path.split('?').next().unwrap_or(path);
    // Zola's `@/guide/x.md`: from the content root.
    let path = path
        .strip_prefix('@')
        .filter(|p| p.starts_with('/'))
        .unwrap_or(path);
    let (base, path) = match path.strip_prefix('/') {
        Some(abs) => ("", abs),
        None => (crate::content::folder_of(page_rel), path),
    };
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    Some(parts.join("/"))
}

/// The rewritten href for a link to a Markdown file, or `None` to keep it as written.
fn rewrite(target: &str, page_rel: &str) -> Option<String> {
    if is_external(target) {
        return None;
    }
    let (path, fragment) = split_fragment(target);
    let (path, query) = match path.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (path, None),
    };
    if !path.ends_with(".md") {
        return None;
    }
    let path = path
        .strip_prefix('@')
        .filter(|p| p.starts_with('/'))
        .unwrap_or(path);
    let href = match path.strip_prefix('/') {
        Some(abs) => {
            let depth = crate::content::folder_of(page_rel)
                .split('/')
                .filter(|p| !p.is_empty());
            "../".repeat(depth.count()) + &url_for(abs)
        }
        None => url_for(path),
    };
    let href = match query {
        Some(query) => format!("{href}?{query}"),
        None => href,
    };
    Some(match fragment {
        Some(fragment) => format!("{href}#{fragment}"),
        None => href,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn external_links() {
        assert!(is_external("https://example.com/a.md"));
        assert!(is_external("mailto:a@example.com"));
        assert!(is_external("//cdn.example.com/x"));
        assert!(!is_external("a.md#x:y"));
        assert!(!is_external("../a.md"));
    }

    #[test]
    fn rewrites_markdown_links_only() {
        assert_eq!(
            rewrite("other.md#x", "guide/a.md").as_deref(),
            Some("other.html#x")
        );
        assert_eq!(
            rewrite("../_index.md", "guide/a.md").as_deref(),
            Some("../index.html")
        );
        assert_eq!(
            rewrite("/guide/b.md", "guide/deep/a.md").as_deref(),
            Some("../../guide/b.html")
        );
        assert_eq!(
            rewrite("@/guide/b.md#x", "guide/deep/a.md").as_deref(),
            Some("../../guide/b.html#x")
        );
        assert_eq!(
            rewrite("b.md?v=2#x", "a.md").as_deref(),
            Some("b.html?v=2#x")
        );
        assert_eq!(rewrite("img.png", "a.md"), None);
        assert_eq!(rewrite("#here", "a.md"), None);
        assert_eq!(rewrite("https://x.example/a.md", "a.md"), None);
    }

    #[test]
    fn resolves_relative_paths() {
        assert_eq!(resolve("guide/a.md", "../b.md").as_deref(), Some("b.md"));
        assert_eq!(
            resolve("guide/a.md", "./c/d.md").as_deref(),
            Some("guide/c/d.md")
        );
        assert_eq!(resolve("guide/a.md", "/x.md").as_deref(), Some("x.md"));
        assert_eq!(resolve("a.md", "../../etc/passwd"), None);
        assert_eq!(resolve("g/a.md", "@/x/y.md").as_deref(), Some("x/y.md"));
        assert_eq!(resolve("g/a.md", "y.md?q=1").as_deref(), Some("g/y.md"));
    }
}
