//! Snippets: what a snippet is. Every fenced code block of the guide, classified by its fence
//! (`fence` parses info strings, `model` classifies blocks, `transcript` parses console blocks).
//! Running them is the harness's job; this module depends on no other of the crate.

pub mod fence;
pub(crate) mod model;
pub mod transcript;

pub(crate) use model::{FenceError, Origin, Snippet, SnippetKind};
