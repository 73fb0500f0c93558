//! Markdown → HTML for one page: the only place pulldown-cmark options are set. Produces the
//! page's HTML, its headings (for the table of contents and anchors), its links (for the link
//! checker) and its snippets (for the test harness), all from one parse. The work is done by
//! separate passes over the event list: headings (ids, permalinks), alerts, code blocks
//! (snippets, highlighting, console transcripts), links (collection, `.md` rewriting), and the
//! plain text per section for search.

mod alerts;
pub(crate) mod body;
mod code;
mod console;
mod contrast;
mod headings;
pub(crate) mod highlight;
pub(crate) mod links;
pub(crate) mod slug;
mod text;

use pulldown_cmark::{Event, Options, Parser};

pub use body::{Body, Part};

use crate::content::Page;
use crate::snippets::{self, Snippet};

/// An event with the byte offset in the page body where it starts; what the passes hand on.
type Located<'a> = (Event<'a>, usize);

/// One rendered page: what the output stage and the snippet harness both consume.
#[derive(Debug, Clone)]
pub struct RenderedPage {
    /// Index into `Corpus::pages`.
    pub page: usize,
    /// The body as HTML with holes for the marks (no layout; the templates wrap it).
    pub body: Body,
    /// Headings in order, with their (deduplicated) ids.
    pub headings: Vec<Heading>,
    /// Every link target in the body (Markdown and raw HTML `href`/`src`), with its source
    /// line, for the link checker.
    pub links: Vec<Link>,
    /// Anchors from the raw HTML the author wrote (`<a id>`, `<a name>`, `<h3 id>`); heading
    /// ids are in `headings`.
    pub anchors: Vec<String>,
    /// Every fenced code block, classified. Same values the harness runs.
    pub snippets: Vec<Snippet>,
    /// The page's plain text cut at its headings, for the search index. The first entry holds
    /// the text before the first heading (id `""`, heading = the page title is up to the caller).
    pub sections: Vec<SectionText>,
    /// Whether the body has its own `# h1` (else the template shows the title as the h1).
    pub has_h1: bool,
}

/// Plain text of one part of a page: from a heading to the next heading.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SectionText {
    /// The heading's id (`""` for the text before the first heading).
    pub id: String,
    /// The heading's plain text (`""` before the first heading).
    pub heading: String,
    /// The text under the heading, whitespace-collapsed, code blocks excluded.
    pub text: String,
}

/// A heading of the page, for the table of contents, anchors and search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// 1 for `#`, …, 6 for `######`.
    pub level: u8,
    /// Its id, unique on the page (`fix-it`, then `fix-it-1`).
    pub id: String,
    /// Plain text of the heading.
    pub text: String,
}

/// A link target in the body, for the link checker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The href as written in the Markdown (`other.md#anchor`, `#here`, `https://…`).
    pub target: String,
    /// 1-based line in the page's source file.
    pub line: usize,
}

/// The pulldown-cmark options every page is parsed with.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_GFM
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders one page: parse once, run the passes, write the HTML. The first malformed fence
/// is the error; [`render_checked`] gives them all.
pub fn render(index: usize, page: &Page) -> Result<RenderedPage, snippets::FenceError> {
    let (rendered, errors) = render_checked(index, page);
    match errors.into_iter().next() {
        Some(err) => Err(err),
        None => Ok(rendered),
    }
}

/// Renders one page and lists every malformed fence in it (their blocks are left out of the
/// HTML; headings and links are all there, so links are still checked).
pub fn render_checked(index: usize, page: &Page) -> (RenderedPage, Vec<snippets::FenceError>) {
    let line_of = page_line_index(page);
    let events: Vec<Located<'_>> = Parser::new_ext(&page.body, options())
        .into_offset_iter()
        .map(|(event, range)| (body::scrub_nul(event), range.start))
        .collect();
    let (raw_links, anchors) = links::raw_html(&events, &line_of);
    let (events, headings, spans) = headings::pass(events);
    let events = alerts::pass(events);
    let section_at = |offset: usize| {
        let at = spans.partition_point(|s| s.start <= offset);
        at.checked_sub(1)
            .map_or(String::new(), |i| headings[i].id.clone())
    };
    let (events, snippets, errors) = code::pass(events, page, section_at);
    let (events, mut links) = links::pass(events, &page.rel, &line_of);
    links.extend(raw_links);
    links.sort_by_key(|link| link.line);
    let sections = text::sections(&events, &headings, &spans);
    let mut html = String::with_capacity(page.body.len() * 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter().map(|(event, _)| event));
    if let Some(day) = &page.front.updated {
        html.push_str("<p class=\"page-updated\">Last updated <time datetime=\"");
        let _ = pulldown_cmark_escape::escape_html(&mut html, day);
        html.push_str("\">");
        let _ = pulldown_cmark_escape::escape_html_body_text(&mut html, day);
        html.push_str("</time></p>\n");
    }
    let has_h1 = headings.iter().any(|h| h.level == 1);
    let rendered = RenderedPage {
        page: index,
        body: Body::parse(&html),
        headings,
        links,
        anchors,
        snippets,
        sections,
        has_h1,
    };
    (rendered, errors)
}

/// Maps a byte offset in `body` to a 1-based line of the source file.
pub fn line_index(body: &str, first_line: usize) -> impl Fn(usize) -> usize + '_ {
    let starts: Vec<usize> = std::iter::once(0)
        .chain(body.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    move |offset| first_line + starts.partition_point(|&s| s <= offset) - 1
}

/// [`line_index`] for a page, through its include line map when `{{#include}}` expanded it (an
/// included line is reported at its directive's line).
fn page_line_index(page: &Page) -> impl Fn(usize) -> usize + '_ {
    let plain = line_index(&page.body, 0);
    move |offset| {
        let i = plain(offset);
        match &page.line_map {
            Some(map) => map.get(i).copied().unwrap_or(page.body_line + i),
            None => page.body_line + i,
        }
    }
}

#[cfg(test)]
mod tests;
