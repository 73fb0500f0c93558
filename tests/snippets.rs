//! `cargo test --test snippets`: one test per snippet of this repository's content/, run by the
//! same engine as `helpsite test` (see `helpsite::harness::libtest`). `HELPSITE_SNIPPETS_ROOT`
//! points it at another site (the harness's own tests use it with fixture sites).
//!
//! Exit codes: 0 all passed, 101 a test failed (libtest's), 2 the site could not be loaded (the
//! error names file:line:column).

fn main() {
    let args = libtest_mimic::Arguments::from_args();
    let root = std::env::var_os("HELPSITE_SNIPPETS_ROOT")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into());
    let suite = match helpsite::site::Site::load(&root).and_then(|site| site.suite(None)) {
        Ok(suite) => suite,
        Err(err) => {
            eprintln!("error: {err:#}");
            std::process::exit(2);
        }
    };
    helpsite::harness::libtest::run(&args, suite).exit()
}
