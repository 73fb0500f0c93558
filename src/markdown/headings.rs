//! The heading pass: gives every heading a stable, unique id (an explicit `{#id}` wins, else
//! [`slug`](super::slug)), adds a permalink, and lists the headings for the table of contents,
//! the link checker, the snippet test names and the search sections.

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use pulldown_cmark_escape::escape_html;

use super::{Heading, Located, slug::Slugger};

/// Where each heading sits in the Markdown: byte offsets of its start and of its last child.
#[derive(Debug, Clone, Copy)]
pub(super) struct Span {
    pub start: usize,
    pub end: usize,
}

/// Rewrites headings in `events`; returns the new events, the headings and their spans.
pub(super) fn pass(events: Vec<Located<'_>>) -> (Vec<Located<'_>>, Vec<Heading>, Vec<Span>) {
    let mut ids = assign_ids(&events).into_iter();
    let mut headings = Vec::new();
    let mut spans = Vec::new();
    let mut out = Vec::with_capacity(events.len());
    let mut current: Option<(u8, String, String, usize)> = None;
    // End events carry their start offset, so a heading's end is where its last child starts.
    let mut inner_end = 0;
    for (event, offset) in events {
        match event {
            Event::Start(Tag::Heading { level, classes, .. }) => {
                let (id, text) = ids.next().unwrap_or_default();
                let html = open_tag(&level.to_string(), &id, &classes.join(" "));
                out.push((Event::Html(CowStr::from(html)), offset));
                current = Some((level as u8, id, text, offset));
            }
            Event::End(TagEnd::Heading(level)) => {
                let Some((level_n, id, text, start)) = current.take() else {
                    continue;
                };
                let html = close_tag(&level.to_string(), &id);
                out.push((Event::Html(CowStr::from(html)), offset));
                headings.push(Heading {
                    level: level_n,
                    id,
                    text,
                });
                spans.push(Span {
                    start,
                    end: inner_end.max(start),
                });
            }
            event => {
                if current.is_some() {
                    inner_end = offset;
                }
                out.push((event, offset))
            }
        }
    }
    (out, headings, spans)
}

/// `<h2 id="ID" class="…">`.
fn open_tag(tag: &str, id: &str, classes: &str) -> String {
    let mut html = format!("<{tag} id=\"");
    let _ = escape_html(&mut html, id);
    if !classes.is_empty() {
        html.push_str("\" class=\"");
        let _ = escape_html(&mut html, classes);
    }
    html.push_str("\">");
    html
}

/// The permalink and `</h2>`. It is hidden from assistive technology and the tab order, so
/// the heading's accessible name is its text alone (the table of contents links every heading).
fn close_tag(tag: &str, id: &str) -> String {
    let mut html = String::from(" <a class=\"permalink\" href=\"#");
    let _ = escape_html(&mut html, id);
    html.push_str("\" aria-hidden=\"true\" tabindex=\"-1\">#</a></");
    html.push_str(tag);
    html.push_str(">\n");
    html
}

/// (id, plain text) per heading, in order: explicit ids claimed first, slugs around them.
fn assign_ids(events: &[Located<'_>]) -> Vec<(String, String)> {
    let mut slugs = Slugger::default();
    let explicit: Vec<Option<String>> = events
        .iter()
        .filter_map(|(e, _)| match e {
            Event::Start(Tag::Heading { id, .. }) => Some(id.as_ref().map(|id| id.to_string())),
            _ => None,
        })
        .collect();
    for id in explicit.iter().flatten() {
        slugs.claim(id);
    }
    let mut texts = Vec::new();
    let mut text: Option<String> = None;
    for (event, _) in events {
        match event {
            Event::Start(Tag::Heading { .. }) => text = Some(String::new()),
            Event::End(TagEnd::Heading(_)) => texts.push(text.take().unwrap_or_default()),
            Event::Text(t) | Event::Code(t) => {
                if let Some(text) = text.as_mut() {
                    text.push_str(t);
                }
            }
            _ => {}
        }
    }
    texts
        .into_iter()
        .zip(explicit)
        .map(|(text, id)| {
            let text = text.trim().to_string();
            (id.unwrap_or_else(|| slugs.slug(&text)), text)
        })
        .collect()
}
