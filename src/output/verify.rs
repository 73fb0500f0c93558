//! Verification marks: reads the snippet report that `helpsite test --report FILE` writes (the
//! format is in the contracts: version 1 JSON) and says, for each snippet of the site, what its
//! mark is: verified (date and git version of the run), failing, or not run with the reason.
//! A snippet whose hash differs from the report's (its text changed since the run) is not
//! verified. This module decides marks and their accessible HTML; the templates place them.

use std::collections::HashMap;
use std::path::Path;

use anyhow::Context as _;
use serde::Serialize;

use crate::markdown::RenderedPage;
use crate::report::{Report, Verdict};
use crate::snippets::{Snippet, SnippetKind};

/// Where `helpsite build` and `helpsite serve` look for the report when not told:
/// `ROOT/.helpsite-report.json` (write it with `helpsite test --report .helpsite-report.json`).
pub const DEFAULT_REPORT: &str = ".helpsite-report.json";

/// What the site shows next to a snippet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Mark {
    Verified {
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
}

/// The marks of one build: the report (if any) indexed by test name.
#[derive(Debug, Clone, Default)]
pub struct Marks {
    report: Option<Report>,
    by_name: HashMap<String, usize>,
}

impl Marks {
    /// No report: every test snippet is "not run".
    pub fn none() -> Marks {
        Marks::default()
    }

    /// Reads the report at `path`; a missing file is no report, a malformed one is an error.
    pub fn load(path: &Path) -> anyhow::Result<Marks> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Marks::none()),
            Err(err) => return Err(err).with_context(|| format!("reading {}", path.display())),
        };
        let report: Report = serde_json::from_str(&text)
            .with_context(|| format!("{}: not a snippet report", path.display()))?;
        anyhow::ensure!(
            report.version == 1,
            "{}: report version {} (this helpsite reads version 1)",
            path.display(),
            report.version
        );
        Ok(Marks::from_report(report))
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
        }
    }

    pub fn report(&self) -> Option<&Report> {
        self.report.as_ref()
    }

    /// The mark of a snippet whose current hash is `hash`; `None` for plain text (not a test).
    pub fn mark(&self, snippet: &Snippet, hash: &str) -> Option<Mark> {
        match (&snippet.kind, &snippet.attrs.ignore) {
            (SnippetKind::Text, _) => None,
            (_, Some(reason)) | (SnippetKind::Ignored { reason }, None) => {
                Some(not_run(&format!("not run: {reason}")))
            }
            _ => Some(self.mark_by_name(&snippet.test_name, hash)),
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
        let date = run_date(&report.generated);
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
            Mark::Verified { date, git_version } => format!("verified {date}, git {git_version}"),
            Mark::Failing { date, .. } => format!("failing in the run of {date}"),
            Mark::NotRun { reason } => reason.clone(),
        }
    }

    /// The longer explanation (the badge's tooltip).
    pub fn detail(&self) -> String {
        match self {
            Mark::Verified { date, git_version } => format!(
                "Ran against the mock remote on {date} with git {git_version} and printed what \
                 is shown."
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
        }
    }

    /// `verified` | `failing` | `not-run`, for CSS classes.
    pub fn class(&self) -> &'static str {
        match self {
            Mark::Verified { .. } => "verified",
            Mark::Failing { .. } => "failing",
            Mark::NotRun { .. } => "not-run",
        }
    }

    /// The badge: a short line of text (the icon is decoration only), in the snippet's bar,
    /// outside the code, so copying the code never copies it.
    pub fn html(&self) -> String {
        let icon = match self {
            Mark::Verified { .. } => "✓",
            Mark::Failing { .. } => "✗",
            Mark::NotRun { .. } => "○",
        };
        format!(
            "<span class=\"snippet-mark snippet-mark-{}\" title=\"{}\"><span aria-hidden=\"true\">{icon} </span>{}</span>",
            self.class(),
            escape(&self.detail()),
            escape(&self.label()),
        )
    }
}

const SLOT_OPEN: &str = "<span class=\"snippet-status\">";

/// Puts each shown snippet's mark into its status slot (`<span class="snippet-status">` after
/// the snippet's `data-snippet="NAME"`; see `markdown::code`).
pub fn apply(marks: &Marks, pages: &mut [RenderedPage]) {
    for page in pages {
        let mut from = 0;
        // Ignored snippets already say "not run: REASON" in their slot (markdown::code).
        let marked = |s: &&Snippet| {
            !s.attrs.hidden
                && s.attrs.ignore.is_none()
                && !matches!(s.kind, SnippetKind::Ignored { .. })
        };
        for snippet in page.snippets.iter().filter(marked) {
            let Some(mark) = marks.mark(snippet, &snippet.hash()) else {
                continue;
            };
            let anchor = format!("data-snippet=\"{}\"", escape(&snippet.test_name));
            let Some(at) = page.html[from..].find(&anchor).map(|i| i + from) else {
                continue;
            };
            let Some(open) = page.html[at..]
                .find(SLOT_OPEN)
                .map(|i| i + at + SLOT_OPEN.len())
            else {
                continue;
            };
            let Some(close) = page.html[open..].find("</span>").map(|i| i + open) else {
                continue;
            };
            let badge = mark.html();
            page.html.replace_range(open..close, &badge);
            from = open + badge.len();
        }
    }
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    pulldown_cmark_escape::escape_html(&mut out, text).expect("writing to a String");
    out
}

#[cfg(test)]
mod tests;
