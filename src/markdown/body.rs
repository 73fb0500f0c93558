//! A rendered page body as parts: HTML, and the holes the output stage fills from the test
//! report when it builds the page's render context: where a snippet's id goes, its status
//! slot, the placeholders of its transcript, and the page's one-line summary of marks.
//! Rendering never reads the report, so a rendered page stays valid (and cacheable) while the
//! marks change; the output stage composes the final HTML from the parts without searching it.
//!
//! While rendering, the holes travel through pulldown-cmark's HTML writer as NUL-delimited
//! tokens (`\0i3\0`, `\0s3\0…\0e\0`, `\0p[SHA7]\0…\0e\0`) that [`Body::parse`] turns into
//! [`Part`]s. A NUL can come from nowhere else: [`scrub_nul`] replaces any in the page's own
//! text with U+FFFD, as CommonMark requires.

use pulldown_cmark::{CowStr, Event};

/// A page body: HTML with holes, in order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Body {
    /// The parts in document order.
    pub parts: Vec<Part>,
}

/// One part of a [`Body`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// HTML as written.
    Html(String),
    /// Where the page's summary of marks goes: after a leading `<h1>`, else at the start.
    Summary,
    /// Shown snippet `n` (its index in `RenderedPage::snippets`) opens here; the attribute
    /// `id="s-NAME" ` goes here when the snippet has a mark.
    Id(usize),
    /// Shown snippet `n`'s status slot, holding what it says without a report.
    Status(usize, String),
    /// A placeholder (`[SHA7]`, …) of the transcript of the snippet whose status came last.
    Placeholder {
        /// The token as written in the transcript: `[SHA7]`.
        token: String,
        /// Its HTML when nothing fills it.
        html: String,
    },
}

/// The token that opens snippet `n`'s id hole.
pub(crate) fn id_token(n: usize) -> String {
    format!("\0i{n}\0")
}

/// The token that opens snippet `n`'s status hole (closed by [`END`]).
pub(crate) fn status_token(n: usize) -> String {
    format!("\0s{n}\0")
}

/// The token that opens a placeholder hole for `token` (closed by [`END`]).
pub(crate) fn placeholder_token(token: &str) -> String {
    format!("\0p{token}\0")
}

/// Closes a status or placeholder hole.
pub(crate) const END: &str = "\0e\0";

impl Body {
    /// A body with no holes.
    pub fn from_html(html: String) -> Body {
        Body {
            parts: vec![Part::Html(html)],
        }
    }

    /// Splits rendered HTML with hole tokens into parts, putting [`Part::Summary`] after a
    /// leading `<h1>…</h1>` (or first). A malformed token is kept as text: it cannot occur
    /// (the page's own NULs are scrubbed), and the page must still render if it did.
    pub(crate) fn parse(html: &str) -> Body {
        let mut parts = Vec::new();
        let summary_at = after_leading_h1(html);
        let (head, tail) = html.split_at(summary_at);
        push_html(&mut parts, head);
        parts.push(Part::Summary);
        let mut pieces = tail.split('\0');
        if let Some(first) = pieces.next() {
            push_html(&mut parts, first);
        }
        // After the first piece, pieces alternate: token, text, token, text, …
        let mut open: Option<Part> = None;
        while let Some(token) = pieces.next() {
            let text = pieces.next().unwrap_or_default();
            match (token, open.take()) {
                ("e", Some(Part::Status(n, inner))) => {
                    parts.push(Part::Status(n, inner));
                    push_html(&mut parts, text);
                }
                ("e", Some(Part::Placeholder { token, html })) => {
                    parts.push(Part::Placeholder { token, html });
                    push_html(&mut parts, text);
                }
                (t, None) if t.starts_with('i') && t[1..].parse::<usize>().is_ok() => {
                    parts.push(Part::Id(t[1..].parse().unwrap_or_default()));
                    push_html(&mut parts, text);
                }
                (t, None) if t.starts_with('s') && t[1..].parse::<usize>().is_ok() => {
                    open = Some(Part::Status(
                        t[1..].parse().unwrap_or_default(),
                        text.to_string(),
                    ));
                }
                (t, None) if t.starts_with('p') => {
                    open = Some(Part::Placeholder {
                        token: t[1..].to_string(),
                        html: text.to_string(),
                    });
                }
                (t, still_open) => {
                    // Not a token of ours: keep the text, drop the NULs.
                    if let Some(part) = still_open {
                        parts.push(part);
                    }
                    push_html(&mut parts, t);
                    push_html(&mut parts, text);
                }
            }
        }
        if let Some(part) = open {
            parts.push(part);
        }
        Body { parts }
    }

    /// The HTML without a report: holes as rendering left them (no ids, no summary).
    pub fn plain(&self) -> String {
        let mut html = String::new();
        for part in &self.parts {
            match part {
                Part::Html(text) | Part::Status(_, text) => html.push_str(text),
                Part::Placeholder { html: text, .. } => html.push_str(text),
                Part::Summary | Part::Id(_) => {}
            }
        }
        html
    }
}

/// Appends `text` as HTML, merging it into the HTML part before it.
fn push_html(parts: &mut Vec<Part>, text: &str) {
    if text.is_empty() {
        return;
    }
    match parts.last_mut() {
        Some(Part::Html(html)) => html.push_str(text),
        _ => parts.push(Part::Html(text.to_string())),
    }
}

/// Where a body's own leading `<h1>…</h1>` ends, else 0.
fn after_leading_h1(html: &str) -> usize {
    let start = html.len() - html.trim_start().len();
    if !html[start..].starts_with("<h1") {
        return 0;
    }
    html[start..]
        .find("</h1>")
        .map_or(0, |end| start + end + "</h1>".len())
}

/// Replaces every NUL in the text an event carries with U+FFFD (CommonMark's rule), so the
/// only NULs in the rendered HTML are the hole tokens.
pub(crate) fn scrub_nul(event: Event<'_>) -> Event<'_> {
    fn clean(s: CowStr<'_>) -> CowStr<'_> {
        if s.contains('\0') {
            CowStr::from(s.replace('\0', "\u{FFFD}"))
        } else {
            s
        }
    }
    match event {
        Event::Text(s) => Event::Text(clean(s)),
        Event::Code(s) => Event::Code(clean(s)),
        Event::Html(s) => Event::Html(clean(s)),
        Event::InlineHtml(s) => Event::InlineHtml(clean(s)),
        Event::InlineMath(s) => Event::InlineMath(clean(s)),
        Event::DisplayMath(s) => Event::DisplayMath(clean(s)),
        Event::FootnoteReference(s) => Event::FootnoteReference(clean(s)),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holes_become_parts() {
        let html = format!(
            "<h1>T</h1><div {}data-snippet=\"x\"><span>{}not run{}</span><code>a {}<b>[SHA7]</b>{} z</code></div>",
            id_token(2),
            status_token(2),
            END,
            placeholder_token("[SHA7]"),
            END
        );
        let body = Body::parse(&html);
        assert_eq!(
            body.parts,
            vec![
                Part::Html("<h1>T</h1>".into()),
                Part::Summary,
                Part::Html("<div ".into()),
                Part::Id(2),
                Part::Html("data-snippet=\"x\"><span>".into()),
                Part::Status(2, "not run".into()),
                Part::Html("</span><code>a ".into()),
                Part::Placeholder {
                    token: "[SHA7]".into(),
                    html: "<b>[SHA7]</b>".into()
                },
                Part::Html(" z</code></div>".into()),
            ]
        );
        assert_eq!(
            body.plain(),
            "<h1>T</h1><div data-snippet=\"x\"><span>not run</span><code>a <b>[SHA7]</b> z</code></div>"
        );
    }

    #[test]
    fn summary_goes_first_without_a_leading_h1() {
        let body = Body::parse("<p>x</p><h1>late</h1>");
        assert_eq!(body.parts[0], Part::Summary);
    }

    #[test]
    fn stray_nuls_are_text_not_holes() {
        for (html, plain) in [
            ("a\0b", "ab"),
            ("\0zz\0c", "zzc"),
            ("\0s1\0never closed", "never closed"),
            ("\0e\0", "e"),
            ("\0ix\0y", "ixy"),
        ] {
            assert_eq!(Body::parse(html).plain(), plain, "{html:?}");
        }
    }
}
