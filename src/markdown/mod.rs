//! Markdown → HTML for one page: the only place pulldown-cmark options are set. Produces the
//! page's HTML, its headings (for the table of contents and anchors), its links (for the link
//! checker) and its snippets (for the test harness), all from one parse.

pub mod slug;

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::content::Page;
use crate::snippets::{self, Snippet};

/// One rendered page: what the output stage and the snippet harness both consume.
#[derive(Debug, Clone)]
pub struct RenderedPage {
    /// Index into `Corpus::pages`.
    pub page: usize,
    /// The body as HTML (no layout; the templates wrap it).
    pub html: String,
    /// Headings in order, with their (deduplicated) ids.
    pub headings: Vec<Heading>,
    /// Every link target in the body, with its source line, for the link checker.
    pub links: Vec<Link>,
    /// Every fenced code block, classified. Same values the harness runs.
    pub snippets: Vec<Snippet>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    /// Plain text of the heading.
    pub text: String,
}

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

/// Renders one page. (Minimal version: the site-generator work adds highlighting, alerts,
/// heading anchors, link rewriting; the snippet work fills in `Snippet`.)
pub fn render(index: usize, page: &Page) -> Result<RenderedPage, snippets::FenceError> {
    let line_of = line_index(&page.body, page.body_line);
    let mut slugs = slug::Slugger::default();
    let mut headings = Vec::new();
    let mut links = Vec::new();
    let mut snippets = Vec::new();
    let mut section = String::new();
    let mut events = Vec::new();
    let mut heading: Option<(u8, String)> = None;
    let mut code: Option<(String, usize, String)> = None;
    for (event, range) in Parser::new_ext(&page.body, options()).into_offset_iter() {
        match &event {
            Event::Start(Tag::Heading { level, .. }) => {
                heading = Some((level_u8(*level), String::new()))
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, text)) = heading.take() {
                    let id = slugs.slug(&text);
                    section = id.clone();
                    headings.push(Heading { level, id, text });
                }
            }
            Event::Text(t) | Event::Code(t) if heading.is_some() => {
                heading.as_mut().expect("checked").1.push_str(t)
            }
            Event::Start(Tag::Link { dest_url, .. }) => links.push(Link {
                target: dest_url.to_string(),
                line: line_of(range.start),
            }),
            Event::Start(Tag::CodeBlock(kind)) => {
                let info = match kind {
                    CodeBlockKind::Fenced(info) => info.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((info, line_of(range.start), String::new()));
                continue;
            }
            Event::Text(t) if code.is_some() => {
                code.as_mut().expect("checked").2.push_str(t);
                continue;
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((info, line, text)) = code.take() {
                    let snippet =
                        Snippet::from_block(page, &section, snippets.len(), &info, text, line)?;
                    events.push(Event::Html(code_html(&snippet).into()));
                    snippets.push(snippet);
                }
                continue;
            }
            _ => {}
        }
        events.push(event);
    }
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    Ok(RenderedPage {
        page: index,
        html,
        headings,
        links,
        snippets,
    })
}

/// A code block as HTML. (Minimal: no highlighting yet.)
fn code_html(snippet: &Snippet) -> String {
    let mut html = format!("<pre><code class=\"language-{}\">", snippet.lang);
    pulldown_cmark_escape::escape_html(&mut html, &snippet.display()).expect("writing to a String");
    html.push_str("</code></pre>\n");
    html
}

fn level_u8(level: HeadingLevel) -> u8 {
    level as u8
}

/// Maps a byte offset in `body` to a 1-based line of the source file.
pub fn line_index(body: &str, first_line: usize) -> impl Fn(usize) -> usize + '_ {
    let starts: Vec<usize> = std::iter::once(0)
        .chain(body.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    move |offset| first_line + starts.partition_point(|&s| s <= offset) - 1
}
