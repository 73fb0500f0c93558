//! The alert pass: GitHub alerts (`> [!NOTE]`, `[!TIP]`, `[!IMPORTANT]`, `[!WARNING]`,
//! `[!CAUTION]`), which pulldown-cmark reports as block quotes with a kind, become titled boxes.
//! Plain block quotes stay block quotes.

use pulldown_cmark::{BlockQuoteKind, CowStr, Event, Tag, TagEnd};

use super::Located;

/// Rewrites alert block quotes in `events`.
pub(super) fn pass(events: Vec<Located<'_>>) -> Vec<Located<'_>> {
    events
        .into_iter()
        .map(|(event, offset)| match event {
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let (class, title) = names(kind);
                let html = format!(
                    "<div class=\"alert alert-{class}\" role=\"note\">\
                     <p class=\"alert-title\">{title}</p>\n"
                );
                (Event::Html(CowStr::from(html)), offset)
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => {
                (Event::Html(CowStr::Borrowed("</div>\n")), offset)
            }
            event => (event, offset),
        })
        .collect()
}

fn names(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    }
}
