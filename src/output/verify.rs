//! Verification marks: reads the snippet report that `helpsite test` writes (the
//! format is in the contracts: version 1 JSON) and says, for each snippet of the site, what its
//! mark is: verified (date and git version of the run), failing, or not run with the reason.
//! A snippet whose hash differs from the report's (its text changed since the run) is not
//! verified. This module decides marks and their accessible HTML; the templates place them.

use std::collections::HashMap;
use std::path::Path;

use serde::Serialize;

use crate::markdown::RenderedPage;
use crate::report::{Entry, Report, Verdict};
use crate::snippets::{Snippet, SnippetKind};

/// Where `helpsite build` and `helpsite serve` look for the report when not told:
/// `ROOT/.helpsite-report.json` (`helpsite test` writes it there by default).
pub const DEFAULT_REPORT: &str = ".helpsite-report.json";

/// What the site shows next to a snippet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Mark {
    Verified {
        date: String,
        git_version: String,
    },
    /// Passed, and the snippet expects a failure (`status=N`, `? N`): the error was reproduced.
    Reproduced {
        date: String,
        git_version: String,
    },
    Failing {
        date: String,
        git_version: String,
        reason: Option<String>,
    },
    NotRun {
        reason: String,
    },
    /// `helpsite serve` is running it now (or will soon): the result replaces this live.
    Running,
}

/// The marks of one build: the report (if any) indexed by test name.
#[derive(Debug, Clone, Default)]
pub struct Marks {
    report: Option<Report>,
    by_name: HashMap<String, usize>,
    /// Test names `helpsite serve` is running now: their mark is [`Mark::Running`].
    running: std::collections::HashSet<String>,
}

impl Marks {
    /// No report: every test snippet is "not run".
    pub fn none() -> Marks {
        Marks::default()
    }

    /// Reads the report at `path`; a missing file is no report, a malformed one is an error.
    pub fn load(path: &Path) -> anyhow::Result<Marks> {
        Ok(Report::read(path)?.map_or_else(Marks::none, Marks::from_report))
    }

    pub fn from_report(report: Report) -> Marks {
        let by_name = report
            .snippets
            .iter()
            .enumerate()
            .map(|(i, e)| (e.name.clone(), i))
            .collect();
        Marks {
            report: Some(report),
            by_name,
            running: Default::default(),
        }
    }

    /// These marks with `names` shown as running (the dev server's live run).
    pub fn with_running(mut self, names: impl IntoIterator<Item = String>) -> Marks {
        self.running = names.into_iter().collect();
        self
    }

    /// Adds (or replaces) one snippet's entry, as a live run finishes it; a report is started
    /// from `header` (its fields, not its entries) when there is none yet.
    pub fn record(&mut self, entry: Entry, header: &Report) {
        self.running.remove(&entry.name);
        let report = self.report.get_or_insert_with(|| Report {
            snippets: Vec::new(),
            ..header.clone()
        });
        report.isolated &= header.isolated;
        match self.by_name.get(&entry.name) {
            Some(&i) => report.snippets[i] = entry,
            None => {
                self.by_name
                    .insert(entry.name.clone(), report.snippets.len());
                report.snippets.push(entry);
            }
        }
    }

    pub fn report(&self) -> Option<&Report> {
        self.report.as_ref()
    }

    /// The report's entry for the test `name`.
    pub fn entry(&self, name: &str) -> Option<&Entry> {
        let report = self.report.as_ref()?;
        self.by_name.get(name).map(|&i| &report.snippets[i])
    }

    /// Whether the run went without the namespace sandbox (`--no-sandbox`, `isolated: false`):
    /// every mark from it says so.
    pub fn unsandboxed(&self) -> bool {
        self.report.as_ref().is_some_and(|r| !r.isolated)
    }

    /// The mark of a snippet whose current hash is `hash`; `None` for plain text (not a test).
    pub fn mark(&self, snippet: &Snippet, hash: &str) -> Option<Mark> {
        match (&snippet.kind, &snippet.attrs.ignore) {
            (SnippetKind::Text, _) => None,
            (_, Some(reason)) | (SnippetKind::Ignored { reason }, None) => {
                Some(not_run(&format!("not run: {reason}")))
            }
            _ if self.running.contains(&snippet.test_name) => Some(Mark::Running),
            _ => Some(match self.mark_by_name(&snippet.test_name, hash) {
                Mark::Verified { date, git_version } if expects_failure(snippet) => {
                    Mark::Reproduced { date, git_version }
                }
                mark => mark,
            }),
        }
    }

    /// The mark of the test `name` whose current hash is `hash`.
    pub fn mark_by_name(&self, name: &str, hash: &str) -> Mark {
        let Some(report) = &self.report else {
            return not_run("not verified: no test report");
        };
        let Some(entry) = self.by_name.get(name).map(|&i| &report.snippets[i]) else {
            return not_run("not verified: not in the latest test report");
        };
        let date = run_date(entry.ran.as_deref().unwrap_or(&report.generated));
        if entry.hash != hash {
            return not_run(&format!(
                "not verified: changed since the test run of {date}"
            ));
        }
        let git_version = report.git_version.clone();
        let reason = entry.reason.clone();
        match entry.verdict {
            Verdict::Passed => Mark::Verified { date, git_version },
            Verdict::Failed => Mark::Failing {
                date,
                git_version,
                reason,
            },
            Verdict::Ignored => not_run(&format!(
                "not run: {}",
                reason.as_deref().unwrap_or("ignored")
            )),
        }
    }
}

/// Whether the snippet shows a failure on purpose: a non-zero `status=` or `? N`.
fn expects_failure(snippet: &Snippet) -> bool {
    snippet.attrs.status.is_some_and(|s| s != 0)
        || matches!(&snippet.kind, SnippetKind::Console { commands } if commands.iter().any(|c| c.status != 0))
}

/// The "How this guide is tested" page, from the site root (see `output::tested`).
pub const TESTED_URL: &str = "how-this-guide-is-tested.html";

/// The id of a snippet's entry on "How this guide is tested".
pub fn entry_id(test_name: &str) -> String {
    format!("t-{}", safe_id(test_name))
}

/// The id of a shown snippet on its own page.
pub fn snippet_id(test_name: &str) -> String {
    format!("s-{}", safe_id(test_name))
}

/// `page::section::name` as an id that needs no escaping in CSS or URLs.
fn safe_id(name: &str) -> String {
    name.chars()
        .map(|c| match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' | '-' | '_' => c,
            _ => '-',
        })
        .collect()
}

fn not_run(reason: &str) -> Mark {
    Mark::NotRun {
        reason: reason.to_string(),
    }
}

/// `2026-11-28` from `2026-11-28T10:00:00Z` (in UTC); the text as given if it is no timestamp.
fn run_date(generated: &str) -> String {
    match generated.parse::<jiff::Timestamp>() {
        Ok(ts) => ts
            .to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .date()
            .to_string(),
        Err(_) => generated.to_string(),
    }
}

impl Mark {
    /// The words on the badge.
    pub fn label(&self) -> String {
        match self {
            Mark::Verified { date, git_version } => {
                format!("output as shown, verified {date} with git {git_version}")
            }
            Mark::Reproduced { date, git_version } => {
                format!("this error was reproduced {date} with git {git_version}")
            }
            Mark::Failing {
                date, git_version, ..
            } => format!("failing in the run of {date} with git {git_version}"),
            Mark::NotRun { reason } => reason.clone(),
            Mark::Running => "running…".to_string(),
        }
    }

    /// The longer explanation (the badge's tooltip).
    pub fn detail(&self) -> String {
        match self {
            Mark::Verified { date, git_version } => format!(
                "Ran against the mock remote on {date} with git {git_version} and printed what \
                 is shown."
            ),
            Mark::Reproduced { date, git_version } => format!(
                "Ran against the mock remote on {date} with git {git_version} and failed as \
                 shown: this is the error you see, not a command that works."
            ),
            Mark::Failing {
                reason,
                git_version,
                ..
            } => {
                let reason = reason.as_deref().unwrap_or("no reason given");
                let short: String = reason.chars().take(300).collect();
                format!("Failed its last run (git {git_version}): {short}")
            }
            Mark::NotRun { reason } => {
                let mut chars = reason.chars();
                let first = chars
                    .next()
                    .map(|c| c.to_uppercase().to_string())
                    .unwrap_or_default();
                format!("{first}{}.", chars.as_str())
            }
            Mark::Running => {
                "helpsite serve is running this snippet against the mock remote now.".to_string()
            }
        }
    }

    /// Whether the mark comes from a run (so "without the sandbox" applies to it).
    pub fn ran(&self) -> bool {
        matches!(
            self,
            Mark::Verified { .. } | Mark::Reproduced { .. } | Mark::Failing { .. }
        )
    }

    /// `verified` | `reproduced` | `failing` | `not-run` | `running`, for CSS classes.
    pub fn class(&self) -> &'static str {
        match self {
            Mark::Verified { .. } => "verified",
            Mark::Reproduced { .. } => "reproduced",
            Mark::Failing { .. } => "failing",
            Mark::NotRun { .. } => "not-run",
            Mark::Running => "running",
        }
    }

    /// The badge: a short line of text (the icon is decoration only), in the snippet's bar,
    /// outside the code, so copying the code never copies it.
    pub fn html(&self) -> String {
        format!(
            "<span class=\"snippet-mark snippet-mark-{}\" title=\"{}\">{}</span>",
            self.class(),
            escape(&self.detail()),
            self.inner(),
        )
    }

    /// The badge as a link (to the snippet's entry on "How this guide is tested", where the
    /// detail is written out).
    pub fn link(&self, href: &str) -> String {
        format!(
            "<a class=\"snippet-mark snippet-mark-{}\" href=\"{}\" title=\"{}\">{}</a>",
            self.class(),
            escape(href),
            escape(&self.detail()),
            self.inner(),
        )
    }

    fn inner(&self) -> String {
        let icon = match self {
            Mark::Verified { .. } => "✓",
            Mark::Reproduced { .. } => "↻",
            Mark::Failing { .. } => "✗",
            Mark::NotRun { .. } => "○",
            Mark::Running => "◌",
        };
        format!(
            "<span aria-hidden=\"true\">{icon} </span>{}",
            escape(&self.label())
        )
    }
}

const SLOT_OPEN: &str = "<span class=\"snippet-status\">";

/// Puts each shown snippet's mark into its status slot (`<span class="snippet-status">` after
/// the snippet's `data-snippet="NAME"`; see `markdown::code`).
pub fn apply(marks: &Marks, pages: &mut [RenderedPage]) {
    for page in pages {
        let mut shown = Vec::new();
        let root = page.snippets.first().map(root_of).unwrap_or_default();
        let mut from = 0;
        // Ignored snippets already say "not run: REASON" in their slot (markdown::code).
        let ignored =
            |s: &Snippet| s.attrs.ignore.is_some() || matches!(s.kind, SnippetKind::Ignored { .. });
        for snippet in page.snippets.iter().filter(|s| !s.attrs.hidden) {
            let Some(mark) = marks.mark(snippet, &snippet.hash()) else {
                continue;
            };
            let anchor = format!("data-snippet=\"{}\"", escape(&snippet.test_name));
            let Some(at) = page.html[from..].find(&anchor).map(|i| i + from) else {
                continue;
            };
            // Every shown snippet gets the id its entry on "How this guide is tested" links to.
            let id = format!("id=\"{}\" ", snippet_id(&snippet.test_name));
            page.html.insert_str(at, &id);
            let at = at + id.len();
            from = at;
            if ignored(snippet) {
                shown.push(mark);
                continue;
            }
            let Some(open) = page.html[at..]
                .find(SLOT_OPEN)
                .map(|i| i + at + SLOT_OPEN.len())
            else {
                continue;
            };
            let Some(close) = page.html[open..].find("</span>").map(|i| i + open) else {
                continue;
            };
            let badge = badge(marks, snippet, &mark);
            page.html.replace_range(open..close, &badge);
            from = open + badge.len();
            if matches!(mark, Mark::Verified { .. } | Mark::Reproduced { .. }) {
                fill_placeholders(marks, snippet, &mut page.html, from);
            }
            shown.push(mark);
        }
        if let Some(line) = summary(marks, &shown, &root) {
            let at = after_leading_h1(&page.html);
            page.html.insert_str(at, &line);
        }
    }
}

/// A snippet's badge: its mark linked to its entry on "How this guide is tested", saying so in
/// words when the run went without the sandbox. Also what `helpsite serve` sends live.
pub fn badge(marks: &Marks, snippet: &Snippet, mark: &Mark) -> String {
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

/// Replaces the placeholder spans of `snippet`'s block (starting at `from` in `html`, ending
/// at the next snippet) with what the recorded run printed in their place (see `filled`).
/// Only when every placeholder of the block has a value: a partial fill would mislead.
fn fill_placeholders(marks: &Marks, snippet: &Snippet, html: &mut String, from: usize) {
    let SnippetKind::Console { commands } = &snippet.kind else {
        return;
    };
    let Some(outputs) = marks
        .entry(&snippet.test_name)
        .and_then(|e| e.output.as_ref())
    else {
        return;
    };
    if outputs.len() != commands.len() {
        return;
    }
    let mut values = Vec::new();
    for (command, output) in commands.iter().zip(outputs) {
        if let Some(found) = super::filled::values(&command.expected, output) {
            values.extend(found);
        }
    }
    let end = html[from..]
        .find("data-snippet=\"")
        .map_or(html.len(), |i| i + from);
    let block = &html[from..end];
    let spans: Vec<(usize, usize)> = block
        .match_indices(PLACEHOLDER_OPEN)
        .filter_map(|(at, _)| {
            block[at..]
                .find("</span>")
                .map(|close| (at, at + close + "</span>".len()))
        })
        .collect();
    if spans.is_empty() || spans.len() != values.len() {
        return;
    }
    let mut filled = String::with_capacity(block.len());
    let mut last = 0;
    for ((start, stop), value) in spans.iter().zip(&values) {
        filled.push_str(&block[last..*start]);
        let token = block[*start..*stop]
            .rsplit_once("\">")
            .map_or("", |(_, t)| t.trim_end_matches("</span>"));
        filled.push_str(&format!(
            "<span class=\"filled\" title=\"{} in the recorded run\">{}</span>",
            escape(token),
            escape(value)
        ));
        last = *stop;
    }
    filled.push_str(&block[last..]);
    html.replace_range(from..end, &filled);
}

const PLACEHOLDER_OPEN: &str = "<span class=\"placeholder\"";

/// `../` per folder between the site root and the page of `snippet` (its URL mirrors its
/// source path: `content/guide/fix.md` → `guide/fix.html`).
fn root_of(snippet: &Snippet) -> String {
    let depth = snippet.file.components().count().saturating_sub(2);
    "../".repeat(depth)
}

/// One line for the top of a page: how many of its snippets are in which state, from which
/// run, with a link to "How this guide is tested".
fn summary(marks: &Marks, shown: &[Mark], root: &str) -> Option<String> {
    if shown.is_empty() {
        return None;
    }
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
    Some(format!(
        "<p class=\"page-marks\">This page's {} {snippets}: {}{}. <a href=\"{root}{TESTED_URL}\">How this guide is tested</a></p>\n",
        shown.len(),
        escape(&parts.join(", ")),
        escape(&run),
    ))
}

/// Where a page's own `<h1>…</h1>` ends when the body starts with one, else 0.
fn after_leading_h1(html: &str) -> usize {
    let start = html.len() - html.trim_start().len();
    if !html[start..].starts_with("<h1") {
        return 0;
    }
    html[start..]
        .find("</h1>")
        .map_or(0, |end| start + end + "</h1>".len())
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    pulldown_cmark_escape::escape_html(&mut out, text).expect("writing to a String");
    out
}

#[cfg(test)]
mod tests;
