//! The code-block pass: every fenced block becomes a [`Snippet`] (the same value the test
//! harness runs) and is replaced by its HTML: a `<div class="snippet" data-snippet="NAME">`
//! with a label, a verification slot, a copy button and the highlighted code. `hidden`
//! snippets are kept for the harness but not shown.

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Tag, TagEnd};
use pulldown_cmark_escape::{escape_html, escape_html_body_text};

use super::{Located, body, console, highlight};
use crate::content::Page;
use crate::snippets::{FenceError, Origin, Snippet, SnippetKind};

/// Replaces the code blocks in `events`. `section_at(offset)` is the id of the heading above.
pub(super) fn pass<'a>(
    events: Vec<Located<'a>>,
    page: &Page,
    section_at: impl Fn(usize) -> String,
) -> (Vec<Located<'a>>, Vec<Snippet>, Vec<FenceError>) {
    let test_prefix = page.test_prefix();
    let origin = Origin {
        file: &page.source,
        test_prefix: &test_prefix,
        body: &page.body,
        body_line: page.body_line,
        line_starts: page.line_starts(),
        policy: &page.policy,
    };
    let mut out = Vec::with_capacity(events.len());
    let mut snippets = Vec::new();
    let mut errors = Vec::new();
    let mut open: Option<(String, usize, String)> = None;
    // The place of each block among the blocks under its heading: `LANG_N` in test names.
    let (mut last_section, mut place) = (None::<String>, 0);
    // Snippets are classified against the body's own lines (the fence line is read back from
    // it); on a page `{{#include}}` expanded, those are then mapped to the file's lines.
    let body_line_at = super::line_index(&page.body, page.body_line);
    let to_file = |line: usize| match &page.line_map {
        Some(map) => line
            .checked_sub(page.body_line)
            .and_then(|i| map.get(i).copied())
            .unwrap_or(line),
        None => line,
    };
    for (event, offset) in events {
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let info = match kind {
                    CodeBlockKind::Fenced(info) => info.to_string(),
                    CodeBlockKind::Indented => "text".to_string(),
                };
                open = Some((info, offset, String::new()));
            }
            Event::Text(text) if open.is_some() => {
                if let Some((_, _, code)) = open.as_mut() {
                    code.push_str(&text);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                let Some((info, start, code)) = open.take() else {
                    continue;
                };
                let section = section_at(start);
                place = if last_section.as_ref() == Some(&section) {
                    place + 1
                } else {
                    1
                };
                let snippet = match Snippet::from_block(
                    &origin,
                    &section,
                    place,
                    &info,
                    code,
                    body_line_at(start),
                ) {
                    Ok(mut snippet) => {
                        snippet.line = to_file(snippet.line);
                        snippet
                    }
                    Err(mut err) => {
                        err.line = to_file(err.line);
                        // The page is not written while it has errors: collect them all.
                        errors.push(err);
                        last_section = Some(section);
                        continue;
                    }
                };
                last_section = Some(section);
                if !snippet.attrs.hidden {
                    let html = snippet_html(&snippet, snippets.len());
                    out.push((Event::Html(CowStr::from(html)), start));
                }
                snippets.push(snippet);
            }
            event => out.push((event, offset)),
        }
    }
    (out, snippets, errors)
}

/// The HTML of snippet `n` of its page, with the holes its marks go in (see [`body`]).
fn snippet_html(snippet: &Snippet, n: usize) -> String {
    // The hole tokens are the only NULs the page may hold (see `body::scrub_nul`).
    let text = snippet.display().replace('\0', "\u{FFFD}");
    let mut html = String::with_capacity(text.len() * 3 + 400);
    html.push_str("<div class=\"snippet snippet-");
    html.push_str(kind_class(&snippet.kind));
    html.push_str("\" ");
    html.push_str(&body::id_token(n));
    html.push_str("data-snippet=\"");
    let _ = escape_html(&mut html, &snippet.test_name);
    html.push_str("\"><div class=\"snippet-bar\"><span class=\"snippet-label\">");
    let label = match &snippet.kind {
        SnippetKind::File { path } => {
            html.push_str("written to ");
            path.as_str()
        }
        _ => snippet.lang.as_str(),
    };
    let _ = escape_html_body_text(&mut html, label);
    html.push_str("</span><span class=\"snippet-status\">");
    html.push_str(&body::status_token(n));
    if let Some(reason) = not_run_reason(snippet) {
        html.push_str("not run: ");
        let _ = escape_html_body_text(&mut html, reason);
    } else if is_example(snippet) {
        html.push_str("example, not run");
    }
    html.push_str(body::END);
    html.push_str("</span><button type=\"button\" class=\"copy\" hidden>Copy</button></div>");
    // Focusable and named, so a keyboard can scroll a wide block (it scrolls inside itself).
    html.push_str("<pre class=\"code\" tabindex=\"0\" role=\"group\" aria-label=\"");
    let _ = escape_html(&mut html, label);
    html.push_str(" code\"><code>");
    html.push_str(&code_html(snippet, &text));
    html.push_str("</code></pre></div>\n");
    html
}

fn code_html(snippet: &Snippet, text: &str) -> String {
    match &snippet.kind {
        SnippetKind::Console { .. } => console::render(text),
        SnippetKind::Text if !is_example(snippet) => escaped(text),
        _ => highlight::highlight(&snippet.lang, text)
            .map_or_else(|| escaped(text), |h| h.to_string()),
    }
}

fn escaped(text: &str) -> String {
    let mut html = String::with_capacity(text.len() + 16);
    let _ = escape_html_body_text(&mut html, text);
    html
}

fn kind_class(kind: &SnippetKind) -> &'static str {
    match kind {
        SnippetKind::Console { .. } => "console",
        SnippetKind::Script => "script",
        SnippetKind::Python => "python",
        SnippetKind::Run { .. } => "run",
        SnippetKind::File { .. } => "file",
        SnippetKind::Ignored { .. } => "ignored",
        SnippetKind::Text => "text",
    }
}

/// A block of a `display_only` language: shown highlighted, never run.
fn is_example(snippet: &Snippet) -> bool {
    snippet.kind == SnippetKind::Text && snippet.lang != "text"
}

/// Why a snippet is not run, for the verification slot (issue 6 fills in run results).
fn not_run_reason(snippet: &Snippet) -> Option<&str> {
    match (&snippet.kind, &snippet.attrs.ignore) {
        (_, Some(reason)) => Some(reason),
        (SnippetKind::Ignored { reason }, None) => Some(reason),
        _ => None,
    }
}
