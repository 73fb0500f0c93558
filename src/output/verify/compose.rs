//! A page body with its marks: the rendered [`Body`]'s holes filled from the [`Marks`] when the
//! output stage builds the page's render context. Each shown snippet gets the id its entry on
//! "How this guide is tested" links to and its badge in its status slot; a verified
//! transcript's placeholders show what the recorded run printed; and the page opens with one
//! line counting its snippets by mark.

use crate::markdown::{Part, RenderedPage};
use crate::snippets::{Snippet, SnippetKind};

use super::mark::escape;
use super::{Mark, Marks, TESTED_URL, entry_id, run_date, snippet_id};

/// The HTML of `page`'s body: with its marks when there are `marks`, else as rendered.
pub(crate) fn body(page: &RenderedPage, marks: Option<&Marks>) -> String {
    let Some(marks) = marks else {
        return page.body.plain();
    };
    let snippets = &page.snippets;
    // The mark of each snippet that is shown and is a test (plain text has none).
    let shown: Vec<Option<Mark>> = snippets
        .iter()
        .map(|s| match s.attrs.hidden {
            true => None,
            false => marks.mark(s, &s.hash()),
        })
        .collect();
    let root = snippets.first().map(root_of).unwrap_or_default();
    let parts = &page.body.parts;
    let mut html = String::with_capacity(parts.iter().map(part_len).sum::<usize>() + 1024);
    // The values of the placeholders of the block being written, when they are to be filled.
    let mut fill: Option<std::vec::IntoIter<String>> = None;
    for (i, part) in parts.iter().enumerate() {
        match part {
            Part::Html(text) => html.push_str(text),
            Part::Summary => {
                let mut counted = shown.iter().flatten().peekable();
                if counted.peek().is_some() {
                    html.push_str(&summary(marks, counted, &root));
                }
            }
            Part::Id(n) => {
                fill = None;
                if let (Some(Some(_)), Some(s)) = (shown.get(*n), snippets.get(*n)) {
                    html.push_str(&format!("id=\"{}\" ", snippet_id(&s.test_name)));
                }
            }
            Part::Status(n, default) => match (shown.get(*n), snippets.get(*n)) {
                // Ignored snippets already say "not run: REASON" (markdown::code).
                (Some(Some(mark)), Some(s)) if !ignored(s) => {
                    html.push_str(&badge(marks, s, mark));
                    if matches!(mark, Mark::Verified { .. } | Mark::Reproduced { .. }) {
                        fill = placeholder_values(marks, s, placeholders_after(parts, i));
                    }
                }
                _ => html.push_str(default),
            },
            Part::Placeholder {
                token,
                html: unfilled,
            } => match fill.as_mut().and_then(Iterator::next) {
                Some(value) => html.push_str(&format!(
                    "<span class=\"filled\" title=\"{} in the recorded run\">{}</span>",
                    escape(token),
                    escape(&value)
                )),
                None => html.push_str(unfilled),
            },
        }
    }
    html
}

fn part_len(part: &Part) -> usize {
    match part {
        Part::Html(text) | Part::Status(_, text) => text.len(),
        Part::Placeholder { html, .. } => html.len(),
        Part::Summary | Part::Id(_) => 0,
    }
}

fn ignored(s: &Snippet) -> bool {
    s.attrs.ignore.is_some() || matches!(s.kind, SnippetKind::Ignored { .. })
}

/// How many placeholders the block whose status is `parts[at]` shows (up to the next snippet).
fn placeholders_after(parts: &[Part], at: usize) -> usize {
    parts[at + 1..]
        .iter()
        .take_while(|p| !matches!(p, Part::Id(_)))
        .filter(|p| matches!(p, Part::Placeholder { .. }))
        .count()
}

/// What the recorded run printed in place of each of `snippet`'s `count` placeholders (see
/// `filled`). Only when every placeholder of the block has a value: a partial fill would
/// mislead.
fn placeholder_values(
    marks: &Marks,
    snippet: &Snippet,
    count: usize,
) -> Option<std::vec::IntoIter<String>> {
    let SnippetKind::Console { commands } = &snippet.kind else {
        return None;
    };
    let outputs = marks.entry(&snippet.test_name)?.output.as_ref()?;
    if outputs.len() != commands.len() {
        return None;
    }
    let values: Vec<String> = commands
        .iter()
        .zip(outputs)
        .filter_map(|(command, output)| super::super::filled::values(&command.expected, output))
        .flatten()
        .collect();
    (count > 0 && values.len() == count).then(|| values.into_iter())
}

/// A snippet's badge: its mark linked to its entry on "How this guide is tested", saying so in
/// words when the run went without the sandbox. Also what `helpsite serve` sends live.
pub(crate) fn badge(marks: &Marks, snippet: &Snippet, mark: &Mark) -> String {
    let href = format!(
        "{}{TESTED_URL}#{}",
        root_of(snippet),
        entry_id(&snippet.test_name)
    );
    let mut badge = mark.link(&href);
    if marks.unsandboxed() && mark.ran() {
        let at = badge.len() - "</a>".len();
        badge.insert_str(
            at,
            "<span class=\"snippet-mark-note\"> (ran without the sandbox)</span>",
        );
    }
    badge
}

/// `../` per folder between the site root and the page of `snippet` (its URL mirrors its
/// source path: `content/guide/fix.md` → `guide/fix.html`).
fn root_of(snippet: &Snippet) -> String {
    let depth = snippet.file.components().count().saturating_sub(2);
    "../".repeat(depth)
}

/// One line for the top of a page: how many of its snippets are in which state, from which
/// run, with a link to "How this guide is tested".
fn summary<'a>(marks: &Marks, shown: impl Iterator<Item = &'a Mark>, root: &str) -> String {
    let shown: Vec<&Mark> = shown.collect();
    let count = |class: &str| shown.iter().filter(|m| m.class() == class).count();
    let parts: Vec<String> = [
        ("verified", "with output as shown", "with output as shown"),
        ("reproduced", "error reproduced", "errors reproduced"),
        ("failing", "failing", "failing"),
        (
            "not-run",
            "not verified or not run",
            "not verified or not run",
        ),
        ("running", "running now", "running now"),
    ]
    .into_iter()
    .filter_map(|(class, one, many)| match count(class) {
        0 => None,
        1 => Some(format!("1 {one}")),
        n => Some(format!("{n} {many}")),
    })
    .collect();
    let run = match marks.report() {
        Some(r) => format!(
            " (run of {} with git {}{})",
            run_date(&r.generated),
            r.git_version,
            if r.isolated {
                ""
            } else {
                ", without the sandbox"
            }
        ),
        None if count("running") > 0 => String::new(),
        None => " (no test report)".to_string(),
    };
    let snippets = if shown.len() == 1 {
        "snippet"
    } else {
        "snippets"
    };
    format!(
        "<p class=\"page-marks\">This page's {} {snippets}: {}{}. <a href=\"{root}{TESTED_URL}\">How this guide is tested</a></p>\n",
        shown.len(),
        escape(&parts.join(", ")),
        escape(&run),
    )
}
