//! Snippets: every fenced code block of the guide, classified by its fence (`fence`, `model`),
//! and the engine that runs them as tests in a hermetic sandbox against the mock remote.
//!
//! Layers, each its own file: `fence` parses info strings; `model` classifies blocks;
//! `transcript` parses console blocks; `matching` compares output (snapbox); `sandbox` builds
//! the hermetic environment; `jail` the namespaces (bwrap), `bridge` the network into them and
//! the init inside, `programs` the harness's own programs by absolute path; `runner` drives one bash session; `link` starts a chain's mock
//! remote; `step` runs one snippet in a live chain; `suite` groups a site's snippets into chains
//! and caches verdicts; `harness` makes libtest-mimic trials; `report` and `overwrite` serve
//! `helpsite test`; `cleanup` kills what an interrupt would otherwise leave behind.

pub mod bridge;
pub mod cleanup;
pub mod fence;
pub mod harness;
pub mod jail;
pub mod link;
pub mod matching;
pub mod model;
pub mod overwrite;
pub mod programs;
pub mod report;
pub mod runner;
pub mod sandbox;
pub mod step;
pub mod suite;
pub mod transcript;

pub use model::{FenceError, PageSettings, Snippet, SnippetKind};
pub use suite::{SnippetResult, Suite, Verdict};
