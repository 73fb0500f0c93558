//! The JSON report `helpsite test` writes (ROOT/.helpsite-report.json unless told otherwise)
//! and the site build reads (contracts.md): per snippet its name, place, verdict, reason,
//! duration, the hash of its text, its run date and a transcript's actual output, plus the git
//! version, the mock's profile and date of the run. A leaf: the harness fills it in, the output
//! stage reads it, and it knows neither.

use std::path::Path;

use anyhow::Context as _;
use serde::{Deserialize, Serialize};

/// How a snippet's test ended: what the harness writes and the site's marks read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// It did what the page says.
    Passed,
    /// It did not (the entry's reason says how).
    Failed,
    /// Not run (`ignore="reason"`).
    Ignored,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub version: u32,
    /// When the run ended, UTC (`2026-11-28T10:00:00Z`).
    pub generated: String,
    pub git_version: String,
    pub profile: String,
    pub as_of: String,
    /// Whether the snippets ran in the namespace sandbox (`false` with `--no-sandbox`); reports
    /// written before the sandbox existed read as `true`.
    #[serde(default = "isolated_default")]
    pub isolated: bool,
    pub snippets: Vec<Entry>,
}

fn isolated_default() -> bool {
    true
}

/// One snippet's line in the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub name: String,
    pub file: String,
    pub line: usize,
    pub verdict: Verdict,
    /// The failure message (clipped to [`REASON_MAX`] bytes) or why it was not run.
    pub reason: Option<String>,
    pub duration_ms: u64,
    pub hash: String,
    /// When this entry's run ended (`2026-11-28T10:00:00Z`); absent in reports written before
    /// filtered runs merged, where the report's `generated` is the date of every entry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ran: Option<String>,
    /// A transcript's output as the run printed it, one text per command (trailing whitespace
    /// trimmed): what the site fills its placeholders (`[SHA7]`, `[DATE]`, …) from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<Vec<String>>,
    /// A `file=PATH` block: "passed" means the file was written, not that anything was checked,
    /// so summaries count it as written. Absent (false) in older reports.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub written: bool,
}

/// The longest failure message kept in the report.
pub(crate) const REASON_MAX: usize = 4000;

/// `message` cut to at most [`REASON_MAX`] bytes (on a character boundary, marked with `…`).
pub(crate) fn clip(message: &str) -> String {
    if message.len() <= REASON_MAX {
        return message.to_string();
    }
    let mut end = REASON_MAX;
    while !message.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &message[..end])
}

impl Report {
    /// A report for a run with the given profile and date.
    pub fn new(profile: &str, as_of: &str, snippets: Vec<Entry>) -> Report {
        let generated = jiff::Timestamp::now()
            .strftime("%Y-%m-%dT%H:%M:%SZ")
            .to_string();
        Report {
            version: 1,
            generated,
            git_version: git_version(),
            profile: profile.into(),
            as_of: as_of.into(),
            isolated: true,
            snippets,
        }
    }

    /// Reads a report; a missing file is `None`, a malformed one an error naming the file.
    pub fn read(path: &Path) -> anyhow::Result<Option<Report>> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(err) => return Err(err).with_context(|| format!("reading {}", path.display())),
        };
        let report: Report = serde_json::from_str(&text).map_err(|err| {
            anyhow::anyhow!(
                "{}:{}:{}: not a snippet report: {err}",
                path.display(),
                err.line(),
                err.column()
            )
        })?;
        anyhow::ensure!(
            report.version == 1,
            "{}: report version {} (this helpsite reads version 1)",
            path.display(),
            report.version
        );
        Ok(Some(report))
    }

    /// This (newer, partial) report laid over `older`: entries of `older` that this run did not
    /// redo are kept (with their own run date) as long as `known` still has their name; the
    /// result is in the order of `known` (the suite's). Header fields are this run's, except
    /// `isolated`, which is false if either run went without the sandbox.
    pub fn merged_over(mut self, older: Report, known: &[&str]) -> Report {
        let mut by_name: std::collections::HashMap<String, Entry> = older
            .snippets
            .into_iter()
            .map(|mut e| {
                e.ran.get_or_insert_with(|| older.generated.clone());
                (e.name.clone(), e)
            })
            .collect();
        for entry in std::mem::take(&mut self.snippets) {
            by_name.insert(entry.name.clone(), entry);
        }
        self.snippets = known.iter().filter_map(|n| by_name.remove(*n)).collect();
        self.isolated &= older.isolated;
        self
    }

    /// The entries whose verdict is `Failed`.
    pub fn failing(&self) -> impl Iterator<Item = &Entry> {
        self.snippets
            .iter()
            .filter(|e| e.verdict == Verdict::Failed)
    }

    /// Writes the report as pretty JSON (through a temporary file, so readers never see half).
    pub fn write(&self, path: &Path) -> anyhow::Result<()> {
        let json = serde_json::to_string_pretty(self)?;
        let tmp = path.with_extension("json.tmp");
        std::fs::write(&tmp, json + "\n").with_context(|| format!("writing {}", tmp.display()))?;
        std::fs::rename(&tmp, path).with_context(|| format!("writing {}", path.display()))
    }
}

/// `git version 2.47.3` → `2.47.3`; `unknown` when git cannot be run.
pub(crate) fn git_version() -> String {
    std::process::Command::new("git")
        .arg("--version")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().strip_prefix("git version ").map(str::to_string))
        .unwrap_or_else(|| "unknown".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clips_on_char_boundaries_and_reads_git() {
        let long = "é".repeat(REASON_MAX);
        assert!(clip(&long).len() <= REASON_MAX + '…'.len_utf8());
        assert!(
            git_version()
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_digit())
        );
        let r = Report::new("bitbucket", "2026-11-28", Vec::new());
        assert!(
            r.generated.ends_with('Z') && r.generated.len() == 20,
            "{}",
            r.generated
        );
    }

    fn entry(name: &str, verdict: Verdict) -> Entry {
        Entry {
            name: name.into(),
            file: "content/a.md".into(),
            line: 3,
            verdict,
            reason: None,
            duration_ms: 1,
            hash: "h".into(),
            ran: None,
            output: None,
            written: false,
        }
    }

    #[test]
    fn a_partial_run_merges_over_the_older_report() {
        let mut old = Report::new("bitbucket", "2026-11-28", Vec::new());
        old.generated = "2026-11-01T00:00:00Z".into();
        old.snippets = vec![
            entry("a", Verdict::Passed),
            entry("b", Verdict::Passed),
            entry("gone", Verdict::Failed),
        ];
        let mut new = Report::new("bitbucket", "2026-11-28", vec![entry("b", Verdict::Failed)]);
        new.isolated = false;
        let merged = new.merged_over(old, &["a", "b", "c"]);
        let names: Vec<_> = merged.snippets.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["a", "b"]);
        assert_eq!(
            merged.snippets[0].ran.as_deref(),
            Some("2026-11-01T00:00:00Z")
        );
        assert_eq!(merged.snippets[1].verdict, Verdict::Failed);
        assert!(!merged.isolated);
        assert_eq!(merged.failing().count(), 1);
    }
}
