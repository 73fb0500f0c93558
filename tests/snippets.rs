//! `cargo test --test snippets`: one test per snippet of this repository's content/, run by the
//! same engine as `helpsite test` (see `helpsite::harness::libtest`), plus the harness's own
//! checks (`harness_self_test::…`, in tests/snippets_support). `HELPSITE_SNIPPETS_ROOT` points it
//! at another site (the self-checks use it with fixture sites) and leaves the self-checks out.
//!
//! Exit codes: 0 all passed, 101 a test failed (libtest's), 2 the site could not be loaded (the
//! error names file:line:column).

mod snippets_support;

fn main() {
    let args = libtest_mimic::Arguments::from_args();
    let (root, extra) = match std::env::var_os("HELPSITE_SNIPPETS_ROOT") {
        Some(root) => (std::path::PathBuf::from(root), Vec::new()),
        None => (
            env!("CARGO_MANIFEST_DIR").into(),
            snippets_support::trials(),
        ),
    };
    let suite = match helpsite::site::Site::load(&root).and_then(|site| site.suite(None)) {
        Ok(suite) => suite,
        Err(err) => {
            eprintln!("error: {err:#}");
            std::process::exit(2);
        }
    };
    helpsite::harness::libtest::run(&args, suite, extra).exit()
}
