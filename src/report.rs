//! The JSON report `helpsite test --report FILE` writes and the site build reads (contracts.md):
//! per snippet its name, place, verdict, reason, duration and the hash of its text, plus the git
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
    /// A `file=PATH` block: "passed" means the file was written, not that anything was checked,
    /// so summaries count it as written. Absent (false) in older reports.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub written: bool,
}

/// The longest failure message kept in the report.
pub const REASON_MAX: usize = 4000;

/// `message` cut to at most [`REASON_MAX`] bytes (on a character boundary, marked with `…`).
pub fn clip(message: &str) -> String {
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

    /// Writes the report as pretty JSON (through a temporary file, so readers never see half).
    pub fn write(&self, path: &Path) -> anyhow::Result<()> {
        let json = serde_json::to_string_pretty(self)?;
        let tmp = path.with_extension("json.tmp");
        std::fs::write(&tmp, json + "\n").with_context(|| format!("writing {}", tmp.display()))?;
        std::fs::rename(&tmp, path).with_context(|| format!("writing {}", path.display()))
    }
}

/// `git version 2.47.3` → `2.47.3`; `unknown` when git cannot be run.
pub fn git_version() -> String {
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
}
