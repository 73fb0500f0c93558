//! The harness: what runs snippets as tests in a hermetic sandbox against the mock remote.
//!
//! It is handed what it needs (a rendered site's snippets, the corpus's page settings, the
//! scenario: see [`Suite::new`]) and never loads a site; [`run`] returns a value, and the
//! binaries decide the exit code.
//!
//! Layers, each its own file: `matching` compares output (snapbox); `sandbox` builds the
//! hermetic environment; `jail` the namespaces it runs in (bubblewrap), `bridge` the network
//! into them and the init inside, `programs` the harness's own programs by absolute path;
//! `session` drives one bash session; `link` starts a chain's mock
//! remote; `step` runs one snippet in a live chain; `suite` groups a site's snippets into chains
//! and caches verdicts; `run` schedules a selection and tells an [`Observer`]; `libtest` makes
//! libtest-mimic trials; `overwrite` serves `helpsite test --overwrite`; `cleanup` kills what
//! an interrupt would otherwise leave behind.

pub mod bridge;
pub(crate) mod cleanup;
pub(crate) mod jail;
pub mod libtest;
pub(crate) mod link;
pub(crate) mod matching;
pub(crate) mod overwrite;
pub(crate) mod programs;
pub mod pty;
pub(crate) mod record;
pub mod run;
pub(crate) mod sandbox;
pub(crate) mod session;
pub(crate) mod step;
pub(crate) mod suite;

pub use crate::report::Verdict;
pub use run::run;
pub(crate) use run::{Observer, Run};
pub(crate) use suite::{SnippetResult, Suite};
