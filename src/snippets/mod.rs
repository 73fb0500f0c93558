//! Snippets: what a snippet is. Every fenced code block of the guide, classified by its fence
//! (`fence` parses info strings, `model` classifies blocks, `transcript` parses console blocks).
//! Running them is [`crate::harness`]'s job.

pub mod fence;
pub mod model;
pub mod transcript;

pub use model::{FenceError, PageSettings, Snippet, SnippetKind};
