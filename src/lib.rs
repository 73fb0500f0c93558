//! helpsite: a static help-site generator whose every code snippet is a test.
//!
//! The pipeline (see README.md, "Architecture"):
//!
//! ```text
//! content/*.md ─load─▶ Corpus ─render─▶ Vec<RenderedPage> ─┬─▶ output: templates → public/
//!                                                          └─▶ snippets: run against remote → report
//! ```
//!
//! Each stage is a module that takes the previous stage's value and returns its own; there is no
//! global state. [`site`] strings the stages together for the CLI, which lives in [`cli`].

pub mod cli;
pub mod config;
pub mod content;
pub mod harness;
pub mod markdown;
pub mod output;
pub mod remote;
pub(crate) mod report;
pub(crate) mod serve;
pub mod site;
pub mod snippets;

/// How a command ended when it did not fail outright. `main` maps it to the exit code:
/// `Success` → 0, `ChecksFailed` → 1; an `Err` from a command (bad input, IO) → 2.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything the command checked passed.
    Success,
    /// The command ran to the end, but something it checks failed (a broken link, a failing
    /// snippet). It has already printed what.
    ChecksFailed,
}
