//! Browser tests, one binary: the built guide in a real headless Chromium. Every module's trials
//! share one harness: chromedriver, started on first use, and the guide, copied, built once for
//! file:// and served once by `helpsite serve`; all of it is stopped when `main` ends.
//!
//! - `pages` (`serve::…`, `file::…`, `screenshots`): search, copy, theme, table of contents, every
//!   page clean, live reload; each test in a fresh browser, served and from file://.
//! - `ux::…`: reading comfort over every page in one browser session reused by every test.
//! - `nav::…`: the shared navigation and search marks, from `chromium --dump-dom` on file:// pages.
//!
//! Run: `cargo test --test browser` (needs Debian's `chromium` and `chromium-driver`, and `npm ci`
//! for axe-core). Without them every test is reported as ignored with the reason; with
//! HELPSITE_REQUIRE_BROWSER=1 (CI) their absence is a failure. Screenshots go to
//! target/screenshots/.

mod nav;
mod pages;
mod support;
mod ux;

use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use libtest_mimic::Arguments;
use support::{Driver, Site, Tools, find_tools};

/// What the trials share: the tools found, chromedriver and the guide, each started on first use.
struct Harness {
    tools: Result<Tools, String>,
    driver: OnceLock<Result<Driver, String>>,
    site: OnceLock<Result<Site, String>>,
    /// Held by a `pages` trial while it runs: one of their browsers at a time.
    pages: Mutex<()>,
}

impl Harness {
    fn new() -> Harness {
        Harness {
            tools: find_tools(),
            driver: OnceLock::new(),
            site: OnceLock::new(),
            pages: Mutex::new(()),
        }
    }

    /// chromedriver, started on the first call; the error says why there is none.
    fn driver(&self) -> Result<&Driver, String> {
        let tools = self.tools.as_ref().map_err(Clone::clone)?;
        self.driver
            .get_or_init(|| Driver::start(tools))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The guide, built and served on the first call.
    fn site(&self) -> Result<&Site, String> {
        self.site
            .get_or_init(Site::guide)
            .as_ref()
            .map_err(Clone::clone)
    }
}

/// Whether HELPSITE_REQUIRE_BROWSER=1 makes a missing browser a failure.
fn browser_required() -> bool {
    std::env::var_os("HELPSITE_REQUIRE_BROWSER").is_some_and(|v| v == "1")
}

fn main() {
    let mut args = Arguments::from_args();
    // One browser at a time: two cores are shared with the rest of the suite.
    args.test_threads = args.test_threads.or(Some(1));
    let harness = Arc::new(Harness::new());
    if let Err(reason) = &harness.tools {
        eprintln!("browser tests: {reason}; they are not run");
    }
    let ux = ux::Shared::default();
    let mut trials = pages::trials(&harness);
    trials.extend(ux::trials(&harness, &ux));
    trials.extend(nav::trials());
    let conclusion = libtest_mimic::run(&args, trials);
    ux::close(&ux);
    drop(harness);
    conclusion.exit();
}

/// target/screenshots/ (or under CARGO_TARGET_DIR).
fn screenshot_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"));
    target.join("screenshots")
}
