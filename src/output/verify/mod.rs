//! Verification marks: reads the snippet report that `helpsite test` writes (the
//! format is in the contracts: version 1 JSON) and says, for each snippet of the site, what its
//! mark is: verified (date and git version of the run), failing, or not run with the reason.
//! A snippet whose hash differs from the report's (its text changed since the run) is not
//! verified. [`mark`] says how a mark reads, [`compose`] puts marks into a page's body.

mod compose;
mod mark;

use std::collections::HashMap;
use std::path::Path;

use crate::report::{Entry, Report, Verdict};
use crate::snippets::{Snippet, SnippetKind};

pub(crate) use compose::{badge, body};
pub(crate) use mark::Mark;

/// Where `helpsite build` and `helpsite serve` look for the report when not told:
/// `ROOT/.helpsite-report.json` (`helpsite test` writes it there by default).
pub(crate) const DEFAULT_REPORT: &str = ".helpsite-report.json";

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
pub(crate) const TESTED_URL: &str = "how-this-guide-is-tested.html";

/// The id of a snippet's entry on "How this guide is tested".
pub(crate) fn entry_id(test_name: &str) -> String {
    format!("t-{}", safe_id(test_name))
}

/// The id of a shown snippet on its own page.
pub(crate) fn snippet_id(test_name: &str) -> String {
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

#[cfg(test)]
mod tests;
