//! Verification marks: reads the snippet report that `helpsite test --report FILE` writes (the
//! format is in the contracts: version 1 JSON) and says, for each snippet of the site, what its
//! mark is: verified (date and git version of the run), failing, or not run with the reason.
//! A snippet whose hash differs from the report's (its text changed since the run) is not
//! verified. This module decides marks and their accessible HTML; the templates place them.

use std::collections::HashMap;
use std::path::Path;

use anyhow::Context as _;
use serde::{Deserialize, Serialize};

use crate::snippets::{Snippet, SnippetKind};

/// The report as written by the snippet harness.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Report {
    pub version: u32,
    /// When the run ended, RFC 3339 (`2026-11-28T10:00:00Z`).
    pub generated: String,
    pub git_version: String,
    /// The mock remote's host profile (`bitbucket`).
    pub profile: String,
    /// The mock remote's date.
    pub as_of: String,
    pub snippets: Vec<Entry>,
}

/// One snippet's result.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Entry {
    pub name: String,
    pub file: String,
    pub line: usize,
    pub verdict: Verdict,
    pub reason: Option<String>,
    pub duration_ms: u64,
    pub hash: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Passed,
    Failed,
    Ignored,
}

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
        match &snippet.kind {
            SnippetKind::Text => None,
            SnippetKind::Ignored { reason } => Some(Mark::NotRun {
                reason: reason.clone(),
            }),
            _ => Some(self.mark_by_name(&snippet.test_name, hash)),
        }
    }

    /// The mark of the test `name` whose current hash is `hash`.
    pub fn mark_by_name(&self, name: &str, hash: &str) -> Mark {
        let Some(report) = &self.report else {
            return not_run("no test report yet (helpsite test --report FILE)");
        };
        let Some(entry) = self.by_name.get(name).map(|&i| &report.snippets[i]) else {
            return not_run("not in the latest test report");
        };
        let date = run_date(&report.generated);
        if entry.hash != hash {
            return not_run(&format!("changed since the test run of {date}"));
        }
        let git_version = report.git_version.clone();
        match entry.verdict {
            Verdict::Passed => Mark::Verified { date, git_version },
            Verdict::Failed => Mark::Failing {
                date,
                git_version,
                reason: entry.reason.clone(),
            },
            Verdict::Ignored => not_run(entry.reason.as_deref().unwrap_or("ignored")),
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
    /// Short words for the badge.
    pub fn label(&self) -> String {
        match self {
            Mark::Verified { date, git_version } => format!("Verified {date} · git {git_version}"),
            Mark::Failing { date, .. } => format!("Failing since {date}"),
            Mark::NotRun { .. } => "Not verified".to_string(),
        }
    }

    /// The longer explanation (tooltip and screen readers).
    pub fn detail(&self) -> String {
        match self {
            Mark::Verified { date, git_version } => format!(
                "This snippet ran against the mock remote on {date} with git {git_version} and \
                 printed what is shown."
            ),
            Mark::Failing {
                reason,
                git_version,
                ..
            } => format!(
                "This snippet failed its last run (git {git_version}){}",
                reason
                    .as_deref()
                    .map(|r| format!(": {r}"))
                    .unwrap_or_default()
            ),
            Mark::NotRun { reason } => format!("Not verified: {reason}"),
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

    /// The badge: a small line of text (not an icon alone), outside the code so copying the
    /// code never copies it.
    pub fn html(&self) -> String {
        let icon = match self {
            Mark::Verified { .. } => "✓",
            Mark::Failing { .. } => "✗",
            Mark::NotRun { .. } => "○",
        };
        format!(
            "<p class=\"snippet-mark snippet-mark-{}\" title=\"{}\"><span aria-hidden=\"true\">{icon}</span> {}<span class=\"visually-hidden\">: {}</span></p>",
            self.class(),
            escape(&self.detail()),
            escape(&self.label()),
            escape(&self.detail()),
        )
    }
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    pulldown_cmark_escape::escape_html(&mut out, text).expect("writing to a String");
    out
}

#[cfg(test)]
mod tests;
