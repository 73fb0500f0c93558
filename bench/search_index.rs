//! `cargo run --release --example search-index -- ROOT OUT.js`: builds only the search index of
//! the site at ROOT (load → render → `output::search::index_script`) and writes it to OUT.js,
//! printing the time each stage took. bench/search-index.sh uses it to measure the index on the
//! generated corpus without depending on the rest of the output stage.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context as _;
use helpsite::{output::search, site::Site};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [root, out] = args.as_slice() else {
        anyhow::bail!("usage: search-index ROOT OUT.js");
    };
    let t = Instant::now();
    let site = Site::load(&PathBuf::from(root))?;
    let rendered = site.render()?;
    let loaded = t.elapsed();
    let urls: Vec<String> = site.corpus.pages.iter().map(|p| p.url.clone()).collect();
    let t = Instant::now();
    let script = search::index_script(&site.corpus, &rendered, &|r| r.body.plain(), &urls);
    let indexed = t.elapsed();
    std::fs::write(out, &script).with_context(|| format!("writing {out}"))?;
    println!(
        "pages {}  load+render {:.2?}  index {:.2?}  size {} bytes",
        rendered.len(),
        loaded,
        indexed,
        script.len()
    );
    Ok(())
}
