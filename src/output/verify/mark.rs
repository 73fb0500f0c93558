//! What the site shows next to a snippet: a [`Mark`] (verified, reproduced, failing, not
//! run, running) and its accessible HTML: words first, the icon as decoration only.

use serde::Serialize;

/// What the site shows next to a snippet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Mark {
    /// Passed: the output is as shown.
    Verified {
        /// The day of the run (UTC), `2026-11-28`.
        date: String,
        /// `git --version` of the run.
        git_version: String,
    },
    /// Passed, and the snippet expects a failure (`status=N`, `? N`): the error was reproduced.
    Reproduced {
        /// The day of the run (UTC).
        date: String,
        /// `git --version` of the run.
        git_version: String,
    },
    /// Failed its last run.
    Failing {
        /// The day of the run (UTC).
        date: String,
        /// `git --version` of the run.
        git_version: String,
        /// What the harness said went wrong.
        reason: Option<String>,
    },
    /// Not run, or its result no longer applies.
    NotRun {
        /// Why, in words: `not verified: changed since the test run of …`.
        reason: String,
    },
    /// `helpsite serve` is running it now (or will soon): the result replaces this live.
    Running,
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

pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    pulldown_cmark_escape::escape_html(&mut out, text).expect("writing to a String");
    out
}
