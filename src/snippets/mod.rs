//! Snippets: every fenced code block of the guide, classified by its fence (`model`), and the
//! engine that runs them as tests in a hermetic sandbox against the mock remote.
//!
//! (Skeleton: only the model exists so far.)

pub mod model;

pub use model::{FenceError, Snippet, SnippetKind};
