//! Plain text per section, for the search index: the page cut at its headings, code blocks and
//! raw HTML left out, whitespace collapsed.

use pulldown_cmark::{Event, TagEnd};

use super::{Heading, Located, SectionText, headings::Span};

/// The sections of a page: the text before the first heading (id `""`), then one per heading.
/// `events` must be past the heading and code passes (code blocks are gone, headings are HTML).
pub(super) fn sections(
    events: &[Located<'_>],
    headings: &[Heading],
    spans: &[Span],
) -> Vec<SectionText> {
    let mut sections = vec![SectionText::default()];
    sections.extend(headings.iter().map(|h| SectionText {
        id: h.id.clone(),
        heading: h.text.clone(),
        text: String::new(),
    }));
    for (event, offset) in events {
        let at = spans.partition_point(|s| s.start <= *offset);
        if at > 0 && *offset <= spans[at - 1].end {
            continue; // inside a heading: its text is the section's `heading`
        }
        let text = &mut sections[at].text;
        match event {
            Event::Text(t) | Event::Code(t) => push_words(text, t),
            Event::SoftBreak | Event::HardBreak => push_words(text, " "),
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell) => {
                push_words(text, " ")
            }
            _ => {}
        }
    }
    for section in &mut sections {
        section.text.truncate(section.text.trim_end().len());
    }
    sections
}

/// Appends `words` to `text`, collapsing runs of whitespace to one space.
fn push_words(text: &mut String, words: &str) {
    for c in words.chars() {
        if c.is_whitespace() {
            if !text.is_empty() && !text.ends_with(' ') {
                text.push(' ');
            }
        } else {
            text.push(c);
        }
    }
}
