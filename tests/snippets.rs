//! `cargo test --test snippets`: one test per snippet of this repository's content/, run by the
//! same engine as `helpsite test` (see `helpsite::harness::libtest`). `HELPSITE_SNIPPETS_ROOT`
//! points it at another site (the harness's own tests use it with fixture sites).

fn main() {
    let root = std::env::var_os("HELPSITE_SNIPPETS_ROOT")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into());
    helpsite::harness::libtest::main(&root)
}
