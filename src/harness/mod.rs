//! The harness: what runs snippets as tests in a hermetic sandbox against the mock remote.
//!
//! Layers, each its own file: `matching` compares output (snapbox); `sandbox` builds the
//! hermetic environment; `session` drives one bash session; `link` starts a chain's mock
//! remote; `step` runs one snippet in a live chain; `suite` groups a site's snippets into chains
//! and caches verdicts; `libtest` makes libtest-mimic trials; `overwrite` serves
//! `helpsite test --overwrite`; `cleanup` kills what an interrupt would otherwise leave behind.

pub mod cleanup;
pub mod libtest;
pub mod link;
pub mod matching;
pub mod overwrite;
pub mod sandbox;
pub mod session;
pub mod step;
pub mod suite;

pub use suite::{SnippetResult, Suite, Verdict};
